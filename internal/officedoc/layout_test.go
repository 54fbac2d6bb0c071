package officedoc

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// docxParaXML returns the XML of the first paragraph of document.xml whose
// text is text (every paragraph this package writes starts with "<w:p>").
func docxParaXML(t *testing.T, r *docxRead, text string) string {
	t.Helper()
	for _, p := range strings.Split(string(r.parts["word/document.xml"]), "<w:p>") {
		var sb strings.Builder
		for _, m := range regexp.MustCompile(`<w:t(?: [^>]*)?>([^<]*)</w:t>`).FindAllStringSubmatch(p, -1) {
			sb.WriteString(m[1])
		}
		if sb.String() == text {
			return p
		}
	}
	t.Fatalf("no paragraph %q in document.xml", text)
	return ""
}

// paraIndex is the position of the paragraph with text among all
// paragraphs, -1 when absent.
func (r *docxRead) paraIndex(text string) int {
	return slices.IndexFunc(r.paras, func(p docxPara) bool { return p.text == text })
}

// The PDF is laid out as Word lays out the DOCX: same fonts' metrics,
// margins, sizes, spacing, widow control and keep-with-next. These page
// counts of the DOCX were measured once with LibreOffice Writer 7.4.7
// (Debian 12, fonts-liberation2 2.1.5 standing in for Times New Roman):
// `soffice --headless --convert-to pdf x.docx` and `pdfinfo x.pdf`. The
// PDFs also matched the DOCX line for line (pdftotext -layout, diffed).
// Re-measure if a fixture changes: KHIENSO_LIBREOFFICE=1 go test -run
// PagesMatch ./internal/officedoc/ with LibreOffice installed.
func TestPDFPagesMatchDOCX(t *testing.T) {
	for _, c := range []struct {
		name  string
		doc   *Document
		pages int
	}{
		{"sample", sampleDocument(), 1},
		{"40 units", bigDocument(40), 6},
		{"150 units", bigDocument(150), 19},
		{"receivers and appendix", appendixDocument(), 8},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := len(readPDF(t, writePDF(t, c.doc)).pages); got != c.pages {
				t.Errorf("PDF has %d pages, the DOCX %d", got, c.pages)
			}
			t.Run("LibreOffice", func(t *testing.T) {
				if got := LibreOfficePages(t, writeDOCX(t, c.doc)); got != c.pages {
					t.Errorf("LibreOffice lays the DOCX out on %d pages, the test records %d", got, c.pages)
				}
			})
		})
	}
}

// TestHeadingsKeptWithNext moves a heading down the page line by line: it
// is never the last thing on a page; it lands on the page of the table
// header and first row, or of the first lines of the paragraph, after it.
func TestHeadingsKeptWithNext(t *testing.T) {
	for _, next := range []struct {
		name  string
		block Block
		want  string // what must share the heading's page
		last  bool   // the block ends the body: it is held with the signature
	}{
		{"table", Block{Kind: BlockTable, Table: &Table{Header: []string{"TT", "Nội dung"}, Rows: [][]string{{"1", "Hàng đầu"}, {"2", "Hàng hai"}}}},
			"II. MỤC KIỂM TRA 1. Mục con TT Nội dung 1 Hàng đầu", false},
		{"paragraph", Block{Text: strings.Repeat("Nội dung của mục kiểm tra được viết khá dài để chiếm nhiều dòng. ", 6)},
			"II. MỤC KIỂM TRA 1. Mục con Nội dung của mục kiểm tra", false},
		{"last paragraph", Block{Text: "Chưa có nội dung."}, "II. MỤC KIỂM TRA 1. Mục con Chưa có nội dung. KT. GIÁM ĐỐC", true},
	} {
		t.Run(next.name, func(t *testing.T) {
			for k := 20; k <= 42; k++ {
				d := sampleDocument()
				d.Blocks = nil
				for i := range k {
					d.Blocks = append(d.Blocks, Block{Text: fmt.Sprintf("Dòng đệm %d.", i)})
				}
				d.Blocks = append(d.Blocks, Block{Kind: BlockHeading1, Text: "II. MỤC KIỂM TRA"}, Block{Kind: BlockHeading2, Text: "1. Mục con"}, next.block)
				if !next.last {
					d.Blocks = append(d.Blocks, Block{Text: "Đoạn kết."})
				}
				pages := readPDF(t, writePDF(t, d)).pages
				for i, p := range pages {
					if strings.HasSuffix(p, "MỤC KIỂM TRA") || strings.HasSuffix(p, "Mục con") {
						t.Errorf("%d fillers: page %d ends with a heading", k, i+1)
					}
					if strings.Contains(p, "MỤC KIỂM TRA") && !strings.Contains(p, next.want) {
						t.Errorf("%d fillers: page %d has the heading without what follows: %q", k, i+1, p[max(0, len(p)-200):])
					}
				}
			}
		})
	}
	// The DOCX asks Word for the same: headings keep with the next
	// paragraph, and the spacer before a table keeps with the table.
	r := readDOCX(t, writeDOCX(t, sampleDocument()))
	styles := string(r.parts["word/styles.xml"])
	for _, id := range []string{"Heading1", "Heading2", "KSTableHeader"} {
		if !regexp.MustCompile(`w:styleId="` + id + `">.*?<w:pPr><w:keepNext/>`).MatchString(styles) {
			t.Errorf("style %s does not keep with the next paragraph", id)
		}
	}
	if !strings.Contains(styles, "<w:widowControl/>") {
		t.Error("no widow control")
	}
	doc := string(r.parts["word/document.xml"])
	if n := strings.Count(doc, pprSpacerKeep+"</w:pPr></w:p><w:tbl>"); n != 1 {
		t.Errorf("%d tables preceded by a keep-with-next spacer, want the 1 data table", n)
	}
}

func TestSignatureAndRecipients(t *testing.T) {
	d := sampleDocument()
	d.Receivers = []string{"Bộ Công an", "Ủy ban nhân dân tỉnh Nghệ An."}
	d.Recipients = []string{"- Lưu: VT, SKHCN", "Bộ Công an (để b/c).", "Sở Tư pháp"}
	want := []string{"Nơi nhận:", "- Như trên;", "- Bộ Công an (để b/c);", "- Sở Tư pháp;", "- Lưu: VT, SKHCN."}

	r := readDOCX(t, writeDOCX(t, d))
	at := -1
	for i, w := range want {
		j := r.paraIndex(w)
		if j < 0 || j <= at {
			t.Fatalf("recipient %q at paragraph %d, after %d: want them in the order %q", w, j, at, want)
		}
		at = j
		p := r.paras[j]
		if i == 0 && (!p.bold || !p.italic || p.size != 24) || i > 0 && (p.bold || p.size != 22) {
			t.Errorf("%q: bold %v italic %v size %d", w, p.bold, p.italic, p.size)
		}
	}
	for _, w := range []string{"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"} {
		if p, ok := r.para(w); !ok || !p.bold || p.jc != "center" {
			t.Errorf("signature line %q: %+v %v", w, p, ok)
		}
	}
	if !strings.Contains(docxParaXML(t, r, "Nguyễn Văn An"), `w:before="1680"`) {
		t.Error("no room for the signature above the signer's name")
	}
	// Several receivers: the label, then one a line from the tab stop.
	first := docxParaXML(t, r, "Kính gửi:- Bộ Công an;")
	if !strings.Contains(first, `<w:tab w:val="left" w:pos="3600"/>`) || strings.Count(first, "<w:tab/>") != 2 {
		t.Errorf("first receiver line: %s", first)
	}
	if !strings.Contains(docxParaXML(t, r, "- Ủy ban nhân dân tỉnh Nghệ An."), `<w:ind w:left="3600"/>`) {
		t.Error("second receiver not aligned under the first")
	}

	page := readPDF(t, writePDF(t, d)).pages[0]
	for _, w := range []string{"Kính gửi: - Bộ Công an; - Ủy ban nhân dân tỉnh Nghệ An.", strings.Join(want, " "), "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Nguyễn Văn An"} {
		if !strings.Contains(page, w) {
			t.Errorf("PDF lacks %q\n%s", w, page)
		}
	}

	// One receiver stays on the label's line.
	d.Receivers = []string{"Ủy ban nhân dân tỉnh Nghệ An"}
	if p, ok := readDOCX(t, writeDOCX(t, d)).para("Kính gửi: Ủy ban nhân dân tỉnh Nghệ An."); !ok || p.jc != "center" {
		t.Errorf("single receiver: %+v %v", p, ok)
	}
}

func TestRecipientLines(t *testing.T) {
	for _, c := range []struct {
		name      string
		in        []string
		receivers bool
		want      []string
	}{
		{"none", nil, false, nil},
		{"filing added", []string{"Bộ Công an"}, false, []string{"- Bộ Công an;", "- Lưu: VT."}},
		{"as addressed first with receivers", []string{"Bộ Công an;"}, true, []string{"- Như trên;", "- Bộ Công an;", "- Lưu: VT."}},
		{"receivers alone", nil, true, []string{"- Như trên;", "- Lưu: VT."}},
		{"caller's as addressed moved first", []string{"Sở Tư pháp", "như trên"}, false, []string{"- Như trên;", "- Sở Tư pháp;", "- Lưu: VT."}},
		{"filing moved last, kept once", []string{"Lưu: VT, SKHCN.", "Bộ Công an", "Lưu: VT"}, false, []string{"- Bộ Công an;", "- Lưu: VT, SKHCN."}},
		{"marks and punctuation redone", []string{"- Bộ Công an.", "– Công an tỉnh,", "  "}, false, []string{"- Bộ Công an;", "- Công an tỉnh;", "- Lưu: VT."}},
		{"group heading keeps its colon", []string{"Các sở, ngành:", "Sở Y tế"}, false, []string{"- Các sở, ngành:", "- Sở Y tế;", "- Lưu: VT."}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := recipientLines(c.in, c.receivers); !slices.Equal(got, c.want) {
				t.Errorf("recipientLines(%q, %v) = %q, want %q", c.in, c.receivers, got, c.want)
			}
		})
	}
	for _, c := range []struct {
		in, want []string
	}{
		{nil, nil},
		{[]string{" ", "Bộ Công an;"}, []string{"Bộ Công an."}},
		{[]string{"Bộ Công an", "- UBND tỉnh."}, []string{"- Bộ Công an;", "- UBND tỉnh."}},
	} {
		if got := receiverLines(c.in); !slices.Equal(got, c.want) {
			t.Errorf("receiverLines(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestAppendix: after the signature, on a new page numbered from 1, under
// the decree's heading; its heading keeps with the table.
func TestAppendix(t *testing.T) {
	d := appendixDocument()
	d.Number, d.IssuingName = "", "Sở Khoa học và Công nghệ"
	ref := "(Kèm theo Báo cáo số       /BC-SKHCN ngày 05 tháng 12 năm 2026 của Sở Khoa học và Công nghệ)"

	r := readDOCX(t, writeDOCX(t, d))
	order := []string{"Nguyễn Văn An", "Phụ lục", "TÌNH HÌNH GỬI BÁO CÁO", ref, "Hàng số 0"}
	at := -1
	for _, w := range order {
		j := r.paraIndex(w)
		if j <= at {
			t.Fatalf("%q at paragraph %d, after %d: want %q in order", w, j, at, order)
		}
		at = j
	}
	for _, c := range []struct {
		text         string
		bold, italic bool
	}{{"Phụ lục", true, false}, {"TÌNH HÌNH GỬI BÁO CÁO", true, false}, {ref, false, true}} {
		p, _ := r.para(c.text)
		if p.bold != c.bold || p.italic != c.italic || p.jc != "center" {
			t.Errorf("%q: %+v", c.text, p)
		}
		if !strings.Contains(docxParaXML(t, r, c.text), "<w:keepNext/>") {
			t.Errorf("%q does not keep with what follows", c.text)
		}
	}
	// The appendix is a section of its own: starting a page, numbered
	// from 1, the first page without a number.
	doc := string(r.parts["word/document.xml"])
	sects := regexp.MustCompile(`<w:sectPr>.*?</w:sectPr>`).FindAllString(doc, -1)
	if len(sects) != 2 {
		t.Fatalf("%d sections, want the report and its appendix", len(sects))
	}
	for _, s := range sects {
		for _, w := range []string{`<w:type w:val="nextPage"/>`, `<w:pgNumType w:start="1"/>`, `<w:titlePg/>`} {
			if !strings.Contains(s, w) {
				t.Errorf("section lacks %s: %s", w, s)
			}
		}
	}
	if i, j := strings.Index(doc, "<w:sectPr>"), strings.Index(doc, ">Phụ lục<"); i < 0 || i > j || strings.Contains(doc[i:j], "Nguyễn Văn An") {
		t.Error("the report's section must end between the signature and the appendix")
	}

	pages := readPDF(t, writePDF(t, d)).pages
	first := slices.IndexFunc(pages, func(p string) bool { return strings.Contains(p, "Phụ lục") })
	if first < 1 {
		t.Fatalf("appendix on page %d", first+1)
	}
	if !strings.HasPrefix(pages[first], "Phụ lục TÌNH HÌNH GỬI BÁO CÁO "+strings.Join(strings.Fields(ref), " ")+" TT Đơn vị 0 Hàng số 0") {
		t.Errorf("appendix page starts %.160q", pages[first])
	}
	if !strings.Contains(pages[first-1], "Nguyễn Văn An") {
		t.Error("the signature is not on the page before the appendix")
	}
	if !strings.HasPrefix(pages[first+1], "2 TT Đơn vị") {
		t.Errorf("the appendix's second page is not numbered 2 under the repeated header: %.40q", pages[first+1])
	}

	// Several appendices are numbered.
	d.Appendices = append(d.Appendices, Appendix{Title: "Danh sách khác", Blocks: []Block{{Text: "Nội dung."}}})
	hv := prepareHeader(d)
	if hv.appendices[0].label != "Phụ lục I" || hv.appendices[1].label != "Phụ lục II" {
		t.Errorf("labels %q %q", hv.appendices[0].label, hv.appendices[1].label)
	}
}
