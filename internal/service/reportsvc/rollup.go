package reportsvc

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/textnorm"
	"khienso/internal/validation"
)

// A province answers a round issued above it (a national round) with what
// it accepted from its own units: the figures of its answer are the sums of
// the accepted submissions of one of its own rounds of the same template
// and period, recorded with a reference to that round.

// Source is a round of the province a province's answer may be filled
// from, with how far its units got.
type Source struct {
	Round        *reports.Round
	Completeness reports.Completeness
	// Accepted counts the submissions that would be summed.
	Accepted int
	// SamePeriod tells that the round covers exactly the answered round's
	// period (rather than part of it).
	SamePeriod bool
}

// sources lists the rounds l's answer may be filled from: issued in the
// answering province, of the same template, over a period within l's
// round's; those over the same period first, then by newest deadline.
func (s *Service) sources(ctx context.Context, l *loaded) ([]Source, error) {
	list, err := s.store.Rounds(ctx, store.RoundFilter{Template: l.round.TemplateID})
	if err != nil {
		return nil, err
	}
	today := s.today()
	out := []Source{}
	for _, rd := range list {
		if ok, err := s.sourceFor(ctx, l, rd); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		_, c, err := s.store.RoundProgress(ctx, rd, today)
		if err != nil {
			return nil, err
		}
		out = append(out, Source{Round: rd, Completeness: c, Accepted: c.ByStatus[reports.StatusAccepted],
			SamePeriod: rd.From == l.round.From && rd.To == l.round.To})
	}
	slices.SortStableFunc(out, func(a, b Source) int {
		if a.SamePeriod != b.SamePeriod {
			if a.SamePeriod {
				return -1
			}
			return 1
		}
		return strings.Compare(b.Round.Deadline.ISO(), a.Round.Deadline.ISO())
	})
	return out, nil
}

// sourceFor reports whether rd may fill l's answer: another round, of the
// same template, over a period within l's round's, issued in the answering
// province.
func (s *Service) sourceFor(ctx context.Context, l *loaded, rd *reports.Round) (bool, error) {
	if rd.ID == l.round.ID || rd.TemplateID != l.round.TemplateID || rd.From.Before(l.round.From) || rd.To.After(l.round.To) {
		return false, nil
	}
	province, err := s.roundProvince(ctx, rd)
	return province == l.sub.UnitID, err
}

// fillable loads unit's answer in round for actor, who must answer for the
// province: refused otherwise, and a validation error on "round" when the
// submission is not a province's answer to a round issued above it.
func (s *Service) fillable(ctx context.Context, actor service.Actor, round, unit int64) (*loaded, reports.Standing, error) {
	l, err := s.load(ctx, actor, round, unit)
	if err != nil {
		return nil, reports.Standing{}, err
	}
	st, err := s.standing(ctx, actor, l.round, unit)
	if err != nil {
		return nil, st, err
	}
	if !st.Writer {
		return nil, st, s.refuse(ctx, actor, l.round, reports.ActionSave, unit)
	}
	if up, err := s.upward(ctx, l.round, unit); err != nil {
		return nil, st, err
	} else if !up {
		return nil, st, validation.Single("round", "report.err.fill_not_upward")
	}
	return l, st, nil
}

// Sources lists the rounds of the province that unit's answer in round may
// be filled from, for those who answer for the province.
func (s *Service) Sources(ctx context.Context, actor service.Actor, round, unit int64) ([]Source, error) {
	l, _, err := s.fillable(ctx, actor, round, unit)
	if err != nil {
		return nil, err
	}
	return s.sources(ctx, l)
}

// Fill is a province's answer to fill from one of its own rounds.
type Fill struct {
	Round, Unit int64
	// Source is the province's round whose accepted figures are summed.
	Source int64
	// Narratives replaces each section's text with the accepted
	// submissions' texts, each headed by its unit's name; without it the
	// answer keeps the text it has.
	Narratives bool
}

// FillPreview is what a fill would write, shown for confirmation.
type FillPreview struct {
	View   *SubmissionView
	Source *reports.Round
	reports.Consolidated
}

// PreviewFill computes what Fill would write, writing nothing.
func (s *Service) PreviewFill(ctx context.Context, actor service.Actor, in Fill) (*FillPreview, error) {
	l, st, err := s.fillable(ctx, actor, in.Round, in.Unit)
	if err != nil {
		return nil, err
	}
	src, c, err := s.consolidate(ctx, l, in.Source)
	if err != nil {
		return nil, err
	}
	v, err := s.view(ctx, l, st, false)
	if err != nil {
		return nil, err
	}
	return &FillPreview{View: v, Source: src, Consolidated: c}, nil
}

// consolidate checks that source may fill l's answer and sums its accepted
// submissions.
func (s *Service) consolidate(ctx context.Context, l *loaded, source int64) (*reports.Round, reports.Consolidated, error) {
	var none reports.Consolidated
	if source == 0 {
		return nil, none, validation.Single("source", "err.required")
	}
	src, err := s.store.Round(ctx, source)
	if errors.Is(err, store.ErrNotFound) {
		return nil, none, validation.Single("source", "report.err.source")
	} else if err != nil {
		return nil, none, err
	}
	if ok, err := s.sourceFor(ctx, l, src); err != nil {
		return nil, none, err
	} else if !ok {
		return nil, none, validation.Single("source", "report.err.source")
	}
	subs, err := s.store.Submissions(ctx, src.ID)
	if err != nil {
		return nil, none, err
	}
	// Narratives follow the units in the order a reader looks them up.
	slices.SortStableFunc(subs, func(a, b *reports.Submission) int { return textnorm.Compare(a.UnitName, b.UnitName) })
	c := reports.Consolidate(l.tpl, subs)
	if c.Accepted == 0 {
		return nil, none, validation.Single("source", "report.err.source_none_accepted")
	}
	return src, c, nil
}

// Fill saves unit's answer in round (the province's, to a round issued
// above it) with the accepted figures of the province's round in.Source,
// recording that round, as a draft the province then submits (a returned
// answer stays returned until submitted again). Only the province's own
// reviewers may; the round must be open and the answer not submitted.
// Errors are as Apply's, with validation errors on "source" for a round
// that may not fill it.
func (s *Service) Fill(ctx context.Context, actor service.Actor, in Fill) (*SubmissionView, error) {
	l, st, err := s.fillable(ctx, actor, in.Round, in.Unit)
	if err != nil {
		return nil, err
	}
	if l.round.Status != reports.RoundOpen {
		return nil, validation.Single("round", "report.err.round_closed")
	}
	src, c, err := s.consolidate(ctx, l, in.Source)
	if err != nil {
		return nil, err
	}
	narratives := map[string]string{}
	maps.Copy(narratives, l.sub.Narratives)
	if in.Narratives {
		maps.Copy(narratives, c.Narratives)
	}
	after, err := l.sub.Apply(l.tpl, reports.Step{Action: reports.ActionSave, Values: c.Values, Narratives: narratives},
		store.FormatTime(s.access.Now()))
	if err != nil {
		return nil, conflict(err)
	}
	after.SourceRound = src.ID
	change := store.ReportChange{Round: l.round, Before: l.sub, After: after, Action: reports.ActionFill, Comment: src.Title, OpenRound: true}
	if err := s.store.ApplyReport(ctx, actor.Audit(), change); err != nil {
		return nil, fmt.Errorf("fill unit %d in round %d from round %d: %w", in.Unit, in.Round, src.ID, conflict(err))
	}
	l.sub = after
	return s.view(ctx, l, st, false)
}
