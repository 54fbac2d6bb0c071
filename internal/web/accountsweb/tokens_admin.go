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

// tokenAdminRow is a listed token with what the caller may do; the page
// and the API show the same rows.
type tokenAdminRow struct {
	*auth.OwnedToken
	Status    string `json:"status"` // active, expired, revoked
	CanRevoke bool   `json:"can_revoke"`
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

// ownedTokens reads the list's filters and one page of the tokens of the
// accounts the caller manages, for the page and the API alike.
func (s *handler) ownedTokens(r *http.Request, limit, offset int) (accountsvc.TokenQuery, []tokenAdminRow, int, error) {
	q, err := tokenQuery(r, limit, offset)
	if err != nil {
		return q, nil, 0, err
	}
	list, err := s.svc.AllTokens(r.Context(), s.Caller(r), q)
	if err != nil {
		return q, nil, 0, err
	}
	now := time.Now()
	rows := make([]tokenAdminRow, 0, len(list.Items))
	for _, t := range list.Items {
		rows = append(rows, tokenAdminRow{OwnedToken: t, Status: t.Status(now), CanRevoke: list.Revocable[t.ID]})
	}
	return q, rows, list.Total, nil
}

// tokenAdminPage lists the API tokens of the accounts the caller manages.
func (s *handler) tokenAdminPage(w http.ResponseWriter, r *http.Request) {
	page, limit, offset := web.PageParams(r, tokenAdminPageSize)
	q, rows, total, err := s.ownedTokens(r, limit, offset)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "tokens_admin", &tokenAdminData{Rows: rows, All: !q.ActiveOnly, User: q.UserID,
		Pager: web.NewPager(page, tokenAdminPageSize, total), Revoked: r.URL.Query().Get("revoked") != ""})
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
	_, rows, total, err := s.ownedTokens(r, limit, offset)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, web.ListResponse[tokenAdminRow]{Items: rows, Total: total, Limit: limit, Offset: offset})
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
