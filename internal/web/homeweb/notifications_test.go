package homeweb_test

import (
	"context"
	"fmt"
	"khienso/internal/web/webtest"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/reports"
)

func TestNotificationsListAndMarkRead(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		tpl := reports.Standard()
		if err := f.Store.SaveReportTemplate(ctx, audit.System, &tpl); err != nil {
			t.Fatalf("template: %v", err)
		}
		today := dates.Today()
		// One round due in a week and one overdue, both for X1.
		soon := &reports.Round{TemplateID: tpl.ID, Title: "Báo cáo tuần tới", From: today.AddDays(-90), To: today,
			Deadline: today.AddDays(7), Units: []int64{f.Units["X1"]}}
		late := &reports.Round{TemplateID: tpl.ID, Title: "Báo cáo đã quá hạn", From: today.AddDays(-90), To: today.AddDays(-10),
			Deadline: today.AddDays(-3), Units: []int64{f.Units["X1"]}}
		for _, r := range []*reports.Round{soon, late} {
			if err := f.Store.CreateRound(ctx, audit.System, r); err != nil {
				t.Fatalf("round %s: %v", r.Title, err)
			}
		}
		if n, err := f.Store.ScheduleReminders(ctx, today); err != nil || n != 2 {
			t.Fatalf("ScheduleReminders = %d, %v; want 2", n, err)
		}

		c := f.Login("focal.x@t.vn")
		status, body := c.Get("/notifications")
		if status != http.StatusOK {
			t.Fatalf("GET /notifications: %d", status)
		}
		wantSoon := fmt.Sprintf("Còn 7 ngày đến hạn nộp báo cáo “Báo cáo tuần tới” (hạn %s)", today.AddDays(7).VN())
		wantLate := fmt.Sprintf("Đã quá hạn nộp báo cáo “Báo cáo đã quá hạn” (hạn %s)", today.AddDays(-3).VN())
		for _, want := range []string{wantSoon, wantLate, fmt.Sprintf(`href="/reports/rounds/%d"`, soon.ID),
			fmt.Sprintf(`href="/reports/rounds/%d"`, late.ID), "Có 2 thông báo chưa đọc.", `id="notif-mark-read"`} {
			if !strings.Contains(body, want) {
				t.Errorf("notifications page lacks %q", want)
			}
		}
		if n := len(regexp.MustCompile(`class="notif-item notif-unread"`).FindAllString(body, -1)); n != 2 {
			t.Errorf("%d unread items, want 2", n)
		}
		// Newest first (created in one pass, so the later id first).
		items := regexp.MustCompile(`id="notif-(\d+)"`).FindAllStringSubmatch(body, -1)
		if len(items) != 2 {
			t.Fatalf("items = %v", items)
		}
		if a, b := atoiOr0(items[0][1]), atoiOr0(items[1][1]); a <= b {
			t.Errorf("items not newest first: %v", items)
		}

		// Other users see none of them.
		_, obody := f.API("GET", "/notifications", "focal.y@t.vn", "")
		if !strings.Contains(obody, `id="notif-empty"`) || strings.Contains(obody, "Báo cáo tuần tới") {
			t.Error("focal.y should have no notifications")
		}

		// Marking read needs the form token.
		if status, _ := c.PostForm("/notifications/read", "wrong", url.Values{}); status != http.StatusForbidden {
			t.Errorf("mark read without a valid token: %d", status)
		}
		status, _ = c.PostForm("/notifications/read", webtest.CSRFOf(t, body), url.Values{})
		if status != http.StatusSeeOther {
			t.Fatalf("mark read: %d", status)
		}
		_, body = c.Get("/notifications?marked=1")
		if strings.Contains(body, "notif-unread") || !strings.Contains(body, `id="notif-notice"`) ||
			!strings.Contains(body, "Bạn đã đọc hết thông báo.") || !strings.Contains(body, wantSoon) {
			t.Error("after marking read, the items stay listed and none is unread")
		}
		if strings.Contains(body, `id="notif-mark-read"`) {
			t.Error("no mark-read button when nothing is unread")
		}
		list, unread, err := f.Store.Notifications(ctx, f.Users["focal.x@t.vn"], 10)
		if err != nil || unread != 0 || len(list) != 2 {
			t.Errorf("store: %d items, %d unread, %v", len(list), unread, err)
		}

		// Signed out: sent to the login page.
		anon := f.Login("")
		if status, _ := anon.Get("/notifications"); status != http.StatusSeeOther {
			t.Errorf("anonymous GET /notifications: %d", status)
		}
	})
}

func atoiOr0(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func TestAPINotifications(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		tpl := reports.Standard()
		if err := f.Store.SaveReportTemplate(ctx, audit.System, &tpl); err != nil {
			t.Fatalf("template: %v", err)
		}
		today := dates.Today()
		// Three rounds due in a week for X1: three reminders to focal.x.
		for i := range 3 {
			r := &reports.Round{TemplateID: tpl.ID, Title: fmt.Sprintf("Báo cáo %d", i), From: today.AddDays(-90), To: today,
				Deadline: today.AddDays(7), Units: []int64{f.Units["X1"]}}
			if err := f.Store.CreateRound(ctx, audit.System, r); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := f.Store.ScheduleReminders(ctx, today); err != nil || n != 3 {
			t.Fatalf("ScheduleReminders = %d, %v; want 3", n, err)
		}
		type item struct {
			ID        int64  `json:"id"`
			Kind      string `json:"kind"`
			Text      string `json:"text"`
			Link      string `json:"link"`
			CreatedAt string `json:"created_at"`
			Read      bool   `json:"read"`
		}
		var list struct {
			Items  []item `json:"items"`
			Total  int    `json:"total"`
			Limit  int    `json:"limit"`
			Offset int    `json:"offset"`
			Unread int    `json:"unread"`
		}
		status, body := f.API("GET", "/api/v1/notifications?limit=2", "focal.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if list.Total != 3 || list.Unread != 3 || len(list.Items) != 2 || list.Limit != 2 || list.Offset != 0 {
			t.Fatalf("first page: %s", body)
		}
		first := list.Items[0]
		if first.Kind != "reminder.before_7" || !strings.HasPrefix(first.Text, "Còn 7 ngày") || !strings.HasPrefix(first.Link, "/reports/rounds/") ||
			first.Read || first.CreatedAt == "" || list.Items[0].ID <= list.Items[1].ID {
			t.Errorf("items: %s", body)
		}
		status, body = f.API("GET", "/api/v1/notifications?offset=2", "focal.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if len(list.Items) != 1 || list.Total != 3 {
			t.Errorf("second page: %s", body)
		}
		last := list.Items[0].ID

		// Others see none of them and mark none of them.
		var count struct {
			Unread int `json:"unread"`
			Marked int `json:"marked"`
		}
		status, body = f.API("GET", "/api/v1/notifications", "focal.y@t.vn", "")
		if status != http.StatusOK || !strings.Contains(body, `"items":[]`) || !strings.Contains(body, `"total":0`) {
			t.Errorf("focal.y's notifications: %d %s", status, body)
		}
		status, body = f.API("POST", "/api/v1/notifications/read", "focal.y@t.vn", webtest.JSON(map[string]any{"ids": []int64{first.ID}}))
		webtest.Expect(t, status, body, http.StatusOK, &count)
		if count.Marked != 0 {
			t.Errorf("focal.y marked focal.x's notification: %s", body)
		}

		// Mark one by id, then the rest.
		status, body = f.API("POST", "/api/v1/notifications/read", "focal.x@t.vn", webtest.JSON(map[string]any{"ids": []int64{first.ID, first.ID}}))
		webtest.Expect(t, status, body, http.StatusOK, &count)
		if count.Marked != 1 || count.Unread != 2 {
			t.Errorf("mark one: %s", body)
		}
		status, body = f.API("GET", "/api/v1/notifications/unread-count", "focal.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &count)
		if count.Unread != 2 {
			t.Errorf("unread count: %s", body)
		}
		status, body = f.API("POST", "/api/v1/notifications/read", "focal.x@t.vn", `{"ids": []}`)
		webtest.Expect(t, status, body, http.StatusOK, &count)
		if count.Marked != 0 || count.Unread != 2 {
			t.Errorf("an empty list marks nothing: %s", body)
		}
		status, body = f.API("POST", "/api/v1/notifications/read", "focal.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &count)
		if count.Marked != 2 || count.Unread != 0 {
			t.Errorf("mark all: %s", body)
		}
		status, body = f.API("GET", "/api/v1/notifications?offset=2", "focal.x@t.vn", "")
		webtest.Expect(t, status, body, http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0].ID != last || !list.Items[0].Read || list.Unread != 0 {
			t.Errorf("after marking: %s", body)
		}

		// Refusals.
		for _, c := range []struct {
			method, path, user, body string
			status                   int
			code                     string
			fields                   []string
		}{
			{"GET", "/api/v1/notifications", "", "", 401, "unauthorized", nil},
			{"GET", "/api/v1/notifications/unread-count", "", "", 401, "unauthorized", nil},
			{"POST", "/api/v1/notifications/read", "", "", 401, "unauthorized", nil},
			{"GET", "/api/v1/notifications?limit=0", "focal.x@t.vn", "", 400, "bad_request", []string{"limit"}},
			{"POST", "/api/v1/notifications/read", "focal.x@t.vn", `{"ids": [0]}`, 422, "invalid_input", []string{"ids"}},
			{"POST", "/api/v1/notifications/read", "focal.x@t.vn", `{"all": true}`, 400, "bad_request", []string{"all"}},
			{"POST", "/api/v1/notifications/read", "focal.x@t.vn", webtest.JSON(map[string]any{"ids": make([]int64, 501)}), 422, "invalid_input", []string{"ids"}},
		} {
			status, body := f.API(c.method, c.path, c.user, c.body)
			webtest.ExpectError(t, status, body, c.status, c.code, c.fields...)
		}
	})
}
