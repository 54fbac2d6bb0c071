// Package homesvc composes a signed-in user's to-do, the home page: what
// their unit must do (reports due, returned, overdue; tasks due soon and
// overdue), what they manage (open rounds with their late units,
// indicators at risk, overdue tasks of the province) and their latest
// notifications. It decides no access itself: every part comes from the
// capability's own service, which decides what the caller may see.
package homesvc

import (
	"context"
	"errors"
	"slices"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/service/notifysvc"
	"khienso/internal/service/plansvc"
	"khienso/internal/service/reportsvc"
	"khienso/internal/service/tasksvc"
	"khienso/internal/service/unitsvc"
	"khienso/internal/store"
	"khienso/internal/units"
)

// Caps of the lists: the home shows a few of each with the total and a
// link to the full list.
const (
	ListCap  = 10
	LateCap  = 5 // late units named per round
	NotifCap = 5
	// SoonDays is how far ahead a task's deadline counts as due soon.
	SoonDays = 14
)

// Service composes the home.
type Service struct {
	access  *service.Access
	reports *reportsvc.Service
	tasks   *tasksvc.Service
	plans   *plansvc.Service
	notify  *notifysvc.Service
	units   *unitsvc.Service
}

// New returns the home service over the capabilities it reads.
func New(access *service.Access, us *unitsvc.Service, rs *reportsvc.Service, ts *tasksvc.Service, ps *plansvc.Service, ns *notifysvc.Service) *Service {
	return &Service{access: access, units: us, reports: rs, tasks: ts, plans: ps, notify: ns}
}

// List is the first ListCap items of a list and how many there are.
type List[T any] struct {
	Items []T
	Total int
}

// More is how many items the list leaves out.
func (l *List[T]) More() int { return l.Total - len(l.Items) }

func (l *List[T]) add(x T, limit int) {
	l.Total++
	if len(l.Items) < limit {
		l.Items = append(l.Items, x)
	}
}

// Home is the to-do of one user on one day.
type Home struct {
	Today dates.Date
	// Place is the user's unit as it is today, named on the home.
	Place *units.Unit
	// Unit is what the user's unit must do; nil for a user who only
	// manages and whose unit has nothing to do.
	Unit *UnitTodo
	// Manage is what the user manages; nil unless they review reports.
	Manage *ManageTodo
	// Notifications are the latest few, read or not.
	Notifications []store.Notification
	Unread        int
}

// UnitTodo is what the user's unit must do.
type UnitTodo struct {
	// Due are open rounds still to submit before their deadline, soonest
	// first; Returned were sent back for changes (with the comment);
	// Overdue are past their deadline and not submitted.
	Due, Returned, Overdue List[Report]
	// TasksSoon end within SoonDays; TasksOverdue have ended unfinished.
	TasksSoon, TasksOverdue List[*plans.Task]
}

// Empty reports whether the unit has nothing to do.
func (u *UnitTodo) Empty() bool {
	return u.Due.Total+u.Returned.Total+u.Overdue.Total+u.TasksSoon.Total+u.TasksOverdue.Total == 0
}

// Report is one round a unit must act on.
type Report struct {
	Round  *reports.Round
	Unit   int64 // the unit that reports (the user's, or the province they answer for)
	Status reports.Status
	// DaysLeft is the days from today to the deadline, negative once past.
	DaysLeft int
	Comment  string // the reviewer's, when returned
}

// DaysLate is the days since the deadline (for an overdue report).
func (r Report) DaysLate() int { return -r.DaysLeft }

// ManageTodo is what a reviewer manages.
type ManageTodo struct {
	// Rounds are the open rounds they review, soonest deadline first.
	Rounds List[Round]
	// AtRisk are the indicators of the plans in effect issued by their
	// unit or province that the dashboard shows at risk this year.
	AtRisk List[Risk]
	// TasksOverdue are the overdue tasks of the plans they read.
	TasksOverdue List[*plans.Task]
}

// Round is an open round with its completeness and the units late in it.
type Round struct {
	Round        *reports.Round
	Completeness reports.Completeness
	Accepted     int
	DaysLeft     int
	Late         List[store.RoundUnitStatus] // in name order, LateCap named
}

// Risk is an indicator at risk in a plan.
type Risk struct {
	Plan   *plans.Plan
	Result progress.Result
}

// Home composes actor's to-do.
func (s *Service) Home(ctx context.Context, actor service.Actor) (*Home, error) {
	if actor.Principal == nil {
		return nil, service.ErrUnauthenticated
	}
	h := &Home{Today: s.access.Today()}
	place, _, err := s.units.Unit(ctx, actor, actor.Principal.UnitID, h.Today)
	if err != nil {
		return nil, err
	}
	h.Place = place
	page, err := s.notify.List(ctx, actor, NotifCap, 0)
	if err != nil {
		return nil, err
	}
	h.Notifications, h.Unread = page.Items, page.Unread
	idx, err := s.reports.Index(ctx, actor)
	if err != nil && !errors.Is(err, service.ErrForbidden) {
		return nil, err
	}
	if idx == nil {
		idx = &reportsvc.Index{}
	}
	unit, err := s.unitTodo(ctx, actor, idx, h.Today)
	if err != nil {
		return nil, err
	}
	if idx.Reviewer {
		if h.Manage, err = s.manageTodo(ctx, actor, idx, h.Today); err != nil {
			return nil, err
		}
	}
	// A manager sees their unit's part only when it holds something; anyone
	// else always sees it, with its empty states.
	if h.Manage == nil || !unit.Empty() {
		h.Unit = unit
	}
	return h, nil
}

// daysBetween is the number of calendar days from a to b.
func daysBetween(a, b dates.Date) int {
	return int(b.Start().Sub(a.Start()).Hours() / 24)
}

func byDeadline(a, b *reports.Round) int { return a.Deadline.Start().Compare(b.Deadline.Start()) }

func (s *Service) unitTodo(ctx context.Context, actor service.Actor, idx *reportsvc.Index, today dates.Date) (*UnitTodo, error) {
	u := &UnitTodo{}
	rows := slices.Clone(idx.Rows)
	slices.SortStableFunc(rows, func(a, b reportsvc.RoundRow) int { return byDeadline(a.Round, b.Round) })
	for _, row := range rows {
		if row.Own == nil || row.Round.Status != reports.RoundOpen {
			continue
		}
		r := Report{Round: row.Round, Unit: row.Own.Unit, Status: row.Own.Status,
			DaysLeft: daysBetween(today, row.Round.Deadline), Comment: row.Own.Comment}
		switch {
		case r.Status == reports.StatusReturned:
			u.Returned.add(r, ListCap)
		case r.Status != reports.StatusMissing && r.Status != reports.StatusDraft:
		case r.DaysLeft < 0:
			u.Overdue.add(r, ListCap)
		default:
			u.Due.add(r, ListCap)
		}
	}
	if !actor.Principal.Staff() {
		return u, nil
	}
	mine, err := s.tasks.Mine(ctx, actor, 0)
	if errors.Is(err, service.ErrForbidden) {
		return u, nil
	}
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var tasks []*plans.Task
	for _, t := range append(slices.Clone(mine.Lead), mine.Coord...) {
		if !seen[t.ID] {
			seen[t.ID] = true
			tasks = append(tasks, t)
		}
	}
	slices.SortStableFunc(tasks, func(a, b *plans.Task) int { return a.Deadline().Start().Compare(b.Deadline().Start()) })
	soon := today.AddDays(SoonDays)
	for _, t := range tasks {
		d := t.Deadline()
		switch {
		case t.Overdue(today):
			u.TasksOverdue.add(t, ListCap)
		case d.IsZero() || d.After(soon) || t.Status == plans.TaskDone || t.Status == plans.TaskCancelled:
		default:
			u.TasksSoon.add(t, ListCap)
		}
	}
	return u, nil
}

func (s *Service) manageTodo(ctx context.Context, actor service.Actor, idx *reportsvc.Index, today dates.Date) (*ManageTodo, error) {
	m := &ManageTodo{}
	var open []reportsvc.RoundRow
	for _, row := range idx.Rows {
		if row.Completeness != nil && row.Round.Status == reports.RoundOpen {
			open = append(open, row)
		}
	}
	slices.SortStableFunc(open, func(a, b reportsvc.RoundRow) int { return byDeadline(a.Round, b.Round) })
	for _, row := range open {
		r := Round{Round: row.Round, Completeness: *row.Completeness, Accepted: row.Completeness.ByStatus[reports.StatusAccepted], DaysLeft: daysBetween(today, row.Round.Deadline)}
		// The late units are read only for the rounds shown.
		if len(m.Rounds.Items) < ListCap && row.Completeness.Late > 0 {
			v, err := s.reports.Round(ctx, actor, row.Round.ID)
			if err != nil {
				return nil, err
			}
			for _, st := range v.Units {
				if st.Late {
					r.Late.add(st, LateCap)
				}
			}
		}
		m.Rounds.add(r, ListCap)
	}
	if err := s.atRisk(ctx, actor, m, today); err != nil {
		return nil, err
	}
	tasks, err := s.tasks.Overdue(ctx, actor)
	if err != nil && !errors.Is(err, service.ErrForbidden) {
		return nil, err
	}
	for _, t := range tasks {
		m.TasksOverdue.add(t, ListCap)
	}
	return m, nil
}

// atRisk adds the indicators at risk of the plans in effect this year
// issued by actor's unit or province, as the dashboard computes them for
// its default view.
func (s *Service) atRisk(ctx context.Context, actor service.Actor, m *ManageTodo, today dates.Date) error {
	if ok, err := s.access.Allowed(ctx, actor, auth.ActivityRead, actor.Principal.UnitID); err != nil || !ok {
		return err
	}
	province, err := s.access.ProvinceOf(ctx, actor.Principal.UnitID)
	if err != nil {
		return err
	}
	list, err := s.plans.Plans(ctx, actor, plansvc.PlanQuery{Status: plans.StatusInEffect, Year: today.Year()})
	if err != nil {
		return err
	}
	for _, p := range list {
		if p.UnitID != province && p.UnitID != actor.Principal.UnitID {
			continue
		}
		v, err := s.plans.Values(ctx, actor, p.ID, plansvc.Query{}, false)
		if errors.Is(err, service.ErrForbidden) {
			continue
		}
		if err != nil {
			return err
		}
		for i, r := range v.Results {
			// A part of a higher unit's value is not judged (see
			// plansvc.Contribution).
			if r.Err == nil && r.Progress.Status == indicators.AtRisk && v.Contributions == nil {
				m.AtRisk.add(Risk{Plan: p, Result: v.Results[i]}, ListCap)
			}
		}
	}
	return nil
}
