package plansvc_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"khienso/internal/activities"
	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/service"
	"khienso/internal/service/plansvc"
	"khienso/internal/service/servicetest"
	"khienso/internal/store"
	"khienso/internal/validation"
)

// world is the fixture with, at every unit, an issued plan and a draft,
// each with one indicator.
type world struct {
	*servicetest.Fixture
	svc    *plansvc.Service
	issued map[int64]*plans.Plan // by unit id
	draft  map[int64]*plans.Plan
	ind    map[int64]int64 // plan id → its indicator's id
}

func classes() plans.Indicator {
	return plans.Indicator{Code: "classes", Name: "Số lớp tập huấn", MeasureUnit: "lớp", Formula: "count(type=training_class)",
		Comparison: "at_least", Value: 3, Period: plans.PeriodYearly}
}

func newWorld(t *testing.T, f *servicetest.Fixture) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{Fixture: f, svc: plansvc.New(f.Store, f.Access, &progress.Service{Store: f.Store}),
		issued: map[int64]*plans.Plan{}, draft: map[int64]*plans.Plan{}, ind: map[int64]int64{}}
	for code, id := range f.Units {
		for _, st := range []plans.Status{plans.StatusInEffect, plans.StatusDraft} {
			in := plansvc.NewPlan{Unit: id, Fields: plansvc.Fields{Title: fmt.Sprintf("Kế hoạch %s %s", st, code), Number: "1/KH-" + code,
				YearFrom: 2025, YearTo: 2027, Status: st}}
			if st != plans.StatusDraft {
				in.IssuedOn = dates.MustParse("2025-01-10")
			}
			p, err := w.svc.CreatePlan(ctx, service.SystemActor, in)
			if err != nil {
				t.Fatalf("plan of %s: %v", code, err)
			}
			ind := classes()
			if err := w.svc.SaveIndicator(ctx, service.SystemActor, p.ID, &ind); err != nil {
				t.Fatalf("indicator of %s: %v", code, err)
			}
			w.ind[p.ID] = ind.ID
			if st == plans.StatusDraft {
				w.draft[id] = p
			} else {
				w.issued[id] = p
			}
		}
	}
	return w
}

// canRead is the read rule: staff read the issued plans of their province
// and the drafts of units where they may write plans or read activities.
func canRead(f *servicetest.Fixture, actor string, rel servicetest.Relation, draft bool) bool {
	if !f.Actors[actor].Principal.Staff() {
		return false
	}
	if !draft {
		return rel != servicetest.OtherProvince
	}
	return servicetest.Expect(f, actor, auth.PlanWrite, rel) || servicetest.Expect(f, actor, auth.ActivityRead, rel)
}

// outcome names an error for messages: ok, not-found, forbidden, …
func outcome(err error) string {
	var ve validation.Errors
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, store.ErrNotFound):
		return "not-found"
	case errors.Is(err, service.ErrForbidden):
		return "forbidden"
	case errors.Is(err, service.ErrUnauthenticated):
		return "unauthenticated"
	case errors.As(err, &ve):
		return "invalid " + ve.Error()
	}
	return err.Error()
}

// expectRead is the outcome of reading a plan: forbidden for non-staff,
// not found when hidden.
func expectRead(f *servicetest.Fixture, actor string, rel servicetest.Relation, draft bool) string {
	switch {
	case !f.Actors[actor].Principal.Staff():
		return "forbidden"
	case !canRead(f, actor, rel, draft):
		return "not-found"
	}
	return "ok"
}

// expectWrite is the outcome of changing a plan: as reading, then
// plan.write on its unit.
func expectWrite(f *servicetest.Fixture, actor string, rel servicetest.Relation, draft bool) string {
	if r := expectRead(f, actor, rel, draft); r != "ok" {
		return r
	}
	if !servicetest.Expect(f, actor, auth.PlanWrite, rel) {
		return "forbidden"
	}
	return "ok"
}

// TestAccessMatrix checks every method of the service for every actor, on
// the issued plan and the draft of every unit standing in each relation to
// the actor's unit.
func TestAccessMatrix(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		ctx := context.Background()
		for _, name := range servicetest.ActorNames {
			actor := f.Actors[name]
			staff := actor.Principal.Staff()
			listed := map[int64]bool{}
			list, err := w.svc.Plans(ctx, actor, plansvc.PlanQuery{})
			if staff != (err == nil) {
				t.Errorf("%s lists plans: %v", name, err)
			}
			for _, p := range list {
				listed[p.ID] = true
			}
			for _, rel := range servicetest.Relations {
				unit, ok := f.Target(name, rel)
				if !ok {
					continue
				}
				for _, draft := range []bool{false, true} {
					p := w.issued[unit]
					if draft {
						p = w.draft[unit]
					}
					w.checkPlan(t, name, rel, draft, p, listed[p.ID])
				}
				w.checkCreate(t, name, rel, unit)
				w.checkValues(t, name, rel, unit)
			}
			w.checkStaffOnly(t, name)
		}
		// Nobody signed in: every method asks for a sign-in.
		anon := service.Actor{}
		p := w.issued[f.Units["40"]]
		for what, err := range map[string]error{
			"plans":  second(w.svc.Plans(ctx, anon, plansvc.PlanQuery{})),
			"plan":   second(w.svc.Plan(ctx, anon, p.ID)),
			"create": second(w.svc.CreatePlan(ctx, anon, plansvc.NewPlan{Unit: f.Units["40"], Fields: plansvc.Fields{Title: "x", YearFrom: 2025, YearTo: 2025, Status: plans.StatusDraft}})),
			"update": second(w.svc.UpdatePlan(ctx, anon, p.ID, plansvc.FieldsOf(p))),
			"values": second(w.svc.Values(ctx, anon, p.ID, plansvc.Query{}, false)),
			"check":  second(w.svc.CheckIndicator(ctx, anon, 0, &plans.Indicator{})),
			"delete": w.svc.DeleteIndicator(ctx, anon, 0, w.ind[p.ID]),
		} {
			if !errors.Is(err, service.ErrUnauthenticated) {
				t.Errorf("anonymous %s: %v, want ErrUnauthenticated", what, err)
			}
		}
	})
}

func second[T any](_ T, err error) error { return err }

// checkPlan runs every method that acts on an existing plan.
func (w *world) checkPlan(t *testing.T, name string, rel servicetest.Relation, draft bool, p *plans.Plan, listed bool) {
	t.Helper()
	ctx := context.Background()
	actor := w.Actors[name]
	f := w.Fixture
	kind := map[bool]string{false: "issued", true: "draft"}[draft]
	want := expectRead(f, name, rel, draft)
	if listed != (want == "ok") {
		t.Errorf("%s lists the %s plan of the %s unit: %v, want %v", name, kind, rel, listed, want == "ok")
	}
	if ok, err := w.svc.CanRead(ctx, actor, p); err != nil || ok != (want == "ok") {
		t.Errorf("%s CanRead %s plan of %s unit = %v %v", name, kind, rel, ok, err)
	}
	reads := map[string]error{
		"Plan":       second(w.svc.Plan(ctx, actor, p.ID)),
		"Indicators": func() error { _, _, err := w.svc.Indicators(ctx, actor, p.ID); return err }(),
		"Indicator":  second(w.svc.Indicator(ctx, actor, w.ind[p.ID])),
		"Check":      second(w.svc.CheckIndicator(ctx, actor, p.ID, &plans.Indicator{Code: "x"})),
	}
	for what, err := range reads {
		if got := outcome(err); got != want {
			t.Errorf("%s %s on the %s plan of the %s unit: %s, want %s", name, what, kind, rel, got, want)
		}
	}
	wantW := expectWrite(f, name, rel, draft)
	ind := classes()
	ind.ID = w.ind[p.ID]
	scratch := classes()
	scratch.Code = "scratch"
	if err := w.svc.SaveIndicator(ctx, service.SystemActor, p.ID, &scratch); err != nil {
		t.Fatal(err)
	}
	writes := map[string]error{
		"UpdatePlan":      second(w.svc.UpdatePlan(ctx, actor, p.ID, plansvc.FieldsOf(p))),
		"SetStatus":       second(w.svc.SetStatus(ctx, actor, p.ID, p.Status, dates.Date{})),
		"SaveIndicator":   w.svc.SaveIndicator(ctx, actor, p.ID, &ind),
		"DeleteIndicator": w.svc.DeleteIndicator(ctx, actor, p.ID, scratch.ID),
		"RequireWrite":    w.svc.RequireWrite(ctx, actor, p),
	}
	for what, err := range writes {
		want := wantW
		if what == "RequireWrite" && want == "not-found" {
			want = "forbidden" // asked about a plan already loaded
		}
		if got := outcome(err); got != want {
			t.Errorf("%s %s on the %s plan of the %s unit: %s, want %s", name, what, kind, rel, got, want)
		}
	}
	if ok, err := w.svc.CanWrite(ctx, actor, p); err != nil || ok != servicetest.Expect(f, name, auth.PlanWrite, rel) {
		t.Errorf("%s CanWrite %s plan of %s unit = %v %v", name, kind, rel, ok, err)
	}
	if wantW != "ok" {
		if err := w.svc.DeleteIndicator(ctx, service.SystemActor, p.ID, scratch.ID); err != nil {
			t.Fatal(err)
		}
	}
}

// checkCreate creates a plan for unit: plan.write there.
func (w *world) checkCreate(t *testing.T, name string, rel servicetest.Relation, unit int64) {
	t.Helper()
	want := "forbidden"
	if servicetest.Expect(w.Fixture, name, auth.PlanWrite, rel) {
		want = "ok"
	}
	_, err := w.svc.CreatePlan(context.Background(), w.Actors[name], plansvc.NewPlan{Unit: unit,
		Fields: plansvc.Fields{Title: "Kế hoạch mới", YearFrom: 2026, YearTo: 2026, Status: plans.StatusDraft}})
	if got := outcome(err); got != want {
		t.Errorf("%s creates a plan for the %s unit: %s, want %s", name, rel, got, want)
	}
}

// checkValues computes the indicators of the actor's province plan (which
// every staff member of the province reads) for unit: activity.read there.
func (w *world) checkValues(t *testing.T, name string, rel servicetest.Relation, unit int64) {
	t.Helper()
	ctx := context.Background()
	actor := w.Actors[name]
	root := w.Units["40"]
	if servicetest.UnitOf(name) == "42-SKHCN" || servicetest.UnitOf(name) == "Z1" {
		root = w.Units["42"]
	}
	p := w.issued[root]
	want := "ok"
	switch {
	case !actor.Principal.Staff():
		want = "forbidden"
	case !servicetest.Expect(w.Fixture, name, auth.ActivityRead, rel):
		want = "forbidden"
	}
	q := plansvc.Query{Unit: unit, Year: 2026}
	bd, err := w.svc.Breakdown(ctx, actor, p.ID, w.ind[p.ID], q, false)
	if got := outcome(err); got != want {
		t.Errorf("%s breakdown under the %s unit: %s, want %s", name, rel, got, want)
	}
	vals, err := w.svc.Values(ctx, actor, p.ID, q, true)
	if got := outcome(err); got != want {
		t.Errorf("%s values of the %s unit: %s, want %s", name, rel, got, want)
	}
	if err == nil && (vals.Unit.ID != unit || len(vals.Results) != 1 || len(vals.Series[0]) != 2 || bd.Unit.ID != unit) {
		t.Errorf("%s values of the %s unit: %+v", name, rel, vals)
	}
}

// checkStaffOnly runs the methods that name no plan.
func (w *world) checkStaffOnly(t *testing.T, name string) {
	t.Helper()
	ctx := context.Background()
	actor := w.Actors[name]
	staff := actor.Principal.Staff()
	progs, err := w.svc.Programmes(ctx, actor)
	if staff != (err == nil) || (!staff && !errors.Is(err, service.ErrForbidden)) {
		t.Errorf("%s lists programmes: %v", name, err)
	}
	if staff && len(progs) > 0 {
		if _, err := w.svc.Programme(ctx, actor, progs[0].ID); err != nil {
			t.Errorf("%s reads a programme: %v", name, err)
		}
	}
	if _, err := w.svc.CheckIndicator(ctx, actor, 0, &plans.Indicator{}); staff != (err == nil) {
		t.Errorf("%s checks an indicator: %v", name, err)
	}
	c, err := w.svc.Choices(ctx, actor)
	if writer := actor.Principal.Can(auth.PlanWrite); writer != (err == nil) {
		t.Errorf("%s opens the new-plan form: %v", name, err)
	} else if writer {
		province, _ := actor.Principal.Scope(auth.PlanWrite)
		if province != (c.Units != nil) {
			t.Errorf("%s is offered units %v", name, len(c.Units))
		}
		mine, _ := w.Access.ProvinceOf(ctx, actor.Principal.UnitID)
		for _, u := range c.Units {
			if theirs, _ := w.Access.ProvinceOf(ctx, u.ID); theirs != mine {
				t.Errorf("%s is offered unit %s of another province", name, u.Code)
			}
		}
		for _, p := range c.Parents {
			if p.Status == plans.StatusDraft || !p.TopLevel() {
				t.Errorf("%s is offered parent %s", name, p.Title)
			}
			if theirs, _ := w.Access.ProvinceOf(ctx, p.UnitID); theirs != mine {
				t.Errorf("%s is offered the parent %s of another province", name, p.Title)
			}
		}
		if len(c.Parents) == 0 {
			t.Errorf("%s is offered no parent", name)
		}
	}
}

// The parent of a new plan must be a top-level plan of the same province
// that the creator may read: a focal point could once link their plan to
// another unit's draft and read its number and title on their plan's page.
func TestParentRule(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		ctx := context.Background()
		u := f.Units
		child, err := w.svc.CreatePlan(ctx, service.SystemActor, plansvc.NewPlan{Unit: u["Y1"], Parent: w.issued[u["40"]].ID,
			Fields: plansvc.Fields{Title: "Kế hoạch thực hiện của Y1", Status: plans.StatusDraft}})
		if err != nil {
			t.Fatal(err)
		}
		if child.YearFrom != 2025 || child.YearTo != 2027 {
			t.Errorf("a child plan takes its parent's period by default: %d–%d", child.YearFrom, child.YearTo)
		}
		for _, c := range []struct {
			name   string
			actor  string
			unit   int64
			parent int64
			ok     bool
		}{
			{"the province's issued plan", "focal.x", 0, w.issued[u["40"]].ID, true},
			{"the unit's own draft", "focal.x", 0, w.draft[u["X1"]].ID, true},
			{"another unit's draft", "focal.x", 0, w.draft[u["Y1"]].ID, false},
			{"a province draft the focal point may not read", "focal.x", 0, w.draft[u["40"]].ID, false},
			{"a province draft the coordinator reads", "coord", u["X1"], w.draft[u["40"]].ID, true},
			{"another province's issued plan", "focal.x", 0, w.issued[u["Z1"]].ID, false},
			{"another province's plan, by a coordinator", "coord", u["X1"], w.issued[u["42"]].ID, false},
			{"another province's plan, by the system", "", u["X1"], w.issued[u["42"]].ID, false},
			{"a unit's plan (not top-level)", "focal.y", 0, child.ID, false},
			{"no such plan", "focal.x", 0, 999999, false},
		} {
			actor := service.SystemActor
			if c.actor != "" {
				actor = f.Actors[c.actor]
			}
			p, err := w.svc.CreatePlan(ctx, actor, plansvc.NewPlan{Unit: c.unit, Parent: c.parent,
				Fields: plansvc.Fields{Title: "Kế hoạch của xã", Status: plans.StatusDraft, YearFrom: 2026, YearTo: 2026}})
			var ve validation.Errors
			switch {
			case c.ok && err != nil:
				t.Errorf("%s: %v", c.name, err)
			case c.ok && p.ParentID != c.parent:
				t.Errorf("%s: parent %d, want %d", c.name, p.ParentID, c.parent)
			case !c.ok && (!errors.As(err, &ve) || len(ve) != 1 || ve[0].Field != "parent" || ve[0].Reason != "plan.err.parent"):
				t.Errorf("%s: %v, want a field error on parent", c.name, err)
			}
		}
		// A parent the reader may not see stays off the child's page.
		rel, err := w.svc.Related(ctx, f.Actors["focal.y"], child)
		if err != nil || rel.Parent == nil || rel.Parent.ID != w.issued[u["40"]].ID {
			t.Errorf("Y1's plan shows its parent to Y1: %+v %v", rel, err)
		}
		hidden, err := w.svc.CreatePlan(ctx, f.Actors["coord"], plansvc.NewPlan{Unit: u["X1"], Parent: w.draft[u["40"]].ID,
			Fields: plansvc.Fields{Title: "Kế hoạch soạn cùng tỉnh", Status: plans.StatusDraft, YearFrom: 2026, YearTo: 2026}})
		if err != nil {
			t.Fatal(err)
		}
		if rel, err := w.svc.Related(ctx, f.Actors["viewer.x"], hidden); err != nil || rel.Parent != nil {
			t.Errorf("X1's viewer sees the province draft through X1's plan: %+v %v", rel, err)
		}
		// Children: the coordinator sees Y1's and X1's drafts, X1 its own.
		if rel, err := w.svc.Related(ctx, f.Actors["coord"], w.issued[u["40"]]); err != nil || len(rel.Children) != 2 {
			t.Errorf("the coordinator sees the province plan's children: %+v %v", rel, err)
		}
		if rel, err := w.svc.Related(ctx, f.Actors["focal.x"], w.issued[u["40"]]); err != nil || len(rel.Children) != 1 || rel.Children[0].UnitID != u["X1"] {
			t.Errorf("X1 sees Y1's draft among the province plan's children: %+v %v", rel, err)
		}
	})
}

// Status changes: never back to draft once issued; issuing needs a date;
// the UPDATE refuses a plan whose status changed meanwhile.
func TestStatusChanges(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		ctx := context.Background()
		coord := f.Actors["coord"]
		issued, draft := w.issued[f.Units["X1"]], w.draft[f.Units["X1"]]
		fieldOf := func(err error) string {
			var ve validation.Errors
			if errors.As(err, &ve) && len(ve) > 0 {
				return ve[0].Field + " " + ve[0].Reason
			}
			return outcome(err)
		}
		if _, err := w.svc.SetStatus(ctx, coord, issued.ID, plans.StatusDraft, dates.Date{}); fieldOf(err) != "status plan.err.status_back" {
			t.Errorf("issued → draft: %v", err)
		}
		f1 := plansvc.FieldsOf(issued)
		f1.Status = plans.StatusDraft
		if _, err := w.svc.UpdatePlan(ctx, coord, issued.ID, f1); fieldOf(err) != "status plan.err.status_back" {
			t.Errorf("issued → draft through the form: %v", err)
		}
		if _, err := w.svc.SetStatus(ctx, coord, draft.ID, plans.StatusInEffect, dates.Date{}); fieldOf(err) != "issued_on plan.err.issued_on" {
			t.Errorf("issuing without a date: %v", err)
		}
		if _, err := w.svc.SetStatus(ctx, coord, draft.ID, "archived", dates.Date{}); fieldOf(err) != "status err.invalid" {
			t.Errorf("unknown status: %v", err)
		}
		p, err := w.svc.SetStatus(ctx, coord, draft.ID, plans.StatusInEffect, dates.MustParse("2026-02-01"))
		if err != nil || p.Status != plans.StatusInEffect || p.IssuedOn.ISO() != "2026-02-01" {
			t.Fatalf("issue: %+v %v", p, err)
		}
		for _, st := range []plans.Status{plans.StatusClosed, plans.StatusInEffect} {
			if p, err = w.svc.SetStatus(ctx, coord, draft.ID, st, dates.Date{}); err != nil || p.Status != st {
				t.Errorf("→ %s: %v", st, err)
			}
		}
		// An empty status keeps the stored one (API PATCH).
		f2 := plansvc.FieldsOf(p)
		f2.Status, f2.Title = "", "Tên mới"
		if p, err = w.svc.UpdatePlan(ctx, coord, draft.ID, f2); err != nil || p.Status != plans.StatusInEffect || p.Title != "Tên mới" {
			t.Errorf("edit keeping the status: %+v %v", p, err)
		}
		// The race guard: a change decided on a stale status is refused.
		stale := *p
		stale.Status = plans.StatusClosed
		if err := f.Store.UpdatePlan(ctx, audit.System, &stale, plans.StatusDraft); !errors.Is(err, store.ErrPlanChanged) {
			t.Errorf("stale update: %v", err)
		}
	})
}

// The indicator check answers exactly what saving would refuse.
func TestIndicatorCheck(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		ctx := context.Background()
		coord := f.Actors["coord"]
		p := w.issued[f.Units["40"]]
		for _, c := range []struct {
			name string
			ind  plans.Indicator
			want []string // field reason
		}{
			{"fine", plans.Indicator{Code: "New.Code", Name: "Chỉ tiêu", Formula: "count()", Comparison: "at_least", Value: 1, Period: plans.PeriodYearly}, nil},
			{"formula", plans.Indicator{Code: "f", Name: "Chỉ tiêu", Formula: "count(type=training_class) + units(unit_typ=commune)",
				Comparison: "at_least", Value: 1, Period: plans.PeriodYearly}, []string{"formula formula.err.key_not_allowed"}},
			{"everything", plans.Indicator{Code: "Số lớp", Formula: "", Comparison: "between", Value: 5, Max: 3, Period: "monthly"},
				[]string{"code indicator.err.code", "name err.required", "period err.invalid", "formula formula.err.empty", "max attain.err.max_order"}},
			{"code taken", plans.Indicator{Code: "CLASSES", Name: "Lớp", Formula: "count()", Comparison: "at_most", Value: 1, Period: plans.PeriodYearly},
				[]string{"code indicator.err.code_taken"}},
		} {
			checked, saved := c.ind, c.ind
			errs, err := w.svc.CheckIndicator(ctx, coord, p.ID, &checked)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Field+" "+e.Reason)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s: check = %v, want %v", c.name, got, c.want)
			}
			err = w.svc.SaveIndicator(ctx, coord, p.ID, &saved)
			var ve validation.Errors
			if c.want == nil {
				if err != nil {
					t.Errorf("%s: save = %v", c.name, err)
				}
				if saved.Code != "new.code" {
					t.Errorf("saved code %q, want it lower-cased", saved.Code)
				}
			} else if !errors.As(err, &ve) || fmt.Sprint(ve) != fmt.Sprint(errs) {
				t.Errorf("%s: save = %v, check = %v: they must agree", c.name, err, errs)
			}
		}
		// Editing keeps its own code; another plan's indicator is not found
		// under this plan.
		own := classes()
		own.ID = w.ind[p.ID]
		if errs, err := w.svc.CheckIndicator(ctx, coord, p.ID, &own); err != nil || len(errs) != 0 {
			t.Errorf("an indicator's own code: %v %v", errs, err)
		}
		other := classes()
		other.ID = w.ind[w.issued[f.Units["X1"]].ID]
		if err := w.svc.SaveIndicator(ctx, coord, p.ID, &other); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("saving another plan's indicator under this one: %v", err)
		}
		if err := w.svc.DeleteIndicator(ctx, coord, p.ID, other.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleting another plan's indicator under this one: %v", err)
		}
		if _, err := w.svc.CheckIndicator(ctx, f.Actors["focal.y"], w.draft[f.Units["X1"]].ID, &own); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("checking against a hidden draft: %v", err)
		}
	})
}

// Creating from a programme copies its targets and period.
func TestCreateFromProgramme(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		ctx := context.Background()
		if err := f.Store.EnsureProgrammes(ctx, plans.BuiltinProgrammes()); err != nil {
			t.Fatal(err)
		}
		progs, err := w.svc.Programmes(ctx, f.Actors["coord"])
		if err != nil || len(progs) == 0 {
			t.Fatalf("programmes: %v", err)
		}
		prog := progs[0]
		p, err := w.svc.CreatePlan(ctx, f.Actors["coord"], plansvc.NewPlan{Programme: prog.ID,
			Fields: plansvc.Fields{Title: "Kế hoạch theo mẫu", Status: plans.StatusDraft}})
		if err != nil {
			t.Fatal(err)
		}
		_, inds, err := w.svc.Indicators(ctx, f.Actors["coord"], p.ID)
		if err != nil || len(inds) != len(prog.Targets) || p.UnitID != f.Units["40-SKHCN"] ||
			p.YearFrom != prog.YearFrom || p.YearTo != prog.YearTo || p.ProgrammeID != prog.ID {
			t.Errorf("plan %+v with %d indicators (%v), programme %s has %d", p, len(inds), err, prog.Code, len(prog.Targets))
		}
		_, err = w.svc.CreatePlan(ctx, f.Actors["coord"], plansvc.NewPlan{Programme: 999999,
			Fields: plansvc.Fields{Title: "x", Status: plans.StatusDraft, YearFrom: 2026, YearTo: 2026}})
		if ve, ok := err.(validation.Errors); !ok || ve[0].Field != "programme" {
			t.Errorf("unknown programme: %v", err)
		}
	})
}

// Indicator values: the default unit and year, and the years accepted.
func TestValuesQuery(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		ctx := context.Background()
		p := w.issued[f.Units["40"]]
		for _, c := range []struct {
			actor string
			q     plansvc.Query
			unit  string
			year  int
			bad   string
		}{
			{"coord", plansvc.Query{}, "40", 2026, ""},
			{"focal.x", plansvc.Query{}, "X1", 2026, ""},
			{"police", plansvc.Query{Year: 2025}, "40-CA", 2025, ""},
			{"coord", plansvc.Query{Year: 2030}, "", 0, "year dash.err.year"},
			{"coord", plansvc.Query{Year: 2030, AnyYear: true}, "40", 2030, ""},
			{"coord", plansvc.Query{Year: 1999, AnyYear: true}, "", 0, "year err.range"},
		} {
			v, err := w.svc.Values(ctx, f.Actors[c.actor], p.ID, c.q, false)
			var bq *plansvc.BadQuery
			switch {
			case c.bad != "":
				if !errors.As(err, &bq) || bq.Errs[0].Field+" "+bq.Errs[0].Reason != c.bad {
					t.Errorf("%s %+v: %v, want %s", c.actor, c.q, err, c.bad)
				}
			case err != nil:
				t.Errorf("%s %+v: %v", c.actor, c.q, err)
			case v.Unit.ID != f.Units[c.unit] || v.Year != c.year:
				t.Errorf("%s %+v: unit %s year %d, want %s %d", c.actor, c.q, v.Unit.Code, v.Year, c.unit, c.year)
			}
		}
		if _, err := w.svc.Values(ctx, f.Actors["coord"], p.ID, plansvc.Query{Unit: 999999}, false); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an unknown unit: %v", err)
		}
		if _, err := w.svc.Breakdown(ctx, f.Actors["coord"], p.ID, w.ind[w.issued[f.Units["X1"]].ID], plansvc.Query{}, false); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another plan's indicator: %v", err)
		}
		v, err := w.svc.Values(ctx, f.Actors["focal.x"], p.ID, plansvc.Query{}, false)
		if err != nil {
			t.Fatal(err)
		}
		chain, err := w.svc.Chain(ctx, f.Actors["focal.x"], v.View)
		if err != nil || len(chain) != 2 || chain[0].ID != f.Units["40"] || chain[0].Readable || chain[1].Readable {
			t.Errorf("X1's breadcrumb for its focal point: %+v %v (the province is named, not linked)", chain, err)
		}
	})
}

// A provincial target is not judged against one commune: below the plan's
// unit the dashboard gets the unit's part of the plan unit's value; at the
// plan's unit, none.
func TestContributionBelowThePlanUnit(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		w := newWorld(t, f)
		ctx := context.Background()
		for unit, n := range map[string]int{"X1": 1, "Y1": 3} {
			for i := range n {
				a := &activities.Activity{UnitID: f.Units[unit], Type: "training_class", Channel: "in_person", Title: fmt.Sprintf("Lớp %d", i),
					Start: dates.MustParse("2026-03-01"), Audiences: activities.SetOf("citizens"), Quantity: 1, Participants: 10}
				if err := f.Store.CreateActivity(ctx, audit.Actor{Label: "test"}, a); err != nil {
					t.Fatal(err)
				}
			}
		}
		p := w.issued[f.Units["40"]]
		cases := []struct {
			actor, unit string
			want        bool    // a contribution, not an assessment
			share       float64 // of the province's 4 classes; -1: no total for this reader
		}{
			{"coord", "40", false, 0},
			{"coord", "X1", true, 0.25},
			{"coord", "Y1", true, 0.75},
			{"focal.x", "X1", true, -1},
		}
		for _, c := range cases {
			v, err := w.svc.Values(ctx, f.Actors[c.actor], p.ID, plansvc.Query{Unit: f.Units[c.unit]}, false)
			if err != nil {
				t.Fatalf("%s on %s: %v", c.actor, c.unit, err)
			}
			if got := v.Contributions != nil; got != c.want {
				t.Errorf("%s on %s: contribution %v, want %v", c.actor, c.unit, got, c.want)
				continue
			}
			if !c.want {
				continue
			}
			ct := v.Contributions[0]
			switch {
			case ct.Of == nil || ct.Of.ID != f.Units["40"]:
				t.Errorf("%s on %s: contribution of %+v, want the province", c.actor, c.unit, ct.Of)
			case c.share < 0 && (ct.Total != nil || ct.HasShare):
				t.Errorf("%s on %s: the province's total shown to a reader below it: %+v", c.actor, c.unit, ct)
			case c.share >= 0 && (!ct.HasShare || ct.Share != c.share || ct.Total == nil || ct.Total.Value != 4):
				t.Errorf("%s on %s: share %v (%v) of %+v, want %v of 4", c.actor, c.unit, ct.Share, ct.HasShare, ct.Total, c.share)
			}
		}
		b, err := w.svc.Breakdown(ctx, f.Actors["coord"], p.ID, w.ind[p.ID], plansvc.Query{Unit: f.Units["Y1"]}, false)
		if err != nil || b.Contribution == nil || b.Contribution.Share != 0.75 {
			t.Errorf("breakdown under Y1: %+v %v, want a contribution of 75 %%", b.Contribution, err)
		}
	})
}
