package units

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"khienso/internal/i18n"
	"khienso/internal/officedoc"
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

// columnWidths are the widths of the unit columns, in characters.
var columnWidths = []float64{14, 40, 16, 26, 20, 18, 24, 24, 18, 26, 11, 14, 12, 13}

// unitColumns are the unit sheet's columns; formats apply to a template's
// empty cells (text keeps codes with leading zeros as typed).
func unitColumns() []officedoc.Column {
	cols := Columns()
	out := make([]officedoc.Column, len(cols))
	for i, c := range cols {
		out[i] = officedoc.Column{Header: c.Header(), Width: columnWidths[i], Format: officedoc.FormatText}
		switch c {
		case ColStaffCount, ColPupilCount, ColHeadcountYear:
			out[i].Format = officedoc.FormatGeneral
		case ColValidFrom:
			out[i].Format = officedoc.FormatDate
		}
	}
	return out
}

func exportXLSX(w io.Writer, list []Entry) error {
	return officedoc.WriteXLSX(w, officedoc.Sheet{Name: i18n.VI.T("import.xlsx.sheet_units"), Columns: unitColumns(), FreezeCols: 2,
		Rows: func(r *officedoc.SheetRows) error {
			for _, e := range list {
				rec := record(e)
				u := e.Unit
				row := make([]any, len(rec))
				for k, v := range rec {
					row[k] = v
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
				row[13] = u.ValidFrom
				if err := r.Add(row...); err != nil {
					return err
				}
			}
			return nil
		}})
}

// Template writes an empty workbook to fill in: the unit columns with their
// Vietnamese headers, drop-down lists of types and school levels, and a
// guide sheet describing every column in Vietnamese and English.
func Template(w io.Writer) error {
	guideName := officedoc.SheetName(i18n.VI.T("import.xlsx.sheet_guide"))
	// The guide: columns, then the accepted types and levels, which the
	// drop-down lists of the first sheet point at.
	var guide [][]any
	put := func(values ...any) int {
		guide = append(guide, values)
		return len(guide) + 1 // its row number, under the header
	}
	for _, c := range Columns() {
		put(c.Header(), string(c), i18n.VI.T("import.col."+string(c)), i18n.EN.T("import.col."+string(c)))
	}
	put()
	put(i18n.VI.T("import.guide.types"), i18n.VI.T("import.guide.key"), "", "English")
	typeFirst := len(guide) + 2
	for _, t := range Types {
		put(i18n.VI.T("unit.type."+string(t)), string(t), "", i18n.EN.T("unit.type."+string(t)))
	}
	typeLast := len(guide) + 1
	put()
	put(i18n.VI.T("import.guide.levels"), i18n.VI.T("import.guide.key"), "", "English")
	levelFirst := len(guide) + 2
	for _, l := range SchoolLevels {
		put(i18n.VI.T("unit.level."+string(l)), string(l), "", i18n.EN.T("unit.level."+string(l)))
	}
	levelLast := len(guide) + 1

	var lists []officedoc.DropList
	for _, dl := range []struct {
		col         Column
		first, last int
		reason      string
	}{{ColType, typeFirst, typeLast, "import.err.type"}, {ColSchoolLevel, levelFirst, levelLast, "import.err.level"}} {
		// A warning, not a stop: the keys (commune) are accepted too.
		lists = append(lists, officedoc.DropList{Column: columnIndex(dl.col), Rows: MaxImportRows,
			Source: fmt.Sprintf("'%s'!$A$%d:$A$%d", guideName, dl.first, dl.last), Warning: i18n.VI.T(dl.reason)})
	}
	return officedoc.WriteXLSX(w,
		officedoc.Sheet{Name: i18n.VI.T("import.xlsx.sheet_units"), Columns: unitColumns(), FreezeCols: 2, DropLists: lists},
		officedoc.Sheet{Name: guideName, NoFilter: true,
			Columns: []officedoc.Column{{Header: i18n.VI.T("import.guide.column"), Width: 36}, {Header: i18n.VI.T("import.guide.key"), Width: 18},
				{Header: i18n.VI.T("import.guide.description"), Width: 70}, {Header: i18n.EN.T("import.guide.description"), Width: 60}},
			Rows: func(r *officedoc.SheetRows) error {
				for _, row := range guide {
					if err := r.Add(row...); err != nil {
						return err
					}
				}
				return nil
			}})
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
