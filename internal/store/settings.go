package store

import (
	"context"
	"fmt"
	"sort"

	"khienso/internal/audit"
	"khienso/internal/settings"
)

// Settings reads the values of scope: those set under scope itself, and for
// keys it does not set, those of the deployment scope. Keys set nowhere are
// missing from the map. One query.
func (s *Store) Settings(ctx context.Context, scope int64) (map[string]string, error) {
	rows, err := s.reader().query(ctx, "SELECT scope_id, key, value FROM settings WHERE scope_id IN (?, ?)",
		settings.DeploymentScope, scope)
	if err != nil {
		return nil, fmt.Errorf("read settings of scope %d: %w", scope, err)
	}
	defer rows.Close()
	out := map[string]string{}
	own := map[string]bool{}
	for rows.Next() {
		var sc int64
		var k, v string
		if err := rows.Scan(&sc, &k, &v); err != nil {
			return nil, fmt.Errorf("read settings of scope %d: %w", scope, err)
		}
		if sc == scope {
			out[k], own[k] = v, true
		} else if !own[k] {
			out[k] = v
		}
	}
	return out, rows.Err()
}

// OwnSettings reads only what scope itself sets, without the deployment
// fallback: what a settings form shows as that province's own values.
func (s *Store) OwnSettings(ctx context.Context, scope int64) (map[string]string, error) {
	rows, err := s.reader().query(ctx, "SELECT key, value FROM settings WHERE scope_id = ?", scope)
	if err != nil {
		return nil, fmt.Errorf("read settings of scope %d: %w", scope, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("read settings of scope %d: %w", scope, err)
		}
		out[k] = v
	}
	return out, rows.Err()
}

// ProvinceSettings reads the province settings of scope (with the
// deployment fallback), typed.
func (s *Store) ProvinceSettings(ctx context.Context, scope int64) (settings.Province, error) {
	v, err := s.Settings(ctx, scope)
	if err != nil {
		return settings.Province{}, err
	}
	return settings.ProvinceFrom(v), nil
}

// SettingsChange is values to write under Scope.
type SettingsChange struct {
	Scope  int64
	Values map[string]string
}

// SetSettings writes values under scope in one transaction, recording each
// change in the audit log (entity "setting", id "<scope>:<key>"). An empty
// value removes the key from scope; unchanged keys write nothing.
func (s *Store) SetSettings(ctx context.Context, a audit.Actor, scope int64, values map[string]string) error {
	return s.ChangeSettings(ctx, a, SettingsChange{Scope: scope, Values: values})
}

// ChangeSettings writes several scopes as SetSettings does, all in one
// transaction. The audit log keeps secrets masked (settings.Redact).
func (s *Store) ChangeSettings(ctx context.Context, a audit.Actor, changes ...SettingsChange) error {
	return s.inTx(ctx, func(tx q) error {
		for _, c := range changes {
			if err := tx.setSettings(ctx, a, c.Scope, c.Values); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetSettings is Store.SetSettings inside a larger transaction (a
// province's set-up writes its units and its settings together).
func (tx *Tx) SetSettings(ctx context.Context, a audit.Actor, scope int64, values map[string]string) error {
	return tx.setSettings(ctx, a, scope, values)
}

func (tx q) setSettings(ctx context.Context, a audit.Actor, scope int64, values map[string]string) error {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys) // audit entries in a stable order
	old := map[string]string{}
	rows, err := tx.query(ctx, "SELECT key, value FROM settings WHERE scope_id = ?", scope)
	if err != nil {
		return fmt.Errorf("read settings of scope %d: %w", scope, err)
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			return err
		}
		old[k] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, k := range keys {
		v := values[k]
		before, had := old[k]
		if had && before == v || !had && v == "" {
			continue
		}
		if _, err := tx.exec(ctx, "DELETE FROM settings WHERE scope_id = ? AND key = ?", scope, k); err != nil {
			return fmt.Errorf("write setting %s: %w", k, err)
		}
		if v != "" {
			if _, err := tx.exec(ctx, "INSERT INTO settings (scope_id, key, value) VALUES (?, ?, ?)", scope, k, v); err != nil {
				return fmt.Errorf("write setting %s: %w", k, err)
			}
		}
		var b, af any
		if had {
			b = settings.Redact(k, before)
		}
		if v != "" {
			af = settings.Redact(k, v)
		}
		if err := tx.record(ctx, a, "update", "setting", fmt.Sprintf("%d:%s", scope, k), b, af); err != nil {
			return err
		}
	}
	return nil
}
