package settings

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"khienso/internal/textnorm"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// SignOff is the closing block of an official document: the signing
// authority lines and the signer's name, beside the "Nơi nhận" list. A
// province sets one in its settings; a reporting round may set its own
// parts for its consolidated report.
type SignOff struct {
	Authority  []string // "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"
	SignerName string
	Recipients []string // "Nơi nhận", without the "Lưu: VT." line
}

// Normalize trims the name and drops empty lines.
func (o *SignOff) Normalize() {
	o.SignerName = oneLine(o.SignerName)
	o.Authority, o.Recipients = clean(o.Authority), clean(o.Recipients)
}

// Validate checks o with the limits of the province settings; the fields
// are named as on the settings form (signer_authority, signer_name,
// recipients), so a round's form reports them the same way.
func (o *SignOff) Validate() validation.Errors {
	var errs validation.Errors
	checkLines(&errs, "signer_authority", o.Authority)
	checkLine(&errs, "signer_name", o.SignerName)
	checkLines(&errs, "recipients", o.Recipients)
	return errs
}

// IsZero reports whether o sets nothing.
func (o SignOff) IsZero() bool {
	return len(o.Authority) == 0 && o.SignerName == "" && len(o.Recipients) == 0
}

// SignOff is the province's closing block.
func (p Province) SignOff() SignOff {
	return SignOff{Authority: p.SignerAuthority, SignerName: p.SignerName, Recipients: p.Recipients}
}

// Document kinds, as abbreviated in document numbers ("Số: 12/BC-SKHCN").
const (
	KindReport = "BC" // báo cáo
	KindPlan   = "KH" // kế hoạch
)

// FileCopy is the last "Nơi nhận" line of every official document: the
// copy kept by the issuing body's records office.
const FileCopy = "Lưu: VT."

// Letterhead is what an official document of a province carries around its
// body (Decree 30/2020): the governing and issuing bodies, the number's
// symbol, the place of the date line, the closing block and the addressees.
// Every document (reports, plans) builds it the same way, from the
// province's settings and the document's own sign-off.
type Letterhead struct {
	ParentBody, IssuingBody string
	Symbol                  string // "BC-SKHCN": the kind, then the province's symbol; "" without one
	Place                   string
	SignOff                 // Recipients end with FileCopy
	Receivers               []string
}

// Letterhead is p's issuing data for a document of kind (KindReport…),
// each part of own that is set replacing the province's: a round may name
// another signer, or other recipients, for its report alone.
func (p Province) Letterhead(kind string, own SignOff) Letterhead {
	so := p.SignOff()
	if len(own.Authority) > 0 {
		so.Authority = own.Authority
	}
	if own.SignerName != "" {
		so.SignerName = own.SignerName
	}
	if len(own.Recipients) > 0 {
		so.Recipients = own.Recipients
	}
	so.Recipients = append(slices.Clip(so.Recipients), FileCopy)
	lh := Letterhead{ParentBody: p.ParentBody, IssuingBody: p.IssuingBody, Place: p.Place, SignOff: so, Receivers: p.Receivers}
	if p.Symbol != "" {
		lh.Symbol = kind + "-" + p.Symbol
	}
	return lh
}

// Suggest derives the document header a province most likely uses from the
// names of its committee ("Ủy ban nhân dân tỉnh Hà Tĩnh") and of its
// coordinating agency and that agency's type: for the Department of
// Science and Technology, "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH" over "SỞ KHOA HỌC
// VÀ CÔNG NGHỆ" (the province is not repeated) with the symbol SKHCN; for
// the provincial Police, "BỘ CÔNG AN" over "CÔNG AN TỈNH HÀ TĨNH" with CAT.
// The place is the province's name; without an agency only the
// committee's line and the place are derived. Parts it cannot derive stay
// empty.
func Suggest(committee, agency string, agencyType units.Type) Province {
	var p Province
	level, province := provinceName(committee)
	if province != "" {
		p.Place = province
		if textnorm.Fold(province) == "ho chi minh" {
			p.Place = "Thành phố Hồ Chí Minh" // not "Hồ Chí Minh, ngày …"
		}
		p.ParentBody = upper("Ủy ban nhân dân " + level + " " + province)
	}
	switch agencyType {
	case units.TypeCoordinator:
		name := withoutProvince(agency, province)
		p.IssuingBody = upper(name)
		p.Symbol = initials(name)
	case units.TypePolice:
		p.ParentBody = "BỘ CÔNG AN"
		p.IssuingBody = upper(oneLine(agency))
		p.Symbol = "CAT"
		if textnorm.Fold(level) == "thanh pho" {
			p.Symbol = "CATP"
		}
	}
	return p
}

// provinceName splits a province committee's name into its level ("tỉnh"
// or "thành phố") and the province's name: "Ủy ban nhân dân tỉnh Nghệ An"
// is ("tỉnh", "Nghệ An"). A name of another shape gives ("", "").
func provinceName(committee string) (level, name string) {
	words := strings.Fields(committee)
	folded := strings.Fields(textnorm.Fold(committee))
	switch {
	case len(folded) >= 4 && strings.Join(folded[:4], " ") == "uy ban nhan dan":
		words, folded = words[4:], folded[4:]
	case len(folded) >= 1 && folded[0] == "ubnd":
		words, folded = words[1:], folded[1:]
	default:
		return "", ""
	}
	switch {
	case len(folded) >= 2 && folded[0] == "tinh":
		return words[0], strings.Join(words[1:], " ")
	case len(folded) >= 3 && folded[0] == "thanh" && folded[1] == "pho":
		return words[0] + " " + words[1], strings.Join(words[2:], " ")
	}
	return "", ""
}

// withoutProvince drops the province from the end of an agency's name:
// "Sở Khoa học và Công nghệ tỉnh Nghệ An" is "Sở Khoa học và Công nghệ".
func withoutProvince(agency, province string) string {
	words := strings.Fields(agency)
	n := len(strings.Fields(province))
	if province == "" || len(words) <= n || textnorm.Fold(strings.Join(words[len(words)-n:], " ")) != textnorm.Fold(province) {
		return strings.Join(words, " ")
	}
	words = words[:len(words)-n]
	folded := strings.Fields(textnorm.Fold(strings.Join(words, " ")))
	switch {
	case len(folded) > 1 && (folded[len(folded)-1] == "tinh" || folded[len(folded)-1] == "tp."):
		words = words[:len(words)-1]
	case len(folded) > 2 && folded[len(folded)-2] == "thanh" && folded[len(folded)-1] == "pho":
		words = words[:len(words)-2]
	}
	return strings.Join(words, " ")
}

// initials abbreviates a body's name as document symbols do: the first
// letter of each word but "và", without diacritics except in Đ ("Sở Khoa
// học và Công nghệ" is SKHCN, "Sở Giáo dục và Đào tạo" SGDĐT).
func initials(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		if textnorm.Fold(w) == "va" {
			continue
		}
		r := []rune(strings.ToUpper(w))[0]
		if r != 'Đ' {
			r = []rune(norm.NFD.String(string(r)))[0]
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// upper is s in capitals with its spaces collapsed, as header lines are
// written.
func upper(s string) string { return strings.ToUpper(oneLine(s)) }
