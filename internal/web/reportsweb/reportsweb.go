// Package reportsweb serves periodic reports: the pages for templates,
// rounds, a unit's submission and the consolidated documents, and their
// JSON API. Every rule (who fills, who reviews, which step is allowed now)
// is in reportsvc; the handlers parse, call the service and render.
package reportsweb

import (
	"embed"
	"errors"
	"net/http"

	"khienso/internal/service/reportsvc"
	"khienso/internal/web"
)

//go:embed templates
var templateFS embed.FS

// maxForm bounds a posted report form (narratives may be long).
const maxForm = 1 << 20

type handler struct {
	*web.Server
	svc *reportsvc.Service
}

// Register adds the reports pages and API routes to s.
func Register(s *web.Server, svc *reportsvc.Service) error {
	if err := s.AddPages(templateFS, "templates"); err != nil {
		return err
	}
	h := &handler{Server: s, svc: svc}
	s.Handle("GET /reports", h.reportIndexPage)
	s.Handle("GET /reports/templates", h.reportTemplatesPage)
	s.Handle("GET /reports/templates/new", h.reportTemplateFormPage)
	s.Handle("POST /reports/templates/new", h.reportTemplateSubmit)
	s.Handle("GET /reports/templates/{id}", h.reportTemplateFormPage)
	s.Handle("POST /reports/templates/{id}", h.reportTemplateSubmit)
	s.Handle("GET /reports/rounds/new", h.reportRoundNewPage)
	s.Handle("POST /reports/rounds/new", h.reportRoundNewSubmit)
	s.Handle("GET /reports/rounds/{id}", h.reportRoundPage)
	s.Handle("POST /reports/rounds/{id}/status", h.reportRoundStatusSubmit)
	s.Handle("POST /reports/rounds/{id}/remind", h.reportRoundRemindSubmit)
	s.Handle("GET /reports/rounds/{id}/sign-off", h.reportSignOffPage)
	s.Handle("POST /reports/rounds/{id}/sign-off", h.reportSignOffSubmit)
	s.Handle("GET /reports/rounds/{id}/units/{unit}", h.reportSubmissionPage)
	s.Handle("POST /reports/rounds/{id}/units/{unit}", h.reportSubmissionSubmit)
	s.Handle("POST /reports/rounds/{id}/units/{unit}/fill", h.reportFillSubmit)
	s.Handle("GET /reports/rounds/{id}/report.docx", h.reportDocDOCX)
	s.Handle("GET /reports/rounds/{id}/report.pdf", h.reportDocPDF)
	s.Handle("GET /reports/rounds/{id}/figures.xlsx", h.reportFiguresXLSX)
	s.Handle("GET /reports/rounds/{id}/completeness.xlsx", h.reportCompletenessXLSX)

	s.HandleAPI("GET /api/v1/report-templates", h.apiTemplateList)
	s.HandleAPI("POST /api/v1/report-templates", h.apiTemplateCreate)
	s.HandleAPI("GET /api/v1/report-templates/{id}", h.apiTemplateGet)
	s.HandleAPI("PATCH /api/v1/report-templates/{id}", h.apiTemplatePatch)
	s.HandleAPI("GET /api/v1/report-rounds", h.apiRoundList)
	s.HandleAPI("POST /api/v1/report-rounds", h.apiRoundCreate)
	s.HandleAPI("GET /api/v1/report-rounds/{id}", h.apiRoundGet)
	s.HandleAPI("POST /api/v1/report-rounds/{id}/status", h.apiRoundStatus)
	s.HandleAPI("POST /api/v1/report-rounds/{id}/remind", h.apiRoundRemind)
	s.HandleAPI("PUT /api/v1/report-rounds/{id}/sign-off", h.apiRoundSignOff)
	s.HandleAPI("GET /api/v1/report-rounds/{id}/units", h.apiRoundUnits)
	s.HandleAPI("GET /api/v1/report-rounds/{id}/submissions/{unit}", h.apiSubmissionGet)
	s.HandleAPI("PUT /api/v1/report-rounds/{id}/submissions/{unit}", h.apiSubmissionSave)
	s.HandleAPI("POST /api/v1/report-rounds/{id}/submissions/{unit}/submit", h.apiSubmissionSubmit)
	s.HandleAPI("POST /api/v1/report-rounds/{id}/submissions/{unit}/withdraw", h.apiSubmissionWithdraw)
	s.HandleAPI("POST /api/v1/report-rounds/{id}/submissions/{unit}/return", h.apiSubmissionReturn)
	s.HandleAPI("POST /api/v1/report-rounds/{id}/submissions/{unit}/accept", h.apiSubmissionAccept)
	s.HandleAPI("POST /api/v1/report-rounds/{id}/submissions/{unit}/reopen", h.apiSubmissionReopen)
	s.HandleAPI("GET /api/v1/report-rounds/{id}/submissions/{unit}/history", h.apiSubmissionHistory)
	s.HandleAPI("GET /api/v1/report-rounds/{id}/submissions/{unit}/sources", h.apiFillSources)
	s.HandleAPI("POST /api/v1/report-rounds/{id}/submissions/{unit}/fill/preview", h.apiFillPreview)
	s.HandleAPI("POST /api/v1/report-rounds/{id}/submissions/{unit}/fill", h.apiFill)
	// The consolidated documents are the pages' downloads.
	s.HandleAPI("GET /api/v1/report-rounds/{id}/document.docx", h.reportDocDOCX)
	s.HandleAPI("GET /api/v1/report-rounds/{id}/document.pdf", h.reportDocPDF)
	s.HandleAPI("GET /api/v1/report-rounds/{id}/document.xlsx", h.reportFiguresXLSX)
	s.HandleAPI("GET /api/v1/report-rounds/{id}/completeness.xlsx", h.reportCompletenessXLSX)
	return nil
}

// fail answers err like web.Server.Fail, except that a reportsvc.Refusal
// says why it was refused (and what to do instead) rather than the generic
// "forbidden".
func (s *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ref *reportsvc.Refusal
	if errors.As(err, &ref) {
		err = web.NewHTTPError(http.StatusForbidden, "forbidden", ref.Key, nil)
	}
	s.Fail(w, r, err)
}

// pathIDs reads the round and unit of a submission's path.
func pathIDs(r *http.Request) (round, unit int64, err error) {
	if round, err = web.PathID(r, "id"); err != nil {
		return 0, 0, err
	}
	unit, err = web.PathID(r, "unit")
	return round, unit, err
}

// page slices items for ?limit= and ?offset= (lists held in memory).
func page[T any](w http.ResponseWriter, r *http.Request, s *handler, items []T) {
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, web.ListOf(items, limit, offset))
}
