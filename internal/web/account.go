package web

import (
	"errors"
	"net/http"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// actor is who the audit log names for changes made by r.
func (s *Server) actor(r *http.Request) audit.Actor {
	a := audit.Actor{IP: s.ClientIP(r)}
	if p := Principal(r); p != nil {
		a.UserID, a.Label = p.UserID, p.Email
	}
	return a
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	u, err := s.store.Unit(ctx, p.UnitID, dates.Today())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	_, total, err := s.store.SearchUnits(ctx, store.UnitFilter{Day: dates.Today(), Limit: 1})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "home", map[string]any{"Unit": u, "ActiveUnits": total})
}

// switchLang remembers the chosen language and goes back.
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) {
	l := i18n.Parse(r.URL.Query().Get("to"))
	s.setCookie(w, langCookie, string(l), 365*24*time.Hour)
	http.Redirect(w, r, SafeNext(r.URL.Query().Get("back")), http.StatusSeeOther)
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if Principal(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.Render(w, r, http.StatusOK, "login", map[string]any{"Next": SafeNext(r.URL.Query().Get("next"))})
}

// loginMessage maps a login failure to its catalogue key and status.
func loginMessage(err error) (string, int, bool) {
	switch {
	case errors.Is(err, auth.ErrInvalidCredentials):
		return "err.login_invalid", http.StatusUnauthorized, true
	case errors.Is(err, auth.ErrLocked):
		return "err.login_locked", http.StatusTooManyRequests, true
	case errors.Is(err, auth.ErrRateLimited):
		return "err.login_rate", http.StatusTooManyRequests, true
	case errors.Is(err, auth.ErrDisabled):
		return "err.login_disabled", http.StatusForbidden, true
	}
	return "", 0, false
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	next := SafeNext(r.PostFormValue("next"))
	u, err := auth.Login(r.Context(), s.store, email, password, s.ClientIP(r))
	if key, status, ok := loginMessage(err); ok {
		s.Render(w, r, status, "login", map[string]any{"Next": next, "Email": email, "Error": Lang(r).T(key)})
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.startSession(w, r, u); err != nil {
		s.Fail(w, r, err)
		return
	}
	if u.MustChangePassword {
		next = "/account/password"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	token := auth.RandomToken(32)
	sess := auth.Session{UserID: u.ID, CSRFToken: auth.RandomToken(24), ExpiresAt: time.Now().Add(auth.SessionLifetime)}
	if err := s.store.CreateSession(r.Context(), token, sess, s.ClientIP(r), r.UserAgent()); err != nil {
		return err
	}
	s.setCookie(w, sessionCookie, token, auth.SessionLifetime)
	s.setCookie(w, preCSRFCookie, "", -1)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if tok := info(r).session; tok != "" {
		if err := s.store.DeleteSession(r.Context(), tok); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	s.setCookie(w, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	u, err := s.store.Unit(r.Context(), p.UnitID, dates.Today())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "account", map[string]any{"Unit": u, "Changed": r.URL.Query().Get("changed") != ""})
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	if Principal(r) == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	s.Render(w, r, http.StatusOK, "password", map[string]any{})
}

func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request) {
	p := Principal(r)
	if p == nil {
		s.Fail(w, r, ErrUnauthorized)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	current, next, again := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm")
	ctx := r.Context()
	var errs validation.Errors
	_, hash, err := s.store.UserByEmail(ctx, p.Email)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if ok, _ := auth.CheckPassword(hash, current); !ok {
		errs.Add("current", "err.password_wrong")
	}
	if err := auth.ValidatePassword("new", next); err != nil {
		errs = append(errs, err.(validation.Errors)...)
	} else if next != again {
		errs.Add("confirm", "err.password_mismatch")
	}
	if len(errs) > 0 {
		s.Render(w, r, http.StatusUnprocessableEntity, "password", map[string]any{"Errors": fieldErrors(Lang(r), errs)})
		return
	}
	newHash, err := auth.HashPassword(next)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.store.SetPassword(ctx, s.actor(r), p.UserID, newHash, false, info(r).session); err != nil {
		s.Fail(w, r, err)
		return
	}
	dest := "/account?changed=1"
	if p.MustChangePassword { // a one-time password was replaced: go on to work
		dest = "/"
	}
	http.Redirect(w, r, dest, http.StatusSeeOther)
}
