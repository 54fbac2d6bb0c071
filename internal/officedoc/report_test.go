package officedoc_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/indicators"
	"khienso/internal/officedoc"
	"khienso/internal/reportdoc"
	"khienso/internal/reports"
)

// provinceRound is a realistic yearly round of a province: the standard
// template, 8 departments and 40 communes (two thirds of them reported,
// with narratives of a few sentences), the plan's indicators, and a full
// header with receivers, signer and recipients.
func provinceRound() (reportdoc.Input, reportdoc.Header) {
	tpl := reports.Standard()
	r := &reports.Round{ID: 7, Title: "Báo cáo kết quả năm 2026", From: dates.New(2026, 1, 1), To: dates.New(2026, 12, 31),
		Deadline: dates.New(2026, 12, 5), PlanID: 3}
	in := reportdoc.Input{Round: r, Template: &tpl, Subs: map[int64]*reports.Submission{}}
	depts := []string{"Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Văn hóa, Thể thao và Du lịch", "Sở Tư pháp",
		"Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Báo Nghệ An", "Đài Phát thanh và Truyền hình tỉnh"}
	communes := []string{"Nghi Phong", "Nghi Lộc", "Quỳnh Lưu", "Diễn Châu", "Yên Thành", "Đô Lương", "Thanh Chương", "Nam Đàn",
		"Hưng Nguyên", "Anh Sơn", "Con Cuông", "Tương Dương", "Kỳ Sơn", "Quế Phong", "Quỳ Châu", "Quỳ Hợp", "Nghĩa Đàn", "Tân Kỳ",
		"Hoàng Mai", "Thái Hòa", "Cửa Lò", "Vinh Phú", "Vinh Hưng", "Trường Vinh", "Thành Vinh", "Bến Thủy", "Hưng Dũng",
		"Nghi Xuân", "Diễn Thành", "Quỳnh Văn", "Tam Quang", "Châu Khê", "Mường Xén", "Hữu Khuông", "Nậm Cắn", "Tri Lễ",
		"Châu Tiến", "Minh Hợp", "Đông Hiếu", "Tân Phú"}
	names := append([]string(nil), depts...)
	for i, c := range communes {
		kind := "Xã"
		if i%5 == 4 {
			kind = "Phường"
		}
		names = append(names, kind+" "+c)
	}
	results := []string{
		"Tổ chức %d hội nghị phổ biến Luật An ninh mạng và các văn bản hướng dẫn cho cán bộ, công chức, viên chức và người lao động.",
		"Phát %d chương trình trên hệ thống truyền thanh cơ sở về nhận diện các thủ đoạn lừa đảo trực tuyến, giả danh cơ quan nhà nước.",
		"Đăng tải %d tin, bài cảnh báo trên trang thông tin điện tử và các nhóm mạng xã hội của địa phương; phối hợp với công an xã hướng dẫn người dân cài đặt ứng dụng VNeID.",
		"Mở %d lớp tập huấn kỹ năng bảo đảm an toàn thông tin cho cán bộ phụ trách công nghệ thông tin và giáo viên các trường học trên địa bàn.",
	}
	limits := []string{
		"Kinh phí cho công tác tuyên truyền còn hạn chế; đội ngũ làm công tác an toàn thông tin chủ yếu kiêm nhiệm.",
		"Một bộ phận người dân, nhất là người cao tuổi, chưa chủ động tiếp cận thông tin cảnh báo.",
	}
	proposals := []string{
		"Đề nghị Sở Khoa học và Công nghệ tiếp tục cung cấp tài liệu tuyên truyền và tổ chức tập huấn chuyên sâu.",
		"Đề nghị bố trí kinh phí nâng cấp hệ thống truyền thanh cơ sở.",
	}
	statuses := []reports.Status{reports.StatusAccepted, reports.StatusSubmitted, reports.StatusAccepted, reports.StatusMissing,
		reports.StatusAccepted, reports.StatusDraft}
	for i, name := range names {
		id := int64(i + 1)
		st := statuses[i%len(statuses)]
		u := reportdoc.UnitRow{UnitID: id, Name: name, Code: fmt.Sprintf("NA%03d", id), Status: st, Late: i%7 == 3}
		if st != reports.StatusMissing {
			var text []string
			for k := 0; k <= i%3; k++ {
				text = append(text, fmt.Sprintf(results[(i+k)%len(results)], 2+(i*7+k)%11))
			}
			sub := &reports.Submission{UnitID: id, Status: st, Values: map[string]float64{}, Narratives: map[string]string{
				"results": strings.Join(text, " "), "limitations": limits[i%len(limits)]}}
			if i%2 == 0 {
				sub.Narratives["proposals"] = proposals[i%len(proposals)]
			}
			for k, f := range tpl.Fields {
				sub.Values[f.Code] = float64((i+1)*(k+2)%37) + float64(k%3)*0.5
			}
			in.Subs[id] = sub
			u.SubmittedDay = dates.New(2026, 11, 20+i%10)
		}
		in.Units = append(in.Units, u)
	}
	in.Plan = &reportdoc.PlanResults{Title: "Kế hoạch tuyên truyền, nâng cao nhận thức về an toàn thông tin giai đoạn 2026–2030", Year: 2026,
		AsOf: dates.New(2026, 12, 6), Rows: []reportdoc.IndicatorRow{
			{Code: "classes", Name: "Số lớp tập huấn kỹ năng an toàn thông tin", MeasureUnit: "lớp", Comparison: indicators.AtLeast, Target: 40, FromYear: 2026, ToYear: 2026, Value: 46, Defined: true, Status: indicators.Achieved},
			{Code: "trainees", Name: "Số lượt cán bộ, công chức được tập huấn", MeasureUnit: "lượt người", Comparison: indicators.AtLeast, Target: 5000, FromYear: 2026, ToYear: 2026, Value: 4210, Defined: true, Status: indicators.AtRisk},
			{Code: "communes", Name: "Tỷ lệ xã, phường tuyên truyền qua truyền thanh cơ sở", MeasureUnit: "%", Comparison: indicators.AtLeast, Target: 90, FromYear: 2026, ToYear: 2026, Value: 92.5, Defined: true, Status: indicators.Achieved},
			{Code: "news", Name: "Số tin, bài tuyên truyền trên các phương tiện thông tin đại chúng", MeasureUnit: "tin, bài", Comparison: indicators.AtLeast, Target: 1200, FromYear: 2026, ToYear: 2030, Value: 1350, Defined: true, Status: indicators.OnTrack},
			{Code: "incidents", Name: "Số vụ lừa đảo trực tuyến được ghi nhận", MeasureUnit: "vụ", Comparison: indicators.AtMost, Target: 50, FromYear: 2026, ToYear: 2026, Value: 63, Defined: true, Status: indicators.Missed},
			{Code: "seminars", Name: "Số hội thảo chuyên đề", MeasureUnit: "hội thảo", Comparison: indicators.Between, Target: 3, Max: 5, FromYear: 2026, ToYear: 2026, Value: 4, Defined: true, Status: indicators.Achieved},
			{Code: "experts", Name: "Số chuyên gia an toàn thông tin được đào tạo", MeasureUnit: "người", Comparison: indicators.AtLeast, Target: 20, FromYear: 2026, ToYear: 2026, Status: indicators.NoData},
		}}
	h := reportdoc.Header{ParentBody: "Ủy ban nhân dân tỉnh Nghệ An", IssuingBody: "Sở Khoa học và Công nghệ", IssuingName: "Sở Khoa học và Công nghệ",
		Symbol: "BC-SKHCN", Place: "Nghệ An", Receivers: []string{"Bộ Khoa học và Công nghệ", "Ủy ban nhân dân tỉnh Nghệ An"},
		Authority: []string{"KT. Giám đốc", "Phó Giám đốc"}, SignerName: "Nguyễn Văn An",
		Recipients: []string{"Cục An toàn thông tin (để b/c)", "Công an tỉnh", "Lưu: VT, CNTT."}}
	return in, h
}

// viT is the Vietnamese catalogue, for documents as users get them.
func viT(key string, args ...any) string { return i18n.VI.T(key, args...) }

// docxParagraphs is the text of every paragraph of a DOCX, in order.
func docxParagraphs(t *testing.T, b []byte) (paras []string, doc string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			doc = string(x)
		}
	}
	text := regexp.MustCompile(`<w:t(?: [^>]*)?>([^<]*)</w:t>`)
	for _, p := range strings.Split(doc, "<w:p>")[1:] {
		var sb strings.Builder
		for _, m := range text.FindAllStringSubmatch(p, -1) {
			sb.WriteString(html.UnescapeString(m[1]))
		}
		paras = append(paras, sb.String())
	}
	return paras, doc
}

// docxPages is the page count of provinceRound's DOCX, measured once with
// LibreOffice Writer 7.4.7 (Debian 12; fonts-liberation2 2.1.5 standing
// in for Times New Roman): `soffice --headless --convert-to pdf` then
// `pdfinfo`. The PDF matched it line for line (`pdftotext -layout`,
// diffed). Re-measure when the fixture or the layout changes:
// KHIENSO_LIBREOFFICE=1 go test -run ConsolidatedReport ./internal/officedoc/
// with LibreOffice installed.
const docxPages = 10

// TestConsolidatedReport builds a province's yearly report and reads both
// documents back: the plan's indicators, the signature block and
// recipients in the decree's order, the appendix after the signature on a
// page of its own, and as many PDF pages as the DOCX has.
func TestConsolidatedReport(t *testing.T) {
	in, h := provinceRound()
	d := reportdoc.Build(in).Document(h, dates.New(2026, 12, 6), viT)
	var docx, pdf bytes.Buffer
	if err := officedoc.WriteDOCX(&docx, d); err != nil {
		t.Fatal(err)
	}
	if err := officedoc.WritePDF(&pdf, d); err != nil {
		t.Fatal(err)
	}
	ref := "(Kèm theo Báo cáo số       /BC-SKHCN ngày 06 tháng 12 năm 2026 của Sở Khoa học và Công nghệ)"
	// In reading order; the appendix follows the signer's name.
	order := []string{
		"Kính gửi:- Bộ Khoa học và Công nghệ;", "- Ủy ban nhân dân tỉnh Nghệ An.",
		"I. TÌNH HÌNH BÁO CÁO", "II. SỐ LIỆU TỔNG HỢP", "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA KẾ HOẠCH",
		"Trong số 7 chỉ tiêu: 3 chỉ tiêu đạt, 1 chỉ tiêu đúng tiến độ, 1 chỉ tiêu có nguy cơ không đạt, 1 chỉ tiêu không đạt, 1 chỉ tiêu chưa có số liệu.",
		"Số lớp tập huấn kỹ năng an toàn thông tin", "≥ 40", "46", "Đạt",
		"Số tin, bài tuyên truyền trên các phương tiện thông tin đại chúng (Lũy kế 2026–2030)", "≥ 1.200", "1.350", "Đúng tiến độ",
		"Số vụ lừa đảo trực tuyến được ghi nhận", "≤ 50", "63", "Không đạt",
		"IV. KẾT QUẢ, TỒN TẠI VÀ ĐỀ XUẤT CỦA CÁC ĐƠN VỊ",
		"Nơi nhận:", "- Như trên;", "- Cục An toàn thông tin (để b/c);", "- Công an tỉnh;", "- Lưu: VT, CNTT.",
		"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An",
		"Phụ lục", "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ", ref, "Sở Khoa học và Công nghệ", "Đã tiếp nhận",
	}
	paras, doc := docxParagraphs(t, docx.Bytes())
	at := -1
	for _, w := range order {
		i := slices.Index(paras[at+1:], w)
		if i < 0 {
			t.Fatalf("DOCX: %q missing or out of order (after paragraph %d %q)", w, at, paras[max(at, 0)])
		}
		at += 1 + i
	}
	// A section ends between the signature and the appendix: the appendix
	// starts a page.
	sign, app := strings.Index(doc, ">Nguyễn Văn An<"), strings.Index(doc, ">Phụ lục<")
	if !strings.Contains(doc[sign:app], `<w:type w:val="nextPage"/>`) {
		t.Error("DOCX: no section break between the signature and the appendix")
	}

	t.Run("LibreOffice", func(t *testing.T) {
		if got := officedoc.LibreOfficePages(t, docx.Bytes()); got != docxPages {
			t.Errorf("LibreOffice lays the DOCX out on %d pages, the test records %d", got, docxPages)
		}
	})
	pages := officedoc.PDFPages(t, pdf.Bytes())
	if len(pages) != docxPages {
		t.Errorf("PDF has %d pages, the DOCX %d", len(pages), docxPages)
	}
	all := strings.Join(pages, " ")
	for _, w := range []string{"Kính gửi: - Bộ Khoa học và Công nghệ; - Ủy ban nhân dân tỉnh Nghệ An.",
		"Nơi nhận: - Như trên; - Cục An toàn thông tin (để b/c); - Công an tỉnh; - Lưu: VT, CNTT.",
		"KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Nguyễn Văn An", "1 Số lớp tập huấn kỹ năng an toàn thông tin lớp ≥ 40 46 Đạt"} {
		if !strings.Contains(all, w) {
			t.Errorf("PDF lacks %q", w)
		}
	}
	first := slices.IndexFunc(pages, func(p string) bool {
		return strings.HasPrefix(p, "Phụ lục TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ")
	})
	if first < 1 || !strings.Contains(pages[first-1], "Nguyễn Văn An") || strings.Contains(strings.Join(pages[:first], " "), "Phụ lục TÌNH HÌNH") {
		t.Errorf("PDF: the appendix should start the page after the signature (page %d)", first+1)
	}
	for i, p := range pages {
		for _, hd := range []string{"TÌNH HÌNH BÁO CÁO", "SỐ LIỆU TỔNG HỢP", "CHỈ TIÊU CỦA KẾ HOẠCH", "CỦA CÁC ĐƠN VỊ", "Kết quả thực hiện",
			"Tồn tại, hạn chế", "Đề xuất, kiến nghị"} {
			if strings.HasSuffix(p, hd) {
				t.Errorf("PDF page %d ends with the heading %q", i+1, hd)
			}
		}
	}
	if strings.HasPrefix(pages[first-1], strconv.Itoa(first)+" Nơi nhận:") {
		t.Error("PDF: the signature is alone on its page, without the report's last lines")
	}
}
