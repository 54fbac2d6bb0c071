package web_test

import (
	"context"
	"fmt"
	"khienso/internal/web/webtest"
	"net/http"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/units"
)

// Expectations of the access matrix besides plain statuses.
const (
	// mxPrivate: 200 with the unit's non-public fields (focal_point.phone).
	mxPrivate = -1
	// mxPublic: 200 with the public fields only (focal_point absent).
	mxPublic = -2
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
//
// Accounts have their own matrix in internal/web/accountsweb.
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
}

func TestAPIAccessMatrix(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		from := dates.MustParse("2021-01-01")
		today := dates.Today().ISO()
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
				default:
					t.Fatalf("unknown action %q", c.action)
				}
				status, resp := f.API(method, path, user, body)
				switch c.want {
				case mxPrivate, mxPublic:
					var u webtest.Unit
					webtest.Expect(t, status, resp, http.StatusOK, &u)
					hasPhone := u.FocalPoint != nil && (*u.FocalPoint)["phone"] != ""
					if want := c.want == mxPrivate; hasPhone != want || u.Restricted == want || (u.StaffCount != nil) != want || (u.HeadName != nil) != want {
						t.Errorf("private fields shown = %v, want %v: %s", hasPhone, want, resp)
					}
					if u.Code != c.target || u.Name == "" {
						t.Errorf("public fields missing: %s", resp)
					}
				case 403:
					webtest.ExpectError(t, status, resp, http.StatusForbidden, "forbidden", []string{}...)
				default:
					webtest.Expect(t, status, resp, c.want, nil)
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
				var list webtest.List[webtest.Unit]
				status, body := f.API("GET", path, user+"@t.vn", "")
				webtest.Expect(t, status, body, http.StatusOK, &list)
				seen := map[string]bool{}
				var walk func([]webtest.Unit)
				walk = func(us []webtest.Unit) {
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
