// Package upgrade describes the release fixtures in
// internal/store/testdata/upgrade: a demo database written by a release, and
// a manifest of what it holds (per table: row count, primary key, columns and
// a checksum of the content). The generator (./gen) writes both; the upgrade
// test reads them back after migrating with today's code.
//
// A checksum covers the named columns of every row in primary-key order and
// does not depend on the engine: numbers are written in decimal whether the
// driver returns an integer or a float (5 and 5.0 are the same), text and
// binary values alike as their bytes, and keys are ordered in Go (numbers by
// value, text by bytes) rather than by a collation. So the same rows give the
// same checksum read from SQLite or from PostgreSQL, and columns that later
// migrations add do not change it.
package upgrade

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Manifest is what a release fixture holds, written beside it as
// release-NNNN.json.
type Manifest struct {
	Release   string           `json:"release"`   // "release-0004": named after Migration
	Migration int              `json:"migration"` // the newest migration the release applied
	Generated string           `json:"generated"` // day the demo was installed (its content depends on it)
	Tables    map[string]Table `json:"tables"`
}

// Table is one table of a release fixture.
type Table struct {
	Rows     int      `json:"rows"`
	Checksum string   `json:"checksum"`
	Key      []string `json:"key"`     // primary key columns, in key order
	Columns  []string `json:"columns"` // the columns the release had, in declaration order
}

// ReleaseName is the fixture name of the release whose newest migration is
// version.
func ReleaseName(version int) string { return fmt.Sprintf("release-%04d", version) }

// ReadManifest loads a manifest file.
func ReadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}

// Write saves the manifest as indented JSON (tables sorted by name).
func (m *Manifest) Write(path string) error {
	b, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// Build describes the SQLite database db as a release fixture.
func Build(ctx context.Context, db *sql.DB) (*Manifest, error) {
	m := &Manifest{}
	if err := db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&m.Migration); err != nil {
		return nil, fmt.Errorf("newest migration: %w", err)
	}
	m.Release = ReleaseName(m.Migration)
	tables, err := Describe(ctx, db)
	if err != nil {
		return nil, err
	}
	for name, t := range tables {
		rows, err := Read(ctx, db, name, t.Columns, t.Key)
		if err != nil {
			return nil, err
		}
		t.Rows, t.Checksum = len(rows), Checksum(rows)
		tables[name] = t
	}
	m.Tables = tables
	return m, nil
}

// Describe lists the tables of the SQLite database db (SQLite's own
// sqlite_* tables left out) with their columns and primary keys; Rows and
// Checksum are left empty.
func Describe(ctx context.Context, db *sql.DB) (map[string]Table, error) {
	names, err := queryStrings(ctx, db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	out := map[string]Table{}
	for _, name := range names {
		rows, err := db.QueryContext(ctx, "SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", name)
		if err != nil {
			return nil, fmt.Errorf("columns of %s: %w", name, err)
		}
		var t Table
		pk := map[int]string{}
		for rows.Next() {
			var col string
			var pos int
			if err := rows.Scan(&col, &pos); err != nil {
				rows.Close()
				return nil, err
			}
			t.Columns = append(t.Columns, col)
			if pos > 0 {
				pk[pos] = col
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for i := 1; i <= len(pk); i++ {
			t.Key = append(t.Key, pk[i])
		}
		if len(t.Key) == 0 {
			// Rows without a key cannot be matched up after a migration.
			return nil, fmt.Errorf("table %s has no primary key: give it one (or teach package upgrade to match rows without)", name)
		}
		out[name] = t
	}
	return out, nil
}

func queryStrings(ctx context.Context, db *sql.DB, query string) ([]string, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Querier is what *sql.DB and *sql.Tx offer for reading.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Row is one table row read by Read.
type Row struct {
	// Key identifies the row: the encoding of its primary key values.
	Key string
	// Values are the requested columns: nil, int64, float64, string or
	// []byte, as the driver gave them.
	Values []any

	key []any  // primary key values, for ordering
	enc []byte // encoding of Values, for the checksum
}

// Read returns the columns cols of every row of table, in primary-key order;
// key names the primary key columns and must be among cols.
func Read(ctx context.Context, db Querier, table string, cols, key []string) ([]Row, error) {
	keyAt := make([]int, len(key))
	for i, k := range key {
		if keyAt[i] = slices.Index(cols, k); keyAt[i] < 0 {
			return nil, fmt.Errorf("%s: key column %s is not among the columns read", table, k)
		}
	}
	// Qualified, so that SQLite reports a missing column instead of reading
	// "name" as a string literal.
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = Quote(table) + "." + Quote(c)
	}
	rows, err := db.QueryContext(ctx, "SELECT "+strings.Join(quoted, ", ")+" FROM "+Quote(table))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("read %s: %w", table, err)
		}
		r := Row{Values: vals, key: make([]any, len(key))}
		var kenc []byte
		for i, v := range vals {
			if vals[i], err = normalize(v); err != nil {
				return nil, fmt.Errorf("%s.%s: %w", table, cols[i], err)
			}
			r.enc = appendValue(r.enc, vals[i])
		}
		for i, at := range keyAt {
			r.key[i] = vals[at]
			kenc = appendValue(kenc, vals[at])
		}
		r.Key = string(kenc)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	slices.SortFunc(out, func(a, b Row) int {
		for i := range a.key {
			if c := compare(a.key[i], b.key[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	return out, nil
}

// Checksum is the SHA-256 of the rows' values in the order given.
func Checksum(rows []Row) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, r := range rows {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(r.enc)))])
		h.Write(r.enc)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Quote quotes an SQL identifier for both engines.
func Quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func normalize(v any) (any, error) {
	switch x := v.(type) {
	case nil, int64, float64, string, []byte:
		return x, nil
	case int32:
		return int64(x), nil
	case int:
		return int64(x), nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	}
	return nil, fmt.Errorf("unexpected value type %T", v)
}

// appendValue appends a self-delimiting encoding of v: a tag, then the
// length and bytes of its text.
func appendValue(b []byte, v any) []byte {
	var tag byte
	var text []byte
	switch x := v.(type) {
	case nil:
		return append(b, 'N')
	case int64:
		tag, text = 'n', strconv.AppendInt(nil, x, 10)
	case float64:
		tag = 'n'
		if x == math.Trunc(x) && math.Abs(x) <= 1<<53 {
			text = strconv.AppendInt(nil, int64(x), 10)
		} else {
			text = strconv.AppendFloat(nil, x, 'g', -1, 64)
		}
	case string:
		tag, text = 's', []byte(x)
	case []byte:
		tag, text = 's', x
	}
	b = append(b, tag)
	b = binary.AppendUvarint(b, uint64(len(text)))
	return append(b, text...)
}

// compare orders key values as SQLite does across types (NULL, numbers,
// text) and within them by value or by bytes.
func compare(a, b any) int {
	rank := func(v any) int {
		switch v.(type) {
		case nil:
			return 0
		case int64, float64:
			return 1
		}
		return 2
	}
	if c := cmp.Compare(rank(a), rank(b)); c != 0 {
		return c
	}
	switch x := a.(type) {
	case nil:
		return 0
	case int64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
		return cmp.Compare(float64(x), toFloat(b))
	case float64:
		return cmp.Compare(x, toFloat(b))
	}
	return bytes.Compare(toBytes(a), toBytes(b))
}

func toFloat(v any) float64 {
	if i, ok := v.(int64); ok {
		return float64(i)
	}
	return v.(float64)
}

func toBytes(v any) []byte {
	if s, ok := v.(string); ok {
		return []byte(s)
	}
	return v.([]byte)
}
