package activitiesweb

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"khienso/internal/activities"
	"khienso/internal/dates"
	"khienso/internal/service"
	"khienso/internal/service/unitsvc"
	"khienso/internal/store"
	"khienso/internal/validation"
	"khienso/internal/web"
)

type activityFormData struct {
	Title     string
	Action    string
	Cancel    string
	Subject   *activities.Activity
	Vals      map[string]string
	Errors    web.FormErrors
	Unit      *web.Picker
	Types     []web.Option
	Channels  []web.Option
	Audiences []web.Option
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

// activityUnitPicker chooses the unit that held the activity.
var activityUnitPicker = web.PickerSpec{ID: "activity-unit", Name: "unit", Purpose: unitsvc.PickActivity, Required: true}

// activityFieldRefs lists the form's inputs in display order for the error
// summary.
func activityFieldRefs() []web.FieldRef {
	refs := []web.FieldRef{{Name: "unit", ID: "activity-unit", LabelKey: "activity.field.unit"}}
	for _, n := range []string{"type", "title", "channel", "start", "end"} {
		refs = append(refs, web.FieldRef{Name: n, ID: "activity-" + n, LabelKey: "activity.field." + n})
	}
	for _, m := range activities.Metrics {
		refs = append(refs, web.FieldRef{Name: m, ID: "activity-" + m, LabelKey: "activity.metric." + m})
	}
	return append(refs,
		web.FieldRef{Name: "description", ID: "activity-description", LabelKey: "activity.field.description"},
		web.FieldRef{Name: "evidence_link", ID: "activity-evidence_link", LabelKey: "activity.field.evidence_link"},
		web.FieldRef{Name: "audiences", ID: "activity-audiences-group", LabelKey: "activity.field.audiences"},
		web.FieldRef{Name: "tasks", ID: "activity-tasks-group", LabelKey: "activity.field.tasks"})
}

func (s *handler) activityForm(r *http.Request, subject *activities.Activity, vals map[string]string, audiences []string,
	tasks []int64, errs validation.Errors) (*activityFormData, error) {
	ctx := r.Context()
	l := web.Lang(r)
	actor := s.Caller(r)
	d := &activityFormData{Subject: subject, Vals: vals}
	if subject == nil {
		d.Title, d.Action, d.Cancel = l.T("activity.new.title"), "/activities/new", "/activities"
	} else {
		id := strconv.FormatInt(subject.ID, 10)
		d.Title, d.Action, d.Cancel = l.T("activity.edit.title"), "/activities/"+id+"/edit", "/activities/"+id
	}
	unitID, _ := strconv.ParseInt(vals["unit"], 10, 64)
	spec := activityUnitPicker
	spec.Blank = l.T("activity.form.choose_unit")
	if spec.Invalid = errs.Has("unit"); spec.Invalid {
		spec.Describe = "activity-unit-error"
	}
	var err error
	if d.Unit, err = s.UnitPicker(r, spec, []string{vals["unit"]}, nil); err != nil {
		return nil, err
	}
	d.Errors = web.NewFormErrors(l, errs, activityFieldRefs())
	d.Types = web.Choices(l, activities.TypeNames(), "activity.type.", vals["type"], "activity.form.choose_type")
	d.Channels = web.Choices(l, activities.ChannelNames(), "activity.channel.", vals["channel"], "activity.form.choose_channel")
	for _, a := range activities.AudienceNames() {
		d.Audiences = append(d.Audiences, web.Option{Value: a, Label: l.T("activity.audience." + a), Selected: slices.Contains(audiences, a)})
	}
	for _, m := range activities.Metrics {
		d.Metrics = append(d.Metrics, activityMetricField{Name: m, Label: l.T("activity.metric." + m), Value: vals[m], Error: d.Errors.Of(m)})
	}
	d.Fields = map[string]activityTextField{}
	for _, f := range []activityTextField{{Name: "title", Kind: "text", Required: true, Max: 500},
		{Name: "start", Kind: "date", Required: true, Max: 10}, {Name: "end", Kind: "date", Max: 10},
		{Name: "evidence_link", Kind: "url", Max: 2000}} {
		f.Label, f.Value, f.Error = l.T("activity.field."+f.Name), vals[f.Name], d.Errors.Of(f.Name)
		d.Fields[f.Name] = f
	}
	list, err := s.svc.Servable(ctx, actor, unitID)
	if err != nil {
		return nil, err
	}
	for _, t := range list {
		d.Tasks = append(d.Tasks, activityTaskOption{ID: t.ID, Label: activityTaskLabel(t), Plan: t.PlanTitle, Checked: slices.Contains(tasks, t.ID)})
	}
	return d, nil
}

// activityValues fills form values from an activity.
func activityValues(a *activities.Activity) (map[string]string, []string) {
	v := map[string]string{"type": string(a.Type), "title": a.Title,
		"channel": string(a.Channel), "start": a.Start.VN(), "end": a.End.VN(), "description": a.Description,
		"evidence_link": a.EvidenceLink}
	if a.UnitID != 0 {
		v["unit"] = strconv.FormatInt(a.UnitID, 10)
	}
	for _, m := range activities.Metrics {
		v[m] = strconv.FormatInt(a.Metric(m), 10)
	}
	var aud []string
	for _, x := range a.Audiences.List() {
		aud = append(aud, string(x))
	}
	return v, aud
}

// activityFromForm reads a posted form into an activity, with what it could
// not read (a unit code unknown, a date or number that is not one).
func (s *handler) activityFromForm(r *http.Request) (act *activities.Activity, vals map[string]string, aud []string, errs validation.Errors, err error) {
	vals = map[string]string{}
	for _, n := range activityFormFields {
		vals[n] = strings.TrimSpace(r.PostFormValue(n))
	}
	aud = r.PostForm["audiences"]
	act = &activities.Activity{Type: activities.Type(vals["type"]), Title: vals["title"], Channel: activities.Channel(vals["channel"]),
		Description: vals["description"], EvidenceLink: vals["evidence_link"]}
	// The unit: a code when the form asked for one, else an id.
	if code := vals["unit_code"]; code != "" {
		u, e := s.Store().UnitByCode(r.Context(), code, s.svc.Today())
		switch {
		case errors.Is(e, store.ErrNotFound):
			errs.Add("unit", "unit.err.code_unknown", code)
		case e != nil:
			return nil, nil, nil, nil, e
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
	for _, m := range []struct {
		name string
		dst  *int64
	}{{"quantity", &act.Quantity}, {"participants", &act.Participants}, {"views", &act.Views}, {"copies", &act.Copies}, {"communes", &act.Communes}} {
		v := strings.NewReplacer(".", "", " ", "").Replace(vals[m.name])
		if v == "" {
			continue
		}
		n, e := strconv.ParseInt(v, 10, 64)
		if e != nil {
			errs.Add(m.name, "err.number")
			continue
		}
		*m.dst = n
	}
	for _, v := range r.PostForm["tasks"] {
		id, e := strconv.ParseInt(v, 10, 64)
		if e != nil || id <= 0 {
			errs.Add("tasks", "err.invalid")
			continue
		}
		act.Tasks = append(act.Tasks, id)
	}
	return act, vals, aud, errs, nil
}

func (s *handler) activityRenderForm(w http.ResponseWriter, r *http.Request, status int, subject *activities.Activity,
	vals map[string]string, aud []string, tasks []int64, errs validation.Errors) {
	d, err := s.activityForm(r, subject, vals, aud, tasks, errs)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, status, "activities_form", d)
}

func (s *handler) activityNewPage(w http.ResponseWriter, r *http.Request) {
	var task int64
	if v := r.URL.Query().Get("task"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.Fail(w, r, web.ErrNotFound)
			return
		}
		task = id
	}
	draft, err := s.svc.Draft(r.Context(), s.Caller(r), task)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	vals := map[string]string{"start": draft.Start.VN(), "quantity": strconv.FormatInt(draft.Quantity, 10)}
	if draft.UnitID != 0 {
		vals["unit"] = strconv.FormatInt(draft.UnitID, 10)
	}
	s.activityRenderForm(w, r, http.StatusOK, nil, vals, nil, draft.Tasks, nil)
}

func (s *handler) activityNewSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RequireWriter(s.Caller(r)); err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r, activityMaxForm) {
		return
	}
	s.activitySave(w, r, nil)
}

func (s *handler) activityEditPage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	act, err := s.svc.Editable(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	vals, aud := activityValues(act)
	s.activityRenderForm(w, r, http.StatusOK, act, vals, aud, act.Tasks, nil)
}

func (s *handler) activityEditSubmit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	before, err := s.svc.Editable(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r, activityMaxForm) {
		return
	}
	s.activitySave(w, r, before)
}

// activitySave creates (before == nil) or updates an activity from the
// posted form, re-rendering the form with the errors when it is refused: a
// unit the caller may not record for is shown beside the unit, with 403.
func (s *handler) activitySave(w http.ResponseWriter, r *http.Request, before *activities.Activity) {
	act, vals, aud, errs, err := s.activityFromForm(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	ctx, actor := r.Context(), s.Caller(r)
	done := "created"
	if before == nil {
		err = s.svc.Create(ctx, actor, act, errs)
	} else {
		done = "saved"
		err = s.svc.Update(ctx, actor, before.ID, act, errs)
	}
	status := http.StatusUnprocessableEntity
	var ve validation.Errors
	switch {
	case err == nil:
		http.Redirect(w, r, "/activities/"+strconv.FormatInt(act.ID, 10)+"?done="+done, http.StatusSeeOther)
		return
	case errors.Is(err, service.ErrForbidden):
		status = http.StatusForbidden
		errs.Add("unit", "err.out_of_scope")
	case errors.As(err, &ve):
		errs = ve
	default:
		s.Fail(w, r, err)
		return
	}
	s.activityRenderForm(w, r, status, before, vals, aud, act.Tasks, errs)
}
