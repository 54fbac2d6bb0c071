// Package plansvc holds the rules of plans, their indicators and the
// programme templates: who may read a plan, who may issue and change one,
// what a plan may link to, which status changes are allowed, and whose
// indicator values a caller may compute.
package plansvc

import (
	"context"
	"errors"
	"fmt"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/service"
	"khienso/internal/store"
)

// Service is the plans capability.
type Service struct {
	store    *store.Store
	access   *service.Access
	progress *progress.Service
}

// New returns the plans service over st; prog computes indicator values
// (nil: one over st).
func New(st *store.Store, access *service.Access, prog *progress.Service) *Service {
	if prog == nil {
		prog = &progress.Service{Store: st}
	}
	return &Service{store: st, access: access, progress: prog}
}

// Today is the current day by the service's clock.
func (s *Service) Today() dates.Date { return s.access.Today() }

// CanRead reports whether actor may read p. Issued plans are
// administrative documents that every staff member of the plan's province
// reads (a department must see the province plan it implements), and so do
// those who may read a draft of it; a draft stays with those who may write
// or read its unit.
func (s *Service) CanRead(ctx context.Context, actor service.Actor, p *plans.Plan) (bool, error) {
	return s.readCheck(actor).can(ctx, p)
}

// Reader is CanRead for many plans of one actor, each unit's province
// (the actor's own included) looked up once.
func (s *Service) Reader(actor service.Actor) func(context.Context, *plans.Plan) (bool, error) {
	return s.readCheck(actor).can
}

// readCheck answers CanRead for many plans of one actor, looking each
// unit's province up once.
type readCheck struct {
	s        *Service
	actor    service.Actor
	province map[int64]int64
}

func (s *Service) readCheck(actor service.Actor) *readCheck {
	return &readCheck{s: s, actor: actor, province: map[int64]int64{}}
}

func (c *readCheck) provinceOf(ctx context.Context, unit int64) (int64, error) {
	if p, ok := c.province[unit]; ok {
		return p, nil
	}
	p, err := c.s.access.ProvinceOf(ctx, unit)
	if err != nil {
		return 0, err
	}
	c.province[unit] = p
	return p, nil
}

func (c *readCheck) can(ctx context.Context, p *plans.Plan) (bool, error) {
	if c.actor.System {
		return true, nil
	}
	if err := c.s.access.RequireStaff(c.actor); err != nil {
		return false, nil
	}
	if p.Status != plans.StatusDraft {
		mine, err := c.provinceOf(ctx, c.actor.Principal.UnitID)
		if err != nil {
			return false, err
		}
		theirs, err := c.provinceOf(ctx, p.UnitID)
		if err != nil || mine == theirs {
			return mine == theirs, err
		}
		// Else as a draft: those whose scope covers the plan's unit (a
		// national coordinator reads the provinces' plans).
	}
	for _, a := range []auth.Action{auth.PlanWrite, auth.ActivityRead} {
		ok, err := c.s.access.Allowed(ctx, c.actor, a, p.UnitID)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// Plan loads plan id for actor. A plan the actor may not read answers
// store.ErrNotFound, so a hidden draft's existence does not leak.
func (s *Service) Plan(ctx context.Context, actor service.Actor, id int64) (*plans.Plan, error) {
	if err := s.access.RequireStaff(actor); err != nil {
		return nil, err
	}
	p, err := s.store.Plan(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load plan %d: %w", id, err)
	}
	ok, err := s.CanRead(ctx, actor, p)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("plan %d: %w", id, store.ErrNotFound)
	}
	return p, nil
}

// RequireWrite returns nil when actor may change p (its content, its
// indicators, its task table): the issuing unit's writers.
func (s *Service) RequireWrite(ctx context.Context, actor service.Actor, p *plans.Plan) error {
	err := s.access.Require(ctx, actor, auth.PlanWrite, p.UnitID)
	if errors.Is(err, service.ErrForbidden) {
		return fmt.Errorf("change plan %d: %w", p.ID, err)
	}
	return err
}

// CanWrite reports whether actor may change p, for pages that offer the
// editing links.
func (s *Service) CanWrite(ctx context.Context, actor service.Actor, p *plans.Plan) (bool, error) {
	return s.access.Allowed(ctx, actor, auth.PlanWrite, p.UnitID)
}

// Writable loads plan id for a change: store.ErrNotFound when actor may
// not read it, service.ErrForbidden when they may read but not change it.
func (s *Service) Writable(ctx context.Context, actor service.Actor, id int64) (*plans.Plan, error) {
	p, err := s.Plan(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := s.RequireWrite(ctx, actor, p); err != nil {
		return nil, err
	}
	return p, nil
}
