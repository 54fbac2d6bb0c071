package accountsweb_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"khienso/internal/dates"
	"khienso/internal/web/webtest"
)

// A token made without an expiry lasts 90 days; none lasts over a year.
func TestTokenLifetime(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		var tok struct {
			ExpiresAt time.Time `json:"expires_at"`
		}
		status, body := f.API("POST", "/api/v1/tokens", "focal.y@t.vn", `{"name": "mặc định"}`)
		webtest.Expect(t, status, body, http.StatusCreated, &tok)
		if d := time.Until(tok.ExpiresAt); d < 89*24*time.Hour || d > 91*24*time.Hour {
			t.Errorf("default expiry in %v, want 90 days: %s", d, body)
		}
		far := dates.Today().AddDays(400)
		status, body = f.API("POST", "/api/v1/tokens", "focal.y@t.vn", `{"name": "xa", "expires_at": "`+far.ISO()+`"}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "expires_at")
		year := dates.Today().AddDays(364)
		status, body = f.API("POST", "/api/v1/tokens", "focal.y@t.vn", `{"name": "một năm", "expires_at": "`+year.ISO()+`"}`)
		webtest.Expect(t, status, body, http.StatusCreated, nil)
	})
}

// Administrators list the tokens of the accounts they manage, with last
// use, and revoke one; the token then stops working. Another province's
// administrator neither sees nor revokes it.
func TestAccountTokensForAdministrators(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		var tok struct {
			Token   string `json:"token"`
			TokenID int64  `json:"token_id"`
		}
		status, body := f.API("POST", "/api/v1/tokens", "focal.x@t.vn", `{"name": "đồng bộ số liệu"}`)
		webtest.Expect(t, status, body, http.StatusCreated, &tok)
		f.Tokens["sync"] = tok.Token
		if status, body := f.API("GET", "/api/v1/me", "sync", ""); status != http.StatusOK {
			t.Fatalf("the token does not work: %d %s", status, body)
		}
		var list struct {
			Items []struct {
				ID         int64  `json:"id"`
				Status     string `json:"status"`
				CanRevoke  bool   `json:"can_revoke"`
				LastUsedAt string `json:"last_used_at"`
				Owner      struct {
					Email string `json:"email"`
				} `json:"owner"`
			} `json:"items"`
			Total int `json:"total"`
		}
		status, body = f.API("GET", fmt.Sprintf("/api/v1/admin/tokens?user=%d", f.Users["focal.x@t.vn"]), "admin@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		// The fixture's own token is there too; the newest use comes first.
		if list.Total != 2 || list.Items[0].ID != tok.TokenID || list.Items[0].Owner.Email != "focal.x@t.vn" ||
			!list.Items[0].CanRevoke || list.Items[0].Status != "active" || list.Items[0].LastUsedAt == "" {
			t.Fatalf("admin's list: %s", body)
		}
		status, body = f.API("GET", "/api/v1/admin/tokens?user=x", "admin@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", "user")
		status, body = f.API("GET", "/api/v1/admin/tokens", "viewer.x@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")

		// The page shows it with its owner; the other province's does not.
		c := f.Login("admin@t.vn")
		if st, page := c.Get("/users/tokens"); st != http.StatusOK || !strings.Contains(page, "đồng bộ số liệu") || !strings.Contains(page, "focal.x@t.vn") {
			t.Fatalf("tokens page: %d", st)
		}
		if st, page := f.Login("coord.z@t.vn").Get("/users/tokens"); st != http.StatusOK || strings.Contains(page, "đồng bộ số liệu") {
			t.Errorf("another province's page lists the token: %d", st)
		}
		id := fmt.Sprint(tok.TokenID)
		status, body = f.API("DELETE", "/api/v1/admin/tokens/"+id, "coord.z@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")

		// Revoked from the page: the token stops working at once.
		if st, _ := c.PostForm("/users/tokens/"+id+"/revoke", c.CSRF("/users/tokens"), url.Values{}); st != http.StatusSeeOther {
			t.Fatalf("revoke: %d", st)
		}
		if _, page := c.Get("/users/tokens?revoked=1&all=1"); !strings.Contains(page, `id="token-revoked"`) || !strings.Contains(page, "đồng bộ số liệu") {
			t.Error("the page does not confirm the revocation or list the revoked token")
		}
		if status, _ := f.API("GET", "/api/v1/me", "sync", ""); status != http.StatusUnauthorized {
			t.Errorf("the revoked token still works: %d", status)
		}
		status, body = f.API("DELETE", "/api/v1/admin/tokens/"+id, "admin@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")
	}, webtest.SecondProvince())
}
