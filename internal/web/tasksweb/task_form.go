package tasksweb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/service/unitsvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

type formData struct {
	Plan     *plans.Plan
	Task     *plans.Task // nil when creating
	Action   string
	Values   url.Values
	Lead     *web.Picker
	Coord    *web.Picker
	Kinds    []web.Option
	Statuses []web.Option
	Errors   web.FormErrors
}

// formFields are the task form's inputs, in display order.
var formFields = []web.FieldRef{
	{Name: "section", ID: "task-section", LabelKey: "task.field.section"},
	{Name: "number", ID: "task-number", LabelKey: "task.field.number"},
	{Name: "content", ID: "task-content", LabelKey: "task.field.content"},
	{Name: "lead", ID: "task-lead", LabelKey: "task.field.lead"},
	{Name: "coord", ID: "task-coord", LabelKey: "task.field.coord"},
	{Name: "lead_text", LabelKey: "task.field.lead_text"},
	{Name: "coord_text", LabelKey: "task.field.coord_text"},
	{Name: "timeframe", ID: "task-kind", LabelKey: "task.field.timeframe"},
	{Name: "year_from", ID: "task-year_from", LabelKey: "task.field.year_from"},
	{Name: "year_to", ID: "task-year_to", LabelKey: "task.field.year_to"},
	{Name: "due", ID: "task-due", LabelKey: "task.field.due"},
	{Name: "status", ID: "task-status", LabelKey: "task.field.status"},
	{Name: "progress", ID: "task-progress", LabelKey: "task.field.progress"},
}

// The task form's unit pickers: any unit of the province but schools.
var (
	leadPicker  = web.PickerSpec{ID: "task-lead", Name: "lead", Purpose: unitsvc.PickTask, Multiple: true}
	coordPicker = web.PickerSpec{ID: "task-coord", Name: "coord", Purpose: unitsvc.PickTask, Multiple: true}
)

// renderForm shows the task form for plan p (t nil: a new task) filled
// with v.
func (s *handler) renderForm(w http.ResponseWriter, r *http.Request, status int, p *plans.Plan, t *plans.Task, v url.Values, errs validation.Errors) {
	l := web.Lang(r)
	lead, coord := leadPicker, coordPicker
	if lead.Invalid = errs.Has("lead"); lead.Invalid {
		lead.Describe = "task-lead-error"
	}
	if coord.Invalid = errs.Has("coord"); coord.Invalid {
		coord.Describe = "task-coord-error"
	}
	var err error
	d := &formData{Plan: p, Task: t, Values: v, Kinds: web.Choices(l, plans.TimeframeKinds, "task.timeframe.", v.Get("kind"), ""), Statuses: web.Choices(l, plans.TaskStatuses, "task.status.", v.Get("status"), ""),
		Errors: web.NewFormErrors(l, errs, formFields)}
	if d.Lead, err = s.UnitPicker(r, lead, v["lead"], nil); err == nil {
		d.Coord, err = s.UnitPicker(r, coord, v["coord"], nil)
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if t == nil {
		d.Action = fmt.Sprintf("/plans/%d/tasks/new", p.ID)
	} else {
		d.Action = fmt.Sprintf("/tasks/%d/edit", t.ID)
	}
	s.Render(w, r, status, "tasks_form", d)
}

// unitIDs reads the distinct positive ids of a multi-select.
func unitIDs(list []string) []int64 {
	var out []int64
	for _, s := range list {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// timeframeFromForm reads the timeframe fields named kind, year_from,
// year_to and due (each with suffix) into t; errors are about values that
// are not years or dates (the rest is the service's to check).
func timeframeFromForm(v url.Values, suffix string, t *plans.Task) validation.Errors {
	var errs validation.Errors
	t.Kind = plans.TimeframeKind(v.Get("kind" + suffix))
	t.YearFrom, t.YearTo, t.Due = 0, 0, dates.Date{}
	switch t.Kind {
	case plans.TimeRange:
		for _, f := range []struct {
			name string
			dst  *int
		}{{"year_from", &t.YearFrom}, {"year_to", &t.YearTo}} {
			n, err := strconv.Atoi(strings.TrimSpace(v.Get(f.name + suffix)))
			if err != nil {
				errs.Add(f.name, "plan.err.year")
			}
			*f.dst = n
		}
	case plans.TimeDue:
		d, err := dates.Parse(v.Get("due" + suffix))
		if err != nil {
			errs.Add("due", "err.date")
		}
		t.Due = d
	}
	return errs
}

func taskFromForm(v url.Values, t *plans.Task) validation.Errors {
	t.Content = v.Get("content")
	t.Section = strings.TrimSpace(v.Get("section"))
	t.Number = strings.TrimSpace(v.Get("number"))
	t.LeadText = strings.TrimSpace(v.Get("lead_text"))
	t.CoordText = strings.TrimSpace(v.Get("coord_text"))
	t.Lead, t.Coord = unitIDs(v["lead"]), unitIDs(v["coord"])
	t.Status = plans.TaskStatus(v.Get("status"))
	errs := timeframeFromForm(v, "", t)
	t.Progress = 0
	if s := strings.TrimSpace(v.Get("progress")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			errs.Add("progress", "err.number")
		}
		t.Progress = n
	}
	return errs
}

func taskValues(t *plans.Task) url.Values {
	v := url.Values{}
	v.Set("content", t.Content)
	v.Set("section", t.Section)
	v.Set("number", t.Number)
	v.Set("lead_text", t.LeadText)
	v.Set("coord_text", t.CoordText)
	for _, id := range t.Lead {
		v.Add("lead", strconv.FormatInt(id, 10))
	}
	for _, id := range t.Coord {
		v.Add("coord", strconv.FormatInt(id, 10))
	}
	v.Set("kind", string(t.Kind))
	if t.Kind == plans.TimeRange {
		v.Set("year_from", strconv.Itoa(t.YearFrom))
		v.Set("year_to", strconv.Itoa(t.YearTo))
	}
	if t.Kind == plans.TimeDue {
		v.Set("due", t.Due.VN())
	}
	v.Set("status", string(t.Status))
	v.Set("progress", strconv.Itoa(t.Progress))
	return v
}

func (s *handler) newPage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	p, err := s.svc.Writable(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v := url.Values{"kind": {string(plans.TimeContinuous)}, "status": {string(plans.TaskNotStarted)}, "progress": {"0"}}
	s.renderForm(w, r, http.StatusOK, p, nil, v, nil)
}

func (s *handler) newSubmit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	p, err := s.svc.Writable(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	t := &plans.Task{}
	errs := taskFromForm(r.PostForm, t)
	if len(errs) == 0 {
		err := s.svc.Create(r.Context(), s.Caller(r), p.ID, t)
		if errs = s.saveErrors(w, r, err); errs == nil && err != nil {
			return
		}
	}
	if len(errs) > 0 {
		s.renderForm(w, r, http.StatusUnprocessableEntity, p, nil, r.PostForm, errs)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tasks/%d?saved=1", t.ID), http.StatusSeeOther)
}

// saveErrors returns the validation errors of a save; any other failure is
// answered (and nil returned).
func (s *handler) saveErrors(w http.ResponseWriter, r *http.Request, err error) validation.Errors {
	var ve validation.Errors
	if errors.As(err, &ve) {
		return ve
	}
	if err != nil {
		s.Fail(w, r, err)
	}
	return nil
}

func (s *handler) editPage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	t, p, err := s.svc.Editable(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.renderForm(w, r, http.StatusOK, p, t, taskValues(t), nil)
}

func (s *handler) editSubmit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	before, p, err := s.svc.Editable(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	t := &plans.Task{ID: before.ID}
	errs := taskFromForm(r.PostForm, t)
	if len(errs) == 0 {
		err := s.svc.Update(r.Context(), s.Caller(r), t)
		if errs = s.saveErrors(w, r, err); errs == nil && err != nil {
			return
		}
	}
	if len(errs) > 0 {
		s.renderForm(w, r, http.StatusUnprocessableEntity, p, before, r.PostForm, errs)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tasks/%d?saved=1", t.ID), http.StatusSeeOther)
}

func (s *handler) deleteSubmit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	p, err := s.svc.Delete(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/plans/%d?saved=1#tasks", p.ID), http.StatusSeeOther)
}
