package web_test

import (
	"encoding/json"
	"khienso/internal/web"
	"khienso/internal/web/webtest"
	"net/http"
	"strings"
	"testing"

	"khienso/internal/store"
)

func TestHealthAndMetrics(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		c := f.Login("")
		status, body := c.Get("/healthz")
		var h struct{ Status, Engine string }
		if err := json.Unmarshal([]byte(body), &h); err != nil || status != http.StatusOK || h.Status != "ok" || h.Engine != string(engineOf(t)) {
			t.Errorf("healthz: %d %s", status, body)
		}
		c.Get("/login")
		c.Get("/no/such/page")
		status, body = c.Get("/metrics")
		if status != http.StatusOK {
			t.Fatalf("metrics: %d", status)
		}
		for _, want := range []string{
			`khienso_http_requests_total{code="2xx",method="GET",route="/login"} 1`,
			`khienso_http_request_duration_seconds_count{method="GET",route="/login"} 1`,
			`code="4xx",method="ANY",route="/"`,
			`khienso_db_open_connections{pool=`,
			`khienso_db_wait_count_total{pool=`,
			`go_goroutines `,
			`process_resident_memory_bytes `,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %q:\n%s", want, body)
			}
		}
		// Raw paths never become labels: they would grow without bound.
		if strings.Contains(body, "/no/such/page") {
			t.Errorf("metrics hold a raw path:\n%s", body)
		}
	})
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/units?q=1": "/units?q=1", "//evil.example/": "/", "https://evil.example/": "/",
		"/\\evil.example": "/", "": "/", "units": "/",
		"/account#top": "/account#top", "/units/%2F%2Fx": "/units/%2F%2Fx",
		// Browsers drop tab, CR and LF inside URLs, so these become //evil.example.
		"/\t/evil.example": "/", "/\n/evil.example": "/", "/\r/evil.example": "/",
		"\t//evil.example": "/", "/\x00/evil.example": "/", "/\x7f/evil.example": "/",
		"/units\\..\\x": "/", "/%09/evil.example": "/%09/evil.example",
		"/ /evil.example": "/", "javascript:alert(1)": "/", "/a\u2028b": "/",
		"///evil.example": "/", "http:/evil.example": "/",
	} {
		if got := web.SafeNext(in); got != want {
			t.Errorf("web.SafeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// engineOf reads the engine from the subtest name made by webtest.Engines.
func engineOf(t *testing.T) store.Engine {
	if strings.HasSuffix(t.Name(), "/postgres") {
		return store.Postgres
	}
	return store.SQLite
}

// Public routes look up no caller: a bogus token or session cookie costs
// nothing and is ignored there, while a staff route refuses it.
func TestPublicRoutesSkipIdentify(t *testing.T) {
	f := webtest.New(t, store.SQLite)
	ask := func(path string) int {
		req, _ := http.NewRequest(http.MethodGet, f.Server.URL+path, nil)
		req.Header.Set("Authorization", "Bearer not-a-token")
		req.AddCookie(&http.Cookie{Name: "ks_session", Value: "not-a-session"})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, path := range []string{"/healthz", "/api/v1/openapi.json", "/static/app.css"} {
		if got := ask(path); got != http.StatusOK {
			t.Errorf("GET %s with a bogus token: %d, want 200", path, got)
		}
	}
	if got := ask("/api/v1/me"); got != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me with a bogus token: %d, want 401", got)
	}
}
