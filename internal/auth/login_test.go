package auth_test

import (
	"context"
	"errors"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// Login rules against the real storage, shared by all app instances.
func TestLoginLockoutAndRateLimit(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		unit := &units.Unit{Code: "40", Name: "UBND tỉnh", Type: units.TypeProvinceCommittee, ValidFrom: dates.MustParse("2021-01-01")}
		if err := st.CreateUnit(ctx, audit.System, unit, 0); err != nil {
			t.Fatal(err)
		}
		hash, _ := auth.HashPassword("đúng mật khẩu rồi")
		u := &auth.User{Email: "a@t.vn", Name: "A", UnitID: unit.ID, Roles: []auth.Role{auth.RoleViewer}}
		if err := st.CreateUser(ctx, audit.System, u, hash); err != nil {
			t.Fatal(err)
		}
		if _, err := auth.Login(ctx, st, "A@T.VN ", "đúng mật khẩu rồi", "1.1.1.1"); err != nil {
			t.Fatalf("right password (e-mail in other case): %v", err)
		}
		for i := 0; i < auth.MaxFailedLogins; i++ {
			if _, err := auth.Login(ctx, st, "a@t.vn", "sai", "1.1.1.1"); !errors.Is(err, auth.ErrInvalidCredentials) {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		if _, err := auth.Login(ctx, st, "a@t.vn", "đúng mật khẩu rồi", "2.2.2.2"); !errors.Is(err, auth.ErrLocked) {
			t.Errorf("after %d failures: %v, want ErrLocked", auth.MaxFailedLogins, err)
		}
		if _, err := auth.Login(ctx, st, "nobody@t.vn", "x", "3.3.3.3"); !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Errorf("unknown e-mail: %v", err)
		}
		for i := 0; i < auth.MaxFailuresPerIP; i++ {
			if err := st.RecordLoginFailure(ctx, "4.4.4.4", "x@t.vn", auth.MaxFailedLogins, auth.LockoutDuration); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := auth.Login(ctx, st, "a@t.vn", "đúng mật khẩu rồi", "4.4.4.4"); !errors.Is(err, auth.ErrRateLimited) {
			t.Errorf("busy address: %v, want ErrRateLimited", err)
		}
		// An administrator's password reset unlocks the account.
		if err := st.SetPassword(ctx, audit.System, u.ID, hash, true, ""); err != nil {
			t.Fatal(err)
		}
		got, err := auth.Login(ctx, st, "a@t.vn", "đúng mật khẩu rồi", "5.5.5.5")
		if err != nil || !got.MustChangePassword {
			t.Errorf("after reset: %v, must change = %v", err, got != nil && got.MustChangePassword)
		}
		u.Disabled = true
		if err := st.UpdateUser(ctx, audit.System, u); err != nil {
			t.Fatal(err)
		}
		if _, err := auth.Login(ctx, st, "a@t.vn", "đúng mật khẩu rồi", "5.5.5.5"); !errors.Is(err, auth.ErrDisabled) {
			t.Errorf("disabled account: %v", err)
		}
	})
}
