package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

const (
	// userPageSize is how many accounts a page of /users lists.
	userPageSize = 50
	// auditPageSize is how many entries a page of /audit lists.
	auditPageSize = 50
	// userPageMaxForm bounds the body of the user, token and audit forms.
	userPageMaxForm = 16 << 10
	// userPageUnitChoices is the most units offered as suggestions for the
	// unit code; a larger scope gets the hint alone.
	userPageUnitChoices = 300
)

// routesUsers registers the pages for accounts, API tokens and the audit log.
func (s *Server) routesUsers() {
	s.Handle("GET /users", s.userListPage)
	s.Handle("GET /users/new", s.userNewPage)
	s.Handle("POST /users/new", s.userNewSubmit)
	s.Handle("GET /users/{id}/edit", s.userEditPage)
	s.Handle("POST /users/{id}/edit", s.userEditSubmit)
	s.Handle("POST /users/{id}/password", s.userPasswordReset)
	s.Handle("GET /account/tokens", s.tokenPage)
	s.Handle("POST /account/tokens", s.tokenCreate)
	s.Handle("POST /account/tokens/{id}/revoke", s.tokenRevoke)
	s.Handle("GET /audit", s.auditPage)
}

// userPageProblem is one line of a form's error summary, linked to its field.
type userPageProblem struct {
	Target, Label, Message string
}

// userPageErrors holds a form's errors: the first message of each field
// (shown beside it) and the summary at the top.
type userPageErrors struct {
	Field    map[string]string
	Problems []userPageProblem
}

// userPageErrorsOf translates errs for a form whose fields are listed in
// order as name → label key; ids are prefix + name.
func userPageErrorsOf(l i18n.Lang, errs validation.Errors, prefix string, fields [][2]string) userPageErrors {
	out := userPageErrors{Field: map[string]string{}}
	known := map[string]bool{}
	for _, f := range fields {
		known[f[0]] = true
		for _, e := range errs {
			if e.Field != f[0] {
				continue
			}
			msg := l.T(e.Reason, e.Args...)
			if _, ok := out.Field[f[0]]; !ok {
				out.Field[f[0]] = msg
			}
			out.Problems = append(out.Problems, userPageProblem{Target: "#" + prefix + f[0], Label: l.T(f[1]), Message: msg})
		}
	}
	for _, e := range errs {
		if !known[e.Field] {
			out.Problems = append(out.Problems, userPageProblem{Message: l.T(e.Reason, e.Args...)})
		}
	}
	return out
}

// userPageMerge adds the input errors in err, renaming fields with rename
// and skipping fields that already have an error; any other error is
// returned.
func userPageMerge(errs validation.Errors, err error, rename map[string]string) (validation.Errors, error) {
	var ve validation.Errors
	if !errors.As(err, &ve) {
		return errs, err
	}
	had := slices.Clone(errs)
	for _, e := range ve {
		f := e.Field
		if n, ok := rename[f]; ok {
			f = n
		}
		if !had.Has(f) {
			errs.Add(f, e.Reason, e.Args...)
		}
	}
	return errs, nil
}

// userPageStatus is "disabled", "locked" or "active".
func userPageStatus(u *auth.User, now time.Time) string {
	switch {
	case u.Disabled:
		return "disabled"
	case u.LockedUntil.After(now):
		return "locked"
	}
	return "active"
}

// userPageCanManage reports whether the caller may edit u: user.manage on
// u's unit and the right to grant every role u holds (so nobody edits
// someone above themselves).
func (s *Server) userPageCanManage(r *http.Request, u *auth.User) (bool, error) {
	p := Principal(r)
	if p == nil || !p.Can(auth.UserManage) {
		return false, nil
	}
	for _, role := range u.Roles {
		if !p.CanGrant(role) {
			return false, nil
		}
	}
	return s.allowed(r, auth.UserManage, u.UnitID)
}

// userPageUnits reads units by id for display (public fields only), once
// each.
type userPageUnits struct {
	s     *Server
	ctx   context.Context
	day   dates.Date
	cache map[int64]*units.Unit
}

func (c *userPageUnits) get(id int64) (*units.Unit, error) {
	if u, ok := c.cache[id]; ok {
		return u, nil
	}
	u, err := c.s.store.Unit(c.ctx, id, c.day)
	if errors.Is(err, store.ErrNotFound) {
		c.cache[id] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.cache[id] = unitPublic(u)
	return c.cache[id], nil
}

// ------------------------------------------------------------------ list

type userListRow struct {
	User      *auth.User
	Unit      *units.Unit
	Status    string
	CanManage bool
}

type userListData struct {
	Query     string
	Rows      []userListRow
	Pager     Pager
	CanCreate bool
	Scoped    *units.Unit // the caller's unit when they see only its subtree
}

// userListPage lists the accounts the caller may read: every account for
// province-wide roles, those of units under the caller's unit otherwise.
func (s *Server) userListPage(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	root, ok := scopeRoot(p, auth.UserRead)
	if !ok {
		s.Fail(w, r, ErrForbidden)
		return
	}
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page, limit, offset := PageParams(r, userPageSize)
	list, total, err := s.store.Users(ctx, store.UserFilter{Query: q, Within: root, Limit: limit, Offset: offset})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	data := &userListData{Query: q, Pager: NewPager(page, userPageSize, total), CanCreate: p.Can(auth.UserManage)}
	uc := &userPageUnits{s: s, ctx: ctx, day: dates.Today(), cache: map[int64]*units.Unit{}}
	if root != 0 {
		if data.Scoped, err = uc.get(root); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	now := time.Now()
	for _, u := range list {
		row := userListRow{User: u, Status: userPageStatus(u, now)}
		if row.Unit, err = uc.get(u.UnitID); err != nil {
			s.Fail(w, r, err)
			return
		}
		if row.CanManage, err = s.userPageCanManage(r, u); err != nil {
			s.Fail(w, r, err)
			return
		}
		data.Rows = append(data.Rows, row)
	}
	s.Render(w, r, http.StatusOK, "users_list", data)
}

// ------------------------------------------------------------------ form

type userRoleOption struct {
	Value   auth.Role
	Checked bool
}

type userFormData struct {
	Title    string
	Action   string
	Subject  *auth.User // the account edited (nil when creating)
	Unit     *units.Unit
	Status   string
	Self     bool
	Saved    bool
	Reset    bool // offer the password reset
	Name     string
	Email    string
	UnitCode string
	Disabled bool
	Roles    []userRoleOption
	Choices  []*units.Unit // suggestions for the unit code (public fields)
	Errors   userPageErrors
}

// userFormFields lists the form's fields in display order with labels.
var userFormFields = [][2]string{
	{"name", "user.field.name"}, {"email", "user.field.email"}, {"unit_code", "user.field.unit_code"},
	{"roles", "user.field.roles"}, {"disabled", "user.field.disabled"},
}

// userFormRename maps the domain's field names to the form's.
var userFormRename = map[string]string{"unit_id": "unit_code"}

// userRoleOptions offers the roles the caller may grant, with checked set;
// a held role the caller could not grant is still listed (checked), so the
// form never hides what an account has.
func userRoleOptions(p *auth.Principal, checked []auth.Role) []userRoleOption {
	var out []userRoleOption
	for _, role := range auth.Roles {
		on := slices.Contains(checked, role)
		if p.CanGrant(role) || on {
			out = append(out, userRoleOption{Value: role, Checked: on})
		}
	}
	return out
}

// userUnitChoices lists the active units where the caller may manage
// accounts, when they are few enough to suggest.
func (s *Server) userUnitChoices(r *http.Request) ([]*units.Unit, error) {
	root, ok := scopeRoot(Principal(r), auth.UserManage)
	if !ok {
		return nil, nil
	}
	list, total, err := s.store.SearchUnits(r.Context(), store.UnitFilter{Within: root, Day: dates.Today(), Limit: userPageUnitChoices})
	if err != nil || total > userPageUnitChoices {
		return nil, err
	}
	out := make([]*units.Unit, 0, len(list))
	for _, u := range list {
		out = append(out, unitPublic(u))
	}
	slices.SortFunc(out, func(a, b *units.Unit) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
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
	for _, v := range r.PostForm["roles"] {
		in.Roles = append(in.Roles, auth.Role(v))
	}
	return in
}

// userFormCheck resolves the unit and checks the caller's right to place an
// account there with the roles asked for. keepUnit is the account's
// current unit, which needs no new check. It returns the unit (nil when the
// code is wrong) and the field errors.
func (s *Server) userFormCheck(r *http.Request, in userFormInput, keepUnit int64) (*units.Unit, validation.Errors, error) {
	p := Principal(r)
	var errs validation.Errors
	var unit *units.Unit
	if in.UnitCode == "" {
		errs.Add("unit_code", "err.required")
	} else {
		u, err := s.store.UnitByCode(r.Context(), in.UnitCode, dates.Today())
		switch {
		case errors.Is(err, store.ErrNotFound):
			errs.Add("unit_code", "user.err.unit_code", in.UnitCode)
		case err != nil:
			return nil, nil, err
		case !u.ActiveOn(dates.Today()) && u.ID != keepUnit:
			errs.Add("unit_code", "user.err.unit_closed", in.UnitCode)
		default:
			ok := u.ID == keepUnit
			if !ok {
				if ok, err = s.allowed(r, auth.UserManage, u.ID); err != nil {
					return nil, nil, err
				}
			}
			if ok {
				unit = u
			} else {
				errs.Add("unit_code", "err.out_of_scope")
			}
		}
	}
	for _, role := range in.Roles {
		if !role.Valid() {
			errs.Add("roles", "err.role")
			break
		}
		if !p.CanGrant(role) {
			errs.Add("roles", "err.role_grant")
			break
		}
	}
	return unit, errs, nil
}

// userFormPage renders the create or edit form.
func (s *Server) userFormPage(w http.ResponseWriter, r *http.Request, status int, d *userFormData, roles []auth.Role, errs validation.Errors) {
	l := Lang(r)
	d.Roles = userRoleOptions(Principal(r), roles)
	d.Errors = userPageErrorsOf(l, errs, "user-", userFormFields)
	var err error
	if d.Choices, err = s.userUnitChoices(r); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, status, "users_form", d)
}

// userSecretData is the page showing a one-time password, once.
type userSecretData struct {
	User     *auth.User
	Password string
	Created  bool
}

func (s *Server) userNewPage(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	if !p.Can(auth.UserManage) {
		s.Fail(w, r, ErrForbidden)
		return
	}
	d := &userFormData{Title: Lang(r).T("user.new.title"), Action: "/users/new"}
	if u, err := s.store.Unit(r.Context(), p.UnitID, dates.Today()); err == nil {
		// Most accounts are made for the caller's own unit.
		if ok, _ := s.allowed(r, auth.UserManage, u.ID); ok {
			d.UnitCode = u.Code
		}
	}
	s.userFormPage(w, r, http.StatusOK, d, nil, nil)
}

// userNewSubmit creates an account with a generated one-time password,
// shown once on the response page; the person must change it at first
// sign-in.
func (s *Server) userNewSubmit(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	if !p.Can(auth.UserManage) {
		s.Fail(w, r, ErrForbidden)
		return
	}
	if !s.ParseForm(w, r, userPageMaxForm) {
		return
	}
	in := userFormRead(r)
	d := &userFormData{Title: Lang(r).T("user.new.title"), Action: "/users/new", Name: in.Name, Email: in.Email, UnitCode: in.UnitCode}
	unit, errs, err := s.userFormCheck(r, in, 0)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	u := &auth.User{Name: in.Name, Email: in.Email, Roles: in.Roles, MustChangePassword: true}
	if unit != nil {
		u.UnitID = unit.ID
	}
	u.Normalize()
	if errs, err = userPageMerge(errs, u.Validate(), userFormRename); err != nil {
		s.Fail(w, r, err)
		return
	}
	if len(errs) == 0 {
		password := auth.GeneratePassword()
		var hash string
		if hash, err = auth.HashPassword(password); err != nil {
			s.Fail(w, r, err)
			return
		}
		err = s.store.CreateUser(r.Context(), s.actor(r), u, hash)
		if err == nil {
			s.Render(w, r, http.StatusCreated, "users_secret", &userSecretData{User: u, Password: password, Created: true})
			return
		}
		if errs, err = userPageMerge(errs, err, userFormRename); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	s.userFormPage(w, r, http.StatusUnprocessableEntity, d, in.Roles, errs)
}

// userEditTarget loads the account named by the path, failing with 403
// unless the caller may manage it.
func (s *Server) userEditTarget(w http.ResponseWriter, r *http.Request) (*auth.User, bool) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return nil, false
	}
	if !p.Can(auth.UserManage) {
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
	ok, err := s.userPageCanManage(r, u)
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	if !ok {
		s.Fail(w, r, ErrForbidden)
		return nil, false
	}
	return u, true
}

// userEditData fills the parts of the edit form that describe the account.
func (s *Server) userEditData(r *http.Request, u *auth.User) (*userFormData, error) {
	d := &userFormData{Title: Lang(r).T("user.edit.title"), Action: "/users/" + strconv.FormatInt(u.ID, 10) + "/edit",
		Subject: u, Status: userPageStatus(u, time.Now()), Self: u.ID == Principal(r).UserID, Reset: true}
	unit, err := s.store.Unit(r.Context(), u.UnitID, dates.Today())
	if err != nil {
		return nil, err
	}
	d.Unit = unitPublic(unit)
	return d, nil
}

func (s *Server) userEditPage(w http.ResponseWriter, r *http.Request) {
	u, ok := s.userEditTarget(w, r)
	if !ok {
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

// userEditSubmit saves an account. The caller needs user.manage on its
// current unit (checked by userEditTarget) and on the new one, and must be
// able to grant every role before and after. Disabling an account ends its
// sessions and revokes its tokens (the store does it).
func (s *Server) userEditSubmit(w http.ResponseWriter, r *http.Request) {
	u, ok := s.userEditTarget(w, r)
	if !ok || !s.ParseForm(w, r, userPageMaxForm) {
		return
	}
	in := userFormRead(r)
	d, err := s.userEditData(r, u)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Name, d.Email, d.UnitCode, d.Disabled = in.Name, in.Email, in.UnitCode, in.Disabled
	unit, errs, err := s.userFormCheck(r, in, u.UnitID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if d.Self && in.Disabled && !u.Disabled {
		errs.Add("disabled", "user.err.self_disable")
	}
	edited := *u
	edited.Name, edited.Email, edited.Roles, edited.Disabled = in.Name, in.Email, in.Roles, in.Disabled
	edited.UnitID = 0 // a wrong unit code is reported on unit_code
	if unit != nil {
		edited.UnitID = unit.ID
	}
	edited.Normalize()
	if errs, err = userPageMerge(errs, edited.Validate(), userFormRename); err != nil {
		s.Fail(w, r, err)
		return
	}
	if len(errs) == 0 {
		err = s.store.UpdateUser(r.Context(), s.actor(r), &edited)
		if err == nil {
			http.Redirect(w, r, d.Action+"?saved=1", http.StatusSeeOther)
			return
		}
		if errs, err = userPageMerge(errs, err, userFormRename); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	s.userFormPage(w, r, http.StatusUnprocessableEntity, d, in.Roles, errs)
}

// userPasswordReset gives the account a new generated one-time password,
// shown once, and ends its sessions (except the caller's own when they
// reset their own password).
func (s *Server) userPasswordReset(w http.ResponseWriter, r *http.Request) {
	u, ok := s.userEditTarget(w, r)
	if !ok {
		return
	}
	password := auth.GeneratePassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	keep := ""
	if u.ID == Principal(r).UserID {
		keep = info(r).session
	}
	if err := s.store.SetPassword(r.Context(), s.actor(r), u.ID, hash, true, keep); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "users_secret", &userSecretData{User: u, Password: password})
}

// ------------------------------------------------------------------ tokens

type tokenRow struct {
	Token  *auth.Token
	Status string // active, expired, revoked
}

type tokenPageData struct {
	Rows    []tokenRow
	Name    string
	Expires string
	Secret  string      // the new token's secret, shown on this response only
	Created *auth.Token // the new token
	Revoked bool
	Errors  userPageErrors
}

var tokenFormFields = [][2]string{{"name", "token.field.name"}, {"expires", "token.field.expires"}}

// tokenExpiry reads an optional last day of validity (dd/mm/yyyy); the
// token works through the end of that day, Vietnam time.
func tokenExpiry(v string, today dates.Date) (time.Time, error) {
	d, err := dates.Parse(v)
	switch {
	case err != nil:
		return time.Time{}, validation.Single("expires", "err.date")
	case d.IsZero():
		return time.Time{}, nil
	case d.Before(today):
		return time.Time{}, validation.Single("expires", "token.err.past")
	}
	return d.AddDays(1).Start(), nil
}

// tokenRender shows the caller's tokens with the creation form.
func (s *Server) tokenRender(w http.ResponseWriter, r *http.Request, status int, d *tokenPageData, errs validation.Errors) {
	p := Principal(r)
	list, err := s.store.Tokens(r.Context(), p.UserID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	now := time.Now()
	for _, t := range list {
		st := "active"
		switch {
		case !t.RevokedAt.IsZero():
			st = "revoked"
		case !t.ExpiresAt.IsZero() && !t.ExpiresAt.After(now):
			st = "expired"
		}
		d.Rows = append(d.Rows, tokenRow{Token: t, Status: st})
	}
	d.Errors = userPageErrorsOf(Lang(r), errs, "token-", tokenFormFields)
	s.Render(w, r, status, "tokens", d)
}

func (s *Server) tokenPage(w http.ResponseWriter, r *http.Request) {
	if Principal(r) == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	s.tokenRender(w, r, http.StatusOK, &tokenPageData{Revoked: r.URL.Query().Get("revoked") != ""}, nil)
}

// tokenCreate makes an API token for the caller and shows its secret once.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	if !s.ParseForm(w, r, userPageMaxForm) {
		return
	}
	d := &tokenPageData{Name: r.PostFormValue("name"), Expires: strings.TrimSpace(r.PostFormValue("expires"))}
	var errs validation.Errors
	expires, err := tokenExpiry(d.Expires, dates.Today())
	if errs, err = userPageMerge(errs, err, nil); err != nil {
		s.Fail(w, r, err)
		return
	}
	if len(errs) == 0 {
		secret, tok, err := s.store.CreateToken(r.Context(), s.actor(r), p.UserID, d.Name, expires)
		if err == nil {
			s.tokenRender(w, r, http.StatusCreated, &tokenPageData{Secret: secret, Created: tok}, nil)
			return
		}
		if errs, err = userPageMerge(errs, err, nil); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	s.tokenRender(w, r, http.StatusUnprocessableEntity, d, errs)
}

// tokenRevoke revokes one of the caller's tokens; another user's token is
// "not found".
func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
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
	http.Redirect(w, r, "/account/tokens?revoked=1", http.StatusSeeOther)
}

// ------------------------------------------------------------------ audit

// auditActions and auditEntities are the values the filters offer.
var (
	auditActions  = []string{"create", "update", "move", "merge", "close", "password", "revoke"}
	auditEntities = []string{"unit", "user", "api_token", "setting"}
)

type auditOption struct {
	Value, Label string
	Selected     bool
}

type auditRow struct {
	Entry  audit.Entry
	Action string // translated
	Entity string // translated
	Link   string // the entity's page, if it has one
	Before string // pretty JSON
	After  string
}

type auditPageData struct {
	Actor, Action, Entity, EntityID, From, To string
	Actions, Entities                         []auditOption
	Rows                                      []auditRow
	Pager                                     Pager
	Errors                                    userPageErrors
}

var auditFormFields = [][2]string{
	{"actor", "audit.field.actor"}, {"action", "audit.field.action"}, {"entity", "audit.field.entity"},
	{"entity_id", "audit.field.entity_id"}, {"from", "audit.field.from"}, {"to", "audit.field.to"},
}

// auditLabel translates prefix+value, or shows the value when the
// catalogue does not know it.
func auditLabel(l i18n.Lang, prefix, v string) string {
	if i18n.Has(prefix + v) {
		return l.T(prefix + v)
	}
	return v
}

func auditOptions(l i18n.Lang, prefix string, values []string, selected string) []auditOption {
	if selected != "" && !slices.Contains(values, selected) {
		values = append(slices.Clone(values), selected)
	}
	opts := []auditOption{{Value: "", Label: l.T(prefix + "all"), Selected: selected == ""}}
	for _, v := range values {
		opts = append(opts, auditOption{Value: v, Label: auditLabel(l, prefix, v), Selected: v == selected})
	}
	return opts
}

// auditPretty indents a JSON document for reading.
func auditPretty(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return string(raw)
	}
	return b.String()
}

// auditPage lists the audit log, newest first. It is province-wide, so only
// province-wide roles may read it; entries cannot be changed from here (nor
// anywhere: the database refuses it).
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	if province, _ := p.Scope(auth.AuditRead); !province {
		s.Fail(w, r, ErrForbidden)
		return
	}
	l := Lang(r)
	q := r.URL.Query()
	d := &auditPageData{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Entity: strings.TrimSpace(q.Get("entity")), EntityID: strings.TrimSpace(q.Get("entity_id")),
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	d.Actions = auditOptions(l, "audit.action.", auditActions, d.Action)
	d.Entities = auditOptions(l, "audit.entity.", auditEntities, d.Entity)
	f := audit.Filter{Actor: d.Actor, Action: d.Action, Entity: d.Entity, EntityID: d.EntityID}
	var errs validation.Errors
	from, err := dates.Parse(d.From)
	if err != nil {
		errs.Add("from", "err.date")
	} else if !from.IsZero() {
		f.From = from.Start()
	}
	to, err := dates.Parse(d.To)
	if err != nil {
		errs.Add("to", "err.date")
	} else if !to.IsZero() {
		f.To = to.AddDays(1).Start()
		if !from.IsZero() && to.Before(from) {
			errs.Add("to", "audit.err.order")
		}
	}
	for _, v := range []struct{ field, val string }{{"actor", d.Actor}, {"entity_id", d.EntityID}} {
		if len([]rune(v.val)) > 254 {
			errs.Add(v.field, "err.too_long", 254)
		}
	}
	if len(errs) > 0 {
		d.Errors = userPageErrorsOf(l, errs, "audit-", auditFormFields)
		d.Pager = NewPager(1, auditPageSize, 0)
		s.Render(w, r, http.StatusUnprocessableEntity, "audit", d)
		return
	}
	page, limit, offset := PageParams(r, auditPageSize)
	f.Limit, f.Offset = limit, offset
	entries, total, err := s.store.AuditLog(r.Context(), f)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Pager = NewPager(page, auditPageSize, total)
	for _, e := range entries {
		row := auditRow{Entry: e, Action: auditLabel(l, "audit.action.", e.Action), Entity: auditLabel(l, "audit.entity.", e.Entity),
			Before: auditPretty(e.Before), After: auditPretty(e.After)}
		if id, err := strconv.ParseInt(e.EntityID, 10, 64); err == nil && id > 0 && e.Entity == "unit" {
			row.Link = "/units/" + e.EntityID
		}
		d.Rows = append(d.Rows, row)
	}
	s.Render(w, r, http.StatusOK, "audit", d)
}
