package demo_test

import (
	"context"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/demo"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/settings"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// clockOn is a clock standing at 10:00 in Vietnam on day.
func clockOn(day string) service.Clock {
	d := dates.MustParse(day)
	return func() time.Time { return d.Start().Add(10 * time.Hour) }
}

func install(t *testing.T, st *store.Store, day string) {
	t.Helper()
	start := time.Now()
	pw, err := demo.Install(context.Background(), st, clockOn(day))
	if err != nil || len(pw) < 16 {
		t.Fatalf("install on %s: %q %v", day, pw, err)
	}
	t.Logf("demo installed as of %s in %v", day, time.Since(start).Round(time.Millisecond))
}

func TestInstallDemoProvince(t *testing.T) {
	const day = "2026-06-15"
	today := dates.MustParse(day)
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		install(t, st, day)
		pl, _ := demo.Plan()
		if n, _ := st.UnitCount(ctx); n != len(pl.Units) {
			t.Errorf("units = %d, want %d", n, len(pl.Units))
		}
		root, err := st.UnitByCode(ctx, demo.ProvinceCode, today)
		if err != nil {
			t.Fatal(err)
		}
		count := func(day string, typ units.Type) int {
			kids, err := st.Children(ctx, root.ID, dates.MustParse(day))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, k := range kids {
				if k.Type == typ {
					n++
				}
			}
			return n
		}
		if n := count("2023-06-30", units.TypeDistrict); n != 20 {
			t.Errorf("2023 tree: %d districts under the province, want 20", n)
		}
		if n := count("2023-06-30", units.TypeCommune); n != 0 {
			t.Errorf("2023 tree: %d communes directly under the province, want 0", n)
		}
		if n := count("2026-01-15", units.TypeCommune); n != 130 {
			t.Errorf("2026 tree: %d communes under the province, want 130", n)
		}
		if n := count("2026-01-15", units.TypeDistrict); n != 0 {
			t.Errorf("2026 tree: %d districts, want 0", n)
		}
		// Its documents come out complete, and the deployment speaks
		// Vietnamese without e-mail.
		set, err := st.ProvinceSettings(ctx, root.ID)
		if err != nil || set.SignerName == "" || len(set.SignerAuthority) == 0 || len(set.Recipients) == 0 || len(set.Receivers) == 0 ||
			set.ParentBody == "" || set.IssuingBody == "" || set.Symbol == "" || set.Place == "" || set.CoordinatorID == 0 {
			t.Errorf("demo province settings %+v (%v)", set, err)
		}
		dep, err := st.OwnSettings(ctx, settings.DeploymentScope)
		if err != nil || dep[settings.KeyLanguage] != "vi" || dep[settings.KeySMTPURL] != "" {
			t.Errorf("demo deployment settings %v (%v)", dep, err)
		}
		// The demo plan of the current year shows live indicators: the
		// departments that issued their own plan and the schools reached.
		list, err := st.Plans(ctx, store.PlanFilter{Parent: -1})
		if err != nil || len(list) != 2 {
			t.Fatalf("demo plans = %d (%v), want 2", len(list), err)
		}
		inds, err := st.Indicators(ctx, list[0].ID)
		if err != nil || len(inds) != 8 {
			t.Fatalf("indicators of %q = %d (%v)", list[0].Title, len(inds), err)
		}
		res, err := (&progress.Service{Store: st}).Plan(ctx, list[0], inds, root.ID, today.Year(), today)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil {
				t.Errorf("indicator %s: %v", r.Indicator.Code, r.Err)
			}
			if r.Indicator.Code == "plan_coverage" && (!r.Defined || r.Value <= 0 || r.Value >= 100) {
				t.Errorf("plan coverage = %v (defined %v), want a share between 0 and 100", r.Value, r.Defined)
			}
		}
		// A former ward of Vinh rolls up under its 2026 successor.
		old, err := st.UnitByCode(ctx, "16681.old", today)
		if err != nil {
			t.Fatal(err)
		}
		succ, _ := st.Successors(ctx, old.ID)
		if len(succ) != 1 || succ[0].Unit.Code != "16681" {
			t.Fatalf("successor of 16681.old = %+v", succ)
		}
		if in, _ := st.InSubtree(ctx, succ[0].Unit.ID, old.ID, dates.MustParse("2026-01-15")); !in {
			t.Error("a former ward's data must roll up under its successor in 2026")
		}
		admin, _, err := st.UserByEmail(ctx, demo.AdminEmail)
		if err != nil || admin == nil || !admin.MustChangePassword {
			t.Errorf("demo administrator: %+v %v", admin, err)
		}
		// Search ignores diacritics on real names.
		for _, q := range []string{"nghi loc", "Nghi Lộc", "NGHI LOC"} {
			if _, total, _ := st.SearchUnits(ctx, store.UnitFilter{Query: q, Day: today}); total == 0 {
				t.Errorf("search %q found nothing", q)
			}
		}
	})
}

// TestDemoAliveOnAnyDay installs the demo as of days that used to break it
// (the first and last day of a year, a leap day) and checks that a
// newcomer finds a province at work on each: a plan for the current year
// already issued, an open round due in the coming weeks with submitted, a
// returned (with its comment) and an accepted report, tasks due soon and
// one overdue, activities of the last two weeks, notifications, and a
// change in the audit log.
func TestDemoAliveOnAnyDay(t *testing.T) {
	for _, e := range storetest.EngineList {
		t.Run(string(e), func(t *testing.T) {
			for _, day := range []string{"2027-01-01", "2026-12-31", "2024-02-29", "2026-06-15"} {
				t.Run(day, func(t *testing.T) {
					st := storetest.Open(t, e)
					install(t, st, day)
					checkAlive(t, st, dates.MustParse(day))
				})
			}
		})
	}
}

func checkAlive(t *testing.T, st *store.Store, today dates.Date) {
	ctx := context.Background()
	year := today.Year()

	top, err := st.Plans(ctx, store.PlanFilter{Parent: -1})
	if err != nil {
		t.Fatal(err)
	}
	var current *plans.Plan
	for _, p := range top {
		if p.YearFrom == year && p.YearTo == year {
			current = p
		}
	}
	if current == nil || current.Status != plans.StatusInEffect || current.IssuedOn.After(today) || today.AddDays(-366).After(current.IssuedOn) {
		t.Fatalf("plan of %d: %+v, want one in effect, issued within the last year", year, current)
	}
	if kids, err := st.Plans(ctx, store.PlanFilter{Parent: current.ID}); err != nil || len(kids) == 0 {
		t.Errorf("departments' plans = %d (%v)", len(kids), err)
	} else {
		for _, k := range kids {
			if k.IssuedOn.After(today) || k.IssuedOn.Before(current.IssuedOn) {
				t.Errorf("plan %q issued on %s, outside %s..%s", k.Title, k.IssuedOn, current.IssuedOn, today)
			}
		}
	}

	// An open round due in the coming weeks, reports in every state.
	rounds, err := st.Rounds(ctx, store.RoundFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var main *reports.Round
	soon := 0
	for _, r := range rounds {
		if r.Status != reports.RoundOpen || !r.Deadline.After(today) {
			continue
		}
		if r.Deadline.After(today.AddDays(6)) && !r.Deadline.After(today.AddDays(31)) {
			main = r
		} else if !r.Deadline.After(today.AddDays(6)) {
			soon++
		}
	}
	if main == nil || soon == 0 {
		t.Fatalf("open rounds on %s: %+v; want one due in the coming weeks and one within the week", today, rounds)
	}
	if main.From.After(today) || main.To.Before(today) {
		t.Errorf("round period %s..%s does not include %s", main.From, main.To, today)
	}
	subs, err := st.Submissions(ctx, main.ID)
	if err != nil {
		t.Fatal(err)
	}
	by := map[reports.Status]int{}
	var returned *reports.Submission
	for _, s := range subs {
		by[s.Status]++
		if s.Status == reports.StatusReturned {
			returned = s
		}
	}
	if by[reports.StatusSubmitted] < 3 || by[reports.StatusAccepted] != 1 || by[reports.StatusDraft] != 1 || returned == nil {
		t.Errorf("submissions by status %v, want at least 3 submitted, one accepted, one returned, one draft", by)
	} else if returned.ReviewComment != demo.ReturnComment {
		t.Errorf("returned report's comment %q", returned.ReviewComment)
	}

	// Tasks: some due within ten days, one overdue, one done.
	tasks, err := st.Tasks(ctx, store.TaskFilter{PlanID: current.ID})
	if err != nil {
		t.Fatal(err)
	}
	dueSoon, overdue, done := 0, 0, 0
	for _, k := range tasks {
		switch d := k.Deadline(); {
		case k.Overdue(today):
			overdue++
			if k.Progress == 0 {
				t.Errorf("overdue task %q has no progress reported", k.Content)
			}
		case k.Status == plans.TaskDone:
			done++
		case !d.IsZero() && !d.Before(today) && !d.After(today.AddDays(10)):
			dueSoon++
		}
	}
	if dueSoon < 2 || overdue != 1 || done != 1 {
		t.Errorf("tasks: %d due soon, %d overdue, %d done; want ≥2, 1, 1", dueSoon, overdue, done)
	}

	// Activities of the last two weeks, and of this year when the year
	// has begun (the indicators have something to count).
	if _, n, err := st.Activities(ctx, store.ActivityFilter{From: today.AddDays(-14), To: today.AddDays(-1)}); err != nil || n < 5 {
		t.Errorf("activities of the last two weeks = %d (%v)", n, err)
	}
	if _, n, err := st.Activities(ctx, store.ActivityFilter{From: today.AddDays(1)}); err != nil || n != 0 {
		t.Errorf("%d activities in the future (%v)", n, err)
	}

	// The maintenance pass reminds the short round's units: their focal
	// points find a notification on their first visit.
	if _, err := st.ScheduleReminders(ctx, today); err != nil {
		t.Fatal(err)
	}
	notified := 0
	for _, s := range subs {
		u, err := st.Unit(ctx, s.UnitID, today)
		if err != nil {
			t.Fatal(err)
		}
		acct, _, err := st.UserByEmail(ctx, demo.FocalEmail(u.Code))
		if err != nil || acct == nil {
			t.Fatalf("focal point of %s: %v", u.Code, err)
		}
		if _, n, err := st.Notifications(ctx, acct.ID, 10); err != nil {
			t.Fatal(err)
		} else if n > 0 {
			notified++
		}
	}
	if notified == 0 {
		t.Error("no focal point has a notification")
	}

	// People did things: the audit log holds their changes, with a
	// before and an after for an edit.
	coord, _, err := st.UserByEmail(ctx, demo.CoordinatorEmail)
	if err != nil || coord == nil {
		t.Fatalf("coordinator: %v", err)
	}
	if _, n, err := st.AuditLog(ctx, auditBy(coord.ID)); err != nil || n < 10 {
		t.Errorf("coordinator's audit entries = %d (%v)", n, err)
	}
	edits, _, err := st.AuditLog(ctx, auditOf("update", "unit"))
	if err != nil || len(edits) == 0 || len(edits[0].Before) == 0 || len(edits[0].After) == 0 || edits[0].UserID == 0 {
		t.Errorf("a unit edited by a person: %+v (%v)", edits, err)
	}
}

func auditBy(user int64) audit.Filter { return audit.Filter{UserID: user} }

func auditOf(action, entity string) audit.Filter { return audit.Filter{Action: action, Entity: entity} }
