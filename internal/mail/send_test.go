package mail_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"khienso/internal/mail"
	"khienso/internal/mail/mailtest"
)

func send(t *testing.T, cfg mail.Config, m mail.Message) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return mail.New(cfg).Send(ctx, m)
}

func only(t *testing.T, srv *mailtest.Server) mailtest.Received {
	t.Helper()
	msgs := srv.WaitFor(t, 1, 0)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	if msgs[0].ParseErr != nil {
		t.Fatalf("test server could not parse the message: %v\n%s", msgs[0].ParseErr, msgs[0].Data)
	}
	return msgs[0]
}

func TestSendVietnamese(t *testing.T) {
	srv := mailtest.Start(t)
	m := mail.Message{
		To:      []string{"Nguyễn Văn An <an@so-tttt.test>"},
		Subject: "Nhắc việc: hạn nộp báo cáo tuyên truyền an toàn thông tin quý III còn 7 ngày",
		Text:    "Kính gửi Sở Nội vụ,\n\nHạn nộp báo cáo là ngày 15/10/2025.\nTrân trọng,\nKhiên Số",
		Headers: map[string]string{"X-Khienso-Reminder": "r:12:u:7:before_7"},
	}
	if err := send(t, srv.Config(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := only(t, srv)
	if got.From != "no-reply@khienso.test" {
		t.Errorf("envelope from = %q", got.From)
	}
	if strings.Join(got.To, ",") != "an@so-tttt.test" {
		t.Errorf("envelope to = %v", got.To)
	}
	if got.Subject != m.Subject {
		t.Errorf("subject = %q, want %q", got.Subject, m.Subject)
	}
	if got.Text != m.Text+"\n" {
		t.Errorf("text = %q, want %q", got.Text, m.Text+"\n")
	}
	if got.HTML != "" {
		t.Errorf("html = %q, want none", got.HTML)
	}
	if v := got.Headers.Get("X-Khienso-Reminder"); v != "r:12:u:7:before_7" {
		t.Errorf("X-Khienso-Reminder = %q", v)
	}
	if v := got.Headers.Get("Message-Id"); !regexp.MustCompile(`^<[0-9a-f]{32}@khienso\.test>$`).MatchString(v) {
		t.Errorf("Message-ID = %q", v)
	}
	if v := got.Headers.Get("Mime-Version"); v != "1.0" {
		t.Errorf("MIME-Version = %q", v)
	}
	if _, err := time.Parse(time.RFC1123Z, got.Headers.Get("Date")); err != nil {
		t.Errorf("Date %q: %v", got.Headers.Get("Date"), err)
	}
	if got.AuthUser != "" || got.TLS {
		t.Errorf("auth=%q tls=%v, want neither", got.AuthUser, got.TLS)
	}
}

func TestSendMessageIDsDiffer(t *testing.T) {
	srv := mailtest.Start(t)
	m := mail.Message{To: []string{"a@x.test"}, Subject: "s", Text: "t"}
	for i := 0; i < 2; i++ {
		if err := send(t, srv.Config(), m); err != nil {
			t.Fatal(err)
		}
	}
	msgs := srv.WaitFor(t, 2, 0)
	if a, b := msgs[0].Headers.Get("Message-Id"), msgs[1].Headers.Get("Message-Id"); a == b {
		t.Errorf("two messages share Message-ID %q", a)
	}
}

func TestSendMultipleRecipients(t *testing.T) {
	srv := mailtest.Start(t)
	m := mail.Message{
		To:      []string{"a@x.test", "Trần Thị B <b@y.test>", "c@z.test", "A@X.TEST"},
		Subject: "Thông báo",
		Text:    "Nội dung",
	}
	if err := send(t, srv.Config(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := only(t, srv)
	if want := "a@x.test,b@y.test,c@z.test"; strings.Join(got.To, ",") != want {
		t.Errorf("envelope to = %v, want %s (duplicate dropped)", got.To, want)
	}
	to := got.Headers.Get("To")
	for _, want := range []string{"a@x.test", "<b@y.test>", "c@z.test"} {
		if !strings.Contains(to, want) {
			t.Errorf("To header %q lacks %q", to, want)
		}
	}
}

func TestSendHTMLAlternative(t *testing.T) {
	srv := mailtest.Start(t)
	m := mail.Message{
		To:      []string{"a@x.test"},
		Subject: "Báo cáo",
		Text:    "Xem báo cáo tại https://khienso.test/r/12",
		HTML:    `<p>Xem <a href="https://khienso.test/r/12">báo cáo</a></p>`,
	}
	if err := send(t, srv.Config(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := only(t, srv)
	if ct := got.Headers.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative;") {
		t.Errorf("Content-Type = %q", ct)
	}
	if got.Text != m.Text+"\n" || got.HTML != m.HTML+"\n" {
		t.Errorf("text = %q, html = %q", got.Text, got.HTML)
	}
}

func TestSendDotStuffing(t *testing.T) {
	srv := mailtest.Start(t)
	// Lines that are or start with dots would end or corrupt DATA if not
	// stuffed; ASCII keeps the body quoted-printable, so they reach the wire.
	text := ".\n..\n.hidden line\nend\n."
	if err := send(t, srv.Config(), mail.Message{To: []string{"a@x.test"}, Subject: "dots", Text: text}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := only(t, srv)
	if got.Text != text+"\n" {
		t.Errorf("text = %q, want %q", got.Text, text+"\n")
	}
	if !strings.Contains(string(got.Data), "\r\n.hidden line\r\n") {
		t.Errorf("raw data does not carry the dotted line unstuffed:\n%s", got.Data)
	}
}

func TestSendAuth(t *testing.T) {
	cases := []struct {
		name  string
		mechs []string
	}{
		{"plain", []string{"PLAIN"}},
		{"login", []string{"LOGIN"}},
		{"both prefers plain", []string{"LOGIN", "PLAIN"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := mailtest.Start(t, mailtest.RequireAuth("khienso", "mật khẩu:1"), mailtest.AuthMechanisms(c.mechs...))
			cfg := srv.Config()
			if cfg.Username != "khienso" || cfg.Password != "mật khẩu:1" {
				t.Fatalf("Config credentials = %q/%q", cfg.Username, cfg.Password)
			}
			if err := send(t, cfg, mail.Message{To: []string{"a@x.test"}, Subject: "s", Text: "t"}); err != nil {
				t.Fatalf("Send: %v", err)
			}
			if got := only(t, srv); got.AuthUser != "khienso" {
				t.Errorf("AuthUser = %q", got.AuthUser)
			}
		})
	}
}

func TestSendAuthFailures(t *testing.T) {
	msg := mail.Message{To: []string{"a@x.test"}, Subject: "s", Text: "t"}
	cases := []struct {
		name      string
		opts      []mailtest.Option
		edit      func(*mail.Config)
		want      string
		permanent bool
		insecure  bool
	}{
		{
			name:      "wrong password",
			opts:      []mailtest.Option{mailtest.RequireAuth("khienso", "right")},
			edit:      func(c *mail.Config) { c.Password = "wrong" },
			want:      "mail: auth: 535",
			permanent: true,
		},
		{
			name:      "no credentials configured",
			opts:      []mailtest.Option{mailtest.RequireAuth("khienso", "right")},
			edit:      func(c *mail.Config) { c.Username, c.Password = "", "" },
			want:      "mail: mail from <no-reply@khienso.test>: 502",
			permanent: true,
		},
		{
			name: "server offers no AUTH",
			edit: func(c *mail.Config) { c.Username, c.Password = "u", "p" },
			want: "mail: auth: server does not offer AUTH",
		},
		{
			name:      "starttls required for credentials but not offered",
			opts:      []mailtest.Option{mailtest.RequireAuth("khienso", "right")},
			edit:      func(c *mail.Config) { c.TLS = mail.TLSStartTLS },
			want:      "mail: starttls: refusing to send credentials without TLS",
			permanent: true,
			insecure:  true,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := mailtest.Start(t, c.opts...)
			cfg := srv.Config()
			c.edit(&cfg)
			err := send(t, cfg, msg)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("Send = %v, want error starting %q", err, c.want)
			}
			if got := mail.Permanent(err); got != c.permanent {
				t.Errorf("Permanent = %v, want %v", got, c.permanent)
			}
			if got := errors.Is(err, mail.ErrInsecure); got != c.insecure {
				t.Errorf("errors.Is(ErrInsecure) = %v, want %v", got, c.insecure)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server received %d messages", n)
			}
		})
	}
}

func TestSendTLS(t *testing.T) {
	cases := []struct {
		name string
		opts []mailtest.Option
		tls  string
	}{
		{"starttls", []mailtest.Option{mailtest.WithSTARTTLS()}, mail.TLSStartTLS},
		{"starttls with auth", []mailtest.Option{mailtest.WithSTARTTLS(), mailtest.RequireAuth("u", "p")}, mail.TLSStartTLS},
		{"implicit tls with auth", []mailtest.Option{mailtest.WithImplicitTLS(), mailtest.RequireAuth("u", "p")}, mail.TLSImplicit},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := mailtest.Start(t, c.opts...)
			cfg := srv.Config()
			if cfg.TLS != c.tls {
				t.Fatalf("Config TLS = %q, want %q", cfg.TLS, c.tls)
			}
			if err := send(t, cfg, mail.Message{To: []string{"a@x.test"}, Subject: "Bảo mật", Text: "t"}); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := only(t, srv)
			if !got.TLS {
				t.Errorf("message travelled unencrypted")
			}
			if got.Subject != "Bảo mật" {
				t.Errorf("subject = %q", got.Subject)
			}
		})
	}
}

func TestSendStartTLSOptionalWithoutCredentials(t *testing.T) {
	srv := mailtest.Start(t) // offers no STARTTLS
	cfg := srv.Config()
	cfg.TLS = mail.TLSStartTLS
	if err := send(t, cfg, mail.Message{To: []string{"a@x.test"}, Subject: "s", Text: "t"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := only(t, srv); got.TLS {
		t.Errorf("TLS = true on a server without TLS")
	}
}

func TestSendUntrustedCertificate(t *testing.T) {
	for _, opt := range []mailtest.Option{mailtest.WithSTARTTLS(), mailtest.WithImplicitTLS()} {
		srv := mailtest.Start(t, opt)
		cfg := srv.Config()
		cfg.RootCAs = nil // the system roots do not know the test certificate
		err := send(t, cfg, mail.Message{To: []string{"a@x.test"}, Subject: "s", Text: "t"})
		want := "mail: starttls: "
		if cfg.TLS == mail.TLSImplicit {
			want = "mail: dial " + srv.Addr() + ": "
		}
		if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("%s: Send = %v, want a certificate error starting %q", cfg.TLS, err, want)
		}
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("%s: server received %d messages", cfg.TLS, n)
		}
	}
}

func TestSendRecipientRejected(t *testing.T) {
	srv := mailtest.Start(t, mailtest.RejectRecipients("gone@x.test"))
	err := send(t, srv.Config(), mail.Message{To: []string{"a@x.test", "Gone <GONE@x.test>", "c@x.test"}, Subject: "s", Text: "t"})
	if err == nil || !strings.HasPrefix(err.Error(), "mail: rcpt <GONE@x.test>: 550") {
		t.Fatalf("Send = %v, want rcpt error", err)
	}
	if !mail.Permanent(err) {
		t.Errorf("550 should be permanent")
	}
	var se *mail.StepError
	if !errors.As(err, &se) || se.Step != mail.StepRcpt || se.Target != "<GONE@x.test>" {
		t.Errorf("step of %v = %+v, want rcpt <GONE@x.test>", err, se)
	}
	// All or nothing: the accepted recipients got nothing either.
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}

func TestSendInvalidMessageNeverConnects(t *testing.T) {
	srv := mailtest.Start(t)
	cases := []mail.Message{
		{To: []string{"a@x.test"}, Subject: "Hi\r\nBcc: victim@x.test", Text: "t"},
		{To: []string{"a@x.test\nBcc: victim@x.test"}, Subject: "s", Text: "t"},
		{To: []string{"a@x.test"}, Subject: "s", Text: "t", Headers: map[string]string{"X-Ref": "1\r\nBcc: victim@x.test"}},
		{To: []string{"a@x.test"}, Subject: "s", Text: "t", Headers: map[string]string{"Bcc": "victim@x.test"}},
		{To: []string{"not an address"}, Subject: "s", Text: "t"},
		{Subject: "s", Text: "t"},
	}
	for i, m := range cases {
		err := send(t, srv.Config(), m)
		if !errors.Is(err, mail.ErrInvalidMessage) || !mail.Permanent(err) {
			t.Errorf("case %d: Send = %v, want permanent ErrInvalidMessage", i, err)
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}

func TestSendInvalidConfig(t *testing.T) {
	err := mail.New(mail.Config{Host: "mail.example.vn"}).Send(context.Background(), mail.Message{To: []string{"a@x.test"}, Text: "t"})
	if !errors.Is(err, mail.ErrInvalidConfig) || !strings.Contains(err.Error(), "from address is missing") {
		t.Fatalf("Send = %v, want config error", err)
	}
}

func TestSendServerDown(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := srv.Config()
	srv.Close()
	err := send(t, cfg, mail.Message{To: []string{"a@x.test"}, Subject: "s", Text: "t"})
	if err == nil || !strings.HasPrefix(err.Error(), "mail: dial "+srv.Addr()+": ") {
		t.Fatalf("Send = %v, want dial error", err)
	}
	if mail.Permanent(err) {
		t.Errorf("a server that is down is a transient failure")
	}
	if se := (*mail.StepError)(nil); !errors.As(err, &se) || se.Step != mail.StepDial || se.Target != srv.Addr() {
		t.Errorf("step of %v = %+v, want dial", err, se)
	}
}

// stuckServer accepts connections and never answers, like a firewall that
// swallows packets or a hung relay.
func stuckServer(t *testing.T) mail.Config {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	a := l.Addr().(*net.TCPAddr)
	return mail.Config{Host: "127.0.0.1", Port: a.Port, From: "a@x.test", TLS: mail.TLSNone}
}

func TestSendHonoursContext(t *testing.T) {
	cfg := stuckServer(t)
	m := mail.Message{To: []string{"a@x.test"}, Subject: "s", Text: "t"}

	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- mail.New(cfg).Send(ctx, m) }()
		select {
		case err := <-done:
			if !strings.HasPrefix(fmt.Sprint(err), "mail: greeting: ") || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Send = %v, want greeting error wrapping context.DeadlineExceeded", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Send ignored the context deadline")
		}
	})

	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- mail.New(cfg).Send(ctx, m) }()
		time.Sleep(50 * time.Millisecond)
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Send = %v, want context.Canceled", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Send ignored cancellation")
		}
	})

	t.Run("config timeout", func(t *testing.T) {
		c := cfg
		c.Timeout = 100 * time.Millisecond
		done := make(chan error, 1)
		go func() { done <- mail.New(c).Send(context.Background(), m) }()
		select {
		case err := <-done:
			if !strings.HasPrefix(fmt.Sprint(err), "mail: greeting: ") || !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Errorf("Send = %v, want greeting timeout", err)
			}
			if mail.Permanent(err) {
				t.Errorf("a timeout is transient")
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Send ignored Config.Timeout")
		}
	})
}

func TestSendConcurrent(t *testing.T) {
	srv := mailtest.Start(t)
	s := mail.New(srv.Config())
	const n = 8
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			errs <- s.Send(context.Background(), mail.Message{To: []string{fmt.Sprintf("u%d@x.test", i)}, Subject: fmt.Sprintf("Tin %d", i), Text: "t"})
		}()
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	msgs := srv.WaitFor(t, n, 0)
	seen := map[string]bool{}
	for _, m := range msgs {
		seen[m.Subject] = true
	}
	if len(seen) != n {
		t.Errorf("got %d distinct subjects, want %d", len(seen), n)
	}
}
