package homeweb

import (
	"net/http"
	"time"

	"khienso/internal/store"
	"khienso/internal/web"
)

// apiNotification is a notification as the API returns it.
type apiNotification struct {
	ID int64 `json:"id"`
	// Kind says what the notification is about, for programs (the same
	// for every language); Text is it in the caller's language.
	Kind      string    `json:"kind"`
	Text      string    `json:"text"`
	Link      string    `json:"link,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Read      bool      `json:"read"`
}

// apiNotificationList is a page of notifications with the unread count.
type apiNotificationList struct {
	web.ListResponse[apiNotification]
	Unread int `json:"unread"`
}

// apiNotifList lists the caller's notifications, newest first.
func (s *handler) apiNotifList(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	list, err := s.notify.List(r.Context(), s.Caller(r), limit, offset)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := web.Lang(r)
	out := apiNotificationList{ListResponse: web.ListResponse[apiNotification]{Items: []apiNotification{}, Total: list.Total,
		Limit: limit, Offset: offset}, Unread: list.Unread}
	for _, n := range list.Items {
		out.Items = append(out.Items, apiNotification{ID: n.ID, Kind: n.Subject, Text: notifText(l, n), Link: notifLink(n.Link),
			CreatedAt: store.ParseTime(n.CreatedAt), Read: n.Read})
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// apiNotifUnread counts the caller's unread notifications (cheap enough to
// poll for a badge).
func (s *handler) apiNotifUnread(w http.ResponseWriter, r *http.Request) {
	n, err := s.notify.UnreadCount(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]int{"unread": n})
}

// apiNotifMarkRead marks read every unread notification of the caller (no
// body, or a body without ids) or those listed in {"ids": [...]}.
func (s *handler) apiNotifMarkRead(w http.ResponseWriter, r *http.Request) {
	var in struct {
		IDs *[]int64 `json:"ids"`
	}
	if r.ContentLength != 0 {
		if err := web.DecodeJSON(w, r, &in); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	var ids []int64
	if in.IDs != nil {
		ids = append([]int64{}, *in.IDs...) // an empty list marks nothing
	}
	marked, unread, err := s.notify.MarkRead(r.Context(), s.Caller(r), ids)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]int{"marked": marked, "unread": unread})
}
