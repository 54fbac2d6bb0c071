package plansweb

import (
	"bytes"
	"fmt"
	"io"
	"net/http"

	"khienso/internal/i18n"
	"khienso/internal/indicators"
	"khienso/internal/officedoc"
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
	b, ok := s.breakdown(w, r, false)
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

// columns builds the sheet's columns from catalogue keys and widths.
func columns(l i18n.Lang, keys []string, widths []float64) []officedoc.Column {
	cols := make([]officedoc.Column, len(keys))
	for i, k := range keys {
		cols[i] = officedoc.Column{Header: l.T(k), Width: widths[i]}
	}
	return cols
}

// writeIndicatorsXLSX writes the dashboard's indicator table.
func writeIndicatorsXLSX(w io.Writer, l i18n.Lang, vals *plansvc.Values, rows []dashRow) error {
	cols := columns(l, []string{"dash.col.code", "dash.col.name", "dash.col.measure_unit", "dash.col.value", "dash.col.target",
		"dash.col.target_max", "dash.col.comparison", "dash.col.period", "dash.col.status", "dash.col.expected", "dash.col.unit", "dash.col.year"},
		[]float64{16, 60, 14, 14, 12, 12, 14, 22, 22, 16, 36, 8})
	return officedoc.WriteXLSX(w, officedoc.Sheet{Name: l.T("dash.xlsx.sheet"), Columns: cols, FreezeCols: 2,
		Rows: func(sr *officedoc.SheetRows) error {
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
				if err := sr.Add(ind.Code, ind.Name, ind.MeasureUnit, value, ind.Value, maxV, row.Comparison, row.Period,
					status, expected, vals.Unit.Name, vals.Year); err != nil {
					return err
				}
			}
			return nil
		}})
}

// writeBreakdownXLSX writes every row of a breakdown (children, then
// the unit's own records).
func writeBreakdownXLSX(w io.Writer, l i18n.Lang, b *plansvc.Breakdown, d *bdData, rows []bdRow) error {
	cols := columns(l, []string{"dash.col.unit_code", "dash.col.unit", "dash.col.value", "dash.col.share", "dash.col.children",
		"dash.col.indicator", "dash.col.measure_unit", "dash.col.year"}, []float64{16, 50, 14, 12, 12, 50, 14, 8})
	sum := 0.0
	for _, r := range rows {
		if r.Defined {
			sum += r.Value
		}
	}
	return officedoc.WriteXLSX(w, officedoc.Sheet{Name: l.T("dash.xlsx.bd_sheet"), Columns: cols, FreezeCols: 2,
		Rows: func(sr *officedoc.SheetRows) error {
			for _, r := range rows {
				var value, share any
				if r.Defined {
					value = r.Value
					if !d.Ratio && sum > 0 {
						share = officedoc.Percent(r.Value / sum)
					}
				}
				name := r.Name
				if r.Own {
					name = l.T("dash.bd.own", r.Name)
				}
				if err := sr.Add(r.Code, name, value, share, r.Children, d.Ind.Code+" "+d.Ind.Name, d.Ind.MeasureUnit, b.Year); err != nil {
					return err
				}
			}
			return nil
		}})
}
