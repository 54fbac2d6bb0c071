package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"khienso/internal/activities"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/plans"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

const (
	// activityPageSize is how many activities a page of /activities lists.
	activityPageSize = 50
	// activityMaxForm bounds the body of an activity form.
	activityMaxForm = 64 << 10
	// activityMaxChoices is the most units offered in a select; beyond it
	// forms ask for a unit code instead (a province has thousands of units).
	activityMaxChoices = 500
)

// routesActivities registers the activity pages and the activity import.
func (s *Server) routesActivities() {
	s.Handle("GET /activities", s.activityListPage)
	s.Handle("GET /activities/new", s.activityNewPage)
	s.Handle("POST /activities/new", s.activityNewSubmit)
	s.Handle("GET /activities/import", s.activityImportPage)
	s.Handle("POST /activities/import", s.activityImportSubmit)
	s.Handle("GET /activities/import/template.xlsx", s.activityImportTemplate)
	s.Handle("GET /activities/{id}", s.activityDetailPage)
	s.Handle("GET /activities/{id}/edit", s.activityEditPage)
	s.Handle("POST /activities/{id}/edit", s.activityEditSubmit)
	s.Handle("GET /activities/{id}/delete", s.activityDeletePage)
	s.Handle("POST /activities/{id}/delete", s.activityDeleteSubmit)
}

// activityScope is the units whose activities the caller may do a on: nil
// for the whole province; ok is false when nowhere.
func (s *Server) activityScope(ctx context.Context, p *auth.Principal, a auth.Action) (ids []int64, ok bool, err error) {
	root, ok := scopeRoot(p, a)
	if !ok {
		return nil, false, nil
	}
	if root == 0 {
		return nil, true, nil
	}
	ids, err = s.store.SubtreeIDs(ctx, root, dates.Today())
	if err != nil {
		return nil, false, err
	}
	if ids == nil {
		ids = []int64{}
	}
	return ids, true, nil
}

// activityFilterInput is the list filters as written, shared by the page
// and the API.
type activityFilterInput struct {
	Unit, Year, From, To, Type, Task, Query string
}

// activityFilterOf checks filter input against the caller's read scope (a
// unit outside it is forbidden); iso takes dates as YYYY-MM-DD only (the
// API), pages take dd/mm/yyyy too.
func (s *Server) activityFilterOf(r *http.Request, in activityFilterInput, iso bool) (store.ActivityFilter, error) {
	var f store.ActivityFilter
	var errs validation.Errors
	ctx := r.Context()
	p := Principal(r)
	scope, ok, err := s.activityScope(ctx, p, auth.ActivityRead)
	if err != nil {
		return f, err
	}
	if !ok {
		return f, ErrForbidden
	}
	f.Units = scope
	if v := strings.TrimSpace(in.Unit); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			errs.Add("unit", "api.err_id")
		} else {
			allowed, err := s.allowed(r, auth.ActivityRead, id)
			if err != nil {
				return f, err
			}
			if !allowed {
				return f, ErrForbidden
			}
			if f.Units, err = s.store.SubtreeIDs(ctx, id, dates.Today()); err != nil {
				return f, err
			}
			if !slices.Contains(f.Units, id) {
				f.Units = append(f.Units, id) // a closed unit keeps its records
			}
		}
	}
	if v := strings.TrimSpace(in.Year); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			errs.Add("year", "err.range", 2000, 2100)
		} else {
			f.From, f.To = dates.New(y, 1, 1), dates.New(y, 12, 31)
		}
	}
	readDate := func(name, v string) dates.Date {
		v = strings.TrimSpace(v)
		if v == "" {
			return dates.Date{}
		}
		if iso {
			d, ok := apiParseISO(v)
			if !ok {
				errs.Add(name, "api.err_iso_date")
			}
			return d
		}
		d, err := dates.Parse(v)
		if err != nil {
			errs.Add(name, "err.date")
		}
		return d
	}
	if d := readDate("from", in.From); !d.IsZero() && (f.From.IsZero() || d.After(f.From)) {
		f.From = d
	}
	if d := readDate("to", in.To); !d.IsZero() && (f.To.IsZero() || d.Before(f.To)) {
		f.To = d
	}
	if v := strings.TrimSpace(in.Type); v != "" {
		if !activities.ValidType(activities.Type(v)) {
			errs.Add("type", "activity.err.type")
		}
		f.Type = activities.Type(v)
	}
	if v := strings.TrimSpace(in.Task); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			errs.Add("task", "api.err_id")
		}
		f.Task = id
	}
	f.Query = strings.TrimSpace(in.Query)
	if len(errs) > 0 {
		return f, BadRequest(errs)
	}
	return f, nil
}

// ---------------------------------------------------------------- list

type activityListData struct {
	Filter    activityFilterInput
	Units     []unitFormOption // nil when a code is asked for instead
	Types     []unitFormOption
	Items     []*activityRow
	Sums      activityFigures
	Pager     Pager
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

// activityFigures are reach figures as ints, for the num template func.
type activityFigures struct {
	Quantity, Participants, Views, Copies, Communes int
}

func activityFiguresOf(a *activities.Activity) activityFigures {
	return activityFigures{int(a.Quantity), int(a.Participants), int(a.Views), int(a.Copies), int(a.Communes)}
}

func (s *Server) activityListPage(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	if !p.Can(auth.ActivityRead) {
		s.Fail(w, r, ErrForbidden)
		return
	}
	ctx := r.Context()
	l := Lang(r)
	q := r.URL.Query()
	in := activityFilterInput{Unit: q.Get("unit"), Year: q.Get("year"), From: q.Get("from"), To: q.Get("to"),
		Type: q.Get("type"), Task: q.Get("task"), Query: q.Get("q")}
	d := &activityListData{Filter: in, CanWrite: p.Can(auth.ActivityWrite), YearHint: dates.Today().Year()}
	status := http.StatusOK
	f, err := s.activityFilterOf(r, in, false)
	var he *HTTPError
	if errors.As(err, &he) && he.status == http.StatusBadRequest {
		for _, fe := range he.fields {
			d.Errors = append(d.Errors, l.T("activity.filter."+fe.Field)+": "+l.T(fe.Reason, fe.Args...))
		}
		status = http.StatusBadRequest
		f.Units, _, err = s.activityScope(ctx, p, auth.ActivityRead)
		f.From, f.To, f.Type, f.Task = dates.Date{}, dates.Date{}, "", 0
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	page, limit, offset := PageParams(r, activityPageSize)
	f.Limit, f.Offset = limit, offset
	list, total, err := s.store.Activities(ctx, f)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	sums, err := s.store.ActivitySumsOf(ctx, f)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Sums = activityFigures{int(sums.Quantity), int(sums.Participants), int(sums.Views), int(sums.Copies), int(sums.Communes)}
	for _, a := range list {
		d.Items = append(d.Items, &activityRow{A: a, F: activityFiguresOf(a), TypeLabel: l.T("activity.type." + string(a.Type))})
	}
	d.Pager = NewPager(page, activityPageSize, total)
	root, _ := scopeRoot(p, auth.ActivityRead)
	sel, _ := strconv.ParseInt(in.Unit, 10, 64)
	if d.Units, err = s.activityUnitOptions(ctx, root, sel, l.T("activity.filter.all_units")); err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Types = activityOptions(l, "type", activities.TypeNames(), in.Type, "activity.filter.all_types")
	if f.Task != 0 {
		if t, err := s.store.Task(ctx, f.Task); err == nil {
			d.TaskTitle = activityTaskLabel(t)
		}
	}
	if r.URL.Query().Get("done") == "deleted" {
		d.Notice = l.T("activity.done.deleted")
	}
	s.Render(w, r, status, "activities_list", d)
}

// activityUnitOptions lists the units under root (0: all) as select
// options, or nil when there are too many for a select; emptyLabel, when
// set, is a first option meaning "none".
func (s *Server) activityUnitOptions(ctx context.Context, root, selected int64, emptyLabel string) ([]unitFormOption, error) {
	list, total, err := s.store.SearchUnits(ctx, store.UnitFilter{Within: root, Day: dates.Today(), Limit: activityMaxChoices})
	if err != nil {
		return nil, err
	}
	if total > activityMaxChoices {
		return nil, nil
	}
	opts := []unitFormOption{}
	if emptyLabel != "" {
		opts = append(opts, unitFormOption{Value: "", Label: emptyLabel, Selected: selected == 0})
	}
	for _, u := range list {
		opts = append(opts, unitFormOption{Value: strconv.FormatInt(u.ID, 10), Label: u.Name + " (" + u.Code + ")", Selected: u.ID == selected})
	}
	return opts, nil
}

// activityOptions builds the options of a vocabulary select.
func activityOptions(l i18n.Lang, kind string, codes []string, selected, emptyKey string) []unitFormOption {
	opts := []unitFormOption{{Value: "", Label: l.T(emptyKey), Selected: selected == ""}}
	for _, c := range codes {
		opts = append(opts, unitFormOption{Value: c, Label: l.T("activity." + kind + "." + c), Selected: c == selected})
	}
	return opts
}

func activityTaskLabel(t *plans.Task) string {
	label := t.Content
	if r := []rune(label); len(r) > 160 {
		label = string(r[:160]) + "…"
	}
	if t.Number != "" {
		label = t.Number + ". " + label
	}
	return label
}

// ---------------------------------------------------------------- detail

type activityDetailData struct {
	A         *activities.Activity
	F         activityFigures
	Confirm   bool // the delete confirmation
	TypeLabel string
	Channel   string
	Audiences []string
	Tasks     []activityTaskOption
	CanWrite  bool
	Notice    string
}

// activityLoad reads the activity in the path if the caller may do a on
// its unit; one they may not even read is answered as not found.
func (s *Server) activityLoad(w http.ResponseWriter, r *http.Request, a auth.Action) (*activities.Activity, bool) {
	if Principal(r) == nil {
		s.Fail(w, r, ErrUnauthorized)
		return nil, false
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	act, err := s.store.Activity(r.Context(), id)
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	read, err := s.allowed(r, auth.ActivityRead, act.UnitID)
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	if !read {
		s.Fail(w, r, ErrNotFound)
		return nil, false
	}
	if a != auth.ActivityRead && !s.require(w, r, a, act.UnitID) {
		return nil, false
	}
	return act, true
}

func (s *Server) activityDetailData(r *http.Request, act *activities.Activity) (*activityDetailData, error) {
	l := Lang(r)
	d := &activityDetailData{A: act, F: activityFiguresOf(act), TypeLabel: l.T("activity.type." + string(act.Type)), Channel: l.T("activity.channel." + string(act.Channel))}
	for _, a := range act.Audiences.List() {
		d.Audiences = append(d.Audiences, l.T("activity.audience."+string(a)))
	}
	for _, id := range act.Tasks {
		t, err := s.store.Task(r.Context(), id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		d.Tasks = append(d.Tasks, activityTaskOption{ID: t.ID, Label: activityTaskLabel(t), Plan: t.PlanTitle})
	}
	var err error
	if d.CanWrite, err = s.allowed(r, auth.ActivityWrite, act.UnitID); err != nil {
		return nil, err
	}
	switch r.URL.Query().Get("done") {
	case "created":
		d.Notice = l.T("activity.done.created")
	case "saved":
		d.Notice = l.T("activity.done.saved")
	}
	return d, nil
}

func (s *Server) activityDetailPage(w http.ResponseWriter, r *http.Request) {
	act, ok := s.activityLoad(w, r, auth.ActivityRead)
	if !ok {
		return
	}
	d, err := s.activityDetailData(r, act)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "activities_detail", d)
}

func (s *Server) activityDeletePage(w http.ResponseWriter, r *http.Request) {
	act, ok := s.activityLoad(w, r, auth.ActivityWrite)
	if !ok {
		return
	}
	d, err := s.activityDetailData(r, act)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Confirm = true
	s.Render(w, r, http.StatusOK, "activities_detail", d)
}

func (s *Server) activityDeleteSubmit(w http.ResponseWriter, r *http.Request) {
	act, ok := s.activityLoad(w, r, auth.ActivityWrite)
	if !ok {
		return
	}
	if err := s.store.DeleteActivity(r.Context(), s.actor(r), act.ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/activities?done=deleted", http.StatusSeeOther)
}

// ---------------------------------------------------------------- form

// activityTaskOption is a task an activity may serve.
type activityTaskOption struct {
	ID      int64
	Label   string
	Plan    string
	Checked bool
}

type activityFormData struct {
	Title     string
	Action    string
	Cancel    string
	Subject   *activities.Activity
	Vals      map[string]string
	Errs      map[string]string
	Problems  []unitFormProblem
	Units     []unitFormOption // nil: a unit code input instead
	Types     []unitFormOption
	Channels  []unitFormOption
	Audiences []unitFormOption
	Tasks     []activityTaskOption
	Metrics   []activityMetricField
	Fields    map[string]activityTextField
}

// activityTextField is a one-line input of the form.
type activityTextField struct {
	Name, Label, Kind, Value, Error string
	Required                        bool
	Max                             int
}

type activityMetricField struct {
	Name, Label, Value, Error string
}

var activityFormFields = []string{"unit", "unit_code", "type", "title", "channel", "start", "end", "quantity", "participants",
	"views", "copies", "communes", "description", "evidence_link"}

// activityServable lists the tasks an activity of unit may serve: those
// the unit or a unit above it leads or coordinates.
func (s *Server) activityServable(ctx context.Context, unit int64) ([]*plans.Task, error) {
	if unit == 0 {
		return nil, nil
	}
	anc, err := s.store.Ancestors(ctx, unit, dates.Today())
	if err != nil {
		return nil, err
	}
	if !slices.Contains(anc, unit) {
		anc = append(anc, unit)
	}
	return s.store.Tasks(ctx, store.TaskFilter{Units: anc})
}

func (s *Server) activityForm(r *http.Request, subject *activities.Activity, vals map[string]string, audiences []string,
	tasks []int64, errs validation.Errors) (*activityFormData, error) {
	ctx := r.Context()
	l := Lang(r)
	p := Principal(r)
	d := &activityFormData{Subject: subject, Vals: vals, Errs: map[string]string{}}
	if subject == nil {
		d.Title, d.Action, d.Cancel = l.T("activity.new.title"), "/activities/new", "/activities"
	} else {
		id := strconv.FormatInt(subject.ID, 10)
		d.Title, d.Action, d.Cancel = l.T("activity.edit.title"), "/activities/"+id+"/edit", "/activities/"+id
	}
	for _, e := range errs {
		if _, seen := d.Errs[e.Field]; !seen {
			d.Errs[e.Field] = l.T(e.Reason, e.Args...)
		}
	}
	root, _ := scopeRoot(p, auth.ActivityWrite)
	unitID, _ := strconv.ParseInt(vals["unit"], 10, 64)
	var err error
	if d.Units, err = s.activityUnitOptions(ctx, root, unitID, ""); err != nil {
		return nil, err
	}
	if d.Units != nil && unitID == 0 {
		d.Units = append([]unitFormOption{{Value: "", Label: l.T("activity.form.choose_unit"), Selected: true}}, d.Units...)
	}
	d.Types = activityOptions(l, "type", activities.TypeNames(), vals["type"], "activity.form.choose_type")
	d.Channels = activityOptions(l, "channel", activities.ChannelNames(), vals["channel"], "activity.form.choose_channel")
	for _, a := range activities.AudienceNames() {
		d.Audiences = append(d.Audiences, unitFormOption{Value: a, Label: l.T("activity.audience." + a), Selected: slices.Contains(audiences, a)})
	}
	for _, m := range activities.Metrics {
		d.Metrics = append(d.Metrics, activityMetricField{Name: m, Label: l.T("activity.metric." + m), Value: vals[m], Error: d.Errs[m]})
	}
	d.Fields = map[string]activityTextField{}
	for _, f := range []activityTextField{{Name: "title", Kind: "text", Required: true, Max: 500},
		{Name: "start", Kind: "date", Required: true, Max: 10}, {Name: "end", Kind: "date", Max: 10},
		{Name: "evidence_link", Kind: "url", Max: 2000}} {
		f.Label, f.Value, f.Error = l.T("activity.field."+f.Name), vals[f.Name], d.Errs[f.Name]
		d.Fields[f.Name] = f
	}
	list, err := s.activityServable(ctx, unitID)
	if err != nil {
		return nil, err
	}
	for _, t := range list {
		d.Tasks = append(d.Tasks, activityTaskOption{ID: t.ID, Label: activityTaskLabel(t), Plan: t.PlanTitle, Checked: slices.Contains(tasks, t.ID)})
	}
	// Problems in the order of the form, linked to their fields.
	labels := map[string]string{"unit": "activity.field.unit", "unit_code": "activity.field.unit", "type": "activity.field.type",
		"title": "activity.field.title", "channel": "activity.field.channel", "start": "activity.field.start", "end": "activity.field.end",
		"audiences": "activity.field.audiences", "description": "activity.field.description", "evidence_link": "activity.field.evidence_link",
		"tasks": "activity.field.tasks"}
	for _, m := range activities.Metrics {
		labels[m] = "activity.metric." + m
	}
	order := append(slices.Clone(activityFormFields), "audiences", "tasks")
	for _, name := range order {
		for _, e := range errs {
			if e.Field == name {
				target := "#activity-" + name
				if name == "unit" && d.Units == nil {
					target = "#activity-unit_code"
				}
				if name == "audiences" || name == "tasks" {
					target = "#activity-" + name + "-group"
				}
				d.Problems = append(d.Problems, unitFormProblem{Target: target, Label: l.T(labels[name]), Message: l.T(e.Reason, e.Args...)})
			}
		}
	}
	for _, e := range errs {
		if !slices.Contains(order, e.Field) {
			d.Problems = append(d.Problems, unitFormProblem{Message: l.T(e.Reason, e.Args...)})
		}
	}
	return d, nil
}

// activityValues fills form values from an activity.
func activityValues(a *activities.Activity) (map[string]string, []string) {
	v := map[string]string{"unit": strconv.FormatInt(a.UnitID, 10), "type": string(a.Type), "title": a.Title,
		"channel": string(a.Channel), "start": a.Start.VN(), "end": a.End.VN(), "description": a.Description,
		"evidence_link": a.EvidenceLink}
	for _, m := range activities.Metrics {
		v[m] = strconv.FormatInt(a.Metric(m), 10)
	}
	var aud []string
	for _, x := range a.Audiences.List() {
		aud = append(aud, string(x))
	}
	return v, aud
}

// activityFromForm reads a posted form into an activity, checking the unit
// (write scope), the tasks (servable by the unit) and the domain rules.
// forbidden is set when the unit is outside the caller's scope.
func (s *Server) activityFromForm(r *http.Request) (act *activities.Activity, vals map[string]string, aud []string, tasks []int64, errs validation.Errors, forbidden bool, err error) {
	ctx := r.Context()
	vals = map[string]string{}
	for _, n := range activityFormFields {
		vals[n] = strings.TrimSpace(r.PostFormValue(n))
	}
	aud = r.PostForm["audiences"]
	act = &activities.Activity{Type: activities.Type(vals["type"]), Title: vals["title"], Channel: activities.Channel(vals["channel"]),
		Description: vals["description"], EvidenceLink: vals["evidence_link"]}
	// The unit: a code when the form asked for one, else an id.
	if code := vals["unit_code"]; code != "" {
		u, e := s.store.UnitByCode(ctx, code, dates.Today())
		switch {
		case errors.Is(e, store.ErrNotFound):
			errs.Add("unit", "unit.err.code_unknown", code)
		case e != nil:
			return nil, nil, nil, nil, nil, false, e
		default:
			act.UnitID = u.ID
			vals["unit"] = strconv.FormatInt(u.ID, 10)
		}
	} else if v := vals["unit"]; v != "" {
		id, e := strconv.ParseInt(v, 10, 64)
		if e != nil || id <= 0 {
			errs.Add("unit", "err.invalid")
		} else {
			act.UnitID = id
		}
	}
	if act.UnitID != 0 {
		ok, e := s.allowed(r, auth.ActivityWrite, act.UnitID)
		if e != nil {
			return nil, nil, nil, nil, nil, false, e
		}
		if !ok {
			errs.Add("unit", "err.out_of_scope")
			forbidden = true
			act.UnitID = 0
		}
	}
	for _, d := range []struct {
		name string
		dst  *dates.Date
	}{{"start", &act.Start}, {"end", &act.End}} {
		day, e := dates.Parse(vals[d.name])
		if e != nil {
			errs.Add(d.name, "err.date")
			continue
		}
		*d.dst = day
	}
	for _, a := range aud {
		if !activities.ValidAudience(activities.Audience(a)) {
			errs.Add("audiences", "err.invalid")
			continue
		}
		act.Audiences |= activities.SetOf(activities.Audience(a))
	}
	for _, m := range activities.Metrics {
		v := strings.NewReplacer(".", "", " ", "").Replace(vals[m])
		if v == "" {
			continue
		}
		n, e := strconv.ParseInt(v, 10, 64)
		if e != nil {
			errs.Add(m, "err.number")
			continue
		}
		switch m {
		case "quantity":
			act.Quantity = n
		case "participants":
			act.Participants = n
		case "views":
			act.Views = n
		case "copies":
			act.Copies = n
		case "communes":
			act.Communes = n
		}
	}
	for _, v := range r.PostForm["tasks"] {
		id, e := strconv.ParseInt(v, 10, 64)
		if e != nil || id <= 0 {
			errs.Add("tasks", "err.invalid")
			continue
		}
		tasks = append(tasks, id)
	}
	act.Tasks = tasks
	if err := s.activityCheck(ctx, act, &errs); err != nil {
		return nil, nil, nil, nil, nil, false, err
	}
	return act, vals, aud, tasks, errs, forbidden, nil
}

// activityCheck adds to errs what is wrong with a: tasks its unit may not
// serve, then the domain's validation (without repeating a field already
// reported by the form or body reader). Form and API share it.
func (s *Server) activityCheck(ctx context.Context, a *activities.Activity, errs *validation.Errors) error {
	if len(a.Tasks) > 0 && a.UnitID != 0 {
		servable, err := s.activityServable(ctx, a.UnitID)
		if err != nil {
			return err
		}
		for _, id := range a.Tasks {
			if !slices.ContainsFunc(servable, func(t *plans.Task) bool { return t.ID == id }) {
				errs.Add("tasks", "activity.err.task")
				break
			}
		}
	}
	check := *a
	for _, e := range check.Validate() {
		if !errs.Has(e.Field) {
			errs.Add(e.Field, e.Reason, e.Args...)
		}
	}
	return nil
}

func (s *Server) activityRenderForm(w http.ResponseWriter, r *http.Request, status int, subject *activities.Activity,
	vals map[string]string, aud []string, tasks []int64, errs validation.Errors) {
	d, err := s.activityForm(r, subject, vals, aud, tasks, errs)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, status, "activities_form", d)
}

func (s *Server) activityNewPage(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	root, ok := scopeRoot(p, auth.ActivityWrite)
	if !ok {
		s.Fail(w, r, ErrForbidden)
		return
	}
	ctx := r.Context()
	vals := map[string]string{"start": dates.Today().VN(), "quantity": "1"}
	if root != 0 {
		vals["unit"] = strconv.FormatInt(root, 10)
	}
	var tasks []int64
	if v := r.URL.Query().Get("task"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.Fail(w, r, ErrNotFound)
			return
		}
		t, err := s.store.Task(ctx, id)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		tasks = []int64{t.ID}
		// Province-wide users record for the task's lead unit by default.
		if root == 0 && len(t.Lead) > 0 {
			vals["unit"] = strconv.FormatInt(t.Lead[0], 10)
		}
	}
	s.activityRenderForm(w, r, http.StatusOK, nil, vals, nil, tasks, nil)
}

func (s *Server) activityNewSubmit(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	if !p.Can(auth.ActivityWrite) {
		s.Fail(w, r, ErrForbidden)
		return
	}
	if !s.ParseForm(w, r, activityMaxForm) {
		return
	}
	s.activitySave(w, r, nil)
}

func (s *Server) activityEditPage(w http.ResponseWriter, r *http.Request) {
	act, ok := s.activityLoad(w, r, auth.ActivityWrite)
	if !ok {
		return
	}
	vals, aud := activityValues(act)
	s.activityRenderForm(w, r, http.StatusOK, act, vals, aud, act.Tasks, nil)
}

func (s *Server) activityEditSubmit(w http.ResponseWriter, r *http.Request) {
	before, ok := s.activityLoad(w, r, auth.ActivityWrite)
	if !ok {
		return
	}
	if !s.ParseForm(w, r, activityMaxForm) {
		return
	}
	s.activitySave(w, r, before)
}

// activitySave creates (before == nil) or updates an activity from the
// posted form, re-rendering the form with the errors when it is refused.
func (s *Server) activitySave(w http.ResponseWriter, r *http.Request, before *activities.Activity) {
	act, vals, aud, tasks, errs, forbidden, err := s.activityFromForm(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	done := "created"
	if len(errs) == 0 {
		if before == nil {
			err = s.store.CreateActivity(r.Context(), s.actor(r), act)
		} else {
			act.ID, done = before.ID, "saved"
			err = s.store.UpdateActivity(r.Context(), s.actor(r), act)
		}
		if errs, err = unitAddDomain(errs, err, func(f string) string { return f }); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		status := http.StatusUnprocessableEntity
		if forbidden {
			status = http.StatusForbidden
		}
		s.activityRenderForm(w, r, status, before, vals, aud, tasks, errs)
		return
	}
	http.Redirect(w, r, "/activities/"+strconv.FormatInt(act.ID, 10)+"?done="+done, http.StatusSeeOther)
}

// ---------------------------------------------------------------- import

// activityImportMaxBody bounds an upload: the file plus the form around it.
const activityImportMaxBody = activities.MaxImportBytes + 1<<20

type activityImportColumn struct {
	Header, Key, Description string
	Required                 bool
}

type activityImportData struct {
	Columns     []activityImportColumn
	Types       []string
	Channels    []string
	Audiences   []string
	Errors      []string
	SkipInvalid bool
	Done        bool
	Filename    string
	Rows        int
	Written     int
	Invalid     int
	Rejected    bool
	Unreadable  bool
	Issues      []importIssueView
}

func (s *Server) activityImportRequire(w http.ResponseWriter, r *http.Request) bool {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return false
	}
	if !p.Can(auth.ActivityWrite) {
		s.Fail(w, r, ErrForbidden)
		return false
	}
	return true
}

func (s *Server) activityImportRender(w http.ResponseWriter, r *http.Request, status int, d *activityImportData) {
	l := Lang(r)
	for _, c := range activities.Columns() {
		d.Columns = append(d.Columns, activityImportColumn{Header: c.Header(), Key: string(c),
			Description: l.T("activity.import.col." + string(c)), Required: c.Required()})
	}
	for _, list := range []struct {
		kind  string
		codes []string
		dst   *[]string
	}{{"type", activities.TypeNames(), &d.Types}, {"channel", activities.ChannelNames(), &d.Channels}, {"audience", activities.AudienceNames(), &d.Audiences}} {
		for _, c := range list.codes {
			*list.dst = append(*list.dst, i18n.VI.T("activity."+list.kind+"."+c)+" ("+c+")")
		}
	}
	s.Render(w, r, status, "activities_import", d)
}

func (s *Server) activityImportPage(w http.ResponseWriter, r *http.Request) {
	if !s.activityImportRequire(w, r) {
		return
	}
	s.activityImportRender(w, r, http.StatusOK, &activityImportData{})
}

func (s *Server) activityImportTemplate(w http.ResponseWriter, r *http.Request) {
	if !s.activityImportRequire(w, r) {
		return
	}
	var buf strings.Builder
	if err := activities.Template(&buf); err != nil {
		s.Fail(w, r, err)
		return
	}
	SendFile(w, units.FormatXLSX.ContentType(), "mau-nhap-hoat-dong.xlsx", []byte(buf.String()))
}

// activityImportSubmit checks a whole file and, unless rows are invalid and
// the caller asked for all or nothing, writes the valid rows in one
// transaction; the page then shows the outcome and the report.
func (s *Server) activityImportSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.activityImportRequire(w, r) {
		return
	}
	l := Lang(r)
	ctx := r.Context()
	tooLarge := l.T("import.err.too_large", activities.MaxImportBytes>>20)
	d := &activityImportData{}
	if r.ContentLength > activityImportMaxBody {
		d.Errors = []string{tooLarge}
		s.activityImportRender(w, r, http.StatusRequestEntityTooLarge, d)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, activityImportMaxBody)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			d.Errors = []string{tooLarge}
			s.activityImportRender(w, r, http.StatusRequestEntityTooLarge, d)
			return
		}
		d.Errors = []string{l.T("import.form.no_file")}
		s.activityImportRender(w, r, http.StatusBadRequest, d)
		return
	}
	d.SkipInvalid = r.PostFormValue("skip_invalid") != ""
	file, hdr, err := r.FormFile("file")
	if err != nil {
		d.Errors = []string{l.T("import.form.no_file")}
		s.activityImportRender(w, r, http.StatusBadRequest, d)
		return
	}
	defer file.Close()
	d.Filename = importFileName(hdr.Filename)
	d.Done = true
	sheet, err := activities.ParseFile(hdr.Filename, file)
	var rep activities.Report
	if errors.As(err, &rep) {
		d.Unreadable, d.Rejected = true, true
		d.Issues = activityIssueViews(rep)
		s.activityImportRender(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	// Units are resolved once per code, against today's directory and the
	// caller's write scope.
	type resolved struct {
		id     int64
		reason string
		args   []string
	}
	cache := map[string]resolved{}
	var lookupErr error
	valid, rep := activities.ReadRows(sheet, func(code string) (int64, string, []string) {
		if c, ok := cache[code]; ok {
			return c.id, c.reason, c.args
		}
		var res resolved
		u, err := s.store.UnitByCode(ctx, code, dates.Today())
		switch {
		case errors.Is(err, store.ErrNotFound):
			res = resolved{reason: "unit.err.code_unknown", args: []string{code}}
		case err != nil:
			lookupErr = err
			res = resolved{reason: "err.internal"}
		default:
			ok, err := s.allowed(r, auth.ActivityWrite, u.ID)
			if err != nil {
				lookupErr = err
			}
			res = resolved{id: u.ID}
			if !ok {
				res = resolved{id: u.ID, reason: "err.out_of_scope"}
			}
		}
		cache[code] = res
		return res.id, res.reason, res.args
	})
	if lookupErr != nil {
		s.Fail(w, r, lookupErr)
		return
	}
	d.Rows, d.Invalid = len(sheet.Rows), rep.InvalidRows()
	d.Issues = activityIssueViews(rep)
	if len(rep) > 0 && !d.SkipInvalid {
		d.Rejected = true
		s.activityImportRender(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	list := make([]*activities.Activity, len(valid))
	for i, p := range valid {
		list[i] = p.Activity
	}
	if len(list) > 0 {
		if err := s.store.CreateActivities(ctx, s.actor(r), list); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	d.Written = len(list)
	s.activityImportRender(w, r, http.StatusOK, d)
}

// activityIssueViews shows report lines with reasons in both languages, as
// the unit import report does.
func activityIssueViews(rep activities.Report) []importIssueView {
	out := make([]importIssueView, 0, len(rep))
	for _, is := range rep {
		out = append(out, importIssueView{Row: is.Row, Cell: is.ColumnLetter(), Column: is.Column, Value: is.Value,
			ReasonVI: is.Message(i18n.VI), ReasonEN: is.Message(i18n.EN)})
	}
	return out
}
