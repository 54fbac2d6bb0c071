package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"khienso/internal/auth"
	"khienso/internal/i18n"
	"khienso/internal/plans"
	"khienso/internal/plans/planimport"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// planImportMaxFile bounds an uploaded plan document or pasted text.
const planImportMaxFile = 10 << 20

// planImportMaxRows bounds the rows a review form may carry back.
const planImportMaxRows = 1000

// routesPlanImport registers the import of a plan's task table. Nothing is
// saved until the reviewer confirms; the reviewed rows travel in the form
// itself, so no state is kept on the server between the two steps.
func (s *Server) routesPlanImport() {
	s.Handle("GET /plans/{id}/import", s.planImportPage)
	s.Handle("POST /plans/{id}/import", s.planImportSubmit)
	s.Handle("POST /plans/{id}/import/confirm", s.planImportConfirm)
}

type planImportData struct {
	Plan  *plans.Plan
	Text  string
	Error string // the parse error, with its line
}

// planImportPhrase is a unit phrase of a cell and what it matched.
type planImportPhrase struct {
	Phrase    string
	Matched   bool
	Group     string // translated group name, when the phrase names a group
	Count     int
	Suggested []string
}

// planImportRow is one parsed task on the review screen.
type planImportRow struct {
	Index     int
	Line      int
	Include   bool
	Section   string
	Number    string
	Content   string
	LeadText  string
	CoordText string
	TfText    string
	Inherited bool
	Notes     []string
	NotesRaw  string
	LeadP     []planImportPhrase
	CoordP    []planImportPhrase
	Lead      []planOption
	Coord     []planOption
	Kinds     []planOption
	YearFrom  string
	YearTo    string
	Due       string
	Errors    []string
}

type planImportReview struct {
	Plan       *plans.Plan
	Rows       []*planImportRow
	Problems   []string
	Unmatched  int
	InheritedN int
}

func (s *Server) planImportLoad(w http.ResponseWriter, r *http.Request) (*plans.Plan, bool) {
	p, ok := s.planLoad(w, r, "id")
	if !ok || !s.require(w, r, auth.PlanWrite, p.UnitID) {
		return nil, false
	}
	return p, true
}

func (s *Server) planImportPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.planImportLoad(w, r)
	if !ok {
		return
	}
	s.Render(w, r, http.StatusOK, "plan_import", &planImportData{Plan: p})
}

// planImportMessage renders a parse error for people.
func planImportMessage(l i18n.Lang, err error) string {
	var pe *planimport.Error
	if errors.As(err, &pe) {
		return pe.Message(l)
	}
	return l.T("planimp.err.read")
}

// planImportSubmit parses pasted text or an uploaded .docx/.txt file and
// shows the review screen.
func (s *Server) planImportSubmit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.planImportLoad(w, r)
	if !ok {
		return
	}
	l := Lang(r)
	r.Body = http.MaxBytesReader(w, r.Body, planImportMaxFile+1<<20)
	data := &planImportData{Plan: p}
	fail := func(msg string) {
		data.Error = msg
		s.Render(w, r, http.StatusUnprocessableEntity, "plan_import", data)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			fail(l.T("planimp.err.too_large", planImportMaxFile>>20))
			return
		case errors.Is(err, http.ErrNotMultipart):
			if err := r.ParseForm(); err != nil {
				s.Fail(w, r, err)
				return
			}
		default:
			s.Fail(w, r, err)
			return
		}
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	data.Text = r.FormValue("text")
	var tasks []planimport.Task
	var err error
	if f, h, ferr := r.FormFile("file"); ferr == nil {
		defer f.Close()
		buf, rerr := io.ReadAll(io.LimitReader(f, planImportMaxFile+1))
		if rerr != nil {
			s.Fail(w, r, rerr)
			return
		}
		if len(buf) > planImportMaxFile {
			fail(l.T("planimp.err.too_large", planImportMaxFile>>20))
			return
		}
		switch strings.ToLower(filepath.Ext(h.Filename)) {
		case ".docx":
			tasks, err = planimport.ParseDOCX(bytes.NewReader(buf), int64(len(buf)))
		case ".txt", ".text", "":
			tasks, err = planimport.ParseText(string(buf))
		default:
			fail(l.T("planimp.err.file_type"))
			return
		}
	} else {
		tasks, err = planimport.ParseText(data.Text)
	}
	if err != nil {
		fail(planImportMessage(l, err))
		return
	}
	if len(tasks) > planImportMaxRows {
		fail(l.T("planimp.err.too_many", planImportMaxRows))
		return
	}
	review, err := s.planImportReviewOf(r, p, tasks)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "plan_import_review", review)
}

// planImportDirectory is the unit directory as of the plan's issue date.
func (s *Server) planImportDirectory(r *http.Request, p *plans.Plan) ([]store.DirectoryUnit, *planimport.Matcher, error) {
	dir, err := s.store.UnitDirectory(r.Context(), planDay(p))
	if err != nil {
		return nil, nil, err
	}
	cands := make(planimport.Directory, 0, len(dir))
	for _, u := range dir {
		cands = append(cands, planimport.Candidate{ID: u.ID, Name: u.Name, ShortName: u.ShortName, Type: u.Type, Closed: u.Closed})
	}
	return dir, planimport.NewMatcher(cands), nil
}

// planImportPhrases matches a cell and returns the phrases with the ids
// they resolve to.
func planImportPhrases(l i18n.Lang, m *planimport.Matcher, names map[int64]string, cell string) ([]planImportPhrase, []string) {
	var out []planImportPhrase
	var ids []string
	if strings.TrimSpace(cell) == "" {
		return nil, nil
	}
	for _, mt := range m.Match(cell) {
		ph := planImportPhrase{Phrase: mt.Phrase, Matched: len(mt.UnitIDs) > 0, Count: len(mt.UnitIDs)}
		if mt.Group != "" {
			ph.Group = l.T("planimp.group." + mt.Group)
		}
		for i, id := range mt.Suggestions {
			if i >= 3 {
				break
			}
			if n, ok := names[id]; ok {
				ph.Suggested = append(ph.Suggested, n)
			}
		}
		for _, id := range mt.UnitIDs {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		out = append(out, ph)
	}
	return out, ids
}

func (s *Server) planImportReviewOf(r *http.Request, p *plans.Plan, tasks []planimport.Task) (*planImportReview, error) {
	l := Lang(r)
	dir, m, err := s.planImportDirectory(r, p)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, u := range dir {
		names[u.ID] = u.Name
	}
	rv := &planImportReview{Plan: p}
	for i, t := range tasks {
		row := &planImportRow{Index: i, Line: t.Line, Include: true, Section: t.Section, Number: t.Number, Content: t.Content,
			LeadText: t.LeadText, CoordText: t.CoordText, TfText: t.TimeframeText, Inherited: t.Inherited}
		for _, n := range t.Notes {
			row.Notes = append(row.Notes, n.Message(l))
		}
		row.NotesRaw = strings.Join(row.Notes, "\n")
		var leadIDs, coordIDs []string
		row.LeadP, leadIDs = planImportPhrases(l, m, names, t.LeadText)
		row.CoordP, coordIDs = planImportPhrases(l, m, names, t.CoordText)
		row.Lead, row.Coord = taskUnitOptions(dir, leadIDs), taskUnitOptions(dir, coordIDs)
		kind := ""
		switch t.Timeframe.Kind {
		case planimport.KindContinuous:
			kind = string(plans.TimeContinuous)
		case planimport.KindYearly:
			kind = string(plans.TimeYearly)
		case planimport.KindRange:
			kind = string(plans.TimeRange)
			row.YearFrom = strconv.Itoa(t.Timeframe.FromYear)
			to := t.Timeframe.ToYear
			if to == 0 { // "from 2023 on": until the plan ends
				to = max(p.YearTo, t.Timeframe.FromYear)
			}
			row.YearTo = strconv.Itoa(to)
		case planimport.KindDue:
			kind = string(plans.TimeDue)
			row.Due = t.Timeframe.Due.VN()
		}
		row.Kinds = taskKindOptions(l, kind, true)
		rv.Rows = append(rv.Rows, row)
	}
	rv.count()
	return rv, nil
}

func (rv *planImportReview) count() {
	rv.Unmatched, rv.InheritedN = 0, 0
	for _, row := range rv.Rows {
		for _, ph := range append(append([]planImportPhrase{}, row.LeadP...), row.CoordP...) {
			if !ph.Matched {
				rv.Unmatched++
			}
		}
		if row.Inherited {
			rv.InheritedN++
		}
	}
}

// planImportConfirm saves the reviewed tasks in one transaction, or shows
// the review again with the problems marked on their rows.
func (s *Server) planImportConfirm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.planImportLoad(w, r)
	if !ok {
		return
	}
	l := Lang(r)
	if !s.ParseForm(w, r, 16<<20) {
		return
	}
	v := r.PostForm
	n, err := strconv.Atoi(v.Get("rows"))
	if err != nil || n < 0 || n > planImportMaxRows {
		s.Fail(w, r, BadRequest(validation.Errors{{Field: "rows", Reason: "err.invalid"}}))
		return
	}
	dir, m, err := s.planImportDirectory(r, p)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	names := map[int64]string{}
	for _, u := range dir {
		names[u.ID] = u.Name
	}
	rv := &planImportReview{Plan: p}
	var list []*plans.Task
	var listRows []*planImportRow
	for i := 0; i < n; i++ {
		sfx := "_" + strconv.Itoa(i)
		line, _ := strconv.Atoi(v.Get("line" + sfx))
		row := &planImportRow{Index: i, Line: line, Include: v.Get("include"+sfx) != "", Section: v.Get("section" + sfx),
			Number: v.Get("number" + sfx), Content: v.Get("content" + sfx), LeadText: v.Get("lead_text" + sfx),
			CoordText: v.Get("coord_text" + sfx), TfText: v.Get("tf_text" + sfx), Inherited: v.Get("inherited"+sfx) != "",
			NotesRaw: v.Get("notes" + sfx), YearFrom: v.Get("year_from" + sfx), YearTo: v.Get("year_to" + sfx), Due: v.Get("due" + sfx)}
		if row.NotesRaw != "" {
			row.Notes = strings.Split(row.NotesRaw, "\n")
		}
		row.LeadP, _ = planImportPhrases(l, m, names, row.LeadText)
		row.CoordP, _ = planImportPhrases(l, m, names, row.CoordText)
		row.Lead, row.Coord = taskUnitOptions(dir, v["lead"+sfx]), taskUnitOptions(dir, v["coord"+sfx])
		row.Kinds = taskKindOptions(l, v.Get("kind"+sfx), true)
		rv.Rows = append(rv.Rows, row)
		if !row.Include {
			continue
		}
		t := &plans.Task{Section: strings.TrimSpace(row.Section), Number: strings.TrimSpace(row.Number), Content: row.Content,
			LeadText: strings.TrimSpace(row.LeadText), CoordText: strings.TrimSpace(row.CoordText),
			Lead: taskIDs(v["lead"+sfx]), Coord: taskIDs(v["coord"+sfx]), Status: plans.TaskNotStarted}
		errs := taskTimeframe(v, sfx, t)
		errs = append(errs, t.Validate()...)
		for _, e := range errs {
			row.Errors = append(row.Errors, planImportFieldMessage(l, e))
		}
		list = append(list, t)
		listRows = append(listRows, row)
	}
	failed := false
	for _, row := range rv.Rows {
		if len(row.Errors) > 0 {
			failed = true
			rv.Problems = append(rv.Problems, l.T("planimp.row_problem", row.Index+1, strings.Join(row.Errors, "; ")))
		}
	}
	if !failed && len(list) == 0 {
		failed = true
		rv.Problems = append(rv.Problems, l.T("planimp.err.nothing"))
	}
	if !failed {
		err := s.store.CreateTasks(r.Context(), s.actor(r), p.ID, list)
		var ve validation.Errors
		switch {
		case errors.As(err, &ve):
			failed = true
			for _, e := range ve {
				rv.Problems = append(rv.Problems, planImportFieldMessage(l, e))
			}
		case err != nil:
			s.Fail(w, r, err)
			return
		}
	}
	if failed {
		rv.count()
		s.Render(w, r, http.StatusUnprocessableEntity, "plan_import_review", rv)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/plans/%d?imported=%d#tasks", p.ID, len(list)), http.StatusSeeOther)
}

// planImportFieldMessage renders "label: reason" for a task field error.
func planImportFieldMessage(l i18n.Lang, e validation.FieldError) string {
	field := e.Field
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		field = field[i+1:]
	}
	label := field
	if key := "task.field." + field; i18n.Has(key) {
		label = l.T(key)
	}
	return label + ": " + l.T(e.Reason, e.Args...)
}
