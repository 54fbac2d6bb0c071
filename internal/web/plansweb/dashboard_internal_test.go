package plansweb

import (
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/service/plansvc"
	"testing"
)

func TestDashboardFormatting(t *testing.T) {
	for _, tc := range []struct {
		ind  plans.Indicator
		want string
	}{
		{plans.Indicator{Comparison: "at_least", Value: 100, MeasureUnit: "%"}, "≥ 100 %"},
		{plans.Indicator{Comparison: "at_most", Value: 2.5, MeasureUnit: "vụ"}, "≤ 2,5 vụ"},
		{plans.Indicator{Comparison: "between", Value: 3, Max: 5, MeasureUnit: "lớp"}, "3–5 lớp"},
		{plans.Indicator{Comparison: "at_least", Value: 1500}, "≥ 1.500"},
	} {
		if got := targetText(&tc.ind); got != tc.want {
			t.Errorf("targetText(%+v) = %q, want %q", tc.ind, got, tc.want)
		}
	}
	for _, tc := range []struct {
		part, whole, want float64
	}{
		{50, 100, 50}, {150, 100, 100}, {-1, 100, 0}, {1, 0, 0}, {1, 3, 33.3},
	} {
		if got := percent(tc.part, tc.whole); got != tc.want {
			t.Errorf("percent(%v, %v) = %v, want %v", tc.part, tc.whole, got, tc.want)
		}
	}
	for _, tc := range []struct {
		year       int
		today, day string
	}{
		{2023, "2026-11-25", "2023-12-31"},
		{2026, "2026-11-25", "2026-11-25"},
		{2027, "2026-11-25", "2027-01-01"},
	} {
		if got := plansvc.RefDay(tc.year, dates.MustParse(tc.today)); got.ISO() != tc.day {
			t.Errorf("plansvc.RefDay(%d, %s) = %s, want %s", tc.year, tc.today, got.ISO(), tc.day)
		}
	}
	p := &plans.Plan{YearFrom: 2021, YearTo: 2025}
	for _, tc := range []struct {
		today string
		want  int
	}{{"2026-03-01", 2025}, {"2020-03-01", 2021}, {"2023-03-01", 2023}} {
		if got := plansvc.DefaultYear(p, dates.MustParse(tc.today)); got != tc.want {
			t.Errorf("plansvc.DefaultYear(%s) = %d, want %d", tc.today, got, tc.want)
		}
	}
	// The chart marks the target only where the unit is judged against
	// it (not below the plan's unit), and keeps years without data.
	ind := &plans.Indicator{Comparison: "at_least", Value: 10}
	pts := []progress.Point{{Year: 2022, Value: 5, Defined: true}, {Year: 2023, Value: 20, Defined: true}, {Year: 2024}}
	ch := seriesChart(i18n.VI, ind, pts, true, smallSeries)
	if len(ch.Points) != 3 || ch.Points[2].Defined || ch.Points[0].Label != "2022" || ch.Target == nil || ch.Target.Value != 10 {
		t.Errorf("chart = %+v", ch)
	}
	if ch := seriesChart(i18n.VI, ind, pts, false, smallSeries); ch.Target != nil {
		t.Errorf("a contribution's chart has the target %+v", ch.Target)
	}
	rows := []bdRow{{BreakdownRow: progress.BreakdownRow{Name: "B", Value: 1, Defined: true}}}
	if b := barsChart(i18n.VI, ind, rows, false); b.Target != nil || len(b.Items) != 1 {
		t.Errorf("a count's bars are not judged against the whole's target: %+v", b)
	}
	if b := barsChart(i18n.VI, ind, rows, true); b.Target == nil {
		t.Errorf("a rate's bars have the target marked")
	}
}
