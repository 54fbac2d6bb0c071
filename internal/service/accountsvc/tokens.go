package accountsvc

import (
	"context"
	"fmt"
	"time"

	"khienso/internal/auth"
	"khienso/internal/service"
	"khienso/internal/validation"
)

// Tokens lists the caller's own API tokens, newest first, revoked and
// expired ones included (never their secrets).
func (s *Service) Tokens(ctx context.Context, actor service.Actor) ([]*auth.Token, error) {
	p, err := signedIn(actor)
	if err != nil {
		return nil, err
	}
	return s.store.Tokens(ctx, p.UserID)
}

// CreateToken makes an API token for the caller, acting with exactly the
// caller's rights. expires is the first instant it no longer works (zero:
// never); it must lie in the future. Errors name "name" and "expires_at".
// A caller still holding a one-time password gets
// auth.ErrPasswordChangeRequired.
func (s *Service) CreateToken(ctx context.Context, actor service.Actor, name string, expires time.Time) (*NewToken, error) {
	p, err := signedIn(actor)
	if err != nil {
		return nil, err
	}
	if p.MustChangePassword {
		return nil, auth.ErrPasswordChangeRequired
	}
	var errs validation.Errors
	name, err = auth.TokenName(name)
	if errs, err = merge(errs, err); err != nil {
		return nil, err
	}
	if !expires.IsZero() && !expires.After(time.Now()) {
		errs.Add("expires_at", "token.err.past")
	}
	if len(errs) > 0 {
		return nil, errs
	}
	secret, tok, err := s.store.CreateToken(ctx, actor.Audit(), p.UserID, name, expires)
	if err != nil {
		return nil, err
	}
	return &NewToken{Secret: secret, Token: tok}, nil
}

// RevokeToken revokes one of the caller's tokens. Another user's token,
// like an unknown or already revoked one, is store.ErrNotFound: nobody
// learns which tokens others hold.
func (s *Service) RevokeToken(ctx context.Context, actor service.Actor, id int64) error {
	p, err := signedIn(actor)
	if err != nil {
		return err
	}
	if err := s.store.RevokeToken(ctx, actor.Audit(), p.UserID, id); err != nil {
		return fmt.Errorf("revoke token %d of user %d: %w", id, p.UserID, err)
	}
	return nil
}
