package demo_test

import (
	"context"
	"testing"

	"khienso/internal/dates"
	"khienso/internal/demo"
	"khienso/internal/progress"
	"khienso/internal/settings"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

func TestInstallDemoProvince(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		pw, err := demo.Install(ctx, st)
		if err != nil || len(pw) < 16 {
			t.Fatalf("install: %q %v", pw, err)
		}
		pl, _ := demo.Plan()
		if n, _ := st.UnitCount(ctx); n != len(pl.Units) {
			t.Errorf("units = %d, want %d", n, len(pl.Units))
		}
		root, err := st.UnitByCode(ctx, demo.ProvinceCode, dates.Today())
		if err != nil {
			t.Fatal(err)
		}
		count := func(day string, typ units.Type) int {
			kids, err := st.Children(ctx, root.ID, dates.MustParse(day))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, k := range kids {
				if k.Type == typ {
					n++
				}
			}
			return n
		}
		if n := count("2023-06-30", units.TypeDistrict); n != 20 {
			t.Errorf("2023 tree: %d districts under the province, want 20", n)
		}
		if n := count("2023-06-30", units.TypeCommune); n != 0 {
			t.Errorf("2023 tree: %d communes directly under the province, want 0", n)
		}
		if n := count("2026-01-15", units.TypeCommune); n != 130 {
			t.Errorf("2026 tree: %d communes under the province, want 130", n)
		}
		if n := count("2026-01-15", units.TypeDistrict); n != 0 {
			t.Errorf("2026 tree: %d districts, want 0", n)
		}
		// Its documents come out complete, and the deployment speaks
		// Vietnamese without e-mail.
		set, err := st.ProvinceSettings(ctx, root.ID)
		if err != nil || set.SignerName == "" || len(set.SignerAuthority) == 0 || len(set.Recipients) == 0 || len(set.Receivers) == 0 ||
			set.ParentBody == "" || set.IssuingBody == "" || set.Symbol == "" || set.Place == "" || set.CoordinatorID == 0 {
			t.Errorf("demo province settings %+v (%v)", set, err)
		}
		dep, err := st.OwnSettings(ctx, settings.DeploymentScope)
		if err != nil || dep[settings.KeyLanguage] != "vi" || dep[settings.KeySMTPURL] != "" {
			t.Errorf("demo deployment settings %v (%v)", dep, err)
		}
		// The demo plan of the current year shows live indicators: the
		// departments that issued their own plan and the schools reached.
		list, err := st.Plans(ctx, store.PlanFilter{Parent: -1})
		if err != nil || len(list) != 2 {
			t.Fatalf("demo plans = %d (%v), want 2", len(list), err)
		}
		inds, err := st.Indicators(ctx, list[0].ID)
		if err != nil || len(inds) != 8 {
			t.Fatalf("indicators of %q = %d (%v)", list[0].Title, len(inds), err)
		}
		res, err := (&progress.Service{Store: st}).Plan(ctx, list[0], inds, root.ID, dates.Today().Year(), dates.Today())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil {
				t.Errorf("indicator %s: %v", r.Indicator.Code, r.Err)
			}
			if r.Indicator.Code == "plan_coverage" && (!r.Defined || r.Value <= 0 || r.Value >= 100) {
				t.Errorf("plan coverage = %v (defined %v), want a share between 0 and 100", r.Value, r.Defined)
			}
		}
		// A former ward of Vinh rolls up under its 2026 successor.
		old, err := st.UnitByCode(ctx, "16681.old", dates.Today())
		if err != nil {
			t.Fatal(err)
		}
		succ, _ := st.Successors(ctx, old.ID)
		if len(succ) != 1 || succ[0].Unit.Code != "16681" {
			t.Fatalf("successor of 16681.old = %+v", succ)
		}
		if in, _ := st.InSubtree(ctx, succ[0].Unit.ID, old.ID, dates.MustParse("2026-01-15")); !in {
			t.Error("a former ward's data must roll up under its successor in 2026")
		}
		admin, _, err := st.UserByEmail(ctx, demo.AdminEmail)
		if err != nil || admin == nil || !admin.MustChangePassword {
			t.Errorf("demo administrator: %+v %v", admin, err)
		}
		// Search ignores diacritics on real names.
		for _, q := range []string{"nghi loc", "Nghi Lộc", "NGHI LOC"} {
			if _, total, _ := st.SearchUnits(ctx, store.UnitFilter{Query: q, Day: dates.Today()}); total == 0 {
				t.Errorf("search %q found nothing", q)
			}
		}
	})
}
