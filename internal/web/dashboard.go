package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"khienso/internal/reportdoc"
	"math"
	"net/http"
	"strconv"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/indicators"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"

	"github.com/xuri/excelize/v2"
)

// dashBreakdownCap bounds the child units a breakdown page lists (a
// province can have thousands of schools); the XLSX export has them all.
const dashBreakdownCap = 200

// dashPickerCap bounds the child units offered in the unit picker; deeper
// choices are reached through the breakdown's drill-down links.
const dashPickerCap = 300

// routesDashboard registers the indicator dashboard, breakdowns and their
// spreadsheet exports.
func (s *Server) routesDashboard() {
	s.Handle("GET /plans/{id}/dashboard", s.dashPage)
	s.Handle("GET /plans/{id}/dashboard.xlsx", s.dashXLSX)
	s.Handle("GET /plans/{id}/indicators/{ind}/breakdown", s.dashBreakdownPage)
	s.Handle("GET /plans/{id}/indicators/{ind}/breakdown.xlsx", s.dashBreakdownXLSX)
}

// dashScope is what every dashboard request resolves first: the plan, the
// year and the unit subtree looked at, after the caller's access is checked.
type dashScope struct {
	Plan  *plans.Plan
	Year  int
	Years []int
	Unit  *units.Unit
	Day   dates.Date // the day the unit tree is shown as of (end of a past year, else today)
	Today dates.Date
}

// dashRefDay is the day whose tree a year is shown with: its last day once
// over, today while it runs, its first day if it is still to come.
func dashRefDay(year int, today dates.Date) dates.Date {
	switch {
	case year < today.Year():
		return dates.New(year, 12, 31)
	case year > today.Year():
		return dates.New(year, 1, 1)
	}
	return today
}

// dashDefaultYear is the current year clamped to the plan's period.
func dashDefaultYear(p *plans.Plan, today dates.Date) int {
	return min(max(today.Year(), p.YearFrom), p.YearTo)
}

// dashResolve reads ?year= and ?unit= for plan {id} and checks that the
// caller may read the plan and the unit's indicator values. It answers the
// request itself (and returns false) on any failure.
func (s *Server) dashResolve(w http.ResponseWriter, r *http.Request) (*dashScope, bool) {
	plan, ok := s.planLoad(w, r, "id")
	if !ok {
		return nil, false
	}
	p, ctx := Principal(r), r.Context()
	var err error
	today := dates.Today()
	sc := &dashScope{Plan: plan, Today: today, Year: dashDefaultYear(plan, today)}
	for y := plan.YearFrom; y <= plan.YearTo; y++ {
		sc.Years = append(sc.Years, y)
	}
	q := r.URL.Query()
	var errs validation.Errors
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < plan.YearFrom || y > plan.YearTo {
			errs.Add("year", "dash.err.year", plan.YearFrom, plan.YearTo)
		} else {
			sc.Year = y
		}
	}
	var unitID int64
	if v := q.Get("unit"); v != "" {
		if unitID, err = strconv.ParseInt(v, 10, 64); err != nil || unitID <= 0 {
			errs.Add("unit", "dash.err.unit")
		}
	}
	if len(errs) > 0 {
		s.Fail(w, r, BadRequest(errs))
		return nil, false
	}
	if unitID == 0 {
		if unitID, err = s.dashDefaultUnit(ctx, p, plan, today); err != nil {
			s.Fail(w, r, err)
			return nil, false
		}
	}
	if !s.require(w, r, auth.ActivityRead, unitID) {
		return nil, false
	}
	sc.Day = dashRefDay(sc.Year, today)
	if sc.Unit, err = s.store.Unit(ctx, unitID, sc.Day); err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	return sc, true
}

// dashDefaultUnit is the province root (the top of the plan's unit's tree)
// for province-wide readers, else the reader's own unit.
func (s *Server) dashDefaultUnit(ctx context.Context, p *auth.Principal, plan *plans.Plan, today dates.Date) (int64, error) {
	if province, _ := p.Scope(auth.ActivityRead); !province {
		return p.UnitID, nil
	}
	anc, err := s.store.Ancestors(ctx, plan.UnitID, today)
	if err != nil {
		return 0, fmt.Errorf("root of plan unit %d: %w", plan.UnitID, err)
	}
	if len(anc) == 0 {
		return plan.UnitID, nil
	}
	return anc[len(anc)-1], nil
}

// dashCrumb is one ancestor in the unit breadcrumb; Link is empty for
// units the caller may not read.
type dashCrumb struct {
	ID   int64
	Name string
	Link bool
}

// dashChain lists the ancestors of the scope's unit, root first, ending
// with the unit itself.
func (s *Server) dashChain(r *http.Request, sc *dashScope) ([]dashCrumb, error) {
	ctx := r.Context()
	anc, err := s.store.Ancestors(ctx, sc.Unit.ID, sc.Day)
	if err != nil {
		return nil, err
	}
	out := make([]dashCrumb, 0, len(anc))
	for i := len(anc) - 1; i >= 0; i-- {
		id := anc[i]
		name := sc.Unit.Name
		if id != sc.Unit.ID {
			u, err := s.store.Unit(ctx, id, sc.Day)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			name = u.Name
		}
		ok, err := s.allowed(r, auth.ActivityRead, id)
		if err != nil {
			return nil, err
		}
		out = append(out, dashCrumb{ID: id, Name: name, Link: ok && id != sc.Unit.ID})
	}
	return out, nil
}

// dashOption is an entry of the unit picker.
type dashOption struct {
	ID       int64
	Name     string
	Selected bool
}

// dashUnitOptions is the unit itself and its children, for the picker.
func (s *Server) dashUnitOptions(ctx context.Context, sc *dashScope) ([]dashOption, int, error) {
	kids, err := s.store.Children(ctx, sc.Unit.ID, sc.Day)
	if err != nil {
		return nil, 0, err
	}
	out := []dashOption{{ID: sc.Unit.ID, Name: sc.Unit.Name, Selected: true}}
	for i, k := range kids {
		if i >= dashPickerCap {
			break
		}
		out = append(out, dashOption{ID: k.ID, Name: k.Name})
	}
	return out, max(0, len(kids)-dashPickerCap), nil
}

// ---------------------------------------------------------------- formatting

// dashWithUnit appends the measure unit to a formatted number.
func dashWithUnit(v, unit string) string {
	if unit == "" {
		return v
	}
	return v + " " + unit
}

// dashTarget renders a target as people write it: "≥ 100 %", "3–5 lớp".
func dashTarget(ind *plans.Indicator) string {
	switch indicators.Comparison(ind.Comparison) {
	case indicators.AtLeast:
		return "≥ " + dashWithUnit(reportdoc.Number(ind.Value), ind.MeasureUnit)
	case indicators.AtMost:
		return "≤ " + dashWithUnit(reportdoc.Number(ind.Value), ind.MeasureUnit)
	case indicators.Between:
		return dashWithUnit(reportdoc.Number(ind.Value)+"–"+reportdoc.Number(ind.Max), ind.MeasureUnit)
	}
	return dashWithUnit(reportdoc.Number(ind.Value), ind.MeasureUnit)
}

// dashPeriod names the period an indicator's value covers.
func dashPeriod(l i18n.Lang, res progress.Result) string {
	if res.Indicator.Period == plans.PeriodCumulative {
		return l.T("dash.period.cumulative", res.Period.FromYear, res.Period.ToYear)
	}
	return l.T("dash.period.yearly", res.Period.ToYear)
}

// dashFormulaError translates why a stored formula no longer parses.
func dashFormulaError(l i18n.Lang, err error) string {
	var fe *indicators.Error
	if errors.As(err, &fe) {
		f := fe.FieldError("formula")
		return l.T("dash.formula_error", l.T(f.Reason, f.Args...))
	}
	return l.T("dash.formula_error", err.Error())
}

// dashPercent is part/whole as a 0–100 width, 0 when whole is not positive.
func dashPercent(part, whole float64) float64 {
	if whole <= 0 || math.IsNaN(part) || math.IsInf(part, 0) {
		return 0
	}
	return math.Round(min(max(part/whole*100, 0), 100)*10) / 10
}

// ---------------------------------------------------------------- chart

// dashChart is the geometry of the small bar chart over a plan's years,
// computed here so the template only places shapes.
type dashChart struct {
	Title   string
	Width   int
	Height  int
	Bars    []dashChartBar
	HasLine bool
	LineY   float64 // the target, when it fits the scale
	Points  []progress.Point
}

type dashChartBar struct {
	X, Y, W, H float64
	LabelX     float64
	Year       int
	Value      string
	Defined    bool
}

const (
	dashChartW      = 320
	dashChartH      = 120
	dashChartTop    = 16 // room for the value over the tallest bar
	dashChartBottom = 18 // room for the years
)

func dashBuildChart(title string, ind *plans.Indicator, pts []progress.Point) *dashChart {
	c := &dashChart{Title: title, Width: dashChartW, Height: dashChartH, Points: pts}
	if len(pts) == 0 {
		return c
	}
	top := 0.0
	for _, p := range pts {
		if p.Defined && p.Value > top {
			top = p.Value
		}
	}
	target := ind.Value
	if indicators.Comparison(ind.Comparison) == indicators.Between {
		target = ind.Max
	}
	if target > top {
		top = target
	}
	if top <= 0 {
		top = 1
	}
	plot := float64(dashChartH - dashChartTop - dashChartBottom)
	slot := float64(dashChartW) / float64(len(pts))
	w := math.Min(slot*0.6, 40)
	for i, p := range pts {
		h := 0.0
		if p.Defined && p.Value > 0 {
			h = p.Value / top * plot
		}
		x := slot*float64(i) + (slot-w)/2
		b := dashChartBar{X: round1(x), W: round1(w), H: round1(h), Y: round1(dashChartTop + plot - h),
			LabelX: round1(x + w/2), Year: p.Year, Defined: p.Defined}
		if p.Defined {
			b.Value = reportdoc.Number(p.Value)
		}
		c.Bars = append(c.Bars, b)
	}
	if target > 0 {
		c.HasLine = true
		c.LineY = round1(dashChartTop + plot - target/top*plot)
	}
	return c
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// ---------------------------------------------------------------- dashboard page

// dashRow is one indicator on the dashboard.
type dashRow struct {
	Ind          *plans.Indicator
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
	Chart        *dashChart
}

type dashData struct {
	Scope       *dashScope
	Rows        []dashRow
	Chain       []dashCrumb
	Options     []dashOption
	MoreOptions int
	Query       string // year and unit, for links
	XLSXURL     string
}

func (s *Server) dashRows(ctx context.Context, l i18n.Lang, sc *dashScope, withCharts bool) ([]dashRow, []progress.Result, error) {
	inds, err := s.store.Indicators(ctx, sc.Plan.ID)
	if err != nil {
		return nil, nil, err
	}
	results, err := s.progress.Plan(ctx, sc.Plan, inds, sc.Unit.ID, sc.Year, sc.Today)
	if err != nil {
		return nil, nil, err
	}
	series := make([][]progress.Point, len(inds))
	if withCharts {
		if series, err = s.progress.Series(ctx, sc.Plan, inds, sc.Unit.ID, sc.Today, map[int][]progress.Result{sc.Year: results}); err != nil {
			return nil, nil, err
		}
	}
	q := buildQuery("year", sc.Year, "unit", sc.Unit.ID)
	rows := make([]dashRow, len(results))
	for i, res := range results {
		ind := res.Indicator
		row := dashRow{Ind: ind, Target: dashTarget(ind), Comparison: l.T("attain.cmp." + ind.Comparison),
			Period: dashPeriod(l, res), Status: res.Progress.Status,
			Elapsed:      reportdoc.Number(math.Round(res.Progress.Elapsed*1000)/10) + " %",
			BreakdownURL: fmt.Sprintf("/plans/%d/indicators/%d/breakdown?%s", sc.Plan.ID, ind.ID, q)}
		if res.Err != nil {
			row.Error = dashFormulaError(l, res.Err)
			row.Status = indicators.NoData
		}
		if res.Defined && res.Err == nil {
			row.Value = dashWithUnit(reportdoc.Number(res.Value), ind.MeasureUnit)
		}
		ref := ind.Value
		if indicators.Comparison(ind.Comparison) != indicators.AtMost {
			row.Expected = dashWithUnit(reportdoc.Number(res.Progress.Expected), ind.MeasureUnit)
			row.HasMark = ref > 0
			row.Mark = dashPercent(res.Progress.Expected, ref)
		}
		if res.Defined && res.Err == nil {
			row.Fill = dashPercent(res.Value, ref)
		}
		row.BarLabel = l.T("dash.bar.label", reportdoc.Number(row.Fill))
		if withCharts && res.Err == nil {
			row.Chart = dashBuildChart(l.T("dash.chart.title", ind.Name), ind, series[i])
		}
		rows[i] = row
	}
	return rows, results, nil
}

func (s *Server) dashPage(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.dashResolve(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	l := Lang(r)
	data := &dashData{Scope: sc}
	var err error
	if data.Rows, _, err = s.dashRows(ctx, l, sc, true); err != nil {
		s.Fail(w, r, err)
		return
	}
	if data.Chain, err = s.dashChain(r, sc); err != nil {
		s.Fail(w, r, err)
		return
	}
	if data.Options, data.MoreOptions, err = s.dashUnitOptions(ctx, sc); err != nil {
		s.Fail(w, r, err)
		return
	}
	data.Query = buildQuery("year", sc.Year, "unit", sc.Unit.ID)
	data.XLSXURL = fmt.Sprintf("/plans/%d/dashboard.xlsx?%s", sc.Plan.ID, data.Query)
	s.Render(w, r, http.StatusOK, "dashboard", data)
}

// ---------------------------------------------------------------- breakdown

// dashIndicator loads indicator {ind} of the scope's plan (404 when it
// belongs to another plan).
func (s *Server) dashIndicator(r *http.Request, sc *dashScope) (*plans.Indicator, error) {
	id, err := strconv.ParseInt(r.PathValue("ind"), 10, 64)
	if err != nil {
		return nil, ErrNotFound
	}
	ind, err := s.store.Indicator(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if ind.PlanID != sc.Plan.ID {
		return nil, ErrNotFound
	}
	return ind, nil
}

// dashBDRow is one line of a breakdown.
type dashBDRow struct {
	progress.BreakdownRow
	Text     string // the value with its measure unit, empty without data
	Share    string // of the rows' total; empty for ratios
	Fill     float64
	DrillURL string
}

type dashBDData struct {
	Scope    *dashScope
	Ind      *plans.Indicator
	Target   string
	Period   string
	Error    string
	Total    string // the whole subtree's value
	Status   indicators.Status
	Ratio    bool
	Rows     []dashBDRow
	Own      *dashBDRow
	Shown    int
	Children int
	Chain    []dashCrumb
	Query    string
	XLSXURL  string
	BackURL  string
}

// dashBreakdown computes the breakdown of ind under the scope's unit. A
// broken formula comes back as err set on the data, not as a failure.
func (s *Server) dashBreakdown(ctx context.Context, l i18n.Lang, sc *dashScope, ind *plans.Indicator) (*dashBDData, []dashBDRow, error) {
	d := &dashBDData{Scope: sc, Ind: ind, Target: dashTarget(ind)}
	q := buildQuery("year", sc.Year, "unit", sc.Unit.ID)
	d.Query = q
	d.XLSXURL = fmt.Sprintf("/plans/%d/indicators/%d/breakdown.xlsx?%s", sc.Plan.ID, ind.ID, q)
	d.BackURL = fmt.Sprintf("/plans/%d/dashboard?%s", sc.Plan.ID, q)
	res, err := s.progress.Plan(ctx, sc.Plan, []*plans.Indicator{ind}, sc.Unit.ID, sc.Year, sc.Today)
	if err != nil {
		return nil, nil, err
	}
	d.Period = dashPeriod(l, res[0])
	d.Status = res[0].Progress.Status
	if res[0].Err != nil {
		d.Error = dashFormulaError(l, res[0].Err)
		d.Status = indicators.NoData
		return d, nil, nil
	}
	if res[0].Defined {
		d.Total = dashWithUnit(reportdoc.Number(res[0].Value), ind.MeasureUnit)
	}
	f, err := progress.Parse(ind.Formula)
	if err != nil {
		d.Error = dashFormulaError(l, err)
		return d, nil, nil
	}
	d.Ratio = f.IsRatio()
	list, err := s.progress.Breakdown(ctx, sc.Plan, ind, sc.Unit.ID, sc.Year, sc.Today)
	if err != nil {
		return nil, nil, err
	}
	sum, top := 0.0, 0.0
	for _, b := range list {
		if b.Defined {
			sum += b.Value
			top = max(top, b.Value)
		}
	}
	all := make([]dashBDRow, 0, len(list))
	for _, b := range list {
		row := dashBDRow{BreakdownRow: b}
		if b.Defined {
			row.Text = dashWithUnit(reportdoc.Number(b.Value), ind.MeasureUnit)
			row.Fill = dashPercent(b.Value, top)
			if !d.Ratio && sum > 0 {
				row.Share = reportdoc.Number(b.Value/sum*100) + " %"
			}
		}
		if !b.Own && b.Children > 0 {
			row.DrillURL = fmt.Sprintf("/plans/%d/indicators/%d/breakdown?%s", sc.Plan.ID, ind.ID,
				buildQuery("year", sc.Year, "unit", b.UnitID))
		}
		all = append(all, row)
	}
	return d, all, nil
}

func (s *Server) dashBreakdownPage(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.dashResolve(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	l := Lang(r)
	ind, err := s.dashIndicator(r, sc)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d, all, err := s.dashBreakdown(ctx, l, sc, ind)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for i := range all {
		if all[i].Own {
			d.Own = &all[i]
			continue
		}
		d.Children++
		if len(d.Rows) < dashBreakdownCap {
			d.Rows = append(d.Rows, all[i])
		}
	}
	d.Shown = len(d.Rows)
	if d.Chain, err = s.dashChain(r, sc); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "dashboard_breakdown", d)
}

// ---------------------------------------------------------------- exports

func (s *Server) dashXLSX(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.dashResolve(w, r)
	if !ok {
		return
	}
	l := Lang(r)
	rows, results, err := s.dashRows(r.Context(), l, sc, false)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := dashWriteIndicatorsXLSX(&buf, l, sc, rows, results); err != nil {
		s.Fail(w, r, err)
		return
	}
	SendFile(w, units.FormatXLSX.ContentType(), fmt.Sprintf("chi-tieu-ke-hoach-%d-%d.xlsx", sc.Plan.ID, sc.Year), buf.Bytes())
}

func (s *Server) dashBreakdownXLSX(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.dashResolve(w, r)
	if !ok {
		return
	}
	l := Lang(r)
	ind, err := s.dashIndicator(r, sc)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d, all, err := s.dashBreakdown(r.Context(), l, sc, ind)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if d.Error != "" {
		s.Fail(w, r, BadRequest(validation.Errors{{Field: "formula", Reason: "dash.err.broken"}}))
		return
	}
	var buf bytes.Buffer
	if err := dashWriteBreakdownXLSX(&buf, l, sc, d, all); err != nil {
		s.Fail(w, r, err)
		return
	}
	SendFile(w, units.FormatXLSX.ContentType(), fmt.Sprintf("phan-tich-chi-tieu-%s-%d.xlsx", ind.Code, sc.Year), buf.Bytes())
}

// dashXLSXStyles are the cell styles of the exports.
type dashXLSXStyles struct {
	header, text, integer, decimal, percent int
}

func dashNewStyles(f *excelize.File) (dashXLSXStyles, error) {
	var st dashXLSXStyles
	var err error
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F0"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}); err != nil {
		return st, err
	}
	if st.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil {
		return st, err
	}
	fmtInt, fmtDec, fmtPct := "#,##0", "#,##0.00", "0.0%"
	if st.integer, err = f.NewStyle(&excelize.Style{CustomNumFmt: &fmtInt}); err != nil {
		return st, err
	}
	if st.decimal, err = f.NewStyle(&excelize.Style{CustomNumFmt: &fmtDec}); err != nil {
		return st, err
	}
	st.percent, err = f.NewStyle(&excelize.Style{CustomNumFmt: &fmtPct})
	return st, err
}

// dashSheet writes rows of cells into the first sheet, with a bold,
// frozen header row; float64 cells get a number format, whole numbers
// without decimals.
type dashSheet struct {
	f     *excelize.File
	name  string
	style dashXLSXStyles
}

func newDashSheet(title string) (*dashSheet, error) {
	f := excelize.NewFile()
	name := "Sheet1"
	if err := f.SetSheetName(name, title); err != nil {
		return nil, fmt.Errorf("name sheet: %w", err)
	}
	st, err := dashNewStyles(f)
	if err != nil {
		return nil, fmt.Errorf("xlsx styles: %w", err)
	}
	return &dashSheet{f: f, name: title, style: st}, nil
}

// dashPct marks a float64 cell as a fraction shown as a percentage.
type dashPct float64

func (d *dashSheet) row(n int, cells []any, header bool) error {
	for i, c := range cells {
		ref, err := excelize.CoordinatesToCellName(i+1, n)
		if err != nil {
			return err
		}
		style := d.style.text
		switch v := c.(type) {
		case nil:
			continue
		case float64:
			style = d.style.decimal
			if v == math.Trunc(v) && math.Abs(v) < 1e15 {
				style = d.style.integer
			}
			err = d.f.SetCellFloat(d.name, ref, v, -1, 64)
		case dashPct:
			style = d.style.percent
			err = d.f.SetCellFloat(d.name, ref, float64(v), -1, 64)
		case int: // counts and years: General, so 2023 is not shown as 2.023
			style = 0
			err = d.f.SetCellInt(d.name, ref, int64(v))
		default:
			err = d.f.SetCellStr(d.name, ref, fmt.Sprint(v))
		}
		if err != nil {
			return fmt.Errorf("write cell %s: %w", ref, err)
		}
		if header {
			style = d.style.header
		}
		if err := d.f.SetCellStyle(d.name, ref, ref, style); err != nil {
			return err
		}
	}
	return nil
}

func (d *dashSheet) finish(w io.Writer, widths []float64) error {
	for i, wd := range widths {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := d.f.SetColWidth(d.name, col, col, wd); err != nil {
			return err
		}
	}
	if err := d.f.SetPanes(d.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	if err := d.f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return d.f.Close()
}

// dashWriteIndicatorsXLSX writes the dashboard's indicator table.
func dashWriteIndicatorsXLSX(w io.Writer, l i18n.Lang, sc *dashScope, rows []dashRow, results []progress.Result) error {
	sh, err := newDashSheet(l.T("dash.xlsx.sheet"))
	if err != nil {
		return err
	}
	head := []any{l.T("dash.col.code"), l.T("dash.col.name"), l.T("dash.col.measure_unit"), l.T("dash.col.value"),
		l.T("dash.col.target"), l.T("dash.col.target_max"), l.T("dash.col.comparison"), l.T("dash.col.period"),
		l.T("dash.col.status"), l.T("dash.col.expected"), l.T("dash.col.unit"), l.T("dash.col.year")}
	if err := sh.row(1, head, true); err != nil {
		return err
	}
	for i, row := range rows {
		res := results[i]
		ind := row.Ind
		var value, maxV, expected any
		if res.Defined && res.Err == nil {
			value = res.Value
		}
		if indicators.Comparison(ind.Comparison) == indicators.Between {
			maxV = ind.Max
		}
		if row.Expected != "" {
			expected = res.Progress.Expected
		}
		status := l.T("attain.status." + string(row.Status))
		if row.Error != "" {
			status = row.Error
		}
		if err := sh.row(i+2, []any{ind.Code, ind.Name, ind.MeasureUnit, value, ind.Value, maxV, row.Comparison, row.Period,
			status, expected, sc.Unit.Name, sc.Year}, false); err != nil {
			return err
		}
	}
	return sh.finish(w, []float64{16, 60, 14, 14, 12, 12, 14, 22, 22, 16, 36, 8})
}

// dashWriteBreakdownXLSX writes every row of a breakdown (children, then
// the unit's own records).
func dashWriteBreakdownXLSX(w io.Writer, l i18n.Lang, sc *dashScope, d *dashBDData, rows []dashBDRow) error {
	sh, err := newDashSheet(l.T("dash.xlsx.bd_sheet"))
	if err != nil {
		return err
	}
	head := []any{l.T("dash.col.unit_code"), l.T("dash.col.unit"), l.T("dash.col.value"), l.T("dash.col.share"),
		l.T("dash.col.children"), l.T("dash.col.indicator"), l.T("dash.col.measure_unit"), l.T("dash.col.year")}
	if err := sh.row(1, head, true); err != nil {
		return err
	}
	sum := 0.0
	for _, r := range rows {
		if r.Defined {
			sum += r.Value
		}
	}
	for i, r := range rows {
		var value, share any
		if r.Defined {
			value = r.Value
			if !d.Ratio && sum > 0 {
				share = dashPct(r.Value / sum)
			}
		}
		name := r.Name
		if r.Own {
			name = l.T("dash.bd.own", r.Name)
		}
		if err := sh.row(i+2, []any{r.Code, name, value, share, r.Children, d.Ind.Code + " " + d.Ind.Name,
			d.Ind.MeasureUnit, sc.Year}, false); err != nil {
			return err
		}
	}
	return sh.finish(w, []float64{16, 50, 14, 12, 12, 50, 14, 8})
}
