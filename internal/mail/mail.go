// Package mail sends Khiên Số's outgoing e-mail (deadline reminders and the
// like) through a configurable SMTP server. It builds standards-conforming
// UTF-8 messages itself so Vietnamese subjects and bodies survive any relay,
// and it speaks SMTP over a connection whose deadline follows the caller's
// context, so a stuck server never blocks a reminder run forever.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"
)

// Message is one e-mail to send.
type Message struct {
	// To lists the recipients, each "a@b.vn" or "Name <a@b.vn>".
	To      []string
	Subject string
	// Text is the plain-text body; HTML, when set, is sent as the preferred
	// alternative. At least one of them must be non-empty.
	Text string
	HTML string
	// Headers are extra header fields, e.g. "X-Khienso-Reminder". Fields the
	// package writes itself (From, To, Subject, Date, MIME headers…) and
	// Cc/Bcc (which would bypass the envelope) are refused.
	Headers map[string]string
}

// Sender sends one message. *SMTP implements it; tests and dry runs can
// substitute their own.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Errors callers may test for with errors.Is.
var (
	// ErrInvalidConfig wraps every configuration problem.
	ErrInvalidConfig = errors.New("invalid mail configuration")
	// ErrInvalidMessage wraps every problem with the message itself (bad
	// recipient, header injection, empty body); retrying will not help.
	ErrInvalidMessage = errors.New("invalid mail message")
	// ErrInsecure is returned instead of sending credentials over a
	// connection that is not encrypted.
	ErrInsecure = errors.New("refusing to send credentials without TLS")
)

// SMTP sends messages through one SMTP server. It keeps no connection open
// between sends, so it is safe for concurrent use.
type SMTP struct {
	cfg Config
}

var _ Sender = (*SMTP)(nil)

// New returns a sender for cfg. The configuration is checked on every Send
// (so a bad one is reported where it hurts); call cfg.Validate at start-up
// to fail earlier.
func New(cfg Config) *SMTP {
	return &SMTP{cfg: cfg}
}

// Send delivers m: it dials the server, upgrades to TLS as configured,
// authenticates, and transfers the message. Either every recipient is
// accepted and the message is transferred, or nothing is sent. Errors say
// which step failed ("mail: rcpt <a@b.vn>: 550 …"); see Permanent.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	cfg := s.cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	from, err := parseFrom(cfg.From)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	raw, rcpts, err := compose(from, m, time.Now(), nil)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}

	// One absolute deadline for the whole exchange: the earlier of the
	// configured timeout and the caller's deadline.
	deadline := time.Now().Add(cfg.Timeout)
	ctxDeadline := false
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline, ctxDeadline = d, true
	}
	// fail reports ctx's error too when cancellation caused the failure, so
	// errors.Is(err, context.Canceled) works for the caller. The connection
	// can time out a moment before ctx notices its own deadline, hence the
	// second case.
	fail := func(step, target string, err error) error {
		cerr := ctx.Err()
		if cerr == nil && ctxDeadline && errors.Is(err, os.ErrDeadlineExceeded) {
			cerr = context.DeadlineExceeded
		}
		if cerr != nil && !errors.Is(err, cerr) {
			err = fmt.Errorf("%w: %w", cerr, err)
		}
		return &StepError{Step: step, Target: target, Err: err}
	}

	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	tlsCfg := &tls.Config{ServerName: cfg.Host, RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12}
	dialer := &net.Dialer{Deadline: deadline}
	var conn net.Conn
	if cfg.TLS == TLSImplicit {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: tlsCfg}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fail(StepDial, addr, err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(deadline); err != nil {
		return fail(StepDial, addr, err)
	}
	// Cancellation must interrupt a blocked read or write; a deadline in
	// the past does that for the raw connection and any TLS layer on it.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, cfg.Host)
	if err != nil {
		return fail(StepGreeting, "", err)
	}
	defer c.Close()
	if err := c.Hello(localName()); err != nil {
		return fail(StepEHLO, "", err)
	}

	encrypted := cfg.TLS == TLSImplicit
	if cfg.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsCfg); err != nil {
				return fail(StepStartTLS, "", err)
			}
			encrypted = true
		} else if cfg.Username != "" {
			return fail(StepStartTLS, "", fmt.Errorf("%w: server %s does not offer STARTTLS", ErrInsecure, addr))
		}
	}

	if cfg.Username != "" {
		if !encrypted && !IsLoopback(cfg.Host) {
			return fail(StepAuth, "", fmt.Errorf("%w: connection to %s is not encrypted", ErrInsecure, addr))
		}
		a, err := chooseAuth(c, cfg.Username, cfg.Password)
		if err != nil {
			return fail(StepAuth, "", err)
		}
		if err := c.Auth(a); err != nil {
			return fail(StepAuth, "", err)
		}
	}

	if err := c.Mail(from.Address); err != nil {
		return fail(StepMailFrom, "<"+from.Address+">", err)
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r); err != nil {
			return fail(StepRcpt, "<"+r+">", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fail(StepData, "", err)
	}
	if _, err := w.Write(raw); err != nil {
		return fail(StepData, "", err)
	}
	// Close sends the final dot and reads the server's verdict on the
	// message; only then is it accepted.
	if err := w.Close(); err != nil {
		return fail(StepData, "", err)
	}
	// The message is accepted; a failing QUIT changes nothing for the caller.
	_ = c.Quit()
	return nil
}

// Steps of the SMTP exchange, as StepError names them.
const (
	StepDial     = "dial"
	StepGreeting = "greeting"
	StepEHLO     = "ehlo"
	StepStartTLS = "starttls"
	StepAuth     = "auth"
	StepMailFrom = "mail from"
	StepRcpt     = "rcpt"
	StepData     = "data"
)

// StepError is a Send that failed at one step of the SMTP exchange, so a
// caller can say what went wrong (the server unreachable, the credentials
// refused, a recipient rejected) without reading the message. Target is the
// address the step was about (host:port for dial, <address> for mail from
// and rcpt), "" otherwise.
type StepError struct {
	Step, Target string
	Err          error
}

func (e *StepError) Error() string {
	step := e.Step
	if e.Target != "" {
		step += " " + e.Target
	}
	return "mail: " + step + ": " + e.Err.Error()
}

func (e *StepError) Unwrap() error { return e.Err }

// Permanent reports whether err will recur if the same send is retried: an
// invalid configuration or message, refused credentials, or any 5xx reply
// from the server. Network failures, timeouts and 4xx replies are transient.
func Permanent(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrInvalidConfig) || errors.Is(err, ErrInvalidMessage) || errors.Is(err, ErrInsecure) {
		return true
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 500 && te.Code < 600
	}
	return false
}

// localName is the name announced in EHLO. Some servers reject
// "localhost", so the machine's name is used when it looks like a host name.
func localName() string {
	h, err := os.Hostname()
	if err != nil || h == "" || len(h) > 253 {
		return "localhost"
	}
	for _, r := range h {
		ok := r == '.' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return "localhost"
		}
	}
	return h
}

// IsLoopback reports whether host names this machine, where credentials in
// clear never leave it.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
