package textnorm

import "testing"

func TestDistance(t *testing.T) {
	cases := []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"sum", "sum", 0}, {"summ", "sum", 1}, {"cuont", "count", 2}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"hà tĩnh", "ha tinh", 2}}
	for _, c := range cases {
		if got := Distance(c.a, c.b); got != c.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}
