package service

import (
	"strings"
	"unicode/utf8"
)

// FileName is the name an uploaded file is known by in reports and import
// jobs: its base name (no client folder), without control characters or
// invalid UTF-8, at most 200 characters, "file" when nothing is left.
func FileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	if name == "" {
		name = "file"
	}
	return name
}
