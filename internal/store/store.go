// Package store is the one SQL implementation of Khiên Số's storage. Every
// query is written once, with '?' placeholders, and runs on SQLite (pure Go,
// modernc.org/sqlite) and on PostgreSQL (pgx); the few places where the
// engines differ are named in Dialect.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// Store holds the database handles. SQLite gets one writer connection and a
// pool of readers (WAL lets readers run beside the writer); PostgreSQL uses one
// pool for both.
type Store struct {
	engine Engine
	write  *sql.DB
	read   *sql.DB
	dsn    string

	rebindMu sync.RWMutex
	rebinds  map[string]string

	hier hierarchyCache
	// API tokens whose last use this instance noted lately (users.go).
	tokenUse tokenUses

	// Prepared statements per pool and query text. Parsing SQL is a large
	// share of a small query's cost on SQLite, and these texts repeat.
	stmtMu sync.Mutex
	stmts  map[stmtKey]*sql.Stmt
}

type stmtKey struct {
	db    *sql.DB
	query string
}

// prepared returns the statement for query on db, preparing it once.
func (s *Store) prepared(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	k := stmtKey{db, query}
	s.stmtMu.Lock()
	st, ok := s.stmts[k]
	s.stmtMu.Unlock()
	if ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if old, ok := s.stmts[k]; ok {
		st.Close()
		return old, nil
	}
	s.stmts[k] = st
	return st, nil
}

// Open connects to the database named by dsn: a postgres:// URL or a SQLite
// file path. It does not migrate; call Migrate.
// privateFile makes the database file readable by its owner only: created
// empty with mode 0600 when missing (SQLite takes an empty file as a new
// database, and gives its -wal and -shm files the same mode), tightened to
// 0600 when it exists. Accounts, password hashes and audit trails live there.
func privateFile(path string) error {
	if path == "" || strings.HasPrefix(path, ":memory:") || strings.Contains(path, "mode=memory") {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create database file: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("restrict database file: %w", err)
	}
	return nil
}

func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{dsn: dsn, rebinds: map[string]string{}, stmts: map[stmtKey]*sql.Stmt{}}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s.engine = Postgres
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(10)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.write, s.read = db, db
	} else {
		s.engine = SQLite
		path := strings.TrimPrefix(dsn, "sqlite://")
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
		if err := privateFile(path); err != nil {
			return nil, err
		}
		base := "file:" + url.PathEscape(path) + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
		w, err := sql.Open("sqlite", base+"&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("open sqlite writer: %w", err)
		}
		// One writer: SQLite allows a single writer at a time, and queueing in
		// the pool is cheaper and fairer than spinning on SQLITE_BUSY.
		w.SetMaxOpenConns(1)
		r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("open sqlite readers: %w", err)
		}
		r.SetMaxOpenConns(8)
		// Keep them all open: database/sql keeps only two idle connections
		// by default, so under concurrent reads the others were closed and
		// reopened (pragmas, WAL setup, every prepared statement again) on
		// nearly every query.
		r.SetMaxIdleConns(8)
		s.write, s.read = w, r
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.write.PingContext(pingCtx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to %s database: %w", s.engine, err)
	}
	return s, nil
}

// Engine reports which engine the store runs on.
func (s *Store) Engine() Engine { return s.engine }

// Close releases the connections.
func (s *Store) Close() error {
	s.stmtMu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = map[stmtKey]*sql.Stmt{}
	s.stmtMu.Unlock()
	err := s.write.Close()
	if s.read != s.write {
		if e := s.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Stats returns pool statistics for the writer and reader pools.
func (s *Store) Stats() map[string]sql.DBStats {
	if s.read == s.write {
		return map[string]sql.DBStats{"main": s.write.Stats()}
	}
	return map[string]sql.DBStats{"write": s.write.Stats(), "read": s.read.Stats()}
}

// rebind turns '?' placeholders into '$n' for PostgreSQL. Queries never hold a
// literal '?', so a plain scan is safe; results are cached per query text.
func (s *Store) rebind(q string) string {
	if s.engine != Postgres {
		return q
	}
	s.rebindMu.RLock()
	r, ok := s.rebinds[q]
	s.rebindMu.RUnlock()
	if ok {
		return r
	}
	r = s.rebindOnce(q)
	s.rebindMu.Lock()
	s.rebinds[q] = r
	s.rebindMu.Unlock()
	return r
}

// rebindOnce is rebind without the cache, for texts that do not repeat
// (multi-row inserts, whose text depends on the row count).
func (s *Store) rebindOnce(q string) string {
	if s.engine != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// q runs queries with placeholder rebinding against a pool or a
// transaction, through cached prepared statements.
type q struct {
	s    *Store
	db   querier
	pool *sql.DB // the pool db belongs to (a transaction's statements come from it)
	// txStmts holds statements prepared inside a transaction (nil outside
	// one). Preparing on the pool there would wait for a connection the
	// transaction may hold (SQLite has one writer), so misses are prepared
	// on the transaction and handed to the pool cache after it ends.
	txStmts map[string]*sql.Stmt
}

// stmt returns a prepared statement usable by x. A transaction borrows the
// pool's statement: database/sql reuses it when it was already prepared on
// the transaction's connection (always, for SQLite's single writer).
func (x q) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	query = x.s.rebind(query)
	switch db := x.db.(type) {
	case *sql.DB:
		return x.s.prepared(ctx, db, query)
	case *sql.Tx:
		if st, ok := x.txStmts[query]; ok {
			return st, nil
		}
		x.s.stmtMu.Lock()
		pooled, ok := x.s.stmts[stmtKey{x.pool, query}]
		x.s.stmtMu.Unlock()
		var st *sql.Stmt
		if ok {
			st = db.StmtContext(ctx, pooled)
		} else {
			var err error
			if st, err = db.PrepareContext(ctx, query); err != nil {
				return nil, err
			}
		}
		x.txStmts[query] = st
		return st, nil
	}
	return nil, fmt.Errorf("store: unexpected querier %T", x.db)
}

func (x q) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := x.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// ids runs a query of one id column and returns the ids in its order.
func (x q) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := x.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func (x q) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := x.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// execMany and queryMany run a statement of many rows (rows > 1) unprepared,
// so that texts which depend on the row count do not fill the statement
// cache; with one row they are exec and query.
func (x q) execMany(ctx context.Context, rows int, query string, args ...any) (sql.Result, error) {
	if rows == 1 {
		return x.exec(ctx, query, args...)
	}
	return x.db.ExecContext(ctx, x.s.rebindOnce(query), args...)
}

func (x q) queryMany(ctx context.Context, rows int, query string, args ...any) (*sql.Rows, error) {
	if rows == 1 {
		return x.query(ctx, query, args...)
	}
	return x.db.QueryContext(ctx, x.s.rebindOnce(query), args...)
}

func (x q) row(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := x.stmt(ctx, query)
	if err != nil {
		// Let Scan report the preparation error, as QueryRowContext would.
		return x.db.QueryRowContext(ctx, x.s.rebind(query), args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// insertID runs an INSERT … RETURNING id and returns the new id.
func (x q) insertID(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := x.row(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// reader returns the read pool.
func (s *Store) reader() q { return q{s: s, db: s.read, pool: s.read} }

// writer runs single statements on the write pool outside a transaction
// (each commits by itself); use inTx for anything that must stay together.
func (s *Store) writer() q { return q{s: s, db: s.write, pool: s.write} }

// inTx runs fn in one write transaction; any error rolls everything back, so a
// failed request or import leaves nothing half-written.
func (s *Store) inTx(ctx context.Context, fn func(tx q) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	x := q{s: s, db: tx, pool: s.write, txStmts: map[string]*sql.Stmt{}}
	if err := fn(x); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	s.warmStatements(ctx, x)
	return nil
}

// Tx is a write transaction spanning several changes (an import, the demo
// province); the Store's write methods are each one Tx.
type Tx struct{ q }

// Tx runs fn in one write transaction, committed only if fn succeeds.
func (s *Store) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	return s.inTx(ctx, func(x q) error { return fn(&Tx{x}) })
}

// warmStatements prepares on the pool the statements a finished
// transaction had to prepare for itself, so later transactions reuse them.
func (s *Store) warmStatements(ctx context.Context, x q) {
	for query := range x.txStmts {
		s.stmtMu.Lock()
		_, ok := s.stmts[stmtKey{x.pool, query}]
		s.stmtMu.Unlock()
		if !ok {
			_, _ = s.prepared(ctx, x.pool, query)
		}
	}
}

// isUniqueViolation tells whether err is a uniqueness failure on either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	m := err.Error()
	return strings.Contains(m, "UNIQUE constraint failed") || strings.Contains(m, "SQLSTATE 23505")
}

// now is the storage timestamp format: UTC RFC 3339 with milliseconds, which
// sorts as text on both engines.
func now() string { return FormatTime(time.Now()) }

// FormatTime renders t in the storage timestamp format.
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// ParseTime reads a storage timestamp; an empty string gives the zero time.
func ParseTime(v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	if t, ok := parseStorageTime(v); ok {
		return t
	}
	t, err := time.Parse("2006-01-02T15:04:05.000Z", v)
	if err != nil {
		return time.Time{}
	}
	return t
}

// parseStorageTime reads the exact form FormatTime writes without going
// through time.Parse, which is a measurable share of reading a user (four
// timestamps) on every API request. Anything else, or a field out of range,
// reports false and is left to time.Parse.
func parseStorageTime(v string) (time.Time, bool) {
	if len(v) != 24 || v[4] != '-' || v[7] != '-' || v[10] != 'T' || v[13] != ':' || v[16] != ':' || v[19] != '.' || v[23] != 'Z' {
		return time.Time{}, false
	}
	num := func(s string) int {
		n := 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, mo, d := num(v[0:4]), num(v[5:7]), num(v[8:10])
	h, mi, sec, ms := num(v[11:13]), num(v[14:16]), num(v[17:19]), num(v[20:23])
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms < 0 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ms*int(time.Millisecond), time.UTC)
	if t.Day() != d { // 31/02 would roll into March; time.Parse rejects it
		return time.Time{}, false
	}
	return t, true
}

// Analyze refreshes the query planner's statistics (after bulk loads).
func (s *Store) Analyze(ctx context.Context) error {
	_, err := s.write.ExecContext(ctx, "ANALYZE")
	return err
}

// placeholders returns "?, ?, …" for n arguments.
func placeholders(n int) string {
	if n == 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
