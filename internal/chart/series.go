package chart

import (
	"html/template"
)

// Series is an indicator's values over its periods, drawn as columns on
// a value axis with round ticks, each column labelled with its value and
// its period, and the target as a dashed line.
type Series struct {
	Title  string // the accessible name: "Tỷ lệ … qua các năm"
	Desc   string // a sentence for screen readers; optional
	NoData string // the label of a period without data: "chưa có"
	Points []Point
	Target *Target
	Format Format
	Width  int // of the drawing, in its own units (the page scales it)
	Height int
}

// Layout of a series chart, in drawing units.
const (
	seriesTop    = 14 // room for the value over the tallest column
	seriesBottom = 18 // room for the periods
	seriesTicks  = 4
	seriesFont   = 11.0
)

// SeriesGeometry is where everything of a series chart goes; SVG draws
// it, tests read it.
type SeriesGeometry struct {
	Left, Right, Top, Bottom float64 // the plot area
	Ticks                    []Tick
	Columns                  []Column
	TargetY                  float64
	HasTarget                bool
}

// Tick is one labelled value on the value axis.
type Tick struct {
	Y     float64
	Label string
}

// Column is one period's column.
type Column struct {
	X, Y, W, H float64
	Mid        float64 // the centre, where the labels go
	Period     string
	Value      string // formatted, or the no-data label
	Defined    bool
}

// Geometry lays the chart out.
func (c Series) Geometry() SeriesGeometry {
	top := 0.0
	for _, p := range c.Points {
		if p.Defined {
			top = max(top, p.Value)
		}
	}
	if c.Target != nil {
		top = max(top, c.Target.Value)
	}
	axisTop, step := scaleTop(top, seriesTicks)
	// The axis labels take the width of the longest one.
	labels := []string{}
	for v := 0.0; v <= axisTop+step/2; v += step {
		labels = append(labels, c.Format(v))
	}
	widest := 0
	for _, l := range labels {
		widest = max(widest, len([]rune(l)))
	}
	g := SeriesGeometry{Left: float64(widest)*seriesFont*0.6 + 8, Right: float64(c.Width) - 4,
		Top: seriesTop, Bottom: float64(c.Height) - seriesBottom}
	y := func(v float64) float64 { return g.Bottom - v/axisTop*(g.Bottom-g.Top) }
	for i, l := range labels {
		g.Ticks = append(g.Ticks, Tick{Y: y(float64(i) * step), Label: l})
	}
	if len(c.Points) > 0 {
		slot := (g.Right - g.Left) / float64(len(c.Points))
		w := min(slot*0.6, 48)
		for i, p := range c.Points {
			x := g.Left + slot*float64(i) + (slot-w)/2
			col := Column{X: x, W: w, Mid: x + w/2, Period: p.Label, Defined: p.Defined, Y: g.Bottom, Value: c.NoData}
			if p.Defined {
				col.Y = y(max(p.Value, 0))
				col.H = g.Bottom - col.Y
				col.Value = c.Format(p.Value)
			}
			g.Columns = append(g.Columns, col)
		}
	}
	if c.Target != nil && c.Target.Value >= 0 {
		g.HasTarget, g.TargetY = true, y(c.Target.Value)
	}
	return g
}

// SVG draws the chart.
func (c Series) SVG() template.HTML {
	g := c.Geometry()
	var s svg
	s.open(c.Width, c.Height, "chart chart-series", c.Title, c.Desc)
	for _, t := range g.Ticks {
		s.elem("line", "", "class", "chart-grid", "x1", n(g.Left), "x2", n(g.Right), "y1", n(t.Y), "y2", n(t.Y))
		s.elem("text", t.Label, "class", "chart-tick", "x", n(g.Left-4), "y", n(t.Y+4), "text-anchor", "end")
	}
	s.elem("line", "", "class", "chart-axis", "x1", n(g.Left), "x2", n(g.Left), "y1", n(g.Top), "y2", n(g.Bottom))
	s.elem("line", "", "class", "chart-axis", "x1", n(g.Left), "x2", n(g.Right), "y1", n(g.Bottom), "y2", n(g.Bottom))
	for _, col := range g.Columns {
		if col.Defined {
			s.elem("rect", "", "class", "chart-col", "x", n(col.X), "y", n(col.Y), "width", n(col.W), "height", n(col.H))
		}
		cls := "chart-value"
		if !col.Defined {
			cls = "chart-value chart-nodata"
		}
		s.elem("text", col.Value, "class", cls, "x", n(col.Mid), "y", n(col.Y-3), "text-anchor", "middle")
		s.elem("text", col.Period, "class", "chart-label", "x", n(col.Mid), "y", n(g.Bottom+13), "text-anchor", "middle")
	}
	if g.HasTarget {
		s.elem("line", "", "class", "chart-target", "x1", n(g.Left), "x2", n(g.Right), "y1", n(g.TargetY), "y2", n(g.TargetY))
		// The target's label sits over the line at the right, where the
		// last column's value is least likely to be.
		s.elem("text", c.Target.Label, "class", "chart-target-label", "x", n(g.Right), "y", n(g.TargetY-3), "text-anchor", "end")
	}
	return s.close()
}
