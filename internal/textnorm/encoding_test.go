package textnorm

import (
	"errors"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// misread is what a UTF-8 text becomes when a program reads its bytes in
// code page cm and writes them back as UTF-8.
func misread(t *testing.T, cm *charmap.Charmap, s string) string {
	t.Helper()
	out, err := cm.NewDecoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCheckText(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		want  TextProblem
		fixed string
	}{
		{"ascii", "Phong GD", TextOK, ""},
		{"vietnamese", "Sở Thông tin và Truyền thông", TextOK, ""},
		{"vietnamese latin-1 letters only", "Hà Tân Đà", TextOK, ""},
		{"quoted capitals", "“CÔ”", TextOK, ""},
		{"french", "Café crème", TextOK, ""},
		{"symbols", "≥ 90% — ₫", TextOK, ""},
		{"windows-1252", "Sá»Ÿ ThÃ´ng tin vÃ\u00a0 Truyá»\u0081n thÃ´ng", TextMojibake, "Sở Thông tin và Truyền thông"},
		{"sở", "Sá»Ÿ", TextMojibake, "Sở"},
		{"windows-1258", misread(t, charmap.Windows1258, "UBND xã Hiếu"), TextMojibake, "UBND xã Hiếu"},
		// Windows-1258 has no character for the second byte of Đ (0x90):
		// the misreading kept U+FFFD, the intended text is lost.
		{"windows-1258 Đ", misread(t, charmap.Windows1258, "UBND xã Đông Hiếu"), TextMojibake, ""},
		{"windows-1252 dash", misread(t, charmap.Windows1252, "2022 – 2025"), TextMojibake, "2022 – 2025"},
		{"latin-1", misread(t, charmap.ISO8859_1, "Nghệ An"), TextMojibake, "Nghệ An"},
		{"invalid utf-8 (windows-1258 bytes)", "S\xd5", TextNotUTF8, ""},
		{"nul", "a\x00b", TextNotUTF8, ""},
	}
	for _, c := range cases {
		got, fixed := CheckText(c.in)
		if got != c.want || fixed != c.fixed {
			t.Errorf("%s: CheckText(%q) = %v, %q; want %v, %q", c.name, c.in, got, fixed, c.want, c.fixed)
		}
	}
}

func TestDecodeBytes(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want string
		err  error
	}{
		{"plain", []byte("Mã,Tên"), "Mã,Tên", nil},
		{"utf-8 bom", []byte("\xef\xbb\xbfMã"), "Mã", nil},
		{"utf-16le bom", []byte("\xff\xfeM\x00\xe3\x00"), "Mã", nil},
		{"utf-16be bom", []byte("\xfe\xff\x00M\x00\xe3"), "Mã", nil},
		{"utf-16 odd length", []byte("\xff\xfeM\x00\xe3"), "", ErrUTF16},
		{"legacy bytes kept", []byte("S\xd5"), "S\xd5", nil},
	}
	for _, c := range cases {
		got, err := DecodeBytes(c.in)
		if !errors.Is(err, c.err) || string(got) != c.want {
			t.Errorf("%s: DecodeBytes = %q, %v; want %q, %v", c.name, got, err, c.want, c.err)
		}
	}
}
