package reportsweb

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"khienso/internal/i18n"
	"khienso/internal/reports"
	"khienso/internal/service/reportsvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// reportExtraRows is how many empty rows a template form offers, and how
// many "add rows" adds.
const reportExtraRows = 3

// reportTplRow is one editable row of the template form: a numeric field
// (Label, Unit, Prefill) or a narrative section (Label is the title, Hint).
type reportTplRow struct {
	Index                            int
	Code, Label, Unit, Prefill, Hint string
	Error, PrefillError              string
}

type reportTplForm struct {
	ID                int64
	Name, Description string
	Fields, Sections  []reportTplRow
	Errors            web.FormErrors
}

func (s *handler) reportTemplatesPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Templates(r.Context(), s.Caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "reports_templates", map[string]any{"Templates": list, "Saved": r.URL.Query().Get("done") == "saved"})
}

// reportTplFromTemplate fills the form from a stored template plus extra
// empty rows.
func reportTplFromTemplate(t *reports.Template, extra int) *reportTplForm {
	f := &reportTplForm{ID: t.ID, Name: t.Name, Description: t.Description}
	for i, x := range t.Fields {
		f.Fields = append(f.Fields, reportTplRow{Index: i, Code: x.Code, Label: x.Label, Unit: x.MeasureUnit, Prefill: x.Prefill})
	}
	for i, x := range t.Sections {
		f.Sections = append(f.Sections, reportTplRow{Index: i, Code: x.Code, Label: x.Title, Hint: x.Hint})
	}
	f.pad(extra, extra)
	return f
}

// pad appends empty rows.
func (f *reportTplForm) pad(fields, sections int) {
	for range fields {
		f.Fields = append(f.Fields, reportTplRow{Index: len(f.Fields)})
	}
	for range sections {
		f.Sections = append(f.Sections, reportTplRow{Index: len(f.Sections)})
	}
}

// reportTplRows reads the repeated rows named prefix_<n>_<part>, n from 0
// to count-1, keeping blank ones so the form keeps its shape.
func reportTplRows(r *http.Request, prefix string, section bool) []reportTplRow {
	n, _ := strconv.Atoi(r.PostFormValue(prefix + "_count"))
	n = min(max(n, 0), 500)
	rows := make([]reportTplRow, 0, n)
	for i := range n {
		get := func(part string) string {
			return strings.TrimSpace(r.PostFormValue(prefix + "_" + strconv.Itoa(i) + "_" + part))
		}
		row := reportTplRow{Index: i, Code: get("code"), Label: get("label"), Hint: get("hint")}
		if !section {
			row.Unit, row.Prefill = get("unit"), get("prefill")
		}
		rows = append(rows, row)
	}
	return rows
}

func (row reportTplRow) blank() bool {
	return row.Code == "" && row.Label == "" && row.Unit == "" && row.Prefill == "" && row.Hint == ""
}

// template is the template the form's non-blank rows describe.
func (f *reportTplForm) template() *reports.Template {
	t := &reports.Template{ID: f.ID, Name: f.Name, Description: f.Description, Fields: []reports.Field{}, Sections: []reports.Section{}}
	for _, row := range f.Fields {
		if !row.blank() {
			t.Fields = append(t.Fields, reports.Field{Code: row.Code, Label: row.Label, MeasureUnit: row.Unit, Prefill: row.Prefill})
		}
	}
	for _, row := range f.Sections {
		if !row.blank() {
			t.Sections = append(t.Sections, reports.Section{Code: row.Code, Title: row.Label, Hint: row.Hint})
		}
	}
	return t
}

// reportTemplateFormPage shows the create or edit form.
func (s *handler) reportTemplateFormPage(w http.ResponseWriter, r *http.Request) {
	extra := reportExtraRows
	if n, err := strconv.Atoi(r.URL.Query().Get("rows")); err == nil && n > 0 && n <= 100 {
		extra = n
	}
	t, err := s.formTemplate(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "reports_template_form", reportTplFromTemplate(t, extra))
}

// formTemplate is the template a form edits (empty for a new one), once
// the caller is known to manage templates.
func (s *handler) formTemplate(r *http.Request) (*reports.Template, error) {
	if r.PathValue("id") == "" {
		return &reports.Template{}, s.svc.RequireReviewer(r.Context(), s.Caller(r))
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Template(r.Context(), s.Caller(r), id)
}

// reportTemplateSubmit saves a template, or with "more" re-shows the form
// with more empty rows.
func (s *handler) reportTemplateSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	f := &reportTplForm{Name: r.PostFormValue("name"), Description: strings.TrimSpace(r.PostFormValue("description")),
		Fields: reportTplRows(r, "f", false), Sections: reportTplRows(r, "s", true)}
	ctx, actor := r.Context(), s.Caller(r)
	var err error
	switch {
	case r.PostFormValue("more") != "":
		var t *reports.Template
		if t, err = s.formTemplate(r); err == nil {
			f.ID = t.ID
			f.pad(reportExtraRows, reportExtraRows)
			s.Render(w, r, http.StatusOK, "reports_template_form", f)
			return
		}
	case r.PathValue("id") == "":
		err = s.svc.CreateTemplate(ctx, actor, f.template())
	default:
		if f.ID, err = web.PathID(r, "id"); err == nil {
			t := f.template()
			_, err = s.svc.UpdateTemplate(ctx, actor, f.ID, reportsvc.TemplatePatch{Name: &t.Name, Description: &t.Description,
				Fields: &t.Fields, Sections: &t.Sections})
		}
	}
	var ve validation.Errors
	if errors.As(err, &ve) {
		f.showErrors(web.Lang(r), ve)
		s.Render(w, r, http.StatusUnprocessableEntity, "reports_template_form", f)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/reports/templates?done=saved", http.StatusSeeOther)
}

// showErrors marks the rows errs name. Errors name rows by code, so every
// non-blank row with that code is marked; the summary links to the first.
func (f *reportTplForm) showErrors(l i18n.Lang, errs validation.Errors) {
	refs := []web.FieldRef{{Name: "name", ID: "tpl-name", LabelKey: "report.tpl.name"}, {Name: "fields", LabelKey: "report.tpl.fields"}}
	seen := map[string]bool{}
	ref := func(name, id, label string) {
		if !seen[name] {
			seen[name] = true
			refs = append(refs, web.FieldRef{Name: name, ID: id, LabelKey: label})
		}
	}
	for _, row := range f.Fields {
		if !row.blank() {
			i := strconv.Itoa(row.Index)
			ref("fields."+row.Code, "f-"+i+"-code", "report.tpl.fields")
			ref("fields."+row.Code+".prefill", "f-"+i+"-prefill", "report.tpl.prefill")
		}
	}
	for _, row := range f.Sections {
		if !row.blank() {
			ref("sections."+row.Code, "s-"+strconv.Itoa(row.Index)+"-code", "report.tpl.sections")
		}
	}
	f.Errors = web.NewFormErrors(l, errs, refs)
	for i := range f.Fields {
		if row := &f.Fields[i]; !row.blank() {
			row.Error, row.PrefillError = f.Errors.Of("fields."+row.Code), f.Errors.Of("fields."+row.Code+".prefill")
		}
	}
	for i := range f.Sections {
		if row := &f.Sections[i]; !row.blank() {
			row.Error = f.Errors.Of("sections." + row.Code)
		}
	}
}
