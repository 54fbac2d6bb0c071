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
			`khienso_http_requests_total{method="GET",route="/login",status="200"} 1`,
			`khienso_http_request_duration_seconds_count{route="GET /login"} 1`,
			`status="404"`,
			`khienso_db_open_connections{pool=`,
			`khienso_db_wait_count{pool=`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %q:\n%s", want, body)
			}
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
	resp, err := c.HTTP.Get(f.Server.URL + "/lang?to=en&back=//evil.example/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
		t.Errorf("switch with a foreign back link: %d to %q, want 303 to /", resp.StatusCode, loc)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/units?q=1": "/units?q=1", "//evil.example/": "/", "https://evil.example/": "/",
		"/\\evil.example": "/", "": "/", "units": "/",
	} {
		if got := web.SafeNext(in); got != want {
			t.Errorf("web.SafeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
