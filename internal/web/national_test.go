package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"khienso/internal/activities"
	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/web/webtest"
)

// TestNationalScopes: with both provinces under a national root, every
// unit picker and every list's default scope of a province's staff stays
// inside the province (never the other province, never the national
// level), while the national coordinator's covers the country.
func TestNationalScopes(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		ctx := context.Background()
		day := dates.MustParse("2026-03-02")
		for _, code := range []string{"X1", "Z1", "VN-ATTT"} {
			a := &activities.Activity{UnitID: f.Units[code], Type: "training_class", Channel: "in_person", Title: "Lớp tập huấn tại " + code,
				Start: day, Audiences: activities.SetOf("citizens"), Quantity: 1, Participants: 20}
			if err := f.Store.CreateActivity(ctx, audit.System, a); err != nil {
				t.Fatal(err)
			}
		}
		planOf := func(code, title string) *plans.Plan {
			p := &plans.Plan{UnitID: f.Units[code], Title: title, Number: "1/KH-" + code, IssuedOn: dates.MustParse("2026-01-05"),
				YearFrom: 2026, YearTo: 2030, Status: plans.StatusInEffect}
			if err := f.Store.CreatePlan(ctx, audit.System, p, nil); err != nil {
				t.Fatal(err)
			}
			// One task long overdue, for the home's list of the overdue.
			task := &plans.Task{Content: "Nhiệm vụ quá hạn của " + code, Kind: plans.TimeDue, Due: dates.MustParse("2026-02-01"), Lead: []int64{f.Units[code]}}
			if err := f.Store.CreateTasks(ctx, audit.System, p.ID, []*plans.Task{task}); err != nil {
				t.Fatal(err)
			}
			return p
		}
		na, national := planOf("40", "Kế hoạch của tỉnh Nghệ An"), planOf("VN-ATTT", "Kế hoạch quốc gia")
		opt := func(code string) string { return fmt.Sprintf(`<option value="%d"`, f.Units[code]) }
		for _, c := range []struct {
			user, path   string
			shows, hides []string
			// within, when set, is the start of the select the options
			// are looked for in (a page may list plans by id too).
			within string
		}{
			// Pickers.
			{"coord", "/activities/new", []string{opt("X1"), opt("40")}, []string{opt("Z1"), opt("42"), opt("VN-ATTT"), opt("VN")}, ""},
			{"coord", "/activities", []string{opt("X1")}, []string{opt("Z1"), opt("VN-ATTT")}, ""},
			{"coord.vn", "/activities/new", []string{opt("X1"), opt("Z1"), opt("VN-ATTT")}, nil, ""},
			{"coord", "/plans/new", []string{opt("X1")}, []string{opt("Z1"), opt("VN-ATTT"), opt("VN")}, `id="plan-unit"`},
			{"admin", "/users/new", []string{`<option value="X1" `}, []string{`<option value="Z1" `, `<option value="VN-ATTT" `, `<option value="VN" `}, ""},
			{"coord", fmt.Sprintf("/plans/%d/tasks/new", na.ID), []string{opt("X1")}, []string{opt("Z1"), opt("VN-ATTT")}, ""},
			{"coord", "/reports/rounds/new", []string{na.Title}, []string{national.Title}, ""},
			{"coord.vn", "/reports/rounds/new", []string{national.Title}, []string{na.Title}, ""},
			// Default scopes of lists.
			{"coord", "/activities", []string{"Lớp tập huấn tại X1"}, []string{"Lớp tập huấn tại Z1", "Lớp tập huấn tại VN-ATTT"}, ""},
			{"coord.vn", "/activities", []string{"Lớp tập huấn tại X1", "Lớp tập huấn tại Z1", "Lớp tập huấn tại VN-ATTT"}, nil, ""},
			{"admin", "/users", []string{"focal.x@t.vn"}, []string{"coord.z@t.vn", "coord.vn@t.vn", "admin.vn@t.vn"}, ""},
			{"coord", "/plans", []string{na.Title}, []string{national.Title}, ""},
			{"coord.vn", "/plans", []string{national.Title, na.Title}, nil, ""},
			// The home's overdue tasks: the province's plans, or the country's.
			{"coord", "/", []string{"Nhiệm vụ quá hạn của 40"}, []string{"Nhiệm vụ quá hạn của VN-ATTT"}, ""},
			{"coord.vn", "/", []string{"Nhiệm vụ quá hạn của 40", "Nhiệm vụ quá hạn của VN-ATTT"}, nil, ""},
		} {
			status, body := f.Login(c.user + "@t.vn").Get(c.path)
			if status != http.StatusOK {
				t.Errorf("%s GET %s: %d", c.user, c.path, status)
				continue
			}
			if c.within != "" {
				i := strings.Index(body, c.within)
				if i < 0 {
					t.Errorf("%s GET %s has no %s", c.user, c.path, c.within)
					continue
				}
				body = body[i:]
				body = body[:strings.Index(body, "</select>")]
			}
			for _, s := range c.shows {
				if !strings.Contains(body, s) {
					t.Errorf("%s GET %s lacks %s", c.user, c.path, s)
				}
			}
			for _, s := range c.hides {
				if strings.Contains(body, s) {
					t.Errorf("%s GET %s shows %s", c.user, c.path, s)
				}
			}
		}
		// The API lists the same scopes.
		var list webtest.List[struct {
			Title string `json:"title"`
		}]
		st, b := f.API("GET", "/api/v1/activities", "coord@t.vn", "")
		webtest.Expect(t, st, b, http.StatusOK, &list)
		if list.Total != 1 || list.Items[0].Title != "Lớp tập huấn tại X1" {
			t.Errorf("the province coordinator's activities: %s", b)
		}
		st, b = f.API("GET", "/api/v1/activities", "coord.vn@t.vn", "")
		webtest.Expect(t, st, b, http.StatusOK, &list)
		if list.Total != 3 {
			t.Errorf("the national coordinator's activities: %s", b)
		}
	}, webtest.National(), webtest.Clock(func() time.Time { return time.Date(2026, 6, 15, 3, 0, 0, 0, time.UTC) }))
}
