package accountsweb_test

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

func TestLanguageSwitch(t *testing.T) {
	f := webtest.New(t, store.SQLite)
	c := f.Login("")
	if _, body := c.Get("/login"); !strings.Contains(body, "Đăng nhập") {
		t.Error("the default language is Vietnamese")
	}
	if status, _ := c.Get("/lang?to=en&back=/login"); status != http.StatusSeeOther {
		t.Errorf("switch: %d", status)
	}
	if _, body := c.Get("/login"); !strings.Contains(body, "Sign in") {
		t.Error("after switching, pages are in English")
	}
	// %09 decodes to a tab, which browsers drop: "/\t/evil.example" is "//evil.example".
	for _, back := range []string{"//evil.example/", "/%09/evil.example", "/%5Cevil.example", "/%0D%0A/evil.example"} {
		resp, err := c.HTTP.Get(f.Server.URL + "/lang?to=en&back=" + back)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
			t.Errorf("switch with back=%s: %d to %q, want 303 to /", back, resp.StatusCode, loc)
		}
	}
	if _, body := c.Get("/login?next=/%09/evil.example"); strings.Contains(body, "evil.example") {
		t.Error("the sign-in form carries a foreign next link")
	}
}

// The change form's box revokes the account's API tokens; without it they
// keep working.
func TestPasswordFormRevokesTokens(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		for _, c := range []struct {
			user, revoke string
			want         int
		}{
			{"focal.x@t.vn", "", http.StatusOK},
			{"focal.y@t.vn", "1", http.StatusUnauthorized},
		} {
			b := f.Login(c.user)
			status, _ := b.PostForm("/account/password", b.CSRF("/account/password"), url.Values{"current": {webtest.Password},
				"new": {"một mật khẩu mới hẳn"}, "confirm": {"một mật khẩu mới hẳn"}, "revoke_tokens": {c.revoke}})
			if status != http.StatusSeeOther {
				t.Fatalf("%s: change: %d", c.user, status)
			}
			if status, body := f.API("GET", "/api/v1/me", c.user, ""); status != c.want {
				t.Errorf("%s with revoke_tokens=%q: the token answers %d %s, want %d", c.user, c.revoke, status, body, c.want)
			}
		}
	})
}
