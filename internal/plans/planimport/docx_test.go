package planimport

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// A minimal DOCX writer: just enough WordprocessingML for the reader.

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`

type tc struct {
	paras  []string // each paragraph is raw run XML or plain text
	span   int
	vmerge string // "", "restart" or "continue"
}

func c(paras ...string) tc { return tc{paras: paras} }

func para(text string) string {
	if strings.HasPrefix(text, "<") {
		return "<w:p>" + text + "</w:p>"
	}
	var b strings.Builder
	_ = xmlEscape(&b, text)
	return `<w:p><w:r><w:t xml:space="preserve">` + b.String() + `</w:t></w:r></w:p>`
}

func xmlEscape(b *strings.Builder, s string) error {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	_, err := b.WriteString(r.Replace(s))
	return err
}

func table(rows ...[]tc) string {
	var b strings.Builder
	b.WriteString("<w:tbl><w:tblPr/><w:tblGrid/>")
	for _, row := range rows {
		b.WriteString("<w:tr>")
		for _, cell := range row {
			b.WriteString("<w:tc><w:tcPr>")
			if cell.span > 1 {
				fmt.Fprintf(&b, `<w:gridSpan w:val="%d"/>`, cell.span)
			}
			switch cell.vmerge {
			case "restart":
				b.WriteString(`<w:vMerge w:val="restart"/>`)
			case "continue":
				b.WriteString(`<w:vMerge/>`)
			}
			b.WriteString("</w:tcPr>")
			if len(cell.paras) == 0 {
				b.WriteString("<w:p/>")
			}
			for _, p := range cell.paras {
				b.WriteString(para(p))
			}
			b.WriteString("</w:tc>")
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
	return b.String()
}

func document(body ...string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wNS + `><w:body>` +
		strings.Join(body, "") + `<w:sectPr/></w:body></w:document>`
}

// buildDOCX zips files (name → content) into a package.
func buildDOCX(t *testing.T, files map[string]string) *bytes.Reader {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(buf.Bytes())
}

func docxFiles(doc string) map[string]string {
	return map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":   doc,
	}
}

func parseDoc(t *testing.T, files map[string]string) ([]Task, error) {
	t.Helper()
	r := buildDOCX(t, files)
	return ParseDOCX(r, r.Size())
}

var headerRow = []tc{c("STT"), c("Nội dung thực hiện"), c("Đơn vị chủ trì"), c("Đơn vị phối hợp"), c("Thời gian thực hiện")}

func TestParseDOCX(t *testing.T) {
	signature := table([]tc{c("Nơi nhận:", "- Như trên;"), c("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")})
	tasks := table(
		headerRow,
		[]tc{{paras: []string{"I. Tăng cường vai trò lãnh đạo của Đảng"}, span: 5}},
		[]tc{c("1"), c("Phổ biến, quán triệt chủ trương"),
			{paras: []string{"- Sở Thông tin và Truyền thông: về an toàn thông tin mạng;", "- Công an tỉnh: về an ninh mạng"}, vmerge: "restart"},
			{paras: []string{"Các sở, ban, ngành"}, vmerge: "restart"}, {paras: []string{"Thường xuyên"}, vmerge: "restart"}},
		[]tc{c("2"), c("Nâng cao nhận thức"), {vmerge: "continue"}, {vmerge: "continue"}, {vmerge: "continue"}},
		[]tc{c("II"), c("Bảo vệ hạ tầng số"), c(), c(), c()},
		[]tc{c("1."),
			c(`<w:r><w:t>Xây dựng </w:t></w:r><w:del><w:r><w:delText>bỏ đi </w:delText></w:r></w:del><w:ins><w:r><w:t xml:space="preserve">Trung tâm </w:t></w:r></w:ins><w:r><w:t>dữ liệu</w:t><w:br/><w:t>giai đoạn 1</w:t></w:r>`),
			c(`<w:r><w:t>Sở Thông tin</w:t></w:r><w:r><w:t xml:space="preserve"> và Truyền thông</w:t></w:r>`),
			c("Các đơn vị liên quan"), {paras: []string{"2022 - 2025"}, vmerge: "restart"}},
		[]tc{c("2"), c("Rà quét mã độc"), c("Sở Thông tin và Truyền thông"), c(), {vmerge: "continue"}},
		[]tc{c("3"), c("Ứng cứu sự cố"), c("Công an tỉnh"), c(), c("Theo kế hoạch")},
	)
	doc := document(para("PHỤ LỤC"), signature, para(""), para("NHIỆM VỤ CỤ THỂ"), tasks, para("Văn bản gốc"))
	got, err := parseDoc(t, docxFiles(doc))
	if err != nil {
		t.Fatalf("ParseDOCX: %v", err)
	}
	sec1, sec2 := "I. Tăng cường vai trò lãnh đạo của Đảng", "II. Bảo vệ hạ tầng số"
	lead1 := "- Sở Thông tin và Truyền thông: về an toàn thông tin mạng;\n- Công an tỉnh: về an ninh mạng"
	want := []Task{
		{Section: sec1, Number: "1", Line: 3, Content: "Phổ biến, quán triệt chủ trương", LeadText: lead1, CoordText: "Các sở, ban, ngành", TimeframeText: "Thường xuyên", Timeframe: Timeframe{Kind: KindContinuous}},
		{Section: sec1, Number: "2", Line: 4, Content: "Nâng cao nhận thức", LeadText: lead1, CoordText: "Các sở, ban, ngành", TimeframeText: "Thường xuyên", Timeframe: Timeframe{Kind: KindContinuous}, Inherited: true, Notes: []Note{{Key: NoteInherited}}},
		{Section: sec2, Number: "1", Line: 6, Content: "Xây dựng Trung tâm dữ liệu\ngiai đoạn 1", LeadText: "Sở Thông tin và Truyền thông", CoordText: "Các đơn vị liên quan", TimeframeText: "2022 - 2025", Timeframe: Timeframe{Kind: KindRange, FromYear: 2022, ToYear: 2025}},
		{Section: sec2, Number: "2", Line: 7, Content: "Rà quét mã độc", LeadText: "Sở Thông tin và Truyền thông", TimeframeText: "2022 - 2025", Timeframe: Timeframe{Kind: KindRange, FromYear: 2022, ToYear: 2025}, Inherited: true, Notes: []Note{{Key: NoteInheritedPart}}},
		{Section: sec2, Number: "3", Line: 8, Content: "Ứng cứu sự cố", LeadText: "Công an tỉnh", TimeframeText: "Theo kế hoạch", Notes: []Note{{Key: NoteTimeframeUnparsed, Args: []any{"Theo kế hoạch"}}}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d tasks %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		checkTask(t, got[i], want[i])
	}
}

func TestParseDOCXLayouts(t *testing.T) {
	t.Run("two-level header, split table, merged number cell", func(t *testing.T) {
		first := table(
			[]tc{{paras: []string{"TT"}, vmerge: "restart"}, {paras: []string{"Nhiệm vụ"}, vmerge: "restart"}, {paras: []string{"Đơn vị thực hiện"}, span: 2}, {paras: []string{"Tiến độ"}, vmerge: "restart"}},
			[]tc{{vmerge: "continue"}, {vmerge: "continue"}, c("Chủ trì"), c("Phối hợp"), {vmerge: "continue"}},
			[]tc{c("(1)"), c("(2)"), c("(3)"), c("(4)"), c("(5)")},
			[]tc{c("1"), c("Nhiệm vụ A"), c("Sở Nội vụ"), c("Sở Tài chính"), c("Năm 2023")},
			[]tc{{paras: []string{"2"}, vmerge: "restart"}, c("Nhiệm vụ B, phần 1"), c("Sở Y tế"), c(), c("Hàng năm")},
			[]tc{{vmerge: "continue"}, c("phần 2"), c("Công an tỉnh"), c(), {vmerge: "continue"}},
		)
		// The table continues after a page break, header repeated in the
		// second part.
		second := table(
			[]tc{c("TT"), c("Nhiệm vụ"), c("Chủ trì"), c("Phối hợp"), c("Tiến độ")},
			[]tc{c("3"), c("Nhiệm vụ C"), c("Sở Nội vụ"), c(), c("Quý IV/2023")},
		)
		third := table([]tc{c("4"), c("Nhiệm vụ D"), c("Sở Y tế"), c(), c("Hàng năm")})
		signature := table([]tc{c("Nơi nhận:"), c("TM. ỦY BAN NHÂN DÂN"), c(), c(), c()})
		got, err := parseDoc(t, docxFiles(document(first, para(" "), second, para(""), third, signature)))
		if err != nil {
			t.Fatalf("ParseDOCX: %v", err)
		}
		want := []Task{
			{Number: "1", Line: 4, Content: "Nhiệm vụ A", LeadText: "Sở Nội vụ", CoordText: "Sở Tài chính", TimeframeText: "Năm 2023", Timeframe: Timeframe{Kind: KindRange, FromYear: 2023, ToYear: 2023}},
			{Number: "2", Line: 5, Content: "Nhiệm vụ B, phần 1\nphần 2", LeadText: "Sở Y tế\nCông an tỉnh", TimeframeText: "Hàng năm", Timeframe: Timeframe{Kind: KindYearly}, Notes: []Note{{Key: NoteContinued, Args: []any{6}}}},
			{Number: "3", Line: 8, Content: "Nhiệm vụ C", LeadText: "Sở Nội vụ", TimeframeText: "Quý IV/2023", Timeframe: ParseTimeframeMust("Quý IV/2023")},
			{Number: "4", Line: 9, Content: "Nhiệm vụ D", LeadText: "Sở Y tế", TimeframeText: "Hàng năm", Timeframe: Timeframe{Kind: KindYearly}},
		}
		if len(got) != len(want) {
			t.Fatalf("got %d tasks %+v, want %d", len(got), got, len(want))
		}
		for i := range want {
			checkTask(t, got[i], want[i])
		}
	})
	t.Run("main part named by the package relationships", func(t *testing.T) {
		files := docxFiles("")
		delete(files, "word/document.xml")
		files["_rels/.rels"] = strings.Replace(files["_rels/.rels"], "word/document.xml", "/word/document2.xml", 1)
		files["word/document2.xml"] = document(table(headerRow, []tc{c("1"), c("A"), c("Sở Nội vụ"), c(), c("2024")}))
		got, err := parseDoc(t, files)
		if err != nil || len(got) != 1 || got[0].Content != "A" {
			t.Fatalf("ParseDOCX = %+v, %v", got, err)
		}
	})
	t.Run("table typed as paragraphs", func(t *testing.T) {
		var ps []string
		for _, s := range []string{"PHỤ LỤC", "STT", "Nội dung thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện",
			"I.", "Tuyên truyền", "1", "Tổ chức tuyên truyền", "Sở Thông tin và Truyền thông", "Các sở, ban, ngành", "Hàng năm"} {
			ps = append(ps, para(s))
		}
		got, err := parseDoc(t, docxFiles(document(ps...)))
		if err != nil {
			t.Fatalf("ParseDOCX: %v", err)
		}
		if len(got) != 1 {
			t.Fatalf("got %d tasks, want 1: %+v", len(got), got)
		}
		checkTask(t, got[0], Task{Section: "I. Tuyên truyền", Number: "1", Line: 9, Content: "Tổ chức tuyên truyền",
			LeadText: "Sở Thông tin và Truyền thông", CoordText: "Các sở, ban, ngành", TimeframeText: "Hàng năm", Timeframe: Timeframe{Kind: KindYearly}})
	})
}

func TestParseDOCXErrors(t *testing.T) {
	brokenZip := func() *bytes.Reader { return bytes.NewReader([]byte("PK\x03\x04 this is not a zip")) }
	cases := []struct {
		name  string
		input func(t *testing.T) *bytes.Reader
		key   string
		line  int
	}{
		{"not a zip (an old .doc)", func(*testing.T) *bytes.Reader {
			return bytes.NewReader([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word file"))
		}, "planimport.err.docx_not_zip", 0},
		{"truncated zip", func(*testing.T) *bytes.Reader { return brokenZip() }, "planimport.err.docx_not_zip", 0},
		{"empty input", func(*testing.T) *bytes.Reader { return bytes.NewReader(nil) }, "planimport.err.docx_not_zip", 0},
		{"zip without a document", func(t *testing.T) *bytes.Reader {
			return buildDOCX(t, map[string]string{"hello.txt": "hi"})
		}, "planimport.err.docx_no_document", 0},
		{"broken XML", func(t *testing.T) *bytes.Reader {
			return buildDOCX(t, docxFiles(`<w:document `+wNS+`><w:body><w:p><w:r><w:t>STT</w:r></w:p>`))
		}, "planimport.err.docx_xml", 0},
		{"nested too deeply", func(t *testing.T) *bytes.Reader {
			return buildDOCX(t, docxFiles(`<w:document `+wNS+`><w:body>`+strings.Repeat("<w:tbl><w:tr><w:tc>", 1000)+strings.Repeat("</w:tc></w:tr></w:tbl>", 1000)+`</w:body></w:document>`))
		}, "planimport.err.docx_xml", 0},
		{"no body", func(t *testing.T) *bytes.Reader {
			return buildDOCX(t, docxFiles(`<w:document `+wNS+`></w:document>`))
		}, "planimport.err.docx_xml", 0},
		{"no task table", func(t *testing.T) *bytes.Reader {
			return buildDOCX(t, docxFiles(document(para("Kế hoạch"), table([]tc{c("Nơi nhận"), c("Chủ tịch")}))))
		}, "planimport.err.docx_no_table", 0},
		{"row without content", func(t *testing.T) *bytes.Reader {
			return buildDOCX(t, docxFiles(document(table(headerRow,
				[]tc{c("1"), c("A"), c("Sở Nội vụ"), c(), c("2024")},
				[]tc{c("2"), c(), c("Sở Y tế"), c(), c("2024")}))))
		}, "planimport.err.row.no_content", 3},
		{"first row merged with the header", func(t *testing.T) *bytes.Reader {
			return buildDOCX(t, docxFiles(document(table(headerRow,
				[]tc{c("1"), c("A"), c("Sở Nội vụ"), c(), {vmerge: "continue"}}))))
		}, "planimport.err.row.first_inherited", 2},
		{"header without rows", func(t *testing.T) *bytes.Reader {
			return buildDOCX(t, docxFiles(document(table(headerRow))))
		}, "planimport.err.row.no_tasks", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.input(t)
			tasks, err := ParseDOCX(r, r.Size())
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("ParseDOCX = %+v, %v; want *Error %s", tasks, err, c.key)
			}
			if perr.Key != c.key || perr.Line != c.line {
				t.Errorf("error {%d %s %v}, want {%d %s}", perr.Line, perr.Key, perr.Args, c.line, c.key)
			}
			if tasks != nil {
				t.Errorf("tasks returned with an error: %+v", tasks)
			}
			if c.key == "planimport.err.docx_not_zip" && !errors.Is(err, zip.ErrFormat) {
				t.Errorf("the cause is not kept: %v", errors.Unwrap(err))
			}
		})
	}
}

// Legacy horizontal merges, tabs and no-break hyphens inside cells.
func TestParseDOCXCellDetails(t *testing.T) {
	row := `<w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>` +
		`<w:tc><w:p><w:r><w:t>Tổ chức</w:t><w:tab/><w:t>diễn tập</w:t></w:r></w:p></w:tc>` +
		`<w:tc><w:p><w:r><w:t>Sở Lao động</w:t><w:noBreakHyphen/><w:t>Thương binh và Xã hội</w:t></w:r></w:p></w:tc>` +
		`<w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>Các sở, ban, ngành</w:t></w:r></w:p></w:tc>` +
		`<w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc>` +
		`<w:tc><w:p><w:r><w:t>Hàng năm</w:t></w:r></w:p></w:tc></w:tr>`
	// Six cells on a six-column grid: "Ghi chú" is an extra column.
	hdr := table([]tc{c("STT"), c("Nội dung"), c("Chủ trì"), c("Phối hợp"), c("Ghi chú"), c("Thời gian")})
	tbl := strings.Replace(hdr, "</w:tbl>", row+"</w:tbl>", 1)
	got, err := parseDoc(t, docxFiles(document(tbl)))
	if err != nil {
		t.Fatalf("ParseDOCX: %v", err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d tasks, want 1: %+v", len(got), got)
	}
	checkTask(t, got[0], Task{Number: "1", Line: 2, Content: "Tổ chức diễn tập", LeadText: "Sở Lao động-Thương binh và Xã hội",
		CoordText: "Các sở, ban, ngành", TimeframeText: "Hàng năm", Timeframe: Timeframe{Kind: KindYearly}})
}

// The seed's table, written as a Word table (I.2's cells merged with I.1's),
// reads back as the same tasks.
func TestParseDOCXSeedRoundTrip(t *testing.T) {
	want := loadSeed(t)
	rows := [][]tc{headerRow}
	section := ""
	for i, task := range want {
		if task.Section != section {
			section = task.Section
			rows = append(rows, []tc{{paras: []string{section}, span: 5}})
		}
		cells := func(s string) []string { return strings.Split(s, "\n") }
		row := []tc{c(task.Number), c(cells(task.Content)...), c(cells(task.LeadText)...), c(cells(task.CoordText)...), c(task.TimeframeText)}
		switch i {
		case 0:
			for k := 2; k < 5; k++ {
				row[k].vmerge = "restart"
			}
		case 1:
			for k := 2; k < 5; k++ {
				row[k] = tc{vmerge: "continue"}
			}
		}
		if task.CoordText == "" {
			row[3].paras = nil
		}
		rows = append(rows, row)
	}
	got, err := parseDoc(t, docxFiles(document(para("PHỤ LỤC"), table(rows...))))
	if err != nil {
		t.Fatalf("ParseDOCX: %v", err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d tasks, want %d", len(got), len(want))
	}
	for i := range want {
		w := want[i]
		w.Line = got[i].Line // rows, not lines
		checkTask(t, got[i], w)
	}
}

func TestParseDOCXContinuedTimeframe(t *testing.T) {
	doc := document(table(headerRow,
		[]tc{{paras: []string{"1"}, vmerge: "restart"}, c("A"), c("Sở Nội vụ"), c(), c()},
		[]tc{{vmerge: "continue"}, c(), c(), c(), c("Hàng năm")},
	))
	got, err := parseDoc(t, docxFiles(doc))
	if err != nil {
		t.Fatalf("ParseDOCX: %v", err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d tasks, want 1: %+v", len(got), got)
	}
	checkTask(t, got[0], Task{Number: "1", Line: 2, Content: "A", LeadText: "Sở Nội vụ", TimeframeText: "Hàng năm",
		Timeframe: Timeframe{Kind: KindYearly}, Notes: []Note{{Key: NoteContinued, Args: []any{3}}}})
}
