package accountsweb

import (
	"net/http"

	"khienso/internal/dates"
	"khienso/internal/service/accountsvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// accountPage shows the caller's own account.
func (s *handler) accountPage(w http.ResponseWriter, r *http.Request) {
	p := web.Principal(r)
	if p == nil {
		s.Fail(w, r, web.ErrUnauthorized)
		return
	}
	u, err := s.Store().Unit(r.Context(), p.UnitID, dates.Today())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	pub := u.Public()
	s.Render(w, r, http.StatusOK, "account", map[string]any{"Unit": &pub, "Changed": r.URL.Query().Get("changed") != ""})
}

// passwordData is the change-password page.
type passwordData struct {
	Errors web.FormErrors
}

var passwordFields = []web.FieldRef{
	{Name: "current", ID: "current", LabelKey: "auth.current_password"},
	{Name: "new", ID: "new", LabelKey: "auth.new_password"},
	{Name: "confirm", ID: "confirm", LabelKey: "auth.confirm_password"},
}

func (s *handler) passwordPage(w http.ResponseWriter, r *http.Request) {
	if web.Principal(r) == nil {
		s.Fail(w, r, web.ErrUnauthorized)
		return
	}
	s.Render(w, r, http.StatusOK, "password", &passwordData{})
}

// passwordSubmit changes the caller's password; their other sessions end.
func (s *handler) passwordSubmit(w http.ResponseWriter, r *http.Request) {
	p := web.Principal(r)
	if p == nil {
		s.Fail(w, r, web.ErrUnauthorized)
		return
	}
	if !s.ParseForm(w, r, loginMaxForm) {
		return
	}
	err := s.svc.ChangePassword(r.Context(), s.Caller(r), accountsvc.PasswordChange{Current: r.PostFormValue("current"),
		New: r.PostFormValue("new"), Confirm: r.PostFormValue("confirm"), KeepSession: web.SessionToken(r),
		RevokeTokens: r.PostFormValue("revoke_tokens") == "1"})
	if errs, ok := inputErrors(err); ok {
		s.Render(w, r, http.StatusUnprocessableEntity, "password", &passwordData{Errors: web.NewFormErrors(web.Lang(r), errs, passwordFields)})
		return
	}
	if key, status, _, ok := loginFailure(err); ok { // too many wrong current passwords
		web.RetryAfter(w, status)
		errs := validation.Errors{{Field: "current", Reason: key}}
		s.Render(w, r, status, "password", &passwordData{Errors: web.NewFormErrors(web.Lang(r), errs, passwordFields)})
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	dest := "/account?changed=1"
	if p.MustChangePassword { // a one-time password was replaced: go on to work
		dest = "/"
	}
	http.Redirect(w, r, dest, http.StatusSeeOther)
}
