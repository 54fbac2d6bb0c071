package web

import (
	"bufio"
	"context"
	"fmt"
	"net/http"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/officedoc"
	"khienso/internal/reportdoc"
	"khienso/internal/reports"
	"khienso/internal/store"
)

// reportModel loads a round with three queries (round, progress,
// submissions) and consolidates it.
func (s *Server) reportModel(ctx context.Context, id int64) (*reportdoc.Model, error) {
	rd, err := s.store.Round(ctx, id)
	if err != nil {
		return nil, err
	}
	tpl, err := s.store.ReportTemplate(ctx, rd.TemplateID)
	if err != nil {
		return nil, err
	}
	rows, _, err := s.store.RoundProgress(ctx, rd, dates.Today())
	if err != nil {
		return nil, err
	}
	subs, err := s.store.Submissions(ctx, id)
	if err != nil {
		return nil, err
	}
	in := reportdoc.Input{Round: rd, Template: tpl, Subs: make(map[int64]*reports.Submission, len(subs)),
		Units: make([]reportdoc.UnitRow, 0, len(rows))}
	for _, sub := range subs {
		in.Subs[sub.UnitID] = sub
	}
	for _, row := range rows {
		u := reportdoc.UnitRow{UnitID: row.UnitID, Name: row.UnitName, Code: row.UnitCode, Status: row.Status, Late: row.Late}
		if row.SubmittedAt != "" && (row.Status == reports.StatusSubmitted || row.Status == reports.StatusAccepted) {
			u.SubmittedDay = dates.Of(store.ParseTime(row.SubmittedAt).In(dates.Vietnam))
		}
		in.Units = append(in.Units, u)
	}
	return reportdoc.Build(in), nil
}

// reportHeader reads the document's issuing data from the settings, falling
// back to the deployment's general settings.
func (s *Server) reportHeader(ctx context.Context) (reportdoc.Header, error) {
	var h reportdoc.Header
	get := func(key, def string) string {
		v, err := s.store.Setting(ctx, key, def)
		if err != nil || v == "" {
			return def
		}
		return v
	}
	province := get("province.name", "")
	parentDefault := get("document.issuing_body", "")
	if parentDefault == "" && province != "" {
		parentDefault = "UBND TỈNH " + province
	}
	h.ParentBody = get("report.parent_body", parentDefault)
	h.IssuingBody = get("report.issuing_body", get("coordinator.name", ""))
	h.Symbol = get("report.symbol", "BC-SKHCN")
	h.Place = get("report.place", get("document.place", province))
	h.SignerName = get("report.signer_name", "")
	h.Authority = reportdoc.Lines(get("report.signer_title", ""))
	h.Recipients = reportdoc.Lines(get("report.recipients", ""))
	if len(h.Recipients) == 0 {
		h.Recipients = []string{"Lưu: VT."}
	}
	return h, nil
}

// reportDownload checks access, builds the model and hands it to write.
func (s *Server) reportDownload(w http.ResponseWriter, r *http.Request, ext, contentType string,
	write func(*bufio.Writer, *reportdoc.Model, reportdoc.Header) error) {
	if !s.reportRequireReviewer(w, r) {
		return
	}
	id, err := PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	ctx := r.Context()
	m, err := s.reportModel(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	h, err := s.reportHeader(ctx)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bao-cao-dot-%d-%s"`, id, ext))
	w.Header().Set("Cache-Control", "no-store")
	bw := bufio.NewWriterSize(w, 64<<10)
	// Once bytes are out the status is sent; a failure can only be logged.
	if err := write(bw, m, h); err != nil {
		s.log.Error("report document", "round", id, "kind", ext, "err", err)
		return
	}
	if err := bw.Flush(); err != nil {
		s.log.Warn("report document flush", "round", id, "err", err)
	}
}

// The official document is always in Vietnamese; spreadsheets follow the
// reader's language.
func (s *Server) reportDocDOCX(w http.ResponseWriter, r *http.Request) {
	s.reportDownload(w, r, "report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		func(bw *bufio.Writer, m *reportdoc.Model, h reportdoc.Header) error {
			return officedoc.WriteDOCX(bw, m.Document(h, dates.Today(), i18n.VI.T))
		})
}

func (s *Server) reportDocPDF(w http.ResponseWriter, r *http.Request) {
	s.reportDownload(w, r, "report.pdf", "application/pdf",
		func(bw *bufio.Writer, m *reportdoc.Model, h reportdoc.Header) error {
			return officedoc.WritePDF(bw, m.Document(h, dates.Today(), i18n.VI.T))
		})
}

func (s *Server) reportFiguresXLSX(w http.ResponseWriter, r *http.Request) {
	l := Lang(r)
	s.reportDownload(w, r, "figures.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		func(bw *bufio.Writer, m *reportdoc.Model, _ reportdoc.Header) error {
			return m.WriteFiguresXLSX(bw, l.T)
		})
}

func (s *Server) reportCompletenessXLSX(w http.ResponseWriter, r *http.Request) {
	l := Lang(r)
	s.reportDownload(w, r, "completeness.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		func(bw *bufio.Writer, m *reportdoc.Model, _ reportdoc.Header) error {
			return m.WriteCompletenessXLSX(bw, l.T)
		})
}
