package web_test

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
	"khienso/internal/progress"
	"khienso/internal/reports"
)

func TestNotificationsListAndMarkRead(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		tpl := reports.Standard()
		if err := f.Store.SaveReportTemplate(ctx, audit.System, &tpl, progress.CheckTemplate); err != nil {
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
