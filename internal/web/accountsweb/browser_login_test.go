package accountsweb_test

import (
	"khienso/internal/web/webtest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/store"
)

// A user signs in through the real login page and sees their unit.
func TestBrowserLogin(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	if err := f.BrowserLogin(ctx, "focal.x@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Xã Nghi Phong") {
		t.Errorf("home page should name the user's unit, got %q", text)
	}
}
