package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"khienso/internal/activities"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/plans"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// routesTasks registers the task pages.
func (s *Server) routesTasks() {
	s.Handle("GET /tasks/mine", s.taskMinePage)
	s.Handle("GET /plans/{id}/tasks/new", s.taskNewPage)
	s.Handle("POST /plans/{id}/tasks/new", s.taskNewSubmit)
	s.Handle("GET /tasks/{id}", s.taskDetailPage)
	s.Handle("GET /tasks/{id}/edit", s.taskEditPage)
	s.Handle("POST /tasks/{id}/edit", s.taskEditSubmit)
	s.Handle("POST /tasks/{id}/delete", s.taskDeleteSubmit)
	s.Handle("POST /tasks/{id}/updates", s.taskUpdateSubmit)
	s.Handle("GET /tasks/updates/{id}/file", s.taskEvidenceFile)
}

// taskLoad loads the task named by the path and its plan, checking that
// the caller may read the plan.
func (s *Server) taskLoad(w http.ResponseWriter, r *http.Request) (*plans.Task, *plans.Plan, bool) {
	if _, ok := s.planStaff(w, r); !ok {
		return nil, nil, false
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return nil, nil, false
	}
	t, err := s.store.Task(r.Context(), id)
	if err != nil {
		s.Fail(w, r, err)
		return nil, nil, false
	}
	p, err := s.store.Plan(r.Context(), t.PlanID)
	if err != nil {
		s.Fail(w, r, err)
		return nil, nil, false
	}
	vis, err := s.planVisible(r, p)
	if err != nil {
		s.Fail(w, r, err)
		return nil, nil, false
	}
	if !vis {
		s.Fail(w, r, ErrNotFound)
		return nil, nil, false
	}
	return t, p, true
}

// ---------------------------------------------------------------- form

type taskFormData struct {
	Plan     *plans.Plan
	Task     *plans.Task // nil when creating
	Action   string
	Values   url.Values
	Lead     []planOption
	Coord    []planOption
	Kinds    []planOption
	Statuses []planOption
	Errs     map[string]string
	Problems []planProblem
}

// taskUnitOptions lists the units a task may be assigned to (those in
// force on the plan's day, schools left out as they do not lead plan
// tasks), keeping any unit already chosen.
func taskUnitOptions(dir []store.DirectoryUnit, chosen []string) []planOption {
	sel := map[string]bool{}
	for _, c := range chosen {
		sel[c] = true
	}
	var out []planOption
	for _, u := range dir {
		id := strconv.FormatInt(u.ID, 10)
		if (u.Closed || u.Type == "school") && !sel[id] {
			continue
		}
		out = append(out, planOption{Value: id, Label: u.Name, Selected: sel[id]})
	}
	return out
}

func taskKindOptions(l i18n.Lang, sel string, withBlank bool) []planOption {
	var out []planOption
	if withBlank {
		out = append(out, planOption{Value: "", Label: l.T("planimp.choose"), Selected: sel == ""})
	}
	for _, k := range plans.TimeframeKinds {
		out = append(out, planOption{Value: string(k), Label: l.T("task.timeframe." + string(k)), Selected: sel == string(k)})
	}
	return out
}

func taskStatusOptions(l i18n.Lang, sel string) []planOption {
	var out []planOption
	for _, st := range plans.TaskStatuses {
		out = append(out, planOption{Value: string(st), Label: l.T("task.status." + string(st)), Selected: sel == string(st)})
	}
	return out
}

func (s *Server) taskFormData(r *http.Request, p *plans.Plan, t *plans.Task, v url.Values) (*taskFormData, error) {
	l := Lang(r)
	_, dir, err := s.planUnitNames(r.Context(), planDay(p))
	if err != nil {
		return nil, err
	}
	d := &taskFormData{Plan: p, Task: t, Values: v, Errs: map[string]string{},
		Lead: taskUnitOptions(dir, v["lead"]), Coord: taskUnitOptions(dir, v["coord"]),
		Kinds: taskKindOptions(l, v.Get("kind"), false), Statuses: taskStatusOptions(l, v.Get("status"))}
	if t == nil {
		d.Action = fmt.Sprintf("/plans/%d/tasks/new", p.ID)
	} else {
		d.Action = fmt.Sprintf("/tasks/%d/edit", t.ID)
	}
	return d, nil
}

func taskIDs(list []string) []int64 {
	var out []int64
	for _, s := range list {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// taskTimeframe reads the timeframe fields named kind, year_from, year_to
// and due (with suffix) into t.
func taskTimeframe(v url.Values, suffix string, t *plans.Task) validation.Errors {
	var errs validation.Errors
	t.Kind = plans.TimeframeKind(v.Get("kind" + suffix))
	t.YearFrom, t.YearTo, t.Due = 0, 0, dates.Date{}
	switch t.Kind {
	case plans.TimeRange:
		for _, f := range []struct {
			name string
			dst  *int
		}{{"year_from", &t.YearFrom}, {"year_to", &t.YearTo}} {
			n, err := strconv.Atoi(strings.TrimSpace(v.Get(f.name + suffix)))
			if err != nil {
				errs.Add(f.name, "plan.err.year")
			}
			*f.dst = n
		}
	case plans.TimeDue:
		if s := strings.TrimSpace(v.Get("due" + suffix)); s != "" {
			d, err := dates.Parse(s)
			if err != nil {
				errs.Add("due", "err.date")
			} else {
				t.Due = d
			}
		}
	}
	return errs
}

func taskFromForm(v url.Values, t *plans.Task) validation.Errors {
	t.Content = v.Get("content")
	t.Section = strings.TrimSpace(v.Get("section"))
	t.Number = strings.TrimSpace(v.Get("number"))
	t.LeadText = strings.TrimSpace(v.Get("lead_text"))
	t.CoordText = strings.TrimSpace(v.Get("coord_text"))
	t.Lead, t.Coord = taskIDs(v["lead"]), taskIDs(v["coord"])
	t.Status = plans.TaskStatus(v.Get("status"))
	errs := taskTimeframe(v, "", t)
	if s := strings.TrimSpace(v.Get("progress")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			errs.Add("progress", "err.number")
		}
		t.Progress = n
	} else {
		t.Progress = 0
	}
	return errs
}

func taskValues(t *plans.Task) url.Values {
	v := url.Values{}
	v.Set("content", t.Content)
	v.Set("section", t.Section)
	v.Set("number", t.Number)
	v.Set("lead_text", t.LeadText)
	v.Set("coord_text", t.CoordText)
	for _, id := range t.Lead {
		v.Add("lead", strconv.FormatInt(id, 10))
	}
	for _, id := range t.Coord {
		v.Add("coord", strconv.FormatInt(id, 10))
	}
	v.Set("kind", string(t.Kind))
	if t.Kind == plans.TimeRange {
		v.Set("year_from", strconv.Itoa(t.YearFrom))
		v.Set("year_to", strconv.Itoa(t.YearTo))
	}
	if t.Kind == plans.TimeDue {
		v.Set("due", t.Due.VN())
	}
	v.Set("status", string(t.Status))
	v.Set("progress", strconv.Itoa(t.Progress))
	return v
}

func (s *Server) taskNewPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.planLoad(w, r, "id")
	if !ok || !s.require(w, r, auth.PlanWrite, p.UnitID) {
		return
	}
	v := url.Values{"kind": {string(plans.TimeContinuous)}, "status": {string(plans.TaskNotStarted)}, "progress": {"0"}}
	d, err := s.taskFormData(r, p, nil, v)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "tasks_form", d)
}

func (s *Server) taskNewSubmit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.planLoad(w, r, "id")
	if !ok || !s.require(w, r, auth.PlanWrite, p.UnitID) {
		return
	}
	s.taskSave(w, r, p, nil)
}

func (s *Server) taskEditPage(w http.ResponseWriter, r *http.Request) {
	t, p, ok := s.taskLoad(w, r)
	if !ok || !s.require(w, r, auth.PlanWrite, p.UnitID) {
		return
	}
	d, err := s.taskFormData(r, p, t, taskValues(t))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "tasks_form", d)
}

func (s *Server) taskEditSubmit(w http.ResponseWriter, r *http.Request) {
	t, p, ok := s.taskLoad(w, r)
	if !ok || !s.require(w, r, auth.PlanWrite, p.UnitID) {
		return
	}
	s.taskSave(w, r, p, t)
}

// taskSave creates (existing nil) or updates a task from the posted form.
func (s *Server) taskSave(w http.ResponseWriter, r *http.Request, p *plans.Plan, existing *plans.Task) {
	if !s.ParseForm(w, r, planMaxForm) {
		return
	}
	ctx := r.Context()
	t := &plans.Task{PlanID: p.ID}
	if existing != nil {
		t.ID = existing.ID
	}
	errs := taskFromForm(r.PostForm, t)
	if len(errs) == 0 {
		errs = t.Validate()
	}
	if len(errs) == 0 {
		var err error
		if existing == nil {
			err = s.store.CreateTasks(ctx, s.actor(r), p.ID, []*plans.Task{t})
		} else {
			err = s.store.UpdateTask(ctx, s.actor(r), t)
		}
		var ve validation.Errors
		if errors.As(err, &ve) {
			errs = ve
		} else if err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		d, err := s.taskFormData(r, p, existing, r.PostForm)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		for i := range errs {
			errs[i].Field = strings.TrimPrefix(errs[i].Field, "tasks.1.")
		}
		d.Errs, d.Problems = planErrors(Lang(r), errs, "task.field.")
		s.Render(w, r, http.StatusUnprocessableEntity, "tasks_form", d)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tasks/%d?saved=1", t.ID), http.StatusSeeOther)
}

func (s *Server) taskDeleteSubmit(w http.ResponseWriter, r *http.Request) {
	t, p, ok := s.taskLoad(w, r)
	if !ok || !s.require(w, r, auth.PlanWrite, p.UnitID) {
		return
	}
	if err := s.store.DeleteTask(r.Context(), s.actor(r), t.ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/plans/%d?saved=1#tasks", p.ID), http.StatusSeeOther)
}

// ---------------------------------------------------------------- detail and updates

type taskUpdateRow struct {
	Update  *plans.TaskUpdate
	CanFile bool
}

type taskDetailData struct {
	Task       *plans.Task
	Plan       *plans.Plan
	Lead       []string
	Coord      []string
	Timeframe  string
	Overdue    bool
	Updates    []taskUpdateRow
	Activities []*activities.Activity
	CanWrite   bool
	CanReport  bool
	Saved      bool
	Values     url.Values
	Statuses   []planOption
	Errs       map[string]string
	Problems   []planProblem
	MaxMB      int
}

// taskReporter is the unit the caller reports for on t: their own unit if
// it is assigned, else the first assigned unit in their subtree, else (for
// province-wide roles) their own unit; ok is false when they may not report.
func (s *Server) taskReporter(r *http.Request, t *plans.Task) (unit int64, ok bool, err error) {
	pr := Principal(r)
	assigned := append(append([]int64{}, t.Lead...), t.Coord...)
	if slices.Contains(assigned, pr.UnitID) {
		ok, err := s.allowed(r, auth.TaskReport, pr.UnitID)
		return pr.UnitID, ok, err
	}
	for _, u := range assigned {
		allowed, err := s.allowed(r, auth.TaskReport, u)
		if err != nil {
			return 0, false, err
		}
		if allowed {
			if province, _ := pr.Scope(auth.TaskReport); province {
				return pr.UnitID, true, nil
			}
			return u, true, nil
		}
	}
	if province, _ := pr.Scope(auth.TaskReport); province {
		return pr.UnitID, true, nil
	}
	return 0, false, nil
}

// taskEvidenceAllowed tells whether the caller may read what unit reported
// on a task of plan p: the reporting unit's readers and the plan's writers.
func (s *Server) taskEvidenceAllowed(r *http.Request, p *plans.Plan, unit int64) (bool, error) {
	for _, c := range []struct {
		a    auth.Action
		unit int64
	}{{auth.ActivityRead, unit}, {auth.PlanWrite, p.UnitID}} {
		ok, err := s.allowed(r, c.a, c.unit)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func (s *Server) taskDetailData(r *http.Request, t *plans.Task, p *plans.Plan) (*taskDetailData, error) {
	ctx := r.Context()
	l := Lang(r)
	pr := Principal(r)
	names, _, err := s.planUnitNames(ctx, dates.Today())
	if err != nil {
		return nil, err
	}
	d := &taskDetailData{Task: t, Plan: p, Lead: planNames(names, t.Lead), Coord: planNames(names, t.Coord),
		Timeframe: planTimeframe(l, t), Overdue: t.Overdue(dates.Today()), Errs: map[string]string{}, MaxMB: plans.MaxEvidenceFile >> 20,
		Values: url.Values{"status": {string(t.Status)}, "progress": {strconv.Itoa(t.Progress)}}}
	if d.CanWrite, err = s.allowed(r, auth.PlanWrite, p.UnitID); err != nil {
		return nil, err
	}
	if _, d.CanReport, err = s.taskReporter(r, t); err != nil {
		return nil, err
	}
	d.Statuses = taskStatusOptions(l, d.Values.Get("status"))
	ups, err := s.store.TaskUpdates(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	for _, u := range ups {
		ok, err := s.taskEvidenceAllowed(r, p, u.UnitID)
		if err != nil {
			return nil, err
		}
		// Another unit's progress notes and files are its own business.
		if ok {
			d.Updates = append(d.Updates, taskUpdateRow{Update: u, CanFile: u.FileName != ""})
		}
	}
	// Linked activities: those of units the caller may read.
	filter := store.ActivityFilter{Task: t.ID, Limit: 100}
	if province, sub := pr.Scope(auth.ActivityRead); !province {
		filter.Units = []int64{}
		if sub {
			if filter.Units, err = s.store.SubtreeIDs(ctx, pr.UnitID, dates.Today()); err != nil {
				return nil, err
			}
		}
	}
	if d.Activities, _, err = s.store.Activities(ctx, filter); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) taskDetailPage(w http.ResponseWriter, r *http.Request) {
	t, p, ok := s.taskLoad(w, r)
	if !ok {
		return
	}
	d, err := s.taskDetailData(r, t, p)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Saved = r.URL.Query().Get("saved") != ""
	s.Render(w, r, http.StatusOK, "tasks_detail", d)
}

// taskUpdateSubmit records a progress update with an optional evidence
// file (multipart, at most plans.MaxEvidenceFile).
func (s *Server) taskUpdateSubmit(w http.ResponseWriter, r *http.Request) {
	t, p, ok := s.taskLoad(w, r)
	if !ok {
		return
	}
	unit, may, err := s.taskReporter(r, t)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !may {
		s.Fail(w, r, ErrForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, plans.MaxEvidenceFile+1<<20)
	var errs validation.Errors
	u := &plans.TaskUpdate{TaskID: t.ID, UnitID: unit}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			// The body is cut short; tell the user the file is too big
			// rather than failing the whole page.
			errs.Add("file", "task.err.file_size", plans.MaxEvidenceFile>>20)
		} else if !errors.Is(err, http.ErrNotMultipart) {
			s.Fail(w, r, err)
			return
		} else if err := r.ParseForm(); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	v := r.Form
	if len(errs) == 0 {
		u.Status = plans.TaskStatus(v.Get("status"))
		u.Note, u.Link = v.Get("note"), v.Get("link")
		if n, err := strconv.Atoi(strings.TrimSpace(v.Get("progress"))); err == nil {
			u.Progress = n
		} else {
			errs.Add("progress", "err.number")
		}
		if f, h, err := r.FormFile("file"); err == nil {
			defer f.Close()
			data, err := io.ReadAll(io.LimitReader(f, plans.MaxEvidenceFile+1))
			if err != nil {
				s.Fail(w, r, err)
				return
			}
			u.FileData = data
			u.FileName = importFileName(h.Filename)
			u.FileType = taskFileType(u.FileName, h.Header.Get("Content-Type"))
		}
		if len(errs) == 0 {
			errs = u.Validate()
		}
		if len(errs) == 0 {
			err := s.store.AddTaskUpdate(r.Context(), s.actor(r), u)
			var ve validation.Errors
			if errors.As(err, &ve) {
				errs = ve
			} else if err != nil {
				s.Fail(w, r, err)
				return
			}
		}
	}
	if len(errs) > 0 {
		d, err := s.taskDetailData(r, t, p)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		if v != nil {
			d.Values = url.Values{"status": {v.Get("status")}, "progress": {v.Get("progress")}, "note": {v.Get("note")}, "link": {v.Get("link")}}
			d.Statuses = taskStatusOptions(Lang(r), v.Get("status"))
		}
		d.Errs, d.Problems = planErrors(Lang(r), errs, "task.field.")
		s.Render(w, r, http.StatusUnprocessableEntity, "tasks_detail", d)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tasks/%d?saved=1#updates", t.ID), http.StatusSeeOther)
}

// taskFileType is the stored type: the one sent if well formed and
// specific, else one guessed from the extension (browsers and scripts often
// send application/octet-stream for anything).
func taskFileType(name, sent string) string {
	if mt, _, err := mime.ParseMediaType(sent); err == nil && mt != "" && mt != "application/octet-stream" {
		return mt
	}
	if t, _, err := mime.ParseMediaType(mime.TypeByExtension(filepath.Ext(name))); err == nil && t != "" {
		return t
	}
	return "application/octet-stream"
}

// taskEvidenceFile sends an update's file as an attachment to users who
// may read the reporting unit's data or who write the plan.
func (s *Server) taskEvidenceFile(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.planStaff(w, r); !ok {
		return
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	ctx := r.Context()
	u, err := s.store.TaskEvidence(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	t, err := s.store.Task(ctx, u.TaskID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	p, err := s.store.Plan(ctx, t.PlanID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	vis, err := s.planVisible(r, p)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !vis {
		s.Fail(w, r, ErrNotFound)
		return
	}
	ok, err := s.taskEvidenceAllowed(r, p, u.UnitID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !ok {
		s.Fail(w, r, ErrForbidden)
		return
	}
	if u.FileName == "" {
		s.Fail(w, r, ErrNotFound)
		return
	}
	w.Header().Set("Content-Type", u.FileType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": u.FileName}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(u.FileData)))
	_, _ = w.Write(u.FileData)
}

// ---------------------------------------------------------------- my tasks

type taskMineData struct {
	UnitID   int64
	UnitName string
	Units    []planOption // for province-wide users
	Sections []taskMineSection
}

// taskMineSection is the tasks the unit leads, or those it coordinates.
type taskMineSection struct {
	Title string // catalogue key
	ID    string
	Rows  []planTaskRow
}

// taskMinePage lists the tasks the caller's unit (and units merged into
// it) leads and coordinates, overdue ones first.
func (s *Server) taskMinePage(w http.ResponseWriter, r *http.Request) {
	pr, ok := s.planStaff(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	l := Lang(r)
	unit := pr.UnitID
	names, dir, err := s.planUnitNames(ctx, dates.Today())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := &taskMineData{}
	provinceA, _ := pr.Scope(auth.TaskReport)
	provinceB, _ := pr.Scope(auth.ActivityRead)
	if provinceA || provinceB {
		if id, err := strconv.ParseInt(r.URL.Query().Get("unit"), 10, 64); err == nil && id > 0 {
			if _, known := names[id]; known {
				unit = id
			}
		}
		for _, u := range dir {
			if u.Closed || u.Type == "school" {
				continue
			}
			id := strconv.FormatInt(u.ID, 10)
			d.Units = append(d.Units, planOption{Value: id, Label: u.Name, Selected: u.ID == unit})
		}
	}
	d.UnitID, d.UnitName = unit, names[unit]
	ids := []int64{unit}
	preds, err := s.store.Predecessors(ctx, unit)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for _, p := range preds {
		ids = append(ids, p.Unit.ID)
	}
	today := dates.Today()
	planCache := map[int64]bool{}
	for _, role := range []string{"lead", "coord"} {
		list, err := s.store.Tasks(ctx, store.TaskFilter{Units: ids, Role: role})
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		var rows []planTaskRow
		for _, t := range list {
			vis, seen := planCache[t.PlanID]
			if !seen {
				p, err := s.store.Plan(ctx, t.PlanID)
				if err != nil {
					s.Fail(w, r, err)
					return
				}
				if vis, err = s.planVisible(r, p); err != nil {
					s.Fail(w, r, err)
					return
				}
				planCache[t.PlanID] = vis
			}
			if !vis {
				continue
			}
			rows = append(rows, planTaskRow{Task: t, Lead: planNames(names, t.Lead), Coord: planNames(names, t.Coord),
				Timeframe: planTimeframe(l, t), Overdue: t.Overdue(today)})
		}
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Overdue && !rows[j].Overdue })
		d.Sections = append(d.Sections, taskMineSection{Title: "task.mine." + role, ID: "mine-" + role, Rows: rows})
	}
	s.Render(w, r, http.StatusOK, "tasks_mine", d)
}
