package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"khienso/internal/i18n"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// HTTPError is a failure with a status, an API code and a catalogue key
// (with its arguments), the fields at fault, and for the API any members to
// send beside "error".
type HTTPError struct {
	status int
	code   string
	key    string
	args   []any
	fields validation.Errors
	extra  []member
}

// member is one top-level member of an API error body besides "error".
type member struct {
	name  string
	value any
}

func (e *HTTPError) Error() string { return e.code }

// NewHTTPError is a failure answered with status: the API's error body
// carries code, the message of catalogue key key in the caller's language
// and the translated fields; a page shows the message and the fields (a
// 500 always shows the generic one). Fail renders it, so no handler
// writes the error shape itself.
func NewHTTPError(status int, code, key string, fields validation.Errors) *HTTPError {
	return &HTTPError{status: status, code: code, key: key, fields: fields}
}

// WithArgs is e with the arguments of its message.
func (e *HTTPError) WithArgs(args ...any) *HTTPError {
	c := *e
	c.args = args
	return &c
}

// With is e with one more member beside "error" in the API's body (such
// as the report of a refused import); members keep the order they are
// added in.
func (e *HTTPError) With(name string, v any) *HTTPError {
	c := *e
	c.extra = append(append([]member(nil), e.extra...), member{name, v})
	return &c
}

var (
	ErrUnauthorized = NewHTTPError(http.StatusUnauthorized, "unauthorized", "err.unauthorized", nil)
	ErrForbidden    = NewHTTPError(http.StatusForbidden, "forbidden", "err.forbidden", nil)
	ErrNotFound     = NewHTTPError(http.StatusNotFound, "not_found", "err.not_found", nil)
	ErrCSRF         = NewHTTPError(http.StatusForbidden, "csrf", "err.csrf", nil)
	ErrTooLarge     = NewHTTPError(http.StatusRequestEntityTooLarge, "too_large", "err.too_large", nil)
	ErrBadJSON      = NewHTTPError(http.StatusBadRequest, "bad_json", "err.bad_json", nil)
	ErrConflict     = NewHTTPError(http.StatusConflict, "conflict", "err.conflict", nil)
	ErrBusy         = NewHTTPError(http.StatusTooManyRequests, "busy", "err.busy", nil)
	ErrImportRuns   = NewHTTPError(http.StatusTooManyRequests, "import_running", "err.import_running", nil)
)

// RetryAfter asks the client of a 429 or 503 answer to wait before trying
// again.
func RetryAfter(w http.ResponseWriter, status int) {
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "30")
	}
}

// BadRequest is a 400 naming the offending fields.
func BadRequest(fields validation.Errors) error {
	return NewHTTPError(http.StatusBadRequest, "bad_request", "err.bad_request", fields)
}

// Forbidden is a 403 naming the fields at fault (the unit out of the
// caller's reach, a role they may not grant).
func Forbidden(fields validation.Errors) error {
	return NewHTTPError(http.StatusForbidden, "forbidden", "err.forbidden", fields)
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
		return NewHTTPError(http.StatusUnprocessableEntity, "invalid_input", "err.invalid_input", ve)
	case errors.Is(err, store.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, service.ErrUnauthenticated):
		return ErrUnauthorized
	case errors.Is(err, service.ErrForbidden):
		return ErrForbidden
	case errors.Is(err, service.ErrConflict):
		return ErrConflict
	case errors.Is(err, service.ErrBusy):
		return ErrBusy
	case errors.Is(err, service.ErrImportRunning):
		return ErrImportRuns
	case errors.As(err, &mbe):
		return ErrTooLarge
	}
	return NewHTTPError(http.StatusInternalServerError, "internal", "err.internal", nil)
}

// apiErrorBody is the JSON error: {"error": {"code", "message",
// "fields"}}, with the error's extra members after it.
type apiErrorBody struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Fields  []FieldError `json:"fields"`
}

// apiError encodes the body of an API failure.
func apiError(l i18n.Lang, he *HTTPError) any {
	body := apiErrorBody{Code: he.code, Message: l.T(he.key, he.args...), Fields: FieldErrors(l, he.fields)}
	if len(he.extra) == 0 {
		return struct {
			Error apiErrorBody `json:"error"`
		}{body}
	}
	return orderedMembers(append([]member{{"error", body}}, he.extra...))
}

// orderedMembers is a JSON object whose members keep their order.
type orderedMembers []member

func (m orderedMembers) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, x := range m {
		if i > 0 {
			buf.WriteByte(',')
		}
		name, err := json.Marshal(x.name)
		if err != nil {
			return nil, err
		}
		value, err := json.Marshal(x.value)
		if err != nil {
			return nil, err
		}
		buf.Write(name)
		buf.WriteByte(':')
		buf.Write(value)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// FieldError is one field at fault, as API answers list them: the field
// and the reason in the caller's language.
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// FieldErrors translates fields for an API answer (never nil, so an empty
// list encodes as []).
func FieldErrors(l i18n.Lang, fields validation.Errors) []FieldError {
	out := make([]FieldError, 0, len(fields))
	for _, f := range fields {
		out = append(out, FieldError{Field: f.Field, Reason: l.T(f.Reason, f.Args...)})
	}
	return out
}

// Fail answers r with err: JSON for the API, an error page otherwise.
// Server errors are logged with their cause; clients see only a message.
func (s *Server) Fail(w http.ResponseWriter, r *http.Request, err error) {
	he := classify(err)
	if he.status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	RetryAfter(w, he.status)
	l := Lang(r)
	if IsAPI(r) || r.Header.Get("Accept") == "application/json" {
		WriteJSON(w, he.status, apiError(l, he))
		return
	}
	if he.status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+SafeNext(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	// Pages word the common refusals their own way; an error made with a
	// message of its own (a refusal that says why) shows that message.
	d := errorPage{Status: he.status, Title: l.T("error.title"), Message: l.T(he.key, he.args...), Back: backLink(r)}
	switch {
	case he.status == http.StatusInternalServerError:
		d.Message = l.T("error.internal")
	case he.key == ErrNotFound.key:
		d.Title, d.Message = l.T("error.not_found.title"), l.T("error.not_found")
	case he.key == ErrForbidden.key:
		d.Title, d.Message = l.T("error.forbidden.title"), l.T("error.forbidden")
	}
	// The fields' reasons are sentences of their own; the field names are
	// the API's keys, which a page never shows.
	for _, f := range FieldErrors(l, he.fields) {
		d.Reasons = append(d.Reasons, f.Reason)
	}
	s.Render(w, r, he.status, "error", d)
}

// errorPage is what the error page shows: what happened (Title,
// Message, Reasons) and where to go (Back, when the reader came from
// another page of this site; home and sign-in are the template's).
type errorPage struct {
	Status         int
	Title, Message string
	Reasons        []string
	Back           string
}

// backLink is the page of this site the reader came from, "" when they
// came from elsewhere or from the failing page itself.
func backLink(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || ref.RequestURI() == r.URL.RequestURI() {
		return ""
	}
	if back := SafeNext(ref.RequestURI()); back != "/" {
		return back
	}
	return ""
}

func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}
