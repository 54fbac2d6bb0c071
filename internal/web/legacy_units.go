package web

// The helpers below were part of the unit pages and API, which moved to
// internal/web/unitsweb; other capabilities still in this package use them.
// Each leaves with the capability named (or for the core).

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// TODO(split): moves with core (used by activities and accounts)
// API list sizes: lists of objects default to 50 items and allow 500.
const (
	apiListDefault = 50
	apiListMax     = 500
)

// TODO(split): moves with activities (web.Option replaces it)
// unitFormOption is one choice of a select.
type unitFormOption struct {
	Value, Label string
	Selected     bool
}

// TODO(split): moves with activities (web.Problem replaces it)
// unitFormProblem is one line of the error summary.
type unitFormProblem struct {
	Target, Label, Message string
}

// TODO(split): moves with activities
// importIssueView is one report line with its reason in both languages.
type importIssueView struct {
	Row                 int
	Cell, Column, Value string
	ReasonVI, ReasonEN  string
}

// TODO(split): moves with core (used by accounts, activities, plans)
// apiCaller returns the signed-in caller, or answers 401 and returns nil.
func (s *Server) apiCaller(w http.ResponseWriter, r *http.Request) *auth.Principal {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
	}
	return p
}

// TODO(split): moves with core (used by activities, accounts)
// apiParseISO reads a date written YYYY-MM-DD, the only form the API uses.
func apiParseISO(v string) (dates.Date, bool) {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return dates.Date{}, false
	}
	d, err := dates.Parse(v)
	return d, err == nil
}

// TODO(split): moves with activities
// apiBodyDate reads a date field of a request body: empty gives the zero
// date (callers decide whether it is required or defaults to today).
func apiBodyDate(field, v string, errs *validation.Errors) dates.Date {
	if v == "" {
		return dates.Date{}
	}
	d, ok := apiParseISO(v)
	if !ok {
		errs.Add(field, "api.err_iso_date")
	}
	return d
}

// TODO(split): moves with plans
// apiQueryID reads a positive id from ?name=; absent gives 0.
func apiQueryID(q url.Values, name string, errs *validation.Errors) int64 {
	v := q.Get(name)
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		errs.Add(name, "api.err_id")
		return 0
	}
	return id
}

// TODO(split): moves with accounts
// apiPage cuts one page out of a list held in memory.
func apiPage[T any](all []T, limit, offset int) []T {
	start := min(offset, len(all))
	out := all[start:min(start+limit, len(all))]
	if out == nil {
		out = []T{}
	}
	return out
}

// TODO(split): moves with accounts
// apiForbiddenFields is a 403 naming why (for example a role that may not be
// granted).
func apiForbiddenFields(fields validation.Errors) error {
	return &HTTPError{http.StatusForbidden, "forbidden", "err.forbidden", fields}
}

// TODO(split): moves with activities
// unitAddDomain adds the domain's errors, renamed to form fields, except for
// fields that already have an error; an error that is not about input is
// returned as is.
func unitAddDomain(errs validation.Errors, err error, rename func(string) string) (validation.Errors, error) {
	var ve validation.Errors
	if !errors.As(err, &ve) {
		return errs, err
	}
	had := slices.Clone(errs)
	for _, e := range ve {
		f := rename(e.Field)
		if had.Has(f) {
			continue
		}
		errs.Add(f, e.Reason, e.Args...)
	}
	return errs, nil
}

// TODO(split): moves with reports
// unitFormValues reads the named fields of a posted form.
func unitFormValues(r *http.Request, names ...string) map[string]string {
	vals := map[string]string{}
	for _, n := range names {
		vals[n] = r.PostFormValue(n)
	}
	return vals
}

// TODO(split): moves with accounts
// unitPublic is a copy of u holding only its public fields, so a page that
// must not show the rest cannot show it by mistake.
func unitPublic(u *units.Unit) *units.Unit {
	p := u.Public()
	return &p
}

// TODO(split): moves with activities, tasks
// importFileName keeps the base name of an uploaded file, short and
// printable.
func importFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	if name == "" {
		name = "file"
	}
	return name
}
