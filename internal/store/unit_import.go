package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// errImportRejected rolls back an import whose rows are not all valid.
var errImportRejected = errors.New("import rejected")

// importProgressEvery is how many rows pass between progress reports.
const importProgressEvery = 100

// ImportUnits imports the rows of sheet in one transaction: it reads the
// directory, plans the import (units.Plan) and, unless the plan found
// problems and skipInvalid is false, creates, updates and moves units,
// parents before children, each change validated and audited as if made by
// hand. When it writes nothing, the result's report says why; a failure
// while writing rolls everything back, so an import never leaves the
// directory half-changed. A row that the plan accepted but the store then
// refuses (a concurrent change) rejects the whole import, even with
// skipInvalid, and is reported on its row.
//
// progress, if not nil, is called with the rows handled so far and the
// total. It runs on the caller's goroutine, partly while the transaction is
// open: on SQLite the transaction holds the only writer connection, so
// progress must not write to the database itself (hand the numbers to
// another goroutine instead).
func (s *Store) ImportUnits(ctx context.Context, a audit.Actor, sheet *units.Sheet, skipInvalid bool, progress func(done, total int)) (*units.ImportResult, error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	total := len(sheet.Rows)
	var res *units.ImportResult
	err := s.Tx(ctx, func(tx *Tx) error {
		res = &units.ImportResult{Rows: total}
		today := dates.Today()
		dir, ids, err := tx.importDirectory(ctx, today)
		if err != nil {
			return err
		}
		plan, report := units.Plan(sheet, dir, today)
		res.Report, res.Invalid = report, plan.Invalid
		if len(report) > 0 && !skipInvalid {
			return errImportRejected
		}
		progress(plan.Invalid, total)
		for i, st := range plan.Steps {
			if err := tx.importStep(ctx, a, st, ids, res); err != nil {
				var ve validation.Errors
				if errors.As(err, &ve) {
					res.Report = append(res.Report, importIssues(sheet, st.Row, ve)...)
					return errImportRejected
				}
				return fmt.Errorf("import row %d (%s): %w", st.Row, st.Code, err)
			}
			if (i+1)%importProgressEvery == 0 {
				progress(plan.Invalid+i+1, total)
			}
		}
		return nil
	})
	if errors.Is(err, errImportRejected) {
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
func (tx *Tx) importStep(ctx context.Context, a audit.Actor, st units.Step, ids map[string]int64, res *units.ImportResult) error {
	if !st.Changes() {
		res.Unchanged++
		return nil
	}
	parent := int64(0)
	if st.ParentCode != "" {
		parent = ids[st.ParentCode]
		if parent == 0 {
			return validation.Single("parent_code", "import.err.parent_unknown", st.ParentCode)
		}
	}
	switch {
	case st.Create:
		if err := tx.CreateUnit(ctx, a, st.Unit, parent); err != nil {
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
			if err := tx.MoveUnit(ctx, a, st.Unit.ID, parent, st.MoveDate); err != nil {
				return err
			}
			res.Moved++
		}
	}
	res.Written++
	return nil
}

// importIssues turns errors raised while writing a row into report lines.
func importIssues(sheet *units.Sheet, row int, ve validation.Errors) units.Report {
	out := make(units.Report, 0, len(ve))
	for _, fe := range ve {
		col := units.Column(fe.Field)
		switch fe.Field {
		case "parent_id", "date":
			col = units.ColParentCode
		case "focal_point.name":
			col = units.ColFocalName
		case "focal_point.phone":
			col = units.ColFocalPhone
		case "focal_point.email":
			col = units.ColFocalEmail
		}
		is := units.Issue{Row: row, Reason: fe.Reason}
		for i, c := range sheet.Columns {
			if c == col {
				is.Col, is.Column = i+1, sheet.Header[i]
			}
		}
		for _, arg := range fe.Args {
			is.Args = append(is.Args, fmt.Sprint(arg))
		}
		out = append(out, is)
	}
	return out
}

// importDirectory reads every unit with its placement today, inside the
// import's transaction; it also returns the ids by code.
func (tx *Tx) importDirectory(ctx context.Context, today dates.Date) (units.Directory, map[string]int64, error) {
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

// ImportJobs lists the latest jobs of one user (0: of everyone), newest
// first, without their reports.
func (s *Store) ImportJobs(ctx context.Context, userID int64, limit int) ([]*ImportJob, error) {
	if limit <= 0 || limit > 100 {
		limit = 10
	}
	cols := `id, user_id, kind, filename, skip_invalid, status, total, processed, written, '[]', error, created_at, updated_at`
	var rows *sql.Rows
	var err error
	if userID != 0 {
		rows, err = s.reader().query(ctx, "SELECT "+cols+" FROM import_jobs WHERE user_id = ? ORDER BY id DESC LIMIT ?", userID, limit)
	} else {
		rows, err = s.reader().query(ctx, "SELECT "+cols+" FROM import_jobs ORDER BY id DESC LIMIT ?", limit)
	}
	if err != nil {
		return nil, fmt.Errorf("list import jobs: %w", err)
	}
	defer rows.Close()
	var out []*ImportJob
	for rows.Next() {
		j, err := scanImportJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}
