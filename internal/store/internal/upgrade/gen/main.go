// Command gen writes this release's upgrade fixture: the demo database as
// `khienso serve --demo` leaves it on first start, compacted into one file
// and gzipped, with its manifest (see package upgrade). Run it from the
// repository root at each release that adds a migration:
//
//	go run ./internal/store/internal/upgrade/gen [-dir internal/store/testdata/upgrade] [-force]
//
// The fixture is named after the newest migration (release-0004.sqlite.gz
// and release-0004.json). An existing fixture is kept unless -force is given:
// it is the record of what that release wrote, and later code must not
// quietly replace it.
package main

import (
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"khienso/internal/dates"
	"khienso/internal/demo"
	"khienso/internal/progress"
	"khienso/internal/reminders"
	"khienso/internal/store"
	"khienso/internal/store/internal/upgrade"
)

func main() {
	dir := flag.String("dir", filepath.Join("internal", "store", "testdata", "upgrade"), "fixture folder")
	force := flag.Bool("force", false, "replace an existing fixture of this release")
	flag.Parse()
	if err := run(context.Background(), *dir, *force); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir string, force bool) error {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("fixture folder %s not found (run from the repository root, or pass -dir)", dir)
	}
	tmp, err := os.MkdirTemp("", "khienso-fixture-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	live := filepath.Join(tmp, "khienso.db")
	if err := serveDemo(ctx, live); err != nil {
		return err
	}

	// One file without WAL or free pages: VACUUM INTO writes a compact copy.
	compact := filepath.Join(tmp, "fixture.db")
	db, err := sql.Open("sqlite", live)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", compact); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	db.Close()
	fdb, err := sql.Open("sqlite", compact)
	if err != nil {
		return err
	}
	defer fdb.Close()
	m, err := upgrade.Build(ctx, fdb)
	if err != nil {
		return err
	}
	fdb.Close()
	m.Generated = dates.Today().String()

	gzPath := filepath.Join(dir, m.Release+".sqlite.gz")
	jsonPath := filepath.Join(dir, m.Release+".json")
	if !force {
		for _, p := range []string{gzPath, jsonPath} {
			if _, err := os.Stat(p); err == nil {
				return fmt.Errorf("%s exists: a release that adds no migration needs no new fixture (-force replaces it)", p)
			}
		}
	}
	if err := gzipFile(compact, gzPath); err != nil {
		return err
	}
	if err := m.Write(jsonPath); err != nil {
		return err
	}
	fi, err := os.Stat(gzPath)
	if err != nil {
		return err
	}
	rows := 0
	for _, t := range m.Tables {
		rows += t.Rows
	}
	fmt.Printf("wrote %s (%d KiB, %d tables, %d rows) and %s\n", gzPath, fi.Size()/1024, len(m.Tables), rows, jsonPath)
	if fi.Size() > 3<<20 {
		fmt.Println("warning: the fixture is over 3 MiB compressed; consider whether the demo grew on purpose")
	}
	return nil
}

// serveDemo writes to path what `khienso serve --demo` writes on first start
// (cmd/khienso/serve.go; keep the two in step): the migrations, the built-in
// programmes and report template, the demo province, then the first
// maintenance pass (expired sessions purged, today's reminders scheduled,
// no mailer configured).
func serveDemo(ctx context.Context, path string) error {
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	if err := progress.InstallDefaults(ctx, st); err != nil {
		return err
	}
	if _, err := demo.Install(ctx, st, nil); err != nil {
		return fmt.Errorf("load demo province: %w", err)
	}
	if err := st.PurgeExpired(ctx); err != nil {
		return err
	}
	r := &reminders.Runner{Store: st, Instance: fmt.Sprintf("fixture-%d", time.Now().UnixNano())}
	if _, err := r.Pass(ctx, dates.Today()); err != nil {
		return err
	}
	return nil
}

func gzipFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	zw, err := gzip.NewWriterLevel(out, gzip.BestCompression)
	if err != nil {
		return err
	}
	zw.Name = filepath.Base(dst[:len(dst)-len(".gz")])
	if _, err := io.Copy(zw, in); err != nil {
		return errors.Join(err, zw.Close())
	}
	return zw.Close()
}
