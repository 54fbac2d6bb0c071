package store

import (
	"context"
	"database/sql"
	"fmt"

	"khienso/internal/dates"
	"khienso/internal/indicators"
	"khienso/internal/units"
)

// What indicator computations read. Reading tens of thousands of rows
// through database/sql costs far more than computing with them, so the
// progress package keeps derived data in each instance's memory and asks
// the database, with one indexed read (DataVersions), what changed since:
// the unit tree (hierarchy_version), each year's activity totals
// (activity_years) and unit attributes (data_versions), each row carrying
// the version of its last change so that a change is followed by reading
// only the changed rows, and accepted report figures and plans
// (data_versions). The database stays the only source of
// truth, so instances behind a balancer never disagree for longer than a
// request.

// YearVersion is the state of one year's activity totals: Version moves on
// every change; a copy older than Base must be reloaded whole (the totals
// were rebuilt).
type YearVersion struct{ Version, Base int64 }

// DataVersions are the versions of everything indicators read.
type DataVersions struct {
	Hierarchy  int64
	Attributes int64 // unit attributes
	Reports    int64 // accepted report figures
	Plans      int64 // plans and their placement under parent plans
	Years      map[int]YearVersion
}

// DataVersions reads, in one statement, the versions of the unit tree, of
// report figures and plans, and of the activity totals of the years
// [from, to] (a year never written is absent: version 0).
func (s *Store) DataVersions(ctx context.Context, from, to int) (DataVersions, error) {
	v := DataVersions{Years: map[int]YearVersion{}}
	rows, err := s.reader().query(ctx, `SELECT 'hierarchy', 0, version, 0 FROM hierarchy_version WHERE id = 1
		UNION ALL SELECT 'year', year, version, base FROM activity_years WHERE year >= ? AND year <= ?
		UNION ALL SELECT name, 0, version, 0 FROM data_versions`, from, to)
	if err != nil {
		return v, fmt.Errorf("read data versions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var year int
		var version, base int64
		if err := rows.Scan(&name, &year, &version, &base); err != nil {
			return v, fmt.Errorf("read data versions: %w", err)
		}
		switch name {
		case "hierarchy":
			v.Hierarchy = version
		case "year":
			v.Years[year] = YearVersion{Version: version, Base: base}
		case "report_values":
			v.Reports = version
		case "plans":
			v.Plans = version
		case "unit_attributes":
			v.Attributes = version
		}
	}
	return v, rows.Err()
}

// TotalsRow is one row of a year's activity totals: a unit's figures for
// one (type, channel, audiences) combination. Records = 0 marks a row
// whose last activity was removed.
type TotalsRow struct {
	Unit    int64
	Combo   indicators.Combo
	Records int64
	Metrics [5]int64 // in activities.Metrics order
}

const totalsCols = "unit_id, type, channel, audiences, records, quantity, participants, views, copies, communes"

// ActivityTotals reads every non-empty row of a year's totals.
func (s *Store) ActivityTotals(ctx context.Context, year int) ([]TotalsRow, error) {
	return s.totalsRows(ctx, "SELECT "+totalsCols+" FROM activity_totals WHERE year = ? AND records > 0", year)
}

// ActivityTotalsChanged reads the rows of a year's totals changed after
// version since (with YearVersion.Base <= since), emptied ones included.
func (s *Store) ActivityTotalsChanged(ctx context.Context, year int, since int64) ([]TotalsRow, error) {
	return s.totalsRows(ctx, "SELECT "+totalsCols+" FROM activity_totals WHERE year = ? AND version > ?", year, since)
}

func (s *Store) totalsRows(ctx context.Context, query string, args ...any) ([]TotalsRow, error) {
	rows, err := s.reader().query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read activity totals of %v: %w", args[0], err)
	}
	defer rows.Close()
	// A year has a few dozen distinct types and channels over 200,000
	// rows: read them as bytes and share one string each.
	names := map[string]string{}
	name := func(b sql.RawBytes) string {
		if v, ok := names[string(b)]; ok {
			return v
		}
		v := string(b)
		names[v] = v
		return v
	}
	var out []TotalsRow
	var typ, channel sql.RawBytes
	for rows.Next() {
		var r TotalsRow
		m := &r.Metrics
		if err := rows.Scan(&r.Unit, &typ, &channel, &r.Combo.Audiences, &r.Records, &m[0], &m[1], &m[2], &m[3], &m[4]); err != nil {
			return nil, fmt.Errorf("read activity totals of %v: %w", args[0], err)
		}
		r.Combo.Type, r.Combo.Channel = name(typ), name(channel)
		out = append(out, r)
	}
	return out, rows.Err()
}

// UnitTree is the unit hierarchy as of one version: read-only and shared.
type UnitTree struct{ h *hierarchy }

// UnitTree returns the tree at version atLeast or later (from a
// DataVersions read), from the instance's cache when it is that recent.
func (s *Store) UnitTree(ctx context.Context, atLeast int64) (*UnitTree, error) {
	h, err := s.hierarchyAt(ctx, atLeast)
	if err != nil {
		return nil, err
	}
	return &UnitTree{h}, nil
}

// Version is the hierarchy version the tree was read at.
func (t *UnitTree) Version() int64 { return t.h.version }

// EachUnit calls fn for every unit, saying whether it is in force on day.
func (t *UnitTree) EachUnit(day dates.Date, fn func(id int64, active bool)) {
	iso := day.ISO()
	for _, u := range t.h.units {
		fn(u.id, u.from <= iso && (u.to == "" || u.to > iso))
	}
}

// EachLink calls fn for every link in force on day through which child's
// data rolls up under parent: placements then, and merges done by then
// (the links SubtreeIDs follows).
func (t *UnitTree) EachLink(day dates.Date, fn func(child, parent int64)) {
	iso := day.ISO()
	for child, links := range t.h.up {
		for _, l := range links {
			if l.activeOn(iso) {
				fn(child, l.parent)
			}
		}
	}
}

// UnitAttrs are what formulas may ask of a unit besides its existence
// (Info.Active is not set).
type UnitAttrs struct {
	ID   int64
	Info indicators.UnitInfo
}

const attrsQuery = "SELECT id, type, school_level, COALESCE(staff_count, 0), COALESCE(pupil_count, 0) FROM units"

// UnitAttributes reads every unit's attributes.
func (s *Store) UnitAttributes(ctx context.Context) ([]UnitAttrs, error) {
	return s.unitAttrs(ctx, attrsQuery)
}

// UnitAttributesChanged reads the attributes of the units created or
// changed after version since of DataVersions.Attributes.
func (s *Store) UnitAttributesChanged(ctx context.Context, since int64) ([]UnitAttrs, error) {
	return s.unitAttrs(ctx, attrsQuery+" WHERE attributes_version > ?", since)
}

func (s *Store) unitAttrs(ctx context.Context, query string, args ...any) ([]UnitAttrs, error) {
	rows, err := s.reader().query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read unit attributes: %w", err)
	}
	defer rows.Close()
	var out []UnitAttrs
	for rows.Next() {
		var u UnitAttrs
		var typ, level string
		if err := rows.Scan(&u.ID, &typ, &level, &u.Info.Staff, &u.Info.Pupils); err != nil {
			return nil, fmt.Errorf("read unit attributes: %w", err)
		}
		u.Info.Type, u.Info.Level = units.Type(typ), units.SchoolLevel(level)
		out = append(out, u)
	}
	return out, rows.Err()
}
