package units

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"khienso/internal/dates"
	"khienso/internal/i18n"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// importXLSX builds a workbook in memory; a time.Time cell becomes a date
// (a serial number with a date format), as Excel stores it.
func importXLSX(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// formulaXLSX is a workbook whose B3 holds a formula that was never
// computed, as programs that write workbooks leave it.
func formulaXLSX(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range [][]any{{"Mã", "Tên"}, {"X1", "A"}, {"X2", nil}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellFormula("Sheet1", "B3", `A3&" mới"`); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// formulaSheet is a worksheet as Excel saves it: B2 holds a formula with
// its cached value, B3 shares it.
const formulaSheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
	`<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c><c r="B1" t="inlineStr"><is><t>Tên</t></is></c><c r="C1" t="inlineStr"><is><t>Tên viết tắt</t></is></c></row>` +
	`<row r="2"><c r="A2" t="inlineStr"><is><t>X1</t></is></c><c r="B2" t="str"><f t="shared" ref="B2:B3" si="0">UPPER(C2)</f><v>XÃ A</v></c><c r="C2" t="inlineStr"><is><t>Xã A</t></is></c></row>` +
	`<row r="3"><c r="A3" t="inlineStr"><is><t>X2</t></is></c><c r="B3" t="str"><f t="shared" si="0"/><v>XÃ B</v></c><c r="C3" t="inlineStr"><is><t>Xã B</t></is></c></row>` +
	`</sheetData></worksheet>`

func reportOf(t *testing.T, err error) Report {
	t.Helper()
	var rep Report
	if !errors.As(err, &rep) || len(rep) == 0 {
		t.Fatalf("want a Report error, got %v", err)
	}
	return rep
}

func TestParseFile(t *testing.T) {
	xlsx := importXLSX(t, [][]any{
		{"Mã", "Tên", "Loại", "Hiệu lực từ", "Số cán bộ"},
		{"X1", "Xã Nghi Phong", "Xã, phường", time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), 25},
		{},
		{"X2", "Xã Nghi Xuân", "commune", "02/01/2021", nil},
	})
	type want struct {
		format  string
		columns []Column
		lines   []int
		cell    [3]any // row index, column index, value
		reason  string // for a file that cannot be read
		row     int
		col     int
		value   string   // the issue's value, when set
		args    []string // the issue's arguments, when set
	}
	cases := []struct {
		name, file string
		data       []byte
		want       want
	}{
		{"csv comma, Vietnamese headers, CRLF", "units_ok.csv", readTestdata(t, "units_ok.csv"), want{format: "csv",
			columns: []Column{ColCode, ColName, ColType, ColSchoolLevel, ColParentCode, ColFocalName, ColFocalPhone, ColFocalEmail, ColStaffCount, ColHeadcountYear, ColValidFrom},
			lines:   []int{2, 3, 4}, cell: [3]any{1, 2, "Xã, phường"}}},
		{"csv semicolon with BOM and English keys", "a.csv", readTestdata(t, "units_semicolon.csv"), want{format: "csv",
			columns: []Column{ColCode, ColName, ColType, ColParentCode}, lines: []int{2, 3}, cell: [3]any{1, 1, "Xã Nghi Xuân, mới"}}},
		{"utf-16 with BOM, tabs", "units.txt", readTestdata(t, "units_utf16.txt"), want{format: "csv",
			columns: []Column{ColCode, ColName, ColType}, lines: []int{2}, cell: [3]any{0, 1, "Xã Nghi Phong"}}},
		{"xlsx with a date cell and a blank row", "units.xlsx", xlsx, want{format: "xlsx",
			columns: []Column{ColCode, ColName, ColType, ColValidFrom, ColStaffCount}, lines: []int{2, 4}, cell: [3]any{0, 3, "44197"}}},
		{"xlsx recognised by content", "units", xlsx, want{format: "xlsx",
			columns: []Column{ColCode, ColName, ColType, ColValidFrom, ColStaffCount}, lines: []int{2, 4}, cell: [3]any{1, 0, "X2"}}},
		{"blank lines before the header and between rows", "a.csv", []byte("\n,,\nma,ten\n\nX1,A\n,\nX2,B\n"), want{format: "csv",
			columns: []Column{ColCode, ColName}, lines: []int{5, 7}, cell: [3]any{1, 1, "B"}}},
		{"semicolons after blank lines", "a.csv", []byte("\r\n;;\r\nma;ten\r\nX1;Xã A, B\r\n"), want{format: "csv",
			columns: []Column{ColCode, ColName}, lines: []int{4}, cell: [3]any{0, 1, "Xã A, B"}}},
		{"headers in any case, with marks and spaces", "a.csv", []byte("MÃ ĐƠN VỊ *, tên viết tắt ,Parent Code\nX1,NP,40\n"), want{format: "csv",
			columns: []Column{ColCode, ColShortName, ColParentCode}, lines: []int{2}, cell: [3]any{0, 2, "40"}}},
		{"Windows-1258 bytes", "units.csv", readTestdata(t, "units_win1258.csv"), want{reason: "import.err.encoding", row: 1, col: 1}},
		{"invalid UTF-8 in a data row", "units.csv", []byte("ma,ten\nX1,Nghi Phong\nX2,Nghi Xu\xe2n\n"), want{reason: "import.err.encoding", row: 3, col: 2}},
		{"UTF-16 without a byte-order mark", "units.csv", []byte("m\x00a\x00,\x00t\x00e\x00n\x00\n\x00"), want{reason: "import.err.encoding", row: 1, col: 1}},
		// UTF-8 opened as Windows-1252 and saved again: valid UTF-8, wrong
		// letters; the file is refused where it shows, with what was meant.
		{"mojibake in a data row", "units.csv", []byte("ma,ten\nX1,Nghi Phong\nX2,Sá»Ÿ Y táº¿\n"),
			want{reason: "imports.err.mojibake", row: 3, col: 2, value: "Sá»Ÿ Y táº¿", args: []string{"Sở Y tế"}}},
		{"mojibake in the header", "units.csv", []byte("MÃ£,TÃªn\nX1,A\n"), want{reason: "imports.err.mojibake", row: 1, col: 1, args: []string{"Mã"}}},
		{"mojibake with a lost byte", "units.csv", []byte("ma,ten\nX1,UBND xÄ\ufffdÃ´ng\n"), want{reason: "imports.err.mojibake_lost", row: 2, col: 2}},
		{"mojibake with a byte-order mark", "units.csv", []byte("\xef\xbb\xbfma;ten\nX1;Sá»Ÿ\n"), want{reason: "imports.err.mojibake", row: 2, col: 2, args: []string{"Sở"}}},
		{"mojibake in a workbook", "units.xlsx", importXLSX(t, [][]any{{"Mã", "Tên"}, {"X1", "PhÆ°á»\u009dng"}}),
			want{reason: "imports.err.mojibake", row: 2, col: 2, args: []string{"Phường"}}},
		// A formula is reported as such, whether the workbook cached its
		// value (Excel does) or not (a program writing the formula).
		{"formula without a cached value", "units.xlsx", formulaXLSX(t), want{reason: "imports.err.formula", row: 3, col: 2, value: `=A3&" mới"`, args: []string{"1"}}},
		{"formula with a cached value", "units.xlsx", rawXLSX(t, strings.NewReader(formulaSheet), noStrings()),
			want{reason: "imports.err.formula", row: 2, col: 2, value: "=UPPER(C2)", args: []string{"2"}}},
		{"formula shared with the cell above", "units.xlsx", rawXLSX(t, strings.NewReader(strings.Replace(formulaSheet, `<f t="shared" ref="B2:B3" si="0">UPPER(C2)</f>`, "", 1)), noStrings()),
			want{reason: "imports.err.formula", row: 3, col: 2, value: "XÃ B", args: []string{"1"}}},
		{"empty file", "units.csv", nil, want{reason: "import.err.empty"}},
		{"blank file", "units.csv", []byte(" \r\n\r\n,,,\r\n"), want{reason: "import.err.empty"}},
		{"unknown column", "units.csv", []byte("Mã,Tên,Ghi chú\nX1,A,b\n"), want{reason: "import.err.unknown_column", row: 1, col: 3}},
		{"repeated column", "units.csv", []byte("Mã,Tên,code\nX1,A,b\n"), want{reason: "import.err.duplicate_column", row: 1, col: 3}},
		{"no code column", "units.csv", []byte("Tên,Loại\nA,commune\n"), want{reason: "import.err.no_code_column", row: 1}},
		{"old Excel format", "units.xls", []byte("whatever"), want{reason: "import.err.xls"}},
		{"not a spreadsheet", "units.pdf", []byte("%PDF-1.4"), want{reason: "import.err.format"}},
		{"damaged workbook", "units.xlsx", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{7}, 200)...), want{reason: "import.err.xlsx"}},
		{"line breaks inside cells", "a.csv", []byte("ma,ten\r\nX1,\"Xã\r\nNghi Phong\"\r\n\r\nX2,B\r\n"), want{format: "csv",
			columns: []Column{ColCode, ColName}, lines: []int{2, 4}, cell: [3]any{0, 1, "Xã\nNghi Phong"}}},
		{"broken quotes", "units.csv", []byte("ma,ten\nX1,\"abc\"def\"\n"), want{format: "csv", columns: []Column{ColCode, ColName}, lines: []int{2}, cell: [3]any{0, 0, "X1"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sheet, err := ParseFile(c.file, bytes.NewReader(c.data))
			if c.want.reason != "" {
				rep := reportOf(t, err)
				if rep[0].Reason != c.want.reason || rep[0].Row != c.want.row || rep[0].Col != c.want.col {
					t.Fatalf("got %+v, want %s at row %d col %d", rep[0], c.want.reason, c.want.row, c.want.col)
				}
				if c.want.value != "" && rep[0].Value != c.want.value {
					t.Errorf("value %q, want %q", rep[0].Value, c.want.value)
				}
				if c.want.args != nil && !slices.Equal(rep[0].Args, c.want.args) {
					t.Errorf("args %q, want %q", rep[0].Args, c.want.args)
				}
				for _, l := range i18n.Langs {
					if msg := rep[0].Message(l); msg == "" || msg == rep[0].Reason {
						t.Errorf("%s has no %s text", rep[0].Reason, l)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if sheet.Format != c.want.format || !slices.Equal(sheet.Columns, c.want.columns) {
				t.Fatalf("format %s columns %v, want %s %v", sheet.Format, sheet.Columns, c.want.format, c.want.columns)
			}
			var lines []int
			for _, r := range sheet.Rows {
				lines = append(lines, r.Line)
			}
			if !slices.Equal(lines, c.want.lines) {
				t.Errorf("lines %v, want %v", lines, c.want.lines)
			}
			r, col := c.want.cell[0].(int), c.want.cell[1].(int)
			if got := sheet.Rows[r].Cells[col]; got != c.want.cell[2] {
				t.Errorf("cell %d,%d = %q, want %q", r, col, got, c.want.cell[2])
			}
		})
	}
}

func TestParseFileLimits(t *testing.T) {
	big := bytes.Repeat([]byte("a"), MaxImportBytes+1)
	if rep := reportOf(t, ParseErr(ParseFile("big.csv", bytes.NewReader(big)))); rep[0].Reason != "import.err.too_large" {
		t.Errorf("too large: %+v", rep[0])
	}
	var b strings.Builder
	b.WriteString("ma\n")
	for range MaxImportRows + 1 {
		b.WriteString("X\n")
	}
	if rep := reportOf(t, ParseErr(ParseFile("many.csv", strings.NewReader(b.String())))); rep[0].Reason != "import.err.too_many_rows" {
		t.Errorf("too many rows: %+v", rep[0])
	}
}

// ParseErr keeps only the error of ParseFile.
func ParseErr(_ *Sheet, err error) error { return err }

func TestImportValues(t *testing.T) {
	for in, want := range map[string]string{
		"01/07/2025": "2025-07-01", "1/7/2025": "2025-07-01", "2025-07-01": "2025-07-01",
		"2025-07-01T00:00:00Z": "2025-07-01", "45839": "2025-07-01", "44197.5": "2021-01-01",
	} {
		d, err := ParseImportDate(in)
		if err != nil || d.ISO() != want {
			t.Errorf("ParseImportDate(%q) = %s, %v; want %s", in, d, err, want)
		}
	}
	for _, bad := range []string{"31/02/2025", "2025", "07/2025", "hôm nay", "13/13/2025", "-44197"} {
		if _, err := ParseImportDate(bad); err == nil {
			t.Errorf("ParseImportDate(%q) should fail", bad)
		}
	}
	for in, want := range map[string]int{"25": 25, "1.234": 1234, "1 234 567": 1234567, "25.0": 25, "0": 0, "-3": -3} {
		n, err := parseWhole(in)
		if err != nil || n == nil || *n != want {
			t.Errorf("parseWhole(%q) = %v, %v; want %d", in, n, err, want)
		}
	}
	for _, bad := range []string{"1,5", "mười", "25 người", "1e20"} {
		if _, err := parseWhole(bad); err == nil {
			t.Errorf("parseWhole(%q) should fail", bad)
		}
	}
	for in, want := range map[string]Type{"commune": TypeCommune, "Xã, phường": TypeCommune, "xa phuong": TypeCommune,
		i18n.EN.T("unit.type.commune"): TypeCommune, "Trường học": TypeSchool, "SCHOOL": TypeSchool, "": ""} {
		got, _ := ParseType(in)
		if got != want {
			t.Errorf("ParseType(%q) = %q, want %q", in, got, want)
		}
	}
	if _, ok := ParseType("Hợp tác xã"); ok {
		t.Error("an unknown type should not parse")
	}
	if l, ok := ParseSchoolLevel("Trung học cơ sở"); !ok || l != LevelLowerSecondary {
		t.Errorf("level: %q %v", l, ok)
	}
}

// planDirectory is a small directory (code: parent):
//
//	40 (root, from 2021)
//	├── X1 commune ── X1-THCS school
//	├── Y1 commune
//	└── OLD commune, closed on 01/07/2025
func planDirectory() Directory {
	from := dates.MustParse("2021-01-01")
	staff := 25
	mk := func(id int64, code, name string, typ Type, parent string) *Existing {
		u := &Unit{ID: id, Code: code, Name: name, Type: typ, ValidFrom: from, StaffCount: &staff, HeadcountYear: 2025,
			Focal: Contact{Name: "Cán bộ " + code, Phone: "0912345678", Email: strings.ToLower(code) + "@t.vn"}}
		if typ == TypeSchool {
			u.SchoolLevel = LevelLowerSecondary
		}
		e := &Existing{Unit: u, ParentCode: parent}
		if parent != "" {
			e.PlacedFrom, e.LastPlacement = from, from
		}
		return e
	}
	d := Directory{
		"40":      mk(1, "40", "Ủy ban nhân dân tỉnh Nghệ An", TypeProvinceCommittee, ""),
		"X1":      mk(2, "X1", "Xã Nghi Phong", TypeCommune, "40"),
		"X1-THCS": mk(3, "X1-THCS", "Trường THCS Nghi Phong", TypeSchool, "X1"),
		"Y1":      mk(4, "Y1", "Phường Vinh Phú", TypeCommune, "40"),
		"OLD":     mk(5, "OLD", "Xã Cũ", TypeCommune, ""),
	}
	d["OLD"].Unit.ValidTo = dates.MustParse("2025-07-01")
	return d
}

// planOf parses CSV text and plans it against planDirectory.
func planOf(t *testing.T, csvText string) (*ImportPlan, Report) {
	t.Helper()
	sheet, err := ParseFile("plan.csv", strings.NewReader(csvText))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return Plan(sheet, planDirectory(), dates.MustParse("2026-01-15"))
}

func TestPlan(t *testing.T) {
	type issue struct {
		row    int
		column Column
		reason string
	}
	head := "Mã,Tên,Loại,Cấp học,Mã đơn vị cấp trên,Email đầu mối,Số cán bộ,Năm số liệu,Hiệu lực từ\n"
	cases := []struct {
		name   string
		rows   string
		issues []issue
		steps  []string // codes in write order, with what happens: +create, ~update, >move, =unchanged
	}{
		{"new units, parent later in the file", "Z1-A,Trường Z,school,Tiểu học,Z1,,,,\nZ1,Xã Z,commune,,40,,,,01/02/2025\n", nil,
			[]string{"+Z1", "+Z1-A"}},
		{"duplicate codes", "Z1,Xã Z,commune,,40,,,,\nZ2,Xã Z2,commune,,40,,,,\nZ1,Xã Z lần hai,commune,,40,,,,\n",
			[]issue{{2, ColCode, "import.err.duplicate_code"}, {4, ColCode, "import.err.duplicate_code"}}, []string{"+Z2"}},
		{"unknown parent", "Z1,Xã Z,commune,,NOPE,,,,\n", []issue{{2, ColParentCode, "import.err.parent_unknown"}}, nil},
		{"cycle: X1 under its own school", "X1,Xã Nghi Phong,commune,,X1-THCS,x1@t.vn,25,2025,\n",
			[]issue{{2, ColParentCode, "import.err.cycle"}}, nil},
		{"cycle inside the file", "Z1,Xã Z,commune,,Z2,,,,\nZ2,Xã Z2,commune,,Z1,,,,\n",
			[]issue{{2, ColParentCode, "import.err.cycle"}, {3, ColParentCode, "import.err.cycle"}}, nil},
		{"unit under itself", "Z1,Xã Z,commune,,Z1,,,,\n", []issue{{2, ColParentCode, "err.parent_self"}}, nil},
		{"bad date", "Z1,Xã Z,commune,,40,,,,31/02/2025\n", []issue{{2, ColValidFrom, "import.err.date"}}, nil},
		{"bad type", "Z1,Xã Z,hợp tác xã,,40,,,,\n", []issue{{2, ColType, "import.err.type"}}, nil},
		{"bad level", "Z1,Trường Z,school,đại học,40,,,,\n", []issue{{2, ColSchoolLevel, "import.err.level"}}, nil},
		{"bad numbers", "Z1,Xã Z,commune,,40,,hai mươi,2025,\nZ2,Xã Z2,commune,,40,,20,năm nay,\n",
			[]issue{{2, ColStaffCount, "err.number"}, {3, ColHeadcountYear, "err.number"}}, nil},
		{"field rules of the unit", "Z1,,commune,,40,không-phải-email,,,\nZ 2,Xã,commune,,40,,5,,\n",
			[]issue{{2, ColName, "err.required"}, {2, ColFocalEmail, "err.email"}, {3, ColCode, "err.code_chars"}, {3, ColHeadcountYear, "err.headcount_year_required"}}, nil},
		{"parent row invalid makes the child invalid", "Z1,Xã Z,hợp tác xã,,40,,,,\nZ1-A,Trường,school,Tiểu học,Z1,,,,\nZ2,Xã Z2,commune,,40,,,,\n",
			[]issue{{2, ColType, "import.err.type"}, {3, ColParentCode, "import.err.parent_invalid"}}, []string{"+Z2"}},
		{"parent not yet created on the child's date", "Z1,Xã Z,commune,,40,,,,01/01/2026\nZ1-A,Trường,school,Tiểu học,Z1,,,,01/01/2025\n",
			[]issue{{3, ColParentCode, "import.err.parent_inactive"}}, []string{"+Z1"}},
		{"upsert and no-op", "X1,Xã Nghi Phong (mới),commune,,40,x1@t.vn,25,2025,01/01/2021\nY1,Phường Vinh Phú,\"Xã, phường\",,40,y1@t.vn,25,2025,01/01/2021\n", nil,
			[]string{"~X1", "=Y1"}},
		{"move with swapped levels, parent first", "X1,Xã Nghi Phong,commune,,X1-THCS,x1@t.vn,25,2025,\nX1-THCS,Trường THCS Nghi Phong,school,Trung học cơ sở,40,x1-thcs@t.vn,25,2025,\n", nil,
			[]string{">X1-THCS", ">X1"}},
		{"dropped row leaves a cycle", "X1-THCS,Trường THCS Nghi Phong,school,Trung học cơ sở,40,sai email,25,2025,\nX1,Xã Nghi Phong,commune,,X1-THCS,x1@t.vn,25,2025,\n",
			[]issue{{2, ColFocalEmail, "err.email"}, {3, ColParentCode, "import.err.cycle"}}, nil},
		{"a unit cannot become a root", "X1,Xã Nghi Phong,commune,,,x1@t.vn,25,2025,\n", []issue{{2, ColParentCode, "import.err.make_root"}}, nil},
		{"a closed unit cannot change", "OLD,Xã Cũ đổi tên,commune,,,old@t.vn,25,2025,\n", []issue{{2, ColCode, "import.err.unit_closed"}}, nil},
		{"under a closed parent", "Z1,Xã Z,commune,,OLD,,,,\n", []issue{{2, ColParentCode, "import.err.parent_inactive"}}, nil},
		{"move before the current placement", "Y1,Phường Vinh Phú,commune,,X1,y1@t.vn,25,2025,01/01/2020\n", nil, []string{">Y1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan, rep := planOf(t, head+c.rows)
			var got []issue
			for _, is := range rep {
				col := Column("")
				if is.Col > 0 {
					col = headerIndex[HeaderKey(is.Column)]
				}
				got = append(got, issue{is.Row, col, is.Reason})
				if is.Message(i18n.VI) == is.Message(i18n.EN) || strings.HasPrefix(is.Message(i18n.EN), "import.") {
					t.Errorf("issue %+v should read differently in vi and en: %q / %q", is, is.Message(i18n.VI), is.Message(i18n.EN))
				}
			}
			if !slices.Equal(got, c.issues) {
				t.Errorf("issues:\n got %+v\nwant %+v\nreport: %+v", got, c.issues, rep)
			}
			var steps []string
			for _, st := range plan.Steps {
				mark := "="
				switch {
				case st.Create:
					mark = "+"
				case st.Move:
					mark = ">"
				case st.Update:
					mark = "~"
				}
				steps = append(steps, mark+st.Code)
			}
			if !slices.Equal(steps, c.steps) {
				t.Errorf("steps %v, want %v", steps, c.steps)
			}
			if plan.Invalid != rep.InvalidRows() {
				t.Errorf("invalid rows %d, report names %d", plan.Invalid, rep.InvalidRows())
			}
		})
	}
}

func TestPlanMoveDates(t *testing.T) {
	today := dates.MustParse("2026-01-15")
	for _, c := range []struct{ validFrom, want string }{
		{"", "2026-01-15"},           // no date: today
		{"01/01/2021", "2026-01-15"}, // the creation date an export carries: today
		{"01/03/2025", "2025-03-01"}, // after the current placement: that day
	} {
		plan, rep := planOf(t, "Mã,Mã đơn vị cấp trên,Hiệu lực từ\nY1,X1,"+c.validFrom+"\n")
		if len(rep) > 0 || len(plan.Steps) != 1 || !plan.Steps[0].Move {
			t.Fatalf("%q: %+v %+v", c.validFrom, plan.Steps, rep)
		}
		if got := plan.Steps[0].MoveDate.ISO(); got != c.want {
			t.Errorf("valid_from %q: move on %s, want %s (today %s)", c.validFrom, got, c.want, today)
		}
	}
	// A placement scheduled after the move date cannot be overtaken.
	dir := planDirectory()
	dir["Y1"].LastPlacement = dates.MustParse("2026-06-01")
	sheet, _ := ParseFile("a.csv", strings.NewReader("Mã,Mã đơn vị cấp trên\nY1,X1\n"))
	_, rep := Plan(sheet, dir, today)
	if len(rep) != 1 || rep[0].Reason != "import.err.later_placement" {
		t.Errorf("later placement: %+v", rep)
	}
}

// Missing columns keep what is stored; only the code is required.
func TestPlanPartialColumns(t *testing.T) {
	plan, rep := planOf(t, "ma,so can bo\nX1,30\nX1-THCS,25\n")
	if len(rep) > 0 {
		t.Fatalf("report: %+v", rep)
	}
	if len(plan.Steps) != 2 || !plan.Steps[0].Update || plan.Steps[1].Changes() {
		t.Fatalf("steps: %+v", plan.Steps)
	}
	u := plan.Steps[0].Unit
	if *u.StaffCount != 30 || u.Name != "Xã Nghi Phong" || u.Focal.Email != "x1@t.vn" || u.HeadcountYear != 2025 {
		t.Errorf("updated unit: %+v", u)
	}
	// Cells without a header are reported, not dropped silently.
	_, rep = planOf(t, "ma,ten\nX1,Xã Nghi Phong,thừa\n")
	if len(rep) != 1 || rep[0].Reason != "import.err.no_header" || rep[0].Col != 3 {
		t.Errorf("extra cell: %+v", rep)
	}
}

// An export, in both formats, imports back without any change.
func TestExportRoundTrip(t *testing.T) {
	dir := planDirectory()
	delete(dir, "OLD")
	pupils := 812
	dir["X1-THCS"].Unit.PupilCount = &pupils
	dir["X1-THCS"].Unit.ShortName = "THCS NP"
	dir["X1-THCS"].Unit.HeadName = "=Nguyễn Văn B"         // looks like a formula
	dir["Y1"].Unit.Focal.Phone = "+84 912 345 678"         // starts with +
	dir["Y1"].Unit.Name = "Phường Vinh Phú; \"mới\", 2025" // separators and quotes
	var list []Entry
	for _, code := range []string{"40", "X1", "X1-THCS", "Y1"} {
		list = append(list, Entry{Unit: dir[code].Unit, ParentCode: dir[code].ParentCode})
	}
	for _, f := range []Format{FormatCSV, FormatXLSX} {
		var buf bytes.Buffer
		if err := Export(&buf, f, list); err != nil {
			t.Fatal(err)
		}
		sheet, err := ParseFile("export."+string(f), &buf)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(sheet.Header) != len(Columns()) {
			t.Errorf("%s: header %v", f, sheet.Header)
		}
		plan, rep := Plan(sheet, dir, dates.MustParse("2026-01-15"))
		if len(rep) > 0 {
			t.Fatalf("%s: report %+v", f, rep)
		}
		if len(plan.Steps) != 4 {
			t.Fatalf("%s: %d steps", f, len(plan.Steps))
		}
		for _, st := range plan.Steps {
			if st.Changes() {
				t.Errorf("%s: row %d (%s) would change: %+v", f, st.Row, st.Code, st.Unit)
			}
		}
	}
	var buf bytes.Buffer
	if err := Export(&buf, FormatCSV, list); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	if !strings.HasPrefix(text, "\uFEFFMã,Tên,Tên viết tắt,Loại,") || !strings.Contains(text, "'=Nguyễn Văn B") || !strings.Contains(text, "Xã, phường") {
		t.Errorf("CSV export:\n%s", text)
	}
}

func TestTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := Template(&buf); err != nil {
		t.Fatal(err)
	}
	sheet, err := ParseFile("mau.xlsx", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sheet.Columns, Columns()) || len(sheet.Rows) != 0 {
		t.Errorf("template columns %v, %d rows", sheet.Columns, len(sheet.Rows))
	}
}

// FuzzParseUnitFile feeds arbitrary bytes to the parser (as CSV and as a
// workbook) and plans whatever it accepts: nothing may panic, and every
// failure must be a report.
func FuzzParseUnitFile(f *testing.F) {
	for _, name := range []string{"units_ok.csv", "units_semicolon.csv", "units_win1258.csv", "units_utf16.txt"} {
		f.Add(readTestdata(f, name), false)
	}
	f.Add([]byte("Mã;Tên\n\"X1;\"\"a\"\n"), false)
	f.Add([]byte("\xff\xfeM\x00"), false)
	f.Add([]byte("ma,ten\nX1,Sá»Ÿ Y táº¿\nX2,xÄ\ufffdÃ´ng\n"), false)
	f.Add(formulaXLSX(f), true)
	f.Add(rawXLSX(f, strings.NewReader(formulaSheet), noStrings()), true)
	f.Add(importXLSX(f, [][]any{{"Mã", "Tên", "Loại", "Mã đơn vị cấp trên"}, {"X1", "A", "commune", "40"}, {"40", "B", "commune", "X1"}}), true)
	for _, h := range hostileXLSX(f) {
		f.Add(h.file, true)
	}
	dir := planDirectory()
	today := dates.MustParse("2026-01-15")
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		name := "fuzz.csv"
		if xlsx {
			name = "fuzz.xlsx"
		}
		var sheet *Sheet
		var err error
		if alloc := allocated(func() { sheet, err = ParseFile(name, bytes.NewReader(data)) }); alloc > fileAllocBound(len(data)) {
			t.Fatalf("%d-byte file allocated %d MiB", len(data), alloc>>20)
		}
		if err != nil {
			var rep Report
			if !errors.As(err, &rep) || len(rep) == 0 {
				t.Fatalf("error is not a report: %v", err)
			}
			return
		}
		if len(sheet.Rows) > MaxImportRows {
			t.Fatalf("%d rows", len(sheet.Rows))
		}
		plan, rep := Plan(sheet, dir, today)
		if plan.Invalid+len(plan.Steps) != len(sheet.Rows) {
			t.Fatalf("%d invalid + %d steps != %d rows", plan.Invalid, len(plan.Steps), len(sheet.Rows))
		}
		for _, is := range rep {
			_ = is.Message(i18n.EN)
		}
	})
}
