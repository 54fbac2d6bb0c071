package store

import (
	"context"
	"fmt"
	"strings"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/reports"
)

// manualKind is the kind of a reminder someone sent by hand on day: the
// day is part of the unique key (round, unit, kind), so a unit is reminded
// by hand at most once a day, whichever instance or click asks.
func manualKind(day dates.Date) string { return "manual:" + day.ISO() }

// ReminderTopic is the catalogue topic of a reminder kind: "manual" for the
// reminders sent by hand (whatever their day), the kind itself otherwise.
func ReminderTopic(kind string) string {
	if strings.HasPrefix(kind, "manual:") {
		return "manual"
	}
	return kind
}

// RemindUnits reminds, on day, each of units (round rd's units that have
// not submitted, as the reports service chose them) that was not reminded
// by hand that day yet: a reminder the sender e-mails (see
// ClaimReminders) and an in-app notification for each of the unit's focal
// points, with an audit entry, in one transaction. It returns how many
// units it reminded; the others had been already that day.
func (s *Store) RemindUnits(ctx context.Context, a audit.Actor, rd *reports.Round, units []int64, day dates.Date) (int, error) {
	reminded := 0
	err := s.inTx(ctx, func(tx q) error {
		reminded = 0 // a retried transaction counts again
		ts, kind := now(), manualKind(day)
		for _, unit := range units {
			res, err := tx.exec(ctx, `INSERT INTO reminders (round_id, unit_id, kind, status, created_at) VALUES (?, ?, ?, 'pending', ?)
				ON CONFLICT (round_id, unit_id, kind) DO NOTHING`, rd.ID, unit, kind, ts)
			if err != nil {
				return fmt.Errorf("remind unit %d: %w", unit, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue // reminded today already
			}
			reminded++
			users, err := tx.focalUsers(ctx, unit)
			if err != nil {
				return err
			}
			for _, u := range users {
				if _, err := tx.exec(ctx, `INSERT INTO notifications (user_id, subject, body, link, created_at) VALUES (?, ?, ?, ?, ?)`,
					u, "reminder.manual", rd.Title+"|"+rd.Deadline.ISO(), fmt.Sprintf("/reports/rounds/%d/units/%d", rd.ID, unit), ts); err != nil {
					return fmt.Errorf("notify user %d: %w", u, err)
				}
			}
		}
		if reminded == 0 {
			return nil
		}
		return tx.record(ctx, a, "remind", "report_round", rd.ID, nil, map[string]any{"title": rd.Title, "day": day.ISO(), "reminded": reminded})
	})
	return reminded, err
}
