package accountsweb

import (
	"net/http"
	"slices"
	"strings"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/service/accountsvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// auditPageSize is how many entries a page of /audit lists.
const auditPageSize = 50

// auditActions and auditEntities are the values the filters offer.
var (
	auditActions = []string{"create", "update", "delete", "move", "merge", "close", "password", "unlock", "revoke",
		"save", "submit", "return", "accept", "reopen", "withdraw"}
	auditEntities = []string{"unit", "user", "api_token", "setting", "plan", "indicator", "task", "task_update", "activity",
		"report_round", "report_submission", "report_template", "programme"}
)

type auditPageData struct {
	Actor, Action, Entity, EntityID, From, To string
	Actions, Entities                         []web.Option
	Rows                                      []auditEntry
	Pager                                     web.Pager
	Errors                                    web.FormErrors
}

var auditFormFields = []web.FieldRef{
	{Name: "actor", ID: "audit-actor", LabelKey: "audit.field.actor"},
	{Name: "action", ID: "audit-action", LabelKey: "audit.field.action"},
	{Name: "entity", ID: "audit-entity", LabelKey: "audit.field.entity"},
	{Name: "entity_id", ID: "audit-entity_id", LabelKey: "audit.field.entity_id"},
	{Name: "from", ID: "audit-from", LabelKey: "audit.field.from"},
	{Name: "to", ID: "audit-to", LabelKey: "audit.field.to"},
}

func auditOptions(l i18n.Lang, prefix string, values []string, selected string) []web.Option {
	if selected != "" && !slices.Contains(values, selected) {
		values = append(slices.Clone(values), selected)
	}
	opts := []web.Option{{Value: "", Label: l.T(prefix + "all"), Selected: selected == ""}}
	for _, v := range values {
		opts = append(opts, web.Option{Value: v, Label: auditLabel(l, prefix, v, prefix+"other"), Selected: v == selected})
	}
	return opts
}

// auditPage lists the audit log, newest first; the service decides who
// reads which entries.
func (s *handler) auditPage(w http.ResponseWriter, r *http.Request) {
	l := web.Lang(r)
	q := r.URL.Query()
	d := &auditPageData{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Entity: strings.TrimSpace(q.Get("entity")), EntityID: strings.TrimSpace(q.Get("entity_id")),
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	d.Actions = auditOptions(l, "audit.action.", auditActions, d.Action)
	d.Entities = auditOptions(l, "audit.entity.", auditEntities, d.Entity)
	page, limit, offset := web.PageParams(r, auditPageSize)
	aq := accountsvc.AuditQuery{Actor: d.Actor, Action: d.Action, Entity: d.Entity, EntityID: d.EntityID, Limit: limit, Offset: offset}
	var errs validation.Errors
	var err error
	if aq.From, err = dates.Parse(d.From); err != nil {
		errs.Add("from", "err.date")
	}
	if aq.To, err = dates.Parse(d.To); err != nil {
		errs.Add("to", "err.date")
	}
	var entries []audit.Entry
	total := 0
	if len(errs) > 0 {
		// Who may not read the log learns nothing about the filters.
		if err = s.svc.RequireAuditRead(r.Context(), s.Caller(r)); err == nil {
			err = errs
		}
	} else {
		entries, total, err = s.svc.AuditLog(r.Context(), s.Caller(r), aq)
	}
	if ve, ok := inputErrors(err); ok {
		d.Errors = web.NewFormErrors(l, ve, auditFormFields)
		d.Pager = web.NewPager(1, auditPageSize, 0)
		s.Render(w, r, http.StatusUnprocessableEntity, "audit", d)
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Pager = web.NewPager(page, auditPageSize, total)
	names := auditUnitNames(r.Context(), s.Store(), entries)
	for _, e := range entries {
		d.Rows = append(d.Rows, describeAudit(l, e, names))
	}
	s.Render(w, r, http.StatusOK, "audit", d)
}
