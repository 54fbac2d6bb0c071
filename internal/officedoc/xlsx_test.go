package officedoc

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"khienso/internal/dates"
)

func TestSheetName(t *testing.T) {
	for in, want := range map[string]string{
		"Số liệu tổng hợp":           "Số liệu tổng hợp",
		"Kỳ 1/2026: [nháp]*?\\":      "Kỳ 1-2026- -nháp----",
		"  'Chỉ tiêu'  ":             "Chỉ tiêu",
		"":                           "Sheet1",
		strings.Repeat("Đơn vị ", 8): "Đơn vị Đơn vị Đơn vị Đơn vị Đơn",
	} {
		got := SheetName(in)
		if got != want {
			t.Errorf("SheetName(%q) = %q, want %q", in, got, want)
		}
		if n := len([]rune(got)); n > 31 {
			t.Errorf("SheetName(%q) has %d characters", in, n)
		}
	}
}

func TestWriteXLSX(t *testing.T) {
	var buf bytes.Buffer
	err := WriteXLSX(&buf,
		Sheet{Name: "Danh sách: đơn vị", FreezeCols: 2,
			Columns: []Column{{Header: "Mã", Width: 12}, {Header: "Tên đơn vị", Width: 40}, {Header: "Số người"}, {Header: "Tỷ lệ", Width: 9},
				{Header: "Ngày", Width: 12}, {Header: "Năm", Width: 8}},
			Rows: func(r *SheetRows) error {
				if err := r.Add("007", "Xã Nghi Phong", 1234.0, Percent(0.25), dates.New(2026, 3, 5), 2026); err != nil {
					return err
				}
				if err := r.Add("008", "Xã Nghi Lộc", 2.5, nil, dates.Date{}, 2025); err != nil {
					return err
				}
				if err := r.AddTotal("", "Tổng cộng", 1236.5); err != nil {
					return err
				}
				if err := r.Add("late"); err == nil {
					t.Error("a data row after the total row was accepted")
				}
				return nil
			}},
		Sheet{Name: "danh sách: ĐƠN VỊ", NoFilter: true, Columns: []Column{{Header: "Hướng dẫn cách điền"}},
			Rows: func(r *SheetRows) error { return r.Add("Điền mỗi đơn vị một dòng.") }},
		Sheet{Name: "Mẫu", Columns: []Column{{Header: "Loại", Width: 20, Format: FormatText}, {Header: "Từ ngày", Format: FormatDate}},
			DropLists: []DropList{{Column: 0, Rows: 100, Source: "'danh sách- ĐƠN VỊ (2)'!$A$2:$A$2", Warning: "Chọn trong danh sách"}}},
	)
	if err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Names made valid, and unique ignoring case.
	names := f.GetSheetList()
	want := []string{"Danh sách- đơn vị", "danh sách- ĐƠN VỊ (2)", "Mẫu"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %q, want %q", names, want)
	}
	list := names[0]
	rows, err := f.GetRows(list)
	if err != nil {
		t.Fatal(err)
	}
	wantRows := [][]string{
		{"Mã", "Tên đơn vị", "Số người", "Tỷ lệ", "Ngày", "Năm"},
		{"007", "Xã Nghi Phong", "1,234", "25.0%", "05/03/2026", "2026"},
		{"008", "Xã Nghi Lộc", "2.50", "", "", "2025"},
		{"", "Tổng cộng", "1,236.50"},
	}
	for i, w := range wantRows {
		if i >= len(rows) || strings.Join(rows[i], "|") != strings.Join(w, "|") {
			t.Errorf("row %d = %q, want %q", i+1, rows[min(i, len(rows)-1)], w)
		}
	}
	// Values are typed: numbers are numbers, codes stay text.
	for cell, typ := range map[string]excelize.CellType{"A2": excelize.CellTypeInlineString, "C2": excelize.CellTypeUnset, "F2": excelize.CellTypeUnset} {
		if got, _ := f.GetCellType(list, cell); got != typ {
			t.Errorf("%s type %v, want %v", cell, got, typ)
		}
	}
	for cell, bold := range map[string]bool{"A1": true, "B2": false, "B4": true, "C4": true} {
		id, _ := f.GetCellStyle(list, cell)
		st, err := f.GetStyle(id)
		if err != nil || (st.Font != nil && st.Font.Bold) != bold {
			t.Errorf("%s bold = %v, want %v", cell, st.Font != nil && st.Font.Bold, bold)
		}
	}
	checkLayout(t, f, list, "C2", 2, "A1:F3", map[string]float64{"A": 12, "B": 40, "C": 10, "D": 9})
	// A guide sheet: header frozen, no filter; width from its header.
	checkLayout(t, f, names[1], "A2", 0, "", map[string]float64{"A": 21})
	checkLayout(t, f, names[2], "A2", 0, "A1:B1", map[string]float64{"A": 20})
	dv, err := f.GetDataValidations(names[2])
	if err != nil || len(dv) != 1 || dv[0].Sqref != "A2:A101" || dv[0].Formula1 != "'danh sách- ĐƠN VỊ (2)'!$A$2:$A$2" {
		t.Errorf("drop list %+v %v", dv, err)
	}
	for _, col := range []string{"A", "B"} {
		id, err := f.GetColStyle(names[2], col)
		st, _ := f.GetStyle(id)
		if err != nil || st == nil || (col == "A" && st.NumFmt != 49) || (col == "B" && (st.CustomNumFmt == nil || *st.CustomNumFmt != "dd/mm/yyyy")) {
			t.Errorf("column %s style %+v %v", col, st, err)
		}
	}
	// The filter sits in the worksheet (the stream writer writes it in
	// its place after the rows).
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	for _, zf := range zr.File {
		if zf.Name == "xl/worksheets/sheet1.xml" {
			rc, _ := zf.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Contains(x, []byte(`<autoFilter ref="$A$1:$F$3">`)) && !bytes.Contains(x, []byte(`<autoFilter ref="$A$1:$F$3"/>`)) {
				t.Errorf("sheet1.xml has no autoFilter over A1:F3")
			}
		}
	}
}

// checkLayout asserts a sheet's frozen panes (top-left cell of the
// scrolling part and frozen columns), its filter ("" for none) and widths.
func checkLayout(t *testing.T, f *excelize.File, sheet, topLeft string, cols int, filter string, widths map[string]float64) {
	t.Helper()
	p, err := f.GetPanes(sheet)
	if err != nil || !p.Freeze || p.TopLeftCell != topLeft || p.YSplit != 1 || p.XSplit != cols {
		t.Errorf("%s panes %+v (%v), want frozen at %s", sheet, p, err, topLeft)
	}
	got := ""
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" && dn.Scope == sheet {
			got = strings.ReplaceAll(dn.RefersTo[strings.Index(dn.RefersTo, "!")+1:], "$", "")
		}
	}
	if got != filter {
		t.Errorf("%s filter %q, want %q", sheet, got, filter)
	}
	for col, w := range widths {
		if got, err := f.GetColWidth(sheet, col); err != nil || got != w {
			t.Errorf("%s column %s width %v (%v), want %v", sheet, col, got, err, w)
		}
	}
}

func TestWriteXLSXErrors(t *testing.T) {
	if err := WriteXLSX(io.Discard); err == nil {
		t.Error("a workbook without sheets was written")
	}
	boom := func(*SheetRows) error { return io.ErrUnexpectedEOF }
	if err := WriteXLSX(io.Discard, Sheet{Name: "A", Columns: []Column{{Header: "x"}}, Rows: boom}); err == nil {
		t.Error("a row error was not reported")
	}
	if err := WriteXLSX(failWriter{}, Sheet{Name: "A"}); err == nil {
		t.Error("a write error was not reported")
	}
}
