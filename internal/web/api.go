package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"khienso/internal/dates"
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

// ListDefault and ListMax are the sizes of an API list of objects: the
// page a client gets without ?limit=, and the most it may ask for.
const (
	ListDefault = 50
	ListMax     = 500
)

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

// PageOf cuts the page limit, offset out of a list held in memory; it is
// never nil, so an empty page encodes as [].
func PageOf[T any](all []T, limit, offset int) []T {
	start := min(max(offset, 0), len(all))
	out := all[start:min(start+max(limit, 0), len(all))]
	if out == nil {
		out = []T{}
	}
	return out
}

// ListOf is the envelope of one page of a list held in memory.
func ListOf[T any](all []T, limit, offset int) ListResponse[T] {
	return ListResponse[T]{Items: PageOf(all, limit, offset), Total: len(all), Limit: limit, Offset: offset}
}

// ParseISODate reads a date written YYYY-MM-DD, the only form the API
// uses (pages also take dd/mm/yyyy, through dates.Parse).
func ParseISODate(v string) (dates.Date, bool) {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return dates.Date{}, false
	}
	d, err := dates.Parse(v)
	return d, err == nil
}

// ISODate reads the value v of field (a body member or a query
// parameter) as YYYY-MM-DD: empty gives the zero date (the service decides
// whether it is required); anything else that is not such a date adds
// "api.err_iso_date" to errs and gives the zero date.
func ISODate(field, v string, errs *validation.Errors) dates.Date {
	if v == "" {
		return dates.Date{}
	}
	d, ok := ParseISODate(v)
	if !ok {
		errs.Add(field, "api.err_iso_date")
		return dates.Date{}
	}
	return d
}

// QueryDate is ISODate of ?name=.
func QueryDate(q url.Values, name string, errs *validation.Errors) dates.Date {
	return ISODate(name, q.Get(name), errs)
}

// ParseID reads the value v of field as a positive id: empty gives 0;
// anything else that is not a positive integer adds "api.err_id" to errs
// and gives 0.
func ParseID(field, v string, errs *validation.Errors) int64 {
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		errs.Add(field, "api.err_id")
		return 0
	}
	return id
}

// QueryID is ParseID of ?name=.
func QueryID(q url.Values, name string, errs *validation.Errors) int64 {
	return ParseID(name, q.Get(name), errs)
}

// PathID reads a numeric path parameter.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, ErrNotFound
	}
	return id, nil
}

// ParsePathID reads the numeric path parameter name, answering the request
// itself (404, and false) when it is not one.
func (s *Server) ParsePathID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	id, err := PathID(r, name)
	if err != nil {
		s.Fail(w, r, err)
		return 0, false
	}
	return id, true
}
