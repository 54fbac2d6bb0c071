package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"khienso/internal/store"
	"khienso/internal/web/webtest"
	"net/http"
	"slices"
	"strings"
	"testing"
)

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

func TestAPIErrors(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		// Malformed requests name what is wrong.
		status, body := f.API("POST", "/api/v1/units", "admin@t.vn", `{"code": "Z", "colour": "blue"}`)
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
		var e webtest.APIError
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

// TestOpenAPIDocumentValid validates the merged document against the
// OpenAPI 3.1 specification with an independent implementation
// (pb33f/libopenapi-validator); every API test also checks its responses
// against it (webtest).
func TestOpenAPIDocumentValid(t *testing.T) {
	f := webtest.New(t, store.SQLite)
	v, err := webtest.OpenAPIValidator(f.App.Web)
	if err != nil {
		t.Fatal(err)
	}
	if ok, errs := v.ValidateDocument(); !ok {
		for _, e := range errs {
			t.Errorf("%s: %s", e.Message, e.Reason)
			for _, se := range e.SchemaValidationErrors {
				t.Errorf("  %s: %s", se.FieldPath, se.Reason)
			}
		}
	}
}
