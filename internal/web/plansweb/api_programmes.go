package plansweb

import (
	"net/http"

	"khienso/internal/plans"
	"khienso/internal/web"
)

// apiProgramme is a programme template with the targets a plan made from
// it copies as indicators.
type apiProgramme struct {
	ID       int64                 `json:"id"`
	Code     string                `json:"code"`
	Name     string                `json:"name"`
	Decision string                `json:"decision"`
	YearFrom int                   `json:"year_from"`
	YearTo   int                   `json:"year_to"`
	Targets  []apiDefinitionFields `json:"targets"`
}

func apiProgrammeOf(p *plans.Programme) apiProgramme {
	v := apiProgramme{ID: p.ID, Code: p.Code, Name: p.Name, Decision: p.Decision, YearFrom: p.YearFrom, YearTo: p.YearTo,
		Targets: []apiDefinitionFields{}}
	for i := range p.Targets {
		v.Targets = append(v.Targets, definitionFieldsOf(&p.Targets[i]))
	}
	return v
}

func (s *handler) apiProgrammeList(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	list, err := s.svc.Programmes(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	out := web.ListResponse[apiProgramme]{Items: []apiProgramme{}, Total: len(list), Limit: limit, Offset: offset}
	for _, p := range web.PageOf(list, limit, offset) {
		out.Items = append(out.Items, apiProgrammeOf(p))
	}
	web.WriteJSON(w, http.StatusOK, out)
}

func (s *handler) apiProgrammeGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	p, err := s.svc.Programme(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiProgrammeOf(p))
}
