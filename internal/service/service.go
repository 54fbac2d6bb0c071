// Package service holds what every capability's service shares: who is
// calling (Actor), the access decision (role × unit subtree within the
// caller's province), the clock, and the errors a refused call returns.
// Each capability has its own package under internal/service/<capability>
// whose methods take the actor and the input, check access, validate, run
// one transaction through the store, and report what to notify after commit.
// Handlers call those methods; they hold no rule.
package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/store"
)

// Errors a service returns besides validation.Errors and store.ErrNotFound.
var (
	// ErrUnauthenticated: the call needs a signed-in caller.
	ErrUnauthenticated = errors.New("not signed in")
	// ErrForbidden: the caller may not do this here.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the object is not in a state that allows the change
	// (a submitted report edited, a round closed…); reload and retry.
	ErrConflict = errors.New("conflict")
)

// Actor is who calls a service method.
type Actor struct {
	// Principal is the signed-in user; nil for anonymous callers (public
	// pages) and for the system itself.
	Principal *auth.Principal
	// IP is the caller's address, recorded in the audit log.
	IP string
	// System marks calls made by the product itself (demo loader, CLI,
	// maintenance loops): they pass every access check.
	System bool
}

// SystemActor is the product acting on its own behalf.
var SystemActor = Actor{System: true}

// Audit is the identity written in the audit log.
func (a Actor) Audit() audit.Actor {
	if a.Principal == nil {
		if a.System {
			return audit.System
		}
		return audit.Actor{Label: "anonymous", IP: a.IP}
	}
	return audit.Actor{UserID: a.Principal.UserID, Label: a.Principal.Email, IP: a.IP}
}

// UserID is the caller's account id, 0 when there is none.
func (a Actor) UserID() int64 {
	if a.Principal == nil {
		return 0
	}
	return a.Principal.UserID
}

// Clock tells the time; tests inject a fixed one.
type Clock func() time.Time

// Now is the real clock.
func Now() time.Time { return time.Now() }

// Access decides whether an actor may do an action on a unit. A role with a
// province-wide grant (administrator, coordinator) reaches the province its
// unit belongs to (see ProvinceOf: the nearest province committee above it,
// or the national root for national-level units); the other roles reach
// their own unit's subtree. One database may hold several provinces, under
// a national root or side by side, so "province-wide" never means "every
// unit in the database" unless the caller sits at the national level.
type Access struct {
	Store *store.Store
	Clock Clock
	// Imports bounds the file imports of this instance; every service that
	// reads an uploaded file enters it.
	Imports *ImportGate
}

// NewAccess returns the access policy over st with the given clock (nil:
// the real one).
func NewAccess(st *store.Store, clock Clock) *Access {
	if clock == nil {
		clock = Now
	}
	return &Access{Store: st, Clock: clock, Imports: NewImportGate(0, 5*time.Second)}
}

// Now is the current time of the policy's clock.
func (a *Access) Now() time.Time { return a.Clock() }

// Today is the current day in Vietnam by the policy's clock.
func (a *Access) Today() dates.Date { return dates.Of(a.Clock().In(dates.Vietnam)) }

// ProvinceOf is the province unit belongs to today: its nearest
// ancestor-or-self that is a province committee. A unit with none above it
// (the national root of a national deployment, the national bodies under
// it) has the root of its tree as its province, so a national coordinator
// reaches the whole country while a province's coordinator stops at its
// province committee.
func (a *Access) ProvinceOf(ctx context.Context, unit int64) (int64, error) {
	p, err := a.Store.ProvinceOf(ctx, unit, a.Today())
	if err != nil {
		return 0, fmt.Errorf("province of unit %d: %w", unit, err)
	}
	return p, nil
}

// ProvincesOf is ProvinceOf for many units, with one look at the tree.
func (a *Access) ProvincesOf(ctx context.Context, units []int64) (map[int64]int64, error) {
	m, err := a.Store.ProvincesOf(ctx, units, a.Today())
	if err != nil {
		return nil, fmt.Errorf("provinces of %d units: %w", len(units), err)
	}
	return m, nil
}

// Root is the unit under which p may do act, and whether p may do it
// anywhere: the province root for province-wide grants, p's unit for
// subtree grants.
func (a *Access) Root(ctx context.Context, p *auth.Principal, act auth.Action) (root int64, ok bool, err error) {
	province, sub := p.Scope(act)
	switch {
	case province:
		root, err = a.ProvinceOf(ctx, p.UnitID)
		return root, err == nil, err
	case sub:
		return p.UnitID, true, nil
	}
	return 0, false, nil
}

// TopLevel reports whether actor may do act outside every tree, on a new
// root unit: the system, or a province-wide grant whose province is itself
// a tree's root (a province on its own, or the national level). A province
// under a national root starts no tree beside the country's.
func (a *Access) TopLevel(ctx context.Context, actor Actor, act auth.Action) (bool, error) {
	if actor.System {
		return true, nil
	}
	if actor.Principal == nil {
		return false, nil
	}
	if province, _ := actor.Principal.Scope(act); !province {
		return false, nil
	}
	p, err := a.ProvinceOf(ctx, actor.Principal.UnitID)
	if err != nil {
		return false, err
	}
	anc, err := a.Store.Ancestors(ctx, p, a.Today())
	if err != nil {
		return false, fmt.Errorf("ancestors of province %d: %w", p, err)
	}
	return len(anc) == 1, nil
}

// Allowed reports whether actor may do act on unit.
func (a *Access) Allowed(ctx context.Context, actor Actor, act auth.Action, unit int64) (bool, error) {
	if actor.System {
		return true, nil
	}
	if actor.Principal == nil {
		return false, nil
	}
	root, ok, err := a.Root(ctx, actor.Principal, act)
	if err != nil || !ok {
		return false, err
	}
	return a.Store.InSubtree(ctx, root, unit, a.Today())
}

// Require returns nil when actor may do act on unit, ErrUnauthenticated
// for an anonymous caller, ErrForbidden otherwise.
func (a *Access) Require(ctx context.Context, actor Actor, act auth.Action, unit int64) error {
	if !actor.System && actor.Principal == nil {
		return ErrUnauthenticated
	}
	ok, err := a.Allowed(ctx, actor, act, unit)
	if err != nil {
		return err
	}
	if !ok {
		return ErrForbidden
	}
	return nil
}

// RequireStaff returns nil when actor works in a unit (any role but
// learner): staff read plans and task tables.
func (a *Access) RequireStaff(actor Actor) error {
	switch {
	case actor.System:
		return nil
	case actor.Principal == nil:
		return ErrUnauthenticated
	case !actor.Principal.Staff():
		return ErrForbidden
	}
	return nil
}

// Scope is where actor may do act, for filtering lists: Root 0 with All
// means no filter (the system, or a province-wide role when the database
// holds a single tree), otherwise the subtree of Root. ok is false when the
// actor may do act nowhere.
type Scope struct {
	Root int64
	All  bool
}

// ScopeOf returns the list scope of actor for act.
func (a *Access) ScopeOf(ctx context.Context, actor Actor, act auth.Action) (Scope, bool, error) {
	if actor.System {
		return Scope{All: true}, true, nil
	}
	if actor.Principal == nil {
		return Scope{}, false, nil
	}
	root, ok, err := a.Root(ctx, actor.Principal, act)
	if err != nil || !ok {
		return Scope{}, false, err
	}
	if province, _ := actor.Principal.Scope(act); province {
		// The common deployment holds one tree: a province-wide role then
		// needs no filter, which keeps list queries free of id lists.
		roots, err := a.Store.RootIDs(ctx, a.Today())
		if err != nil {
			return Scope{}, false, err
		}
		if len(roots) == 1 && roots[0] == root {
			return Scope{Root: root, All: true}, true, nil
		}
	}
	return Scope{Root: root}, true, nil
}

// Units is the id list a store filter takes for s: nil (no filter) when s
// covers everything, else the subtree of s.Root today.
func (a *Access) Units(ctx context.Context, s Scope) ([]int64, error) {
	if s.All {
		return nil, nil
	}
	ids, err := a.Store.SubtreeIDs(ctx, s.Root, a.Today())
	if err != nil {
		return nil, fmt.Errorf("scope under unit %d: %w", s.Root, err)
	}
	return ids, nil
}
