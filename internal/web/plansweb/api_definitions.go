package plansweb

import (
	"net/http"

	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/web"
)

// apiDefinitionFields are an indicator's definition in a body, named as
// the indicator form and the programme files name them, so that check
// errors point at the body's fields. PATCH starts from the stored
// indicator, so absent fields keep their values.
type apiDefinitionFields struct {
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	Description string  `json:"description"`
	MeasureUnit string  `json:"measure_unit"`
	Formula     string  `json:"formula"`
	Comparison  string  `json:"comparison"`
	Value       float64 `json:"value"`
	Max         float64 `json:"max"`
	Period      string  `json:"period"`
	Position    int     `json:"position"`
}

// apiDefinition is a stored indicator: what it measures and its target.
type apiDefinition struct {
	ID     int64 `json:"id"`
	PlanID int64 `json:"plan_id"`
	apiDefinitionFields
}

func definitionFieldsOf(i *plans.Indicator) apiDefinitionFields {
	f := apiDefinitionFields{Code: i.Code, Name: i.Name, Description: i.Description, MeasureUnit: i.MeasureUnit, Formula: i.Formula, Comparison: i.Comparison,
		Value: i.Value, Period: string(i.Period), Position: i.Position}
	if i.Comparison == string(indicators.Between) {
		f.Max = i.Max
	}
	return f
}

func apiDefinitionOf(i *plans.Indicator) apiDefinition {
	return apiDefinition{ID: i.ID, PlanID: i.PlanID, apiDefinitionFields: definitionFieldsOf(i)}
}

func (f apiDefinitionFields) indicator(id int64) *plans.Indicator {
	return &plans.Indicator{ID: id, Code: f.Code, Name: f.Name, Description: f.Description, MeasureUnit: f.MeasureUnit, Formula: f.Formula,
		Comparison: f.Comparison, Value: f.Value, Max: f.Max, Period: plans.PeriodKind(f.Period), Position: f.Position}
}

// apiDefinitionList lists a plan's stored indicators in order (their
// values are GET /plans/{id}/indicators).
func (s *handler) apiDefinitionList(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	_, inds, err := s.svc.Indicators(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	out := web.ListResponse[apiDefinition]{Items: []apiDefinition{}, Total: len(inds), Limit: len(inds)}
	for _, i := range inds {
		out.Items = append(out.Items, apiDefinitionOf(i))
	}
	web.WriteJSON(w, http.StatusOK, out)
}

func (s *handler) apiDefinitionGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	ind, err := s.svc.Indicator(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiDefinitionOf(ind))
}

// apiDefinitionCreate adds an indicator to a plan (last, unless a
// position is given).
func (s *handler) apiDefinitionCreate(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	in := apiDefinitionFields{Period: string(plans.PeriodYearly)}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	ind := in.indicator(0)
	if err := s.svc.SaveIndicator(r.Context(), s.Caller(r), id, ind); err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, apiDefinitionOf(ind))
}

func (s *handler) apiDefinitionPatch(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	ctx, actor := r.Context(), s.Caller(r)
	before, err := s.svc.Indicator(ctx, actor, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	in := definitionFieldsOf(before)
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	ind := in.indicator(id)
	if err := s.svc.SaveIndicator(ctx, actor, before.PlanID, ind); err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiDefinitionOf(ind))
}

func (s *handler) apiDefinitionDelete(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.svc.DeleteIndicator(r.Context(), s.Caller(r), 0, id); err != nil {
		s.Fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// apiDefinitionCheck answers what saving a definition would refuse, with
// the same errors as the indicator form, without saving anything.
func (s *handler) apiDefinitionCheck(w http.ResponseWriter, r *http.Request) {
	in := struct {
		PlanID int64 `json:"plan_id"`
		ID     int64 `json:"id"`
		apiDefinitionFields
	}{apiDefinitionFields: apiDefinitionFields{Period: string(plans.PeriodYearly)}}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	ind := in.indicator(in.ID)
	errs, err := s.svc.CheckIndicator(r.Context(), s.Caller(r), in.PlanID, ind)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	out := struct {
		Valid   bool             `json:"valid"`
		Formula *string          `json:"formula"`
		Fields  []web.FieldError `json:"fields"`
	}{Valid: len(errs) == 0, Fields: web.FieldErrors(web.Lang(r), errs)}
	if f, err := progress.Parse(ind.Formula); err == nil {
		canon := f.String()
		out.Formula = &canon
	}
	web.WriteJSON(w, http.StatusOK, out)
}
