package unitsweb_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/web/webtest"
)

// The unit package's tests decode with the shared webtest types.
type (
	apiTestUnit        = webtest.Unit
	apiTestList[T any] = webtest.List[T]
)

func TestAPIUnits(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		const admin, coord = "admin@t.vn", "coord@t.vn"
		today := dates.Today()
		id := func(code string) string { return fmt.Sprint(f.Units[code]) }

		// Create: validation names the fields, then a unit is made.
		status, body := f.API("POST", "/api/v1/units", coord, webtest.JSON(map[string]any{
			"code": "bad code!", "type": "school", "parent_id": f.Units["X1"], "staff_count": -1,
			"focal_point": map[string]string{"phone": "abc"}, "valid_from": "01/07/2025",
		}))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input",
			"valid_from", "code", "name", "school_level", "focal_point.phone", "staff_count", "headcount_year")
		status, body = f.API("POST", "/api/v1/units", coord, webtest.JSON(map[string]any{"code": "X1-TH", "name": "Trường Tiểu học", "type": "other", "parent_id": 999999}))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "parent_id")
		newUnit := map[string]any{
			"code": "X1-TH", "name": "Trường Tiểu học Nghi Phong", "short_name": "TH Nghi Phong", "type": "school",
			"school_level": "primary", "parent_id": f.Units["X1"], "head_name": "Nguyễn Văn A",
			"focal_point": map[string]string{"name": "Trần Thị B", "phone": "0987654321", "email": "Th@T.vn"},
			"staff_count": 30, "pupil_count": 600, "headcount_year": 2025, "valid_from": "2024-09-01",
		}
		var th apiTestUnit
		status, body = f.API("POST", "/api/v1/units", "focal.x@t.vn", webtest.JSON(newUnit))
		webtest.Expect(t, status, body, http.StatusCreated, &th)
		if th.ID == 0 || th.Code != "X1-TH" || th.ParentID != f.Units["X1"] || th.ValidFrom != "2024-09-01" || th.Restricted ||
			th.FocalPoint == nil || (*th.FocalPoint)["email"] != "th@t.vn" || th.StaffCount == nil || *th.StaffCount != 30 {
			t.Fatalf("created unit: %s", body)
		}
		if !slices.Equal(th.AncestorIDs, []int64{f.Units["X1"], f.Units["40"]}) {
			t.Errorf("ancestor_ids = %v", th.AncestorIDs)
		}
		status, body = f.API("POST", "/api/v1/units", coord, webtest.JSON(newUnit))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "code")
		// Without a parent: a root, province-wide right needed; default today.
		var root apiTestUnit
		status, body = f.API("POST", "/api/v1/units", coord, `{"code": "R2", "name": "Đơn vị gốc thử", "type": "other"}`)
		webtest.Expect(t, status, body, http.StatusCreated, &root)
		if root.ParentID != 0 || root.ValidFrom != today.ISO() {
			t.Errorf("root unit: %s", body)
		}

		// Read, as on a date before the unit existed too.
		var got apiTestUnit
		status, body = f.API("GET", "/api/v1/units/"+fmt.Sprint(th.ID)+"?date=2024-01-01", "viewer.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &got)
		if got.ParentID != 0 || got.FocalPoint == nil {
			t.Errorf("unit before it existed: %s", body)
		}

		// Patch: only the fields present change; null clears a count.
		status, body = f.API("PATCH", "/api/v1/units/"+fmt.Sprint(th.ID), "focal.x@t.vn",
			`{"short_name": "TH NP", "focal_point": {"phone": "0911111111"}, "pupil_count": null}`)
		webtest.Expect(t, status, body, http.StatusOK, &got)
		if got.ShortName != "TH NP" || got.Name != "Trường Tiểu học Nghi Phong" || (*got.FocalPoint)["phone"] != "0911111111" ||
			(*got.FocalPoint)["name"] != "Trần Thị B" || got.StaffCount == nil || *got.StaffCount != 30 || strings.Contains(body, `"pupil_count":600`) {
			t.Errorf("patched unit: %s", body)
		}
		status, body = f.API("PATCH", "/api/v1/units/"+fmt.Sprint(th.ID), "focal.x@t.vn", `{"parent_id": 5}`)
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", "parent_id")
		status, body = f.API("PATCH", "/api/v1/units/"+fmt.Sprint(th.ID), "focal.x@t.vn", `{"name": "", "type": "castle"}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "name", "type")
		status, body = f.API("PATCH", "/api/v1/units/999999", admin, `{"name": "x"}`)
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")

		// Search ignores case and diacritics; pagination.
		var list apiTestList[apiTestUnit]
		status, body = f.API("GET", "/api/v1/units?q=nghi+PHONG", "learner@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 3 || len(list.Items) != 3 {
			t.Errorf("search 'nghi PHONG': %s", body)
		}
		status, body = f.API("GET", "/api/v1/units?q=x1", "learner@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 3 || list.Items[0].Code != "X1" {
			t.Errorf("search 'x1', the exact code first: %s", body)
		}
		var codes []string
		for offset := 0; offset < 20; offset += 3 {
			status, body = f.API("GET", fmt.Sprintf("/api/v1/units?limit=3&offset=%d&within=%s", offset, id("40")), admin, "")
			webtest.Expect(t, status, body, http.StatusOK, &list)
			if list.Total != 7 || list.Limit != 3 || list.Offset != offset || len(list.Items) != min(3, max(7-offset, 0)) {
				t.Fatalf("page at %d: %s", offset, body)
			}
			for _, u := range list.Items {
				codes = append(codes, u.Code)
			}
		}
		slices.Sort(codes)
		if !slices.Equal(codes, []string{"40", "40-CA", "40-SKHCN", "X1", "X1-TH", "X1-THCS", "Y1"}) {
			t.Errorf("pages held %v", codes)
		}
		status, body = f.API("GET", "/api/v1/units?type=school&date=2024-06-01", admin, "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 1 || list.Items[0].Code != "X1-THCS" {
			t.Errorf("schools on 2024-06-01: %s", body)
		}

		// Move, then children and subtree follow.
		status, body = f.API("POST", "/api/v1/units/"+id("X1-THCS")+"/move", coord, `{"parent_id": `+id("Y1")+`}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "date")
		status, body = f.API("POST", "/api/v1/units/"+id("X1-THCS")+"/move", coord, `{"parent_id": `+id("X1")+`, "date": "`+today.ISO()+`"}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "parent_id")
		status, body = f.API("POST", "/api/v1/units/"+id("X1-THCS")+"/move", coord, `{"parent_id": `+id("Y1")+`, "date": "`+today.ISO()+`"}`)
		webtest.Expect(t, status, body, http.StatusOK, &got)
		if got.ParentID != f.Units["Y1"] {
			t.Errorf("moved unit: %s", body)
		}
		status, body = f.API("GET", "/api/v1/units/"+id("Y1")+"/children", admin, "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 1 || list.Items[0].Code != "X1-THCS" {
			t.Errorf("children of Y1: %s", body)
		}
		status, body = f.API("GET", "/api/v1/units/"+id("X1")+"/children?date="+today.AddDays(-1).ISO(), admin, "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 2 {
			t.Errorf("children of X1 yesterday: %s", body)
		}
		var ids apiTestList[int64]
		status, body = f.API("GET", "/api/v1/units/"+id("Y1")+"/subtree", "learner@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &ids)
		if !slices.Equal(ids.Items, []int64{f.Units["Y1"], f.Units["X1-THCS"]}) || ids.Total != 2 {
			t.Errorf("subtree of Y1: %s", body)
		}
		status, body = f.API("GET", "/api/v1/units/"+id("40")+"/subtree?limit=2&offset=1", admin, "")
		webtest.Expect(t, status, body, http.StatusOK, &ids)
		if len(ids.Items) != 2 || ids.Total != 7 || slices.Contains(ids.Items, f.Units["40"]) {
			t.Errorf("subtree page: %s", body)
		}

		// Tree: roots with nested children, bounded by depth.
		var tree struct {
			Depth     int           `json:"depth"`
			Truncated bool          `json:"truncated"`
			Items     []apiTestUnit `json:"items"`
		}
		status, body = f.API("GET", "/api/v1/units/tree?depth=2", "learner@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &tree)
		var top *apiTestUnit
		for i := range tree.Items {
			if tree.Items[i].Code == "40" {
				top = &tree.Items[i]
			}
		}
		if top == nil || len(tree.Items) != 2 || tree.Truncated || len(top.Children) != 4 || !top.Restricted {
			t.Fatalf("tree: %s", body)
		}
		for _, c := range top.Children {
			if c.Code == "Y1" && (len(c.Children) != 1 || c.Children[0].Code != "X1-THCS" || c.Children[0].Children != nil) {
				t.Errorf("Y1 in the tree: %+v", c)
			}
			if c.FocalPoint != nil {
				t.Errorf("learner sees %s's focal point in the tree", c.Code)
			}
		}
		status, body = f.API("GET", "/api/v1/units/tree?root="+id("X1"), "focal.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &tree)
		if len(tree.Items) != 1 || tree.Items[0].Code != "X1" || len(tree.Items[0].Children) != 1 || tree.Items[0].Children[0].FocalPoint == nil {
			t.Errorf("tree under X1: %s", body)
		}

		// Merge into an existing unit, then into a new one.
		status, body = f.API("POST", "/api/v1/units/merge", coord, webtest.JSON(map[string]any{
			"source_ids": []int64{f.Units["X1"]}, "target_id": f.Units["Y1"], "new_target": map[string]any{"code": "Z"}, "date": today.ISO()}))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "target_id", "new_target.name", "new_target.type")
		status, body = f.API("POST", "/api/v1/units/merge", coord, webtest.JSON(map[string]any{
			"source_ids": []int64{f.Units["X1"]}, "target_id": f.Units["Y1"], "date": today.ISO()}))
		webtest.Expect(t, status, body, http.StatusOK, &got)
		if got.ID != f.Units["Y1"] || got.ChildCount != 2 {
			t.Errorf("merge into Y1: %s", body)
		}
		status, body = f.API("GET", "/api/v1/units/"+id("X1"), admin, "")
		webtest.Expect(t, status, body, http.StatusOK, &got)
		if got.ValidTo != today.ISO() {
			t.Errorf("X1 after merging: %s", body)
		}
		status, body = f.API("GET", "/api/v1/units?q=nghi+phong&include_closed=true", admin, "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 3 {
			t.Errorf("closed units included: %s", body)
		}
		status, body = f.API("GET", "/api/v1/units?q=nghi+phong", admin, "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 2 {
			t.Errorf("closed units left out: %s", body)
		}
		status, body = f.API("POST", "/api/v1/units/merge", admin, webtest.JSON(map[string]any{
			"source_ids": []int64{f.Units["40-CA"]}, "date": today.ISO(),
			"new_target": map[string]any{"code": "40-CAN", "name": "Công an tỉnh (mới)", "type": "police", "parent_id": f.Units["40"]}}))
		webtest.Expect(t, status, body, http.StatusCreated, &got)
		status, body = f.API("POST", "/api/v1/units/merge", admin, webtest.JSON(map[string]any{
			"source_ids": []int64{got.ID}, "date": today.AddDays(1).ISO(),
			"new_target": map[string]any{"code": "40-CAN", "name": "Trùng mã", "type": "police"}}))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "new_target.code")
		if got.Code != "40-CAN" || got.ParentID != f.Units["40"] || got.ValidFrom != today.ISO() {
			t.Errorf("merge into a new unit: %s", body)
		}

		// Close: refused while units sit under it; a leaf closes.
		status, body = f.API("POST", "/api/v1/units/"+id("Y1")+"/close", coord, `{"date": "`+today.AddDays(1).ISO()+`"}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "date")
		status, body = f.API("POST", "/api/v1/units/"+id("Y1")+"/close", coord, `{"date": "tomorrow"}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "date")
		// A root the coordinator made is a tree of its own, outside the
		// coordinator's province.
		status, body = f.API("POST", "/api/v1/units/"+fmt.Sprint(root.ID)+"/close", coord, `{"date": "`+today.AddDays(1).ISO()+`"}`)
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		status, body = f.API("POST", "/api/v1/units/"+fmt.Sprint(th.ID)+"/close", coord, `{"date": "`+today.AddDays(1).ISO()+`"}`)
		webtest.Expect(t, status, body, http.StatusOK, &got)
		if got.ValidTo != today.AddDays(1).ISO() || got.ParentID == 0 {
			t.Errorf("closed unit: %s", body)
		}
		// Every change is in the audit log under the caller.
		entries, _, err := f.Store.AuditLog(context.Background(), audit.Filter{Actor: "coord@t.vn", Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range entries {
			seen[e.Action] = true
		}
		for _, a := range []string{"create", "move", "merge", "close"} {
			if !seen[a] {
				t.Errorf("no %q entry by coord in the audit log (saw %v)", a, seen)
			}
		}
	})
}
