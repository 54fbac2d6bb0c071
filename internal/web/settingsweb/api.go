package settingsweb

import (
	"net/http"

	"khienso/internal/service/settingsvc"
	"khienso/internal/settings"
	"khienso/internal/web"
)

// apiProvince is a province's settings in the API.
type apiProvince struct {
	Scope           apiUnit      `json:"scope"`
	CoordinatorID   *int64       `json:"coordinator_id"`
	ParentBody      string       `json:"parent_body"`
	IssuingBody     string       `json:"issuing_body"`
	Place           string       `json:"place"`
	Symbol          string       `json:"symbol"`
	SignerAuthority []string     `json:"signer_authority"`
	SignerName      string       `json:"signer_name"`
	Recipients      []string     `json:"recipients"`
	Receivers       []string     `json:"receivers"`
	Suggested       apiSuggested `json:"suggested"`
	Choices         []apiUnit    `json:"coordinator_choices"`
	// DeploymentEditable: the caller also edits the deployment's settings.
	DeploymentEditable bool `json:"deployment_editable"`
}

type apiSuggested struct {
	ParentBody  string `json:"parent_body"`
	IssuingBody string `json:"issuing_body"`
	Place       string `json:"place"`
	Symbol      string `json:"symbol"`
}

type apiUnit struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// lines is never nil, so an empty list encodes as [].
func lines(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func apiProvinceOf(f *settingsvc.Form) apiProvince {
	p := f.Province
	out := apiProvince{Scope: apiUnit{ID: f.Scope.ID, Code: f.Scope.Code, Name: f.Scope.Name, Type: string(f.Scope.Type)},
		ParentBody: p.ParentBody, IssuingBody: p.IssuingBody, Place: p.Place, Symbol: p.Symbol,
		SignerAuthority: lines(p.SignerAuthority), SignerName: p.SignerName, Recipients: lines(p.Recipients), Receivers: lines(p.Receivers),
		Suggested: apiSuggested{ParentBody: f.Suggested.ParentBody, IssuingBody: f.Suggested.IssuingBody, Place: f.Suggested.Place,
			Symbol: f.Suggested.Symbol},
		Choices: []apiUnit{}, DeploymentEditable: f.Deployment != nil}
	if p.CoordinatorID != 0 {
		out.CoordinatorID = &p.CoordinatorID
	}
	for _, a := range f.Agencies {
		out.Choices = append(out.Choices, apiUnit{ID: a.ID, Code: a.Code, Name: a.Name, Type: string(a.Type)})
	}
	return out
}

func (s *handler) writeProvince(w http.ResponseWriter, r *http.Request) {
	f, err := s.svc.Form(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiProvinceOf(f))
}

func (s *handler) apiProvinceGet(w http.ResponseWriter, r *http.Request) { s.writeProvince(w, r) }

// apiProvincePut replaces the province's settings: a member left out is
// emptied (and a header line then takes its suggestion).
func (s *handler) apiProvincePut(w http.ResponseWriter, r *http.Request) {
	var in struct {
		CoordinatorID   *int64   `json:"coordinator_id"`
		ParentBody      string   `json:"parent_body"`
		IssuingBody     string   `json:"issuing_body"`
		Place           string   `json:"place"`
		Symbol          string   `json:"symbol"`
		SignerAuthority []string `json:"signer_authority"`
		SignerName      string   `json:"signer_name"`
		Recipients      []string `json:"recipients"`
		Receivers       []string `json:"receivers"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	p := settings.Province{ParentBody: in.ParentBody, IssuingBody: in.IssuingBody, Place: in.Place, Symbol: in.Symbol,
		SignerAuthority: in.SignerAuthority, SignerName: in.SignerName, Recipients: in.Recipients, Receivers: in.Receivers}
	if in.CoordinatorID != nil {
		p.CoordinatorID = *in.CoordinatorID
		if p.CoordinatorID <= 0 {
			// 0 would read as "none"; a wrong id is an error, not a clearing.
			p.CoordinatorID = -1
		}
	}
	if _, err := s.svc.SaveProvince(r.Context(), s.Caller(r), p); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.writeProvince(w, r)
}

// apiDeployment is the deployment's settings in the API; the password is
// never sent back.
type apiDeployment struct {
	SMTP     *apiSMTP    `json:"smtp"`
	BaseURL  string      `json:"base_url"`
	Language string      `json:"language"`
	Fallback apiFallback `json:"fallback"`
	Mailbox  string      `json:"test_mailbox"`
}

type apiSMTP struct {
	Host        string `json:"host"`
	Port        int    `json:"port"`
	TLS         string `json:"tls"`
	Username    string `json:"username"`
	PasswordSet bool   `json:"password_set"`
	From        string `json:"from"`
}

// apiFallback is what applies while a setting is empty: the command
// line's.
type apiFallback struct {
	SMTP    *string `json:"smtp"`
	BaseURL string  `json:"base_url"`
}

func apiDeploymentOf(d *settingsvc.DeploymentForm) apiDeployment {
	out := apiDeployment{BaseURL: d.BaseURL, Language: d.Language, Fallback: apiFallback{BaseURL: d.FallbackBaseURL}, Mailbox: d.Mailbox}
	if !d.SMTP.IsZero() || d.PasswordSet {
		out.SMTP = &apiSMTP{Host: d.SMTP.Host, Port: d.SMTP.Port, TLS: d.SMTP.TLS, Username: d.SMTP.Username,
			PasswordSet: d.PasswordSet, From: d.SMTP.From}
	}
	if d.FallbackSMTP != "" {
		out.Fallback.SMTP = &d.FallbackSMTP
	}
	return out
}

func (s *handler) writeDeployment(w http.ResponseWriter, r *http.Request) {
	d, err := s.svc.Deployment(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, apiDeploymentOf(d))
}

func (s *handler) apiDeploymentGet(w http.ResponseWriter, r *http.Request) { s.writeDeployment(w, r) }

// apiDeploymentPut replaces the deployment's settings. The mail server's
// password, when omitted or null, stays as stored (on the same server and
// user name); "" removes it. smtp null or omitted removes the server.
func (s *handler) apiDeploymentPut(w http.ResponseWriter, r *http.Request) {
	var in struct {
		SMTP *struct {
			Host     string  `json:"host"`
			Port     int     `json:"port"`
			TLS      string  `json:"tls"`
			Username string  `json:"username"`
			Password *string `json:"password"`
			From     string  `json:"from"`
		} `json:"smtp"`
		BaseURL  string `json:"base_url"`
		Language string `json:"language"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	di := settingsvc.DeploymentInput{BaseURL: in.BaseURL, Language: in.Language}
	if m := in.SMTP; m != nil {
		di.SMTP = settings.SMTP{Host: m.Host, Port: m.Port, TLS: m.TLS, Username: m.Username, From: m.From}
		if m.Password == nil {
			di.KeepPassword = true
		} else {
			di.SMTP.Password = *m.Password
		}
	}
	if err := s.svc.SaveDeployment(r.Context(), s.Caller(r), di); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.writeDeployment(w, r)
}

// apiTestEmail sends a test e-mail to the caller through the deployment's
// mail server.
func (s *handler) apiTestEmail(w http.ResponseWriter, r *http.Request) {
	l := web.Lang(r)
	to, err := s.svc.SendTestEmail(r.Context(), s.Caller(r), l)
	if err != nil {
		if mf, ok := mailFailureOf(l, err); ok {
			he := web.NewHTTPError(mf.status, mf.code, mf.key, nil).WithArgs(mf.args...)
			if mf.detail != "" {
				he = he.With("detail", mf.detail)
			}
			err = he
		}
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]string{"to": to})
}
