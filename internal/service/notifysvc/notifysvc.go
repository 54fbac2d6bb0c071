// Package notifysvc holds the in-app notifications a user reads: the list,
// the unread count, marking them read. Every notification belongs to one
// account and only that account reads or marks it; other capabilities
// (reminders today) write them in their own transactions.
package notifysvc

import (
	"context"
	"fmt"

	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// MaxMarkIDs bounds how many notifications one call marks by id.
const MaxMarkIDs = 500

// Service is the notifications capability.
type Service struct {
	store *store.Store
}

// New returns the notifications service over st.
func New(st *store.Store) *Service { return &Service{store: st} }

// Page is one page of a user's notifications, newest first.
type Page struct {
	Items         []store.Notification
	Total, Unread int
}

// owner is the account whose notifications actor reads: notifications need
// an account, so the system actor has none either.
func owner(actor service.Actor) (int64, error) {
	if actor.Principal == nil {
		return 0, service.ErrUnauthenticated
	}
	return actor.Principal.UserID, nil
}

// List returns one page of the caller's notifications.
func (s *Service) List(ctx context.Context, actor service.Actor, limit, offset int) (*Page, error) {
	user, err := owner(actor)
	if err != nil {
		return nil, err
	}
	list, total, unread, err := s.store.NotificationPage(ctx, user, limit, offset)
	if err != nil {
		return nil, err
	}
	return &Page{Items: list, Total: total, Unread: unread}, nil
}

// UnreadCount counts the caller's unread notifications.
func (s *Service) UnreadCount(ctx context.Context, actor service.Actor) (int, error) {
	user, err := owner(actor)
	if err != nil {
		return 0, err
	}
	return s.store.UnreadNotifications(ctx, user)
}

// MarkRead marks the caller's notifications read: those of ids, or all of
// them when ids is nil. Ids that are not the caller's unread notifications
// change nothing (and say nothing about whose they are). It returns how
// many changed and how many stay unread.
func (s *Service) MarkRead(ctx context.Context, actor service.Actor, ids []int64) (marked, unread int, err error) {
	user, err := owner(actor)
	if err != nil {
		return 0, 0, err
	}
	if len(ids) > MaxMarkIDs {
		return 0, 0, validation.Single("ids", "notif.err.too_many", MaxMarkIDs)
	}
	for _, id := range ids {
		if id <= 0 {
			return 0, 0, validation.Single("ids", "api.err_id")
		}
	}
	if marked, err = s.store.MarkNotificationsReadIDs(ctx, user, ids); err != nil {
		return 0, 0, fmt.Errorf("mark notifications read: %w", err)
	}
	if unread, err = s.store.UnreadNotifications(ctx, user); err != nil {
		return 0, 0, err
	}
	return marked, unread, nil
}
