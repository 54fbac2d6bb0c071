package tasksweb_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"khienso/internal/plans"
	"khienso/internal/web/webtest"
)

type apiTask struct {
	ID        int64   `json:"id"`
	PlanID    int64   `json:"plan_id"`
	PlanTitle string  `json:"plan_title"`
	Content   string  `json:"content"`
	Section   string  `json:"section"`
	Lead      []int64 `json:"lead"`
	Coord     []int64 `json:"coord"`
	Kind      string  `json:"kind"`
	YearFrom  int     `json:"year_from"`
	YearTo    int     `json:"year_to"`
	Due       string  `json:"due"`
	Status    string  `json:"status"`
	Progress  int     `json:"progress"`
	Overdue   bool    `json:"overdue"`
	Role      string  `json:"role"`
}

type apiList[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

type apiUpdate struct {
	ID       int64  `json:"id"`
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Status   string `json:"status"`
	Progress int    `json:"progress"`
	Note     string `json:"note"`
	Evidence *struct {
		Name, Type, URL string
	} `json:"evidence"`
}

func TestAPITasks(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		na := planTestCreate(f, "40", plans.StatusInEffect, 0)
		ht := planTestCreate(f, "42", plans.StatusInEffect, 0)
		x1, y1, z1 := f.Units["X1"], f.Units["Y1"], f.Units["Z1"]
		tasksPath := fmt.Sprintf("/api/v1/plans/%d/tasks", na.ID)
		body := webtest.JSON(map[string]any{"section": "I. Tuyên truyền", "number": "1", "content": "Tuyên truyền phòng chống lừa đảo",
			"lead": []int64{x1}, "coord": []int64{y1}, "kind": "range", "year_from": 2022, "year_to": 2025})

		// Who may add a task to the Nghệ An plan.
		for _, c := range []struct {
			user string
			want int
			code string
		}{
			{"", 401, "unauthorized"}, {"learner@t.vn", 403, "forbidden"}, {"focal.y@t.vn", 403, "forbidden"},
			{"viewer.x@t.vn", 403, "forbidden"}, {"coord.z@t.vn", 404, "not_found"}, {"focal.z@t.vn", 404, "not_found"},
		} {
			status, resp := f.API("POST", tasksPath, c.user, body)
			webtest.ExpectError(t, status, resp, c.want, c.code)
		}
		status, resp := f.API("POST", tasksPath, "coord@t.vn", strings.Replace(body, fmt.Sprint(y1), fmt.Sprint(z1), 1))
		webtest.ExpectError(t, status, resp, 422, "invalid_input", "coord")
		status, resp = f.API("POST", tasksPath, "coord@t.vn", `{"content": "A", "lead": [`+fmt.Sprint(x1)+`], "kind": "due", "due": "31/12/2025"}`)
		webtest.ExpectError(t, status, resp, 422, "invalid_input", "due")
		status, resp = f.API("POST", tasksPath, "coord@t.vn", `{"content": "A", "owner": 1}`)
		webtest.ExpectError(t, status, resp, 400, "bad_request", "owner")
		status, resp = f.API("POST", tasksPath, "coord@t.vn", `{"content": "", "kind": "weekly"}`)
		webtest.ExpectError(t, status, resp, 422, "invalid_input", "content", "lead", "timeframe")

		var task apiTask
		status, resp = f.API("POST", tasksPath, "coord@t.vn", body)
		webtest.Expect(t, status, resp, 201, &task)
		if task.PlanID != na.ID || task.PlanTitle != na.Title || !slices.Equal(task.Lead, []int64{x1}) || task.Kind != "range" ||
			task.YearTo != 2025 || task.Status != "not_started" || !task.Overdue {
			t.Errorf("created %+v", task)
		}
		taskPath := fmt.Sprintf("/api/v1/tasks/%d", task.ID)

		// Reading: staff of the province read an issued plan's tasks.
		var list apiList[apiTask]
		status, resp = f.API("GET", tasksPath, "focal.y@t.vn", "")
		webtest.Expect(t, status, resp, 200, &list)
		if list.Total != 1 || list.Items[0].ID != task.ID {
			t.Errorf("focal.y lists %+v", list)
		}
		status, resp = f.API("GET", tasksPath+"?limit=0", "focal.y@t.vn", "")
		webtest.ExpectError(t, status, resp, 400, "bad_request", "limit")
		for _, c := range []struct {
			user string
			want int
		}{{"police@t.vn", 200}, {"coord.z@t.vn", 404}, {"focal.z@t.vn", 404}, {"learner@t.vn", 403}, {"", 401}} {
			status, resp = f.API("GET", taskPath, c.user, "")
			webtest.Expect(t, status, resp, c.want, nil)
			status, resp = f.API("GET", tasksPath, c.user, "")
			webtest.Expect(t, status, resp, c.want, nil)
		}

		// PATCH keeps what is not sent.
		status, resp = f.API("PATCH", taskPath, "focal.x@t.vn", `{"content": "x"}`)
		webtest.ExpectError(t, status, resp, 403, "forbidden")
		status, resp = f.API("PATCH", taskPath, "coord.z@t.vn", `{"content": "x"}`)
		webtest.ExpectError(t, status, resp, 404, "not_found")
		status, resp = f.API("PATCH", taskPath, "coord@t.vn", `{"content": "Tuyên truyền (sửa)", "kind": "due", "due": "2026-12-31"}`)
		webtest.Expect(t, status, resp, 200, &task)
		if task.Content != "Tuyên truyền (sửa)" || task.Kind != "due" || task.Due != "2026-12-31" || task.Section != "I. Tuyên truyền" ||
			!slices.Equal(task.Coord, []int64{y1}) || task.Overdue {
			t.Errorf("patched %+v", task)
		}

		// My tasks.
		status, resp = f.API("GET", "/api/v1/tasks/mine", "focal.x@t.vn", "")
		webtest.Expect(t, status, resp, 200, &list)
		if list.Total != 1 || list.Items[0].ID != task.ID || list.Items[0].Role != "lead" {
			t.Errorf("focal.x's tasks %+v", list)
		}
		status, resp = f.API("GET", fmt.Sprintf("/api/v1/tasks/mine?unit=%d&role=coord", y1), "coord@t.vn", "")
		webtest.Expect(t, status, resp, 200, &list)
		if list.Total != 1 || list.Items[0].Role != "coord" {
			t.Errorf("Y1's coordinated tasks %+v", list)
		}
		for _, c := range []struct {
			user, query string
			want        int
		}{
			{"focal.x@t.vn", fmt.Sprintf("?unit=%d", y1), 403}, {"coord@t.vn", fmt.Sprintf("?unit=%d", z1), 403},
			{"coord@t.vn", "?role=owner", 400}, {"coord@t.vn", "?unit=abc", 400}, {"learner@t.vn", "", 403}, {"", "", 401},
		} {
			status, resp = f.API("GET", "/api/v1/tasks/mine"+c.query, c.user, "")
			webtest.Expect(t, status, resp, c.want, nil)
		}
		status, resp = f.API("GET", fmt.Sprintf("/api/v1/tasks/mine?unit=%d", z1), "coord.z@t.vn", "")
		webtest.Expect(t, status, resp, 200, &list)
		if list.Total != 0 {
			t.Errorf("Hà Tĩnh's commune has Nghệ An tasks: %+v", list)
		}

		// Progress updates: JSON, then multipart with evidence.
		updPath := taskPath + "/updates"
		var upd apiUpdate
		status, resp = f.API("POST", updPath, "focal.x@t.vn", `{"progress": 30, "note": "Đã tổ chức 2 lớp"}`)
		webtest.Expect(t, status, resp, 201, &upd)
		if upd.UnitID != x1 || upd.UnitName == "" || upd.Progress != 30 || upd.Status != "not_started" || upd.Evidence != nil {
			t.Errorf("update %+v", upd)
		}
		status, resp = f.API("POST", updPath, "focal.x@t.vn", `{}`)
		webtest.ExpectError(t, status, resp, 422, "invalid_input", "note")
		status, resp = f.API("POST", updPath, "focal.x@t.vn", `{"link": "javascript:alert(1)"}`)
		webtest.ExpectError(t, status, resp, 422, "invalid_input", "link")
		// Y1 coordinates the task: it reports too, as itself.
		status, resp = f.API("POST", updPath, "focal.y@t.vn", `{"note": "Phối hợp tuyên truyền"}`)
		webtest.Expect(t, status, resp, 201, &upd)
		if upd.UnitID != y1 {
			t.Errorf("focal.y reported as %d, want Y1", upd.UnitID)
		}
		status, resp = f.API("POST", updPath, "police@t.vn", `{"note": "x"}`)
		webtest.ExpectError(t, status, resp, 403, "forbidden")
		status, resp = f.API("POST", updPath, "viewer.x@t.vn", `{"note": "x"}`)
		webtest.ExpectError(t, status, resp, 403, "forbidden")
		status, resp = f.API("POST", updPath, "coord.z@t.vn", `{"note": "x"}`)
		webtest.ExpectError(t, status, resp, 404, "not_found")
		png := []byte("\x89PNG\r\n\x1a\n anh chup man hinh")
		status, resp = f.APIUpload(updPath, "focal.x@t.vn", map[string]string{"status": "in_progress", "progress": "60"}, "C:\\anh\\bien-ban.pdf", png)
		webtest.Expect(t, status, resp, 201, &upd)
		if upd.Evidence == nil || upd.Evidence.Name != "bien-ban.pdf" || upd.Evidence.Type != "image/png" || upd.Status != "in_progress" {
			t.Fatalf("update with evidence %+v: %s", upd, resp)
		}
		status, resp = f.APIUpload(updPath, "focal.x@t.vn", map[string]string{"progress": "sáu mươi"}, "", nil)
		webtest.ExpectError(t, status, resp, 422, "invalid_input", "progress")

		// Who reads X1's updates and downloads its evidence.
		evidence := upd.Evidence.URL
		var ups apiList[apiUpdate]
		for _, c := range []struct {
			user     string
			want     int
			count    int // updates read: X1 posted 2, Y1 1
			download int // X1's evidence
		}{{"focal.x@t.vn", 200, 2, 200}, {"viewer.x@t.vn", 200, 2, 200}, {"coord@t.vn", 200, 3, 200}, {"admin@t.vn", 200, 3, 200},
			{"focal.y@t.vn", 200, 1, 403}, {"police@t.vn", 200, 0, 403}, {"coord.z@t.vn", 404, 0, 404}, {"learner@t.vn", 403, 0, 403}} {
			status, resp = f.API("GET", updPath, c.user, "")
			webtest.Expect(t, status, resp, c.want, nil)
			if status == 200 {
				webtest.Decode(t, resp, &ups)
				if ups.Total != c.count {
					t.Errorf("%s reads %d of the task's updates, want %d", c.user, ups.Total, c.count)
				}
			}
			status, ctype, data := f.APIDownload(evidence, c.user)
			if status != c.download || (status == 200 && (ctype != "image/png" || !bytes.Equal(data, png))) {
				t.Errorf("%s downloads X1's evidence: %d %s, want %d", c.user, status, ctype, c.download)
			}
		}
		if status, _, _ := f.APIDownload(evidence, ""); status != 401 {
			t.Errorf("anonymous download: %d", status)
		}

		// The Hà Tĩnh plan is Hà Tĩnh's.
		status, resp = f.API("POST", fmt.Sprintf("/api/v1/plans/%d/tasks", ht.ID), "coord@t.vn", body)
		webtest.ExpectError(t, status, resp, 404, "not_found")

		// Delete.
		status, resp = f.API("DELETE", taskPath, "focal.x@t.vn", "")
		webtest.ExpectError(t, status, resp, 403, "forbidden")
		status, resp = f.API("DELETE", taskPath, "coord@t.vn", "")
		webtest.Expect(t, status, resp, 204, nil)
		status, resp = f.API("GET", taskPath, "coord@t.vn", "")
		webtest.ExpectError(t, status, resp, 404, "not_found")
		if status, _, _ := f.APIDownload(evidence, "coord@t.vn"); status != 404 {
			t.Errorf("evidence of a deleted task: %d", status)
		}
	}, webtest.SecondProvince())
}

type apiReview struct {
	PlanID    int64 `json:"plan_id"`
	Unmatched int   `json:"unmatched"`
	Rows      []struct {
		Line        int      `json:"line"`
		Notes       []string `json:"notes"`
		LeadPhrases []struct {
			Phrase  string  `json:"phrase"`
			Group   string  `json:"group"`
			UnitIDs []int64 `json:"unit_ids"`
		} `json:"lead_phrases"`
		Task map[string]any `json:"task"`
	} `json:"rows"`
}

// importDOCX is a Word file with a task table of one task.
func importDOCX(t *testing.T, lead string) []byte {
	t.Helper()
	cell := func(s string) string {
		return `<w:tc><w:p><w:r><w:t xml:space="preserve">` + s + `</w:t></w:r></w:p></w:tc>`
	}
	row := func(cells ...string) string {
		var b strings.Builder
		for _, c := range cells {
			b.WriteString(cell(c))
		}
		return "<w:tr>" + b.String() + "</w:tr>"
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		`<w:tbl>` + row("STT", "Nội dung thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện") +
		row("1", "Tuyên truyền trên truyền thanh cơ sở", lead, "", "Hàng năm") + `</w:tbl><w:sectPr/></w:body></w:document>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":   doc,
	} {
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAPIPlanImport(t *testing.T) {
	seed, err := os.ReadFile(planImportSeed)
	if err != nil {
		t.Fatal(err)
	}
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		p := planTestCreate(f, "40", plans.StatusInEffect, 0)
		importPath := fmt.Sprintf("/api/v1/plans/%d/import", p.ID)
		foreign := []int64{f.Units["42"], f.Units["42-SKHCN"], f.Units["Z1"]}

		// The seed, as JSON text.
		var rv apiReview
		status, resp := f.API("POST", importPath, "coord@t.vn", webtest.JSON(map[string]string{"text": string(seed)}))
		webtest.Expect(t, status, resp, 200, &rv)
		if rv.PlanID != p.ID || len(rv.Rows) != 30 {
			t.Fatalf("review of the seed: plan %d, %d rows", rv.PlanID, len(rv.Rows))
		}
		for i, row := range rv.Rows {
			for _, ph := range row.LeadPhrases {
				for _, id := range ph.UnitIDs {
					if slices.Contains(foreign, id) {
						t.Errorf("row %d: %q resolves to a Hà Tĩnh unit", i+1, ph.Phrase)
					}
				}
			}
		}
		lead3, _ := rv.Rows[3].Task["lead"].([]any)
		if !slices.Contains(lead3, any(float64(f.Units["40-CA"]))) {
			t.Errorf("task 4 should propose Công an tỉnh (40-CA), got %v", lead3)
		}

		// A DOCX upload: "UBND các xã, phường" is Nghệ An's communes only.
		status, resp = f.APIUpload(importPath, "coord@t.vn", nil, "ke-hoach.docx", importDOCX(t, "UBND các xã, phường"))
		webtest.Expect(t, status, resp, 200, &rv)
		if len(rv.Rows) != 1 || len(rv.Rows[0].LeadPhrases) != 1 || rv.Rows[0].LeadPhrases[0].Group != "communes" {
			t.Fatalf("DOCX review: %s", resp)
		}
		got := slices.Sorted(slices.Values(rv.Rows[0].LeadPhrases[0].UnitIDs))
		if want := slices.Sorted(slices.Values([]int64{f.Units["X1"], f.Units["Y1"]})); !slices.Equal(got, want) {
			t.Errorf("the communes of a Nghệ An plan: %v, want %v", got, want)
		}

		// Refusals.
		status, resp = f.API("POST", importPath, "coord@t.vn", `{"text": "Không có bảng"}`)
		webtest.ExpectError(t, status, resp, 422, "invalid_input", "text")
		status, resp = f.APIUpload(importPath, "coord@t.vn", nil, "ke-hoach.pdf", []byte("%PDF-1.4"))
		webtest.ExpectError(t, status, resp, 422, "invalid_input", "file")
		for _, c := range []struct {
			user string
			want int
		}{{"focal.y@t.vn", 403}, {"viewer.x@t.vn", 403}, {"coord.z@t.vn", 404}, {"learner@t.vn", 403}, {"", 401}} {
			status, resp = f.API("POST", importPath, c.user, `{"text": "x"}`)
			webtest.Expect(t, status, resp, c.want, nil)
			status, resp = f.API("POST", importPath+"/confirm", c.user, `{"tasks": []}`)
			webtest.Expect(t, status, resp, c.want, nil)
		}

		// Confirm: the review's tasks as they are, after choosing a lead
		// where none matched; a Hà Tĩnh unit refuses the whole import.
		task := rv.Rows[0].Task
		confirm := func(lead int64) (int, string) {
			task["lead"] = []int64{lead}
			return f.API("POST", importPath+"/confirm", "coord@t.vn", webtest.JSON(map[string]any{"tasks": []any{task, task}}))
		}
		status, resp = confirm(f.Units["Z1"])
		webtest.ExpectError(t, status, resp, 422, "invalid_input", "tasks.0.lead", "tasks.1.lead")
		status, resp = f.API("POST", importPath+"/confirm", "coord@t.vn", `{"tasks": []}`)
		webtest.ExpectError(t, status, resp, 422, "invalid_input", "tasks")
		var saved struct {
			Created int       `json:"created"`
			Tasks   []apiTask `json:"tasks"`
		}
		status, resp = confirm(f.Units["X1"])
		webtest.Expect(t, status, resp, 201, &saved)
		if saved.Created != 2 || len(saved.Tasks) != 2 || saved.Tasks[0].ID == 0 || saved.Tasks[0].Kind != "yearly" || saved.Tasks[0].PlanTitle != p.Title {
			t.Errorf("saved %s", resp)
		}
		var list apiList[apiTask]
		status, resp = f.API("GET", fmt.Sprintf("/api/v1/plans/%d/tasks", p.ID), "coord@t.vn", "")
		webtest.Expect(t, status, resp, 200, &list)
		if list.Total != 2 {
			t.Errorf("the plan has %d tasks after the import, want 2", list.Total)
		}
	}, webtest.SecondProvince())
}
