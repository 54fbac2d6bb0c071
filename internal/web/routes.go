package web

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// routesCore registers what belongs to no capability: static files, health
// and metrics, the API description and the fallbacks. Capabilities register
// their own routes (see internal/app).
func (s *Server) routesCore() {
	s.HandlePublic("GET /static/", staticHandler())
	s.HandlePublic("GET /healthz", s.healthz)
	s.HandlePublic("GET /metrics", s.metricsPage)
	s.HandlePublic("GET /api/v1/openapi.json", s.apiOpenAPI)

	// The site's catch-all "/" would otherwise answer a known API path
	// asked with the wrong method as 404; "/api/" gives a JSON 405 with
	// Allow.
	s.mux.HandleFunc("/api/", s.apiNoRoute)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.Fail(w, r, ErrNotFound) })
}

// staticHandler serves the embedded assets, files only: a folder (the
// file server would list it) is not found.
func staticHandler() http.HandlerFunc {
	files := http.FileServerFS(staticFS)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if st, err := fs.Stat(staticFS, name); err != nil || st.IsDir() {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
