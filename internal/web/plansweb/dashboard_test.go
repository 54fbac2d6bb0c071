package plansweb_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"khienso/internal/web/webtest"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"khienso/internal/activities"
	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/store"
	"khienso/internal/units"
)

// dashTestPlan is a province plan for 2022–2024 (all past, so statuses do
// not depend on the day the tests run) with activities entered:
//
//	2022: 40-SKHCN training_class ×1, 50 people
//	2023: X1 training_class ×2, 40 people; X1-THCS training_class ×1, 30 people;
//	      Y1 seminar ×1, 10 people
type dashTestPlan struct {
	plan *plans.Plan
	ind  map[string]int64 // by code
}

func dashSetup(t *testing.T, f *webtest.Fixture) *dashTestPlan {
	t.Helper()
	ctx := context.Background()
	st := f.Store
	for _, a := range []struct {
		unit, typ, day string
		qty, people    int64
	}{
		{"40-SKHCN", "training_class", "2022-04-01", 1, 50},
		{"X1", "training_class", "2023-03-01", 2, 40},
		{"X1-THCS", "training_class", "2023-05-01", 1, 30},
		{"Y1", "seminar", "2023-06-01", 1, 10},
	} {
		act := &activities.Activity{UnitID: f.Units[a.unit], Type: activities.Type(a.typ), Channel: "in_person",
			Title: a.typ + " " + a.day, Start: dates.MustParse(a.day), Audiences: activities.SetOf("citizens"),
			Quantity: a.qty, Participants: a.people}
		if err := st.CreateActivity(ctx, audit.System, act); err != nil {
			t.Fatalf("activity %s %s: %v", a.unit, a.day, err)
		}
	}
	p := &plans.Plan{UnitID: f.Units["40"], Title: "Kế hoạch tuyên truyền ATTT 2022–2024", Number: "12/KH-UBND",
		IssuedOn: dates.MustParse("2022-01-15"), YearFrom: 2022, YearTo: 2024, Status: plans.StatusInEffect}
	inds := []plans.Indicator{
		{Code: "classes", Name: "Số lớp tập huấn", MeasureUnit: "lớp", Formula: "count(type=training_class)",
			Comparison: "at_least", Value: 3, Period: plans.PeriodYearly},
		{Code: "trainees", Name: "Số lượt người được tập huấn", MeasureUnit: "lượt người", Formula: "sum(participants, type=training_class)",
			Comparison: "at_least", Value: 100, Period: plans.PeriodCumulative},
		{Code: "communes", Name: "Tỷ lệ xã tổ chức tập huấn", MeasureUnit: "%",
			Formula:    "100 * units(unit_type=commune, has=training_class) / units(unit_type=commune)",
			Comparison: "at_least", Value: 100, Period: plans.PeriodYearly},
		{Code: "seminars", Name: "Số hội thảo", MeasureUnit: "cuộc", Formula: "count(type=seminar)",
			Comparison: "between", Value: 3, Max: 5, Period: plans.PeriodYearly},
	}
	if err := st.CreatePlan(ctx, audit.System, p, inds); err != nil {
		t.Fatalf("create plan: %v", err)
	}
	// A formula that no longer parses (stored before a vocabulary change):
	// saved without the check, as an old database would hold it.
	broken := &plans.Indicator{PlanID: p.ID, Code: "broken", Name: "Chỉ tiêu lỗi", Formula: "count(type=training_class",
		Comparison: "at_least", Value: 1, Period: plans.PeriodYearly}
	if err := st.SaveIndicator(ctx, audit.System, broken); err != nil {
		t.Fatalf("save broken indicator: %v", err)
	}
	out := &dashTestPlan{plan: p, ind: map[string]int64{"broken": broken.ID}}
	list, err := st.Indicators(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range list {
		out.ind[i.Code] = i.ID
	}
	return out
}

// dashCell is the text of the element with id in a page, tags stripped.
func dashCell(t *testing.T, body, id string) string {
	t.Helper()
	end := `</(td|span|dd|p)>`
	if strings.HasPrefix(id, "bd-row-") || id == "bd-own" {
		end = `</tr>`
	}
	re := regexp.MustCompile(`(?s)id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)` + end)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("page has no element %q", id)
	}
	text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], " ")
	return strings.Join(strings.Fields(text), " ")
}

func TestDashboardValuesAndStatuses(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		tp := dashSetup(t, f)
		c := f.Login("coord@t.vn")
		base := fmt.Sprintf("/plans/%d/dashboard", tp.plan.ID)

		// 2023 for the whole province (the default unit of a coordinator).
		status, body := c.Get(base + "?year=2023")
		if status != http.StatusOK {
			t.Fatalf("GET dashboard: %d\n%s", status, body)
		}
		for _, tc := range []struct{ id, want string }{
			{"dash-value-classes", "3 lớp"},
			{"dash-status-classes", "Đạt"},
			{"dash-target-classes", "≥ 3 lớp Tối thiểu"},
			{"dash-expected-classes", "3 lớp"},
			{"dash-value-trainees", "120 lượt người"}, // 2022–2023: 50 + 40 + 30
			{"dash-status-trainees", "Đạt"},
			{"dash-value-communes", "50 %"}, // X1 trained, Y1 only held a seminar
			{"dash-status-communes", "Không đạt"},
			{"dash-target-communes", "≥ 100 % Tối thiểu"},
			{"dash-value-seminars", "1 cuộc"},
			{"dash-target-seminars", "3–5 cuộc Trong khoảng"},
			{"dash-status-seminars", "Không đạt"},
			{"dash-status-broken", "Chưa có số liệu"},
		} {
			if got := dashCell(t, body, tc.id); got != tc.want {
				t.Errorf("%s = %q, want %q", tc.id, got, tc.want)
			}
		}
		if !strings.Contains(body, `id="dash-error-broken"`) || !strings.Contains(body, "công thức bị lỗi") {
			t.Error("the broken indicator's formula error should be shown")
		}
		for _, want := range []string{"Cộng dồn 2022–2023", "Năm 2023", `class="dash-badge dash-achieved"`, `class="dash-badge dash-missed"`,
			fmt.Sprintf(`href="/plans/%d/indicators/%d/breakdown?unit=%d&amp;year=2023"`, tp.plan.ID, tp.ind["classes"], f.Units["40"]),
			"<title>Kết quả qua các năm: Số lớp tập huấn</title>", `<option value="2023" selected>`,
			fmt.Sprintf(`href="/plans/%d/dashboard.xlsx?unit=%d&amp;year=2023"`, tp.plan.ID, f.Units["40"])} {
			if !strings.Contains(body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		// The chart's hidden table: classes were 1, 3, 0 over 2022–2024.
		chart := regexp.MustCompile(`(?s)<caption>Kết quả qua các năm: Số lớp tập huấn</caption>(.*?)</table>`).FindStringSubmatch(body)
		if chart == nil {
			t.Fatal("no table of the chart's numbers")
		}
		cells := regexp.MustCompile(`<t[hd][^>]*>([^<]*)</t[hd]>`).FindAllStringSubmatch(chart[1], -1)
		var got []string
		for _, m := range cells {
			got = append(got, m[1])
		}
		if strings.Join(got, " ") != "2022 1 2023 3 2024 0" {
			t.Errorf("chart numbers = %v", got)
		}

		// 2022: one class only.
		_, body = c.Get(base + "?year=2022")
		if got := dashCell(t, body, "dash-value-classes"); got != "1 lớp" {
			t.Errorf("2022 classes = %q", got)
		}
		if got := dashCell(t, body, "dash-status-classes"); got != "Không đạt" {
			t.Errorf("2022 classes status = %q", got)
		}
		if got := dashCell(t, body, "dash-value-trainees"); got != "50 lượt người" {
			t.Errorf("2022 trainees = %q", got)
		}

		// Commune X1's subtree in 2023: its own two classes and its school's.
		_, body = c.Get(fmt.Sprintf("%s?year=2023&unit=%d", base, f.Units["X1"]))
		if got := dashCell(t, body, "dash-value-classes"); got != "3 lớp" {
			t.Errorf("X1 classes = %q", got)
		}
		if got := dashCell(t, body, "dash-value-trainees"); got != "70 lượt người" {
			t.Errorf("X1 trainees = %q", got)
		}
		if !strings.Contains(body, fmt.Sprintf(`id="crumb-%d"`, f.Units["40"])) || !strings.Contains(body, `>Ủy ban nhân dân tỉnh Nghệ An</a>`) {
			t.Error("the breadcrumb should link up to the province")
		}

		// English labels.
		req, _ := http.NewRequest("GET", f.Server.URL+base+"?year=2023", nil)
		req.AddCookie(&http.Cookie{Name: "ks_lang", Value: "en"})
		resp, err := c.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := dashCell(t, string(b), "dash-status-communes"); got != "Missed" {
			t.Errorf("English status = %q", got)
		}

		// Bad parameters.
		for _, tc := range []struct {
			path string
			want int
		}{
			{base + "?year=2030", http.StatusBadRequest},
			{base + "?year=abc", http.StatusBadRequest},
			{base + "?unit=-1", http.StatusBadRequest},
			{base + "?unit=999999", http.StatusNotFound},
			{"/plans/999999/dashboard", http.StatusNotFound},
			{"/plans/abc/dashboard", http.StatusNotFound},
			{fmt.Sprintf("/plans/%d/indicators/999999/breakdown", tp.plan.ID), http.StatusNotFound},
		} {
			if status, _ := c.Get(tc.path); status != tc.want {
				t.Errorf("GET %s: %d, want %d", tc.path, status, tc.want)
			}
		}
	})
}

func TestDashboardBreakdownDrillDown(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		tp := dashSetup(t, f)
		c := f.Login("coord@t.vn")
		x1, school, y1, prov := f.Units["X1"], f.Units["X1-THCS"], f.Units["Y1"], f.Units["40"]
		bd := fmt.Sprintf("/plans/%d/indicators/%d/breakdown", tp.plan.ID, tp.ind["classes"])

		status, body := c.Get(bd + "?year=2023")
		if status != http.StatusOK {
			t.Fatalf("GET breakdown: %d\n%s", status, body)
		}
		// X1 (3 classes) comes first; the province's own records row last.
		rows := regexp.MustCompile(`id="bd-row-(\d+)"`).FindAllStringSubmatch(body, -1)
		if len(rows) != 4 || rows[0][1] != fmt.Sprint(x1) {
			t.Fatalf("rows = %v, want 4 with X1 first", rows)
		}
		if got := dashCell(t, body, fmt.Sprintf("bd-row-%d", x1)); got != "Xã Nghi Phong (1 đơn vị trực thuộc) 3 lớp 100 %" {
			t.Errorf("X1 row = %q", got)
		}
		if got := dashCell(t, body, fmt.Sprintf("bd-row-%d", y1)); got != "Phường Vinh Phú 0 lớp 0 %" {
			t.Errorf("Y1 row = %q", got)
		}
		if got := dashCell(t, body, "bd-own"); got != "Ủy ban nhân dân tỉnh Nghệ An (số liệu của chính đơn vị) 0 lớp 0 %" {
			t.Errorf("own row = %q", got)
		}
		if got := dashCell(t, body, "bd-total"); got != "3 lớp" {
			t.Errorf("total = %q", got)
		}
		drill := fmt.Sprintf(`id="bd-drill-%d"`, x1)
		if !strings.Contains(body, fmt.Sprintf(`href="%s?unit=%d&amp;year=2023" %s`, bd, x1, drill)) {
			t.Errorf("X1 should have a drill-down link")
		}
		if strings.Contains(body, fmt.Sprintf(`id="bd-drill-%d"`, y1)) {
			t.Error("Y1 has no children: no drill-down link")
		}

		// Into X1: its school (1 class) and its own records (2).
		status, body = c.Get(fmt.Sprintf("%s?year=2023&unit=%d", bd, x1))
		if status != http.StatusOK {
			t.Fatalf("drill into X1: %d", status)
		}
		if got := dashCell(t, body, fmt.Sprintf("bd-row-%d", school)); got != "Trường THCS Nghi Phong 1 lớp 33,33 %" {
			t.Errorf("school row = %q", got)
		}
		if got := dashCell(t, body, "bd-own"); got != "Xã Nghi Phong (số liệu của chính đơn vị) 2 lớp 66,67 %" {
			t.Errorf("X1 own row = %q", got)
		}
		if !strings.Contains(body, fmt.Sprintf(`href="?unit=%d&amp;year=2023" id="crumb-%d"`, prov, prov)) {
			t.Error("the breadcrumb should lead back to the province")
		}
		// Into the school: a leaf.
		_, body = c.Get(fmt.Sprintf("%s?year=2023&unit=%d", bd, school))
		if !strings.Contains(body, `id="bd-no-children"`) || dashCell(t, body, "bd-total") != "1 lớp" {
			t.Error("the school's breakdown should have no children and a total of 1")
		}

		// A ratio has no shares.
		_, body = c.Get(fmt.Sprintf("/plans/%d/indicators/%d/breakdown?year=2023", tp.plan.ID, tp.ind["communes"]))
		if got := dashCell(t, body, fmt.Sprintf("bd-row-%d", x1)); got != "Xã Nghi Phong (1 đơn vị trực thuộc) 100 % —" {
			t.Errorf("ratio X1 row = %q", got)
		}
		// A broken formula shows its error rather than failing.
		status, body = c.Get(fmt.Sprintf("/plans/%d/indicators/%d/breakdown?year=2023", tp.plan.ID, tp.ind["broken"]))
		if status != http.StatusOK || !strings.Contains(body, `id="bd-error"`) {
			t.Errorf("broken breakdown: %d, error shown %v", status, strings.Contains(body, `id="bd-error"`))
		}
		if status, _ := c.Get(fmt.Sprintf("/plans/%d/indicators/%d/breakdown.xlsx?year=2023", tp.plan.ID, tp.ind["broken"])); status != http.StatusBadRequest {
			t.Errorf("broken breakdown export: %d, want 400", status)
		}
	})
}

func TestDashboardAccess(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		tp := dashSetup(t, f)
		ctx := context.Background()
		x1, y1 := f.Units["X1"], f.Units["Y1"]
		draft := &plans.Plan{UnitID: x1, Title: "Kế hoạch nháp của xã", YearFrom: 2023, YearTo: 2024, Status: plans.StatusDraft}
		if err := f.Store.CreatePlan(ctx, audit.System, draft, []plans.Indicator{{Code: "c", Name: "Lớp", Formula: "count()",
			Comparison: "at_least", Value: 1, Period: plans.PeriodYearly}}); err != nil {
			t.Fatal(err)
		}
		bd := func(unit int64) string {
			return fmt.Sprintf("/plans/%d/indicators/%d/breakdown?year=2023&unit=%d", tp.plan.ID, tp.ind["classes"], unit)
		}
		dash := func(unit int64) string { return fmt.Sprintf("/plans/%d/dashboard?year=2023&unit=%d", tp.plan.ID, unit) }
		xlsx := func(unit int64) string {
			return fmt.Sprintf("/plans/%d/dashboard.xlsx?year=2023&unit=%d", tp.plan.ID, unit)
		}
		// API tokens reach the same handlers without the slow password check.
		anon := f.Login("")
		get := func(user, path string) (int, string) {
			if user == "" {
				return anon.Get(path)
			}
			return f.API("GET", path, user, "")
		}
		for _, tc := range []struct {
			user, path string
			want       int
		}{
			{"focal.y@t.vn", bd(x1), http.StatusForbidden},
			{"focal.y@t.vn", dash(x1), http.StatusForbidden},
			{"focal.y@t.vn", xlsx(x1), http.StatusForbidden},
			{"focal.y@t.vn", fmt.Sprintf("/plans/%d/indicators/%d/breakdown.xlsx?year=2023&unit=%d", tp.plan.ID, tp.ind["classes"], x1), http.StatusForbidden},
			{"focal.y@t.vn", dash(f.Units["40"]), http.StatusForbidden},
			{"focal.y@t.vn", dash(y1), http.StatusOK},
			{"focal.y@t.vn", fmt.Sprintf("/plans/%d/dashboard", draft.ID), http.StatusNotFound},
			{"focal.x@t.vn", fmt.Sprintf("/plans/%d/dashboard", draft.ID), http.StatusOK},
			{"viewer.x@t.vn", fmt.Sprintf("/plans/%d/dashboard", draft.ID), http.StatusOK},
			{"focal.x@t.vn", bd(x1), http.StatusOK},
			{"viewer.x@t.vn", bd(f.Units["X1-THCS"]), http.StatusOK},
			{"viewer.x@t.vn", bd(y1), http.StatusForbidden},
			{"police@t.vn", dash(f.Units["40-CA"]), http.StatusOK},
			{"learner@t.vn", dash(x1), http.StatusForbidden},
			{"", dash(x1), http.StatusSeeOther},
		} {
			if status, body := get(tc.user, tc.path); status != tc.want {
				t.Errorf("%s GET %s: %d, want %d\n%.300s", tc.user, tc.path, status, tc.want, body)
			}
		}
		// Without ?unit= a focal point sees their own unit.
		_, body := get("focal.y@t.vn", fmt.Sprintf("/plans/%d/dashboard?year=2023", tp.plan.ID))
		if !strings.Contains(body, `<h1 id="dash-title">Bảng theo dõi chỉ tiêu: Phường Vinh Phú — năm 2023</h1>`) {
			t.Error("a focal point's default unit should be their own")
		}
		if got := dashCell(t, body, "dash-value-classes"); got != "0 lớp" {
			t.Errorf("Y1 classes = %q", got)
		}
		// Signed in through the form as well.
		if status, _ := f.Login("focal.y@t.vn").Get(bd(x1)); status != http.StatusForbidden {
			t.Errorf("session access to X1's breakdown: %d", status)
		}
	})
}

func TestDashboardXLSX(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		tp := dashSetup(t, f)
		c := f.Login("coord@t.vn")
		fetch := func(path string) *excelize.File {
			t.Helper()
			resp, err := c.HTTP.Get(f.Server.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			data, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
				t.Fatalf("GET %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
				t.Errorf("GET %s: not an attachment", path)
			}
			x, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("parse %s: %v", path, err)
			}
			t.Cleanup(func() { x.Close() })
			return x
		}

		x := fetch(fmt.Sprintf("/plans/%d/dashboard.xlsx?year=2023", tp.plan.ID))
		sheet := x.GetSheetName(0)
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		wantHead := []string{"Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Kết quả", "Chỉ tiêu", "Chỉ tiêu tối đa", "Cách so sánh",
			"Kỳ đánh giá", "Đánh giá", "Mức cần đạt đến nay", "Đơn vị", "Năm"}
		if strings.Join(rows[0], "|") != strings.Join(wantHead, "|") {
			t.Errorf("header = %v", rows[0])
		}
		if len(rows) != 6 {
			t.Fatalf("rows = %d, want header + 5 indicators", len(rows))
		}
		byCode := map[string][]string{}
		for i, r := range rows[1:] {
			byCode[r[0]] = r
			// Values are numbers, not text.
			if r[0] != "broken" {
				ref, _ := excelize.CoordinatesToCellName(4, i+2)
				if typ, _ := x.GetCellType(sheet, ref); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
					t.Errorf("%s value cell is text", r[0])
				}
			}
		}
		for _, tc := range []struct {
			code string
			cols map[int]string
		}{
			{"classes", map[int]string{1: "Số lớp tập huấn", 2: "lớp", 3: "3", 4: "3", 6: "Tối thiểu", 7: "Năm 2023", 8: "Đạt", 9: "3", 10: "Ủy ban nhân dân tỉnh Nghệ An", 11: "2023"}},
			{"trainees", map[int]string{3: "120", 4: "100", 7: "Cộng dồn 2022–2023", 8: "Đạt"}},
			{"communes", map[int]string{3: "50", 8: "Không đạt"}},
			{"seminars", map[int]string{3: "1", 4: "3", 5: "5", 6: "Trong khoảng"}},
			{"broken", map[int]string{3: ""}},
		} {
			r := byCode[tc.code]
			for col, want := range tc.cols {
				got := ""
				if col < len(r) {
					got = r[col]
				}
				if got != want {
					t.Errorf("%s column %d = %q, want %q", tc.code, col, got, want)
				}
			}
		}
		if r := byCode["broken"]; len(r) < 9 || !strings.Contains(r[8], "công thức bị lỗi") {
			t.Errorf("broken row should carry its error: %v", r)
		}
		// The header row is bold.
		styleID, err := x.GetCellStyle(sheet, "A1")
		if err != nil {
			t.Fatal(err)
		}
		style, err := x.GetStyle(styleID)
		if err != nil || style.Font == nil || !style.Font.Bold {
			t.Errorf("header style = %+v, %v", style, err)
		}

		// The breakdown export has every row with numeric shares.
		x = fetch(fmt.Sprintf("/plans/%d/indicators/%d/breakdown.xlsx?year=2023&unit=%d", tp.plan.ID, tp.ind["classes"], f.Units["X1"]))
		sheet = x.GetSheetName(0)
		rows, err = x.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0][0] != "Mã đơn vị" || rows[1][0] != "X1-THCS" || rows[1][2] != "1" || rows[2][2] != "2" {
			t.Fatalf("breakdown rows = %v", rows)
		}
		if !strings.HasPrefix(rows[1][3], "0.333") || !strings.HasPrefix(rows[2][3], "0.666") {
			t.Errorf("shares = %q, %q", rows[1][3], rows[2][3])
		}
		if rows[2][1] != "Xã Nghi Phong (số liệu của chính đơn vị)" {
			t.Errorf("own row name = %q", rows[2][1])
		}
	})
}

// A breakdown of a unit with more children than a page holds lists the
// top ones with a note; the export has them all.
// breakdownCap is the dashboard's page size for a breakdown (dashBreakdownCap).
const breakdownCap = 200

func TestDashboardBreakdownCap(t *testing.T) {
	f := webtest.New(t, store.SQLite)
	tp := dashSetup(t, f)
	ctx := context.Background()
	y1 := f.Units["Y1"]
	n := breakdownCap + 5
	var last int64
	for i := range n {
		u := &units.Unit{Code: fmt.Sprintf("Y1-T%03d", i), Name: fmt.Sprintf("Thôn %03d", i), Type: units.TypeOther,
			ValidFrom: dates.MustParse("2021-01-01")}
		if err := f.Store.CreateUnit(ctx, audit.System, u, y1); err != nil {
			t.Fatal(err)
		}
		last = u.ID
	}
	// The last-made hamlet held two classes: it must come first.
	if err := f.Store.CreateActivity(ctx, audit.System, &activities.Activity{UnitID: last, Type: "training_class", Channel: "in_person",
		Title: "Lớp ở thôn", Start: dates.MustParse("2023-09-01"), Audiences: activities.SetOf("citizens"), Quantity: 2}); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/plans/%d/indicators/%d/breakdown?year=2023&unit=%d", tp.plan.ID, tp.ind["classes"], y1)
	status, body := f.API("GET", path, "focal.y@t.vn", "")
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d", path, status)
	}
	rows := regexp.MustCompile(`id="bd-row-(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(rows) != breakdownCap || rows[0][1] != fmt.Sprint(last) {
		t.Errorf("%d rows (first %v), want %d with the hamlet with classes first", len(rows), rows[0], breakdownCap)
	}
	if got := dashCell(t, body, "bd-capped"); !strings.Contains(got, fmt.Sprintf("Đang hiện 200 đơn vị có kết quả cao nhất trong tổng số %d", n)) {
		t.Errorf("cap note = %q", got)
	}
	resp, err := http.NewRequest("GET", f.Server.URL+strings.Replace(path, "/breakdown?", "/breakdown.xlsx?", 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Header.Set("Authorization", "Bearer "+f.Tokens["focal.y@t.vn"])
	r, err := http.DefaultClient.Do(resp)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	x, err := excelize.OpenReader(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	all, err := x.GetRows(x.GetSheetName(0))
	if err != nil || len(all) != n+2 { // header, children, own row
		t.Errorf("export has %d rows (%v), want %d", len(all), err, n+2)
	}
}
