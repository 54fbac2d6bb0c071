// Package web serves the HTML user interface and the JSON API. Handlers are
// thin: they read and validate the request, check the caller's permission,
// call storage, and render a page or JSON.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/mail"
	"khienso/internal/progress"
	"khienso/internal/reminders"
	"khienso/internal/store"
)

// Config holds what the server needs besides storage.
type Config struct {
	// SecureCookies marks cookies Secure (and sends HSTS); on by default
	// except when serving plain HTTP on a loopback address.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For (set it only
	// behind a load balancer that sets the header).
	TrustProxy bool
	Version    string
	// Mailer sends e-mail (reminders); nil keeps reminders in the app only.
	Mailer mail.Sender
	// BaseURL is the public address used in links sent by e-mail.
	BaseURL string
}

// Server is the HTTP front of Khiên Số. It keeps no state of its own
// between requests beyond metrics: sessions, rate limits and jobs live in
// the database, so any number of instances can serve behind a balancer.
type Server struct {
	store   *store.Store
	log     *slog.Logger
	cfg     Config
	pages   *pages
	metrics *metrics
	mux     *http.ServeMux
	// jobs carries background work (imports) started by this instance; its
	// context ends at shutdown.
	jobs context.Context
	// progress computes indicators live from the store.
	progress *progress.Service
	// reminders sends report reminders; every instance runs it and the
	// database makes each reminder go out once.
	reminders *reminders.Runner
}

// New builds a server. jobs bounds background work started by requests.
func New(jobs context.Context, st *store.Store, log *slog.Logger, cfg Config) (*Server, error) {
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	s := &Server{store: st, log: log, cfg: cfg, pages: p, metrics: newMetrics(), mux: http.NewServeMux(), jobs: jobs,
		progress: &progress.Service{Store: st}}
	host, _ := os.Hostname()
	s.reminders = &reminders.Runner{Store: st, Mailer: cfg.Mailer, BaseURL: cfg.BaseURL, Log: log,
		Instance: fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano())}
	s.routes()
	return s, nil
}

// Handler returns the whole application with its middleware.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errCSRF)
	}))
	return s.observe(s.recoverPanics(s.securityHeaders(cop.Handler(s.identify(s.mux)))))
}

// inSubtree answers access questions against today's hierarchy.
func (s *Server) inSubtree(ctx context.Context) auth.SubtreeChecker {
	return func(root, unit int64) (bool, error) {
		return s.store.InSubtree(ctx, root, unit, dates.Today())
	}
}

// allowed reports whether the caller may do a on unit.
func (s *Server) allowed(r *http.Request, a auth.Action, unit int64) (bool, error) {
	p := principal(r)
	if p == nil {
		return false, nil
	}
	return p.Allowed(a, unit, s.inSubtree(r.Context()))
}

// require fails the request with 403 (or 401 when signed out) unless the
// caller may do a on unit; it reports whether the handler may go on.
func (s *Server) require(w http.ResponseWriter, r *http.Request, a auth.Action, unit int64) bool {
	if principal(r) == nil {
		s.fail(w, r, errUnauthorized)
		return false
	}
	ok, err := s.allowed(r, a, unit)
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	if !ok {
		s.fail(w, r, errForbidden)
		return false
	}
	return true
}

// scopeRoot is the unit under which the caller may do a: 0 for the whole
// province, their unit for subtree roles; ok is false if nowhere.
func scopeRoot(p *auth.Principal, a auth.Action) (root int64, ok bool) {
	province, sub := p.Scope(a)
	switch {
	case province:
		return 0, true
	case sub:
		return p.UnitID, true
	}
	return 0, false
}

var startedAt = time.Now()

// parseForm reads a posted form of at most limit bytes, answering the
// request itself (and returning false) when it cannot. Session forms were
// already bounded and parsed by identify for the CSRF check; the limit
// matters for requests that carry the token in a header.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request, limit int64) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return false
	}
	return true
}
