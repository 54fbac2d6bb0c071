package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"khienso/internal/validation"
)

// maxJSONBody bounds API request bodies.
const maxJSONBody = 1 << 20

// DecodeJSON reads exactly one JSON object into v, rejecting unknown fields
// and trailing data, with errors that name the field.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBody)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &mbe):
			return ErrTooLarge
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return BadRequest(validation.Errors{{Field: name, Reason: "err.unknown_field"}})
		case errors.As(err, &ute):
			return BadRequest(validation.Errors{{Field: ute.Field, Reason: "err.bad_json"}})
		case errors.Is(err, io.EOF):
			return BadRequest(validation.Errors{{Field: "body", Reason: "err.required"}})
		}
		var fe validation.Errors
		if errors.As(err, &fe) {
			return BadRequest(fe)
		}
		return ErrBadJSON
	}
	if dec.More() {
		return ErrBadJSON
	}
	return nil
}

// ListResponse is the envelope of every paginated list.
type ListResponse[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// ListParams reads ?limit= (1..max, default def) and ?offset=.
func ListParams(r *http.Request, def, maxLimit int) (limit, offset int, err error) {
	q := r.URL.Query()
	limit, offset = def, 0
	var errs validation.Errors
	if v := q.Get("limit"); v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 1 || n > maxLimit {
			errs.Add("limit", "err.range", 1, maxLimit)
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 0 {
			errs.Add("offset", "err.range", 0, "∞")
		}
		offset = n
	}
	if len(errs) > 0 {
		return 0, 0, BadRequest(errs)
	}
	return limit, offset, nil
}

// PathID reads a numeric path parameter.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, ErrNotFound
	}
	return id, nil
}
