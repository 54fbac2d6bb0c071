package activitysvc_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"khienso/internal/activities"
	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/service"
	"khienso/internal/service/activitysvc"
	"khienso/internal/service/plansvc"
	"khienso/internal/service/servicetest"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// world is the service over the two-province fixture, with an issued plan
// per province whose table has one task led by each of its units.
type world struct {
	*servicetest.Fixture
	svc   *activitysvc.Service
	tasks map[string]int64 // by lead unit code
	plans map[string]*plans.Plan
}

func newWorld(t *testing.T, f *servicetest.Fixture) *world {
	t.Helper()
	w := &world{Fixture: f, svc: activitysvc.New(f.Store, f.Access, plansvc.New(f.Store, f.Access, nil)),
		tasks: map[string]int64{}, plans: map[string]*plans.Plan{}}
	for province, codes := range map[string][]string{
		"40": {"40", "40-SKHCN", "40-CA", "X1", "X1-THCS", "Y1", "Y1-THCS"},
		"42": {"42", "42-SKHCN", "Z1", "Z1-THCS"},
	} {
		p := w.plan(t, province, plans.StatusInEffect)
		var list []*plans.Task
		for i, code := range codes {
			list = append(list, &plans.Task{Number: fmt.Sprint(i + 1), Content: "Nhiệm vụ của " + code, Kind: plans.TimeContinuous,
				Lead: []int64{f.Units[code]}})
		}
		if err := f.Store.CreateTasks(context.Background(), audit.System, p.ID, list); err != nil {
			t.Fatal(err)
		}
		for i, code := range codes {
			w.tasks[code] = list[i].ID
		}
	}
	return w
}

// plan creates a plan issued by unit (a draft when status says so).
func (w *world) plan(t *testing.T, unit string, status plans.Status) *plans.Plan {
	t.Helper()
	p := &plans.Plan{UnitID: w.Units[unit], Title: "Kế hoạch ATTT của " + unit, Number: "1/KH-" + unit, YearFrom: 2026, YearTo: 2026,
		Status: status}
	if status != plans.StatusDraft {
		p.IssuedOn = dates.MustParse("2026-01-05")
	}
	if err := w.Store.CreatePlan(context.Background(), audit.System, p, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

// activity builds a valid activity of unit.
func activity(unit int64, title string) *activities.Activity {
	return &activities.Activity{UnitID: unit, Type: "training_class", Channel: "in_person", Title: title,
		Start: dates.MustParse("2026-03-01"), Audiences: activities.SetOf("citizens"), Quantity: 1, Participants: 10}
}

// recorded stores an activity of unit as the system and returns it.
func (w *world) recorded(t *testing.T, unit int64, title string) *activities.Activity {
	t.Helper()
	a := activity(unit, title)
	if err := w.svc.Create(context.Background(), service.SystemActor, a, nil); err != nil {
		t.Fatal(err)
	}
	return a
}

// outcome names what a call returned, for the matrix.
func outcome(t *testing.T, err error) string {
	t.Helper()
	var ve validation.Errors
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, service.ErrForbidden):
		return "forbidden"
	case errors.Is(err, store.ErrNotFound):
		return "not-found"
	case errors.Is(err, service.ErrUnauthenticated):
		return "unauthenticated"
	case errors.As(err, &ve):
		var parts []string
		for _, e := range ve {
			parts = append(parts, e.Field+": "+e.Reason)
		}
		return "invalid " + strings.Join(parts, "; ")
	}
	t.Fatalf("unexpected error: %v", err)
	return ""
}

// probe is one service method tried by an actor on the unit standing in
// a relation to the actor's unit; want gives the expected outcome from the
// policy ("" skips the case).
type probe struct {
	method string
	want   func(read, write, writesOwn bool) string
	run    func(t *testing.T, w *world, actor service.Actor, self, target int64) string
}

func okOr(allowed bool, refusal string) string {
	if allowed {
		return "ok"
	}
	return refusal
}

// change is the expected outcome of changing an activity one may or may
// not read: unseen is not found, seen but not writable is forbidden.
func change(read, write bool) string {
	switch {
	case !read:
		return "not-found"
	case !write:
		return "forbidden"
	}
	return "ok"
}

var probes = []probe{
	{"Create", func(_, write, _ bool) string { return okOr(write, "forbidden") },
		func(t *testing.T, w *world, actor service.Actor, _, target int64) string {
			return outcome(t, w.svc.Create(context.Background(), actor, activity(target, "Tập huấn"), nil))
		}},
	{"Create with the unit's task", func(_, write, _ bool) string { return okOr(write, "forbidden") },
		func(t *testing.T, w *world, actor service.Actor, _, target int64) string {
			a := activity(target, "Tập huấn theo nhiệm vụ")
			a.Tasks = []int64{w.tasks[w.code(target)]}
			return outcome(t, w.svc.Create(context.Background(), actor, a, nil))
		}},
	{"Get", func(read, _, _ bool) string { return okOr(read, "not-found") },
		func(t *testing.T, w *world, actor service.Actor, _, target int64) string {
			_, err := w.svc.Get(context.Background(), actor, w.recorded(t, target, "Bài viết").ID)
			return outcome(t, err)
		}},
	{"Editable", func(read, write, _ bool) string { return change(read, write) },
		func(t *testing.T, w *world, actor service.Actor, _, target int64) string {
			_, err := w.svc.Editable(context.Background(), actor, w.recorded(t, target, "Bài viết").ID)
			return outcome(t, err)
		}},
	{"Update", func(read, write, _ bool) string { return change(read, write) },
		func(t *testing.T, w *world, actor service.Actor, _, target int64) string {
			before := w.recorded(t, target, "Bài viết")
			after := activity(target, "Bài viết đã sửa")
			return outcome(t, w.svc.Update(context.Background(), actor, before.ID, after, nil))
		}},
	{"Update moving it here from the actor's unit", func(_, write, writesOwn bool) string {
		if !writesOwn {
			return ""
		}
		return okOr(write, "forbidden")
	}, func(t *testing.T, w *world, actor service.Actor, self, target int64) string {
		before := w.recorded(t, self, "Bài viết")
		return outcome(t, w.svc.Update(context.Background(), actor, before.ID, activity(target, "Bài viết"), nil))
	}},
	{"Update moving it from here to the actor's unit", func(read, write, writesOwn bool) string {
		if !writesOwn {
			return ""
		}
		return change(read, write)
	}, func(t *testing.T, w *world, actor service.Actor, self, target int64) string {
		before := w.recorded(t, target, "Bài viết")
		return outcome(t, w.svc.Update(context.Background(), actor, before.ID, activity(self, "Bài viết"), nil))
	}},
	{"Delete", func(read, write, _ bool) string { return change(read, write) },
		func(t *testing.T, w *world, actor service.Actor, _, target int64) string {
			return outcome(t, w.svc.Delete(context.Background(), actor, w.recorded(t, target, "Bài viết").ID))
		}},
	{"CanWrite", func(_, write, _ bool) string { return okOr(write, "no") },
		func(t *testing.T, w *world, actor service.Actor, _, target int64) string {
			ok, err := w.svc.CanWrite(context.Background(), actor, w.recorded(t, target, "Bài viết"))
			if err != nil {
				t.Fatal(err)
			}
			return okOr(ok, "no")
		}},
	{"List of the unit", func(read, _, _ bool) string { return okOr(read, "forbidden") },
		func(t *testing.T, w *world, actor service.Actor, _, target int64) string {
			a := w.recorded(t, target, "Phát thanh")
			page, err := w.svc.List(context.Background(), actor, activitysvc.Filter{Unit: target, Limit: 500})
			if err == nil && !slices.ContainsFunc(page.Items, func(x *activities.Activity) bool { return x.ID == a.ID }) {
				return "missing"
			}
			return outcome(t, err)
		}},
	{"List of the whole scope", func(read, _, _ bool) string { return okOr(read, "hidden") },
		func(t *testing.T, w *world, actor service.Actor, _, target int64) string {
			a := w.recorded(t, target, "Phát thanh")
			page, err := w.svc.List(context.Background(), actor, activitysvc.Filter{Limit: 500, Sums: true})
			if errors.Is(err, service.ErrForbidden) {
				return "hidden"
			}
			if err != nil {
				t.Fatal(err)
			}
			if int64(page.Total) != page.Sums.Records {
				t.Errorf("sums count %d records, the list %d", page.Sums.Records, page.Total)
			}
			return okOr(slices.ContainsFunc(page.Items, func(x *activities.Activity) bool { return x.ID == a.ID }), "hidden")
		}},
	{"Servable", func(_, write, _ bool) string { return okOr(write, "none") },
		func(t *testing.T, w *world, actor service.Actor, _, target int64) string {
			list, err := w.svc.Servable(context.Background(), actor, target)
			if err != nil {
				t.Fatal(err)
			}
			return okOr(slices.ContainsFunc(list, func(x *plans.Task) bool { return x.ID == w.tasks[w.code(target)] }), "none")
		}},
	{"Import", func(_, write, writesOwn bool) string {
		if !writesOwn {
			return "forbidden" // a reader may not import at all
		}
		return okOr(write, "rejected")
	}, func(t *testing.T, w *world, actor service.Actor, _, target int64) string {
		csv := "unit_code;type;title;channel;start;audiences\n" + w.code(target) + ";training_class;Tập huấn;in_person;01/03/2026;citizens\n"
		res, err := w.svc.Import(context.Background(), actor, "a.csv", strings.NewReader(csv), false)
		if err != nil {
			return outcome(t, err)
		}
		if res.Rejected {
			if res.Written != 0 || len(res.Issues) != 1 || res.Issues[0].Reason != "err.out_of_scope" {
				t.Errorf("rejected import: %+v", res)
			}
			return "rejected"
		}
		if res.Written != 1 {
			t.Errorf("import wrote %d", res.Written)
		}
		return "ok"
	}},
}

// code is the fixture code of unit id.
func (w *world) code(id int64) string {
	for c, u := range w.Units {
		if u == id {
			return c
		}
	}
	return ""
}

// TestAccessMatrix tries every service method as every actor on the unit
// standing in each relation to the actor's unit, on both engines: a
// province-wide role reaches its own province only, a subtree role its
// unit and below, and what an actor may not read is not found.
func TestAccessMatrix(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		for _, name := range servicetest.ActorNames {
			actor := f.Actors[name]
			self := f.Units[servicetest.UnitOf(name)]
			writesOwn := servicetest.Expect(f, name, auth.ActivityWrite, servicetest.Own)
			for _, rel := range servicetest.Relations {
				target, ok := f.Target(name, rel)
				if !ok {
					continue
				}
				read := servicetest.Expect(f, name, auth.ActivityRead, rel)
				write := servicetest.Expect(f, name, auth.ActivityWrite, rel)
				for _, p := range probes {
					want := p.want(read, write, writesOwn)
					if want == "" {
						continue
					}
					if got := p.run(t, w, actor, self, target); got != want {
						t.Errorf("%s %s on %s unit: %s, want %s", name, p.method, rel, got, want)
					}
				}
			}
			// The methods that name no unit.
			wantWriter := okOr(writesOwn, "forbidden")
			if got := outcome(t, w.svc.RequireWriter(actor)); got != wantWriter {
				t.Errorf("%s RequireWriter: %s, want %s", name, got, wantWriter)
			}
			if _, err := w.svc.Template(actor); outcome(t, err) != wantWriter {
				t.Errorf("%s Template: %v", name, err)
			}
			draft, err := w.svc.Draft(context.Background(), actor, 0)
			if outcome(t, err) != wantWriter {
				t.Errorf("%s Draft: %v", name, err)
			}
			if err == nil {
				province, _ := actor.Principal.Scope(auth.ActivityWrite)
				if want := map[bool]int64{false: self, true: 0}[province]; draft.UnitID != want || draft.Start != w.svc.Today() {
					t.Errorf("%s Draft: unit %d on %s, want unit %d today", name, draft.UnitID, draft.Start, want)
				}
			}
		}
		for _, anon := range []error{
			w.svc.Create(context.Background(), service.Actor{}, activity(f.Units["X1"], "Ẩn danh"), nil),
			w.svc.RequireWriter(service.Actor{}),
			func() error {
				_, err := w.svc.List(context.Background(), service.Actor{}, activitysvc.Filter{})
				return err
			}(),
			func() error { _, err := w.svc.Get(context.Background(), service.Actor{}, 1); return err }(),
		} {
			if !errors.Is(anon, service.ErrUnauthenticated) {
				t.Errorf("anonymous call: %v, want ErrUnauthenticated", anon)
			}
		}
	})
}

// TestPickerRoot checks the unit pickers' root: the actor's province for
// province-wide roles (two provinces here, so never "everything"), the
// actor's unit otherwise.
func TestPickerRoot(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		ctx := context.Background()
		for _, c := range []struct {
			actor string
			act   auth.Action
			want  string // "" for a refusal
		}{
			{"admin", auth.ActivityWrite, "40"}, {"coord", auth.ActivityRead, "40"}, {"coord.z", auth.ActivityWrite, "42"},
			{"focal.x", auth.ActivityWrite, "X1"}, {"viewer.x", auth.ActivityRead, "X1"}, {"viewer.x", auth.ActivityWrite, ""},
			{"police", auth.ActivityRead, "40-CA"}, {"learner", auth.ActivityRead, ""},
		} {
			root, err := w.svc.PickerRoot(ctx, f.Actors[c.actor], c.act)
			if c.want == "" {
				if !errors.Is(err, service.ErrForbidden) {
					t.Errorf("%s %s: %d %v, want forbidden", c.actor, c.act, root, err)
				}
				continue
			}
			if err != nil || root != f.Units[c.want] {
				t.Errorf("%s %s: %d %v, want %s", c.actor, c.act, root, err, c.want)
			}
		}
		if root, err := w.svc.PickerRoot(ctx, service.SystemActor, auth.ActivityWrite); root != 0 || err != nil {
			t.Errorf("system: %d %v, want 0 (every unit)", root, err)
		}
	})
}

// TestTaskLinks checks that an activity links only to tasks its unit
// reports on (led or coordinated by it or a unit above) of plans its author
// may read, on the form's list and on the write path alike.
func TestTaskLinks(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		ctx := context.Background()
		draft := w.plan(t, "40", plans.StatusDraft)
		hidden := &plans.Task{Number: "1", Content: "Nhiệm vụ trong dự thảo", Kind: plans.TimeContinuous, Lead: []int64{f.Units["X1"]}}
		if err := f.Store.CreateTasks(ctx, audit.System, draft.ID, []*plans.Task{hidden}); err != nil {
			t.Fatal(err)
		}
		fx, coord := f.Actors["focal.x"], f.Actors["coord"]
		x1, school := f.Units["X1"], f.Units["X1-THCS"]
		ids := func(list []*plans.Task) []int64 {
			var out []int64
			for _, t := range list {
				out = append(out, t.ID)
			}
			return out
		}

		// The school serves its own task, X1's and the province's, not a
		// sibling's; the draft plan's task only for those who read the draft.
		got, err := w.svc.Servable(ctx, fx, school)
		if err != nil {
			t.Fatal(err)
		}
		want := []int64{w.tasks["40"], w.tasks["X1"], w.tasks["X1-THCS"]}
		if !slices.Equal(ids(got), want) {
			t.Errorf("focal.x may link a school activity to %v, want %v", ids(got), want)
		}
		if got, _ := w.svc.Servable(ctx, coord, x1); !slices.Contains(ids(got), hidden.ID) {
			t.Errorf("the coordinator, who reads the draft, should be offered its task: %v", ids(got))
		}

		for _, c := range []struct {
			name  string
			actor service.Actor
			unit  int64
			task  int64
			want  string
		}{
			{"own task", fx, x1, w.tasks["X1"], "ok"},
			{"task of the unit above", fx, school, w.tasks["X1"], "ok"},
			{"task of a sibling", fx, x1, w.tasks["Y1"], "invalid tasks: activity.err.task"},
			{"task of a unit below", fx, x1, w.tasks["X1-THCS"], "invalid tasks: activity.err.task"},
			{"task of another province", f.Actors["admin"], x1, w.tasks["Z1"], "invalid tasks: activity.err.task"},
			{"task of a draft plan one may not read", fx, x1, hidden.ID, "invalid tasks: activity.err.task"},
			{"task of a draft plan one reads", coord, x1, hidden.ID, "ok"},
			{"unknown task", fx, x1, 999999, "invalid tasks: activity.err.task"},
		} {
			a := activity(c.unit, "Tập huấn: "+c.name)
			a.Tasks = []int64{c.task}
			if got := outcome(t, w.svc.Create(ctx, c.actor, a, nil)); got != c.want {
				t.Errorf("%s: %s, want %s", c.name, got, c.want)
			}
		}

		// An activity linked by the coordinator to the draft's task: focal.x
		// reads the activity but not the task, nor can preselect it.
		a := activity(x1, "Ghi nhận theo dự thảo")
		a.Tasks = []int64{hidden.ID, w.tasks["X1"]}
		if err := w.svc.Create(ctx, coord, a, nil); err != nil {
			t.Fatal(err)
		}
		if linked, err := w.svc.LinkedTasks(ctx, fx, a); err != nil || !slices.Equal(ids(linked), []int64{w.tasks["X1"]}) {
			t.Errorf("focal.x sees linked tasks %v (%v), want only X1's", ids(linked), err)
		}
		if linked, _ := w.svc.LinkedTasks(ctx, coord, a); len(linked) != 2 {
			t.Errorf("the coordinator sees %d linked tasks, want 2", len(linked))
		}
		if _, err := w.svc.Draft(ctx, fx, hidden.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("focal.x preselecting the draft's task: %v, want not found", err)
		}
		// A province-wide role starting from a task records for its lead unit.
		d, err := w.svc.Draft(ctx, coord, w.tasks["Y1"])
		if err != nil || d.UnitID != f.Units["Y1"] || !slices.Equal(d.Tasks, []int64{w.tasks["Y1"]}) {
			t.Errorf("coordinator's draft from Y1's task: %+v %v", d, err)
		}
		if _, err := w.svc.Draft(ctx, f.Actors["coord.z"], w.tasks["X1"]); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another province's coordinator starting from X1's task: %v, want not found", err)
		}
	})
}

// TestCheck checks that the service reports the reader's findings together
// with its own, each field once.
func TestCheck(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		a := activity(f.Units["X1"], "")
		a.Type, a.Start = "picnic", dates.Date{}
		found := validation.Errors{{Field: "start", Reason: "err.date"}}
		err := w.svc.Create(context.Background(), f.Actors["focal.x"], a, found)
		var ve validation.Errors
		if !errors.As(err, &ve) {
			t.Fatalf("create: %v, want validation errors", err)
		}
		var fields []string
		for _, e := range ve {
			fields = append(fields, e.Field+" "+e.Reason)
		}
		if want := []string{"start err.date", "type activity.err.type", "title err.required"}; !slices.Equal(fields, want) {
			t.Errorf("errors %v, want %v", fields, want)
		}
	})
}

// TestListFilters checks the list's filters: literal words (a "%" or "_"
// is not a wildcard), years, dates and types, and that bad values are
// validation errors.
func TestListFilters(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		ctx := context.Background()
		x1 := f.Units["X1"]
		percent := w.recorded(t, x1, "Giảm 50% vụ lừa đảo")
		under := w.recorded(t, x1, "Chiến dịch ATTT_2026")
		plain := w.recorded(t, x1, "Tập huấn thường niên")
		old := activity(x1, "Hội nghị năm trước")
		old.Start, old.Type = dates.MustParse("2025-11-20"), "seminar"
		if err := w.svc.Create(ctx, service.SystemActor, old, nil); err != nil {
			t.Fatal(err)
		}
		fx := f.Actors["focal.x"]
		for _, c := range []struct {
			name string
			f    activitysvc.Filter
			want []int64
		}{
			{"percent", activitysvc.Filter{Query: "%"}, []int64{percent.ID}},
			{"underscore", activitysvc.Filter{Query: "_"}, []int64{under.ID}},
			{"words without diacritics", activitysvc.Filter{Query: "tap huan"}, []int64{plain.ID}},
			{"year", activitysvc.Filter{Year: 2025}, []int64{old.ID}},
			{"from", activitysvc.Filter{From: dates.MustParse("2026-01-01")}, []int64{percent.ID, under.ID, plain.ID}},
			{"year and to", activitysvc.Filter{Year: 2025, To: dates.MustParse("2025-06-30")}, nil},
			{"type", activitysvc.Filter{Type: "seminar"}, []int64{old.ID}},
		} {
			c.f.Limit = 50
			page, err := w.svc.List(ctx, fx, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []int64
			for _, a := range page.Items {
				got = append(got, a.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) || page.Total != len(c.want) {
				t.Errorf("%s: %v (total %d), want %v", c.name, got, page.Total, c.want)
			}
		}
		_, err := w.svc.List(ctx, fx, activitysvc.Filter{Year: 1999, Type: "picnic"})
		var ve validation.Errors
		if !errors.As(err, &ve) || !ve.Has("year") || !ve.Has("type") {
			t.Errorf("bad filters: %v", err)
		}
	})
}

// TestImport checks that an import is all or nothing unless invalid rows
// are skipped, and that an unreadable file writes nothing.
func TestImport(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		ctx := context.Background()
		fx := f.Actors["focal.x"]
		count := func() int {
			_, n, err := f.Store.Activities(ctx, store.ActivityFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		csv := "unit_code;type;title;channel;start;audiences\n" +
			"X1;training_class;Hợp lệ;in_person;01/03/2026;citizens\n" +
			"Y1;training_class;Đơn vị khác;in_person;01/03/2026;citizens\n" +
			"Z1;training_class;Tỉnh khác;in_person;01/03/2026;citizens\n" +
			"ZZ;training_class;Không có;in_person;01/03/2026;citizens\n"
		res, err := w.svc.Import(ctx, fx, "a.csv", strings.NewReader(csv), false)
		if err != nil || !res.Rejected || res.Written != 0 || res.Rows != 4 || res.Invalid != 3 || count() != 0 {
			t.Fatalf("invalid rows: %+v %v, %d stored", res, err, count())
		}
		var reasons []string
		for _, is := range res.Issues {
			reasons = append(reasons, fmt.Sprintf("%d %s", is.Row, is.Reason))
		}
		if want := []string{"3 err.out_of_scope", "4 err.out_of_scope", "5 unit.err.code_unknown"}; !slices.Equal(reasons, want) {
			t.Errorf("issues %v, want %v", reasons, want)
		}
		res, err = w.svc.Import(ctx, fx, "a.csv", strings.NewReader(csv), true)
		if err != nil || res.Rejected || res.Written != 1 || count() != 1 {
			t.Errorf("skipping invalid rows: %+v %v, %d stored", res, err, count())
		}
		res, err = w.svc.Import(ctx, fx, "a.csv", strings.NewReader("title\nX\n"), true)
		if err != nil || !res.Unreadable || !res.Rejected || len(res.Issues) == 0 || count() != 1 {
			t.Errorf("unreadable file: %+v %v", res, err)
		}
	})
}

// An import takes the template's own catalogue values, refuses dates more
// than a year after the service's today (15/06/2026) and, even when invalid
// rows are skipped, a file whose text was misread writes nothing.
func TestImportTemplateValuesAndDates(t *testing.T) {
	head := "unit_code;type;title;channel;start;end;audiences\n"
	cases := []struct {
		name, row string
		written   int
		issue     string // "row col reason" of the only issue
	}{
		{"catalogue values", "X1;Lớp tập huấn, bồi dưỡng (training_class);Tập huấn;Trực tiếp (in_person);01/03/2026;;Người dân (citizens); Học sinh (pupils)\n", 1, ""},
		{"catalogue values without diacritics", "X1;lop tap huan, boi duong (training_class);Tập huấn;truc tiep (in_person);01/03/2026;;nguoi dan (citizens)\n", 1, ""},
		{"a year ahead", "X1;seminar;Hội nghị;in_person;15/06/2027;;citizens\n", 1, ""},
		{"start more than a year ahead", "X1;seminar;Hội nghị;in_person;16/06/2027;;citizens\n", 0, "2 5 activity.err.date_ahead"},
		{"end more than a year ahead", "X1;seminar;Hội nghị;in_person;01/06/2026;01/06/2062;citizens\n", 0, "2 6 activity.err.date_ahead"},
		{"misread text", "X1;seminar;Há»™i nghá»‹;in_person;01/06/2026;;citizens\n", 0, "2 3 imports.err.mojibake"},
	}
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		ctx := context.Background()
		fx := f.Actors["focal.x"]
		before := 0
		for _, c := range cases {
			res, err := w.svc.Import(ctx, fx, "a.csv", strings.NewReader(head+c.row), true)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			_, n, err := f.Store.Activities(ctx, store.ActivityFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Written != c.written || n != before+c.written {
				t.Errorf("%s: written %d (stored %d→%d), want %d; issues %+v", c.name, res.Written, before, n, c.written, res.Issues)
			}
			before = n
			var got string
			if len(res.Issues) == 1 {
				is := res.Issues[0]
				got = fmt.Sprintf("%d %d %s", is.Row, is.Col, is.Reason)
			}
			if got != c.issue || len(res.Issues) > 1 {
				t.Errorf("%s: issues %+v, want %q", c.name, res.Issues, c.issue)
			}
		}
	})
}
