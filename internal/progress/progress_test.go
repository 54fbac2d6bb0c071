package progress_test

import (
	"context"
	"fmt"
	"testing"

	"khienso/internal/activities"
	"khienso/internal/audit"
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

var actor = audit.Actor{Label: "test"}

type fixture struct {
	s                         *store.Store
	prov, dic, district, a, b int64
	school1, school2, newComm int64
	plan                      *plans.Plan
}

func unit(t *testing.T, s *store.Store, code, name string, typ units.Type, parent int64, level units.SchoolLevel) int64 {
	t.Helper()
	u := &units.Unit{Code: code, Name: name, Type: typ, SchoolLevel: level, ValidFrom: dates.MustParse("2015-01-01")}
	if err := s.CreateUnit(context.Background(), actor, u, parent); err != nil {
		t.Fatalf("create %s: %v", code, err)
	}
	return u.ID
}

func act(t *testing.T, s *store.Store, unit int64, typ activities.Type, ch activities.Channel, day string, aud activities.Set, qty, participants, communes int64) {
	t.Helper()
	a := &activities.Activity{UnitID: unit, Type: typ, Channel: ch, Title: string(typ) + " " + day, Start: dates.MustParse(day),
		Audiences: aud, Quantity: qty, Participants: participants, Communes: communes}
	if err := s.CreateActivity(context.Background(), actor, a); err != nil {
		t.Fatalf("activity %s %s: %v", typ, day, err)
	}
}

// setup builds a small Hà Tĩnh and enters the figures of its DIC's
// five-year report (seed 004) as activities.
func setup(t *testing.T, s *store.Store) *fixture {
	ctx := context.Background()
	f := &fixture{s: s}
	f.prov = unit(t, s, "42", "Ủy ban nhân dân tỉnh Hà Tĩnh", units.TypeProvinceCommittee, 0, "")
	f.dic = unit(t, s, "42-STTTT", "Sở Thông tin và Truyền thông Hà Tĩnh", units.TypeCoordinator, f.prov, "")
	f.district = unit(t, s, "436", "Huyện Thạch Hà", units.TypeDistrict, f.prov, "")
	f.a = unit(t, s, "18580", "Xã Thạch Ngọc", units.TypeCommune, f.district, "")
	f.b = unit(t, s, "18583", "Xã Thạch Kênh", units.TypeCommune, f.district, "")
	f.school1 = unit(t, s, "42-THCS-TN", "Trường THCS Thạch Ngọc", units.TypeSchool, f.a, units.LevelLowerSecondary)
	f.school2 = unit(t, s, "42-THPT-TH", "Trường THPT Thạch Hà", units.TypeSchool, f.district, units.LevelUpperSecondary)

	dic, ppl := f.dic, activities.SetOf
	act(t, s, dic, "training_class", "in_person", "2016-10-10", ppl("technical_staff"), 1, 35, 0)
	act(t, s, dic, "training_class", "in_person", "2017-11-02", ppl("pupils"), 1, 2000, 0)
	act(t, s, dic, "directive", "other", "2018-03-01", ppl("journalists"), 13, 0, 0)
	act(t, s, dic, "loudspeaker", "loudspeaker", "2018-09-01", ppl("citizens"), 1, 0, 262)
	act(t, s, dic, "training_class", "in_person", "2019-05-20", ppl("technical_staff"), 4, 196, 0)
	act(t, s, dic, "training_class", "in_person", "2019-06-20", ppl("agency_heads"), 2, 97, 0)
	act(t, s, dic, "training_class", "in_person", "2019-08-01", ppl("citizens", "enterprise_staff"), 40, 2400, 0)
	act(t, s, dic, "news_article", "press", "2019-12-01", ppl("citizens"), 160, 0, 0)
	act(t, s, dic, "leaflet", "print", "2019-10-01", ppl("civil_servants", "citizens"), 1, 0, 262)
	// A school's own programme for pupils (2019) and the communes' work.
	act(t, s, f.school1, "seminar", "in_person", "2019-04-01", ppl("pupils"), 1, 300, 0)
	act(t, s, f.a, "training_class", "in_person", "2024-03-01", ppl("citizens"), 1, 50, 0)
	act(t, s, f.b, "training_class", "in_person", "2024-04-01", ppl("citizens"), 1, 20, 0)

	// 01/07/2025: the district is abolished; A and B merge into a new
	// commune directly under the province.
	c := &units.Unit{Code: "18580.new", Name: "Xã Thạch Hà", Type: units.TypeCommune}
	var err error
	f.newComm, err = s.MergeUnits(ctx, actor, store.MergeRequest{SourceIDs: []int64{f.a, f.b}, NewTarget: c, NewTargetParent: f.prov, Date: dates.MustParse("2025-07-01")})
	if err != nil {
		t.Fatalf("merge communes: %v", err)
	}
	if _, err := s.MergeUnits(ctx, actor, store.MergeRequest{SourceIDs: []int64{f.district}, TargetID: f.prov, Date: dates.MustParse("2025-07-01")}); err != nil {
		t.Fatalf("abolish district: %v", err)
	}
	act(t, s, f.newComm, "training_class", "in_person", "2026-03-01", ppl("citizens"), 1, 30, 0)

	f.plan = &plans.Plan{UnitID: f.prov, Title: "Kế hoạch thực hiện Đề án 893", Number: "01/KH-UBND", IssuedOn: dates.MustParse("2016-01-10"),
		YearFrom: 2015, YearTo: 2020, Status: plans.StatusInEffect}
	if err := s.CreatePlan(ctx, actor, f.plan, nil); err != nil {
		t.Fatalf("create plan: %v", err)
	}
	return f
}

func ind(code, formula string, cmp indicators.Comparison, value float64, period plans.PeriodKind) *plans.Indicator {
	return &plans.Indicator{Code: code, Name: code, Formula: formula, Comparison: string(cmp), Value: value, Period: period}
}

func TestSeed004FiguresComeOutExactly(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		svc := &progress.Service{Store: s}
		today := dates.MustParse("2026-11-25")
		list := []*plans.Indicator{
			ind("it_classes", "count(type=training_class, audience=technical_staff)", indicators.AtLeast, 3, plans.PeriodYearly),
			ind("it_trainees", "sum(participants, type=training_class, audience=technical_staff)", indicators.AtLeast, 100, plans.PeriodYearly),
			ind("cio_classes", "count(type=training_class, audience=agency_heads)", indicators.AtLeast, 1, plans.PeriodYearly),
			ind("cio_trainees", "sum(participants, type=training_class, audience=agency_heads)", indicators.AtLeast, 1, plans.PeriodYearly),
			ind("citizen_classes", "count(type=training_class, audience=citizens)", indicators.AtLeast, 1, plans.PeriodYearly),
			ind("citizen_trainees", "sum(participants, type=training_class, audience=citizens)", indicators.AtLeast, 1, plans.PeriodYearly),
			ind("news", "count(type=news_article)", indicators.AtLeast, 100, plans.PeriodYearly),
			ind("leaflet_communes", "sum(communes, type=leaflet)", indicators.AtLeast, 262, plans.PeriodYearly),
			ind("school_share", "100 * units(unit_type=school, level=lower_secondary|upper_secondary, has=any, audience=pupils) / units(unit_type=school, level=lower_secondary|upper_secondary)", indicators.AtLeast, 100, plans.PeriodYearly),
			ind("tech_total", "sum(participants, type=training_class, audience=technical_staff)", indicators.AtLeast, 200, plans.PeriodCumulative),
		}
		res, err := svc.Plan(ctx, f.plan, list, f.prov, 2019, today)
		if err != nil || len(res) != len(list) {
			t.Fatalf("%d results for %d indicators (%v)", len(res), len(list), err)
		}
		want := map[string]float64{"it_classes": 4, "it_trainees": 196, "cio_classes": 2, "cio_trainees": 97, "citizen_classes": 40,
			"citizen_trainees": 2400, "news": 160, "leaflet_communes": 262, "school_share": 50, "tech_total": 231}
		for _, r := range res {
			if r.Err != nil || !r.Defined || r.Value != want[r.Indicator.Code] {
				t.Errorf("%s = %v (defined %v, err %v), want %v", r.Indicator.Code, r.Value, r.Defined, r.Err, want[r.Indicator.Code])
			}
		}
		status := map[string]indicators.Status{}
		for _, r := range res {
			status[r.Indicator.Code] = r.Progress.Status
		}
		for _, r := range res {
			// One of the two secondary schools held a programme for pupils.
			want := progress.Basis{Units: 2, Ratio: true, Num: progress.Part{Value: 1, Defined: true, Units: 1}, Den: progress.Part{Value: 2, Defined: true, Units: 2}}
			if r.Indicator.Code == "school_share" && r.Basis != want {
				t.Errorf("school_share rests on %+v, want %+v", r.Basis, want)
			}
		}
		if status["it_classes"] != indicators.Achieved || status["school_share"] != indicators.Missed || status["tech_total"] != indicators.Achieved {
			t.Errorf("statuses = %v", status)
		}
		// 2018: loudspeaker CDs reached 262 communes; 13 directives.
		res, err = svc.Plan(ctx, f.plan, []*plans.Indicator{
			ind("loudspeaker", "sum(communes, type=loudspeaker)", indicators.AtLeast, 1, plans.PeriodYearly),
			ind("directives", "count(type=directive)", indicators.AtLeast, 1, plans.PeriodYearly),
		}, f.prov, 2018, today)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Value != 262 || res[1].Value != 13 {
			t.Errorf("2018 = %v, %v; want 262, 13", res[0].Value, res[1].Value)
		}
	})
}

func TestMergedUnitsRollUpAndBreakdown(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		svc := &progress.Service{Store: s}
		today := dates.MustParse("2026-11-25")
		citizens := ind("citizens", "sum(participants, type=training_class, audience=citizens)", indicators.AtLeast, 100, plans.PeriodCumulative)
		p := &plans.Plan{ID: f.plan.ID, YearFrom: 2024, YearTo: 2026}

		// 2024, as the tree stood then: the district holds both communes.
		rows, err := svc.Breakdown(ctx, p, ind("c", citizens.Formula, indicators.AtLeast, 1, plans.PeriodYearly), f.prov, 2024, today)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]float64{}
		for _, r := range rows {
			got[r.UnitID] = r.Value
		}
		if got[f.district] != 70 || got[f.dic] != 0 {
			t.Errorf("2024 breakdown = %v, want district 70", got)
		}
		// 2024-2026 cumulative for the new commune includes its predecessors.
		res, err := svc.Plan(ctx, p, []*plans.Indicator{citizens}, f.newComm, 2026, today)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Value != 100 || res[0].Progress.Status != indicators.Achieved {
			t.Errorf("new commune cumulative = %v %v, want 100 achieved", res[0].Value, res[0].Progress.Status)
		}
		// Breakdown of 2026 by today's children: the new commune shows its
		// own 30 only (2024 is outside the year).
		rows, err = svc.Breakdown(ctx, p, ind("c", citizens.Formula, indicators.AtLeast, 1, plans.PeriodYearly), f.prov, 2026, today)
		if err != nil {
			t.Fatal(err)
		}
		got = map[int64]float64{}
		for _, r := range rows {
			got[r.UnitID] = r.Value
		}
		if got[f.newComm] != 30 {
			t.Errorf("2026 breakdown = %v, want new commune 30", got)
		}
		all, err := svc.Series(ctx, p, []*plans.Indicator{citizens}, f.prov, today, nil)
		if err != nil {
			t.Fatal(err)
		}
		if series := all[0]; len(series) != 3 || series[0].Value != 70 || series[2].Value != 100 {
			t.Errorf("series = %+v", series)
		}
	})
}

func TestReportFiguresAndPlansFeedIndicators(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		svc := &progress.Service{Store: s}
		today := dates.MustParse("2026-11-25")
		tpl := reports.Standard()
		if err := s.SaveReportTemplate(ctx, actor, &tpl); err != nil {
			t.Fatal(err)
		}
		round := &reports.Round{TemplateID: tpl.ID, Title: "Báo cáo năm 2026", From: dates.MustParse("2026-01-01"), To: dates.MustParse("2026-12-31"),
			Deadline: dates.MustParse("2026-12-05"), Units: []int64{f.newComm, f.dic}}
		if err := s.CreateRound(ctx, actor, round); err != nil {
			t.Fatal(err)
		}
		vals := map[string]float64{}
		for _, fl := range tpl.Fields {
			vals[fl.Code] = 1
		}
		vals["security_spending"], vals["it_spending"] = 120, 1000
		narr := map[string]string{"results": "Đã tổ chức", "limitations": "Kinh phí thấp", "proposals": "Tăng kinh phí"}
		reportSvc := reportsvc.New(s, service.NewAccess(s, nil), svc, nil)
		for _, step := range []reports.Action{reports.ActionSubmit, reports.ActionAccept} {
			if _, err := reportSvc.Apply(ctx, service.SystemActor, reportsvc.Step{Round: round.ID, Unit: f.newComm,
				Step: reports.Step{Action: step, Values: vals, Narratives: narr}}); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
		}
		unitPlan := &plans.Plan{UnitID: f.newComm, ParentID: f.plan.ID, Title: "Kế hoạch của xã", IssuedOn: dates.MustParse("2026-02-01"),
			YearFrom: 2026, YearTo: 2026, Status: plans.StatusInEffect}
		if err := s.CreatePlan(ctx, actor, unitPlan, nil); err != nil {
			t.Fatal(err)
		}
		p := &plans.Plan{ID: f.plan.ID, YearFrom: 2026, YearTo: 2026}
		res, err := svc.Plan(ctx, p, []*plans.Indicator{
			ind("spend", "100 * report(security_spending) / report(it_spending)", indicators.AtLeast, 10, plans.PeriodYearly),
			ind("planned", "100 * units(unit_type=commune, has_plan=yes) / units(unit_type=commune)", indicators.AtLeast, 100, plans.PeriodYearly),
		}, f.prov, 2026, today)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Value != 12 || res[1].Value != 100 {
			t.Errorf("spend %v, planned %v; want 12, 100", res[0].Value, res[1].Value)
		}
		v, ok, err := svc.Formula(ctx, "sum(participants, type=training_class)", f.newComm, progress.Period{FromYear: 2024, ToYear: 2026}, today)
		if err != nil || !ok || v != 100 {
			t.Errorf("prefill = %v %v %v, want 100", v, ok, err)
		}
	})
}

// TestCachedTotalsFollowWrites computes on one instance, writes on
// another, and computes again: each instance caches totals and unit facts,
// and must see the other's changes at once.
func TestCachedTotalsFollowWrites(t *testing.T) {
	for _, engine := range storetest.EngineList {
		t.Run(string(engine), func(t *testing.T) {
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
			s1, s2 := open(), open()
			f := setup(t, s1)
			today := dates.MustParse("2026-11-25")
			p := &plans.Plan{ID: f.plan.ID, YearFrom: 2026, YearTo: 2026}
			list := []*plans.Indicator{
				ind("citizens", "sum(participants, audience=citizens)", indicators.AtLeast, 1, plans.PeriodYearly),
				ind("pupils", "attr(pupils, unit_type=school)", indicators.AtLeast, 1, plans.PeriodYearly),
			}
			read := func() (float64, float64) {
				res, err := (&progress.Service{Store: s2}).Plan(ctx, p, list, f.prov, 2026, today)
				if err != nil {
					t.Fatal(err)
				}
				return res[0].Value, res[1].Value
			}
			if c, pu := read(); c != 30 || pu != 0 {
				t.Fatalf("before: citizens %v pupils %v, want 30 and 0", c, pu)
			}
			act(t, s1, f.newComm, "seminar", "in_person", "2026-05-01", activities.SetOf("citizens"), 1, 12, 0)
			u, err := s1.Unit(ctx, f.school1, today)
			if err != nil {
				t.Fatal(err)
			}
			n := 450
			u.PupilCount, u.HeadcountYear = &n, 2026
			if err := s1.UpdateUnit(ctx, actor, u); err != nil {
				t.Fatal(err)
			}
			if c, pu := read(); c != 42 || pu != 450 {
				t.Errorf("after writes on the other instance: citizens %v pupils %v, want 42 and 450", c, pu)
			}
		})
	}
}

// TestSeed004FiguresPrefillTheReport checks that the standard yearly
// report, pre-filled from the DIC's activities, carries seed 004's figures.
func TestSeed004FiguresPrefillTheReport(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		svc := &progress.Service{Store: s}
		today := dates.MustParse("2026-11-25")
		tpl := reports.Standard()
		want := map[int]map[string]float64{
			2019: {"news_items": 160, "classes": 4 + 2 + 40, "trainees": 196 + 97 + 2400, "materials": 1},
			2018: {"loudspeaker_communes": 262, "directives": 13},
		}
		for year, fields := range want {
			checked := 0
			for _, fl := range tpl.Fields {
				w, ok := fields[fl.Code]
				if !ok || fl.Prefill == "" {
					continue
				}
				got, defined, err := svc.Formula(ctx, fl.Prefill, f.dic, progress.Period{FromYear: year, ToYear: year}, today)
				if err != nil || !defined || got != w {
					t.Errorf("%d %s = %v (%v, %v), want %v", year, fl.Code, got, defined, err, w)
				}
				checked++
			}
			if checked != len(fields) {
				t.Errorf("%d: checked %d of %d fields: a field code is not in the template", year, checked, len(fields))
			}
		}
	})
}

// "Communes reached" counts distinct communes: three communes broadcasting
// every month for three years reached three communes, not 108 (the demo
// showed 274 in a province of 130).
func TestCommunesReachedCountsDistinctCommunes(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prov := unit(t, s, "40", "Ủy ban nhân dân tỉnh Nghệ An", units.TypeProvinceCommittee, 0, "")
		var communes []int64
		for i, name := range []string{"Xã Cát Ngạn", "Xã Con Cuông", "Phường Vinh Phú"} {
			communes = append(communes, unit(t, s, fmt.Sprintf("1700%d", i), name, units.TypeCommune, prov, ""))
		}
		for _, c := range communes {
			for year := 2024; year <= 2026; year++ {
				for month := 1; month <= 12; month++ {
					act(t, s, c, "loudspeaker", "loudspeaker", fmt.Sprintf("%d-%02d-05", year, month), activities.SetOf("citizens"), 1, 0, 1)
				}
			}
		}
		p := &plans.Plan{UnitID: prov, Title: "Kế hoạch 2024-2026", Number: "02/KH-UBND", IssuedOn: dates.MustParse("2024-01-10"),
			YearFrom: 2024, YearTo: 2026, Status: plans.StatusInEffect}
		if err := s.CreatePlan(ctx, actor, p, nil); err != nil {
			t.Fatal(err)
		}
		svc := &progress.Service{Store: s}
		list := []*plans.Indicator{
			ind("yearly", "sum(communes, type=loudspeaker)", indicators.AtLeast, 3, plans.PeriodYearly),
			ind("cumulative", "sum(communes, type=loudspeaker)", indicators.AtLeast, 3, plans.PeriodCumulative),
			ind("broadcasts", "count(type=loudspeaker)", indicators.AtLeast, 1, plans.PeriodCumulative),
		}
		res, err := svc.Plan(ctx, p, list, prov, 2026, dates.MustParse("2026-11-25"))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]float64{"yearly": 3, "cumulative": 3, "broadcasts": 108}
		for _, r := range res {
			if r.Err != nil || !r.Defined || r.Value != want[r.Indicator.Code] {
				t.Errorf("%s = %v (defined %v, err %v), want %v", r.Indicator.Code, r.Value, r.Defined, r.Err, want[r.Indicator.Code])
			}
			if r.Basis.Units != 3 || r.Basis.Ratio {
				t.Errorf("%s rests on %+v, want 3 units", r.Indicator.Code, r.Basis)
			}
		}
		rows, err := svc.Breakdown(ctx, p, list[1], prov, 2026, dates.MustParse("2026-11-25"))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if want := map[bool]float64{true: 0, false: 1}[r.Own]; r.Value != want {
				t.Errorf("breakdown %s = %v, want %v", r.Name, r.Value, want)
			}
		}
	})
}
