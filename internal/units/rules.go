package units

import (
	"errors"
	"slices"

	"khienso/internal/dates"
	"khienso/internal/validation"
)

// The rules of the hierarchy: where a unit may sit, when it may move, close
// or merge. They decide on facts read by the caller (the units service reads
// them inside the write transaction, so uncommitted rows count) and name
// the offending fields as the API does: "parent_id", "date", "source_ids",
// "target_id" and "new_target.<field>".

// CheckPlacement checks that child (0 for a unit not stored yet) may sit
// under parent on day: the parent exists and is in force that day, and is
// neither the child itself nor below it. parentAncestors is the parent's
// chain up to its root on day, the parent first. Errors name field.
func CheckPlacement(field string, child int64, parent *Unit, parentAncestors []int64, day dates.Date) validation.Errors {
	var errs validation.Errors
	switch {
	case parent == nil:
		errs.Add(field, "err.parent_unknown")
	case !parent.ActiveOn(day):
		errs.Add(field, "err.parent_inactive", day.VN())
	case child != 0 && child == parent.ID:
		errs.Add(field, "err.parent_self")
	case child != 0 && slices.Contains(parentAncestors, child):
		errs.Add(field, "err.parent_cycle")
	}
	return errs
}

// CheckMove checks that u (as placed on day) may move under parent from day
// on. later is how many of u's placements start after day: a move before
// them would be silently overridden, so it is refused.
func CheckMove(u, parent *Unit, parentAncestors []int64, later int, day dates.Date) validation.Errors {
	var errs validation.Errors
	if day.IsZero() {
		errs.Add("date", "err.required")
		return errs
	}
	if !u.ActiveOn(day) {
		errs.Add("date", "err.unit_inactive", day.VN())
		return errs
	}
	if parent != nil && u.ParentID == parent.ID {
		errs.Add("parent_id", "err.parent_same")
		return errs
	}
	if errs = CheckPlacement("parent_id", u.ID, parent, parentAncestors, day); len(errs) > 0 {
		return errs
	}
	if later > 0 {
		errs.Add("date", "err.later_placement")
	}
	return errs
}

// CheckClose checks that u (as placed on day) may end on day without a
// successor: it is in force then, started before, and nothing sits under
// it any more (those units must be moved or merged first).
func CheckClose(u *Unit, day dates.Date) validation.Errors {
	var errs validation.Errors
	switch {
	case day.IsZero():
		errs.Add("date", "err.required")
	case !u.ActiveOn(day) || !day.After(u.ValidFrom):
		errs.Add("date", "err.unit_inactive", day.VN())
	case u.ChildCount > 0:
		errs.Add("date", "err.close_has_children", u.ChildCount)
	}
	return errs
}

// Merge is a merge about to be made, with what the rules need to know:
// the sources cease on Date and their data rolls up under the successor,
// which is either Target (an existing unit) or New (a unit to create from
// Date on).
type Merge struct {
	Date dates.Date
	// Sources are the units named, as placed on Date; nil stands for one
	// that could not be found (the caller reports why).
	Sources []*Unit
	// Target is the existing successor as placed on Date, with
	// TargetAncestors its chain up to the root on Date (Target first).
	Target          *Unit
	TargetAncestors []int64
	// HasTarget is set when a target was named, even one that could not be
	// found (Target is nil then, and the caller reports why).
	HasTarget bool
	// New is the successor to create, normalised, its ValidFrom the Date.
	New *Unit
}

// Check applies every rule of a merge and returns the problems in the order
// of the request: date, sources, successor, then the new successor's own
// fields. The new successor's placement is checked by CheckPlacement.
func (m *Merge) Check() validation.Errors {
	var errs validation.Errors
	if m.Date.IsZero() {
		errs.Add("date", "err.required")
	}
	if len(m.Sources) == 0 {
		errs.Add("source_ids", "err.required")
	}
	seen := map[int64]bool{}
	for _, s := range m.Sources {
		if s == nil {
			continue
		}
		if seen[s.ID] {
			errs.Add("source_ids", "err.duplicate_source")
		}
		seen[s.ID] = true
	}
	if m.HasTarget == (m.New != nil) {
		errs.Add("target_id", "err.merge_target")
	}
	if m.New != nil {
		var ve validation.Errors
		errors.As(m.New.Validate(), &ve)
		for _, fe := range ve {
			if fe.Field == "valid_from" { // the merge date, reported above
				continue
			}
			errs.Add("new_target."+fe.Field, fe.Reason, fe.Args...)
		}
	}
	if len(errs) > 0 || m.Date.IsZero() {
		return errs
	}
	if m.Target != nil && !m.Target.ActiveOn(m.Date) {
		errs.Add("target_id", "err.unit_inactive", m.Date.VN())
	}
	for _, s := range m.Sources {
		switch {
		case s == nil:
		case m.Target != nil && s.ID == m.Target.ID:
			errs.Add("source_ids", "err.merge_into_self")
		case m.Target != nil && slices.Contains(m.TargetAncestors, s.ID):
			errs.Add("source_ids", "err.merge_into_descendant")
		case !s.ActiveOn(m.Date) || !m.Date.After(s.ValidFrom):
			errs.Add("source_ids", "err.source_inactive", s.Code, m.Date.VN())
		}
	}
	return errs
}
