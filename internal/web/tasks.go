package web

func (s *Server) routesTasks() {}
