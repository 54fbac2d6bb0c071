package plansweb

import (
	"net/http"
	"strconv"

	"khienso/internal/plans"
	"khienso/internal/service/plansvc"
	"khienso/internal/store"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// apiPlan is a plan as the API shows it.
type apiPlan struct {
	ID          int64   `json:"id"`
	UnitID      int64   `json:"unit_id"`
	UnitName    string  `json:"unit_name"`
	ParentID    *int64  `json:"parent_id"`
	ProgrammeID *int64  `json:"programme_id"`
	Number      string  `json:"number"`
	Title       string  `json:"title"`
	IssuedOn    *string `json:"issued_on"`
	Signer      string  `json:"signer"`
	YearFrom    int     `json:"year_from"`
	YearTo      int     `json:"year_to"`
	Objectives  string  `json:"objectives"`
	Status      string  `json:"status"`
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func apiPlanOf(p *plans.Plan) apiPlan {
	v := apiPlan{ID: p.ID, UnitID: p.UnitID, UnitName: p.UnitName, ParentID: nullID(p.ParentID), ProgrammeID: nullID(p.ProgrammeID),
		Number: p.Number, Title: p.Title, Signer: p.Signer, YearFrom: p.YearFrom, YearTo: p.YearTo, Objectives: p.Objectives,
		Status: string(p.Status)}
	if !p.IssuedOn.IsZero() {
		iso := p.IssuedOn.ISO()
		v.IssuedOn = &iso
	}
	return v
}

// apiPlanFields are the plan's own fields in a body; PATCH starts from
// the stored plan, so absent fields keep their values.
type apiPlanFields struct {
	Number     string `json:"number"`
	Title      string `json:"title"`
	IssuedOn   string `json:"issued_on"`
	Signer     string `json:"signer"`
	YearFrom   int    `json:"year_from"`
	YearTo     int    `json:"year_to"`
	Objectives string `json:"objectives"`
}

func apiFieldsOf(p *plans.Plan) apiPlanFields {
	f := apiPlanFields{Number: p.Number, Title: p.Title, Signer: p.Signer, YearFrom: p.YearFrom, YearTo: p.YearTo, Objectives: p.Objectives}
	if !p.IssuedOn.IsZero() {
		f.IssuedOn = p.IssuedOn.ISO()
	}
	return f
}

// fields converts the body; a malformed date is a field error.
func (f apiPlanFields) fields(errs *validation.Errors) plansvc.Fields {
	return plansvc.Fields{Number: f.Number, Title: f.Title, Signer: f.Signer, Objectives: f.Objectives,
		YearFrom: f.YearFrom, YearTo: f.YearTo, IssuedOn: web.ISODate("issued_on", f.IssuedOn, errs)}
}

// apiPlanList lists the plans the caller may read, with the filters of
// the list page (?level=province|unit) and more.
func (s *handler) apiPlanList(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var errs validation.Errors
	q := r.URL.Query()
	pq := plansvc.PlanQuery{Unit: web.QueryID(q, "unit_id", &errs), Parent: web.QueryID(q, "parent_id", &errs),
		Programme: web.QueryID(q, "programme_id", &errs), Status: plans.Status(q.Get("status"))}
	if pq.Status != "" && !pq.Status.Valid() {
		errs.Add("status", "err.invalid")
	}
	switch q.Get("level") {
	case "":
	case "province":
		pq.Parent = store.PlanTopLevel
	case "unit":
		pq.Parent = store.PlanImplementer
	default:
		errs.Add("level", "err.invalid")
	}
	if q.Get("level") != "" && q.Get("parent_id") != "" {
		errs.Add("level", "err.invalid") // a plan's children have one level
	}
	if v := q.Get("year"); v != "" {
		if pq.Year, err = strconv.Atoi(v); err != nil || pq.Year < 2000 || pq.Year > 2100 {
			errs.Add("year", "err.range", 2000, 2100)
		}
	}
	if len(errs) > 0 {
		s.Fail(w, r, web.BadRequest(errs))
		return
	}
	list, err := s.svc.Plans(r.Context(), s.Caller(r), pq)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	out := web.ListResponse[apiPlan]{Items: []apiPlan{}, Total: len(list), Limit: limit, Offset: offset}
	for _, p := range web.PageOf(list, limit, offset) {
		out.Items = append(out.Items, apiPlanOf(p))
	}
	web.WriteJSON(w, http.StatusOK, out)
}

func (s *handler) apiPlanGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	p, err := s.svc.Plan(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiPlanOf(p))
}

// apiPlanCreate creates a plan: blank, or with programme_id to copy the
// programme's targets as indicators; parent_id links it to the plan it
// implements.
func (s *handler) apiPlanCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		UnitID      int64  `json:"unit_id"`
		ProgrammeID int64  `json:"programme_id"`
		ParentID    int64  `json:"parent_id"`
		Status      string `json:"status"`
		apiPlanFields
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	var errs validation.Errors
	np := plansvc.NewPlan{Unit: in.UnitID, Programme: in.ProgrammeID, Parent: in.ParentID, Fields: in.fields(&errs)}
	np.Status = plans.Status(in.Status)
	if np.Status == "" {
		np.Status = plans.StatusDraft
	}
	if len(errs) > 0 {
		s.Fail(w, r, errs)
		return
	}
	p, err := s.svc.CreatePlan(r.Context(), s.Caller(r), np)
	if err != nil {
		s.Fail(w, r, bodyFields(err))
		return
	}
	web.WriteJSON(w, http.StatusCreated, apiPlanOf(p))
}

// bodyFields names the form fields of a plan's errors as the API body
// names them (unit_id, programme_id, parent_id).
func bodyFields(err error) error {
	ve, ok := invalid(err)
	if !ok {
		return err
	}
	out := make(validation.Errors, len(ve))
	for i, e := range ve {
		if e.Field == "unit" || e.Field == "programme" || e.Field == "parent" {
			e.Field += "_id"
		}
		out[i] = e
	}
	return out
}

// apiPlanPatch changes a plan's own fields; its status changes through
// POST /plans/{id}/status.
func (s *handler) apiPlanPatch(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	ctx, actor := r.Context(), s.Caller(r)
	p, err := s.svc.Plan(ctx, actor, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	in := apiFieldsOf(p)
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	var errs validation.Errors
	f := in.fields(&errs) // Status empty: kept
	if len(errs) > 0 {
		s.Fail(w, r, errs)
		return
	}
	if p, err = s.svc.UpdatePlan(ctx, actor, id, f); err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiPlanOf(p))
}

// apiPlanStatus moves a plan to another status (issuing needs issued_on,
// given here or stored).
func (s *handler) apiPlanStatus(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var in struct {
		Status   string `json:"status"`
		IssuedOn string `json:"issued_on"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	var errs validation.Errors
	issued := web.ISODate("issued_on", in.IssuedOn, &errs)
	if len(errs) > 0 {
		s.Fail(w, r, errs)
		return
	}
	p, err := s.svc.SetStatus(r.Context(), s.Caller(r), id, plans.Status(in.Status), issued)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiPlanOf(p))
}
