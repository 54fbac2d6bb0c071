package unitsweb

import (
	"net/http"
	"strconv"
	"time"

	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// apiJob is an import job as the API shows it.
type apiJob struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	Filename    string    `json:"filename"`
	SkipInvalid bool      `json:"skip_invalid"`
	Status      string    `json:"status"`
	Total       int       `json:"total"`
	Processed   int       `json:"processed"`
	Written     int       `json:"written"`
	Percent     int       `json:"percent"`
	Finished    bool      `json:"finished"`
	Error       string    `json:"error,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func (s *handler) apiJobOf(r *http.Request, j *store.ImportJob) apiJob {
	v := viewOf(j, web.Lang(r))
	return apiJob{ID: j.ID, Kind: j.Kind, Filename: j.Filename, SkipInvalid: j.SkipInvalid, Status: v.Status,
		Total: v.Total, Processed: v.Processed, Written: v.Written, Percent: v.Percent, Finished: v.Finished,
		Error: v.Error, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt}
}

func apiJobURL(id int64) string { return "/api/v1/import-jobs/" + strconv.FormatInt(id, 10) }

// apiImportCreate starts an import of the uploaded file: 202 with the job,
// which the client follows at its Location.
func (s *handler) apiImportCreate(w http.ResponseWriter, r *http.Request) {
	actor := s.Caller(r)
	if err := s.svc.RequireImporter(actor); err != nil {
		s.Fail(w, r, err)
		return
	}
	up, err := readUpload(w, r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	job, err := s.svc.StartImport(r.Context(), actor, up.name, up.data, up.skip)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Location", apiJobURL(job.ID))
	web.WriteJSON(w, http.StatusAccepted, s.apiJobOf(r, job))
}

// apiImportJobs lists the caller's own import jobs, newest first.
func (s *handler) apiImportJobs(w http.ResponseWriter, r *http.Request) {
	actor := s.Caller(r)
	if err := s.svc.RequireSignedIn(actor); err != nil {
		s.Fail(w, r, err)
		return
	}
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	list, total, err := s.svc.Jobs(r.Context(), actor, limit, offset)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	items := make([]apiJob, 0, len(list))
	for _, j := range list {
		items = append(items, s.apiJobOf(r, j))
	}
	web.WriteJSON(w, http.StatusOK, web.ListResponse[apiJob]{Items: items, Total: total, Limit: limit, Offset: offset})
}

// apiImportJob is one job's status and progress.
func (s *handler) apiImportJob(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	j, err := s.svc.Job(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, s.apiJobOf(r, j))
}

// apiIssue is one line of an import's report.
type apiIssue struct {
	Row     int    `json:"row"` // 0: the whole file
	Cell    string `json:"cell,omitempty"`
	Column  string `json:"column,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// apiReport is a finished job's outcome with one page of its report.
type apiReport struct {
	JobID     int64      `json:"job_id"`
	Rows      int        `json:"rows"`
	Created   int        `json:"created"`
	Updated   int        `json:"updated"`
	Moved     int        `json:"moved"`
	Unchanged int        `json:"unchanged"`
	Invalid   int        `json:"invalid"`
	Written   int        `json:"written"`
	Omitted   int        `json:"omitted"`
	Items     []apiIssue `json:"items"`
	Total     int        `json:"total"`
	Limit     int        `json:"limit"`
	Offset    int        `json:"offset"`
}

// apiImportReport is the row-by-row outcome of a finished job; 409 while
// it runs.
func (s *handler) apiImportReport(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	limit, offset, err := web.ListParams(r, reportPage, 1000)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	j, res, err := s.svc.Result(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := web.Lang(r)
	out := apiReport{JobID: j.ID, Rows: res.Rows, Created: res.Created, Updated: res.Updated, Moved: res.Moved,
		Unchanged: res.Unchanged, Invalid: res.Invalid, Written: res.Written, Omitted: res.Omitted,
		Items: []apiIssue{}, Total: len(res.Report), Limit: limit, Offset: offset}
	for _, is := range web.PageOf(res.Report, limit, offset) {
		out.Items = append(out.Items, apiIssue{Row: is.Row, Cell: is.ColumnLetter(), Column: is.Column, Value: is.Value, Message: is.Message(l)})
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// apiExport sends the units of the caller's province in force on ?date=
// (YYYY-MM-DD, default today) as ?format=csv or xlsx.
func (s *handler) apiExport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var errs validation.Errors
	var day dates.Date
	if q.Get("date") != "" {
		day = s.queryDate(q, "date", &errs)
	}
	s.export(w, r, q.Get("format"), day, errs)
}
