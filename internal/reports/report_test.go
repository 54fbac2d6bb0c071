package reports_test

import (
	"testing"

	"khienso/internal/dates"
	"khienso/internal/reports"
)

func TestWorkflowTransitions(t *testing.T) {
	for _, tc := range []struct {
		from reports.Status
		act  reports.Action
		to   reports.Status
		ok   bool
	}{
		{reports.StatusMissing, reports.ActionSave, reports.StatusDraft, true},
		{reports.StatusMissing, reports.ActionSubmit, reports.StatusSubmitted, true},
		{reports.StatusDraft, reports.ActionSubmit, reports.StatusSubmitted, true},
		{reports.StatusReturned, reports.ActionSave, reports.StatusReturned, true},
		{reports.StatusReturned, reports.ActionSubmit, reports.StatusSubmitted, true},
		{reports.StatusSubmitted, reports.ActionSave, reports.StatusSubmitted, false},
		{reports.StatusSubmitted, reports.ActionAccept, reports.StatusAccepted, true},
		{reports.StatusSubmitted, reports.ActionReturn, reports.StatusReturned, true},
		{reports.StatusDraft, reports.ActionAccept, reports.StatusDraft, false},
		{reports.StatusAccepted, reports.ActionSubmit, reports.StatusAccepted, false},
		{reports.StatusAccepted, reports.ActionReopen, reports.StatusSubmitted, true},
	} {
		to, ok := reports.Next(tc.from, tc.act)
		if to != tc.to || ok != tc.ok {
			t.Errorf("%s --%s--> %s %v, want %s %v", tc.from, tc.act, to, ok, tc.to, tc.ok)
		}
	}
}

func TestSubmissionValidation(t *testing.T) {
	tpl := reports.Standard()
	if errs := tpl.Validate(); len(errs) > 0 {
		t.Fatalf("standard template: %v", errs)
	}
	s := reports.Submission{Values: map[string]float64{"classes": 4, "unknown": 1}, Narratives: map[string]string{"results": "x"}}
	errs := s.Validate(&tpl, false)
	if !errs.Has("values.unknown") || len(errs) != 1 {
		t.Errorf("draft errors = %v, want only the unknown field", errs)
	}
	delete(s.Values, "unknown")
	errs = s.Validate(&tpl, true)
	if !errs.Has("values.trainees") || !errs.Has("narratives.proposals") || errs.Has("values.classes") {
		t.Errorf("submit errors = %v", errs)
	}
	s.Values["classes"] = -1
	if errs := s.Validate(&tpl, false); !errs.Has("values.classes") {
		t.Errorf("negative figure accepted")
	}
}

func TestLateness(t *testing.T) {
	deadline := dates.MustParse("2026-12-05")
	for _, tc := range []struct {
		status    reports.Status
		today     string
		submitted string
		late      bool
	}{
		{reports.StatusMissing, "2026-12-05", "", false},
		{reports.StatusMissing, "2026-12-06", "", true},
		{reports.StatusDraft, "2026-12-06", "", true},
		{reports.StatusSubmitted, "2026-12-20", "2026-12-05", false},
		{reports.StatusAccepted, "2026-12-20", "2026-12-06", true},
	} {
		var day dates.Date
		if tc.submitted != "" {
			day = dates.MustParse(tc.submitted)
		}
		s := reports.Submission{Status: tc.status}
		if got := s.Late(deadline, dates.MustParse(tc.today), day); got != tc.late {
			t.Errorf("%s on %s (submitted %q): late = %v", tc.status, tc.today, tc.submitted, got)
		}
	}
}
