package store_test

import (
	"context"
	"testing"

	"khienso/internal/activities"
	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// TestDataVersionsFollowWrites checks what each write moves, and that the
// changed rows alone can be read after it: what an instance's indicator
// cache relies on to follow another instance's writes.
func TestDataVersionsFollowWrites(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		versions := func() store.DataVersions {
			t.Helper()
			v, err := s.DataVersions(ctx, 2025, 2026)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		v0 := versions()
		unit := mkUnit(t, s, "X1", "Xã Nghi Phong", units.TypeCommune, 0, "2021-01-01")
		v1 := versions()
		if v1.Hierarchy == v0.Hierarchy || v1.Attributes == v0.Attributes {
			t.Errorf("a new unit moved hierarchy %d→%d, attributes %d→%d; want both moved", v0.Hierarchy, v1.Hierarchy, v0.Attributes, v1.Attributes)
		}
		changedUnits := func(since int64) []int64 {
			t.Helper()
			list, err := s.UnitAttributesChanged(ctx, since)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, u := range list {
				ids = append(ids, u.ID)
			}
			return ids
		}
		if got := changedUnits(v0.Attributes); len(got) != 1 || got[0] != unit {
			t.Errorf("units changed after the creation: %v, want [%d]", got, unit)
		}
		u, err := s.Unit(ctx, unit, dates.MustParse("2026-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			edit    func()
			attrs   bool // the attributes' version moves, and the unit is read as changed
			subject string
		}{
			{func() { u.Name = "Xã Nghi Phong mới" }, false, "a name edit"},
			{func() { n := 25; u.StaffCount = &n }, true, "a headcount edit"},
			{func() { n := 25; u.StaffCount = &n }, false, "storing the same headcount"},
			{func() { u.Type = units.TypeDistrict }, true, "a type edit"},
		} {
			before := versions()
			c.edit()
			if err := s.UpdateUnit(ctx, actor, u); err != nil {
				t.Fatal(err)
			}
			after := versions()
			if after.Hierarchy != before.Hierarchy {
				t.Errorf("%s moved the hierarchy version", c.subject)
			}
			if moved := after.Attributes != before.Attributes; moved != c.attrs {
				t.Errorf("%s: attributes version moved %v, want %v", c.subject, moved, c.attrs)
			}
			if got := changedUnits(before.Attributes); (len(got) == 1) != c.attrs {
				t.Errorf("%s: units read as changed %v", c.subject, got)
			}
		}

		before := versions()
		a := &activities.Activity{UnitID: unit, Type: "training_class", Channel: "in_person", Title: "Tập huấn",
			Start: dates.MustParse("2026-03-01"), Audiences: activities.SetOf("citizens"), Quantity: 1, Participants: 30}
		if err := s.CreateActivity(ctx, actor, a); err != nil {
			t.Fatal(err)
		}
		after := versions()
		if after.Years[2026].Version <= before.Years[2026].Version || after.Years[2025] != before.Years[2025] {
			t.Errorf("an activity of 2026 moved the years %v → %v", before.Years, after.Years)
		}
		rows, err := s.ActivityTotalsChanged(ctx, 2026, before.Years[2026].Version)
		if err != nil || len(rows) != 1 || rows[0].Unit != unit || rows[0].Records != 1 || rows[0].Metrics[1] != 30 {
			t.Errorf("changed totals after the insert: %+v %v", rows, err)
		}
		mid := after
		if err := s.DeleteActivity(ctx, actor, a.ID); err != nil {
			t.Fatal(err)
		}
		rows, err = s.ActivityTotalsChanged(ctx, 2026, mid.Years[2026].Version)
		if err != nil || len(rows) != 1 || rows[0].Records != 0 || rows[0].Metrics[1] != 0 {
			t.Errorf("changed totals after the delete: %+v %v, want the row emptied", rows, err)
		}
		if all, err := s.ActivityTotals(ctx, 2026); err != nil || len(all) != 0 {
			t.Errorf("totals of 2026 after the delete: %+v %v, want none", all, err)
		}
		if got := changedUnits(versions().Attributes); len(got) != 0 {
			t.Errorf("units changed with no change: %v", got)
		}

		if err := s.CreateActivity(ctx, actor, &activities.Activity{UnitID: unit, Type: "seminar", Channel: "in_person", Title: "Hội thảo",
			Start: dates.MustParse("2025-05-01"), Audiences: activities.SetOf("citizens"), Quantity: 1}); err != nil {
			t.Fatal(err)
		}
		before = versions()
		if err := s.RebuildActivityTotals(ctx); err != nil {
			t.Fatal(err)
		}
		after = versions()
		for _, y := range []int{2025, 2026} {
			if b, a := before.Years[y], after.Years[y]; a.Base <= b.Version || a.Version != a.Base {
				t.Errorf("a rebuild moved %d from %+v to %+v; want a base past the old version", y, b, a)
			}
		}
		if all, err := s.ActivityTotals(ctx, 2025); err != nil || len(all) != 1 {
			t.Errorf("totals of 2025 after the rebuild: %+v %v", all, err)
		}
	})
}
