package web_test

import (
	"khienso/internal/web/webtest"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"khienso/internal/store"
)

func TestLoginLogoutAndHeaders(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		c := f.Login("focal.x@t.vn")
		status, body := c.Get("/")
		if status != http.StatusOK || !strings.Contains(body, "Xã Nghi Phong") {
			t.Fatalf("home after login: %d", status)
		}
		resp, err := http.Get(f.Server.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP = %q", csp)
		}
		// A form posted without the CSRF token is refused.
		if status, _ := c.PostForm("/logout", "wrong", url.Values{}); status != http.StatusForbidden {
			t.Errorf("logout with a bad CSRF token: %d, want 403", status)
		}
		if status, _ := c.PostForm("/logout", c.CSRF("/"), url.Values{}); status != http.StatusSeeOther {
			t.Errorf("logout: %d", status)
		}
		if status, _ := c.Get("/"); status != http.StatusSeeOther {
			t.Errorf("home after logout: %d, want redirect to login", status)
		}
	})
}

// engineOf reads the engine from the subtest name made by storetest.Engines.
func engineOf(t *testing.T) store.Engine {
	if strings.HasSuffix(t.Name(), "/postgres") {
		return store.Postgres
	}
	return store.SQLite
}
