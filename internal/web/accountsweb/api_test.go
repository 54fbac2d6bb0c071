package accountsweb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/units"
	"khienso/internal/web/webtest"
)

type apiTestList[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

type apiTestUser struct {
	ID                 int64    `json:"id"`
	Email              string   `json:"email"`
	Name               string   `json:"name"`
	UnitID             int64    `json:"unit_id"`
	Roles              []string `json:"roles"`
	MustChangePassword bool     `json:"must_change_password"`
	Disabled           bool     `json:"disabled"`
}

func TestAPILogin(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		// Sign in, then use the new token.
		status, body := f.API("POST", "/api/v1/auth/login", "", webtest.JSON(map[string]string{"email": "Focal.X@t.vn", "password": webtest.Password, "token_name": "script"}))
		var login struct {
			Token     string      `json:"token"`
			TokenID   int64       `json:"token_id"`
			ExpiresAt string      `json:"expires_at"`
			User      apiTestUser `json:"user"`
		}
		webtest.Expect(t, status, body, http.StatusOK, &login)
		if login.Token == "" || login.TokenID == 0 || login.ExpiresAt == "" || login.User.Email != "focal.x@t.vn" {
			t.Fatalf("login response: %s", body)
		}
		f.Tokens["script"] = login.Token
		var me apiTestUser
		status, body = f.API("GET", "/api/v1/me", "script", "")
		webtest.Expect(t, status, body, http.StatusOK, &me)
		if me.Email != "focal.x@t.vn" || me.UnitID != f.Units["X1"] || !slices.Equal(me.Roles, []string{"focal_point"}) {
			t.Errorf("me = %+v", me)
		}

		// A wrong password; then lockout after five in a row, even for the
		// right password.
		wrong := webtest.JSON(map[string]string{"email": "viewer.x@t.vn", "password": "not the password"})
		status, body = f.API("POST", "/api/v1/auth/login", "", wrong)
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "invalid_credentials")
		for range 4 {
			status, body = f.API("POST", "/api/v1/auth/login", "", wrong)
			webtest.ExpectError(t, status, body, http.StatusUnauthorized, "invalid_credentials")
		}
		status, body = f.API("POST", "/api/v1/auth/login", "", webtest.JSON(map[string]string{"email": "viewer.x@t.vn", "password": webtest.Password}))
		webtest.ExpectError(t, status, body, http.StatusTooManyRequests, "rate_limited")

		// Malformed requests name what is wrong; a bad token name costs no
		// sign-in attempt.
		status, body = f.API("POST", "/api/v1/auth/login", "", `{"email": "a@t.vn", "password": "x", "remember": true}`)
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", "remember")
		status, body = f.API("POST", "/api/v1/auth/login", "", webtest.JSON(map[string]string{"email": "focal.y@t.vn",
			"password": webtest.Password, "token_name": strings.Repeat("x", 81)}))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "token_name")

		// A disabled account is told so, once the password is right.
		status, body = f.API("PATCH", fmt.Sprintf("/api/v1/users/%d", f.Users["learner@t.vn"]), "admin@t.vn", `{"disabled": true}`)
		webtest.Expect(t, status, body, http.StatusOK, nil)
		status, body = f.API("POST", "/api/v1/auth/login", "", webtest.JSON(map[string]string{"email": "learner@t.vn", "password": webtest.Password}))
		webtest.ExpectError(t, status, body, http.StatusForbidden, "disabled")
	})
}

func TestAPIUsersAndTokens(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		// A unit outside everyone's subtree but the province's.
		other := &units.Unit{Code: "Z9", Name: "Xã Khác", Type: units.TypeCommune, ValidFrom: dates.MustParse("2021-01-01")}
		if err := f.Store.CreateUnit(ctx, audit.System, other, f.Units["40"]); err != nil {
			t.Fatal(err)
		}

		// Create: validation, then an account that must change its password.
		status, body := f.API("POST", "/api/v1/users", "focal.x@t.vn", webtest.JSON(map[string]any{
			"email": "not-an-address", "name": "", "unit_id": f.Units["X1-THCS"], "roles": []string{"viewer", "wizard"}, "password": "short"}))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "email", "name", "roles", "password")
		status, body = f.API("POST", "/api/v1/users", "focal.x@t.vn", webtest.JSON(map[string]any{
			"email": "x@t.vn", "name": "Khách", "roles": []string{"viewer"}, "password": webtest.Password}))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "unit_id")
		status, body = f.API("POST", "/api/v1/users", "focal.x@t.vn", webtest.JSON(map[string]any{
			"email": "gv@t.vn", "name": "Giáo viên", "unit_id": f.Units["X1-THCS"], "roles": []string{"focal_point", "coordinator"}, "password": webtest.Password}))
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden", "roles")
		var created apiTestUser
		status, body = f.API("POST", "/api/v1/users", "focal.x@t.vn", webtest.JSON(map[string]any{
			"email": " GV@t.vn ", "name": "Giáo  viên", "unit_id": f.Units["X1-THCS"], "roles": []string{"viewer", "focal_point"}, "password": webtest.Password}))
		webtest.Expect(t, status, body, http.StatusCreated, &created)
		if created.Email != "gv@t.vn" || created.Name != "Giáo viên" || !created.MustChangePassword ||
			!slices.Equal(created.Roles, []string{"focal_point", "viewer"}) || strings.Contains(body, "password") && !strings.Contains(body, "must_change_password") {
			t.Errorf("created user: %s", body)
		}
		status, body = f.API("POST", "/api/v1/users", "admin@t.vn", webtest.JSON(map[string]any{
			"email": "gv@t.vn", "name": "Trùng", "unit_id": other.ID, "roles": []string{"viewer"}, "password": webtest.Password}))
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "email")
		// The password it was given is right (not 401) but one-time: the API
		// gives no token until it is changed.
		status, body = f.API("POST", "/api/v1/auth/login", "", webtest.JSON(map[string]string{"email": "gv@t.vn", "password": webtest.Password}))
		webtest.ExpectError(t, status, body, http.StatusForbidden, "password_change_required")

		// Read and list within scope.
		uid := fmt.Sprint(created.ID)
		var u apiTestUser
		status, body = f.API("GET", "/api/v1/users/"+uid, "viewer.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &u)
		if u.Email != "gv@t.vn" {
			t.Errorf("read user: %s", body)
		}
		status, body = f.API("GET", "/api/v1/users/999999", "admin@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")
		var list apiTestList[apiTestUser]
		status, body = f.API("GET", "/api/v1/users?q=GIAO+VIEN", "focal.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 1 || list.Items[0].ID != created.ID {
			t.Errorf("search users: %s", body)
		}
		status, body = f.API("GET", "/api/v1/users?q=giao+vien", "focal.y@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 0 || list.Items == nil {
			t.Errorf("focal.y searching X1's users: %s", body)
		}
		status, body = f.API("GET", "/api/v1/users?limit=3&offset=6", "admin@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 8 || len(list.Items) != 2 || list.Limit != 3 || list.Offset != 6 {
			t.Errorf("users page: %s", body)
		}

		// Patch: fields present change; the new unit and roles are checked.
		status, body = f.API("PATCH", "/api/v1/users/"+uid, "focal.x@t.vn", `{"name": "Cô giáo", "roles": ["viewer"]}`)
		webtest.Expect(t, status, body, http.StatusOK, &u)
		if u.Name != "Cô giáo" || u.Email != "gv@t.vn" || u.UnitID != f.Units["X1-THCS"] || !slices.Equal(u.Roles, []string{"viewer"}) {
			t.Errorf("patched user: %s", body)
		}
		status, body = f.API("PATCH", "/api/v1/users/"+uid, "focal.x@t.vn", `{"unit_id": `+fmt.Sprint(f.Units["Y1"])+`}`)
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden")
		status, body = f.API("PATCH", "/api/v1/users/"+uid, "focal.x@t.vn", `{"roles": ["admin"]}`)
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden", "roles")
		status, body = f.API("PATCH", "/api/v1/users/"+uid, "focal.x@t.vn", `{"password": "x"}`)
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", "password")
		status, body = f.API("PATCH", "/api/v1/users/"+uid, "focal.x@t.vn", `{"roles": [], "email": "bad"}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "email", "roles")
		// A focal point cannot edit an account holding a role above theirs.
		status, body = f.API("PATCH", "/api/v1/users/"+uid, "coord@t.vn", `{"roles": ["coordinator"]}`)
		webtest.Expect(t, status, body, http.StatusOK, nil)
		status, body = f.API("PATCH", "/api/v1/users/"+uid, "focal.x@t.vn", `{"disabled": true}`)
		webtest.ExpectError(t, status, body, http.StatusForbidden, "forbidden", "roles")
		// Disabling ends the account's tokens.
		status, body = f.API("PATCH", "/api/v1/users/"+fmt.Sprint(f.Users["viewer.x@t.vn"]), "focal.x@t.vn", `{"disabled": true}`)
		webtest.Expect(t, status, body, http.StatusOK, &u)
		if !u.Disabled {
			t.Errorf("disabled user: %s", body)
		}
		status, body = f.API("GET", "/api/v1/me", "viewer.x@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")

		// Tokens: create, list, use, revoke (own only).
		var tok struct {
			Token     string `json:"token"`
			TokenID   int64  `json:"token_id"`
			ID        int64  `json:"id"`
			Name      string `json:"name"`
			Prefix    string `json:"prefix"`
			ExpiresAt string `json:"expires_at"`
		}
		status, body = f.API("POST", "/api/v1/tokens", "focal.y@t.vn", `{"name": "báo cáo", "expires_at": "2020-01-01"}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "expires_at")
		status, body = f.API("POST", "/api/v1/tokens", "focal.y@t.vn", `{"name": "báo cáo", "expires_at": "soon"}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "expires_at")
		status, body = f.API("POST", "/api/v1/tokens", "focal.y@t.vn", `{"name": "  "}`)
		webtest.ExpectError(t, status, body, http.StatusUnprocessableEntity, "invalid_input", "name")
		expiry := dates.Today().AddDays(30)
		status, body = f.API("POST", "/api/v1/tokens", "focal.y@t.vn", `{"name": "báo cáo", "expires_at": "`+expiry.ISO()+`"}`)
		webtest.Expect(t, status, body, http.StatusCreated, &tok)
		if tok.Token == "" || tok.TokenID == 0 || tok.ID != tok.TokenID || tok.Name != "báo cáo" || !strings.HasPrefix(tok.Token, tok.Prefix) ||
			!strings.HasPrefix(tok.ExpiresAt, expiry.AddDays(1).ISO()) && !strings.HasPrefix(tok.ExpiresAt, expiry.ISO()+"T17:00:00") {
			t.Errorf("created token: %s", body)
		}
		f.Tokens["new"] = tok.Token
		var me apiTestUser
		status, body = f.API("GET", "/api/v1/me", "new", "")
		webtest.Expect(t, status, body, http.StatusOK, &me)
		if me.Email != "focal.y@t.vn" {
			t.Errorf("me with the new token: %s", body)
		}
		var tokens apiTestList[map[string]any]
		status, body = f.API("GET", "/api/v1/tokens", "new", "")
		webtest.Expect(t, status, body, http.StatusOK, &tokens)
		if tokens.Total != 2 || strings.Contains(body, tok.Token) {
			t.Errorf("token list: %s", body)
		}
		tid := fmt.Sprint(tok.TokenID)
		status, body = f.API("DELETE", "/api/v1/tokens/"+tid, "focal.x@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")
		status, body = f.API("DELETE", "/api/v1/tokens/"+tid, "focal.y@t.vn", "")
		if status != http.StatusNoContent || body != "" {
			t.Errorf("revoke: %d %q", status, body)
		}
		status, body = f.API("GET", "/api/v1/me", "new", "")
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")
		status, body = f.API("DELETE", "/api/v1/tokens/"+tid, "focal.y@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")
	})
}

func TestAPIPasswordReset(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		var reset struct {
			Password string      `json:"one_time_password"`
			User     apiTestUser `json:"user"`
		}
		viewer := fmt.Sprint(f.Users["viewer.x@t.vn"])
		status, body := f.API("POST", "/api/v1/users/"+viewer+"/password-reset", "focal.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &reset)
		if len(reset.Password) < auth.MinPasswordLen || reset.User.Email != "viewer.x@t.vn" || !reset.User.MustChangePassword {
			t.Fatalf("reset: %s", body)
		}
		// The reset revoked the account's tokens.
		status, body = f.API("GET", "/api/v1/me", "viewer.x@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")
		// The one-time password gives no API token, neither by the API
		// login nor through a web session opened with it; the audit log has
		// the reset, not the password.
		status, body = f.API("POST", "/api/v1/auth/login", "", webtest.JSON(map[string]string{"email": "viewer.x@t.vn", "password": reset.Password}))
		webtest.ExpectError(t, status, body, http.StatusForbidden, "password_change_required")
		browser := f.LoginWith("viewer.x@t.vn", reset.Password)
		req, _ := http.NewRequest("POST", f.Server.URL+"/api/v1/tokens", strings.NewReader(`{"name": "lâu dài"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", browser.CSRF("/account/password"))
		resp, err := browser.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		webtest.ExpectError(t, resp.StatusCode, string(b), http.StatusForbidden, "password_change_required")
		entries, _, err := f.Store.AuditLog(ctx, audit.Filter{Action: "password", EntityID: viewer})
		if err != nil || len(entries) != 1 || entries[0].Actor != "focal.x@t.vn" || strings.Contains(string(entries[0].After), reset.Password) {
			t.Errorf("audit of the reset: %v %v", entries, err)
		}
		// Refusals: out of the unit's scope, above the caller, another
		// province, no right at all, no such account.
		boss := &auth.User{Email: "boss@t.vn", Name: "Điều phối ở xã", UnitID: f.Units["X1"], Roles: []auth.Role{auth.RoleCoordinator}}
		if err := f.Store.CreateUser(ctx, audit.System, boss, webtest.PasswordHash()); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			user   string
			target int64
			want   int
			fields []string
		}{
			{"focal.x@t.vn", f.Users["focal.y@t.vn"], http.StatusForbidden, []string{}},
			{"focal.x@t.vn", boss.ID, http.StatusForbidden, []string{"roles"}},
			{"coord@t.vn", f.Users["focal.z@t.vn"], http.StatusForbidden, []string{}},
			{"coord.z@t.vn", f.Users["viewer.x@t.vn"], http.StatusForbidden, []string{}},
			{"learner@t.vn", f.Users["viewer.x@t.vn"], http.StatusForbidden, []string{}}, // the viewer's own token died with the reset
			{"admin@t.vn", 999999, http.StatusNotFound, nil},
			{"", f.Users["learner@t.vn"], http.StatusUnauthorized, nil},
		} {
			status, body := f.API("POST", fmt.Sprintf("/api/v1/users/%d/password-reset", c.target), c.user, "")
			code := map[int]string{403: "forbidden", 404: "not_found", 401: "unauthorized"}[c.want]
			webtest.ExpectError(t, status, body, c.want, code, c.fields...)
		}
	}, webtest.SecondProvince())
}

func TestAPIOwnPassword(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		const next = "mùa thu lá vàng rơi đầy ngõ"
		for _, c := range []struct {
			body   string
			status int
			code   string
			fields []string
		}{
			{webtest.JSON(map[string]string{"current": "sai rồi", "new": next}), 422, "invalid_input", []string{"current"}},
			{webtest.JSON(map[string]string{"current": webtest.Password, "new": "ngắn"}), 422, "invalid_input", []string{"new"}},
			{webtest.JSON(map[string]string{"current": webtest.Password, "new": webtest.Password}), 422, "invalid_input", []string{"new"}},
			{`{"current": "x", "new": "y", "confirm": "y"}`, 400, "bad_request", []string{"confirm"}},
		} {
			status, body := f.API("POST", "/api/v1/me/password", "focal.y@t.vn", c.body)
			webtest.ExpectError(t, status, body, c.status, c.code, c.fields...)
		}
		status, body := f.API("POST", "/api/v1/me/password", "", webtest.JSON(map[string]string{"current": webtest.Password, "new": next}))
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")

		// By token: every session ends, the token keeps working.
		other := f.Login("focal.y@t.vn")
		status, body = f.API("POST", "/api/v1/me/password", "focal.y@t.vn", webtest.JSON(map[string]string{"current": webtest.Password, "new": next}))
		if status != http.StatusNoContent || body != "" {
			t.Fatalf("change: %d %s", status, body)
		}
		if status, _ := other.Get("/"); status != http.StatusSeeOther {
			t.Errorf("a session after the password changed: %d, want a redirect to sign in", status)
		}
		status, body = f.API("GET", "/api/v1/me", "focal.y@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, nil)
		status, body = f.API("POST", "/api/v1/auth/login", "", webtest.JSON(map[string]string{"email": "focal.y@t.vn", "password": next}))
		webtest.Expect(t, status, body, http.StatusOK, nil)
		// Asked to, the change revokes every token, the calling one too.
		status, body = f.API("POST", "/api/v1/me/password", "focal.y@t.vn", webtest.JSON(map[string]any{"current": next, "new": next + " nữa", "revoke_tokens": true}))
		if status != http.StatusNoContent {
			t.Fatalf("change with revoke_tokens: %d %s", status, body)
		}
		status, body = f.API("GET", "/api/v1/me", "focal.y@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")

		// By session: that session stays, the others end.
		mine, theirs := f.Login("focal.x@t.vn"), f.Login("focal.x@t.vn")
		req, _ := http.NewRequest("POST", f.Server.URL+"/api/v1/me/password",
			strings.NewReader(webtest.JSON(map[string]string{"current": webtest.Password, "new": next})))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", mine.CSRF("/"))
		resp, err := mine.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("change by session: %d", resp.StatusCode)
		}
		if status, _ := mine.Get("/"); status != http.StatusOK {
			t.Errorf("the session that changed the password: %d, want 200", status)
		}
		if status, _ := theirs.Get("/"); status != http.StatusSeeOther {
			t.Errorf("another session: %d, want a redirect to sign in", status)
		}
	})
}

func TestAPIAudit(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		// Changes in each province: a token, then an edit.
		status, body := f.API("POST", "/api/v1/tokens", "coord@t.vn", `{"name": "nhật ký"}`)
		webtest.Expect(t, status, body, http.StatusCreated, nil)
		status, body = f.API("PATCH", fmt.Sprintf("/api/v1/users/%d", f.Users["focal.y@t.vn"]), "coord@t.vn", `{"name": "Đầu mối Vinh Phú"}`)
		webtest.Expect(t, status, body, http.StatusOK, nil)
		status, body = f.API("PATCH", fmt.Sprintf("/api/v1/users/%d", f.Users["focal.z@t.vn"]), "coord.z@t.vn", `{"name": "Đầu mối Cẩm Xuyên"}`)
		webtest.Expect(t, status, body, http.StatusOK, nil)

		type entry struct {
			ID       int64           `json:"id"`
			Actor    string          `json:"actor"`
			Action   string          `json:"action"`
			Entity   string          `json:"entity"`
			EntityID string          `json:"entity_id"`
			After    json.RawMessage `json:"after"`
		}
		get := func(user, query string) apiTestList[entry] {
			t.Helper()
			var list apiTestList[entry]
			status, body := f.API("GET", "/api/v1/audit?"+query, user, "")
			webtest.Expect(t, status, body, http.StatusOK, &list)
			if list.Items == nil {
				t.Fatalf("items is not a list: %s", body)
			}
			return list
		}
		// Each province's coordinator reads what their province's people
		// did, and only that.
		for user, want := range map[string]string{"coord@t.vn": "Đầu mối Vinh Phú", "coord.z@t.vn": "Đầu mối Cẩm Xuyên"} {
			list := get(user, "")
			if list.Total == 0 {
				t.Fatalf("%s reads an empty log", user)
			}
			for _, e := range list.Items {
				if e.Actor != user {
					t.Errorf("%s reads an entry by %s", user, e.Actor)
				}
			}
			if !strings.Contains(string(list.Items[0].After), want) {
				t.Errorf("%s: newest entry %s, want the edit", user, list.Items[0].After)
			}
		}
		// Filters as on the page.
		today := dates.Today()
		for _, c := range []struct {
			query string
			total int
		}{
			{"entity=user&action=update", 1},
			{"actor=COORD&entity=user", 1},
			{fmt.Sprintf("entity=user&entity_id=%d", f.Users["focal.y@t.vn"]), 1},
			{"from=" + today.ISO() + "&to=" + today.ISO() + "&action=update", 1},
			{"to=" + today.AddDays(-1).ISO(), 0},
			{"actor=%25", 0},
			{"actor=_", 0},
			{"entity=unit", 0},
		} {
			if list := get("coord@t.vn", c.query); list.Total != c.total || len(list.Items) != c.total {
				t.Errorf("?%s: %d entries (%d listed), want %d", c.query, list.Total, len(list.Items), c.total)
			}
		}
		// A single-tree database shows the product's own entries too; with
		// two provinces they belong to no one's province.
		if list := get("admin@t.vn", "entity=unit"); list.Total != 0 {
			t.Errorf("the system's unit entries are shown to a province: %d", list.Total)
		}
		// Pagination.
		all := get("coord@t.vn", "")
		page := get("coord@t.vn", "limit=1&offset=1")
		if all.Total < 2 || page.Total != all.Total || len(page.Items) != 1 || page.Items[0].ID != all.Items[1].ID || page.Limit != 1 || page.Offset != 1 {
			t.Errorf("page 2 of 1: %+v (all: %d)", page, all.Total)
		}
		// Refusals and bad filters.
		for _, c := range []struct {
			user, query string
			status      int
			code        string
			fields      []string
		}{
			{"focal.x@t.vn", "", 403, "forbidden", []string{}},
			{"focal.x@t.vn", "from=bad", 403, "forbidden", []string{}},
			{"viewer.x@t.vn", "", 403, "forbidden", []string{}},
			{"", "", 401, "unauthorized", nil},
			{"coord@t.vn", "from=15/06/2026", 400, "bad_request", []string{"from"}},
			{"coord@t.vn", "from=2026-06-15&to=2026-06-14", 422, "invalid_input", []string{"to"}},
			{"coord@t.vn", "actor=" + strings.Repeat("a", 255), 422, "invalid_input", []string{"actor"}},
			{"coord@t.vn", "limit=501", 400, "bad_request", []string{"limit"}},
		} {
			status, body := f.API("GET", "/api/v1/audit?"+c.query, c.user, "")
			webtest.ExpectError(t, status, body, c.status, c.code, c.fields...)
		}
		if status, body := f.API("POST", "/api/v1/audit", "coord@t.vn", "{}"); status != http.StatusMethodNotAllowed {
			t.Errorf("POST /api/v1/audit: %d %s", status, body)
		}
	}, webtest.SecondProvince())
}
