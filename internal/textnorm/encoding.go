package textnorm

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// This file is the one place that decides whether imported bytes are text
// the product can store: every reader of CSV files and pasted or uploaded
// text (units, activities, plan import) goes through it, so a file refused
// by one is refused by all, with the same reason.

// ErrUTF16 is a UTF-16 file (it starts with a byte-order mark) that is
// truncated or malformed.
var ErrUTF16 = errors.New("textnorm: malformed UTF-16 text")

// DecodeBytes turns the bytes of a text file into UTF-8: a UTF-8
// byte-order mark is dropped and UTF-16 with a byte-order mark (Excel's
// "Unicode text") is converted. Any other bytes are returned as they are,
// for CheckText to judge where a problem shows (a row, a line).
func DecodeBytes(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		if len(data)%2 != 0 {
			return nil, ErrUTF16
		}
		out, err := xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return nil, ErrUTF16
		}
		return out, nil
	}
	return data, nil
}

// TextProblem is why a string is not acceptable text.
type TextProblem int

const (
	TextOK TextProblem = iota
	// TextNotUTF8: invalid UTF-8 or a NUL byte, as a file saved in a
	// legacy code page (Windows-1258, TCVN3, VNI) or a binary file reads.
	TextNotUTF8
	// TextMojibake: valid UTF-8 that is UTF-8 decoded once more as a
	// Windows code page ("Sá»Ÿ" for "Sở"), as when a UTF-8 CSV is opened
	// in Excel without its byte-order mark and saved again.
	TextMojibake
)

// CheckText says whether s is text to store. For mojibake it also returns
// what the text was meant to be, for the message ("Sá»Ÿ" reads "Sở"), or
// "" when the misreading lost bytes (a code page without a character for
// them) so that the intended text cannot be told.
func CheckText(s string) (TextProblem, string) {
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return TextNotUTF8, ""
	}
	if fixed, ok := Unmojibake(s); ok {
		// fixed may be "" (see Unmojibake).
		return TextMojibake, fixed
	}
	return TextOK, ""
}

// Unmojibake undoes one round of "UTF-8 read as Windows-1252, Windows-1258
// or Latin-1": when every character of s has a byte in those code pages and
// the bytes form valid UTF-8 spelling at least one non-ASCII character, all
// of them letters, marks or punctuation of Latin and Vietnamese text, it
// returns that text. A byte the code page had no character for, replaced
// by U+FFFD in the misreading, still counts (as any continuation byte), but
// the text returned is then "" since it cannot be recovered. Genuine Vietnamese is never taken for mojibake: its
// letters with two marks (ở, ệ, ấ…) have no byte in those code pages, and
// its other non-ASCII letters (à, Đ, ơ) do not follow each other as UTF-8
// sequences would.
func Unmojibake(s string) (string, bool) {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return "", false
	}
	rev := codePageBytes()
	b := make([]byte, 0, len(s))
	lost := false
	for _, r := range s {
		if r < utf8.RuneSelf {
			b = append(b, byte(r))
			continue
		}
		if r == utf8.RuneError {
			lost = true
			b = append(b, 0x80)
			continue
		}
		c, ok := rev[r]
		if !ok {
			return "", false
		}
		b = append(b, c)
	}
	if !utf8.Valid(b) {
		return "", false
	}
	multi := false
	for _, r := range string(b) {
		if r < utf8.RuneSelf {
			continue
		}
		if !latinText(r) {
			return "", false
		}
		multi = true
	}
	switch {
	case !multi:
		return "", false
	case lost:
		return "", true
	}
	return string(b), true
}

// latinText reports whether r is what Vietnamese or Western text holds:
// Latin letters with their marks (precomposed or combining), the general
// punctuation block and currency signs such as ₫.
func latinText(r rune) bool {
	switch {
	case r >= 0x00A0 && r <= 0x024F, r >= 0x0300 && r <= 0x036F, r >= 0x1E00 && r <= 0x1EFF,
		r >= 0x2000 && r <= 0x20CF, r >= 0x2100 && r <= 0x214F:
		return unicode.IsPrint(r) || unicode.Is(unicode.Mn, r) || r == 0x00A0
	}
	return false
}

// codePageBytes maps each character of Windows-1252, Windows-1258 and
// Latin-1 (whose C1 controls stand for the bytes Windows-1252 leaves
// undefined) to its byte; the first code page wins where they differ.
var codePageBytes = sync.OnceValue(func() map[rune]byte {
	m := map[rune]byte{}
	for _, cm := range []*charmap.Charmap{charmap.Windows1252, charmap.Windows1258, charmap.ISO8859_1} {
		for b := 0x80; b <= 0xFF; b++ {
			r := cm.DecodeByte(byte(b))
			if r == utf8.RuneError {
				continue
			}
			if _, taken := m[r]; !taken {
				m[r] = byte(b)
			}
		}
	}
	return m
})
