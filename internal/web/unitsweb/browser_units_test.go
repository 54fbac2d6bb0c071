package unitsweb_test

import (
	"context"
	"fmt"
	"khienso/internal/web/webtest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/dates"
	"khienso/internal/store"
)

// A coordinator finds a commune without typing diacritics, creates a unit
// under it through the form, sees it appear when the commune is expanded in
// the tree (loaded by app.js), and signs out.
func TestBrowserUnits(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	x1 := f.Units["X1"]
	if err := f.BrowserLogin(ctx, "coord@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}

	// The tree, reached from the menu.
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("nav-units")),
		chromedp.WaitVisible(chromedp.ID("units-tree")),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("u-%d", x1))),
	)
	if err != nil {
		t.Fatalf("open the unit tree: %v", err)
	}

	// Search without diacritics.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("units-q"), "nghi phong"),
		chromedp.Click(chromedp.ID("units-search-submit")),
		chromedp.WaitVisible(chromedp.ID("units-results")),
	)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	results, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("units-results")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(results, "Xã Nghi Phong") {
		t.Fatalf("searching %q should find Xã Nghi Phong, got %q", "nghi phong", results)
	}

	// Create a unit under X1 through its page and the form.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID(fmt.Sprintf("result-%d", x1))),
		chromedp.WaitVisible(chromedp.ID("unit-new-child")),
		chromedp.Click(chromedp.ID("unit-new-child")),
		chromedp.WaitVisible(chromedp.ID("unit-code")),
		chromedp.SendKeys(chromedp.ID("unit-code"), "X1-VH"),
		chromedp.SendKeys(chromedp.ID("unit-name"), "Nhà văn hóa Nghi Phong"),
		chromedp.SetValue(chromedp.ID("unit-type"), "other"),
		chromedp.SendKeys(chromedp.ID("unit-focal_email"), "vanhoa@t.vn"),
		chromedp.Click(chromedp.ID("unit-submit")),
		chromedp.WaitVisible(chromedp.ID("unit-notice")),
	)
	if err != nil {
		t.Fatalf("create a unit: %v", err)
	}
	name, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("unit-title")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(name, "Nhà văn hóa Nghi Phong") {
		t.Fatalf("after creating, the page shows %q", name)
	}
	created, err := f.Store.UnitByCode(context.Background(), "X1-VH", dates.Today())
	if err != nil {
		t.Fatalf("the unit was not stored: %v", err)
	}
	if created.ParentID != x1 {
		t.Errorf("the new unit is under %d, want X1 (%d)", created.ParentID, x1)
	}

	// Expanding X1 in the tree loads its children, the new unit among them.
	newItem := chromedp.ID(fmt.Sprintf("u-%d", created.ID))
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("nav-units")),
		chromedp.WaitVisible(chromedp.ID("units-tree")),
		// app.js is deferred: under load it may not listen yet.
		chromedp.Poll[chromedp.Void](`document.readyState === "complete"`),
		chromedp.Click(chromedp.CSS(fmt.Sprintf("#node-%d > summary > .tag", x1))),
		chromedp.WaitVisible(newItem),
	)
	if err != nil {
		t.Fatalf("expand X1: %v", err)
	}
	item, err := chromedp.Run(ctx, chromedp.Text(newItem))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(item, "Nhà văn hóa Nghi Phong") {
		t.Errorf("the loaded child reads %q", item)
	}
	// The page was not reloaded: the children came from app.js.
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(loc, "open=") {
		t.Errorf("expanding should not navigate, went to %s", loc)
	}

	// Sign out.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("logout")),
		chromedp.WaitVisible(chromedp.ID("login-submit")),
	)
	if err != nil {
		t.Fatalf("logout: %v", err)
	}
	loc, err = chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "/login") {
		t.Errorf("after logout the browser is at %s, want the login page", loc)
	}
}
