package reportsweb

import (
	"fmt"
	"net/http"

	"khienso/internal/web"
)

// reportRoundRemindSubmit reminds the round's units that have not
// submitted, and says on the round page how many were reminded.
func (s *handler) reportRoundRemindSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	res, err := s.svc.RemindUnits(r.Context(), s.Caller(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/reports/rounds/%d?done=remind&reminded=%d&already=%d", id, res.Reminded, res.Already), http.StatusSeeOther)
}

// apiRemind is the outcome of reminding a round's units.
type apiRemind struct {
	Reminded int `json:"reminded"`
	Already  int `json:"already_today"`
}

func (s *handler) apiRoundRemind(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	res, err := s.svc.RemindUnits(r.Context(), s.Caller(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiRemind{Reminded: res.Reminded, Already: res.Already})
}
