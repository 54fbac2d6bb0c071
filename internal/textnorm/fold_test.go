package textnorm

import "testing"

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Vĩnh Phúc", "vinh phuc"},
		{"VINH PHUC", "vinh phuc"},
		{"vinh phuc", "vinh phuc"},
		{"  Sở  Thông tin\tvà Truyền thông ", "so thong tin va truyen thong"},
		{"ĐẮK LẮK", "dak lak"},
		{"Phường Đông Vĩnh", "phuong dong vinh"},
		{"Nghi\u0302\u0303 Lộc", "nghi loc"}, // decomposed input
		{"", ""},
	}
	for _, c := range cases {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
