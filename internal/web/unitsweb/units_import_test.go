package unitsweb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"khienso/internal/web/webtest"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/store"
	"khienso/internal/units"
)

// importUpload posts a file to the import form as a browser would and
// returns the status and the redirect target.
func importUpload(c *webtest.Client, csrf, filename string, data []byte, skip bool) (int, string, string) {
	c.F.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf_token", csrf)
	if skip {
		_ = mw.WriteField("skip_invalid", "1")
	}
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		c.F.T.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.F.Server.URL+"/units/import", &body)
	if err != nil {
		c.F.T.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.F.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// importWait polls a job's status until it finishes and returns the job
// page.
func importWait(c *webtest.Client, jobURL string) string {
	c.F.T.Helper()
	for range 600 {
		status, body := c.Get(jobURL + "/status")
		if status != http.StatusOK {
			c.F.T.Fatalf("GET %s/status: %d %s", jobURL, status, body)
		}
		var s struct {
			Status    string `json:"status"`
			Processed int    `json:"processed"`
			Total     int    `json:"total"`
			Finished  bool   `json:"finished"`
		}
		if err := json.Unmarshal([]byte(body), &s); err != nil {
			c.F.T.Fatalf("status JSON %q: %v", body, err)
		}
		if s.Processed > s.Total && s.Total > 0 {
			c.F.T.Errorf("progress %d/%d", s.Processed, s.Total)
		}
		if s.Finished {
			status, page := c.Get(jobURL)
			if status != http.StatusOK {
				c.F.T.Fatalf("GET %s: %d", jobURL, status)
			}
			return html.UnescapeString(page)
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.F.T.Fatalf("job %s did not finish", jobURL)
	return ""
}

const importTestFile = "Mã,Tên,Loại,Cấp học,Mã đơn vị cấp trên,Email đầu mối,Hiệu lực từ\r\n" +
	"X1-TH,Trường Tiểu học Nghi Phong,Trường học,Tiểu học,X1,th@t.vn,01/09/2024\r\n" +
	"X1-MN,Trường Mầm non Nghi Phong,Trường học,Tiểu học,X9,,01/09/2024\r\n" +
	"Y1-VH,Nhà văn hóa Vinh Phú,other,,Y1,,31/02/2024\r\n"

func TestImportUnitsWeb(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		c := f.Login("coord@t.vn")
		status, page := c.Get("/units/import")
		if status != http.StatusOK || !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, `name="skip_invalid"`) {
			t.Fatalf("import page: %d", status)
		}
		before, _ := f.Store.UnitCount(ctx)

		// All or nothing: two bad rows, nothing written, a report in both languages.
		status, loc, _ := importUpload(c, webtest.CSRFOf(t, page), "don-vi.csv", []byte(importTestFile), false)
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/units/import/jobs/") {
			t.Fatalf("upload: %d %q", status, loc)
		}
		report := importWait(c, loc)
		for _, want := range []string{
			`id="import-rejected"`, `id="import-report"`, "don-vi.csv",
			"<td>3</td>", "E — Mã đơn vị cấp trên", "X9",
			i18n.VI.T("import.err.parent_unknown", "X9"), i18n.EN.T("import.err.parent_unknown", "X9"),
			"<td>4</td>", "G — Hiệu lực từ", "31/02/2024",
			i18n.VI.T("import.err.date"), i18n.EN.T("import.err.date"),
		} {
			if !strings.Contains(report, want) {
				t.Errorf("the report should contain %q", want)
			}
		}
		if strings.Contains(report, "<td>2</td>") {
			t.Error("the valid row 2 should not be in the report")
		}
		if n, _ := f.Store.UnitCount(ctx); n != before {
			t.Fatalf("a rejected file wrote %d units", n-before)
		}

		// Skip invalid rows: the good row is written, the summary says so.
		status, loc, _ = importUpload(c, c.CSRF("/units/import"), "don-vi.csv", []byte(importTestFile), true)
		if status != http.StatusSeeOther {
			t.Fatalf("upload with skip: %d", status)
		}
		summary := importWait(c, loc)
		if !strings.Contains(summary, `id="import-summary"`) || !strings.Contains(summary, i18n.VI.T("import.summary.written", "1", "3")) ||
			!strings.Contains(summary, `id="import-skipped">2<`) || !strings.Contains(summary, `id="import-report"`) {
			t.Errorf("summary page:\n%s", summary)
		}
		if n, _ := f.Store.UnitCount(ctx); n != before+1 {
			t.Fatalf("skip invalid: %d units written, want 1", n-before)
		}
		u, err := f.Store.UnitByCode(ctx, "X1-TH", dates.Today())
		if err != nil || u.ParentID != f.Units["X1"] || u.SchoolLevel != units.LevelPrimary {
			t.Fatalf("imported unit: %+v %v", u, err)
		}

		// A file that cannot be read.
		status, loc, _ = importUpload(c, c.CSRF("/units/import"), "cu.xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), true)
		if status != http.StatusSeeOther {
			t.Fatalf("upload xls: %d", status)
		}
		if page := importWait(c, loc); !strings.Contains(page, i18n.VI.T("import.err.xls")) || !strings.Contains(page, i18n.EN.T("import.err.xls")) {
			t.Errorf("an .xls file should be refused clearly")
		}

		// No file at all.
		status, _, body := importUpload(c, c.CSRF("/units/import"), "", nil, false)
		if status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), i18n.VI.T("import.form.no_file")) {
			t.Errorf("upload without a file: %d", status)
		}

		// The recent imports are listed on the form.
		if _, page := c.Get("/units/import"); !strings.Contains(page, loc) {
			t.Errorf("the import page should list job %s", loc)
		}
	})
}

// While a job runs, its page refreshes itself without JavaScript and shows
// a progress bar; the status is JSON.
func TestImportJobProgressPage(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		job := &store.ImportJob{UserID: f.Users["coord@t.vn"], Kind: "units", Filename: "lớn.csv", Status: store.JobRunning, Total: 200, Processed: 50}
		if err := f.Store.CreateImportJob(ctx, job); err != nil {
			t.Fatal(err)
		}
		jobURL := "/units/import/jobs/" + strconv.FormatInt(job.ID, 10)
		c := f.Login("coord@t.vn")
		status, page := c.Get(jobURL)
		if status != http.StatusOK {
			t.Fatalf("job page: %d", status)
		}
		for _, want := range []string{`<meta http-equiv="refresh" content="2">`, `<progress id="import-bar" max="100" value="25">`,
			`<script src="/static/import.js" defer></script>`, `data-status-url="` + jobURL + `/status"`} {
			if !strings.Contains(page, want) {
				t.Errorf("running job page should contain %q", want)
			}
		}
		status, body := c.Get(jobURL + "/status")
		var s map[string]any
		if status != http.StatusOK || json.Unmarshal([]byte(body), &s) != nil || s["status"] != "running" || s["processed"] != 50.0 || s["total"] != 200.0 || s["finished"] != false {
			t.Errorf("status: %d %s", status, body)
		}
		// Admins may follow any job; others may not see it exists.
		if status, _ := f.Login("admin@t.vn").Get(jobURL); status != http.StatusOK {
			t.Errorf("admin on a coordinator's job: %d", status)
		}
		for _, u := range []string{"focal.x@t.vn", "viewer.x@t.vn"} {
			if status, _ := f.Login(u).Get(jobURL + "/status"); status != http.StatusNotFound {
				t.Errorf("%s on another user's job: %d, want 404", u, status)
			}
		}
		if status, _ := c.Get("/units/import/jobs/999999"); status != http.StatusNotFound {
			t.Errorf("missing job: %d", status)
		}
	})
}

func TestExportUnitsWeb(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		c := f.Login("coord@t.vn")
		for _, format := range []units.Format{units.FormatCSV, units.FormatXLSX} {
			resp, err := c.HTTP.Get(f.Server.URL + "/units/export?format=" + string(format) + "&date=" + url.QueryEscape(dates.Today().VN()))
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment; filename=\"don-vi-") ||
				resp.Header.Get("Content-Type") != format.ContentType() {
				t.Fatalf("%s export: %d %v", format, resp.StatusCode, resp.Header)
			}
			sheet, err := units.ParseFile("export."+string(format), bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s export does not parse: %v", format, err)
			}
			if len(sheet.Rows) != len(f.Units) {
				t.Errorf("%s export: %d rows, want %d", format, len(sheet.Rows), len(f.Units))
			}
			if format == units.FormatCSV && !bytes.Contains(data, []byte("X1-THCS,Trường THCS Nghi Phong,,Trường học,Trung học cơ sở,X1,,Cán bộ X1-THCS,0912345678,x1-thcs@t.vn,25,,2025,01/01/2021")) {
				t.Errorf("CSV export:\n%s", data)
			}
			// The export imports back without changing anything.
			_, audit0, _ := f.Store.AuditLog(ctx, audit.Filter{Limit: 1})
			status, loc, _ := importUpload(c, c.CSRF("/units/import"), "export."+string(format), data, false)
			if status != http.StatusSeeOther {
				t.Fatalf("re-import: %d", status)
			}
			page := importWait(c, loc)
			if !strings.Contains(page, i18n.VI.T("import.summary.written", "0", len(f.Units))) || strings.Contains(page, `id="import-report"`) {
				t.Errorf("%s round trip:\n%s", format, page)
			}
			if _, audit1, _ := f.Store.AuditLog(ctx, audit.Filter{Limit: 1}); audit1 != audit0 {
				t.Errorf("%s round trip wrote %d audit entries", format, audit1-audit0)
			}
		}
		// The template is a workbook with every column and no rows.
		resp, err := c.HTTP.Get(f.Server.URL + "/units/import/template.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if sheet, err := units.ParseFile("mau.xlsx", bytes.NewReader(data)); resp.StatusCode != http.StatusOK || err != nil || len(sheet.Columns) != len(units.Columns()) {
			t.Errorf("template: %d %v", resp.StatusCode, err)
		}
		for _, q := range []string{"format=pdf", "date=31/02/2025", "date=hôm-nay"} {
			if status, _ := c.Get("/units/export?" + q); status != http.StatusBadRequest {
				t.Errorf("export ?%s: %d, want 400", q, status)
			}
		}
	})
}

// Only province-wide importers (admins, coordinators) may import or export.
func TestImportAccess(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		focal := f.Login("focal.x@t.vn")
		csrf := focal.CSRF("/")
		for _, path := range []string{"/units/import", "/units/export?format=xlsx", "/units/export?format=csv", "/units/import/template.xlsx"} {
			if status, _ := focal.Get(path); status != http.StatusForbidden {
				t.Errorf("focal.x GET %s: %d, want 403", path, status)
			}
		}
		if status, _, _ := importUpload(focal, csrf, "a.csv", []byte(importTestFile), true); status != http.StatusForbidden {
			t.Errorf("focal.x upload: %d, want 403", status)
		}
		if n, _ := f.Store.UnitCount(context.Background()); n != len(f.Units) {
			t.Errorf("a forbidden upload wrote units")
		}
		anon := f.Login("")
		if status, _ := anon.Get("/units/export?format=csv"); status != http.StatusSeeOther {
			t.Errorf("anonymous export: %d, want a redirect to the login page", status)
		}
		for _, u := range []string{"admin@t.vn", "coord@t.vn"} {
			if status, _ := f.Login(u).Get("/units/import"); status != http.StatusOK {
				t.Errorf("%s GET /units/import: %d", u, status)
			}
		}
		// A bad CSRF token is refused before anything is read.
		coord := f.Login("coord@t.vn")
		// A file over the limit is refused with the form and a message.
		big := bytes.Repeat([]byte("X1,Xã Nghi Phong\n"), units.MaxImportBytes/17+1)
		if status, _, body := importUpload(coord, coord.CSRF("/units/import"), "lon.csv", big, false); status != http.StatusRequestEntityTooLarge ||
			!strings.Contains(html.UnescapeString(body), i18n.VI.T("import.err.too_large", 20)) {
			t.Errorf("upload over 20 MB: %d", status)
		}
		if status, _, _ := importUpload(coord, "wrong", "a.csv", []byte(importTestFile), true); status != http.StatusForbidden {
			t.Errorf("upload with a bad CSRF token: %d", status)
		}
	})
}
