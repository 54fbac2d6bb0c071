package unitsvc_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/service"
	"khienso/internal/service/servicetest"
	"khienso/internal/service/unitsvc"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// fixture is the two-province fixture with the units service over it.
type fixture struct {
	*servicetest.Fixture
	svc *unitsvc.Service
	n   int // scratch units made so far
}

func newFixture(t *testing.T, f *servicetest.Fixture) *fixture {
	return &fixture{Fixture: f, svc: unitsvc.New(f.Store, f.Access, t.Context(), nil)}
}

// today is the fixture's day.
var today = dates.Of(servicetest.Now.In(dates.Vietnam))

// scratch makes a unit under parent (by id) for a case to act on, so that
// changes leave the fixture's own units alone.
func (f *fixture) scratch(t *testing.T, parent int64) *units.Unit {
	t.Helper()
	f.n++
	u := &units.Unit{Code: fmt.Sprintf("S%d", f.n), Name: fmt.Sprintf("Đơn vị nháp %d", f.n), Type: units.TypeOther,
		ValidFrom: dates.MustParse("2021-01-01")}
	if err := f.Store.CreateUnit(context.Background(), audit.System, u, parent); err != nil {
		t.Fatal(err)
	}
	return u
}

// outcome checks err against an expected permission: nil when allowed,
// service.ErrForbidden otherwise.
func outcome(t *testing.T, what string, err error, allowed bool) {
	t.Helper()
	switch {
	case allowed && err != nil:
		t.Errorf("%s: %v, want it allowed", what, err)
	case !allowed && !errors.Is(err, service.ErrForbidden):
		t.Errorf("%s: %v, want ErrForbidden", what, err)
	}
}

// probe is one service method tried by an actor on a unit standing in a
// relation to the actor's unit; it reports the error and what was
// allowed.
type probe struct {
	name string
	act  auth.Action // the expected permission: servicetest.Expect for act
	run  func(t *testing.T, f *fixture, actor service.Actor, target int64) error
}

var probes = []probe{
	{"Unit (non-public fields)", auth.UnitRead, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		u, full, err := f.svc.Unit(t.Context(), a, target, today)
		if err != nil {
			return fmt.Errorf("public read refused: %w", err)
		}
		if full != (u.Focal.Phone != "") {
			t.Errorf("Unit: full=%v but phone %q", full, u.Focal.Phone)
		}
		return denied(full)
	}},
	{"Reader", auth.UnitRead, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		read, err := f.svc.Reader(t.Context(), a)
		if err != nil {
			return err
		}
		return denied(read(target))
	}},
	{"RightsOn.Read", auth.UnitRead, rights(func(r unitsvc.Rights) bool { return r.Read })},
	{"RightsOn.Write", auth.UnitWrite, rights(func(r unitsvc.Rights) bool { return r.Write })},
	{"RightsOn.Structure", auth.UnitStructure, rights(func(r unitsvc.Rights) bool { return r.Structure })},
	{"ForEdit", auth.UnitWrite, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		_, err := f.svc.ForEdit(t.Context(), a, target)
		return err
	}},
	{"ForStructure", auth.UnitStructure, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		_, err := f.svc.ForStructure(t.Context(), a, target)
		return err
	}},
	{"NewUnitParent", auth.UnitWrite, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		_, err := f.svc.NewUnitParent(t.Context(), a, target)
		return err
	}},
	{"Create", auth.UnitWrite, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		f.n++
		u := &units.Unit{Code: fmt.Sprintf("C%d", f.n), Name: "Đơn vị mới", Type: units.TypeOther, ValidFrom: today}
		return f.svc.Create(t.Context(), a, unitsvc.NewUnit{Unit: u, Parent: unitsvc.ByID(target)})
	}},
	{"Update", auth.UnitWrite, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		u, err := f.Store.Unit(t.Context(), target, today)
		if err != nil {
			t.Fatal(err)
		}
		u.ShortName = "Sửa"
		return f.svc.Update(t.Context(), a, unitsvc.Change{Unit: u})
	}},
	{"Move", auth.UnitStructure, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		src, dst := f.scratch(t, target), f.scratch(t, target)
		return f.svc.Move(t.Context(), a, src.ID, unitsvc.ByID(dst.ID), today, nil)
	}},
	{"PreviewMerge", auth.UnitStructure, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		src, dst := f.scratch(t, target), f.scratch(t, target)
		_, err := f.svc.PreviewMerge(t.Context(), a, unitsvc.MergeInput{Sources: []unitsvc.Ref{unitsvc.ByID(src.ID)}, Target: unitsvc.ByID(dst.ID), Date: today})
		return err
	}},
	{"Merge", auth.UnitStructure, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		src, dst := f.scratch(t, target), f.scratch(t, target)
		_, err := f.svc.Merge(t.Context(), a, unitsvc.MergeInput{Sources: []unitsvc.Ref{unitsvc.ByID(src.ID)}, Target: unitsvc.ByID(dst.ID), Date: today})
		return err
	}},
	{"Merge into a new unit", auth.UnitStructure, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		src := f.scratch(t, target)
		f.n++
		nu := &units.Unit{Code: fmt.Sprintf("M%d", f.n), Name: "Đơn vị kế thừa", Type: units.TypeOther}
		_, err := f.svc.Merge(t.Context(), a, unitsvc.MergeInput{Sources: []unitsvc.Ref{unitsvc.ByID(src.ID)}, New: nu,
			NewParent: unitsvc.ByID(target), Date: today})
		return err
	}},
	{"Close", auth.UnitStructure, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		return f.svc.Close(t.Context(), a, f.scratch(t, target).ID, today, nil)
	}},
	{"ImportSheet", auth.UnitImport, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		parent, err := f.Store.Unit(t.Context(), target, today)
		if err != nil {
			t.Fatal(err)
		}
		f.n++
		res, err := f.svc.ImportSheet(t.Context(), a, sheet(t, "Mã,Tên,Loại,Mã đơn vị cấp trên\nI%d,Đơn vị nhập,other,%s\n", f.n, parent.Code), false, nil)
		if err != nil {
			return err
		}
		if res.Written == 0 {
			if len(res.Report) != 1 || res.Report[0].Reason != "import.err.parent_out_of_scope" {
				t.Errorf("ImportSheet refused with %+v", res.Report)
			}
			return service.ErrForbidden
		}
		return nil
	}},
	{"ImportSheet (update)", auth.UnitImport, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		u := f.scratch(t, target)
		res, err := f.svc.ImportSheet(t.Context(), a, sheet(t, "Mã,Tên\n%s,Tên mới\n", u.Code), false, nil)
		if err != nil {
			return err
		}
		if res.Written == 0 {
			if len(res.Report) != 1 || res.Report[0].Reason != "import.err.out_of_scope" {
				t.Errorf("ImportSheet refused with %+v", res.Report)
			}
			return service.ErrForbidden
		}
		return nil
	}},
	{"Export", auth.UnitImport, func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		list, err := f.svc.Export(t.Context(), a, today)
		if err != nil {
			return err
		}
		return denied(slices.ContainsFunc(list, func(e units.Entry) bool { return e.Unit.ID == target }))
	}},
}

// denied is nil when ok, else service.ErrForbidden.
func denied(ok bool) error {
	if ok {
		return nil
	}
	return service.ErrForbidden
}

func rights(pick func(unitsvc.Rights) bool) func(t *testing.T, f *fixture, a service.Actor, target int64) error {
	return func(t *testing.T, f *fixture, a service.Actor, target int64) error {
		r, err := f.svc.RightsOn(t.Context(), a, target)
		if err != nil {
			return err
		}
		return denied(pick(r))
	}
}

func sheet(t *testing.T, format string, args ...any) *units.Sheet {
	t.Helper()
	s, err := units.ParseFile("units.csv", strings.NewReader(fmt.Sprintf(format, args...)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestAccessMatrix tries every method of the service as every role on
// units in every relation to the role's unit: province-wide roles reach
// their own province, subtree roles their unit and below, nobody another
// province.
func TestAccessMatrix(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, sf *servicetest.Fixture) {
		f := newFixture(t, sf)
		for _, name := range servicetest.ActorNames {
			for _, rel := range servicetest.Relations {
				target, ok := f.Target(name, rel)
				if !ok {
					continue
				}
				for _, p := range probes {
					want := servicetest.Expect(f.Fixture, name, p.act, rel)
					err := p.run(t, f, f.Actors[name], target)
					outcome(t, fmt.Sprintf("%s %s on %s unit", name, p.name, rel), err, want)
				}
			}
		}
		// Anonymous callers are told to sign in; the system passes.
		for _, p := range probes {
			err := p.run(t, f, service.Actor{}, f.Units["X1"])
			if !errors.Is(err, service.ErrUnauthenticated) && !errors.Is(err, service.ErrForbidden) {
				t.Errorf("anonymous %s: %v", p.name, err)
			}
			if err := p.run(t, f, service.SystemActor, f.Units["Z1"]); err != nil {
				t.Errorf("system %s: %v", p.name, err)
			}
		}
	})
}

// Across provinces a change needs the right on every unit it names: the
// source and the target of a move or merge both count.
func TestCrossProvinceChanges(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, sf *servicetest.Fixture) {
		f := newFixture(t, sf)
		ctx := t.Context()
		coord := f.Actors["coord"]
		mine, theirs := f.scratch(t, f.Units["X1"]), f.scratch(t, f.Units["Z1"])
		refused := func(what string, err error, field string) {
			t.Helper()
			var rf *unitsvc.Refused
			if !errors.As(err, &rf) || !errors.Is(err, service.ErrForbidden) || !rf.Fields.Has(field) {
				t.Errorf("%s: %v, want a refusal naming %s", what, err, field)
			}
		}
		refused("move into 42", f.svc.Move(ctx, coord, mine.ID, unitsvc.ByID(f.Units["Z1"]), today, nil), "parent_id")
		refused("move by code into 42", f.svc.Move(ctx, coord, mine.ID, unitsvc.ByCode("Z1"), today, nil), "parent_id")
		outcome(t, "move a unit of 42", f.svc.Move(ctx, coord, theirs.ID, unitsvc.ByID(f.Units["X1"]), today, nil), false)
		_, err := f.svc.Merge(ctx, coord, unitsvc.MergeInput{Sources: []unitsvc.Ref{unitsvc.ByID(mine.ID)}, Target: unitsvc.ByID(f.Units["Z1"]), Date: today})
		refused("merge into 42", err, "target_id")
		_, err = f.svc.Merge(ctx, coord, unitsvc.MergeInput{Sources: []unitsvc.Ref{unitsvc.ByID(theirs.ID)}, Target: unitsvc.ByID(f.Units["X1"]), Date: today})
		refused("merge a unit of 42", err, "source_ids")
		_, err = f.svc.Merge(ctx, coord, unitsvc.MergeInput{Sources: []unitsvc.Ref{unitsvc.ByID(mine.ID)}, Date: today,
			New: &units.Unit{Code: "NEW-42", Name: "Kế thừa", Type: units.TypeOther}, NewParent: unitsvc.ByCode("42")})
		refused("merge into a new unit of 42", err, "new_target.parent_id")
		err = f.svc.Create(ctx, coord, unitsvc.NewUnit{Unit: &units.Unit{Code: "NEW-Z", Name: "Mới", Type: units.TypeOther, ValidFrom: today}, Parent: unitsvc.ByCode("Z1")})
		refused("create in 42", err, "parent_id")
		// Nothing of it was written.
		for _, id := range []int64{mine.ID, theirs.ID} {
			u, _ := f.Store.Unit(ctx, id, today)
			if !u.ValidTo.IsZero() || (u.ParentID != f.Units["X1"] && u.ParentID != f.Units["Z1"]) {
				t.Errorf("refused changes changed %s: %+v", u.Code, u)
			}
		}
		for _, code := range []string{"NEW-42", "NEW-Z"} {
			if _, err := f.Store.UnitByCode(ctx, code, today); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s was created: %v", code, err)
			}
		}
		// The coordinator of 42 does all of it in 42.
		other := f.scratch(t, f.Units["Z1"])
		if err := f.svc.Move(ctx, f.Actors["coord.z"], theirs.ID, unitsvc.ByID(other.ID), today, nil); err != nil {
			t.Errorf("coord.z moves in 42: %v", err)
		}
	})
}

// Roots: a unit without a parent needs the right over the whole province.
func TestCreateRoot(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, sf *servicetest.Fixture) {
		f := newFixture(t, sf)
		for name, allowed := range map[string]bool{"admin": true, "coord": true, "focal.x": false, "viewer.x": false, "learner": false} {
			err := f.svc.Create(t.Context(), f.Actors[name], unitsvc.NewUnit{Unit: &units.Unit{Code: "R-" + name, Name: "Gốc", Type: units.TypeOther, ValidFrom: today}})
			outcome(t, name+" creates a root", err, allowed)
			var rf *unitsvc.Refused
			if !allowed && errors.As(err, &rf) && !rf.Fields.Has("parent_id") {
				t.Errorf("%s: the refusal should name parent_id: %v", name, err)
			}
		}
	})
}

// Under a national root a province's administrator and coordinator start
// no tree beside the country's (a new "root" would escape every scope,
// their own included); the national ones may, and the new-unit form starts
// a province's staff at their province committee.
func TestCreateRootNational(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, sf *servicetest.Fixture) {
		f := newFixture(t, sf)
		ctx := t.Context()
		for name, allowed := range map[string]bool{"admin": false, "coord": false, "coord.z": false, "admin.vn": true, "coord.vn": true} {
			err := f.svc.Create(ctx, f.Actors[name], unitsvc.NewUnit{Unit: &units.Unit{Code: "R-" + name, Name: "Gốc", Type: units.TypeOther, ValidFrom: today}})
			outcome(t, name+" creates a root", err, allowed)
			var rf *unitsvc.Refused
			if !allowed && (!errors.As(err, &rf) || !rf.Fields.Has("parent_id")) {
				t.Errorf("%s: the refusal should name parent_id: %v", name, err)
			}
		}
		for name, want := range map[string]string{"coord": "40", "admin": "40", "coord.z": "42", "focal.x": "X1"} {
			u, err := f.svc.NewUnitParent(ctx, f.Actors[name], 0)
			if err != nil || u == nil || u.ID != sf.Units[want] {
				t.Errorf("%s's new unit starts under %+v (%v), want %s", name, u, err, want)
			}
		}
		if u, err := f.svc.NewUnitParent(ctx, f.Actors["coord.vn"], 0); err != nil || u != nil {
			t.Errorf("the national coordinator's new unit starts under %+v (%v), want none", u, err)
		}
	}, servicetest.National())
}

// reasons lists the field:reason pairs of a validation error.
func reasons(err error) []string {
	var ve validation.Errors
	if !errors.As(err, &ve) {
		return []string{fmt.Sprintf("not a validation error: %v", err)}
	}
	var out []string
	for _, e := range ve {
		out = append(out, e.Field+":"+e.Reason)
	}
	return out
}

// The merge rules, once in units.Merge and the service (they were written
// in the store and again in the merge form's handler).
func TestMergeRules(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, sf *servicetest.Fixture) {
		f := newFixture(t, sf)
		ctx := t.Context()
		coord := f.Actors["coord"]
		x1, y1, school := unitsvc.ByCode("X1"), unitsvc.ByCode("Y1"), unitsvc.ByCode("X1-THCS")
		later := today.AddDays(10)
		closed := f.scratch(t, f.Units["Y1"])
		if err := f.Store.CloseUnit(ctx, audit.System, closed.ID, today); err != nil {
			t.Fatal(err)
		}
		fresh := &units.Unit{Code: "Y1-NEW", Name: "Mới lập", Type: units.TypeOther, ValidFrom: later}
		if err := f.Store.CreateUnit(ctx, audit.System, fresh, f.Units["Y1"]); err != nil {
			t.Fatal(err)
		}
		newUnit := func(code string) *units.Unit {
			return &units.Unit{Code: code, Name: "Xã mới", Type: units.TypeCommune}
		}
		for _, c := range []struct {
			name string
			in   unitsvc.MergeInput
			want []string
		}{
			{"nothing named", unitsvc.MergeInput{Date: later},
				[]string{"source_ids:err.required", "target_id:err.merge_target"}},
			{"no date", unitsvc.MergeInput{Sources: []unitsvc.Ref{x1}, Target: y1},
				[]string{"date:err.required"}},
			{"an unknown code", unitsvc.MergeInput{Sources: []unitsvc.Ref{x1, unitsvc.ByCode("KHONG-CO")}, Target: y1, Date: later},
				[]string{"source_ids:unit.err.code_unknown"}},
			{"an unknown id", unitsvc.MergeInput{Sources: []unitsvc.Ref{unitsvc.ByID(999999)}, Target: y1, Date: later},
				[]string{"source_ids:err.unit_unknown"}},
			{"a source twice", unitsvc.MergeInput{Sources: []unitsvc.Ref{x1, unitsvc.ByID(f.Units["X1"])}, Target: y1, Date: later},
				[]string{"source_ids:err.duplicate_source"}},
			{"both successors", unitsvc.MergeInput{Sources: []unitsvc.Ref{x1}, Target: y1, New: &units.Unit{Code: "Z"}, Date: later},
				[]string{"target_id:err.merge_target", "new_target.name:err.required", "new_target.type:err.required"}},
			{"into itself", unitsvc.MergeInput{Sources: []unitsvc.Ref{x1}, Target: x1, Date: later},
				[]string{"source_ids:err.merge_into_self"}},
			{"into its own school", unitsvc.MergeInput{Sources: []unitsvc.Ref{x1}, Target: school, Date: later},
				[]string{"source_ids:err.merge_into_descendant"}},
			{"a closed source", unitsvc.MergeInput{Sources: []unitsvc.Ref{unitsvc.ByID(closed.ID)}, Target: y1, Date: later},
				[]string{"source_ids:err.source_inactive"}},
			{"a source not started yet", unitsvc.MergeInput{Sources: []unitsvc.Ref{unitsvc.ByID(fresh.ID)}, Target: x1, Date: later},
				[]string{"source_ids:err.source_inactive"}},
			{"into a closed unit", unitsvc.MergeInput{Sources: []unitsvc.Ref{x1}, Target: unitsvc.ByID(closed.ID), Date: later},
				[]string{"target_id:err.unit_inactive"}},
			{"a new successor with a taken code", unitsvc.MergeInput{Sources: []unitsvc.Ref{x1}, New: newUnit("Y1"), NewParent: unitsvc.ByCode("40"), Date: later},
				[]string{"new_target.code:err.code_taken"}},
			{"a new successor under an unknown parent", unitsvc.MergeInput{Sources: []unitsvc.Ref{x1}, New: newUnit("X9"), NewParent: unitsvc.ByID(999999), Date: later},
				[]string{"new_target.parent_id:err.parent_unknown"}},
			{"a bad date read by the caller", unitsvc.MergeInput{Sources: []unitsvc.Ref{x1}, Target: y1,
				Problems: validation.Errors{{Field: "date", Reason: "err.date"}}},
				[]string{"date:err.date"}},
		} {
			units0, _ := f.Store.UnitCount(ctx)
			_, perr := f.svc.PreviewMerge(ctx, coord, c.in)
			_, err := f.svc.Merge(ctx, coord, c.in)
			if got := reasons(err); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
			if got := reasons(perr); !slices.Equal(got, c.want) {
				t.Errorf("%s (preview): %v, want %v", c.name, got, c.want)
			}
			if n, _ := f.Store.UnitCount(ctx); n != units0 {
				t.Errorf("%s: a refused merge wrote %d units", c.name, n-units0)
			}
		}
		if u, _ := f.Store.Unit(ctx, f.Units["X1"], today); !u.ValidTo.IsZero() {
			t.Fatalf("refused merges closed X1: %+v", u)
		}

		// The preview says what will happen and writes nothing; the merge
		// does it.
		in := unitsvc.MergeInput{Sources: []unitsvc.Ref{x1, y1}, New: newUnit("X9"), NewParent: unitsvc.ByCode("40"), Date: later}
		pv, err := f.svc.PreviewMerge(ctx, coord, in)
		if err != nil || !pv.New || pv.Target.Code != "X9" || len(pv.Sources) != 2 || pv.Parent.Code != "40" || pv.Sources[0].Unit.Focal.Phone != "" {
			t.Fatalf("preview: %+v %v", pv, err)
		}
		if _, err := f.Store.UnitByCode(ctx, "X9", today); err == nil {
			t.Fatal("the preview wrote the successor")
		}
		in.New = newUnit("X9")
		target, err := f.svc.Merge(ctx, coord, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{f.Units["X1"], f.Units["Y1"]} {
			if u, _ := f.Store.Unit(ctx, id, today); u.ValidTo != later {
				t.Errorf("source %s ends %v, want %v", u.Code, u.ValidTo, later)
			}
		}
		if u, _ := f.Store.Unit(ctx, f.Units["X1-THCS"], later); u.ParentID != target {
			t.Errorf("the school is under %d after the merge, want %d", u.ParentID, target)
		}
		// Merged once, a unit is not merged again.
		_, err = f.svc.Merge(ctx, coord, unitsvc.MergeInput{Sources: []unitsvc.Ref{x1}, Target: unitsvc.ByID(target), Date: later.AddDays(1)})
		if got := reasons(err); !slices.Equal(got, []string{"source_ids:err.source_inactive"}) {
			t.Errorf("second merge: %v", got)
		}
	})
}

// Move and close follow units.CheckMove and units.CheckClose.
func TestMoveAndCloseRules(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, sf *servicetest.Fixture) {
		f := newFixture(t, sf)
		ctx := t.Context()
		coord := f.Actors["coord"]
		x1, y1 := f.Units["X1"], f.Units["Y1"]
		for _, c := range []struct {
			name   string
			unit   int64
			parent unitsvc.Ref
			day    dates.Date
			want   []string
		}{
			{"no parent", x1, unitsvc.Ref{}, today, []string{"parent_id:err.required"}},
			{"no date", x1, unitsvc.ByID(y1), dates.Date{}, []string{"date:err.required"}},
			{"under itself", x1, unitsvc.ByID(x1), today, []string{"parent_id:err.parent_self"}},
			{"under its own school", x1, unitsvc.ByCode("X1-THCS"), today, []string{"parent_id:err.parent_cycle"}},
			{"where it is", f.Units["X1-THCS"], unitsvc.ByID(x1), today, []string{"parent_id:err.parent_same"}},
			{"an unknown parent", x1, unitsvc.ByID(999999), today, []string{"parent_id:err.parent_unknown"}},
			{"before it existed", x1, unitsvc.ByID(y1), dates.MustParse("2020-01-01"), []string{"date:err.unit_inactive"}},
		} {
			err := f.svc.Move(ctx, coord, c.unit, c.parent, c.day, nil)
			if got := reasons(err); !slices.Equal(got, c.want) {
				t.Errorf("move %s: %v, want %v", c.name, got, c.want)
			}
		}
		// A move before a later one would be overridden.
		school := f.Units["X1-THCS"]
		if err := f.svc.Move(ctx, coord, school, unitsvc.ByID(y1), today.AddDays(30), nil); err != nil {
			t.Fatal(err)
		}
		if got := reasons(f.svc.Move(ctx, coord, school, unitsvc.ByCode("40-CA"), today.AddDays(10), nil)); !slices.Equal(got, []string{"date:err.later_placement"}) {
			t.Errorf("move before a later placement: %v", got)
		}
		// Close: not while units sit under it, not before it starts.
		if got := reasons(f.svc.Close(ctx, coord, x1, today, nil)); !slices.Equal(got, []string{"date:err.close_has_children"}) {
			t.Errorf("close a unit with children: %v", got)
		}
		if got := reasons(f.svc.Close(ctx, coord, y1, dates.MustParse("2021-01-01"), nil)); !slices.Equal(got, []string{"date:err.unit_inactive"}) {
			t.Errorf("close on its first day: %v", got)
		}
		if got := reasons(f.svc.Close(ctx, coord, y1, dates.Date{}, nil)); !slices.Equal(got, []string{"date:err.required"}) {
			t.Errorf("close without a date: %v", got)
		}
		leaf := f.Units["Y1-THCS"]
		if err := f.svc.Close(ctx, coord, leaf, today, nil); err != nil {
			t.Fatal(err)
		}
		if got := reasons(f.svc.Close(ctx, coord, leaf, today.AddDays(1), nil)); !slices.Equal(got, []string{"date:err.unit_inactive"}) {
			t.Errorf("close twice: %v", got)
		}
	})
}

// Create and update check the unit's own fields and its code together with
// what the caller could not read, and write nothing on any problem.
func TestCreateAndUpdateRules(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, sf *servicetest.Fixture) {
		f := newFixture(t, sf)
		ctx := t.Context()
		focal := f.Actors["focal.x"]
		x1 := unitsvc.ByID(f.Units["X1"])
		bad := &units.Unit{Code: "bad code!", Type: units.TypeSchool, ValidFrom: today}
		err := f.svc.Create(ctx, focal, unitsvc.NewUnit{Unit: bad, Parent: x1,
			Problems: validation.Errors{{Field: "valid_from", Reason: "api.err_iso_date"}}})
		want := []string{"valid_from:api.err_iso_date", "code:err.code_chars", "name:err.required", "school_level:err.school_level"}
		if got := reasons(err); !slices.Equal(got, want) {
			t.Errorf("create: %v, want %v", got, want)
		}
		taken := &units.Unit{Code: "Y1", Name: "Trùng mã", Type: units.TypeOther, ValidFrom: today}
		if got := reasons(f.svc.Create(ctx, focal, unitsvc.NewUnit{Unit: taken, Parent: x1})); !slices.Equal(got, []string{"code:err.code_taken"}) {
			t.Errorf("create with a taken code: %v", got)
		}
		early := &units.Unit{Code: "X1-OLD", Name: "Trước cả xã", Type: units.TypeOther, ValidFrom: dates.MustParse("2020-01-01")}
		if got := reasons(f.svc.Create(ctx, focal, unitsvc.NewUnit{Unit: early, Parent: x1})); !slices.Equal(got, []string{"parent_id:err.parent_inactive"}) {
			t.Errorf("create before the parent: %v", got)
		}
		u, err := f.svc.ForEdit(ctx, focal, f.Units["X1"])
		if err != nil {
			t.Fatal(err)
		}
		u.Code, u.Name = "Y1", ""
		if got := reasons(f.svc.Update(ctx, focal, unitsvc.Change{Unit: u})); !slices.Equal(got, []string{"name:err.required", "code:err.code_taken"}) {
			t.Errorf("update: %v", got)
		}
		if u, _ := f.Store.Unit(ctx, f.Units["X1"], today); u.Code != "X1" || u.Name == "" {
			t.Errorf("a refused update changed X1: %+v", u)
		}
		u.Code, u.Name, u.Focal.Email = "X1", "  Xã   Nghi Phong  ", "Dau.Moi@T.vn"
		if err := f.svc.Update(ctx, focal, unitsvc.Change{Unit: u}); err != nil {
			t.Fatal(err)
		}
		if u, _ := f.Store.Unit(ctx, f.Units["X1"], today); u.Name != "Xã Nghi Phong" || u.Focal.Email != "dau.moi@t.vn" || u.ValidFrom != dates.MustParse("2021-01-01") {
			t.Errorf("update normalises: %+v", u)
		}
	})
}

// Import jobs: the owner, or an importer of the same province, follows a
// job; nobody else learns it exists.
func TestImportJobAccess(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, sf *servicetest.Fixture) {
		f := newFixture(t, sf)
		ctx := t.Context()
		jobs := map[string]*store.ImportJob{}
		for _, owner := range []string{"coord", "coord.z"} {
			j := &store.ImportJob{UserID: f.Actors[owner].UserID(), Kind: unitsvc.JobKind, Filename: owner + ".csv", Status: store.JobDone, Report: `{"rows":1}`}
			if err := f.Store.CreateImportJob(ctx, j); err != nil {
				t.Fatal(err)
			}
			jobs[owner] = j
		}
		other := &store.ImportJob{UserID: f.Actors["coord"].UserID(), Kind: "activities", Filename: "hd.csv"}
		if err := f.Store.CreateImportJob(ctx, other); err != nil {
			t.Fatal(err)
		}
		sees := map[string][]string{
			"admin": {"coord"}, "coord": {"coord"}, "coord.z": {"coord.z"},
			"focal.x": nil, "viewer.x": nil, "learner": nil, "police": nil, "focal.z": nil,
		}
		for actor, want := range sees {
			for owner, j := range jobs {
				allowed := slices.Contains(want, owner)
				_, err := f.svc.Job(ctx, f.Actors[actor], j.ID)
				_, res, rerr := f.svc.Result(ctx, f.Actors[actor], j.ID)
				for what, e := range map[string]error{"Job": err, "Result": rerr} {
					if allowed != (e == nil) || (!allowed && !errors.Is(e, store.ErrNotFound)) {
						t.Errorf("%s %s of %s's job: %v, want allowed=%v", actor, what, owner, e, allowed)
					}
				}
				if allowed && (res == nil || res.Rows != 1) {
					t.Errorf("%s reads %s's result: %+v", actor, owner, res)
				}
			}
			list, total, err := f.svc.Jobs(ctx, f.Actors[actor], 10, 0)
			mine := 0
			if actor == "coord" || actor == "coord.z" {
				mine = 1
			}
			if err != nil || total != mine || len(list) != mine {
				t.Errorf("%s lists %d jobs (total %d, %v), want their own %d", actor, len(list), total, err, mine)
			}
		}
		if _, err := f.svc.Job(ctx, f.Actors["coord"], other.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another kind of job: %v", err)
		}
		if _, err := f.svc.Job(ctx, service.Actor{}, jobs["coord"].ID); !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("anonymous: %v", err)
		}
		// A job still running has no result yet.
		running := &store.ImportJob{UserID: f.Actors["coord"].UserID(), Kind: unitsvc.JobKind, Filename: "r.csv", Status: store.JobRunning}
		if err := f.Store.CreateImportJob(ctx, running); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.Result(ctx, f.Actors["coord"], running.ID); !errors.Is(err, service.ErrConflict) {
			t.Errorf("result of a running job: %v", err)
		}
		// Starting one needs the province-wide import right.
		for actor, allowed := range map[string]bool{"admin": true, "coord": true, "coord.z": true, "focal.x": false, "viewer.x": false, "learner": false} {
			err := f.svc.RequireImporter(f.Actors[actor])
			outcome(t, actor+" imports", err, allowed)
			_, err = f.svc.StartImport(ctx, f.Actors[actor], "x.csv", nil, false)
			if allowed {
				if got := reasons(err); !slices.Equal(got, []string{"file:import.form.no_file"}) {
					t.Errorf("%s starts an empty import: %v", actor, got)
				}
			} else {
				outcome(t, actor+" starts an import", err, false)
			}
		}
	})
}

// An import runs in the background and its job follows it to the end.
func TestStartImport(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, sf *servicetest.Fixture) {
		f := newFixture(t, sf)
		ctx := t.Context()
		coord := f.Actors["coord"]
		data := []byte("Mã,Tên,Loại,Mã đơn vị cấp trên\nX1-VH,Nhà văn hóa,other,X1\nZ1-VH,Nhà văn hóa,other,Z1\n")
		job, err := f.svc.StartImport(ctx, coord, "../../đơn vị.csv", data, true)
		if err != nil || job.Filename != "đơn vị.csv" {
			t.Fatalf("start: %+v %v", job, err)
		}
		var res *units.ImportResult
		for range 400 {
			var j *store.ImportJob
			if j, res, err = f.svc.Result(ctx, coord, job.ID); err == nil {
				if j.Written != 1 || j.Status != store.JobDone {
					t.Errorf("job: %+v", j)
				}
				break
			}
			if !errors.Is(err, service.ErrConflict) {
				t.Fatal(err)
			}
			waitABit()
		}
		if res == nil || res.Created != 1 || len(res.Report) != 1 || res.Report[0].Reason != "import.err.parent_out_of_scope" {
			t.Fatalf("result: %+v", res)
		}
		// One import per person at a time: a queued job (on any instance)
		// refuses the next one; another person may still import.
		queued := &store.ImportJob{UserID: coord.UserID(), Kind: unitsvc.JobKind, Filename: "b.csv", Status: store.JobQueued}
		if err := f.Store.CreateImportJob(ctx, queued); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.StartImport(ctx, coord, "c.csv", data, true); !errors.Is(err, service.ErrImportRunning) {
			t.Errorf("second import while one is queued: %v, want ErrImportRunning", err)
		}
		other, err := f.svc.StartImport(ctx, f.Actors["admin"], "c.csv", data, true)
		if err != nil {
			t.Fatalf("another person's import: %v", err)
		}
		for range 400 { // let it end before the database closes
			if _, _, err := f.svc.Result(ctx, f.Actors["admin"], other.ID); !errors.Is(err, service.ErrConflict) {
				break
			}
			waitABit()
		}
	})
}

func waitABit() { time.Sleep(25 * time.Millisecond) }

// A file the readers refuse whole (misread text, formulas) writes nothing
// even with "skip invalid rows": before, a misread name passed every row
// check and overwrote the unit's name.
func TestStartImportRefusesDamagedFile(t *testing.T) {
	cases := []struct {
		name, file string
		data       []byte
		reason     string
		row, col   int
	}{
		{"mojibake", "don-vi.csv", []byte("Mã,Tên\nX1,XÃ£ Nghi Phong má»›i\nZ9,Xã mới\n"), "imports.err.mojibake", 2, 2},
		{"formula", "don-vi.xlsx", unitsFormulaXLSX(t), "imports.err.formula", 2, 2},
	}
	servicetest.Engines(t, func(t *testing.T, sf *servicetest.Fixture) {
		f := newFixture(t, sf)
		ctx := t.Context()
		coord := f.Actors["coord"]
		for _, c := range cases {
			job, err := f.svc.StartImport(ctx, coord, c.file, c.data, true)
			if err != nil {
				t.Fatalf("%s: start: %v", c.name, err)
			}
			var res *units.ImportResult
			var j *store.ImportJob
			for range 400 {
				if j, res, err = f.svc.Result(ctx, coord, job.ID); !errors.Is(err, service.ErrConflict) {
					break
				}
				waitABit()
			}
			if err != nil {
				t.Fatalf("%s: result: %v", c.name, err)
			}
			if j.Written != 0 || res.Written != 0 || len(res.Report) != 1 {
				t.Fatalf("%s: job %+v result %+v", c.name, j, res)
			}
			if is := res.Report[0]; is.Reason != c.reason || is.Row != c.row || is.Col != c.col {
				t.Errorf("%s: issue %+v, want %s at row %d col %d", c.name, is, c.reason, c.row, c.col)
			}
			x1, err := f.Store.UnitByCode(ctx, "X1", today)
			if err != nil || x1.Name != "Xã Nghi Phong" {
				t.Errorf("%s: X1 after the import: %+v %v", c.name, x1, err)
			}
			if _, err := f.Store.UnitByCode(ctx, "Z9", today); err == nil {
				t.Errorf("%s: a row of a refused file was written", c.name)
			}
		}
	})
}

// unitsFormulaXLSX renames X1 through a formula (cached, as Excel saves it).
func unitsFormulaXLSX(t *testing.T) []byte {
	t.Helper()
	wb := excelize.NewFile()
	defer wb.Close()
	for i, r := range [][]any{{"Mã", "Tên"}, {"X1", nil}, {"Z9", "Xã mới"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := wb.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.SetCellFormula("Sheet1", "B2", `"Xã "&"mới"`); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := wb.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
