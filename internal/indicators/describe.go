package indicators

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"khienso/internal/i18n"
)

// Describe says in plain words what f computes, in l, for the people who
// read an indicator rather than write it: no function names and no codes,
// only the catalogue's names of activity types, channels, audiences, unit
// types and levels. reportField names a report field (report templates
// name their fields, the catalogue does not); nil or "" gives a generic
// phrase. Numbers are written as l writes them.
func Describe(f *Formula, l i18n.Lang, reportField func(code string) string) string {
	if f == nil || f.root == nil {
		return ""
	}
	d := describer{f: f, l: l, reportField: reportField}
	var s string
	if num, den, ok := f.Ratio(); ok && f.percent() {
		s = l.T("describe.percent", d.expr(num.root, 0), d.expr(den.root, 0))
	} else {
		s = d.expr(f.root, 0)
	}
	return capitalise(s) + "."
}

// percent reports whether a ratio is scaled by 100 (shown as a percentage).
func (f *Formula) percent() bool {
	var has100 func(n *node) bool
	has100 = func(n *node) bool {
		switch n.op {
		case 'n':
			return n.num == 100
		case '*':
			return has100(n.l) || has100(n.r)
		case '/':
			return has100(n.l)
		}
		return false
	}
	return has100(f.root)
}

type describer struct {
	f           *Formula
	l           i18n.Lang
	reportField func(string) string
}

// expr describes n; a compound operand of an operator of higher
// precedence is bracketed, as the formula itself would be.
func (d describer) expr(n *node, minPrec int) string {
	prec := precedence(n.op)
	var s string
	switch n.op {
	case 'n':
		s = d.number(n.num)
	case 'm':
		s = d.measure(d.f.measures[n.m])
	case 'u':
		s = d.l.T("describe.op.neg", d.expr(n.l, prec))
	default:
		s = d.l.T("describe.op."+opName(n.op), d.expr(n.l, prec), d.expr(n.r, prec+1))
	}
	if prec < minPrec && n.op != 'n' && n.op != 'm' {
		s = "(" + s + ")"
	}
	return s
}

func opName(op byte) string {
	switch op {
	case '+':
		return "add"
	case '-':
		return "sub"
	case '*':
		return "mul"
	}
	return "div"
}

// number writes x with l's separators: 1.234,5 in Vietnamese, 1,234.5 in
// English.
func (d describer) number(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	thousands, decimal := ".", ","
	if d.l == i18n.EN {
		thousands, decimal = ",", "."
	}
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(decimal + frac)
	}
	return b.String()
}

func (d describer) measure(m Measure) string {
	f := m.Filter
	switch m.Kind {
	case KindCount:
		return d.l.T("describe.count") + d.activityFilters(f.Types, f)
	case KindSum:
		return d.l.T("describe.sum."+m.Arg) + d.activityFilters(f.Types, f)
	case KindUnits:
		s := d.l.T("describe.units") + d.unitFilters(f)
		switch {
		case f.HasAny:
			s += d.l.T("describe.units.held_any") + d.activityFilters(nil, f)
		case len(f.Has) > 0:
			s += d.l.T("describe.units.held", d.list("activity.type.", f.Has)) + d.activityFilters(nil, f)
		case len(f.Channels) > 0 || len(f.Audiences) > 0:
			s += d.l.T("describe.units.held_any") + d.activityFilters(nil, f)
		}
		if f.HasPlan {
			s += d.l.T("describe.units.has_plan")
		}
		return s
	case KindAttr:
		return d.l.T("describe.attr."+m.Arg) + d.unitFilters(f)
	case KindReport:
		name := ""
		if d.reportField != nil {
			name = d.reportField(m.Arg)
		}
		if name == "" {
			return d.l.T("describe.report_unnamed")
		}
		return d.l.T("describe.report", name)
	}
	return ""
}

// activityFilters describes the activity filters: types (when given),
// channels and audiences.
func (d describer) activityFilters(types []string, f Filter) string {
	var s string
	if len(types) > 0 {
		s += d.l.T("describe.f.type", d.list("activity.type.", types))
	}
	if len(f.Channels) > 0 {
		s += d.l.T("describe.f.channel", d.list("activity.channel.", f.Channels))
	}
	if len(f.Audiences) > 0 {
		s += d.l.T("describe.f.audience", d.list("activity.audience.", f.Audiences))
	}
	return s
}

func (d describer) unitFilters(f Filter) string {
	var s string
	if len(f.UnitTypes) > 0 {
		s += d.l.T("describe.f.unit_type", d.list("unit.type.", f.UnitTypes))
	}
	if len(f.Levels) > 0 {
		s += d.l.T("describe.f.level", d.list("unit.level.", f.Levels))
	}
	return s
}

// list names values through the catalogue, quoted (names hold commas),
// joined by "or".
func (d describer) list(prefix string, values []string) string {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = d.l.T("describe.quote", d.l.T(prefix+v))
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + d.l.T("describe.or") + names[len(names)-1]
}

// capitalise writes the first letter in upper case (after any opening
// bracket).
func capitalise(s string) string {
	lead := len(s) - len(strings.TrimLeft(s, "("))
	r, n := utf8.DecodeRuneInString(s[lead:])
	if r == utf8.RuneError {
		return s
	}
	return s[:lead] + string(unicode.ToUpper(r)) + s[lead+n:]
}
