package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"khienso/internal/store"
)

// The SQLite database, its WAL and a backup are readable by their owner
// only: they hold accounts, password hashes and the audit trail.
func TestDatabaseFilesPrivate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := filepath.Join(dir, "old.db")
	if err := os.WriteFile(old, nil, 0o644); err != nil { // made by an earlier version
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(dir, "new.db"), old} {
		st, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		backup := path + ".backup"
		if err := st.Backup(ctx, backup); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{path, path + "-wal", backup} {
			info, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if mode := info.Mode().Perm(); mode != 0o600 {
				t.Errorf("%s: mode %o, want 600", filepath.Base(f), mode)
			}
		}
		if err := st.Backup(ctx, backup); err == nil {
			t.Error("a backup over an existing file should be refused")
		}
		st.Close()
	}
}
