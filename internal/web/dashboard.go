package web

func (s *Server) routesDashboard() {}
