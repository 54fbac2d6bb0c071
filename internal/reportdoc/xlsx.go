package reportdoc

import (
	"io"

	"khienso/internal/indicators"
	"khienso/internal/officedoc"
)

// WriteFiguresXLSX writes the unit × field matrix of the counted units'
// figures, with a total row, and, when the round reports on a plan, a
// second sheet of the plan's indicators. Units that have not submitted are
// listed with empty cells so the sheet shows every required unit.
func (m *Model) WriteFiguresXLSX(w io.Writer, t T) error {
	cols := []officedoc.Column{{Header: t("report.doc.col_code"), Width: 14}, {Header: t("report.doc.col_unit"), Width: 40},
		{Header: t("report.doc.col_status"), Width: 16}}
	for _, f := range m.Figures {
		label := f.Field.Label
		if f.Field.MeasureUnit != "" {
			label += " (" + f.Field.MeasureUnit + ")"
		}
		cols = append(cols, officedoc.Column{Header: label, Width: 18})
	}
	figures := officedoc.Sheet{Name: t("report.xlsx.sheet_figures"), Columns: cols, FreezeCols: 2,
		Rows: func(r *officedoc.SheetRows) error {
			for _, u := range m.Units {
				row := make([]any, 3, 3+len(m.Figures))
				row[0], row[1], row[2] = u.Code, u.Name, t("report.status."+string(u.Status))
				vals := m.Values[u.UnitID]
				for _, f := range m.Figures {
					if v, ok := vals[f.Field.Code]; ok {
						row = append(row, v)
					} else {
						row = append(row, nil)
					}
				}
				if err := r.Add(row...); err != nil {
					return err
				}
			}
			total := []any{"", t("report.doc.total"), ""}
			for _, f := range m.Figures {
				total = append(total, f.Total)
			}
			return r.AddTotal(total...)
		}}
	if m.Plan == nil {
		return officedoc.WriteXLSX(w, figures)
	}
	return officedoc.WriteXLSX(w, figures, m.indicatorSheet(t))
}

// indicatorSheet lists the plan's indicators with their targets, values
// and assessments.
func (m *Model) indicatorSheet(t T) officedoc.Sheet {
	cols := []officedoc.Column{{Header: t("report.doc.col_code_indicator"), Width: 16}, {Header: t("report.doc.col_indicator"), Width: 56},
		{Header: t("report.doc.col_measure"), Width: 14}, {Header: t("report.doc.col_comparison"), Width: 14},
		{Header: t("report.doc.col_target"), Width: 12}, {Header: t("report.doc.col_target_max"), Width: 14},
		{Header: t("report.doc.col_value"), Width: 14}, {Header: t("report.doc.col_assessment"), Width: 22},
		{Header: t("report.doc.col_period"), Width: 18}}
	return officedoc.Sheet{Name: t("report.xlsx.sheet_indicators"), Columns: cols, FreezeCols: 2,
		Rows: func(r *officedoc.SheetRows) error {
			for _, ind := range m.Plan.Rows {
				var value, maxV any
				if ind.Defined {
					value = ind.Value
				}
				if ind.Comparison == indicators.Between {
					maxV = ind.Max
				}
				period := t("report.doc.period_year", ind.ToYear)
				if ind.Cumulative() {
					period = t("report.doc.period_cumulative", ind.FromYear, ind.ToYear)
				}
				if err := r.Add(ind.Code, ind.Name, ind.MeasureUnit, t("attain.cmp."+string(ind.Comparison)), ind.Target, maxV,
					value, t("attain.status."+string(ind.Status)), period); err != nil {
					return err
				}
			}
			return nil
		}}
}

// WriteCompletenessXLSX writes every required unit with its status,
// submission day and lateness, and a summary line.
func (m *Model) WriteCompletenessXLSX(w io.Writer, t T) error {
	cols := []officedoc.Column{{Header: t("report.doc.col_code"), Width: 14}, {Header: t("report.doc.col_unit"), Width: 40},
		{Header: t("report.doc.col_status"), Width: 16}, {Header: t("report.doc.col_submitted"), Width: 14},
		{Header: t("report.doc.col_late"), Width: 10}}
	return officedoc.WriteXLSX(w, officedoc.Sheet{Name: t("report.xlsx.sheet_completeness"), Columns: cols,
		Rows: func(r *officedoc.SheetRows) error {
			for _, u := range m.Units {
				late := ""
				if u.Late {
					late = t("report.doc.late_mark")
				}
				if err := r.Add(u.Code, u.Name, t("report.status."+string(u.Status)), u.SubmittedDay, late); err != nil {
					return err
				}
			}
			return r.AddTotal("", t("report.doc.summary", m.Submitted, m.Required, m.Late))
		}})
}
