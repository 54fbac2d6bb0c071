package unitsweb

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
	"khienso/internal/web"
)

const (
	// importMaxBody bounds an upload: the file plus the form around it.
	importMaxBody = units.MaxImportBytes + 1<<20
	// reportPage is how many report lines a page of a job shows.
	reportPage = 200
)

// importData is what units_import.html shows.
type importData struct {
	Upload  web.ImportUpload
	Columns []web.ImportColumn
	Types   []string
	Levels  []string
	Jobs    []*jobView
	Errors  []string
	Today   string
}

func (s *handler) importPage(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RequireImporter(s.Caller(r)); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.importForm(w, r, http.StatusOK, nil, false)
}

func (s *handler) importForm(w http.ResponseWriter, r *http.Request, status int, errs []string, skip bool) {
	l := web.Lang(r)
	d := importData{Errors: errs, Today: s.svc.Today().VN(), Upload: web.ImportUpload{Action: "/units/import",
		TemplateURL: "/units/import/template.xlsx", MaxMB: units.MaxImportBytes >> 20, SkipInvalid: skip}}
	for _, c := range units.Columns() {
		d.Columns = append(d.Columns, web.ImportColumn{Header: c.Header(), Key: string(c),
			Description: l.T("import.col." + string(c)), Required: c == units.ColCode})
	}
	for _, t := range units.Types {
		d.Types = append(d.Types, l.T("unit.type."+string(t))+" ("+string(t)+")")
	}
	for _, lv := range units.SchoolLevels {
		d.Levels = append(d.Levels, l.T("unit.level."+string(lv))+" ("+string(lv)+")")
	}
	jobs, _, err := s.svc.Jobs(r.Context(), s.Caller(r), 10, 0)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for _, j := range jobs {
		d.Jobs = append(d.Jobs, viewOf(j, l))
	}
	s.Render(w, r, status, "units_import", d)
}

// upload is the file of an import form or API call.
type upload struct {
	name string
	data []byte
	skip bool
}

// errNoFile and errTooLarge are what is wrong with an upload; the API
// answers them as 422 naming "file" and 413.
var (
	errNoFile   = &noFile{validation.Errors{{Field: "file", Reason: "import.form.no_file"}}}
	errTooLarge = web.ErrTooLarge
)

// noFile is an upload without a file: a validation error on "file".
type noFile struct{ errs validation.Errors }

func (e *noFile) Error() string { return e.errs.Error() }
func (e *noFile) Unwrap() error { return e.errs }

// readUpload reads the multipart body of r: the file field and the
// skip_invalid flag.
func readUpload(w http.ResponseWriter, r *http.Request) (upload, error) {
	var up upload
	if r.ContentLength > importMaxBody {
		return up, errTooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, importMaxBody)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return up, errTooLarge
		}
		return up, errNoFile
	}
	up.skip = r.PostFormValue("skip_invalid") != "" && r.PostFormValue("skip_invalid") != "false"
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return up, errNoFile
	}
	defer file.Close()
	return up, up.read(file, hdr)
}

func (up *upload) read(file multipart.File, hdr *multipart.FileHeader) error {
	if hdr.Size > units.MaxImportBytes {
		return errTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(file, units.MaxImportBytes+1))
	if err != nil {
		return err
	}
	if len(data) == 0 {
		return errNoFile
	}
	up.name, up.data = hdr.Filename, data
	return nil
}

func (s *handler) importSubmit(w http.ResponseWriter, r *http.Request) {
	actor := s.Caller(r)
	// Refused before the body is read.
	if err := s.svc.RequireImporter(actor); err != nil {
		s.Fail(w, r, err)
		return
	}
	l := web.Lang(r)
	up, err := readUpload(w, r)
	switch {
	case errors.Is(err, errTooLarge):
		s.importForm(w, r, http.StatusRequestEntityTooLarge, []string{l.T("import.err.too_large", units.MaxImportBytes>>20)}, up.skip)
		return
	case errors.Is(err, errNoFile):
		s.importForm(w, r, http.StatusBadRequest, []string{l.T("import.form.no_file")}, up.skip)
		return
	case err != nil:
		s.Fail(w, r, err)
		return
	}
	job, err := s.svc.StartImport(r.Context(), actor, up.name, up.data, up.skip)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, jobURL(job.ID), http.StatusSeeOther)
}

func jobURL(id int64) string { return "/units/import/jobs/" + strconv.FormatInt(id, 10) }

// jobView is a job as pages show it.
type jobView struct {
	ID        int64
	Filename  string
	Status    string // queued, running, done, failed
	Label     string
	Total     int
	Processed int
	Written   int
	Percent   int
	Finished  bool
	Skip      bool
	Error     string
	CreatedAt time.Time
	URL       string
}

func viewOf(j *store.ImportJob, l i18n.Lang) *jobView {
	v := &jobView{ID: j.ID, Filename: j.Filename, Status: j.Status, Total: j.Total, Processed: j.Processed,
		Written: j.Written, Skip: j.SkipInvalid, CreatedAt: j.CreatedAt, Finished: j.Finished(), URL: jobURL(j.ID)}
	if j.Error != "" {
		v.Error = l.T(j.Error)
	}
	if v.Total > 0 {
		v.Percent = min(100, v.Processed*100/v.Total)
	}
	if v.Finished {
		v.Percent = 100
	}
	v.Label = l.T("import.status." + v.Status)
	return v
}

// jobData is what units_import_job.html shows.
type jobData struct {
	Job     *jobView
	Result  *units.ImportResult
	Issues  []web.ImportIssue
	Pager   web.Pager
	Refresh bool
}

func (s *handler) importJobPage(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	j, res, err := s.svc.Result(r.Context(), s.Caller(r), id)
	if err != nil && j == nil {
		s.Fail(w, r, err)
		return
	}
	d := jobData{Job: viewOf(j, web.Lang(r))}
	d.Refresh = !d.Job.Finished
	if res != nil {
		d.Result = res
		page, size, offset := web.PageParams(r, reportPage)
		d.Pager = web.NewPager(page, size, len(res.Report))
		d.Issues = web.ImportIssues(web.PageOf(res.Report, size, offset))
	}
	s.Render(w, r, http.StatusOK, "units_import_job", d)
}

// importJobStatus is the progress of a job as JSON, for import.js.
func (s *handler) importJobStatus(w http.ResponseWriter, r *http.Request) {
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
	l := web.Lang(r)
	v := viewOf(j, l)
	web.WriteJSON(w, http.StatusOK, map[string]any{
		"status": v.Status, "label": v.Label, "processed": v.Processed, "total": v.Total,
		"written": v.Written, "percent": v.Percent, "finished": v.Finished,
		"text": l.T("import.job.processed", l.Int(v.Processed), l.Int(v.Total)),
	})
}

func (s *handler) importTemplate(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RequireImporter(s.Caller(r)); err != nil {
		s.Fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := units.Template(&buf); err != nil {
		s.Fail(w, r, err)
		return
	}
	web.SendFile(w, units.FormatXLSX.ContentType(), "mau-nhap-don-vi.xlsx", buf.Bytes())
}

// exportUnits sends the units of the caller's province in force on ?date=
// (dd/mm/yyyy, default today) as ?format=xlsx or csv, in the import format.
func (s *handler) exportUnits(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var errs validation.Errors
	day, err := dates.Parse(q.Get("date"))
	if err != nil {
		errs.Add("date", "err.date")
	}
	s.export(w, r, q.Get("format"), day, errs)
}

// export answers an export of the units in force on day (zero: today).
func (s *handler) export(w http.ResponseWriter, r *http.Request, formatParam string, day dates.Date, errs validation.Errors) {
	actor := s.Caller(r)
	if err := s.svc.RequireImporter(actor); err != nil {
		s.Fail(w, r, err)
		return
	}
	format, ok := units.ParseFormat(formatParam)
	if formatParam == "" {
		format, ok = units.FormatXLSX, true
	}
	if !ok {
		errs.Add("format", "import.err.export_format")
	}
	if len(errs) > 0 {
		s.Fail(w, r, web.BadRequest(errs))
		return
	}
	if day.IsZero() {
		day = s.svc.Today()
	}
	list, err := s.svc.Export(r.Context(), actor, day)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	// Buffered, so a failure is a clean error rather than half a file.
	var buf bytes.Buffer
	if err := units.Export(&buf, format, list); err != nil {
		s.Fail(w, r, err)
		return
	}
	web.SendFile(w, format.ContentType(), "don-vi-"+day.ISO()+"."+string(format), buf.Bytes())
}
