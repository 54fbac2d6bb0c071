package units

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// sheetLayout is what a test reads back of a sheet's layout: the top-left
// cell of its scrolling part, frozen columns, filter range ("" for none).
func sheetLayout(t *testing.T, f *excelize.File, sheet string) (topLeft string, cols int, filter string) {
	t.Helper()
	p, err := f.GetPanes(sheet)
	if err != nil || !p.Freeze || p.YSplit != 1 {
		t.Errorf("%s: header row not frozen: %+v %v", sheet, p, err)
	}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" && dn.Scope == sheet {
			filter = strings.ReplaceAll(dn.RefersTo[strings.Index(dn.RefersTo, "!")+1:], "$", "")
		}
	}
	return p.TopLeftCell, p.XSplit, filter
}

func TestXLSXLayout(t *testing.T) {
	dir := planDirectory()
	var list []Entry
	for _, code := range []string{"40", "X1", "X1-THCS", "Y1"} {
		list = append(list, Entry{Unit: dir[code].Unit, ParentCode: dir[code].ParentCode})
	}
	var buf bytes.Buffer
	if err := Export(&buf, FormatXLSX, list); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Đơn vị" {
		t.Fatalf("export sheets %q", got)
	}
	if tl, cols, filter := sheetLayout(t, f, "Đơn vị"); tl != "C2" || cols != 2 || filter != "A1:N5" {
		t.Errorf("export layout: %s %d %q, want C2, code and name frozen, filter A1:N5", tl, cols, filter)
	}
	for i, w := range columnWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if got, _ := f.GetColWidth("Đơn vị", col); got != w {
			t.Errorf("column %s width %v, want %v", col, got, w)
		}
	}
	if v, _ := f.GetCellValue("Đơn vị", "N2"); v == "" || strings.Count(v, "/") != 2 {
		t.Errorf("valid-from %q is not a dd/mm/yyyy date", v)
	}

	buf.Reset()
	if err := Template(&buf); err != nil {
		t.Fatal(err)
	}
	if f, err = excelize.OpenReader(&buf); err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); strings.Join(got, "|") != "Đơn vị|Hướng dẫn" {
		t.Fatalf("template sheets %q", got)
	}
	if tl, _, filter := sheetLayout(t, f, "Đơn vị"); tl != "C2" || filter != "A1:N1" {
		t.Errorf("template layout %s %q", tl, filter)
	}
	if tl, _, filter := sheetLayout(t, f, "Hướng dẫn"); tl != "A2" || filter != "" {
		t.Errorf("guide layout %s %q: a guide has no filter", tl, filter)
	}
	if w, _ := f.GetColWidth("Hướng dẫn", "C"); w != 70 {
		t.Errorf("guide column C width %v", w)
	}
	dvs, err := f.GetDataValidations("Đơn vị")
	if err != nil || len(dvs) != 2 {
		t.Fatalf("drop lists %+v %v", dvs, err)
	}
	// The type list points at the guide's rows of types.
	rows, _ := f.GetRows("Hướng dẫn")
	typeCol, _ := excelize.ColumnNumberToName(columnIndex(ColType) + 1)
	for _, dv := range dvs {
		if !strings.HasPrefix(dv.Sqref, typeCol+"2:") {
			continue
		}
		var first, last int
		if _, err := fmt.Sscanf(dv.Formula1, "'Hướng dẫn'!$A$%d:$A$%d", &first, &last); err != nil {
			t.Fatalf("type list source %q: %v", dv.Formula1, err)
		}
		if rows[first-1][1] != string(Types[0]) || rows[last-1][1] != string(Types[len(Types)-1]) {
			t.Errorf("type list %q covers %q … %q", dv.Formula1, rows[first-1], rows[last-1])
		}
		return
	}
	t.Errorf("no drop list on the type column %s: %+v", typeCol, dvs)
}
