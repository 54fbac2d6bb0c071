package tasksweb_test

import (
	"context"
	"fmt"
	"html"
	"khienso/internal/web/webtest"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"khienso/internal/i18n"
	"khienso/internal/plans"
	"khienso/internal/store"
)

// planImportSeed is the appendix of plan 774/KH-UBND (Nghệ An), kept by the
// plan import package.
const planImportSeed = "../../plans/planimport/testdata/plan_774_nghe_an.txt"

var (
	pitForm     = regexp.MustCompile(`(?s)<form[^>]*id="planimp-review".*?</form>`)
	pitInput    = regexp.MustCompile(`<input([^>]*)>`)
	pitTextarea = regexp.MustCompile(`(?s)<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	pitSelect   = regexp.MustCompile(`(?s)<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	pitSelected = regexp.MustCompile(`<option value="([^"]*)"[^>]*\sselected>`)
	pitAttr     = regexp.MustCompile(`(\w+)="([^"]*)"`)
	pitChecked  = regexp.MustCompile(`\schecked(\s|$)`)
)

// planImportFormValues reads the review form as a browser would submit it
// untouched: hidden and text inputs, checked boxes, textareas and the
// selected options.
func planImportFormValues(t *testing.T, page string) url.Values {
	t.Helper()
	form := pitForm.FindString(page)
	if form == "" {
		t.Fatal("no review form")
	}
	v := url.Values{}
	for _, m := range pitInput.FindAllStringSubmatch(form, -1) {
		attrs := map[string]string{}
		for _, a := range pitAttr.FindAllStringSubmatch(m[1], -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		if attrs["name"] == "" || (attrs["type"] == "checkbox" && !pitChecked.MatchString(m[1])) {
			continue
		}
		v.Add(attrs["name"], attrs["value"])
	}
	for _, m := range pitTextarea.FindAllStringSubmatch(form, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range pitSelect.FindAllStringSubmatch(form, -1) {
		for _, o := range pitSelected.FindAllStringSubmatch(m[2], -1) {
			v.Add(m[1], o[1])
		}
	}
	return v
}

func TestPlanImportSeed(t *testing.T) {
	seed, err := os.ReadFile(planImportSeed)
	if err != nil {
		t.Fatalf("the seed is committed with the tests: %v", err)
	}
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		p := planTestCreate(f, "40", plans.StatusInEffect, 0)
		importPath := fmt.Sprintf("/plans/%d/import", p.ID)
		coord := f.Login("coord@t.vn")
		status, body := coord.Get(importPath)
		if status != http.StatusOK || !strings.Contains(body, `id="planimp-text"`) {
			t.Fatalf("import page: %d", status)
		}
		csrf := webtest.CSRFOf(t, body)

		// Text without a task table: a clear error, nothing saved.
		status, body = coord.PostForm(importPath, csrf, url.Values{"text": {"Kế hoạch không có phụ lục"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, html.EscapeString(i18n.VI.T("planimport.err.no_table"))) {
			t.Fatalf("text without a table: %d %s", status, body)
		}

		// The seed, pasted.
		status, body = coord.PostForm(importPath, csrf, url.Values{"text": {string(seed)}})
		if status != http.StatusOK {
			t.Fatalf("parse the seed: %d", status)
		}
		v := planImportFormValues(t, body)
		n := v.Get("rows")
		if n != "30" {
			t.Fatalf("the review lists %s tasks, want 30", n)
		}
		for _, want := range []string{"Công an tỉnh", "<mark>", "Thường xuyên", "2022 - 2025"} {
			if !strings.Contains(body, want) {
				t.Errorf("review lacks %q", want)
			}
		}
		// Công an tỉnh is matched to the fixture's police unit and pre-selected.
		if !slices.Contains(v["lead_3"], unitTestID(f, "40-CA")) {
			t.Errorf("task 4's lead (Công an tỉnh; …) should preselect 40-CA, got %v", v["lead_3"])
		}
		if tasks, err := f.Store.Tasks(ctx, store.TaskFilter{PlanID: p.ID}); err != nil || len(tasks) != 0 {
			t.Fatalf("nothing may be saved before confirmation: %d tasks (%v)", len(tasks), err)
		}

		// Confirming as is fails: some tasks name units the province lacks.
		status, body = coord.PostForm(importPath+"/confirm", csrf, v)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="planimp-problems"`) || !strings.Contains(body, i18n.VI.T("task.err.lead")) {
			t.Fatalf("confirm with unmatched leads: %d", status)
		}
		if tasks, err := f.Store.Tasks(ctx, store.TaskFilter{PlanID: p.ID}); err != nil || len(tasks) != 0 {
			t.Fatalf("a failed confirmation must save nothing: %d tasks (%v)", len(tasks), err)
		}
		// The re-rendered review keeps the edits and the row count.
		v = planImportFormValues(t, body)
		missing := 0
		for i := 0; i < 30; i++ {
			k := fmt.Sprintf("lead_%d", i)
			if len(v[k]) == 0 {
				v.Set(k, unitTestID(f, "40-SKHCN"))
				missing++
			}
		}
		if missing == 0 {
			t.Fatal("expected some unmatched leads in the fixture")
		}
		v.Set("content_0", "Nội dung đã sửa khi rà soát")
		v.Del("include_29") // the reviewer drops the last task
		status, _ = coord.PostForm(importPath+"/confirm", csrf, v)
		if status != http.StatusSeeOther {
			t.Fatalf("confirm: %d", status)
		}
		tasks, err := f.Store.Tasks(ctx, store.TaskFilter{PlanID: p.ID})
		if err != nil || len(tasks) != 29 {
			t.Fatalf("saved %d tasks (%v), want 29", len(tasks), err)
		}
		if tasks[0].Content != "Nội dung đã sửa khi rà soát" || !strings.HasPrefix(tasks[0].Section, "I.") || tasks[0].Number != "1" ||
			tasks[0].Kind != plans.TimeContinuous || tasks[0].LeadText == "" {
			t.Errorf("first task %+v", tasks[0])
		}
		var ranged *plans.Task
		for _, tk := range tasks {
			if tk.Kind == plans.TimeRange {
				ranged = tk
				break
			}
		}
		if ranged == nil || ranged.YearFrom != 2022 || ranged.YearTo != 2025 {
			t.Errorf("a 2022 - 2025 task should be a range, got %+v", ranged)
		}
		_, body = coord.Get(fmt.Sprintf("/plans/%d", p.ID))
		if !strings.Contains(body, "Nội dung đã sửa khi rà soát") {
			t.Error("the plan page should show the imported tasks")
		}
		if _, body = coord.Get(fmt.Sprintf("/plans/%d?imported=29", p.ID)); !strings.Contains(body, i18n.VI.T("planimp.done", 29)) {
			t.Error("the plan page after the import should say 29 tasks were saved")
		}

		// Only the plan's writers import.
		fy := f.Login("focal.y@t.vn")
		if status, _ := fy.PostForm(importPath+"/confirm", fy.CSRF("/plans"), v); status != http.StatusForbidden {
			t.Errorf("focal.y confirms an import into the province plan: %d", status)
		}
	})
}
