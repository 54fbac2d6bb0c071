package activities

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestTemplateLayout opens the template as a user would: named sheets, the
// header frozen with a filter, columns wide enough for the example row,
// and the lists of accepted values with their keys.
func TestTemplateLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := Template(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); strings.Join(got, "|") != "Hoạt động|Danh mục" {
		t.Fatalf("sheets %q", got)
	}
	filters := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" {
			filters[dn.Scope] = strings.ReplaceAll(dn.RefersTo[strings.Index(dn.RefersTo, "!")+1:], "$", "")
		}
	}
	last, _ := excelize.ColumnNumberToName(len(columnDefs))
	lists, _ := f.GetRows("Danh mục")
	for sheet, want := range map[string]string{"Hoạt động": "A1:" + last + "2", "Danh mục": "A1:C" + strconv.Itoa(len(lists))} {
		if p, err := f.GetPanes(sheet); err != nil || !p.Freeze || p.TopLeftCell != "A2" {
			t.Errorf("%s panes %+v %v", sheet, p, err)
		}
		if filters[sheet] != want {
			t.Errorf("%s filter %q, want %q", sheet, filters[sheet], want)
		}
	}
	for i, d := range columnDefs {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if w, _ := f.GetColWidth("Hoạt động", col); w != templateWidths[d.key] || w < 10 {
			t.Errorf("column %s (%s) width %v", col, d.key, w)
		}
	}
	if n := max(len(TypeNames()), len(ChannelNames()), len(AudienceNames())) + 1; len(lists) != n {
		t.Errorf("%d list rows", len(lists))
	}
	if lists[0][0] != "Loại hoạt động" || !strings.HasSuffix(lists[1][0], ")") {
		t.Errorf("lists start %q", lists[:2])
	}
}
