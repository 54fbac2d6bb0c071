package reportsvc

import (
	"context"

	"khienso/internal/dates"
	"khienso/internal/reportdoc"
	"khienso/internal/reports"
	"khienso/internal/service"
)

// Document is a round's consolidated report, ready to write as DOCX, PDF
// or XLSX.
type Document struct {
	Model  *reportdoc.Model
	Header reportdoc.Header
	Today  dates.Date
}

// Document consolidates round id for its reviewers: the round, its
// template, every unit's standing and the stored submissions, with the
// issuing data from the settings (one read each).
func (s *Service) Document(ctx context.Context, actor service.Actor, id int64) (*Document, error) {
	rd, err := s.loadRound(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	tpl, err := s.store.ReportTemplate(ctx, rd.TemplateID)
	if err != nil {
		return nil, err
	}
	today := s.today()
	rows, _, err := s.store.RoundProgress(ctx, rd, today)
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
		if row.Status == reports.StatusSubmitted || row.Status == reports.StatusAccepted {
			u.SubmittedDay = submittedDay(row.SubmittedAt)
		}
		in.Units = append(in.Units, u)
	}
	if in.Plan, err = s.planResults(ctx, rd); err != nil {
		return nil, err
	}
	h, err := s.header(ctx)
	if err != nil {
		return nil, err
	}
	return &Document{Model: reportdoc.Build(in), Header: h, Today: today}, nil
}

// headerKeys are the settings the document header reads.
var headerKeys = []string{"province.name", "document.issuing_body", "document.place", "coordinator.name",
	"report.parent_body", "report.issuing_body", "report.symbol", "report.place", "report.signer_name",
	"report.signer_title", "report.recipients", "report.receivers"}

// header is the document's issuing data from the report settings, falling
// back to the deployment's general settings.
func (s *Service) header(ctx context.Context) (reportdoc.Header, error) {
	set, err := s.store.Settings(ctx, headerKeys...)
	if err != nil {
		return reportdoc.Header{}, err
	}
	get := func(key, def string) string {
		if v := set[key]; v != "" {
			return v
		}
		return def
	}
	province := get("province.name", "")
	parentDefault := get("document.issuing_body", "")
	if parentDefault == "" && province != "" {
		parentDefault = "UBND TỈNH " + province
	}
	h := reportdoc.Header{
		ParentBody:  get("report.parent_body", parentDefault),
		IssuingBody: get("report.issuing_body", get("coordinator.name", "")),
		IssuingName: get("coordinator.name", ""),
		Symbol:      get("report.symbol", "BC-SKHCN"),
		Place:       get("report.place", get("document.place", province)),
		SignerName:  get("report.signer_name", ""),
		Authority:   reportdoc.Lines(get("report.signer_title", "")),
		Recipients:  reportdoc.Lines(get("report.recipients", "")),
		Receivers:   reportdoc.Lines(get("report.receivers", "")),
	}
	if len(h.Recipients) == 0 {
		h.Recipients = []string{"Lưu: VT."}
	}
	return h, nil
}
