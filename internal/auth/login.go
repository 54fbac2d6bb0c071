package auth

import (
	"context"
	"errors"
	"time"
)

// Login failures. They are deliberately vague towards the client: a wrong
// e-mail and a wrong password give the same ErrInvalidCredentials.
var (
	ErrInvalidCredentials = errors.New("invalid e-mail or password")
	ErrLocked             = errors.New("account temporarily locked")
	ErrRateLimited        = errors.New("too many failed logins from this address")
	ErrDisabled           = errors.New("account disabled")
)

// Accounts is the storage that login needs.
type Accounts interface {
	// UserByEmail returns the user and its password hash, or a nil user
	// when no account has that e-mail.
	UserByEmail(ctx context.Context, email string) (*User, string, error)
	// RecordLoginFailure counts a failure for the address and, if the user
	// exists, for the user, locking it after lockAfter failures in a row.
	RecordLoginFailure(ctx context.Context, ip, email string, lockAfter int, lockFor time.Duration) error
	RecordLoginSuccess(ctx context.Context, userID int64) error
	LoginFailuresSince(ctx context.Context, ip string, since time.Time) (int, error)
}

// dummyHash is checked when the e-mail is unknown, so both cases take as long.
var dummyHash, _ = HashPassword("not-a-real-password")

// Login checks credentials with rate limiting and lockout shared through
// storage by every app instance.
func Login(ctx context.Context, acc Accounts, email, password, ip string) (*User, error) {
	n, err := acc.LoginFailuresSince(ctx, ip, time.Now().Add(-FailureWindow))
	if err != nil {
		return nil, err
	}
	if n >= MaxFailuresPerIP {
		return nil, ErrRateLimited
	}
	u, hash, err := acc.UserByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	if u == nil {
		_, _ = CheckPassword(dummyHash, password)
		if err := acc.RecordLoginFailure(ctx, ip, email, MaxFailedLogins, LockoutDuration); err != nil {
			return nil, err
		}
		return nil, ErrInvalidCredentials
	}
	if time.Now().Before(u.LockedUntil) {
		return nil, ErrLocked
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		if err := acc.RecordLoginFailure(ctx, ip, email, MaxFailedLogins, LockoutDuration); err != nil {
			return nil, err
		}
		return nil, ErrInvalidCredentials
	}
	if u.Disabled {
		return nil, ErrDisabled
	}
	if err := acc.RecordLoginSuccess(ctx, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}
