package unitsweb

import (
	"net/http"
	"strings"

	"khienso/internal/auth"
	"khienso/internal/service/unitsvc"
	"khienso/internal/validation"
	"khienso/internal/web"
)

var (
	mergeSourceSpecs = []fieldSpec{{"sources", "textarea", true, 0}, {"date", "date", true, 0}}
	mergeTargetSpecs = []fieldSpec{{"target_code", "text", false, 40}}
	mergeNewSpecs    = []fieldSpec{
		{"new_code", "text", false, 40}, {"new_name", "text", false, 255}, {"new_short_name", "text", false, 80},
		{"new_type", "select", false, 0}, {"new_school_level", "select", false, 0}, {"new_parent_code", "text", false, 40},
	}
	mergeNames = []string{"sources", "date", "target_code", "new_code", "new_name", "new_short_name",
		"new_type", "new_school_level", "new_parent_code"}
)

// mergePreview is the summary shown before a merge is committed.
type mergePreview struct {
	*unitsvc.MergePreview
	TypeLabel string
}

// mergeInput maps a merge's field, as the service names it, to the form's.
func mergeInput(field string) string {
	switch field {
	case "source_ids":
		return "sources"
	case "target_id":
		return "target_code"
	case "new_target.parent_id":
		return "new_parent_code"
	}
	if rest, ok := strings.CutPrefix(field, "new_target."); ok {
		return "new_" + inputOf(rest)
	}
	return field
}

func (s *handler) mergeForm(r *http.Request, vals map[string]string, errs validation.Errors) *formPage {
	l := web.Lang(r)
	f := &formPage{Title: l.T("unit.merge.title"), Intro: l.T("unit.merge.intro"), Action: "/units/merge",
		Submit: l.T("unit.merge.preview"), SubmitID: "unit-merge-preview", Cancel: "/units",
		Hidden: []formHidden{{"step", "preview"}}}
	f.Groups = []formGroup{
		group(l, "unit.merge.sources", "", mergeSourceSpecs, vals),
		group(l, "unit.merge.existing", "unit.merge.existing_hint", mergeTargetSpecs, vals),
		group(l, "unit.merge.new", "unit.merge.new_hint", mergeNewSpecs, vals),
	}
	return f.withErrors(l, renamed(errs, mergeInput))
}

// mergePage shows the merge form (?source= prefills a source code).
func (s *handler) mergePage(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RequireSomewhere(s.Caller(r), auth.UnitStructure); err != nil {
		s.Fail(w, r, err)
		return
	}
	vals := map[string]string{"date": s.svc.Today().VN(), "sources": r.URL.Query().Get("source")}
	s.renderForm(w, r, http.StatusOK, s.mergeForm(r, vals, nil))
}

// splitCodes reads unit codes separated by new lines, commas, semicolons or
// spaces.
func splitCodes(v string) []string {
	return strings.FieldsFunc(v, func(c rune) bool {
		return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
	})
}

// mergeRequest reads the merge form: the section the user filled (an
// existing successor, or a new one) says which kind of successor is asked
// for.
func mergeRequest(vals map[string]string) unitsvc.MergeInput {
	var in unitsvc.MergeInput
	in.Date = formDate(vals, "date", &in.Problems)
	for _, c := range splitCodes(vals["sources"]) {
		in.Sources = append(in.Sources, unitsvc.ByCode(c))
	}
	in.Target = unitsvc.ByCode(vals["target_code"])
	for _, n := range mergeNewSpecs {
		if strings.TrimSpace(vals[n.name]) != "" {
			nu, problems := attrs(vals, "new_")
			in.New, in.NewParent = nu, unitsvc.ByCode(vals["new_parent_code"])
			for _, p := range problems {
				in.Problems.Add("new_target."+p.Field, p.Reason, p.Args...)
			}
			break
		}
	}
	return in
}

// mergeSubmit previews (step=preview) or carries out (step=commit) a
// merge; step=edit goes back to the form with the values kept.
func (s *handler) mergeSubmit(w http.ResponseWriter, r *http.Request) {
	actor := s.Caller(r)
	if err := s.svc.RequireSomewhere(actor, auth.UnitStructure); err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	vals := formValues(r, mergeNames...)
	step := r.PostFormValue("step")
	if step == "edit" {
		s.renderForm(w, r, http.StatusOK, s.mergeForm(r, vals, nil))
		return
	}
	in := mergeRequest(vals)
	if step == "commit" {
		target, err := s.svc.Merge(r.Context(), actor, in)
		if errs, status, ok := formProblems(err); ok {
			s.renderForm(w, r, status, s.mergeForm(r, vals, errs))
			return
		}
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		http.Redirect(w, r, unitURL(target, "merged"), http.StatusSeeOther)
		return
	}
	pv, err := s.svc.PreviewMerge(r.Context(), actor, in)
	if errs, status, ok := formProblems(err); ok {
		s.renderForm(w, r, status, s.mergeForm(r, vals, errs))
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := web.Lang(r)
	f := &formPage{Title: l.T("unit.merge.confirm_title"), Action: "/units/merge", Preview: s.mergePreview(r, pv),
		Submit: l.T("unit.merge.commit"), SubmitID: "unit-merge-commit", Cancel: "/units"}
	for _, n := range mergeNames {
		f.Hidden = append(f.Hidden, formHidden{n, vals[n]})
	}
	s.renderForm(w, r, http.StatusOK, f)
}

func (s *handler) mergePreview(r *http.Request, pv *unitsvc.MergePreview) *mergePreview {
	out := &mergePreview{MergePreview: pv}
	if pv.Target != nil {
		out.TypeLabel = web.Lang(r).T("unit.type." + string(pv.Target.Type))
	}
	return out
}
