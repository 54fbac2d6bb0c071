package accountsweb

import (
	"net/http"

	"khienso/internal/service/accountsvc"
	"khienso/internal/web"
)

// apiLogin exchanges an e-mail and password for an API token.
func (s *handler) apiLogin(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email     string `json:"email"`
		Password  string `json:"password"`
		TokenName string `json:"token_name"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	tok, u, err := s.svc.SignInToken(r.Context(), s.Caller(r), in.Email, in.Password, in.TokenName)
	if key, status, code, ok := loginFailure(err); ok {
		s.Fail(w, r, web.NewHTTPError(status, code, key, nil))
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"token": tok.Secret, "token_id": tok.Token.ID, "expires_at": tok.Token.ExpiresAt, "user": u})
}

// apiMe returns the caller's account.
func (s *handler) apiMe(w http.ResponseWriter, r *http.Request) {
	u, err := s.svc.Me(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, u)
}

// apiMePassword changes the caller's password. The API asks for it once,
// so the confirmation is the new password itself. Every session of the
// account ends but the one making the call; API tokens keep working
// unless revoke_tokens is true.
func (s *handler) apiMePassword(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Current      string `json:"current"`
		New          string `json:"new"`
		RevokeTokens bool   `json:"revoke_tokens"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	err := s.svc.ChangePassword(r.Context(), s.Caller(r), accountsvc.PasswordChange{Current: in.Current, New: in.New,
		Confirm: in.New, KeepSession: web.SessionToken(r), RevokeTokens: in.RevokeTokens})
	if key, status, code, ok := loginFailure(err); ok {
		s.Fail(w, r, web.NewHTTPError(status, code, key, nil))
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
