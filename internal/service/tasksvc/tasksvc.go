// Package tasksvc holds the rules of a plan's task table: who reads a task
// (whoever reads its plan), who changes the table (the plan's writers), who
// reports progress and as which unit, who reads a unit's progress notes and
// evidence files, which tasks are "my unit's", and how a task table is
// imported from a plan's text: matched against the units of the plan's own
// province only, reviewed, then saved in one transaction.
package tasksvc

import (
	"context"
	"fmt"
	"slices"

	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/service"
	"khienso/internal/service/plansvc"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// Service is the tasks capability.
type Service struct {
	store  *store.Store
	access *service.Access
	plans  *plansvc.Service
}

// New returns the tasks service over st; plans decides who reads and
// writes a plan.
func New(st *store.Store, access *service.Access, plans *plansvc.Service) *Service {
	return &Service{store: st, access: access, plans: plans}
}

// Today is the current day by the service's clock.
func (s *Service) Today() dates.Date { return s.access.Today() }

// Plan loads plan id for actor (store.ErrNotFound when hidden from them).
func (s *Service) Plan(ctx context.Context, actor service.Actor, id int64) (*plans.Plan, error) {
	return s.plans.Plan(ctx, actor, id)
}

// PlanDay is the day a plan's units are looked up on: its issue date, or
// today for a draft without one.
func (s *Service) PlanDay(p *plans.Plan) dates.Date {
	if p.IssuedOn.IsZero() {
		return s.access.Today()
	}
	return p.IssuedOn
}

// Task loads task id and its plan for actor. A task is read by whoever
// reads its plan; a task of a plan hidden from actor is not found.
func (s *Service) Task(ctx context.Context, actor service.Actor, id int64) (*plans.Task, *plans.Plan, error) {
	if err := s.access.RequireStaff(actor); err != nil {
		return nil, nil, err
	}
	t, err := s.store.Task(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("load task %d: %w", id, err)
	}
	p, err := s.plans.Plan(ctx, actor, t.PlanID)
	if err != nil {
		return nil, nil, err
	}
	return t, p, nil
}

// Tasks is the task table of plan planID, in plan order.
func (s *Service) Tasks(ctx context.Context, actor service.Actor, planID int64) (*plans.Plan, []*plans.Task, error) {
	p, err := s.plans.Plan(ctx, actor, planID)
	if err != nil {
		return nil, nil, err
	}
	list, err := s.store.Tasks(ctx, store.TaskFilter{PlanID: p.ID})
	if err != nil {
		return nil, nil, err
	}
	return p, list, nil
}

// Writable loads plan planID for a change of its task table: not found
// when actor may not read it, forbidden when they may read but not write.
func (s *Service) Writable(ctx context.Context, actor service.Actor, planID int64) (*plans.Plan, error) {
	return s.plans.Writable(ctx, actor, planID)
}

// Create adds t to plan planID's task table.
func (s *Service) Create(ctx context.Context, actor service.Actor, planID int64, t *plans.Task) error {
	p, err := s.Writable(ctx, actor, planID)
	if err != nil {
		return err
	}
	t.ID, t.PlanID = 0, p.ID
	if t.Status == "" {
		t.Status = plans.TaskNotStarted
	}
	if errs, err := s.check(ctx, p, t); err != nil || len(errs) > 0 {
		return first(err, errs)
	}
	notices, err := s.assigned(ctx, p, nil, t, "/tasks/mine")
	if err != nil {
		return err
	}
	return s.store.CreateTasks(ctx, actor.Audit(), p.ID, []*plans.Task{t}, notices...)
}

// Editable loads task id and its plan for a change: not found when actor
// may not read it, forbidden when they may not write its plan.
func (s *Service) Editable(ctx context.Context, actor service.Actor, id int64) (*plans.Task, *plans.Plan, error) {
	t, p, err := s.Task(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if err := s.plans.RequireWrite(ctx, actor, p); err != nil {
		return nil, nil, err
	}
	return t, p, nil
}

// Update stores t (its content, timeframe, units, status and progress).
func (s *Service) Update(ctx context.Context, actor service.Actor, t *plans.Task) error {
	before, p, err := s.Editable(ctx, actor, t.ID)
	if err != nil {
		return err
	}
	t.PlanID = before.PlanID
	if errs, err := s.check(ctx, p, t); err != nil || len(errs) > 0 {
		return first(err, errs)
	}
	notices, err := s.assigned(ctx, p, before, t, fmt.Sprintf("/tasks/%d", t.ID))
	if err != nil {
		return err
	}
	return s.store.UpdateTask(ctx, actor.Audit(), t, notices...)
}

// Delete removes task id with its updates and evidence (linked activities
// stay).
func (s *Service) Delete(ctx context.Context, actor service.Actor, id int64) (*plans.Plan, error) {
	_, p, err := s.Editable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return p, s.store.DeleteTask(ctx, actor.Audit(), id)
}

// check validates t for plan p: its own fields, and units that belong to
// the plan's province.
func (s *Service) check(ctx context.Context, p *plans.Plan, t *plans.Task) (validation.Errors, error) {
	errs := t.Validate()
	in, err := s.provinceUnits(ctx, p)
	if err != nil {
		return nil, err
	}
	errs = append(errs, unitErrors(in, t)...)
	return errs, nil
}

// unitErrors names the lead and coordinating units outside the set in.
func unitErrors(in map[int64]bool, t *plans.Task) validation.Errors {
	var errs validation.Errors
	for _, f := range []struct {
		name string
		ids  []int64
	}{{"lead", t.Lead}, {"coord", t.Coord}} {
		if slices.ContainsFunc(f.ids, func(id int64) bool { return !in[id] }) {
			errs.Add(f.name, "task.err.unit_province")
		}
	}
	return errs
}

// first returns err, else errs as an error.
func first(err error, errs validation.Errors) error {
	if err != nil {
		return err
	}
	return errs
}

// provinceUnits is every unit of p's province, as the tree stood on the
// plan's day or stands today: a province plan names its province's units
// and never another province's, even in a database holding several.
func (s *Service) provinceUnits(ctx context.Context, p *plans.Plan) (map[int64]bool, error) {
	province, err := s.access.ProvinceOf(ctx, p.UnitID)
	if err != nil {
		return nil, err
	}
	in := map[int64]bool{}
	for _, day := range []dates.Date{s.PlanDay(p), s.access.Today()} {
		ids, err := s.store.SubtreeIDs(ctx, province, day)
		if err != nil {
			return nil, fmt.Errorf("units of province %d: %w", province, err)
		}
		for _, id := range ids {
			in[id] = true
		}
	}
	return in, nil
}

// Units is the directory of the units tasks of p may be assigned to: its
// province's units as of the plan's day (closed ones marked), in name
// order. Unit names are public; the plan was loaded for the caller.
func (s *Service) Units(ctx context.Context, p *plans.Plan) ([]store.DirectoryUnit, error) {
	in, err := s.provinceUnits(ctx, p)
	if err != nil {
		return nil, err
	}
	dir, err := s.store.UnitDirectory(ctx, s.PlanDay(p))
	if err != nil {
		return nil, err
	}
	out := dir[:0]
	for _, u := range dir {
		if in[u.ID] {
			out = append(out, u)
		}
	}
	return out, nil
}
