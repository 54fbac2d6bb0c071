package homeweb_test

import (
	"net/http"
	"strings"
	"testing"

	"khienso/internal/web/webtest"
)

// The home page names the user's unit and counts the active units of their
// own province, not of every province the database holds.
func TestHome(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		for user, want := range map[string]string{
			"focal.x@t.vn": "Xã Nghi Phong", // 40 has 6 units
			"focal.z@t.vn": "Xã Cẩm Xuyên",  // 42 has 3
		} {
			c := f.Login(user)
			status, body := c.Get("/")
			if status != http.StatusOK || !strings.Contains(body, want) {
				t.Fatalf("%s home: %d, want their unit %s", user, status, want)
			}
			count := map[string]string{"focal.x@t.vn": "<dd>6</dd>", "focal.z@t.vn": "<dd>3</dd>"}[user]
			if !strings.Contains(body, count) {
				t.Errorf("%s home does not count their province's units (%s)", user, count)
			}
		}
		if status, loc := f.Login("").Location("/"); status != http.StatusSeeOther || loc != "/login" {
			t.Errorf("anonymous home: %d → %q", status, loc)
		}
	}, webtest.SecondProvince())
}
