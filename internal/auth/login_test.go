package auth_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

const rightPassword = "đúng mật khẩu rồi"

func loginFixture(t *testing.T, st *store.Store) *auth.User {
	t.Helper()
	ctx := context.Background()
	unit := &units.Unit{Code: "40", Name: "UBND tỉnh", Type: units.TypeProvinceCommittee, ValidFrom: dates.MustParse("2021-01-01")}
	if err := st.CreateUnit(ctx, audit.System, unit, 0); err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword(rightPassword)
	u := &auth.User{Email: "a@t.vn", Name: "A", UnitID: unit.ID, Roles: []auth.Role{auth.RoleViewer}}
	if err := st.CreateUser(ctx, audit.System, u, hash); err != nil {
		t.Fatal(err)
	}
	return u
}

// Sign-in rules against the real storage, shared by all app instances.
func TestLoginLimits(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u := loginFixture(t, st)
		type try struct {
			email, password, ip string
			want                error
		}
		fail := func(email, ip string, n int) []try {
			out := make([]try, n)
			for i := range out {
				out[i] = try{email, "sai", ip, auth.ErrInvalidCredentials}
			}
			return out
		}
		var steps []try
		steps = append(steps, try{"A@T.VN ", rightPassword, "1.1.1.1", nil}) // e-mail in another case
		// Five wrong passwords from one address lock that (e-mail, address)…
		steps = append(steps, fail("a@t.vn", "6.6.6.6", auth.MaxFailuresPerPair)...)
		steps = append(steps, try{"a@t.vn", rightPassword, "6.6.6.6", auth.ErrLocked})
		// …not the owner elsewhere.
		steps = append(steps, try{"a@t.vn", rightPassword, "2.2.2.2", nil})
		// An unknown e-mail answers exactly as a known one: no enumeration.
		steps = append(steps, fail("nobody@t.vn", "6.6.6.6", auth.MaxFailuresPerPair)...)
		steps = append(steps, try{"nobody@t.vn", rightPassword, "6.6.6.6", auth.ErrLocked})
		// An address trying many e-mails is limited as a whole.
		for i := 0; len(steps) < 1+2*(auth.MaxFailuresPerPair+1)+1+auth.MaxFailuresPerIP; i++ {
			steps = append(steps, try{fmt.Sprintf("x%d@t.vn", i), "sai", "4.4.4.4", auth.ErrInvalidCredentials})
		}
		steps = append(steps, try{"a@t.vn", rightPassword, "4.4.4.4", auth.ErrRateLimited})
		for i, s := range steps {
			if _, err := auth.Login(ctx, st, s.email, s.password, s.ip); !errors.Is(err, s.want) {
				t.Fatalf("step %d (%s from %s): %v, want %v", i, s.email, s.ip, err, s.want)
			}
		}

		// Failures from many addresses lock the account for unknown
		// addresses only; an address it signed in from passes. (The refused
		// attempt from 4.4.4.4 above was the account's first since its
		// last sign-in: refused attempts count too.)
		for i := range auth.MaxFailuresPerAccount - 1 {
			if _, err := auth.Login(ctx, st, "a@t.vn", "sai", fmt.Sprintf("10.0.%d.%d", i/200, i%200)); !errors.Is(err, auth.ErrInvalidCredentials) {
				t.Fatalf("spread failure %d: %v", i, err)
			}
		}
		if _, err := auth.Login(ctx, st, "a@t.vn", rightPassword, "3.3.3.3"); !errors.Is(err, auth.ErrLocked) {
			t.Errorf("account-wide limit, new address: %v, want ErrLocked", err)
		}
		if got, _, _ := st.UserByEmail(ctx, "a@t.vn"); got.Status(time.Now()) != "locked" {
			t.Errorf("the account should show as locked, is %s", got.Status(time.Now()))
		}
		if _, err := auth.Login(ctx, st, "a@t.vn", rightPassword, "2.2.2.2"); err != nil {
			t.Errorf("account-wide limit, known address: %v", err)
		}

		// An administrator's unlock lifts the (e-mail, address) lock too.
		if _, err := auth.Login(ctx, st, "a@t.vn", rightPassword, "6.6.6.6"); !errors.Is(err, auth.ErrLocked) {
			t.Fatalf("still locked before the unlock: %v", err)
		}
		if err := st.UnlockLogin(ctx, audit.System, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := auth.Login(ctx, st, "a@t.vn", rightPassword, "6.6.6.6"); err != nil {
			t.Errorf("after the unlock: %v", err)
		}
		u.Disabled = true
		if err := st.UpdateUser(ctx, audit.System, u); err != nil {
			t.Fatal(err)
		}
		if _, err := auth.Login(ctx, st, "a@t.vn", rightPassword, "5.5.5.5"); !errors.Is(err, auth.ErrDisabled) {
			t.Errorf("disabled account: %v", err)
		}
	})
}

// Parallel wrong passwords from one address cannot overrun its limit: each
// attempt is counted before its password is checked, atomically (the review
// saw 66 failures recorded against a limit of 20).
func TestLoginLimitHoldsUnderConcurrency(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		loginFixture(t, st)
		const parallel = 60
		var wg sync.WaitGroup
		var mu sync.Mutex
		checked := 0
		for i := range parallel {
			wg.Go(func() {
				_, err := auth.Login(ctx, st, fmt.Sprintf("u%d@t.vn", i), "sai", "7.7.7.7")
				if errors.Is(err, auth.ErrInvalidCredentials) {
					mu.Lock()
					checked++
					mu.Unlock()
				} else if !errors.Is(err, auth.ErrRateLimited) {
					t.Errorf("attempt %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		if checked != auth.MaxFailuresPerIP {
			t.Errorf("%d passwords checked from one address, want exactly %d", checked, auth.MaxFailuresPerIP)
		}
	})
}
