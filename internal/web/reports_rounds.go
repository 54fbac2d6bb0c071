package web

import (
	"context"
	"errors"
	"khienso/internal/reportdoc"
	"net/http"
	"strconv"
	"strings"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/reports"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// reportOption is one choice of a select or checkbox list.
type reportOption struct {
	Value, Label string
	Selected     bool
}

type reportRoundForm struct {
	Templates, Plans, Types, Statuses []reportOption
	Title, From, To, Deadline, Codes  string
	Errors                            map[string]string
	Problems                          []reportProblem
}

// reportRoundFieldIDs maps error fields to the inputs of the round form.
var reportRoundFieldIDs = map[string]string{
	"title": "round-title", "template": "round-template", "from": "round-from", "to": "round-to",
	"deadline": "round-deadline", "units": "round-codes", "status": "round-status", "plan": "round-plan",
}

func (s *Server) reportRoundForm(ctx context.Context, l i18n.Lang, vals map[string]string, types map[string]bool) (*reportRoundForm, error) {
	f := &reportRoundForm{Title: vals["title"], From: vals["from"], To: vals["to"], Deadline: vals["deadline"], Codes: vals["codes"],
		Errors: map[string]string{}}
	tpls, err := s.store.ReportTemplates(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tpls {
		id := strconv.FormatInt(t.ID, 10)
		f.Templates = append(f.Templates, reportOption{Value: id, Label: t.Name, Selected: vals["template"] == id})
	}
	plist, err := s.store.Plans(ctx, store.PlanFilter{})
	if err != nil {
		return nil, err
	}
	f.Plans = append(f.Plans, reportOption{Value: "", Label: l.T("report.round.no_plan")})
	for _, p := range plist {
		id := strconv.FormatInt(p.ID, 10)
		label := p.Title
		if p.Number != "" {
			label = p.Number + " — " + p.Title
		}
		f.Plans = append(f.Plans, reportOption{Value: id, Label: label, Selected: vals["plan"] == id})
	}
	for _, t := range units.Types {
		f.Types = append(f.Types, reportOption{Value: string(t), Label: l.T("unit.type." + string(t)), Selected: types[string(t)]})
	}
	for _, st := range []reports.RoundStatus{reports.RoundOpen, reports.RoundClosed} {
		f.Statuses = append(f.Statuses, reportOption{Value: string(st), Label: l.T("report.round.status." + string(st)),
			Selected: vals["status"] == string(st)})
	}
	return f, nil
}

func (s *Server) reportRoundNewPage(w http.ResponseWriter, r *http.Request) {
	if !s.reportRequireReviewer(w, r) {
		return
	}
	year := dates.Today().Year()
	vals := map[string]string{"from": dates.New(year, 1, 1).VN(), "to": dates.New(year, 12, 31).VN(),
		"deadline": dates.New(year, 12, 5).VN(), "status": string(reports.RoundOpen), "template": r.URL.Query().Get("template")}
	f, err := s.reportRoundForm(r.Context(), Lang(r), vals, nil)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "reports_round_form", f)
}

// reportUnitsOfTypes lists the active units of the given types, paging
// through the search (it caps a page at 1,000).
func (s *Server) reportUnitsOfTypes(ctx context.Context, types []units.Type, day dates.Date) ([]int64, error) {
	var out []int64
	for _, t := range types {
		for offset := 0; ; offset += 1000 {
			list, total, err := s.store.SearchUnits(ctx, store.UnitFilter{Type: t, Day: day, Limit: 1000, Offset: offset})
			if err != nil {
				return nil, err
			}
			for _, u := range list {
				out = append(out, u.ID)
			}
			if len(list) == 0 || offset+len(list) >= total {
				break
			}
		}
	}
	return out, nil
}

// reportRoundNewSubmit creates a round for the chosen unit types and units.
func (s *Server) reportRoundNewSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.reportRequireReviewer(w, r) || !s.ParseForm(w, r, reportMaxForm) {
		return
	}
	ctx := r.Context()
	l := Lang(r)
	vals := unitFormValues(r, "template", "plan", "title", "from", "to", "deadline", "status", "codes")
	types := map[string]bool{}
	var typeList []units.Type
	for _, t := range r.PostForm["types"] {
		if units.Type(t).Valid() && !types[t] {
			types[t] = true
			typeList = append(typeList, units.Type(t))
		}
	}
	var errs validation.Errors
	rd := &reports.Round{Title: vals["title"], Status: reports.RoundStatus(vals["status"])}
	rd.TemplateID, _ = strconv.ParseInt(vals["template"], 10, 64)
	rd.PlanID, _ = strconv.ParseInt(vals["plan"], 10, 64)
	for _, d := range []struct {
		field string
		to    *dates.Date
	}{{"from", &rd.From}, {"to", &rd.To}, {"deadline", &rd.Deadline}} {
		v, err := dates.Parse(strings.TrimSpace(vals[d.field]))
		if err != nil {
			errs.Add(d.field, "err.date")
			continue
		}
		*d.to = v
	}
	today := dates.Today()
	ids, err := s.reportUnitsOfTypes(ctx, typeList, today)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for _, code := range strings.FieldsFunc(vals["codes"], func(c rune) bool { return c == ',' || c == ';' || c == '\n' || c == '\r' }) {
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		u, err := s.store.UnitByCode(ctx, code, today)
		if errors.Is(err, store.ErrNotFound) {
			errs.Add("units", "report.err.unknown_unit", code)
			continue
		} else if err != nil {
			s.Fail(w, r, err)
			return
		}
		ids = append(ids, u.ID)
	}
	rd.Units = ids
	if len(errs) == 0 {
		err = s.store.CreateRound(ctx, s.actor(r), rd)
		if !errors.As(err, &errs) && err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		f, ferr := s.reportRoundForm(ctx, l, vals, types)
		if ferr != nil {
			s.Fail(w, r, ferr)
			return
		}
		for _, e := range errs {
			if _, seen := f.Errors[e.Field]; !seen {
				f.Errors[e.Field] = l.T(e.Reason, e.Args...)
			}
		}
		f.Problems = reportMessages(l, errs, func(field string) string { return reportRoundFieldIDs[field] })
		s.Render(w, r, http.StatusUnprocessableEntity, "reports_round_form", f)
		return
	}
	http.Redirect(w, r, "/reports/rounds/"+strconv.FormatInt(rd.ID, 10)+"?done=created", http.StatusSeeOther)
}

// ---------------------------------------------------------------- round page

type reportRoundData struct {
	Round        *reports.Round
	Rows         []reportRoundRow
	Completeness reports.Completeness
	Percent      string
	Counts       []reportStatusCount
	Filter       string
	Notice       string
	Today        dates.Date
}

// reportRoundRow is a unit's line with its submission day in dd/mm/yyyy.
type reportRoundRow struct {
	store.RoundUnitStatus
	Day string
}

type reportStatusCount struct {
	Status   reports.Status
	Count    int
	Selected bool
}

// reportRoundPage shows a round's completeness and every required unit.
func (s *Server) reportRoundPage(w http.ResponseWriter, r *http.Request) {
	if !s.reportRequireReviewer(w, r) {
		return
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	ctx := r.Context()
	rd, err := s.store.Round(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	today := dates.Today()
	rows, c, err := s.store.RoundProgress(ctx, rd, today)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := &reportRoundData{Round: rd, Completeness: c, Percent: reportdoc.Number(c.Percent()), Today: today}
	filter := reports.Status(r.URL.Query().Get("status"))
	for _, st := range reports.Statuses {
		d.Counts = append(d.Counts, reportStatusCount{Status: st, Count: c.ByStatus[st], Selected: st == filter})
		if st == filter {
			d.Filter = string(st)
		}
	}
	for _, row := range rows {
		if d.Filter == "" || string(row.Status) == d.Filter {
			rr := reportRoundRow{RoundUnitStatus: row}
			if row.SubmittedAt != "" && row.Status != reports.StatusDraft {
				rr.Day = dates.Of(store.ParseTime(row.SubmittedAt).In(dates.Vietnam)).VN()
			}
			d.Rows = append(d.Rows, rr)
		}
	}
	switch r.URL.Query().Get("done") {
	case "created":
		d.Notice = Lang(r).T("report.round.created")
	case "status":
		d.Notice = Lang(r).T("report.round.status_saved")
	}
	s.Render(w, r, http.StatusOK, "reports_round", d)
}

// reportRoundStatusSubmit opens or closes a round.
func (s *Server) reportRoundStatusSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.reportRequireReviewer(w, r) || !s.ParseForm(w, r, reportMaxForm) {
		return
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	st := reports.RoundStatus(r.PostFormValue("status"))
	if st != reports.RoundOpen && st != reports.RoundClosed {
		s.Fail(w, r, BadRequest(validation.Errors{{Field: "status", Reason: "err.invalid"}}))
		return
	}
	if err := s.store.SetRoundStatus(r.Context(), s.actor(r), id, st); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/reports/rounds/"+strconv.FormatInt(id, 10)+"?done=status", http.StatusSeeOther)
}

// reportRoundFor loads the round and checks the caller may see unit's
// submission in it: the unit's own staff (report.read in its subtree) or a
// reviewer. Anyone else gets 403, so drafts stay within the unit.
func (s *Server) reportRoundFor(w http.ResponseWriter, r *http.Request) (*reports.Round, int64, bool) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return nil, 0, false
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return nil, 0, false
	}
	unit, err := PathID(r, "unit")
	if err != nil {
		s.Fail(w, r, err)
		return nil, 0, false
	}
	if !reportReviewer(p) && !s.require(w, r, auth.ReportRead, unit) {
		return nil, 0, false
	}
	rd, err := s.store.Round(r.Context(), id)
	if err != nil {
		s.Fail(w, r, err)
		return nil, 0, false
	}
	for _, u := range rd.Units {
		if u == unit {
			return rd, unit, true
		}
	}
	s.Fail(w, r, ErrNotFound)
	return nil, 0, false
}
