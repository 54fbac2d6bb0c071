package plansweb

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"net/http"

	"github.com/xuri/excelize/v2"

	"khienso/internal/i18n"
	"khienso/internal/indicators"
	"khienso/internal/service/plansvc"
	"khienso/internal/units"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// dashXLSX exports the dashboard's indicator table (page and API: the
// API accepts any year, like its JSON twin).
func (s *handler) dashXLSX(w http.ResponseWriter, r *http.Request) {
	vals, ok := s.values(w, r, false)
	if !ok {
		return
	}
	l := web.Lang(r)
	var buf bytes.Buffer
	if err := writeIndicatorsXLSX(&buf, l, vals, dashRows(l, vals)); err != nil {
		s.Fail(w, r, err)
		return
	}
	web.SendFile(w, units.FormatXLSX.ContentType(), fmt.Sprintf("chi-tieu-ke-hoach-%d-%d.xlsx", vals.Plan.ID, vals.Year), buf.Bytes())
}

// breakdownXLSX exports every row of a breakdown; a formula that no
// longer parses has nothing to export.
func (s *handler) breakdownXLSX(w http.ResponseWriter, r *http.Request) {
	b, ok := s.breakdown(w, r)
	if !ok {
		return
	}
	if b.Result.Err != nil {
		s.Fail(w, r, web.BadRequest(validation.Errors{{Field: "formula", Reason: "dash.err.broken"}}))
		return
	}
	l := web.Lang(r)
	d, all := breakdownData(l, b)
	var buf bytes.Buffer
	if err := writeBreakdownXLSX(&buf, l, b, d, all); err != nil {
		s.Fail(w, r, err)
		return
	}
	web.SendFile(w, units.FormatXLSX.ContentType(), fmt.Sprintf("phan-tich-chi-tieu-%s-%d.xlsx", b.Indicator.Code, b.Year), buf.Bytes())
}

// xlsxStyles are the cell styles of the exports.
type xlsxStyles struct {
	header, text, integer, decimal, percent int
}

func newStyles(f *excelize.File) (xlsxStyles, error) {
	var st xlsxStyles
	var err error
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F0"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}); err != nil {
		return st, err
	}
	if st.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil {
		return st, err
	}
	fmtInt, fmtDec, fmtPct := "#,##0", "#,##0.00", "0.0%"
	if st.integer, err = f.NewStyle(&excelize.Style{CustomNumFmt: &fmtInt}); err != nil {
		return st, err
	}
	if st.decimal, err = f.NewStyle(&excelize.Style{CustomNumFmt: &fmtDec}); err != nil {
		return st, err
	}
	st.percent, err = f.NewStyle(&excelize.Style{CustomNumFmt: &fmtPct})
	return st, err
}

// sheet writes rows of cells into the first sheet, with a bold,
// frozen header row; float64 cells get a number format, whole numbers
// without decimals.
type sheet struct {
	f     *excelize.File
	name  string
	style xlsxStyles
}

func newSheet(title string) (*sheet, error) {
	f := excelize.NewFile()
	name := "Sheet1"
	if err := f.SetSheetName(name, title); err != nil {
		return nil, fmt.Errorf("name sheet: %w", err)
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, fmt.Errorf("xlsx styles: %w", err)
	}
	return &sheet{f: f, name: title, style: st}, nil
}

// pct marks a float64 cell as a fraction shown as a percentage.
type pct float64

func (d *sheet) row(n int, cells []any, header bool) error {
	for i, c := range cells {
		ref, err := excelize.CoordinatesToCellName(i+1, n)
		if err != nil {
			return err
		}
		style := d.style.text
		switch v := c.(type) {
		case nil:
			continue
		case float64:
			style = d.style.decimal
			if v == math.Trunc(v) && math.Abs(v) < 1e15 {
				style = d.style.integer
			}
			err = d.f.SetCellFloat(d.name, ref, v, -1, 64)
		case pct:
			style = d.style.percent
			err = d.f.SetCellFloat(d.name, ref, float64(v), -1, 64)
		case int: // counts and years: General, so 2023 is not shown as 2.023
			style = 0
			err = d.f.SetCellInt(d.name, ref, int64(v))
		default:
			err = d.f.SetCellStr(d.name, ref, fmt.Sprint(v))
		}
		if err != nil {
			return fmt.Errorf("write cell %s: %w", ref, err)
		}
		if header {
			style = d.style.header
		}
		if err := d.f.SetCellStyle(d.name, ref, ref, style); err != nil {
			return err
		}
	}
	return nil
}

func (d *sheet) finish(w io.Writer, widths []float64) error {
	for i, wd := range widths {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := d.f.SetColWidth(d.name, col, col, wd); err != nil {
			return err
		}
	}
	if err := d.f.SetPanes(d.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	if err := d.f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return d.f.Close()
}

// writeIndicatorsXLSX writes the dashboard's indicator table.
func writeIndicatorsXLSX(w io.Writer, l i18n.Lang, vals *plansvc.Values, rows []dashRow) error {
	sh, err := newSheet(l.T("dash.xlsx.sheet"))
	if err != nil {
		return err
	}
	head := []any{l.T("dash.col.code"), l.T("dash.col.name"), l.T("dash.col.measure_unit"), l.T("dash.col.value"),
		l.T("dash.col.target"), l.T("dash.col.target_max"), l.T("dash.col.comparison"), l.T("dash.col.period"),
		l.T("dash.col.status"), l.T("dash.col.expected"), l.T("dash.col.unit"), l.T("dash.col.year")}
	if err := sh.row(1, head, true); err != nil {
		return err
	}
	for i, row := range rows {
		res := vals.Results[i]
		ind := row.Ind
		var value, maxV, expected any
		if res.Defined && res.Err == nil {
			value = res.Value
		}
		if indicators.Comparison(ind.Comparison) == indicators.Between {
			maxV = ind.Max
		}
		if row.Expected != "" {
			expected = res.Progress.Expected
		}
		status := l.T("attain.status." + string(row.Status))
		if row.Error != "" {
			status = row.Error
		}
		if err := sh.row(i+2, []any{ind.Code, ind.Name, ind.MeasureUnit, value, ind.Value, maxV, row.Comparison, row.Period,
			status, expected, vals.Unit.Name, vals.Year}, false); err != nil {
			return err
		}
	}
	return sh.finish(w, []float64{16, 60, 14, 14, 12, 12, 14, 22, 22, 16, 36, 8})
}

// writeBreakdownXLSX writes every row of a breakdown (children, then
// the unit's own records).
func writeBreakdownXLSX(w io.Writer, l i18n.Lang, b *plansvc.Breakdown, d *bdData, rows []bdRow) error {
	sh, err := newSheet(l.T("dash.xlsx.bd_sheet"))
	if err != nil {
		return err
	}
	head := []any{l.T("dash.col.unit_code"), l.T("dash.col.unit"), l.T("dash.col.value"), l.T("dash.col.share"),
		l.T("dash.col.children"), l.T("dash.col.indicator"), l.T("dash.col.measure_unit"), l.T("dash.col.year")}
	if err := sh.row(1, head, true); err != nil {
		return err
	}
	sum := 0.0
	for _, r := range rows {
		if r.Defined {
			sum += r.Value
		}
	}
	for i, r := range rows {
		var value, share any
		if r.Defined {
			value = r.Value
			if !d.Ratio && sum > 0 {
				share = pct(r.Value / sum)
			}
		}
		name := r.Name
		if r.Own {
			name = l.T("dash.bd.own", r.Name)
		}
		if err := sh.row(i+2, []any{r.Code, name, value, share, r.Children, d.Ind.Code + " " + d.Ind.Name,
			d.Ind.MeasureUnit, b.Year}, false); err != nil {
			return err
		}
	}
	return sh.finish(w, []float64{16, 50, 14, 12, 12, 50, 14, 8})
}
