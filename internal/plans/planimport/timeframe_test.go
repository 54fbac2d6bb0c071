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
		// Not timeframes: must never end a row by mistake.
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
