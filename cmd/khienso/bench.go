package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"khienso/internal/benchgen"
	"khienso/internal/progress"
)

// benchCmd generates benchmark data: `khienso bench gen`.
func benchCmd(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "gen" {
		return fmt.Errorf("usage: khienso bench gen --db DSN [--units N] [--activities N] [--from YEAR] [--to YEAR]")
	}
	fs := flag.NewFlagSet("bench gen", flag.ContinueOnError)
	dsn := fs.String("db", "", "empty database to fill: SQLite file path or postgres:// URL (required)")
	nUnits := fs.Int("units", 10_000, "approximate number of units")
	nActs := fs.Int("activities", 5_000_000, "number of activity rows")
	from := fs.Int("from", 2021, "first year of activities")
	to := fs.Int("to", 2025, "last year of activities")
	seed := fs.Uint64("seed", 1, "random seed (same seed, same data)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *dsn == "" {
		return fmt.Errorf("--db is required (use a new file or an empty PostgreSQL database)")
	}
	if *to < *from || *nUnits < 100 || *nActs < 0 {
		return fmt.Errorf("need --to >= --from, --units >= 100 and --activities >= 0")
	}
	st, err := openMigrated(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if n, err := st.UnitCount(ctx); err != nil {
		return err
	} else if n > 0 {
		return fmt.Errorf("the database already has %d units; bench gen fills an empty database", n)
	}
	if err := progress.InstallDefaults(ctx, st); err != nil {
		return err
	}
	start := time.Now()
	root, _, err := benchgen.Province(ctx, st, *nUnits)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "units generated in %s\n", time.Since(start).Round(time.Millisecond))
	for _, code := range []string{"1907", "21", "964"} {
		if _, err := benchgen.Plan(ctx, st, root, code, *from, *to); err != nil {
			return err
		}
	}
	start = time.Now()
	err = benchgen.Activities(ctx, st, *nActs, *from, *to, *seed, func(done int) {
		fmt.Fprintf(stdout, "\ractivities: %d / %d", done, *nActs)
	})
	fmt.Fprintln(stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "activities and totals generated in %s\n", time.Since(start).Round(time.Millisecond))
	return st.Analyze(ctx)
}
