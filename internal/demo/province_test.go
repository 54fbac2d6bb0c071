package demo

import (
	"strings"
	"testing"

	"khienso/internal/setup"
	"khienso/internal/units"
)

func plan(t *testing.T) (*setup.Plan, map[string]setup.Unit) {
	t.Helper()
	pl, err := Plan()
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]setup.Unit{}
	for _, u := range pl.Units {
		if _, dup := by[u.Code]; dup {
			t.Errorf("duplicate code %s", u.Code)
		}
		by[u.Code] = u
	}
	return pl, by
}

// The demo's own units are valid, placed after their parents and within
// their validity, and carry headcounts with their year.
func TestDemoUnits(t *testing.T) {
	pl, by := plan(t)
	pos := map[string]int{}
	for i, u := range pl.Units {
		pos[u.Code] = i
		v := u.Unit
		if err := v.Validate(); err != nil {
			t.Errorf("%s: %v", u.Code, err)
		}
		if u.Parent != "" {
			p, ok := by[u.Parent]
			if j, seen := pos[u.Parent]; !ok || !seen || j >= i || u.ValidFrom.Before(p.ValidFrom) {
				t.Errorf("%s: parent %s missing, after it or starting later", u.Code, u.Parent)
			}
		}
		if (u.StaffCount != nil || u.PupilCount != nil) != (u.HeadcountYear == sampleYear) {
			t.Errorf("%s: headcounts without their year", u.Code)
		}
	}
	var current, old, districts, upper, lower int
	for _, u := range pl.Units {
		switch {
		case u.Type == units.TypeCommune && u.ValidFrom == setup.Reform:
			current++
		case u.Type == units.TypeCommune:
			old++
		case u.Type == units.TypeDistrict:
			districts++
		case u.SchoolLevel == units.LevelUpperSecondary:
			upper++
			if u.Parent != "40-SGDDT" {
				t.Errorf("upper-secondary school %s under %s", u.Code, u.Parent)
			}
		case u.SchoolLevel == units.LevelLowerSecondary:
			lower++
			if by[u.Parent].Type != units.TypeCommune || u.ValidFrom != setup.Reform {
				t.Errorf("lower-secondary school %s under %s from %s", u.Code, u.Parent, u.ValidFrom)
			}
		}
	}
	// The pre-2025 snapshot (01/03/2025) has 20 district-level units and
	// 412 communes (Cửa Lò town had merged into Vinh city on 2024-12-01).
	if current != 130 || districts != 20 || old != 412 || upper < 15 || lower < 8 {
		t.Errorf("%d communes, %d districts, %d former communes, %d upper- and %d lower-secondary schools",
			current, districts, old, upper, lower)
	}
	for code, typ := range map[string]units.Type{"40-SKHCN": units.TypeCoordinator, "40-STTTT": units.TypeCoordinator,
		"40-SGDDT": units.TypeDepartment, "40-CA": units.TypePolice, "40-BCHQS": units.TypeMilitary,
		"40-DHVINH": units.TypeUniversity, "40-SDTTG": units.TypeDepartment} {
		if u, ok := by[code]; !ok || u.Type != typ || u.Parent != ProvinceCode {
			t.Errorf("%s: %+v, want type %s under %s", code, u, typ, ProvinceCode)
		}
	}
	if s := pl.Settings; s.SignerName == "" || len(s.SignerAuthority) != 2 || s.IssuingBody != "SỞ KHOA HỌC VÀ CÔNG NGHỆ" {
		t.Errorf("demo settings %+v", s)
	}
}

// Successions of the demo checked against the 2025 restructuring.
func TestDemoMerges(t *testing.T) {
	pl, by := plan(t)
	target := map[string]string{}
	for _, m := range pl.Merges {
		for _, s := range m.Sources {
			target[s] = m.Target
		}
	}
	for _, c := range []struct{ source, target, targetName string }{
		{"16681.old", "16681", "Phường Thành Vinh"}, // Phường Quang Trung
		{"17899", "17827", "Xã Nghi Lộc"},           // Xã Diên Hoa, split; stays in former Nghi Lộc district
		{"17647", "17677", "Xã Văn Hiến"},           // Xã Hòa Sơn, split; stays in former Đô Lương district
		{"412", ProvinceCode, "Ủy ban nhân dân tỉnh Nghệ An"},
		{"40-STTTT", "40-SKHCN", "Sở Khoa học và Công nghệ tỉnh Nghệ An"},
	} {
		if got := target[c.source]; got != c.target {
			t.Errorf("%s merges into %q, want %s", c.source, got, c.target)
		}
		if u := by[c.target]; u.Name != c.targetName {
			t.Errorf("%s: got %q, want %s", c.target, u.Name, c.targetName)
		}
	}
	if u := by["16681.old"]; !strings.HasPrefix(u.Name, "Phường Quang Trung") {
		t.Errorf("16681.old is %q", u.Name)
	}
}
