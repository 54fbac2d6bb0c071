package unitsweb

import (
	"net/http"
	"strconv"

	"khienso/internal/service/unitsvc"
	"khienso/internal/units"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// editForm builds the create form (subject nil) or the edit form.
func (s *handler) editForm(r *http.Request, subject *units.Unit, vals map[string]string, errs validation.Errors) *formPage {
	l := web.Lang(r)
	general := generalSpecs
	f := &formPage{Submit: l.T("common.save"), SubmitID: "unit-submit"}
	if subject == nil {
		general = append([]fieldSpec{{"parent_code", "text", false, 40}}, general...)
		general = append(general, fieldSpec{"valid_from", "date", true, 0})
		f.Title, f.Action, f.Cancel = l.T("unit.new.title"), "/units/new", "/units"
	} else {
		id := strconv.FormatInt(subject.ID, 10)
		f.Title, f.Action, f.Cancel = l.T("unit.edit.title"), "/units/"+id+"/edit", "/units/"+id
		f.Subject = public(subject)
	}
	f.Groups = []formGroup{
		group(l, "unit.form.general", "", general, vals),
		group(l, "unit.form.contact", "unit.form.private_hint", contactSpecs, vals),
		group(l, "unit.form.counts", "", countSpecs, vals),
	}
	return f.withErrors(l, renamed(errs, inputOf))
}

func (s *handler) renderForm(w http.ResponseWriter, r *http.Request, status int, f *formPage) {
	s.Render(w, r, status, "units_form", f)
}

// newPage shows the create form under ?parent= (default: the user's own
// unit, or no parent for province-wide users).
func (s *handler) newPage(w http.ResponseWriter, r *http.Request) {
	var parentID int64
	if v := r.URL.Query().Get("parent"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.Fail(w, r, web.ErrNotFound)
			return
		}
		parentID = id
	}
	parent, err := s.svc.NewUnitParent(r.Context(), s.Caller(r), parentID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	vals := map[string]string{"valid_from": s.svc.Today().VN()}
	if parent != nil {
		vals["parent_code"] = parent.Code
	}
	if t := units.Type(r.URL.Query().Get("type")); t.Valid() {
		vals["type"] = string(t)
	}
	s.renderForm(w, r, http.StatusOK, s.editForm(r, nil, vals, nil))
}

// newSubmit creates a unit.
func (s *handler) newSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	vals := formValues(r, append([]string{"parent_code", "valid_from"}, attrNames...)...)
	u, problems := attrs(vals, "")
	u.ValidFrom = formDate(vals, "valid_from", &problems)
	in := unitsvc.NewUnit{Unit: u, Parent: unitsvc.ByCode(vals["parent_code"]), Problems: problems}
	err := s.svc.Create(r.Context(), s.Caller(r), in)
	if errs, status, ok := formProblems(err); ok {
		s.renderForm(w, r, status, s.editForm(r, nil, vals, errs))
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, unitURL(u.ID, "created"), http.StatusSeeOther)
}

func (s *handler) editPage(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	u, err := s.svc.ForEdit(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.renderForm(w, r, http.StatusOK, s.editForm(r, u, valuesOf(u), nil))
}

// editSubmit stores a unit's attributes (not its placement or dates).
func (s *handler) editSubmit(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	before, err := s.svc.ForEdit(r.Context(), s.Caller(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	vals := formValues(r, attrNames...)
	u, problems := attrs(vals, "")
	u.ID = id
	err = s.svc.Update(r.Context(), s.Caller(r), unitsvc.Change{Unit: u, Problems: problems})
	if errs, status, ok := formProblems(err); ok {
		s.renderForm(w, r, status, s.editForm(r, before, vals, errs))
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, unitURL(id, "saved"), http.StatusSeeOther)
}

// ---------------------------------------------------------------- move

var moveSpecs = []fieldSpec{{"parent_code", "text", true, 40}, {"date", "date", true, 0}}

func (s *handler) moveForm(r *http.Request, u *units.Unit, vals map[string]string, errs validation.Errors) *formPage {
	l := web.Lang(r)
	id := strconv.FormatInt(u.ID, 10)
	f := &formPage{Title: l.T("unit.move.title"), Subject: public(u), Action: "/units/" + id + "/move",
		Submit: l.T("unit.move.submit"), SubmitID: "unit-move-submit", Cancel: "/units/" + id}
	f.Groups = []formGroup{group(l, "unit.move.legend", "", moveSpecs, vals)}
	return f.withErrors(l, renamed(errs, inputOf))
}

// moveTarget reads the unit the path names for the move form.
func (s *handler) moveTarget(w http.ResponseWriter, r *http.Request) (*units.Unit, bool) {
	id, err := web.PathID(r, "id")
	if err == nil {
		var u *units.Unit
		if u, err = s.svc.ForStructure(r.Context(), s.Caller(r), id); err == nil {
			return u, true
		}
	}
	s.Fail(w, r, err)
	return nil, false
}

func (s *handler) movePage(w http.ResponseWriter, r *http.Request) {
	u, ok := s.moveTarget(w, r)
	if !ok {
		return
	}
	f := s.moveForm(r, u, map[string]string{"date": s.svc.Today().VN()}, nil)
	if u.ParentID != 0 {
		if par, err := s.Store().Unit(r.Context(), u.ParentID, s.svc.Today()); err == nil {
			f.Intro = web.Lang(r).T("unit.move.current", par.Name, par.Code)
		}
	}
	s.renderForm(w, r, http.StatusOK, f)
}

// moveSubmit places a unit under another parent from a day on.
func (s *handler) moveSubmit(w http.ResponseWriter, r *http.Request) {
	u, ok := s.moveTarget(w, r)
	if !ok || !s.ParseForm(w, r, maxForm) {
		return
	}
	vals := formValues(r, "parent_code", "date")
	var problems validation.Errors
	day := formDate(vals, "date", &problems)
	err := s.svc.Move(r.Context(), s.Caller(r), u.ID, unitsvc.ByCode(vals["parent_code"]), day, problems)
	if errs, status, ok := formProblems(err); ok {
		s.renderForm(w, r, status, s.moveForm(r, u, vals, errs))
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, unitURL(u.ID, "moved"), http.StatusSeeOther)
}
