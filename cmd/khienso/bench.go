package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"khienso/internal/benchgen"
	"khienso/internal/progress"
	"khienso/internal/store"
)

const benchUsage = "usage: khienso bench gen --db DSN [--country [--largest N]] [--units N] [--activities N] [--from YEAR] [--to YEAR] [--seed N]"

// benchCmd generates benchmark data: `khienso bench gen`.
func benchCmd(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "gen" {
		return fmt.Errorf(benchUsage)
	}
	fs := flag.NewFlagSet("bench gen", flag.ContinueOnError)
	dsn := fs.String("db", "", "empty database to fill: SQLite file path or postgres:// URL (required)")
	country := fs.Bool("country", false, "a national root with the 34 provinces and cities instead of one province")
	nUnits := fs.Int("units", 0, "approximate number of units (default 10,000; 60,000 with --country)")
	largest := fs.Int("largest", 10_000, "with --country: units of the largest province (Thành phố Hồ Chí Minh)")
	nActs := fs.Int("activities", -1, "number of activity rows (default 5,000,000; 10,000,000 with --country)")
	from := fs.Int("from", 2021, "first year of activities")
	to := fs.Int("to", 2025, "last year of activities")
	seed := fs.Uint64("seed", 1, "random seed (same seed, same data)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *nUnits == 0 {
		*nUnits = map[bool]int{false: 10_000, true: 60_000}[*country]
	}
	if *nActs < 0 {
		*nActs = map[bool]int{false: 5_000_000, true: 10_000_000}[*country]
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
	if *country {
		err = genCountry(ctx, st, *nUnits, *largest, *from, *to, stdout)
	} else {
		err = genProvince(ctx, st, *nUnits, *from, *to)
	}
	if err != nil {
		return err
	}
	n, err := st.UnitCount(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d units and their plans generated in %s\n", n, time.Since(start).Round(time.Millisecond))
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

// programmes are the shipped programmes each generated plan follows.
var programmes = []string{"1907", "21", "964"}

func genProvince(ctx context.Context, st *store.Store, n, from, to int) error {
	root, _, err := benchgen.Province(ctx, st, n)
	if err != nil {
		return err
	}
	for _, code := range programmes {
		if _, err := benchgen.Plan(ctx, st, root, 0, code, from, to); err != nil {
			return err
		}
	}
	return nil
}

// genCountry makes the national plans and, under each, every province's
// plan implementing it.
func genCountry(ctx context.Context, st *store.Store, n, largest, from, to int, stdout io.Writer) error {
	c, err := benchgen.GenerateCountry(ctx, st, n, largest, func(done int) {
		fmt.Fprintf(stdout, "\rprovinces: %d / 34", done)
	})
	fmt.Fprintln(stdout)
	if err != nil {
		return err
	}
	for _, code := range programmes {
		national, err := benchgen.Plan(ctx, st, c.Root, 0, code, from, to)
		if err != nil {
			return err
		}
		for _, p := range c.Provinces {
			if _, err := benchgen.Plan(ctx, st, p, national.ID, code, from, to); err != nil {
				return err
			}
		}
	}
	return nil
}
