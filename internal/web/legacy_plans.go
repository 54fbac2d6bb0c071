package web

// TODO(split): moves with tasks and plan import. The plan helpers that
// tasks.go and plan_import.go still use; the plans pages themselves are in
// internal/web/plansweb, and the read rule here is plansvc's.

import (
	"context"
	"net/http"
	"strconv"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/plans"
	"khienso/internal/service"
	"khienso/internal/service/plansvc"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// planMaxForm bounds the body of task forms.
const planMaxForm = 256 << 10

// planOption is one choice of a select.
type planOption = Option

// planProblem is one line of an error summary.
type planProblem struct {
	Field   string
	Message string
}

// planErrors turns validation errors into messages by field and a summary
// whose lines are prefixed by the field's label (prefix + field).
func planErrors(l i18n.Lang, errs validation.Errors, prefix string) (map[string]string, []planProblem) {
	byField := map[string]string{}
	var list []planProblem
	for _, e := range errs {
		msg := l.T(e.Reason, e.Args...)
		if _, dup := byField[e.Field]; !dup {
			byField[e.Field] = msg
		}
		label := e.Field
		if key := prefix + e.Field; i18n.Has(key) {
			label = l.T(key)
		}
		list = append(list, planProblem{Field: label, Message: msg})
	}
	return byField, list
}

// planService is the plans service's read rule over this server's store.
func (s *Server) planService() *plansvc.Service {
	return plansvc.New(s.store, service.NewAccess(s.store, nil), s.progress)
}

// planVisible tells whether the caller may read p (plansvc.CanRead).
func (s *Server) planVisible(r *http.Request, p *plans.Plan) (bool, error) {
	return s.planService().CanRead(r.Context(), s.Caller(r), p)
}

// planLoad loads the plan named by the path value name for the caller
// (plansvc.Plan: hidden drafts answer 404).
func (s *Server) planLoad(w http.ResponseWriter, r *http.Request, name string) (*plans.Plan, bool) {
	id, err := PathID(r, name)
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	p, err := s.planService().Plan(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	return p, true
}

// planStaff fails the request unless a staff member is signed in.
func (s *Server) planStaff(w http.ResponseWriter, r *http.Request) (*auth.Principal, bool) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return nil, false
	}
	if !p.Staff() {
		s.Fail(w, r, ErrForbidden)
		return nil, false
	}
	return p, true
}

// planUnitNames maps unit ids to names as of day.
func (s *Server) planUnitNames(ctx context.Context, day dates.Date) (map[int64]string, []store.DirectoryUnit, error) {
	dir, err := s.store.UnitDirectory(ctx, day)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[int64]string, len(dir))
	for _, u := range dir {
		names[u.ID] = u.Name
	}
	return names, dir, nil
}

// planDay is the day a plan's units are looked up on: its issue date, or
// today for a draft without one.
func planDay(p *plans.Plan) dates.Date {
	if p.IssuedOn.IsZero() {
		return dates.Today()
	}
	return p.IssuedOn
}

type planTaskRow struct {
	Task      *plans.Task
	Lead      []string
	Coord     []string
	Timeframe string
	Overdue   bool
}

// planTimeframe describes a task's timeframe in words.
func planTimeframe(l i18n.Lang, t *plans.Task) string {
	switch t.Kind {
	case plans.TimeRange:
		if t.YearFrom == t.YearTo {
			return l.T("task.tf.year", t.YearFrom)
		}
		return l.T("task.tf.range", t.YearFrom, t.YearTo)
	case plans.TimeDue:
		return l.T("task.tf.due", t.Due.VN())
	case plans.TimeContinuous, plans.TimeYearly:
		return l.T("task.timeframe." + string(t.Kind))
	}
	return ""
}

func planNames(names map[int64]string, ids []int64) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if n, ok := names[id]; ok {
			out = append(out, n)
		} else {
			out = append(out, "#"+strconv.FormatInt(id, 10))
		}
	}
	return out
}
