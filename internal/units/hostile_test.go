package units

import (
	"archive/zip"
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"
)

// rawXLSX builds a workbook by hand, so that a test can write what no
// spreadsheet program would: sheet is the worksheet's XML, strings the
// shared-string table's (both streamed, so a test can make parts of
// hundreds of MB without holding them).
func rawXLSX(t testing.TB, sheet, strings io.Reader) []byte {
	t.Helper()
	parts := []struct {
		name string
		body io.Reader
	}{
		{"[Content_Types].xml", bytes.NewBufferString(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)},
		{"_rels/.rels", bytes.NewBufferString(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", bytes.NewBufferString(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{"xl/_rels/workbook.xml.rels", bytes.NewBufferString(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)},
		{"xl/worksheets/sheet1.xml", sheet},
		{"xl/sharedStrings.xml", strings},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err == nil {
			_, err = io.Copy(w, p.body)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// repeat streams s n times.
func repeat(prefix, s string, n int, suffix string) io.Reader {
	rs := make([]io.Reader, 0, 3)
	rs = append(rs, strings.NewReader(prefix))
	rs = append(rs, &repeater{s: s, n: n})
	return io.MultiReader(append(rs, strings.NewReader(suffix))...)
}

type repeater struct {
	s   string
	n   int
	off int
}

func (r *repeater) Read(p []byte) (int, error) {
	w := 0
	for w < len(p) && r.n > 0 {
		c := copy(p[w:], r.s[r.off:])
		w, r.off = w+c, r.off+c
		if r.off == len(r.s) {
			r.off, r.n = 0, r.n-1
		}
	}
	if w == 0 && r.n == 0 {
		return 0, io.EOF
	}
	return w, nil
}

const (
	sheetHead = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c><c r="B1" t="inlineStr"><is><t>Tên</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>X1</t></is></c><c r="B2" t="inlineStr"><is><t>`
	sheetTail = `</t></is></c></row></sheetData></worksheet>`
	sstHead   = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
)

func sheetWithCell(n int) io.Reader { return repeat(sheetHead, "a", n, sheetTail) }
func noStrings() io.Reader          { return strings.NewReader(sstHead + `</sst>`) }

// hostileXLSX are the security review's workbooks: small files that
// inflate to hundreds of MB, or hold tables of millions of strings.
func hostileXLSX(t testing.TB) []struct {
	name, reason string
	file         []byte
} {
	return []struct {
		name, reason string
		file         []byte
	}{
		// One cell of 64 MiB: the review's was 240 MiB in a 246 KB file,
		// which took a server to 3 GB; both pass the same cap, this one is
		// quicker to build.
		{"one huge cell", "import.err.xlsx_too_large", rawXLSX(t, sheetWithCell(64<<20), noStrings())},
		// Within the part caps, but longer than a cell may be.
		{"long cell", "import.err.cell_too_long", rawXLSX(t, sheetWithCell(1<<20), noStrings())},
		{"many shared strings", "import.err.xlsx_strings_count", rawXLSX(t, sheetWithCell(1), repeat(sstHead, "<si/>", 2_000_000, "</sst>"))},
		{"huge shared strings", "import.err.xlsx_strings", rawXLSX(t, sheetWithCell(1), repeat(sstHead, "<si><t>abcdefgh</t></si>", 1_000_000, "</sst>"))},
		// A million formula cells, within the part caps: counted without
		// parsing, and reported at the first.
		{"a million formulas", "imports.err.formula", rawXLSX(t, repeat(sheetHead+"a"+sheetTail[:len(sheetTail)-len("</sheetData></worksheet>")],
			`<row><c><f>1+1</f><v>2</v></c></row>`, 1_000_000, "</sheetData></worksheet>"), noStrings())},
	}
}

// TestHostileXLSXRefused checks that each crafted workbook is refused with
// the cap it passes, naming it, and allocating a bounded amount (the time
// is measured by BenchmarkHostileXLSX).
func TestHostileXLSXRefused(t *testing.T) {
	for _, tc := range hostileXLSX(t) {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			alloc := allocated(func() { _, err = ParseFile("bomb.xlsx", bytes.NewReader(tc.file)) })
			rep := reportOf(t, err)
			if rep[0].Reason != tc.reason {
				t.Fatalf("%d-byte file: %v, want %s", len(tc.file), err, tc.reason)
			}
			if alloc > fileAllocBound(len(tc.file)) {
				t.Errorf("%d-byte file allocated %d MiB, bound %d MiB", len(tc.file), alloc>>20, fileAllocBound(len(tc.file))>>20)
			}
			t.Logf("%d-byte file: %s, %d MiB allocated", len(tc.file), rep[0].Reason, alloc>>20)
		})
	}
}

func BenchmarkHostileXLSX(b *testing.B) {
	for _, tc := range hostileXLSX(b) {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = ParseFile("bomb.xlsx", bytes.NewReader(tc.file))
			}
		})
	}
}

// fileAllocBound is what reading an import file of size bytes may
// allocate: a fixed allowance (the reader's buffers and one worksheet's
// rows) plus a multiple of the size.
func fileAllocBound(size int) uint64 { return 64<<20 + 64*uint64(size) }

// allocated is the number of bytes fn allocates.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
