package plansweb_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"khienso/internal/web/webtest"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/store"
)

// planTestProgrammes installs the shipped programme templates, as the
// integrator does at start, and returns them by code.
func planTestProgrammes(f *webtest.Fixture) map[string]*plans.Programme {
	f.T.Helper()
	ctx := context.Background()
	if err := f.Store.EnsureProgrammes(ctx, plans.BuiltinProgrammes()); err != nil {
		f.T.Fatal(err)
	}
	list, err := f.Store.Programmes(ctx)
	if err != nil {
		f.T.Fatal(err)
	}
	out := map[string]*plans.Programme{}
	for _, p := range list {
		out[p.Code] = p
	}
	return out
}

// planTestCreate stores a plan directly.
func planTestCreate(f *webtest.Fixture, unit string, status plans.Status, parent int64) *plans.Plan {
	f.T.Helper()
	p := &plans.Plan{UnitID: f.Units[unit], ParentID: parent, Number: "1/KH-" + unit, Title: "Kế hoạch của " + unit,
		YearFrom: 2022, YearTo: 2025, Status: status}
	if status != plans.StatusDraft {
		p.IssuedOn = dates.MustParse("2022-03-01")
	}
	if err := f.Store.CreatePlan(context.Background(), audit.System, p, nil); err != nil {
		f.T.Fatal(err)
	}
	return p
}

// unitID renders a fixture unit's id.
func unitID(f *webtest.Fixture, code string) string {
	f.T.Helper()
	id, ok := f.Units[code]
	if !ok {
		f.T.Fatalf("no fixture unit %s", code)
	}
	return fmt.Sprint(id)
}

// invalidField tells whether the form field with id is marked invalid.
func invalidField(body, id string) bool {
	return regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*aria-invalid="true"`).MatchString(body)
}

var planTestLocation = regexp.MustCompile(`^/plans/(\d+)\?saved=1`)

func TestPlanCreateFromTemplate(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		progs := planTestProgrammes(f)
		p1907 := progs["1907"]
		if p1907 == nil || len(p1907.Targets) == 0 {
			t.Fatal("programme 1907 is not installed with targets")
		}
		coord := f.Login("coord@t.vn")
		status, body := coord.Get("/plans/new")
		if status != http.StatusOK || !strings.Contains(body, `id="plan-programme"`) || !strings.Contains(body, `id="plan-unit"`) {
			t.Fatalf("GET /plans/new: %d", status)
		}
		csrf := webtest.CSRFOf(t, body)

		// Errors keep the input and name the field.
		status, body = coord.PostForm("/plans/new", csrf, url.Values{"unit": {unitID(f, "40")}, "title": {"Kế hoạch thử"},
			"status": {"draft"}, "year_from": {"2025"}, "year_to": {"2021"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, html.EscapeString(i18n.VI.T("plan.err.year_order"))) ||
			!strings.Contains(body, `value="Kế hoạch thử"`) {
			t.Fatalf("invalid years: status %d, message or input missing", status)
		}

		resp, err := coord.HTTP.PostForm(f.Server.URL+"/plans/new", url.Values{"csrf_token": {csrf}, "unit": {unitID(f, "40")},
			"number": {"224/KH-UBND"}, "title": {"Kế hoạch tuyên truyền an toàn thông tin 2021-2025"}, "issued_on": {"15/02/2021"},
			"signer": {"Lê Hồng Vinh"}, "status": {"in_effect"}, "programme": {fmt.Sprint(p1907.ID)}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		m := planTestLocation.FindStringSubmatch(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("create plan: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		var planID int64
		fmt.Sscan(m[1], &planID)
		p, err := f.Store.Plan(ctx, planID)
		if err != nil {
			t.Fatal(err)
		}
		if p.UnitID != f.Units["40"] || p.ProgrammeID != p1907.ID || p.YearFrom != 2021 || p.YearTo != 2025 || p.IssuedOn.VN() != "15/02/2021" {
			t.Errorf("stored plan %+v", p)
		}
		inds, err := f.Store.Indicators(ctx, planID)
		if err != nil {
			t.Fatal(err)
		}
		if len(inds) != len(p1907.Targets) {
			t.Fatalf("plan has %d indicators, template %d", len(inds), len(p1907.Targets))
		}
		for i, ind := range inds {
			if ind.Code != p1907.Targets[i].Code || ind.Formula != p1907.Targets[i].Formula {
				t.Errorf("indicator %d = %s, want %s", i, ind.Code, p1907.Targets[i].Code)
			}
		}

		// The page reads like the document, with the indicators in words:
		// their code and formula only in the editor.
		status, body = coord.Get(fmt.Sprintf("/plans/%d", planID))
		first := inds[0]
		canon := "100 * units(has_plan=yes, unit_type=commune|department|district) / units(unit_type=commune|department|district)"
		if strings.Contains(body, first.Code) || strings.Contains(body, html.EscapeString(canon)) {
			t.Errorf("plan page shows an indicator's code or formula outside the editor")
		}
		for _, want := range []string{"224/KH-UBND", "15/02/2021", "Lê Hồng Vinh", "Tỷ lệ phần trăm",
			"≥ 100 %", fmt.Sprintf("/plans/%d/dashboard", planID), fmt.Sprintf("/plans/%d/import", planID)} {
			if !strings.Contains(body, want) {
				t.Errorf("plan page lacks %q", want)
			}
		}
		if status != http.StatusOK {
			t.Fatalf("plan page: %d", status)
		}

		// A commune makes its own plan implementing the province plan.
		fx := f.Login("focal.x@t.vn")
		status, body = fx.Get("/plans/new?parent=" + m[1])
		if status != http.StatusOK || strings.Contains(body, `id="plan-unit"`) || !strings.Contains(body, "Xã Nghi Phong") {
			t.Fatalf("focal point's plan form: %d (the unit must be fixed to theirs)", status)
		}
		csrf = webtest.CSRFOf(t, body)
		commune := url.Values{"title": {"Kế hoạch của xã"}, "status": {"in_effect"}, "issued_on": {"01/03/2021"}, "parent": {m[1]}}
		// Another unit, which the form does not offer, is refused.
		forged := url.Values{"unit": {unitID(f, "Y1")}}
		for k, v := range commune {
			forged[k] = v
		}
		if status, _ = fx.PostForm("/plans/new", csrf, forged); status != http.StatusForbidden {
			t.Fatalf("focal point creates a plan for Y1: %d, want 403", status)
		}
		// Without years, the plan runs over the programme's (through its parent).
		if status, _ = fx.PostForm("/plans/new", csrf, commune); status != http.StatusSeeOther {
			t.Fatalf("focal point creates a plan: %d", status)
		}
		children, err := f.Store.Plans(ctx, store.PlanFilter{Parent: planID})
		if err != nil || len(children) != 1 || children[0].UnitID != f.Units["X1"] || children[0].ProgrammeID != p1907.ID ||
			children[0].YearFrom != 2021 || children[0].YearTo != 2025 {
			t.Fatalf("child plans %v %v: the focal point's own unit, the parent's programme and period", children, err)
		}
		has, err := f.Store.PlanUnits(ctx, planID, dates.Today())
		if err != nil || !has[f.Units["X1"]] {
			t.Errorf("X1 should count as having a plan: %v %v", has, err)
		}
		_, body = coord.Get(fmt.Sprintf("/plans/%d", planID))
		if !strings.Contains(body, fmt.Sprintf(`href="/plans/%d"`, children[0].ID)) || !strings.Contains(body, "Kế hoạch của xã") {
			t.Error("the province plan should list the commune's plan")
		}
		_, body = coord.Get("/plans")
		if i, j := strings.Index(body, "224/KH-UBND"), strings.Index(body, "Kế hoạch của xã"); i < 0 || j < 0 || i > j {
			t.Error("/plans should list province plans first, then units' plans")
		}
	})
}

func TestPlanAccess(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		prov := planTestCreate(f, "40", plans.StatusInEffect, 0)
		draftX := planTestCreate(f, "X1", plans.StatusDraft, prov.ID)
		fy := f.Login("focal.y@t.vn")
		for _, c := range []struct {
			path string
			want int
		}{
			{fmt.Sprintf("/plans/%d", prov.ID), http.StatusOK},
			{fmt.Sprintf("/plans/%d", draftX.ID), http.StatusNotFound},
			{fmt.Sprintf("/plans/%d/edit", prov.ID), http.StatusForbidden},
			{fmt.Sprintf("/plans/%d/import", prov.ID), http.StatusForbidden},
			{fmt.Sprintf("/plans/%d/tasks/new", prov.ID), http.StatusForbidden},
			{"/plans/999999", http.StatusNotFound},
		} {
			if status, _ := fy.Get(c.path); status != c.want {
				t.Errorf("focal.y GET %s: %d, want %d", c.path, status, c.want)
			}
		}
		_, body := fy.Get("/plans")
		if strings.Contains(body, draftX.Title) || !strings.Contains(body, prov.Title) {
			t.Error("focal.y should see the province plan but not X1's draft")
		}
		status, _ := fy.PostForm(fmt.Sprintf("/plans/%d/indicators", prov.ID), fy.CSRF("/plans"), url.Values{"code": {"x"}, "name": {"x"},
			"formula": {"count()"}, "comparison": {"at_least"}, "value": {"1"}, "period": {"yearly"}})
		if status != http.StatusForbidden {
			t.Errorf("focal.y adds an indicator to the province plan: %d", status)
		}
		if status, _ := f.Login("viewer.x@t.vn").Get(fmt.Sprintf("/plans/%d", draftX.ID)); status != http.StatusOK {
			t.Errorf("X1's viewer reads X1's draft: %d", status)
		}
		if status, _ := f.Login("learner@t.vn").Get("/plans"); status != http.StatusForbidden {
			t.Errorf("a learner reads plans: %d", status)
		}
		if status, _ := f.Login("").Get("/plans"); status != http.StatusSeeOther {
			t.Errorf("anonymous /plans: %d, want a redirect to sign in", status)
		}
	})
}

func TestPlanIndicatorEditing(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		p := planTestCreate(f, "40", plans.StatusInEffect, 0)
		coord := f.Login("coord@t.vn")
		path := fmt.Sprintf("/plans/%d", p.ID)
		csrf := coord.CSRF(path)
		post := func(v url.Values) (int, string) { return coord.PostForm(path+"/indicators", csrf, v) }
		good := func() url.Values {
			return url.Values{"code": {"classes"}, "name": {"Số lớp tập huấn"}, "measure_unit": {"lớp"},
				"formula": {"count(type=training_class)"}, "comparison": {"at_least"}, "value": {"12"}, "period": {"yearly"}}
		}
		// Formula errors name the column.
		bad := "count(type=training_class) + units(unit_typ=commune)"
		_, perr := progress.Parse(bad)
		var fe *indicators.Error
		if !errors.As(perr, &fe) {
			t.Fatalf("test formula should fail to parse: %v", perr)
		}
		ferr := fe.FieldError("formula")
		want := i18n.VI.T(ferr.Reason, ferr.Args...)
		if !strings.Contains(want, fmt.Sprint(fe.Pos+1)) {
			t.Fatalf("message %q should name column %d", want, fe.Pos+1)
		}
		v := good()
		v.Set("formula", bad)
		status, body := post(v)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, html.EscapeString(want)) || !invalidField(body, "indicator-formula") ||
			!strings.Contains(body, "units(unit_typ=commune)") {
			t.Fatalf("bad formula: status %d; the page should show %q next to the kept formula; %v %v %v", status, want, strings.Contains(body, html.EscapeString(want)), invalidField(body, "indicator-formula"), strings.Contains(body, html.EscapeString(bad)))
		}
		cases := []struct {
			name   string
			edit   func(url.Values)
			status int
			reason string
		}{
			{"bad code", func(v url.Values) { v.Set("code", "Số lớp") }, http.StatusUnprocessableEntity, "indicator.err.code"},
			{"bad number", func(v url.Values) { v.Set("value", "mười") }, http.StatusUnprocessableEntity, "attain.err.number"},
			{"between order", func(v url.Values) { v.Set("comparison", "between"); v.Set("max", "3") }, http.StatusUnprocessableEntity, "attain.err.max_order"},
			{"good", func(url.Values) {}, http.StatusSeeOther, ""},
			{"code taken", func(url.Values) {}, http.StatusUnprocessableEntity, "indicator.err.code_taken"},
		}
		for _, c := range cases {
			v := good()
			c.edit(v)
			status, body := post(v)
			if status != c.status || (c.reason != "" && !strings.Contains(body, html.EscapeString(i18n.VI.T(c.reason)))) {
				t.Errorf("%s: status %d, want %d with %s", c.name, status, c.status, c.reason)
			}
		}
		inds, _ := f.Store.Indicators(ctx, p.ID)
		if len(inds) != 1 || inds[0].Code != "classes" || inds[0].Value != 12 {
			t.Fatalf("indicators %+v", inds)
		}
		// Edit (decimal comma accepted), then delete.
		_, body = coord.Get(fmt.Sprintf("%s?indicator=%d", path, inds[0].ID))
		if !strings.Contains(body, fmt.Sprintf(`name="id" value="%d"`, inds[0].ID)) || !strings.Contains(body, `value="Số lớp tập huấn"`) {
			t.Error("the edit form should be filled in")
		}
		v = good()
		v.Set("id", fmt.Sprint(inds[0].ID))
		v.Set("value", "12,5")
		if status, _ := post(v); status != http.StatusSeeOther {
			t.Fatalf("edit: %d", status)
		}
		if ind, _ := f.Store.Indicator(ctx, inds[0].ID); ind.Value != 12.5 {
			t.Errorf("edited value %v", ind.Value)
		}
		_, body = coord.Get(path)
		if !strings.Contains(body, "≥ 12,5 lớp") {
			t.Error("the target should read ≥ 12,5 lớp")
		}
		if status, _ := coord.PostForm(fmt.Sprintf("%s/indicators/%d/delete", path, inds[0].ID), csrf, url.Values{}); status != http.StatusSeeOther {
			t.Fatalf("delete: %d", status)
		}
		if inds, err := f.Store.Indicators(ctx, p.ID); err != nil || len(inds) != 0 {
			t.Errorf("the indicator was not deleted: %v %v", inds, err)
		}
	})
}

// A focal point could once post another unit's draft as the parent of
// their new plan and read its number and title on their plan's page; the
// parent must now be a plan they may read, of their province, at the top.
func TestPlanParentRefused(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		draftX := planTestCreate(f, "X1", plans.StatusDraft, 0)
		draftX.Number, draftX.Title = "99/KH-MAT", "Dự thảo chưa công bố của xã Nghi Phong"
		if err := f.Store.UpdatePlan(context.Background(), audit.System, draftX, plans.StatusDraft); err != nil {
			t.Fatal(err)
		}
		planZ := planTestCreate(f, "Z1", plans.StatusInEffect, 0)
		fy := f.Login("focal.y@t.vn")
		_, form := fy.Get("/plans/new")
		if strings.Contains(form, draftX.Title) || strings.Contains(form, planZ.Title) {
			t.Error("the form offers a hidden draft or another province's plan")
		}
		for _, parent := range []int64{draftX.ID, planZ.ID, 999999} {
			status, body := fy.PostForm("/plans/new", webtest.CSRFOf(t, form), url.Values{"title": {"Kế hoạch của phường"},
				"status": {"draft"}, "year_from": {"2026"}, "year_to": {"2026"}, "parent": {fmt.Sprint(parent)}})
			if status != http.StatusUnprocessableEntity || !invalidField(body, "plan-parent") ||
				!strings.Contains(body, html.EscapeString(i18n.VI.T("plan.err.parent"))) {
				t.Errorf("parent %d: status %d; the parent field should be refused", parent, status)
			}
			if strings.Contains(body, draftX.Number) || strings.Contains(body, draftX.Title) {
				t.Errorf("parent %d: the page shows the hidden draft", parent)
			}
		}
		children, err := f.Store.Plans(context.Background(), store.PlanFilter{Parent: store.PlanImplementer})
		if err != nil || len(children) != 0 {
			t.Errorf("plans linked anyway: %v %v", children, err)
		}
		// Pages of another province's plans are not found, nor listed.
		coord := f.Login("coord@t.vn")
		if status, _ := coord.Get(fmt.Sprintf("/plans/%d", planZ.ID)); status != http.StatusNotFound {
			t.Errorf("Nghệ An's coordinator opens Hà Tĩnh's plan: %d", status)
		}
		if _, body := coord.Get("/plans"); strings.Contains(body, planZ.Title) {
			t.Error("Nghệ An's coordinator lists Hà Tĩnh's plan")
		}
	}, webtest.SecondProvince())
}

// An issued plan's form no longer offers the draft status, and posting it
// is refused on the status field.
func TestPlanEditStatus(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		p := planTestCreate(f, "40", plans.StatusInEffect, 0)
		coord := f.Login("coord@t.vn")
		path := fmt.Sprintf("/plans/%d/edit", p.ID)
		status, form := coord.Get(path)
		if status != http.StatusOK || strings.Contains(form, `<option value="draft"`) || !strings.Contains(form, `<option value="closed"`) {
			t.Fatalf("edit form: %d; it should offer in effect and closed only", status)
		}
		v := url.Values{"title": {p.Title}, "number": {p.Number}, "issued_on": {"01/03/2022"}, "year_from": {"2022"}, "year_to": {"2025"}, "status": {"draft"}}
		status, body := coord.PostForm(path, webtest.CSRFOf(t, form), v)
		if status != http.StatusUnprocessableEntity || !invalidField(body, "plan-status") ||
			!strings.Contains(body, html.EscapeString(i18n.VI.T("plan.err.status_back"))) {
			t.Errorf("back to draft: %d", status)
		}
		v.Set("status", "closed")
		v.Set("title", "Kế hoạch đã kết thúc")
		if status, _ := coord.PostForm(path, webtest.CSRFOf(t, form), v); status != http.StatusSeeOther {
			t.Fatalf("close: %d", status)
		}
		if got, _ := f.Store.Plan(context.Background(), p.ID); got.Status != plans.StatusClosed || got.Title != "Kế hoạch đã kết thúc" {
			t.Errorf("stored %+v", got)
		}
		if status, _ := f.Login("focal.x@t.vn").PostForm(path, coord.CSRF("/plans"), v); status != http.StatusForbidden {
			t.Errorf("focal.x edits the province plan: %d", status)
		}
	})
}
