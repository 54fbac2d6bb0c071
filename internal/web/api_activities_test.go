package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"khienso/internal/activities"
	"khienso/internal/plans"
	"khienso/internal/web"
	"khienso/internal/web/plansweb"
	"khienso/internal/web/webtest"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"khienso/internal/dates"
	"khienso/internal/store"
)

func TestAPIActivities(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		plan, task := activityTestPlan(f)
		x1, y1 := f.Units["X1"], f.Units["Y1"]
		today := dates.Today().ISO()
		body := fmt.Sprintf(`{"unit_id": %d, "type": "seminar", "title": "Hội nghị ATTT", "channel": "in_person", "start": %q,
			"audiences": ["civil_servants", "agency_heads"], "participants": 60, "tasks": [%d]}`, x1, today, task.ID)

		cases := []struct {
			name, method, path, user, body string
			status                         int
			contains                       string
		}{
			{"anonymous", "GET", "/api/v1/activities", "", "", 401, `"unauthorized"`},
			{"unknown field", "POST", "/api/v1/activities", "focal.x@t.vn", `{"unit_id": 1, "colour": "red"}`, 400, `"colour"`},
			{"bad date", "POST", "/api/v1/activities", "focal.x@t.vn", strings.Replace(body, today, "01/02/2026", 1), 422, `"start"`},
			{"bad audience", "POST", "/api/v1/activities", "focal.x@t.vn", strings.Replace(body, `"agency_heads"`, `"aliens"`, 1), 422, `"audiences"`},
			{"other unit", "POST", "/api/v1/activities", "focal.y@t.vn", body, 403, `"forbidden"`},
			{"viewer", "POST", "/api/v1/activities", "viewer.x@t.vn", body, 403, `"forbidden"`},
			{"task of another unit", "POST", "/api/v1/activities", "focal.y@t.vn", strings.Replace(body, fmt.Sprint(x1), fmt.Sprint(y1), 1), 422, `"tasks"`},
		}
		for _, c := range cases {
			if status, got := f.API(c.method, c.path, c.user, c.body); status != c.status || !strings.Contains(got, c.contains) {
				t.Errorf("%s: %d %s, want %d with %s", c.name, status, got, c.status, c.contains)
			}
		}

		status, got := f.API("POST", "/api/v1/activities", "focal.x@t.vn", body)
		if status != http.StatusCreated {
			t.Fatalf("create: %d %s", status, got)
		}
		var a web.APIActivity
		if err := json.Unmarshal([]byte(got), &a); err != nil {
			t.Fatal(err)
		}
		if a.Start != today || a.End != today || a.Quantity != 1 || len(a.Audiences) != 2 || a.Audiences[0] != "civil_servants" || len(a.Tasks) != 1 {
			t.Errorf("created: %+v", a)
		}
		path := fmt.Sprintf("/api/v1/activities/%d", a.ID)

		if status, _ := f.API("GET", path, "focal.y@t.vn", ""); status != http.StatusNotFound {
			t.Errorf("focal.y GET: %d, want 404", status)
		}
		if status, _ := f.API("PATCH", path, "focal.y@t.vn", `{"title": "x"}`); status != http.StatusNotFound {
			t.Errorf("focal.y PATCH: %d, want 404", status)
		}
		if status, got := f.API("GET", path, "viewer.x@t.vn", ""); status != http.StatusOK || !strings.Contains(got, "Hội nghị ATTT") {
			t.Errorf("viewer GET: %d %s", status, got)
		}
		if status, _ := f.API("DELETE", path, "viewer.x@t.vn", ""); status != http.StatusForbidden {
			t.Errorf("viewer DELETE: %d, want 403", status)
		}

		// List with filters and pagination.
		status, got = f.API("GET", fmt.Sprintf("/api/v1/activities?unit=%d&type=seminar&limit=1", x1), "focal.x@t.vn", "")
		if status != http.StatusOK || !strings.Contains(got, `"total":1`) || !strings.Contains(got, `"limit":1`) {
			t.Errorf("list: %d %s", status, got)
		}
		if _, got := f.API("GET", "/api/v1/activities", "focal.y@t.vn", ""); !strings.Contains(got, `"total":0`) {
			t.Errorf("focal.y list should be empty: %s", got)
		}
		if status, _ := f.API("GET", fmt.Sprintf("/api/v1/activities?unit=%d", x1), "focal.y@t.vn", ""); status != http.StatusForbidden {
			t.Errorf("focal.y filtering X1: %d, want 403", status)
		}
		if status, got := f.API("GET", "/api/v1/activities?from=02/01/2026", "focal.x@t.vn", ""); status != http.StatusBadRequest || !strings.Contains(got, `"from"`) {
			t.Errorf("non-ISO filter date: %d %s", status, got)
		}

		// Indicators: 60 participants of 100.
		indPath := fmt.Sprintf("/api/v1/plans/%d/indicators?year=%d", plan.ID, dates.Today().Year())
		status, got = f.API("GET", indPath, "coord@t.vn", "")
		var res plansweb.APIIndicatorsResponse
		if status != http.StatusOK || json.Unmarshal([]byte(got), &res) != nil || len(res.Indicators) != 1 {
			t.Fatalf("indicators: %d %s", status, got)
		}
		ind := res.Indicators[0]
		if ind.Value == nil || *ind.Value != 60 || ind.Target != 100 || ind.Comparison != "at_least" || ind.Status == "" || res.UnitID != f.Units["40"] {
			t.Errorf("indicator: %+v (unit %d)", ind, res.UnitID)
		}

		// PATCH changes only what is sent; the indicator follows.
		status, got = f.API("PATCH", path, "focal.x@t.vn", `{"participants": 150}`)
		if status != http.StatusOK || !strings.Contains(got, `"participants":150`) || !strings.Contains(got, "Hội nghị ATTT") {
			t.Fatalf("patch: %d %s", status, got)
		}
		_, got = f.API("GET", indPath, "focal.x@t.vn", "")
		if err := json.Unmarshal([]byte(got), &res); err != nil || res.UnitID != x1 || *res.Indicators[0].Value != 150 || res.Indicators[0].Status != "achieved" {
			t.Errorf("indicator for X1 after patch: %s", got)
		}
		_, got = f.API("GET", indPath, "focal.y@t.vn", "")
		if json.Unmarshal([]byte(got), &res) != nil || res.UnitID != y1 || (res.Indicators[0].Value != nil && *res.Indicators[0].Value != 0) {
			t.Errorf("indicator for Y1: %s", got)
		}
		if status, _ := f.API("GET", fmt.Sprintf("%s&unit=%d", indPath, x1), "focal.y@t.vn", ""); status != http.StatusForbidden {
			t.Errorf("focal.y indicators of X1: %d, want 403", status)
		}
		if status, _ := f.API("GET", "/api/v1/plans/999999/indicators", "coord@t.vn", ""); status != http.StatusNotFound {
			t.Errorf("unknown plan: %d", status)
		}
		// Another unit's draft plan is as unknown through the API as on its pages.
		draft := planTestCreate(f, "X1", plans.StatusDraft, 0)
		draftPath := fmt.Sprintf("/api/v1/plans/%d/indicators?year=2023", draft.ID)
		if status, _ := f.API("GET", draftPath, "focal.y@t.vn", ""); status != http.StatusNotFound {
			t.Errorf("focal.y reads X1's draft plan through the API: %d, want 404", status)
		}
		if status, _ := f.API("GET", draftPath, "focal.x@t.vn", ""); status != http.StatusOK {
			t.Errorf("focal.x reads its own draft plan: %d, want 200", status)
		}

		if status, _ := f.API("DELETE", path, "focal.x@t.vn", ""); status != http.StatusNoContent {
			t.Errorf("delete: %d", status)
		}
		if status, _ := f.API("GET", path, "focal.x@t.vn", ""); status != http.StatusNotFound {
			t.Errorf("after delete: %d", status)
		}
	})
}

// activityTestXLSX builds a workbook from rows.
func activityTestXLSX(t *testing.T, rows [][]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestActivityImport(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		fx := f.Login("focal.x@t.vn")
		csrf := fx.CSRF("/activities/import")
		header := []any{"Mã đơn vị", "Loại hoạt động", "Tên hoạt động", "Kênh", "Ngày bắt đầu", "Đối tượng", "Số người tham gia"}
		good := [][]any{header,
			{"X1", "Lop tap huan, boi duong", "Tập huấn phòng chống lừa đảo", "Trực tiếp", "10/03/2026", "Người dân; Cán bộ, công chức, viên chức", 80},
			{"X1-THCS", "news_article", "Bài viết về an toàn mạng", "web_portal", "2026-03-12", "pupils", ""},
		}
		status, body := fx.Upload("/activities/import", csrf, "hoat-dong.xlsx", activityTestXLSX(t, good), nil)
		if status != http.StatusOK || !strings.Contains(body, `id="import-summary"`) || !strings.Contains(body, `<dd id="import-written">2</dd>`) {
			t.Fatalf("happy path: %d %s", status, body[:min(len(body), 400)])
		}
		list, total, err := f.Store.Activities(ctx, store.ActivityFilter{})
		if err != nil || total != 2 {
			t.Fatalf("stored: %d %v", total, err)
		}
		byType := map[activities.Type]*activities.Activity{}
		for _, a := range list {
			byType[a.Type] = a
		}
		class := byType["training_class"]
		if len(byType) != 2 || class == nil || byType["news_article"] == nil {
			t.Fatalf("imported types %v, want one training_class and one news_article", byType)
		}
		if class.Participants != 80 || class.Channel != "in_person" || !class.Audiences.Has("civil_servants") {
			t.Errorf("imported class: %+v", class)
		}

		// Errors: reported by row and column; nothing written by default.
		bad := [][]any{header,
			{"X1", "training_class", "Hợp lệ", "in_person", "11/03/2026", "citizens", 5},
			{"Y1", "training_class", "Đơn vị khác", "in_person", "11/03/2026", "citizens", 5},
			{"X1", "picnic", "Loại sai", "in_person", "32/03/2026", "citizens", "nhiều"},
			{"ZZ", "seminar", "", "in_person", "11/03/2026", "martians", 1},
		}
		status, body = fx.Upload("/activities/import", csrf, "loi.xlsx", activityTestXLSX(t, bad), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="import-rejected"`) {
			t.Fatalf("invalid file: %d", status)
		}
		for _, want := range []string{
			"<td>3</td>\n        <td>A — Mã đơn vị</td>\n        <td>Y1</td>",
			"<td>4</td>\n        <td>B — Loại hoạt động</td>\n        <td>picnic</td>",
			"<td>4</td>\n        <td>E — Ngày bắt đầu</td>",
			"<td>4</td>\n        <td>G — Số người tham gia</td>\n        <td>nhiều</td>",
			"<td>5</td>\n        <td>A — Mã đơn vị</td>\n        <td>ZZ</td>",
			"<td>5</td>\n        <td>C — Tên hoạt động</td>",
			"đối tượng không hợp lệ: martians",
			"outside", // English reason column
		} {
			if !strings.Contains(body, want) {
				t.Errorf("report lacks %q", want)
			}
		}
		if _, n, _ := f.Store.Activities(ctx, store.ActivityFilter{}); n != 2 {
			t.Errorf("an invalid file wrote rows: %d activities", n)
		}

		// Skip invalid rows: the valid one is written.
		status, body = fx.Upload("/activities/import", csrf, "loi.xlsx", activityTestXLSX(t, bad), map[string]string{"skip_invalid": "1"})
		if status != http.StatusOK || !strings.Contains(body, `<dd id="import-written">1</dd>`) || !strings.Contains(body, `<dd id="import-skipped">3</dd>`) {
			t.Errorf("skip mode: %d", status)
		}
		if _, n, _ := f.Store.Activities(ctx, store.ActivityFilter{}); n != 3 {
			t.Errorf("skip mode wrote %d activities in all, want 3", n)
		}

		// CSV with BOM and semicolons, English headers.
		csv := "\ufeffunit code;type;title;channel;start;audiences;views\nX1;Video;Phóng sự;Mạng xã hội;01/04/2026;nguoi dan;1.500\n"
		status, body = fx.Upload("/activities/import", csrf, "a.csv", []byte(csv), nil)
		if status != http.StatusOK || !strings.Contains(body, `<dd id="import-written">1</dd>`) {
			t.Errorf("CSV: %d", status)
		}
		if list, _, _ := f.Store.Activities(ctx, store.ActivityFilter{Type: "video"}); len(list) != 1 || list[0].Views != 1500 {
			t.Errorf("CSV row: %+v", list)
		}
		// A file missing required columns is unreadable.
		status, body = fx.Upload("/activities/import", csrf, "a.csv", []byte("title\nX\n"), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "tệp cần có cột Mã đơn vị") {
			t.Errorf("missing columns: %d", status)
		}

		// Template download; the viewer may not import.
		resp, err := fx.HTTP.Get(f.Server.URL + "/activities/import/template.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(data, []byte("PK")) {
			t.Errorf("template: %d", resp.StatusCode)
		}
		if status, _ := f.Login("viewer.x@t.vn").Get("/activities/import"); status != http.StatusForbidden {
			t.Errorf("viewer import page: %d, want 403", status)
		}
	})
}
