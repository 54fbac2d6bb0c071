package activities

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"khienso/internal/dates"
	"khienso/internal/i18n"
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
	// The template's own lists write "label (code)": each is read back,
	// also typed without diacritics or in English.
	catalogue := []struct {
		in   string
		want Type
		ok   bool
	}{
		{"Lớp tập huấn, bồi dưỡng (training_class)", "training_class", true},
		{"lop tap huan, boi duong (training_class)", "training_class", true},
		{"  LỚP TẬP HUẤN, BỒI DƯỠNG (TRAINING_CLASS) ", "training_class", true},
		{catalogueValue(i18n.EN, "type", "seminar"), "seminar", true},
		{"Lớp tập huấn, bồi dưỡng (seminar)", "", false}, // label and code disagree
	}
	for _, c := range catalogue {
		if got, ok := ParseType(c.in); got != c.want || ok != c.ok {
			t.Errorf("ParseType(%q) = %q %v, want %q %v", c.in, got, ok, c.want, c.ok)
		}
	}
	set, bad = ParseAudiences(catalogueValue(i18n.VI, "audience", "citizens") + "; " + catalogueValue(i18n.VI, "audience", "pupils"))
	if set != SetOf("citizens", "pupils") || len(bad) != 0 {
		t.Errorf("ParseAudiences of catalogue values: %v %v", set.List(), bad)
	}
}

// Every value the template's lists offer is accepted as it is written
// there, in its column.
func TestTemplateListsReadBack(t *testing.T) {
	var buf bytes.Buffer
	if err := Template(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(i18n.VI.T("activity.xlsx.lists"))
	if err != nil || len(rows) < 2 {
		t.Fatalf("lists: %v %v", rows, err)
	}
	n := 0
	for _, r := range rows[1:] {
		for col, v := range r {
			if v == "" {
				continue
			}
			code := v[strings.LastIndex(v, "(")+1 : len(v)-1]
			var got string
			var ok bool
			switch col {
			case 0:
				var t Type
				t, ok = ParseType(v)
				got = string(t)
			case 1:
				var c Channel
				c, ok = ParseChannel(v)
				got = string(c)
			case 2:
				set, bad := ParseAudiences(v)
				list := set.List()
				ok = len(bad) == 0 && len(list) == 1
				if ok {
					got = string(list[0])
				}
			}
			if !ok || got != code {
				t.Errorf("list value %q (column %d) read as %q %v", v, col+1, got, ok)
			}
			n++
		}
	}
	if n != len(TypeNames())+len(ChannelNames())+len(AudienceNames()) {
		t.Errorf("%d list values checked", n)
	}
}

// Dates more than a year after today are refused (a mistyped year), on
// any day: today+1 year is accepted, the day after is not.
func TestReadRowsDatesAhead(t *testing.T) {
	head := "unit_code,type,title,channel,start,end,audiences\n"
	resolve := func(string) (int64, string, []string) { return 1, "", nil }
	cases := []struct {
		today, start, end string
		col               int    // 0: accepted
		arg               string // the latest date allowed, in the message
	}{
		{"2026-12-02", "02/12/2027", "", 0, ""},
		{"2026-12-02", "03/12/2027", "", 5, "02/12/2027"},
		{"2026-12-02", "01/12/2026", "15/03/2062", 6, "02/12/2027"},
		{"2026-01-01", "01/01/2027", "", 0, ""},
		{"2026-01-01", "02/01/2027", "", 5, "01/01/2027"},
		{"2026-12-31", "31/12/2027", "31/12/2027", 0, ""},
		{"2026-12-31", "2028-01-01", "", 5, "31/12/2027"},
		{"2028-02-29", "01/03/2029", "", 0, ""}, // a year after 29/02 is 01/03
		{"2028-02-29", "02/03/2029", "", 5, "01/03/2029"},
	}
	for _, c := range cases {
		sheet, err := ParseFile("a.csv", strings.NewReader(head+"X1,seminar,Hội nghị,in_person,"+c.start+","+c.end+",citizens\n"))
		if err != nil {
			t.Fatal(err)
		}
		ok, rep := ReadRows(sheet, resolve, dates.MustParse(c.today))
		if c.col == 0 {
			if len(rep) != 0 || len(ok) != 1 {
				t.Errorf("today %s, %s–%s: refused %+v", c.today, c.start, c.end, rep)
			}
			continue
		}
		if len(ok) != 0 || len(rep) != 1 || rep[0].Row != 2 || rep[0].Col != c.col || rep[0].Reason != "activity.err.date_ahead" ||
			len(rep[0].Args) != 2 || rep[0].Args[1] != c.arg {
			t.Errorf("today %s, %s–%s: %+v, want activity.err.date_ahead at column %d up to %s", c.today, c.start, c.end, rep, c.col, c.arg)
		}
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
	ok, rep := ReadRows(sheet, resolve, dates.MustParse("2026-03-10"))
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
		{"x.csv", "unit_code,type,title,channel,start,audiences\nX1,seminar,Há»™i nghá»‹,in_person,01/03/2026,citizens\n", "imports.err.mojibake"},
		{"x.xlsx", string(activityFormulaXLSX(t)), "imports.err.formula"},
	}
	for _, c := range cases {
		_, err := ParseFile(c.name, strings.NewReader(c.data))
		rep, ok := err.(Report)
		if !ok || len(rep) == 0 || rep[0].Reason != c.reason {
			t.Errorf("%s %q: %v, want %s", c.name, c.data, err, c.reason)
		}
	}
}

// activityFormulaXLSX is an activity file whose participants are summed
// by a formula.
func activityFormulaXLSX(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range [][]any{{"unit_code", "type", "title", "channel", "start", "audiences", "participants"},
		{"X1", "seminar", "Hội nghị", "in_person", "01/03/2026", "citizens", nil}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellFormula("Sheet1", "G2", "SUM(1,2)"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
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
	ok, rep := ReadRows(sheet, func(string) (int64, string, []string) { return 1, "", nil }, dates.MustParse("2026-03-10"))
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

// FuzzReadActivityFile feeds arbitrary files to the activity reader and
// checks whatever it accepts: nothing may panic, every failure is a report,
// and no accepted activity is dated more than a year after today.
func FuzzReadActivityFile(f *testing.F) {
	var tmpl bytes.Buffer
	if err := Template(&tmpl); err != nil {
		f.Fatal(err)
	}
	f.Add(tmpl.Bytes(), true)
	f.Add([]byte("unit_code,type,title,channel,start,end,audiences\nX1,Lớp tập huấn, bồi dưỡng (training_class),A,in_person,01/03/2026,01/03/2062,citizens\n"), false)
	f.Add([]byte("unit_code;type;title;channel;start;audiences\nX1;seminar;Há»™i nghá»‹;in_person;01/03/2026;citizens\n"), false)
	f.Add(activityFormulaXLSX(f), true)
	today := dates.MustParse("2026-12-02")
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		name := "fuzz.csv"
		if xlsx {
			name = "fuzz.xlsx"
		}
		sheet, err := ParseFile(name, bytes.NewReader(data))
		if err != nil {
			if _, ok := err.(Report); !ok {
				t.Fatalf("error is not a report: %v", err)
			}
			return
		}
		ok, _ := ReadRows(sheet, func(string) (int64, string, []string) { return 1, "", nil }, today)
		for _, p := range ok {
			if p.Activity.Start.After(Latest(today)) || p.Activity.End.After(Latest(today)) {
				t.Fatalf("row %d accepted with dates %s–%s", p.Row, p.Activity.Start, p.Activity.End)
			}
		}
	})
}
