package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/textnorm"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// activeLink is the condition for a link in force on a day (bound twice).
const activeLink = "l.valid_from <= ? AND (l.valid_to IS NULL OR l.valid_to > ?)"

// unitCols selects a unit with its parent and child count on a day; the day
// is bound four times before any other argument.
const unitCols = `u.id, u.code, u.name, u.short_name, u.type, u.school_level, u.head_name,
	u.focal_name, u.focal_phone, u.focal_email, u.staff_count, u.pupil_count, u.headcount_year,
	u.valid_from, COALESCE(u.valid_to, ''), u.created_at, u.updated_at,
	COALESCE((SELECT l.parent_id FROM unit_links l WHERE l.child_id = u.id AND l.kind = 'parent' AND ` + activeLink + `), 0),
	(SELECT COUNT(*) FROM unit_links l WHERE l.parent_id = u.id AND l.kind = 'parent' AND ` + activeLink + `)`

// unitBaseCols scans like unitCols but leaves parent and child count to be
// filled from the hierarchy cache (placeAll), which is much cheaper than two
// correlated subqueries per row when listing many units.
const unitBaseCols = `u.id, u.code, u.name, u.short_name, u.type, u.school_level, u.head_name,
	u.focal_name, u.focal_phone, u.focal_email, u.staff_count, u.pupil_count, u.headcount_year,
	u.valid_from, COALESCE(u.valid_to, ''), u.created_at, u.updated_at, 0, 0`

// placeAll fills ParentID and ChildCount of committed units as on day.
func (s *Store) placeAll(ctx context.Context, list []*units.Unit, day dates.Date) ([]*units.Unit, error) {
	h, err := s.hierarchy(ctx)
	if err != nil {
		return nil, err
	}
	iso := day.ISO()
	for _, u := range list {
		u.ParentID, u.ChildCount = h.placement(u.ID, iso)
	}
	return list, nil
}

func dayArgs(d dates.Date, extra ...any) []any {
	iso := d.ISO()
	return append([]any{iso, iso, iso, iso}, extra...)
}

type rowScanner interface{ Scan(dest ...any) error }

// scanUnit reads the columns of unitCols or unitBaseCols, then any extra
// columns into extra.
func scanUnit(r rowScanner, extra ...any) (*units.Unit, error) {
	var u units.Unit
	var staff, pupils, year sql.NullInt64
	var from, to, created, updated string
	err := r.Scan(append([]any{&u.ID, &u.Code, &u.Name, &u.ShortName, &u.Type, &u.SchoolLevel, &u.HeadName,
		&u.Focal.Name, &u.Focal.Phone, &u.Focal.Email, &staff, &pupils, &year,
		&from, &to, &created, &updated, &u.ParentID, &u.ChildCount}, extra...)...)
	if err != nil {
		return nil, err
	}
	if staff.Valid {
		n := int(staff.Int64)
		u.StaffCount = &n
	}
	if pupils.Valid {
		n := int(pupils.Int64)
		u.PupilCount = &n
	}
	u.HeadcountYear = int(year.Int64)
	u.ValidFrom, _ = dates.Parse(from)
	u.ValidTo, _ = dates.Parse(to)
	u.CreatedAt, u.UpdatedAt = ParseTime(created), ParseTime(updated)
	return &u, nil
}

func collectUnits(rows *sql.Rows, err error) ([]*units.Unit, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*units.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func nullZero(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullDate(d dates.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.ISO()
}

func searchKey(u *units.Unit) string {
	return textnorm.Fold(u.Code + " " + u.Name + " " + u.ShortName)
}

// Unit reads one unit, placed as it stood on day.
func (s *Store) Unit(ctx context.Context, id int64, day dates.Date) (*units.Unit, error) {
	u, _, err := s.placedUnit(ctx, id, day)
	return u, err
}

// UnitWithAncestors reads one unit placed on day and its chain of
// ancestors on day (as Ancestors, the unit first), from one read.
func (s *Store) UnitWithAncestors(ctx context.Context, id int64, day dates.Date) (*units.Unit, []int64, error) {
	u, h, err := s.placedUnit(ctx, id, day)
	if err != nil {
		return nil, nil, err
	}
	return u, h.ancestors(id, day.ISO()), nil
}

// placedUnit reads the committed unit id and places it on day from the
// hierarchy cache, which it also returns. The row and the hierarchy
// version come from one statement, so this costs a single read where the
// correlated subqueries of unitCols (one row per child to count) and the
// separate version read used to cost more than the rest of a request.
func (s *Store) placedUnit(ctx context.Context, id int64, day dates.Date) (*units.Unit, *hierarchy, error) {
	var v int64
	u, err := scanUnit(s.reader().row(ctx, "SELECT "+unitBaseCols+", "+hierarchyVersion+" FROM units u WHERE u.id = ?", id), &v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("unit %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load unit %d: %w", id, err)
	}
	h, err := s.hierarchyAt(ctx, v)
	if err != nil {
		return nil, nil, err
	}
	u.ParentID, u.ChildCount = h.placement(u.ID, day.ISO())
	return u, h, nil
}

func (x q) unit(ctx context.Context, id int64, day dates.Date) (*units.Unit, error) {
	u, err := scanUnit(x.row(ctx, "SELECT "+unitCols+" FROM units u WHERE u.id = ?", dayArgs(day, id)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("unit %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load unit %d: %w", id, err)
	}
	return u, nil
}

// UnitByCode reads one unit by its code, placed as it stood on day.
func (s *Store) UnitByCode(ctx context.Context, code string, day dates.Date) (*units.Unit, error) {
	return s.reader().unitByCode(ctx, code, day)
}

// UnitByCode is Store.UnitByCode inside a transaction, seeing its
// uncommitted units.
func (tx *Tx) UnitByCode(ctx context.Context, code string, day dates.Date) (*units.Unit, error) {
	return tx.unitByCode(ctx, code, day)
}

func (x q) unitByCode(ctx context.Context, code string, day dates.Date) (*units.Unit, error) {
	u, err := scanUnit(x.row(ctx, "SELECT "+unitCols+" FROM units u WHERE u.code = ?", dayArgs(day, code)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("unit %q: %w", code, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load unit %q: %w", code, err)
	}
	return u, nil
}

// Roots lists the units in force on day that sit under no other unit.
func (s *Store) Roots(ctx context.Context, day dates.Date) ([]*units.Unit, error) {
	h, err := s.hierarchy(ctx)
	if err != nil {
		return nil, err
	}
	ids := h.roots(day.ISO())
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	list, err := collectUnits(s.reader().query(ctx, "SELECT "+unitBaseCols+" FROM units u WHERE u.id IN ("+
		placeholders(len(ids))+") ORDER BY u.sort_key, u.id", args...))
	if err != nil {
		return nil, fmt.Errorf("list root units: %w", err)
	}
	return s.placeAll(ctx, list, day)
}

// Children lists the units directly under parent on day, by type (in the
// domain's order) then name.
func (s *Store) Children(ctx context.Context, parent int64, day dates.Date) ([]*units.Unit, error) {
	iso := day.ISO()
	list, err := collectUnits(s.reader().query(ctx, "SELECT "+unitBaseCols+` FROM units u
		JOIN unit_links c ON c.child_id = u.id AND c.kind = 'parent' AND c.parent_id = ?
		AND c.valid_from <= ? AND (c.valid_to IS NULL OR c.valid_to > ?)
		ORDER BY `+typeRank+`, u.sort_key, u.id`, parent, iso, iso))
	if err != nil {
		return nil, fmt.Errorf("list children of %d: %w", parent, err)
	}
	return s.placeAll(ctx, list, day)
}

// subtreeCTE walks down from a root (bound first) through placements in force
// on a day and through merges done by that day (the day bound three times),
// so a former unit's data rolls up under its successor.
const subtreeCTE = `WITH RECURSIVE sub(id) AS (
	SELECT CAST(? AS BIGINT)
	UNION
	SELECT l.child_id FROM unit_links l JOIN sub ON l.parent_id = sub.id
	WHERE l.valid_from <= ? AND (l.kind = 'merged_into' OR l.valid_to IS NULL OR l.valid_to > ?)
)`

// ancestors is Ancestors inside a transaction, where uncommitted changes
// must be seen (the cache holds committed state only).
func (x q) ancestors(ctx context.Context, unit int64, day dates.Date) ([]int64, error) {
	iso := day.ISO()
	ids, err := x.ids(ctx, `WITH RECURSIVE up(id, depth) AS (
		SELECT CAST(? AS BIGINT), 0
		UNION
		SELECT l.parent_id, up.depth + 1 FROM unit_links l JOIN up ON l.child_id = up.id
		WHERE up.depth < 100 AND l.valid_from <= ? AND (l.kind = 'merged_into' OR l.valid_to IS NULL OR l.valid_to > ?)
	) SELECT id FROM up ORDER BY depth`, unit, iso, iso)
	if err != nil {
		return nil, fmt.Errorf("ancestors of %d: %w", unit, err)
	}
	return ids, nil
}

// UnitFilter narrows a unit search.
type UnitFilter struct {
	Query         string // matched ignoring case and diacritics, word by word
	Type          units.Type
	NotTypes      []units.Type // types left out
	Within        int64        // only units that roll up under this one on Day (0: all)
	Day           dates.Date
	IncludeClosed bool // also units no longer in force on Day
	Limit, Offset int
}

// SearchUnits lists units matching f, best matches first, with the total.
func (s *Store) SearchUnits(ctx context.Context, f UnitFilter) ([]*units.Unit, int, error) {
	iso := f.Day.ISO()
	var lf listFilter
	lf.within(f.Within, f.Day, "u.id IN (SELECT id FROM sub)")
	for _, w := range strings.Fields(textnorm.Fold(f.Query)) {
		lf.add(`u.search_key LIKE ? ESCAPE '\'`, "%"+likeEscape(w)+"%")
	}
	if f.Type != "" {
		lf.add("u.type = ?", string(f.Type))
	}
	for _, t := range f.NotTypes {
		lf.add("u.type <> ?", string(t))
	}
	if !f.IncludeClosed {
		lf.add("u.valid_from <= ? AND (u.valid_to IS NULL OR u.valid_to > ?)", iso, iso)
	}
	cte, cond := lf.cte, lf.sql()
	r := s.reader()
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	rank, rankArgs := searchRank(f.Query)
	all := lf.params(append(rankArgs, limit, max(f.Offset, 0))...)
	// One pass gives the page and, by a window count, the total.
	rows, err := r.query(ctx, cte+"SELECT "+unitBaseCols+", COUNT(*) OVER () FROM units u"+cond+
		" ORDER BY "+rank+", u.sort_key, u.id LIMIT ? OFFSET ?", all...)
	if err != nil {
		return nil, 0, fmt.Errorf("search units: %w", err)
	}
	var list []*units.Unit
	total := 0
	for rows.Next() {
		u, err := scanUnit(rows, &total)
		if err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("search units: %w", err)
		}
		list = append(list, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("search units: %w", err)
	}
	if len(list) == 0 && f.Offset > 0 { // past the last page: count alone
		if err := r.row(ctx, cte+"SELECT COUNT(*) FROM units u"+cond, lf.params()...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count units: %w", err)
		}
	}
	list, err = s.placeAll(ctx, list, f.Day)
	return list, total, err
}

// searchRank is the ORDER BY term that puts the best matches of query
// first, with its arguments: the exact code, then a key that starts with
// the query, then the query as whole words in that order ("nghi loc" finds
// "Xã Nghi Lộc" before "Trường THCS Nghĩa Lộc", where "nghi" is only part
// of "nghia"), then every word whole in any order, then the rest (words
// matched inside longer ones). The key is searchKey's, bounded by spaces.
func searchRank(query string) (string, []any) {
	exact := textnorm.Fold(query)
	words := strings.Fields(exact)
	if len(words) == 0 {
		return "u.sort_key", nil // nothing to rank: name order alone
	}
	const padded = `(' ' || u.search_key || ' ') LIKE ? ESCAPE '\'`
	whole := make([]string, len(words))
	args := []any{exact, likeEscape(exact) + "%", "% " + likeEscape(exact) + " %"}
	for i, w := range words {
		whole[i] = padded
		args = append(args, "% "+likeEscape(w)+" %")
	}
	return `CASE WHEN LOWER(u.code) = ? THEN 0 WHEN u.search_key LIKE ? ESCAPE '\' THEN 1 WHEN ` + padded +
		" THEN 2 WHEN " + strings.Join(whole, " AND ") + " THEN 3 ELSE 4 END", args
}

// ErrUnitChanged is returned when a unit changed between the checks of a
// write and the write itself (another request closed or merged it first).
var ErrUnitChanged = errors.New("unit changed meanwhile")

// The write methods below only persist: the rules that decide whether a
// change is allowed (validity, placement, merges) are the units service's,
// checked on facts read inside the same transaction (Tx.Unit, Tx.UnitSpan,
// Tx.Ancestors, Tx.LaterPlacements). Trusted callers (the demo province, the
// benchmark generator, test fixtures) write valid data directly.

// Unit is Store.Unit inside a transaction, seeing its uncommitted rows.
func (tx *Tx) Unit(ctx context.Context, id int64, day dates.Date) (*units.Unit, error) {
	return tx.unit(ctx, id, day)
}

// UnitSpan reads only a unit's id, code and validity: what a placement
// check needs of a parent, without counting its children.
func (tx *Tx) UnitSpan(ctx context.Context, id int64) (*units.Unit, error) {
	u := &units.Unit{ID: id}
	var from, to string
	err := tx.row(ctx, "SELECT code, valid_from, COALESCE(valid_to, '') FROM units WHERE id = ?", id).Scan(&u.Code, &from, &to)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("unit %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load unit %d: %w", id, err)
	}
	u.ValidFrom, _ = dates.Parse(from)
	u.ValidTo, _ = dates.Parse(to)
	return u, nil
}

// Ancestors is Store.Ancestors inside a transaction, by recursive SQL over
// the uncommitted links (the cache holds committed state only).
func (tx *Tx) Ancestors(ctx context.Context, unit int64, day dates.Date) ([]int64, error) {
	return tx.ancestors(ctx, unit, day)
}

// LaterPlacements counts the placements of unit that start after day.
func (tx *Tx) LaterPlacements(ctx context.Context, unit int64, day dates.Date) (int, error) {
	var n int
	err := tx.row(ctx, "SELECT COUNT(*) FROM unit_links WHERE child_id = ? AND kind = 'parent' AND valid_from > ?", unit, day.ISO()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("later placements of %d: %w", unit, err)
	}
	return n, nil
}

// codeTaken is the error of a code another unit already has (the unique
// index decides, so two concurrent creations cannot both win).
func codeTaken() error { return validation.Single("code", "err.code_taken") }

// CreateUnit stores u under parent (0: a root) from u.ValidFrom and records
// the change. u.ID is set.
func (s *Store) CreateUnit(ctx context.Context, a audit.Actor, u *units.Unit, parent int64) error {
	return s.Tx(ctx, func(tx *Tx) error { return tx.CreateUnit(ctx, a, u, parent) })
}

// CreateUnit is Store.CreateUnit inside a larger transaction.
func (tx *Tx) CreateUnit(ctx context.Context, a audit.Actor, u *units.Unit, parent int64) error {
	return tx.CreateUnits(ctx, a, []*units.Unit{u}, []int64{parent})
}

// CreateUnits is CreateUnit for many units at once, each under parents[i]
// (0: a root), which must exist already: a province's set-up writes its
// thousands of units in a few multi-row statements rather than three round
// trips (and, on PostgreSQL, two hierarchy-version updates) per unit.
func (tx *Tx) CreateUnits(ctx context.Context, a audit.Actor, list []*units.Unit, parents []int64) error {
	if err := tx.createUnits(ctx, list, parents); err != nil {
		return err
	}
	entries := make([]auditRow, len(list))
	for i, u := range list {
		entries[i] = auditRow{action: "create", entity: "unit", id: u.ID, after: u}
	}
	return tx.recordAll(ctx, a, entries)
}

func (tx q) createUnit(ctx context.Context, u *units.Unit, parent int64) error {
	return tx.createUnits(ctx, []*units.Unit{u}, []int64{parent})
}

// unitsPerInsert bounds a multi-row insert: 18 parameters per unit stay
// far under SQLite's 32,766.
const unitsPerInsert = 500

func (tx q) createUnits(ctx context.Context, list []*units.Unit, parents []int64) error {
	if len(parents) != len(list) {
		return fmt.Errorf("create units: %d units, %d parents", len(list), len(parents))
	}
	for start := 0; start < len(list); start += unitsPerInsert {
		end := min(start+unitsPerInsert, len(list))
		part := list[start:end]
		ts := now()
		var b strings.Builder
		b.WriteString(`INSERT INTO units (code, name, short_name, type, school_level, head_name,
		focal_name, focal_phone, focal_email, staff_count, pupil_count, headcount_year,
		valid_from, valid_to, search_key, sort_key, created_at, updated_at) VALUES `)
		args := make([]any, 0, len(part)*18)
		for i, u := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, u.Code, u.Name, u.ShortName, string(u.Type), string(u.SchoolLevel), u.HeadName,
				u.Focal.Name, u.Focal.Phone, u.Focal.Email, nullInt(u.StaffCount), nullInt(u.PupilCount), nullZero(u.HeadcountYear),
				u.ValidFrom.ISO(), nullDate(u.ValidTo), searchKey(u), textnorm.SortKey(u.Name), ts, ts)
		}
		// Rows come back in no promised order: match them by code (unique).
		b.WriteString(" RETURNING id, code")
		rows, err := tx.queryMany(ctx, len(part), b.String(), args...)
		if isUniqueViolation(err) {
			return codeTaken()
		}
		if err != nil {
			return fmt.Errorf("insert units from %q: %w", part[0].Code, err)
		}
		ids := make(map[string]int64, len(part))
		for rows.Next() {
			var id int64
			var code string
			if err := rows.Scan(&id, &code); err != nil {
				rows.Close()
				return err
			}
			ids[code] = id
		}
		rows.Close()
		if err := rows.Err(); isUniqueViolation(err) {
			return codeTaken()
		} else if err != nil {
			return fmt.Errorf("insert units from %q: %w", part[0].Code, err)
		}
		var links strings.Builder
		var largs []any
		for i, u := range part {
			if u.ID = ids[u.Code]; u.ID == 0 {
				return fmt.Errorf("insert unit %q: no id returned", u.Code)
			}
			u.ParentID = parents[start+i]
			u.CreatedAt, u.UpdatedAt = ParseTime(ts), ParseTime(ts)
			if u.ParentID == 0 {
				continue
			}
			if links.Len() > 0 {
				links.WriteString(", ")
			}
			links.WriteString("(?, ?, 'parent', ?, ?)")
			largs = append(largs, u.ID, u.ParentID, u.ValidFrom.ISO(), nullDate(u.ValidTo))
		}
		if n := len(largs) / 4; n > 0 {
			if _, err := tx.execMany(ctx, n, "INSERT INTO unit_links (child_id, parent_id, kind, valid_from, valid_to) VALUES "+links.String(), largs...); err != nil {
				return fmt.Errorf("place units from %q: %w", part[0].Code, err)
			}
		}
	}
	return nil
}

// UpdateUnit stores the attributes of u (not its placement nor its validity
// dates, which change only by move, merge and close) and records the change.
func (s *Store) UpdateUnit(ctx context.Context, a audit.Actor, u *units.Unit) error {
	return s.Tx(ctx, func(tx *Tx) error { return tx.UpdateUnit(ctx, a, u) })
}

// UpdateUnit is Store.UpdateUnit inside a larger transaction.
func (tx *Tx) UpdateUnit(ctx context.Context, a audit.Actor, u *units.Unit) error {
	before, err := tx.unit(ctx, u.ID, dates.Today())
	if err != nil {
		return err
	}
	u.ValidFrom, u.ValidTo = before.ValidFrom, before.ValidTo
	if err := tx.updateUnit(ctx, u); err != nil {
		return err
	}
	u.ParentID, u.ChildCount, u.CreatedAt = before.ParentID, before.ChildCount, before.CreatedAt
	return tx.record(ctx, a, "update", "unit", u.ID, before, u)
}

func (tx q) updateUnit(ctx context.Context, u *units.Unit) error {
	ts := now()
	_, err := tx.exec(ctx, `UPDATE units SET code = ?, name = ?, short_name = ?, type = ?, school_level = ?,
		head_name = ?, focal_name = ?, focal_phone = ?, focal_email = ?, staff_count = ?, pupil_count = ?,
		headcount_year = ?, search_key = ?, sort_key = ?, updated_at = ? WHERE id = ?`,
		u.Code, u.Name, u.ShortName, string(u.Type), string(u.SchoolLevel), u.HeadName,
		u.Focal.Name, u.Focal.Phone, u.Focal.Email, nullInt(u.StaffCount), nullInt(u.PupilCount),
		nullZero(u.HeadcountYear), searchKey(u), textnorm.SortKey(u.Name), ts, u.ID)
	if isUniqueViolation(err) {
		return codeTaken()
	}
	if err != nil {
		return fmt.Errorf("update unit %d: %w", u.ID, err)
	}
	u.UpdatedAt = ParseTime(ts)
	return nil
}

// MoveUnit places unit under newParent from day on, keeping the former
// placement as history, and records the change.
func (s *Store) MoveUnit(ctx context.Context, a audit.Actor, unit, newParent int64, day dates.Date) error {
	return s.Tx(ctx, func(tx *Tx) error { return tx.MoveUnit(ctx, a, unit, newParent, day) })
}

// MoveUnit is Store.MoveUnit inside a larger transaction.
func (tx *Tx) MoveUnit(ctx context.Context, a audit.Actor, unit, newParent int64, day dates.Date) error {
	before, err := tx.unit(ctx, unit, day)
	if err != nil {
		return err
	}
	if err := tx.endPlacement(ctx, unit, day); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO unit_links (child_id, parent_id, kind, valid_from, valid_to) VALUES (?, ?, 'parent', ?, ?)`,
		unit, newParent, day.ISO(), nullDate(before.ValidTo)); err != nil {
		return fmt.Errorf("place unit %d: %w", unit, err)
	}
	return tx.record(ctx, a, "move", "unit", unit,
		map[string]any{"parent_id": before.ParentID},
		map[string]any{"parent_id": newParent, "date": day.ISO()})
}

// endPlacement ends the placement of unit that is in force on day; a
// placement that would start and end on the same day is removed.
func (tx q) endPlacement(ctx context.Context, unit int64, day dates.Date) error {
	if err := tx.endPlacements(ctx, []int64{unit}, day); err != nil {
		return fmt.Errorf("unit %d: %w", unit, err)
	}
	return nil
}

// endUnit makes day a unit's end, unless it already ends by then: a unit
// that another request ended meanwhile gives ErrUnitChanged.
func (tx q) endUnit(ctx context.Context, unit int64, day dates.Date) error {
	if err := tx.endUnits(ctx, []int64{unit}, day); err != nil {
		return fmt.Errorf("unit %d: %w", unit, err)
	}
	return nil
}

// endUnits is endUnit for many units: ErrUnitChanged if any had ended.
func (tx q) endUnits(ctx context.Context, list []int64, day dates.Date) error {
	iso := day.ISO()
	args := []any{iso, now()}
	for _, id := range list {
		args = append(args, id)
	}
	res, err := tx.execMany(ctx, len(list), "UPDATE units SET valid_to = ?, updated_at = ? WHERE id IN ("+placeholders(len(list))+
		") AND (valid_to IS NULL OR valid_to > ?)", append(args, iso)...)
	if err != nil {
		return fmt.Errorf("close units: %w", err)
	}
	if n, _ := res.RowsAffected(); n != int64(len(list)) {
		return fmt.Errorf("close units: %w", ErrUnitChanged)
	}
	return nil
}

// MergeRequest merges former units into a successor from Date: the sources
// cease to exist, their data rolls up under the target, and their units in
// force are placed under the target. Either TargetID names an existing unit
// or NewTarget is created (under NewTargetParent) from Date.
type MergeRequest struct {
	SourceIDs       []int64
	TargetID        int64
	NewTarget       *units.Unit
	NewTargetParent int64
	Date            dates.Date
}

// MergeUnits carries out r in one transaction and records every change. It
// returns the target's id.
func (s *Store) MergeUnits(ctx context.Context, a audit.Actor, r MergeRequest) (int64, error) {
	var target int64
	err := s.Tx(ctx, func(tx *Tx) error {
		var err error
		target, err = tx.MergeUnits(ctx, a, r)
		return err
	})
	return target, err
}

// MergeUnits is Store.MergeUnits inside a larger transaction.
func (tx *Tx) MergeUnits(ctx context.Context, a audit.Actor, r MergeRequest) (int64, error) {
	if r.NewTarget != nil {
		r.NewTarget.ValidFrom = r.Date
		if err := tx.createUnit(ctx, r.NewTarget, r.NewTargetParent); err != nil {
			return 0, err
		}
		if err := tx.record(ctx, a, "create", "unit", r.NewTarget.ID, nil, r.NewTarget); err != nil {
			return 0, err
		}
		r.TargetID = r.NewTarget.ID
	}
	into := make(map[int64]int64, len(r.SourceIDs))
	for _, sid := range r.SourceIDs {
		into[sid] = r.TargetID
	}
	return r.TargetID, tx.merge(ctx, a, r.SourceIDs, into, r.Date)
}

// MergeAll carries out many merges into existing targets on one day, in a
// few statements per few hundred sources: a province's set-up merges
// thousands of former units. A source must not sit under another source
// of the same call (merge the deeper units in an earlier call).
func (tx *Tx) MergeAll(ctx context.Context, a audit.Actor, day dates.Date, reqs []MergeRequest) error {
	var sources []int64
	into := map[int64]int64{}
	for _, r := range reqs {
		for _, sid := range r.SourceIDs {
			sources = append(sources, sid)
			into[sid] = r.TargetID
		}
	}
	return tx.merge(ctx, a, sources, into, day)
}

// mergePerStatement bounds the id lists of one merge statement.
const mergePerStatement = 400

// merge ends sources on day, each succeeded by into[source]: their units in
// force that day are placed under the successor, their placements and
// validity end, and a merged_into link keeps the history, every change
// recorded.
func (tx q) merge(ctx context.Context, a audit.Actor, sources []int64, into map[int64]int64, day dates.Date) error {
	iso := day.ISO()
	for start := 0; start < len(sources); start += mergePerStatement {
		part := sources[start:min(start+mergePerStatement, len(sources))]
		ids := make([]any, len(part))
		isSource := make(map[int64]bool, len(part))
		for i, id := range part {
			ids[i], isSource[id] = id, true
		}
		in := "(" + placeholders(len(part)) + ")"
		rows, err := tx.queryMany(ctx, len(part), `SELECT l.child_id, l.parent_id FROM unit_links l
			WHERE l.kind = 'parent' AND l.parent_id IN `+in+` AND `+activeLink+` ORDER BY l.child_id`, append(ids, iso, iso)...)
		if err != nil {
			return err
		}
		type move struct{ kid, from int64 }
		var moves []move
		for rows.Next() {
			var m move
			if err := rows.Scan(&m.kid, &m.from); err != nil {
				rows.Close()
				return err
			}
			if !isSource[m.kid] { // a source below another ends with it
				moves = append(moves, m)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var audits []auditRow
		for i := 0; i < len(moves); i += mergePerStatement {
			chunk := moves[i:min(i+mergePerStatement, len(moves))]
			kids := make([]int64, len(chunk))
			var links strings.Builder
			var largs []any
			for j, m := range chunk {
				kids[j] = m.kid
				if j > 0 {
					links.WriteString(", ")
				}
				links.WriteString("(?, ?, 'parent', ?)")
				largs = append(largs, m.kid, into[m.from], iso)
				audits = append(audits, auditRow{action: "move", entity: "unit", id: m.kid,
					before: map[string]any{"parent_id": m.from}, after: map[string]any{"parent_id": into[m.from], "date": iso}})
			}
			if err := tx.endPlacements(ctx, kids, day); err != nil {
				return err
			}
			if _, err := tx.execMany(ctx, len(chunk), "INSERT INTO unit_links (child_id, parent_id, kind, valid_from) VALUES "+links.String(), largs...); err != nil {
				return fmt.Errorf("re-place units: %w", err)
			}
		}
		if err := tx.endPlacements(ctx, part, day); err != nil {
			return err
		}
		if err := tx.endUnits(ctx, part, day); err != nil {
			return err
		}
		var links strings.Builder
		largs := make([]any, 0, 3*len(part))
		for j, src := range part {
			if j > 0 {
				links.WriteString(", ")
			}
			links.WriteString("(?, ?, 'merged_into', ?)")
			largs = append(largs, src, into[src], iso)
			audits = append(audits, auditRow{action: "merge", entity: "unit", id: src,
				before: map[string]any{"valid_to": nil}, after: map[string]any{"valid_to": iso, "merged_into": into[src]}})
		}
		if _, err := tx.execMany(ctx, len(part), "INSERT INTO unit_links (child_id, parent_id, kind, valid_from) VALUES "+links.String(), largs...); err != nil {
			return fmt.Errorf("merge units: %w", err)
		}
		if err := tx.recordAll(ctx, a, audits); err != nil {
			return err
		}
	}
	return nil
}

// endPlacements is endPlacement for many units at once.
func (tx q) endPlacements(ctx context.Context, list []int64, day dates.Date) error {
	iso := day.ISO()
	ids := make([]any, len(list))
	for i, id := range list {
		ids[i] = id
	}
	in := "(" + placeholders(len(list)) + ")"
	if _, err := tx.execMany(ctx, len(list), "DELETE FROM unit_links WHERE kind = 'parent' AND valid_from = ? AND child_id IN "+in,
		append([]any{iso}, ids...)...); err != nil {
		return fmt.Errorf("end placements: %w", err)
	}
	if _, err := tx.execMany(ctx, len(list), `UPDATE unit_links SET valid_to = ? WHERE kind = 'parent'
		AND valid_from < ? AND (valid_to IS NULL OR valid_to > ?) AND child_id IN `+in, append([]any{iso, iso, iso}, ids...)...); err != nil {
		return fmt.Errorf("end placements: %w", err)
	}
	return nil
}

// Succession is a merge seen from one side.
type Succession struct {
	Unit *units.Unit
	Date dates.Date
}

// Predecessors lists the units merged into unit, with the merge dates.
func (s *Store) Predecessors(ctx context.Context, unit int64) ([]Succession, error) {
	return s.successions(ctx, "l.parent_id = ?", "l.child_id", unit)
}

// Successors lists the units that unit was merged into.
func (s *Store) Successors(ctx context.Context, unit int64) ([]Succession, error) {
	return s.successions(ctx, "l.child_id = ?", "l.parent_id", unit)
}

func (s *Store) successions(ctx context.Context, cond, other string, unit int64) ([]Succession, error) {
	rows, err := s.reader().query(ctx, "SELECT "+other+", l.valid_from FROM unit_links l WHERE l.kind = 'merged_into' AND "+cond+" ORDER BY l.valid_from, "+other, unit)
	if err != nil {
		return nil, fmt.Errorf("successions of %d: %w", unit, err)
	}
	type pair struct {
		id  int64
		day string
	}
	var ps []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.id, &p.day); err != nil {
			rows.Close()
			return nil, err
		}
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Succession, 0, len(ps))
	for _, p := range ps {
		d, _ := dates.Parse(p.day)
		u, err := s.Unit(ctx, p.id, d)
		if err != nil {
			return nil, err
		}
		out = append(out, Succession{Unit: u, Date: d})
	}
	return out, nil
}

// Placement is one period of a unit under a parent.
type Placement struct {
	Parent   *units.Unit
	From, To dates.Date
}

// Placements lists the history of a unit's parents, oldest first.
func (s *Store) Placements(ctx context.Context, unit int64) ([]Placement, error) {
	rows, err := s.reader().query(ctx, "SELECT parent_id, valid_from, COALESCE(valid_to, '') FROM unit_links WHERE child_id = ? AND kind = 'parent' ORDER BY valid_from", unit)
	if err != nil {
		return nil, fmt.Errorf("placements of %d: %w", unit, err)
	}
	type raw struct {
		parent   int64
		from, to string
	}
	var rs []raw
	for rows.Next() {
		var r raw
		if err := rows.Scan(&r.parent, &r.from, &r.to); err != nil {
			rows.Close()
			return nil, err
		}
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Placement, 0, len(rs))
	for _, r := range rs {
		from, _ := dates.Parse(r.from)
		to, _ := dates.Parse(r.to)
		p, err := s.Unit(ctx, r.parent, from)
		if err != nil {
			return nil, err
		}
		out = append(out, Placement{Parent: p, From: from, To: to})
	}
	return out, nil
}

// CloseUnit ends a unit on day without a successor (for example a dissolved
// organisation).
func (s *Store) CloseUnit(ctx context.Context, a audit.Actor, unit int64, day dates.Date) error {
	return s.Tx(ctx, func(tx *Tx) error { return tx.CloseUnit(ctx, a, unit, day) })
}

// CloseUnit is Store.CloseUnit inside a larger transaction.
func (tx *Tx) CloseUnit(ctx context.Context, a audit.Actor, unit int64, day dates.Date) error {
	if err := tx.endPlacement(ctx, unit, day); err != nil {
		return err
	}
	if err := tx.endUnit(ctx, unit, day); err != nil {
		return err
	}
	return tx.record(ctx, a, "close", "unit", unit, map[string]any{"valid_to": nil}, map[string]any{"valid_to": day.ISO()})
}

// UnitCount returns how many units exist (in force or not).
func (s *Store) UnitCount(ctx context.Context) (int, error) {
	var n int
	err := s.reader().row(ctx, "SELECT COUNT(*) FROM units").Scan(&n)
	return n, err
}
