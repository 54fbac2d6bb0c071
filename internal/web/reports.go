package web

func (s *Server) routesReports() {}
