package web_test

import (
	"context"
	"fmt"
	"khienso/internal/web/webtest"
	"net/http"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/units"
)

// Expectations of the access matrix besides plain statuses.
const (
	// mxPrivate: 200 with the unit's non-public fields (focal_point.phone).
	mxPrivate = -1
	// mxPublic: 200 with the public fields only (focal_point absent).
	mxPublic = -2
	// mxNoGrant: 403 naming the field "roles" (the caller manages accounts
	// there but may not give that role).
	mxNoGrant = -3
	// mxGrantable: the request passed every access check and stopped at
	// validation. Account-creation probes send a too-short password on
	// purpose, so the matrix tests access without hashing passwords or
	// creating accounts; the 201 path is covered in api_test.go.
	mxGrantable = http.StatusUnprocessableEntity
)

// apiMatrix is who may do what where through the API. Users are the
// fixture's (name@t.vn); targets are unit codes ("" when the action names
// no unit). Actions:
//
//	read          GET /units/{target}: public fields to all, private ones in scope
//	patch         PATCH /units/{target}
//	child         POST /units with parent_id = target
//	move          move a unit under target to another unit under target
//	merge         merge a unit under target into another unit under target
//	close         close a unit under target
//	users         GET /users (items must lie in the caller's scope)
//	user.read     GET /users/{id} of an account at target
//	grant:<role>  POST /users at target with that role
//
// move, merge and close act on scratch units made for the case under the
// target, so every allowed change succeeds and leaves the fixture's own
// units where they were for the cases that follow.
var apiMatrix = []struct {
	user, action, target string
	want                 int
}{
	// Reading a unit: public fields for everyone, private fields in scope.
	{"admin", "read", "40", mxPrivate},
	{"admin", "read", "X1", mxPrivate},
	{"admin", "read", "X1-THCS", mxPrivate},
	{"admin", "read", "Y1", mxPrivate},
	{"coord", "read", "40", mxPrivate},
	{"coord", "read", "X1", mxPrivate},
	{"coord", "read", "X1-THCS", mxPrivate},
	{"coord", "read", "Y1", mxPrivate},
	{"focal.x", "read", "40", mxPublic},
	{"focal.x", "read", "X1", mxPrivate},
	{"focal.x", "read", "X1-THCS", mxPrivate},
	{"focal.x", "read", "Y1", mxPublic},
	{"viewer.x", "read", "40", mxPublic},
	{"viewer.x", "read", "X1", mxPrivate},
	{"viewer.x", "read", "X1-THCS", mxPrivate},
	{"viewer.x", "read", "Y1", mxPublic},
	{"focal.y", "read", "40", mxPublic},
	{"focal.y", "read", "X1", mxPublic},
	{"focal.y", "read", "X1-THCS", mxPublic},
	{"focal.y", "read", "Y1", mxPrivate},
	{"police", "read", "40", mxPublic},
	{"police", "read", "X1", mxPublic},
	{"police", "read", "X1-THCS", mxPublic},
	{"police", "read", "Y1", mxPublic},
	{"police", "read", "40-CA", mxPrivate},
	{"learner", "read", "40", mxPublic},
	{"learner", "read", "X1", mxPublic},
	{"learner", "read", "X1-THCS", mxPublic},
	{"learner", "read", "Y1", mxPublic},

	// Editing a unit's attributes.
	{"admin", "patch", "40", 200},
	{"admin", "patch", "X1", 200},
	{"admin", "patch", "X1-THCS", 200},
	{"admin", "patch", "Y1", 200},
	{"coord", "patch", "40", 200},
	{"coord", "patch", "X1", 200},
	{"coord", "patch", "X1-THCS", 200},
	{"coord", "patch", "Y1", 200},
	{"focal.x", "patch", "40", 403},
	{"focal.x", "patch", "X1", 200},
	{"focal.x", "patch", "X1-THCS", 200},
	{"focal.x", "patch", "Y1", 403},
	{"viewer.x", "patch", "40", 403},
	{"viewer.x", "patch", "X1", 403},
	{"viewer.x", "patch", "X1-THCS", 403},
	{"viewer.x", "patch", "Y1", 403},
	{"focal.y", "patch", "40", 403},
	{"focal.y", "patch", "X1", 403},
	{"focal.y", "patch", "X1-THCS", 403},
	{"focal.y", "patch", "Y1", 200},
	{"police", "patch", "40", 403},
	{"police", "patch", "X1", 403},
	{"police", "patch", "X1-THCS", 403},
	{"police", "patch", "Y1", 403},
	{"police", "patch", "40-CA", 403},
	{"learner", "patch", "40", 403},
	{"learner", "patch", "X1", 403},
	{"learner", "patch", "X1-THCS", 403},
	{"learner", "patch", "Y1", 403},

	// Creating a unit under the target.
	{"admin", "child", "40", 201},
	{"admin", "child", "X1", 201},
	{"admin", "child", "X1-THCS", 201},
	{"admin", "child", "Y1", 201},
	{"admin", "child", "", 201},
	{"coord", "child", "40", 201},
	{"coord", "child", "X1", 201},
	{"coord", "child", "X1-THCS", 201},
	{"coord", "child", "Y1", 201},
	{"coord", "child", "", 201},
	{"focal.x", "child", "40", 403},
	{"focal.x", "child", "X1", 201},
	{"focal.x", "child", "X1-THCS", 201},
	{"focal.x", "child", "Y1", 403},
	{"focal.x", "child", "", 403},
	{"viewer.x", "child", "40", 403},
	{"viewer.x", "child", "X1", 403},
	{"viewer.x", "child", "X1-THCS", 403},
	{"viewer.x", "child", "Y1", 403},
	{"focal.y", "child", "40", 403},
	{"focal.y", "child", "X1", 403},
	{"focal.y", "child", "X1-THCS", 403},
	{"focal.y", "child", "Y1", 201},
	{"focal.y", "child", "", 403},
	{"police", "child", "40", 403},
	{"police", "child", "X1", 403},
	{"police", "child", "X1-THCS", 403},
	{"police", "child", "Y1", 403},
	{"learner", "child", "40", 403},
	{"learner", "child", "X1", 403},
	{"learner", "child", "X1-THCS", 403},
	{"learner", "child", "Y1", 403},

	// Moving units: the whole province's structure is the coordinators'.
	{"admin", "move", "40", 200},
	{"admin", "move", "X1", 200},
	{"admin", "move", "X1-THCS", 200},
	{"admin", "move", "Y1", 200},
	{"coord", "move", "40", 200},
	{"coord", "move", "X1", 200},
	{"coord", "move", "X1-THCS", 200},
	{"coord", "move", "Y1", 200},
	{"focal.x", "move", "40", 403},
	{"focal.x", "move", "X1", 403},
	{"focal.x", "move", "X1-THCS", 403},
	{"focal.x", "move", "Y1", 403},
	{"viewer.x", "move", "40", 403},
	{"viewer.x", "move", "X1", 403},
	{"viewer.x", "move", "X1-THCS", 403},
	{"viewer.x", "move", "Y1", 403},
	{"focal.y", "move", "40", 403},
	{"focal.y", "move", "X1", 403},
	{"focal.y", "move", "X1-THCS", 403},
	{"focal.y", "move", "Y1", 403},
	{"police", "move", "40", 403},
	{"police", "move", "X1", 403},
	{"police", "move", "X1-THCS", 403},
	{"police", "move", "Y1", 403},
	{"learner", "move", "40", 403},
	{"learner", "move", "X1", 403},
	{"learner", "move", "X1-THCS", 403},
	{"learner", "move", "Y1", 403},

	// Merging units.
	{"admin", "merge", "40", 200},
	{"admin", "merge", "X1", 200},
	{"admin", "merge", "X1-THCS", 200},
	{"admin", "merge", "Y1", 200},
	{"coord", "merge", "40", 200},
	{"coord", "merge", "X1", 200},
	{"coord", "merge", "X1-THCS", 200},
	{"coord", "merge", "Y1", 200},
	{"focal.x", "merge", "40", 403},
	{"focal.x", "merge", "X1", 403},
	{"focal.x", "merge", "X1-THCS", 403},
	{"focal.x", "merge", "Y1", 403},
	{"viewer.x", "merge", "40", 403},
	{"viewer.x", "merge", "X1", 403},
	{"viewer.x", "merge", "X1-THCS", 403},
	{"viewer.x", "merge", "Y1", 403},
	{"focal.y", "merge", "40", 403},
	{"focal.y", "merge", "X1", 403},
	{"focal.y", "merge", "X1-THCS", 403},
	{"focal.y", "merge", "Y1", 403},
	{"police", "merge", "40", 403},
	{"police", "merge", "X1", 403},
	{"police", "merge", "X1-THCS", 403},
	{"police", "merge", "Y1", 403},
	{"learner", "merge", "40", 403},
	{"learner", "merge", "X1", 403},
	{"learner", "merge", "X1-THCS", 403},
	{"learner", "merge", "Y1", 403},

	// Closing units.
	{"admin", "close", "40", 200},
	{"admin", "close", "X1", 200},
	{"admin", "close", "X1-THCS", 200},
	{"admin", "close", "Y1", 200},
	{"coord", "close", "40", 200},
	{"coord", "close", "X1", 200},
	{"coord", "close", "X1-THCS", 200},
	{"coord", "close", "Y1", 200},
	{"focal.x", "close", "40", 403},
	{"focal.x", "close", "X1", 403},
	{"focal.x", "close", "X1-THCS", 403},
	{"focal.x", "close", "Y1", 403},
	{"viewer.x", "close", "40", 403},
	{"viewer.x", "close", "X1", 403},
	{"viewer.x", "close", "X1-THCS", 403},
	{"viewer.x", "close", "Y1", 403},
	{"focal.y", "close", "40", 403},
	{"focal.y", "close", "X1", 403},
	{"focal.y", "close", "X1-THCS", 403},
	{"focal.y", "close", "Y1", 403},
	{"police", "close", "40", 403},
	{"police", "close", "X1", 403},
	{"police", "close", "X1-THCS", 403},
	{"police", "close", "Y1", 403},
	{"learner", "close", "40", 403},
	{"learner", "close", "X1", 403},
	{"learner", "close", "X1-THCS", 403},
	{"learner", "close", "Y1", 403},

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
	{"focal.x", "grant:viewer", "40", 403},
	{"focal.x", "grant:viewer", "X1", mxGrantable},
	{"focal.x", "grant:viewer", "X1-THCS", mxGrantable},
	{"focal.x", "grant:viewer", "Y1", 403},
	{"viewer.x", "grant:viewer", "40", 403},
	{"viewer.x", "grant:viewer", "X1", 403},
	{"viewer.x", "grant:viewer", "X1-THCS", 403},
	{"viewer.x", "grant:viewer", "Y1", 403},
	{"focal.y", "grant:viewer", "40", 403},
	{"focal.y", "grant:viewer", "X1", 403},
	{"focal.y", "grant:viewer", "X1-THCS", 403},
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
	{"focal.y", "grant:focal_point", "X1", 403},
	{"police", "grant:police", "40-CA", 403},
	{"police", "grant:learner", "40-CA", 403},
	{"learner", "grant:learner", "X1", 403},
	{"learner", "grant:admin", "X1", 403},
}

// apiMatrixAccounts names an account at each target for user.read.
var apiMatrixAccounts = map[string]string{
	"40": "admin@t.vn", "X1": "viewer.x@t.vn", "Y1": "focal.y@t.vn", "40-CA": "police@t.vn", "X1-THCS": "teacher@t.vn",
}

func TestAPIAccessMatrix(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		from := dates.MustParse("2021-01-01")
		today := dates.Today().ISO()
		// An account at X1-THCS, stored directly (no password hashing).
		teacher := &auth.User{Email: "teacher@t.vn", Name: "Giáo viên", UnitID: f.Units["X1-THCS"], Roles: []auth.Role{auth.RoleLearner}}
		if err := f.Store.CreateUser(ctx, audit.System, teacher, webtest.PasswordHash()); err != nil {
			t.Fatal(err)
		}
		f.Users[teacher.Email] = teacher.ID
		scratchN := 0
		scratch := func(under string) int64 {
			t.Helper()
			scratchN++
			u := &units.Unit{Code: fmt.Sprintf("MX-S%d", scratchN), Name: fmt.Sprintf("Đơn vị nháp %d", scratchN), Type: units.TypeOther, ValidFrom: from}
			if err := f.Store.CreateUnit(ctx, audit.System, u, f.Units[under]); err != nil {
				t.Fatal(err)
			}
			return u.ID
		}

		for i, c := range apiMatrix {
			name := fmt.Sprintf("%s %s %s", c.user, c.action, c.target)
			t.Run(strings.ReplaceAll(name, "/", "_"), func(t *testing.T) {
				user := c.user + "@t.vn"
				target := f.Units[c.target]
				if c.target != "" && target == 0 {
					t.Fatalf("unknown target %s", c.target)
				}
				var method, path, body string
				switch {
				case c.action == "read":
					method, path = "GET", fmt.Sprintf("/api/v1/units/%d", target)
				case c.action == "patch":
					method, path, body = "PATCH", fmt.Sprintf("/api/v1/units/%d", target), webtest.JSON(map[string]any{"short_name": fmt.Sprintf("Sửa %d", i)})
				case c.action == "child":
					method, path = "POST", "/api/v1/units"
					body = webtest.JSON(map[string]any{"code": fmt.Sprintf("MX-C%d", i), "name": "Đơn vị mới", "type": "other", "parent_id": target})
				case c.action == "move":
					a, b := scratch(c.target), scratch(c.target)
					method, path, body = "POST", fmt.Sprintf("/api/v1/units/%d/move", a), webtest.JSON(map[string]any{"parent_id": b, "date": today})
				case c.action == "merge":
					a, b := scratch(c.target), scratch(c.target)
					method, path = "POST", "/api/v1/units/merge"
					body = webtest.JSON(map[string]any{"source_ids": []int64{a}, "target_id": b, "date": today})
				case c.action == "close":
					method, path, body = "POST", fmt.Sprintf("/api/v1/units/%d/close", scratch(c.target)), webtest.JSON(map[string]any{"date": today})
				case c.action == "users":
					method, path = "GET", "/api/v1/users?limit=500"
				case c.action == "user.read":
					method, path = "GET", fmt.Sprintf("/api/v1/users/%d", f.Users[apiMatrixAccounts[c.target]])
				case strings.HasPrefix(c.action, "grant:"):
					method, path = "POST", "/api/v1/users"
					body = webtest.JSON(map[string]any{"email": fmt.Sprintf("mx%d@t.vn", i), "name": "Tài khoản mới", "unit_id": target,
						"roles": []string{strings.TrimPrefix(c.action, "grant:")}, "password": "short"})
				default:
					t.Fatalf("unknown action %q", c.action)
				}
				status, resp := f.API(method, path, user, body)
				switch c.want {
				case mxPrivate, mxPublic:
					var u apiTestUnit
					webtest.Expect(t, status, resp, http.StatusOK, &u)
					hasPhone := u.FocalPoint != nil && (*u.FocalPoint)["phone"] != ""
					if want := c.want == mxPrivate; hasPhone != want || u.Restricted == want || (u.StaffCount != nil) != want || (u.HeadName != nil) != want {
						t.Errorf("private fields shown = %v, want %v: %s", hasPhone, want, resp)
					}
					if u.Code != c.target || u.Name == "" {
						t.Errorf("public fields missing: %s", resp)
					}
				case mxNoGrant:
					webtest.ExpectError(t, status, resp, http.StatusForbidden, "forbidden", "roles")
				case mxGrantable:
					webtest.ExpectError(t, status, resp, http.StatusUnprocessableEntity, "invalid_input", "password")
				case 403:
					webtest.ExpectError(t, status, resp, http.StatusForbidden, "forbidden", []string{}...)
				default:
					webtest.Expect(t, status, resp, c.want, nil)
				}
				if c.action == "users" && status == http.StatusOK {
					apiMatrixCheckUsers(t, f, user, resp)
				}
			})
		}

		// Lists show each unit's private fields by the same rule as reads.
		private := map[string]map[string]bool{}
		for _, c := range apiMatrix {
			if c.action == "read" {
				if private[c.user] == nil {
					private[c.user] = map[string]bool{}
				}
				private[c.user][c.target] = c.want == mxPrivate
			}
		}
		for user, want := range private {
			underRoot := 0 // matrix units directly under the province root
			for code := range want {
				if code == "X1" || code == "Y1" || code == "40-CA" {
					underRoot++
				}
			}
			for path, wantSeen := range map[string]int{
				"/api/v1/units?limit=500": len(want),
				fmt.Sprintf("/api/v1/units/%d/children?limit=500", f.Units["40"]): underRoot,
				"/api/v1/units/tree?depth=3":                                      len(want),
			} {
				var list apiTestList[apiTestUnit]
				status, body := f.API("GET", path, user+"@t.vn", "")
				webtest.Expect(t, status, body, http.StatusOK, &list)
				seen := map[string]bool{}
				var walk func([]apiTestUnit)
				walk = func(us []apiTestUnit) {
					for _, u := range us {
						if w, ok := want[u.Code]; ok {
							seen[u.Code] = true
							if (u.FocalPoint != nil) != w || u.Restricted == w {
								t.Errorf("%s GET %s: %s private fields shown = %v, want %v", user, path, u.Code, u.FocalPoint != nil, w)
							}
						}
						walk(u.Children)
					}
				}
				walk(list.Items)
				if len(seen) != wantSeen {
					t.Errorf("%s GET %s: saw only %v of the matrix's units", user, path, seen)
				}
			}
		}
	})
}

// apiMatrixCheckUsers checks that a user listing holds only accounts of
// units in the caller's scope, the caller included.
func apiMatrixCheckUsers(t *testing.T, f *webtest.Fixture, caller, body string) {
	t.Helper()
	var list apiTestList[apiTestUser]
	webtest.Decode(t, body, &list)
	me, err := f.Store.User(context.Background(), f.Users[caller])
	if err != nil {
		t.Fatal(err)
	}
	province, _ := me.Principal().Scope(auth.UserRead)
	found := false
	for _, u := range list.Items {
		found = found || u.Email == caller
		if province {
			continue
		}
		in, err := f.Store.InSubtree(context.Background(), me.UnitID, u.UnitID, dates.Today())
		if err != nil {
			t.Fatal(err)
		}
		if !in {
			t.Errorf("%s sees %s, outside their scope", caller, u.Email)
		}
	}
	if !found || list.Total != len(list.Items) {
		t.Errorf("%s's listing (%d of %d) lacks themselves", caller, len(list.Items), list.Total)
	}
	if province && list.Total != len(f.Users) {
		t.Errorf("%s sees %d accounts, want all %d", caller, list.Total, len(f.Users))
	}
}
