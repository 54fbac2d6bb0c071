package reportsweb_test

import (
	"context"
	"fmt"
	"khienso/internal/web/webtest"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/reports"
	"khienso/internal/store"
)

// invalid reports whether the input with id is marked invalid on a page.
func invalid(body, id string) bool {
	return regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*aria-invalid="true"`).MatchString(body)
}

// reportTestTemplate installs the standard template, as the integrator does
// at start.
func reportTestTemplate(f *webtest.Fixture) int64 {
	f.T.Helper()
	tpl := reports.Standard()
	if err := f.Store.SaveReportTemplate(context.Background(), audit.System, &tpl); err != nil {
		f.T.Fatalf("install the standard template: %v", err)
	}
	return tpl.ID
}

// reportTestRound creates, through the form, a round of all communes with a
// deadline in the past, and returns its id.
func reportTestRound(t *testing.T, c *webtest.Client, tpl int64, title string) int64 {
	t.Helper()
	status, body := c.PostForm("/reports/rounds/new", c.CSRF("/reports/rounds/new"), url.Values{
		"template": {fmt.Sprint(tpl)}, "title": {title}, "from": {"01/01/2025"}, "to": {"31/12/2025"},
		"deadline": {"05/12/2025"}, "status": {"open"}, "types": {"commune"}})
	if status != http.StatusSeeOther {
		t.Fatalf("create round: %d %s", status, body)
	}
	rounds, err := c.F.Store.Rounds(context.Background(), store.RoundFilter{})
	if err != nil || len(rounds) == 0 {
		t.Fatalf("rounds: %v", err)
	}
	for _, r := range rounds {
		if r.Title == title {
			return r.ID
		}
	}
	t.Fatalf("round %q not stored", title)
	return 0
}

// reportTestFull is a complete submission of the standard template.
func reportTestFull(extra url.Values) url.Values {
	v := url.Values{}
	for i, f := range reports.Standard().Fields {
		v.Set("v-"+f.Code, fmt.Sprint(i+1))
	}
	for _, s := range reports.Standard().Sections {
		v.Set("n-"+s.Code, "Nội dung "+s.Code+" của xã")
	}
	for k, vs := range extra {
		v[k] = vs
	}
	return v
}

func TestReportTemplates(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		c := f.Login("coord@t.vn")
		form := url.Values{"name": {"Báo cáo quý"}, "f_count": {"2"}, "s_count": {"1"},
			"f_0_code": {"classes"}, "f_0_label": {"Số lớp"}, "f_0_unit": {"lớp"}, "f_0_prefill": {"count(type="},
			"s_0_code": {"results"}, "s_0_label": {"Kết quả"}}
		status, body := c.PostForm("/reports/templates/new", c.CSRF("/reports/templates/new"), form)
		if status != http.StatusUnprocessableEntity || !invalid(body, "f-0-prefill") || !strings.Contains(body, `value="Số lớp"`) {
			t.Fatalf("a bad prefill formula should re-show the form with the error: %d", status)
		}
		// "add rows" keeps the input and adds empty rows.
		form.Set("more", "1")
		status, body = c.PostForm("/reports/templates/new", webtest.CSRFOf(t, body), form)
		if status != http.StatusOK || !strings.Contains(body, `name="f_4_code"`) || !strings.Contains(body, `value="Báo cáo quý"`) {
			t.Fatalf("add rows: %d", status)
		}
		form.Del("more")
		form.Set("f_0_prefill", "count(type=training_class)")
		form.Set("f_1_code", "Bad Code")
		form.Set("f_1_label", "X")
		status, body = c.PostForm("/reports/templates/new", webtest.CSRFOf(t, body), form)
		if status != http.StatusUnprocessableEntity || !invalid(body, "f-1-code") {
			t.Fatalf("a bad code should be rejected: %d", status)
		}
		form.Set("f_1_code", "")
		form.Set("f_1_label", "")
		status, _ = c.PostForm("/reports/templates/new", webtest.CSRFOf(t, body), form)
		if status != http.StatusSeeOther {
			t.Fatalf("valid template: %d", status)
		}
		list, _ := f.Store.ReportTemplates(context.Background())
		if len(list) != 1 || len(list[0].Fields) != 1 || list[0].Fields[0].Prefill != "count(type=training_class)" || len(list[0].Sections) != 1 {
			t.Fatalf("stored template: %+v", list)
		}
		status, body = c.Get(fmt.Sprintf("/reports/templates/%d", list[0].ID))
		if status != http.StatusOK || !strings.Contains(body, `value="classes"`) {
			t.Errorf("edit form: %d", status)
		}
		fx := f.Login("focal.x@t.vn")
		for _, path := range []string{"/reports/templates", "/reports/templates/new", "/reports/rounds/new"} {
			if status, _ := fx.Get(path); status != http.StatusForbidden {
				t.Errorf("focal point GET %s: %d, want 403", path, status)
			}
		}
	})
}

func TestReportWorkflow(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		tpl := reportTestTemplate(f)
		coord := f.Login("coord@t.vn")

		// Round validation: no units, bad date.
		status, body := coord.PostForm("/reports/rounds/new", coord.CSRF("/reports/rounds/new"), url.Values{
			"template": {fmt.Sprint(tpl)}, "title": {"Sai"}, "from": {"xx"}, "to": {"31/12/2025"}, "deadline": {"05/12/2025"}, "status": {"open"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "form-errors") {
			t.Fatalf("invalid round: %d", status)
		}
		round := reportTestRound(t, coord, tpl, "Báo cáo năm 2025")
		x1, y1 := f.Units["X1"], f.Units["Y1"]
		rd, _ := f.Store.Round(context.Background(), round)
		if len(rd.Units) != 2 {
			t.Fatalf("the communes X1 and Y1 must report, got %v", rd.Units)
		}
		status, body = coord.Get(fmt.Sprintf("/reports/rounds/%d", round))
		if status != http.StatusOK || !strings.Contains(body, `id="round-submitted">0<`) || !strings.Contains(body, `id="round-late">2<`) {
			t.Fatalf("round page before any report: %d", status)
		}

		subPath := fmt.Sprintf("/reports/rounds/%d/units/%d", round, x1)
		fx := f.Login("focal.x@t.vn")
		status, body = fx.Get("/reports")
		if status != http.StatusOK || !strings.Contains(body, `href="`+subPath+`"`) || !strings.Contains(body, "Chưa báo cáo") {
			t.Fatalf("focal point's report list: %d", status)
		}
		status, body = fx.Get(subPath)
		if status != http.StatusOK || !strings.Contains(body, `id="sub-form"`) {
			t.Fatalf("submission form: %d", status)
		}
		csrf := webtest.CSRFOf(t, body)

		// Other units and non-submitters.
		fy := f.Login("focal.y@t.vn")
		if status, _ := fy.Get(subPath); status != http.StatusForbidden {
			t.Errorf("focal.y reads X1's report: %d, want 403", status)
		}
		if status, _ := fy.PostForm(subPath, fy.CSRF("/reports"), reportTestFull(url.Values{"action": {"save"}})); status != http.StatusForbidden {
			t.Errorf("focal.y saves X1's report: %d, want 403", status)
		}
		// The round's page is the reviewers'; a unit reporting in it (the
		// reminders link there) is sent to its own report.
		if status, loc := fy.Location(fmt.Sprintf("/reports/rounds/%d", round)); status != http.StatusSeeOther ||
			loc != fmt.Sprintf("/reports/rounds/%d/units/%d", round, y1) {
			t.Errorf("focal.y opens the round page: %d %s, want a redirect to Y1's report", status, loc)
		}
		if status, _ := f.Login("police@t.vn").Get(fmt.Sprintf("/reports/rounds/%d", round)); status != http.StatusForbidden {
			t.Errorf("police opens the round page: %d, want 403", status)
		}
		// The unit submits, a reviewer reviews: the coordinator reads X1's
		// report but may not fill it, even by posting the form.
		status, body = coord.Get(subPath)
		if status != http.StatusOK || strings.Contains(body, `id="sub-form"`) {
			t.Errorf("the coordinator should see X1's report read-only: %d", status)
		}
		for _, action := range []string{"save", "submit"} {
			status, body := coord.PostForm(subPath, coord.CSRF("/reports"), reportTestFull(url.Values{"action": {action}}))
			if status != http.StatusForbidden || !strings.Contains(body, "trả lại cho đơn vị") {
				t.Errorf("coordinator %ss X1's report: %d, want 403 saying to return it to the unit", action, status)
			}
		}
		if sub, _ := f.Store.Submission(context.Background(), round, x1); sub.Status != reports.StatusMissing {
			t.Fatalf("the coordinator's post changed X1's report to %s", sub.Status)
		}
		vx := f.Login("viewer.x@t.vn")
		if status, _ := vx.PostForm(subPath, vx.CSRF("/reports"), reportTestFull(url.Values{"action": {"save"}})); status != http.StatusForbidden {
			t.Errorf("viewer saves: %d, want 403", status)
		}
		if status, _ := fx.PostForm(subPath, csrf, url.Values{"action": {"accept"}}); status != http.StatusForbidden {
			t.Errorf("focal point accepts: %d, want 403", status)
		}

		steps := []struct {
			name   string
			c      *webtest.Client
			form   url.Values
			status int
			want   reports.Status
			check  string
		}{
			{"save partial", fx, url.Values{"action": {"save"}, "v-materials": {"1.234"}, "n-results": {"Đã làm"}}, http.StatusSeeOther, reports.StatusDraft, ""},
			{"submit incomplete", fx, url.Values{"action": {"submit"}, "v-materials": {"12"}}, http.StatusUnprocessableEntity, reports.StatusDraft, `id="v-directives"`},
			{"bad number", fx, reportTestFull(url.Values{"action": {"submit"}, "v-classes": {"nhiều"}}), http.StatusUnprocessableEntity, reports.StatusDraft, `id="v-classes"`},
			{"submit", fx, reportTestFull(url.Values{"action": {"submit"}, "v-trainees": {"1.500,5"}}), http.StatusSeeOther, reports.StatusSubmitted, ""},
			{"submit again", fx, reportTestFull(url.Values{"action": {"submit"}}), http.StatusConflict, reports.StatusSubmitted, ""},
			{"return without comment", coord, url.Values{"action": {"return"}}, http.StatusUnprocessableEntity, reports.StatusSubmitted, `id="report-comment"`},
			{"return", coord, url.Values{"action": {"return"}, "comment": {"Bổ sung số liệu lớp học"}}, http.StatusSeeOther, reports.StatusReturned, ""},
			{"accept returned", coord, url.Values{"action": {"accept"}}, http.StatusConflict, reports.StatusReturned, "report-conflict"},
			{"resubmit", fx, reportTestFull(url.Values{"action": {"submit"}}), http.StatusSeeOther, reports.StatusSubmitted, ""},
			{"accept", coord, url.Values{"action": {"accept"}}, http.StatusSeeOther, reports.StatusAccepted, ""},
		}
		for _, st := range steps {
			// A submitted report has no form for the unit; post anyway with a token from another page.
			status, body := st.c.PostForm(subPath, st.c.CSRF("/reports"), st.form)
			if status != st.status {
				t.Errorf("%s: status %d, want %d", st.name, status, st.status)
			}
			if st.check != "" && !strings.Contains(body, st.check) {
				t.Errorf("%s: page lacks %s", st.name, st.check)
			}
			if st.check != "" && st.check != "report-conflict" && !invalid(body, strings.TrimSuffix(strings.TrimPrefix(st.check, `id="`), `"`)) {
				t.Errorf("%s: %s not marked invalid", st.name, st.check)
			}
			sub, err := f.Store.Submission(context.Background(), round, x1)
			if err != nil {
				t.Fatal(err)
			}
			if sub.Status != st.want {
				t.Errorf("%s: status %s, want %s", st.name, sub.Status, st.want)
			}
			if st.name == "save partial" && sub.Values["materials"] != 1234 {
				t.Errorf("1.234 should read as one thousand two hundred thirty-four, got %v", sub.Values["materials"])
			}
			if st.name == "submit" && sub.Values["trainees"] != 1500.5 {
				t.Errorf("1.500,5 read as %v", sub.Values["trainees"])
			}
			if st.name == "return" {
				_, page := fx.Get(subPath)
				if !strings.Contains(page, "Bổ sung số liệu lớp học") || !strings.Contains(page, `id="sub-form"`) {
					t.Error("the unit should see the comment and be able to resubmit")
				}
			}
		}
		sub, _ := f.Store.Submission(context.Background(), round, x1)
		events, _ := f.Store.ReportEvents(context.Background(), sub.ID)
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, ","); got != "save,submit,return,submit,accept" {
			t.Errorf("history %s", got)
		}
		_, body = fx.Get(subPath)
		_, hist, found := strings.Cut(body, `<ol id="sub-history">`)
		hist, _, _ = strings.Cut(hist, "</ol>")
		if !found || strings.Count(hist, "<li>") != 5 || strings.Contains(body, `id="sub-form"`) {
			t.Errorf("the accepted report should show read-only with its 5 history steps, got %d", strings.Count(hist, "<li>"))
		}

		// Completeness: one of two submitted, both late (deadline passed).
		status, body = coord.Get(fmt.Sprintf("/reports/rounds/%d", round))
		for _, want := range []string{`id="round-required">2<`, `id="round-submitted">1<`, `id="round-late">2<`, "1/2", "Đã tiếp nhận"} {
			if !strings.Contains(body, want) {
				t.Errorf("round page lacks %s", want)
			}
		}
		_, body = coord.Get(fmt.Sprintf("/reports/rounds/%d?status=missing", round))
		if !strings.Contains(body, fmt.Sprintf(`id="round-unit-%d"`, y1)) || strings.Contains(body, fmt.Sprintf(`id="round-unit-%d"`, x1)) {
			t.Error("the status filter should list only Y1")
		}
		_, body = coord.Get("/reports")
		if !strings.Contains(body, "1/2") || !strings.Contains(body, `id="report-new-round"`) {
			t.Error("the reviewer's list should show completeness and the new round button")
		}

		// Closing the round stops submissions.
		if status, _ := coord.PostForm(fmt.Sprintf("/reports/rounds/%d/status", round), coord.CSRF("/reports"), url.Values{"status": {"closed"}}); status != http.StatusSeeOther {
			t.Fatalf("close round: %d", status)
		}
		ypath := fmt.Sprintf("/reports/rounds/%d/units/%d", round, y1)
		status, body = fy.PostForm(ypath, fy.CSRF("/reports"), reportTestFull(url.Values{"action": {"save"}}))
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Đợt báo cáo đã đóng") {
			t.Errorf("saving in a closed round: %d", status)
		}
		// A unit outside the round.
		if status, _ := coord.Get(fmt.Sprintf("/reports/rounds/%d/units/%d", round, f.Units["40-CA"])); status != http.StatusNotFound {
			t.Errorf("a unit outside the round: %d, want 404", status)
		}
	})
}
