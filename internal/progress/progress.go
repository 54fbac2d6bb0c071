// Package progress computes a plan's indicators live for any unit subtree
// and year: values from the maintained activity totals, accepted report
// figures and the unit directory, compared with their targets.
package progress

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/reports"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// Service computes from the store. It keeps derived data in memory but
// checks it against the database's versions on every computation (see
// cache.go), so every instance computes the same values. Use it by
// pointer; one per process shares the cache.
type Service struct {
	Store *store.Store
	cache cache
}

// Period is a closed range of whole years.
type Period struct{ FromYear, ToYear int }

func (p Period) Start() dates.Date { return dates.New(p.FromYear, 1, 1) }
func (p Period) End() dates.Date   { return dates.New(p.ToYear, 12, 31) }

// refDay is the day whose unit tree a period is measured with: its last
// day, or today while it runs.
func (p Period) refDay(today dates.Date) dates.Date {
	if end := p.End(); end.Before(today) {
		return end
	}
	if today.Before(p.Start()) {
		return p.Start()
	}
	return today
}

// Result is one indicator's standing.
type Result struct {
	Indicator *plans.Indicator
	Period    Period // the period the value covers
	Target    indicators.Target
	Value     float64
	Defined   bool
	Progress  indicators.Progress
	Err       error // the stored formula no longer parses
	Basis     Basis
}

// Part is a value with how many units' data it rests on.
type Part struct {
	Value   float64
	Defined bool
	// Units counts the units whose data enter the value: those with a
	// part in one of its measures (the most of any measure, since units
	// are counted measure by measure).
	Units int
}

// Basis is what a value rests on: the units whose data enter it and, for
// a ratio, its numerator and denominator (a rate alone hides whether it
// is 3 of 4 or 300 of 400).
type Basis struct {
	Units    int
	Ratio    bool
	Num, Den Part
}

// basis computes f's basis from its measures' values and unit counts.
func basis(f *indicators.Formula, keys map[string]int, vals []float64, units []int) Basis {
	part := func(g *indicators.Formula) Part {
		p := Part{}
		p.Value, p.Defined = evaluate(g, keys, vals)
		for _, k := range g.Keys() {
			if i, ok := keys[k]; ok && i < len(units) {
				p.Units = max(p.Units, units[i])
			}
		}
		return p
	}
	b := Basis{Units: part(f).Units}
	if num, den, ok := f.Ratio(); ok {
		b.Ratio, b.Num, b.Den = true, part(num), part(den)
	}
	return b
}

// IndicatorPeriod is what an indicator is measured over when looking at
// year: that year for yearly targets; for cumulative ones, from the plan's
// first year to year (attainment is judged against the whole plan).
func IndicatorPeriod(p *plans.Plan, ind *plans.Indicator, year int) (value, target Period) {
	if ind.Period == plans.PeriodCumulative {
		return Period{p.YearFrom, year}, Period{p.YearFrom, p.YearTo}
	}
	return Period{year, year}, Period{year, year}
}

// Vocabulary checks report fields against the templates in use (any
// well-formed code is accepted: templates can be added after a formula).
var Vocabulary = indicators.DefaultVocabulary(nil)

// Parse parses an indicator's formula with the product vocabulary.
func Parse(src string) (*indicators.Formula, error) { return indicators.Parse(src, Vocabulary) }

type parsed struct {
	ind      *plans.Indicator
	formula  *indicators.Formula
	err      error
	measures []indicators.Measure
}

// Plan computes every indicator of a plan for a subtree and a year.
func (s *Service) Plan(ctx context.Context, p *plans.Plan, inds []*plans.Indicator, root int64, year int, today dates.Date) ([]Result, error) {
	// Indicators measured over the same period share one computation.
	byPeriod := map[Period][]parsed{}
	var order []Period
	results := make([]Result, len(inds))
	index := map[*plans.Indicator]int{}
	for i, ind := range inds {
		index[ind] = i
		valuePer, targetPer := IndicatorPeriod(p, ind, year)
		results[i] = Result{Indicator: ind, Period: valuePer,
			Target: indicators.Target{Comparison: indicators.Comparison(ind.Comparison), Value: ind.Value, Max: ind.Max}}
		f, err := Parse(ind.Formula)
		if err != nil {
			results[i].Err = err
			results[i].Progress = indicators.Assess(results[i].Target, 0, false, targetPer.Start(), targetPer.End(), today)
			continue
		}
		if _, ok := byPeriod[valuePer]; !ok {
			order = append(order, valuePer)
		}
		byPeriod[valuePer] = append(byPeriod[valuePer], parsed{ind: ind, formula: f, measures: f.Measures()})
	}
	type group struct {
		keys  map[string]int
		vals  [][]float64
		units [][]int
	}
	groups := make([]group, len(order))
	jobs := make([]job, len(order))
	for g, per := range order {
		keys := map[string]int{}
		var measures []indicators.Measure
		for _, x := range byPeriod[per] {
			for _, m := range x.measures {
				if _, ok := keys[m.Key()]; !ok {
					keys[m.Key()] = len(measures)
					measures = append(measures, m)
				}
			}
		}
		groups[g].keys = keys
		jobs[g] = job{per: per, plan: p.ID, measures: measures, roots: []int64{root}, dst: &groups[g].vals, units: &groups[g].units}
	}
	if len(jobs) > 0 {
		if err := s.compute(ctx, jobs, today); err != nil {
			return nil, fmt.Errorf("compute plan %d indicators for %d: %w", p.ID, year, err)
		}
	}
	for g, per := range order {
		for _, x := range byPeriod[per] {
			r := &results[index[x.ind]]
			r.Value, r.Defined = evaluate(x.formula, groups[g].keys, groups[g].vals[0])
			r.Basis = basis(x.formula, groups[g].keys, groups[g].vals[0], groups[g].units[0])
			_, targetPer := IndicatorPeriod(p, x.ind, year)
			r.Progress = indicators.Assess(r.Target, r.Value, r.Defined, targetPer.Start(), targetPer.End(), today)
		}
	}
	return results, nil
}

func evaluate(f *indicators.Formula, keys map[string]int, vals []float64) (float64, bool) {
	m := make(map[string]float64, len(keys))
	for k, i := range keys {
		m[k] = vals[i]
	}
	return f.Eval(m)
}

// BreakdownRow is an indicator's value for one child unit (or, with
// UnitID = root, for the root's own records).
type BreakdownRow struct {
	UnitID   int64
	Name     string
	Code     string
	Own      bool // the parent's own records, not a child
	Children int
	Value    float64
	Defined  bool
	Basis    Basis
}

// Breakdown computes one indicator for each child of root as the tree stood
// in the period, plus root's own records, sorted by value (highest first).
func (s *Service) Breakdown(ctx context.Context, p *plans.Plan, ind *plans.Indicator, root int64, year int, today dates.Date) ([]BreakdownRow, error) {
	f, err := Parse(ind.Formula)
	if err != nil {
		return nil, err
	}
	per, _ := IndicatorPeriod(p, ind, year)
	day := per.refDay(today)
	children, err := s.Store.Children(ctx, root, day)
	if err != nil {
		return nil, err
	}
	rootUnit, err := s.Store.Unit(ctx, root, day)
	if err != nil {
		return nil, err
	}
	rows := make([]BreakdownRow, 0, len(children)+1)
	roots := make([]int64, 0, len(children)+1)
	for _, c := range children {
		rows = append(rows, BreakdownRow{UnitID: c.ID, Name: c.Name, Code: c.Code, Children: c.ChildCount})
		roots = append(roots, c.ID)
	}
	own := len(children)
	rows = append(rows, BreakdownRow{UnitID: root, Name: rootUnit.Name, Code: rootUnit.Code, Own: true})
	roots = append(roots, root)
	measures := f.Measures()
	keys := map[string]int{}
	for i, m := range measures {
		keys[m.Key()] = i
	}
	var vals [][]float64
	var units [][]int
	if err := s.compute(ctx, []job{{per: per, plan: p.ID, measures: measures, roots: roots, dst: &vals, units: &units}}, today); err != nil {
		return nil, err
	}
	// The root's own records are its subtree less its children's: on a
	// given day a unit sits under one parent (a move ends the former
	// placement, a merge the merged unit's), so the children's subtrees do
	// not overlap.
	for i := range measures {
		for c := range own {
			vals[own][i] -= vals[c][i]
			units[own][i] -= units[c][i]
		}
	}
	for i := range rows {
		rows[i].Value, rows[i].Defined = evaluate(f, keys, vals[i])
		rows[i].Basis = basis(f, keys, vals[i], units[i])
	}
	sort.SliceStable(rows[:own], func(a, b int) bool {
		if rows[a].Defined != rows[b].Defined {
			return rows[a].Defined
		}
		return rows[a].Value > rows[b].Value
	})
	return rows, nil
}

// Point is an indicator's value in one year.
type Point struct {
	Year    int
	Value   float64
	Defined bool
}

// Series computes the indicators for each year of the plan up to today's
// year, for the charts over years: out[i] is inds[i]'s points. Years whose
// results the caller already has are passed in known and not recomputed.
func (s *Service) Series(ctx context.Context, p *plans.Plan, inds []*plans.Indicator, root int64, today dates.Date, known map[int][]Result) ([][]Point, error) {
	out := make([][]Point, len(inds))
	for y := p.YearFrom; y <= min(p.YearTo, today.Year()); y++ {
		res, ok := known[y]
		if !ok {
			var err error
			if res, err = s.Plan(ctx, p, inds, root, y, today); err != nil {
				return nil, err
			}
		}
		for i, r := range res {
			out[i] = append(out[i], Point{Year: y, Value: r.Value, Defined: r.Defined})
		}
	}
	return out, nil
}

// Formula computes a free-standing formula (a report field's prefill) for
// a unit's subtree over whole years.
func (s *Service) Formula(ctx context.Context, src string, root int64, per Period, today dates.Date) (float64, bool, error) {
	f, err := Parse(src)
	if err != nil {
		return 0, false, err
	}
	measures := f.Measures()
	keys := map[string]int{}
	for i, m := range measures {
		keys[m.Key()] = i
	}
	var vals [][]float64
	if err := s.compute(ctx, []job{{per: per, measures: measures, roots: []int64{root}, dst: &vals}}, today); err != nil {
		return 0, false, err
	}
	v, ok := evaluate(f, keys, vals[0])
	return v, ok, nil
}

// CheckIndicator validates an indicator's formula and target (plansvc
// checks every indicator with it before storing).
func CheckIndicator(i *plans.Indicator) validation.Errors {
	var errs validation.Errors
	if _, err := Parse(i.Formula); err != nil {
		var fe *indicators.Error
		if errors.As(err, &fe) {
			errs = append(errs, fe.FieldError("formula"))
		} else {
			errs.Add("formula", "err.invalid")
		}
	}
	t := indicators.Target{Comparison: indicators.Comparison(i.Comparison), Value: i.Value, Max: i.Max}
	return append(errs, t.Validate()...)
}

// CheckTemplate validates the prefill formulas of a report template.
func CheckTemplate(t *reports.Template) validation.Errors {
	var errs validation.Errors
	for _, f := range t.Fields {
		if f.Prefill == "" {
			continue
		}
		if _, err := Parse(f.Prefill); err != nil {
			var fe *indicators.Error
			if errors.As(err, &fe) {
				errs = append(errs, fe.FieldError("fields."+f.Code+".prefill"))
			} else {
				errs.Add("fields."+f.Code+".prefill", "err.invalid")
			}
		}
	}
	return errs
}

// InstallDefaults installs, on start, the shipped programme templates that
// are missing and the standard report template when there is none, so a
// new province can start a plan and a reporting round at once.
func InstallDefaults(ctx context.Context, st *store.Store) error {
	if err := st.EnsureProgrammes(ctx, plans.BuiltinProgrammes()); err != nil {
		return fmt.Errorf("install programme templates: %w", err)
	}
	list, err := st.ReportTemplates(ctx)
	if err != nil {
		return err
	}
	if len(list) > 0 {
		return nil
	}
	t := reports.Standard()
	if errs := append(t.Validate(), CheckTemplate(&t)...); len(errs) > 0 {
		return fmt.Errorf("the standard report template is invalid: %w", errs)
	}
	return st.SaveReportTemplate(ctx, audit.Actor{Label: "system"}, &t)
}

// standardFields names the standard report template's fields, which
// formulas' report(…) most often reads.
var standardFields = func() map[string]string {
	m := map[string]string{}
	for _, f := range reports.Standard().Fields {
		m[f.Code] = f.Label
	}
	return m
}()

// Reads says what ind measures, for the people who read it rather than
// write it: the coordinator's description, else its formula described in
// l (indicators.Describe); "" when the formula no longer parses (the
// page shows that error instead).
func Reads(l i18n.Lang, ind *plans.Indicator) string {
	if ind.Description != "" {
		return ind.Description
	}
	f, err := Parse(ind.Formula)
	if err != nil {
		return ""
	}
	return indicators.Describe(f, l, func(code string) string { return standardFields[code] })
}
