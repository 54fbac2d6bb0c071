package accountsweb_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/web/webtest"
)

// Expectations of the matrix besides plain statuses.
const (
	// mxNoGrant: 403 naming the field "roles" (the caller manages accounts
	// there but may not give that role, or the account holds one above
	// the caller).
	mxNoGrant = -3
	// mxNoUnit: 403 naming the field "unit_id" (the caller manages
	// accounts, but not at that unit).
	mxNoUnit = -4
	// mxGrantable: the request passed every access check and stopped at
	// validation. Account-creation probes send a too-short password on
	// purpose, so the matrix tests access without hashing passwords or
	// creating accounts; the 201 path is covered in api_test.go.
	mxGrantable = http.StatusUnprocessableEntity
)

// accountMatrix is who may do what to accounts where through the API, on
// two provinces. Users are the fixture's (name@t.vn); targets are unit
// codes ("" when the action names no unit). Actions:
//
//	users         GET /users (items must lie in the caller's scope)
//	user.read     GET /users/{id} of an account at target
//	grant:<role>  POST /users at target with that role
//	reset         POST /users/{id}/password-reset of the account at target
var accountMatrix = []struct {
	user, action, target string
	want                 int
}{
	// Listing accounts (each listing must hold only accounts in scope).
	{"admin", "users", "", 200},
	{"coord", "users", "", 200},
	{"focal.x", "users", "", 200},
	{"viewer.x", "users", "", 200},
	{"focal.y", "users", "", 200},
	{"police", "users", "", 403},
	{"learner", "users", "", 403},

	// Reading an account of the target unit.
	{"admin", "user.read", "40", 200},
	{"admin", "user.read", "X1", 200},
	{"admin", "user.read", "X1-THCS", 200},
	{"admin", "user.read", "Y1", 200},
	{"coord", "user.read", "40", 200},
	{"coord", "user.read", "X1", 200},
	{"coord", "user.read", "X1-THCS", 200},
	{"coord", "user.read", "Y1", 200},
	{"focal.x", "user.read", "40", 403},
	{"focal.x", "user.read", "X1", 200},
	{"focal.x", "user.read", "X1-THCS", 200},
	{"focal.x", "user.read", "Y1", 403},
	{"viewer.x", "user.read", "40", 403},
	{"viewer.x", "user.read", "X1", 200},
	{"viewer.x", "user.read", "X1-THCS", 200},
	{"viewer.x", "user.read", "Y1", 403},
	{"focal.y", "user.read", "40", 403},
	{"focal.y", "user.read", "X1", 403},
	{"focal.y", "user.read", "X1-THCS", 403},
	{"focal.y", "user.read", "Y1", 200},
	{"police", "user.read", "40", 403},
	{"police", "user.read", "X1", 403},
	{"police", "user.read", "X1-THCS", 403},
	{"police", "user.read", "Y1", 403},
	{"police", "user.read", "40-CA", 403},
	{"learner", "user.read", "40", 403},
	{"learner", "user.read", "X1", 403},
	{"learner", "user.read", "X1-THCS", 403},
	{"learner", "user.read", "Y1", 403},

	// Creating accounts: where (a viewer at each target)…
	{"admin", "grant:viewer", "40", mxGrantable},
	{"admin", "grant:viewer", "X1", mxGrantable},
	{"admin", "grant:viewer", "X1-THCS", mxGrantable},
	{"admin", "grant:viewer", "Y1", mxGrantable},
	{"coord", "grant:viewer", "40", mxGrantable},
	{"coord", "grant:viewer", "X1", mxGrantable},
	{"coord", "grant:viewer", "X1-THCS", mxGrantable},
	{"coord", "grant:viewer", "Y1", mxGrantable},
	{"focal.x", "grant:viewer", "40", mxNoUnit},
	{"focal.x", "grant:viewer", "X1", mxGrantable},
	{"focal.x", "grant:viewer", "X1-THCS", mxGrantable},
	{"focal.x", "grant:viewer", "Y1", mxNoUnit},
	{"viewer.x", "grant:viewer", "40", 403},
	{"viewer.x", "grant:viewer", "X1", 403},
	{"viewer.x", "grant:viewer", "X1-THCS", 403},
	{"viewer.x", "grant:viewer", "Y1", 403},
	{"focal.y", "grant:viewer", "40", mxNoUnit},
	{"focal.y", "grant:viewer", "X1", mxNoUnit},
	{"focal.y", "grant:viewer", "X1-THCS", mxNoUnit},
	{"focal.y", "grant:viewer", "Y1", mxGrantable},
	{"police", "grant:viewer", "40-CA", 403},
	{"police", "grant:viewer", "Y1", 403},
	{"learner", "grant:viewer", "X1", 403},
	{"learner", "grant:viewer", "Y1", 403},

	// …and with which role: nobody raises anyone above themselves.
	{"admin", "grant:admin", "X1", mxGrantable},
	{"admin", "grant:coordinator", "X1", mxGrantable},
	{"admin", "grant:focal_point", "X1", mxGrantable},
	{"admin", "grant:police", "X1", mxGrantable},
	{"admin", "grant:learner", "X1", mxGrantable},
	{"coord", "grant:admin", "X1", mxNoGrant},
	{"coord", "grant:coordinator", "X1", mxGrantable},
	{"coord", "grant:focal_point", "X1", mxGrantable},
	{"coord", "grant:police", "X1", mxGrantable},
	{"coord", "grant:learner", "X1", mxGrantable},
	{"focal.x", "grant:admin", "X1", mxNoGrant},
	{"focal.x", "grant:coordinator", "X1", mxNoGrant},
	{"focal.x", "grant:focal_point", "X1", mxGrantable},
	{"focal.x", "grant:police", "X1", mxNoGrant},
	{"focal.x", "grant:learner", "X1", mxGrantable},
	{"focal.x", "grant:admin", "X1-THCS", mxNoGrant},
	{"focal.x", "grant:coordinator", "X1-THCS", mxNoGrant},
	{"viewer.x", "grant:admin", "X1", 403},
	{"viewer.x", "grant:focal_point", "X1", 403},
	{"viewer.x", "grant:learner", "X1", 403},
	{"focal.y", "grant:admin", "Y1", mxNoGrant},
	{"focal.y", "grant:coordinator", "Y1", mxNoGrant},
	{"focal.y", "grant:focal_point", "Y1", mxGrantable},
	{"focal.y", "grant:police", "Y1", mxNoGrant},
	{"focal.y", "grant:learner", "Y1", mxGrantable},
	{"focal.y", "grant:focal_point", "X1", mxNoUnit},
	{"police", "grant:police", "40-CA", 403},
	{"police", "grant:learner", "40-CA", 403},
	{"learner", "grant:learner", "X1", 403},
	{"learner", "grant:admin", "X1", 403},

	// Another province: nothing crosses the border, either way.
	{"coord.z", "users", "", 200},
	{"focal.z", "users", "", 200},
	{"admin", "user.read", "Z1", 403},
	{"coord", "user.read", "Z1", 403},
	{"coord", "user.read", "42-SKHCN", 403},
	{"coord.z", "user.read", "Z1", 200},
	{"coord.z", "user.read", "X1", 403},
	{"coord.z", "user.read", "40", 403},
	{"focal.z", "user.read", "Z1", 200},
	{"focal.z", "user.read", "X1", 403},
	{"admin", "grant:viewer", "Z1", mxNoUnit},
	{"coord", "grant:viewer", "Z1", mxNoUnit},
	{"coord", "grant:viewer", "42", mxNoUnit},
	{"coord.z", "grant:viewer", "Z1", mxGrantable},
	{"coord.z", "grant:coordinator", "42-SKHCN", mxGrantable},
	{"coord.z", "grant:admin", "Z1", mxNoGrant},
	{"coord.z", "grant:viewer", "X1", mxNoUnit},
	{"coord.z", "grant:viewer", "40", mxNoUnit},
	{"focal.z", "grant:viewer", "Z1", mxGrantable},
	{"focal.z", "grant:viewer", "Y1", mxNoUnit},

	// Resetting the password of the account at the target: user.manage
	// there and a rank above every role the account holds.
	{"admin", "reset", "40", 200},
	{"admin", "reset", "X1", 200},
	{"admin", "reset", "Z1", 403},
	{"coord", "reset", "40", mxNoGrant},
	{"coord", "reset", "X1", 200},
	{"coord", "reset", "X1-THCS", 200},
	{"coord", "reset", "Y1", 200},
	{"coord", "reset", "40-CA", 200},
	{"coord", "reset", "Z1", 403},
	{"focal.x", "reset", "40", 403},
	{"focal.x", "reset", "X1", 200},
	{"focal.x", "reset", "X1-THCS", 200},
	{"focal.x", "reset", "Y1", 403},
	{"viewer.x", "reset", "X1", 403},
	{"viewer.x", "reset", "X1-THCS", 403},
	{"focal.y", "reset", "Y1", 200},
	{"focal.y", "reset", "X1", 403},
	{"police", "reset", "40-CA", 403},
	{"learner", "reset", "X1-THCS", 403},
	{"coord.z", "reset", "Z1", 200},
	{"coord.z", "reset", "X1", 403},
	{"focal.z", "reset", "Z1", 200},
	{"focal.z", "reset", "X1", 403},
}

// accountMatrixAccounts names an account at each target.
var accountMatrixAccounts = map[string]string{
	"40": "admin@t.vn", "X1": "viewer.x@t.vn", "Y1": "focal.y@t.vn", "40-CA": "police@t.vn", "X1-THCS": "teacher@t.vn",
	"Z1": "focal.z@t.vn", "42-SKHCN": "coord.z@t.vn",
}

func TestAccountAccessMatrix(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		// An account at X1-THCS, stored directly (no password hashing).
		teacher := &auth.User{Email: "teacher@t.vn", Name: "Giáo viên", UnitID: f.Units["X1-THCS"], Roles: []auth.Role{auth.RoleLearner}}
		if err := f.Store.CreateUser(ctx, audit.System, teacher, webtest.PasswordHash()); err != nil {
			t.Fatal(err)
		}
		f.Users[teacher.Email] = teacher.ID
		for i, c := range accountMatrix {
			name := fmt.Sprintf("%s %s %s", c.user, c.action, c.target)
			t.Run(strings.ReplaceAll(name, "/", "_"), func(t *testing.T) {
				user := c.user + "@t.vn"
				target := f.Units[c.target]
				if c.target != "" && target == 0 {
					t.Fatalf("unknown target %s", c.target)
				}
				var method, path, body string
				switch {
				case c.action == "users":
					method, path = "GET", "/api/v1/users?limit=500"
				case c.action == "user.read":
					method, path = "GET", fmt.Sprintf("/api/v1/users/%d", f.Users[accountMatrixAccounts[c.target]])
				case c.action == "reset":
					method, path = "POST", fmt.Sprintf("/api/v1/users/%d/password-reset", f.Users[accountMatrixAccounts[c.target]])
				case strings.HasPrefix(c.action, "grant:"):
					method, path = "POST", "/api/v1/users"
					body = webtest.JSON(map[string]any{"email": fmt.Sprintf("mx%d@t.vn", i), "name": "Tài khoản mới", "unit_id": target,
						"roles": []string{strings.TrimPrefix(c.action, "grant:")}, "password": "short"})
				default:
					t.Fatalf("unknown action %q", c.action)
				}
				status, resp := f.API(method, path, user, body)
				switch c.want {
				case mxNoGrant:
					webtest.ExpectError(t, status, resp, http.StatusForbidden, "forbidden", "roles")
				case mxNoUnit:
					webtest.ExpectError(t, status, resp, http.StatusForbidden, "forbidden", "unit_id")
				case mxGrantable:
					webtest.ExpectError(t, status, resp, http.StatusUnprocessableEntity, "invalid_input", "password")
				case 403:
					webtest.ExpectError(t, status, resp, http.StatusForbidden, "forbidden", []string{}...)
				default:
					webtest.Expect(t, status, resp, c.want, nil)
				}
				if c.action == "users" && status == http.StatusOK {
					accountMatrixCheckUsers(t, f, user, resp)
				}
				if c.action == "reset" && status == http.StatusOK && !strings.Contains(resp, `"one_time_password"`) {
					t.Errorf("a reset without the new password: %s", resp)
				}
				if c.action == "reset" && status == http.StatusOK {
					// The reset revoked the account's tokens; later rows act
					// as that account again with a fresh one.
					email := accountMatrixAccounts[c.target]
					if status, _ := f.API("GET", "/api/v1/me", email, ""); status != http.StatusUnauthorized {
						t.Errorf("the token of %s after its reset: %d, want 401", email, status)
					}
					secret, _, err := f.Store.CreateToken(ctx, audit.System, f.Users[email], "matrix", time.Time{})
					if err != nil {
						t.Fatal(err)
					}
					f.Tokens[email] = secret
				}
			})
		}
	}, webtest.SecondProvince())
}

// accountMatrixCheckUsers checks that a user listing holds exactly the
// accounts of units in the caller's scope (their province for
// province-wide roles), the caller included.
func accountMatrixCheckUsers(t *testing.T, f *webtest.Fixture, caller, body string) {
	t.Helper()
	ctx := context.Background()
	var list apiTestList[apiTestUser]
	webtest.Decode(t, body, &list)
	me, err := f.Store.User(ctx, f.Users[caller])
	if err != nil {
		t.Fatal(err)
	}
	root := me.UnitID
	if province, _ := me.Principal().Scope(auth.UserRead); province {
		anc, err := f.Store.Ancestors(ctx, me.UnitID, dates.Today())
		if err != nil {
			t.Fatal(err)
		}
		if len(anc) > 0 {
			root = anc[len(anc)-1]
		}
	}
	want := 0
	for _, id := range f.Users {
		u, err := f.Store.User(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if in, _ := f.Store.InSubtree(ctx, root, u.UnitID, dates.Today()); in {
			want++
		}
	}
	found := false
	for _, u := range list.Items {
		found = found || u.Email == caller
		in, err := f.Store.InSubtree(ctx, root, u.UnitID, dates.Today())
		if err != nil {
			t.Fatal(err)
		}
		if !in {
			t.Errorf("%s sees %s, outside their scope", caller, u.Email)
		}
	}
	if !found || list.Total != len(list.Items) || list.Total != want {
		t.Errorf("%s's listing (%d of %d, want %d) is wrong or lacks themselves", caller, len(list.Items), list.Total, want)
	}
}
