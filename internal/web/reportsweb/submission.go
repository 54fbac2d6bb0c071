package reportsweb

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/service/reportsvc"
	"khienso/internal/store"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// The submission form names a figure's input "v-<code>" and a narrative's
// "n-<code>", as both the input's name and its id; the service and the API
// name them "values.<code>" and "narratives.<code>".
const (
	valuePrefix     = "v-"
	narrativePrefix = "n-"
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
	Round    *reports.Round
	Sub      *reports.Submission
	Fields   []reportFieldRow
	Sections []reportSectionRow
	Events   []reportEventRow
	// Can is what the caller may do now, as the service decided.
	Can      reportsvc.Actions
	Late     bool
	Comment  string
	Errors   web.FormErrors
	Conflict bool
	Notice   string
	// ConfirmWithdraw asks the writer to confirm a withdrawal (a page, so
	// the confirmation needs no script).
	ConfirmWithdraw bool
	// Source is the round the figures were consolidated from; Sources the
	// province's rounds the caller may fill the answer from now, the first
	// (or a refused fill's choice) selected.
	Source         *reports.Round
	Sources        []fillSource
	FillNarratives bool
}

// submissionData renders v in language l; posted, when not nil, is a form to show again
// as typed if the form is still open to the caller (a refused or outdated
// post shows the report as stored).
func submissionData(l i18n.Lang, v *reportsvc.SubmissionView, posted url.Values) *reportSubmissionData {
	d := &reportSubmissionData{Round: v.Round, Sub: v.Sub, Can: v.Can, Late: v.Late, Source: v.Source, FillNarratives: true}
	for i, src := range v.Sources {
		d.Sources = append(d.Sources, fillSource{Source: src, Selected: i == 0})
	}
	if !v.Can.Edit() {
		posted = nil
	}
	for _, e := range v.Events {
		d.Events = append(d.Events, reportEventRow{ReportEvent: e, When: store.ParseTime(e.At).In(dates.Vietnam).Format("02/01/2006 15:04")})
	}
	for _, f := range v.Template.Fields {
		row := reportFieldRow{Field: f}
		suggested, ok := v.Suggested[f.Code]
		if ok {
			row.Suggested = l.Decimal(suggested)
		}
		switch stored, has := v.Sub.Values[f.Code]; {
		case posted != nil:
			row.Value = posted.Get(valuePrefix + f.Code)
		case v.Sub.Status == reports.StatusMissing && ok:
			row.Value = web.InputDecimal(suggested)
		case has:
			row.Value = web.InputDecimal(stored)
		}
		d.Fields = append(d.Fields, row)
	}
	for _, sec := range v.Template.Sections {
		row := reportSectionRow{Section: sec, Text: v.Sub.Narratives[sec.Code]}
		if posted != nil {
			row.Text = strings.TrimSpace(posted.Get(narrativePrefix + sec.Code))
		}
		d.Sections = append(d.Sections, row)
	}
	return d
}

// showErrors puts errs beside the inputs and in the summary.
func (d *reportSubmissionData) showErrors(l i18n.Lang, errs validation.Errors) {
	refs := []web.FieldRef{{Name: "round"}, {Name: "action"}, {Name: "source", ID: "fill-source", LabelKey: "report.fill.source"}}
	labels := map[string]string{}
	for _, f := range d.Fields {
		refs = append(refs, web.FieldRef{Name: "values." + f.Field.Code, ID: valuePrefix + f.Field.Code})
		labels["#"+valuePrefix+f.Field.Code] = f.Field.Label
	}
	for _, sec := range d.Sections {
		refs = append(refs, web.FieldRef{Name: "narratives." + sec.Section.Code, ID: narrativePrefix + sec.Section.Code})
		labels["#"+narrativePrefix+sec.Section.Code] = sec.Section.Title
	}
	refs = append(refs, web.FieldRef{Name: "comment", ID: "report-comment", LabelKey: "report.sub.comment"})
	d.Errors = web.NewFormErrors(l, errs, refs)
	for i := range d.Errors.Problems {
		if p := &d.Errors.Problems[i]; p.Label == "" {
			p.Label = labels[p.Target]
		}
	}
	for i := range d.Fields {
		d.Fields[i].Error = d.Errors.Of("values." + d.Fields[i].Field.Code)
	}
	for i := range d.Sections {
		d.Sections[i].Error = d.Errors.Of("narratives." + d.Sections[i].Section.Code)
	}
}

func (s *handler) reportSubmissionPage(w http.ResponseWriter, r *http.Request) {
	round, unit, err := pathIDs(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v, err := s.svc.Submission(r.Context(), s.Caller(r), round, unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := submissionData(web.Lang(r), v, nil)
	if a := reports.Action(r.URL.Query().Get("done")); a.Valid() || a == reports.ActionFill {
		d.Notice = web.Lang(r).T("report.done." + string(a))
	}
	d.ConfirmWithdraw = v.Can.Withdraw && r.URL.Query().Get("confirm") == string(reports.ActionWithdraw)
	s.Render(w, r, http.StatusOK, "reports_submission", d)
}

// formContent reads the posted figures and narratives; figures that are
// not numbers are errors.
func formContent(form url.Values) (map[string]float64, map[string]string, validation.Errors) {
	values, narratives := map[string]float64{}, map[string]string{}
	var errs validation.Errors
	for key, vs := range form {
		text := strings.TrimSpace(strings.Join(vs, ""))
		switch {
		case text == "":
		case strings.HasPrefix(key, valuePrefix):
			code := strings.TrimPrefix(key, valuePrefix)
			v, ok := web.ParseDecimal(text)
			if !ok {
				errs.Add("values."+code, "err.number")
				continue
			}
			values[code] = v
		case strings.HasPrefix(key, narrativePrefix):
			narratives[strings.TrimPrefix(key, narrativePrefix)] = text
		}
	}
	return values, narratives, errs
}

// reportSubmissionSubmit takes one workflow step: the unit saves or
// submits; a reviewer accepts, returns with a comment, or reopens.
func (s *handler) reportSubmissionSubmit(w http.ResponseWriter, r *http.Request) {
	round, unit, err := pathIDs(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	ctx, actor, l := r.Context(), s.Caller(r), web.Lang(r)
	step := reportsvc.Step{Round: round, Unit: unit, Step: reports.Step{Action: reports.Action(r.PostFormValue("action")),
		Comment: r.PostFormValue("comment")}}
	var posted url.Values
	if step.Action.Edits() {
		posted = r.PostForm
		step.Values, step.Narratives, step.Unreadable = formContent(r.PostForm)
	}
	v, err := s.svc.Apply(ctx, actor, step)
	if err == nil {
		http.Redirect(w, r, r.URL.Path+"?done="+string(step.Action), http.StatusSeeOther)
		return
	}
	var errs validation.Errors
	var ref *reportsvc.Refusal
	status := http.StatusUnprocessableEntity
	switch {
	case v == nil:
		s.fail(w, r, err)
		return
	case errors.As(err, &errs):
	case errors.Is(err, service.ErrConflict):
		status = http.StatusConflict
	case errors.As(err, &ref):
		status, errs = http.StatusForbidden, validation.Errors{{Field: "", Reason: ref.Key}}
	default:
		s.fail(w, r, err)
		return
	}
	d := submissionData(web.Lang(r), v, posted)
	d.Conflict = status == http.StatusConflict
	d.Comment = strings.TrimSpace(step.Comment)
	d.showErrors(l, errs)
	s.Render(w, r, status, "reports_submission", d)
}
