package web

import (
	"net/http"

	"khienso/internal/activities"
	"khienso/internal/auth"
	"khienso/internal/validation"
)

// APIActivity is an activity as the API shows it.
type APIActivity struct {
	ID           int64    `json:"id"`
	UnitID       int64    `json:"unit_id"`
	UnitName     string   `json:"unit_name"`
	Type         string   `json:"type"`
	Title        string   `json:"title"`
	Channel      string   `json:"channel"`
	Start        string   `json:"start"`
	End          string   `json:"end"`
	Audiences    []string `json:"audiences"`
	Quantity     int64    `json:"quantity"`
	Participants int64    `json:"participants"`
	Views        int64    `json:"views"`
	Copies       int64    `json:"copies"`
	Communes     int64    `json:"communes"`
	Description  string   `json:"description"`
	EvidenceLink string   `json:"evidence_link"`
	Tasks        []int64  `json:"tasks"`
	CreatedBy    int64    `json:"created_by,omitempty"`
}

func apiActivityOf(a *activities.Activity) APIActivity {
	v := APIActivity{ID: a.ID, UnitID: a.UnitID, UnitName: a.UnitName, Type: string(a.Type), Title: a.Title,
		Channel: string(a.Channel), Start: a.Start.ISO(), End: a.End.ISO(), Audiences: []string{}, Quantity: a.Quantity,
		Participants: a.Participants, Views: a.Views, Copies: a.Copies, Communes: a.Communes, Description: a.Description,
		EvidenceLink: a.EvidenceLink, Tasks: a.Tasks, CreatedBy: a.CreatedBy}
	for _, x := range a.Audiences.List() {
		v.Audiences = append(v.Audiences, string(x))
	}
	if v.Tasks == nil {
		v.Tasks = []int64{}
	}
	return v
}

// apiActivityFields is the body of POST and PATCH: a PATCH starts from the
// stored activity, so absent fields keep their values.
type apiActivityFields struct {
	UnitID       int64    `json:"unit_id"`
	Type         string   `json:"type"`
	Title        string   `json:"title"`
	Channel      string   `json:"channel"`
	Start        string   `json:"start"`
	End          string   `json:"end"`
	Audiences    []string `json:"audiences"`
	Quantity     int64    `json:"quantity"`
	Participants int64    `json:"participants"`
	Views        int64    `json:"views"`
	Copies       int64    `json:"copies"`
	Communes     int64    `json:"communes"`
	Description  string   `json:"description"`
	EvidenceLink string   `json:"evidence_link"`
	Tasks        []int64  `json:"tasks"`
}

func apiActivityFieldsOf(a *activities.Activity) apiActivityFields {
	v := apiActivityOf(a)
	return apiActivityFields{UnitID: v.UnitID, Type: v.Type, Title: v.Title, Channel: v.Channel, Start: v.Start, End: v.End,
		Audiences: v.Audiences, Quantity: v.Quantity, Participants: v.Participants, Views: v.Views, Copies: v.Copies,
		Communes: v.Communes, Description: v.Description, EvidenceLink: v.EvidenceLink, Tasks: v.Tasks}
}

// toActivity builds the activity the body describes; malformed dates and
// unknown audiences are field errors.
func (f apiActivityFields) toActivity(errs *validation.Errors) *activities.Activity {
	a := &activities.Activity{UnitID: f.UnitID, Type: activities.Type(f.Type), Title: f.Title, Channel: activities.Channel(f.Channel),
		Quantity: f.Quantity, Participants: f.Participants, Views: f.Views, Copies: f.Copies, Communes: f.Communes,
		Description: f.Description, EvidenceLink: f.EvidenceLink, Tasks: f.Tasks}
	a.Start = apiBodyDate("start", f.Start, errs)
	a.End = apiBodyDate("end", f.End, errs)
	for _, x := range f.Audiences {
		if !activities.ValidAudience(activities.Audience(x)) {
			errs.Add("audiences", "activity.import.audience", x)
			continue
		}
		a.Audiences |= activities.SetOf(activities.Audience(x))
	}
	return a
}

// apiActivitySave checks scope and tasks, then creates (ID 0) or updates.
func (s *Server) apiActivitySave(w http.ResponseWriter, r *http.Request, a *activities.Activity, errs validation.Errors) bool {
	ctx := r.Context()
	if a.UnitID != 0 {
		ok, err := s.allowed(r, auth.ActivityWrite, a.UnitID)
		if err != nil {
			s.Fail(w, r, err)
			return false
		}
		if !ok {
			s.Fail(w, r, ErrForbidden)
			return false
		}
	}
	if err := s.activityCheck(ctx, a, &errs); err != nil {
		s.Fail(w, r, err)
		return false
	}
	if len(errs) > 0 {
		s.Fail(w, r, errs)
		return false
	}
	var err error
	if a.ID == 0 {
		err = s.store.CreateActivity(ctx, s.actor(r), a)
	} else {
		err = s.store.UpdateActivity(ctx, s.actor(r), a)
	}
	if err != nil {
		s.Fail(w, r, err)
		return false
	}
	return true
}

// apiActivityList lists the activities in the caller's read scope, newest
// first, filtered by ?unit= (its subtree), ?year=, ?from=, ?to=, ?type=,
// ?task= and ?q=.
func (s *Server) apiActivityList(w http.ResponseWriter, r *http.Request) {
	if s.apiCaller(w, r) == nil {
		return
	}
	limit, offset, err := ListParams(r, apiListDefault, apiListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	q := r.URL.Query()
	f, err := s.activityFilterOf(r, activityFilterInput{Unit: q.Get("unit"), Year: q.Get("year"), From: q.Get("from"),
		To: q.Get("to"), Type: q.Get("type"), Task: q.Get("task"), Query: q.Get("q")}, true)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	f.Limit, f.Offset = limit, offset
	list, total, err := s.store.Activities(r.Context(), f)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	items := make([]APIActivity, 0, len(list))
	for _, a := range list {
		items = append(items, apiActivityOf(a))
	}
	WriteJSON(w, http.StatusOK, ListResponse[APIActivity]{Items: items, Total: total, Limit: limit, Offset: offset})
}

func (s *Server) apiActivityCreate(w http.ResponseWriter, r *http.Request) {
	p := s.apiCaller(w, r)
	if p == nil {
		return
	}
	if !p.Can(auth.ActivityWrite) {
		s.Fail(w, r, ErrForbidden)
		return
	}
	var in apiActivityFields
	if err := DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	var errs validation.Errors
	a := in.toActivity(&errs)
	if !s.apiActivitySave(w, r, a, errs) {
		return
	}
	s.apiActivityOne(w, r, http.StatusCreated, a.ID)
}

func (s *Server) apiActivityOne(w http.ResponseWriter, r *http.Request, status int, id int64) {
	a, err := s.store.Activity(r.Context(), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	WriteJSON(w, status, apiActivityOf(a))
}

func (s *Server) apiActivityGet(w http.ResponseWriter, r *http.Request) {
	a, ok := s.activityLoad(w, r, auth.ActivityRead)
	if !ok {
		return
	}
	WriteJSON(w, http.StatusOK, apiActivityOf(a))
}

func (s *Server) apiActivityPatch(w http.ResponseWriter, r *http.Request) {
	before, ok := s.activityLoad(w, r, auth.ActivityWrite)
	if !ok {
		return
	}
	in := apiActivityFieldsOf(before)
	if err := DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	var errs validation.Errors
	a := in.toActivity(&errs)
	a.ID = before.ID
	if !s.apiActivitySave(w, r, a, errs) {
		return
	}
	s.apiActivityOne(w, r, http.StatusOK, a.ID)
}

func (s *Server) apiActivityDelete(w http.ResponseWriter, r *http.Request) {
	a, ok := s.activityLoad(w, r, auth.ActivityWrite)
	if !ok {
		return
	}
	if err := s.store.DeleteActivity(r.Context(), s.actor(r), a.ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
