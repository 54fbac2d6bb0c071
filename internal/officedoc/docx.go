package officedoc

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Page geometry in twips (1/20 pt): A4 portrait and the decree's margins
// (top 20, bottom 20, left 30, right 15 mm).
const (
	pageWTwips      = 11906
	pageHTwips      = 16838
	marginTopTwips  = 1134
	marginBotTwips  = 1134
	marginLTwips    = 1701
	marginRTwips    = 850
	headerDistTwips = 567 // page number sits 10 mm from the top edge
	textWidthTwips  = pageWTwips - marginLTwips - marginRTwips

	// Column widths of the two borderless layout tables.
	// 7.5 cm for the parent and issuing bodies: "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
	// (13 pt bold) stays on one line, and the motto (12 pt bold, 250 pt)
	// still fits the 9 cm beside it.
	headLeftTwips = 4253
	signLeftTwips = 4253 // 7.5 cm: recipients

	cellMarTwips = 108 // Word's default cell padding, made explicit

	// parentHalfPts sets the governing body at 12 pt, the decree's 12–13:
	// "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN" then fits the 7.5 cm column.
	parentHalfPts = 24
)

// Namespaces and content types of the package parts.
const (
	nsW   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRel = "http://schemas.openxmlformats.org/package/2006/relationships"
	relOD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

	xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

// WriteDOCX writes d as a WordprocessingML (.docx) package to w. The package
// is streamed: nothing but small buffers is held in memory, so very long
// reports are cheap.
func WriteDOCX(w io.Writer, d *Document) error {
	if d == nil {
		return ErrNilDocument
	}
	zw := zip.NewWriter(w)
	// Speed matters more than a few percent of size for generated reports.
	// A flate writer costs about a megabyte to set up, far more than the
	// small parts it compresses, so one is reused for all parts.
	fw := flatePool.Get().(*flate.Writer)
	defer flatePool.Put(fw)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		fw.Reset(out)
		return fw, nil
	})
	// Fixed entry times keep the output reproducible; the document date
	// when it fits the zip (MS-DOS) date range.
	mod := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if y := d.Date.Year(); !d.Date.IsZero() && y >= 1980 && y < 2100 {
		mod = d.Date.Start().UTC()
	}
	hv := prepareHeader(d)
	parts := []struct {
		name  string
		write func(x *xw)
	}{
		{"[Content_Types].xml", func(x *xw) { x.s(contentTypesXML) }},
		{"_rels/.rels", func(x *xw) { x.s(rootRelsXML) }},
		{"docProps/core.xml", func(x *xw) { writeCore(x, d, hv) }},
		{"docProps/app.xml", func(x *xw) { x.s(appXML) }},
		{"word/_rels/document.xml.rels", func(x *xw) { x.s(docRelsXML) }},
		{"word/styles.xml", func(x *xw) { x.s(stylesXML) }},
		{"word/settings.xml", func(x *xw) { x.s(settingsXML) }},
		{"word/header1.xml", func(x *xw) { x.s(pageNumberHeaderXML) }},
		{"word/header2.xml", func(x *xw) { x.s(emptyHeaderXML) }},
		{"word/document.xml", func(x *xw) { writeDocument(x, d, hv) }},
	}
	x := &xw{bufio.NewWriterSize(io.Discard, 64<<10)}
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return fmt.Errorf("docx: create %s: %w", p.name, err)
		}
		x.Reset(f)
		p.write(x)
		if err := x.Flush(); err != nil {
			return fmt.Errorf("docx: write %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: finish package: %w", err)
	}
	return nil
}

var flatePool = sync.Pool{New: func() any {
	fw, _ := flate.NewWriter(io.Discard, flate.BestSpeed) // fails only for a bad level
	return fw
}}

// xw writes XML. Write errors are sticky in bufio.Writer and reported by
// Flush, so the many small writes need no individual checks.
type xw struct{ *bufio.Writer }

func (x *xw) s(str string) { _, _ = x.WriteString(str) }

func (x *xw) i(n int) { _, _ = x.WriteString(strconv.Itoa(n)) }

// esc writes cleaned text with the five XML special characters escaped.
func (x *xw) esc(str string) {
	last := 0
	for i := 0; i < len(str); i++ {
		var rep string
		switch str[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&quot;"
		case '\'':
			rep = "&apos;"
		default:
			continue
		}
		x.s(str[last:i])
		x.s(rep)
		last = i + 1
	}
	x.s(str[last:])
}

// runStyle is the direct formatting of a run.
type runStyle struct {
	bold, italic bool
	halfPts      int // 0: inherit from the paragraph style
}

// rPr writes the run properties in schema order (b, bCs, i, iCs, sz, szCs).
func (x *xw) rPr(rs runStyle) {
	if !rs.bold && !rs.italic && rs.halfPts == 0 {
		return
	}
	x.s("<w:rPr>")
	if rs.bold {
		x.s("<w:b/><w:bCs/>")
	}
	if rs.italic {
		x.s("<w:i/><w:iCs/>")
	}
	if rs.halfPts > 0 {
		x.s(`<w:sz w:val="`)
		x.i(rs.halfPts)
		x.s(`"/><w:szCs w:val="`)
		x.i(rs.halfPts)
		x.s(`"/>`)
	}
	x.s("</w:rPr>")
}

// run writes one text run of already-cleaned single-line text.
func (x *xw) run(text string, rs runStyle) {
	x.s("<w:r>")
	x.rPr(rs)
	if text == "" {
		x.s("</w:r>")
		return
	}
	if needsPreserve(text) {
		x.s(`<w:t xml:space="preserve">`)
	} else {
		x.s("<w:t>")
	}
	x.esc(text)
	x.s("</w:t></w:r>")
}

// needsPreserve reports whether Word would otherwise collapse spaces.
func needsPreserve(s string) bool {
	return s != "" && (s[0] == ' ' || s[len(s)-1] == ' ' || strings.Contains(s, "  "))
}

// para writes a paragraph; pPr is the inner XML of w:pPr, already in schema
// order.
func (x *xw) para(pPr, text string, rs runStyle) {
	x.s("<w:p>")
	if pPr != "" {
		x.s("<w:pPr>")
		x.s(pPr)
		x.s("</w:pPr>")
	}
	if text != "" {
		x.run(text, rs)
	}
	x.s("</w:p>")
}

// Paragraph property fragments (each in w:pPr schema order: pStyle, keepNext,
// pBdr, spacing, ind, jc, rPr).
const (
	pprCenter      = `<w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/>`
	pprCenterKeep  = `<w:keepNext/><w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/>`
	pprKind        = `<w:keepNext/><w:spacing w:before="360" w:after="0"/><w:jc w:val="center"/>`
	pprSecondRow   = `<w:spacing w:before="120" w:after="0"/><w:jc w:val="center"/>`
	pprLeft        = `<w:spacing w:before="0" w:after="0"/><w:jc w:val="left"/>`
	pprSignName    = `<w:spacing w:before="1680" w:after="0"/><w:jc w:val="center"/>`
	pprSpacer      = `<w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/><w:rPr><w:sz w:val="4"/><w:szCs w:val="4"/></w:rPr>`
	pprBeforeSign  = `<w:keepNext/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="exact"/>`
	pprTableText   = `<w:pStyle w:val="KSTable"/>`
	pprTableRight  = `<w:pStyle w:val="KSTable"/><w:jc w:val="right"/>`
	pprTableHeader = `<w:pStyle w:val="KSTableHeader"/>`
	// pprSpacerKeep is the spacer before a table: it keeps a heading above
	// it with the table's first rows.
	pprSpacerKeep = `<w:keepNext/><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/><w:rPr><w:sz w:val="4"/><w:szCs w:val="4"/></w:rPr>`
)

// The "Kính gửi" block: several addressees start receiverTabTwips from
// the left margin, the label ends receiverGapTwips before them; 12 pt
// above the block.
const (
	receiverTabTwips    = 3600
	receiverGapTwips    = 120
	receiverBeforeTwips = 240
)

var (
	pprReceiverOne   = fmt.Sprintf(`<w:spacing w:before="%d" w:after="0"/><w:jc w:val="center"/>`, receiverBeforeTwips)
	pprReceiverFirst = fmt.Sprintf(`<w:tabs><w:tab w:val="right" w:pos="%d"/><w:tab w:val="left" w:pos="%d"/></w:tabs>`+
		`<w:spacing w:before="%d" w:after="0"/><w:ind w:left="%d" w:hanging="%d"/><w:jc w:val="left"/>`,
		receiverTabTwips-receiverGapTwips, receiverTabTwips, receiverBeforeTwips, receiverTabTwips, receiverTabTwips)
	pprReceiverNext = fmt.Sprintf(`<w:spacing w:before="0" w:after="0"/><w:ind w:left="%d"/><w:jc w:val="left"/>`, receiverTabTwips)
)

// rule writes an empty paragraph whose top border is a centred horizontal
// line of about lineLen twips inside a space of avail twips: the short
// lines the decree draws under the issuing body, the motto and the title.
// A paragraph border spans between the indents, so no drawing object is
// needed.
func (x *xw) rule(avail, lineLen int, keepNext bool) {
	if lineLen > avail {
		lineLen = avail
	}
	ind := (avail - lineLen) / 2
	x.s("<w:p><w:pPr>")
	if keepNext {
		x.s("<w:keepNext/>")
	}
	x.s(`<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>`)
	x.s(`<w:spacing w:before="40" w:after="0" w:line="160" w:lineRule="exact"/><w:ind w:left="`)
	x.i(ind)
	x.s(`" w:right="`)
	x.i(ind)
	x.s(`"/><w:jc w:val="center"/><w:rPr><w:sz w:val="4"/><w:szCs w:val="4"/></w:rPr></w:pPr></w:p>`)
}

// writeDocument writes word/document.xml.
func writeDocument(x *xw, d *Document, hv headerView) {
	x.s(xmlDecl)
	x.s(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>`)
	writeHeaderTable(x, hv)

	if hv.kind != "" {
		x.para(pprKind, hv.kind, runStyle{bold: true})
	}
	for i, t := range hv.title {
		ppr := pprCenterKeep
		if i == 0 && hv.kind == "" {
			ppr = pprKind
		}
		x.para(ppr, t, runStyle{bold: true})
	}
	if len(hv.title) > 0 {
		// The decree's line under the subject: a third to a half of it.
		w := 0
		for _, t := range hv.title {
			w = max(w, estTwips(t, 28, true))
		}
		x.rule(textWidthTwips, int(ruleLen(float64(w)/20, titleRuleMinPt, float64(textWidthTwips)/40)*20), true)
	}
	writeReceivers(x, hv.receivers)

	writeBlocks(x, d.Blocks, true)

	x.para(pprBeforeSign, "", runStyle{})
	writeSignTable(x, hv)
	// Each appendix is a section of its own: it starts a page and numbers
	// its pages from 1 (the decree numbers an appendix's pages apart). A
	// section ends with the paragraph that carries its properties; Word
	// also wants a paragraph after a final table.
	for _, a := range hv.appendices {
		x.s(`<w:p><w:pPr>` + pprSpacer)
		x.sectPr()
		x.s(`</w:pPr></w:p>`)
		writeAppendixHeading(x, a)
		writeBlocks(x, a.blocks, false)
	}
	x.para(pprSpacer, "", runStyle{})
	x.sectPr()
	x.s(`</w:body></w:document>`)
}

// sectPr writes the properties of a section: A4, the decree's margins,
// the page number from the section's second page. A section after the
// first (an appendix) starts a page and numbers its pages from 1.
func (x *xw) sectPr() {
	x.s(`<w:sectPr>`)
	x.s(`<w:headerReference w:type="default" r:id="rIdHdrPage"/>`)
	x.s(`<w:headerReference w:type="first" r:id="rIdHdrFirst"/>`)
	x.s(`<w:type w:val="nextPage"/>`)
	x.s(`<w:pgSz w:w="` + strconv.Itoa(pageWTwips) + `" w:h="` + strconv.Itoa(pageHTwips) + `"/>`)
	x.s(fmt.Sprintf(`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="%d" w:footer="%d" w:gutter="0"/>`,
		marginTopTwips, marginRTwips, marginBotTwips, marginLTwips, headerDistTwips, headerDistTwips))
	// titlePg: the decree numbers pages from the second one.
	x.s(`<w:pgNumType w:start="1"/><w:cols w:space="720"/><w:titlePg/><w:docGrid w:linePitch="360"/>`)
	x.s(`</w:sectPr>`)
}

// writeReceivers writes "Kính gửi:" under the title: one addressee on the
// label's line, centred; several listed under each other from a tab stop,
// the label right-aligned before it.
func writeReceivers(x *xw, rs []string) {
	switch len(rs) {
	case 0:
		return
	case 1:
		x.para(pprReceiverOne, receiversLbl+" "+rs[0], runStyle{})
		return
	}
	for i, r := range rs {
		if i > 0 {
			x.para(pprReceiverNext, r, runStyle{})
			continue
		}
		x.s(`<w:p><w:pPr>` + pprReceiverFirst + `</w:pPr><w:r><w:tab/></w:r>`)
		x.run(receiversLbl, runStyle{})
		x.s(`<w:r><w:tab/></w:r>`)
		x.run(r, runStyle{})
		x.s(`</w:p>`)
	}
}

// writeAppendixHeading writes "Phụ lục", the title and the "(Kèm theo
// ...)" line, all kept with what follows.
func writeAppendixHeading(x *xw, a appendixView) {
	x.para(pprCenterKeep, a.label, runStyle{bold: true})
	for _, t := range a.title {
		x.para(pprCenterKeep, t, runStyle{bold: true})
	}
	x.para(pprCenterKeep, a.ref, runStyle{italic: true})
	w := estTwips(a.ref, 28, false)
	for _, t := range a.title {
		w = max(w, estTwips(t, 28, true))
	}
	x.rule(textWidthTwips, int(ruleLen(float64(w)/20, titleRuleMinPt, float64(textWidthTwips)/40)*20), true)
}

// writeBlocks writes body blocks. keepLast keeps the last paragraph's
// last lines with what follows: a signature must not stand alone on a
// page.
func writeBlocks(x *xw, bs []Block, keepLast bool) {
	for i, b := range bs {
		writeBlock(x, b, keepLast && i == len(bs)-1)
	}
}

func writeBlock(x *xw, b Block, keep bool) {
	body := func(ls []string) {
		for i, l := range ls {
			ppr := `<w:pStyle w:val="KSBody"/>`
			if keep && i == len(ls)-1 {
				ppr += `<w:keepNext/>`
			}
			x.para(ppr, l, runStyle{})
		}
	}
	switch b.Kind {
	case BlockTable:
		if b.Table != nil {
			writeDataTable(x, b.Table)
		}
	case BlockHeading1, BlockHeading2:
		style := `<w:pStyle w:val="Heading1"/>`
		if b.Kind == BlockHeading2 {
			style = `<w:pStyle w:val="Heading2"/>`
		}
		for _, l := range lines(clean(b.Text)) {
			x.para(style, l, runStyle{})
		}
	case BlockBullet:
		ls := lines(clean(b.Text))
		for i, l := range ls {
			ls[i] = bulletText(l)
		}
		body(ls)
	default:
		ls := lines(clean(b.Text))
		if len(ls) == 0 {
			ls = []string{""}
		}
		body(ls)
	}
}

// Borders of the layout tables (none) and data tables (single 0.5 pt).
const (
	bordersNone = `<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>`
	bordersAll  = `<w:tblBorders>` +
		`<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`<w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`<w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`<w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`</w:tblBorders>`
)

// tblStart opens a fixed-layout table of the given column widths, in
// w:tblPr order (tblW, tblBorders, tblLayout, tblCellMar).
func (x *xw) tblStart(widths []int, borders string, cellMar int) {
	total := 0
	for _, w := range widths {
		total += w
	}
	x.s(`<w:tbl><w:tblPr><w:tblW w:w="`)
	x.i(total)
	x.s(`" w:type="dxa"/>`)
	x.s(borders)
	x.s(`<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="`)
	x.i(cellMar)
	x.s(`" w:type="dxa"/><w:right w:w="`)
	x.i(cellMar)
	x.s(`" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		x.s(`<w:gridCol w:w="`)
		x.i(w)
		x.s(`"/>`)
	}
	x.s(`</w:tblGrid>`)
}

// tcStart opens a cell of width w twips.
func (x *xw) tcStart(w int, vCenter bool) {
	x.s(`<w:tc><w:tcPr><w:tcW w:w="`)
	x.i(w)
	x.s(`" w:type="dxa"/>`)
	if vCenter {
		x.s(`<w:vAlign w:val="center"/>`)
	}
	x.s(`</w:tcPr>`)
}

// writeHeaderTable writes the decree's two-column heading: bodies and number
// on the left, national motto and place-date on the right.
func writeHeaderTable(x *xw, hv headerView) {
	left, right := headLeftTwips, textWidthTwips-headLeftTwips
	x.tblStart([]int{left, right}, bordersNone, 0)

	x.s(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
	x.tcStart(left, false)
	for _, l := range hv.parent {
		x.para(pprCenterKeep, l, runStyle{halfPts: parentHalfPts})
	}
	issuingW := 0
	for _, l := range hv.issuing {
		x.para(pprCenterKeep, l, runStyle{bold: true, halfPts: 26})
		issuingW = max(issuingW, estTwips(l, 26, true))
	}
	if len(hv.issuing) > 0 {
		x.rule(left, int(ruleLen(float64(issuingW)/20, issuingRuleMinPt, float64(left)/20)*20), true)
	} else if len(hv.parent) == 0 {
		x.para(pprCenter, "", runStyle{})
	}
	x.s(`</w:tc>`)
	x.tcStart(right, false)
	x.para(pprCenterKeep, mottoTitle, runStyle{bold: true, halfPts: 24})
	x.para(pprCenterKeep, mottoSubtitle, runStyle{bold: true, halfPts: 26})
	// The line under the motto is as long as the motto itself.
	x.rule(right, estTwips(mottoSubtitle, 26, true), true)
	x.s(`</w:tc></w:tr>`)

	x.s(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
	x.tcStart(left, false)
	x.para(pprSecondRow, hv.number, runStyle{halfPts: 26})
	x.s(`</w:tc>`)
	x.tcStart(right, false)
	x.para(pprSecondRow, hv.dateLine, runStyle{italic: true, halfPts: 28})
	x.s(`</w:tc></w:tr></w:tbl>`)
}

// writeSignTable writes recipients (left) and the signature block (right).
func writeSignTable(x *xw, hv headerView) {
	left, right := signLeftTwips, textWidthTwips-signLeftTwips
	x.tblStart([]int{left, right}, bordersNone, 0)
	// Keep the block on one page, unless the recipients alone would not fit
	// on one (a row taller than a page that may not split leaves LibreOffice
	// with an empty page).
	if len(hv.recipients)+len(hv.authority) < 30 {
		x.s(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
	} else {
		x.s(`<w:tr>`)
	}
	x.tcStart(left, false)
	if len(hv.recipients) > 0 {
		x.para(pprLeft, recipientsLbl, runStyle{bold: true, italic: true, halfPts: 24})
		for _, r := range hv.recipients {
			x.para(pprLeft, r, runStyle{halfPts: 22})
		}
	} else {
		x.para(pprLeft, "", runStyle{})
	}
	x.s(`</w:tc>`)
	x.tcStart(right, false)
	for _, a := range hv.authority {
		x.para(pprCenter, a, runStyle{bold: true, halfPts: 28})
	}
	x.para(pprSignName, hv.signer, runStyle{bold: true, halfPts: 28})
	x.s(`</w:tc></w:tr></w:tbl>`)
}

// writeDataTable writes a bordered table; every row has exactly as many
// cells as the grid has columns.
func writeDataTable(x *xw, t *Table) {
	n, widths := tableShape(t)
	if n == 0 {
		return
	}
	numeric := numericSet(t, n)

	x.para(pprSpacerKeep, "", runStyle{}) // 6 pt before, like a paragraph
	x.tblStart(widths, bordersAll, cellMarTwips)
	if len(t.Header) > 0 {
		// tblHeader repeats the row at the top of each page.
		x.s(`<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
		for i := 0; i < n; i++ {
			x.tcStart(widths[i], true)
			x.cellParas(pprTableHeader, cell(t.Header, i), runStyle{})
			x.s(`</w:tc>`)
		}
		x.s(`</w:tr>`)
	}
	for _, row := range t.Rows {
		x.dataRow(row, widths, numeric, runStyle{})
	}
	if len(t.TotalRow) > 0 {
		x.dataRow(t.TotalRow, widths, numeric, runStyle{bold: true})
	}
	x.s(`</w:tbl>`)
	// Keeps two consecutive tables from merging into one.
	x.para(pprSpacer, "", runStyle{})
}

func (x *xw) dataRow(row []string, widths []int, numeric []bool, rs runStyle) {
	if rowKeepsTogether(row, widths) {
		x.s(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
	} else {
		x.s(`<w:tr>`)
	}
	for i, w := range widths {
		x.tcStart(w, false)
		ppr := pprTableText
		if numeric[i] {
			ppr = pprTableRight
		}
		x.cellParas(ppr, cell(row, i), rs)
		x.s(`</w:tc>`)
	}
	x.s(`</w:tr>`)
}

// cellParas writes the text of one cell, a paragraph per line; a cell must
// hold at least one paragraph.
func (x *xw) cellParas(ppr, text string, rs runStyle) {
	ls := lines(clean(text))
	if len(ls) == 0 {
		x.para(ppr, "", rs)
		return
	}
	for _, l := range ls {
		x.para(ppr, l, rs)
	}
}

func writeCore(x *xw, d *Document, hv headerView) {
	x.s(xmlDecl)
	x.s(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	title := strings.TrimSpace(hv.kind + " " + strings.Join(hv.title, " "))
	if title != "" {
		x.s("<dc:title>")
		x.esc(title)
		x.s("</dc:title>")
	}
	if len(hv.issuing) > 0 {
		x.s("<dc:creator>")
		x.esc(strings.Join(hv.issuing, " "))
		x.s("</dc:creator>")
	}
	x.s("<dc:language>vi-VN</dc:language>")
	if !d.Date.IsZero() {
		x.s(`<dcterms:created xsi:type="dcterms:W3CDTF">`)
		x.s(d.Date.ISO())
		x.s(`T00:00:00Z</dcterms:created>`)
	}
	x.s(`</cp:coreProperties>`)
}

// estTwips roughly estimates the printed width of s in Times New Roman at
// halfPts/2 points, for sizing the decorative lines; Word itself does the
// real layout.
func estTwips(s string, halfPts int, bold bool) int {
	var em float64 // thousandths of an em
	for _, r := range s {
		switch {
		case r == ' ':
			em += 250
		case unicode.IsUpper(r):
			em += 700
			if bold {
				em += 40
			}
		case unicode.IsLower(r):
			em += 460
			if bold {
				em += 50
			}
		case unicode.IsDigit(r):
			em += 500
		default:
			em += 333
		}
	}
	// twips = em/1000 * points * 20, with points = halfPts/2.
	return int(em * float64(halfPts) / 100)
}

const contentTypesXML = xmlDecl +
	`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
	`<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const rootRelsXML = xmlDecl +
	`<Relationships xmlns="` + nsRel + `">` +
	`<Relationship Id="rId1" Type="` + relOD + `officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="` + relOD + `extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const docRelsXML = xmlDecl +
	`<Relationships xmlns="` + nsRel + `">` +
	`<Relationship Id="rIdStyles" Type="` + relOD + `styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdSettings" Type="` + relOD + `settings" Target="settings.xml"/>` +
	`<Relationship Id="rIdHdrPage" Type="` + relOD + `header" Target="header1.xml"/>` +
	`<Relationship Id="rIdHdrFirst" Type="` + relOD + `header" Target="header2.xml"/>` +
	`</Relationships>`

const appXML = xmlDecl +
	`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"` +
	` xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
	`<Application>Khiên Số</Application></Properties>`

const settingsXML = xmlDecl +
	`<w:settings xmlns:w="` + nsW + `">` +
	`<w:zoom w:percent="100"/>` +
	`<w:defaultTabStop w:val="720"/>` +
	`<w:characterSpacingControl w:val="doNotCompress"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`</w:settings>`

// The page number: top centre, from page 2 (the first page uses the empty
// header2 because of titlePg).
const pageNumberHeaderXML = xmlDecl +
	`<w:hdr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` +
	`<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/></w:pPr>` +
	`<w:r><w:rPr><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>` +
	`<w:r><w:rPr><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
	`<w:r><w:rPr><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>` +
	`<w:r><w:rPr><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr><w:t>2</w:t></w:r>` +
	`<w:r><w:rPr><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r>` +
	`</w:p></w:hdr>`

const emptyHeaderXML = xmlDecl +
	`<w:hdr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p></w:hdr>`

// stylesXML: Times New Roman 14 pt Vietnamese by default; body text
// justified with a 1.27 cm first-line indent and 6 pt before; headings keep
// with the next paragraph and carry outline levels for Word's navigation.
const stylesXML = xmlDecl +
	`<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` +
	`<w:rFonts w:ascii="Times New Roman" w:eastAsia="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>` +
	`<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN" w:eastAsia="en-US" w:bidi="ar-SA"/>` +
	`</w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>` +
	`</w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>` +
	`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="KSBody"><w:name w:val="KS Body Text"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:before="120" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLine="720"/><w:jc w:val="both"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="KSBody"/><w:uiPriority w:val="9"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="120" w:after="0"/><w:ind w:firstLine="720"/><w:jc w:val="both"/><w:outlineLvl w:val="0"/></w:pPr>` +
	`<w:rPr><w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="KSBody"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="120" w:after="0"/><w:ind w:firstLine="720"/><w:jc w:val="both"/><w:outlineLvl w:val="1"/></w:pPr>` +
	`<w:rPr><w:b/><w:bCs/><w:i/><w:iCs/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="KSTable"><w:name w:val="KS Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:before="20" w:after="20"/><w:jc w:val="left"/></w:pPr>` +
	`<w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="KSTableHeader"><w:name w:val="KS Table Header"/><w:basedOn w:val="KSTable"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:jc w:val="center"/></w:pPr>` +
	`<w:rPr><w:b/><w:bCs/></w:rPr></w:style>` +
	`</w:styles>`
