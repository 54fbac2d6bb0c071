package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/validation"
)

// EnsureProgrammes installs the programme templates that are not in the
// database yet (by code); existing ones are left as the province edited them.
func (s *Store) EnsureProgrammes(ctx context.Context, list []plans.Programme) error {
	return s.Tx(ctx, func(tx *Tx) error {
		for i := range list {
			var id int64
			err := tx.row(ctx, "SELECT id FROM programmes WHERE code = ?", list[i].Code).Scan(&id)
			if err == nil {
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("find programme %s: %w", list[i].Code, err)
			}
			if err := tx.SaveProgramme(ctx, audit.Actor{Label: "system"}, &list[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// SaveProgramme creates the programme or replaces the one with the same code.
func (tx *Tx) SaveProgramme(ctx context.Context, a audit.Actor, p *plans.Programme) error {
	targets, err := json.Marshal(plans.TargetFiles(p.Targets))
	if err != nil {
		return err
	}
	ts := now()
	var before *plans.Programme
	err = tx.row(ctx, "SELECT id FROM programmes WHERE code = ?", p.Code).Scan(&p.ID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		p.ID, err = tx.insertID(ctx, `INSERT INTO programmes (code, name, decision, year_from, year_to, targets_json, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.Code, p.Name, p.Decision, p.YearFrom, p.YearTo, string(targets), ts, ts)
	case err == nil:
		if before, err = tx.programme(ctx, p.ID); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE programmes SET name = ?, decision = ?, year_from = ?, year_to = ?, targets_json = ?, updated_at = ? WHERE id = ?`,
			p.Name, p.Decision, p.YearFrom, p.YearTo, string(targets), ts, p.ID)
	}
	if err != nil {
		return fmt.Errorf("save programme %s: %w", p.Code, err)
	}
	action := "create"
	if before != nil {
		action = "update"
	}
	return tx.record(ctx, a, action, "programme", p.ID, before, p)
}

const programmeCols = "id, code, name, decision, year_from, year_to, targets_json"

func scanProgramme(r rowScanner) (*plans.Programme, error) {
	var p plans.Programme
	var targets string
	if err := r.Scan(&p.ID, &p.Code, &p.Name, &p.Decision, &p.YearFrom, &p.YearTo, &targets); err != nil {
		return nil, err
	}
	var files []plans.TargetFile
	if err := json.Unmarshal([]byte(targets), &files); err != nil {
		return nil, fmt.Errorf("programme %d targets: %w", p.ID, err)
	}
	p.Targets = plans.ProgrammeFile{Targets: files}.Programme().Targets
	return &p, nil
}

func (x q) programme(ctx context.Context, id int64) (*plans.Programme, error) {
	p, err := scanProgramme(x.row(ctx, "SELECT "+programmeCols+" FROM programmes WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return p, err
}

// Programme loads one programme template.
func (s *Store) Programme(ctx context.Context, id int64) (*plans.Programme, error) {
	return s.reader().programme(ctx, id)
}

// Programmes lists the programme templates.
func (s *Store) Programmes(ctx context.Context) ([]*plans.Programme, error) {
	rows, err := s.reader().query(ctx, "SELECT "+programmeCols+" FROM programmes ORDER BY year_from DESC, code")
	if err != nil {
		return nil, fmt.Errorf("list programmes: %w", err)
	}
	defer rows.Close()
	var out []*plans.Programme
	for rows.Next() {
		p, err := scanProgramme(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

const planCols = `p.id, p.unit_id, u.name, COALESCE(p.parent_plan_id, 0), COALESCE(p.programme_id, 0), p.number, p.title,
	COALESCE(p.issued_on, ''), p.signer, p.year_from, p.year_to, p.objectives, p.status`

const planFrom = " FROM plans p JOIN units u ON u.id = p.unit_id"

func scanPlan(r rowScanner) (*plans.Plan, error) {
	var p plans.Plan
	var issued, status string
	if err := r.Scan(&p.ID, &p.UnitID, &p.UnitName, &p.ParentID, &p.ProgrammeID, &p.Number, &p.Title, &issued,
		&p.Signer, &p.YearFrom, &p.YearTo, &p.Objectives, &status); err != nil {
		return nil, err
	}
	p.Status = plans.Status(status)
	if issued != "" {
		p.IssuedOn, _ = dates.Parse(issued)
	}
	return &p, nil
}

// Plan loads one plan.
func (s *Store) Plan(ctx context.Context, id int64) (*plans.Plan, error) {
	return s.reader().plan(ctx, id)
}

func (x q) plan(ctx context.Context, id int64) (*plans.Plan, error) {
	p, err := scanPlan(x.row(ctx, "SELECT "+planCols+planFrom+" WHERE p.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load plan %d: %w", id, err)
	}
	return p, nil
}

// PlanFilter selects plans. Units, when not nil, limits to plans issued by
// those units; Parent to plans implementing that plan (-1: top-level plans,
// -2: plans implementing some plan); Status, Programme and Year (plans
// whose period covers it) when set.
type PlanFilter struct {
	Units     []int64
	Parent    int64
	Status    plans.Status
	Programme int64
	Year      int
}

// Parent values of PlanFilter besides a plan id.
const (
	PlanTopLevel    = -1
	PlanImplementer = -2
)

// Plans lists plans, newest period first.
func (s *Store) Plans(ctx context.Context, f PlanFilter) ([]*plans.Plan, error) {
	var where []string
	var args []any
	if f.Units != nil {
		if len(f.Units) == 0 {
			return nil, nil
		}
		where = append(where, "p.unit_id IN ("+placeholders(len(f.Units))+")")
		for _, id := range f.Units {
			args = append(args, id)
		}
	}
	switch {
	case f.Parent > 0:
		where = append(where, "p.parent_plan_id = ?")
		args = append(args, f.Parent)
	case f.Parent == PlanTopLevel:
		where = append(where, "p.parent_plan_id IS NULL")
	case f.Parent == PlanImplementer:
		where = append(where, "p.parent_plan_id IS NOT NULL")
	}
	if f.Status != "" {
		where, args = append(where, "p.status = ?"), append(args, string(f.Status))
	}
	if f.Programme != 0 {
		where, args = append(where, "p.programme_id = ?"), append(args, f.Programme)
	}
	if f.Year != 0 {
		where, args = append(where, "p.year_from <= ? AND p.year_to >= ?"), append(args, f.Year, f.Year)
	}
	query := "SELECT " + planCols + planFrom
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.reader().query(ctx, query+" ORDER BY p.year_to DESC, p.id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	defer rows.Close()
	var out []*plans.Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CreatePlan stores a plan with its indicators (for example copied from a
// programme template) in one transaction. The caller has validated both
// (plansvc does; the demo and benchmark loaders store shipped data).
func (s *Store) CreatePlan(ctx context.Context, a audit.Actor, p *plans.Plan, inds []plans.Indicator) error {
	return s.Tx(ctx, func(tx *Tx) error {
		ts := now()
		id, err := tx.insertID(ctx, `INSERT INTO plans (unit_id, parent_plan_id, programme_id, number, title, issued_on, signer,
			year_from, year_to, objectives, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.UnitID, nullZero64(p.ParentID), nullZero64(p.ProgrammeID), p.Number, p.Title, nullDate(p.IssuedOn), p.Signer,
			p.YearFrom, p.YearTo, p.Objectives, string(p.Status), ts, ts)
		if err != nil {
			return fmt.Errorf("insert plan: %w", err)
		}
		p.ID = id
		if err := tx.record(ctx, a, "create", "plan", id, nil, p); err != nil {
			return err
		}
		for i := range inds {
			inds[i].ID, inds[i].PlanID = 0, id
			if err := tx.SaveIndicator(ctx, a, &inds[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func nullZero64(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// ErrPlanChanged: the plan's status is no longer the one the change was
// decided on (another request changed it meanwhile).
var ErrPlanChanged = errors.New("plan changed meanwhile")

// UpdatePlan stores a plan's fields (not its unit, parent or programme).
// was is the status the caller decided the change on: the UPDATE applies
// only while the plan still has it, else ErrPlanChanged.
func (s *Store) UpdatePlan(ctx context.Context, a audit.Actor, p *plans.Plan, was plans.Status) error {
	return s.Tx(ctx, func(tx *Tx) error {
		before, err := tx.plan(ctx, p.ID)
		if err != nil {
			return err
		}
		p.UnitID, p.UnitName, p.ParentID, p.ProgrammeID = before.UnitID, before.UnitName, before.ParentID, before.ProgrammeID
		res, err := tx.exec(ctx, `UPDATE plans SET number = ?, title = ?, issued_on = ?, signer = ?, year_from = ?, year_to = ?,
			objectives = ?, status = ?, updated_at = ? WHERE id = ? AND status = ?`, p.Number, p.Title, nullDate(p.IssuedOn), p.Signer,
			p.YearFrom, p.YearTo, p.Objectives, string(p.Status), now(), p.ID, string(was))
		if err != nil {
			return fmt.Errorf("update plan %d: %w", p.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrPlanChanged
		}
		return tx.record(ctx, a, "update", "plan", p.ID, before, p)
	})
}

const indicatorCols = "id, plan_id, code, name, description, measure_unit, formula, comparison, target_value, COALESCE(target_max, 0), period_kind, position"

func scanIndicator(r rowScanner) (*plans.Indicator, error) {
	var i plans.Indicator
	var period string
	if err := r.Scan(&i.ID, &i.PlanID, &i.Code, &i.Name, &i.Description, &i.MeasureUnit, &i.Formula, &i.Comparison, &i.Value, &i.Max, &period, &i.Position); err != nil {
		return nil, err
	}
	i.Period = plans.PeriodKind(period)
	return &i, nil
}

// Indicators lists a plan's indicators in order.
func (s *Store) Indicators(ctx context.Context, planID int64) ([]*plans.Indicator, error) {
	rows, err := s.reader().query(ctx, "SELECT "+indicatorCols+" FROM indicators WHERE plan_id = ? ORDER BY position, id", planID)
	if err != nil {
		return nil, fmt.Errorf("list indicators of plan %d: %w", planID, err)
	}
	defer rows.Close()
	var out []*plans.Indicator
	for rows.Next() {
		i, err := scanIndicator(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// Indicator loads one indicator.
func (s *Store) Indicator(ctx context.Context, id int64) (*plans.Indicator, error) {
	return s.reader().indicator(ctx, id)
}

func (x q) indicator(ctx context.Context, id int64) (*plans.Indicator, error) {
	i, err := scanIndicator(x.row(ctx, "SELECT "+indicatorCols+" FROM indicators WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return i, err
}

// SaveIndicator creates (ID 0) or updates an indicator the caller has
// validated. A code already used in the plan is a field error on "code"
// (the unique index decides, so two concurrent saves cannot both win).
func (s *Store) SaveIndicator(ctx context.Context, a audit.Actor, i *plans.Indicator) error {
	return s.Tx(ctx, func(tx *Tx) error { return tx.SaveIndicator(ctx, a, i) })
}

// SaveIndicator is Store.SaveIndicator inside a larger transaction.
func (tx *Tx) SaveIndicator(ctx context.Context, a audit.Actor, i *plans.Indicator) error {
	ts := now()
	var max any
	if i.Comparison == "between" {
		max = i.Max
	}
	if i.ID == 0 {
		if i.Position == 0 {
			if err := tx.row(ctx, "SELECT COALESCE(MAX(position), 0) + 1 FROM indicators WHERE plan_id = ?", i.PlanID).Scan(&i.Position); err != nil {
				return err
			}
		}
		id, err := tx.insertID(ctx, `INSERT INTO indicators (plan_id, code, name, description, measure_unit, formula, comparison, target_value, target_max,
			period_kind, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			i.PlanID, i.Code, i.Name, i.Description, i.MeasureUnit, i.Formula, i.Comparison, i.Value, max, string(i.Period), i.Position, ts, ts)
		if isUniqueViolation(err) {
			return validation.Single("code", "indicator.err.code_taken")
		}
		if err != nil {
			return fmt.Errorf("insert indicator %s: %w", i.Code, err)
		}
		i.ID = id
		return tx.record(ctx, a, "create", "indicator", id, nil, i)
	}
	before, err := tx.indicator(ctx, i.ID)
	if err != nil {
		return err
	}
	i.PlanID = before.PlanID
	_, err = tx.exec(ctx, `UPDATE indicators SET code = ?, name = ?, description = ?, measure_unit = ?, formula = ?, comparison = ?, target_value = ?,
		target_max = ?, period_kind = ?, position = ?, updated_at = ? WHERE id = ?`,
		i.Code, i.Name, i.Description, i.MeasureUnit, i.Formula, i.Comparison, i.Value, max, string(i.Period), i.Position, ts, i.ID)
	if isUniqueViolation(err) {
		return validation.Single("code", "indicator.err.code_taken")
	}
	if err != nil {
		return fmt.Errorf("update indicator %d: %w", i.ID, err)
	}
	return tx.record(ctx, a, "update", "indicator", i.ID, before, i)
}

// DeleteIndicator removes an indicator (its values are computed, so
// nothing else is lost).
func (s *Store) DeleteIndicator(ctx context.Context, a audit.Actor, id int64) error {
	return s.Tx(ctx, func(tx *Tx) error {
		before, err := tx.indicator(ctx, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM indicators WHERE id = ?", id); err != nil {
			return fmt.Errorf("delete indicator %d: %w", id, err)
		}
		return tx.record(ctx, a, "delete", "indicator", id, before, nil)
	})
}

// PlanUnits returns the units that have a plan implementing parent that was
// issued (in effect or closed) on or before day.
func (s *Store) PlanUnits(ctx context.Context, parent int64, day dates.Date) (map[int64]bool, error) {
	rows, err := s.reader().query(ctx, `SELECT DISTINCT unit_id FROM plans WHERE parent_plan_id = ? AND status <> 'draft'
		AND issued_on IS NOT NULL AND issued_on <= ?`, parent, day.ISO())
	if err != nil {
		return nil, fmt.Errorf("units with a plan under %d: %w", parent, err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
