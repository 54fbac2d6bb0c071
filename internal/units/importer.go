package units

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/textnorm"
	"khienso/internal/validation"
)

// The unit file format. A file (XLSX or CSV) has one header row naming its
// columns and one row per unit. Columns are recognised by their English key
// (parent_code) or their Vietnamese header (Mã đơn vị cấp trên), ignoring
// case, diacritics and punctuation, and may come in any order; only the code
// column is mandatory. A missing column leaves that attribute of existing
// units as it is; a present but blank cell clears it.

// Column is one column of the unit file format, named by its English key.
type Column string

// The columns, in the order Export writes them.
const (
	ColCode          Column = "code"
	ColName          Column = "name"
	ColShortName     Column = "short_name"
	ColType          Column = "type"
	ColSchoolLevel   Column = "school_level"
	ColParentCode    Column = "parent_code"
	ColHeadName      Column = "head_name"
	ColFocalName     Column = "focal_name"
	ColFocalPhone    Column = "focal_phone"
	ColFocalEmail    Column = "focal_email"
	ColStaffCount    Column = "staff_count"
	ColPupilCount    Column = "pupil_count"
	ColHeadcountYear Column = "headcount_year"
	ColValidFrom     Column = "valid_from"
)

// columnDef is a column with the header Export writes and other headers the
// importer accepts.
type columnDef struct {
	key     Column
	header  string
	aliases []string
}

var columnDefs = []columnDef{
	{ColCode, "Mã", []string{"Mã đơn vị", "Unit code"}},
	{ColName, "Tên", []string{"Tên đơn vị", "Unit name"}},
	{ColShortName, "Tên viết tắt", []string{"Viết tắt", "Abbreviation"}},
	{ColType, "Loại", []string{"Loại đơn vị", "Unit type"}},
	{ColSchoolLevel, "Cấp học", []string{"Level"}},
	{ColParentCode, "Mã đơn vị cấp trên", []string{"Mã cấp trên", "Parent"}},
	{ColHeadName, "Thủ trưởng", []string{"Thủ trưởng đơn vị", "Head"}},
	{ColFocalName, "Cán bộ đầu mối", []string{"Focal point", "Focal point name"}},
	{ColFocalPhone, "Điện thoại đầu mối", []string{"Focal point phone"}},
	{ColFocalEmail, "Email đầu mối", []string{"Focal point email"}},
	{ColStaffCount, "Số cán bộ", []string{"Số cán bộ, công chức, viên chức", "Staff"}},
	{ColPupilCount, "Số học sinh, sinh viên", []string{"Số học sinh", "Pupils", "Students"}},
	{ColHeadcountYear, "Năm số liệu", []string{"Năm của số liệu"}},
	{ColValidFrom, "Hiệu lực từ", []string{"Hoạt động từ ngày", "Từ ngày"}},
}

// headerIndex maps a normalised header to its column.
var headerIndex = func() map[string]Column {
	m := map[string]Column{}
	add := func(h string, c Column) {
		k := HeaderKey(h)
		if other, dup := m[k]; dup && other != c {
			panic("units: header " + h + " names two columns")
		}
		m[k] = c
	}
	for _, d := range columnDefs {
		add(string(d.key), d.key)
		add(d.header, d.key)
		for _, a := range d.aliases {
			add(a, d.key)
		}
	}
	return m
}()

// Columns lists the file format's columns in export order.
func Columns() []Column {
	out := make([]Column, len(columnDefs))
	for i, d := range columnDefs {
		out[i] = d.key
	}
	return out
}

// Header is the Vietnamese header Export writes for c.
func (c Column) Header() string {
	for _, d := range columnDefs {
		if d.key == c {
			return d.header
		}
	}
	return string(c)
}

// HeaderKey normalises a header or a label for matching: folded (no case,
// no diacritics), with punctuation and underscores turned into single spaces
// and a trailing "*" (a required-column marker) ignored.
func HeaderKey(s string) string {
	f := textnorm.Fold(s)
	var b strings.Builder
	space := false
	for _, r := range f {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// Limits on an imported file.
const (
	MaxImportBytes = 20 << 20
	MaxImportRows  = 100_000
	// MaxImportColumns and MaxCellBytes bound one row: far more columns
	// than any template has, and a cell as long as a spreadsheet allows.
	MaxImportColumns = 200
	MaxCellBytes     = 32 << 10
)

// Issue is one problem found in an imported file: where (row and column),
// the offending value, and why, as a catalogue key with its arguments, so
// it can be shown in any language.
type Issue struct {
	Row    int      `json:"row"`              // spreadsheet row, the header being row 1; 0 for the whole file
	Col    int      `json:"col,omitempty"`    // 1-based column position; 0 when not about one cell
	Column string   `json:"column,omitempty"` // the column's header as written in the file
	Value  string   `json:"value,omitempty"`
	Reason string   `json:"reason"`
	Args   []string `json:"args,omitempty"`
}

// Message is the reason in language l.
func (i Issue) Message(l i18n.Lang) string {
	args := make([]any, len(i.Args))
	for k, a := range i.Args {
		args[k] = a
	}
	return l.T(i.Reason, args...)
}

// ColumnLetter is the spreadsheet letter of the issue's column (A, B, … AA),
// or "" when the issue is not about one column.
func (i Issue) ColumnLetter() string {
	if i.Col <= 0 {
		return ""
	}
	n, s := i.Col, ""
	for n > 0 {
		n--
		s = string(rune('A'+n%26)) + s
		n /= 26
	}
	return s
}

// Report lists the problems of a file; as an error, it is a file that cannot
// be read at all (wrong format, bad encoding, unknown columns).
type Report []Issue

func (r Report) Error() string {
	if len(r) == 0 {
		return "no issues"
	}
	i := r[0]
	msg := fmt.Sprintf("row %d", i.Row)
	if i.Column != "" {
		msg += " column " + i.Column
	}
	msg += ": " + i.Reason
	if len(r) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(r)-1)
	}
	return "import file: " + msg
}

// InvalidRows counts the distinct rows the report names.
func (r Report) InvalidRows() int {
	seen := map[int]bool{}
	for _, i := range r {
		if i.Row > 0 {
			seen[i.Row] = true
		}
	}
	return len(seen)
}

func fileError(reason string, args ...string) Report {
	return Report{{Reason: reason, Args: args}}
}

// DisplayValue makes a cell fit for a report: valid UTF-8, one line, short.
func DisplayValue(v string) string {
	v = strings.ToValidUTF8(v, "\uFFFD")
	v = strings.ReplaceAll(v, "\x00", "\uFFFD")
	v = strings.Join(strings.Fields(v), " ")
	if utf8.RuneCountInString(v) > 100 {
		r := []rune(v)
		v = string(r[:100]) + "…"
	}
	return v
}

// Sheet is a parsed file: its header and its non-blank rows.
type Sheet struct {
	Format  string   // "csv" or "xlsx"
	Header  []string // the header cells as written
	Columns []Column // the column at each header position ("" for a blank header)
	Rows    []Row
}

// Row is one data row of a sheet.
type Row struct {
	Line  int      // spreadsheet row number (the header is row 1 when it comes first)
	Cells []string // by position; may be shorter or longer than the header
}

// position returns where column c is in the sheet, or -1.
func (s *Sheet) position(c Column) int {
	return slices.Index(s.Columns, c)
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// ParseFile reads a unit file (see ReadRows for the formats accepted).
func ParseFile(name string, r io.Reader) (*Sheet, error) {
	b := &sheetBuilder{sheet: &Sheet{}}
	format, err := ReadRows(name, r, MaxImportBytes, b)
	if err != nil {
		return nil, err
	}
	b.sheet.Format = format
	return b.finish()
}

// RowSink takes the rows of a file as ReadRows reads them: Add gets each
// row's cells with its spreadsheet line (and returns a Report error to stop
// reading); HeaderName names column i once a header is known, for
// messages.
type RowSink interface {
	Add(line int, cells []string) error
	HeaderName(i int) string
}

// ReadRows reads a spreadsheet file of at most maxBytes and hands its rows
// to sink; it returns the format, "xlsx" or "csv". name (the uploaded file
// name) and the content tell the format: XLSX (a zip) or CSV. A CSV file
// must be UTF-8, with or without a byte-order mark, or UTF-16 with a
// byte-order mark (Excel's "Unicode text"); its separator, comma, semicolon
// or tab, is taken from the header line. Only the first worksheet of a
// workbook is read. Cells that are not valid text stop the reading with an
// encoding issue. Units and activities are imported through it.
func ReadRows(name string, r io.Reader, maxBytes int, sink RowSink) (format string, err error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(maxBytes)+1))
	if err != nil {
		return "", fmt.Errorf("read file: %w", err)
	}
	if len(data) > maxBytes {
		return "", fileError("import.err.too_large", strconv.Itoa(maxBytes>>20))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return "", fileError("import.err.empty")
	}
	ext := strings.ToLower(name)
	if i := strings.LastIndexByte(ext, '.'); i >= 0 {
		ext = ext[i:]
	} else {
		ext = ""
	}
	switch {
	case ext == ".xls" || bytes.HasPrefix(data, oleMagic):
		return "", fileError("import.err.xls")
	case ext == ".xlsx" || ext == ".xlsm" || bytes.HasPrefix(data, zipMagic):
		return "xlsx", readXLSX(data, sink)
	case ext == "" || ext == ".csv" || ext == ".txt" || ext == ".tsv":
		return "csv", readCSV(data, sink)
	}
	return "", fileError("import.err.format")
}

// sheetBuilder collects rows, finds the header and enforces the limits.
type sheetBuilder struct {
	sheet     *Sheet
	headerRow int
}

// Add takes the cells of spreadsheet row line; it returns a Report error to
// stop reading.
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
		b.headerRow = line
		return b.header(line, cells)
	}
	if len(b.sheet.Rows) >= MaxImportRows {
		return fileError("import.err.too_many_rows", strconv.Itoa(MaxImportRows))
	}
	b.sheet.Rows = append(b.sheet.Rows, Row{Line: line, Cells: cells})
	return nil
}

// header resolves the columns of the header row.
func (b *sheetBuilder) header(line int, cells []string) error {
	// Spreadsheets often carry empty cells after the last column.
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	s := b.sheet
	s.Header = make([]string, n)
	s.Columns = make([]Column, n)
	var rep Report
	seen := map[Column]int{}
	for i, h := range cells[:n] {
		h = strings.TrimSpace(h)
		s.Header[i] = h
		if h == "" {
			continue
		}
		c, ok := headerIndex[HeaderKey(h)]
		if !ok {
			rep = append(rep, Issue{Row: line, Col: i + 1, Column: DisplayValue(h), Value: DisplayValue(h), Reason: "import.err.unknown_column"})
			continue
		}
		if first, dup := seen[c]; dup {
			rep = append(rep, Issue{Row: line, Col: i + 1, Column: DisplayValue(h), Value: DisplayValue(h),
				Reason: "import.err.duplicate_column", Args: []string{columnLetter(first + 1)}})
			continue
		}
		seen[c] = i
		s.Columns[i] = c
	}
	if _, ok := seen[ColCode]; !ok && len(rep) == 0 {
		rep = append(rep, Issue{Row: line, Reason: "import.err.no_code_column", Args: []string{ColCode.Header()}})
	}
	if len(rep) > 0 {
		return rep
	}
	return nil
}

// HeaderName is the header of column i as written, or "".
func (b *sheetBuilder) HeaderName(i int) string {
	if i < len(b.sheet.Header) {
		return b.sheet.Header[i]
	}
	return ""
}

func (b *sheetBuilder) finish() (*Sheet, error) {
	if b.sheet.Header == nil {
		return nil, fileError("import.err.empty")
	}
	return b.sheet, nil
}

func columnLetter(col int) string { return Issue{Col: col}.ColumnLetter() }

// detectSeparator picks the separator that occurs most often, outside
// quotes, in the header line (the first line with a letter or digit):
// comma, semicolon (Excel in many locales) or tab (Excel's "Unicode text").
func detectSeparator(text []byte) rune {
	counts := map[rune]int{}
	quoted, content := false, false
	for _, c := range text {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		switch {
		case c == '\n' || c == '\r':
			if content {
				return pickSeparator(counts)
			}
			clear(counts)
		case c == ',' || c == ';' || c == '\t':
			counts[rune(c)]++
		case c > ' ':
			content = true
		}
	}
	return pickSeparator(counts)
}

func pickSeparator(counts map[rune]int) rune {
	best := ','
	for _, sep := range []rune{';', '\t'} {
		if counts[sep] > counts[best] {
			best = sep
		}
	}
	return best
}

func readCSV(data []byte, sink RowSink) error {
	text, err := textnorm.DecodeBytes(data)
	if err != nil {
		return fileError("import.err.utf16")
	}
	rd := csv.NewReader(bytes.NewReader(text))
	rd.Comma = detectSeparator(text)
	rd.FieldsPerRecord = -1
	rd.LazyQuotes = true
	// A record's row number is the line it starts on, less the line breaks
	// inside earlier quoted cells: what a spreadsheet shows for the file.
	embedded := 0
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return Report{{Row: pe.StartLine - embedded, Reason: "import.err.csv_syntax", Args: []string{strconv.Itoa(pe.Line)}}}
		}
		if err != nil {
			return fmt.Errorf("read CSV: %w", err)
		}
		start, _ := rd.FieldPos(0)
		line := start - embedded
		for _, c := range rec {
			embedded += strings.Count(c, "\n")
		}
		if len(rec) > MaxImportColumns {
			return Report{{Row: line, Col: MaxImportColumns + 1, Reason: "import.err.too_many_columns", Args: []string{strconv.Itoa(MaxImportColumns)}}}
		}
		for i, c := range rec {
			if err := checkCell(line, i, c, sink); err != nil {
				return err
			}
		}
		if err := sink.Add(line, rec); err != nil {
			return err
		}
	}
}

// checkCell refuses a cell that is not text (textnorm.CheckText: legacy
// code-page bytes, or UTF-8 misread as a Windows code page) or is longer
// than a spreadsheet cell can be, naming its row and column. Mojibake stops
// the whole file, even when invalid rows are skipped: every row of such a
// file is damaged, and a row that passes the other checks would store the
// garbled text over a unit's name.
func checkCell(line, i int, c string, sink RowSink) error {
	problem, fixed := textnorm.CheckText(c)
	switch {
	case problem == textnorm.TextNotUTF8:
		return Report{{Row: line, Col: i + 1, Column: DisplayValue(sink.HeaderName(i)), Value: DisplayValue(c), Reason: "import.err.encoding"}}
	case problem == textnorm.TextMojibake && fixed != "":
		return Report{{Row: line, Col: i + 1, Column: DisplayValue(sink.HeaderName(i)), Value: DisplayValue(c),
			Reason: "imports.err.mojibake", Args: []string{DisplayValue(fixed)}}}
	case problem == textnorm.TextMojibake:
		return Report{{Row: line, Col: i + 1, Column: DisplayValue(sink.HeaderName(i)), Value: DisplayValue(c), Reason: "imports.err.mojibake_lost"}}
	case len(c) > MaxCellBytes:
		return Report{{Row: line, Col: i + 1, Column: DisplayValue(sink.HeaderName(i)), Value: DisplayValue(c),
			Reason: "import.err.cell_too_long", Args: []string{strconv.Itoa(MaxCellBytes >> 10)}}}
	}
	return nil
}

// Caps on a workbook's parts, checked on the zip directory before anything
// is decompressed (archive/zip refuses a part that inflates past the size
// its header declares, so the headers cannot lie). A real import file of
// 100,000 rows stays far below them; a few-KB "bomb" that inflates to
// hundreds of MB is refused in microseconds.
const (
	maxWorkbookParts   = 200
	maxWorkbookXML     = 64 << 20 // all parts, uncompressed
	maxSharedStrings   = 16 << 20 // xl/sharedStrings.xml, which the reader holds in memory whole
	maxWorksheetXML    = 48 << 20 // one worksheet
	maxSharedStringsNo = 1_000_000
)

// checkWorkbook applies the caps above, and counts the shared strings
// (streaming, without keeping them) so that a table of millions of empty
// strings is refused before the reader builds it.
func checkWorkbook(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fileError("import.err.xlsx")
	}
	if len(zr.File) > maxWorkbookParts {
		return fileError("import.err.xlsx_parts", strconv.Itoa(maxWorkbookParts))
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		name := strings.ToLower(f.Name)
		switch {
		case total > maxWorkbookXML:
			return fileError("import.err.xlsx_too_large", strconv.Itoa(maxWorkbookXML>>20))
		case name == "xl/sharedstrings.xml" && f.UncompressedSize64 > maxSharedStrings:
			return fileError("import.err.xlsx_strings", strconv.Itoa(maxSharedStrings>>20))
		case strings.HasPrefix(name, "xl/worksheets/") && f.UncompressedSize64 > maxWorksheetXML:
			return fileError("import.err.xlsx_too_large", strconv.Itoa(maxWorksheetXML>>20))
		case name == "xl/sharedstrings.xml":
			if n, err := countElements(f, "<si"); err != nil {
				return fileError("import.err.xlsx")
			} else if n > maxSharedStringsNo {
				return fileError("import.err.xlsx_strings_count", strconv.Itoa(maxSharedStringsNo))
			}
		}
	}
	return nil
}

// countElements counts the occurrences of tag in a zip part, reading it in
// chunks.
func countElements(f *zip.File, tag string) (int, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	buf := make([]byte, 64<<10)
	carry := len(tag) - 1
	n, kept := 0, 0
	for {
		m, err := rc.Read(buf[kept:])
		chunk := buf[:kept+m]
		n += bytes.Count(chunk, []byte(tag))
		// Keep the tail, shorter than tag, so that a tag split across
		// reads is counted (once) in the next chunk.
		kept = copy(buf, chunk[max(0, len(chunk)-carry):])
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// readXLSX reads the first worksheet of a workbook with raw cell values, so
// dates come as Excel serial numbers whatever their display format.
func readXLSX(data []byte, sink RowSink) (err error) {
	defer func() {
		// A malformed workbook must be a clear error, never a crash.
		if v := recover(); v != nil {
			err = fileError("import.err.xlsx")
		}
	}()
	if err := checkWorkbook(data); err != nil {
		return err
	}
	formula, hasFormula, err := firstFormula(data)
	if err != nil {
		return fileError("import.err.xlsx")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    maxWorkbookXML,
		UnzipXMLSizeLimit: maxWorkbookXML,
	})
	if err != nil {
		return fileError("import.err.xlsx")
	}
	defer f.Close()
	list := f.GetSheetList()
	if len(list) == 0 {
		return fileError("import.err.empty")
	}
	rows, err := f.Rows(list[0])
	if err != nil {
		return fileError("import.err.xlsx")
	}
	defer rows.Close()
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns()
		if err != nil {
			return Report{{Row: line, Reason: "import.err.xlsx"}}
		}
		if len(cells) > MaxImportColumns {
			return Report{{Row: line, Col: MaxImportColumns + 1, Reason: "import.err.too_many_columns", Args: []string{strconv.Itoa(MaxImportColumns)}}}
		}
		for i, c := range cells {
			if hasFormula && line == formula.row && i+1 >= formula.col {
				break // reported below, with its cached value
			}
			if err := checkCell(line, i, c, sink); err != nil {
				return err
			}
		}
		if hasFormula && line == formula.row {
			value := formula.text
			if value == "" && formula.col <= len(cells) {
				value = cells[formula.col-1]
			}
			return Report{{Row: line, Col: formula.col, Column: DisplayValue(sink.HeaderName(formula.col - 1)), Value: DisplayValue(value),
				Reason: "imports.err.formula", Args: []string{strconv.Itoa(formula.count)}}}
		}
		if err := sink.Add(line, cells); err != nil {
			return err
		}
	}
	if rows.Error() != nil {
		return fileError("import.err.xlsx")
	}
	return nil
}

// ---------------------------------------------------------------- planning

// Existing is a unit already in the directory, as the importer needs it.
type Existing struct {
	Unit          *Unit      // attributes as stored (ParentID is not used)
	ParentCode    string     // parent today ("" for a root)
	PlacedFrom    dates.Date // start of today's placement (zero for a root)
	LastPlacement dates.Date // start of the unit's latest placement, even a future one
	// OutOfScope marks a unit the importer may not change nor place units
	// under (another province's): a row naming it is refused whatever it
	// says, so an import cannot probe what is stored there either.
	OutOfScope bool
}

// Directory is a snapshot of every unit (in force or not), by code.
type Directory map[string]*Existing

// Step is one valid row of a plan: create a unit, or update and/or move an
// existing one, or nothing when the row matches what is stored.
type Step struct {
	Row        int
	Code       string
	Create     bool
	Update     bool       // an existing unit's attributes change
	Move       bool       // an existing unit moves under ParentCode on MoveDate
	Unit       *Unit      // the attributes to store; ID set for existing units
	ParentCode string     // parent to create under or move to ("" for a root)
	MoveDate   dates.Date // when a move takes effect
}

// Changes reports whether the step writes anything.
func (s Step) Changes() bool { return s.Create || s.Update || s.Move }

// ImportPlan is what an import would do, parents before children.
type ImportPlan struct {
	Steps   []Step // the valid rows, each unit after its parent
	Rows    int    // data rows in the file
	Invalid int    // rows with problems (not in Steps)
}

// ImportResult is the outcome of an import.
type ImportResult struct {
	Rows      int    `json:"rows"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`   // existing units whose attributes changed
	Moved     int    `json:"moved"`     // existing units placed under another parent
	Unchanged int    `json:"unchanged"` // valid rows that matched what was stored
	Invalid   int    `json:"invalid"`   // rows with problems, not written
	Written   int    `json:"written"`   // rows that changed something
	Report    Report `json:"report"`
	Omitted   int    `json:"omitted,omitempty"` // report lines left out to keep it small
}

// rowPlan is the importer's working state for one row.
type rowPlan struct {
	row        Row
	code       string
	unit       Unit
	existing   *Existing
	hasParent  bool // the row says where the unit sits (new units always do)
	parent     string
	validFrom  dates.Date // the row's valid_from cell, if any
	moveDate   dates.Date
	update     bool
	move       bool
	bad        bool
	unchanged  bool
	parentLine int // row of the parent, when the parent is new in the file
}

// planner holds the state of one Plan call.
type planner struct {
	sheet  *Sheet
	dir    Directory
	today  dates.Date
	rows   []*rowPlan
	byCode map[string][]*rowPlan
	report Report
}

func (p *planner) issue(rp *rowPlan, c Column, value, reason string, args ...any) {
	rp.bad = true
	is := Issue{Row: rp.row.Line, Value: DisplayValue(value), Reason: reason}
	if pos := p.sheet.position(c); pos >= 0 {
		is.Col, is.Column = pos+1, p.sheet.Header[pos]
	} else if c != "" {
		is.Column = c.Header()
	}
	for _, a := range args {
		is.Args = append(is.Args, fmt.Sprint(a))
	}
	p.report = append(p.report, is)
}

// cell returns the trimmed value of column c in a row and whether the sheet
// has that column.
func (p *planner) cell(r Row, c Column) (string, bool) {
	pos := p.sheet.position(c)
	if pos < 0 {
		return "", false
	}
	if pos >= len(r.Cells) {
		return "", true
	}
	return cleanCell(r.Cells[pos]), true
}

// cleanCell trims a cell and undoes the quote Export puts before text that
// a spreadsheet would take for a formula.
func cleanCell(v string) string {
	v = strings.TrimSpace(v)
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
		v = v[1:]
	}
	return v
}

// Plan checks every row of sheet against the directory and says what an
// import would write. A row whose code is new creates a unit (from its
// valid_from, or today when blank); a row whose code exists updates that
// unit's attributes and, if its parent_code differs, moves it. A move takes
// effect on the row's valid_from when that date is later than both the
// unit's creation and the start of its current placement (so an exported
// file, which carries the creation date, moves units today); otherwise it
// takes effect today. Every problem is reported with its row and column;
// the plan holds only the valid rows, and a row whose parent is new in the
// file but invalid is invalid too.
func Plan(sheet *Sheet, dir Directory, today dates.Date) (*ImportPlan, Report) {
	p := &planner{sheet: sheet, dir: dir, today: today, byCode: map[string][]*rowPlan{}}
	for _, r := range sheet.Rows {
		rp := p.readRow(r)
		p.rows = append(p.rows, rp)
		if rp.code != "" {
			p.byCode[rp.code] = append(p.byCode[rp.code], rp)
		}
	}
	for code, rps := range p.byCode {
		if len(rps) < 2 {
			continue
		}
		for _, rp := range rps {
			var others []string
			for _, o := range rps {
				if o != rp {
					others = append(others, strconv.Itoa(o.row.Line))
				}
			}
			p.issue(rp, ColCode, code, "import.err.duplicate_code", strings.Join(others, ", "))
		}
	}
	for _, rp := range p.rows {
		p.checkParent(rp)
	}
	// Dropping a row can strand its children or, by leaving a unit where
	// it is, close a cycle; repeat until nothing more drops.
	for p.propagate() || p.cycles() {
	}
	plan := &ImportPlan{Rows: len(sheet.Rows)}
	depth := p.depths()
	for _, rp := range p.rows {
		if rp.bad {
			plan.Invalid++
			continue
		}
		u := rp.unit
		st := Step{Row: rp.row.Line, Code: rp.code, Unit: &u, ParentCode: rp.parent, MoveDate: rp.moveDate,
			Create: rp.existing == nil, Update: rp.update, Move: rp.move}
		plan.Steps = append(plan.Steps, st)
	}
	sort.SliceStable(plan.Steps, func(i, j int) bool {
		return depth[plan.Steps[i].Code] < depth[plan.Steps[j].Code]
	})
	sort.SliceStable(p.report, func(i, j int) bool {
		a, b := p.report[i], p.report[j]
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return a.Col < b.Col
	})
	return plan, p.report
}

// readRow checks the cells of one row on their own.
func (p *planner) readRow(r Row) *rowPlan {
	rp := &rowPlan{row: r}
	for i, c := range r.Cells {
		if (i >= len(p.sheet.Columns) || p.sheet.Columns[i] == "") && strings.TrimSpace(c) != "" {
			rp.bad = true
			p.report = append(p.report, Issue{Row: r.Line, Col: i + 1, Value: DisplayValue(c), Reason: "import.err.no_header"})
		}
	}
	code, _ := p.cell(r, ColCode)
	rp.code = code
	ex := p.dir[code]
	if code == "" {
		ex = nil
	}
	if ex != nil && ex.OutOfScope {
		// Nothing else about the row is checked: the checks would compare
		// it with what is stored there.
		p.issue(rp, ColCode, code, "import.err.out_of_scope", code)
		rp.code = ""
		return rp
	}
	rp.existing = ex
	if ex != nil {
		rp.unit = *ex.Unit
	} else {
		rp.unit = Unit{Code: code}
	}
	u := &rp.unit
	reported := map[string]bool{}
	for _, f := range []struct {
		col Column
		dst *string
	}{
		{ColName, &u.Name}, {ColShortName, &u.ShortName}, {ColHeadName, &u.HeadName},
		{ColFocalName, &u.Focal.Name}, {ColFocalPhone, &u.Focal.Phone}, {ColFocalEmail, &u.Focal.Email},
	} {
		if v, ok := p.cell(r, f.col); ok {
			*f.dst = v
		}
	}
	if v, ok := p.cell(r, ColType); ok {
		t, ok := ParseType(v)
		if !ok && v != "" {
			p.issue(rp, ColType, v, "import.err.type")
			reported["type"] = true
		}
		u.Type = t
	}
	if v, ok := p.cell(r, ColSchoolLevel); ok {
		l, ok := ParseSchoolLevel(v)
		if !ok && v != "" {
			p.issue(rp, ColSchoolLevel, v, "import.err.level")
			reported["school_level"] = true
		}
		u.SchoolLevel = l
	}
	for _, f := range []struct {
		col  Column
		dst  **int
		year *int
	}{
		{col: ColStaffCount, dst: &u.StaffCount}, {col: ColPupilCount, dst: &u.PupilCount}, {col: ColHeadcountYear, year: &u.HeadcountYear},
	} {
		v, ok := p.cell(r, f.col)
		if !ok {
			continue
		}
		n, err := parseWhole(v)
		if err != nil {
			p.issue(rp, f.col, v, "err.number")
			reported[string(f.col)] = true
			continue
		}
		if f.year != nil {
			*f.year = 0
			if n != nil {
				*f.year = *n
			}
		} else {
			*f.dst = n
		}
	}
	if v, ok := p.cell(r, ColValidFrom); ok && v != "" {
		d, err := ParseImportDate(v)
		if err != nil {
			p.issue(rp, ColValidFrom, v, "import.err.date")
			reported["valid_from"] = true
		}
		rp.validFrom = d
	}
	if ex == nil {
		u.ValidFrom = rp.validFrom
		if u.ValidFrom.IsZero() {
			u.ValidFrom = p.today
		}
	}
	u.Normalize()
	if err := u.Validate(); err != nil {
		var ve validation.Errors
		if errors.As(err, &ve) {
			for _, fe := range ve {
				col := fieldColumn(fe.Field)
				if reported[string(col)] {
					continue
				}
				reported[string(col)] = true
				v, _ := p.cell(r, col)
				args := make([]any, len(fe.Args))
				copy(args, fe.Args)
				p.issue(rp, col, v, fe.Reason, args...)
			}
		}
	}
	// Placement.
	pc, has := p.cell(r, ColParentCode)
	rp.hasParent = has || ex == nil
	rp.parent = pc
	if ex != nil {
		if !has {
			rp.parent = ex.ParentCode
		}
		rp.update = attributesDiffer(&rp.unit, ex.Unit)
		rp.move = rp.parent != ex.ParentCode
		if rp.move && rp.parent == "" {
			p.issue(rp, ColParentCode, pc, "import.err.make_root", ex.ParentCode)
		}
		closed := !ex.Unit.ValidTo.IsZero() && !ex.Unit.ValidTo.After(p.today)
		if closed && (rp.update || rp.move) {
			p.issue(rp, ColCode, code, "import.err.unit_closed", ex.Unit.ValidTo.VN())
		}
		rp.unchanged = !rp.update && !rp.move
	}
	if rp.parent != "" && rp.parent == code {
		p.issue(rp, ColParentCode, pc, "err.parent_self")
	}
	return rp
}

// attributesDiffer reports whether an import would change what is stored.
func attributesDiffer(a, b *Unit) bool {
	eq := func(x, y *int) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.Name != b.Name || a.ShortName != b.ShortName || a.Type != b.Type || a.SchoolLevel != b.SchoolLevel ||
		a.HeadName != b.HeadName || a.Focal != b.Focal || !eq(a.StaffCount, b.StaffCount) ||
		!eq(a.PupilCount, b.PupilCount) || a.HeadcountYear != b.HeadcountYear
}

// fieldColumn maps a Unit.Validate field to its file column.
func fieldColumn(field string) Column {
	switch field {
	case "focal_point.name":
		return ColFocalName
	case "focal_point.phone":
		return ColFocalPhone
	case "focal_point.email":
		return ColFocalEmail
	}
	return Column(field)
}

// RowIssues turns the errors raised while writing a planned row (a rule
// that found the directory changed since the plan) into report lines on the
// row's cells.
func RowIssues(sheet *Sheet, row int, ve validation.Errors) Report {
	out := make(Report, 0, len(ve))
	for _, fe := range ve {
		col := fieldColumn(fe.Field)
		switch fe.Field {
		case "parent_id", "date":
			col = ColParentCode
		}
		is := Issue{Row: row, Reason: fe.Reason}
		if pos := sheet.position(col); pos >= 0 {
			is.Col, is.Column = pos+1, sheet.Header[pos]
		}
		for _, arg := range fe.Args {
			is.Args = append(is.Args, fmt.Sprint(arg))
		}
		out = append(out, is)
	}
	return out
}

// parentInfo is what a row's placement is checked against.
type parentInfo struct {
	from, to   dates.Date
	row        *rowPlan // set when the parent is new in the file
	outOfScope bool
}

// lookupParent finds a parent code in the directory or, failing that, among
// the file's new units.
func (p *planner) lookupParent(code string) (parentInfo, bool) {
	if ex := p.dir[code]; ex != nil {
		return parentInfo{from: ex.Unit.ValidFrom, to: ex.Unit.ValidTo, outOfScope: ex.OutOfScope}, true
	}
	if rps := p.byCode[code]; len(rps) > 0 {
		return parentInfo{from: rps[0].unit.ValidFrom, row: rps[0]}, true
	}
	return parentInfo{}, false
}

// checkParent checks that a row's parent exists and is in force when the
// unit is placed under it, and works out the date of a move.
func (p *planner) checkParent(rp *rowPlan) {
	if rp.bad && rp.existing == nil && rp.code == "" {
		return
	}
	pcCell, _ := p.cell(rp.row, ColParentCode)
	if rp.existing != nil && !rp.move {
		return
	}
	if rp.parent == "" || rp.parent == rp.code {
		return
	}
	par, ok := p.lookupParent(rp.parent)
	if !ok {
		p.issue(rp, ColParentCode, pcCell, "import.err.parent_unknown", rp.parent)
		return
	}
	if par.outOfScope {
		p.issue(rp, ColParentCode, pcCell, "import.err.parent_out_of_scope", rp.parent)
		return
	}
	if par.row != nil {
		rp.parentLine = par.row.row.Line
	}
	day := rp.unit.ValidFrom
	if ex := rp.existing; ex != nil {
		day = p.today
		if vf := rp.validFrom; !vf.IsZero() && vf.After(ex.Unit.ValidFrom) && vf.After(ex.PlacedFrom) {
			day = vf
		}
		rp.moveDate = day
		if !ex.Unit.ActiveOn(day) {
			p.issue(rp, ColParentCode, pcCell, "err.unit_inactive", day.VN())
			return
		}
		if ex.LastPlacement.After(day) {
			p.issue(rp, ColParentCode, pcCell, "import.err.later_placement", ex.LastPlacement.VN(), day.VN())
			return
		}
	}
	if day.Before(par.from) || (!par.to.IsZero() && !par.to.After(day)) {
		p.issue(rp, ColParentCode, pcCell, "import.err.parent_inactive", rp.parent, day.VN())
	}
}

// propagate marks invalid the rows whose parent is new in the file but
// invalid; it reports whether anything changed.
func (p *planner) propagate() bool {
	changed := false
	for again := true; again; {
		again = false
		for _, rp := range p.rows {
			if rp.bad || rp.parentLine == 0 || !rp.hasParent {
				continue
			}
			if rps := p.byCode[rp.parent]; len(rps) > 0 && rps[0].bad && p.dir[rp.parent] == nil {
				pc, _ := p.cell(rp.row, ColParentCode)
				p.issue(rp, ColParentCode, pc, "import.err.parent_invalid", rp.parent, rps[0].row.Line)
				again, changed = true, true
			}
		}
	}
	return changed
}

// finalParent is where code sits once the valid rows are applied.
func (p *planner) finalParent(code string) string {
	if rps := p.byCode[code]; len(rps) == 1 && !rps[0].bad {
		return rps[0].parent
	}
	if ex := p.dir[code]; ex != nil {
		return ex.ParentCode
	}
	return ""
}

// cycles marks invalid the rows whose move would put a unit under its own
// descendant; it reports whether anything changed.
func (p *planner) cycles() bool {
	const (
		walking = 1
		done    = 2
	)
	state := map[string]int{}
	changed := false
	for _, start := range p.rows {
		if start.bad || state[start.code] != 0 {
			continue
		}
		var path []string
		c := start.code
		for c != "" && state[c] == 0 {
			state[c] = walking
			path = append(path, c)
			c = p.finalParent(c)
		}
		if c != "" && state[c] == walking {
			i := slices.Index(path, c)
			loop := path[i:]
			chain := strings.Join(append(slices.Clone(loop), c), " → ")
			for _, code := range loop {
				rps := p.byCode[code]
				if len(rps) == 1 && !rps[0].bad && (rps[0].move || rps[0].existing == nil) {
					pc, _ := p.cell(rps[0].row, ColParentCode)
					p.issue(rps[0], ColParentCode, pc, "import.err.cycle", chain)
					changed = true
				}
			}
		}
		for _, code := range path {
			state[code] = done
		}
	}
	return changed
}

// depths gives each valid row's depth in the final tree, so parents are
// written before their children.
func (p *planner) depths() map[string]int {
	depth := map[string]int{}
	var path []string
	for _, rp := range p.rows {
		if rp.bad {
			continue
		}
		path = path[:0]
		c := rp.code
		for c != "" && len(path) <= len(p.rows)+len(p.dir) {
			if _, ok := depth[c]; ok {
				break
			}
			path = append(path, c)
			c = p.finalParent(c)
		}
		base := -1
		if c != "" {
			base = depth[c]
		}
		for i := len(path) - 1; i >= 0; i-- {
			base++
			depth[path[i]] = base
		}
	}
	return depth
}

// ---------------------------------------------------------------- values

// labelIndex maps the normalised keys and labels (Vietnamese and English)
// of types and levels to their values; built once, the catalogue being
// embedded.
var labelIndex = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	add := func(prefix, v string) {
		for _, k := range []string{v, i18n.VI.T(prefix + v), i18n.EN.T(prefix + v)} {
			if _, taken := m[prefix+HeaderKey(k)]; !taken {
				m[prefix+HeaderKey(k)] = v
			}
		}
	}
	for _, t := range Types {
		add("unit.type.", string(t))
	}
	for _, l := range SchoolLevels {
		add("unit.level.", string(l))
	}
	return m
})

// ParseType reads a unit type written as its key (commune) or its
// Vietnamese or English label (Xã, phường); blank gives "" and true.
func ParseType(v string) (Type, bool) {
	k := HeaderKey(v)
	if k == "" {
		return "", true
	}
	t, ok := labelIndex()["unit.type."+k]
	return Type(t), ok
}

// ParseSchoolLevel reads a school level like ParseType.
func ParseSchoolLevel(v string) (SchoolLevel, bool) {
	k := HeaderKey(v)
	if k == "" {
		return "", true
	}
	l, ok := labelIndex()["unit.level."+k]
	return SchoolLevel(l), ok
}

var groupedNumber = regexp.MustCompile(`^\d{1,3}([., ]\d{3})+$`)

// parseWhole reads a whole number: plain digits, digits grouped by thousands
// (1.234 as Vietnamese write it) or a spreadsheet's integral decimal (25.0);
// blank gives nil.
func parseWhole(v string) (*int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	if n, err := strconv.Atoi(v); err == nil {
		return &n, nil
	}
	if groupedNumber.MatchString(v) {
		n, err := strconv.Atoi(strings.NewReplacer(".", "", ",", "", " ", "").Replace(v))
		if err == nil {
			return &n, nil
		}
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e12 {
		n := int(f)
		return &n, nil
	}
	return nil, errors.New("not a whole number")
}

// excelEpoch is day 0 of Excel's serial dates (the 1900 system, counting
// its fictitious 29/02/1900, which is why it is not 31/12/1899).
var excelEpoch = dates.New(1899, 12, 30)

// ParseImportDate reads a date written dd/mm/yyyy, yyyy-mm-dd (also with a
// time after it) or as an Excel serial number (as a workbook stores dates).
func ParseImportDate(v string) (dates.Date, error) {
	v = strings.TrimSpace(v)
	if len(v) > 10 && v[4] == '-' && v[7] == '-' && (v[10] == 'T' || v[10] == ' ') {
		v = v[:10]
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, "/-") {
		// Serial numbers from 10000 (1927) to 109574 (2199); smaller numbers
		// are more likely a mistake (a year alone) than a date.
		if f < 10000 || f >= 109575 {
			return dates.Date{}, dates.ErrInvalid
		}
		return excelEpoch.AddDays(int(f)), nil
	}
	return dates.Parse(v)
}
