package accountsvc_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"khienso/internal/auth"
	"khienso/internal/service"
	"khienso/internal/service/accountsvc"
	"khienso/internal/service/servicetest"
	"khienso/internal/store"
	"khienso/internal/validation"
)

const password = "mật khẩu thử nghiệm 2026"

// newAccount creates an account that can sign in with password.
func newAccount(t *testing.T, f *servicetest.Fixture, svc *accountsvc.Service, email, unit string, role auth.Role) *auth.User {
	t.Helper()
	u, _, err := svc.CreateUser(context.Background(), service.SystemActor, accountsvc.NewUser{Name: "Người " + email, Email: email,
		UnitCode: unit, Roles: []auth.Role{role}, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSignInAndPasswords(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := accountsvc.New(f.Store, f.Access)
		u := newAccount(t, f, svc, "an@t.vn", "X1", auth.RoleFocalPoint)
		anon := service.Actor{IP: "192.0.2.10"}

		// A session, then a token.
		sess, err := svc.SignIn(ctx, anon, "AN@t.vn", password, "test")
		if err != nil || sess.Token == "" || sess.User.ID != u.ID || !sess.User.MustChangePassword || !sess.ExpiresAt.After(time.Now()) {
			t.Fatalf("sign in: %+v %v", sess, err)
		}
		if _, su, err := f.Store.SessionUser(ctx, sess.Token); err != nil || su.ID != u.ID {
			t.Fatalf("the session does not work: %v", err)
		}
		// The account's password is still the one-time one: no token, by
		// sign-in or from the session.
		if _, _, err := svc.SignInToken(ctx, anon, "an@t.vn", password, ""); !errors.Is(err, auth.ErrPasswordChangeRequired) {
			t.Fatalf("sign in for a token with a one-time password: %v", err)
		}
		if _, err := svc.CreateToken(ctx, service.Actor{Principal: sess.User.Principal(), IP: anon.IP}, "x", time.Time{}); !errors.Is(err, auth.ErrPasswordChangeRequired) {
			t.Errorf("a token from a session with a one-time password: %v", err)
		}
		if _, _, err := svc.SignInToken(ctx, anon, "an@t.vn", password, string(make([]byte, 81))); !invalidOn(err, "token_name") {
			t.Errorf("a bad token name: %v", err)
		}

		// Changing one's password: the current one is checked, the new one
		// must be good, confirmed, and new.
		me := service.Actor{Principal: sess.User.Principal(), IP: anon.IP}
		const next = "một mật khẩu mới hẳn"
		for _, c := range []struct {
			in    accountsvc.PasswordChange
			field string
		}{
			{accountsvc.PasswordChange{Current: "sai", New: next, Confirm: next}, "current"},
			{accountsvc.PasswordChange{Current: password, New: "ngắn", Confirm: "ngắn"}, "new"},
			{accountsvc.PasswordChange{Current: password, New: next, Confirm: next + "x"}, "confirm"},
			{accountsvc.PasswordChange{Current: password, New: password, Confirm: password}, "new"},
		} {
			if err := svc.ChangePassword(ctx, me, c.in); !invalidOn(err, c.field) {
				t.Errorf("change %+v: %v, want an error on %s", c.in, err, c.field)
			}
		}
		other, err := svc.SignIn(ctx, anon, "an@t.vn", password, "test")
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.ChangePassword(ctx, me, accountsvc.PasswordChange{Current: password, New: next, Confirm: next, KeepSession: sess.Token}); err != nil {
			t.Fatalf("change: %v", err)
		}
		if _, _, err := f.Store.SessionUser(ctx, sess.Token); err != nil {
			t.Errorf("the caller's session ended: %v", err)
		}
		if _, _, err := f.Store.SessionUser(ctx, other.Token); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another session survived: %v", err)
		}
		if _, err := svc.SignIn(ctx, anon, "an@t.vn", password, "test"); !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Errorf("the old password still works: %v", err)
		}
		again, err := svc.SignIn(ctx, anon, "an@t.vn", next, "test")
		if err != nil || again.User.MustChangePassword {
			t.Errorf("the new password: %+v %v", again, err)
		}
		tok, tu, err := svc.SignInToken(ctx, anon, "an@t.vn", next, "")
		if err != nil || tok.Token.Name != accountsvc.DefaultLoginTokenName || tu.ID != u.ID ||
			tok.Token.ExpiresAt.Sub(time.Now()) < accountsvc.LoginTokenLifetime-time.Minute {
			t.Fatalf("sign in for a token: %+v %v", tok, err)
		}
		if err := svc.SignOut(ctx, again.Token); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.Store.SessionUser(ctx, again.Token); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a signed-out session works: %v", err)
		}
		for _, a := range []service.Actor{{}, service.SystemActor} {
			if err := svc.ChangePassword(ctx, a, accountsvc.PasswordChange{}); !errors.Is(err, service.ErrUnauthenticated) {
				t.Errorf("change by %+v: %v", a, err)
			}
		}

		// Five failures from one address lock that address out of the
		// account, even with the right password; the owner elsewhere
		// signs in. A disabled account is told so.
		for range auth.MaxFailuresPerPair {
			if _, err := svc.SignIn(ctx, anon, "an@t.vn", "sai", "test"); !errors.Is(err, auth.ErrInvalidCredentials) {
				t.Fatalf("a wrong password: %v", err)
			}
		}
		if _, err := svc.SignIn(ctx, anon, "an@t.vn", next, "test"); !errors.Is(err, auth.ErrLocked) {
			t.Errorf("a locked (account, address): %v", err)
		}
		if _, err := svc.SignIn(ctx, service.Actor{IP: "192.0.2.99"}, "an@t.vn", next, "test"); err != nil {
			t.Errorf("the owner from another address: %v", err)
		}
		// Guessing the current password on the change form counts too.
		owned, _, err := f.Store.UserByEmail(ctx, "an@t.vn")
		if err != nil || owned == nil {
			t.Fatal(owned, err)
		}
		owner := service.Actor{Principal: owned.Principal(), IP: "192.0.2.50"}
		for range auth.MaxFailuresPerPair {
			err := svc.ChangePassword(ctx, owner, accountsvc.PasswordChange{Current: "sai", New: "một mật khẩu mới dài", Confirm: "một mật khẩu mới dài"})
			var ve validation.Errors
			if !errors.As(err, &ve) || !ve.Has("current") {
				t.Fatalf("a wrong current password: %v", err)
			}
		}
		if err := svc.ChangePassword(ctx, owner, accountsvc.PasswordChange{Current: next, New: "một mật khẩu mới dài", Confirm: "một mật khẩu mới dài"}); !errors.Is(err, auth.ErrLocked) {
			t.Errorf("the change form after %d wrong current passwords: %v", auth.MaxFailuresPerPair, err)
		}
		v := newAccount(t, f, svc, "binh@t.vn", "X1", auth.RoleViewer)
		yes := true
		if _, err := svc.UpdateUser(ctx, f.Actors["focal.x"], v.ID, accountsvc.UserChange{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SignInToken(ctx, anon, "binh@t.vn", password, ""); !errors.Is(err, auth.ErrDisabled) {
			t.Errorf("a disabled account: %v", err)
		}
	})
}
