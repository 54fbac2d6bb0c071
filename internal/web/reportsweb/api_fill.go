package reportsweb

import (
	"net/http"

	"khienso/internal/service/reportsvc"
	"khienso/internal/web"
)

// apiSource is a round a province's answer may be filled from.
type apiSource struct {
	Round      apiRound `json:"round"`
	Accepted   int      `json:"accepted"`
	SamePeriod bool     `json:"same_period"`
}

func (s *handler) apiFillSources(w http.ResponseWriter, r *http.Request) {
	round, unit, err := pathIDs(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	list, err := s.svc.Sources(r.Context(), s.Caller(r), round, unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]apiSource, 0, len(list))
	for _, src := range list {
		items = append(items, apiSource{Round: apiRoundOf(src.Round, &src.Completeness), Accepted: src.Accepted, SamePeriod: src.SamePeriod})
	}
	page(w, r, s, items)
}

// apiFillInput is the body of a fill and of its preview.
type apiFillInput struct {
	SourceRoundID int64 `json:"source_round_id"`
	Narratives    bool  `json:"narratives"`
}

// fillOf reads the path and the body of a fill, answering the request
// itself when it cannot.
func (s *handler) fillOf(w http.ResponseWriter, r *http.Request) (reportsvc.Fill, bool) {
	round, unit, err := pathIDs(r)
	if err != nil {
		s.Fail(w, r, err)
		return reportsvc.Fill{}, false
	}
	var in apiFillInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return reportsvc.Fill{}, false
	}
	return reportsvc.Fill{Round: round, Unit: unit, Source: in.SourceRoundID, Narratives: in.Narratives}, true
}

// apiFillPreviewOut is what a fill would write.
type apiFillPreviewOut struct {
	SourceRoundID int64              `json:"source_round_id"`
	Accepted      int                `json:"accepted"`
	Values        map[string]float64 `json:"values"`
	Narratives    map[string]string  `json:"narratives"`
}

func (s *handler) apiFillPreview(w http.ResponseWriter, r *http.Request) {
	in, ok := s.fillOf(w, r)
	if !ok {
		return
	}
	pv, err := s.svc.PreviewFill(r.Context(), s.Caller(r), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := apiFillPreviewOut{SourceRoundID: pv.Source.ID, Accepted: pv.Accepted, Values: pv.Values, Narratives: map[string]string{}}
	if in.Narratives {
		out.Narratives = pv.Narratives
	}
	web.WriteJSON(w, http.StatusOK, out)
}

func (s *handler) apiFill(w http.ResponseWriter, r *http.Request) {
	in, ok := s.fillOf(w, r)
	if !ok {
		return
	}
	v, err := s.svc.Fill(r.Context(), s.Caller(r), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiSubmissionOf(v))
}
