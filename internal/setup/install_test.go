package setup_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/gazetteer"
	"khienso/internal/settings"
	"khienso/internal/setup"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// day is a fixed "today" after the reform: the tests pass on any date.
var day = dates.New(2026, 3, 15)

var cli = audit.Actor{Label: "cli"}

func plan(t *testing.T, code string, o setup.Options) *setup.Plan {
	t.Helper()
	g, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	p, err := g.Find(code)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := setup.PlanProvince(p, o)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

func install(t *testing.T, st *store.Store, req setup.Request) *setup.Result {
	t.Helper()
	req.Actor, req.Today = cli, day
	res, err := setup.Install(context.Background(), st, req)
	if err != nil {
		t.Fatalf("install: %v", err)
	}
	return res
}

// counts are what "nothing changed" compares: units, audit entries, users.
type counts struct{ units, audit, users int }

func countAll(t *testing.T, st *store.Store) counts {
	t.Helper()
	ctx := context.Background()
	var c counts
	var err error
	if c.units, err = st.UnitCount(ctx); err != nil {
		t.Fatal(err)
	}
	if _, c.audit, err = st.AuditLog(ctx, audit.Filter{Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if _, c.users, err = st.Users(ctx, store.UserFilter{Limit: 1}); err != nil {
		t.Fatal(err)
	}
	return c
}

// children counts the units of each type directly under unit on d.
func children(t *testing.T, st *store.Store, unit int64, d dates.Date) map[units.Type]int {
	t.Helper()
	kids, err := st.Children(context.Background(), unit, d)
	if err != nil {
		t.Fatal(err)
	}
	out := map[units.Type]int{}
	for _, k := range kids {
		out[k.Type]++
	}
	return out
}

// Nghệ An and Hà Tĩnh in one database, each with its committee, its
// communes as in the data, its starter organisations, its settings and its
// administrator; installing either again changes nothing.
func TestTwoProvincesInOneDatabase(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		for _, c := range []struct {
			code, email, name string
			communes          int
			agency            setup.Agency
			coordinator       string
			issuing           string
		}{
			{"40", "admin@nghean.gov.vn", "Ủy ban nhân dân tỉnh Nghệ An", 130, setup.AgencyDST, "40-SKHCN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"},
			{"42", "admin@hatinh.gov.vn", "Ủy ban nhân dân tỉnh Hà Tĩnh", 69, setup.AgencyPolice, "42-CA", "CÔNG AN TỈNH HÀ TĨNH"},
		} {
			res := install(t, st, setup.Request{Plans: []*setup.Plan{plan(t, c.code, setup.Options{Coordinator: c.agency})},
				Admin: setup.Admin{Email: c.email}})
			if len(res.Installed) != 1 || len(res.Existing) != 0 || res.Admin == nil || res.Password == "" {
				t.Fatalf("%s: result %+v", c.code, res)
			}
			com, err := st.UnitByCode(ctx, c.code, day)
			if err != nil || com.Name != c.name || com.Type != units.TypeProvinceCommittee || com.ParentID != 0 {
				t.Fatalf("%s committee: %+v %v", c.code, com, err)
			}
			kids := children(t, st, com.ID, day)
			if kids[units.TypeCommune] != c.communes || kids[units.TypePolice] != 1 || kids[units.TypeMilitary] != 1 ||
				kids[units.TypePress] != 1 || kids[units.TypeDepartment]+kids[units.TypeCoordinator] != 12 || kids[units.TypeDistrict] != 0 {
				t.Errorf("%s: children by type %v", c.code, kids)
			}
			// Without history the communes start with the reform.
			if n := children(t, st, com.ID, dates.New(2024, 6, 1))[units.TypeCommune]; n != 0 {
				t.Errorf("%s: %d communes in 2024 without history", c.code, n)
			}
			vals, err := st.Settings(ctx, com.ID)
			if err != nil {
				t.Fatal(err)
			}
			set := settings.ProvinceFrom(vals)
			coord, err := st.UnitByCode(ctx, c.coordinator, day)
			if err != nil || set.CoordinatorID != coord.ID || set.IssuingBody != c.issuing || set.Place == "" || len(set.Recipients) == 0 {
				t.Errorf("%s settings %+v (coordinator %+v %v)", c.code, set, coord, err)
			}
			u, hash, err := st.UserByEmail(ctx, c.email)
			if err != nil || u == nil || u.UnitID != com.ID || len(u.Roles) != 1 || u.Roles[0] != auth.RoleAdmin || !u.MustChangePassword {
				t.Fatalf("%s admin %+v %v", c.code, u, err)
			}
			if ok, _ := auth.CheckPassword(hash, res.Password); !ok {
				t.Errorf("%s: the one-time password does not sign in", c.code)
			}
		}
		roots, err := st.RootIDs(ctx, day)
		if err != nil || len(roots) != 2 {
			t.Errorf("roots %v %v, want the two committees", roots, err)
		}

		// Again, with other answers: nothing changes.
		before := countAll(t, st)
		for _, code := range []string{"40", "42"} {
			res := install(t, st, setup.Request{Plans: []*setup.Plan{plan(t, code, setup.Options{History: true, Coordinator: setup.AgencyPolice})},
				Admin: setup.Admin{Email: "other@x.vn"}})
			if res.Changed() || len(res.Existing) != 1 || res.Admin != nil || res.Password != "" || res.Committee[code] == 0 {
				t.Errorf("second install of %s: %+v", code, res)
			}
		}
		if after := countAll(t, st); after != before {
			t.Errorf("second install changed counts: %+v -> %+v", before, after)
		}
	})
}

// The whole country: a national root with the 34 committees and 3,321
// communes; a province asked for afterwards is already there, and a
// province set up on its own before joins the root.
func TestCountry(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		install(t, st, setup.Request{Plans: []*setup.Plan{plan(t, "42", setup.Options{})}, Admin: setup.Admin{Email: "admin@hatinh.gov.vn"}})
		g, _ := gazetteer.Load()
		plans, err := setup.PlanCountry(g, setup.Options{})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		res := install(t, st, setup.Request{Plans: plans, Country: true, Admin: setup.Admin{Email: "admin@khienso.gov.vn", Password: "mật khẩu quốc gia đủ dài"}})
		t.Logf("%s: --country installed %d provinces in %v", st.Engine(), len(res.Installed), time.Since(start).Round(time.Millisecond))
		if len(res.Installed) != 33 || len(res.Existing) != 1 || !res.RootNew || len(res.Moved) != 1 || res.Password != "" {
			t.Fatalf("country: %d installed, %d existing, root new %v, moved %v", len(res.Installed), len(res.Existing), res.RootNew, res.Moved)
		}
		root, err := st.UnitByCode(ctx, setup.NationalCode, day)
		if err != nil || root.Type != units.TypeNational || root.Name != setup.NationalName {
			t.Fatalf("national root %+v %v", root, err)
		}
		if kids := children(t, st, root.ID, day); kids[units.TypeProvinceCommittee] != 34 || len(kids) != 1 {
			t.Errorf("under the root: %v", kids)
		}
		if roots, _ := st.RootIDs(ctx, day); len(roots) != 1 || roots[0] != root.ID {
			t.Errorf("roots %v", roots)
		}
		if _, n, err := st.SearchUnits(ctx, store.UnitFilter{Type: units.TypeCommune, Day: day, Limit: 1}); err != nil || n != 3321 {
			t.Errorf("communes today = %d (%v), want 3321", n, err)
		}
		admin, _, _ := st.UserByEmail(ctx, "admin@khienso.gov.vn")
		if admin == nil || admin.UnitID != root.ID || admin.MustChangePassword {
			t.Errorf("national admin %+v", admin)
		}
		if in, _ := st.InSubtree(ctx, root.ID, res.Committee["42"], day); !in {
			t.Error("Hà Tĩnh, set up before, is not under the national root")
		}
		before := countAll(t, st)
		for _, req := range []setup.Request{
			{Plans: []*setup.Plan{plan(t, "Hà Tĩnh", setup.Options{})}, Admin: setup.Admin{Email: "x@y.vn"}},
			{Plans: plans, Country: true, Admin: setup.Admin{Email: "x@y.vn"}},
		} {
			if res := install(t, st, req); res.Changed() || res.Admin != nil {
				t.Errorf("again: %+v", res)
			}
		}
		if after := countAll(t, st); after != before {
			t.Errorf("installing into the country changed counts: %+v -> %+v", before, after)
		}
	})
}

// With history: the districts and former communes of 2021-2025 under the
// committee, merged on 2025-07-01, each former commune's data rolling up
// under its 2026 successor.
func TestHistory(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		pl := plan(t, "42", setup.Options{History: true})
		install(t, st, setup.Request{Plans: []*setup.Plan{pl}, Admin: setup.Admin{Email: "admin@hatinh.gov.vn"}})
		g, _ := gazetteer.Load()
		p := g.Province("42")
		var districts, former int
		for _, f := range p.Former {
			districts += len(f.Districts)
			for _, d := range f.Districts {
				former += len(d.Communes)
			}
		}
		com, _ := st.UnitByCode(ctx, "42", day)
		then := children(t, st, com.ID, dates.New(2023, 6, 30))
		if then[units.TypeDistrict] != districts || then[units.TypeCommune] != 0 || then[units.TypeCoordinator] != 2 {
			t.Errorf("2023 tree under Hà Tĩnh: %v, want %d districts, no commune, the DIC and the DST", then, districts)
		}
		if now := children(t, st, com.ID, day); now[units.TypeDistrict] != 0 || now[units.TypeCommune] != 69 || now[units.TypeCoordinator] != 1 {
			t.Errorf("2026 tree under Hà Tĩnh: %v", now)
		}
		if _, n, _ := st.SearchUnits(ctx, store.UnitFilter{Type: units.TypeCommune, Day: dates.New(2023, 6, 30), Limit: 1}); n != former {
			t.Errorf("%d communes in 2023, want %d", n, former)
		}
		// Districts ended on 2025-07-01, merged into the committee.
		d, err := st.UnitByCode(ctx, p.Former[0].Districts[0].Code, day)
		if err != nil || d.ValidTo != setup.Reform {
			t.Fatalf("district %+v %v", d, err)
		}
		if succ, _ := st.Successors(ctx, d.ID); len(succ) != 1 || succ[0].Unit.ID != com.ID || succ[0].Date != setup.Reform {
			t.Errorf("district successor %+v", succ)
		}
		// Phường Nam Hà (18073), whose code Phường Thành Sen took, and
		// Phường Bắc Hà (18077) both went into Thành Sen.
		for _, code := range []string{"18073.old", "18077"} {
			old, err := st.UnitByCode(ctx, code, day)
			if err != nil {
				t.Fatal(err)
			}
			succ, _ := st.Successors(ctx, old.ID)
			if len(succ) != 1 || succ[0].Unit.Code != "18073" || succ[0].Unit.Name != "Phường Thành Sen" {
				t.Fatalf("successor of %s = %+v", code, succ)
			}
			if in, _ := st.InSubtree(ctx, succ[0].Unit.ID, old.ID, day); !in {
				t.Errorf("%s's data must roll up under its successor in 2026", code)
			}
			if in, _ := st.InSubtree(ctx, com.ID, old.ID, dates.New(2023, 6, 30)); !in {
				t.Errorf("%s is not in Hà Tĩnh's 2023 tree", code)
			}
		}
		dic, _ := st.UnitByCode(ctx, "42-STTTT", day)
		if succ, _ := st.Successors(ctx, dic.ID); len(succ) != 1 || succ[0].Unit.Code != "42-SKHCN" || succ[0].Date != setup.DeptReform {
			t.Errorf("the former DIC's successor %+v", succ)
		}
	})
}

// Bad requests are refused before anything is written.
func TestInstallRefusals(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		pl := plan(t, "42", setup.Options{})
		for _, c := range []struct {
			admin setup.Admin
			field string
		}{
			{setup.Admin{Email: "not-an-email"}, "email"},
			{setup.Admin{Email: ""}, "email"},
			{setup.Admin{Email: "a@b.vn", Password: "short"}, "password"},
		} {
			_, err := setup.Install(ctx, st, setup.Request{Plans: []*setup.Plan{pl}, Admin: c.admin, Actor: cli, Today: day})
			var ve validation.Errors
			if !errors.As(err, &ve) || !ve.Has(c.field) {
				t.Errorf("admin %+v: %v, want an error on %s", c.admin, err, c.field)
			}
		}
		if n, _ := st.UnitCount(ctx); n != 0 {
			t.Fatalf("%d units written by refused requests", n)
		}
		// The second province's administrator must be a new account: the
		// refusal rolls the province back.
		install(t, st, setup.Request{Plans: []*setup.Plan{plan(t, "40", setup.Options{})}, Admin: setup.Admin{Email: "admin@x.vn"}})
		before := countAll(t, st)
		_, err := setup.Install(ctx, st, setup.Request{Plans: []*setup.Plan{pl}, Admin: setup.Admin{Email: "admin@x.vn"}, Actor: cli, Today: day})
		var ve validation.Errors
		if !errors.As(err, &ve) || !ve.Has("email") {
			t.Errorf("a taken e-mail: %v", err)
		}
		if after := countAll(t, st); after != before {
			t.Errorf("a refused install wrote: %+v -> %+v", before, after)
		}
		// A code held by another kind of unit is not taken for the province.
		odd := &units.Unit{Code: "46", Name: "Đơn vị thử", Type: units.TypeOther, ValidFrom: day}
		if err := st.CreateUnit(ctx, cli, odd, 0); err != nil {
			t.Fatal(err)
		}
		_, err = setup.Install(ctx, st, setup.Request{Plans: []*setup.Plan{plan(t, "46", setup.Options{})}, Admin: setup.Admin{Email: "hue@x.vn"}, Actor: cli, Today: day})
		var taken *setup.CodeTakenError
		if !errors.As(err, &taken) || taken.Code != "46" {
			t.Errorf("code taken: %v", err)
		}
	})
}
