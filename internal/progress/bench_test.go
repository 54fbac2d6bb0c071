package progress_test

import (
	"context"
	"os"
	"testing"

	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/store"
)

// The indicator benchmarks run against a database made by
//
//	khienso bench gen --db DSN --units 10000 --activities 5000000
//
// named by KHIENSO_BENCH_DB (a SQLite path or a postgres:// URL); without
// it they are skipped, since generating five million rows takes minutes.
func benchSetup(b *testing.B) (*progress.Service, *plans.Plan, []*plans.Indicator, int64) {
	dsn := os.Getenv("KHIENSO_BENCH_DB")
	if dsn == "" {
		b.Skip("set KHIENSO_BENCH_DB to a database made by `khienso bench gen`")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	roots, err := st.Roots(ctx, dates.Today())
	if err != nil || len(roots) != 1 {
		b.Fatalf("roots: %v %v", roots, err)
	}
	list, err := st.Plans(ctx, store.PlanFilter{Parent: -1})
	if err != nil {
		b.Fatal(err)
	}
	var plan *plans.Plan
	for _, p := range list {
		if p.Title == "Kế hoạch thử nghiệm hiệu năng 1907" {
			plan = p
		}
	}
	if plan == nil {
		b.Fatal("no benchmark plan: was the database made by `khienso bench gen`?")
	}
	inds, err := st.Indicators(ctx, plan.ID)
	if err != nil {
		b.Fatal(err)
	}
	return &progress.Service{Store: st}, plan, inds, roots[0].ID
}

// BenchmarkPlanIndicators computes every indicator of a plan for one year
// over the whole province.
func BenchmarkPlanIndicators(b *testing.B) {
	svc, plan, inds, root := benchSetup(b)
	ctx, today := context.Background(), dates.Today()
	if _, err := svc.Plan(ctx, plan, inds, root, 2024, today); err != nil { // warm
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := svc.Plan(ctx, plan, inds, root, 2024, today)
		if err != nil || len(res) != len(inds) {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndicatorBreakdown computes one indicator for every child of
// the province root (about 200 communes and 40 departments).
func BenchmarkIndicatorBreakdown(b *testing.B) {
	svc, plan, inds, root := benchSetup(b)
	ctx, today := context.Background(), dates.Today()
	var ind *plans.Indicator
	for _, i := range inds {
		if i.Code == "school_programmes" {
			ind = i
		}
	}
	if _, err := svc.Breakdown(ctx, plan, ind, root, 2024, today); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Breakdown(ctx, plan, ind, root, 2024, today); err != nil {
			b.Fatal(err)
		}
	}
}
