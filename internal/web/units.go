package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// unitPageSize is how many search results a page of /units shows.
const unitPageSize = 50

// unitDetailChildren bounds the children listed on a unit's page; the tree
// shows the rest.
const unitDetailChildren = 100

// unitMaxForm bounds the body of a unit form.
const unitMaxForm = 64 << 10

// routesUnits registers the unit pages.
func (s *Server) routesUnits() {
	s.Handle("GET /units", s.unitTreePage)
	s.Handle("GET /units/new", s.unitNewPage)
	s.Handle("POST /units/new", s.unitNewSubmit)
	s.Handle("GET /units/merge", s.unitMergePage)
	s.Handle("POST /units/merge", s.unitMergeSubmit)
	s.Handle("GET /units/{id}", s.unitDetailPage)
	s.Handle("GET /units/{id}/children", s.unitChildrenFragment)
	s.Handle("GET /units/{id}/edit", s.unitEditPage)
	s.Handle("POST /units/{id}/edit", s.unitEditSubmit)
	s.Handle("GET /units/{id}/move", s.unitMovePage)
	s.Handle("POST /units/{id}/move", s.unitMoveSubmit)
	s.Handle("POST /units/{id}/close", s.unitCloseSubmit)
}

// unitSignedIn fails the request unless someone is signed in.
func (s *Server) unitSignedIn(w http.ResponseWriter, r *http.Request) (*auth.Principal, bool) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return nil, false
	}
	return p, true
}

// unitDayParam reads a dd/mm/yyyy date; empty means today. ok is false for
// text that is not a date (today is returned then).
func unitDayParam(v string) (day dates.Date, ok bool) {
	d, err := dates.Parse(v)
	if err != nil {
		return dates.Today(), false
	}
	if d.IsZero() {
		return dates.Today(), true
	}
	return d, true
}

func unitSameDay(a, b dates.Date) bool { return !a.Before(b) && !a.After(b) }

// unitPublic is a copy of u holding only its public fields, so a page that
// must not show the rest cannot show it by mistake.
func unitPublic(u *units.Unit) *units.Unit {
	p := u.Public()
	return &p
}

// ---------------------------------------------------------------- tree

// unitTreeNode is one unit of the tree with, when Loaded, the units under it.
type unitTreeNode struct {
	Unit        *units.Unit // public fields only
	Children    []*unitTreeNode
	Loaded      bool
	ChildrenURL string // the fragment app.js fetches
	OpenURL     string // the no-JS way to expand the node
	L           i18n.Lang
}

// unitTreeBuilder turns units into tree nodes as of one day, expanding the
// nodes named in open.
type unitTreeBuilder struct {
	s         *Server
	ctx       context.Context
	day       dates.Date
	dateParam string // "" when the day is today, so links stay short
	lang      i18n.Lang
	open      map[int64]bool
}

func (b *unitTreeBuilder) nodes(list []*units.Unit, expand bool, depth int) ([]*unitTreeNode, error) {
	out := make([]*unitTreeNode, 0, len(list))
	for _, u := range list {
		n := &unitTreeNode{
			Unit:        unitPublic(u),
			L:           b.lang,
			ChildrenURL: "/units/" + strconv.FormatInt(u.ID, 10) + "/children?date=" + url.QueryEscape(b.day.VN()),
			OpenURL:     "/units?" + buildQuery("date", b.dateParam, "open", u.ID) + "#u-" + strconv.FormatInt(u.ID, 10),
		}
		if u.ChildCount > 0 && (expand || b.open[u.ID]) && depth < 100 {
			kids, err := b.s.store.Children(b.ctx, u.ID, b.day)
			if err != nil {
				return nil, err
			}
			if n.Children, err = b.nodes(kids, false, depth+1); err != nil {
				return nil, err
			}
			n.Loaded = true
		}
		out = append(out, n)
	}
	return out, nil
}

// unitSearchRow is one search result.
type unitSearchRow struct {
	Unit   *units.Unit
	Parent *units.Unit
	Active bool
}

type unitTreeData struct {
	Date      string
	DateError string
	Today     bool
	Roots     []*unitTreeNode
	Searched  bool
	Query     string
	Type      string
	Closed    bool
	Types     []unitFormOption
	Results   []unitSearchRow
	Pager     Pager
	CanCreate bool
}

// unitTreePage shows the hierarchy as of a day, expanded one level below
// the roots (and along the path to ?open=), with a search.
func (s *Server) unitTreePage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.unitSignedIn(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	l := Lang(r)
	q := r.URL.Query()
	day, dayOK := unitDayParam(q.Get("date"))
	data := &unitTreeData{Date: day.VN(), Today: unitSameDay(day, dates.Today()), Query: strings.TrimSpace(q.Get("q")), Closed: q.Get("closed") != ""}
	data.CanCreate = p.Can(auth.UnitWrite)
	status := http.StatusOK
	if !dayOK {
		data.DateError = l.T("err.date")
		data.Date = q.Get("date")
		status = http.StatusUnprocessableEntity
	}
	if t := units.Type(q.Get("type")); t.Valid() {
		data.Type = string(t)
	}
	data.Types = unitTypeOptions(l, data.Type, "unit.search.all_types")

	b := &unitTreeBuilder{s: s, ctx: ctx, day: day, lang: l, open: map[int64]bool{}}
	if !data.Today {
		b.dateParam = day.VN()
	}
	if id, err := strconv.ParseInt(q.Get("open"), 10, 64); err == nil && id > 0 {
		anc, err := s.store.Ancestors(ctx, id, day)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		for _, a := range anc {
			b.open[a] = true
		}
	}
	roots, err := s.store.Roots(ctx, day)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if data.Roots, err = b.nodes(roots, true, 0); err != nil {
		s.Fail(w, r, err)
		return
	}

	if data.Query != "" || data.Type != "" {
		data.Searched = true
		page, limit, offset := PageParams(r, unitPageSize)
		list, total, err := s.store.SearchUnits(ctx, store.UnitFilter{Query: data.Query, Type: units.Type(data.Type),
			Day: day, IncludeClosed: data.Closed, Limit: limit, Offset: offset})
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		parents := map[int64]*units.Unit{}
		for _, u := range list {
			row := unitSearchRow{Unit: unitPublic(u), Active: u.ActiveOn(day)}
			if u.ParentID != 0 {
				par, seen := parents[u.ParentID]
				if !seen {
					if par, err = s.store.Unit(ctx, u.ParentID, day); err != nil {
						s.Fail(w, r, err)
						return
					}
					par = unitPublic(par)
					parents[u.ParentID] = par
				}
				row.Parent = par
			}
			data.Results = append(data.Results, row)
		}
		data.Pager = NewPager(page, unitPageSize, total)
	}
	s.Render(w, r, status, "units_tree", data)
}

// unitChildrenFragment is the list items under one unit, for app.js.
func (s *Server) unitChildrenFragment(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.unitSignedIn(w, r); !ok {
		return
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	day, ok := unitDayParam(r.URL.Query().Get("date"))
	if !ok {
		s.Fail(w, r, BadRequest(validation.Errors{{Field: "date", Reason: "err.date"}}))
		return
	}
	ctx := r.Context()
	if _, err := s.store.Unit(ctx, id, day); err != nil {
		s.Fail(w, r, err)
		return
	}
	kids, err := s.store.Children(ctx, id, day)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	b := &unitTreeBuilder{s: s, ctx: ctx, day: day, lang: Lang(r)}
	if !unitSameDay(day, dates.Today()) {
		b.dateParam = day.VN()
	}
	nodes, err := b.nodes(kids, false, 0)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.RenderFragment(w, r, "units_tree", "units-children", map[string]any{"Nodes": nodes})
}

// ---------------------------------------------------------------- detail

type unitDetailData struct {
	Unit         *units.Unit // public fields only unless Private
	Private      bool
	Day          dates.Date // the day placement and children are shown for
	Active       bool
	Chain        []*units.Unit // root first, parent last
	Parent       *units.Unit
	Children     []*units.Unit
	MoreChildren int
	Placements   []store.Placement
	Predecessors []store.Succession
	Successors   []store.Succession
	CanEdit      bool
	CanStructure bool
	Notice       string
	CloseDate    string
	CloseError   string
}

// unitViewDay is the day a unit is best shown at: today while it exists, its
// last day once closed, its first day before it starts.
func unitViewDay(u *units.Unit) dates.Date {
	today := dates.Today()
	switch {
	case !u.ValidTo.IsZero() && !today.Before(u.ValidTo):
		return u.ValidTo.AddDays(-1)
	case today.Before(u.ValidFrom):
		return u.ValidFrom
	}
	return today
}

// unitNotices maps ?done= to the message shown after a change.
var unitNotices = map[string]string{
	"created": "unit.done.created", "saved": "unit.done.saved", "moved": "unit.done.moved",
	"merged": "unit.done.merged", "closed": "unit.done.closed",
}

func (s *Server) unitDetail(r *http.Request, id int64) (*unitDetailData, error) {
	ctx := r.Context()
	today := dates.Today()
	u, err := s.store.Unit(ctx, id, today)
	if err != nil {
		return nil, err
	}
	d := &unitDetailData{Day: unitViewDay(u), Active: u.ActiveOn(today), CloseDate: today.VN()}
	if !unitSameDay(d.Day, today) {
		if u, err = s.store.Unit(ctx, id, d.Day); err != nil {
			return nil, err
		}
	}
	if d.Private, err = s.allowed(r, auth.UnitRead, id); err != nil {
		return nil, err
	}
	if d.Private {
		d.Unit = u
	} else {
		d.Unit = unitPublic(u)
	}
	if d.CanEdit, err = s.allowed(r, auth.UnitWrite, id); err != nil {
		return nil, err
	}
	if d.CanStructure, err = s.allowed(r, auth.UnitStructure, id); err != nil {
		return nil, err
	}
	anc, err := s.store.Ancestors(ctx, id, d.Day)
	if err != nil {
		return nil, err
	}
	for i := len(anc) - 1; i >= 1; i-- {
		a, err := s.store.Unit(ctx, anc[i], d.Day)
		if err != nil {
			return nil, err
		}
		d.Chain = append(d.Chain, unitPublic(a))
	}
	if len(d.Chain) > 0 && d.Unit.ParentID != 0 {
		d.Parent = d.Chain[len(d.Chain)-1]
	}
	kids, err := s.store.Children(ctx, id, d.Day)
	if err != nil {
		return nil, err
	}
	if len(kids) > unitDetailChildren {
		d.MoreChildren = len(kids) - unitDetailChildren
		kids = kids[:unitDetailChildren]
	}
	for _, k := range kids {
		d.Children = append(d.Children, unitPublic(k))
	}
	if d.Placements, err = s.store.Placements(ctx, id); err != nil {
		return nil, err
	}
	for i := range d.Placements {
		d.Placements[i].Parent = unitPublic(d.Placements[i].Parent)
	}
	if d.Predecessors, err = s.store.Predecessors(ctx, id); err != nil {
		return nil, err
	}
	if d.Successors, err = s.store.Successors(ctx, id); err != nil {
		return nil, err
	}
	for _, list := range [][]store.Succession{d.Predecessors, d.Successors} {
		for i := range list {
			list[i].Unit = unitPublic(list[i].Unit)
		}
	}
	if key, ok := unitNotices[r.URL.Query().Get("done")]; ok {
		d.Notice = Lang(r).T(key)
	}
	return d, nil
}

// unitDetailPage shows one unit: public fields to everyone, contacts and
// headcounts only to those whose scope covers it.
func (s *Server) unitDetailPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.unitSignedIn(w, r); !ok {
		return
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d, err := s.unitDetail(r, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "units_detail", d)
}

// unitCloseSubmit ends a unit on the chosen day.
func (s *Server) unitCloseSubmit(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.unitSignedIn(w, r); !ok {
		return
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.require(w, r, auth.UnitStructure, id) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, unitMaxForm)
	text := strings.TrimSpace(r.PostFormValue("date"))
	var cerr error
	day, perr := dates.Parse(text)
	switch {
	case perr != nil:
		cerr = validation.Single("date", "err.date")
	case day.IsZero():
		cerr = validation.Single("date", "err.required")
	default:
		cerr = s.store.CloseUnit(r.Context(), s.actor(r), id, day)
	}
	var ve validation.Errors
	if errors.As(cerr, &ve) {
		d, err := s.unitDetail(r, id)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		d.CloseDate = text
		d.CloseError = Lang(r).T(ve[0].Reason, ve[0].Args...)
		s.Render(w, r, http.StatusUnprocessableEntity, "units_detail", d)
		return
	}
	if cerr != nil {
		s.Fail(w, r, cerr)
		return
	}
	http.Redirect(w, r, "/units/"+strconv.FormatInt(id, 10)+"?done=closed", http.StatusSeeOther)
}

// ---------------------------------------------------------------- forms

// unitFormOption is one choice of a select.
type unitFormOption struct {
	Value, Label string
	Selected     bool
}

// unitFormField is one input, ready to render.
type unitFormField struct {
	Name, ID, Label, Value, Hint, Error string
	Kind                                string // text, email, tel, number, date, select, textarea
	Options                             []unitFormOption
	Required                            bool
	Max                                 int
	TypeSelect                          bool // a unit type select (app.js shows the school level for schools)
	SchoolLevel                         bool
}

// InputType is the HTML type of an <input> field.
func (f *unitFormField) InputType() string {
	switch f.Kind {
	case "email", "tel", "number":
		return f.Kind
	}
	return "text"
}

// Describe lists the ids of the hint and error that describe the field.
func (f *unitFormField) Describe() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

type unitFormGroup struct {
	Legend, Hint string
	Fields       []*unitFormField
}

type unitFormHidden struct{ Name, Value string }

// unitFormProblem is one line of the error summary.
type unitFormProblem struct {
	Target, Label, Message string
}

// unitFormPage is every form of the unit pages (create, edit, move, merge).
type unitFormPage struct {
	Title    string
	Subject  *units.Unit // the unit acted on (public fields)
	Intro    string
	Action   string
	Groups   []unitFormGroup
	Hidden   []unitFormHidden
	Submit   string
	SubmitID string
	Cancel   string
	Problems []unitFormProblem
	Preview  *unitMergePreview
}

// unitFieldSpec describes a field of a form.
type unitFieldSpec struct {
	name, kind string
	required   bool
	max        int
}

func unitTypeOptions(l i18n.Lang, selected, emptyKey string) []unitFormOption {
	opts := []unitFormOption{{Value: "", Label: l.T(emptyKey), Selected: selected == ""}}
	for _, t := range units.Types {
		opts = append(opts, unitFormOption{Value: string(t), Label: l.T("unit.type." + string(t)), Selected: selected == string(t)})
	}
	return opts
}

func unitLevelOptions(l i18n.Lang, selected string) []unitFormOption {
	opts := []unitFormOption{{Value: "", Label: l.T("unit.form.no_level"), Selected: selected == ""}}
	for _, lv := range units.SchoolLevels {
		opts = append(opts, unitFormOption{Value: string(lv), Label: l.T("unit.level." + string(lv)), Selected: selected == string(lv)})
	}
	return opts
}

// unitGroup builds a fieldset of fields from their specs, with values and
// the first error of each field.
func unitGroup(l i18n.Lang, legend, hint string, specs []unitFieldSpec, vals map[string]string, errs validation.Errors) unitFormGroup {
	g := unitFormGroup{Legend: l.T(legend)}
	if hint != "" {
		g.Hint = l.T(hint)
	}
	for _, sp := range specs {
		f := &unitFormField{Name: sp.name, ID: "unit-" + sp.name, Kind: sp.kind, Required: sp.required, Max: sp.max,
			Label: l.T("unit.field." + sp.name), Value: vals[sp.name]}
		if k := "unit.hint." + sp.name; i18n.Has(k) {
			f.Hint = l.T(k)
		}
		switch sp.name {
		case "type", "new_type":
			f.Options = unitTypeOptions(l, f.Value, "unit.form.choose_type")
			f.TypeSelect = true
		case "school_level", "new_school_level":
			f.Options = unitLevelOptions(l, f.Value)
			f.SchoolLevel = true
		}
		for _, e := range errs {
			if e.Field == sp.name {
				f.Error = l.T(e.Reason, e.Args...)
				break
			}
		}
		g.Fields = append(g.Fields, f)
	}
	return g
}

// unitProblems is the error summary in the order of the form: one line per
// error, linked to its field when the form has it.
func unitProblems(l i18n.Lang, groups []unitFormGroup, errs validation.Errors) []unitFormProblem {
	var out []unitFormProblem
	shown := map[string]bool{}
	for _, g := range groups {
		for _, f := range g.Fields {
			for _, e := range errs {
				if e.Field == f.Name {
					out = append(out, unitFormProblem{Target: "#" + f.ID, Label: f.Label, Message: l.T(e.Reason, e.Args...)})
				}
			}
			shown[f.Name] = true
		}
	}
	for _, e := range errs {
		if !shown[e.Field] {
			out = append(out, unitFormProblem{Message: l.T(e.Reason, e.Args...)})
		}
	}
	return out
}

// unitFormValues reads the named fields of a posted form.
func unitFormValues(r *http.Request, names ...string) map[string]string {
	vals := map[string]string{}
	for _, n := range names {
		vals[n] = r.PostFormValue(n)
	}
	return vals
}

var (
	unitGeneralSpecs = []unitFieldSpec{
		{"code", "text", true, 40}, {"name", "text", true, 255}, {"short_name", "text", false, 80},
		{"type", "select", true, 0}, {"school_level", "select", false, 0},
	}
	unitContactSpecs = []unitFieldSpec{
		{"head_name", "text", false, 120}, {"focal_name", "text", false, 120},
		{"focal_phone", "tel", false, 20}, {"focal_email", "email", false, 254},
	}
	unitCountSpecs = []unitFieldSpec{
		{"staff_count", "number", false, 0}, {"pupil_count", "number", false, 0}, {"headcount_year", "number", false, 0},
	}
	unitAttrNames = []string{"code", "name", "short_name", "type", "school_level", "head_name",
		"focal_name", "focal_phone", "focal_email", "staff_count", "pupil_count", "headcount_year"}
)

// unitFieldOf maps a domain field name to the form's.
var unitFieldOf = map[string]string{
	"focal_point.name": "focal_name", "focal_point.phone": "focal_phone", "focal_point.email": "focal_email",
	"parent_id": "parent_code",
}

func unitFieldName(domain string) string {
	if f, ok := unitFieldOf[domain]; ok {
		return f
	}
	return domain
}

// unitMergeField maps the store's merge errors to the merge form's fields.
func unitMergeField(domain string) string {
	if rest, ok := strings.CutPrefix(domain, "target."); ok {
		if rest == "valid_from" {
			return "date"
		}
		return "new_" + unitFieldName(rest)
	}
	switch domain {
	case "source_ids":
		return "sources"
	case "target_id":
		return "target_code"
	case "code":
		return "new_code"
	case "parent_id":
		return "new_parent_code"
	}
	return domain
}

// unitNewField maps a new successor's own errors to the merge form.
func unitNewField(domain string) string { return "new_" + unitFieldName(domain) }

// unitValuesOf fills form values from a unit.
func unitValuesOf(u *units.Unit) map[string]string {
	v := map[string]string{
		"code": u.Code, "name": u.Name, "short_name": u.ShortName, "type": string(u.Type),
		"school_level": string(u.SchoolLevel), "head_name": u.HeadName, "focal_name": u.Focal.Name,
		"focal_phone": u.Focal.Phone, "focal_email": u.Focal.Email,
	}
	if u.StaffCount != nil {
		v["staff_count"] = strconv.Itoa(*u.StaffCount)
	}
	if u.PupilCount != nil {
		v["pupil_count"] = strconv.Itoa(*u.PupilCount)
	}
	if u.HeadcountYear != 0 {
		v["headcount_year"] = strconv.Itoa(u.HeadcountYear)
	}
	return v
}

// unitAttrs sets u's attributes from form values (prefix "" or "new_") and
// returns the errors of values that are not even well-formed.
func unitAttrs(vals map[string]string, prefix string, u *units.Unit) validation.Errors {
	var errs validation.Errors
	get := func(n string) string { return vals[prefix+n] }
	u.Code, u.Name, u.ShortName = get("code"), get("name"), get("short_name")
	u.Type, u.SchoolLevel = units.Type(get("type")), units.SchoolLevel(get("school_level"))
	u.HeadName = get("head_name")
	u.Focal = units.Contact{Name: get("focal_name"), Phone: get("focal_phone"), Email: get("focal_email")}
	num := func(n string) (*int, bool) {
		t := strings.TrimSpace(strings.ReplaceAll(get(n), ".", ""))
		if t == "" {
			return nil, true
		}
		x, err := strconv.Atoi(t)
		if err != nil {
			errs.Add(prefix+n, "err.number")
			return nil, false
		}
		return &x, true
	}
	u.StaffCount, _ = num("staff_count")
	u.PupilCount, _ = num("pupil_count")
	if y, ok := num("headcount_year"); ok && y != nil {
		u.HeadcountYear = *y
	}
	return errs
}

// unitDate reads a required date field.
func unitDate(vals map[string]string, field string, errs *validation.Errors) dates.Date {
	d, err := dates.Parse(vals[field])
	switch {
	case err != nil:
		errs.Add(field, "err.date")
	case d.IsZero():
		errs.Add(field, "err.required")
	}
	return d
}

// unitAddDomain adds the domain's errors, renamed to form fields, except for
// fields that already have an error; an error that is not about input is
// returned as is.
func unitAddDomain(errs validation.Errors, err error, rename func(string) string) (validation.Errors, error) {
	var ve validation.Errors
	if !errors.As(err, &ve) {
		return errs, err
	}
	had := slices.Clone(errs)
	for _, e := range ve {
		f := rename(e.Field)
		if had.Has(f) {
			continue
		}
		errs.Add(f, e.Reason, e.Args...)
	}
	return errs, nil
}

// unitCodeTaken reports a code already used by another unit.
func (s *Server) unitCodeTaken(ctx context.Context, code string, self int64) (bool, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return false, nil
	}
	u, err := s.store.UnitByCode(ctx, code, dates.Today())
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return u.ID != self, nil
}

// unitResolve finds the unit with code on day; unknown codes become field
// errors. The caller must hold action on it, else forbidden is set.
func (s *Server) unitResolve(r *http.Request, code string, day dates.Date, action auth.Action, field string, errs *validation.Errors) (u *units.Unit, forbidden bool, err error) {
	u, err = s.store.UnitByCode(r.Context(), strings.TrimSpace(code), day)
	if errors.Is(err, store.ErrNotFound) {
		errs.Add(field, "unit.err.code_unknown", strings.TrimSpace(code))
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	ok, err := s.allowed(r, action, u.ID)
	if err != nil {
		return nil, false, err
	}
	if !ok {
		errs.Add(field, "err.out_of_scope")
		return nil, true, nil
	}
	return u, false, nil
}

// unitEditForm builds the create form (create) or the edit form.
func (s *Server) unitEditForm(r *http.Request, subject *units.Unit, vals map[string]string, errs validation.Errors) *unitFormPage {
	l := Lang(r)
	general := unitGeneralSpecs
	f := &unitFormPage{Submit: l.T("common.save"), SubmitID: "unit-submit"}
	if subject == nil {
		general = append([]unitFieldSpec{{"parent_code", "text", false, 40}}, general...)
		general = append(general, unitFieldSpec{"valid_from", "date", true, 0})
		f.Title, f.Action, f.Cancel = l.T("unit.new.title"), "/units/new", "/units"
	} else {
		id := strconv.FormatInt(subject.ID, 10)
		f.Title, f.Action, f.Cancel = l.T("unit.edit.title"), "/units/"+id+"/edit", "/units/"+id
		f.Subject = unitPublic(subject)
	}
	f.Groups = []unitFormGroup{
		unitGroup(l, "unit.form.general", "", general, vals, errs),
		unitGroup(l, "unit.form.contact", "unit.form.private_hint", unitContactSpecs, vals, errs),
		unitGroup(l, "unit.form.counts", "", unitCountSpecs, vals, errs),
	}
	f.Problems = unitProblems(l, f.Groups, errs)
	return f
}

func (s *Server) unitRenderForm(w http.ResponseWriter, r *http.Request, status int, f *unitFormPage) {
	s.Render(w, r, status, "units_form", f)
}

// unitNewPage shows the create form under ?parent= (default: the user's own
// unit, or no parent for province-wide users).
func (s *Server) unitNewPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.unitSignedIn(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	today := dates.Today()
	vals := map[string]string{"valid_from": today.VN()}
	if v := r.URL.Query().Get("parent"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.Fail(w, r, ErrNotFound)
			return
		}
		parent, err := s.store.Unit(ctx, id, today)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		if !s.require(w, r, auth.UnitWrite, id) {
			return
		}
		vals["parent_code"] = parent.Code
	} else {
		province, sub := p.Scope(auth.UnitWrite)
		if !sub {
			s.Fail(w, r, ErrForbidden)
			return
		}
		if !province {
			own, err := s.store.Unit(ctx, p.UnitID, today)
			if err != nil {
				s.Fail(w, r, err)
				return
			}
			vals["parent_code"] = own.Code
		}
	}
	if t := units.Type(r.URL.Query().Get("type")); t.Valid() {
		vals["type"] = string(t)
	}
	s.unitRenderForm(w, r, http.StatusOK, s.unitEditForm(r, nil, vals, nil))
}

// unitNewSubmit creates a unit.
func (s *Server) unitNewSubmit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.unitSignedIn(w, r)
	if !ok {
		return
	}
	province, sub := p.Scope(auth.UnitWrite)
	if !sub {
		s.Fail(w, r, ErrForbidden)
		return
	}
	if !s.ParseForm(w, r, unitMaxForm) {
		return
	}
	ctx := r.Context()
	vals := unitFormValues(r, append([]string{"parent_code", "valid_from"}, unitAttrNames...)...)
	u := &units.Unit{}
	errs := unitAttrs(vals, "", u)
	u.ValidFrom = unitDate(vals, "valid_from", &errs)
	day := u.ValidFrom
	if day.IsZero() {
		day = dates.Today()
	}
	status := http.StatusUnprocessableEntity
	var parentID int64
	if strings.TrimSpace(vals["parent_code"]) == "" {
		if !province {
			errs.Add("parent_code", "err.required")
		}
	} else {
		parent, forbidden, err := s.unitResolve(r, vals["parent_code"], day, auth.UnitWrite, "parent_code", &errs)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		if forbidden {
			status = http.StatusForbidden
		}
		if parent != nil {
			parentID = parent.ID
		}
	}
	check := *u
	check.Normalize()
	errs, _ = unitAddDomain(errs, check.Validate(), unitFieldName)
	if !errs.Has("code") {
		taken, err := s.unitCodeTaken(ctx, u.Code, 0)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		if taken {
			errs.Add("code", "err.code_taken")
		}
	}
	if len(errs) == 0 {
		err := s.store.CreateUnit(ctx, s.actor(r), u, parentID)
		if errs, err = unitAddDomain(errs, err, unitFieldName); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		s.unitRenderForm(w, r, status, s.unitEditForm(r, nil, vals, errs))
		return
	}
	http.Redirect(w, r, "/units/"+strconv.FormatInt(u.ID, 10)+"?done=created", http.StatusSeeOther)
}

// unitTarget loads the unit named by the path for a change, once the
// caller is signed in and holds every action in need on it.
func (s *Server) unitTarget(w http.ResponseWriter, r *http.Request, need ...auth.Action) (*units.Unit, bool) {
	if _, ok := s.unitSignedIn(w, r); !ok {
		return nil, false
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	for _, a := range need {
		if !s.require(w, r, a, id) {
			return nil, false
		}
	}
	u, err := s.store.Unit(r.Context(), id, dates.Today())
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	return u, true
}

// unitEditTarget needs write and read rights on the unit.
func (s *Server) unitEditTarget(w http.ResponseWriter, r *http.Request) (*units.Unit, bool) {
	return s.unitTarget(w, r, auth.UnitWrite, auth.UnitRead)
}

func (s *Server) unitEditPage(w http.ResponseWriter, r *http.Request) {
	u, ok := s.unitEditTarget(w, r)
	if !ok {
		return
	}
	s.unitRenderForm(w, r, http.StatusOK, s.unitEditForm(r, u, unitValuesOf(u), nil))
}

// unitEditSubmit stores a unit's attributes (not its placement or dates).
func (s *Server) unitEditSubmit(w http.ResponseWriter, r *http.Request) {
	before, ok := s.unitEditTarget(w, r)
	if !ok || !s.ParseForm(w, r, unitMaxForm) {
		return
	}
	ctx := r.Context()
	vals := unitFormValues(r, unitAttrNames...)
	u := &units.Unit{ID: before.ID, ValidFrom: before.ValidFrom, ValidTo: before.ValidTo}
	errs := unitAttrs(vals, "", u)
	check := *u
	check.Normalize()
	errs, _ = unitAddDomain(errs, check.Validate(), unitFieldName)
	if !errs.Has("code") {
		taken, err := s.unitCodeTaken(ctx, u.Code, u.ID)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		if taken {
			errs.Add("code", "err.code_taken")
		}
	}
	if len(errs) == 0 {
		err := s.store.UpdateUnit(ctx, s.actor(r), u)
		if errs, err = unitAddDomain(errs, err, unitFieldName); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		s.unitRenderForm(w, r, http.StatusUnprocessableEntity, s.unitEditForm(r, before, vals, errs))
		return
	}
	http.Redirect(w, r, "/units/"+strconv.FormatInt(u.ID, 10)+"?done=saved", http.StatusSeeOther)
}

// ---------------------------------------------------------------- move

var unitMoveSpecs = []unitFieldSpec{{"parent_code", "text", true, 40}, {"date", "date", true, 0}}

func (s *Server) unitMoveForm(r *http.Request, u *units.Unit, vals map[string]string, errs validation.Errors) *unitFormPage {
	l := Lang(r)
	id := strconv.FormatInt(u.ID, 10)
	f := &unitFormPage{Title: l.T("unit.move.title"), Subject: unitPublic(u), Action: "/units/" + id + "/move",
		Submit: l.T("unit.move.submit"), SubmitID: "unit-move-submit", Cancel: "/units/" + id}
	f.Groups = []unitFormGroup{unitGroup(l, "unit.move.legend", "", unitMoveSpecs, vals, errs)}
	f.Problems = unitProblems(l, f.Groups, errs)
	return f
}

// unitMoveTarget needs the right to restructure the unit.
func (s *Server) unitMoveTarget(w http.ResponseWriter, r *http.Request) (*units.Unit, bool) {
	return s.unitTarget(w, r, auth.UnitStructure)
}

func (s *Server) unitMovePage(w http.ResponseWriter, r *http.Request) {
	u, ok := s.unitMoveTarget(w, r)
	if !ok {
		return
	}
	f := s.unitMoveForm(r, u, map[string]string{"date": dates.Today().VN()}, nil)
	if u.ParentID != 0 {
		if par, err := s.store.Unit(r.Context(), u.ParentID, dates.Today()); err == nil {
			f.Intro = Lang(r).T("unit.move.current", par.Name, par.Code)
		}
	}
	s.unitRenderForm(w, r, http.StatusOK, f)
}

// unitMoveSubmit places a unit under another parent from a day on.
func (s *Server) unitMoveSubmit(w http.ResponseWriter, r *http.Request) {
	u, ok := s.unitMoveTarget(w, r)
	if !ok || !s.ParseForm(w, r, unitMaxForm) {
		return
	}
	vals := unitFormValues(r, "parent_code", "date")
	var errs validation.Errors
	day := unitDate(vals, "date", &errs)
	status := http.StatusUnprocessableEntity
	var parent *units.Unit
	if strings.TrimSpace(vals["parent_code"]) == "" {
		errs.Add("parent_code", "err.required")
	} else {
		lookup := day
		if lookup.IsZero() {
			lookup = dates.Today()
		}
		var forbidden bool
		var err error
		if parent, forbidden, err = s.unitResolve(r, vals["parent_code"], lookup, auth.UnitStructure, "parent_code", &errs); err != nil {
			s.Fail(w, r, err)
			return
		}
		if forbidden {
			status = http.StatusForbidden
		}
	}
	if len(errs) == 0 {
		err := s.store.MoveUnit(r.Context(), s.actor(r), u.ID, parent.ID, day)
		if errs, err = unitAddDomain(errs, err, unitFieldName); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		s.unitRenderForm(w, r, status, s.unitMoveForm(r, u, vals, errs))
		return
	}
	http.Redirect(w, r, "/units/"+strconv.FormatInt(u.ID, 10)+"?done=moved", http.StatusSeeOther)
}

// ---------------------------------------------------------------- merge

var (
	unitMergeSourceSpecs = []unitFieldSpec{{"sources", "textarea", true, 0}, {"date", "date", true, 0}}
	unitMergeTargetSpecs = []unitFieldSpec{{"target_code", "text", false, 40}}
	unitMergeNewSpecs    = []unitFieldSpec{
		{"new_code", "text", false, 40}, {"new_name", "text", false, 255}, {"new_short_name", "text", false, 80},
		{"new_type", "select", false, 0}, {"new_school_level", "select", false, 0}, {"new_parent_code", "text", false, 40},
	}
	unitMergeNames = []string{"sources", "date", "target_code", "new_code", "new_name", "new_short_name",
		"new_type", "new_school_level", "new_parent_code"}
)

// unitMergeSource is a unit about to be merged, as the summary shows it.
type unitMergeSource struct {
	Unit   *units.Unit
	Parent *units.Unit
}

// unitMergePreview is the summary shown before a merge is committed.
type unitMergePreview struct {
	Sources   []unitMergeSource
	Target    *units.Unit // existing successor, or the new one (not yet stored)
	New       bool
	Parent    *units.Unit // the new successor's parent
	Date      dates.Date
	TypeLabel string
}

func (s *Server) unitMergeForm(r *http.Request, vals map[string]string, errs validation.Errors) *unitFormPage {
	l := Lang(r)
	f := &unitFormPage{Title: l.T("unit.merge.title"), Intro: l.T("unit.merge.intro"), Action: "/units/merge",
		Submit: l.T("unit.merge.preview"), SubmitID: "unit-merge-preview", Cancel: "/units",
		Hidden: []unitFormHidden{{"step", "preview"}}}
	f.Groups = []unitFormGroup{
		unitGroup(l, "unit.merge.sources", "", unitMergeSourceSpecs, vals, errs),
		unitGroup(l, "unit.merge.existing", "unit.merge.existing_hint", unitMergeTargetSpecs, vals, errs),
		unitGroup(l, "unit.merge.new", "unit.merge.new_hint", unitMergeNewSpecs, vals, errs),
	}
	f.Problems = unitProblems(l, f.Groups, errs)
	return f
}

// unitMergePage shows the merge form (?source= prefills a source code).
func (s *Server) unitMergePage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.unitSignedIn(w, r)
	if !ok {
		return
	}
	if !p.Can(auth.UnitStructure) {
		s.Fail(w, r, ErrForbidden)
		return
	}
	vals := map[string]string{"date": dates.Today().VN(), "sources": r.URL.Query().Get("source")}
	s.unitRenderForm(w, r, http.StatusOK, s.unitMergeForm(r, vals, nil))
}

// unitSplitCodes reads unit codes separated by new lines, commas, semicolons
// or spaces.
func unitSplitCodes(v string) []string {
	return strings.FieldsFunc(v, func(c rune) bool {
		return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
	})
}

// unitMergeResolve checks a merge form and turns it into a request. Every
// unit named must be within the caller's reach.
func (s *Server) unitMergeResolve(r *http.Request, vals map[string]string) (req store.MergeRequest, pv *unitMergePreview, errs validation.Errors, forbidden bool, err error) {
	ctx := r.Context()
	p := Principal(r)
	req.Date = unitDate(vals, "date", &errs)
	day := req.Date
	if day.IsZero() {
		day = dates.Today()
	}
	pv = &unitMergePreview{Date: req.Date}
	codes := unitSplitCodes(vals["sources"])
	if len(codes) == 0 {
		errs.Add("sources", "err.required")
	}
	for _, c := range codes {
		u, fb, err := s.unitResolve(r, c, day, auth.UnitStructure, "sources", &errs)
		if err != nil {
			return req, nil, nil, false, err
		}
		forbidden = forbidden || fb
		if u == nil {
			continue
		}
		if slices.Contains(req.SourceIDs, u.ID) {
			errs.Add("sources", "err.duplicate_source")
			continue
		}
		req.SourceIDs = append(req.SourceIDs, u.ID)
		src := unitMergeSource{Unit: unitPublic(u)}
		if u.ParentID != 0 {
			par, err := s.store.Unit(ctx, u.ParentID, day)
			if err != nil {
				return req, nil, nil, false, err
			}
			src.Parent = unitPublic(par)
		}
		pv.Sources = append(pv.Sources, src)
	}
	existing := strings.TrimSpace(vals["target_code"]) != ""
	fresh := false
	for _, n := range unitMergeNewSpecs {
		if strings.TrimSpace(vals[n.name]) != "" {
			fresh = true
		}
	}
	switch {
	case existing == fresh:
		errs.Add("target_code", "err.merge_target")
	case existing:
		t, fb, err := s.unitResolve(r, vals["target_code"], day, auth.UnitStructure, "target_code", &errs)
		if err != nil {
			return req, nil, nil, false, err
		}
		forbidden = forbidden || fb
		if t != nil && slices.Contains(req.SourceIDs, t.ID) {
			errs.Add("target_code", "err.merge_into_self")
		} else if t != nil {
			req.TargetID = t.ID
			pv.Target = unitPublic(t)
		}
	default:
		nu := &units.Unit{ValidFrom: day}
		errs = append(errs, unitAttrs(vals, "new_", nu)...)
		check := *nu
		check.Normalize()
		errs, _ = unitAddDomain(errs, check.Validate(), unitNewField)
		if !errs.Has("new_code") {
			taken, err := s.unitCodeTaken(ctx, nu.Code, 0)
			if err != nil {
				return req, nil, nil, false, err
			}
			if taken {
				errs.Add("new_code", "err.code_taken")
			}
		}
		if strings.TrimSpace(vals["new_parent_code"]) == "" {
			if province, _ := p.Scope(auth.UnitStructure); !province {
				errs.Add("new_parent_code", "err.required")
			}
		} else {
			par, fb, err := s.unitResolve(r, vals["new_parent_code"], day, auth.UnitStructure, "new_parent_code", &errs)
			if err != nil {
				return req, nil, nil, false, err
			}
			forbidden = forbidden || fb
			if par != nil {
				req.NewTargetParent = par.ID
				pv.Parent = unitPublic(par)
			}
		}
		req.NewTarget = nu
		pv.New, pv.Target = true, unitPublic(&check)
		pv.TypeLabel = Lang(r).T("unit.type." + string(check.Type))
	}
	if pv.Target != nil && !pv.New {
		pv.TypeLabel = Lang(r).T("unit.type." + string(pv.Target.Type))
	}
	return req, pv, errs, forbidden, nil
}

// unitMergeSubmit previews (step=preview) or carries out (step=commit) a
// merge; step=edit goes back to the form with the values kept.
func (s *Server) unitMergeSubmit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.unitSignedIn(w, r)
	if !ok {
		return
	}
	if !p.Can(auth.UnitStructure) {
		s.Fail(w, r, ErrForbidden)
		return
	}
	if !s.ParseForm(w, r, unitMaxForm) {
		return
	}
	vals := unitFormValues(r, unitMergeNames...)
	step := r.PostFormValue("step")
	if step == "edit" {
		s.unitRenderForm(w, r, http.StatusOK, s.unitMergeForm(r, vals, nil))
		return
	}
	req, pv, errs, forbidden, err := s.unitMergeResolve(r, vals)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	status := http.StatusUnprocessableEntity
	if forbidden {
		status = http.StatusForbidden
	}
	if len(errs) == 0 && step == "commit" {
		target, err := s.store.MergeUnits(r.Context(), s.actor(r), req)
		if errs, err = unitAddDomain(errs, err, unitMergeField); err != nil {
			s.Fail(w, r, err)
			return
		}
		if len(errs) == 0 {
			http.Redirect(w, r, "/units/"+strconv.FormatInt(target, 10)+"?done=merged", http.StatusSeeOther)
			return
		}
	}
	if len(errs) > 0 {
		s.unitRenderForm(w, r, status, s.unitMergeForm(r, vals, errs))
		return
	}
	l := Lang(r)
	f := &unitFormPage{Title: l.T("unit.merge.confirm_title"), Action: "/units/merge", Preview: pv,
		Submit: l.T("unit.merge.commit"), SubmitID: "unit-merge-commit", Cancel: "/units"}
	for _, n := range unitMergeNames {
		f.Hidden = append(f.Hidden, unitFormHidden{n, vals[n]})
	}
	s.unitRenderForm(w, r, http.StatusOK, f)
}
