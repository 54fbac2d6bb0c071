package chart

import (
	"cmp"
	"html/template"
	"slices"

	"khienso/internal/textnorm"
)

// Bars compares units: one horizontal bar each, largest first (units
// without data last, ties in Vietnamese order of names), the name over
// its bar so that long names fit a phone, and the target as a dashed line
// across all bars. At most Cap bars are drawn; the rest are counted in a
// last line (More).
type Bars struct {
	Title  string
	Desc   string
	NoData string
	Items  []Item
	Target *Target
	Format Format
	Cap    int              // 0: no cap
	More   func(int) string // "và 12 đơn vị khác"
	Width  int
}

// Item is one unit's bar.
type Item struct {
	Name    string
	Value   float64
	Defined bool
}

// Layout of a bar chart, in drawing units.
const (
	barsRow    = 34 // a name line and a bar
	barsBar    = 14
	barsTop    = 16 // room for the target's label
	barsValueW = 70 // room right of the longest bar for its value
)

// BarsGeometry is where everything of a bar chart goes.
type BarsGeometry struct {
	Height    int
	Left      float64
	Right     float64 // where the longest bar may end
	Rows      []BarRow
	More      string  // the line counting the bars left out
	MoreY     float64 // its baseline
	TargetX   float64
	HasTarget bool
}

// BarRow is one unit's name and bar.
type BarRow struct {
	Name    string
	NameY   float64 // baseline of the name
	Y, W    float64 // the bar: top and length (from Left)
	Value   string
	Defined bool
	ValueX  float64
}

// Sorted is items largest first, without data last, ties (and units
// without data) in Vietnamese order of names.
func Sorted(items []Item) []Item {
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b Item) int {
		switch {
		case a.Defined != b.Defined:
			if a.Defined {
				return -1
			}
			return 1
		case a.Defined && a.Value != b.Value:
			return cmp.Compare(b.Value, a.Value)
		}
		return textnorm.Compare(a.Name, b.Name)
	})
	return out
}

// Geometry lays the chart out.
func (c Bars) Geometry() BarsGeometry {
	items := Sorted(c.Items)
	left := 0
	if c.Cap > 0 && len(items) > c.Cap {
		left = len(items) - c.Cap
		items = items[:c.Cap]
	}
	top := 0.0
	for _, it := range items {
		if it.Defined {
			top = max(top, it.Value)
		}
	}
	if c.Target != nil {
		top = max(top, c.Target.Value)
	}
	if top <= 0 {
		top = 1
	}
	g := BarsGeometry{Left: 2, Right: float64(c.Width) - barsValueW}
	x := func(v float64) float64 { return max(v, 0) / top * (g.Right - g.Left) }
	y := float64(barsTop)
	for _, it := range items {
		r := BarRow{Name: it.Name, NameY: y + 12, Y: y + 16, Defined: it.Defined, Value: c.NoData}
		if it.Defined {
			r.W = x(it.Value)
			r.Value = c.Format(it.Value)
		}
		r.ValueX = g.Left + r.W + 4
		g.Rows = append(g.Rows, r)
		y += barsRow
	}
	if left > 0 && c.More != nil {
		g.More, g.MoreY = c.More(left), y+12
		y += barsRow / 2
	}
	if c.Target != nil && c.Target.Value >= 0 {
		g.HasTarget, g.TargetX = true, g.Left+x(c.Target.Value)
	}
	g.Height = int(y) + 6
	return g
}

// SVG draws the chart.
func (c Bars) SVG() template.HTML {
	g := c.Geometry()
	var s svg
	s.open(c.Width, g.Height, "chart chart-bars", c.Title, c.Desc)
	for _, r := range g.Rows {
		s.elem("text", r.Name, "class", "chart-label", "x", n(g.Left), "y", n(r.NameY))
		s.elem("rect", "", "class", "chart-track", "x", n(g.Left), "y", n(r.Y), "width", n(g.Right-g.Left), "height", n(barsBar))
		if r.Defined && r.W > 0 {
			s.elem("rect", "", "class", "chart-bar", "x", n(g.Left), "y", n(r.Y), "width", n(r.W), "height", n(barsBar))
		}
		cls := "chart-value"
		if !r.Defined {
			cls = "chart-value chart-nodata"
		}
		s.elem("text", r.Value, "class", cls, "x", n(r.ValueX), "y", n(r.Y+11))
	}
	if g.More != "" {
		s.elem("text", g.More, "class", "chart-more", "x", n(g.Left), "y", n(g.MoreY))
	}
	if g.HasTarget {
		bottom := float64(g.Height - 6)
		if g.More != "" {
			bottom = g.MoreY - 12
		}
		s.elem("line", "", "class", "chart-target", "x1", n(g.TargetX), "x2", n(g.TargetX), "y1", n(barsTop-2), "y2", n(bottom))
		anchor := "middle"
		switch {
		case g.TargetX < 60:
			anchor = "start"
		case g.TargetX > g.Right-20:
			anchor = "end"
		}
		s.elem("text", c.Target.Label, "class", "chart-target-label", "x", n(g.TargetX), "y", n(barsTop-4), "text-anchor", anchor)
	}
	return s.close()
}
