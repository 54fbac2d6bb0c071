package mail

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		raw  string
		want Config
		err  string // substring of the error; "" means success
	}{
		{
			raw:  "smtp://user:pass@mail.example.vn:587?from=no-reply@example.vn&tls=starttls",
			want: Config{Host: "mail.example.vn", Port: 587, Username: "user", Password: "pass", From: "no-reply@example.vn", TLS: TLSStartTLS},
		},
		{
			raw:  "smtp://mail.example.vn?from=Khi%C3%AAn%20S%E1%BB%91%20%3Cno-reply%40example.vn%3E",
			want: Config{Host: "mail.example.vn", Port: 587, From: "Khiên Số <no-reply@example.vn>", TLS: TLSStartTLS},
		},
		{
			// Spaces typed literally and '+' as form encoding both work.
			raw:  "smtp://mail.example.vn?from=Khi%C3%AAn+S%E1%BB%91 <no-reply@example.vn>",
			want: Config{Host: "mail.example.vn", Port: 587, From: "Khiên Số <no-reply@example.vn>", TLS: TLSStartTLS},
		},
		{
			raw:  "smtps://no-reply%40example.vn:p%40ss%3Aw0rd@smtp.example.vn",
			want: Config{Host: "smtp.example.vn", Port: 465, Username: "no-reply@example.vn", Password: "p@ss:w0rd", From: "no-reply@example.vn", TLS: TLSImplicit},
		},
		{
			raw:  "SMTPS://u@smtp.example.vn:2465?tls=tls&from=a@b.vn",
			want: Config{Host: "smtp.example.vn", Port: 2465, Username: "u", From: "a@b.vn", TLS: TLSImplicit},
		},
		{
			raw:  "smtp://relay.local?tls=none&from=a@b.vn&timeout=20s",
			want: Config{Host: "relay.local", Port: 25, From: "a@b.vn", TLS: TLSNone, Timeout: 20 * time.Second},
		},
		{
			raw:  "smtp://[::1]:2525/?tls=NONE&from=a@b.vn",
			want: Config{Host: "::1", Port: 2525, From: "a@b.vn", TLS: TLSNone},
		},
		{
			// Credentials in clear are allowed to loopback only.
			raw:  "smtp://u:p@127.0.0.1:2525?tls=none&from=a@b.vn",
			want: Config{Host: "127.0.0.1", Port: 2525, Username: "u", Password: "p", From: "a@b.vn", TLS: TLSNone},
		},

		{raw: "", err: "empty"},
		{raw: "   ", err: "empty"},
		{raw: "mail.example.vn:587", err: "scheme"},
		{raw: "//mail.example.vn", err: "scheme is missing"},
		{raw: "http://mail.example.vn?from=a@b.vn", err: `scheme "http"`},
		{raw: "smtp:mail.example.vn", err: "not smtp:host"},
		{raw: "smtp://?from=a@b.vn", err: "host is missing"},
		{raw: "smtp://:587?from=a@b.vn", err: "host is missing"},
		{raw: "smtp://u:p@?from=a@b.vn", err: "host is missing"},
		{raw: "smtp://mail.example.vn:abc?from=a@b.vn", err: "invalid port"},
		{raw: "smtp://mail.example.vn:0?from=a@b.vn", err: `port "0"`},
		{raw: "smtp://mail.example.vn:70000?from=a@b.vn", err: `port "70000"`},
		{raw: "smtp://mail.example.vn:?from=a@b.vn", err: "port is empty"},
		{raw: "smtp://mail.example.vn/inbox?from=a@b.vn", err: "unexpected path"},
		{raw: "smtp://mail.example.vn?from=a@b.vn#x", err: "unexpected fragment"},
		{raw: "smtp://:p@mail.example.vn?from=a@b.vn", err: "user name is empty"},
		{raw: "smtp://mail.example.vn", err: "from is missing"},
		{raw: "smtp://user:pass@mail.example.vn", err: "from is missing"},
		{raw: "smtp://mail.example.vn?from=", err: "from is missing"},
		{raw: "smtp://mail.example.vn?from=not-an-address", err: `from address "not-an-address"`},
		{raw: "smtp://mail.example.vn?from=a@b.vn%0D%0ABcc:x@y.vn", err: "line break"},
		{raw: "smtp://mail.example.vn?from=nguy%E1%BB%85n@b.vn", err: "not ASCII"},
		{raw: "smtp://mail.example.vn?from=a@b.vn&tls=ssl", err: `tls="ssl"`},
		{raw: "smtps://mail.example.vn?from=a@b.vn&tls=starttls", err: "smtps:// always uses implicit TLS"},
		{raw: "smtp://mail.example.vn?from=a@b.vn&timeout=soon", err: `timeout "soon"`},
		{raw: "smtp://mail.example.vn?from=a@b.vn&timeout=-1s", err: `timeout "-1s"`},
		{raw: "smtp://mail.example.vn?form=a@b.vn", err: `unknown parameter "form"`},
		{raw: "smtp://mail.example.vn?from=a@b.vn&from=c@d.vn", err: `"from" given 2 times`},
		{raw: "smtp://mail.example.vn?from=a@b.vn&x=%zz", err: "query"},
		{raw: "smtp://u:p@mail.example.vn?tls=none&from=a@b.vn", err: "in clear"},
		{raw: "smtp://m%C3%A0il.example.vn?from=a@b.vn", err: "not an ASCII host name"},
	}
	for _, c := range cases {
		t.Run(c.raw, func(t *testing.T) {
			got, err := ParseURL(c.raw)
			if c.err != "" {
				if err == nil {
					t.Fatalf("ParseURL = %+v, want error containing %q", got, c.err)
				}
				if !errors.Is(err, ErrInvalidConfig) {
					t.Errorf("error %v does not wrap ErrInvalidConfig", err)
				}
				if !strings.Contains(err.Error(), c.err) {
					t.Errorf("error %q does not contain %q", err, c.err)
				}
				if strings.Contains(err.Error(), "pass") && strings.Contains(c.raw, ":pass@") {
					t.Errorf("error leaks the password: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseURL: %v", err)
			}
			if got != c.want {
				t.Errorf("ParseURL =\n%+v\nwant\n%+v", got, c.want)
			}
		})
	}
}

func TestParseURLErrorHidesPassword(t *testing.T) {
	_, err := ParseURL("smtp://user:s3cret@mail.example.vn:bad?from=a@b.vn")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("err = %v; want an error without the password", err)
	}
}

func TestValidate(t *testing.T) {
	ok := Config{Host: "mail.example.vn", From: "a@b.vn"}
	cases := []struct {
		name string
		edit func(*Config)
		err  string
	}{
		{"defaults are fine", func(*Config) {}, ""},
		{"ipv6", func(c *Config) { c.Host = "2001:db8::1" }, ""},
		{"no host", func(c *Config) { c.Host = "" }, "host is missing"},
		{"host with slash", func(c *Config) { c.Host = "mail/x" }, "not an ASCII host name"},
		{"host with port", func(c *Config) { c.Host = "mail.example.vn:25" }, "not an ASCII host name"},
		{"negative port", func(c *Config) { c.Port = -1 }, "port -1"},
		{"huge port", func(c *Config) { c.Port = 65536 }, "port 65536"},
		{"bad tls", func(c *Config) { c.TLS = "ssl" }, `tls mode "ssl"`},
		{"negative timeout", func(c *Config) { c.Timeout = -time.Second }, "timeout -1s is negative"},
		{"password only", func(c *Config) { c.Password = "p" }, "password given without a user name"},
		{"creds in clear", func(c *Config) { c.Username, c.TLS = "u", TLSNone }, "in clear"},
		{"creds in clear to loopback", func(c *Config) { c.Host, c.Username, c.TLS = "localhost", "u", TLSNone }, ""},
		{"newline in user", func(c *Config) { c.Username = "u\r\nQUIT" }, "line break"},
		{"no from", func(c *Config) { c.From = "" }, "from address is missing"},
		{"bad from", func(c *Config) { c.From = "Khiên Số" }, "from address"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := ok
			c.edit(&cfg)
			err := cfg.Validate()
			if c.err == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), c.err) {
				t.Fatalf("Validate = %v, want ErrInvalidConfig containing %q", err, c.err)
			}
		})
	}
}

func TestRedacted(t *testing.T) {
	cases := []struct {
		cfg  Config
		want string
	}{
		{
			Config{Host: "mail.example.vn", Username: "u", Password: "secret", From: "a@b.vn"},
			"smtp://u:xxxxx@mail.example.vn:587?from=a%40b.vn&tls=starttls",
		},
		{
			Config{Host: "::1", Port: 2525, From: "a@b.vn", TLS: TLSNone, Timeout: 5 * time.Second},
			"smtp://[::1]:2525?from=a%40b.vn&timeout=5s&tls=none",
		},
		{
			Config{Host: "smtp.example.vn", Username: "u", TLS: TLSImplicit, From: "a@b.vn"},
			"smtps://u@smtp.example.vn:465?from=a%40b.vn",
		},
	}
	for _, c := range cases {
		got := c.cfg.Redacted()
		if got != c.want {
			t.Errorf("Redacted = %q, want %q", got, c.want)
		}
		back, err := ParseURL(got)
		if err != nil {
			t.Errorf("ParseURL(Redacted) = %v", err)
			continue
		}
		want := c.cfg.withDefaults()
		// URL keeps the password; it reads back as the configuration.
		if back, err := ParseURL(c.cfg.URL()); err != nil || back.Password != want.Password || back.Host != want.Host {
			t.Errorf("ParseURL(URL) = %+v, %v, want %+v", back, err, want)
		}
		if want.Password != "" {
			want.Password = "xxxxx"
		}
		if want.Timeout == DefaultTimeout {
			want.Timeout = 0
		}
		if back != want {
			t.Errorf("ParseURL(Redacted) = %+v, want %+v", back, want)
		}
	}
}
