package indicators

import (
	"math"

	"khienso/internal/dates"
	"khienso/internal/validation"
)

// Comparison says how an indicator's value is held against its target.
// Display names live in the catalogue under "attain.cmp.<value>".
type Comparison string

// The comparisons.
const (
	AtLeast Comparison = "at_least" // value ≥ Value
	AtMost  Comparison = "at_most"  // value ≤ Value
	Between Comparison = "between"  // Value ≤ value ≤ Max
)

// Comparisons lists every comparison in display order.
var Comparisons = []Comparison{AtLeast, AtMost, Between}

// Valid reports whether c is a known comparison.
func (c Comparison) Valid() bool { return c == AtLeast || c == AtMost || c == Between }

// Target is what an indicator should reach by the end of its period. Max
// is used only by Between.
type Target struct {
	Comparison Comparison
	Value, Max float64
}

// Validate checks the target; fields are "comparison", "value" and "max".
func (t Target) Validate() validation.Errors {
	var errs validation.Errors
	if !t.Comparison.Valid() {
		errs.Add("comparison", "attain.err.comparison")
	}
	if !finite(t.Value) {
		errs.Add("value", "attain.err.number")
	}
	if t.Comparison == Between {
		switch {
		case !finite(t.Max):
			errs.Add("max", "attain.err.number")
		case finite(t.Value) && t.Max < t.Value:
			errs.Add("max", "attain.err.max_order")
		}
	}
	return errs
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Status is the assessment of a value against its target. Display names
// live in the catalogue under "attain.status.<value>".
type Status string

// The statuses.
const (
	Achieved Status = "achieved"
	OnTrack  Status = "on_track"
	AtRisk   Status = "at_risk"
	Missed   Status = "missed"
	NoData   Status = "no_data"
)

// Progress is the outcome of Assess.
type Progress struct {
	Status Status
	// Expected is the value a steady pace would have reached by today
	// (Value × Elapsed) for at_least and between; 0 for at_most.
	Expected float64
	// Elapsed is the fraction of the period's days passed by the end of
	// today: 0 before the start, 1 from the last day on.
	Elapsed float64
}

// Assess compares value with t on today, within the period from
// periodStart to periodEnd (both included). defined false (or a value that
// is not finite, or an invalid comparison) gives NoData. The period is over
// only after its last day, so a shortfall on the last day is still AtRisk:
// late data may yet arrive. Comparisons allow a relative slack of 1e-9 so
// that a computed 56.99999999999999 meets a target of 57.
func Assess(t Target, value float64, defined bool, periodStart, periodEnd, today dates.Date) Progress {
	if periodEnd.Before(periodStart) {
		periodEnd = periodStart // treat a reversed period as its first day
	}
	p := Progress{Elapsed: elapsed(periodStart, periodEnd, today)}
	if t.Comparison != AtMost {
		p.Expected = t.Value * p.Elapsed
	}
	if !defined || !finite(value) || !t.Comparison.Valid() {
		p.Status = NoData
		return p
	}
	over := today.After(periodEnd)
	pace := func() Status { // for a value still below the lower bound
		switch {
		case over:
			return Missed
		case atLeast(value, p.Expected):
			return OnTrack
		default:
			return AtRisk
		}
	}
	switch t.Comparison {
	case AtLeast:
		if atLeast(value, t.Value) {
			p.Status = Achieved
		} else {
			p.Status = pace()
		}
	case AtMost:
		switch {
		case !atLeast(t.Value, value):
			p.Status = Missed
		case over:
			p.Status = Achieved
		default:
			p.Status = OnTrack
		}
	case Between:
		switch {
		case !atLeast(t.Max, value):
			p.Status = Missed
		case atLeast(value, t.Value) && over:
			p.Status = Achieved
		case atLeast(value, t.Value):
			p.Status = OnTrack
		default:
			p.Status = pace()
		}
	}
	return p
}

// atLeast is a ≥ b up to a relative slack, absorbing rounding in ratios.
func atLeast(a, b float64) bool {
	return a >= b-1e-9*math.Max(1, math.Abs(b))
}

// elapsed is the share of the days of [start, end] up to and including today.
func elapsed(start, end, today dates.Date) float64 {
	if today.Before(start) {
		return 0
	}
	if !today.Before(end) {
		return 1
	}
	total := dayNumber(end) - dayNumber(start) + 1
	return float64(dayNumber(today)-dayNumber(start)+1) / float64(total)
}

// dayNumber counts days since 1970-01-01; Unix seconds avoid the ±292-year
// limit of time.Duration for far-apart (or zero) dates. Start is local
// midnight in Vietnam, so shifting by the zone offset makes the division exact.
func dayNumber(d dates.Date) int64 {
	_, offset := d.Start().Zone()
	return (d.Start().Unix() + int64(offset)) / 86400
}

// Attainment is how much of its target a value reaches, from 0 to 1, for
// comparing units side by side: value/target below an at_least target (or
// the lower bound of a between one), 1 within it, target/value above an
// at_most target (or the upper bound of a between one). ok is false without
// a value or for an invalid comparison.
func Attainment(t Target, value float64, defined bool) (float64, bool) {
	if !defined || !finite(value) || !t.Comparison.Valid() {
		return 0, false
	}
	below := func(lo float64) float64 { // share of a lower bound reached
		if atLeast(value, lo) {
			return 1
		}
		if lo <= 0 {
			return 0
		}
		return math.Max(0, value/lo)
	}
	above := func(hi float64) float64 { // 1 within an upper bound, less past it
		if atLeast(hi, value) {
			return 1
		}
		if value <= 0 {
			return 0
		}
		return math.Max(0, hi/value)
	}
	switch t.Comparison {
	case AtLeast:
		return below(t.Value), true
	case AtMost:
		return above(t.Value), true
	}
	return math.Min(below(t.Value), above(t.Max)), true
}

// Share is a unit's part of the total of the unit a target was set for: a
// provincial target is not judged against one commune, whose value is
// shown as what it adds to the province's instead. ok is false when parts
// do not add up to the total (a ratio: a commune's rate is not a share of
// the province's) or without a positive total.
func Share(part float64, partDefined bool, total float64, totalDefined, ratio bool) (float64, bool) {
	if ratio || !partDefined || !totalDefined || !finite(part) || !finite(total) || total <= 0 {
		return 0, false
	}
	return part / total, true
}
