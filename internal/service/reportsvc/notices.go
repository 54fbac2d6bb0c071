package reportsvc

import (
	"context"
	"fmt"

	"khienso/internal/auth"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/store"
)

// notices are whom a workflow step tells, written with the step: a
// submission tells the report's reviewers, a return (with the reviewer's
// comment) and an acceptance tell the unit's focal points.
func (s *Service) notices(ctx context.Context, actor service.Actor, l *loaded, unit int64, a reports.Action, comment string) ([]store.Notice, error) {
	switch a {
	case reports.ActionSubmit, reports.ActionReturn, reports.ActionAccept:
	default:
		return nil, nil
	}
	u, err := s.store.Unit(ctx, unit, s.today())
	if err != nil {
		return nil, fmt.Errorf("unit %d of a report notice: %w", unit, err)
	}
	link := fmt.Sprintf("/reports/rounds/%d/units/%d", l.round.ID, unit)
	n := store.Notice{Link: link, Email: true, Args: []string{l.round.Title, u.Name}}
	switch a {
	case reports.ActionSubmit:
		n.Key = "notif.report_submitted"
		if n.Users, err = s.reviewers(ctx, actor, l.round, unit); err != nil {
			return nil, err
		}
	case reports.ActionReturn:
		n.Key, n.Units, n.Args = "notif.report_returned", []int64{unit}, append(n.Args, comment)
	case reports.ActionAccept:
		n.Key, n.Units = "notif.report_accepted", []int64{unit}
	}
	return []store.Notice{n}, nil
}

// reviewers are the accounts that may accept or return unit's report in
// rd, by the rule that decides it (standing), other than actor.
func (s *Service) reviewers(ctx context.Context, actor service.Actor, rd *reports.Round, unit int64) ([]int64, error) {
	candidates, err := s.store.ActiveUsersWithRoles(ctx, auth.RolesFor(auth.ReportReview))
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, u := range candidates {
		if u.ID == actor.UserID() {
			continue
		}
		st, err := s.standing(ctx, service.Actor{Principal: u.Principal()}, rd, unit)
		if err != nil {
			return nil, fmt.Errorf("standing of reviewer %d: %w", u.ID, err)
		}
		if st.Reviewer {
			out = append(out, u.ID)
		}
	}
	return out, nil
}
