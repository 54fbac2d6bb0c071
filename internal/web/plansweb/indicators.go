package plansweb

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// indicatorFields are the indicator form's inputs, in display order.
var indicatorFields = []web.FieldRef{
	{Name: "code", ID: "indicator-code", LabelKey: "indicator.field.code"},
	{Name: "measure_unit", ID: "indicator-measure_unit", LabelKey: "indicator.field.measure_unit"},
	{Name: "name", ID: "indicator-name", LabelKey: "indicator.field.name"},
	{Name: "description", ID: "indicator-description", LabelKey: "indicator.field.description"},
	{Name: "formula", ID: "indicator-formula", LabelKey: "indicator.field.formula"},
	{Name: "comparison", ID: "indicator-comparison", LabelKey: "indicator.field.comparison"},
	{Name: "value", ID: "indicator-value", LabelKey: "indicator.field.value"},
	{Name: "max", ID: "indicator-max", LabelKey: "indicator.field.max"},
	{Name: "period", ID: "indicator-period", LabelKey: "indicator.field.period"},
}

func indicatorValues(i *plans.Indicator) url.Values {
	v := url.Values{}
	v.Set("code", i.Code)
	v.Set("name", i.Name)
	v.Set("description", i.Description)
	v.Set("measure_unit", i.MeasureUnit)
	v.Set("formula", i.Formula)
	v.Set("comparison", i.Comparison)
	v.Set("value", web.InputDecimal(i.Value))
	if i.Comparison == string(indicators.Between) {
		v.Set("max", web.InputDecimal(i.Max))
	}
	v.Set("period", string(i.Period))
	return v
}

// number reads a target the way report figures are read (ParseDecimal).
func number(s string) (float64, bool) {
	if strings.TrimSpace(s) == "" {
		return 0, true // an empty max is fine unless the comparison needs it
	}
	return web.ParseDecimal(s)
}

// indicatorFromForm reads the indicator form; errors are about targets
// that are not numbers (the service checks the rest).
func indicatorFromForm(r *http.Request) (*plans.Indicator, validation.Errors) {
	v := r.PostForm
	ind := &plans.Indicator{ID: web.FormID(r, "id"), Code: v.Get("code"), Name: v.Get("name"), Description: v.Get("description"), MeasureUnit: v.Get("measure_unit"),
		Formula: strings.TrimSpace(v.Get("formula")), Comparison: v.Get("comparison"), Period: plans.PeriodKind(v.Get("period"))}
	var errs validation.Errors
	var ok bool
	if ind.Value, ok = number(v.Get("value")); !ok {
		errs.Add("value", "attain.err.number")
	}
	if ind.Max, ok = number(v.Get("max")); !ok {
		errs.Add("max", "attain.err.number")
	}
	return ind, errs
}

// indicatorSubmit adds an indicator, or edits the one named in the form;
// errors re-render the plan page with the form filled in.
func (s *handler) indicatorSubmit(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	ind, errs := indicatorFromForm(r)
	if len(errs) == 0 {
		err := s.svc.SaveIndicator(r.Context(), s.Caller(r), id, ind)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/plans/%d?saved=1#indicators", id), http.StatusSeeOther)
			return
		}
		var ok bool
		if errs, ok = invalid(err); !ok {
			s.Fail(w, r, err)
			return
		}
	} else if _, err := s.writablePlan(r); err != nil {
		s.Fail(w, r, err) // a refused caller learns nothing of the form
		return
	}
	d, err := s.detail(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := web.Lang(r)
	d.IndID, d.IndValues = ind.ID, r.PostForm
	d.fillChoices(l)
	d.Errors = web.NewFormErrors(l, errs, indicatorFields)
	s.Render(w, r, http.StatusUnprocessableEntity, "plans_detail", d)
}

func (s *handler) indicatorDelete(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	ind, err := web.PathID(r, "ind")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.svc.DeleteIndicator(r.Context(), s.Caller(r), id, ind); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/plans/%d?saved=1#indicators", id), http.StatusSeeOther)
}
