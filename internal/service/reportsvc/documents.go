package reportsvc

import (
	"context"
	"errors"
	"fmt"

	"khienso/internal/dates"
	"khienso/internal/reportdoc"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/settings"
	"khienso/internal/store"
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
	h, err := s.header(ctx, rd)
	if err != nil {
		return nil, err
	}
	return &Document{Model: reportdoc.Build(in), Header: h, Today: today}, nil
}

// header is the document's issuing data: the settings of the round's
// province (falling back to the deployment's), with the round's own signer
// and recipients where it sets them.
func (s *Service) header(ctx context.Context, rd *reports.Round) (reportdoc.Header, error) {
	province, err := s.roundProvince(ctx, rd)
	if err != nil {
		return reportdoc.Header{}, err
	}
	set, err := s.store.ProvinceSettings(ctx, province)
	if err != nil {
		return reportdoc.Header{}, err
	}
	lh := set.Letterhead(settings.KindReport, rd.SignOff)
	h := reportdoc.Header{ParentBody: lh.ParentBody, IssuingBody: lh.IssuingBody, Symbol: lh.Symbol, Place: lh.Place,
		Authority: lh.Authority, SignerName: lh.SignerName, Recipients: lh.Recipients, Receivers: lh.Receivers}
	// The issuing body's line is upper-cased; running text (the appendix's
	// "(Kèm theo ... của ...)") names the coordinating agency as the
	// directory writes it.
	if set.CoordinatorID != 0 {
		if u, err := s.store.Unit(ctx, set.CoordinatorID, s.today()); err == nil {
			h.IssuingName = u.Name
		} else if !errors.Is(err, store.ErrNotFound) {
			return reportdoc.Header{}, fmt.Errorf("coordinating agency %d: %w", set.CoordinatorID, err)
		}
	}
	return h, nil
}
