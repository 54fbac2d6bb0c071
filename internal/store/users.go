package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/textnorm"
	"khienso/internal/validation"
)

const userCols = `u.id, u.email, u.name, u.unit_id, u.must_change_password, u.disabled,
	COALESCE(u.locked_until, ''), COALESCE(u.last_login_at, ''), u.created_at, u.updated_at`

func scanUser(r rowScanner, extra ...any) (*auth.User, error) {
	var u auth.User
	var must, disabled int
	var locked, last, created, updated string
	dest := append([]any{&u.ID, &u.Email, &u.Name, &u.UnitID, &must, &disabled, &locked, &last, &created, &updated}, extra...)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	u.MustChangePassword, u.Disabled = must != 0, disabled != 0
	u.LockedUntil, u.LastLoginAt = ParseTime(locked), ParseTime(last)
	u.CreatedAt, u.UpdatedAt = ParseTime(created), ParseTime(updated)
	return &u, nil
}

func (x q) loadRoles(ctx context.Context, us ...*auth.User) error {
	for _, u := range us {
		rows, err := x.query(ctx, "SELECT role FROM user_roles WHERE user_id = ? ORDER BY role", u.ID)
		if err != nil {
			return fmt.Errorf("roles of user %d: %w", u.ID, err)
		}
		u.Roles = u.Roles[:0]
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				rows.Close()
				return err
			}
			u.Roles = append(u.Roles, auth.Role(r))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (x q) user(ctx context.Context, where string, arg any, extra ...any) (*auth.User, error) {
	u, err := scanUser(x.row(ctx, "SELECT "+userCols+strings.Repeat(", u.password_hash", len(extra))+" FROM users u WHERE "+where, arg), extra...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("user %v: %w", arg, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load user %v: %w", arg, err)
	}
	return u, x.loadRoles(ctx, u)
}

// User reads one account.
func (s *Store) User(ctx context.Context, id int64) (*auth.User, error) {
	return s.reader().user(ctx, "u.id = ?", id)
}

// UserByEmail returns the account and its password hash, or nil when no
// account has that e-mail.
func (s *Store) UserByEmail(ctx context.Context, email string) (*auth.User, string, error) {
	var hash string
	u, err := s.reader().user(ctx, "u.email = ?", strings.ToLower(strings.TrimSpace(email)), &hash)
	if errors.Is(err, ErrNotFound) {
		return nil, "", nil
	}
	return u, hash, err
}

// UserFilter narrows a user listing.
type UserFilter struct {
	Query         string // name or e-mail, ignoring case and diacritics
	Within        int64  // only users of units under this one today (0: all)
	Limit, Offset int
}

// Users lists accounts matching f with the total count.
func (s *Store) Users(ctx context.Context, f UserFilter) ([]*auth.User, int, error) {
	r := s.reader()
	var lf listFilter
	lf.within(f.Within, dates.Today(), "u.unit_id IN (SELECT id FROM sub)")
	// Names are folded in Go: the set is small enough and this keeps the
	// query portable without a stored search key.
	rows, err := r.query(ctx, lf.cte+"SELECT "+userCols+" FROM users u"+lf.sql()+" ORDER BY u.sort_key, u.id", lf.params()...)
	if err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	var all []*auth.User
	needle := textnorm.Fold(f.Query)
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		if needle == "" || strings.Contains(textnorm.Fold(u.Name+" "+u.Email), needle) {
			all = append(all, u)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	total := len(all)
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	start := min(max(f.Offset, 0), total)
	page := all[start:min(start+limit, total)]
	return page, total, r.loadRoles(ctx, page...)
}

// CreateUser stores a new account with an already hashed password.
func (s *Store) CreateUser(ctx context.Context, a audit.Actor, u *auth.User, passwordHash string) error {
	return s.inTx(ctx, func(tx q) error { return tx.createUser(ctx, a, u, passwordHash) })
}

// CreateUser is Store.CreateUser inside a larger transaction (a province's
// set-up creates its first administrator with its units).
func (tx *Tx) CreateUser(ctx context.Context, a audit.Actor, u *auth.User, passwordHash string) error {
	return tx.createUser(ctx, a, u, passwordHash)
}

func (tx q) createUser(ctx context.Context, a audit.Actor, u *auth.User, passwordHash string) error {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	if _, err := tx.unit(ctx, u.UnitID, dates.Today()); errors.Is(err, ErrNotFound) {
		return validation.Single("unit_id", "err.unit_unknown")
	} else if err != nil {
		return err
	}
	ts := now()
	id, err := tx.insertID(ctx, `INSERT INTO users (email, name, sort_key, unit_id, password_hash, must_change_password, disabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Email, u.Name, textnorm.SortKey(u.Name), u.UnitID, passwordHash, boolInt(u.MustChangePassword), boolInt(u.Disabled), ts, ts)
	if isUniqueViolation(err) {
		return validation.Single("email", "err.email_taken")
	}
	if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	u.ID, u.CreatedAt, u.UpdatedAt = id, ParseTime(ts), ParseTime(ts)
	if err := tx.setRoles(ctx, u); err != nil {
		return err
	}
	return tx.record(ctx, a, "create", "user", u.ID, nil, u)
}

func (tx q) setRoles(ctx context.Context, u *auth.User) error {
	if _, err := tx.exec(ctx, "DELETE FROM user_roles WHERE user_id = ?", u.ID); err != nil {
		return fmt.Errorf("clear roles: %w", err)
	}
	for _, r := range u.Roles {
		if _, err := tx.exec(ctx, "INSERT INTO user_roles (user_id, role) VALUES (?, ?)", u.ID, string(r)); err != nil {
			return fmt.Errorf("grant role: %w", err)
		}
	}
	return nil
}

// UpdateUser stores the name, e-mail, unit, roles and disabled flag of u. A
// disabled account loses its sessions and tokens at once.
func (s *Store) UpdateUser(ctx context.Context, a audit.Actor, u *auth.User) error {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx q) error {
		before, err := tx.user(ctx, "u.id = ?", u.ID)
		if err != nil {
			return err
		}
		if _, err := tx.unit(ctx, u.UnitID, dates.Today()); errors.Is(err, ErrNotFound) {
			return validation.Single("unit_id", "err.unit_unknown")
		} else if err != nil {
			return err
		}
		ts := now()
		_, err = tx.exec(ctx, "UPDATE users SET email = ?, name = ?, sort_key = ?, unit_id = ?, disabled = ?, updated_at = ? WHERE id = ?",
			u.Email, u.Name, textnorm.SortKey(u.Name), u.UnitID, boolInt(u.Disabled), ts, u.ID)
		if isUniqueViolation(err) {
			return validation.Single("email", "err.email_taken")
		}
		if err != nil {
			return fmt.Errorf("update user %d: %w", u.ID, err)
		}
		if err := tx.setRoles(ctx, u); err != nil {
			return err
		}
		if u.Disabled && !before.Disabled {
			if err := tx.dropCredentials(ctx, u.ID); err != nil {
				return err
			}
		}
		after, err := tx.user(ctx, "u.id = ?", u.ID)
		if err != nil {
			return err
		}
		*u = *after
		return tx.record(ctx, a, "update", "user", u.ID, before, after)
	})
}

// SetPassword replaces a user's password hash, ends their sessions but
// keepSession, unlocks the account and, with revokeTokens, revokes every
// API token of the user in the same transaction.
func (s *Store) SetPassword(ctx context.Context, a audit.Actor, userID int64, hash string, mustChange bool, keepSession string, revokeTokens bool) error {
	return s.inTx(ctx, func(tx q) error {
		res, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, failed_logins = 0,
			locked_until = NULL, updated_at = ? WHERE id = ?`, hash, boolInt(mustChange), now(), userID)
		if err != nil {
			return fmt.Errorf("set password of %d: %w", userID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %d: %w", userID, ErrNotFound)
		}
		if err := tx.unlockLogin(ctx, audit.Actor{}, userID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", userID, hashToken(keepSession)); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		if revokeTokens {
			if _, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now(), userID); err != nil {
				return fmt.Errorf("revoke tokens of %d: %w", userID, err)
			}
		}
		return tx.record(ctx, a, "password", "user", userID, nil, map[string]any{"must_change_password": mustChange, "tokens_revoked": revokeTokens})
	})
}

func (tx q) dropCredentials(ctx context.Context, userID int64) error {
	if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	if _, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now(), userID); err != nil {
		return fmt.Errorf("revoke tokens: %w", err)
	}
	return nil
}

// throttleKeys are the counters of an attempt by email (normalised) from ip.
func throttleKeys(ip, email string) (address, pair, account, good string) {
	return "ip:" + ip, "pair:" + email + "|" + ip, "account:" + email, "good:" + email + "|" + ip
}

func normEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ReserveAttempt counts a sign-in attempt as a failure before its password
// is checked, each counter in one atomic statement, so that parallel
// attempts see each other (Succeeded takes it back). A counter whose
// window (auth's) has passed starts again at one.
func (s *Store) ReserveAttempt(ctx context.Context, ip, email string) (auth.LoginCount, error) {
	email = normEmail(email)
	address, pair, account, good := throttleKeys(ip, email)
	var c auth.LoginCount
	err := s.inTx(ctx, func(tx q) error {
		t := time.Now()
		for _, k := range []struct {
			key    string
			window time.Duration
			n      *int
		}{{address, auth.FailureWindow, &c.Address}, {pair, auth.PairWindow, &c.Pair}, {account, auth.AccountWindow, &c.Account}} {
			if err := tx.row(ctx, `INSERT INTO login_throttle (key, failures, window_start) VALUES (?, 1, ?)
				ON CONFLICT (key) DO UPDATE SET
					failures = CASE WHEN login_throttle.window_start < ? THEN 1 ELSE login_throttle.failures + 1 END,
					window_start = CASE WHEN login_throttle.window_start < ? THEN excluded.window_start ELSE login_throttle.window_start END
				RETURNING failures`, k.key, FormatTime(t), FormatTime(t.Add(-k.window)), FormatTime(t.Add(-k.window))).Scan(k.n); err != nil {
				return fmt.Errorf("count sign-in attempt: %w", err)
			}
		}
		var n int
		if err := tx.row(ctx, "SELECT COUNT(*) FROM login_throttle WHERE key = ? AND window_start >= ?",
			good, FormatTime(t.Add(-auth.KnownAddressFor))).Scan(&n); err != nil {
			return fmt.Errorf("known address: %w", err)
		}
		c.KnownAddress = n > 0
		return nil
	})
	return c, err
}

// Release takes back a reserved attempt whose password was not checked
// (the server was too busy), so it counts against nobody.
func (s *Store) Release(ctx context.Context, ip, email string) error {
	address, pair, account, _ := throttleKeys(ip, normEmail(email))
	_, err := s.writer().exec(ctx, "UPDATE login_throttle SET failures = failures - 1 WHERE key IN (?, ?, ?) AND failures > 0",
		address, pair, account)
	if err != nil {
		return fmt.Errorf("release sign-in attempt: %w", err)
	}
	return nil
}

// LockAccount marks the account with email locked until t (the
// account-wide limit was passed), so that administrators see it.
func (s *Store) LockAccount(ctx context.Context, email string, until time.Time) error {
	_, err := s.writer().exec(ctx, "UPDATE users SET locked_until = ? WHERE email = ?", FormatTime(until), normEmail(email))
	return err
}

// Succeeded clears the attempt's (e-mail, address) and account
// counters, takes the attempt off the address's, remembers the address as
// known to the account and notes the sign-in time.
func (s *Store) Succeeded(ctx context.Context, ip, email string, userID int64) error {
	email = normEmail(email)
	address, pair, account, good := throttleKeys(ip, email)
	return s.inTx(ctx, func(tx q) error {
		if _, err := tx.exec(ctx, "DELETE FROM login_throttle WHERE key IN (?, ?, ?)", pair, account, good); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "UPDATE login_throttle SET failures = failures - 1 WHERE key = ? AND failures > 0", address); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "INSERT INTO login_throttle (key, failures, window_start) VALUES (?, 0, ?)", good, now()); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?", now(), userID)
		return err
	})
}

// UnlockLogin lifts every sign-in lock on email: the account-wide one and
// those of each address, as an administrator's unlock or a password reset
// does.
func (s *Store) UnlockLogin(ctx context.Context, a audit.Actor, userID int64) error {
	return s.inTx(ctx, func(tx q) error { return tx.unlockLogin(ctx, a, userID) })
}

func (tx q) unlockLogin(ctx context.Context, a audit.Actor, userID int64) error {
	var email string
	if err := tx.row(ctx, "SELECT email FROM users WHERE id = ?", userID).Scan(&email); errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "DELETE FROM login_throttle WHERE key = ? OR key LIKE ? ESCAPE '\\'",
		"account:"+email, "pair:"+likeEscape(email)+"|%"); err != nil {
		return fmt.Errorf("unlock %s: %w", email, err)
	}
	if _, err := tx.exec(ctx, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", userID); err != nil {
		return err
	}
	if a != (audit.Actor{}) {
		return tx.record(ctx, a, "unlock", "user", userID, nil, nil)
	}
	return nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateSession stores a session under the hash of token (the token itself
// lives only in the browser's cookie).
func (s *Store) CreateSession(ctx context.Context, token string, sess auth.Session, ip, userAgent string) error {
	ts := now()
	return s.inTx(ctx, func(tx q) error {
		_, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at, ip, user_agent)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, hashToken(token), sess.UserID, sess.CSRFToken, ts, FormatTime(sess.ExpiresAt), ts, ip, truncate(userAgent, 300))
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
}

// SessionUser returns the session for token and its user, or ErrNotFound if
// the session is unknown, expired, or the user is disabled.
func (s *Store) SessionUser(ctx context.Context, token string) (*auth.Session, *auth.User, error) {
	var sess auth.Session
	var expires string
	r := s.reader()
	u, err := scanUser(r.row(ctx, "SELECT "+userCols+`, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`, hashToken(token), now()), &sess.CSRFToken, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load session: %w", err)
	}
	sess.UserID, sess.ExpiresAt = u.ID, ParseTime(expires)
	return &sess, u, r.loadRoles(ctx, u)
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.inTx(ctx, func(tx q) error {
		_, err := tx.exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", hashToken(token))
		return err
	})
}

// PurgeExpired removes expired sessions and old sign-in counters.
func (s *Store) PurgeExpired(ctx context.Context) error {
	return s.inTx(ctx, func(tx q) error {
		if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE expires_at <= ?", now()); err != nil {
			return err
		}
		// Counters live at most a day; known addresses a month.
		_, err := tx.exec(ctx, "DELETE FROM login_throttle WHERE window_start < ? OR (key NOT LIKE 'good:%' AND window_start < ?)",
			FormatTime(time.Now().Add(-31*24*time.Hour)), FormatTime(time.Now().Add(-24*time.Hour)))
		return err
	})
}

// CreateToken stores a new API token for user and returns its secret, which
// is shown once and kept only as a hash.
func (s *Store) CreateToken(ctx context.Context, a audit.Actor, userID int64, name string, expires time.Time) (string, *auth.Token, error) {
	name, err := auth.TokenName(name)
	if err != nil {
		return "", nil, err
	}
	secret := "ks_" + auth.RandomToken(30)
	t := &auth.Token{UserID: userID, Name: name, Prefix: secret[:10], ExpiresAt: expires}
	err = s.inTx(ctx, func(tx q) error {
		ts := now()
		var exp any
		if !expires.IsZero() {
			exp = FormatTime(expires)
		}
		id, err := tx.insertID(ctx, "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
			userID, name, hashToken(secret), t.Prefix, ts, exp)
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		t.ID, t.CreatedAt = id, ParseTime(ts)
		return tx.record(ctx, a, "create", "api_token", id, nil, t)
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// tokenUseInterval is how often the last use of a token is noted. Last use
// is advisory (shown on the tokens page); noting it on every request would
// turn every API read into a write on SQLite's single writer.
const tokenUseInterval = time.Minute

// TokenUser returns the user of a valid API token and notes its use, at most
// once per tokenUseInterval per token. One read serves the check, the user,
// their roles and the last use; only a stale last use costs a write, a single
// guarded UPDATE outside any transaction (the guard keeps instances that race
// on the same token to one write between them).
func (s *Store) TokenUser(ctx context.Context, secret string) (*auth.User, error) {
	h := hashToken(secret)
	t := time.Now()
	ts := FormatTime(t)
	rows, err := s.reader().query(ctx, "SELECT "+userCols+`, COALESCE(t.last_used_at, ''), COALESCE(r.role, '')
		FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN user_roles r ON r.user_id = u.id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.disabled = 0
		ORDER BY r.role`, h, ts)
	if err != nil {
		return nil, fmt.Errorf("load token: %w", err)
	}
	defer rows.Close()
	var u *auth.User
	var lastUsed string
	for rows.Next() {
		var role string
		ru, err := scanUser(rows, &lastUsed, &role)
		if err != nil {
			return nil, fmt.Errorf("load token: %w", err)
		}
		if u == nil {
			u = ru
		}
		if role != "" {
			u.Roles = append(u.Roles, auth.Role(role))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load token: %w", err)
	}
	rows.Close()
	if u == nil {
		return nil, ErrNotFound
	}
	if last := ParseTime(lastUsed); t.Sub(last) >= tokenUseInterval && s.tokenUse.claim(h, t) {
		// Best effort: a failed note must not fail the request, and the
		// claim stands, so a failing database is not asked again by every
		// request; the next note comes after the interval.
		_, _ = s.writer().exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at < ?)",
			ts, h, FormatTime(t.Add(-tokenUseInterval)))
	}
	return u, nil
}

// tokenUses remembers which tokens this instance noted the use of lately, so
// that the requests arriving together when a token's last use goes stale
// send one UPDATE, not one each.
type tokenUses struct {
	mu    sync.Mutex
	noted map[string]time.Time // token hash: when this instance noted its use
}

// claim reports whether the caller should note the use of token hash h at t:
// true unless this instance did so less than tokenUseInterval before.
func (c *tokenUses) claim(h string, t time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if at, ok := c.noted[h]; ok && t.Sub(at) < tokenUseInterval {
		return false
	}
	if c.noted == nil || len(c.noted) >= 4096 {
		// Entries older than the interval no longer suppress anything.
		for k, at := range c.noted {
			if t.Sub(at) >= tokenUseInterval {
				delete(c.noted, k)
			}
		}
		if c.noted == nil || len(c.noted) >= 4096 {
			c.noted = map[string]time.Time{}
		}
	}
	c.noted[h] = t
	return true
}

// Tokens lists a user's tokens, newest first.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]*auth.Token, error) {
	rows, err := s.reader().query(ctx, `SELECT id, user_id, name, prefix, created_at, COALESCE(expires_at, ''),
		COALESCE(last_used_at, ''), COALESCE(revoked_at, '') FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []*auth.Token
	for rows.Next() {
		var t auth.Token
		var c, e, l, rv string
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &c, &e, &l, &rv); err != nil {
			return nil, err
		}
		t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = ParseTime(c), ParseTime(e), ParseTime(l), ParseTime(rv)
		out = append(out, &t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of userID's tokens.
func (s *Store) RevokeToken(ctx context.Context, a audit.Actor, userID, tokenID int64) error {
	return s.inTx(ctx, func(tx q) error {
		res, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL", now(), tokenID, userID)
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("token %d: %w", tokenID, ErrNotFound)
		}
		return tx.record(ctx, a, "revoke", "api_token", tokenID, nil, nil)
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
