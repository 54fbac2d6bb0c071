package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"khienso/internal/dates"
	"khienso/internal/units"
)

// ImportDirectory reads every unit with its placement today, inside an
// import's transaction (the units service plans and writes the import in
// it); it also returns the ids by code.
func (tx *Tx) ImportDirectory(ctx context.Context, today dates.Date) (units.Directory, map[string]int64, error) {
	list, err := collectUnits(tx.query(ctx, "SELECT "+unitBaseCols+" FROM units u"))
	if err != nil {
		return nil, nil, fmt.Errorf("load units for import: %w", err)
	}
	codes := make(map[int64]string, len(list))
	ids := make(map[string]int64, len(list))
	dir := make(units.Directory, len(list))
	for _, u := range list {
		codes[u.ID] = u.Code
		ids[u.Code] = u.ID
		dir[u.Code] = &units.Existing{Unit: u}
	}
	rows, err := tx.query(ctx, "SELECT child_id, parent_id, valid_from, COALESCE(valid_to, '') FROM unit_links WHERE kind = 'parent'")
	if err != nil {
		return nil, nil, fmt.Errorf("load placements for import: %w", err)
	}
	defer rows.Close()
	iso := today.ISO()
	for rows.Next() {
		var child, parent int64
		var from, to string
		if err := rows.Scan(&child, &parent, &from, &to); err != nil {
			return nil, nil, err
		}
		ex := dir[codes[child]]
		if ex == nil {
			continue
		}
		d, _ := dates.Parse(from)
		if d.After(ex.LastPlacement) {
			ex.LastPlacement = d
		}
		if from <= iso && (to == "" || to > iso) {
			ex.ParentCode, ex.PlacedFrom = codes[parent], d
			ex.Unit.ParentID = parent
		}
	}
	return dir, ids, rows.Err()
}

// ExportUnits lists the units in force on day with their parents' codes,
// parents before children (depth first, siblings by code), read in batches
// so that a large province does not hold one long query.
func (s *Store) ExportUnits(ctx context.Context, day dates.Date) ([]units.Entry, error) {
	const batch = 2000
	iso := day.ISO()
	var all []*units.Unit
	var last int64
	for {
		list, err := collectUnits(s.reader().query(ctx, "SELECT "+unitBaseCols+` FROM units u
			WHERE u.id > ? AND u.valid_from <= ? AND (u.valid_to IS NULL OR u.valid_to > ?)
			ORDER BY u.id LIMIT ?`, last, iso, iso, batch))
		if err != nil {
			return nil, fmt.Errorf("export units: %w", err)
		}
		all = append(all, list...)
		if len(list) < batch {
			break
		}
		last = list[len(list)-1].ID
	}
	if _, err := s.placeAll(ctx, all, day); err != nil {
		return nil, err
	}
	byID := make(map[int64]*units.Unit, len(all))
	for _, u := range all {
		byID[u.ID] = u
	}
	kids := map[int64][]*units.Unit{}
	var roots []*units.Unit
	for _, u := range all {
		if _, ok := byID[u.ParentID]; ok {
			kids[u.ParentID] = append(kids[u.ParentID], u)
		} else {
			roots = append(roots, u)
		}
	}
	byCode := func(l []*units.Unit) {
		sort.Slice(l, func(i, j int) bool { return l[i].Code < l[j].Code })
	}
	byCode(roots)
	out := make([]units.Entry, 0, len(all))
	// Depth first without recursion; the seen set guards against a
	// corrupted hierarchy.
	seen := make(map[int64]bool, len(all))
	stack := make([]*units.Unit, 0, 64)
	for i := len(roots) - 1; i >= 0; i-- {
		stack = append(stack, roots[i])
	}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[u.ID] {
			continue
		}
		seen[u.ID] = true
		e := units.Entry{Unit: u}
		if p := byID[u.ParentID]; p != nil {
			e.ParentCode = p.Code
		}
		out = append(out, e)
		ch := kids[u.ID]
		byCode(ch)
		for i := len(ch) - 1; i >= 0; i-- {
			stack = append(stack, ch[i])
		}
	}
	for _, u := range all {
		if !seen[u.ID] { // only if the hierarchy holds a cycle
			out = append(out, units.Entry{Unit: u})
		}
	}
	return out, nil
}

// ---------------------------------------------------------------- jobs

// The states of an import job.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// StaleJobError is the error (a message key) of a job whose instance
// stopped before it finished.
const StaleJobError = "import.job.error_stale"

// ImportJob is a file import running in the background. Jobs live in the
// database so that any instance can show their progress.
type ImportJob struct {
	ID          int64
	UserID      int64
	Kind        string // what is imported ("units")
	Filename    string
	SkipInvalid bool
	Status      string
	Total       int    // rows in the file
	Processed   int    // rows handled so far
	Written     int    // rows that changed something
	Report      string // the outcome as JSON, for the importer to read back
	Error       string // a failure other than invalid rows (catalogue key)
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Finished reports whether the job has ended.
func (j *ImportJob) Finished() bool { return j.Status == JobDone || j.Status == JobFailed }

const importJobCols = `id, user_id, kind, filename, skip_invalid, status, total, processed, written,
	report_json, error, created_at, updated_at`

func scanImportJob(r rowScanner) (*ImportJob, error) {
	var j ImportJob
	var skip int
	var created, updated string
	if err := r.Scan(&j.ID, &j.UserID, &j.Kind, &j.Filename, &skip, &j.Status, &j.Total, &j.Processed,
		&j.Written, &j.Report, &j.Error, &created, &updated); err != nil {
		return nil, err
	}
	j.SkipInvalid = skip != 0
	j.CreatedAt, j.UpdatedAt = ParseTime(created), ParseTime(updated)
	return &j, nil
}

func importFlag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// importWriter runs single statements on the write pool, outside any transaction.
func (s *Store) importWriter() q { return q{s: s, db: s.write, pool: s.write} }

// CreateImportJob stores a new job; j.ID and the timestamps are set.
func (s *Store) CreateImportJob(ctx context.Context, j *ImportJob) error {
	if j.Status == "" {
		j.Status = JobQueued
	}
	if j.Report == "" {
		j.Report = "[]"
	}
	ts := now()
	id, err := s.importWriter().insertID(ctx, `INSERT INTO import_jobs (user_id, kind, filename, skip_invalid,
		status, total, processed, written, report_json, error, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		j.UserID, j.Kind, j.Filename, importFlag(j.SkipInvalid), j.Status, j.Total, j.Processed, j.Written,
		j.Report, j.Error, ts, ts)
	if err != nil {
		return fmt.Errorf("create import job: %w", err)
	}
	j.ID = id
	j.CreatedAt, j.UpdatedAt = ParseTime(ts), ParseTime(ts)
	return nil
}

// UpdateImportJob stores a job's status, counts, report and error.
func (s *Store) UpdateImportJob(ctx context.Context, j *ImportJob) error {
	if j.Report == "" {
		j.Report = "[]"
	}
	ts := now()
	res, err := s.importWriter().exec(ctx, `UPDATE import_jobs SET status = ?, total = ?, processed = ?,
		written = ?, report_json = ?, error = ?, updated_at = ? WHERE id = ?`,
		j.Status, j.Total, j.Processed, j.Written, j.Report, j.Error, ts, j.ID)
	if err != nil {
		return fmt.Errorf("update import job %d: %w", j.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("import job %d: %w", j.ID, ErrNotFound)
	}
	j.UpdatedAt = ParseTime(ts)
	return nil
}

// FailStaleImportJobs marks failed the import jobs still queued or running
// that nothing has updated since before: their instance stopped (a running
// job saves its progress every fraction of a second). It returns how many.
func (s *Store) FailStaleImportJobs(ctx context.Context, before time.Time) (int, error) {
	res, err := s.importWriter().exec(ctx, "UPDATE import_jobs SET status = ?, error = ?, updated_at = ? WHERE status IN (?, ?) AND updated_at < ?",
		JobFailed, StaleJobError, now(), JobQueued, JobRunning, FormatTime(before))
	if err != nil {
		return 0, fmt.Errorf("fail stale import jobs: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ActiveImportJobs counts userID's import jobs that are queued or running
// and were updated after since (older ones were left by a crash).
func (s *Store) ActiveImportJobs(ctx context.Context, userID int64, since time.Time) (int, error) {
	var n int
	err := s.reader().row(ctx, "SELECT COUNT(*) FROM import_jobs WHERE user_id = ? AND status IN (?, ?) AND updated_at > ?",
		userID, JobQueued, JobRunning, FormatTime(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count import jobs of user %d: %w", userID, err)
	}
	return n, nil
}

// ImportJob reads one job.
func (s *Store) ImportJob(ctx context.Context, id int64) (*ImportJob, error) {
	j, err := scanImportJob(s.reader().row(ctx, "SELECT "+importJobCols+" FROM import_jobs WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("import job %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load import job %d: %w", id, err)
	}
	return j, nil
}

// ImportJobPage lists one page of a user's jobs of one kind, newest first,
// without their reports, and how many there are in all.
func (s *Store) ImportJobPage(ctx context.Context, userID int64, kind string, limit, offset int) ([]*ImportJob, int, error) {
	var total int
	if err := s.reader().row(ctx, "SELECT COUNT(*) FROM import_jobs WHERE user_id = ? AND kind = ?", userID, kind).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count import jobs: %w", err)
	}
	rows, err := s.reader().query(ctx, "SELECT "+importJobListCols+` FROM import_jobs WHERE user_id = ? AND kind = ?
		ORDER BY id DESC LIMIT ? OFFSET ?`, userID, kind, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list import jobs: %w", err)
	}
	defer rows.Close()
	out := []*ImportJob{}
	for rows.Next() {
		j, err := scanImportJob(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, j)
	}
	return out, total, rows.Err()
}

// importJobListCols are the columns of a job listing: the report is left out.
const importJobListCols = `id, user_id, kind, filename, skip_invalid, status, total, processed, written, '[]', error, created_at, updated_at`
