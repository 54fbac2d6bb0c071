package notifysvc_test

import (
	"context"
	"errors"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/service/notifysvc"
	"khienso/internal/service/servicetest"
	"khienso/internal/validation"
)

// TestNotificationsMatrix gives the focal points of X1, Y1 and Z1 each a
// reminder and checks every method for every actor: each reads, counts and
// marks their own notifications only.
func TestNotificationsMatrix(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := notifysvc.New(f.Store)
		tpl := reports.Standard()
		if err := f.Store.SaveReportTemplate(ctx, audit.System, &tpl); err != nil {
			t.Fatal(err)
		}
		today := f.Access.Today()
		r := &reports.Round{TemplateID: tpl.ID, Title: "Báo cáo tuần tới", From: today.AddDays(-90), To: today,
			Deadline: today.AddDays(7), Units: []int64{f.Units["X1"], f.Units["Y1"], f.Units["Z1"]}}
		if err := f.Store.CreateRound(ctx, audit.System, r); err != nil {
			t.Fatal(err)
		}
		if n, err := f.Store.ScheduleReminders(ctx, today); err != nil || n != 3 {
			t.Fatalf("ScheduleReminders = %d, %v", n, err)
		}
		has := map[string]bool{"focal.x": true, "focal.y": true, "focal.z": true}
		ids := map[string]int64{}
		for _, name := range servicetest.ActorNames {
			actor := f.Actors[name]
			page, err := svc.List(ctx, actor, 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if has[name] {
				want = 1
				ids[name] = page.Items[0].ID
			}
			if page.Total != want || page.Unread != want || len(page.Items) != want {
				t.Errorf("%s lists %d (%d unread), want %d", name, page.Total, page.Unread, want)
			}
			if n, err := svc.UnreadCount(ctx, actor); err != nil || n != want {
				t.Errorf("%s unread = %d %v, want %d", name, n, err, want)
			}
		}
		// Marking another's notification changes nothing.
		for _, name := range servicetest.ActorNames {
			for owner, id := range ids {
				if owner == name {
					continue
				}
				if marked, _, err := svc.MarkRead(ctx, f.Actors[name], []int64{id}); err != nil || marked != 0 {
					t.Errorf("%s marking %s's notification: %d %v", name, owner, marked, err)
				}
			}
		}
		for owner := range ids {
			if n, _ := svc.UnreadCount(ctx, f.Actors[owner]); n != 1 {
				t.Errorf("%s's notification was marked by someone else", owner)
			}
		}
		// Own ones: by id, then all (nothing left).
		if marked, unread, err := svc.MarkRead(ctx, f.Actors["focal.x"], []int64{ids["focal.x"]}); err != nil || marked != 1 || unread != 0 {
			t.Errorf("mark own: %d %d %v", marked, unread, err)
		}
		if marked, _, err := svc.MarkRead(ctx, f.Actors["focal.y"], nil); err != nil || marked != 1 {
			t.Errorf("mark all: %d %v", marked, err)
		}
		if marked, _, err := svc.MarkRead(ctx, f.Actors["focal.z"], []int64{}); err != nil || marked != 0 {
			t.Errorf("an empty list: %d %v", marked, err)
		}
		// Bad input and callers without an account.
		var ve validation.Errors
		if _, _, err := svc.MarkRead(ctx, f.Actors["focal.z"], []int64{-1}); !errors.As(err, &ve) || !ve.Has("ids") {
			t.Errorf("a bad id: %v", err)
		}
		if _, _, err := svc.MarkRead(ctx, f.Actors["focal.z"], make([]int64, notifysvc.MaxMarkIDs+1)); !errors.As(err, &ve) {
			t.Errorf("too many ids: %v", err)
		}
		for _, a := range []service.Actor{{}, service.SystemActor} {
			if _, err := svc.List(ctx, a, 10, 0); !errors.Is(err, service.ErrUnauthenticated) {
				t.Errorf("List by %+v: %v", a, err)
			}
			if _, err := svc.UnreadCount(ctx, a); !errors.Is(err, service.ErrUnauthenticated) {
				t.Errorf("UnreadCount by %+v: %v", a, err)
			}
			if _, _, err := svc.MarkRead(ctx, a, nil); !errors.Is(err, service.ErrUnauthenticated) {
				t.Errorf("MarkRead by %+v: %v", a, err)
			}
		}
	})
}
