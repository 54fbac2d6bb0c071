package plansvc

import (
	"context"
	"fmt"

	"khienso/internal/plans"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// Indicators lists the indicator definitions of plan id for a reader.
func (s *Service) Indicators(ctx context.Context, actor service.Actor, id int64) (*plans.Plan, []*plans.Indicator, error) {
	p, err := s.Plan(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	inds, err := s.store.Indicators(ctx, p.ID)
	if err != nil {
		return nil, nil, err
	}
	return p, inds, nil
}

// Indicator loads indicator id for a reader of its plan; another unit's
// draft's indicators are not found.
func (s *Service) Indicator(ctx context.Context, actor service.Actor, id int64) (*plans.Indicator, error) {
	if err := s.access.RequireStaff(actor); err != nil {
		return nil, err
	}
	ind, err := s.store.Indicator(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load indicator %d: %w", id, err)
	}
	if _, err := s.Plan(ctx, actor, ind.PlanID); err != nil {
		return nil, err
	}
	return ind, nil
}

// CheckIndicator returns what saving ind would refuse, as the indicator
// form shows it: its own fields, the formula (with the column of the
// error) and the target, and, when plan is set, a code the plan already
// uses. ind is normalised as saving would (codes lower-cased, text
// trimmed). The error is about the call itself (access, an unknown plan).
func (s *Service) CheckIndicator(ctx context.Context, actor service.Actor, plan int64, ind *plans.Indicator) (validation.Errors, error) {
	if err := s.access.RequireStaff(actor); err != nil {
		return nil, err
	}
	if plan != 0 {
		if _, err := s.Plan(ctx, actor, plan); err != nil {
			return nil, err
		}
	}
	return s.check(ctx, plan, ind)
}

// check is every error of ind as an indicator of plan (0: of no plan
// yet), the one rule CheckIndicator and SaveIndicator share.
func (s *Service) check(ctx context.Context, plan int64, ind *plans.Indicator) (validation.Errors, error) {
	errs := indicatorErrors(ind)
	if plan == 0 || ind.Code == "" {
		return errs, nil
	}
	// The unique index refuses a duplicate code too (a concurrent save);
	// checking here lists it with the other errors.
	list, err := s.store.Indicators(ctx, plan)
	if err != nil {
		return nil, err
	}
	for _, other := range list {
		if other.Code == ind.Code && other.ID != ind.ID {
			errs.Add("code", "indicator.err.code_taken")
			break
		}
	}
	return errs, nil
}

// SaveIndicator adds ind to plan (ind.ID 0) or replaces indicator ind.ID
// of that plan; an indicator of another plan is not found. A new
// indicator goes last unless it has a position.
func (s *Service) SaveIndicator(ctx context.Context, actor service.Actor, plan int64, ind *plans.Indicator) error {
	p, err := s.Writable(ctx, actor, plan)
	if err != nil {
		return err
	}
	if ind.ID != 0 {
		before, err := s.store.Indicator(ctx, ind.ID)
		if err != nil {
			return err
		}
		if before.PlanID != p.ID {
			return fmt.Errorf("indicator %d of plan %d: %w", ind.ID, p.ID, store.ErrNotFound)
		}
		if ind.Position == 0 {
			ind.Position = before.Position
		}
	}
	ind.PlanID = p.ID
	errs, err := s.check(ctx, p.ID, ind)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return errs
	}
	return s.store.SaveIndicator(ctx, actor.Audit(), ind)
}

// DeleteIndicator removes indicator id. plan, when set, is the plan the
// caller names it under: another plan's indicator is not found.
func (s *Service) DeleteIndicator(ctx context.Context, actor service.Actor, plan, id int64) error {
	if err := s.access.RequireStaff(actor); err != nil {
		return err
	}
	ind, err := s.store.Indicator(ctx, id)
	if err != nil {
		return fmt.Errorf("load indicator %d: %w", id, err)
	}
	if plan != 0 && ind.PlanID != plan {
		return fmt.Errorf("indicator %d of plan %d: %w", id, plan, store.ErrNotFound)
	}
	if _, err := s.Writable(ctx, actor, ind.PlanID); err != nil {
		return err
	}
	return s.store.DeleteIndicator(ctx, actor.Audit(), id)
}
