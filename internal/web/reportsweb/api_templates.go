package reportsweb

import (
	"net/http"

	"khienso/internal/reports"
	"khienso/internal/service/reportsvc"
	"khienso/internal/web"
)

// apiTemplate is a report template in the API.
type apiTemplate struct {
	ID          int64             `json:"id"`
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Fields      []reports.Field   `json:"fields"`
	Sections    []reports.Section `json:"sections"`
}

func apiTemplateOf(t *reports.Template) apiTemplate {
	out := apiTemplate{ID: t.ID, Name: t.Name, Description: t.Description, Fields: t.Fields, Sections: t.Sections}
	if out.Fields == nil {
		out.Fields = []reports.Field{}
	}
	if out.Sections == nil {
		out.Sections = []reports.Section{}
	}
	return out
}

func (s *handler) apiTemplateList(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Templates(r.Context(), s.Caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]apiTemplate, 0, len(list))
	for _, t := range list {
		items = append(items, apiTemplateOf(t))
	}
	page(w, r, s, items)
}

func (s *handler) apiTemplateGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	t, err := s.svc.Template(r.Context(), s.Caller(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiTemplateOf(t))
}

func (s *handler) apiTemplateCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name        string            `json:"name"`
		Description string            `json:"description"`
		Fields      []reports.Field   `json:"fields"`
		Sections    []reports.Section `json:"sections"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	t := &reports.Template{Name: in.Name, Description: in.Description, Fields: in.Fields, Sections: in.Sections}
	if err := s.svc.CreateTemplate(r.Context(), s.Caller(r), t); err != nil {
		s.fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, apiTemplateOf(t))
}

func (s *handler) apiTemplatePatch(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var in struct {
		Name        *string            `json:"name"`
		Description *string            `json:"description"`
		Fields      *[]reports.Field   `json:"fields"`
		Sections    *[]reports.Section `json:"sections"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	t, err := s.svc.UpdateTemplate(r.Context(), s.Caller(r), id, reportsvc.TemplatePatch{Name: in.Name, Description: in.Description,
		Fields: in.Fields, Sections: in.Sections})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiTemplateOf(t))
}
