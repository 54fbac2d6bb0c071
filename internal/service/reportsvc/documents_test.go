package reportsvc_test

import (
	"context"
	"testing"

	"khienso/internal/activities"
	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/reportdoc"
	"khienso/internal/service"
	"khienso/internal/service/reportsvc"
	"khienso/internal/service/servicetest"
)

// TestDocumentPlanIndicators: a round linked to a plan reports the plan's
// indicators computed for the round's province and year; activities of
// the other province do not count; rounds without a plan, or of a year the
// plan does not cover, have no such section.
func TestDocumentPlanIndicators(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		e := setup(t, f)
		p := &plans.Plan{UnitID: f.Units["40"], Title: "Kế hoạch tuyên truyền 2024–2026", Number: "1/KH-UBND", YearFrom: 2024, YearTo: 2026,
			Status: plans.StatusInEffect, IssuedOn: dates.MustParse("2024-01-05")}
		inds := []plans.Indicator{
			{Code: "classes", Name: "Số lớp tập huấn", MeasureUnit: "lớp", Formula: "count(type=training_class)", Comparison: "at_least", Value: 2, Period: plans.PeriodYearly},
			{Code: "trainees", Name: "Số lượt học viên", MeasureUnit: "lượt người", Formula: "sum(participants, type=training_class)", Comparison: "at_least", Value: 100, Period: plans.PeriodYearly},
			{Code: "total", Name: "Số lớp cộng dồn", MeasureUnit: "lớp", Formula: "count(type=training_class)", Comparison: "at_least", Value: 10, Period: plans.PeriodCumulative},
			{Code: "broken", Name: "Chỉ tiêu lỗi", Formula: "count(", Comparison: "at_least", Value: 1, Period: plans.PeriodYearly},
		}
		if err := f.Store.CreatePlan(ctx, audit.System, p, inds); err != nil {
			t.Fatal(err)
		}
		class := func(unit string, day string, people int64) *activities.Activity {
			return &activities.Activity{UnitID: f.Units[unit], Type: "training_class", Channel: "in_person", Title: "Lớp tập huấn",
				Start: dates.MustParse(day), Audiences: activities.SetOf("citizens"), Quantity: 1, Participants: people}
		}
		if err := f.Store.CreateActivities(ctx, audit.System, []*activities.Activity{
			class("X1", "2025-03-01", 10), class("Y1", "2025-09-01", 15), class("X1", "2024-05-01", 5),
			class("Z1", "2025-04-01", 500), // the other province
		}); err != nil {
			t.Fatal(err)
		}
		var units []int64
		for _, c := range []string{"X1", "Y1"} {
			units = append(units, f.Units[c])
		}
		round := func(plan int64, year string) int64 {
			rd, err := e.svc.CreateRound(ctx, service.SystemActor, reportsvc.RoundInput{TemplateID: e.tpl, PlanID: plan,
				Title: "Báo cáo năm " + year, From: "01/01/" + year, To: "31/12/" + year, Deadline: "05/12/" + year, Units: units})
			if err != nil {
				t.Fatal(err)
			}
			return rd.ID
		}
		coord := f.Actors["coord"]
		doc, err := e.svc.Document(ctx, coord, round(p.ID, "2025"))
		if err != nil {
			t.Fatal(err)
		}
		got := doc.Model.Plan
		if got == nil || got.Title != p.Title || got.Year != 2025 || got.AsOf != dates.New(2025, 12, 31) || len(got.Rows) != 4 {
			t.Fatalf("plan results %+v", got)
		}
		want := []reportdoc.IndicatorRow{
			{Code: "classes", Name: "Số lớp tập huấn", MeasureUnit: "lớp", Comparison: indicators.AtLeast, Target: 2, FromYear: 2025, ToYear: 2025, Value: 2, Defined: true, Status: indicators.Achieved},
			{Code: "trainees", Name: "Số lượt học viên", MeasureUnit: "lượt người", Comparison: indicators.AtLeast, Target: 100, FromYear: 2025, ToYear: 2025, Value: 25, Defined: true, Status: indicators.Missed},
			{Code: "total", Name: "Số lớp cộng dồn", MeasureUnit: "lớp", Comparison: indicators.AtLeast, Target: 10, FromYear: 2024, ToYear: 2025, Value: 3, Defined: true, Status: indicators.AtRisk},
			{Code: "broken", Name: "Chỉ tiêu lỗi", Comparison: indicators.AtLeast, Target: 1, FromYear: 2025, ToYear: 2025, Status: indicators.NoData},
		}
		for i, w := range want {
			if got.Rows[i] != w {
				t.Errorf("indicator %d = %+v\nwant %+v", i, got.Rows[i], w)
			}
		}

		for _, c := range []struct {
			name  string
			round int64
		}{{"no plan", round(0, "2025")}, {"year outside the plan", round(p.ID, "2027")}} {
			doc, err := e.svc.Document(ctx, coord, c.round)
			if err != nil || doc.Model.Plan != nil {
				t.Errorf("%s: plan results %+v, %v; want none", c.name, doc.Model.Plan, err)
			}
		}
	})
}
