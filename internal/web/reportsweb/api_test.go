package reportsweb_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"khienso/internal/reports"
	"khienso/internal/web/webtest"
)

type apiList[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

type apiTemplate struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Fields   []any  `json:"fields"`
	Sections []any  `json:"sections"`
}

type apiRound struct {
	ID           int64  `json:"id"`
	Title        string `json:"title"`
	Status       string `json:"status"`
	Deadline     string `json:"deadline"`
	Completeness *struct {
		Required, Submitted, Late int
		ByStatus                  map[string]int `json:"by_status"`
	} `json:"completeness"`
	Own *struct {
		UnitID int64  `json:"unit_id"`
		Status string `json:"status"`
		Late   bool   `json:"late"`
	} `json:"own"`
}

type apiSubmission struct {
	UnitID         int64              `json:"unit_id"`
	Status         string             `json:"status"`
	Values         map[string]float64 `json:"values"`
	ReviewComment  string             `json:"review_comment"`
	Late           bool               `json:"late"`
	AllowedActions []string           `json:"allowed_actions"`
	Suggestions    map[string]float64 `json:"suggestions"`
}

// fullContent is a complete report of the standard template as JSON.
func fullContent() map[string]any {
	vals, narr := map[string]float64{}, map[string]string{}
	for i, f := range reports.Standard().Fields {
		vals[f.Code] = float64(i + 1)
	}
	for _, s := range reports.Standard().Sections {
		narr[s.Code] = "Nội dung " + s.Code
	}
	return map[string]any{"values": vals, "narratives": narr}
}

func TestReportTemplatesAPI(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		std := reportTestTemplate(f)
		status, body := f.API("GET", "/api/v1/report-templates", "focal.x@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		status, body = f.API("GET", "/api/v1/report-templates", "", "")
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")

		in := map[string]any{"name": "Báo cáo quý", "fields": []map[string]string{{"code": "classes", "label": "Số lớp", "prefill": "count(type=training_class)"}},
			"sections": []map[string]string{{"code": "results", "title": "Kết quả"}}}
		var tpl apiTemplate
		status, body = f.API("POST", "/api/v1/report-templates", "coord@t.vn", webtest.JSON(in))
		webtest.Expect(t, status, body, http.StatusCreated, &tpl)
		if tpl.ID == 0 || len(tpl.Fields) != 1 || len(tpl.Sections) != 1 {
			t.Fatalf("created template: %s", body)
		}
		in["fields"] = []map[string]string{{"code": "Bad Code", "label": "X"}, {"code": "ok", "label": "Y", "prefill": "count(type="}}
		status, body = f.API("POST", "/api/v1/report-templates", "coord@t.vn", webtest.JSON(in))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "fields.Bad Code", "fields.ok.prefill")
		status, body = f.API("POST", "/api/v1/report-templates", "coord@t.vn", `{"name": "x", "owner": 1}`)
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", "owner")

		var list apiList[apiTemplate]
		status, body = f.API("GET", "/api/v1/report-templates?limit=1", "coord.z@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 2 || len(list.Items) != 1 || list.Items[0].ID != std {
			t.Errorf("template list: %s", body)
		}
		path := fmt.Sprintf("/api/v1/report-templates/%d", tpl.ID)
		status, body = f.API("PATCH", path, "coord@t.vn", `{"name": "Báo cáo quý (sửa)"}`)
		webtest.Expect(t, status, body, http.StatusOK, &tpl)
		if tpl.Name != "Báo cáo quý (sửa)" || len(tpl.Fields) != 1 {
			t.Errorf("patched template: %s", body)
		}
		status, body = f.API("GET", path, "viewer.x@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		status, body = f.API("GET", "/api/v1/report-templates/99999", "coord@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")

		// Once a Nghệ An round uses it, Hà Tĩnh may not reshape it.
		status, body = f.API("POST", "/api/v1/report-rounds", "coord@t.vn", webtest.JSON(map[string]any{"template_id": tpl.ID, "title": "Quý 1",
			"from": "2026-01-01", "to": "2026-03-31", "deadline": "2026-04-05", "unit_types": []string{"commune"}}))
		webtest.Expect(t, status, body, http.StatusCreated, nil)
		status, body = f.API("PATCH", path, "coord.z@t.vn", `{"description": "Của Hà Tĩnh"}`)
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		if !strings.Contains(body, "tạo mẫu mới") {
			t.Errorf("the refusal should say to create a new template: %s", body)
		}
	}, webtest.SecondProvince())
}

func TestReportRoundsAPI(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		tpl := reportTestTemplate(f)
		create := map[string]any{"template_id": tpl, "title": "Báo cáo năm 2025", "from": "2025-01-01", "to": "2025-12-31",
			"deadline": "2025-12-05", "unit_types": []string{"commune"}}
		status, body := f.API("POST", "/api/v1/report-rounds", "focal.x@t.vn", webtest.JSON(create))
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		var rd apiRound
		status, body = f.API("POST", "/api/v1/report-rounds", "coord@t.vn", webtest.JSON(create))
		webtest.Expect(t, status, body, http.StatusCreated, &rd)
		// The communes of Nghệ An only: Hà Tĩnh's Z1 is not in it.
		if rd.Completeness == nil || rd.Completeness.Required != 2 || rd.Completeness.Late != 2 || rd.Status != "open" || rd.Deadline != "2025-12-05" {
			t.Fatalf("created round: %s", body)
		}
		create["unit_types"], create["unit_codes"] = nil, []string{"X1"}
		status, body = f.API("POST", "/api/v1/report-rounds", "coord.z@t.vn", webtest.JSON(create))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "units")
		create["unit_codes"], create["from"] = []string{"Z1"}, "hôm qua"
		status, body = f.API("POST", "/api/v1/report-rounds", "coord.z@t.vn", webtest.JSON(create))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "from")

		path := fmt.Sprintf("/api/v1/report-rounds/%d", rd.ID)
		for _, user := range []string{"coord.z@t.vn", "focal.x@t.vn", "police@t.vn"} {
			for _, p := range []string{path, path + "/units"} {
				status, body = f.API("GET", p, user, "")
				webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
			}
		}
		status, body = f.API("GET", "/api/v1/report-rounds/99999", "coord@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")

		var units apiList[struct {
			UnitID int64  `json:"unit_id"`
			Code   string `json:"code"`
			Status string `json:"status"`
			Late   bool   `json:"late"`
		}]
		status, body = f.API("GET", path+"/units?status=missing", "admin@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &units)
		if units.Total != 2 || units.Items[0].Code != "Y1" || !units.Items[0].Late {
			t.Errorf("round units: %s", body)
		}
		status, body = f.API("GET", path+"/units?status=lost", "admin@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", "status")

		// Lists: the unit sees its own standing, reviewers the completeness,
		// and the other province nothing.
		var list apiList[apiRound]
		status, body = f.API("GET", "/api/v1/report-rounds", "focal.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 1 || list.Items[0].Own == nil || list.Items[0].Own.Status != "missing" || list.Items[0].Completeness != nil {
			t.Errorf("focal point's rounds: %s", body)
		}
		list = apiList[apiRound]{} // decoding reuses what it finds
		status, body = f.API("GET", "/api/v1/report-rounds", "coord@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 1 || list.Items[0].Completeness == nil || list.Items[0].Own != nil {
			t.Errorf("coordinator's rounds: %s", body)
		}
		status, body = f.API("GET", "/api/v1/report-rounds", "coord.z@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 0 {
			t.Errorf("Hà Tĩnh sees Nghệ An's rounds: %s", body)
		}
		status, body = f.API("GET", "/api/v1/report-rounds", "police@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")

		status, body = f.API("POST", path+"/status", "focal.x@t.vn", `{"status": "closed"}`)
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		status, body = f.API("POST", path+"/status", "coord@t.vn", `{"status": "paused"}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "status")
		status, body = f.API("POST", path+"/status", "coord@t.vn", `{"status": "closed"}`)
		webtest.Expect(t, status, body, http.StatusOK, &rd)
		if rd.Status != "closed" || rd.Completeness == nil {
			t.Errorf("closed round: %s", body)
		}
		x1 := fmt.Sprintf("%s/submissions/%d", path, f.Units["X1"])
		status, body = f.API("PUT", x1, "focal.x@t.vn", webtest.JSON(fullContent()))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "round")
	}, webtest.SecondProvince())
}

func TestReportSubmissionsAPI(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		tpl := reportTestTemplate(f)
		var rd apiRound
		status, body := f.API("POST", "/api/v1/report-rounds", "coord@t.vn", webtest.JSON(map[string]any{"template_id": tpl,
			"title": "Báo cáo năm 2026", "from": "2026-01-01", "to": "2026-12-31", "deadline": "2099-12-05",
			"unit_codes": []string{"X1", "Y1", "40-SKHCN"}}))
		webtest.Expect(t, status, body, http.StatusCreated, &rd)
		base := fmt.Sprintf("/api/v1/report-rounds/%d/submissions/", rd.ID)
		x1 := base + fmt.Sprint(f.Units["X1"])

		var sub apiSubmission
		status, body = f.API("GET", x1, "focal.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &sub)
		if sub.Status != "missing" || strings.Join(sub.AllowedActions, ",") != "save,submit" || sub.Late {
			t.Errorf("focal point's view: %s", body)
		}
		status, body = f.API("GET", x1, "coord@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &sub)
		if len(sub.AllowedActions) != 0 {
			t.Errorf("the coordinator may do nothing on a missing report: %s", body)
		}
		for _, user := range []string{"focal.y@t.vn", "coord.z@t.vn", "police@t.vn"} {
			for _, p := range []string{x1, x1 + "/history"} {
				status, body = f.API("GET", p, user, "")
				webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
			}
		}
		status, body = f.API("GET", base+fmt.Sprint(f.Units["40-CA"]), "coord@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")

		// The unit submits, a reviewer reviews: the coordinator may not
		// fill a commune's report through the API either.
		for _, c := range []struct{ method, path string }{{"PUT", x1}, {"POST", x1 + "/submit"}} {
			status, body = f.API(c.method, c.path, "coord@t.vn", webtest.JSON(fullContent()))
			webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
			if !strings.Contains(body, "trả lại cho đơn vị") {
				t.Errorf("coordinator %s %s: the refusal should point to returning the report: %s", c.method, c.path, body)
			}
		}
		status, body = f.API("PUT", x1, "focal.y@t.vn", webtest.JSON(fullContent()))
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		status, body = f.API("PUT", x1, "viewer.x@t.vn", webtest.JSON(fullContent()))
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")

		steps := []struct {
			user, method, path, body string
			status                   int
			want                     string // status after, or the error fields
		}{
			{"focal.x", "PUT", x1, `{"values": {"materials": 12}, "narratives": {"results": "Đã làm"}}`, 200, "draft"},
			{"focal.x", "PUT", x1, `{"values": {"nope": 1}}`, 422, "values.nope"},
			{"focal.x", "PUT", x1, `{"values": {"materials": -1}}`, 422, "values.materials"},
			{"focal.x", "PUT", x1, `{"value": {}}`, 400, "value"},
			{"focal.x", "POST", x1 + "/submit", "", 422, ""},
			{"focal.x", "POST", x1 + "/submit", webtest.JSON(fullContent()), 200, "submitted"},
			{"focal.x", "POST", x1 + "/submit", "", 409, ""},
			{"focal.x", "POST", x1 + "/accept", "", 403, ""},
			{"coord", "POST", x1 + "/return", `{}`, 422, "comment"},
			{"coord", "POST", x1 + "/return", `{"comment": "Bổ sung số liệu lớp học"}`, 200, "returned"},
			{"coord", "POST", x1 + "/accept", "", 409, ""},
			{"focal.x", "PUT", x1, webtest.JSON(fullContent()), 200, "returned"},
			{"focal.x", "POST", x1 + "/submit", "", 200, "submitted"},
			{"coord.z", "POST", x1 + "/accept", "", 403, ""},
			{"coord", "POST", x1 + "/accept", `{"comment": "Tốt"}`, 200, "accepted"},
			{"coord", "POST", x1 + "/reopen", "", 200, "submitted"},
			{"admin", "POST", x1 + "/accept", "", 200, "accepted"},
		}
		for _, st := range steps {
			name := fmt.Sprintf("%s %s %s", st.user, st.method, strings.TrimPrefix(st.path, base))
			status, body := f.API(st.method, st.path, st.user+"@t.vn", st.body)
			switch {
			case st.status == 200:
				sub = apiSubmission{}
				webtest.Expect(t, status, body, 200, &sub)
				if sub.Status != st.want {
					t.Errorf("%s: status %s, want %s", name, sub.Status, st.want)
				}
			case st.want != "":
				webtest.ExpectError(t, status, body, st.status, map[int]string{400: "bad_request", 422: "invalid_input"}[st.status], st.want)
			case status != st.status:
				t.Errorf("%s: %d, want %d: %s", name, status, st.status, body)
			}
		}
		if sub.Values["trainees"] != 6 || strings.Join(sub.AllowedActions, ",") != "return,reopen" || len(sub.Suggestions) != 0 {
			t.Errorf("accepted report, as its reviewer sees it: %+v", sub)
		}
		var hist apiList[struct {
			Actor, Action, Comment string
		}]
		status, body = f.API("GET", x1+"/history", "focal.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &hist)
		var actions []string
		for _, e := range hist.Items {
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, ","); got != "save,submit,return,save,submit,accept,reopen,accept" || hist.Items[2].Comment != "Bổ sung số liệu lớp học" {
			t.Errorf("history: %s", got)
		}

		// The coordinator's own unit: theirs to fill, someone else's to review.
		own := base + fmt.Sprint(f.Units["40-SKHCN"])
		status, body = f.API("POST", own+"/submit", "coord@t.vn", webtest.JSON(fullContent()))
		webtest.Expect(t, status, body, http.StatusOK, &sub)
		status, body = f.API("POST", own+"/accept", "coord@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		if !strings.Contains(body, "đơn vị mình") {
			t.Errorf("the refusal should say why: %s", body)
		}
		status, body = f.API("POST", own+"/accept", "admin@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &sub)
		if sub.Status != "accepted" {
			t.Errorf("admin accepts the department's report: %s", body)
		}
	}, webtest.SecondProvince())
}

func TestReportDocumentsAPI(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		tpl := reportTestTemplate(f)
		var rd apiRound
		status, body := f.API("POST", "/api/v1/report-rounds", "coord@t.vn", webtest.JSON(map[string]any{"template_id": tpl,
			"title": "Báo cáo năm 2025", "from": "2025-01-01", "to": "2025-12-31", "deadline": "2025-12-05", "unit_types": []string{"commune"}}))
		webtest.Expect(t, status, body, http.StatusCreated, &rd)
		base := fmt.Sprintf("/api/v1/report-rounds/%d/", rd.ID)
		for _, d := range []struct{ name, ctype, magic string }{
			{"document.docx", "wordprocessingml", "PK"}, {"document.pdf", "application/pdf", "%PDF"},
			{"document.xlsx", "spreadsheetml", "PK"}, {"completeness.xlsx", "spreadsheetml", "PK"},
		} {
			status, ctype, b := f.APIDownload(base+d.name, "coord@t.vn")
			if status != http.StatusOK || !strings.Contains(ctype, d.ctype) || !bytes.HasPrefix(b, []byte(d.magic)) {
				t.Errorf("%s: %d %s", d.name, status, ctype)
			}
			for _, user := range []string{"focal.x@t.vn", "coord.z@t.vn"} {
				status, body := f.API("GET", base+d.name, user, "")
				webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
			}
		}
		if status, _, _ := f.APIDownload(base+"document.docx", ""); status != http.StatusUnauthorized {
			t.Errorf("anonymous download: %d", status)
		}
		status, body = f.API("GET", "/api/v1/report-rounds/99999/document.pdf", "coord@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")
		xml := docxBody(t, func() []byte { _, _, b := f.APIDownload(base+"document.docx", "admin@t.vn"); return b }())
		if !strings.Contains(xml, "Có 0/2 đơn vị đã gửi báo cáo") {
			t.Error("the API's DOCX is not the consolidated report")
		}
	}, webtest.SecondProvince())
}
