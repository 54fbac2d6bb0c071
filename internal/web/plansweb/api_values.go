package plansweb

import (
	"math"
	"net/http"

	"khienso/internal/indicators"
	"khienso/internal/progress"
	"khienso/internal/web"
)

// apiPeriod is the years a value covers.
type apiPeriod struct {
	FromYear int `json:"from_year"`
	ToYear   int `json:"to_year"`
}

// APIIndicatorResult is one indicator's standing for a unit and a year.
type APIIndicatorResult struct {
	ID          int64     `json:"id"`
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	MeasureUnit string    `json:"measure_unit"`
	Formula     string    `json:"formula"`
	Value       *float64  `json:"value"` // null when undefined (division by zero, no data)
	Defined     bool      `json:"defined"`
	Target      float64   `json:"target"`
	TargetMax   *float64  `json:"target_max,omitempty"`
	Comparison  string    `json:"comparison"`
	Status      string    `json:"status"`
	Expected    float64   `json:"expected"`
	Elapsed     float64   `json:"elapsed"`
	Period      apiPeriod `json:"period"`
	Error       string    `json:"error,omitempty"`
}

// APIIndicatorsResponse is the answer of GET /api/v1/plans/{id}/indicators.
type APIIndicatorsResponse struct {
	PlanID     int64                `json:"plan_id"`
	UnitID     int64                `json:"unit_id"`
	Year       int                  `json:"year"`
	Indicators []APIIndicatorResult `json:"indicators"`
}

// finite is v when it is a number JSON can carry and ok, else nil.
func finite(v float64, ok bool) *float64 {
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func apiResultOf(res progress.Result, formulaError string) APIIndicatorResult {
	ind := res.Indicator
	v := APIIndicatorResult{ID: ind.ID, Code: ind.Code, Name: ind.Name, MeasureUnit: ind.MeasureUnit, Formula: ind.Formula,
		Target: res.Target.Value, Comparison: string(res.Target.Comparison), Status: string(res.Progress.Status),
		Expected: res.Progress.Expected, Elapsed: res.Progress.Elapsed,
		Period: apiPeriod{FromYear: res.Period.FromYear, ToYear: res.Period.ToYear}}
	v.Value = finite(res.Value, res.Defined)
	v.Defined = v.Value != nil
	if res.Target.Comparison == indicators.Between {
		m := res.Target.Max
		v.TargetMax = &m
	}
	if res.Err != nil {
		v.Error = formulaError
	}
	return v
}

// apiValues computes every indicator of a plan for ?unit= (its subtree;
// default the province for province-wide callers, else the caller's
// unit) and ?year= (default this year).
func (s *handler) apiValues(w http.ResponseWriter, r *http.Request) {
	vals, ok := s.values(w, r, false)
	if !ok {
		return
	}
	broken := web.Lang(r).T("activity.api.formula_error")
	out := APIIndicatorsResponse{PlanID: vals.Plan.ID, UnitID: vals.Unit.ID, Year: vals.Year, Indicators: []APIIndicatorResult{}}
	for _, res := range vals.Results {
		out.Indicators = append(out.Indicators, apiResultOf(res, broken))
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// apiBreakdownRow is an indicator's value for one child unit, or for the
// unit's own records (own).
type apiBreakdownRow struct {
	UnitID   int64    `json:"unit_id"`
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Own      bool     `json:"own"`
	Children int      `json:"children"`
	Value    *float64 `json:"value"`
	Share    *float64 `json:"share"` // of the rows' total, 0–1; null for ratios
}

type apiBreakdownResponse struct {
	PlanID    int64              `json:"plan_id"`
	UnitID    int64              `json:"unit_id"`
	Year      int                `json:"year"`
	Indicator APIIndicatorResult `json:"indicator"`
	Ratio     bool               `json:"ratio"`
	Rows      []apiBreakdownRow  `json:"rows"`
}

// apiBreakdown computes one indicator for each child unit of ?unit=, as
// the breakdown page does, with every row.
func (s *handler) apiBreakdown(w http.ResponseWriter, r *http.Request) {
	b, ok := s.breakdown(w, r, false)
	if !ok {
		return
	}
	out := apiBreakdownResponse{PlanID: b.Plan.ID, UnitID: b.Unit.ID, Year: b.Year, Ratio: b.Ratio, Rows: []apiBreakdownRow{},
		Indicator: apiResultOf(b.Result, web.Lang(r).T("activity.api.formula_error"))}
	sum := 0.0
	for _, row := range b.Rows {
		if row.Defined {
			sum += row.Value
		}
	}
	for _, row := range b.Rows {
		v := apiBreakdownRow{UnitID: row.UnitID, Code: row.Code, Name: row.Name, Own: row.Own, Children: row.Children,
			Value: finite(row.Value, row.Defined)}
		if v.Value != nil && !b.Ratio && sum > 0 {
			v.Share = finite(row.Value/sum, true)
		}
		out.Rows = append(out.Rows, v)
	}
	web.WriteJSON(w, http.StatusOK, out)
}
