package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
	"khienso/internal/validation"
)

var actor = audit.Actor{Label: "test"}

func mkUnit(t *testing.T, s *store.Store, code, name string, typ units.Type, parent int64, from string) int64 {
	t.Helper()
	u := &units.Unit{Code: code, Name: name, Type: typ, ValidFrom: dates.MustParse(from)}
	if typ == units.TypeSchool {
		u.SchoolLevel = units.LevelUpperSecondary
	}
	if err := s.CreateUnit(context.Background(), actor, u, parent); err != nil {
		t.Fatalf("create %s: %v", code, err)
	}
	return u.ID
}

func reasonOf(err error) string {
	var ve validation.Errors
	if errors.As(err, &ve) && len(ve) > 0 {
		return ve[0].Reason
	}
	return ""
}

func TestUnitHierarchyThroughTime(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prov := mkUnit(t, s, "40", "Ủy ban nhân dân tỉnh Nghệ An", units.TypeProvinceCommittee, 0, "2021-01-01")
		dist := mkUnit(t, s, "412", "Huyện Nghi Lộc", units.TypeDistrict, prov, "2021-01-01")
		a := mkUnit(t, s, "17827.old", "Xã Nghi Phong", units.TypeCommune, dist, "2021-01-01")
		b := mkUnit(t, s, "17830", "Xã Nghi Xuân", units.TypeCommune, dist, "2021-01-01")
		school := mkUnit(t, s, "40-THCS-NP", "Trường THCS Nghi Phong", units.TypeSchool, a, "2021-01-01")

		// A and B merge into a new commune C under the province from 01/07/2025.
		c := &units.Unit{Code: "17827", Name: "Xã Nghi Lộc", Type: units.TypeCommune}
		cid, err := s.MergeUnits(ctx, actor, store.MergeRequest{SourceIDs: []int64{a, b}, NewTarget: c, NewTargetParent: prov, Date: dates.MustParse("2025-07-01")})
		if err != nil {
			t.Fatalf("merge: %v", err)
		}
		y2023, y2026 := dates.MustParse("2023-06-30"), dates.MustParse("2026-01-15")

		sub, err := s.SubtreeIDs(ctx, dist, y2023)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(sub)
		if want := []int64{dist, a, b, school}; !sameSet(sub, want) {
			t.Errorf("2023 subtree of district = %v, want %v", sub, want)
		}
		sub, _ = s.SubtreeIDs(ctx, cid, y2026)
		if want := []int64{cid, a, b, school}; !sameSet(sub, want) {
			t.Errorf("2026 subtree of successor = %v, want %v (former units roll up)", sub, want)
		}
		// The school moved under the successor on the merge date.
		su, err := s.Unit(ctx, school, y2026)
		if err != nil || su.ParentID != cid {
			t.Errorf("school parent in 2026 = %v (%v), want %d", su.ParentID, err, cid)
		}
		su, _ = s.Unit(ctx, school, y2023)
		if su.ParentID != a {
			t.Errorf("school parent in 2023 = %d, want %d", su.ParentID, a)
		}
		if in, _ := s.InSubtree(ctx, prov, a, y2026); !in {
			t.Error("former commune should roll up under the province in 2026")
		}
		if in, _ := s.InSubtree(ctx, dist, school, y2026); in {
			t.Error("school is no longer under the district in 2026")
		}
		kids, _ := s.Children(ctx, dist, y2023)
		if len(kids) != 2 {
			t.Errorf("district had %d children in 2023, want 2", len(kids))
		}
		preds, _ := s.Predecessors(ctx, cid)
		if len(preds) != 2 {
			t.Errorf("predecessors = %d, want 2", len(preds))
		}

		// A move keeps history. (The rules of moves and merges are the units
		// service's, tested there; the store only persists.)
		dept := mkUnit(t, s, "40-SGDDT", "Sở Giáo dục và Đào tạo", units.TypeDepartment, prov, "2021-01-01")
		if err := s.MoveUnit(ctx, actor, school, dept, dates.MustParse("2026-02-01")); err != nil {
			t.Fatalf("move: %v", err)
		}
		if u, _ := s.Unit(ctx, school, dates.MustParse("2026-01-31")); u.ParentID != cid {
			t.Errorf("before move parent = %d, want %d", u.ParentID, cid)
		}
		if u, _ := s.Unit(ctx, school, dates.MustParse("2026-02-01")); u.ParentID != dept {
			t.Errorf("after move parent = %d, want %d", u.ParentID, dept)
		}
		pl, _ := s.Placements(ctx, school)
		if len(pl) != 3 {
			t.Errorf("placements = %d, want 3", len(pl))
		}
		// A unit another request closed meanwhile is not closed twice.
		if _, err = s.MergeUnits(ctx, actor, store.MergeRequest{SourceIDs: []int64{a}, TargetID: dept, Date: dates.MustParse("2026-03-01")}); !errors.Is(err, store.ErrUnitChanged) {
			t.Errorf("merge of a closed unit: %v", err)
		}
		// Duplicate codes are refused (the unique index decides).
		err = s.CreateUnit(ctx, actor, &units.Unit{Code: "40", Name: "Dup", Type: units.TypeOther, ValidFrom: y2026}, prov)
		if reasonOf(err) != "err.code_taken" {
			t.Errorf("duplicate code: %v", err)
		}
	})
}

func TestSearchIgnoresDiacritics(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prov := mkUnit(t, s, "26", "Tỉnh Vĩnh Phúc", units.TypeProvinceCommittee, 0, "2021-01-01")
		mkUnit(t, s, "26-P1", "Phường Vĩnh Phúc", units.TypeCommune, prov, "2021-01-01")
		mkUnit(t, s, "26-P2", "Xã Đông Hà", units.TypeCommune, prov, "2021-01-01")
		for _, q := range []string{"vinh phuc", "Vĩnh Phúc", "VINH PHUC", "phuc vinh"} {
			got, total, err := s.SearchUnits(ctx, store.UnitFilter{Query: q, Day: dates.Today()})
			if err != nil {
				t.Fatal(err)
			}
			if total != 2 || len(got) != 2 {
				t.Errorf("search %q found %d (total %d), want 2", q, len(got), total)
			}
		}
		got, _, _ := s.SearchUnits(ctx, store.UnitFilter{Query: "dong ha", Day: dates.Today()})
		if len(got) != 1 || got[0].Code != "26-P2" {
			t.Errorf("search 'dong ha' = %v", got)
		}
		got, _, _ = s.SearchUnits(ctx, store.UnitFilter{Query: "100%_", Day: dates.Today()})
		if len(got) != 0 {
			t.Errorf("wildcards must match literally, got %d", len(got))
		}
	})
}

func sameSet(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
