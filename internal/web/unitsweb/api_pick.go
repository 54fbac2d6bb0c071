package unitsweb

import (
	"errors"
	"net/http"
	"strings"

	"khienso/internal/i18n"
	"khienso/internal/service/unitsvc"
	"khienso/internal/textnorm"
	"khienso/internal/units"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// apiPickUnit is a unit as the picker shows it: its public fields, its
// type's name and its name cut into the runs that match the query.
type apiPickUnit struct {
	ID         int64              `json:"id"`
	Code       string             `json:"code"`
	Name       string             `json:"name"`
	Type       units.Type         `json:"type"`
	TypeLabel  string             `json:"type_label"`
	ChildCount int                `json:"child_count"`
	Segments   []textnorm.Segment `json:"segments"`
}

// apiPickGroup is a group of units the purpose accepts, named for a reader
// ("Tất cả xã, phường của tỉnh (130)").
type apiPickGroup struct {
	Type  units.Type `json:"type"`
	Count int        `json:"count"`
	Label string     `json:"label"`
}

type apiPickResponse struct {
	Query  string         `json:"query"`
	Total  int            `json:"total"`
	Parent *apiPickUnit   `json:"parent"`
	Up     int64          `json:"up,omitempty"`
	Groups []apiPickGroup `json:"groups"`
	Units  []apiPickUnit  `json:"units"`
}

func pickUnitOf(l i18n.Lang, u *units.Unit, query string) apiPickUnit {
	return apiPickUnit{ID: u.ID, Code: u.Code, Name: u.Name, Type: u.Type, TypeLabel: l.T("unit.type." + string(u.Type)),
		ChildCount: u.ChildCount, Segments: textnorm.Highlight(u.Name, query)}
}

// apiUnitPick answers the unit picker's type-ahead and browsing: the units
// the caller may choose for a purpose, matching q or under parent.
func (s *handler) apiUnitPick(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var errs validation.Errors
	in := unitsvc.PickQuery{Purpose: unitsvc.Purpose(q.Get("purpose")), Query: strings.TrimSpace(q.Get("q")),
		Parent: web.QueryID(q, "parent", &errs)}
	if len(errs) > 0 {
		s.Fail(w, r, web.BadRequest(errs))
		return
	}
	p, err := s.svc.Pick(r.Context(), s.Caller(r), in)
	if err != nil {
		// The purpose is a query parameter: a bad one is a bad request.
		var verrs validation.Errors
		if errors.As(err, &verrs) {
			err = web.BadRequest(verrs)
		}
		s.Fail(w, r, err)
		return
	}
	l := web.Lang(r)
	out := apiPickResponse{Query: in.Query, Total: p.Total, Up: p.Up, Groups: []apiPickGroup{}, Units: []apiPickUnit{}}
	if p.Parent != nil {
		v := pickUnitOf(l, p.Parent, "")
		out.Parent = &v
	}
	for _, g := range p.Groups {
		out.Groups = append(out.Groups, apiPickGroup{Type: g.Type, Count: g.Count, Label: web.PickGroupLabel(l, g.Type, g.Count)})
	}
	for _, u := range p.Units {
		out.Units = append(out.Units, pickUnitOf(l, u, in.Query))
	}
	web.WriteJSON(w, http.StatusOK, out)
}
