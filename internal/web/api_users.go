package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"khienso/internal/auth"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// apiMe returns the caller's account.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	p := s.apiCaller(w, r)
	if p == nil {
		return
	}
	u, err := s.store.User(r.Context(), p.UserID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, u)
}

// apiUserList lists the accounts the caller may read: all of them for
// province-wide roles, those of units under the caller's unit otherwise.
func (s *Server) apiUserList(w http.ResponseWriter, r *http.Request) {
	p := s.apiCaller(w, r)
	if p == nil {
		return
	}
	root, ok := scopeRoot(p, auth.UserRead)
	if !ok {
		s.Fail(w, r, ErrForbidden)
		return
	}
	limit, offset, err := ListParams(r, apiListDefault, apiListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	list, total, err := s.store.Users(r.Context(), store.UserFilter{Query: r.URL.Query().Get("q"), Within: root, Limit: limit, Offset: offset})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if list == nil {
		list = []*auth.User{}
	}
	WriteJSON(w, http.StatusOK, ListResponse[*auth.User]{Items: list, Total: total, Limit: limit, Offset: offset})
}

// apiLoadUser reads the account named by the path and checks that the
// caller may do a on its unit.
func (s *Server) apiLoadUser(w http.ResponseWriter, r *http.Request, a auth.Action) (*auth.User, bool) {
	if !Principal(r).Can(a) {
		s.Fail(w, r, ErrForbidden)
		return nil, false
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	u, err := s.store.User(r.Context(), id)
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	if !s.require(w, r, a, u.UnitID) {
		return nil, false
	}
	return u, true
}

// apiUserGet reads one account in the caller's scope.
func (s *Server) apiUserGet(w http.ResponseWriter, r *http.Request) {
	if s.apiCaller(w, r) == nil {
		return
	}
	if u, ok := s.apiLoadUser(w, r, auth.UserRead); ok {
		WriteJSON(w, http.StatusOK, u)
	}
}

// apiCheckGrants fails with 403 (field "roles") when the caller may not
// give one of roles; unknown roles are left to validation.
func (s *Server) apiCheckGrants(w http.ResponseWriter, r *http.Request, roles []auth.Role) bool {
	p := Principal(r)
	for _, role := range roles {
		if role.Valid() && !p.CanGrant(role) {
			s.Fail(w, r, apiForbiddenFields(validation.Errors{{Field: "roles", Reason: "err.role_grant"}}))
			return false
		}
	}
	return true
}

// apiUserCreateBody is the body of POST /api/v1/users.
type apiUserCreateBody struct {
	Email    string      `json:"email"`
	Name     string      `json:"name"`
	UnitID   int64       `json:"unit_id"`
	Roles    []auth.Role `json:"roles"`
	Password string      `json:"password"`
}

// apiUserCreate creates an account that must change its password at first
// sign-in. Access (the unit, then each role) is decided before the input is
// validated, and nothing is hashed for a refused request.
func (s *Server) apiUserCreate(w http.ResponseWriter, r *http.Request) {
	p := s.apiCaller(w, r)
	if p == nil {
		return
	}
	if !p.Can(auth.UserManage) {
		s.Fail(w, r, ErrForbidden)
		return
	}
	var in apiUserCreateBody
	if err := DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	if in.UnitID != 0 && !s.require(w, r, auth.UserManage, in.UnitID) {
		return
	}
	if !s.apiCheckGrants(w, r, in.Roles) {
		return
	}
	u := &auth.User{Email: in.Email, Name: in.Name, UnitID: in.UnitID, Roles: in.Roles, MustChangePassword: true}
	u.Normalize()
	var errs validation.Errors
	if err := u.Validate(); err != nil {
		errs = append(errs, err.(validation.Errors)...)
	}
	if err := auth.ValidatePassword("password", in.Password); err != nil {
		errs = append(errs, err.(validation.Errors)...)
	}
	if err := errs.Err(); err != nil {
		s.Fail(w, r, err)
		return
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.store.CreateUser(r.Context(), s.actor(r), u, hash); err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	WriteJSON(w, http.StatusCreated, u)
}

// apiUserPatchBody holds the fields PATCH may change; it is decoded over
// the current values, so fields left out keep them.
type apiUserPatchBody struct {
	Email    string      `json:"email"`
	Name     string      `json:"name"`
	UnitID   int64       `json:"unit_id"`
	Roles    []auth.Role `json:"roles"`
	Disabled bool        `json:"disabled"`
}

// apiUserPatch changes an account. The caller needs user.manage on its
// current unit and on a new one, and must be able to grant every role the
// account holds before and after (so nobody edits or disables someone
// above themselves).
func (s *Server) apiUserPatch(w http.ResponseWriter, r *http.Request) {
	if s.apiCaller(w, r) == nil {
		return
	}
	u, ok := s.apiLoadUser(w, r, auth.UserManage)
	if !ok || !s.apiCheckGrants(w, r, u.Roles) {
		return
	}
	in := apiUserPatchBody{Email: u.Email, Name: u.Name, UnitID: u.UnitID, Roles: slices.Clone(u.Roles), Disabled: u.Disabled}
	if err := DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	if in.UnitID != u.UnitID && in.UnitID != 0 && !s.require(w, r, auth.UserManage, in.UnitID) {
		return
	}
	if !s.apiCheckGrants(w, r, in.Roles) {
		return
	}
	u.Email, u.Name, u.UnitID, u.Roles, u.Disabled = in.Email, in.Name, in.UnitID, in.Roles, in.Disabled
	if err := s.store.UpdateUser(r.Context(), s.actor(r), u); err != nil {
		s.Fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, u)
}

// ------------------------------------------------------------------ tokens

// apiTokenList lists the caller's API tokens (never their secrets).
func (s *Server) apiTokenList(w http.ResponseWriter, r *http.Request) {
	p := s.apiCaller(w, r)
	if p == nil {
		return
	}
	limit, offset, err := ListParams(r, apiListDefault, apiListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	all, err := s.store.Tokens(r.Context(), p.UserID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, ListResponse[*auth.Token]{Items: apiPage(all, limit, offset), Total: len(all), Limit: limit, Offset: offset})
}

// apiTokenExpiry reads expires_at: an RFC 3339 time, or a date YYYY-MM-DD
// meaning "valid through that day" (Vietnam time). Empty: no expiry.
func apiTokenExpiry(v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	var t time.Time
	if d, ok := apiParseISO(v); ok {
		t = d.AddDays(1).Start()
	} else {
		var err error
		if t, err = time.Parse(time.RFC3339, v); err != nil {
			return time.Time{}, validation.Single("expires_at", "api.err_timestamp")
		}
	}
	if !t.After(now) {
		return time.Time{}, validation.Single("expires_at", "api.err_future")
	}
	return t, nil
}

// apiTokenCreate makes a token for the caller; its secret is in this
// response only.
func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) {
	p := s.apiCaller(w, r)
	if p == nil {
		return
	}
	var in struct {
		Name      string `json:"name"`
		ExpiresAt string `json:"expires_at"`
	}
	if err := DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	expires, err := apiTokenExpiry(in.ExpiresAt, time.Now())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	secret, tok, err := s.store.CreateToken(r.Context(), s.actor(r), p.UserID, in.Name, expires)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, struct {
		Secret  string `json:"token"`
		TokenID int64  `json:"token_id"`
		*auth.Token
	}{secret, tok.ID, tok})
}

// apiTokenRevoke revokes one of the caller's tokens; another user's token
// is "not found".
func (s *Server) apiTokenRevoke(w http.ResponseWriter, r *http.Request) {
	p := s.apiCaller(w, r)
	if p == nil {
		return
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.store.RevokeToken(r.Context(), s.actor(r), p.UserID, id); err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
