package web

import (
	_ "embed"
	"net/http"
	"strings"
	"sync"
)

// apiOpenAPIDoc is the hand-written OpenAPI 3.1 description of the API. A
// test checks that it lists exactly the routes of apiRoutes.
//
//go:embed openapi.json
var apiOpenAPIDoc []byte

// apiRoute is one JSON API endpoint.
type apiRoute struct {
	method  string
	pattern string
	handle  func(*Server, http.ResponseWriter, *http.Request)
}

// apiRoutes is the one list of API endpoints: routesAPI registers it and the
// OpenAPI test compares it with openapi.json, so the two cannot drift.
var apiRoutes = []apiRoute{
	{http.MethodGet, "/api/v1/openapi.json", (*Server).apiOpenAPI},
	{http.MethodPost, "/api/v1/auth/login", (*Server).apiLogin},
	{http.MethodGet, "/api/v1/me", (*Server).apiMe},

	{http.MethodGet, "/api/v1/units", (*Server).apiUnitList},
	{http.MethodPost, "/api/v1/units", (*Server).apiUnitCreate},
	{http.MethodGet, "/api/v1/units/tree", (*Server).apiUnitTree},
	{http.MethodPost, "/api/v1/units/merge", (*Server).apiUnitMerge},
	{http.MethodGet, "/api/v1/units/{id}", (*Server).apiUnitGet},
	{http.MethodPatch, "/api/v1/units/{id}", (*Server).apiUnitPatch},
	{http.MethodDelete, "/api/v1/units/{id}", (*Server).apiUnitDelete},
	{http.MethodPost, "/api/v1/units/{id}/close", (*Server).apiUnitClose},
	{http.MethodPost, "/api/v1/units/{id}/move", (*Server).apiUnitMove},
	{http.MethodGet, "/api/v1/units/{id}/children", (*Server).apiUnitChildren},
	{http.MethodGet, "/api/v1/units/{id}/subtree", (*Server).apiUnitSubtree},

	{http.MethodGet, "/api/v1/users", (*Server).apiUserList},
	{http.MethodPost, "/api/v1/users", (*Server).apiUserCreate},
	{http.MethodGet, "/api/v1/users/{id}", (*Server).apiUserGet},
	{http.MethodPatch, "/api/v1/users/{id}", (*Server).apiUserPatch},

	{http.MethodGet, "/api/v1/tokens", (*Server).apiTokenList},
	{http.MethodPost, "/api/v1/tokens", (*Server).apiTokenCreate},
	{http.MethodDelete, "/api/v1/tokens/{id}", (*Server).apiTokenRevoke},

	{http.MethodGet, "/api/v1/activities", (*Server).apiActivityList},
	{http.MethodPost, "/api/v1/activities", (*Server).apiActivityCreate},
	{http.MethodGet, "/api/v1/activities/{id}", (*Server).apiActivityGet},
	{http.MethodPatch, "/api/v1/activities/{id}", (*Server).apiActivityPatch},
	{http.MethodDelete, "/api/v1/activities/{id}", (*Server).apiActivityDelete},
	{http.MethodGet, "/api/v1/plans/{id}/indicators", (*Server).apiPlanIndicators},
}

// routesAPI registers the JSON API under /api/v1.
func (s *Server) routesAPI() {
	for _, rt := range apiRoutes {
		h := rt.handle
		s.mux.HandleFunc(rt.method+" "+rt.pattern, func(w http.ResponseWriter, r *http.Request) { h(s, w, r) })
	}
	// The site's catch-all "/" would otherwise answer a known path asked
	// with the wrong method as 404; this gives a JSON 405 with Allow.
	s.mux.HandleFunc("/api/", s.apiNoRoute)
}

// apiRouteIndex holds the API patterns alone, to learn which methods a path
// accepts.
var apiRouteIndex = sync.OnceValue(func() *http.ServeMux {
	m := http.NewServeMux()
	for _, rt := range apiRoutes {
		m.HandleFunc(rt.method+" "+rt.pattern, func(http.ResponseWriter, *http.Request) {})
	}
	return m
})

var apiMethodNotAllowed = &httpError{http.StatusMethodNotAllowed, "method_not_allowed", "api.method_not_allowed", nil}

// apiRefusedRoutes are registered only to explain a refusal (405), so
// they are not offered in Allow.
var apiRefusedRoutes = map[string]bool{"DELETE /api/v1/units/{id}": true}

// apiAllowedMethods lists the methods the API accepts on r's path.
func apiAllowedMethods(r *http.Request) []string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := apiRouteIndex().Handler(probe); pattern != "" && !apiRefusedRoutes[pattern] {
			allow = append(allow, m)
		}
	}
	return allow
}

// apiNoRoute answers API requests no route took: 405 when the path exists
// with other methods, 404 otherwise.
func (s *Server) apiNoRoute(w http.ResponseWriter, r *http.Request) {
	allow := apiAllowedMethods(r)
	if len(allow) == 0 {
		s.fail(w, r, errNotFound)
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.fail(w, r, apiMethodNotAllowed)
}

// apiOpenAPI serves the API description; it is public, like any manual.
func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(apiOpenAPIDoc)
}
