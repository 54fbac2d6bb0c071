package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"khienso/internal/store"
	"khienso/internal/store/storetest"
)

func TestLoginLogoutAndHeaders(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, _ *store.Store) {
		f := newFixture(t, engineOf(t))
		c := f.login("focal.x@t.vn")
		status, body := c.get("/")
		if status != http.StatusOK || !strings.Contains(body, "Xã Nghi Phong") {
			t.Fatalf("home after login: %d", status)
		}
		resp, err := http.Get(f.server.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP = %q", csp)
		}
		// A form posted without the CSRF token is refused.
		if status, _ := c.postForm("/logout", "wrong", url.Values{}); status != http.StatusForbidden {
			t.Errorf("logout with a bad CSRF token: %d, want 403", status)
		}
		if status, _ := c.postForm("/logout", c.csrf("/"), url.Values{}); status != http.StatusSeeOther {
			t.Errorf("logout: %d", status)
		}
		if status, _ := c.get("/"); status != http.StatusSeeOther {
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
