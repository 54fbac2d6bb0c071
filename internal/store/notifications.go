package store

import (
	"context"
	"fmt"
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
