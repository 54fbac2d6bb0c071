package reportsweb_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"khienso/internal/reports"
	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// nationalNow is the national tests' clock: 15/06/2026 in Vietnam.
var nationalNow = time.Date(2026, 6, 15, 3, 0, 0, 0, time.UTC)

// nationalRounds is Nghệ An's round of its communes (X1 accepted, Y1
// submitted and not reviewed) and the national round of the provinces.
type nationalRounds struct {
	own, nat int64
}

func nationalSetup(t *testing.T, f *webtest.Fixture) nationalRounds {
	t.Helper()
	tpl := reportTestTemplate(f)
	r := nationalRounds{own: reportTestRound(t, f.Login("coord@t.vn"), tpl, "Báo cáo năm 2025 của các xã")}
	vn := f.Login("coord.vn@t.vn")
	status, body := vn.PostForm("/reports/rounds/new", vn.CSRF("/reports/rounds/new"), url.Values{
		"template": {fmt.Sprint(tpl)}, "title": {"Báo cáo năm 2025 của các tỉnh"}, "from": {"01/01/2025"}, "to": {"31/12/2025"},
		"deadline": {"15/12/2025"}, "status": {"open"}, "types": {"province_committee"}})
	if status != http.StatusSeeOther {
		t.Fatalf("national round: %d %s", status, body)
	}
	rounds, _ := f.Store.Rounds(context.Background(), store.RoundFilter{Unit: f.Units["42"]})
	if len(rounds) != 1 {
		t.Fatalf("Hà Tĩnh reports in %d rounds, want the national one", len(rounds))
	}
	r.nat = rounds[0].ID
	x, y := fmt.Sprintf("/api/v1/report-rounds/%d/submissions/%d", r.own, f.Units["X1"]), fmt.Sprintf("/api/v1/report-rounds/%d/submissions/%d", r.own, f.Units["Y1"])
	ignored := fullContent()
	for k := range ignored["values"].(map[string]float64) {
		ignored["values"].(map[string]float64)[k] = 1000
	}
	for _, c := range []struct{ user, path, body string }{
		{"focal.x@t.vn", x + "/submit", webtest.JSON(fullContent())},
		{"coord@t.vn", x + "/accept", ""},
		{"focal.y@t.vn", y + "/submit", webtest.JSON(ignored)},
	} {
		st, b := f.API("POST", c.path, c.user, c.body)
		webtest.Expect(t, st, b, http.StatusOK, nil)
	}
	return r
}

// TestNationalRoundFill: the province coordinator finds the national
// round among its reports, fills the province's answer from its own round
// (shown first for confirmation), submits it, and the national coordinator
// accepts it; nobody else may fill it.
func TestNationalRoundFill(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		r := nationalSetup(t, f)
		na := f.Units["40"]
		page := fmt.Sprintf("/reports/rounds/%d/units/%d", r.nat, na)
		coord := f.Login("coord@t.vn")
		if _, body := coord.Get("/reports"); !strings.Contains(body, `href="`+page+`"`) {
			t.Error("the coordinator's reports do not link to the province's answer")
		}
		if status, loc := coord.Location(fmt.Sprintf("/reports/rounds/%d", r.nat)); status != http.StatusSeeOther || loc != page {
			t.Errorf("the national round sends the coordinator to %d %s", status, loc)
		}
		status, body := coord.Get(page)
		if status != http.StatusOK || !strings.Contains(body, `id="fill-form"`) || !strings.Contains(body, fmt.Sprintf(`<option value="%d" selected>`, r.own)) {
			t.Fatalf("the answer's page offers no fill from the province's round: %d", status)
		}
		csrf := webtest.CSRFOf(t, body)
		// First the confirmation: what would be written, nothing written.
		status, body = coord.PostForm(page+"/fill", csrf, url.Values{"source": {fmt.Sprint(r.own)}, "narratives": {"1"}})
		if status != http.StatusOK || !strings.Contains(body, `id="fill-confirm"`) {
			t.Fatalf("the fill's confirmation: %d", status)
		}
		if !strings.Contains(body, `id="fill-value-trainees">6<`) || !strings.Contains(body, "Xã Nghi Phong:") {
			t.Error("the confirmation does not show X1's accepted figures and text")
		}
		if sub, _ := f.Store.Submission(context.Background(), r.nat, na); sub.Status != reports.StatusMissing {
			t.Fatal("the confirmation page wrote the answer")
		}
		status, loc := coord.PostForm(page+"/fill", webtest.CSRFOf(t, body), url.Values{"source": {fmt.Sprint(r.own)}, "narratives": {"1"}, "confirm": {"1"}})
		if status != http.StatusSeeOther {
			t.Fatalf("confirm the fill: %d %s", status, loc)
		}
		_, body = coord.Get(page + "?done=fill")
		if !strings.Contains(body, `id="sub-source"`) || !strings.Contains(body, `id="report-notice"`) || !strings.Contains(body, `value="6"`) {
			t.Error("the filled answer does not say where its figures come from")
		}
		sub, _ := f.Store.Submission(context.Background(), r.nat, na)
		if sub.Status != reports.StatusDraft || sub.SourceRound != r.own || sub.Values["trainees"] != 6 {
			t.Errorf("stored answer: %s from %d, trainees %v (Y1's report, not accepted, left out)", sub.Status, sub.SourceRound, sub.Values["trainees"])
		}
		// Another province, the national level and a commune may not fill it.
		for _, user := range []string{"coord.z@t.vn", "coord.vn@t.vn", "focal.x@t.vn"} {
			c := f.Login(user)
			status, _ := c.PostForm(page+"/fill", c.CSRF("/reports"), url.Values{"source": {fmt.Sprint(r.own)}, "confirm": {"1"}})
			if status != http.StatusForbidden && status != http.StatusNotFound {
				t.Errorf("%s fills Nghệ An's answer: %d", user, status)
			}
		}
		// A source that is not the province's: the error sits by the picker.
		status, body = coord.PostForm(page+"/fill", csrf, url.Values{"source": {fmt.Sprint(r.nat)}})
		if status != http.StatusUnprocessableEntity || !invalid(body, "fill-source") {
			t.Errorf("filling from the national round itself: %d", status)
		}

		// The API does the same.
		api := fmt.Sprintf("/api/v1/report-rounds/%d/submissions/%d", r.nat, f.Units["42"])
		var srcs struct {
			Items []struct {
				Round struct {
					ID       int64 `json:"id"`
					IssuerID int64 `json:"issuer_id"`
				} `json:"round"`
				Accepted int `json:"accepted"`
			} `json:"items"`
		}
		st, b := f.API("GET", api+"/sources", "coord.z@t.vn", "")
		webtest.Expect(t, st, b, http.StatusOK, &srcs)
		if len(srcs.Items) != 0 {
			t.Errorf("Hà Tĩnh is offered rounds it did not issue: %s", b)
		}
		st, b = f.API("GET", fmt.Sprintf("/api/v1/report-rounds/%d/submissions/%d/sources", r.nat, na), "coord@t.vn", "")
		webtest.Expect(t, st, b, http.StatusOK, &srcs)
		if len(srcs.Items) != 1 || srcs.Items[0].Round.ID != r.own || srcs.Items[0].Accepted != 1 || srcs.Items[0].Round.IssuerID != f.Units["40-SKHCN"] {
			t.Errorf("Nghệ An's sources: %s", b)
		}
		naAPI := fmt.Sprintf("/api/v1/report-rounds/%d/submissions/%d", r.nat, na)
		st, b = f.API("POST", naAPI+"/fill/preview", "coord@t.vn", webtest.JSON(map[string]any{"source_round_id": r.own}))
		var pv struct {
			Accepted   int                `json:"accepted"`
			Values     map[string]float64 `json:"values"`
			Narratives map[string]string  `json:"narratives"`
		}
		webtest.Expect(t, st, b, http.StatusOK, &pv)
		if pv.Accepted != 1 || pv.Values["trainees"] != 6 || len(pv.Narratives) != 0 {
			t.Errorf("preview: %s", b)
		}
		st, b = f.API("POST", naAPI+"/fill", "coord.vn@t.vn", webtest.JSON(map[string]any{"source_round_id": r.own}))
		webtest.ExpectError(t, st, b, http.StatusForbidden, "forbidden")
		st, b = f.API("POST", naAPI+"/fill", "coord@t.vn", webtest.JSON(map[string]any{"source_round_id": 0}))
		webtest.ExpectError(t, st, b, http.StatusUnprocessableEntity, "invalid_input", "source")
		var got struct {
			Status        string `json:"status"`
			SourceRoundID *int64 `json:"source_round_id"`
		}
		st, b = f.API("POST", naAPI+"/fill", "coord@t.vn", webtest.JSON(map[string]any{"source_round_id": r.own, "narratives": true}))
		webtest.Expect(t, st, b, http.StatusOK, &got)
		if got.SourceRoundID == nil || *got.SourceRoundID != r.own {
			t.Errorf("filled through the API: %s", b)
		}
		st, b = f.API("POST", naAPI+"/submit", "coord@t.vn", "")
		webtest.Expect(t, st, b, http.StatusOK, &got)
		st, b = f.API("POST", naAPI+"/accept", "coord.vn@t.vn", "")
		webtest.Expect(t, st, b, http.StatusOK, &got)
		if got.Status != "accepted" || got.SourceRoundID == nil {
			t.Errorf("accepted answer: %s", b)
		}
		var hist struct {
			Items []struct {
				Action string `json:"action"`
			} `json:"items"`
		}
		st, b = f.API("GET", naAPI+"/history", "coord.vn@t.vn", "")
		webtest.Expect(t, st, b, http.StatusOK, &hist)
		if len(hist.Items) != 4 || hist.Items[0].Action != "fill" {
			t.Errorf("history: %s", b)
		}
		// The national round's page maps the provinces by their answer;
		// a province's own round has no map.
		_, body = f.Login("coord.vn@t.vn").Get(fmt.Sprintf("/reports/rounds/%d", r.nat))
		for _, want := range []string{`id="map-40" class="pmap-shape pmap-st-accepted"`, `<title>Nghệ An: Đã tiếp nhận</title>`,
			`id="map-42" class="pmap-shape pmap-st-missing"`, `<title>Huế: không báo cáo trong đợt này</title>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the national round's map lacks %s", want)
			}
		}
		if _, body = coord.Get(fmt.Sprintf("/reports/rounds/%d", r.own)); strings.Contains(body, `id="round-map"`) {
			t.Error("a province round shows the map of provinces")
		}
	}, webtest.National(), webtest.Clock(func() time.Time { return nationalNow }))
}
