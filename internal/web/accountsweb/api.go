package accountsweb

import (
	"errors"
	"net/http"

	"khienso/internal/auth"
	"khienso/internal/web"
)

// failAPI answers an API request with err: a refusal names its field (403
// with "unit_id" or "roles"), anything else goes to web.Fail.
func (s *handler) failAPI(w http.ResponseWriter, r *http.Request, err error) {
	if f := refusalFields(err); f != nil {
		err = web.Forbidden(f)
	}
	s.Fail(w, r, err)
}

// loginFailure maps a sign-in failure to its catalogue key, status and API
// code; ok is false for other errors.
func loginFailure(err error) (key string, status int, code string, ok bool) {
	switch {
	case errors.Is(err, auth.ErrInvalidCredentials):
		return "err.login_invalid", http.StatusUnauthorized, "invalid_credentials", true
	case errors.Is(err, auth.ErrLocked):
		return "err.login_locked", http.StatusTooManyRequests, "rate_limited", true
	case errors.Is(err, auth.ErrRateLimited):
		return "err.login_rate", http.StatusTooManyRequests, "rate_limited", true
	case errors.Is(err, auth.ErrDisabled):
		return "err.login_disabled", http.StatusForbidden, "disabled", true
	case errors.Is(err, auth.ErrPasswordChangeRequired):
		return "err.password_change_required", http.StatusForbidden, "password_change_required", true
	case errors.Is(err, auth.ErrBusy):
		return "err.login_busy", http.StatusServiceUnavailable, "busy", true
	}
	return "", 0, "", false
}
