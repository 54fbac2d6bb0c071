package planimport

import (
	"testing"

	"khienso/internal/dates"
)

func TestParseTimeframe(t *testing.T) {
	d := dates.MustParse
	cases := []struct {
		in   string
		want Timeframe
		ok   bool
	}{
		{"Thường xuyên", Timeframe{Kind: KindContinuous}, true},
		{"THƯỜNG XUYÊN.", Timeframe{Kind: KindContinuous}, true},
		{"Thường xuyên, liên tục", Timeframe{Kind: KindContinuous}, true},
		{"Hàng năm", Timeframe{Kind: KindYearly}, true},
		{"Hằng năm", Timeframe{Kind: KindYearly}, true},
		{"Định kỳ hằng năm", Timeframe{Kind: KindYearly}, true},
		{"Hàng năm (trước ngày 05/12)", Timeframe{Kind: KindYearly}, true},
		{"Hàng năm, giai đoạn 2022-2025", Timeframe{Kind: KindYearly, FromYear: 2022, ToYear: 2025}, true},
		{"2022-2025", Timeframe{Kind: KindRange, FromYear: 2022, ToYear: 2025}, true},
		{"2022 - 2025", Timeframe{Kind: KindRange, FromYear: 2022, ToYear: 2025}, true},
		{"2022 – 2025", Timeframe{Kind: KindRange, FromYear: 2022, ToYear: 2025}, true},
		{"Giai đoạn 2022 - 2025", Timeframe{Kind: KindRange, FromYear: 2022, ToYear: 2025}, true},
		{"Từ năm 2022 đến năm 2025", Timeframe{Kind: KindRange, FromYear: 2022, ToYear: 2025}, true},
		{"Năm 2023", Timeframe{Kind: KindRange, FromYear: 2023, ToYear: 2023}, true},
		{"2023", Timeframe{Kind: KindRange, FromYear: 2023, ToYear: 2023}, true},
		{"Từ năm 2023", Timeframe{Kind: KindRange, FromYear: 2023}, true},
		{"Trước 31/12/2023", Timeframe{Kind: KindDue, ToYear: 2023, Due: d("31/12/2023")}, true},
		{"Trước ngày 30/6/2024", Timeframe{Kind: KindDue, ToYear: 2024, Due: d("30/06/2024")}, true},
		{"15/03/2023", Timeframe{Kind: KindDue, ToYear: 2023, Due: d("15/03/2023")}, true},
		{"Quý IV/2023", Timeframe{Kind: KindDue, ToYear: 2023, Due: d("31/12/2023")}, true},
		{"Quý I năm 2024", Timeframe{Kind: KindDue, ToYear: 2024, Due: d("31/03/2024")}, true},
		{"Quý 2/2024", Timeframe{Kind: KindDue, ToYear: 2024, Due: d("30/06/2024")}, true},
		{"Trước quý III/2024", Timeframe{Kind: KindDue, ToYear: 2024, Due: d("30/06/2024")}, true},
		{"Tháng 2/2024", Timeframe{Kind: KindDue, ToYear: 2024, Due: d("29/02/2024")}, true},
		{"Trước tháng 6/2023", Timeframe{Kind: KindDue, ToYear: 2023, Due: d("31/05/2023")}, true},
		{"Trước năm 2024", Timeframe{Kind: KindDue, ToYear: 2023, Due: d("31/12/2023")}, true},
		{"Đến năm 2025", Timeframe{Kind: KindDue, ToYear: 2025, Due: d("31/12/2025")}, true},
		// From the seeds (774/KH-UBND): yearly, with a remark or "or when needed".
		{"Định kỳ hàng năm (trước ngày 05/12)", Timeframe{Kind: KindYearly}, true},
		{"Định kỳ hàng năm hoặc đột xuất", Timeframe{Kind: KindYearly}, true},
		{"Thường xuyên và đột xuất", Timeframe{Kind: KindContinuous}, true},
		// A deadline in every year.
		{"Tháng 12 hằng năm", Timeframe{Kind: KindYearly, DueMonth: 12, DueDay: 31}, true},
		{"Tháng 6 hàng năm", Timeframe{Kind: KindYearly, DueMonth: 6, DueDay: 30}, true},
		{"Trong tháng 2 hằng năm", Timeframe{Kind: KindYearly, DueMonth: 2, DueDay: 29}, true},
		{"Trước tháng 3 hằng năm", Timeframe{Kind: KindYearly, DueMonth: 2, DueDay: 29}, true},
		{"Hằng năm, vào tháng 10", Timeframe{Kind: KindYearly, DueMonth: 10, DueDay: 31}, true},
		{"Quý IV hằng năm", Timeframe{Kind: KindYearly, DueMonth: 12, DueDay: 31}, true},
		{"Quý 1 hàng năm", Timeframe{Kind: KindYearly, DueMonth: 3, DueDay: 31}, true},
		{"Trước quý III hằng năm", Timeframe{Kind: KindYearly, DueMonth: 6, DueDay: 30}, true},
		{"Trước 15/12", Timeframe{Kind: KindYearly, DueMonth: 12, DueDay: 15}, true},
		{"Trước ngày 05/12 hằng năm", Timeframe{Kind: KindYearly, DueMonth: 12, DueDay: 5}, true},
		{"Hằng năm, trước ngày 15/12", Timeframe{Kind: KindYearly, DueMonth: 12, DueDay: 15}, true},
		{"Định kỳ hằng năm trước ngày 30/6", Timeframe{Kind: KindYearly, DueMonth: 6, DueDay: 30}, true},
		{"Chậm nhất ngày 29/02", Timeframe{Kind: KindYearly, DueMonth: 2, DueDay: 29}, true},
		// Periods shorter than a year.
		{"Hằng quý", Timeframe{Kind: KindContinuous, Every: EveryQuarter}, true},
		{"Hàng quý", Timeframe{Kind: KindContinuous, Every: EveryQuarter}, true},
		{"Định kỳ hằng quý", Timeframe{Kind: KindContinuous, Every: EveryQuarter}, true},
		{"Hằng tháng", Timeframe{Kind: KindContinuous, Every: EveryMonth}, true},
		{"Hàng tuần", Timeframe{Kind: KindContinuous, Every: EveryWeek}, true},
		{"Định kỳ 6 tháng", Timeframe{Kind: KindContinuous, Every: EveryHalfYear}, true},
		{"6 tháng/lần", Timeframe{Kind: KindContinuous, Every: EveryHalfYear}, true},
		{"Sáu tháng một lần", Timeframe{Kind: KindContinuous, Every: EveryHalfYear}, true},
		{"Hằng quý hoặc đột xuất", Timeframe{Kind: KindContinuous, Every: EveryQuarter}, true},
		// Not timeframes: must never end a row by mistake.
		{"Trước 31/02", Timeframe{}, false},
		{"Tháng 13 hằng năm", Timeframe{}, false},
		{"Quý V hằng năm", Timeframe{}, false},
		{"1.2", Timeframe{}, false},
		{"1.1.", Timeframe{}, false},
		{"Hằng quý báo cáo kết quả về Sở", Timeframe{}, false},
		{"6 tháng đầu năm tổ chức tập huấn", Timeframe{}, false},
		{"", Timeframe{}, false},
		{"   ", Timeframe{}, false},
		{"2025-2022", Timeframe{}, false},
		{"Trước 31/02/2023", Timeframe{}, false},
		{"Tháng 13/2023", Timeframe{}, false},
		{"Năm 2023 tổ chức diễn tập ứng cứu sự cố", Timeframe{}, false},
		{"Sở Thông tin và Truyền thông", Timeframe{}, false},
		{"Thường xuyên rà soát các hệ thống thông tin", Timeframe{}, false},
		{"1", Timeframe{}, false},
		{"I.", Timeframe{}, false},
		{"541659", Timeframe{}, false},
		{"1800-1900", Timeframe{}, false},
	}
	for _, c := range cases {
		got, ok := ParseTimeframe(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseTimeframe(%q) = %+v, %v; want %+v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// A yearly deadline falls on its day in any year, 29/02 on 28/02 in a
// common year; other timeframes have none.
func TestTimeframeDueIn(t *testing.T) {
	d := dates.MustParse
	cases := []struct {
		tf   Timeframe
		year int
		want dates.Date
	}{
		{Timeframe{Kind: KindYearly, DueMonth: 12, DueDay: 31}, 2026, d("31/12/2026")},
		{Timeframe{Kind: KindYearly, DueMonth: 2, DueDay: 29}, 2028, d("29/02/2028")},
		{Timeframe{Kind: KindYearly, DueMonth: 2, DueDay: 29}, 2027, d("28/02/2027")},
		{Timeframe{Kind: KindYearly}, 2026, dates.Date{}},
		{Timeframe{Kind: KindContinuous, Every: EveryQuarter}, 2026, dates.Date{}},
	}
	for _, c := range cases {
		if got := c.tf.DueIn(c.year); got != c.want {
			t.Errorf("%+v.DueIn(%d) = %v, want %v", c.tf, c.year, got, c.want)
		}
	}
}
