package reportsvc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"khienso/internal/progress"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// Actions says which workflow steps an actor may take on a submission now.
// Pages show the buttons from it and the service refuses the rest, so
// what a page offers and what a POST may do cannot drift apart.
type Actions struct {
	Save, Submit, Withdraw, Return, Accept, Reopen bool
}

// Edit reports whether the unit's form is open to the actor (save or
// submit).
func (a Actions) Edit() bool { return a.Save || a.Submit }

// Review reports whether the actor may take any review step.
func (a Actions) Review() bool { return a.Return || a.Accept || a.Reopen }

// List is the allowed steps in workflow order.
func (a Actions) List() []reports.Action {
	out := []reports.Action{}
	for _, x := range []struct {
		ok bool
		a  reports.Action
	}{{a.Save, reports.ActionSave}, {a.Submit, reports.ActionSubmit}, {a.Withdraw, reports.ActionWithdraw}, {a.Return, reports.ActionReturn},
		{a.Accept, reports.ActionAccept}, {a.Reopen, reports.ActionReopen}} {
		if x.ok {
			out = append(out, x.a)
		}
	}
	return out
}

func actionsOf(st reports.Standing, sub *reports.Submission, rd *reports.Round) Actions {
	may := func(a reports.Action) bool { return st.May(a, sub.Status, rd.Status) }
	return Actions{Save: may(reports.ActionSave), Submit: may(reports.ActionSubmit), Withdraw: may(reports.ActionWithdraw), Return: may(reports.ActionReturn),
		Accept: may(reports.ActionAccept), Reopen: may(reports.ActionReopen)}
}

// SubmissionView is a unit's report in a round as the actor sees it.
type SubmissionView struct {
	Round    *reports.Round
	Template *reports.Template
	Sub      *reports.Submission
	Events   []store.ReportEvent
	Late     bool
	// Can is what the actor may do on it now.
	Can Actions
	// Suggested holds the prefill suggestions by field code, computed from
	// recorded activities while the actor may still fill the report.
	Suggested map[string]float64
	// Source is the round the figures were consolidated from (a
	// province's answer filled from its own round); nil for figures
	// entered by the unit.
	Source *reports.Round
	// Sources are the province's rounds the actor may fill this answer
	// from now (see Fill); nil when the report is not a province's answer
	// to a round issued above it or the actor may not fill it.
	Sources []Source
}

// loaded is a submission with its round and template, each read once.
type loaded struct {
	round *reports.Round
	tpl   *reports.Template
	sub   *reports.Submission
}

// load reads unit's submission in round for actor, who must be allowed to
// read the unit's reports; the unit must report in the round.
func (s *Service) load(ctx context.Context, actor service.Actor, round, unit int64) (*loaded, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	ok, err := s.canRead(ctx, actor, unit)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, service.ErrForbidden
	}
	rd, err := s.store.Round(ctx, round)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(rd.Units, unit) {
		return nil, fmt.Errorf("unit %d in round %d: %w", unit, round, store.ErrNotFound)
	}
	tpl, err := s.store.ReportTemplate(ctx, rd.TemplateID)
	if err != nil {
		return nil, err
	}
	sub, err := s.store.Submission(ctx, round, unit)
	if err != nil {
		return nil, err
	}
	return &loaded{round: rd, tpl: tpl, sub: sub}, nil
}

// Submission returns unit's report in round, with what actor may do on it.
func (s *Service) Submission(ctx context.Context, actor service.Actor, round, unit int64) (*SubmissionView, error) {
	l, err := s.load(ctx, actor, round, unit)
	if err != nil {
		return nil, err
	}
	st, err := s.standing(ctx, actor, l.round, unit)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, l, st, true)
}

// view builds the page of l; suggest computes the prefill suggestions when
// the form is open.
func (s *Service) view(ctx context.Context, l *loaded, st reports.Standing, suggest bool) (*SubmissionView, error) {
	v := &SubmissionView{Round: l.round, Template: l.tpl, Sub: l.sub, Can: actionsOf(st, l.sub, l.round),
		Late: l.sub.Late(l.round.Deadline, s.today(), submittedDay(l.sub.SubmittedAt)), Suggested: map[string]float64{}}
	if l.sub.ID != 0 {
		evs, err := s.store.ReportEvents(ctx, l.sub.ID)
		if err != nil {
			return nil, err
		}
		v.Events = evs
	}
	if l.sub.SourceRound != 0 {
		src, err := s.store.Round(ctx, l.sub.SourceRound)
		if err != nil {
			return nil, fmt.Errorf("source round of submission %d: %w", l.sub.ID, err)
		}
		v.Source = src
	}
	if v.Can.Save {
		up, err := s.upward(ctx, l.round, l.sub.UnitID)
		if err != nil {
			return nil, err
		}
		if up {
			if v.Sources, err = s.sources(ctx, l); err != nil {
				return nil, err
			}
		}
	}
	if suggest && v.Can.Edit() {
		per := progress.Period{FromYear: l.round.From.Year(), ToYear: l.round.To.Year()}
		for _, f := range l.tpl.Fields {
			if f.Prefill == "" {
				continue
			}
			x, ok, err := s.progress.Formula(ctx, f.Prefill, l.sub.UnitID, per, s.today())
			if err != nil {
				s.log.Warn("report prefill", "field", f.Code, "err", err)
				continue
			}
			if ok {
				v.Suggested[f.Code] = x
			}
		}
	}
	return v, nil
}

// Step is one workflow step on unit's report in round.
type Step struct {
	Round, Unit int64
	reports.Step
	// Unreadable holds the input the caller could not read (a figure that
	// is not a number). It is reported only once the actor may take the
	// step, so a caller without the right is refused, not corrected.
	Unreadable validation.Errors
}

// Apply takes a workflow step. The unit's own writers save, submit and
// withdraw a submission no reviewer has taken up (while the round is open);
// reviewers outside the unit return (with a comment), accept and reopen.
// Acting for another unit is refused with ErrActForUnit, reviewing one's
// own unit with ErrOwnReview; a step the status does not allow (or that
// lost a race) is ErrConflict; content and comment errors are
// validation.Errors. The view returned is the report after the step, or as
// it stands when the step failed (nil when actor may not read it), so a
// form can be shown again without reading the round and template twice.
func (s *Service) Apply(ctx context.Context, actor service.Actor, step Step) (*SubmissionView, error) {
	l, err := s.load(ctx, actor, step.Round, step.Unit)
	if err != nil {
		return nil, err
	}
	st, err := s.standing(ctx, actor, l.round, step.Unit)
	if err != nil {
		return nil, err
	}
	err = s.apply(ctx, actor, l, st, step)
	if errors.Is(err, store.ErrTransition) {
		// Someone acted first: show the report as it is now.
		now, rerr := s.store.Submission(ctx, step.Round, step.Unit)
		if rerr != nil {
			return nil, rerr
		}
		l.sub = now
	}
	v, verr := s.view(ctx, l, st, err != nil)
	if verr != nil {
		return nil, verr
	}
	return v, conflict(err)
}

// apply checks and writes step; on success l.sub is the new state.
func (s *Service) apply(ctx context.Context, actor service.Actor, l *loaded, st reports.Standing, step Step) error {
	a := step.Action
	if a.Valid() && (a.ByUnit() && !st.Writer || !a.ByUnit() && !st.Reviewer) {
		return s.refuse(ctx, actor, l.round, a, step.Unit)
	}
	if a.ByUnit() && l.round.Status != reports.RoundOpen {
		return validation.Single("round", "report.err.round_closed")
	}
	if len(step.Unreadable) > 0 {
		return step.Unreadable
	}
	step.Comment = strings.TrimSpace(step.Comment)
	after, err := l.sub.Apply(l.tpl, step.Step, store.FormatTime(s.access.Now()))
	if err != nil {
		return err
	}
	notices, err := s.notices(ctx, actor, l, step.Unit, a, step.Comment)
	if err != nil {
		return err
	}
	c := store.ReportChange{Round: l.round, Before: l.sub, After: after, Action: a, Comment: step.Comment, OpenRound: a.ByUnit(), Notices: notices}
	if err := s.store.ApplyReport(ctx, actor.Audit(), c); err != nil {
		return err
	}
	l.sub = after
	return nil
}

// History lists the steps of unit's report in round, oldest first.
func (s *Service) History(ctx context.Context, actor service.Actor, round, unit int64) ([]store.ReportEvent, error) {
	l, err := s.load(ctx, actor, round, unit)
	if err != nil {
		return nil, err
	}
	if l.sub.ID == 0 {
		return []store.ReportEvent{}, nil
	}
	return s.store.ReportEvents(ctx, l.sub.ID)
}
