package tasksvc_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/service"
	"khienso/internal/service/plansvc"
	"khienso/internal/service/servicetest"
	"khienso/internal/service/tasksvc"
)

// told counts actor's notifications whose subject is key.
func told(t *testing.T, f *servicetest.Fixture, actor, key string) int {
	t.Helper()
	list, _, _, err := f.Store.NotificationPage(context.Background(), f.Actors[actor].UserID(), 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range list {
		if x.Subject == key {
			n++
		}
	}
	return n
}

// TestAssignedNotices: creating a task tells the focal points of its lead
// and coordinating units; a change tells only the units it adds; a draft
// plan's tasks tell no one.
func TestAssignedNotices(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		e := newEnv(t, f)
		x, y := f.Units["X1"], f.Units["Y1"]
		p := e.plan(f.Units["40"])
		task := &plans.Task{Content: "Tập huấn nhận diện lừa đảo", Kind: plans.TimeYearly, Lead: []int64{x}}
		if err := e.svc.Create(ctx, f.Actors["coord"], p.ID, task); err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"focal.x": 1}
		check := func(when string) {
			t.Helper()
			for _, who := range servicetest.ActorNames {
				if got := told(t, f, who, "notif.task_assigned"); got != want[who] {
					t.Errorf("%s: %s told %d times, want %d", when, who, got, want[who])
				}
			}
		}
		check("created")
		task.Coord = []int64{y}
		if err := e.svc.Update(ctx, f.Actors["coord"], task); err != nil {
			t.Fatal(err)
		}
		want["focal.y"] = 1
		check("Y1 added")
		draft := e.newPlan(f.Units["40"], plans.StatusDraft)
		if err := e.svc.Create(ctx, f.Actors["coord"], draft.ID, &plans.Task{Content: "Nháp", Kind: plans.TimeYearly, Lead: []int64{x, y}}); err != nil {
			t.Fatal(err)
		}
		check("draft task")
	})
}

// TestDuePass: a task due on a day is told "due soon" from three days
// before, "overdue" from the day after, each once however many instances
// pass; a finished task is not told.
func TestDuePass(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		e := newEnv(t, f)
		x, y := f.Units["X1"], f.Units["Y1"]
		p := e.plan(f.Units["40"])
		due := dates.MustParse("2026-07-01")
		open := &plans.Task{Content: "Báo cáo sơ kết", Kind: plans.TimeDue, Due: due, Lead: []int64{x}, Coord: []int64{y}}
		done := &plans.Task{Content: "Đã xong", Kind: plans.TimeDue, Due: due, Lead: []int64{x}, Status: plans.TaskDone}
		for _, task := range []*plans.Task{open, done} {
			if err := e.svc.Create(ctx, service.SystemActor, p.ID, task); err != nil {
				t.Fatal(err)
			}
		}
		var day dates.Date
		instances := make([]*tasksvc.Service, 2)
		for i := range instances {
			access := service.NewAccess(f.Store, func() time.Time { return day.Start().Add(5 * time.Hour) })
			instances[i] = tasksvc.New(f.Store, access, plansvc.New(f.Store, access, nil))
		}
		for _, c := range []struct {
			day           string
			soon, overdue int // focal.x's notices so far
		}{
			{"2026-06-27", 0, 0},
			{"2026-06-28", 1, 0},
			{"2026-06-30", 1, 0},
			{"2026-07-01", 1, 0},
			{"2026-07-02", 1, 1},
			{"2026-07-20", 1, 1},
		} {
			day = dates.MustParse(c.day)
			for _, s := range append(instances, instances...) {
				if _, err := s.NoticePass(ctx); err != nil {
					t.Fatal(err)
				}
			}
			for _, who := range []string{"focal.x", "focal.y"} {
				soon, late := told(t, f, who, "notif.task_due_soon"), told(t, f, who, "notif.task_overdue")
				if soon != c.soon || late != c.overdue {
					t.Errorf("%s %s: due soon %d, overdue %d; want %d, %d", c.day, who, soon, late, c.soon, c.overdue)
				}
			}
			if n := told(t, f, "focal.z", "notif.task_due_soon") + told(t, f, "admin", "notif.task_overdue"); n != 0 {
				t.Errorf("%s: others told %d", c.day, n)
			}
		}
		list, _, _, err := f.Store.NotificationPage(ctx, f.Actors["focal.x"].UserID(), 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(list[0].Body, "Báo cáo sơ kết|2026-07-01") {
			t.Errorf("overdue notice body %q", list[0].Body)
		}
	})
}
