package web

import (
	"khienso/internal/reportdoc"
	"net/http"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/reports"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// reportMaxForm bounds a posted report form (narratives may be long).
const reportMaxForm = 1 << 20

// routesReports registers the periodic report pages.
func (s *Server) routesReports() {
	s.Handle("GET /reports", s.reportIndexPage)
	s.Handle("GET /reports/templates", s.reportTemplatesPage)
	s.Handle("GET /reports/templates/new", s.reportTemplateFormPage)
	s.Handle("POST /reports/templates/new", s.reportTemplateSubmit)
	s.Handle("GET /reports/templates/{id}", s.reportTemplateFormPage)
	s.Handle("POST /reports/templates/{id}", s.reportTemplateSubmit)
	s.Handle("GET /reports/rounds/new", s.reportRoundNewPage)
	s.Handle("POST /reports/rounds/new", s.reportRoundNewSubmit)
	s.Handle("GET /reports/rounds/{id}", s.reportRoundPage)
	s.Handle("POST /reports/rounds/{id}/status", s.reportRoundStatusSubmit)
	s.Handle("GET /reports/rounds/{id}/units/{unit}", s.reportSubmissionPage)
	s.Handle("POST /reports/rounds/{id}/units/{unit}", s.reportSubmissionSubmit)
	s.Handle("GET /reports/rounds/{id}/report.docx", s.reportDocDOCX)
	s.Handle("GET /reports/rounds/{id}/report.pdf", s.reportDocPDF)
	s.Handle("GET /reports/rounds/{id}/figures.xlsx", s.reportFiguresXLSX)
	s.Handle("GET /reports/rounds/{id}/completeness.xlsx", s.reportCompletenessXLSX)
}

// reportReviewer reports whether the caller reviews reports province-wide
// (templates, rounds, accept and return).
func reportReviewer(p *auth.Principal) bool {
	province, _ := p.Scope(auth.ReportReview)
	return province
}

// reportRequireReviewer fails the request unless the caller is a reviewer.
func (s *Server) reportRequireReviewer(w http.ResponseWriter, r *http.Request) bool {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return false
	}
	if !reportReviewer(p) {
		s.Fail(w, r, ErrForbidden)
		return false
	}
	return true
}

// reportProblem is one line of a form's error summary.
type reportProblem struct {
	Target, Message string
}

// reportMessages translates errors into summary lines, linking each to the
// input id that fieldID gives for its field ("" when it has none).
func reportMessages(l i18n.Lang, errs validation.Errors, fieldID func(string) string) []reportProblem {
	out := make([]reportProblem, 0, len(errs))
	for _, e := range errs {
		p := reportProblem{Message: l.T(e.Reason, e.Args...)}
		if fieldID != nil {
			if id := fieldID(e.Field); id != "" {
				p.Target = "#" + id
			}
		}
		out = append(out, p)
	}
	return out
}

// reportFieldError is the first message for field among errs.
func reportFieldError(l i18n.Lang, errs validation.Errors, field string) string {
	for _, e := range errs {
		if e.Field == field {
			return l.T(e.Reason, e.Args...)
		}
	}
	return ""
}

// ---------------------------------------------------------------- index

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
// in; for reviewers, every round with its completeness.
func (s *Server) reportIndexPage(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	if !p.Can(auth.ReportRead) && !p.Can(auth.ReportReview) {
		s.Fail(w, r, ErrForbidden)
		return
	}
	ctx := r.Context()
	today := dates.Today()
	d := &reportIndexData{Reviewer: reportReviewer(p), UnitID: p.UnitID}
	if p.UnitID != 0 {
		list, err := s.store.Rounds(ctx, p.UnitID)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		for _, rd := range list {
			sub, err := s.store.Submission(ctx, rd.ID, p.UnitID)
			if err != nil {
				s.Fail(w, r, err)
				return
			}
			var day dates.Date
			if sub.SubmittedAt != "" {
				day = dates.Of(store.ParseTime(sub.SubmittedAt).In(dates.Vietnam))
			}
			d.Mine = append(d.Mine, reportIndexRow{Round: rd, Status: sub.Status, Late: sub.Late(rd.Deadline, today, day)})
		}
	}
	if d.Reviewer {
		list, err := s.store.Rounds(ctx, 0)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		for _, rd := range list {
			_, c, err := s.store.RoundProgress(ctx, rd, today)
			if err != nil {
				s.Fail(w, r, err)
				return
			}
			d.All = append(d.All, reportIndexRow{Round: rd, Completeness: c, Percent: reportdoc.Number(c.Percent())})
		}
	}
	s.Render(w, r, http.StatusOK, "reports_index", d)
}
