package store_test

import (
	"context"
	"slices"
	"testing"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// TestVietnameseOrder holds the lists of names in Vietnamese collation,
// paged in SQL by the stored keys: "Đ" after "D", "Cát" before "Con", on
// both engines, for rows written since migration 0010 and for rows it
// found (filled when the store migrates).
func TestVietnameseOrder(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		day := dates.MustParse("2026-01-15")
		prov := mkUnit(t, s, "40", "Ủy ban nhân dân tỉnh Nghệ An", units.TypeProvinceCommittee, 0, "2021-01-01")
		names := []string{"Xã Con Cuông", "Xã Đông Hiếu", "Xã Cát Ngạn", "Xã Diễn Châu", "Xã Anh Sơn", "Xã Ân Thi", "Xã Yên Thành"}
		want := []string{"Xã Anh Sơn", "Xã Ân Thi", "Xã Cát Ngạn", "Xã Con Cuông", "Xã Diễn Châu", "Xã Đông Hiếu", "Xã Yên Thành"}
		for i, n := range names {
			mkUnit(t, s, "C"+string(rune('A'+i)), n, units.TypeCommune, prov, "2021-01-01")
		}
		userNames := []string{"Đặng Văn Bình", "Đinh Thị Hoa", "Dương Minh Châu", "Cao Văn Nam", "Bùi Thị Lan"}
		wantUsers := []string{"Bùi Thị Lan", "Cao Văn Nam", "Dương Minh Châu", "Đặng Văn Bình", "Đinh Thị Hoa"}
		for i, n := range userNames {
			u := &auth.User{Email: string(rune('a'+i)) + "@t.vn", Name: n, UnitID: prov, Roles: []auth.Role{auth.RoleViewer}}
			if err := s.CreateUser(ctx, actor, u, "x"); err != nil {
				t.Fatal(err)
			}
		}
		check := func(when string) {
			t.Helper()
			kids, err := s.Children(ctx, prov, day)
			if err != nil {
				t.Fatal(err)
			}
			if got := unitNames(kids); !slices.Equal(got, want) {
				t.Errorf("%s: children = %q, want %q", when, got, want)
			}
			// Paged: the second page continues the order, so it is not
			// sorted after the LIMIT.
			page, _, err := s.SearchUnits(ctx, store.UnitFilter{Query: "xa", Type: units.TypeCommune, Day: day, Limit: 3, Offset: 3})
			if err != nil {
				t.Fatal(err)
			}
			if got := unitNames(page); !slices.Equal(got, want[3:6]) {
				t.Errorf("%s: search page 2 = %q, want %q", when, got, want[3:6])
			}
			dir, err := s.UnitDirectory(ctx, day)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range dir {
				if u.Type == units.TypeCommune {
					got = append(got, u.Name)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: directory = %q, want %q", when, got, want)
			}
			us, _, err := s.Users(ctx, store.UserFilter{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			got = nil
			for _, u := range us {
				got = append(got, u.Name)
			}
			if !slices.Equal(got, wantUsers) {
				t.Errorf("%s: users = %q, want %q", when, got, wantUsers)
			}
		}
		check("written")
		// An older database: keys missing until the store migrates, which
		// fills them (and doing it again changes nothing).
		if err := s.ForgetSortKeys(ctx); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
		}
		check("backfilled")
		// A renamed unit moves with its new name.
		u, err := s.Unit(ctx, mustCode(t, s, "CG", day), day)
		if err != nil {
			t.Fatal(err)
		}
		u.Name = "Xã Ba Đồn"
		if err := s.UpdateUnit(ctx, actor, u); err != nil {
			t.Fatal(err)
		}
		kids, _ := s.Children(ctx, prov, day)
		if got := unitNames(kids); got[2] != "Xã Ba Đồn" {
			t.Errorf("after rename: %q, want Xã Ba Đồn third", got)
		}
	})
}

// TestChildrenByTypeOrder holds the grouping by type in the domain's order
// (committee's departments before communes, banks after schools), not by
// the type keys' bytes, which put "bank" first.
func TestChildrenByTypeOrder(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prov := mkUnit(t, s, "40", "Ủy ban nhân dân tỉnh Nghệ An", units.TypeProvinceCommittee, 0, "2021-01-01")
		mkUnit(t, s, "B1", "Ngân hàng Nhà nước chi nhánh Nghệ An", units.TypeBank, prov, "2021-01-01")
		mkUnit(t, s, "S1", "Trường THPT Anh Sơn", units.TypeSchool, prov, "2021-01-01")
		mkUnit(t, s, "C1", "Xã Anh Sơn", units.TypeCommune, prov, "2021-01-01")
		mkUnit(t, s, "D1", "Sở Tài chính", units.TypeDepartment, prov, "2021-01-01")
		mkUnit(t, s, "K1", "Sở Khoa học và Công nghệ", units.TypeCoordinator, prov, "2021-01-01")
		kids, err := s.Children(ctx, prov, dates.MustParse("2026-01-15"))
		if err != nil {
			t.Fatal(err)
		}
		var got []units.Type
		for _, u := range kids {
			got = append(got, u.Type)
		}
		want := []units.Type{units.TypeCoordinator, units.TypeDepartment, units.TypeCommune, units.TypeSchool, units.TypeBank}
		if !slices.Equal(got, want) {
			t.Errorf("children types = %v, want %v", got, want)
		}
	})
}

// TestSearchRanking holds the order of search results: whole words before
// words found inside longer ones, on both engines.
func TestSearchRanking(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		day := dates.MustParse("2026-01-15")
		prov := mkUnit(t, s, "40", "Ủy ban nhân dân tỉnh Nghệ An", units.TypeProvinceCommittee, 0, "2021-01-01")
		for _, u := range []struct {
			code, name string
			typ        units.Type
		}{
			{"40-THCS-NL", "Trường THCS Nghĩa Lộc", units.TypeSchool},
			{"17827", "Xã Nghi Lộc", units.TypeCommune},
			{"40-THPT-NL", "Trường THPT Nghi Lộc 2", units.TypeSchool},
			{"17900", "Xã Lộc Nghi", units.TypeCommune},
			{"17901", "Xã Nghĩa Đàn", units.TypeCommune},
			{"17902", "Xã Đàn Nghi", units.TypeCommune},
			{"SO-TC", "Sở Tài chính", units.TypeDepartment},
		} {
			mkUnit(t, s, u.code, u.name, u.typ, prov, "2021-01-01")
		}
		for _, c := range []struct {
			query string
			want  []string // the first results, in order
		}{
			{"nghi loc", []string{"Trường THPT Nghi Lộc 2", "Xã Nghi Lộc", "Xã Lộc Nghi", "Trường THCS Nghĩa Lộc"}},
			{"NGHI LỘC", []string{"Trường THPT Nghi Lộc 2", "Xã Nghi Lộc", "Xã Lộc Nghi", "Trường THCS Nghĩa Lộc"}},
			{"nghi", []string{"Trường THPT Nghi Lộc 2", "Xã Đàn Nghi", "Xã Lộc Nghi", "Xã Nghi Lộc", "Trường THCS Nghĩa Lộc", "Xã Nghĩa Đàn"}},
			{"17827", []string{"Xã Nghi Lộc"}},
			{"so-tc", []string{"Sở Tài chính"}},
			{"tai chinh", []string{"Sở Tài chính"}},
		} {
			list, _, err := s.SearchUnits(ctx, store.UnitFilter{Query: c.query, Day: day, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			got := unitNames(list)
			if len(got) < len(c.want) || !slices.Equal(got[:len(c.want)], c.want) {
				t.Errorf("search %q = %q, want first %q", c.query, got, c.want)
			}
		}
	})
}

func unitNames(list []*units.Unit) []string {
	out := make([]string, len(list))
	for i, u := range list {
		out[i] = u.Name
	}
	return out
}

func mustCode(t *testing.T, s *store.Store, code string, day dates.Date) int64 {
	t.Helper()
	u, err := s.UnitByCode(context.Background(), code, day)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
