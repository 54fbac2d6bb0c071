package unitsvc_test

import (
	"errors"
	"slices"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/service"
	"khienso/internal/service/servicetest"
	"khienso/internal/service/unitsvc"
	"khienso/internal/units"
	"khienso/internal/validation"
)

func codes(list []*units.Unit) []string {
	var out []string
	for _, u := range list {
		out = append(out, u.Code)
	}
	return out
}

func TestPick(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, sf *servicetest.Fixture) {
		f := newFixture(t, sf)
		ctx := t.Context()
		// A school whose name only contains "nghi" inside a longer word, made
		// first so that name order alone would not put the commune first.
		for _, u := range []struct {
			code, name, parent string
			typ                units.Type
		}{
			{"X1-NL", "Trường THCS Nghĩa Lộc", "X1", units.TypeSchool},
			{"X2", "Xã Nghi Lộc", "40", units.TypeCommune},
		} {
			unit := &units.Unit{Code: u.code, Name: u.name, Type: u.typ, ValidFrom: dates.MustParse("2021-01-01")}
			if u.typ == units.TypeSchool {
				unit.SchoolLevel = units.LevelLowerSecondary
			}
			if err := f.Store.CreateUnit(ctx, audit.System, unit, f.Units[u.parent]); err != nil {
				t.Fatal(err)
			}
			f.Units[u.code] = unit.ID
		}
		cases := []struct {
			name, actor string
			q           unitsvc.PickQuery
			first       string   // the first unit expected ("" none)
			has, hasNot []string // codes among / not among the units
			parent      string   // the unit browsed
			groups      []unitsvc.PickGroup
			err         error
		}{
			{name: "no diacritics, whole words first", actor: "coord", q: unitsvc.PickQuery{Purpose: unitsvc.PickRound, Query: "nghi loc"},
				first: "X2", has: []string{"X1-NL"},
				groups: []unitsvc.PickGroup{{units.TypeProvinceCommittee, 1}, {units.TypeCoordinator, 1}, {units.TypeCommune, 3}, {units.TypeSchool, 3}, {units.TypePolice, 1}}},
			{name: "round: the province, not the other", actor: "coord", q: unitsvc.PickQuery{Purpose: unitsvc.PickRound, Query: "xa"},
				has: []string{"X1", "X2"}, hasNot: []string{"Z1"}},
			{name: "browse the top of the province", actor: "coord", q: unitsvc.PickQuery{Purpose: unitsvc.PickRound},
				parent: "40", has: []string{"40-SKHCN", "X1", "Y1", "X2"}, hasNot: []string{"X1-THCS"}},
			{name: "browse a commune", actor: "coord", q: unitsvc.PickQuery{Purpose: unitsvc.PickRound, Parent: f.Units["X1"]},
				parent: "X1", has: []string{"X1-THCS", "X1-NL"}},
			{name: "browse the other province", actor: "coord", q: unitsvc.PickQuery{Purpose: unitsvc.PickRound, Parent: f.Units["Z1"]},
				err: service.ErrForbidden},
			{name: "tasks: no schools", actor: "coord", q: unitsvc.PickQuery{Purpose: unitsvc.PickTask, Query: "nghi loc"},
				first: "X2", hasNot: []string{"X1-NL"}},
			{name: "focal point: own subtree for activities", actor: "focal.x", q: unitsvc.PickQuery{Purpose: unitsvc.PickActivity, Query: "nghi"},
				has: []string{"X1", "X1-THCS", "X1-NL"}, hasNot: []string{"X2"}},
			{name: "focal point browses their unit", actor: "focal.x", q: unitsvc.PickQuery{Purpose: unitsvc.PickActivity},
				parent: "X1", has: []string{"X1-THCS"}},
			{name: "focal point: not above their unit", actor: "focal.x", q: unitsvc.PickQuery{Purpose: unitsvc.PickActivity, Parent: f.Units["40"]},
				err: service.ErrForbidden},
			{name: "focal point: no rounds", actor: "focal.x", q: unitsvc.PickQuery{Purpose: unitsvc.PickRound}, err: service.ErrForbidden},
			{name: "unknown purpose", actor: "coord", q: unitsvc.PickQuery{Purpose: "nope"}, err: validation.Errors{}},
			{name: "anonymous", q: unitsvc.PickQuery{Purpose: unitsvc.PickUser}, err: service.ErrUnauthenticated},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, err := f.svc.Pick(ctx, f.Actors[c.actor], c.q)
				if c.err != nil {
					var verrs validation.Errors
					if _, want := c.err.(validation.Errors); want && errors.As(err, &verrs) {
						return
					}
					if !errors.Is(err, c.err) {
						t.Fatalf("err %v, want %v", err, c.err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				list := codes(got.Units)
				if c.first != "" && (len(list) == 0 || list[0] != c.first) {
					t.Errorf("units %v, want %s first", list, c.first)
				}
				for _, h := range c.has {
					if !slices.Contains(list, h) {
						t.Errorf("units %v lack %s", list, h)
					}
				}
				for _, h := range c.hasNot {
					if slices.Contains(list, h) {
						t.Errorf("units %v hold %s", list, h)
					}
				}
				if c.parent != "" && (got.Parent == nil || got.Parent.Code != c.parent) {
					t.Errorf("parent %+v, want %s", got.Parent, c.parent)
				}
				if c.groups != nil && !slices.Equal(got.Groups, c.groups) {
					t.Errorf("groups %v, want %v", got.Groups, c.groups)
				}
				for _, u := range got.Units {
					if u.Focal.Phone != "" {
						t.Errorf("unit %s shows its focal point's phone", u.Code)
					}
				}
			})
		}
		t.Run("all, in domain order", func(t *testing.T) {
			got, err := f.svc.PickAll(ctx, f.Actors["coord"], unitsvc.PickRound)
			if err != nil {
				t.Fatal(err)
			}
			for i := 1; i < len(got.Units); i++ {
				if units.CompareTypes(got.Units[i-1].Type, got.Units[i].Type) > 0 {
					t.Errorf("%s (%s) before %s (%s)", got.Units[i-1].Code, got.Units[i-1].Type, got.Units[i].Code, got.Units[i].Type)
				}
			}
			if list := codes(got.Units); len(list) != 9 || list[0] != "40" || slices.Contains(list, "Z1") {
				t.Errorf("units %v, want the 9 of province 40, the committee first", list)
			}
		})
	})
}
