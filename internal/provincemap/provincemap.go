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

	"khienso/internal/gazetteer"
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
	out.byCode = map[string]int{}
	for i, p := range out.Provinces {
		out.byCode[p.Code] = i
	}
	return &out, nil
})

// Find returns the outline of the province a province committee stands
// for: by its unit code (the statistical code, as setup and the demo give
// it), else by the province the gazetteer finds in the unit's name once
// "Ủy ban nhân dân" is left out ("Ủy ban nhân dân tỉnh Nghệ An",
// "UBND TP. Huế").
func (m *Map) Find(code, name string) (Province, bool) {
	if i, ok := m.byCode[strings.TrimSpace(code)]; ok {
		return m.Provinces[i], true
	}
	rest := strings.Join(strings.Fields(name), " ")
	folded := textnorm.Fold(rest)
	for _, prefix := range []string{"uy ban nhan dan ", "ubnd "} {
		if strings.HasPrefix(folded, prefix) {
			// Cut by words: folding changes the length in bytes.
			rest = strings.Join(strings.Fields(rest)[len(strings.Fields(prefix)):], " ")
			break
		}
	}
	g, err := gazetteer.Load()
	if err != nil || rest == "" {
		return Province{}, false
	}
	p, err := g.Find(rest)
	if err != nil {
		return Province{}, false
	}
	i, ok := m.byCode[p.Code]
	if !ok {
		return Province{}, false
	}
	return m.Provinces[i], true
}

// ViewBox is the SVG viewBox of the map's plane.
func (m *Map) ViewBox() string {
	return fmt.Sprintf("0 0 %g %g", m.Width, m.Height)
}
