package reportsweb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/reports"
	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// The focal point of X1 submits its report, then withdraws it before
// review: the page asks for a confirmation (a page, no script), and the
// report is a draft again with its figures, its form open.
func TestBrowserWithdraw(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	round := reportTestRound(t, f.Login("coord@t.vn"), reportTestTemplate(f), "Báo cáo năm 2025")
	if err := f.BrowserLogin(ctx, "focal.x@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}
	subURL := fmt.Sprintf("%s/reports/rounds/%d/units/%d", f.Server.URL, round, f.Units["X1"])
	fill := []chromedp.Action[chromedp.Void]{chromedp.Navigate(subURL), chromedp.WaitVisible(chromedp.ID("sub-form"))}
	for i, fld := range reports.Standard().Fields {
		fill = append(fill, chromedp.SetValue(chromedp.ID("v-"+fld.Code), fmt.Sprint(i+10)))
	}
	for _, sec := range reports.Standard().Sections {
		fill = append(fill, chromedp.SendKeys(chromedp.ID("n-"+sec.Code), "Xã đã thực hiện phần "+sec.Title))
	}
	fill = append(fill, chromedp.Click(chromedp.ID("sub-submit")), chromedp.WaitVisible(chromedp.ID("sub-withdraw")))
	if err := chromedp.Do(ctx, fill...); err != nil {
		t.Fatalf("fill and submit: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("sub-withdraw")),
		chromedp.WaitVisible(chromedp.ID("withdraw-warning")),
		chromedp.Click(chromedp.ID("withdraw-submit")),
		chromedp.WaitVisible(chromedp.ID("report-notice")),
		chromedp.WaitVisible(chromedp.ID("sub-form")),
	)
	if err != nil {
		t.Fatalf("withdraw: %v", err)
	}
	class, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("sub-status").className`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(class, "report-draft") {
		t.Errorf("the page shows the report as %q after withdrawing", class)
	}
	sub, err := f.Store.Submission(context.Background(), round, f.Units["X1"])
	if err != nil {
		t.Fatal(err)
	}
	if sub.Status != reports.StatusDraft || sub.Values["trainees"] != 15 || sub.SubmittedAt != "" {
		t.Errorf("after withdrawing the report is %s with %v, submitted %q", sub.Status, sub.Values, sub.SubmittedAt)
	}
}
