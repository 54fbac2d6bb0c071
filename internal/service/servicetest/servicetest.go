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

// NationalLevel is, with the National option, a national-level unit (the
// national coordinating agency) seen from a province's actor, or a province
// seen from a national actor's unit.
const NationalLevel Relation = "national"

// Relations lists every relation, for table-driven matrices.
var Relations = []Relation{Own, Descendant, Sibling, Parent, OtherProvince}

// NationalRelations are the relations of the National fixture: those of
// the default one and the national level.
var NationalRelations = append(append([]Relation{}, Relations...), NationalLevel)

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
//
// With National, both provinces sit under a national root, as in a
// national deployment:
//
//	VN Cả nước (national)          actors admin.vn@VN, coord.vn@VN-ATTT
//	├── VN-ATTT (coordinator)
//	├── 40 Nghệ An …
//	└── 42 Hà Tĩnh …
type Fixture struct {
	Store  *store.Store
	Access *service.Access
	Units  map[string]int64         // by code
	Actors map[string]service.Actor // by name
	// National tells that the fixture was built with the National option.
	National bool
	parent   map[string]string // unit code → parent code
	types    map[string]units.Type
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

// nationalUnits are the national level of the National option; the two
// province committees are placed under VN.
var nationalUnits = []struct {
	code, name, parent string
	typ                units.Type
}{
	{"VN", "Cả nước", "", units.TypeNational},
	{"VN-ATTT", "Cục An toàn thông tin", "VN", units.TypeCoordinator},
}

var nationalActors = []struct {
	name, unit string
	role       auth.Role
}{
	{"admin.vn", "VN", auth.RoleAdmin},
	{"coord.vn", "VN-ATTT", auth.RoleCoordinator},
}

// NationalActorNames are the actors the National option adds.
var NationalActorNames = []string{"admin.vn", "coord.vn"}

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

// nationalTargets add, with the National option, the relations of the
// national level: a province committee's parent is the national root, and
// national-level units stand beside the provinces.
var nationalTargets = map[string]map[Relation]string{
	"40":       {Parent: "VN", NationalLevel: "VN-ATTT"},
	"40-SKHCN": {NationalLevel: "VN-ATTT"},
	"40-CA":    {NationalLevel: "VN"},
	"X1":       {NationalLevel: "VN-ATTT"},
	"Y1":       {NationalLevel: "VN"},
	"42-SKHCN": {NationalLevel: "VN-ATTT"},
	"Z1":       {NationalLevel: "VN"},
	"VN":       {Own: "VN", Descendant: "40", NationalLevel: "Z1"},
	"VN-ATTT":  {Own: "VN-ATTT", Sibling: "42", Parent: "VN", NationalLevel: "X1-THCS"},
}

// Option changes the fixture New builds.
type Option func(*Fixture)

// National puts a national root above the two provinces, with the
// national coordinating agency and a national administrator and
// coordinator (NationalActorNames).
func National() Option { return func(f *Fixture) { f.National = true } }

// New builds the fixture on a fresh database of engine.
func New(t testing.TB, engine store.Engine, opts ...Option) *Fixture {
	t.Helper()
	st := storetest.Open(t, engine)
	ctx := context.Background()
	f := &Fixture{Store: st, Access: service.NewAccess(st, Clock), Units: map[string]int64{}, Actors: map[string]service.Actor{},
		parent: map[string]string{}, types: map[string]units.Type{}}
	for _, o := range opts {
		o(f)
	}
	from := dates.MustParse("2021-01-01")
	list := fixtureUnits
	actors := fixtureActors
	if f.National {
		list = append(append(list[:0:0], nationalUnits...), fixtureUnits...)
		actors = append(append(actors[:0:0], fixtureActors...), nationalActors...)
	}
	for _, u := range list {
		if f.National && u.typ == units.TypeProvinceCommittee {
			u.parent = "VN"
		}
		f.parent[u.code], f.types[u.code] = u.parent, u.typ
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
	for _, a := range actors {
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
// "postgres", each on its own fresh fixture built with opts.
func Engines(t *testing.T, fn func(t *testing.T, f *Fixture), opts ...Option) {
	t.Helper()
	for _, e := range storetest.EngineList {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			fn(t, New(t, e, opts...))
		})
	}
}

// UnitOf is the code of actor's unit.
func UnitOf(actor string) string {
	for _, a := range append(append(fixtureActors[:0:0], fixtureActors...), nationalActors...) {
		if a.name == actor {
			return a.unit
		}
	}
	return ""
}

// ActorNames lists the fixture's actors, strongest first per level: the
// package's ActorNames, then the national ones with the National option.
func (f *Fixture) ActorNames() []string {
	if !f.National {
		return ActorNames
	}
	return append(append([]string{}, ActorNames...), NationalActorNames...)
}

// Target is the unit standing in relation rel to actor's unit; ok is false
// when the fixture has none (a province committee has no parent unless
// the fixture is National).
func (f *Fixture) Target(actor string, rel Relation) (id int64, ok bool) {
	code, ok := f.targetCode(actor, rel)
	if !ok {
		return 0, false
	}
	return f.Units[code], true
}

func (f *Fixture) targetCode(actor string, rel Relation) (string, bool) {
	unit := UnitOf(actor)
	if f.National {
		if code, ok := nationalTargets[unit][rel]; ok {
			return code, true
		}
	}
	code, ok := targets[unit][rel]
	return code, ok
}

// province is the code of the province of unit code: its nearest
// ancestor-or-self that is a province committee, else its tree's root.
func (f *Fixture) province(code string) string {
	c := code
	for f.types[c] != units.TypeProvinceCommittee && f.parent[c] != "" {
		c = f.parent[c]
	}
	return c
}

// under reports whether unit code sits in the subtree of root.
func (f *Fixture) under(code, root string) bool {
	for c := code; c != ""; c = f.parent[c] {
		if c == root {
			return true
		}
	}
	return false
}

// Expect is the usual outcome of a unit-scoped action for an actor and a
// relation, given the action: province-wide roles (admin, coordinator)
// reach their whole province (a national one the whole country, a
// province's never the national level above it); subtree roles their own
// unit and its descendants; nobody another province. Matrices use it for
// the common case and spell out the exceptions.
func Expect(f *Fixture, actor string, act auth.Action, rel Relation) bool {
	p := f.Actors[actor].Principal
	province, sub := p.Scope(act)
	target, ok := f.targetCode(actor, rel)
	switch {
	case !ok || rel == OtherProvince:
		return false
	case province:
		return f.under(target, f.province(UnitOf(actor)))
	case sub:
		return rel == Own || rel == Descendant
	}
	return false
}
