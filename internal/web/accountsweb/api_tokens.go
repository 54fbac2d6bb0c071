package accountsweb

import (
	"net/http"
	"time"

	"khienso/internal/auth"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// apiTokenList lists the caller's API tokens (never their secrets).
func (s *handler) apiTokenList(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	all, err := s.svc.Tokens(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, web.ListOf(all, limit, offset))
}

// apiTokenExpiry reads expires_at: an RFC 3339 time, or a date YYYY-MM-DD
// meaning "valid through that day" (Vietnam time). Empty: no expiry.
func apiTokenExpiry(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if d, ok := web.ParseISODate(v); ok {
		return d.AddDays(1).Start(), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, validation.Single("expires_at", "api.err_timestamp")
	}
	return t, nil
}

// apiTokenCreate makes a token for the caller; its secret is in this
// response only.
func (s *handler) apiTokenCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name      string `json:"name"`
		ExpiresAt string `json:"expires_at"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	expires, err := apiTokenExpiry(in.ExpiresAt)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	tok, err := s.svc.CreateToken(r.Context(), s.Caller(r), in.Name, expires)
	if key, status, code, ok := loginFailure(err); ok {
		s.Fail(w, r, web.NewHTTPError(status, code, key, nil))
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, struct {
		Secret  string `json:"token"`
		TokenID int64  `json:"token_id"`
		*auth.Token
	}{tok.Secret, tok.Token.ID, tok.Token})
}

// apiTokenRevoke revokes one of the caller's tokens; another user's token
// is "not found".
func (s *handler) apiTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.svc.RevokeToken(r.Context(), s.Caller(r), id); err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
