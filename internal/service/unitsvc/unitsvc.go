// Package unitsvc holds the rules of the unit directory: who may read a
// unit's non-public fields, create, edit, move, merge and close units, and
// import or export the directory; and the hierarchy rules those changes
// obey (internal/units decides them on facts read here, inside the write's
// transaction). Handlers call these methods and hold no rule; the store
// only persists.
package unitsvc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// Service is the units capability.
type Service struct {
	store  *store.Store
	access *service.Access
	// jobs bounds the imports this instance runs in the background; it
	// ends at shutdown.
	jobs context.Context
	log  *slog.Logger
	// live holds the progress of the imports running here, by job id: the
	// database has it too, but on SQLite only once the import's
	// transaction ends.
	live sync.Map // int64 → *atomic.Int64
}

// New returns the units service over st. jobs bounds background imports.
func New(st *store.Store, access *service.Access, jobs context.Context, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: st, access: access, jobs: jobs, log: log}
}

// Today is the current day by the service's clock.
func (s *Service) Today() dates.Date { return s.access.Today() }

// Ref names a unit in a request: by id (the API) or by code (forms). The
// zero Ref names none.
type Ref struct {
	ID   int64
	Code string
}

// ByID and ByCode build a Ref.
func ByID(id int64) Ref      { return Ref{ID: id} }
func ByCode(code string) Ref { return Ref{Code: strings.TrimSpace(code)} }

// Zero reports whether r names no unit.
func (r Ref) Zero() bool { return r.ID == 0 && strings.TrimSpace(r.Code) == "" }

// Refused is a change refused because it names units outside the caller's
// reach. It is service.ErrForbidden (the API answers 403); Fields says
// which inputs were refused and what else was wrong, for forms that show
// the problems beside the inputs.
type Refused struct {
	Fields validation.Errors
}

func (e *Refused) Error() string { return "forbidden: " + e.Fields.Error() }

// Unwrap makes a Refused match service.ErrForbidden.
func (e *Refused) Unwrap() error { return service.ErrForbidden }

// outcome is the result of a change's checks: the problems found and
// whether any of them was a refusal.
type outcome struct {
	errs   validation.Errors
	denied bool
}

// add reports errs except on fields that already have a problem (a value
// that did not parse gives no second error for being absent).
func (o *outcome) add(errs validation.Errors) {
	had := append(validation.Errors(nil), o.errs...)
	for _, e := range errs {
		if !had.Has(e.Field) {
			o.errs = append(o.errs, e)
		}
	}
}

// err is nil when the change may go on.
func (o *outcome) err() error {
	switch {
	case o.denied:
		return &Refused{Fields: o.errs}
	case len(o.errs) > 0:
		return o.errs
	}
	return nil
}

// signedIn returns ErrUnauthenticated for anonymous callers.
func signedIn(actor service.Actor) error {
	if !actor.System && actor.Principal == nil {
		return service.ErrUnauthenticated
	}
	return nil
}

// RequireSignedIn returns nil when someone is signed in: the directory's
// public fields are for every signed-in user.
func (s *Service) RequireSignedIn(actor service.Actor) error { return signedIn(actor) }

// RequireSomewhere returns nil when actor may do act on some unit (the
// pages that lead to a change: the merge form, the new-unit form).
func (s *Service) RequireSomewhere(actor service.Actor, act auth.Action) error {
	if err := signedIn(actor); err != nil {
		return err
	}
	if !actor.System && !actor.Principal.Can(act) {
		return service.ErrForbidden
	}
	return nil
}

// provinceWide reports whether actor holds act over their whole province:
// the right needed where no unit is named (creating a root unit, importing
// and exporting the directory).
func provinceWide(actor service.Actor, act auth.Action) bool {
	if actor.System {
		return true
	}
	if actor.Principal == nil {
		return false
	}
	province, _ := actor.Principal.Scope(act)
	return province
}

// allowed reports whether actor may do act on unit id. Access follows
// today's tree, where a unit that has not started yet or has ended without
// a successor sits nowhere (a merged one rolls up under its successor); such
// a unit is reached through the unit it sits under on its first or last
// day.
func (s *Service) allowed(ctx context.Context, actor service.Actor, act auth.Action, id int64) (bool, error) {
	today := s.Today()
	for range 10 { // a chain of such parents, bounded
		ok, err := s.access.Allowed(ctx, actor, act, id)
		if err != nil || ok {
			return ok, err
		}
		u, err := s.store.Unit(ctx, id, today)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		var day dates.Date
		switch {
		case today.Before(u.ValidFrom):
			day = u.ValidFrom
		case !u.ValidTo.IsZero() && !today.Before(u.ValidTo):
			day = u.ValidTo.AddDays(-1)
		default:
			return false, nil
		}
		then, err := s.store.Unit(ctx, id, day)
		if err != nil || then.ParentID == 0 {
			return false, err
		}
		id = then.ParentID
	}
	return false, nil
}

// load reads unit id as placed on day.
func (s *Service) load(ctx context.Context, id int64, day dates.Date) (*units.Unit, error) {
	u, err := s.store.Unit(ctx, id, day)
	if err != nil {
		return nil, fmt.Errorf("unit %d: %w", id, err)
	}
	return u, nil
}

// target loads the unit a change is about, once actor may do every action
// in need on it. An unknown unit is store.ErrNotFound.
func (s *Service) target(ctx context.Context, actor service.Actor, id int64, need ...auth.Action) (*units.Unit, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	u, err := s.load(ctx, id, s.Today())
	if err != nil {
		return nil, err
	}
	for _, act := range need {
		ok, err := s.allowed(ctx, actor, act, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%s on unit %d: %w", act, id, service.ErrForbidden)
		}
	}
	return u, nil
}

// resolve finds the unit ref names, placed on day, and checks that actor
// may do act on it. Problems go to o under field: an unknown id gets
// unknownKey, an unknown code says which code, a unit out of reach is a
// refusal. It returns nil when ref names nothing usable.
func (s *Service) resolve(ctx context.Context, actor service.Actor, ref Ref, day dates.Date, act auth.Action, field, unknownKey string, o *outcome) (*units.Unit, error) {
	var u *units.Unit
	var err error
	code := strings.TrimSpace(ref.Code)
	if ref.ID != 0 {
		u, err = s.store.Unit(ctx, ref.ID, day)
	} else {
		u, err = s.store.UnitByCode(ctx, code, day)
	}
	if errors.Is(err, store.ErrNotFound) {
		if ref.ID != 0 {
			o.errs.Add(field, unknownKey)
		} else {
			o.errs.Add(field, "unit.err.code_unknown", code)
		}
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ok, err := s.allowed(ctx, actor, act, u.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		o.errs.Add(field, "err.out_of_scope")
		o.denied = true
		return nil, nil
	}
	return u, nil
}

// codeTaken reports a code another unit than self already has.
func (s *Service) codeTaken(ctx context.Context, code string, self int64) (bool, error) {
	if code == "" {
		return false, nil
	}
	u, err := s.store.UnitByCode(ctx, code, s.Today())
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return u.ID != self, nil
}

// checkAttributes normalises u and adds the problems of its own fields,
// including a code another unit already has.
func (s *Service) checkAttributes(ctx context.Context, u *units.Unit, o *outcome) error {
	u.Normalize()
	var errs validation.Errors
	errors.As(u.Validate(), &errs)
	if !errs.Has("code") {
		taken, err := s.codeTaken(ctx, u.Code, u.ID)
		if err != nil {
			return err
		}
		if taken {
			errs.Add("code", "err.code_taken")
		}
	}
	o.add(errs)
	return nil
}

// ---------------------------------------------------------------- reads

// Unit reads one unit as placed on day, for actor: every field when actor
// may read the unit's non-public data (full), the public fields alone
// otherwise.
func (s *Service) Unit(ctx context.Context, actor service.Actor, id int64, day dates.Date) (u *units.Unit, full bool, err error) {
	u, _, full, err = s.UnitWithAncestors(ctx, actor, id, day)
	return u, full, err
}

// UnitWithAncestors is Unit with the unit's chain of ancestors on day
// (as store.Ancestors, the unit first), from the same read.
func (s *Service) UnitWithAncestors(ctx context.Context, actor service.Actor, id int64, day dates.Date) (u *units.Unit, anc []int64, full bool, err error) {
	if err := signedIn(actor); err != nil {
		return nil, nil, false, err
	}
	if u, anc, err = s.store.UnitWithAncestors(ctx, id, day); err != nil {
		return nil, nil, false, fmt.Errorf("unit %d: %w", id, err)
	}
	if full, err = s.allowed(ctx, actor, auth.UnitRead, id); err != nil {
		return nil, nil, false, err
	}
	if !full {
		p := u.Public()
		u = &p
	}
	return u, anc, full, nil
}

// Reader tells, unit by unit, whether actor may read non-public fields,
// for lists: one subtree read per call, none when actor reads the whole
// database.
func (s *Service) Reader(ctx context.Context, actor service.Actor) (func(id int64) bool, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	scope, ok, err := s.access.ScopeOf(ctx, actor, auth.UnitRead)
	if err != nil {
		return nil, err
	}
	if !ok {
		return func(int64) bool { return false }, nil
	}
	ids, err := s.access.Units(ctx, scope)
	if err != nil {
		return nil, err
	}
	if ids == nil {
		return func(int64) bool { return true }, nil
	}
	in := make(map[int64]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	return func(id int64) bool { return in[id] }, nil
}

// Rights is what actor may do with one unit, for the buttons a page shows.
type Rights struct {
	Read      bool // non-public fields
	Write     bool // edit, create units under it
	Structure bool // move, merge, close
	// What of the unit's work actor may open (the unit page links to
	// them): its accounts, activities, reports and tasks.
	Users, Activities, Reports, Tasks bool
}

// RightsOn returns actor's rights on unit id.
func (s *Service) RightsOn(ctx context.Context, actor service.Actor, id int64) (Rights, error) {
	var r Rights
	for _, c := range []struct {
		act auth.Action
		dst *bool
	}{{auth.UnitRead, &r.Read}, {auth.UnitWrite, &r.Write}, {auth.UnitStructure, &r.Structure}} {
		ok, err := s.allowed(ctx, actor, c.act, id)
		if err != nil {
			return Rights{}, err
		}
		*c.dst = ok
	}
	// Each as the list it links to decides it, on the unit itself.
	for _, c := range []struct {
		acts []auth.Action
		dst  *bool
	}{
		{[]auth.Action{auth.UserRead}, &r.Users},
		{[]auth.Action{auth.ActivityRead}, &r.Activities},
		{[]auth.Action{auth.ReportRead}, &r.Reports},
		{auth.TaskFollow, &r.Tasks},
	} {
		for _, act := range c.acts {
			ok, err := s.access.Allowed(ctx, actor, act, id)
			if err != nil {
				return Rights{}, err
			}
			if ok {
				*c.dst = true
				break
			}
		}
	}
	return r, nil
}

// ForEdit reads unit id with every field for its edit form: actor must be
// allowed to change it.
func (s *Service) ForEdit(ctx context.Context, actor service.Actor, id int64) (*units.Unit, error) {
	return s.target(ctx, actor, id, auth.UnitWrite, auth.UnitRead)
}

// ForStructure reads unit id (public fields) for the move form: actor
// must be allowed to restructure it.
func (s *Service) ForStructure(ctx context.Context, actor service.Actor, id int64) (*units.Unit, error) {
	u, err := s.target(ctx, actor, id, auth.UnitStructure)
	if err != nil {
		return nil, err
	}
	p := u.Public()
	return &p, nil
}

// NewUnitParent is the parent the new-unit form starts with: parent (when
// not 0, which actor must be allowed to create under), else actor's own
// unit for subtree roles, none for those who may create a root (see
// service.Access.TopLevel), else their province (a province under a
// national root).
func (s *Service) NewUnitParent(ctx context.Context, actor service.Actor, parent int64) (*units.Unit, error) {
	if parent != 0 {
		return s.target(ctx, actor, parent, auth.UnitWrite)
	}
	if err := s.RequireSomewhere(actor, auth.UnitWrite); err != nil {
		return nil, err
	}
	top, err := s.access.TopLevel(ctx, actor, auth.UnitWrite)
	if err != nil || top {
		return nil, err
	}
	unit := actor.Principal.UnitID
	if provinceWide(actor, auth.UnitWrite) {
		if unit, err = s.access.ProvinceOf(ctx, unit); err != nil {
			return nil, err
		}
	}
	return s.load(ctx, unit, s.Today())
}
