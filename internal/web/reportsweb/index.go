package reportsweb

import (
	"net/http"

	"khienso/internal/dates"
	"khienso/internal/reports"
	"khienso/internal/units"
	"khienso/internal/web"
)

type reportIndexRow struct {
	Round        *reports.Round
	Unit         int64          // the unit reporting: the caller's, or the province it answers for
	Status       reports.Status // the caller's unit's, for units that report
	Late         bool
	Completeness reports.Completeness
	Percent      string
}

type reportIndexData struct {
	// Unit is the unit the page is narrowed to by ?unit= (from its page).
	Unit     *units.Unit
	Reviewer bool
	Mine     []reportIndexRow
	All      []reportIndexRow
}

// reportIndexPage lists, for a unit's staff, the rounds their unit reports
// in; for reviewers, every round of their province with its completeness.
func (s *handler) reportIndexPage(w http.ResponseWriter, r *http.Request) {
	if unit := web.FormID(r, "unit"); unit != 0 {
		s.unitReportsPage(w, r, unit)
		return
	}
	idx, err := s.svc.Index(r.Context(), s.Caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &reportIndexData{Reviewer: idx.Reviewer}
	for _, row := range idx.Rows {
		if row.Own != nil {
			d.Mine = append(d.Mine, reportIndexRow{Round: row.Round, Unit: row.Own.Unit, Status: row.Own.Status, Late: row.Own.Late})
		}
		if c := row.Completeness; c != nil {
			d.All = append(d.All, reportIndexRow{Round: row.Round, Completeness: *c, Percent: web.Lang(r).Percent(c.Percent())})
		}
	}
	s.Render(w, r, http.StatusOK, "reports_index", d)
}

// unitReportsPage lists the rounds one unit reports in, with its status:
// where the unit's page links for its reports.
func (s *handler) unitReportsPage(w http.ResponseWriter, r *http.Request, unit int64) {
	ctx := r.Context()
	rows, err := s.svc.UnitRounds(ctx, s.Caller(r), unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.Store().Unit(ctx, unit, dates.Today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pub := u.Public()
	d := &reportIndexData{Unit: &pub}
	for _, row := range rows {
		d.Mine = append(d.Mine, reportIndexRow{Round: row.Round, Unit: unit, Status: row.Own.Status, Late: row.Own.Late})
	}
	s.Render(w, r, http.StatusOK, "reports_index", d)
}
