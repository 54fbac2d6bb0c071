package auth

import (
	"errors"
	"strings"
	"testing"

	"khienso/internal/validation"
)

func TestValidatePasswordRule(t *testing.T) {
	who := PasswordContext{Email: "lan.nguyen@hatinh.gov.vn", Name: "Nguyễn Thị Lan", Current: "giay-bong-xanh-7-cua"}
	cases := []struct {
		pw   string
		want string // the refusal's message key; "" accepts
	}{
		{"ngan-qua", "err.password_short"},
		{"123456a@", "err.password_short"},
		{strings.Repeat("x", MaxPasswordLen+1), "err.too_long"},
		{"giay-bong-xanh-7-cua", "auth.err.password_same"},
		{"lan.nguyen2026!", "err.password_personal"},
		{"NguyenThiLan@1", "err.password_personal"},
		{"Nguyễn Thị Lan 99", "err.password_personal"},
		{"1234567890", "err.password_weak"},
		{"qwertyuiop", "err.password_weak"},
		{"P@ssw0rd123", "err.password_weak"},
		{"Matkhau@2024", "err.password_weak"},
		{"Mật khẩu 123", "err.password_weak"},
		{"anhyeuem123", "err.password_weak"},
		{"Admin@12345", "err.password_weak"},
		{"123456aa@@", "err.password_weak"},
		{"1111111111", "err.password_weak"},
		{"khienso2026", "err.password_weak"},
		{"iloveyou12", "err.password_weak"},
		// Random strings and passphrases pass: no composition rules.
		{"Xk9#mT2$pQ", ""},
		{"con mèo đen ngủ trên mái nhà", ""},
		{"toi di hoc ve muon", ""},
		{"giay-bong-xanh-8-cua", ""},
		{strings.Repeat("x", 100) + " con mèo đen ngủ trên mái nhà của bà tôi", "err.password_weak"}, // only the first 64 count
		{"mùa thu năm ấy hàng cây sấu trên phố Phan Đình Phùng rụng lá vàng óng", ""},
	}
	for _, c := range cases {
		err := ValidatePassword("new", c.pw, who)
		var ve validation.Errors
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q refused: %v", c.pw, err)
		case c.want != "" && !errors.As(err, &ve):
			t.Errorf("%q: got %v, want %s", c.pw, err, c.want)
		case c.want != "" && (ve[0].Field != "new" || ve[0].Reason != c.want):
			t.Errorf("%q: got %s on %s, want %s", c.pw, ve[0].Reason, ve[0].Field, c.want)
		}
	}
}

// A new account has no current password and its words are still refused.
func TestValidatePasswordWithoutCurrent(t *testing.T) {
	if err := ValidatePassword("password", "tranvanbinh88", PasswordContext{Email: "binh@x.vn", Name: "Trần Văn Bình"}); err == nil {
		t.Fatal("a password made of the name was accepted")
	}
	if err := ValidatePassword("password", "Xk9#mT2$pQ", PasswordContext{}); err != nil {
		t.Fatalf("a random password was refused: %v", err)
	}
}

// The estimate reads a bounded prefix, so the longest password costs about
// as much as a 64-character one.
func BenchmarkValidatePasswordLongest(b *testing.B) {
	pw := strings.Repeat("a1!", MaxPasswordLen/3)
	for b.Loop() {
		_ = ValidatePassword("new", pw, PasswordContext{Email: "a@b.vn", Name: "An"})
	}
}
