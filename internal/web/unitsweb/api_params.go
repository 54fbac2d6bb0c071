package unitsweb

import (
	"net/url"
	"strconv"

	"khienso/internal/dates"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// API list sizes: lists of objects take the core's (web.ListDefault and
// web.ListMax); the subtree, a list of bare ids, allows more.
const (
	subtreeDefault = 1000
	subtreeMax     = 10000
	treeMaxDepth   = 3
	treeMaxNodes   = 2000
)

// queryDate reads ?name=YYYY-MM-DD; absent (or not such a date, which is
// reported in errs) means today.
func (s *handler) queryDate(q url.Values, name string, errs *validation.Errors) dates.Date {
	if d := web.QueryDate(q, name, errs); !d.IsZero() {
		return d
	}
	return s.svc.Today()
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
