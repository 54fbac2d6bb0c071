package reportdoc

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"khienso/internal/dates"
	"khienso/internal/indicators"
	"khienso/internal/officedoc"
	"khienso/internal/reports"
)

// testT renders a key and its arguments, so tests can see what was asked.
func testT(key string, args ...any) string {
	if len(args) == 0 {
		return key
	}
	return key + fmt.Sprint(args...)
}

func sample(n int) Input {
	tpl := reports.Standard()
	tpl.Fields = tpl.Fields[:2]
	tpl.Sections = tpl.Sections[:2]
	r := &reports.Round{ID: 1, Title: "Báo cáo năm 2026", From: dates.New(2026, 1, 1), To: dates.New(2026, 12, 31), Deadline: dates.New(2026, 12, 5)}
	in := Input{Round: r, Template: &tpl, Subs: map[int64]*reports.Submission{}}
	statuses := []reports.Status{reports.StatusAccepted, reports.StatusSubmitted, reports.StatusDraft, reports.StatusMissing, reports.StatusReturned}
	for i := 1; i <= n; i++ {
		st := statuses[(i-1)%len(statuses)]
		u := UnitRow{UnitID: int64(i), Name: fmt.Sprintf("Xã số %d", i), Code: fmt.Sprintf("X%d", i), Status: st, Late: i%2 == 0}
		if st != reports.StatusMissing {
			in.Subs[int64(i)] = &reports.Submission{UnitID: int64(i), Status: st,
				Values:     map[string]float64{"materials": float64(i), "directives": 1.5},
				Narratives: map[string]string{"results": fmt.Sprintf("Kết quả <tốt> & đều\nở xã %d", i)}}
			u.SubmittedDay = dates.New(2026, 12, 1)
		}
		in.Units = append(in.Units, u)
	}
	return in
}

func TestBuild(t *testing.T) {
	m := Build(sample(5))
	// Units 1 (accepted, on time) and 2 (submitted, late) count.
	checks := []struct {
		name      string
		got, want any
	}{
		{"required", m.Required, 5},
		{"submitted", m.Submitted, 2},
		{"on time", m.OnTime, 1},
		{"late", m.Late, 1},
		{"accepted", m.Accepted, 1},
		{"materials total", m.Figures[0].Total, 3.0},
		{"directives total", m.Figures[1].Total, 3.0},
		{"results entries", len(m.Sections[0].Entries), 2},
		{"limitations entries", len(m.Sections[1].Entries), 0},
		{"first entry", m.Sections[0].Entries[0].UnitName, "Xã số 1"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if empty := Build(Input{}); empty.Required != 0 || len(empty.Figures) != 0 {
		t.Errorf("an empty input should give an empty model: %+v", empty)
	}
}

func TestNumber(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{{0, "0"}, {1234567, "1.234.567"}, {1234.5, "1.234,5"}, {0.25, "0,25"}, {-12, "-12"}, {999.999, "1.000"}} {
		if got := Number(c.in); got != c.want {
			t.Errorf("Number(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func docxText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			x, _ := io.ReadAll(rc)
			return string(x)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

func TestDocument(t *testing.T) {
	m := Build(sample(5))
	h := Header{ParentBody: "UBND tỉnh Nghệ An", IssuingBody: "Sở KHCN", Symbol: "BC-SKHCN", Place: "Nghệ An",
		Authority: []string{"KT. Giám đốc", "Phó Giám đốc"}, SignerName: "Nguyễn Văn A", Recipients: []string{"UBND tỉnh;", "Lưu: VT."}}
	d := m.Document(h, dates.New(2026, time.December, 6), testT)
	if d.Number != "" || d.Symbol != "BC-SKHCN" {
		t.Errorf("number must stay blank for the clerk: %q %q", d.Number, d.Symbol)
	}
	// The round "Báo cáo năm 2026" is titled "Kết quả năm 2026" under BÁO CÁO.
	if want := testT("report.doc.title", "năm 2026"); d.Title != want {
		t.Errorf("title %q, want %q", d.Title, want)
	}
	var buf bytes.Buffer
	if err := officedoc.WriteDOCX(&buf, d); err != nil {
		t.Fatal(err)
	}
	xml := docxText(t, buf.Bytes())
	for _, want := range []string{"Xã số 1: Kết quả &lt;tốt&gt; &amp; đều ở xã 1", "Xã số 2: Kết quả", "Số tài liệu tuyên truyền", ">3<",
		"report.status.missing", "Xã số 5", "report.doc.completeness2 5 1 1 1"} {
		if !strings.Contains(xml, want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}
	if strings.Contains(xml, "Xã số 3: ") {
		t.Error("a draft's narrative must not appear in the report")
	}
	buf.Reset()
	if err := officedoc.WritePDF(&buf, d); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
		t.Errorf("PDF: %v", err)
	}
}

func TestXLSX(t *testing.T) {
	m := Build(sample(5))
	var buf bytes.Buffer
	if err := m.WriteFiguresXLSX(&buf, testT); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "report.xlsx.sheet_figures" {
		t.Fatalf("figures sheets %q: one, named from the catalogue (no plan, no indicator sheet)", got)
	}
	sheet := "report.xlsx.sheet_figures"
	rows, _ := f.GetRows(sheet)
	if len(rows) != 7 {
		t.Fatalf("figures sheet has %d rows, want header + 5 units + total", len(rows))
	}
	if rows[1][1] != "Xã số 1" || rows[1][3] != "1" || rows[2][3] != "2" || rows[6][3] != "3" {
		t.Errorf("figures rows: %q", rows)
	}
	if len(rows[3]) > 3 && rows[3][3] != "" {
		t.Errorf("a draft's figures must be blank: %q", rows[3])
	}
	// The matrix keeps the header row and the unit's code and name in
	// view; the filter covers the units, not the total row.
	checkSheetLayout(t, f, sheet, "C2", "A1:E6", map[string]float64{"A": 14, "B": 40, "C": 16, "D": 18, "E": 18})

	buf.Reset()
	if err := m.WriteCompletenessXLSX(&buf, testT); err != nil {
		t.Fatal(err)
	}
	f, err = excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sheet = "report.xlsx.sheet_completeness"
	rows, _ = f.GetRows(sheet)
	if len(rows) != 7 || rows[2][2] != "report.status.submitted" || rows[2][4] != "report.doc.late_mark" || rows[2][3] != "01/12/2026" {
		t.Errorf("completeness rows: %q", rows)
	}
	checkSheetLayout(t, f, sheet, "A2", "A1:E6", map[string]float64{"A": 14, "B": 40, "E": 10})
}

// checkSheetLayout asserts the frozen panes (top-left cell of the
// scrolling part), the filter range and column widths of a sheet.
func checkSheetLayout(t *testing.T, f *excelize.File, sheet, topLeft, filter string, widths map[string]float64) {
	t.Helper()
	p, err := f.GetPanes(sheet)
	if err != nil || !p.Freeze || p.TopLeftCell != topLeft {
		t.Errorf("%s panes %+v (%v), want frozen at %s", sheet, p, err, topLeft)
	}
	want := fmt.Sprintf("'%s'!$%s", sheet, strings.ReplaceAll(filter, ":", ":$"))
	want = regexp.MustCompile(`([A-Z]+)(\d+)`).ReplaceAllString(want, "$1$$$2")
	found := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" && dn.Scope == sheet {
			found = true
			if dn.RefersTo != want {
				t.Errorf("%s filter %s, want %s", sheet, dn.RefersTo, want)
			}
		}
	}
	if !found {
		t.Errorf("%s has no filter", sheet)
	}
	for col, w := range widths {
		if got, err := f.GetColWidth(sheet, col); err != nil || got != w {
			t.Errorf("%s column %s width %v (%v), want %v", sheet, col, got, err, w)
		}
	}
}

// BenchmarkRoundDOCX3000 builds and writes the report of a round with
// 3,000 units; it must stay well under two seconds.
func BenchmarkRoundDOCX3000(b *testing.B) {
	in := sample(3000)
	for b.Loop() {
		m := Build(in)
		if err := officedoc.WriteDOCX(io.Discard, m.Document(Header{}, dates.New(2026, 12, 6), testT)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDocTitleDoesNotRepeatReportWords(t *testing.T) {
	tr := func(key string, args ...any) string { return "Kết quả " + args[0].(string) }
	for in, want := range map[string]string{
		"Báo cáo kết quả năm 2026":       "Kết quả năm 2026",
		"Báo cáo năm 2026":               "Kết quả năm 2026",
		"Triển khai Chiến lược năm 2026": "Kết quả Triển khai Chiến lược năm 2026",
	} {
		if got := docTitle(tr, in); got != want {
			t.Errorf("docTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDocumentSections: sections are numbered as they come, the plan's
// only when the round reports on a plan; the units by status go to an
// appendix, not the body.
func TestDocumentSections(t *testing.T) {
	headings := func(d *officedoc.Document) []string {
		var out []string
		for _, b := range d.Blocks {
			if b.Kind == officedoc.BlockHeading1 {
				out = append(out, b.Text)
			}
		}
		return out
	}
	in := sample(3)
	d := Build(in).Document(Header{}, dates.New(2026, 12, 6), testT)
	if got := strings.Join(headings(d), "|"); got != "I. report.doc.h_completeness|II. report.doc.h_figures|III. report.doc.h_narratives" {
		t.Errorf("headings without a plan: %s", got)
	}
	if len(d.Appendices) != 1 || d.Appendices[0].Title != "report.doc.appendix_title" || len(d.Appendices[0].Blocks[0].Table.Rows) != 3 {
		t.Fatalf("appendix %+v", d.Appendices)
	}
	for _, b := range d.Blocks {
		if b.Kind == officedoc.BlockTable && len(b.Table.Rows) == 3 && b.Table.Rows[0][1] == "Xã số 1" {
			t.Error("the units by status are in the body, not the appendix")
		}
	}

	in.Plan = &PlanResults{Title: "Kế hoạch 2026", Year: 2026, AsOf: dates.New(2026, 12, 6), Rows: []IndicatorRow{
		{Code: "a", Name: "Số lớp", MeasureUnit: "lớp", Comparison: indicators.Between, Target: 3, Max: 5, FromYear: 2026, ToYear: 2026, Value: 4, Defined: true, Status: indicators.Achieved},
		{Code: "b", Name: "Số tin", Comparison: indicators.AtLeast, Target: 1200, FromYear: 2024, ToYear: 2026, Status: indicators.NoData},
	}}
	m := Build(in)
	d = m.Document(Header{}, dates.New(2026, 12, 6), testT)
	if got := strings.Join(headings(d), "|"); got != "I. report.doc.h_completeness|II. report.doc.h_figures|III. report.doc.h_plan|IV. report.doc.h_narratives" {
		t.Errorf("headings with a plan: %s", got)
	}
	var tbl *officedoc.Table
	for i, b := range d.Blocks {
		if b.Text == "III. report.doc.h_plan" {
			tbl = d.Blocks[i+3].Table
		}
	}
	want := [][]string{{"1", "Số lớp", "lớp", "3–5", "4", "attain.status.achieved"},
		{"2", "Số tin (report.doc.period_cumulative2024 2026)", "", "≥ 1.200", "", "attain.status.no_data"}}
	if tbl == nil || fmt.Sprint(tbl.Rows) != fmt.Sprint(want) {
		t.Errorf("indicator table %v, want %v", tbl, want)
	}

	var buf bytes.Buffer
	if err := m.WriteFiguresXLSX(&buf, testT); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sheet := "report.xlsx.sheet_indicators"
	if got := f.GetSheetList(); len(got) != 2 || got[1] != sheet {
		t.Fatalf("sheets %q", got)
	}
	rows, _ := f.GetRows(sheet)
	if len(rows) != 3 || rows[1][0] != "a" || rows[1][4] != "3" || rows[1][5] != "5" || rows[1][6] != "4" || rows[2][6] != "" ||
		rows[2][8] != "report.doc.period_cumulative2024 2026" {
		t.Errorf("indicator rows %q", rows)
	}
	checkSheetLayout(t, f, sheet, "C2", "A1:I3", map[string]float64{"A": 16, "B": 56, "H": 22})
}

func TestTargetText(t *testing.T) {
	for _, c := range []struct {
		cmp        indicators.Comparison
		value, max float64
		unit, want string
	}{
		{indicators.AtLeast, 1200, 0, "", "≥ 1.200"},
		{indicators.AtMost, 5, 0, "vụ", "≤ 5 vụ"},
		{indicators.Between, 3, 5.5, "lớp", "3–5,5 lớp"},
		{"", 90, 0, "%", "90 %"},
	} {
		if got := TargetText(c.cmp, c.value, c.max, c.unit); got != c.want {
			t.Errorf("TargetText(%s, %v, %v, %q) = %q, want %q", c.cmp, c.value, c.max, c.unit, got, c.want)
		}
	}
}
