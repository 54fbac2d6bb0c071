package store_test

import (
	"context"
	"testing"
	"time"

	"khienso/internal/auth"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// 0009 gives every live token made without an expiry one a year away, and
// leaves revoked tokens and tokens with an expiry alone.
func TestMigrationGivesTokensAnExpiry(t *testing.T) {
	for _, c := range []struct {
		engine store.Engine
		driver string
	}{{store.SQLite, "sqlite"}, {store.Postgres, "pgx"}} {
		t.Run(c.driver, func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, c.engine)
			st := openStore(t, dsn)
			if _, err := st.MigrateToForTest(ctx, 8); err != nil {
				t.Fatal(err)
			}
			root := mkUnit(t, st, "40", "Ủy ban nhân dân tỉnh Nghệ An", units.TypeProvinceCommittee, 0, "2021-01-01")
			u := &auth.User{Email: "a@t.vn", Name: "Chủ khóa", UnitID: root, Roles: []auth.Role{auth.RoleViewer}}
			if err := st.CreateUser(ctx, actor, u, "x"); err != nil {
				t.Fatal(err)
			}
			set := time.Now().Add(48 * time.Hour)
			var never, dated, revoked int64
			for _, p := range []struct {
				id  *int64
				exp time.Time
			}{{&never, time.Time{}}, {&dated, set}, {&revoked, time.Time{}}} {
				_, tok, err := st.CreateToken(ctx, actor, u.ID, "khóa", p.exp)
				if err != nil {
					t.Fatal(err)
				}
				*p.id = tok.ID
			}
			if err := st.RevokeToken(ctx, actor, u.ID, revoked); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			got := map[int64]*auth.Token{}
			list, err := st.Tokens(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, tk := range list {
				got[tk.ID] = tk
			}
			if d := time.Until(got[never].ExpiresAt); d < 364*24*time.Hour || d > 366*24*time.Hour {
				t.Errorf("a token without expiry now expires in %v, want a year", d)
			}
			if !got[dated].ExpiresAt.Equal(set.Truncate(time.Millisecond)) && got[dated].ExpiresAt.Sub(set).Abs() > time.Millisecond {
				t.Errorf("a dated token's expiry moved: %v, want %v", got[dated].ExpiresAt, set)
			}
			if !got[revoked].ExpiresAt.IsZero() {
				t.Errorf("a revoked token got an expiry: %v", got[revoked].ExpiresAt)
			}
		})
	}
}

// The administrators' list: owners in a subtree, one owner, live tokens
// only, paged with the total, roles loaded.
func TestOwnedTokens(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		na := mkUnit(t, s, "40", "Ủy ban nhân dân tỉnh Nghệ An", units.TypeProvinceCommittee, 0, "2021-01-01")
		ht := mkUnit(t, s, "42", "Ủy ban nhân dân tỉnh Hà Tĩnh", units.TypeProvinceCommittee, 0, "2021-01-01")
		mk := func(email string, unit int64) *auth.User {
			u := &auth.User{Email: email, Name: "Người " + email, UnitID: unit, Roles: []auth.Role{auth.RoleFocalPoint}}
			if err := s.CreateUser(ctx, actor, u, "x"); err != nil {
				t.Fatal(err)
			}
			return u
		}
		a, b, other := mk("a@t.vn", na), mk("b@t.vn", na), mk("c@t.vn", ht)
		tok := func(u *auth.User, exp time.Time) int64 {
			_, tk, err := s.CreateToken(ctx, actor, u.ID, "khóa", exp)
			if err != nil {
				t.Fatal(err)
			}
			return tk.ID
		}
		live := time.Now().Add(time.Hour)
		a1, a2, b1 := tok(a, live), tok(a, live), tok(b, live)
		tok(other, live)
		if err := s.RevokeToken(ctx, actor, a.ID, a2); err != nil {
			t.Fatal(err)
		}
		ids := func(f store.TokenFilter) ([]int64, int) {
			list, total, err := s.OwnedTokens(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, t := range list {
				out = append(out, t.ID)
			}
			return out, total
		}
		if got, total := ids(store.TokenFilter{Within: na}); total != 3 || len(got) != 3 {
			t.Errorf("province tokens: %v (total %d), want 3", got, total)
		}
		if got, total := ids(store.TokenFilter{Within: na, ActiveAt: time.Now()}); total != 2 || !sameIDs(got, a1, b1) {
			t.Errorf("live province tokens: %v (total %d), want %d %d", got, total, a1, b1)
		}
		if got, total := ids(store.TokenFilter{UserID: b.ID}); total != 1 || !sameIDs(got, b1) {
			t.Errorf("tokens of one owner: %v (total %d)", got, total)
		}
		if got, total := ids(store.TokenFilter{Within: na, Limit: 1, Offset: 5}); len(got) != 0 || total != 3 {
			t.Errorf("past the end: %v (total %d), want none of 3", got, total)
		}
		list, _, err := s.OwnedTokens(ctx, store.TokenFilter{UserID: a.ID})
		if err != nil || len(list) != 2 {
			t.Fatalf("tokens of a: %v %v", list, err)
		}
		if list[0].Owner != list[1].Owner || list[0].Owner.Email != "a@t.vn" || len(list[0].Owner.Roles) != 1 ||
			list[0].OwnerUnit != "Ủy ban nhân dân tỉnh Nghệ An" {
			t.Errorf("owner: %+v unit %q", list[0].Owner, list[0].OwnerUnit)
		}
		if owner, err := s.TokenOwner(ctx, b1); err != nil || owner != b.ID {
			t.Errorf("owner of %d: %d %v", b1, owner, err)
		}
		if _, err := s.TokenOwner(ctx, 99999); err == nil {
			t.Error("a missing token has an owner")
		}
	})
}

func sameIDs(got []int64, want ...int64) bool {
	if len(got) != len(want) {
		return false
	}
	seen := map[int64]bool{}
	for _, id := range got {
		seen[id] = true
	}
	for _, id := range want {
		if !seen[id] {
			return false
		}
	}
	return true
}
