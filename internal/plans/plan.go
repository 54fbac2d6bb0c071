// Package plans holds national programmes, the plans that implement them
// (kế hoạch), their indicators with targets (chỉ tiêu) and their tasks
// (nhiệm vụ) assigned to lead and coordinating units.
package plans

import (
	"strings"
	"unicode/utf8"

	"khienso/internal/dates"
	"khienso/internal/validation"
)

// Status is where a plan is in its life.
type Status string

const (
	StatusDraft    Status = "draft"
	StatusInEffect Status = "in_effect"
	StatusClosed   Status = "closed"
)

// Statuses lists the plan statuses in display order ("plan.status.<value>").
var Statuses = []Status{StatusDraft, StatusInEffect, StatusClosed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

// CanBecome reports whether a plan in status s may be put in status to.
// An issued plan is a document that units implement and indicators count
// (has_plan), so it never goes back to draft: a plan withdrawn is closed,
// and a closed plan may be put back in effect.
func (s Status) CanBecome(to Status) bool {
	if !to.Valid() {
		return false
	}
	return s == to || s == StatusDraft || to != StatusDraft
}

// Next lists the statuses a plan in status s may be put in (s included),
// in display order.
func (s Status) Next() []Status {
	var out []Status
	for _, x := range Statuses {
		if s.CanBecome(x) {
			out = append(out, x)
		}
	}
	return out
}

// Programme is a national programme shipped or loaded as a template.
type Programme struct {
	ID       int64
	Code     string // "1907", "21", "964"
	Name     string
	Decision string // "1907/QĐ-TTg ngày 23/11/2020"
	YearFrom int
	YearTo   int
	Targets  []Indicator // templates: no ID, no plan
}

// Plan is a unit's plan; a province plan implements a programme and units'
// plans implement the province plan (Parent).
type Plan struct {
	ID          int64
	UnitID      int64
	UnitName    string // filled on reads
	ParentID    int64
	ProgrammeID int64
	Number      string // "224/KH-UBND"
	Title       string
	IssuedOn    dates.Date
	Signer      string
	YearFrom    int
	YearTo      int
	Objectives  string
	Status      Status
}

// Validate checks the fields a person types.
func (p *Plan) Validate() validation.Errors {
	var errs validation.Errors
	p.Number = strings.TrimSpace(p.Number)
	p.Title = strings.TrimSpace(p.Title)
	p.Signer = strings.TrimSpace(p.Signer)
	if p.Title == "" {
		errs.Add("title", "err.required")
	} else if utf8.RuneCountInString(p.Title) > 500 {
		errs.Add("title", "err.too_long", 500)
	}
	if utf8.RuneCountInString(p.Number) > 50 {
		errs.Add("number", "err.too_long", 50)
	}
	if utf8.RuneCountInString(p.Signer) > 200 {
		errs.Add("signer", "err.too_long", 200)
	}
	if utf8.RuneCountInString(p.Objectives) > 20000 {
		errs.Add("objectives", "err.too_long", 20000)
	}
	if p.UnitID == 0 {
		errs.Add("unit", "err.required")
	}
	if p.YearFrom < 2000 || p.YearFrom > 2100 {
		errs.Add("year_from", "plan.err.year")
	}
	if p.YearTo < 2000 || p.YearTo > 2100 {
		errs.Add("year_to", "plan.err.year")
	} else if p.YearTo < p.YearFrom {
		errs.Add("year_to", "plan.err.year_order")
	}
	if !p.Status.Valid() {
		errs.Add("status", "err.invalid")
	}
	if p.Status != StatusDraft && p.IssuedOn.IsZero() {
		errs.Add("issued_on", "plan.err.issued_on")
	}
	return errs
}

// TopLevel reports whether p implements no other plan: only such a plan
// (a province plan) may be implemented by units' plans.
func (p *Plan) TopLevel() bool { return p.ParentID == 0 }

// Start and End bound the plan's period.
func (p *Plan) Start() dates.Date { return dates.New(p.YearFrom, 1, 1) }
func (p *Plan) End() dates.Date   { return dates.New(p.YearTo, 12, 31) }

// PeriodKind says whether a target applies to each year or to the whole plan.
type PeriodKind string

const (
	PeriodYearly     PeriodKind = "yearly"
	PeriodCumulative PeriodKind = "cumulative"
)

// Indicator is a measured target of a plan: a formula (see package
// indicators) and the value to reach.
type Indicator struct {
	ID     int64
	PlanID int64
	Code   string
	Name   string
	// Description says in the coordinator's words what the indicator
	// measures; empty, readers get the formula described (indicators.Describe).
	Description string
	MeasureUnit string // "%", "lớp", "lượt người"
	Formula     string
	Comparison  string // indicators.Comparison
	Value       float64
	Max         float64 // upper bound for "between"
	Period      PeriodKind
	Position    int
}

// DescriptionMax bounds an indicator's description: a few sentences, read
// under the indicator's name on every page that shows it.
const DescriptionMax = 1000

// Validate checks the indicator's own fields; the formula and the target
// are checked by package indicators, which knows the language.
func (i *Indicator) Validate() validation.Errors {
	var errs validation.Errors
	i.Code = strings.ToLower(strings.TrimSpace(i.Code))
	i.Name = strings.TrimSpace(i.Name)
	i.MeasureUnit = strings.TrimSpace(i.MeasureUnit)
	i.Description = strings.TrimSpace(i.Description)
	if i.Code == "" {
		errs.Add("code", "err.required")
	} else if !codeRe(i.Code) {
		errs.Add("code", "indicator.err.code")
	}
	if i.Name == "" {
		errs.Add("name", "err.required")
	} else if utf8.RuneCountInString(i.Name) > 500 {
		errs.Add("name", "err.too_long", 500)
	}
	if utf8.RuneCountInString(i.MeasureUnit) > 50 {
		errs.Add("measure_unit", "err.too_long", 50)
	}
	if utf8.RuneCountInString(i.Description) > DescriptionMax {
		errs.Add("description", "err.too_long", DescriptionMax)
	}
	if i.Period != PeriodYearly && i.Period != PeriodCumulative {
		errs.Add("period", "err.invalid")
	}
	return errs
}

// codeRe accepts short machine codes: a-z, 0-9, '_' and '.', up to 40.
func codeRe(s string) bool {
	if len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
