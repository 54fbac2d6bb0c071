package tasksweb

import (
	"net/http"

	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/validation"
	"khienso/internal/web"
)

func (s *handler) apiRoutes() {
	s.HandleAPI("GET /api/v1/plans/{id}/tasks", s.apiTaskList)
	s.HandleAPI("POST /api/v1/plans/{id}/tasks", s.apiTaskCreate)
	s.HandleAPI("GET /api/v1/tasks/mine", s.apiTaskMine)
	s.HandleAPI("GET /api/v1/tasks/{id}", s.apiTaskGet)
	s.HandleAPI("PATCH /api/v1/tasks/{id}", s.apiTaskPatch)
	s.HandleAPI("DELETE /api/v1/tasks/{id}", s.apiTaskDelete)
	s.HandleAPI("GET /api/v1/tasks/{id}/updates", s.apiUpdateList)
	s.HandleAPI("POST /api/v1/tasks/{id}/updates", s.apiUpdateCreate)
	s.HandleAPI("GET /api/v1/task-updates/{id}/evidence", s.apiEvidence)
	s.HandleAPI("POST /api/v1/plans/{id}/import", s.apiImport)
	s.HandleAPI("POST /api/v1/plans/{id}/import/confirm", s.apiImportConfirm)
}

// APITask is a task as the API shows it.
type APITask struct {
	ID        int64   `json:"id"`
	PlanID    int64   `json:"plan_id"`
	PlanTitle string  `json:"plan_title"`
	Position  int     `json:"position"`
	Overdue   bool    `json:"overdue"`
	Section   string  `json:"section"`
	Number    string  `json:"number"`
	Content   string  `json:"content"`
	LeadText  string  `json:"lead_text"`
	CoordText string  `json:"coord_text"`
	Lead      []int64 `json:"lead"`
	Coord     []int64 `json:"coord"`
	Kind      string  `json:"kind"`
	YearFrom  int     `json:"year_from,omitempty"`
	YearTo    int     `json:"year_to,omitempty"`
	Due       string  `json:"due,omitempty"`
	Status    string  `json:"status"`
	Progress  int     `json:"progress"`
}

func apiTaskOf(t *plans.Task, today dates.Date) APITask {
	f := apiTaskFieldsOf(t)
	return APITask{ID: t.ID, PlanID: t.PlanID, PlanTitle: t.PlanTitle, Position: t.Position, Overdue: t.Overdue(today),
		Section: f.Section, Number: f.Number, Content: f.Content, LeadText: f.LeadText, CoordText: f.CoordText,
		Lead: f.Lead, Coord: f.Coord, Kind: f.Kind, YearFrom: f.YearFrom, YearTo: f.YearTo, Due: f.Due,
		Status: f.Status, Progress: f.Progress}
}

// apiTaskFields is the body of POST and PATCH, and a task of an import's
// review and confirmation. A PATCH starts from the stored task, so absent
// fields keep their values.
type apiTaskFields struct {
	Section   string  `json:"section"`
	Number    string  `json:"number"`
	Content   string  `json:"content"`
	LeadText  string  `json:"lead_text"`
	CoordText string  `json:"coord_text"`
	Lead      []int64 `json:"lead"`
	Coord     []int64 `json:"coord"`
	Kind      string  `json:"kind"`
	YearFrom  int     `json:"year_from,omitempty"`
	YearTo    int     `json:"year_to,omitempty"`
	Due       string  `json:"due,omitempty"`
	Status    string  `json:"status,omitempty"`
	Progress  int     `json:"progress"`
}

func apiTaskFieldsOf(t *plans.Task) apiTaskFields {
	f := apiTaskFields{Section: t.Section, Number: t.Number, Content: t.Content, LeadText: t.LeadText, CoordText: t.CoordText,
		Lead: t.Lead, Coord: t.Coord, Kind: string(t.Kind), Status: string(t.Status), Progress: t.Progress}
	if f.Lead == nil {
		f.Lead = []int64{}
	}
	if f.Coord == nil {
		f.Coord = []int64{}
	}
	switch t.Kind {
	case plans.TimeRange:
		f.YearFrom, f.YearTo = t.YearFrom, t.YearTo
	case plans.TimeDue:
		f.Due = t.Due.ISO()
	}
	return f
}

// toTask builds the task the body describes; a malformed date is a field
// error (prefix names the task in a list: "tasks.0.").
func (f apiTaskFields) toTask(prefix string, errs *validation.Errors) *plans.Task {
	t := &plans.Task{Section: f.Section, Number: f.Number, Content: f.Content, LeadText: f.LeadText, CoordText: f.CoordText,
		Lead: f.Lead, Coord: f.Coord, Kind: plans.TimeframeKind(f.Kind), YearFrom: f.YearFrom, YearTo: f.YearTo,
		Status: plans.TaskStatus(f.Status), Progress: f.Progress}
	if t.Kind == plans.TimeDue {
		t.Due = web.ISODate(prefix+"due", f.Due, errs)
	}
	return t
}

// apiTaskList is a plan's task table, in plan order.
func (s *handler) apiTaskList(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	_, list, err := s.svc.Tasks(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	today := s.svc.Today()
	items := []APITask{}
	for _, t := range web.PageOf(list, limit, offset) {
		items = append(items, apiTaskOf(t, today))
	}
	web.WriteJSON(w, http.StatusOK, web.ListResponse[APITask]{Items: items, Total: len(list), Limit: limit, Offset: offset})
}

func (s *handler) apiTaskCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	var in apiTaskFields
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	var errs validation.Errors
	t := in.toTask("", &errs)
	if len(errs) > 0 {
		s.Fail(w, r, errs)
		return
	}
	if err := s.svc.Create(r.Context(), s.Caller(r), id, t); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.apiTaskOne(w, r, http.StatusCreated, t.ID)
}

func (s *handler) apiTaskOne(w http.ResponseWriter, r *http.Request, status int, id int64) {
	t, _, err := s.svc.Task(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, status, apiTaskOf(t, s.svc.Today()))
}

func (s *handler) apiTaskGet(w http.ResponseWriter, r *http.Request) {
	if id, ok := s.ParsePathID(w, r, "id"); ok {
		s.apiTaskOne(w, r, http.StatusOK, id)
	}
}

func (s *handler) apiTaskPatch(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	before, _, err := s.svc.Editable(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	in := apiTaskFieldsOf(before)
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	var errs validation.Errors
	t := in.toTask("", &errs)
	if len(errs) > 0 {
		s.Fail(w, r, errs)
		return
	}
	t.ID = id
	if err := s.svc.Update(r.Context(), s.Caller(r), t); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.apiTaskOne(w, r, http.StatusOK, id)
}

func (s *handler) apiTaskDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	if _, err := s.svc.Delete(r.Context(), s.Caller(r), id); err != nil {
		s.Fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// APIMineTask is a task of "my tasks", with the unit's part in it.
type APIMineTask struct {
	APITask
	Role string `json:"role"` // "lead" or "coord"
}

// apiTaskMine lists the tasks ?unit= (default the caller's unit) leads
// (?role=lead), coordinates (?role=coord) or both, lead first, overdue
// first within each.
func (s *handler) apiTaskMine(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	q := r.URL.Query()
	var errs validation.Errors
	unit := web.FormID(r, "unit")
	if q.Get("unit") != "" && unit == 0 {
		errs.Add("unit", "err.invalid")
	}
	role := q.Get("role")
	if role != "" && role != "lead" && role != "coord" {
		errs.Add("role", "err.invalid")
	}
	if len(errs) > 0 {
		s.Fail(w, r, web.BadRequest(errs))
		return
	}
	m, err := s.svc.Mine(r.Context(), s.Caller(r), unit)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	today := s.svc.Today()
	var all []APIMineTask
	for _, sec := range []struct {
		role  string
		tasks []*plans.Task
	}{{"lead", m.Lead}, {"coord", m.Coord}} {
		if role != "" && role != sec.role {
			continue
		}
		for _, t := range sec.tasks {
			all = append(all, APIMineTask{APITask: apiTaskOf(t, today), Role: sec.role})
		}
	}
	web.WriteJSON(w, http.StatusOK, web.ListOf(all, limit, offset))
}
