package reportsweb

import (
	"bufio"
	"fmt"
	"net/http"

	"khienso/internal/i18n"
	"khienso/internal/officedoc"
	"khienso/internal/service/reportsvc"
	"khienso/internal/web"
)

const (
	mimeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mimePDF  = "application/pdf"
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// docWriter writes one form of a round's consolidated report; l is the
// reader's language (the official document is always in Vietnamese,
// spreadsheets follow the reader).
type docWriter func(bw *bufio.Writer, d *reportsvc.Document, l i18n.Lang) error

func writeDOCX(bw *bufio.Writer, d *reportsvc.Document, _ i18n.Lang) error {
	return officedoc.WriteDOCX(bw, d.Model.Document(d.Header, d.Today, i18n.VI.T))
}

func writePDF(bw *bufio.Writer, d *reportsvc.Document, _ i18n.Lang) error {
	return officedoc.WritePDF(bw, d.Model.Document(d.Header, d.Today, i18n.VI.T))
}

func writeFigures(bw *bufio.Writer, d *reportsvc.Document, l i18n.Lang) error {
	return d.Model.WriteFiguresXLSX(bw, l.T)
}

func writeCompleteness(bw *bufio.Writer, d *reportsvc.Document, l i18n.Lang) error {
	return d.Model.WriteCompletenessXLSX(bw, l.T)
}

// download consolidates the round of the path for the caller and sends it
// as name ("report.docx"), written by write. Pages and the API share it.
func (s *handler) download(w http.ResponseWriter, r *http.Request, name, contentType string, write docWriter) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d, err := s.svc.Document(r.Context(), s.Caller(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	web.Attachment(w, contentType, fmt.Sprintf("bao-cao-dot-%d-%s", id, name))
	bw := bufio.NewWriterSize(w, 64<<10)
	// Once bytes are out the status is sent; a failure can only be logged.
	if err := write(bw, d, web.Lang(r)); err != nil {
		s.Log().ErrorContext(r.Context(), "report document", "round", id, "kind", name, "err", err)
		return
	}
	if err := bw.Flush(); err != nil {
		s.Log().WarnContext(r.Context(), "report document flush", "round", id, "err", err)
	}
}

func (s *handler) reportDocDOCX(w http.ResponseWriter, r *http.Request) {
	s.download(w, r, "report.docx", mimeDOCX, writeDOCX)
}

func (s *handler) reportDocPDF(w http.ResponseWriter, r *http.Request) {
	s.download(w, r, "report.pdf", mimePDF, writePDF)
}

func (s *handler) reportFiguresXLSX(w http.ResponseWriter, r *http.Request) {
	s.download(w, r, "figures.xlsx", mimeXLSX, writeFigures)
}

func (s *handler) reportCompletenessXLSX(w http.ResponseWriter, r *http.Request) {
	s.download(w, r, "completeness.xlsx", mimeXLSX, writeCompleteness)
}
