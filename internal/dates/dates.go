// Package dates handles calendar dates (no time of day) as users in Vietnam
// write them (dd/mm/yyyy) and as storage keeps them (ISO yyyy-mm-dd).
package dates

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar day. The zero value means "no date".
type Date struct{ t time.Time }

// ErrInvalid is returned for text that is not a valid date.
var ErrInvalid = errors.New("invalid date")

// Of returns the calendar day of t (in t's location).
func Of(t time.Time) Date { return New(t.Year(), t.Month(), t.Day()) }

// New builds a date.
func New(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// Vietnam is the time zone of the product's users (UTC+7, no daylight saving).
var Vietnam = time.FixedZone("ICT", 7*3600)

// Today is the current day in Vietnam.
func Today() Date { return Of(time.Now().In(Vietnam)) }

// Start is the first instant of d in Vietnam.
func (d Date) Start() time.Time {
	return time.Date(d.t.Year(), d.t.Month(), d.t.Day(), 0, 0, 0, 0, Vietnam)
}

// IsZero reports whether d is "no date".
func (d Date) IsZero() bool { return d.t.IsZero() }

// ISO renders yyyy-mm-dd (storage and API form); empty for the zero date.
func (d Date) ISO() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("2006-01-02")
}

// VN renders dd/mm/yyyy (the form shown to users); empty for the zero date.
func (d Date) VN() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("02/01/2006")
}

func (d Date) String() string { return d.ISO() }

// Year returns the year.
func (d Date) Year() int { return d.t.Year() }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// Parse reads a date written as dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy,
// dd.mm.yyyy) or as ISO yyyy-mm-dd. Empty text gives the zero date.
func Parse(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	var y, m, d int
	var err error
	switch {
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		y, m, d, err = three(s[0:4], s[5:7], s[8:10])
	default:
		parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
		if len(parts) != 3 || len(parts[2]) != 4 {
			return Date{}, fmt.Errorf("%w: %q", ErrInvalid, s)
		}
		d, m, y, err = three(parts[0], parts[1], parts[2])
	}
	if err != nil || y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, fmt.Errorf("%w: %q", ErrInvalid, s)
	}
	out := New(y, time.Month(m), d)
	if out.t.Day() != d { // 31/02 rolls into March
		return Date{}, fmt.Errorf("%w: %q", ErrInvalid, s)
	}
	return out, nil
}

// MustParse is Parse for literals in code and tests.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func three(a, b, c string) (int, int, int, error) {
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	z, err3 := strconv.Atoi(c)
	return x, y, z, errors.Join(err1, err2, err3)
}

// MarshalText gives ISO form, so JSON carries yyyy-mm-dd.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.ISO()), nil }

// UnmarshalText accepts what Parse accepts.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
