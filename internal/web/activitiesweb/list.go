package activitiesweb

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"khienso/internal/activities"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/service/activitysvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// activityFilterInput is the list filters as written, shared by the page
// and the API.
type activityFilterInput struct {
	Unit, Year, From, To, Type, Task, Query string
}

func activityFilterInputOf(q url.Values) activityFilterInput {
	return activityFilterInput{Unit: q.Get("unit"), Year: q.Get("year"), From: q.Get("from"), To: q.Get("to"),
		Type: q.Get("type"), Task: q.Get("task"), Query: q.Get("q")}
}

// filter reads the input into the service's filter, reporting what it
// cannot read; iso takes dates as YYYY-MM-DD only (the API), pages take
// dd/mm/yyyy too.
func (in activityFilterInput) filter(iso bool) (activitysvc.Filter, validation.Errors) {
	var f activitysvc.Filter
	var errs validation.Errors
	f.Unit = web.ParseID("unit", strings.TrimSpace(in.Unit), &errs)
	if v := strings.TrimSpace(in.Year); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil {
			errs.Add("year", "err.range", activitysvc.MinYear, activitysvc.MaxYear)
		}
		f.Year = y
	}
	readDate := func(name, v string) dates.Date {
		v = strings.TrimSpace(v)
		if v == "" {
			return dates.Date{}
		}
		if iso {
			return web.ISODate(name, v, &errs)
		}
		d, err := dates.Parse(v)
		if err != nil {
			errs.Add(name, "err.date")
		}
		return d
	}
	f.From, f.To = readDate("from", in.From), readDate("to", in.To)
	f.Type = activities.Type(strings.TrimSpace(in.Type))
	f.Task = web.ParseID("task", strings.TrimSpace(in.Task), &errs)
	f.Query = strings.TrimSpace(in.Query)
	return f, errs
}

type activityListData struct {
	Filter    activityFilterInput
	Units     []web.Option // nil when a code is asked for instead
	Types     []web.Option
	Items     []*activityRow
	Sums      activityFigures
	Pager     web.Pager
	CanWrite  bool
	Notice    string
	Errors    []string
	YearHint  int
	TaskTitle string
}

type activityRow struct {
	A         *activities.Activity
	F         activityFigures
	TypeLabel string
}

func (s *handler) activityListPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := s.Caller(r)
	l := web.Lang(r)
	in := activityFilterInputOf(r.URL.Query())
	page, limit, offset := web.PageParams(r, activityPageSize)
	f, errs := in.filter(false)
	f.Limit, f.Offset, f.Sums = limit, offset, true
	var list *activitysvc.Page
	var err error
	if len(errs) == 0 {
		list, err = s.svc.List(ctx, actor, f)
		if ve := (validation.Errors{}); errors.As(err, &ve) {
			errs = ve
		}
	}
	status := http.StatusOK
	if len(errs) > 0 {
		// A filter that cannot be read is reported and the list shows the
		// whole scope, still matching the words typed.
		status = http.StatusBadRequest
		list, err = s.svc.List(ctx, actor, activitysvc.Filter{Query: f.Query, Limit: limit, Offset: offset, Sums: true})
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := &activityListData{Filter: in, YearHint: s.svc.Today().Year()}
	for _, e := range errs {
		d.Errors = append(d.Errors, l.T("activity.filter."+e.Field)+": "+l.T(e.Reason, e.Args...))
	}
	d.CanWrite = s.svc.RequireWriter(actor) == nil
	sums := list.Sums
	d.Sums = activityFigures{int(sums.Quantity), int(sums.Participants), int(sums.Views), int(sums.Copies), int(sums.Communes)}
	for _, a := range list.Items {
		d.Items = append(d.Items, &activityRow{A: a, F: activityFiguresOf(a), TypeLabel: l.T("activity.type." + string(a.Type))})
	}
	d.Pager = web.NewPager(page, activityPageSize, list.Total)
	root, err := s.svc.PickerRoot(ctx, actor, auth.ActivityRead)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if d.Units, err = s.activityUnitOptions(ctx, root, f.Unit, l.T("activity.filter.all_units")); err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Types = web.Choices(l, activities.TypeNames(), "activity.type.", in.Type, "activity.filter.all_types")
	if list.Task != nil {
		d.TaskTitle = activityTaskLabel(list.Task)
	}
	if r.URL.Query().Get("done") == "deleted" {
		d.Notice = l.T("activity.done.deleted")
	}
	s.Render(w, r, status, "activities_list", d)
}
