package homeweb

import (
	"net/http"
	"time"

	"khienso/internal/i18n"
	"khienso/internal/service/notifysvc"
	"khienso/internal/store"
	"khienso/internal/web"
)

// notifPageSize is how many notifications a page lists.
const notifPageSize = 100

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
	Pager  web.Pager
}

// notifText is a stored notification in the reader's language.
func notifText(l i18n.Lang, n store.Notification) string { return notifysvc.Text(l, n) }

// notifLink keeps only links within this site, so a stored value can
// never send a reader elsewhere.
func notifLink(link string) string {
	if link == "" || web.SafeNext(link) != link {
		return ""
	}
	return link
}

func (s *handler) notifPage(w http.ResponseWriter, r *http.Request) {
	page, limit, offset := web.PageParams(r, notifPageSize)
	list, err := s.notify.List(r.Context(), s.Caller(r), limit, offset)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := web.Lang(r)
	data := &notifData{Unread: list.Unread, Marked: r.URL.Query().Get("marked") != "", Pager: web.NewPager(page, notifPageSize, list.Total)}
	for _, n := range list.Items {
		data.Items = append(data.Items, notifItem{ID: n.ID, Text: notifText(l, n), Link: notifLink(n.Link),
			Created: store.ParseTime(n.CreatedAt), Read: n.Read})
	}
	s.Render(w, r, http.StatusOK, "notifications", data)
}

// notifMarkRead marks all the caller's notifications read and goes back
// to the list (post/redirect/get).
func (s *handler) notifMarkRead(w http.ResponseWriter, r *http.Request) {
	if _, _, err := s.notify.MarkRead(r.Context(), s.Caller(r), nil); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/notifications?marked=1", http.StatusSeeOther)
}
