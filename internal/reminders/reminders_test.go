package reminders_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/mail"
	"khienso/internal/mail/mailtest"
	"khienso/internal/progress"
	"khienso/internal/reminders"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/service/reportsvc"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

var actor = audit.Actor{Label: "test"}

// TestReminderSentOnceAcrossInstances runs two app instances, each with
// its own connection pools, on one database against a real SMTP server:
// every reminder must arrive exactly once.
func TestReminderSentOnceAcrossInstances(t *testing.T) {
	for _, engine := range storetest.EngineList {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, engine)
			open := func() *store.Store {
				s, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				if _, err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return s
			}
			s1, s2 := open(), open()

			mk := func(code, name string, parent int64, focalEmail string) int64 {
				u := &units.Unit{Code: code, Name: name, Type: units.TypeCommune, ValidFrom: dates.MustParse("2025-07-01")}
				if parent == 0 {
					u.Type = units.TypeProvinceCommittee
				}
				u.Focal.Email = focalEmail
				if err := s1.CreateUnit(ctx, actor, u, parent); err != nil {
					t.Fatal(err)
				}
				return u.ID
			}
			prov := mk("40", "Ủy ban nhân dân tỉnh Nghệ An", 0, "")
			x := mk("X1", "Xã Nghi Phong", prov, "")
			y := mk("Y1", "Phường Vinh Phú", prov, "vanthu@vinhphu.gov.vn")
			user := &auth.User{Email: "focal.x@nghiphong.gov.vn", Name: "Đầu mối Nghi Phong", UnitID: x, Roles: []auth.Role{auth.RoleFocalPoint}}
			if err := s1.CreateUser(ctx, actor, user, "x"); err != nil {
				t.Fatal(err)
			}
			tpl := reports.Standard()
			if err := s1.SaveReportTemplate(ctx, actor, &tpl); err != nil {
				t.Fatal(err)
			}
			deadline := dates.MustParse("2026-12-05")
			round := &reports.Round{TemplateID: tpl.ID, Title: "Báo cáo năm 2026", From: dates.MustParse("2026-01-01"),
				To: dates.MustParse("2026-12-31"), Deadline: deadline, Units: []int64{x, y}}
			if err := s1.CreateRound(ctx, actor, round); err != nil {
				t.Fatal(err)
			}

			smtp := mailtest.Start(t)
			runners := []*reminders.Runner{
				{Store: s1, Outbox: reminders.Fixed{Sender: mail.New(smtp.Config()), Base: "https://khienso.test"}, Instance: "app-1"},
				{Store: s2, Outbox: reminders.Fixed{Sender: mail.New(smtp.Config()), Base: "https://khienso.test"}, Instance: "app-2"},
			}
			pass := func(today dates.Date) int {
				var wg sync.WaitGroup
				var mu sync.Mutex
				total := 0
				for round := 0; round < 3; round++ {
					for _, r := range runners {
						wg.Add(1)
						go func(r *reminders.Runner) {
							defer wg.Done()
							n, err := r.Pass(ctx, today)
							if err != nil {
								t.Errorf("%s: %v", r.Instance, err)
							}
							mu.Lock()
							total += n
							mu.Unlock()
						}(r)
					}
				}
				wg.Wait()
				return total
			}

			// The day before the deadline: one reminder per unit.
			if n := pass(deadline.AddDays(-1)); n != 2 {
				t.Fatalf("sent %d reminders the day before, want 2", n)
			}
			got := smtp.WaitFor(t, 2, 10*time.Second)
			var to []string
			for _, m := range got {
				to = append(to, strings.Join(m.To, ","))
				if !strings.Contains(m.Subject, "Báo cáo năm 2026") || !strings.Contains(m.Text, "05/12/2026") {
					t.Errorf("reminder subject %q / text %q lacks the round or deadline", m.Subject, m.Text)
				}
			}
			sort.Strings(to)
			if fmt.Sprint(to) != "[focal.x@nghiphong.gov.vn vanthu@vinhphu.gov.vn]" {
				t.Errorf("recipients = %v", to)
			}
			// Running again the same day sends nothing more.
			if n := pass(deadline.AddDays(-1)); n != 0 {
				t.Errorf("second pass sent %d", n)
			}
			notes, unread, err := s2.Notifications(ctx, user.ID, 10)
			if err != nil || len(notes) != 1 || unread != 1 || notes[0].Subject != "reminder.before_1" {
				t.Errorf("in-app notifications = %+v, unread %d, err %v", notes, unread, err)
			}

			// X submits; after the deadline only Y is reminded.
			vals := map[string]float64{}
			for _, f := range tpl.Fields {
				vals[f.Code] = 1
			}
			narr := map[string]string{"results": "a", "limitations": "b", "proposals": "c"}
			reportSvc := reportsvc.New(s1, service.NewAccess(s1, nil), &progress.Service{Store: s1}, nil)
			if _, err := reportSvc.Apply(ctx, service.SystemActor, reportsvc.Step{Round: round.ID, Unit: x,
				Step: reports.Step{Action: reports.ActionSubmit, Values: vals, Narratives: narr}}); err != nil {
				t.Fatal(err)
			}
			if n := pass(deadline.AddDays(1)); n != 1 {
				t.Errorf("overdue pass sent %d, want 1", n)
			}
			got = smtp.WaitFor(t, 3, 10*time.Second)
			if len(got) != 3 || got[2].To[0] != "vanthu@vinhphu.gov.vn" {
				t.Errorf("overdue reminder went to %v", got[len(got)-1].To)
			}
			time.Sleep(200 * time.Millisecond) // nothing else may arrive
			if n := len(smtp.Messages()); n != 3 {
				t.Errorf("SMTP server received %d messages, want exactly 3", n)
			}
			counts, err := s1.ReminderCounts(ctx)
			if err != nil || counts["sent"] != 3 || len(counts) != 1 {
				t.Errorf("reminder states = %v (%v)", counts, err)
			}
		})
	}
}

// TestFailedReminderIsRetried checks that a reminder whose send failed
// (server down) goes out on a later pass once the lease has expired.
func TestFailedReminderIsRetried(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prov := &units.Unit{Code: "40", Name: "Tỉnh", Type: units.TypeProvinceCommittee, ValidFrom: dates.MustParse("2025-07-01")}
		if err := s.CreateUnit(ctx, actor, prov, 0); err != nil {
			t.Fatal(err)
		}
		x := &units.Unit{Code: "X1", Name: "Xã", Type: units.TypeCommune, ValidFrom: dates.MustParse("2025-07-01")}
		x.Focal.Email = "a@x.vn"
		if err := s.CreateUnit(ctx, actor, x, prov.ID); err != nil {
			t.Fatal(err)
		}
		tpl := reports.Standard()
		if err := s.SaveReportTemplate(ctx, actor, &tpl); err != nil {
			t.Fatal(err)
		}
		deadline := dates.MustParse("2026-12-05")
		if err := s.CreateRound(ctx, actor, &reports.Round{TemplateID: tpl.ID, Title: "Năm 2026", From: dates.MustParse("2026-01-01"),
			To: dates.MustParse("2026-12-31"), Deadline: deadline, Units: []int64{x.ID}}); err != nil {
			t.Fatal(err)
		}
		down := mailtest.Start(t)
		cfg := down.Config()
		down.Close()
		r := &reminders.Runner{Store: s, Outbox: reminders.Fixed{Sender: mail.New(cfg)}, Instance: "a", Lease: time.Millisecond}
		if n, err := r.Pass(ctx, deadline.AddDays(-3)); err != nil || n != 0 {
			t.Fatalf("pass with the server down: %d, %v", n, err)
		}
		if counts, err := s.ReminderCounts(ctx); err != nil || counts["failed"] != 1 || len(counts) != 1 {
			t.Fatalf("after the failed send: reminders %v (%v), want one failed", counts, err)
		}
		up := mailtest.Start(t)
		r.Outbox = reminders.Fixed{Sender: mail.New(up.Config())}
		time.Sleep(5 * time.Millisecond) // let the lease expire
		if n, err := r.Pass(ctx, deadline.AddDays(-3)); err != nil || n != 1 {
			counts, _ := s.ReminderCounts(ctx)
			t.Fatalf("retry pass: %d, %v (reminders %v)", n, err, counts)
		}
		up.WaitFor(t, 1, 10*time.Second)
		if counts, err := s.ReminderCounts(ctx); err != nil || counts["sent"] != 1 || len(counts) != 1 {
			t.Errorf("after the retry: reminders %v (%v), want one sent", counts, err)
		}
	})
}

// TestLateAccountGetsNextReminder: recipients are looked up when each
// reminder is made and sent, not when the round was opened, so a focal
// point whose account is created after the week-before reminder still
// gets the day-before one, in the app and by e-mail.
func TestLateAccountGetsNextReminder(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prov := &units.Unit{Code: "40", Name: "Tỉnh", Type: units.TypeProvinceCommittee, ValidFrom: dates.MustParse("2025-07-01")}
		if err := s.CreateUnit(ctx, actor, prov, 0); err != nil {
			t.Fatal(err)
		}
		x := &units.Unit{Code: "X1", Name: "Xã Nghi Phong", Type: units.TypeCommune, ValidFrom: dates.MustParse("2025-07-01")}
		if err := s.CreateUnit(ctx, actor, x, prov.ID); err != nil {
			t.Fatal(err)
		}
		first := &auth.User{Email: "first@x.vn", Name: "Đầu mối cũ", UnitID: x.ID, Roles: []auth.Role{auth.RoleFocalPoint}}
		if err := s.CreateUser(ctx, actor, first, "x"); err != nil {
			t.Fatal(err)
		}
		tpl := reports.Standard()
		if err := s.SaveReportTemplate(ctx, actor, &tpl); err != nil {
			t.Fatal(err)
		}
		deadline := dates.MustParse("2026-12-05")
		if err := s.CreateRound(ctx, actor, &reports.Round{TemplateID: tpl.ID, Title: "Năm 2026", From: dates.MustParse("2026-01-01"),
			To: dates.MustParse("2026-12-31"), Deadline: deadline, Units: []int64{x.ID}}); err != nil {
			t.Fatal(err)
		}
		smtp := mailtest.Start(t)
		r := &reminders.Runner{Store: s, Outbox: reminders.Fixed{Sender: mail.New(smtp.Config()), Base: "https://khienso.test"}, Instance: "a"}
		if n, err := r.Pass(ctx, deadline.AddDays(-7)); err != nil || n != 1 {
			t.Fatalf("week-before pass: %d, %v", n, err)
		}
		smtp.WaitFor(t, 1, 10*time.Second)
		late := &auth.User{Email: "late@x.vn", Name: "Đầu mối mới", UnitID: x.ID, Roles: []auth.Role{auth.RoleFocalPoint}}
		if err := s.CreateUser(ctx, actor, late, "x"); err != nil {
			t.Fatal(err)
		}
		if n, err := r.Pass(ctx, deadline.AddDays(-1)); err != nil || n != 1 {
			t.Fatalf("day-before pass: %d, %v", n, err)
		}
		got := smtp.WaitFor(t, 2, 10*time.Second)
		if to := strings.Join(got[1].To, ","); !strings.Contains(to, "late@x.vn") || !strings.Contains(to, "first@x.vn") {
			t.Errorf("day-before reminder went to %s", to)
		}
		for _, c := range []struct {
			user *auth.User
			want []string
		}{{first, []string{"reminder.before_1", "reminder.before_7"}}, {late, []string{"reminder.before_1"}}} {
			notes, _, err := s.Notifications(ctx, c.user.ID, 10)
			if err != nil {
				t.Fatal(err)
			}
			var subjects []string
			for _, n := range notes {
				subjects = append(subjects, n.Subject)
			}
			if fmt.Sprint(subjects) != fmt.Sprint(c.want) {
				t.Errorf("%s notified %v, want %v", c.user.Email, subjects, c.want)
			}
		}
		// The reminders' own e-mails are the only ones: their in-app
		// notifications are not mailed again by the notification pass.
		if counts, err := s.NotificationEmailCounts(ctx); err != nil || counts["none"] != 3 || len(counts) != 1 {
			t.Errorf("notification e-mail states %v (%v)", counts, err)
		}
	})
}
