package i18n

import (
	"math"
	"testing"
)

func TestNumbers(t *testing.T) {
	cases := []struct {
		name   string
		f      func(Lang) string
		vi, en string
	}{
		{"int 0", func(l Lang) string { return l.Int(0) }, "0", "0"},
		{"int 999", func(l Lang) string { return l.Int(999) }, "999", "999"},
		{"int 1234", func(l Lang) string { return l.Int(1234) }, "1.234", "1,234"},
		{"int 1234567", func(l Lang) string { return l.Int(1234567) }, "1.234.567", "1,234,567"},
		{"int -1234", func(l Lang) string { return l.Int(-1234) }, "-1.234", "-1,234"},
		{"decimal 0", func(l Lang) string { return l.Decimal(0) }, "0", "0"},
		{"decimal 1234.5", func(l Lang) string { return l.Decimal(1234.5) }, "1.234,5", "1,234.5"},
		{"decimal 0.25", func(l Lang) string { return l.Decimal(0.25) }, "0,25", "0.25"},
		{"decimal 0.05", func(l Lang) string { return l.Decimal(0.05) }, "0,05", "0.05"},
		{"decimal 6.289", func(l Lang) string { return l.Decimal(6.289) }, "6,29", "6.29"},
		{"decimal 999.999 rounds up", func(l Lang) string { return l.Decimal(999.999) }, "1.000", "1,000"},
		{"decimal -12", func(l Lang) string { return l.Decimal(-12) }, "-12", "-12"},
		{"decimal -0.001 is zero", func(l Lang) string { return l.Decimal(-0.001) }, "0", "0"},
		{"decimal -1234.56", func(l Lang) string { return l.Decimal(-1234.56) }, "-1.234,56", "-1,234.56"},
		{"decimal NaN", func(l Lang) string { return l.Decimal(math.NaN()) }, "", ""},
		{"decimal Inf", func(l Lang) string { return l.Decimal(math.Inf(1)) }, "", ""},
		{"percent 6.29", func(l Lang) string { return l.Percent(6.29) }, "6,29\u00a0%", "6.29%"},
		{"percent 100", func(l Lang) string { return l.Percent(100) }, "100\u00a0%", "100%"},
		{"percent 1234.5", func(l Lang) string { return l.Percent(1234.5) }, "1.234,5\u00a0%", "1,234.5%"},
		{"percent NaN", func(l Lang) string { return l.Percent(math.NaN()) }, "", ""},
	}
	for _, c := range cases {
		if got := c.f(VI); got != c.vi {
			t.Errorf("%s in vi = %q, want %q", c.name, got, c.vi)
		}
		if got := c.f(EN); got != c.en {
			t.Errorf("%s in en = %q, want %q", c.name, got, c.en)
		}
	}
}
