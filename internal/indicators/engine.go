package indicators

import (
	"khienso/internal/activities"
	"khienso/internal/units"
)

// The engine computes formula measures over groups of units (one group for
// a subtree, one per child for a breakdown) from the maintained activity
// totals, the unit directory, accepted report figures and the units that
// have their own plan. It is a single pass over the totals: each distinct
// (type, channel, audiences) combination is matched against each measure's
// filter once, so the per-row work is an array lookup.

// Combo is a distinct (type, channel, audience set) of activity totals.
type Combo struct {
	Type      string
	Channel   string
	Audiences activities.Set
}

// Row is the totals of one unit for one combo over the period.
type Row struct {
	Unit    int64
	Combo   int32
	Metrics [5]int64 // in activities.Metrics order: quantity, participants, views, copies, communes
}

// Totals are the activity totals of a period, combos interned.
type Totals struct {
	Combos []Combo
	Rows   []Row
	index  map[Combo]int32
}

// Add appends the totals of a unit for one combo, interning the combo.
func (t *Totals) Add(unit int64, c Combo, metrics [5]int64) {
	if t.index == nil {
		t.index = map[Combo]int32{}
	}
	id, ok := t.index[c]
	if !ok {
		id = int32(len(t.Combos))
		t.index[c] = id
		t.Combos = append(t.Combos, c)
	}
	t.Rows = append(t.Rows, Row{Unit: unit, Combo: id, Metrics: metrics})
}

// UnitInfo is what formulas may ask of a unit.
type UnitInfo struct {
	Type   units.Type
	Level  units.SchoolLevel
	Staff  int64
	Pupils int64
	Active bool // in force on the period's reference day (units() and attr() count only these)
}

// Facts is everything a computation reads.
type Facts struct {
	Units   map[int64]UnitInfo
	Totals  []*Totals                    // one per year of the period; shared and read-only
	Reports map[string]map[int64]float64 // field → unit → accepted value
	Planned map[int64]bool               // units with their own plan under the measured plan
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

// Compute returns, for each group g in [0, groups), the value of each
// measure: out[g][i] for measures[i]. groupOf maps every unit of the scope
// to its group; units not in it are outside the scope.
func Compute(measures []Measure, facts *Facts, groupOf map[int64]int, groups int) [][]float64 {
	out := make([][]float64, groups)
	for g := range out {
		out[g] = make([]float64, len(measures))
	}
	if len(measures) == 0 || groups == 0 {
		return out
	}
	// held[i] collects, for units() measures, the units that recorded a
	// matching activity.
	metric := make([]int, len(measures))
	held := make([]map[int64]bool, len(measures))
	for i, m := range measures {
		switch m.Kind {
		case KindCount, KindSum:
			metric[i] = metricIndex(m.Arg)
		case KindUnits:
			if m.Filter.NeedsActivity() {
				held[i] = map[int64]bool{}
			}
		}
	}
	for _, totals := range facts.Totals {
		// match[i][combo]: each distinct combination is matched once per
		// measure, so the per-row work below is an array lookup.
		match := make([][]bool, len(measures))
		for i, m := range measures {
			if m.Kind == KindCount || m.Kind == KindSum || held[i] != nil {
				match[i] = make([]bool, len(totals.Combos))
				for c, combo := range totals.Combos {
					match[i][c] = comboMatches(m, combo)
				}
			}
		}
		for _, r := range totals.Rows {
			g, ok := groupOf[r.Unit]
			if !ok {
				continue
			}
			for i, m := range measures {
				if match[i] == nil || !match[i][r.Combo] {
					continue
				}
				if m.Kind == KindUnits {
					held[i][r.Unit] = true
				} else {
					out[g][i] += float64(r.Metrics[metric[i]])
				}
			}
		}
	}
	for unit, g := range groupOf {
		info, ok := facts.Units[unit]
		for i, m := range measures {
			switch m.Kind {
			case KindUnits:
				if !ok || !unitMatches(m.Filter, info) {
					continue
				}
				if held[i] != nil && !held[i][unit] {
					continue
				}
				if m.Filter.HasPlan && !facts.Planned[unit] {
					continue
				}
				out[g][i]++
			case KindAttr:
				if !ok || !unitMatches(m.Filter, info) {
					continue
				}
				if m.Arg == "staff" {
					out[g][i] += float64(info.Staff)
				} else {
					out[g][i] += float64(info.Pupils)
				}
			case KindReport:
				out[g][i] += facts.Reports[m.Arg][unit]
			}
		}
	}
	return out
}
