package notifysvc_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/mail"
	"khienso/internal/mail/mailtest"
	"khienso/internal/progress"
	"khienso/internal/reminders"
	"khienso/internal/reports"
	"khienso/internal/service/notifysvc"
	"khienso/internal/service/reportsvc"
	"khienso/internal/service/servicetest"
)

// TestEmailPass: workflow notices are e-mailed once each across two
// instances passing at the same time, with the text and link of the
// notification; reminders' notifications (mailed by the reminders) are
// not mailed again; with mail off the pending ones are dropped, not kept.
func TestEmailPass(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		tpl := reports.Standard()
		if err := f.Store.SaveReportTemplate(ctx, audit.System, &tpl); err != nil {
			t.Fatal(err)
		}
		today := f.Access.Today()
		x, y := f.Units["X1"], f.Units["Y1"]
		rd := &reports.Round{TemplateID: tpl.ID, Title: "Báo cáo quý", From: today.AddDays(-90), To: today,
			Deadline: today.AddDays(7), Units: []int64{x, y}}
		if err := f.Store.CreateRound(ctx, audit.System, rd); err != nil {
			t.Fatal(err)
		}
		if n, err := f.Store.ScheduleReminders(ctx, today); err != nil || n != 2 {
			t.Fatalf("ScheduleReminders = %d, %v", n, err)
		}
		svc := reportsvc.New(f.Store, f.Access, &progress.Service{Store: f.Store}, nil)
		vals, narr := map[string]float64{}, map[string]string{}
		for _, fl := range tpl.Fields {
			vals[fl.Code] = 1
		}
		for _, s := range tpl.Sections {
			narr[s.Code] = "Nội dung"
		}
		do := func(actor string, unit int64, a reports.Action, comment string) {
			t.Helper()
			st := reportsvc.Step{Round: rd.ID, Unit: unit, Step: reports.Step{Action: a, Values: vals, Narratives: narr, Comment: comment}}
			if _, err := svc.Apply(ctx, f.Actors[actor], st); err != nil {
				t.Fatalf("%s %s: %v", actor, a, err)
			}
		}
		do("focal.x", x, reports.ActionSubmit, "")
		off := &notifysvc.Mailer{Store: f.Store, Outbox: reminders.Fixed{Base: "https://khienso.test"}, Instance: "off"}
		if n, err := off.Pass(ctx); err != nil || n != 0 {
			t.Fatalf("pass with mail off = %d, %v", n, err)
		}
		counts, err := f.Store.NotificationEmailCounts(ctx)
		if err != nil || counts["pending"] != 0 || counts["none"] != 4 {
			t.Fatalf("after mail off: %v, %v (want 4 none: 2 reminders, 2 submissions)", counts, err)
		}

		do("coord", x, reports.ActionReturn, "Thiếu số liệu quý 3")
		do("focal.y", y, reports.ActionSubmit, "")
		smtp := mailtest.Start(t)
		var mailers []*notifysvc.Mailer
		for _, name := range []string{"app-1", "app-2"} {
			mailers = append(mailers, &notifysvc.Mailer{Store: f.Store, Instance: name,
				Outbox: reminders.Fixed{Sender: mail.New(smtp.Config()), Base: "https://khienso.test"}})
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for range 3 {
			for _, m := range mailers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := m.Pass(ctx)
					if err != nil {
						t.Errorf("%s: %v", m.Instance, err)
					}
					mu.Lock()
					total += n
					mu.Unlock()
				}()
			}
		}
		wg.Wait()
		if total != 3 {
			t.Fatalf("sent %d e-mails, want 3 (the return to focal.x, the submission of Y1 to admin and coord)", total)
		}
		got := smtp.WaitFor(t, 3, 10*time.Second)
		time.Sleep(200 * time.Millisecond)
		if n := len(smtp.Messages()); n != 3 {
			t.Fatalf("server got %d messages, want 3", n)
		}
		var to []string
		for _, m := range got {
			to = append(to, strings.Join(m.To, ","))
			if m.To[0] == "focal.x@t.vn" {
				link := fmt.Sprintf("https://khienso.test/reports/rounds/%d/units/%d", rd.ID, x)
				if !strings.Contains(m.Text, "Thiếu số liệu quý 3") || !strings.Contains(m.Text, link) || !strings.Contains(m.Subject, "trả lại") {
					t.Errorf("return e-mail: subject %q, text %q", m.Subject, m.Text)
				}
			} else if !strings.Contains(m.Subject, "Phường Vinh Phú") {
				t.Errorf("submission e-mail subject %q", m.Subject)
			}
		}
		sort.Strings(to)
		if fmt.Sprint(to) != "[admin@t.vn coord@t.vn focal.x@t.vn]" {
			t.Errorf("recipients %v", to)
		}
		counts, err = f.Store.NotificationEmailCounts(ctx)
		if err != nil || counts["sent"] != 3 || counts["none"] != 4 || len(counts) != 2 {
			t.Errorf("e-mail states %v, %v", counts, err)
		}
	})
}
