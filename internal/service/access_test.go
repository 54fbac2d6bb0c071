package service_test

import (
	"context"
	"errors"
	"testing"

	"khienso/internal/auth"
	"khienso/internal/service"
	"khienso/internal/service/servicetest"
)

var allActions = []auth.Action{auth.UnitRead, auth.UnitWrite, auth.UnitStructure, auth.UnitImport, auth.UserRead,
	auth.UserManage, auth.AuditRead, auth.PlanWrite, auth.TaskReport, auth.ActivityRead, auth.ActivityWrite,
	auth.ReportRead, auth.ReportSubmit, auth.ReportReview}

// TestAccessMatrix checks every role × relation × action against the
// policy: province-wide roles reach their own province only, subtree roles
// their unit and below, and nobody crosses into another province.
func TestAccessMatrix(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		for _, name := range servicetest.ActorNames {
			for _, rel := range servicetest.Relations {
				target, ok := f.Target(name, rel)
				if !ok {
					continue
				}
				for _, act := range allActions {
					want := servicetest.Expect(f, name, act, rel)
					got, err := f.Access.Allowed(ctx, f.Actors[name], act, target)
					if err != nil {
						t.Fatal(err)
					}
					if got != want {
						t.Errorf("%s %s on %s unit: allowed=%v, want %v", name, act, rel, got, want)
					}
					err = f.Access.Require(ctx, f.Actors[name], act, target)
					if want != (err == nil) || (!want && !errors.Is(err, service.ErrForbidden)) {
						t.Errorf("%s %s on %s unit: Require = %v", name, act, rel, err)
					}
				}
			}
		}
		// Spot checks that the generic expectation itself is right.
		for _, c := range []struct {
			actor string
			act   auth.Action
			unit  string
			want  bool
		}{
			{"coord", auth.ReportReview, "X1-THCS", true},
			{"coord", auth.ReportReview, "Z1", false},
			{"coord.z", auth.UnitWrite, "Z1-THCS", true},
			{"admin", auth.UserManage, "42", false},
			{"focal.x", auth.ActivityWrite, "X1-THCS", true},
			{"focal.x", auth.ActivityWrite, "40", false},
			{"viewer.x", auth.ActivityWrite, "X1", false},
			{"learner", auth.UnitRead, "X1", false},
		} {
			got, _ := f.Access.Allowed(ctx, f.Actors[c.actor], c.act, f.Units[c.unit])
			if got != c.want {
				t.Errorf("%s %s on %s: %v, want %v", c.actor, c.act, c.unit, got, c.want)
			}
		}
		if err := f.Access.Require(ctx, service.Actor{}, auth.UnitRead, f.Units["X1"]); !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("anonymous: %v, want ErrUnauthenticated", err)
		}
		if err := f.Access.Require(ctx, service.SystemActor, auth.UnitStructure, f.Units["Z1"]); err != nil {
			t.Errorf("system: %v", err)
		}
		// Scopes: two provinces, so even a coordinator gets a filter.
		sc, ok, err := f.Access.ScopeOf(ctx, f.Actors["coord"], auth.ActivityRead)
		if err != nil || !ok || sc.All || sc.Root != f.Units["40"] {
			t.Errorf("coordinator scope = %+v %v %v, want the subtree of 40", sc, ok, err)
		}
		ids, _ := f.Access.Units(ctx, sc)
		for _, id := range ids {
			if id == f.Units["Z1"] {
				t.Error("coordinator scope includes another province's commune")
			}
		}
		if _, ok, _ := f.Access.ScopeOf(ctx, f.Actors["learner"], auth.ActivityRead); ok {
			t.Error("learner has an activity scope")
		}
	})
}

// TestAccessMatrixNational checks the policy with both provinces under a
// national root: a province's admin and coordinator stop at their province
// committee (never the other province, nor the national root and the
// national bodies beside them), while the national ones reach the country.
func TestAccessMatrixNational(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		for _, name := range f.ActorNames() {
			for _, rel := range servicetest.NationalRelations {
				target, ok := f.Target(name, rel)
				if !ok {
					continue
				}
				for _, act := range allActions {
					want := servicetest.Expect(f, name, act, rel)
					got, err := f.Access.Allowed(ctx, f.Actors[name], act, target)
					if err != nil {
						t.Fatal(err)
					}
					if got != want {
						t.Errorf("%s %s on %s unit: allowed=%v, want %v", name, act, rel, got, want)
					}
				}
			}
		}
		for _, c := range []struct {
			actor string
			act   auth.Action
			unit  string
			want  bool
		}{
			// The national coordinator reaches both provinces, down to their schools.
			{"coord.vn", auth.ReportReview, "X1-THCS", true},
			{"coord.vn", auth.ReportReview, "Z1-THCS", true},
			{"coord.vn", auth.UnitWrite, "42", true},
			{"admin.vn", auth.UserManage, "40-SKHCN", true},
			// A province's roles reach neither the other province nor the national level.
			{"coord", auth.ReportReview, "Z1", false},
			{"coord", auth.ReportReview, "42", false},
			{"coord.z", auth.UnitRead, "X1", false},
			{"admin", auth.UserManage, "42-SKHCN", false},
			{"admin", auth.UnitWrite, "VN", false},
			{"admin", auth.UnitStructure, "VN-ATTT", false},
			{"coord", auth.PlanWrite, "VN", false},
			{"coord", auth.ReportSubmit, "VN", false},
			{"coord", auth.ActivityWrite, "VN-ATTT", false},
			{"coord", auth.UnitRead, "VN", false},
			// …but still their whole province.
			{"coord", auth.UnitWrite, "40", true},
			{"admin", auth.UserManage, "Y1-THCS", true},
		} {
			got, err := f.Access.Allowed(ctx, f.Actors[c.actor], c.act, f.Units[c.unit])
			if err != nil || got != c.want {
				t.Errorf("%s %s on %s: %v (%v), want %v", c.actor, c.act, c.unit, got, err, c.want)
			}
		}
		for _, c := range []struct{ unit, province string }{
			{"VN", "VN"}, {"VN-ATTT", "VN"}, {"40", "40"}, {"40-SKHCN", "40"}, {"X1-THCS", "40"}, {"Z1", "42"},
		} {
			if got, err := f.Access.ProvinceOf(ctx, f.Units[c.unit]); err != nil || got != f.Units[c.province] {
				t.Errorf("province of %s = %d (%v), want %s", c.unit, got, err, c.province)
			}
		}
		// One tree: the national coordinator needs no filter, a province's
		// coordinator gets its province.
		sc, ok, err := f.Access.ScopeOf(ctx, f.Actors["coord.vn"], auth.ActivityRead)
		if err != nil || !ok || !sc.All || sc.Root != f.Units["VN"] {
			t.Errorf("national coordinator scope = %+v %v %v, want everything", sc, ok, err)
		}
		sc, ok, err = f.Access.ScopeOf(ctx, f.Actors["coord"], auth.ActivityRead)
		if err != nil || !ok || sc.All || sc.Root != f.Units["40"] {
			t.Errorf("province coordinator scope = %+v %v %v, want the subtree of 40", sc, ok, err)
		}
		ids, _ := f.Access.Units(ctx, sc)
		for _, id := range ids {
			if id == f.Units["Z1"] || id == f.Units["VN"] || id == f.Units["VN-ATTT"] {
				t.Errorf("province coordinator scope includes unit %d outside its province", id)
			}
		}
	}, servicetest.National())
}
