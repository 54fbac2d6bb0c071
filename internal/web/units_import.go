package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

const (
	// importMaxBody bounds an upload: the file plus the form around it.
	importMaxBody = units.MaxImportBytes + 1<<20
	// importKind names unit imports in the import_jobs table.
	importKind = "units"
	// importReportMax bounds the report lines kept with a job.
	importReportMax = 10_000
	// importReportPage is how many report lines a page of a job shows.
	importReportPage = 200
	// importFlushEvery is how often a running job's progress is saved.
	importFlushEvery = 300 * time.Millisecond
	// importStaleAfter is how long a running job may stay silent before its
	// page says it was interrupted (its instance stopped).
	importStaleAfter = 15 * time.Minute
)

// routesUnitImport registers unit import and export.
func (s *Server) routesUnitImport() {
	s.Handle("GET /units/import", s.importPage)
	s.Handle("POST /units/import", s.importSubmit)
	s.Handle("GET /units/import/template.xlsx", s.importTemplate)
	// Jobs sit one level down: /units/import/{id} would clash with
	// /units/{id}/children in the router.
	s.Handle("GET /units/import/jobs/{id}", s.importJobPage)
	s.Handle("GET /units/import/jobs/{id}/status", s.importJobStatus)
	s.Handle("GET /units/export", s.exportUnits)
}

// importRequire lets the request on only for users who may import units
// for the whole province (admins and coordinators): imports and exports
// touch every unit and carry contacts and headcounts.
func (s *Server) importRequire(w http.ResponseWriter, r *http.Request) bool {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return false
	}
	if province, _ := p.Scope(auth.UnitImport); !province {
		s.Fail(w, r, ErrForbidden)
		return false
	}
	return true
}

// importColumnHelp is one line of the column table on the import page.
type importColumnHelp struct {
	Header, Key, Description string
	Required                 bool
}

// importPageData is what units_import.html shows.
type importPageData struct {
	Columns     []importColumnHelp
	Types       []string
	Levels      []string
	Jobs        []*importJobView
	Errors      []string
	SkipInvalid bool
	Today       string
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	if !s.importRequire(w, r) {
		return
	}
	s.importRenderForm(w, r, http.StatusOK, nil, false)
}

func (s *Server) importRenderForm(w http.ResponseWriter, r *http.Request, status int, errs []string, skip bool) {
	l := Lang(r)
	d := importPageData{Errors: errs, SkipInvalid: skip, Today: dates.Today().VN()}
	for _, c := range units.Columns() {
		d.Columns = append(d.Columns, importColumnHelp{Header: c.Header(), Key: string(c),
			Description: l.T("import.col." + string(c)), Required: c == units.ColCode})
	}
	for _, t := range units.Types {
		d.Types = append(d.Types, l.T("unit.type."+string(t))+" ("+string(t)+")")
	}
	for _, lv := range units.SchoolLevels {
		d.Levels = append(d.Levels, l.T("unit.level."+string(lv))+" ("+string(lv)+")")
	}
	jobs, err := s.store.ImportJobs(r.Context(), Principal(r).UserID, 10)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for _, j := range jobs {
		d.Jobs = append(d.Jobs, importViewOf(j, l))
	}
	s.Render(w, r, status, "units_import", d)
}

// importFileName keeps the base name of an uploaded file, short and
// printable.
func importFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	if name == "" {
		name = "file"
	}
	return name
}

func (s *Server) importSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.importRequire(w, r) {
		return
	}
	l := Lang(r)
	tooLarge := l.T("import.err.too_large", units.MaxImportBytes>>20)
	if r.ContentLength > importMaxBody {
		s.importRenderForm(w, r, http.StatusRequestEntityTooLarge, []string{tooLarge}, false)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, importMaxBody)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.importRenderForm(w, r, http.StatusRequestEntityTooLarge, []string{tooLarge}, false)
			return
		}
		s.importRenderForm(w, r, http.StatusBadRequest, []string{l.T("import.form.no_file")}, false)
		return
	}
	skip := r.PostFormValue("skip_invalid") != ""
	file, hdr, err := r.FormFile("file")
	if err != nil {
		s.importRenderForm(w, r, http.StatusBadRequest, []string{l.T("import.form.no_file")}, skip)
		return
	}
	defer file.Close()
	if hdr.Size > units.MaxImportBytes {
		s.importRenderForm(w, r, http.StatusRequestEntityTooLarge, []string{tooLarge}, skip)
		return
	}
	data, err := io.ReadAll(io.LimitReader(file, units.MaxImportBytes+1))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if len(data) == 0 {
		s.importRenderForm(w, r, http.StatusBadRequest, []string{l.T("import.form.no_file")}, skip)
		return
	}
	p := Principal(r)
	job := &store.ImportJob{UserID: p.UserID, Kind: importKind, Filename: importFileName(hdr.Filename), SkipInvalid: skip}
	if err := s.store.CreateImportJob(r.Context(), job); err != nil {
		s.Fail(w, r, err)
		return
	}
	go s.importRun(*job, data, s.actor(r))
	http.Redirect(w, r, "/units/import/jobs/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
}

// importRun parses and imports a file in the background, bounded by the
// server's job context, saving progress in the database as it goes.
func (s *Server) importRun(job store.ImportJob, data []byte, actor audit.Actor) {
	ctx := s.jobs
	// The final state is saved even when the server is shutting down.
	save := func(j *store.ImportJob) {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := s.store.UpdateImportJob(sctx, j); err != nil {
			s.log.Error("save import job", "job", j.ID, "err", err)
		}
	}
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("import job panicked", "job", job.ID, "panic", fmt.Sprint(v))
			job.Status, job.Error = store.JobFailed, "import.job.error_internal"
			save(&job)
		}
	}()
	job.Status = store.JobRunning
	save(&job)
	sheet, err := units.ParseFile(job.Filename, bytes.NewReader(data))
	data = nil
	if err != nil {
		var rep units.Report
		if !errors.As(err, &rep) {
			s.log.Error("read import file", "job", job.ID, "err", err)
			job.Status, job.Error = store.JobFailed, "import.job.error_internal"
			save(&job)
			return
		}
		job.Status = store.JobDone
		job.Report = importEncode(&units.ImportResult{Report: rep, Invalid: rep.InvalidRows()})
		save(&job)
		return
	}
	job.Total = len(sheet.Rows)
	save(&job)

	// Progress goes through an atomic to a saver goroutine: the import's
	// transaction may hold SQLite's only writer connection meanwhile, so
	// this instance also serves it from memory (importLive).
	done := new(atomic.Int64)
	importLive.Store(job.ID, done)
	defer importLive.Delete(job.ID)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(importFlushEvery)
		defer t.Stop()
		saved := int64(-1)
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if n := done.Load(); n != saved {
					saved = n
					p := job
					p.Processed = int(n)
					// On SQLite this waits for the import's transaction to
					// end; progress is best effort, the final state is not.
					if err := s.store.UpdateImportJob(ctx, &p); err != nil && ctx.Err() == nil {
						s.log.Warn("save import progress", "job", p.ID, "err", err)
					}
				}
			}
		}
	}()
	res, err := s.store.ImportUnits(ctx, actor, sheet, job.SkipInvalid, func(d, _ int) { done.Store(int64(d)) })
	close(stop)
	wg.Wait()
	if err != nil {
		s.log.Error("import units", "job", job.ID, "err", err)
		job.Status, job.Error = store.JobFailed, "import.job.error_internal"
		if ctx.Err() != nil {
			job.Error = "import.job.error_shutdown"
		}
		save(&job)
		return
	}
	job.Status, job.Processed, job.Written = store.JobDone, job.Total, res.Written
	job.Report = importEncode(res)
	save(&job)
}

// importLive holds the progress of the jobs running in this instance, by
// id. The database has it too, but on SQLite not before the import's
// transaction ends.
var importLive sync.Map // int64 → *atomic.Int64

// importEncode stores a result, its report cut to a reasonable size.
func importEncode(res *units.ImportResult) string {
	if len(res.Report) > importReportMax {
		res.Omitted = len(res.Report) - importReportMax
		res.Report = res.Report[:importReportMax]
	}
	b, err := json.Marshal(res)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// importDecode reads a stored result; old or empty reports give an empty one.
func importDecode(s string) *units.ImportResult {
	res := &units.ImportResult{}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		_ = json.Unmarshal([]byte(s), &res.Report)
		return res
	}
	_ = json.Unmarshal([]byte(s), res)
	return res
}

// importJobView is a job as pages show it.
type importJobView struct {
	ID        int64
	Filename  string
	Status    string // queued, running, done, failed (an interrupted job is failed)
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

func importViewOf(j *store.ImportJob, l i18n.Lang) *importJobView {
	v := &importJobView{ID: j.ID, Filename: j.Filename, Status: j.Status, Total: j.Total, Processed: j.Processed,
		Written: j.Written, Skip: j.SkipInvalid, CreatedAt: j.CreatedAt, Finished: j.Finished(),
		URL: "/units/import/jobs/" + strconv.FormatInt(j.ID, 10)}
	if j.Error != "" {
		v.Error = l.T(j.Error)
	}
	if live, ok := importLive.Load(j.ID); ok && !v.Finished {
		v.Processed = max(v.Processed, int(live.(*atomic.Int64).Load()))
	} else if !v.Finished && time.Since(j.UpdatedAt) > importStaleAfter {
		v.Status, v.Finished, v.Error = store.JobFailed, true, l.T("import.job.error_stale")
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

// importIssueView is one report line with its reason in both languages.
type importIssueView struct {
	Row                 int
	Cell, Column, Value string
	ReasonVI, ReasonEN  string
}

// importJobData is what units_import_job.html shows.
type importJobData struct {
	Job     *importJobView
	Result  *units.ImportResult
	Issues  []importIssueView
	Pager   Pager
	Refresh bool
}

// importJob loads a job the caller may see: the user who started it, or
// anyone who may import for the whole province.
func (s *Server) importJob(w http.ResponseWriter, r *http.Request) (*store.ImportJob, bool) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return nil, false
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	j, err := s.store.ImportJob(r.Context(), id)
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	province, _ := p.Scope(auth.UnitImport)
	if j.Kind != importKind || (j.UserID != p.UserID && !province) {
		s.Fail(w, r, ErrNotFound)
		return nil, false
	}
	return j, true
}

func (s *Server) importJobPage(w http.ResponseWriter, r *http.Request) {
	j, ok := s.importJob(w, r)
	if !ok {
		return
	}
	l := Lang(r)
	d := importJobData{Job: importViewOf(j, l)}
	d.Refresh = !d.Job.Finished
	if d.Job.Finished {
		d.Result = importDecode(j.Report)
		page, size, offset := PageParams(r, importReportPage)
		d.Pager = NewPager(page, size, len(d.Result.Report))
		end := min(offset+size, len(d.Result.Report))
		for _, is := range d.Result.Report[min(offset, end):end] {
			d.Issues = append(d.Issues, importIssueView{Row: is.Row, Cell: is.ColumnLetter(), Column: is.Column,
				Value: is.Value, ReasonVI: is.Message(i18n.VI), ReasonEN: is.Message(i18n.EN)})
		}
	}
	s.Render(w, r, http.StatusOK, "units_import_job", d)
}

// importJobStatus is the progress of a job as JSON, for import.js.
func (s *Server) importJobStatus(w http.ResponseWriter, r *http.Request) {
	j, ok := s.importJob(w, r)
	if !ok {
		return
	}
	l := Lang(r)
	v := importViewOf(j, l)
	WriteJSON(w, http.StatusOK, map[string]any{
		"status": v.Status, "label": v.Label, "processed": v.Processed, "total": v.Total,
		"written": v.Written, "percent": v.Percent, "finished": v.Finished,
		"text": l.T("import.job.processed", FormatNumber(v.Processed), FormatNumber(v.Total)),
	})
}

func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) {
	if !s.importRequire(w, r) {
		return
	}
	var buf bytes.Buffer
	if err := units.Template(&buf); err != nil {
		s.Fail(w, r, err)
		return
	}
	SendFile(w, units.FormatXLSX.ContentType(), "mau-nhap-don-vi.xlsx", buf.Bytes())
}

// exportUnits sends the units in force on ?date= (default today) as
// ?format=xlsx or csv, in the import format.
func (s *Server) exportUnits(w http.ResponseWriter, r *http.Request) {
	if !s.importRequire(w, r) {
		return
	}
	q := r.URL.Query()
	var errs validation.Errors
	format, ok := units.ParseFormat(q.Get("format"))
	if q.Get("format") == "" {
		format, ok = units.FormatXLSX, true
	}
	if !ok {
		errs.Add("format", "import.err.export_format")
	}
	day, err := dates.Parse(q.Get("date"))
	if err != nil {
		errs.Add("date", "err.date")
	}
	if len(errs) > 0 {
		s.Fail(w, r, BadRequest(errs))
		return
	}
	if day.IsZero() {
		day = dates.Today()
	}
	list, err := s.store.ExportUnits(r.Context(), day)
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
	SendFile(w, format.ContentType(), "don-vi-"+day.ISO()+"."+string(format), buf.Bytes())
}
