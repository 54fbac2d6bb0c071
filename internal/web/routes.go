package web

import (
	"embed"
	"net/http"
)

//go:embed static
var staticFS embed.FS

// routesCore registers what belongs to no capability: static files, health
// and metrics, the API description and the fallbacks. Capabilities register
// their own routes (see internal/app).
func (s *Server) routesCore() {
	s.mux.Handle("GET /static/", staticHandler())
	s.Handle("GET /healthz", s.healthz)
	s.Handle("GET /metrics", s.metricsPage)
	s.HandleAPI("GET /api/v1/openapi.json", s.apiOpenAPI)

	s.Handle("GET /{$}", s.home)
	s.Handle("GET /lang", s.switchLang)
	s.Handle("GET /login", s.loginPage)
	s.Handle("POST /login", s.loginSubmit)
	s.Handle("POST /logout", s.logout)
	s.Handle("GET /account", s.accountPage)
	s.Handle("GET /account/password", s.passwordPage)
	s.Handle("POST /account/password", s.passwordSubmit)

	s.routesUsers()
	s.routesPlans()
	s.routesTasks()
	s.routesPlanImport()
	s.routesActivities()
	s.routesDashboard()
	s.routesReports()
	s.routesNotifications()
	s.routesAPI()

	// The site's catch-all "/" would otherwise answer a known API path
	// asked with the wrong method as 404; "/api/" gives a JSON 405 with
	// Allow.
	s.mux.HandleFunc("/api/", s.apiNoRoute)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.Fail(w, r, ErrNotFound) })
}

// routesAPI registers the JSON API routes still served by this package.
func (s *Server) routesAPI() {
	for _, rt := range []struct {
		pattern string
		h       http.HandlerFunc
	}{
		{"POST /api/v1/auth/login", s.apiLogin},
		{"GET /api/v1/me", s.apiMe},

		{"GET /api/v1/users", s.apiUserList},
		{"POST /api/v1/users", s.apiUserCreate},
		{"GET /api/v1/users/{id}", s.apiUserGet},
		{"PATCH /api/v1/users/{id}", s.apiUserPatch},

		{"GET /api/v1/tokens", s.apiTokenList},
		{"POST /api/v1/tokens", s.apiTokenCreate},
		{"DELETE /api/v1/tokens/{id}", s.apiTokenRevoke},

		{"GET /api/v1/activities", s.apiActivityList},
		{"POST /api/v1/activities", s.apiActivityCreate},
		{"GET /api/v1/activities/{id}", s.apiActivityGet},
		{"PATCH /api/v1/activities/{id}", s.apiActivityPatch},
		{"DELETE /api/v1/activities/{id}", s.apiActivityDelete},
		{"GET /api/v1/plans/{id}/indicators", s.apiPlanIndicators},
	} {
		s.HandleAPI(rt.pattern, rt.h)
	}
}

func staticHandler() http.Handler {
	files := http.FileServerFS(staticFS)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
