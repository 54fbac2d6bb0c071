package reportsweb

import (
	"net/http"

	"khienso/internal/reportdoc"
	"khienso/internal/reports"
)

type reportIndexRow struct {
	Round        *reports.Round
	Status       reports.Status // the caller's unit's, for units that report
	Late         bool
	Completeness reports.Completeness
	Percent      string
}

type reportIndexData struct {
	Reviewer bool
	Mine     []reportIndexRow
	All      []reportIndexRow
	UnitID   int64
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
			d.UnitID = row.Own.Unit
			d.Mine = append(d.Mine, reportIndexRow{Round: row.Round, Status: row.Own.Status, Late: row.Own.Late})
		}
		if c := row.Completeness; c != nil {
			d.All = append(d.All, reportIndexRow{Round: row.Round, Completeness: *c, Percent: reportdoc.Number(c.Percent())})
		}
	}
	s.Render(w, r, http.StatusOK, "reports_index", d)
}
