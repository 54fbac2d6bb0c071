package reportsvc

import (
	"context"

	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/validation"
)

// Reminded is what reminding a round's units did: how many units were
// reminded now, and how many that had not submitted had been reminded by
// hand today already (at most once a day each).
type Reminded struct {
	Reminded, Already int
}

// RemindUnits reminds now the units of round id that have not submitted
// (nothing, a draft or a returned report): in the app for their focal
// points and by e-mail through the reminder sender. It is for whoever
// manages the round (as for opening and closing it), while it is open.
func (s *Service) RemindUnits(ctx context.Context, actor service.Actor, id int64) (*Reminded, error) {
	rd, err := s.loadRound(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if rd.Status != reports.RoundOpen {
		return nil, validation.Single("round", "report.err.round_closed")
	}
	subs, err := s.store.Submissions(ctx, id)
	if err != nil {
		return nil, err
	}
	status := map[int64]reports.Status{}
	for _, sub := range subs {
		status[sub.UnitID] = sub.Status
	}
	var awaited []int64
	for _, u := range rd.Units {
		st, ok := status[u]
		if !ok {
			st = reports.StatusMissing
		}
		if st.Awaited() {
			awaited = append(awaited, u)
		}
	}
	n, err := s.store.RemindUnits(ctx, actor.Audit(), rd, awaited, s.today())
	if err != nil {
		return nil, err
	}
	return &Reminded{Reminded: n, Already: len(awaited) - n}, nil
}
