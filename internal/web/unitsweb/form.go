package unitsweb

import (
	"net/http"
	"strconv"
	"strings"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/units"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// formField is one input, ready to render.
type formField struct {
	Name, ID, Label, Value, Hint, Error string
	Kind                                string // text, email, tel, number, date, select, textarea
	Options                             []web.Option
	Required                            bool
	Max                                 int
	TypeSelect                          bool // a unit type select (app.js shows the school level for schools)
	SchoolLevel                         bool
}

// InputType is the HTML type of an <input> field.
func (f *formField) InputType() string {
	switch f.Kind {
	case "email", "tel", "number":
		return f.Kind
	}
	return "text"
}

// Describe lists the ids of the hint and error that describe the field.
func (f *formField) Describe() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

type formGroup struct {
	Legend, Hint string
	Fields       []*formField
}

type formHidden struct{ Name, Value string }

// formPage is every form of the unit pages (create, edit, move, merge).
type formPage struct {
	Title    string
	Subject  *units.Unit // the unit acted on (public fields)
	Intro    string
	Action   string
	Groups   []formGroup
	Hidden   []formHidden
	Submit   string
	SubmitID string
	Cancel   string
	Errors   web.FormErrors
	Preview  *mergePreview
}

// fieldSpec describes a field of a form.
type fieldSpec struct {
	name, kind string
	required   bool
	max        int
}

// group builds a fieldset of fields from their specs, with their values.
func group(l i18n.Lang, legend, hint string, specs []fieldSpec, vals map[string]string) formGroup {
	g := formGroup{Legend: l.T(legend)}
	if hint != "" {
		g.Hint = l.T(hint)
	}
	for _, sp := range specs {
		f := &formField{Name: sp.name, ID: "unit-" + sp.name, Kind: sp.kind, Required: sp.required, Max: sp.max,
			Label: l.T("unit.field." + sp.name), Value: vals[sp.name]}
		if k := "unit.hint." + sp.name; i18n.Has(k) {
			f.Hint = l.T(k)
		}
		switch sp.name {
		case "type", "new_type":
			f.Options = web.Choices(l, units.Types, "unit.type.", f.Value, "unit.form.choose_type")
			f.TypeSelect = true
		case "school_level", "new_school_level":
			f.Options = web.Choices(l, units.SchoolLevels, "unit.level.", f.Value, "unit.form.no_level")
			f.SchoolLevel = true
		}
		g.Fields = append(g.Fields, f)
	}
	return g
}

// withErrors translates errs (named as the form names its inputs) into
// the form's summary and the message beside each input, in form order.
func (f *formPage) withErrors(l i18n.Lang, errs validation.Errors) *formPage {
	var refs []web.FieldRef
	for _, g := range f.Groups {
		for _, fd := range g.Fields {
			refs = append(refs, web.FieldRef{Name: fd.Name, ID: fd.ID, LabelKey: "unit.field." + fd.Name})
		}
	}
	f.Errors = web.NewFormErrors(l, errs, refs)
	for _, g := range f.Groups {
		for _, fd := range g.Fields {
			fd.Error = f.Errors.Of(fd.Name)
		}
	}
	return f
}

// renamed is errs with each field renamed by rename.
func renamed(errs validation.Errors, rename func(string) string) validation.Errors {
	out := make(validation.Errors, len(errs))
	for i, e := range errs {
		e.Field = rename(e.Field)
		out[i] = e
	}
	return out
}

// formValues reads the named fields of a posted form.
func formValues(r *http.Request, names ...string) map[string]string {
	vals := map[string]string{}
	for _, n := range names {
		vals[n] = r.PostFormValue(n)
	}
	return vals
}

var (
	generalSpecs = []fieldSpec{
		{"code", "text", true, 40}, {"name", "text", true, 255}, {"short_name", "text", false, 80},
		{"type", "select", true, 0}, {"school_level", "select", false, 0},
	}
	contactSpecs = []fieldSpec{
		{"head_name", "text", false, 120}, {"focal_name", "text", false, 120},
		{"focal_phone", "tel", false, 20}, {"focal_email", "email", false, 254},
	}
	countSpecs = []fieldSpec{
		{"staff_count", "number", false, 0}, {"pupil_count", "number", false, 0}, {"headcount_year", "number", false, 0},
	}
	attrNames = []string{"code", "name", "short_name", "type", "school_level", "head_name",
		"focal_name", "focal_phone", "focal_email", "staff_count", "pupil_count", "headcount_year"}
)

// inputOfField maps a field as the service names it to the form's input.
var inputOfField = map[string]string{
	"focal_point.name": "focal_name", "focal_point.phone": "focal_phone", "focal_point.email": "focal_email",
	"parent_id": "parent_code",
}

func inputOf(field string) string {
	if f, ok := inputOfField[field]; ok {
		return f
	}
	return field
}

// valuesOf fills form values from a unit.
func valuesOf(u *units.Unit) map[string]string {
	v := map[string]string{
		"code": u.Code, "name": u.Name, "short_name": u.ShortName, "type": string(u.Type),
		"school_level": string(u.SchoolLevel), "head_name": u.HeadName, "focal_name": u.Focal.Name,
		"focal_phone": u.Focal.Phone, "focal_email": u.Focal.Email,
	}
	if u.StaffCount != nil {
		v["staff_count"] = strconv.Itoa(*u.StaffCount)
	}
	if u.PupilCount != nil {
		v["pupil_count"] = strconv.Itoa(*u.PupilCount)
	}
	if u.HeadcountYear != 0 {
		v["headcount_year"] = strconv.Itoa(u.HeadcountYear)
	}
	return v
}

// attrs reads a unit's attributes from form values named with prefix (""
// or "new_"), and the problems of values that are not even well-formed,
// named as the service names the unit's fields (without the prefix).
func attrs(vals map[string]string, prefix string) (*units.Unit, validation.Errors) {
	var errs validation.Errors
	get := func(n string) string { return vals[prefix+n] }
	u := &units.Unit{Code: get("code"), Name: get("name"), ShortName: get("short_name"),
		Type: units.Type(get("type")), SchoolLevel: units.SchoolLevel(get("school_level")), HeadName: get("head_name"),
		Focal: units.Contact{Name: get("focal_name"), Phone: get("focal_phone"), Email: get("focal_email")}}
	num := func(n string) (*int, bool) {
		t := strings.TrimSpace(strings.ReplaceAll(get(n), ".", ""))
		if t == "" {
			return nil, true
		}
		x, err := strconv.Atoi(t)
		if err != nil {
			errs.Add(n, "err.number")
			return nil, false
		}
		return &x, true
	}
	u.StaffCount, _ = num("staff_count")
	u.PupilCount, _ = num("pupil_count")
	if y, ok := num("headcount_year"); ok && y != nil {
		u.HeadcountYear = *y
	}
	return u, errs
}

// formDate reads a required date field, adding its problem to errs.
func formDate(vals map[string]string, field string, errs *validation.Errors) dates.Date {
	d, err := dates.Parse(vals[field])
	switch {
	case err != nil:
		errs.Add(field, "err.date")
	case d.IsZero():
		errs.Add(field, "err.required")
	}
	return d
}
