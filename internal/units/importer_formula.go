package units

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"
)

// A workbook cell holding a formula is refused: the reader would see only
// the value Excel cached when the file was last saved (or nothing, when a
// program wrote the formula without computing it), so the import would
// store something the person never saw, or report the cell as blank. The
// workbook reader gives values only, so the first worksheet's XML is
// scanned for formulas on its own: the tags are counted without parsing
// (no allocation per cell), and only when there is one is the XML parsed,
// up to the first.

// formulaCell is where the first formula of a worksheet is, and how many
// formula cells the worksheet has.
type formulaCell struct {
	row, col int    // 1-based
	text     string // the formula as written, "" for a cell sharing another's
	count    int    // formula tags in the worksheet
}

// firstFormula finds the first formula cell (in reading order) of the
// workbook's first worksheet; ok is false when there is none. The caps of
// checkWorkbook have been applied to data before.
func firstFormula(data []byte) (fc formulaCell, ok bool, err error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fc, false, err
	}
	part := firstSheetPart(zr)
	if part == nil {
		return fc, false, nil
	}
	count, err := countFormulaTags(part)
	if err != nil || count == 0 {
		return fc, false, err
	}
	fc.count = count
	rc, err := part.Open()
	if err != nil {
		return fc, false, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var row, col int
	inCell, inFormula, formula := false, false, false
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			// A tag that was not a cell's formula (in a comment, say).
			return fc, false, nil
		}
		if err != nil {
			return fc, false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				row++
				if n := attr(t, "r"); n != "" {
					if _, r, err := excelize.CellNameToCoordinates("A" + n); err == nil {
						row = r
					}
				}
				col = 0
			case "c":
				col++
				if ref := attr(t, "r"); ref != "" {
					if c, r, err := excelize.CellNameToCoordinates(ref); err == nil {
						col, row = c, r
					}
				}
				inCell, formula = true, false
				text.Reset()
			case "f":
				if inCell {
					inFormula, formula = true, true
				}
			}
		case xml.CharData:
			if inFormula && text.Len() < 200 {
				text.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "f":
				inFormula = false
			case "c":
				if formula {
					fc.row, fc.col = row, col
					if s := strings.TrimSpace(text.String()); s != "" {
						fc.text = "=" + s
					}
					return fc, true, nil
				}
				inCell, formula = false, false
			}
		}
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// countFormulaTags counts the <f> start tags of a part, with or without a
// namespace prefix, reading it in chunks.
func countFormulaTags(f *zip.File) (int, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	buf := make([]byte, 64<<10)
	n, kept := 0, 0
	for {
		m, err := rc.Read(buf[kept:])
		chunk := buf[:kept+m]
		// A tag is counted where its three bytes end, so the two bytes kept
		// for the next read (a tag split across reads) are not counted twice.
		end := len(chunk)
		if !errors.Is(err, io.EOF) {
			end = max(0, len(chunk)-2)
		}
		for i := 0; i < end && i+2 < len(chunk); i++ {
			if (chunk[i] == '<' || chunk[i] == ':') && chunk[i+1] == 'f' && (chunk[i+2] == '>' || chunk[i+2] == ' ' || chunk[i+2] == '/') {
				n++
			}
		}
		kept = copy(buf, chunk[end:])
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// firstSheetPart finds the part of the workbook's first worksheet, as the
// workbook lists its sheets: the package relationship names the workbook,
// whose first sheet's relationship names the worksheet. Parts are matched
// ignoring case, as Excel does.
func firstSheetPart(zr *zip.Reader) *zip.File {
	find := func(name string) *zip.File {
		name = strings.TrimPrefix(name, "/")
		for _, f := range zr.File {
			if strings.EqualFold(f.Name, name) {
				return f
			}
		}
		return nil
	}
	type rel struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	}
	type rels struct {
		Rels []rel `xml:"Relationship"`
	}
	readXML := func(f *zip.File, v any) bool {
		if f == nil || f.UncompressedSize64 > maxWorksheetXML {
			return false
		}
		rc, err := f.Open()
		if err != nil {
			return false
		}
		defer rc.Close()
		return xml.NewDecoder(rc).Decode(v) == nil
	}
	resolve := func(base, target string) string {
		if strings.HasPrefix(target, "/") {
			return target
		}
		return path.Join(path.Dir(base), target)
	}
	workbook := "xl/workbook.xml"
	var root rels
	if readXML(find("_rels/.rels"), &root) {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				workbook = resolve("", r.Target)
			}
		}
	}
	var wb struct {
		Sheets []struct {
			ID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if !readXML(find(workbook), &wb) || len(wb.Sheets) == 0 {
		return nil
	}
	var wbRels rels
	dir, file := path.Split(workbook)
	if !readXML(find(dir+"_rels/"+file+".rels"), &wbRels) {
		return nil
	}
	for _, r := range wbRels.Rels {
		if r.ID == wb.Sheets[0].ID {
			return find(resolve(workbook, r.Target))
		}
	}
	return nil
}
