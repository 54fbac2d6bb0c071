package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"khienso/internal/audit"
)

// Setting reads a deployment setting, or def when it is not set.
func (s *Store) Setting(ctx context.Context, key, def string) (string, error) {
	var v string
	err := s.reader().row(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// Settings reads several deployment settings in one query: the value of
// each key that is set (absent keys are missing from the map). The report
// header reads about ten.
func (s *Store) Settings(ctx context.Context, keys ...string) (map[string]string, error) {
	out := map[string]string{}
	if len(keys) == 0 {
		return out, nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	rows, err := s.reader().query(ctx, "SELECT key, value FROM settings WHERE key IN ("+placeholders(len(keys))+")", args...)
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SetSetting writes a deployment setting and records the change.
func (s *Store) SetSetting(ctx context.Context, a audit.Actor, key, value string) error {
	return s.inTx(ctx, func(tx q) error {
		var before *string
		var old string
		if err := tx.row(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&old); err == nil {
			before = &old
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM settings WHERE key = ?", key); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", key, value); err != nil {
			return fmt.Errorf("write setting %s: %w", key, err)
		}
		return tx.record(ctx, a, "update", "setting", key, before, value)
	})
}
