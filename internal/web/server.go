// Package web is the shared core of the HTTP front: the server and its
// middleware (observation, panics, security headers, cross-origin
// protection, sessions, CSRF, language), rendering, errors, the form kit,
// pagination, JSON helpers and the route registry. Each capability's pages
// and API handlers live in their own package under internal/web/<capability>
// and register their routes here; internal/app wires them together.
package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"khienso/internal/i18n"
	"khienso/internal/service"
	"khienso/internal/service/unitsvc"
	"khienso/internal/store"
)

// Config holds what the server needs besides storage.
type Config struct {
	// SecureCookies marks cookies Secure (and sends HSTS); on by default
	// except when serving plain HTTP on a loopback address.
	SecureCookies bool
	// TrustedProxies are the balancers whose X-Forwarded-For is believed
	// (see clientIP); empty: the connection's peer is the client.
	TrustedProxies []netip.Prefix
	Version        string
	// DefaultLanguage is the language of a visitor who chose none (no
	// language cookie): the deployment's setting, asked on each such
	// request (it should answer from memory), "" for none; the browser's
	// Accept-Language then decides. Nil: no setting.
	DefaultLanguage func(context.Context) i18n.Lang
	// MetricsToken, when set, is the bearer token /metrics asks of a
	// scraper; empty: /metrics is open (bind it behind the balancer).
	MetricsToken string
	// Instance names this instance in the X-Khienso-Instance response
	// header, to tell which instance behind a balancer answered; empty:
	// no header.
	Instance string
}

// Route is one registered route: its mux pattern ("GET /units/{id}") and
// whether it belongs to the JSON API.
type Route struct {
	Pattern string
	API     bool
	// Public routes serve anonymous readers: no session or token is looked
	// up and no CSRF token is checked (see HandlePublic).
	Public bool
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
	// public holds the public routes alone, to tell identify which
	// requests need no caller.
	public *http.ServeMux
	// jobs carries background work (imports) started by this instance; its
	// context ends at shutdown.
	jobs context.Context
	// units feeds the unit pickers (see UnitPicker).
	units *unitsvc.Service

	routesMu sync.Mutex
	routes   []Route
	openapi  []openAPIPart
	// apiIndex holds the API patterns alone, to learn which methods a path
	// accepts (built when the handler is first asked for).
	apiIndex *http.ServeMux
	docOnce  sync.Once
	doc      []byte
	docErr   error
}

// New builds the core server. jobs bounds background work started by
// requests. Capability packages register their routes on it afterwards.
func New(jobs context.Context, st *store.Store, log *slog.Logger, cfg Config) (*Server, error) {
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	s := &Server{store: st, log: withRequestIDs(log), cfg: cfg, pages: p, metrics: newMetrics(st.Stats), mux: http.NewServeMux(), public: http.NewServeMux(), jobs: jobs}
	s.routesCore()
	return s, nil
}

// Store is the storage layer, for reads (writes go through services).
func (s *Server) Store() *store.Store { return s.store }

// Log is the structured logger.
func (s *Server) Log() *slog.Logger { return s.log }

// Config is the server's configuration.
func (s *Server) Config() Config { return s.cfg }

// Jobs is the context of background work started by requests; it ends at
// shutdown.
func (s *Server) Jobs() context.Context { return s.jobs }

// Handle registers a page route ("GET /units/{id}").
func (s *Server) Handle(pattern string, h http.HandlerFunc) { s.register(Route{Pattern: pattern}, h) }

// HandleAPI registers a JSON API route ("GET /api/v1/units/{id}"). Every
// API route must be described in the OpenAPI document (a test checks it).
func (s *Server) HandleAPI(pattern string, h http.HandlerFunc) {
	s.register(Route{Pattern: pattern, API: true}, h)
}

// HandlePublic registers a route for anonymous readers: the public site,
// feeds, lookups, health and the API description. Such a request skips the
// session and token lookup (no database read before the handler, so a
// flood of anonymous readers costs what the handler costs) and is served
// in the language of its cookie or Accept-Language. The handler sees no
// principal. Cross-site unsafe requests are still refused by the
// cross-origin protection in front; anything a visitor submits needs its own
// anti-abuse design (rate limits, proof of work), not the staff pages' CSRF.
func (s *Server) HandlePublic(pattern string, h http.HandlerFunc) {
	s.public.Handle(pattern, h)
	s.register(Route{Pattern: pattern, Public: true, API: strings.Contains(pattern, " /api/")}, h)
}

func (s *Server) register(rt Route, h http.Handler) {
	s.routesMu.Lock()
	s.routes = append(s.routes, rt)
	s.routesMu.Unlock()
	s.mux.Handle(rt.Pattern, h)
}

// isPublic reports whether r goes to a public route.
func (s *Server) isPublic(r *http.Request) bool {
	_, pattern := s.public.Handler(r)
	return pattern != ""
}

// Routes lists every registered route, pages and API, in registration
// order. The access-matrix test walks it, so a route added without a row
// fails.
func (s *Server) Routes() []Route {
	s.routesMu.Lock()
	defer s.routesMu.Unlock()
	return slices.Clone(s.routes)
}

// Handler returns the whole application with its middleware.
func (s *Server) Handler() http.Handler {
	s.routesMu.Lock()
	if s.apiIndex == nil {
		s.apiIndex = http.NewServeMux()
		for _, rt := range s.routes {
			if rt.API && !apiRefusedRoutes[rt.Pattern] {
				s.apiIndex.HandleFunc(rt.Pattern, func(http.ResponseWriter, *http.Request) {})
			}
		}
	}
	s.routesMu.Unlock()
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Fail(w, r, ErrCSRF)
	}))
	return s.observe(s.recoverPanics(s.securityHeaders(cop.Handler(s.identify(s.mux)))))
}

// Caller is the service actor of r: the signed-in principal (nil when
// anonymous) and the client address.
func (s *Server) Caller(r *http.Request) service.Actor {
	return service.Actor{Principal: Principal(r), IP: s.clientIP(r)}
}

var startedAt = time.Now()

// ParseForm reads a posted form of at most limit bytes, answering the
// request itself (and returning false) when it cannot. Session forms were
// already bounded and parsed by identify for the CSRF check; the limit
// matters for requests that carry the token in a header.
func (s *Server) ParseForm(w http.ResponseWriter, r *http.Request, limit int64) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		s.Fail(w, r, err)
		return false
	}
	return true
}

// openAPIPart is one capability's share of the OpenAPI document: paths and
// component schemas, merged into the core document when first served.
type openAPIPart struct {
	name string
	data []byte
}

// OpenAPI returns the whole API description: the core document with every
// capability's paths and schemas merged in.
func (s *Server) OpenAPI() ([]byte, error) {
	s.docOnce.Do(func() { s.doc, s.docErr = mergeOpenAPI(openAPICore, openAPIParts()) })
	return s.doc, s.docErr
}

// mergeOpenAPI adds each part's "paths" and "components.schemas" to core;
// a path or schema defined twice is an error.
func mergeOpenAPI(core []byte, parts []openAPIPart) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(core, &doc); err != nil {
		return nil, fmt.Errorf("openapi core: %w", err)
	}
	paths, _ := doc["paths"].(map[string]any)
	if paths == nil {
		paths = map[string]any{}
		doc["paths"] = paths
	}
	comps, _ := doc["components"].(map[string]any)
	if comps == nil {
		comps = map[string]any{}
		doc["components"] = comps
	}
	schemas, _ := comps["schemas"].(map[string]any)
	if schemas == nil {
		schemas = map[string]any{}
		comps["schemas"] = schemas
	}
	for _, p := range parts {
		var part struct {
			Paths      map[string]any `json:"paths"`
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(p.data, &part); err != nil {
			return nil, fmt.Errorf("openapi %s: %w", p.name, err)
		}
		for k, v := range part.Paths {
			if _, dup := paths[k]; dup {
				return nil, fmt.Errorf("openapi %s: path %s defined twice", p.name, k)
			}
			paths[k] = v
		}
		for k, v := range part.Components.Schemas {
			if _, dup := schemas[k]; dup {
				return nil, fmt.Errorf("openapi %s: schema %s defined twice", p.name, k)
			}
			schemas[k] = v
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}
