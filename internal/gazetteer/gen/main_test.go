package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// The embedded file is what the generator makes of the public data, when
// that data is at hand ($KHIENSO_ADMIN_UNITS, else ../shared/data/admin-units
// beside the repository).
func TestEmbeddedIsFresh(t *testing.T) {
	dir := os.Getenv("KHIENSO_ADMIN_UNITS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "data", "admin-units")
	}
	if _, err := os.Stat(filepath.Join(dir, "2026", "units.json")); err != nil {
		t.Skipf("public data not found in %s (set KHIENSO_ADMIN_UNITS)", dir)
	}
	got, _, err := generate(dir, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "gazetteer.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("internal/gazetteer/gazetteer.json.gz is stale: run go run ./internal/gazetteer/gen")
	}
}
