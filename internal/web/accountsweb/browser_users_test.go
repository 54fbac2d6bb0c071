package accountsweb_test

import (
	"context"
	"khienso/internal/web/webtest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/auth"
	"khienso/internal/i18n"
	"khienso/internal/store"
)

// An administrator creates an account for commune X1 with the viewer role
// and reads the one-time password off the page; the new user signs in with
// it, is sent to change it, sets their own and reaches the home page.
func TestBrowserUserCreate(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	if err := f.BrowserLogin(ctx, "admin@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}

	err := chromedp.Do(ctx,
		chromedp.Navigate(f.Server.URL+"/users"),
		chromedp.WaitVisible(chromedp.ID("user-new")),
		chromedp.Click(chromedp.ID("user-new")),
		chromedp.WaitVisible(chromedp.ID("user-name")),
		chromedp.SendKeys(chromedp.ID("user-name"), "Phạm Minh Châu"),
		chromedp.SendKeys(chromedp.ID("user-email"), "chau.pham@t.vn"),
	)
	if err != nil {
		t.Fatalf("fill the account form: %v", err)
	}
	// The unit is found by its name typed without diacritics.
	if err := webtest.PickUnit(ctx, "user-unit_code", "nghi phong", "X1"); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("user-role-viewer")),
		chromedp.Click(chromedp.ID("user-submit")),
		chromedp.WaitVisible(chromedp.ID("user-one-time-password")),
	)
	if err != nil {
		t.Fatalf("create the account: %v", err)
	}
	password, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("user-one-time-password")))
	if err != nil {
		t.Fatal(err)
	}
	password = strings.TrimSpace(password)
	if len(password) < auth.MinPasswordLen {
		t.Fatalf("one-time password %q is too short", password)
	}
	u, _, err := f.Store.UserByEmail(context.Background(), "chau.pham@t.vn")
	if err != nil || u == nil {
		t.Fatalf("the account was not stored: %v", err)
	}
	if u.UnitID != f.Units["X1"] || len(u.Roles) != 1 || u.Roles[0] != auth.RoleViewer {
		t.Errorf("stored account: unit %d roles %v, want X1 (%d) and viewer", u.UnitID, u.Roles, f.Units["X1"])
	}

	// Sign out, then in as the new user with the one-time password.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("logout")),
		chromedp.WaitVisible(chromedp.ID("login-submit")),
		chromedp.SendKeys(chromedp.ID("email"), "chau.pham@t.vn"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("password-submit")),
	)
	if err != nil {
		t.Fatalf("sign in with the one-time password: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "/account/password") {
		t.Fatalf("after the first sign-in the browser is at %s, want the change-password page", loc)
	}

	// Set a new password; then the home page opens.
	const mine = "mật khẩu riêng của Châu"
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("current"), password),
		chromedp.SendKeys(chromedp.ID("new"), mine),
		chromedp.SendKeys(chromedp.ID("confirm"), mine),
		chromedp.Click(chromedp.ID("password-submit")),
		chromedp.WaitNotPresent(chromedp.ID("password-submit")),
		chromedp.WaitVisible(chromedp.CSS("main h1")),
	)
	if err != nil {
		t.Fatalf("change the password: %v", err)
	}
	loc, err = chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if loc != f.Server.URL+"/" {
		t.Errorf("after changing the one-time password the browser is at %s, want the home page", loc)
	}
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	if err != nil {
		t.Fatal(err)
	}
	// The browser's own language decides which catalogue answers.
	if vi, en := i18n.VI.T("home.welcome", "Phạm Minh Châu"), i18n.EN.T("home.welcome", "Phạm Minh Châu"); heading != vi && heading != en {
		t.Errorf("home page heading %q, want %q", heading, vi)
	}
}
