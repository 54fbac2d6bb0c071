package auth

import (
	"context"
	"errors"
	"time"
)

// Login failures. They are deliberately vague towards the client: a wrong
// e-mail and a wrong password give the same ErrInvalidCredentials, and the
// counters are kept by the e-mail as typed, so a locked account and an
// unknown e-mail answer alike (ErrLocked).
var (
	ErrInvalidCredentials = errors.New("invalid e-mail or password")
	ErrLocked             = errors.New("too many failed sign-ins for this e-mail")
	ErrRateLimited        = errors.New("too many failed logins from this address")
	ErrDisabled           = errors.New("account disabled")
	// ErrPasswordChangeRequired: the password was right but is a one-time
	// one; no API token is given for it, or a leaked one-time password
	// would last as long as the token.
	ErrPasswordChangeRequired = errors.New("the password must be changed first")
)

// Sign-in limits. Failures count per (e-mail, address), so one address
// cannot lock the owner out from elsewhere; per address, whatever the
// e-mail; and per e-mail across addresses at a slower rate, which an address
// the account signed in from recently passes.
const (
	MaxFailuresPerPair    = 5
	PairWindow            = 15 * time.Minute
	MaxFailuresPerIP      = 20
	FailureWindow         = 15 * time.Minute
	MaxFailuresPerAccount = 50
	AccountWindow         = time.Hour
	KnownAddressFor       = 30 * 24 * time.Hour
	SessionLifetime       = 12 * time.Hour
)

// LoginCount is what the storage counted for an attempt (this one
// included) in each window.
type LoginCount struct {
	Address, Pair, Account int
	KnownAddress           bool // the account signed in from this address within KnownAddressFor
}

// Accounts is the storage that login needs. Every counter is shared by the
// app instances through the database and counted atomically.
type Accounts interface {
	// UserByEmail returns the user and its password hash, or a nil user
	// when no account has that e-mail.
	UserByEmail(ctx context.Context, email string) (*User, string, error)
	// ReserveAttempt counts the attempt as a failure before its password
	// is checked; Succeeded takes it back and remembers the address;
	// Release takes it back when the password could not be checked.
	ReserveAttempt(ctx context.Context, ip, email string) (LoginCount, error)
	Succeeded(ctx context.Context, ip, email string, userID int64) error
	Release(ctx context.Context, ip, email string) error
	// LockAccount shows the account as locked until t (the account-wide
	// limit was passed).
	LockAccount(ctx context.Context, email string, until time.Time) error
}

// dummyHash is checked when the e-mail is unknown, so both cases take as long.
var dummyHash, _ = HashPassword("not-a-real-password")

// Login checks credentials against the limits above.
func Login(ctx context.Context, acc Accounts, email, password, ip string) (*User, error) {
	if _, err := Attempt(ctx, acc, email, ip); err != nil {
		return nil, err
	}
	u, hash, err := acc.UserByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	if u == nil {
		hash = dummyHash
	}
	ok, err := CheckPassword(hash, password)
	if errors.Is(err, ErrBusy) {
		_ = acc.Release(ctx, ip, email)
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if !ok || u == nil {
		return nil, ErrInvalidCredentials
	}
	if u.Disabled {
		return nil, ErrDisabled
	}
	if err := acc.Succeeded(ctx, ip, email, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}

// Attempt reserves one password check for email from ip, or refuses it:
// ErrRateLimited when the address passed its limit, ErrLocked when the
// (e-mail, address) pair did, or the e-mail did from an unknown address.
// Checks of a current password (changing one's password) go through it
// too, and end with Succeeded or stay counted.
func Attempt(ctx context.Context, acc Accounts, email, ip string) (LoginCount, error) {
	c, err := acc.ReserveAttempt(ctx, ip, email)
	if err != nil {
		return c, err
	}
	switch {
	case c.Address > MaxFailuresPerIP:
		return c, ErrRateLimited
	case c.Pair > MaxFailuresPerPair:
		return c, ErrLocked
	case c.Account > MaxFailuresPerAccount && !c.KnownAddress:
		if c.Account == MaxFailuresPerAccount+1 {
			if err := acc.LockAccount(ctx, email, time.Now().Add(AccountWindow)); err != nil {
				return c, err
			}
		}
		return c, ErrLocked
	}
	return c, nil
}
