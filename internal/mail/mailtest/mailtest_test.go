package mailtest

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"khienso/internal/mail"
)

// These tests drive the server with the standard library's client and
// hand-written messages, so they check the server independently of
// package mail.

func TestReceiveAndParse(t *testing.T) {
	cases := []struct {
		name               string
		raw                string
		subject, text, htm string
	}{
		{
			name:    "quoted-printable with encoded subject",
			raw:     "Subject: =?UTF-8?Q?H=E1=BA=A1n_n=E1=BB=99p?= =?UTF-8?B?IGLDoW8gY8Ohbw==?=\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nK=C3=ADnh g=E1=BB=ADi,\r\n.dot\r\nsoft=\r\nbreak\r\n",
			subject: "Hạn nộp báo cáo",
			text:    "Kính gửi,\n.dot\nsoftbreak\n",
		},
		{
			name: "multipart with base64 parts",
			raw: "Subject: plain\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n" +
				"--b1\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\nWGluIGNo\r\nw6Bv\r\n" +
				"--b1\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\nPHA+WGluIGNow6BvPC9wPg==\r\n" +
				"--b1--\r\n",
			subject: "plain",
			text:    "Xin chào",
			htm:     "<p>Xin chào</p>",
		},
		{
			name:    "no content type",
			raw:     "Subject: bare\r\n\r\nhello\r\n",
			subject: "bare",
			text:    "hello\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Start(t)
			if err := smtp.SendMail(s.Addr(), nil, "from@x.test", []string{"a@x.test", "b@x.test"}, []byte(c.raw)); err != nil {
				t.Fatalf("SendMail: %v", err)
			}
			got := s.WaitFor(t, 1, 5*time.Second)[0]
			if got.ParseErr != nil {
				t.Fatalf("ParseErr: %v", got.ParseErr)
			}
			if got.From != "from@x.test" || strings.Join(got.To, ",") != "a@x.test,b@x.test" {
				t.Errorf("envelope = %q -> %v", got.From, got.To)
			}
			if string(got.Data) != c.raw {
				t.Errorf("Data = %q, want %q", got.Data, c.raw)
			}
			if got.Subject != c.subject || got.Text != c.text || got.HTML != c.htm {
				t.Errorf("subject/text/html = %q / %q / %q, want %q / %q / %q", got.Subject, got.Text, got.HTML, c.subject, c.text, c.htm)
			}
		})
	}
}

func TestParseErrorIsKept(t *testing.T) {
	s := Start(t)
	raw := "Subject: x\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: uuencode\r\n\r\nbody\r\n"
	if err := smtp.SendMail(s.Addr(), nil, "f@x.test", []string{"a@x.test"}, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	got := s.WaitFor(t, 1, 0)[0]
	if got.ParseErr == nil || !strings.Contains(got.ParseErr.Error(), "uuencode") {
		t.Errorf("ParseErr = %v", got.ParseErr)
	}
	if string(got.Data) != raw {
		t.Errorf("raw data lost")
	}
}

func TestRequireAuth(t *testing.T) {
	s := Start(t, RequireAuth("u", "p"))
	msg := []byte("Subject: x\r\n\r\nbody\r\n")

	var te *textproto.Error
	err := smtp.SendMail(s.Addr(), nil, "f@x.test", []string{"a@x.test"}, msg)
	if !errors.As(err, &te) || te.Code != 502 {
		t.Errorf("without auth: %v, want 502", err)
	}
	err = smtp.SendMail(s.Addr(), smtp.PlainAuth("", "u", "wrong", s.Host()), "f@x.test", []string{"a@x.test"}, msg)
	if !errors.As(err, &te) || te.Code != 535 {
		t.Errorf("wrong password: %v, want 535", err)
	}
	if err := smtp.SendMail(s.Addr(), smtp.PlainAuth("", "u", "p", s.Host()), "f@x.test", []string{"a@x.test"}, msg); err != nil {
		t.Fatalf("with auth: %v", err)
	}
	if got := s.WaitFor(t, 1, 0); len(got) != 1 || got[0].AuthUser != "u" {
		t.Errorf("messages = %v", got)
	}
}

func TestRejectRecipients(t *testing.T) {
	s := Start(t, RejectRecipients("No@X.test"))
	err := smtp.SendMail(s.Addr(), nil, "f@x.test", []string{"a@x.test", "no@x.test"}, []byte("Subject: x\r\n\r\nb\r\n"))
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != 550 {
		t.Errorf("SendMail = %v, want 550", err)
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("%d messages stored", n)
	}
}

func TestConfig(t *testing.T) {
	plain := Start(t).Config()
	if plain.Host != "127.0.0.1" || plain.Port == 0 || plain.TLS != mail.TLSNone || plain.RootCAs != nil {
		t.Errorf("plain Config = %+v", plain)
	}
	if err := plain.Validate(); err != nil {
		t.Errorf("plain Config invalid: %v", err)
	}
	s := Start(t, WithSTARTTLS(), RequireAuth("u", "p"))
	c := s.Config()
	if c.TLS != mail.TLSStartTLS || c.RootCAs == nil || c.Username != "u" || c.Password != "p" || c.Port != s.Port() {
		t.Errorf("starttls Config = %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("starttls Config invalid: %v", err)
	}
	if c := Start(t, WithImplicitTLS()).Config(); c.TLS != mail.TLSImplicit || c.RootCAs == nil {
		t.Errorf("implicit Config = %+v", c)
	}
}

func TestMessagesIsACopy(t *testing.T) {
	s := Start(t)
	if err := smtp.SendMail(s.Addr(), nil, "f@x.test", []string{"a@x.test"}, []byte("Subject: x\r\n\r\nb\r\n")); err != nil {
		t.Fatal(err)
	}
	first := s.WaitFor(t, 1, 0)
	first[0].Subject = "changed"
	if s.Messages()[0].Subject != "x" {
		t.Errorf("Messages shares its backing array")
	}
}
