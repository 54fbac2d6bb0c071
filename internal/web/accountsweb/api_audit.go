package accountsweb

import (
	"net/http"
	"strings"

	"khienso/internal/audit"
	"khienso/internal/service/accountsvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// apiAuditLog lists the audit log, newest first, with the page's filters:
// ?actor= (part of the e-mail), ?action=, ?entity=, ?entity_id=, ?from= and
// ?to= (YYYY-MM-DD, both days included).
func (s *handler) apiAuditLog(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	q := r.URL.Query()
	aq := accountsvc.AuditQuery{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Entity: strings.TrimSpace(q.Get("entity")), EntityID: strings.TrimSpace(q.Get("entity_id")), Limit: limit, Offset: offset}
	var errs validation.Errors
	aq.From, aq.To = web.QueryDate(q, "from", &errs), web.QueryDate(q, "to", &errs)
	if len(errs) > 0 {
		// Who may not read the log learns nothing about the filters.
		if err := s.svc.RequireAuditRead(r.Context(), s.Caller(r)); err != nil {
			s.Fail(w, r, err)
			return
		}
		s.Fail(w, r, web.BadRequest(errs))
		return
	}
	entries, total, err := s.svc.AuditLog(r.Context(), s.Caller(r), aq)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if entries == nil {
		entries = []audit.Entry{}
	}
	web.WriteJSON(w, http.StatusOK, web.ListResponse[audit.Entry]{Items: entries, Total: total, Limit: limit, Offset: offset})
}
