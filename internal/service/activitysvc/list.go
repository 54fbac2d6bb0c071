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

// Filter selects activities for a list, as the caller read it from a
// request (readers report what they could not parse themselves).
type Filter struct {
	Unit     int64      // this unit and its subtree; 0: the actor's whole scope
	Year     int        // starting in this year; 0: any
	From, To dates.Date // starting on or after From, on or before To
	Type     activities.Type
	Task     int64  // serving this task
	Query    string // words of the title, literal, ignoring case and diacritics
	Limit    int
	Offset   int
	Sums     bool // also add up the figures of every matching activity
}

// Years an activity list may ask for.
const (
	MinYear = 2000
	MaxYear = 2100
)

// Page is one page of a list.
type Page struct {
	Items []*activities.Activity
	Total int
	Sums  store.ActivitySums // when Filter.Sums
	// Task is the task filtered on, when the actor may read it (the page
	// names it).
	Task *plans.Task
}

// List returns the activities f selects within actor's activity.read scope
// (their province for province-wide roles, never another province), newest
// first. A unit filter outside the scope is service.ErrForbidden; bad filter
// values are validation.Errors.
func (s *Service) List(ctx context.Context, actor service.Actor, f Filter) (*Page, error) {
	sc, ok, err := s.access.ScopeOf(ctx, actor, auth.ActivityRead)
	if err != nil {
		return nil, err
	}
	if !ok {
		if actor.Principal == nil && !actor.System {
			return nil, service.ErrUnauthenticated
		}
		return nil, service.ErrForbidden
	}
	sf, err := s.storeFilter(ctx, actor, sc, f)
	if err != nil {
		return nil, err
	}
	page := &Page{}
	if page.Items, page.Total, err = s.store.Activities(ctx, sf); err != nil {
		return nil, err
	}
	if f.Sums {
		if page.Sums, err = s.store.ActivitySumsOf(ctx, sf); err != nil {
			return nil, err
		}
	}
	if f.Task != 0 {
		if t, err := s.Task(ctx, actor, f.Task); err == nil {
			page.Task = t
		}
	}
	return page, nil
}

// storeFilter checks f and turns it into the store's filter under scope sc.
func (s *Service) storeFilter(ctx context.Context, actor service.Actor, sc service.Scope, f Filter) (store.ActivityFilter, error) {
	var errs validation.Errors
	out := store.ActivityFilter{Type: f.Type, Task: f.Task, Query: f.Query, Limit: f.Limit, Offset: f.Offset}
	if f.Year != 0 {
		if f.Year < MinYear || f.Year > MaxYear {
			errs.Add("year", "err.range", MinYear, MaxYear)
		} else {
			out.From, out.To = dates.New(f.Year, 1, 1), dates.New(f.Year, 12, 31)
		}
	}
	if !f.From.IsZero() && (out.From.IsZero() || f.From.After(out.From)) {
		out.From = f.From
	}
	if !f.To.IsZero() && (out.To.IsZero() || f.To.Before(out.To)) {
		out.To = f.To
	}
	if f.Type != "" && !activities.ValidType(f.Type) {
		errs.Add("type", "activity.err.type")
	}
	if f.Task < 0 {
		errs.Add("task", "api.err_id")
	}
	if len(errs) > 0 {
		return out, errs
	}
	var err error
	if f.Unit == 0 {
		out.Units, err = s.access.Units(ctx, sc)
		if out.Units == nil && !sc.All {
			out.Units = []int64{}
		}
		return out, err
	}
	if err := s.access.Require(ctx, actor, auth.ActivityRead, f.Unit); err != nil {
		return out, fmt.Errorf("activities of unit %d: %w", f.Unit, err)
	}
	if out.Units, err = s.store.SubtreeIDs(ctx, f.Unit, s.access.Today()); err != nil {
		return out, err
	}
	if !slices.Contains(out.Units, f.Unit) {
		out.Units = append(out.Units, f.Unit) // a closed unit keeps its records
	}
	return out, nil
}
