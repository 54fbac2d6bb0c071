package reportsweb_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// A coordinator returns X1's submitted report with a comment in the
// browser; X1's focal point then finds, on /notifications, the return in
// words with the comment, linking to the report.
func TestBrowserReturnNotifiesUnit(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	tpl := reportTestTemplate(f)
	round := reportTestRound(t, f.Login("coord@t.vn"), tpl, "Báo cáo năm 2025")
	x1 := fmt.Sprintf("/api/v1/report-rounds/%d/submissions/%d", round, f.Units["X1"])
	if status, body := f.API("POST", x1+"/submit", "focal.x@t.vn", webtest.JSON(fullContent())); status != 200 {
		t.Fatalf("submit: %d %s", status, body)
	}
	page := fmt.Sprintf("/reports/rounds/%d/units/%d", round, f.Units["X1"])
	const comment = "Đề nghị bổ sung số lượt tuyên truyền quý IV"
	if err := f.BrowserLogin(ctx, "coord@t.vn"); err != nil {
		t.Fatalf("login coord: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(f.Server.URL+page),
		chromedp.WaitVisible(chromedp.ID("review-form")),
		chromedp.SendKeys(chromedp.ID("report-comment"), comment),
		chromedp.Click(chromedp.ID("review-return")),
		chromedp.WaitVisible(chromedp.ID("report-notice")),
		chromedp.Click(chromedp.ID("logout")),
		chromedp.WaitVisible(chromedp.ID("login-submit")),
	)
	if err != nil {
		t.Fatalf("return the report: %v", err)
	}
	if err := f.BrowserLogin(ctx, "focal.x@t.vn"); err != nil {
		t.Fatalf("login focal.x: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(f.Server.URL+"/notifications"), chromedp.WaitVisible(chromedp.ID("notif-list"))); err != nil {
		t.Fatalf("notifications page: %v", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("notif-list")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Báo cáo năm 2025", "Xã Nghi Phong", comment} {
		if !strings.Contains(text, want) {
			t.Errorf("the notification %q lacks %q", text, want)
		}
	}
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#notif-list a").getAttribute("href")`))
	if err != nil || href != page {
		t.Errorf("the notification links to %q (%v), want %s", href, err, page)
	}
}
