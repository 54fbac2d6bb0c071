package plansweb_test

import (
	"fmt"
	"khienso/internal/web/webtest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/store"
)

// A coordinator opens a plan's dashboard, reads an indicator's status (its
// badge styled by dashboard.css despite the strict CSP), picks another
// year with the form, opens the indicator's breakdown and drills from the
// province into commune X1 to see its school.
func TestBrowserDashboard(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	tp := dashSetup(t, f)
	if err := f.BrowserLogin(ctx, "coord@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}
	// Headless Chromium asks for English; the texts checked are Vietnamese.
	err := chromedp.Do(ctx,
		chromedp.Navigate(f.Server.URL+"/lang?to=vi&back=/"),
		chromedp.Navigate(fmt.Sprintf("%s/plans/%d/dashboard?year=2023", f.Server.URL, tp.plan.ID)),
		chromedp.WaitVisible(chromedp.ID("dash-table")),
	)
	if err != nil {
		t.Fatalf("open the dashboard: %v", err)
	}
	text := func(id string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
		if err != nil {
			t.Fatalf("read #%s: %v", id, err)
		}
		return strings.TrimSpace(s)
	}
	if got := text("dash-status-classes"); got != "Đạt" {
		t.Errorf("classes status = %q, want Đạt", got)
	}
	if got := text("dash-status-communes"); got != "Không đạt" {
		t.Errorf("communes status = %q, want Không đạt", got)
	}
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.getElementById("dash-status-classes")).backgroundColor`))
	if err != nil || bg != "rgb(227, 244, 232)" {
		t.Errorf("achieved badge background = %q (%v): dashboard.css not applied", bg, err)
	}

	// Another year through the GET form.
	if _, err := chromedp.RunResponse(ctx,
		chromedp.SetValue(chromedp.ID("dash-year"), "2022"),
		chromedp.Click(chromedp.ID("dash-submit")),
	); err != nil {
		t.Fatalf("pick 2022: %v", err)
	}
	if got := text("dash-value-classes"); got != "1 lớp" {
		t.Errorf("2022 classes = %q, want 1 lớp", got)
	}
	if got := text("dash-status-classes"); got != "Không đạt" {
		t.Errorf("2022 classes status = %q", got)
	}

	// The breakdown, then down into X1.
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("dash-link-classes"))); err != nil {
		t.Fatalf("open the breakdown: %v", err)
	}
	if got := text("bd-title"); got != "Số lớp tập huấn" {
		t.Errorf("breakdown title = %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/plans/%d/indicators/%d/breakdown?year=2023", f.Server.URL, tp.plan.ID, tp.ind["classes"])),
		chromedp.WaitVisible(chromedp.ID("bd-table"))); err != nil {
		t.Fatalf("breakdown 2023: %v", err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID(fmt.Sprintf("bd-drill-%d", f.Units["X1"])))); err != nil {
		t.Fatalf("drill into X1: %v", err)
	}
	row := text(fmt.Sprintf("bd-row-%d", f.Units["X1-THCS"]))
	if !strings.Contains(row, "Trường THCS Nghi Phong") || !strings.Contains(row, "1 lớp") {
		t.Errorf("school row = %q", row)
	}
	if got := text("bd-total"); got != "3 lớp" {
		t.Errorf("X1 total = %q, want 3 lớp", got)
	}
	if got := text("dash-breadcrumb"); !strings.Contains(got, "Ủy ban nhân dân tỉnh Nghệ An") || !strings.Contains(got, "Xã Nghi Phong") {
		t.Errorf("breadcrumb = %q", got)
	}
}
