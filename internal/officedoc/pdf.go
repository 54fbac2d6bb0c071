package officedoc

import (
	"bufio"
	"compress/zlib"
	_ "embed"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/signintech/gopdf"
)

// The embedded DejaVu Serif faces: they cover Vietnamese, and their licence
// allows embedding (see fonts/LICENSE).
var (
	//go:embed fonts/DejaVuSerif.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSerif-Bold.ttf
	fontBold []byte
	//go:embed fonts/DejaVuSerif-Italic.ttf
	fontItalic []byte
	//go:embed fonts/DejaVuSerif-BoldItalic.ttf
	fontBoldItalic []byte
)

const fontFamily = "DejaVuSerif"

// pdfFonts are the four faces prepared for gopdf (see flattenComposites),
// done once per process.
var pdfFonts = sync.OnceValues(func() ([4][]byte, error) {
	var out [4][]byte
	for i, data := range [4][]byte{fontRegular, fontBold, fontItalic, fontBoldItalic} {
		f, err := flattenComposites(data)
		if err != nil {
			return out, fmt.Errorf("pdf: prepare font %d: %w", i, err)
		}
		out[i] = f
	}
	return out, nil
})

// face is one of the four styles of the family.
type face int

const (
	faceRegular face = iota
	faceBold
	faceItalic
	faceBoldItalic
)

var faceStyle = [...]int{gopdf.Regular, gopdf.Bold, gopdf.Italic, gopdf.Bold | gopdf.Italic}

// Page geometry in points: A4 and the decree's margins.
const (
	ptPerMM   = 72 / 25.4
	pageWPt   = 210 * ptPerMM
	pageHPt   = 297 * ptPerMM
	leftPt    = 30 * ptPerMM
	rightPt   = pageWPt - 15*ptPerMM
	topPt     = 20 * ptPerMM
	bottomPt  = pageHPt - 20*ptPerMM
	textWPt   = rightPt - leftPt
	lineRatio = 1.2  // line height / font size: single spacing for DejaVu
	baseRatio = 0.95 // baseline below the line top / font size

	bodySize   = 14.0
	tableSize  = 12.0
	indentPt   = 1.27 / 2.54 * 72 // first-line indent, 1.27 cm
	paraGapPt  = 6.0              // space before a body paragraph
	cellPadX   = 3.0
	cellPadY   = 2.0
	ruleGapPt  = 4.0
	signGapPt  = 84.0 // room for the handwritten signature and seal
	headLeftPt = 65 * ptPerMM
	signLeftPt = 75 * ptPerMM
)

// WritePDF writes d as a PDF with embedded (subset) DejaVu Serif fonts and
// ToUnicode maps, so the Vietnamese text is real, searchable text.
func WritePDF(w io.Writer, d *Document) (err error) {
	if d == nil {
		return ErrNilDocument
	}
	// gopdf is a third-party layout library; a panic inside it must not take
	// the server down, so it becomes an error.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pdf: render: %v", r)
		}
	}()
	p, err := newPDFWriter()
	if err != nil {
		return err
	}
	hv := prepareHeader(d)
	info := gopdf.PdfInfo{
		Title:   bmpOnly(strings.TrimSpace(hv.kind + " " + strings.Join(hv.title, " "))),
		Author:  bmpOnly(strings.Join(hv.issuing, " ")),
		Creator: "Khiên Số",
	}
	if !d.Date.IsZero() {
		info.CreationDate = d.Date.Start()
	}
	p.pdf.SetInfo(info)
	if err := p.render(d, hv); err != nil {
		return err
	}
	// gopdf ignores the errors of its writes, so they are caught here.
	sw := &stickyWriter{w: w}
	bw := bufio.NewWriterSize(sw, 64<<10)
	if _, err := p.pdf.WriteTo(bw); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	if sw.err != nil {
		return fmt.Errorf("pdf: write: %w", sw.err)
	}
	return nil
}

// bmpOnly drops characters beyond U+FFFF, which gopdf cannot encode in the
// document information strings.
func bmpOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return -1
		}
		return r
	}, s)
}

// stickyWriter remembers the first write error and drops later writes.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(b []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(b)
	s.err = err
	return n, err
}

// pdfWriter lays the document out top to bottom, page after page.
type pdfWriter struct {
	pdf    *gopdf.GoPdf
	adv    [4]map[rune]float64 // advance width per point of font size
	face   face
	size   float64
	fontOK bool // the gopdf current font is (face, size)
	y      float64
	page   int
	err    error // first drawing error; later calls do nothing
}

func newPDFWriter() (*pdfWriter, error) {
	fonts, err := pdfFonts()
	if err != nil {
		return nil, err
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: pageWPt, H: pageHPt}})
	pdf.SetCompressLevel(zlib.BestSpeed) // page streams: text compresses well anyway
	for i, data := range fonts {
		opt := gopdf.TtfOption{Style: faceStyle[i], OnGlyphNotFoundSubstitute: gopdf.DefaultOnGlyphNotFoundSubstitute}
		if err := pdf.AddTTFFontDataWithOption(fontFamily, data, opt); err != nil {
			return nil, fmt.Errorf("pdf: load font %d: %w", i, err)
		}
	}
	p := &pdfWriter{pdf: pdf}
	for i := range p.adv {
		p.adv[i] = make(map[rune]float64, 128)
	}
	return p, nil
}

func (p *pdfWriter) fail(err error) {
	if p.err == nil && err != nil {
		p.err = err
	}
}

func (p *pdfWriter) setFont(f face, size float64) {
	if p.fontOK && p.face == f && p.size == size {
		return
	}
	p.fail(p.pdf.SetFontWithStyle(fontFamily, faceStyle[f], size))
	p.face, p.size, p.fontOK = f, size, true
}

// width measures s in face f at size pt. Advances are cached per rune:
// gopdf does no kerning here, so a string's width is the sum of its runes'.
func (p *pdfWriter) width(s string, f face, size float64) float64 {
	var sum float64
	m := p.adv[f]
	for _, r := range s {
		a, ok := m[r]
		if !ok {
			p.fail(p.pdf.SetFontWithStyle(fontFamily, faceStyle[f], 1))
			p.fontOK = false
			w, err := p.pdf.MeasureTextWidth(string(r))
			p.fail(err)
			a = w
			m[r] = a
		}
		sum += a
	}
	return sum * size
}

// text draws s with its line box's top-left corner at (x, top).
func (p *pdfWriter) text(x, top float64, s string, f face, size float64) {
	if s == "" || p.err != nil {
		return
	}
	p.setFont(f, size)
	p.pdf.SetXY(x, top+size*baseRatio)
	p.fail(p.pdf.Text(s))
}

func (p *pdfWriter) line(x1, y1, x2, y2 float64) {
	p.pdf.SetLineWidth(0.6)
	p.pdf.Line(x1, y1, x2, y2)
}

// newPage starts a page; pages after the first carry their number at the
// top centre, as the decree asks.
func (p *pdfWriter) newPage() {
	p.pdf.AddPage()
	p.page++
	p.fontOK = false
	p.y = topPt
	if p.page > 1 {
		n := strconv.Itoa(p.page)
		const size = 13.0
		w := p.width(n, faceRegular, size)
		p.text(leftPt+(textWPt-w)/2, 10*ptPerMM, n, faceRegular, size)
	}
}

// ensure starts a new page unless h more points fit on this one.
func (p *pdfWriter) ensure(h float64) {
	if p.y+h > bottomPt && p.y > topPt {
		p.newPage()
	}
}

// wrap breaks s into lines no wider than first (the first line) and rest
// (the others). Text that fits is returned unchanged, keeping its spacing;
// a word wider than a line is cut between characters.
func (p *pdfWriter) wrap(s string, f face, size, first, rest float64) []string {
	if s == "" {
		return nil
	}
	if p.width(s, f, size) <= first {
		return []string{s}
	}
	space := p.width(" ", f, size)
	var out []string
	var cur strings.Builder
	curW := 0.0
	limit := first
	flush := func() {
		out = append(out, cur.String())
		cur.Reset()
		curW = 0
		limit = rest
	}
	for _, word := range strings.Fields(s) {
		ww := p.width(word, f, size)
		if cur.Len() > 0 && curW+space+ww <= limit {
			cur.WriteByte(' ')
			cur.WriteString(word)
			curW += space + ww
			continue
		}
		if cur.Len() > 0 {
			flush()
		}
		for ww > limit {
			// Cut the over-long word at the last rune that fits.
			cut, cw := 0, 0.0
			for i, r := range word {
				rw := p.width(string(r), f, size)
				if cw+rw > limit && i > 0 {
					break
				}
				cut = i + len(string(r))
				cw += rw
			}
			if cut >= len(word) {
				break
			}
			cur.WriteString(word[:cut])
			flush()
			word = word[cut:]
			ww = p.width(word, f, size)
		}
		cur.WriteString(word)
		curW = ww
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// wrapBalanced wraps s into as few lines as wrap does at width w, but with
// lines of similar length, as centred headings are set by hand.
func (p *pdfWriter) wrapBalanced(s string, f face, size, w float64) []string {
	best := p.wrap(s, f, size, w, w)
	if len(best) < 2 {
		return best
	}
	lo, hi := 0.0, w
	for _, word := range strings.Fields(s) {
		lo = math.Max(lo, p.width(word, f, size))
	}
	if lo >= hi {
		return best
	}
	for range 12 {
		mid := (lo + hi) / 2
		if ls := p.wrap(s, f, size, mid, mid); len(ls) <= len(best) {
			best, hi = ls, mid
		} else {
			lo = mid
		}
	}
	return best
}

// centred draws each line centred in [x, x+w] from p.y down, and returns the
// widest line's width.
func (p *pdfWriter) centred(ls []string, x, w float64, f face, size float64) float64 {
	widest := 0.0
	for _, l := range ls {
		lw := p.width(l, f, size)
		widest = math.Max(widest, lw)
		p.text(x+(w-lw)/2, p.y, l, f, size)
		p.y += size * lineRatio
	}
	return widest
}

// fitSize shrinks size until s fits in w (for the fixed motto, since DejaVu
// is wider than Times New Roman).
func (p *pdfWriter) fitSize(s string, f face, size, w float64) float64 {
	if tw := p.width(s, f, size); tw > w && tw > 0 {
		return math.Floor(size*w/tw*10) / 10
	}
	return size
}

func (p *pdfWriter) render(d *Document, hv headerView) error {
	p.newPage()
	p.header(hv)
	for _, b := range d.Blocks {
		p.block(b)
		if p.err != nil {
			return fmt.Errorf("pdf: body: %w", p.err)
		}
	}
	p.signature(hv)
	if p.err != nil {
		return fmt.Errorf("pdf: layout: %w", p.err)
	}
	return nil
}

// header draws the decree's heading, document kind and title.
func (p *pdfWriter) header(hv headerView) {
	const nameSize, minNameSize = 13.0, 12.0
	leftW, rightW := headLeftPt, textWPt-headLeftPt
	leftX, rightX := leftPt, leftPt+headLeftPt

	top := p.y
	// Body names shrink a little (DejaVu runs wider than Times New Roman)
	// before they wrap.
	nameFit := func(l string, f face) float64 {
		if size := p.fitSize(l, f, nameSize, leftW); size >= minNameSize {
			return size
		}
		return nameSize // too long anyway: wrap at full size
	}
	for _, l := range hv.parent {
		size := nameFit(l, faceRegular)
		p.centred(p.wrapBalanced(l, faceRegular, size, leftW), leftX, leftW, faceRegular, size)
	}
	widest := 0.0
	for _, l := range hv.issuing {
		size := nameFit(l, faceBold)
		widest = math.Max(widest, p.centred(p.wrapBalanced(l, faceBold, size, leftW), leftX, leftW, faceBold, size))
	}
	if widest > 0 {
		// A third to a half of the issuing body's line, centred under it.
		lw := ruleLen(widest, issuingRuleMinPt, leftW)
		p.y += ruleGapPt
		p.line(leftX+(leftW-lw)/2, p.y, leftX+(leftW+lw)/2, p.y)
		p.y += ruleGapPt
	}
	leftBottom := p.y

	p.y = top
	size := p.fitSize(mottoTitle, faceBold, 12, rightW)
	p.centred([]string{mottoTitle}, rightX, rightW, faceBold, size)
	size = p.fitSize(mottoSubtitle, faceBold, 13, rightW)
	mw := p.centred([]string{mottoSubtitle}, rightX, rightW, faceBold, size)
	p.y += ruleGapPt
	p.line(rightX+(rightW-mw)/2, p.y, rightX+(rightW+mw)/2, p.y)
	p.y += ruleGapPt

	p.y = math.Max(p.y, leftBottom) + paraGapPt
	top = p.y
	p.centred(p.wrap(hv.number, faceRegular, nameSize, leftW, leftW), leftX, leftW, faceRegular, nameSize)
	leftBottom = p.y
	p.y = top
	p.centred(p.wrap(hv.dateLine, faceItalic, bodySize, rightW, rightW), rightX, rightW, faceItalic, bodySize)
	p.y = math.Max(p.y, leftBottom)

	if hv.kind != "" || len(hv.title) > 0 {
		p.y += 18
	}
	if hv.kind != "" {
		p.centred(p.wrap(hv.kind, faceBold, bodySize, textWPt, textWPt), leftPt, textWPt, faceBold, bodySize)
	}
	widest = 0
	for _, t := range hv.title {
		for _, l := range p.wrapBalanced(t, faceBold, bodySize, textWPt) {
			p.ensure(bodySize * lineRatio)
			widest = math.Max(widest, p.centred([]string{l}, leftPt, textWPt, faceBold, bodySize))
		}
	}
	if widest > 0 {
		lw := ruleLen(widest, titleRuleMinPt, textWPt/2)
		p.y += ruleGapPt
		p.line(leftPt+(textWPt-lw)/2, p.y, leftPt+(textWPt+lw)/2, p.y)
		p.y += ruleGapPt
	}
}

func (p *pdfWriter) block(b Block) {
	switch b.Kind {
	case BlockTable:
		if b.Table != nil {
			p.table(b.Table)
		}
	case BlockHeading1, BlockHeading2:
		f := faceBold
		if b.Kind == BlockHeading2 {
			f = faceBoldItalic
		}
		for _, l := range lines(clean(b.Text)) {
			ls := p.wrap(l, f, bodySize, textWPt-indentPt, textWPt)
			// Keep the heading with the first line after it.
			p.ensure(paraGapPt + float64(len(ls)+1)*bodySize*lineRatio)
			p.paragraph(ls, f, false)
		}
	case BlockBullet:
		for _, l := range lines(clean(b.Text)) {
			p.paragraph(p.wrap(bulletText(l), faceRegular, bodySize, textWPt-indentPt, textWPt), faceRegular, true)
		}
	default:
		ls := lines(clean(b.Text))
		if len(ls) == 0 {
			p.y += paraGapPt + bodySize*lineRatio
		}
		for _, l := range ls {
			p.paragraph(p.wrap(l, faceRegular, bodySize, textWPt-indentPt, textWPt), faceRegular, true)
		}
	}
}

// paragraph draws wrapped lines with a first-line indent, justified except
// for the last line, breaking pages as needed.
func (p *pdfWriter) paragraph(ls []string, f face, justify bool) {
	lh := bodySize * lineRatio
	if p.y > topPt {
		p.y += paraGapPt
	}
	for i, l := range ls {
		p.ensure(lh)
		x, w := leftPt, textWPt
		if i == 0 {
			x, w = leftPt+indentPt, textWPt-indentPt
		}
		if justify && i < len(ls)-1 {
			p.justified(x, w, l, f, bodySize)
		} else {
			p.text(x, p.y, l, f, bodySize)
		}
		p.y += lh
	}
}

// justified spreads the words of l over width w. PDF word spacing (Tw) does
// not apply to two-byte font encodings, so words are placed one by one.
func (p *pdfWriter) justified(x, w float64, l string, f face, size float64) {
	words := strings.Fields(l)
	if len(words) < 2 {
		p.text(x, p.y, l, f, size)
		return
	}
	total := 0.0
	ws := make([]float64, len(words))
	for i, wd := range words {
		ws[i] = p.width(wd, f, size)
		total += ws[i]
	}
	gap := (w - total) / float64(len(words)-1)
	if gap < 0 || gap > size*3 {
		// Cut words or very sparse lines look better left-aligned.
		gap = p.width(" ", f, size)
	}
	for i, wd := range words {
		p.text(x, p.y, wd, f, size)
		x += ws[i] + gap
	}
}

// tableRow is a row laid out: each cell's wrapped lines.
type tableRow struct {
	cells  [][]string
	n      int // lines of the tallest cell (at least 1)
	face   face
	middle bool // centre cells vertically (the header row)
}

func (r tableRow) height(from int) float64 {
	return float64(r.n-from)*tableSize*lineRatio + 2*cellPadY
}

func (p *pdfWriter) layoutRow(row []string, colW []float64, f face) tableRow {
	tr := tableRow{cells: make([][]string, len(colW)), n: 1, face: f}
	for i, w := range colW {
		inner := math.Max(w-2*cellPadX, 1)
		var ls []string
		for _, l := range lines(clean(cell(row, i))) {
			ls = append(ls, p.wrap(l, f, tableSize, inner, inner)...)
		}
		tr.cells[i] = ls
		tr.n = max(tr.n, len(ls))
	}
	return tr
}

// drawRow draws lines [from, to) of every cell with borders, at p.y.
func (p *pdfWriter) drawRow(r tableRow, from, to int, colW []float64, align []int) {
	lh := tableSize * lineRatio
	h := float64(to-from)*lh + 2*cellPadY
	x := leftPt
	p.pdf.SetLineWidth(0.5)
	for i, w := range colW {
		p.pdf.RectFromUpperLeft(x, p.y, w, h)
		// Header cells are centred vertically, as in the DOCX.
		shift := 0.0
		if r.middle && from == 0 && to == r.n {
			shift = float64(r.n-len(r.cells[i])) / 2
		}
		for j := from; j < to && j < len(r.cells[i]); j++ {
			l := r.cells[i][j]
			tx := x + cellPadX
			switch align[i] {
			case gopdf.Right:
				tx = x + w - cellPadX - p.width(l, r.face, tableSize)
			case gopdf.Center:
				tx = x + (w-p.width(l, r.face, tableSize))/2
			}
			p.text(tx, p.y+cellPadY+(float64(j-from)+shift)*lh, l, r.face, tableSize)
		}
		x += w
	}
	p.y += h
}

// table draws a bordered table that splits across pages, repeating its
// header row at the top of each page; a row taller than the space left is
// moved to the next page, or split there if it is taller than a page.
func (p *pdfWriter) table(t *Table) {
	n, rel := tableShape(t)
	if n == 0 {
		return
	}
	colW := make([]float64, n)
	for i, r := range rel {
		colW[i] = r * textWPt
	}
	numeric := numericSet(t, n)
	dataAlign := make([]int, n)
	headAlign := make([]int, n)
	for i := range dataAlign {
		dataAlign[i] = gopdf.Left
		if numeric[i] {
			dataAlign[i] = gopdf.Right
		}
		headAlign[i] = gopdf.Center
	}
	lh := tableSize * lineRatio
	pageRoom := bottomPt - topPt

	var head *tableRow
	if len(t.Header) > 0 {
		h := p.layoutRow(t.Header, colW, faceBold)
		h.middle = true
		head = &h
	}
	// A header of more than a third of a page is drawn once, not repeated.
	repeat := head != nil && head.height(0) <= pageRoom/3

	if p.y > topPt {
		p.y += paraGapPt
	}
	rowsOnPage := 0
	drawHead := func() {
		if repeat {
			p.drawRow(*head, 0, head.n, colW, headAlign)
		}
		rowsOnPage = 0
	}
	nextPage := func() {
		p.newPage()
		drawHead()
	}
	firstNeed := lh + 2*cellPadY
	if repeat {
		firstNeed += head.height(0)
	}
	p.ensure(firstNeed)
	drawHead()

	rowsOf := func(yield func(tableRow, []int) bool) {
		if head != nil && !repeat {
			if !yield(*head, headAlign) {
				return
			}
		}
		for _, r := range t.Rows {
			if !yield(p.layoutRow(r, colW, faceRegular), dataAlign) {
				return
			}
		}
		if len(t.TotalRow) > 0 {
			yield(p.layoutRow(t.TotalRow, colW, faceBold), dataAlign)
		}
	}
	for r, align := range rowsOf {
		from := 0
		for from < r.n && p.err == nil {
			avail := bottomPt - p.y
			if need := r.height(from); need <= avail {
				p.drawRow(r, from, r.n, colW, align)
				rowsOnPage++
				break
			}
			// Move a whole row that would fit on a fresh page.
			fresh := pageRoom
			if repeat {
				fresh -= head.height(0)
			}
			if from == 0 && rowsOnPage > 0 && r.height(0) <= fresh {
				nextPage()
				continue
			}
			k := int((avail - 2*cellPadY) / lh)
			if k < 1 {
				nextPage()
				continue
			}
			k = min(k, r.n-from)
			p.drawRow(r, from, from+k, colW, align)
			from += k
			nextPage()
		}
		if p.err != nil {
			return
		}
	}
}

// signature draws "Nơi nhận" with the recipients on the left and the
// signing authority, signature room and signer's name on the right.
func (p *pdfWriter) signature(hv headerView) {
	const (
		lblSize  = 12.0
		recSize  = 11.0
		signSize = 14.0
	)
	leftW, rightW := signLeftPt, textWPt-signLeftPt
	leftX, rightX := leftPt, leftPt+signLeftPt

	type ln struct {
		s    string
		f    face
		size float64
	}
	var left, right []ln
	if len(hv.recipients) > 0 {
		for _, l := range p.wrap(recipientsLbl, faceBoldItalic, lblSize, leftW, leftW) {
			left = append(left, ln{l, faceBoldItalic, lblSize})
		}
		for _, r := range hv.recipients {
			for _, l := range p.wrap(r, faceRegular, recSize, leftW, leftW) {
				left = append(left, ln{l, faceRegular, recSize})
			}
		}
	}
	for _, a := range hv.authority {
		for _, l := range p.wrap(a, faceBold, signSize, rightW, rightW) {
			right = append(right, ln{l, faceBold, signSize})
		}
	}
	signer := p.wrap(hv.signer, faceBold, signSize, rightW, rightW)

	height := func(ls []ln) float64 {
		h := 0.0
		for _, l := range ls {
			h += l.size * lineRatio
		}
		return h
	}
	leftH := height(left)
	rightH := height(right) + signGapPt + float64(len(signer))*signSize*lineRatio
	pageRoom := bottomPt - topPt

	p.y += 12
	// Keep the block on one page when it fits on one; a recipients list
	// longer than a page starts here and flows on.
	need := math.Max(rightH, leftH)
	if need > pageRoom {
		need = rightH
	}
	p.ensure(need)

	// Right column first; it is short and stays on one page unless the
	// caller passed an absurd authority list.
	top, startPage := p.y, p.page
	for _, l := range right {
		p.ensure(l.size * lineRatio)
		p.centred([]string{l.s}, rightX, rightW, l.f, l.size)
	}
	p.y += signGapPt
	for _, l := range signer {
		p.ensure(signSize * lineRatio)
		p.centred([]string{l}, rightX, rightW, faceBold, signSize)
	}
	if p.page != startPage {
		// Never expected in practice: stack the recipients after it.
		top = p.y + paraGapPt
	}
	p.y = top
	for _, l := range left {
		p.ensure(l.size * lineRatio)
		p.text(leftX, p.y, l.s, l.f, l.size)
		p.y += l.size * lineRatio
	}
}
