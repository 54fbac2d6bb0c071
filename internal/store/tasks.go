package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/plans"
)

const taskCols = `t.id, t.plan_id, p.title, t.section, t.number, t.content, t.lead_text, t.coord_text, t.timeframe_kind,
	COALESCE(t.year_from, 0), COALESCE(t.year_to, 0), COALESCE(t.due_on, ''), t.status, t.progress, t.position`

const taskFrom = " FROM tasks t JOIN plans p ON p.id = t.plan_id"

func scanTask(r rowScanner) (*plans.Task, error) {
	var t plans.Task
	var kind, due, status string
	if err := r.Scan(&t.ID, &t.PlanID, &t.PlanTitle, &t.Section, &t.Number, &t.Content, &t.LeadText, &t.CoordText, &kind,
		&t.YearFrom, &t.YearTo, &due, &status, &t.Progress, &t.Position); err != nil {
		return nil, err
	}
	t.Kind, t.Status = plans.TimeframeKind(kind), plans.TaskStatus(status)
	if due != "" {
		t.Due, _ = dates.Parse(due)
	}
	return &t, nil
}

// TaskFilter selects tasks: of a plan, and/or those a set of units leads or
// coordinates (Role "lead", "coord" or "" for both).
type TaskFilter struct {
	PlanID int64
	// Plans keeps the tasks of these plans; nil: any plan, empty: none.
	Plans []int64
	Units []int64
	Role  string
}

// Tasks lists tasks in plan order, with their units.
func (s *Store) Tasks(ctx context.Context, f TaskFilter) ([]*plans.Task, error) {
	var where []string
	var args []any
	if f.PlanID != 0 {
		where = append(where, "t.plan_id = ?")
		args = append(args, f.PlanID)
	}
	if f.Plans != nil {
		if len(f.Plans) == 0 {
			return nil, nil
		}
		where = append(where, "t.plan_id IN ("+placeholders(len(f.Plans))+")")
		for _, id := range f.Plans {
			args = append(args, id)
		}
	}
	if f.Units != nil {
		if len(f.Units) == 0 {
			return nil, nil
		}
		cond := "t.id IN (SELECT task_id FROM task_units WHERE unit_id IN (" + placeholders(len(f.Units)) + ")"
		for _, id := range f.Units {
			args = append(args, id)
		}
		if f.Role != "" {
			cond += " AND role = ?"
			args = append(args, f.Role)
		}
		where = append(where, cond+")")
	}
	query := "SELECT " + taskCols + taskFrom
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	x := s.reader()
	rows, err := x.query(ctx, query+" ORDER BY t.plan_id, t.position, t.id", args...)
	if err != nil {
		return nil, fmt.Errorf("list tasks: %w", err)
	}
	var out []*plans.Task
	byID := map[int64]*plans.Task{}
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, t)
		byID[t.ID] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, x.attachTaskUnits(ctx, byID, f.PlanID)
}

// attachTaskUnits fills Lead and Coord, by plan when the tasks are one
// plan's (one query) and task by task otherwise.
func (x q) attachTaskUnits(ctx context.Context, byID map[int64]*plans.Task, planID int64) error {
	if len(byID) == 0 {
		return nil
	}
	var rows *sql.Rows
	var err error
	if planID != 0 {
		rows, err = x.query(ctx, `SELECT tu.task_id, tu.unit_id, tu.role FROM task_units tu JOIN tasks t ON t.id = tu.task_id
			WHERE t.plan_id = ? ORDER BY tu.unit_id`, planID)
	} else {
		ids := make([]any, 0, len(byID))
		for id := range byID {
			ids = append(ids, id)
		}
		rows, err = x.query(ctx, "SELECT task_id, unit_id, role FROM task_units WHERE task_id IN ("+placeholders(len(ids))+") ORDER BY unit_id", ids...)
	}
	if err != nil {
		return fmt.Errorf("task units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var task, unit int64
		var role string
		if err := rows.Scan(&task, &unit, &role); err != nil {
			return err
		}
		if t := byID[task]; t != nil {
			if role == "lead" {
				t.Lead = append(t.Lead, unit)
			} else {
				t.Coord = append(t.Coord, unit)
			}
		}
	}
	return rows.Err()
}

// Task loads one task with its units.
func (s *Store) Task(ctx context.Context, id int64) (*plans.Task, error) {
	return s.reader().task(ctx, id)
}

func (x q) task(ctx context.Context, id int64) (*plans.Task, error) {
	t, err := scanTask(x.row(ctx, "SELECT "+taskCols+taskFrom+" WHERE t.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load task %d: %w", id, err)
	}
	return t, x.attachTaskUnits(ctx, map[int64]*plans.Task{id: t}, 0)
}

// CreateTasks adds tasks to a plan in one transaction (a plan's task table
// is confirmed as a whole after import review), with notices.
func (s *Store) CreateTasks(ctx context.Context, a audit.Actor, planID int64, list []*plans.Task, notices ...Notice) error {
	for i, t := range list {
		t.PlanID = planID
		if t.Status == "" {
			t.Status = plans.TaskNotStarted
		}
		if errs := t.Validate(); len(errs) > 0 {
			for j := range errs {
				errs[j].Field = fmt.Sprintf("tasks.%d.%s", i+1, errs[j].Field)
			}
			return errs
		}
	}
	return s.Tx(ctx, func(tx *Tx) error {
		var pos int
		if err := tx.row(ctx, "SELECT COALESCE(MAX(position), 0) FROM tasks WHERE plan_id = ?", planID).Scan(&pos); err != nil {
			return fmt.Errorf("task position: %w", err)
		}
		for _, t := range list {
			pos++
			t.Position = pos
			if err := tx.insertTask(ctx, t); err != nil {
				return err
			}
			if err := tx.record(ctx, a, "create", "task", t.ID, nil, t); err != nil {
				return err
			}
		}
		return tx.notify(ctx, notices...)
	})
}

func taskYears(t *plans.Task) (any, any) {
	if t.Kind != plans.TimeRange {
		return nil, nil
	}
	return t.YearFrom, t.YearTo
}

func (tx q) insertTask(ctx context.Context, t *plans.Task) error {
	ts := now()
	from, to := taskYears(t)
	var due any
	if t.Kind == plans.TimeDue {
		due = t.Due.ISO()
	}
	id, err := tx.insertID(ctx, `INSERT INTO tasks (plan_id, section, number, content, lead_text, coord_text, timeframe_kind,
		year_from, year_to, due_on, status, progress, position, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.PlanID, t.Section, t.Number, t.Content, t.LeadText, t.CoordText, string(t.Kind), from, to, due,
		string(t.Status), t.Progress, t.Position, ts, ts)
	if err != nil {
		return fmt.Errorf("insert task: %w", err)
	}
	t.ID = id
	return tx.setTaskUnits(ctx, t)
}

func (tx q) setTaskUnits(ctx context.Context, t *plans.Task) error {
	if _, err := tx.exec(ctx, "DELETE FROM task_units WHERE task_id = ?", t.ID); err != nil {
		return fmt.Errorf("clear task units: %w", err)
	}
	for role, list := range map[string][]int64{"lead": t.Lead, "coord": t.Coord} {
		seen := map[int64]bool{}
		for _, u := range list {
			if seen[u] {
				continue
			}
			seen[u] = true
			if _, err := tx.exec(ctx, "INSERT INTO task_units (task_id, unit_id, role) VALUES (?, ?, ?)", t.ID, u, role); err != nil {
				return fmt.Errorf("assign unit %d to task: %w", u, err)
			}
		}
	}
	return nil
}

// UpdateTask stores a task's content, timeframe and units, with notices.
func (s *Store) UpdateTask(ctx context.Context, a audit.Actor, t *plans.Task, notices ...Notice) error {
	if errs := t.Validate(); len(errs) > 0 {
		return errs
	}
	return s.Tx(ctx, func(tx *Tx) error {
		before, err := tx.task(ctx, t.ID)
		if err != nil {
			return err
		}
		t.PlanID, t.Position = before.PlanID, before.Position
		from, to := taskYears(t)
		var due any
		if t.Kind == plans.TimeDue {
			due = t.Due.ISO()
		}
		if _, err := tx.exec(ctx, `UPDATE tasks SET section = ?, number = ?, content = ?, lead_text = ?, coord_text = ?, timeframe_kind = ?,
			year_from = ?, year_to = ?, due_on = ?, status = ?, progress = ?, updated_at = ? WHERE id = ?`,
			t.Section, t.Number, t.Content, t.LeadText, t.CoordText, string(t.Kind), from, to, due, string(t.Status), t.Progress, now(), t.ID); err != nil {
			return fmt.Errorf("update task %d: %w", t.ID, err)
		}
		if err := tx.setTaskUnits(ctx, t); err != nil {
			return err
		}
		if err := tx.notify(ctx, notices...); err != nil {
			return err
		}
		return tx.record(ctx, a, "update", "task", t.ID, before, t)
	})
}

// AddTaskUpdate records progress on a task and moves the task's status and
// progress to the reported ones.
func (s *Store) AddTaskUpdate(ctx context.Context, a audit.Actor, u *plans.TaskUpdate) error {
	if errs := u.Validate(); len(errs) > 0 {
		return errs
	}
	return s.Tx(ctx, func(tx *Tx) error {
		ts := now()
		var uid any
		if a.UserID != 0 {
			uid = a.UserID
		}
		id, err := tx.insertID(ctx, `INSERT INTO task_updates (task_id, unit_id, user_id, status, progress, note, link, file_name, file_type, file_data, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.TaskID, u.UnitID, uid, string(u.Status), u.Progress, u.Note, u.Link,
			u.FileName, u.FileType, u.FileData, ts)
		if err != nil {
			return fmt.Errorf("insert task update: %w", err)
		}
		u.ID, u.CreatedAt = id, ts
		if _, err := tx.exec(ctx, "UPDATE tasks SET status = ?, progress = ?, updated_at = ? WHERE id = ?", string(u.Status), u.Progress, ts, u.TaskID); err != nil {
			return fmt.Errorf("update task %d progress: %w", u.TaskID, err)
		}
		logged := *u
		logged.FileData = nil // the file is in task_updates; the log keeps its name
		return tx.record(ctx, a, "create", "task_update", id, nil, logged)
	})
}

// TaskUpdates lists a task's updates, newest first, without file contents.
func (s *Store) TaskUpdates(ctx context.Context, taskID int64) ([]*plans.TaskUpdate, error) {
	rows, err := s.reader().query(ctx, `SELECT tu.id, tu.task_id, tu.unit_id, un.name, COALESCE(tu.user_id, 0), COALESCE(us.name, ''),
		tu.status, tu.progress, tu.note, tu.link, tu.file_name, tu.file_type, tu.created_at
		FROM task_updates tu JOIN units un ON un.id = tu.unit_id LEFT JOIN users us ON us.id = tu.user_id
		WHERE tu.task_id = ? ORDER BY tu.created_at DESC, tu.id DESC`, taskID)
	if err != nil {
		return nil, fmt.Errorf("list updates of task %d: %w", taskID, err)
	}
	defer rows.Close()
	var out []*plans.TaskUpdate
	for rows.Next() {
		var u plans.TaskUpdate
		var status string
		if err := rows.Scan(&u.ID, &u.TaskID, &u.UnitID, &u.UnitName, &u.UserID, &u.UserName, &status, &u.Progress, &u.Note, &u.Link,
			&u.FileName, &u.FileType, &u.CreatedAt); err != nil {
			return nil, err
		}
		u.Status = plans.TaskStatus(status)
		out = append(out, &u)
	}
	return out, rows.Err()
}

// TaskEvidence loads an update with its file.
func (s *Store) TaskEvidence(ctx context.Context, updateID int64) (*plans.TaskUpdate, error) {
	var u plans.TaskUpdate
	err := s.reader().row(ctx, "SELECT id, task_id, unit_id, file_name, file_type, file_data FROM task_updates WHERE id = ?", updateID).
		Scan(&u.ID, &u.TaskID, &u.UnitID, &u.FileName, &u.FileType, &u.FileData)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &u, err
}
