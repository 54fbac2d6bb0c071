package progress_test

import (
	"context"
	"os"
	"testing"

	"khienso/internal/activities"
	"khienso/internal/audit"
	"khienso/internal/benchgen"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/store"
	"khienso/internal/units"
)

// The indicator benchmarks run against a database made by
//
//	khienso bench gen --db DSN                  # one province: 10,000 units, 5,000,000 activities
//	khienso bench gen --db DSN --country        # 34 provinces: 60,000 units, 10,000,000 activities
//
// named by KHIENSO_BENCH_DB (a SQLite path or a postgres:// URL); without
// it they are skipped, since generating millions of rows takes minutes.
// "Whole" is the deployment's root (the province, or the national root);
// "Province" is the generated province with most units (the root itself in
// a one-province database).

const benchYear = 2024

type benchEnv struct {
	st, other      *store.Store // other is a second instance on the same database: the writer in "after write" runs
	svc            *progress.Service
	root, province int64
	school         int64 // a school of the province, where "after write" runs record activities
}

func openBench(b *testing.B, dsn string) *store.Store {
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return st
}

func benchSetup(b *testing.B) *benchEnv {
	dsn := os.Getenv("KHIENSO_BENCH_DB")
	if dsn == "" {
		b.Skip("set KHIENSO_BENCH_DB to a database made by `khienso bench gen`")
	}
	ctx, today := context.Background(), dates.Today()
	e := &benchEnv{st: openBench(b, dsn)}
	e.other = openBench(b, dsn)
	e.svc = &progress.Service{Store: e.st}
	roots, err := e.st.Roots(ctx, today)
	if err != nil || len(roots) != 1 {
		b.Fatalf("roots: %v %v", roots, err)
	}
	e.root, e.province = roots[0].ID, roots[0].ID
	if roots[0].Type == units.TypeNational {
		p, err := e.st.UnitByCode(ctx, "79", today) // the largest generated province
		if err != nil {
			b.Fatal(err)
		}
		e.province = p.ID
	}
	communes, err := e.st.Children(ctx, e.province, today)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range communes {
		if c.Type != units.TypeCommune || e.school != 0 {
			continue
		}
		kids, err := e.st.Children(ctx, c.ID, today)
		if err != nil {
			b.Fatal(err)
		}
		for _, k := range kids {
			if k.Type == units.TypeSchool {
				e.school = k.ID
				break
			}
		}
	}
	if e.school == 0 {
		b.Fatal("no school in the province")
	}
	return e
}

// plan returns the generated 1907 plan of unit and its indicators.
func (e *benchEnv) plan(b *testing.B, unit int64) (*plans.Plan, []*plans.Indicator) {
	ctx := context.Background()
	list, err := e.st.Plans(ctx, store.PlanFilter{Units: []int64{unit}})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range list {
		if p.Title == benchgen.PlanTitle+"1907" {
			inds, err := e.st.Indicators(ctx, p.ID)
			if err != nil {
				b.Fatal(err)
			}
			return p, inds
		}
	}
	b.Fatal("no benchmark plan: was the database made by `khienso bench gen`?")
	return nil, nil
}

// writer records an activity of the province's school in the benchmark
// year on the other instance, and deletes it on the next call, so that
// each call is one write that moves the year's totals and the database
// ends as it began.
type writer struct {
	e   *benchEnv
	act *activities.Activity
}

func (w *writer) write(b *testing.B) {
	ctx := context.Background()
	if w.act != nil {
		if err := w.e.other.DeleteActivity(ctx, audit.System, w.act.ID); err != nil {
			b.Fatal(err)
		}
		w.act = nil
		return
	}
	w.act = &activities.Activity{UnitID: w.e.school, Type: "seminar", Channel: "in_person", Title: "Hoạt động đo sau khi ghi",
		Start: dates.New(benchYear, 6, 15), Audiences: activities.SetOf("pupils"), Quantity: 1, Participants: 40}
	if err := w.e.other.CreateActivity(ctx, audit.System, w.act); err != nil {
		b.Fatal(err)
	}
}

func (w *writer) cleanup(b *testing.B) {
	if w.act != nil {
		w.write(b)
	}
}

func benchPlan(b *testing.B, whole, afterWrite bool) {
	e := benchSetup(b)
	unit := e.province
	if whole {
		unit = e.root
	}
	plan, inds := e.plan(b, unit)
	ctx, today := context.Background(), dates.Today()
	compute := func() {
		res, err := e.svc.Plan(ctx, plan, inds, unit, benchYear, today)
		if err != nil || len(res) != len(inds) {
			b.Fatal(err)
		}
	}
	compute() // warm
	w := &writer{e: e}
	defer w.cleanup(b)
	for b.Loop() {
		if afterWrite {
			b.StopTimer()
			w.write(b)
			b.StartTimer()
		}
		compute()
	}
}

// BenchmarkPlanIndicators computes every indicator of the root's 1907 plan
// for one year (yearly indicators over the year, cumulative ones from the
// plan's first year) over the whole deployment, warm.
func BenchmarkPlanIndicators(b *testing.B) { benchPlan(b, true, false) }

// BenchmarkPlanIndicatorsAfterWrite is BenchmarkPlanIndicators right after
// another instance recorded (or deleted) an activity of that year in the
// province.
func BenchmarkPlanIndicatorsAfterWrite(b *testing.B) { benchPlan(b, true, true) }

// BenchmarkProvincePlanIndicators is the largest province's own 1907 plan
// over the province, warm.
func BenchmarkProvincePlanIndicators(b *testing.B) { benchPlan(b, false, false) }

// BenchmarkProvincePlanIndicatorsAfterWrite is the province's plan right
// after another instance wrote an activity of the year in it.
func BenchmarkProvincePlanIndicatorsAfterWrite(b *testing.B) { benchPlan(b, false, true) }

// BenchmarkPlanIndicatorsCold is the first computation of an instance that
// has just started: a new store (nothing cached) per run.
func BenchmarkPlanIndicatorsCold(b *testing.B) {
	e := benchSetup(b)
	plan, inds := e.plan(b, e.root)
	ctx, today := context.Background(), dates.Today()
	for b.Loop() {
		b.StopTimer()
		st := openBench(b, os.Getenv("KHIENSO_BENCH_DB"))
		b.StartTimer()
		if _, err := (&progress.Service{Store: st}).Plan(ctx, plan, inds, e.root, benchYear, today); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
}

// BenchmarkIndicatorBreakdown computes one indicator for every child of
// the root (the 34 provinces; in a one-province database, about 200
// communes and 40 departments), warm.
func BenchmarkIndicatorBreakdown(b *testing.B) {
	e := benchSetup(b)
	plan, inds := e.plan(b, e.root)
	ctx, today := context.Background(), dates.Today()
	var ind *plans.Indicator
	for _, i := range inds {
		if i.Code == "school_programmes" {
			ind = i
		}
	}
	if _, err := e.svc.Breakdown(ctx, plan, ind, e.root, benchYear, today); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := e.svc.Breakdown(ctx, plan, ind, e.root, benchYear, today); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanIndicatorsAfterUnitEdit is BenchmarkPlanIndicators right
// after another instance changed a school's pupil count: a unit attribute,
// which moves the hierarchy version (the tree and attributes are read
// again and the period's sums rebuilt).
func BenchmarkPlanIndicatorsAfterUnitEdit(b *testing.B) {
	e := benchSetup(b)
	plan, inds := e.plan(b, e.root)
	ctx, today := context.Background(), dates.Today()
	if _, err := e.svc.Plan(ctx, plan, inds, e.root, benchYear, today); err != nil {
		b.Fatal(err)
	}
	u, err := e.other.Unit(ctx, e.school, today)
	if err != nil {
		b.Fatal(err)
	}
	was := u.PupilCount
	defer func() {
		u.PupilCount = was
		if err := e.other.UpdateUnit(ctx, audit.System, u); err != nil {
			b.Fatal(err)
		}
	}()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		n := 500 + i%2
		u.PupilCount = &n
		if err := e.other.UpdateUnit(ctx, audit.System, u); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := e.svc.Plan(ctx, plan, inds, e.root, benchYear, today); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanIndicatorsAfterUnitMove is BenchmarkPlanIndicators right
// after another instance moved a school to another commune (from a day
// after its last placement began, in the future: the period's tree stays
// the same, but the tree's version moves): the tree is read again and the
// period's sums rebuilt. Each run leaves its moves in the database.
func BenchmarkPlanIndicatorsAfterUnitMove(b *testing.B) {
	e := benchSetup(b)
	plan, inds := e.plan(b, e.root)
	ctx, today := context.Background(), dates.Today()
	if _, err := e.svc.Plan(ctx, plan, inds, e.root, benchYear, today); err != nil {
		b.Fatal(err)
	}
	home, err := e.other.Unit(ctx, e.school, today)
	if err != nil {
		b.Fatal(err)
	}
	var away int64
	communes, err := e.other.Children(ctx, e.province, today)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range communes {
		if c.Type == units.TypeCommune && c.ID != home.ParentID {
			away = c.ID
		}
	}
	placements, err := e.other.Placements(ctx, e.school)
	if err != nil {
		b.Fatal(err)
	}
	day := dates.New(today.Year()+1, 1, 1)
	if last := placements[len(placements)-1].From; !last.Before(day) {
		day = last.AddDays(1)
	}
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		to := away
		if i%2 == 1 {
			to = home.ParentID
		}
		if err := e.other.MoveUnit(ctx, audit.System, e.school, to, day.AddDays(i)); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := e.svc.Plan(ctx, plan, inds, e.root, benchYear, today); err != nil {
			b.Fatal(err)
		}
	}
}
