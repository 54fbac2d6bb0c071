package tasksweb

import (
	"fmt"
	"net/http"
	"strings"

	"khienso/internal/plans"
	"khienso/internal/service/tasksvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// APITaskUpdate is a progress update as the API shows it.
type APITaskUpdate struct {
	ID        int64        `json:"id"`
	TaskID    int64        `json:"task_id"`
	UnitID    int64        `json:"unit_id"`
	UnitName  string       `json:"unit_name"`
	UserID    int64        `json:"user_id,omitempty"`
	UserName  string       `json:"user_name,omitempty"`
	Status    string       `json:"status"`
	Progress  int          `json:"progress"`
	Note      string       `json:"note"`
	Link      string       `json:"link"`
	Evidence  *APIEvidence `json:"evidence"`
	CreatedAt string       `json:"created_at"`
}

// APIEvidence names an update's file and where to download it.
type APIEvidence struct {
	Name string `json:"name"`
	Type string `json:"type"`
	URL  string `json:"url"`
}

func apiUpdateOf(u *plans.TaskUpdate) APITaskUpdate {
	v := APITaskUpdate{ID: u.ID, TaskID: u.TaskID, UnitID: u.UnitID, UnitName: u.UnitName, UserID: u.UserID, UserName: u.UserName,
		Status: string(u.Status), Progress: u.Progress, Note: u.Note, Link: u.Link, CreatedAt: u.CreatedAt}
	if u.FileName != "" {
		v.Evidence = &APIEvidence{Name: u.FileName, Type: u.FileType, URL: fmt.Sprintf("/api/v1/task-updates/%d/evidence", u.ID)}
	}
	return v
}

// apiUpdateList lists the progress updates on a task the caller may read,
// newest first.
func (s *handler) apiUpdateList(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	list, err := s.svc.Updates(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	items := []APITaskUpdate{}
	for _, u := range web.PageOf(list, limit, offset) {
		items = append(items, apiUpdateOf(u))
	}
	web.WriteJSON(w, http.StatusOK, web.ListResponse[APITaskUpdate]{Items: items, Total: len(list), Limit: limit, Offset: offset})
}

// apiUpdateBody is the JSON body of a progress update.
type apiUpdateBody struct {
	Status   string `json:"status"`
	Progress *int   `json:"progress"`
	Note     string `json:"note"`
	Link     string `json:"link"`
}

// apiUpdateCreate records a progress update: a JSON body, or a multipart
// form with the same fields and an evidence file ("file").
func (s *handler) apiUpdateCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	var in tasksvc.Report
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		var errs validation.Errors
		var err error
		in, errs, err = readReport(w, r)
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if err == nil && len(errs) > 0 {
			err = errs
		}
		if err != nil {
			s.Fail(w, r, err)
			return
		}
	} else {
		var body apiUpdateBody
		if err := web.DecodeJSON(w, r, &body); err != nil {
			s.Fail(w, r, err)
			return
		}
		in = tasksvc.Report{Status: plans.TaskStatus(body.Status), Progress: body.Progress, Note: body.Note, Link: body.Link}
	}
	u, err := s.svc.AddReport(r.Context(), s.Caller(r), id, in)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, apiUpdateOf(u))
}

// apiEvidence downloads an update's evidence file.
func (s *handler) apiEvidence(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	u, err := s.svc.Evidence(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.SendFile(w, u.FileType, u.FileName, u.FileData)
}
