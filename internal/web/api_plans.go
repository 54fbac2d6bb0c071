package web

import (
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/validation"
	"math"
	"net/http"
	"strconv"
)

// apiIndicatorResult is one indicator's standing for a unit and a year.
type apiIndicatorResult struct {
	ID          int64    `json:"id"`
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	MeasureUnit string   `json:"measure_unit"`
	Formula     string   `json:"formula"`
	Value       *float64 `json:"value"` // null when undefined (division by zero, no data)
	Defined     bool     `json:"defined"`
	Target      float64  `json:"target"`
	TargetMax   *float64 `json:"target_max,omitempty"`
	Comparison  string   `json:"comparison"`
	Status      string   `json:"status"`
	Expected    float64  `json:"expected"`
	Elapsed     float64  `json:"elapsed"`
	Period      struct {
		FromYear int `json:"from_year"`
		ToYear   int `json:"to_year"`
	} `json:"period"`
	Error string `json:"error,omitempty"`
}

type APIIndicatorsResponse struct {
	PlanID     int64                `json:"plan_id"`
	UnitID     int64                `json:"unit_id"`
	Year       int                  `json:"year"`
	Indicators []apiIndicatorResult `json:"indicators"`
}

// apiPlanIndicators computes every indicator of a plan for ?unit= (its
// subtree; default the province root for province-wide callers, else the
// caller's unit) and ?year= (default this year).
func (s *Server) apiPlanIndicators(w http.ResponseWriter, r *http.Request) {
	p := s.apiCaller(w, r)
	if p == nil {
		return
	}
	// Same visibility as the plan pages: another unit's draft is not found.
	plan, ok := s.planLoad(w, r, "id")
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	var errs validation.Errors
	today := dates.Today()
	year := today.Year()
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			errs.Add("year", "err.range", 2000, 2100)
		} else {
			year = y
		}
	}
	unit := apiQueryID(q, "unit", &errs)
	if len(errs) > 0 {
		s.Fail(w, r, BadRequest(errs))
		return
	}
	if unit == 0 {
		var err error
		if unit, err = s.dashDefaultUnit(ctx, p, plan, today); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	if !s.require(w, r, auth.ActivityRead, unit) {
		return
	}
	if _, err := s.store.Unit(ctx, unit, today); err != nil {
		s.Fail(w, r, err)
		return
	}
	inds, err := s.store.Indicators(ctx, plan.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	results, err := s.progress.Plan(ctx, plan, inds, unit, year, today)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	out := APIIndicatorsResponse{PlanID: plan.ID, UnitID: unit, Year: year, Indicators: []apiIndicatorResult{}}
	for _, res := range results {
		ind := res.Indicator
		v := apiIndicatorResult{ID: ind.ID, Code: ind.Code, Name: ind.Name, MeasureUnit: ind.MeasureUnit, Formula: ind.Formula,
			Defined: res.Defined, Target: res.Target.Value, Comparison: string(res.Target.Comparison),
			Status: string(res.Progress.Status), Expected: res.Progress.Expected, Elapsed: res.Progress.Elapsed}
		if res.Defined && !math.IsNaN(res.Value) && !math.IsInf(res.Value, 0) {
			val := res.Value
			v.Value = &val
		} else {
			v.Defined = false
		}
		if res.Target.Comparison == "between" {
			m := res.Target.Max
			v.TargetMax = &m
		}
		v.Period.FromYear, v.Period.ToYear = res.Period.FromYear, res.Period.ToYear
		if res.Err != nil {
			v.Error = Lang(r).T("activity.api.formula_error")
		}
		out.Indicators = append(out.Indicators, v)
	}
	WriteJSON(w, http.StatusOK, out)
}
