package tasksvc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"khienso/internal/plans"
	"khienso/internal/plans/planimport"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// MaxImportSize bounds an uploaded plan document or pasted text.
const MaxImportSize = 10 << 20

// MaxImportTasks bounds the tasks one import reads or saves.
const MaxImportTasks = 1000

// ImportSource is what a reviewer sends to be read: pasted text, or a
// file (.docx, or .txt in UTF-8) when File is not nil.
type ImportSource struct {
	Text     string
	File     []byte
	FileName string
}

// ImportPhrase is one unit phrase of a lead or coordinating cell and what
// it resolved to among the plan's province's units.
type ImportPhrase struct {
	Phrase string
	// Group is a planimport.Group* key when the phrase names a set of
	// units ("UBND các xã, phường"), else "".
	Group   string
	UnitIDs []int64
	// Suggestions are the closest units when nothing matched, best first
	// (at most 3).
	Suggestions []int64
}

// ImportRow is one task read from the plan, with the units and timeframe
// proposed for it.
type ImportRow struct {
	Line          int // where the task starts (line of text, or table row of a DOCX)
	Inherited     bool
	Notes         []planimport.Note
	TimeframeText string
	LeadPhrases   []ImportPhrase
	CoordPhrases  []ImportPhrase
	// Task is the proposal: content, cells as written, matched units and
	// timeframe (Kind "" when the cell was not understood).
	Task *plans.Task
}

// ImportReview is a parsed task table waiting for review; nothing is saved.
type ImportReview struct {
	Plan *plans.Plan
	Rows []ImportRow
	// Units are those the tasks may be assigned to (see Service.Units).
	Units []store.DirectoryUnit
	// Unmatched counts the phrases that resolved to no unit, Inherited
	// the rows whose cells were copied from the row above.
	Unmatched, Inherited int
}

// Matching matches unit phrases of plan p against its province's units.
type Matching struct {
	Plan *plans.Plan
	// Units are those the tasks may be assigned to (see Service.Units).
	Units []store.DirectoryUnit
	m     *planimport.Matcher
}

// Matching prepares the matching of phrases for an import into plan
// planID, which actor must be able to write.
func (s *Service) Matching(ctx context.Context, actor service.Actor, planID int64) (*Matching, error) {
	p, err := s.Writable(ctx, actor, planID)
	if err != nil {
		return nil, err
	}
	return s.matching(ctx, p)
}

func (s *Service) matching(ctx context.Context, p *plans.Plan) (*Matching, error) {
	dir, err := s.Units(ctx, p)
	if err != nil {
		return nil, err
	}
	cands := make(planimport.Directory, 0, len(dir))
	for _, u := range dir {
		cands = append(cands, planimport.Candidate{ID: u.ID, Name: u.Name, ShortName: u.ShortName, Type: u.Type, Closed: u.Closed})
	}
	return &Matching{Plan: p, Units: dir, m: planimport.NewMatcher(cands)}, nil
}

// Match splits a lead or coordinating cell into phrases and resolves them.
func (m *Matching) Match(cell string) []ImportPhrase {
	if strings.TrimSpace(cell) == "" {
		return nil
	}
	var out []ImportPhrase
	for _, mt := range m.m.Match(cell) {
		ph := ImportPhrase{Phrase: mt.Phrase, Group: mt.Group, UnitIDs: mt.UnitIDs}
		if len(mt.Suggestions) > 3 {
			mt.Suggestions = mt.Suggestions[:3]
		}
		ph.Suggestions = mt.Suggestions
		out = append(out, ph)
	}
	return out
}

// unitsOf are the distinct units phrases resolved to, in order.
func unitsOf(list []ImportPhrase) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, ph := range list {
		for _, id := range ph.UnitIDs {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// ParseImport reads the task table of src for plan planID and proposes
// units and timeframes for each task. Unreadable input is a validation
// error on "file" (an upload) or "text".
func (s *Service) ParseImport(ctx context.Context, actor service.Actor, planID int64, src ImportSource) (*ImportReview, error) {
	m, err := s.Matching(ctx, actor, planID)
	if err != nil {
		return nil, err
	}
	release, err := s.access.Imports.Enter(ctx, actor.UserID(), false)
	if err != nil {
		return nil, err
	}
	defer release()
	tasks, err := parseSource(src)
	if err != nil {
		return nil, err
	}
	rv := &ImportReview{Plan: m.Plan, Units: m.Units}
	for _, t := range tasks {
		row := ImportRow{Line: t.Line, Inherited: t.Inherited, Notes: t.Notes, TimeframeText: t.TimeframeText,
			LeadPhrases: m.Match(t.LeadText), CoordPhrases: m.Match(t.CoordText)}
		task := &plans.Task{PlanID: m.Plan.ID, Section: t.Section, Number: t.Number, Content: t.Content,
			LeadText: t.LeadText, CoordText: t.CoordText, Status: plans.TaskNotStarted,
			Lead: unitsOf(row.LeadPhrases), Coord: unitsOf(row.CoordPhrases)}
		timeframeOf(t.Timeframe, m.Plan, task)
		row.Task = task
		rv.Rows = append(rv.Rows, row)
		for _, ph := range append(append([]ImportPhrase{}, row.LeadPhrases...), row.CoordPhrases...) {
			if len(ph.UnitIDs) == 0 {
				rv.Unmatched++
			}
		}
		if t.Inherited {
			rv.Inherited++
		}
	}
	return rv, nil
}

// parseSource reads the tasks of a text or a file.
func parseSource(src ImportSource) ([]planimport.Task, error) {
	field := "text"
	var tasks []planimport.Task
	var err error
	switch {
	case src.File != nil:
		field = "file"
		if len(src.File) > MaxImportSize {
			return nil, validation.Errors{{Field: field, Reason: "planimp.err.too_large", Args: []any{MaxImportSize >> 20}}}
		}
		switch strings.ToLower(filepath.Ext(src.FileName)) {
		case ".docx":
			tasks, err = planimport.ParseDOCX(bytes.NewReader(src.File), int64(len(src.File)))
		case ".txt", ".text", "":
			tasks, err = planimport.ParseTextFile(src.File)
		default:
			return nil, validation.Errors{{Field: field, Reason: "planimp.err.file_type"}}
		}
	case len(src.Text) > MaxImportSize:
		return nil, validation.Errors{{Field: field, Reason: "planimp.err.too_large", Args: []any{MaxImportSize >> 20}}}
	default:
		tasks, err = planimport.ParseText(src.Text)
	}
	var pe *planimport.Error
	switch {
	case errors.As(err, &pe):
		return nil, validation.Errors{pe.FieldError(field)}
	case err != nil:
		return nil, validation.Errors{{Field: field, Reason: "planimp.err.read"}}
	case len(tasks) > MaxImportTasks:
		return nil, validation.Errors{{Field: field, Reason: "planimp.err.too_many", Args: []any{MaxImportTasks}}}
	}
	return tasks, nil
}

// timeframeOf sets t's timeframe from a parsed cell; a year range open at
// its end ("from 2023 on") runs until the plan ends, and a yearly deadline
// ("Tháng 12 hằng năm") is a due date in a plan of one year (in a plan of
// several the task is yearly: the table keeps one deadline per task).
func timeframeOf(tf planimport.Timeframe, p *plans.Plan, t *plans.Task) {
	switch tf.Kind {
	case planimport.KindContinuous:
		t.Kind = plans.TimeContinuous
	case planimport.KindYearly:
		t.Kind = plans.TimeYearly
		if p.YearFrom == p.YearTo {
			if d := tf.DueIn(p.YearFrom); !d.IsZero() {
				t.Kind, t.Due = plans.TimeDue, d
			}
		}
	case planimport.KindRange:
		t.Kind, t.YearFrom, t.YearTo = plans.TimeRange, tf.FromYear, tf.ToYear
		if t.YearTo == 0 {
			t.YearTo = max(p.YearTo, tf.FromYear)
		}
	case planimport.KindDue:
		t.Kind, t.Due = plans.TimeDue, tf.Due
	}
}

// ApplyImport saves the reviewed tasks into plan planID's task table, all
// or nothing, after the tasks already there. Errors name the task by its index in
// list: "tasks.0.lead".
func (s *Service) ApplyImport(ctx context.Context, actor service.Actor, planID int64, list []*plans.Task) error {
	p, err := s.Writable(ctx, actor, planID)
	if err != nil {
		return err
	}
	switch {
	case len(list) == 0:
		return validation.Errors{{Field: "tasks", Reason: "planimp.err.nothing"}}
	case len(list) > MaxImportTasks:
		return validation.Errors{{Field: "tasks", Reason: "planimp.err.too_many", Args: []any{MaxImportTasks}}}
	}
	in, err := s.provinceUnits(ctx, p)
	if err != nil {
		return err
	}
	var errs validation.Errors
	for i, t := range list {
		t.ID, t.PlanID = 0, p.ID
		if t.Status == "" {
			t.Status = plans.TaskNotStarted
		}
		for _, e := range append(t.Validate(), unitErrors(in, t)...) {
			e.Field = fmt.Sprintf("tasks.%d.%s", i, e.Field)
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	if err := s.store.CreateTasks(ctx, actor.Audit(), p.ID, list); err != nil {
		return err
	}
	for _, t := range list {
		t.PlanTitle = p.Title
	}
	return nil
}
