package accountsvc

import (
	"context"
	"errors"
	"fmt"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/service"
	"khienso/internal/validation"
)

// Credentials expire by the real clock, not the service's: the store
// compares sessions, tokens and lockouts with the time of the database
// server, so a test clock must not make them born expired.

// LoginTokenLifetime is how long a token from SignInToken lasts.
const LoginTokenLifetime = 30 * 24 * time.Hour

// DefaultLoginTokenName names a token from SignInToken when the caller
// gives no name.
const DefaultLoginTokenName = "API login"

// Session is a browser session just opened.
type Session struct {
	// Token is the cookie's value; the database keeps only its hash.
	Token     string
	ExpiresAt time.Time
	User      *auth.User
}

// NewToken is an API token just made, with its secret (shown once).
type NewToken struct {
	Secret string
	Token  *auth.Token
}

// SignIn checks an e-mail and password (auth.Login: limits per address,
// per e-mail and address, and per e-mail, shared by every instance through
// the database) and opens a browser session. Failures are auth's errors
// (ErrInvalidCredentials, ErrLocked, ErrRateLimited, ErrDisabled, ErrBusy).
func (s *Service) SignIn(ctx context.Context, actor service.Actor, email, password, userAgent string) (*Session, error) {
	u, err := auth.Login(ctx, s.store, email, password, actor.IP)
	if err != nil {
		return nil, err
	}
	out := &Session{Token: auth.RandomToken(32), ExpiresAt: time.Now().Add(auth.SessionLifetime), User: u}
	sess := auth.Session{UserID: u.ID, CSRFToken: auth.RandomToken(24), ExpiresAt: out.ExpiresAt}
	if err := s.store.CreateSession(ctx, out.Token, sess, actor.IP, userAgent); err != nil {
		return nil, err
	}
	return out, nil
}

// SignInToken checks an e-mail and password as SignIn does and makes an API
// token named tokenName (DefaultLoginTokenName when empty) that lasts
// LoginTokenLifetime. The name is checked first, so a bad request costs
// no sign-in attempt. A one-time password (MustChangePassword) is
// auth.ErrPasswordChangeRequired: it must be changed on the web first.
func (s *Service) SignInToken(ctx context.Context, actor service.Actor, email, password, tokenName string) (*NewToken, *auth.User, error) {
	if tokenName == "" {
		tokenName = DefaultLoginTokenName
	}
	name, err := auth.TokenName(tokenName)
	if err != nil {
		return nil, nil, renameField(err, "name", "token_name")
	}
	u, err := auth.Login(ctx, s.store, email, password, actor.IP)
	if err != nil {
		return nil, nil, err
	}
	if u.MustChangePassword {
		return nil, nil, auth.ErrPasswordChangeRequired
	}
	// The token is the user's own doing, though they were not signed in.
	who := audit.Actor{UserID: u.ID, Label: u.Email, IP: actor.IP}
	secret, tok, err := s.store.CreateToken(ctx, who, u.ID, name, time.Now().Add(LoginTokenLifetime))
	if err != nil {
		return nil, nil, err
	}
	return &NewToken{Secret: secret, Token: tok}, u, nil
}

// SignOut ends the browser session whose cookie holds token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.store.DeleteSession(ctx, token)
}

// PasswordChange is a request to change one's own password.
type PasswordChange struct {
	Current, New string
	// Confirm is New typed again; callers that do not ask twice pass New.
	Confirm string
	// KeepSession is the caller's own session token, which stays open;
	// every other session of the account ends.
	KeepSession string
	// RevokeTokens also revokes every API token of the account.
	RevokeTokens bool
}

// ChangePassword replaces the caller's password after checking the current
// one. It also lifts "must change password": a one-time password cannot
// be kept by typing it again as the new one. Errors name "current", "new"
// and "confirm".
func (s *Service) ChangePassword(ctx context.Context, actor service.Actor, in PasswordChange) error {
	p, err := signedIn(actor)
	if err != nil {
		return err
	}
	u, hash, err := s.store.UserByEmail(ctx, p.Email)
	if err != nil {
		return err
	}
	// Guessing the current password from a stolen session counts against
	// the same limits as signing in.
	if _, err := auth.Attempt(ctx, s.store, p.Email, actor.IP); err != nil {
		return err
	}
	var errs validation.Errors
	ok, err := auth.CheckPassword(hash, in.Current)
	if errors.Is(err, auth.ErrBusy) {
		_ = s.store.Release(ctx, actor.IP, p.Email)
		return err
	}
	if !ok {
		errs.Add("current", "err.password_wrong")
	} else if err := s.store.Succeeded(ctx, actor.IP, p.Email, p.UserID); err != nil {
		return err
	}
	if err := auth.ValidatePassword("new", in.New, auth.PasswordContext{Email: u.Email, Name: u.Name, Current: in.Current}); err != nil {
		if errs, err = merge(errs, err); err != nil {
			return err
		}
	} else if in.New != in.Confirm {
		errs.Add("confirm", "err.password_mismatch")
	}
	if len(errs) > 0 {
		return errs
	}
	newHash, err := auth.HashPassword(in.New)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, actor.Audit(), p.UserID, newHash, false, in.KeepSession, in.RevokeTokens); err != nil {
		return fmt.Errorf("change password of user %d: %w", p.UserID, err)
	}
	return nil
}

// renameField reports the field errors of err under another name (the
// domain's "name" is the login request's "token_name").
func renameField(err error, from, to string) error {
	ve, ok := err.(validation.Errors)
	if !ok {
		return err
	}
	out := make(validation.Errors, len(ve))
	for i, e := range ve {
		if e.Field == from {
			e.Field = to
		}
		out[i] = e
	}
	return out
}
