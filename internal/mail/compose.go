package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxLine is the length RFC 5322 recommends for header lines; folding aims
// below it.
const maxLine = 78

// reserved header fields are written by compose; letting callers set them
// would duplicate or contradict them (and Cc/Bcc would not reach the
// envelope).
var reserved = map[string]bool{
	"from": true, "sender": true, "to": true, "cc": true, "bcc": true,
	"subject": true, "date": true, "message-id": true, "mime-version": true,
	"content-type": true, "content-transfer-encoding": true, "return-path": true,
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidMessage, fmt.Sprintf(format, args...))
}

// parseAddress reads one "a@b.vn" or "Name <a@b.vn>". It refuses line
// breaks up front (they are how header injection starts) and non-ASCII
// addresses, which need SMTPUTF8 that few relays offer.
func parseAddress(s string) (*netmail.Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("contains a line break")
	}
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(a.Address); i++ {
		if a.Address[i] >= utf8.RuneSelf {
			return nil, fmt.Errorf("address %q is not ASCII", a.Address)
		}
	}
	a.Name = norm.NFC.String(a.Name)
	return a, nil
}

// formatAddress renders a for a header: the bare address when there is no
// display name, else the name (RFC 2047-encoded if needed) and <address>.
func formatAddress(a *netmail.Address) string {
	s := a.String()
	if a.Name == "" {
		s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	}
	return s
}

// compose renders m as an RFC 5322 message with CRLF line endings (not yet
// dot-stuffed) and returns it with the envelope recipients. rnd supplies the
// Message-ID and MIME boundary; nil means crypto/rand.
func compose(from *netmail.Address, m Message, now time.Time, rnd io.Reader) ([]byte, []string, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	if len(m.To) == 0 {
		return nil, nil, invalid("no recipients")
	}
	var to []string
	var rcpts []string
	seen := map[string]bool{}
	for _, s := range m.To {
		a, err := parseAddress(s)
		if err != nil {
			return nil, nil, invalid("recipient %q: %v", s, err)
		}
		key := strings.ToLower(a.Address)
		if seen[key] {
			continue // one copy per mailbox, however often it was listed
		}
		seen[key] = true
		to = append(to, formatAddress(a))
		rcpts = append(rcpts, a.Address)
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, nil, invalid("subject contains a line break (header injection?)")
	}
	if m.Text == "" && m.HTML == "" {
		return nil, nil, invalid("no body: Text and HTML are both empty")
	}
	extra, err := extraHeaders(m.Headers)
	if err != nil {
		return nil, nil, err
	}

	var id [16]byte
	if _, err := io.ReadFull(rnd, id[:]); err != nil {
		return nil, nil, fmt.Errorf("message id: %w", err)
	}
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]

	var b bytes.Buffer
	writeField(&b, "Date", now.Format(time.RFC1123Z))
	writeField(&b, "Message-ID", "<"+hex.EncodeToString(id[:])+"@"+domain+">")
	writeField(&b, "From", formatAddress(from))
	writeField(&b, "To", strings.Join(to, ", "))
	writeField(&b, "Subject", encodeText(norm.NFC.String(m.Subject)))
	writeField(&b, "MIME-Version", "1.0")
	for _, h := range extra {
		writeField(&b, h[0], h[1])
	}

	text := normalizeBody(m.Text)
	html := normalizeBody(m.HTML)
	switch {
	case m.HTML == "":
		writeBody(&b, "text/plain", text)
	case m.Text == "":
		writeBody(&b, "text/html", html)
	default:
		var bnd [12]byte
		if _, err := io.ReadFull(rnd, bnd[:]); err != nil {
			return nil, nil, fmt.Errorf("mime boundary: %w", err)
		}
		mw := multipart.NewWriter(&b)
		if err := mw.SetBoundary("=_khienso_" + hex.EncodeToString(bnd[:])); err != nil {
			return nil, nil, fmt.Errorf("mime boundary: %w", err)
		}
		writeField(&b, "Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
		b.WriteString("\r\n")
		// Plain text first: in multipart/alternative the last part is the
		// preferred one, and the HTML version is the richer.
		for _, p := range []struct{ ctype, body string }{{"text/plain", text}, {"text/html", html}} {
			cte := chooseEncoding(p.body)
			pw, err := mw.CreatePart(textproto.MIMEHeader{
				"Content-Type":              {p.ctype + "; charset=UTF-8"},
				"Content-Transfer-Encoding": {cte},
			})
			if err != nil {
				return nil, nil, fmt.Errorf("mime part: %w", err)
			}
			if err := encodeBody(pw, cte, p.body); err != nil {
				return nil, nil, fmt.Errorf("mime part: %w", err)
			}
		}
		// Close writes the closing delimiter, CRLF included.
		if err := mw.Close(); err != nil {
			return nil, nil, fmt.Errorf("mime close: %w", err)
		}
	}
	return b.Bytes(), rcpts, nil
}

// extraHeaders validates the caller's header fields and returns them
// encoded, sorted by name so the output is deterministic.
func extraHeaders(h map[string]string) ([][2]string, error) {
	var out [][2]string
	seen := map[string]bool{}
	autoSubmitted := false
	for name, value := range h {
		if !validFieldName(name) {
			return nil, invalid("header name %q is not a valid field name", name)
		}
		lower := strings.ToLower(name)
		if reserved[lower] {
			return nil, invalid("header %q is set by the mailer and cannot be overridden", name)
		}
		if seen[lower] {
			return nil, invalid("header %q is given twice", name)
		}
		seen[lower] = true
		if strings.ContainsAny(value, "\r\n") {
			return nil, invalid("header %q contains a line break (header injection?)", name)
		}
		switch lower {
		case "reply-to":
			list, err := netmail.ParseAddressList(value)
			if err != nil {
				return nil, invalid("header %q: %v", name, err)
			}
			parts := make([]string, len(list))
			for i, a := range list {
				a.Name = norm.NFC.String(a.Name)
				parts[i] = formatAddress(a)
			}
			value = strings.Join(parts, ", ")
		case "auto-submitted":
			autoSubmitted = true
			value = encodeText(value)
		default:
			value = encodeText(norm.NFC.String(value))
		}
		out = append(out, [2]string{textproto.CanonicalMIMEHeaderKey(name), value})
	}
	if !autoSubmitted {
		// Every Khiên Số mail is machine-sent; RFC 3834 asks that it say so,
		// which also keeps out-of-office replies from answering it.
		out = append(out, [2]string{"Auto-Submitted", "auto-generated"})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out, nil
}

// validFieldName follows RFC 5322 section 3.6.8: printable ASCII except
// colon.
func validFieldName(name string) bool {
	if name == "" || len(name) > 76 {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}

// writeField writes "Name: value" folded at spaces so lines stay near
// maxLine; unfolding (removing the CRLFs) restores value exactly.
func writeField(b *bytes.Buffer, name, value string) {
	lineLen := len(name) + 1
	b.WriteString(name)
	b.WriteByte(':')
	for i, tok := range strings.Split(value, " ") {
		if i > 0 && tok != "" && lineLen+1+len(tok) > maxLine && lineLen > len(name)+1 {
			b.WriteString("\r\n")
			lineLen = 0
		}
		b.WriteByte(' ')
		b.WriteString(tok)
		lineLen += 1 + len(tok)
	}
	b.WriteString("\r\n")
}

// encodeText makes s safe for an unstructured header such as Subject.
// Plain printable ASCII stays readable; anything else (Vietnamese, control
// characters, text that looks like an encoded word, words too long to fold)
// becomes RFC 2047 base64 encoded words of whole UTF-8 characters.
func encodeText(s string) string {
	if plainASCII(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	// 39 bytes encode to 52 base64 characters: a 64-character encoded
	// word, within RFC 2047's 75 and short enough that "Subject: " plus one
	// word still fits a 78-character line.
	const chunk = 39
	var words []string
	for len(s) > 0 {
		n := 0
		for n < len(s) {
			_, size := utf8.DecodeRuneInString(s[n:])
			if n+size > chunk {
				break
			}
			n += size
		}
		words = append(words, "=?UTF-8?B?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, " ")
}

func plainASCII(s string) bool {
	if strings.Contains(s, "=?") {
		return false
	}
	word := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return false
		}
		if c == ' ' {
			word = 0
		} else if word++; word > 900 {
			return false
		}
	}
	return true
}

// normalizeBody gives bodies one form: valid UTF-8, composed (NFC)
// Vietnamese, "\n" line ends (the encoders emit CRLF) and a final line
// break. The last is what a single-part body gets on the wire anyway, so
// making it explicit gives every body the same decoded text.
func normalizeBody(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = norm.NFC.String(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}

// chooseEncoding picks the smaller transfer encoding: quoted-printable
// costs two extra bytes per non-ASCII byte, base64 a third of everything.
func chooseEncoding(s string) string {
	high := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			high++
		}
	}
	if high*6 > len(s) {
		return "base64"
	}
	return "quoted-printable"
}

// writeBody writes the content headers, the blank line and the encoded body
// of a single-part message.
func writeBody(b *bytes.Buffer, ctype, body string) {
	cte := chooseEncoding(body)
	writeField(b, "Content-Type", ctype+"; charset=UTF-8")
	writeField(b, "Content-Transfer-Encoding", cte)
	b.WriteString("\r\n")
	// Writing to a bytes.Buffer cannot fail.
	_ = encodeBody(b, cte, body)
}

// encodeBody writes body in the transfer encoding cte with CRLF line ends
// and a final line break.
func encodeBody(w io.Writer, cte, body string) error {
	if cte == "base64" {
		// Text is canonically CRLF-terminated before encoding (RFC 2045);
		// quoted-printable's writer does this itself.
		enc := base64.StdEncoding.EncodeToString([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
		for len(enc) > 76 {
			if _, err := io.WriteString(w, enc[:76]+"\r\n"); err != nil {
				return err
			}
			enc = enc[76:]
		}
		_, err := io.WriteString(w, enc+"\r\n")
		return err
	}
	qp := quotedprintable.NewWriter(w)
	if _, err := io.WriteString(qp, body); err != nil {
		return err
	}
	if err := qp.Close(); err != nil {
		return err
	}
	if !strings.HasSuffix(body, "\n") {
		_, err := io.WriteString(w, "\r\n")
		return err
	}
	return nil
}
