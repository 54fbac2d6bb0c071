package service_test

import (
	"strings"
	"testing"

	"khienso/internal/service"
)

func TestFileName(t *testing.T) {
	long := strings.Repeat("ă", 250)
	cases := []struct{ in, want string }{
		{"don-vi.xlsx", "don-vi.xlsx"},
		{`C:\Users\an\Desktop\hoạt động.xlsx`, "hoạt động.xlsx"},
		{"/tmp/x/../units.csv", "units.csv"},
		{"bad\x00na\x1fme\x7f.csv", "badname.csv"},
		{"a\xffb.csv", "ab.csv"},
		{long, strings.Repeat("ă", 200)},
		{"", "file"},
		{"folder/", "file"},
	}
	for _, c := range cases {
		if got := service.FileName(c.in); got != c.want {
			t.Errorf("FileName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
