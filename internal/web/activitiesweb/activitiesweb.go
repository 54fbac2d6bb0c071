// Package activitiesweb is the web front of recorded activities: the list
// with its filters and totals, the detail, the form (new, edit), deletion,
// the XLSX/CSV import with its row-by-row report and template, and the
// /api/v1/activities endpoints. Every rule lives in activitysvc; handlers
// read the request, call the service and render.
package activitiesweb

import (
	"context"
	"embed"
	"strconv"

	"khienso/internal/activities"
	"khienso/internal/plans"
	"khienso/internal/service/activitysvc"
	"khienso/internal/store"
	"khienso/internal/web"
)

//go:embed templates
var templateFS embed.FS

const (
	// activityPageSize is how many activities a page of /activities lists.
	activityPageSize = 50
	// activityMaxForm bounds the body of an activity form.
	activityMaxForm = 64 << 10
	// activityMaxChoices is the most units offered in a select; beyond it
	// forms ask for a unit code instead (a province has thousands of units).
	activityMaxChoices = 500
)

// handler serves the activity pages and API over the core server.
type handler struct {
	*web.Server
	svc *activitysvc.Service
}

// Register adds the activity pages, their templates and the activity API
// to s.
func Register(s *web.Server, svc *activitysvc.Service) error {
	if err := s.AddPages(templateFS, "templates"); err != nil {
		return err
	}
	h := &handler{Server: s, svc: svc}
	s.Handle("GET /activities", h.activityListPage)
	s.Handle("GET /activities/new", h.activityNewPage)
	s.Handle("POST /activities/new", h.activityNewSubmit)
	s.Handle("GET /activities/import", h.activityImportPage)
	s.Handle("POST /activities/import", h.activityImportSubmit)
	s.Handle("GET /activities/import/template.xlsx", h.activityImportTemplate)
	s.Handle("GET /activities/{id}", h.activityDetailPage)
	s.Handle("GET /activities/{id}/edit", h.activityEditPage)
	s.Handle("POST /activities/{id}/edit", h.activityEditSubmit)
	s.Handle("GET /activities/{id}/delete", h.activityDeletePage)
	s.Handle("POST /activities/{id}/delete", h.activityDeleteSubmit)

	s.HandleAPI("GET /api/v1/activities", h.apiActivityList)
	s.HandleAPI("POST /api/v1/activities", h.apiActivityCreate)
	s.HandleAPI("POST /api/v1/activities/import", h.apiActivityImport)
	s.HandleAPI("GET /api/v1/activities/import/template.xlsx", h.activityImportTemplate) // the page's handler: Fail answers JSON under /api/
	s.HandleAPI("GET /api/v1/activities/{id}", h.apiActivityGet)
	s.HandleAPI("PATCH /api/v1/activities/{id}", h.apiActivityPatch)
	s.HandleAPI("DELETE /api/v1/activities/{id}", h.apiActivityDelete)
	return nil
}

// activityFigures are reach figures as ints, for the num template func.
type activityFigures struct {
	Quantity, Participants, Views, Copies, Communes int
}

func activityFiguresOf(a *activities.Activity) activityFigures {
	return activityFigures{int(a.Quantity), int(a.Participants), int(a.Views), int(a.Copies), int(a.Communes)}
}

// activityTaskOption is a task an activity serves or may serve.
type activityTaskOption struct {
	ID      int64
	Label   string
	Plan    string
	Checked bool
}

func activityTaskLabel(t *plans.Task) string {
	label := t.Content
	if r := []rune(label); len(r) > 160 {
		label = string(r[:160]) + "…"
	}
	if t.Number != "" {
		label = t.Number + ". " + label
	}
	return label
}

// activityUnitOptions lists the units under root (0: all) as select
// options, or nil when there are too many for a select; emptyLabel, when
// set, is a first option meaning "none". Unit names are public.
func (s *handler) activityUnitOptions(ctx context.Context, root, selected int64, emptyLabel string) ([]web.Option, error) {
	list, total, err := s.Store().SearchUnits(ctx, store.UnitFilter{Within: root, Day: s.svc.Today(), Limit: activityMaxChoices})
	if err != nil {
		return nil, err
	}
	if total > activityMaxChoices {
		return nil, nil
	}
	opts := []web.Option{}
	if emptyLabel != "" {
		opts = append(opts, web.Option{Value: "", Label: emptyLabel, Selected: selected == 0})
	}
	for _, u := range list {
		opts = append(opts, web.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name + " (" + u.Code + ")", Selected: u.ID == selected})
	}
	return opts, nil
}
