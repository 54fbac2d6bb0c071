// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) on
// 127.0.0.1 for tests: it accepts mail, optionally demands AUTH or offers
// TLS with a throw-away certificate, and keeps every message it received,
// parsed, so tests can assert on what a recipient would actually see.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"khienso/internal/mail"
)

// Received is one message as the server got it.
type Received struct {
	From string   // envelope sender (MAIL FROM)
	To   []string // envelope recipients (RCPT TO), in order
	Data []byte   // the message exactly as transferred, dot-stuffing removed
	// AuthUser is the user that authenticated, "" without AUTH.
	AuthUser string
	// TLS reports whether the connection was encrypted when the message
	// was transferred.
	TLS bool

	// Parsed from Data. Headers are raw (encoded words left as sent).
	Headers textproto.MIMEHeader
	Subject string // decoded from RFC 2047
	Text    string // decoded text/plain body, "\n" line ends ("" if none)
	HTML    string // decoded text/html body, "\n" line ends ("" if none)
	// ParseErr is why Data could not be parsed; the fields above are then
	// partly empty.
	ParseErr error
}

// Option changes how Start configures the server.
type Option func(*options)

type options struct {
	user, pass  string
	mechs       []string
	starttls    bool
	implicitTLS bool
	reject      map[string]bool
}

// RequireAuth makes the server demand AUTH with these credentials before
// MAIL FROM. Plain-text AUTH is allowed, since the server is on loopback.
func RequireAuth(username, password string) Option {
	return func(o *options) { o.user, o.pass = username, password }
}

// AuthMechanisms sets the SASL mechanisms offered with RequireAuth:
// "PLAIN" (the default) and/or "LOGIN".
func AuthMechanisms(mechs ...string) Option {
	return func(o *options) { o.mechs = mechs }
}

// WithSTARTTLS offers STARTTLS with a self-signed certificate for
// 127.0.0.1; Config then trusts it and uses mail.TLSStartTLS.
func WithSTARTTLS() Option {
	return func(o *options) { o.starttls = true }
}

// WithImplicitTLS serves TLS from the first byte (like port 465); Config
// then trusts the certificate and uses mail.TLSImplicit.
func WithImplicitTLS() Option {
	return func(o *options) { o.implicitTLS = true }
}

// RejectRecipients makes RCPT TO fail with 550 for these addresses
// (compared case-insensitively).
func RejectRecipients(addrs ...string) Option {
	return func(o *options) {
		if o.reject == nil {
			o.reject = map[string]bool{}
		}
		for _, a := range addrs {
			o.reject[strings.ToLower(a)] = true
		}
	}
}

// Server is a running test SMTP server.
type Server struct {
	opts  options
	addr  *net.TCPAddr
	ln    net.Listener
	srv   *smtp.Server
	roots *x509.CertPool

	mu       sync.Mutex
	msgs     []Received
	t        testing.TB
	closed   bool
	stopOnce sync.Once
}

// Start listens on 127.0.0.1 on a free port and serves until the test ends
// (or Close is called).
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{t: t}
	for _, o := range opts {
		o(&s.opts)
	}
	if len(s.opts.mechs) == 0 {
		s.opts.mechs = []string{sasl.Plain}
	}

	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{srv: s, conn: c}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.MaxRecipients = 100
	// Bounded, so a client that hangs cannot hold the test past its cleanup.
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.ErrorLog = testLogger{s}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s.addr = l.Addr().(*net.TCPAddr)
	if s.opts.starttls || s.opts.implicitTLS {
		cert, roots, err := selfSigned()
		if err != nil {
			l.Close()
			t.Fatalf("mailtest: certificate: %v", err)
		}
		s.roots = roots
		s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if s.opts.implicitTLS {
			l = tls.NewListener(l, s.srv.TLSConfig)
		}
	}
	s.ln = l
	go func() { _ = s.srv.Serve(l) }()
	t.Cleanup(s.Close)
	return s
}

// Close stops the server; later connections are refused. It is called
// automatically when the test ends, and may be called earlier to simulate
// a server that is down.
func (s *Server) Close() {
	s.stopOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		// Closing the listener ourselves too: Serve may not have
		// registered it with the server yet when Close comes early.
		_ = s.ln.Close()
		_ = s.srv.Close()
	})
}

// Addr is "127.0.0.1:port".
func (s *Server) Addr() string { return s.addr.String() }

// Host is "127.0.0.1".
func (s *Server) Host() string { return s.addr.IP.String() }

// Port is the port the server listens on.
func (s *Server) Port() int { return s.addr.Port }

// Config returns a mail.Config for this server: TLS "none" unless a TLS
// option was given (then the test certificate is trusted), the credentials
// of RequireAuth, a fixed From and a short timeout.
func (s *Server) Config() mail.Config {
	c := mail.Config{
		Host:     s.Host(),
		Port:     s.Port(),
		Username: s.opts.user,
		Password: s.opts.pass,
		From:     "Khiên Số <no-reply@khienso.test>",
		TLS:      mail.TLSNone,
		Timeout:  10 * time.Second,
		RootCAs:  s.roots,
	}
	switch {
	case s.opts.implicitTLS:
		c.TLS = mail.TLSImplicit
	case s.opts.starttls:
		c.TLS = mail.TLSStartTLS
	}
	return c
}

// Messages returns a copy of the messages received so far, oldest first.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

// WaitFor polls until at least n messages have arrived and returns them;
// it fails the test if that takes longer than timeout (0 means 10s).
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.Messages()
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailtest: %d message(s) after %v, want %d", len(msgs), timeout, n)
			return msgs
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (s *Server) add(r Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, r)
}

// testLogger sends server errors to the test log, but only while the test
// runs: logging after it finished would panic.
type testLogger struct{ s *Server }

func (l testLogger) Printf(format string, v ...any) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if !l.s.closed {
		l.s.t.Logf("mailtest: "+format, v...)
	}
}

func (l testLogger) Println(v ...any) {
	l.Printf("%s", strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}

// session is one SMTP connection's state.
type session struct {
	srv      *Server
	conn     *smtp.Conn
	authUser string
	from     string
	to       []string
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string {
	if ss.srv.opts.user == "" {
		return nil
	}
	return ss.srv.opts.mechs
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	o := ss.srv.opts
	if o.user == "" {
		return nil, smtp.ErrAuthUnsupported
	}
	check := func(user, pass string) error {
		if user != o.user || pass != o.pass {
			return smtp.ErrAuthFailed
		}
		ss.authUser = user
		return nil
	}
	for _, m := range o.mechs {
		if !strings.EqualFold(m, mech) {
			continue
		}
		switch strings.ToUpper(mech) {
		case sasl.Plain:
			return sasl.NewPlainServer(func(identity, user, pass string) error {
				if identity != "" && identity != user {
					return smtp.ErrAuthFailed
				}
				return check(user, pass)
			}), nil
		case sasl.Login:
			return &loginServer{check: check}, nil
		}
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.srv.opts.user != "" && ss.authUser == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.srv.opts.reject[strings.ToLower(to)] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := ss.conn.TLSConnectionState()
	rec := Received{
		From:     ss.from,
		To:       append([]string(nil), ss.to...),
		Data:     data,
		AuthUser: ss.authUser,
		TLS:      isTLS,
	}
	rec.ParseErr = parse(&rec)
	ss.srv.add(rec)
	return nil
}

func (ss *session) Reset() {
	ss.from = ""
	ss.to = nil
}

func (ss *session) Logout() error { return nil }

// loginServer is the server side of the LOGIN mechanism, which go-sasl
// only implements as a client.
type loginServer struct {
	check func(user, pass string) error
	user  string
	step  int
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	l.step++
	switch l.step {
	case 1:
		if len(response) > 0 { // the user name came as an initial response
			l.user = string(response)
			l.step++
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 2:
		l.user = string(response)
		return []byte("Password:"), false, nil
	case 3:
		return nil, true, l.check(l.user, string(response))
	}
	return nil, false, sasl.ErrUnexpectedClientResponse
}

// parse fills the parsed fields of r from r.Data.
func parse(r *Received) error {
	msg, err := netmail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		return fmt.Errorf("read message: %w", err)
	}
	r.Headers = textproto.MIMEHeader(msg.Header)
	dec := mime.WordDecoder{}
	if r.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return fmt.Errorf("decode subject: %w", err)
	}
	return walk(r, r.Headers, msg.Body)
}

// walk decodes a body with header h into r.Text / r.HTML, descending into
// multipart containers.
func walk(r *Received, h textproto.MIMEHeader, body io.Reader) error {
	ctype := h.Get("Content-Type")
	if ctype == "" {
		ctype = "text/plain; charset=us-ascii"
	}
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return fmt.Errorf("content-type %q: %w", ctype, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("multipart: %w", err)
			}
			if err := walk(r, p.Header, p); err != nil {
				return err
			}
		}
	}
	var dr io.Reader = body
	switch cte := strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))); cte {
	case "quoted-printable":
		dr = quotedprintable.NewReader(body)
	case "base64":
		dr = base64.NewDecoder(base64.StdEncoding, newlineStripper{body})
	case "", "7bit", "8bit", "binary":
	default:
		return fmt.Errorf("unknown transfer encoding %q", cte)
	}
	b, err := io.ReadAll(dr)
	if err != nil {
		return fmt.Errorf("decode %s body: %w", mt, err)
	}
	if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "us-ascii" {
		return fmt.Errorf("unexpected charset %q", cs)
	}
	// CRLF is the wire form of a line break; tests compare with "\n".
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	switch mt {
	case "text/plain":
		r.Text = text
	case "text/html":
		r.HTML = text
	}
	return nil
}

// newlineStripper drops CR and LF so base64 line wrapping does not upset
// the decoder.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	for {
		k, err := n.r.Read(p)
		j := 0
		for _, c := range p[:k] {
			if c != '\r' && c != '\n' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// selfSigned makes a short-lived certificate for 127.0.0.1 and localhost
// and a pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}

// String summarises r for failure messages.
func (r Received) String() string {
	return "from=" + r.From + " to=" + strings.Join(r.To, ",") + " subject=" + strconv.Quote(r.Subject)
}
