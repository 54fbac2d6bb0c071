// Package reportsvc holds the rules of periodic reports: who manages
// templates and rounds, who reads a unit's report, and the workflow's
// rule that the unit submits and a reviewer reviews: a unit's report is
// saved and submitted only by the unit's own writers, and accepted,
// returned or reopened only by a reviewer outside the unit.
package reportsvc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/progress"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/store"
)

// Service is the periodic reports capability.
type Service struct {
	store    *store.Store
	access   *service.Access
	progress *progress.Service
	log      *slog.Logger
}

// New returns the reports service over st. progress computes the prefill
// suggestions of a report's figures; log records suggestions that failed
// (nil: discard).
func New(st *store.Store, access *service.Access, prog *progress.Service, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: st, access: access, progress: prog, log: log}
}

// Refusal is a refused step whose reason the caller should read: it is
// service.ErrForbidden (errors.Is), with a catalogue key saying why and
// what to do instead.
type Refusal struct {
	Key string
}

func (e *Refusal) Error() string { return "forbidden: " + e.Key }

// Is makes a Refusal an ErrForbidden.
func (e *Refusal) Is(target error) bool { return target == service.ErrForbidden }

var (
	// ErrActForUnit: the actor may fill reports in the unit's area (a
	// province-wide role) but does not belong to the unit. Acting for
	// another unit is refused, not recorded as an act on its behalf: a
	// report that needs changing goes back to the unit.
	ErrActForUnit = &Refusal{Key: "report.err.act_for_unit"}
	// ErrOwnReview: the actor reviews reports but this one is its own
	// unit's, which someone outside the unit reviews.
	ErrOwnReview = &Refusal{Key: "report.err.own_review"}
	// ErrProvinceAnswer: the actor works in the province but the
	// province's answer to a round issued above it is its reviewers' (the
	// coordinating agency, the administrators), who submit what the
	// province accepted from its units.
	ErrProvinceAnswer = &Refusal{Key: "report.err.province_answer"}
	// ErrTemplateShared: the template is used by rounds the actor does not
	// review (another province's); a new template serves instead.
	ErrTemplateShared = &Refusal{Key: "report.err.template_shared"}
)

// today is the current day of the service's clock.
func (s *Service) today() dates.Date { return s.access.Today() }

// signedIn returns ErrUnauthenticated for an anonymous caller.
func signedIn(actor service.Actor) error {
	if !actor.System && actor.Principal == nil {
		return service.ErrUnauthenticated
	}
	return nil
}

// requireReviewer returns nil when actor reviews reports somewhere: the
// templates are a catalogue shared by the reviewers of every province.
func (s *Service) requireReviewer(ctx context.Context, actor service.Actor) error {
	if err := signedIn(actor); err != nil {
		return err
	}
	_, ok, err := s.access.ScopeOf(ctx, actor, auth.ReportReview)
	if err != nil {
		return err
	}
	if !ok {
		return service.ErrForbidden
	}
	return nil
}

// roundProvince is the province a round belongs to: its issuer's (a
// national round's is the national root). CreateRound resolves its units
// within it.
func (s *Service) roundProvince(ctx context.Context, rd *reports.Round) (int64, error) {
	if rd.Issuer == 0 {
		return 0, fmt.Errorf("round %d has no issuer", rd.ID)
	}
	return s.access.ProvinceOf(ctx, rd.Issuer)
}

// requireRound returns nil when actor reviews round rd: report.review on
// the round's province.
func (s *Service) requireRound(ctx context.Context, actor service.Actor, rd *reports.Round) error {
	if err := signedIn(actor); err != nil || actor.System {
		return err
	}
	province, err := s.roundProvince(ctx, rd)
	if err != nil {
		return err
	}
	return s.access.Require(ctx, actor, auth.ReportReview, province)
}

// loadRound loads round id and checks that actor reviews it.
func (s *Service) loadRound(ctx context.Context, actor service.Actor, id int64) (*reports.Round, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	rd, err := s.store.Round(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.requireRound(ctx, actor, rd); err != nil {
		return nil, err
	}
	return rd, nil
}

// canRead reports whether actor may read unit's reports: the unit's own
// staff (report.read in their subtree) and the unit's reviewers.
func (s *Service) canRead(ctx context.Context, actor service.Actor, unit int64) (bool, error) {
	for _, a := range []auth.Action{auth.ReportRead, auth.ReportReview} {
		ok, err := s.access.Allowed(ctx, actor, a, unit)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// standing tells how actor stands to unit's submission in rd. A writer
// holds report.submit on the unit and belongs to it: the unit is the
// actor's own, or lies in its subtree by a subtree role (a focal point
// fills its schools' reports). A province-wide role fills only its own
// unit's report. A reviewer holds report.review on the unit and is not in
// it. A province's answer to a round issued above it has its own rule (see
// upwardStanding).
func (s *Service) standing(ctx context.Context, actor service.Actor, rd *reports.Round, unit int64) (reports.Standing, error) {
	if actor.System {
		return reports.Standing{Writer: true, Reviewer: true}, nil
	}
	var st reports.Standing
	p := actor.Principal
	if p == nil {
		return st, nil
	}
	if up, err := s.upward(ctx, rd, unit); err != nil || up {
		if err != nil {
			return st, err
		}
		return s.upwardStanding(ctx, actor, rd, unit)
	}
	submit, err := s.access.Allowed(ctx, actor, auth.ReportSubmit, unit)
	if err != nil {
		return st, err
	}
	if submit {
		st.Writer = unit == p.UnitID
		if !st.Writer && subtreeGrant(p, auth.ReportSubmit) {
			if st.Writer, err = s.store.InSubtree(ctx, p.UnitID, unit, s.today()); err != nil {
				return st, err
			}
		}
	}
	review, err := s.access.Allowed(ctx, actor, auth.ReportReview, unit)
	if err != nil {
		return st, err
	}
	st.Reviewer = review && unit != p.UnitID
	return st, nil
}

// upward reports whether unit's submission in rd is a province's answer to
// a round issued above it (a national round): unit is a province and rd
// belongs to another level.
func (s *Service) upward(ctx context.Context, rd *reports.Round, unit int64) (bool, error) {
	province, err := s.access.ProvinceOf(ctx, unit)
	if err != nil || province != unit {
		return false, err
	}
	issuing, err := s.roundProvince(ctx, rd)
	return answersUpward(unit, province, issuing), err
}

// answersUpward is upward's rule for a unit whose province is province in
// a round belonging to issuing.
func answersUpward(unit, province, issuing int64) bool { return province == unit && issuing != unit }

// upwardStanding is how actor stands to a province's answer to a round
// issued above it. The province answers with what it accepted from its
// units, so its reviewers (the administrators and coordinators whose
// province it is) fill and submit it, and no one else; the round's own
// reviewers, outside the province, review it.
func (s *Service) upwardStanding(ctx context.Context, actor service.Actor, rd *reports.Round, unit int64) (reports.Standing, error) {
	var st reports.Standing
	mine, err := s.access.ProvinceOf(ctx, actor.Principal.UnitID)
	if err != nil {
		return st, err
	}
	if mine == unit {
		st.Writer, err = s.access.Allowed(ctx, actor, auth.ReportReview, unit)
		return st, err
	}
	issuing, err := s.roundProvince(ctx, rd)
	if err != nil {
		return st, err
	}
	st.Reviewer, err = s.access.Allowed(ctx, actor, auth.ReportReview, issuing)
	return st, err
}

// subtreeGrant reports whether one of p's roles grants act on the subtree
// of p's unit (rather than province-wide).
func subtreeGrant(p *auth.Principal, act auth.Action) bool {
	for _, r := range p.Roles {
		one := auth.Principal{UnitID: p.UnitID, Roles: []auth.Role{r}}
		if province, sub := one.Scope(act); sub && !province {
			return true
		}
	}
	return false
}

// refuse explains why actor may not take step a on unit's submission in
// rd.
func (s *Service) refuse(ctx context.Context, actor service.Actor, rd *reports.Round, a reports.Action, unit int64) error {
	act := auth.ReportReview
	if a.ByUnit() {
		act = auth.ReportSubmit
	}
	inScope, err := s.access.Allowed(ctx, actor, act, unit)
	switch {
	case err != nil:
		return err
	case !inScope:
		return service.ErrForbidden
	case a.ByUnit():
		if up, err := s.upward(ctx, rd, unit); err != nil || up {
			if err != nil {
				return err
			}
			return ErrProvinceAnswer
		}
		return ErrActForUnit
	}
	return ErrOwnReview
}

// conflict wraps a lost race or a step not allowed now as ErrConflict.
func conflict(err error) error {
	if errors.Is(err, store.ErrTransition) || errors.Is(err, reports.ErrStatus) {
		return fmt.Errorf("%w: %v", service.ErrConflict, err)
	}
	return err
}
