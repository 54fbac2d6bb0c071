// Package homeweb is the signed-in user's home page (their to-do) and their
// in-app notifications, as pages and JSON API. What the home holds is
// decided in homesvc, the notifications' rules in notifysvc.
package homeweb

import (
	"embed"
	"net/http"

	"khienso/internal/service/homesvc"
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
	home   *homesvc.Service
}

// Register adds the home page, the notifications pages and their API to s.
func Register(s *web.Server, notify *notifysvc.Service, home *homesvc.Service) error {
	if err := s.AddPages(templateFS, "templates"); err != nil {
		return err
	}
	h := &handler{Server: s, notify: notify, home: home}
	s.Handle("GET /{$}", h.homePage)
	s.Handle("GET /notifications", h.notifPage)
	s.Handle("POST /notifications/read", h.notifMarkRead)
	s.HandleAPI("GET /api/v1/home", h.apiHome)
	s.HandleAPI("GET /api/v1/notifications", h.apiNotifList)
	s.HandleAPI("GET /api/v1/notifications/unread-count", h.apiNotifUnread)
	s.HandleAPI("POST /api/v1/notifications/read", h.apiNotifMarkRead)
	return nil
}

// homePage shows the signed-in user's to-do (homesvc composes it).
func (s *handler) homePage(w http.ResponseWriter, r *http.Request) {
	if web.Principal(r) == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	h, err := s.home.Home(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := web.Lang(r)
	notes := make([]notifItem, 0, len(h.Notifications))
	for _, n := range h.Notifications {
		notes = append(notes, notifItem{ID: n.ID, Text: notifText(l, n), Link: notifLink(n.Link),
			Created: store.ParseTime(n.CreatedAt), Read: n.Read})
	}
	s.Render(w, r, http.StatusOK, "home", map[string]any{"Home": h, "Notes": notes})
}
