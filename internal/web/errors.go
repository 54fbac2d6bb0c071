package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"khienso/internal/i18n"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// HTTPError is a failure with a status, an API code and a catalogue key.
type HTTPError struct {
	status int
	code   string
	key    string
	fields validation.Errors
}

func (e *HTTPError) Error() string { return e.code }

var (
	ErrUnauthorized = &HTTPError{http.StatusUnauthorized, "unauthorized", "err.unauthorized", nil}
	ErrForbidden    = &HTTPError{http.StatusForbidden, "forbidden", "err.forbidden", nil}
	ErrNotFound     = &HTTPError{http.StatusNotFound, "not_found", "err.not_found", nil}
	ErrCSRF         = &HTTPError{http.StatusForbidden, "csrf", "err.csrf", nil}
	ErrTooLarge     = &HTTPError{http.StatusRequestEntityTooLarge, "too_large", "err.too_large", nil}
	ErrBadJSON      = &HTTPError{http.StatusBadRequest, "bad_json", "err.bad_json", nil}
	ErrConflict     = &HTTPError{http.StatusConflict, "conflict", "err.conflict", nil}
)

// BadRequest is a 400 naming the offending fields.
func BadRequest(fields validation.Errors) error {
	return &HTTPError{http.StatusBadRequest, "bad_request", "err.bad_request", fields}
}

// classify maps any error to the response it deserves.
func classify(err error) *HTTPError {
	var he *HTTPError
	var ve validation.Errors
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		return he
	case errors.As(err, &ve):
		return &HTTPError{http.StatusUnprocessableEntity, "invalid_input", "err.invalid_input", ve}
	case errors.Is(err, store.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, service.ErrUnauthenticated):
		return ErrUnauthorized
	case errors.Is(err, service.ErrForbidden):
		return ErrForbidden
	case errors.Is(err, service.ErrConflict):
		return ErrConflict
	case errors.As(err, &mbe):
		return ErrTooLarge
	}
	return &HTTPError{http.StatusInternalServerError, "internal", "err.internal", nil}
}

// apiError is the JSON error body: {"error": {"code", "message", "fields"}}.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Fields  []apiFieldError `json:"fields"`
}

type apiFieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

func fieldErrors(l i18n.Lang, fields validation.Errors) []apiFieldError {
	out := make([]apiFieldError, 0, len(fields))
	for _, f := range fields {
		out = append(out, apiFieldError{Field: f.Field, Reason: l.T(f.Reason, f.Args...)})
	}
	return out
}

// fail answers r with err: JSON for the API, an error page otherwise.
// Server errors are logged with their cause; clients see only a message.
func (s *Server) Fail(w http.ResponseWriter, r *http.Request, err error) {
	he := classify(err)
	if he.status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	l := Lang(r)
	if IsAPI(r) || r.Header.Get("Accept") == "application/json" {
		WriteJSON(w, he.status, apiError{apiErrorBody{Code: he.code, Message: l.T(he.key), Fields: fieldErrors(l, he.fields)}})
		return
	}
	if he.status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+SafeNext(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	key := "error.internal"
	switch he.status {
	case http.StatusNotFound:
		key = "error.not_found"
	case http.StatusForbidden:
		key = "error.forbidden"
		if he == ErrCSRF {
			key = "err.csrf"
		}
	case http.StatusInternalServerError:
	default:
		key = he.key
	}
	s.Render(w, r, he.status, "error", map[string]any{"Message": l.T(key), "Fields": fieldErrors(l, he.fields)})
}

func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}
