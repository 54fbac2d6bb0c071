package web_test

// TODO(split): moves with tasks and plan import (the plans tests are in
// internal/web/plansweb).

import (
	"context"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/web/webtest"
)

// planTestCreate stores a plan directly.
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
