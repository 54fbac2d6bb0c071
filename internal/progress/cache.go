package progress

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"khienso/internal/dates"
	"khienso/internal/indicators"
	"khienso/internal/store"
)

// The cache keeps, per instance, what indicator computations derive from
// the database, and follows the database's versions (store.DataVersions,
// one indexed read per computation) so that every instance computes the
// same values:
//
//   - each year's activity totals as cells per unit, and every unit's
//     attributes; a write moves the year's (or the attributes') version,
//     and the next computation reads only the rows changed since (a full
//     reload only after a rebuild of the totals);
//   - per period and reference day (a "rollup"): the tree of that day as,
//     for every unit, the aggregates it adds into (itself, if anything sits
//     under it, and every unit above it), and per measure the sum of the
//     unit shares under each such unit. A computation for any root is then
//     a lookup; a changed row moves the sums by its unit's change of share,
//     along the unit's ancestors, in every rollup it concerns, so a write
//     costs what it changed. Rollups are rebuilt when the tree changes
//     (hierarchy_version: a unit created, moved, merged or closed), a
//     measure's sums when its report figures or plans change.
//
// Everything is guarded by one mutex, held across the database reads a
// refresh needs: a refresh is rare, and concurrent ones would repeat it.
type cache struct {
	mu sync.Mutex
	// ids and index number units densely; numbers are never reused, so
	// the cells of a year stay valid across tree reloads.
	ids    []int64
	index  map[int64]int32
	combos indicators.Combos
	years  map[int]*yearCells
	// attrs and known are every unit's attributes (Active unset), by
	// number, as of attrsVersion.
	attrs        []indicators.UnitInfo
	known        []bool
	attrsVersion int64
	tree         *store.UnitTree
	// forests by ISO day for tree; rollups by period and day.
	forests map[string]*forest
	rollups map[rollupKey]*rollup
	tick    int64 // for least-recently-used eviction
	unit    indicators.UnitData
}

// maxRollups bounds the memory: a rollup of the national tree costs
// about 40 KB per measure (one float per unit with units under it).
const maxRollups = 128

type yearCells struct {
	version int64
	units   [][]indicators.Cell // by unit number
}

func (c *cache) intern(id int64) int32 {
	n, ok := c.index[id]
	if !ok {
		n = int32(len(c.ids))
		c.index[id] = n
		c.ids = append(c.ids, id)
	}
	return n
}

// forest is the unit tree of one day, numbered as the cache numbers units.
type forest struct {
	day    dates.Date
	active []bool // the unit is in force that day
	// slot[n] is the aggregate of unit n if units roll up under it that
	// day, else -1 (its value is its own share).
	slot  []int32
	slots int
	// into[at[n]:at[n+1]] are the slots unit n's share adds into.
	into []int32
	at   []int32
}

func (f *forest) addsInto(n int32) []int32 {
	if int(n)+1 >= len(f.at) {
		return nil
	}
	return f.into[f.at[n]:f.at[n+1]]
}

func (c *cache) forest(day dates.Date) *forest {
	iso := day.ISO()
	if f, ok := c.forests[iso]; ok {
		return f
	}
	c.tree.EachUnit(day, func(id int64, _ bool) { c.intern(id) })
	up := map[int32][]int32{}
	c.tree.EachLink(day, func(child, parent int64) {
		ch, p := c.intern(child), c.intern(parent)
		up[ch] = append(up[ch], p)
	})
	n := len(c.ids)
	f := &forest{day: day, active: make([]bool, n), slot: make([]int32, n), at: make([]int32, n+1)}
	c.tree.EachUnit(day, func(id int64, active bool) { f.active[c.index[id]] = active })
	for i := range f.slot {
		f.slot[i] = -1
	}
	for _, parents := range up {
		for _, p := range parents {
			if f.slot[p] < 0 {
				f.slot[p] = int32(f.slots)
				f.slots++
			}
		}
	}
	// A unit adds into every unit it rolls up under, each once (the
	// subtree of a root is every unit reachable down links in force).
	seen := make([]int32, n) // stamp per unit: i+1 when seen for unit i
	var queue []int32
	for i := range n {
		queue = append(queue[:0], int32(i))
		seen[i] = int32(i + 1)
		for k := 0; k < len(queue); k++ {
			u := queue[k]
			if f.slot[u] >= 0 {
				f.into = append(f.into, f.slot[u])
			}
			for _, p := range up[u] {
				if seen[p] != int32(i+1) {
					seen[p] = int32(i + 1)
					queue = append(queue, p)
				}
			}
		}
		f.at[i+1] = int32(len(f.into))
	}
	if len(c.forests) >= 16 {
		clear(c.forests) // the rollups using them keep theirs
	}
	c.forests[iso] = f
	return f
}

type rollupKey struct {
	from, to int
	day      string
}

// rollup holds a period's measures summed under every unit, on the tree
// of the period's reference day.
type rollup struct {
	per  Period
	f    *forest
	yrs  []*yearCells // the period's years
	cols map[colKey]*column
	used int64
	// The report figures of the period for the fields its columns use,
	// and the units with a plan under each plan asked, with the versions
	// they were read at.
	reports        map[int32]map[string]float64
	reportFields   []string
	reportsVersion int64
	planned        map[int64]map[int32]bool
	plansVersion   int64
}

type colKey struct {
	measure string
	plan    int64 // for units(has_plan=yes): the measured plan
}

type column struct {
	col  *indicators.Column
	plan int64
	agg  []float64 // by slot
	// units counts, by slot, the units whose share is not zero: how many
	// units' data a value rests on.
	units []int32
}

func (x *rollup) covers(year int) bool { return x.per.FromYear <= year && year <= x.per.ToYear }

// share is unit n's part of column k in x.
func (c *cache) share(x *rollup, k *column, n int32) float64 {
	u := &c.unit
	u.Info, u.Known, u.Planned, u.Reports = indicators.UnitInfo{}, false, false, nil
	if int(n) < len(c.attrs) {
		u.Info, u.Known = c.attrs[n], c.known[n]
	}
	u.Info.Active = int(n) < len(x.f.active) && x.f.active[n]
	u.Cells = u.Cells[:0]
	for _, y := range x.yrs {
		if int(n) < len(y.units) {
			u.Cells = append(u.Cells, y.units[n])
		}
	}
	if k.plan != 0 {
		u.Planned = x.planned[k.plan][n]
	}
	u.Reports = x.reports[n]
	return k.col.Share(u, &c.combos)
}

func (c *cache) build(x *rollup, k *column) {
	k.agg = make([]float64, x.f.slots)
	k.units = make([]int32, x.f.slots)
	for n := range int32(len(x.f.active)) {
		if v := c.share(x, k, n); v != 0 {
			for _, s := range x.f.addsInto(n) {
				k.agg[s] += v
				k.units[s]++
			}
		}
	}
}

// value is column k over the subtree of unit id, and the number of units
// of the subtree whose share is not zero.
func (c *cache) value(x *rollup, k *column, id int64) (float64, int) {
	n, ok := c.index[id]
	if !ok {
		return 0, 0
	}
	if int(n) < len(x.f.slot) && x.f.slot[n] >= 0 {
		return k.agg[x.f.slot[n]], int(k.units[x.f.slot[n]])
	}
	if v := c.share(x, k, n); v != 0 {
		return v, 1
	}
	return 0, 0
}

// refresh brings the unit tree and the years [from, to] up to v.
func (c *cache) refresh(ctx context.Context, st *store.Store, v store.DataVersions, from, to int) error {
	if c.index == nil {
		c.index, c.years, c.forests, c.rollups = map[int64]int32{}, map[int]*yearCells{}, map[string]*forest{}, map[rollupKey]*rollup{}
	}
	if c.tree == nil || c.tree.Version() < v.Hierarchy {
		t, err := st.UnitTree(ctx, v.Hierarchy)
		if err != nil {
			return err
		}
		c.tree = t
		clear(c.forests)
		clear(c.rollups)
	}
	if err := c.refreshAttributes(ctx, st, v.Attributes); err != nil {
		return err
	}
	for y := from; y <= to; y++ {
		if err := c.refreshYear(ctx, st, y, v.Years[y]); err != nil {
			return err
		}
	}
	return nil
}

func (c *cache) refreshAttributes(ctx context.Context, st *store.Store, version int64) error {
	if version == c.attrsVersion {
		return nil
	}
	if c.attrsVersion == 0 || version < c.attrsVersion {
		list, err := st.UnitAttributes(ctx)
		if err != nil {
			return err
		}
		clear(c.known)
		for _, u := range list {
			c.setAttrs(u)
		}
		clear(c.rollups)
		c.attrsVersion = version
		return nil
	}
	list, err := st.UnitAttributesChanged(ctx, c.attrsVersion)
	if err != nil {
		return err
	}
	touched := make([]int32, len(list))
	for i, u := range list {
		touched[i] = c.intern(u.ID)
	}
	c.change(slices.Collect(maps.Values(c.rollups)), touched, func() {
		for _, u := range list {
			c.setAttrs(u)
		}
	})
	c.attrsVersion = version
	return nil
}

func (c *cache) setAttrs(u store.UnitAttrs) {
	n := int(c.intern(u.ID))
	for len(c.attrs) <= n {
		c.attrs, c.known = append(c.attrs, indicators.UnitInfo{}), append(c.known, false)
	}
	c.attrs[n], c.known[n] = u.Info, true
}

func (c *cache) refreshYear(ctx context.Context, st *store.Store, year int, v store.YearVersion) error {
	yc := c.years[year]
	if yc != nil && yc.version == v.Version {
		return nil
	}
	if yc == nil && v.Version == 0 {
		c.years[year] = &yearCells{}
		return nil
	}
	if yc == nil || v.Base > yc.version || v.Version < yc.version {
		rows, err := st.ActivityTotals(ctx, year)
		if err != nil {
			return err
		}
		fresh := &yearCells{version: v.Version}
		for _, r := range rows {
			c.set(fresh, r)
		}
		c.years[year] = fresh
		maps.DeleteFunc(c.rollups, func(_ rollupKey, x *rollup) bool { return x.covers(year) })
		return nil
	}
	rows, err := st.ActivityTotalsChanged(ctx, year, yc.version)
	if err != nil {
		return err
	}
	c.apply(yc, year, rows)
	yc.version = v.Version
	return nil
}

// set stores one totals row in a year's cells (a row at zero records
// removes the cell).
func (c *cache) set(yc *yearCells, r store.TotalsRow) {
	n := c.intern(r.Unit)
	if int(n) >= len(yc.units) {
		yc.units = append(yc.units, make([][]indicators.Cell, int(n)+1-len(yc.units))...)
	}
	combo := c.combos.ID(r.Combo)
	cells := yc.units[n]
	i := slices.IndexFunc(cells, func(x indicators.Cell) bool { return x.Combo == combo })
	switch {
	case r.Records == 0 && i >= 0:
		yc.units[n] = slices.Delete(cells, i, i+1)
	case r.Records == 0:
	case i >= 0:
		cells[i] = indicators.Cell{Combo: combo, Records: r.Records, Metrics: r.Metrics}
	default:
		yc.units[n] = append(cells, indicators.Cell{Combo: combo, Records: r.Records, Metrics: r.Metrics})
	}
}

// apply stores changed rows of a year, moving the sums of every rollup
// covering it.
func (c *cache) apply(yc *yearCells, year int, rows []store.TotalsRow) {
	var touched []int32
	seen := map[int64]bool{}
	for _, r := range rows {
		if !seen[r.Unit] {
			seen[r.Unit] = true
			touched = append(touched, c.intern(r.Unit))
		}
	}
	var affected []*rollup
	for _, x := range c.rollups {
		if x.covers(year) {
			affected = append(affected, x)
		}
	}
	c.change(affected, touched, func() {
		for _, r := range rows {
			c.set(yc, r)
		}
	})
}

// change runs mutate, which changes data of the touched units, and moves
// the sums of the affected rollups by each touched unit's change of share,
// along the units it rolls up under. A change that concerns a large part
// of the units (an import) drops the rollups instead: rebuilding them
// costs less.
func (c *cache) change(affected []*rollup, touched []int32, mutate func()) {
	if len(touched) > max(len(c.ids)/8, 256) {
		for k, x := range c.rollups {
			if slices.Contains(affected, x) {
				delete(c.rollups, k)
			}
		}
		mutate()
		return
	}
	type before struct {
		x *rollup
		k *column
		n int32
		v float64
	}
	var olds []before
	for _, x := range affected {
		for _, k := range x.cols {
			for _, n := range touched {
				olds = append(olds, before{x, k, n, c.share(x, k, n)})
			}
		}
	}
	mutate()
	for _, o := range olds {
		v := c.share(o.x, o.k, o.n)
		var counted int32 // the unit starts or stops counting
		switch {
		case o.v == 0 && v != 0:
			counted = 1
		case o.v != 0 && v == 0:
			counted = -1
		}
		if d := v - o.v; d != 0 {
			for _, s := range o.x.f.addsInto(o.n) {
				o.k.agg[s] += d
				o.k.units[s] += counted
			}
		}
	}
}

// rollup returns the rollup of a period on its reference day, making it
// if needed (evicting the least recently used past maxRollups).
func (c *cache) rollup(per Period, day dates.Date) *rollup {
	key := rollupKey{per.FromYear, per.ToYear, day.ISO()}
	c.tick++
	if x, ok := c.rollups[key]; ok {
		x.used = c.tick
		return x
	}
	if len(c.rollups) >= maxRollups {
		var oldest rollupKey
		least := c.tick
		for k, x := range c.rollups {
			if x.used < least {
				oldest, least = k, x.used
			}
		}
		delete(c.rollups, oldest)
	}
	x := &rollup{per: per, f: c.forest(day), cols: map[colKey]*column{}, used: c.tick}
	for y := per.FromYear; y <= per.ToYear; y++ {
		if c.years[y] == nil {
			c.years[y] = &yearCells{}
		}
		x.yrs = append(x.yrs, c.years[y])
	}
	c.rollups[key] = x
	return x
}

// columns returns the columns of measures in x, building the missing ones
// and those whose report figures or plans changed.
func (c *cache) columns(ctx context.Context, st *store.Store, v store.DataVersions, x *rollup, plan int64, measures []indicators.Measure) ([]*column, error) {
	var fields []string
	var plansNeeded bool
	for _, m := range measures {
		switch {
		case m.Kind == indicators.KindReport:
			fields = append(fields, m.Arg)
		case m.Kind == indicators.KindUnits && m.Filter.HasPlan && plan != 0:
			plansNeeded = true
		}
	}
	if len(fields) > 0 {
		missing := slices.ContainsFunc(fields, func(f string) bool { return !slices.Contains(x.reportFields, f) })
		if missing || x.reportsVersion != v.Reports {
			if missing {
				x.reportFields = append(x.reportFields, fields...)
				slices.Sort(x.reportFields)
				x.reportFields = slices.Compact(x.reportFields)
			}
			vals, err := st.ReportValues(ctx, x.reportFields, x.per.Start(), x.per.End())
			if err != nil {
				return nil, err
			}
			x.reports = map[int32]map[string]float64{}
			for field, byUnit := range vals {
				for id, val := range byUnit {
					n := c.intern(id)
					if x.reports[n] == nil {
						x.reports[n] = map[string]float64{}
					}
					x.reports[n][field] = val
				}
			}
			x.reportsVersion = v.Reports
			maps.DeleteFunc(x.cols, func(_ colKey, k *column) bool { return k.col.Measure().Kind == indicators.KindReport })
		}
	}
	if plansNeeded && (x.planned[plan] == nil || x.plansVersion != v.Plans) {
		if x.plansVersion != v.Plans {
			x.planned, x.plansVersion = map[int64]map[int32]bool{}, v.Plans
			maps.DeleteFunc(x.cols, func(key colKey, _ *column) bool { return key.plan != 0 })
		}
		ids, err := st.PlanUnits(ctx, plan, x.f.day)
		if err != nil {
			return nil, err
		}
		set := map[int32]bool{}
		for id := range ids {
			set[c.intern(id)] = true
		}
		x.planned[plan] = set
	}
	out := make([]*column, len(measures))
	for i, m := range measures {
		key := colKey{measure: m.Key()}
		if m.Kind == indicators.KindUnits && m.Filter.HasPlan {
			key.plan = plan
		}
		k, ok := x.cols[key]
		if !ok {
			k = &column{col: indicators.NewColumn(m), plan: key.plan}
			c.build(x, k)
			x.cols[key] = k
		}
		out[i] = k
	}
	return out, nil
}

// compute runs jobs: for each root of a job, the value of each of its
// measures over the root's subtree in the job's period.
func (s *Service) compute(ctx context.Context, jobs []job, today dates.Date) error {
	from, to := jobs[0].per.FromYear, jobs[0].per.ToYear
	for _, j := range jobs {
		from, to = min(from, j.per.FromYear), max(to, j.per.ToYear)
	}
	v, err := s.Store.DataVersions(ctx, from, to)
	if err != nil {
		return err
	}
	c := &s.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.refresh(ctx, s.Store, v, from, to); err != nil {
		return fmt.Errorf("refresh indicator data: %w", err)
	}
	for _, j := range jobs {
		x := c.rollup(j.per, j.per.refDay(today))
		cols, err := c.columns(ctx, s.Store, v, x, j.plan, j.measures)
		if err != nil {
			return fmt.Errorf("compute indicators %d-%d: %w", j.per.FromYear, j.per.ToYear, err)
		}
		for _, root := range j.roots {
			vals, units := make([]float64, len(cols)), make([]int, len(cols))
			for i, k := range cols {
				vals[i], units[i] = c.value(x, k, root)
			}
			*j.dst = append(*j.dst, vals)
			if j.units != nil {
				*j.units = append(*j.units, units)
			}
		}
	}
	return nil
}

// job is one period's measures over some roots; compute appends one row
// of values per root to *dst.
type job struct {
	per      Period
	plan     int64 // the measured plan, for units(has_plan=yes); 0 for none
	measures []indicators.Measure
	roots    []int64
	dst      *[][]float64
	units    *[][]int // when set, how many units each value rests on, as dst
}
