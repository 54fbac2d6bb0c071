package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"khienso/internal/auth"
	"khienso/internal/dates"
)

// TokenFilter narrows the administrators' list of API tokens.
type TokenFilter struct {
	Within   int64     // owners in this unit's subtree; 0: everywhere
	UserID   int64     // one owner; 0: every owner
	ActiveAt time.Time // non-zero: only tokens neither revoked nor expired then
	Limit    int
	Offset   int
}

// OwnedTokens lists one page of API tokens with their owners, most
// recently used first, and how many match in all.
func (s *Store) OwnedTokens(ctx context.Context, f TokenFilter) ([]*auth.OwnedToken, int, error) {
	r := s.reader()
	var lf listFilter
	lf.within(f.Within, dates.Today(), "u.unit_id IN (SELECT id FROM sub)")
	if f.UserID != 0 {
		lf.add("t.user_id = ?", f.UserID)
	}
	if !f.ActiveAt.IsZero() {
		lf.add("t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)", FormatTime(f.ActiveAt))
	}
	cte, cond := lf.cte, lf.sql()
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := r.query(ctx, cte+"SELECT "+userCols+`, t.id, t.name, t.prefix, t.created_at, COALESCE(t.expires_at, ''),
		COALESCE(t.last_used_at, ''), COALESCE(t.revoked_at, ''), COALESCE(un.name, ''), COUNT(*) OVER ()
		FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN units un ON un.id = u.unit_id`+cond+`
		ORDER BY COALESCE(t.last_used_at, t.created_at) DESC, t.id DESC LIMIT ? OFFSET ?`,
		lf.params(limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list tokens: %w", err)
	}
	var out []*auth.OwnedToken
	owners := map[int64]*auth.User{} // one value per owner, so roles load once
	total := 0
	for rows.Next() {
		t := &auth.OwnedToken{}
		var c, e, l, rv string
		u, err := scanUser(rows, &t.ID, &t.Name, &t.Prefix, &c, &e, &l, &rv, &t.OwnerUnit, &total)
		if err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("list tokens: %w", err)
		}
		t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = ParseTime(c), ParseTime(e), ParseTime(l), ParseTime(rv)
		if owners[u.ID] == nil {
			owners[u.ID] = u
		}
		t.UserID, t.Owner = u.ID, owners[u.ID]
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list tokens: %w", err)
	}
	if len(out) == 0 && f.Offset > 0 { // past the end: the count still matters
		if err := r.row(ctx, cte+"SELECT COUNT(*) FROM api_tokens t JOIN users u ON u.id = t.user_id"+cond, lf.params()...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count tokens: %w", err)
		}
	}
	return out, total, r.loadRoles(ctx, slices.Collect(maps.Values(owners))...)
}

// TokenOwner returns the account an API token belongs to.
func (s *Store) TokenOwner(ctx context.Context, tokenID int64) (int64, error) {
	var id int64
	err := s.reader().row(ctx, "SELECT user_id FROM api_tokens WHERE id = ?", tokenID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("token %d: %w", tokenID, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("load token %d: %w", tokenID, err)
	}
	return id, nil
}
