package unitsvc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

const (
	// JobKind names unit imports in the import_jobs table.
	JobKind = "units"
	// reportMax bounds the report lines kept with a job.
	reportMax = 10_000
	// flushEvery is how often a running job's progress is saved.
	flushEvery = 300 * time.Millisecond
	// staleAfter is how long a running job may stay silent before it counts
	// as interrupted (its instance stopped).
	staleAfter = 15 * time.Minute
	// progressEvery is how many rows pass between progress reports.
	progressEvery = 100
)

// errRejected rolls back an import whose rows are not all valid.
var errRejected = errors.New("import rejected")

// RequireImporter returns nil when actor may import and export the
// directory: a province-wide UnitImport grant, since a file touches any
// unit of the province and carries contacts and headcounts.
func (s *Service) RequireImporter(actor service.Actor) error {
	if err := signedIn(actor); err != nil {
		return err
	}
	if !provinceWide(actor, auth.UnitImport) {
		return service.ErrForbidden
	}
	return nil
}

// importScope is the set of units actor may import into; nil means all.
func (s *Service) importScope(ctx context.Context, actor service.Actor) (map[int64]bool, error) {
	scope, ok, err := s.access.ScopeOf(ctx, actor, auth.UnitImport)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, service.ErrForbidden
	}
	ids, err := s.access.Units(ctx, scope)
	if err != nil || ids == nil {
		return nil, err
	}
	in := make(map[int64]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	return in, nil
}

// Export lists the units of actor's province in force on day, parents
// before children, in the import format.
func (s *Service) Export(ctx context.Context, actor service.Actor, day dates.Date) ([]units.Entry, error) {
	if err := s.RequireImporter(actor); err != nil {
		return nil, err
	}
	scope, err := s.importScope(ctx, actor)
	if err != nil {
		return nil, err
	}
	list, err := s.store.ExportUnits(ctx, day)
	if err != nil || scope == nil {
		return list, err
	}
	out := list[:0]
	for _, e := range list {
		if scope[e.Unit.ID] {
			out = append(out, e)
		}
	}
	return out, nil
}

// ImportSheet imports the rows of sheet in one transaction: it plans the
// import against the directory (units.Plan), refuses rows that name units
// outside actor's province, and, unless the plan found problems and skip is
// false, creates, updates and moves units, parents before children, each
// change checked by the same rules as a change made by hand. When it writes
// nothing, the result's report says why; a failure while writing rolls
// everything back. A row the plan accepted but a rule then refuses (a
// concurrent change) rejects the whole import, even with skip.
//
// progress, if not nil, is called with the rows handled so far and the
// total, partly while the transaction is open: on SQLite that holds the
// only writer connection, so progress must not write to the database.
func (s *Service) ImportSheet(ctx context.Context, actor service.Actor, sheet *units.Sheet, skip bool, progress func(done, total int)) (*units.ImportResult, error) {
	if err := s.RequireImporter(actor); err != nil {
		return nil, err
	}
	scope, err := s.importScope(ctx, actor)
	if err != nil {
		return nil, err
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	total := len(sheet.Rows)
	res := &units.ImportResult{Rows: total}
	a := actor.Audit()
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		today := s.Today()
		dir, ids, err := tx.ImportDirectory(ctx, today)
		if err != nil {
			return err
		}
		if scope != nil {
			for _, ex := range dir {
				ex.OutOfScope = !scope[ex.Unit.ID]
			}
		}
		plan, report := units.Plan(sheet, dir, today)
		res.Report, res.Invalid = report, plan.Invalid
		if len(report) > 0 && !skip {
			return errRejected
		}
		progress(plan.Invalid, total)
		for i, st := range plan.Steps {
			if err := s.importStep(ctx, tx, actor, a, st, ids, res); err != nil {
				var ve validation.Errors
				if errors.As(err, &ve) {
					res.Report = append(res.Report, units.RowIssues(sheet, st.Row, ve)...)
					return errRejected
				}
				return fmt.Errorf("import row %d (%s): %w", st.Row, st.Code, err)
			}
			if (i+1)%progressEvery == 0 {
				progress(plan.Invalid+i+1, total)
			}
		}
		return nil
	})
	if errors.Is(err, errRejected) {
		res.Created, res.Updated, res.Moved, res.Unchanged, res.Written = 0, 0, 0, 0, 0
		res.Invalid = max(res.Invalid, res.Report.InvalidRows())
		progress(total, total)
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	progress(total, total)
	return res, nil
}

// importStep carries out one planned row.
func (s *Service) importStep(ctx context.Context, tx *store.Tx, actor service.Actor, a audit.Actor, st units.Step, ids map[string]int64, res *units.ImportResult) error {
	if !st.Changes() {
		res.Unchanged++
		return nil
	}
	parent := int64(0)
	if st.ParentCode != "" {
		if parent = ids[st.ParentCode]; parent == 0 {
			return validation.Single("parent_code", "import.err.parent_unknown", st.ParentCode)
		}
	}
	switch {
	case st.Create:
		if parent == 0 {
			if top, err := s.access.TopLevel(ctx, actor, auth.UnitImport); err != nil {
				return err
			} else if !top {
				return validation.Single("parent_id", "err.out_of_scope")
			}
		}
		if err := s.createIn(ctx, tx, a, st.Unit, parent); err != nil {
			return err
		}
		ids[st.Code] = st.Unit.ID
		res.Created++
	default:
		if st.Update {
			if err := tx.UpdateUnit(ctx, a, st.Unit); err != nil {
				return err
			}
			res.Updated++
		}
		if st.Move {
			if err := s.moveIn(ctx, tx, a, st.Unit.ID, parent, st.MoveDate); err != nil {
				return err
			}
			res.Moved++
		}
	}
	res.Written++
	return nil
}

// ---------------------------------------------------------------- jobs

// StartImport records an import job for actor and runs it in the
// background; the job's page follows it. data is the uploaded file.
func (s *Service) StartImport(ctx context.Context, actor service.Actor, filename string, data []byte, skip bool) (*store.ImportJob, error) {
	if err := s.RequireImporter(actor); err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, validation.Single("file", "import.form.no_file")
	}
	if len(data) > units.MaxImportBytes {
		return nil, validation.Single("file", "import.err.too_large", units.MaxImportBytes>>20)
	}
	// One import per person at a time, whichever instance runs it.
	if n, err := s.store.ActiveImportJobs(ctx, actor.UserID(), time.Now().Add(-staleAfter)); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, service.ErrImportRunning
	}
	job := &store.ImportJob{UserID: actor.UserID(), Kind: JobKind, Filename: service.FileName(filename), SkipInvalid: skip}
	if err := s.store.CreateImportJob(ctx, job); err != nil {
		return nil, err
	}
	go s.run(*job, data, actor)
	return job, nil
}

// run parses and imports a file in the background, bounded by the
// service's job context, saving progress in the database as it goes.
func (s *Service) run(job store.ImportJob, data []byte, actor service.Actor) {
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
	// The job stays "queued" until this instance has a free import slot.
	release, err := s.access.Imports.Enter(ctx, 0, true)
	if err != nil {
		job.Status, job.Error = store.JobFailed, "import.job.error_shutdown"
		save(&job)
		return
	}
	defer release()
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
		job.Report = encodeResult(&units.ImportResult{Report: rep, Invalid: rep.InvalidRows()})
		save(&job)
		return
	}
	job.Total = len(sheet.Rows)
	save(&job)

	// Progress goes through an atomic to a saver goroutine: the import's
	// transaction may hold SQLite's only writer connection meanwhile, so
	// this instance also serves it from memory (s.live).
	done := new(atomic.Int64)
	s.live.Store(job.ID, done)
	defer s.live.Delete(job.ID)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { s.saveProgress(ctx, job, done, stop) })
	res, err := s.ImportSheet(ctx, actor, sheet, job.SkipInvalid, func(d, _ int) { done.Store(int64(d)) })
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
	job.Report = encodeResult(res)
	save(&job)
}

// saveProgress stores a running job's progress every flushEvery until stop.
func (s *Service) saveProgress(ctx context.Context, job store.ImportJob, done *atomic.Int64, stop <-chan struct{}) {
	t := time.NewTicker(flushEvery)
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
				job.Processed = int(n)
				// On SQLite this waits for the import's transaction to end;
				// progress is best effort, the final state is not.
				if err := s.store.UpdateImportJob(ctx, &job); err != nil && ctx.Err() == nil {
					s.log.Warn("save import progress", "job", job.ID, "err", err)
				}
			}
		}
	}
}

// encodeResult stores a result, its report cut to a reasonable size.
func encodeResult(res *units.ImportResult) string {
	if len(res.Report) > reportMax {
		res.Omitted = len(res.Report) - reportMax
		res.Report = res.Report[:reportMax]
	}
	b, err := json.Marshal(res)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// decodeResult reads a stored result; old or empty reports give an empty one.
func decodeResult(s string) *units.ImportResult {
	res := &units.ImportResult{}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		_ = json.Unmarshal([]byte(s), &res.Report)
		return res
	}
	_ = json.Unmarshal([]byte(s), res)
	return res
}

// Job reads an import job for actor: the user who started it, or someone
// who imports for the same province. Others get store.ErrNotFound, so a
// job's existence does not leak. A job running here shows its live
// progress; one silent for too long shows as failed (its instance
// stopped).
func (s *Service) Job(ctx context.Context, actor service.Actor, id int64) (*store.ImportJob, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	j, err := s.store.ImportJob(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.maySeeJob(ctx, actor, j)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("import job %d: %w", id, store.ErrNotFound)
	}
	s.follow(j)
	return j, nil
}

// maySeeJob is the rule of Job.
func (s *Service) maySeeJob(ctx context.Context, actor service.Actor, j *store.ImportJob) (bool, error) {
	switch {
	case j.Kind != JobKind:
		return false, nil
	case actor.System || j.UserID == actor.UserID():
		return true, nil
	case !provinceWide(actor, auth.UnitImport):
		return false, nil
	}
	owner, err := s.store.User(ctx, j.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return s.access.Allowed(ctx, actor, auth.UnitImport, owner.UnitID)
}

// follow brings a job up to date with what this instance knows.
func (s *Service) follow(j *store.ImportJob) {
	if j.Finished() {
		return
	}
	if live, ok := s.live.Load(j.ID); ok {
		j.Processed = max(j.Processed, int(live.(*atomic.Int64).Load()))
	} else if time.Since(j.UpdatedAt) > staleAfter { // job times are the real clock
		j.Status, j.Error = store.JobFailed, store.StaleJobError
	}
}

// FailStaleJobs marks failed the import jobs that stopped with their
// instance (a crash or a kill): nothing has saved their progress for
// staleAfter. The maintenance pass runs it at start-up and then
// periodically, so such a job does not stay "running" in the lists and
// does not block its owner's next import.
func (s *Service) FailStaleJobs(ctx context.Context) (int, error) {
	return s.store.FailStaleImportJobs(ctx, time.Now().Add(-staleAfter)) // job times are the real clock
}

// Jobs lists a page of actor's own import jobs, newest first, with how many
// there are.
func (s *Service) Jobs(ctx context.Context, actor service.Actor, limit, offset int) ([]*store.ImportJob, int, error) {
	if err := signedIn(actor); err != nil {
		return nil, 0, err
	}
	list, total, err := s.store.ImportJobPage(ctx, actor.UserID(), JobKind, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	for _, j := range list {
		s.follow(j)
	}
	return list, total, nil
}

// Result reads the outcome of a finished job (see Job for who may);
// service.ErrConflict while it runs.
func (s *Service) Result(ctx context.Context, actor service.Actor, id int64) (*store.ImportJob, *units.ImportResult, error) {
	j, err := s.Job(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if !j.Finished() {
		return j, nil, fmt.Errorf("import job %d still runs: %w", id, service.ErrConflict)
	}
	return j, decodeResult(j.Report), nil
}
