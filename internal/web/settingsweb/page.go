package settingsweb

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"khienso/internal/i18n"
	"khienso/internal/mail"
	"khienso/internal/service/settingsvc"
	"khienso/internal/settings"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// pageData is the settings page: the province's form, the deployment's
// form when the caller edits it, and the outcome of the last action.
type pageData struct {
	Scope      string // the province (or national root) the settings are of
	Province   provinceFields
	Suggested  settings.Province
	Agencies   []web.Option
	Deployment *deploymentFields
	Languages  []web.Option
	TLSModes   []web.Option
	// Errors are the errors of the form just posted (the two forms name
	// different fields).
	Errors web.FormErrors
	Notice string
	Mail   *mailResult
}

// provinceFields are the province form's inputs as typed.
type provinceFields struct {
	ParentBody, IssuingBody, Place, Symbol string
	SignerAuthority, SignerName            string
	Recipients, Receivers                  string
}

// deploymentFields are the deployment form's inputs as typed; the password
// is never given back.
type deploymentFields struct {
	Host, Port, Username, From, BaseURL string
	PasswordSet                         bool
	FallbackSMTP, FallbackBaseURL       string
	Mailbox                             string
}

// mailResult is the outcome of "send test e-mail".
type mailResult struct {
	OK              bool
	Message, Detail string
}

// The forms' inputs in display order, for the error summaries.
var (
	provinceRefs = []web.FieldRef{
		{Name: "coordinator", ID: "set-coordinator", LabelKey: "settings.field.coordinator"},
		{Name: "parent_body", ID: "set-parent_body", LabelKey: "settings.field.parent_body"},
		{Name: "issuing_body", ID: "set-issuing_body", LabelKey: "settings.field.issuing_body"},
		{Name: "place", ID: "set-place", LabelKey: "settings.field.place"},
		{Name: "symbol", ID: "set-symbol", LabelKey: "settings.field.symbol"},
		{Name: "signer_authority", ID: "set-signer_authority", LabelKey: "settings.field.signer_authority"},
		{Name: "signer_name", ID: "set-signer_name", LabelKey: "settings.field.signer_name"},
		{Name: "recipients", ID: "set-recipients", LabelKey: "settings.field.recipients"},
		{Name: "receivers", ID: "set-receivers", LabelKey: "settings.field.receivers"},
	}
	deploymentRefs = []web.FieldRef{
		{Name: "smtp_host", ID: "set-smtp_host", LabelKey: "settings.field.smtp_host"},
		{Name: "smtp_port", ID: "set-smtp_port", LabelKey: "settings.field.smtp_port"},
		{Name: "smtp_tls", ID: "set-smtp_tls", LabelKey: "settings.field.smtp_tls"},
		{Name: "smtp_username", ID: "set-smtp_username", LabelKey: "settings.field.smtp_username"},
		{Name: "smtp_password", ID: "set-smtp_password", LabelKey: "settings.field.smtp_password"},
		{Name: "smtp_from", ID: "set-smtp_from", LabelKey: "settings.field.smtp_from"},
		{Name: "base_url", ID: "set-base_url", LabelKey: "settings.field.base_url"},
		{Name: "language", ID: "set-language", LabelKey: "settings.field.language"},
	}
)

// tlsModes are the mail server's encryption choices, safest first.
var tlsModes = []string{mail.TLSStartTLS, mail.TLSImplicit, mail.TLSNone}

func provinceFieldsOf(p settings.Province) provinceFields {
	return provinceFields{ParentBody: p.ParentBody, IssuingBody: p.IssuingBody, Place: p.Place, Symbol: p.Symbol,
		SignerAuthority: strings.Join(p.SignerAuthority, "\n"), SignerName: p.SignerName,
		Recipients: strings.Join(p.Recipients, "\n"), Receivers: strings.Join(p.Receivers, "\n")}
}

// provinceOf reads the posted province form.
func provinceOf(r *http.Request) (settings.Province, provinceFields) {
	f := provinceFields{ParentBody: r.PostFormValue("parent_body"), IssuingBody: r.PostFormValue("issuing_body"),
		Place: r.PostFormValue("place"), Symbol: r.PostFormValue("symbol"), SignerAuthority: r.PostFormValue("signer_authority"),
		SignerName: r.PostFormValue("signer_name"), Recipients: r.PostFormValue("recipients"), Receivers: r.PostFormValue("receivers")}
	return settings.Province{CoordinatorID: web.FormID(r, "coordinator"), ParentBody: f.ParentBody, IssuingBody: f.IssuingBody,
		Place: f.Place, Symbol: f.Symbol, SignerAuthority: settings.Lines(f.SignerAuthority), SignerName: f.SignerName,
		Recipients: settings.Lines(f.Recipients), Receivers: settings.Lines(f.Receivers)}, f
}

// deploymentOf reads the posted deployment form; a blank password keeps
// the stored one.
func deploymentOf(r *http.Request) (settingsvc.DeploymentInput, map[string]string) {
	raw := map[string]string{}
	for _, k := range []string{"smtp_host", "smtp_port", "smtp_tls", "smtp_username", "smtp_password", "smtp_from", "base_url", "language"} {
		raw[k] = r.PostFormValue(k)
	}
	in := settingsvc.DeploymentInput{SMTP: settings.SMTP{Host: raw["smtp_host"], TLS: raw["smtp_tls"], Username: raw["smtp_username"],
		Password: raw["smtp_password"], From: raw["smtp_from"]}, KeepPassword: raw["smtp_password"] == "",
		BaseURL: raw["base_url"], Language: raw["language"]}
	in.SMTP.Port = formPort(raw["smtp_port"])
	// The TLS mode alone is not a server: a form left blank says "none".
	if strings.TrimSpace(raw["smtp_host"]+raw["smtp_port"]+raw["smtp_username"]+raw["smtp_password"]+raw["smtp_from"]) == "" {
		in.SMTP = settings.SMTP{}
	}
	return in, raw
}

// formPort reads a typed port: 0 when blank, -1 (refused by validation)
// when not a number.
func formPort(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// data builds the page from the service's form; posted values, when
// given, replace the stored ones in the form that was posted.
func (s *handler) data(l i18n.Lang, f *settingsvc.Form) *pageData {
	d := &pageData{Scope: f.Scope.Name, Province: provinceFieldsOf(f.Province), Suggested: f.Suggested}
	d.Agencies = append(d.Agencies, web.Option{Value: "", Label: l.T("settings.coordinator.none"), Selected: f.Province.CoordinatorID == 0})
	for _, a := range f.Agencies {
		d.Agencies = append(d.Agencies, web.Option{Value: strconv.FormatInt(a.ID, 10), Label: a.Name, Selected: a.ID == f.Province.CoordinatorID})
	}
	language := ""
	tls := mail.TLSStartTLS
	if dep := f.Deployment; dep != nil {
		d.Deployment = &deploymentFields{Host: dep.SMTP.Host, Username: dep.SMTP.Username, From: dep.SMTP.From, BaseURL: dep.BaseURL,
			PasswordSet: dep.PasswordSet, FallbackSMTP: dep.FallbackSMTP, FallbackBaseURL: dep.FallbackBaseURL, Mailbox: dep.Mailbox}
		if dep.SMTP.Port != 0 {
			d.Deployment.Port = strconv.Itoa(dep.SMTP.Port)
		}
		if dep.SMTP.TLS != "" {
			tls = dep.SMTP.TLS
		}
		language = dep.Language
	}
	d.TLSModes = web.Choices(l, tlsModes, "settings.tls.", tls, "")
	d.Languages = web.Choices(l, i18n.Langs, "lang.", language, "settings.language.browser")
	return d
}

// render shows the page with status, after build (which may replace what
// the form shows) has run.
func (s *handler) render(w http.ResponseWriter, r *http.Request, status int, build func(d *pageData)) {
	f, err := s.svc.Form(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := s.data(web.Lang(r), f)
	if build != nil {
		build(d)
	}
	s.Render(w, r, status, "settings", d)
}

func (s *handler) page(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, func(d *pageData) {
		switch r.URL.Query().Get("done") {
		case "province":
			d.Notice = web.Lang(r).T("settings.saved.province")
		case "deployment":
			d.Notice = web.Lang(r).T("settings.saved.deployment")
		}
	})
}

// provinceSubmit saves the province's settings.
func (s *handler) provinceSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	in, fields := provinceOf(r)
	_, err := s.svc.SaveProvince(r.Context(), s.Caller(r), in)
	var errs validation.Errors
	if errors.As(err, &errs) {
		s.render(w, r, http.StatusUnprocessableEntity, func(d *pageData) {
			d.Province = fields
			for i := range d.Agencies {
				d.Agencies[i].Selected = d.Agencies[i].Value == r.PostFormValue("coordinator")
			}
			d.Errors = web.NewFormErrors(web.Lang(r), errs, provinceRefs)
		})
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings?done=province", http.StatusSeeOther)
}

// deploymentSubmit saves the deployment's settings.
func (s *handler) deploymentSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	in, raw := deploymentOf(r)
	err := s.svc.SaveDeployment(r.Context(), s.Caller(r), in)
	var errs validation.Errors
	if errors.As(err, &errs) {
		l := web.Lang(r)
		s.render(w, r, http.StatusUnprocessableEntity, func(d *pageData) {
			if d.Deployment != nil {
				dep := d.Deployment
				dep.Host, dep.Port, dep.Username, dep.From, dep.BaseURL = raw["smtp_host"], raw["smtp_port"], raw["smtp_username"], raw["smtp_from"], raw["base_url"]
			}
			d.TLSModes = web.Choices(l, tlsModes, "settings.tls.", raw["smtp_tls"], "")
			d.Languages = web.Choices(l, i18n.Langs, "lang.", raw["language"], "settings.language.browser")
			d.Errors = web.NewFormErrors(l, errs, deploymentRefs)
		})
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings?done=deployment", http.StatusSeeOther)
}

// testEmailSubmit sends a test e-mail to the caller and shows how it went:
// the page itself, so the server's answer can be read beside the settings.
func (s *handler) testEmailSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	l := web.Lang(r)
	to, err := s.svc.SendTestEmail(r.Context(), s.Caller(r), l)
	res := &mailResult{OK: err == nil}
	status := http.StatusOK
	if err == nil {
		res.Message = l.T("settings.mail.sent", to)
	} else if mf, ok := mailFailureOf(l, err); ok {
		status, res.Message, res.Detail = mf.status, l.T(mf.key, mf.args...), mf.detail
	} else {
		s.Fail(w, r, err)
		return
	}
	s.render(w, r, status, func(d *pageData) { d.Mail = res })
}
