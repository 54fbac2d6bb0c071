package reportsvc_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"khienso/internal/progress"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/service/reportsvc"
	"khienso/internal/service/servicetest"
	"khienso/internal/validation"
)

// Reminding a round's units: for whoever manages the round; only the units
// that have not submitted; at most once a day per unit, however many
// calls; in the app for the unit's focal points and queued for the e-mail
// sender.
func TestRemindUnits(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		e := setup(t, f)
		ctx := context.Background()
		coord, fx := f.Actors["coord"], f.Actors["focal.x"]
		x1, y1, dept := f.Units["X1"], f.Units["Y1"], f.Units["40-SKHCN"]
		rd := e.newRound(t, x1, y1, dept)
		// Y1 submitted; X1 saved a draft; the department has nothing.
		if _, err := e.svc.Apply(ctx, f.Actors["focal.y"], step(rd, y1, reports.ActionSubmit)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Apply(ctx, fx, step(rd, x1, reports.ActionSave)); err != nil {
			t.Fatal(err)
		}

		for _, name := range []string{"focal.x", "viewer.x", "focal.y", "police", "learner", "coord.z"} {
			if _, err := e.svc.RemindUnits(ctx, f.Actors[name], rd); !errors.Is(err, service.ErrForbidden) {
				t.Errorf("%s reminds the round's units: %v", name, err)
			}
		}
		if _, err := e.svc.RemindUnits(ctx, service.Actor{}, rd); !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("anonymous reminds: %v", err)
		}

		_, unreadBefore, err := f.Store.Notifications(ctx, fx.Principal.UserID, 50)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.RemindUnits(ctx, coord, rd)
		if err != nil || *got != (reportsvc.Reminded{Reminded: 2, Already: 0}) {
			t.Fatalf("first reminder: %v %+v", err, got)
		}
		list, unread, err := f.Store.Notifications(ctx, fx.Principal.UserID, 50)
		if err != nil || unread != unreadBefore+1 || list[0].Subject != "reminder.manual" {
			t.Errorf("X1's focal point after the reminder: %v, %d unread (was %d), %+v", err, unread, unreadBefore, list)
		}
		// A second click, and another manager the same day: nobody twice.
		for _, actor := range []service.Actor{coord, f.Actors["admin"]} {
			got, err = e.svc.RemindUnits(ctx, actor, rd)
			if err != nil || *got != (reportsvc.Reminded{Reminded: 0, Already: 2}) {
				t.Errorf("second reminder the same day: %v %+v", err, got)
			}
		}
		if _, unread2, _ := f.Store.Notifications(ctx, fx.Principal.UserID, 50); unread2 != unread {
			t.Errorf("the second reminder notified again: %d unread, want %d", unread2, unread)
		}
		// The e-mail sender takes them up, once each.
		claimed, err := f.Store.ClaimReminders(ctx, "test", time.Minute, 50)
		if err != nil {
			t.Fatal(err)
		}
		units := map[int64]bool{}
		for _, r := range claimed {
			if r.RoundID == rd {
				units[r.UnitID] = true
			}
		}
		if len(units) != 2 || !units[x1] || !units[dept] {
			t.Errorf("reminders queued for e-mail: %v", units)
		}

		// The next day, the units still not submitted are reminded again.
		tomorrow := reportsvc.New(f.Store, service.NewAccess(f.Store, func() time.Time { return servicetest.Now.Add(24 * time.Hour) }),
			&progress.Service{Store: f.Store}, nil)
		if got, err := tomorrow.RemindUnits(ctx, coord, rd); err != nil || got.Reminded != 2 {
			t.Errorf("reminder the next day: %v %+v", err, got)
		}

		if _, err := e.svc.SetRoundStatus(ctx, coord, rd, reports.RoundClosed); err != nil {
			t.Fatal(err)
		}
		var ve validation.Errors
		if _, err := e.svc.RemindUnits(ctx, coord, rd); !errors.As(err, &ve) || !ve.Has("round") {
			t.Errorf("reminding in a closed round: %v", err)
		}
	})
}
