package activitysvc_test

import (
	"context"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/plans"
	"khienso/internal/service/servicetest"
	"khienso/internal/store"
)

// Linked activities move a task: the first one starts a task not started,
// removing the last one puts it back when nothing else showed it started,
// and a status set by people (a progress report, done) stays.
func TestActivitiesMoveTasks(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		ctx := context.Background()
		fx, x1 := f.Actors["focal.x"], f.Units["X1"]
		taskA, taskB := w.tasks["X1"], w.tasks["40"]
		status := func(id int64) plans.TaskStatus {
			t.Helper()
			task, err := f.Store.Task(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return task.Status
		}
		reach := func(id int64) store.ActivitySums {
			t.Helper()
			s, err := f.Store.ActivitySumsOf(ctx, store.ActivityFilter{Task: id})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		if got := status(taskA); got != plans.TaskNotStarted {
			t.Fatalf("a new task is %s", got)
		}

		first := activity(x1, "Tập huấn lần 1")
		first.Tasks = []int64{taskA}
		if err := w.svc.Create(ctx, fx, first, nil); err != nil {
			t.Fatal(err)
		}
		if got, r := status(taskA), reach(taskA); got != plans.TaskInProgress || r.Records != 1 || r.Participants != 10 {
			t.Errorf("after the first activity: %s, %+v", got, r)
		}
		second := activity(x1, "Tập huấn lần 2")
		second.Tasks, second.Participants = []int64{taskA}, 25
		if err := w.svc.Create(ctx, fx, second, nil); err != nil {
			t.Fatal(err)
		}
		if r := reach(taskA); r.Records != 2 || r.Participants != 35 {
			t.Errorf("after the second activity: %+v", r)
		}
		if err := w.svc.Delete(ctx, fx, first.ID); err != nil {
			t.Fatal(err)
		}
		if got, r := status(taskA), reach(taskA); got != plans.TaskInProgress || r.Records != 1 || r.Participants != 25 {
			t.Errorf("one activity left: %s, %+v", got, r)
		}
		// Moving the last activity to another task moves both tasks.
		second.Tasks = []int64{taskB}
		if err := w.svc.Update(ctx, fx, second.ID, second, nil); err != nil {
			t.Fatal(err)
		}
		if a, b := status(taskA), status(taskB); a != plans.TaskNotStarted || b != plans.TaskInProgress {
			t.Errorf("after moving the activity: task A %s, task B %s", a, b)
		}
		if err := w.svc.Delete(ctx, fx, second.ID); err != nil {
			t.Fatal(err)
		}
		if got, r := status(taskB), reach(taskB); got != plans.TaskNotStarted || r.Records != 0 {
			t.Errorf("after removing the last activity: %s, %+v", got, r)
		}

		// A progress report shows the task started: it stays in progress.
		if err := f.Store.AddTaskUpdate(ctx, audit.System, &plans.TaskUpdate{TaskID: taskA, UnitID: x1, Status: plans.TaskInProgress, Note: "Đang chuẩn bị"}); err != nil {
			t.Fatal(err)
		}
		third := activity(x1, "Tập huấn lần 3")
		third.Tasks = []int64{taskA}
		if err := w.svc.Create(ctx, fx, third, nil); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Delete(ctx, fx, third.ID); err != nil {
			t.Fatal(err)
		}
		if got := status(taskA); got != plans.TaskInProgress {
			t.Errorf("a reported task after its activity went: %s", got)
		}
		// A finished task stays finished.
		if err := f.Store.AddTaskUpdate(ctx, audit.System, &plans.TaskUpdate{TaskID: taskA, UnitID: x1, Status: plans.TaskDone, Progress: 100}); err != nil {
			t.Fatal(err)
		}
		fourth := activity(x1, "Tập huấn lần 4")
		fourth.Tasks = []int64{taskA}
		if err := w.svc.Create(ctx, fx, fourth, nil); err != nil {
			t.Fatal(err)
		}
		if got := status(taskA); got != plans.TaskDone {
			t.Errorf("a done task after an activity: %s", got)
		}
	})
}
