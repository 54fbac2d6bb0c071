package web

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// The Content-Security-Policy refuses inline styles, so a style attribute
// in a template is silently dropped by the browser (line breaks of task
// contents were lost that way): every template styles through classes.
func TestTemplatesHaveNoInlineStyles(t *testing.T) {
	files, err := filepath.Glob("*/templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	own, _ := filepath.Glob("templates/*.html")
	files = append(files, own...)
	if len(files) < 20 {
		t.Fatalf("only %d templates found", len(files))
	}
	attr := regexp.MustCompile(`(?i)<[^>]*\sstyle\s*=`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if loc := attr.FindIndex(b); loc != nil {
			t.Errorf("%s: inline style attribute near %q", f, b[loc[0]:min(len(b), loc[1]+30)])
		}
	}
}
