package reportsweb

import (
	"net/http"
	"slices"

	"khienso/internal/dates"
	"khienso/internal/reports"
	"khienso/internal/service/reportsvc"
	"khienso/internal/settings"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// apiRound is a reporting round in the API.
type apiRound struct {
	ID           int64      `json:"id"`
	IssuerID     int64      `json:"issuer_id"`
	Title        string     `json:"title"`
	TemplateID   int64      `json:"template_id"`
	TemplateName string     `json:"template_name"`
	PlanID       *int64     `json:"plan_id"`
	From         dates.Date `json:"from"`
	To           dates.Date `json:"to"`
	Deadline     dates.Date `json:"deadline"`
	Status       string     `json:"status"`
	// SignOff is the round's own signer and recipients for its
	// consolidated report (empty parts: the province's settings).
	SignOff apiSignOff `json:"sign_off"`
	// Completeness is given to the round's reviewers.
	Completeness *apiCompleteness `json:"completeness,omitempty"`
	// Own is the caller's unit's standing, when it reports in the round
	// (lists only).
	Own *apiRoundUnit `json:"own,omitempty"`
}

type apiCompleteness struct {
	Required  int            `json:"required"`
	Submitted int            `json:"submitted"`
	Late      int            `json:"late"`
	Percent   float64        `json:"percent"`
	ByStatus  map[string]int `json:"by_status"`
}

// apiSignOff is a round's own signer and recipients.
type apiSignOff struct {
	SignerAuthority []string `json:"signer_authority"`
	SignerName      string   `json:"signer_name"`
	Recipients      []string `json:"recipients"`
}

func apiSignOffOf(o settings.SignOff) apiSignOff {
	out := apiSignOff{SignerAuthority: o.Authority, SignerName: o.SignerName, Recipients: o.Recipients}
	if out.SignerAuthority == nil {
		out.SignerAuthority = []string{}
	}
	if out.Recipients == nil {
		out.Recipients = []string{}
	}
	return out
}

func (a *apiSignOff) signOff() settings.SignOff {
	if a == nil {
		return settings.SignOff{}
	}
	return settings.SignOff{Authority: a.SignerAuthority, SignerName: a.SignerName, Recipients: a.Recipients}
}

// apiRoundUnit is a required unit's standing in a round.
type apiRoundUnit struct {
	UnitID      int64   `json:"unit_id"`
	Code        string  `json:"code,omitempty"`
	Name        string  `json:"name,omitempty"`
	Status      string  `json:"status"`
	SubmittedAt *string `json:"submitted_at"`
	Late        bool    `json:"late"`
}

func apiRoundOf(rd *reports.Round, c *reports.Completeness) apiRound {
	out := apiRound{ID: rd.ID, IssuerID: rd.Issuer, Title: rd.Title, TemplateID: rd.TemplateID, TemplateName: rd.TemplateName, From: rd.From,
		To: rd.To, Deadline: rd.Deadline, Status: string(rd.Status), SignOff: apiSignOffOf(rd.SignOff)}
	if rd.PlanID != 0 {
		out.PlanID = &rd.PlanID
	}
	if c != nil {
		out.Completeness = &apiCompleteness{Required: c.Required, Submitted: c.Submitted, Late: c.Late, Percent: c.Percent(),
			ByStatus: map[string]int{}}
		for _, st := range reports.Statuses {
			out.Completeness.ByStatus[string(st)] = c.ByStatus[st]
		}
	}
	return out
}

// optTime is a storage timestamp for JSON: null when empty.
func optTime(ts string) *string {
	if ts == "" {
		return nil
	}
	return &ts
}

func (s *handler) apiRoundList(w http.ResponseWriter, r *http.Request) {
	idx, err := s.svc.Index(r.Context(), s.Caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]apiRound, 0, len(idx.Rows))
	for _, row := range idx.Rows {
		it := apiRoundOf(row.Round, row.Completeness)
		if o := row.Own; o != nil {
			it.Own = &apiRoundUnit{UnitID: o.Unit, Status: string(o.Status), SubmittedAt: optTime(o.SubmittedAt), Late: o.Late}
		}
		items = append(items, it)
	}
	page(w, r, s, items)
}

// writeRound answers with round id as its reviewer sees it.
func (s *handler) writeRound(w http.ResponseWriter, r *http.Request, status int, id int64) {
	v, err := s.svc.Round(r.Context(), s.Caller(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	web.WriteJSON(w, status, apiRoundOf(v.Round, &v.Completeness))
}

func (s *handler) apiRoundGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.writeRound(w, r, http.StatusOK, id)
}

func (s *handler) apiRoundCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		TemplateID int64       `json:"template_id"`
		PlanID     int64       `json:"plan_id"`
		Title      string      `json:"title"`
		From       string      `json:"from"`
		To         string      `json:"to"`
		Deadline   string      `json:"deadline"`
		Status     string      `json:"status"`
		UnitTypes  []string    `json:"unit_types"`
		UnitCodes  []string    `json:"unit_codes"`
		UnitIDs    []int64     `json:"unit_ids"`
		SignOff    *apiSignOff `json:"sign_off"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	ri := reportsvc.RoundInput{TemplateID: in.TemplateID, PlanID: in.PlanID, Title: in.Title, From: in.From, To: in.To,
		Deadline: in.Deadline, Status: reports.RoundStatus(in.Status), Codes: in.UnitCodes, Units: in.UnitIDs, SignOff: in.SignOff.signOff()}
	for _, t := range in.UnitTypes {
		ri.Types = append(ri.Types, units.Type(t))
	}
	rd, err := s.svc.CreateRound(r.Context(), s.Caller(r), ri)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeRound(w, r, http.StatusCreated, rd.ID)
}

func (s *handler) apiRoundStatus(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var in struct {
		Status string `json:"status"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	if _, err := s.svc.SetRoundStatus(r.Context(), s.Caller(r), id, reports.RoundStatus(in.Status)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeRound(w, r, http.StatusOK, id)
}

// apiRoundSignOff replaces the round's own signer and recipients; empty
// members fall back to the province's settings.
func (s *handler) apiRoundSignOff(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var in apiSignOff
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	if _, err := s.svc.SetRoundSignOff(r.Context(), s.Caller(r), id, in.signOff()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeRound(w, r, http.StatusOK, id)
}

// apiRoundUnits lists the round's required units with their status and
// lateness, by unit name; ?status= keeps one status.
func (s *handler) apiRoundUnits(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v, err := s.svc.Round(r.Context(), s.Caller(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	filter := r.URL.Query().Get("status")
	if filter != "" && !slices.Contains(reports.Statuses, reports.Status(filter)) {
		s.Fail(w, r, web.BadRequest(validation.Errors{{Field: "status", Reason: "err.invalid"}}))
		return
	}
	items := []apiRoundUnit{}
	for _, u := range v.Units {
		if filter == "" || string(u.Status) == filter {
			items = append(items, apiRoundUnitOf(u))
		}
	}
	page(w, r, s, items)
}

func apiRoundUnitOf(u store.RoundUnitStatus) apiRoundUnit {
	return apiRoundUnit{UnitID: u.UnitID, Code: u.UnitCode, Name: u.UnitName, Status: string(u.Status),
		SubmittedAt: optTime(u.SubmittedAt), Late: u.Late}
}
