package accountsweb

import (
	"errors"
	"net/http"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// API list sizes, as for every list of objects.
const (
	apiListDefault = 50
	apiListMax     = 500
)

// apiErrorBody is the API's error shape, {"error": {"code", "message",
// "fields"}}, for the answers web.Fail cannot give: a 403 that names the
// field at fault, and sign-in failures with their own codes.
// TODO(split): the core should export a constructor for errors with a
// status, code and fields (web.HTTPError's fields are unexported).
type apiErrorBody struct {
	Error struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Fields  []apiFieldError `json:"fields"`
	} `json:"error"`
}

type apiFieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// writeError answers r with an API error in the caller's language.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, key string, fields validation.Errors) {
	l := web.Lang(r)
	var body apiErrorBody
	body.Error.Code, body.Error.Message, body.Error.Fields = code, l.T(key), []apiFieldError{}
	for _, f := range fields {
		body.Error.Fields = append(body.Error.Fields, apiFieldError{Field: f.Field, Reason: l.T(f.Reason, f.Args...)})
	}
	web.WriteJSON(w, status, body)
}

// failAPI answers an API request with err: a refusal names its field (403
// with "unit_id" or "roles"), anything else goes to web.Fail.
func (s *handler) failAPI(w http.ResponseWriter, r *http.Request, err error) {
	if f := refusalFields(err); f != nil {
		writeError(w, r, http.StatusForbidden, "forbidden", "err.forbidden", f)
		return
	}
	s.Fail(w, r, err)
}

// loginFailure maps a sign-in failure to its catalogue key, status and API
// code; ok is false for other errors.
func loginFailure(err error) (key string, status int, code string, ok bool) {
	switch {
	case errors.Is(err, auth.ErrInvalidCredentials):
		return "err.login_invalid", http.StatusUnauthorized, "invalid_credentials", true
	case errors.Is(err, auth.ErrLocked):
		return "err.login_locked", http.StatusTooManyRequests, "rate_limited", true
	case errors.Is(err, auth.ErrRateLimited):
		return "err.login_rate", http.StatusTooManyRequests, "rate_limited", true
	case errors.Is(err, auth.ErrDisabled):
		return "err.login_disabled", http.StatusForbidden, "disabled", true
	}
	return "", 0, "", false
}

// parseISO reads a date written YYYY-MM-DD, the only form the API uses.
// TODO(split): the same helper is in internal/web (apiParseISO); it belongs
// in the core.
func parseISO(v string) (dates.Date, bool) {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return dates.Date{}, false
	}
	d, err := dates.Parse(v)
	return d, err == nil
}

// page cuts one page out of a list held in memory (never nil).
func page[T any](all []T, limit, offset int) []T {
	start := min(offset, len(all))
	out := all[start:min(start+limit, len(all))]
	if out == nil {
		out = []T{}
	}
	return out
}
