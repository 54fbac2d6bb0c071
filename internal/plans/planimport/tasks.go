package planimport

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"khienso/internal/textnorm"
)

// Task is one row of a plan's task table.
type Task struct {
	Section       string    `json:"section"`        // e.g. "I. Tăng cường vai trò lãnh đạo của Đảng, quản lý của Nhà nước"
	Number        string    `json:"number"`         // "1", "2"… as written within the section (without a trailing ".")
	Content       string    `json:"content"`        // paragraphs joined by "\n"
	LeadText      string    `json:"lead_text"`      // lead cell as written
	CoordText     string    `json:"coord_text"`     // coordinating cell as written
	TimeframeText string    `json:"timeframe_text"` // timeframe cell as written
	Timeframe     Timeframe `json:"timeframe"`      // zero Kind when the cell was not recognised (see Notes)
	Inherited     bool      `json:"inherited"`      // some cells were merged with the row above and copied from it
	Line          int       `json:"line"`           // 1-based line (text) or table row (DOCX, header included) where the task starts
	Notes         []Note    `json:"notes,omitempty"`
}

// Where an error points: a line of text or a row of a DOCX table. The
// catalogue has one message per place so that both read naturally.
const (
	atLine = "line"
	atRow  = "row"
)

func errAt(where, what string, line int, args ...any) *Error {
	return &Error{Line: line, Key: "planimport.err." + where + "." + what, Args: append([]any{line}, args...)}
}

// column roles of the task table.
type role int

const (
	roleNone role = iota
	roleNo
	roleContent
	roleLead
	roleCoord
	roleTime
	roleCount
)

// headerRole recognises a header cell, tolerant of diacritics, case and
// wording ("STT"/"TT", "Nội dung"/"Nhiệm vụ", "Thời gian"/"Tiến độ").
func headerRole(cell string) role {
	if utf8.RuneCountInString(cell) > 80 {
		return roleNone
	}
	toks := strings.FieldsFunc(textnorm.Fold(cell), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	f := " " + strings.Join(toks, " ") + " "
	switch {
	case f == " stt " || f == " tt " || f == " so tt " || f == " so thu tu ":
		return roleNo
	case strings.Contains(f, " chu tri "):
		return roleLead
	case strings.Contains(f, " phoi hop "):
		return roleCoord
	case strings.Contains(f, " thoi gian ") || strings.Contains(f, " tien do ") || strings.Contains(f, " thoi han "):
		return roleTime
	case strings.Contains(f, " noi dung ") || strings.Contains(f, " nhiem vu ") || strings.Contains(f, " cong viec ") || strings.Contains(f, " hoat dong "):
		return roleContent
	}
	return roleNone
}

var (
	letterHead = regexp.MustCompile(`^([A-Z])[.)](?:\s+(\S.*))?$`)
	romanAlone = regexp.MustCompile(`^([IVXLC]{1,7})\s*[.):]?$`)
	romanTitle = regexp.MustCompile(`^([IVXLC]{1,7})(?:\s*[.):]|\s+[-–])\s*(\S.*)$`)
	numAlone   = regexp.MustCompile(`^(\d{1,3}(?:\.\d{1,3})*)[.)]?$`)
	numInline  = regexp.MustCompile(`^(\d{1,3}(?:\.\d{1,3})*)([.)]?)\s+(\S.*)$`)
	colNumber  = regexp.MustCompile(`^\(?\d{1,2}\)?$`)
)

// romanHeading reads a section numeral, alone ("I.") or followed by the
// title ("I. Tăng cường…"); a capital letter with a dot ("A.") also opens a
// section in some plans.
func romanHeading(s string) (numeral, title string, ok bool) {
	if m := romanAlone.FindStringSubmatch(s); m != nil && validRoman(m[1]) {
		return m[1], "", true
	}
	if m := romanTitle.FindStringSubmatch(s); m != nil && validRoman(m[1]) {
		return m[1], strings.TrimSpace(m[2]), true
	}
	if m := letterHead.FindStringSubmatch(s); m != nil {
		return m[1], strings.TrimSpace(m[2]), true
	}
	return "", "", false
}

// validRoman accepts canonical numerals up to 399, so that words made of
// the letters I, V, X, L, C are not taken for numerals.
func validRoman(s string) bool {
	n := 0
	vals := map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100}
	for i := 0; i < len(s); i++ {
		v := vals[s[i]]
		if i+1 < len(s) && vals[s[i+1]] > v {
			n -= v
		} else {
			n += v
		}
	}
	return n > 0 && n < 400 && toRoman(n) == s
}

func toRoman(n int) string {
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for n >= p.v {
			b.WriteString(p.s)
			n -= p.v
		}
	}
	return b.String()
}

func sectionLabel(numeral, title string) string {
	numeral = strings.TrimRight(numeral, ".):")
	if title == "" {
		return numeral + "."
	}
	if numeral == "" {
		return title
	}
	return numeral + ". " + title
}

// builder collects tasks, keeping the current section and the task above
// for merged cells.
type builder struct {
	where   string
	section string
	tasks   []Task
}

func (b *builder) setSection(label string) { b.section = label }

// inherit says which cells of a row were merged with the row above.
type inherit struct{ lead, coord, time bool }

func (i inherit) any() bool { return i.lead || i.coord || i.time }

// add completes t (section, inherited cells, parsed timeframe, notes) and
// appends it.
func (b *builder) add(t Task, inh inherit) error {
	t.Section = b.section
	t.Number = strings.TrimRight(strings.TrimSpace(t.Number), ".)")
	if inh.any() {
		if len(b.tasks) == 0 {
			return errAt(b.where, "first_inherited", t.Line, t.Number)
		}
		prev := b.tasks[len(b.tasks)-1]
		if inh.lead {
			t.LeadText = prev.LeadText
		}
		if inh.coord {
			t.CoordText = prev.CoordText
		}
		if inh.time {
			t.TimeframeText = prev.TimeframeText
		}
		t.Inherited = true
		if inh.lead && inh.coord && inh.time {
			t.Notes = append(t.Notes, Note{Key: NoteInherited})
		} else {
			t.Notes = append(t.Notes, Note{Key: NoteInheritedPart})
		}
	}
	t.readTimeframe()
	if t.Number == "" {
		t.Notes = append(t.Notes, Note{Key: NoteNoNumber})
	} else if n := len(b.tasks); n > 0 && b.tasks[n-1].Section == t.Section {
		prev, err1 := strconv.Atoi(b.tasks[n-1].Number)
		cur, err2 := strconv.Atoi(t.Number)
		if err1 == nil && err2 == nil && cur != prev+1 {
			t.Notes = append(t.Notes, Note{Key: NoteNumberGap, Args: []any{t.Number, b.tasks[n-1].Number}})
		}
	}
	b.tasks = append(b.tasks, t)
	return nil
}

// timeframeNotes are the notes readTimeframe adds.
var timeframeNotes = map[string]bool{NoteTimeframeMissing: true, NoteTimeframeUnparsed: true,
	NoteTimeframeRecurring: true, NoteTimeframeYearlyDue: true}

// readTimeframe parses the task's timeframe cell and notes what the
// reviewer should check: a cell missing or not understood, a period the
// task table does not keep.
func (t *Task) readTimeframe() {
	tf, ok := ParseTimeframe(t.TimeframeText)
	t.Timeframe = tf
	switch {
	case ok && tf.Every != "":
		t.Notes = append(t.Notes, Note{Key: NoteTimeframeRecurring, Args: []any{t.TimeframeText}})
	case ok && tf.DueMonth != 0:
		t.Notes = append(t.Notes, Note{Key: NoteTimeframeYearlyDue, Args: []any{fmt.Sprintf("%02d/%02d", tf.DueDay, tf.DueMonth)}})
	case ok:
	case strings.TrimSpace(t.TimeframeText) == "":
		t.Notes = append(t.Notes, Note{Key: NoteTimeframeMissing})
	default:
		t.Notes = append(t.Notes, Note{Key: NoteTimeframeUnparsed, Args: []any{t.TimeframeText}})
	}
}

// --- tables read cell by cell (tab-separated text and DOCX) ---

type gridCell struct {
	text   string
	merged bool // a vertically merged continuation: text is the value from above
}

type gridRow struct {
	line  int
	cells [roleCount]gridCell
	wide  string // text of a single cell spanning the number and content columns (a heading row)
	notes []Note // guesses made while reading the row's cells (pasted text)
}

func (r *gridRow) cell(ro role) string { return strings.TrimSpace(r.cells[ro].text) }

func (r *gridRow) empty() bool {
	if r.wide != "" {
		return false
	}
	for ro := roleNo; ro < roleCount; ro++ {
		if r.cell(ro) != "" {
			return false
		}
	}
	return true
}

// header reports whether the row repeats the table header (tables split
// over pages repeat it).
func (r *gridRow) header() bool {
	for ro := roleNo; ro < roleCount; ro++ {
		if headerRole(r.cell(ro)) != ro {
			return false
		}
	}
	return true
}

// columnNumbers reports a row "(1) (2) (3)…" numbering the columns.
func (r *gridRow) columnNumbers() bool {
	for ro := roleNo; ro < roleCount; ro++ {
		if c := r.cell(ro); c != "" && !colNumber.MatchString(c) {
			return false
		}
	}
	return r.cell(roleContent) != ""
}

// grid turns table rows into tasks.
func (b *builder) grid(rows []gridRow) error {
	for k := range rows {
		r := &rows[k]
		if r.empty() || r.header() || r.columnNumbers() {
			continue
		}
		if r.wide != "" {
			if num, title, ok := romanHeading(r.wide); ok {
				b.setSection(sectionLabel(num, title))
			} else {
				b.setSection(strings.TrimSpace(r.wide))
			}
			continue
		}
		no, content := r.cell(roleNo), r.cell(roleContent)
		if num, title, ok := romanHeading(no); ok {
			if title == "" {
				title = content
			}
			b.setSection(sectionLabel(num, title))
			continue
		}
		if r.cells[roleNo].merged && len(b.tasks) > 0 {
			// The number cell spans several rows: they are one task.
			b.continueTask(r)
			continue
		}
		rest := r.cell(roleLead) == "" && r.cell(roleCoord) == "" && r.cell(roleTime) == "" &&
			!r.cells[roleLead].merged && !r.cells[roleCoord].merged && !r.cells[roleTime].merged
		if content == "" {
			return errAt(b.where, "no_content", r.line, no)
		}
		if rest && (no == "" || letterSection(no) || subsection(no, rows[k+1:])) {
			// A heading row without a numeral ("Nhiệm vụ chung"), lettered
			// ("A") or an Arabic section ("1" followed by "1.1").
			b.setSection(sectionLabel(no, content))
			continue
		}
		t := Task{Number: no, Content: content, LeadText: r.cell(roleLead), CoordText: r.cell(roleCoord),
			TimeframeText: r.cell(roleTime), Line: r.line, Notes: slices.Clone(r.notes)}
		inh := inherit{lead: r.cells[roleLead].merged, coord: r.cells[roleCoord].merged, time: r.cells[roleTime].merged}
		if rest {
			inh = inherit{true, true, true}
		}
		if err := b.add(t, inh); err != nil {
			return err
		}
	}
	return nil
}

func letterSection(no string) bool {
	return len(no) == 1 && no[0] >= 'A' && no[0] <= 'Z'
}

// subsection reports whether the next numbered row extends number no
// ("1" then "1.1"), making row no a heading.
func subsection(no string, next []gridRow) bool {
	for i := range next {
		n := next[i].cell(roleNo)
		if n == "" {
			continue
		}
		return strings.HasPrefix(n, strings.TrimRight(no, ".)")+".") && len(n) > len(strings.TrimRight(no, ".)"))+1
	}
	return false
}

// continueTask appends a row whose number cell is merged with the row
// above to the task above.
func (b *builder) continueTask(r *gridRow) {
	t := &b.tasks[len(b.tasks)-1]
	join := func(dst *string, c gridCell) {
		if c.merged || strings.TrimSpace(c.text) == "" {
			return
		}
		if *dst != "" {
			*dst += "\n"
		}
		*dst += strings.TrimSpace(c.text)
	}
	join(&t.Content, r.cells[roleContent])
	join(&t.LeadText, r.cells[roleLead])
	join(&t.CoordText, r.cells[roleCoord])
	before := t.TimeframeText
	join(&t.TimeframeText, r.cells[roleTime])
	if t.TimeframeText != before {
		// Re-read the joined cell and replace the notes about the old one.
		t.Notes = slices.DeleteFunc(t.Notes, func(n Note) bool { return timeframeNotes[n.Key] })
		t.readTimeframe()
	}
	for _, n := range t.Notes {
		if n.Key == NoteContinued {
			return
		}
	}
	t.Notes = append(t.Notes, Note{Key: NoteContinued, Args: []any{r.line}})
}
