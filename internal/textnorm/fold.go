// Package textnorm folds Vietnamese text for searching: "Vĩnh Phúc",
// "vinh phuc" and "VINH PHUC" all fold to "vinh phuc".
package textnorm

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lowercases s, removes diacritics (đ becomes d) and collapses runs of
// white space to one space.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		f := foldRune(r)
		if f == " " {
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		if f != "" {
			space = false
		}
		b.WriteString(f)
	}
	return strings.TrimRight(b.String(), " ")
}

// foldRune is Fold of one rune: white space becomes one space, a
// combining mark nothing.
func foldRune(r rune) string {
	if unicode.IsSpace(r) {
		return " "
	}
	if r < unicode.MaxASCII {
		return string(unicode.ToLower(r))
	}
	var b strings.Builder
	for _, x := range norm.NFD.String(string(r)) {
		switch {
		case unicode.Is(unicode.Mn, x):
			continue
		case x == 'đ' || x == 'Đ':
			x = 'd'
		}
		b.WriteRune(unicode.ToLower(x))
	}
	return b.String()
}
