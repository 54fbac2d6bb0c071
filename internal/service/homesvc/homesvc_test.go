package homesvc_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"khienso/internal/activities"
	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/service/homesvc"
	"khienso/internal/service/notifysvc"
	"khienso/internal/service/plansvc"
	"khienso/internal/service/reportsvc"
	"khienso/internal/service/servicetest"
	"khienso/internal/service/tasksvc"
	"khienso/internal/service/unitsvc"
)

// world is what the homes are composed from, in both provinces, on the
// fixture's day (15/06/2026).
type world struct {
	svc     *homesvc.Service
	reports *reportsvc.Service
	tpl     int64
}

func newWorld(t *testing.T, f *servicetest.Fixture) *world {
	t.Helper()
	pr := &progress.Service{Store: f.Store}
	rs := reportsvc.New(f.Store, f.Access, pr, nil)
	ps := plansvc.New(f.Store, f.Access, pr)
	ts := tasksvc.New(f.Store, f.Access, ps)
	us := unitsvc.New(f.Store, f.Access, nil, nil)
	w := &world{svc: homesvc.New(f.Access, us, rs, ts, ps, notifysvc.New(f.Store)), reports: rs}
	tpl := reports.Standard()
	if err := rs.CreateTemplate(context.Background(), service.SystemActor, &tpl); err != nil {
		t.Fatal(err)
	}
	w.tpl = tpl.ID
	return w
}

// round opens a 2026 round issued by issuer's unit for units.
func (w *world) round(t *testing.T, f *servicetest.Fixture, issuer, title, deadline string, units ...string) int64 {
	t.Helper()
	var ids []int64
	for _, u := range units {
		ids = append(ids, f.Units[u])
	}
	rd, err := w.reports.CreateRound(context.Background(), f.Actors[issuer], reportsvc.RoundInput{TemplateID: w.tpl,
		Title: title, From: "01/01/2026", To: "30/06/2026", Deadline: deadline, Units: ids})
	if err != nil {
		t.Fatalf("round %s: %v", title, err)
	}
	return rd.ID
}

// plan stores a plan in effect of unit for 2026 with one indicator far
// behind pace (100 classes, one held), and tasks due on the given days.
func plan(t *testing.T, f *servicetest.Fixture, unit, lead string, due map[string]string) {
	t.Helper()
	ctx := context.Background()
	p := &plans.Plan{UnitID: f.Units[unit], Number: "1/KH-" + unit, Title: "Kế hoạch " + unit, IssuedOn: dates.MustParse("2026-01-05"),
		YearFrom: 2026, YearTo: 2026, Status: plans.StatusInEffect}
	ind := plans.Indicator{Code: "classes", Name: "Số lớp tập huấn " + unit, Formula: "count(type=training_class)", Comparison: "at_least", Value: 100, Period: plans.PeriodYearly}
	if err := f.Store.CreatePlan(ctx, audit.System, p, []plans.Indicator{ind}); err != nil {
		t.Fatal(err)
	}
	act := &activities.Activity{UnitID: f.Units[lead], Type: "training_class", Channel: "in_person", Title: "Lớp " + lead,
		Start: dates.MustParse("2026-03-01"), Audiences: activities.SetOf("citizens"), Quantity: 1, Participants: 30}
	if err := f.Store.CreateActivity(ctx, audit.System, act); err != nil {
		t.Fatal(err)
	}
	var tasks []*plans.Task
	for content, day := range due {
		tasks = append(tasks, &plans.Task{Content: content, Kind: plans.TimeDue, Due: dates.MustParse(day), Lead: []int64{f.Units[lead]}})
	}
	if err := f.Store.CreateTasks(ctx, audit.System, p.ID, tasks); err != nil {
		t.Fatal(err)
	}
}

func titles(l homesvc.List[homesvc.Report]) []string {
	var out []string
	for _, r := range l.Items {
		out = append(out, r.Round.Title)
	}
	return out
}

func taskNames(l homesvc.List[*plans.Task]) []string {
	var out []string
	for _, t := range l.Items {
		out = append(out, t.Content)
	}
	slices.Sort(out)
	return out
}

// TestHome: each role's home holds what it must do and what it manages,
// soonest first, and nothing of the other province.
func TestHome(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		w := newWorld(t, f)
		w.round(t, f, "coord", "Đợt tháng 6", "20/06/2026", "X1", "Y1")
		w.round(t, f, "coord", "Đợt quý I", "01/06/2026", "X1", "Y1")
		w.round(t, f, "coord", "Đợt tháng 7", "10/07/2026", "X1", "Y1")
		back := w.round(t, f, "coord", "Đợt bổ sung", "30/06/2026", "X1")
		w.round(t, f, "coord.z", "Đợt Hà Tĩnh", "01/06/2026", "Z1")
		x1 := f.Units["X1"]
		vals, narr := map[string]float64{}, map[string]string{}
		for i, fl := range reports.Standard().Fields {
			vals[fl.Code] = float64(i + 1)
		}
		for _, s := range reports.Standard().Sections {
			narr[s.Code] = "Nội dung " + s.Code
		}
		if _, err := w.reports.Apply(ctx, f.Actors["focal.x"], reportsvc.Step{Round: back, Unit: x1,
			Step: reports.Step{Action: reports.ActionSubmit, Values: vals, Narratives: narr}}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.reports.Apply(ctx, f.Actors["coord"], reportsvc.Step{Round: back, Unit: x1,
			Step: reports.Step{Action: reports.ActionReturn, Comment: "Bổ sung số lớp"}}); err != nil {
			t.Fatal(err)
		}
		plan(t, f, "40", "X1", map[string]string{"Tập huấn tháng 6": "2026-06-20", "Tuyên truyền quý I": "2026-03-31", "Tổng kết năm": "2026-12-31"})
		plan(t, f, "42", "Z1", map[string]string{"Hà Tĩnh quá hạn": "2026-03-31"})

		home := func(who string) *homesvc.Home {
			t.Helper()
			h, err := w.svc.Home(ctx, f.Actors[who])
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			if h.Today != dates.MustParse("2026-06-15") {
				t.Errorf("%s: today %s", who, h.Today)
			}
			if h.Place == nil || h.Place.ID != f.Actors[who].Principal.UnitID {
				t.Errorf("%s: the home's unit %+v", who, h.Place)
			}
			return h
		}

		t.Run("focal point", func(t *testing.T) {
			h := home("focal.x")
			if h.Manage != nil {
				t.Errorf("a focal point manages: %+v", h.Manage)
			}
			u := h.Unit
			if u == nil {
				t.Fatal("no unit to-do")
			}
			if got := titles(u.Due); !slices.Equal(got, []string{"Đợt tháng 6", "Đợt tháng 7"}) {
				t.Errorf("due %v", got)
			}
			if len(u.Due.Items) > 0 && u.Due.Items[0].DaysLeft != 5 {
				t.Errorf("days left %d, want 5", u.Due.Items[0].DaysLeft)
			}
			if got := titles(u.Overdue); !slices.Equal(got, []string{"Đợt quý I"}) || u.Overdue.Items[0].DaysLate() != 14 {
				t.Errorf("overdue %v %+v", got, u.Overdue.Items)
			}
			if got := titles(u.Returned); !slices.Equal(got, []string{"Đợt bổ sung"}) || u.Returned.Items[0].Comment != "Bổ sung số lớp" {
				t.Errorf("returned %v %+v", got, u.Returned.Items)
			}
			if got := taskNames(u.TasksSoon); !slices.Equal(got, []string{"Tập huấn tháng 6"}) {
				t.Errorf("tasks due soon %v", got)
			}
			if got := taskNames(u.TasksOverdue); !slices.Equal(got, []string{"Tuyên truyền quý I"}) {
				t.Errorf("tasks overdue %v", got)
			}
			// The return told focal.x, and the notification is on the home.
			if h.Unread != 1 || len(h.Notifications) != 1 || h.Notifications[0].Subject != "notif.report_returned" {
				t.Errorf("notifications: %d unread, %+v", h.Unread, h.Notifications)
			}
		})

		t.Run("another commune", func(t *testing.T) {
			u := home("focal.y").Unit
			if got := titles(u.Due); !slices.Equal(got, []string{"Đợt tháng 6", "Đợt tháng 7"}) {
				t.Errorf("due %v", got)
			}
			if u.Returned.Total != 0 || u.TasksSoon.Total+u.TasksOverdue.Total != 0 {
				t.Errorf("X1's work on Y1's home: %+v", u)
			}
		})

		t.Run("coordinator", func(t *testing.T) {
			h := home("coord")
			if h.Unit != nil {
				t.Errorf("the coordinator's unit has a to-do: %+v", h.Unit)
			}
			m := h.Manage
			if m == nil {
				t.Fatal("nothing to manage")
			}
			var rounds []string
			for _, r := range m.Rounds.Items {
				rounds = append(rounds, r.Round.Title)
			}
			if want := []string{"Đợt quý I", "Đợt tháng 6", "Đợt bổ sung", "Đợt tháng 7"}; !slices.Equal(rounds, want) {
				t.Errorf("rounds %v, want %v", rounds, want)
			}
			late := m.Rounds.Items[0]
			if late.Late.Total != 2 || late.Late.Items[0].UnitName != "Phường Vinh Phú" || late.Late.Items[1].UnitName != "Xã Nghi Phong" || late.DaysLeft != -14 {
				t.Errorf("late units of the overdue round: %+v", late.Late)
			}
			if m.Rounds.Items[1].Late.Total != 0 {
				t.Errorf("units late before the deadline: %+v", m.Rounds.Items[1].Late)
			}
			if got := taskNames(m.TasksOverdue); !slices.Equal(got, []string{"Tuyên truyền quý I"}) {
				t.Errorf("overdue tasks %v", got)
			}
			if m.AtRisk.Total != 1 || m.AtRisk.Items[0].Plan.UnitID != f.Units["40"] {
				t.Errorf("at risk: %+v", m.AtRisk)
			}
		})

		t.Run("other province", func(t *testing.T) {
			m := home("coord.z").Manage
			if m == nil || m.Rounds.Total != 1 || m.Rounds.Items[0].Round.Title != "Đợt Hà Tĩnh" {
				t.Fatalf("rounds of Hà Tĩnh: %+v", m)
			}
			if got := taskNames(m.TasksOverdue); !slices.Equal(got, []string{"Hà Tĩnh quá hạn"}) {
				t.Errorf("overdue tasks %v", got)
			}
			if m.AtRisk.Total != 1 || m.AtRisk.Items[0].Plan.UnitID != f.Units["42"] {
				t.Errorf("at risk: %+v", m.AtRisk)
			}
			u := home("focal.z").Unit
			if got := titles(u.Overdue); !slices.Equal(got, []string{"Đợt Hà Tĩnh"}) || u.Due.Total+u.Returned.Total != 0 {
				t.Errorf("focal.z: overdue %v, %+v", got, u)
			}
		})

		t.Run("no work", func(t *testing.T) {
			for _, who := range []string{"police", "learner"} {
				h := home(who)
				if h.Manage != nil || h.Unit == nil || !h.Unit.Empty() {
					t.Errorf("%s: %+v %+v", who, h.Manage, h.Unit)
				}
			}
		})

		if _, err := w.svc.Home(ctx, service.Actor{}); !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("anonymous home: %v", err)
		}
	})
}
