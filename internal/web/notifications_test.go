package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/progress"
	"khienso/internal/reports"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
)

func TestNotificationText(t *testing.T) {
	for _, tc := range []struct {
		lang i18n.Lang
		n    store.Notification
		want string
	}{
		{i18n.VI, store.Notification{Subject: "reminder.before_7", Body: "Báo cáo năm 2026|2026-12-05"},
			"Còn 7 ngày đến hạn nộp báo cáo “Báo cáo năm 2026” (hạn 05/12/2026)"},
		{i18n.VI, store.Notification{Subject: "reminder.before_1", Body: "Báo cáo quý|2026-01-31"},
			"Ngày mai là hạn nộp báo cáo “Báo cáo quý” (31/01/2026)"},
		{i18n.EN, store.Notification{Subject: "reminder.overdue", Body: "Annual report|2026-12-05"},
			"The report “Annual report” is overdue (was due 05/12/2026)"},
		// A title that merely looks like a date elsewhere is kept as typed.
		{i18n.VI, store.Notification{Subject: "reminder.overdue", Body: "Báo cáo 2026-12|2026-12-05"},
			"Đã quá hạn nộp báo cáo “Báo cáo 2026-12” (hạn 05/12/2026)"},
		{i18n.VI, store.Notification{Subject: "notif.title"}, "Thông báo"},
		{i18n.VI, store.Notification{Subject: "future.kind", Body: "a|b"}, "future.kind: a · b"},
	} {
		if got := notifText(tc.lang, tc.n); got != tc.want {
			t.Errorf("notifText(%s, %+v) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
	for link, want := range map[string]string{"/reports/rounds/3": "/reports/rounds/3", "https://evil.example": "", "//evil": "", "": ""} {
		if got := notifLink(link); got != want {
			t.Errorf("notifLink(%q) = %q, want %q", link, got, want)
		}
	}
}

func TestNotificationsListAndMarkRead(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, _ *store.Store) {
		f := newFixture(t, engineOf(t))
		ctx := context.Background()
		tpl := reports.Standard()
		if err := f.store.SaveReportTemplate(ctx, audit.System, &tpl, progress.CheckTemplate); err != nil {
			t.Fatalf("template: %v", err)
		}
		today := dates.Today()
		// One round due in a week and one overdue, both for X1.
		soon := &reports.Round{TemplateID: tpl.ID, Title: "Báo cáo tuần tới", From: today.AddDays(-90), To: today,
			Deadline: today.AddDays(7), Units: []int64{f.units["X1"]}}
		late := &reports.Round{TemplateID: tpl.ID, Title: "Báo cáo đã quá hạn", From: today.AddDays(-90), To: today.AddDays(-10),
			Deadline: today.AddDays(-3), Units: []int64{f.units["X1"]}}
		for _, r := range []*reports.Round{soon, late} {
			if err := f.store.CreateRound(ctx, audit.System, r); err != nil {
				t.Fatalf("round %s: %v", r.Title, err)
			}
		}
		if n, err := f.store.ScheduleReminders(ctx, today); err != nil || n != 2 {
			t.Fatalf("ScheduleReminders = %d, %v; want 2", n, err)
		}

		c := f.login("focal.x@t.vn")
		status, body := c.get("/notifications")
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
		_, obody := f.api("GET", "/notifications", "focal.y@t.vn", "")
		if !strings.Contains(obody, `id="notif-empty"`) || strings.Contains(obody, "Báo cáo tuần tới") {
			t.Error("focal.y should have no notifications")
		}

		// Marking read needs the form token.
		if status, _ := c.postForm("/notifications/read", "wrong", url.Values{}); status != http.StatusForbidden {
			t.Errorf("mark read without a valid token: %d", status)
		}
		status, _ = c.postForm("/notifications/read", csrfOf(t, body), url.Values{})
		if status != http.StatusSeeOther {
			t.Fatalf("mark read: %d", status)
		}
		_, body = c.get("/notifications?marked=1")
		if strings.Contains(body, "notif-unread") || !strings.Contains(body, `id="notif-notice"`) ||
			!strings.Contains(body, "Bạn đã đọc hết thông báo.") || !strings.Contains(body, wantSoon) {
			t.Error("after marking read, the items stay listed and none is unread")
		}
		if strings.Contains(body, `id="notif-mark-read"`) {
			t.Error("no mark-read button when nothing is unread")
		}
		list, unread, err := f.store.Notifications(ctx, f.users["focal.x@t.vn"], 10)
		if err != nil || unread != 0 || len(list) != 2 {
			t.Errorf("store: %d items, %d unread, %v", len(list), unread, err)
		}

		// Signed out: sent to the login page.
		anon := f.login("")
		if status, _ := anon.get("/notifications"); status != http.StatusSeeOther {
			t.Errorf("anonymous GET /notifications: %d", status)
		}
	})
}

func atoiOr0(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
