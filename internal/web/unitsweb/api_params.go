package unitsweb

import (
	"net/http"
	"net/url"
	"strconv"

	"khienso/internal/dates"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// API list sizes: lists of objects default to 50 items and allow 500; the
// subtree, a list of bare ids, allows more.
const (
	listDefault    = 50
	listMax        = 500
	subtreeDefault = 1000
	subtreeMax     = 10000
	treeMaxDepth   = 3
	treeMaxNodes   = 2000
)

// parseISO reads a date written YYYY-MM-DD, the only form the API uses.
func parseISO(v string) (dates.Date, bool) {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return dates.Date{}, false
	}
	d, err := dates.Parse(v)
	return d, err == nil
}

// bodyDate reads a date field of a request body: empty gives the zero
// date (the service decides whether it is required).
func bodyDate(field, v string, errs *validation.Errors) dates.Date {
	if v == "" {
		return dates.Date{}
	}
	d, ok := parseISO(v)
	if !ok {
		errs.Add(field, "api.err_iso_date")
	}
	return d
}

// queryDate reads ?name=YYYY-MM-DD; absent means today.
func (s *handler) queryDate(q url.Values, name string, errs *validation.Errors) dates.Date {
	v := q.Get(name)
	if v == "" {
		return s.svc.Today()
	}
	d, ok := parseISO(v)
	if !ok {
		errs.Add(name, "api.err_iso_date")
		return s.svc.Today()
	}
	return d
}

// queryID reads a positive id from ?name=; absent gives 0.
func queryID(q url.Values, name string, errs *validation.Errors) int64 {
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

// queryBool reads ?name=true|false; absent gives false.
func queryBool(q url.Values, name string, errs *validation.Errors) bool {
	v := q.Get(name)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		errs.Add(name, "api.err_bool")
	}
	return b
}

// page cuts one page out of a list held in memory.
func page[T any](all []T, limit, offset int) []T {
	start := min(offset, len(all))
	out := all[start:min(start+limit, len(all))]
	if out == nil {
		out = []T{}
	}
	return out
}

// apiErrorBody is the API's error shape, for the one refusal the core has
// no error value for (see apiUnitDelete).
type apiErrorBody struct {
	Error struct {
		Code    string     `json:"code"`
		Message string     `json:"message"`
		Fields  []struct{} `json:"fields"`
	} `json:"error"`
}

// writeAPIError answers with status and the error shape.
func writeAPIError(w http.ResponseWriter, r *http.Request, status int, code, key string) {
	var body apiErrorBody
	body.Error.Code, body.Error.Message, body.Error.Fields = code, web.Lang(r).T(key), []struct{}{}
	web.WriteJSON(w, status, body)
}
