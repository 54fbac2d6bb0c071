package store_test

import (
	"compress/gzip"
	"context"
	"database/sql"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/settings"
	"khienso/internal/store"
	"khienso/internal/store/internal/upgrade"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// upgradeDir holds a demo database written by each release that added a
// migration, with its manifest (see the README there).
const upgradeDir = "testdata/upgrade"

// rewrittenLater names, per release fixture, the tables whose existing rows
// a later migration changes or drops on purpose, with the reason. Their
// checksum and row count are not compared; checkReads must then check what
// became of the rows. Add an entry only with the migration that does it,
// saying what it does, so that no other change to old data passes unnoticed.
var rewrittenLater = map[string]map[string]string{
	"release-0004": {
		"settings":       "0005 renames the keys and merges province.name into document.place",
		"login_failures": "0008 replaces the per-address failure log with atomic counters (login_throttle)",
	},
}

// TestUpgradeFromReleases opens each release's demo database with today's
// code, migrates it, and checks that every row the release wrote is still
// there with the values it had, and that the store reads it. On PostgreSQL
// the fixture's rows are first copied into a database migrated only as far
// as that release.
func TestUpgradeFromReleases(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(upgradeDir, "release-*.sqlite.gz"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no release fixtures in %s (%v)", upgradeDir, err)
	}
	for _, gz := range files {
		release := strings.TrimSuffix(filepath.Base(gz), ".sqlite.gz")
		t.Run(release, func(t *testing.T) {
			t.Parallel()
			fx := loadFixture(t, release, gz)
			t.Run("sqlite", func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				fresh := storetest.DSN(t, store.SQLite)
				checkSQLiteSchema(t, fresh, fx)
				st := openStore(t, fx.path)
				if _, err := st.Migrate(ctx); err != nil {
					t.Fatalf("migrate %s: %v", release, err)
				}
				db := openRaw(t, "sqlite", fx.path)
				checkRows(t, db, fx)
				checkReads(t, st, fx)
			})
			t.Run("postgres", func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				dsn := storetest.DSN(t, store.Postgres)
				st := openStore(t, dsn)
				if _, err := st.MigrateToForTest(ctx, fx.man.Migration); err != nil {
					t.Fatalf("migrate to %d: %v", fx.man.Migration, err)
				}
				st.Close()
				db := openRaw(t, "pgx", dsn)
				copyToPostgres(t, db, fx)
				// The copy reads back as the fixture did: the checksums do
				// not depend on the engine.
				checkRows(t, db, fx)
				st = openStore(t, dsn)
				if _, err := st.Migrate(ctx); err != nil {
					t.Fatalf("migrate %s: %v", release, err)
				}
				checkRows(t, db, fx)
				checkReads(t, st, fx)
			})
		})
	}
}

// fixture is a release database unpacked for one test, with its rows as the
// release wrote them.
type fixture struct {
	release string
	path    string // the unpacked SQLite file
	man     *upgrade.Manifest
	rows    map[string][]upgrade.Row
	order   []string         // tables, each after those it references
	seq     map[string]int64 // SQLite's AUTOINCREMENT high-water marks
}

// loadFixture unpacks the fixture and checks it against its manifest.
func loadFixture(t *testing.T, release, gz string) *fixture {
	t.Helper()
	ctx := context.Background()
	man, err := upgrade.ReadManifest(filepath.Join(upgradeDir, release+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if man.Release != release || upgrade.ReleaseName(man.Migration) != release {
		t.Fatalf("manifest of %s names release %q, migration %d", release, man.Release, man.Migration)
	}
	fx := &fixture{release: release, path: filepath.Join(t.TempDir(), "khienso.db"), man: man,
		rows: map[string][]upgrade.Row{}, seq: map[string]int64{}}
	unpack(t, gz, fx.path)

	db, err := sql.Open("sqlite", fx.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables, err := upgrade.Describe(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if !sameTables(t, "fixture", tables, man.Tables) {
		t.FailNow()
	}
	var versions []int
	rows, err := db.QueryContext(ctx, "SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	rows.Close()
	want := make([]int, man.Migration)
	for i := range want {
		want[i] = i + 1
	}
	if !slices.Equal(versions, want) {
		t.Fatalf("fixture applied migrations %v, want 1…%d", versions, man.Migration)
	}
	for name, tab := range man.Tables {
		list, err := upgrade.Read(ctx, db, name, tab.Columns, tab.Key)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != tab.Rows || upgrade.Checksum(list) != tab.Checksum {
			t.Fatalf("fixture table %s: %d rows, %s; the manifest says %d rows, %s (fixture and manifest must come from one run of the generator)",
				name, len(list), upgrade.Checksum(list), tab.Rows, tab.Checksum)
		}
		fx.rows[name] = list
	}
	fx.order = referenceOrder(t, db, slices.Sorted(maps.Keys(man.Tables)))
	// sqlite_sequence exists once a table uses AUTOINCREMENT.
	if rows, err := db.QueryContext(ctx, "SELECT name, seq FROM sqlite_sequence"); err == nil {
		for rows.Next() {
			var name string
			var n int64
			if err := rows.Scan(&name, &n); err != nil {
				t.Fatal(err)
			}
			fx.seq[name] = n
		}
		rows.Close()
	}
	return fx
}

func unpack(t *testing.T, gz, dst string) {
	t.Helper()
	in, err := os.Open(gz)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// referenceOrder sorts tables so that each comes after the tables its
// foreign keys reference.
func referenceOrder(t *testing.T, db *sql.DB, tables []string) []string {
	t.Helper()
	refs := map[string][]string{}
	for _, name := range tables {
		rows, err := db.Query(`SELECT "table" FROM pragma_foreign_key_list(?)`, name)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var ref string
			if err := rows.Scan(&ref); err != nil {
				t.Fatal(err)
			}
			if ref != name {
				refs[name] = append(refs[name], ref)
			}
		}
		rows.Close()
	}
	var order []string
	placed := map[string]bool{}
	var place func(name string, depth int)
	place = func(name string, depth int) {
		if placed[name] {
			return
		}
		if depth > len(tables) {
			t.Fatalf("foreign keys form a cycle through %s", name)
		}
		for _, r := range refs[name] {
			place(r, depth+1)
		}
		placed[name] = true
		order = append(order, name)
	}
	for _, name := range tables {
		place(name, 0)
	}
	return order
}

// sameTables reports whether got has the tables, columns and keys of want.
func sameTables(t *testing.T, what string, got, want map[string]upgrade.Table) bool {
	t.Helper()
	ok := true
	for name, w := range want {
		g, found := got[name]
		switch {
		case !found:
			t.Errorf("%s: table %s is missing", what, name)
		case !slices.Equal(g.Columns, w.Columns) || !slices.Equal(g.Key, w.Key):
			t.Errorf("%s: table %s has columns %v key %v, want %v key %v", what, name, g.Columns, g.Key, w.Columns, w.Key)
		default:
			continue
		}
		ok = false
	}
	for name := range got {
		if _, found := want[name]; !found {
			t.Errorf("%s: unexpected table %s", what, name)
			ok = false
		}
	}
	return ok
}

// checkSQLiteSchema checks that today's migrations, stopped at the
// release's, still build the schema the release had: a released migration
// must never be edited, since databases out there already ran it.
func checkSQLiteSchema(t *testing.T, dsn string, fx *fixture) {
	t.Helper()
	ctx := context.Background()
	st := openStore(t, dsn)
	if _, err := st.MigrateToForTest(ctx, fx.man.Migration); err != nil {
		t.Fatal(err)
	}
	tables, err := upgrade.Describe(ctx, openRaw(t, "sqlite", dsn))
	if err != nil {
		t.Fatal(err)
	}
	sameTables(t, "migrations 1…"+fmt.Sprint(fx.man.Migration)+" today", tables, fx.man.Tables)
}

// checkRows checks that every table of the release still holds at least its
// rows, and that the rows the release wrote keep the values of the columns
// it had.
func checkRows(t *testing.T, db *sql.DB, fx *fixture) {
	t.Helper()
	ctx := context.Background()
	for _, name := range fx.order {
		tab := fx.man.Tables[name]
		why, excepted := rewrittenLater[fx.release][name]
		list, err := upgrade.Read(ctx, db, name, tab.Columns, tab.Key)
		if err != nil {
			if excepted {
				t.Logf("%s not compared: %s (%v)", name, why, err)
				continue
			}
			t.Errorf("%v (if a migration drops this on purpose, say so in rewrittenLater)", err)
			continue
		}
		if excepted {
			t.Logf("%s: rows not compared: %s", name, why)
			continue
		}
		if len(list) < tab.Rows {
			t.Errorf("table %s: %d rows, the release had %d", name, len(list), tab.Rows)
		}
		kept := map[string]bool{}
		for _, r := range fx.rows[name] {
			kept[r.Key] = true
		}
		old := slices.DeleteFunc(list, func(r upgrade.Row) bool { return !kept[r.Key] })
		if len(old) != tab.Rows {
			t.Errorf("table %s: %d of the release's %d rows are left", name, len(old), tab.Rows)
			continue
		}
		if sum := upgrade.Checksum(old); sum != tab.Checksum {
			t.Errorf("table %s: the release's rows changed (checksum %s, want %s)%s", name, sum, tab.Checksum, firstChange(old, fx.rows[name], tab.Columns))
		}
	}
}

// firstChange describes the first differing value, to make a failure
// readable.
func firstChange(got, want []upgrade.Row, cols []string) string {
	for i := range min(len(got), len(want)) {
		for j := range cols {
			if fmt.Sprint(got[i].Values[j]) != fmt.Sprint(want[i].Values[j]) {
				return fmt.Sprintf("; first change in row %v, column %s: %q, was %q",
					want[i].Values[0], cols[j], fmt.Sprint(got[i].Values[j]), fmt.Sprint(want[i].Values[j]))
			}
		}
	}
	return ""
}

// copyToPostgres writes the fixture's rows into db, a PostgreSQL schema
// migrated up to the fixture's release, replacing what the migrations
// inserted. User triggers are off during the copy (they would count the
// copy as hierarchy changes); foreign keys are checked, so tables go in
// reference order. Identity sequences then continue after the copied ids,
// as SQLite's would.
func copyToPostgres(t *testing.T, db *sql.DB, fx *fixture) {
	t.Helper()
	ctx := context.Background()
	types := map[string]map[string]string{}
	got := map[string]upgrade.Table{}
	var identity [][2]string
	rows, err := db.QueryContext(ctx, `SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns
		WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table, col, typ, ident string
		if err := rows.Scan(&table, &col, &typ, &ident); err != nil {
			t.Fatal(err)
		}
		if types[table] == nil {
			types[table] = map[string]string{}
		}
		types[table][col] = typ
		g := got[table]
		g.Columns = append(g.Columns, col)
		got[table] = g
		if ident == "YES" {
			identity = append(identity, [2]string{table, col})
		}
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT tc.table_name, k.column_name FROM information_schema.table_constraints tc
		JOIN information_schema.key_column_usage k ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
		WHERE tc.table_schema = current_schema() AND tc.constraint_type = 'PRIMARY KEY' ORDER BY tc.table_name, k.ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		g := got[table]
		g.Key = append(g.Key, col)
		got[table] = g
	}
	rows.Close()
	if !sameTables(t, fmt.Sprintf("PostgreSQL at migration %d", fx.man.Migration), got, fx.man.Tables) {
		t.FailNow()
	}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%.200s: %v", query, err)
		}
	}
	for _, name := range fx.order {
		exec("ALTER TABLE " + upgrade.Quote(name) + " DISABLE TRIGGER USER")
	}
	for _, name := range slices.Backward(fx.order) {
		exec("DELETE FROM " + upgrade.Quote(name))
	}
	for _, name := range fx.order {
		cols := fx.man.Tables[name].Columns
		quoted := make([]string, len(cols))
		for i, c := range cols {
			quoted[i] = upgrade.Quote(c)
		}
		insert := "INSERT INTO " + upgrade.Quote(name) + " (" + strings.Join(quoted, ", ") + ") VALUES "
		list := fx.rows[name]
		per := max(1, min(500, 60000/len(cols)))
		for start := 0; start < len(list); start += per {
			batch := list[start:min(start+per, len(list))]
			var values []string
			var args []any
			for _, r := range batch {
				marks := make([]string, len(cols))
				for j, v := range r.Values {
					args = append(args, pgValue(v, types[name][cols[j]]))
					marks[j] = fmt.Sprintf("$%d", len(args))
				}
				values = append(values, "("+strings.Join(marks, ", ")+")")
			}
			exec(insert+strings.Join(values, ", "), args...)
		}
	}
	for _, name := range fx.order {
		exec("ALTER TABLE " + upgrade.Quote(name) + " ENABLE TRIGGER USER")
	}
	for _, ic := range identity {
		table, col := upgrade.Quote(ic[0]), upgrade.Quote(ic[1])
		exec("SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(COALESCE(MAX("+col+"), 0), $3) + 1, false) FROM "+table,
			table, ic[1], fx.seq[ic[0]])
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// pgValue converts a value read from SQLite for a PostgreSQL column of type
// typ where the drivers' types differ.
func pgValue(v any, typ string) any {
	switch x := v.(type) {
	case string:
		if typ == "bytea" {
			return []byte(x)
		}
	case int64:
		if typ == "double precision" {
			return float64(x)
		}
	}
	return v
}

// checkReads reads the migrated release data through the store, as the
// application does, and writes to it once.
func checkReads(t *testing.T, st *store.Store, fx *fixture) {
	t.Helper()
	ctx := context.Background()
	today := dates.Today()
	col := func(table, name string) int {
		i := slices.Index(fx.man.Tables[table].Columns, name)
		if i < 0 {
			t.Fatalf("the %s fixture has no column %s.%s", fx.release, table, name)
		}
		return i
	}
	n, err := st.UnitCount(ctx)
	if err != nil || n != fx.man.Tables["units"].Rows {
		t.Errorf("units = %d (%v), want %d", n, err, fx.man.Tables["units"].Rows)
	}

	// Plans with their indicators.
	topLevel := 0
	planID, planTitle, planParent := col("plans", "id"), col("plans", "title"), col("plans", "parent_plan_id")
	indicators := map[int64]int{}
	for _, r := range fx.rows["indicators"] {
		indicators[r.Values[col("indicators", "plan_id")].(int64)]++
	}
	for _, r := range fx.rows["plans"] {
		id := r.Values[planID].(int64)
		p, err := st.Plan(ctx, id)
		if err != nil {
			t.Errorf("plan %d: %v", id, err)
			continue
		}
		if p.Title != r.Values[planTitle] {
			t.Errorf("plan %d: title %q, want %q", id, p.Title, r.Values[planTitle])
		}
		inds, err := st.Indicators(ctx, id)
		if err != nil || len(inds) != indicators[id] {
			t.Errorf("plan %d: %d indicators (%v), want %d", id, len(inds), err, indicators[id])
		}
		if r.Values[planParent] == nil {
			topLevel++
		}
	}
	if list, err := st.Plans(ctx, store.PlanFilter{Parent: -1}); err != nil || len(list) != topLevel {
		t.Errorf("top-level plans = %d (%v), want %d", len(list), err, topLevel)
	}

	// Accounts and settings.
	for _, r := range fx.rows["users"] {
		email := r.Values[col("users", "email")].(string)
		u, _, err := st.UserByEmail(ctx, email)
		if err != nil || u.ID != r.Values[col("users", "id")].(int64) {
			t.Errorf("user %s: %+v %v", email, u, err)
		}
	}
	if slices.Contains(fx.man.Tables["settings"].Columns, "scope_id") {
		// Scoped settings (0005 on) read back as their scope's own.
		for _, r := range fx.rows["settings"] {
			scope := r.Values[col("settings", "scope_id")].(int64)
			key, want := r.Values[col("settings", "key")].(string), r.Values[col("settings", "value")].(string)
			if got, err := st.OwnSettings(ctx, scope); err != nil || got[key] != want {
				t.Errorf("setting %d:%s = %q (%v), want %q", scope, key, got[key], err, want)
			}
		}
	} else {
		checkLegacySettings(t, st, fx, col, today)
	}
	if _, total, err := st.AuditLog(ctx, audit.Filter{Limit: 5}); err != nil || total < fx.man.Tables["audit_log"].Rows {
		t.Errorf("audit log: %d entries (%v), want at least %d", total, err, fx.man.Tables["audit_log"].Rows)
	}

	// The hierarchy: the in-memory walk agrees with the recursive query.
	roots, err := st.Roots(ctx, today)
	if err != nil || len(roots) == 0 {
		t.Fatalf("roots: %d (%v)", len(roots), err)
	}
	for _, root := range roots {
		walk, err := st.SubtreeIDs(ctx, root.ID, today)
		if err != nil {
			t.Fatal(err)
		}
		query, err := st.SubtreeIDsSQL(ctx, root.ID, today.ISO())
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(walk)
		slices.Sort(query)
		if !slices.Equal(walk, query) {
			t.Errorf("subtree of %s: walk %d units, query %d", root.Code, len(walk), len(query))
		}
	}

	// Writes continue after the release's ids (a new unit, its audit entry).
	u := &units.Unit{Code: "upgrade-check", Name: "Upgrade check", Type: units.TypeOther, ValidFrom: today}
	if err := st.CreateUnit(ctx, audit.System, u, roots[0].ID); err != nil {
		t.Fatalf("create a unit after the upgrade: %v", err)
	}
	if kids, err := st.Children(ctx, roots[0].ID, today); err != nil || !slices.ContainsFunc(kids, func(k *units.Unit) bool { return k.ID == u.ID }) {
		t.Errorf("the new unit is not under %s (%v)", roots[0].Code, err)
	}
}

func openStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func openRaw(t *testing.T, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// checkLegacySettings checks what migration 0005 made of a release's
// unscoped settings: moved to the deployment scope under the settings page's
// keys, the coordinating agency kept by unit id.
func checkLegacySettings(t *testing.T, st *store.Store, fx *fixture, col func(table, name string) int, today dates.Date) {
	t.Helper()
	ctx := context.Background()
	renamed := map[string]string{"province.name": settings.KeyPlace, "coordinator.name": settings.KeyIssuingBody,
		"document.issuing_body": settings.KeyParentBody, "document.place": settings.KeyPlace}
	got, err := st.Settings(ctx, settings.DeploymentScope)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range fx.rows["settings"] {
		key, want := r.Values[col("settings", "key")].(string), r.Values[col("settings", "value")].(string)
		switch {
		case key == "coordinator.unit_code":
			if u, err := st.UnitByCode(ctx, want, today); err != nil || got[settings.KeyCoordinator] != strconv.FormatInt(u.ID, 10) {
				t.Errorf("coordinating agency = %q (%v), want the id of %s", got[settings.KeyCoordinator], err, want)
			}
		case key == "province.name" && got[settings.KeyPlace] != "":
			// document.place, when set, wins over the province name.
		case renamed[key] != "":
			if got[renamed[key]] != want {
				t.Errorf("setting %s = %q, want %q", renamed[key], got[renamed[key]], want)
			}
		default:
			t.Errorf("setting %s of the fixture is not checked", key)
		}
	}
}
