package web

import (
	"net/http"

	"khienso/internal/audit"
)

// actor is who the audit log names for changes made by r.
//
// TODO(split): the handlers still in this package call it; capability
// packages use Server.Caller(r) and its Audit() instead. Delete this file
// when the last of them has moved out.
func (s *Server) actor(r *http.Request) audit.Actor {
	return s.Caller(r).Audit()
}
