package mail

import (
	"errors"
	"fmt"
	"net/smtp"
	"strings"
)

// chooseAuth picks a SASL mechanism the server offers. PLAIN is preferred;
// LOGIN is the fallback some Exchange-style relays still require. The TLS
// precondition is checked by the caller, so these never refuse on their own
// the way net/smtp.PlainAuth does for non-local plain connections.
func chooseAuth(c *smtp.Client, user, pass string) (smtp.Auth, error) {
	ok, params := c.Extension("AUTH")
	if !ok {
		return nil, errors.New("server does not offer AUTH, but a user name is configured")
	}
	mechs := strings.Fields(strings.ToUpper(params))
	for _, want := range []string{"PLAIN", "LOGIN"} {
		for _, m := range mechs {
			if m == want {
				if want == "PLAIN" {
					return plainAuth{user: user, pass: pass}, nil
				}
				return &loginAuth{user: user, pass: pass}, nil
			}
		}
	}
	return nil, fmt.Errorf("no supported mechanism (server offers %q; want PLAIN or LOGIN)", params)
}

// plainAuth is RFC 4616 PLAIN with the credentials in the initial response.
type plainAuth struct{ user, pass string }

func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected server challenge after PLAIN credentials")
	}
	return nil, nil
}

// loginAuth is the non-standard but widespread LOGIN mechanism: the server
// prompts "Username:" then "Password:".
type loginAuth struct {
	user, pass string
	step       int
}

func (a *loginAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	a.step = 0
	return "LOGIN", nil, nil
}

func (a *loginAuth) Next(challenge []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	prompt := strings.ToLower(string(challenge))
	switch {
	case strings.Contains(prompt, "user"):
		return []byte(a.user), nil
	case strings.Contains(prompt, "pass"):
		return []byte(a.pass), nil
	// Servers that send other prompts still ask in this order.
	case a.step == 1:
		return []byte(a.user), nil
	case a.step == 2:
		return []byte(a.pass), nil
	}
	return nil, fmt.Errorf("unexpected LOGIN challenge %q", challenge)
}
