package storetest

import (
	"context"
	"testing"

	"khienso/internal/benchgen"
	"khienso/internal/store"
)

// Province fills st with a generated province of about n units (see
// benchgen.Province). It returns the root and one current commune.
func Province(tb testing.TB, st *store.Store, n int) (root, commune int64) {
	tb.Helper()
	root, commune, err := benchgen.Province(context.Background(), st, n)
	if err != nil {
		tb.Fatal(err)
	}
	return root, commune
}

// Analyze refreshes the planner's statistics after a bulk load, as
// autovacuum would on a live PostgreSQL server (a no-op cost on SQLite).
func Analyze(tb testing.TB, st *store.Store) {
	tb.Helper()
	if err := st.Analyze(context.Background()); err != nil {
		tb.Fatalf("analyze: %v", err)
	}
}
