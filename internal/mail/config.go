package mail

import (
	"crypto/x509"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TLS modes for Config.TLS.
const (
	// TLSStartTLS upgrades the connection when the server offers STARTTLS,
	// and insists on it when credentials are configured.
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte (usually port 465).
	TLSImplicit = "tls"
	// TLSNone never encrypts; credentials are then only sent to loopback.
	TLSNone = "none"
)

// DefaultTimeout bounds one Send when Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Config says how to reach the SMTP server.
type Config struct {
	Host string
	// Port 0 means the usual port for the TLS mode (587, 465 or 25).
	Port     int
	Username string
	Password string
	// From is the sender, "Khiên Số <no-reply@example.vn>" or a bare address.
	From string
	// TLS is TLSStartTLS (the default when empty), TLSImplicit or TLSNone.
	TLS string
	// Timeout bounds one whole Send (dial to QUIT); 0 means DefaultTimeout.
	Timeout time.Duration
	// RootCAs, when set, replaces the system's trusted roots for verifying
	// the server: a relay with a private CA, or the test server.
	RootCAs *x509.CertPool
}

func defaultPort(mode string) int {
	switch mode {
	case TLSImplicit:
		return 465
	case TLSNone:
		return 25
	default:
		return 587
	}
}

// withDefaults fills the fields whose zero value has a documented meaning.
func (c Config) withDefaults() Config {
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Port == 0 {
		c.Port = defaultPort(c.TLS)
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	return c
}

// Validate reports the first problem with c (after applying defaults); the
// error wraps ErrInvalidConfig.
func (c Config) Validate() error {
	c = c.withDefaults()
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, fmt.Sprintf(format, args...))
	}
	switch {
	case c.Host == "":
		return bad("host is missing")
	case !ValidHost(c.Host):
		return bad("host %q is not an ASCII host name or IP address", c.Host)
	case c.Port < 1 || c.Port > 65535:
		return bad("port %d is outside 1–65535", c.Port)
	case c.TLS != TLSStartTLS && c.TLS != TLSImplicit && c.TLS != TLSNone:
		return bad("tls mode %q is not one of starttls, tls, none", c.TLS)
	case c.Timeout < 0:
		return bad("timeout %v is negative", c.Timeout)
	case c.Password != "" && c.Username == "":
		return bad("password given without a user name")
	case c.Username != "" && c.TLS == TLSNone && !IsLoopback(c.Host):
		return bad("tls=none would send the password for %q in clear; use starttls or tls", c.Username)
	case strings.ContainsAny(c.Username+c.Password, "\r\n"):
		return bad("user name or password contains a line break")
	}
	if _, err := parseFrom(c.From); err != nil {
		return err
	}
	return nil
}

// ValidHost accepts IP addresses and ASCII host names (IDN names must be
// given in their xn-- form; underscores are allowed for container names).
func ValidHost(host string) bool {
	if net.ParseIP(host) != nil {
		return true
	}
	if len(host) > 253 {
		return false
	}
	for _, r := range host {
		ok := r == '.' || r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return !strings.HasPrefix(host, ".") && !strings.HasPrefix(host, "-")
}

// parseFrom checks the sender address; its error wraps ErrInvalidConfig.
func parseFrom(from string) (*netmail.Address, error) {
	if strings.TrimSpace(from) == "" {
		return nil, fmt.Errorf("%w: from address is missing", ErrInvalidConfig)
	}
	a, err := parseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("%w: from address %q: %w", ErrInvalidConfig, from, err)
	}
	return a, nil
}

// ParseURL reads an SMTP server URL, as given to the --smtp flag or the
// KHIENSO_SMTP variable:
//
//	smtp://user:pass@host:587?from=Khi%C3%AAn%20S%E1%BB%91%20%3Cno-reply%40example.vn%3E&tls=starttls
//	smtps://user:pass@host           (implicit TLS, port 465)
//	smtp://relay.local:25?tls=none&from=no-reply@example.vn
//
// Query parameters: from (defaults to the user name when that is an
// address), tls (starttls, tls, none) and timeout (a Go duration such as
// "20s"). Query values follow URL form encoding, so a literal "+" must be
// written %2B. Unknown or repeated parameters are errors, so a typo cannot
// silently fall back to a default. The result has Port and TLS filled in
// and has passed Validate.
func ParseURL(raw string) (Config, error) {
	bad := func(format string, args ...any) (Config, error) {
		return Config{}, fmt.Errorf("smtp url: %w: %s", ErrInvalidConfig, fmt.Sprintf(format, args...))
	}
	if strings.TrimSpace(raw) == "" {
		return bad("empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the whole URL, password included; keep only the cause.
		if ue, ok := err.(*url.Error); ok {
			err = ue.Err
		}
		return bad("%v", err)
	}
	var c Config
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		c.TLS = TLSStartTLS
	case "smtps":
		c.TLS = TLSImplicit
	case "":
		return bad("scheme is missing (want smtp:// or smtps://)")
	default:
		return bad("scheme %q is not smtp or smtps", u.Scheme)
	}
	if u.Opaque != "" {
		return bad("want smtp://host, not smtp:host")
	}
	if u.Path != "" && u.Path != "/" {
		return bad("unexpected path %q", u.Path)
	}
	if u.Fragment != "" {
		return bad("unexpected fragment %q", u.Fragment)
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return bad("host is missing")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return bad("port %q is not a number in 1–65535", p)
		}
		c.Port = n
	} else if strings.HasSuffix(u.Host, ":") {
		return bad("port is empty")
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
		if c.Username == "" {
			return bad("user name is empty")
		}
	}

	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return bad("query: %v", err)
	}
	for k, vs := range q {
		if len(vs) != 1 {
			return bad("parameter %q given %d times", k, len(vs))
		}
		v := vs[0]
		switch k {
		case "from":
			c.From = v
		case "tls":
			mode := strings.ToLower(v)
			if mode != TLSStartTLS && mode != TLSImplicit && mode != TLSNone {
				return bad("tls=%q is not one of starttls, tls, none", v)
			}
			if u.Scheme == "smtps" && mode != TLSImplicit {
				return bad("smtps:// always uses implicit TLS, but tls=%s was given", mode)
			}
			c.TLS = mode
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return bad("timeout %q is not a positive duration such as 20s", v)
			}
			c.Timeout = d
		default:
			return bad("unknown parameter %q (known: from, tls, timeout)", k)
		}
	}
	if c.From == "" {
		if a, err := netmail.ParseAddress(c.Username); err == nil && a.Name == "" {
			c.From = a.Address
		} else {
			return bad("from is missing (add ?from=no-reply@example.vn)")
		}
	}
	if c.Port == 0 {
		c.Port = defaultPort(c.TLS)
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("smtp url: %w", err)
	}
	return c, nil
}

// URL renders c as an SMTP URL that ParseURL reads back, password
// included: what a configuration store keeps, never what a log shows (see
// Redacted).
func (c Config) URL() string { return c.render(c.Password) }

// Redacted renders c as an SMTP URL with the password masked, for logs.
func (c Config) Redacted() string {
	if c.Password == "" {
		return c.render("")
	}
	return c.render("xxxxx")
}

// render is c as a URL with password in place of c's.
func (c Config) render(password string) string {
	c = c.withDefaults()
	u := url.URL{Scheme: "smtp", Host: hostPort(c.Host, c.Port)}
	if c.TLS == TLSImplicit {
		u.Scheme = "smtps"
	}
	if c.Username != "" {
		if password != "" {
			u.User = url.UserPassword(c.Username, password)
		} else {
			u.User = url.User(c.Username)
		}
	}
	q := url.Values{}
	if c.From != "" {
		q.Set("from", c.From)
	}
	if c.TLS != TLSImplicit {
		q.Set("tls", c.TLS)
	}
	if c.Timeout != DefaultTimeout {
		q.Set("timeout", c.Timeout.String())
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func hostPort(host string, port int) string {
	if strings.Contains(host, ":") {
		return "[" + host + "]:" + strconv.Itoa(port)
	}
	return host + ":" + strconv.Itoa(port)
}
