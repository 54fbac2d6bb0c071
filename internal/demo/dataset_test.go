package demo

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

const reform = "2025-07-01"

var allowedTypes = map[string]bool{
	"province_committee": true, "dic": true, "department": true, "commune": true, "district": true,
	"school": true, "university": true, "state_enterprise": true, "bank": true, "telecom_it": true,
	"press": true, "mass_org": true, "police": true, "military": true, "other": true,
}

var allowedLevels = map[string]bool{
	"primary": true, "lower_secondary": true, "upper_secondary": true, "multi_level": true,
}

var (
	codeChars   = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._\-/]*$`)
	adminCode   = regexp.MustCompile(`^(40|[0-9]{3}|[0-9]{5}(\.old)?)$`)
	orgCode     = regexp.MustCompile(`^40-[A-Z0-9]+(-[A-Z0-9]+)*$`)
	communeCode = regexp.MustCompile(`^[0-9]{5}(\.old)?$`)
)

func load(t *testing.T) (*Dataset, map[string]*Unit) {
	t.Helper()
	d, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(d.Units) == 0 || len(d.Merges) == 0 {
		t.Fatalf("Load: %d units, %d merges", len(d.Units), len(d.Merges))
	}
	byCode := map[string]*Unit{}
	for i := range d.Units {
		byCode[d.Units[i].Code] = &d.Units[i]
	}
	return d, byCode
}

func date(t *testing.T, what, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Errorf("%s: bad date %q", what, s)
	}
	return v
}

// validOn reports whether u exists on day d (ValidTo exclusive).
func validOn(u *Unit, d string) bool {
	return u.ValidFrom <= d && (u.ValidTo == "" || d < u.ValidTo)
}

func TestLoadFreshCopy(t *testing.T) {
	a, _ := load(t)
	a.Units[0].Name = "changed"
	b, _ := load(t)
	if b.Units[0].Name == "changed" {
		t.Error("Load returns shared data")
	}
}

func TestCodes(t *testing.T) {
	d, _ := load(t)
	seen := map[string]bool{}
	for _, u := range d.Units {
		if seen[u.Code] {
			t.Errorf("duplicate code %q", u.Code)
		}
		seen[u.Code] = true
		if len(u.Code) > 40 || !codeChars.MatchString(u.Code) {
			t.Errorf("code %q: bad characters or too long", u.Code)
		}
		switch u.Type {
		case "province_committee", "district", "commune":
			if !adminCode.MatchString(u.Code) {
				t.Errorf("%s %q: not a statistical code", u.Type, u.Code)
			}
		default:
			if !orgCode.MatchString(u.Code) {
				t.Errorf("%s %q: not a readable organisation code", u.Type, u.Code)
			}
		}
	}
}

func TestHierarchy(t *testing.T) {
	d, byCode := load(t)
	pos := map[string]int{}
	roots := 0
	for i, u := range d.Units {
		pos[u.Code] = i
		if u.ParentCode == "" {
			roots++
			if u.Code != ProvinceCode || u.Type != "province_committee" || u.Name != "Ủy ban nhân dân tỉnh Nghệ An" {
				t.Errorf("root is %+v", u)
			}
			continue
		}
		if u.ParentCode == u.Code {
			t.Errorf("%s is its own parent", u.Code)
		}
		p, ok := byCode[u.ParentCode]
		if !ok {
			t.Errorf("%s: parent %q does not exist", u.Code, u.ParentCode)
			continue
		}
		if j, seen := pos[p.Code]; !seen || j >= i {
			t.Errorf("%s: parent %s does not come before it", u.Code, p.Code)
		}
		// The unit's validity lies within its parent's.
		if u.ValidFrom < p.ValidFrom || (p.ValidTo != "" && (u.ValidTo == "" || u.ValidTo > p.ValidTo)) {
			t.Errorf("%s [%s, %s) is not within parent %s [%s, %s)", u.Code, u.ValidFrom, u.ValidTo, p.Code, p.ValidFrom, p.ValidTo)
		}
	}
	if roots != 1 {
		t.Errorf("%d roots, want 1", roots)
	}
}

func TestFields(t *testing.T) {
	d, _ := load(t)
	for _, u := range d.Units {
		if !allowedTypes[u.Type] {
			t.Errorf("%s: type %q not allowed", u.Code, u.Type)
		}
		if (u.Type == "school") != (u.SchoolLevel != "") {
			t.Errorf("%s: type %q with school level %q", u.Code, u.Type, u.SchoolLevel)
		}
		if u.SchoolLevel != "" && !allowedLevels[u.SchoolLevel] {
			t.Errorf("%s: school level %q not allowed", u.Code, u.SchoolLevel)
		}
		for field, s := range map[string]string{"Name": u.Name, "ShortName": u.ShortName} {
			if s == "" || !utf8.ValidString(s) || strings.TrimSpace(s) != s || strings.Contains(s, "  ") {
				t.Errorf("%s: bad %s %q", u.Code, field, s)
			}
		}
		if utf8.RuneCountInString(u.Name) > 255 || utf8.RuneCountInString(u.ShortName) > 80 {
			t.Errorf("%s: name too long", u.Code)
		}
		from := date(t, u.Code+" ValidFrom", u.ValidFrom)
		if u.ValidTo != "" && !date(t, u.Code+" ValidTo", u.ValidTo).After(from) {
			t.Errorf("%s: ValidTo %s not after ValidFrom %s", u.Code, u.ValidTo, u.ValidFrom)
		}
		if u.StaffCount < 0 || u.PupilCount < 0 {
			t.Errorf("%s: negative headcount", u.Code)
		}
		if (u.StaffCount > 0 || u.PupilCount > 0) != (u.HeadcountYear != 0) {
			t.Errorf("%s: headcounts %d/%d with year %d", u.Code, u.StaffCount, u.PupilCount, u.HeadcountYear)
		}
	}
}

func TestCounts(t *testing.T) {
	d, _ := load(t)
	var current, old, districts, upper, lower int
	for _, u := range d.Units {
		switch {
		case u.Type == "commune" && u.ValidTo == "":
			current++
			if u.ParentCode != ProvinceCode || u.ValidFrom != reform || !communeCode.MatchString(u.Code) || strings.HasSuffix(u.Code, ".old") {
				t.Errorf("current commune %+v", u)
			}
		case u.Type == "commune":
			old++
			if u.ValidTo != reform || len(u.ParentCode) != 3 {
				t.Errorf("former commune %+v", u)
			}
		case u.Type == "district":
			districts++
			if u.ParentCode != ProvinceCode || u.ValidTo != reform {
				t.Errorf("district %+v", u)
			}
		case u.SchoolLevel == "upper_secondary":
			upper++
			if u.ParentCode != "40-SGDDT" {
				t.Errorf("upper-secondary school %s under %s", u.Code, u.ParentCode)
			}
		case u.SchoolLevel == "lower_secondary":
			lower++
		}
	}
	if current != 130 {
		t.Errorf("%d current communes, want 130", current)
	}
	// The pre-2025 snapshot (01/03/2025) has 20 district-level units and 412 communes.
	if districts != 20 || old != 412 {
		t.Errorf("%d districts and %d former communes, want 20 and 412", districts, old)
	}
	if upper < 15 || lower < 8 {
		t.Errorf("%d upper- and %d lower-secondary schools", upper, lower)
	}
}

func TestOrganisations(t *testing.T) {
	_, byCode := load(t)
	want := map[string]string{
		"40-SKHCN": "dic", "40-STTTT": "dic", "40-SGDDT": "department", "40-CA": "police",
		"40-BCHQS": "military", "40-DHVINH": "university",
	}
	for code, typ := range want {
		u, ok := byCode[code]
		if !ok || u.Type != typ || u.ParentCode != ProvinceCode {
			t.Errorf("%s: got %+v, want type %s under %s", code, u, typ, ProvinceCode)
		}
	}
	if u := byCode["40-STTTT"]; u != nil && u.ValidTo != "2025-03-01" {
		t.Errorf("40-STTTT ValidTo %q, want 2025-03-01", u.ValidTo)
	}
	if u := byCode["40-SKHCN"]; u != nil && u.ValidTo != "" {
		t.Errorf("40-SKHCN ended on %s", u.ValidTo)
	}
}

func TestMerges(t *testing.T) {
	d, byCode := load(t)
	asSource := map[string]int{}
	asTarget := map[string]int{}
	for _, m := range d.Merges {
		date(t, "merge date", m.Date)
		if len(m.Sources) == 0 {
			t.Errorf("merge into %s has no source", m.Target)
		}
		tg, ok := byCode[m.Target]
		if !ok {
			t.Errorf("merge target %q does not exist", m.Target)
		} else if !validOn(tg, m.Date) {
			t.Errorf("merge target %s is not valid on %s", m.Target, m.Date)
		}
		asTarget[m.Target]++
		for _, s := range m.Sources {
			asSource[s]++
			u, ok := byCode[s]
			if !ok {
				t.Errorf("merge source %q does not exist", s)
				continue
			}
			if s == m.Target {
				t.Errorf("%s merges into itself", s)
			}
			// The source ceases on the merge date and is not valid after it.
			if u.ValidTo == "" || u.ValidTo > m.Date {
				t.Errorf("merge source %s is valid after %s (ValidTo %q)", s, m.Date, u.ValidTo)
			}
			if u.ValidTo != m.Date {
				t.Errorf("merge source %s ends on %q, merge date %s", s, u.ValidTo, m.Date)
			}
		}
	}
	for s, n := range asSource {
		if n != 1 {
			t.Errorf("%s is a source of %d merges", s, n)
		}
	}
	for _, u := range d.Units {
		// Every unit that ended (former communes, districts, the former DIC)
		// has exactly one successor.
		if u.ValidTo == reform && u.Code != "40-STTTT" && asSource[u.Code] != 1 {
			t.Errorf("%s ended on %s but is a source of %d merges", u.Code, reform, asSource[u.Code])
		}
		if u.ValidTo != "" && asSource[u.Code] != 1 {
			t.Errorf("%s ended on %s but is a source of %d merges", u.Code, u.ValidTo, asSource[u.Code])
		}
		if u.Type == "commune" && u.ValidTo == "" && asTarget[u.Code] != 1 {
			t.Errorf("current commune %s is the target of %d merges", u.Code, asTarget[u.Code])
		}
	}
	var dic bool
	for _, m := range d.Merges {
		if m.Target == "40-SKHCN" && m.Date == "2025-03-01" && len(m.Sources) == 1 && m.Sources[0] == "40-STTTT" {
			dic = true
		}
	}
	if !dic {
		t.Error("no merge of 40-STTTT into 40-SKHCN on 2025-03-01")
	}
}

// TestKnownMerges checks a few successions against the 2025 restructuring.
func TestKnownMerges(t *testing.T) {
	d, byCode := load(t)
	target := map[string]string{}
	for _, m := range d.Merges {
		for _, s := range m.Sources {
			target[s] = m.Target
		}
	}
	for _, c := range []struct{ source, target, targetName string }{
		{"16681.old", "16681", "Phường Thành Vinh"}, // Phường Quang Trung
		{"17899", "17827", "Xã Nghi Lộc"},           // Xã Diên Hoa, split; stays in former Nghi Lộc district
		{"17647", "17677", "Xã Văn Hiến"},           // Xã Hòa Sơn, split; stays in former Đô Lương district
		{"412", ProvinceCode, "Ủy ban nhân dân tỉnh Nghệ An"},
	} {
		if got := target[c.source]; got != c.target {
			t.Errorf("%s merges into %q, want %s", c.source, got, c.target)
		}
		if u := byCode[c.target]; u == nil || u.Name != c.targetName {
			t.Errorf("%s: got %+v, want %s", c.target, u, c.targetName)
		}
	}
}
