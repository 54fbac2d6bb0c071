package officedoc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// gopdf's font subsetter keeps the components of a composite glyph but not
// the components of those components. DejaVu builds most Vietnamese letters
// in two levels ("ệ" = e + dotbelowcomb + uni0302, and dotbelowcomb is itself
// dotaccent moved down), so the subset would print "ệ" as "ê". The code here
// rewrites the font once, before gopdf sees it, so that every composite
// glyph refers to simple glyphs only; outlines and metrics are unchanged.

// Composite glyph component flags (TrueType 'glyf' table).
const (
	argWords     = 0x0001
	argsXY       = 0x0002
	roundXY      = 0x0004
	haveScale    = 0x0008
	moreComps    = 0x0020
	haveXYScale  = 0x0040
	haveTwoByTwo = 0x0080
	haveInstr    = 0x0100
	useMyMetrics = 0x0200
	overlapComp  = 0x0400
	scaledOffset = 0x0800
	unscaledOff  = 0x1000
)

var errFont = errors.New("malformed TrueType font")

// sfnt is a parsed TrueType font: its tables and its glyphs' glyf data.
type sfnt struct {
	version uint32
	tables  map[string][]byte
	glyphs  [][]byte
}

func parseSFNT(data []byte) (*sfnt, error) {
	if len(data) < 12 {
		return nil, errFont
	}
	f := &sfnt{version: binary.BigEndian.Uint32(data), tables: map[string][]byte{}}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if len(data) < 12+16*n {
		return nil, errFont
	}
	for i := 0; i < n; i++ {
		rec := data[12+16*i:]
		tag := string(rec[:4])
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(length) > uint64(len(data)) {
			return nil, fmt.Errorf("%w: table %q out of range", errFont, tag)
		}
		f.tables[tag] = data[off : off+length]
	}
	head, maxp, loca, glyf := f.tables["head"], f.tables["maxp"], f.tables["loca"], f.tables["glyf"]
	if len(head) < 54 || len(maxp) < 6 || loca == nil || glyf == nil {
		return nil, fmt.Errorf("%w: missing head, maxp, loca or glyf", errFont)
	}
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	long := binary.BigEndian.Uint16(head[50:]) == 1
	offset := func(i int) (int, bool) {
		if long {
			if len(loca) < 4*(i+1) {
				return 0, false
			}
			return int(binary.BigEndian.Uint32(loca[4*i:])), true
		}
		if len(loca) < 2*(i+1) {
			return 0, false
		}
		return 2 * int(binary.BigEndian.Uint16(loca[2*i:])), true
	}
	f.glyphs = make([][]byte, numGlyphs)
	for i := range f.glyphs {
		a, ok1 := offset(i)
		b, ok2 := offset(i + 1)
		if !ok1 || !ok2 || a > b || b > len(glyf) {
			return nil, fmt.Errorf("%w: glyph %d out of range", errFont, i)
		}
		f.glyphs[i] = glyf[a:b]
	}
	return f, nil
}

// component is one part of a composite glyph.
type component struct {
	flags uint16
	glyph uint16
	args  []byte // raw argument bytes (2 or 4)
	xform []byte // raw scale or matrix bytes, if any
}

// plain reports whether the component is a pure x/y offset.
func (c component) plain() bool { return c.flags&argsXY != 0 && len(c.xform) == 0 }

func (c component) offset() (int, int) {
	if c.flags&argWords != 0 {
		return int(int16(binary.BigEndian.Uint16(c.args))), int(int16(binary.BigEndian.Uint16(c.args[2:])))
	}
	return int(int8(c.args[0])), int(int8(c.args[1]))
}

// components parses a composite glyph; ok is false for a simple or empty
// glyph.
func components(g []byte) (cs []component, ok bool, err error) {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil, false, nil
	}
	p := 10
	for {
		if p+4 > len(g) {
			return nil, false, errFont
		}
		c := component{flags: binary.BigEndian.Uint16(g[p:]), glyph: binary.BigEndian.Uint16(g[p+2:])}
		p += 4
		n := 2
		if c.flags&argWords != 0 {
			n = 4
		}
		m := 0
		switch {
		case c.flags&haveScale != 0:
			m = 2
		case c.flags&haveXYScale != 0:
			m = 4
		case c.flags&haveTwoByTwo != 0:
			m = 8
		}
		if p+n+m > len(g) {
			return nil, false, errFont
		}
		c.args = g[p : p+n]
		if m > 0 {
			c.xform = g[p+n : p+n+m]
		}
		p += n + m
		cs = append(cs, c)
		if c.flags&moreComps == 0 {
			return cs, true, nil
		}
		if len(cs) > 1000 {
			return nil, false, errFont
		}
	}
}

// flattenComposites returns font data in which composite glyphs refer only
// to simple glyphs wherever the nesting is made of plain offsets (it is, in
// DejaVu). Glyphs that need no change keep their bytes, hinting included.
func flattenComposites(data []byte) ([]byte, error) {
	f, err := parseSFNT(data)
	if err != nil {
		return nil, err
	}
	memo := map[uint16][]component{}
	var flat func(g uint16, depth int) ([]component, error)
	// flat returns g's components with plain nested composites expanded.
	flat = func(g uint16, depth int) ([]component, error) {
		if r, ok := memo[g]; ok {
			return r, nil
		}
		if int(g) >= len(f.glyphs) || depth > 16 {
			return nil, errFont
		}
		cs, ok, err := components(f.glyphs[g])
		if err != nil || !ok {
			return nil, err
		}
		var out []component
		for _, c := range cs {
			if int(c.glyph) >= len(f.glyphs) {
				return nil, errFont
			}
			sub, err := flat(c.glyph, depth+1)
			if err != nil {
				return nil, err
			}
			if sub == nil || !c.plain() || !allPlain(sub) {
				out = append(out, c)
				continue
			}
			dx, dy := c.offset()
			for _, s := range sub {
				sx, sy := s.offset()
				flags := s.flags &^ (useMyMetrics | argWords)
				// The nested component's metrics matter only if the
				// outer component lent its metrics to the glyph.
				if c.flags&useMyMetrics != 0 && s.flags&useMyMetrics != 0 {
					flags |= useMyMetrics
				}
				out = append(out, xyComponent(flags, s.glyph, dx+sx, dy+sy))
			}
		}
		memo[g] = out
		return out, nil
	}

	changed := false
	glyphs := make([][]byte, len(f.glyphs))
	for i, g := range f.glyphs {
		glyphs[i] = g
		cs, ok, err := components(g)
		if err != nil {
			return nil, fmt.Errorf("glyph %d: %w", i, err)
		}
		if !ok {
			continue
		}
		nested := false
		for _, c := range cs {
			if int(c.glyph) < len(f.glyphs) {
				if _, sub, _ := components(f.glyphs[c.glyph]); sub {
					nested = true
				}
			}
		}
		if !nested {
			continue
		}
		out, err := flat(uint16(i), 0)
		if err != nil {
			return nil, fmt.Errorf("glyph %d: %w", i, err)
		}
		glyphs[i] = encodeComposite(g[:10], out)
		changed = true
	}
	if !changed {
		return data, nil
	}
	return f.rebuild(glyphs)
}

func allPlain(cs []component) bool {
	for _, c := range cs {
		if !c.plain() {
			return false
		}
	}
	return true
}

// xyComponent builds a plain component at (dx, dy), in 16-bit arguments.
func xyComponent(flags uint16, glyph uint16, dx, dy int) component {
	args := make([]byte, 4)
	binary.BigEndian.PutUint16(args, uint16(int16(clampInt(dx, -32768, 32767))))
	binary.BigEndian.PutUint16(args[2:], uint16(int16(clampInt(dy, -32768, 32767))))
	return component{flags: flags | argWords | argsXY, glyph: glyph, args: args}
}

// encodeComposite writes a composite glyph: the original 10-byte header
// (contour count and bounding box, which do not change) and the
// components. Composite hinting instructions are dropped: they address
// points by the old component layout.
func encodeComposite(header []byte, cs []component) []byte {
	out := append([]byte(nil), header...)
	for i, c := range cs {
		flags := c.flags &^ (moreComps | haveInstr)
		if i < len(cs)-1 {
			flags |= moreComps
		}
		out = binary.BigEndian.AppendUint16(out, flags)
		out = binary.BigEndian.AppendUint16(out, c.glyph)
		out = append(out, c.args...)
		out = append(out, c.xform...)
	}
	return out
}

// rebuild writes the font with new glyphs: a fresh glyf and long-format
// loca, head updated to match, every other table copied.
func (f *sfnt) rebuild(glyphs [][]byte) ([]byte, error) {
	var glyf []byte
	loca := make([]byte, 0, 4*(len(glyphs)+1))
	for _, g := range glyphs {
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		glyf = append(glyf, g...)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
	}
	loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
	head := append([]byte(nil), f.tables["head"]...)
	binary.BigEndian.PutUint16(head[50:], 1) // indexToLocFormat: long
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	tables := map[string][]byte{}
	for tag, t := range f.tables {
		tables[tag] = t
	}
	tables["glyf"], tables["loca"], tables["head"] = glyf, loca, head

	tags := make([]string, 0, len(tables))
	for tag := range tables {
		tags = append(tags, tag)
	}
	sort.Strings(tags)
	n := len(tags)
	pow := 1
	log := 0
	for pow*2 <= n {
		pow *= 2
		log++
	}
	out := binary.BigEndian.AppendUint32(nil, f.version)
	out = binary.BigEndian.AppendUint16(out, uint16(n))
	out = binary.BigEndian.AppendUint16(out, uint16(pow*16))
	out = binary.BigEndian.AppendUint16(out, uint16(log))
	out = binary.BigEndian.AppendUint16(out, uint16(n*16-pow*16))
	dir := len(out)
	out = append(out, make([]byte, 16*n)...)
	headAt := 0
	for i, tag := range tags {
		t := tables[tag]
		off := len(out)
		if tag == "head" {
			headAt = off
		}
		out = append(out, t...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		rec := out[dir+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[4:], tableSum(t))
		binary.BigEndian.PutUint32(rec[8:], uint32(off))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(t)))
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-tableSum(out))
	return out, nil
}

// tableSum is the TrueType checksum: the sum of big-endian 32-bit words,
// the last one zero-padded.
func tableSum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

func clampInt(v, lo, hi int) int {
	return min(max(v, lo), hi)
}
