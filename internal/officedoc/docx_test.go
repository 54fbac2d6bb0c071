package officedoc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"khienso/internal/dates"
)

// docxPara is a paragraph read back from document.xml.
type docxPara struct {
	text   string
	style  string
	jc     string
	bold   bool // some run is bold
	italic bool
	size   int // w:sz of the first run, 0 if none
}

// docxTable is a table read back: grid width count and cells per row.
type docxTable struct {
	grid      int
	rowCells  []int
	headerRow []bool // row has w:tblHeader
	rows      [][]docxPara
}

type docxRead struct {
	parts  map[string][]byte
	paras  []docxPara
	tables []docxTable
	sect   map[string]map[string]string // element → attribute → value
}

func writeDOCX(t *testing.T, d *Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteDOCX(&buf, d); err != nil {
		t.Fatalf("WriteDOCX: %v", err)
	}
	return buf.Bytes()
}

// readDOCX unzips the package, checks that every XML part is well-formed,
// and decodes document.xml.
func readDOCX(t *testing.T, b []byte) *docxRead {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("unzip: %v", err)
	}
	r := &docxRead{parts: map[string][]byte{}, sect: map[string]map[string]string{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("open %s: %v", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read %s: %v", f.Name, err)
		}
		r.parts[f.Name] = data
		checkXML(t, f.Name, data)
	}
	doc, ok := r.parts["word/document.xml"]
	if !ok {
		t.Fatal("no word/document.xml")
	}
	r.decode(t, doc)
	return r
}

var xmlNS = "http://www.w3.org/XML/1998/namespace"

// checkXML decodes a part fully and checks the element order rules the
// schema imposes on the containers this package writes, plus
// xml:space="preserve" on text that needs it.
func checkXML(t *testing.T, name string, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	type frame struct {
		name    string
		last    int // index in the order list of the last child seen
		preserv bool
		text    strings.Builder
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				if order, ok := schemaOrder[parent.name]; ok {
					i := slices.Index(order, tk.Name.Local)
					if i < 0 {
						t.Errorf("%s: <%s> not expected inside <%s>", name, tk.Name.Local, parent.name)
					} else if i < parent.last {
						t.Errorf("%s: <%s> after <%s> inside <%s> breaks schema order", name, tk.Name.Local, order[parent.last], parent.name)
					} else {
						parent.last = i
					}
				}
			}
			f := &frame{name: tk.Name.Local}
			for _, a := range tk.Attr {
				if a.Name.Space == xmlNS && a.Name.Local == "space" && a.Value == "preserve" {
					f.preserv = true
				}
			}
			stack = append(stack, f)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(tk)
			}
		case xml.EndElement:
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if f.name == "t" && needsPreserve(f.text.String()) && !f.preserv {
				t.Errorf("%s: <w:t>%q</w:t> lacks xml:space=\"preserve\"", name, f.text.String())
			}
		}
	}
	for i, c := range data {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			t.Fatalf("%s: control byte %#x at %d", name, c, i)
		}
	}
}

// schemaOrder lists, for the WordprocessingML containers written here, the
// children in the order the schema's sequences demand.
var schemaOrder = map[string][]string{
	"pPr": {"pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
		"suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
		"overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
		"snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
		"textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
		"sectPr", "pPrChange"},
	"rPr": {"rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
		"outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color",
		"spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd",
		"fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"},
	"tblPr": {"tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
		"tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
		"tblLayout", "tblCellMar", "tblLook"},
	"tcPr": {"cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
		"textDirection", "tcFitText", "vAlign", "hideMark"},
	"sectPr": {"headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
		"paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
		"titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings"},
	"tblBorders": {"top", "left", "bottom", "right", "insideH", "insideV"},
	"pBdr":       {"top", "left", "bottom", "right", "between", "bar"},
	"tblCellMar": {"top", "left", "bottom", "right"},
	"tbl":        {"tblPr", "tblGrid", "tr"},
	"tr":         {"tblPrEx", "trPr", "tc"},
	"tc":         {"tcPr", "p"},
	"p":          {"pPr", "r"},
	"r":          {"rPr", "t", "tab", "br", "fldChar", "instrText"},
	"style": {"name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority",
		"semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose",
		"personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr"},
	"styles":      {"docDefaults", "latentStyles", "style"},
	"docDefaults": {"rPrDefault", "pPrDefault"},
	"settings":    {"zoom", "defaultTabStop", "characterSpacingControl", "compat"},
}

// decode reads paragraphs, tables and the section properties.
func (r *docxRead) decode(t *testing.T, doc []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var (
		para    *docxPara
		inT     bool
		inRPr   bool
		inPPr   bool
		runs    int
		tables  []*docxTable
		inSect  bool
		lastTcP []docxPara
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("decode document.xml: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			attr := func(name string) string {
				for _, a := range tk.Attr {
					if a.Name.Local == name {
						return a.Value
					}
				}
				return ""
			}
			switch tk.Name.Local {
			case "tbl":
				tables = append(tables, &docxTable{})
			case "gridCol":
				tables[len(tables)-1].grid++
			case "tr":
				tb := tables[len(tables)-1]
				tb.rowCells = append(tb.rowCells, 0)
				tb.headerRow = append(tb.headerRow, false)
				tb.rows = append(tb.rows, nil)
			case "tblHeader":
				tb := tables[len(tables)-1]
				tb.headerRow[len(tb.headerRow)-1] = true
			case "tc":
				tb := tables[len(tables)-1]
				tb.rowCells[len(tb.rowCells)-1]++
				lastTcP = nil
			case "p":
				para = &docxPara{}
				runs = 0
			case "pPr":
				inPPr = true
			case "pStyle":
				para.style = attr("val")
			case "jc":
				if para != nil && inPPr {
					para.jc = attr("val")
				}
			case "r":
				runs++
			case "rPr":
				inRPr = true
			case "b":
				if inRPr && !inPPr && para != nil {
					para.bold = true
				}
			case "i":
				if inRPr && !inPPr && para != nil {
					para.italic = true
				}
			case "sz":
				if inRPr && !inPPr && para != nil && runs == 1 {
					para.size, _ = strconv.Atoi(attr("val"))
				}
			case "t":
				inT = true
			case "sectPr":
				inSect = true
			}
			if inSect {
				m := map[string]string{}
				for _, a := range tk.Attr {
					m[a.Name.Local] = a.Value
				}
				r.sect[tk.Name.Local] = m
			}
		case xml.CharData:
			if inT && para != nil {
				para.text += string(tk)
			}
		case xml.EndElement:
			switch tk.Name.Local {
			case "t":
				inT = false
			case "rPr":
				inRPr = false
			case "pPr":
				inPPr = false
			case "p":
				r.paras = append(r.paras, *para)
				lastTcP = append(lastTcP, *para)
				para = nil
			case "tc":
				tb := tables[len(tables)-1]
				row := len(tb.rows) - 1
				txt := make([]string, len(lastTcP))
				for i, p := range lastTcP {
					txt[i] = p.text
				}
				cellPara := lastTcP[0]
				cellPara.text = strings.Join(txt, "\n")
				tb.rows[row] = append(tb.rows[row], cellPara)
			case "tbl":
				r.tables = append(r.tables, *tables[len(tables)-1])
				tables = tables[:len(tables)-1]
			case "sectPr":
				inSect = false
			}
		}
	}
}

func (r *docxRead) para(text string) (docxPara, bool) {
	for _, p := range r.paras {
		if p.text == text {
			return p, true
		}
	}
	return docxPara{}, false
}

func TestWriteDOCXContent(t *testing.T) {
	r := readDOCX(t, writeDOCX(t, sampleDocument()))

	cases := []struct {
		text   string
		bold   bool
		italic bool
		size   int // 0: not checked
		jc     string
		style  string
	}{
		{text: "UBND TỈNH NGHỆ AN", size: 24, jc: "center"},
		{text: "SỞ KHOA HỌC VÀ CÔNG NGHỆ", bold: true, size: 26, jc: "center"},
		{text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, size: 24, jc: "center"},
		{text: "Độc lập - Tự do - Hạnh phúc", bold: true, size: 26, jc: "center"},
		{text: "Số: 15/BC-SKHCN", size: 26, jc: "center"},
		{text: "Nghệ An, ngày 05 tháng 12 năm 2026", italic: true, size: 28, jc: "center"},
		{text: "BÁO CÁO", bold: true, jc: "center"},
		{text: "Kết quả triển khai tuyên truyền, nâng cao nhận thức về an toàn thông tin năm 2026", bold: true, jc: "center"},
		{text: "I. KẾT QUẢ THỰC HIỆN", style: "Heading1"},
		{text: "1. Công tác tuyên truyền", style: "Heading2"},
		{text: "- Tổ chức 12 hội nghị tập huấn cho cán bộ, công chức, viên chức;", style: "KSBody"},
		{text: "- Đăng tải 45 tin, bài trên cổng thông tin điện tử.", style: "KSBody"},
		{text: "Đề nghị Bộ Công an tiếp tục hỗ trợ tài liệu tuyên truyền.", style: "KSBody"},
		{text: "Đề nghị các sở, ngành phối hợp thực hiện.", style: "KSBody"},
		{text: "Trường THPT Huỳnh Thúc Kháng", style: "KSTable"},
		{text: "1.250", style: "KSTable", jc: "right"},
		{text: "Tổng cộng", bold: true, style: "KSTable"},
		{text: "Nơi nhận:", bold: true, italic: true, size: 24, jc: "left"},
		{text: "- Bộ Công an;", size: 22, jc: "left"},
		{text: "- Lưu: VT, SKHCN.", size: 22, jc: "left"},
		{text: "KT. GIÁM ĐỐC", bold: true, size: 28, jc: "center"},
		{text: "PHÓ GIÁM ĐỐC", bold: true, size: 28, jc: "center"},
		{text: "Nguyễn Văn An", bold: true, size: 28, jc: "center"},
	}
	for _, c := range cases {
		p, ok := r.para(c.text)
		if !ok {
			t.Errorf("no paragraph %q", c.text)
			continue
		}
		if p.bold != c.bold || p.italic != c.italic {
			t.Errorf("%q: bold %v italic %v, want %v %v", c.text, p.bold, p.italic, c.bold, c.italic)
		}
		if c.size != 0 && p.size != c.size {
			t.Errorf("%q: size %d, want %d", c.text, p.size, c.size)
		}
		if c.jc != "" && p.jc != c.jc {
			t.Errorf("%q: jc %q, want %q", c.text, p.jc, c.jc)
		}
		if c.style != "" && p.style != c.style {
			t.Errorf("%q: style %q, want %q", c.text, p.style, c.style)
		}
	}

	// Header, data table, signature.
	if len(r.tables) != 3 {
		t.Fatalf("%d tables, want 3", len(r.tables))
	}
	for i, tb := range r.tables {
		for j, n := range tb.rowCells {
			if n != tb.grid {
				t.Errorf("table %d row %d has %d cells, grid has %d", i, j, n, tb.grid)
			}
		}
	}
	data := r.tables[1]
	if data.grid != 4 || len(data.rowCells) != 5 {
		t.Fatalf("data table: grid %d rows %d, want 4 and 5", data.grid, len(data.rowCells))
	}
	if !data.headerRow[0] || slices.Contains(data.headerRow[1:], true) {
		t.Errorf("only the first row repeats as header: %v", data.headerRow)
	}
	wantRows := [][]string{
		{"TT", "Đơn vị", "Số lượt tham gia", "Ghi chú"},
		{"1", "Sở Tư pháp", "120", ""},
		{"2", "UBND huyện Quỳnh Lưu", "1.250", ""},
		{"3", "Trường THPT Huỳnh Thúc Kháng", "86", "Đạt"},
		{"", "Tổng cộng", "1.456", ""},
	}
	for i, want := range wantRows {
		for j, w := range want {
			got := data.rows[i][j]
			if got.text != w {
				t.Errorf("cell %d,%d = %q, want %q", i, j, got.text, w)
			}
			if i == 0 && got.style != "KSTableHeader" {
				t.Errorf("header cell %d style %q", j, got.style)
			}
		}
	}

	// A4 portrait, margins 20/20/30/15 mm, numbered from page 2.
	wantSect := map[string]map[string]string{
		"pgSz":  {"w": "11906", "h": "16838"},
		"pgMar": {"top": "1134", "bottom": "1134", "left": "1701", "right": "850", "header": "567", "footer": "567", "gutter": "0"},
	}
	for el, attrs := range wantSect {
		for k, v := range attrs {
			if got := r.sect[el][k]; got != v {
				t.Errorf("sectPr %s@%s = %q, want %q", el, k, got, v)
			}
		}
	}
	if _, ok := r.sect["titlePg"]; !ok {
		t.Error("sectPr lacks titlePg")
	}
	styles := string(r.parts["word/styles.xml"])
	for _, want := range []string{`w:ascii="Times New Roman"`, `w:hAnsi="Times New Roman"`, `w:cs="Times New Roman"`, `<w:sz w:val="28"/>`} {
		if !strings.Contains(styles, want) {
			t.Errorf("styles.xml lacks %s", want)
		}
	}
}

// TestWriteDOCXPackage checks the package plumbing: content types for every
// part, relationships pointing at existing parts, every r:id defined.
func TestWriteDOCXPackage(t *testing.T) {
	r := readDOCX(t, writeDOCX(t, sampleDocument()))
	want := []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
		"word/settings.xml", "word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml"}
	for _, p := range want {
		if _, ok := r.parts[p]; !ok {
			t.Errorf("missing part %s", p)
		}
	}
	ct := string(r.parts["[Content_Types].xml"])
	for name := range r.parts {
		if strings.HasSuffix(name, ".rels") || name == "[Content_Types].xml" {
			continue
		}
		if !strings.Contains(ct, `PartName="/`+name+`"`) {
			t.Errorf("no content type override for %s", name)
		}
	}
	type rel struct {
		ID     string `xml:"Id,attr"`
		Target string `xml:"Target,attr"`
	}
	var rels struct {
		Rels []rel `xml:"Relationship"`
	}
	relIDs := map[string]bool{}
	for _, f := range []struct{ rels, base string }{{"_rels/.rels", ""}, {"word/_rels/document.xml.rels", "word"}} {
		rels.Rels = nil
		if err := xml.Unmarshal(r.parts[f.rels], &rels); err != nil {
			t.Fatalf("%s: %v", f.rels, err)
		}
		for _, rl := range rels.Rels {
			if _, ok := r.parts[path.Join(f.base, rl.Target)]; !ok {
				t.Errorf("%s: %s points at missing %s", f.rels, rl.ID, rl.Target)
			}
			if f.base == "word" {
				relIDs[rl.ID] = true
			}
		}
	}
	for _, m := range regexp.MustCompile(`r:id="([^"]+)"`).FindAllStringSubmatch(string(r.parts["word/document.xml"]), -1) {
		if !relIDs[m[1]] {
			t.Errorf("document.xml uses undefined relationship %s", m[1])
		}
	}
	core := string(r.parts["docProps/core.xml"])
	for _, want := range []string{"<dc:title>BÁO CÁO Kết quả", "<dc:creator>SỞ KHOA HỌC VÀ CÔNG NGHỆ</dc:creator>", ">2026-12-05T00:00:00Z<"} {
		if !strings.Contains(core, want) {
			t.Errorf("core.xml lacks %q", want)
		}
	}
}

func TestWriteDOCXVariants(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Document)
		want []string // paragraphs that must exist
		not  []string // paragraphs that must not
	}{
		{"handwritten number", func(d *Document) { d.Number = "" }, []string{"Số:       /BC-SKHCN"}, []string{"Số: 15/BC-SKHCN"}},
		{"blank date", func(d *Document) { d.Date = dates.Date{}; d.Year = 2026 }, []string{"Nghệ An, ngày    tháng    năm 2026"}, nil},
		{"no parent body", func(d *Document) { d.ParentBody = "" }, []string{"SỞ KHOA HỌC VÀ CÔNG NGHỆ"}, []string{"UBND TỈNH NGHỆ AN"}},
		{"two-line title", func(d *Document) { d.Title = "Kết quả năm 2026\nvà phương hướng năm 2027" }, []string{"Kết quả năm 2026", "và phương hướng năm 2027"}, nil},
		{"no recipients", func(d *Document) { d.Recipients = nil }, []string{"Nguyễn Văn An"}, []string{"Nơi nhận:"}},
		{"blank recipients skipped", func(d *Document) { d.Recipients = []string{" ", "Như trên;"} }, []string{"- Như trên;"}, []string{"- "}},
		{"nil table and unknown kind", func(d *Document) {
			d.Blocks = []Block{{Kind: BlockTable}, {Kind: BlockKind(42), Text: "Lạ"}, {Kind: BlockTable, Table: &Table{}}}
		}, []string{"Lạ"}, nil},
		{"empty document", func(d *Document) { *d = Document{} }, []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số:       /", "ngày    tháng    năm     "}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := sampleDocument()
			c.edit(d)
			r := readDOCX(t, writeDOCX(t, d))
			for _, w := range c.want {
				if _, ok := r.para(w); !ok {
					t.Errorf("no paragraph %q", w)
				}
			}
			for _, w := range c.not {
				if _, ok := r.para(w); ok {
					t.Errorf("unexpected paragraph %q", w)
				}
			}
			for i, tb := range r.tables {
				for j, n := range tb.rowCells {
					if n != tb.grid {
						t.Errorf("table %d row %d has %d cells, grid has %d", i, j, n, tb.grid)
					}
				}
			}
		})
	}
}

func TestWriteDOCXEscaping(t *testing.T) {
	nasty := "A & B <c> \"d\" 'e' \x00\x01\x07\x0b\x0c\x1b\x7f\u0085\uFFFE\xff]]> &amp;"
	d := sampleDocument()
	d.Title = nasty
	d.SignerName = "  " + nasty + "  "
	d.Blocks = []Block{
		{Kind: BlockParagraph, Text: nasty},
		{Kind: BlockParagraph, Text: "  hai  khoảng trắng  "},
		{Kind: BlockTable, Table: &Table{Header: []string{nasty}, Rows: [][]string{{"<td>", "x\x00y"}}}},
	}
	d.Recipients = []string{nasty}
	b := writeDOCX(t, d)
	r := readDOCX(t, b) // also checks well-formedness and control bytes

	want := "A & B <c> \"d\" 'e' ]]> &amp;"
	for _, w := range []string{want, "- " + want, "hai  khoảng trắng", "<td>", "xy"} {
		if _, ok := r.para(w); !ok {
			t.Errorf("no paragraph %q", w)
		}
	}
	doc := string(r.parts["word/document.xml"])
	if !strings.Contains(doc, "A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos; ]]&gt; &amp;amp;") {
		t.Error("special characters not escaped as expected")
	}
	if !strings.Contains(doc, `<w:t xml:space="preserve">hai  khoảng trắng</w:t>`) {
		t.Error("double spaces not preserved")
	}
}

func TestWriteDOCXNil(t *testing.T) {
	if err := WriteDOCX(io.Discard, nil); !errors.Is(err, ErrNilDocument) {
		t.Errorf("WriteDOCX(nil) = %v, want ErrNilDocument", err)
	}
	if err := WriteDOCX(failWriter{}, sampleDocument()); err == nil {
		t.Error("write error not reported")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestWriteDOCXLarge checks a large report (1,000 table rows and 1,000
// paragraphs) comes back complete; BenchmarkWriteDOCX3000 times 3,000.
func TestWriteDOCXLarge(t *testing.T) {
	b := writeDOCX(t, bigDocument(1000))
	r := readDOCX(t, b)
	tb := r.tables[1]
	if len(tb.rowCells) != 1002 { // header, rows, total
		t.Fatalf("%d rows, want 1002", len(tb.rowCells))
	}
	for j, n := range tb.rowCells {
		if n != 5 {
			t.Fatalf("row %d has %d cells", j, n)
		}
	}
	if got := tb.rows[1000][1].text; got != "Đơn vị số 1000 thuộc UBND huyện Nghi Lộc" {
		t.Errorf("last row name %q", got)
	}
	body := 0
	for _, p := range r.paras {
		if p.style == "KSBody" {
			body++
		}
	}
	if body < 1000 {
		t.Errorf("%d body paragraphs, want at least 1000", body)
	}
}

func BenchmarkWriteDOCX3000(b *testing.B) {
	d := bigDocument(3000)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := WriteDOCX(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "docx-bytes")
}

func ExampleDateLine() {
	fmt.Println(DateLine("Nghệ An", dates.New(2026, time.February, 3), 0))
	// Output: Nghệ An, ngày 03 tháng 02 năm 2026
}
