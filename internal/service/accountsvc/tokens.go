package accountsvc

import (
	"context"
	"fmt"
	"time"

	"khienso/internal/auth"
	"khienso/internal/service"
	"khienso/internal/store"
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
// caller's rights. expires is the first instant it no longer works: zero
// means auth.TokenDefaultLifetime from now; it must lie in the future and
// within auth.TokenMaxLifetime. Errors name "name" and "expires_at".
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
	// Token times are the real clock, as the database's.
	if expires, err = auth.TokenExpiry(expires, time.Now()); err != nil {
		if errs, err = merge(errs, err); err != nil {
			return nil, err
		}
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

// TokenQuery narrows the administrators' token list.
type TokenQuery struct {
	UserID     int64 // one account; 0: all in the caller's scope
	ActiveOnly bool  // leave out revoked and expired tokens
	Limit      int
	Offset     int
}

// TokenPage is one page of the tokens of the accounts a caller manages.
type TokenPage struct {
	Items []*auth.OwnedToken
	Total int
	// Revocable marks the listed tokens the caller may revoke: those of
	// accounts whose every role the caller may give.
	Revocable map[int64]bool
}

// AllTokens lists the API tokens of the accounts in the caller's
// user.manage scope (for an administrator, their province), most recently
// used first, so that an administrator sees which tokens exist, when each
// was last used and when it expires.
func (s *Service) AllTokens(ctx context.Context, actor service.Actor, q TokenQuery) (*TokenPage, error) {
	if err := requireSomewhere(actor, auth.UserManage); err != nil {
		return nil, err
	}
	scope, ok, err := s.access.ScopeOf(ctx, actor, auth.UserManage)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, service.ErrForbidden
	}
	f := store.TokenFilter{UserID: q.UserID, Limit: q.Limit, Offset: q.Offset}
	if !scope.All {
		f.Within = scope.Root
	}
	if q.ActiveOnly {
		f.ActiveAt = time.Now()
	}
	out := &TokenPage{Revocable: map[int64]bool{}}
	if out.Items, out.Total, err = s.store.OwnedTokens(ctx, f); err != nil {
		return nil, err
	}
	for _, t := range out.Items {
		if out.Revocable[t.ID], err = s.CanManage(ctx, actor, t.Owner); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RevokeUserToken revokes any token of an account the caller manages (an
// administrator cutting off a leaked or forgotten token). A token the
// caller may not see is "not found".
func (s *Service) RevokeUserToken(ctx context.Context, actor service.Actor, id int64) error {
	if err := requireSomewhere(actor, auth.UserManage); err != nil {
		return err
	}
	owner, err := s.store.TokenOwner(ctx, id)
	if err != nil {
		return err
	}
	u, err := s.store.User(ctx, owner)
	if err != nil {
		return err
	}
	if ok, err := s.CanManage(ctx, actor, u); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("token %d: %w", id, store.ErrNotFound)
	}
	if err := s.store.RevokeToken(ctx, actor.Audit(), u.ID, id); err != nil {
		return fmt.Errorf("revoke token %d of user %d: %w", id, u.ID, err)
	}
	return nil
}
