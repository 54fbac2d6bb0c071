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

func TestCompare(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"An Giang", "Bắc Ninh", -1},
		{"Cà Mau", "Cao Bằng", -1},
		{"Đà Nẵng", "Đắk Lắk", -1},
		{"Đắk Lắk", "Điện Biên", -1},
		{"Điện Biên", "Đồng Nai", -1},
		{"Đồng Tháp", "Gia Lai", -1},
		{"Hà Nội", "Hà Tĩnh", -1},
		{"Hà Tĩnh", "Hải Phòng", -1},
		{"Hưng Yên", "Khánh Hòa", -1},
		{"Vĩnh Long", "Vĩnh Long", 0},
		{"Tuyên Quang", "Tây Ninh", 1},
	} {
		if got := Compare(c.a, c.b); got != c.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
