package tasksweb_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"khienso/internal/web/webtest"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/plans"
	"khienso/internal/store"
)

var taskTestLocation = regexp.MustCompile(`^/tasks/(\d+)\?saved=1`)

func TestTaskCRUDAndUpdates(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		p := planTestCreate(f, "40", plans.StatusInEffect, 0)
		coord := f.Login("coord@t.vn")
		newPath := fmt.Sprintf("/plans/%d/tasks/new", p.ID)
		csrf := coord.CSRF(newPath)

		// Validation: a lead unit is required, a range needs years.
		status, body := coord.PostForm(newPath, csrf, url.Values{"content": {"Tuyên truyền về lừa đảo trực tuyến"}, "kind": {"range"},
			"year_from": {"2025"}, "year_to": {"2023"}, "status": {"not_started"}, "progress": {"0"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, i18n.VI.T("task.err.lead")) ||
			!strings.Contains(body, i18n.VI.T("plan.err.year_order")) || !strings.Contains(body, "Tuyên truyền về lừa đảo trực tuyến") {
			t.Fatalf("invalid task: %d", status)
		}
		resp, err := coord.HTTP.PostForm(f.Server.URL+newPath, url.Values{"csrf_token": {csrf}, "section": {"I. Tuyên truyền"}, "number": {"1"},
			"content": {"Tuyên truyền về lừa đảo trực tuyến"}, "lead": {unitTestID(f, "X1")}, "coord": {unitTestID(f, "40-CA"), unitTestID(f, "Y1")},
			"kind": {"range"}, "year_from": {"2022"}, "year_to": {"2025"}, "status": {"not_started"}, "progress": {"0"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		m := taskTestLocation.FindStringSubmatch(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("create task: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		taskPath := "/tasks/" + m[1]
		var taskID int64
		fmt.Sscan(m[1], &taskID)
		task, err := f.Store.Task(ctx, taskID)
		if err != nil || len(task.Lead) != 1 || task.Lead[0] != f.Units["X1"] || len(task.Coord) != 2 || task.Kind != plans.TimeRange || task.YearTo != 2025 {
			t.Fatalf("stored task %+v %v", task, err)
		}

		// Edit to a due date in the past: the task becomes overdue.
		status, body = coord.Get(taskPath + "/edit")
		if status != http.StatusOK || !strings.Contains(body, `value="2022"`) {
			t.Fatalf("edit form: %d", status)
		}
		status, _ = coord.PostForm(taskPath+"/edit", csrf, url.Values{"section": {"I. Tuyên truyền"}, "number": {"1"},
			"content": {"Tuyên truyền về lừa đảo trực tuyến (sửa)"}, "lead": {unitTestID(f, "X1")}, "kind": {"due"}, "due": {"31/12/2023"},
			"status": {"in_progress"}, "progress": {"10"}})
		if status != http.StatusSeeOther {
			t.Fatalf("edit task: %d", status)
		}
		_, body = coord.Get(fmt.Sprintf("/plans/%d", p.ID))
		for _, want := range []string{"I. Tuyên truyền", "(sửa)", "Xã Nghi Phong", "31/12/2023", i18n.VI.T("task.overdue"), fmt.Sprintf(`id="task-%d" class="overdue"`, taskID)} {
			if !strings.Contains(body, want) {
				t.Errorf("task table lacks %q", want)
			}
		}

		// X1's focal point reports with an evidence file.
		fx := f.Login("focal.x@t.vn")
		status, body = fx.Get(taskPath)
		if status != http.StatusOK || !strings.Contains(body, `id="update-form"`) || !strings.Contains(body, "/activities/new?task="+m[1]) {
			t.Fatalf("focal.x task page: %d, should offer the update form and the activity link", status)
		}
		fxCSRF := webtest.CSRFOf(t, body)
		evidence := []byte("%PDF-1.4 biên bản")
		status, _, _ = fx.PostMultipart(taskPath+"/updates", fxCSRF, url.Values{"status": {"in_progress"}, "progress": {"60"},
			"note": {"Đã tổ chức 3 lớp"}, "link": {"javascript:alert(1)"}}, "bien-ban.pdf", evidence)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("a javascript: link should be refused, got %d", status)
		}
		status, _, _ = fx.PostMultipart(taskPath+"/updates", fxCSRF, url.Values{"status": {"in_progress"}, "progress": {"60"}},
			"big.pdf", bytes.Repeat([]byte("x"), plans.MaxEvidenceFile+1))
		if status != http.StatusUnprocessableEntity {
			t.Errorf("a file over 10 MB should be refused, got %d", status)
		}
		status, _, _ = fx.PostMultipart(taskPath+"/updates", fxCSRF, url.Values{"status": {"in_progress"}, "progress": {"60"},
			"note": {"Đã tổ chức 3 lớp"}, "link": {"https://nghiphong.gov.vn/tin/1"}}, "bien-ban.pdf", evidence)
		if status != http.StatusSeeOther {
			t.Fatalf("post update: %d", status)
		}
		ups, err := f.Store.TaskUpdates(ctx, taskID)
		if err != nil || len(ups) != 1 || ups[0].UnitID != f.Units["X1"] || ups[0].FileName != "bien-ban.pdf" || ups[0].FileType != "application/pdf" {
			t.Fatalf("updates %+v %v", ups, err)
		}
		if task, _ := f.Store.Task(ctx, taskID); task.Progress != 60 {
			t.Errorf("task progress %d", task.Progress)
		}
		filePath := fmt.Sprintf("/tasks/updates/%d/file", ups[0].ID)

		download := func(c *webtest.Client) (int, http.Header, string) {
			resp, err := c.HTTP.Get(f.Server.URL + filePath)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, resp.Header, string(b)
		}
		fy := f.Login("focal.y@t.vn")
		for _, c := range []struct {
			who  string
			c    *webtest.Client
			want int
		}{{"focal.x", fx, http.StatusOK}, {"coord", coord, http.StatusOK}, {"focal.y", fy, http.StatusForbidden}} {
			status, h, b := download(c.c)
			if status != c.want {
				t.Errorf("%s downloads X1's evidence: %d, want %d", c.who, status, c.want)
				continue
			}
			if status == http.StatusOK && (b != string(evidence) || h.Get("Content-Type") != "application/pdf" ||
				!strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || !strings.Contains(h.Get("Content-Disposition"), "bien-ban.pdf")) {
				t.Errorf("%s download: type %q disposition %q", c.who, h.Get("Content-Type"), h.Get("Content-Disposition"))
			}
		}
		// focal.y reads the province task but neither X1's report nor its file, and may not report.
		status, body = fy.Get(taskPath)
		if status != http.StatusOK || strings.Contains(body, "Đã tổ chức 3 lớp") || strings.Contains(body, filePath) || strings.Contains(body, `id="update-form"`) {
			t.Errorf("focal.y task page: %d; must not show X1's update nor the form", status)
		}
		status, _, _ = fy.PostMultipart(taskPath+"/updates", webtest.CSRFOf(t, body), url.Values{"status": {"done"}, "progress": {"100"}, "note": {"x"}}, "", nil)
		if status != http.StatusForbidden {
			t.Errorf("focal.y posts an update on X1's task: %d", status)
		}
		if status, _ := fy.PostForm(taskPath+"/edit", webtest.CSRFOf(t, body), url.Values{"content": {"x"}}); status != http.StatusForbidden {
			t.Errorf("focal.y edits the province task: %d", status)
		}
		_, body = fx.Get(taskPath)
		if !strings.Contains(body, "Đã tổ chức 3 lớp") || !strings.Contains(body, filePath) {
			t.Error("focal.x should see its update and file link")
		}

		// Delete.
		if status, _ := coord.PostForm(taskPath+"/delete", csrf, url.Values{}); status != http.StatusSeeOther {
			t.Fatalf("delete: %d", status)
		}
		if _, err := f.Store.Task(ctx, taskID); err != store.ErrNotFound {
			t.Errorf("task after delete: %v", err)
		}
		if status, _ := coord.Get(filePath); status != http.StatusNotFound {
			t.Errorf("evidence of a deleted task: %d", status)
		}
	})
}

func TestTasksMine(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		p := planTestCreate(f, "40", plans.StatusInEffect, 0)
		draftY := planTestCreate(f, "Y1", plans.StatusDraft, p.ID)
		x1, y1, ca := f.Units["X1"], f.Units["Y1"], f.Units["40-CA"]
		mk := func(content string, kind plans.TimeframeKind, due string, lead, coord []int64) *plans.Task {
			t := &plans.Task{Content: content, Kind: kind, Lead: lead, Coord: coord}
			if due != "" {
				t.Due = dates.MustParse(due)
			}
			return t
		}
		list := []*plans.Task{
			mk("Nhiệm vụ đúng hạn", plans.TimeContinuous, "", []int64{x1}, nil),
			mk("Nhiệm vụ quá hạn", plans.TimeDue, "2023-06-30", []int64{x1}, nil),
			mk("Nhiệm vụ phối hợp", plans.TimeYearly, "", []int64{ca}, []int64{x1}),
			mk("Nhiệm vụ của Vinh Phú", plans.TimeYearly, "", []int64{y1}, nil),
		}
		if err := f.Store.CreateTasks(ctx, audit.System, p.ID, list); err != nil {
			t.Fatal(err)
		}
		// A task in Y1's draft naming X1 stays hidden from X1.
		if err := f.Store.CreateTasks(ctx, audit.System, draftY.ID, []*plans.Task{mk("Nhiệm vụ nháp", plans.TimeYearly, "", []int64{x1}, nil)}); err != nil {
			t.Fatal(err)
		}
		fx := f.Login("focal.x@t.vn")
		status, body := fx.Get("/tasks/mine")
		if status != http.StatusOK {
			t.Fatalf("/tasks/mine: %d", status)
		}
		lead, coord, _ := strings.Cut(body, `id="mine-coord"`)
		iOver, iOn := strings.Index(lead, "Nhiệm vụ quá hạn"), strings.Index(lead, "Nhiệm vụ đúng hạn")
		if iOver < 0 || iOn < 0 || iOver > iOn {
			t.Error("the lead section should list both tasks, the overdue one first")
		}
		if !strings.Contains(coord, "Nhiệm vụ phối hợp") || strings.Contains(lead, "Nhiệm vụ phối hợp") {
			t.Error("the coordinated task belongs to the second section")
		}
		if strings.Contains(body, "Vinh Phú</a>") || strings.Contains(body, "Nhiệm vụ của Vinh Phú") || strings.Contains(body, "Nhiệm vụ nháp") {
			t.Error("focal.x must not see Y1's tasks nor Y1's draft")
		}
		if strings.Contains(body, `id="mine-unit-select"`) {
			t.Error("a focal point cannot pick another unit")
		}
		// ?unit= is ignored for a focal point, honoured for the coordinator.
		if status, body := fx.Get(fmt.Sprintf("/tasks/mine?unit=%d", y1)); status != http.StatusOK ||
			strings.Contains(body, "Nhiệm vụ của Vinh Phú") || !strings.Contains(body, "Nhiệm vụ đúng hạn") {
			t.Errorf("focal.x with ?unit=Y1 must get its own tasks (status %d), never Y1's", status)
		}
		_, body = f.Login("coord@t.vn").Get(fmt.Sprintf("/tasks/mine?unit=%d", y1))
		if !strings.Contains(body, "Nhiệm vụ của Vinh Phú") || !strings.Contains(body, `id="mine-unit-select"`) {
			t.Error("the coordinator picks Y1 and sees its tasks")
		}
	})
}

// TestTaskPagesStayInProvince: with two provinces in the database, a Nghệ
// An plan's forms offer Nghệ An's units only, its tasks stay out of Hà
// Tĩnh's reach, and the coordinator's unit picker holds their province.
func TestTaskPagesStayInProvince(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		p := planTestCreate(f, "40", plans.StatusInEffect, 0)
		task := taskTestCreate(t, f, p, "Nhiệm vụ của Nghi Phong", "X1")
		coord := f.Login("coord@t.vn")
		for _, path := range []string{fmt.Sprintf("/plans/%d/tasks/new", p.ID), fmt.Sprintf("/tasks/%d/edit", task.ID), "/tasks/mine"} {
			status, body := coord.Get(path)
			if status != http.StatusOK || strings.Contains(body, "Xã Cẩm Xuyên") || strings.Contains(body, "tỉnh Hà Tĩnh") {
				t.Errorf("%s: %d, must offer no Hà Tĩnh unit", path, status)
			}
		}
		// A crafted form naming a Hà Tĩnh unit is refused with the reason.
		newPath := fmt.Sprintf("/plans/%d/tasks/new", p.ID)
		status, body := coord.PostForm(newPath, coord.CSRF(newPath), url.Values{"content": {"Phối hợp liên tỉnh"}, "lead": {unitTestID(f, "Z1")},
			"kind": {"yearly"}, "status": {"not_started"}, "progress": {"0"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, i18n.VI.T("task.err.unit_province")) {
			t.Errorf("a Hà Tĩnh lead unit: %d", status)
		}
		// Hà Tĩnh's coordinator does not see the Nghệ An task, nor picks X1.
		cz := f.Login("coord.z@t.vn")
		if status, _ := cz.Get(fmt.Sprintf("/tasks/%d", task.ID)); status != http.StatusNotFound {
			t.Errorf("coord.z opens a Nghệ An task: %d", status)
		}
		if status, body := cz.Get(fmt.Sprintf("/tasks/mine?unit=%d", f.Units["X1"])); status != http.StatusOK ||
			strings.Contains(body, "Nhiệm vụ của Nghi Phong") || !strings.Contains(body, "Sở Khoa học và Công nghệ tỉnh Hà Tĩnh") {
			t.Errorf("coord.z's tasks with ?unit=X1 (%d) must be their own unit's", status)
		}
	}, webtest.SecondProvince())
}
