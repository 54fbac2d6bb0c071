package setup

import (
	"strings"
	"testing"

	"khienso/internal/gazetteer"
	"khienso/internal/units"
)

func gaz(t *testing.T) *gazetteer.Gazetteer {
	t.Helper()
	g, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// Every province's plan, with history, is loadable as it stands: valid
// units with unique codes, parents before children and within their
// validity, every ended unit the source of exactly one merge into a unit
// in force on the merge day, and settings that pass validation.
func TestPlansOfEveryProvince(t *testing.T) {
	g := gaz(t)
	seen := map[string]string{}
	for _, agency := range []Agency{AgencyDST, AgencyPolice} {
		plans, err := PlanCountry(g, Options{History: true, Coordinator: agency})
		if err != nil {
			t.Fatal(err)
		}
		for _, pl := range plans {
			byCode := map[string]Unit{}
			for i, u := range pl.Units {
				v := u.Unit
				v.Normalize()
				if err := v.Validate(); err != nil || v.Name != u.Name || v.ShortName != u.ShortName {
					t.Errorf("%s: unit %+v: %v (names must be normal already)", pl.Code, u, err)
				}
				if _, dup := byCode[u.Code]; dup {
					t.Errorf("%s: duplicate code %s", pl.Code, u.Code)
				}
				if agency == AgencyDST {
					if other, ok := seen[u.Code]; ok {
						t.Errorf("code %s in provinces %s and %s", u.Code, other, pl.Code)
					}
					seen[u.Code] = pl.Code
				}
				if i == 0 {
					if u.Parent != "" || u.Code != pl.Code || u.Type != units.TypeProvinceCommittee {
						t.Errorf("%s: first unit %+v", pl.Code, u)
					}
				} else if p, ok := byCode[u.Parent]; !ok {
					t.Errorf("%s: %s's parent %q is not before it", pl.Code, u.Code, u.Parent)
				} else if u.ValidFrom.Before(p.ValidFrom) {
					t.Errorf("%s: %s starts before its parent", pl.Code, u.Code)
				}
				byCode[u.Code] = u
			}
			if _, ok := byCode[pl.Coordinator]; !ok {
				t.Errorf("%s: coordinator %s is not a unit", pl.Code, pl.Coordinator)
			}
			sources := map[string]int{}
			for _, m := range pl.Merges {
				tg, ok := byCode[m.Target]
				if !ok || m.Date.Before(tg.ValidFrom) {
					t.Errorf("%s: merge target %s missing or not in force on %s", pl.Code, m.Target, m.Date)
				}
				for _, s := range m.Sources {
					sources[s]++
					if su, ok := byCode[s]; !ok || !su.ValidFrom.Before(m.Date) {
						t.Errorf("%s: merge source %s missing or not in force before %s", pl.Code, s, m.Date)
					}
				}
			}
			for _, u := range pl.Units {
				former := u.Type == units.TypeDistrict || strings.HasSuffix(u.Code, "-STTTT") ||
					(u.Type == units.TypeCommune && u.ValidFrom == HistoryStart)
				if former != (sources[u.Code] == 1) || sources[u.Code] > 1 {
					t.Errorf("%s: %s (%s) is the source of %d merges", pl.Code, u.Code, u.Name, sources[u.Code])
				}
			}
			s := pl.Settings
			s.Normalize()
			if errs := s.Validate(); len(errs) > 0 {
				t.Errorf("%s: settings %v", pl.Code, errs)
			}
		}
	}
}

func TestPlanNames(t *testing.T) {
	g := gaz(t)
	for _, c := range []struct {
		code, committee, short, police, military, parent, place string
		agency                                                  Agency
		issuing, symbol                                         string
	}{
		{"42", "Ủy ban nhân dân tỉnh Hà Tĩnh", "UBND tỉnh Hà Tĩnh", "Công an tỉnh Hà Tĩnh", "Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh",
			"ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "Hà Tĩnh", AgencyDST, "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "SKHCN"},
		{"46", "Ủy ban nhân dân thành phố Huế", "UBND TP Huế", "Công an thành phố Huế", "Bộ Chỉ huy Quân sự thành phố Huế",
			"ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ", "Huế", AgencyDST, "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "SKHCN"},
		{"01", "Ủy ban nhân dân thành phố Hà Nội", "UBND TP Hà Nội", "Công an thành phố Hà Nội", "Bộ Tư lệnh Thủ đô Hà Nội",
			"BỘ CÔNG AN", "Hà Nội", AgencyPolice, "CÔNG AN THÀNH PHỐ HÀ NỘI", "CATP"},
		{"79", "Ủy ban nhân dân thành phố Hồ Chí Minh", "UBND TP Hồ Chí Minh", "Công an thành phố Hồ Chí Minh", "Bộ Tư lệnh Thành phố Hồ Chí Minh",
			"ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "Thành phố Hồ Chí Minh", AgencyDST, "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "SKHCN"},
	} {
		pl, err := PlanProvince(g.Province(c.code), Options{Coordinator: c.agency})
		if err != nil {
			t.Fatal(err)
		}
		names := map[units.Type][]string{}
		for _, u := range pl.Units {
			names[u.Type] = append(names[u.Type], u.Name)
		}
		if u := pl.Units[0]; u.Name != c.committee || u.ShortName != c.short {
			t.Errorf("%s committee %q / %q", c.code, u.Name, u.ShortName)
		}
		if p := names[units.TypePolice]; len(p) != 1 || p[0] != c.police {
			t.Errorf("%s police %v", c.code, p)
		}
		if m := names[units.TypeMilitary]; len(m) != 1 || m[0] != c.military {
			t.Errorf("%s military %v", c.code, m)
		}
		if n := len(names[units.TypePress]); n != 1 {
			t.Errorf("%s: %d press units", c.code, n)
		}
		depts := len(names[units.TypeDepartment]) + len(names[units.TypeCoordinator])
		if depts != 12 {
			t.Errorf("%s: %d departments, want the 12 standard ones", c.code, depts)
		}
		wantCoord := c.code + "-SKHCN"
		if c.agency == AgencyPolice {
			wantCoord = c.code + "-CA"
			if len(names[units.TypeCoordinator]) != 0 {
				t.Errorf("%s: a coordinating department while the Police coordinates", c.code)
			}
		}
		s := pl.Settings
		if pl.Coordinator != wantCoord || s.ParentBody != c.parent || s.IssuingBody != c.issuing || s.Symbol != c.symbol || s.Place != c.place {
			t.Errorf("%s: coordinator %s, settings %+v", c.code, pl.Coordinator, s)
		}
		if n := len(pl.Units) - 16; n != len(g.Province(c.code).Communes) {
			t.Errorf("%s: %d communes", c.code, n)
		}
	}
	// Districts of a province formed of several say which one they were in.
	pl, _ := PlanProvince(g.Province("08"), Options{History: true})
	var named bool
	for _, u := range pl.Units {
		named = named || u.Type == units.TypeDistrict && strings.HasSuffix(u.Name, ", tỉnh Hà Giang")
	}
	if !named {
		t.Error("no district of Tuyên Quang names former Hà Giang")
	}
	// Recipients name the kinds of communes the province has.
	pl, _ = PlanProvince(g.Province("31"), Options{})
	if r := pl.Settings.Recipients; !strings.HasSuffix(r[len(r)-1], "UBND các xã, phường, đặc khu") {
		t.Errorf("Hải Phòng recipients %v", r)
	}
	if _, err := PlanProvince(g.Province("42"), Options{Coordinator: "army"}); err == nil {
		t.Error("an unknown agency must be refused")
	}
}
