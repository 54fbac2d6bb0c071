package accountsweb

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/service/accountsvc"
	"khienso/internal/service/unitsvc"
	"khienso/internal/units"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// userUnitPicker chooses an account's unit; it submits the unit's code.
var userUnitPicker = web.PickerSpec{ID: "user-unit_code", Name: "unit_code", Purpose: unitsvc.PickUser, ByCode: true, Required: true}

type userFormData struct {
	Title    string
	Action   string
	Subject  *auth.User // the account edited (nil when creating)
	Unit     *units.Unit
	Status   string
	Self     bool
	Saved    bool
	Reset    bool // offer the password reset
	Unlocked bool // the sign-in locks were just lifted
	Name     string
	Email    string
	UnitCode string
	Disabled bool
	Roles    []web.Option
	Picker   *web.Picker
	Errors   web.FormErrors
}

// userFormFields lists the form's inputs in display order. The service
// names the unit "unit_id" whether it came by id or, as here, by code.
var userFormFields = []web.FieldRef{
	{Name: "name", ID: "user-name", LabelKey: "user.field.name"},
	{Name: "email", ID: "user-email", LabelKey: "user.field.email"},
	{Name: "unit_id", ID: "user-unit_code", LabelKey: "user.field.unit_code"},
	{Name: "roles", ID: "user-roles", LabelKey: "user.field.roles"},
	{Name: "disabled", ID: "user-disabled", LabelKey: "user.field.disabled"},
}

// userSecretData is the page showing a one-time password, once.
type userSecretData struct {
	User     *auth.User
	Password string
	Created  bool
}

// userFormInput is what a posted user form says.
type userFormInput struct {
	Name, Email, UnitCode string
	Roles                 []auth.Role
	Disabled              bool
}

func userFormRead(r *http.Request) userFormInput {
	in := userFormInput{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		UnitCode: strings.TrimSpace(r.PostFormValue("unit_code")), Disabled: r.PostFormValue("disabled") != ""}
	// A code typed beside a picker too long to list every unit wins.
	if typed := strings.TrimSpace(r.PostFormValue("unit_code_typed")); typed != "" {
		in.UnitCode = typed
	}
	for _, v := range r.PostForm["roles"] {
		in.Roles = append(in.Roles, auth.Role(v))
	}
	return in
}

// userRoleOptions offers the roles the caller may give, checked as asked;
// a held role the caller could not give is still listed (checked), so the
// form never hides what an account has.
func userRoleOptions(l i18n.Lang, grantable, checked []auth.Role) []web.Option {
	var out []web.Option
	for _, role := range auth.Roles {
		on := slices.Contains(checked, role)
		if on || slices.Contains(grantable, role) {
			out = append(out, web.Option{Value: string(role), Label: l.T("role." + string(role)), Selected: on})
		}
	}
	return out
}

// userFormPage renders the create or edit form with what the caller may
// give and where.
func (s *handler) userFormPage(w http.ResponseWriter, r *http.Request, status int, d *userFormData, roles []auth.Role, errs validation.Errors) {
	l := web.Lang(r)
	m, err := s.svc.Manager(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Roles = userRoleOptions(l, m.Roles, roles)
	d.Errors = web.NewFormErrors(l, errs, userFormFields)
	spec := userUnitPicker
	if spec.Invalid = errs.Has("unit_id"); spec.Invalid {
		spec.Describe = "user-unit_code-error"
	}
	if d.Picker, err = s.UnitPicker(r, spec, []string{d.UnitCode}, nil); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, status, "users_form", d)
}

func (s *handler) userNewPage(w http.ResponseWriter, r *http.Request) {
	m, err := s.svc.Manager(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := &userFormData{Title: web.Lang(r).T("user.new.title"), Action: "/users/new"}
	if m.HomeUnit != 0 {
		// Most accounts are made for the caller's own unit.
		if u, err := s.Store().Unit(r.Context(), m.HomeUnit, dates.Today()); err == nil {
			d.UnitCode = u.Code
		}
	}
	s.userFormPage(w, r, http.StatusOK, d, nil, nil)
}

// userNewSubmit creates an account with a generated one-time password,
// shown once on the response page; the person must change it at first
// sign-in.
func (s *handler) userNewSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, userPageMaxForm) {
		return
	}
	in := userFormRead(r)
	u, password, err := s.svc.CreateUser(r.Context(), s.Caller(r), accountsvc.NewUser{Name: in.Name, Email: in.Email,
		UnitCode: in.UnitCode, Roles: in.Roles, GeneratePassword: true})
	if err == nil {
		s.Render(w, r, http.StatusCreated, "users_secret", &userSecretData{User: u, Password: password, Created: true})
		return
	}
	errs, ok := inputErrors(err)
	if !ok {
		s.Fail(w, r, err)
		return
	}
	d := &userFormData{Title: web.Lang(r).T("user.new.title"), Action: "/users/new", Name: in.Name, Email: in.Email, UnitCode: in.UnitCode}
	s.userFormPage(w, r, http.StatusUnprocessableEntity, d, in.Roles, errs)
}

// userEditData fills the parts of the edit form that describe the account.
func (s *handler) userEditData(r *http.Request, u *auth.User) (*userFormData, error) {
	d := &userFormData{Title: web.Lang(r).T("user.edit.title"), Action: "/users/" + strconv.FormatInt(u.ID, 10) + "/edit",
		Subject: u, Status: u.Status(time.Now()), Self: u.ID == web.Principal(r).UserID, Reset: true,
		Unlocked: r.URL.Query().Get("unlocked") == "1"}
	unit, err := s.Store().Unit(r.Context(), u.UnitID, dates.Today())
	if err != nil {
		return nil, err
	}
	pub := unit.Public()
	d.Unit = &pub
	return d, nil
}

func (s *handler) userEditPage(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	u, err := s.svc.Managed(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d, err := s.userEditData(r, u)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Name, d.Email, d.UnitCode, d.Disabled = u.Name, u.Email, d.Unit.Code, u.Disabled
	d.Saved = r.URL.Query().Get("saved") != ""
	s.userFormPage(w, r, http.StatusOK, d, u.Roles, nil)
}

// userEditSubmit saves the whole form over the account.
func (s *handler) userEditSubmit(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r, userPageMaxForm) {
		return
	}
	in := userFormRead(r)
	ctx, actor := r.Context(), s.Caller(r)
	_, err = s.svc.UpdateUser(ctx, actor, id, accountsvc.UserChange{Name: &in.Name, Email: &in.Email,
		UnitCode: &in.UnitCode, Roles: &in.Roles, Disabled: &in.Disabled})
	if err == nil {
		http.Redirect(w, r, "/users/"+strconv.FormatInt(id, 10)+"/edit?saved=1", http.StatusSeeOther)
		return
	}
	errs, ok := inputErrors(err)
	var u *auth.User
	if ok {
		// The form is shown again over the account as it stands, which
		// the caller may still manage (or the refusal was about the
		// account itself, and the page is a 403).
		u, err = s.svc.Managed(ctx, actor, id)
	}
	if !ok || err != nil {
		s.Fail(w, r, err)
		return
	}
	d, err := s.userEditData(r, u)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Name, d.Email, d.UnitCode, d.Disabled = in.Name, in.Email, in.UnitCode, in.Disabled
	s.userFormPage(w, r, http.StatusUnprocessableEntity, d, in.Roles, errs)
}

// userPasswordReset gives the account a new one-time password, shown
// once, and ends its sessions (except the caller's own when they reset
// their own password).
func (s *handler) userPasswordReset(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	u, password, err := s.svc.ResetPassword(r.Context(), s.Caller(r), id, web.SessionToken(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "users_secret", &userSecretData{User: u, Password: password})
}

// userUnlock lifts the account's sign-in locks and returns to its page.
func (s *handler) userUnlock(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if _, err := s.svc.Unlock(r.Context(), s.Caller(r), id); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/users/%d/edit?unlocked=1", id), http.StatusSeeOther)
}
