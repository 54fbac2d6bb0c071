package plansweb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// The national coordinator opens the provinces of a national plan: the map
// draws the 34 provinces (islands included) coloured by dashboard.css, fits
// a 390 px phone and a 1366 px screen, and a province leads to the plan's
// dashboard for it.
func TestBrowserProvinces(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite, webtest.National(), webtest.Clock(func() time.Time { return nationalNow }))
	p := nationalSetup(t, f)
	if err := f.BrowserLogin(ctx, "coord.vn@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}
	page := fmt.Sprintf("%s/plans/%d/provinces", f.Server.URL, p.ID)
	for _, width := range []int64{1366, 390} {
		err := chromedp.Do(ctx,
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(f.Server.URL+"/lang?to=vi&back=/"),
			chromedp.Navigate(page),
			chromedp.WaitVisible(chromedp.ID("nat-map")),
		)
		if err != nil {
			t.Fatalf("open the provinces at %d px: %v", width, err)
		}
		// Drawn: 34 outlines with an area on screen, the map as wide as
		// its column allows, the page no wider than the screen.
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const shapes = [...document.querySelectorAll("#nat-map path.pmap-shape")];
			const drawn = shapes.filter(s => { const b = s.getBoundingClientRect(); return b.width > 0 && b.height > 0; }).length;
			const svg = document.querySelector("#nat-map svg").getBoundingClientRect();
			return [shapes.length, drawn, Math.round(svg.width) > 300 ? "wide" : "narrow:" + Math.round(svg.width),
				document.documentElement.scrollWidth <= window.innerWidth ? "fits" : "overflows:" + document.documentElement.scrollWidth].join(" ");
		})()`))
		if err != nil || got != "34 34 wide fits" {
			t.Errorf("at %d px the map is %q (%v), want 34 drawn provinces, wide, fitting the screen", width, got, err)
		}
	}
	fill, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.getElementById("map-40")).fill`))
	if err != nil || fill != "rgb(49, 130, 189)" {
		t.Errorf("Nghệ An (87,5 %%) is filled %q (%v): dashboard.css not applied", fill, err)
	}
	title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#map-40 title").textContent`))
	if err != nil || title != "Nghệ An: đạt 87,5 %" {
		t.Errorf("Nghệ An's title %q (%v)", title, err)
	}
	// Khánh Hòa's outline carries the Trường Sa archipelago: more than a
	// hundred separate parts.
	parts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementById("map-56").getAttribute("d").split("M").length - 1`))
	if err != nil || parts < 100 {
		t.Errorf("Khánh Hòa has %d parts (%v)", parts, err)
	}
	// The table sorts by attainment; the province leads to its dashboard.
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("nat-sort-attainment"))); err != nil {
		t.Fatalf("sort: %v", err)
	}
	first, err := chromedp.Run(ctx, chromedp.Text(`#nat-table tbody tr:first-child th`))
	if err != nil || strings.TrimSpace(first) != "Nghệ An" {
		t.Errorf("first by attainment: %q (%v)", first, err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("map-40-link"))); err != nil {
		t.Fatalf("open Nghệ An from the map: %v", err)
	}
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("dash-title")))
	if err != nil || !strings.Contains(heading, "Nghệ An") {
		t.Errorf("the map's link leads to %q (%v)", heading, err)
	}
}
