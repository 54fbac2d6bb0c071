package web

func (s *Server) routesActivities() {}
