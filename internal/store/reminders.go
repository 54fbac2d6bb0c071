package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"khienso/internal/dates"
)

// ReminderKinds, in the order they fall due: a week before the deadline,
// the day before, and the day after it passed.
var ReminderKinds = []string{"before_7", "before_1", "overdue"}

// reminderDue reports whether a reminder of kind is due on today for a
// deadline: each has a window so that a reminder missed by a stopped
// server still goes out, but a stale "7 days before" is not sent late.
func reminderDue(kind string, deadline, today dates.Date) bool {
	switch kind {
	case "before_7":
		return !today.Before(deadline.AddDays(-7)) && today.Before(deadline.AddDays(-1))
	case "before_1":
		return !today.Before(deadline.AddDays(-1)) && !today.After(deadline)
	case "overdue":
		return today.After(deadline)
	}
	return false
}

// Reminder is a reminder to send to a unit about a round.
type Reminder struct {
	ID       int64
	RoundID  int64
	Round    string
	Deadline dates.Date
	UnitID   int64
	UnitName string
	Kind     string
	Attempts int
	Emails   []string
}

// ScheduleReminders creates the reminders due today for units of open
// rounds that have not submitted, and the in-app notifications for their
// focal points. The unique key (round, unit, kind) makes this safe to run
// on every instance: a reminder is created, and notified, once. It returns
// how many were created.
func (s *Store) ScheduleReminders(ctx context.Context, today dates.Date) (int, error) {
	rows, err := s.reader().query(ctx, `SELECT r.id, r.title, r.deadline, ru.unit_id
		FROM report_rounds r JOIN report_round_units ru ON ru.round_id = r.id
		LEFT JOIN report_submissions s ON s.round_id = r.id AND s.unit_id = ru.unit_id
		WHERE r.status = 'open' AND r.deadline >= ? AND COALESCE(s.status, 'missing') IN ('missing', 'draft', 'returned')`,
		today.AddDays(-60).ISO())
	if err != nil {
		return 0, fmt.Errorf("find reminders due: %w", err)
	}
	type due struct {
		round    int64
		title    string
		deadline dates.Date
		unit     int64
		kind     string
	}
	var list []due
	for rows.Next() {
		var d due
		var deadline string
		if err := rows.Scan(&d.round, &d.title, &deadline, &d.unit); err != nil {
			rows.Close()
			return 0, err
		}
		d.deadline, _ = dates.Parse(deadline)
		for _, k := range ReminderKinds {
			if reminderDue(k, d.deadline, today) {
				d.kind = k
				list = append(list, d)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	created := 0
	for _, d := range list {
		err := s.inTx(ctx, func(tx q) error {
			ts := now()
			res, err := tx.exec(ctx, `INSERT INTO reminders (round_id, unit_id, kind, status, created_at) VALUES (?, ?, ?, 'pending', ?)
				ON CONFLICT (round_id, unit_id, kind) DO NOTHING`, d.round, d.unit, d.kind, ts)
			if err != nil {
				return fmt.Errorf("create reminder: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // another instance (or an earlier pass) made it
			}
			created++
			return tx.notify(ctx, Notice{Units: []int64{d.unit}, Key: "reminder." + d.kind,
				Args: []string{d.title, d.deadline.ISO()}, Link: fmt.Sprintf("/reports/rounds/%d", d.round)})
		})
		if err != nil {
			return created, err
		}
	}
	return created, nil
}

// focalUsers lists the active focal-point accounts of a unit.
func (x q) focalUsers(ctx context.Context, unit int64) ([]int64, error) {
	ids, err := x.ids(ctx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.unit_id = ? AND u.disabled = 0 AND r.role = 'focal_point' ORDER BY u.id`, unit)
	if err != nil {
		return nil, fmt.Errorf("focal points of unit %d: %w", unit, err)
	}
	return ids, nil
}

// ClaimReminders takes up to limit reminders to send for lease, for this
// instance: pending ones, and ones whose earlier claim expired or failed
// (up to 5 attempts). Each is claimed by a conditional update, so two
// instances never both hold one.
func (s *Store) ClaimReminders(ctx context.Context, instance string, lease time.Duration, limit int) ([]Reminder, error) {
	nowTS := now()
	ids, err := s.reader().ids(ctx, `SELECT id FROM reminders WHERE status = 'pending'
		OR (status IN ('sending', 'failed') AND claimed_until < ? AND attempts < 5) ORDER BY id LIMIT ?`, nowTS, limit)
	if err != nil {
		return nil, fmt.Errorf("find reminders to send: %w", err)
	}
	var out []Reminder
	until := FormatTime(time.Now().Add(lease))
	for _, id := range ids {
		var r Reminder
		err := s.inTx(ctx, func(tx q) error {
			res, err := tx.exec(ctx, `UPDATE reminders SET status = 'sending', claimed_by = ?, claimed_until = ?, attempts = attempts + 1
				WHERE id = ? AND (status = 'pending' OR (status IN ('sending', 'failed') AND claimed_until < ? AND attempts < 5))`,
				instance, until, id, nowTS)
			if err != nil {
				return fmt.Errorf("claim reminder %d: %w", id, err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return nil
			}
			var deadline string
			if err := tx.row(ctx, `SELECT m.id, m.round_id, r.title, r.deadline, m.unit_id, u.name, m.kind, m.attempts
				FROM reminders m JOIN report_rounds r ON r.id = m.round_id JOIN units u ON u.id = m.unit_id WHERE m.id = ?`, id).
				Scan(&r.ID, &r.RoundID, &r.Round, &deadline, &r.UnitID, &r.UnitName, &r.Kind, &r.Attempts); err != nil {
				return fmt.Errorf("load reminder %d: %w", id, err)
			}
			r.Deadline, _ = dates.Parse(deadline)
			emails, err := tx.reminderEmails(ctx, r.UnitID)
			r.Emails = emails
			return err
		})
		if err != nil {
			return out, err
		}
		if r.ID != 0 {
			out = append(out, r)
		}
	}
	return out, nil
}

// reminderEmails are the addresses of the unit's focal-point accounts and
// the focal e-mail recorded on the unit, without duplicates.
func (x q) reminderEmails(ctx context.Context, unit int64) ([]string, error) {
	rows, err := x.query(ctx, `SELECT u.email FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.unit_id = ? AND u.disabled = 0 AND r.role = 'focal_point'
		UNION SELECT focal_email FROM units WHERE id = ? AND focal_email <> ''`, unit, unit)
	if err != nil {
		return nil, fmt.Errorf("reminder recipients of unit %d: %w", unit, err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		if k := strings.ToLower(e); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out, rows.Err()
}

// FinishReminder records the outcome of sending: "sent", "failed" (to be
// retried after the lease) or "no_recipient".
func (s *Store) FinishReminder(ctx context.Context, id int64, instance, status, errText string) error {
	return s.inTx(ctx, func(tx q) error {
		var sent any
		if status == "sent" {
			sent = now()
		}
		_, err := tx.exec(ctx, `UPDATE reminders SET status = ?, last_error = ?, sent_at = ? WHERE id = ? AND claimed_by = ?`,
			status, errText, sent, id, instance)
		if err != nil {
			return fmt.Errorf("finish reminder %d: %w", id, err)
		}
		return nil
	})
}

// ReminderCounts counts reminders by status (for tests and the metrics page).
func (s *Store) ReminderCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.reader().query(ctx, "SELECT status, COUNT(*) FROM reminders GROUP BY status")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}
