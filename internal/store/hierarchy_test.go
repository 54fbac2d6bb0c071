package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// The in-memory walk agrees with the recursive SQL query, and a change made
// through one instance is seen by another instance at once.
func TestHierarchyCacheAcrossInstances(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, engine)
			a, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if _, err := a.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			b, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			root, commune := storetest.Province(t, a, 600)
			for _, day := range []string{"2023-06-30", "2025-07-01", "2026-01-15"} {
				for _, r := range []int64{root, commune} {
					mem, err := b.SubtreeIDs(ctx, r, dates.MustParse(day))
					if err != nil {
						t.Fatal(err)
					}
					sqlIDs, err := b.SubtreeIDsSQL(ctx, r, day)
					if err != nil {
						t.Fatal(err)
					}
					if !sameSet(mem, sqlIDs) {
						t.Errorf("%s subtree of %d: memory %d ids, SQL %d ids", day, r, len(mem), len(sqlIDs))
					}
				}
			}
			// Instance b has the tree cached; instance a adds a unit.
			if in, _ := b.InSubtree(ctx, commune, root, dates.Today()); in {
				t.Fatal("the province is not under a commune")
			}
			child := mkUnit(t, a, "NEW-1", "Trường Tiểu học Mới", units.TypeOther, commune, "2026-01-01")
			if in, err := b.InSubtree(ctx, commune, child, dates.Today()); !in || err != nil {
				t.Errorf("instance b must see the unit created through instance a (%v)", err)
			}
			if u, err := b.Unit(ctx, commune, dates.Today()); err != nil || u.ChildCount == 0 {
				t.Fatalf("commune before the move: %+v %v", u, err)
			}
			before, _ := b.Unit(ctx, commune, dates.Today())
			if err := a.MoveUnit(ctx, actor, child, root, dates.Today()); err != nil {
				t.Fatal(err)
			}
			if in, _ := b.InSubtree(ctx, commune, child, dates.Today()); in {
				t.Error("instance b must see the move made through instance a")
			}
			// Unit places a unit from the cache; it must follow the move at once too.
			if u, err := b.Unit(ctx, child, dates.Today()); err != nil || u.ParentID != root {
				t.Errorf("moved unit read through b: parent %d, want %d (%v)", u.ParentID, root, err)
			}
			if u, _ := b.Unit(ctx, commune, dates.Today()); u.ChildCount != before.ChildCount-1 {
				t.Errorf("commune after the move: %d children, want %d", u.ChildCount, before.ChildCount-1)
			}
			// And it places every unit as the SQL of a unit read inside a
			// transaction does, on days before, at and after the merges.
			ids, err := b.SubtreeIDsSQL(ctx, root, "2026-01-15")
			if err != nil {
				t.Fatal(err)
			}
			for _, day := range []string{"2023-06-30", "2025-06-30", "2025-07-01", dates.Today().ISO()} {
				for _, id := range ids {
					got, err := b.Unit(ctx, id, dates.MustParse(day))
					if err != nil {
						t.Fatal(err)
					}
					want, err := b.UnitSQLForTest(ctx, id, dates.MustParse(day))
					if err != nil {
						t.Fatal(err)
					}
					if got.ParentID != want.ParentID || got.ChildCount != want.ChildCount {
						t.Fatalf("unit %d on %s: parent %d, %d children; SQL says %d, %d", id, day,
							got.ParentID, got.ChildCount, want.ParentID, want.ChildCount)
					}
					withAnc, anc, err := b.UnitWithAncestors(ctx, id, dates.MustParse(day))
					if err != nil {
						t.Fatal(err)
					}
					wantAnc, _ := b.Ancestors(ctx, id, dates.MustParse(day))
					if !reflect.DeepEqual(withAnc, got) || !slices.Equal(anc, wantAnc) {
						t.Fatalf("unit %d on %s with ancestors: %+v %v, want %+v %v", id, day, withAnc, anc, got, wantAnc)
					}
				}
			}
		})
	}
}

// A unit's province is its nearest province committee, and a change of
// type made through one instance moves it at once in another.
func TestProvinceOfAcrossInstances(t *testing.T) {
	for _, engine := range storetest.EngineList {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, engine)
			a, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if _, err := a.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			b, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			day := dates.MustParse("2026-06-15")
			vn := mkUnit(t, a, "VN", "Cả nước", units.TypeNational, 0, "2021-01-01")
			body := mkUnit(t, a, "VN-ATTT", "Cục An toàn thông tin", units.TypeCoordinator, vn, "2021-01-01")
			na := mkUnit(t, a, "40", "Ủy ban nhân dân tỉnh Nghệ An", units.TypeOther, vn, "2021-01-01")
			x1 := mkUnit(t, a, "X1", "Xã Nghi Phong", units.TypeCommune, na, "2021-01-01")
			got, err := b.ProvincesOf(ctx, []int64{vn, body, na, x1}, day)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []int64{vn, body, na, x1} {
				if got[id] != vn {
					t.Errorf("before the committee exists, unit %d's province is %d, want the national root", id, got[id])
				}
			}
			u, err := a.Unit(ctx, na, day)
			if err != nil {
				t.Fatal(err)
			}
			u.Type = units.TypeProvinceCommittee
			if err := a.UpdateUnit(ctx, actor, u); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct{ unit, want int64 }{{x1, na}, {na, na}, {body, vn}, {vn, vn}} {
				if p, err := b.ProvinceOf(ctx, c.unit, day); err != nil || p != c.want {
					t.Errorf("after the type change, unit %d's province through the other instance = %d (%v), want %d", c.unit, p, err, c.want)
				}
			}
			u.Type = units.TypeOther
			if err := a.UpdateUnit(ctx, actor, u); err != nil {
				t.Fatal(err)
			}
			if p, err := b.ProvinceOf(ctx, x1, day); err != nil || p != vn {
				t.Errorf("once 40 is no committee, X1's province = %d (%v), want the national root", p, err)
			}
		})
	}
}
