package activitysvc

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"khienso/internal/activities"
	"khienso/internal/auth"
	"khienso/internal/plans"
	"khienso/internal/service"
	"khienso/internal/store"
)

// An activity serves tasks of plans: a task it may link to is one its unit
// or a unit above it leads or coordinates (the unit reports on it), of a
// plan its author may read. The form offers exactly these and the write
// path refuses any other.

// Servable lists the tasks an activity of unit may serve when actor records
// it, in plan order; none when actor may not record for unit.
func (s *Service) Servable(ctx context.Context, actor service.Actor, unit int64) ([]*plans.Task, error) {
	if unit == 0 {
		return nil, nil
	}
	ok, err := s.access.Allowed(ctx, actor, auth.ActivityWrite, unit)
	if err != nil || !ok {
		return nil, err
	}
	return s.servable(ctx, actor, unit)
}

// servable is Servable without the write check (callers made it).
func (s *Service) servable(ctx context.Context, actor service.Actor, unit int64) ([]*plans.Task, error) {
	anc, err := s.store.Ancestors(ctx, unit, s.access.Today())
	if err != nil {
		return nil, err
	}
	if !slices.Contains(anc, unit) {
		anc = append(anc, unit)
	}
	list, err := s.store.Tasks(ctx, store.TaskFilter{Units: anc})
	if err != nil {
		return nil, err
	}
	readable := planCache{s: s, actor: actor}
	var out []*plans.Task
	for _, t := range list {
		ok, err := readable.of(ctx, t.PlanID)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// LinkedTasks lists the tasks a serves that actor may read (a task of a
// draft plan the actor may not read is left out, with its title).
func (s *Service) LinkedTasks(ctx context.Context, actor service.Actor, a *activities.Activity) ([]*plans.Task, error) {
	readable := planCache{s: s, actor: actor}
	var out []*plans.Task
	for _, id := range a.Tasks {
		t, err := s.store.Task(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		ok, err := readable.of(ctx, t.PlanID)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// Task loads task id if actor may read its plan; otherwise not found.
func (s *Service) Task(ctx context.Context, actor service.Actor, id int64) (*plans.Task, error) {
	t, err := s.store.Task(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load task %d: %w", id, err)
	}
	ok, err := (&planCache{s: s, actor: actor}).of(ctx, t.PlanID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("task %d: %w", id, store.ErrNotFound)
	}
	return t, nil
}

// Draft is the activity a blank form starts from for actor: starting today,
// quantity 1, for the actor's own unit when they record for a subtree; with
// task (0: none) preselected, and for province-wide roles the task's lead
// unit. A task the actor may not read is not found.
func (s *Service) Draft(ctx context.Context, actor service.Actor, task int64) (*activities.Activity, error) {
	if err := s.RequireWriter(actor); err != nil {
		return nil, err
	}
	a := &activities.Activity{Start: s.access.Today(), Quantity: 1}
	province := actor.System
	if p := actor.Principal; p != nil {
		province, _ = p.Scope(auth.ActivityWrite)
		if !province {
			a.UnitID = p.UnitID
		}
	}
	if task == 0 {
		return a, nil
	}
	t, err := s.Task(ctx, actor, task)
	if err != nil {
		return nil, err
	}
	a.Tasks = []int64{t.ID}
	if province && len(t.Lead) > 0 {
		ok, err := s.access.Allowed(ctx, actor, auth.ActivityWrite, t.Lead[0])
		if err != nil {
			return nil, err
		}
		if ok {
			a.UnitID = t.Lead[0]
		}
	}
	return a, nil
}

// planCache answers "may actor read plan id?" once per plan.
type planCache struct {
	s     *Service
	actor service.Actor
	seen  map[int64]bool
}

func (c *planCache) of(ctx context.Context, id int64) (bool, error) {
	if ok, done := c.seen[id]; done {
		return ok, nil
	}
	p, err := c.s.store.Plan(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load plan %d: %w", id, err)
	}
	ok, err := c.s.plans.CanRead(ctx, c.actor, p)
	if err != nil {
		return false, err
	}
	if c.seen == nil {
		c.seen = map[int64]bool{}
	}
	c.seen[id] = ok
	return ok, nil
}

// followTasks moves the status of the tasks whose activities changed, in
// the transaction that changed them (see plans.Task.FollowActivities): a
// task starts with its first activity, and goes back to not started when
// its last one goes and nothing else showed it started. The actor recorded
// the activity, so the audit entry is theirs.
func followTasks(ctx context.Context, tx *store.Tx, actor service.Actor, ids []int64) error {
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		t, linked, updates, err := tx.TaskFollowing(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue // removed with its plan meanwhile
		}
		if err != nil {
			return err
		}
		if status, moved := t.FollowActivities(linked, updates); moved {
			if err := tx.SetTaskStatus(ctx, actor.Audit(), t, status); err != nil {
				return err
			}
		}
	}
	return nil
}
