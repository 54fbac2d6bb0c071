package reportsweb

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/service/reportsvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// A province answers a national round from one of its own rounds: the
// submission page offers the province's rounds (reportsvc.SubmissionView.
// Sources); choosing one shows what would be filled, and a second post
// confirms it.

// fillSource is a round offered to fill from.
type fillSource struct {
	reportsvc.Source
	Selected bool
}

// fillFigure is a figure a fill would write, beside the one stored.
type fillFigure struct {
	Field   reports.Field
	Value   string
	Current string
}

type fillConfirmData struct {
	Round      *reports.Round
	Sub        *reports.Submission
	Source     *reports.Round
	Accepted   int
	Figures    []fillFigure
	Narratives bool
	Sections   []reportSectionRow // the texts a fill with narratives writes
}

// fillInput reads a fill's form.
func fillInput(r *http.Request, round, unit int64) (reportsvc.Fill, validation.Errors) {
	in := reportsvc.Fill{Round: round, Unit: unit, Narratives: r.PostFormValue("narratives") != ""}
	var errs validation.Errors
	if v := r.PostFormValue("source"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			errs.Add("source", "err.invalid")
		}
		in.Source = id
	}
	return in, errs
}

// reportFillSubmit shows what filling the answer from the chosen round
// would write; with confirm, it fills it and returns to the answer.
func (s *handler) reportFillSubmit(w http.ResponseWriter, r *http.Request) {
	round, unit, err := pathIDs(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	ctx, actor := r.Context(), s.Caller(r)
	in, errs := fillInput(r, round, unit)
	if len(errs) > 0 {
		s.fillFailed(w, r, in, errs)
		return
	}
	if r.PostFormValue("confirm") == "" {
		pv, err := s.svc.PreviewFill(ctx, actor, in)
		if err != nil {
			s.fillFailed(w, r, in, err)
			return
		}
		d := &fillConfirmData{Round: pv.View.Round, Sub: pv.View.Sub, Source: pv.Source, Accepted: pv.Accepted, Narratives: in.Narratives}
		for _, f := range pv.View.Template.Fields {
			fig := fillFigure{Field: f, Value: web.Lang(r).Decimal(pv.Values[f.Code])}
			if v, ok := pv.View.Sub.Values[f.Code]; ok {
				fig.Current = web.Lang(r).Decimal(v)
			}
			d.Figures = append(d.Figures, fig)
		}
		if in.Narratives {
			for _, sec := range pv.View.Template.Sections {
				if text := pv.Narratives[sec.Code]; text != "" {
					d.Sections = append(d.Sections, reportSectionRow{Section: sec, Text: text})
				}
			}
		}
		s.Render(w, r, http.StatusOK, "reports_fill_confirm", d)
		return
	}
	if _, err := s.svc.Fill(ctx, actor, in); err != nil {
		s.fillFailed(w, r, in, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/reports/rounds/%d/units/%d?done=%s", round, unit, reports.ActionFill), http.StatusSeeOther)
}

// fillFailed shows the answer again with why the fill was refused: a
// wrong source or state beside the fill form, a refusal or a lost race on
// the page; anything else is the error page.
func (s *handler) fillFailed(w http.ResponseWriter, r *http.Request, in reportsvc.Fill, err error) {
	var errs validation.Errors
	status := http.StatusUnprocessableEntity
	switch {
	case errors.As(err, &errs):
	case errors.Is(err, service.ErrConflict):
		status = http.StatusConflict
	default: // a refusal says why on the error page
		s.fail(w, r, err)
		return
	}
	v, verr := s.svc.Submission(r.Context(), s.Caller(r), in.Round, in.Unit)
	if verr != nil {
		s.fail(w, r, verr)
		return
	}
	d := submissionData(web.Lang(r), v, nil)
	d.FillNarratives = in.Narratives
	for i := range d.Sources {
		d.Sources[i].Selected = d.Sources[i].Round.ID == in.Source
	}
	d.Conflict = status == http.StatusConflict
	d.showErrors(web.Lang(r), errs)
	s.Render(w, r, status, "reports_submission", d)
}
