// Package plansweb is the plans capability's web front: the plan list,
// form and page, indicator editing, the indicator dashboard with its
// breakdowns and spreadsheet exports, and the JSON API for programmes,
// plans, indicator definitions and values. Every rule is in plansvc; the
// handlers parse, call one service method and render.
package plansweb

import (
	"embed"
	"errors"
	"net/http"

	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/service/plansvc"
	"khienso/internal/web"
)

//go:embed templates
var templateFS embed.FS

// maxForm bounds the body of plan and indicator forms.
const maxForm = 256 << 10

// handler serves the plans pages and API on the core server.
type handler struct {
	*web.Server
	svc *plansvc.Service
}

// Register adds the plans pages, the dashboard and the plans API to s.
func Register(s *web.Server, svc *plansvc.Service) error {
	if err := s.AddPages(templateFS, "templates"); err != nil {
		return err
	}
	h := &handler{Server: s, svc: svc}
	h.routesPages()
	h.routesAPI()
	return nil
}

func (s *handler) routesPages() {
	s.Handle("GET /plans", s.listPage)
	s.Handle("GET /plans/new", s.newPage)
	s.Handle("POST /plans/new", s.newSubmit)
	s.Handle("GET /plans/{id}", s.detailPage)
	s.Handle("GET /plans/{id}/edit", s.editPage)
	s.Handle("POST /plans/{id}/edit", s.editSubmit)
	s.Handle("POST /plans/{id}/indicators", s.indicatorSubmit)
	s.Handle("POST /plans/{id}/indicators/{ind}/delete", s.indicatorDelete)

	s.Handle("GET /plans/{id}/dashboard", s.dashPage)
	s.Handle("GET /plans/{id}/dashboard.xlsx", s.dashXLSX)
	s.Handle("GET /plans/{id}/provinces", s.provincesPage)
	s.Handle("GET /plans/{id}/indicators/{ind}/breakdown", s.breakdownPage)
	s.Handle("GET /plans/{id}/indicators/{ind}/breakdown.xlsx", s.breakdownXLSX)
}

func (s *handler) routesAPI() {
	s.HandleAPI("GET /api/v1/programmes", s.apiProgrammeList)
	s.HandleAPI("GET /api/v1/programmes/{id}", s.apiProgrammeGet)

	s.HandleAPI("GET /api/v1/plans", s.apiPlanList)
	s.HandleAPI("POST /api/v1/plans", s.apiPlanCreate)
	s.HandleAPI("GET /api/v1/plans/{id}", s.apiPlanGet)
	s.HandleAPI("PATCH /api/v1/plans/{id}", s.apiPlanPatch)
	s.HandleAPI("POST /api/v1/plans/{id}/status", s.apiPlanStatus)

	s.HandleAPI("GET /api/v1/plans/{id}/indicator-definitions", s.apiDefinitionList)
	s.HandleAPI("POST /api/v1/plans/{id}/indicator-definitions", s.apiDefinitionCreate)
	s.HandleAPI("GET /api/v1/indicators/{id}", s.apiDefinitionGet)
	s.HandleAPI("PATCH /api/v1/indicators/{id}", s.apiDefinitionPatch)
	s.HandleAPI("DELETE /api/v1/indicators/{id}", s.apiDefinitionDelete)
	s.HandleAPI("POST /api/v1/indicators/check", s.apiDefinitionCheck)

	s.HandleAPI("GET /api/v1/plans/{id}/indicators", s.apiValues)
	s.HandleAPI("GET /api/v1/plans/{id}/indicators.xlsx", s.dashXLSX)
	s.HandleAPI("GET /api/v1/plans/{id}/provinces", s.apiProvinces)
	s.HandleAPI("GET /api/v1/plans/{id}/indicators/{ind}/breakdown", s.apiBreakdown)
	s.HandleAPI("GET /api/v1/plans/{id}/indicators/{ind}/breakdown.xlsx", s.breakdownXLSX)
}

// fail answers r with err; a query the service cannot answer is a bad
// request (400), not a refused form.
func (s *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var bq *plansvc.BadQuery
	if errors.As(err, &bq) {
		err = web.BadRequest(bq.Errs)
	}
	s.Fail(w, r, err)
}

// dayOf is the day a plan's units are named as of: its issue date, or
// today for a draft without one.
func (s *handler) dayOf(p *plans.Plan) dates.Date {
	if p.IssuedOn.IsZero() {
		return s.svc.Today()
	}
	return p.IssuedOn
}
