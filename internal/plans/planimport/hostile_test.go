package planimport

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// hostileDOCX are crafted documents from the security review: small files
// whose naive parse cost minutes of CPU or gigabytes of memory.
func hostileDOCX(t testing.TB) []struct {
	name, key string
	file      []byte
} {
	mk := func(doc string) []byte {
		tt, ok := t.(*testing.T)
		if !ok {
			tt = &testing.T{}
		}
		r := buildDOCX(tt, docxFiles(doc))
		b := make([]byte, r.Size())
		_, _ = r.Read(b)
		return b
	}
	return []struct {
		name, key string
		file      []byte
	}{
		// One run whose text is split by a million empty comments: the
		// text was rebuilt with += per piece (58 s of a core for 4 KB).
		{"comments in one run", "planimport.err.docx_cell_text",
			mk(document(table(headerRow, []tc{c("1"), c("<w:r><w:t>" + strings.Repeat("a<!---->", 1_000_000) + "</w:t></w:r>"), c("Sở Nội vụ"), c(""), c("2026")})))},
		{"comments outside a table", "planimport.err.docx_too_large",
			mk(document("<w:p><w:r><w:t>" + strings.Repeat("abcd<!---->", 1_200_000) + "</w:t></w:r></w:p>"))},
		{"text outside a table", "planimport.err.docx_text",
			mk(document(strings.Repeat("<w:p><w:r><w:t>"+strings.Repeat("abcd", 1000)+"</w:t></w:r></w:p>", 1100)))},
		// Ten million empty paragraphs (1.4 GB before the caps).
		{"empty paragraphs", "planimport.err.docx_paragraphs", mk(document(strings.Repeat("<w:p/>", 10_000_000)))},
		{"empty cells", "planimport.err.docx_cells", mk(document("<w:tbl><w:tr>" + strings.Repeat("<w:tc/>", 5_000_000) + "</w:tr></w:tbl>"))},
	}
}

// TestHostileDOCXRefused checks that each crafted file is refused with the
// cap it passes, allocating a bounded amount (the time it takes is measured
// by BenchmarkHostileDOCX, not here).
func TestHostileDOCXRefused(t *testing.T) {
	for _, tc := range hostileDOCX(t) {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			alloc := allocated(func() { _, err = ParseDOCX(bytes.NewReader(tc.file), int64(len(tc.file))) })
			var perr *Error
			if !errors.As(err, &perr) || perr.Key != tc.key {
				t.Fatalf("%d-byte file: %v, want %s", len(tc.file), err, tc.key)
			}
			if alloc > docxAllocBound(len(tc.file)) {
				t.Errorf("%d-byte file allocated %d MiB, bound %d MiB", len(tc.file), alloc>>20, docxAllocBound(len(tc.file))>>20)
			}
			t.Logf("%d-byte file: %s, %d MiB allocated", len(tc.file), perr.Key, alloc>>20)
		})
	}
}

func BenchmarkHostileDOCX(b *testing.B) {
	for _, tc := range hostileDOCX(b) {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = ParseDOCX(bytes.NewReader(tc.file), int64(len(tc.file)))
			}
		})
	}
}

// docxAllocBound is what reading a DOCX of size bytes may allocate: a fixed
// allowance plus a multiple of the size that covers deflate's best ratio
// (about 1,000:1) times the decoder's few bytes per byte read.
func docxAllocBound(size int) uint64 { return 32<<20 + 4096*uint64(size) }

// textAllocBound is what parsing size bytes of pasted text may allocate.
func textAllocBound(size int) uint64 { return 16<<20 + 64*uint64(size) }

// allocated is the number of bytes fn allocates.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
