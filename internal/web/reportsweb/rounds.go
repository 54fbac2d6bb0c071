package reportsweb

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/provincemap"
	"khienso/internal/reports"
	"khienso/internal/service/reportsvc"
	"khienso/internal/service/unitsvc"
	"khienso/internal/settings"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
	"khienso/internal/web"
)

type reportRoundForm struct {
	Templates, Plans, Statuses       []web.Option
	Units                            *web.Picker
	Title, From, To, Deadline, Codes string
	SignOff                          signOffFields
	Errors                           web.FormErrors
}

// signOffFields are a round's own signer and recipients as typed.
type signOffFields struct {
	Authority, SignerName, Recipients string
}

func signOffFieldsOf(o settings.SignOff) signOffFields {
	return signOffFields{Authority: strings.Join(o.Authority, "\n"), SignerName: o.SignerName, Recipients: strings.Join(o.Recipients, "\n")}
}

// signOffOf reads a posted sign-off (one line per authority line and per
// recipient).
func signOffOf(r *http.Request) (settings.SignOff, signOffFields) {
	f := signOffFields{Authority: r.PostFormValue("signer_authority"), SignerName: r.PostFormValue("signer_name"),
		Recipients: r.PostFormValue("recipients")}
	return settings.SignOff{Authority: settings.Lines(f.Authority), SignerName: f.SignerName, Recipients: settings.Lines(f.Recipients)}, f
}

// signOffFieldRefs are the sign-off inputs, for error summaries.
var signOffFieldRefs = []web.FieldRef{
	{Name: "signer_authority", ID: "round-signer_authority", LabelKey: "settings.field.signer_authority"},
	{Name: "signer_name", ID: "round-signer_name", LabelKey: "settings.field.signer_name"},
	{Name: "recipients", ID: "round-recipients", LabelKey: "settings.field.recipients"},
}

// reportRoundFields are the round form's inputs, for its error summary.
var reportRoundFields = []web.FieldRef{
	{Name: "template", ID: "round-template", LabelKey: "report.round.template"},
	{Name: "plan", ID: "round-plan", LabelKey: "report.round.plan"},
	{Name: "title", ID: "round-title", LabelKey: "report.round.title"},
	{Name: "from", ID: "round-from", LabelKey: "report.round.from"},
	{Name: "to", ID: "round-to", LabelKey: "report.round.to"},
	{Name: "deadline", ID: "round-deadline", LabelKey: "report.round.deadline"},
	{Name: "types", ID: "round-units-search", LabelKey: "report.round.units"},
	{Name: "units", ID: "round-codes", LabelKey: "report.round.codes"},
	{Name: "status", ID: "round-status", LabelKey: "report.round.status"},
	signOffFieldRefs[0], signOffFieldRefs[1], signOffFieldRefs[2],
}

// roundPicker chooses a round's units: groups of every unit of a type
// (submitted as types) or units (ids).
var roundPicker = web.PickerSpec{ID: "round-units", Name: "units", GroupName: "types", Purpose: unitsvc.PickRound, Multiple: true}

func (s *handler) reportRoundFormOf(r *http.Request, opts *reportsvc.RoundOptions, vals map[string]string, types, chosen []string) (*reportRoundForm, error) {
	l := web.Lang(r)
	f := &reportRoundForm{Title: vals["title"], From: vals["from"], To: vals["to"], Deadline: vals["deadline"], Codes: vals["codes"]}
	for _, t := range opts.Templates {
		id := strconv.FormatInt(t.ID, 10)
		f.Templates = append(f.Templates, web.Option{Value: id, Label: t.Name, Selected: vals["template"] == id})
	}
	f.Plans = append(f.Plans, web.Option{Value: "", Label: l.T("report.round.no_plan")})
	for _, p := range opts.Plans {
		id := strconv.FormatInt(p.ID, 10)
		label := p.Title
		if p.Number != "" {
			label = p.Number + " — " + p.Title
		}
		f.Plans = append(f.Plans, web.Option{Value: id, Label: label, Selected: vals["plan"] == id})
	}
	f.Statuses = web.Choices(l, []reports.RoundStatus{reports.RoundOpen, reports.RoundClosed}, "report.round.status.", vals["status"], "")
	var err error
	f.Units, err = s.UnitPicker(r, roundPicker, chosen, types)
	return f, err
}

func (s *handler) reportRoundNewPage(w http.ResponseWriter, r *http.Request) {
	opts, err := s.svc.RoundOptions(r.Context(), s.Caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	year := opts.Today.Year()
	vals := map[string]string{"from": dates.New(year, 1, 1).VN(), "to": dates.New(year, 12, 31).VN(),
		"deadline": dates.New(year, 12, 5).VN(), "status": string(reports.RoundOpen), "template": r.URL.Query().Get("template")}
	f, err := s.reportRoundFormOf(r, opts, vals, nil, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "reports_round_form", f)
}

// reportRoundNewSubmit creates a round for the chosen unit types and units.
func (s *handler) reportRoundNewSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	ctx, actor := r.Context(), s.Caller(r)
	vals := map[string]string{}
	for _, k := range []string{"template", "plan", "title", "from", "to", "deadline", "status", "codes"} {
		vals[k] = r.PostFormValue(k)
	}
	in := reportsvc.RoundInput{TemplateID: web.FormID(r, "template"), PlanID: web.FormID(r, "plan"), Title: vals["title"],
		From: vals["from"], To: vals["to"], Deadline: vals["deadline"], Status: reports.RoundStatus(vals["status"]),
		Codes: strings.FieldsFunc(vals["codes"], func(c rune) bool { return c == ',' || c == ';' || c == '\n' || c == '\r' })}
	types, chosen := r.PostForm["types"], r.PostForm["units"]
	for _, t := range types {
		if !slices.Contains(in.Types, units.Type(t)) {
			in.Types = append(in.Types, units.Type(t))
		}
	}
	// A value that is no id reaches the service as 0, an unknown unit it
	// reports once it has decided the caller may create rounds at all.
	for _, v := range chosen {
		id, _ := strconv.ParseInt(v, 10, 64)
		in.Units = append(in.Units, id)
	}
	var signOff signOffFields
	in.SignOff, signOff = signOffOf(r)
	rd, err := s.svc.CreateRound(ctx, actor, in)
	var errs validation.Errors
	if errors.As(err, &errs) {
		opts, oerr := s.svc.RoundOptions(ctx, actor)
		if oerr != nil {
			s.fail(w, r, oerr)
			return
		}
		f, ferr := s.reportRoundFormOf(r, opts, vals, types, chosen)
		if ferr != nil {
			s.fail(w, r, ferr)
			return
		}
		f.SignOff = signOff
		f.Errors = web.NewFormErrors(web.Lang(r), errs, reportRoundFields)
		s.Render(w, r, http.StatusUnprocessableEntity, "reports_round_form", f)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/reports/rounds/"+strconv.FormatInt(rd.ID, 10)+"?done=created", http.StatusSeeOther)
}

type reportRoundData struct {
	Round        *reports.Round
	Rows         []reportRoundRow
	Completeness reports.Completeness
	Percent      string
	Counts       []reportStatusCount
	Filter       string
	Notice       string
	Today        dates.Date
	// Map shows a national round's provinces by the status of their answer.
	Map *web.ProvinceMap
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

// reportRoundPage shows a round's completeness and every required unit to
// its reviewers; a unit that reports in the round (reminders link here)
// goes to its own report.
func (s *handler) reportRoundPage(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	land, err := s.svc.Landing(r.Context(), s.Caller(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if land.Unit != 0 {
		http.Redirect(w, r, submissionPath(id, land.Unit), http.StatusSeeOther)
		return
	}
	v := land.View
	c := v.Completeness
	d := &reportRoundData{Round: v.Round, Completeness: c, Percent: web.Lang(r).Percent(c.Percent()), Today: v.Today}
	filter := reports.Status(r.URL.Query().Get("status"))
	for _, st := range reports.Statuses {
		d.Counts = append(d.Counts, reportStatusCount{Status: st, Count: c.ByStatus[st], Selected: st == filter})
		if st == filter {
			d.Filter = string(st)
		}
	}
	for _, row := range v.Units {
		if d.Filter == "" || string(row.Status) == d.Filter {
			rr := reportRoundRow{RoundUnitStatus: row}
			if row.SubmittedAt != "" && row.Status != reports.StatusDraft {
				rr.Day = dates.Of(store.ParseTime(row.SubmittedAt).In(dates.Vietnam)).VN()
			}
			d.Rows = append(d.Rows, rr)
		}
	}
	if len(v.Provinces) > 0 {
		if d.Map, err = provinceMap(web.Lang(r), v); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	switch r.URL.Query().Get("done") {
	case "created":
		d.Notice = web.Lang(r).T("report.round.created")
	case "status":
		d.Notice = web.Lang(r).T("report.round.status_saved")
	case "sign-off":
		d.Notice = web.Lang(r).T("report.signoff.saved")
	case "remind":
		q := r.URL.Query()
		n, _ := strconv.Atoi(q.Get("reminded"))
		already, _ := strconv.Atoi(q.Get("already"))
		d.Notice = web.Lang(r).T("report.remind.done", n, already)
	}
	s.Render(w, r, http.StatusOK, "reports_round", d)
}

// reportRoundStatusSubmit opens or closes a round.
func (s *handler) reportRoundStatusSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if _, err := s.svc.SetRoundStatus(r.Context(), s.Caller(r), id, reports.RoundStatus(r.PostFormValue("status"))); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/reports/rounds/"+strconv.FormatInt(id, 10)+"?done=status", http.StatusSeeOther)
}

// submissionPath is the page of unit's report in round.
func submissionPath(round, unit int64) string {
	return "/reports/rounds/" + strconv.FormatInt(round, 10) + "/units/" + strconv.FormatInt(unit, 10)
}

type reportSignOffData struct {
	Round    *reports.Round
	SignOff  signOffFields
	Province settings.SignOff // what applies where the round sets nothing
	Errors   web.FormErrors
}

// reportSignOffPage shows the round's own signer and recipients beside the
// province's.
func (s *handler) reportSignOffPage(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v, err := s.svc.RoundSignOff(r.Context(), s.Caller(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "reports_round_signoff", &reportSignOffData{Round: v.Round, SignOff: signOffFieldsOf(v.Round.SignOff), Province: v.Province})
}

// reportSignOffSubmit saves the round's own signer and recipients.
func (s *handler) reportSignOffSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	o, fields := signOffOf(r)
	_, err = s.svc.SetRoundSignOff(r.Context(), s.Caller(r), id, o)
	var errs validation.Errors
	if errors.As(err, &errs) {
		v, verr := s.svc.RoundSignOff(r.Context(), s.Caller(r), id)
		if verr != nil {
			s.fail(w, r, verr)
			return
		}
		s.Render(w, r, http.StatusUnprocessableEntity, "reports_round_signoff", &reportSignOffData{Round: v.Round, SignOff: fields,
			Province: v.Province, Errors: web.NewFormErrors(web.Lang(r), errs, signOffFieldRefs)})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/reports/rounds/"+strconv.FormatInt(id, 10)+"?done=sign-off", http.StatusSeeOther)
}

// provinceMap colours the provinces answering v's round by the status of
// their answer; a province on the map that does not report in it is grey.
func provinceMap(l i18n.Lang, v *reportsvc.RoundView) (*web.ProvinceMap, error) {
	m, err := provincemap.Load()
	if err != nil {
		return nil, err
	}
	byCode := map[string]store.RoundUnitStatus{}
	for _, row := range v.Units {
		if !v.Provinces[row.UnitID] {
			continue
		}
		if p, ok := m.Find(row.UnitCode, row.UnitName); ok {
			byCode[p.Code] = row
		}
	}
	legend := make([]web.MapLegend, 0, len(reports.Statuses)+1)
	for i := len(reports.Statuses) - 1; i >= 0; i-- {
		st := reports.Statuses[i]
		legend = append(legend, web.MapLegend{Class: "pmap-st-" + string(st), Label: l.T("report.status." + string(st))})
	}
	legend = append(legend, web.MapLegend{Class: "pmap-none", Label: l.T("report.map.absent")})
	return web.NewProvinceMap(m, l.T("report.map.label", v.Round.Title), legend, func(p provincemap.Province) web.MapShape {
		row, ok := byCode[p.Code]
		if !ok {
			return web.MapShape{Class: "pmap-none", Title: l.T("report.map.absent_one", p.Name)}
		}
		return web.MapShape{Class: "pmap-st-" + string(row.Status), Href: submissionPath(v.Round.ID, row.UnitID),
			Title: l.T("report.map.title", p.Name, l.T("report.status."+string(row.Status)))}
	}), nil
}
