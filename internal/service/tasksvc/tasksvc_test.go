package tasksvc_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/service"
	"khienso/internal/service/plansvc"
	"khienso/internal/service/servicetest"
	"khienso/internal/service/tasksvc"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// env is the fixture with the service and an issued plan per unit.
type env struct {
	t     *testing.T
	f     *servicetest.Fixture
	svc   *tasksvc.Service
	plans map[int64]*plans.Plan
}

func newEnv(t *testing.T, f *servicetest.Fixture) *env {
	return &env{t: t, f: f, svc: tasksvc.New(f.Store, f.Access, plansvc.New(f.Store, f.Access, nil)), plans: map[int64]*plans.Plan{}}
}

// plan is unit's issued plan (made on first use).
func (e *env) plan(unit int64) *plans.Plan {
	e.t.Helper()
	if p := e.plans[unit]; p != nil {
		return p
	}
	p := e.newPlan(unit, plans.StatusInEffect)
	e.plans[unit] = p
	return p
}

func (e *env) newPlan(unit int64, status plans.Status) *plans.Plan {
	e.t.Helper()
	p := &plans.Plan{UnitID: unit, Number: fmt.Sprintf("%d/KH", unit), Title: fmt.Sprintf("Kế hoạch %d", unit),
		YearFrom: 2022, YearTo: 2026, Status: status}
	if status != plans.StatusDraft {
		p.IssuedOn = dates.MustParse("2022-03-01")
	}
	if err := e.f.Store.CreatePlan(context.Background(), audit.System, p, nil); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// task stores a task of p led by lead.
func (e *env) task(p *plans.Plan, lead ...int64) *plans.Task {
	e.t.Helper()
	t := &plans.Task{Content: "Tuyên truyền phòng chống lừa đảo trực tuyến", Kind: plans.TimeYearly, Lead: lead}
	if err := e.f.Store.CreateTasks(context.Background(), audit.System, p.ID, []*plans.Task{t}); err != nil {
		e.t.Fatal(err)
	}
	return t
}

// update stores a progress update by unit on t, with a file.
func (e *env) update(t *plans.Task, unit int64) *plans.TaskUpdate {
	e.t.Helper()
	u := &plans.TaskUpdate{TaskID: t.ID, UnitID: unit, Status: plans.TaskInProgress, Progress: 10, Note: "Đã triển khai",
		FileName: "bien-ban.pdf", FileType: "application/pdf", FileData: []byte("%PDF-1.4 biên bản")}
	if err := e.f.Store.AddTaskUpdate(context.Background(), audit.System, u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// outcome names how a call ended.
func outcome(t *testing.T, err error) string {
	t.Helper()
	var ve validation.Errors
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, service.ErrUnauthenticated):
		return "unauthenticated"
	case errors.Is(err, service.ErrForbidden):
		return "forbidden"
	case errors.Is(err, store.ErrNotFound):
		return "not found"
	case errors.As(err, &ve):
		return "invalid: " + ve.Error()
	}
	t.Fatalf("unexpected error: %v", err)
	return ""
}

func allowed(ok bool) string {
	if ok {
		return "ok"
	}
	return "forbidden"
}

// importText is a task table with one task led by "UBND các xã, phường".
const importText = "Phụ lục\nSTT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\n" +
	"1\tTuyên truyền về an toàn thông tin\tUBND các xã, phường\tCông an tỉnh\tHàng năm\n"

// TestAccessMatrix calls every method of the service as every actor on
// plans and tasks of a unit in each relation to the actor's unit, and of
// the province plan above it, and checks the outcome against the rules:
// reading follows the plan (staff of the plan's province; another
// province's plan is not found), changing the task table needs plan.write
// on the plan's unit, reporting needs task.report on an assigned unit or
// plan.write, an update is read by its unit's readers and the plan's
// writers, and "my tasks" of a unit need task.report or activity.read on it.
func TestAccessMatrix(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		e := newEnv(t, f)
		for _, name := range servicetest.ActorNames {
			actor := f.Actors[name]
			for _, rel := range servicetest.Relations {
				target, ok := f.Target(name, rel)
				if !ok {
					continue
				}
				t.Run(name+"/"+string(rel), func(t *testing.T) {
					e.t = t
					root, err := f.Access.ProvinceOf(ctx, target)
					if err != nil {
						t.Fatal(err)
					}
					rootRel := servicetest.Parent
					if f.Units[servicetest.UnitOf(name)] == root {
						rootRel = servicetest.Own
					}
					if rel == servicetest.OtherProvince {
						rootRel = servicetest.OtherProvince
					}
					staff := name != "learner"
					read := "ok"
					switch {
					case !staff:
						read = "forbidden"
					case rel == servicetest.OtherProvince:
						read = "not found"
					}
					gate := func(want string) string {
						if read != "ok" {
							return read
						}
						return want
					}
					expect := func(act auth.Action, r servicetest.Relation) bool { return servicetest.Expect(f, name, act, r) }
					writeT := gate(allowed(expect(auth.PlanWrite, rel)))
					reportT := gate(allowed(expect(auth.TaskReport, rel) || expect(auth.PlanWrite, rel)))
					reportP := gate(allowed(expect(auth.TaskReport, rel) || expect(auth.PlanWrite, rootRel)))
					seeUpdate := expect(auth.ActivityRead, rel) || expect(auth.PlanWrite, rootRel)
					follow := "forbidden"
					if staff && (expect(auth.TaskReport, rel) || expect(auth.ActivityRead, rel)) {
						follow = "ok"
					}

					planT, planP := e.plan(target), e.plan(root)
					taskT, taskP := e.task(planT, target), e.task(planP, target)
					upd := e.update(taskP, target)
					check := func(method, want string, err error) {
						t.Helper()
						if got := outcome(t, err); got != want {
							t.Errorf("%s: %s, want %s", method, got, want)
						}
					}

					_, _, err = e.svc.Task(ctx, actor, taskT.ID)
					check("Task", read, err)
					_, list, err := e.svc.Tasks(ctx, actor, planT.ID)
					check("Tasks", read, err)
					if err == nil && !slices.ContainsFunc(list, func(x *plans.Task) bool { return x.ID == taskT.ID }) {
						t.Error("Tasks lacks the task")
					}
					d, err := e.svc.Detail(ctx, actor, taskT.ID)
					check("Detail", read, err)
					if err == nil && (allowed(d.Write) != writeT || allowed(d.Report) != reportT) {
						t.Errorf("Detail rights write=%v report=%v, want %s %s", d.Write, d.Report, writeT, reportT)
					}
					_, err = e.svc.Writable(ctx, actor, planT.ID)
					check("Writable", writeT, err)
					_, _, err = e.svc.Editable(ctx, actor, taskT.ID)
					check("Editable", writeT, err)
					err = e.svc.Create(ctx, actor, planT.ID, &plans.Task{Content: "Nhiệm vụ mới", Kind: plans.TimeContinuous, Lead: []int64{target}})
					check("Create", writeT, err)
					changed := *taskT
					changed.Content = "Nội dung đã sửa"
					check("Update", writeT, e.svc.Update(ctx, actor, &changed))
					_, err = e.svc.Delete(ctx, actor, e.task(planT, target).ID)
					check("Delete", writeT, err)
					_, err = e.svc.Matching(ctx, actor, planT.ID)
					check("Matching", writeT, err)
					_, err = e.svc.ParseImport(ctx, actor, planT.ID, tasksvc.ImportSource{Text: importText})
					check("ParseImport", writeT, err)
					err = e.svc.ApplyImport(ctx, actor, planT.ID, []*plans.Task{{Content: "Nhập", Kind: plans.TimeYearly, Lead: []int64{target}}})
					check("ApplyImport", writeT, err)

					progress := 40
					_, err = e.svc.AddReport(ctx, actor, taskT.ID, tasksvc.Report{Progress: &progress, Note: "Tiến độ"})
					check("AddReport (unit's plan)", reportT, err)
					_, err = e.svc.AddReport(ctx, actor, taskP.ID, tasksvc.Report{Status: plans.TaskInProgress, Note: "Tiến độ"})
					check("AddReport (province plan)", reportP, err)

					ups, err := e.svc.Updates(ctx, actor, taskP.ID)
					check("Updates", read, err)
					if err == nil && slices.ContainsFunc(ups, func(u *plans.TaskUpdate) bool { return u.ID == upd.ID }) != seeUpdate {
						t.Errorf("Updates shows the unit's update: %v, want %v", !seeUpdate, seeUpdate)
					}
					_, err = e.svc.Evidence(ctx, actor, upd.ID)
					check("Evidence", gate(allowed(seeUpdate)), err)

					m, err := e.svc.Mine(ctx, actor, target)
					check("Mine", follow, err)
					if err == nil {
						for _, want := range []int64{taskT.ID, taskP.ID} {
							if !slices.ContainsFunc(m.Lead, func(x *plans.Task) bool { return x.ID == want }) {
								t.Errorf("Mine lacks task %d", want)
							}
						}
					}
				})
			}
		}

		// Anonymous callers are asked to sign in; the system passes.
		x1 := f.Units["X1"]
		p := e.plan(x1)
		task := e.task(p, x1)
		upd := e.update(task, x1)
		for _, c := range []struct {
			actor service.Actor
			want  string
		}{{service.Actor{}, "unauthenticated"}, {service.SystemActor, "ok"}} {
			_, _, err := e.svc.Task(ctx, c.actor, task.ID)
			got := []string{outcome(t, err)}
			_, _, err = e.svc.Tasks(ctx, c.actor, p.ID)
			got = append(got, outcome(t, err))
			_, err = e.svc.Detail(ctx, c.actor, task.ID)
			got = append(got, outcome(t, err))
			got = append(got, outcome(t, e.svc.Create(ctx, c.actor, p.ID, &plans.Task{Content: "A", Kind: plans.TimeYearly, Lead: []int64{x1}})))
			_, err = e.svc.Evidence(ctx, c.actor, upd.ID)
			got = append(got, outcome(t, err))
			_, err = e.svc.Updates(ctx, c.actor, task.ID)
			got = append(got, outcome(t, err))
			_, err = e.svc.Mine(ctx, c.actor, x1)
			got = append(got, outcome(t, err))
			_, err = e.svc.ParseImport(ctx, c.actor, p.ID, tasksvc.ImportSource{Text: importText})
			got = append(got, outcome(t, err))
			for i, g := range got {
				if g != c.want {
					t.Errorf("%+v call %d: %s, want %s", c.actor, i, g, c.want)
				}
			}
		}
		// Nobody anonymous reports progress.
		if _, err := e.svc.AddReport(ctx, service.Actor{}, task.ID, tasksvc.Report{Note: "x"}); outcome(t, err) != "unauthenticated" {
			t.Errorf("anonymous report: %v", err)
		}
	})
}

// TestDraftTasksHidden: a draft plan's tasks are read only by those who
// write or read its unit; others do not learn they exist.
func TestDraftTasksHidden(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		e := newEnv(t, f)
		x1 := f.Units["X1"]
		draft := e.newPlan(x1, plans.StatusDraft)
		task := e.task(draft, x1)
		for name, want := range map[string]string{"admin": "ok", "coord": "ok", "focal.x": "ok", "viewer.x": "ok",
			"focal.y": "not found", "police": "not found", "coord.z": "not found", "learner": "forbidden"} {
			_, _, err := e.svc.Task(ctx, f.Actors[name], task.ID)
			if got := outcome(t, err); got != want {
				t.Errorf("%s reads a task of X1's draft: %s, want %s", name, got, want)
			}
		}
		// focal.y's "my tasks" of Y1 never shows the draft's task naming Y1.
		y1 := f.Units["Y1"]
		named := e.task(draft, y1)
		m, err := e.svc.Mine(ctx, f.Actors["focal.y"], 0)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(m.Lead, func(x *plans.Task) bool { return x.ID == named.ID }) {
			t.Error("focal.y sees a task of X1's draft")
		}
	})
}

// TestReportRules: who reports as which unit, and what a report stores.
func TestReportRules(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		e := newEnv(t, f)
		x1, school := f.Units["X1"], f.Units["X1-THCS"]
		province := e.plan(f.Units["40"])
		for _, c := range []struct {
			actor string
			lead  int64
			as    string
		}{
			{"focal.x", x1, "X1"},          // its own unit leads
			{"focal.x", school, "X1-THCS"}, // a unit below leads: reports for it
			{"coord", x1, "40-SKHCN"},      // the plan's writer, as its own unit
			{"admin", school, "40"},
		} {
			task := e.task(province, c.lead)
			u, err := e.svc.AddReport(ctx, f.Actors[c.actor], task.ID, tasksvc.Report{Note: "Đã làm"})
			if err != nil {
				t.Fatalf("%s reports: %v", c.actor, err)
			}
			if u.UnitID != f.Units[c.as] || u.UnitName == "" {
				t.Errorf("%s reported as unit %d (%s), want %s", c.actor, u.UnitID, u.UnitName, c.as)
			}
			stored, _ := f.Store.Task(ctx, task.ID)
			if stored.Status != plans.TaskNotStarted || stored.Progress != 0 {
				t.Errorf("a note alone keeps status and progress: %s %d", stored.Status, stored.Progress)
			}
		}
		task := e.task(province, x1)
		fx := f.Actors["focal.x"]
		if _, err := e.svc.AddReport(ctx, fx, task.ID, tasksvc.Report{}); !asErrs(err).Has("note") {
			t.Errorf("an empty report: %v", err)
		}
		big := make([]byte, plans.MaxEvidenceFile+1)
		if _, err := e.svc.AddReport(ctx, fx, task.ID, tasksvc.Report{File: big, FileName: "lon.pdf"}); !asErrs(err).Has("file") {
			t.Errorf("a file over the cap: %v", err)
		}
		// The stored type is what the content is, never what was claimed.
		docx := append([]byte("PK\x03\x04"), make([]byte, 40)...)
		for _, c := range []struct {
			name string
			data []byte
			want string
		}{
			{"bien-ban.pdf", []byte("%PDF-1.4 biên bản"), "application/pdf"},
			{"anh.pdf", []byte("\x89PNG\r\n\x1a\n0000"), "image/png"},
			{"trang.pdf", []byte("<!DOCTYPE html><script>alert(1)</script>"), "application/octet-stream"},
			{"C:\\Tai lieu\\bao-cao.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
			{"ghi-chu.txt", []byte("Ghi chú"), "text/plain; charset=utf-8"},
		} {
			done := 100
			u, err := e.svc.AddReport(ctx, fx, task.ID, tasksvc.Report{Status: plans.TaskDone, Progress: &done, File: c.data, FileName: c.name})
			if err != nil {
				t.Fatal(err)
			}
			ev, err := e.svc.Evidence(ctx, fx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ev.FileType != c.want || string(ev.FileData) != string(c.data) {
				t.Errorf("%s stored as %q, want %q", c.name, ev.FileType, c.want)
			}
			if c.name[0] == 'C' && ev.FileName != "bao-cao.docx" {
				t.Errorf("a Windows path keeps its base name only: %q", ev.FileName)
			}
		}
		if stored, _ := f.Store.Task(ctx, task.ID); stored.Status != plans.TaskDone || stored.Progress != 100 {
			t.Errorf("the task follows the report: %s %d", stored.Status, stored.Progress)
		}
		// An update without a file has no evidence to download.
		u, _ := e.svc.AddReport(ctx, fx, task.ID, tasksvc.Report{Note: "Không có tệp"})
		if _, err := e.svc.Evidence(ctx, fx, u.ID); outcome(t, err) != "not found" {
			t.Errorf("evidence of an update without a file: %v", err)
		}
	})
}

func asErrs(err error) validation.Errors {
	var ve validation.Errors
	errors.As(err, &ve)
	return ve
}

// TestTaskUnitsInProvince: a plan's tasks name units of its own province.
func TestTaskUnitsInProvince(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		e := newEnv(t, f)
		p := e.plan(f.Units["40"])
		coord := f.Actors["coord"]
		err := e.svc.Create(ctx, coord, p.ID, &plans.Task{Content: "A", Kind: plans.TimeYearly, Lead: []int64{f.Units["X1"]}, Coord: []int64{f.Units["Z1"]}})
		if !asErrs(err).Has("coord") {
			t.Errorf("a Hà Tĩnh unit coordinating a Nghệ An task: %v", err)
		}
		err = e.svc.Create(ctx, coord, p.ID, &plans.Task{Content: "A", Kind: plans.TimeYearly, Lead: []int64{999999}})
		if !asErrs(err).Has("lead") {
			t.Errorf("an unknown unit: %v", err)
		}
		task := e.task(p, f.Units["X1"])
		task.Lead = []int64{f.Units["42"]}
		if err := e.svc.Update(ctx, coord, task); !asErrs(err).Has("lead") {
			t.Errorf("editing in a Hà Tĩnh lead: %v", err)
		}
		dir, err := e.svc.Units(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range dir {
			if u.Code == "42" || u.Code == "42-SKHCN" || u.Code == "Z1" || u.Code == "Z1-THCS" {
				t.Errorf("the Nghệ An plan offers %s", u.Code)
			}
		}
		if len(dir) != 7 {
			t.Errorf("the Nghệ An plan offers %d units, want its 7", len(dir))
		}
	})
}

// TestMineChoices: those who follow several units may pick one, within
// their reach; a focal point sees its own unit only.
func TestMineChoices(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		e := newEnv(t, f)
		m, err := e.svc.Mine(ctx, f.Actors["coord"], 0)
		if err != nil {
			t.Fatal(err)
		}
		if m.Unit != f.Units["40-SKHCN"] || len(m.Choices) == 0 {
			t.Errorf("coordinator's own tasks: unit %d, %d choices", m.Unit, len(m.Choices))
		}
		for _, u := range m.Choices {
			if u.Code == "Z1" || u.Code == "42" || u.Type == "school" {
				t.Errorf("the coordinator may pick %s", u.Code)
			}
		}
		if m, err := e.svc.Mine(ctx, f.Actors["focal.x"], 0); err != nil || m.Choices != nil {
			t.Errorf("a focal point of a commune picks nothing: %+v %v", m, err)
		}
		if _, err := e.svc.Mine(ctx, f.Actors["coord"], f.Units["Z1"]); outcome(t, err) != "forbidden" {
			t.Errorf("the Nghệ An coordinator follows a Hà Tĩnh commune: %v", err)
		}
		// Tasks of a unit merged into X1 are X1's.
		old := f.Units["Y1"]
		p := e.plan(f.Units["40"])
		task := e.task(p, old)
		if _, err := f.Store.MergeUnits(ctx, audit.System, store.MergeRequest{SourceIDs: []int64{old}, TargetID: f.Units["X1"], Date: dates.MustParse("2026-01-01")}); err != nil {
			t.Skipf("merge: %v", err)
		}
		m, err = e.svc.Mine(ctx, f.Actors["focal.x"], 0)
		if err != nil || !slices.ContainsFunc(m.Lead, func(x *plans.Task) bool { return x.ID == task.ID }) {
			t.Errorf("X1's tasks lack those of the unit merged into it (%v)", err)
		}
	})
}
