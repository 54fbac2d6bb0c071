package plansweb

import (
	"fmt"
	"math"
	"net/http"
	"slices"

	"khienso/internal/i18n"
	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/provincemap"
	"khienso/internal/reportdoc"
	"khienso/internal/service/plansvc"
	"khienso/internal/textnorm"
	"khienso/internal/web"
)

// The national dashboard: a plan's indicators province by province, as a
// table (sortable by name, Vietnamese order, or by attainment) beside a map
// of the 34 provinces coloured by attainment, overall or of one indicator.
// It lives with the plan's dashboard because it is that dashboard seen one
// level up: the same figures (plansvc), the same pickers, and each province
// links to the plan's dashboard for that province.

// attainClass is the map class of an attainment share (0–1).
func attainClass(a float64, rated bool) string {
	switch {
	case !rated:
		return "pmap-none"
	case a >= 1-1e-9:
		return "pmap-a4"
	case a >= .8:
		return "pmap-a3"
	case a >= .5:
		return "pmap-a2"
	}
	return "pmap-a1"
}

// attainLegend lists the classes of attainClass, best first.
func attainLegend(l i18n.Lang) []web.MapLegend {
	return []web.MapLegend{{Class: "pmap-a4", Label: l.T("nat.legend.a4")}, {Class: "pmap-a3", Label: l.T("nat.legend.a3")},
		{Class: "pmap-a2", Label: l.T("nat.legend.a2")}, {Class: "pmap-a1", Label: l.T("nat.legend.a1")},
		{Class: "pmap-none", Label: l.T("nat.legend.none")}}
}

// percentText is a share (0–1) as "87,5 %".
func percentText(a float64) string { return reportdoc.Number(math.Round(a*1000)/10) + " %" }

type natCell struct {
	Value  string // with its measure unit; "" without data
	Status indicators.Status
	Attain string
}

type natRow struct {
	plansvc.ProvinceRow
	Attain string // the mean, "" when no indicator has a value
	Class  string
	Cells  []natCell
	URL    string // the plan's dashboard for the province
}

type natColumn struct {
	Ind     *plans.Indicator
	Target  string
	Error   string
	SortURL string
	Sorted  bool
}

type natData struct {
	Scope   *plansvc.View
	Columns []natColumn
	Rows    []natRow
	Map     *web.ProvinceMap
	// Colour is the indicator the map is coloured by ("" for the mean).
	Colour             string
	Colours            []web.Option
	Sort               string
	NameURL, AttainURL string
	DashURL            string
}

// natSort orders rows by ?sort=: "name" (Vietnamese order, the default),
// "attainment" (highest first), or an indicator's code (its attainment,
// highest first); provinces without a value come last.
func natSort(rows []natRow, key string, inds []*plans.Indicator) string {
	col := slices.IndexFunc(inds, func(i *plans.Indicator) bool { return i.Code == key })
	if key != "attainment" && col < 0 {
		return "name" // the service's order
	}
	score := func(r natRow) (float64, bool) {
		if col >= 0 {
			v := r.Values[col]
			return v.Attainment, v.Rated
		}
		return r.ProvinceRow.Attainment, r.Rated > 0
	}
	slices.SortStableFunc(rows, func(a, b natRow) int {
		sa, oka := score(a)
		sb, okb := score(b)
		switch {
		case oka != okb:
			if oka {
				return -1
			}
			return 1
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return textnorm.Compare(a.Name, b.Name)
	})
	return key
}

func (s *handler) provincesPage(w http.ResponseWriter, r *http.Request) {
	id, _, q, ok := s.request(w, r, false)
	if !ok {
		return
	}
	pv, err := s.svc.Provinces(r.Context(), s.Caller(r), id, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := web.Lang(r)
	colour := r.URL.Query().Get("colour")
	ci := slices.IndexFunc(pv.Indicators, func(i *plans.Indicator) bool { return i.Code == colour })
	if ci < 0 {
		colour = ""
	}
	base := fmt.Sprintf("/plans/%d/provinces?", pv.Plan.ID)
	link := func(sort string) string {
		return base + web.BuildQuery("year", pv.Year, "unit", pv.Unit.ID, "colour", colour, "sort", sort)
	}
	d := &natData{Scope: pv.View, Colour: colour, NameURL: link("name"), AttainURL: link("attainment"),
		DashURL: fmt.Sprintf("/plans/%d/dashboard?%s", pv.Plan.ID, web.BuildQuery("year", pv.Year, "unit", pv.Unit.ID))}
	d.Colours = append(d.Colours, web.Option{Value: "", Label: l.T("nat.colour.mean"), Selected: colour == ""})
	for i, ind := range pv.Indicators {
		c := natColumn{Ind: ind, Target: targetText(ind), SortURL: link(ind.Code)}
		if pv.Errors[i] != nil {
			c.Error = formulaError(l, pv.Errors[i])
		}
		d.Columns = append(d.Columns, c)
		d.Colours = append(d.Colours, web.Option{Value: ind.Code, Label: ind.Name, Selected: ind.Code == colour})
	}
	byCode := map[string]*natRow{}
	for _, row := range pv.Rows {
		nr := natRow{ProvinceRow: row, Class: attainClass(row.Attainment, row.Rated > 0),
			URL: fmt.Sprintf("/plans/%d/dashboard?%s", pv.Plan.ID, web.BuildQuery("year", pv.Year, "unit", row.Unit.ID))}
		if row.Rated > 0 {
			nr.Attain = percentText(row.Attainment)
		}
		for i, v := range row.Values {
			c := natCell{Status: v.Status}
			if v.Defined {
				c.Value = withUnit(reportdoc.Number(v.Value), pv.Indicators[i].MeasureUnit)
			}
			if v.Rated {
				c.Attain = percentText(v.Attainment)
			}
			nr.Cells = append(nr.Cells, c)
		}
		if ci >= 0 {
			nr.Class = attainClass(row.Values[ci].Attainment, row.Values[ci].Rated)
		}
		d.Rows = append(d.Rows, nr)
	}
	d.Sort = natSort(d.Rows, r.URL.Query().Get("sort"), pv.Indicators)
	for i := range d.Columns {
		d.Columns[i].Sorted = d.Columns[i].Ind.Code == d.Sort
	}
	for i := range d.Rows {
		if d.Rows[i].Mapped {
			byCode[d.Rows[i].Outline.Code] = &d.Rows[i]
		}
	}
	measure := l.T("nat.colour.mean")
	if ci >= 0 {
		measure = pv.Indicators[ci].Name
	}
	d.Map = web.NewProvinceMap(pv.Map, l.T("nat.map.label", measure, pv.Year), attainLegend(l), func(p provincemap.Province) web.MapShape {
		row, ok := byCode[p.Code]
		if !ok {
			return web.MapShape{Class: "pmap-none", Title: l.T("nat.map.absent", p.Name)}
		}
		attain := row.Attain
		if ci >= 0 {
			attain = row.Cells[ci].Attain
		}
		if attain == "" {
			return web.MapShape{Class: row.Class, Title: l.T("nat.map.no_data", p.Name), Href: row.URL}
		}
		return web.MapShape{Class: row.Class, Title: l.T("nat.map.title", p.Name, attain), Href: row.URL}
	})
	s.Render(w, r, http.StatusOK, "dashboard_provinces", d)
}

// apiProvinceValue is one indicator of one province in the API.
type apiProvinceValue struct {
	IndicatorID int64    `json:"indicator_id"`
	Value       *float64 `json:"value"`
	Status      string   `json:"status"`
	Attainment  *float64 `json:"attainment"`
}

// apiProvince is one province of GET /api/v1/plans/{id}/provinces.
type apiProvince struct {
	UnitID       int64              `json:"unit_id"`
	UnitCode     string             `json:"unit_code"`
	UnitName     string             `json:"unit_name"`
	Name         string             `json:"name"`
	ProvinceCode *string            `json:"province_code"`
	Attainment   *float64           `json:"attainment"`
	Rated        int                `json:"rated"`
	Values       []apiProvinceValue `json:"values"`
}

// apiProvincesResponse is the national dashboard's figures.
type apiProvincesResponse struct {
	PlanID     int64         `json:"plan_id"`
	UnitID     int64         `json:"unit_id"`
	Year       int           `json:"year"`
	Indicators []apiIndRef   `json:"indicators"`
	Provinces  []apiProvince `json:"provinces"`
}

type apiIndRef struct {
	ID    int64  `json:"id"`
	Code  string `json:"code"`
	Name  string `json:"name"`
	Error string `json:"error,omitempty"`
}

// apiProvinces computes a plan's indicators province by province (?unit=
// default the plan's province for province-wide callers, ?year=).
func (s *handler) apiProvinces(w http.ResponseWriter, r *http.Request) {
	id, _, q, ok := s.request(w, r, false)
	if !ok {
		return
	}
	pv, err := s.svc.Provinces(r.Context(), s.Caller(r), id, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	broken := web.Lang(r).T("activity.api.formula_error")
	out := apiProvincesResponse{PlanID: pv.Plan.ID, UnitID: pv.Unit.ID, Year: pv.Year, Indicators: []apiIndRef{}, Provinces: []apiProvince{}}
	for i, ind := range pv.Indicators {
		ref := apiIndRef{ID: ind.ID, Code: ind.Code, Name: ind.Name}
		if pv.Errors[i] != nil {
			ref.Error = broken
		}
		out.Indicators = append(out.Indicators, ref)
	}
	for _, row := range pv.Rows {
		p := apiProvince{UnitID: row.Unit.ID, UnitCode: row.Unit.Code, UnitName: row.Unit.Name, Name: row.Name, Rated: row.Rated,
			Attainment: finite(row.Attainment, row.Rated > 0), Values: []apiProvinceValue{}}
		if row.Mapped {
			p.ProvinceCode = &row.Outline.Code
		}
		for i, v := range row.Values {
			p.Values = append(p.Values, apiProvinceValue{IndicatorID: pv.Indicators[i].ID, Value: finite(v.Value, v.Defined),
				Status: string(v.Status), Attainment: finite(v.Attainment, v.Rated)})
		}
		out.Provinces = append(out.Provinces, p)
	}
	web.WriteJSON(w, http.StatusOK, out)
}
