package textnorm

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Segment is a run of a text, Hit when it matches a searched word.
type Segment struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

// Highlight splits text into segments, marking each place where a word of
// query occurs ignoring case and diacritics ("nghi loc" marks "Nghi" and
// "Lộc" in "Xã Nghi Lộc", and "Nghi" in "Nghĩa"). The segments hold the
// original text, so a page shows the name as written with the hits marked.
func Highlight(text, query string) []Segment {
	words := strings.Fields(Fold(query))
	if len(words) == 0 || text == "" {
		return []Segment{{Text: text}}
	}
	// Fold rune by rune, remembering which original rune each folded byte
	// comes from, so hits found in the folded text map back to the original.
	orig := []rune(norm.NFC.String(text))
	var folded strings.Builder
	var from []int // folded byte → index in orig
	for i, r := range orig {
		f := foldRune(r)
		folded.WriteString(f)
		for range len(f) {
			from = append(from, i)
		}
	}
	key := folded.String()
	hit := make([]bool, len(orig))
	for _, w := range words {
		for at := 0; at <= len(key)-len(w); {
			j := strings.Index(key[at:], w)
			if j < 0 {
				break
			}
			for b := at + j; b < at+j+len(w); b++ {
				hit[from[b]] = true
			}
			at += j + len(w)
		}
	}
	var out []Segment
	start := 0
	for i := 1; i <= len(orig); i++ {
		if i == len(orig) || hit[i] != hit[start] {
			out = append(out, Segment{Text: string(orig[start:i]), Hit: hit[start]})
			start = i
		}
	}
	return out
}
