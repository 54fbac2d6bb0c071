package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2025, 10, 8, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))

// zeros makes Message-ID and boundary predictable.
func zeros() io.Reader { return bytes.NewReader(make([]byte, 64)) }

func mustFrom(t *testing.T, s string) *netmail.Address {
	t.Helper()
	a, err := parseFrom(s)
	if err != nil {
		t.Fatalf("parseFrom(%q): %v", s, err)
	}
	return a
}

func TestComposePlainExact(t *testing.T) {
	raw, rcpts, err := compose(mustFrom(t, "no-reply@khienso.vn"), Message{
		To:      []string{"an@so.vn"},
		Subject: "Report due",
		Text:    "Hello,\n.\nBye",
		Headers: map[string]string{"X-Khienso-Reminder": "r:12:u:7:before_7"},
	}, testNow, zeros())
	if err != nil {
		t.Fatal(err)
	}
	want := "Date: Wed, 08 Oct 2025 09:00:00 +0700\r\n" +
		"Message-ID: <00000000000000000000000000000000@khienso.vn>\r\n" +
		"From: no-reply@khienso.vn\r\n" +
		"To: an@so.vn\r\n" +
		"Subject: Report due\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Auto-Submitted: auto-generated\r\n" +
		"X-Khienso-Reminder: r:12:u:7:before_7\r\n" +
		"Content-Type: text/plain; charset=UTF-8\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n" +
		"\r\n" +
		"Hello,\r\n.\r\nBye\r\n"
	if string(raw) != want {
		t.Errorf("message:\n%q\nwant\n%q", raw, want)
	}
	if strings.Join(rcpts, ",") != "an@so.vn" {
		t.Errorf("rcpts = %v", rcpts)
	}
}

// checkWire asserts the invariants every composed message must keep.
func checkWire(t *testing.T, raw []byte) {
	t.Helper()
	for i, line := range strings.Split(string(raw), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > maxLine {
			t.Errorf("line %d is %d long: %q", i+1, len(line), line)
		}
		for _, c := range []byte(line) {
			if c >= 0x80 {
				t.Errorf("line %d is not 7-bit: %q", i+1, line)
				break
			}
		}
	}
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Errorf("message does not end with CRLF")
	}
}

func TestComposeVietnameseRoundTrip(t *testing.T) {
	subject := "Nhắc hạn nộp báo cáo quý III năm 2025 của Sở Thông tin và Truyền thông tỉnh Nghệ An"
	text := "Kính gửi anh Nguyễn Văn An,\r\nHạn nộp báo cáo là 15/10/2025.\rTrân trọng."
	html := "<p>Kính gửi anh <b>Nguyễn Văn An</b></p>"
	// The display name arrives decomposed (NFD), as some keyboards type it.
	raw, rcpts, err := compose(mustFrom(t, "Khiên Số <no-reply@khienso.vn>"), Message{
		To:      []string{"Nguye\u0302\u0303n Văn An <an@so.vn>", "b@x.vn", "AN@SO.VN"},
		Subject: subject,
		Text:    text,
		HTML:    html,
		Headers: map[string]string{"X-Unit": "Sở Nội vụ", "Reply-To": "Phòng CNTT <cntt@so.vn>"},
	}, testNow, zeros())
	if err != nil {
		t.Fatal(err)
	}
	checkWire(t, raw)
	if strings.Join(rcpts, ",") != "an@so.vn,b@x.vn" {
		t.Errorf("rcpts = %v, want duplicates folded", rcpts)
	}

	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dec := mime.WordDecoder{}
	for _, c := range []struct{ field, want string }{
		{"Subject", subject},
		{"From", "Khiên Số <no-reply@khienso.vn>"},
		{"To", "Nguyễn Văn An <an@so.vn>, b@x.vn"},
		{"X-Unit", "Sở Nội vụ"},
		{"Reply-To", "Phòng CNTT <cntt@so.vn>"},
		{"Auto-Submitted", "auto-generated"},
		{"Mime-Version", "1.0"},
	} {
		got, err := dec.DecodeHeader(msg.Header.Get(c.field))
		if err != nil {
			t.Errorf("%s: %v", c.field, err)
		}
		if got != c.want {
			t.Errorf("%s = %q, want %q", c.field, got, c.want)
		}
	}
	if d, err := msg.Header.Date(); err != nil || !d.Equal(testNow) {
		t.Errorf("Date = %v, %v; want %v", d, err, testNow)
	}

	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v)", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	wantParts := []struct{ ctype, body string }{
		{"text/plain; charset=UTF-8", "Kính gửi anh Nguyễn Văn An,\nHạn nộp báo cáo là 15/10/2025.\nTrân trọng.\n"},
		{"text/html; charset=UTF-8", html + "\n"},
	}
	for i, w := range wantParts {
		p, err := mr.NextRawPart()
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if got := p.Header.Get("Content-Type"); got != w.ctype {
			t.Errorf("part %d Content-Type = %q, want %q", i, got, w.ctype)
		}
		if got := p.Header.Get("Content-Transfer-Encoding"); got != "base64" {
			t.Errorf("part %d encoding = %q, want base64 for Vietnamese text", i, got)
		}
		body, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		decoded, err := decodeBase64Lines(string(body))
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if got := strings.ReplaceAll(decoded, "\r\n", "\n"); got != w.body {
			t.Errorf("part %d body = %q, want %q", i, got, w.body)
		}
		if strings.Contains(strings.ReplaceAll(decoded, "\r\n", ""), "\n") {
			t.Errorf("part %d has bare LF inside base64: %q", i, decoded)
		}
	}
	if _, err := mr.NextRawPart(); err != io.EOF {
		t.Errorf("after two parts: %v, want EOF", err)
	}
}

func decodeBase64Lines(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(s, "\r\n", ""))
	return string(b), err
}

func TestComposeHTMLOnly(t *testing.T) {
	raw, _, err := compose(mustFrom(t, "a@b.vn"), Message{To: []string{"c@d.vn"}, HTML: "<p>Hi</p>"}, testNow, zeros())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte("Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>Hi</p>\r\n")) {
		t.Errorf("html-only message:\n%s", raw)
	}
	if bytes.Contains(raw, []byte("multipart")) {
		t.Errorf("html-only message should be single part")
	}
}

func TestComposeRejects(t *testing.T) {
	ok := Message{To: []string{"a@b.vn"}, Subject: "s", Text: "t"}
	with := func(f func(*Message)) Message {
		m := ok
		m.Headers = map[string]string{}
		f(&m)
		return m
	}
	cases := []struct {
		name string
		m    Message
		want string
	}{
		{"no recipients", with(func(m *Message) { m.To = nil }), "no recipients"},
		{"bad recipient", with(func(m *Message) { m.To = []string{"not an address"} }), `recipient "not an address"`},
		{"two in one", with(func(m *Message) { m.To = []string{"a@b.vn, c@d.vn"} }), "recipient"},
		{"injected recipient", with(func(m *Message) { m.To = []string{"a@b.vn\r\nBcc: evil@x.vn"} }), "line break"},
		{"non-ascii address", with(func(m *Message) { m.To = []string{"nguyễn@so.vn"} }), "not ASCII"},
		{"subject CRLF", with(func(m *Message) { m.Subject = "Hi\r\nBcc: evil@x.vn" }), "subject contains a line break"},
		{"subject LF", with(func(m *Message) { m.Subject = "Hi\nthere" }), "subject contains a line break"},
		{"header value CR", with(func(m *Message) { m.Headers["X-A"] = "v\rBcc: e@x.vn" }), `header "X-A" contains a line break`},
		{"header name colon", with(func(m *Message) { m.Headers["X-A: b"] = "v" }), "not a valid field name"},
		{"header name newline", with(func(m *Message) { m.Headers["X-A\nBcc"] = "v" }), "not a valid field name"},
		{"header name empty", with(func(m *Message) { m.Headers[""] = "v" }), "not a valid field name"},
		{"reserved bcc", with(func(m *Message) { m.Headers["bcc"] = "e@x.vn" }), "cannot be overridden"},
		{"reserved subject", with(func(m *Message) { m.Headers["Subject"] = "x" }), "cannot be overridden"},
		{"duplicate header", with(func(m *Message) { m.Headers["X-A"] = "1"; m.Headers["x-a"] = "2" }), "given twice"},
		{"bad reply-to", with(func(m *Message) { m.Headers["Reply-To"] = "nobody" }), `header "Reply-To"`},
		{"no body", with(func(m *Message) { m.Text = "" }), "no body"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := compose(mustFrom(t, "a@b.vn"), c.m, testNow, zeros())
			if !errors.Is(err, ErrInvalidMessage) {
				t.Fatalf("err = %v, want ErrInvalidMessage", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %q, want it to mention %q", err, c.want)
			}
		})
	}
}

func TestComposeAutoSubmittedOverride(t *testing.T) {
	raw, _, err := compose(mustFrom(t, "a@b.vn"), Message{To: []string{"c@d.vn"}, Text: "x",
		Headers: map[string]string{"auto-submitted": "auto-replied"}}, testNow, zeros())
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(raw, []byte("Auto-Submitted:")); n != 1 {
		t.Errorf("Auto-Submitted appears %d times", n)
	}
	if !bytes.Contains(raw, []byte("Auto-Submitted: auto-replied\r\n")) {
		t.Errorf("caller's Auto-Submitted lost:\n%s", raw)
	}
}

func TestEncodeText(t *testing.T) {
	long := strings.Repeat("x", 950)
	cases := []struct {
		in      string
		encoded bool
	}{
		{"", false},
		{"Report due 15/10", false},
		{"Hạn nộp", true},
		{"looks =?utf-8?q?encoded?=", true},
		{"tab\there", true},
		{"bell\x07", true},
		{"bad \xff utf8", true},
		{long, true},
		{strings.Repeat("word ", 300), false},
	}
	dec := mime.WordDecoder{}
	for _, c := range cases {
		got := encodeText(c.in)
		if encoded := got != c.in; encoded != c.encoded {
			t.Errorf("encodeText(%.30q) encoded=%v, want %v (%q)", c.in, encoded, c.encoded, got)
		}
		for _, w := range strings.Fields(got) {
			if strings.HasPrefix(w, "=?") && len(w) > 75 {
				t.Errorf("encoded word of %d chars: %q", len(w), w)
			}
		}
		back, err := dec.DecodeHeader(got)
		if err != nil {
			t.Errorf("decode %q: %v", got, err)
		}
		if want := strings.ToValidUTF8(c.in, "\uFFFD"); back != want {
			t.Errorf("round trip of %.30q gave %.30q", c.in, back)
		}
	}
}

func TestWriteFieldFolds(t *testing.T) {
	cases := []string{
		"short",
		strings.Repeat("Báo cáo ", 20),
		encodeText(strings.Repeat("Báo cáo ", 20)),
		strings.Repeat("a  b ", 40),
		strings.Repeat("y", 120),
	}
	for _, value := range cases {
		var b bytes.Buffer
		writeField(&b, "Subject", value)
		out := b.String()
		if !strings.HasSuffix(out, "\r\n") {
			t.Fatalf("no CRLF at end: %q", out)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
		for i, l := range lines {
			if len(l) > maxLine && strings.Contains(strings.TrimSpace(strings.TrimPrefix(l, "Subject:")), " ") {
				t.Errorf("line %d of %.20q is %d long although it could fold", i, value, len(l))
			}
			if i > 0 && (!strings.HasPrefix(l, " ") || strings.TrimSpace(l) == "") {
				t.Errorf("continuation line %d = %q", i, l)
			}
		}
		if unfolded := strings.ReplaceAll(out, "\r\n", ""); unfolded != "Subject: "+value {
			t.Errorf("unfolding changed the value:\n%q\n%q", unfolded, "Subject: "+value)
		}
	}
}

func TestChooseEncoding(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain ascii text", "quoted-printable"},
		{"Mostly English text with one word: Việt", "quoted-printable"},
		{"Kính gửi anh Nguyễn Văn An", "base64"},
	}
	for _, c := range cases {
		if got := chooseEncoding(c.in); got != c.want {
			t.Errorf("chooseEncoding(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestNormalizeBody(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"a", "a\n"},
		{"a\r\nb\rc\n", "a\nb\nc\n"},
		{"Nguye\u0302\u0303n", "Nguyễn\n"},
		{"x\xffy", "x\uFFFDy\n"},
	}
	for _, c := range cases {
		if got := normalizeBody(c.in); got != c.want {
			t.Errorf("normalizeBody(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
