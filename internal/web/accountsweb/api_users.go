package accountsweb

import (
	"net/http"
	"strconv"

	"khienso/internal/auth"
	"khienso/internal/service/accountsvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// apiUserList lists the accounts the caller may read.
func (s *handler) apiUserList(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var errs validation.Errors
	unit := web.QueryID(r.URL.Query(), "unit", &errs)
	if errs.Err() != nil {
		s.Fail(w, r, errs)
		return
	}
	list, err := s.svc.Users(r.Context(), s.Caller(r), accountsvc.UserQuery{Query: r.URL.Query().Get("q"), Unit: unit, Limit: limit, Offset: offset})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	items := list.Items
	if items == nil {
		items = []*auth.User{}
	}
	web.WriteJSON(w, http.StatusOK, web.ListResponse[*auth.User]{Items: items, Total: list.Total, Limit: limit, Offset: offset})
}

// apiUserGet reads one account in the caller's scope.
func (s *handler) apiUserGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	u, err := s.svc.User(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, u)
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
// sign-in.
func (s *handler) apiUserCreate(w http.ResponseWriter, r *http.Request) {
	var in apiUserCreateBody
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	u, _, err := s.svc.CreateUser(r.Context(), s.Caller(r), accountsvc.NewUser{Email: in.Email, Name: in.Name,
		UnitID: in.UnitID, Roles: in.Roles, Password: in.Password})
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	web.WriteJSON(w, http.StatusCreated, u)
}

// apiUserPatchBody holds the fields PATCH may change; absent (or null)
// ones keep their value.
type apiUserPatchBody struct {
	Email    *string      `json:"email"`
	Name     *string      `json:"name"`
	UnitID   *int64       `json:"unit_id"`
	Roles    *[]auth.Role `json:"roles"`
	Disabled *bool        `json:"disabled"`
}

// apiUserPatch changes an account.
func (s *handler) apiUserPatch(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var in apiUserPatchBody
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	u, err := s.svc.UpdateUser(r.Context(), s.Caller(r), id, accountsvc.UserChange{Email: in.Email, Name: in.Name,
		UnitID: in.UnitID, Roles: in.Roles, Disabled: in.Disabled})
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, u)
}

// apiUserPasswordReset gives an account a new one-time password, in this
// response only, and ends the account's sessions.
func (s *handler) apiUserPasswordReset(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	u, password, err := s.svc.ResetPassword(r.Context(), s.Caller(r), id, web.SessionToken(r))
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"one_time_password": password, "user": u})
}

// apiUserUnlock lifts the account's sign-in locks and returns the account.
func (s *handler) apiUserUnlock(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	u, err := s.svc.Unlock(r.Context(), s.Caller(r), id)
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, u)
}
