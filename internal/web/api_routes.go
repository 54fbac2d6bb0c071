package web

import (
	"embed"
	"io/fs"
	"net/http"
	"sort"
	"strings"
)

// The OpenAPI 3.1 description of the API: core.json holds the document's
// frame and shared components, and one file per capability holds its paths
// and schemas. A test checks that the merged document lists exactly the
// registered API routes.
//
//go:embed openapi/*.json
var openAPIFS embed.FS

var openAPICore, _ = openAPIFS.ReadFile("openapi/core.json")

func openAPIParts() []openAPIPart {
	names, _ := fs.Glob(openAPIFS, "openapi/*.json")
	sort.Strings(names)
	var parts []openAPIPart
	for _, n := range names {
		if n == "openapi/core.json" {
			continue
		}
		b, _ := openAPIFS.ReadFile(n)
		parts = append(parts, openAPIPart{name: n, data: b})
	}
	return parts
}

var apiMethodNotAllowed = NewHTTPError(http.StatusMethodNotAllowed, "method_not_allowed", "api.method_not_allowed", nil)

// apiRefusedRoutes are registered only to explain a refusal (405), so
// they are not offered in Allow.
var apiRefusedRoutes = map[string]bool{"DELETE /api/v1/units/{id}": true}

// apiAllowedMethods lists the methods the API accepts on r's path.
func (s *Server) apiAllowedMethods(r *http.Request) []string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.apiIndex.Handler(probe); pattern != "" {
			allow = append(allow, m)
		}
	}
	return allow
}

// apiNoRoute answers API requests no route took: 405 when the path exists
// with other methods, 404 otherwise.
func (s *Server) apiNoRoute(w http.ResponseWriter, r *http.Request) {
	allow := s.apiAllowedMethods(r)
	if len(allow) == 0 {
		s.Fail(w, r, ErrNotFound)
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.Fail(w, r, apiMethodNotAllowed)
}

// apiOpenAPI serves the API description; it is public, like any manual.
func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	doc, err := s.OpenAPI()
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(doc)
}
