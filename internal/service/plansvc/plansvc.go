// Package plansvc holds the rules of plans, their indicators and the
// programme templates: who may read a plan, who may issue and change one,
// and what a plan may link to.
package plansvc

import (
	"context"
	"errors"
	"fmt"

	"khienso/internal/auth"
	"khienso/internal/plans"
	"khienso/internal/service"
	"khienso/internal/store"
)

// Service is the plans capability.
type Service struct {
	store  *store.Store
	access *service.Access
}

// New returns the plans service over st.
func New(st *store.Store, access *service.Access) *Service {
	return &Service{store: st, access: access}
}

// CanRead reports whether actor may read p. Issued plans are
// administrative documents that every staff member of the plan's province
// reads (a department must see the province plan it implements); a draft
// stays with those who may write or read its unit.
func (s *Service) CanRead(ctx context.Context, actor service.Actor, p *plans.Plan) (bool, error) {
	if actor.System {
		return true, nil
	}
	if err := s.access.RequireStaff(actor); err != nil {
		return false, nil
	}
	if p.Status != plans.StatusDraft {
		mine, err := s.access.ProvinceOf(ctx, actor.Principal.UnitID)
		if err != nil {
			return false, err
		}
		theirs, err := s.access.ProvinceOf(ctx, p.UnitID)
		if err != nil {
			return false, err
		}
		return mine == theirs, nil
	}
	for _, a := range []auth.Action{auth.PlanWrite, auth.ActivityRead} {
		ok, err := s.access.Allowed(ctx, actor, a, p.UnitID)
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
