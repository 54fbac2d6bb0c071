package officedoc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
)

// The PDF tests take the embedded font subsets apart with this small
// TrueType reader: tables, and each glyph's glyf data.

var errFont = errors.New("malformed TrueType font")

type sfnt struct {
	tables map[string][]byte
	glyphs [][]byte
}

func parseSFNT(data []byte) (*sfnt, error) {
	if len(data) < 12 {
		return nil, errFont
	}
	f := &sfnt{tables: map[string][]byte{}}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if len(data) < 12+16*n {
		return nil, errFont
	}
	for i := range n {
		rec := data[12+16*i:]
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(length) > uint64(len(data)) {
			return nil, fmt.Errorf("%w: table %q out of range", errFont, rec[:4])
		}
		f.tables[string(rec[:4])] = data[off : off+length]
	}
	head, maxp, loca, glyf := f.tables["head"], f.tables["maxp"], f.tables["loca"], f.tables["glyf"]
	if len(head) < 54 || len(maxp) < 6 || loca == nil || glyf == nil {
		return nil, fmt.Errorf("%w: missing head, maxp, loca or glyf", errFont)
	}
	long := binary.BigEndian.Uint16(head[50:]) == 1
	offset := func(i int) int {
		if long {
			return int(binary.BigEndian.Uint32(loca[4*i:]))
		}
		return 2 * int(binary.BigEndian.Uint16(loca[2*i:]))
	}
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	if (long && len(loca) < 4*(numGlyphs+1)) || (!long && len(loca) < 2*(numGlyphs+1)) {
		return nil, fmt.Errorf("%w: short loca", errFont)
	}
	f.glyphs = make([][]byte, numGlyphs)
	for i := range f.glyphs {
		a, b := offset(i), offset(i+1)
		if a > b || b > len(glyf) {
			return nil, fmt.Errorf("%w: glyph %d out of range", errFont, i)
		}
		f.glyphs[i] = glyf[a:b]
	}
	return f, nil
}

// components returns the glyphs a composite glyph is built from; ok is
// false for a simple or empty glyph.
func components(g []byte) (parts []uint16, ok bool, err error) {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil, false, nil
	}
	const (
		argWords, haveScale, moreComps, haveXYScale, haveTwoByTwo = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080
	)
	for p := 10; ; {
		if p+4 > len(g) {
			return nil, false, errFont
		}
		flags := binary.BigEndian.Uint16(g[p:])
		parts = append(parts, binary.BigEndian.Uint16(g[p+2:]))
		p += 6
		if flags&argWords != 0 {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&haveTwoByTwo != 0:
			p += 8
		}
		if flags&moreComps == 0 {
			return parts, true, nil
		}
	}
}

// TestEmbeddedFontsFlat guards the choice of font: gopdf's subsetter keeps
// the parts of a composite glyph but not the parts of those parts, so a
// font that builds "ệ" from a composite "ê" would print it as "ê". The
// embedded faces build every composite from simple glyphs only.
func TestEmbeddedFontsFlat(t *testing.T) {
	for i, data := range pdfFonts {
		f, err := parseSFNT(data)
		if err != nil {
			t.Fatalf("face %d: %v", i, err)
		}
		for g, data := range f.glyphs {
			parts, ok, err := components(data)
			if err != nil {
				t.Fatalf("face %d glyph %d: %v", i, g, err)
			}
			for _, c := range parts {
				if int(c) >= len(f.glyphs) {
					t.Fatalf("face %d: glyph %d uses missing glyph %d", i, g, c)
				}
				if _, sub, _ := components(f.glyphs[c]); ok && sub {
					t.Errorf("face %d: glyph %d uses composite glyph %d", i, g, c)
				}
			}
		}
	}
}
