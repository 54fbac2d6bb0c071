package web

func (s *Server) routesPlanImport() {}
