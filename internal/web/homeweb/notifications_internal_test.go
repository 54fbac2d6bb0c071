package homeweb

import (
	"khienso/internal/i18n"
	"khienso/internal/store"
	"testing"
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
