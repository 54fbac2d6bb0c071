package settings_test

import (
	"fmt"
	"strings"
	"testing"

	"khienso/internal/mail"
	"khienso/internal/settings"
	"khienso/internal/units"
	"khienso/internal/validation"
)

func TestSuggest(t *testing.T) {
	tests := []struct {
		committee, agency string
		typ               units.Type
		want              settings.Province
	}{
		{"Ủy ban nhân dân tỉnh Hà Tĩnh", "Sở Khoa học và Công nghệ tỉnh Hà Tĩnh", units.TypeCoordinator, settings.Province{
			ParentBody: "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", IssuingBody: "SỞ KHOA HỌC VÀ CÔNG NGHỆ", Place: "Hà Tĩnh", Symbol: "SKHCN"}},
		{"UBND thành phố Hà Nội", "Sở Khoa học và Công nghệ thành phố Hà Nội", units.TypeCoordinator, settings.Province{
			ParentBody: "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", IssuingBody: "SỞ KHOA HỌC VÀ CÔNG NGHỆ", Place: "Hà Nội", Symbol: "SKHCN"}},
		// The agency's name without the province keeps it whole.
		{"Ủy ban nhân dân tỉnh Nghệ An", "Sở Khoa học và Công nghệ", units.TypeCoordinator, settings.Province{
			ParentBody: "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", IssuingBody: "SỞ KHOA HỌC VÀ CÔNG NGHỆ", Place: "Nghệ An", Symbol: "SKHCN"}},
		{"Ủy ban nhân dân tỉnh Nghệ An", "Sở Giáo dục và Đào tạo tỉnh Nghệ An", units.TypeCoordinator, settings.Province{
			ParentBody: "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", IssuingBody: "SỞ GIÁO DỤC VÀ ĐÀO TẠO", Place: "Nghệ An", Symbol: "SGDĐT"}},
		// The Police answer to the Ministry, and keep the province in their name.
		{"Ủy ban nhân dân tỉnh Hà Tĩnh", "Công an tỉnh Hà Tĩnh", units.TypePolice, settings.Province{
			ParentBody: "BỘ CÔNG AN", IssuingBody: "CÔNG AN TỈNH HÀ TĨNH", Place: "Hà Tĩnh", Symbol: "CAT"}},
		{"Ủy ban nhân dân thành phố Huế", "Công an thành phố Huế", units.TypePolice, settings.Province{
			ParentBody: "BỘ CÔNG AN", IssuingBody: "CÔNG AN THÀNH PHỐ HUẾ", Place: "Huế", Symbol: "CATP"}},
		{"Ủy ban nhân dân Thành phố Hồ Chí Minh", "Sở Khoa học và Công nghệ Thành phố Hồ Chí Minh", units.TypeCoordinator, settings.Province{
			ParentBody: "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", IssuingBody: "SỞ KHOA HỌC VÀ CÔNG NGHỆ", Place: "Thành phố Hồ Chí Minh", Symbol: "SKHCN"}},
		// No agency yet: the committee's line and the place.
		{"Ủy ban nhân dân tỉnh Hà Tĩnh", "", "", settings.Province{ParentBody: "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", Place: "Hà Tĩnh"}},
		// A national root is no province: only the agency's lines.
		{"", "Cục An toàn thông tin", units.TypeCoordinator, settings.Province{IssuingBody: "CỤC AN TOÀN THÔNG TIN", Symbol: "CATTT"}},
	}
	for _, tc := range tests {
		got := settings.Suggest(tc.committee, tc.agency, tc.typ)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("Suggest(%q, %q, %s) = %+v, want %+v", tc.committee, tc.agency, tc.typ, got, tc.want)
		}
	}
}

func TestLetterhead(t *testing.T) {
	p := settings.Province{ParentBody: "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", IssuingBody: "SỞ KHOA HỌC VÀ CÔNG NGHỆ", Place: "Hà Tĩnh",
		Symbol: "SKHCN", SignerAuthority: []string{"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"}, SignerName: "Trần Văn A",
		Recipients: []string{"UBND tỉnh (để b/c)"}, Receivers: []string{"Ủy ban nhân dân tỉnh Hà Tĩnh"}}
	tests := []struct {
		name                          string
		kind                          string
		own                           settings.SignOff
		symbol, signer, authority, to string
	}{
		{"the province's", settings.KindReport, settings.SignOff{}, "BC-SKHCN", "Trần Văn A", "KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC", "UBND tỉnh (để b/c)|Lưu: VT."},
		{"another signer", settings.KindPlan, settings.SignOff{SignerName: "Lê Thị B"}, "KH-SKHCN", "Lê Thị B", "KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC", "UBND tỉnh (để b/c)|Lưu: VT."},
		{"all the round's", settings.KindReport, settings.SignOff{Authority: []string{"GIÁM ĐỐC"}, SignerName: "Lê Thị B", Recipients: []string{"Bộ KH&CN"}},
			"BC-SKHCN", "Lê Thị B", "GIÁM ĐỐC", "Bộ KH&CN|Lưu: VT."},
	}
	for _, tc := range tests {
		lh := p.Letterhead(tc.kind, tc.own)
		if lh.Symbol != tc.symbol || lh.SignerName != tc.signer || strings.Join(lh.Authority, "|") != tc.authority ||
			strings.Join(lh.Recipients, "|") != tc.to || lh.ParentBody != p.ParentBody || lh.Place != "Hà Tĩnh" || len(lh.Receivers) != 1 {
			t.Errorf("%s: %+v", tc.name, lh)
		}
	}
	// The province's own list is not changed by adding the file copy.
	if len(p.Recipients) != 1 {
		t.Errorf("Letterhead changed the province's recipients: %q", p.Recipients)
	}
	if lh := (settings.Province{}).Letterhead(settings.KindReport, settings.SignOff{}); lh.Symbol != "" || strings.Join(lh.Recipients, "|") != "Lưu: VT." {
		t.Errorf("empty settings: %+v", lh)
	}
}

func TestSignOffValidate(t *testing.T) {
	long := strings.Repeat("x", 201)
	many := make([]string, 21)
	for i := range many {
		many[i] = "Nơi nhận"
	}
	tests := []struct {
		in    settings.SignOff
		field string // "" valid
	}{
		{settings.SignOff{Authority: []string{"KT. GIÁM ĐỐC"}, SignerName: "Nguyễn Văn Hùng"}, ""},
		{settings.SignOff{SignerName: long}, "signer_name"},
		{settings.SignOff{Authority: []string{"a", long}}, "signer_authority"},
		{settings.SignOff{Recipients: many}, "recipients"},
		{settings.SignOff{Recipients: []string{"\xff"}}, "recipients"},
	}
	for _, tc := range tests {
		tc.in.Normalize()
		errs := tc.in.Validate()
		if (tc.field == "") != (len(errs) == 0) || (tc.field != "" && !errs.Has(tc.field)) {
			t.Errorf("%+v: %v, want an error on %q", tc.in, errs, tc.field)
		}
	}
}

func TestSMTP(t *testing.T) {
	tests := []struct {
		name  string
		in    settings.SMTP
		field string // "" valid
	}{
		{"starttls with a password", settings.SMTP{Host: "mail.example.vn", Port: 587, Username: "khienso", Password: "p@ss:w/rd?&", From: "Khiên Số <no-reply@example.vn>"}, ""},
		{"implicit TLS, sender from the user", settings.SMTP{Host: "mail.example.vn", TLS: mail.TLSImplicit, Username: "no-reply@example.vn", Password: "x"}, ""},
		{"a relay without sign-in", settings.SMTP{Host: "relay.local", Port: 25, TLS: mail.TLSNone, From: "no-reply@example.vn"}, ""},
		{"none", settings.SMTP{}, ""},
		{"no host", settings.SMTP{From: "a@b.vn"}, "smtp_host"},
		{"bad host", settings.SMTP{Host: "máy chủ", From: "a@b.vn"}, "smtp_host"},
		{"bad port", settings.SMTP{Host: "mail.example.vn", Port: 70000, From: "a@b.vn"}, "smtp_port"},
		{"bad mode", settings.SMTP{Host: "mail.example.vn", TLS: "ssl", From: "a@b.vn"}, "smtp_tls"},
		{"password in clear", settings.SMTP{Host: "mail.example.vn", TLS: mail.TLSNone, Username: "u", Password: "p", From: "a@b.vn"}, "smtp_tls"},
		{"no sender", settings.SMTP{Host: "mail.example.vn", Username: "khienso"}, "smtp_from"},
		{"bad sender", settings.SMTP{Host: "mail.example.vn", From: "not an address"}, "smtp_from"},
	}
	for _, tc := range tests {
		s := tc.in
		s.Normalize()
		errs := s.Validate()
		if tc.field != "" {
			if !errs.Has(tc.field) {
				t.Errorf("%s: %v, want an error on %s", tc.name, errs, tc.field)
			}
			continue
		}
		if len(errs) > 0 {
			t.Errorf("%s: %v", tc.name, errs)
			continue
		}
		back, err := settings.ParseSMTP(s.URL())
		if err != nil {
			t.Errorf("%s: ParseSMTP(%q): %v", tc.name, s.URL(), err)
			continue
		}
		if !s.IsZero() && s.Port == 0 {
			s.Port = back.Port // the usual port is filled in
		}
		if s.From == "" {
			s.From = back.From // taken from the user name
		}
		if back != s {
			t.Errorf("%s: round trip %+v, want %+v", tc.name, back, s)
		}
	}
}

func TestRedact(t *testing.T) {
	url := settings.SMTP{Host: "mail.example.vn", Username: "khienso", Password: "bí mật", From: "a@b.vn"}.URL()
	got := settings.Redact(settings.KeySMTPURL, url)
	if strings.Contains(got, "bí") || strings.Contains(got, "%C3%AD") || !strings.Contains(got, "khienso:xxxxx@mail.example.vn") {
		t.Errorf("Redact = %q", got)
	}
	if got := settings.Redact(settings.KeySignerName, "Nguyễn Văn Hùng"); got != "Nguyễn Văn Hùng" {
		t.Errorf("Redact of another key = %q", got)
	}
}

func TestProvinceValidate(t *testing.T) {
	p := settings.Province{Symbol: "BC SKHCN", SignerName: strings.Repeat("x", 201), Receivers: []string{strings.Repeat("y", 201)}}
	p.Normalize()
	var errs validation.Errors = p.Validate()
	for _, f := range []string{"symbol", "signer_name", "receivers"} {
		if !errs.Has(f) {
			t.Errorf("no error on %s: %v", f, errs)
		}
	}
}
