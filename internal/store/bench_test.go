package store_test

import (
	"context"
	"testing"

	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
)

// Hierarchy queries on a generated province of 15,000 units, on both
// engines: go test -run X -bench Hierarchy -benchmem ./internal/store/
func BenchmarkHierarchy(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			st := storetest.Open(b, engine)
			root, commune := storetest.Province(b, st, 15000)
			storetest.Analyze(b, st)
			ctx := context.Background()
			n, _ := st.UnitCount(ctx)
			b.Logf("%s: %d units", engine, n)
			today, past := dates.Today(), dates.MustParse("2023-06-30")
			leaf := lastOf(b, st, commune)
			b.Run("subtree-province", func(b *testing.B) {
				for b.Loop() {
					ids, err := st.SubtreeIDs(ctx, root, today)
					if err != nil || len(ids) < 14000 {
						b.Fatalf("%d ids, %v", len(ids), err)
					}
				}
			})
			b.Run("subtree-province-2023", func(b *testing.B) {
				for b.Loop() {
					if _, err := st.SubtreeIDs(ctx, root, past); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("subtree-commune", func(b *testing.B) {
				for b.Loop() {
					ids, err := st.SubtreeIDs(ctx, commune, today)
					if err != nil || len(ids) < 46 {
						b.Fatalf("%d ids, %v", len(ids), err)
					}
				}
			})
			b.Run("in-subtree-access-check", func(b *testing.B) {
				for b.Loop() {
					if ok, err := st.InSubtree(ctx, root, leaf, today); !ok || err != nil {
						b.Fatal(ok, err)
					}
				}
			})
			b.Run("children-of-province", func(b *testing.B) {
				for b.Loop() {
					if _, err := st.Children(ctx, root, today); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("search-no-diacritics", func(b *testing.B) {
				for b.Loop() {
					if _, total, err := st.SearchUnits(ctx, store.UnitFilter{Query: "dong vinh 12", Day: today, Limit: 50}); err != nil || total == 0 {
						b.Fatal(total, err)
					}
				}
			})
		})
	}
}

func lastOf(b *testing.B, st *store.Store, parent int64) int64 {
	kids, err := st.Children(context.Background(), parent, dates.Today())
	if err != nil || len(kids) == 0 {
		b.Fatalf("children: %v", err)
	}
	return kids[len(kids)-1].ID
}
