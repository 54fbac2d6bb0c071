package tasksweb_test

import (
	"context"
	"fmt"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/web/webtest"
)

// planTestCreate stores a plan of unit directly (issued on 01/03/2022
// unless a draft), implementing parent when not 0.
func planTestCreate(f *webtest.Fixture, unit string, status plans.Status, parent int64) *plans.Plan {
	f.T.Helper()
	p := &plans.Plan{UnitID: f.Units[unit], ParentID: parent, Number: "1/KH-" + unit, Title: "Kế hoạch của " + unit,
		YearFrom: 2022, YearTo: 2025, Status: status}
	if status != plans.StatusDraft {
		p.IssuedOn = dates.MustParse("2022-03-01")
	}
	if err := f.Store.CreatePlan(context.Background(), audit.System, p, nil); err != nil {
		f.T.Fatal(err)
	}
	return p
}

// taskTestCreate stores a task of plan p led by the units named (codes).
func taskTestCreate(t *testing.T, f *webtest.Fixture, p *plans.Plan, content string, lead ...string) *plans.Task {
	t.Helper()
	task := &plans.Task{Content: content, Kind: plans.TimeYearly}
	for _, code := range lead {
		task.Lead = append(task.Lead, f.Units[code])
	}
	if err := f.Store.CreateTasks(context.Background(), audit.System, p.ID, []*plans.Task{task}); err != nil {
		t.Fatal(err)
	}
	return task
}

// unitTestID renders a fixture unit's id.
func unitTestID(f *webtest.Fixture, code string) string {
	f.T.Helper()
	id, ok := f.Units[code]
	if !ok {
		f.T.Fatalf("no fixture unit %s", code)
	}
	return fmt.Sprint(id)
}
