package reportsvc

import (
	"context"
	"errors"
	"fmt"

	"khienso/internal/progress"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/store"
)

// Templates lists the report templates, for reviewers.
func (s *Service) Templates(ctx context.Context, actor service.Actor) ([]*reports.Template, error) {
	if err := s.requireReviewer(ctx, actor); err != nil {
		return nil, err
	}
	return s.store.ReportTemplates(ctx)
}

// Template loads template id, for reviewers.
func (s *Service) Template(ctx context.Context, actor service.Actor, id int64) (*reports.Template, error) {
	if err := s.requireReviewer(ctx, actor); err != nil {
		return nil, err
	}
	return s.store.ReportTemplate(ctx, id)
}

// checkTemplate validates t's shape and its prefill formulas.
func checkTemplate(t *reports.Template) error {
	errs := t.Validate()
	errs = append(errs, progress.CheckTemplate(t)...)
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// CreateTemplate stores a new template (t.ID is set).
func (s *Service) CreateTemplate(ctx context.Context, actor service.Actor, t *reports.Template) error {
	if err := s.requireReviewer(ctx, actor); err != nil {
		return err
	}
	t.ID = 0
	if err := checkTemplate(t); err != nil {
		return err
	}
	return s.store.SaveReportTemplate(ctx, actor.Audit(), t)
}

// TemplatePatch changes a template; nil fields stay as they are.
type TemplatePatch struct {
	Name, Description *string
	Fields            *[]reports.Field
	Sections          *[]reports.Section
}

// UpdateTemplate changes template id. A template shared by several
// provinces' rounds is changed only by someone who reviews every one of
// them, so a province cannot reshape another's running rounds.
func (s *Service) UpdateTemplate(ctx context.Context, actor service.Actor, id int64, p TemplatePatch) (*reports.Template, error) {
	if err := s.requireReviewer(ctx, actor); err != nil {
		return nil, err
	}
	t, err := s.store.ReportTemplate(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.requireTemplateRounds(ctx, actor, id); err != nil {
		return nil, err
	}
	if p.Name != nil {
		t.Name = *p.Name
	}
	if p.Description != nil {
		t.Description = *p.Description
	}
	if p.Fields != nil {
		t.Fields = *p.Fields
	}
	if p.Sections != nil {
		t.Sections = *p.Sections
	}
	if err := checkTemplate(t); err != nil {
		return nil, err
	}
	if err := s.store.SaveReportTemplate(ctx, actor.Audit(), t); err != nil {
		return nil, err
	}
	return t, nil
}

// requireTemplateRounds returns nil when actor reviews every round that
// uses template id.
func (s *Service) requireTemplateRounds(ctx context.Context, actor service.Actor, id int64) error {
	list, err := s.store.Rounds(ctx, store.RoundFilter{Template: id})
	if err != nil {
		return err
	}
	for _, r := range list {
		rd, err := s.store.Round(ctx, r.ID)
		if err != nil {
			return err
		}
		if err := s.requireRound(ctx, actor, rd); errors.Is(err, service.ErrForbidden) {
			return fmt.Errorf("template %d is used by round %d: %w", id, rd.ID, ErrTemplateShared)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// RequireReviewer returns nil when actor manages report templates and
// rounds (report.review in some province), for pages that show an empty
// form before anything is saved.
func (s *Service) RequireReviewer(ctx context.Context, actor service.Actor) error {
	return s.requireReviewer(ctx, actor)
}
