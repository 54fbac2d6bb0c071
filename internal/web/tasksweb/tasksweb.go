// Package tasksweb is the web front of a plan's task table: the task form,
// the task page with progress updates and evidence, "my unit's tasks", the
// import of a task table from a plan's text or DOCX with its review screen,
// and the tasks API. Every rule is in tasksvc; handlers parse, call one
// service method and render.
package tasksweb

import (
	"context"
	"embed"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/plans"
	"khienso/internal/service/tasksvc"
	"khienso/internal/web"
)

//go:embed templates
var templateFS embed.FS

// maxForm bounds the body of the task form.
const maxForm = 256 << 10

type handler struct {
	*web.Server
	svc *tasksvc.Service
}

// Register adds the task pages and API routes to s.
func Register(s *web.Server, svc *tasksvc.Service) error {
	if err := s.AddPages(templateFS, "templates"); err != nil {
		return err
	}
	h := &handler{Server: s, svc: svc}
	h.pageRoutes()
	h.importRoutes()
	h.apiRoutes()
	return nil
}

func (s *handler) pageRoutes() {
	s.Handle("GET /tasks/mine", s.minePage)
	s.Handle("GET /plans/{id}/tasks/new", s.newPage)
	s.Handle("POST /plans/{id}/tasks/new", s.newSubmit)
	s.Handle("GET /tasks/{id}", s.detailPage)
	s.Handle("GET /tasks/{id}/edit", s.editPage)
	s.Handle("POST /tasks/{id}/edit", s.editSubmit)
	s.Handle("POST /tasks/{id}/delete", s.deleteSubmit)
	s.Handle("POST /tasks/{id}/updates", s.updateSubmit)
	s.Handle("GET /tasks/updates/{id}/file", s.evidenceFile)
}

// TaskRow is a task in a table, with its units named: the rows of "my
// unit's tasks" here and of the plan page's task table in plansweb.
type TaskRow struct {
	Task      *plans.Task
	Lead      []string
	Coord     []string
	Timeframe string
	Overdue   bool
}

// RowOf is t as a table row, its units named from names.
func RowOf(l i18n.Lang, names map[int64]string, t *plans.Task, today dates.Date) TaskRow {
	return TaskRow{Task: t, Lead: web.NamesOf(names, t.Lead), Coord: web.NamesOf(names, t.Coord),
		Timeframe: t.TimeframeText(l), Overdue: t.Overdue(today)}
}

// unitNames maps unit ids to names as of day (names are public).
func (s *handler) unitNames(ctx context.Context, day dates.Date) (map[int64]string, error) {
	dir, err := s.Store().UnitDirectory(ctx, day)
	if err != nil {
		return nil, err
	}
	return web.UnitNames(dir), nil
}
