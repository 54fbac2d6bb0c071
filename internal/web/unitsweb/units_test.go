package unitsweb_test

import (
	"context"
	"fmt"
	"khienso/internal/web/webtest"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/store/storetest"
)

// unitTestID renders a fixture unit's id.
func unitTestID(f *webtest.Fixture, code string) string {
	f.T.Helper()
	id, ok := f.Units[code]
	if !ok {
		f.T.Fatalf("no fixture unit %s", code)
	}
	return fmt.Sprint(id)
}

// unitTestCount is how many units exist.
func unitTestCount(f *webtest.Fixture) int {
	f.T.Helper()
	n, err := f.Store.UnitCount(context.Background())
	if err != nil {
		f.T.Fatal(err)
	}
	return n
}

// unitTestInvalid tells whether the form field with id is marked invalid.
func unitTestInvalid(body, id string) bool {
	return regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*aria-invalid="true"`).MatchString(body)
}

func TestUnitTreeAndSearch(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		x1, school := unitTestID(f, "X1"), unitTestID(f, "X1-THCS")
		c := f.Login("coord@t.vn")

		status, body := c.Get("/units")
		if status != http.StatusOK {
			t.Fatalf("GET /units: %d", status)
		}
		for _, want := range []string{"Ủy ban nhân dân tỉnh Nghệ An", "Xã Nghi Phong", "Phường Vinh Phú", "Sở Khoa học và Công nghệ",
			`data-children="/units/` + x1 + `/children?date=`, `href="/units?open=` + x1 + `#u-` + x1 + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("tree page lacks %q", want)
			}
		}
		if strings.Contains(body, "Trường THCS Nghi Phong") {
			t.Error("the tree should render only the roots and their children, not the school two levels down")
		}
		if !strings.Contains(body, `href="/units/import"`) || !strings.Contains(body, "/units/export?format=xlsx") || !strings.Contains(body, "/units/export?format=csv") {
			t.Error("a coordinator should see the import and export links")
		}

		// ?open= renders the path down to the unit, without JavaScript.
		_, body = c.Get("/units?open=" + school)
		if !strings.Contains(body, `id="u-`+school+`"`) || !strings.Contains(body, "Trường THCS Nghi Phong") {
			t.Error("?open= should render the path down to the school")
		}
		if !regexp.MustCompile(`id="node-` + x1 + `"[^>]*data-loaded="1" open`).MatchString(body) {
			t.Error("?open= should render the school's commune expanded")
		}

		// The fragment app.js fetches.
		status, body = c.Get("/units/" + x1 + "/children?date=" + url.QueryEscape(dates.Today().VN()))
		if status != http.StatusOK || !strings.Contains(body, `id="u-`+school+`"`) || strings.Contains(body, "<html") {
			t.Errorf("children fragment: %d %q", status, body)
		}
		if status, _ := c.Get("/units/999999/children"); status != http.StatusNotFound {
			t.Errorf("children of an unknown unit: %d, want 404", status)
		}

		// Search ignores case and diacritics.
		for _, q := range []string{"nghi phong", "NGHI PHONG", "Nghi Phong", "nghi phóng"} {
			status, body := c.Get("/units?q=" + url.QueryEscape(q))
			if status != http.StatusOK || !strings.Contains(body, `id="result-`+x1+`"`) || !strings.Contains(body, `id="result-`+school+`"`) {
				t.Errorf("search %q: %d, should find X1 and its school", q, status)
			}
			if strings.Contains(body, `id="result-`+unitTestID(f, "Y1")+`"`) {
				t.Errorf("search %q should not find Y1", q)
			}
		}
		_, body = c.Get("/units?q=vinh+phu&type=commune")
		if !strings.Contains(body, `id="result-`+unitTestID(f, "Y1")+`"`) {
			t.Error("search by name and type should find Y1")
		}
		_, body = c.Get("/units?type=school")
		if !strings.Contains(body, `id="result-`+school+`"`) || strings.Contains(body, `id="result-`+x1+`"`) {
			t.Error("search by type should list only schools")
		}
		_, body = c.Get("/units?q=khong+co+don+vi+nay")
		if !strings.Contains(body, `id="units-no-results"`) {
			t.Error("a search without results should say so")
		}

		if status, body := c.Get("/units?date=31/02/2025"); status != http.StatusUnprocessableEntity || !strings.Contains(body, i18n.VI.T("err.date")) {
			t.Errorf("a bad date: %d", status)
		}

		// Who sees which buttons.
		_, body = f.Login("focal.x@t.vn").Get("/units")
		if strings.Contains(body, `href="/units/import"`) || !strings.Contains(body, `id="unit-new"`) {
			t.Error("a focal point should see New unit but not Import")
		}
		status, body = f.Login("viewer.x@t.vn").Get("/units")
		if status != http.StatusOK || strings.Contains(body, `id="unit-new"`) {
			t.Errorf("a viewer sees the tree (%d) without a New unit button", status)
		}
		if status, _ := f.Login("").Get("/units"); status != http.StatusSeeOther {
			t.Errorf("signed out: %d, want a redirect to the login page", status)
		}
	})
}

// The tree of a large province renders only what is asked for.
func TestUnitTreeLarge(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		_, commune := storetest.Province(t, f.Store, 800)
		total := unitTestCount(f)
		c := f.Login("coord@t.vn")
		_, body := c.Get("/units")
		if n := strings.Count(body, "<li"); n == 0 || n > total/8 {
			t.Errorf("the tree page renders %d items of %d units; it should render only the roots and their children", n, total)
		}
		id := fmt.Sprint(commune)
		_, body = c.Get("/units?open=" + id)
		if !regexp.MustCompile(`id="node-`+id+`"[^>]*open`).MatchString(body) || !strings.Contains(body, "Trường THCS Đông Vĩnh 1-0") {
			t.Error("?open= should expand the commune")
		}
		_, body = c.Get("/units/" + id + "/children")
		if n := strings.Count(body, "<li"); n < 45 {
			t.Errorf("children fragment has %d items", n)
		}
		// Search results come a page at a time.
		_, body = c.Get("/units?q=dong+vinh&type=school")
		if n := strings.Count(body, `id="result-`); n != 50 || !strings.Contains(body, `rel="next"`) {
			t.Errorf("first page of schools: %d results", n)
		}
		status, body := c.Get("/units?q=dong+vinh&type=school&page=2")
		if n := strings.Count(body, `id="result-`); status != http.StatusOK || n == 0 || !strings.Contains(body, `rel="prev"`) {
			t.Errorf("second page of schools: %d, %d results", status, n)
		}
	})
}

func TestUnitDetailPrivacy(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		x1 := unitTestID(f, "X1")
		private := []string{"0912345678", "x1@t.vn", "Cán bộ X1"}
		cases := []struct {
			user                 string
			private              bool
			edit, newChild, move bool
		}{
			{"coord@t.vn", true, true, true, true},
			{"admin@t.vn", true, true, true, true},
			{"focal.x@t.vn", true, true, true, false},
			{"viewer.x@t.vn", true, false, false, false},
			{"focal.y@t.vn", false, false, false, false},
			{"police@t.vn", false, false, false, false},
			{"learner@t.vn", false, false, false, false},
		}
		for _, tc := range cases {
			status, body := f.Login(tc.user).Get("/units/" + x1)
			if status != http.StatusOK {
				t.Fatalf("%s: GET /units/X1: %d", tc.user, status)
			}
			for _, want := range []string{"Xã Nghi Phong", `id="unit-code-value">X1<`, "Ủy ban nhân dân tỉnh Nghệ An", "Trường THCS Nghi Phong"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the public page lacks %q", tc.user, want)
				}
			}
			for _, p := range private {
				if got := strings.Contains(body, p); got != tc.private {
					t.Errorf("%s: shows %q = %v, want %v", tc.user, p, got, tc.private)
				}
			}
			for id, want := range map[string]bool{"unit-edit": tc.edit, "unit-new-child": tc.newChild, "unit-move": tc.move, "unit-close-form": tc.move} {
				if got := strings.Contains(body, `id="`+id+`"`); got != want {
					t.Errorf("%s: button %s shown = %v, want %v", tc.user, id, got, want)
				}
			}
		}
		if status, _ := f.Login("coord@t.vn").Get("/units/999999"); status != http.StatusNotFound {
			t.Errorf("unknown unit: %d", status)
		}
		if status, _ := f.Login("").Get("/units/" + x1); status != http.StatusSeeOther {
			t.Errorf("signed out: %d", status)
		}
	})
}

// unitTestForm is a complete create form.
func unitTestForm(parent, code, name string) url.Values {
	return url.Values{"parent_code": {parent}, "code": {code}, "name": {name}, "type": {"other"},
		"valid_from": {"01/01/2025"}, "focal_email": {"a@b.vn"}, "staff_count": {"12"}, "headcount_year": {"2025"}}
}

func TestUnitCreateAndEditPermissions(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		x1 := unitTestID(f, "X1")
		before := unitTestCount(f)

		y := f.Login("focal.y@t.vn")
		csrf := y.CSRF("/units")
		if status, _ := y.Get("/units/" + x1 + "/edit"); status != http.StatusForbidden {
			t.Errorf("focal.y GET edit X1: %d, want 403", status)
		}
		edit := url.Values{"code": {"X1"}, "name": {"Bị sửa"}, "type": {"commune"}}
		if status, _ := y.PostForm("/units/"+x1+"/edit", csrf, edit); status != http.StatusForbidden {
			t.Errorf("focal.y POST edit X1: %d, want 403", status)
		}
		if status, _ := y.Get("/units/new?parent=" + x1); status != http.StatusForbidden {
			t.Errorf("focal.y GET new under X1: %d, want 403", status)
		}
		if status, _ := y.PostForm("/units/new", csrf, unitTestForm("X1", "Y-X1", "Lén tạo")); status != http.StatusForbidden {
			t.Errorf("focal.y POST new under X1: %d, want 403", status)
		}
		// Without a parent code a focal point cannot create a root: refused,
		// with the form saying the parent is needed.
		if status, body := y.PostForm("/units/new", csrf, unitTestForm("", "ROOT2", "Gốc mới")); status != http.StatusForbidden || !unitTestInvalid(body, "unit-parent_code") {
			t.Errorf("focal.y POST new root: %d, want 403 with the parent marked", status)
		}

		v := f.Login("viewer.x@t.vn")
		vcsrf := v.CSRF("/units")
		if status, _ := v.Get("/units/" + x1 + "/edit"); status != http.StatusForbidden {
			t.Errorf("viewer GET edit: %d, want 403", status)
		}
		if status, _ := v.PostForm("/units/"+x1+"/edit", vcsrf, edit); status != http.StatusForbidden {
			t.Errorf("viewer POST edit: %d, want 403", status)
		}
		if status, _ := v.Get("/units/new"); status != http.StatusForbidden {
			t.Errorf("viewer GET new: %d, want 403", status)
		}
		if status, _ := v.PostForm("/units/new", vcsrf, unitTestForm("X1", "V-X1", "Lén tạo")); status != http.StatusForbidden {
			t.Errorf("viewer POST new: %d, want 403", status)
		}
		if n := unitTestCount(f); n != before {
			t.Fatalf("refused requests wrote units: %d, want %d", n, before)
		}
		if u, _ := f.Store.Unit(ctx, f.Units["X1"], dates.Today()); u.Name != "Xã Nghi Phong" {
			t.Fatalf("refused edit changed X1: %q", u.Name)
		}

		// The focal point of X1 edits it and creates a unit under it.
		x := f.Login("focal.x@t.vn")
		status, body := x.Get("/units/" + x1 + "/edit")
		if status != http.StatusOK || !strings.Contains(body, `value="0912345678"`) || !strings.Contains(body, `value="Xã Nghi Phong"`) {
			t.Fatalf("focal.x GET edit: %d", status)
		}
		xcsrf := webtest.CSRFOf(t, body)
		edit = url.Values{"code": {"X1"}, "name": {"Xã  Nghi Phong (mới)"}, "type": {"commune"}, "head_name": {"Nguyễn Văn A"},
			"focal_name": {"Trần Thị B"}, "focal_phone": {"0987 654 321"}, "focal_email": {"Dau.Moi@T.vn"},
			"staff_count": {"30"}, "headcount_year": {"2026"}}
		status, _ = x.PostForm("/units/"+x1+"/edit", xcsrf, edit)
		if status != http.StatusSeeOther {
			t.Fatalf("focal.x POST edit: %d", status)
		}
		u, err := f.Store.Unit(ctx, f.Units["X1"], dates.Today())
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "Xã Nghi Phong (mới)" || u.Focal.Email != "dau.moi@t.vn" || u.StaffCount == nil || *u.StaffCount != 30 || u.HeadcountYear != 2026 || u.ParentID != f.Units["40"] {
			t.Errorf("edited X1 = %+v", u)
		}
		_, body = x.Get("/units/" + x1 + "?done=saved")
		if !strings.Contains(body, `id="unit-notice"`) || !strings.Contains(body, "Nguyễn Văn A") {
			t.Error("the detail page should confirm the change")
		}

		status, body = x.Get("/units/new")
		if status != http.StatusOK || !regexp.MustCompile(`id="unit-parent_code" value="X1"`).MatchString(body) {
			t.Errorf("a focal point's new unit form should default to their unit: %d", status)
		}
		status, _ = x.PostForm("/units/new", xcsrf, unitTestForm("X1", "X1-MN", "Trường Mầm non Nghi Phong"))
		if status != http.StatusSeeOther {
			t.Fatalf("focal.x POST new under X1: %d", status)
		}
		created, err := f.Store.UnitByCode(ctx, "X1-MN", dates.Today())
		if err != nil {
			t.Fatal(err)
		}
		if created.ParentID != f.Units["X1"] || created.Name != "Trường Mầm non Nghi Phong" || created.ValidFrom != dates.MustParse("2025-01-01") {
			t.Errorf("created = %+v", created)
		}
		// A focal point cannot create a unit outside their subtree.
		status, _ = x.PostForm("/units/new", xcsrf, unitTestForm("Y1", "X-Y1", "Ngoài phạm vi"))
		if status != http.StatusForbidden {
			t.Errorf("focal.x POST new under Y1: %d, want 403", status)
		}
		// A coordinator may create a root.
		c := f.Login("coord@t.vn")
		if status, _ := c.PostForm("/units/new", c.CSRF("/units/new"), unitTestForm("", "ROOT2", "Đơn vị gốc thử")); status != http.StatusSeeOther {
			t.Errorf("coordinator creates a root: %d", status)
		}
	})
}

func TestUnitCreateValidation(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		c := f.Login("coord@t.vn")
		csrf := c.CSRF("/units/new?parent=" + unitTestID(f, "X1"))
		before := unitTestCount(f)
		cases := []struct {
			name, field, value, message string
		}{
			{"empty name", "name", "   ", i18n.VI.T("err.required")},
			{"bad e-mail", "focal_email", "không phải email", i18n.VI.T("err.email")},
			{"duplicate code", "code", "Y1", i18n.VI.T("err.code_taken")},
			{"bad date", "valid_from", "31/02/2025", i18n.VI.T("err.date")},
			{"bad number", "staff_count", "mười", i18n.VI.T("err.number")},
			{"unknown parent", "parent_code", "KHONG-CO", i18n.VI.T("unit.err.code_unknown", "KHONG-CO")},
			{"school without level", "type", "school", i18n.VI.T("err.school_level")},
		}
		for _, tc := range cases {
			form := unitTestForm("X1", "X1-NEW", "Đơn vị thử nghiệm")
			form.Set(tc.field, tc.value)
			status, body := c.PostForm("/units/new", csrf, form)
			if status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", tc.name, status)
				continue
			}
			field := tc.field
			if tc.field == "type" {
				field = "school_level"
			}
			if !unitTestInvalid(body, "unit-"+field) {
				t.Errorf("%s: field %s is not marked invalid", tc.name, field)
			}
			if !strings.Contains(body, `id="unit-`+field+`-error">`+tc.message+"<") {
				t.Errorf("%s: the message %q is not next to the field", tc.name, tc.message)
			}
			if !strings.Contains(body, `id="form-errors"`) {
				t.Errorf("%s: no error summary", tc.name)
			}
			// The user's input is kept.
			if tc.field != "code" && !strings.Contains(body, `value="X1-NEW"`) {
				t.Errorf("%s: the code typed was lost", tc.name)
			}
			if tc.field != "valid_from" && !strings.Contains(body, `value="01/01/2025"`) {
				t.Errorf("%s: the date typed was lost", tc.name)
			}
		}
		if n := unitTestCount(f); n != before {
			t.Errorf("invalid forms wrote units: %d, want %d", n, before)
		}
		// The edit form validates the same way and keeps the unit unchanged.
		x1 := unitTestID(f, "X1")
		status, body := c.PostForm("/units/"+x1+"/edit", csrf, url.Values{"code": {"Y1"}, "name": {""}, "type": {"commune"}})
		if status != http.StatusUnprocessableEntity || !unitTestInvalid(body, "unit-code") || !unitTestInvalid(body, "unit-name") {
			t.Errorf("edit with a taken code and no name: %d", status)
		}
		if u, _ := f.Store.Unit(context.Background(), f.Units["X1"], dates.Today()); u.Code != "X1" || u.Name != "Xã Nghi Phong" {
			t.Errorf("invalid edit changed X1: %+v", u)
		}
	})
}

func TestUnitStructureChanges(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		x1, y1, school, police := unitTestID(f, "X1"), unitTestID(f, "Y1"), unitTestID(f, "X1-THCS"), unitTestID(f, "40-CA")

		// Focal points may not restructure, not even their own units.
		for _, user := range []string{"focal.x@t.vn", "focal.y@t.vn", "viewer.x@t.vn"} {
			c := f.Login(user)
			csrf := c.CSRF("/units")
			for _, path := range []string{"/units/" + school + "/move", "/units/merge"} {
				if status, _ := c.Get(path); status != http.StatusForbidden {
					t.Errorf("%s GET %s: %d, want 403", user, path, status)
				}
			}
			if status, _ := c.PostForm("/units/"+school+"/move", csrf, url.Values{"parent_code": {"Y1"}, "date": {"01/01/2025"}}); status != http.StatusForbidden {
				t.Errorf("%s moves: %d, want 403", user, status)
			}
			if status, _ := c.PostForm("/units/merge", csrf, url.Values{"sources": {"X1"}, "target_code": {"Y1"}, "date": {"01/07/2025"}, "step": {"commit"}}); status != http.StatusForbidden {
				t.Errorf("%s merges: %d, want 403", user, status)
			}
			if status, _ := c.PostForm("/units/"+school+"/close", csrf, url.Values{"date": {"01/01/2026"}}); status != http.StatusForbidden {
				t.Errorf("%s closes: %d, want 403", user, status)
			}
		}
		if u, _ := f.Store.Unit(ctx, f.Units["X1-THCS"], dates.Today()); u.ParentID != f.Units["X1"] || !u.ValidTo.IsZero() {
			t.Fatalf("refused changes changed the school: %+v", u)
		}

		c := f.Login("coord@t.vn")
		status, body := c.Get("/units/" + x1 + "/move")
		if status != http.StatusOK {
			t.Fatalf("coordinator GET move: %d", status)
		}
		csrf := webtest.CSRFOf(t, body)
		// A unit cannot go under its own descendant.
		status, body = c.PostForm("/units/"+x1+"/move", csrf, url.Values{"parent_code": {"X1-THCS"}, "date": {"01/01/2025"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, i18n.VI.T("err.parent_cycle")) || !unitTestInvalid(body, "unit-parent_code") {
			t.Errorf("move under a descendant: %d", status)
		}
		status, body = c.PostForm("/units/"+x1+"/move", csrf, url.Values{"parent_code": {"40-CA"}, "date": {"31/31/2025"}})
		if status != http.StatusUnprocessableEntity || !unitTestInvalid(body, "unit-date") || !strings.Contains(body, `value="40-CA"`) {
			t.Errorf("move with a bad date: %d", status)
		}
		// The school moves under Y1 from 01/01/2025.
		if status, _ := c.PostForm("/units/"+school+"/move", csrf, url.Values{"parent_code": {"Y1"}, "date": {"01/01/2025"}}); status != http.StatusSeeOther {
			t.Fatalf("move the school: %d", status)
		}
		if u, _ := f.Store.Unit(ctx, f.Units["X1-THCS"], dates.Today()); u.ParentID != f.Units["Y1"] {
			t.Errorf("after the move the school is under %d", u.ParentID)
		}
		if u, _ := f.Store.Unit(ctx, f.Units["X1-THCS"], dates.MustParse("2024-06-01")); u.ParentID != f.Units["X1"] {
			t.Errorf("before the move the school should stay under X1, is under %d", u.ParentID)
		}

		// Merge X1 and Y1 into a new commune: review, then confirm.
		merge := url.Values{"sources": {"X1\nY1"}, "new_code": {"X9"}, "new_name": {"Xã Nghi Phong Vinh Phú"},
			"new_type": {"commune"}, "new_parent_code": {"40"}, "date": {"01/07/2025"}, "step": {"preview"}}
		status, body = c.PostForm("/units/merge", csrf, merge)
		if status != http.StatusOK || !strings.Contains(body, `id="unit-merge-summary"`) || !strings.Contains(body, "Phường Vinh Phú") || !strings.Contains(body, `id="unit-merge-commit"`) {
			t.Fatalf("merge preview: %d", status)
		}
		if _, err := f.Store.UnitByCode(ctx, "X9", dates.Today()); err == nil {
			t.Fatal("the preview must not write anything")
		}
		bad := url.Values{"sources": {"X1, KHONG-CO"}, "target_code": {"Y1"}, "date": {"01/07/2025"}, "step": {"commit"}}
		status, body = c.PostForm("/units/merge", csrf, bad)
		if status != http.StatusUnprocessableEntity || !unitTestInvalid(body, "unit-sources") || !strings.Contains(body, "KHONG-CO") {
			t.Errorf("merge with an unknown code: %d", status)
		}
		merge.Set("step", "commit")
		resp, err := c.HTTP.PostForm(f.Server.URL+"/units/merge", url.Values{"csrf_token": {csrf}, "sources": merge["sources"],
			"new_code": merge["new_code"], "new_name": merge["new_name"], "new_type": merge["new_type"],
			"new_parent_code": merge["new_parent_code"], "date": merge["date"], "step": {"commit"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("merge: %d", resp.StatusCode)
		}
		merged, err := f.Store.UnitByCode(ctx, "X9", dates.Today())
		if err != nil {
			t.Fatal(err)
		}
		if loc := resp.Header.Get("Location"); loc != fmt.Sprintf("/units/%d?done=merged", merged.ID) {
			t.Errorf("merge redirects to %q", loc)
		}
		_, body = c.Get(fmt.Sprintf("/units/%d", merged.ID))
		m := regexp.MustCompile(`(?s)id="unit-predecessors">(.*?)</ul>`).FindStringSubmatch(body)
		if m == nil || !strings.Contains(m[1], "Xã Nghi Phong") || !strings.Contains(m[1], "Phường Vinh Phú") || !strings.Contains(m[1], "01/07/2025") {
			t.Errorf("the new commune should list X1 and Y1 as predecessors")
		}
		for _, id := range []string{x1, y1} {
			_, body := c.Get("/units/" + id)
			if !strings.Contains(body, `id="unit-closed"`) || !strings.Contains(body, `id="unit-successors"`) || !strings.Contains(body, "Xã Nghi Phong Vinh Phú") {
				t.Errorf("unit %s should show as closed, merged into X9", id)
			}
			if strings.Contains(body, `id="unit-move"`) {
				t.Errorf("a closed unit should offer no move")
			}
		}
		// The tree before the merge still shows X1 and Y1; today it shows X9.
		_, body = c.Get("/units?date=30/06/2025")
		if !strings.Contains(body, `id="u-`+x1+`"`) || !strings.Contains(body, `id="u-`+y1+`"`) || strings.Contains(body, fmt.Sprintf(`id="u-%d"`, merged.ID)) {
			t.Error("the tree on 30/06/2025 should show X1 and Y1 and not X9")
		}
		_, body = c.Get("/units")
		if strings.Contains(body, `id="u-`+x1+`"`) || !strings.Contains(body, fmt.Sprintf(`id="u-%d"`, merged.ID)) {
			t.Error("today's tree should show X9 instead of X1")
		}
		// The school followed Y1 into X9.
		if u, _ := f.Store.Unit(ctx, f.Units["X1-THCS"], dates.Today()); u.ParentID != merged.ID {
			t.Errorf("the school should now be under X9, is under %d", u.ParentID)
		}

		// Close: refused while units are under it, then done.
		status, body = c.PostForm(fmt.Sprintf("/units/%d/close", merged.ID), csrf, url.Values{"date": {"01/01/2026"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, i18n.VI.T("err.close_has_children", 1)) || !unitTestInvalid(body, "unit-close-date") {
			t.Errorf("close a unit with children: %d", status)
		}
		status, _ = c.PostForm("/units/"+police+"/close", csrf, url.Values{"date": {"01/01/2026"}})
		if status != http.StatusSeeOther {
			t.Fatalf("close the police unit: %d", status)
		}
		if u, _ := f.Store.Unit(ctx, f.Units["40-CA"], dates.Today()); u.ValidTo != dates.MustParse("2026-01-01") {
			t.Errorf("closed unit valid to %v", u.ValidTo)
		}
	})
}
