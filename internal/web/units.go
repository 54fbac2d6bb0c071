package web

// routesUnits registers the unit pages.
func (s *Server) routesUnits() {}
