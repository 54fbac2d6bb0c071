package reportsweb_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"khienso/internal/web/webtest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/reports"
	"khienso/internal/store"
)

// A coordinator opens the yearly round (nobody has reported yet); the focal
// point of X1 opens the report from the menu, fills it and submits; the
// coordinator then sees completeness go from 0 to 1 and downloads the
// consolidated DOCX.
func TestBrowserReports(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	tpl := reportTestTemplate(f)
	round := reportTestRound(t, f.Login("coord@t.vn"), tpl, "Báo cáo năm 2025")
	roundURL := fmt.Sprintf("%s/reports/rounds/%d", f.Server.URL, round)

	if err := f.BrowserLogin(ctx, "coord@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(roundURL), chromedp.WaitVisible(chromedp.ID("round-units"))); err != nil {
		t.Fatalf("round page: %v", err)
	}
	before, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("round-submitted")))
	if err != nil {
		t.Fatalf("round page: %v", err)
	}
	if strings.TrimSpace(before) != "0" {
		t.Fatalf("before any report the round shows %q submitted", before)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("login-submit"))); err != nil {
		t.Fatalf("logout: %v", err)
	}

	// The focal point fills and submits.
	if err := f.BrowserLogin(ctx, "focal.x@t.vn"); err != nil {
		t.Fatalf("login focal.x: %v", err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("nav-reports")),
		chromedp.WaitVisible(chromedp.ID("report-mine")),
		chromedp.Click(chromedp.ID(fmt.Sprintf("report-open-%d", round))),
		chromedp.WaitVisible(chromedp.ID("sub-form")),
	)
	if err != nil {
		t.Fatalf("open the report: %v", err)
	}
	std := reports.Standard()
	var fill []chromedp.Action[chromedp.Void]
	for i, fld := range std.Fields {
		fill = append(fill, chromedp.SetValue(chromedp.ID("v-"+fld.Code), fmt.Sprint(i+10)))
	}
	for _, sec := range std.Sections {
		fill = append(fill, chromedp.SendKeys(chromedp.ID("n-"+sec.Code), "Xã đã thực hiện phần "+sec.Title))
	}
	fill = append(fill, chromedp.Click(chromedp.ID("sub-submit")), chromedp.WaitVisible(chromedp.ID("report-notice")))
	if err := chromedp.Do(ctx, fill...); err != nil {
		t.Fatalf("fill and submit: %v", err)
	}
	sub, err := f.Store.Submission(context.Background(), round, f.Units["X1"])
	if err != nil {
		t.Fatal(err)
	}
	if sub.Status != reports.StatusSubmitted || sub.Values["trainees"] != 15 {
		t.Errorf("after submitting the report is %s with %v", sub.Status, sub.Values)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("login-submit"))); err != nil {
		t.Fatalf("logout: %v", err)
	}

	// The coordinator sees the change and downloads the DOCX.
	if err := f.BrowserLogin(ctx, "coord@t.vn"); err != nil {
		t.Fatalf("login coord: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(roundURL), chromedp.WaitVisible(chromedp.ID("round-units"))); err != nil {
		t.Fatal(err)
	}
	after, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("round-submitted")))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(after) != "1" {
		t.Fatalf("after the submission the round shows %q submitted", after)
	}
	js := `fetch(document.getElementById("round-docx").href).then(async r => {
		const b = new Uint8Array(await r.arrayBuffer());
		let s = ""; for (const c of b) s += String.fromCharCode(c);
		return r.headers.get("Content-Type") + "|" + btoa(s);
	})`
	res, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch the DOCX: %v", err)
	}
	ctype, b64, _ := strings.Cut(res, "|")
	if !strings.Contains(ctype, "wordprocessingml") {
		t.Errorf("DOCX content type %q", ctype)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	xml := docxBody(t, raw)
	for _, want := range []string{"Kết quả năm 2025", "Xã Nghi Phong: Xã đã thực hiện phần Kết quả thực hiện"} {
		if !strings.Contains(xml, want) {
			t.Errorf("the downloaded DOCX lacks %q", want)
		}
	}
}
