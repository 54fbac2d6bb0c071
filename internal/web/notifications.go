package web

import (
	"net/http"
	"regexp"
	"strings"
	"time"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/store"
)

// notifPageSize is how many of the latest notifications the page lists.
const notifPageSize = 100

// routesNotifications registers the in-app notifications.
func (s *Server) routesNotifications() {
	s.Handle("GET /notifications", s.notifPage)
	s.Handle("POST /notifications/read", s.notifMarkRead)
}

// notifItem is a notification rendered in the reader's language.
type notifItem struct {
	ID      int64
	Text    string
	Link    string // empty unless it stays on this site
	Created time.Time
	Read    bool
}

type notifData struct {
	Items  []notifItem
	Unread int
	Marked bool
}

// notifISODay matches an argument that is a day in storage form, shown
// dd/mm/yyyy to people.
var notifISODay = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// notifText translates a stored notification: Subject is a catalogue key,
// Body its arguments joined by "|".
func notifText(l i18n.Lang, n store.Notification) string {
	if n.Body == "" {
		return l.T(n.Subject)
	}
	parts := strings.Split(n.Body, "|")
	args := make([]any, len(parts))
	for i, p := range parts {
		args[i] = p
		if notifISODay.MatchString(p) {
			if d, err := dates.Parse(p); err == nil {
				args[i] = d.VN()
			}
		}
	}
	if !i18n.Has(n.Subject) {
		// An unknown subject (written by a newer version) still shows its
		// words rather than fmt's %!(EXTRA) noise.
		return n.Subject + ": " + strings.Join(parts, " · ")
	}
	return l.T(n.Subject, args...)
}

// notifLink keeps only links within this site, so a stored value can
// never send a reader elsewhere.
func notifLink(link string) string {
	if link == "" || SafeNext(link) != link {
		return ""
	}
	return link
}

func (s *Server) notifPage(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	list, unread, err := s.store.Notifications(r.Context(), p.UserID, notifPageSize)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := Lang(r)
	data := &notifData{Unread: unread, Marked: r.URL.Query().Get("marked") != ""}
	for _, n := range list {
		data.Items = append(data.Items, notifItem{ID: n.ID, Text: notifText(l, n), Link: notifLink(n.Link),
			Created: store.ParseTime(n.CreatedAt), Read: n.Read})
	}
	s.Render(w, r, http.StatusOK, "notifications", data)
}

// notifMarkRead marks all the caller's notifications read and goes back
// to the list (post/redirect/get).
func (s *Server) notifMarkRead(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	if err := s.store.MarkNotificationsRead(r.Context(), p.UserID); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/notifications?marked=1", http.StatusSeeOther)
}
