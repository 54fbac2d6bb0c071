// Package settings is the shape of a deployment's settings: what each
// province sets for its official documents and coordination, and what the
// deployment as a whole sets (e-mail, public address, language). Settings
// are stored as key/value pairs per scope; this package maps them to typed
// values and validates them. No SQL, no HTTP.
package settings

import (
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"khienso/internal/validation"
)

// DeploymentScope is the scope of deployment-wide settings. Province
// settings are stored under the province committee's unit id (or the
// national root's); a province key missing there falls back to the
// deployment scope, so a single-province deployment may keep everything in
// one place.
const DeploymentScope int64 = 0

// Keys of the province settings.
const (
	KeyCoordinator     = "coordinator.unit_id"       // the coordinating agency, a unit id
	KeyParentBody      = "document.parent_body"      // "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
	KeyIssuingBody     = "document.issuing_body"     // "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
	KeyPlace           = "document.place"            // "Hà Tĩnh", for "Hà Tĩnh, ngày … tháng … năm …"
	KeySymbol          = "document.symbol"           // "SKHCN", for "Số: …/BC-SKHCN"
	KeySignerAuthority = "document.signer_authority" // lines: "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"
	KeySignerName      = "document.signer_name"
	KeyRecipients      = "document.recipients" // "Nơi nhận" lines
	KeyReceivers       = "report.receivers"    // "Kính gửi" addressees of reports
)

// Keys of the deployment settings.
const (
	KeySMTPURL  = "mail.smtp_url" // smtp://user:pass@host:587?from=…
	KeyBaseURL  = "site.base_url" // public address, for links in e-mails
	KeyLanguage = "site.language" // default language of the interface: "vi" or "en"
)

// ProvinceKeys and DeploymentKeys list the keys of each scope.
var (
	ProvinceKeys = []string{KeyCoordinator, KeyParentBody, KeyIssuingBody, KeyPlace, KeySymbol,
		KeySignerAuthority, KeySignerName, KeyRecipients, KeyReceivers}
	DeploymentKeys = []string{KeySMTPURL, KeyBaseURL, KeyLanguage}
)

// Province is what one province (or the national level) sets.
type Province struct {
	CoordinatorID   int64    // coordinating agency: the Department of Science and Technology or the provincial Police
	ParentBody      string   // governing body line of the document header
	IssuingBody     string   // issuing body line, without repeating the province
	Place           string   // place name of the date line
	Symbol          string   // the issuing body's abbreviation in document numbers
	SignerAuthority []string // KT./TM. lines and title, top to bottom
	SignerName      string
	Recipients      []string // default "Nơi nhận", without the "Lưu: VT" line
	Receivers       []string // "Kính gửi" addressees of consolidated reports
}

// Deployment is what the whole deployment sets.
type Deployment struct {
	SMTPURL  string
	BaseURL  string
	Language string
}

// ProvinceFrom reads province settings from stored values.
func ProvinceFrom(v map[string]string) Province {
	id, _ := strconv.ParseInt(v[KeyCoordinator], 10, 64)
	return Province{
		CoordinatorID: id, ParentBody: v[KeyParentBody], IssuingBody: v[KeyIssuingBody],
		Place: v[KeyPlace], Symbol: v[KeySymbol], SignerAuthority: Lines(v[KeySignerAuthority]),
		SignerName: v[KeySignerName], Recipients: Lines(v[KeyRecipients]), Receivers: Lines(v[KeyReceivers]),
	}
}

// Values is p as stored values; an empty value means "not set".
func (p Province) Values() map[string]string {
	id := ""
	if p.CoordinatorID > 0 {
		id = strconv.FormatInt(p.CoordinatorID, 10)
	}
	return map[string]string{
		KeyCoordinator: id, KeyParentBody: p.ParentBody, KeyIssuingBody: p.IssuingBody,
		KeyPlace: p.Place, KeySymbol: p.Symbol, KeySignerAuthority: strings.Join(p.SignerAuthority, "\n"),
		KeySignerName: p.SignerName, KeyRecipients: strings.Join(p.Recipients, "\n"),
		KeyReceivers: strings.Join(p.Receivers, "\n"),
	}
}

// DeploymentFrom reads deployment settings from stored values.
func DeploymentFrom(v map[string]string) Deployment {
	return Deployment{SMTPURL: v[KeySMTPURL], BaseURL: v[KeyBaseURL], Language: v[KeyLanguage]}
}

// Values is d as stored values; an empty value means "not set".
func (d Deployment) Values() map[string]string {
	return map[string]string{KeySMTPURL: d.SMTPURL, KeyBaseURL: d.BaseURL, KeyLanguage: d.Language}
}

// Limits of the free-text settings.
const (
	maxLine  = 200 // one header, signer or recipient line
	maxLines = 20  // lines of a multi-line setting
)

// Normalize trims every field and drops empty lines, so what is validated
// is what is stored.
func (p *Province) Normalize() {
	for _, s := range []*string{&p.ParentBody, &p.IssuingBody, &p.Place, &p.Symbol, &p.SignerName} {
		*s = oneLine(*s)
	}
	p.SignerAuthority = clean(p.SignerAuthority)
	p.Recipients = clean(p.Recipients)
	p.Receivers = clean(p.Receivers)
}

// Validate checks p's shape: lengths, line counts and the symbol's
// characters. Whether the coordinating agency is a unit of the province is
// the service's check.
func (p *Province) Validate() validation.Errors {
	var errs validation.Errors
	for _, f := range []struct{ field, v string }{{"parent_body", p.ParentBody}, {"issuing_body", p.IssuingBody},
		{"place", p.Place}, {"symbol", p.Symbol}} {
		checkLine(&errs, f.field, f.v)
	}
	if p.Symbol != "" && !validSymbol(p.Symbol) {
		errs.Add("symbol", "settings.err.symbol")
	}
	so := p.SignOff()
	errs = append(errs, so.Validate()...)
	checkLines(&errs, "receivers", p.Receivers)
	return errs
}

// checkLine adds to errs what is wrong with the one-line value v of field.
func checkLine(errs *validation.Errors, field, v string) {
	if !utf8.ValidString(v) {
		errs.Add(field, "err.encoding")
	} else if utf8.RuneCountInString(v) > maxLine {
		errs.Add(field, "err.too_long", maxLine)
	}
}

// checkLines adds to errs what is wrong with the lines of field: too many,
// or the first line that is too long or not UTF-8.
func checkLines(errs *validation.Errors, field string, lines []string) {
	if len(lines) > maxLines {
		errs.Add(field, "settings.err.too_many_lines", maxLines)
		return
	}
	for _, l := range lines {
		n := len(*errs)
		if checkLine(errs, field, l); len(*errs) > n {
			return
		}
	}
}

// Validate checks d: an smtp:// or smtps:// address, an absolute http(s)
// base address without query, and a known language.
func (d *Deployment) Validate() validation.Errors {
	d.SMTPURL, d.BaseURL, d.Language = strings.TrimSpace(d.SMTPURL), strings.TrimRight(strings.TrimSpace(d.BaseURL), "/"), strings.TrimSpace(d.Language)
	var errs validation.Errors
	if d.SMTPURL != "" {
		u, err := url.Parse(d.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" || len(d.SMTPURL) > 1000 {
			errs.Add("smtp_url", "settings.err.smtp_url")
		} else if from := u.Query().Get("from"); from != "" {
			if _, err := mail.ParseAddress(from); err != nil {
				errs.Add("smtp_url", "settings.err.smtp_from")
			}
		}
	}
	if d.BaseURL != "" {
		u, err := url.Parse(d.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || len(d.BaseURL) > 500 {
			errs.Add("base_url", "settings.err.base_url")
		}
	}
	switch d.Language {
	case "", "vi", "en":
	default:
		errs.Add("language", "settings.err.language")
	}
	return errs
}

// Lines splits a multi-line value into trimmed, non-empty lines.
func Lines(s string) []string {
	return clean(strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n"))
}

// oneLine collapses runs of white space (line breaks included) to one
// space and trims the ends.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func clean(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l = oneLine(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// validSymbol accepts what appears after "BC-" in a document number:
// letters (Vietnamese included, as in "SKHCN" or "CAT"), digits and "-", "&".
func validSymbol(s string) bool {
	if utf8.RuneCountInString(s) > 30 {
		return false
	}
	for _, r := range s {
		switch {
		case r == '-' || r == '&':
		case r >= '0' && r <= '9':
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= 0xC0 && r != 0xD7 && r != 0xF7:
		default:
			return false
		}
	}
	return true
}
