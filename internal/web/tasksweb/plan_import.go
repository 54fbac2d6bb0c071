package tasksweb

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"khienso/internal/i18n"
	"khienso/internal/plans"
	"khienso/internal/service/tasksvc"
	"khienso/internal/service/unitsvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// importRoutes registers the import of a plan's task table. Nothing is
// saved until the reviewer confirms; the reviewed rows travel in the form
// itself, so no state is kept on the server between the two steps.
func (s *handler) importRoutes() {
	s.Handle("GET /plans/{id}/import", s.importPage)
	s.Handle("POST /plans/{id}/import", s.importSubmit)
	s.Handle("POST /plans/{id}/import/confirm", s.importConfirm)
}

// importMaxConfirm bounds the review form posted back.
const importMaxConfirm = 16 << 20

type importData struct {
	Plan   *plans.Plan
	Text   string
	Errors web.FormErrors // why the text or file could not be read
}

// importPhrase is a unit phrase of a cell and what it matched.
type importPhrase struct {
	Phrase    string
	Matched   bool
	Group     string // translated group name, when the phrase names a group
	Count     int
	Suggested []string
}

// importRow is one parsed task on the review screen.
type importRow struct {
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
	LeadP     []importPhrase
	CoordP    []importPhrase
	Lead      *web.Picker
	Coord     *web.Picker
	Kinds     []web.Option
	YearFrom  string
	YearTo    string
	Due       string
	Errors    []string
}

type importReview struct {
	Plan       *plans.Plan
	Rows       []*importRow
	Errors     web.FormErrors // the summary of a refused confirmation
	Unmatched  int
	InheritedN int
}

func (s *handler) importPage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	p, err := s.svc.Writable(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "plan_import", &importData{Plan: p})
}

// readImportSource reads pasted text (field "text") or an uploaded file
// (field "file") from a form or multipart body. A body over the limit is
// reported as the service reports a file over it.
func readImportSource(w http.ResponseWriter, r *http.Request) (tasksvc.ImportSource, error) {
	var src tasksvc.ImportSource
	r.Body = http.MaxBytesReader(w, r.Body, tasksvc.MaxImportSize+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return src, validation.Errors{{Field: "file", Reason: "planimp.err.too_large", Args: []any{tasksvc.MaxImportSize >> 20}}}
		case !errors.Is(err, http.ErrNotMultipart):
			return src, err
		}
		if err := r.ParseForm(); err != nil {
			return src, err
		}
	}
	src.Text = r.FormValue("text")
	f, h, err := r.FormFile("file")
	switch {
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
		return src, nil
	case err != nil:
		return src, err
	}
	defer f.Close()
	if src.File, err = io.ReadAll(io.LimitReader(f, tasksvc.MaxImportSize+1)); err != nil {
		return src, err
	}
	src.FileName = h.Filename
	return src, nil
}

// importSubmit parses pasted text or an uploaded .docx/.txt file and shows
// the review screen.
func (s *handler) importSubmit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	ctx := r.Context()
	l := web.Lang(r)
	// The plan first: a caller who may not import learns it before
	// sending anything is read.
	p, err := s.svc.Writable(ctx, s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	src, err := readImportSource(w, r)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	var rv *tasksvc.ImportReview
	if err == nil {
		rv, err = s.svc.ParseImport(ctx, s.Caller(r), id, src)
	}
	var ve validation.Errors
	if errors.As(err, &ve) {
		s.Render(w, r, http.StatusUnprocessableEntity, "plan_import",
			&importData{Plan: p, Text: src.Text, Errors: web.NewFormErrors(l, ve, nil)})
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := &importReview{Plan: rv.Plan, Unmatched: rv.Unmatched, InheritedN: rv.Inherited}
	names := web.UnitNames(rv.Units)
	pick, err := s.UnitPickers(r, unitsvc.PickTask)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for i, row := range rv.Rows {
		t := row.Task
		ir := &importRow{Index: i, Line: row.Line, Include: true, Section: t.Section, Number: t.Number, Content: t.Content,
			LeadText: t.LeadText, CoordText: t.CoordText, TfText: row.TimeframeText, Inherited: row.Inherited,
			LeadP: phrasesOf(l, names, row.LeadPhrases), CoordP: phrasesOf(l, names, row.CoordPhrases),
			Lead: pick.Picker(importPicker("lead", i), idStrings(t.Lead), nil), Coord: pick.Picker(importPicker("coord", i), idStrings(t.Coord), nil),
			Kinds: web.Choices(l, plans.TimeframeKinds, "task.timeframe.", string(t.Kind), "planimp.choose")}
		for _, n := range row.Notes {
			ir.Notes = append(ir.Notes, n.Message(l))
		}
		ir.NotesRaw = strings.Join(ir.Notes, "\n")
		switch t.Kind {
		case plans.TimeRange:
			ir.YearFrom, ir.YearTo = strconv.Itoa(t.YearFrom), strconv.Itoa(t.YearTo)
		case plans.TimeDue:
			ir.Due = t.Due.VN()
		}
		d.Rows = append(d.Rows, ir)
	}
	s.Render(w, r, http.StatusOK, "plan_import_review", d)
}

func idStrings(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

// phrasesOf presents matched phrases with group and suggestion names.
func phrasesOf(l i18n.Lang, names map[int64]string, list []tasksvc.ImportPhrase) []importPhrase {
	var out []importPhrase
	for _, mt := range list {
		ph := importPhrase{Phrase: mt.Phrase, Matched: len(mt.UnitIDs) > 0, Count: len(mt.UnitIDs)}
		if mt.Group != "" {
			ph.Group = l.T("planimp.group." + mt.Group)
		}
		for _, id := range mt.Suggestions {
			if n, ok := names[id]; ok {
				ph.Suggested = append(ph.Suggested, n)
			}
		}
		out = append(out, ph)
	}
	return out
}

// importConfirm saves the reviewed tasks in one transaction, or shows the
// review again with the problems marked on their rows.
func (s *handler) importConfirm(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	ctx := r.Context()
	l := web.Lang(r)
	m, err := s.svc.Matching(ctx, s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r, importMaxConfirm) {
		return
	}
	v := r.PostForm
	n, err := strconv.Atoi(v.Get("rows"))
	if err != nil || n < 0 || n > tasksvc.MaxImportTasks {
		s.Fail(w, r, web.BadRequest(validation.Errors{{Field: "rows", Reason: "err.invalid"}}))
		return
	}
	names := web.UnitNames(m.Units)
	pick, err := s.UnitPickers(r, unitsvc.PickTask)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	rv := &importReview{Plan: m.Plan}
	var list []*plans.Task
	var listRows []*importRow
	parsed := true
	for i := 0; i < n; i++ {
		sfx := "_" + strconv.Itoa(i)
		line, _ := strconv.Atoi(v.Get("line" + sfx))
		row := &importRow{Index: i, Line: line, Include: v.Get("include"+sfx) != "", Section: v.Get("section" + sfx),
			Number: v.Get("number" + sfx), Content: v.Get("content" + sfx), LeadText: v.Get("lead_text" + sfx),
			CoordText: v.Get("coord_text" + sfx), TfText: v.Get("tf_text" + sfx), Inherited: v.Get("inherited"+sfx) != "",
			NotesRaw: v.Get("notes" + sfx), YearFrom: v.Get("year_from" + sfx), YearTo: v.Get("year_to" + sfx), Due: v.Get("due" + sfx),
			LeadP: phrasesOf(l, names, m.Match(v.Get("lead_text"+sfx))), CoordP: phrasesOf(l, names, m.Match(v.Get("coord_text"+sfx))),
			Lead: pick.Picker(importPicker("lead", i), v["lead"+sfx], nil), Coord: pick.Picker(importPicker("coord", i), v["coord"+sfx], nil), Kinds: web.Choices(l, plans.TimeframeKinds, "task.timeframe.", v.Get("kind"+sfx), "planimp.choose")}
		if row.NotesRaw != "" {
			row.Notes = strings.Split(row.NotesRaw, "\n")
		}
		rv.Rows = append(rv.Rows, row)
		if !row.Include {
			continue
		}
		t := &plans.Task{Section: strings.TrimSpace(row.Section), Number: strings.TrimSpace(row.Number), Content: row.Content,
			LeadText: strings.TrimSpace(row.LeadText), CoordText: strings.TrimSpace(row.CoordText),
			Lead: unitIDs(v["lead"+sfx]), Coord: unitIDs(v["coord"+sfx])}
		for _, e := range timeframeFromForm(v, sfx, t) {
			row.Errors, parsed = append(row.Errors, fieldMessage(l, e)), false
		}
		list = append(list, t)
		listRows = append(listRows, row)
	}
	if parsed {
		err := s.svc.ApplyImport(ctx, s.Caller(r), m.Plan.ID, list)
		var ve validation.Errors
		switch {
		case err == nil:
			http.Redirect(w, r, fmt.Sprintf("/plans/%d?imported=%d#tasks", m.Plan.ID, len(list)), http.StatusSeeOther)
			return
		case !errors.As(err, &ve):
			s.Fail(w, r, err)
			return
		}
		for _, e := range ve {
			if k, ok := taskIndex(e.Field); ok && k < len(listRows) {
				listRows[k].Errors = append(listRows[k].Errors, fieldMessage(l, e))
			} else {
				rv.Errors.Problems = append(rv.Errors.Problems, web.Problem{Message: l.T(e.Reason, e.Args...)})
			}
		}
	}
	for _, row := range rv.Rows {
		if len(row.Errors) > 0 {
			rv.Errors.Problems = append(rv.Errors.Problems, web.Problem{Target: fmt.Sprintf("#planimp-row-%d", row.Index),
				Message: l.T("planimp.row_problem", row.Index+1, strings.Join(row.Errors, "; "))})
		}
	}
	rv.count()
	s.Render(w, r, http.StatusUnprocessableEntity, "plan_import_review", rv)
}

// taskIndex reads k from a service error field "tasks.k.field".
func taskIndex(field string) (int, bool) {
	rest, ok := strings.CutPrefix(field, "tasks.")
	if !ok {
		return 0, false
	}
	k, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(k)
	return n, err == nil
}

func (rv *importReview) count() {
	rv.Unmatched, rv.InheritedN = 0, 0
	for _, row := range rv.Rows {
		for _, ph := range append(append([]importPhrase{}, row.LeadP...), row.CoordP...) {
			if !ph.Matched {
				rv.Unmatched++
			}
		}
		if row.Inherited {
			rv.InheritedN++
		}
	}
}

// fieldMessage renders "label: reason" for a task field error.
func fieldMessage(l i18n.Lang, e validation.FieldError) string {
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

// importPicker is the picker of row i's lead or coord units (field
// lead_i or coord_i).
func importPicker(field string, i int) web.PickerSpec {
	return web.PickerSpec{ID: fmt.Sprintf("planimp-%s-%d", field, i), Name: fmt.Sprintf("%s_%d", field, i), Purpose: unitsvc.PickTask, Multiple: true}
}
