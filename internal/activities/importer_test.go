package activities

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseVocabulary(t *testing.T) {
	types := []struct {
		in   string
		want Type
		ok   bool
	}{
		{"training_class", "training_class", true},
		{"Lớp tập huấn, bồi dưỡng", "training_class", true},
		{"lop tap huan boi duong", "training_class", true},
		{"TRAINING CLASS", "training_class", true},
		{"Hội nghị, hội thảo, tọa đàm", "seminar", true},
		{"picnic", "", false},
		{"", "", false},
	}
	for _, c := range types {
		if got, ok := ParseType(c.in); got != c.want || ok != c.ok {
			t.Errorf("ParseType(%q) = %q %v, want %q %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if c, ok := ParseChannel("Mạng xã hội"); !ok || c != "social_media" {
		t.Errorf("ParseChannel: %q %v", c, ok)
	}
	set, bad := ParseAudiences("Người dân; pupils;; hoc sinh; aliens")
	if set != SetOf("citizens", "pupils") || len(bad) != 1 || bad[0] != "aliens" {
		t.Errorf("ParseAudiences: %v %v", set.List(), bad)
	}
}

func TestReadRows(t *testing.T) {
	csv := "\ufeffMã đơn vị;Loại;Tên hoạt động;Kênh;Ngày bắt đầu;Ngày kết thúc;Đối tượng;Số lượng;Số người tham gia\n" +
		"X1;seminar;Hội nghị;in_person;05/03/2026;06/03/2026;citizens;;1.200\n" +
		"\n" +
		"NO;seminar;Hội nghị;in_person;05/03/2026;;citizens;2;\n" +
		"X1;seminar;;fax;2026-03-07;01/03/2026;;x;-5\n"
	sheet, err := ParseFile("a.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	resolve := func(code string) (int64, string, []string) {
		if code == "X1" {
			return 7, "", nil
		}
		return 0, "unit.err.code_unknown", []string{code}
	}
	ok, rep := ReadRows(sheet, resolve)
	if len(ok) != 1 || ok[0].Row != 2 || ok[0].Activity.UnitID != 7 || ok[0].Activity.Participants != 1200 || ok[0].Activity.Quantity != 1 ||
		ok[0].Activity.End.ISO() != "2026-03-06" {
		t.Fatalf("valid rows: %+v", ok)
	}
	type where struct {
		row, col int
		reason   string
	}
	want := []where{
		{4, 1, "unit.err.code_unknown"},
		{5, 3, "err.required"},
		{5, 4, "activity.err.channel"},
		{5, 6, "err.valid_to_order"},
		{5, 7, "activity.err.audiences"},
		{5, 8, "err.number"},
		{5, 9, "err.range"},
	}
	if len(rep) != len(want) {
		t.Fatalf("report: %+v", rep)
	}
	for i, w := range want {
		if rep[i].Row != w.row || rep[i].Col != w.col || rep[i].Reason != w.reason {
			t.Errorf("issue %d: %+v, want %+v", i, rep[i], w)
		}
	}
	if rep.InvalidRows() != 2 {
		t.Errorf("invalid rows: %d", rep.InvalidRows())
	}
}

func TestParseFileErrors(t *testing.T) {
	cases := []struct {
		name, data, reason string
	}{
		{"x.csv", "", "import.err.empty"},
		{"x.xls", "abc", "import.err.xls"},
		{"x.pdf", "abc", "import.err.format"},
		{"x.xlsx", "PK\x03\x04garbage", "import.err.xlsx"},
		{"x.csv", "Mã đơn vị,Màu sắc\n", "import.err.unknown_column"},
		{"x.csv", "Mã đơn vị,unit_code\n", "import.err.duplicate_column"},
		{"x.csv", "title\nA\n", "activity.import.missing_column"},
		{"x.csv", "unit_code,type,title,channel,start,audiences\nX1,\xff,a,b,c,d\n", "import.err.encoding"},
	}
	for _, c := range cases {
		_, err := ParseFile(c.name, strings.NewReader(c.data))
		rep, ok := err.(Report)
		if !ok || len(rep) == 0 || rep[0].Reason != c.reason {
			t.Errorf("%s %q: %v, want %s", c.name, c.data, err, c.reason)
		}
	}
}

func TestTemplateRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := Template(&buf); err != nil {
		t.Fatal(err)
	}
	sheet, err := ParseFile("mau.xlsx", &buf)
	if err != nil {
		t.Fatalf("the template must read back: %v", err)
	}
	ok, rep := ReadRows(sheet, func(string) (int64, string, []string) { return 1, "", nil })
	if len(rep) != 0 || len(ok) != 1 || ok[0].Activity.Type != "training_class" || ok[0].Activity.Audiences != SetOf("civil_servants", "citizens") {
		t.Errorf("template example row: %+v %+v", ok, rep)
	}
}

// Activity files are read by the same reader as unit files: Excel's
// "Unicode text" (UTF-16, tab separated) and a semicolon file whose
// headers contain commas are read like a plain CSV.
func TestParseFileSharesTheUnitReader(t *testing.T) {
	header := []string{"Mã đơn vị", "Loại hoạt động", "Tên hoạt động", "Kênh", "Ngày bắt đầu", "Đối tượng", "Số xã, phường được phủ sóng"}
	row := []string{"X1", "loudspeaker", "Phát thanh", "loudspeaker", "01/03/2026", "citizens", "12"}
	utf16 := func(s string) string {
		out := []byte{0xFF, 0xFE}
		for _, r := range s {
			out = append(out, byte(r), byte(r>>8))
		}
		return string(out)
	}
	for name, data := range map[string]string{
		"unicode.txt":   utf16(strings.Join(header, "\t") + "\r\n" + strings.Join(row, "\t") + "\r\n"),
		"semicolon.csv": strings.Join(header, ";") + "\n" + strings.Join(row, ";") + "\n",
	} {
		sheet, err := ParseFile(name, strings.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(sheet.Columns) != len(header) || sheet.Columns[6] != ColCommunes || len(sheet.Rows) != 1 || sheet.Rows[0].Cells[6] != "12" {
			t.Errorf("%s: columns %v rows %v", name, sheet.Columns, sheet.Rows)
		}
	}
}
