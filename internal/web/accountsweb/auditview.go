package accountsweb

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/store"
)

// auditEntry is an audit entry as a person reads it: when, who, what in
// words with the object's page, and for a change the fields before and
// after, every label and value in the reader's language (never a field
// name as recorded, nor a code).
type auditEntry struct {
	audit.Entry
	// ActorLink lists the actor's other entries; empty for the product.
	ActorLink string
	// Summary says what was done: "Chấp nhận báo cáo của Xã Nghi Lộc".
	Summary string
	// Link is the object's page; empty when it has none (or is gone).
	Link string
	// Changes are the fields that changed, or were set by a creation.
	Changes []auditChange
	// Edit is true when the entry has a before and an after: the table
	// shows both columns.
	Edit bool
}

// auditChange is one field of an entry.
type auditChange struct {
	Label  string `json:"label"`
	Before string `json:"before"`
	After  string `json:"after"`
	// Value is the one value of a creation's (After) or a deletion's
	// (Before) field, for the page's one-column table.
	Value string `json:"-"`
}

// auditNames are the names of the units entries refer to by id.
type auditNames map[int64]string

// auditMaxText bounds a value shown in the table (an objective, a
// narrative): the rest is in the object's page.
const auditMaxText = 240

// unitRefs are the fields holding unit ids, shown by name; parent_id is a
// unit only in a unit's entry (a plan's parent is a plan).
var unitRefs = map[string]bool{"unit_id": true, "lead": true, "coord": true, "units": true, "issuer": true}

func unitRef(entity, field string) bool {
	return unitRefs[field] || entity == "unit" && field == "parent_id"
}

// countRefs are the lists of other objects' ids, shown as a count.
var countRefs = map[string]bool{"tasks": true}

// auditEnums are the fields whose values are codes, with the catalogue
// prefix that names them; "entity.field" is more specific than "field".
var auditEnums = map[string]string{
	"plan.status": "plan.status.", "task.status": "task.status.", "task_update.status": "task.status.",
	"report_submission.status": "report.status.", "report_round.status": "report.round.status.",
	"unit.type": "unit.type.", "activity.type": "activity.type.", "school_level": "unit.level.",
	"channel": "activity.channel.", "audiences": "activity.audience.", "roles": "role.", "kind": "task.timeframe.",
	"period": "indicator.period.",
}

// describeAudit renders e for a reader in l.
func describeAudit(l i18n.Lang, e audit.Entry, names auditNames) auditEntry {
	v := auditEntry{Entry: e, Edit: len(e.Before) > 0 && len(e.After) > 0}
	if e.UserID != 0 {
		v.ActorLink = "/audit?actor=" + url.QueryEscape(e.Actor)
	}
	obj := e.Object()
	id := audit.Int(e.EntityID)
	name := auditObjectName(l, e, obj, id, names)
	key := "audit.say." + e.Entity + "." + e.Action
	switch {
	case i18n.Has(key):
		v.Summary = l.T(key, name)
	default:
		v.Summary = strings.TrimSpace(l.T("audit.say.generic", auditLabel(l, "audit.action.", e.Action, "audit.action.other"),
			auditLabel(l, "audit.entity.", e.Entity, "audit.entity.other"), name))
	}
	if e.Action != "delete" {
		v.Link = auditLink(e, obj, id)
	}
	for _, c := range e.Changes() {
		field := c.Field()
		if strings.HasSuffix(field, "_id") && !unitRef(e.Entity, field) || field == "code" && e.Entity == "indicator" {
			continue // a reference the link and the summary already give
		}
		ch := auditChange{Label: auditFieldLabel(l, e, c.Path),
			Before: auditValue(l, e, field, c.Before, names), After: auditValue(l, e, field, c.After, names)}
		ch.Value = ch.After
		if len(e.After) == 0 {
			ch.Value = ch.Before
		}
		v.Changes = append(v.Changes, ch)
	}
	return v
}

// auditLabel translates prefix+v, or fallback when the catalogue does
// not know it (a value recorded by a later version).
func auditLabel(l i18n.Lang, prefix, v, fallback string) string {
	if i18n.Has(prefix + v) {
		return l.T(prefix + v)
	}
	return l.T(fallback)
}

// auditObjectName names the entry's object as its page does.
func auditObjectName(l i18n.Lang, e audit.Entry, obj map[string]any, id int64, names auditNames) string {
	var s string
	switch e.Entity {
	case "report_submission", "task_update":
		s = names[audit.Int(obj["unit_id"])]
		if s == "" {
			s, _ = obj["unit_name"].(string)
		}
	case "setting":
		_, k, _ := strings.Cut(e.EntityID, ":")
		s = auditSettingLabel(l, k)
	case "unit":
		s, _ = obj["name"].(string)
		if s == "" {
			s = names[id]
		}
	default:
		for _, k := range []string{"name", "title", "content", "email"} {
			if t, ok := obj[k].(string); ok && strings.TrimSpace(t) != "" {
				s = t
				break
			}
		}
	}
	return clip(strings.TrimSpace(s), 120)
}

// auditSettingLabel is the label the settings page gives setting key.
func auditSettingLabel(l i18n.Lang, key string) string {
	switch key {
	case "coordinator.unit_id":
		return l.T("settings.field.coordinator")
	case "mail.smtp_url":
		return l.T("audit.attr.smtp_url")
	}
	if i := strings.LastIndexByte(key, '.'); i >= 0 && i18n.Has("settings.field."+key[i+1:]) {
		return l.T("settings.field." + key[i+1:])
	}
	return l.T("audit.attr.other")
}

// auditLink is the page of the entry's object, or "".
func auditLink(e audit.Entry, obj map[string]any, id int64) string {
	ref := func(k string) int64 { return audit.Int(obj[k]) }
	switch e.Entity {
	case "unit":
		return pageOf("/units/%d", id)
	case "user":
		return pageOf("/users/%d/edit", id)
	case "plan":
		return pageOf("/plans/%d", id)
	case "indicator":
		return pageOf("/plans/%d", ref("plan_id"))
	case "task":
		return pageOf("/tasks/%d", id)
	case "task_update":
		return pageOf("/tasks/%d", ref("task_id"))
	case "activity":
		return pageOf("/activities/%d", id)
	case "report_round":
		return pageOf("/reports/rounds/%d", id)
	case "report_template":
		return pageOf("/reports/templates/%d", id)
	case "report_submission":
		if r, u := ref("round_id"), ref("unit_id"); r > 0 && u > 0 {
			return fmt.Sprintf("/reports/rounds/%d/units/%d", r, u)
		}
	case "setting":
		return "/settings"
	}
	return ""
}

func pageOf(format string, id int64) string {
	if id <= 0 {
		return ""
	}
	return fmt.Sprintf(format, id)
}

// auditFieldLabel names a field: the entity's own label, the shared one,
// the label of the object it sits in (a report's figure under "values"),
// else a generic label: never the recorded name.
func auditFieldLabel(l i18n.Lang, e audit.Entry, path []string) string {
	if len(path) == 0 {
		if e.Entity == "setting" {
			_, k, _ := strings.Cut(e.EntityID, ":")
			return auditSettingLabel(l, k)
		}
		return l.T("audit.attr.value")
	}
	field := strings.Join(path, ".")
	for _, k := range []string{"audit.attr." + e.Entity + "." + field, "audit.attr." + field} {
		if i18n.Has(k) {
			return l.T(k)
		}
	}
	for i := len(path) - 1; i > 0; i-- {
		if k := "audit.attr." + strings.Join(path[:i], "."); i18n.Has(k) {
			return l.T(k)
		}
	}
	return l.T("audit.attr.other")
}

var (
	isoDay  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	isoTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)
)

// auditValue formats a recorded value for reading: dates dd/mm/yyyy,
// times dd/mm/yyyy hh:mm (Vietnam), yes/no, numbers, codes by their
// label, units by their name, long text clipped.
func auditValue(l i18n.Lang, e audit.Entry, field string, v any, names auditNames) string {
	if v == nil {
		return l.T("common.none")
	}
	switch x := v.(type) {
	case bool:
		if x {
			return l.T("audit.yes")
		}
		return l.T("audit.no")
	case float64:
		if unitRef(e.Entity, field) {
			return auditUnit(l, int64(x), names)
		}
		return l.Decimal(x)
	case string:
		if x == "" || strings.HasPrefix(x, "0001-01-01") { // a zero date or time
			return l.T("common.none")
		}
		if prefix := auditEnum(e.Entity, field); prefix != "" && i18n.Has(prefix+x) {
			return l.T(prefix + x)
		}
		if isoDay.MatchString(x) {
			if d, err := dates.Parse(x); err == nil {
				return d.VN()
			}
		}
		if isoTime.MatchString(x) {
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return t.In(dates.Vietnam).Format("02/01/2006 15:04")
			}
		}
		return clip(x, auditMaxText)
	case []any:
		if len(x) == 0 {
			return l.T("common.none")
		}
		switch {
		case countRefs[field]:
			return l.T("audit.items_n", l.Int(len(x)))
		case unitRef(e.Entity, field) && len(x) > 5:
			return l.T("audit.units_n", l.Int(len(x)))
		}
		parts := make([]string, 0, len(x))
		for _, item := range x {
			if _, nested := item.(map[string]any); nested {
				return l.T("audit.items_n", l.Int(len(x)))
			}
			parts = append(parts, auditValue(l, e, field, item, names))
		}
		return clip(strings.Join(parts, ", "), auditMaxText)
	case map[string]any:
		return l.T("audit.items_n", l.Int(len(x)))
	}
	return l.T("audit.attr.other")
}

func auditEnum(entity, field string) string {
	if p, ok := auditEnums[entity+"."+field]; ok {
		return p
	}
	return auditEnums[field]
}

func auditUnit(l i18n.Lang, id int64, names auditNames) string {
	if n := names[id]; n != "" {
		return n
	}
	return l.T("audit.unit_n", id)
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// auditUnitNames looks up the names of the units entries refer to: the
// unit an entry is about, a report's or an update's unit, and the units
// its changed fields name (a short list; a long one is shown as a count).
// Unit names are public, so they are read from the store directly.
func auditUnitNames(ctx context.Context, st *store.Store, entries []audit.Entry) auditNames {
	ids := map[int64]bool{}
	for _, e := range entries {
		if e.Entity == "unit" {
			ids[audit.Int(e.EntityID)] = true
		}
		if obj := e.Object(); obj != nil {
			ids[audit.Int(obj["unit_id"])] = true
		}
		for _, c := range e.Changes() {
			if !unitRef(e.Entity, c.Field()) {
				continue
			}
			for _, v := range []any{c.Before, c.After} {
				switch x := v.(type) {
				case float64:
					ids[int64(x)] = true
				case []any:
					if len(x) <= 5 {
						for _, item := range x {
							ids[audit.Int(item)] = true
						}
					}
				}
			}
		}
	}
	names := auditNames{}
	today := dates.Today()
	for id := range ids {
		if id <= 0 {
			continue
		}
		if u, err := st.Unit(ctx, id, today); err == nil {
			names[id] = u.Name
		}
	}
	return names
}
