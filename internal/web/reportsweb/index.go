package reportsweb

import (
	"net/http"

	"khienso/internal/reports"
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
	Reviewer bool
	Mine     []reportIndexRow
	All      []reportIndexRow
}

// reportIndexPage lists, for a unit's staff, the rounds their unit reports
// in; for reviewers, every round of their province with its completeness.
func (s *handler) reportIndexPage(w http.ResponseWriter, r *http.Request) {
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
