package web

func (s *Server) routesNotifications() {}
