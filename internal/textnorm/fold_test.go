package textnorm

import (
	"bytes"
	"reflect"
	"testing"
)

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

// TestSortKey holds the collation a reader expects, through the stored
// keys lists are paged by: byte order of the keys is the reading order.
func TestSortKey(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"Xã Cát Ngạn", "Xã Con Cuông"},
		{"Dân tộc", "Đà Nẵng"},
		{"Duy Tân", "Đà Nẵng"},
		{"Đà Nẵng", "Đắk Lắk"},
		{"Đắk Lắk", "Điện Biên"},
		{"Đồng Tháp", "Gia Lai"},
		{"Hà Tĩnh", "Hải Phòng"},
		{"Sở Công Thương", "Sở Giáo dục và Đào tạo"},
		{"Trường THCS Nghĩa Lộc", "Xã Nghi Lộc"},
		{"xã An Hòa", "Xã Anh Sơn"},
		{"Ô Loan", "Ơn Thành"},
		{"Uy Nỗ", "Ưng Hòe"},
	} {
		ka, kb := SortKey(c.a), SortKey(c.b)
		if bytes.Compare(ka, kb) >= 0 {
			t.Errorf("SortKey(%q) >= SortKey(%q), want before", c.a, c.b)
		}
		if Compare(c.a, c.b) >= 0 {
			t.Errorf("Compare(%q, %q) >= 0, want before", c.a, c.b)
		}
	}
	if !bytes.Equal(SortKey("Vinh"), SortKey("Vinh")) {
		t.Error("SortKey is not stable")
	}
}

func TestHighlight(t *testing.T) {
	type seg = Segment
	for _, c := range []struct {
		text, query string
		want        []seg
	}{
		{"Xã Nghi Lộc", "nghi loc", []seg{{Text: "Xã "}, {Text: "Nghi", Hit: true}, {Text: " "}, {Text: "Lộc", Hit: true}}},
		{"Trường THCS Nghĩa Lộc", "nghi loc", []seg{{Text: "Trường THCS "}, {Text: "Nghĩ", Hit: true}, {Text: "a "}, {Text: "Lộc", Hit: true}}},
		{"Đông Vĩnh", "DONG", []seg{{Text: "Đông", Hit: true}, {Text: " Vĩnh"}}},
		{"Sở Tài chính", "", []seg{{Text: "Sở Tài chính"}}},
		{"Sở Tài chính", "xyz", []seg{{Text: "Sở Tài chính"}}},
		{"aaa", "a", []seg{{Text: "aaa", Hit: true}}},
	} {
		if got := Highlight(c.text, c.query); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Highlight(%q, %q) = %+v, want %+v", c.text, c.query, got, c.want)
		}
	}
}
