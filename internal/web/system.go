package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// healthz reports whether the database answers.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	body := map[string]any{"status": "ok", "engine": s.store.Engine(), "version": s.cfg.Version,
		"uptime_seconds": int(time.Since(startedAt).Seconds())}
	status := http.StatusOK
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("health check failed", "err", err)
		body["status"], body["error"] = "unavailable", "database unreachable"
		status = http.StatusServiceUnavailable
	}
	WriteJSON(w, status, body)
}

// metrics counts requests and latencies by route in Prometheus's text format.
type metrics struct {
	mu     sync.Mutex
	counts map[[3]string]uint64 // method, route, status
	hist   map[string]*histogram
}

var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	buckets []uint64
	sum     float64
	count   uint64
}

func newMetrics() *metrics {
	return &metrics{counts: map[[3]string]uint64{}, hist: map[string]*histogram{}}
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	method, path, ok := strings.Cut(route, " ")
	if !ok {
		method, path = "ANY", route
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counts[[3]string{method, path, fmt.Sprint(status)}]++
	h := m.hist[route]
	if h == nil {
		h = &histogram{buckets: make([]uint64, len(latencyBuckets))}
		m.hist[route] = h
	}
	sec := d.Seconds()
	for i, b := range latencyBuckets {
		if sec <= b {
			h.buckets[i]++
		}
	}
	h.sum += sec
	h.count++
}

func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	m := s.metrics
	m.mu.Lock()
	b.WriteString("# HELP khienso_http_requests_total HTTP requests by route, method and status.\n# TYPE khienso_http_requests_total counter\n")
	keys := make([][3]string, 0, len(m.counts))
	for k := range m.counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return strings.Join(keys[i][:], " ") < strings.Join(keys[j][:], " ") })
	for _, k := range keys {
		fmt.Fprintf(&b, "khienso_http_requests_total{method=%q,route=%q,status=%q} %d\n", k[0], k[1], k[2], m.counts[k])
	}
	b.WriteString("# HELP khienso_http_request_duration_seconds HTTP request latency by route.\n# TYPE khienso_http_request_duration_seconds histogram\n")
	routes := make([]string, 0, len(m.hist))
	for r := range m.hist {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, route := range routes {
		h := m.hist[route]
		for i, le := range latencyBuckets {
			fmt.Fprintf(&b, "khienso_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", route, le, h.buckets[i])
		}
		fmt.Fprintf(&b, "khienso_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", route, h.count)
		fmt.Fprintf(&b, "khienso_http_request_duration_seconds_sum{route=%q} %g\n", route, h.sum)
		fmt.Fprintf(&b, "khienso_http_request_duration_seconds_count{route=%q} %d\n", route, h.count)
	}
	m.mu.Unlock()
	stats := s.store.Stats()
	pools := make([]string, 0, len(stats))
	for p := range stats {
		pools = append(pools, p)
	}
	sort.Strings(pools)
	gauge := func(name, help string, val func(string) float64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
		for _, p := range pools {
			fmt.Fprintf(&b, "%s{pool=%q} %g\n", name, p, val(p))
		}
	}
	gauge("khienso_db_open_connections", "Open database connections.", func(p string) float64 { return float64(stats[p].OpenConnections) })
	gauge("khienso_db_in_use_connections", "Database connections in use.", func(p string) float64 { return float64(stats[p].InUse) })
	gauge("khienso_db_idle_connections", "Idle database connections.", func(p string) float64 { return float64(stats[p].Idle) })
	gauge("khienso_db_wait_count", "Total waits for a database connection.", func(p string) float64 { return float64(stats[p].WaitCount) })
	gauge("khienso_db_wait_seconds", "Total time waited for a database connection.", func(p string) float64 { return stats[p].WaitDuration.Seconds() })
	fmt.Fprintf(&b, "# HELP khienso_uptime_seconds Seconds since the process started.\n# TYPE khienso_uptime_seconds gauge\nkhienso_uptime_seconds %d\n", int(time.Since(startedAt).Seconds()))
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}
