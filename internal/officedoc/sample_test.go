package officedoc

import (
	"fmt"
	"strings"
	"time"

	"khienso/internal/dates"
)

// sampleDocument is a small but complete report used across the tests.
func sampleDocument() *Document {
	return &Document{
		ParentBody:  "UBND tỉnh Nghệ An",
		IssuingBody: "Sở Khoa học và Công nghệ",
		Number:      "15/BC-SKHCN",
		Symbol:      "BC-SKHCN",
		Place:       "Nghệ An",
		Date:        dates.New(2026, time.December, 5),
		Kind:        "Báo cáo",
		Title:       "Kết quả triển khai tuyên truyền, nâng cao nhận thức về an toàn thông tin năm 2026",
		Blocks: []Block{
			{Kind: BlockHeading1, Text: "I. KẾT QUẢ THỰC HIỆN"},
			{Kind: BlockParagraph, Text: "Thực hiện Kế hoạch số 123/KH-UBND ngày 15/01/2026 của Ủy ban nhân dân tỉnh về tuyên truyền, phổ biến, nâng cao nhận thức và trang bị kiến thức, kỹ năng bảo đảm an toàn thông tin mạng, Sở Khoa học và Công nghệ báo cáo kết quả như sau."},
			{Kind: BlockHeading2, Text: "1. Công tác tuyên truyền"},
			{Kind: BlockBullet, Text: "Tổ chức 12 hội nghị tập huấn cho cán bộ, công chức, viên chức;"},
			{Kind: BlockBullet, Text: "- Đăng tải 45 tin, bài trên cổng thông tin điện tử."},
			{Kind: BlockTable, Table: &Table{
				Header:      []string{"TT", "Đơn vị", "Số lượt tham gia", "Ghi chú"},
				Rows:        [][]string{{"1", "Sở Tư pháp", "120", ""}, {"2", "UBND huyện Quỳnh Lưu", "1.250"}, {"3", "Trường THPT Huỳnh Thúc Kháng", "86", "Đạt"}},
				Widths:      []float64{0.6, 4, 2, 2},
				NumericCols: []int{2},
				TotalRow:    []string{"", "Tổng cộng", "1.456", ""},
			}},
			{Kind: BlockHeading1, Text: "II. KIẾN NGHỊ, ĐỀ XUẤT"},
			{Kind: BlockParagraph, Text: "Đề nghị Bộ Công an tiếp tục hỗ trợ tài liệu tuyên truyền.\nĐề nghị các sở, ngành phối hợp thực hiện."},
		},
		Recipients: []string{"Bộ Công an;", "UBND tỉnh (để b/c);", "Lưu: VT, SKHCN."},
		Authority:  []string{"KT. Giám đốc", "Phó Giám đốc"},
		SignerName: "Nguyễn Văn An",
	}
}

// bigDocument has n table rows and n paragraphs, like a province with n
// units' narratives.
func bigDocument(n int) *Document {
	d := sampleDocument()
	t := &Table{Header: []string{"TT", "Đơn vị", "Loại hình", "Số hoạt động", "Số người tham gia"}, NumericCols: []int{0, 3, 4}, Widths: []float64{0.7, 4, 2, 1.5, 1.8}}
	var narr []Block
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("Đơn vị số %d thuộc UBND huyện Nghi Lộc", i)
		t.Rows = append(t.Rows, []string{fmt.Sprint(i), name, "Cấp xã", fmt.Sprint(i % 17), fmt.Sprint(i * 13)})
		narr = append(narr, Block{Kind: BlockParagraph, Text: name + ": đã tổ chức tuyên truyền về lừa đảo trực tuyến, bảo vệ dữ liệu cá nhân và an toàn khi sử dụng mạng xã hội cho cán bộ, người dân trên địa bàn; kết quả đạt yêu cầu đề ra & vượt <chỉ tiêu>."})
	}
	t.TotalRow = []string{"", "Tổng cộng", "", fmt.Sprint(n), fmt.Sprint(13 * n * (n + 1) / 2)}
	d.Blocks = append([]Block{{Kind: BlockHeading1, Text: "I. SỐ LIỆU"}, {Kind: BlockTable, Table: t}, {Kind: BlockHeading1, Text: "II. TÌNH HÌNH TỪNG ĐƠN VỊ"}}, narr...)
	return d
}

// appendixDocument has receivers, headings among paragraphs of one to five
// lines, and an appendix of a 150-row table after the signature.
func appendixDocument() *Document {
	d := sampleDocument()
	d.Blocks = nil
	for i := 0; i < 40; i++ {
		d.Blocks = append(d.Blocks, Block{Text: fmt.Sprintf("Đoạn %d: ", i) + strings.Repeat("Tổ chức tuyên truyền về an toàn thông tin cho cán bộ và người dân. ", 1+i%5)})
		if i%7 == 0 {
			d.Blocks = append(d.Blocks, Block{Kind: BlockHeading1, Text: fmt.Sprintf("%d. MỤC LỚN", i)})
		}
	}
	d.Receivers = []string{"Bộ Công an", "Ủy ban nhân dân tỉnh"}
	t := &Table{Header: []string{"TT", "Đơn vị"}, Widths: []float64{1, 5}}
	for i := 0; i < 150; i++ {
		t.Rows = append(t.Rows, []string{fmt.Sprint(i), "Hàng số " + fmt.Sprint(i)})
	}
	d.Appendices = []Appendix{{Title: "Tình hình gửi báo cáo", Blocks: []Block{{Kind: BlockTable, Table: t}}}}
	return d
}
