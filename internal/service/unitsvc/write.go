package unitsvc

import (
	"context"
	"errors"
	"fmt"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// Problems on the inputs of a change found while reading the request (a
// date or a number that does not parse) travel with the change, so the
// caller hears about them together with the service's own; nothing is
// written while there are any.

// NewUnit is a unit to create.
type NewUnit struct {
	Unit     *units.Unit // attributes and ValidFrom
	Parent   Ref         // zero: a root unit
	Problems validation.Errors
}

// Create stores a new unit. Actor needs UnitWrite on the parent; a root
// needs it at the top of a tree (service.Access.TopLevel). in.Unit.ID is set.
func (s *Service) Create(ctx context.Context, actor service.Actor, in NewUnit) error {
	if err := signedIn(actor); err != nil {
		return err
	}
	u := in.Unit
	o := &outcome{errs: in.Problems}
	day := u.ValidFrom
	if day.IsZero() {
		day = s.Today()
	}
	var parent int64
	if in.Parent.Zero() {
		top, err := s.access.TopLevel(ctx, actor, auth.UnitWrite)
		if err != nil {
			return err
		}
		if !top {
			o.errs.Add("parent_id", "err.required")
			o.denied = true
		}
	} else {
		p, err := s.resolve(ctx, actor, in.Parent, day, auth.UnitWrite, "parent_id", "err.parent_unknown", o)
		if err != nil {
			return err
		}
		if p != nil {
			parent = p.ID
		}
	}
	if err := s.checkAttributes(ctx, u, o); err != nil {
		return err
	}
	if err := o.err(); err != nil {
		return err
	}
	return s.store.Tx(ctx, func(tx *store.Tx) error { return s.createIn(ctx, tx, actor.Audit(), u, parent) })
}

// createIn creates u under parent inside tx, once the parent is found in
// force on u's first day.
func (s *Service) createIn(ctx context.Context, tx *store.Tx, a audit.Actor, u *units.Unit, parent int64) error {
	if parent != 0 {
		p, err := span(ctx, tx, parent)
		if err != nil {
			return err
		}
		if errs := units.CheckPlacement("parent_id", 0, p, nil, u.ValidFrom); len(errs) > 0 {
			return errs
		}
	}
	return tx.CreateUnit(ctx, a, u, parent)
}

// span reads a unit's validity in tx; nil when it does not exist.
func span(ctx context.Context, tx *store.Tx, id int64) (*units.Unit, error) {
	u, err := tx.UnitSpan(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return u, err
}

// Change is new attributes for an existing unit (its placement and
// validity change only by Move, Merge and Close).
type Change struct {
	Unit     *units.Unit // ID names the unit
	Problems validation.Errors
}

// Update stores a unit's attributes. Actor needs UnitWrite on it.
func (s *Service) Update(ctx context.Context, actor service.Actor, in Change) error {
	u := in.Unit
	before, err := s.target(ctx, actor, u.ID, auth.UnitWrite)
	if err != nil {
		return err
	}
	u.ValidFrom, u.ValidTo = before.ValidFrom, before.ValidTo
	o := &outcome{errs: in.Problems}
	if err := s.checkAttributes(ctx, u, o); err != nil {
		return err
	}
	if err := o.err(); err != nil {
		return err
	}
	return s.store.Tx(ctx, func(tx *store.Tx) error { return tx.UpdateUnit(ctx, actor.Audit(), u) })
}

// Move places unit id under parent from day on. Actor needs UnitStructure
// on the unit and on the new parent.
func (s *Service) Move(ctx context.Context, actor service.Actor, id int64, parent Ref, day dates.Date, problems validation.Errors) error {
	if _, err := s.target(ctx, actor, id, auth.UnitStructure); err != nil {
		return err
	}
	o := &outcome{errs: problems}
	if day.IsZero() {
		o.add(validation.Errors{{Field: "date", Reason: "err.required"}})
	}
	var p *units.Unit
	if parent.Zero() {
		o.errs.Add("parent_id", "err.required")
	} else {
		lookup := day
		if lookup.IsZero() {
			lookup = s.Today()
		}
		var err error
		if p, err = s.resolve(ctx, actor, parent, lookup, auth.UnitStructure, "parent_id", "err.parent_unknown", o); err != nil {
			return err
		}
	}
	if err := o.err(); err != nil {
		return err
	}
	return s.store.Tx(ctx, func(tx *store.Tx) error { return s.moveIn(ctx, tx, actor.Audit(), id, p.ID, day) })
}

// moveIn moves unit under parent from day inside tx, by the rules of
// units.CheckMove on what tx holds (a parent created or moved earlier in
// the same transaction counts).
func (s *Service) moveIn(ctx context.Context, tx *store.Tx, a audit.Actor, unit, parent int64, day dates.Date) error {
	u, err := tx.Unit(ctx, unit, day)
	if err != nil {
		return err
	}
	p, err := span(ctx, tx, parent)
	if err != nil {
		return err
	}
	var anc []int64
	if p != nil {
		if anc, err = tx.Ancestors(ctx, parent, day); err != nil {
			return err
		}
	}
	later, err := tx.LaterPlacements(ctx, unit, day)
	if err != nil {
		return err
	}
	if errs := units.CheckMove(u, p, anc, later, day); len(errs) > 0 {
		return errs
	}
	return tx.MoveUnit(ctx, a, unit, parent, day)
}

// Close ends unit id on day without a successor. Actor needs
// UnitStructure on it.
func (s *Service) Close(ctx context.Context, actor service.Actor, id int64, day dates.Date, problems validation.Errors) error {
	if _, err := s.target(ctx, actor, id, auth.UnitStructure); err != nil {
		return err
	}
	o := &outcome{errs: problems}
	if day.IsZero() {
		o.add(validation.Errors{{Field: "date", Reason: "err.required"}})
	}
	if err := o.err(); err != nil {
		return err
	}
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		u, err := tx.Unit(ctx, id, day)
		if err != nil {
			return err
		}
		if errs := units.CheckClose(u, day); len(errs) > 0 {
			return errs
		}
		return tx.CloseUnit(ctx, actor.Audit(), id, day)
	})
	return conflict(err)
}

// conflict turns a unit changed by another request between the checks and
// the write into service.ErrConflict (reload and retry).
func conflict(err error) error {
	if errors.Is(err, store.ErrUnitChanged) {
		return fmt.Errorf("%w: %w", service.ErrConflict, err)
	}
	return err
}

// ---------------------------------------------------------------- merge

// MergeInput is a merge as asked: the sources cease on Date and their data
// rolls up under the successor, an existing unit (Target) or a unit to
// create (New, under NewParent; zero: a root).
type MergeInput struct {
	Sources   []Ref
	Target    Ref
	New       *units.Unit
	NewParent Ref
	Date      dates.Date
	Problems  validation.Errors
}

// MergeSource is a source as a merge's summary shows it.
type MergeSource struct {
	Unit   *units.Unit // public fields
	Parent *units.Unit // public fields; nil for a root
}

// MergePreview is what a merge will do, for the summary shown before it
// is committed.
type MergePreview struct {
	Sources []MergeSource
	Target  *units.Unit // the existing successor, or the new one (not stored yet)
	New     bool
	Parent  *units.Unit // the new successor's parent
	Date    dates.Date
}

// merge is a checked merge: the request for the store and its summary.
type merge struct {
	req     store.MergeRequest
	preview *MergePreview
	facts   units.Merge
}

// PreviewMerge checks a merge against the directory as committed and says
// what it would do, writing nothing.
func (s *Service) PreviewMerge(ctx context.Context, actor service.Actor, in MergeInput) (*MergePreview, error) {
	m, err := s.checkMerge(ctx, actor, in)
	if err != nil {
		return nil, err
	}
	return m.preview, nil
}

// Merge carries out a merge and returns the successor's id. Actor needs
// UnitStructure on every source, on the existing successor or on the new
// successor's parent (at the top of a tree for a new root).
func (s *Service) Merge(ctx context.Context, actor service.Actor, in MergeInput) (int64, error) {
	m, err := s.checkMerge(ctx, actor, in)
	if err != nil {
		return 0, err
	}
	// The rules again on what the transaction sees, in case the directory
	// changed since.
	var target int64
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := s.mergeFacts(ctx, tx, m); err != nil {
			return err
		}
		if errs := m.facts.Check(); len(errs) > 0 {
			return errs
		}
		if m.req.NewTarget != nil && m.req.NewTargetParent != 0 {
			p, err := span(ctx, tx, m.req.NewTargetParent)
			if err != nil {
				return err
			}
			if errs := units.CheckPlacement("new_target.parent_id", 0, p, nil, m.req.Date); len(errs) > 0 {
				return errs
			}
		}
		var err error
		target, err = tx.MergeUnits(ctx, actor.Audit(), m.req)
		return err
	})
	var ve validation.Errors
	if errors.As(err, &ve) && m.req.NewTarget != nil {
		for i := range ve { // the new successor's code, refused by the unique index
			if ve[i].Field == "code" {
				ve[i].Field = "new_target.code"
			}
		}
	}
	return target, conflict(err)
}

// checkMerge resolves the units a merge names (each within actor's reach)
// and applies the merge rules to the directory as committed.
func (s *Service) checkMerge(ctx context.Context, actor service.Actor, in MergeInput) (*merge, error) {
	m, o, err := s.prepareMerge(ctx, actor, in)
	if err != nil {
		return nil, err
	}
	if err := s.mergeFacts(ctx, s.store, m); err != nil {
		return nil, err
	}
	o.add(m.facts.Check())
	if nu := m.req.NewTarget; nu != nil && !o.errs.Has("new_target.code") {
		taken, err := s.codeTaken(ctx, nu.Code, 0)
		if err != nil {
			return nil, err
		}
		if taken {
			o.errs.Add("new_target.code", "err.code_taken")
		}
	}
	return m, o.err()
}

// prepareMerge resolves the units a merge names, each within actor's
// reach.
func (s *Service) prepareMerge(ctx context.Context, actor service.Actor, in MergeInput) (*merge, *outcome, error) {
	if err := s.RequireSomewhere(actor, auth.UnitStructure); err != nil {
		return nil, nil, err
	}
	o := &outcome{errs: in.Problems}
	day := in.Date
	if day.IsZero() {
		day = s.Today()
	}
	m := &merge{req: store.MergeRequest{Date: in.Date}, preview: &MergePreview{Date: in.Date}}
	m.facts = units.Merge{Date: in.Date, HasTarget: !in.Target.Zero(), New: in.New}
	for _, ref := range in.Sources {
		u, err := s.resolve(ctx, actor, ref, day, auth.UnitStructure, "source_ids", "err.unit_unknown", o)
		if err != nil {
			return nil, nil, err
		}
		m.facts.Sources = append(m.facts.Sources, u)
		if u != nil {
			m.req.SourceIDs = append(m.req.SourceIDs, u.ID)
		}
	}
	if !in.Target.Zero() {
		t, err := s.resolve(ctx, actor, in.Target, day, auth.UnitStructure, "target_id", "err.unit_unknown", o)
		if err != nil {
			return nil, nil, err
		}
		if t != nil {
			m.req.TargetID = t.ID
		}
	}
	if nu := in.New; nu != nil {
		nu.ValidFrom = day
		nu.Normalize()
		m.req.NewTarget = nu
		m.preview.New, m.preview.Target = true, public(nu)
		if in.NewParent.Zero() {
			top, err := s.access.TopLevel(ctx, actor, auth.UnitStructure)
			if err != nil {
				return nil, nil, err
			}
			if !top {
				o.errs.Add("new_target.parent_id", "err.required")
				o.denied = true
			}
		} else {
			p, err := s.resolve(ctx, actor, in.NewParent, day, auth.UnitStructure, "new_target.parent_id", "err.parent_unknown", o)
			if err != nil {
				return nil, nil, err
			}
			if p != nil {
				m.req.NewTargetParent = p.ID
				m.preview.Parent = public(p)
			}
		}
	}
	return m, o, nil
}

// unitReader reads units and their ancestors: the store (committed state)
// for a preview, the transaction for the merge itself.
type unitReader interface {
	Unit(ctx context.Context, id int64, day dates.Date) (*units.Unit, error)
	Ancestors(ctx context.Context, id int64, day dates.Date) ([]int64, error)
}

// mergeFacts reads the sources and the existing successor as placed on the
// merge date, for the rules and the summary.
func (s *Service) mergeFacts(ctx context.Context, r unitReader, m *merge) error {
	if m.req.Date.IsZero() {
		return nil
	}
	day := m.req.Date
	m.preview.Sources = nil
	for i, src := range m.facts.Sources {
		if src == nil {
			continue
		}
		u, err := r.Unit(ctx, src.ID, day)
		if err != nil {
			return err
		}
		m.facts.Sources[i] = u
		ms := MergeSource{Unit: public(u)}
		if u.ParentID != 0 {
			par, err := r.Unit(ctx, u.ParentID, day)
			if err != nil {
				return err
			}
			ms.Parent = public(par)
		}
		m.preview.Sources = append(m.preview.Sources, ms)
	}
	if m.req.TargetID != 0 {
		t, err := r.Unit(ctx, m.req.TargetID, day)
		if err != nil {
			return err
		}
		anc, err := r.Ancestors(ctx, t.ID, day)
		if err != nil {
			return err
		}
		m.facts.Target, m.facts.TargetAncestors = t, anc
		m.preview.Target = public(t)
	}
	return nil
}

// public is a copy of u holding only its public fields.
func public(u *units.Unit) *units.Unit {
	p := u.Public()
	return &p
}
