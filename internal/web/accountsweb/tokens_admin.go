package accountsweb

import (
	"net/http"
	"strconv"
	"time"

	"khienso/internal/auth"
	"khienso/internal/service/accountsvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

const tokenAdminPageSize = 50

type tokenAdminRow struct {
	Token     *auth.OwnedToken
	Status    string // active, expired, revoked
	CanRevoke bool
}

type tokenAdminData struct {
	Rows    []tokenAdminRow
	All     bool // revoked and expired ones shown too
	User    int64
	Pager   web.Pager
	Revoked bool
}

// tokenQuery reads the list's filters: ?all=1 shows revoked and expired
// tokens too, ?user=ID one account's.
func tokenQuery(r *http.Request, limit, offset int) (accountsvc.TokenQuery, error) {
	q := accountsvc.TokenQuery{ActiveOnly: r.URL.Query().Get("all") == "", Limit: limit, Offset: offset}
	if v := r.URL.Query().Get("user"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return q, web.BadRequest(validation.Errors{{Field: "user", Reason: "err.number"}})
		}
		q.UserID = id
	}
	return q, nil
}

// tokenAdminPage lists the API tokens of the accounts the caller manages.
func (s *handler) tokenAdminPage(w http.ResponseWriter, r *http.Request) {
	page, limit, offset := web.PageParams(r, tokenAdminPageSize)
	q, err := tokenQuery(r, limit, offset)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	list, err := s.svc.AllTokens(r.Context(), s.Caller(r), q)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := &tokenAdminData{All: !q.ActiveOnly, User: q.UserID, Pager: web.NewPager(page, tokenAdminPageSize, list.Total),
		Revoked: r.URL.Query().Get("revoked") != ""}
	now := time.Now()
	for _, t := range list.Items {
		d.Rows = append(d.Rows, tokenAdminRow{Token: t, Status: t.Status(now), CanRevoke: list.Revocable[t.ID]})
	}
	s.Render(w, r, http.StatusOK, "tokens_admin", d)
}

// tokenAdminRevoke revokes a token of an account the caller manages.
func (s *handler) tokenAdminRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.svc.RevokeUserToken(r.Context(), s.Caller(r), id); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/users/tokens?revoked=1", http.StatusSeeOther)
}

// apiTokenAdminList is the administrators' token list over the API.
func (s *handler) apiTokenAdminList(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	q, err := tokenQuery(r, limit, offset)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	list, err := s.svc.AllTokens(r.Context(), s.Caller(r), q)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	type item struct {
		*auth.OwnedToken
		Status    string `json:"status"`
		CanRevoke bool   `json:"can_revoke"`
	}
	now := time.Now()
	items := make([]item, 0, len(list.Items))
	for _, t := range list.Items {
		items = append(items, item{t, t.Status(now), list.Revocable[t.ID]})
	}
	web.WriteJSON(w, http.StatusOK, web.ListResponse[item]{Items: items, Total: list.Total, Limit: limit, Offset: offset})
}

// apiTokenAdminRevoke revokes a token of an account the caller manages.
func (s *handler) apiTokenAdminRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.svc.RevokeUserToken(r.Context(), s.Caller(r), id); err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
