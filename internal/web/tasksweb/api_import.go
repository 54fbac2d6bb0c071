package tasksweb

import (
	"fmt"
	"net/http"
	"strings"

	"khienso/internal/plans"
	"khienso/internal/service/tasksvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// APIImportReview is a parsed task table: nothing is saved until the
// reviewed tasks are posted to …/import/confirm.
type APIImportReview struct {
	PlanID    int64          `json:"plan_id"`
	Unmatched int            `json:"unmatched"`
	Inherited int            `json:"inherited"`
	Rows      []APIImportRow `json:"rows"`
}

// APIImportRow is one task read from the plan: where it was, what the
// reviewer should check, how its unit phrases matched, and the task
// proposed (the shape …/import/confirm takes).
type APIImportRow struct {
	Line          int              `json:"line"`
	Inherited     bool             `json:"inherited"`
	Notes         []string         `json:"notes"`
	TimeframeText string           `json:"timeframe_text"`
	LeadPhrases   []APIImportMatch `json:"lead_phrases"`
	CoordPhrases  []APIImportMatch `json:"coord_phrases"`
	Task          apiTaskFields    `json:"task"`
}

// APIImportMatch is one unit phrase of a cell and the units it matched.
type APIImportMatch struct {
	Phrase      string  `json:"phrase"`
	Group       string  `json:"group,omitempty"`
	UnitIDs     []int64 `json:"unit_ids"`
	Suggestions []int64 `json:"suggestions"`
}

func apiMatches(list []tasksvc.ImportPhrase) []APIImportMatch {
	out := []APIImportMatch{}
	for _, ph := range list {
		m := APIImportMatch{Phrase: ph.Phrase, Group: ph.Group, UnitIDs: ph.UnitIDs, Suggestions: ph.Suggestions}
		if m.UnitIDs == nil {
			m.UnitIDs = []int64{}
		}
		if m.Suggestions == nil {
			m.Suggestions = []int64{}
		}
		out = append(out, m)
	}
	return out
}

// apiImport reads a task table from a JSON body {"text": …} or a
// multipart form with "text" or an uploaded "file" (.docx or .txt).
func (s *handler) apiImport(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	var src tasksvc.ImportSource
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		var err error
		src, err = readImportSource(w, r)
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if err != nil {
			s.Fail(w, r, err)
			return
		}
	} else {
		var body struct {
			Text string `json:"text"`
		}
		if err := web.DecodeJSON(w, r, &body); err != nil {
			s.Fail(w, r, err)
			return
		}
		src.Text = body.Text
	}
	rv, err := s.svc.ParseImport(r.Context(), s.Caller(r), id, src)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := web.Lang(r)
	out := APIImportReview{PlanID: rv.Plan.ID, Unmatched: rv.Unmatched, Inherited: rv.Inherited, Rows: []APIImportRow{}}
	for _, row := range rv.Rows {
		ar := APIImportRow{Line: row.Line, Inherited: row.Inherited, Notes: []string{}, TimeframeText: row.TimeframeText,
			LeadPhrases: apiMatches(row.LeadPhrases), CoordPhrases: apiMatches(row.CoordPhrases), Task: apiTaskFieldsOf(row.Task)}
		for _, n := range row.Notes {
			ar.Notes = append(ar.Notes, n.Message(l))
		}
		out.Rows = append(out.Rows, ar)
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// APIImportResult is what a confirmed import saved.
type APIImportResult struct {
	Created int       `json:"created"`
	Tasks   []APITask `json:"tasks"`
}

// apiImportConfirm saves reviewed tasks into the plan, all or nothing.
func (s *handler) apiImportConfirm(w http.ResponseWriter, r *http.Request) {
	id, ok := s.ParsePathID(w, r, "id")
	if !ok {
		return
	}
	var body struct {
		Tasks []apiTaskFields `json:"tasks"`
	}
	if err := web.DecodeJSON(w, r, &body); err != nil {
		s.Fail(w, r, err)
		return
	}
	var errs validation.Errors
	list := make([]*plans.Task, 0, len(body.Tasks))
	for i, f := range body.Tasks {
		list = append(list, f.toTask(fmt.Sprintf("tasks.%d.", i), &errs))
	}
	if len(errs) > 0 {
		s.Fail(w, r, errs)
		return
	}
	if err := s.svc.ApplyImport(r.Context(), s.Caller(r), id, list); err != nil {
		s.Fail(w, r, err)
		return
	}
	today := s.svc.Today()
	out := APIImportResult{Created: len(list), Tasks: []APITask{}}
	for _, t := range list {
		out.Tasks = append(out.Tasks, apiTaskOf(t, today))
	}
	web.WriteJSON(w, http.StatusCreated, out)
}
