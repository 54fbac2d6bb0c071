package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"khienso/internal/auth"
	"khienso/internal/i18n"
	"khienso/internal/store"
)

const (
	sessionCookie = "ks_session"
	preCSRFCookie = "ks_csrf" // double-submit token for forms shown before sign-in
	langCookie    = "ks_lang"
)

// maxUploadBody bounds any multipart request; handlers set tighter limits
// of their own and answer with a friendlier page.
const maxUploadBody = 32 << 20

type ctxKey struct{}

// reqInfo is what the identify middleware learns about a request.
type reqInfo struct {
	principal *auth.Principal
	session   string // the session cookie's token, if signed in by session
	csrf      string // the token forms must carry
	lang      i18n.Lang
}

func info(r *http.Request) *reqInfo {
	if ri, ok := r.Context().Value(ctxKey{}).(*reqInfo); ok {
		return ri
	}
	return &reqInfo{lang: i18n.Default}
}

// principal is the signed-in user of r, or nil.
func Principal(r *http.Request) *auth.Principal { return info(r).principal }

// lang is the language of the response to r.
func Lang(r *http.Request) i18n.Lang { return info(r).lang }

// SessionToken is the token of r's session when its caller signed in with
// the session cookie ("" for API tokens and anonymous callers).
func SessionToken(r *http.Request) string { return info(r).session }

func IsAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func (s *Server) cookieName(base string) string {
	if s.cfg.SecureCookies {
		return "__Host-" + base
	}
	return base
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	c := &http.Cookie{Name: s.cookieName(name), Value: value, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode}
	if maxAge < 0 {
		c.MaxAge = -1
	} else if maxAge > 0 {
		c.MaxAge = int(maxAge.Seconds())
	}
	http.SetCookie(w, c)
}

// SetSessionCookie opens a session in the browser: the session cookie
// carries token for auth.SessionLifetime, and the pre-sign-in CSRF cookie
// is dropped (a session has its own token). An empty token deletes the
// session cookie (signing out).
func (s *Server) SetSessionCookie(w http.ResponseWriter, token string) {
	if token == "" {
		s.setCookie(w, sessionCookie, "", -1)
		return
	}
	s.setCookie(w, sessionCookie, token, auth.SessionLifetime)
	s.setCookie(w, preCSRFCookie, "", -1)
}

// SetLanguage remembers the caller's choice of language for a year.
func (s *Server) SetLanguage(w http.ResponseWriter, l i18n.Lang) {
	s.setCookie(w, langCookie, string(l), 365*24*time.Hour)
}

func (s *Server) cookie(r *http.Request, name string) string {
	c, err := r.Cookie(s.cookieName(name))
	if err != nil {
		return ""
	}
	return c.Value
}

// language is the language of the response to r: the visitor's choice
// (the language cookie), else the deployment's default language, else the
// browser's Accept-Language, else Vietnamese.
func (s *Server) language(r *http.Request) i18n.Lang {
	if c := s.cookie(r, langCookie); c != "" {
		return i18n.Parse(c)
	}
	if s.cfg.DefaultLanguage != nil {
		if l := s.cfg.DefaultLanguage(r.Context()); l != "" {
			return l
		}
	}
	return i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// identify resolves the caller (API token or session), the language, and
// checks the CSRF token of every unsafe request made with a session.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := &reqInfo{lang: s.language(r)}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, ri))
		if s.isPublic(r) {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.Fail(w, r, ErrUnauthorized)
				return
			}
			u, err := s.store.TokenUser(ctx, strings.TrimSpace(secret))
			if errors.Is(err, store.ErrNotFound) {
				s.Fail(w, r, ErrUnauthorized)
				return
			}
			if err != nil {
				s.Fail(w, r, err)
				return
			}
			ri.principal = u.Principal()
			ri.principal.ViaToken = true
			next.ServeHTTP(w, r)
			return
		}
		if tok := s.cookie(r, sessionCookie); tok != "" {
			sess, u, err := s.store.SessionUser(ctx, tok)
			switch {
			case err == nil:
				ri.principal, ri.session, ri.csrf = u.Principal(), tok, sess.CSRFToken
			case errors.Is(err, store.ErrNotFound):
				s.setCookie(w, sessionCookie, "", -1)
			default:
				s.Fail(w, r, err)
				return
			}
		}
		if ri.session == "" {
			ri.csrf = s.cookie(r, preCSRFCookie)
			if ri.csrf == "" && !IsAPI(r) {
				ri.csrf = auth.RandomToken(24)
				s.setCookie(w, preCSRFCookie, ri.csrf, 0)
			}
		}
		if unsafeMethod(r.Method) && !(IsAPI(r) && ri.session == "") {
			// Bound the body before the form is parsed for the token, so no
			// one can make the server spool an unbounded upload.
			limit := int64(1 << 20)
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				limit = maxUploadBody
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			sent := r.Header.Get("X-CSRF-Token")
			if sent == "" {
				var err error
				if limit == maxUploadBody {
					err = r.ParseMultipartForm(8 << 20)
				} else {
					err = r.ParseForm()
				}
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					s.Fail(w, r, ErrTooLarge)
					return
				}
				sent = r.PostFormValue("csrf_token")
			}
			if ri.csrf == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(ri.csrf)) != 1 {
				s.Fail(w, r, ErrCSRF)
				return
			}
		}
		if p := ri.principal; p != nil && p.MustChangePassword && !IsAPI(r) &&
			r.URL.Path != "/account/password" && r.URL.Path != "/logout" && r.URL.Path != "/lang" {
			http.Redirect(w, r, "/account/password", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// securityHeaders sets a strict CSP (no inline scripts or styles) and the
// usual hardening headers.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a handler panic into a 500 and a log line instead of a
// dropped connection.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.Fail(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives each request its id (header and context), counts it by
// route pattern and writes one access-log line for it. The line names the
// route pattern, not the path or query, so no token or search term that a
// URL carries reaches the log.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := requestID(r)
		w.Header().Set(RequestIDHeader, id)
		if s.cfg.Instance != "" {
			w.Header().Set("X-Khienso-Instance", s.cfg.Instance)
		}
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		// The mux sets Pattern on the request copy it sees, so ask it here.
		_, route := s.mux.Handler(r)
		if route == "" {
			route = "unmatched"
		}
		s.metrics.observe(route, sw.status, d)
		lvl := slog.LevelInfo
		if sw.status >= 500 {
			lvl = slog.LevelError
		}
		s.log.Log(r.Context(), lvl, "request", "method", r.Method, "route", route,
			"status", sw.status, "bytes", sw.bytes, "duration_ms", float64(d.Microseconds())/1000, "ip", s.clientIP(r))
	})
}
