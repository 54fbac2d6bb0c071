package web

import (
	"net/http"
	"strconv"

	"khienso/internal/i18n"
	"khienso/internal/validation"
)

// Option is one choice of a select, radio group or checkbox list.
type Option struct {
	Value, Label string
	Selected     bool
}

// Choices offers codes in a select or radio group, each labelled by the
// catalogue key prefix+code and marked when it equals selected; a non-empty
// blankKey puts first an empty choice with that label ("all", "choose…"),
// marked when selected is empty.
func Choices[T ~string](l i18n.Lang, codes []T, prefix, selected, blankKey string) []Option {
	out := make([]Option, 0, len(codes)+1)
	if blankKey != "" {
		out = append(out, Option{Value: "", Label: l.T(blankKey), Selected: selected == ""})
	}
	for _, c := range codes {
		out = append(out, Option{Value: string(c), Label: l.T(prefix + string(c)), Selected: string(c) == selected})
	}
	return out
}

// Problem is one line of a form's error summary. Target links to the input
// ("#id", empty when the error belongs to no input); Label names the field.
type Problem struct {
	Target, Label, Message string
}

// FieldRef names a form input for error reporting: Name is the field as
// validation reports it, ID the input's id, LabelKey its catalogue label.
type FieldRef struct {
	Name, ID, LabelKey string
}

// FormErrors is a form's errors ready to render: the first message of each
// field (shown beside the input) and the summary at the top of the form.
type FormErrors struct {
	Field    map[string]string
	Problems []Problem
}

// Of is the message shown beside field name, "" when it is fine.
func (e FormErrors) Of(name string) string { return e.Field[name] }

// NewFormErrors translates errs for a form whose inputs are listed in
// display order; errors on fields not listed appear in the summary without
// a link.
func NewFormErrors(l i18n.Lang, errs validation.Errors, fields []FieldRef) FormErrors {
	out := FormErrors{Field: map[string]string{}}
	known := map[string]bool{}
	for _, f := range fields {
		known[f.Name] = true
		for _, e := range errs {
			if e.Field != f.Name {
				continue
			}
			msg := l.T(e.Reason, e.Args...)
			if _, ok := out.Field[f.Name]; !ok {
				out.Field[f.Name] = msg
			}
			p := Problem{Message: msg}
			if f.ID != "" {
				p.Target = "#" + f.ID
			}
			if f.LabelKey != "" {
				p.Label = l.T(f.LabelKey)
			}
			out.Problems = append(out.Problems, p)
		}
	}
	for _, e := range errs {
		if !known[e.Field] {
			msg := l.T(e.Reason, e.Args...)
			if _, ok := out.Field[e.Field]; !ok {
				out.Field[e.Field] = msg
			}
			out.Problems = append(out.Problems, Problem{Message: msg})
		}
	}
	return out
}

// FormID reads a positive integer form or query value; 0 when absent or
// not a number.
func FormID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(r.FormValue(name), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}
