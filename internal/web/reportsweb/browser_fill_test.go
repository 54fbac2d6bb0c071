package reportsweb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"khienso/internal/reports"
	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// Nghệ An's coordinator opens the national round from the reports menu,
// fills the province's answer from the province's round, reads the
// figures on the confirmation page (which fits a phone), confirms, and
// submits the answer.
func TestBrowserFillFromProvinceRound(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite, webtest.National(), webtest.Clock(func() time.Time { return nationalNow }))
	r := nationalSetup(t, f)
	if err := f.BrowserLogin(ctx, "coord@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 900),
		chromedp.Navigate(f.Server.URL+"/lang?to=vi&back=/"),
		chromedp.Click(chromedp.ID("nav-reports")),
		chromedp.WaitVisible(chromedp.ID("report-mine")),
		chromedp.Click(chromedp.ID(fmt.Sprintf("report-open-%d", r.nat))),
		chromedp.WaitVisible(chromedp.ID("fill-form")),
	)
	if err != nil {
		t.Fatalf("open the province's answer: %v", err)
	}
	fits := func(what string) {
		t.Helper()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
		if err != nil || !ok {
			t.Errorf("%s is wider than a 390 px screen (%v)", what, err)
		}
	}
	fits("the answer's page")
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("fill-preview"))); err != nil {
		t.Fatalf("ask to fill: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("fill-value-trainees")))
	if err != nil || strings.TrimSpace(got) != "6" {
		t.Errorf("the confirmation shows trainees %q (%v), want X1's accepted 6", got, err)
	}
	fits("the confirmation page")
	if sub, _ := f.Store.Submission(context.Background(), r.nat, f.Units["40"]); sub.Status != reports.StatusMissing {
		t.Fatal("asking to fill wrote the answer")
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("fill-confirm"))); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("sub-source"))); err != nil {
		t.Fatalf("the filled answer: %v", err)
	}
	value, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("v-trainees")))
	if err != nil || value != "6" {
		t.Errorf("the form holds trainees %q (%v)", value, err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("sub-submit"))); err != nil {
		t.Fatalf("submit: %v", err)
	}
	sub, err := f.Store.Submission(context.Background(), r.nat, f.Units["40"])
	if err != nil || sub.Status != reports.StatusSubmitted || sub.SourceRound != r.own || sub.Values["trainees"] != 6 {
		t.Errorf("after submitting: %+v (%v)", sub, err)
	}
}
