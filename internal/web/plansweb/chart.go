package plansweb

import (
	"strconv"

	"khienso/internal/chart"
	"khienso/internal/i18n"
	"khienso/internal/plans"
	"khienso/internal/progress"
)

// Drawing sizes (the page scales a chart to its column): the dashboard's
// chart sits in a table cell, the indicator's own page has room.
var (
	smallSeries = [2]int{260, 140}
	largeSeries = [2]int{420, 200}
)

// barsWidth is the breakdown chart's drawing width, about a phone's.
const barsWidth = 360

// chartCap bounds the bars of a breakdown chart; the table below it lists
// the rest.
const chartCap = 30

// chartTarget is ind's target as a line on its charts, or nil: a target of
// zero is no line, and where the unit lies below the plan's (judged is
// false) the target is the plan unit's, not this one's.
func chartTarget(l i18n.Lang, ind *plans.Indicator, judged bool) *chart.Target {
	if !judged || ind.Value <= 0 {
		return nil
	}
	return &chart.Target{Value: ind.Value, Label: l.T("chart.target", targetText(ind))}
}

// seriesChart draws ind's values over the plan's years.
func seriesChart(l i18n.Lang, ind *plans.Indicator, pts []progress.Point, judged bool, size [2]int) chart.Series {
	c := chart.Series{Title: l.T("chart.series.title", ind.Name), NoData: l.T("chart.no_data"),
		Target: chartTarget(l, ind, judged), Format: l.Decimal, Width: size[0], Height: size[1]}
	if ind.MeasureUnit != "" {
		c.Desc = l.T("chart.unit", ind.MeasureUnit)
	}
	for _, p := range pts {
		c.Points = append(c.Points, chart.Point{Label: strconv.Itoa(p.Year), Value: p.Value, Defined: p.Defined})
	}
	return c
}

// seriesCell is one year of a chart's table alternative.
type seriesCell struct {
	Year  int
	Value string // empty without data
}

func seriesTable(l i18n.Lang, pts []progress.Point) []seriesCell {
	out := make([]seriesCell, len(pts))
	for i, p := range pts {
		out[i] = seriesCell{Year: p.Year}
		if p.Defined {
			out[i].Value = l.Decimal(p.Value)
		}
	}
	return out
}

// barsChart draws a breakdown's children, largest first. The target is
// marked only for rates: a child's count is a part of its parent's, and
// the target was set for the whole.
func barsChart(l i18n.Lang, ind *plans.Indicator, rows []bdRow, ratio bool) chart.Bars {
	c := chart.Bars{Title: l.T("chart.bars.title", ind.Name), NoData: l.T("chart.no_data"), Format: l.Decimal,
		Cap: chartCap, Width: barsWidth, More: func(n int) string { return l.T("chart.more", l.Int(n)) }}
	if ratio {
		c.Target = chartTarget(l, ind, true)
	}
	if ind.MeasureUnit != "" {
		c.Desc = l.T("chart.unit", ind.MeasureUnit)
	}
	for _, r := range rows {
		c.Items = append(c.Items, chart.Item{Name: r.Name, Value: r.Value, Defined: r.Defined})
	}
	return c
}
