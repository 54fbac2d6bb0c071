// Package setup installs a real province, or the whole country, into a
// database: the People's Committee with its communes of 2026 from the
// embedded public data (package gazetteer), optionally their history, a
// starter list of the province's organisations, the coordinating agency
// and the documents' settings, and the first administrator, all in one
// transaction. `khienso init` and the demo province both go through it.
//
// What is installed, and the rules applied:
//
//   - The committee ("Ủy ban nhân dân tỉnh Hà Tĩnh", code "42", type
//     province_committee) and the starter organisations (the standard
//     provincial departments after the March 2025 reorganisation, the
//     provincial newspaper and radio-television, Police and Military Command;
//     codes such as "42-SKHCN") are valid from 2021-01-01 under their 2026
//     names, so plans of the 2021-2025 period can be recorded. The 2026
//     communes are valid from 2025-07-01, under the committee.
//   - The coordinating agency is the Department of Science and Technology
//     (type "dic") or the provincial Police; it is recorded in the province's
//     settings with the document defaults (header lines, place, symbol,
//     signer title, recipients) that the settings page edits later.
//   - With history: the former districts and communes of the 01/03/2025
//     snapshot, valid from 2021-01-01 and merged on 2025-07-01: each former
//     commune into the 2026 commune the gazetteer names (else into the
//     committee), each district into the committee (an island district
//     without communes into its special zone), so a 2023 report uses the 2023
//     tree and a former commune's data rolls up under its successor. The
//     former Department of Information and Communications merged into the
//     Department of Science and Technology on 2025-03-01. Where a 2026
//     province was formed of several, the districts of all of them sit
//     under its committee and their names say which province they were in
//     ("Huyện Bắc Mê, tỉnh Hà Giang"). The 2024 commune mergers are not
//     represented.
//   - Reused codes. The reform gave each new commune the code of a former
//     one it absorbed; codes are unique here and real codes belong to the
//     units of today, so that former commune is coded "<code>.old".
//   - The country: a national root (code "VN", "Cả nước", type national)
//     with the 34 committees under it.
package setup

import (
	"fmt"

	"khienso/internal/dates"
	"khienso/internal/gazetteer"
	"khienso/internal/settings"
	"khienso/internal/units"
)

// Dates of the data.
var (
	HistoryStart = dates.New(2021, 1, 1) // start of the history kept
	Reform       = dates.New(2025, 7, 1) // two-tier local government: districts abolished
	DeptReform   = dates.New(2025, 3, 1) // provincial departments merged (the DIC into the DST)
)

// The national root of a --country deployment. It stands for the national
// level as a whole rather than a particular ministry: which national body
// operates the deployment is the deployment's choice, and it renames the
// unit on its page.
const (
	NationalCode = "VN"
	NationalName = "Cả nước"
)

// OldSuffix marks a former commune whose code a 2026 commune took.
const OldSuffix = ".old"

// Agency is the province's coordinating agency.
type Agency string

const (
	AgencyDST    Agency = "dst"    // the Department of Science and Technology
	AgencyPolice Agency = "police" // the provincial Police
)

// Valid reports whether a is a known agency.
func (a Agency) Valid() bool { return a == AgencyDST || a == AgencyPolice }

// Options choose what a province's plan holds.
type Options struct {
	History     bool   // the pre-2025 districts and communes and the 2025 merges
	Coordinator Agency // "" means AgencyDST
}

// Unit is a unit to create: the unit (ValidTo zero: a unit ends through its
// merge) and its parent's code, "" for the committee (placed under the
// national root when there is one).
type Unit struct {
	units.Unit
	Parent string
}

// Merge says that the Sources (codes) cease on Date and Target succeeds them.
type Merge struct {
	Sources []string
	Target  string
	Date    dates.Date
}

// Plan is one province ready to install. The demo adds its own units and
// settings to it before installing.
type Plan struct {
	Province    *gazetteer.Province
	Code        string // the committee's code: the province code
	Units       []Unit // parents before children, the committee first
	Merges      []Merge
	Coordinator string            // code of the coordinating agency, one of Units
	Settings    settings.Province // CoordinatorID is set by Install
}

// PlanProvince builds the plan of province p.
func PlanProvince(p *gazetteer.Province, o Options) (*Plan, error) {
	if o.Coordinator == "" {
		o.Coordinator = AgencyDST
	}
	if !o.Coordinator.Valid() {
		return nil, fmt.Errorf("setup: unknown coordinating agency %q", o.Coordinator)
	}
	pl := &Plan{Province: p, Code: p.Code}
	add := func(code, name, short string, typ units.Type, parent string, from dates.Date) {
		pl.Units = append(pl.Units, Unit{Unit: units.Unit{Code: code, Name: name, ShortName: short, Type: typ, ValidFrom: from}, Parent: parent})
	}
	add(p.Code, "Ủy ban nhân dân "+p.Level()+" "+p.Name, "UBND "+shortLevel(p)+" "+p.Name, units.TypeProvinceCommittee, "", HistoryStart)
	for _, o := range starterOrgs(p, o.Coordinator) {
		add(o.code, o.name, o.short, o.typ, p.Code, HistoryStart)
	}
	if o.History {
		dic := p.Code + "-STTTT"
		add(dic, "Sở Thông tin và Truyền thông "+p.Level()+" "+p.Name, "Sở TT&TT", orgType(o.Coordinator, units.TypeCoordinator), p.Code, HistoryStart)
		pl.Merges = append(pl.Merges, Merge{Sources: []string{dic}, Target: p.Code + "-SKHCN", Date: DeptReform})
	}
	for _, c := range p.Communes {
		add(c.Code, c.FullName(), c.Name, units.TypeCommune, p.Code, Reform)
	}
	if o.History {
		sources := map[string][]string{} // 2026 commune (or the committee) -> former units
		for _, f := range p.Former {
			for _, d := range f.Districts {
				name := d.FullName()
				if len(p.Former) > 1 {
					name += ", " + f.Level() + " " + f.Name
				}
				add(d.Code, name, districtShort(d), units.TypeDistrict, p.Code, HistoryStart)
				succ := d.Successor
				if succ == "" {
					succ = p.Code
				}
				// Districts end after their communes (merges sort so), so a
				// district has nothing left under it when it goes.
				pl.Merges = append(pl.Merges, Merge{Sources: []string{d.Code}, Target: succ, Date: Reform})
				for _, c := range d.Communes {
					code := c.Code
					if c.Reused {
						code += OldSuffix
					}
					add(code, c.FullName(), c.Name, units.TypeCommune, d.Code, HistoryStart)
					succ := c.Successor
					if succ == "" {
						succ = p.Code
					}
					sources[succ] = append(sources[succ], code)
				}
			}
		}
		targets := make([]string, 0, len(p.Communes)+1)
		for _, c := range p.Communes {
			targets = append(targets, c.Code)
		}
		targets = append(targets, p.Code)
		for _, t := range targets {
			if len(sources[t]) > 0 {
				pl.Merges = append(pl.Merges, Merge{Sources: sources[t], Target: t, Date: Reform})
			}
		}
	}
	pl.Coordinator = p.Code + "-SKHCN"
	if o.Coordinator == AgencyPolice {
		pl.Coordinator = p.Code + "-CA"
	}
	pl.Settings = defaultSettings(p, o.Coordinator)
	return pl, nil
}

// PlanCountry builds the plans of the 34 provinces, by code.
func PlanCountry(g *gazetteer.Gazetteer, o Options) ([]*Plan, error) {
	var out []*Plan
	for _, p := range g.Provinces {
		pl, err := PlanProvince(p, o)
		if err != nil {
			return nil, err
		}
		out = append(out, pl)
	}
	return out, nil
}

func shortLevel(p *gazetteer.Province) string {
	if p.City {
		return "TP"
	}
	return "tỉnh"
}

func districtShort(d gazetteer.District) string {
	switch d.Kind {
	case "Thành phố":
		return "TP " + d.Name
	case "Thị xã":
		return "TX " + d.Name
	case "Huyện":
		return "H. " + d.Name
	case "Quận":
		return "Q. " + d.Name
	}
	return d.Name
}

// Summary counts what a plan installs.
type Summary struct {
	Communes       int // in force since 2025-07-01
	Organisations  int // in force today, other than communes (the committee excluded)
	Districts      int // history: districts abolished on 2025-07-01
	FormerCommunes int // history: communes merged on 2025-07-01
}

// Summary counts the plan's units.
func (p *Plan) Summary() Summary {
	ended := map[string]bool{}
	for _, m := range p.Merges {
		for _, s := range m.Sources {
			ended[s] = true
		}
	}
	var s Summary
	for _, u := range p.Units {
		switch {
		case u.Code == p.Code:
		case u.Type == units.TypeDistrict:
			s.Districts++
		case u.Type == units.TypeCommune && ended[u.Code]:
			s.FormerCommunes++
		case u.Type == units.TypeCommune:
			s.Communes++
		case !ended[u.Code]:
			s.Organisations++
		}
	}
	return s
}

// CoordinatorName is the name of the plan's coordinating agency.
func (p *Plan) CoordinatorName() string {
	for _, u := range p.Units {
		if u.Code == p.Coordinator {
			return u.Name
		}
	}
	return p.Coordinator
}
