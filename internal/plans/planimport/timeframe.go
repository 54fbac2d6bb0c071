package planimport

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"khienso/internal/dates"
	"khienso/internal/textnorm"
)

// Timeframe kinds.
const (
	KindContinuous = "continuous" // "Thường xuyên"
	KindYearly     = "yearly"     // "Hàng năm" (FromYear/ToYear set when a period is named)
	KindRange      = "range"      // "2022-2025", "Năm 2023" (FromYear == ToYear); ToYear 0 = open ("Từ năm 2023")
	KindDue        = "due"        // "Trước 31/12/2023", "Quý IV/2023": Due is the last day allowed
)

// Timeframe is the meaning of a "Thời gian thực hiện" cell.
type Timeframe struct {
	Kind     string     `json:"kind"`
	FromYear int        `json:"from_year,omitempty"`
	ToYear   int        `json:"to_year,omitempty"`
	Due      dates.Date `json:"due,omitzero"`
}

const yearPat = `((?:19|20|21)\d\d)`

var (
	tfContinuous = regexp.MustCompile(`^(thuong xuyen|lien tuc|hang ngay)(,? (va )?(lien tuc|thuong xuyen|hang ngay))?$`)
	tfYearly     = regexp.MustCompile(`^(dinh ky )?(hang|moi) nam(,? (giai doan |tu nam |tu |trong giai doan )?` + yearPat + ` ?(?:-|den|den nam) ?` + yearPat + `)?$`)
	tfRange      = regexp.MustCompile(`^(giai doan |trong giai doan |tu nam |tu |nam |cac nam |trong cac nam )?` + yearPat + ` ?(?:-|den|den nam) ?(nam )?` + yearPat + `$`)
	tfYear       = regexp.MustCompile(`^(nam |trong nam |trong )?` + yearPat + `$`)
	tfFrom       = regexp.MustCompile(`^tu (nam )?` + yearPat + `( tro di| va cac nam tiep theo)?$`)
	tfDate       = regexp.MustCompile(`^(truoc|truoc ngay|den|den ngay|han|han chot|cham nhat|cham nhat ngay|hoan thanh truoc|hoan thanh truoc ngay|hoan thanh trong|trong ngay)? ?(\d{1,2}[/.-]\d{1,2}[/.-]\d{4})$`)
	tfMonth      = regexp.MustCompile(`^(truoc |trong |den |hoan thanh truoc |hoan thanh trong )?thang (\d{1,2})(?:/| nam |/nam )` + yearPat + `$`)
	tfQuarter    = regexp.MustCompile(`^(truoc |trong |den |hoan thanh truoc |hoan thanh trong )?quy (iv|iii|ii|i|1|2|3|4)(?:/| nam |/nam )` + yearPat + `$`)
	tfByYear     = regexp.MustCompile(`^(truoc|den|hoan thanh truoc|hoan thanh trong) nam ` + yearPat + `$`)
	dashes       = strings.NewReplacer("–", "-", "—", "-", "‒", "-", "−", "-")
)

// ParseTimeframe reads a timeframe cell as written in plans: "Thường
// xuyên", "Hàng năm", "2022-2025", "2022 - 2025", "Năm 2023",
// "Trước 31/12/2023", "Quý IV/2023", "Tháng 6/2023"… It matches the whole
// cell (a parenthesised remark is ignored) so that a content paragraph
// merely mentioning a year is never taken for a timeframe.
func ParseTimeframe(s string) (Timeframe, bool) {
	if len(s) > 160 { // far longer than any timeframe, even with a remark
		return Timeframe{}, false
	}
	f := timeframeKey(s)
	if f == "" {
		return Timeframe{}, false
	}
	if tfContinuous.MatchString(f) {
		return Timeframe{Kind: KindContinuous}, true
	}
	if m := tfYearly.FindStringSubmatch(f); m != nil {
		tf := Timeframe{Kind: KindYearly}
		if m[5] != "" {
			from, to := atoi(m[5]), atoi(m[6])
			if from > to {
				return Timeframe{}, false
			}
			tf.FromYear, tf.ToYear = from, to
		}
		return tf, true
	}
	if m := tfRange.FindStringSubmatch(f); m != nil {
		from, to := atoi(m[2]), atoi(m[4])
		if from > to {
			return Timeframe{}, false
		}
		return Timeframe{Kind: KindRange, FromYear: from, ToYear: to}, true
	}
	if m := tfYear.FindStringSubmatch(f); m != nil {
		y := atoi(m[2])
		return Timeframe{Kind: KindRange, FromYear: y, ToYear: y}, true
	}
	if m := tfFrom.FindStringSubmatch(f); m != nil {
		return Timeframe{Kind: KindRange, FromYear: atoi(m[2])}, true
	}
	if m := tfDate.FindStringSubmatch(f); m != nil {
		d, err := dates.Parse(m[2])
		if err != nil {
			return Timeframe{}, false
		}
		return due(d), true
	}
	if m := tfMonth.FindStringSubmatch(f); m != nil {
		month, y := atoi(m[2]), atoi(m[3])
		if month < 1 || month > 12 {
			return Timeframe{}, false
		}
		return due(periodEnd(strings.TrimSpace(m[1]), y, month, 1)), true
	}
	if m := tfQuarter.FindStringSubmatch(f); m != nil {
		q := map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}[m[2]]
		return due(periodEnd(strings.TrimSpace(m[1]), atoi(m[3]), 3*q-2, 3)), true
	}
	if m := tfByYear.FindStringSubmatch(f); m != nil {
		y := atoi(m[2])
		if m[1] == "truoc" {
			y-- // "trước năm 2024": the work must be done within 2023
		}
		return due(dates.New(y, time.December, 31)), true
	}
	return Timeframe{}, false
}

func due(d dates.Date) Timeframe { return Timeframe{Kind: KindDue, ToYear: d.Year(), Due: d} }

// periodEnd is the last allowed day for a period of n months starting at
// month m of year y: its last day, or the day before it starts when the
// cell says "trước" (before).
func periodEnd(prefix string, y, m, n int) dates.Date {
	start := dates.New(y, time.Month(m), 1)
	if prefix == "truoc" {
		return start.AddDays(-1)
	}
	return dates.New(y, time.Month(m+n), 1).AddDays(-1)
}

// timeframeKey folds a cell for the patterns above: no diacritics, no
// remarks in parentheses, one kind of dash, no trailing punctuation.
func timeframeKey(s string) string {
	s = dashes.Replace(dropRemarks(s))
	f := textnorm.Fold(s)
	f = strings.Trim(f, " .;,:")
	f = strings.ReplaceAll(f, " - ", "-")
	f = strings.ReplaceAll(f, " / ", "/")
	return f
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
