package plansweb_test

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

// nationalNow is the national tests' clock: 15/06/2026 in Vietnam.
var nationalNow = time.Date(2026, 6, 15, 3, 0, 0, 0, time.UTC)

// nationalSetup records classes in both provinces and issues a national
// plan: Nghệ An (3 classes, 2 communes) is ahead of Hà Tĩnh (1 class, 1
// commune), and the national body's own classes belong to no province.
func nationalSetup(t *testing.T, f *webtest.Fixture) *plans.Plan {
	t.Helper()
	ctx := context.Background()
	for _, a := range []struct {
		unit string
		qty  int64
	}{{"X1", 2}, {"X1-THCS", 1}, {"Z1", 1}, {"VN-ATTT", 9}} {
		act := &activities.Activity{UnitID: f.Units[a.unit], Type: "training_class", Channel: "in_person", Title: "Lớp tập huấn " + a.unit,
			Start: dates.MustParse("2026-03-02"), Audiences: activities.SetOf("citizens"), Quantity: a.qty, Participants: 25}
		if err := f.Store.CreateActivity(ctx, audit.System, act); err != nil {
			t.Fatal(err)
		}
	}
	p := &plans.Plan{UnitID: f.Units["VN-ATTT"], Title: "Kế hoạch quốc gia về tuyên truyền ATTT", Number: "1/KH-BKHCN",
		IssuedOn: dates.MustParse("2026-01-05"), YearFrom: 2026, YearTo: 2030, Status: plans.StatusInEffect}
	err := f.Store.CreatePlan(ctx, audit.System, p, []plans.Indicator{
		{Code: "classes", Name: "Số lớp tập huấn", MeasureUnit: "lớp", Formula: "count(type=training_class)", Comparison: "at_least", Value: 4, Period: plans.PeriodYearly},
		{Code: "communes", Name: "Số xã tham gia", MeasureUnit: "xã", Formula: "units(unit_type=commune)", Comparison: "at_least", Value: 2, Period: plans.PeriodYearly},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProvincesPage(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		p := nationalSetup(t, f)
		vn := f.Login("coord.vn@t.vn")
		base := fmt.Sprintf("/plans/%d/provinces", p.ID)
		status, body := vn.Get(base)
		if status != http.StatusOK {
			t.Fatalf("national coordinator: %d %s", status, body)
		}
		if n := strings.Count(body, `class="pmap-shape `); n != 34 {
			t.Errorf("the map draws %d provinces, want 34", n)
		}
		for _, want := range []string{
			`id="map-40" class="pmap-shape pmap-a3"`, // 87,5 % overall
			`<title>Nghệ An: đạt 87,5 %</title>`,
			`id="map-42" class="pmap-shape pmap-a1"`, // 37,5 %
			`<title>Đà Nẵng: chưa có trong hệ thống</title>`,
			`id="nat-attain-40"`,
			fmt.Sprintf(`href="/plans/%d/dashboard?unit=%d&amp;year=2026"`, p.ID, f.Units["40"]),
		} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %s", want)
			}
		}
		// Vietnamese order by default: Hà Tĩnh, then Nghệ An; by
		// attainment: Nghệ An first.
		if strings.Index(body, `id="nat-row-42"`) > strings.Index(body, `id="nat-row-40"`) {
			t.Error("by name, Hà Tĩnh comes before Nghệ An")
		}
		_, body = vn.Get(base + "?sort=attainment")
		if strings.Index(body, `id="nat-row-40"`) > strings.Index(body, `id="nat-row-42"`) {
			t.Error("by attainment, Nghệ An comes first")
		}
		// Coloured by one indicator: Nghệ An's communes reach the target.
		_, body = vn.Get(base + "?colour=communes")
		if !strings.Contains(body, `id="map-40" class="pmap-shape pmap-a4"`) || !strings.Contains(body, `<title>Hà Tĩnh: đạt 50 %</title>`) {
			t.Error("the map coloured by communes")
		}
		// The plan's dashboard links to the provinces.
		_, body = vn.Get(fmt.Sprintf("/plans/%d/dashboard", p.ID))
		if !strings.Contains(body, `id="dash-provinces"`) {
			t.Error("the national dashboard does not link to the provinces")
		}
		// A province's coordinator does not read the national plan.
		if status, _ := f.Login("coord@t.vn").Get(base); status != http.StatusNotFound {
			t.Errorf("a province coordinator: %d", status)
		}

		var out struct {
			UnitID    int64 `json:"unit_id"`
			Provinces []struct {
				UnitID       int64    `json:"unit_id"`
				Name         string   `json:"name"`
				ProvinceCode *string  `json:"province_code"`
				Attainment   *float64 `json:"attainment"`
				Values       []struct {
					Value      *float64 `json:"value"`
					Status     string   `json:"status"`
					Attainment *float64 `json:"attainment"`
				} `json:"values"`
			} `json:"provinces"`
		}
		st, b := f.API("GET", "/api/v1"+base+"?year=2026", "coord.vn@t.vn", "")
		webtest.Expect(t, st, b, http.StatusOK, &out)
		if out.UnitID != f.Units["VN"] || len(out.Provinces) != 2 {
			t.Fatalf("API: %s", b)
		}
		ht, na := out.Provinces[0], out.Provinces[1]
		if na.Name != "Nghệ An" || *na.ProvinceCode != "40" || *na.Attainment != 0.875 || *na.Values[0].Value != 3 || na.Values[0].Status != "on_track" {
			t.Errorf("Nghệ An in the API: %+v", na)
		}
		if ht.Name != "Hà Tĩnh" || *ht.Values[1].Attainment != 0.5 {
			t.Errorf("Hà Tĩnh in the API: %+v", ht)
		}
		st, b = f.API("GET", "/api/v1"+base, "coord.z@t.vn", "")
		webtest.ExpectError(t, st, b, http.StatusNotFound, "not_found")
	}, webtest.National(), webtest.Clock(func() time.Time { return nationalNow }))
}
