package storetest

import (
	"context"
	"fmt"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/units"
)

// Province fills st with a generated province of about n units, shaped like
// a real one: the People's Committee, 40 departments, communes, and under
// each commune its schools and other organisations; a tenth of the communes
// are former units merged into a neighbour on 01/07/2025, so history and
// roll-up paths are exercised too. It returns the root and one current
// commune.
func Province(tb testing.TB, st *store.Store, n int) (root, commune int64) {
	tb.Helper()
	ctx := context.Background()
	from := dates.MustParse("2021-01-01")
	mk := func(tx *store.Tx, code, name string, typ units.Type, parent int64) int64 {
		u := &units.Unit{Code: code, Name: name, Type: typ, ValidFrom: from}
		if typ == units.TypeSchool {
			u.SchoolLevel = units.LevelLowerSecondary
		}
		if err := tx.CreateUnit(ctx, audit.System, u, parent); err != nil {
			tb.Fatalf("generate %s: %v", code, err)
		}
		return u.ID
	}
	const perCommune = 45
	communes := max((n-41)/(perCommune+1), 2)
	err := st.Tx(ctx, func(tx *store.Tx) error {
		root = mk(tx, "P", "Ủy ban nhân dân tỉnh Thử Nghiệm", units.TypeProvinceCommittee, 0)
		for i := range 40 {
			mk(tx, fmt.Sprintf("P-D%02d", i), fmt.Sprintf("Sở Thử Nghiệm số %d", i), units.TypeDepartment, root)
		}
		ids := make([]int64, communes)
		for c := range communes {
			ids[c] = mk(tx, fmt.Sprintf("C%05d", c), fmt.Sprintf("Xã Phước Hòa %d", c), units.TypeCommune, root)
			for k := range perCommune {
				typ := units.TypeSchool
				if k%3 == 2 {
					typ = units.TypeOther
				}
				mk(tx, fmt.Sprintf("C%05d-%02d", c, k), fmt.Sprintf("Trường THCS Đông Vĩnh %d-%d", c, k), typ, ids[c])
			}
		}
		merge := dates.MustParse("2025-07-01")
		for c := 0; c+1 < communes; c += 10 {
			if _, err := tx.MergeUnits(ctx, audit.System, store.MergeRequest{SourceIDs: []int64{ids[c]}, TargetID: ids[c+1], Date: merge}); err != nil {
				return err
			}
		}
		commune = ids[1]
		return nil
	})
	if err != nil {
		tb.Fatalf("generate province: %v", err)
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
