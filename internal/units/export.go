package units

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"khienso/internal/i18n"
)

// Entry is a unit with the code of its parent, as a file row holds it.
type Entry struct {
	Unit       *Unit
	ParentCode string
}

// Format is a unit file format.
type Format string

// The file formats.
const (
	FormatXLSX Format = "xlsx"
	FormatCSV  Format = "csv"
)

// ParseFormat reads a format name ("xlsx" or "csv", any case).
func ParseFormat(s string) (Format, bool) {
	switch Format(strings.ToLower(strings.TrimSpace(s))) {
	case FormatXLSX:
		return FormatXLSX, true
	case FormatCSV:
		return FormatCSV, true
	}
	return "", false
}

// ContentType is the media type of a file in format f.
func (f Format) ContentType() string {
	if f == FormatCSV {
		return "text/csv; charset=utf-8"
	}
	return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

// exportSheet names the worksheet of an export and of the template.
const exportSheet = "Đơn vị"

// guideSheet names the template's worksheet explaining the columns.
const guideSheet = "Hướng dẫn"

// record is the file row of an entry, column by column. Types and levels are
// written as their Vietnamese labels, dates as dd/mm/yyyy.
func record(e Entry) []string {
	u := e.Unit
	num := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	year := ""
	if u.HeadcountYear != 0 {
		year = strconv.Itoa(u.HeadcountYear)
	}
	level := ""
	if u.SchoolLevel != "" {
		level = i18n.VI.T("unit.level." + string(u.SchoolLevel))
	}
	return []string{
		u.Code, u.Name, u.ShortName, i18n.VI.T("unit.type." + string(u.Type)), level, e.ParentCode,
		u.HeadName, u.Focal.Name, u.Focal.Phone, u.Focal.Email,
		num(u.StaffCount), num(u.PupilCount), year, u.ValidFrom.VN(),
	}
}

// Export writes units in format, with the Vietnamese headers, so that the
// file imports back unchanged. CSV is UTF-8 with a byte-order mark (which
// Excel needs to show Vietnamese) and commas; text that a spreadsheet would
// run as a formula gets a leading quote, which the importer removes.
func Export(w io.Writer, format Format, list []Entry) error {
	switch format {
	case FormatCSV:
		return exportCSV(w, list)
	case FormatXLSX:
		return exportXLSX(w, list)
	}
	return fmt.Errorf("unknown export format %q", format)
}

func headers() []string {
	cols := Columns()
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Header()
	}
	return out
}

func exportCSV(w io.Writer, list []Entry) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(headers()); err != nil {
		return err
	}
	for _, e := range list {
		rec := record(e)
		for i, v := range rec {
			if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
				rec[i] = "'" + v
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// xlsxStyles are the cell styles of a unit workbook.
type xlsxStyles struct {
	header, text, date int
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F0"}}}); err != nil {
		return s, err
	}
	if s.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // "@": text, keeps leading zeros
		return s, err
	}
	dateFmt := "dd/mm/yyyy"
	s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	return s, err
}

// columnWidths are the widths of the unit columns, in characters.
var columnWidths = []float64{14, 40, 16, 26, 20, 18, 24, 24, 18, 26, 11, 14, 12, 13}

func exportXLSX(w io.Writer, list []Entry) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", exportSheet); err != nil {
		return err
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(exportSheet)
	if err != nil {
		return err
	}
	for i, wd := range columnWidths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, 0, len(columnDefs))
	for _, h := range headers() {
		head = append(head, excelize.Cell{StyleID: st.header, Value: h})
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, e := range list {
		rec := record(e)
		u := e.Unit
		row := make([]any, len(rec))
		for k, v := range rec {
			row[k] = excelize.Cell{StyleID: st.text, Value: v}
		}
		for k, p := range map[int]*int{10: u.StaffCount, 11: u.PupilCount} {
			if p != nil {
				row[k] = *p
			} else {
				row[k] = nil
			}
		}
		if u.HeadcountYear != 0 {
			row[12] = u.HeadcountYear
		} else {
			row[12] = nil
		}
		if !u.ValidFrom.IsZero() {
			t, _ := time.Parse("2006-01-02", u.ValidFrom.ISO())
			row[13] = excelize.Cell{StyleID: st.date, Value: t}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// Template writes an empty workbook to fill in: the unit columns with their
// Vietnamese headers, drop-down lists of types and school levels, and a
// guide sheet describing every column in Vietnamese and English.
func Template(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", exportSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(guideSheet); err != nil {
		return err
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	cols := Columns()
	for i, c := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(exportSheet, cell, c.Header()); err != nil {
			return err
		}
		letter := columnLetter(i + 1)
		if err := f.SetColWidth(exportSheet, letter, letter, columnWidths[i]); err != nil {
			return err
		}
		style := st.text
		switch c {
		case ColStaffCount, ColPupilCount, ColHeadcountYear:
			style = 0
		case ColValidFrom:
			style = st.date
		}
		if style != 0 {
			if err := f.SetColStyle(exportSheet, letter, style); err != nil {
				return err
			}
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), 1)
	if err := f.SetCellStyle(exportSheet, "A1", last, st.header); err != nil {
		return err
	}
	if err := f.SetPanes(exportSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}

	// The guide: columns, then the accepted types and levels, which the
	// drop-down lists of the first sheet point at.
	put := func(row int, values ...string) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return f.SetSheetRow(guideSheet, cell, &values)
	}
	row := 1
	if err := put(row, i18n.VI.T("import.guide.column"), i18n.VI.T("import.guide.key"),
		i18n.VI.T("import.guide.description"), i18n.EN.T("import.guide.description")); err != nil {
		return err
	}
	for _, c := range cols {
		row++
		if err := put(row, c.Header(), string(c), i18n.VI.T("import.col."+string(c)), i18n.EN.T("import.col."+string(c))); err != nil {
			return err
		}
	}
	row += 2
	if err := put(row, i18n.VI.T("import.guide.types"), i18n.VI.T("import.guide.key"), "", "English"); err != nil {
		return err
	}
	typeFirst := row + 1
	for _, t := range Types {
		row++
		if err := put(row, i18n.VI.T("unit.type."+string(t)), string(t), "", i18n.EN.T("unit.type."+string(t))); err != nil {
			return err
		}
	}
	typeLast := row
	row += 2
	if err := put(row, i18n.VI.T("import.guide.levels"), i18n.VI.T("import.guide.key"), "", "English"); err != nil {
		return err
	}
	levelFirst := row + 1
	for _, l := range SchoolLevels {
		row++
		if err := put(row, i18n.VI.T("unit.level."+string(l)), string(l), "", i18n.EN.T("unit.level."+string(l))); err != nil {
			return err
		}
	}
	levelLast := row
	for _, wd := range []struct {
		col   string
		width float64
	}{{"A", 36}, {"B", 18}, {"C", 70}, {"D", 60}} {
		if err := f.SetColWidth(guideSheet, wd.col, wd.col, wd.width); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(guideSheet, "A1", "D1", st.header); err != nil {
		return err
	}
	for _, dl := range []struct {
		col         Column
		first, last int
		reason      string
	}{{ColType, typeFirst, typeLast, "import.err.type"}, {ColSchoolLevel, levelFirst, levelLast, "import.err.level"}} {
		letter := columnLetter(columnIndex(dl.col) + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", letter, letter, MaxImportRows+1)
		dv.SetSqrefDropList(fmt.Sprintf("'%s'!$A$%d:$A$%d", guideSheet, dl.first, dl.last))
		// A warning, not a stop: the keys (commune) are accepted too.
		dv.SetError(excelize.DataValidationErrorStyleWarning, "", i18n.VI.T(dl.reason))
		if err := f.AddDataValidation(exportSheet, dv); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// columnIndex is the position of c among Columns.
func columnIndex(c Column) int {
	for i, d := range columnDefs {
		if d.key == c {
			return i
		}
	}
	return -1
}
