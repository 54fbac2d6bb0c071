package web

import (
	"context"
	"net/http"
	"time"
)

// healthz reports whether the database answers.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	body := map[string]any{"status": "ok", "engine": s.store.Engine(), "version": s.cfg.Version,
		"uptime_seconds": int(time.Since(startedAt).Seconds())}
	status := http.StatusOK
	if err := s.store.Ping(ctx); err != nil {
		s.log.ErrorContext(r.Context(), "health check failed", "err", err)
		body["status"], body["error"] = "unavailable", "database unreachable"
		status = http.StatusServiceUnavailable
	}
	WriteJSON(w, status, body)
}
