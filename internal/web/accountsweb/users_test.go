package accountsweb_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"khienso/internal/web/webtest"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/store"
)

var (
	userPageRowRe      = regexp.MustCompile(`data-user="([^"]+)"`)
	userPagePasswordRe = regexp.MustCompile(`id="user-one-time-password">([^<]+)<`)
	userPageSecretRe   = regexp.MustCompile(`id="token-secret">([^<]+)<`)
	userPageAuditRowRe = regexp.MustCompile(`<li class="audit-entry" id="audit-\d+" data-entity="([^"]+)" data-action="([^"]+)"`)
)

// userPageLoginAs signs in with a password other than the fixture's and
// returns the client with the redirect the login answered.
func userPageLoginAs(f *webtest.Fixture, email, password string) (*webtest.Client, string) {
	f.T.Helper()
	c := f.Login("")
	csrf := c.CSRF("/login")
	v := url.Values{"email": {email}, "password": {password}, "csrf_token": {csrf}}
	resp, err := c.HTTP.PostForm(f.Server.URL+"/login", v)
	if err != nil {
		f.T.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		f.T.Fatalf("login as %s: status %d", email, resp.StatusCode)
	}
	return c, resp.Header.Get("Location")
}

// userPageSessions signs each user in once (a sign-in costs an argon2
// hash) and hands out the same client afterwards.
func userPageSessions(f *webtest.Fixture) func(email string) *webtest.Client {
	clients := map[string]*webtest.Client{}
	return func(email string) *webtest.Client {
		if c, ok := clients[email]; ok {
			return c
		}
		c := f.Login(email)
		clients[email] = c
		return c
	}
}

// userPageLocation GETs path and returns the status and redirect target.
func userPageLocation(c *webtest.Client, path string) (int, string) {
	c.F.T.Helper()
	resp, err := c.HTTP.Get(c.F.Server.URL + path)
	if err != nil {
		c.F.T.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// userPageListed returns the e-mails listed on a /users page.
func userPageListed(body string) map[string]bool {
	out := map[string]bool{}
	for _, m := range userPageRowRe.FindAllStringSubmatch(body, -1) {
		out[m[1]] = true
	}
	return out
}

// userPageMsg is a catalogue message as it appears in a page (Vietnamese,
// HTML-escaped).
func userPageMsg(key string, args ...any) string {
	return html.EscapeString(i18n.VI.T(key, args...))
}

func userPageForm(name, email, unit string, roles ...auth.Role) url.Values {
	v := url.Values{"name": {name}, "email": {email}, "unit_code": {unit}}
	for _, r := range roles {
		v.Add("roles", string(r))
	}
	return v
}

func TestUserListScoping(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		as := userPageSessions(f)
		all := []string{"admin@t.vn", "coord@t.vn", "focal.x@t.vn", "viewer.x@t.vn", "focal.y@t.vn", "police@t.vn", "learner@t.vn"}
		cases := []struct {
			user   string
			status int
			want   []string        // listed
			edit   map[string]bool // e-mail → has an edit link
			query  string
		}{
			{"coord@t.vn", http.StatusOK, all, map[string]bool{"admin@t.vn": false, "focal.y@t.vn": true, "coord@t.vn": true}, ""},
			{"focal.x@t.vn", http.StatusOK, []string{"focal.x@t.vn", "viewer.x@t.vn", "learner@t.vn"},
				map[string]bool{"viewer.x@t.vn": true, "learner@t.vn": true}, ""},
			{"viewer.x@t.vn", http.StatusOK, []string{"focal.x@t.vn", "viewer.x@t.vn", "learner@t.vn"},
				map[string]bool{"viewer.x@t.vn": false, "focal.x@t.vn": false}, ""},
			{"focal.y@t.vn", http.StatusOK, []string{"focal.y@t.vn"}, nil, ""},
			// Search ignores case and diacritics.
			{"coord@t.vn", http.StatusOK, []string{"viewer.x@t.vn"}, nil, "NGUOI DUNG viewer"},
			{"focal.x@t.vn", http.StatusOK, nil, nil, "focal.y"},
			{"police@t.vn", http.StatusForbidden, nil, nil, ""},
		}
		for _, tc := range cases {
			c := as(tc.user)
			status, body := c.Get("/users?q=" + url.QueryEscape(tc.query))
			if status != tc.status {
				t.Errorf("%s GET /users?q=%s: %d, want %d", tc.user, tc.query, status, tc.status)
				continue
			}
			if status != http.StatusOK {
				continue
			}
			got := userPageListed(body)
			if len(got) != len(tc.want) {
				t.Errorf("%s q=%q lists %v, want %v", tc.user, tc.query, got, tc.want)
			}
			for _, e := range tc.want {
				if !got[e] {
					t.Errorf("%s q=%q should list %s", tc.user, tc.query, e)
				}
			}
			for e, want := range tc.edit {
				link := fmt.Sprintf(`href="/users/%d/edit"`, f.Users[e])
				if has := strings.Contains(body, link); has != want {
					t.Errorf("%s: edit link for %s present=%v, want %v", tc.user, e, has, want)
				}
			}
		}
		// Roles and status are shown translated.
		_, body := as("coord@t.vn").Get("/users")
		for _, key := range []string{"role.focal_point", "role.admin", "user.status.active"} {
			if !strings.Contains(body, userPageMsg(key)) {
				t.Errorf("the list should show %q", i18n.VI.T(key))
			}
		}
	})
}

func TestUserCreateRefused(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		as := userPageSessions(f)
		cases := []struct {
			actor, unit string
			role        auth.Role
			field, key  string
		}{
			{"focal.x@t.vn", "X1", auth.RoleCoordinator, "roles", "err.role_grant"},
			{"focal.x@t.vn", "X1", auth.RoleAdmin, "roles", "err.role_grant"},
			{"focal.x@t.vn", "Y1", auth.RoleViewer, "unit_code", "err.out_of_scope"},
			{"focal.x@t.vn", "40", auth.RoleViewer, "unit_code", "err.out_of_scope"},
			{"coord@t.vn", "40", auth.RoleAdmin, "roles", "err.role_grant"},
			{"coord@t.vn", "NO-SUCH", auth.RoleViewer, "unit_code", "user.err.unit_code"},
		}
		for i, tc := range cases {
			c := as(tc.actor)
			email := fmt.Sprintf("refused%d@t.vn", i)
			status, body := c.PostForm("/users/new", c.CSRF("/users/new"), userPageForm("Người bị từ chối", email, tc.unit, tc.role))
			if status != http.StatusUnprocessableEntity {
				t.Errorf("%s creating %s in %s: %d, want 422", tc.actor, tc.role, tc.unit, status)
				continue
			}
			var args []any
			if strings.Contains(i18n.VI.T(tc.key), "%v") {
				args = append(args, tc.unit)
			}
			want := fmt.Sprintf(`id="user-%s-error">%s<`, tc.field, userPageMsg(tc.key, args...))
			if !strings.Contains(body, want) {
				t.Errorf("%s creating %s in %s: no %s error %q beside %s", tc.actor, tc.role, tc.unit, tc.key, i18n.VI.T(tc.key, args...), tc.field)
			}
			// The input is kept.
			if !strings.Contains(body, `value="`+email+`"`) {
				t.Errorf("the form should keep the e-mail typed")
			}
			if u, _, err := f.Store.UserByEmail(context.Background(), email); err != nil || u != nil {
				t.Errorf("refused account %s was stored (%v)", email, err)
			}
		}
		// The form offers only the roles the caller may grant.
		for _, tc := range []struct {
			actor         string
			shown, hidden []auth.Role
		}{
			{"focal.x@t.vn", []auth.Role{auth.RoleFocalPoint, auth.RoleViewer, auth.RoleLearner}, []auth.Role{auth.RoleAdmin, auth.RoleCoordinator, auth.RolePolice}},
			{"coord@t.vn", []auth.Role{auth.RoleCoordinator, auth.RolePolice, auth.RoleViewer}, []auth.Role{auth.RoleAdmin}},
		} {
			_, body := as(tc.actor).Get("/users/new")
			for _, r := range tc.shown {
				if !strings.Contains(body, `id="user-role-`+string(r)+`"`) {
					t.Errorf("%s should be offered role %s", tc.actor, r)
				}
			}
			for _, r := range tc.hidden {
				if strings.Contains(body, `id="user-role-`+string(r)+`"`) {
					t.Errorf("%s should not be offered role %s", tc.actor, r)
				}
			}
		}
		// Without user.manage the form is forbidden.
		for _, who := range []string{"viewer.x@t.vn", "police@t.vn"} {
			c := as(who)
			if status, _ := c.Get("/users/new"); status != http.StatusForbidden {
				t.Errorf("%s GET /users/new: %d, want 403", who, status)
			}
			if status, _ := c.PostForm("/users/new", c.CSRF("/"), userPageForm("X", "x9@t.vn", "X1", auth.RoleViewer)); status != http.StatusForbidden {
				t.Errorf("%s POST /users/new: %d, want 403", who, status)
			}
		}
	})
}

func TestUserCreateOneTimePassword(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		as := userPageSessions(f)
		ctx := context.Background()
		focal := as("focal.x@t.vn")
		status, body := focal.PostForm("/users/new", focal.CSRF("/users/new"),
			userPageForm("  Trần Thị   Bình ", "Binh.Tran@T.vn", "X1-THCS", auth.RoleViewer))
		if status != http.StatusCreated {
			t.Fatalf("create: %d, want 201", status)
		}
		m := userPagePasswordRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("the response does not show the one-time password")
		}
		password := html.UnescapeString(m[1])
		u, hash, err := f.Store.UserByEmail(ctx, "binh.tran@t.vn")
		if err != nil || u == nil {
			t.Fatalf("the account was not stored: %v", err)
		}
		if u.Name != "Trần Thị Bình" || u.UnitID != f.Units["X1-THCS"] || len(u.Roles) != 1 || u.Roles[0] != auth.RoleViewer || !u.MustChangePassword {
			t.Errorf("stored account = %+v", u)
		}
		if ok, _ := auth.CheckPassword(hash, password); !ok {
			t.Error("the password shown is not the account's password")
		}
		// Shown once: neither the user's page nor the list repeats it, and
		// the audit log does not record it.
		for _, path := range []string{fmt.Sprintf("/users/%d/edit", u.ID), "/users"} {
			if _, b := focal.Get(path); strings.Contains(b, password) {
				t.Errorf("%s shows the one-time password again", path)
			}
		}
		entries, _, err := f.Store.AuditLog(ctx, audit.Filter{Entity: "user", EntityID: fmt.Sprint(u.ID)})
		if err != nil || len(entries) != 1 || entries[0].Actor != "focal.x@t.vn" {
			t.Fatalf("audit of the creation: %v, %v", entries, err)
		}
		if strings.Contains(string(entries[0].After), password) {
			t.Error("the audit log records the one-time password")
		}

		// The new user signs in with it and must change it first.
		c, next := userPageLoginAs(f, "binh.tran@t.vn", password)
		if next != "/account/password" {
			t.Fatalf("first sign-in went to %q, want /account/password", next)
		}
		if status, loc := userPageLocation(c, "/users"); status != http.StatusSeeOther || loc != "/account/password" {
			t.Errorf("before changing the password, /users answered %d → %q", status, loc)
		}
		newPassword := "một mật khẩu mới 2026"
		status, _ = c.PostForm("/account/password", c.CSRF("/account/password"),
			url.Values{"current": {password}, "new": {newPassword}, "confirm": {newPassword}})
		if status != http.StatusSeeOther {
			t.Fatalf("change password: %d", status)
		}
		if status, _ := c.Get("/"); status != http.StatusOK {
			t.Errorf("home after changing the password: %d", status)
		}
	})
}

func TestUserEdit(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		as := userPageSessions(f)
		ctx := context.Background()
		viewerID := f.Users["viewer.x@t.vn"]
		editPath := fmt.Sprintf("/users/%d/edit", viewerID)

		// Who may open whose edit page.
		for _, tc := range []struct {
			actor, target string
			status        int
		}{
			{"focal.x@t.vn", "viewer.x@t.vn", http.StatusOK},
			{"focal.x@t.vn", "focal.x@t.vn", http.StatusOK},
			{"focal.x@t.vn", "focal.y@t.vn", http.StatusForbidden},
			{"focal.y@t.vn", "viewer.x@t.vn", http.StatusForbidden},
			{"coord@t.vn", "admin@t.vn", http.StatusForbidden},
			{"coord@t.vn", "focal.y@t.vn", http.StatusOK},
			{"viewer.x@t.vn", "learner@t.vn", http.StatusForbidden},
		} {
			c := as(tc.actor)
			path := fmt.Sprintf("/users/%d/edit", f.Users[tc.target])
			if status, _ := c.Get(path); status != tc.status {
				t.Errorf("%s GET edit of %s: %d, want %d", tc.actor, tc.target, status, tc.status)
			}
			if tc.status == http.StatusForbidden {
				form := userPageForm("X", tc.target, "X1", auth.RoleViewer)
				if status, _ := c.PostForm(path, c.CSRF("/"), form); status != http.StatusForbidden {
					t.Errorf("%s POST edit of %s: %d, want 403", tc.actor, tc.target, status)
				}
				if status, _ := c.PostForm(fmt.Sprintf("/users/%d/password", f.Users[tc.target]), c.CSRF("/"), url.Values{}); status != http.StatusForbidden {
					t.Errorf("%s POST password reset of %s: %d, want 403", tc.actor, tc.target, status)
				}
			}
		}
		if status, _ := as("coord@t.vn").Get("/users/999999/edit"); status != http.StatusNotFound {
			t.Errorf("edit of an unknown user: %d, want 404", status)
		}

		// Refused edits name the field; nothing changes.
		focal := as("focal.x@t.vn")
		for _, tc := range []struct {
			name       string
			form       url.Values
			field, key string
		}{
			{"move out of scope", userPageForm("Viewer", "viewer.x@t.vn", "Y1", auth.RoleViewer), "unit_code", "err.out_of_scope"},
			{"raise to coordinator", userPageForm("Viewer", "viewer.x@t.vn", "X1", auth.RoleCoordinator), "roles", "err.role_grant"},
			{"no role", userPageForm("Viewer", "viewer.x@t.vn", "X1"), "roles", "err.required"},
			{"taken e-mail", userPageForm("Viewer", "learner@t.vn", "X1", auth.RoleViewer), "email", "err.email_taken"},
		} {
			status, body := focal.PostForm(editPath, focal.CSRF(editPath), tc.form)
			if status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want 422", tc.name, status)
				continue
			}
			if want := fmt.Sprintf(`id="user-%s-error">%s<`, tc.field, userPageMsg(tc.key)); !strings.Contains(body, want) {
				t.Errorf("%s: no %s error beside %s", tc.name, tc.key, tc.field)
			}
		}
		self := fmt.Sprintf("/users/%d/edit", f.Users["focal.x@t.vn"])
		form := userPageForm("Focal X", "focal.x@t.vn", "X1", auth.RoleFocalPoint)
		form.Set("disabled", "1")
		if status, body := focal.PostForm(self, focal.CSRF(self), form); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, userPageMsg("user.err.self_disable")) {
			t.Errorf("disabling oneself: %d, want 422 with the reason", status)
		}
		if u, _ := f.Store.User(ctx, viewerID); u.UnitID != f.Units["X1"] || u.Roles[0] != auth.RoleViewer || u.Disabled {
			t.Fatalf("a refused edit changed the account: %+v", u)
		}

		// A good edit: rename and move within scope.
		status, _ := focal.PostForm(editPath, focal.CSRF(editPath), userPageForm("Lê Văn Xem", "viewer.x@t.vn", "X1-THCS", auth.RoleViewer, auth.RoleLearner))
		if status != http.StatusSeeOther {
			t.Fatalf("edit: %d, want 303", status)
		}
		u, err := f.Store.User(ctx, viewerID)
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "Lê Văn Xem" || u.UnitID != f.Units["X1-THCS"] || len(u.Roles) != 2 {
			t.Errorf("after edit: %+v", u)
		}
		if _, body := focal.Get(editPath + "?saved=1"); !strings.Contains(body, `id="user-saved"`) || !strings.Contains(body, `value="X1-THCS"`) {
			t.Error("the edit page should confirm the save and show the new unit code")
		}

		// Disabling ends the user's session and revokes their tokens.
		viewer := as("viewer.x@t.vn")
		if status, _ := viewer.Get("/"); status != http.StatusOK {
			t.Fatalf("viewer home: %d", status)
		}
		form = userPageForm("Lê Văn Xem", "viewer.x@t.vn", "X1-THCS", auth.RoleViewer)
		form.Set("disabled", "1")
		if status, _ := focal.PostForm(editPath, focal.CSRF(editPath), form); status != http.StatusSeeOther {
			t.Fatalf("disable: %d, want 303", status)
		}
		if status, loc := userPageLocation(viewer, "/"); status != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
			t.Errorf("a disabled user's next request: %d → %q, want a redirect to /login", status, loc)
		}
		if _, err := f.Store.TokenUser(ctx, f.Tokens["viewer.x@t.vn"]); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a disabled user's token still works: %v", err)
		}
		if _, body := focal.Get("/users"); !strings.Contains(body, userPageMsg("user.status.disabled")) {
			t.Error("the list should show the account as disabled")
		}
	})
}

func TestUserPasswordReset(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		as := userPageSessions(f)
		viewer := as("viewer.x@t.vn")
		focal := as("focal.x@t.vn")
		id := f.Users["viewer.x@t.vn"]
		status, body := focal.PostForm(fmt.Sprintf("/users/%d/password", id), focal.CSRF(fmt.Sprintf("/users/%d/edit", id)), url.Values{})
		if status != http.StatusOK {
			t.Fatalf("reset: %d", status)
		}
		m := userPagePasswordRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("the reset page does not show the new password")
		}
		password := html.UnescapeString(m[1])
		if status, loc := userPageLocation(viewer, "/"); status != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
			t.Errorf("after a reset the user's old session answered %d → %q, want a redirect to /login", status, loc)
		}
		if _, next := userPageLoginAs(f, "viewer.x@t.vn", password); next != "/account/password" {
			t.Errorf("sign-in with the reset password went to %q, want /account/password", next)
		}
		// The caller's own session survives.
		if status, _ := focal.Get("/users"); status != http.StatusOK {
			t.Errorf("the admin's session after a reset: %d", status)
		}
	})
}

func TestTokenPages(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		as := userPageSessions(f)
		ctx := context.Background()
		c := as("viewer.x@t.vn")
		status, body := c.PostForm("/account/tokens", c.CSRF("/account/tokens"), url.Values{"name": {"Đồng bộ báo cáo"}})
		if status != http.StatusCreated {
			t.Fatalf("create token: %d", status)
		}
		m := userPageSecretRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("the secret is not shown")
		}
		secret := html.UnescapeString(m[1])
		if !strings.Contains(body, "Authorization: Bearer "+m[1]) {
			t.Error("the page should show how to use the token")
		}
		u, err := f.Store.TokenUser(ctx, secret)
		if err != nil || u.ID != f.Users["viewer.x@t.vn"] {
			t.Fatalf("the new token does not identify its owner: %v", err)
		}
		// The secret is not shown again.
		if _, b := c.Get("/account/tokens"); strings.Contains(b, secret) || !strings.Contains(b, "Đồng bộ báo cáo") {
			t.Error("the token list should name the token but not show its secret")
		}
		toks, err := f.Store.Tokens(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var tokID int64
		for _, tk := range toks {
			if tk.Name == "Đồng bộ báo cáo" {
				tokID = tk.ID
			}
		}
		revoke := fmt.Sprintf("/account/tokens/%d/revoke", tokID)
		// Someone else cannot revoke it.
		other := as("focal.x@t.vn")
		if status, _ := other.PostForm(revoke, other.CSRF("/account/tokens"), url.Values{}); status != http.StatusNotFound {
			t.Errorf("revoking another user's token: %d, want 404", status)
		}
		if _, b := other.Get("/account/tokens"); strings.Contains(b, "Đồng bộ báo cáo") {
			t.Error("another user's token page lists the token")
		}
		if _, err := f.Store.TokenUser(ctx, secret); err != nil {
			t.Fatalf("the token stopped working: %v", err)
		}
		if status, loc := userPageLocation(c, "/account/tokens"); status != http.StatusOK {
			t.Fatalf("tokens page: %d %s", status, loc)
		}
		if status, _ := c.PostForm(revoke, c.CSRF("/account/tokens"), url.Values{}); status != http.StatusSeeOther {
			t.Fatalf("revoke: %d, want 303", status)
		}
		if _, err := f.Store.TokenUser(ctx, secret); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a revoked token still works: %v", err)
		}
		if _, b := c.Get("/account/tokens?revoked=1"); !strings.Contains(b, userPageMsg("token.status.revoked")) {
			t.Error("the list should show the token as revoked")
		}

		// Expiry dates.
		today := dates.Today()
		for _, tc := range []struct {
			expires string
			status  int
			key     string
		}{
			{"31/02/2030", http.StatusUnprocessableEntity, "err.date"},
			{today.AddDays(-1).VN(), http.StatusUnprocessableEntity, "token.err.past"},
			{today.AddDays(30).VN(), http.StatusCreated, ""},
		} {
			status, body := c.PostForm("/account/tokens", c.CSRF("/account/tokens"), url.Values{"name": {"hạn " + tc.expires}, "expires": {tc.expires}})
			if status != tc.status {
				t.Errorf("expires %q: %d, want %d", tc.expires, status, tc.status)
				continue
			}
			if tc.key != "" {
				if !strings.Contains(body, `id="token-expires-error">`+userPageMsg(tc.key)) {
					t.Errorf("expires %q: no %s error", tc.expires, tc.key)
				}
				continue
			}
			m := userPageSecretRe.FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no secret")
			}
			toks, _ := f.Store.Tokens(ctx, u.ID)
			want, _ := time.ParseInLocation("2006-01-02", today.AddDays(31).ISO(), dates.Vietnam)
			if len(toks) == 0 || !toks[0].ExpiresAt.Equal(want) {
				t.Errorf("token expiry = %v, want %v", toks[0].ExpiresAt, want)
			}
		}
		if status, _ := c.PostForm("/account/tokens", c.CSRF("/account/tokens"), url.Values{"name": {"  "}}); status != http.StatusUnprocessableEntity {
			t.Errorf("a token without a name: %d, want 422", status)
		}
	})
}

func TestAuditPage(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		as := userPageSessions(f)
		coord := as("coord@t.vn")
		// A change made in the test.
		id := f.Users["focal.y@t.vn"]
		edit := fmt.Sprintf("/users/%d/edit", id)
		if status, _ := coord.PostForm(edit, coord.CSRF(edit), userPageForm("Đầu Mối Phường Vinh Phú", "focal.y@t.vn", "Y1", auth.RoleFocalPoint)); status != http.StatusSeeOther {
			t.Fatalf("edit: %d", status)
		}

		status, body := coord.Get("/audit?entity=user")
		if status != http.StatusOK {
			t.Fatalf("GET /audit: %d", status)
		}
		rows := userPageAuditRowRe.FindAllStringSubmatch(body, -1)
		if len(rows) == 0 {
			t.Fatal("no user entries")
		}
		for _, r := range rows {
			if r[1] != "user" {
				t.Errorf("filtering by entity=user shows a %s entry", r[1])
			}
		}
		// Newest first: the edit comes before the fixture's creations.
		if rows[0][2] != "update" {
			t.Errorf("the newest user entry is %q, want the update", rows[0][2])
		}
		text := html.UnescapeString(body)
		// The edit reads in words, linked to the account, with the field
		// changed before and after; no recorded JSON.
		for _, want := range []string{"coord@t.vn", fmt.Sprintf(`<a href="%s">Sửa tài khoản Đầu Mối Phường Vinh Phú</a>`, edit),
			`<tr><th scope="row">Tên</th><td class="pre-line">Người dùng focal.y@t.vn</td><td class="pre-line">Đầu Mối Phường Vinh Phú</td></tr>`} {
			if !strings.Contains(text, want) {
				t.Errorf("the audit page should show %q", want)
			}
		}
		if strings.Contains(text, `"name":`) || strings.Contains(text, "<pre") {
			t.Error("the audit page shows recorded JSON")
		}

		// More filters.
		for _, tc := range []struct {
			query  string
			status int
			check  func(rows [][]string) bool
		}{
			{"entity=unit", http.StatusOK, func(rows [][]string) bool {
				for _, r := range rows {
					if r[1] != "unit" {
						return false
					}
				}
				return len(rows) == 6
			}},
			{fmt.Sprintf("entity=user&entity_id=%d&actor=COORD", id), http.StatusOK, func(rows [][]string) bool {
				return len(rows) == 1 && rows[0][2] == "update"
			}},
			{"action=update&actor=nobody", http.StatusOK, func(rows [][]string) bool { return len(rows) == 0 }},
			{"from=" + url.QueryEscape(dates.Today().VN()) + "&to=" + url.QueryEscape(dates.Today().VN()) + "&entity=user&action=update", http.StatusOK,
				func(rows [][]string) bool { return len(rows) == 1 }},
			{"to=" + url.QueryEscape(dates.Today().AddDays(-1).VN()), http.StatusOK, func(rows [][]string) bool { return len(rows) == 0 }},
			{"from=32/13/2026", http.StatusUnprocessableEntity, func(rows [][]string) bool { return len(rows) == 0 }},
			{"from=10/01/2026&to=09/01/2026", http.StatusUnprocessableEntity, func(rows [][]string) bool { return len(rows) == 0 }},
		} {
			status, body := coord.Get("/audit?" + tc.query)
			if status != tc.status {
				t.Errorf("/audit?%s: %d, want %d", tc.query, status, tc.status)
				continue
			}
			if rows := userPageAuditRowRe.FindAllStringSubmatch(body, -1); !tc.check(rows) {
				t.Errorf("/audit?%s: unexpected rows %v", tc.query, rows)
			}
		}
		// A unit entry links to its unit.
		if _, body := coord.Get("/audit?entity=unit"); !strings.Contains(body, fmt.Sprintf(`href="/units/%d"`, f.Units["X1"])) {
			t.Error("unit entries should link to the unit")
		}

		// Only province-wide readers see the log.
		for _, tc := range []struct {
			user   string
			status int
		}{
			{"admin@t.vn", http.StatusOK}, {"focal.x@t.vn", http.StatusForbidden},
		} {
			if status, _ := as(tc.user).Get("/audit"); status != tc.status {
				t.Errorf("%s GET /audit: %d, want %d", tc.user, status, tc.status)
			}
		}
		// The log cannot be changed through the web.
		if status, _ := coord.PostForm("/audit", coord.CSRF("/audit"), url.Values{}); status < 400 {
			t.Errorf("POST /audit: %d, want an error", status)
		}
	})
}
