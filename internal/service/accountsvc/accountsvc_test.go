package accountsvc_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/service"
	"khienso/internal/service/accountsvc"
	"khienso/internal/service/servicetest"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// targets holds, per unit code, an account placed there with the learner
// role (which every manager may give), for the matrices to act on.
type targets map[string]*auth.User

// dummyHash is never checked: the matrix accounts never sign in.
const dummyHash = "$argon2id$v=19$m=64,t=1,p=2$c2FsdA$a2V5"

func newTargets(t *testing.T, f *servicetest.Fixture) targets {
	t.Helper()
	out := targets{}
	for code, id := range f.Units {
		u := &auth.User{Email: "target." + code + "@t.vn", Name: "Đích " + code, UnitID: id, Roles: []auth.Role{auth.RoleLearner}}
		if err := f.Store.CreateUser(context.Background(), audit.System, u, dummyHash); err != nil {
			t.Fatal(err)
		}
		out[code] = u
	}
	return out
}

// at is the target account at the unit standing in rel to actor's unit.
func (tg targets) at(f *servicetest.Fixture, actor string, rel servicetest.Relation) (*auth.User, bool) {
	id, ok := f.Target(actor, rel)
	if !ok {
		return nil, false
	}
	for _, u := range tg {
		if u.UnitID == id {
			return u, true
		}
	}
	return nil, false
}

// refusedOn reports whether err is a refusal naming field ("" for a plain
// ErrForbidden).
func refusedOn(err error, field string) bool {
	if !errors.Is(err, service.ErrForbidden) {
		return false
	}
	var ref *accountsvc.Refusal
	if errors.As(err, &ref) {
		return ref.Field == field
	}
	return field == ""
}

// invalidOn reports whether err is a validation error naming field.
func invalidOn(err error, field string) bool {
	var ve validation.Errors
	return errors.As(err, &ve) && ve.Has(field)
}

// TestUserAccessMatrix runs every account method for every actor on an
// account at each relation to the actor's unit: reading needs user.read
// there, managing (Managed, UpdateUser, ResetPassword) user.manage, and
// nobody reaches another province.
func TestUserAccessMatrix(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := accountsvc.New(f.Store, f.Access)
		tg := newTargets(t, f)
		for _, name := range servicetest.ActorNames {
			actor := f.Actors[name]
			for _, rel := range servicetest.Relations {
				u, ok := tg.at(f, name, rel)
				if !ok {
					continue
				}
				read := servicetest.Expect(f, name, auth.UserRead, rel)
				manage := servicetest.Expect(f, name, auth.UserManage, rel)
				_, err := svc.User(ctx, actor, u.ID)
				if read != (err == nil) || (!read && !refusedOn(err, "")) {
					t.Errorf("%s User(%s): %v, want allowed=%v", name, rel, err, read)
				}
				for method, call := range map[string]func() error{
					"Managed": func() error { _, err := svc.Managed(ctx, actor, u.ID); return err },
					"UpdateUser": func() error {
						n := "Đổi tên bởi " + name
						_, err := svc.UpdateUser(ctx, actor, u.ID, accountsvc.UserChange{Name: &n})
						return err
					},
					"ResetPassword": func() error { _, _, err := svc.ResetPassword(ctx, actor, u.ID, ""); return err },
				} {
					err := call()
					if manage != (err == nil) || (!manage && !refusedOn(err, "")) {
						t.Errorf("%s %s(%s): %v, want allowed=%v", name, method, rel, err, manage)
					}
				}
				can, err := svc.CanManage(ctx, actor, u)
				if err != nil || can != manage {
					t.Errorf("%s CanManage(%s) = %v %v, want %v", name, rel, can, err, manage)
				}
			}
		}
		// Unknown accounts are "not found" to those who may look, and
		// forbidden to those who may not.
		if _, err := svc.User(ctx, f.Actors["coord"], 999999); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("coord reading an unknown account: %v", err)
		}
		if _, err := svc.Managed(ctx, f.Actors["police"], 999999); !refusedOn(err, "") {
			t.Errorf("police managing an unknown account: %v", err)
		}
		for method, call := range map[string]func(service.Actor) error{
			"User":    func(a service.Actor) error { _, err := svc.User(ctx, a, tg["X1"].ID); return err },
			"Managed": func(a service.Actor) error { _, err := svc.Managed(ctx, a, tg["X1"].ID); return err },
			"Users":   func(a service.Actor) error { _, err := svc.Users(ctx, a, accountsvc.UserQuery{}); return err },
			"Manager": func(a service.Actor) error { _, err := svc.Manager(ctx, a); return err },
			"Me":      func(a service.Actor) error { _, err := svc.Me(ctx, a); return err },
		} {
			if err := call(service.Actor{}); !errors.Is(err, service.ErrUnauthenticated) {
				t.Errorf("anonymous %s: %v", method, err)
			}
			if err := call(service.SystemActor); err != nil && method != "Me" {
				t.Errorf("system %s: %v", method, err)
			}
		}
	})
}

// TestCreateUserMatrix creates an account at each relation with each role:
// allowed with user.manage there and the right to give the role; the
// refusal names the unit or the role.
func TestCreateUserMatrix(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := accountsvc.New(f.Store, f.Access)
		n := 0
		for _, name := range servicetest.ActorNames {
			actor := f.Actors[name]
			for _, rel := range servicetest.Relations {
				unit, ok := f.Target(name, rel)
				if !ok {
					continue
				}
				place := servicetest.Expect(f, name, auth.UserManage, rel)
				for _, role := range auth.Roles {
					n++
					// A too-short password stops an allowed call at
					// validation, so nothing is hashed or stored.
					_, _, err := svc.CreateUser(ctx, actor, accountsvc.NewUser{Name: "Tài khoản mới", Email: fmt.Sprintf("new%d@t.vn", n),
						UnitID: unit, Roles: []auth.Role{role}, Password: "short"})
					grant := actor.Principal.CanGrant(role)
					switch {
					case !actor.Principal.Can(auth.UserManage):
						if !refusedOn(err, "") {
							t.Errorf("%s creating a %s at %s: %v, want a plain refusal", name, role, rel, err)
						}
					case !place:
						if !refusedOn(err, "unit_id") {
							t.Errorf("%s creating a %s at %s: %v, want refused on unit_id", name, role, rel, err)
						}
					case !grant:
						if !refusedOn(err, "roles") {
							t.Errorf("%s creating a %s at %s: %v, want refused on roles", name, role, rel, err)
						}
					default:
						var ve validation.Errors
						if !errors.As(err, &ve) || len(ve) != 1 || ve[0].Field != "password" {
							t.Errorf("%s creating a %s at %s: %v, want only the password error", name, role, rel, err)
						}
					}
				}
			}
		}
		// The system places anyone anywhere; the anonymous nowhere.
		if _, _, err := svc.CreateUser(ctx, service.SystemActor, accountsvc.NewUser{Name: "Hệ thống tạo", Email: "sys@t.vn",
			UnitID: f.Units["Z1"], Roles: []auth.Role{auth.RoleAdmin}, GeneratePassword: true}); err != nil {
			t.Errorf("system: %v", err)
		}
		if _, _, err := svc.CreateUser(ctx, service.Actor{}, accountsvc.NewUser{UnitID: f.Units["X1"]}); !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("anonymous: %v", err)
		}
	})
}

// TestGrantMatrix gives each role to an account in the actor's own unit:
// allowed exactly for the roles the actor may give, whatever they manage.
func TestGrantMatrix(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := accountsvc.New(f.Store, f.Access)
		tg := newTargets(t, f)
		for _, name := range servicetest.ActorNames {
			actor := f.Actors[name]
			u := tg[servicetest.UnitOf(name)]
			for _, role := range auth.Roles {
				roles := []auth.Role{role}
				_, err := svc.UpdateUser(ctx, actor, u.ID, accountsvc.UserChange{Roles: &roles})
				switch {
				case !actor.Principal.Can(auth.UserManage):
					if !refusedOn(err, "") {
						t.Errorf("%s granting %s: %v, want a plain refusal", name, role, err)
					}
				case !actor.Principal.CanGrant(role):
					if !refusedOn(err, "roles") {
						t.Errorf("%s granting %s: %v, want refused on roles", name, role, err)
					}
				default:
					if err != nil {
						t.Errorf("%s granting %s: %v", name, role, err)
						continue
					}
					// Put the learner role back, so that the next role is
					// granted to an account the actor still outranks.
					back := []auth.Role{auth.RoleLearner}
					if _, err := svc.UpdateUser(ctx, service.SystemActor, u.ID, accountsvc.UserChange{Roles: &back}); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	})
}

// TestManageRules checks the rules beyond the unit: rank, self-disable,
// closed units, unit codes, the audit trail.
func TestManageRules(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := accountsvc.New(f.Store, f.Access)
		sys := service.SystemActor
		mk := func(email, unit string, role auth.Role) *auth.User {
			t.Helper()
			u, _, err := svc.CreateUser(ctx, sys, accountsvc.NewUser{Name: "Người " + email, Email: email, UnitCode: unit,
				Roles: []auth.Role{role}, GeneratePassword: true})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		// Rank: nobody manages an account holding a role they may not give,
		// even in their own unit.
		boss := mk("boss@t.vn", "X1", auth.RoleCoordinator)
		chief := mk("chief@t.vn", "40-SKHCN", auth.RoleAdmin)
		for _, c := range []struct {
			actor string
			u     *auth.User
			want  bool
		}{
			{"focal.x", boss, false}, {"coord", boss, true}, {"coord", chief, false}, {"admin", chief, true},
		} {
			_, err := svc.Managed(ctx, f.Actors[c.actor], c.u.ID)
			if c.want != (err == nil) || (!c.want && !refusedOn(err, "roles")) {
				t.Errorf("%s managing %s: %v, want allowed=%v", c.actor, c.u.Email, err, c.want)
			}
			if _, _, err := svc.ResetPassword(ctx, f.Actors[c.actor], c.u.ID, ""); c.want != (err == nil) {
				t.Errorf("%s resetting %s: %v", c.actor, c.u.Email, err)
			}
		}
		// Nobody disables themselves; others may.
		yes := true
		focal := f.Actors["focal.x"]
		if _, err := svc.UpdateUser(ctx, focal, focal.Principal.UserID, accountsvc.UserChange{Disabled: &yes}); !invalidOn(err, "disabled") {
			t.Errorf("self-disable: %v", err)
		}
		viewer := f.Actors["viewer.x"].Principal.UserID
		if u, err := svc.UpdateUser(ctx, focal, viewer, accountsvc.UserChange{Disabled: &yes}); err != nil || !u.Disabled {
			t.Errorf("disable a viewer: %v", err)
		}
		// Moves: within scope only, never into a closed unit, by a known code.
		teacher := mk("teacher@t.vn", "X1", auth.RoleViewer)
		for _, c := range []struct {
			code, field string
		}{
			{"Y1", "unit_id"}, {"Z1", "unit_id"}, {"NO-SUCH", "unit_id"},
		} {
			code := c.code
			_, err := svc.UpdateUser(ctx, focal, teacher.ID, accountsvc.UserChange{UnitCode: &code})
			if !refusedOn(err, c.field) && !invalidOn(err, c.field) {
				t.Errorf("moving to %s: %v", c.code, err)
			}
		}
		if err := f.Store.CloseUnit(ctx, audit.System, f.Units["X1-THCS"], f.Access.Today()); err != nil {
			t.Fatal(err)
		}
		closed := "X1-THCS"
		if _, err := svc.UpdateUser(ctx, focal, teacher.ID, accountsvc.UserChange{UnitCode: &closed}); !invalidOn(err, "unit_id") {
			t.Errorf("moving into a closed unit: %v", err)
		}
		if _, _, err := svc.CreateUser(ctx, focal, accountsvc.NewUser{Name: "Mới", Email: "moi@t.vn", UnitCode: closed,
			Roles: []auth.Role{auth.RoleViewer}, GeneratePassword: true}); !invalidOn(err, "unit_id") {
			t.Errorf("creating in a closed unit: %v", err)
		}
		// Every input error at once, the unknown code first.
		_, _, err := svc.CreateUser(ctx, focal, accountsvc.NewUser{Email: "bad", UnitCode: "NO-SUCH", GeneratePassword: true})
		var ve validation.Errors
		if !errors.As(err, &ve) || len(ve) != 4 || ve[0].Field != "unit_id" || ve[0].Reason != "user.err.unit_code" {
			t.Errorf("input errors: %v", err)
		}
		// The one-time password is the account's and is not in the log.
		u, password, err := svc.CreateUser(ctx, focal, accountsvc.NewUser{Name: " Trần  Bình ", Email: "Binh@T.vn", UnitCode: "X1",
			Roles: []auth.Role{auth.RoleViewer}, GeneratePassword: true})
		if err != nil || len(password) < auth.MinPasswordLen || u.Name != "Trần Bình" || u.Email != "binh@t.vn" || !u.MustChangePassword {
			t.Fatalf("create: %+v %q %v", u, password, err)
		}
		if _, err := svc.SignIn(ctx, service.Actor{IP: "192.0.2.9"}, "binh@t.vn", password, "test"); err != nil {
			t.Errorf("sign in with the one-time password: %v", err)
		}
		entries, _, err := f.Store.AuditLog(ctx, audit.Filter{Entity: "user", EntityID: fmt.Sprint(u.ID)})
		if err != nil || len(entries) != 1 || entries[0].Actor != "focal.x@t.vn" || strings.Contains(string(entries[0].After), password) {
			t.Errorf("audit: %v %v", entries, err)
		}
	})
}

// TestUsersScope lists accounts per actor: exactly those of units in scope.
func TestUsersScope(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := accountsvc.New(f.Store, f.Access)
		for _, name := range servicetest.ActorNames {
			actor := f.Actors[name]
			list, err := svc.Users(ctx, actor, accountsvc.UserQuery{Limit: 500})
			if !actor.Principal.Can(auth.UserRead) {
				if !refusedOn(err, "") {
					t.Errorf("%s lists accounts: %v", name, err)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, other := range servicetest.ActorNames {
				u := f.Actors[other].Principal
				ok, err := f.Access.Allowed(ctx, actor, auth.UserRead, u.UnitID)
				if err != nil {
					t.Fatal(err)
				}
				listed := slices.ContainsFunc(list.Items, func(x *auth.User) bool { return x.ID == u.UserID })
				if listed != ok {
					t.Errorf("%s lists %s: %v, want %v", name, other, listed, ok)
				}
			}
			if list.Within == 0 {
				t.Errorf("%s: a listing of two provinces has no bound", name)
			}
		}
	})
}

// TestTokens checks that tokens are each account's own.
func TestTokens(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := accountsvc.New(f.Store, f.Access)
		made := map[string]int64{}
		for _, name := range servicetest.ActorNames {
			tok, err := svc.CreateToken(ctx, f.Actors[name], "mã của "+name, time.Now().AddDate(0, 6, 0)) // token times are the real clock
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			made[name] = tok.Token.ID
		}
		for _, name := range servicetest.ActorNames {
			actor := f.Actors[name]
			list, err := svc.Tokens(ctx, actor)
			if err != nil || len(list) != 1 || list[0].ID != made[name] {
				t.Errorf("%s's tokens: %v %v", name, list, err)
			}
			for other, id := range made {
				if other == name {
					continue
				}
				if err := svc.RevokeToken(ctx, actor, id); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("%s revoking %s's token: %v", name, other, err)
				}
			}
		}
		for _, name := range servicetest.ActorNames {
			if err := svc.RevokeToken(ctx, f.Actors[name], made[name]); err != nil {
				t.Errorf("%s revoking their token: %v", name, err)
			}
		}
		for _, c := range []struct {
			name  string
			field string
		}{{"", "name"}, {"   ", "name"}} {
			if _, err := svc.CreateToken(ctx, f.Actors["learner"], c.name, servicetest.Now.AddDate(1, 0, 0)); !invalidOn(err, c.field) {
				t.Errorf("token named %q: %v", c.name, err)
			}
		}
		if _, err := svc.CreateToken(ctx, f.Actors["learner"], "quá hạn", servicetest.Now.AddDate(-1, 0, 0)); !invalidOn(err, "expires_at") {
			t.Errorf("a token expired at birth: %v", err)
		}
		for _, a := range []service.Actor{{}, service.SystemActor} {
			if _, err := svc.Tokens(ctx, a); !errors.Is(err, service.ErrUnauthenticated) {
				t.Errorf("tokens of %+v: %v", a, err)
			}
		}
	})
}

// TestAuditMatrix reads the log as every actor: only province-wide roles
// read it, each the entries of their own province's accounts.
func TestAuditMatrix(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := accountsvc.New(f.Store, f.Access)
		for _, name := range servicetest.ActorNames {
			if _, err := svc.CreateToken(ctx, f.Actors[name], "nhật ký", servicetest.Now.AddDate(1, 0, 0)); err != nil {
				t.Fatal(err)
			}
		}
		for _, name := range servicetest.ActorNames {
			actor := f.Actors[name]
			entries, total, err := svc.AuditLog(ctx, actor, accountsvc.AuditQuery{Limit: 500})
			if !actor.Principal.Can(auth.AuditRead) {
				if !refusedOn(err, "") || !refusedOn(svc.RequireAuditRead(ctx, actor), "") {
					t.Errorf("%s reads the log: %v", name, err)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			mine, _ := f.Access.ProvinceOf(ctx, actor.Principal.UnitID)
			seen := map[string]bool{}
			for _, e := range entries {
				seen[e.Actor] = true
			}
			for _, other := range servicetest.ActorNames {
				theirs, _ := f.Access.ProvinceOf(ctx, f.Actors[other].Principal.UnitID)
				if want := theirs == mine; seen[other+"@t.vn"] != want {
					t.Errorf("%s reads %s's entries: %v, want %v", name, other, seen[other+"@t.vn"], want)
				}
			}
			if seen["system"] || total != len(entries) {
				t.Errorf("%s: %d entries of %d, system ones shown: %v", name, len(entries), total, seen["system"])
			}
		}
		// Filters are checked.
		from, to := f.Access.Today(), f.Access.Today().AddDays(-1)
		if _, _, err := svc.AuditLog(ctx, f.Actors["coord"], accountsvc.AuditQuery{From: from, To: to}); !invalidOn(err, "to") {
			t.Errorf("to before from: %v", err)
		}
		// The system reads everything, its own entries included.
		if _, total, err := svc.AuditLog(ctx, service.SystemActor, accountsvc.AuditQuery{Actor: "system"}); err != nil || total == 0 {
			t.Errorf("system reading: %d %v", total, err)
		}
		if _, _, err := svc.AuditLog(ctx, service.Actor{}, accountsvc.AuditQuery{}); !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("anonymous reading: %v", err)
		}
	})
}

// The unit page's "accounts" link narrows the list to that unit's subtree,
// and never widens the caller's reach.
func TestUsersOfUnit(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := accountsvc.New(f.Store, f.Access)
		for _, c := range []struct {
			actor, unit string
			want        []string // accounts listed; nil: refused
		}{
			{"admin", "X1", []string{"focal.x", "viewer.x", "learner"}},
			{"coord", "Y1", []string{"focal.y"}},
			{"focal.x", "X1", []string{"focal.x", "viewer.x", "learner"}},
			{"focal.x", "Y1", nil},
			{"admin", "Z1", nil},
		} {
			list, err := svc.Users(ctx, f.Actors[c.actor], accountsvc.UserQuery{Unit: f.Units[c.unit], Limit: 500})
			if c.want == nil {
				if !errors.Is(err, service.ErrForbidden) {
					t.Errorf("%s lists the accounts of %s: %v", c.actor, c.unit, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s, %s: %v", c.actor, c.unit, err)
			}
			var got []string
			for _, u := range list.Items {
				for name, a := range f.Actors {
					if a.Principal != nil && a.Principal.UserID == u.ID {
						got = append(got, name)
					}
				}
			}
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) || list.Total != len(want) || list.Within != f.Units[c.unit] {
				t.Errorf("%s, accounts of %s: %v (total %d), want %v", c.actor, c.unit, got, list.Total, want)
			}
		}
	})
}
