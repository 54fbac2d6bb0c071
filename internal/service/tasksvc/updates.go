package tasksvc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"khienso/internal/activities"
	"khienso/internal/auth"
	"khienso/internal/plans"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// Rights says what an actor may do on a task besides reading it.
type Rights struct {
	// Write: change or delete the task (the plan's writers).
	Write bool
	// Report: post progress updates, recorded as ReportAs.
	Report   bool
	ReportAs int64
}

// RequireReport loads task id for a progress update by actor, refusing a
// caller who may not report on it. Forms ask it before reporting input they
// could not read, so a caller without the right is refused, not corrected.
func (s *Service) RequireReport(ctx context.Context, actor service.Actor, id int64) (*plans.Task, Rights, error) {
	t, p, err := s.Task(ctx, actor, id)
	if err != nil {
		return nil, Rights{}, err
	}
	rights, err := s.Rights(ctx, actor, t, p)
	if err != nil {
		return nil, Rights{}, err
	}
	if !rights.Report {
		return nil, Rights{}, fmt.Errorf("report on task %d: %w", id, service.ErrForbidden)
	}
	return t, rights, nil
}

// Rights tells what actor may do on task t of plan p.
func (s *Service) Rights(ctx context.Context, actor service.Actor, t *plans.Task, p *plans.Plan) (Rights, error) {
	var r Rights
	var err error
	if r.Write, err = s.isWriter(ctx, actor, p); err != nil {
		return r, err
	}
	r.ReportAs, r.Report, err = s.reporter(ctx, actor, t, r.Write)
	return r, err
}

// reporter is the unit actor reports for on t. The units that lead or
// coordinate a task report on it: actor's own unit when it is one of them
// (with task.report there), else one of them in actor's subtree (a focal
// point reporting for a unit below). The plan's writers (writer) may
// report too, as their own unit. Province-wide roles report as their own
// unit rather than speaking for an assigned unit they do not belong to.
func (s *Service) reporter(ctx context.Context, actor service.Actor, t *plans.Task, writer bool) (int64, bool, error) {
	if actor.Principal == nil {
		return 0, false, nil
	}
	own := actor.Principal.UnitID
	assigned := append(slices.Clone(t.Lead), t.Coord...)
	if slices.Contains(assigned, own) {
		ok, err := s.access.Allowed(ctx, actor, auth.TaskReport, own)
		if err != nil || ok {
			return own, ok, err
		}
	}
	if province, sub := actor.Principal.Scope(auth.TaskReport); sub && !province {
		for _, u := range assigned {
			ok, err := s.access.Allowed(ctx, actor, auth.TaskReport, u)
			if err != nil || ok {
				return u, ok, err
			}
		}
	}
	if writer {
		return own, true, nil
	}
	return 0, false, nil
}

// canReadUpdate tells whether actor may read what unit reported on a task
// (its notes, links and files): the reporting unit's readers and the
// plan's writers (writer). Another unit's progress notes are its own business.
func (s *Service) canReadUpdate(ctx context.Context, actor service.Actor, unit int64, writer bool) (bool, error) {
	if writer {
		return true, nil
	}
	return s.access.Allowed(ctx, actor, auth.ActivityRead, unit)
}

// Detail is a task as its page shows it to one actor.
type Detail struct {
	Task *plans.Task
	Plan *plans.Plan
	Rights
	// Updates are the progress reports actor may read, newest first.
	Updates []*plans.TaskUpdate
	// Activities linked to the task, of units actor may read (at most 100).
	Activities []*activities.Activity
	// Reach adds up every linked activity actor may read (all of them,
	// not only the 100 listed): how many, and the people they reached.
	Reach store.ActivitySums
}

// Detail loads task id with what actor may see and do on it.
func (s *Service) Detail(ctx context.Context, actor service.Actor, id int64) (*Detail, error) {
	t, p, err := s.Task(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	d := &Detail{Task: t, Plan: p}
	if d.Rights, err = s.Rights(ctx, actor, t, p); err != nil {
		return nil, err
	}
	if d.Updates, err = s.readableUpdates(ctx, actor, p, t.ID, d.Write); err != nil {
		return nil, err
	}
	filter := store.ActivityFilter{Task: t.ID, Limit: 100}
	scope, ok, err := s.access.ScopeOf(ctx, actor, auth.ActivityRead)
	if err != nil {
		return nil, err
	}
	if !ok {
		return d, nil
	}
	if filter.Units, err = s.access.Units(ctx, scope); err != nil {
		return nil, err
	}
	if d.Activities, _, err = s.store.Activities(ctx, filter); err != nil {
		return nil, err
	}
	if d.Reach, err = s.store.ActivitySumsOf(ctx, filter); err != nil {
		return nil, err
	}
	return d, nil
}

// Updates lists the progress reports on task id that actor may read,
// newest first.
func (s *Service) Updates(ctx context.Context, actor service.Actor, id int64) ([]*plans.TaskUpdate, error) {
	t, p, err := s.Task(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	writer, err := s.isWriter(ctx, actor, p)
	if err != nil {
		return nil, err
	}
	return s.readableUpdates(ctx, actor, p, t.ID, writer)
}

func (s *Service) readableUpdates(ctx context.Context, actor service.Actor, p *plans.Plan, task int64, writer bool) ([]*plans.TaskUpdate, error) {
	all, err := s.store.TaskUpdates(ctx, task)
	if err != nil {
		return nil, err
	}
	out := []*plans.TaskUpdate{}
	for _, u := range all {
		ok, err := s.canReadUpdate(ctx, actor, u.UnitID, writer)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, u)
		}
	}
	return out, nil
}

func (s *Service) isWriter(ctx context.Context, actor service.Actor, p *plans.Plan) (bool, error) {
	err := s.plans.RequireWrite(ctx, actor, p)
	if errors.Is(err, service.ErrForbidden) {
		return false, nil
	}
	return err == nil, err
}

// Report is a progress update as posted.
type Report struct {
	// Status is the task's new status; "" keeps the current one.
	Status plans.TaskStatus
	// Progress is the new percentage; nil keeps the current one.
	Progress *int
	Note     string
	Link     string
	// File is the evidence file's content (nil: none) and FileName the
	// name it was sent with.
	File     []byte
	FileName string
}

// AddReport records a progress update on task id by actor, with its
// evidence file, and moves the task to the reported status and progress;
// it returns the update as stored (without the file's content).
// The file is stored with the type its content shows, never the one the
// sender claimed.
func (s *Service) AddReport(ctx context.Context, actor service.Actor, id int64, in Report) (*plans.TaskUpdate, error) {
	t, rights, err := s.RequireReport(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if in.Status == "" && in.Progress == nil && strings.TrimSpace(in.Note) == "" && strings.TrimSpace(in.Link) == "" && in.File == nil {
		return nil, validation.Errors{{Field: "note", Reason: "err.required"}}
	}
	u := &plans.TaskUpdate{TaskID: t.ID, UnitID: rights.ReportAs, Status: in.Status, Progress: t.Progress, Note: in.Note, Link: in.Link}
	if u.Status == "" {
		u.Status = t.Status
	}
	if in.Progress != nil {
		u.Progress = *in.Progress
	}
	if in.File != nil {
		u.FileName = plans.EvidenceName(in.FileName)
		u.FileType = plans.EvidenceType(u.FileName, in.File)
		u.FileData = in.File
	}
	if errs := u.Validate(); len(errs) > 0 {
		return nil, errs
	}
	if err := s.store.AddTaskUpdate(ctx, actor.Audit(), u); err != nil {
		return nil, err
	}
	u.FileData = nil
	if unit, err := s.store.Unit(ctx, u.UnitID, s.Today()); err == nil {
		u.UnitName = unit.Name
	}
	if actor.Principal != nil {
		u.UserID, u.UserName = actor.Principal.UserID, actor.Principal.Name
	}
	return u, nil
}

// Evidence loads the evidence file of update id for actor: the task must
// be readable (else not found) and the update too (its unit's readers and
// the plan's writers; else forbidden).
func (s *Service) Evidence(ctx context.Context, actor service.Actor, id int64) (*plans.TaskUpdate, error) {
	if err := s.access.RequireStaff(actor); err != nil {
		return nil, err
	}
	u, err := s.store.TaskEvidence(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load task update %d: %w", id, err)
	}
	_, p, err := s.Task(ctx, actor, u.TaskID)
	if err != nil {
		return nil, err
	}
	writer, err := s.isWriter(ctx, actor, p)
	if err != nil {
		return nil, err
	}
	ok, err := s.canReadUpdate(ctx, actor, u.UnitID, writer)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("evidence of task update %d: %w", id, service.ErrForbidden)
	}
	if u.FileName == "" {
		return nil, fmt.Errorf("task update %d has no file: %w", id, store.ErrNotFound)
	}
	return u, nil
}
