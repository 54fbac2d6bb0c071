package reports

import (
	"errors"
	"maps"
	"strings"

	"khienso/internal/validation"
)

// Actions lists the workflow steps in display order.
var Actions = []Action{ActionSave, ActionSubmit, ActionWithdraw, ActionReturn, ActionAccept, ActionReopen}

// Valid reports whether a is a workflow step.
func (a Action) Valid() bool {
	switch a {
	case ActionSave, ActionSubmit, ActionWithdraw, ActionReturn, ActionAccept, ActionReopen:
		return true
	}
	return false
}

// ByUnit reports whether a is a step the reporting unit takes (saving,
// submitting and withdrawing its report); the others (return, accept,
// reopen) are the reviewer's. The unit submits, a reviewer reviews: nobody
// does the other side's steps.
func (a Action) ByUnit() bool { return a.Edits() || a == ActionWithdraw }

// Edits reports whether a carries the report's content (save, submit).
func (a Action) Edits() bool { return a == ActionSave || a == ActionSubmit }

// Standing is how an actor stands to one unit's submission: one of the
// unit's own writers, a reviewer of the unit (never the unit itself), both
// (the system) or neither.
type Standing struct {
	Writer, Reviewer bool
}

// May reports whether someone standing so may take step a now, on a
// submission in status from, in a round in status round.
func (st Standing) May(a Action, from Status, round RoundStatus) bool {
	if a.ByUnit() {
		if !st.Writer || round != RoundOpen {
			return false
		}
	} else if !st.Reviewer {
		return false
	}
	_, ok := Next(from, a) // false for anything but a workflow step
	return ok
}

// ErrStatus is returned by Apply when the step is not allowed from the
// submission's status (someone else acted first, for example).
var ErrStatus = errors.New("report step not allowed in this status")

// Step is one workflow step's input.
type Step struct {
	Action Action
	// Values and Narratives replace the content when saving or submitting,
	// unless KeepContent submits the content saved before.
	Values      map[string]float64
	Narratives  map[string]string
	KeepContent bool
	// Comment goes with a review step; returning requires one.
	Comment string
}

// Apply returns the submission after step at time at (a storage
// timestamp): ErrStatus when the step is not allowed from s's status,
// validation errors for bad content (all of it when submitting) or a return
// without a comment. s is left unchanged.
func (s *Submission) Apply(t *Template, step Step, at string) (*Submission, error) {
	if !step.Action.Valid() {
		return nil, validation.Single("action", "err.invalid")
	}
	next, ok := Next(s.Status, step.Action)
	if !ok {
		return nil, ErrStatus
	}
	after := *s
	after.Status, after.UpdatedAt = next, at
	comment := strings.TrimSpace(step.Comment)
	switch step.Action {
	case ActionSave, ActionSubmit:
		if !step.KeepContent {
			// Figures consolidated from another round stay so only while
			// they are the figures filled from it.
			if !maps.Equal(after.Values, step.Values) {
				after.SourceRound = 0
			}
			after.Values, after.Narratives = step.Values, step.Narratives
		}
		if after.Values == nil {
			after.Values = map[string]float64{}
		}
		if after.Narratives == nil {
			after.Narratives = map[string]string{}
		}
		if errs := after.Validate(t, step.Action == ActionSubmit); len(errs) > 0 {
			return nil, errs
		}
		if step.Action == ActionSubmit {
			after.SubmittedAt = at
		}
	case ActionWithdraw:
		// Back to a draft: nothing submitted stands until it is sent again.
		after.SubmittedAt = ""
	case ActionReturn:
		if comment == "" {
			return nil, validation.Single("comment", "report.err.comment")
		}
		after.ReviewComment, after.ReviewedAt = comment, at
	case ActionAccept:
		after.ReviewComment, after.ReviewedAt = comment, at
	}
	return &after, nil
}
