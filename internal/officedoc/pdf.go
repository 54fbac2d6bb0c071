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

	"github.com/signintech/gopdf"
)

// The embedded Liberation Serif faces: Times New Roman's metrics, so the
// PDF breaks lines and pages where Word does with the DOCX, and full
// Vietnamese coverage; the SIL Open Font License allows embedding (see
// fonts/LICENSE).
var (
	//go:embed fonts/LiberationSerif-Regular.ttf
	fontRegular []byte
	//go:embed fonts/LiberationSerif-Bold.ttf
	fontBold []byte
	//go:embed fonts/LiberationSerif-Italic.ttf
	fontItalic []byte
	//go:embed fonts/LiberationSerif-BoldItalic.ttf
	fontBoldItalic []byte
)

const fontFamily = "LiberationSerif"

// pdfFonts are the four faces in face order.
var pdfFonts = [4][]byte{fontRegular, fontBold, fontItalic, fontBoldItalic}

// face is one of the four styles of the family.
type face int

const (
	faceRegular face = iota
	faceBold
	faceItalic
	faceBoldItalic
)

var faceStyle = [...]int{gopdf.Regular, gopdf.Bold, gopdf.Italic, gopdf.Bold | gopdf.Italic}

// Page geometry and type in points. The margins, widths, sizes and
// spacings are the DOCX's (twips / 20), so both documents break alike.
const (
	ptPerMM  = 72 / 25.4
	pageWPt  = 210 * ptPerMM
	pageHPt  = 297 * ptPerMM
	leftPt   = marginLTwips / 20.0
	topPt    = marginTopTwips / 20.0
	bottomPt = pageHPt - marginBotTwips/20.0
	textWPt  = textWidthTwips / 20.0
	// lineRatio is single line spacing over the font size: Word's and
	// LibreOffice's, ascent + descent + line gap of Times New Roman (and of
	// Liberation Serif, which shares its metrics): (1825+443+87)/2048.
	lineRatio = 2355.0 / 2048
	// baseRatio puts the baseline below a line's top: line gap and ascent.
	baseRatio = (87.0 + 1825) / 2048

	bodySize  = 14.0
	nameSize  = 13.0 // issuing body, number, page numbers
	tableSize = tableHalfPts / 2.0
	indentPt  = 36.0 // first-line indent, 720 twips (1.27 cm)
	paraGapPt = 6.0  // space before a body paragraph (120 twips)
	spacerPt  = 6.0  // the exact-height spacers around a table
	cellPadX  = cellMarTwips / 20.0
	cellGapPt = 1.0 // space before and after a cell paragraph (20 twips)
	// A rule paragraph: 2 pt before, its 0.75 pt top border and 1 pt of
	// border spacing, an 8 pt exact line; the line is drawn at the border.
	ruleH  = 2 + 0.75 + 1 + 8
	ruleAt = 2 + 0.375
	// borderPt is a table border (w:sz 4: half a point), which adds to
	// every row's height.
	borderPt = 0.5
	// cellTextInset is what the borders take from a cell's text width.
	cellTextInset = borderPt / 2
	kindGapPt     = 18.0 // space before the document kind (360 twips)
	rowGapPt      = 6.0  // space before the heading's second row (120 twips)
	signGapPt     = 84.0 // room for the handwritten signature and seal (1680 twips)
	beforeSign    = 12.0 // the exact 12 pt paragraph before the signature
	headLeftPt    = headLeftTwips / 20.0
	signLeftPt    = signLeftTwips / 20.0
	recvTabPt     = receiverTabTwips / 20.0
	recvGapPt     = receiverGapTwips / 20.0
	recvGapTop    = receiverBeforeTwips / 20.0
)

// WritePDF writes d as a PDF with embedded (subset) Liberation Serif fonts
// and ToUnicode maps, so the Vietnamese text is real, searchable text.
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
	page   int // pages of the document
	// secPage is the page within the current section: the decree numbers
	// an appendix's pages on their own.
	secPage int
	err     error // first drawing error; later calls do nothing
}

func newPDFWriter() (*pdfWriter, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: pageWPt, H: pageHPt}})
	pdf.SetCompressLevel(zlib.BestSpeed) // page streams: text compresses well anyway
	for i, data := range pdfFonts {
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
// neither gopdf nor Word kerns here, so a string's width is the sum of its
// runes'. Each advance is rounded to whole twips, as word processors lay
// text out, so that a line that only just fits breaks where theirs does.
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
		sum += math.Round(a*size*20) / 20
	}
	return sum
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

// rule draws the decree's short centred line of length w inside [x, x+avail]
// as the DOCX's rule paragraph does, and moves below it.
func (p *pdfWriter) rule(x, avail, w float64) {
	w = math.Min(w, avail)
	p.line(x+(avail-w)/2, p.y+ruleAt, x+(avail+w)/2, p.y+ruleAt)
	p.y += ruleH
}

// newPage starts a page; pages after a section's first carry their number
// at the top centre, as the decree asks.
func (p *pdfWriter) newPage() {
	p.pdf.AddPage()
	p.page++
	p.secPage++
	p.fontOK = false
	p.y = topPt
	if p.secPage > 1 {
		n := strconv.Itoa(p.secPage)
		w := p.width(n, faceRegular, nameSize)
		p.text(leftPt+(textWPt-w)/2, headerDistTwips/20.0, n, faceRegular, nameSize)
	}
}

// newSection starts a section (an appendix) on a new page, numbered from 1.
func (p *pdfWriter) newSection() {
	p.secPage = 0
	p.newPage()
}

// room is the height left on the page.
func (p *pdfWriter) room() float64 { return bottomPt - p.y }

// ensure starts a new page unless h more points fit on this one.
func (p *pdfWriter) ensure(h float64) {
	if h > p.room()+0.01 && p.y > topPt {
		p.newPage()
	}
}

// gap adds space before a paragraph, except at the top of a page.
func (p *pdfWriter) gap(h float64) {
	if p.y > topPt {
		p.y += h
	}
}

// wrap breaks s into lines no wider than first (the first line) and rest
// (the others), at spaces, as word processors do: the space at a break
// hangs at the end of its line, and runs of spaces (a gap left for a
// handwritten number) are kept. A word wider than a line is cut between
// characters.
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
		out = append(out, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		curW = 0
		limit = rest
	}
	for i, word := range strings.Split(s, " ") {
		if i > 0 && word == "" {
			// A further space: it takes room but never breaks the line.
			if cur.Len() > 0 {
				cur.WriteByte(' ')
				curW += space
			}
			continue
		}
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
		out = append(out, strings.TrimRight(cur.String(), " "))
	}
	return out
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

func (p *pdfWriter) render(d *Document, hv headerView) error {
	p.newSection()
	p.header(hv)
	p.receivers(hv.receivers)
	sig := p.laySignature(hv)
	// The body's last lines stay with the signature, as the DOCX keeps them.
	p.blocks(d.Blocks, beforeSign+sig.need)
	if p.err != nil {
		return fmt.Errorf("pdf: body: %w", p.err)
	}
	p.y += beforeSign
	p.signature(sig)
	for _, a := range hv.appendices {
		p.newSection()
		p.appendixHeading(a)
		p.blocks(a.blocks, 0)
		if p.err != nil {
			return fmt.Errorf("pdf: appendix: %w", p.err)
		}
	}
	if p.err != nil {
		return fmt.Errorf("pdf: layout: %w", p.err)
	}
	return nil
}

// header draws the decree's heading, document kind and title.
func (p *pdfWriter) header(hv headerView) {
	leftW, rightW := headLeftPt, textWPt-headLeftPt
	leftX, rightX := leftPt, leftPt+headLeftPt

	top := p.y
	for _, l := range hv.parent {
		const size = parentHalfPts / 2.0
		p.centred(p.wrap(l, faceRegular, size, leftW, leftW), leftX, leftW, faceRegular, size)
	}
	widest := 0.0
	for _, l := range hv.issuing {
		widest = math.Max(widest, p.centred(p.wrap(l, faceBold, nameSize, leftW, leftW), leftX, leftW, faceBold, nameSize))
	}
	switch {
	case len(hv.issuing) > 0:
		// A third to a half of the issuing body's line, centred under it.
		p.rule(leftX, leftW, ruleLen(widest, issuingRuleMinPt, leftW))
	case len(hv.parent) == 0:
		p.y += bodySize * lineRatio // the DOCX's empty paragraph
	}
	leftBottom := p.y

	p.y = top
	p.centred([]string{mottoTitle}, rightX, rightW, faceBold, 12)
	mw := p.centred([]string{mottoSubtitle}, rightX, rightW, faceBold, nameSize)
	p.rule(rightX, rightW, mw)

	p.y = math.Max(p.y, leftBottom) + rowGapPt
	top = p.y
	p.centred(p.wrap(hv.number, faceRegular, nameSize, leftW, leftW), leftX, leftW, faceRegular, nameSize)
	leftBottom = p.y
	p.y = top
	p.centred(p.wrap(hv.dateLine, faceItalic, bodySize, rightW, rightW), rightX, rightW, faceItalic, bodySize)
	p.y = math.Max(p.y, leftBottom)

	if hv.kind != "" || len(hv.title) > 0 {
		p.y += kindGapPt
	}
	if hv.kind != "" {
		p.centred(p.wrap(hv.kind, faceBold, bodySize, textWPt, textWPt), leftPt, textWPt, faceBold, bodySize)
	}
	widest = 0
	for _, t := range hv.title {
		for _, l := range p.wrap(t, faceBold, bodySize, textWPt, textWPt) {
			p.ensure(bodySize * lineRatio)
			widest = math.Max(widest, p.centred([]string{l}, leftPt, textWPt, faceBold, bodySize))
		}
	}
	if widest > 0 {
		p.rule(leftPt, textWPt, ruleLen(widest, titleRuleMinPt, textWPt/2))
	}
}

// receivers draws "Kính gửi:" as the DOCX lays it out: one addressee
// centred on the label's line; several from a tab stop, the label
// right-aligned before it.
func (p *pdfWriter) receivers(rs []string) {
	if len(rs) == 0 {
		return
	}
	lh := bodySize * lineRatio
	p.y += recvGapTop
	if len(rs) == 1 {
		ls := p.wrap(receiversLbl+" "+rs[0], faceRegular, bodySize, textWPt, textWPt)
		p.ensure(float64(len(ls)) * lh)
		p.centred(ls, leftPt, textWPt, faceRegular, bodySize)
		return
	}
	lw := p.width(receiversLbl, faceRegular, bodySize)
	for i, r := range rs {
		ls := p.wrap(r, faceRegular, bodySize, textWPt-recvTabPt, textWPt-recvTabPt)
		for j, l := range ls {
			p.ensure(lh)
			if i == 0 && j == 0 {
				p.text(leftPt+recvTabPt-recvGapPt-lw, p.y, receiversLbl, faceRegular, bodySize)
			}
			p.text(leftPt+recvTabPt, p.y, l, faceRegular, bodySize)
			p.y += lh
		}
	}
}

// appendixHeading draws "Phụ lục", the title, the "(Kèm theo ...)" line
// and a short rule, kept with the first lines that follow.
func (p *pdfWriter) appendixHeading(a appendixView) {
	widest := 0.0
	p.centred([]string{a.label}, leftPt, textWPt, faceBold, bodySize)
	for _, t := range a.title {
		widest = math.Max(widest, p.centred(p.wrap(t, faceBold, bodySize, textWPt, textWPt), leftPt, textWPt, faceBold, bodySize))
	}
	widest = math.Max(widest, p.centred(p.wrap(a.ref, faceItalic, bodySize, textWPt, textWPt), leftPt, textWPt, faceItalic, bodySize))
	p.rule(leftPt, textWPt, ruleLen(widest, titleRuleMinPt, textWPt/2))
}

// laid is a body block prepared for the page: its lines, or its table.
type laid struct {
	kind  BlockKind
	paras [][]string // wrapped lines of each paragraph
	face  face
	table *laidTable
}

func (p *pdfWriter) lay(b Block) laid {
	l := laid{kind: b.Kind, face: faceRegular}
	switch b.Kind {
	case BlockTable:
		if b.Table != nil {
			l.table = p.layTable(b.Table)
		}
		return l
	case BlockHeading1:
		l.face = faceBold
	case BlockHeading2:
		l.face = faceBoldItalic
	}
	ls := lines(clean(b.Text))
	for _, t := range ls {
		if b.Kind == BlockBullet {
			t = bulletText(t)
		}
		l.paras = append(l.paras, p.wrap(t, l.face, bodySize, textWPt-indentPt, textWPt))
	}
	if len(ls) == 0 && (b.Kind == BlockParagraph || !isKnown(b.Kind)) {
		l.paras = [][]string{{""}} // an empty paragraph still takes a line
	}
	return l
}

func isKnown(k BlockKind) bool { return k >= BlockParagraph && k <= BlockTable }

func (l laid) heading() bool { return l.kind == BlockHeading1 || l.kind == BlockHeading2 }

// lead is the height the block's start needs on a page: what a heading
// above it is kept with. A heading counts whole, plus the lead of what
// follows it (headings chain); a paragraph its first lines (two, or all of
// a paragraph of up to three, which widow control keeps together); a table
// its spacer, header and first row. When the chain reaches the last block,
// which is held with tail points after it, a short last paragraph brings
// the tail along.
func lead(bs []laid, tail float64) float64 {
	if len(bs) == 0 {
		return tail
	}
	b := bs[0]
	lh := bodySize * lineRatio
	switch {
	case b.kind == BlockTable:
		if b.table == nil {
			return lead(bs[1:], tail)
		}
		return spacerPt + b.table.leadHeight()
	case b.heading():
		h := 0.0
		for _, ls := range b.paras {
			h += paraGapPt + float64(len(ls))*lh
		}
		if len(b.paras) == 0 {
			return lead(bs[1:], tail)
		}
		return h + lead(bs[1:], tail)
	case len(b.paras) == 0:
		return lead(bs[1:], tail)
	}
	n := len(b.paras[0])
	if n <= 3 && len(bs) == 1 && len(b.paras) == 1 {
		return paraGapPt + float64(n)*lh + tail
	}
	if n > 3 {
		n = 2
	}
	return paraGapPt + float64(n)*lh
}

// blocks draws body blocks; each heading stays with what follows it, and
// the last paragraph's last lines with tail points after it (0: none).
func (p *pdfWriter) blocks(bs []Block, tail float64) {
	ls := make([]laid, len(bs))
	for i, b := range bs {
		ls[i] = p.lay(b)
	}
	for i, b := range ls {
		if p.err != nil {
			return
		}
		switch {
		case b.kind == BlockTable:
			if b.table != nil {
				p.table(b.table)
			}
		case b.heading():
			// Keep the heading whole with the start of what follows; the
			// gap before the heading is dropped at a page top, so it counts
			// only on this page.
			p.ensure(lead(ls[i:], tail))
			for _, para := range b.paras {
				p.paragraph(para, b.face, false, 0)
			}
		default:
			for j, para := range b.paras {
				keep := 0.0
				if i == len(ls)-1 && j == len(b.paras)-1 {
					keep = tail
				}
				p.paragraph(para, b.face, true, keep)
			}
		}
	}
}

// paragraph draws wrapped lines with a first-line indent, justified except
// for the last line. Pages break between lines under widow control: never
// one line of a paragraph alone at a page's foot or head. With tail > 0
// the last lines (two, or the whole of a short paragraph) stay on the page
// of the tail points that follow.
func (p *pdfWriter) paragraph(ls []string, f face, justify bool, tail float64) {
	lh := bodySize * lineRatio
	p.gap(paraGapPt)
	for i := 0; i < len(ls); {
		fit := int((p.room() + 0.01) / lh)
		left := len(ls) - i
		// A fresh page takes what it can: the tail may be taller than one.
		withTail := tail == 0 || p.y == topPt || float64(left)*lh+tail <= p.room()+0.01
		if left <= fit && withTail {
			p.lines(ls, i, len(ls), f, justify)
			return
		}
		k := min(fit, left)
		if k == left {
			k = left - 2 // all fit but not with the tail: keep two with it
		}
		if left-k < 2 {
			k = left - 2
		}
		if i == 0 && k < 2 || k < 1 {
			k = 0
		}
		if k == 0 && p.y > topPt {
			p.newPage()
			continue
		}
		if k == 0 {
			k = max(1, min(fit, left)) // a page too short for the rule: draw anyway
		}
		p.lines(ls, i, i+k, f, justify)
		i += k
		p.newPage()
	}
}

// lines draws lines [from, to) of a paragraph from p.y down.
func (p *pdfWriter) lines(ls []string, from, to int, f face, justify bool) {
	lh := bodySize * lineRatio
	for i := from; i < to; i++ {
		x, w := leftPt, textWPt
		if i == 0 {
			x, w = leftPt+indentPt, textWPt-indentPt
		}
		if justify && i < len(ls)-1 {
			p.justified(x, w, ls[i], f, bodySize)
		} else {
			p.text(x, p.y, ls[i], f, bodySize)
		}
		p.y += lh
	}
}

// justified spreads the words of l over width w, widening every space
// alike. PDF word spacing (Tw) does not apply to two-byte font encodings,
// so words are placed one by one.
func (p *pdfWriter) justified(x, w float64, l string, f face, size float64) {
	words := strings.Split(l, " ")
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

// cellLine is one line of a table cell, top offset within its cell.
type cellLine struct {
	text string
	top  float64
}

// tableRow is a row laid out: each cell's lines, as the DOCX's cell
// paragraphs (1 pt before and after each) would set them.
type tableRow struct {
	cells  [][]cellLine
	height float64
	face   face
	middle bool // centre cells vertically (the header row)
	keep   bool // never split across pages
}

func (p *pdfWriter) layoutRow(row []string, widths []int, f face) tableRow {
	tr := tableRow{cells: make([][]cellLine, len(widths)), face: f, keep: rowKeepsTogether(row, widths)}
	lh := tableSize * lineRatio
	for i, tw := range widths {
		// Text runs between the cell margins, less a little of the
		// borders: LibreOffice wraps "Đúng tiến độ" (62.55 pt) in a
		// 62.6 pt space but not "108" (18 pt) in 18.45 pt.
		inner := math.Max(float64(tw)/20-2*cellPadX-cellTextInset, 1)
		y := 0.0
		paras := lines(clean(cell(row, i)))
		if len(paras) == 0 {
			paras = []string{""}
		}
		for _, para := range paras {
			y += cellGapPt
			ls := p.wrap(para, f, tableSize, inner, inner)
			if len(ls) == 0 {
				ls = []string{""}
			}
			for _, l := range ls {
				tr.cells[i] = append(tr.cells[i], cellLine{text: l, top: y})
				y += lh
			}
			y += cellGapPt
		}
		tr.height = math.Max(tr.height, y+borderPt)
	}
	return tr
}

// laidTable is a table with every row laid out.
type laidTable struct {
	colW  []float64
	head  *tableRow
	rows  []tableRow
	total *tableRow
	// align and headAlign are the data and header cells' alignments.
	align, headAlign []int
}

func (p *pdfWriter) layTable(t *Table) *laidTable {
	n, widths := tableShape(t)
	if n == 0 {
		return nil
	}
	lt := &laidTable{colW: make([]float64, n), align: make([]int, n), headAlign: make([]int, n)}
	for i, w := range widths {
		lt.colW[i] = float64(w) / 20
	}
	numeric := numericSet(t, n)
	for i := range lt.align {
		lt.align[i], lt.headAlign[i] = gopdf.Left, gopdf.Center
		if numeric[i] {
			lt.align[i] = gopdf.Right
		}
	}
	if len(t.Header) > 0 {
		h := p.layoutRow(t.Header, widths, faceBold)
		h.middle, h.keep = true, true
		lt.head = &h
	}
	for _, r := range t.Rows {
		lt.rows = append(lt.rows, p.layoutRow(r, widths, faceRegular))
	}
	if len(t.TotalRow) > 0 {
		tr := p.layoutRow(t.TotalRow, widths, faceBold)
		lt.total = &tr
	}
	return lt
}

// repeatHead tells whether the header row repeats on each page: a header
// of more than a third of a page is drawn once.
func (t *laidTable) repeatHead() bool {
	return t.head != nil && t.head.height <= (bottomPt-topPt)/3
}

// leadHeight is the header and the first row: what a heading keeps with.
func (t *laidTable) leadHeight() float64 {
	h := 0.0
	if t.head != nil {
		h += t.head.height
	}
	switch {
	case len(t.rows) > 0:
		h += t.rows[0].height
	case t.total != nil:
		h += t.total.height
	}
	return h
}

// drawRow draws the part of row r from offset `from` to `to` (points from
// the row's top) with borders, at p.y.
func (p *pdfWriter) drawRow(r tableRow, from, to float64, colW []float64, align []int) {
	h := to - from
	x := leftPt
	p.pdf.SetLineWidth(0.5)
	for i, w := range colW {
		p.pdf.RectFromUpperLeft(x, p.y, w, h)
		// Header cells are centred vertically, as in the DOCX.
		shift := 0.0
		if r.middle && from == 0 && len(r.cells[i]) > 0 {
			last := r.cells[i][len(r.cells[i])-1]
			shift = (r.height - (last.top + tableSize*lineRatio + cellGapPt)) / 2
		}
		for _, l := range r.cells[i] {
			if l.top < from-0.01 || l.top+tableSize*lineRatio > to+0.01 {
				continue
			}
			tx := x + cellPadX
			switch align[i] {
			case gopdf.Right:
				tx = x + w - cellPadX - p.width(l.text, r.face, tableSize)
			case gopdf.Center:
				tx = x + (w-p.width(l.text, r.face, tableSize))/2
			}
			p.text(tx, p.y+l.top-from+shift, l.text, r.face, tableSize)
		}
		x += w
	}
	p.y += h
}

// splitAt is the largest offset <= limit (from the row's top, beyond
// from) at which row r can be cut between lines in every cell.
func (r tableRow) splitAt(from, limit float64) float64 {
	lh := tableSize * lineRatio
	cut := limit
	for _, c := range r.cells {
		for _, l := range c {
			if l.top < cut && l.top+lh > cut {
				cut = l.top // this line does not fit: cut above it
			}
		}
	}
	if cut <= from+0.01 {
		return from
	}
	return cut
}

// table draws a bordered table that splits across pages, repeating its
// header row at the top of each page. A row kept together that does not
// fit moves to the next page; a taller row is cut between lines.
func (p *pdfWriter) table(t *laidTable) {
	repeat := t.repeatHead()
	p.ensure(spacerPt + t.leadHeight())
	p.y += spacerPt
	if t.head != nil && !repeat {
		p.rowFlow(*t.head, t, t.headAlign, false)
	}
	if repeat {
		p.drawRow(*t.head, 0, t.head.height, t.colW, t.headAlign)
	}
	for _, r := range t.rows {
		p.rowFlow(r, t, t.align, repeat)
		if p.err != nil {
			return
		}
	}
	if t.total != nil {
		p.rowFlow(*t.total, t, t.align, repeat)
	}
	p.y += spacerPt
}

// rowFlow draws one row, breaking the page before it or inside it.
func (p *pdfWriter) rowFlow(r tableRow, t *laidTable, align []int, repeat bool) {
	from := 0.0
	for from < r.height-0.01 && p.err == nil {
		if r.height-from <= p.room()+0.01 {
			p.drawRow(r, from, r.height, t.colW, align)
			return
		}
		fresh := bottomPt - topPt
		if repeat {
			fresh -= t.head.height
		}
		if from == 0 && r.keep && r.height <= fresh {
			p.tableBreak(t, repeat)
			continue
		}
		cut := r.splitAt(from, from+p.room())
		if cut <= from {
			p.tableBreak(t, repeat)
			continue
		}
		p.drawRow(r, from, cut, t.colW, align)
		from = cut
		p.tableBreak(t, repeat)
	}
}

// tableBreak continues a table on a new page, under its repeated header.
func (p *pdfWriter) tableBreak(t *laidTable, repeat bool) {
	p.newPage()
	if repeat {
		p.drawRow(*t.head, 0, t.head.height, t.colW, t.headAlign)
	}
}

// sigLine is one line of the signature block.
type sigLine struct {
	s    string
	f    face
	size float64
}

// sigBlock is the signature block laid out: recipients on the left,
// authority and signer on the right, and the height kept on one page.
type sigBlock struct {
	left, right []sigLine
	signer      []string
	need        float64
}

const (
	sigLblSize  = 12.0
	sigRecSize  = 11.0
	sigSignSize = 14.0
)

func (p *pdfWriter) laySignature(hv headerView) sigBlock {
	leftW, rightW := signLeftPt, textWPt-signLeftPt
	var b sigBlock
	if len(hv.recipients) > 0 {
		for _, l := range p.wrap(recipientsLbl, faceBoldItalic, sigLblSize, leftW, leftW) {
			b.left = append(b.left, sigLine{l, faceBoldItalic, sigLblSize})
		}
		for _, r := range hv.recipients {
			for _, l := range p.wrap(r, faceRegular, sigRecSize, leftW, leftW) {
				b.left = append(b.left, sigLine{l, faceRegular, sigRecSize})
			}
		}
	} else {
		b.left = append(b.left, sigLine{"", faceRegular, bodySize}) // the DOCX's empty paragraph
	}
	for _, a := range hv.authority {
		for _, l := range p.wrap(a, faceBold, sigSignSize, rightW, rightW) {
			b.right = append(b.right, sigLine{l, faceBold, sigSignSize})
		}
	}
	b.signer = p.wrap(hv.signer, faceBold, sigSignSize, rightW, rightW)
	if len(b.signer) == 0 {
		b.signer = []string{""}
	}
	height := func(ls []sigLine) float64 {
		h := 0.0
		for _, l := range ls {
			h += l.size * lineRatio
		}
		return h
	}
	rightH := height(b.right) + signGapPt + float64(len(b.signer))*sigSignSize*lineRatio
	// The block stays on one page when it fits on one (the DOCX row cannot
	// split unless the lists are long); a recipients list longer than a
	// page starts where it must and flows on.
	b.need = math.Max(rightH, height(b.left))
	if b.need > bottomPt-topPt || len(hv.recipients)+len(hv.authority) >= 30 {
		b.need = math.Min(b.need, rightH)
	}
	return b
}

// signature draws "Nơi nhận" with the recipients on the left and the
// signing authority, signature room and signer's name on the right.
func (p *pdfWriter) signature(b sigBlock) {
	leftX, rightX, rightW := leftPt, leftPt+signLeftPt, textWPt-signLeftPt
	p.ensure(b.need)

	// Right column first; it is short and stays on one page unless the
	// caller passed an absurd authority list.
	top, startPage := p.y, p.page
	for _, l := range b.right {
		p.ensure(l.size * lineRatio)
		p.centred([]string{l.s}, rightX, rightW, l.f, l.size)
	}
	p.y += signGapPt
	for _, l := range b.signer {
		p.ensure(sigSignSize * lineRatio)
		p.centred([]string{l}, rightX, rightW, faceBold, sigSignSize)
	}
	if p.page != startPage {
		// Never expected in practice: stack the recipients after it.
		top = p.y + paraGapPt
	}
	end, endPage := p.y, p.page
	p.y = top
	for _, l := range b.left {
		p.ensure(l.size * lineRatio)
		p.text(leftX, p.y, l.s, l.f, l.size)
		p.y += l.size * lineRatio
	}
	if p.page == endPage {
		p.y = math.Max(p.y, end)
	}
}
