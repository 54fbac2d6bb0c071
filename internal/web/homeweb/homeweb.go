// Package homeweb is the signed-in user's home page and their in-app
// notifications, as pages and JSON API. The notifications' rules are in
// notifysvc.
package homeweb

import (
	"embed"
	"net/http"

	"khienso/internal/service"
	"khienso/internal/service/notifysvc"
	"khienso/internal/store"
	"khienso/internal/web"
)

//go:embed templates
var templateFS embed.FS

// handler serves the home page and notifications.
type handler struct {
	*web.Server
	notify *notifysvc.Service
	access *service.Access
}

// Register adds the home page, the notifications pages and their API to s.
func Register(s *web.Server, notify *notifysvc.Service, access *service.Access) error {
	if err := s.AddPages(templateFS, "templates"); err != nil {
		return err
	}
	h := &handler{Server: s, notify: notify, access: access}
	s.Handle("GET /{$}", h.home)
	s.Handle("GET /notifications", h.notifPage)
	s.Handle("POST /notifications/read", h.notifMarkRead)
	s.HandleAPI("GET /api/v1/notifications", h.apiNotifList)
	s.HandleAPI("GET /api/v1/notifications/unread-count", h.apiNotifUnread)
	s.HandleAPI("POST /api/v1/notifications/read", h.apiNotifMarkRead)
	return nil
}

// home greets the signed-in user with their unit and their province's size.
func (s *handler) home(w http.ResponseWriter, r *http.Request) {
	p := web.Principal(r)
	if p == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	today := s.access.Today()
	u, err := s.Store().Unit(ctx, p.UnitID, today)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	// Units are public; the count is of the user's own province, not of
	// every province the database may hold.
	province, err := s.access.ProvinceOf(ctx, p.UnitID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	_, total, err := s.Store().SearchUnits(ctx, store.UnitFilter{Within: province, Day: today, Limit: 1})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	pub := u.Public()
	s.Render(w, r, http.StatusOK, "home", map[string]any{"Unit": &pub, "ActiveUnits": total})
}
