package planimport

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// Losing one structural line of the seed table (a number, a section numeral,
// a timeframe) must never silently lose a task: the result is an error, or
// all 30 tasks, or fewer tasks with a note telling the reviewer where to look.
func TestParseTextNeverDropsRowsSilently(t *testing.T) {
	raw, err := os.ReadFile("testdata/plan_774_nghe_an.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	tried := 0
	for i := 243; i < 590; i++ {
		l := strings.TrimSpace(lines[i])
		_, _, roman := romanHeading(l)
		_, tf := ParseTimeframe(l)
		if !roman && !tf && !numAlone.MatchString(l) {
			continue
		}
		tried++
		mutated := strings.Join(append(append([]string{}, lines[:i]...), lines[i+1:]...), "\n")
		tasks, err := ParseText(mutated)
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) {
				t.Errorf("line %d removed: error %v is not an *Error", i+1, err)
			}
			continue
		}
		if len(tasks) == 30 {
			continue
		}
		notes := 0
		for _, task := range tasks {
			notes += len(task.Notes)
		}
		if notes <= 1 { // the seed itself has one note, on I.2
			t.Errorf("line %d (%q) removed: %d tasks and no new note", i+1, l, len(tasks))
		}
	}
	if tried < 60 {
		t.Fatalf("only %d lines tried", tried)
	}
}

func FuzzParseText(f *testing.F) {
	raw, err := os.ReadFile("testdata/plan_774_nghe_an.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(raw))
	f.Add(string(raw[len(raw)/2:]))
	f.Add("STT\n\nNội dung\n\nChủ trì\n\nPhối hợp\n\nThời gian\n\n1\n\nA\n\nSở Y tế\n\n \n\nHàng năm\n")
	f.Add("STT\tNội dung\tChủ trì\tPhối hợp\tThời gian\n1\t\"A\n\tB\"\t\t\n")
	f.Add("TT\nNhiệm vụ\nChủ trì\nPhối hợp\nTiến độ\n1. A\n1.1 B\nI\nII. C\n\u00a0\n")
	f.Add("STT\n\nNội dung\n\nThời gian\n\nChủ trì\n\nPhối hợp\n\nI.\n\nA\n\n1\n\nB\n\nQuý IV hằng năm\n\nSở Y tế\n\n \n\n2\n\nC\n\nNơi nhận:\n")
	f.Add("STT\nNá»™i dung\nChá»§ trÃ¬\nPhá»‘i há»£p\nThá»\u009di gian\n1\nA\nSá»Ÿ Y táº¿\n \nHÃ ng nÄƒm\n")
	f.Fuzz(func(t *testing.T, text string) {
		var tasks []Task
		var err error
		if alloc := allocated(func() { tasks, err = ParseText(text) }); alloc > textAllocBound(len(text)) {
			t.Fatalf("%d bytes of text allocated %d MiB", len(text), alloc>>20)
		}
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) || tasks != nil {
				t.Fatalf("ParseText: %v, %d tasks", err, len(tasks))
			}
			_ = perr.Error()
			return
		}
		if len(tasks) == 0 {
			t.Fatal("no tasks and no error")
		}
		for _, task := range tasks {
			if task.Content == "" || task.Line <= 0 {
				t.Fatalf("incomplete task %+v", task)
			}
		}
	})
}

func FuzzMatchUnits(f *testing.F) {
	f.Add("Các sở, ban, ngành, đoàn thể, tổ chức chính trị - xã hội cấp tỉnh và UBND các huyện, thành phố, thị xã.")
	f.Add("- Sở Thông tin và Truyền thông: về an toàn thông tin mạng;\n- Công an tỉnh (liên quan")
	f.Add("Sở TT&TT, , ; : ( ) và và , Đài PT-TH")
	dir := testDirectory()
	f.Fuzz(func(t *testing.T, cell string) {
		for _, m := range MatchUnits(cell, dir) {
			if m.Phrase == "" || m.Confidence < 0 || m.Confidence > 1 {
				t.Fatalf("bad match %+v", m)
			}
			if m.Group == "" && len(m.UnitIDs) > 1 {
				t.Fatalf("a named phrase resolved to several units: %+v", m)
			}
		}
	})
}

func FuzzParseDOCX(f *testing.F) {
	doc := document(table(headerRow, []tc{c("1"), c("A"), c("Sở Nội vụ"), {vmerge: "continue"}, c("2024")}))
	var buf bytes.Buffer
	{
		t := &testing.T{}
		r := buildDOCX(t, docxFiles(doc))
		b := make([]byte, r.Size())
		_, _ = r.Read(b)
		buf.Write(b)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	for _, h := range hostileDOCX(f) {
		f.Add(h.file)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var tasks []Task
		var err error
		if alloc := allocated(func() { tasks, err = ParseDOCX(bytes.NewReader(data), int64(len(data))) }); alloc > docxAllocBound(len(data)) {
			t.Fatalf("%d-byte file allocated %d MiB", len(data), alloc>>20)
		}
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) || tasks != nil {
				t.Fatalf("ParseDOCX: %v, %d tasks", err, len(tasks))
			}
		}
	})
}
