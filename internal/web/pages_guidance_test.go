package web_test

import (
	"html/template"
	"net/url"
	"strings"
	"testing"

	"khienso/internal/i18n"
	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// Error pages say what happened and where to go, form summaries name the
// fields by their labels, and numbers follow the reader's language; none
// shows a catalogue key or a field's internal name.
func TestPagesGuideTheReader(t *testing.T) {
	f := webtest.New(t, store.SQLite)
	for _, lang := range i18n.Langs {
		l := lang
		t.Run(string(l), func(t *testing.T) {
			c := f.Login("focal.x@t.vn")
			c.Get("/lang?to=" + string(l) + "&back=/")
			cases := []struct {
				name, path string
				status     int
				want       []string
			}{
				{"not found", "/plans/999999", 404, []string{l.T("error.not_found.title"), l.T("error.not_found"),
					l.T("error.not_found.help"), `id="error-home"`}},
				{"forbidden", "/settings", 403, []string{l.T("error.forbidden.title"), l.T("error.forbidden"),
					l.T("error.forbidden.signed_in", "focal.x@t.vn"), l.T("role.focal_point"), l.T("error.forbidden.help"), `id="error-home"`}},
			}
			for _, tc := range cases {
				status, body := c.Get(tc.path)
				if status != tc.status {
					t.Errorf("%s: status %d, want %d", tc.name, status, tc.status)
				}
				for _, w := range tc.want {
					if !strings.Contains(body, w) && !strings.Contains(body, template.HTMLEscapeString(w)) {
						t.Errorf("%s: page lacks %q", tc.name, w)
					}
				}
				for _, key := range []string{"error.", "err.", "role.focal_point"} {
					if strings.Contains(body, key) {
						t.Errorf("%s: page shows the key %q", tc.name, key)
					}
				}
			}

			// A form's summary links each error to its input by its label.
			csrf := c.CSRF("/users/new")
			_, body := c.PostForm("/users/new", csrf, url.Values{"name": {""}, "email": {"x"}, "unit_code": {"X1"}, "roles": {"viewer"}})
			if !strings.Contains(body, `id="form-errors"`) || !strings.Contains(body, `<a href="#user-name">`+l.T("user.field.name")+`</a>`) {
				t.Errorf("the summary does not link the name by its label: %s", body)
			}
		})
	}
}
