package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"khienso/internal/i18n"
	"khienso/internal/service/unitsvc"
	"khienso/internal/store"
	"khienso/internal/units"
)

// PickerSpec describes one unit picker in a form: the select it submits
// (Name, ID), whether it takes several units, whether its values are unit
// codes (else ids), and for purposes that accept groups the name of the
// field the groups are submitted in (the unit types the service takes).
type PickerSpec struct {
	ID, Name  string
	GroupName string
	Purpose   unitsvc.Purpose
	Multiple  bool
	ByCode    bool
	Required  bool
	// Blank labels the empty choice of a single picker ("" for none).
	Blank string
	// Invalid marks the picker as holding an error described by Describe
	// (an element id).
	Invalid  bool
	Describe string
}

// Picker is what the "unit-picker" partial renders: a plain select of the
// units the caller may choose, grouped by type in the domain's order, and
// a select of the groups; static/unitpicker.js turns it into a type-ahead
// with a tree and chips.
type Picker struct {
	PickerSpec
	Lang      i18n.Lang
	Sections  []PickerSection
	Groups    []PickerOption
	Truncated bool // more units than the list holds: the search finds them
}

// T translates key for the partial, whose data is the picker.
func (p *Picker) T(key string, args ...any) string { return p.Lang.T(key, args...) }

// PickerSection is the units of one type.
type PickerSection struct {
	Label   string
	Options []PickerOption
}

// PickerOption is one unit or group. ID is the unit's id (0 for a group).
type PickerOption struct {
	Value, Label, Code string
	ID                 int64
	Selected           bool
}

// PickGroupLabel names the group of every unit of type t in the caller's
// province, with its size.
func PickGroupLabel(l i18n.Lang, t units.Type, n int) string {
	return l.T("picker.group."+string(t), n)
}

// SetUnitPicker gives the server the units service the pickers read.
func (s *Server) SetUnitPicker(svc *unitsvc.Service) { s.units = svc }

// UnitPicker builds the picker of spec for the caller of r with the units
// chosen (values as the picker submits them) and the groups chosen.
func (s *Server) UnitPicker(r *http.Request, spec PickerSpec, chosen, groups []string) (*Picker, error) {
	src, err := s.UnitPickers(r, spec.Purpose)
	if err != nil {
		return nil, err
	}
	return src.Picker(spec, chosen, groups), nil
}

// PickerSource builds the pickers of one purpose from one read of the
// units, for a page with many (a row per imported task).
type PickerSource struct {
	s   *Server
	r   *http.Request
	all *unitsvc.Picked
}

// UnitPickers reads, once, the units the caller of r may choose for
// purpose.
func (s *Server) UnitPickers(r *http.Request, purpose unitsvc.Purpose) (*PickerSource, error) {
	if s.units == nil {
		return nil, errors.New("unit picker: no units service")
	}
	all, err := s.units.PickAll(r.Context(), s.Caller(r), purpose)
	if err != nil {
		return nil, err
	}
	return &PickerSource{s: s, r: r, all: all}, nil
}

// Picker is the picker of spec with the units and groups chosen.
func (src *PickerSource) Picker(spec PickerSpec, chosen, groups []string) *Picker {
	l := Lang(src.r)
	p := &Picker{PickerSpec: spec, Lang: l, Truncated: src.all.Total > len(src.all.Units)}
	sel := map[string]bool{}
	for _, c := range chosen {
		if c != "" {
			sel[c] = true
		}
	}
	seen := map[string]bool{}
	for _, u := range src.all.Units {
		o := p.option(u, sel)
		seen[o.Value] = true
		if n := len(p.Sections); n == 0 || p.Sections[n-1].Label != l.T("unit.type."+string(u.Type)) {
			p.Sections = append(p.Sections, PickerSection{Label: l.T("unit.type." + string(u.Type))})
		}
		p.Sections[len(p.Sections)-1].Options = append(p.Sections[len(p.Sections)-1].Options, o)
	}
	// A unit chosen earlier but not listed (past the list's end, or closed
	// since) stays chosen, named when it can be found.
	var extra PickerSection
	for _, c := range chosen {
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		extra.Options = append(extra.Options, src.s.pickLookup(src.r, p, c))
	}
	if len(extra.Options) > 0 {
		extra.Label = l.T("picker.chosen")
		p.Sections = append([]PickerSection{extra}, p.Sections...)
	}
	for _, g := range src.all.Groups {
		p.Groups = append(p.Groups, PickerOption{Value: string(g.Type), Label: PickGroupLabel(l, g.Type, g.Count),
			Selected: slices.Contains(groups, string(g.Type))})
	}
	return p
}

func (p *Picker) option(u *units.Unit, sel map[string]bool) PickerOption {
	v := strconv.FormatInt(u.ID, 10)
	if p.ByCode {
		v = u.Code
	}
	return PickerOption{Value: v, Label: u.Name, Code: u.Code, ID: u.ID, Selected: sel[v]}
}

// lookup names a chosen value that the list does not hold.
func (s *Server) pickLookup(r *http.Request, p *Picker, v string) PickerOption {
	var u *units.Unit
	var err error
	day := s.units.Today()
	if p.ByCode {
		u, err = s.store.UnitByCode(r.Context(), v, day)
	} else if id, perr := strconv.ParseInt(v, 10, 64); perr == nil {
		u, err = s.store.Unit(r.Context(), id, day)
	} else {
		err = store.ErrNotFound
	}
	if err != nil {
		return PickerOption{Value: v, Label: v, Code: v, Selected: true}
	}
	return p.option(u, map[string]bool{v: true})
}
