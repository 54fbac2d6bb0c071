package plansweb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/service/plansvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

type formData struct {
	Edit       bool
	Action     string
	Plan       *plans.Plan
	Values     url.Values
	Units      []web.Option // empty when the unit is fixed
	UnitName   string
	Programmes []web.Option
	Parents    []web.Option
	Statuses   []web.Option
	Errors     web.FormErrors
}

// planFields are the plan form's inputs, in display order.
var planFields = []web.FieldRef{
	{Name: "unit", ID: "plan-unit", LabelKey: "plan.field.unit"},
	{Name: "number", ID: "plan-number", LabelKey: "plan.field.number"},
	{Name: "title", ID: "plan-title", LabelKey: "plan.field.title"},
	{Name: "issued_on", ID: "plan-issued_on", LabelKey: "plan.field.issued_on"},
	{Name: "signer", ID: "plan-signer", LabelKey: "plan.field.signer"},
	{Name: "year_from", ID: "plan-year_from", LabelKey: "plan.field.year_from"},
	{Name: "year_to", ID: "plan-year_to", LabelKey: "plan.field.year_to"},
	{Name: "objectives", ID: "plan-objectives", LabelKey: "plan.field.objectives"},
	{Name: "status", ID: "plan-status", LabelKey: "plan.field.status"},
	{Name: "programme", ID: "plan-programme", LabelKey: "plan.field.programme"},
	{Name: "parent", ID: "plan-parent", LabelKey: "plan.field.parent"},
}

// newForm is the form of a new plan with the caller's choices.
func (s *handler) newForm(r *http.Request, v url.Values, errs validation.Errors) (*formData, error) {
	c, err := s.svc.Choices(r.Context(), s.Caller(r))
	if err != nil {
		return nil, err
	}
	l := web.Lang(r)
	d := &formData{Action: "/plans/new", Values: v, Errors: web.NewFormErrors(l, errs, planFields), UnitName: c.Own.Name,
		Statuses: web.Choices(l, plans.Statuses, "plan.status.", v.Get("status"), "")}
	sel := v.Get("unit")
	if sel == "" {
		sel = strconv.FormatInt(c.Own.ID, 10)
	}
	for _, u := range c.Units {
		id := strconv.FormatInt(u.ID, 10)
		d.Units = append(d.Units, web.Option{Value: id, Label: u.Name + " (" + u.Code + ")", Selected: id == sel})
	}
	d.Programmes = append(d.Programmes, web.Option{Value: "", Label: l.T("plan.form.no_programme")})
	for _, p := range c.Programmes {
		id := strconv.FormatInt(p.ID, 10)
		d.Programmes = append(d.Programmes, web.Option{Value: id, Label: p.Code + " — " + p.Name, Selected: v.Get("programme") == id})
	}
	d.Parents = append(d.Parents, web.Option{Value: "", Label: l.T("plan.form.no_parent")})
	for _, p := range c.Parents {
		id := strconv.FormatInt(p.ID, 10)
		d.Parents = append(d.Parents, web.Option{Value: id, Label: p.Number + " — " + p.Title, Selected: v.Get("parent") == id})
	}
	return d, nil
}

// editForm is the form of plan p.
func (s *handler) editForm(r *http.Request, p *plans.Plan, v url.Values, errs validation.Errors) *formData {
	l := web.Lang(r)
	return &formData{Edit: true, Plan: p, Action: fmt.Sprintf("/plans/%d/edit", p.ID), Values: v,
		Statuses: web.Choices(l, p.Status.Next(), "plan.status.", v.Get("status"), ""), Errors: web.NewFormErrors(l, errs, planFields)}
}

// fieldsFromForm reads the typed fields; errors are about values that are
// not numbers or dates (the service checks the rest).
func fieldsFromForm(v url.Values) (plansvc.Fields, validation.Errors) {
	var errs validation.Errors
	f := plansvc.Fields{Number: v.Get("number"), Title: v.Get("title"), Signer: v.Get("signer"),
		Objectives: strings.TrimSpace(v.Get("objectives")), Status: plans.Status(v.Get("status"))}
	if s := strings.TrimSpace(v.Get("issued_on")); s != "" {
		d, err := dates.Parse(s)
		if err != nil {
			errs.Add("issued_on", "err.date")
		} else {
			f.IssuedOn = d
		}
	}
	for _, y := range []struct {
		name string
		dst  *int
	}{{"year_from", &f.YearFrom}, {"year_to", &f.YearTo}} {
		if s := strings.TrimSpace(v.Get(y.name)); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				errs.Add(y.name, "plan.err.year")
			} else {
				*y.dst = n
			}
		}
	}
	return f, errs
}

func formValues(p *plans.Plan) url.Values {
	v := url.Values{}
	v.Set("number", p.Number)
	v.Set("title", p.Title)
	v.Set("signer", p.Signer)
	v.Set("objectives", p.Objectives)
	v.Set("status", string(p.Status))
	if !p.IssuedOn.IsZero() {
		v.Set("issued_on", p.IssuedOn.VN())
	}
	v.Set("year_from", strconv.Itoa(p.YearFrom))
	v.Set("year_to", strconv.Itoa(p.YearTo))
	return v
}

// invalid tells a refused input (shown on the form) from a failure.
func invalid(err error) (validation.Errors, bool) {
	var ve validation.Errors
	return ve, errors.As(err, &ve)
}

func (s *handler) newPage(w http.ResponseWriter, r *http.Request) {
	v := url.Values{"status": {string(plans.StatusDraft)}}
	if parent := r.URL.Query().Get("parent"); parent != "" {
		v.Set("parent", parent)
	}
	d, err := s.newForm(r, v, nil)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "plans_form", d)
}

func (s *handler) newSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	v := r.PostForm
	f, errs := fieldsFromForm(v)
	if len(errs) > 0 {
		if _, err := s.svc.RequireCreate(r.Context(), s.Caller(r), web.FormID(r, "unit")); err != nil {
			s.Fail(w, r, err)
			return
		}
	} else {
		p, err := s.svc.CreatePlan(r.Context(), s.Caller(r), plansvc.NewPlan{Unit: web.FormID(r, "unit"),
			Programme: web.FormID(r, "programme"), Parent: web.FormID(r, "parent"), Fields: f})
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/plans/%d?saved=1", p.ID), http.StatusSeeOther)
			return
		}
		var ok bool
		if errs, ok = invalid(err); !ok {
			s.Fail(w, r, err)
			return
		}
	}
	d, err := s.newForm(r, v, errs)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusUnprocessableEntity, "plans_form", d)
}

func (s *handler) editPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.writablePlan(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "plans_form", s.editForm(r, p, formValues(p), nil))
}

// writablePlan loads plan {id} for an edit page: not found unless the
// caller reads it, forbidden unless they may change it.
func (s *handler) writablePlan(r *http.Request) (*plans.Plan, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Writable(r.Context(), s.Caller(r), id)
}

func (s *handler) editSubmit(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	f, errs := fieldsFromForm(r.PostForm)
	ctx, actor := r.Context(), s.Caller(r)
	if len(errs) == 0 {
		_, err := s.svc.UpdatePlan(ctx, actor, id, f)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/plans/%d?saved=1", id), http.StatusSeeOther)
			return
		}
		var ok bool
		if errs, ok = invalid(err); !ok {
			s.Fail(w, r, err)
			return
		}
	}
	// The form shows the plan as stored, with the input kept.
	p, err := s.writablePlan(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusUnprocessableEntity, "plans_form", s.editForm(r, p, r.PostForm, errs))
}
