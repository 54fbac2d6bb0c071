package planimport

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"khienso/internal/textnorm"
)

// MaxTextBytes bounds pasted text: a plan is far smaller, and parsing time
// grows with the text.
const MaxTextBytes = 4 << 20

// maxRowBlocks bounds the paragraphs one row may span before its timeframe;
// more means the text is not a task table (and keeps the split search small).
const maxRowBlocks = 30

// ParseText reads the task table of a plan pasted as text. Two layouts are
// understood: one paragraph per line with each cell on its own line(s), as
// text copied from a web page (a line holding only spaces is an empty cell),
// and one row per line with cells separated by tabs, as copied from Word or
// Excel. Columns may come in any order (the number first when one cell per
// line). Text before the table header and after the table is ignored.
func ParseText(text string) ([]Task, error) {
	if len(text) > MaxTextBytes {
		return nil, &Error{Key: "planimport.err.too_large", Args: []any{MaxTextBytes >> 20}}
	}
	if strings.TrimFunc(text, spaceLike) == "" {
		return nil, &Error{Key: "planimport.err.empty"}
	}
	if err := checkText(text); err != nil {
		return nil, err
	}
	text = norm.NFC.String(strings.TrimPrefix(text, "\ufeff"))
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")
	blocks := toBlocks(lines)
	hb := findBlockHeader(blocks, 0)
	ht, roles := findTabHeader(lines)
	switch {
	case ht >= 0 && (hb < 0 || ht+1 <= blocks[hb].line):
		return parseTabbed(lines, ht, roles)
	case hb >= 0:
		p := &textParser{blocks: blocks, b: builder{where: atLine}}
		run := p.run
		if order, _ := blockHeaderOrder(blocks, hb); order != canonicalOrder {
			run = func(header int) error { return p.runOrdered(header, order) }
		}
		if err := run(hb); err != nil {
			return nil, err
		}
		return p.b.tasks, nil
	}
	return nil, &Error{Key: "planimport.err.no_table"}
}

// ParseTextFile reads the task table of an uploaded text file: UTF-8 (with
// or without a byte-order mark) or UTF-16 with one, as ParseText reads
// pasted text.
func ParseTextFile(data []byte) ([]Task, error) {
	text, err := textnorm.DecodeBytes(data)
	if err != nil {
		return nil, &Error{Key: "planimport.err.utf16", Err: err}
	}
	return ParseText(string(text))
}

// checkText refuses text that is not UTF-8, or whose lines are UTF-8
// misread as a Windows code page (textnorm.CheckText), naming the first
// such line and what it was meant to say: every cell of such a text is
// garbled, and unit names would match nothing.
func checkText(text string) error {
	if !utf8.ValidString(text) {
		return &Error{Key: "planimport.err.encoding"}
	}
	for i, line := range strings.Split(text, "\n") {
		problem, fixed := textnorm.CheckText(line)
		if problem != textnorm.TextMojibake {
			continue
		}
		if fixed == "" {
			return &Error{Line: i + 1, Key: "planimport.err.mojibake_lost", Args: []any{i + 1, excerpt(strings.TrimSpace(line))}}
		}
		return &Error{Line: i + 1, Key: "planimport.err.mojibake", Args: []any{i + 1, excerpt(strings.TrimSpace(line)), excerpt(strings.TrimSpace(fixed))}}
	}
	return nil
}

func spaceLike(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' }

// block is one non-blank line: a paragraph of a cell, or an empty cell when
// the line holds only spaces.
type block struct {
	line  int
	text  string
	empty bool
	tf    int8 // whether text is a timeframe: 0 not yet known, 1 yes, -1 no
}

func toBlocks(lines []string) []block {
	var out []block
	for i, l := range lines {
		if l == "" {
			continue
		}
		t := strings.TrimFunc(l, spaceLike)
		out = append(out, block{line: i + 1, text: t, empty: t == ""})
	}
	return out
}

// findBlockHeader finds the five header cells on consecutive lines, from
// index from on, in any order.
func findBlockHeader(blocks []block, from int) int {
	for i := from; i+5 <= len(blocks); i++ {
		if blockHeaderAt(blocks, i) {
			return i
		}
	}
	return -1
}

func blockHeaderAt(blocks []block, i int) bool {
	_, ok := blockHeaderOrder(blocks, i)
	return ok
}

// canonicalOrder is the column order of plans' task tables: the order the
// one-paragraph-per-line reader relies on, its timeframe ending each row.
var canonicalOrder = [5]role{roleNo, roleContent, roleLead, roleCoord, roleTime}

// blockHeaderOrder reads five header cells at block i, each role once in
// any order, and returns the roles in the order of the columns.
func blockHeaderOrder(blocks []block, i int) ([5]role, bool) {
	var order [5]role
	if i+5 > len(blocks) || len(blocks[i].text) > 80 { // cheap test first
		return order, false
	}
	var seen [roleCount]bool
	for k := range 5 {
		if blocks[i+k].empty {
			return order, false
		}
		ro := headerRole(blocks[i+k].text)
		if ro == roleNone || seen[ro] {
			return order, false
		}
		seen[ro], order[k] = true, ro
	}
	return order, true
}

// findTabHeader finds a tab-separated header line and where each role's
// column is.
func findTabHeader(lines []string) (int, [roleCount]int) {
	for i, l := range lines {
		if !strings.Contains(l, "\t") {
			continue
		}
		var cols [roleCount]int
		found := 0
		for c, cell := range strings.Split(l, "\t") {
			if ro := headerRole(strings.TrimFunc(cell, spaceLike)); ro != roleNone && cols[ro] == 0 {
				cols[ro] = c + 1 // 1-based so that 0 means "not found"
				found++
			}
		}
		if found == int(roleCount)-1 {
			return i, cols
		}
	}
	return -1, [roleCount]int{}
}

// --- one paragraph per line ---

type textParser struct {
	blocks  []block
	i       int
	b       builder
	inline  bool // rows start "1. Content" on one line
	modeSet bool
}

func (p *textParser) run(header int) error {
	p.i = header + 5
	for {
		p.skipColumnNumbers()
		if err := p.table(); err != nil {
			return err
		}
		// The table may resume under a repeated header (a page break in the
		// source); otherwise what follows must not look like more rows.
		next := findBlockHeader(p.blocks, p.i)
		if next < 0 {
			break
		}
		p.i = next + 5
	}
	if len(p.b.tasks) == 0 {
		return errAt(atLine, "no_tasks", p.blocks[header].line)
	}
	return p.checkTrailing()
}

// skipColumnNumbers skips a row "(1) (2) (3) (4) (5)" under the header.
func (p *textParser) skipColumnNumbers() {
	k := p.i
	for n := 1; n <= 5; n++ {
		for k < len(p.blocks) && p.blocks[k].empty {
			k++
		}
		if k >= len(p.blocks) || strings.Trim(p.blocks[k].text, "()") != string(rune('0'+n)) {
			return
		}
		k++
	}
	p.i = k
}

// table reads rows until something that is neither a section nor a row.
func (p *textParser) table() error {
	for p.i < len(p.blocks) {
		bl := p.blocks[p.i]
		switch {
		case bl.empty:
			p.i++
		case blockHeaderAt(p.blocks, p.i):
			p.i += 5
		default:
			if num, title, ok := romanHeading(bl.text); ok {
				p.i++
				if title == "" {
					k := p.nextFilled(p.i)
					if k < len(p.blocks) && !p.structural(k) {
						title = p.blocks[k].text
						p.i = k + 1
					}
				}
				p.b.setSection(sectionLabel(num, title))
				continue
			}
			num, rest, ok := p.rowStart(bl.text)
			if !ok {
				return nil
			}
			if err := p.row(num, rest); err != nil {
				return err
			}
		}
	}
	return nil
}

// timeframeAt reports whether block k is a timeframe (the end of a row),
// remembering the answer since rows are scanned more than once.
func (p *textParser) timeframeAt(k int) bool {
	bl := &p.blocks[k]
	if bl.tf == 0 {
		bl.tf = -1
		if _, ok := ParseTimeframe(bl.text); ok && !bl.empty {
			bl.tf = 1
		}
	}
	return bl.tf > 0
}

func (p *textParser) nextFilled(k int) int {
	for k < len(p.blocks) && p.blocks[k].empty {
		k++
	}
	return k
}

// rowStart recognises the number starting a row. Whether rows put the
// content on the number's line is decided by the first row, so that
// numbered paragraphs inside content are not mistaken for rows.
func (p *textParser) rowStart(s string) (num, rest string, ok bool) {
	if m := numAlone.FindStringSubmatch(s); m != nil {
		if !p.modeSet {
			p.modeSet = true
		}
		return m[1], "", true
	}
	if m := numInline.FindStringSubmatch(s); m != nil && (m[2] != "" || strings.Contains(m[1], ".")) {
		if !p.modeSet {
			p.modeSet, p.inline = true, true
		}
		if p.inline {
			return m[1], m[3], true
		}
	}
	return "", "", false
}

// structural reports whether block k starts a row or section or repeats
// the header.
func (p *textParser) structural(k int) bool {
	bl := p.blocks[k]
	if bl.empty {
		return false
	}
	if _, _, ok := romanHeading(bl.text); ok {
		return true
	}
	if numAlone.MatchString(bl.text) {
		return true
	}
	if p.inline {
		if m := numInline.FindStringSubmatch(bl.text); m != nil && (m[2] != "" || strings.Contains(m[1], ".")) {
			return true
		}
	}
	return blockHeaderAt(p.blocks, k)
}

// row reads one task: content, lead, coordinating, then the timeframe,
// which is the reliable end-of-row marker.
func (p *textParser) row(num, rest string) error {
	line := p.blocks[p.i].line
	p.i++
	var cells []block
	if rest != "" {
		cells = append(cells, block{line: line, text: rest})
	}
	first := p.i // index of the first block after the number
	timed, overflow := false, false
	for p.i < len(p.blocks) {
		bl := p.blocks[p.i]
		if !bl.empty {
			if p.timeframeAt(p.i) {
				timed = true
				break
			}
			if p.structural(p.i) {
				break
			}
		}
		if len(cells) == maxRowBlocks {
			overflow = true
			break
		}
		cells = append(cells, bl)
		p.i++
	}
	if len(cells) == 0 || cells[0].empty {
		return errAt(atLine, "no_content", line, num)
	}
	t := Task{Number: num, Line: line}
	if timed {
		t.TimeframeText = p.blocks[p.i].text
		p.i++
		if len(cells) == 1 { // lead and coordinating merged with the row above
			t.Content = cells[0].text
			return p.b.add(t, inherit{lead: true, coord: true})
		}
		ci, li, guessed, ok := splitCells(cells)
		if !ok {
			return errAt(atLine, "cells", line, num)
		}
		t.Content = joinBlocks(cells[:ci])
		t.LeadText = joinBlocks(cells[ci:li])
		t.CoordText = joinBlocks(cells[li:])
		if guessed || looksLikeUnits(cells[0].text) {
			t.Notes = append(t.Notes, Note{Key: NoteCellsGuessed})
		}
		t.Notes = append(t.Notes, contentNotes(cells[:ci])...)
		return p.b.add(t, inherit{})
	}
	// No timeframe before the next row: the row has only its content (the
	// other cells were merged with the row above), unless unit names follow.
	if p.i >= len(p.blocks) || overflow {
		// Last row: what follows the content is the page around the table.
		if len(cells) > 1 && !cells[1].empty && looksLikeUnits(cells[1].text) {
			return errAt(atLine, "no_timeframe", line, num)
		}
		cells = cells[:1]
		p.i = first
		if rest == "" {
			p.i = first + 1
		}
		t.Content = cells[0].text
		return p.b.add(t, inherit{true, true, true})
	}
	for _, c := range cells[1:] {
		if !c.empty && looksLikeUnits(c.text) {
			return errAt(atLine, "no_timeframe", line, num)
		}
	}
	if p.subsectionAt(num) {
		p.b.setSection(sectionLabel(num, joinBlocks(cells)))
		return nil
	}
	t.Content = joinBlocks(cells)
	t.Notes = append(t.Notes, contentNotes(cells)...)
	return p.b.add(t, inherit{true, true, true})
}

// contentNotes flags content running over several paragraphs that do not
// read as one cell (a list under a lead-in ending with ":"): a row number
// may have been lost, merging two tasks.
func contentNotes(content []block) []Note {
	var paras []block
	for _, c := range content {
		if !c.empty {
			paras = append(paras, c)
		}
	}
	for k := 1; k < len(paras); k++ {
		if !bulleted(paras[k].text) && !strings.HasSuffix(paras[k-1].text, ":") {
			return []Note{{Key: NoteContentParagraphs, Args: []any{len(paras)}}}
		}
	}
	return nil
}

// subsectionAt reports whether the block at p.i numbers a row under num
// ("1" then "1.1"), so that row num was a heading.
func (p *textParser) subsectionAt(num string) bool {
	m := numAlone.FindStringSubmatch(p.blocks[p.i].text)
	if m == nil && p.inline {
		m = numInline.FindStringSubmatch(p.blocks[p.i].text)
	}
	return m != nil && strings.HasPrefix(m[1], num+".")
}

// checkTrailing makes sure the table did not stop early: after it ends, no
// row may follow, whether numbered (a number or numeral followed shortly by
// a timeframe) or with its number lost (unit names then a timeframe right
// where the table stopped).
func (p *textParser) checkTrailing() error {
	if p.i >= len(p.blocks) {
		return nil
	}
	stop := p.blocks[p.i]
	for k := p.i; k < len(p.blocks); k++ {
		bl := p.blocks[k]
		if bl.empty {
			continue
		}
		_, _, roman := romanHeading(bl.text)
		if !roman && !numAlone.MatchString(bl.text) {
			continue
		}
		for j := k + 1; j < len(p.blocks) && j <= k+12; j++ {
			if p.timeframeAt(j) {
				return errAt(atLine, "unexpected", stop.line, excerpt(stop.text), bl.line)
			}
		}
	}
	unitLine, seen := 0, 0
	for k := p.i; k < len(p.blocks) && seen < 8; k++ {
		bl := p.blocks[k]
		if bl.empty {
			continue
		}
		seen++
		if unitLine > 0 && p.timeframeAt(k) {
			return errAt(atLine, "unexpected", stop.line, excerpt(stop.text), stop.line)
		}
		if unitLine == 0 && seen > 1 && looksLikeUnits(bl.text) {
			unitLine = bl.line
		}
	}
	return nil
}

func excerpt(s string) string {
	r := []rune(s)
	if len(r) > 60 {
		return string(r[:57]) + "…"
	}
	return s
}

func joinBlocks(bs []block) string {
	var parts []string
	for _, b := range bs {
		if !b.empty {
			parts = append(parts, b.text)
		}
	}
	return strings.Join(parts, "\n")
}

// splitCells divides the paragraphs between a row's number and timeframe
// into content cells[:ci], lead cells[ci:li] and coordinating cells[li:].
// guessed is set when the best split is not the only good one, or leaves
// the coordinating cell out.
func splitCells(cells []block) (ci, li int, guessed, ok bool) {
	bounds, guessed, ok := splitRoles(cells, []role{roleContent, roleLead, roleCoord})
	if !ok {
		return 0, 0, false, false
	}
	return bounds[0], bounds[1], guessed, true
}

// splitRoles divides paragraphs between cells of the given roles, in that
// order (content, lead and coordinating, in the order of the table's
// columns): cell k is cells[bounds[k-1]:bounds[k]], the last running to the
// end. Paragraph boundaries do not show cell boundaries, so every split is
// scored: lead and coordinating paragraphs should read like unit names,
// content paragraphs should not, a cell's list items share one style, a
// paragraph ending in ";" continues its cell, and an empty cell is a whole
// cell. Every cell has a paragraph except the last when it holds unit
// names (a lost empty line, which costs). guessed is set when the best
// split is not the only good one or the last cell is left empty.
func splitRoles(cells []block, roles []role) (bounds []int, guessed, ok bool) {
	n := len(cells)
	f := make([]features, n)
	for k, c := range cells {
		f[k] = features{empty: c.empty, units: !c.empty && looksLikeUnits(c.text), bullet: bulleted(c.text),
			paren: strings.HasPrefix(c.text, "("), cont: !c.empty && strings.ContainsAny(c.text[len(c.text)-1:], ";,")}
	}
	best, ties := -1.0, 0
	cur := make([]int, len(roles)-1)
	var walk func(k, from int)
	walk = func(k, from int) {
		if k == len(cur) {
			c, valid := splitCost(f, roles, cur)
			switch {
			case !valid:
			case best < 0 || c < best-1e-9:
				best, ties, bounds = c, 1, slices.Clone(cur)
			case c < best+1e-9:
				ties++
			}
			return
		}
		for b := from + 1; b <= n; b++ {
			cur[k] = b
			walk(k+1, b)
		}
	}
	if len(roles) == 1 {
		_, valid := splitCost(f, roles, nil)
		return nil, false, valid
	}
	walk(0, 0)
	if best < 0 {
		return nil, false, false
	}
	last := n
	if len(bounds) > 0 {
		last = bounds[len(bounds)-1]
	}
	return bounds, ties > 1 || last == n && roles[len(roles)-1] != roleContent, true
}

// features of a paragraph that splitCost weighs.
type features struct {
	empty  bool // an empty cell
	units  bool // reads like unit names
	bullet bool // a list item ("- …")
	paren  bool // a remark in parentheses
	cont   bool // ends with ";" or ",": the cell goes on
}

// splitCost scores cutting paragraphs f into cells of roles at bounds (see
// splitRoles); valid is false for a split that cannot be.
func splitCost(f []features, roles []role, bounds []int) (float64, bool) {
	cost := 0.0
	start := 0
	var prev []features // the previous unit cell, for the boundary between two
	for k, ro := range roles {
		end := len(f)
		if k < len(bounds) {
			end = bounds[k]
		}
		cell := f[start:end]
		lastCell := k == len(roles)-1
		switch {
		case ro == roleContent:
			if len(cell) == 0 || cell[0].empty {
				return 0, false
			}
			for _, c := range cell[1:] {
				if c.empty {
					return 0, false
				}
				if c.units {
					cost += 3
				}
			}
			prev = nil
		case len(cell) == 0:
			if !lastCell {
				return 0, false
			}
			cost += 2.5 // no cell at all: more likely a lost empty line
		default:
			for i, c := range cell {
				if c.empty {
					if len(cell) > 1 {
						return 0, false
					}
					continue
				}
				if !c.units && !c.paren {
					cost += 2
				}
				if i > 0 && cell[i-1].bullet != c.bullet {
					cost++
				}
			}
			if len(prev) > 0 {
				last, next := prev[len(prev)-1], cell[0]
				if last.cont {
					cost += 1.5
				}
				if !last.empty && !next.empty && last.bullet && next.bullet {
					cost++
				}
			}
			prev = cell
		}
		start = end
	}
	return cost, true
}

func bulleted(s string) bool {
	return strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") || strings.HasPrefix(s, "•") ||
		strings.HasPrefix(s, "–") || strings.HasPrefix(s, "*")
}

// --- one paragraph per line, columns in another order ---

// runOrdered reads a table pasted one paragraph per line whose columns are
// not in the usual order ("STT, Nội dung, Thời gian, Chủ trì, Phối hợp"):
// each row is cut into cells by the columns' roles and handed to the grid
// reader that DOCX and tab-separated tables go through. The number must
// come first, as it is what starts a row.
func (p *textParser) runOrdered(header int, order [5]role) error {
	if order[0] != roleNo {
		return errAt(atLine, "number_first", p.blocks[header].line)
	}
	var rows []gridRow
	p.i = header + 5
	p.skipColumnNumbers()
scan:
	for p.i < len(p.blocks) {
		bl := p.blocks[p.i]
		switch {
		case bl.empty:
			p.i++
			continue
		case blockHeaderAt(p.blocks, p.i): // repeated after a page break
			p.i += 5
			p.skipColumnNumbers()
			continue
		}
		if num, title, ok := romanHeading(bl.text); ok {
			p.i++
			if title == "" {
				if k := p.nextFilled(p.i); k < len(p.blocks) && !p.structural(k) {
					title, p.i = p.blocks[k].text, k+1
				}
			}
			rows = append(rows, gridRow{line: bl.line, wide: sectionLabel(num, title)})
			continue
		}
		num, rest, ok := p.rowStart(bl.text)
		if !ok {
			break scan
		}
		row, err := p.orderedRow(num, rest, order)
		if err != nil {
			return err
		}
		rows = append(rows, row)
	}
	if err := p.b.grid(rows); err != nil {
		return err
	}
	if len(p.b.tasks) == 0 {
		return errAt(atLine, "no_tasks", p.blocks[header].line)
	}
	return p.checkTrailing()
}

// orderedRow reads one row of runOrdered: the paragraphs up to the next
// row, cut at the timeframe (the one cell that can be recognised) into the
// cells before and after it, each part divided by splitRoles. When only
// unit cells follow the timeframe, a paragraph that does not read like
// unit names ends the row: the page after the table.
func (p *textParser) orderedRow(num, rest string, order [5]role) (gridRow, error) {
	line := p.blocks[p.i].line
	p.i++
	var cells []block
	if rest != "" {
		cells = append(cells, block{line: line, text: rest})
	}
	roles := order[1:]
	ti := slices.Index(roles, roleTime)
	before, after := roles[:ti], roles[ti+1:]
	timeAt := -1
	for p.i < len(p.blocks) && len(cells) < maxRowBlocks {
		bl := p.blocks[p.i]
		if !bl.empty && p.structural(p.i) {
			break
		}
		if timeAt < 0 && !bl.empty && len(cells) >= len(before) && p.timeframeAt(p.i) {
			timeAt = len(cells)
		}
		cells = append(cells, bl)
		p.i++
		if timeAt >= 0 && len(after) == 0 {
			break
		}
	}
	// After the timeframe, the cells are unit names (and list items or
	// remarks in parentheses): another paragraph ends the row, the page
	// after the table. A content cell after the timeframe may hold any
	// paragraphs, so only the last row, which runs to the end of the text,
	// is cut there, after the content's first paragraph.
	if timeAt >= 0 && (!slices.Contains(after, roleContent) || p.i == len(p.blocks)) {
		free := 0
		if slices.Contains(after, roleContent) {
			free = 1
		}
		for k := timeAt + 1; k < len(cells); k++ {
			c := cells[k]
			if c.empty || looksLikeUnits(c.text) || bulleted(c.text) || strings.HasPrefix(c.text, "(") {
				continue
			}
			if free > 0 {
				free--
				continue
			}
			p.i -= len(cells) - k
			cells = cells[:k]
			break
		}
	}
	r := gridRow{line: line}
	r.cells[roleNo].text = num
	set := func(part []block, rs []role) error {
		if len(rs) == 0 {
			if joinBlocks(part) != "" {
				return errAt(atLine, "cells", line, num)
			}
			return nil
		}
		if ci := slices.Index(rs, roleContent); ci >= 0 && (len(part) <= ci || part[ci].empty) && len(rs) == 1 {
			return errAt(atLine, "no_content", line, num)
		}
		bounds, guessed, ok := splitRoles(part, rs)
		if !ok {
			if slices.Contains(rs, roleContent) && (len(part) == 0 || part[0].empty) {
				return errAt(atLine, "no_content", line, num)
			}
			return errAt(atLine, "cells", line, num)
		}
		start := 0
		for k, ro := range rs {
			end := len(part)
			if k < len(bounds) {
				end = bounds[k]
			}
			r.cells[ro].text = joinBlocks(part[start:end])
			if ro == roleContent {
				r.notes = append(r.notes, contentNotes(part[start:end])...)
			}
			start = end
		}
		if guessed && len(rs) > 1 {
			r.notes = append(r.notes, Note{Key: NoteCellsGuessed})
		}
		return nil
	}
	if timeAt < 0 {
		// No timeframe: the row's other cells were merged with the row
		// above, so it has its content only (the grid reader inherits them).
		if len(cells) == 0 || cells[0].empty {
			return r, errAt(atLine, "no_content", line, num)
		}
		for _, c := range cells[1:] {
			if !c.empty && looksLikeUnits(c.text) {
				return r, errAt(atLine, "no_timeframe", line, num)
			}
		}
		r.cells[roleContent].text = cells[0].text
		p.i -= len(cells) - 1
		return r, nil
	}
	r.cells[roleTime].text = cells[timeAt].text
	if err := set(cells[:timeAt], before); err != nil {
		return r, err
	}
	return r, set(cells[timeAt+1:], after)
}

// --- one row per line, cells separated by tabs ---

func parseTabbed(lines []string, header int, cols [roleCount]int) ([]Task, error) {
	body := strings.Join(lines[header+1:], "\n")
	r := csv.NewReader(strings.NewReader(body))
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = false
	var rows []gridRow
	var stop *gridRow // the line that ended the table, if any
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		line += header + 1
		if err != nil {
			return nil, errAt(atLine, "row_unreadable", line)
		}
		if len(rec) == 1 {
			f := strings.TrimFunc(rec[0], spaceLike)
			if f == "" {
				continue
			}
			if _, _, ok := romanHeading(f); ok && stop == nil {
				rows = append(rows, gridRow{line: line, wide: f})
				continue
			}
			if stop == nil {
				stop = &gridRow{line: line, wide: f}
			}
			continue
		}
		row := gridRow{line: line}
		for ro := roleNo; ro < roleCount; ro++ {
			if c := cols[ro] - 1; c < len(rec) {
				row.cells[ro].text = strings.TrimFunc(rec[c], spaceLike)
			}
		}
		if stop != nil {
			// Rows after the end of the table: the table was interrupted.
			if numAlone.MatchString(row.cell(roleNo)) && row.cell(roleContent) != "" {
				return nil, errAt(atLine, "unexpected", stop.line, excerpt(stop.wide), line)
			}
			continue
		}
		rows = append(rows, row)
	}
	b := builder{where: atLine}
	if err := b.grid(rows); err != nil {
		return nil, err
	}
	if len(b.tasks) == 0 {
		return nil, errAt(atLine, "no_tasks", header+1)
	}
	return b.tasks, nil
}
