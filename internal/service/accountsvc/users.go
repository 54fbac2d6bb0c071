package accountsvc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"khienso/internal/auth"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// UserQuery narrows a listing of accounts.
type UserQuery struct {
	Query         string // words of the name or e-mail, ignoring case and diacritics
	Unit          int64  // only the accounts of this unit and the units under it (0: all the caller reads)
	Limit, Offset int
}

// UserList is one page of the accounts a caller may read.
type UserList struct {
	Items []*auth.User
	Total int
	// Manageable marks the listed accounts the caller may edit.
	Manageable map[int64]bool
	// Within is the unit whose subtree the listing covers when it is not
	// the whole database (a subtree role, or a province of several); 0
	// otherwise.
	Within int64
}

// Users lists the accounts actor may read (user.read): those of units in
// the caller's scope, which for province-wide roles is their province.
func (s *Service) Users(ctx context.Context, actor service.Actor, q UserQuery) (*UserList, error) {
	if err := requireSomewhere(actor, auth.UserRead); err != nil {
		return nil, err
	}
	scope, ok, err := s.access.ScopeOf(ctx, actor, auth.UserRead)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, service.ErrForbidden
	}
	out := &UserList{Manageable: map[int64]bool{}}
	if !scope.All {
		out.Within = scope.Root
	}
	if q.Unit != 0 {
		if out.Within != 0 {
			in, err := s.store.InSubtree(ctx, out.Within, q.Unit, s.access.Today())
			if err != nil {
				return nil, err
			}
			if !in {
				return nil, fmt.Errorf("accounts of unit %d: %w", q.Unit, service.ErrForbidden)
			}
		}
		out.Within = q.Unit
	}
	out.Items, out.Total, err = s.store.Users(ctx, store.UserFilter{Query: q.Query, Within: out.Within, Limit: q.Limit, Offset: q.Offset})
	if err != nil {
		return nil, err
	}
	for _, u := range out.Items {
		if out.Manageable[u.ID], err = s.CanManage(ctx, actor, u); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Me reads the caller's own account.
func (s *Service) Me(ctx context.Context, actor service.Actor) (*auth.User, error) {
	p, err := signedIn(actor)
	if err != nil {
		return nil, err
	}
	return s.store.User(ctx, p.UserID)
}

// User reads one account in the caller's scope (user.read on its unit).
func (s *Service) User(ctx context.Context, actor service.Actor, id int64) (*auth.User, error) {
	if err := requireSomewhere(actor, auth.UserRead); err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.access.Require(ctx, actor, auth.UserRead, u.UnitID); err != nil {
		return nil, fmt.Errorf("read user %d: %w", id, err)
	}
	return u, nil
}

// Managed reads an account the caller may manage (edit, disable, reset):
// user.manage on its unit and the right to give every role it holds.
func (s *Service) Managed(ctx context.Context, actor service.Actor, id int64) (*auth.User, error) {
	if err := requireSomewhere(actor, auth.UserManage); err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.requireManage(ctx, actor, u); err != nil {
		return nil, err
	}
	return u, nil
}

// Manager is what a caller may do when managing accounts, for forms: the
// roles they may give and the unit a new account goes to by default.
type Manager struct {
	Roles []auth.Role
	// HomeUnit is the caller's unit when they may place accounts there.
	HomeUnit int64
	// Scope is where they may place accounts.
	Scope service.Scope
}

// Manager describes actor's powers over accounts; ErrForbidden when they
// manage none.
func (s *Service) Manager(ctx context.Context, actor service.Actor) (*Manager, error) {
	if err := requireSomewhere(actor, auth.UserManage); err != nil {
		return nil, err
	}
	m := &Manager{}
	for _, r := range auth.Roles {
		if requireGrant(actor, []auth.Role{r}) == nil {
			m.Roles = append(m.Roles, r)
		}
	}
	scope, _, err := s.access.ScopeOf(ctx, actor, auth.UserManage)
	if err != nil {
		return nil, err
	}
	m.Scope = scope
	if actor.Principal != nil {
		ok, err := s.access.Allowed(ctx, actor, auth.UserManage, actor.Principal.UnitID)
		if err != nil {
			return nil, err
		}
		if ok {
			m.HomeUnit = actor.Principal.UnitID
		}
	}
	return m, nil
}

// placement resolves where an account goes: the unit by id, or by code
// when code is not empty (forms and the command line type codes). It
// returns the unit (nil when unknown) and the field errors, all named
// "unit_id".
func (s *Service) placement(ctx context.Context, id int64, code string) (*units.Unit, validation.Errors, error) {
	var u *units.Unit
	var err error
	switch {
	case code != "":
		u, err = s.store.UnitByCode(ctx, code, s.access.Today())
	case id != 0:
		u, err = s.store.Unit(ctx, id, s.access.Today())
	default:
		return nil, validation.Errors{{Field: "unit_id", Reason: "err.required"}}, nil
	}
	if errors.Is(err, store.ErrNotFound) {
		if code != "" {
			return nil, validation.Errors{{Field: "unit_id", Reason: "user.err.unit_code", Args: []any{code}}}, nil
		}
		// An id nobody can see is out of scope, as it always was: the
		// refusal does not tell a missing unit from another province's.
		return nil, nil, errOutOfScope
	}
	return u, nil, err
}

// requirePlacement checks that actor may put an account at u, a unit that
// is still active (an account may stay in a unit closed since it was
// placed, but none goes there anew). A closed unit is said to be closed
// (that is public) rather than out of scope, which it also is: it sits in
// no subtree today.
func (s *Service) requirePlacement(ctx context.Context, actor service.Actor, u *units.Unit) (validation.Errors, error) {
	if !u.ActiveOn(s.access.Today()) {
		return validation.Errors{{Field: "unit_id", Reason: "user.err.unit_closed", Args: []any{u.Code}}}, nil
	}
	ok, err := s.access.Allowed(ctx, actor, auth.UserManage, u.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errOutOfScope
	}
	return nil, nil
}

// NewUser is an account to create.
type NewUser struct {
	Name, Email string
	// UnitID places the account; UnitCode instead, when not empty.
	UnitID   int64
	UnitCode string
	Roles    []auth.Role
	// Password is the initial password, or GeneratePassword asks for a
	// one-time password made here and returned once.
	Password         string
	GeneratePassword bool
}

// CreateUser creates an account that must change its password at first
// sign-in. Access is decided before the input is validated and nothing is
// hashed for a refused request: user.manage on the unit (a Refusal on
// "unit_id") and the right to give each role (a Refusal on "roles"). It
// returns the account and the one-time password when one was generated.
func (s *Service) CreateUser(ctx context.Context, actor service.Actor, in NewUser) (*auth.User, string, error) {
	if err := requireSomewhere(actor, auth.UserManage); err != nil {
		return nil, "", err
	}
	u := &auth.User{Name: in.Name, Email: in.Email, Roles: slices.Clone(in.Roles), MustChangePassword: true}
	unit, errs, err := s.placement(ctx, in.UnitID, in.UnitCode)
	if err != nil {
		return nil, "", err
	}
	if unit != nil {
		more, err := s.requirePlacement(ctx, actor, unit)
		if err != nil {
			return nil, "", err
		}
		errs = append(errs, more...)
		u.UnitID = unit.ID
	}
	if err := requireGrant(actor, u.Roles); err != nil {
		return nil, "", err
	}
	u.Normalize()
	if errs, err = merge(errs, u.Validate()); err != nil {
		return nil, "", err
	}
	password := in.Password
	if in.GeneratePassword {
		password = auth.GeneratePassword()
	} else if errs, err = merge(errs, auth.ValidatePassword("password", password, auth.PasswordContext{Email: u.Email, Name: u.Name})); err != nil {
		return nil, "", err
	}
	if len(errs) > 0 {
		return nil, "", errs
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, "", err
	}
	if err := s.store.CreateUser(ctx, actor.Audit(), u, hash); err != nil {
		return nil, "", err
	}
	if !in.GeneratePassword {
		password = ""
	}
	return u, password, nil
}

// UserChange holds the fields of an account to change; nil ones keep
// their value.
type UserChange struct {
	Name, Email *string
	// UnitID moves the account; UnitCode instead, when set.
	UnitID   *int64
	UnitCode *string
	Roles    *[]auth.Role
	Disabled *bool
}

// UpdateUser changes an account. The caller must manage it as it is
// (Managed) and as it will be: user.manage on a new unit, the right to give
// every new role. Nobody disables their own account. Disabling ends the
// account's sessions and revokes its tokens (in the same transaction).
func (s *Service) UpdateUser(ctx context.Context, actor service.Actor, id int64, ch UserChange) (*auth.User, error) {
	u, err := s.Managed(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	edited := *u
	edited.Roles = slices.Clone(u.Roles)
	set(&edited.Name, ch.Name)
	set(&edited.Email, ch.Email)
	set(&edited.Roles, ch.Roles)
	set(&edited.Disabled, ch.Disabled)
	var errs validation.Errors
	if ch.UnitID != nil || ch.UnitCode != nil {
		var unitID int64
		var code string
		set(&unitID, ch.UnitID)
		set(&code, ch.UnitCode)
		unit, more, err := s.placement(ctx, unitID, code)
		if err != nil {
			return nil, err
		}
		errs = append(errs, more...)
		edited.UnitID = 0 // an unknown code is reported on unit_id
		if unit != nil {
			edited.UnitID = unit.ID
			if unit.ID != u.UnitID {
				more, err := s.requirePlacement(ctx, actor, unit)
				if err != nil {
					return nil, err
				}
				errs = append(errs, more...)
			}
		}
	}
	if err := requireGrant(actor, edited.Roles); err != nil {
		return nil, err
	}
	if edited.Disabled && !u.Disabled && u.ID == actor.UserID() {
		errs.Add("disabled", "user.err.self_disable")
	}
	edited.Normalize()
	if errs, err = merge(errs, edited.Validate()); err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if err := s.store.UpdateUser(ctx, actor.Audit(), &edited); err != nil {
		return nil, err
	}
	return &edited, nil
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// Unlock lifts every sign-in lock on account id: the account-wide one and
// those of each address (after the owner called from another place, say).
// It needs what changing the account needs.
func (s *Service) Unlock(ctx context.Context, actor service.Actor, id int64) (*auth.User, error) {
	u, err := s.Managed(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := s.store.UnlockLogin(ctx, actor.Audit(), u.ID); err != nil {
		return nil, fmt.Errorf("unlock user %d: %w", u.ID, err)
	}
	u.LockedUntil = time.Time{}
	return u, nil
}

// ResetPassword gives an account the caller manages a new one-time
// password, returned once, ends the account's sessions (all of them, but
// the caller's own (callerSession) when they reset their own password) and
// revokes all its API tokens: a reset means the old credentials may be in
// someone else's hands.
func (s *Service) ResetPassword(ctx context.Context, actor service.Actor, id int64, callerSession string) (*auth.User, string, error) {
	u, err := s.Managed(ctx, actor, id)
	if err != nil {
		return nil, "", err
	}
	password := auth.GeneratePassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, "", err
	}
	keep := ""
	if u.ID == actor.UserID() {
		keep = callerSession
	}
	if err := s.store.SetPassword(ctx, actor.Audit(), u.ID, hash, true, keep, true); err != nil {
		return nil, "", err
	}
	u.MustChangePassword = true
	return u, password, nil
}
