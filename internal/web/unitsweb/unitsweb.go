// Package unitsweb is the unit directory's web front: the tree and search,
// a unit's page, the forms that create, edit, move, merge and close units,
// import and export, and the /api/v1/units… and /api/v1/import-jobs… API.
// Handlers read the request, call one unitsvc method and render; the rules
// are the service's.
package unitsweb

import (
	"embed"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"khienso/internal/dates"
	"khienso/internal/service/unitsvc"
	"khienso/internal/units"
	"khienso/internal/validation"
	"khienso/internal/web"
)

//go:embed templates
var templateFS embed.FS

// handler serves the unit pages and API.
type handler struct {
	*web.Server
	svc *unitsvc.Service
}

// Register adds the unit pages, templates and API routes to s.
func Register(s *web.Server, svc *unitsvc.Service) error {
	if err := s.AddPages(templateFS, "templates"); err != nil {
		return err
	}
	s.SetUnitPicker(svc)
	h := &handler{Server: s, svc: svc}
	h.routesPages()
	h.routesImport()
	h.routesAPI()
	return nil
}

// routesPages registers the directory's pages.
func (s *handler) routesPages() {
	s.Handle("GET /units", s.treePage)
	s.Handle("GET /units/new", s.newPage)
	s.Handle("POST /units/new", s.newSubmit)
	s.Handle("GET /units/merge", s.mergePage)
	s.Handle("POST /units/merge", s.mergeSubmit)
	s.Handle("GET /units/{id}", s.detailPage)
	s.Handle("GET /units/{id}/children", s.childrenFragment)
	s.Handle("GET /units/{id}/edit", s.editPage)
	s.Handle("POST /units/{id}/edit", s.editSubmit)
	s.Handle("GET /units/{id}/move", s.movePage)
	s.Handle("POST /units/{id}/move", s.moveSubmit)
	s.Handle("POST /units/{id}/close", s.closeSubmit)
}

// routesImport registers import and export.
func (s *handler) routesImport() {
	s.Handle("GET /units/import", s.importPage)
	s.Handle("POST /units/import", s.importSubmit)
	s.Handle("GET /units/import/template.xlsx", s.importTemplate)
	// Jobs sit one level down: /units/import/{id} would clash with
	// /units/{id}/children in the router.
	s.Handle("GET /units/import/jobs/{id}", s.importJobPage)
	s.Handle("GET /units/import/jobs/{id}/status", s.importJobStatus)
	s.Handle("GET /units/export", s.exportUnits)
}

// routesAPI registers the JSON API.
func (s *handler) routesAPI() {
	s.HandleAPI("GET /api/v1/units", s.apiUnitList)
	s.HandleAPI("POST /api/v1/units", s.apiUnitCreate)
	s.HandleAPI("GET /api/v1/units/tree", s.apiUnitTree)
	s.HandleAPI("GET /api/v1/units/pick", s.apiUnitPick)
	s.HandleAPI("POST /api/v1/units/merge", s.apiUnitMerge)
	s.HandleAPI("POST /api/v1/units/import", s.apiImportCreate)
	s.HandleAPI("GET /api/v1/units/export", s.apiExport)
	s.HandleAPI("GET /api/v1/units/{id}", s.apiUnitGet)
	s.HandleAPI("PATCH /api/v1/units/{id}", s.apiUnitPatch)
	s.HandleAPI("DELETE /api/v1/units/{id}", s.apiUnitDelete)
	s.HandleAPI("POST /api/v1/units/{id}/close", s.apiUnitClose)
	s.HandleAPI("POST /api/v1/units/{id}/move", s.apiUnitMove)
	s.HandleAPI("GET /api/v1/units/{id}/children", s.apiUnitChildren)
	s.HandleAPI("GET /api/v1/units/{id}/subtree", s.apiUnitSubtree)
	s.HandleAPI("GET /api/v1/import-jobs", s.apiImportJobs)
	s.HandleAPI("GET /api/v1/import-jobs/{id}", s.apiImportJob)
	s.HandleAPI("GET /api/v1/import-jobs/{id}/report", s.apiImportReport)
}

// dayParam reads a dd/mm/yyyy date; empty means today. ok is false for
// text that is not a date (today is returned then).
func (s *handler) dayParam(v string) (day dates.Date, ok bool) {
	d, err := dates.Parse(v)
	if err != nil {
		return s.svc.Today(), false
	}
	if d.IsZero() {
		return s.svc.Today(), true
	}
	return d, true
}

func sameDay(a, b dates.Date) bool { return !a.Before(b) && !a.After(b) }

// public is a copy of u holding only its public fields, so a page that
// must not show the rest cannot show it by mistake.
func public(u *units.Unit) *units.Unit {
	p := u.Public()
	return &p
}

// unitURL is the address of a unit's page, with ?done= when a change was
// just made.
func unitURL(id int64, done string) string {
	u := "/units/" + strconv.FormatInt(id, 10)
	if done != "" {
		u += "?done=" + url.QueryEscape(done)
	}
	return u
}

// formProblems sorts a change's error for a form: problems with the input
// (422) or a refusal naming inputs (403) are shown on the form; anything
// else is for Fail.
func formProblems(err error) (errs validation.Errors, status int, ok bool) {
	var rf *unitsvc.Refused
	var ve validation.Errors
	switch {
	case errors.As(err, &rf):
		return rf.Fields, http.StatusForbidden, true
	case errors.As(err, &ve):
		return ve, http.StatusUnprocessableEntity, true
	}
	return nil, 0, false
}
