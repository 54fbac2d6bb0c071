package plansweb_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/plans"
	"khienso/internal/web/webtest"
)

// TestAPIIndicatorDescription: the coordinator's description is stored
// trimmed, read back, capped with an error naming the field, and cleared.
func TestAPIIndicatorDescription(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		prov := planTestCreate(f, "40", plans.StatusInEffect, 0)
		defsPath := fmt.Sprintf("/api/v1/plans/%d/indicator-definitions", prov.ID)
		in := map[string]any{"code": "classes", "name": "Số lớp tập huấn", "formula": "count(type=training_class)",
			"comparison": "at_least", "value": 12, "description": "  Số lớp tập huấn về an toàn thông tin mở trong năm.  "}
		var d apiDefinition
		status, body := f.API("POST", defsPath, "coord@t.vn", webtest.JSON(in))
		webtest.Expect(t, status, body, http.StatusCreated, &d)
		if d.Description != "Số lớp tập huấn về an toàn thông tin mở trong năm." {
			t.Errorf("description not trimmed: %q", d.Description)
		}
		one := fmt.Sprintf("/api/v1/indicators/%d", d.ID)
		status, body = f.API("PATCH", one, "coord@t.vn", webtest.JSON(map[string]any{"description": strings.Repeat("ạ", plans.DescriptionMax+1)}))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "description")
		status, body = f.API("POST", "/api/v1/indicators/check", "coord@t.vn",
			webtest.JSON(map[string]any{"code": "x", "name": "x", "formula": "count()", "comparison": "at_least", "value": 1,
				"description": strings.Repeat("a", plans.DescriptionMax+1)}))
		if status != http.StatusOK || !strings.Contains(body, `"description"`) {
			t.Errorf("check of a long description: %d %s", status, body)
		}
		status, body = f.API("PATCH", one, "coord@t.vn", `{"description": ""}`)
		webtest.Expect(t, status, body, http.StatusOK, &d)
		if d.Description != "" {
			t.Errorf("description not cleared: %s", body)
		}
	})
}

// visibleText is a page's text as a reader sees it: tags, attributes and
// the hidden chart tables' markup removed.
func visibleText(body string) string {
	body = regexp.MustCompile(`(?s)<(script|style|head)[^>]*>.*?</(script|style|head)>`).ReplaceAllString(body, " ")
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(body, " ")), " ")
}

// TestDashboardReadsInWords: the dashboard, the breakdown and the plan
// page show each indicator in words (the coordinator's description, else
// the formula described), never its code or formula, and draw the charts
// as inline SVG with a title.
func TestDashboardReadsInWords(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		tp := dashSetup(t, f)
		ctx := t.Context()
		ind, err := f.Store.Indicator(ctx, tp.ind["classes"])
		if err != nil {
			t.Fatal(err)
		}
		ind.Description = "Số lớp tập huấn <an toàn> mở trong năm"
		if err := f.Store.SaveIndicator(ctx, audit.System, ind); err != nil {
			t.Fatal(err)
		}
		c := f.Login("coord@t.vn")
		pages := map[string]string{
			"dashboard": fmt.Sprintf("/plans/%d/dashboard?year=2023", tp.plan.ID),
			"breakdown": fmt.Sprintf("/plans/%d/indicators/%d/breakdown?year=2023", tp.plan.ID, tp.ind["communes"]),
			"plan":      fmt.Sprintf("/plans/%d", tp.plan.ID),
		}
		for name, path := range pages {
			status, body := c.Get(path)
			if status != http.StatusOK {
				t.Fatalf("GET %s: %d", path, status)
			}
			// The editor (the form and its formula help) may show codes.
			if i := strings.Index(body, `id="indicator-form"`); i > 0 {
				body = body[:i]
			}
			text := visibleText(body)
			for _, leak := range []string{"trainees", "seminars", "count(", "units(", "sum(", "unit_type"} {
				if strings.Contains(text, leak) {
					t.Errorf("%s shows %q outside the editor", name, leak)
				}
			}
			if name == "breakdown" {
				if !strings.Contains(text, "Tỷ lệ phần trăm") || strings.Count(body, `<svg xmlns="http://www.w3.org/2000/svg" class="chart`) != 2 {
					t.Errorf("breakdown lacks the description or its two charts: %s", text)
				}
				continue
			}
			if !strings.Contains(body, "Số lớp tập huấn &lt;an toàn&gt; mở trong năm") {
				t.Errorf("%s lacks the coordinator's description (escaped)", name)
			}
			if !strings.Contains(text, "Số hoạt động thuộc loại “Hội nghị, hội thảo, tọa đàm”.") {
				t.Errorf("%s lacks the generated description of a formula", name)
			}
		}
		_, body := c.Get(pages["dashboard"])
		if n := strings.Count(body, `class="chart chart-series"`); n < 4 {
			t.Errorf("dashboard draws %d series charts, want one per indicator with a value", n)
		}
		if !strings.Contains(body, "<title>Kết quả qua các năm: Số lớp tập huấn</title>") {
			t.Errorf("series chart without its title")
		}
	})
}
