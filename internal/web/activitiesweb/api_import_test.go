package activitiesweb_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/web/activitiesweb"
	"khienso/internal/web/webtest"
)

// apiImportRejection is the 422 body of a refused import.
type apiImportRejection struct {
	webtest.APIError
	Report activitiesweb.APIImportReport `json:"report"`
}

func TestAPIActivityImport(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		count := func() int {
			_, n, err := f.Store.Activities(ctx, store.ActivityFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		const path = "/api/v1/activities/import"
		header := []any{"Mã đơn vị", "Loại hoạt động", "Tên hoạt động", "Kênh", "Ngày bắt đầu", "Đối tượng", "Số người tham gia"}
		good := activityTestXLSX(t, [][]any{header,
			{"X1", "Lop tap huan, boi duong", "Tập huấn phòng chống lừa đảo", "Trực tiếp", "10/03/2026", "Người dân", 80},
			{"X1-THCS", "news_article", "Bài viết về an toàn mạng", "web_portal", "2026-03-12", "pupils", ""},
		})
		bad := activityTestXLSX(t, [][]any{header,
			{"X1", "training_class", "Hợp lệ", "in_person", "11/03/2026", "citizens", 5},
			{"Y1", "training_class", "Đơn vị khác", "in_person", "11/03/2026", "citizens", 5},
			{"Z1", "training_class", "Tỉnh khác", "in_person", "11/03/2026", "citizens", 5},
			{"X1", "picnic", "Loại sai", "in_person", "11/03/2026", "citizens", 5},
		})

		// Refusals come before the file is read.
		status, body := f.APIUpload(path, "", nil, "a.xlsx", good)
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")
		status, body = f.APIUpload(path, "viewer.x@t.vn", nil, "a.xlsx", good)
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		status, body = f.APIUpload(path, "focal.x@t.vn", map[string]string{"skip_invalid": "1"}, "", nil)
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", "file")
		status, body = f.APIUpload(path, "focal.x@t.vn", nil, "big.csv", bytes.Repeat([]byte("x"), 11<<20))
		webtest.ExpectError(t, status, body, http.StatusRequestEntityTooLarge, "too_large")

		// A valid file is written whole.
		var rep activitiesweb.APIImportReport
		status, body = f.APIUpload(path, "focal.x@t.vn", nil, "hoat-dong.xlsx", good)
		webtest.Expect(t, status, body, http.StatusOK, &rep)
		if rep.Filename != "hoat-dong.xlsx" || rep.Rows != 2 || rep.Written != 2 || rep.Rejected || len(rep.Issues) != 0 || count() != 2 {
			t.Errorf("valid file: %+v, %d stored", rep, count())
		}

		// Invalid rows: nothing written, the report by row and column in both
		// languages, inside the usual error.
		var rej apiImportRejection
		status, body = f.APIUpload(path, "focal.x@t.vn", nil, "loi.xlsx", bad)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "import_rejected")
		webtest.Decode(t, body, &rej)
		r := rej.Report
		if !r.Rejected || r.Unreadable || r.Written != 0 || r.Rows != 4 || r.Invalid != 3 || len(r.Issues) != 3 || count() != 2 {
			t.Fatalf("invalid file: %+v, %d stored", r, count())
		}
		for i, want := range []struct {
			row         int
			cell, value string
		}{{3, "A", "Y1"}, {4, "A", "Z1"}, {5, "B", "picnic"}} {
			is := r.Issues[i]
			if is.Row != want.row || is.Cell != want.cell || is.Value != want.value || is.ReasonVI == "" || is.ReasonEN == "" || is.ReasonVI == is.ReasonEN {
				t.Errorf("issue %d: %+v, want row %d cell %s value %s", i, is, want.row, want.cell, want.value)
			}
		}
		if !strings.Contains(r.Issues[0].ReasonEN, "outside") {
			t.Errorf("out-of-scope reason: %q", r.Issues[0].ReasonEN)
		}

		// skip_invalid writes the valid row, as the page's checkbox does.
		status, body = f.APIUpload(path, "focal.x@t.vn", map[string]string{"skip_invalid": "1"}, "loi.xlsx", bad)
		webtest.Expect(t, status, body, http.StatusOK, &rep)
		if rep.Written != 1 || rep.Invalid != 3 || !rep.SkipInvalid || rep.Rejected || count() != 3 {
			t.Errorf("skip invalid: %+v, %d stored", rep, count())
		}

		// An unreadable file.
		status, body = f.APIUpload(path, "focal.x@t.vn", nil, "a.csv", []byte("title\nX\n"))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "import_rejected")
		webtest.Decode(t, body, &rej)
		if !rej.Report.Unreadable || len(rej.Report.Issues) == 0 || !strings.Contains(rej.Report.Issues[0].ReasonVI, "Mã đơn vị") {
			t.Errorf("unreadable file: %+v", rej.Report)
		}

		// Another province's coordinator may not import for Nghệ An.
		status, body = f.APIUpload(path, "coord.z@t.vn", nil, "a.xlsx", good)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "import_rejected")
		webtest.Decode(t, body, &rej)
		if rej.Report.Invalid != 2 || count() != 3 {
			t.Errorf("coord.z importing X1: %+v", rej.Report)
		}
	}, webtest.SecondProvince())
}

func TestAPIActivityImportTemplate(t *testing.T) {
	f := webtest.New(t, store.SQLite)
	const path = "/api/v1/activities/import/template.xlsx"
	status, ctype, data := f.APIDownload(path, "focal.x@t.vn")
	if status != http.StatusOK || !strings.HasPrefix(ctype, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") || !bytes.HasPrefix(data, []byte("PK")) {
		t.Errorf("template: %d %s", status, ctype)
	}
	status, _, data = f.APIDownload(path, "viewer.x@t.vn")
	webtest.ExpectError(t, status, string(data), http.StatusForbidden, "forbidden")
	status, _, data = f.APIDownload(path, "")
	webtest.ExpectError(t, status, string(data), http.StatusUnauthorized, "unauthorized")
}

// TestActivitiesTwoProvinces checks that a coordinator reaches their own
// province's activities only, through the API and the pages.
func TestActivitiesTwoProvinces(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		today := dates.Today().ISO()
		body := func(unit string) string {
			return fmt.Sprintf(`{"unit_id": %d, "type": "seminar", "title": "Hội nghị ATTT %s", "channel": "in_person", "start": %q,
				"audiences": ["civil_servants"], "participants": 20}`, f.Units[unit], unit, today)
		}
		var x1, z1 activitiesweb.APIActivity
		status, got := f.API("POST", "/api/v1/activities", "focal.x@t.vn", body("X1"))
		webtest.Expect(t, status, got, http.StatusCreated, &x1)
		status, got = f.API("POST", "/api/v1/activities", "focal.z@t.vn", body("Z1"))
		webtest.Expect(t, status, got, http.StatusCreated, &z1)

		for _, c := range []struct {
			user       string
			own, other activitiesweb.APIActivity
		}{{"coord@t.vn", x1, z1}, {"coord.z@t.vn", z1, x1}} {
			var list struct {
				Items []activitiesweb.APIActivity `json:"items"`
				Total int                         `json:"total"`
			}
			status, got := f.API("GET", "/api/v1/activities", c.user, "")
			webtest.Expect(t, status, got, http.StatusOK, &list)
			if list.Total != 1 || list.Items[0].ID != c.own.ID {
				t.Errorf("%s lists %s", c.user, got)
			}
			path := fmt.Sprintf("/api/v1/activities/%d", c.other.ID)
			for _, m := range []string{"GET", "PATCH", "DELETE"} {
				b := ""
				if m == "PATCH" {
					b = `{"title": "Sửa hộ"}`
				}
				status, got := f.API(m, path, c.user, b)
				webtest.ExpectError(t, status, got, http.StatusNotFound, "not_found")
			}
			status, got = f.API("GET", fmt.Sprintf("/api/v1/activities?unit=%d", c.other.UnitID), c.user, "")
			webtest.ExpectError(t, status, got, http.StatusForbidden, "forbidden")
			status, got = f.API("PATCH", fmt.Sprintf("/api/v1/activities/%d", c.own.ID), c.user, fmt.Sprintf(`{"unit_id": %d}`, c.other.UnitID))
			webtest.ExpectError(t, status, got, http.StatusForbidden, "forbidden")
		}
		status, got = f.API("POST", "/api/v1/activities", "coord@t.vn", body("Z1"))
		webtest.ExpectError(t, status, got, http.StatusForbidden, "forbidden")

		// The pages: the list, its unit filter and the form's unit select
		// stay within the province.
		co := f.Login("coord@t.vn")
		_, page := co.Get("/activities")
		if !strings.Contains(page, fmt.Sprintf(`id="activity-%d"`, x1.ID)) || strings.Contains(page, fmt.Sprintf(`id="activity-%d"`, z1.ID)) {
			t.Error("the coordinator's list should show X1's activity and not Z1's")
		}
		_, form := co.Get("/activities/new")
		// The filter names units with their codes, the form's picker by name.
		for _, c := range []struct{ page, x1 string }{{page, "Xã Nghi Phong (X1)"}, {form, `data-code="X1">Xã Nghi Phong<`}} {
			if !strings.Contains(c.page, c.x1) || strings.Contains(c.page, "Xã Cẩm Xuyên") {
				t.Error("unit choices should be Nghệ An's only")
			}
		}
		csrf := webtest.CSRFOf(t, form)
		status, _ = co.PostForm("/activities/new", csrf, activityTestForm(f.Units["Z1"], "Ghi hộ tỉnh khác", 5, nil))
		if status != http.StatusForbidden {
			t.Errorf("coordinator recording for Z1 through the form: %d, want 403", status)
		}
		if status, _ := co.Get(fmt.Sprintf("/activities/%d", z1.ID)); status != http.StatusNotFound {
			t.Errorf("coordinator reading Z1's activity page: %d, want 404", status)
		}
		status, _ = co.PostForm(fmt.Sprintf("/activities/%d/delete", z1.ID), csrf, url.Values{})
		if status != http.StatusNotFound {
			t.Errorf("coordinator deleting Z1's activity: %d, want 404", status)
		}
	}, webtest.SecondProvince())
}

// TestActivitySearchLiteral checks that "%" and "_" typed in a search find
// only the activities whose title has them, on the page and the API.
func TestActivitySearchLiteral(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		today := dates.Today().ISO()
		ids := map[string]int64{}
		for _, title := range []string{"Giảm 50% vụ lừa đảo", "Chiến dịch ATTT_2026", "Tập huấn thường niên"} {
			var a activitiesweb.APIActivity
			status, got := f.API("POST", "/api/v1/activities", "focal.x@t.vn", fmt.Sprintf(`{"unit_id": %d, "type": "seminar",
				"title": %q, "channel": "in_person", "start": %q, "audiences": ["citizens"]}`, f.Units["X1"], title, today))
			webtest.Expect(t, status, got, http.StatusCreated, &a)
			ids[title] = a.ID
		}
		fx := f.Login("focal.x@t.vn")
		for q, want := range map[string]string{"%": "Giảm 50% vụ lừa đảo", "_": "Chiến dịch ATTT_2026"} {
			var list struct {
				Items []activitiesweb.APIActivity `json:"items"`
				Total int                         `json:"total"`
			}
			status, got := f.API("GET", "/api/v1/activities?q="+url.QueryEscape(q), "focal.x@t.vn", "")
			webtest.Expect(t, status, got, http.StatusOK, &list)
			if list.Total != 1 || list.Items[0].Title != want {
				t.Errorf("API ?q=%s: %s", q, got)
			}
			_, page := fx.Get("/activities?q=" + url.QueryEscape(q))
			for title, id := range ids {
				if shown := strings.Contains(page, fmt.Sprintf(`id="activity-%d"`, id)); shown != (title == want) {
					t.Errorf("page ?q=%s shows %q: %v", q, title, shown)
				}
			}
		}
	})
}
