package homeweb_test

import (
	"net/http"
	"strings"
	"testing"

	"khienso/internal/web/webtest"
)

// The home page is the user's to-do: a focal point sees their unit's part,
// with its empty states and links to the full lists.
func TestHome(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		for _, user := range []string{"focal.x@t.vn", "focal.z@t.vn"} {
			c := f.Login(user)
			status, body := c.Get("/")
			if status != http.StatusOK {
				t.Fatalf("%s home: %d", user, status)
			}
			for _, want := range []string{`id="todo-unit"`, "Không có báo cáo nào đến hạn.", `href="/reports"`, `id="todo-notifications"`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s home lacks %q", user, want)
				}
			}
			if strings.Contains(body, `id="todo-manage"`) {
				t.Errorf("%s, who reviews nothing, sees the managers' part", user)
			}
		}
		if status, loc := f.Login("").Location("/"); status != http.StatusSeeOther || loc != "/login" {
			t.Errorf("anonymous home: %d → %q", status, loc)
		}
	}, webtest.SecondProvince())
}
