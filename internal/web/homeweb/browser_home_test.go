package homeweb_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/audit"
	"khienso/internal/reports"
	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// homeRound opens, as the coordinator, a 2025 round of Nghệ An's communes
// (its deadline passed); X1 submits and the coordinator returns it with
// comment. Both communes are then late.
func homeRound(t *testing.T, f *webtest.Fixture, comment string) int64 {
	t.Helper()
	tpl := reports.Standard()
	if err := f.Store.SaveReportTemplate(context.Background(), audit.System, &tpl); err != nil {
		t.Fatal(err)
	}
	var rd struct{ ID int64 }
	status, body := f.API("POST", "/api/v1/report-rounds", "coord@t.vn", webtest.JSON(map[string]any{"template_id": tpl.ID,
		"title": "Báo cáo năm 2025", "from": "2025-01-01", "to": "2025-12-31", "deadline": "2025-12-05", "unit_types": []string{"commune"}}))
	webtest.Expect(t, status, body, http.StatusCreated, &rd)
	vals, narr := map[string]float64{}, map[string]string{}
	for i, fl := range tpl.Fields {
		vals[fl.Code] = float64(i + 1)
	}
	for _, s := range tpl.Sections {
		narr[s.Code] = "Nội dung " + s.Code
	}
	x1 := fmt.Sprintf("/api/v1/report-rounds/%d/submissions/%d", rd.ID, f.Units["X1"])
	status, body = f.API("POST", x1+"/submit", "focal.x@t.vn", webtest.JSON(map[string]any{"values": vals, "narratives": narr}))
	webtest.Expect(t, status, body, http.StatusOK, nil)
	status, body = f.API("POST", x1+"/return", "coord@t.vn", webtest.JSON(map[string]any{"comment": comment}))
	webtest.Expect(t, status, body, http.StatusOK, nil)
	return rd.ID
}

// A focal point signs in to a home that says their report was returned,
// with the reviewer's words and an unread badge, and opens the report from
// it; the coordinator's home names the round's late communes and opens the
// round.
func TestBrowserHome(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	const comment = "Đề nghị bổ sung số lớp tập huấn quý IV"
	rd := homeRound(t, f, comment)

	if err := f.BrowserLogin(ctx, "focal.x@t.vn"); err != nil {
		t.Fatalf("login focal.x: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(f.Server.URL+"/"), chromedp.WaitVisible(chromedp.ID("todo-reports-returned"))); err != nil {
		t.Fatalf("focal point's home: %v", err)
	}
	returned, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("todo-reports-returned")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Báo cáo năm 2025", comment} {
		if !strings.Contains(returned, want) {
			t.Errorf("returned reports %q lack %q", returned, want)
		}
	}
	if badge, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("nav-unread"))); err != nil || strings.TrimSpace(badge) != "1" {
		t.Errorf("unread badge %q (%v), want 1", badge, err)
	}
	page := fmt.Sprintf("/reports/rounds/%d/units/%d", rd, f.Units["X1"])
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#todo-reports-returned .todo-fix")), chromedp.WaitVisible(chromedp.ID("sub-form"))); err != nil {
		t.Fatalf("open the returned report: %v", err)
	}
	if path, err := chromedp.Run(ctx, chromedp.Evaluate[string]("location.pathname")); err != nil || path != page {
		t.Errorf("the fix button opened %q (%v), want %s", path, err, page)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("login-submit"))); err != nil {
		t.Fatal(err)
	}

	if err := f.BrowserLogin(ctx, "coord@t.vn"); err != nil {
		t.Fatalf("login coord: %v", err)
	}
	item := fmt.Sprintf("todo-round-%d", rd)
	if err := chromedp.Do(ctx, chromedp.Navigate(f.Server.URL+"/"), chromedp.WaitVisible(chromedp.ID(item))); err != nil {
		t.Fatalf("coordinator's home: %v", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(item)))
	if err != nil {
		t.Fatal(err)
	}
	// X1's returned report is not submitted: both communes are late.
	if !strings.Contains(text, "Phường Vinh Phú, Xã Nghi Phong") {
		t.Errorf("the round on the home %q should name Y1 then X1 as late", text)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#"+item+" a")), chromedp.WaitVisible(chromedp.ID("round-remind-form"))); err != nil {
		t.Fatalf("open the round: %v", err)
	}
}
