// Package servicetest builds what the services' tests share: two provinces
// on a real throwaway database, one actor per role, the units that stand in
// each relation to an actor's unit (own, descendant, sibling, parent,
// another province), and a fixed clock.
package servicetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// Now is the fixtures' clock: 15/06/2026, 10:00 in Vietnam.
var Now = time.Date(2026, 6, 15, 3, 0, 0, 0, time.UTC)

// Clock returns Now.
func Clock() time.Time { return Now }

// Relation is how a target unit stands to the actor's unit.
type Relation string

const (
	Own           Relation = "own"
	Descendant    Relation = "descendant"
	Sibling       Relation = "sibling"
	Parent        Relation = "parent"
	OtherProvince Relation = "other-province"
)

// Relations lists every relation, for table-driven matrices.
var Relations = []Relation{Own, Descendant, Sibling, Parent, OtherProvince}

// Fixture is two provinces with one actor per role:
//
//	40 Nghệ An                     42 Hà Tĩnh
//	├── 40-SKHCN (coordinator)     ├── 42-SKHCN (coordinator)
//	├── 40-CA (police)             └── Z1 (commune)
//	├── X1 (commune)                   └── Z1-THCS (school)
//	│   └── X1-THCS (school)
//	└── Y1 (commune)
//	    └── Y1-THCS (school)
//
// Actors by name: admin@40, coord@40-SKHCN, focal.x@X1, viewer.x@X1,
// focal.y@Y1, police@40-CA, learner@X1, coord.z@42-SKHCN, focal.z@Z1.
type Fixture struct {
	Store  *store.Store
	Access *service.Access
	Units  map[string]int64         // by code
	Actors map[string]service.Actor // by name
}

var fixtureUnits = []struct {
	code, name, parent string
	typ                units.Type
}{
	{"40", "Ủy ban nhân dân tỉnh Nghệ An", "", units.TypeProvinceCommittee},
	{"40-SKHCN", "Sở Khoa học và Công nghệ", "40", units.TypeCoordinator},
	{"40-CA", "Công an tỉnh Nghệ An", "40", units.TypePolice},
	{"X1", "Xã Nghi Phong", "40", units.TypeCommune},
	{"X1-THCS", "Trường THCS Nghi Phong", "X1", units.TypeSchool},
	{"Y1", "Phường Vinh Phú", "40", units.TypeCommune},
	{"Y1-THCS", "Trường THCS Vinh Phú", "Y1", units.TypeSchool},
	{"42", "Ủy ban nhân dân tỉnh Hà Tĩnh", "", units.TypeProvinceCommittee},
	{"42-SKHCN", "Sở Khoa học và Công nghệ tỉnh Hà Tĩnh", "42", units.TypeCoordinator},
	{"Z1", "Xã Cẩm Xuyên", "42", units.TypeCommune},
	{"Z1-THCS", "Trường THCS Cẩm Xuyên", "Z1", units.TypeSchool},
}

var fixtureActors = []struct {
	name, unit string
	role       auth.Role
}{
	{"admin", "40", auth.RoleAdmin},
	{"coord", "40-SKHCN", auth.RoleCoordinator},
	{"focal.x", "X1", auth.RoleFocalPoint},
	{"viewer.x", "X1", auth.RoleViewer},
	{"focal.y", "Y1", auth.RoleFocalPoint},
	{"police", "40-CA", auth.RolePolice},
	{"learner", "X1", auth.RoleLearner},
	{"coord.z", "42-SKHCN", auth.RoleCoordinator},
	{"focal.z", "Z1", auth.RoleFocalPoint},
}

// ActorNames lists the actors, strongest first, for matrices.
var ActorNames = []string{"admin", "coord", "focal.x", "viewer.x", "focal.y", "police", "learner", "coord.z", "focal.z"}

// targets says, per actor unit, which unit stands in each relation to it.
var targets = map[string]map[Relation]string{
	"40":       {Own: "40", Descendant: "X1", OtherProvince: "Z1"},
	"40-SKHCN": {Own: "40-SKHCN", Sibling: "X1", Parent: "40", OtherProvince: "Z1"},
	"40-CA":    {Own: "40-CA", Sibling: "X1", Parent: "40", OtherProvince: "Z1"},
	"X1":       {Own: "X1", Descendant: "X1-THCS", Sibling: "Y1", Parent: "40", OtherProvince: "Z1"},
	"Y1":       {Own: "Y1", Descendant: "Y1-THCS", Sibling: "X1", Parent: "40", OtherProvince: "Z1"},
	"42-SKHCN": {Own: "42-SKHCN", Sibling: "Z1", Parent: "42", OtherProvince: "X1"},
	"Z1":       {Own: "Z1", Descendant: "Z1-THCS", Parent: "42", OtherProvince: "X1"},
}

// New builds the fixture on a fresh database of engine.
func New(t testing.TB, engine store.Engine) *Fixture {
	t.Helper()
	st := storetest.Open(t, engine)
	ctx := context.Background()
	f := &Fixture{Store: st, Access: service.NewAccess(st, Clock), Units: map[string]int64{}, Actors: map[string]service.Actor{}}
	from := dates.MustParse("2021-01-01")
	for _, u := range fixtureUnits {
		staff := 25
		unit := &units.Unit{Code: u.code, Name: u.name, Type: u.typ, ValidFrom: from,
			Focal:      units.Contact{Name: "Cán bộ " + u.code, Phone: "0912345678", Email: strings.ToLower(u.code) + "@t.vn"},
			StaffCount: &staff, HeadcountYear: 2025}
		if u.typ == units.TypeSchool {
			unit.SchoolLevel = units.LevelLowerSecondary
		}
		if err := st.CreateUnit(ctx, audit.System, unit, f.Units[u.parent]); err != nil {
			t.Fatalf("fixture unit %s: %v", u.code, err)
		}
		f.Units[u.code] = unit.ID
	}
	for _, a := range fixtureActors {
		u := &auth.User{Email: a.name + "@t.vn", Name: "Người dùng " + a.name, UnitID: f.Units[a.unit], Roles: []auth.Role{a.role}}
		// The accounts exist so that audit rows and notifications have a
		// real user; nobody signs in, so the hash is never checked.
		if err := st.CreateUser(ctx, audit.System, u, "$argon2id$v=19$m=64,t=1,p=2$c2FsdA$a2V5"); err != nil {
			t.Fatalf("fixture user %s: %v", a.name, err)
		}
		f.Actors[a.name] = service.Actor{Principal: u.Principal(), IP: "192.0.2.1"}
	}
	return f
}

// Engines runs fn once per engine as parallel subtests named "sqlite" and
// "postgres", each on its own fresh fixture.
func Engines(t *testing.T, fn func(t *testing.T, f *Fixture)) {
	t.Helper()
	for _, e := range storetest.EngineList {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			fn(t, New(t, e))
		})
	}
}

// UnitOf is the code of actor's unit.
func UnitOf(actor string) string {
	for _, a := range fixtureActors {
		if a.name == actor {
			return a.unit
		}
	}
	return ""
}

// Target is the unit standing in relation rel to actor's unit; ok is false
// when the fixture has none (a province committee has no parent).
func (f *Fixture) Target(actor string, rel Relation) (id int64, ok bool) {
	code, ok := targets[UnitOf(actor)][rel]
	if !ok {
		return 0, false
	}
	return f.Units[code], true
}

// Expect is the usual outcome of a unit-scoped action for an actor and a
// relation, given the action: province-wide roles (admin, coordinator)
// reach their whole province; subtree roles their own unit and its
// descendants; nobody another province. Matrices use it for the common
// case and spell out the exceptions.
func Expect(f *Fixture, actor string, act auth.Action, rel Relation) bool {
	p := f.Actors[actor].Principal
	province, sub := p.Scope(act)
	switch {
	case rel == OtherProvince:
		return false
	case province:
		return true
	case sub:
		return rel == Own || rel == Descendant
	}
	return false
}
