// Package accountsvc holds the rules of accounts: signing in and out,
// passwords, who may create, edit, disable and reset whose account and
// give which role, API tokens, and who reads the audit log.
//
// Managing accounts is scoped like everything else (user.manage on the
// account's unit, within the caller's province for province-wide roles) and
// ranked: nobody gives a role they do not outrank (auth.Principal.CanGrant)
// nor touches an account holding such a role.
package accountsvc

import (
	"context"
	"errors"
	"fmt"

	"khienso/internal/auth"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// Service is the accounts capability.
type Service struct {
	store  *store.Store
	access *service.Access
}

// New returns the accounts service over st.
func New(st *store.Store, access *service.Access) *Service {
	return &Service{store: st, access: access}
}

// Refusal is an access refusal that names the input at fault: a unit
// outside the caller's scope (field "unit_id") or a role they may not give
// or do not outrank (field "roles"). It matches service.ErrForbidden, so
// callers that do not care answer a plain 403.
type Refusal struct {
	Field, Reason string
}

func (e *Refusal) Error() string { return "forbidden: " + e.Field + ": " + e.Reason }

// Is makes a Refusal a service.ErrForbidden.
func (e *Refusal) Is(target error) bool { return target == service.ErrForbidden }

// Fields is the refusal as field errors.
func (e *Refusal) Fields() validation.Errors {
	return validation.Errors{{Field: e.Field, Reason: e.Reason}}
}

var (
	errOutOfScope = &Refusal{Field: "unit_id", Reason: "err.out_of_scope"}
	errRoleGrant  = &Refusal{Field: "roles", Reason: "err.role_grant"}
)

// signedIn returns the caller's principal, or ErrUnauthenticated: what an
// account owns (its password, tokens, notifications) needs an account, so
// even the system actor has none.
func signedIn(actor service.Actor) (*auth.Principal, error) {
	if actor.Principal == nil {
		return nil, service.ErrUnauthenticated
	}
	return actor.Principal, nil
}

// requireSomewhere returns nil when actor may do act on some unit. It
// comes before any lookup, so that a caller without the right learns
// nothing about which accounts exist.
func requireSomewhere(actor service.Actor, act auth.Action) error {
	switch {
	case actor.System:
		return nil
	case actor.Principal == nil:
		return service.ErrUnauthenticated
	case !actor.Principal.Can(act):
		return service.ErrForbidden
	}
	return nil
}

// requireGrant refuses roles the actor may not give.
func requireGrant(actor service.Actor, roles []auth.Role) error {
	if actor.System {
		return nil
	}
	for _, r := range roles {
		// Unknown roles are left to validation, which names them.
		if r.Valid() && !actor.Principal.CanGrant(r) {
			return errRoleGrant
		}
	}
	return nil
}

// requireManage returns nil when actor may manage u: user.manage on u's
// unit (a plain ErrForbidden otherwise) and the right to give every role u
// holds (a Refusal naming "roles").
func (s *Service) requireManage(ctx context.Context, actor service.Actor, u *auth.User) error {
	if err := s.access.Require(ctx, actor, auth.UserManage, u.UnitID); err != nil {
		return fmt.Errorf("manage user %d: %w", u.ID, err)
	}
	if actor.System {
		return nil
	}
	if _, ok := actor.Principal.CanGrantAll(u.Roles); !ok {
		return errRoleGrant
	}
	return nil
}

// CanManage reports whether actor may edit, disable and reset u (for
// showing the links; the writes check again).
func (s *Service) CanManage(ctx context.Context, actor service.Actor, u *auth.User) (bool, error) {
	err := s.requireManage(ctx, actor, u)
	if errors.Is(err, service.ErrForbidden) || errors.Is(err, service.ErrUnauthenticated) {
		return false, nil
	}
	return err == nil, err
}

// merge appends the field errors of err to errs, skipping fields that
// already have one (the first reason is the useful one: an unknown unit
// code, not "unit required"); any other error is returned.
func merge(errs validation.Errors, err error) (validation.Errors, error) {
	var ve validation.Errors
	if err == nil {
		return errs, nil
	}
	if !errors.As(err, &ve) {
		return errs, err
	}
	had := map[string]bool{}
	for _, e := range errs {
		had[e.Field] = true
	}
	for _, e := range ve {
		if !had[e.Field] {
			errs = append(errs, e)
		}
	}
	return errs, nil
}
