package plansvc

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// Query is what an indicator computation looks at.
type Query struct {
	// Year is the year looked at; 0 is the default.
	Year int
	// Unit is the subtree measured; 0 is the default: the plan's province
	// for province-wide readers, else the reader's own unit.
	Unit int64
	// AnyYear accepts any year 2000–2100 (default this year), as the API
	// does; otherwise the year must lie in the plan's period (default this
	// year brought into it), as the dashboard's year picker offers.
	AnyYear bool
}

// BadQuery is a Query that cannot be answered (a year out of range): the
// request's parameters are wrong rather than a submitted form.
type BadQuery struct{ Errs validation.Errors }

func (e *BadQuery) Error() string { return "bad indicator query: " + e.Errs.Error() }

// View is a plan looked at for a year and a unit subtree, after access
// was checked.
type View struct {
	Plan  *plans.Plan
	Year  int
	Years []int // the plan's years, for pickers
	Unit  *units.Unit
	Day   dates.Date // the day the unit tree is taken as of
	Today dates.Date
}

// RefDay is the day whose tree a year is shown with: its last day once
// over, today while it runs, its first day if it is still to come.
func RefDay(year int, today dates.Date) dates.Date {
	switch {
	case year < today.Year():
		return dates.New(year, 12, 31)
	case year > today.Year():
		return dates.New(year, 1, 1)
	}
	return today
}

// DefaultYear is the current year brought into the plan's period.
func DefaultYear(p *plans.Plan, today dates.Date) int {
	return min(max(today.Year(), p.YearFrom), p.YearTo)
}

// view resolves q on plan id: actor must read the plan (else not found)
// and the indicator values of the unit (activity.read).
func (s *Service) view(ctx context.Context, actor service.Actor, id int64, q Query) (*View, error) {
	p, err := s.Plan(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	v := &View{Plan: p, Today: today, Year: q.Year}
	for y := p.YearFrom; y <= p.YearTo; y++ {
		v.Years = append(v.Years, y)
	}
	var errs validation.Errors
	switch {
	case q.AnyYear && v.Year == 0:
		v.Year = today.Year()
	case q.AnyYear:
		if v.Year < 2000 || v.Year > 2100 {
			errs.Add("year", "err.range", 2000, 2100)
		}
	case v.Year == 0:
		v.Year = DefaultYear(p, today)
	case v.Year < p.YearFrom || v.Year > p.YearTo:
		errs.Add("year", "dash.err.year", p.YearFrom, p.YearTo)
	}
	if len(errs) > 0 {
		return nil, &BadQuery{Errs: errs}
	}
	unit := q.Unit
	if unit == 0 {
		if unit, err = s.defaultUnit(ctx, actor, p); err != nil {
			return nil, err
		}
	}
	v.Day = RefDay(v.Year, today)
	// An unknown unit is not found; a known one out of reach is refused
	// (the directory's public fields are no secret).
	if v.Unit, err = s.store.Unit(ctx, unit, v.Day); err != nil {
		return nil, fmt.Errorf("unit %d on %s: %w", unit, v.Day.ISO(), err)
	}
	if err := s.access.Require(ctx, actor, auth.ActivityRead, unit); err != nil {
		return nil, fmt.Errorf("indicator values of unit %d: %w", unit, err)
	}
	return v, nil
}

// defaultUnit is the plan's province for province-wide readers (and the
// system), else the reader's own unit.
func (s *Service) defaultUnit(ctx context.Context, actor service.Actor, p *plans.Plan) (int64, error) {
	if actor.Principal != nil {
		if province, _ := actor.Principal.Scope(auth.ActivityRead); !province {
			return actor.Principal.UnitID, nil
		}
	}
	return s.access.ProvinceOf(ctx, p.UnitID)
}

// Values is every indicator of a plan computed for a view.
type Values struct {
	*View
	Results []progress.Result
	// Series holds each indicator's values over the plan's years up to
	// this one (Results[i]'s in Series[i]), when asked for.
	Series [][]progress.Point
	// Contributions, when the unit lies below the plan's (the level its
	// targets were set for), are Results[i]'s parts of the plan unit's
	// values: shown instead of an assessment.
	Contributions []Contribution
}

// Contribution is a unit's value set against the value of the unit a
// target was set for: a provincial target is not judged against one
// commune.
type Contribution struct {
	// Of is the plan's unit; Total its value, when the reader may read it.
	Of       *units.Unit
	Total    *progress.Result
	Share    float64 // of Total, 0–1, when HasShare
	HasShare bool
}

// contributions sets each of results against the plan unit's value, when
// v's unit lies below the plan's; nil otherwise (the unit is judged
// against the targets).
func (s *Service) contributions(ctx context.Context, actor service.Actor, v *View, inds []*plans.Indicator, results []progress.Result) ([]Contribution, error) {
	if v.Unit.ID == v.Plan.UnitID {
		return nil, nil
	}
	anc, err := s.store.Ancestors(ctx, v.Unit.ID, v.Day)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(anc, v.Plan.UnitID) {
		return nil, nil
	}
	of, err := s.store.Unit(ctx, v.Plan.UnitID, v.Day)
	if err != nil {
		return nil, fmt.Errorf("plan %d's unit %d: %w", v.Plan.ID, v.Plan.UnitID, err)
	}
	out := make([]Contribution, len(results))
	for i := range out {
		out[i].Of = of
	}
	// A reader below the plan's unit (a commune's focal point) sees the
	// contribution without the totals it may not read.
	if ok, err := s.access.Allowed(ctx, actor, auth.ActivityRead, of.ID); err != nil || !ok {
		return out, err
	}
	totals, err := s.progress.Plan(ctx, v.Plan, inds, of.ID, v.Year, v.Today)
	if err != nil {
		return nil, err
	}
	for i, r := range results {
		out[i].Total = &totals[i]
		out[i].Share, out[i].HasShare = indicators.Share(r.Value, r.Defined && r.Err == nil, totals[i].Value, totals[i].Defined, r.Basis.Ratio)
	}
	return out, nil
}

// Values computes plan id's indicators for q; series adds the values over
// the years for the charts.
func (s *Service) Values(ctx context.Context, actor service.Actor, id int64, q Query, series bool) (*Values, error) {
	v, err := s.view(ctx, actor, id, q)
	if err != nil {
		return nil, err
	}
	inds, err := s.store.Indicators(ctx, v.Plan.ID)
	if err != nil {
		return nil, err
	}
	out := &Values{View: v}
	if out.Results, err = s.progress.Plan(ctx, v.Plan, inds, v.Unit.ID, v.Year, v.Today); err != nil {
		return nil, err
	}
	if out.Contributions, err = s.contributions(ctx, actor, v, inds, out.Results); err != nil {
		return nil, err
	}
	if series {
		known := map[int][]progress.Result{v.Year: out.Results}
		if out.Series, err = s.progress.Series(ctx, v.Plan, inds, v.Unit.ID, v.Today, known); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Breakdown is one indicator computed for each child of a view's unit.
type Breakdown struct {
	*View
	Indicator *plans.Indicator
	// Result is the indicator for the whole subtree; Result.Err is set when
	// the stored formula no longer parses, and Rows is then empty.
	Result progress.Result
	// Ratio tells that values are rates, which do not add up to shares.
	Ratio bool
	// Rows are the children, highest value first, then the unit's own
	// records (Own).
	Rows []progress.BreakdownRow
	// Contribution is set when the unit lies below the plan's: Result is
	// then a part of the plan unit's value, not judged against the target.
	Contribution *Contribution
	// Series is the indicator's values over the plan's years up to this
	// one, when asked for (the page's chart).
	Series []progress.Point
}

// Breakdown computes indicator ind of plan id under q's unit, child by
// child; an indicator of another plan is not found. series adds its values
// over the years.
func (s *Service) Breakdown(ctx context.Context, actor service.Actor, id, ind int64, q Query, series bool) (*Breakdown, error) {
	v, err := s.view(ctx, actor, id, q)
	if err != nil {
		return nil, err
	}
	i, err := s.store.Indicator(ctx, ind)
	if err != nil {
		return nil, fmt.Errorf("load indicator %d: %w", ind, err)
	}
	if i.PlanID != v.Plan.ID {
		return nil, fmt.Errorf("indicator %d of plan %d: %w", ind, v.Plan.ID, store.ErrNotFound)
	}
	out := &Breakdown{View: v, Indicator: i}
	res, err := s.progress.Plan(ctx, v.Plan, []*plans.Indicator{i}, v.Unit.ID, v.Year, v.Today)
	if err != nil {
		return nil, err
	}
	out.Result = res[0]
	if out.Result.Err != nil {
		return out, nil
	}
	cs, err := s.contributions(ctx, actor, v, []*plans.Indicator{i}, res)
	if err != nil {
		return nil, err
	}
	if len(cs) > 0 {
		out.Contribution = &cs[0]
	}
	f, err := progress.Parse(i.Formula)
	if err != nil {
		out.Result.Err = err
		return out, nil
	}
	out.Ratio = f.IsRatio()
	if out.Rows, err = s.progress.Breakdown(ctx, v.Plan, i, v.Unit.ID, v.Year, v.Today); err != nil {
		return nil, err
	}
	if series {
		known := map[int][]progress.Result{v.Year: res}
		all, err := s.progress.Series(ctx, v.Plan, []*plans.Indicator{i}, v.Unit.ID, v.Today, known)
		if err != nil {
			return nil, err
		}
		out.Series = all[0]
	}
	return out, nil
}

// Crumb is one ancestor of a view's unit; Readable tells whether actor may
// look at its values (a link), or only read its name.
type Crumb struct {
	ID       int64
	Name     string
	Readable bool
}

// Chain lists the ancestors of v's unit, root first, ending with the unit
// itself (not Readable: it is the one shown).
func (s *Service) Chain(ctx context.Context, actor service.Actor, v *View) ([]Crumb, error) {
	anc, err := s.store.Ancestors(ctx, v.Unit.ID, v.Day)
	if err != nil {
		return nil, err
	}
	out := make([]Crumb, 0, len(anc))
	for i := len(anc) - 1; i >= 0; i-- {
		id := anc[i]
		name := v.Unit.Name
		if id != v.Unit.ID {
			u, err := s.store.Unit(ctx, id, v.Day)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			name = u.Name
		}
		ok, err := s.access.Allowed(ctx, actor, auth.ActivityRead, id)
		if err != nil {
			return nil, err
		}
		out = append(out, Crumb{ID: id, Name: name, Readable: ok && id != v.Unit.ID})
	}
	return out, nil
}
