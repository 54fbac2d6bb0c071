package gazetteer

import (
	"errors"
	"regexp"
	"testing"
)

func load(t *testing.T) *Gazetteer {
	t.Helper()
	g, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// The counts of the README of the public data: 34 provinces and 3,321
// communes in 2026; 63 provinces, 696 districts and 10,035 communes before.
func TestCounts(t *testing.T) {
	g := load(t)
	var communes, former, districts, oldCommunes int
	for _, p := range g.Provinces {
		communes += len(p.Communes)
		former += len(p.Former)
		for _, f := range p.Former {
			districts += len(f.Districts)
			for _, d := range f.Districts {
				oldCommunes += len(d.Communes)
			}
		}
	}
	if len(g.Provinces) != 34 || communes != 3321 || former != 63 || districts != 696 || oldCommunes != 10035 {
		t.Errorf("%d provinces, %d communes; %d former provinces, %d districts, %d former communes",
			len(g.Provinces), communes, former, districts, oldCommunes)
	}
	for code, want := range map[string]int{"40": 130, "42": 69, "01": 126, "79": 168, "46": 40} {
		if n := len(g.Province(code).Communes); n != want {
			t.Errorf("province %s has %d communes, want %d", code, n, want)
		}
	}
}

var (
	provinceCode = regexp.MustCompile(`^[0-9]{2}$`)
	districtCode = regexp.MustCompile(`^[0-9]{3}$`)
	communeCode  = regexp.MustCompile(`^[0-9]{5}$`)
)

// Every code is well formed and unique at its level; every successor is a
// 2026 commune of the same province; every 2026 commune has a predecessor.
func TestSuccessions(t *testing.T) {
	g := load(t)
	seen := map[string]bool{}
	seenOld := map[string]bool{}
	for _, p := range g.Provinces {
		if !provinceCode.MatchString(p.Code) || p.Name == "" || p.NameEn == "" {
			t.Errorf("province %+v", p)
		}
		mine := map[string]bool{}
		for _, c := range p.Communes {
			if !communeCode.MatchString(c.Code) || seen[c.Code] || c.Name == "" {
				t.Errorf("2026 commune %+v (duplicate %v)", c, seen[c.Code])
			}
			switch c.Kind {
			case "Xã", "Phường", "Đặc khu":
			default:
				t.Errorf("2026 commune %s kind %q", c.Code, c.Kind)
			}
			seen[c.Code], mine[c.Code] = true, true
		}
		if len(p.Former) == 0 {
			t.Errorf("province %s has no former province", p.Code)
		} else if len(p.Former) > 1 && p.Former[0].Code != p.Code {
			// Several former provinces: the one that kept the code comes
			// first (every 2026 code is a former province's).
			t.Errorf("province %s: first former province is %s", p.Code, p.Former[0].Code)
		}
		preds := map[string]int{}
		for _, f := range p.Former {
			for _, d := range f.Districts {
				if !districtCode.MatchString(d.Code) || seenOld[d.Code] {
					t.Errorf("district %+v", d)
				}
				seenOld[d.Code] = true
				if len(d.Communes) == 0 {
					if !mine[d.Successor] {
						t.Errorf("district %s without communes: successor %q not a commune of %s", d.Code, d.Successor, p.Code)
					}
					preds[d.Successor]++
				} else if d.Successor != "" {
					t.Errorf("district %s with communes has successor %s", d.Code, d.Successor)
				}
				for _, c := range d.Communes {
					if !communeCode.MatchString(c.Code) || seenOld[c.Code] {
						t.Errorf("former commune %+v", c)
					}
					seenOld[c.Code] = true
					if c.Successor != "" && !mine[c.Successor] {
						t.Errorf("former commune %s: successor %s is not a commune of %s", c.Code, c.Successor, p.Code)
					}
					preds[c.Successor]++
				}
			}
		}
		for _, c := range p.Communes {
			if preds[c.Code] == 0 {
				t.Errorf("2026 commune %s %s has no predecessor", c.Code, c.FullName())
			}
		}
	}
	// Reused: a former commune whose code a 2026 commune wears.
	var reused int
	for _, p := range g.Provinces {
		for _, f := range p.Former {
			for _, d := range f.Districts {
				for _, c := range d.Communes {
					if c.Reused != seen[c.Code] {
						t.Errorf("former commune %s: reused %v", c.Code, c.Reused)
					}
					if c.Reused {
						reused++
					}
				}
			}
		}
	}
	if reused < 3000 {
		t.Errorf("%d reused codes; nearly every 2026 commune reuses a former code", reused)
	}
}

// Successions checked against the 2025 restructuring.
func TestKnownSuccessions(t *testing.T) {
	g := load(t)
	former := map[string]FormerCommune{}
	district := map[string]District{}
	for _, p := range g.Provinces {
		for _, f := range p.Former {
			for _, d := range f.Districts {
				district[d.Code] = d
				for _, c := range d.Communes {
					former[c.Code] = c
				}
			}
		}
	}
	for _, c := range []struct{ old, successor string }{
		{"16681", "16681"}, // Phường Quang Trung (Vinh) -> Phường Thành Vinh
		{"17899", "17827"}, // Xã Diên Hoa, split; stays in former Nghi Lộc district
		{"17647", "17677"}, // Xã Hòa Sơn, split; stays in former Đô Lương district
		{"18077", "18073"}, // Phường Bắc Hà -> Phường Thành Sen (Hà Tĩnh)
		{"30622", ""},      // mapped outside its province by the source: merges into the province
	} {
		if got := former[c.old]; got.Successor != c.successor {
			t.Errorf("%s %s merges into %q, want %q", c.old, got.FullName(), got.Successor, c.successor)
		}
	}
	if d := district["755"]; d.Successor != "26732" || d.FullName() != "Huyện Côn Đảo" {
		t.Errorf("Côn Đảo district: %+v", d)
	}
	if g.Province("22") == nil {
		t.Fatal("no Quảng Ninh")
	}
	var baChe bool
	for _, c := range g.Province("22").Communes {
		baChe = baChe || c.Code == "06978" && c.FullName() == "Xã Ba Chẽ"
	}
	if !baChe {
		t.Error("Xã Ba Chẽ 06978 missing")
	}
}

func TestNames(t *testing.T) {
	g := load(t)
	p := g.Province("42")
	if p.FullName() != "Tỉnh Hà Tĩnh" || p.Level() != "tỉnh" {
		t.Errorf("42: %q %q", p.FullName(), p.Level())
	}
	if h := g.Province("46"); h.FullName() != "Thành phố Huế" || !h.City {
		t.Errorf("46: %q", h.FullName())
	}
	if f := g.Province("08").Former; len(f) != 2 || f[1].FullName() != "Tỉnh Hà Giang" {
		t.Errorf("08 former: %+v", f)
	}
}

func TestFind(t *testing.T) {
	g := load(t)
	for _, c := range []struct{ q, code string }{
		{"42", "42"}, {"8", "08"}, {"08", "08"},
		{"Hà Tĩnh", "42"}, {"ha tinh", "42"}, {"HA TINH", "42"}, {"hatinh", "42"}, {"Tỉnh Hà Tĩnh", "42"},
		{"  tinh   ha tinh ", "42"}, {"Ha Tinh province", "42"},
		{"TP Huế", "46"}, {"TP. Huế", "46"}, {"Thành phố Huế", "46"}, {"hue", "46"},
		{"Hanoi", "01"}, {"Hà Nội", "01"}, {"ha_noi", "01"},
		{"TPHCM", "79"}, {"TP. Hồ Chí Minh", "79"}, {"Ho Chi Minh City", "79"},
		{"Thanh Hóa", "38"}, {"thanh hoa", "38"}, // the source writes "Thanh Hoá"
		{"Nghệ An", "40"}, {"Đắk Lắk", "66"}, {"dak lak", "66"},
	} {
		p, err := g.Find(c.q)
		if err != nil || p.Code != c.code {
			t.Errorf("Find(%q) = %v, %v; want %s", c.q, p, err, c.code)
		}
	}
	for _, c := range []struct {
		q, into, former string
		suggest         []string
	}{
		{q: "Hà Giang", into: "08", former: "02"},
		{q: "02", into: "08", former: "02"},
		{q: "quang binh", into: "44", former: "44"},
		{q: "Ha Tinhh", suggest: []string{"42"}},
		{q: "nghe", suggest: []string{"40"}},
		{q: "Quảng", suggest: []string{"22", "44", "51"}},
		{q: "Atlantis"},
		{q: ""},
	} {
		p, err := g.Find(c.q)
		var nf *NotFoundError
		if !errors.As(err, &nf) {
			t.Errorf("Find(%q) = %v, %v; want a NotFoundError", c.q, p, err)
			continue
		}
		if c.into != "" && (nf.Into == nil || nf.Into.Code != c.into || nf.Former == nil || nf.Former.Code != c.former) {
			t.Errorf("Find(%q): former %+v into %+v, want %s into %s", c.q, nf.Former, nf.Into, c.former, c.into)
		}
		var got []string
		for _, s := range nf.Suggestions {
			got = append(got, s.Code)
		}
		if c.into == "" && !equal(got, c.suggest) {
			t.Errorf("Find(%q): suggestions %v, want %v", c.q, got, c.suggest)
		}
		if nf.Error() == "" {
			t.Error("empty message")
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
