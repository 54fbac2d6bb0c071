package benchgen_test

import (
	"context"
	"testing"

	"khienso/internal/benchgen"
	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// TestCountry generates a small country: the national root with the 34
// provinces under it, the largest of the size asked.
func TestCountry(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	c, err := benchgen.GenerateCountry(ctx, st, 6000, 600, nil)
	if err != nil {
		t.Fatal(err)
	}
	today := dates.Today()
	roots, err := st.Roots(ctx, today)
	if err != nil || len(roots) != 1 || roots[0].ID != c.Root || roots[0].Type != units.TypeNational {
		t.Fatalf("roots = %v (%v), want the national root", roots, err)
	}
	kids, err := st.Children(ctx, c.Root, today)
	if err != nil || len(kids) != 34 {
		t.Fatalf("%d provinces (%v), want 34", len(kids), err)
	}
	for _, k := range kids {
		if k.Type != units.TypeProvinceCommittee {
			t.Errorf("%s is a %s", k.Name, k.Type)
		}
	}
	largest, err := st.SubtreeIDs(ctx, c.Largest, today)
	if err != nil {
		t.Fatal(err)
	}
	all, err := st.UnitCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Merged communes stay in the subtree (their data rolls up), so the
	// subtree counts every generated unit of the province.
	if n := len(largest); n < 540 || n > 660 {
		t.Errorf("the largest province has %d units, want about 600", n)
	}
	if all < 5400 || all > 6600 {
		t.Errorf("%d units, want about 6,000", all)
	}
	if err := benchgen.Activities(ctx, st, 1000, 2024, 2025, 1, nil); err != nil {
		t.Fatal(err)
	}
	for _, y := range []int{2024, 2025} {
		if rows, err := st.ActivityTotals(ctx, y); err != nil || len(rows) == 0 {
			t.Errorf("totals of %d: %d rows (%v)", y, len(rows), err)
		}
	}
}
