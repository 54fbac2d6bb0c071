package store_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

func TestSessionsTokensAndAudit(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prov := mkUnit(t, s, "40", "UBND tỉnh Nghệ An", units.TypeProvinceCommittee, 0, "2021-01-01")
		u := &auth.User{Email: " Focal@T.vn", Name: "Nguyễn  Văn A", UnitID: prov, Roles: []auth.Role{auth.RoleFocalPoint, auth.RoleViewer}}
		if err := s.CreateUser(ctx, actor, u, "$argon2id$fake"); err != nil {
			t.Fatal(err)
		}
		if u.Email != "focal@t.vn" || u.Name != "Nguyễn Văn A" {
			t.Errorf("normalised user = %q %q", u.Email, u.Name)
		}
		dup := &auth.User{Email: "focal@t.vn", Name: "B", UnitID: prov, Roles: []auth.Role{auth.RoleViewer}}
		if err := s.CreateUser(ctx, actor, dup, "x"); reasonOf(err) != "err.email_taken" {
			t.Errorf("duplicate e-mail: %v", err)
		}
		bad := &auth.User{Email: "not-an-email", Name: "", UnitID: prov, Roles: []auth.Role{"king"}}
		err := s.CreateUser(ctx, actor, bad, "x")
		for _, field := range []string{"email", "name", "roles"} {
			if !hasField(err, field) {
				t.Errorf("invalid user: no error on %s (%v)", field, err)
			}
		}

		// Sessions are stored by hash and end with expiry, logout or a new password.
		sess := auth.Session{UserID: u.ID, CSRFToken: "csrf", ExpiresAt: time.Now().Add(time.Hour)}
		if err := s.CreateSession(ctx, "tok-1", sess, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, "tok-2", sess, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		got, gu, err := s.SessionUser(ctx, "tok-1")
		if err != nil || got.CSRFToken != "csrf" || len(gu.Roles) != 2 {
			t.Fatalf("session: %+v %+v %v", got, gu, err)
		}
		expired := auth.Session{UserID: u.ID, CSRFToken: "c", ExpiresAt: time.Now().Add(-time.Minute)}
		_ = s.CreateSession(ctx, "tok-old", expired, "", "")
		if _, _, err := s.SessionUser(ctx, "tok-old"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired session: %v", err)
		}
		kept, _, err := s.CreateToken(ctx, actor, u.ID, "giữ", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(ctx, actor, u.ID, "$argon2id$new", false, "tok-1", false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, kept); err != nil {
			t.Errorf("a token ended with a change that keeps tokens: %v", err)
		}
		if err := s.SetPassword(ctx, actor, u.ID, "$argon2id$new2", false, "tok-1", true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, kept); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a token survived a change that revokes tokens: %v", err)
		}
		if _, _, err := s.SessionUser(ctx, "tok-2"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("other sessions must end on password change: %v", err)
		}
		if _, _, err := s.SessionUser(ctx, "tok-1"); err != nil {
			t.Errorf("the session that changed the password stays: %v", err)
		}
		if err := s.DeleteSession(ctx, "tok-1"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, "tok-1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted session: %v", err)
		}

		// API tokens: shown once, stored hashed, revocable, expire, die with the account.
		secret, tok, err := s.CreateToken(ctx, actor, u.ID, "báo cáo", time.Time{})
		if err != nil || len(secret) < 40 || tok.Prefix != secret[:10] {
			t.Fatalf("token: %q %+v %v", secret, tok, err)
		}
		if tu, err := s.TokenUser(ctx, secret); err != nil || tu.ID != u.ID {
			t.Errorf("token user: %v", err)
		}
		if _, err := s.TokenUser(ctx, secret+"x"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("wrong token: %v", err)
		}
		old, _, _ := s.CreateToken(ctx, actor, u.ID, "cũ", time.Now().Add(-time.Hour))
		if _, err := s.TokenUser(ctx, old); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired token: %v", err)
		}
		if err := s.RevokeToken(ctx, actor, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, secret); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoked token: %v", err)
		}
		live, _, _ := s.CreateToken(ctx, actor, u.ID, "live", time.Time{})
		u.Disabled = true
		if err := s.UpdateUser(ctx, actor, u); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, live); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a disabled user's token must fail: %v", err)
		}

		// Every change above is in the audit log, which nobody can alter.
		entries, total, err := s.AuditLog(ctx, audit.Filter{Entity: "user", EntityID: itoa(u.ID)})
		if err != nil || total < 3 {
			t.Fatalf("audit for user: %d entries, %v", total, err)
		}
		if entries[0].Action != "update" || entries[0].Before == nil || entries[0].After == nil {
			t.Errorf("newest entry = %+v, want an update with before and after", entries[0])
		}
		// Three below and "giữ" above.
		if _, total, _ := s.AuditLog(ctx, audit.Filter{Actor: "TES", Action: "create", Entity: "api_token"}); total != 4 {
			t.Errorf("token creations in the log = %d, want 4", total)
		}
		if err := s.TamperAuditForTest(ctx); err == nil {
			t.Error("the audit log accepted an UPDATE/DELETE")
		}
	})
}

// A token's last use is noted on first use and then at most once a minute,
// whichever instance serves it; reads in between do not write.
func TestTokenLastUse(t *testing.T) {
	for _, engine := range storetest.EngineList {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, engine)
			a, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if _, err := a.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			b, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			prov := mkUnit(t, a, "40", "UBND tỉnh Nghệ An", units.TypeProvinceCommittee, 0, "2021-01-01")
			u := &auth.User{Email: "api@t.vn", Name: "API", UnitID: prov, Roles: []auth.Role{auth.RoleViewer, auth.RoleFocalPoint}}
			if err := a.CreateUser(ctx, actor, u, "x"); err != nil {
				t.Fatal(err)
			}
			secret, tok, err := a.CreateToken(ctx, actor, u.ID, "tích hợp", time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			lastUse := func() time.Time {
				t.Helper()
				list, err := a.Tokens(ctx, u.ID)
				if err != nil || len(list) != 1 {
					t.Fatalf("tokens: %d, %v", len(list), err)
				}
				return list[0].LastUsedAt
			}
			if !lastUse().IsZero() {
				t.Fatal("a new token has no last use")
			}
			want, _ := a.User(ctx, u.ID)
			tu, err := a.TokenUser(ctx, secret)
			if err != nil || tu.ID != u.ID || tu.Email != want.Email || !slices.Equal(tu.Roles, want.Roles) || len(tu.Roles) != 2 {
				t.Fatalf("token user = %+v, want %+v (%v)", tu, want, err)
			}
			first := lastUse()
			if time.Since(first) > time.Minute {
				t.Fatalf("first use noted at %v", first)
			}
			// Within the minute neither instance writes again.
			time.Sleep(5 * time.Millisecond)
			for _, s := range []*store.Store{a, b, a} {
				if _, err := s.TokenUser(ctx, secret); err != nil {
					t.Fatal(err)
				}
			}
			if got := lastUse(); !got.Equal(first) {
				t.Errorf("last use moved from %v to %v within a minute", first, got)
			}
			// Once the noted use is over a minute old, the next request notes
			// it again, here through the other instance.
			if err := a.AgeTokenUseForTest(ctx, tok.ID, 2*time.Minute); err != nil {
				t.Fatal(err)
			}
			if _, err := b.TokenUser(ctx, secret); err != nil {
				t.Fatal(err)
			}
			if got := lastUse(); time.Since(got) > time.Minute {
				t.Errorf("stale last use not noted again: %v", got)
			}
		})
	}
}

func TestMigrationStatus(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		list, err := s.MigrationStatus(ctx)
		if err != nil || len(list) == 0 {
			t.Fatalf("status: %v", err)
		}
		for _, m := range list {
			if m.AppliedAt == "" {
				t.Errorf("migration %d not applied", m.Version)
			}
		}
		again, err := s.Migrate(ctx)
		if err != nil || len(again) != 0 {
			t.Errorf("second migrate applied %v (%v), want nothing", again, err)
		}
	})
}

func hasField(err error, field string) bool {
	var ve interface{ Has(string) bool }
	return errors.As(err, &ve) && ve.Has(field)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
