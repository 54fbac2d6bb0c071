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
