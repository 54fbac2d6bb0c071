package planimport

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// maxDocumentXML bounds the uncompressed main part of a DOCX, so that a
// crafted file cannot exhaust memory.
const maxDocumentXML = 64 << 20

// maxXMLDepth bounds element nesting; real documents stay far below it, and
// the tree walks recurse once per level.
const maxXMLDepth = 2000

// Caps on what a document may hold, far above a real plan (the 774/KH
// appendix has some 300 paragraphs and 200 cells) and low enough that a
// crafted file of millions of empty paragraphs or one enormous cell is
// refused after a bounded amount of work: the parse is linear, so the cost
// is bounded by these and by maxDocumentXML.
const (
	maxTokens     = 500_000 // XML tokens (elements, text, comments): a 40-page plan has about 100,000
	maxParagraphs = 50_000
	maxCells      = 100_000
	maxCellText   = 64 << 10     // bytes of text in one table cell
	maxBodyText   = MaxTextBytes // bytes of text in the whole document, as for pasted text
)

// ParseDOCX reads the task table of a Word (.docx) plan. The table is the
// first one whose header names the task-table columns (tables that follow it
// directly, as when a table is split over pages, continue it). Vertically
// merged cells take the value from the row above and mark the task
// Inherited. A document whose table is typed as paragraphs is read like
// pasted text.
func ParseDOCX(r io.ReaderAt, size int64) ([]Task, error) {
	body, err := readDOCXBody(r, size)
	if err != nil {
		return nil, err
	}
	if rows, ok := taskRows(body); ok {
		b := builder{where: atRow}
		if err := b.grid(rows); err != nil {
			return nil, err
		}
		if len(b.tasks) == 0 {
			return nil, errAt(atRow, "no_tasks", 1)
		}
		return b.tasks, nil
	}
	tasks, err := ParseText(bodyText(body))
	var perr *Error
	if errors.As(err, &perr) && (perr.Key == "planimport.err.empty" || perr.Key == "planimport.err.no_table") {
		return nil, &Error{Key: "planimport.err.docx_no_table"}
	}
	return tasks, err
}

func docxError(key string, err error) *Error { return &Error{Key: key, Err: err} }

// readDOCXBody opens the package and parses the body of its main document.
func readDOCXBody(r io.ReaderAt, size int64) (*xnode, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, docxError("planimport.err.docx_not_zip", fmt.Errorf("open docx: %w", err))
	}
	name := mainDocumentName(zr)
	var f *zip.File
	for _, zf := range zr.File {
		if strings.EqualFold(zf.Name, name) {
			f = zf
			break
		}
	}
	if f == nil {
		return nil, docxError("planimport.err.docx_no_document", fmt.Errorf("open docx: no %s", name))
	}
	if f.UncompressedSize64 > maxDocumentXML {
		return nil, docxError("planimport.err.docx_too_large", fmt.Errorf("open docx: %s is %d bytes", name, f.UncompressedSize64))
	}
	rc, err := f.Open()
	if err != nil {
		return nil, docxError("planimport.err.docx_not_zip", fmt.Errorf("open %s: %w", name, err))
	}
	defer rc.Close()
	root, err := parseWordXML(io.LimitReader(rc, maxDocumentXML+1))
	var limit *Error
	if errors.As(err, &limit) {
		return nil, limit
	}
	if err != nil {
		return nil, docxError("planimport.err.docx_xml", fmt.Errorf("read %s: %w", name, err))
	}
	body := root.find("body")
	if body == nil {
		return nil, docxError("planimport.err.docx_xml", fmt.Errorf("read %s: no body", name))
	}
	return body, nil
}

// mainDocumentName follows the package relationships to the main document,
// which is word/document.xml unless the producer chose another name.
func mainDocumentName(zr *zip.Reader) string {
	const fallback = "word/document.xml"
	for _, zf := range zr.File {
		if zf.Name != "_rels/.rels" || zf.UncompressedSize64 > 1<<20 {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return fallback
		}
		defer rc.Close()
		var rels struct {
			Rel []struct {
				Type   string `xml:"Type,attr"`
				Target string `xml:"Target,attr"`
			} `xml:"Relationship"`
		}
		if xml.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(&rels) != nil {
			return fallback
		}
		for _, r := range rels.Rel {
			if strings.HasSuffix(r.Type, "/officeDocument") && r.Target != "" {
				return strings.TrimPrefix(path.Clean("/"+r.Target), "/")
			}
		}
	}
	return fallback
}

// xnode is an element of the document kept for reading tables and text;
// other elements are dropped and their children hoisted to the nearest kept
// ancestor.
type xnode struct {
	name string
	val  string // w:val, for gridSpan, vMerge, hMerge
	text string // for t
	kids []*xnode
}

var keptElements = map[string]bool{
	"document": true, "body": true, "p": true, "t": true, "tab": true, "br": true, "cr": true,
	"noBreakHyphen": true, "tbl": true, "tr": true, "tc": true, "gridSpan": true, "vMerge": true, "hMerge": true,
}

// skippedElements hold text that is not part of the visible document:
// deleted revisions, the fallback copy of drawings, field instructions.
var skippedElements = map[string]bool{"del": true, "Fallback": true, "instrText": true, "moveFrom": true}

// parseWordXML keeps the elements that carry tables and text. It works in
// one pass, in time and memory linear in the input, and stops at the caps
// above with an *Error that says which one.
func parseWordXML(r io.Reader) (*xnode, error) {
	d := xml.NewDecoder(r)
	root := &xnode{name: "#root"}
	stack := []*xnode{root} // nil entries are dropped elements
	parent := func() *xnode {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i] != nil {
				return stack[i]
			}
		}
		return root
	}
	var text []byte // of the open <w:t>, appended to: a run split by thousands of comments stays linear
	var paragraphs, cells, cellBytes, bodyBytes int
	skip := 0
	for tokens := 1; ; tokens++ {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if tokens > maxTokens {
			return nil, limitError("planimport.err.docx_too_large", maxTokens)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			if skippedElements[tk.Name.Local] {
				skip = 1
				continue
			}
			if len(stack) > maxXMLDepth {
				return nil, errors.New("elements nested too deeply")
			}
			if !keptElements[tk.Name.Local] {
				stack = append(stack, nil)
				continue
			}
			switch tk.Name.Local {
			case "p":
				if paragraphs++; paragraphs > maxParagraphs {
					return nil, limitError("planimport.err.docx_paragraphs", maxParagraphs)
				}
			case "tc":
				if cells++; cells > maxCells {
					return nil, limitError("planimport.err.docx_cells", maxCells)
				}
				cellBytes = 0
			case "t":
				text = text[:0]
			}
			n := &xnode{name: tk.Name.Local}
			for _, a := range tk.Attr {
				if a.Name.Local == "val" {
					n.val = a.Value
				}
			}
			p := parent()
			p.kids = append(p.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if len(stack) > 1 {
				if n := stack[len(stack)-1]; n != nil && n.name == "t" {
					n.text = string(text)
				}
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if skip == 0 && stack[len(stack)-1] != nil && stack[len(stack)-1].name == "t" {
				cellBytes += len(tk)
				bodyBytes += len(tk)
				if cells > 0 && cellBytes > maxCellText {
					return nil, limitError("planimport.err.docx_cell_text", maxCellText>>10)
				}
				if bodyBytes > maxBodyText {
					return nil, limitError("planimport.err.docx_text", maxBodyText>>20)
				}
				text = append(text, tk...)
			}
		}
	}
	return root, nil
}

// limitError refuses a document that passes one of the caps.
func limitError(key string, limit int) *Error {
	return &Error{Key: key, Args: []any{limit}, Err: fmt.Errorf("docx over the limit %s (%d)", key, limit)}
}

func (n *xnode) find(name string) *xnode {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
		if f := k.find(name); f != nil {
			return f
		}
	}
	return nil
}

// paragraphText is the visible text of a paragraph; line breaks stay "\n".
func paragraphText(p *xnode) string {
	var b strings.Builder
	var walk func(n *xnode)
	walk = func(n *xnode) {
		switch n.name {
		case "t":
			b.WriteString(n.text)
		case "tab":
			b.WriteByte(' ')
		case "br", "cr":
			b.WriteByte('\n')
		case "noBreakHyphen":
			b.WriteByte('-')
		case "p":
			if n != p && b.Len() > 0 { // a text box paragraph inside this one
				b.WriteByte('\n')
			}
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(p)
	return norm.NFC.String(b.String())
}

// cellText joins the non-empty paragraphs of a cell (including those of
// tables nested in it) with "\n".
func cellText(tc *xnode) string {
	var parts []string
	var walk func(n *xnode)
	walk = func(n *xnode) {
		for _, k := range n.kids {
			if k.name == "p" {
				for _, line := range strings.Split(paragraphText(k), "\n") {
					if line = strings.TrimFunc(line, spaceLike); line != "" {
						parts = append(parts, line)
					}
				}
				continue
			}
			walk(k)
		}
	}
	walk(tc)
	return strings.Join(parts, "\n")
}

// dcell is a table cell placed on the table grid.
type dcell struct {
	text       string
	col, span  int
	vContinue  bool // vMerge continuation: the value is the cell above
	hContinued bool // legacy hMerge continuation: part of the cell before
}

func tableRows(tbl *xnode) [][]dcell {
	var rows [][]dcell
	for _, tr := range tbl.kids {
		if tr.name != "tr" {
			continue
		}
		var row []dcell
		col := 0
		for _, tc := range tr.kids {
			if tc.name != "tc" {
				continue
			}
			c := dcell{col: col, span: 1}
			for _, k := range tc.kids {
				switch k.name {
				case "gridSpan":
					if n, err := strconv.Atoi(k.val); err == nil && n > 1 && n < 64 {
						c.span = n
					}
				case "vMerge":
					c.vContinue = k.val == "" || k.val == "continue"
				case "hMerge":
					c.hContinued = k.val == "" || k.val == "continue"
				}
			}
			if c.hContinued && len(row) > 0 {
				row[len(row)-1].span++
				col++
				continue
			}
			c.text = cellText(tc)
			row = append(row, c)
			col += c.span
		}
		rows = append(rows, row)
	}
	return rows
}

func cellAt(row []dcell, col int) (dcell, bool) {
	for _, c := range row {
		if col >= c.col && col < c.col+c.span {
			return c, true
		}
	}
	return dcell{}, false
}

// headerColumns finds the header among the first rows of a table: the grid
// column of each role and how many rows the header takes (a two-level
// header puts "Chủ trì" and "Phối hợp" under "Đơn vị thực hiện").
func headerColumns(rows [][]dcell) (cols [roleCount]int, headerRows int, ok bool) {
	for r := 0; r < len(rows) && r < 3; r++ {
		var found [roleCount]int
		for i := range found {
			found[i] = -1
		}
		for _, c := range rows[r] {
			if ro := headerRole(c.text); ro != roleNone && found[ro] < 0 {
				found[ro] = c.col
			}
		}
		used := 1
		if r+1 < len(rows) && (found[roleLead] < 0 || found[roleCoord] < 0) {
			for _, c := range rows[r+1] {
				if ro := headerRole(c.text); ro != roleNone && found[ro] < 0 {
					found[ro] = c.col
					used = 2
				}
			}
		}
		all := true
		for ro := roleNo; ro < roleCount; ro++ {
			all = all && found[ro] >= 0
		}
		if all {
			return found, r + used, true
		}
	}
	return cols, 0, false
}

// taskRows finds the task table in the body and lays its rows out by role.
func taskRows(body *xnode) ([]gridRow, bool) {
	var tables []*xnode
	var collect func(n *xnode)
	collect = func(n *xnode) {
		for _, k := range n.kids {
			if k.name == "tbl" {
				tables = append(tables, k)
			}
			collect(k)
		}
	}
	collect(body)
	for _, tbl := range tables {
		rows := tableRows(tbl)
		cols, skip, ok := headerColumns(rows)
		if !ok {
			continue
		}
		var out []gridRow
		line := 0
		add := func(rows [][]dcell, from int) {
			var above []dcell // the row above with merged values resolved
			for i, row := range rows {
				line++
				resolved := make([]dcell, len(row))
				copy(resolved, row)
				for k, c := range row {
					if c.vContinue {
						up, _ := cellAt(above, c.col)
						resolved[k].text = up.text
					}
				}
				above = resolved
				if i < from {
					continue
				}
				g := gridRow{line: line}
				no, _ := cellAt(row, cols[roleNo])
				if content, ok := cellAt(row, cols[roleContent]); ok && content.col == no.col && len(row) > 0 {
					g.wide = content.text
				}
				for ro := roleNo; ro < roleCount; ro++ {
					c, ok := cellAt(row, cols[ro])
					if !ok {
						continue
					}
					r, _ := cellAt(resolved, c.col)
					g.cells[ro] = gridCell{text: r.text, merged: c.vContinue}
				}
				out = append(out, g)
			}
		}
		add(rows, skip)
		// A table split over pages may continue in the tables that follow
		// directly: same grid, and either the header repeated or rows that
		// start with a number or numeral. Anything else (a signature block)
		// ends it.
		for _, next := range followingTables(body, tbl) {
			nrows := tableRows(next)
			if gridWidth(nrows) != gridWidth(rows) {
				break
			}
			if _, nskip, ok := headerColumns(nrows); ok {
				add(nrows, nskip)
				continue
			}
			if !startsWithRow(nrows, cols[roleNo]) {
				break
			}
			add(nrows, 0)
		}
		return out, true
	}
	return nil, false
}

func gridWidth(rows [][]dcell) int {
	w := 0
	for _, row := range rows {
		if n := len(row); n > 0 {
			w = max(w, row[n-1].col+row[n-1].span)
		}
	}
	return w
}

// startsWithRow reports whether the first non-empty row has a task number
// or section numeral in the number column.
func startsWithRow(rows [][]dcell, col int) bool {
	for _, row := range rows {
		c, ok := cellAt(row, col)
		text := strings.TrimSpace(c.text)
		if !ok || text == "" {
			continue
		}
		_, _, heading := romanHeading(text)
		return heading || numAlone.MatchString(text)
	}
	return false
}

// followingTables lists the tables that come right after tbl among the body's
// children, with only empty paragraphs between.
func followingTables(body, tbl *xnode) []*xnode {
	var out []*xnode
	found := false
	for _, k := range body.kids {
		if !found {
			found = k == tbl
			continue
		}
		switch {
		case k.name == "tbl":
			out = append(out, k)
		case k.name == "p" && strings.TrimFunc(paragraphText(k), spaceLike) == "":
		default:
			return out
		}
	}
	return out
}

// bodyText renders the body as text for ParseText: one paragraph per line
// (so that line numbers in errors count paragraphs), each table cell's
// paragraphs on their own lines and an empty cell as a line holding a space.
func bodyText(body *xnode) string {
	var b strings.Builder
	var walk func(n *xnode)
	walk = func(n *xnode) {
		for _, k := range n.kids {
			switch k.name {
			case "p":
				b.WriteString(strings.TrimFunc(paragraphText(k), spaceLike))
				b.WriteString("\n")
			case "tc":
				if t := cellText(k); t != "" {
					b.WriteString(t)
					b.WriteString("\n")
				} else {
					b.WriteString(" \n")
				}
			default:
				walk(k)
			}
		}
	}
	walk(body)
	return b.String()
}
