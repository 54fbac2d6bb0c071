package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"khienso/internal/auth"
	"khienso/internal/dates"
)

// Notification is an in-app message to a user. Subject is a catalogue key
// and Body its arguments joined by "|", so each reader sees their language.
type Notification struct {
	ID        int64
	Subject   string
	Body      string
	Link      string
	CreatedAt string
	Read      bool
}

// Notifications lists a user's latest notifications and the unread count.
func (s *Store) Notifications(ctx context.Context, user int64, limit int) ([]Notification, int, error) {
	list, _, unread, err := s.NotificationPage(ctx, user, limit, 0)
	return list, unread, err
}

// NotificationPage lists one page of a user's notifications, newest first,
// with the total and the unread count.
func (s *Store) NotificationPage(ctx context.Context, user int64, limit, offset int) (list []Notification, total, unread int, err error) {
	r := s.reader()
	rows, err := r.query(ctx, `SELECT id, subject, body, link, created_at, read_at IS NOT NULL FROM notifications
		WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, user, limit, max(offset, 0))
	if err != nil {
		return nil, 0, 0, fmt.Errorf("notifications of user %d: %w", user, err)
	}
	for rows.Next() {
		var n Notification
		if err := rows.Scan(&n.ID, &n.Subject, &n.Body, &n.Link, &n.CreatedAt, &n.Read); err != nil {
			rows.Close()
			return nil, 0, 0, err
		}
		list = append(list, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, 0, err
	}
	err = r.row(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0)
		FROM notifications WHERE user_id = ?`, user).Scan(&total, &unread)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("count notifications of user %d: %w", user, err)
	}
	return list, total, unread, nil
}

// UnreadNotifications counts a user's unread notifications.
func (s *Store) UnreadNotifications(ctx context.Context, user int64) (int, error) {
	var n int
	err := s.reader().row(ctx, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", user).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("unread notifications of user %d: %w", user, err)
	}
	return n, nil
}

// MarkNotificationsReadIDs marks read those of ids that are the user's
// unread notifications (every unread one when ids is nil) and returns how
// many changed. Another user's ids change nothing.
func (s *Store) MarkNotificationsReadIDs(ctx context.Context, user int64, ids []int64) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx q) error {
		query := "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL"
		args := []any{now(), user}
		if ids != nil {
			if len(ids) == 0 {
				return nil
			}
			query += " AND id IN (" + placeholders(len(ids)) + ")"
			for _, id := range ids {
				args = append(args, id)
			}
		}
		res, err := tx.exec(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("mark notifications of user %d read: %w", user, err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// Notice is a notification to write with the change that causes it, in
// the change's transaction, so a step is never stored without its notice
// nor a notice without its step.
type Notice struct {
	// Users are the accounts told; Units adds the active focal points of
	// each unit, looked up inside the transaction.
	Users []int64
	Units []int64
	// Key is the message's catalogue key and Args its arguments.
	Key  string
	Args []string
	Link string
	// Email asks the e-mail pass to send it too (when mail is on);
	// reminders send their own e-mails and leave it false.
	Email bool
}

// notifySep joins a notice's arguments in the body; an argument holding it
// (a reviewer's comment) gets a look-alike so it stays one argument.
const notifySep = "|"

// notify writes notices, each once per recipient.
func (x q) notify(ctx context.Context, notices ...Notice) error {
	ts := now()
	for _, n := range notices {
		seen := map[int64]bool{}
		users := slices.Clone(n.Users)
		for _, unit := range n.Units {
			focal, err := x.focalUsers(ctx, unit)
			if err != nil {
				return err
			}
			users = append(users, focal...)
		}
		args := make([]string, len(n.Args))
		for i, a := range n.Args {
			args[i] = strings.ReplaceAll(a, notifySep, "｜")
		}
		status := "none"
		if n.Email {
			status = "pending"
		}
		for _, u := range users {
			if seen[u] {
				continue
			}
			seen[u] = true
			if _, err := x.exec(ctx, `INSERT INTO notifications (user_id, subject, body, link, created_at, email_status) VALUES (?, ?, ?, ?, ?, ?)`,
				u, n.Key, strings.Join(args, notifySep), n.Link, ts, status); err != nil {
				return fmt.Errorf("notify user %d: %w", u, err)
			}
		}
	}
	return nil
}

// Notify writes notices in tx.
func (tx *Tx) Notify(ctx context.Context, notices ...Notice) error { return tx.notify(ctx, notices...) }

// NotificationEmail is a notification claimed for e-mailing.
type NotificationEmail struct {
	Notification
	UserID   int64
	Email    string
	Name     string
	Disabled bool
	Attempts int
}

// emailClaimable is the condition of a notification another instance may
// take: pending, or a claim that expired or failed, up to 5 attempts.
const emailClaimable = `(email_status = 'pending' OR (email_status IN ('sending', 'failed') AND claimed_until < ? AND attempts < 5))`

// ClaimNotificationEmails takes up to limit notifications to e-mail for
// lease, for this instance. Each is claimed by a conditional update, so
// two instances never both hold one.
func (s *Store) ClaimNotificationEmails(ctx context.Context, instance string, lease time.Duration, limit int) ([]NotificationEmail, error) {
	nowTS := now()
	ids, err := s.reader().ids(ctx, `SELECT id FROM notifications WHERE `+emailClaimable+` ORDER BY id LIMIT ?`, nowTS, limit)
	if err != nil {
		return nil, fmt.Errorf("find notifications to e-mail: %w", err)
	}
	until := FormatTime(time.Now().Add(lease))
	var out []NotificationEmail
	for _, id := range ids {
		var n NotificationEmail
		err := s.inTx(ctx, func(tx q) error {
			res, err := tx.exec(ctx, `UPDATE notifications SET email_status = 'sending', claimed_by = ?, claimed_until = ?, attempts = attempts + 1
				WHERE id = ? AND `+emailClaimable, instance, until, id, nowTS)
			if err != nil {
				return fmt.Errorf("claim notification %d: %w", id, err)
			}
			if k, _ := res.RowsAffected(); k != 1 {
				return nil // another instance took it
			}
			return tx.row(ctx, `SELECT n.id, n.subject, n.body, n.link, n.created_at, n.read_at IS NOT NULL, n.user_id, u.email, u.name, u.disabled <> 0, n.attempts
				FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id = ?`, id).
				Scan(&n.ID, &n.Subject, &n.Body, &n.Link, &n.CreatedAt, &n.Read, &n.UserID, &n.Email, &n.Name, &n.Disabled, &n.Attempts)
		})
		if err != nil {
			return out, fmt.Errorf("claim notification %d: %w", id, err)
		}
		if n.ID != 0 {
			out = append(out, n)
		}
	}
	return out, nil
}

// FinishNotificationEmail records the outcome of e-mailing a claimed
// notification: "sent", "failed" (retried after the lease), "rejected" or
// "none" (no one to send it to).
func (s *Store) FinishNotificationEmail(ctx context.Context, id int64, instance, status, errText string) error {
	var sent any
	if status == "sent" {
		sent = now()
	}
	_, err := s.writer().exec(ctx, `UPDATE notifications SET email_status = ?, email_error = ?, emailed_at = ? WHERE id = ? AND claimed_by = ?`,
		status, truncate(errText, 500), sent, id, instance)
	if err != nil {
		return fmt.Errorf("finish notification e-mail %d: %w", id, err)
	}
	return nil
}

// SkipNotificationEmails marks 'none' the pending e-mails: called when
// e-mail is off, so none waits to go out days later, out of its moment,
// once mail is switched on (the notification stays in the app). It
// returns how many it marked.
func (s *Store) SkipNotificationEmails(ctx context.Context) (int, error) {
	res, err := s.writer().exec(ctx, "UPDATE notifications SET email_status = 'none' WHERE email_status = 'pending'")
	if err != nil {
		return 0, fmt.Errorf("skip notification e-mails: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// NotificationEmailCounts counts notifications by e-mail status (tests,
// metrics).
func (s *Store) NotificationEmailCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.reader().query(ctx, "SELECT email_status, COUNT(*) FROM notifications GROUP BY email_status")
	if err != nil {
		return nil, fmt.Errorf("count notification e-mails: %w", err)
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

// ActiveUsersWithRoles lists the enabled accounts holding one of roles,
// with their roles: the candidates a service narrows to those a
// notification is for (a report's reviewers).
func (s *Store) ActiveUsersWithRoles(ctx context.Context, roles []auth.Role) ([]*auth.User, error) {
	if len(roles) == 0 {
		return nil, nil
	}
	args := make([]any, len(roles))
	for i, r := range roles {
		args[i] = string(r)
	}
	r := s.reader()
	rows, err := r.queryMany(ctx, len(roles), "SELECT "+userCols+` FROM users u WHERE u.disabled = 0
		AND u.id IN (SELECT user_id FROM user_roles WHERE role IN (`+placeholders(len(roles))+")) ORDER BY u.id", args...)
	if err != nil {
		return nil, fmt.Errorf("users with roles %v: %w", roles, err)
	}
	var out []*auth.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, r.loadRoles(ctx, out...)
}

// TaskNoticeKinds: a task with a due day is told about from soon days
// before it ("due_soon") and, once, after it passed ("overdue").
var TaskNoticeKinds = []string{"due_soon", "overdue"}

// DueTask is an unfinished task of a plan in effect whose due day calls
// for a notice of Kind today.
type DueTask struct {
	TaskID  int64
	Content string
	Due     dates.Date
	Kind    string
	Units   []int64 // lead and coordinating units
}

// DueTasks lists the unfinished tasks of plans in effect due within soon
// days of today or overdue (by at most 60 days, so that a first run does
// not tell of years-old deadlines), each with the notice kind due.
func (s *Store) DueTasks(ctx context.Context, today dates.Date, soon int) ([]DueTask, error) {
	rows, err := s.reader().query(ctx, `SELECT t.id, t.content, t.due_on, tu.unit_id FROM tasks t
		JOIN plans p ON p.id = t.plan_id JOIN task_units tu ON tu.task_id = t.id
		WHERE t.timeframe_kind = 'due' AND t.status IN ('not_started', 'in_progress') AND p.status = 'in_effect'
		AND t.due_on >= ? AND t.due_on <= ? ORDER BY t.id, tu.unit_id`,
		today.AddDays(-60).ISO(), today.AddDays(soon).ISO())
	if err != nil {
		return nil, fmt.Errorf("find tasks due: %w", err)
	}
	defer rows.Close()
	var out []DueTask
	for rows.Next() {
		var d DueTask
		var due string
		var unit int64
		if err := rows.Scan(&d.TaskID, &d.Content, &due, &unit); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].TaskID == d.TaskID {
			out[n-1].Units = append(out[n-1].Units, unit)
			continue
		}
		if d.Due, err = dates.Parse(due); err != nil {
			return nil, fmt.Errorf("due day of task %d: %w", d.TaskID, err)
		}
		d.Kind = "due_soon"
		if today.After(d.Due) {
			d.Kind = "overdue"
		}
		d.Units = []int64{unit}
		out = append(out, d)
	}
	return out, rows.Err()
}

// NotifyTaskDue records that task's notice of kind for its due day was
// made and writes n with it, in one transaction. The unique key makes it
// safe on every instance: it reports false, writing nothing, when the
// notice was made before.
func (s *Store) NotifyTaskDue(ctx context.Context, d DueTask, n Notice) (bool, error) {
	made := false
	err := s.inTx(ctx, func(tx q) error {
		res, err := tx.exec(ctx, `INSERT INTO task_notices (task_id, kind, due_on, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (task_id, kind, due_on) DO NOTHING`, d.TaskID, d.Kind, d.Due.ISO(), now())
		if err != nil {
			return fmt.Errorf("record notice of task %d: %w", d.TaskID, err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil
		}
		made = true
		return tx.notify(ctx, n)
	})
	return made, err
}
