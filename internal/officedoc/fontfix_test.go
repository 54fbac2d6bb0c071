package officedoc

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// placed is a simple glyph drawn at an offset: what a composite glyph
// finally paints.
type placed struct {
	glyph  uint16
	dx, dy int
}

// expand resolves g to the simple glyphs it paints (plain offsets only).
func expand(t *testing.T, f *sfnt, g uint16, dx, dy, depth int) []placed {
	t.Helper()
	if depth > 16 {
		t.Fatalf("glyph %d nests too deep", g)
	}
	cs, ok, err := components(f.glyphs[g])
	if err != nil {
		t.Fatalf("glyph %d: %v", g, err)
	}
	if !ok {
		return []placed{{g, dx, dy}}
	}
	var out []placed
	for _, c := range cs {
		if !c.plain() {
			t.Fatalf("glyph %d has a transformed component; the test assumes offsets", g)
		}
		x, y := c.offset()
		out = append(out, expand(t, f, c.glyph, dx+x, dy+y, depth+1)...)
	}
	return out
}

func TestFlattenComposites(t *testing.T) {
	for name, data := range map[string][]byte{"regular": fontRegular, "bold": fontBold, "italic": fontItalic, "bold italic": fontBoldItalic} {
		t.Run(name, func(t *testing.T) {
			orig, err := parseSFNT(data)
			if err != nil {
				t.Fatal(err)
			}
			out, err := flattenComposites(data)
			if err != nil {
				t.Fatal(err)
			}
			flat, err := parseSFNT(out)
			if err != nil {
				t.Fatalf("flattened font does not parse: %v", err)
			}
			if len(flat.glyphs) != len(orig.glyphs) {
				t.Fatalf("%d glyphs, want %d", len(flat.glyphs), len(orig.glyphs))
			}
			nested := 0
			for g := range orig.glyphs {
				want := expand(t, orig, uint16(g), 0, 0, 0)
				got := expand(t, flat, uint16(g), 0, 0, 0)
				if len(want) != len(got) {
					t.Fatalf("glyph %d paints %v, want %v", g, got, want)
				}
				for i := range want {
					if want[i] != got[i] {
						t.Fatalf("glyph %d paints %v, want %v", g, got, want)
					}
				}
				cs, ok, _ := components(flat.glyphs[g])
				for _, c := range cs {
					if _, sub, _ := components(flat.glyphs[c.glyph]); ok && sub {
						nested++
					}
				}
				if _, comp, _ := components(orig.glyphs[g]); !comp && !bytes.Equal(orig.glyphs[g], flat.glyphs[g][:len(orig.glyphs[g])]) {
					t.Fatalf("simple glyph %d changed", g)
				}
			}
			if nested != 0 {
				t.Errorf("%d components still point at composite glyphs", nested)
			}
			// Tables other than glyf, loca and head are copied unchanged.
			for tag, tb := range orig.tables {
				if tag == "glyf" || tag == "loca" || tag == "head" {
					continue
				}
				if !bytes.Equal(tb, flat.tables[tag]) {
					t.Errorf("table %q changed", tag)
				}
			}
			// The whole-font checksum is right.
			if sum := tableSum(out); sum != 0xB1B0AFBA {
				t.Errorf("font checksum %#x, want 0xB1B0AFBA", sum)
			}
			if binary.BigEndian.Uint16(flat.tables["head"][50:]) != 1 {
				t.Error("head.indexToLocFormat is not long")
			}
		})
	}
}

func TestFlattenCompositesBadInput(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("short"), make([]byte, 12), append([]byte{0, 1, 0, 0, 0, 9}, make([]byte, 20)...)} {
		if _, err := flattenComposites(in); err == nil {
			t.Errorf("flattenComposites(%q) did not fail", in)
		}
	}
}
