package tasksvc_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/plans/planimport"
	"khienso/internal/service/servicetest"
	"khienso/internal/service/tasksvc"
	"khienso/internal/store"
)

// twoProvinceTable names units as a Nghệ An plan would, with a group phrase
// both provinces have units for, a department name both provinces share
// ("Sở Khoa học và Công nghệ"), and a Hà Tĩnh commune by name.
const twoProvinceTable = "Phụ lục\nSTT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\n" +
	"1\tTuyên truyền trên hệ thống truyền thanh cơ sở\tUBND các xã, phường\tSở Khoa học và Công nghệ\tHàng năm\n" +
	"2\tRà soát mã độc\tSở Khoa học và Công nghệ\tCông an tỉnh\tThường xuyên\n" +
	"3\tPhối hợp diễn tập\tXã Cẩm Xuyên\t\t2023 - 2025\n"

// TestImportStaysInProvince imports a task table into a Nghệ An plan in a
// database that also holds Hà Tĩnh: no phrase, group or suggestion may
// resolve to a Hà Tĩnh unit, and no reviewed task may be saved with one.
// The same table imported into a Hà Tĩnh plan resolves within Hà Tĩnh.
// Both with the two provinces side by side and under a national root.
func TestImportStaysInProvince(t *testing.T) {
	for _, layout := range []struct {
		name string
		opts []servicetest.Option
	}{{"side-by-side", nil}, {"national", []servicetest.Option{servicetest.National()}}} {
		t.Run(layout.name, func(t *testing.T) { servicetest.Engines(t, importStaysInProvince, layout.opts...) })
	}
}

func importStaysInProvince(t *testing.T, f *servicetest.Fixture) {
	ctx := context.Background()
	e := newEnv(t, f)
	subtree := func(code string) []int64 {
		ids, err := f.Store.SubtreeIDs(ctx, f.Units[code], e.svc.Today())
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	for _, c := range []struct {
		actor, province, other string
		communes               []string
		department             string
	}{
		{"coord", "40", "42", []string{"X1", "Y1"}, "40-SKHCN"},
		{"coord.z", "42", "40", []string{"Z1"}, "42-SKHCN"},
	} {
		p := e.plan(f.Units[c.province])
		foreign := subtree(c.other)
		rv, err := e.svc.ParseImport(ctx, f.Actors[c.actor], p.ID, tasksvc.ImportSource{Text: twoProvinceTable})
		if err != nil {
			t.Fatalf("%s parses: %v", c.actor, err)
		}
		if len(rv.Rows) != 3 {
			t.Fatalf("%s: %d rows, want 3", c.actor, len(rv.Rows))
		}
		for _, u := range rv.Units {
			if slices.Contains(foreign, u.ID) {
				t.Errorf("%s: the review offers %s of the other province", c.actor, u.Code)
			}
		}
		for i, row := range rv.Rows {
			for _, ph := range append(append([]tasksvc.ImportPhrase{}, row.LeadPhrases...), row.CoordPhrases...) {
				for _, id := range append(append([]int64{}, ph.UnitIDs...), ph.Suggestions...) {
					if slices.Contains(foreign, id) {
						t.Errorf("%s row %d: %q resolves to a unit of the other province", c.actor, i+1, ph.Phrase)
					}
				}
			}
			for _, id := range append(append([]int64{}, row.Task.Lead...), row.Task.Coord...) {
				if slices.Contains(foreign, id) {
					t.Errorf("%s row %d proposes a unit of the other province", c.actor, i+1)
				}
			}
		}
		var want []int64
		for _, code := range c.communes {
			want = append(want, f.Units[code])
		}
		got := slices.Clone(rv.Rows[0].Task.Lead)
		slices.Sort(got)
		slices.Sort(want)
		if g := rv.Rows[0].LeadPhrases; len(g) != 1 || g[0].Group != planimport.GroupCommunes || !slices.Equal(got, want) {
			t.Errorf("%s: \"UBND các xã, phường\" = %+v (lead %v), want the communes %v", c.actor, g, got, c.communes)
		}
		if lead := rv.Rows[1].Task.Lead; len(lead) != 1 || lead[0] != f.Units[c.department] {
			t.Errorf("%s: \"Sở Khoa học và Công nghệ\" = %v, want %s", c.actor, lead, c.department)
		}
	}

	// A Hà Tĩnh commune named in a Nghệ An plan matches nothing there.
	na := e.plan(f.Units["40"])
	rv, err := e.svc.ParseImport(ctx, f.Actors["coord"], na.ID, tasksvc.ImportSource{Text: twoProvinceTable})
	if err != nil {
		t.Fatal(err)
	}
	if lead := rv.Rows[2].Task.Lead; len(lead) != 0 {
		t.Errorf("\"Xã Cẩm Xuyên\" in a Nghệ An plan resolves to %v", lead)
	}
	if rv.Unmatched != 1 {
		t.Errorf("%d phrases unmatched, want 1 (Xã Cẩm Xuyên)", rv.Unmatched)
	}

	// Confirming: a Hà Tĩnh unit slipped into the review fails the
	// whole import; nothing is saved.
	var list []*plans.Task
	for _, row := range rv.Rows {
		list = append(list, row.Task)
	}
	list[2].Lead = []int64{f.Units["Z1"]}
	err = e.svc.ApplyImport(ctx, f.Actors["coord"], na.ID, list)
	if !asErrs(err).Has("tasks.2.lead") {
		t.Fatalf("confirm with a Hà Tĩnh lead: %v", err)
	}
	if n := taskCount(t, f, na.ID); n != 0 {
		t.Fatalf("a refused import saved %d tasks", n)
	}
	list[2].Lead = []int64{f.Units["40-CA"]}
	if err := e.svc.ApplyImport(ctx, f.Actors["coord"], na.ID, list); err != nil {
		t.Fatal(err)
	}
	if n := taskCount(t, f, na.ID); n != 3 {
		t.Fatalf("the import saved %d tasks, want 3", n)
	}
	// A Hà Tĩnh coordinator can neither read nor import into it.
	if _, err := e.svc.ParseImport(ctx, f.Actors["coord.z"], na.ID, tasksvc.ImportSource{Text: twoProvinceTable}); outcome(t, err) != "not found" {
		t.Errorf("Hà Tĩnh's coordinator imports into a Nghệ An plan: %v", err)
	}
}

// TestImportNationalPlan: a national plan names units across the country:
// the province committees as a group, every commune of both provinces.
func TestImportNationalPlan(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		e := newEnv(t, f)
		p := e.plan(f.Units["VN-ATTT"])
		table := "Phụ lục\nSTT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\n" +
			"1\tTriển khai kế hoạch tại địa phương\tUBND các tỉnh, thành phố trực thuộc Trung ương\tUBND các xã, phường\tHàng năm\n"
		rv, err := e.svc.ParseImport(ctx, f.Actors["coord.vn"], p.ID, tasksvc.ImportSource{Text: table})
		if err != nil {
			t.Fatal(err)
		}
		ids := func(codes ...string) []int64 {
			var out []int64
			for _, c := range codes {
				out = append(out, f.Units[c])
			}
			slices.Sort(out)
			return out
		}
		row := rv.Rows[0]
		lead, coord := slices.Sorted(slices.Values(row.Task.Lead)), slices.Sorted(slices.Values(row.Task.Coord))
		if len(row.LeadPhrases) != 1 || row.LeadPhrases[0].Group != planimport.GroupProvinces || !slices.Equal(lead, ids("40", "42")) {
			t.Errorf("the provinces: %+v", row.LeadPhrases)
		}
		if !slices.Equal(coord, ids("X1", "Y1", "Z1")) {
			t.Errorf("the communes of a national plan: %v", coord)
		}
		// A province's coordinator does not import into it.
		if _, err := e.svc.ParseImport(ctx, f.Actors["coord"], p.ID, tasksvc.ImportSource{Text: table}); outcome(t, err) != "not found" {
			t.Errorf("a province coordinator imports into the national plan: %v", err)
		}
	}, servicetest.National())
}

func taskCount(t *testing.T, f *servicetest.Fixture, plan int64) int {
	t.Helper()
	list, err := f.Store.Tasks(context.Background(), store.TaskFilter{PlanID: plan})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// TestImportSourceErrors: what cannot be read is a validation error naming
// the input, in words the reviewer can act on.
func TestImportSourceErrors(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		e := newEnv(t, f)
		p := e.plan(f.Units["40"])
		coord := f.Actors["coord"]
		for _, c := range []struct {
			name   string
			src    tasksvc.ImportSource
			field  string
			reason string
		}{
			{"no table", tasksvc.ImportSource{Text: "Kế hoạch không có phụ lục"}, "text", "planimport.err.no_table"},
			{"a PDF", tasksvc.ImportSource{File: []byte("%PDF-1.4"), FileName: "ke-hoach.pdf"}, "file", "planimp.err.file_type"},
			{"not a DOCX", tasksvc.ImportSource{File: []byte("not a zip"), FileName: "ke-hoach.docx"}, "file", "planimport.err.docx_not_zip"},
			{"too large", tasksvc.ImportSource{File: make([]byte, tasksvc.MaxImportSize+1), FileName: "a.txt"}, "file", "planimp.err.too_large"},
		} {
			_, err := e.svc.ParseImport(ctx, coord, p.ID, c.src)
			errs := asErrs(err)
			if len(errs) != 1 || errs[0].Field != c.field || errs[0].Reason != c.reason {
				t.Errorf("%s: %v, want %s on %s", c.name, err, c.reason, c.field)
			}
		}
		// A text file is read like pasted text.
		rv, err := e.svc.ParseImport(ctx, coord, p.ID, tasksvc.ImportSource{File: []byte(twoProvinceTable), FileName: "phu-luc.txt"})
		if err != nil || len(rv.Rows) != 3 || !strings.HasPrefix(rv.Rows[0].Task.Content, "Tuyên truyền") {
			t.Errorf("a .txt upload: %v", err)
		}
		if err := e.svc.ApplyImport(ctx, coord, p.ID, nil); !asErrs(err).Has("tasks") {
			t.Errorf("confirming nothing: %v", err)
		}
	})
}

// Timeframes that repeat without naming a year become what the task table
// keeps: a yearly deadline is a due date in a plan of one year and "every
// year" in a plan of several; a period shorter than a year is continuous.
// Each is noted for the reviewer.
func TestImportRecurringTimeframes(t *testing.T) {
	table := "STT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\n" +
		"1\tBáo cáo kết quả\tCông an tỉnh\t\tTháng 12 hằng năm\n" +
		"2\tTổng kết\tCông an tỉnh\t\tQuý IV hằng năm\n" +
		"3\tGửi số liệu\tCông an tỉnh\t\tTrước 15/12\n" +
		"4\tKiểm tra\tCông an tỉnh\t\tHằng quý\n" +
		"5\tTuyên truyền\tCông an tỉnh\t\tThường xuyên\n"
	type want struct {
		kind plans.TimeframeKind
		due  string
		note string
	}
	cases := []struct {
		name     string
		from, to int
		rows     []want
	}{
		{"one year", 2026, 2026, []want{
			{plans.TimeDue, "31/12/2026", planimport.NoteTimeframeYearlyDue},
			{plans.TimeDue, "31/12/2026", planimport.NoteTimeframeYearlyDue},
			{plans.TimeDue, "15/12/2026", planimport.NoteTimeframeYearlyDue},
			{plans.TimeContinuous, "", planimport.NoteTimeframeRecurring},
			{plans.TimeContinuous, "", ""},
		}},
		{"several years", 2026, 2030, []want{
			{plans.TimeYearly, "", planimport.NoteTimeframeYearlyDue},
			{plans.TimeYearly, "", planimport.NoteTimeframeYearlyDue},
			{plans.TimeYearly, "", planimport.NoteTimeframeYearlyDue},
			{plans.TimeContinuous, "", planimport.NoteTimeframeRecurring},
			{plans.TimeContinuous, "", ""},
		}},
	}
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		e := newEnv(t, f)
		for _, c := range cases {
			p := &plans.Plan{UnitID: f.Units["40"], Number: c.name + "/KH", Title: "Kế hoạch " + c.name, YearFrom: c.from, YearTo: c.to,
				Status: plans.StatusInEffect, IssuedOn: dates.MustParse("2026-01-05")}
			if err := f.Store.CreatePlan(ctx, audit.System, p, nil); err != nil {
				t.Fatal(err)
			}
			rv, err := e.svc.ParseImport(ctx, f.Actors["coord"], p.ID, tasksvc.ImportSource{Text: table})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if len(rv.Rows) != len(c.rows) {
				t.Fatalf("%s: %d rows", c.name, len(rv.Rows))
			}
			for i, w := range c.rows {
				row := rv.Rows[i]
				due := ""
				if !row.Task.Due.IsZero() {
					due = row.Task.Due.VN()
				}
				note := ""
				for _, n := range row.Notes {
					if n.Key == planimport.NoteTimeframeYearlyDue || n.Key == planimport.NoteTimeframeRecurring {
						note = n.Key
					}
				}
				if row.Task.Kind != w.kind || due != w.due || note != w.note {
					t.Errorf("%s, %q: %s %q note %q; want %s %q note %q", c.name, row.TimeframeText, row.Task.Kind, due, note, w.kind, w.due, w.note)
				}
			}
		}
	})
}
