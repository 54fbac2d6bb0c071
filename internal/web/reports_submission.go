package web

import (
	"errors"
	"khienso/internal/reportdoc"
	"net/http"
	"strings"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/progress"
	"khienso/internal/reports"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// reportFieldRow is one numeric field of the submission form.
type reportFieldRow struct {
	Field     reports.Field
	Value     string
	Suggested string // from the prefill formula, "" without one
	Error     string
}

// reportSectionRow is one narrative section of the submission form.
type reportSectionRow struct {
	Section reports.Section
	Text    string
	Error   string
}

// reportEventRow is a history step with its time in Vietnam.
type reportEventRow struct {
	store.ReportEvent
	When string
}

type reportSubmissionData struct {
	Round        *reports.Round
	Sub          *reports.Submission
	Fields       []reportFieldRow
	Sections     []reportSectionRow
	Events       []reportEventRow
	Editable     bool // the unit may save or submit now
	Review       bool // the caller may accept or return now
	Reopen       bool // the caller may take back an acceptance
	Comment      string
	CommentError string
	Problems     []reportProblem
	Conflict     bool
	Notice       string
	Late         bool
}

// reportSubmissionView builds the page for the submission as stored, or
// with the posted values when form is not nil.
func (s *Server) reportSubmissionView(r *http.Request, rd *reports.Round, unit int64, form *reportSubmissionData) (*reportSubmissionData, error) {
	ctx := r.Context()
	p := Principal(r)
	tpl, err := s.store.ReportTemplate(ctx, rd.TemplateID)
	if err != nil {
		return nil, err
	}
	sub, err := s.store.Submission(ctx, rd.ID, unit)
	if err != nil {
		return nil, err
	}
	d := &reportSubmissionData{Round: rd, Sub: sub}
	if sub.ID != 0 {
		evs, err := s.store.ReportEvents(ctx, sub.ID)
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			d.Events = append(d.Events, reportEventRow{ReportEvent: e, When: store.ParseTime(e.At).In(dates.Vietnam).Format("02/01/2006 15:04")})
		}
	}
	today := dates.Today()
	var day dates.Date
	if sub.SubmittedAt != "" {
		day = dates.Of(store.ParseTime(sub.SubmittedAt).In(dates.Vietnam))
	}
	d.Late = sub.Late(rd.Deadline, today, day)
	reviewer := reportReviewer(p)
	canSubmit, err := s.allowed(r, auth.ReportSubmit, unit)
	if err != nil {
		return nil, err
	}
	// A reviewer sees other units' reports read-only; a reviewer's own unit
	// still fills its report.
	open := sub.Status == reports.StatusMissing || sub.Status == reports.StatusDraft || sub.Status == reports.StatusReturned
	d.Editable = canSubmit && open && rd.Status == reports.RoundOpen && (!reviewer || p.UnitID == unit)
	d.Review = reviewer && sub.Status == reports.StatusSubmitted
	d.Reopen = reviewer && sub.Status == reports.StatusAccepted

	// Suggestions are computed only while the unit still fills the report.
	suggest := map[string]float64{}
	if d.Editable {
		per := progress.Period{FromYear: rd.From.Year(), ToYear: rd.To.Year()}
		for _, f := range tpl.Fields {
			if f.Prefill == "" {
				continue
			}
			v, ok, err := s.progress.Formula(ctx, f.Prefill, unit, per, today)
			if err != nil {
				s.log.Warn("report prefill", "field", f.Code, "err", err)
				continue
			}
			if ok {
				suggest[f.Code] = v
			}
		}
	}
	for _, f := range tpl.Fields {
		row := reportFieldRow{Field: f}
		if v, ok := suggest[f.Code]; ok {
			row.Suggested = reportdoc.Number(v)
		}
		switch {
		case form != nil:
			for _, x := range form.Fields {
				if x.Field.Code == f.Code {
					row.Value = x.Value
				}
			}
		case sub.Status == reports.StatusMissing:
			if v, ok := suggest[f.Code]; ok {
				row.Value = InputDecimal(v)
			}
		default:
			if v, ok := sub.Values[f.Code]; ok {
				row.Value = InputDecimal(v)
			}
		}
		d.Fields = append(d.Fields, row)
	}
	for _, sec := range tpl.Sections {
		row := reportSectionRow{Section: sec, Text: sub.Narratives[sec.Code]}
		if form != nil {
			for _, x := range form.Sections {
				if x.Section.Code == sec.Code {
					row.Text = x.Text
				}
			}
		}
		d.Sections = append(d.Sections, row)
	}
	return d, nil
}

func (s *Server) reportSubmissionPage(w http.ResponseWriter, r *http.Request) {
	rd, unit, ok := s.reportRoundFor(w, r)
	if !ok {
		return
	}
	d, err := s.reportSubmissionView(r, rd, unit, nil)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if k := r.URL.Query().Get("done"); k != "" {
		if a := reports.Action(k); a == reports.ActionSave || a == reports.ActionSubmit || a == reports.ActionReturn ||
			a == reports.ActionAccept || a == reports.ActionReopen {
			d.Notice = Lang(r).T("report.done." + k)
		}
	}
	s.Render(w, r, http.StatusOK, "reports_submission", d)
}

// reportSubmissionSubmit performs one workflow step. The unit saves or
// submits; the reviewer accepts, returns with a comment, or reopens.
func (s *Server) reportSubmissionSubmit(w http.ResponseWriter, r *http.Request) {
	rd, unit, ok := s.reportRoundFor(w, r)
	if !ok || !s.ParseForm(w, r, reportMaxForm) {
		return
	}
	p := Principal(r)
	action := reports.Action(r.PostFormValue("action"))
	switch action {
	case reports.ActionSave, reports.ActionSubmit:
		if !s.require(w, r, auth.ReportSubmit, unit) {
			return
		}
	case reports.ActionReturn, reports.ActionAccept, reports.ActionReopen:
		if !reportReviewer(p) {
			s.Fail(w, r, ErrForbidden)
			return
		}
	default:
		s.Fail(w, r, BadRequest(validation.Errors{{Field: "action", Reason: "err.invalid"}}))
		return
	}
	ctx := r.Context()
	tpl, err := s.store.ReportTemplate(ctx, rd.TemplateID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := Lang(r)
	change := store.ReportChange{Round: rd.ID, Unit: unit, Action: action, Comment: strings.TrimSpace(r.PostFormValue("comment"))}
	form := &reportSubmissionData{}
	var errs validation.Errors
	if action == reports.ActionSave || action == reports.ActionSubmit {
		change.Values, change.Narratives = map[string]float64{}, map[string]string{}
		for _, f := range tpl.Fields {
			text := r.PostFormValue("v_" + f.Code)
			form.Fields = append(form.Fields, reportFieldRow{Field: f, Value: text})
			if strings.TrimSpace(text) == "" {
				continue
			}
			v, ok := ParseDecimal(text)
			if !ok {
				errs.Add("values."+f.Code, "err.number")
				continue
			}
			change.Values[f.Code] = v
		}
		for _, sec := range tpl.Sections {
			text := strings.TrimSpace(r.PostFormValue("n_" + sec.Code))
			form.Sections = append(form.Sections, reportSectionRow{Section: sec, Text: text})
			if text != "" {
				change.Narratives[sec.Code] = text
			}
		}
	}
	if len(errs) == 0 {
		_, err = s.store.ApplyReport(ctx, s.actor(r), change)
		if err == nil {
			http.Redirect(w, r, r.URL.Path+"?done="+string(action), http.StatusSeeOther)
			return
		}
		if !errors.As(err, &errs) && !errors.Is(err, store.ErrTransition) {
			s.Fail(w, r, err)
			return
		}
	}
	if action != reports.ActionSave && action != reports.ActionSubmit {
		form = nil
	}
	d, verr := s.reportSubmissionView(r, rd, unit, form)
	if verr != nil {
		s.Fail(w, r, verr)
		return
	}
	status := http.StatusUnprocessableEntity
	if errors.Is(err, store.ErrTransition) {
		d.Conflict = true
		status = http.StatusConflict
	}
	d.Comment = change.Comment
	d.CommentError = reportFieldError(l, errs, "comment")
	for i := range d.Fields {
		d.Fields[i].Error = reportFieldError(l, errs, "values."+d.Fields[i].Field.Code)
	}
	for i := range d.Sections {
		d.Sections[i].Error = reportFieldError(l, errs, "narratives."+d.Sections[i].Section.Code)
	}
	d.Problems = reportMessages(l, errs, func(field string) string {
		switch {
		case strings.HasPrefix(field, "values."):
			return "v-" + strings.TrimPrefix(field, "values.")
		case strings.HasPrefix(field, "narratives."):
			return "n-" + strings.TrimPrefix(field, "narratives.")
		case field == "comment":
			return "report-comment"
		}
		return ""
	})
	s.Render(w, r, status, "reports_submission", d)
}
