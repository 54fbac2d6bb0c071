// Package chart draws the indicator charts as SVG on the server: no
// JavaScript, so they show in any browser, in print and in a saved page.
// Geometry and text are decided here; the caller gives the words (titles,
// labels already translated) and a number formatter for the reader's
// language. Every text is escaped, since unit names are typed by people.
package chart

import (
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Format writes a number for the reader (i18n.Lang.Decimal).
type Format func(float64) string

// Point is one period's value; a period without data has Defined false
// and is drawn as a gap labelled "no data".
type Point struct {
	Label   string // the period: "2026"
	Value   float64
	Defined bool
}

// Target is the value to reach, drawn as a dashed line.
type Target struct {
	Value float64
	Label string // "Chỉ tiêu ≥ 100 %"
}

// niceStep is a round step (1, 2, 2.5 or 5 times a power of ten) that
// divides 0–top into about n intervals.
func niceStep(top float64, n int) float64 {
	if top <= 0 || n <= 0 {
		return 1
	}
	raw := top / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// scaleTop is the axis maximum: the largest value or target rounded up to
// a whole number of steps, and the step.
func scaleTop(top float64, n int) (float64, float64) {
	if top <= 0 || math.IsNaN(top) || math.IsInf(top, 0) {
		top = 1
	}
	step := niceStep(top, n)
	return math.Ceil(top/step-1e-9) * step, step
}

// svg collects the elements of one chart.
type svg struct{ b strings.Builder }

// open starts the chart; its <title> (and <desc>) are what a screen
// reader announces for role="img".
func (s *svg) open(w, h int, class, title, desc string) {
	s.b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="` + class + `" viewBox="0 0 ` + strconv.Itoa(w) + " " + strconv.Itoa(h) +
		`" width="` + strconv.Itoa(w) + `" height="` + strconv.Itoa(h) + `" role="img">`)
	s.b.WriteString("<title>" + esc(title) + "</title>")
	if desc != "" {
		s.b.WriteString("<desc>" + esc(desc) + "</desc>")
	}
}

// elem writes <name attrs…>text</name>; attrs alternate names and values.
func (s *svg) elem(name, text string, attrs ...string) {
	s.b.WriteString("<" + name)
	for i := 0; i+1 < len(attrs); i += 2 {
		s.b.WriteString(" " + attrs[i] + `="` + esc(attrs[i+1]) + `"`)
	}
	if text == "" && name != "text" {
		s.b.WriteString("/>")
		return
	}
	s.b.WriteString(">" + esc(text) + "</" + name + ">")
}

func (s *svg) close() template.HTML {
	s.b.WriteString("</svg>")
	// Safe: every text and attribute value above went through esc.
	return template.HTML(s.b.String())
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// n writes a coordinate with one decimal at most.
func n(x float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}
