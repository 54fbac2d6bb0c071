package web

import (
	"html/template"

	"khienso/internal/provincemap"
)

// ProvinceMap is a map of the 34 provinces coloured by a measure, drawn by
// the "province-map" partial as inline SVG: each province a path with its
// <title>, linked when Href is set, and a legend. The page beside it keeps
// a text table of the same figures, for readers who do not see the map.
type ProvinceMap struct {
	ViewBox string
	// Label names the map for assistive technology.
	Label  string
	Shapes []MapShape
	Legend []MapLegend
}

// MapShape is one province on the map.
type MapShape struct {
	ID    string
	Path  template.HTMLAttr // trusted: generated outlines, embedded
	Class string            // one of the legend's classes
	Title string
	Href  string
}

// MapLegend is one class of the legend.
type MapLegend struct {
	Class, Label string
}

// NewProvinceMap lays every outline of m on a map; shape gives each
// province's class, title and link (by its outline), and legend the classes
// in display order.
func NewProvinceMap(m *provincemap.Map, label string, legend []MapLegend, shape func(provincemap.Province) MapShape) *ProvinceMap {
	out := &ProvinceMap{ViewBox: m.ViewBox(), Label: label, Legend: legend}
	for _, p := range m.Provinces {
		s := shape(p)
		s.ID = "map-" + p.Code
		// The path data is the generator's output (digits, spaces, M, l,
		// z), never user input.
		s.Path = template.HTMLAttr(`d="` + p.Path + `"`)
		out.Shapes = append(out.Shapes, s)
	}
	return out
}
