package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// TestNoticesInTransaction: a notice is written with its transaction or
// not at all; an argument holding the separator stays one argument; the
// e-mail state follows Email; a unit's focal points are resolved inside.
// Two instances on one database claim each e-mail once, and a failed
// claim is taken again after its lease.
func TestNoticesInTransaction(t *testing.T) {
	for _, engine := range storetest.EngineList {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, engine)
			open := func() *store.Store {
				s, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				if _, err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return s
			}
			s1, s2 := open(), open()
			u := &units.Unit{Code: "X1", Name: "Xã", Type: units.TypeProvinceCommittee, ValidFrom: dates.MustParse("2025-07-01")}
			if err := s1.CreateUnit(ctx, actor, u, 0); err != nil {
				t.Fatal(err)
			}
			focal := &auth.User{Email: "f@x.vn", Name: "Đầu mối", UnitID: u.ID, Roles: []auth.Role{auth.RoleFocalPoint}}
			viewer := &auth.User{Email: "v@x.vn", Name: "Xem", UnitID: u.ID, Roles: []auth.Role{auth.RoleViewer}}
			for _, x := range []*auth.User{focal, viewer} {
				if err := s1.CreateUser(ctx, actor, x, "x"); err != nil {
					t.Fatal(err)
				}
			}
			boom := errors.New("step refused")
			err := s1.Tx(ctx, func(tx *store.Tx) error {
				if err := tx.Notify(ctx, store.Notice{Users: []int64{viewer.ID}, Key: "k"}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatal(err)
			}
			if n, _ := s1.UnreadNotifications(ctx, viewer.ID); n != 0 {
				t.Fatalf("a rolled-back notice was kept (%d)", n)
			}
			err = s1.Tx(ctx, func(tx *store.Tx) error {
				return tx.Notify(ctx, store.Notice{Users: []int64{focal.ID}, Units: []int64{u.ID}, Key: "k",
					Args: []string{"a|b", "c"}, Email: true}, store.Notice{Users: []int64{viewer.ID}, Key: "k2"})
			})
			if err != nil {
				t.Fatal(err)
			}
			list, _, err := s2.Notifications(ctx, focal.ID, 10)
			if err != nil || len(list) != 1 || list[0].Body != "a｜b|c" {
				t.Fatalf("focal point's notices %+v, %v (want one, the user and unit lists merged)", list, err)
			}
			if n, _ := s2.UnreadNotifications(ctx, viewer.ID); n != 1 {
				t.Errorf("viewer has %d notices, want 1", n)
			}
			lease := 2 * time.Second
			got1, err := s1.ClaimNotificationEmails(ctx, "a", lease, 10)
			if err != nil || len(got1) != 1 || got1[0].Email != "f@x.vn" || got1[0].Name != "Đầu mối" {
				t.Fatalf("first claim %+v, %v", got1, err)
			}
			if got, err := s2.ClaimNotificationEmails(ctx, "b", lease, 10); err != nil || len(got) != 0 {
				t.Fatalf("claimed twice within the lease: %+v, %v", got, err)
			}
			// Instance a stops before sending: once its lease expires, b
			// takes the e-mail, and a's late outcome changes nothing.
			time.Sleep(lease + 100*time.Millisecond)
			if got, err := s2.ClaimNotificationEmails(ctx, "b", lease, 10); err != nil || len(got) != 1 {
				t.Fatalf("expired claim not retaken: %+v, %v", got, err)
			}
			if err := s1.FinishNotificationEmail(ctx, got1[0].ID, "a", "failed", "late"); err != nil {
				t.Fatal(err)
			}
			if err := s2.FinishNotificationEmail(ctx, got1[0].ID, "b", "sent", ""); err != nil {
				t.Fatal(err)
			}
			counts, err := s1.NotificationEmailCounts(ctx)
			if err != nil || counts["sent"] != 1 || counts["none"] != 1 || len(counts) != 2 {
				t.Errorf("e-mail states %v, %v", counts, err)
			}
		})
	}
}
