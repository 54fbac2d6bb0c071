package indicators

import (
	"khienso/internal/activities"
	"khienso/internal/units"
)

// The engine computes a formula's measures as sums over the units of a
// subtree: every measure is the sum of each unit's share (its matching
// activity totals, 1 for a unit counted by units(), its attribute for
// attr(), its accepted report figure), so a caller can add shares up any
// way it likes and, when one unit's data changes, move the sums by that
// unit's change alone. Each distinct (type, channel, audiences)
// combination is matched against a measure's filter once, so the per-row
// work is an array lookup.

// Combo is a distinct (type, channel, audience set) of activity totals.
type Combo struct {
	Type      string
	Channel   string
	Audiences activities.Set
}

// Combos interns combinations: a Cell names its combination by number.
type Combos struct {
	list  []Combo
	index map[Combo]int32
}

// ID returns c's number, interning it.
func (cs *Combos) ID(c Combo) int32 {
	if cs.index == nil {
		cs.index = map[Combo]int32{}
	}
	id, ok := cs.index[c]
	if !ok {
		id = int32(len(cs.list))
		cs.index[c] = id
		cs.list = append(cs.list, c)
	}
	return id
}

// Cell is a unit's activity totals of one combination over one year.
type Cell struct {
	Combo   int32 // in a Combos
	Records int64
	Metrics [5]int64 // in activities.Metrics order: quantity, participants, views, copies, communes
}

// UnitInfo is what formulas may ask of a unit.
type UnitInfo struct {
	Type   units.Type
	Level  units.SchoolLevel
	Staff  int64
	Pupils int64
	Active bool // in force on the period's reference day (units() and attr() count only these)
}

// UnitData is what a measure reads of one unit.
type UnitData struct {
	Info    UnitInfo
	Known   bool               // the unit is in the directory (Info is set)
	Cells   [][]Cell           // the unit's totals, one list per year of the period
	Planned bool               // the unit has its own plan under the measured plan
	Reports map[string]float64 // field → the unit's accepted figures over the period
}

// Attributes are the unit attributes attr() may sum.
var Attributes = []string{"staff", "pupils"}

// DefaultVocabulary is the vocabulary of the product's data.
func DefaultVocabulary(reportField func(string) bool) Vocabulary {
	var types, levels []string
	for _, t := range units.Types {
		types = append(types, string(t))
	}
	for _, l := range units.SchoolLevels {
		levels = append(levels, string(l))
	}
	return Vocabulary{
		ActivityTypes: activities.TypeNames(),
		Channels:      activities.ChannelNames(),
		Audiences:     activities.AudienceNames(),
		Metrics:       activities.Metrics,
		UnitTypes:     types,
		Levels:        levels,
		Attributes:    Attributes,
		ReportField:   reportField,
	}
}

// communesMetric is the index of "communes" in activities.Metrics.
var communesMetric = metricIndex("communes")

func metricIndex(name string) int {
	for i, m := range activities.Metrics {
		if m == name {
			return i
		}
	}
	return 0 // count() sums quantity
}

func in(list []string, v string) bool {
	if len(list) == 0 {
		return true
	}
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func audienceMatch(list []string, s activities.Set) bool {
	if len(list) == 0 {
		return true
	}
	for _, a := range list {
		if s.Has(activities.Audience(a)) {
			return true
		}
	}
	return false
}

// comboMatches reports whether a combo passes a measure's activity filter.
func comboMatches(m Measure, c Combo) bool {
	f := m.Filter
	types := f.Types
	if m.Kind == KindUnits {
		types = f.Has
		if f.HasAny {
			types = nil
		}
	}
	return in(types, c.Type) && in(f.Channels, c.Channel) && audienceMatch(f.Audiences, c.Audiences)
}

func unitMatches(f Filter, u UnitInfo) bool {
	return u.Active && in(f.UnitTypes, string(u.Type)) && in(f.Levels, string(u.Level))
}

// Column computes one measure unit by unit. It remembers which
// combinations match, so it is not safe for concurrent use.
type Column struct {
	m      Measure
	metric int
	match  []int8 // by combination: 1 matches, -1 does not, 0 not yet known
}

// NewColumn returns the column of measure m.
func NewColumn(m Measure) *Column {
	c := &Column{m: m}
	if m.Kind == KindCount || m.Kind == KindSum {
		c.metric = metricIndex(m.Arg)
	}
	return c
}

// Measure is the column's measure.
func (c *Column) Measure() Measure { return c.m }

func (c *Column) matches(combo int32, cs *Combos) bool {
	for int(combo) >= len(c.match) {
		c.match = append(c.match, 0)
	}
	if c.match[combo] == 0 {
		c.match[combo] = -1
		if comboMatches(c.m, cs.list[combo]) {
			c.match[combo] = 1
		}
	}
	return c.match[combo] > 0
}

// Share is u's part of the measure: the measure over a set of units is the
// sum of their shares.
func (c *Column) Share(u *UnitData, cs *Combos) float64 {
	f := c.m.Filter
	switch c.m.Kind {
	case KindSum:
		if c.metric == communesMetric {
			return c.communes(u, cs)
		}
		fallthrough
	case KindCount:
		var v int64
		for _, cells := range u.Cells {
			for i := range cells {
				if c.matches(cells[i].Combo, cs) {
					v += cells[i].Metrics[c.metric]
				}
			}
		}
		return float64(v)
	case KindUnits:
		if !u.Known || !unitMatches(f, u.Info) || f.HasPlan && !u.Planned {
			return 0
		}
		if !f.NeedsActivity() {
			return 1
		}
		for _, cells := range u.Cells {
			for i := range cells {
				if cells[i].Records > 0 && c.matches(cells[i].Combo, cs) {
					return 1
				}
			}
		}
		return 0
	case KindAttr:
		if !u.Known || !unitMatches(f, u.Info) {
			return 0
		}
		if c.m.Arg == "staff" {
			return float64(u.Info.Staff)
		}
		return float64(u.Info.Pupils)
	case KindReport:
		return u.Reports[c.m.Arg]
	}
	return 0
}

// communes is u's part of sum(communes, …): the communes it reached, each
// once however many activities and years reached it. Adding the figure up
// would count a commune again for every broadcast and every year (the demo
// showed 274 communes reached in a province of 130). A commune or ward
// reaches itself, so its part is 1 when any matching activity reached a
// commune. Any other unit (a department, a district) reports how many
// communes an activity covered; without the communes' names the most that
// can be said is the widest coverage of one of its activities, which is
// the largest average of a cell of its totals (a cell adds up the
// activities of one kind in one year).
func (c *Column) communes(u *UnitData, cs *Combos) float64 {
	commune := u.Known && u.Info.Type == units.TypeCommune
	var widest int64
	for _, cells := range u.Cells {
		for i := range cells {
			cell := &cells[i]
			n := cell.Metrics[communesMetric]
			if n <= 0 || cell.Records <= 0 || !c.matches(cell.Combo, cs) {
				continue
			}
			if commune {
				return 1
			}
			widest = max(widest, (n+cell.Records-1)/cell.Records)
		}
	}
	return float64(widest)
}
