package settings

import (
	netmail "net/mail"
	"net/url"
	"strings"

	"khienso/internal/mail"
	"khienso/internal/validation"
)

// SMTP is the deployment's mail server as the settings form edits it, one
// field per part; it is stored as one smtp:// URL (KeySMTPURL), the form the
// --smtp flag takes.
type SMTP struct {
	Host     string
	Port     int    // 0: the usual port of the TLS mode (587, 465, 25)
	TLS      string // mail.TLSStartTLS (when empty), mail.TLSImplicit or mail.TLSNone
	Username string
	Password string
	From     string // the sender, "Khiên Số <no-reply@example.vn>" or an address
}

// ParseSMTP reads a stored URL; "" is the zero SMTP (no server).
func ParseSMTP(raw string) (SMTP, error) {
	if raw == "" {
		return SMTP{}, nil
	}
	c, err := mail.ParseURL(raw)
	if err != nil {
		return SMTP{}, err
	}
	return SMTP{Host: c.Host, Port: c.Port, TLS: c.TLS, Username: c.Username, Password: c.Password, From: c.From}, nil
}

// IsZero reports whether s names no server.
func (s SMTP) IsZero() bool { return s == SMTP{} }

// Config is s for the mailer.
func (s SMTP) Config() mail.Config {
	return mail.Config{Host: s.Host, Port: s.Port, TLS: s.TLS, Username: s.Username, Password: s.Password, From: s.From}
}

// URL is s as stored ("" for no server).
func (s SMTP) URL() string {
	if s.IsZero() {
		return ""
	}
	return s.Config().URL()
}

// Normalize trims the fields; a password without a user name is dropped
// (clearing the user name removes the credentials).
func (s *SMTP) Normalize() {
	s.Host, s.TLS, s.Username, s.From = strings.TrimSpace(s.Host), strings.ToLower(strings.TrimSpace(s.TLS)),
		strings.TrimSpace(s.Username), strings.TrimSpace(s.From)
	if s.Username == "" {
		s.Password = ""
	}
	if s.TLS == "" && !s.IsZero() {
		s.TLS = mail.TLSStartTLS
	}
}

// Validate checks s field by field (smtp_host, smtp_port, smtp_tls,
// smtp_username, smtp_password, smtp_from). The zero SMTP is valid: e-mail
// then goes through the --smtp server, or nowhere.
func (s *SMTP) Validate() validation.Errors {
	var errs validation.Errors
	if s.IsZero() {
		return nil
	}
	if s.Host == "" {
		errs.Add("smtp_host", "err.required")
	} else if !mail.ValidHost(s.Host) {
		errs.Add("smtp_host", "settings.err.smtp_host")
	}
	if s.Port < 0 || s.Port > 65535 {
		errs.Add("smtp_port", "settings.err.smtp_port")
	}
	switch s.TLS {
	case mail.TLSStartTLS, mail.TLSImplicit, mail.TLSNone:
	default:
		errs.Add("smtp_tls", "err.invalid")
	}
	switch {
	case len(s.Username) > 254 || strings.ContainsAny(s.Username, "\r\n"):
		errs.Add("smtp_username", "err.invalid")
	case len(s.Password) > 500 || strings.ContainsAny(s.Password, "\r\n"):
		errs.Add("smtp_password", "err.invalid")
	case s.Username != "" && s.TLS == mail.TLSNone && !mail.IsLoopback(s.Host):
		// The password would cross the network in clear.
		errs.Add("smtp_tls", "settings.err.smtp_clear")
	}
	from := s.From
	if from == "" {
		// The mailer sends from the user name when it is an address.
		if a, err := netmail.ParseAddress(s.Username); err == nil && a.Name == "" {
			from = a.Address
		}
	}
	if from == "" {
		errs.Add("smtp_from", "err.required")
	} else if len(from) > 320 {
		errs.Add("smtp_from", "err.too_long", 320)
	} else if _, err := netmail.ParseAddress(from); err != nil {
		errs.Add("smtp_from", "settings.err.smtp_from")
	}
	if len(errs) == 0 {
		// Whatever the checks above let through, the mailer must read.
		if _, err := mail.ParseURL(s.URL()); err != nil {
			errs.Add("smtp_host", "settings.err.smtp_url")
		}
	}
	return errs
}

// Redact is value of setting key as the audit log and the API may show it:
// the mail server's password is masked.
func Redact(key, value string) string {
	if key != KeySMTPURL || value == "" {
		return value
	}
	u, err := url.Parse(value)
	if err != nil {
		return "(…)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
