package activitysvc

import (
	"bytes"
	"context"
	"errors"
	"io"

	"khienso/internal/activities"
	"khienso/internal/auth"
	"khienso/internal/service"
	"khienso/internal/store"
)

// ImportResult is the outcome of an import: how many rows the file had,
// how many were invalid and how many activities were written, and the
// report of every problem by row and column.
type ImportResult struct {
	Rows    int
	Invalid int
	Written int
	// Rejected: nothing was written (some row was invalid and the caller
	// did not ask to skip invalid rows, or the file could not be read).
	Rejected bool
	// Unreadable: the file itself is wrong (not a spreadsheet, missing
	// columns…); Issues say why.
	Unreadable bool
	Issues     activities.Report
	// Filename is the file's name as reports show it (service.FileName).
	Filename string
}

// Import reads a file of activities (XLSX or CSV, see activities.ParseFile)
// and checks every row: each unit code must name a unit actor records
// for. With any invalid row nothing is written unless skipInvalid, in which
// case the valid rows are; what is written is written in one transaction.
func (s *Service) Import(ctx context.Context, actor service.Actor, filename string, file io.Reader, skipInvalid bool) (*ImportResult, error) {
	if err := s.RequireWriter(actor); err != nil {
		return nil, err
	}
	release, err := s.access.Imports.Enter(ctx, actor.UserID(), false)
	if err != nil {
		return nil, err
	}
	defer release()
	res := &ImportResult{Filename: service.FileName(filename)}
	sheet, err := activities.ParseFile(filename, file)
	var rep activities.Report
	if errors.As(err, &rep) {
		res.Unreadable, res.Rejected, res.Issues = true, true, rep
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	resolve, lookupErr := s.importResolver(ctx, actor)
	valid, rep := activities.ReadRows(sheet, resolve, s.access.Today())
	if *lookupErr != nil {
		return nil, *lookupErr
	}
	res.Rows, res.Invalid, res.Issues = len(sheet.Rows), rep.InvalidRows(), rep
	if len(rep) > 0 && !skipInvalid {
		res.Rejected = true
		return res, nil
	}
	list := make([]*activities.Activity, len(valid))
	for i, p := range valid {
		list[i] = p.Activity
	}
	if len(list) > 0 {
		if err := s.store.CreateActivities(ctx, actor.Audit(), list); err != nil {
			return nil, err
		}
	}
	res.Written = len(list)
	return res, nil
}

// importResolver resolves unit codes once each, against today's directory
// and actor's write scope; a failed lookup is kept in the returned error.
func (s *Service) importResolver(ctx context.Context, actor service.Actor) (activities.Resolver, *error) {
	type resolved struct {
		id     int64
		reason string
		args   []string
	}
	cache := map[string]resolved{}
	var lookupErr error
	return func(code string) (int64, string, []string) {
		if c, ok := cache[code]; ok {
			return c.id, c.reason, c.args
		}
		var res resolved
		u, err := s.store.UnitByCode(ctx, code, s.access.Today())
		switch {
		case errors.Is(err, store.ErrNotFound):
			res = resolved{reason: "unit.err.code_unknown", args: []string{code}}
		case err != nil:
			lookupErr = err
			res = resolved{reason: "err.internal"}
		default:
			ok, err := s.access.Allowed(ctx, actor, auth.ActivityWrite, u.ID)
			if err != nil {
				lookupErr = err
			}
			res = resolved{id: u.ID}
			if !ok {
				res.reason = "err.out_of_scope"
			}
		}
		cache[code] = res
		return res.id, res.reason, res.args
	}, &lookupErr
}

// Template is the import template (XLSX) for actor.
func (s *Service) Template(actor service.Actor) ([]byte, error) {
	if err := s.RequireWriter(actor); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := activities.Template(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
