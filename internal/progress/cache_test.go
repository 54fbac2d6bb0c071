package progress_test

import (
	"context"
	"fmt"
	"testing"

	"khienso/internal/activities"
	"khienso/internal/dates"
	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/service/reportsvc"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// openTwo opens two stores on one database: two app servers.
func openTwo(t *testing.T, engine store.Engine) (*store.Store, *store.Store) {
	ctx := context.Background()
	dsn := storetest.DSN(t, engine)
	open := func() *store.Store {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return s
	}
	return open(), open()
}

// cacheIndicators use every kind of measure.
var cacheIndicators = []*plans.Indicator{
	ind("citizens", "sum(participants, audience=citizens)", indicators.AtLeast, 1, plans.PeriodYearly),
	ind("classes", "count(type=training_class)", indicators.AtLeast, 1, plans.PeriodYearly),
	ind("active_schools", "units(unit_type=school, has=any)", indicators.AtLeast, 1, plans.PeriodYearly),
	ind("communes", "units(unit_type=commune)", indicators.AtLeast, 1, plans.PeriodYearly),
	ind("pupils", "attr(pupils, unit_type=school)", indicators.AtLeast, 1, plans.PeriodYearly),
	ind("planned", "units(unit_type=commune, has_plan=yes)", indicators.AtLeast, 1, plans.PeriodYearly),
	ind("spending", "report(security_spending)", indicators.AtLeast, 1, plans.PeriodYearly),
	ind("citizens_total", "sum(participants, audience=citizens)", indicators.AtLeast, 1, plans.PeriodCumulative),
	ind("held_total", "units(has=training_class|seminar)", indicators.AtLeast, 1, plans.PeriodCumulative),
}

// TestCacheFollowsAnotherInstance computes on one instance (keeping its
// cache warm), writes on another, and checks after every kind of write
// that the warm instance computes what a fresh one computes from the
// database, for several roots, years, breakdowns and cumulative periods,
// and the figures the write should give.
func TestCacheFollowsAnotherInstance(t *testing.T) {
	for _, engine := range storetest.EngineList {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			writer, reader := openTwo(t, engine)
			f := setup(t, writer)
			today := dates.MustParse("2026-11-25")
			p := &plans.Plan{ID: f.plan.ID, YearFrom: 2024, YearTo: 2026}
			warm := &progress.Service{Store: reader}
			roots := []int64{f.prov, f.dic, f.district, f.a, f.newComm, f.school1}
			// snapshot computes everything the check compares, on svc.
			snapshot := func(svc *progress.Service) map[string]float64 {
				t.Helper()
				out := map[string]float64{}
				for _, year := range []int{2024, 2025, 2026} {
					for _, root := range roots {
						res, err := svc.Plan(ctx, p, cacheIndicators, root, year, today)
						if err != nil {
							t.Fatal(err)
						}
						for _, r := range res {
							out[fmt.Sprintf("%d/%d/%s", year, root, r.Indicator.Code)] = r.Value
							// How many units a value rests on follows writes as its value does.
							out[fmt.Sprintf("%d/%d/%s/units", year, root, r.Indicator.Code)] = float64(r.Basis.Units)
						}
					}
					for _, i := range cacheIndicators {
						rows, err := svc.Breakdown(ctx, p, i, f.prov, year, today)
						if err != nil {
							t.Fatal(err)
						}
						for _, r := range rows {
							out[fmt.Sprintf("%d/breakdown %d/%s", year, r.UnitID, i.Code)] = r.Value
							out[fmt.Sprintf("%d/breakdown %d/%s/units", year, r.UnitID, i.Code)] = float64(r.Basis.Units)
						}
					}
				}
				return out
			}
			check := func(step string, want map[string]float64) {
				t.Helper()
				got := snapshot(warm)
				fresh := snapshot(&progress.Service{Store: writer})
				for k, v := range fresh {
					if got[k] != v {
						t.Errorf("after %s: %s = %v on the warm instance, %v computed afresh", step, k, got[k], v)
					}
				}
				for k, v := range want {
					if fresh[k] != v {
						t.Errorf("after %s: %s = %v, want %v", step, k, fresh[k], v)
					}
				}
			}
			key := func(year int, root int64, code string) string { return fmt.Sprintf("%d/%d/%s", year, root, code) }
			check("the set-up", map[string]float64{key(2026, f.prov, "citizens"): 30, key(2024, f.prov, "citizens"): 70,
				key(2026, f.prov, "citizens_total"): 100, key(2026, f.prov, "active_schools"): 0})

			a := &activities.Activity{UnitID: f.school1, Type: "seminar", Channel: "in_person", Title: "Buổi nói chuyện",
				Start: dates.MustParse("2026-05-01"), Audiences: activities.SetOf("citizens", "pupils"), Quantity: 1, Participants: 12}
			if err := writer.CreateActivity(ctx, actor, a); err != nil {
				t.Fatal(err)
			}
			check("an activity insert", map[string]float64{key(2026, f.prov, "citizens"): 42, key(2026, f.prov, "citizens") + "/units": 2, key(2026, f.newComm, "citizens"): 42,
				key(2026, f.school1, "citizens"): 12, key(2026, f.prov, "active_schools"): 1, key(2026, f.prov, "held_total"): 2})

			a.Participants, a.UnitID = 20, f.dic
			if err := writer.UpdateActivity(ctx, actor, a); err != nil {
				t.Fatal(err)
			}
			check("an activity edit (figures and unit)", map[string]float64{key(2026, f.prov, "citizens"): 50, key(2026, f.dic, "citizens"): 20,
				key(2026, f.school1, "citizens"): 0, key(2026, f.prov, "active_schools"): 0})

			a.Start = dates.MustParse("2025-03-01")
			if err := writer.UpdateActivity(ctx, actor, a); err != nil {
				t.Fatal(err)
			}
			check("an activity moved to another year", map[string]float64{key(2026, f.prov, "citizens"): 30, key(2025, f.prov, "citizens"): 20,
				key(2026, f.prov, "citizens_total"): 120})

			if err := writer.DeleteActivity(ctx, actor, a.ID); err != nil {
				t.Fatal(err)
			}
			check("an activity delete", map[string]float64{key(2025, f.prov, "citizens"): 0, key(2026, f.prov, "citizens_total"): 100})

			u, err := writer.Unit(ctx, f.school1, today)
			if err != nil {
				t.Fatal(err)
			}
			n := 450
			u.PupilCount, u.HeadcountYear = &n, 2026
			if err := writer.UpdateUnit(ctx, actor, u); err != nil {
				t.Fatal(err)
			}
			check("a unit attribute change", map[string]float64{key(2026, f.prov, "pupils"): 450, key(2026, f.newComm, "pupils"): 450})

			if err := writer.MoveUnit(ctx, actor, f.school1, f.dic, dates.MustParse("2026-02-01")); err != nil {
				t.Fatal(err)
			}
			check("a unit move", map[string]float64{key(2026, f.dic, "pupils"): 450, key(2026, f.newComm, "pupils"): 0,
				key(2024, f.a, "pupils"): 450})

			c := &units.Unit{Code: "18580.next", Name: "Xã Thạch Hà mới", Type: units.TypeCommune}
			next, err := writer.MergeUnits(ctx, actor, store.MergeRequest{SourceIDs: []int64{f.newComm}, NewTarget: c, NewTargetParent: f.prov,
				Date: dates.MustParse("2026-06-01")})
			if err != nil {
				t.Fatal(err)
			}
			roots = append(roots, next)
			check("a unit merge", map[string]float64{key(2026, next, "citizens"): 30, key(2026, f.prov, "communes"): 1,
				key(2024, next, "citizens"): 0})

			tpl := reports.Standard()
			if err := writer.SaveReportTemplate(ctx, actor, &tpl); err != nil {
				t.Fatal(err)
			}
			round := &reports.Round{TemplateID: tpl.ID, Title: "Báo cáo năm 2026", From: dates.MustParse("2026-01-01"), To: dates.MustParse("2026-12-31"),
				Deadline: dates.MustParse("2026-12-05"), Units: []int64{f.dic}}
			if err := writer.CreateRound(ctx, actor, round); err != nil {
				t.Fatal(err)
			}
			vals := map[string]float64{}
			for _, fl := range tpl.Fields {
				vals[fl.Code] = 1
			}
			vals["security_spending"], vals["it_spending"] = 120, 1000
			narr := map[string]string{"results": "Đã tổ chức", "limitations": "Kinh phí thấp", "proposals": "Tăng kinh phí"}
			reportSvc := reportsvc.New(writer, service.NewAccess(writer, nil), &progress.Service{Store: writer}, nil)
			for _, step := range []reports.Action{reports.ActionSubmit, reports.ActionAccept} {
				if _, err := reportSvc.Apply(ctx, service.SystemActor, reportsvc.Step{Round: round.ID, Unit: f.dic,
					Step: reports.Step{Action: step, Values: vals, Narratives: narr}}); err != nil {
					t.Fatalf("%s: %v", step, err)
				}
			}
			check("an accepted report", map[string]float64{key(2026, f.prov, "spending"): 120, key(2026, f.dic, "spending"): 120})

			unitPlan := &plans.Plan{UnitID: next, ParentID: f.plan.ID, Title: "Kế hoạch của xã", IssuedOn: dates.MustParse("2026-07-01"),
				YearFrom: 2026, YearTo: 2026, Status: plans.StatusInEffect}
			if err := writer.CreatePlan(ctx, actor, unitPlan, nil); err != nil {
				t.Fatal(err)
			}
			check("a unit's plan", map[string]float64{key(2026, f.prov, "planned"): 1, key(2025, f.prov, "planned"): 0})

			act(t, writer, f.school2, "training_class", "in_person", "2024-09-01", activities.SetOf("citizens"), 1, 5, 0)
			if err := writer.RebuildActivityTotals(ctx); err != nil {
				t.Fatal(err)
			}
			check("a rebuild of the totals", map[string]float64{key(2024, f.prov, "citizens"): 75, key(2024, f.prov, "classes"): 3})
		})
	}
}
