package reportsvc_test

import (
	"context"
	"errors"
	"testing"

	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/service/reportsvc"
	"khienso/internal/service/servicetest"
	"khienso/internal/validation"
)

// A focal point withdraws its unit's submission while no reviewer has
// taken it up: back to a draft with its content, recorded in the history.
// A reviewer, another unit, an accepted or returned report, or a closed
// round cannot.
func TestWithdrawSubmission(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		e := setup(t, f)
		ctx := context.Background()
		fx, fy, coord, x1 := f.Actors["focal.x"], f.Actors["focal.y"], f.Actors["coord"], f.Units["X1"]
		withdraw := func(actor service.Actor, rd int64) error {
			_, err := e.svc.Apply(ctx, actor, step(rd, x1, reports.ActionWithdraw))
			return err
		}
		submitted := func() int64 {
			rd := e.newRound(t, x1)
			if _, err := e.svc.Apply(ctx, fx, step(rd, x1, reports.ActionSubmit)); err != nil {
				t.Fatalf("submit: %v", err)
			}
			return rd
		}

		rd := submitted()
		if v, err := e.svc.Submission(ctx, fx, rd, x1); err != nil || !v.Can.Withdraw {
			t.Errorf("the writer's page does not offer withdrawing: %v", err)
		}
		if v, err := e.svc.Submission(ctx, coord, rd, x1); err != nil || v.Can.Withdraw {
			t.Errorf("the reviewer's page offers withdrawing: %v", err)
		}
		if err := withdraw(coord, rd); !errors.Is(err, reportsvc.ErrActForUnit) {
			t.Errorf("the coordinator withdraws X1's report: %v", err)
		}
		if err := withdraw(fy, rd); !errors.Is(err, service.ErrForbidden) {
			t.Errorf("another unit's focal point withdraws X1's report: %v", err)
		}
		v, err := e.svc.Apply(ctx, fx, step(rd, x1, reports.ActionWithdraw))
		if err != nil || v.Sub.Status != reports.StatusDraft || v.Sub.SubmittedAt != "" || v.Sub.Values["trainees"] != 6 || !v.Can.Submit {
			t.Fatalf("withdrawing: %v %+v", err, v)
		}
		evs, err := e.svc.History(ctx, fx, rd, x1)
		if err != nil || len(evs) != 2 || evs[1].Action != string(reports.ActionWithdraw) {
			t.Errorf("history after withdrawing: %v %+v", err, evs)
		}
		if err := withdraw(fx, rd); !errors.Is(err, service.ErrConflict) {
			t.Errorf("withdrawing a draft: %v", err)
		}
		// Submitted again, it is the reviewers' again.
		if _, err := e.svc.Apply(ctx, fx, reportsvc.Step{Round: rd, Unit: x1, Step: reports.Step{Action: reports.ActionSubmit, KeepContent: true}}); err != nil {
			t.Fatalf("submitting again: %v", err)
		}

		for _, tc := range []struct {
			name   string
			review reports.Action
		}{{"accepted", reports.ActionAccept}, {"returned", reports.ActionReturn}} {
			rd := submitted()
			if _, err := e.svc.Apply(ctx, coord, step(rd, x1, tc.review)); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if err := withdraw(fx, rd); !errors.Is(err, service.ErrConflict) {
				t.Errorf("withdrawing a report %s: %v", tc.name, err)
			}
		}

		rd = submitted()
		if _, err := e.svc.SetRoundStatus(ctx, coord, rd, reports.RoundClosed); err != nil {
			t.Fatal(err)
		}
		var ve validation.Errors
		if err := withdraw(fx, rd); !errors.As(err, &ve) || !ve.Has("round") {
			t.Errorf("withdrawing in a closed round: %v", err)
		}
	})
}
