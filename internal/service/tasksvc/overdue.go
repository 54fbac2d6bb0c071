package tasksvc

import (
	"context"
	"slices"

	"khienso/internal/plans"
	"khienso/internal/service"
	"khienso/internal/service/plansvc"
	"khienso/internal/store"
)

// Overdue lists the overdue tasks of the plans in effect that actor
// reads (for a province-wide reader, every such plan of their province),
// the longest overdue first. One query reads the tasks of every plan.
func (s *Service) Overdue(ctx context.Context, actor service.Actor) ([]*plans.Task, error) {
	list, err := s.plans.Plans(ctx, actor, plansvc.PlanQuery{Status: plans.StatusInEffect})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(list))
	for _, p := range list {
		ids = append(ids, p.ID)
	}
	tasks, err := s.store.Tasks(ctx, store.TaskFilter{Plans: ids})
	if err != nil {
		return nil, err
	}
	today := s.Today()
	var out []*plans.Task
	for _, t := range tasks {
		if t.Overdue(today) {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b *plans.Task) int { return a.Deadline().Start().Compare(b.Deadline().Start()) })
	return out, nil
}
