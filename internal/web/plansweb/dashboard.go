package plansweb

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"

	"khienso/internal/i18n"
	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/reportdoc"
	"khienso/internal/service/plansvc"
	"khienso/internal/units"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// breakdownCap bounds the child units a breakdown page lists (a province
// can have thousands of schools); the XLSX export has them all.
const breakdownCap = 200

// pickerCap bounds the child units offered in the unit picker; deeper
// choices are reached through the breakdown's drill-down links.
const pickerCap = 300

// parseQuery reads ?year= and ?unit=; the API asks for any year, the
// pages for one of the plan's.
func parseQuery(r *http.Request) (plansvc.Query, error) {
	q := r.URL.Query()
	out := plansvc.Query{AnyYear: web.IsAPI(r)}
	var errs validation.Errors
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		switch {
		case err == nil:
			out.Year = y
		case out.AnyYear:
			errs.Add("year", "err.range", 2000, 2100)
		default:
			errs.Add("year", "plan.err.year")
		}
	}
	if v := q.Get("unit"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err == nil && id > 0:
			out.Unit = id
		case out.AnyYear:
			errs.Add("unit", "api.err_id")
		default:
			errs.Add("unit", "dash.err.unit")
		}
	}
	if len(errs) > 0 {
		return out, web.BadRequest(errs)
	}
	return out, nil
}

// request reads plan {id}, indicator {ind} when withInd, and ?year= and
// ?unit=, answering the request itself when it cannot.
func (s *handler) request(w http.ResponseWriter, r *http.Request, withInd bool) (plan, ind int64, q plansvc.Query, ok bool) {
	var err error
	if plan, err = web.PathID(r, "id"); err == nil && withInd {
		ind, err = web.PathID(r, "ind")
	}
	if err == nil {
		q, err = parseQuery(r)
	}
	if err != nil {
		s.Fail(w, r, err)
		return 0, 0, q, false
	}
	return plan, ind, q, true
}

// values computes the indicators of plan {id} for ?year= and ?unit= (with
// their series over the years for the page's charts), answering the
// request itself when it cannot.
func (s *handler) values(w http.ResponseWriter, r *http.Request, series bool) (*plansvc.Values, bool) {
	id, _, q, ok := s.request(w, r, false)
	if !ok {
		return nil, false
	}
	vals, err := s.svc.Values(r.Context(), s.Caller(r), id, q, series)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return vals, true
}

// breakdown computes indicator {ind} of plan {id} child by child for
// ?year= and ?unit= (with its series over the years for the page's
// chart), answering the request itself when it cannot.
func (s *handler) breakdown(w http.ResponseWriter, r *http.Request, series bool) (*plansvc.Breakdown, bool) {
	id, ind, q, ok := s.request(w, r, true)
	if !ok {
		return nil, false
	}
	b, err := s.svc.Breakdown(r.Context(), s.Caller(r), id, ind, q, series)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return b, true
}

// ---------------------------------------------------------------- formatting

// withUnit appends the measure unit to a formatted number.
func withUnit(v, unit string) string {
	if unit == "" {
		return v
	}
	return v + " " + unit
}

// targetText renders ind's target as people write it: "≥ 100 %", "3–5 lớp".
func targetText(ind *plans.Indicator) string {
	return reportdoc.TargetText(indicators.Comparison(ind.Comparison), ind.Value, ind.Max, ind.MeasureUnit)
}

// periodText names the period an indicator's value covers.
func periodText(l i18n.Lang, res progress.Result) string {
	if res.Indicator.Period == plans.PeriodCumulative {
		return l.T("dash.period.cumulative", res.Period.FromYear, res.Period.ToYear)
	}
	return l.T("dash.period.yearly", res.Period.ToYear)
}

// formulaError translates why a stored formula no longer parses.
func formulaError(l i18n.Lang, err error) string {
	var fe *indicators.Error
	if errors.As(err, &fe) {
		f := fe.FieldError("formula")
		return l.T("dash.formula_error", l.T(f.Reason, f.Args...))
	}
	return l.T("dash.formula_error", err.Error())
}

// percent is part/whole as a 0–100 width, 0 when whole is not positive.
func percent(part, whole float64) float64 {
	if whole <= 0 || math.IsNaN(part) || math.IsInf(part, 0) {
		return 0
	}
	return math.Round(min(max(part/whole*100, 0), 100)*10) / 10
}

// ---------------------------------------------------------------- dashboard page

// dashRow is one indicator on the dashboard.
type dashRow struct {
	Ind          *plans.Indicator
	Reads        string // what it measures in words
	Value        string // with its measure unit; empty without data
	Target       string
	Comparison   string
	Period       string
	Status       indicators.Status
	Expected     string // empty for at_most targets
	Elapsed      string // share of the target period passed, "45 %"
	Fill         float64
	Mark         float64 // where the expected value falls on the bar (0–100)
	HasMark      bool    // false for at_most targets and targets of zero
	BarLabel     string
	Error        string // the formula's error, shown instead of a value
	BreakdownURL string
	Chart        template.HTML // the values over the years; empty without series
	ChartTitle   string
	ChartTable   []seriesCell // the same values, for screen readers and print
}

type dashData struct {
	Scope       *plansvc.View
	Rows        []dashRow
	Chain       []plansvc.Crumb
	Options     []web.Option
	MoreOptions int
	Query       string // year and unit, for links
	XLSXURL     string
	// ProvincesURL is the provinces page, when provinces sit under the unit.
	ProvincesURL string
}

// dashRows formats the values; charts are drawn when vals has series.
func dashRows(l i18n.Lang, vals *plansvc.Values) []dashRow {
	q := web.BuildQuery("year", vals.Year, "unit", vals.Unit.ID)
	rows := make([]dashRow, len(vals.Results))
	for i, res := range vals.Results {
		ind := res.Indicator
		row := dashRow{Ind: ind, Reads: progress.Reads(l, ind), Target: targetText(ind), Comparison: l.T("attain.cmp." + ind.Comparison),
			Period: periodText(l, res), Status: res.Progress.Status,
			Elapsed:      reportdoc.Number(math.Round(res.Progress.Elapsed*1000)/10) + " %",
			BreakdownURL: fmt.Sprintf("/plans/%d/indicators/%d/breakdown?%s", vals.Plan.ID, ind.ID, q)}
		if res.Err != nil {
			row.Error = formulaError(l, res.Err)
			row.Status = indicators.NoData
		}
		if res.Defined && res.Err == nil {
			row.Value = withUnit(reportdoc.Number(res.Value), ind.MeasureUnit)
		}
		ref := ind.Value
		if indicators.Comparison(ind.Comparison) != indicators.AtMost {
			row.Expected = withUnit(reportdoc.Number(res.Progress.Expected), ind.MeasureUnit)
			row.HasMark = ref > 0
			row.Mark = percent(res.Progress.Expected, ref)
		}
		if res.Defined && res.Err == nil {
			row.Fill = percent(res.Value, ref)
		}
		row.BarLabel = l.T("dash.bar.label", reportdoc.Number(row.Fill))
		if vals.Series != nil && res.Err == nil {
			c := seriesChart(l, ind, vals.Series[i], len(vals.Contributions) == 0, smallSeries)
			row.Chart, row.ChartTitle, row.ChartTable = c.SVG(), c.Title, seriesTable(l, vals.Series[i])
		}
		rows[i] = row
	}
	return rows
}

// unitOptions is the unit itself and its children, for the picker (the
// directory is public), and whether province committees are among the
// children (the national level, which the provinces page shows side by
// side).
func (s *handler) unitOptions(ctx context.Context, v *plansvc.View) ([]web.Option, int, bool, error) {
	kids, err := s.Store().Children(ctx, v.Unit.ID, v.Day)
	if err != nil {
		return nil, 0, false, err
	}
	out := []web.Option{{Value: strconv.FormatInt(v.Unit.ID, 10), Label: v.Unit.Name, Selected: true}}
	provinces := false
	for i, k := range kids {
		provinces = provinces || k.Type == units.TypeProvinceCommittee
		if i >= pickerCap {
			continue
		}
		out = append(out, web.Option{Value: strconv.FormatInt(k.ID, 10), Label: k.Name})
	}
	return out, max(0, len(kids)-pickerCap), provinces, nil
}

func (s *handler) dashPage(w http.ResponseWriter, r *http.Request) {
	vals, ok := s.values(w, r, true)
	if !ok {
		return
	}
	ctx, actor := r.Context(), s.Caller(r)
	data := &dashData{Scope: vals.View, Rows: dashRows(web.Lang(r), vals)}
	var err error
	if data.Chain, err = s.svc.Chain(ctx, actor, vals.View); err != nil {
		s.Fail(w, r, err)
		return
	}
	var provinces bool
	if data.Options, data.MoreOptions, provinces, err = s.unitOptions(ctx, vals.View); err != nil {
		s.Fail(w, r, err)
		return
	}
	data.Query = web.BuildQuery("year", vals.Year, "unit", vals.Unit.ID)
	if provinces {
		data.ProvincesURL = fmt.Sprintf("/plans/%d/provinces?%s", vals.Plan.ID, data.Query)
	}
	data.XLSXURL = fmt.Sprintf("/plans/%d/dashboard.xlsx?%s", vals.Plan.ID, data.Query)
	s.Render(w, r, http.StatusOK, "dashboard", data)
}

// ---------------------------------------------------------------- breakdown page

// bdRow is one line of a breakdown.
type bdRow struct {
	progress.BreakdownRow
	Text     string // the value with its measure unit, empty without data
	Share    string // of the rows' total; empty for ratios
	Fill     float64
	DrillURL string
}

type bdData struct {
	Scope *plansvc.View
	Ind   *plans.Indicator
	Reads string // what it measures in words
	// Series and Bars are the charts: the values over the years and the
	// children side by side; SeriesTable is the first as a table.
	Series      template.HTML
	SeriesTable []seriesCell
	Bars        template.HTML
	Target      string
	Period      string
	Error       string
	Total       string // the whole subtree's value
	Status      indicators.Status
	Ratio       bool
	Rows        []bdRow
	Own         *bdRow
	Shown       int
	Children    int
	Chain       []plansvc.Crumb
	Query       string
	XLSXURL     string
	BackURL     string
}

// breakdownData formats a breakdown: the summary and every row (children,
// then the unit's own records), uncapped.
func breakdownData(l i18n.Lang, b *plansvc.Breakdown) (*bdData, []bdRow) {
	ind := b.Indicator
	q := web.BuildQuery("year", b.Year, "unit", b.Unit.ID)
	d := &bdData{Scope: b.View, Ind: ind, Reads: progress.Reads(l, ind), Target: targetText(ind), Query: q, Ratio: b.Ratio,
		Period: periodText(l, b.Result), Status: b.Result.Progress.Status,
		XLSXURL: fmt.Sprintf("/plans/%d/indicators/%d/breakdown.xlsx?%s", b.Plan.ID, ind.ID, q),
		BackURL: fmt.Sprintf("/plans/%d/dashboard?%s", b.Plan.ID, q)}
	if b.Result.Err != nil {
		d.Error = formulaError(l, b.Result.Err)
		d.Status = indicators.NoData
		return d, nil
	}
	if b.Result.Defined {
		d.Total = withUnit(reportdoc.Number(b.Result.Value), ind.MeasureUnit)
	}
	sum, top := 0.0, 0.0
	for _, row := range b.Rows {
		if row.Defined {
			sum += row.Value
			top = max(top, row.Value)
		}
	}
	all := make([]bdRow, 0, len(b.Rows))
	for _, row := range b.Rows {
		out := bdRow{BreakdownRow: row}
		if row.Defined {
			out.Text = withUnit(reportdoc.Number(row.Value), ind.MeasureUnit)
			out.Fill = percent(row.Value, top)
			if !b.Ratio && sum > 0 {
				out.Share = reportdoc.Number(row.Value/sum*100) + " %"
			}
		}
		if !row.Own && row.Children > 0 {
			out.DrillURL = fmt.Sprintf("/plans/%d/indicators/%d/breakdown?%s", b.Plan.ID, ind.ID,
				web.BuildQuery("year", b.Year, "unit", row.UnitID))
		}
		all = append(all, out)
	}
	return d, all
}

func (s *handler) breakdownPage(w http.ResponseWriter, r *http.Request) {
	b, ok := s.breakdown(w, r, true)
	if !ok {
		return
	}
	ctx, actor, l := r.Context(), s.Caller(r), web.Lang(r)
	d, all := breakdownData(l, b)
	if d.Error == "" {
		d.Series = seriesChart(l, b.Indicator, b.Series, b.Contribution == nil, largeSeries).SVG()
		d.SeriesTable = seriesTable(l, b.Series)
		var kids []bdRow
		for _, row := range all {
			if !row.Own {
				kids = append(kids, row)
			}
		}
		if len(kids) > 0 {
			d.Bars = barsChart(l, b.Indicator, kids, b.Ratio).SVG()
		}
	}
	for i := range all {
		if all[i].Own {
			d.Own = &all[i]
			continue
		}
		d.Children++
		if len(d.Rows) < breakdownCap {
			d.Rows = append(d.Rows, all[i])
		}
	}
	d.Shown = len(d.Rows)
	var err error
	if d.Chain, err = s.svc.Chain(ctx, actor, b.View); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "dashboard_breakdown", d)
}
