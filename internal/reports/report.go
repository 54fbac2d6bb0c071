// Package reports runs periodic reporting: templates with numeric fields
// and narrative sections, rounds with a period, the units that must report
// and a deadline, and each unit's submission through draft, submitted,
// returned and accepted.
package reports

import (
	"math"
	"strings"
	"unicode/utf8"

	"khienso/internal/dates"
	"khienso/internal/settings"
	"khienso/internal/validation"
)

// Field is a numeric figure a unit reports. Prefill, when set, is an
// indicator formula computed over the unit's subtree and the round's period
// to suggest the value.
type Field struct {
	Code        string `json:"code"`
	Label       string `json:"label"`
	MeasureUnit string `json:"measure_unit,omitempty"`
	Prefill     string `json:"prefill,omitempty"`
}

// Section is a narrative part of the report (results, limitations, proposals).
type Section struct {
	Code  string `json:"code"`
	Title string `json:"title"`
	Hint  string `json:"hint,omitempty"`
}

// Template is the shape of a report.
type Template struct {
	ID          int64
	Name        string
	Description string
	Fields      []Field
	Sections    []Section
}

func validCode(s string) bool {
	if s == "" || len(s) > 40 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// Validate checks the template; formulas are checked by the caller, which
// knows the indicator language.
func (t *Template) Validate() validation.Errors {
	var errs validation.Errors
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		errs.Add("name", "err.required")
	} else if utf8.RuneCountInString(t.Name) > 300 {
		errs.Add("name", "err.too_long", 300)
	}
	if len(t.Fields)+len(t.Sections) == 0 {
		errs.Add("fields", "report.err.empty_template")
	}
	seen := map[string]bool{}
	for i := range t.Fields {
		f := &t.Fields[i]
		f.Code = strings.TrimSpace(f.Code)
		f.Label = strings.TrimSpace(f.Label)
		name := "fields." + f.Code
		if !validCode(f.Code) {
			errs.Add(name, "report.err.code")
		} else if seen[f.Code] {
			errs.Add(name, "report.err.duplicate_code")
		}
		seen[f.Code] = true
		if f.Label == "" {
			errs.Add(name, "report.err.label")
		}
	}
	for i := range t.Sections {
		s := &t.Sections[i]
		s.Code = strings.TrimSpace(s.Code)
		s.Title = strings.TrimSpace(s.Title)
		name := "sections." + s.Code
		if !validCode(s.Code) {
			errs.Add(name, "report.err.code")
		} else if seen[s.Code] {
			errs.Add(name, "report.err.duplicate_code")
		}
		seen[s.Code] = true
		if s.Title == "" {
			errs.Add(name, "report.err.label")
		}
	}
	return errs
}

// Field returns the field with code, if any.
func (t *Template) Field(code string) (Field, bool) {
	for _, f := range t.Fields {
		if f.Code == code {
			return f, true
		}
	}
	return Field{}, false
}

// RoundStatus says whether a round still takes submissions.
type RoundStatus string

const (
	RoundOpen   RoundStatus = "open"
	RoundClosed RoundStatus = "closed"
)

// Round is one reporting exercise: a template over a period, due by Deadline.
// Issuer is the unit that issued it (0 for rounds stored before issuers
// were recorded: they belong to the province of their first unit).
type Round struct {
	ID           int64
	Issuer       int64
	TemplateID   int64
	TemplateName string
	PlanID       int64
	Title        string
	From, To     dates.Date
	Deadline     dates.Date
	Status       RoundStatus
	Units        []int64
	// SignOff is the round's own signer and recipients for its
	// consolidated report; the parts it leaves empty come from the
	// province's settings.
	SignOff settings.SignOff
}

// Validate checks a round.
func (r *Round) Validate() validation.Errors {
	var errs validation.Errors
	r.Title = strings.TrimSpace(r.Title)
	if r.Title == "" {
		errs.Add("title", "err.required")
	} else if utf8.RuneCountInString(r.Title) > 300 {
		errs.Add("title", "err.too_long", 300)
	}
	if r.TemplateID == 0 {
		errs.Add("template", "err.required")
	}
	if r.From.IsZero() {
		errs.Add("from", "err.required")
	}
	if r.To.IsZero() {
		errs.Add("to", "err.required")
	} else if !r.From.IsZero() && r.To.Before(r.From) {
		errs.Add("to", "err.valid_to_order")
	}
	if r.Deadline.IsZero() {
		errs.Add("deadline", "err.required")
	}
	if len(r.Units) == 0 {
		errs.Add("units", "report.err.no_units")
	}
	if r.Status != RoundOpen && r.Status != RoundClosed {
		errs.Add("status", "err.invalid")
	}
	r.SignOff.Normalize()
	errs = append(errs, r.SignOff.Validate()...)
	return errs
}

// Status of a unit's submission in a round. "missing" is not stored: it is
// a required unit with no submission row yet.
type Status string

const (
	StatusMissing   Status = "missing"
	StatusDraft     Status = "draft"
	StatusSubmitted Status = "submitted"
	StatusReturned  Status = "returned"
	StatusAccepted  Status = "accepted"
)

// Statuses in display order ("report.status.<value>").
var Statuses = []Status{StatusMissing, StatusDraft, StatusSubmitted, StatusReturned, StatusAccepted}

// Awaited reports whether a report in status st is still awaited from its
// unit (nothing submitted, a draft, or returned to it).
func (st Status) Awaited() bool {
	return st == StatusMissing || st == StatusDraft || st == StatusReturned
}

// Action is a step of the workflow.
type Action string

const (
	ActionSave   Action = "save"
	ActionSubmit Action = "submit"
	ActionReturn Action = "return"
	ActionAccept Action = "accept"
	ActionReopen Action = "reopen" // coordinator takes back an acceptance
	// ActionWithdraw: the unit takes back a submission no reviewer has
	// acted on yet, to correct it before review.
	ActionWithdraw Action = "withdraw"
	// ActionFill names, in a submission's history, a save whose figures
	// were consolidated from another round (a province answering a national
	// round with what it accepted from its own units). It is not a step a
	// form or the API may send: the reports service takes it as a save.
	ActionFill Action = "fill"
)

// Next gives the status after action from status, or ok=false when the
// action is not allowed then. The unit saves, submits and withdraws what
// no reviewer has taken up; the reviewer returns and accepts.
func Next(from Status, a Action) (Status, bool) {
	switch a {
	case ActionSave:
		if from == StatusMissing || from == StatusDraft || from == StatusReturned {
			if from == StatusMissing {
				return StatusDraft, true
			}
			return from, true
		}
	case ActionSubmit:
		if from == StatusMissing || from == StatusDraft || from == StatusReturned {
			return StatusSubmitted, true
		}
	case ActionReturn:
		if from == StatusSubmitted || from == StatusAccepted {
			return StatusReturned, true
		}
	case ActionAccept:
		if from == StatusSubmitted {
			return StatusAccepted, true
		}
	case ActionReopen:
		if from == StatusAccepted {
			return StatusSubmitted, true
		}
	case ActionWithdraw:
		if from == StatusSubmitted {
			return StatusDraft, true
		}
	}
	return from, false
}

// Submission is one unit's report in a round.
type Submission struct {
	ID            int64
	RoundID       int64
	UnitID        int64
	UnitName      string
	Status        Status
	Values        map[string]float64
	Narratives    map[string]string
	SubmittedAt   string // RFC 3339 UTC
	ReviewedAt    string
	ReviewComment string
	UpdatedAt     string
	// SourceRound is the round whose accepted figures these are, while they
	// are (see Consolidate); 0 for figures entered by the unit.
	SourceRound int64
}

// Counts reports whether the submission's figures count in indicator
// formulas (report()): accepted, and not consolidated from another round,
// whose accepted figures already count under their own units.
func (s *Submission) Counts() bool { return s.Status == StatusAccepted && s.SourceRound == 0 }

// Late reports whether the submission came (or is still missing) after the
// deadline, judged by the Vietnam calendar day.
func (s *Submission) Late(deadline, today dates.Date, submittedDay dates.Date) bool {
	if s.Status.Awaited() {
		return today.After(deadline)
	}
	return !submittedDay.IsZero() && submittedDay.After(deadline)
}

// Validate checks the content against the template. Submitting requires
// every field and every section; a draft may be partial.
func (s *Submission) Validate(t *Template, submitting bool) validation.Errors {
	var errs validation.Errors
	for code, v := range s.Values {
		if _, ok := t.Field(code); !ok {
			errs.Add("values."+code, "report.err.unknown_field")
		} else if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1e15 {
			errs.Add("values."+code, "err.range", 0, "1e15")
		}
	}
	known := map[string]bool{}
	for _, sec := range t.Sections {
		known[sec.Code] = true
	}
	for code, text := range s.Narratives {
		if !known[code] {
			errs.Add("narratives."+code, "report.err.unknown_field")
		} else if utf8.RuneCountInString(text) > 50000 {
			errs.Add("narratives."+code, "err.too_long", 50000)
		}
	}
	if submitting {
		for _, f := range t.Fields {
			if _, ok := s.Values[f.Code]; !ok {
				errs.Add("values."+f.Code, "err.required")
			}
		}
		for _, sec := range t.Sections {
			if strings.TrimSpace(s.Narratives[sec.Code]) == "" {
				errs.Add("narratives."+sec.Code, "err.required")
			}
		}
	}
	return errs
}

// Completeness counts a round's submissions by status, and lateness.
type Completeness struct {
	Required  int
	ByStatus  map[Status]int
	Late      int
	Submitted int // submitted or accepted
}

// Percent is the share of required units that have submitted.
func (c Completeness) Percent() float64 {
	if c.Required == 0 {
		return 0
	}
	return 100 * float64(c.Submitted) / float64(c.Required)
}

// Standard returns the yearly report template in the structure of a
// provincial five-year report (seed 004): figures on materials, articles,
// loudspeaker coverage, classes and trainees, then results, limitations and
// proposals.
func Standard() Template {
	return Template{
		Name:        "Báo cáo kết quả công tác tuyên truyền, nâng cao nhận thức và đào tạo về an toàn thông tin",
		Description: "Mẫu báo cáo định kỳ hằng năm (gửi trước ngày 05/12)",
		Fields: []Field{
			{Code: "materials", Label: "Số tài liệu tuyên truyền được xây dựng, biên tập", MeasureUnit: "bộ", Prefill: "count(type=leaflet)"},
			{Code: "directives", Label: "Số văn bản chỉ đạo, hướng dẫn", MeasureUnit: "văn bản", Prefill: "count(type=directive)"},
			{Code: "news_items", Label: "Số tin, bài tuyên truyền", MeasureUnit: "tin, bài", Prefill: "count(type=news_article|social_post|video)"},
			{Code: "loudspeaker_communes", Label: "Số xã, phường được tuyên truyền qua truyền thanh cơ sở", MeasureUnit: "xã, phường", Prefill: "sum(communes, type=loudspeaker)"},
			{Code: "classes", Label: "Số lớp đào tạo, tập huấn", MeasureUnit: "lớp", Prefill: "count(type=training_class)"},
			{Code: "trainees", Label: "Số lượt học viên", MeasureUnit: "lượt người", Prefill: "sum(participants, type=training_class)"},
			{Code: "people_reached", Label: "Số người sử dụng Internet được tuyên truyền", MeasureUnit: "người"},
			{Code: "internet_users", Label: "Số người sử dụng Internet trên địa bàn", MeasureUnit: "người"},
			{Code: "experts_trained", Label: "Số chuyên gia an toàn thông tin được đào tạo", MeasureUnit: "người"},
			{Code: "security_spending", Label: "Kinh phí chi cho an toàn, an ninh mạng", MeasureUnit: "triệu đồng"},
			{Code: "it_spending", Label: "Kinh phí chi cho khoa học công nghệ, chuyển đổi số, ứng dụng CNTT", MeasureUnit: "triệu đồng"},
		},
		Sections: []Section{
			{Code: "results", Title: "Kết quả thực hiện", Hint: "Các nhiệm vụ đã triển khai, hình thức, đối tượng, số liệu nổi bật"},
			{Code: "limitations", Title: "Tồn tại, hạn chế", Hint: "Khó khăn, vướng mắc và nguyên nhân"},
			{Code: "proposals", Title: "Đề xuất, kiến nghị", Hint: "Phương hướng, nhiệm vụ thời gian tới"},
		},
	}
}
