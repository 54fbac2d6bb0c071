package auth

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"khienso/internal/validation"
)

// User is an account. It belongs to one unit; its roles apply to that unit's
// subtree, or to the whole province for administrators and coordinators.
type User struct {
	ID                 int64     `json:"id"`
	Email              string    `json:"email"`
	Name               string    `json:"name"`
	UnitID             int64     `json:"unit_id"`
	Roles              []Role    `json:"roles"`
	MustChangePassword bool      `json:"must_change_password"`
	Disabled           bool      `json:"disabled"`
	LockedUntil        time.Time `json:"locked_until,omitzero"`
	LastLoginAt        time.Time `json:"last_login_at,omitzero"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// Normalize trims the fields, lowercases the e-mail and sorts the roles.
func (u *User) Normalize() {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.Name = strings.Join(strings.Fields(u.Name), " ")
	slices.Sort(u.Roles)
	u.Roles = slices.Compact(u.Roles)
}

// Validate checks the user's own fields.
func (u *User) Validate() error {
	var errs validation.Errors
	if a, err := mail.ParseAddress(u.Email); u.Email == "" {
		errs.Add("email", "err.required")
	} else if err != nil || a.Address != u.Email || len(u.Email) > 254 {
		errs.Add("email", "err.email")
	}
	switch {
	case !utf8.ValidString(u.Name):
		errs.Add("name", "err.encoding")
	case u.Name == "":
		errs.Add("name", "err.required")
	case utf8.RuneCountInString(u.Name) > 120:
		errs.Add("name", "err.too_long", 120)
	}
	if u.UnitID == 0 {
		errs.Add("unit_id", "err.required")
	}
	if len(u.Roles) == 0 {
		errs.Add("roles", "err.required")
	}
	for _, r := range u.Roles {
		if !r.Valid() {
			errs.Add("roles", "err.role_valid", string(r), RoleNames())
			break
		}
	}
	return errs.Err()
}

// Status is "disabled", "locked" (sign-in refused for a while after
// failures) or "active" at now.
func (u *User) Status(now time.Time) string {
	switch {
	case u.Disabled:
		return "disabled"
	case u.LockedUntil.After(now):
		return "locked"
	}
	return "active"
}

// Principal returns the request identity of u.
func (u *User) Principal() *Principal {
	return &Principal{UserID: u.ID, Email: u.Email, Name: u.Name, UnitID: u.UnitID,
		Roles: slices.Clone(u.Roles), MustChangePassword: u.MustChangePassword}
}

// Token is an API token's public description (the secret is shown once).
type Token struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	Name       string    `json:"name"`
	Prefix     string    `json:"prefix"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at,omitzero"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
}

// Status is "revoked", "expired" or "active" at now.
func (t *Token) Status(now time.Time) string {
	switch {
	case !t.RevokedAt.IsZero():
		return "revoked"
	case !t.ExpiresAt.IsZero() && !t.ExpiresAt.After(now):
		return "expired"
	}
	return "active"
}

// TokenName trims a token's name and checks it: required, at most 80
// characters.
func TokenName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", validation.Single("name", "err.required")
	case !utf8.ValidString(name):
		return "", validation.Single("name", "err.encoding")
	case utf8.RuneCountInString(name) > 80:
		return "", validation.Single("name", "err.too_long", 80)
	}
	return name, nil
}

// Session is a signed-in browser.
type Session struct {
	UserID    int64
	CSRFToken string
	ExpiresAt time.Time
}

// OwnedToken is a token with its owner, for the administrators' list.
type OwnedToken struct {
	Token
	Owner     *User  `json:"owner"`
	OwnerUnit string `json:"owner_unit_name"`
}

// Token lifetimes: a token made without an expiry lasts
// TokenDefaultLifetime; none may be asked to last longer than
// TokenMaxLifetime, so a forgotten token stops working on its own.
const (
	TokenDefaultLifetime = 90 * 24 * time.Hour
	TokenMaxLifetime     = 365 * 24 * time.Hour
)

// TokenExpiry is when a token asked to expire at asked (zero: no wish)
// and made at now stops working, or the field error on "expires_at". A
// day's grace over the maximum lets "valid through that date" ask for the
// end of the last allowed day.
func TokenExpiry(asked, now time.Time) (time.Time, error) {
	switch {
	case asked.IsZero():
		return now.Add(TokenDefaultLifetime), nil
	case !asked.After(now):
		return time.Time{}, validation.Single("expires_at", "token.err.past")
	case asked.After(now.Add(TokenMaxLifetime + 24*time.Hour)):
		return time.Time{}, validation.Single("expires_at", "token.err.too_far", int(TokenMaxLifetime/(24*time.Hour)))
	}
	return asked, nil
}
