package accountsvc

import (
	"context"
	"unicode/utf8"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/service"
	"khienso/internal/validation"
)

// AuditQuery filters the audit log. Empty fields do not filter.
type AuditQuery struct {
	Actor    string // part of the actor's label (an e-mail), any case
	Action   string
	Entity   string
	EntityID string
	// From and To are days (Vietnam time), both included.
	From, To      dates.Date
	Limit, Offset int
}

// maxAuditText bounds the free-text filters.
const maxAuditText = 254

// AuditLog lists the audit log, newest first, with the total count. It
// needs audit.read (administrators and coordinators) and shows what was
// done by the accounts in the caller's scope: a coordinator of one
// province does not read another province's log. The product's own
// entries (no account) are shown only where the database holds one tree.
// Nothing changes the log: it has no write here, and the database refuses
// UPDATE and DELETE on it.
func (s *Service) AuditLog(ctx context.Context, actor service.Actor, q AuditQuery) ([]audit.Entry, int, error) {
	scope, err := s.auditScope(ctx, actor)
	if err != nil {
		return nil, 0, err
	}
	var errs validation.Errors
	for _, f := range []struct{ field, val string }{{"actor", q.Actor}, {"entity_id", q.EntityID}, {"action", q.Action}, {"entity", q.Entity}} {
		if utf8.RuneCountInString(f.val) > maxAuditText {
			errs.Add(f.field, "err.too_long", maxAuditText)
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		errs.Add("to", "audit.err.order")
	}
	if len(errs) > 0 {
		return nil, 0, errs
	}
	f := audit.Filter{Actor: q.Actor, Action: q.Action, Entity: q.Entity, EntityID: q.EntityID, Limit: q.Limit, Offset: q.Offset}
	if !scope.All {
		f.Within = scope.Root
	}
	if !q.From.IsZero() {
		f.From = q.From.Start()
	}
	if !q.To.IsZero() {
		f.To = q.To.AddDays(1).Start()
	}
	return s.store.AuditLog(ctx, f)
}

// RequireAuditRead returns nil when actor may read some of the audit log
// (for a form that fails to parse before AuditLog is called).
func (s *Service) RequireAuditRead(ctx context.Context, actor service.Actor) error {
	_, err := s.auditScope(ctx, actor)
	return err
}

func (s *Service) auditScope(ctx context.Context, actor service.Actor) (service.Scope, error) {
	if err := requireSomewhere(actor, auth.AuditRead); err != nil {
		return service.Scope{}, err
	}
	scope, ok, err := s.access.ScopeOf(ctx, actor, auth.AuditRead)
	if err != nil {
		return service.Scope{}, err
	}
	if !ok {
		return service.Scope{}, service.ErrForbidden
	}
	return scope, nil
}
