// Package accountsweb is the web front of accounts: signing in and out,
// the language switch, one's own account, password and API tokens, the
// users pages, the audit log, and their JSON API. Every rule lives in
// accountsvc; handlers parse, call one service method and render.
package accountsweb

import (
	"embed"
	"errors"
	"net/http"
	"time"

	"khienso/internal/service/accountsvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

//go:embed templates
var templateFS embed.FS

// handler serves the accounts pages and API.
type handler struct {
	*web.Server
	svc *accountsvc.Service
}

// Register adds the accounts pages, their templates and API routes to s.
func Register(s *web.Server, svc *accountsvc.Service) error {
	if err := s.AddPages(templateFS, "templates"); err != nil {
		return err
	}
	h := &handler{Server: s, svc: svc}
	s.Handle("GET /lang", h.switchLang)
	s.Handle("GET /login", h.loginPage)
	s.Handle("POST /login", h.loginSubmit)
	s.Handle("POST /logout", h.logout)
	s.Handle("GET /account", h.accountPage)
	s.Handle("GET /account/password", h.passwordPage)
	s.Handle("POST /account/password", h.passwordSubmit)
	s.Handle("GET /account/tokens", h.tokenPage)
	s.Handle("POST /account/tokens", h.tokenCreate)
	s.Handle("POST /account/tokens/{id}/revoke", h.tokenRevoke)
	s.Handle("GET /users", h.userListPage)
	s.Handle("GET /users/new", h.userNewPage)
	s.Handle("POST /users/new", h.userNewSubmit)
	s.Handle("GET /users/{id}/edit", h.userEditPage)
	s.Handle("POST /users/{id}/edit", h.userEditSubmit)
	s.Handle("POST /users/{id}/password", h.userPasswordReset)
	s.Handle("GET /audit", h.auditPage)

	s.HandleAPI("POST /api/v1/auth/login", h.apiLogin)
	s.HandleAPI("GET /api/v1/me", h.apiMe)
	s.HandleAPI("POST /api/v1/me/password", h.apiMePassword)
	s.HandleAPI("GET /api/v1/users", h.apiUserList)
	s.HandleAPI("POST /api/v1/users", h.apiUserCreate)
	s.HandleAPI("GET /api/v1/users/{id}", h.apiUserGet)
	s.HandleAPI("PATCH /api/v1/users/{id}", h.apiUserPatch)
	s.HandleAPI("POST /api/v1/users/{id}/password-reset", h.apiUserPasswordReset)
	s.HandleAPI("GET /api/v1/tokens", h.apiTokenList)
	s.HandleAPI("POST /api/v1/tokens", h.apiTokenCreate)
	s.HandleAPI("DELETE /api/v1/tokens/{id}", h.apiTokenRevoke)
	s.HandleAPI("GET /api/v1/audit", h.apiAuditLog)
	return nil
}

// The core's cookie names (internal/web/middleware.go). TODO(split): the
// core should export opening and closing a session and setting the
// language, so that these names and the __Host- rule live in one place.
const (
	sessionCookie = "ks_session"
	preCSRFCookie = "ks_csrf" // the double-submit token of forms shown before sign-in
	langCookie    = "ks_lang"
)

// cookieName is base with the __Host- prefix when cookies are Secure, as
// the core names them.
func (s *handler) cookieName(base string) string {
	if s.Config().SecureCookies {
		return "__Host-" + base
	}
	return base
}

// setCookie sets (maxAge > 0), keeps for the browser session (0) or
// deletes (< 0) a cookie, with the core's attributes.
func (s *handler) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	secure := s.Config().SecureCookies
	c := &http.Cookie{Name: s.cookieName(name), Value: value, Path: "/", HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
	switch {
	case maxAge < 0:
		c.MaxAge = -1
	case maxAge > 0:
		c.MaxAge = int(maxAge.Seconds())
	}
	http.SetCookie(w, c)
}

// session is the caller's session token when they are signed in by a
// session cookie ("" for API tokens and anonymous callers).
func (s *handler) session(r *http.Request) string {
	p := web.Principal(r)
	if p == nil || p.ViaToken {
		return ""
	}
	c, err := r.Cookie(s.cookieName(sessionCookie))
	if err != nil {
		return ""
	}
	return c.Value
}

// refusalFields is the field list of a refused request (a unit out of
// scope, a role not granted), or nil.
func refusalFields(err error) validation.Errors {
	var ref *accountsvc.Refusal
	if errors.As(err, &ref) {
		return ref.Fields()
	}
	return nil
}

// inputErrors returns the errors a form shows beside its fields: input
// errors and refusals that name a field. ok is false for any other error.
func inputErrors(err error) (validation.Errors, bool) {
	var ve validation.Errors
	if errors.As(err, &ve) {
		return ve, true
	}
	if f := refusalFields(err); f != nil {
		return f, true
	}
	return nil, false
}
