// Package officedoc renders an official Vietnamese administrative document
// (the layout fixed by Decree 30/2020/NĐ-CP on clerical work) as DOCX and as
// PDF. The caller builds a neutral Document from its own data with text
// already translated; this package only lays it out.
package officedoc

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"khienso/internal/dates"
)

// Document is one official document: header, kind and title, body blocks,
// recipients and signature.
type Document struct {
	// ParentBody is the governing body ("UBND tỉnh Nghệ An"), optional;
	// IssuingBody the body that issues the document. Both are upper-cased.
	ParentBody, IssuingBody string
	// Number is the full number ("15/BC-SKHCN"). Empty leaves a gap for a
	// handwritten number followed by "/" and Symbol.
	Number string
	// Symbol is the kind and body abbreviation ("BC-SKHCN"), used only when
	// Number is empty.
	Symbol string
	// Place is the place name of the date line ("Nghệ An").
	Place string
	// Date is the issuing date; the zero date leaves day and month blank to
	// be written by hand, with Year as the year.
	Date dates.Date
	// Year is the year shown when Date is zero (0 leaves it blank too).
	Year int
	// Kind is the document kind ("BÁO CÁO"), upper-cased.
	Kind string
	// Title is the subject line; a newline starts a new title line.
	Title string
	// Blocks is the body in order.
	Blocks []Block
	// Receivers are the addressees printed under the title after
	// "Kính gửi:", one a line ("- " before each when there are several).
	// When there are any, the recipients start with "Như trên;".
	Receivers []string
	// Recipients are the "Nơi nhận" lines ("Bộ Công an", "Lưu: VT, SKHCN").
	// Each gets a "- " prefix and the decree's punctuation (";" after each,
	// "." after the last); the filing line "Lưu: ..." is moved last, and
	// "Lưu: VT." added when missing. No recipients and no receivers leave
	// the block out.
	Recipients []string
	// Authority is the signing authority, one line each ("KT. GIÁM ĐỐC",
	// "PHÓ GIÁM ĐỐC"), upper-cased.
	Authority []string
	// SignerName is the signer's full name.
	SignerName string
	// IssuingName is the issuing body as running text ("Sở Khoa học và
	// Công nghệ"), for the line under an appendix heading; empty uses
	// IssuingBody as written.
	IssuingName string
	// Appendices follow the signature, each starting on a new page with
	// its own page numbers, as the decree lays appendices out.
	Appendices []Appendix
}

// Appendix is one appendix: its title (upper-cased) and its body.
type Appendix struct {
	Title  string
	Blocks []Block
}

// BlockKind tells how a body block is rendered.
type BlockKind int

// The block kinds. The zero value is a plain paragraph.
const (
	// BlockParagraph is justified body text with a first-line indent; each
	// line of a multi-line text becomes its own paragraph.
	BlockParagraph BlockKind = iota
	// BlockHeading1 is a first-level heading ("I. KẾT QUẢ ..."), bold.
	BlockHeading1
	// BlockHeading2 is a second-level heading ("1. Tuyên truyền"), bold italic.
	BlockHeading2
	// BlockBullet is a list item written the Vietnamese way: "- text".
	BlockBullet
	// BlockTable is a bordered table (Block.Table).
	BlockTable
)

// Block is one element of the body. Text is used by every kind but
// BlockTable, which uses Table.
type Block struct {
	Kind  BlockKind
	Text  string
	Table *Table
}

// Table is a bordered data table. Rows shorter than the widest row are padded
// with empty cells.
type Table struct {
	// Header is the header row: bold, centred, repeated on every page.
	Header []string
	Rows   [][]string
	// Widths are relative column widths; missing or non-positive entries
	// count as 1.
	Widths []float64
	// NumericCols are 0-based columns whose data cells are right-aligned.
	NumericCols []int
	// TotalRow is an optional bold last row.
	TotalRow []string
}

// ErrNilDocument is returned for a nil *Document.
var ErrNilDocument = errors.New("officedoc: nil document")

// Fixed wording of the decree's layout; official documents are always in
// Vietnamese, so these do not go through the translation catalogue.
const (
	mottoTitle    = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	mottoSubtitle = "Độc lập - Tự do - Hạnh phúc"
	recipientsLbl = "Nơi nhận:"
	receiversLbl  = "Kính gửi:"
	asAddressed   = "Như trên"
	defaultFiling = "Lưu: VT"
	appendixLbl   = "Phụ lục"
	numberLabel   = "Số: "
	// blankNumber leaves room for a number written by hand.
	blankNumber = "Số:       /"
	// handGap is the room left for a number written by hand.
	handGap = "      "
)

// headerView holds the prepared (cleaned, cased) texts shared by both writers.
type headerView struct {
	parent, issuing []string // lines, upper-cased
	number          string
	dateLine        string
	kind            string
	title           []string
	receivers       []string // with the decree's punctuation; "- " when several
	recipients      []string // with "- " prefix
	authority       []string
	signer          string
	appendices      []appendixView
}

// appendixView is an appendix's prepared heading: "Phụ lục" (numbered when
// there are several), the title lines and the "(Kèm theo ...)" line.
type appendixView struct {
	label  string
	title  []string
	ref    string
	blocks []Block
}

func prepareHeader(d *Document) headerView {
	v := headerView{
		parent:   lines(upper(d.ParentBody)),
		issuing:  lines(upper(d.IssuingBody)),
		number:   numberLine(d),
		dateLine: DateLine(clean(d.Place), d.Date, d.Year),
		kind:     strings.TrimSpace(singleLine(upper(d.Kind))),
		title:    lines(clean(d.Title)),
		signer:   strings.TrimSpace(singleLine(clean(d.SignerName))),
	}
	v.receivers = receiverLines(d.Receivers)
	v.recipients = recipientLines(d.Recipients, len(v.receivers) > 0)
	for _, a := range d.Authority {
		v.authority = append(v.authority, lines(upper(a))...)
	}
	ref := appendixRef(d)
	for i, a := range d.Appendices {
		label := appendixLbl
		if len(d.Appendices) > 1 {
			label += " " + Roman(i+1)
		}
		v.appendices = append(v.appendices, appendixView{label: label, title: lines(upper(a.Title)), ref: ref, blocks: a.Blocks})
	}
	return v
}

// listItem is one cleaned line of a list the decree punctuates itself:
// its own list mark and closing punctuation are removed.
func listItem(s string) string {
	s = strings.TrimSpace(singleLine(clean(s)))
	s = strings.TrimSpace(strings.TrimLeft(s, "-–"))
	return strings.TrimSpace(strings.TrimRight(s, ";.,"))
}

// punctuate ends every item with ";" and the last with ".", the decree's
// rule for the lines of "Kính gửi" and "Nơi nhận"; an item ending with ":"
// (a group heading) is left as it is.
func punctuate(items []string, prefix string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		end := ";"
		switch {
		case strings.HasSuffix(it, ":"):
			end = ""
		case i == len(items)-1:
			end = "."
		}
		out[i] = prefix + it + end
	}
	return out
}

// receiverLines prepares the "Kính gửi" addressees: one stays on the
// label's line, several are listed with "- ".
func receiverLines(in []string) []string {
	var items []string
	for _, r := range in {
		if r = listItem(r); r != "" {
			items = append(items, r)
		}
	}
	switch len(items) {
	case 0:
		return nil
	case 1:
		return punctuate(items, "")
	}
	return punctuate(items, "- ")
}

// recipientLines prepares "Nơi nhận": "Như trên" first when the document
// has receivers (or the caller listed it), the others in order, the filing
// line last.
func recipientLines(in []string, receivers bool) []string {
	var items []string
	filing := ""
	for _, r := range in {
		r = listItem(r)
		low := strings.ToLower(r)
		switch {
		case r == "":
		case strings.HasPrefix(low, "lưu"):
			if filing == "" {
				filing = r
			}
		case low == strings.ToLower(asAddressed):
			receivers = true
		default:
			items = append(items, r)
		}
	}
	if receivers {
		items = append([]string{asAddressed}, items...)
	}
	if len(items) == 0 && filing == "" {
		return nil
	}
	if filing == "" {
		filing = defaultFiling
	}
	return punctuate(append(items, filing), "- ")
}

// appendixRef is the line under an appendix heading, tying it to the
// document: "(Kèm theo Báo cáo số      /BC-SKHCN ngày 05 tháng 12 năm 2026
// của Sở Khoa học và Công nghệ)". A blank number or date leaves the same
// gaps as the heading.
func appendixRef(d *Document) string {
	var b strings.Builder
	b.WriteString("(Kèm theo")
	if kind := []rune(strings.ToLower(strings.TrimSpace(singleLine(clean(d.Kind))))); len(kind) > 0 {
		b.WriteString(" " + strings.ToUpper(string(kind[:1])) + string(kind[1:]))
	} else {
		b.WriteString(" văn bản")
	}
	b.WriteString(" số ")
	if n := strings.TrimSpace(singleLine(clean(d.Number))); n != "" {
		b.WriteString(n)
	} else {
		b.WriteString(handGap + "/" + strings.TrimSpace(singleLine(clean(d.Symbol))))
	}
	b.WriteString(" " + DateLine("", d.Date, d.Year))
	name := strings.TrimSpace(singleLine(clean(d.IssuingName)))
	if name == "" {
		name = strings.TrimSpace(singleLine(clean(d.IssuingBody)))
	}
	if name != "" {
		b.WriteString(" của " + name)
	}
	b.WriteString(")")
	return b.String()
}

// Roman writes 1–39 in Roman numerals (appendix and section numbers);
// larger numbers stay Arabic.
func Roman(n int) string {
	if n < 1 || n > 39 {
		return strconv.Itoa(n)
	}
	tens := []string{"", "X", "XX", "XXX"}
	ones := []string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"}
	return tens[n/10] + ones[n%10]
}

func numberLine(d *Document) string {
	n := strings.TrimSpace(singleLine(clean(d.Number)))
	if n != "" {
		return numberLabel + n
	}
	return blankNumber + strings.TrimSpace(singleLine(clean(d.Symbol)))
}

// DateLine renders the place and date line of the decree:
// "Nghệ An, ngày 05 tháng 12 năm 2026". Days 1–9 and months 1–2 take a
// leading zero (the decree's rule, so that nothing can be added in front by
// hand); other months do not. A zero date leaves day and month blank for
// handwriting, with year as the year (0 leaves the year blank too). An
// empty place drops the "Place, " prefix.
func DateLine(place string, d dates.Date, year int) string {
	var b strings.Builder
	place = strings.TrimSpace(singleLine(place))
	if place != "" {
		b.WriteString(place)
		b.WriteString(", ")
	}
	if d.IsZero() {
		b.WriteString("ngày    tháng    năm ")
		if year > 0 {
			fmt.Fprintf(&b, "%d", year)
		} else {
			b.WriteString("    ")
		}
		return b.String()
	}
	t := d.Start()
	day, month := t.Day(), int(t.Month())
	monthText := fmt.Sprintf("%d", month)
	if month <= 2 {
		monthText = fmt.Sprintf("%02d", month)
	}
	fmt.Fprintf(&b, "ngày %02d tháng %s năm %d", day, monthText, t.Year())
	return b.String()
}

// clean makes caller text safe for both outputs: Unicode NFC (so a
// decomposed "ệ" becomes one glyph), line breaks unified to "\n", tabs to
// spaces, and every character XML 1.0 forbids, other control characters and
// invalid UTF-8 removed.
func clean(s string) string {
	if isClean(s) {
		return norm.NFC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			// invalid byte
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue // the "\n" follows
			}
			b.WriteByte('\n')
		case r == '\n':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		case !allowedRune(r):
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// isClean is the fast path of clean for ordinary text.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 && c != '\n') || c == 0x7F {
			return false
		}
		if c >= 0x80 {
			// Multi-byte: check the slow way only from here on.
			for _, r := range s[i:] {
				if r == utf8.RuneError || r == '\r' || r == '\t' || r == '\u2028' || r == '\u2029' || (r != '\n' && !allowedRune(r)) {
					return false
				}
			}
			return true
		}
	}
	return true
}

// allowedRune reports whether r may appear in output text: valid in XML 1.0
// and not a control character.
func allowedRune(r rune) bool {
	switch {
	case r < 0x20:
		return false
	case r >= 0x7F && r <= 0x9F: // DEL and C1 controls
		return false
	case r >= 0xD800 && r <= 0xDFFF:
		return false
	case r == 0xFFFE || r == 0xFFFF:
		return false
	case r > unicode.MaxRune:
		return false
	}
	return true
}

func upper(s string) string { return strings.ToUpper(clean(s)) }

// lines splits cleaned text into trimmed, non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// singleLine joins the lines of cleaned text with spaces, for fields that
// must stay on one line.
func singleLine(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	return strings.Join(lines(s), " ")
}

// bulletText prefixes a list item with the Vietnamese dash unless the
// caller already wrote a list mark.
func bulletText(s string) string {
	for _, mark := range []string{"- ", "+ ", "• ", "– ", "* "} {
		if strings.HasPrefix(s, mark) {
			return s
		}
	}
	return "- " + s
}

// tableShape returns the column count and the column widths in twips of
// t: its relative widths spread over the text width. Both writers use the
// same whole twips, so they wrap cells alike.
func tableShape(t *Table) (int, []int) {
	n := len(t.Header)
	if len(t.TotalRow) > n {
		n = len(t.TotalRow)
	}
	for _, r := range t.Rows {
		if len(r) > n {
			n = len(r)
		}
	}
	if n == 0 {
		return 0, nil
	}
	rel := make([]float64, n)
	var sum float64
	for i := range rel {
		rel[i] = 1
		if i < len(t.Widths) && t.Widths[i] > 0 && t.Widths[i] < 1e9 {
			rel[i] = t.Widths[i]
		}
		sum += rel[i]
	}
	widths := make([]int, n)
	total := 0
	for i, r := range rel {
		widths[i] = max(1, int(math.Round(r/sum*textWidthTwips)))
		total += widths[i]
	}
	widths[n-1] = max(1, widths[n-1]+textWidthTwips-total)
	return n, widths
}

// keepRowLines is the most lines (estimated) a table row may take and
// still be kept on one page; a taller row may split across pages, since a
// row that cannot split and does not fit a page leaves an empty page.
const keepRowLines = 8

// tableHalfPts is the size of table text, in half-points (12 pt).
const tableHalfPts = 24

// rowKeepsTogether reports whether a data row is short enough to be kept
// on one page. Both writers decide it by this same estimate.
func rowKeepsTogether(row []string, widths []int) bool {
	for i, w := range widths {
		inner := w - 2*cellMarTwips
		if inner <= 0 {
			continue
		}
		n := 0
		for _, l := range lines(clean(cell(row, i))) {
			n += max(1, (estTwips(l, tableHalfPts, false)+inner-1)/inner)
		}
		if n > keepRowLines {
			return false
		}
	}
	return true
}

// numericSet marks the right-aligned columns of t among n columns.
func numericSet(t *Table, n int) []bool {
	s := make([]bool, n)
	for _, c := range t.NumericCols {
		if c >= 0 && c < n {
			s[c] = true
		}
	}
	return s
}

// cell returns row[i] or "" past its end.
func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// The short line under the issuing body and under the title is, per the
// decree, a third to a half of the text above it: 0.4 of the widest line,
// at least these many points, at most the space given.
const (
	issuingRuleMinPt = 40
	titleRuleMinPt   = 50
)

// ruleLen is the length in points of such a line under text widest points
// wide; both writers use it so the two documents agree.
func ruleLen(widest, minPt, maxPt float64) float64 {
	return math.Min(math.Max(widest*0.4, minPt), maxPt)
}
