package planimport

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"khienso/internal/i18n"
)

func loadSeed(t *testing.T) []Task {
	t.Helper()
	raw, err := os.ReadFile("testdata/plan_774_nghe_an.txt")
	if err != nil {
		t.Fatal(err)
	}
	tasks, err := ParseText(string(raw))
	if err != nil {
		t.Fatalf("ParseText(seed): %v", err)
	}
	return tasks
}

const (
	leadAllUnits = "Các sở, ban, ngành, đoàn thể, tổ chức chính trị - xã hội cấp tỉnh và UBND các huyện, thành phố, thị xã."
	coordDepts   = "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố"
)

// The appendix of plan 774/KH-UBND: sections I–IX holding 4, 1, 1, 5, 4, 6,
// 3, 4 and 2 tasks (counted by hand), and nothing from the page around it.
func TestParseTextSeed(t *testing.T) {
	tasks := loadSeed(t)
	sections := []struct {
		label string
		count int
	}{
		{"I. Tăng cường vai trò lãnh đạo của Đảng, quản lý của Nhà nước", 4},
		{"II. Hoàn thiện hành lang pháp lý", 1},
		{"III. Bảo vệ chủ quyền quốc gia trên không gian mạng", 1},
		{"IV. Bảo vệ hạ tầng số, nền tảng số, dữ liệu số, cơ sở hạ tầng không gian mạng quốc gia", 5},
		{"V. Bảo vệ hệ thống thông tin các cơ quan Đảng, Nhà nước", 4},
		{"VI. Tạo lập niềm tin số, xây dựng môi trường mạng trung thực, văn minh, lành mạnh và phòng, chống vi phạm pháp luật trên môi trường mạng", 6},
		{"VII. Đào tạo và phát triển nguồn nhân lực", 3},
		{"VIII. Đầu tư nguồn lực và bảo đảm kinh phí thực hiện", 4},
		{"IX. Kiểm tra, đánh giá, chế độ thông tin báo cáo", 2},
	}
	if len(tasks) != 30 {
		t.Fatalf("got %d tasks, want 30", len(tasks))
	}
	k := 0
	for _, s := range sections {
		for n := 1; n <= s.count; n++ {
			got := tasks[k]
			if got.Section != s.label || got.Number != fmt.Sprint(n) {
				t.Errorf("task %d: section %q number %q, want %q number %d", k, got.Section, got.Number, s.label, n)
			}
			if got.Content == "" || got.LeadText == "" || got.TimeframeText == "" || got.Timeframe.Kind == "" {
				t.Errorf("task %s.%s has an empty cell: %+v", s.label[:4], got.Number, got)
			}
			if inherited := k == 1; got.Inherited != inherited {
				t.Errorf("task %d: Inherited = %v", k, got.Inherited)
			}
			if k != 1 && len(got.Notes) != 0 {
				t.Errorf("task %d: unexpected notes %v", k, got.Notes)
			}
			k++
		}
	}

	checkTask(t, tasks[0], Task{
		Section: sections[0].label, Number: "1", Line: 258,
		Content:       "Phổ biến, quán triệt chủ trương của Đảng, chính sách, pháp luật của Nhà nước về an toàn, an ninh mạng, coi đây là nhiệm vụ quan trọng của hệ thống chính trị.",
		LeadText:      leadAllUnits,
		CoordText:     "",
		TimeframeText: "Thường xuyên", Timeframe: Timeframe{Kind: KindContinuous},
	})
	// I.2 has only its content: the other cells were merged with I.1.
	checkTask(t, tasks[1], Task{
		Section: sections[0].label, Number: "2", Line: 268,
		Content:       "Nâng cao nhận thức, trách nhiệm của cấp ủy đảng, chính quyền, Ủy ban Mặt trận Tquốc Việt Nam tỉnh, các tổ chức chính trị - xã hội, Nhân dân, doanh nghiệp trong công tác bảo đảm an toàn, an ninh mạng. Người đứng đầu cấp ủy lãnh đạo, chỉ đạo và chịu trách nhiệm về công tác an toàn, an ninh mạng, chủ động rà soát, xác định những vấn đề trọng tâm, trọng điểm để chỉ đạo thực hiện hiệu quả.",
		LeadText:      leadAllUnits,
		TimeframeText: "Thường xuyên", Timeframe: Timeframe{Kind: KindContinuous},
		Inherited: true, Notes: []Note{{Key: NoteInherited}},
	})
	checkTask(t, tasks[3], Task{
		Section: sections[0].label, Number: "4", Line: 282,
		Content:       "Hình thành Thế trận An ninh nhân dân trên không gian mạng kết hợp chặt chẽ với Thế trận Quốc phòng toàn dân trên không gian mạng",
		LeadText:      "Công an tỉnh; Bộ Chỉ huy Quân sự tỉnh",
		CoordText:     leadAllUnits,
		TimeframeText: "2022-2025", Timeframe: Timeframe{Kind: KindRange, FromYear: 2022, ToYear: 2025},
	})
	// II.1: a lead cell of three paragraphs.
	checkTask(t, tasks[4], Task{
		Section: sections[1].label, Number: "1", Line: 296,
		Content: "Rà soát, đề xuất xây dựng, sửa đổi, bổ sung văn bản về bảo đảm an toàn, an ninh mạng cho giao dịch điện tử, chuyển đổi số, hạ tầng số, nền tảng số, bảo vệ dữ liệu quốc gia, thông tin cá nhân trên mạng, quy định về điều kiện kinh doanh các sản phm, dịch vụ an ninh mạng,... bảo đảm thống nhất, phù hợp với các văn bản quy phạm pháp luật hiện hành về an toàn, an ninh mạng.",
		LeadText: "- Sở Thông tin và Truyền thông: về an toàn thông tin mạng;\n" +
			"- Công an tỉnh: về an ninh mạng;\n" +
			"- Bộ Chỉ huy Quân sự tỉnh: về bảo vệ Tổ quốc, chủ quyền quốc gia trên không gian mạng",
		CoordText:     "Các sở, ban, ngành và Ủy ban nhân dân các huyện, thành phố, thị xã.",
		TimeframeText: "2022-2025", Timeframe: Timeframe{Kind: KindRange, FromYear: 2022, ToYear: 2025},
	})
	// V.2: the typo in the coordinating cell is kept as written.
	checkTask(t, tasks[12], Task{
		Section: sections[4].label, Number: "2", Line: 394,
		Content:       "Bảo đảm an toàn, an ninh mạng trong quá trình lựa chọn, thiết kế, xây dựng, vận hành, khai thác các dịch vụ, cơ sở dữ liệu, hạ tầng công nghệ thông tin của tỉnh; ưu tiên sử dụng sản phẩm an toàn, an ninh mạng Việt Nam.",
		LeadText:      "Chủ quản hệ thống thông tin",
		CoordText:     "Sở Thông và truyền thông; Công an tỉnh",
		TimeframeText: "Thường xuyên", Timeframe: Timeframe{Kind: KindContinuous},
	})
	// VI.5: an empty coordinating cell (a line holding a no-break space).
	checkTask(t, tasks[19], Task{
		Section: sections[5].label, Number: "5", Line: 468,
		Content:       "Xây dựng các chuyên trang, chuyên mục; các phóng sự, chuyên đề, các tài liệu tuyên truyền sâu, rộng đến mọi người dân, người lao động thuộc mọi thành phn kinh tế về đảm bảo an toàn, an ninh mạng. Chỉ đạo các cơ quan báo chí, Cổng Thông tin điện tử Nghệ An, Trung tâm Văn hóa Thể thao và Truyền thông, Phòng Văn hóa - Thông tin các huyện, thành phố, thị xã tăng cường công tác thông tin tuyên truyền, hướng dẫn người dân nâng cao nhận thức tự bảo vệ trên môi trường s",
		LeadText:      "Sở Thông tin và Truyền thông",
		TimeframeText: "Thường xuyên", Timeframe: Timeframe{Kind: KindContinuous},
	})
	checkTask(t, tasks[29], Task{
		Section: sections[8].label, Number: "2", Line: 580,
		Content:       "Kiểm tra, đánh giá và báo cáo về tình hình, kết quả triển khai Chiến lược",
		LeadText:      "Sở Thông tin và Truyền thông (liên quan đến ATTT mạng); Công an tỉnh (liên quan đến an ninh mạng)",
		CoordText:     coordDepts,
		TimeframeText: "Hàng năm", Timeframe: Timeframe{Kind: KindYearly},
	})
}

func checkTask(t *testing.T, got, want Task) {
	t.Helper()
	g, w := fmt.Sprintf("%#v", got), fmt.Sprintf("%#v", want)
	if g != w {
		t.Errorf("task %s.%s:\n got %s\nwant %s", want.Section, want.Number, g, w)
	}
}

// Every lead cell of the seed resolves to the right units.
func TestSeedLeadsMatch(t *testing.T) {
	tasks := loadSeed(t)
	m := NewMatcher(testDirectory())
	tttt, police, military := one("Sở Thông tin và Truyền thông", idTTTT), one("Công an tỉnh", idPolice), one("Bộ Chỉ huy Quân sự tỉnh", idMilitary)
	all := deptsMassDistricts
	owners := want{"Chủ quản hệ thống thông tin", GroupSystemOwners, []int64{}}
	expected := [][]want{
		all, all, all, {police, military},
		{tttt, police, military},
		{police, military, tttt},
		{one("Sở Thông tin và truyền thông", idTTTT), police}, {tttt}, deptsMassDistricts2, {owners}, {tttt},
		{police}, {owners}, {tttt}, {tttt},
		{tttt}, {tttt}, deptsDistricts, all, {tttt},
		{one("Báo Nghệ An", idBaoNgheAn), one("Đài Phát thanh và Truyền hình Nghệ An", idRadioTV), one("Cổng TTĐT", idPortal)},
		all, {tttt, police}, {one("Sở Nội vụ", idHomeAffairs)},
		{one("Sở Nội vụ", idHomeAffairs)}, {one("Sở Tài chính", idFinance), one("Sở Kế hoạch và Đầu tư", idPlanning)}, {one("Sở Tài chính", idFinance)}, {tttt},
		{one("Sở Nội vụ", idHomeAffairs), police, tttt}, {tttt, police},
	}
	if len(expected) != len(tasks) {
		t.Fatalf("%d expectations for %d tasks", len(expected), len(tasks))
	}
	for i, task := range tasks {
		checkMatches(t, task.LeadText, m.Match(task.LeadText), expected[i])
		// Coordinating cells resolve fully too: every phrase is a group or a unit.
		for _, c := range m.Match(task.CoordText) {
			if c.Group == "" && len(c.UnitIDs) == 0 {
				t.Errorf("task %s.%s: coordinating phrase %q not resolved", task.Section[:4], task.Number, c.Phrase)
			}
		}
	}
}

func TestParseTextLayouts(t *testing.T) {
	header := "STT\n\nNội dung thực hiện\n\nĐơn vị chủ trì\n\nĐơn vị phối hợp\n\nThời gian thực hiện\n\n"
	cases := []struct {
		name string
		text string
		want []Task
	}{
		{
			name: "inline numbers, tolerant header, CRLF",
			text: strings.ReplaceAll("Phụ lục\nTT\nNhiệm vụ\nCơ quan chủ trì\nCơ quan phối hợp\nTiến độ\nI. Tuyên truyền\n1. Tổ chức tuyên truyền\nSở TT&TT\nCác sở, ban, ngành\nQuý IV/2023\n2. Diễn tập\nCông an tỉnh\n \nTrước 31/12/2023\n", "\n", "\r\n"),
			want: []Task{
				{Section: "I. Tuyên truyền", Number: "1", Line: 8, Content: "Tổ chức tuyên truyền", LeadText: "Sở TT&TT", CoordText: "Các sở, ban, ngành", TimeframeText: "Quý IV/2023", Timeframe: ParseTimeframeMust("Quý IV/2023")},
				{Section: "I. Tuyên truyền", Number: "2", Line: 12, Content: "Diễn tập", LeadText: "Công an tỉnh", TimeframeText: "Trước 31/12/2023", Timeframe: ParseTimeframeMust("Trước 31/12/2023")},
			},
		},
		{
			name: "multi-paragraph content, repeated header, column numbers, Arabic sections",
			text: header + "(1)\n(2)\n(3)\n(4)\n(5)\n" +
				"1\n\nNhiệm vụ chung\n\n1.1\n\nRà soát hệ thống:\n\n- máy chủ;\n\n- máy trạm.\n\nSở Nội vụ\n\nCông an tỉnh\n\nNăm 2024\n\n" +
				header +
				"1.2\n\nBáo cáo\n\nSở Tài chính\n\n \n\nHàng năm\n\nVăn bản gốc\nĐăng nhập\n",
			want: []Task{
				{Section: "1. Nhiệm vụ chung", Number: "1.1", Line: 20, Content: "Rà soát hệ thống:\n- máy chủ;\n- máy trạm.", LeadText: "Sở Nội vụ", CoordText: "Công an tỉnh", TimeframeText: "Năm 2024", Timeframe: Timeframe{Kind: KindRange, FromYear: 2024, ToYear: 2024}},
				{Section: "1. Nhiệm vụ chung", Number: "1.2", Line: 44, Content: "Báo cáo", LeadText: "Sở Tài chính", TimeframeText: "Hàng năm", Timeframe: Timeframe{Kind: KindYearly}},
			},
		},
		{
			name: "last row has only its content, page text follows",
			text: header + "1\n\nA\n\nSở Nội vụ\n\nSở Y tế\n\nHàng năm\n\n2\n\nB\n\nVăn bản gốc\n\nBạn Chưa Đăng Nhập Tài khoản!\n",
			want: []Task{
				{Number: "1", Line: 11, Content: "A", LeadText: "Sở Nội vụ", CoordText: "Sở Y tế", TimeframeText: "Hàng năm", Timeframe: Timeframe{Kind: KindYearly}},
				{Number: "2", Line: 21, Content: "B", LeadText: "Sở Nội vụ", CoordText: "Sở Y tế", TimeframeText: "Hàng năm", Timeframe: Timeframe{Kind: KindYearly}, Inherited: true, Notes: []Note{{Key: NoteInherited}}},
			},
		},
		{
			name: "ambiguous split and number gap are flagged",
			text: header + "1\n\nA\n\nSở Nội vụ\n\nSở Tài chính\n\nCông an tỉnh\n\nHàng năm\n\n3\n\nB\n\nSở Y tế\n\n \n\nThường xuyên\n",
			want: []Task{
				{Number: "1", Line: 11, Content: "A", LeadText: "Sở Nội vụ", CoordText: "Sở Tài chính\nCông an tỉnh", TimeframeText: "Hàng năm", Timeframe: Timeframe{Kind: KindYearly}, Notes: []Note{{Key: NoteCellsGuessed}}},
				{Number: "3", Line: 23, Content: "B", LeadText: "Sở Y tế", TimeframeText: "Thường xuyên", Timeframe: Timeframe{Kind: KindContinuous}, Notes: []Note{{Key: NoteNumberGap, Args: []any{"3", "1"}}}},
			},
		},
		{
			name: "tab-separated rows copied from Excel",
			text: "Phụ lục\nSTT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\n" +
				"I\tTuyên truyền\t\t\t\n" +
				"1\tTổ chức tuyên truyền\tSở TT&TT\tCác sở, ban, ngành\t2022 - 2025\n" +
				"2\tPhát hành tài liệu\t\t\t\n" +
				"3\t\"Tập huấn\nnhiều đợt\"\t\"- Sở Nội vụ;\n- Công an tỉnh\"\t\tTheo kế hoạch\n" +
				"II. Kiểm tra\n" +
				"1\tKiểm tra\tSở TT&TT\t\tHàng năm\n" +
				"Nơi nhận:\n",
			want: []Task{
				{Section: "I. Tuyên truyền", Number: "1", Line: 4, Content: "Tổ chức tuyên truyền", LeadText: "Sở TT&TT", CoordText: "Các sở, ban, ngành", TimeframeText: "2022 - 2025", Timeframe: Timeframe{Kind: KindRange, FromYear: 2022, ToYear: 2025}},
				{Section: "I. Tuyên truyền", Number: "2", Line: 5, Content: "Phát hành tài liệu", LeadText: "Sở TT&TT", CoordText: "Các sở, ban, ngành", TimeframeText: "2022 - 2025", Timeframe: Timeframe{Kind: KindRange, FromYear: 2022, ToYear: 2025}, Inherited: true, Notes: []Note{{Key: NoteInherited}}},
				{Section: "I. Tuyên truyền", Number: "3", Line: 6, Content: "Tập huấn\nnhiều đợt", LeadText: "- Sở Nội vụ;\n- Công an tỉnh", TimeframeText: "Theo kế hoạch", Notes: []Note{{Key: NoteTimeframeUnparsed, Args: []any{"Theo kế hoạch"}}}},
				{Section: "II. Kiểm tra", Number: "1", Line: 10, Content: "Kiểm tra", LeadText: "Sở TT&TT", TimeframeText: "Hàng năm", Timeframe: Timeframe{Kind: KindYearly}},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseText(c.text)
			if err != nil {
				t.Fatalf("ParseText: %v", err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d tasks %+v, want %d", len(got), got, len(c.want))
			}
			for i := range got {
				checkTask(t, got[i], c.want[i])
			}
		})
	}
}

func ParseTimeframeMust(s string) Timeframe {
	tf, ok := ParseTimeframe(s)
	if !ok {
		panic("bad timeframe in test: " + s)
	}
	return tf
}

func TestParseTextErrors(t *testing.T) {
	header := "STT\n\nNội dung thực hiện\n\nĐơn vị chủ trì\n\nĐơn vị phối hợp\n\nThời gian thực hiện\n\n"
	row := func(n, content string) string {
		return n + "\n\n" + content + "\n\nSở Nội vụ\n\nCông an tỉnh\n\nHàng năm\n\n"
	}
	cases := []struct {
		name string
		text string
		key  string
		line int
		args []any
	}{
		{"empty", "", "planimport.err.empty", 0, nil},
		{"blank", " \n\u00a0\n\t", "planimport.err.empty", 0, nil},
		{"invalid UTF-8", "STT\xff\xfe", "planimport.err.encoding", 0, nil},
		// UTF-8 misread as Windows-1252, as a text file opened in the wrong
		// code page and copied: the first garbled line, and what it says.
		{"mojibake", "KẾ HOẠCH\n\n" + header + "1\n\nTuyÃªn truyá»\u0081n\n", "planimport.err.mojibake", 15,
			[]any{15, "TuyÃªn truyá»\u0081n", "Tuyên truyền"}},
		{"mojibake with a lost byte", header + "1\n\nÄ\ufffdÃ\u00a0i PT-TH\n", "planimport.err.mojibake_lost", 13, []any{13, "Ä\ufffdÃ\u00a0i PT-TH"}},
		{"too large", strings.Repeat("a", MaxTextBytes+1), "planimport.err.too_large", 0, []any{4}},
		{"no table", "Kế hoạch 774/KH-UBND\n\nI. QUAN ĐIỂM\n\n1. Bảo đảm sự lãnh đạo\n\nThường xuyên\n", "planimport.err.no_table", 0, nil},
		{"garbage", "\x00\x01 {{m.News_Dates_Date}} <<<>>> 12 \t 34 \n\n\n;;;;", "planimport.err.no_table", 0, nil},
		{"header only", "Phụ lục\n\n" + header + "Văn bản gốc\n", "planimport.err.line.no_tasks", 3, []any{3}},
		{"number without content", header + row("1", "A") + "2\n\n3\n\nB\n\nSở Y tế\n\n \n\nHàng năm\n", "planimport.err.line.no_content", 21, []any{21, "2"}},
		{"number with an empty content cell", header + "1\n\n \n\nSở Nội vụ\n\n \n\nHàng năm\n", "planimport.err.line.no_content", 11, []any{11, "1"}},
		{"number at the end", header + row("1", "A") + "2\n", "planimport.err.line.no_content", 21, []any{21, "2"}},
		{"no timeframe", header + "1\n\nA\n\nSở Nội vụ\n\nCông an tỉnh\n\n2\n\nB\n\nSở Y tế\n\n \n\nHàng năm\n", "planimport.err.line.no_timeframe", 11, []any{11, "1"}},
		{"first row has only content", header + "1\n\nA\n\n2\n\nB\n\nSở Y tế\n\n \n\nHàng năm\n", "planimport.err.line.first_inherited", 11, []any{11, "1"}},
		{"table interrupted", header + row("1", "A") + "Ghi chú: xem thêm\n\n" + row("2", "B"), "planimport.err.line.unexpected", 21, []any{21, "Ghi chú: xem thêm", 23}},
		{"cells cannot be split", header + "1\n\nA\n\nSở Nội vụ\n \nSở Y tế\n \nHàng năm\n", "planimport.err.line.cells", 11, []any{11, "1"}},
		{"tab row with no content", "STT\tNội dung\tChủ trì\tPhối hợp\tThời gian\n1\t\tSở Nội vụ\t\tHàng năm\n", "planimport.err.line.no_content", 2, []any{2, "1"}},
		{"tab table interrupted", "STT\tNội dung\tChủ trì\tPhối hợp\tThời gian\n1\tA\tSở Nội vụ\t\tHàng năm\nTrang 2\n2\tB\tSở Y tế\t\tHàng năm\n", "planimport.err.line.unexpected", 3, []any{3, "Trang 2", 4}},
		{"columns in another order, a row with units but no timeframe", "STT\n\nNội dung\n\nThời gian\n\nChủ trì\n\nPhối hợp\n\n1\n\nA\n\nSở Nội vụ\n\n2\n\nB\n\nHằng quý\n\nSở Y tế\n",
			"planimport.err.line.no_timeframe", 11, []any{11, "1"}},
		{"columns in another order, number not first", "Nội dung\n\nSTT\n\nChủ trì\n\nPhối hợp\n\nThời gian\n\nA\n\n1\n", "planimport.err.line.number_first", 1, []any{1}},
		{"tab header only", "STT\tNội dung\tChủ trì\tPhối hợp\tThời gian\n\n", "planimport.err.line.no_tasks", 1, []any{1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tasks, err := ParseText(c.text)
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("ParseText: tasks %+v, err %v; want *Error %s", tasks, err, c.key)
			}
			if tasks != nil {
				t.Errorf("tasks returned with an error: %+v", tasks)
			}
			if perr.Key != c.key || perr.Line != c.line || !slices.Equal(perr.Args, c.args) {
				t.Errorf("error = {%d %s %v}, want {%d %s %v}", perr.Line, perr.Key, perr.Args, c.line, c.key, c.args)
			}
			if !i18n.Has(perr.Key) {
				t.Errorf("key %s is not in the catalogue", perr.Key)
			}
			if msg := perr.Error(); strings.Contains(msg, "%!") || msg == perr.Key {
				t.Errorf("bad English message %q", msg)
			}
			if c.line > 0 && !strings.Contains(perr.Error(), fmt.Sprint(c.line)) {
				t.Errorf("message %q does not name line %d", perr.Error(), c.line)
			}
		})
	}
}

func TestErrorHelpers(t *testing.T) {
	e := &Error{Line: 7, Key: "planimport.err.line.no_content", Args: []any{7, "3"}}
	if got := e.Error(); got != "Line 7: task 3 has no content; the task content must follow the number." {
		t.Errorf("Error() = %q", got)
	}
	if got := e.Message(i18n.VI); !strings.HasPrefix(got, "Dòng 7: nhiệm vụ số 3") {
		t.Errorf("Message(vi) = %q", got)
	}
	fe := e.FieldError("plan_text")
	if fe.Field != "plan_text" || fe.Reason != e.Key || len(fe.Args) != 2 {
		t.Errorf("FieldError = %+v", fe)
	}
	n := Note{Key: NoteNumberGap, Args: []any{"4", "2"}}
	if got := n.Message(i18n.EN); got != "Number 4 follows number 2: a row may be missing." {
		t.Errorf("Note.Message(en) = %q", got)
	}
	for _, k := range []string{NoteContentParagraphs, NoteInherited, NoteInheritedPart, NoteCellsGuessed, NoteTimeframeUnparsed, NoteTimeframeMissing, NoteNumberGap, NoteNoNumber, NoteContinued} {
		if !i18n.Has(k) {
			t.Errorf("note key %s is not in the catalogue", k)
		}
	}
}

func TestParseTextLetterSections(t *testing.T) {
	for name, text := range map[string]string{
		"paragraphs": "STT\nNội dung\nChủ trì\nPhối hợp\nThời gian\nA.\nNhiệm vụ chung\n1\nXây dựng\nSở Y tế\n \nHàng năm\n",
		"tabs":       "STT\tNội dung\tChủ trì\tPhối hợp\tThời gian\nA\tNhiệm vụ chung\t\t\t\n1\tXây dựng\tSở Y tế\t\tHàng năm\n",
	} {
		got, err := ParseText(text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != 1 || got[0].Section != "A. Nhiệm vụ chung" || got[0].Number != "1" || got[0].Inherited {
			t.Errorf("%s: %+v", name, got)
		}
	}
}

// An uploaded text file is read through the shared decoder: UTF-8 with a
// byte-order mark and UTF-16 (Notepad's "Unicode") read like pasted text;
// a truncated UTF-16 file is refused.
func TestParseTextFile(t *testing.T) {
	text := "STT\tNội dung\tChủ trì\tPhối hợp\tThời gian\n1\tTuyên truyền\tSở Nội vụ\t\tHàng năm\n"
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range text {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	cases := []struct {
		name string
		data []byte
		key  string
	}{
		{"utf-8", []byte(text), ""},
		{"utf-8 with bom", append([]byte("\xef\xbb\xbf"), text...), ""},
		{"utf-16", utf16, ""},
		{"utf-16 truncated", utf16[:len(utf16)-1], "planimport.err.utf16"},
		{"windows-1258 bytes", []byte("STT\tN\xd4i dung\n"), "planimport.err.encoding"},
	}
	for _, c := range cases {
		tasks, err := ParseTextFile(c.data)
		if c.key == "" {
			if err != nil || len(tasks) != 1 || tasks[0].Content != "Tuyên truyền" {
				t.Errorf("%s: %+v %v", c.name, tasks, err)
			}
			continue
		}
		var perr *Error
		if !errors.As(err, &perr) || perr.Key != c.key {
			t.Errorf("%s: %v, want %s", c.name, err, c.key)
		}
	}
}

// The seed's table pasted one cell per line with its columns in other
// orders reads as the same tasks; the number must come first.
func TestParseTextColumnOrders(t *testing.T) {
	want := loadSeed(t)
	header := map[role]string{roleNo: "STT", roleContent: "Nội dung thực hiện", roleLead: "Đơn vị chủ trì",
		roleCoord: "Đơn vị phối hợp", roleTime: "Thời gian thực hiện"}
	// write lays the tasks out as a web page copies them: one paragraph a
	// line, blank lines between, a line of spaces for an empty cell.
	write := func(order [5]role) string {
		var b strings.Builder
		b.WriteString("KẾ HOẠCH\n\nPHỤ LỤC\n\n")
		for _, ro := range order {
			b.WriteString(header[ro] + "\n\n")
		}
		section := ""
		for _, tk := range want {
			if tk.Section != section {
				section = tk.Section
				num, title, _ := strings.Cut(section, ". ")
				b.WriteString(num + ".\n\n" + title + "\n\n")
			}
			cell := map[role]string{roleNo: tk.Number, roleContent: tk.Content, roleLead: tk.LeadText,
				roleCoord: tk.CoordText, roleTime: tk.TimeframeText}
			for _, ro := range order {
				if tk.Inherited && ro != roleNo && ro != roleContent {
					continue // merged with the row above: not in the page
				}
				switch v := cell[ro]; v {
				case "":
					b.WriteString(" \n\n")
				default:
					b.WriteString(strings.ReplaceAll(v, "\n", "\n\n") + "\n\n")
				}
			}
		}
		b.WriteString("Nơi nhận:\n\n- Như trên;\n\n- Lưu: VT.\n")
		return b.String()
	}
	for _, order := range [][5]role{
		{roleNo, roleContent, roleTime, roleLead, roleCoord},
		{roleNo, roleTime, roleContent, roleLead, roleCoord},
		{roleNo, roleContent, roleLead, roleTime, roleCoord},
		{roleNo, roleLead, roleCoord, roleContent, roleTime},
		canonicalOrder,
	} {
		name := fmt.Sprint(order)
		got, err := ParseText(write(order))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d tasks, want %d", name, len(got), len(want))
			continue
		}
		for i := range want {
			g, w := got[i], want[i]
			if g.Section != w.Section || g.Number != w.Number || g.Content != w.Content || g.LeadText != w.LeadText ||
				g.CoordText != w.CoordText || g.TimeframeText != w.TimeframeText || g.Timeframe != w.Timeframe || g.Inherited != w.Inherited {
				t.Errorf("%s: task %d = %+v\nwant %+v", name, i, g, w)
			}
		}
	}
	_, err := ParseText(write([5]role{roleContent, roleNo, roleLead, roleCoord, roleTime}))
	var perr *Error
	if !errors.As(err, &perr) || perr.Key != "planimport.err.line.number_first" || perr.Line != 5 {
		t.Errorf("number not first: %v, want planimport.err.line.number_first at line 5", err)
	}
}
