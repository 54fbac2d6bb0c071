package web

import (
	"crypto/subtle"
	"database/sql"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics holds the server's own Prometheus registry: a private one, so two
// servers in one process (tests) never collide on the global registry.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	handler  http.Handler
}

func newMetrics(stats func() map[string]sql.DBStats) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	// Labels hold the route pattern, never the raw path: paths carry ids
	// and would grow the series without bound.
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "khienso_http_requests_total", Help: "HTTP requests by route pattern, method and status class.",
	}, []string{"method", "route", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "khienso_http_request_duration_seconds", Help: "HTTP request latency by route pattern and method.",
		Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
	}, []string{"method", "route"})
	m.reg.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		dbStatsCollector{stats: stats},
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "khienso_uptime_seconds", Help: "Seconds since the process started."},
			func() float64 { return time.Since(startedAt).Seconds() }))
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

// observe counts one request; route is the mux pattern ("GET /units/{id}")
// or "unmatched".
func (m *metrics) observe(route string, status int, d time.Duration) {
	method, path, ok := strings.Cut(route, " ")
	if !ok {
		method, path = "ANY", route
	}
	m.requests.WithLabelValues(method, path, strconv.Itoa(status/100)+"xx").Inc()
	m.duration.WithLabelValues(method, path).Observe(d.Seconds())
}

// metricsPage serves the registry; with a metrics token configured only a
// scraper presenting it (Authorization: Bearer) reads it.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) {
	if s.cfg.MetricsToken != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.MetricsToken)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "401 unauthorized", http.StatusUnauthorized)
			return
		}
	}
	s.metrics.handler.ServeHTTP(w, r)
}

// dbStatsCollector exposes the pools' sql.DBStats (one "pool" label per
// pool: "main", or "write" and "read" for SQLite), read once per scrape.
type dbStatsCollector struct {
	stats func() map[string]sql.DBStats
}

var (
	dbOpen      = prometheus.NewDesc("khienso_db_open_connections", "Open database connections.", []string{"pool"}, nil)
	dbInUse     = prometheus.NewDesc("khienso_db_in_use_connections", "Database connections in use.", []string{"pool"}, nil)
	dbIdle      = prometheus.NewDesc("khienso_db_idle_connections", "Idle database connections.", []string{"pool"}, nil)
	dbMaxOpen   = prometheus.NewDesc("khienso_db_max_open_connections", "Maximum open database connections.", []string{"pool"}, nil)
	dbWaitCount = prometheus.NewDesc("khienso_db_wait_count_total", "Waits for a database connection.", []string{"pool"}, nil)
	dbWaitSecs  = prometheus.NewDesc("khienso_db_wait_seconds_total", "Time waited for a database connection.", []string{"pool"}, nil)
	dbClosed    = prometheus.NewDesc("khienso_db_closed_total", "Connections closed, by reason (max_idle, max_idle_time, max_lifetime).", []string{"pool", "reason"}, nil)
)

func (dbStatsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dbOpen, dbInUse, dbIdle, dbMaxOpen, dbWaitCount, dbWaitSecs, dbClosed} {
		ch <- d
	}
}

func (c dbStatsCollector) Collect(ch chan<- prometheus.Metric) {
	for pool, st := range c.stats() {
		ch <- prometheus.MustNewConstMetric(dbOpen, prometheus.GaugeValue, float64(st.OpenConnections), pool)
		ch <- prometheus.MustNewConstMetric(dbInUse, prometheus.GaugeValue, float64(st.InUse), pool)
		ch <- prometheus.MustNewConstMetric(dbIdle, prometheus.GaugeValue, float64(st.Idle), pool)
		ch <- prometheus.MustNewConstMetric(dbMaxOpen, prometheus.GaugeValue, float64(st.MaxOpenConnections), pool)
		ch <- prometheus.MustNewConstMetric(dbWaitCount, prometheus.CounterValue, float64(st.WaitCount), pool)
		ch <- prometheus.MustNewConstMetric(dbWaitSecs, prometheus.CounterValue, st.WaitDuration.Seconds(), pool)
		ch <- prometheus.MustNewConstMetric(dbClosed, prometheus.CounterValue, float64(st.MaxIdleClosed), pool, "max_idle")
		ch <- prometheus.MustNewConstMetric(dbClosed, prometheus.CounterValue, float64(st.MaxIdleTimeClosed), pool, "max_idle_time")
		ch <- prometheus.MustNewConstMetric(dbClosed, prometheus.CounterValue, float64(st.MaxLifetimeClosed), pool, "max_lifetime")
	}
}
