package plansweb

import (
	"khienso/internal/dates"
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
	// The chart scales to the larger of the values and the target.
	ch := buildChart("t", &plans.Indicator{Comparison: "at_least", Value: 10},
		[]progress.Point{{Year: 2022, Value: 5, Defined: true}, {Year: 2023, Value: 20, Defined: true}, {Year: 2024}})
	if len(ch.Bars) != 3 || ch.Bars[1].H != 86 || ch.Bars[0].H != 21.5 || ch.Bars[2].H != 0 || ch.Bars[2].Defined || !ch.HasLine || ch.LineY != 59 {
		t.Errorf("chart = %+v", ch)
	}
}
