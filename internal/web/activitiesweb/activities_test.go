package activitiesweb_test

import (
	"context"
	"fmt"
	"khienso/internal/web/webtest"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/store"
)

// activityTestPlan creates a plan of the province with one yearly
// indicator (participants ≥ 100) and one task led by X1; it returns the
// plan and the task.
func activityTestPlan(f *webtest.Fixture) (*plans.Plan, *plans.Task) {
	f.T.Helper()
	ctx := context.Background()
	year := dates.Today().Year()
	p := &plans.Plan{UnitID: f.Units["40"], Title: "Kế hoạch tuyên truyền ATTT", Number: "12/KH-UBND", IssuedOn: dates.New(year, 1, 5),
		YearFrom: year, YearTo: year + 1, Status: plans.StatusInEffect}
	inds := []plans.Indicator{{Code: "nguoi", Name: "Số người được tuyên truyền", MeasureUnit: "người", Formula: "sum(participants)",
		Comparison: "at_least", Value: 100, Period: plans.PeriodYearly, Position: 1}}
	if err := f.Store.CreatePlan(ctx, audit.System, p, inds); err != nil {
		f.T.Fatalf("plan: %v", err)
	}
	task := &plans.Task{Number: "1", Content: "Tổ chức tập huấn nhận diện lừa đảo trực tuyến", Kind: plans.TimeContinuous,
		Lead: []int64{f.Units["X1"]}}
	if err := f.Store.CreateTasks(ctx, audit.System, p.ID, []*plans.Task{task}); err != nil {
		f.T.Fatalf("task: %v", err)
	}
	return p, task
}

// activityTestParticipants is the stored total of participants this year
// under root.
func activityTestParticipants(f *webtest.Fixture, root string) int64 {
	f.T.Helper()
	year := dates.Today().Year()
	rows, err := f.Store.ActivityTotals(context.Background(), year)
	if err != nil {
		f.T.Fatal(err)
	}
	var sum int64
	for _, r := range rows {
		if r.Unit == f.Units[root] || root == "" {
			sum += r.Metrics[1]
		}
	}
	return sum
}

// activityTestInvalid reports whether the input with id is marked invalid.
func activityTestInvalid(body, id string) bool {
	return regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*aria-invalid="true"`).MatchString(body)
}

// activityTestDraftPlan creates a draft plan of unit (no tasks, no
// indicators).
func activityTestDraftPlan(f *webtest.Fixture, unit string) *plans.Plan {
	f.T.Helper()
	p := &plans.Plan{UnitID: f.Units[unit], Number: "1/KH-" + unit, Title: "Kế hoạch của " + unit, YearFrom: 2022, YearTo: 2025,
		Status: plans.StatusDraft}
	if err := f.Store.CreatePlan(context.Background(), audit.System, p, nil); err != nil {
		f.T.Fatal(err)
	}
	return p
}

func activityTestForm(unit int64, title string, participants int, extra url.Values) url.Values {
	v := url.Values{"unit": {fmt.Sprint(unit)}, "type": {"training_class"}, "title": {title}, "channel": {"in_person"},
		"start": {dates.Today().VN()}, "audiences": {"civil_servants", "citizens"}, "quantity": {"1"},
		"participants": {fmt.Sprint(participants)}}
	for k, vs := range extra {
		v[k] = vs
	}
	return v
}

func TestActivityPages(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		_, task := activityTestPlan(f)
		x1 := f.Units["X1"]
		fx := f.Login("focal.x@t.vn")

		// The form offers X1's task, preselected from ?task=.
		status, body := fx.Get(fmt.Sprintf("/activities/new?task=%d", task.ID))
		if status != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`id="activity-task-%d" checked`, task.ID)) {
			t.Fatalf("new form: %d, task preselected: %v", status, strings.Contains(body, "activity-task-"))
		}
		csrf := webtest.CSRFOf(t, body)

		// Validation errors keep the input and mark the fields.
		bad := activityTestForm(x1, "Tập huấn", 10, url.Values{"type": {"nope"}, "audiences": nil, "start": {"31/02/2026"}, "participants": {"abc"}})
		status, body = fx.PostForm("/activities/new", csrf, bad)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("invalid form: status %d", status)
		}
		for _, id := range []string{"activity-type", "activity-start", "activity-participants"} {
			if !activityTestInvalid(body, id) {
				t.Errorf("field %s should be marked invalid", id)
			}
		}
		for _, want := range []string{"activity-audiences-error", `value="Tập huấn"`, "loại hoạt động không hợp lệ", "chọn ít nhất một đối tượng"} {
			if !strings.Contains(body, want) {
				t.Errorf("invalid form lacks %q", want)
			}
		}

		// Create: totals move.
		status, _ = fx.PostForm("/activities/new", csrf, activityTestForm(x1, "Tập huấn cho cán bộ xã", 40,
			url.Values{"tasks": {fmt.Sprint(task.ID)}}))
		if status != http.StatusSeeOther {
			t.Fatalf("create: %d", status)
		}
		list, _, err := f.Store.Activities(ctx, store.ActivityFilter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("stored activities: %v %d", err, len(list))
		}
		act, err := f.Store.Activity(ctx, list[0].ID)
		if err != nil || len(act.Tasks) != 1 || act.Tasks[0] != task.ID || act.Participants != 40 {
			t.Fatalf("stored activity: %+v %v", act, err)
		}
		if got := activityTestParticipants(f, "X1"); got != 40 {
			t.Errorf("totals after create: %d participants, want 40", got)
		}
		id := fmt.Sprint(act.ID)

		// Detail and list with totals.
		status, body = fx.Get("/activities/" + id + "?done=created")
		if status != http.StatusOK || !strings.Contains(body, "Tập huấn cho cán bộ xã") || !strings.Contains(body, "Tổ chức tập huấn") {
			t.Errorf("detail: %d", status)
		}
		status, body = fx.Get("/activities?year=" + fmt.Sprint(dates.Today().Year()))
		if status != http.StatusOK || !strings.Contains(body, `id="activity-`+id+`"`) || !strings.Contains(body, `<dd id="sum-participants">40</dd>`) {
			t.Errorf("list: %d %v", status, strings.Contains(body, "activity-"+id))
		}
		_, body = fx.Get("/activities?q=khong+co+gi")
		if !strings.Contains(body, `id="activity-none"`) {
			t.Error("a search matching nothing should say so")
		}
		_, body = fx.Get("/activities?year=abc")
		if !strings.Contains(body, `id="activity-filter-errors"`) {
			t.Error("a bad year should be reported")
		}

		// Edit: totals move with the figures.
		status, _ = fx.PostForm("/activities/"+id+"/edit", csrf, activityTestForm(x1, "Tập huấn cho cán bộ xã (đợt 1)", 1234, nil))
		if status != http.StatusSeeOther {
			t.Fatalf("edit: %d", status)
		}
		if got := activityTestParticipants(f, "X1"); got != 1234 {
			t.Errorf("totals after edit: %d, want 1234", got)
		}
		_, body = fx.Get("/activities")
		if !strings.Contains(body, `<dd id="sum-participants">1.234</dd>`) {
			t.Error("list totals should follow the edit, in Vietnamese number format")
		}

		// Another commune's focal point can neither see nor change it.
		fy := f.Login("focal.y@t.vn")
		for _, path := range []string{"/activities/" + id, "/activities/" + id + "/edit", "/activities/" + id + "/delete"} {
			if status, _ := fy.Get(path); status != http.StatusNotFound {
				t.Errorf("focal.y GET %s: %d, want 404", path, status)
			}
		}
		ycsrf := fy.CSRF("/activities/new")
		if status, _ := fy.PostForm("/activities/"+id+"/delete", ycsrf, url.Values{}); status != http.StatusNotFound {
			t.Errorf("focal.y delete: %d, want 404", status)
		}
		if status, _ := fy.PostForm("/activities/new", ycsrf, activityTestForm(x1, "Ghi hộ", 5, nil)); status != http.StatusForbidden {
			t.Errorf("focal.y recording for X1: %d, want 403", status)
		}
		_, body = fy.Get("/activities")
		if strings.Contains(body, "Tập huấn cho cán bộ xã") {
			t.Error("focal.y's list shows X1's activity")
		}
		if status, _ := fy.Get(fmt.Sprintf("/activities?unit=%d", x1)); status != http.StatusForbidden {
			t.Errorf("focal.y filtering on X1: %d, want 403", status)
		}
		// The viewer reads but does not write.
		vx := f.Login("viewer.x@t.vn")
		if status, body := vx.Get("/activities/" + id); status != http.StatusOK || strings.Contains(body, `id="activity-edit"`) {
			t.Errorf("viewer detail: %d", status)
		}
		if status, _ := vx.Get("/activities/" + id + "/edit"); status != http.StatusForbidden {
			t.Errorf("viewer edit: %d, want 403", status)
		}
		if status, _ := vx.Get("/activities/new"); status != http.StatusForbidden {
			t.Errorf("viewer new: %d, want 403", status)
		}
		// The coordinator sees it province-wide.
		co := f.Login("coord@t.vn")
		if _, body := co.Get("/activities"); !strings.Contains(body, `id="activity-`+id+`"`) {
			t.Error("the coordinator should see X1's activity")
		}

		// Delete with confirmation: totals drop to zero.
		status, body = fx.Get("/activities/" + id + "/delete")
		if status != http.StatusOK || !strings.Contains(body, `id="activity-delete-form"`) {
			t.Fatalf("delete confirmation: %d", status)
		}
		status, _ = fx.PostForm("/activities/"+id+"/delete", csrf, url.Values{})
		if status != http.StatusSeeOther {
			t.Fatalf("delete: %d", status)
		}
		if _, err := f.Store.Activity(ctx, act.ID); err != store.ErrNotFound {
			t.Errorf("after delete: %v", err)
		}
		if got := activityTestParticipants(f, ""); got != 0 {
			t.Errorf("totals after delete: %d, want 0", got)
		}
	})
}
