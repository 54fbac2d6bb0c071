package plansvc

import (
	"context"
	"fmt"
	"slices"

	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/provincemap"
	"khienso/internal/service"
	"khienso/internal/textnorm"
	"khienso/internal/units"
)

// ProvinceValue is one indicator computed for one province.
type ProvinceValue struct {
	Value   float64
	Defined bool
	Status  indicators.Status
	// Attainment is the share of the target reached (0–1, see
	// indicators.Attainment); Rated is false without a value.
	Attainment float64
	Rated      bool
}

// ProvinceRow is one province of a national plan's dashboard.
type ProvinceRow struct {
	Unit *units.Unit // the province committee (public fields)
	// Name is the province's name ("Nghệ An"), from its outline when the
	// map has it, else the committee's name.
	Name    string
	Outline provincemap.Province
	Mapped  bool
	Values  []ProvinceValue // in the order of Provinces.Indicators
	// Attainment is the mean attainment of the Rated indicators with a
	// value (0–1); Rated counts them.
	Attainment float64
	Rated      int
}

// Provinces is a plan's indicators computed province by province: each
// province committee directly under the view's unit (the national root of
// a national deployment), as the tree stood in the year looked at.
type Provinces struct {
	*View
	Indicators []*plans.Indicator
	// Errors holds, in Indicators order, why a stored formula no longer
	// parses (nil when it does); such an indicator has no values.
	Errors []error
	// Rows are the provinces in Vietnamese name order.
	Rows []ProvinceRow
	Map  *provincemap.Map
}

// Provinces computes plan id's indicators for q, province by province,
// for the national dashboard: one pass per indicator over every province
// (progress.Breakdown). A unit with no province committee under it gives
// no rows.
func (s *Service) Provinces(ctx context.Context, actor service.Actor, id int64, q Query) (*Provinces, error) {
	v, err := s.view(ctx, actor, id, q)
	if err != nil {
		return nil, err
	}
	m, err := provincemap.Load()
	if err != nil {
		return nil, err
	}
	inds, err := s.store.Indicators(ctx, v.Plan.ID)
	if err != nil {
		return nil, err
	}
	kids, err := s.store.Children(ctx, v.Unit.ID, v.Day)
	if err != nil {
		return nil, err
	}
	out := &Provinces{View: v, Indicators: inds, Errors: make([]error, len(inds)), Map: m}
	at := map[int64]int{}
	for _, k := range kids {
		if k.Type != units.TypeProvinceCommittee {
			continue
		}
		pub := k.Public()
		row := ProvinceRow{Unit: &pub, Name: k.Name, Values: make([]ProvinceValue, len(inds))}
		for i := range row.Values {
			row.Values[i].Status = indicators.NoData
		}
		if row.Outline, row.Mapped = m.Find(k.Code, k.Name); row.Mapped {
			row.Name = row.Outline.Name
		}
		at[k.ID] = len(out.Rows)
		out.Rows = append(out.Rows, row)
	}
	if len(out.Rows) == 0 {
		return out, nil
	}
	for i, ind := range inds {
		if _, err := progress.Parse(ind.Formula); err != nil {
			out.Errors[i] = err
			continue
		}
		rows, err := s.progress.Breakdown(ctx, v.Plan, ind, v.Unit.ID, v.Year, v.Today)
		if err != nil {
			return nil, fmt.Errorf("indicator %d by province: %w", ind.ID, err)
		}
		target := indicators.Target{Comparison: indicators.Comparison(ind.Comparison), Value: ind.Value, Max: ind.Max}
		_, per := progress.IndicatorPeriod(v.Plan, ind, v.Year)
		for _, r := range rows {
			j, ok := at[r.UnitID]
			if !ok || r.Own {
				continue
			}
			pv := ProvinceValue{Value: r.Value, Defined: r.Defined,
				Status: indicators.Assess(target, r.Value, r.Defined, per.Start(), per.End(), v.Today).Status}
			pv.Attainment, pv.Rated = indicators.Attainment(target, r.Value, r.Defined)
			out.Rows[j].Values[i] = pv
		}
	}
	for j := range out.Rows {
		row := &out.Rows[j]
		sum := 0.0
		for _, pv := range row.Values {
			if pv.Rated {
				sum += pv.Attainment
				row.Rated++
			}
		}
		if row.Rated > 0 {
			row.Attainment = sum / float64(row.Rated)
		}
	}
	slices.SortStableFunc(out.Rows, func(a, b ProvinceRow) int { return textnorm.Compare(a.Name, b.Name) })
	return out, nil
}
