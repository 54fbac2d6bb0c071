package plans_test

import (
	"testing"
	"time"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/indicators"
	"khienso/internal/plans"
)

// The shipped programme templates must parse with the product's
// vocabulary and carry valid targets, or plans created from them would
// show broken indicators.
func TestBuiltinProgrammesAreValid(t *testing.T) {
	list := plans.BuiltinProgrammes()
	codes := map[string]int{}
	for _, p := range list {
		codes[p.Code] = len(p.Targets)
		for _, ind := range p.Targets {
			if errs := ind.Validate(); len(errs) > 0 {
				t.Errorf("%s/%s: %v", p.Code, ind.Code, errs)
			}
			if _, err := indicators.Parse(ind.Formula, indicators.DefaultVocabulary(nil)); err != nil {
				t.Errorf("%s/%s formula: %v", p.Code, ind.Code, err)
			}
			target := indicators.Target{Comparison: indicators.Comparison(ind.Comparison), Value: ind.Value, Max: ind.Max}
			if errs := target.Validate(); len(errs) > 0 {
				t.Errorf("%s/%s target: %v", p.Code, ind.Code, errs)
			}
		}
	}
	if codes["1907"] == 0 || codes["21"] == 0 || codes["964"] == 0 {
		t.Errorf("programmes = %v, want 1907, 21 and 964 with targets", codes)
	}
}

func TestPlanValidation(t *testing.T) {
	ok := plans.Plan{UnitID: 1, Title: "Kế hoạch", YearFrom: 2021, YearTo: 2025, Status: plans.StatusDraft}
	for _, tc := range []struct {
		name  string
		edit  func(p *plans.Plan)
		field string
	}{
		{"valid draft", func(p *plans.Plan) {}, ""},
		{"no title", func(p *plans.Plan) { p.Title = "  " }, "title"},
		{"years reversed", func(p *plans.Plan) { p.YearTo = 2020 }, "year_to"},
		{"in effect without issue date", func(p *plans.Plan) { p.Status = plans.StatusInEffect }, "issued_on"},
		{"unknown status", func(p *plans.Plan) { p.Status = "signed" }, "status"},
		{"no unit", func(p *plans.Plan) { p.UnitID = 0 }, "unit"},
	} {
		p := ok
		tc.edit(&p)
		errs := p.Validate()
		if tc.field == "" && len(errs) > 0 || tc.field != "" && !errs.Has(tc.field) {
			t.Errorf("%s: errors %v, want field %q", tc.name, errs, tc.field)
		}
	}
}

func TestTaskOverdue(t *testing.T) {
	today := dates.MustParse("2026-11-25")
	for _, tc := range []struct {
		task plans.Task
		want bool
	}{
		{plans.Task{Kind: plans.TimeContinuous, Status: plans.TaskInProgress}, false},
		{plans.Task{Kind: plans.TimeYearly, Status: plans.TaskNotStarted}, false},
		{plans.Task{Kind: plans.TimeRange, YearFrom: 2022, YearTo: 2025, Status: plans.TaskInProgress}, true},
		{plans.Task{Kind: plans.TimeRange, YearFrom: 2022, YearTo: 2026, Status: plans.TaskInProgress}, false},
		{plans.Task{Kind: plans.TimeRange, YearFrom: 2022, YearTo: 2025, Status: plans.TaskDone}, false},
		{plans.Task{Kind: plans.TimeDue, Due: dates.MustParse("2026-11-24"), Status: plans.TaskNotStarted}, true},
		{plans.Task{Kind: plans.TimeDue, Due: dates.MustParse("2026-11-25"), Status: plans.TaskNotStarted}, false},
	} {
		if got := tc.task.Overdue(today); got != tc.want {
			t.Errorf("%+v overdue = %v, want %v", tc.task, got, tc.want)
		}
	}
}

// An issued plan never goes back to draft; everything else may change.
func TestStatusTransitions(t *testing.T) {
	for _, c := range []struct {
		from, to plans.Status
		want     bool
	}{
		{plans.StatusDraft, plans.StatusDraft, true},
		{plans.StatusDraft, plans.StatusInEffect, true},
		{plans.StatusDraft, plans.StatusClosed, true},
		{plans.StatusInEffect, plans.StatusInEffect, true},
		{plans.StatusInEffect, plans.StatusClosed, true},
		{plans.StatusInEffect, plans.StatusDraft, false},
		{plans.StatusClosed, plans.StatusInEffect, true},
		{plans.StatusClosed, plans.StatusDraft, false},
		{plans.StatusDraft, "archived", false},
	} {
		if got := c.from.CanBecome(c.to); got != c.want {
			t.Errorf("%s → %s: %v, want %v", c.from, c.to, got, c.want)
		}
	}
	if got := plans.StatusClosed.Next(); len(got) != 2 || got[0] != plans.StatusInEffect || got[1] != plans.StatusClosed {
		t.Errorf("next of closed = %v", got)
	}
	if got := plans.StatusDraft.Next(); len(got) != 3 {
		t.Errorf("next of draft = %v", got)
	}
}

func TestTimeframeText(t *testing.T) {
	cases := []struct {
		task plans.Task
		want string
	}{
		{plans.Task{Kind: plans.TimeRange, YearFrom: 2025, YearTo: 2025}, "In 2025"},
		{plans.Task{Kind: plans.TimeRange, YearFrom: 2024, YearTo: 2026}, "2024–2026"},
		{plans.Task{Kind: plans.TimeDue, Due: dates.New(2025, time.June, 30)}, "By 30/06/2025"},
		{plans.Task{Kind: plans.TimeYearly}, "Every year"},
		{plans.Task{Kind: plans.TimeContinuous}, "Continuous"},
		{plans.Task{}, ""},
	}
	for _, c := range cases {
		if got := c.task.TimeframeText(i18n.EN); got != c.want {
			t.Errorf("%+v: TimeframeText = %q, want %q", c.task, got, c.want)
		}
	}
}
