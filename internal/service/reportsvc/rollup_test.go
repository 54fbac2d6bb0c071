package reportsvc_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/service/reportsvc"
	"khienso/internal/service/servicetest"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// TestNationalRollup: a national round is answered by the province
// committees, each from the figures its own round accepted; only the
// province's reviewers fill and submit its answer, the national reviewers
// review it, and the consolidated figures are not counted twice.
func TestNationalRollup(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		e := setup(t, f)
		ctx := context.Background()
		coord, coordZ, coordVN, admin := f.Actors["coord"], f.Actors["coord.z"], f.Actors["coord.vn"], f.Actors["admin"]
		na := f.Units["40"]
		period := func(title string) reportsvc.RoundInput {
			return reportsvc.RoundInput{TemplateID: e.tpl, Title: title, From: "01/01/2025", To: "31/12/2025", Deadline: "05/12/2025"}
		}
		// Each province's round of its communes, issued by its coordinator.
		in := period("Báo cáo năm 2025 của các xã")
		in.Types = []units.Type{units.TypeCommune}
		own, err := e.svc.CreateRound(ctx, coord, in)
		if err != nil {
			t.Fatal(err)
		}
		ownZ, err := e.svc.CreateRound(ctx, coordZ, in)
		if err != nil {
			t.Fatal(err)
		}
		// "Every commune" of a province's round is its own communes, under
		// the national root as beside another province.
		if !sameIDs(own.Units, []int64{f.Units["X1"], f.Units["Y1"]}) || !sameIDs(ownZ.Units, []int64{f.Units["Z1"]}) {
			t.Errorf("the provinces' rounds of communes: %v and %v", own.Units, ownZ.Units)
		}
		if _, err := e.svc.CreateRound(ctx, coord, reportsvc.RoundInput{TemplateID: e.tpl, Title: "Lẫn cấp", From: "2025-01-01",
			To: "2025-12-31", Deadline: "2025-12-05", Codes: []string{"VN-ATTT", "Z1"}}); !isFieldErr(err, "units") {
			t.Errorf("a province's round naming national and other-province units: %v", err)
		}
		// The national round: the province committees report.
		in = period("Báo cáo năm 2025 của các tỉnh")
		in.Types = []units.Type{units.TypeProvinceCommittee}
		nat, err := e.svc.CreateRound(ctx, coordVN, in)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{na, f.Units["42"]}; !sameIDs(nat.Units, want) {
			t.Fatalf("national round units %v, want the two province committees %v", nat.Units, want)
		}
		// It is the national level's round, not Nghệ An's.
		if _, err := e.svc.Round(ctx, coord, nat.ID); !errors.Is(err, service.ErrForbidden) {
			t.Errorf("a province coordinator opens the national round: %v", err)
		}
		if _, err := e.svc.Round(ctx, coordVN, nat.ID); err != nil {
			t.Errorf("the national coordinator opens its round: %v", err)
		}
		if land, err := e.svc.Landing(ctx, coord, nat.ID); err != nil || land.Unit != na {
			t.Errorf("the province coordinator lands on %+v (%v), want the province's answer", land, err)
		}

		// Nghệ An: X1 accepted; Y1 submitted, returned: left out.
		x1, y1 := f.Units["X1"], f.Units["Y1"]
		xVals, _ := full()
		for _, s := range []struct {
			actor string
			unit  int64
			a     reports.Action
		}{{"focal.x", x1, reports.ActionSubmit}, {"coord", x1, reports.ActionAccept},
			{"focal.y", y1, reports.ActionSubmit}, {"coord", y1, reports.ActionReturn}} {
			st := step(own.ID, s.unit, s.a)
			if s.unit == y1 && s.a == reports.ActionSubmit {
				for k := range st.Values {
					st.Values[k] = 1000
				}
			}
			if _, err := e.svc.Apply(ctx, f.Actors[s.actor], st); err != nil {
				t.Fatalf("%s %s: %v", s.actor, s.a, err)
			}
		}

		// Who may fill Nghệ An's answer.
		for _, c := range []struct {
			actor string
			want  error
		}{
			{"coord", nil}, {"admin", nil},
			{"coord.z", service.ErrForbidden},         // another province
			{"coord.vn", reportsvc.ErrProvinceAnswer}, // the reviewer, not the province
			{"admin.vn", reportsvc.ErrProvinceAnswer}, // idem
			{"focal.x", service.ErrForbidden},         // a commune of the province
			{"viewer.x", service.ErrForbidden},        // idem
			{"police", service.ErrForbidden},          // reads activities, not reports
		} {
			_, err := e.svc.Sources(ctx, f.Actors[c.actor], nat.ID, na)
			checkErr(t, c.actor+" lists the rounds to fill Nghệ An's answer from", err, c.want)
			if c.want == nil {
				continue // filled below, once
			}
			_, err = e.svc.Fill(ctx, f.Actors[c.actor], reportsvc.Fill{Round: nat.ID, Unit: na, Source: own.ID})
			checkErr(t, c.actor+" fills Nghệ An's answer", err, c.want)
		}
		if sub, _ := f.Store.Submission(ctx, nat.ID, na); sub.Status != reports.StatusMissing {
			t.Fatalf("refused fills wrote the answer: %s", sub.Status)
		}
		// Nghệ An's rounds of the template and period are offered (the
		// shared one of the fixture too), never Hà Tĩnh's nor the national one.
		srcs, err := e.svc.Sources(ctx, coord, nat.ID, na)
		if err != nil {
			t.Fatal(err)
		}
		var offered []int64
		for _, s := range srcs {
			offered = append(offered, s.Round.ID)
			if s.Round.ID == own.ID && (s.Accepted != 1 || !s.SamePeriod || s.Completeness.Required != 2) {
				t.Errorf("source %+v, want one accepted report of two", s)
			}
		}
		if !sameIDs(offered, []int64{own.ID, e.round["40"]}) {
			t.Fatalf("sources offered to Nghệ An: %v, want its own rounds %d and %d", offered, own.ID, e.round["40"])
		}
		// Another province's round, or a round of this one that is not a
		// source, may not fill it.
		for _, src := range []int64{ownZ.ID, nat.ID, e.round["40"] + 99999} {
			_, err := e.svc.Fill(ctx, coord, reportsvc.Fill{Round: nat.ID, Unit: na, Source: src})
			if !isFieldErr(err, "source") {
				t.Errorf("filling from round %d: %v, want an error on source", src, err)
			}
		}
		// Hà Tĩnh accepted nothing yet: nothing to fill from.
		if _, err := e.svc.Fill(ctx, coordZ, reportsvc.Fill{Round: nat.ID, Unit: f.Units["42"], Source: ownZ.ID}); !isFieldErr(err, "source") {
			t.Errorf("filling from a round with nothing accepted: %v", err)
		}
		// A commune's report in a province round is not an answer upward.
		if _, err := e.svc.Fill(ctx, f.Actors["focal.x"], reportsvc.Fill{Round: own.ID, Unit: x1, Source: own.ID}); !isFieldErr(err, "round") {
			t.Errorf("filling a commune's report from a round: %v", err)
		}

		pv, err := e.svc.PreviewFill(ctx, coord, reportsvc.Fill{Round: nat.ID, Unit: na, Source: own.ID, Narratives: true})
		if err != nil || pv.Accepted != 1 || pv.Values["trainees"] != xVals["trainees"] {
			t.Fatalf("preview: %+v %v", pv, err)
		}
		if sub, _ := f.Store.Submission(ctx, nat.ID, na); sub.Status != reports.StatusMissing {
			t.Fatal("the preview wrote the answer")
		}
		v, err := e.svc.Fill(ctx, coord, reportsvc.Fill{Round: nat.ID, Unit: na, Source: own.ID, Narratives: true})
		if err != nil {
			t.Fatalf("the coordinator fills Nghệ An's answer: %v", err)
		}
		for code, want := range xVals {
			if v.Sub.Values[code] != want {
				t.Errorf("filled %s = %v, want X1's accepted %v (Y1's returned report left out)", code, v.Sub.Values[code], want)
			}
		}
		if v.Sub.Status != reports.StatusDraft || v.Sub.SourceRound != own.ID || v.Source == nil || v.Source.ID != own.ID {
			t.Errorf("filled answer: status %s, source %d", v.Sub.Status, v.Sub.SourceRound)
		}
		if text := v.Sub.Narratives["results"]; !strings.HasPrefix(text, "Xã Nghi Phong:\n") || strings.Contains(text, "Vinh Phú") {
			t.Errorf("narratives joined: %q", text)
		}
		evs, _ := e.svc.History(ctx, coord, nat.ID, na)
		if len(evs) != 1 || evs[0].Action != string(reports.ActionFill) || evs[0].Comment != own.Title {
			t.Errorf("history after the fill: %+v", evs)
		}

		// The province submits; the national reviewer accepts.
		if _, err := e.svc.Apply(ctx, coordVN, reportsvc.Step{Round: nat.ID, Unit: na, Step: reports.Step{Action: reports.ActionSubmit, KeepContent: true}}); !errors.Is(err, reportsvc.ErrProvinceAnswer) {
			t.Errorf("the national coordinator submits for the province: %v", err)
		}
		if _, err := e.svc.Apply(ctx, coord, reportsvc.Step{Round: nat.ID, Unit: na, Step: reports.Step{Action: reports.ActionSubmit, KeepContent: true}}); err != nil {
			t.Fatalf("the province submits its answer: %v", err)
		}
		if _, err := e.svc.Apply(ctx, admin, step(nat.ID, na, reports.ActionAccept)); !errors.Is(err, service.ErrForbidden) {
			t.Errorf("the province's administrator accepts its own answer: %v", err)
		}
		if _, err := e.svc.Apply(ctx, coordZ, step(nat.ID, na, reports.ActionAccept)); !errors.Is(err, service.ErrForbidden) {
			t.Errorf("another province accepts Nghệ An's answer: %v", err)
		}
		v, err = e.svc.Apply(ctx, coordVN, step(nat.ID, na, reports.ActionAccept))
		if err != nil || v.Sub.Status != reports.StatusAccepted || v.Sub.SourceRound != own.ID {
			t.Fatalf("the national coordinator accepts: %v", err)
		}
		// Indicators count X1's accepted figures once: the province's
		// consolidated answer is not added on top.
		got, err := f.Store.ReportValues(ctx, []string{"trainees"}, nat.From, nat.To)
		if err != nil {
			t.Fatal(err)
		}
		if got["trainees"][na] != 0 || got["trainees"][x1] != xVals["trainees"] {
			t.Errorf("report values: %v", got["trainees"])
		}

		// The lists: the province coordinator answers the national round
		// for its province and does not review it; the national one does.
		idx, err := e.svc.Index(ctx, coord)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range idx.Rows {
			if row.Round.ID == nat.ID && (row.Own == nil || row.Own.Unit != na || row.Own.Status != reports.StatusAccepted || row.Completeness != nil) {
				t.Errorf("the national round in the province coordinator's list: %+v", row)
			}
		}
		if !slices.ContainsFunc(idx.Rows, func(r reportsvc.RoundRow) bool { return r.Round.ID == nat.ID }) {
			t.Error("the province coordinator's list lacks the national round")
		}
		idx, _ = e.svc.Index(ctx, coordVN)
		if !slices.ContainsFunc(idx.Rows, func(r reportsvc.RoundRow) bool { return r.Round.ID == nat.ID && r.Completeness != nil }) {
			t.Error("the national coordinator does not review the national round")
		}
		idx, _ = e.svc.Index(ctx, coordZ)
		for _, row := range idx.Rows {
			if row.Round.ID == own.ID {
				t.Error("Hà Tĩnh's coordinator sees Nghệ An's round")
			}
		}

		// Returned, refilled, then edited by hand: the figures are then the
		// province's own and no longer claim to be the round's.
		if _, err := e.svc.Apply(ctx, coordVN, step(nat.ID, na, reports.ActionReturn)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Fill(ctx, coord, reportsvc.Fill{Round: nat.ID, Unit: na, Source: own.ID}); err != nil {
			t.Fatalf("refilling a returned answer: %v", err)
		}
		// Saving the same figures keeps the reference; changing one drops it.
		same := step(nat.ID, na, reports.ActionSave)
		if v, err = e.svc.Apply(ctx, coord, same); err != nil || v.Sub.SourceRound != own.ID {
			t.Errorf("saved unchanged: source %d (%v)", v.Sub.SourceRound, err)
		}
		edit := step(nat.ID, na, reports.ActionSave)
		edit.Values["trainees"]++
		v, err = e.svc.Apply(ctx, coord, edit)
		if err != nil || v.Sub.SourceRound != 0 || v.Source != nil {
			t.Errorf("edited by hand: source %d (%v)", v.Sub.SourceRound, err)
		}
	}, servicetest.National())
}

func isFieldErr(err error, field string) bool {
	var ve validation.Errors
	return errors.As(err, &ve) && ve.Has(field)
}

func sameIDs(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
