package reportdoc

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// sheet is the name of the only sheet of each workbook.
const sheet = "Sheet1"

// writeSheet streams a header row, data rows and an optional total row into
// a one-sheet workbook written to w.
func writeSheet(w io.Writer, widths []float64, header []string, rows func(emit func([]any) error) error) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F0"}}})
	if err != nil {
		return fmt.Errorf("xlsx style: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("xlsx stream: %w", err)
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	n := 1
	emit := func(row []any) error {
		n++
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, row)
	}
	if err := rows(emit); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx flush: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// WriteFiguresXLSX writes the unit × field matrix of the counted units'
// figures, with a total row. Units that have not submitted are listed with
// empty cells so the sheet shows every required unit.
func (m *Model) WriteFiguresXLSX(w io.Writer, t T) error {
	header := []string{t("report.doc.col_code"), t("report.doc.col_unit"), t("report.doc.col_status")}
	widths := []float64{14, 40, 16}
	for _, f := range m.Figures {
		label := f.Field.Label
		if f.Field.MeasureUnit != "" {
			label += " (" + f.Field.MeasureUnit + ")"
		}
		header = append(header, label)
		widths = append(widths, 18)
	}
	return writeSheet(w, widths, header, func(emit func([]any) error) error {
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
			if err := emit(row); err != nil {
				return err
			}
		}
		total := []any{"", t("report.doc.total"), ""}
		for _, f := range m.Figures {
			total = append(total, f.Total)
		}
		return emit(total)
	})
}

// WriteCompletenessXLSX writes every required unit with its status,
// submission day and lateness.
func (m *Model) WriteCompletenessXLSX(w io.Writer, t T) error {
	header := []string{t("report.doc.col_code"), t("report.doc.col_unit"), t("report.doc.col_status"),
		t("report.doc.col_submitted"), t("report.doc.col_late")}
	return writeSheet(w, []float64{14, 40, 16, 14, 10}, header, func(emit func([]any) error) error {
		for _, u := range m.Units {
			late := ""
			if u.Late {
				late = t("report.doc.late_mark")
			}
			if err := emit([]any{u.Code, u.Name, t("report.status." + string(u.Status)), u.SubmittedDay.VN(), late}); err != nil {
				return err
			}
		}
		return emit([]any{"", t("report.doc.summary", m.Submitted, m.Required, m.Late)})
	})
}
