package plans_test

import (
	"testing"

	"khienso/internal/plans"
)

func TestEvidenceType(t *testing.T) {
	zip := []byte("PK\x03\x04\x14\x00\x06\x00")
	ole := []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"a.pdf", []byte("%PDF-1.7\n"), "application/pdf"},
		{"a.docx", []byte("%PDF-1.7\n"), "application/pdf"}, // the content wins over the name
		{"a.docx", zip, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"a.XLSX", zip, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"a.bin", zip, "application/zip"},
		{"a.doc", ole, "application/msword"},
		{"a.exe", ole, "application/octet-stream"},
		{"a.csv", []byte("ten,so\nA,1\n"), "text/csv; charset=utf-8"},
		{"a.pdf", []byte("ten,so\nA,1\n"), "text/plain; charset=utf-8"},
		{"a.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "image/jpeg"},
		{"a.html", []byte("<html><script>alert(1)</script>"), "application/octet-stream"},
		{"a.svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), "application/octet-stream"},
		{"a.pdf", []byte{0x7f, 'E', 'L', 'F', 2, 1}, "application/octet-stream"},
	} {
		if got := plans.EvidenceType(c.name, c.data); got != c.want {
			t.Errorf("EvidenceType(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestEvidenceName(t *testing.T) {
	for in, want := range map[string]string{
		`C:\Users\A\Biên bản.pdf`:   "Biên bản.pdf",
		"../../etc/passwd":          "passwd",
		"a\x00b\"c.pdf":             "abc.pdf",
		"  ":                        "file",
		"thư mục/":                  "file",
		"bien-ban-\xff-hop-le.docx": "bien-ban--hop-le.docx",
	} {
		if got := plans.EvidenceName(in); got != want {
			t.Errorf("EvidenceName(%q) = %q, want %q", in, got, want)
		}
	}
}
