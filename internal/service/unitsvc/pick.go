package unitsvc

import (
	"context"
	"fmt"
	"slices"

	"khienso/internal/auth"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// Purpose is what a unit is chosen for; it decides which units a caller
// may choose and whether groups of units may be chosen.
type Purpose string

// The purposes of the unit picker, one per form that chooses units.
const (
	PickUser     Purpose = "user"     // the unit of an account
	PickActivity Purpose = "activity" // the unit that held an activity
	PickTask     Purpose = "task"     // lead and coordinating units of a task
	PickRound    Purpose = "round"    // the units a reporting round asks
)

// purposeRule is the scope of one purpose: the right the caller needs,
// whether every unit of the caller's province may be chosen (a task may
// be led by any unit of the province, a round asks any of them) or only
// those the right reaches, the types never chosen, and whether groups of
// units (every unit of a type) may be chosen: only rounds take them.
type purposeRule struct {
	act      auth.Action
	province bool
	not      []units.Type
	groups   bool
}

var purposeRules = map[Purpose]purposeRule{
	PickUser:     {act: auth.UserManage},
	PickActivity: {act: auth.ActivityWrite},
	// Schools lead no plan tasks (the task form never offered them).
	PickTask:  {act: auth.PlanWrite, province: true, not: []units.Type{units.TypeSchool}},
	PickRound: {act: auth.ReportReview, province: true, groups: true},
}

// Purposes lists the known purposes, for the API's documentation.
func Purposes() []Purpose { return []Purpose{PickUser, PickActivity, PickTask, PickRound} }

// PickQuery asks the picker for units: those matching Query (ignoring case
// and diacritics, best matches first) or, without a query, the children
// of Parent (0: the top of the caller's scope).
type PickQuery struct {
	Purpose Purpose
	Query   string
	Parent  int64
	Limit   int // at most PickMax; 0: PickLimit
}

// PickLimit is the number of results a type-ahead shows; PickMax the most
// one call returns (the server-rendered list the picker starts from).
const (
	PickLimit = 20
	PickMax   = 1000
)

// PickGroup is a group of units that may be chosen as one: every unit of
// Type in the caller's scope, Count of them today.
type PickGroup struct {
	Type  units.Type `json:"type"`
	Count int        `json:"count"`
}

// Picked is the picker's answer. Units hold public fields only.
type Picked struct {
	Units []*units.Unit `json:"units"`
	// Total counts the matches, of which Units holds the first Limit.
	Total int `json:"total"`
	// Parent is the unit browsed (nil for a search, or the top of a
	// scope made of several trees); Up is the unit above it within the
	// scope (0 at the top).
	Parent *units.Unit  `json:"parent,omitempty"`
	Up     int64        `json:"up,omitempty"`
	Groups []PickGroup  `json:"groups,omitempty"`
	root   int64        // the top of the scope, 0: everything
	rule   *purposeRule // the purpose's scope
}

// Pick answers q for actor: the units actor may choose for q.Purpose
// (within their province), searched or browsed, and the groups the purpose
// accepts. A unit outside the scope is not browsed (ErrForbidden).
func (s *Service) Pick(ctx context.Context, actor service.Actor, q PickQuery) (*Picked, error) {
	p, err := s.pickScope(ctx, actor, q.Purpose)
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = PickLimit
	}
	limit = min(limit, PickMax)
	day := s.Today()
	if q.Query != "" {
		list, total, err := s.store.SearchUnits(ctx, store.UnitFilter{Query: q.Query, Within: p.root, NotTypes: p.rule.not, Day: day, Limit: limit})
		if err != nil {
			return nil, err
		}
		p.Units, p.Total = publicAll(list), total
	} else if err := s.browse(ctx, p, q.Parent, limit); err != nil {
		return nil, err
	}
	if p.rule.groups && q.Parent == 0 {
		if p.Groups, err = s.pickGroups(ctx, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// PickAll lists every unit actor may choose for purpose (at most PickMax),
// in the domain's order of types then Vietnamese name order, with the
// groups: the list a picker renders without JavaScript.
func (s *Service) PickAll(ctx context.Context, actor service.Actor, purpose Purpose) (*Picked, error) {
	p, err := s.pickScope(ctx, actor, purpose)
	if err != nil {
		return nil, err
	}
	list, total, err := s.store.SearchUnits(ctx, store.UnitFilter{Within: p.root, NotTypes: p.rule.not, Day: s.Today(), Limit: PickMax})
	if err != nil {
		return nil, err
	}
	// SearchUnits without a query is in name order; stable keeps it
	// within each type.
	slices.SortStableFunc(list, func(a, b *units.Unit) int { return units.CompareTypes(a.Type, b.Type) })
	p.Units, p.Total = publicAll(list), total
	if p.rule.groups {
		if p.Groups, err = s.pickGroups(ctx, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// pickScope checks purpose and actor's right for it and finds the top of
// the units actor may choose.
func (s *Service) pickScope(ctx context.Context, actor service.Actor, purpose Purpose) (*Picked, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	rule, ok := purposeRules[purpose]
	if !ok {
		return nil, validation.Single("purpose", "err.invalid")
	}
	p := &Picked{rule: &rule}
	if actor.System {
		return p, nil
	}
	root, ok, err := s.access.Root(ctx, actor.Principal, rule.act)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("pick units for %s: %w", purpose, service.ErrForbidden)
	}
	if rule.province {
		if root, err = s.access.ProvinceOf(ctx, actor.Principal.UnitID); err != nil {
			return nil, err
		}
	}
	p.root = root
	return p, nil
}

// browse fills p with the children of parent (0: the scope's top), which
// must lie within the scope.
func (s *Service) browse(ctx context.Context, p *Picked, parent int64, limit int) error {
	day := s.Today()
	if parent == 0 {
		parent = p.root
	}
	var list []*units.Unit
	var err error
	if parent == 0 {
		list, err = s.store.Roots(ctx, day)
	} else {
		if p.root != 0 {
			in, err := s.store.InSubtree(ctx, p.root, parent, day)
			if err != nil {
				return err
			}
			if !in {
				return fmt.Errorf("browse unit %d: %w", parent, service.ErrForbidden)
			}
		}
		u, err := s.load(ctx, parent, day)
		if err != nil {
			return err
		}
		pub := u.Public()
		p.Parent = &pub
		if parent != p.root {
			p.Up = u.ParentID
		}
		list, err = s.store.Children(ctx, parent, day)
	}
	if err != nil {
		return err
	}
	list = slices.DeleteFunc(list, func(u *units.Unit) bool { return slices.Contains(p.rule.not, u.Type) })
	p.Total = len(list)
	p.Units = publicAll(list[:min(len(list), limit)])
	return nil
}

// pickGroups counts the units of each type in p's scope, in the domain's
// order of types, leaving out empty types.
func (s *Service) pickGroups(ctx context.Context, p *Picked) ([]PickGroup, error) {
	var out []PickGroup
	for _, t := range units.Types {
		if slices.Contains(p.rule.not, t) {
			continue
		}
		_, n, err := s.store.SearchUnits(ctx, store.UnitFilter{Type: t, Within: p.root, Day: s.Today(), Limit: 1})
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, PickGroup{Type: t, Count: n})
		}
	}
	return out, nil
}

// publicAll replaces each unit by a copy holding its public fields.
func publicAll(list []*units.Unit) []*units.Unit {
	out := make([]*units.Unit, len(list))
	for i, u := range list {
		p := u.Public()
		out[i] = &p
	}
	return out
}
