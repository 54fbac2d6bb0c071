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
	// DueMonth and DueDay are a yearly task's deadline within each year
	// ("Tháng 12 hằng năm": 31/12; "Trước ngày 15/12": 15/12), 0 when the
	// cell names none.
	DueMonth int `json:"due_month,omitempty"`
	DueDay   int `json:"due_day,omitempty"`
	// Every is how often a task repeats within a year ("Hằng quý":
	// EveryQuarter); such a task is continuous for the task table, which
	// has no shorter period, and the import notes it.
	Every string `json:"every,omitempty"`
}

// Periods of a task repeated within a year.
const (
	EveryWeek     = "week"
	EveryMonth    = "month"
	EveryQuarter  = "quarter"
	EveryHalfYear = "half_year"
)

const yearPat = `((?:19|20|21)\d\d)`

var (
	tfContinuous = regexp.MustCompile(`^(thuong xuyen|lien tuc|hang ngay)(,? (va )?(lien tuc|thuong xuyen|hang ngay))?(,? (va |hoac )?(dot xuat|khi co yeu cau))?$`)
	tfYearly     = regexp.MustCompile(`^(dinh ky )?(hang|moi) nam(,? (giai doan |tu nam |tu |trong giai doan )?` + yearPat + ` ?(?:-|den|den nam) ?` + yearPat + `)?(,? (va |hoac )?(dot xuat|khi co yeu cau))?$`)
	tfRange      = regexp.MustCompile(`^(giai doan |trong giai doan |tu nam |tu |nam |cac nam |trong cac nam )?` + yearPat + ` ?(?:-|den|den nam) ?(nam )?` + yearPat + `$`)
	tfYear       = regexp.MustCompile(`^(nam |trong nam |trong )?` + yearPat + `$`)
	tfFrom       = regexp.MustCompile(`^tu (nam )?` + yearPat + `( tro di| va cac nam tiep theo)?$`)
	tfDate       = regexp.MustCompile(`^(truoc|truoc ngay|den|den ngay|han|han chot|cham nhat|cham nhat ngay|hoan thanh truoc|hoan thanh truoc ngay|hoan thanh trong|trong ngay)? ?(\d{1,2}[/.-]\d{1,2}[/.-]\d{4})$`)
	tfMonth      = regexp.MustCompile(`^(truoc |trong |den |hoan thanh truoc |hoan thanh trong )?thang (\d{1,2})(?:/| nam |/nam )` + yearPat + `$`)
	tfQuarter    = regexp.MustCompile(`^(truoc |trong |den |hoan thanh truoc |hoan thanh trong )?quy (iv|iii|ii|i|1|2|3|4)(?:/| nam |/nam )` + yearPat + `$`)
	tfByYear     = regexp.MustCompile(`^(truoc|den|hoan thanh truoc|hoan thanh trong) nam ` + yearPat + `$`)
	// Yearly deadlines: a month, a quarter or a day of every year, the
	// "every year" before ("Hằng năm, trước ngày 15/12") or after it
	// ("Tháng 12 hằng năm"), or left out ("Trước 15/12").
	tfEachYearHead  = `^(?:(?:dinh ky )?(?:hang|moi) nam,? (?:vao )?)?`
	tfEachYearTail  = `(?:,? (?:hang|moi) nam)?$`
	tfPeriodPrefix  = `(truoc |trong |vao |den |hoan thanh truoc |hoan thanh trong )?`
	tfMonthEachYear = regexp.MustCompile(tfEachYearHead + tfPeriodPrefix + `thang (\d{1,2})` + tfEachYearTail)
	tfQuarterYearly = regexp.MustCompile(tfEachYearHead + tfPeriodPrefix + `quy (iv|iii|ii|i|1|2|3|4)` + tfEachYearTail)
	tfDayEachYear   = regexp.MustCompile(tfEachYearHead + `(truoc|truoc ngay|den|den ngay|han|han chot|cham nhat|cham nhat ngay|hoan thanh truoc|hoan thanh truoc ngay|trong ngay|vao ngay|ngay)? ?(\d{1,2})/(\d{1,2})` + tfEachYearTail)
	// Periods shorter than a year: "Hằng quý", "Định kỳ 6 tháng", "6 tháng/lần".
	tfEvery = regexp.MustCompile(`^(?:dinh ky |thuc hien )?(?:(?:hang|moi|dinh ky) (tuan|thang|quy)|(?:hang |moi |dinh ky )?(6|sau) thang(?: ?(?:/|mot|1) ?(?:1 )?lan)?)(?:,? (?:va |hoac )?(?:dot xuat|khi co yeu cau))?$`)
	dashes  = strings.NewReplacer("–", "-", "—", "-", "‒", "-", "−", "-")
)

// ParseTimeframe reads a timeframe cell as written in plans: "Thường
// xuyên", "Hàng năm", "2022-2025", "2022 - 2025", "Năm 2023",
// "Trước 31/12/2023", "Quý IV/2023", "Tháng 6/2023", deadlines in every
// year ("Tháng 12 hằng năm", "Quý IV hằng năm", "Trước 15/12") and
// periods shorter than a year ("Hằng quý", "Định kỳ 6 tháng")… It matches the whole
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
	return recurring(f)
}

// recurring reads the timeframes that repeat without naming a year: a
// deadline in every year, or a period shorter than a year.
func recurring(f string) (Timeframe, bool) {
	if m := tfMonthEachYear.FindStringSubmatch(f); m != nil {
		month := atoi(m[2])
		if month < 1 || month > 12 {
			return Timeframe{}, false
		}
		return eachYear(periodEnd(strings.TrimSpace(m[1]), eachYearRef, month, 1)), true
	}
	if m := tfQuarterYearly.FindStringSubmatch(f); m != nil {
		q := map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}[m[2]]
		return eachYear(periodEnd(strings.TrimSpace(m[1]), eachYearRef, 3*q-2, 3)), true
	}
	if m := tfDayEachYear.FindStringSubmatch(f); m != nil {
		day, month := atoi(m[2]), atoi(m[3])
		if month < 1 || month > 12 || day < 1 || day > dates.New(eachYearRef, time.Month(month+1), 0).Start().Day() {
			return Timeframe{}, false
		}
		return eachYear(dates.New(eachYearRef, time.Month(month), day)), true
	}
	if m := tfEvery.FindStringSubmatch(f); m != nil {
		every := map[string]string{"tuan": EveryWeek, "thang": EveryMonth, "quy": EveryQuarter}[m[1]]
		if m[2] != "" {
			every = EveryHalfYear
		}
		return Timeframe{Kind: KindContinuous, Every: every}, true
	}
	return Timeframe{}, false
}

// eachYearRef is the year a yearly deadline is worked out in: a leap year,
// so that 29/02 is a day, and "trước tháng 3" ends on the last day of
// February whatever the year.
const eachYearRef = 2024

// eachYear is a yearly timeframe whose deadline, in every year, is d's day
// and month. "Trước tháng 1 hằng năm" ends the year before: 31/12.
func eachYear(d dates.Date) Timeframe {
	t := d.Start()
	return Timeframe{Kind: KindYearly, DueMonth: int(t.Month()), DueDay: t.Day()}
}

// DueIn is the deadline of a yearly timeframe in year y, or zero when the
// timeframe names none. 29/02 falls on 28/02 in other years.
func (tf Timeframe) DueIn(y int) dates.Date {
	if tf.Kind != KindYearly || tf.DueMonth == 0 {
		return dates.Date{}
	}
	last := dates.New(y, time.Month(tf.DueMonth+1), 0).Start().Day()
	return dates.New(y, time.Month(tf.DueMonth), min(tf.DueDay, last))
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
