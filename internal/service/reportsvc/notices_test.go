package reportsvc_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"khienso/internal/reports"
	"khienso/internal/service/servicetest"
)

// subjects lists actor's notifications as "key: body", newest first.
func subjects(t *testing.T, f *servicetest.Fixture, actor string) []string {
	t.Helper()
	list, _, _, err := f.Store.NotificationPage(context.Background(), f.Actors[actor].UserID(), 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, n := range list {
		out = append(out, n.Subject+": "+n.Body)
	}
	return out
}

// TestWorkflowNotices: a submission tells the report's reviewers (not the
// submitter, not another province's reviewer, not the unit's staff); a
// return tells the unit's focal points with the comment; an acceptance
// tells them too.
func TestWorkflowNotices(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		e := setup(t, f)
		round, unit := e.round["40"], f.Units["X1"]
		do := func(actor string, a reports.Action, comment string) {
			t.Helper()
			st := step(round, unit, a)
			if comment != "" {
				st.Comment = comment
			}
			if _, err := e.svc.Apply(ctx, f.Actors[actor], st); err != nil {
				t.Fatalf("%s %s: %v", actor, a, err)
			}
		}
		do("focal.x", reports.ActionSave, "")
		for _, who := range []string{"admin", "coord", "focal.x", "viewer.x", "focal.y", "coord.z", "focal.z"} {
			if got := subjects(t, f, who); len(got) != 0 {
				t.Fatalf("saving told %s: %v", who, got)
			}
		}
		do("focal.x", reports.ActionSubmit, "")
		want := map[string]int{"admin": 1, "coord": 1}
		for _, who := range servicetest.ActorNames {
			got := subjects(t, f, who)
			if len(got) != want[who] {
				t.Errorf("after submit %s has %v, want %d", who, got, want[who])
			}
			if len(got) == 1 && !strings.HasPrefix(got[0], "notif.report_submitted: Đợt ") {
				t.Errorf("%s told %q", who, got[0])
			}
		}
		do("coord", reports.ActionReturn, "Thiếu số liệu quý | kiểm tra lại")
		got := subjects(t, f, "focal.x")
		if len(got) != 1 || !strings.HasPrefix(got[0], "notif.report_returned: ") || !strings.HasSuffix(got[0], "|Thiếu số liệu quý ｜ kiểm tra lại") {
			t.Errorf("focal.x after return: %v", got)
		}
		for _, who := range []string{"viewer.x", "focal.y", "focal.z", "coord.z"} {
			if got := subjects(t, f, who); len(got) != 0 {
				t.Errorf("return told %s: %v", who, got)
			}
		}
		do("focal.x", reports.ActionSubmit, "")
		do("admin", reports.ActionAccept, "")
		got = subjects(t, f, "focal.x")
		if len(got) != 2 || !strings.HasPrefix(got[0], "notif.report_accepted: ") {
			t.Errorf("focal.x after accept: %v", got)
		}
		// The second submission told both reviewers again, the accepting
		// one included: it was not the actor then.
		if got := subjects(t, f, "coord"); len(got) != 2 || !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "notif.report_submitted") }) {
			t.Errorf("coord: %v", got)
		}
		counts, err := f.Store.NotificationEmailCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts["pending"] != 6 {
			t.Errorf("e-mail states %v, want 6 pending", counts)
		}
	})
}
