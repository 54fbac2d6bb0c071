// Package settingsweb serves the settings: the page where an administrator
// edits their province's settings (coordinating agency, document header,
// signer, recipients and report receivers) and, for the administrator of
// the deployment, the mail server, the public address and the default
// language with a "send test e-mail" button; and the same through the JSON
// API. Every rule lives in settingsvc.
package settingsweb

import (
	"embed"
	"errors"
	"net/http"

	"khienso/internal/i18n"
	"khienso/internal/service/settingsvc"
	"khienso/internal/web"
)

//go:embed templates
var templateFS embed.FS

// maxForm bounds a posted settings form: a few dozen short lines.
const maxForm = 64 << 10

type handler struct {
	*web.Server
	svc *settingsvc.Service
}

// Register adds the settings page and API routes to s.
func Register(s *web.Server, svc *settingsvc.Service) error {
	if err := s.AddPages(templateFS, "templates"); err != nil {
		return err
	}
	h := &handler{Server: s, svc: svc}
	s.Handle("GET /settings", h.page)
	s.Handle("POST /settings", h.provinceSubmit)
	s.Handle("POST /settings/deployment", h.deploymentSubmit)
	s.Handle("POST /settings/test-email", h.testEmailSubmit)

	s.HandleAPI("GET /api/v1/settings", h.apiProvinceGet)
	s.HandleAPI("PUT /api/v1/settings", h.apiProvincePut)
	s.HandleAPI("GET /api/v1/settings/deployment", h.apiDeploymentGet)
	s.HandleAPI("PUT /api/v1/settings/deployment", h.apiDeploymentPut)
	s.HandleAPI("POST /api/v1/settings/deployment/test-email", h.apiTestEmail)
	return nil
}

// mailFailure is how a failed test e-mail is answered: 409 without a mail
// server, 502 when the server did not take the message, saying which step
// failed (args, in the caller's language) with the server's own words
// (detail). ok is false for other errors.
type mailFailure struct {
	status    int
	code, key string
	args      []any
	detail    string
}

func mailFailureOf(l i18n.Lang, err error) (mailFailure, bool) {
	var se *settingsvc.SendError
	switch {
	case errors.Is(err, settingsvc.ErrNoMailServer):
		return mailFailure{status: http.StatusConflict, code: "no_mail_server", key: "settings.mail.none"}, true
	case errors.As(err, &se):
		return mailFailure{status: http.StatusBadGateway, code: "mail_failed", key: "settings.mail.failed",
			args: []any{l.T(se.Reason)}, detail: se.Detail}, true
	}
	return mailFailure{}, false
}
