package web

// routesUsers registers the user, token and audit pages.
func (s *Server) routesUsers() {}
