package web_test

import (
	"fmt"
	"regexp"

	"khienso/internal/web/webtest"
)

// TODO(split): moves with plans, tasks, reports and activities (their tests
// use it; the units tests have their own copy in unitsweb).
// unitTestID renders a fixture unit's id.
func unitTestID(f *webtest.Fixture, code string) string {
	f.T.Helper()
	id, ok := f.Units[code]
	if !ok {
		f.T.Fatalf("no fixture unit %s", code)
	}
	return fmt.Sprint(id)
}

// TODO(split): moves with plans, reports and activities.
// unitTestInvalid tells whether the form field with id is marked invalid.
func unitTestInvalid(body, id string) bool {
	return regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*aria-invalid="true"`).MatchString(body)
}
