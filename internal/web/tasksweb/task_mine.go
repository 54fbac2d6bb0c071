package tasksweb

import (
	"errors"
	"net/http"
	"strconv"

	"khienso/internal/plans"
	"khienso/internal/service"
	"khienso/internal/web"
)

type mineData struct {
	UnitID   int64
	UnitName string
	Units    []web.Option // the units the caller may switch to
	Sections []mineSection
}

// mineSection is the tasks the unit leads, or those it coordinates.
type mineSection struct {
	Title string // catalogue key
	ID    string
	Rows  []TaskRow
}

// minePage lists the tasks the caller's unit (or the unit picked with
// ?unit=, for those who follow several) leads and coordinates, overdue
// ones first.
func (s *handler) minePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l := web.Lang(r)
	actor := s.Caller(r)
	unit := web.FormID(r, "unit")
	m, err := s.svc.Mine(ctx, actor, unit)
	if unit != 0 && errors.Is(err, service.ErrForbidden) {
		// A unit the caller does not follow: show their own, as the
		// picker would have.
		m, err = s.svc.Mine(ctx, actor, 0)
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	today := s.svc.Today()
	names, err := s.unitNames(ctx, today)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := &mineData{UnitID: m.Unit, UnitName: names[m.Unit]}
	for _, u := range m.Choices {
		d.Units = append(d.Units, web.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name, Selected: u.ID == m.Unit})
	}
	for _, sec := range []struct {
		role  string
		tasks []*plans.Task
	}{{"lead", m.Lead}, {"coord", m.Coord}} {
		var rows []TaskRow
		for _, t := range sec.tasks {
			rows = append(rows, RowOf(l, names, t, today))
		}
		d.Sections = append(d.Sections, mineSection{Title: "task.mine." + sec.role, ID: "mine-" + sec.role, Rows: rows})
	}
	s.Render(w, r, http.StatusOK, "tasks_mine", d)
}
