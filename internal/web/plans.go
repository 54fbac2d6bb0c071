package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// planMaxForm bounds the body of plan, indicator and task forms.
const planMaxForm = 256 << 10

// routesPlans registers the plan pages and indicator editing.
func (s *Server) routesPlans() {
	s.Handle("GET /plans", s.planListPage)
	s.Handle("GET /plans/new", s.planNewPage)
	s.Handle("POST /plans/new", s.planNewSubmit)
	s.Handle("GET /plans/{id}", s.planDetailPage)
	s.Handle("GET /plans/{id}/edit", s.planEditPage)
	s.Handle("POST /plans/{id}/edit", s.planEditSubmit)
	s.Handle("POST /plans/{id}/indicators", s.planIndicatorSubmit)
	s.Handle("POST /plans/{id}/indicators/{ind}/delete", s.planIndicatorDelete)
}

// ---------------------------------------------------------------- shared

// planOption is one choice of a select.
type planOption struct {
	Value    string
	Label    string
	Selected bool
}

// planProblem is one line of an error summary.
type planProblem struct {
	Field   string
	Message string
}

// planErrors turns validation errors into messages by field and a summary
// whose lines are prefixed by the field's label (prefix + field).
func planErrors(l i18n.Lang, errs validation.Errors, prefix string) (map[string]string, []planProblem) {
	byField := map[string]string{}
	var list []planProblem
	for _, e := range errs {
		msg := l.T(e.Reason, e.Args...)
		if _, dup := byField[e.Field]; !dup {
			byField[e.Field] = msg
		}
		label := e.Field
		if key := prefix + e.Field; i18n.Has(key) {
			label = l.T(key)
		}
		list = append(list, planProblem{Field: label, Message: msg})
	}
	return byField, list
}

// planVisible tells whether the caller may read p: staff read plans once
// issued; a draft stays with the units that may write or read its unit.
func (s *Server) planVisible(r *http.Request, p *plans.Plan) (bool, error) {
	pr := Principal(r)
	if !pr.Staff() {
		return false, nil
	}
	if p.Status != plans.StatusDraft {
		return true, nil
	}
	for _, a := range []auth.Action{auth.PlanWrite, auth.ActivityRead} {
		ok, err := s.allowed(r, a, p.UnitID)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// planLoad loads the plan named by the path value name and checks that
// the caller may read it; hidden drafts answer 404 so their existence
// does not leak.
func (s *Server) planLoad(w http.ResponseWriter, r *http.Request, name string) (*plans.Plan, bool) {
	if _, ok := s.planStaff(w, r); !ok {
		return nil, false
	}
	id, err := PathID(r, name)
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	p, err := s.store.Plan(r.Context(), id)
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	ok, err := s.planVisible(r, p)
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	if !ok {
		s.Fail(w, r, ErrNotFound)
		return nil, false
	}
	return p, true
}

// planStaff fails the request unless a staff member is signed in.
func (s *Server) planStaff(w http.ResponseWriter, r *http.Request) (*auth.Principal, bool) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return nil, false
	}
	if !p.Staff() {
		s.Fail(w, r, ErrForbidden)
		return nil, false
	}
	return p, true
}

// planUnitNames maps unit ids to names as of day.
func (s *Server) planUnitNames(ctx context.Context, day dates.Date) (map[int64]string, []store.DirectoryUnit, error) {
	dir, err := s.store.UnitDirectory(ctx, day)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[int64]string, len(dir))
	for _, u := range dir {
		names[u.ID] = u.Name
	}
	return names, dir, nil
}

// planDay is the day a plan's units are looked up on: its issue date, or
// today for a draft without one.
func planDay(p *plans.Plan) dates.Date {
	if p.IssuedOn.IsZero() {
		return dates.Today()
	}
	return p.IssuedOn
}

// ---------------------------------------------------------------- list

type planRow struct {
	Plan      *plans.Plan
	Programme string
	Parent    *plans.Plan
}

// planGroup is one table of the plan list.
type planGroup struct {
	Title string // catalogue key
	ID    string
	Rows  []planRow
}

type planListData struct {
	Groups    []planGroup
	CanCreate bool
}

// planListPage lists the plans the caller may read: province plans (those
// implementing no other plan) first, then units' own plans.
func (s *Server) planListPage(w http.ResponseWriter, r *http.Request) {
	pr, ok := s.planStaff(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	all, err := s.store.Plans(ctx, store.PlanFilter{})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	progs, err := s.store.Programmes(ctx)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	progName := map[int64]string{}
	for _, p := range progs {
		progName[p.ID] = p.Code + " — " + p.Name
	}
	byID := map[int64]*plans.Plan{}
	for _, p := range all {
		byID[p.ID] = p
	}
	data := &planListData{CanCreate: pr.Can(auth.PlanWrite),
		Groups: []planGroup{{Title: "plan.list.province", ID: "plans-province"}, {Title: "plan.list.units", ID: "plans-units"}}}
	for _, p := range all {
		vis, err := s.planVisible(r, p)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		if !vis {
			continue
		}
		row := planRow{Plan: p, Programme: progName[p.ProgrammeID], Parent: byID[p.ParentID]}
		g := &data.Groups[0]
		if p.ParentID != 0 {
			g = &data.Groups[1]
		}
		g.Rows = append(g.Rows, row)
	}
	s.Render(w, r, http.StatusOK, "plans_list", data)
}

// ---------------------------------------------------------------- create / edit

type planFormData struct {
	Edit       bool
	Action     string
	Plan       *plans.Plan
	Values     url.Values
	Units      []planOption // empty when the unit is fixed
	UnitName   string
	Programmes []planOption
	Parents    []planOption
	Statuses   []planOption
	Errs       map[string]string
	Problems   []planProblem
}

func (s *Server) planFormData(r *http.Request, pr *auth.Principal, v url.Values, edit *plans.Plan) (*planFormData, error) {
	ctx := r.Context()
	l := Lang(r)
	d := &planFormData{Values: v, Errs: map[string]string{}}
	if edit != nil {
		d.Edit, d.Plan, d.Action = true, edit, fmt.Sprintf("/plans/%d/edit", edit.ID)
	} else {
		d.Action = "/plans/new"
		province, _ := pr.Scope(auth.PlanWrite)
		if province {
			_, dir, err := s.planUnitNames(ctx, dates.Today())
			if err != nil {
				return nil, err
			}
			sel := v.Get("unit")
			if sel == "" {
				sel = strconv.FormatInt(pr.UnitID, 10)
			}
			for _, u := range dir {
				if u.Closed {
					continue
				}
				id := strconv.FormatInt(u.ID, 10)
				d.Units = append(d.Units, planOption{Value: id, Label: u.Name + " (" + u.Code + ")", Selected: id == sel})
			}
		} else {
			u, err := s.store.Unit(ctx, pr.UnitID, dates.Today())
			if err != nil {
				return nil, err
			}
			d.UnitName = u.Name
		}
		progs, err := s.store.Programmes(ctx)
		if err != nil {
			return nil, err
		}
		d.Programmes = append(d.Programmes, planOption{Value: "", Label: l.T("plan.form.no_programme")})
		for _, p := range progs {
			id := strconv.FormatInt(p.ID, 10)
			d.Programmes = append(d.Programmes, planOption{Value: id, Label: p.Code + " — " + p.Name, Selected: v.Get("programme") == id})
		}
		tops, err := s.store.Plans(ctx, store.PlanFilter{Parent: -1})
		if err != nil {
			return nil, err
		}
		d.Parents = append(d.Parents, planOption{Value: "", Label: l.T("plan.form.no_parent")})
		for _, p := range tops {
			if p.Status == plans.StatusDraft {
				continue
			}
			id := strconv.FormatInt(p.ID, 10)
			d.Parents = append(d.Parents, planOption{Value: id, Label: p.Number + " — " + p.Title, Selected: v.Get("parent") == id})
		}
	}
	for _, st := range plans.Statuses {
		d.Statuses = append(d.Statuses, planOption{Value: string(st), Label: l.T("plan.status." + string(st)), Selected: v.Get("status") == string(st)})
	}
	return d, nil
}

// planFromForm reads the typed fields; errors are about values that are
// not numbers or dates (the rest is checked by Plan.Validate).
func planFromForm(v url.Values, p *plans.Plan) validation.Errors {
	var errs validation.Errors
	p.Number, p.Title, p.Signer = v.Get("number"), v.Get("title"), v.Get("signer")
	p.Objectives = strings.TrimSpace(v.Get("objectives"))
	p.Status = plans.Status(v.Get("status"))
	p.IssuedOn = dates.Date{}
	if s := strings.TrimSpace(v.Get("issued_on")); s != "" {
		d, err := dates.Parse(s)
		if err != nil {
			errs.Add("issued_on", "err.date")
		} else {
			p.IssuedOn = d
		}
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"year_from", &p.YearFrom}, {"year_to", &p.YearTo}} {
		*f.dst = 0
		if s := strings.TrimSpace(v.Get(f.name)); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				errs.Add(f.name, "plan.err.year")
			} else {
				*f.dst = n
			}
		}
	}
	return errs
}

func (s *Server) planNewPage(w http.ResponseWriter, r *http.Request) {
	pr, ok := s.planStaff(w, r)
	if !ok {
		return
	}
	if !pr.Can(auth.PlanWrite) {
		s.Fail(w, r, ErrForbidden)
		return
	}
	v := url.Values{"status": {string(plans.StatusDraft)}}
	if parent := r.URL.Query().Get("parent"); parent != "" {
		v.Set("parent", parent)
	}
	d, err := s.planFormData(r, pr, v, nil)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "plans_form", d)
}

func (s *Server) planNewSubmit(w http.ResponseWriter, r *http.Request) {
	pr, ok := s.planStaff(w, r)
	if !ok {
		return
	}
	if !s.ParseForm(w, r, planMaxForm) {
		return
	}
	ctx := r.Context()
	v := r.PostForm
	p := &plans.Plan{UnitID: pr.UnitID}
	if province, _ := pr.Scope(auth.PlanWrite); province {
		if id, err := strconv.ParseInt(v.Get("unit"), 10, 64); err == nil && id > 0 {
			p.UnitID = id
		}
	}
	if !s.require(w, r, auth.PlanWrite, p.UnitID) {
		return
	}
	errs := planFromForm(v, p)
	var inds []plans.Indicator
	if id, err := strconv.ParseInt(v.Get("programme"), 10, 64); err == nil && id > 0 {
		prog, err := s.store.Programme(ctx, id)
		if err != nil {
			errs.Add("programme", "err.invalid")
		} else {
			p.ProgrammeID = prog.ID
			inds = append(inds, prog.Targets...)
			// A plan implementing a programme runs over its years unless told otherwise.
			if strings.TrimSpace(v.Get("year_from")) == "" && strings.TrimSpace(v.Get("year_to")) == "" {
				p.YearFrom, p.YearTo = prog.YearFrom, prog.YearTo
			}
		}
	}
	if id, err := strconv.ParseInt(v.Get("parent"), 10, 64); err == nil && id > 0 {
		p.ParentID = id
	}
	if len(errs) == 0 {
		if err := s.store.CreatePlan(ctx, s.actor(r), p, inds, progress.CheckIndicator); err != nil {
			if ve, ok := err.(validation.Errors); ok {
				errs = ve
			} else {
				s.Fail(w, r, err)
				return
			}
		}
	}
	if len(errs) > 0 {
		d, err := s.planFormData(r, pr, v, nil)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		d.Errs, d.Problems = planErrors(Lang(r), errs, "plan.field.")
		s.Render(w, r, http.StatusUnprocessableEntity, "plans_form", d)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/plans/%d?saved=1", p.ID), http.StatusSeeOther)
}

func planValues(p *plans.Plan) url.Values {
	v := url.Values{}
	v.Set("number", p.Number)
	v.Set("title", p.Title)
	v.Set("signer", p.Signer)
	v.Set("objectives", p.Objectives)
	v.Set("status", string(p.Status))
	if !p.IssuedOn.IsZero() {
		v.Set("issued_on", p.IssuedOn.VN())
	}
	v.Set("year_from", strconv.Itoa(p.YearFrom))
	v.Set("year_to", strconv.Itoa(p.YearTo))
	return v
}

func (s *Server) planEditPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.planLoad(w, r, "id")
	if !ok || !s.require(w, r, auth.PlanWrite, p.UnitID) {
		return
	}
	d, err := s.planFormData(r, Principal(r), planValues(p), p)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "plans_form", d)
}

func (s *Server) planEditSubmit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.planLoad(w, r, "id")
	if !ok || !s.require(w, r, auth.PlanWrite, p.UnitID) {
		return
	}
	if !s.ParseForm(w, r, planMaxForm) {
		return
	}
	before := *p
	errs := planFromForm(r.PostForm, p)
	if len(errs) == 0 {
		if err := s.store.UpdatePlan(r.Context(), s.actor(r), p); err != nil {
			if ve, ok := err.(validation.Errors); ok {
				errs = ve
			} else {
				s.Fail(w, r, err)
				return
			}
		}
	}
	if len(errs) > 0 {
		d, err := s.planFormData(r, Principal(r), r.PostForm, &before)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		d.Errs, d.Problems = planErrors(Lang(r), errs, "plan.field.")
		s.Render(w, r, http.StatusUnprocessableEntity, "plans_form", d)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/plans/%d?saved=1", p.ID), http.StatusSeeOther)
}

// ---------------------------------------------------------------- detail

type planIndicatorRow struct {
	Ind     *plans.Indicator
	Formula string // canonical form, or as stored when it no longer parses
	Target  string
}

type planTaskRow struct {
	Task      *plans.Task
	Lead      []string
	Coord     []string
	Timeframe string
	Overdue   bool
}

type planSection struct {
	Name  string
	Tasks []planTaskRow
}

type planChildRow struct {
	Plan *plans.Plan
}

type planHelpItem struct {
	Name  string
	Codes string
}

type planDetailData struct {
	Plan       *plans.Plan
	Programme  *plans.Programme
	Parent     *plans.Plan
	Indicators []planIndicatorRow
	Sections   []planSection
	TaskCount  int
	Children   []planChildRow
	CanWrite   bool
	Saved      bool
	Notice     string
	// the indicator form (adding, or editing IndID)
	IndID       int64
	IndValues   url.Values
	IndErrs     map[string]string
	IndProblems []planProblem
	Comparisons []planOption
	Periods     []planOption
	Functions   []planHelpItem
	Vocabulary  []planHelpItem
}

// planCanonical shows a formula in its canonical form.
func planCanonical(src string) string {
	f, err := progress.Parse(src)
	if err != nil {
		return src
	}
	return f.String()
}

// planTimeframe describes a task's timeframe in words.
func planTimeframe(l i18n.Lang, t *plans.Task) string {
	switch t.Kind {
	case plans.TimeRange:
		if t.YearFrom == t.YearTo {
			return l.T("task.tf.year", t.YearFrom)
		}
		return l.T("task.tf.range", t.YearFrom, t.YearTo)
	case plans.TimeDue:
		return l.T("task.tf.due", t.Due.VN())
	case plans.TimeContinuous, plans.TimeYearly:
		return l.T("task.timeframe." + string(t.Kind))
	}
	return ""
}

func planNames(names map[int64]string, ids []int64) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if n, ok := names[id]; ok {
			out = append(out, n)
		} else {
			out = append(out, "#"+strconv.FormatInt(id, 10))
		}
	}
	return out
}

func (s *Server) planDetailData(r *http.Request, p *plans.Plan) (*planDetailData, error) {
	ctx := r.Context()
	l := Lang(r)
	d := &planDetailData{Plan: p, IndValues: url.Values{}, IndErrs: map[string]string{}}
	var err error
	if d.CanWrite, err = s.allowed(r, auth.PlanWrite, p.UnitID); err != nil {
		return nil, err
	}
	if p.ProgrammeID != 0 {
		if d.Programme, err = s.store.Programme(ctx, p.ProgrammeID); err != nil {
			return nil, err
		}
	}
	if p.ParentID != 0 {
		if d.Parent, err = s.store.Plan(ctx, p.ParentID); err != nil {
			return nil, err
		}
	}
	inds, err := s.store.Indicators(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, i := range inds {
		d.Indicators = append(d.Indicators, planIndicatorRow{Ind: i, Formula: planCanonical(i.Formula), Target: dashTarget(i)})
	}
	tasks, err := s.store.Tasks(ctx, store.TaskFilter{PlanID: p.ID})
	if err != nil {
		return nil, err
	}
	names, _, err := s.planUnitNames(ctx, dates.Today())
	if err != nil {
		return nil, err
	}
	today := dates.Today()
	for _, t := range tasks {
		row := planTaskRow{Task: t, Lead: planNames(names, t.Lead), Coord: planNames(names, t.Coord),
			Timeframe: planTimeframe(l, t), Overdue: t.Overdue(today)}
		if n := len(d.Sections); n == 0 || d.Sections[n-1].Name != t.Section {
			d.Sections = append(d.Sections, planSection{Name: t.Section})
		}
		last := &d.Sections[len(d.Sections)-1]
		last.Tasks = append(last.Tasks, row)
	}
	d.TaskCount = len(tasks)
	children, err := s.store.Plans(ctx, store.PlanFilter{Parent: p.ID})
	if err != nil {
		return nil, err
	}
	for _, c := range children {
		vis, err := s.planVisible(r, c)
		if err != nil {
			return nil, err
		}
		if vis {
			d.Children = append(d.Children, planChildRow{Plan: c})
		}
	}
	sort.SliceStable(d.Children, func(i, j int) bool { return d.Children[i].Plan.UnitName < d.Children[j].Plan.UnitName })
	d.IndValues.Set("comparison", string(indicators.AtLeast))
	d.IndValues.Set("period", string(plans.PeriodYearly))
	d.fillIndicatorChoices(l)
	return d, nil
}

func (d *planDetailData) fillIndicatorChoices(l i18n.Lang) {
	d.Comparisons = nil
	for _, c := range indicators.Comparisons {
		d.Comparisons = append(d.Comparisons, planOption{Value: string(c), Label: l.T("attain.cmp." + string(c)), Selected: d.IndValues.Get("comparison") == string(c)})
	}
	d.Periods = nil
	for _, k := range []plans.PeriodKind{plans.PeriodYearly, plans.PeriodCumulative} {
		d.Periods = append(d.Periods, planOption{Value: string(k), Label: l.T("indicator.period." + string(k)), Selected: d.IndValues.Get("period") == string(k)})
	}
	v := progress.Vocabulary
	d.Functions = []planHelpItem{
		{"count(type=…, channel=…, audience=…)", l.T("indicator.help.count")},
		{"sum(metric, type=…, channel=…, audience=…)", l.T("indicator.help.sum")},
		{"units(unit_type=…, level=…, has=…, has_plan=yes|no, channel=…, audience=…)", l.T("indicator.help.units")},
		{"attr(attribute, unit_type=…, level=…)", l.T("indicator.help.attr")},
		{"report(field)", l.T("indicator.help.report")},
	}
	d.Vocabulary = []planHelpItem{
		{"type / has", strings.Join(v.ActivityTypes, ", ") + ", any"},
		{"channel", strings.Join(v.Channels, ", ")},
		{"audience", strings.Join(v.Audiences, ", ")},
		{"metric", strings.Join(v.Metrics, ", ")},
		{"unit_type", strings.Join(v.UnitTypes, ", ")},
		{"level", strings.Join(v.Levels, ", ")},
		{"attribute", strings.Join(v.Attributes, ", ")},
	}
}

func (s *Server) planDetailPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.planLoad(w, r, "id")
	if !ok {
		return
	}
	d, err := s.planDetailData(r, p)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d.Saved = q.Get("saved") != ""
	if n, err := strconv.Atoi(q.Get("imported")); err == nil && n > 0 {
		d.Notice = Lang(r).T("planimp.done", n)
	}
	// ?indicator= opens the form on an existing indicator.
	if id, err := strconv.ParseInt(q.Get("indicator"), 10, 64); err == nil && id > 0 && d.CanWrite {
		for _, row := range d.Indicators {
			if row.Ind.ID == id {
				d.IndID = id
				d.IndValues = planIndicatorValues(row.Ind)
				d.fillIndicatorChoices(Lang(r))
			}
		}
	}
	s.Render(w, r, http.StatusOK, "plans_detail", d)
}

func planIndicatorValues(i *plans.Indicator) url.Values {
	v := url.Values{}
	v.Set("code", i.Code)
	v.Set("name", i.Name)
	v.Set("measure_unit", i.MeasureUnit)
	v.Set("formula", i.Formula)
	v.Set("comparison", i.Comparison)
	v.Set("value", InputDecimal(i.Value))
	if i.Comparison == string(indicators.Between) {
		v.Set("max", InputDecimal(i.Max))
	}
	v.Set("period", string(i.Period))
	return v
}

// planNumber reads a target the way report figures are read (ParseDecimal).
func planNumber(s string) (float64, bool) {
	if strings.TrimSpace(s) == "" {
		return 0, true // an empty max is fine unless the comparison needs it
	}
	return ParseDecimal(s)
}

// planIndicatorSubmit adds an indicator, or edits the one named in the
// form; errors re-render the plan page with the form filled in.
func (s *Server) planIndicatorSubmit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.planLoad(w, r, "id")
	if !ok || !s.require(w, r, auth.PlanWrite, p.UnitID) {
		return
	}
	if !s.ParseForm(w, r, planMaxForm) {
		return
	}
	ctx := r.Context()
	v := r.PostForm
	ind := &plans.Indicator{PlanID: p.ID, Code: v.Get("code"), Name: v.Get("name"), MeasureUnit: v.Get("measure_unit"),
		Formula: strings.TrimSpace(v.Get("formula")), Comparison: v.Get("comparison"), Period: plans.PeriodKind(v.Get("period"))}
	var errs validation.Errors
	if id, err := strconv.ParseInt(v.Get("id"), 10, 64); err == nil && id > 0 {
		before, err := s.store.Indicator(ctx, id)
		if err != nil || before.PlanID != p.ID {
			s.Fail(w, r, ErrNotFound)
			return
		}
		ind.ID, ind.Position = id, before.Position
	}
	var okNum bool
	if ind.Value, okNum = planNumber(v.Get("value")); !okNum {
		errs.Add("value", "attain.err.number")
	}
	if ind.Max, okNum = planNumber(v.Get("max")); !okNum {
		errs.Add("max", "attain.err.number")
	}
	if len(errs) == 0 {
		if err := s.store.SaveIndicator(ctx, s.actor(r), ind, progress.CheckIndicator); err != nil {
			if ve, ok := err.(validation.Errors); ok {
				errs = ve
			} else {
				s.Fail(w, r, err)
				return
			}
		}
	}
	if len(errs) > 0 {
		d, err := s.planDetailData(r, p)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		d.IndID, d.IndValues = ind.ID, v
		d.fillIndicatorChoices(Lang(r))
		d.IndErrs, d.IndProblems = planErrors(Lang(r), errs, "indicator.field.")
		s.Render(w, r, http.StatusUnprocessableEntity, "plans_detail", d)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/plans/%d?saved=1#indicators", p.ID), http.StatusSeeOther)
}

func (s *Server) planIndicatorDelete(w http.ResponseWriter, r *http.Request) {
	p, ok := s.planLoad(w, r, "id")
	if !ok || !s.require(w, r, auth.PlanWrite, p.UnitID) {
		return
	}
	id, err := PathID(r, "ind")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	ind, err := s.store.Indicator(r.Context(), id)
	if err != nil || ind.PlanID != p.ID {
		s.Fail(w, r, ErrNotFound)
		return
	}
	if err := s.store.DeleteIndicator(r.Context(), s.actor(r), id); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/plans/%d?saved=1#indicators", p.ID), http.StatusSeeOther)
}
