package reportsweb

import (
	"net/http"

	"khienso/internal/dates"
	"khienso/internal/reports"
	"khienso/internal/service/reportsvc"
	"khienso/internal/web"
)

// apiSubmission is a unit's report in a round in the API.
type apiSubmission struct {
	RoundID       int64              `json:"round_id"`
	UnitID        int64              `json:"unit_id"`
	UnitName      string             `json:"unit_name"`
	Status        string             `json:"status"`
	Values        map[string]float64 `json:"values"`
	Narratives    map[string]string  `json:"narratives"`
	SubmittedAt   *string            `json:"submitted_at"`
	ReviewedAt    *string            `json:"reviewed_at"`
	ReviewComment string             `json:"review_comment"`
	UpdatedAt     *string            `json:"updated_at"`
	Deadline      dates.Date         `json:"deadline"`
	Late          bool               `json:"late"`
	// AllowedActions are the steps the caller may take now.
	AllowedActions []reports.Action `json:"allowed_actions"`
	// Suggestions are prefill values computed from recorded activities,
	// given while the caller may fill the report.
	Suggestions map[string]float64 `json:"suggestions"`
	// SourceRoundID is the round the figures were consolidated from.
	SourceRoundID *int64 `json:"source_round_id"`
}

func apiSubmissionOf(v *reportsvc.SubmissionView) apiSubmission {
	sub := v.Sub
	out := apiSubmission{RoundID: v.Round.ID, UnitID: sub.UnitID, UnitName: sub.UnitName, Status: string(sub.Status),
		Values: sub.Values, Narratives: sub.Narratives, SubmittedAt: optTime(sub.SubmittedAt), ReviewedAt: optTime(sub.ReviewedAt),
		ReviewComment: sub.ReviewComment, UpdatedAt: optTime(sub.UpdatedAt), Deadline: v.Round.Deadline, Late: v.Late,
		AllowedActions: v.Can.List(), Suggestions: v.Suggested}
	if sub.SourceRound != 0 {
		out.SourceRoundID = &sub.SourceRound
	}
	if out.Values == nil {
		out.Values = map[string]float64{}
	}
	if out.Narratives == nil {
		out.Narratives = map[string]string{}
	}
	if out.Suggestions == nil {
		out.Suggestions = map[string]float64{}
	}
	return out
}

func (s *handler) apiSubmissionGet(w http.ResponseWriter, r *http.Request) {
	round, unit, err := pathIDs(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v, err := s.svc.Submission(r.Context(), s.Caller(r), round, unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiSubmissionOf(v))
}

// apiContent is a report's content as the API takes it.
type apiContent struct {
	Values     map[string]float64 `json:"values"`
	Narratives map[string]string  `json:"narratives"`
}

// apiStep reads the body of a workflow step (content for save and submit,
// a comment for the review steps) and takes the step. An empty body is
// allowed where optional: submit then sends the saved content, accept and
// reopen go without a comment.
func (s *handler) apiStep(w http.ResponseWriter, r *http.Request, a reports.Action, bodyRequired bool) {
	round, unit, err := pathIDs(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	step := reportsvc.Step{Round: round, Unit: unit, Step: reports.Step{Action: a}}
	empty := r.ContentLength == 0
	switch {
	case empty && !bodyRequired:
		step.KeepContent = a.Edits()
	case a.Edits():
		var in apiContent
		if err := web.DecodeJSON(w, r, &in); err != nil {
			s.Fail(w, r, err)
			return
		}
		step.Values, step.Narratives = in.Values, in.Narratives
	default:
		var in struct {
			Comment string `json:"comment"`
		}
		if err := web.DecodeJSON(w, r, &in); err != nil {
			s.Fail(w, r, err)
			return
		}
		step.Comment = in.Comment
	}
	v, err := s.svc.Apply(r.Context(), s.Caller(r), step)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiSubmissionOf(v))
}

func (s *handler) apiSubmissionSave(w http.ResponseWriter, r *http.Request) {
	s.apiStep(w, r, reports.ActionSave, true)
}

func (s *handler) apiSubmissionSubmit(w http.ResponseWriter, r *http.Request) {
	s.apiStep(w, r, reports.ActionSubmit, false)
}

func (s *handler) apiSubmissionWithdraw(w http.ResponseWriter, r *http.Request) {
	s.apiStep(w, r, reports.ActionWithdraw, false)
}

func (s *handler) apiSubmissionReturn(w http.ResponseWriter, r *http.Request) {
	s.apiStep(w, r, reports.ActionReturn, true)
}

func (s *handler) apiSubmissionAccept(w http.ResponseWriter, r *http.Request) {
	s.apiStep(w, r, reports.ActionAccept, false)
}

func (s *handler) apiSubmissionReopen(w http.ResponseWriter, r *http.Request) {
	s.apiStep(w, r, reports.ActionReopen, false)
}

// apiEvent is one step of a submission's history.
type apiEvent struct {
	Actor   string `json:"actor"`
	Action  string `json:"action"`
	Comment string `json:"comment"`
	At      string `json:"at"`
}

func (s *handler) apiSubmissionHistory(w http.ResponseWriter, r *http.Request) {
	round, unit, err := pathIDs(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	evs, err := s.svc.History(r.Context(), s.Caller(r), round, unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]apiEvent, 0, len(evs))
	for _, e := range evs {
		items = append(items, apiEvent{Actor: e.Actor, Action: e.Action, Comment: e.Comment, At: e.At})
	}
	page(w, r, s, items)
}
