// Package storetest opens real, migrated, throwaway databases for tests: a
// SQLite file in a temporary folder, and a fresh schema on the PostgreSQL
// server named by KHIENSO_TEST_POSTGRES. Without that server the PostgreSQL
// half skips with a message, except in CI, where it fails.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"khienso/internal/store"
)

// PostgresEnv names the environment variable holding the test server's URL.
const PostgresEnv = "KHIENSO_TEST_POSTGRES"

// EngineList is the engines every storage test runs on.
var EngineList = []store.Engine{store.SQLite, store.Postgres}

// Engines runs fn once per engine as subtests named "sqlite" and "postgres".
func Engines(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, e := range EngineList {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// Open returns a migrated store on engine, removed when the test ends.
func Open(t testing.TB, engine store.Engine) *store.Store {
	t.Helper()
	dsn := DSN(t, engine)
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s store: %v", engine, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s store: %v", engine, err)
	}
	return s
}

// DSN returns a fresh, empty database address on engine: a new SQLite file,
// or a new PostgreSQL schema (dropped at cleanup) selected by search_path.
func DSN(t testing.TB, engine store.Engine) string {
	t.Helper()
	if engine == store.SQLite {
		return filepath.Join(t.TempDir(), "khienso.db")
	}
	base := os.Getenv(PostgresEnv)
	if base == "" {
		SkipOrFail(t, "PostgreSQL tests need a server: set "+PostgresEnv+"=postgres://… (bash .ci/run starts one)")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", PostgresEnv, err)
	}
	defer db.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("PostgreSQL at %s is not usable: %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// SkipOrFail skips the test with why, or fails it when running in CI, where
// every test must run.
func SkipOrFail(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal("CI must run every test, but: " + why)
	}
	t.Skip(why)
}
