// Package settingsvc holds the rules of the settings. An administrator
// edits the settings of their own province: the coordinating agency (an
// active Department of Science and Technology or provincial Police of the
// province), the document header, the signer, the recipients and the
// report receivers. Only the administrator of the deployment's only tree
// root (the national root, or the province committee of a single-province
// deployment) edits the deployment's: the mail server, the public address,
// the default language; with several provinces and no national root, no
// province decides for the others and the command line's values apply.
//
// The service also gives the running server the deployment settings at the
// moment it needs them (sending mail, choosing a visitor's language), each
// falling back to the command line (--smtp, --base-url) while empty.
package settingsvc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/mail"
	"khienso/internal/service"
	"khienso/internal/settings"
	"khienso/internal/store"
	"khienso/internal/textnorm"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// DefaultCacheTTL is how long an instance trusts the deployment settings it
// read. Instances keep no state of their own and several may serve one
// database, so a change saved through another instance reaches this one
// within that time (the instance that saves forgets its copy at once).
const DefaultCacheTTL = 30 * time.Second

// Config is what the service needs besides the store.
type Config struct {
	// SMTP is the --smtp server, used while the settings name none (nil:
	// none).
	SMTP *mail.Config
	// BaseURL is the --base-url address (or http://ADDR), used while the
	// settings set none.
	BaseURL string
	// CacheTTL bounds how stale the deployment settings may be; 0 is
	// DefaultCacheTTL.
	CacheTTL time.Duration
	// Log records settings that could not be read where no caller can be
	// told (the language of a request); nil discards.
	Log *slog.Logger
}

// Service is the settings capability.
type Service struct {
	store  *store.Store
	access *service.Access
	cfg    Config

	mu       sync.Mutex
	cached   settings.Deployment
	cachedAt time.Time // zero: nothing cached
}

// New returns the settings service over st.
func New(st *store.Store, access *service.Access, cfg Config) *Service {
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = DefaultCacheTTL
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: st, access: access, cfg: cfg}
}

// Agency types that may coordinate a province's programme: since 2025 the
// Department of Science and Technology (which absorbed the DIC), or in
// some provinces the provincial Police.
var agencyTypes = []units.Type{units.TypeCoordinator, units.TypePolice}

// Form is what the settings page shows an administrator.
type Form struct {
	// Scope is the unit whose settings these are: the actor's province
	// committee (or the national root).
	Scope *units.Unit
	// Province is the settings as documents use them now (the
	// deployment's where the province sets nothing).
	Province settings.Province
	// Suggested is what the empty header fields take when saved, derived
	// from the coordinating agency and the province.
	Suggested settings.Province
	// Agencies are the province's active units that may coordinate.
	Agencies []*units.Unit
	// Deployment is nil when the actor may not edit the deployment's
	// settings.
	Deployment *DeploymentForm
}

// DeploymentForm is the deployment's settings as the form shows them: the
// mail server's password is never given back, only whether one is set.
type DeploymentForm struct {
	SMTP        settings.SMTP // Password empty
	PasswordSet bool
	BaseURL     string
	Language    string
	// What applies while a setting is empty: the command line's (the mail
	// server with its password masked; "" when none).
	FallbackSMTP, FallbackBaseURL string
	// Mailbox is where a test e-mail goes: the actor's own address.
	Mailbox string
}

// province is the scope of actor's settings, their unit's province, once
// actor is known to manage settings there. The system has no unit and no
// province: it writes settings through the store.
func (s *Service) province(ctx context.Context, actor service.Actor) (int64, error) {
	switch {
	case actor.Principal == nil && actor.System:
		return 0, service.ErrForbidden
	case actor.Principal == nil:
		return 0, service.ErrUnauthenticated
	}
	province, err := s.access.ProvinceOf(ctx, actor.Principal.UnitID)
	if err != nil {
		return 0, err
	}
	if err := s.access.Require(ctx, actor, auth.SettingsManage, province); err != nil {
		return 0, err
	}
	return province, nil
}

// deploymentAdmin reports whether actor edits the deployment's settings:
// settings.manage held at the only root of the unit tree.
func (s *Service) deploymentAdmin(ctx context.Context, actor service.Actor) (bool, error) {
	p := actor.Principal
	if p == nil {
		return false, nil
	}
	if province, _ := p.Scope(auth.SettingsManage); !province {
		return false, nil
	}
	roots, err := s.store.RootIDs(ctx, s.access.Today())
	if err != nil {
		return false, fmt.Errorf("deployment roots: %w", err)
	}
	return len(roots) == 1 && roots[0] == p.UnitID, nil
}

// requireDeploymentAdmin returns nil when actor edits the deployment's
// settings.
func (s *Service) requireDeploymentAdmin(ctx context.Context, actor service.Actor) error {
	if actor.Principal == nil {
		if actor.System {
			return service.ErrForbidden
		}
		return service.ErrUnauthenticated
	}
	ok, err := s.deploymentAdmin(ctx, actor)
	if err != nil {
		return err
	}
	if !ok {
		return service.ErrForbidden
	}
	return nil
}

// Form returns the settings of actor's province, and of the deployment
// when actor edits them.
func (s *Service) Form(ctx context.Context, actor service.Actor) (*Form, error) {
	province, err := s.province(ctx, actor)
	if err != nil {
		return nil, err
	}
	today := s.access.Today()
	scope, err := s.store.Unit(ctx, province, today)
	if err != nil {
		return nil, fmt.Errorf("settings scope %d: %w", province, err)
	}
	set, err := s.store.ProvinceSettings(ctx, province)
	if err != nil {
		return nil, err
	}
	f := &Form{Scope: scope, Province: set}
	if f.Agencies, err = s.agencies(ctx, province); err != nil {
		return nil, err
	}
	var agency *units.Unit
	for _, a := range f.Agencies {
		if a.ID == set.CoordinatorID {
			agency = a
		}
	}
	f.Suggested = suggest(scope, agency)
	if ok, err := s.deploymentAdmin(ctx, actor); err != nil {
		return nil, err
	} else if ok {
		if f.Deployment, err = s.deploymentForm(ctx, actor); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// suggest is the header derived from the scope's committee and the agency
// (nil: none chosen).
func suggest(scope, agency *units.Unit) settings.Province {
	committee := ""
	if scope.Type == units.TypeProvinceCommittee {
		committee = scope.Name
	}
	if agency == nil {
		return settings.Suggest(committee, "", "")
	}
	return settings.Suggest(committee, agency.Name, agency.Type)
}

// agencies lists the province's active units that may coordinate, by name.
func (s *Service) agencies(ctx context.Context, province int64) ([]*units.Unit, error) {
	var out []*units.Unit
	for _, t := range agencyTypes {
		// A province has a handful of each; the limit only bounds a
		// directory filled by mistake.
		list, _, err := s.store.SearchUnits(ctx, store.UnitFilter{Type: t, Within: province, Day: s.access.Today(), Limit: 200})
		if err != nil {
			return nil, fmt.Errorf("coordinating agencies of %d: %w", province, err)
		}
		out = append(out, list...)
	}
	slices.SortFunc(out, func(a, b *units.Unit) int { return textnorm.Compare(a.Name, b.Name) })
	return out, nil
}

// SaveProvince replaces the settings of actor's province. The coordinating
// agency, when set, must be one of the province's active Departments of
// Science and Technology or Police units; the header fields left empty take
// the values derived from it and the province (Form.Suggested).
func (s *Service) SaveProvince(ctx context.Context, actor service.Actor, in settings.Province) (settings.Province, error) {
	province, err := s.province(ctx, actor)
	if err != nil {
		return settings.Province{}, err
	}
	today := s.access.Today()
	in.Normalize()
	errs := in.Validate()
	scope, err := s.store.Unit(ctx, province, today)
	if err != nil {
		return settings.Province{}, fmt.Errorf("settings scope %d: %w", province, err)
	}
	var agency *units.Unit
	if in.CoordinatorID != 0 {
		if agency, err = s.agency(ctx, province, in.CoordinatorID); err != nil {
			return settings.Province{}, err
		}
		if agency == nil {
			errs.Add("coordinator", "settings.err.coordinator")
		}
	}
	if len(errs) > 0 {
		return settings.Province{}, errs
	}
	sug := suggest(scope, agency)
	for _, f := range []struct{ v, def *string }{{&in.ParentBody, &sug.ParentBody}, {&in.IssuingBody, &sug.IssuingBody},
		{&in.Place, &sug.Place}, {&in.Symbol, &sug.Symbol}} {
		if *f.v == "" {
			*f.v = *f.def
		}
	}
	changes := []store.SettingsChange{{Scope: province, Values: in.Values()}}
	roots, err := s.store.RootIDs(ctx, today)
	if err != nil {
		return settings.Province{}, err
	}
	if len(roots) == 1 && roots[0] == province {
		// The only province's settings may still sit at the deployment
		// scope (as stored before settings had scopes), where they would
		// come back as soon as a field is emptied: they are the ones just
		// saved, so they go.
		legacy := map[string]string{}
		for _, k := range settings.ProvinceKeys {
			legacy[k] = ""
		}
		changes = append(changes, store.SettingsChange{Scope: settings.DeploymentScope, Values: legacy})
	}
	if err := s.store.ChangeSettings(ctx, actor.Audit(), changes...); err != nil {
		return settings.Province{}, fmt.Errorf("save settings of %d: %w", province, err)
	}
	return in, nil
}

// agency is unit id when it may coordinate province today, else nil.
func (s *Service) agency(ctx context.Context, province, id int64) (*units.Unit, error) {
	today := s.access.Today()
	u, err := s.store.Unit(ctx, id, today)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if !u.ActiveOn(today) || !slices.Contains(agencyTypes, u.Type) {
		return nil, nil
	}
	in, err := s.store.InSubtree(ctx, province, id, today)
	if err != nil || !in {
		return nil, err
	}
	return u, nil
}

// Deployment returns the deployment's settings for actor, who must edit
// them.
func (s *Service) Deployment(ctx context.Context, actor service.Actor) (*DeploymentForm, error) {
	if err := s.requireDeploymentAdmin(ctx, actor); err != nil {
		return nil, err
	}
	return s.deploymentForm(ctx, actor)
}

func (s *Service) deploymentForm(ctx context.Context, actor service.Actor) (*DeploymentForm, error) {
	d, smtp, err := s.stored(ctx)
	if err != nil {
		return nil, err
	}
	f := &DeploymentForm{SMTP: smtp, PasswordSet: smtp.Password != "", BaseURL: d.BaseURL, Language: d.Language,
		FallbackBaseURL: s.cfg.BaseURL, Mailbox: actor.Principal.Email}
	f.SMTP.Password = ""
	if s.cfg.SMTP != nil {
		f.FallbackSMTP = s.cfg.SMTP.Redacted()
	}
	return f, nil
}

// stored reads the deployment's settings from the database (not the
// cache), with the mail server split into its fields.
func (s *Service) stored(ctx context.Context) (settings.Deployment, settings.SMTP, error) {
	v, err := s.store.OwnSettings(ctx, settings.DeploymentScope)
	if err != nil {
		return settings.Deployment{}, settings.SMTP{}, err
	}
	d := settings.DeploymentFrom(v)
	smtp, err := settings.ParseSMTP(d.SMTPURL)
	if err != nil {
		// Only a hand-edited database gets here; the form then starts
		// from an empty server rather than failing.
		s.cfg.Log.Warn("stored mail server unreadable", "err", err)
		smtp = settings.SMTP{}
	}
	return d, smtp, nil
}

// DeploymentInput is a new value of the deployment's settings.
type DeploymentInput struct {
	SMTP settings.SMTP
	// KeepPassword keeps the stored password when SMTP.Password is
	// empty (the form's password left blank, the API's omitted), as long
	// as the server and user name are unchanged: a password is never
	// carried over to another server, which would hand it to whoever runs
	// that one.
	KeepPassword bool
	BaseURL      string
	Language     string
}

// SaveDeployment replaces the deployment's settings; the empty ones fall
// back to the command line's.
func (s *Service) SaveDeployment(ctx context.Context, actor service.Actor, in DeploymentInput) error {
	if err := s.requireDeploymentAdmin(ctx, actor); err != nil {
		return err
	}
	_, cur, err := s.stored(ctx)
	if err != nil {
		return err
	}
	smtp := in.SMTP
	smtp.Normalize()
	var errs validation.Errors
	if in.KeepPassword && smtp.Password == "" && smtp.Username != "" && cur.Password != "" {
		if cur.Host != smtp.Host || cur.Username != smtp.Username {
			errs.Add("smtp_password", "settings.err.smtp_password_again")
		} else {
			smtp.Password = cur.Password
		}
	}
	errs = append(errs, smtp.Validate()...)
	d := settings.Deployment{SMTPURL: smtp.URL(), BaseURL: in.BaseURL, Language: in.Language}
	for _, e := range d.Validate() {
		// The mail server's fields were checked one by one above.
		if e.Field != "smtp_url" {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	if err := s.store.SetSettings(ctx, actor.Audit(), settings.DeploymentScope, d.Values()); err != nil {
		return fmt.Errorf("save deployment settings: %w", err)
	}
	s.forget()
	return nil
}

// current is the deployment's settings as the running server uses them,
// read at most once per CacheTTL.
func (s *Service) current(ctx context.Context) (settings.Deployment, error) {
	s.mu.Lock()
	if !s.cachedAt.IsZero() && time.Since(s.cachedAt) < s.cfg.CacheTTL {
		d := s.cached
		s.mu.Unlock()
		return d, nil
	}
	s.mu.Unlock()
	v, err := s.store.OwnSettings(ctx, settings.DeploymentScope)
	if err != nil {
		return settings.Deployment{}, fmt.Errorf("read deployment settings: %w", err)
	}
	d := settings.DeploymentFrom(v)
	s.mu.Lock()
	s.cached, s.cachedAt = d, time.Now()
	s.mu.Unlock()
	return d, nil
}

// forget drops the cached settings, so this instance applies a change it
// saved at once.
func (s *Service) forget() {
	s.mu.Lock()
	s.cachedAt = time.Time{}
	s.mu.Unlock()
}

// Mailer is the sender of the deployment's e-mail now: the settings' mail
// server, else the command line's; nil when neither names one.
func (s *Service) Mailer(ctx context.Context) (mail.Sender, error) {
	cfg, err := s.mailConfig(ctx)
	if err != nil || cfg == nil {
		return nil, err
	}
	return mail.New(*cfg), nil
}

func (s *Service) mailConfig(ctx context.Context) (*mail.Config, error) {
	d, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	if d.SMTPURL != "" {
		c, err := mail.ParseURL(d.SMTPURL)
		if err != nil {
			return nil, fmt.Errorf("deployment mail server: %w", err)
		}
		return &c, nil
	}
	return s.cfg.SMTP, nil
}

// BaseURL is the public address for links in e-mails now: the settings',
// else the command line's.
func (s *Service) BaseURL(ctx context.Context) (string, error) {
	d, err := s.current(ctx)
	if err != nil {
		return "", err
	}
	if d.BaseURL != "" {
		return d.BaseURL, nil
	}
	return s.cfg.BaseURL, nil
}

// Language is the deployment's default language for visitors who chose
// none, "" when the settings set none. A failed read is logged and gives
// "": a request is never refused for want of its default language.
func (s *Service) Language(ctx context.Context) i18n.Lang {
	d, err := s.current(ctx)
	if err != nil {
		s.cfg.Log.Warn("default language", "err", err)
		return ""
	}
	if d.Language == "" {
		return ""
	}
	return i18n.Parse(d.Language)
}

// ErrNoMailServer: a test e-mail was asked for but neither the settings
// nor the command line name a mail server.
var ErrNoMailServer = fmt.Errorf("%w: no mail server", service.ErrConflict)

// SendError is a test e-mail the mail server did not take: Reason is a
// catalogue key saying what failed, Detail the server's answer (without
// secrets) for whoever fixes the setting.
type SendError struct {
	Reason string
	Detail string
	err    error
}

func (e *SendError) Error() string { return "test e-mail: " + e.err.Error() }
func (e *SendError) Unwrap() error { return e.err }

// testTimeout bounds a test send: the administrator is waiting.
const testTimeout = 20 * time.Second

// SendTestEmail sends a short message in language l to actor's own address
// through the deployment's mail server (the settings', else the command
// line's), and returns that address. Only the editor of the deployment's
// settings may: the button belongs to the mail server's setting.
func (s *Service) SendTestEmail(ctx context.Context, actor service.Actor, l i18n.Lang) (string, error) {
	if err := s.requireDeploymentAdmin(ctx, actor); err != nil {
		return "", err
	}
	// The test must try what was just saved, even through another instance.
	s.forget()
	cfg, err := s.mailConfig(ctx)
	if err != nil {
		return "", err
	}
	if cfg == nil {
		return "", ErrNoMailServer
	}
	base, err := s.BaseURL(ctx)
	if err != nil {
		return "", err
	}
	to := actor.Principal.Email
	msg := mail.Message{
		To:      []string{to},
		Subject: l.T("settings.test_email.subject"),
		Text:    l.T("settings.test_email.body", actor.Principal.Name, base, s.access.Now().In(dates.Vietnam).Format("02/01/2006 15:04")),
		Headers: map[string]string{"X-Khienso-Test": "1"},
	}
	sendCtx, cancel := context.WithTimeout(ctx, testTimeout)
	defer cancel()
	if err := mail.New(*cfg).Send(sendCtx, msg); err != nil {
		detail := err.Error()
		if cfg.Password != "" {
			detail = strings.ReplaceAll(detail, cfg.Password, "xxxxx")
		}
		return "", &SendError{Reason: mailReason(err), Detail: detail, err: err}
	}
	return to, nil
}

// mailReason is the catalogue key saying which part of sending failed.
func mailReason(err error) string {
	var se *mail.StepError
	switch {
	case errors.Is(err, mail.ErrInsecure):
		return "settings.mail.insecure"
	case errors.Is(err, mail.ErrInvalidConfig):
		return "settings.mail.config"
	case errors.Is(err, context.DeadlineExceeded):
		return "settings.mail.timeout"
	case errors.As(err, &se):
		switch se.Step {
		case mail.StepDial, mail.StepGreeting, mail.StepEHLO:
			return "settings.mail.dial"
		case mail.StepStartTLS:
			return "settings.mail.tls"
		case mail.StepAuth:
			return "settings.mail.auth"
		case mail.StepMailFrom:
			return "settings.mail.from"
		case mail.StepRcpt:
			return "settings.mail.rcpt"
		}
	}
	return "settings.mail.other"
}
