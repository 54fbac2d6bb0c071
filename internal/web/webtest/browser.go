package webtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds headless Chromium: $KHIENSO_TEST_CHROMIUM, else
// chromium or chromium-browser on PATH.
func chromiumPath() string {
	if p := os.Getenv("KHIENSO_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// NewBrowser starts a fresh headless Chromium for one test and returns a
// context to run chromedp actions in. Without Chromium the test skips (it
// fails in CI, where .ci/run installs it).
func NewBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must run browser tests, but Chromium was not found (set KHIENSO_TEST_CHROMIUM)")
		}
		t.Skip("browser tests need Chromium: apt-get install chromium, or set KHIENSO_TEST_CHROMIUM")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if _, err := chromedp.Run(ctx, chromedp.Title()); err != nil {
		t.Fatalf("start Chromium at %s: %v", path, err)
	}
	return ctx
}

// BrowserLogin signs in through the login form.
func (f *Fixture) BrowserLogin(ctx context.Context, email string) error {
	return chromedp.Do(ctx,
		chromedp.Navigate(f.Server.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), Password),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("logout")),
	)
}

// PickUnit types query into the search field of the unit picker whose
// select is id and chooses the result whose code is code, as a user
// would (the type-ahead of static/unitpicker.js).
func PickUnit(ctx context.Context, id, query, code string) error {
	search := chromedp.ID(id + "-search")
	if err := chromedp.Do(ctx, chromedp.WaitVisible(search), chromedp.Click(search), chromedp.SendKeys(search, query)); err != nil {
		return fmt.Errorf("type %q into the %s picker: %w", query, id, err)
	}
	choose := fmt.Sprintf(`(() => {
		for (const li of document.querySelectorAll(%q)) {
			const meta = li.querySelector(".picker-meta");
			if (meta && meta.textContent.endsWith(" · " + %q)) { li.click(); return true; }
		}
		return false;
	})()`, "#"+id+"-list .picker-option", code)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](choose)); err != nil {
		return fmt.Errorf("choose %s in the %s picker: %w", code, id, err)
	}
	return nil
}
