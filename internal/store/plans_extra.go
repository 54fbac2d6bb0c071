package store

import (
	"context"
	"fmt"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/units"
)

// DirectoryUnit is a unit as plan pages list it: enough to name it, choose
// it in a multi-select and match plan text against it.
type DirectoryUnit struct {
	ID        int64
	Code      string
	Name      string
	ShortName string
	Type      units.Type
	Closed    bool // not in force on the day asked for
}

// UnitDirectory lists every unit created by day, in name order, marking
// those closed by then; plan pages choose lead and coordinating units from
// it and plan import matches unit phrases against it.
func (s *Store) UnitDirectory(ctx context.Context, day dates.Date) ([]DirectoryUnit, error) {
	iso := day.ISO()
	rows, err := s.reader().query(ctx, `SELECT id, code, name, short_name, type, CASE WHEN valid_to IS NOT NULL AND valid_to <= ? THEN 1 ELSE 0 END
		FROM units WHERE valid_from <= ? ORDER BY sort_key, id`, iso, iso)
	if err != nil {
		return nil, fmt.Errorf("unit directory: %w", err)
	}
	defer rows.Close()
	var out []DirectoryUnit
	for rows.Next() {
		var u DirectoryUnit
		var typ string
		var closed int
		if err := rows.Scan(&u.ID, &u.Code, &u.Name, &u.ShortName, &typ, &closed); err != nil {
			return nil, fmt.Errorf("unit directory: %w", err)
		}
		u.Type, u.Closed = units.Type(typ), closed == 1
		out = append(out, u)
	}
	return out, rows.Err()
}

// DeleteTask removes a task; its unit assignments, updates and links to
// activities go with it (the activities themselves stay).
func (s *Store) DeleteTask(ctx context.Context, a audit.Actor, id int64) error {
	return s.Tx(ctx, func(tx *Tx) error {
		before, err := tx.task(ctx, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM tasks WHERE id = ?", id); err != nil {
			return fmt.Errorf("delete task %d: %w", id, err)
		}
		return tx.record(ctx, a, "delete", "task", id, before, nil)
	})
}
