package dates

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in, iso string
		ok      bool
	}{
		{"05/12/2022", "2022-12-05", true},
		{"5/1/2026", "2026-01-05", true},
		{"01-07-2025", "2025-07-01", true},
		{"01.07.2025", "2025-07-01", true},
		{"2025-07-01", "2025-07-01", true},
		{" ", "", true},
		{"31/02/2024", "", false},
		{"29/02/2024", "2024-02-29", true},
		{"12/2024", "", false},
		{"01/13/2024", "", false},
		{"2024/07/01", "", false},
		{"hôm qua", "", false},
	}
	for _, c := range cases {
		d, err := Parse(c.in)
		if (err == nil) != c.ok || d.ISO() != c.iso {
			t.Errorf("Parse(%q) = %q, %v; want %q, ok=%v", c.in, d.ISO(), err, c.iso, c.ok)
		}
	}
	if got := MustParse("2022-12-05").VN(); got != "05/12/2022" {
		t.Errorf("VN = %q", got)
	}
}

func TestStartIsMidnightInVietnam(t *testing.T) {
	got := MustParse("2026-01-01").Start()
	if want := time.Date(2025, 12, 31, 17, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Start = %v, want %v", got.UTC(), want)
	}
}
