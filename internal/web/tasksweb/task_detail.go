package tasksweb

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"khienso/internal/activities"
	"khienso/internal/plans"
	"khienso/internal/service/tasksvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

type updateRow struct {
	Update  *plans.TaskUpdate
	CanFile bool
}

type detailData struct {
	Task       *plans.Task
	Plan       *plans.Plan
	Lead       []string
	Coord      []string
	Timeframe  string
	Overdue    bool
	Updates    []updateRow
	Activities []*activities.Activity
	CanWrite   bool
	CanReport  bool
	Saved      bool
	Values     url.Values
	Statuses   []web.Option
	Errors     web.FormErrors
	MaxMB      int
	// Reach is how many linked activities the caller may read, and the
	// people they reached.
	Reach struct{ Activities, People int }
}

// updateFields are the progress form's inputs, in display order.
var updateFields = []web.FieldRef{
	{Name: "status", ID: "update-status", LabelKey: "task.field.status"},
	{Name: "progress", ID: "update-progress", LabelKey: "task.field.progress"},
	{Name: "note", ID: "update-note", LabelKey: "task.field.note"},
	{Name: "link", ID: "update-link", LabelKey: "task.field.link"},
	{Name: "file", ID: "update-file", LabelKey: "task.field.file"},
}

// renderDetail shows task id; v (nil: the task's own status and progress)
// and errs fill the progress form.
func (s *handler) renderDetail(w http.ResponseWriter, r *http.Request, status int, id int64, v url.Values, errs validation.Errors) {
	ctx := r.Context()
	l := web.Lang(r)
	det, err := s.svc.Detail(ctx, s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	names, err := s.unitNames(ctx, s.svc.Today())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	t := det.Task
	if v == nil {
		v = url.Values{"status": {string(t.Status)}, "progress": {strconv.Itoa(t.Progress)}}
	}
	row := RowOf(l, names, t, s.svc.Today())
	d := &detailData{Task: t, Plan: det.Plan, Lead: row.Lead, Coord: row.Coord, Timeframe: row.Timeframe, Overdue: row.Overdue,
		Activities: det.Activities, CanWrite: det.Write, CanReport: det.Report, Saved: r.URL.Query().Get("saved") != "",
		Values: v, Statuses: web.Choices(l, plans.TaskStatuses, "task.status.", v.Get("status"), ""), Errors: web.NewFormErrors(l, errs, updateFields),
		MaxMB: plans.MaxEvidenceFile >> 20}
	d.Reach.Activities, d.Reach.People = int(det.Reach.Records), int(det.Reach.Participants)
	for _, u := range det.Updates {
		d.Updates = append(d.Updates, updateRow{Update: u, CanFile: u.FileName != ""})
	}
	s.Render(w, r, status, "tasks_detail", d)
}

func (s *handler) detailPage(w http.ResponseWriter, r *http.Request) {
	if id, ok := s.ParsePathID(w, r, "id"); ok {
		s.renderDetail(w, r, http.StatusOK, id, nil, nil)
	}
}

// readReport reads a progress update from a form or multipart body with an
// optional evidence file (field "file"). Errors are about the request
// itself: a body over the limit, a progress that is not a number.
func readReport(w http.ResponseWriter, r *http.Request) (tasksvc.Report, validation.Errors, error) {
	var in tasksvc.Report
	r.Body = http.MaxBytesReader(w, r.Body, plans.MaxEvidenceFile+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			// The body was cut short: say the file is too big rather
			// than failing the whole page.
			return in, validation.Errors{{Field: "file", Reason: "task.err.file_size", Args: []any{plans.MaxEvidenceFile >> 20}}}, nil
		case !errors.Is(err, http.ErrNotMultipart):
			return in, nil, err
		}
		if err := r.ParseForm(); err != nil {
			return in, nil, err
		}
	}
	var errs validation.Errors
	v := r.Form
	in.Status, in.Note, in.Link = plans.TaskStatus(v.Get("status")), v.Get("note"), v.Get("link")
	if p := strings.TrimSpace(v.Get("progress")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			errs.Add("progress", "err.number")
		}
		in.Progress = &n
	}
	f, h, err := r.FormFile("file")
	switch {
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
	case err != nil:
		return in, nil, err
	default:
		defer f.Close()
		if in.File, err = io.ReadAll(io.LimitReader(f, plans.MaxEvidenceFile+1)); err != nil {
			return in, nil, err
		}
		in.FileName = h.Filename
	}
	return in, errs, nil
}

// updateSubmit records a progress update with an optional evidence file.
func (s *handler) updateSubmit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	in, errs, err := readReport(w, r)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if len(errs) > 0 {
		if _, _, err := s.svc.RequireReport(r.Context(), s.Caller(r), id); err != nil {
			s.Fail(w, r, err)
			return
		}
	} else {
		_, err := s.svc.AddReport(r.Context(), s.Caller(r), id, in)
		if errs = s.saveErrors(w, r, err); errs == nil && err != nil {
			return
		}
	}
	if len(errs) > 0 {
		v := r.Form
		s.renderDetail(w, r, http.StatusUnprocessableEntity, id,
			url.Values{"status": {v.Get("status")}, "progress": {v.Get("progress")}, "note": {v.Get("note")}, "link": {v.Get("link")}}, errs)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tasks/%d?saved=1#updates", id), http.StatusSeeOther)
}

func (s *handler) evidenceFile(w http.ResponseWriter, r *http.Request) {
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
