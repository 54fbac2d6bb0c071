package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"khienso/internal/dates"
	"khienso/internal/indicators"
	"khienso/internal/units"
)

// Indicators read a year's activity totals and every unit's attributes on
// each computation. Reading tens of thousands of rows through database/sql
// costs far more than computing with them, so each instance keeps them in
// memory, tagged with a version the database moves on every change
// (activity_years per year; hierarchy_version for units). One indexed read
// tells whether the copy is current; the database stays the only source of
// truth, so instances behind a balancer never disagree for longer than a
// request.

type totalsCache struct {
	mu    sync.Mutex
	years map[int]versioned[*indicators.Totals]
}

type unitFactsCache struct {
	mu  sync.Mutex
	cur versioned[[]unitFact]
}

type versioned[T any] struct {
	version int64
	value   T
	ok      bool
}

// TotalsOfYears returns the activity totals of the years [from, to], one
// read-only chunk per year.
func (s *Store) TotalsOfYears(ctx context.Context, from, to int) ([]*indicators.Totals, error) {
	out := make([]*indicators.Totals, 0, to-from+1)
	for y := from; y <= to; y++ {
		t, err := s.totalsOfYear(ctx, y)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func (s *Store) totalsOfYear(ctx context.Context, year int) (*indicators.Totals, error) {
	var v int64
	err := s.reader().row(ctx, "SELECT version FROM activity_years WHERE year = ?", year).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("activity year %d version: %w", year, err)
	}
	s.totals.mu.Lock()
	defer s.totals.mu.Unlock() // one loader at a time: a reload is rare and concurrent ones would repeat it
	if c, ok := s.totals.years[year]; ok && c.version == v {
		return c.value, nil
	}
	// The version was read first, so the rows are at least that recent;
	// a change meanwhile moves the version and the next read reloads.
	rows, err := s.reader().query(ctx, `SELECT unit_id, type, channel, audiences, quantity, participants, views, copies, communes
		FROM activity_totals WHERE year = ?`, year)
	if err != nil {
		return nil, fmt.Errorf("read activity totals %d: %w", year, err)
	}
	defer rows.Close()
	t := &indicators.Totals{}
	for rows.Next() {
		var unit int64
		var c indicators.Combo
		var m [5]int64
		if err := rows.Scan(&unit, &c.Type, &c.Channel, &c.Audiences, &m[0], &m[1], &m[2], &m[3], &m[4]); err != nil {
			return nil, err
		}
		t.Add(unit, c, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if s.totals.years == nil {
		s.totals.years = map[int]versioned[*indicators.Totals]{}
	}
	s.totals.years[year] = versioned[*indicators.Totals]{version: v, value: t, ok: true}
	return t, nil
}

type unitFact struct {
	id       int64
	info     indicators.UnitInfo
	from, to string
}

// UnitFacts returns what formulas may ask of every unit; Active is whether
// the unit is in force on day.
func (s *Store) UnitFacts(ctx context.Context, day dates.Date) (map[int64]indicators.UnitInfo, error) {
	var v int64
	if err := s.reader().row(ctx, "SELECT version FROM hierarchy_version WHERE id = 1").Scan(&v); err != nil {
		return nil, fmt.Errorf("read hierarchy version: %w", err)
	}
	list, err := s.loadUnitFacts(ctx, v)
	if err != nil {
		return nil, err
	}
	iso := day.ISO()
	out := make(map[int64]indicators.UnitInfo, len(list))
	for _, f := range list {
		info := f.info
		info.Active = f.from <= iso && (f.to == "" || f.to > iso)
		out[f.id] = info
	}
	return out, nil
}

func (s *Store) loadUnitFacts(ctx context.Context, v int64) ([]unitFact, error) {
	s.unitFacts.mu.Lock()
	defer s.unitFacts.mu.Unlock()
	if c := s.unitFacts.cur; c.ok && c.version == v {
		return c.value, nil
	}
	rows, err := s.reader().query(ctx, `SELECT id, type, school_level, COALESCE(staff_count, 0), COALESCE(pupil_count, 0),
		valid_from, COALESCE(valid_to, '') FROM units`)
	if err != nil {
		return nil, fmt.Errorf("unit facts: %w", err)
	}
	defer rows.Close()
	var list []unitFact
	for rows.Next() {
		var f unitFact
		var typ, level string
		if err := rows.Scan(&f.id, &typ, &level, &f.info.Staff, &f.info.Pupils, &f.from, &f.to); err != nil {
			return nil, err
		}
		f.info.Type, f.info.Level = units.Type(typ), units.SchoolLevel(level)
		list = append(list, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.unitFacts.cur = versioned[[]unitFact]{version: v, value: list, ok: true}
	return list, nil
}
