package settingsweb_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/reports"
	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// The administrator opens the settings from the menu, changes the signer,
// saves and sees the new name; the consolidated report of a round then
// carries it in its signature block.
func TestBrowserSettings(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	bg := context.Background()
	tpl := reports.Standard()
	if err := f.Store.SaveReportTemplate(bg, audit.System, &tpl); err != nil {
		t.Fatal(err)
	}
	round := &reports.Round{TemplateID: tpl.ID, Title: "Báo cáo năm 2025", From: dates.MustParse("2025-01-01"),
		To: dates.MustParse("2025-12-31"), Deadline: dates.MustParse("2025-12-05"), Units: []int64{f.Units["X1"], f.Units["Y1"]}}
	if err := f.Store.CreateRound(bg, audit.System, round); err != nil {
		t.Fatal(err)
	}

	if err := f.BrowserLogin(ctx, "admin@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("nav-settings")),
		chromedp.WaitVisible(chromedp.ID("settings-province")),
		chromedp.SendKeys(chromedp.ID("set-signer_authority"), "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"),
		chromedp.SendKeys(chromedp.ID("set-signer_name"), "Trần Thị Mai"),
		chromedp.Click(chromedp.ID("set-save")),
		chromedp.WaitVisible(chromedp.ID("set-notice")),
	)
	if err != nil {
		t.Fatalf("change the signer: %v", err)
	}
	if name, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("set-signer_name"))); err != nil || name != "Trần Thị Mai" {
		t.Fatalf("after saving the page shows the signer %q (%v)", name, err)
	}

	// The round's consolidated report, downloaded by the same browser.
	js := fmt.Sprintf(`fetch("/reports/rounds/%d/report.docx").then(async r => {
		const b = new Uint8Array(await r.arrayBuffer());
		let s = ""; for (const c of b) s += String.fromCharCode(c);
		return btoa(s);
	})`, round.ID)
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch the DOCX: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("not a DOCX: %v", err)
	}
	var xml string
	for _, zf := range zr.File {
		if zf.Name == "word/document.xml" {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			xml = string(b)
		}
	}
	for _, want := range []string{"Trần Thị Mai", "PHÓ GIÁM ĐỐC"} {
		if !strings.Contains(xml, want) {
			t.Errorf("the consolidated report lacks %q", want)
		}
	}
}
