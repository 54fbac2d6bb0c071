package reportsweb_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"khienso/internal/web/webtest"
)

// The coordinator reminds the round's units from its page, twice: the
// page says how many were reminded, then that they had been today; the
// API says the same. The focal point's withdraw confirmation is a page
// (no script needed).
func TestRemindAndWithdrawPages(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		coord := f.Login("coord@t.vn")
		round := reportTestRound(t, coord, reportTestTemplate(f), "Báo cáo năm 2025")
		roundPath := fmt.Sprintf("/reports/rounds/%d", round)
		status, body := coord.Get(roundPath)
		if status != http.StatusOK || !strings.Contains(body, `id="round-remind"`) {
			t.Fatalf("round page: %d, remind button %v", status, strings.Contains(body, `id="round-remind"`))
		}
		status, loc := remindPost(t, coord, roundPath)
		if status != http.StatusSeeOther || !strings.Contains(loc, "done=remind") || strings.Contains(loc, "reminded=0") {
			t.Fatalf("remind: %d %s", status, loc)
		}
		if _, body = coord.Get(loc); !strings.Contains(body, `id="report-notice"`) || !strings.Contains(body, "đã được nhắc hôm nay") {
			t.Errorf("the round page does not say who was reminded")
		}
		if _, loc = remindPost(t, coord, roundPath); !strings.Contains(loc, "reminded=0") || strings.Contains(loc, "already=0") {
			t.Errorf("second reminder the same day: %s", loc)
		}
		status, body = f.API("POST", fmt.Sprintf("/api/v1/report-rounds/%d/remind", round), "coord@t.vn", "")
		if status != http.StatusOK || !strings.Contains(body, `"reminded":0`) || strings.Contains(body, `"already_today":0`) {
			t.Errorf("API reminder the same day: %d %s", status, body)
		}

		focal := f.Login("focal.x@t.vn")
		sub := fmt.Sprintf("%s/units/%d", roundPath, f.Units["X1"])
		if status, body := focal.PostForm(sub, focal.CSRF(sub), reportTestFull(url.Values{"action": {"submit"}})); status != http.StatusSeeOther {
			t.Fatalf("submit: %d %s", status, body)
		}
		_, body = focal.Get(sub)
		if !strings.Contains(body, `id="sub-withdraw"`) || strings.Contains(body, `id="withdraw-form"`) {
			t.Errorf("the submitted report's page does not offer withdrawing (and only that)")
		}
		_, body = focal.Get(sub + "?confirm=withdraw")
		if !strings.Contains(body, `id="withdraw-warning"`) || !strings.Contains(body, `id="withdraw-form"`) {
			t.Errorf("the confirmation page lacks its warning or form")
		}
		if _, body = coord.Get(sub + "?confirm=withdraw"); strings.Contains(body, `id="withdraw-form"`) || strings.Contains(body, `id="sub-withdraw"`) {
			t.Errorf("the coordinator is offered withdrawing X1's report")
		}
	})
}

// remindPost posts the round page's reminder form and returns the status
// and where it leads.
func remindPost(t *testing.T, c *webtest.Client, roundPath string) (int, string) {
	t.Helper()
	resp, err := c.HTTP.PostForm(c.F.Server.URL+roundPath+"/remind", url.Values{"csrf_token": {c.CSRF(roundPath)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}
