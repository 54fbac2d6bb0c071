package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"khienso/internal/store"
	"khienso/internal/store/storetest"
)

func TestHealthAndMetrics(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, _ *store.Store) {
		f := newFixture(t, engineOf(t))
		c := f.login("")
		status, body := c.get("/healthz")
		var h struct{ Status, Engine string }
		if err := json.Unmarshal([]byte(body), &h); err != nil || status != http.StatusOK || h.Status != "ok" || h.Engine != string(engineOf(t)) {
			t.Errorf("healthz: %d %s", status, body)
		}
		c.get("/login")
		c.get("/no/such/page")
		status, body = c.get("/metrics")
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
	f := newFixture(t, store.SQLite)
	c := f.login("")
	if _, body := c.get("/login"); !strings.Contains(body, "Đăng nhập") {
		t.Error("the default language is Vietnamese")
	}
	if status, _ := c.get("/lang?to=en&back=/login"); status != http.StatusSeeOther {
		t.Errorf("switch: %d", status)
	}
	if _, body := c.get("/login"); !strings.Contains(body, "Sign in") {
		t.Error("after switching, pages are in English")
	}
	resp, err := c.http.Get(f.server.URL + "/lang?to=en&back=//evil.example/")
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
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
