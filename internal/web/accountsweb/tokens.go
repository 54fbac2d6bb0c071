package accountsweb

import (
	"net/http"
	"strings"
	"time"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/validation"
	"khienso/internal/web"
)

type tokenRow struct {
	Token  *auth.Token
	Status string // active, expired, revoked
}

type tokenPageData struct {
	Rows    []tokenRow
	Name    string
	Expires string
	Secret  string      // the new token's secret, shown on this response only
	Created *auth.Token // the new token
	Revoked bool
	Errors  web.FormErrors
}

var tokenFormFields = []web.FieldRef{
	{Name: "name", ID: "token-name", LabelKey: "token.field.name"},
	{Name: "expires_at", ID: "token-expires", LabelKey: "token.field.expires"},
}

// tokenExpiry reads the form's optional last day of validity (dd/mm/yyyy):
// the token works through the end of that day, Vietnam time.
func tokenExpiry(v string) (time.Time, error) {
	d, err := dates.Parse(v)
	switch {
	case err != nil:
		return time.Time{}, validation.Single("expires_at", "err.date")
	case d.IsZero():
		return time.Time{}, nil
	}
	return d.AddDays(1).Start(), nil
}

// tokenRender shows the caller's tokens with the creation form.
func (s *handler) tokenRender(w http.ResponseWriter, r *http.Request, status int, d *tokenPageData, errs validation.Errors) {
	list, err := s.svc.Tokens(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	now := time.Now()
	for _, t := range list {
		d.Rows = append(d.Rows, tokenRow{Token: t, Status: t.Status(now)})
	}
	d.Errors = web.NewFormErrors(web.Lang(r), errs, tokenFormFields)
	s.Render(w, r, status, "tokens", d)
}

func (s *handler) tokenPage(w http.ResponseWriter, r *http.Request) {
	s.tokenRender(w, r, http.StatusOK, &tokenPageData{Revoked: r.URL.Query().Get("revoked") != ""}, nil)
}

// tokenCreate makes an API token for the caller and shows its secret once.
func (s *handler) tokenCreate(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, userPageMaxForm) {
		return
	}
	d := &tokenPageData{Name: r.PostFormValue("name"), Expires: strings.TrimSpace(r.PostFormValue("expires"))}
	expires, err := tokenExpiry(d.Expires)
	if err == nil {
		tok, cerr := s.svc.CreateToken(r.Context(), s.Caller(r), d.Name, expires)
		if cerr == nil {
			s.tokenRender(w, r, http.StatusCreated, &tokenPageData{Secret: tok.Secret, Created: tok.Token}, nil)
			return
		}
		err = cerr
	}
	errs, ok := inputErrors(err)
	if !ok {
		s.Fail(w, r, err)
		return
	}
	s.tokenRender(w, r, http.StatusUnprocessableEntity, d, errs)
}

// tokenRevoke revokes one of the caller's tokens; another user's token is
// "not found".
func (s *handler) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.svc.RevokeToken(r.Context(), s.Caller(r), id); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/tokens?revoked=1", http.StatusSeeOther)
}
