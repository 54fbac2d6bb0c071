package plansweb_test

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"khienso/internal/i18n"
	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/web/webtest"
)

type apiPlan struct {
	ID          int64   `json:"id"`
	UnitID      int64   `json:"unit_id"`
	UnitName    string  `json:"unit_name"`
	ParentID    *int64  `json:"parent_id"`
	ProgrammeID *int64  `json:"programme_id"`
	Title       string  `json:"title"`
	IssuedOn    *string `json:"issued_on"`
	YearFrom    int     `json:"year_from"`
	YearTo      int     `json:"year_to"`
	Status      string  `json:"status"`
}

type apiList[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

type apiDefinition struct {
	ID          int64   `json:"id"`
	PlanID      int64   `json:"plan_id"`
	Code        string  `json:"code"`
	Description string  `json:"description"`
	Formula     string  `json:"formula"`
	Value       float64 `json:"value"`
	Period      string  `json:"period"`
}

// ids lists the plan ids of a listing.
func ids(l apiList[apiPlan]) map[int64]bool {
	out := map[int64]bool{}
	for _, p := range l.Items {
		out[p.ID] = true
	}
	return out
}

func TestAPIProgrammes(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		progs := planTestProgrammes(f)
		var list apiList[struct {
			ID      int64       `json:"id"`
			Code    string      `json:"code"`
			Targets []apiTarget `json:"targets"`
		}]
		status, body := f.API("GET", "/api/v1/programmes", "focal.y@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != len(progs) || len(list.Items) != len(progs) {
			t.Fatalf("%d programmes listed, %d installed", list.Total, len(progs))
		}
		p1907 := progs["1907"]
		var one struct {
			Code     string      `json:"code"`
			YearFrom int         `json:"year_from"`
			Targets  []apiTarget `json:"targets"`
		}
		status, body = f.API("GET", fmt.Sprintf("/api/v1/programmes/%d", p1907.ID), "police@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &one)
		if one.Code != "1907" || len(one.Targets) != len(p1907.Targets) || one.Targets[0].Formula != p1907.Targets[0].Formula {
			t.Errorf("programme 1907: %s", body)
		}
		status, body = f.API("GET", "/api/v1/programmes?limit=1", "coord@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if len(list.Items) != 1 || list.Total != len(progs) {
			t.Errorf("a page of one: %s", body)
		}
		status, body = f.API("GET", "/api/v1/programmes", "learner@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		status, body = f.API("GET", "/api/v1/programmes", "", "")
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")
		status, body = f.API("GET", "/api/v1/programmes/999999", "coord@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")
	})
}

type apiTarget struct {
	Code    string `json:"code"`
	Formula string `json:"formula"`
}

func TestAPIPlans(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		progs := planTestProgrammes(f)
		prov := planTestCreate(f, "40", plans.StatusInEffect, 0)
		draftX := planTestCreate(f, "X1", plans.StatusDraft, 0)
		draftY := planTestCreate(f, "Y1", plans.StatusDraft, 0)
		planZ := planTestCreate(f, "Z1", plans.StatusInEffect, 0)

		// Create from a template: the targets become indicators.
		var created apiPlan
		status, body := f.API("POST", "/api/v1/plans", "coord@t.vn", webtest.JSON(map[string]any{"unit_id": f.Units["40"],
			"programme_id": progs["1907"].ID, "title": "Kế hoạch theo Đề án 1907", "number": "5/KH-UBND"}))
		webtest.Expect(t, status, body, http.StatusCreated, &created)
		if created.Status != "draft" || created.UnitName != "Ủy ban nhân dân tỉnh Nghệ An" || created.YearFrom != progs["1907"].YearFrom || created.ProgrammeID == nil || created.IssuedOn != nil {
			t.Errorf("created %s", body)
		}
		var defs apiList[apiDefinition]
		status, body = f.API("GET", fmt.Sprintf("/api/v1/plans/%d/indicator-definitions", created.ID), "coord@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &defs)
		if defs.Total != len(progs["1907"].Targets) || defs.Items[0].Code != progs["1907"].Targets[0].Code || defs.Items[0].PlanID != created.ID {
			t.Errorf("definitions %s", body)
		}

		// A commune's plan implementing the province plan.
		status, body = f.API("POST", "/api/v1/plans", "focal.x@t.vn", webtest.JSON(map[string]any{"parent_id": prov.ID,
			"title": "Kế hoạch của xã", "status": "in_effect", "issued_on": "2022-04-01"}))
		var child apiPlan
		webtest.Expect(t, status, body, http.StatusCreated, &child)
		if child.UnitID != f.Units["X1"] || child.ParentID == nil || *child.ParentID != prov.ID || child.YearFrom != prov.YearFrom ||
			child.IssuedOn == nil || *child.IssuedOn != "2022-04-01" {
			t.Errorf("child %s", body)
		}
		// The parent rule, and other refusals.
		for _, c := range []struct {
			name, user string
			body       map[string]any
			want       int
			code       string
			fields     []string
		}{
			{"another unit's draft as parent", "focal.x@t.vn", map[string]any{"parent_id": draftY.ID, "title": "x", "year_from": 2026, "year_to": 2026}, 422, "invalid_input", []string{"parent_id"}},
			{"another province's plan as parent", "focal.x@t.vn", map[string]any{"parent_id": planZ.ID, "title": "x", "year_from": 2026, "year_to": 2026}, 422, "invalid_input", []string{"parent_id"}},
			{"a unit's plan as parent", "focal.y@t.vn", map[string]any{"parent_id": child.ID, "title": "x", "year_from": 2026, "year_to": 2026}, 422, "invalid_input", []string{"parent_id"}},
			{"another unit", "focal.x@t.vn", map[string]any{"unit_id": f.Units["Y1"], "title": "x", "year_from": 2026, "year_to": 2026}, 403, "forbidden", nil},
			{"another province", "coord@t.vn", map[string]any{"unit_id": f.Units["Z1"], "title": "x", "year_from": 2026, "year_to": 2026}, 403, "forbidden", nil},
			{"a viewer", "viewer.x@t.vn", map[string]any{"title": "x", "year_from": 2026, "year_to": 2026}, 403, "forbidden", nil},
			{"an unknown field", "focal.x@t.vn", map[string]any{"title": "x", "owner": 1}, 400, "bad_request", []string{"owner"}},
			{"a bad date", "focal.x@t.vn", map[string]any{"title": "x", "issued_on": "01/04/2022"}, 422, "invalid_input", []string{"issued_on"}},
			{"missing fields", "focal.x@t.vn", map[string]any{"programme_id": 999999, "status": "in_effect"}, 422, "invalid_input",
				[]string{"programme_id", "title", "year_from", "year_to", "issued_on"}},
		} {
			status, body := f.API("POST", "/api/v1/plans", c.user, webtest.JSON(c.body))
			t.Run(c.name, func(t *testing.T) { webtest.ExpectError(t, status, body, c.want, c.code, c.fields...) })
		}

		// Lists: what each caller may read, with the list page's filters.
		var list apiList[apiPlan]
		status, body = f.API("GET", "/api/v1/plans?limit=500", "focal.y@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if seen := ids(list); !seen[prov.ID] || !seen[draftY.ID] || !seen[child.ID] || seen[draftX.ID] || seen[planZ.ID] || seen[created.ID] {
			t.Errorf("focal.y sees %v", seen)
		}
		status, body = f.API("GET", "/api/v1/plans?limit=500", "coord.z@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if seen := ids(list); len(seen) != 1 || !seen[planZ.ID] {
			t.Errorf("Hà Tĩnh's coordinator sees %v, want only Z1's plan", seen)
		}
		for _, c := range []struct {
			query string
			want  []int64
		}{
			{"level=unit", []int64{child.ID}},
			{fmt.Sprintf("parent_id=%d", prov.ID), []int64{child.ID}},
			{fmt.Sprintf("unit_id=%d", f.Units["X1"]), []int64{child.ID, draftX.ID}},
			{"status=draft&level=province", []int64{created.ID, draftY.ID, draftX.ID}},
			{fmt.Sprintf("programme_id=%d", progs["1907"].ID), []int64{created.ID}},
			{"year=2021&level=province", []int64{created.ID}},
			{"level=province&limit=2&offset=1", []int64{draftY.ID, draftX.ID}},
		} {
			status, body := f.API("GET", "/api/v1/plans?"+c.query, "coord@t.vn", "")
			webtest.Expect(t, status, body, http.StatusOK, &list)
			var got []int64
			for _, p := range list.Items {
				got = append(got, p.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("?%s: %v, want %v", c.query, got, c.want)
			}
		}
		for _, q := range []string{"level=x", "status=archived", "unit_id=abc", "year=1990", fmt.Sprintf("level=unit&parent_id=%d", prov.ID)} {
			status, body := f.API("GET", "/api/v1/plans?"+q, "coord@t.vn", "")
			webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request")
		}

		// One plan: hidden drafts and other provinces are not found.
		for _, c := range []struct {
			user string
			id   int64
			want int
		}{
			{"focal.y@t.vn", prov.ID, 200}, {"focal.y@t.vn", draftX.ID, 404}, {"viewer.x@t.vn", draftX.ID, 200},
			{"coord.z@t.vn", prov.ID, 404}, {"coord@t.vn", planZ.ID, 404}, {"learner@t.vn", prov.ID, 403}, {"", prov.ID, 401},
			{"coord@t.vn", 999999, 404},
		} {
			if status, body := f.API("GET", fmt.Sprintf("/api/v1/plans/%d", c.id), c.user, ""); status != c.want {
				t.Errorf("%s GET plan %d: %d, want %d: %s", c.user, c.id, status, c.want, body)
			}
		}

		// PATCH changes only what is sent.
		path := fmt.Sprintf("/api/v1/plans/%d", prov.ID)
		var p apiPlan
		status, body = f.API("PATCH", path, "coord@t.vn", `{"title": "Kế hoạch đã sửa"}`)
		webtest.Expect(t, status, body, http.StatusOK, &p)
		if p.Title != "Kế hoạch đã sửa" || p.Status != "in_effect" || p.IssuedOn == nil || *p.IssuedOn != "2022-03-01" {
			t.Errorf("patched %s", body)
		}
		status, body = f.API("PATCH", path, "focal.y@t.vn", `{"title": "x"}`)
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		status, body = f.API("PATCH", path, "coord@t.vn", `{"status": "draft"}`)
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", "status")
		status, body = f.API("PATCH", path, "coord@t.vn", `{"year_to": 2020}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "year_to")
		status, body = f.API("PATCH", fmt.Sprintf("/api/v1/plans/%d", draftX.ID), "focal.y@t.vn", `{"title": "x"}`)
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")

		// Status: no way back to draft; issuing needs a date.
		status, body = f.API("POST", path+"/status", "coord@t.vn", `{"status": "draft"}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "status")
		dpath := fmt.Sprintf("/api/v1/plans/%d/status", draftX.ID)
		status, body = f.API("POST", dpath, "focal.x@t.vn", `{"status": "in_effect"}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "issued_on")
		status, body = f.API("POST", dpath, "viewer.x@t.vn", `{"status": "in_effect", "issued_on": "2022-05-01"}`)
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		status, body = f.API("POST", dpath, "focal.x@t.vn", `{"status": "in_effect", "issued_on": "2022-05-01"}`)
		webtest.Expect(t, status, body, http.StatusOK, &p)
		if p.Status != "in_effect" || *p.IssuedOn != "2022-05-01" {
			t.Errorf("issued %s", body)
		}
		status, body = f.API("POST", dpath, "focal.x@t.vn", `{"status": "closed"}`)
		webtest.Expect(t, status, body, http.StatusOK, &p)
		if p.Status != "closed" {
			t.Errorf("closed %s", body)
		}
		// Issued, X1's plan is now read by the whole province.
		if status, _ := f.API("GET", fmt.Sprintf("/api/v1/plans/%d", draftX.ID), "focal.y@t.vn", ""); status != http.StatusOK {
			t.Errorf("focal.y reads X1's issued plan: %d", status)
		}
	}, webtest.SecondProvince())
}

func TestAPIIndicatorDefinitions(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		prov := planTestCreate(f, "40", plans.StatusInEffect, 0)
		draftX := planTestCreate(f, "X1", plans.StatusDraft, 0)
		defsPath := fmt.Sprintf("/api/v1/plans/%d/indicator-definitions", prov.ID)
		good := map[string]any{"code": "Classes", "name": "Số lớp tập huấn", "measure_unit": "lớp", "formula": "count(type=training_class)",
			"comparison": "at_least", "value": 12}
		var d apiDefinition
		status, body := f.API("POST", defsPath, "coord@t.vn", webtest.JSON(good))
		webtest.Expect(t, status, body, http.StatusCreated, &d)
		if d.Code != "classes" || d.Period != "yearly" || d.PlanID != prov.ID {
			t.Errorf("created %s", body)
		}
		status, body = f.API("POST", defsPath, "coord@t.vn", webtest.JSON(good))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "code")
		bad := map[string]any{"code": "x", "name": "x", "formula": "count(type=training_clas)", "comparison": "between", "value": 5, "max": 2}
		status, body = f.API("POST", defsPath, "coord@t.vn", webtest.JSON(bad))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "formula", "max")
		status, body = f.API("POST", defsPath, "focal.y@t.vn", webtest.JSON(good))
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		status, body = f.API("POST", fmt.Sprintf("/api/v1/plans/%d/indicator-definitions", draftX.ID), "focal.y@t.vn", webtest.JSON(good))
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")

		one := fmt.Sprintf("/api/v1/indicators/%d", d.ID)
		status, body = f.API("PATCH", one, "coord@t.vn", `{"value": 15}`)
		webtest.Expect(t, status, body, http.StatusOK, &d)
		if d.Value != 15 || d.Formula != "count(type=training_class)" {
			t.Errorf("patched %s", body)
		}
		for _, c := range []struct {
			method, user string
			want         int
		}{
			{"GET", "focal.y@t.vn", 200}, {"GET", "coord.z@t.vn", 404}, {"GET", "learner@t.vn", 403},
			{"PATCH", "focal.y@t.vn", 403}, {"PATCH", "coord.z@t.vn", 404}, {"DELETE", "focal.x@t.vn", 403}, {"DELETE", "coord.z@t.vn", 404},
		} {
			body := ""
			if c.method == "PATCH" {
				body = `{"value": 1}`
			}
			if status, resp := f.API(c.method, one, c.user, body); status != c.want {
				t.Errorf("%s %s indicator: %d, want %d: %s", c.user, c.method, status, c.want, resp)
			}
		}
		// The definitions of another unit's draft are not found.
		status, body = f.API("POST", fmt.Sprintf("/api/v1/plans/%d/indicator-definitions", draftX.ID), "focal.x@t.vn", webtest.JSON(good))
		var dx apiDefinition
		webtest.Expect(t, status, body, http.StatusCreated, &dx)
		for _, path := range []string{fmt.Sprintf("/api/v1/indicators/%d", dx.ID), fmt.Sprintf("/api/v1/plans/%d/indicator-definitions", draftX.ID)} {
			status, body := f.API("GET", path, "focal.y@t.vn", "")
			webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")
		}
		var defs apiList[apiDefinition]
		status, body = f.API("GET", defsPath, "police@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &defs)
		if defs.Total != 1 || defs.Items[0].Value != 15 {
			t.Errorf("definitions %s", body)
		}
		if status, body := f.API("DELETE", one, "coord@t.vn", ""); status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", status, body)
		}
		status, body = f.API("GET", one, "coord@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")
	}, webtest.SecondProvince())
}

// POST /indicators/check answers with the very messages the plan page's
// indicator form shows.
func TestAPIIndicatorCheck(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		prov := planTestCreate(f, "40", plans.StatusInEffect, 0)
		type check struct {
			Valid   bool    `json:"valid"`
			Formula *string `json:"formula"`
			Fields  []struct {
				Field  string `json:"field"`
				Reason string `json:"reason"`
			} `json:"fields"`
		}
		var c check
		status, body := f.API("POST", "/api/v1/indicators/check", "viewer.x@t.vn",
			`{"code": "c", "name": "Lớp", "formula": "count( type = training_class )", "comparison": "at_least", "value": 1}`)
		webtest.Expect(t, status, body, http.StatusOK, &c)
		if !c.Valid || c.Formula == nil || *c.Formula != "count(type=training_class)" || len(c.Fields) != 0 {
			t.Errorf("a good definition: %s", body)
		}
		bad := "count(type=training_class) + units(unit_typ=commune)"
		_, perr := progress.Parse(bad)
		var fe *indicators.Error
		if !errors.As(perr, &fe) {
			t.Fatal(perr)
		}
		ferr := fe.FieldError("formula")
		formulaMsg := i18n.VI.T(ferr.Reason, ferr.Args...)
		status, body = f.API("POST", "/api/v1/indicators/check", "coord@t.vn", webtest.JSON(map[string]any{"plan_id": prov.ID,
			"code": "Số lớp", "name": "", "formula": bad, "comparison": "between", "value": 5, "max": 3}))
		webtest.Expect(t, status, body, http.StatusOK, &c)
		if c.Valid || c.Formula != nil || len(c.Fields) != 4 {
			t.Fatalf("a bad definition: %s", body)
		}
		// The same input on the form: every reason appears on the page.
		coord := f.Login("coord@t.vn")
		page := fmt.Sprintf("/plans/%d", prov.ID)
		status, form := coord.PostForm(page+"/indicators", coord.CSRF(page), url.Values{"code": {"Số lớp"}, "name": {""}, "formula": {bad},
			"comparison": {"between"}, "value": {"5"}, "max": {"3"}, "period": {"yearly"}})
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("form: %d", status)
		}
		for _, fld := range c.Fields {
			if !strings.Contains(form, html.EscapeString(fld.Reason)) {
				t.Errorf("the form lacks the check's %s error %q", fld.Field, fld.Reason)
			}
			if fld.Field == "formula" && fld.Reason != formulaMsg {
				t.Errorf("formula reason %q, want %q", fld.Reason, formulaMsg)
			}
		}
		// A plan the caller may not read; a learner.
		draft := planTestCreate(f, "X1", plans.StatusDraft, 0)
		status, body = f.API("POST", "/api/v1/indicators/check", "focal.y@t.vn", webtest.JSON(map[string]any{"plan_id": draft.ID, "code": "c"}))
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")
		status, body = f.API("POST", "/api/v1/indicators/check", "learner@t.vn", `{"code": "c"}`)
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
	}, webtest.SecondProvince())
}

func TestAPIBreakdownAndExports(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		tp := dashSetup(t, f)
		bd := fmt.Sprintf("/api/v1/plans/%d/indicators/%d/breakdown", tp.plan.ID, tp.ind["classes"])
		var out struct {
			UnitID    int64 `json:"unit_id"`
			Year      int   `json:"year"`
			Ratio     bool  `json:"ratio"`
			Indicator struct {
				Value  *float64 `json:"value"`
				Status string   `json:"status"`
				Error  string   `json:"error"`
			} `json:"indicator"`
			Rows []struct {
				UnitID   int64    `json:"unit_id"`
				Own      bool     `json:"own"`
				Children int      `json:"children"`
				Value    *float64 `json:"value"`
				Share    *float64 `json:"share"`
			} `json:"rows"`
		}
		status, body := f.API("GET", fmt.Sprintf("%s?year=2023&unit=%d", bd, f.Units["X1"]), "focal.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &out)
		if out.UnitID != f.Units["X1"] || out.Year != 2023 || out.Indicator.Value == nil || *out.Indicator.Value != 3 || len(out.Rows) != 2 {
			t.Fatalf("X1's breakdown: %s", body)
		}
		school, own := out.Rows[0], out.Rows[1]
		if school.UnitID != f.Units["X1-THCS"] || *school.Value != 1 || !own.Own || *own.Value != 2 || *own.Share < 0.66 || *own.Share > 0.67 {
			t.Errorf("rows %s", body)
		}
		status, body = f.API("GET", fmt.Sprintf("/api/v1/plans/%d/indicators/%d/breakdown?year=2023", tp.plan.ID, tp.ind["communes"]), "coord@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &out)
		if !out.Ratio || out.UnitID != f.Units["40"] || len(out.Rows) != 5 || out.Rows[0].Share != nil || !out.Rows[4].Own {
			t.Errorf("a ratio's breakdown: %s", body)
		}
		status, body = f.API("GET", fmt.Sprintf("/api/v1/plans/%d/indicators/%d/breakdown?year=2023", tp.plan.ID, tp.ind["broken"]), "coord@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &out)
		if out.Indicator.Error == "" || len(out.Rows) != 0 {
			t.Errorf("a broken formula's breakdown: %s", body)
		}
		// The API takes any year (the page only the plan's), as the values do.
		if status, body := f.API("GET", bd+"?year=2026", "coord@t.vn", ""); status != http.StatusOK {
			t.Errorf("a year after the plan: %d %s", status, body)
		}
		for _, c := range []struct {
			user, path string
			want       int
		}{
			{"focal.y@t.vn", fmt.Sprintf("%s?unit=%d", bd, f.Units["X1"]), 403},
			{"coord.z@t.vn", bd, 404},
			{"coord@t.vn", fmt.Sprintf("%s?unit=%d", bd, f.Units["Z1"]), 403},
			{"coord@t.vn", bd + "?year=1990", 400},
			{"coord@t.vn", bd + "?unit=x", 400},
			{"coord@t.vn", fmt.Sprintf("/api/v1/plans/%d/indicators/999999/breakdown", tp.plan.ID), 404},
			{"learner@t.vn", bd, 403},
			{"", bd, 401},
		} {
			if status, body := f.API("GET", c.path, c.user, ""); status != c.want {
				t.Errorf("%s GET %s: %d, want %d: %s", c.user, c.path, status, c.want, body)
			}
		}

		// The spreadsheets through the API.
		status, ctype, data := f.APIDownload(fmt.Sprintf("/api/v1/plans/%d/indicators.xlsx?year=2023", tp.plan.ID), "coord@t.vn")
		if status != http.StatusOK || !strings.Contains(ctype, "spreadsheetml") {
			t.Fatalf("indicators.xlsx: %d %s", status, ctype)
		}
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetName(0))
		x.Close()
		if len(rows) != 6 || rows[1][10] != "Ủy ban nhân dân tỉnh Nghệ An" {
			t.Errorf("indicators.xlsx rows %v", rows)
		}
		status, _, data = f.APIDownload(fmt.Sprintf("%s.xlsx?year=2023&unit=%d", bd, f.Units["X1"]), "focal.x@t.vn")
		if status != http.StatusOK {
			t.Fatalf("breakdown.xlsx: %d", status)
		}
		if x, err = excelize.OpenReader(bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		rows, _ = x.GetRows(x.GetSheetName(0))
		x.Close()
		if len(rows) != 3 || rows[1][0] != "X1-THCS" {
			t.Errorf("breakdown.xlsx rows %v", rows)
		}
		for _, c := range []struct {
			user, path string
			want       int
		}{
			{"focal.y@t.vn", fmt.Sprintf("/api/v1/plans/%d/indicators.xlsx?unit=%d", tp.plan.ID, f.Units["X1"]), 403},
			{"coord.z@t.vn", fmt.Sprintf("/api/v1/plans/%d/indicators.xlsx", tp.plan.ID), 404},
			{"coord@t.vn", fmt.Sprintf("/api/v1/plans/%d/indicators/%d/breakdown.xlsx", tp.plan.ID, tp.ind["broken"]), 400},
		} {
			if status, _, body := f.APIDownload(c.path, c.user); status != c.want {
				t.Errorf("%s GET %s: %d, want %d: %s", c.user, c.path, status, c.want, body)
			}
		}
	}, webtest.SecondProvince())
}
