package unitsweb_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/web/webtest"
)

// apiTestJob is an import job as the API returns it.
type apiTestJob struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	Filename    string `json:"filename"`
	SkipInvalid bool   `json:"skip_invalid"`
	Status      string `json:"status"`
	Total       int    `json:"total"`
	Processed   int    `json:"processed"`
	Written     int    `json:"written"`
	Percent     int    `json:"percent"`
	Finished    bool   `json:"finished"`
}

type apiTestReport struct {
	JobID   int64 `json:"job_id"`
	Rows    int   `json:"rows"`
	Created int   `json:"created"`
	Invalid int   `json:"invalid"`
	Written int   `json:"written"`
	Items   []struct {
		Row     int    `json:"row"`
		Cell    string `json:"cell"`
		Column  string `json:"column"`
		Value   string `json:"value"`
		Message string `json:"message"`
	} `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// apiWaitJob polls a job through the API until it finishes.
func apiWaitJob(t *testing.T, f *webtest.Fixture, path, user string) apiTestJob {
	t.Helper()
	for range 600 {
		var j apiTestJob
		status, body := f.API("GET", path, user, "")
		webtest.Expect(t, status, body, http.StatusOK, &j)
		if j.Finished {
			return j
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("job %s did not finish", path)
	return apiTestJob{}
}

// The import API: upload, follow the job, read the report, list the jobs;
// and who may.
func TestAPIImport(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		const coord = "coord@t.vn"
		file := []byte("Mã,Tên,Loại,Mã đơn vị cấp trên\r\n" +
			"X1-VH,Nhà văn hóa Nghi Phong,other,X1\r\n" +
			"Z1-VH,Nhà văn hóa Cẩm Xuyên,other,Z1\r\n" +
			"Z1,Xã Cẩm Xuyên (sửa),commune,42\r\n")
		status, body := f.APIUpload("/api/v1/units/import", coord, map[string]string{"skip_invalid": "true"}, "đơn vị.csv", file)
		var job apiTestJob
		webtest.Expect(t, status, body, http.StatusAccepted, &job)
		if job.ID == 0 || job.Kind != "units" || job.Filename != "đơn vị.csv" || !job.SkipInvalid || job.Finished {
			t.Fatalf("new job: %s", body)
		}
		path := fmt.Sprintf("/api/v1/import-jobs/%d", job.ID)
		job = apiWaitJob(t, f, path, coord)
		if job.Status != "done" || job.Written != 1 || job.Total != 3 || job.Percent != 100 {
			t.Errorf("finished job: %+v", job)
		}
		// Rows naming the other province's units are refused, whatever
		// they say.
		var rep apiTestReport
		status, body = f.API("GET", path+"/report", coord, "")
		webtest.Expect(t, status, body, http.StatusOK, &rep)
		if rep.JobID != job.ID || rep.Rows != 3 || rep.Created != 1 || rep.Invalid != 2 || rep.Total != 2 || len(rep.Items) != 2 {
			t.Fatalf("report: %s", body)
		}
		if it := rep.Items[0]; it.Row != 3 || it.Cell != "D" || it.Value != "Z1" || !strings.Contains(it.Message, "Z1") {
			t.Errorf("first report line: %+v", it)
		}
		if it := rep.Items[1]; it.Row != 4 || it.Cell != "A" || it.Value != "Z1" {
			t.Errorf("second report line: %+v", it)
		}
		status, body = f.API("GET", path+"/report?limit=1&offset=1", coord, "")
		webtest.Expect(t, status, body, http.StatusOK, &rep)
		if len(rep.Items) != 1 || rep.Items[0].Row != 4 || rep.Total != 2 || rep.Limit != 1 || rep.Offset != 1 {
			t.Errorf("report page: %s", body)
		}
		if u, err := f.Store.UnitByCode(context.Background(), "Z1", dates.Today()); err != nil || u.Name != "Xã Cẩm Xuyên" {
			t.Errorf("the other province's commune changed: %+v %v", u, err)
		}

		// The caller's jobs.
		var list struct {
			Items []apiTestJob `json:"items"`
			Total int          `json:"total"`
		}
		status, body = f.API("GET", "/api/v1/import-jobs", coord, "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 1 || len(list.Items) != 1 || list.Items[0].ID != job.ID {
			t.Errorf("jobs: %s", body)
		}
		status, body = f.API("GET", "/api/v1/import-jobs", "admin@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 0 {
			t.Errorf("another user's list shows the job: %s", body)
		}
		status, body = f.API("GET", "/api/v1/import-jobs?limit=0", coord, "")
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", "limit")

		// Who may follow it: the owner and importers of the same province.
		for user, want := range map[string]int{"admin@t.vn": 200, "coord.z@t.vn": 404, "focal.x@t.vn": 404, "viewer.x@t.vn": 404} {
			for _, p := range []string{path, path + "/report"} {
				status, body := f.API("GET", p, user, "")
				if want == 200 {
					webtest.Expect(t, status, body, want, nil)
				} else {
					webtest.ExpectError(t, status, body, want, "not_found")
				}
			}
		}
		status, body = f.API("GET", path, "", "")
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")
		status, body = f.API("GET", "/api/v1/import-jobs/999999", coord, "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")
		status, body = f.API("GET", "/api/v1/import-jobs", "", "")
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")

		// A job still running has no report yet.
		running := &store.ImportJob{UserID: f.Users[coord], Kind: "units", Filename: "lớn.csv", Status: store.JobRunning, Total: 10, Processed: 4}
		if err := f.Store.CreateImportJob(context.Background(), running); err != nil {
			t.Fatal(err)
		}
		status, body = f.API("GET", fmt.Sprintf("/api/v1/import-jobs/%d", running.ID), coord, "")
		webtest.Expect(t, status, body, http.StatusOK, &job)
		if job.Status != "running" || job.Percent != 40 || job.Finished {
			t.Errorf("running job: %s", body)
		}
		status, body = f.API("GET", fmt.Sprintf("/api/v1/import-jobs/%d/report", running.ID), coord, "")
		webtest.ExpectError(t, status, body, http.StatusConflict, "conflict")

		// Starting one: province-wide importers only, with a file.
		for _, user := range []string{"focal.x@t.vn", "viewer.x@t.vn", "learner@t.vn"} {
			status, body = f.APIUpload("/api/v1/units/import", user, nil, "a.csv", file)
			webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		}
		status, body = f.APIUpload("/api/v1/units/import", "", nil, "a.csv", file)
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")
		status, body = f.APIUpload("/api/v1/units/import", coord, nil, "", nil)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "file")
		status, body = f.APIUpload("/api/v1/units/import", coord, nil, "rỗng.csv", nil)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "file")
		big := bytes.Repeat([]byte("X1,Xã Nghi Phong\n"), units.MaxImportBytes/17+1)
		status, body = f.APIUpload("/api/v1/units/import", coord, nil, "lớn.csv", big)
		webtest.ExpectError(t, status, body, http.StatusRequestEntityTooLarge, "too_large")
		// The coordinator's job above is still running: one import at a time.
		status, body = f.APIUpload("/api/v1/units/import", coord, nil, "a.csv", file)
		webtest.ExpectError(t, status, body, http.StatusTooManyRequests, "import_running")
	}, webtest.SecondProvince())
}

// The export API sends the caller's province only.
func TestAPIExport(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		status, ctype, data := f.APIDownload("/api/v1/units/export?format=csv", "coord@t.vn")
		if status != http.StatusOK || ctype != units.FormatCSV.ContentType() {
			t.Fatalf("export: %d %s %s", status, ctype, data)
		}
		sheet, err := units.ParseFile("export.csv", bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		codes := map[string]bool{}
		for _, r := range sheet.Rows {
			codes[r.Cells[0]] = true
		}
		if len(sheet.Rows) != 6 || !codes["X1-THCS"] || codes["Z1"] || codes["42"] {
			t.Errorf("coordinator of 40 exports %v", codes)
		}
		status, _, data = f.APIDownload("/api/v1/units/export?format=xlsx&date="+dates.Today().ISO(), "coord.z@t.vn")
		if status != http.StatusOK {
			t.Fatalf("export of 42: %d", status)
		}
		if sheet, err = units.ParseFile("export.xlsx", bytes.NewReader(data)); err != nil || len(sheet.Rows) != 3 {
			t.Errorf("coordinator of 42 exports %d rows (%v)", len(sheet.Rows), err)
		}
		for q, field := range map[string]string{"format=pdf": "format", "date=15/06/2026": "date", "date=2026-02-30": "date"} {
			status, body := f.API("GET", "/api/v1/units/export?"+q, "coord@t.vn", "")
			webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", field)
		}
		for _, user := range []string{"focal.x@t.vn", "viewer.x@t.vn", "police@t.vn"} {
			status, body := f.API("GET", "/api/v1/units/export", user, "")
			webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		}
	}, webtest.SecondProvince())
}

// A coordinator of one province cannot read the other's private fields,
// nor create, change, move or merge anything there.
func TestAPIUnitsAcrossProvinces(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		const coord, coordZ = "coord@t.vn", "coord.z@t.vn"
		id := func(code string) string { return fmt.Sprint(f.Units[code]) }
		var u apiTestUnit
		status, body := f.API("GET", "/api/v1/units/"+id("Z1"), coord, "")
		webtest.Expect(t, status, body, http.StatusOK, &u)
		if !u.Restricted || u.FocalPoint != nil || u.Code != "Z1" {
			t.Errorf("coordinator of 40 reads Z1: %s", body)
		}
		status, body = f.API("GET", "/api/v1/units/"+id("Z1"), coordZ, "")
		webtest.Expect(t, status, body, http.StatusOK, &u)
		if u.Restricted || u.FocalPoint == nil {
			t.Errorf("coordinator of 42 reads Z1: %s", body)
		}
		var list apiTestList[apiTestUnit]
		status, body = f.API("GET", "/api/v1/units?limit=500", coord, "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		for _, u := range list.Items {
			if in42 := u.Code == "42" || strings.HasPrefix(u.Code, "42-") || u.Code == "Z1"; in42 != u.Restricted {
				t.Errorf("coordinator of 40 lists %s with restricted=%v", u.Code, u.Restricted)
			}
		}
		for _, c := range []struct{ method, path, body string }{
			{"PATCH", "/api/v1/units/" + id("Z1"), `{"short_name": "Lén sửa"}`},
			{"POST", "/api/v1/units", `{"code": "Z1-LEN", "name": "Lén tạo", "type": "other", "parent_id": ` + id("Z1") + `}`},
			{"POST", "/api/v1/units/" + id("X1-THCS") + "/move", `{"parent_id": ` + id("Z1") + `, "date": "` + dates.Today().ISO() + `"}`},
			{"POST", "/api/v1/units/" + id("Z1") + "/move", `{"parent_id": ` + id("40") + `, "date": "` + dates.Today().ISO() + `"}`},
			{"POST", "/api/v1/units/merge", `{"source_ids": [` + id("Y1") + `], "target_id": ` + id("Z1") + `, "date": "` + dates.Today().ISO() + `"}`},
			{"POST", "/api/v1/units/merge", `{"source_ids": [` + id("Y1") + `], "new_target": {"code": "N1", "name": "Mới", "type": "commune", "parent_id": ` + id("42") + `}, "date": "` + dates.Today().ISO() + `"}`},
			{"POST", "/api/v1/units/" + id("Z1") + "/close", `{"date": "` + dates.Today().ISO() + `"}`},
		} {
			status, body := f.API(c.method, c.path, coord, c.body)
			webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		}
		if z1, _ := f.Store.Unit(context.Background(), f.Units["Z1"], dates.Today()); z1.ShortName != "" || z1.ParentID != f.Units["42"] || !z1.ValidTo.IsZero() {
			t.Errorf("refused calls changed Z1: %+v", z1)
		}
		if y1, _ := f.Store.Unit(context.Background(), f.Units["Y1"], dates.Today()); !y1.ValidTo.IsZero() {
			t.Errorf("refused merges closed Y1: %+v", y1)
		}
	}, webtest.SecondProvince())
}

// The pages follow the same rules.
func TestUnitPagesAcrossProvinces(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		c := f.Login("coord@t.vn")
		z1 := fmt.Sprint(f.Units["Z1"])
		status, body := c.Get("/units/" + z1)
		if status != http.StatusOK || strings.Contains(body, "z1@t.vn") || !strings.Contains(body, `id="unit-private-hidden"`) || strings.Contains(body, `id="unit-edit"`) {
			t.Errorf("coordinator of 40 on Z1's page: %d", status)
		}
		for _, p := range []string{"/units/" + z1 + "/edit", "/units/" + z1 + "/move", "/units/new?parent=" + z1} {
			if status, _ := c.Get(p); status != http.StatusForbidden {
				t.Errorf("GET %s: %d, want 403", p, status)
			}
		}
		csrf := c.CSRF("/units")
		status, body = c.PostForm("/units/new", csrf, unitTestForm("Z1", "Z1-LEN", "Lén tạo"))
		if status != http.StatusForbidden || !unitTestInvalid(body, "unit-parent_code") {
			t.Errorf("create under Z1: %d", status)
		}
		merge := map[string][]string{"sources": {"Y1"}, "target_code": {"Z1"}, "date": {dates.Today().VN()}, "step": {"commit"}}
		status, body = c.PostForm("/units/merge", csrf, merge)
		if status != http.StatusForbidden || !unitTestInvalid(body, "unit-target_code") {
			t.Errorf("merge into Z1: %d", status)
		}
		if _, err := f.Store.UnitByCode(context.Background(), "Z1-LEN", dates.Today()); err == nil {
			t.Error("a refused form created a unit")
		}
		// The coordinator of 42 sees Z1's contacts and may edit it.
		status, body = f.Login("coord.z@t.vn").Get("/units/" + z1)
		if status != http.StatusOK || !strings.Contains(body, "z1@t.vn") || !strings.Contains(body, `id="unit-edit"`) {
			t.Errorf("coordinator of 42 on Z1's page: %d", status)
		}
	}, webtest.SecondProvince())
}
