package i18n

import (
	"math"
	"strconv"
	"strings"
)

// Numbers follow the reader's language: Vietnamese groups thousands with a
// dot and writes a decimal comma ("1.234,5"; a percentage "6,29 %", with a
// space, as Vietnamese typography has it); English the other way round
// ("1,234.5", "6.29%"). Every number shown to a person goes through these,
// so a page, a message and a document cannot disagree. Dates are not here:
// they are dd/mm/yyyy in both languages (package dates).

// separators are the thousands and decimal marks of l.
func (l Lang) separators() (thousands, decimal byte) {
	if l == EN {
		return ',', '.'
	}
	return '.', ','
}

// Int writes n with thousands grouped: 1.234.567 (vi), 1,234,567 (en).
func (l Lang) Int(n int) string {
	return l.group(strconv.FormatInt(int64(n), 10))
}

// Decimal writes x with at most two decimals, trailing zeros dropped:
// 1.234,5 (vi), 1,234.5 (en); "" for a value that is not a number.
func (l Lang) Decimal(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	// Rounding to hundredths first keeps 999.999 from becoming "999,100".
	cents := math.Round(math.Abs(x) * 100)
	whole, frac := math.Floor(cents/100), int(math.Mod(cents, 100))
	s := l.group(strconv.FormatFloat(whole, 'f', 0, 64))
	if x < 0 && cents > 0 {
		s = "-" + s
	}
	if frac == 0 {
		return s
	}
	_, dec := l.separators()
	digits := strconv.Itoa(frac + 100)[1:] // two digits, "05"
	return s + string(dec) + strings.TrimSuffix(digits, "0")
}

// Percent writes x, a percentage already (6.29 for 6.29 %), as
// Decimal does, with the sign the language's way: "6,29 %" (vi), "6.29%"
// (en).
func (l Lang) Percent(x float64) string {
	s := l.Decimal(x)
	if s == "" {
		return ""
	}
	if l == EN {
		return s + "%"
	}
	// A no-break space keeps the sign on the number's line.
	return s + "\u00a0%"
}

// group inserts the thousands separator into a string of digits with an
// optional leading minus.
func (l Lang) group(digits string) string {
	sep, _ := l.separators()
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}
