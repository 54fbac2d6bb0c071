package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/validation"
	"khienso/internal/web"
)

func TestPageOf(t *testing.T) {
	all := []int{1, 2, 3, 4, 5}
	cases := []struct {
		limit, offset int
		want          []int
	}{
		{2, 0, []int{1, 2}},
		{2, 4, []int{5}},
		{10, 0, all},
		{2, 5, []int{}},
		{2, 99, []int{}},
	}
	for _, c := range cases {
		got := web.PageOf(all, c.limit, c.offset)
		if got == nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("PageOf(limit %d, offset %d) = %#v, want %v", c.limit, c.offset, got, c.want)
		}
	}
	if got := web.PageOf([]string(nil), 50, 0); got == nil || len(got) != 0 {
		t.Errorf("PageOf(nil) = %#v, want an empty page", got)
	}
	l := web.ListOf(all, 2, 2)
	if !reflect.DeepEqual(l.Items, []int{3, 4}) || l.Total != 5 || l.Limit != 2 || l.Offset != 2 {
		t.Errorf("ListOf = %+v", l)
	}
}

func TestISODate(t *testing.T) {
	cases := []struct {
		in     string
		want   dates.Date
		reason string // "" when fine
	}{
		{"2025-03-31", dates.MustParse("31/03/2025"), ""},
		{"", dates.Date{}, ""},
		{"31/03/2025", dates.Date{}, "api.err_iso_date"}, // the API takes ISO only
		{"2025-3-31", dates.Date{}, "api.err_iso_date"},
		{"2025-02-30", dates.Date{}, "api.err_iso_date"},
		{"2025-03-31x", dates.Date{}, "api.err_iso_date"},
	}
	for _, c := range cases {
		var errs validation.Errors
		got := web.ISODate("day", c.in, &errs)
		if got != c.want {
			t.Errorf("ISODate(%q) = %v, want %v", c.in, got, c.want)
		}
		switch {
		case c.reason == "" && len(errs) > 0:
			t.Errorf("ISODate(%q): unexpected %v", c.in, errs)
		case c.reason != "" && (len(errs) != 1 || errs[0].Field != "day" || errs[0].Reason != c.reason):
			t.Errorf("ISODate(%q): errors %v, want day: %s", c.in, errs, c.reason)
		}
	}
	var errs validation.Errors
	if d := web.QueryDate(url.Values{"from": {"2024-12-01"}}, "from", &errs); d != dates.MustParse("01/12/2024") || len(errs) > 0 {
		t.Errorf("QueryDate = %v, %v", d, errs)
	}
	if _, ok := web.ParseISODate("01/12/2024"); ok {
		t.Error("ParseISODate took dd/mm/yyyy")
	}
}

func TestParseID(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "7": 7, "0": 0, "-3": 0, "x": 0, "99999999999999999999": 0} {
		var errs validation.Errors
		got := web.ParseID("unit", in, &errs)
		bad := in != "" && want == 0
		if got != want || (len(errs) > 0) != bad {
			t.Errorf("ParseID(%q) = %d, %v", in, got, errs)
		}
		if bad && (errs[0].Field != "unit" || errs[0].Reason != "api.err_id") {
			t.Errorf("ParseID(%q): %v", in, errs)
		}
	}
	var errs validation.Errors
	if id := web.QueryID(url.Values{"root": {"12"}}, "root", &errs); id != 12 || len(errs) > 0 {
		t.Errorf("QueryID = %d, %v", id, errs)
	}
}

func TestChoices(t *testing.T) {
	type kind string
	l := i18n.EN
	got := web.Choices(l, []kind{"yearly", "due"}, "task.timeframe.", "due", "planimp.choose")
	want := []web.Option{
		{Value: "", Label: l.T("planimp.choose")},
		{Value: "yearly", Label: l.T("task.timeframe.yearly")},
		{Value: "due", Label: l.T("task.timeframe.due"), Selected: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Choices = %+v, want %+v", got, want)
	}
	if got := web.Choices(l, []kind{"yearly"}, "task.timeframe.", "", ""); len(got) != 1 || got[0].Selected {
		t.Errorf("Choices without a blank = %+v", got)
	}
}

func TestNamesOf(t *testing.T) {
	got := web.NamesOf(map[int64]string{1: "Sở A", 2: "Phòng B"}, []int64{2, 9, 1})
	if !reflect.DeepEqual(got, []string{"Phòng B", "#9", "Sở A"}) {
		t.Errorf("NamesOf = %v", got)
	}
}

// The JSON error of a constructed HTTPError: the status, code, message
// with its arguments, fields, and extra members after "error" in order.
func TestHTTPErrorBody(t *testing.T) {
	fail := func(err error) (*httptest.ResponseRecorder, string) {
		rec := httptest.NewRecorder()
		(&web.Server{}).Fail(rec, httptest.NewRequest(http.MethodPost, "/api/v1/x", nil), err)
		return rec, rec.Body.String()
	}
	l := i18n.Default
	rec, body := fail(web.NewHTTPError(http.StatusUnprocessableEntity, "import_rejected", "import.summary.rejected", nil).
		WithArgs("2", "10").With("report", map[string]int{"rows": 10}).With("z", 1))
	if rec.Code != http.StatusUnprocessableEntity || rec.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var got struct {
		Error struct {
			Code    string           `json:"code"`
			Message string           `json:"message"`
			Fields  []web.FieldError `json:"fields"`
		} `json:"error"`
		Report map[string]int `json:"report"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if got.Error.Code != "import_rejected" || got.Error.Message != l.T("import.summary.rejected", "2", "10") ||
		got.Error.Fields == nil || got.Report["rows"] != 10 {
		t.Errorf("body %s", body)
	}
	if e, r, z := strings.Index(body, `"error"`), strings.Index(body, `"report"`), strings.Index(body, `"z"`); !(e == 1 && e < r && r < z) {
		t.Errorf("members out of order: %s", body)
	}

	rec, body = fail(web.NewHTTPError(http.StatusForbidden, "forbidden", "err.forbidden",
		validation.Errors{{Field: "unit_id", Reason: "err.forbidden"}}))
	want := `{"error":{"code":"forbidden","message":"` + l.T("err.forbidden") + `","fields":[{"field":"unit_id","reason":"` + l.T("err.forbidden") + `"}]}}`
	if rec.Code != http.StatusForbidden || strings.TrimSpace(body) != want {
		t.Errorf("%d %s, want %s", rec.Code, body, want)
	}
}

func TestSendFileDisposition(t *testing.T) {
	for name, want := range map[string]string{
		"don-vi-2025-01-01.csv": `attachment; filename="don-vi-2025-01-01.csv"`,
		"biên bản.pdf":          `attachment; filename*=utf-8''bi%C3%AAn%20b%E1%BA%A3n.pdf`,
	} {
		rec := httptest.NewRecorder()
		web.SendFile(rec, "text/csv", name, []byte("a,b"))
		h := rec.Header()
		if h.Get("Content-Disposition") != want || h.Get("Content-Length") != "3" || h.Get("Cache-Control") != "no-store" ||
			h.Get("Content-Type") != "text/csv" || rec.Body.String() != "a,b" {
			t.Errorf("%s: headers %v", name, h)
		}
	}
}
