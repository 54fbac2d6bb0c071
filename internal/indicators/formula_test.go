package indicators

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"khienso/internal/i18n"
)

var testVocab = Vocabulary{
	ActivityTypes: []string{"seminar", "training_class", "contest", "drill"},
	Channels:      []string{"in_person", "online"},
	Audiences:     []string{"pupils", "staff", "public"},
	Metrics:       []string{"participants", "sessions"},
	UnitTypes:     []string{"school", "commune", "Department"}, // case folded on use
	Levels:        []string{"primary", "lower_secondary", "upper_secondary"},
	Attributes:    []string{"staff", "pupils"},
	ReportField:   func(c string) bool { return c == "trained_staff" || c == "incidents" },
}

func mustParse(t *testing.T, src string) *Formula {
	t.Helper()
	f, err := Parse(src, testVocab)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return f
}

func TestParseCanonical(t *testing.T) {
	cases := []struct {
		src, want string
		keys      []string
	}{
		{"1", "1", nil},
		{"  0.50 ", "0.5", nil},
		{"007", "7", nil},
		{"count()", "count()", []string{"count()"}},
		{"COUNT ( )", "count()", []string{"count()"}},
		{"count(Type = Seminar)", "count(type=seminar)", []string{"count(type=seminar)"}},
		{
			"sum(participants, type=training_class|seminar, audience=pupils)",
			"sum(participants, audience=pupils, type=seminar|training_class)",
			[]string{"sum(participants, audience=pupils, type=seminar|training_class)"},
		},
		{"count(type=seminar|seminar)", "count(type=seminar)", []string{"count(type=seminar)"}},
		{
			"100 * units(unit_type=school, level=upper_secondary|lower_secondary, has=any)\n\t/ units(unit_type=school, level=lower_secondary|upper_secondary)",
			"100 * units(has=any, level=lower_secondary|upper_secondary, unit_type=school) / units(level=lower_secondary|upper_secondary, unit_type=school)",
			[]string{
				"units(has=any, level=lower_secondary|upper_secondary, unit_type=school)",
				"units(level=lower_secondary|upper_secondary, unit_type=school)",
			},
		},
		{
			"units(has_plan=YES, unit_type=department, has=drill|contest, channel=online, audience=staff)",
			"units(audience=staff, channel=online, has=contest|drill, has_plan=yes, unit_type=department)",
			[]string{"units(audience=staff, channel=online, has=contest|drill, has_plan=yes, unit_type=department)"},
		},
		{"attr(pupils, level=primary, unit_type=school)", "attr(pupils, level=primary, unit_type=school)", []string{"attr(pupils, level=primary, unit_type=school)"}},
		{"report(Trained_Staff)", "report(trained_staff)", []string{"report(trained_staff)"}},
		// Precedence and brackets: only the needed ones are kept.
		{"(1+2)*3", "(1 + 2) * 3", nil},
		{"((1))+((2*3))", "1 + 2 * 3", nil},
		{"1-(2-3)", "1 - (2 - 3)", nil},
		{"(1-2)-3", "1 - 2 - 3", nil},
		{"1+(2+3)", "1 + (2 + 3)", nil},
		{"8/(4/2)", "8 / (4 / 2)", nil},
		{"8/4*2", "8 / 4 * 2", nil},
		{"8/(4*2)", "8 / (4 * 2)", nil},
		{"-1", "-1", nil},
		{"--1", "--1", nil},
		{"- (-1)", "--1", nil},
		{"-(1+2)", "-(1 + 2)", nil},
		{"-(2*3)", "-(2 * 3)", nil},
		{"-2*3", "-2 * 3", nil},
		{"2*-3", "2 * -3", nil},
		{"2--3", "2 - -3", nil},
		{"count()-count()", "count() - count()", []string{"count()"}},
		{
			"count(type=seminar) + count(type = seminar) + count(channel=online)",
			"count(type=seminar) + count(type=seminar) + count(channel=online)",
			[]string{"count(type=seminar)", "count(channel=online)"},
		},
		{"report(incidents)\n+\nreport(trained_staff)", "report(incidents) + report(trained_staff)", []string{"report(incidents)", "report(trained_staff)"}},
	}
	for _, c := range cases {
		f := mustParse(t, c.src)
		got := f.String()
		if got != c.want {
			t.Errorf("Parse(%q).String() = %q, want %q", c.src, got, c.want)
			continue
		}
		again := mustParse(t, got)
		if again.String() != got {
			t.Errorf("round trip of %q gives %q", got, again.String())
		}
		var keys []string
		for _, m := range f.Measures() {
			keys = append(keys, m.Key())
		}
		if !slices.Equal(keys, c.keys) {
			t.Errorf("Parse(%q) measures %q, want %q", c.src, keys, c.keys)
		}
	}
}

func TestMeasures(t *testing.T) {
	f := mustParse(t, "sum(participants, type=seminar|drill, channel=online) / units(has=drill, unit_type=school, has_plan=yes) + attr(staff) + report(incidents) + sum(participants, channel=online, type=drill|seminar)")
	want := []Measure{
		{Kind: KindSum, Arg: "participants", Filter: Filter{Types: []string{"drill", "seminar"}, Channels: []string{"online"}}},
		{Kind: KindUnits, Filter: Filter{Has: []string{"drill"}, UnitTypes: []string{"school"}, HasPlan: true}},
		{Kind: KindAttr, Arg: "staff"},
		{Kind: KindReport, Arg: "incidents"},
	}
	got := f.Measures()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Measures() =\n%#v\nwant\n%#v", got, want)
	}
	// The returned lists are copies.
	got[0].Filter.Types[0] = "contest"
	if f.Measures()[0].Filter.Types[0] != "drill" {
		t.Error("Measures() exposes the formula's own slices")
	}
	hasAny := mustParse(t, "units(has=any)").Measures()[0]
	if !hasAny.Filter.HasAny || hasAny.Filter.Has != nil || !hasAny.Filter.NeedsActivity() {
		t.Errorf("has=any measure = %#v", hasAny)
	}
	plain := mustParse(t, "units(unit_type=school, has_plan=yes)").Measures()[0]
	if plain.Filter.NeedsActivity() {
		t.Error("units() without activity filters should not need activities")
	}
	if !mustParse(t, "units(audience=pupils)").Measures()[0].Filter.NeedsActivity() {
		t.Error("an audience filter in units() needs activities")
	}
}

func TestMeasureKeySortsHandBuilt(t *testing.T) {
	m := Measure{Kind: KindCount, Filter: Filter{Types: []string{"seminar", "drill", "seminar"}, Audiences: []string{"staff"}}}
	if got, want := m.Key(), "count(audience=staff, type=drill|seminar)"; got != want {
		t.Errorf("Key() = %q, want %q", got, want)
	}
	if m.Filter.Types[0] != "seminar" {
		t.Error("Key() must not reorder the caller's slice")
	}
}

func TestEval(t *testing.T) {
	vals := map[string]float64{
		"count()":                          4,
		"count(type=seminar)":              0,
		"sum(participants)":                250,
		"attr(pupils)":                     1000,
		"report(incidents)":                -3,
		"units(unit_type=school)":          8,
		"units(has=any, unit_type=school)": 6,
	}
	cases := []struct {
		src  string
		want float64
		ok   bool
	}{
		{"1 + 2 * 3", 7, true},
		{"(1 + 2) * 3", 9, true},
		{"10 - 4 - 3", 3, true},
		{"10 - (4 - 3)", 9, true},
		{"8 / 4 / 2", 1, true},
		{"8 / (4 / 2)", 4, true},
		{"-2 * -3", 6, true},
		{"--5", 5, true},
		{"0.5 * count()", 2, true},
		{"sum(participants) / attr(pupils) * 100", 25, true},
		{"100 * units(unit_type=school, has=any) / units(unit_type=school)", 75, true},
		{"report(incidents) + 1", -2, true},
		{"count() / count(type=seminar)", 0, false}, // division by zero
		{"count(type=seminar) / count()", 0, true},  // zero numerator is fine
		{"1 / (count() - 4)", 0, false},             // computed zero divisor
		{"count(channel=online)", 0, false},         // missing value
		{"0 * count(channel=online)", 0, false},     // missing stays missing
	}
	for _, c := range cases {
		f := mustParse(t, c.src)
		got, ok := f.Eval(vals)
		if ok != c.ok || (ok && math.Abs(got-c.want) > 1e-12) {
			t.Errorf("Eval(%q) = %v, %v; want %v, %v", c.src, got, ok, c.want, c.ok)
		}
	}
	// Overflow and non-finite inputs are undefined rather than ±Inf/NaN.
	huge := mustParse(t, "count() * count()")
	if _, ok := huge.Eval(map[string]float64{"count()": 1e200}); ok {
		t.Error("overflow should be undefined")
	}
	if _, ok := huge.Eval(map[string]float64{"count()": math.NaN()}); ok {
		t.Error("NaN input should be undefined")
	}
	var nilF *Formula
	if _, ok := nilF.Eval(vals); ok || nilF.String() != "" || nilF.IsRatio() || nilF.Measures() != nil {
		t.Error("nil formula should be empty and undefined")
	}
	if _, ok := (&Formula{}).Eval(vals); ok {
		t.Error("zero formula should be undefined")
	}
}

func TestIsRatio(t *testing.T) {
	cases := map[string]bool{
		"count() / attr(pupils)":            true,
		"100 * count() / attr(pupils)":      true,
		"count() / attr(pupils) * 100":      true,
		"100 * (count() / attr(pupils))":    true,
		"(count() / attr(pupils))":          true,
		"count()":                           false,
		"count() + 1":                       false,
		"count() / attr(pupils) + 1":        false,
		"count() * (count() / attr(staff))": false,
		"-(count() / attr(staff))":          false,
	}
	for src, want := range cases {
		if got := mustParse(t, src).IsRatio(); got != want {
			t.Errorf("IsRatio(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		src  string
		key  string
		col  int
		args []any
	}{
		{"", "formula.err.empty", 1, nil},
		{" \n\t ", "formula.err.empty", 1, nil},
		{"1 +", "formula.err.unexpected_end", 4, nil},
		{"(", "formula.err.unexpected_end", 2, nil},
		{"1 + # 2", "formula.err.unexpected_char", 5, []any{"'#'"}},
		{"count() %", "formula.err.unexpected_char", 9, []any{"'%'"}},
		{"1 +\u200b2", "formula.err.unexpected_char", 4, []any{"U+200B"}},
		{"đếm()", "formula.err.unexpected_char", 1, []any{"'đ'"}},
		{"1 * )", "formula.err.expected_operand", 5, []any{"')'"}},
		{"+1", "formula.err.expected_operand", 1, []any{"'+'"}},
		{"()", "formula.err.expected_operand", 2, []any{"')'"}},
		{"1 2", "formula.err.expected_operator", 3, []any{"'2'"}},
		{"count() count()", "formula.err.expected_operator", 9, []any{"'c'"}},
		{"2(3)", "formula.err.expected_operator", 2, []any{"'('"}},
		{"(1 + 2", "formula.err.expected_close", 7, []any{1}},
		{"2 * (1 + 2 3", "formula.err.expected_close", 12, []any{5}},
		{"(1 + 2 #", "formula.err.unexpected_char", 8, []any{"'#'"}},
		{"1 + 2)", "formula.err.unmatched_close", 6, nil},
		{"1.", "formula.err.number", 1, []any{"1."}},
		{"2 * .5", "formula.err.number", 5, []any{".5"}},
		{"1.2.3", "formula.err.number", 1, []any{"1.2.3"}},
		{"3x", "formula.err.number", 1, []any{"3x"}},
		{"1" + strings.Repeat("0", 400), "formula.err.number_range", 1, []any{"1" + strings.Repeat("0", 400)}},
		{"count() * 0,5", "formula.err.decimal_comma", 12, []any{"0.5"}},
		{"summ(participants)", "formula.err.unknown_func_hint", 1, []any{"summ", "sum"}},
		{"1 + Cout()", "formula.err.unknown_func_hint", 5, []any{"cout", "count"}},
		{"unit()", "formula.err.unknown_func_hint", 1, []any{"unit", "units"}},
		{"average(x)", "formula.err.unknown_func", 1, []any{"average", "count, sum, units, attr, report"}},
		{"pupils", "formula.err.unknown_func", 1, []any{"pupils", "count, sum, units, attr, report"}},
		{"count", "formula.err.expected_open", 6, []any{"count"}},
		{"count + 1", "formula.err.expected_open", 7, []any{"count"}},
		{"count(", "formula.err.expected_close", 7, []any{6}},
		{"1 + count(type=seminar", "formula.err.expected_close", 23, []any{10}},
		{"count(type=seminar,", "formula.err.expected_close", 20, []any{6}},
		{"count(,)", "formula.err.expected_arg", 7, []any{"','"}},
		{"count(type=seminar, )", "formula.err.expected_arg", 21, []any{"')'"}},
		{"count(type=seminar; channel=online)", "formula.err.unexpected_char", 19, []any{"';'"}},
		{"count(type=seminar channel=online)", "formula.err.expected_comma", 20, []any{"'c'"}},
		{"count(type=)", "formula.err.value_missing", 12, []any{"type"}},
		{"count(type = )", "formula.err.value_missing", 14, []any{"type"}},
		{"count(type=seminar|)", "formula.err.value_missing", 20, []any{"type"}},
		{"count(type=", "formula.err.value_missing", 12, []any{"type"}},
		{"sum()", "formula.err.metric_needed", 5, []any{"participants, sessions"}},
		{"sum(type=seminar)", "formula.err.metric_needed", 5, []any{"participants, sessions"}},
		{"sum(pupils)", "formula.err.unknown_metric", 5, []any{"pupils", "participants, sessions"}},
		{"sum(participants, sessions)", "formula.err.extra_arg", 19, []any{"sessions", "sum"}},
		{"attr(unit_type=school)", "formula.err.attribute_needed", 6, []any{"staff, pupils"}},
		{"attr(budget)", "formula.err.unknown_attribute", 6, []any{"budget", "staff, pupils"}},
		{"attr(staff, type=seminar)", "formula.err.key_not_allowed", 13, []any{"attr", "type", "unit_type, level"}},
		{"report()", "formula.err.field_needed", 8, nil},
		{"report(1st)", "formula.err.field_malformed", 8, []any{"1st"}},
		{"report(_x)", "formula.err.field_malformed", 8, []any{"_x"}},
		{"report(budget)", "formula.err.unknown_field", 8, []any{"budget"}},
		{"report(incidents, type=seminar)", "formula.err.no_filters", 19, []any{"report"}},
		{"count(seminar)", "formula.err.positional", 7, []any{"count", "seminar"}},
		{"units(unit_type=school, school)", "formula.err.positional", 25, []any{"units", "school"}},
		{"count(level=primary)", "formula.err.key_not_allowed", 7, []any{"count", "level", "type, channel, audience"}},
		{"count(has=any)", "formula.err.key_not_allowed", 7, []any{"count", "has", "type, channel, audience"}},
		{"sum(sessions, chanel=online)", "formula.err.key_not_allowed", 15, []any{"sum", "chanel", "type, channel, audience"}},
		{"units(type=seminar)", "formula.err.units_type", 7, nil},
		{"count(type=seminar, channel=online, type=drill)", "formula.err.key_repeated", 37, []any{"type"}},
		{"count(type=webinar)", "formula.err.unknown_value", 12, []any{"webinar", "type", "seminar, training_class, contest, drill"}},
		{"count(type=seminar|webinar)", "formula.err.unknown_value", 20, []any{"webinar", "type", "seminar, training_class, contest, drill"}},
		{"count(channel=radio)", "formula.err.unknown_value", 15, []any{"radio", "channel", "in_person, online"}},
		{"count(audience=kids)", "formula.err.unknown_value", 16, []any{"kids", "audience", "pupils, staff, public"}},
		{"units(unit_type=bank)", "formula.err.unknown_value", 17, []any{"bank", "unit_type", "school, commune, department"}},
		{"units(level=college)", "formula.err.unknown_value", 13, []any{"college", "level", "primary, lower_secondary, upper_secondary"}},
		{"units(has=talk)", "formula.err.unknown_value", 11, []any{"talk", "has", "any, seminar, training_class, contest, drill"}},
		{"units(has_plan=no)", "formula.err.unknown_value", 16, []any{"no", "has_plan", "yes"}},
		{"units(has=seminar|any)", "formula.err.has_any", 19, nil},
		{"units(has=any|drill)", "formula.err.has_any", 15, nil},
		{strings.Repeat("(", 33) + "1" + strings.Repeat(")", 33), "formula.err.too_deep", 33, []any{MaxDepth}},
		{strings.Repeat("1+", 1000) + "1", "formula.err.too_long", 2001, []any{MaxLen}},
		{strings.Repeat(" ", MaxTotalLen) + "1", "formula.err.too_long_total", MaxTotalLen + 1, []any{MaxTotalLen}},
		// The first error wins; positions count runes, not bytes.
		{"đ", "formula.err.unexpected_char", 1, []any{"'đ'"}},
		{"\"ă\" + )", "formula.err.unexpected_char", 1, []any{"'\"'"}},
		{"1 + (đ)", "formula.err.unexpected_char", 6, []any{"'đ'"}},
	}
	for _, c := range cases {
		f, err := Parse(c.src, testVocab)
		if f != nil {
			t.Errorf("Parse(%.60q) returned a formula with the error", c.src)
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%.60q) error = %v, want *Error %s", c.src, err, c.key)
			continue
		}
		if e.Key != c.key || e.Pos+1 != c.col || !reflect.DeepEqual(e.Args, c.args) {
			t.Errorf("Parse(%.60q) = {col %d, %s, %#v}, want {col %d, %s, %#v}", c.src, e.Pos+1, e.Key, e.Args, c.col, c.key, c.args)
		}
		// Every message exists in both languages and takes exactly its arguments.
		for _, l := range i18n.Langs {
			if !i18n.Has(e.Key) {
				t.Errorf("%s: no catalogue entry", e.Key)
			}
			fe := e.FieldError("formula")
			msg := l.T(fe.Reason, fe.Args...)
			if msg == e.Key || strings.Contains(msg, "%!") {
				t.Errorf("%s in %s renders badly: %q", e.Key, l, msg)
			}
		}
	}
}

func TestPathologicalInput(t *testing.T) {
	// Deep unary minus chains and long flat sums stay within the limits and
	// neither recurse unboundedly nor panic.
	long := strings.Repeat("-", MaxLen-1) + "1"
	f := mustParse(t, long)
	if v, ok := f.Eval(nil); !ok || v != -1 { // odd count of minus signs
		t.Errorf("Eval(%d minus signs) = %v, %v", MaxLen-1, v, ok)
	}
	if mustParse(t, f.String()).String() != f.String() {
		t.Error("unary chain does not round trip")
	}
	flat := strings.Repeat("count(type=seminar)+", 99) + "1" // < MaxLen
	g := mustParse(t, flat)
	if len(g.Measures()) != 1 {
		t.Errorf("flat sum has %d measures", len(g.Measures()))
	}
	// The canonical form adds spaces but never exceeds the limits.
	dense := strings.Repeat("1*", (MaxLen-1)/2) + "1"
	h := mustParse(t, dense)
	if mustParse(t, h.String()).String() != h.String() {
		t.Error("dense formula does not round trip")
	}
	// Exactly MaxDepth brackets is allowed.
	mustParse(t, strings.Repeat("(", MaxDepth)+"1"+strings.Repeat(")", MaxDepth))
	// Garbage never panics.
	for _, s := range []string{"\xff\xfe", "count(\x00)", "((((", "))))", "|=,.", "count(=)", "count(a=b=c)", "sum(,)", "-", "- -", "report(Ä)"} {
		if _, err := Parse(s, testVocab); err == nil {
			t.Errorf("Parse(%q) accepted garbage", s)
		}
	}
}

func TestNilReportFieldAcceptsAnyCode(t *testing.T) {
	v := testVocab
	v.ReportField = nil
	if _, err := Parse("report(anything_2)", v); err != nil {
		t.Errorf("nil ReportField rejected a well-formed code: %v", err)
	}
}

func TestErrorText(t *testing.T) {
	_, err := Parse("summ(participants)", testVocab)
	if got, want := err.Error(), "formula: column 1: unknown function 'summ'; did you mean sum?"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var e *Error
	errors.As(err, &e)
	fe := e.FieldError("formula")
	if fe.Field != "formula" || fe.Reason != "formula.err.unknown_func_hint" || !reflect.DeepEqual(fe.Args, []any{1, "summ", "sum"}) {
		t.Errorf("FieldError = %#v", fe)
	}
	if got, want := i18n.VI.T(fe.Reason, fe.Args...), "cột 1: không có hàm 'summ'; có phải ý bạn là sum?"; got != want {
		t.Errorf("vi = %q, want %q", got, want)
	}
}

// FuzzParse checks that no input panics and every accepted formula prints
// to a canonical form that parses back to itself. The seeds run with go test.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"100 * units(unit_type=school, has=any) / units(unit_type=school)",
		"sum(participants, type=seminar|drill) - -(1.5 * count())",
		"attr(staff, level=primary) / (report(incidents) + 1)",
		"((1)) - 2 - (3 - 4) / 5", "count(type=seminar,", "0,5", "--1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		g, err := Parse(src, testVocab)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Pos < 0 || e.Pos > len([]rune(src)) {
				t.Fatalf("Parse(%q) bad error %v", src, err)
			}
			return
		}
		s := g.String()
		h, err := Parse(s, testVocab)
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", s, src, err)
		}
		if h.String() != s {
			t.Fatalf("canonical %q reprints as %q", s, h.String())
		}
		vals := map[string]float64{}
		for i, m := range g.Measures() {
			vals[m.Key()] = float64(i + 1)
		}
		a, okA := g.Eval(vals)
		b, okB := h.Eval(vals)
		if okA != okB || (okA && a != b) {
			t.Fatalf("%q evaluates differently after reprinting", src)
		}
	})
}

func TestRatioParts(t *testing.T) {
	cases := []struct{ src, num, den string }{
		{"count() / attr(pupils)", "count()", "attr(pupils)"},
		{"100 * count() / attr(pupils)", "count()", "attr(pupils)"},
		{"count() / attr(pupils) * 100", "count()", "attr(pupils)"},
		{"100 * (count() / attr(pupils))", "count()", "attr(pupils)"},
		{"(count() + sum(sessions)) / (2 * attr(staff))", "count() + sum(sessions)", "attr(staff)"},
	}
	for _, c := range cases {
		num, den, ok := mustParse(t, c.src).Ratio()
		if !ok || num.String() != c.num || den.String() != c.den {
			t.Errorf("Ratio(%q) = %q / %q (%v), want %q / %q", c.src, num.String(), den.String(), ok, c.num, c.den)
		}
	}
	if _, _, ok := mustParse(t, "count() + 1").Ratio(); ok {
		t.Error("a sum is not a ratio")
	}
	num, _, _ := mustParse(t, "100 * (count() + sum(sessions)) / count()").Ratio()
	if got := num.Keys(); len(got) != 2 || got[0] != "count()" || got[1] != "sum(sessions)" {
		t.Errorf("numerator keys = %v", got)
	}
}
