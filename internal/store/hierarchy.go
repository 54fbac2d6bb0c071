package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"

	"khienso/internal/dates"
	"khienso/internal/units"
)

// The unit hierarchy is read on every request (access checks) and walked
// whole for roll-ups, which a recursive SQL query does slowly on 15,000
// units. Each instance therefore keeps the links in memory, tagged with the
// database's hierarchy_version; one indexed read per use tells whether
// another instance changed the tree, and only then is it reloaded. The
// database stays the only source of truth.

type link struct {
	child, parent int64
	merged        bool   // merged_into: child's data rolls up under parent from `from` on
	from, to      string // ISO dates; to is exclusive, "" = open
}

func (l link) activeOn(day string) bool {
	return l.from <= day && (l.merged || l.to == "" || l.to > day)
}

type hierarchy struct {
	version int64
	down    map[int64][]link
	up      map[int64][]link
	// unplaced lists, with their validity, the units that are not under a
	// parent on some day of their life: the candidates for roots.
	unplaced []span
	units    []span // every unit
	// committees are the province committees: a unit's province is the
	// nearest of them above it (a unit becoming or ceasing to be one moves
	// the version too, 0006).
	committees map[int64]bool
}

type span struct {
	id       int64
	from, to string
}

// roots lists the units in force on day that sit under no parent then.
func (h *hierarchy) roots(day string) []int64 {
	var out []int64
	for _, u := range h.unplaced {
		if u.from <= day && (u.to == "" || u.to > day) {
			if parent, _ := h.placement(u.id, day); parent == 0 {
				out = append(out, u.id)
			}
		}
	}
	return out
}

type hierarchyCache struct {
	mu  sync.Mutex // serialises reloads
	cur atomic.Pointer[hierarchy]
}

// hierarchyVersion is the subquery reading the database's hierarchy
// version; a query that needs the tree as well as rows can select it beside
// them (see Store.Unit) and hand it to hierarchyAt, saving a statement.
const hierarchyVersion = "(SELECT version FROM hierarchy_version WHERE id = 1)"

// hierarchy returns the in-memory tree, reloading it if the database's
// version moved on.
func (s *Store) hierarchy(ctx context.Context) (*hierarchy, error) {
	var v int64
	if err := s.reader().row(ctx, "SELECT "+hierarchyVersion).Scan(&v); err != nil {
		return nil, fmt.Errorf("read hierarchy version: %w", err)
	}
	return s.hierarchyAt(ctx, v)
}

// hierarchyAt returns the in-memory tree at version v or later, reloading
// it if the cached one is older.
func (s *Store) hierarchyAt(ctx context.Context, v int64) (*hierarchy, error) {
	if h := s.hier.cur.Load(); h != nil && h.version == v {
		return h, nil
	}
	s.hier.mu.Lock()
	defer s.hier.mu.Unlock()
	if h := s.hier.cur.Load(); h != nil && h.version >= v {
		return h, nil
	}
	h, err := s.loadHierarchy(ctx)
	if err != nil {
		return nil, err
	}
	s.hier.cur.Store(h)
	return h, nil
}

// loadHierarchy reads the version and every link in one snapshot.
func (s *Store) loadHierarchy(ctx context.Context) (*hierarchy, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.read.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("load hierarchy: %w", err)
	}
	defer tx.Rollback()
	x := q{s: s, db: tx, pool: s.read, txStmts: map[string]*sql.Stmt{}}
	h := &hierarchy{down: map[int64][]link{}, up: map[int64][]link{}, committees: map[int64]bool{}}
	if err := x.row(ctx, "SELECT version FROM hierarchy_version WHERE id = 1").Scan(&h.version); err != nil {
		return nil, fmt.Errorf("load hierarchy version: %w", err)
	}
	rows, err := x.query(ctx, "SELECT child_id, parent_id, kind, valid_from, COALESCE(valid_to, '') FROM unit_links")
	if err != nil {
		return nil, fmt.Errorf("load hierarchy: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l link
		var kind string
		if err := rows.Scan(&l.child, &l.parent, &kind, &l.from, &l.to); err != nil {
			return nil, err
		}
		l.merged = kind == "merged_into"
		h.down[l.parent] = append(h.down[l.parent], l)
		h.up[l.child] = append(h.up[l.child], l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A unit is a root candidate unless parent placements cover its whole
	// life; units placed from their first day to their last are the rule.
	list, err := x.query(ctx, "SELECT id, valid_from, COALESCE(valid_to, ''), type FROM units")
	if err != nil {
		return nil, fmt.Errorf("load hierarchy units: %w", err)
	}
	defer list.Close()
	for list.Next() {
		var u span
		var typ string
		if err := list.Scan(&u.id, &u.from, &u.to, &typ); err != nil {
			return nil, err
		}
		if !h.coveredByPlacements(u) {
			h.unplaced = append(h.unplaced, u)
		}
		h.units = append(h.units, u)
		if units.Type(typ) == units.TypeProvinceCommittee {
			h.committees[u.id] = true
		}
	}
	return h, list.Err()
}

// coveredByPlacements reports whether parent placements of u run without a
// gap from its first day to its last.
func (h *hierarchy) coveredByPlacements(u span) bool {
	at := u.from
	for {
		next := ""
		for _, l := range h.up[u.id] {
			if !l.merged && l.from <= at && (l.to == "" || l.to > at) {
				next = l.to
				if next == "" {
					return true
				}
			}
		}
		if next == "" {
			return false
		}
		if u.to != "" && next >= u.to {
			return true
		}
		at = next
	}
}

func (h *hierarchy) subtree(root int64, day string) []int64 {
	out := []int64{root}
	seen := map[int64]bool{root: true}
	for i := 0; i < len(out); i++ {
		for _, l := range h.down[out[i]] {
			if !seen[l.child] && l.activeOn(day) {
				seen[l.child] = true
				out = append(out, l.child)
			}
		}
	}
	return out
}

func (h *hierarchy) ancestors(unit int64, day string) []int64 {
	out := []int64{unit}
	seen := map[int64]bool{unit: true}
	for i := 0; i < len(out) && i < 100; i++ {
		for _, l := range h.up[out[i]] {
			if !seen[l.parent] && l.activeOn(day) {
				seen[l.parent] = true
				out = append(out, l.parent)
			}
		}
	}
	return out
}

// province is the nearest ancestor-or-self of unit on day that is a
// province committee, else the root of its tree (the national root, and
// the national bodies under it, belong to no province).
func (h *hierarchy) province(unit int64, day string) int64 {
	anc := h.ancestors(unit, day)
	for _, a := range anc {
		if h.committees[a] {
			return a
		}
	}
	return anc[len(anc)-1]
}

// placement returns the parent of unit on day (0 if none) and how many
// units are placed directly under it.
func (h *hierarchy) placement(unit int64, day string) (parent int64, children int) {
	for _, l := range h.up[unit] {
		if !l.merged && l.activeOn(day) {
			parent = l.parent
		}
	}
	for _, l := range h.down[unit] {
		if !l.merged && l.activeOn(day) {
			children++
		}
	}
	return parent, children
}

// SubtreeIDs returns root and every unit that rolls up under it on day:
// units placed under it then, and units merged by then into any of those.
func (s *Store) SubtreeIDs(ctx context.Context, root int64, day dates.Date) ([]int64, error) {
	h, err := s.hierarchy(ctx)
	if err != nil {
		return nil, err
	}
	return h.subtree(root, day.ISO()), nil
}

// Ancestors returns the chain from unit up to its root on day (unit first),
// following merges to successors.
func (s *Store) Ancestors(ctx context.Context, unit int64, day dates.Date) ([]int64, error) {
	h, err := s.hierarchy(ctx)
	if err != nil {
		return nil, err
	}
	return h.ancestors(unit, day.ISO()), nil
}

// ProvinceOf is the province unit belongs to on day: its nearest
// ancestor-or-self that is a province committee, else the root of its tree
// (so the national root and national-level bodies under it have the
// national root as their province). One walk up the in-memory tree.
func (s *Store) ProvinceOf(ctx context.Context, unit int64, day dates.Date) (int64, error) {
	h, err := s.hierarchy(ctx)
	if err != nil {
		return 0, err
	}
	return h.province(unit, day.ISO()), nil
}

// ProvincesOf is ProvinceOf for many units, with one look at the tree.
func (s *Store) ProvincesOf(ctx context.Context, units []int64, day dates.Date) (map[int64]int64, error) {
	h, err := s.hierarchy(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]int64, len(units))
	for _, u := range units {
		out[u] = h.province(u, day.ISO())
	}
	return out, nil
}

// InSubtree reports whether unit rolls up under root on day (a unit is in
// its own subtree).
func (s *Store) InSubtree(ctx context.Context, root, unit int64, day dates.Date) (bool, error) {
	if root == unit {
		return true, nil
	}
	anc, err := s.Ancestors(ctx, unit, day)
	if err != nil {
		return false, err
	}
	for _, a := range anc {
		if a == root {
			return true, nil
		}
	}
	return false, nil
}
