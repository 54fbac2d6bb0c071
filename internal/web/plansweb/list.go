package plansweb

import (
	"net/http"

	"khienso/internal/auth"
	"khienso/internal/plans"
	"khienso/internal/service/plansvc"
	"khienso/internal/web"
)

type planRow struct {
	Plan      *plans.Plan
	Programme string
	Parent    *plans.Plan
}

// planGroup is one table of the plan list.
type planGroup struct {
	Title string // catalogue key
	ID    string
	Rows  []planRow
}

type listData struct {
	Groups    []planGroup
	CanCreate bool
}

// listPage lists the plans the caller may read: province plans (those
// implementing no other plan) first, then units' own plans.
func (s *handler) listPage(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), s.Caller(r)
	all, err := s.svc.Plans(ctx, actor, plansvc.PlanQuery{})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	progs, err := s.svc.Programmes(ctx, actor)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	progName := map[int64]string{}
	for _, p := range progs {
		progName[p.ID] = p.Code + " — " + p.Name
	}
	byID := map[int64]*plans.Plan{}
	for _, p := range all {
		byID[p.ID] = p
	}
	data := &listData{CanCreate: web.Principal(r).Can(auth.PlanWrite),
		Groups: []planGroup{{Title: "plan.list.province", ID: "plans-province"}, {Title: "plan.list.units", ID: "plans-units"}}}
	for _, p := range all {
		// The parent shows only when it is in the caller's list too.
		row := planRow{Plan: p, Programme: progName[p.ProgrammeID], Parent: byID[p.ParentID]}
		g := &data.Groups[0]
		if !p.TopLevel() {
			g = &data.Groups[1]
		}
		g.Rows = append(g.Rows, row)
	}
	s.Render(w, r, http.StatusOK, "plans_list", data)
}
