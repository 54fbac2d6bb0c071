// Package validation carries precise input errors (which field, which reason)
// from the domain to the edges, where they are translated for the user.
package validation

import (
	"net/url"
	"strings"
)

// FieldError says why one field was rejected. Reason is a translation
// catalogue key (for example "err.required"); Args fill its placeholders.
type FieldError struct {
	Field  string
	Reason string
	Args   []any
}

// Errors is a list of field errors; it is an error when not empty.
type Errors []FieldError

// Add appends a field error.
func (e *Errors) Add(field, reason string, args ...any) {
	*e = append(*e, FieldError{Field: field, Reason: reason, Args: args})
}

// Err returns e as an error, or nil when there is nothing wrong.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

func (e Errors) Error() string {
	parts := make([]string, len(e))
	for i, f := range e {
		parts[i] = f.Field + ": " + f.Reason
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Has reports whether field has an error.
func (e Errors) Has(field string) bool {
	for _, f := range e {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Single builds an error for one field.
func Single(field, reason string, args ...any) error {
	return Errors{{Field: field, Reason: reason, Args: args}}
}

// ValidLink accepts absolute http(s) addresses only, so a stored evidence
// link can never run script when clicked.
func ValidLink(s string) bool {
	if len(s) > 2000 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
