package plansvc_test

import (
	"context"
	"errors"
	"testing"

	"khienso/internal/activities"
	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/service/plansvc"
	"khienso/internal/service/servicetest"
	"khienso/internal/store"
)

// TestNationalPlans: with both provinces under a national root, a national
// plan is computed province by province, populations (units()) and sums stay
// inside each province, and a province's plan counts its own units only.
func TestNationalPlans(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := plansvc.New(f.Store, f.Access, &progress.Service{Store: f.Store})
		for _, a := range []struct {
			unit string
			qty  int64
		}{{"X1", 2}, {"Y1-THCS", 1}, {"Z1", 1}, {"VN-ATTT", 5}} {
			act := &activities.Activity{UnitID: f.Units[a.unit], Type: "training_class", Channel: "in_person", Title: "Lớp " + a.unit,
				Start: dates.MustParse("2026-03-01"), Audiences: activities.SetOf("citizens"), Quantity: a.qty, Participants: 30}
			if err := f.Store.CreateActivity(ctx, audit.System, act); err != nil {
				t.Fatal(err)
			}
		}
		inds := func() []plans.Indicator {
			return []plans.Indicator{
				{Code: "classes", Name: "Số lớp tập huấn", Formula: "count(type=training_class)", Comparison: "at_least", Value: 4, Period: plans.PeriodYearly},
				{Code: "communes", Name: "Số xã", Formula: "units(unit_type=commune)", Comparison: "at_least", Value: 2, Period: plans.PeriodYearly},
				{Code: "broken", Name: "Công thức hỏng", Formula: "count(", Comparison: "at_least", Value: 1, Period: plans.PeriodYearly},
			}
		}
		national := &plans.Plan{UnitID: f.Units["VN-ATTT"], Title: "Kế hoạch quốc gia", Number: "1/KH-BKHCN", IssuedOn: dates.MustParse("2026-01-05"),
			YearFrom: 2026, YearTo: 2030, Status: plans.StatusInEffect}
		if err := f.Store.CreatePlan(ctx, audit.System, national, inds()[:2]); err != nil {
			t.Fatal(err)
		}
		// A formula that no longer parses is reported, not computed.
		bad := inds()[2]
		bad.PlanID = national.ID
		if err := f.Store.SaveIndicator(ctx, audit.System, &bad); err != nil {
			t.Fatal(err)
		}
		province := &plans.Plan{UnitID: f.Units["40"], Title: "Kế hoạch tỉnh Nghệ An", Number: "2/KH-UBND", IssuedOn: dates.MustParse("2026-01-10"),
			YearFrom: 2026, YearTo: 2030, Status: plans.StatusInEffect}
		if err := f.Store.CreatePlan(ctx, audit.System, province, inds()[:2]); err != nil {
			t.Fatal(err)
		}

		pv, err := svc.Provinces(ctx, f.Actors["coord.vn"], national.ID, plansvc.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if pv.Unit.ID != f.Units["VN"] || len(pv.Rows) != 2 || pv.Rows[0].Name != "Hà Tĩnh" || pv.Rows[1].Name != "Nghệ An" {
			t.Fatalf("provinces of the national plan: unit %d, %+v", pv.Unit.ID, pv.Rows)
		}
		ht, na := pv.Rows[0], pv.Rows[1]
		if !na.Mapped || na.Outline.Code != "40" || !ht.Mapped {
			t.Errorf("outlines: %v %q, %v", na.Mapped, na.Outline.Code, ht.Mapped)
		}
		for _, c := range []struct {
			row       plansvc.ProvinceRow
			i         int
			value     float64
			attain    float64
			status    indicators.Status
			provinceN string
		}{
			{na, 0, 3, 0.75, indicators.OnTrack, "Nghệ An classes"},
			{na, 1, 2, 1, indicators.Achieved, "Nghệ An communes"},
			{ht, 0, 1, 0.25, indicators.AtRisk, "Hà Tĩnh classes"},
			{ht, 1, 1, 0.5, indicators.OnTrack, "Hà Tĩnh communes"},
		} {
			v := c.row.Values[c.i]
			if !v.Defined || v.Value != c.value || !v.Rated || v.Attainment != c.attain || v.Status != c.status {
				t.Errorf("%s: %+v, want %v (attainment %v)", c.provinceN, v, c.value, c.attain)
			}
		}
		if pv.Errors[2] == nil || na.Values[2].Rated || na.Values[2].Status != indicators.NoData {
			t.Errorf("the broken indicator: %v %+v", pv.Errors[2], na.Values[2])
		}
		if na.Rated != 2 || na.Attainment != 0.875 || ht.Attainment != 0.375 {
			t.Errorf("mean attainment: Nghệ An %v (%d), Hà Tĩnh %v", na.Attainment, na.Rated, ht.Attainment)
		}
		// The national plan read by a province: not its plan.
		if _, err := svc.Provinces(ctx, f.Actors["coord"], national.ID, plansvc.Query{}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a province coordinator's national dashboard: %v", err)
		}
		// A province plan seen from its province counts its own communes
		// and classes, never Hà Tĩnh's nor the national bodies'.
		vals, err := svc.Values(ctx, f.Actors["coord"], province.ID, plansvc.Query{}, false)
		if err != nil {
			t.Fatal(err)
		}
		if vals.Unit.ID != f.Units["40"] || vals.Results[0].Value != 3 || vals.Results[1].Value != 2 {
			t.Errorf("Nghệ An's plan: unit %d, classes %v, communes %v", vals.Unit.ID, vals.Results[0].Value, vals.Results[1].Value)
		}
		// The national coordinator reads the province's issued plan, and
		// its values default to the province.
		vals, err = svc.Values(ctx, f.Actors["coord.vn"], province.ID, plansvc.Query{}, false)
		if err != nil || vals.Unit.ID != f.Units["40"] || vals.Results[1].Value != 2 {
			t.Errorf("the national coordinator on Nghệ An's plan: %v", err)
		}
		// Under the province: no province rows.
		pv, err = svc.Provinces(ctx, f.Actors["coord"], province.ID, plansvc.Query{})
		if err != nil || len(pv.Rows) != 0 {
			t.Errorf("a province plan's provinces: %v %d rows", err, len(pv.Rows))
		}
	}, servicetest.National())
}
