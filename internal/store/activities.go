package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"khienso/internal/activities"
	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/textnorm"
)

const activityCols = `a.id, a.unit_id, u.name, a.type, a.title, a.channel, a.starts_on, a.ends_on, a.audiences, a.quantity,
	a.participants, a.views, a.copies, a.communes, a.description, a.evidence_link, COALESCE(a.created_by, 0)`

const activityFrom = " FROM activities a JOIN units u ON u.id = a.unit_id"

// scanActivity reads an activity row; extra receives any columns after
// activityCols (a list's window count).
func scanActivity(r rowScanner, extra ...any) (*activities.Activity, error) {
	var a activities.Activity
	var typ, channel, start, end string
	dest := append([]any{&a.ID, &a.UnitID, &a.UnitName, &typ, &a.Title, &channel, &start, &end, &a.Audiences, &a.Quantity,
		&a.Participants, &a.Views, &a.Copies, &a.Communes, &a.Description, &a.EvidenceLink, &a.CreatedBy}, extra...)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	a.Type, a.Channel = activities.Type(typ), activities.Channel(channel)
	a.Start, _ = dates.Parse(start)
	a.End, _ = dates.Parse(end)
	return &a, nil
}

// Activity loads one activity with the tasks it serves.
func (s *Store) Activity(ctx context.Context, id int64) (*activities.Activity, error) {
	return s.reader().activity(ctx, id)
}

func (x q) activity(ctx context.Context, id int64) (*activities.Activity, error) {
	a, err := scanActivity(x.row(ctx, "SELECT "+activityCols+activityFrom+" WHERE a.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load activity %d: %w", id, err)
	}
	rows, err := x.query(ctx, "SELECT task_id FROM activity_tasks WHERE activity_id = ? ORDER BY task_id", id)
	if err != nil {
		return nil, fmt.Errorf("activity %d tasks: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var t int64
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		a.Tasks = append(a.Tasks, t)
	}
	return a, rows.Err()
}

// ActivityFilter selects activities for lists.
type ActivityFilter struct {
	Units    []int64 // nil = all
	From, To dates.Date
	Type     activities.Type
	Task     int64
	Query    string
	Limit    int
	Offset   int
}

// where renders f's conditions; none=true when f selects nothing.
func (f ActivityFilter) where() (cond string, args []any, none bool) {
	var where []string
	if f.Units != nil {
		if len(f.Units) == 0 {
			return "", nil, true
		}
		where = append(where, "a.unit_id IN ("+placeholders(len(f.Units))+")")
		for _, id := range f.Units {
			args = append(args, id)
		}
	}
	if !f.From.IsZero() {
		where = append(where, "a.starts_on >= ?")
		args = append(args, f.From.ISO())
	}
	if !f.To.IsZero() {
		where = append(where, "a.starts_on <= ?")
		args = append(args, f.To.ISO())
	}
	if f.Type != "" {
		where = append(where, "a.type = ?")
		args = append(args, string(f.Type))
	}
	if f.Task != 0 {
		where = append(where, "a.id IN (SELECT activity_id FROM activity_tasks WHERE task_id = ?)")
		args = append(args, f.Task)
	}
	if q := strings.TrimSpace(textnorm.Fold(f.Query)); q != "" {
		// The words match literally: "%" and "_" typed by the user are not
		// wildcards (else "?q=%" would list every activity in scope).
		where = append(where, `a.search_key LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(q)+"%")
	}
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	return cond, args, false
}

// Activities lists activities, newest first, with the total matching.
func (s *Store) Activities(ctx context.Context, f ActivityFilter) ([]*activities.Activity, int, error) {
	cond, args, none := f.where()
	if none {
		return nil, 0, nil
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	query := "SELECT " + activityCols + ", COUNT(*) OVER ()" + activityFrom + cond + " ORDER BY a.starts_on DESC, a.id DESC LIMIT ? OFFSET ?"
	rows, err := s.reader().query(ctx, query, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list activities: %w", err)
	}
	defer rows.Close()
	var out []*activities.Activity
	total := 0
	for rows.Next() {
		a, err := scanActivity(rows, &total)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	return out, total, rows.Err()
}

// ActivitySums are the figures of every activity a filter selects (all
// pages, not one).
type ActivitySums struct {
	Records      int64
	Quantity     int64
	Participants int64
	Views        int64
	Copies       int64
	Communes     int64
}

// ActivitySumsOf adds up the activities f selects (Limit and Offset are
// ignored), for the totals line of a list.
func (s *Store) ActivitySumsOf(ctx context.Context, f ActivityFilter) (ActivitySums, error) {
	var out ActivitySums
	cond, args, none := f.where()
	if none {
		return out, nil
	}
	query := `SELECT COUNT(*), COALESCE(SUM(a.quantity), 0), COALESCE(SUM(a.participants), 0), COALESCE(SUM(a.views), 0),
		COALESCE(SUM(a.copies), 0), COALESCE(SUM(a.communes), 0) FROM activities a` + cond
	if err := s.reader().row(ctx, query, args...).Scan(&out.Records, &out.Quantity, &out.Participants, &out.Views,
		&out.Copies, &out.Communes); err != nil {
		return out, fmt.Errorf("sum activities: %w", err)
	}
	return out, nil
}

// CreateActivity stores an activity and adds it to the totals.
func (s *Store) CreateActivity(ctx context.Context, a audit.Actor, act *activities.Activity) error {
	if errs := act.Validate(); len(errs) > 0 {
		return errs
	}
	return s.Tx(ctx, func(tx *Tx) error { return tx.createActivity(ctx, a, act) })
}

// CreateActivity is Store.CreateActivity within tx, for a service that
// writes more in the same transaction.
func (tx *Tx) CreateActivity(ctx context.Context, a audit.Actor, act *activities.Activity) error {
	if errs := act.Validate(); len(errs) > 0 {
		return errs
	}
	return tx.createActivity(ctx, a, act)
}

// CreateActivities stores many validated activities in one transaction
// (imports): all or nothing.
func (s *Store) CreateActivities(ctx context.Context, a audit.Actor, list []*activities.Activity) error {
	return s.Tx(ctx, func(tx *Tx) error {
		for _, act := range list {
			if err := tx.createActivity(ctx, a, act); err != nil {
				return err
			}
		}
		return nil
	})
}

func (tx *Tx) createActivity(ctx context.Context, a audit.Actor, act *activities.Activity) error {
	ts := now()
	var by any
	if a.UserID != 0 {
		by = a.UserID
		act.CreatedBy = a.UserID
	}
	id, err := tx.insertID(ctx, `INSERT INTO activities (unit_id, type, title, channel, starts_on, ends_on, audiences, quantity,
		participants, views, copies, communes, description, evidence_link, search_key, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		act.UnitID, string(act.Type), act.Title, string(act.Channel), act.Start.ISO(), act.End.ISO(), int64(act.Audiences), act.Quantity,
		act.Participants, act.Views, act.Copies, act.Communes, act.Description, act.EvidenceLink, textnorm.Fold(act.Title), by, ts, ts)
	if err != nil {
		return fmt.Errorf("insert activity: %w", err)
	}
	act.ID = id
	if err := tx.setActivityTasks(ctx, act); err != nil {
		return err
	}
	if err := tx.addTotals(ctx, act, 1); err != nil {
		return err
	}
	return tx.record(ctx, a, "create", "activity", id, nil, act)
}

func (tx *Tx) setActivityTasks(ctx context.Context, act *activities.Activity) error {
	if _, err := tx.exec(ctx, "DELETE FROM activity_tasks WHERE activity_id = ?", act.ID); err != nil {
		return fmt.Errorf("clear activity tasks: %w", err)
	}
	seen := map[int64]bool{}
	for _, t := range act.Tasks {
		if seen[t] {
			continue
		}
		seen[t] = true
		if _, err := tx.exec(ctx, "INSERT INTO activity_tasks (activity_id, task_id) VALUES (?, ?)", act.ID, t); err != nil {
			return fmt.Errorf("link activity to task %d: %w", t, err)
		}
	}
	return nil
}

// addTotals adds (sign 1) or removes (sign -1) an activity from the
// maintained totals. The year's version moves first and the row takes it,
// so an instance holding the year in memory reads just this row next time;
// a row left at zero records stays, for instances to see it emptied (rows
// of one year change in the order their versions say: the version bump
// holds the year's row lock until commit).
func (tx *Tx) addTotals(ctx context.Context, act *activities.Activity, sign int64) error {
	var version int64
	if err := tx.row(ctx, `INSERT INTO activity_years (year, version) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET version = activity_years.version + 1 RETURNING version`, act.Year()).Scan(&version); err != nil {
		return fmt.Errorf("bump activity year %d: %w", act.Year(), err)
	}
	_, err := tx.exec(ctx, `INSERT INTO activity_totals (year, unit_id, type, channel, audiences, records, quantity, participants, views, copies, communes, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (year, unit_id, type, channel, audiences) DO UPDATE SET
			records = activity_totals.records + excluded.records,
			quantity = activity_totals.quantity + excluded.quantity,
			participants = activity_totals.participants + excluded.participants,
			views = activity_totals.views + excluded.views,
			copies = activity_totals.copies + excluded.copies,
			communes = activity_totals.communes + excluded.communes,
			version = excluded.version`,
		act.Year(), act.UnitID, string(act.Type), string(act.Channel), int64(act.Audiences), sign, sign*act.Quantity,
		sign*act.Participants, sign*act.Views, sign*act.Copies, sign*act.Communes, version)
	if err != nil {
		return fmt.Errorf("update activity totals: %w", err)
	}
	return nil
}

// UpdateActivity stores changes to an activity and moves its totals.
func (s *Store) UpdateActivity(ctx context.Context, a audit.Actor, act *activities.Activity) error {
	return s.Tx(ctx, func(tx *Tx) error {
		_, err := tx.UpdateActivity(ctx, a, act)
		return err
	})
}

// UpdateActivity is Store.UpdateActivity within tx; it returns the activity
// as it was.
func (tx *Tx) UpdateActivity(ctx context.Context, a audit.Actor, act *activities.Activity) (*activities.Activity, error) {
	if errs := act.Validate(); len(errs) > 0 {
		return nil, errs
	}
	before, err := tx.activity(ctx, act.ID)
	if err != nil {
		return nil, err
	}
	act.CreatedBy = before.CreatedBy
	if _, err := tx.exec(ctx, `UPDATE activities SET unit_id = ?, type = ?, title = ?, channel = ?, starts_on = ?, ends_on = ?,
		audiences = ?, quantity = ?, participants = ?, views = ?, copies = ?, communes = ?, description = ?, evidence_link = ?,
		search_key = ?, updated_at = ? WHERE id = ?`, act.UnitID, string(act.Type), act.Title, string(act.Channel), act.Start.ISO(), act.End.ISO(),
		int64(act.Audiences), act.Quantity, act.Participants, act.Views, act.Copies, act.Communes, act.Description, act.EvidenceLink,
		textnorm.Fold(act.Title), now(), act.ID); err != nil {
		return nil, fmt.Errorf("update activity %d: %w", act.ID, err)
	}
	if err := tx.addTotals(ctx, before, -1); err != nil {
		return nil, err
	}
	if err := tx.addTotals(ctx, act, 1); err != nil {
		return nil, err
	}
	if err := tx.setActivityTasks(ctx, act); err != nil {
		return nil, err
	}
	return before, tx.record(ctx, a, "update", "activity", act.ID, before, act)
}

// DeleteActivity removes an activity and its share of the totals.
func (s *Store) DeleteActivity(ctx context.Context, a audit.Actor, id int64) error {
	return s.Tx(ctx, func(tx *Tx) error {
		_, err := tx.DeleteActivity(ctx, a, id)
		return err
	})
}

// DeleteActivity is Store.DeleteActivity within tx; it returns the activity
// removed.
func (tx *Tx) DeleteActivity(ctx context.Context, a audit.Actor, id int64) (*activities.Activity, error) {
	before, err := tx.activity(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, "DELETE FROM activities WHERE id = ?", id); err != nil {
		return nil, fmt.Errorf("delete activity %d: %w", id, err)
	}
	if err := tx.addTotals(ctx, before, -1); err != nil {
		return nil, err
	}
	return before, tx.record(ctx, a, "delete", "activity", id, before, nil)
}

// RebuildActivityTotals recomputes the totals from the activities (after a
// bulk load, or to repair); it runs in one transaction. Every year's
// version and base move, so every instance reloads its copies whole.
func (s *Store) RebuildActivityTotals(ctx context.Context) error {
	return s.inTx(ctx, func(tx q) error {
		yearExpr := "CAST(substr(starts_on, 1, 4) AS INTEGER)"
		if _, err := tx.exec(ctx, "UPDATE activity_years SET version = version + 1, base = version + 1"); err != nil {
			return fmt.Errorf("bump activity years: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO activity_years (year, version, base) SELECT DISTINCT `+yearExpr+`, 1, 1 FROM activities WHERE true
			ON CONFLICT (year) DO NOTHING`); err != nil {
			return fmt.Errorf("add activity years: %w", err)
		}
		if _, err := tx.exec(ctx, "DELETE FROM activity_totals"); err != nil {
			return fmt.Errorf("clear activity totals: %w", err)
		}
		// The rows' version (0) is below their year's base: a copy is
		// either older than the rebuild and reloaded whole, or read after it.
		if _, err := tx.exec(ctx, `INSERT INTO activity_totals (year, unit_id, type, channel, audiences, records, quantity, participants, views, copies, communes)
			SELECT `+yearExpr+`, unit_id, type, channel, audiences, COUNT(*), SUM(quantity), SUM(participants), SUM(views), SUM(copies), SUM(communes)
			FROM activities GROUP BY `+yearExpr+`, unit_id, type, channel, audiences`); err != nil {
			return fmt.Errorf("rebuild activity totals: %w", err)
		}
		return nil
	})
}
