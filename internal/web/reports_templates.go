package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"khienso/internal/progress"
	"khienso/internal/reports"
	"khienso/internal/validation"
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
	Problems          []reportProblem
	NameError         string
}

func (s *Server) reportTemplatesPage(w http.ResponseWriter, r *http.Request) {
	if !s.reportRequireReviewer(w, r) {
		return
	}
	list, err := s.store.ReportTemplates(r.Context())
	if err != nil {
		s.Fail(w, r, err)
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

// reportTemplateFormPage shows the create or edit form.
func (s *Server) reportTemplateFormPage(w http.ResponseWriter, r *http.Request) {
	if !s.reportRequireReviewer(w, r) {
		return
	}
	extra := reportExtraRows
	if n, err := strconv.Atoi(r.URL.Query().Get("rows")); err == nil && n > 0 && n <= 100 {
		extra = n
	}
	f := &reportTplForm{}
	if r.PathValue("id") != "" {
		id, err := PathID(r, "id")
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		t, err := s.store.ReportTemplate(r.Context(), id)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		f = reportTplFromTemplate(t, extra)
	} else {
		f.pad(extra, extra)
	}
	s.Render(w, r, http.StatusOK, "reports_template_form", f)
}

// reportTemplateSubmit saves a template, or with "more" re-shows the form
// with more empty rows.
func (s *Server) reportTemplateSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.reportRequireReviewer(w, r) || !s.ParseForm(w, r, reportMaxForm) {
		return
	}
	f := &reportTplForm{Name: r.PostFormValue("name"), Description: strings.TrimSpace(r.PostFormValue("description")),
		Fields: reportTplRows(r, "f", false), Sections: reportTplRows(r, "s", true)}
	if r.PathValue("id") != "" {
		id, err := PathID(r, "id")
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		if _, err := s.store.ReportTemplate(r.Context(), id); err != nil {
			s.Fail(w, r, err)
			return
		}
		f.ID = id
	}
	if r.PostFormValue("more") != "" {
		f.pad(reportExtraRows, reportExtraRows)
		s.Render(w, r, http.StatusOK, "reports_template_form", f)
		return
	}
	t := &reports.Template{ID: f.ID, Name: f.Name, Description: f.Description}
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
	err := s.store.SaveReportTemplate(r.Context(), s.actor(r), t, progress.CheckTemplate)
	var ve validation.Errors
	if errors.As(err, &ve) {
		l := Lang(r)
		f.NameError = reportFieldError(l, ve, "name")
		// Errors name rows by code; mark every non-blank row with that code.
		for i := range f.Fields {
			row := &f.Fields[i]
			if row.blank() {
				continue
			}
			row.Error = reportFieldError(l, ve, "fields."+strings.TrimSpace(row.Code))
			row.PrefillError = reportFieldError(l, ve, "fields."+strings.TrimSpace(row.Code)+".prefill")
		}
		for i := range f.Sections {
			row := &f.Sections[i]
			if !row.blank() {
				row.Error = reportFieldError(l, ve, "sections."+strings.TrimSpace(row.Code))
			}
		}
		f.Problems = reportMessages(l, ve, func(field string) string {
			switch {
			case field == "name":
				return "tpl-name"
			case strings.HasPrefix(field, "fields.") || field == "fields":
				code := strings.TrimSuffix(strings.TrimPrefix(field, "fields."), ".prefill")
				for _, row := range f.Fields {
					if !row.blank() && row.Code == code {
						if strings.HasSuffix(field, ".prefill") {
							return "f-" + strconv.Itoa(row.Index) + "-prefill"
						}
						return "f-" + strconv.Itoa(row.Index) + "-code"
					}
				}
			case strings.HasPrefix(field, "sections."):
				code := strings.TrimPrefix(field, "sections.")
				for _, row := range f.Sections {
					if !row.blank() && row.Code == code {
						return "s-" + strconv.Itoa(row.Index) + "-code"
					}
				}
			}
			return ""
		})
		s.Render(w, r, http.StatusUnprocessableEntity, "reports_template_form", f)
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/reports/templates?done=saved", http.StatusSeeOther)
}
