package store_test

import (
	"testing"
	"time"

	"khienso/internal/store"
)

// ParseTime's fast path agrees with time.Parse, including on what it rejects.
func TestParseTimeMatchesTimeParse(t *testing.T) {
	cases := []string{
		"2026-12-02T02:41:11.787Z", "2024-02-29T23:59:59.999Z", "2021-01-01T00:00:00.000Z",
		"2025-02-29T10:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-04-31T00:00:00.000Z",
		"2026-01-01T24:00:00.000Z", "2026-01-01T00:60:00.000Z", "2026-01-01T00:00:60.000Z",
		"2026-01-01 00:00:00.000Z", "2026-01-01T00:00:00.00Z", "2026-01-01T00:00:00.000+07:00",
		"2026-0a-01T00:00:00.000Z", "20261201T000000.000Z", "2026-01-01", "",
	}
	now := time.Now()
	for i := range 2000 {
		cases = append(cases, store.FormatTime(now.Add(time.Duration(i)*7919*time.Minute+time.Duration(i)*time.Millisecond)))
	}
	for _, v := range cases {
		want, err := store.ParseTimeSlowForTest(v)
		if err != nil {
			want = time.Time{}
		}
		if got := store.ParseTime(v); got != want {
			t.Errorf("ParseTime(%q) = %v, time.Parse gives %v", v, got, want)
		}
	}
}
