package officedoc

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"khienso/internal/dates"
)

// pdfObj is one indirect object of a PDF: its dictionary text and its
// decoded stream, if any.
type pdfObj struct {
	dict   string
	stream []byte
}

// pdfRead is a PDF taken apart just enough to check fonts and text.
type pdfRead struct {
	objs  map[int]pdfObj
	pages []string // text of each page, text operations joined by spaces
}

var (
	objRe    = regexp.MustCompile(`(\d+) 0 obj`)
	lengthRe = regexp.MustCompile(`/Length (\d+)`)
	refRe    = regexp.MustCompile(`(\d+) 0 R`)
	fontResR = regexp.MustCompile(`/F(\d+) (\d+) 0 R`)
	cmapRe   = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)
	opRe     = regexp.MustCompile(`/F(\d+) [\d.]+ Tf|\[<([0-9A-Fa-f]*)>\] TJ`)
)

func writePDF(t *testing.T, d *Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePDF(&buf, d); err != nil {
		t.Fatalf("WritePDF: %v", err)
	}
	return buf.Bytes()
}

// readPDF splits the file into objects (skipping over streams by their
// /Length, inflating Flate streams), then decodes every page's text through
// the fonts' ToUnicode maps.
func readPDF(t *testing.T, b []byte) *pdfRead {
	t.Helper()
	r := &pdfRead{objs: map[int]pdfObj{}}
	for pos := 0; pos < len(b); {
		loc := objRe.FindSubmatchIndex(b[pos:])
		if loc == nil {
			break
		}
		num, _ := strconv.Atoi(string(b[pos+loc[2] : pos+loc[3]]))
		start := pos + loc[1]
		end := bytes.Index(b[start:], []byte("endobj"))
		st := bytes.Index(b[start:], []byte("stream"))
		if end < 0 {
			t.Fatalf("object %d has no endobj", num)
		}
		o := pdfObj{dict: string(b[start : start+end])}
		if st >= 0 && st < end {
			o.dict = string(b[start : start+st])
			m := lengthRe.FindStringSubmatch(o.dict)
			if m == nil {
				t.Fatalf("object %d: stream without /Length", num)
			}
			n, _ := strconv.Atoi(m[1])
			s := start + st + len("stream")
			if b[s] == '\r' {
				s++
			}
			s++ // '\n'
			if s+n > len(b) {
				t.Fatalf("object %d: stream runs past the end", num)
			}
			o.stream = b[s : s+n]
			if strings.Contains(o.dict, "/FlateDecode") {
				zr, err := zlib.NewReader(bytes.NewReader(o.stream))
				if err != nil {
					t.Fatalf("object %d: %v", num, err)
				}
				o.stream, err = io.ReadAll(zr)
				if err != nil {
					t.Fatalf("object %d: inflate: %v", num, err)
				}
			}
			end = s + n - start
			end += bytes.Index(b[start+end:], []byte("endobj"))
		}
		r.objs[num] = o
		pos = start + end + len("endobj")
	}

	// Fonts of the page resources: /Fn → ToUnicode map glyph → rune.
	cmaps := map[string]map[uint16]rune{}
	for _, o := range r.objs {
		if !strings.Contains(o.dict, "/ProcSet") {
			continue
		}
		for _, m := range fontResR.FindAllStringSubmatch(o.dict, -1) {
			font := r.obj(t, m[2])
			tu := regexp.MustCompile(`/ToUnicode (\d+) 0 R`).FindStringSubmatch(font.dict)
			if tu == nil {
				t.Fatalf("font F%s has no ToUnicode", m[1])
			}
			cm := map[uint16]rune{}
			for _, e := range cmapRe.FindAllStringSubmatch(string(r.obj(t, tu[1]).stream), -1) {
				lo, _ := strconv.ParseUint(e[1], 16, 16)
				hi, _ := strconv.ParseUint(e[2], 16, 16)
				dst, _ := strconv.ParseUint(e[3], 16, 32)
				for g := lo; g <= hi; g++ {
					cm[uint16(g)] = rune(dst + g - lo)
				}
			}
			cmaps[m[1]] = cm
		}
	}

	// Pages in /Kids order.
	var pagesDict string
	for _, o := range r.objs {
		if strings.Contains(o.dict, "/Type /Pages") {
			pagesDict = o.dict
		}
	}
	kids := regexp.MustCompile(`/Kids \[([^\]]*)\]`).FindStringSubmatch(pagesDict)
	if kids == nil {
		t.Fatal("no page tree")
	}
	for _, k := range refRe.FindAllStringSubmatch(kids[1], -1) {
		page := r.obj(t, k[1])
		c := regexp.MustCompile(`/Contents\s+(\d+) 0 R`).FindStringSubmatch(page.dict)
		if c == nil {
			r.pages = append(r.pages, "")
			continue
		}
		var font string
		var texts []string
		for _, op := range opRe.FindAllStringSubmatch(string(r.obj(t, c[1]).stream), -1) {
			if op[1] != "" {
				font = op[1]
				continue
			}
			var sb strings.Builder
			for i := 0; i+4 <= len(op[2]); i += 4 {
				g, _ := strconv.ParseUint(op[2][i:i+4], 16, 16)
				ch, ok := cmaps[font][uint16(g)]
				if !ok {
					t.Fatalf("glyph %04X of font F%s has no ToUnicode entry", g, font)
				}
				sb.WriteRune(ch)
			}
			texts = append(texts, sb.String())
		}
		r.pages = append(r.pages, strings.Join(strings.Fields(strings.Join(texts, " ")), " "))
	}
	return r
}

func (r *pdfRead) obj(t *testing.T, num string) pdfObj {
	t.Helper()
	n, _ := strconv.Atoi(num)
	o, ok := r.objs[n]
	if !ok {
		t.Fatalf("missing object %d", n)
	}
	return o
}

func TestWritePDFText(t *testing.T) {
	b := writePDF(t, sampleDocument())
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("does not start with %%PDF-: %q", b[:min(len(b), 10)])
	}
	if !bytes.Contains(b[len(b)-32:], []byte("%%EOF")) {
		t.Error("no EOF trailer")
	}
	for _, want := range []string{"/FontFile2", "/ToUnicode", "/CIDFontType2", "/MediaBox [ 0 0 595.28 841.89 ]"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("PDF lacks %s", want)
		}
	}
	r := readPDF(t, b)
	if len(r.pages) != 1 {
		t.Fatalf("%d pages, want 1", len(r.pages))
	}
	page := r.pages[0]
	for _, want := range []string{
		"UBND TỈNH NGHỆ AN",
		"SỞ KHOA HỌC VÀ CÔNG NGHỆ",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc",
		"Số: 15/BC-SKHCN",
		"Nghệ An, ngày 05 tháng 12 năm 2026",
		"BÁO CÁO",
		"Kết quả triển khai tuyên truyền, nâng cao nhận thức về an toàn thông tin năm 2026",
		"I. KẾT QUẢ THỰC HIỆN",
		"Thực hiện Kế hoạch số 123/KH-UBND ngày 15/01/2026",
		"- Tổ chức 12 hội nghị tập huấn",
		"Trường THPT Huỳnh Thúc Kháng",
		"1.250",
		"Tổng cộng 1.456",
		"Nơi nhận: - Bộ Công an; - UBND tỉnh (để b/c); - Lưu: VT, SKHCN.",
		"KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC",
		"Nguyễn Văn An",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page text lacks %q\npage: %s", want, page)
		}
	}
	if strings.Contains(page, "- - Đăng tải") {
		t.Error("bullet dash doubled")
	}
}

// TestWritePDFGlyphsComplete checks that every composite glyph kept in the
// embedded subsets has its parts there too: without that, "ệ" prints as
// "ê" (see fontfix.go).
func TestWritePDFGlyphsComplete(t *testing.T) {
	d := sampleDocument()
	d.Blocks = append(d.Blocks, Block{Text: "ẤẦẨẪẬ ẮẰẲẴẶ ẾỀỂỄỆ ỐỒỔỖỘ ỚỜỞỠỢ ỨỪỬỮỰ Ỳ Ỵ Ỷ Ỹ ấầẩẫậ ắằẳẵặ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự ỳỵỷỹ ịỉĩ ọỏõ ụủũ ạảã ẹẻẽ Đđ"})
	d.Blocks = append(d.Blocks, Block{Kind: BlockHeading2, Text: "ẤẦẨẪẬ ấầẩẫậ ệ"}, Block{Kind: BlockHeading1, Text: "ỐỒỔỖỘ ốồổỗộ"})
	r := readPDF(t, writePDF(t, d))
	fonts := 0
	for num, o := range r.objs {
		m := regexp.MustCompile(`/FontFile2 (\d+) 0 R`).FindStringSubmatch(o.dict)
		if m == nil {
			continue
		}
		fonts++
		f, err := parseSFNT(r.obj(t, m[1]).stream)
		if err != nil {
			t.Fatalf("font of object %d: %v", num, err)
		}
		present := 0
		for g, data := range f.glyphs {
			if len(data) == 0 {
				continue
			}
			present++
			cs, ok, err := components(data)
			if err != nil {
				t.Fatalf("glyph %d: %v", g, err)
			}
			if !ok {
				continue
			}
			for _, c := range cs {
				if int(c) >= len(f.glyphs) || len(f.glyphs[c]) == 0 {
					t.Errorf("font object %d: glyph %d uses glyph %d, which the subset lacks", num, g, c)
				}
			}
		}
		if present < 20 {
			t.Errorf("font object %d: only %d glyphs embedded", num, present)
		}
	}
	if fonts != 4 {
		t.Errorf("%d embedded fonts, want 4", fonts)
	}
	if !strings.Contains(strings.Join(r.pages, " "), "ẤẦẨẪẬ ẮẰẲẴẶ ẾỀỂỄỆ") {
		t.Error("Vietnamese test line not found in the text")
	}
}

// TestWritePDFLong checks page breaks: a long table splits with its header
// repeated and pages numbered from 2; the narratives flow after it.
func TestWritePDFLong(t *testing.T) {
	r := readPDF(t, writePDF(t, bigDocument(150)))
	if len(r.pages) < 15 {
		t.Fatalf("%d pages, want at least 15", len(r.pages))
	}
	headers := 0
	for i, p := range r.pages {
		if i > 0 && !strings.HasPrefix(p, strconv.Itoa(i+1)+" ") {
			t.Errorf("page %d does not start with its number: %.40q", i+1, p)
		}
		if strings.Contains(p, "TT Đơn vị Loại hình Số hoạt động Số người tham gia") {
			headers++
		}
	}
	if headers < 3 {
		t.Errorf("table header on %d pages, want it repeated", headers)
	}
	all := strings.Join(r.pages, " ")
	for _, want := range []string{"Đơn vị số 1 thuộc", "Đơn vị số 150 thuộc UBND huyện Nghi Lộc: đã tổ chức", "& vượt <chỉ tiêu>.", "Tổng cộng 150 147225"} {
		if !strings.Contains(all, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if last := r.pages[len(r.pages)-1]; !strings.Contains(last, "Nguyễn Văn An") {
		t.Errorf("signer not on the last page: %.200q", last)
	}
}

func TestWritePDFVariants(t *testing.T) {
	long := strings.Repeat("Nội dung rất dài của một ô trong bảng. ", 400)
	cases := []struct {
		name string
		edit func(*Document)
		want []string
	}{
		{"handwritten number and date", func(d *Document) { d.Number, d.Date, d.Year = "", dates.Date{}, 2026 },
			[]string{"Số: /BC-SKHCN", "Nghệ An, ngày tháng năm 2026"}},
		{"empty document", func(d *Document) { *d = Document{} }, []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: /"}},
		{"control characters", func(d *Document) {
			d.Title = "A & B <c>\x00\x07\x1b\xff end"
			d.Blocks = []Block{{Text: "x\x00y"}, {Kind: BlockTable}, {Kind: BlockKind(-1), Text: "Lạ"}}
		}, []string{"A & B <c> end", "xy", "Lạ"}},
		{"row taller than a page", func(d *Document) {
			d.Blocks = []Block{{Kind: BlockTable, Table: &Table{Header: []string{"TT", "Nội dung"}, Rows: [][]string{{"1", long}, {"2", "ngắn"}}}}}
		}, []string{"ngắn", "Nguyễn Văn An"}},
		{"unbreakable word", func(d *Document) {
			d.Blocks = []Block{{Text: strings.Repeat("Ư", 300)}, {Kind: BlockTable, Table: &Table{Rows: [][]string{{strings.Repeat("9", 200)}}}}}
		}, []string{"ƯƯƯ", "999"}},
		{"many recipients", func(d *Document) {
			d.Recipients = nil
			for i := 0; i < 120; i++ {
				d.Recipients = append(d.Recipients, "Đơn vị nhận số "+strconv.Itoa(i)+";")
			}
		}, []string{"- Đơn vị nhận số 0;", "- Đơn vị nhận số 119;", "Nguyễn Văn An"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := sampleDocument()
			c.edit(d)
			r := readPDF(t, writePDF(t, d))
			all := strings.Join(r.pages, " ")
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("text lacks %q", w)
				}
			}
		})
	}
}

func TestWritePDFNil(t *testing.T) {
	if err := WritePDF(io.Discard, nil); !errors.Is(err, ErrNilDocument) {
		t.Errorf("WritePDF(nil) = %v, want ErrNilDocument", err)
	}
	if err := WritePDF(failWriter{}, sampleDocument()); err == nil {
		t.Error("write error not reported")
	}
}

func BenchmarkWritePDF300(b *testing.B) {
	d := bigDocument(300)
	for b.Loop() {
		if err := WritePDF(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrentWrites runs both writers at once: they share the prepared
// fonts and the pooled compressors.
func TestConcurrentWrites(t *testing.T) {
	d := sampleDocument()
	want := writeDOCX(t, d)
	errs := make(chan error, 8)
	for range 4 {
		go func() {
			var buf bytes.Buffer
			err := WriteDOCX(&buf, d)
			if err == nil && !bytes.Equal(buf.Bytes(), want) {
				err = errors.New("DOCX output differs between runs")
			}
			errs <- err
		}()
		go func() { errs <- WritePDF(io.Discard, d) }()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
