package indicators

import (
	"math"
	"reflect"
	"testing"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/validation"
)

func TestTargetValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		t    Target
		want validation.Errors
	}{
		{Target{Comparison: AtLeast, Value: 80}, nil},
		{Target{Comparison: AtMost, Value: -5, Max: nan}, nil}, // Max ignored
		{Target{Comparison: Between, Value: 40, Max: 60}, nil},
		{Target{Comparison: Between, Value: 50, Max: 50}, nil},
		{Target{Comparison: "more", Value: 1}, validation.Errors{{Field: "comparison", Reason: "attain.err.comparison"}}},
		{Target{Value: 1}, validation.Errors{{Field: "comparison", Reason: "attain.err.comparison"}}},
		{Target{Comparison: AtLeast, Value: nan}, validation.Errors{{Field: "value", Reason: "attain.err.number"}}},
		{Target{Comparison: AtMost, Value: inf}, validation.Errors{{Field: "value", Reason: "attain.err.number"}}},
		{Target{Comparison: Between, Value: 60, Max: 40}, validation.Errors{{Field: "max", Reason: "attain.err.max_order"}}},
		{Target{Comparison: Between, Value: 1, Max: inf}, validation.Errors{{Field: "max", Reason: "attain.err.number"}}},
		{Target{Comparison: Between, Value: nan, Max: nan}, validation.Errors{
			{Field: "value", Reason: "attain.err.number"}, {Field: "max", Reason: "attain.err.number"}}},
		{Target{Comparison: "x", Value: inf}, validation.Errors{
			{Field: "comparison", Reason: "attain.err.comparison"}, {Field: "value", Reason: "attain.err.number"}}},
	}
	for _, c := range cases {
		got := c.t.Validate()
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v.Validate() = %#v, want %#v", c.t, got, c.want)
		}
		for _, fe := range got {
			if !i18n.Has(fe.Reason) {
				t.Errorf("%s: no catalogue entry", fe.Reason)
			}
		}
	}
}

func TestAssess(t *testing.T) {
	d := dates.MustParse
	// A ten-day period, so each day is a tenth.
	start, end := d("01/01/2025"), d("10/01/2025")
	before, first, mid, last, after := d("31/12/2024"), d("01/01/2025"), d("05/01/2025"), d("10/01/2025"), d("11/01/2025")
	atLeast100 := Target{Comparison: AtLeast, Value: 100}
	atMost10 := Target{Comparison: AtMost, Value: 10}
	between := Target{Comparison: Between, Value: 40, Max: 60}
	cases := []struct {
		name    string
		t       Target
		value   float64
		defined bool
		today   dates.Date
		want    Progress
	}{
		{"at least: reached mid-period", atLeast100, 100, true, mid, Progress{Achieved, 50, 0.5}},
		{"at least: reached early", atLeast100, 120, true, first, Progress{Achieved, 10, 0.1}},
		{"at least: exactly on pace", atLeast100, 50, true, mid, Progress{OnTrack, 50, 0.5}},
		{"at least: just behind pace", atLeast100, 49.9, true, mid, Progress{AtRisk, 50, 0.5}},
		{"at least: before the start", atLeast100, 0, true, before, Progress{OnTrack, 0, 0}},
		{"at least: first day counts", atLeast100, 9, true, first, Progress{AtRisk, 10, 0.1}},
		{"at least: first day on pace", atLeast100, 10, true, first, Progress{OnTrack, 10, 0.1}},
		{"at least: last day short is not yet missed", atLeast100, 99, true, last, Progress{AtRisk, 100, 1}},
		{"at least: after the end short", atLeast100, 99, true, after, Progress{Missed, 100, 1}},
		{"at least: after the end reached", atLeast100, 100, true, after, Progress{Achieved, 100, 1}},
		{"at least: rounding slack", Target{Comparison: AtLeast, Value: 57}, 0.57 * 100, true, after, Progress{Achieved, 57, 1}},
		{"at least: undefined", atLeast100, 0, false, mid, Progress{NoData, 50, 0.5}},
		{"at least: NaN", atLeast100, math.NaN(), true, mid, Progress{NoData, 50, 0.5}},
		{"at most: exceeded mid-period", atMost10, 11, true, mid, Progress{Missed, 0, 0.5}},
		{"at most: exceeded on day one", atMost10, 10.5, true, first, Progress{Missed, 0, 0.1}},
		{"at most: at the limit mid-period", atMost10, 10, true, mid, Progress{OnTrack, 0, 0.5}},
		{"at most: last day", atMost10, 3, true, last, Progress{OnTrack, 0, 1}},
		{"at most: period over within limit", atMost10, 10, true, after, Progress{Achieved, 0, 1}},
		{"at most: period over beyond limit", atMost10, 12, true, after, Progress{Missed, 0, 1}},
		{"at most: undefined", atMost10, 0, false, after, Progress{NoData, 0, 1}},
		{"between: above the range", between, 61, true, mid, Progress{Missed, 20, 0.5}},
		{"between: at the top mid-period", between, 60, true, mid, Progress{OnTrack, 20, 0.5}},
		{"between: at the top, over", between, 60, true, after, Progress{Achieved, 40, 1}},
		{"between: at the bottom, over", between, 40, true, after, Progress{Achieved, 40, 1}},
		{"between: in range on last day", between, 50, true, last, Progress{OnTrack, 40, 1}},
		{"between: below, on pace", between, 20, true, mid, Progress{OnTrack, 20, 0.5}},
		{"between: below, behind pace", between, 15, true, mid, Progress{AtRisk, 20, 0.5}},
		{"between: below, over", between, 39, true, after, Progress{Missed, 40, 1}},
		{"between: undefined", between, 0, false, before, Progress{NoData, 0, 0}},
		{"unknown comparison", Target{Comparison: "x", Value: 1}, 5, true, mid, Progress{NoData, 0.5, 0.5}},
	}
	for _, c := range cases {
		got := Assess(c.t, c.value, c.defined, start, end, c.today)
		if got.Status != c.want.Status || math.Abs(got.Expected-c.want.Expected) > 1e-9 || math.Abs(got.Elapsed-c.want.Elapsed) > 1e-12 {
			t.Errorf("%s: Assess = %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestElapsed(t *testing.T) {
	d := dates.MustParse
	cases := []struct {
		start, end, today string
		want              float64
	}{
		{"01/01/2025", "31/12/2025", "01/07/2025", 182.0 / 365},
		{"01/01/2024", "31/12/2024", "31/12/2024", 1}, // leap year, last day
		{"01/01/2024", "31/12/2024", "29/02/2024", 60.0 / 366},
		{"05/05/2025", "05/05/2025", "05/05/2025", 1}, // one-day period
		{"05/05/2025", "05/05/2025", "04/05/2025", 0},
		{"10/01/2025", "01/01/2025", "05/01/2025", 0}, // reversed: its first day only
		{"10/01/2025", "01/01/2025", "10/01/2025", 1},
		{"31/12/1969", "02/01/1970", "01/01/1970", 2.0 / 3}, // across the Unix epoch
	}
	for _, c := range cases {
		got := Assess(Target{Comparison: AtLeast, Value: 1}, 0, true, d(c.start), d(c.end), d(c.today)).Elapsed
		if math.Abs(got-c.want) > 1e-12 {
			t.Errorf("elapsed(%s..%s, %s) = %v, want %v", c.start, c.end, c.today, got, c.want)
		}
	}
	// Zero dates neither panic nor leave [0, 1].
	for _, today := range []dates.Date{{}, d("01/01/2025")} {
		p := Assess(Target{Comparison: AtLeast, Value: 1}, 0, true, dates.Date{}, d("31/12/2025"), today)
		if p.Elapsed < 0 || p.Elapsed > 1 {
			t.Errorf("zero start: elapsed %v", p.Elapsed)
		}
	}
}

func TestLabels(t *testing.T) {
	for _, c := range Comparisons {
		if !i18n.Has("attain.cmp." + string(c)) {
			t.Errorf("no label for comparison %s", c)
		}
	}
	for _, s := range []Status{Achieved, OnTrack, AtRisk, Missed, NoData} {
		if !i18n.Has("attain.status." + string(s)) {
			t.Errorf("no label for status %s", s)
		}
	}
	if got := i18n.VI.T("attain.status." + string(AtRisk)); got != "Có nguy cơ không đạt" {
		t.Errorf("vi at_risk = %q", got)
	}
}

func TestAttainment(t *testing.T) {
	for _, c := range []struct {
		t       Target
		v       float64
		defined bool
		want    float64
		ok      bool
	}{
		{Target{AtLeast, 100, 0}, 50, true, 0.5, true},
		{Target{AtLeast, 100, 0}, 150, true, 1, true},
		{Target{AtLeast, 100, 0}, -5, true, 0, true},
		{Target{AtLeast, 0, 0}, 0, true, 1, true},
		{Target{AtLeast, 57, 0}, 56.99999999999999, true, 1, true},
		{Target{AtMost, 10, 0}, 8, true, 1, true},
		{Target{AtMost, 10, 0}, 20, true, 0.5, true},
		{Target{Between, 10, 20}, 5, true, 0.5, true},
		{Target{Between, 10, 20}, 15, true, 1, true},
		{Target{Between, 10, 20}, 40, true, 0.5, true},
		{Target{AtLeast, 100, 0}, 50, false, 0, false},
		{Target{"bogus", 100, 0}, 50, true, 0, false},
	} {
		got, ok := Attainment(c.t, c.v, c.defined)
		if ok != c.ok || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Attainment(%+v, %v, %v) = %v %v, want %v %v", c.t, c.v, c.defined, got, ok, c.want, c.ok)
		}
	}
}

func TestShare(t *testing.T) {
	cases := []struct {
		name                    string
		part                    float64
		partDef                 bool
		total                   float64
		totalDef, ratio, wantOK bool
		want                    float64
	}{
		{"a commune's 12 of the province's 94", 12, true, 94, true, false, true, 12.0 / 94},
		{"the whole", 94, true, 94, true, false, true, 1},
		{"a rate is not a share", 50, true, 60, true, true, false, 0},
		{"no value", 0, false, 94, true, false, false, 0},
		{"no total", 3, true, 0, false, false, false, 0},
		{"a zero total", 0, true, 0, true, false, false, 0},
	}
	for _, c := range cases {
		got, ok := Share(c.part, c.partDef, c.total, c.totalDef, c.ratio)
		if ok != c.wantOK || got != c.want {
			t.Errorf("%s: Share = %v, %v; want %v, %v", c.name, got, ok, c.want, c.wantOK)
		}
	}
}
