package reportsvc_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"khienso/internal/auth"
	"khienso/internal/progress"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/service/reportsvc"
	"khienso/internal/service/servicetest"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// env is a fixture with the reports service, the standard template and one
// round per province in which every unit of the province reports.
type env struct {
	*servicetest.Fixture
	svc      *reportsvc.Service
	tpl      int64
	round    map[string]int64 // by province code: "40", "42"
	province map[string]string
}

var provinceOf = map[string]string{"40": "40", "40-SKHCN": "40", "40-CA": "40", "X1": "40", "X1-THCS": "40", "Y1": "40",
	"Y1-THCS": "40", "42": "42", "42-SKHCN": "42", "Z1": "42", "Z1-THCS": "42"}

func setup(t *testing.T, f *servicetest.Fixture) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{Fixture: f, svc: reportsvc.New(f.Store, f.Access, &progress.Service{Store: f.Store}, nil),
		round: map[string]int64{}, province: provinceOf}
	tpl := reports.Standard()
	if err := e.svc.CreateTemplate(ctx, service.SystemActor, &tpl); err != nil {
		t.Fatal(err)
	}
	e.tpl = tpl.ID
	for _, p := range []string{"40", "42"} {
		var ids []int64
		for code, prov := range provinceOf {
			if prov == p {
				ids = append(ids, f.Units[code])
			}
		}
		e.round[p] = e.newRound(t, ids...)
	}
	return e
}

// newRound opens a 2025 round (deadline passed) for the given units.
func (e *env) newRound(t *testing.T, unitIDs ...int64) int64 {
	t.Helper()
	rd, err := e.svc.CreateRound(context.Background(), service.SystemActor, reportsvc.RoundInput{TemplateID: e.tpl,
		Title: fmt.Sprintf("Đợt %d", len(unitIDs)), From: "01/01/2025", To: "31/12/2025", Deadline: "05/12/2025", Units: unitIDs})
	if err != nil {
		t.Fatalf("round: %v", err)
	}
	return rd.ID
}

// full is a complete report of the standard template.
func full() (map[string]float64, map[string]string) {
	vals, narr := map[string]float64{}, map[string]string{}
	for i, f := range reports.Standard().Fields {
		vals[f.Code] = float64(i + 1)
	}
	for _, s := range reports.Standard().Sections {
		narr[s.Code] = "Nội dung " + s.Code
	}
	return vals, narr
}

func step(round, unit int64, a reports.Action) reportsvc.Step {
	st := reportsvc.Step{Round: round, Unit: unit, Step: reports.Step{Action: a}}
	switch a {
	case reports.ActionSave, reports.ActionSubmit:
		st.Values, st.Narratives = full()
	case reports.ActionReturn:
		st.Comment = "Bổ sung số liệu"
	}
	return st
}

// before lists the steps (by the system) that bring a new submission to
// where each action starts.
var before = map[reports.Action][]reports.Action{
	reports.ActionSave:   nil,
	reports.ActionSubmit: nil,
	// Withdrawing needs a submission no reviewer has acted on.
	reports.ActionWithdraw: {reports.ActionSubmit},
	reports.ActionReturn:   {reports.ActionSubmit},
	reports.ActionAccept:   {reports.ActionSubmit},
	reports.ActionReopen:   {reports.ActionSubmit, reports.ActionAccept},
}

// subtreeRole: the actor's grants reach its unit's subtree, not the province.
func subtreeRole(f *servicetest.Fixture, actor string, act auth.Action) bool {
	province, sub := f.Actors[actor].Principal.Scope(act)
	return sub && !province
}

// wantStep is the rule under test: the unit submits, a reviewer reviews.
// It returns nil when actor may take a on the rel unit's report, else the
// error expected (ErrActForUnit, ErrOwnReview or plain ErrForbidden).
func wantStep(f *servicetest.Fixture, actor string, rel servicetest.Relation, a reports.Action) error {
	read := servicetest.Expect(f, actor, auth.ReportRead, rel) || servicetest.Expect(f, actor, auth.ReportReview, rel)
	if !read {
		return service.ErrForbidden
	}
	if a.ByUnit() {
		if !servicetest.Expect(f, actor, auth.ReportSubmit, rel) {
			return service.ErrForbidden
		}
		if rel == servicetest.Own || rel == servicetest.Descendant && subtreeRole(f, actor, auth.ReportSubmit) {
			return nil
		}
		return reportsvc.ErrActForUnit
	}
	if !servicetest.Expect(f, actor, auth.ReportReview, rel) {
		return service.ErrForbidden
	}
	if rel == servicetest.Own {
		return reportsvc.ErrOwnReview
	}
	return nil
}

// checkErr compares an outcome with the expected one: nil, or an error
// that is want (exactly the refusal when want is one).
func checkErr(t *testing.T, what string, got, want error) {
	t.Helper()
	var ref *reportsvc.Refusal
	switch {
	case want == nil && got != nil:
		t.Errorf("%s: %v, want success", what, got)
	case want != nil && !errors.Is(got, want):
		t.Errorf("%s: %v, want %v", what, got, want)
	case want == service.ErrForbidden && errors.As(got, &ref):
		t.Errorf("%s: refused with %s, want a plain forbidden", what, ref.Key)
	}
}

// TestSubmissionMatrix runs every workflow step for every actor on a unit
// in every relation to the actor's, and checks that what the page offers
// (SubmissionView.Can) is what the step does.
func TestSubmissionMatrix(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		e := setup(t, f)
		ctx := context.Background()
		for _, name := range servicetest.ActorNames {
			actor := f.Actors[name]
			for _, rel := range servicetest.Relations {
				unit, ok := f.Target(name, rel)
				if !ok {
					continue
				}
				// Reading: the shared round of the unit's province.
				round := e.round[e.provinceOfID(unit)]
				var readWant error
				if !servicetest.Expect(f, name, auth.ReportRead, rel) && !servicetest.Expect(f, name, auth.ReportReview, rel) {
					readWant = service.ErrForbidden
				}
				_, err := e.svc.Submission(ctx, actor, round, unit)
				checkErr(t, fmt.Sprintf("%s reads the %s unit's report", name, rel), err, readWant)
				_, err = e.svc.History(ctx, actor, round, unit)
				checkErr(t, fmt.Sprintf("%s reads the %s unit's history", name, rel), err, readWant)

				for _, a := range reports.Actions {
					what := fmt.Sprintf("%s %s on the %s unit", name, a, rel)
					want := wantStep(f, name, rel, a)
					rd := e.newRound(t, unit)
					for _, pre := range before[a] {
						if _, err := e.svc.Apply(ctx, service.SystemActor, step(rd, unit, pre)); err != nil {
							t.Fatalf("%s: prepare %s: %v", what, pre, err)
						}
					}
					if v, err := e.svc.Submission(ctx, actor, rd, unit); err == nil {
						if got := slices.Contains(v.Can.List(), a); got != (want == nil) {
							t.Errorf("%s: the page offers it = %v, want %v", what, got, want == nil)
						}
					}
					_, err := e.svc.Apply(ctx, actor, step(rd, unit, a))
					checkErr(t, what, err, want)
					sub, _ := f.Store.Submission(ctx, rd, unit)
					moved := sub.Status != statusAfter(before[a])
					if moved != (want == nil) {
						t.Errorf("%s: stored status %s", what, sub.Status)
					}
				}
			}
		}
		if _, err := e.svc.Submission(ctx, service.Actor{}, e.round["40"], f.Units["X1"]); !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("anonymous reads a report: %v", err)
		}
		if _, err := e.svc.Apply(ctx, service.Actor{}, step(e.round["40"], f.Units["X1"], reports.ActionSave)); !errors.Is(err, service.ErrUnauthenticated) {
			t.Errorf("anonymous saves a report: %v", err)
		}
	})
}

// statusAfter is the status the system's preparing steps leave.
func statusAfter(steps []reports.Action) reports.Status {
	st := reports.StatusMissing
	for _, a := range steps {
		st, _ = reports.Next(st, a)
	}
	return st
}

func (e *env) provinceOfID(id int64) string {
	for code, u := range e.Units {
		if u == id {
			return e.province[code]
		}
	}
	return ""
}

// The case the split was made for: the Nghệ An coordinator reviews X1's
// report province-wide but may neither save nor submit it, and the refusal
// says to return the report to the unit.
func TestCoordinatorDoesNotSubmitForACommune(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		e := setup(t, f)
		ctx := context.Background()
		coord, x1, round := f.Actors["coord"], f.Units["X1"], e.round["40"]
		v, err := e.svc.Submission(ctx, coord, round, x1)
		if err != nil || v.Can.Edit() {
			t.Fatalf("coordinator's view of X1's report: %v, can edit %v", err, v != nil && v.Can.Edit())
		}
		for _, a := range []reports.Action{reports.ActionSave, reports.ActionSubmit} {
			v, err := e.svc.Apply(ctx, coord, step(round, x1, a))
			if !errors.Is(err, reportsvc.ErrActForUnit) || !errors.Is(err, service.ErrForbidden) || v == nil {
				t.Errorf("coordinator %ss X1's report: %v (view %v)", a, err, v != nil)
			}
		}
		// The coordinator's own unit's report is theirs to fill, and
		// someone else's to review.
		own := f.Units["40-SKHCN"]
		if _, err := e.svc.Apply(ctx, coord, step(round, own, reports.ActionSubmit)); err != nil {
			t.Fatalf("coordinator submits its own unit's report: %v", err)
		}
		if _, err := e.svc.Apply(ctx, coord, step(round, own, reports.ActionAccept)); !errors.Is(err, reportsvc.ErrOwnReview) {
			t.Errorf("coordinator accepts its own unit's report: %v", err)
		}
		if _, err := e.svc.Apply(ctx, f.Actors["admin"], step(round, own, reports.ActionAccept)); err != nil {
			t.Errorf("the administrator accepts the department's report: %v", err)
		}
	})
}

// TestWorkflowRules: transitions, content, comment, closed rounds, and the
// store's guard against a step decided on a stale state.
func TestWorkflowRules(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		e := setup(t, f)
		ctx := context.Background()
		fx, coord, x1 := f.Actors["focal.x"], f.Actors["coord"], f.Units["X1"]
		rd := e.newRound(t, x1)
		isField := func(err error, field string) bool {
			var ve validation.Errors
			return errors.As(err, &ve) && ve.Has(field)
		}
		partial := reportsvc.Step{Round: rd, Unit: x1, Step: reports.Step{Action: reports.ActionSubmit, Values: map[string]float64{"materials": 1}}}
		if _, err := e.svc.Apply(ctx, fx, partial); !isField(err, "values.directives") || !isField(err, "narratives.results") {
			t.Errorf("incomplete submission: %v", err)
		}
		bad := step(rd, x1, reports.ActionSave)
		bad.Values = map[string]float64{"nope": 1}
		if _, err := e.svc.Apply(ctx, fx, bad); !isField(err, "values.nope") {
			t.Errorf("unknown field: %v", err)
		}
		if _, err := e.svc.Apply(ctx, coord, step(rd, x1, reports.ActionAccept)); !errors.Is(err, service.ErrConflict) {
			t.Errorf("accepting a missing report: %v, want a conflict", err)
		}
		if _, err := e.svc.Apply(ctx, fx, step(rd, x1, reports.ActionSave)); err != nil {
			t.Fatal(err)
		}
		stale, _ := f.Store.Submission(ctx, rd, x1)
		v, err := e.svc.Apply(ctx, fx, reportsvc.Step{Round: rd, Unit: x1, Step: reports.Step{Action: reports.ActionSubmit, KeepContent: true}})
		if err != nil || v.Sub.Status != reports.StatusSubmitted || v.Sub.Values["trainees"] != 6 {
			t.Fatalf("submitting the saved draft: %v %+v", err, v)
		}
		if _, err := e.svc.Apply(ctx, fx, step(rd, x1, reports.ActionSubmit)); !errors.Is(err, service.ErrConflict) {
			t.Errorf("submitting twice: %v", err)
		}
		noComment := step(rd, x1, reports.ActionReturn)
		noComment.Comment = "  "
		if _, err := e.svc.Apply(ctx, coord, noComment); !isField(err, "comment") {
			t.Errorf("returning without a comment: %v", err)
		}
		// A step decided on the draft, written after the submission: the
		// status-guarded write refuses it.
		after := *stale
		after.Status = reports.StatusDraft
		round, _ := f.Store.Round(ctx, rd)
		err = f.Store.ApplyReport(ctx, fx.Audit(), store.ReportChange{Round: round, Before: stale, After: &after,
			Action: reports.ActionSave, OpenRound: true})
		if !errors.Is(err, store.ErrTransition) {
			t.Errorf("stale write: %v, want ErrTransition", err)
		}
		if _, err := e.svc.Apply(ctx, coord, step(rd, x1, reports.ActionReturn)); err != nil {
			t.Fatal(err)
		}
		// Closing the round stops the unit; a save decided before the close
		// is refused by the store too.
		returned, _ := f.Store.Submission(ctx, rd, x1)
		if _, err := e.svc.SetRoundStatus(ctx, coord, rd, reports.RoundClosed); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Apply(ctx, fx, step(rd, x1, reports.ActionSave)); !isField(err, "round") {
			t.Errorf("saving in a closed round: %v", err)
		}
		v, err = e.svc.Submission(ctx, fx, rd, x1)
		if err != nil || v.Can.Edit() {
			t.Errorf("a closed round's form is still open: %v", err)
		}
		after = *returned
		err = f.Store.ApplyReport(ctx, fx.Audit(), store.ReportChange{Round: round, Before: returned, After: &after,
			Action: reports.ActionSave, OpenRound: true})
		if !errors.Is(err, store.ErrTransition) {
			t.Errorf("save after the close: %v, want ErrTransition", err)
		}
		evs, _ := e.svc.History(ctx, fx, rd, x1)
		var got []string
		for _, ev := range evs {
			got = append(got, ev.Action)
		}
		if strings.Join(got, ",") != "save,submit,return" {
			t.Errorf("history %v", got)
		}
	})
}

// TestRoundMatrix: rounds belong to their province's reviewers; the staff
// of a unit reporting in a round land on their own report.
func TestRoundMatrix(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		e := setup(t, f)
		ctx := context.Background()
		for _, name := range servicetest.ActorNames {
			actor := f.Actors[name]
			mine := e.province[servicetest.UnitOf(name)]
			for _, p := range []string{"40", "42"} {
				rd := e.round[p]
				rel := servicetest.Own
				if p != mine {
					rel = servicetest.OtherProvince
				}
				var want error = service.ErrForbidden
				if servicetest.Expect(f, name, auth.ReportReview, rel) {
					want = nil
				}
				what := fmt.Sprintf("%s on the %s province's round", name, rel)
				_, err := e.svc.Round(ctx, actor, rd)
				checkErr(t, what+": Round", err, want)
				_, err = e.svc.Document(ctx, actor, rd)
				checkErr(t, what+": Document", err, want)
				_, err = e.svc.SetRoundStatus(ctx, actor, rd, reports.RoundOpen)
				checkErr(t, what+": SetRoundStatus", err, want)
				land, err := e.svc.Landing(ctx, actor, rd)
				// Every unit of the province reports in its round, so
				// non-reviewers who read their unit's reports land there.
				wantLand := want
				ownReader := rel == servicetest.Own && servicetest.Expect(f, name, auth.ReportRead, servicetest.Own)
				if want != nil && ownReader {
					wantLand = nil
				}
				checkErr(t, what+": Landing", err, wantLand)
				if err == nil && (want == nil) != (land.View != nil) {
					t.Errorf("%s: landing %+v", what, land)
				}
				if err == nil && want != nil && land.Unit != actor.Principal.UnitID {
					t.Errorf("%s: lands on unit %d", what, land.Unit)
				}
			}
		}
		for _, probe := range []func(service.Actor) error{
			func(a service.Actor) error { _, err := e.svc.Round(ctx, a, e.round["40"]); return err },
			func(a service.Actor) error { _, err := e.svc.Landing(ctx, a, e.round["40"]); return err },
			func(a service.Actor) error { _, err := e.svc.Document(ctx, a, e.round["40"]); return err },
			func(a service.Actor) error {
				_, err := e.svc.SetRoundStatus(ctx, a, e.round["40"], reports.RoundOpen)
				return err
			},
			func(a service.Actor) error { _, err := e.svc.Index(ctx, a); return err },
			func(a service.Actor) error { _, err := e.svc.RoundOptions(ctx, a); return err },
			func(a service.Actor) error { _, err := e.svc.CreateRound(ctx, a, reportsvc.RoundInput{}); return err },
			func(a service.Actor) error { _, err := e.svc.Templates(ctx, a); return err },
			func(a service.Actor) error { _, err := e.svc.Template(ctx, a, e.tpl); return err },
			func(a service.Actor) error { return e.svc.CreateTemplate(ctx, a, &reports.Template{}) },
			func(a service.Actor) error {
				_, err := e.svc.UpdateTemplate(ctx, a, e.tpl, reportsvc.TemplatePatch{})
				return err
			},
			func(a service.Actor) error { return e.svc.RequireReviewer(ctx, a) },
		} {
			if err := probe(service.Actor{}); !errors.Is(err, service.ErrUnauthenticated) {
				t.Errorf("anonymous call: %v, want ErrUnauthenticated", err)
			}
		}
	})
}

// TestTemplatesAndRoundCreation: templates and rounds are the reviewers';
// a round's units come from the issuing unit's province only.
func TestTemplatesAndRoundCreation(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		e := setup(t, f)
		ctx := context.Background()
		reviewers := map[string]bool{"admin": true, "coord": true, "coord.z": true}
		for _, name := range servicetest.ActorNames {
			actor := f.Actors[name]
			var want error = service.ErrForbidden
			if reviewers[name] {
				want = nil
			}
			_, err := e.svc.Templates(ctx, actor)
			checkErr(t, name+" lists templates", err, want)
			_, err = e.svc.Template(ctx, actor, e.tpl)
			checkErr(t, name+" reads a template", err, want)
			checkErr(t, name+" checks it reviews", e.svc.RequireReviewer(ctx, actor), want)
			tpl := &reports.Template{Name: "Mẫu của " + name, Fields: []reports.Field{{Code: "classes", Label: "Số lớp"}}}
			checkErr(t, name+" creates a template", e.svc.CreateTemplate(ctx, actor, tpl), want)
			if want == nil {
				// Unused: any reviewer may change it.
				name2 := "Mẫu đã sửa"
				_, err := e.svc.UpdateTemplate(ctx, actor, tpl.ID, reportsvc.TemplatePatch{Name: &name2})
				checkErr(t, name+" changes its template", err, nil)
			}
			// The standard template is used by both provinces' rounds:
			// only someone reviewing both (nobody here) may change it.
			desc := "Mô tả mới"
			_, err = e.svc.UpdateTemplate(ctx, actor, e.tpl, reportsvc.TemplatePatch{Description: &desc})
			wantShared := want
			if want == nil {
				wantShared = reportsvc.ErrTemplateShared
			}
			checkErr(t, name+" changes the shared template", err, wantShared)
			_, err = e.svc.RoundOptions(ctx, actor)
			checkErr(t, name+" opens the round form", err, want)

			rd, err := e.svc.CreateRound(ctx, actor, reportsvc.RoundInput{TemplateID: e.tpl, Title: "Xã " + name, From: "2025-01-01",
				To: "2025-12-31", Deadline: "2025-12-05", Types: []units.Type{units.TypeCommune}})
			checkErr(t, name+" creates a round of communes", err, want)
			if err == nil {
				stored, _ := f.Store.Round(ctx, rd.ID)
				wantUnits := []int64{f.Units["X1"], f.Units["Y1"]}
				if name == "coord.z" {
					wantUnits = []int64{f.Units["Z1"]}
				}
				slices.Sort(wantUnits)
				if !slices.Equal(stored.Units, wantUnits) {
					t.Errorf("%s's round of communes has units %v, want %v (its own province's)", name, stored.Units, wantUnits)
				}
			}
		}
		// Codes and ids outside the province are refused by name.
		_, err := e.svc.CreateRound(ctx, f.Actors["coord"], reportsvc.RoundInput{TemplateID: e.tpl, Title: "Lẫn tỉnh", From: "2025-01-01",
			To: "2025-12-31", Deadline: "2025-12-05", Codes: []string{"X1", "Z1"}, Units: []int64{f.Units["Z1-THCS"]}})
		var ve validation.Errors
		if !errors.As(err, &ve) || len(ve) != 2 || ve[0].Reason != "report.err.unit_outside" || ve[1].Field != "units" {
			t.Errorf("a round naming another province's units: %v", err)
		}
		_, err = e.svc.CreateRound(ctx, f.Actors["coord"], reportsvc.RoundInput{TemplateID: 99999, Title: "", From: "xx",
			To: "2025-12-31", Deadline: "2025-12-05"})
		for _, field := range []string{"from", "title", "units", "template"} {
			if !errors.As(err, &ve) || !ve.Has(field) {
				t.Errorf("invalid round: %v lacks %s", err, field)
			}
		}
		// Plans are offered and linked within the province only.
		opts, _ := e.svc.RoundOptions(ctx, f.Actors["coord.z"])
		if len(opts.Templates) == 0 {
			t.Error("the round form offers no template")
		}
	})
}

// TestIndex: each actor's list holds its unit's rounds and the rounds it
// reviews, and nothing of another province.
func TestIndex(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		e := setup(t, f)
		ctx := context.Background()
		for _, name := range servicetest.ActorNames {
			idx, err := e.svc.Index(ctx, f.Actors[name])
			readers := name != "police" && name != "learner"
			if !readers {
				checkErr(t, name+" lists rounds", err, service.ErrForbidden)
				continue
			}
			if err != nil {
				t.Fatalf("%s lists rounds: %v", name, err)
			}
			mine := e.province[servicetest.UnitOf(name)]
			reviewer := name == "admin" || name == "coord" || name == "coord.z"
			if idx.Reviewer != reviewer || len(idx.Rows) != 1 || idx.Rows[0].Round.ID != e.round[mine] {
				t.Errorf("%s's rounds: reviewer %v, %d rows", name, idx.Reviewer, len(idx.Rows))
				continue
			}
			row := idx.Rows[0]
			if row.Own == nil || row.Own.Status != reports.StatusMissing || !row.Own.Late {
				t.Errorf("%s's own standing: %+v", name, row.Own)
			}
			if (row.Completeness != nil) != reviewer {
				t.Errorf("%s sees completeness = %v", name, row.Completeness != nil)
			}
		}
	})
}

// The unit page's "reports" link: the rounds one unit reports in with its
// status, for those who read the unit's reports only.
func TestUnitRounds(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		e := setup(t, f)
		ctx := context.Background()
		for _, c := range []struct {
			actor, unit string
			ok          bool
		}{
			{"admin", "X1", true},
			{"coord", "Y1", true},
			{"focal.x", "X1", true},
			{"viewer.x", "X1", true},
			{"focal.x", "Y1", false},
			{"coord.z", "X1", false},
			{"police", "X1", false},
		} {
			rows, err := e.svc.UnitRounds(ctx, f.Actors[c.actor], f.Units[c.unit])
			if !c.ok {
				checkErr(t, c.actor+" reads the rounds of "+c.unit, err, service.ErrForbidden)
				continue
			}
			if err != nil {
				t.Fatalf("%s, rounds of %s: %v", c.actor, c.unit, err)
			}
			if len(rows) != 1 || rows[0].Round.ID != e.round["40"] || rows[0].Own == nil ||
				rows[0].Own.Unit != f.Units[c.unit] || rows[0].Own.Status != reports.StatusMissing {
				t.Errorf("%s, rounds of %s: %+v", c.actor, c.unit, rows)
			}
		}
	})
}
