package plansweb

import (
	"math"

	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/reportdoc"
)

// chart is the geometry of the small bar chart over a plan's years,
// computed here so the template only places shapes.
type chart struct {
	Title   string
	Width   int
	Height  int
	Bars    []chartBar
	HasLine bool
	LineY   float64 // the target, when it fits the scale
	Points  []progress.Point
}

type chartBar struct {
	X, Y, W, H float64
	LabelX     float64
	Year       int
	Value      string
	Defined    bool
}

const (
	chartW      = 320
	chartH      = 120
	chartTop    = 16 // room for the value over the tallest bar
	chartBottom = 18 // room for the years
)

func buildChart(title string, ind *plans.Indicator, pts []progress.Point) *chart {
	c := &chart{Title: title, Width: chartW, Height: chartH, Points: pts}
	if len(pts) == 0 {
		return c
	}
	top := 0.0
	for _, p := range pts {
		if p.Defined && p.Value > top {
			top = p.Value
		}
	}
	target := ind.Value
	if indicators.Comparison(ind.Comparison) == indicators.Between {
		target = ind.Max
	}
	if target > top {
		top = target
	}
	if top <= 0 {
		top = 1
	}
	plot := float64(chartH - chartTop - chartBottom)
	slot := float64(chartW) / float64(len(pts))
	w := math.Min(slot*0.6, 40)
	for i, p := range pts {
		h := 0.0
		if p.Defined && p.Value > 0 {
			h = p.Value / top * plot
		}
		x := slot*float64(i) + (slot-w)/2
		b := chartBar{X: round1(x), W: round1(w), H: round1(h), Y: round1(chartTop + plot - h),
			LabelX: round1(x + w/2), Year: p.Year, Defined: p.Defined}
		if p.Defined {
			b.Value = reportdoc.Number(p.Value)
		}
		c.Bars = append(c.Bars, b)
	}
	if target > 0 {
		c.HasLine = true
		c.LineY = round1(chartTop + plot - target/top*plot)
	}
	return c
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
