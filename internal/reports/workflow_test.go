package reports_test

import (
	"errors"
	"testing"

	"khienso/internal/reports"
	"khienso/internal/validation"
)

// The unit submits, a reviewer reviews: neither side takes the other's
// steps, whatever the status.
func TestStandingMay(t *testing.T) {
	writer, reviewer, system := reports.Standing{Writer: true}, reports.Standing{Reviewer: true}, reports.Standing{Writer: true, Reviewer: true}
	for _, tc := range []struct {
		st    reports.Standing
		a     reports.Action
		from  reports.Status
		round reports.RoundStatus
		want  bool
	}{
		{writer, reports.ActionSave, reports.StatusMissing, reports.RoundOpen, true},
		{writer, reports.ActionSubmit, reports.StatusReturned, reports.RoundOpen, true},
		{writer, reports.ActionSubmit, reports.StatusDraft, reports.RoundClosed, false},
		{writer, reports.ActionAccept, reports.StatusSubmitted, reports.RoundOpen, false},
		{writer, reports.ActionSave, reports.StatusSubmitted, reports.RoundOpen, false},
		{reviewer, reports.ActionSave, reports.StatusMissing, reports.RoundOpen, false},
		{reviewer, reports.ActionSubmit, reports.StatusDraft, reports.RoundOpen, false},
		{reviewer, reports.ActionAccept, reports.StatusSubmitted, reports.RoundOpen, true},
		{reviewer, reports.ActionAccept, reports.StatusSubmitted, reports.RoundClosed, true},
		{reviewer, reports.ActionReturn, reports.StatusAccepted, reports.RoundOpen, true},
		{reviewer, reports.ActionReopen, reports.StatusSubmitted, reports.RoundOpen, false},
		{reports.Standing{}, reports.ActionSave, reports.StatusMissing, reports.RoundOpen, false},
		{system, reports.ActionSubmit, reports.StatusMissing, reports.RoundOpen, true},
		{system, reports.Action("delete"), reports.StatusMissing, reports.RoundOpen, false},
		{writer, reports.ActionWithdraw, reports.StatusSubmitted, reports.RoundOpen, true},
		{writer, reports.ActionWithdraw, reports.StatusSubmitted, reports.RoundClosed, false},
		{writer, reports.ActionWithdraw, reports.StatusAccepted, reports.RoundOpen, false},
		{writer, reports.ActionWithdraw, reports.StatusReturned, reports.RoundOpen, false},
		{writer, reports.ActionWithdraw, reports.StatusDraft, reports.RoundOpen, false},
		{reviewer, reports.ActionWithdraw, reports.StatusSubmitted, reports.RoundOpen, false},
	} {
		if got := tc.st.May(tc.a, tc.from, tc.round); got != tc.want {
			t.Errorf("%+v %s from %s in a %s round: %v, want %v", tc.st, tc.a, tc.from, tc.round, got, tc.want)
		}
	}
}

func TestSubmissionApply(t *testing.T) {
	tpl := reports.Standard()
	missing := &reports.Submission{Status: reports.StatusMissing, Values: map[string]float64{}, Narratives: map[string]string{}}
	draft, err := missing.Apply(&tpl, reports.Step{Action: reports.ActionSave, Values: map[string]float64{"materials": 3}}, "t1")
	if err != nil || draft.Status != reports.StatusDraft || draft.Values["materials"] != 3 || draft.UpdatedAt != "t1" || missing.Status != reports.StatusMissing {
		t.Fatalf("save: %+v %v", draft, err)
	}
	var ve validation.Errors
	if _, err := draft.Apply(&tpl, reports.Step{Action: reports.ActionSubmit, KeepContent: true}, "t2"); !errors.As(err, &ve) || !ve.Has("values.directives") {
		t.Errorf("submitting an incomplete draft: %v", err)
	}
	if _, err := draft.Apply(&tpl, reports.Step{Action: reports.ActionAccept}, "t2"); !errors.Is(err, reports.ErrStatus) {
		t.Errorf("accepting a draft: %v", err)
	}
	full := &reports.Submission{Status: reports.StatusDraft, Values: map[string]float64{}, Narratives: map[string]string{}}
	for _, f := range tpl.Fields {
		full.Values[f.Code] = 1
	}
	for _, s := range tpl.Sections {
		full.Narratives[s.Code] = "x"
	}
	sub, err := full.Apply(&tpl, reports.Step{Action: reports.ActionSubmit, KeepContent: true}, "t3")
	if err != nil || sub.Status != reports.StatusSubmitted || sub.SubmittedAt != "t3" {
		t.Fatalf("submit: %+v %v", sub, err)
	}
	if _, err := sub.Apply(&tpl, reports.Step{Action: reports.ActionReturn, Comment: " "}, "t4"); !errors.As(err, &ve) || !ve.Has("comment") {
		t.Errorf("returning without a comment: %v", err)
	}
	ret, err := sub.Apply(&tpl, reports.Step{Action: reports.ActionReturn, Comment: " Bổ sung "}, "t4")
	if err != nil || ret.Status != reports.StatusReturned || ret.ReviewComment != "Bổ sung" || ret.ReviewedAt != "t4" {
		t.Errorf("return: %+v %v", ret, err)
	}
	if _, err := sub.Apply(&tpl, reports.Step{Action: "delete"}, "t5"); !errors.As(err, &ve) || !ve.Has("action") {
		t.Errorf("unknown step: %v", err)
	}
}
