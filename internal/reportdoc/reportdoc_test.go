package reportdoc

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"khienso/internal/dates"
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
	buf.Reset()
	if err := m.WriteCompletenessXLSX(&buf, testT); err != nil {
		t.Fatal(err)
	}
	f, err = excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ = f.GetRows(sheet)
	if len(rows) != 7 || rows[2][2] != "report.status.submitted" || rows[2][4] != "report.doc.late_mark" || rows[2][3] != "01/12/2026" {
		t.Errorf("completeness rows: %q", rows)
	}
}

func TestLines(t *testing.T) {
	got := Lines(" a \r\n\nb\n")
	if len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("Lines = %q", got)
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
