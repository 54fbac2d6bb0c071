package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/web"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func coreServer(t *testing.T, cfg web.Config) (*httptest.Server, *syncBuffer) {
	t.Helper()
	st := storetest.Open(t, store.SQLite)
	logs := &syncBuffer{}
	srv, err := web.New(context.Background(), st, slog.New(slog.NewJSONHandler(logs, nil)), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, logs
}

func TestRequestIDAndAccessLog(t *testing.T) {
	ts, logs := coreServer(t, web.Config{Instance: "a1"})
	for _, tc := range []struct {
		name, in string
		kept     bool
	}{
		{"sane id kept", "lb-7f3a.01_x", true},
		{"none", "", false},
		{"too long", strings.Repeat("a", 65), false},
		{"log syntax", `x" level=ERROR msg="forged`, false},
		{"non-ascii", "mã-số", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", ts.URL+"/healthz?token=s3cret", nil)
			if tc.in != "" {
				req.Header.Set(web.RequestIDHeader, tc.in)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := resp.Header.Get(web.RequestIDHeader)
			if tc.kept && got != tc.in || !tc.kept && (got == tc.in || len(got) != 24) {
				t.Errorf("request id %q → %q", tc.in, got)
			}
			if inst := resp.Header.Get("X-Khienso-Instance"); inst != "a1" {
				t.Errorf("instance header %q", inst)
			}
			var line string
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, `"request_id":"`+got+`"`) && strings.Contains(l, `"msg":"request"`) {
					line = l
				}
			}
			if line == "" {
				t.Fatalf("no access-log line with request id %q:\n%s", got, logs.String())
			}
			for _, want := range []string{`"method":"GET"`, `"route":"GET /healthz"`, `"status":200`, `"bytes":`, `"duration_ms":`} {
				if !strings.Contains(line, want) {
					t.Errorf("access log lacks %s: %s", want, line)
				}
			}
			if strings.Contains(line, "s3cret") || strings.Contains(line, "forged") {
				t.Errorf("access log holds the query or a forged id: %s", line)
			}
		})
	}
}

func TestMetricsToken(t *testing.T) {
	ts, _ := coreServer(t, web.Config{MetricsToken: "scrape-me"})
	for _, tc := range []struct {
		name, auth string
		want       int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"wrong token", "Bearer nope", http.StatusUnauthorized},
		{"right token", "Bearer scrape-me", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", ts.URL+"/metrics", nil)
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
}
