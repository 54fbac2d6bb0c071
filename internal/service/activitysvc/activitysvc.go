// Package activitysvc holds the rules of recorded activities: who may
// record, change, delete and read an activity (activity.write and
// activity.read on its unit, within the caller's province), which tasks an
// activity may serve, what a list may show, and how a file of activities
// is imported (every row checked, all or nothing unless asked otherwise).
package activitysvc

import (
	"context"
	"fmt"
	"slices"

	"khienso/internal/activities"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// PlanReader tells whether an actor may read a plan (plansvc.Service does):
// an activity links only to tasks of plans its author may read.
type PlanReader interface {
	CanRead(ctx context.Context, actor service.Actor, p *plans.Plan) (bool, error)
}

// Service is the activities capability.
type Service struct {
	store  *store.Store
	access *service.Access
	plans  PlanReader
}

// New returns the activities service over st.
func New(st *store.Store, access *service.Access, plans PlanReader) *Service {
	return &Service{store: st, access: access, plans: plans}
}

// Today is the current day by the service's clock (forms start on it).
func (s *Service) Today() dates.Date { return s.access.Today() }

// RequireWriter returns nil when actor records activities somewhere: the
// new-activity form, the import page and its template need it.
func (s *Service) RequireWriter(actor service.Actor) error {
	switch {
	case actor.System:
		return nil
	case actor.Principal == nil:
		return service.ErrUnauthenticated
	case !actor.Principal.Can(auth.ActivityWrite):
		return service.ErrForbidden
	}
	return nil
}

// PickerRoot is the unit under which actor may do act (activity.read for
// list filters, activity.write for the form), for the unit pickers: the
// province for province-wide roles, the actor's unit otherwise; 0 when the
// scope is every unit in the database (the system, or a province-wide role
// in a database holding one province).
func (s *Service) PickerRoot(ctx context.Context, actor service.Actor, act auth.Action) (int64, error) {
	sc, ok, err := s.access.ScopeOf(ctx, actor, act)
	if err != nil {
		return 0, err
	}
	if !ok {
		if actor.Principal == nil {
			return 0, service.ErrUnauthenticated
		}
		return 0, service.ErrForbidden
	}
	if sc.All {
		return 0, nil
	}
	return sc.Root, nil
}

// Get loads activity id for actor. One the actor may not read answers
// store.ErrNotFound, so its existence does not leak across units.
func (s *Service) Get(ctx context.Context, actor service.Actor, id int64) (*activities.Activity, error) {
	if !actor.System && actor.Principal == nil {
		return nil, service.ErrUnauthenticated
	}
	a, err := s.store.Activity(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load activity %d: %w", id, err)
	}
	ok, err := s.access.Allowed(ctx, actor, auth.ActivityRead, a.UnitID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("activity %d: %w", id, store.ErrNotFound)
	}
	return a, nil
}

// Editable loads activity id for a change by actor: not found when the
// actor may not read it, forbidden when they read but may not write it.
func (s *Service) Editable(ctx context.Context, actor service.Actor, id int64) (*activities.Activity, error) {
	a, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := s.access.Require(ctx, actor, auth.ActivityWrite, a.UnitID); err != nil {
		return nil, fmt.Errorf("change activity %d: %w", id, err)
	}
	return a, nil
}

// CanWrite reports whether actor may change or delete a (the detail page
// offers the buttons).
func (s *Service) CanWrite(ctx context.Context, actor service.Actor, a *activities.Activity) (bool, error) {
	return s.access.Allowed(ctx, actor, auth.ActivityWrite, a.UnitID)
}

// Create records a for actor. found holds what the caller's reader already
// found wrong with the input (a date it could not read…): the service adds
// its own findings and returns them all as validation.Errors. Recording for
// a unit outside the actor's write scope is service.ErrForbidden.
func (s *Service) Create(ctx context.Context, actor service.Actor, a *activities.Activity, found validation.Errors) error {
	if err := s.RequireWriter(actor); err != nil {
		return err
	}
	if err := s.requireUnit(ctx, actor, a.UnitID); err != nil {
		return err
	}
	if err := s.check(ctx, actor, a, found); err != nil {
		return err
	}
	return s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateActivity(ctx, actor.Audit(), a); err != nil {
			return err
		}
		return followTasks(ctx, tx, actor, a.Tasks)
	})
}

// Update replaces activity id with a for actor: the actor must write both
// the activity's unit and the unit it moves to. found is as for Create.
func (s *Service) Update(ctx context.Context, actor service.Actor, id int64, a *activities.Activity, found validation.Errors) error {
	before, err := s.Editable(ctx, actor, id)
	if err != nil {
		return err
	}
	if a.UnitID != before.UnitID {
		if err := s.requireUnit(ctx, actor, a.UnitID); err != nil {
			return err
		}
	}
	a.ID = id
	if err := s.check(ctx, actor, a, found); err != nil {
		return err
	}
	return s.store.Tx(ctx, func(tx *store.Tx) error {
		was, err := tx.UpdateActivity(ctx, actor.Audit(), a)
		if err != nil {
			return err
		}
		return followTasks(ctx, tx, actor, append(slices.Clone(was.Tasks), a.Tasks...))
	})
}

// Delete removes activity id and its share of the totals.
func (s *Service) Delete(ctx context.Context, actor service.Actor, id int64) error {
	if _, err := s.Editable(ctx, actor, id); err != nil {
		return err
	}
	return s.store.Tx(ctx, func(tx *store.Tx) error {
		was, err := tx.DeleteActivity(ctx, actor.Audit(), id)
		if err != nil {
			return err
		}
		return followTasks(ctx, tx, actor, was.Tasks)
	})
}

// requireUnit checks that actor may record for unit (0, a missing unit, is
// left to validation).
func (s *Service) requireUnit(ctx context.Context, actor service.Actor, unit int64) error {
	if unit == 0 {
		return nil
	}
	if err := s.access.Require(ctx, actor, auth.ActivityWrite, unit); err != nil {
		return fmt.Errorf("record for unit %d: %w", unit, err)
	}
	return nil
}

// check returns found plus what is wrong with a: tasks it may not serve,
// then the domain's rules (without repeating a field already reported).
func (s *Service) check(ctx context.Context, actor service.Actor, a *activities.Activity, found validation.Errors) error {
	errs := append(validation.Errors(nil), found...)
	if len(a.Tasks) > 0 && a.UnitID != 0 && !errs.Has("tasks") {
		servable, err := s.servable(ctx, actor, a.UnitID)
		if err != nil {
			return err
		}
		for _, id := range a.Tasks {
			if !slices.ContainsFunc(servable, func(t *plans.Task) bool { return t.ID == id }) {
				errs.Add("tasks", "activity.err.task")
				break
			}
		}
	}
	probe := *a
	for _, e := range probe.ValidateOn(s.access.Today()) {
		if !errs.Has(e.Field) {
			errs.Add(e.Field, e.Reason, e.Args...)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
