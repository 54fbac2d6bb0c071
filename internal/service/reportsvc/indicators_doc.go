package reportsvc

import (
	"context"
	"errors"
	"fmt"

	"khienso/internal/dates"
	"khienso/internal/indicators"
	"khienso/internal/reportdoc"
	"khienso/internal/reports"
	"khienso/internal/store"
)

// planResults is what the yearly report states about the plan round rd
// reports on: every indicator computed live for the round's province (the
// root of its units' tree) and the year the round ends in, against its
// target. nil when the round is not linked to a plan, the plan is gone, or
// the plan sets no targets for that year. The caller has checked that the
// actor reviews the round.
func (s *Service) planResults(ctx context.Context, rd *reports.Round) (*reportdoc.PlanResults, error) {
	if rd.PlanID == 0 {
		return nil, nil
	}
	p, err := s.store.Plan(ctx, rd.PlanID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("load plan %d of round %d: %w", rd.PlanID, rd.ID, err)
	}
	year := rd.To.Year()
	if year < p.YearFrom || year > p.YearTo {
		return nil, nil
	}
	root, err := s.roundProvince(ctx, rd)
	if err != nil {
		return nil, err
	}
	inds, err := s.store.Indicators(ctx, p.ID)
	if err != nil {
		return nil, fmt.Errorf("load indicators of plan %d: %w", p.ID, err)
	}
	today := s.today()
	results, err := s.progress.Plan(ctx, p, inds, root, year, today)
	if err != nil {
		return nil, fmt.Errorf("plan %d indicators for round %d: %w", p.ID, rd.ID, err)
	}
	out := &reportdoc.PlanResults{Title: p.Title, Year: year, AsOf: today, Rows: make([]reportdoc.IndicatorRow, 0, len(results))}
	if end := dates.New(year, 12, 31); end.Before(today) {
		out.AsOf = end
	}
	for _, r := range results {
		ind := r.Indicator
		row := reportdoc.IndicatorRow{Code: ind.Code, Name: ind.Name, MeasureUnit: ind.MeasureUnit,
			Comparison: indicators.Comparison(ind.Comparison), Target: ind.Value, Max: ind.Max,
			FromYear: r.Period.FromYear, ToYear: r.Period.ToYear, Value: r.Value, Defined: r.Defined && r.Err == nil,
			Status: r.Progress.Status}
		if r.Err != nil {
			// A formula that no longer parses has no value to report.
			row.Status = indicators.NoData
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}
