package tasksvc

import (
	"context"
	"fmt"
	"slices"

	"khienso/internal/plans"
	"khienso/internal/store"
)

// noticeText bounds how much of a task's content a notification quotes.
const noticeText = 160

// assigned are the notices telling the focal points of each unit that t
// now names (as lead or coordinating unit) and before did not (nil: a new
// task). A draft plan's tasks are hidden from the units, so they are told
// nothing yet.
func (s *Service) assigned(ctx context.Context, p *plans.Plan, before, t *plans.Task, link string) ([]store.Notice, error) {
	if p.Status == plans.StatusDraft {
		return nil, nil
	}
	var had []int64
	if before != nil {
		had = append(slices.Clone(before.Lead), before.Coord...)
	}
	var out []store.Notice
	seen := map[int64]bool{}
	for _, u := range append(slices.Clone(t.Lead), t.Coord...) {
		if seen[u] || slices.Contains(had, u) {
			continue
		}
		seen[u] = true
		unit, err := s.store.Unit(ctx, u, s.Today())
		if err != nil {
			return nil, fmt.Errorf("unit %d of a task notice: %w", u, err)
		}
		out = append(out, store.Notice{Units: []int64{u}, Key: "notif.task_assigned", Link: link, Email: true,
			Args: []string{Quote(t.Content), p.Title, unit.Name}})
	}
	return out, nil
}

// Quote is the start of a task's content as notifications cite it.
func Quote(content string) string {
	r := []rune(content)
	if len(r) <= noticeText {
		return content
	}
	return string(r[:noticeText-1]) + "…"
}

// DueSoonDays is how many days before its due day a task's units are
// told it is due.
const DueSoonDays = 3

// NoticePass tells the focal points of the units of every unfinished task
// due within DueSoonDays that it is due soon, and, from the day after its
// due day, that it is overdue: each once (a maintenance pass that every
// instance runs). It returns how many notices it made.
func (s *Service) NoticePass(ctx context.Context) (int, error) {
	today := s.Today()
	due, err := s.store.DueTasks(ctx, today, DueSoonDays)
	if err != nil {
		return 0, err
	}
	made := 0
	for _, d := range due {
		n := store.Notice{Units: d.Units, Key: "notif.task_" + d.Kind, Args: []string{Quote(d.Content), d.Due.ISO()},
			Link: fmt.Sprintf("/tasks/%d", d.TaskID), Email: true}
		ok, err := s.store.NotifyTaskDue(ctx, d, n)
		if err != nil {
			return made, err
		}
		if ok {
			made++
		}
	}
	return made, nil
}
