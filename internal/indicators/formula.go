// Package indicators is the language coordinators use to define indicators
// (chỉ tiêu) as stored, editable formulas over measures of the programme's
// data, and the assessment of an indicator's value against its target.
//
// A formula combines numbers and measures with + - * / and brackets:
//
//	100 * units(unit_type=school, level=lower_secondary|upper_secondary, has=any)
//	    / units(unit_type=school, level=lower_secondary|upper_secondary)
//
// This package only parses, validates, prints and evaluates formulas; the
// values of the measures are computed elsewhere and handed to Eval keyed by
// Measure.Key.
package indicators

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"khienso/internal/i18n"
	"khienso/internal/textnorm"
	"khienso/internal/validation"
)

// Limits that keep pathological input cheap to reject. Whitespace does not
// count towards MaxLen so that the canonical form, which adds spaces, always
// parses again; MaxTotalLen still bounds the work for whitespace-only bloat.
const (
	MaxLen      = 2000  // characters other than whitespace
	MaxTotalLen = 10000 // all characters
	MaxDepth    = 32    // nesting of brackets
)

// Vocabulary holds the codes a formula may use. Codes are matched case
// insensitively and must be [a-z0-9_]+ to be writable in a formula.
type Vocabulary struct {
	ActivityTypes, Channels, Audiences, Metrics, UnitTypes, Levels, Attributes []string
	// ReportField tells whether code is a numeric field of periodic
	// reports; nil accepts any well-formed code.
	ReportField func(code string) bool
}

// Kind is the function of a measure.
type Kind string

// The measure functions.
const (
	KindCount  Kind = "count"  // number of matching activities
	KindSum    Kind = "sum"    // sum of a reach metric over matching activities
	KindUnits  Kind = "units"  // number of matching units
	KindAttr   Kind = "attr"   // sum of a unit attribute over matching units
	KindReport Kind = "report" // sum of a field of accepted periodic reports
)

// Filter restricts the activities or units a measure looks at. An empty
// list means "no restriction"; values are lower case, sorted and distinct.
type Filter struct {
	Types, Channels, Audiences []string // activity filters
	UnitTypes, Levels          []string // unit filters
	Has                        []string // units(): the unit held an activity of one of these types
	HasAny                     bool     // units(): the unit held an activity of any type
	HasPlan                    bool     // units(): the unit has its own plan implementing the measured plan
}

// NeedsActivity reports whether units() counts only units that themselves
// have at least one matching activity in the period (has=, channel= or
// audience= given).
func (f Filter) NeedsActivity() bool {
	return f.HasAny || len(f.Has) > 0 || len(f.Types) > 0 || len(f.Channels) > 0 || len(f.Audiences) > 0
}

// Measure is one leaf of a formula: a function call with its arguments.
type Measure struct {
	Kind   Kind
	Arg    string // the metric (sum), attribute (attr) or field (report)
	Filter Filter
}

// Key is the canonical text of the call, e.g.
// "sum(participants, audience=pupils, type=seminar|training_class)": filter
// keys and alternative values are sorted, so equal measures have equal keys.
func (m Measure) Key() string {
	parts := make([]string, 0, 8)
	if m.Arg != "" {
		parts = append(parts, m.Arg)
	}
	add := func(key string, vals []string) {
		if len(vals) > 0 {
			parts = append(parts, key+"="+strings.Join(sortedSet(vals), "|"))
		}
	}
	f := m.Filter
	add("audience", f.Audiences)
	add("channel", f.Channels)
	if f.HasAny {
		add("has", []string{"any"})
	} else {
		add("has", f.Has)
	}
	if f.HasPlan {
		add("has_plan", []string{"yes"})
	}
	add("level", f.Levels)
	add("type", f.Types)
	add("unit_type", f.UnitTypes)
	return string(m.Kind) + "(" + strings.Join(parts, ", ") + ")"
}

func sortedSet(vals []string) []string {
	out := slices.Clone(vals)
	slices.Sort(out)
	return slices.Compact(out)
}

// Formula is a parsed, valid formula. The zero value and nil evaluate to
// undefined and print as "".
type Formula struct {
	root     *node
	measures []Measure
	keys     []string // keys[i] = measures[i].Key()
}

type node struct {
	op   byte // 'n' number, 'm' measure, 'u' negation, or + - * /
	num  float64
	m    int // index into Formula.measures
	l, r *node
}

// Error is a precise parse or validation error. Its catalogue message takes
// the column (Pos+1) as first argument, then Args.
type Error struct {
	Pos  int    // 0-based rune offset in the source
	Key  string // catalogue key
	Args []any
}

func (e *Error) args() []any { return append([]any{e.Pos + 1}, e.Args...) }

// Error renders the message in English.
func (e *Error) Error() string { return "formula: " + i18n.EN.T(e.Key, e.args()...) }

// FieldError turns e into a validation error for the form field holding
// the formula; the column comes first in Args, as the message expects.
func (e *Error) FieldError(field string) validation.FieldError {
	return validation.FieldError{Field: field, Reason: e.Key, Args: e.args()}
}

type argKind int

const (
	argNone argKind = iota
	argMetric
	argAttribute
	argField
)

type funcSpec struct {
	kind Kind
	arg  argKind
	keys []string // allowed filter keys, in the order shown to users
}

var funcs = []funcSpec{
	{KindCount, argNone, []string{"type", "channel", "audience"}},
	{KindSum, argMetric, []string{"type", "channel", "audience"}},
	{KindUnits, argNone, []string{"unit_type", "level", "has", "has_plan", "channel", "audience"}},
	{KindAttr, argAttribute, []string{"unit_type", "level"}},
	{KindReport, argField, nil},
}

func funcNames() []string {
	out := make([]string, len(funcs))
	for i, f := range funcs {
		out[i] = string(f.kind)
	}
	return out
}

// Parse reads and validates a formula. The error, if any, is an *Error.
func Parse(src string, v Vocabulary) (*Formula, error) {
	f, err := parse(src, v)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// vocab is a Vocabulary prepared for lookups.
type vocab struct {
	lists       map[string][]string // by filter key, plus "metric" and "attribute"
	reportField func(string) bool
}

func newVocab(v Vocabulary) vocab {
	lower := func(xs []string) []string {
		out := make([]string, 0, len(xs))
		for _, x := range xs {
			x = strings.ToLower(x)
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
		return out
	}
	types := lower(v.ActivityTypes)
	return vocab{
		lists: map[string][]string{
			"type":      types,
			"channel":   lower(v.Channels),
			"audience":  lower(v.Audiences),
			"unit_type": lower(v.UnitTypes),
			"level":     lower(v.Levels),
			"has":       append([]string{"any"}, types...),
			"has_plan":  {"yes"},
			"metric":    lower(v.Metrics),
			"attribute": lower(v.Attributes),
		},
		reportField: v.ReportField,
	}
}

type parser struct {
	src   []rune
	pos   int
	depth int
	v     vocab
	f     *Formula
	index map[string]int // measure key → index
}

func errAt(pos int, key string, args ...any) *Error {
	return &Error{Pos: pos, Key: key, Args: args}
}

func parse(src string, v Vocabulary) (*Formula, *Error) {
	rs := []rune(src)
	if len(rs) > MaxTotalLen {
		return nil, errAt(MaxTotalLen, "formula.err.too_long_total", MaxTotalLen)
	}
	n := 0
	for i, r := range rs {
		if unicode.IsSpace(r) {
			continue
		}
		if n++; n > MaxLen {
			return nil, errAt(i, "formula.err.too_long", MaxLen)
		}
	}
	if n == 0 {
		return nil, errAt(0, "formula.err.empty")
	}
	p := &parser{src: rs, v: newVocab(v), f: &Formula{}, index: map[string]int{}}
	root, err := p.expr()
	if err != nil {
		return nil, err
	}
	p.skip()
	if !p.eof() {
		c := p.peek()
		switch {
		case c == ')':
			return nil, errAt(p.pos, "formula.err.unmatched_close")
		case isJunk(c):
			return nil, p.unexpected()
		default:
			return nil, errAt(p.pos, "formula.err.expected_operator", describe(c))
		}
	}
	p.f.root = root
	return p.f, nil
}

func (p *parser) eof() bool  { return p.pos >= len(p.src) }
func (p *parser) peek() rune { return p.src[p.pos] }

func (p *parser) skip() {
	for !p.eof() && unicode.IsSpace(p.peek()) {
		p.pos++
	}
}

func (p *parser) unexpected() *Error {
	return errAt(p.pos, "formula.err.unexpected_char", describe(p.peek()))
}

func isDigit(r rune) bool     { return r >= '0' && r <= '9' }
func isLetter(r rune) bool    { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isWordRune(r rune) bool  { return isLetter(r) || isDigit(r) || r == '_' }
func isNameStart(r rune) bool { return isLetter(r) || r == '_' }

// isJunk reports characters that have no place anywhere in a formula, so
// "unexpected character" is the most precise thing to say about them.
func isJunk(r rune) bool {
	return !isWordRune(r) && !unicode.IsSpace(r) && !strings.ContainsRune("+-*/()=,|.", r)
}

// describe shows a character in a message; invisible ones by code point.
func describe(r rune) string {
	if unicode.IsPrint(r) && r != ' ' {
		return "'" + string(r) + "'"
	}
	return fmt.Sprintf("U+%04X", r)
}

// word reads [A-Za-z0-9_]+ and lowercases it; the caller checks the first rune.
func (p *parser) word() string {
	start := p.pos
	for !p.eof() && isWordRune(p.peek()) {
		p.pos++
	}
	return strings.ToLower(string(p.src[start:p.pos]))
}

// Sums and products loop instead of recursing, so only brackets deepen the
// recursion, and those are bounded by MaxDepth.
func (p *parser) expr() (*node, *Error) {
	l, err := p.term()
	if err != nil {
		return nil, err
	}
	for {
		p.skip()
		if p.eof() || (p.peek() != '+' && p.peek() != '-') {
			return l, nil
		}
		op := byte(p.peek())
		p.pos++
		r, err := p.term()
		if err != nil {
			return nil, err
		}
		l = &node{op: op, l: l, r: r}
	}
}

func (p *parser) term() (*node, *Error) {
	l, err := p.factor()
	if err != nil {
		return nil, err
	}
	for {
		p.skip()
		if p.eof() || (p.peek() != '*' && p.peek() != '/') {
			return l, nil
		}
		op := byte(p.peek())
		p.pos++
		r, err := p.factor()
		if err != nil {
			return nil, err
		}
		l = &node{op: op, l: l, r: r}
	}
}

func (p *parser) factor() (*node, *Error) {
	neg := 0
	for {
		p.skip()
		if p.eof() || p.peek() != '-' {
			break
		}
		neg++
		p.pos++
	}
	n, err := p.primary()
	if err != nil {
		return nil, err
	}
	for range neg {
		n = &node{op: 'u', l: n}
	}
	return n, nil
}

func (p *parser) primary() (*node, *Error) {
	p.skip()
	if p.eof() {
		return nil, errAt(p.pos, "formula.err.unexpected_end")
	}
	c := p.peek()
	switch {
	case c == '(':
		open := p.pos
		if p.depth >= MaxDepth {
			return nil, errAt(open, "formula.err.too_deep", MaxDepth)
		}
		p.depth++
		p.pos++
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		p.skip()
		if !p.eof() && p.peek() != ')' && isJunk(p.peek()) {
			return nil, p.unexpected()
		}
		if p.eof() || p.peek() != ')' {
			return nil, errAt(p.pos, "formula.err.expected_close", open+1)
		}
		p.pos++
		p.depth--
		return n, nil
	case isDigit(c) || c == '.':
		return p.number()
	case isNameStart(c):
		return p.call()
	case isJunk(c):
		return nil, p.unexpected()
	default:
		return nil, errAt(p.pos, "formula.err.expected_operand", describe(c))
	}
}

func (p *parser) number() (*node, *Error) {
	start := p.pos
	// Take the whole run of word characters and dots, so "1.2.3" or "2x"
	// is reported as one malformed number rather than a confusing remainder.
	for !p.eof() && (isWordRune(p.peek()) || p.peek() == '.') {
		p.pos++
	}
	text := string(p.src[start:p.pos])
	if !wellFormedNumber(text) {
		return nil, errAt(start, "formula.err.number", text)
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(v, 0) {
		return nil, errAt(start, "formula.err.number_range", text)
	}
	// Vietnamese writes decimals with a comma; catch "0,5" with a hint.
	if p.pos+1 < len(p.src) && p.src[p.pos] == ',' && isDigit(p.src[p.pos+1]) {
		end := p.pos + 1
		for end < len(p.src) && isDigit(p.src[end]) {
			end++
		}
		return nil, errAt(p.pos, "formula.err.decimal_comma", text+"."+string(p.src[p.pos+1:end]))
	}
	return &node{op: 'n', num: v}, nil
}

// wellFormedNumber accepts digits, optionally followed by '.' and digits.
func wellFormedNumber(s string) bool {
	intPart, frac, hasDot := strings.Cut(s, ".")
	allDigits := func(x string) bool {
		if x == "" {
			return false
		}
		for _, r := range x {
			if !isDigit(r) {
				return false
			}
		}
		return true
	}
	return allDigits(intPart) && (!hasDot || allDigits(frac))
}

// arg is one argument of a call as written.
type arg struct {
	pos    int
	word   string // the bareword, or the key of key=value
	valued bool
	values []string
	vpos   []int
}

func (p *parser) call() (*node, *Error) {
	start := p.pos
	name := p.word()
	idx := slices.IndexFunc(funcs, func(f funcSpec) bool { return string(f.kind) == name })
	if idx < 0 {
		if s := closest(name, funcNames()); s != "" {
			return nil, errAt(start, "formula.err.unknown_func_hint", name, s)
		}
		return nil, errAt(start, "formula.err.unknown_func", name, strings.Join(funcNames(), ", "))
	}
	spec := funcs[idx]
	p.skip()
	if p.eof() || p.peek() != '(' {
		return nil, errAt(p.pos, "formula.err.expected_open", name)
	}
	open := p.pos
	p.pos++
	args, closePos, err := p.args(open)
	if err != nil {
		return nil, err
	}
	m, err := p.measure(spec, args, closePos)
	if err != nil {
		return nil, err
	}
	key := m.Key()
	i, ok := p.index[key]
	if !ok {
		i = len(p.f.measures)
		p.index[key] = i
		p.f.measures = append(p.f.measures, m)
		p.f.keys = append(p.f.keys, key)
	}
	return &node{op: 'm', m: i}, nil
}

// args reads the arguments after the '(' at open, up to and including the
// closing ')', whose position it returns.
func (p *parser) args(open int) ([]arg, int, *Error) {
	var out []arg
	p.skip()
	if !p.eof() && p.peek() == ')' {
		p.pos++
		return nil, p.pos - 1, nil
	}
	for {
		p.skip()
		if p.eof() {
			return nil, 0, errAt(p.pos, "formula.err.expected_close", open+1)
		}
		if c := p.peek(); !isWordRune(c) {
			if isJunk(c) {
				return nil, 0, p.unexpected()
			}
			return nil, 0, errAt(p.pos, "formula.err.expected_arg", describe(c))
		}
		a := arg{pos: p.pos} // read pos before word() moves it
		a.word = p.word()
		p.skip()
		if !p.eof() && p.peek() == '=' {
			p.pos++
			a.valued = true
			for {
				p.skip()
				if p.eof() || !isWordRune(p.peek()) {
					return nil, 0, errAt(p.pos, "formula.err.value_missing", a.word)
				}
				a.vpos = append(a.vpos, p.pos)
				a.values = append(a.values, p.word())
				p.skip()
				if p.eof() || p.peek() != '|' {
					break
				}
				p.pos++
			}
		}
		out = append(out, a)
		p.skip()
		if p.eof() {
			return nil, 0, errAt(p.pos, "formula.err.expected_close", open+1)
		}
		switch c := p.peek(); {
		case c == ',':
			p.pos++
		case c == ')':
			p.pos++
			return out, p.pos - 1, nil
		case isJunk(c):
			return nil, 0, p.unexpected()
		default:
			return nil, 0, errAt(p.pos, "formula.err.expected_comma", describe(c))
		}
	}
}

// measure checks the arguments of a call against its function and the
// vocabulary and builds the measure.
func (p *parser) measure(spec funcSpec, args []arg, closePos int) (Measure, *Error) {
	m := Measure{Kind: spec.kind}
	fn := string(spec.kind)
	rest := args
	if spec.arg != argNone {
		if len(args) == 0 || args[0].valued {
			pos := closePos
			if len(args) > 0 {
				pos = args[0].pos
			}
			switch spec.arg {
			case argMetric:
				return m, errAt(pos, "formula.err.metric_needed", list(p.v.lists["metric"]))
			case argAttribute:
				return m, errAt(pos, "formula.err.attribute_needed", list(p.v.lists["attribute"]))
			default:
				return m, errAt(pos, "formula.err.field_needed")
			}
		}
		a := args[0]
		switch spec.arg {
		case argMetric:
			if !slices.Contains(p.v.lists["metric"], a.word) {
				return m, errAt(a.pos, "formula.err.unknown_metric", a.word, list(p.v.lists["metric"]))
			}
		case argAttribute:
			if !slices.Contains(p.v.lists["attribute"], a.word) {
				return m, errAt(a.pos, "formula.err.unknown_attribute", a.word, list(p.v.lists["attribute"]))
			}
		default:
			if !isLetter(rune(a.word[0])) {
				return m, errAt(a.pos, "formula.err.field_malformed", a.word)
			}
			if p.v.reportField != nil && !p.v.reportField(a.word) {
				return m, errAt(a.pos, "formula.err.unknown_field", a.word)
			}
		}
		m.Arg = a.word
		rest = args[1:]
	}
	seen := map[string]bool{}
	for _, a := range rest {
		if !a.valued {
			if spec.arg != argNone {
				return m, errAt(a.pos, "formula.err.extra_arg", a.word, fn)
			}
			return m, errAt(a.pos, "formula.err.positional", fn, a.word)
		}
		if len(spec.keys) == 0 {
			return m, errAt(a.pos, "formula.err.no_filters", fn)
		}
		if !slices.Contains(spec.keys, a.word) {
			if spec.kind == KindUnits && a.word == "type" {
				return m, errAt(a.pos, "formula.err.units_type")
			}
			return m, errAt(a.pos, "formula.err.key_not_allowed", fn, a.word, strings.Join(spec.keys, ", "))
		}
		if seen[a.word] {
			return m, errAt(a.pos, "formula.err.key_repeated", a.word)
		}
		seen[a.word] = true
		allowed := p.v.lists[a.word]
		sawAny, sawType := false, false
		for i, val := range a.values {
			if !slices.Contains(allowed, val) {
				return m, errAt(a.vpos[i], "formula.err.unknown_value", val, a.word, list(allowed))
			}
			if a.word == "has" {
				if val == "any" {
					sawAny = true
				} else {
					sawType = true
				}
				if sawAny && sawType {
					return m, errAt(a.vpos[i], "formula.err.has_any")
				}
			}
		}
		vals := sortedSet(a.values)
		f := &m.Filter
		switch a.word {
		case "type":
			f.Types = vals
		case "channel":
			f.Channels = vals
		case "audience":
			f.Audiences = vals
		case "unit_type":
			f.UnitTypes = vals
		case "level":
			f.Levels = vals
		case "has":
			if sawAny {
				f.HasAny = true
			} else {
				f.Has = vals
			}
		case "has_plan":
			f.HasPlan = true
		}
	}
	return m, nil
}

// list shows allowed values in a message; "—" when there are none.
func list(xs []string) string {
	if len(xs) == 0 {
		return "—"
	}
	return strings.Join(xs, ", ")
}

// closest returns the candidate within edit distance 2 of s (the nearest,
// earliest on ties), or "".
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := textnorm.Distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Measures lists the distinct measures of f in order of first appearance.
func (f *Formula) Measures() []Measure {
	if f == nil {
		return nil
	}
	out := make([]Measure, len(f.measures))
	for i, m := range f.measures {
		// Copy the value lists so callers cannot alter the formula.
		m.Filter.Types = slices.Clone(m.Filter.Types)
		m.Filter.Channels = slices.Clone(m.Filter.Channels)
		m.Filter.Audiences = slices.Clone(m.Filter.Audiences)
		m.Filter.UnitTypes = slices.Clone(m.Filter.UnitTypes)
		m.Filter.Levels = slices.Clone(m.Filter.Levels)
		m.Filter.Has = slices.Clone(m.Filter.Has)
		out[i] = m
	}
	return out
}

// Eval computes f from the measure values, keyed by Measure.Key. It reports
// false when the result is undefined: a value is missing or not finite, a
// division by zero, or an overflow.
func (f *Formula) Eval(values map[string]float64) (float64, bool) {
	if f == nil || f.root == nil {
		return 0, false
	}
	v, ok := f.eval(f.root, values)
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

func (f *Formula) eval(n *node, values map[string]float64) (float64, bool) {
	switch n.op {
	case 'n':
		return n.num, true
	case 'm':
		v, ok := values[f.keys[n.m]]
		return v, ok && !math.IsNaN(v) && !math.IsInf(v, 0)
	case 'u':
		v, ok := f.eval(n.l, values)
		return -v, ok
	}
	a, ok := f.eval(n.l, values)
	if !ok {
		return 0, false
	}
	b, ok := f.eval(n.r, values)
	if !ok {
		return 0, false
	}
	var v float64
	switch n.op {
	case '+':
		v = a + b
	case '-':
		v = a - b
	case '*':
		v = a * b
	case '/':
		if b == 0 {
			return 0, false
		}
		v = a / b
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// String prints f canonically: lower case, measures by Key, single spaces
// around operators and only the brackets the structure needs (a right
// operand of equal precedence keeps its brackets, so the tree is kept).
func (f *Formula) String() string {
	if f == nil || f.root == nil {
		return ""
	}
	var b strings.Builder
	f.write(&b, f.root, 0)
	return b.String()
}

func precedence(op byte) int {
	switch op {
	case '+', '-':
		return 1
	case '*', '/':
		return 2
	case 'u':
		return 3
	}
	return 4
}

func (f *Formula) write(b *strings.Builder, n *node, minPrec int) {
	prec := precedence(n.op)
	if prec < minPrec {
		b.WriteByte('(')
		defer b.WriteByte(')')
	}
	switch n.op {
	case 'n':
		b.WriteString(strconv.FormatFloat(n.num, 'f', -1, 64))
	case 'm':
		b.WriteString(f.keys[n.m])
	case 'u':
		b.WriteByte('-')
		f.write(b, n.l, prec)
	default:
		f.write(b, n.l, prec)
		b.WriteByte(' ')
		b.WriteByte(n.op)
		b.WriteByte(' ')
		f.write(b, n.r, prec+1)
	}
}

// IsRatio reports whether f is a ratio, shown as a percentage-like value:
// its top operator is '/', or '*' of a division and a number (a/b*100).
func (f *Formula) IsRatio() bool {
	if f == nil || f.root == nil {
		return false
	}
	r := f.root
	switch r.op {
	case '/':
		return true
	case '*':
		return r.l.op == 'n' && r.r.op == '/' || r.r.op == 'n' && r.l.op == '/'
	}
	return false
}

// Ratio splits a ratio (see IsRatio) into its numerator and denominator,
// without the constant factor that makes a percentage: 100 * a / b gives
// a and b. Both share f's measures; ok is false when f is not a ratio.
func (f *Formula) Ratio() (num, den *Formula, ok bool) {
	if !f.IsRatio() {
		return nil, nil, false
	}
	div := f.root
	if div.op == '*' {
		div = div.l
		if div.op != '/' {
			div = f.root.r
		}
	}
	sub := func(n *node) *Formula {
		// A constant factor (100 * a) is the unit of the ratio, not part
		// of what is counted.
		for n.op == '*' && (n.l.op == 'n') != (n.r.op == 'n') {
			if n.l.op == 'n' {
				n = n.r
			} else {
				n = n.l
			}
		}
		return &Formula{root: n, measures: f.measures, keys: f.keys}
	}
	return sub(div.l), sub(div.r), true
}

// Keys lists the keys of the measures f uses, in order of first
// appearance (a part of a formula from Ratio uses only some of them).
func (f *Formula) Keys() []string {
	if f == nil || f.root == nil {
		return nil
	}
	var out []string
	var walk func(n *node)
	walk = func(n *node) {
		if n == nil {
			return
		}
		if n.op == 'm' && !slices.Contains(out, f.keys[n.m]) {
			out = append(out, f.keys[n.m])
		}
		walk(n.l)
		walk(n.r)
	}
	walk(f.root)
	return out
}
