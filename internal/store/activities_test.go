package store_test

import (
	"context"
	"slices"
	"testing"

	"khienso/internal/activities"
	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// TestActivitySearchLiteral checks that the words of an activity search
// match literally: "%" and "_" find only titles that contain them, not
// every activity.
func TestActivitySearchLiteral(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		unit := mkUnit(t, s, "X1", "Xã Nghi Phong", units.TypeCommune, 0, "2021-01-01")
		titles := []string{"Giảm 50% vụ lừa đảo", "Chiến dịch ATTT_2026", "Tập huấn thường niên", `Đường dẫn C:\tai-lieu`}
		for _, title := range titles {
			a := &activities.Activity{UnitID: unit, Type: "training_class", Channel: "in_person", Title: title,
				Start: dates.MustParse("2026-03-01"), Audiences: activities.SetOf("citizens"), Quantity: 1}
			if err := s.CreateActivity(ctx, actor, a); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			q    string
			want []string
		}{
			{"%", titles[:1]},
			{"50%", titles[:1]},
			{"_", titles[1:2]},
			{"attt_2026", titles[1:2]},
			{`\`, titles[3:4]},
			{"tap huan", titles[2:3]},
			{"", titles},
		} {
			list, total, err := s.Activities(ctx, store.ActivityFilter{Query: c.q})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range list {
				got = append(got, a.Title)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(c.want))
			if !slices.Equal(got, want) || total != len(want) {
				t.Errorf("q=%q: %v (total %d), want %v", c.q, got, total, want)
			}
			sums, err := s.ActivitySumsOf(ctx, store.ActivityFilter{Query: c.q})
			if err != nil || sums.Records != int64(len(want)) {
				t.Errorf("q=%q sums: %+v %v, want %d records", c.q, sums, err, len(want))
			}
		}
	})
}
