package activities

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/officedoc"
	"khienso/internal/units"
)

// The activity file format: one header row, then one activity per row.
// Columns are recognised by their English key (unit_code) or a Vietnamese
// or English header, ignoring case, diacritics and punctuation, in any
// order. Vocabulary cells (type, channel, audiences) take the code or the
// label in either language. Problems are reported with the same Issue and
// Report as the unit importer, so both reports look and read alike.

// Issue and Report are the unit importer's: row, column, value and reason.
type (
	Issue  = units.Issue
	Report = units.Report
)

// Column is one column of the activity file, named by its English key.
type Column string

// The columns, in the order the template writes them.
const (
	ColUnitCode     Column = "unit_code"
	ColType         Column = "type"
	ColTitle        Column = "title"
	ColChannel      Column = "channel"
	ColStart        Column = "start"
	ColEnd          Column = "end"
	ColAudiences    Column = "audiences"
	ColQuantity     Column = "quantity"
	ColParticipants Column = "participants"
	ColViews        Column = "views"
	ColCopies       Column = "copies"
	ColCommunes     Column = "communes"
	ColDescription  Column = "description"
	ColEvidenceLink Column = "evidence_link"
)

type columnDef struct {
	key      Column
	header   string
	aliases  []string
	required bool
}

var columnDefs = []columnDef{
	{ColUnitCode, "Mã đơn vị", []string{"Đơn vị", "Unit code", "Unit"}, true},
	{ColType, "Loại hoạt động", []string{"Loại", "Activity type"}, true},
	{ColTitle, "Tên hoạt động", []string{"Tên", "Nội dung", "Activity"}, true},
	{ColChannel, "Kênh", []string{"Kênh tuyên truyền", "Hình thức"}, true},
	{ColStart, "Ngày bắt đầu", []string{"Từ ngày", "Ngày", "Start date", "Date"}, true},
	{ColEnd, "Ngày kết thúc", []string{"Đến ngày", "End date"}, false},
	{ColAudiences, "Đối tượng", []string{"Đối tượng tiếp cận", "Audience"}, true},
	{ColQuantity, "Số lượng", []string{"Số lượng lớp, tin bài, buổi"}, false},
	{ColParticipants, "Số người tham gia", []string{"Số người", "Số lượt người"}, false},
	{ColViews, "Lượt xem/nghe", []string{"Lượt xem", "Lượt nghe"}, false},
	{ColCopies, "Số bản phát hành", []string{"Số bản"}, false},
	{ColCommunes, "Số xã, phường được phủ sóng", []string{"Số xã", "Số xã phường"}, false},
	{ColDescription, "Mô tả", []string{"Ghi chú"}, false},
	{ColEvidenceLink, "Đường dẫn minh chứng", []string{"Minh chứng", "Evidence", "Link"}, false},
}

var headerIndex = sync.OnceValue(func() map[string]Column {
	m := map[string]Column{}
	for _, d := range columnDefs {
		for _, h := range append([]string{string(d.key), d.header}, d.aliases...) {
			m[units.HeaderKey(h)] = d.key
		}
	}
	return m
})

// Columns lists the file's columns in template order.
func Columns() []Column {
	out := make([]Column, len(columnDefs))
	for i, d := range columnDefs {
		out[i] = d.key
	}
	return out
}

func (c Column) def() columnDef {
	for _, d := range columnDefs {
		if d.key == c {
			return d
		}
	}
	return columnDef{key: c, header: string(c)}
}

// Header is the Vietnamese header the template writes for c.
func (c Column) Header() string { return c.def().header }

// Required reports whether a file must have column c.
func (c Column) Required() bool { return c.def().required }

// Limits on an imported file.
const (
	MaxImportBytes = 10 << 20
	MaxImportRows  = 20_000
)

// Sheet is a parsed file: its header and non-blank rows.
type Sheet struct {
	Header  []string
	Columns []Column // by header position; "" for a blank header
	Rows    []Row
}

// Row is one data row; Line is the spreadsheet row number.
type Row struct {
	Line  int
	Cells []string
}

func (s *Sheet) position(c Column) int { return slices.Index(s.Columns, c) }

func fileError(reason string, args ...string) Report { return Report{{Reason: reason, Args: args}} }

// ParseFile reads an XLSX workbook (first sheet) or a CSV file, with the
// same rules as unit files (units.ReadRows). A file that cannot be read is
// a Report error.
func ParseFile(name string, r io.Reader) (*Sheet, error) {
	b := &sheetBuilder{sheet: &Sheet{}}
	if _, err := units.ReadRows(name, r, MaxImportBytes, b); err != nil {
		return nil, err
	}
	if b.sheet.Header == nil {
		return nil, fileError("import.err.empty")
	}
	return b.sheet, nil
}

type sheetBuilder struct{ sheet *Sheet }

// Add takes one row of the file (see units.RowSink).
func (b *sheetBuilder) Add(line int, cells []string) error {
	blank := true
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			blank = false
			break
		}
	}
	if blank {
		return nil
	}
	if b.sheet.Header == nil {
		return b.header(line, cells)
	}
	if len(b.sheet.Rows) >= MaxImportRows {
		return fileError("import.err.too_many_rows", strconv.Itoa(MaxImportRows))
	}
	b.sheet.Rows = append(b.sheet.Rows, Row{Line: line, Cells: cells})
	return nil
}

// HeaderName is the header of column i as written, or "".
func (b *sheetBuilder) HeaderName(i int) string {
	if i < len(b.sheet.Header) {
		return b.sheet.Header[i]
	}
	return ""
}

func (b *sheetBuilder) header(line int, cells []string) error {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	s := b.sheet
	s.Header, s.Columns = make([]string, n), make([]Column, n)
	var rep Report
	seen := map[Column]int{}
	for i, h := range cells[:n] {
		h = strings.TrimSpace(h)
		s.Header[i] = h
		if h == "" {
			continue
		}
		c, ok := headerIndex()[units.HeaderKey(h)]
		if !ok {
			rep = append(rep, Issue{Row: line, Col: i + 1, Column: units.DisplayValue(h), Value: units.DisplayValue(h), Reason: "import.err.unknown_column"})
			continue
		}
		if first, dup := seen[c]; dup {
			rep = append(rep, Issue{Row: line, Col: i + 1, Column: units.DisplayValue(h), Value: units.DisplayValue(h),
				Reason: "import.err.duplicate_column", Args: []string{Issue{Col: first + 1}.ColumnLetter()}})
			continue
		}
		seen[c] = i
		s.Columns[i] = c
	}
	for _, d := range columnDefs {
		if _, ok := seen[d.key]; d.required && !ok {
			rep = append(rep, Issue{Row: line, Column: d.header, Reason: "activity.import.missing_column", Args: []string{d.header}})
		}
	}
	if len(rep) > 0 {
		return rep
	}
	return nil
}

// ---------------------------------------------------------------- values

// catalogueValue is how the template's lists write a vocabulary value:
// its label in language l, then its code in parentheses ("Lớp tập huấn,
// bồi dưỡng (training_class)"), so that a value copied from the lists is
// read back as it is.
func catalogueValue(l i18n.Lang, kind, code string) string {
	return l.T("activity."+kind+"."+code) + " (" + code + ")"
}

// labelIndex maps folded codes, labels and catalogue values (vi and en) of
// the vocabularies to their codes, keyed "<kind>.<folded>".
var labelIndex = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	add := func(kind string, codes []string) {
		for _, c := range codes {
			for _, k := range []string{c, i18n.VI.T("activity." + kind + "." + c), i18n.EN.T("activity." + kind + "." + c),
				catalogueValue(i18n.VI, kind, c), catalogueValue(i18n.EN, kind, c)} {
				key := kind + "." + units.HeaderKey(k)
				if _, taken := m[key]; !taken {
					m[key] = c
				}
			}
		}
	}
	add("type", TypeNames())
	add("channel", ChannelNames())
	add("audience", AudienceNames())
	return m
})

// ParseType reads a type written as its code, its label in either
// language or the template's catalogue value (label and code), ignoring
// case and diacritics.
func ParseType(v string) (Type, bool) {
	t, ok := labelIndex()["type."+units.HeaderKey(v)]
	return Type(t), ok && units.HeaderKey(v) != ""
}

// ParseChannel reads a channel like ParseType.
func ParseChannel(v string) (Channel, bool) {
	c, ok := labelIndex()["channel."+units.HeaderKey(v)]
	return Channel(c), ok && units.HeaderKey(v) != ""
}

// ParseAudiences reads audiences separated by ';' (or new lines), each as
// code or label; it returns the set and the parts it did not recognise.
func ParseAudiences(v string) (Set, []string) {
	var s Set
	var bad []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '\n' }) {
		k := units.HeaderKey(part)
		if k == "" {
			continue
		}
		a, ok := labelIndex()["audience."+k]
		if !ok {
			bad = append(bad, strings.TrimSpace(part))
			continue
		}
		s |= SetOf(Audience(a))
	}
	return s, bad
}

var groupedNumber = regexp.MustCompile(`^\d{1,3}([., ]\d{3})+$`)

// parseFigure reads a whole number: plain, grouped by thousands (1.234) or
// a spreadsheet's integral decimal (25.0); blank is 0.
func parseFigure(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, true
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, true
	}
	if groupedNumber.MatchString(v) {
		n, err := strconv.ParseInt(strings.NewReplacer(".", "", ",", "", " ", "").Replace(v), 10, 64)
		return n, err == nil
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return int64(f), true
	}
	return 0, false
}

// ---------------------------------------------------------------- rows

// Resolver finds the unit of a code for an import: its id, or a catalogue
// key saying why the row may not use it (unknown, out of the importer's
// scope), with arguments.
type Resolver func(code string) (id int64, reason string, args []string)

// Parsed is one valid row.
type Parsed struct {
	Row      int
	UnitCode string
	Activity *Activity
}

// ReadRows checks every row of sheet and returns the valid activities and
// the problems, ordered by row and column. A row with any problem is not in
// the list. Rows are checked as recorded on day today (see Latest).
func ReadRows(sheet *Sheet, resolve Resolver, today dates.Date) ([]Parsed, Report) {
	var out []Parsed
	var rep Report
	for _, r := range sheet.Rows {
		p, issues := readRow(sheet, r, resolve, today)
		if len(issues) > 0 {
			rep = append(rep, issues...)
			continue
		}
		out = append(out, p)
	}
	sort.SliceStable(rep, func(i, j int) bool {
		if rep[i].Row != rep[j].Row {
			return rep[i].Row < rep[j].Row
		}
		return rep[i].Col < rep[j].Col
	})
	return out, rep
}

// fieldColumn maps a domain validation field to its file column.
var fieldColumn = map[string]Column{
	"unit": ColUnitCode, "type": ColType, "title": ColTitle, "channel": ColChannel, "start": ColStart, "end": ColEnd,
	"audiences": ColAudiences, "quantity": ColQuantity, "participants": ColParticipants, "views": ColViews,
	"copies": ColCopies, "communes": ColCommunes, "description": ColDescription, "evidence_link": ColEvidenceLink,
}

func readRow(sheet *Sheet, r Row, resolve Resolver, today dates.Date) (Parsed, Report) {
	var rep Report
	cell := func(c Column) string {
		pos := sheet.position(c)
		if pos < 0 || pos >= len(r.Cells) {
			return ""
		}
		v := strings.TrimSpace(r.Cells[pos])
		// Undo the quote spreadsheets put before text that looks like a formula.
		if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
			v = v[1:]
		}
		return v
	}
	issue := func(c Column, value, reason string, args ...string) {
		is := Issue{Row: r.Line, Value: units.DisplayValue(value), Reason: reason, Args: args}
		if pos := sheet.position(c); pos >= 0 {
			is.Col, is.Column = pos+1, sheet.Header[pos]
		} else {
			is.Column = c.Header()
		}
		rep = append(rep, is)
	}
	a := &Activity{Title: cell(ColTitle), Description: cell(ColDescription), EvidenceLink: cell(ColEvidenceLink)}
	code := cell(ColUnitCode)
	if code == "" {
		issue(ColUnitCode, "", "err.required")
	} else {
		id, reason, args := resolve(code)
		if reason != "" {
			issue(ColUnitCode, code, reason, args...)
		}
		a.UnitID = id
	}
	own := map[string]bool{} // fields already reported here, not by Validate
	if v := cell(ColType); v != "" {
		t, ok := ParseType(v)
		if !ok {
			issue(ColType, v, "activity.err.type")
			own["type"] = true
		}
		a.Type = t
	}
	if v := cell(ColChannel); v != "" {
		c, ok := ParseChannel(v)
		if !ok {
			issue(ColChannel, v, "activity.err.channel")
			own["channel"] = true
		}
		a.Channel = c
	}
	for _, d := range []struct {
		col  Column
		dst  *dates.Date
		name string
	}{{ColStart, &a.Start, "start"}, {ColEnd, &a.End, "end"}} {
		v := cell(d.col)
		if v == "" {
			continue
		}
		day, err := units.ParseImportDate(v)
		if err != nil {
			issue(d.col, v, "import.err.date")
			own[d.name] = true
			continue
		}
		*d.dst = day
	}
	if v := cell(ColAudiences); v != "" {
		set, bad := ParseAudiences(v)
		if len(bad) > 0 {
			issue(ColAudiences, v, "activity.import.audience", strings.Join(bad, "; "))
			own["audiences"] = true
		}
		a.Audiences = set
	}
	for _, m := range []struct {
		col Column
		dst *int64
	}{{ColQuantity, &a.Quantity}, {ColParticipants, &a.Participants}, {ColViews, &a.Views}, {ColCopies, &a.Copies}, {ColCommunes, &a.Communes}} {
		v := cell(m.col)
		n, ok := parseFigure(v)
		if !ok {
			issue(m.col, v, "err.number")
			own[string(m.col)] = true
		}
		*m.dst = n
	}
	for _, e := range a.ValidateOn(today) {
		if own[e.Field] || e.Field == "unit" { // the unit code is checked above
			continue
		}
		c := fieldColumn[e.Field]
		args := make([]string, len(e.Args))
		for i, x := range e.Args {
			args[i] = fmt.Sprint(x)
		}
		issue(c, cell(c), e.Reason, args...)
	}
	if len(rep) > 0 {
		return Parsed{}, rep
	}
	return Parsed{Row: r.Line, UnitCode: code, Activity: a}, nil
}

// ---------------------------------------------------------------- template

// templateWidths are the template's column widths, in characters.
var templateWidths = map[Column]float64{ColUnitCode: 12, ColType: 26, ColTitle: 48, ColChannel: 20, ColStart: 13, ColEnd: 13,
	ColAudiences: 36, ColQuantity: 10, ColParticipants: 14, ColViews: 13, ColCopies: 10, ColCommunes: 10, ColDescription: 40,
	ColEvidenceLink: 40}

// Template writes an XLSX file with the header row and an example row, and
// a second sheet listing the accepted types, channels and audiences.
func Template(w io.Writer) error {
	example := []any{"X1", i18n.VI.T("activity.type.training_class"), "Tập huấn kỹ năng nhận diện lừa đảo trực tuyến",
		i18n.VI.T("activity.channel.in_person"), "15/03/2026", "15/03/2026",
		i18n.VI.T("activity.audience.civil_servants") + "; " + i18n.VI.T("activity.audience.citizens"),
		"1", "120", "", "", "", "", "https://example.gov.vn/tin-tuc/tap-huan"}
	cols := make([]officedoc.Column, len(columnDefs))
	for i, d := range columnDefs {
		cols[i] = officedoc.Column{Header: d.header, Width: templateWidths[d.key]}
		if d.required {
			cols[i].Header += " *"
		}
	}
	main := officedoc.Sheet{Name: i18n.VI.T("activity.xlsx.sheet"), Columns: cols,
		Rows: func(r *officedoc.SheetRows) error { return r.Add(example...) }}

	// The lists: one column per kind, each value with its English key.
	var lists []officedoc.Column
	var values [][]string
	for _, l := range []struct {
		title, kind string
		codes       []string
	}{{"activity.field.type", "type", TypeNames()}, {"activity.field.channel", "channel", ChannelNames()}, {"activity.field.audiences", "audience", AudienceNames()}} {
		lists = append(lists, officedoc.Column{Header: i18n.VI.T(l.title), Width: 44})
		var col []string
		for _, c := range l.codes {
			col = append(col, catalogueValue(i18n.VI, l.kind, c))
		}
		values = append(values, col)
	}
	catalogue := officedoc.Sheet{Name: i18n.VI.T("activity.xlsx.lists"), Columns: lists,
		Rows: func(r *officedoc.SheetRows) error {
			for row := 0; ; row++ {
				cells := make([]any, len(values))
				more := false
				for i, col := range values {
					if row < len(col) {
						cells[i], more = col[row], true
					}
				}
				if !more {
					return nil
				}
				if err := r.Add(cells...); err != nil {
					return err
				}
			}
		}}
	if err := officedoc.WriteXLSX(w, main, catalogue); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return nil
}
