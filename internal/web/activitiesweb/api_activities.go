package activitiesweb

import (
	"errors"
	"net/http"

	"khienso/internal/activities"
	"khienso/internal/validation"
	"khienso/internal/web"
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
	a.Start = web.ISODate("start", f.Start, errs)
	a.End = web.ISODate("end", f.End, errs)
	for _, x := range f.Audiences {
		if !activities.ValidAudience(activities.Audience(x)) {
			errs.Add("audiences", "activity.import.audience", x)
			continue
		}
		a.Audiences |= activities.SetOf(activities.Audience(x))
	}
	return a
}

// apiActivityList lists the activities in the caller's read scope, newest
// first, filtered by ?unit= (its subtree), ?year=, ?from=, ?to=, ?type=,
// ?task= and ?q=.
func (s *handler) apiActivityList(w http.ResponseWriter, r *http.Request) {
	actor := s.Caller(r)
	if actor.Principal == nil {
		s.Fail(w, r, web.ErrUnauthorized)
		return
	}
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	f, errs := activityFilterInputOf(r.URL.Query()).filter(true)
	if len(errs) > 0 {
		s.Fail(w, r, web.BadRequest(errs))
		return
	}
	f.Limit, f.Offset = limit, offset
	page, err := s.svc.List(r.Context(), actor, f)
	if ve := (validation.Errors{}); errors.As(err, &ve) {
		err = web.BadRequest(ve) // filters are query parameters: 400 as for any bad parameter
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	items := make([]APIActivity, 0, len(page.Items))
	for _, a := range page.Items {
		items = append(items, apiActivityOf(a))
	}
	web.WriteJSON(w, http.StatusOK, web.ListResponse[APIActivity]{Items: items, Total: page.Total, Limit: limit, Offset: offset})
}

func (s *handler) apiActivityCreate(w http.ResponseWriter, r *http.Request) {
	actor := s.Caller(r)
	if err := s.svc.RequireWriter(actor); err != nil {
		s.Fail(w, r, err)
		return
	}
	var in apiActivityFields
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	var errs validation.Errors
	a := in.toActivity(&errs)
	if err := s.svc.Create(r.Context(), actor, a, errs); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.apiActivityOne(w, r, http.StatusCreated, a.ID)
}

// apiActivityOne answers with activity id as stored.
func (s *handler) apiActivityOne(w http.ResponseWriter, r *http.Request, status int, id int64) {
	a, err := s.svc.Get(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, status, apiActivityOf(a))
}

func (s *handler) apiActivityGet(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	s.apiActivityOne(w, r, http.StatusOK, id)
}

func (s *handler) apiActivityPatch(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	ctx, actor := r.Context(), s.Caller(r)
	before, err := s.svc.Editable(ctx, actor, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	in := apiActivityFieldsOf(before)
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	var errs validation.Errors
	a := in.toActivity(&errs)
	if err := s.svc.Update(ctx, actor, id, a, errs); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.apiActivityOne(w, r, http.StatusOK, id)
}

func (s *handler) apiActivityDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.svc.Delete(r.Context(), s.Caller(r), id); err != nil {
		s.Fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
