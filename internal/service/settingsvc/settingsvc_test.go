package settingsvc_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/mail"
	"khienso/internal/mail/mailtest"
	"khienso/internal/reminders"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/service/servicetest"
	"khienso/internal/service/settingsvc"
	"khienso/internal/settings"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// national puts the fixture's two provinces under a national root with its
// own administrator, as a --country deployment is: the national root is
// then the tree's only root. It returns the national administrator.
func national(t *testing.T, f *servicetest.Fixture) service.Actor {
	t.Helper()
	ctx := context.Background()
	from := dates.MustParse("2021-01-01")
	root := &units.Unit{Code: "VN", Name: "Cả nước", Type: units.TypeNational, ValidFrom: from}
	if err := f.Store.CreateUnit(ctx, audit.System, root, 0); err != nil {
		t.Fatal(err)
	}
	f.Units["VN"] = root.ID
	for _, code := range []string{"40", "42"} {
		if err := f.Store.MoveUnit(ctx, audit.System, f.Units[code], root.ID, from); err != nil {
			t.Fatalf("move %s under the national root: %v", code, err)
		}
	}
	u := &auth.User{Email: "admin.vn@t.vn", Name: "Quản trị quốc gia", UnitID: root.ID, Roles: []auth.Role{auth.RoleAdmin}}
	if err := f.Store.CreateUser(ctx, audit.System, u, "$argon2id$v=19$m=64,t=1,p=2$c2FsdA$a2V5"); err != nil {
		t.Fatal(err)
	}
	return service.Actor{Principal: u.Principal(), IP: "192.0.2.9"}
}

func newService(f *servicetest.Fixture, cfg settingsvc.Config) *settingsvc.Service {
	return settingsvc.New(f.Store, f.Access, cfg)
}

// validProvince is a complete, valid set of province settings.
func validProvince(f *servicetest.Fixture) settings.Province {
	return settings.Province{CoordinatorID: f.Units["40-SKHCN"], ParentBody: "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
		IssuingBody: "SỞ KHOA HỌC VÀ CÔNG NGHỆ", Place: "Nghệ An", Symbol: "SKHCN",
		SignerAuthority: []string{"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"}, SignerName: "Nguyễn Văn Hùng",
		Recipients: []string{"UBND tỉnh (để b/c)", "Công an tỉnh"}, Receivers: []string{"Ủy ban nhân dân tỉnh Nghệ An"}}
}

// refused reports whether err is the refusal expected of a caller who may
// not (ErrForbidden, or ErrUnauthenticated for the anonymous).
func refused(err error) bool {
	return errors.Is(err, service.ErrForbidden) || errors.Is(err, service.ErrUnauthenticated)
}

// TestSettingsAccessMatrix runs every method for every actor of two
// provinces side by side: the province's settings are its administrator's
// alone (coordinators run the programme, not the settings); the
// deployment's belong to nobody here, since neither province is the only
// root. Then, under a national root, only the national administrator edits
// the deployment's.
func TestSettingsAccessMatrix(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := newService(f, settingsvc.Config{})
		actors := append([]string{""}, servicetest.ActorNames...)
		for _, name := range actors {
			actor := f.Actors[name] // "" is the anonymous caller
			province := name == "admin"
			for method, call := range map[string]func() error{
				"Form":         func() error { _, err := svc.Form(ctx, actor); return err },
				"SaveProvince": func() error { _, err := svc.SaveProvince(ctx, actor, validProvince(f)); return err },
			} {
				if err := call(); province != (err == nil) || (!province && !refused(err)) {
					t.Errorf("%q %s: %v, want allowed=%v", name, method, err, province)
				}
			}
			for method, call := range map[string]func() error{
				"Deployment":     func() error { _, err := svc.Deployment(ctx, actor); return err },
				"SaveDeployment": func() error { return svc.SaveDeployment(ctx, actor, settingsvc.DeploymentInput{Language: "en"}) },
				"SendTestEmail":  func() error { _, err := svc.SendTestEmail(ctx, actor, i18n.VI); return err },
			} {
				if err := call(); !refused(err) {
					t.Errorf("%q %s: %v, want refused", name, method, err)
				}
			}
		}
		if f, err := svc.Form(ctx, f.Actors["admin"]); err != nil || f.Deployment != nil {
			t.Errorf("a province administrator's form offers the deployment's settings: %+v %v", f, err)
		}
		// Nghệ An's administrator wrote Nghệ An's settings, and only them.
		own, err := f.Store.OwnSettings(ctx, f.Units["40"])
		if err != nil || own[settings.KeySignerName] != "Nguyễn Văn Hùng" {
			t.Errorf("Nghệ An's settings = %v, %v", own, err)
		}
		for _, scope := range []int64{f.Units["42"], settings.DeploymentScope} {
			if other, err := f.Store.OwnSettings(ctx, scope); err != nil || len(other) != 0 {
				t.Errorf("scope %d changed: %v, %v", scope, other, err)
			}
		}

		// A national deployment: the national administrator edits the
		// deployment's settings; a province's administrator still does not.
		nat := national(t, f)
		if err := svc.SaveDeployment(ctx, nat, settingsvc.DeploymentInput{Language: "en"}); err != nil {
			t.Errorf("the national administrator saving the deployment's settings: %v", err)
		}
		if _, err := svc.SendTestEmail(ctx, nat, i18n.VI); !errors.Is(err, settingsvc.ErrNoMailServer) {
			t.Errorf("test e-mail without a server: %v", err)
		}
		for _, name := range []string{"admin", "coord", "coord.z"} {
			if err := svc.SaveDeployment(ctx, f.Actors[name], settingsvc.DeploymentInput{Language: "vi"}); !refused(err) {
				t.Errorf("%s under the national root saving the deployment's settings: %v", name, err)
			}
		}
		if form, err := svc.Form(ctx, nat); err != nil || form.Deployment == nil || form.Scope.ID != f.Units["VN"] {
			t.Errorf("the national administrator's form: %+v %v", form, err)
		}
	})
}

// TestProvinceSettings saves, reads back, derives the empty header lines
// from the coordinating agency, audits every change, and refuses each bad
// field by name without writing anything.
func TestProvinceSettings(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := newService(f, settingsvc.Config{})
		admin := f.Actors["admin"]

		want := validProvince(f)
		if _, err := svc.SaveProvince(ctx, admin, want); err != nil {
			t.Fatal(err)
		}
		form, err := svc.Form(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(form.Province) != fmt.Sprint(want) {
			t.Errorf("read back %+v, want %+v", form.Province, want)
		}
		if form.Scope.ID != f.Units["40"] || len(form.Agencies) != 2 {
			t.Errorf("scope %v, agencies %v: want Nghệ An with its department and police", form.Scope.Code, form.Agencies)
		}
		entries, total, err := f.Store.AuditLog(ctx, audit.Filter{Entity: "setting", Limit: 50})
		if err != nil || total != len(settings.ProvinceKeys) {
			t.Fatalf("audit entries = %d (%v), want one per province key (%d)", total, err, len(settings.ProvinceKeys))
		}
		for _, e := range entries {
			if e.UserID != admin.Principal.UserID || !strings.HasPrefix(e.EntityID, fmt.Sprint(f.Units["40"])+":") {
				t.Errorf("audit entry %+v: want by admin on scope 40", e)
			}
		}

		// Empty header lines take what the agency and the province suggest.
		police := settings.Province{CoordinatorID: f.Units["40-CA"], SignerName: "Trần Văn Công"}
		saved, err := svc.SaveProvince(ctx, admin, police)
		if err != nil {
			t.Fatal(err)
		}
		if saved.ParentBody != "BỘ CÔNG AN" || saved.IssuingBody != "CÔNG AN TỈNH NGHỆ AN" || saved.Symbol != "CAT" || saved.Place != "Nghệ An" {
			t.Errorf("derived header %+v", saved)
		}
		if set, _ := f.Store.ProvinceSettings(ctx, f.Units["40"]); set.IssuingBody != "CÔNG AN TỈNH NGHỆ AN" || len(set.Recipients) != 0 {
			t.Errorf("stored %+v", set)
		}

		closed := &units.Unit{Code: "40-SKHCN-CU", Name: "Sở Thông tin và Truyền thông", Type: units.TypeCoordinator,
			ValidFrom: dates.MustParse("2021-01-01")}
		if err := f.Store.CreateUnit(ctx, audit.System, closed, f.Units["40"]); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.CloseUnit(ctx, audit.System, closed.ID, dates.MustParse("2025-03-01")); err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("Sở ", 70)
		tests := []struct {
			name  string
			edit  func(p *settings.Province)
			field string
		}{
			{"another province's department", func(p *settings.Province) { p.CoordinatorID = f.Units["42-SKHCN"] }, "coordinator"},
			{"a commune", func(p *settings.Province) { p.CoordinatorID = f.Units["X1"] }, "coordinator"},
			{"a closed department", func(p *settings.Province) { p.CoordinatorID = closed.ID }, "coordinator"},
			{"an unknown unit", func(p *settings.Province) { p.CoordinatorID = 999999 }, "coordinator"},
			{"a long governing body", func(p *settings.Province) { p.ParentBody = long }, "parent_body"},
			{"a long issuing body", func(p *settings.Province) { p.IssuingBody = long }, "issuing_body"},
			{"a long place", func(p *settings.Province) { p.Place = long }, "place"},
			{"a symbol with spaces", func(p *settings.Province) { p.Symbol = "BC SKHCN" }, "symbol"},
			{"a long authority line", func(p *settings.Province) { p.SignerAuthority = []string{long} }, "signer_authority"},
			{"a long signer", func(p *settings.Province) { p.SignerName = long }, "signer_name"},
			{"too many recipients", func(p *settings.Province) { p.Recipients = strings.Split(strings.Repeat("Sở Y tế\n", 21), "\n") }, "recipients"},
			{"a long receiver", func(p *settings.Province) { p.Receivers = []string{long} }, "receivers"},
		}
		before, _ := f.Store.OwnSettings(ctx, f.Units["40"])
		for _, tc := range tests {
			p := validProvince(f)
			tc.edit(&p)
			_, err := svc.SaveProvince(ctx, admin, p)
			var ve validation.Errors
			if !errors.As(err, &ve) || !ve.Has(tc.field) {
				t.Errorf("%s: %v, want an error on %s", tc.name, err, tc.field)
			}
		}
		if after, _ := f.Store.OwnSettings(ctx, f.Units["40"]); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("refused saves changed the settings: %v → %v", before, after)
		}
	})
}

// TestLegacySettingsTakenOver: settings stored before scopes existed sit at
// the deployment scope; when the only root's administrator saves the
// province's, those go, so an emptied field does not bring them back.
func TestLegacySettingsTakenOver(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		svc := newService(f, settingsvc.Config{})
		nat := national(t, f)
		if err := f.Store.SetSettings(ctx, audit.System, settings.DeploymentScope, map[string]string{
			settings.KeySignerName: "Người ký cũ", settings.KeyLanguage: "vi"}); err != nil {
			t.Fatal(err)
		}
		form, err := svc.Form(ctx, nat)
		if err != nil || form.Province.SignerName != "Người ký cũ" {
			t.Fatalf("the form shows %+v (%v), want the legacy signer", form, err)
		}
		p := form.Province
		p.SignerName = ""
		if _, err := svc.SaveProvince(ctx, nat, p); err != nil {
			t.Fatal(err)
		}
		set, err := f.Store.ProvinceSettings(ctx, f.Units["VN"])
		if err != nil || set.SignerName != "" {
			t.Errorf("after emptying the signer: %+v (%v)", set, err)
		}
		if d, _ := f.Store.OwnSettings(ctx, settings.DeploymentScope); d[settings.KeyLanguage] != "vi" || d[settings.KeySignerName] != "" {
			t.Errorf("deployment scope after the take-over: %v (the language must stay)", d)
		}
	})
}

// smtpOf is the settings form's mail server for a test server.
func smtpOf(srv *mailtest.Server) settings.SMTP {
	c := srv.Config()
	return settings.SMTP{Host: c.Host, Port: c.Port, TLS: c.TLS, Username: c.Username, Password: c.Password, From: c.From}
}

// TestDeploymentSettings saves the mail server, address and language,
// keeps the password unless replaced (and never for another server), masks
// it in the audit log, refuses bad fields by name, and gives the running
// server the settings, falling back to the command line's.
func TestDeploymentSettings(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		flag := mail.Config{Host: "flag.example.vn", From: "flag@example.vn", Username: "u", Password: "cờ bí mật"}
		svc := newService(f, settingsvc.Config{SMTP: &flag, BaseURL: "http://127.0.0.1:8080"})
		nat := national(t, f)

		// Nothing set: the command line's.
		if base, err := svc.BaseURL(ctx); err != nil || base != "http://127.0.0.1:8080" {
			t.Errorf("BaseURL = %q, %v", base, err)
		}
		if m, err := svc.Mailer(ctx); err != nil || m == nil {
			t.Errorf("Mailer = %v, %v, want the --smtp one", m, err)
		}
		if l := svc.Language(ctx); l != "" {
			t.Errorf("Language = %q, want none", l)
		}
		d, err := svc.Deployment(ctx, nat)
		if err != nil || !strings.Contains(d.FallbackSMTP, "u:xxxxx@flag.example.vn") || strings.Contains(d.FallbackSMTP, "bí") {
			t.Errorf("fallback shown as %q (%v)", d.FallbackSMTP, err)
		}

		in := settingsvc.DeploymentInput{SMTP: settings.SMTP{Host: "mail.example.vn", Port: 587, Username: "khienso",
			Password: "mật khẩu bí mật", From: "Khiên Số <no-reply@example.vn>"}, BaseURL: "https://khienso.example.vn/", Language: "en"}
		if err := svc.SaveDeployment(ctx, nat, in); err != nil {
			t.Fatal(err)
		}
		d, err = svc.Deployment(ctx, nat)
		if err != nil || d.SMTP.Host != "mail.example.vn" || d.SMTP.Password != "" || !d.PasswordSet || d.BaseURL != "https://khienso.example.vn" ||
			d.Language != "en" || d.SMTP.TLS != mail.TLSStartTLS {
			t.Errorf("read back %+v (%v)", d, err)
		}
		if base, _ := svc.BaseURL(ctx); base != "https://khienso.example.vn" {
			t.Errorf("BaseURL after saving = %q", base)
		}
		if l := svc.Language(ctx); l != i18n.EN {
			t.Errorf("Language after saving = %q", l)
		}
		stored := func() settings.SMTP {
			v, _ := f.Store.OwnSettings(ctx, settings.DeploymentScope)
			s, err := settings.ParseSMTP(v[settings.KeySMTPURL])
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		// A blank password keeps the stored one on the same server…
		in.SMTP.Password, in.KeepPassword, in.SMTP.From = "", true, "no-reply@example.vn"
		if err := svc.SaveDeployment(ctx, nat, in); err != nil {
			t.Fatal(err)
		}
		if s := stored(); s.Password != "mật khẩu bí mật" || s.From != "no-reply@example.vn" {
			t.Errorf("after keeping the password: %+v", s)
		}
		// … but not for another server or user.
		moved := in
		moved.SMTP.Host = "mail.other.vn"
		var ve validation.Errors
		if err := svc.SaveDeployment(ctx, nat, moved); !errors.As(err, &ve) || !ve.Has("smtp_password") {
			t.Errorf("moving the password to another server: %v", err)
		}
		// The audit log never holds it.
		entries, _, err := f.Store.AuditLog(ctx, audit.Filter{Entity: "setting", Limit: 50})
		if err != nil || len(entries) == 0 {
			t.Fatalf("audit: %v %v", entries, err)
		}
		for _, e := range entries {
			if s := fmt.Sprintf("%s %s", e.Before, e.After); strings.Contains(s, "bí") || strings.Contains(s, url.QueryEscape("bí")) ||
				strings.Contains(s, url.PathEscape("bí")) {
				t.Errorf("audit entry %s shows the password: %s", e.EntityID, s)
			}
		}

		tests := []struct {
			name  string
			edit  func(in *settingsvc.DeploymentInput)
			field string
		}{
			{"no host", func(in *settingsvc.DeploymentInput) { in.SMTP.Host = "" }, "smtp_host"},
			{"port", func(in *settingsvc.DeploymentInput) { in.SMTP.Port = -1 }, "smtp_port"},
			{"mode", func(in *settingsvc.DeploymentInput) { in.SMTP.TLS = "ssl" }, "smtp_tls"},
			{"password in clear", func(in *settingsvc.DeploymentInput) { in.SMTP.TLS = mail.TLSNone }, "smtp_tls"},
			{"sender", func(in *settingsvc.DeploymentInput) { in.SMTP.From = "khienso" }, "smtp_from"},
			{"address", func(in *settingsvc.DeploymentInput) { in.BaseURL = "khienso.example.vn" }, "base_url"},
			{"language", func(in *settingsvc.DeploymentInput) { in.Language = "fr" }, "language"},
		}
		for _, tc := range tests {
			bad := in
			tc.edit(&bad)
			if err := svc.SaveDeployment(ctx, nat, bad); !errors.As(err, &ve) || !ve.Has(tc.field) {
				t.Errorf("%s: %v, want an error on %s", tc.name, err, tc.field)
			}
		}

		// Removing the server falls back to the command line's again.
		if err := svc.SaveDeployment(ctx, nat, settingsvc.DeploymentInput{}); err != nil {
			t.Fatal(err)
		}
		if base, _ := svc.BaseURL(ctx); base != "http://127.0.0.1:8080" {
			t.Errorf("BaseURL after clearing = %q", base)
		}
		if v, _ := f.Store.OwnSettings(ctx, settings.DeploymentScope); len(v) != 0 {
			t.Errorf("cleared deployment settings still hold %v", v)
		}
	})
}

// TestSettingsReachOtherInstances: an instance that did not save the
// change applies it once its cached copy is older than the TTL.
func TestSettingsReachOtherInstances(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		nat := national(t, f)
		saver := newService(f, settingsvc.Config{})
		other := newService(f, settingsvc.Config{BaseURL: "http://flag", CacheTTL: 50 * time.Millisecond})
		if base, _ := other.BaseURL(ctx); base != "http://flag" {
			t.Fatalf("BaseURL = %q", base)
		}
		if err := saver.SaveDeployment(ctx, nat, settingsvc.DeploymentInput{BaseURL: "https://khienso.example.vn"}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			base, err := other.BaseURL(ctx)
			if err == nil && base == "https://khienso.example.vn" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the other instance still uses %q (%v)", base, err)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// TestSendTestEmail delivers the test message to the administrator through
// the settings' server (a real SMTP server in-process), and says which step
// failed otherwise.
func TestSendTestEmail(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		nat := national(t, f)
		flagSrv := mailtest.Start(t)
		flag := flagSrv.Config()
		svc := newService(f, settingsvc.Config{SMTP: &flag, BaseURL: "https://khienso.example.vn"})

		// No setting: the --smtp server.
		if to, err := svc.SendTestEmail(ctx, nat, i18n.VI); err != nil || to != "admin.vn@t.vn" {
			t.Fatalf("test e-mail through --smtp: %q, %v", to, err)
		}
		got := flagSrv.WaitFor(t, 1, 0)
		if got[0].To[0] != "admin.vn@t.vn" || got[0].Subject != i18n.VI.T("settings.test_email.subject") ||
			!strings.Contains(got[0].Text, "Quản trị quốc gia") || !strings.Contains(got[0].Text, "https://khienso.example.vn") {
			t.Errorf("message %+v", got[0])
		}

		// The settings' server wins over the command line's.
		srv := mailtest.Start(t, mailtest.RequireAuth("khienso", "mật khẩu"))
		if err := svc.SaveDeployment(ctx, nat, settingsvc.DeploymentInput{SMTP: smtpOf(srv)}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SendTestEmail(ctx, nat, i18n.EN); err != nil {
			t.Fatal(err)
		}
		if m := srv.WaitFor(t, 1, 0); m[0].AuthUser != "khienso" || m[0].Subject != i18n.EN.T("settings.test_email.subject") {
			t.Errorf("message through the settings' server: %+v", m[0])
		}
		if n := len(flagSrv.Messages()); n != 1 {
			t.Errorf("the --smtp server got %d messages, want still 1", n)
		}

		failures := []struct {
			name   string
			server func() settings.SMTP
			reason string
		}{
			{"wrong password", func() settings.SMTP { s := smtpOf(srv); s.Password = "sai"; return s }, "settings.mail.auth"},
			{"recipient refused", func() settings.SMTP { return smtpOf(mailtest.Start(t, mailtest.RejectRecipients("admin.vn@t.vn"))) }, "settings.mail.rcpt"},
			{"server down", func() settings.SMTP { down := mailtest.Start(t); s := smtpOf(down); down.Close(); return s }, "settings.mail.dial"},
		}
		for _, tc := range failures {
			s := tc.server()
			if err := svc.SaveDeployment(ctx, nat, settingsvc.DeploymentInput{SMTP: s}); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			_, err := svc.SendTestEmail(ctx, nat, i18n.VI)
			var se *settingsvc.SendError
			if !errors.As(err, &se) || se.Reason != tc.reason || se.Detail == "" || (s.Password != "" && strings.Contains(se.Detail, s.Password)) {
				t.Errorf("%s: %v (%+v), want %s", tc.name, err, se, tc.reason)
			}
		}
	})
}

// TestRemindersUseSettings: the reminder pass sends through the mail
// server and with the address the settings name at that moment, not those
// the server started with.
func TestRemindersUseSettings(t *testing.T) {
	servicetest.Engines(t, func(t *testing.T, f *servicetest.Fixture) {
		ctx := context.Background()
		nat := national(t, f)
		flagSrv := mailtest.Start(t)
		flag := flagSrv.Config()
		svc := newService(f, settingsvc.Config{SMTP: &flag, BaseURL: "http://flag.example.vn"})
		tpl := reports.Standard()
		if err := f.Store.SaveReportTemplate(ctx, audit.System, &tpl); err != nil {
			t.Fatal(err)
		}
		deadline := dates.MustParse("2026-12-05")
		round := &reports.Round{TemplateID: tpl.ID, Title: "Báo cáo năm 2026", From: dates.MustParse("2026-01-01"),
			To: dates.MustParse("2026-12-31"), Deadline: deadline, Units: []int64{f.Units["X1"]}}
		if err := f.Store.CreateRound(ctx, audit.System, round); err != nil {
			t.Fatal(err)
		}
		srv := mailtest.Start(t)
		if err := svc.SaveDeployment(ctx, nat, settingsvc.DeploymentInput{SMTP: smtpOf(srv), BaseURL: "https://khienso.example.vn"}); err != nil {
			t.Fatal(err)
		}
		r := &reminders.Runner{Store: f.Store, Outbox: svc, Instance: "test"}
		if n, err := r.Pass(ctx, deadline.AddDays(-1)); err != nil || n != 1 {
			t.Fatalf("pass: %d, %v", n, err)
		}
		m := srv.WaitFor(t, 1, 0)[0]
		if !strings.Contains(m.Text, fmt.Sprintf("https://khienso.example.vn/reports/rounds/%d/units/%d", round.ID, f.Units["X1"])) {
			t.Errorf("the reminder's link does not use the settings' address: %s", m.Text)
		}
		if n := len(flagSrv.Messages()); n != 0 {
			t.Errorf("the --smtp server got %d reminders", n)
		}
	})
}
