package web

import (
	"embed"
	"net/http"
)

//go:embed static
var staticFS embed.FS

// routes registers every handler. Each capability registers its own routes
// in its own file (routesUnits, routesUsers, routesAPI…), so features stay
// apart and this list stays short.
func (s *Server) routes() {
	s.mux.Handle("GET /static/", staticHandler())
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /metrics", s.metricsPage)

	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.HandleFunc("GET /lang", s.switchLang)
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.loginSubmit)
	s.mux.HandleFunc("POST /logout", s.logout)
	s.mux.HandleFunc("GET /account", s.accountPage)
	s.mux.HandleFunc("GET /account/password", s.passwordPage)
	s.mux.HandleFunc("POST /account/password", s.passwordSubmit)

	s.routesUnits()
	s.routesUnitImport()
	s.routesUsers()
	s.routesPlans()
	s.routesTasks()
	s.routesPlanImport()
	s.routesActivities()
	s.routesDashboard()
	s.routesReports()
	s.routesNotifications()
	s.routesAPI()

	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, errNotFound) })
}

func staticHandler() http.Handler {
	files := http.FileServerFS(staticFS)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
