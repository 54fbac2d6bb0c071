package web

// routesUnitImport registers unit import and export.
func (s *Server) routesUnitImport() {}
