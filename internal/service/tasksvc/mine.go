package tasksvc

import (
	"context"
	"fmt"
	"sort"

	"khienso/internal/auth"
	"khienso/internal/plans"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/units"
)

// Mine is the tasks a unit leads and those it coordinates.
type Mine struct {
	Unit int64
	// Choices are the units actor may look at instead, in name order;
	// empty when actor reaches only their own unit.
	Choices []store.DirectoryUnit
	// Lead and Coord are in plan order with overdue tasks first, from the
	// plans actor may read.
	Lead, Coord []*plans.Task
}

// Mine lists the tasks unit (0: actor's own) leads and coordinates,
// counting the units merged into it. Actor may look at a unit they report
// for or whose activities they read.
func (s *Service) Mine(ctx context.Context, actor service.Actor, unit int64) (*Mine, error) {
	if err := s.access.RequireStaff(actor); err != nil {
		return nil, err
	}
	if unit == 0 {
		if actor.Principal == nil {
			return nil, fmt.Errorf("my tasks of the system: %w", service.ErrForbidden)
		}
		unit = actor.Principal.UnitID
	}
	if ok, err := s.mayFollow(ctx, actor, unit); err != nil || !ok {
		if err == nil {
			err = fmt.Errorf("tasks of unit %d: %w", unit, service.ErrForbidden)
		}
		return nil, err
	}
	m := &Mine{Unit: unit}
	var err error
	if m.Choices, err = s.mineChoices(ctx, actor); err != nil {
		return nil, err
	}
	ids := []int64{unit}
	preds, err := s.store.Predecessors(ctx, unit)
	if err != nil {
		return nil, err
	}
	for _, p := range preds {
		ids = append(ids, p.Unit.ID)
	}
	readable := map[int64]bool{}
	canRead := s.plans.Reader(actor)
	for _, role := range []string{"lead", "coord"} {
		list, err := s.store.Tasks(ctx, store.TaskFilter{Units: ids, Role: role})
		if err != nil {
			return nil, err
		}
		var out []*plans.Task
		for _, t := range list {
			ok, seen := readable[t.PlanID]
			if !seen {
				if ok, err = s.canReadPlan(ctx, canRead, t.PlanID); err != nil {
					return nil, err
				}
				readable[t.PlanID] = ok
			}
			if ok {
				out = append(out, t)
			}
		}
		today := s.Today()
		sort.SliceStable(out, func(i, j int) bool { return out[i].Overdue(today) && !out[j].Overdue(today) })
		if role == "lead" {
			m.Lead = out
		} else {
			m.Coord = out
		}
	}
	return m, nil
}

func (s *Service) canReadPlan(ctx context.Context, canRead func(context.Context, *plans.Plan) (bool, error), id int64) (bool, error) {
	p, err := s.store.Plan(ctx, id)
	if err != nil {
		return false, err
	}
	return canRead(ctx, p)
}

func (s *Service) mayFollow(ctx context.Context, actor service.Actor, unit int64) (bool, error) {
	for _, a := range auth.TaskFollow {
		ok, err := s.access.Allowed(ctx, actor, a, unit)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// mineChoices lists the units in force today that actor may follow,
// schools left out (they lead no plan tasks); nil when that is one unit.
func (s *Service) mineChoices(ctx context.Context, actor service.Actor) ([]store.DirectoryUnit, error) {
	reach := map[int64]bool{}
	all := false
	for _, a := range auth.TaskFollow {
		scope, ok, err := s.access.ScopeOf(ctx, actor, a)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		ids, err := s.access.Units(ctx, scope)
		if err != nil {
			return nil, err
		}
		all = all || ids == nil
		for _, id := range ids {
			reach[id] = true
		}
	}
	dir, err := s.store.UnitDirectory(ctx, s.Today())
	if err != nil {
		return nil, err
	}
	var out []store.DirectoryUnit
	for _, u := range dir {
		if !u.Closed && u.Type != units.TypeSchool && (all || reach[u.ID]) {
			out = append(out, u)
		}
	}
	if len(out) < 2 {
		return nil, nil
	}
	return out, nil
}
