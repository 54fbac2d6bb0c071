package reportsweb_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// A coordinator opens a round for every commune of the province (a group,
// kept as one chip) and one school found by typing without diacritics;
// the round asks exactly those units.
func TestBrowserRoundUnitPicker(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	reportTestTemplate(f)
	if err := f.BrowserLogin(ctx, "coord@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(f.Server.URL+"/lang?to=vi&back=/reports/rounds/new"),
		chromedp.WaitVisible(chromedp.ID("round-units-search")),
		chromedp.SetValue(chromedp.ID("round-title"), "Báo cáo chuyên đề"),
		chromedp.Click(chromedp.ID("round-units-search")),
		chromedp.SendKeys(chromedp.ID("round-units-search"), "tat ca xa"),
	)
	if err != nil {
		t.Fatalf("round form: %v", err)
	}
	group := `(() => {
		const li = document.querySelector("#round-units-list .picker-option.group");
		if (li && li.textContent.includes("xã, phường")) { li.click(); return true; }
		return false;
	})()`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](group)); err != nil {
		t.Fatalf("choose the group of communes: %v", err)
	}
	if err := webtest.PickUnit(ctx, "round-units", "thcs nghi", "X1-THCS"); err != nil {
		t.Fatal(err)
	}
	chips, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#report-round-form .picker-chip")].map(c => (c.classList.contains("group") ? "group: " : "") + c.firstChild.textContent)`))
	if err != nil || len(chips) != 2 || !strings.HasPrefix(chips[0], "group: ") || chips[1] != "Trường THCS Nghi Phong" {
		t.Fatalf("chips %q (%v), want the group of communes then the school", chips, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("round-submit")), chromedp.WaitVisible(chromedp.ID("round-units"))); err != nil {
		t.Fatalf("create the round: %v", err)
	}
	units, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("round-units")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Xã Nghi Phong", "Phường Vinh Phú", "Trường THCS Nghi Phong"} {
		if !strings.Contains(units, want) {
			t.Errorf("the round's units %q lack %s", units, want)
		}
	}
	if strings.Contains(units, "Trường THCS Vinh Phú") {
		t.Errorf("the round asks a school not chosen: %q", units)
	}
}
