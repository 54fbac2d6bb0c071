package officedoc

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"khienso/internal/dates"
)

// Every spreadsheet the product writes goes through WriteXLSX, so they all
// look alike: named sheets, a bold header row that stays frozen, a filter
// over the header, set column widths, and numbers, dates and text typed
// the same way. Rows are streamed: a large export holds one row at a time.

// Sheet is one worksheet of a workbook.
type Sheet struct {
	// Name is the sheet's tab name; SheetName makes it valid.
	Name    string
	Columns []Column
	// FreezeCols also keeps that many leading columns in view (names of a
	// wide matrix), besides the header row.
	FreezeCols int
	// NoFilter leaves out the filter, for sheets that are not lists (a
	// guide).
	NoFilter bool
	// DropLists offer a list of accepted values on a column's cells.
	DropLists []DropList
	// Rows writes the data rows under the header, in order.
	Rows func(r *SheetRows) error
}

// Column is one column: its header and width.
type Column struct {
	Header string
	// Width is in characters; 0 sizes the column to its header (10 to 60).
	Width float64
	// Format applies to the whole column, empty cells included (a template
	// to fill in); cells written keep the format of their value.
	Format CellFormat
}

// CellFormat is a column's number format.
type CellFormat int

// The column formats.
const (
	FormatGeneral CellFormat = iota
	// FormatText keeps what is typed as text (codes with leading zeros).
	FormatText
	// FormatDate shows dates as dd/mm/yyyy.
	FormatDate
)

// DropList offers the values of Source (a range on another sheet, e.g.
// "'Hướng dẫn'!$A$5:$A$20") in the cells of Column (0-based) from the
// second row to row Rows+1. Other values are accepted after Warning.
type DropList struct {
	Column  int
	Rows    int
	Source  string
	Warning string
}

// Percent is a fraction written as a percentage cell (0.25 shows 25.0%).
type Percent float64

// SheetRows receives a sheet's data rows. Cell values: nil (empty), string
// (text), int and int64 (general number: years and counts), float64
// (#,##0 when whole, else #,##0.00), Percent, dates.Date (dd/mm/yyyy; the
// zero date is empty); anything else is written as its text.
type SheetRows struct {
	sw     *excelize.StreamWriter
	st     *xlsxStyles
	cols   int
	row    int // last row written
	listed int // last row inside the filter
	totals bool
}

// Add writes a data row.
func (r *SheetRows) Add(cells ...any) error {
	if r.totals {
		return errors.New("xlsx: a data row after the total row")
	}
	if err := r.write(cells, false); err != nil {
		return err
	}
	r.listed = r.row
	return nil
}

// AddTotal writes a bold total row after the data rows; it stays outside
// the filter so that sorting leaves it last.
func (r *SheetRows) AddTotal(cells ...any) error {
	r.totals = true
	return r.write(cells, true)
}

func (r *SheetRows) write(cells []any, bold bool) error {
	r.row++
	r.cols = max(r.cols, len(cells))
	row := make([]any, len(cells))
	for i, c := range cells {
		v, err := r.st.cell(c, bold)
		if err != nil {
			return fmt.Errorf("xlsx row %d column %d: %w", r.row, i+1, err)
		}
		row[i] = v
	}
	ref, err := excelize.CoordinatesToCellName(1, r.row)
	if err != nil {
		return err
	}
	return r.sw.SetRow(ref, row)
}

// WriteXLSX writes a workbook of sheets to w, in order.
func WriteXLSX(w io.Writer, sheets ...Sheet) error {
	if len(sheets) == 0 {
		return errors.New("xlsx: no sheet")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	names := map[string]bool{}
	for i, sh := range sheets {
		name := uniqueName(SheetName(sh.Name), names)
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return fmt.Errorf("xlsx sheet %q: %w", name, err)
		}
		if err := writeSheet(f, name, sh, st); err != nil {
			return fmt.Errorf("xlsx sheet %q: %w", name, err)
		}
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, name string, sh Sheet, st *xlsxStyles) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	// Widths, column formats and panes go before the first row.
	for i, c := range sh.Columns {
		if err := sw.SetColWidth(i+1, i+1, columnWidth(c)); err != nil {
			return err
		}
		if style := st.column(c.Format); style != 0 {
			if err := sw.SetColStyle(i+1, i+1, style); err != nil {
				return err
			}
		}
	}
	panes := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
	if sh.FreezeCols > 0 {
		tl, err := excelize.CoordinatesToCellName(sh.FreezeCols+1, 2)
		if err != nil {
			return err
		}
		panes = &excelize.Panes{Freeze: true, XSplit: sh.FreezeCols, YSplit: 1, TopLeftCell: tl, ActivePane: "bottomRight"}
	}
	if err := sw.SetPanes(panes); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	head := make([]any, len(sh.Columns))
	for i, c := range sh.Columns {
		head[i] = excelize.Cell{StyleID: st.header, Value: c.Header}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	rows := &SheetRows{sw: sw, st: st, cols: len(sh.Columns), row: 1, listed: 1}
	if sh.Rows != nil {
		if err := sh.Rows(rows); err != nil {
			return err
		}
	}
	// The filter and the lists are worksheet parts that follow the rows;
	// set before Flush, the stream writer writes them in their place.
	if !sh.NoFilter && rows.cols > 0 {
		last, err := excelize.CoordinatesToCellName(rows.cols, rows.listed)
		if err != nil {
			return err
		}
		if err := f.AutoFilter(name, "A1:"+last, nil); err != nil {
			return fmt.Errorf("filter: %w", err)
		}
	}
	for _, dl := range sh.DropLists {
		col, err := excelize.ColumnNumberToName(dl.Column + 1)
		if err != nil {
			return err
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, dl.Rows+1)
		dv.SetSqrefDropList(dl.Source)
		// A warning, not a stop: other spellings may still be accepted.
		dv.SetError(excelize.DataValidationErrorStyleWarning, "", dl.Warning)
		if err := f.AddDataValidation(name, dv); err != nil {
			return fmt.Errorf("drop list: %w", err)
		}
	}
	return sw.Flush()
}

// columnWidth is c's width, or its header's length within 10 to 60.
func columnWidth(c Column) float64 {
	if c.Width > 0 {
		return c.Width
	}
	return math.Min(math.Max(float64(utf8.RuneCountInString(c.Header))+2, 10), 60)
}

// SheetName makes s a valid sheet name: none of []:*?/\, no leading or
// trailing apostrophe, at most 31 characters, never empty.
func SheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '[', ']', ':', '*', '?', '/', '\\':
			return '-'
		}
		if r < 0x20 {
			return -1
		}
		return r
	}, clean(s))
	s = strings.Trim(strings.TrimSpace(s), "'")
	if r := []rune(s); len(r) > 31 {
		s = strings.TrimSpace(string(r[:31]))
	}
	if s == "" {
		return "Sheet1"
	}
	return s
}

// uniqueName numbers a name already taken (sheet names ignore case).
func uniqueName(name string, taken map[string]bool) string {
	out := name
	for i := 2; taken[strings.ToLower(out)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		r := []rune(name)
		out = string(r[:min(len(r), 31-len(suffix))]) + suffix
	}
	taken[strings.ToLower(out)] = true
	return out
}

// xlsxStyles are the cell styles of a workbook: per kind of value, plain
// and bold (total rows).
type xlsxStyles struct {
	header int
	// text, integer, decimal, percent, date: [0] plain, [1] bold.
	text, integer, decimal, percent, date, general [2]int
}

func newXLSXStyles(f *excelize.File) (*xlsxStyles, error) {
	st := &xlsxStyles{}
	var err error
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F0"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}); err != nil {
		return nil, fmt.Errorf("xlsx style: %w", err)
	}
	fmtInt, fmtDec, fmtPct, fmtDate := "#,##0", "#,##0.00", "0.0%", "dd/mm/yyyy"
	for b, bold := range []bool{false, true} {
		font := &excelize.Font{Bold: bold}
		for _, s := range []struct {
			to    *[2]int
			style excelize.Style
		}{
			{&st.text, excelize.Style{NumFmt: 49}}, // "@": text, keeps leading zeros
			{&st.integer, excelize.Style{CustomNumFmt: &fmtInt}},
			{&st.decimal, excelize.Style{CustomNumFmt: &fmtDec}},
			{&st.percent, excelize.Style{CustomNumFmt: &fmtPct}},
			{&st.date, excelize.Style{CustomNumFmt: &fmtDate}},
			{&st.general, excelize.Style{}},
		} {
			style := s.style
			style.Font = font
			if !bold && s.to == &st.general {
				continue // style 0 is the default
			}
			if s.to[b], err = f.NewStyle(&style); err != nil {
				return nil, fmt.Errorf("xlsx style: %w", err)
			}
		}
	}
	return st, nil
}

// column is the style of a whole column (0: none).
func (st *xlsxStyles) column(f CellFormat) int {
	switch f {
	case FormatText:
		return st.text[0]
	case FormatDate:
		return st.date[0]
	}
	return 0
}

// cell types a value for the stream writer.
func (st *xlsxStyles) cell(v any, bold bool) (any, error) {
	b := 0
	if bold {
		b = 1
	}
	switch x := v.(type) {
	case nil:
		if bold {
			return excelize.Cell{StyleID: st.general[1]}, nil
		}
		return nil, nil
	case string:
		return excelize.Cell{StyleID: st.text[b], Value: x}, nil
	case int:
		// Counts and years: General, so 2023 is not shown as 2.023.
		return excelize.Cell{StyleID: st.general[b], Value: x}, nil
	case int64:
		return excelize.Cell{StyleID: st.general[b], Value: x}, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, nil
		}
		style := st.decimal[b]
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			style = st.integer[b]
		}
		return excelize.Cell{StyleID: style, Value: x}, nil
	case Percent:
		return excelize.Cell{StyleID: st.percent[b], Value: float64(x)}, nil
	case dates.Date:
		if x.IsZero() {
			return nil, nil
		}
		t, err := time.Parse("2006-01-02", x.ISO())
		if err != nil {
			return nil, err
		}
		return excelize.Cell{StyleID: st.date[b], Value: t}, nil
	}
	return excelize.Cell{StyleID: st.text[b], Value: fmt.Sprint(v)}, nil
}
