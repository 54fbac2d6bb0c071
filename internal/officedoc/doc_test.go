package officedoc

import (
	"reflect"
	"testing"
	"time"

	"khienso/internal/dates"
)

func TestDateLine(t *testing.T) {
	cases := []struct {
		name  string
		place string
		date  dates.Date
		year  int
		want  string
	}{
		{"day below ten, month December", "Nghệ An", dates.New(2026, time.December, 5), 0, "Nghệ An, ngày 05 tháng 12 năm 2026"},
		{"January takes a zero", "Nghệ An", dates.New(2026, time.January, 1), 0, "Nghệ An, ngày 01 tháng 01 năm 2026"},
		{"February takes a zero", "Hà Nội", dates.New(2025, time.February, 15), 0, "Hà Nội, ngày 15 tháng 02 năm 2025"},
		{"March does not", "Huế", dates.New(2026, time.March, 9), 0, "Huế, ngày 09 tháng 3 năm 2026"},
		{"two-digit day and month", "Nghệ An", dates.New(2026, time.October, 31), 1999, "Nghệ An, ngày 31 tháng 10 năm 2026"},
		{"zero date leaves blanks", "Nghệ An", dates.Date{}, 2026, "Nghệ An, ngày    tháng    năm 2026"},
		{"zero date and year", "Nghệ An", dates.Date{}, 0, "Nghệ An, ngày    tháng    năm     "},
		{"no place", "", dates.New(2026, time.December, 5), 0, "ngày 05 tháng 12 năm 2026"},
		{"place trimmed", "  Nghệ An ", dates.New(2026, time.July, 20), 0, "Nghệ An, ngày 20 tháng 7 năm 2026"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := DateLine(c.place, c.date, c.year); got != c.want {
				t.Errorf("DateLine = %q, want %q", got, c.want)
			}
		})
	}
}

func TestClean(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Báo cáo", "Báo cáo"},
		{"a & b <c> \"d\" 'e'", "a & b <c> \"d\" 'e'"},
		{"x\x00y\x01z\x08\x0b\x0c\x1b\x7f!", "xyz!"},
		{"tab\there", "tab here"},
		{"dòng 1\r\ndòng 2\rdòng 3\ndòng 4", "dòng 1\ndòng 2\ndòng 3\ndòng 4"},
		{"C1\u0085\u009fend", "C1end"},
		{"bad\xff\xfeutf8", "badutf8"},
		{"non\uFFFEchar\uFFFF", "nonchar"},
		{"Nghe\u0302\u0323 An", "Nghệ An"}, // decomposed input is composed
		{"line\u2028sep", "line\nsep"},
		{"emoji 🛡 ok", "emoji 🛡 ok"},
		{"", ""},
	}
	for _, c := range cases {
		if got := clean(c.in); got != c.want {
			t.Errorf("clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPrepareHeader(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(*Document)
		number string
		date   string
	}{
		{"full number", func(*Document) {}, "Số: 15/BC-SKHCN", "Nghệ An, ngày 05 tháng 12 năm 2026"},
		{"blank number keeps symbol", func(d *Document) { d.Number = "" }, "Số:       /BC-SKHCN", "Nghệ An, ngày 05 tháng 12 năm 2026"},
		{"blank number and symbol", func(d *Document) { d.Number, d.Symbol = "", "" }, "Số:       /", "Nghệ An, ngày 05 tháng 12 năm 2026"},
		{"blank date", func(d *Document) { d.Date, d.Year = dates.Date{}, 2026 }, "Số: 15/BC-SKHCN", "Nghệ An, ngày    tháng    năm 2026"},
		{"number with line break", func(d *Document) { d.Number = "15/\nBC-SKHCN" }, "Số: 15/ BC-SKHCN", "Nghệ An, ngày 05 tháng 12 năm 2026"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := sampleDocument()
			c.edit(d)
			hv := prepareHeader(d)
			if hv.number != c.number {
				t.Errorf("number = %q, want %q", hv.number, c.number)
			}
			if hv.dateLine != c.date {
				t.Errorf("date line = %q, want %q", hv.dateLine, c.date)
			}
		})
	}

	hv := prepareHeader(sampleDocument())
	want := headerView{
		parent:     []string{"UBND TỈNH NGHỆ AN"},
		issuing:    []string{"SỞ KHOA HỌC VÀ CÔNG NGHỆ"},
		number:     "Số: 15/BC-SKHCN",
		dateLine:   "Nghệ An, ngày 05 tháng 12 năm 2026",
		kind:       "BÁO CÁO",
		title:      []string{"Kết quả triển khai tuyên truyền, nâng cao nhận thức về an toàn thông tin năm 2026"},
		recipients: []string{"- Bộ Công an;", "- UBND tỉnh (để b/c);", "- Lưu: VT, SKHCN."},
		receivers:  nil,
		authority:  []string{"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"},
		signer:     "Nguyễn Văn An",
	}
	if !reflect.DeepEqual(hv, want) {
		t.Errorf("prepareHeader =\n%#v\nwant\n%#v", hv, want)
	}
}

func TestBulletText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Tổ chức hội nghị;", "- Tổ chức hội nghị;"},
		{"- Đã có dấu", "- Đã có dấu"},
		{"+ Ý nhỏ", "+ Ý nhỏ"},
		{"-5 độ", "- -5 độ"},
	}
	for _, c := range cases {
		if got := bulletText(c.in); got != c.want {
			t.Errorf("bulletText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTableShape(t *testing.T) {
	cases := []struct {
		name  string
		t     Table
		n     int
		width []int // twips of the 9,355-twip text width; the last column takes the rounding
	}{
		{"empty", Table{}, 0, nil},
		{"header sets columns", Table{Header: []string{"a", "b"}}, 2, []int{4678, 4677}},
		{"widest row wins", Table{Header: []string{"a"}, Rows: [][]string{{"1", "2", "3", "4"}}}, 4, []int{2339, 2339, 2339, 2338}},
		{"total row counts", Table{Header: []string{"a"}, TotalRow: []string{"x", "y"}}, 2, []int{4678, 4677}},
		{"relative widths", Table{Header: []string{"a", "b", "c"}, Widths: []float64{1, 2, 1}}, 3, []int{2339, 4678, 2338}},
		{"bad widths count as one", Table{Header: []string{"a", "b", "c"}, Widths: []float64{-3, 0, 2}}, 3, []int{2339, 2339, 4677}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, w := tableShape(&c.t)
			if n != c.n || !reflect.DeepEqual(w, c.width) {
				t.Errorf("tableShape = %d %v, want %d %v", n, w, c.n, c.width)
			}
		})
	}
	if got := numericSet(&Table{NumericCols: []int{-1, 1, 9}}, 3); !reflect.DeepEqual(got, []bool{false, true, false}) {
		t.Errorf("numericSet = %v", got)
	}
}
