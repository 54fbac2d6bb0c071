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

	s.routesUnits()
	s.routesUnitImport()
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
		{"GET /api/v1/units", s.apiUnitList},
		{"POST /api/v1/units", s.apiUnitCreate},
		{"GET /api/v1/units/tree", s.apiUnitTree},
		{"POST /api/v1/units/merge", s.apiUnitMerge},
		{"GET /api/v1/units/{id}", s.apiUnitGet},
		{"PATCH /api/v1/units/{id}", s.apiUnitPatch},
		{"DELETE /api/v1/units/{id}", s.apiUnitDelete},
		{"POST /api/v1/units/{id}/close", s.apiUnitClose},
		{"POST /api/v1/units/{id}/move", s.apiUnitMove},
		{"GET /api/v1/units/{id}/children", s.apiUnitChildren},
		{"GET /api/v1/units/{id}/subtree", s.apiUnitSubtree},

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
