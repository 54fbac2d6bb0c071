// Package provincemap holds the outlines of Vietnam's 34 provinces and
// cities (as of 2026) for the maps of the national dashboard: one SVG path
// per province in a projected plane, islands and archipelagos included as
// the public boundary data has them. provinces.json is generated once by
// ./gen from the shared boundary files; LICENSE-data says where they come
// from and under which licence.
package provincemap

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"khienso/internal/textnorm"
)

//go:embed provinces.json
var raw []byte

// Province is one province's outline.
type Province struct {
	// Code is the national statistical code ("40" for Nghệ An), which a
	// province committee's unit code is by convention.
	Code string `json:"code"`
	Name string `json:"name"`
	// Path is the outline as SVG path data in the map's plane.
	Path string `json:"path"`
	// LabelX, LabelY is a point inside the province's largest part.
	LabelX float64 `json:"label_x"`
	LabelY float64 `json:"label_y"`
}

// Map is the outlines and the plane they are drawn in (0 0 Width Height).
type Map struct {
	Source        string     `json:"source"`
	Width, Height float64    `json:"-"`
	Provinces     []Province `json:"provinces"`
	byCode        map[string]int
	byName        map[string]int // folded name ("nghe an")
}

// Load returns the embedded map, parsed once.
var Load = sync.OnceValues(func() (*Map, error) {
	var m struct {
		Map
		Width  float64 `json:"width"`
		Height float64 `json:"height"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("province outlines: %w", err)
	}
	out := m.Map
	out.Width, out.Height = m.Width, m.Height
	out.byCode, out.byName = map[string]int{}, map[string]int{}
	for i, p := range out.Provinces {
		out.byCode[p.Code] = i
		out.byName[textnorm.Fold(p.Name)] = i
	}
	return &out, nil
})

// Find returns the outline of the province a province committee stands
// for: by its unit code (the statistical code), else by the province's
// name ending the unit's name ("Ủy ban nhân dân tỉnh Nghệ An"), the
// longest such name winning.
func (m *Map) Find(code, name string) (Province, bool) {
	if i, ok := m.byCode[strings.TrimSpace(code)]; ok {
		return m.Provinces[i], true
	}
	folded := textnorm.Fold(name)
	best, bestLen := -1, 0
	for n, i := range m.byName {
		if len(n) > bestLen && (folded == n || strings.HasSuffix(folded, " "+n)) {
			best, bestLen = i, len(n)
		}
	}
	if best < 0 {
		return Province{}, false
	}
	return m.Provinces[best], true
}

// ViewBox is the SVG viewBox of the map's plane.
func (m *Map) ViewBox() string {
	return fmt.Sprintf("0 0 %g %g", m.Width, m.Height)
}
