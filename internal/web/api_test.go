package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"khienso/internal/store"
	"khienso/internal/web/webtest"
	"net/http"
	"slices"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/units"
)

// apiTestError is the error body every API failure carries.
type apiTestError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Fields  []struct {
			Field  string `json:"field"`
			Reason string `json:"reason"`
		} `json:"fields"`
	} `json:"error"`
}

// apiTestUnit is a unit as the API returns it; FocalPoint is nil when the
// non-public fields are absent.
type apiTestUnit struct {
	ID          int64              `json:"id"`
	Code        string             `json:"code"`
	Name        string             `json:"name"`
	ShortName   string             `json:"short_name"`
	Type        string             `json:"type"`
	ParentID    int64              `json:"parent_id"`
	ValidFrom   string             `json:"valid_from"`
	ValidTo     string             `json:"valid_to"`
	ChildCount  int                `json:"child_count"`
	Restricted  bool               `json:"restricted"`
	AncestorIDs []int64            `json:"ancestor_ids"`
	Children    []apiTestUnit      `json:"children"`
	HeadName    *string            `json:"head_name"`
	FocalPoint  *map[string]string `json:"focal_point"`
	StaffCount  *int               `json:"staff_count"`
}

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

// TestAPIRoutesMatchOpenAPI checks that openapi.json describes exactly the
// routes apiRoutes registers, and that its references resolve.
func TestAPIRoutesMatchOpenAPI(t *testing.T) {
	f := webtest.New(t, store.SQLite)
	apiOpenAPIDoc, err := f.App.Web.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(apiOpenAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	registered := map[string]bool{}
	for _, rt := range f.App.Web.Routes() {
		if !rt.API {
			continue
		}
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		key := strings.ToLower(method) + " " + pattern
		if registered[key] {
			t.Errorf("route %s listed twice", key)
		}
		registered[key] = true
		if !strings.HasPrefix(pattern, "/api/v1/") {
			t.Errorf("route %s is outside /api/v1", key)
		}
		if _, ok := doc.Paths[pattern][strings.ToLower(method)]; !ok {
			t.Errorf("route %s is not in openapi.json", rt.Pattern)
		}
	}
	methods := []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}
	for path, item := range doc.Paths {
		for m := range item {
			if m == "parameters" || m == "summary" || m == "description" {
				continue
			}
			if !slices.Contains(methods, m) {
				t.Errorf("openapi.json %s has unknown key %q", path, m)
			} else if !registered[m+" "+path] {
				t.Errorf("openapi.json describes %s %s, which is not registered", strings.ToUpper(m), path)
			}
		}
	}
	// Every $ref points at something defined.
	var whole any
	_ = json.Unmarshal(apiOpenAPIDoc, &whole)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				var node any = whole
				for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
					m, _ := node.(map[string]any)
					node = m[part]
				}
				if node == nil {
					t.Errorf("openapi.json: $ref %s resolves to nothing", ref)
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(whole)
}

func TestAPILoginAndErrors(t *testing.T) {
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

		// Malformed requests name what is wrong.
		status, body = f.API("POST", "/api/v1/auth/login", "", `{"email": "a@t.vn", "password": "x", "remember": true}`)
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", "remember")
		status, body = f.API("POST", "/api/v1/units", "admin@t.vn", `{"code": "Z", "colour": "blue"}`)
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", "colour")
		status, body = f.API("POST", "/api/v1/units", "admin@t.vn", `{"code": "Z",`)
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_json")
		status, body = f.API("POST", "/api/v1/units", "admin@t.vn", `{"code": 5}`)
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", "code")
		for _, c := range []struct{ query, field string }{
			{"limit=0", "limit"}, {"limit=501", "limit"}, {"offset=-1", "offset"}, {"date=31/12/2025", "date"},
			{"date=2025-02-30", "date"}, {"type=castle", "type"}, {"within=abc", "within"}, {"include_closed=maybe", "include_closed"},
		} {
			status, body = f.API("GET", "/api/v1/units?"+c.query, "admin@t.vn", "")
			webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", c.field)
		}
		status, body = f.API("GET", "/api/v1/units/tree?depth=4", "admin@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusBadRequest, "bad_request", "depth")

		// Who is calling.
		status, body = f.API("GET", "/api/v1/me", "", "")
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")
		f.Tokens["forged"] = "ks_forged"
		status, body = f.API("GET", "/api/v1/units", "forged", "")
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")
		status, body = f.API("POST", "/api/v1/units", "", `{}`)
		webtest.ExpectError(t, status, body, http.StatusUnauthorized, "unauthorized")

		// Methods and addresses.
		x1 := fmt.Sprint(f.Units["X1"])
		status, body = f.API("DELETE", "/api/v1/units/"+x1, "admin@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusMethodNotAllowed, "unit_not_deletable")
		req, _ := http.NewRequest("PUT", f.Server.URL+"/api/v1/units/"+x1, strings.NewReader("{}"))
		req.Header.Set("Authorization", "Bearer "+f.Tokens["admin@t.vn"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		webtest.ExpectError(t, resp.StatusCode, string(b), http.StatusMethodNotAllowed, "method_not_allowed")
		if allow := resp.Header.Get("Allow"); allow != "GET, PATCH" {
			t.Errorf("Allow = %q", allow)
		}
		req, _ = http.NewRequest("DELETE", f.Server.URL+"/api/v1/units/"+x1, nil)
		req.Header.Set("Authorization", "Bearer "+f.Tokens["admin@t.vn"])
		if resp, err = http.DefaultClient.Do(req); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if allow := resp.Header.Get("Allow"); resp.StatusCode != http.StatusMethodNotAllowed || allow != "GET, PATCH" {
			t.Errorf("DELETE a unit: %d, Allow = %q", resp.StatusCode, allow)
		}
		status, body = f.API("PATCH", "/api/v1/tokens", "admin@t.vn", "{}")
		webtest.ExpectError(t, status, body, http.StatusMethodNotAllowed, "method_not_allowed")
		status, body = f.API("GET", "/api/v1/units/merge", "admin@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")
		status, body = f.API("GET", "/api/v1/no-such-thing", "admin@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")
		status, body = f.API("GET", "/api/v1/units/999999", "admin@t.vn", "")
		webtest.ExpectError(t, status, body, http.StatusNotFound, "not_found")

		// English messages on request.
		req, _ = http.NewRequest("GET", f.Server.URL+"/api/v1/me", nil)
		req.Header.Set("Accept-Language", "en")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		var e apiTestError
		webtest.Decode(t, string(b), &e)
		if e.Error.Message != "you need to sign in" {
			t.Errorf("English message = %q", e.Error.Message)
		}

		// The description is served without sign-in.
		status, body = f.API("GET", "/api/v1/openapi.json", "", "")
		var doc map[string]any
		webtest.Expect(t, status, body, http.StatusOK, &doc)
		if doc["openapi"] != "3.1.0" {
			t.Errorf("served document: openapi = %v", doc["openapi"])
		}
	})
}

func TestAPIUsersAndTokens(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		// A unit outside everyone's subtree but the province's.
		other := &units.Unit{Code: "Z9", Name: "Xã Khác", Type: units.TypeCommune, ValidFrom: dates.MustParse("2021-01-01")}
		if err := f.Store.CreateUnit(ctx, audit.System, other, 0); err != nil {
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
		// The new account signs in with the password it was given.
		status, body = f.API("POST", "/api/v1/auth/login", "", webtest.JSON(map[string]string{"email": "gv@t.vn", "password": webtest.Password}))
		webtest.Expect(t, status, body, http.StatusOK, nil)

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

// TestAPIWithSession checks that a browser session works on the API and
// that its unsafe requests need the CSRF header.
func TestAPIWithSession(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		c := f.Login("focal.x@t.vn")
		csrf := c.CSRF("/")
		send := func(method, path, token, body string) (int, string) {
			t.Helper()
			req, _ := http.NewRequest(method, f.Server.URL+path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if token != "" {
				req.Header.Set("X-CSRF-Token", token)
			}
			resp, err := c.HTTP.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		var me apiTestUser
		status, body := send("GET", "/api/v1/me", "", "")
		webtest.Expect(t, status, body, http.StatusOK, &me)
		if me.Email != "focal.x@t.vn" {
			t.Errorf("me by session: %s", body)
		}
		status, body = send("POST", "/api/v1/tokens", "", `{"name": "từ trình duyệt"}`)
		webtest.ExpectError(t, status, body, http.StatusForbidden, "csrf")
		status, body = send("PATCH", "/api/v1/units/"+fmt.Sprint(f.Units["X1"]), "wrong", `{"short_name": "NP"}`)
		webtest.ExpectError(t, status, body, http.StatusForbidden, "csrf")
		status, body = send("POST", "/api/v1/tokens", csrf, `{"name": "từ trình duyệt"}`)
		webtest.Expect(t, status, body, http.StatusCreated, nil)
		status, body = send("PATCH", "/api/v1/units/"+fmt.Sprint(f.Units["X1"]), csrf, `{"short_name": "NP"}`)
		webtest.Expect(t, status, body, http.StatusOK, nil)
	})
}
