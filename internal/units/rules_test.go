package units

import (
	"slices"
	"strings"
	"testing"

	"khienso/internal/dates"
	"khienso/internal/validation"
)

func fields(errs validation.Errors) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Field+":"+e.Reason)
	}
	return out
}

func TestCheckPlacementAndMove(t *testing.T) {
	from, day := dates.MustParse("2021-01-01"), dates.MustParse("2026-01-15")
	parent := &Unit{ID: 1, ValidFrom: from}
	child := &Unit{ID: 2, ValidFrom: from, ParentID: 3}
	closed := &Unit{ID: 4, ValidFrom: from, ValidTo: dates.MustParse("2025-07-01")}
	for _, c := range []struct {
		name string
		got  validation.Errors
		want []string
	}{
		{"fine", CheckPlacement("parent_id", 2, parent, []int64{1}, day), nil},
		{"unknown", CheckPlacement("parent_id", 2, nil, nil, day), []string{"parent_id:err.parent_unknown"}},
		{"closed parent", CheckPlacement("parent_id", 2, closed, nil, day), []string{"parent_id:err.parent_inactive"}},
		{"itself", CheckPlacement("parent_id", 1, parent, []int64{1}, day), []string{"parent_id:err.parent_self"}},
		{"its descendant", CheckPlacement("parent_id", 2, parent, []int64{1, 2, 9}, day), []string{"parent_id:err.parent_cycle"}},
		{"a new unit", CheckPlacement("new_target.parent_id", 0, closed, nil, day), []string{"new_target.parent_id:err.parent_inactive"}},
		{"move", CheckMove(child, parent, []int64{1}, 0, day), nil},
		{"move without a date", CheckMove(child, parent, nil, 0, dates.Date{}), []string{"date:err.required"}},
		{"move before it exists", CheckMove(child, parent, nil, 0, dates.MustParse("2020-01-01")), []string{"date:err.unit_inactive"}},
		{"move where it is", CheckMove(child, &Unit{ID: 3, ValidFrom: from}, nil, 0, day), []string{"parent_id:err.parent_same"}},
		{"move before a later move", CheckMove(child, parent, []int64{1}, 1, day), []string{"date:err.later_placement"}},
		{"close", CheckClose(child, day), nil},
		{"close on its first day", CheckClose(child, from), []string{"date:err.unit_inactive"}},
		{"close a closed unit", CheckClose(closed, day), []string{"date:err.unit_inactive"}},
		{"close with children", CheckClose(&Unit{ValidFrom: from, ChildCount: 2}, day), []string{"date:err.close_has_children"}},
	} {
		if got := fields(c.got); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestMergeCheck(t *testing.T) {
	from, day := dates.MustParse("2021-01-01"), dates.MustParse("2025-07-01")
	a, b := &Unit{ID: 1, Code: "A", ValidFrom: from}, &Unit{ID: 2, Code: "B", ValidFrom: from}
	target := &Unit{ID: 3, ValidFrom: from}
	late := &Unit{ID: 4, Code: "L", ValidFrom: day}
	gone := &Unit{ID: 5, ValidFrom: from, ValidTo: dates.MustParse("2024-01-01")}
	newUnit := func(name string) *Unit { return &Unit{Code: "C", Name: name, Type: TypeCommune, ValidFrom: day} }
	for _, c := range []struct {
		name string
		m    Merge
		want []string
	}{
		{"into an existing unit", Merge{Date: day, Sources: []*Unit{a, b}, Target: target, TargetAncestors: []int64{3}, HasTarget: true}, nil},
		{"into a new unit", Merge{Date: day, Sources: []*Unit{a}, New: newUnit("Xã C")}, nil},
		{"empty", Merge{}, []string{"date:err.required", "source_ids:err.required", "target_id:err.merge_target"}},
		{"twice the same", Merge{Date: day, Sources: []*Unit{a, a}, Target: target, HasTarget: true}, []string{"source_ids:err.duplicate_source"}},
		{"both successors", Merge{Date: day, Sources: []*Unit{a}, Target: target, HasTarget: true, New: newUnit("")},
			[]string{"target_id:err.merge_target", "new_target.name:err.required"}},
		{"a source the caller could not find", Merge{Date: day, Sources: []*Unit{nil, a}, Target: target, HasTarget: true}, nil},
		{"into itself", Merge{Date: day, Sources: []*Unit{target}, Target: target, HasTarget: true}, []string{"source_ids:err.merge_into_self"}},
		{"into its descendant", Merge{Date: day, Sources: []*Unit{a}, Target: target, TargetAncestors: []int64{3, 1}, HasTarget: true},
			[]string{"source_ids:err.merge_into_descendant"}},
		{"a source starting that day", Merge{Date: day, Sources: []*Unit{late}, Target: target, HasTarget: true}, []string{"source_ids:err.source_inactive"}},
		{"a closed source", Merge{Date: day, Sources: []*Unit{gone}, Target: target, HasTarget: true}, []string{"source_ids:err.source_inactive"}},
		{"into a closed unit", Merge{Date: day, Sources: []*Unit{a}, Target: gone, HasTarget: true}, []string{"target_id:err.unit_inactive"}},
	} {
		if got := fields(c.m.Check()); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// Rows naming a unit outside the importer's reach are refused on their
// own, without comparing them with what is stored.
func TestPlanOutOfScope(t *testing.T) {
	dir := planDirectory()
	dir["Y1"].OutOfScope = true
	head := "Mã,Tên,Loại,Mã đơn vị cấp trên\n"
	sheet, err := ParseFile("plan.csv", strings.NewReader(head+
		"Y1,Phường Vinh Phú,commune,40\n"+ // exactly what is stored
		"Y1-MN,Trường Mầm non,other,Y1\n"+
		"X1-VH,Nhà văn hóa,other,X1\n"))
	if err != nil {
		t.Fatal(err)
	}
	plan, report := Plan(sheet, dir, dates.MustParse("2026-01-15"))
	var got []string
	for _, is := range report {
		got = append(got, is.Reason)
	}
	if want := []string{"import.err.out_of_scope", "import.err.parent_out_of_scope"}; !slices.Equal(got, want) {
		t.Errorf("report %v, want %v", got, want)
	}
	if len(plan.Steps) != 1 || plan.Steps[0].Code != "X1-VH" || plan.Invalid != 2 {
		t.Errorf("plan: %+v", plan)
	}
}
