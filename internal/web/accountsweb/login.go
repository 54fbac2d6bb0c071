package accountsweb

import (
	"net/http"

	"khienso/internal/i18n"
	"khienso/internal/web"
)

// loginMaxForm bounds the sign-in form.
const loginMaxForm = 16 << 10

// switchLang remembers the chosen language and goes back.
func (s *handler) switchLang(w http.ResponseWriter, r *http.Request) {
	l := i18n.Parse(r.URL.Query().Get("to"))
	s.SetLanguage(w, l)
	http.Redirect(w, r, web.SafeNext(r.URL.Query().Get("back")), http.StatusSeeOther)
}

func (s *handler) loginPage(w http.ResponseWriter, r *http.Request) {
	if web.Principal(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.Render(w, r, http.StatusOK, "login", map[string]any{"Next": web.SafeNext(r.URL.Query().Get("next"))})
}

// loginSubmit opens a session and goes on to the page asked for, or to
// the change-password page when the account has a one-time password.
func (s *handler) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, loginMaxForm) {
		return
	}
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	next := web.SafeNext(r.PostFormValue("next"))
	sess, err := s.svc.SignIn(r.Context(), s.Caller(r), email, password, r.UserAgent())
	if key, status, _, ok := loginFailure(err); ok {
		web.RetryAfter(w, status)
		s.Render(w, r, status, "login", map[string]any{"Next": next, "Email": email, "Error": web.Lang(r).T(key)})
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.SetSessionCookie(w, sess.Token)
	if sess.User.MustChangePassword {
		next = "/account/password"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.SignOut(r.Context(), web.SessionToken(r)); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.SetSessionCookie(w, "")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
