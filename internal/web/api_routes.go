package web

// routesAPI registers the JSON API under /api/v1.
func (s *Server) routesAPI() {
	s.mux.HandleFunc("POST /api/v1/auth/login", s.apiLogin)
}
