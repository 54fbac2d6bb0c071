package web

func (s *Server) routesPlans() {}
