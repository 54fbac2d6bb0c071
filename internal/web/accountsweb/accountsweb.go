// Package accountsweb is the web front of accounts: signing in and out,
// the language switch, one's own account, password and API tokens, the
// users pages, the audit log, and their JSON API. Every rule lives in
// accountsvc; handlers parse, call one service method and render.
package accountsweb

import (
	"embed"
	"errors"

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
	s.Handle("GET /users/tokens", h.tokenAdminPage)
	s.Handle("POST /users/tokens/{id}/revoke", h.tokenAdminRevoke)
	s.Handle("GET /users/new", h.userNewPage)
	s.Handle("POST /users/new", h.userNewSubmit)
	s.Handle("GET /users/{id}/edit", h.userEditPage)
	s.Handle("POST /users/{id}/edit", h.userEditSubmit)
	s.Handle("POST /users/{id}/password", h.userPasswordReset)
	s.Handle("POST /users/{id}/unlock", h.userUnlock)
	s.Handle("GET /audit", h.auditPage)

	s.HandleAPI("POST /api/v1/auth/login", h.apiLogin)
	s.HandleAPI("GET /api/v1/me", h.apiMe)
	s.HandleAPI("POST /api/v1/me/password", h.apiMePassword)
	s.HandleAPI("GET /api/v1/users", h.apiUserList)
	s.HandleAPI("POST /api/v1/users", h.apiUserCreate)
	s.HandleAPI("GET /api/v1/users/{id}", h.apiUserGet)
	s.HandleAPI("PATCH /api/v1/users/{id}", h.apiUserPatch)
	s.HandleAPI("POST /api/v1/users/{id}/password-reset", h.apiUserPasswordReset)
	s.HandleAPI("POST /api/v1/users/{id}/unlock", h.apiUserUnlock)
	s.HandleAPI("GET /api/v1/tokens", h.apiTokenList)
	s.HandleAPI("POST /api/v1/tokens", h.apiTokenCreate)
	s.HandleAPI("DELETE /api/v1/tokens/{id}", h.apiTokenRevoke)
	s.HandleAPI("GET /api/v1/admin/tokens", h.apiTokenAdminList)
	s.HandleAPI("DELETE /api/v1/admin/tokens/{id}", h.apiTokenAdminRevoke)
	s.HandleAPI("GET /api/v1/audit", h.apiAuditLog)
	return nil
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
