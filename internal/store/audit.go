package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"khienso/internal/audit"
	"khienso/internal/dates"
)

// record appends an audit entry inside the caller's transaction. before and
// after are marshalled to JSON; nil means "none" (creation or deletion).
func (tx q) record(ctx context.Context, a audit.Actor, action, entity string, entityID any, before, after any) error {
	return tx.recordAll(ctx, a, []auditRow{{action: action, entity: entity, id: entityID, before: before, after: after}})
}

// auditRow is one entry for recordAll.
type auditRow struct {
	action, entity string
	id             any
	before, after  any
}

// auditPerInsert bounds a multi-row insert of entries (9 parameters each).
const auditPerInsert = 1000

// recordAll appends entries by the same actor in multi-row inserts, so a
// bulk write (a province's set-up) records each change without a round
// trip per entry.
func (tx q) recordAll(ctx context.Context, a audit.Actor, entries []auditRow) error {
	enc := func(v any) (any, error) {
		if v == nil {
			return nil, nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return string(b), nil
	}
	var uid any
	if a.UserID != 0 {
		uid = a.UserID
	}
	label := a.Label
	if label == "" {
		label = "system"
	}
	at := now()
	for start := 0; start < len(entries); start += auditPerInsert {
		part := entries[start:min(start+auditPerInsert, len(entries))]
		var b strings.Builder
		b.WriteString("INSERT INTO audit_log (at, user_id, actor, ip, action, entity, entity_id, before_json, after_json) VALUES ")
		args := make([]any, 0, len(part)*9)
		for i, e := range part {
			before, err := enc(e.before)
			if err != nil {
				return fmt.Errorf("audit before: %w", err)
			}
			after, err := enc(e.after)
			if err != nil {
				return fmt.Errorf("audit after: %w", err)
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, at, uid, label, a.IP, e.action, e.entity, fmt.Sprint(e.id), before, after)
		}
		if _, err := tx.execMany(ctx, len(part), b.String(), args...); err != nil {
			return fmt.Errorf("write audit entry: %w", err)
		}
	}
	return nil
}

// AuditLog lists entries matching f, newest first, with the total count.
func (s *Store) AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, int, error) {
	var lf listFilter
	lf.within(f.Within, dates.Today(), "user_id IN (SELECT id FROM users WHERE unit_id IN (SELECT id FROM sub))")
	if f.UserID != 0 {
		lf.add("user_id = ?", f.UserID)
	}
	if f.Actor != "" {
		lf.add("LOWER(actor) LIKE ? ESCAPE '\\'", "%"+likeEscape(strings.ToLower(f.Actor))+"%")
	}
	if f.Action != "" {
		lf.add("action = ?", f.Action)
	}
	if f.Entity != "" {
		lf.add("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		lf.add("entity_id = ?", f.EntityID)
	}
	if !f.From.IsZero() {
		lf.add("at >= ?", FormatTime(f.From))
	}
	if !f.To.IsZero() {
		lf.add("at < ?", FormatTime(f.To))
	}
	cte, cond := lf.cte, lf.sql()
	r := s.reader()
	var total int
	if err := r.row(ctx, cte+"SELECT COUNT(*) FROM audit_log"+cond, lf.params()...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit log: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := r.query(ctx, cte+`SELECT id, at, COALESCE(user_id, 0), actor, ip, action, entity, entity_id,
		COALESCE(before_json, ''), COALESCE(after_json, '') FROM audit_log`+cond+
		" ORDER BY id DESC LIMIT ? OFFSET ?", lf.params(limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit log: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var at, before, after string
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Actor, &e.IP, &e.Action, &e.Entity, &e.EntityID, &before, &after); err != nil {
			return nil, 0, err
		}
		e.At = ParseTime(at)
		if before != "" {
			e.Before = json.RawMessage(before)
		}
		if after != "" {
			e.After = json.RawMessage(after)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// likeEscape escapes LIKE wildcards so user text matches literally.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
