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
	l := web.Lang(r)
	names := auditUnitNames(r.Context(), s.Store(), entries)
	items := make([]apiAuditEntry, 0, len(entries))
	for _, e := range entries {
		v := describeAudit(l, e, names)
		if v.Changes == nil {
			v.Changes = []auditChange{}
		}
		items = append(items, apiAuditEntry{Entry: e, Summary: v.Summary, Link: v.Link, Changes: v.Changes})
	}
	web.WriteJSON(w, http.StatusOK, web.ListResponse[apiAuditEntry]{Items: items, Total: total, Limit: limit, Offset: offset})
}

// apiAuditEntry is an entry as recorded, with what the page shows of it
// in the caller's language: the summary, the object's page and the fields
// changed (labels and formatted values).
type apiAuditEntry struct {
	audit.Entry
	Summary string        `json:"summary"`
	Link    string        `json:"link,omitempty"`
	Changes []auditChange `json:"changes"`
}
