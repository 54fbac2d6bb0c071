package settingsweb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/mail/mailtest"
	"khienso/internal/settings"
	"khienso/internal/web/webtest"
)

// smtpForm is the deployment form for a test server.
func smtpForm(srv *mailtest.Server, extra url.Values) url.Values {
	c := srv.Config()
	v := url.Values{"smtp_host": {c.Host}, "smtp_port": {fmt.Sprint(c.Port)}, "smtp_tls": {c.TLS}, "smtp_username": {c.Username},
		"smtp_password": {c.Password}, "smtp_from": {c.From}, "base_url": {"https://khienso.example.vn"}, "language": {"vi"}}
	for k, vs := range extra {
		v[k] = vs
	}
	return v
}

// TestSettingsPage: the administrator saves the province's settings through
// the page and reads them back; a bad field is named beside its input and
// nothing is written; others see neither the page nor its link.
func TestSettingsPage(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		admin := f.Login("admin@t.vn")
		status, body := admin.Get("/settings")
		if status != http.StatusOK || !strings.Contains(body, `id="nav-settings"`) || !strings.Contains(body, `id="settings-deployment"`) {
			t.Fatalf("GET /settings: %d (the only province's administrator sees both forms)", status)
		}
		// The suggestions come from the province committee until an agency is chosen.
		if !strings.Contains(body, html.EscapeString("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN")) {
			t.Errorf("the page does not suggest the governing body")
		}
		form := url.Values{"coordinator": {fmt.Sprint(f.Units["40-SKHCN"])}, "parent_body": {""}, "issuing_body": {""},
			"place": {"Nghệ An"}, "symbol": {"SKHCN"}, "signer_authority": {"KT. GIÁM ĐỐC\r\nPHÓ GIÁM ĐỐC\r\n"},
			"signer_name": {"Nguyễn Văn Hùng"}, "recipients": {"UBND tỉnh (để b/c)\r\n\r\nCông an tỉnh"},
			"receivers": {"Ủy ban nhân dân tỉnh Nghệ An"}}
		if status, body := admin.PostForm("/settings", admin.CSRF("/settings"), form); status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", status, body)
		}
		set, err := f.Store.ProvinceSettings(context.Background(), f.Units["40"])
		if err != nil || set.SignerName != "Nguyễn Văn Hùng" || strings.Join(set.SignerAuthority, "|") != "KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC" ||
			strings.Join(set.Recipients, "|") != "UBND tỉnh (để b/c)|Công an tỉnh" || set.IssuingBody != "SỞ KHOA HỌC VÀ CÔNG NGHỆ" ||
			set.ParentBody != "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN" || set.CoordinatorID != f.Units["40-SKHCN"] {
			t.Errorf("stored %+v (%v)", set, err)
		}
		_, body = admin.Get("/settings?done=province")
		for _, want := range []string{`id="set-notice"`, `value="Nguyễn Văn Hùng"`, "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC</textarea>",
			fmt.Sprintf(`<option value="%d" selected>`, f.Units["40-SKHCN"])} {
			if !strings.Contains(body, want) {
				t.Errorf("the saved page lacks %q", want)
			}
		}
		if _, total, _ := f.Store.AuditLog(context.Background(), audit.Filter{Entity: "setting", Limit: 1}); total < 8 {
			t.Errorf("%d audit entries for the settings", total)
		}

		bad := url.Values{"symbol": {"BC SKHCN"}, "signer_name": {strings.Repeat("Hùng ", 41)}, "coordinator": {fmt.Sprint(f.Units["X1"])}}
		status, body = admin.PostForm("/settings", admin.CSRF("/settings"), bad)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("bad save: %d", status)
		}
		for _, id := range []string{"set-symbol-error", "set-signer_name-error", "set-coordinator-error", "form-errors", `href="#set-symbol"`} {
			if !strings.Contains(body, id) {
				t.Errorf("the refused form lacks %s", id)
			}
		}
		if !strings.Contains(body, `value="BC SKHCN"`) {
			t.Errorf("the refused form does not keep what was typed")
		}
		if after, _ := f.Store.ProvinceSettings(context.Background(), f.Units["40"]); after.SignerName != "Nguyễn Văn Hùng" {
			t.Errorf("a refused save wrote %+v", after)
		}

		coord := f.Login("coord@t.vn")
		if status, _ := coord.Get("/settings"); status != http.StatusForbidden {
			t.Errorf("coordinator GET /settings: %d", status)
		}
		if _, body := coord.Get("/"); strings.Contains(body, `id="nav-settings"`) {
			t.Errorf("the coordinator's menu links to the settings")
		}
	})
}

// TestDeploymentSettingsPage: the mail server saved through the page never
// shows its password again and keeps it when left blank; "send test
// e-mail" delivers to the administrator and shows a readable failure.
func TestDeploymentSettingsPage(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		srv := mailtest.Start(t, mailtest.RequireAuth("khienso", "mật-khẩu-thử"))
		admin := f.Login("admin@t.vn")
		if status, body := admin.PostForm("/settings/deployment", admin.CSRF("/settings"), smtpForm(srv, nil)); status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", status, body)
		}
		_, body := admin.Get("/settings?done=deployment")
		if strings.Contains(body, "mật-khẩu-thử") || !strings.Contains(body, `placeholder="(đã đặt)"`) ||
			!strings.Contains(body, fmt.Sprintf(`value="%d"`, srv.Port())) {
			t.Errorf("the page shows the password, or not that one is set")
		}
		// Saved again with the password left blank: it is kept.
		if status, _ := admin.PostForm("/settings/deployment", admin.CSRF("/settings"), smtpForm(srv, url.Values{"smtp_password": {""}})); status != http.StatusSeeOther {
			t.Fatalf("save with a blank password: %d", status)
		}
		status, body := admin.PostForm("/settings/test-email", admin.CSRF("/settings"), url.Values{})
		if status != http.StatusOK || !strings.Contains(body, `id="set-test-result"`) || !strings.Contains(body, "admin@t.vn") {
			t.Fatalf("test e-mail: %d", status)
		}
		msg := srv.WaitFor(t, 1, 0)[0]
		if msg.To[0] != "admin@t.vn" || msg.AuthUser != "khienso" || !strings.Contains(msg.Text, "https://khienso.example.vn") {
			t.Errorf("test message %+v", msg)
		}

		// A server that refuses the sign-in: the page says so, with the
		// server's words and without the password.
		bad := smtpForm(srv, url.Values{"smtp_password": {"sai-mật-khẩu"}})
		if status, _ := admin.PostForm("/settings/deployment", admin.CSRF("/settings"), bad); status != http.StatusSeeOther {
			t.Fatalf("save: %d", status)
		}
		status, body = admin.PostForm("/settings/test-email", admin.CSRF("/settings"), url.Values{})
		if status != http.StatusBadGateway || !strings.Contains(body, html.EscapeString("máy chủ thư từ chối đăng nhập")) ||
			strings.Contains(body, "sai-mật-khẩu") || !strings.Contains(body, "535") {
			t.Errorf("refused sign-in: %d %s", status, body)
		}

		// Bad fields are named; the form keeps them.
		status, body = admin.PostForm("/settings/deployment", admin.CSRF("/settings"),
			smtpForm(srv, url.Values{"smtp_port": {"cổng"}, "base_url": {"khienso.vn"}, "language": {"fr"}}))
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("bad deployment save: %d", status)
		}
		for _, id := range []string{"set-smtp_port-error", "set-base_url-error", "set-language-error", `value="cổng"`} {
			if !strings.Contains(body, id) {
				t.Errorf("the refused form lacks %s", id)
			}
		}
	})
}

// TestSettingsAPI round-trips both resources through the API (the
// responses are checked against the OpenAPI document), and a province's
// administrator of a two-province database edits only its own.
func TestSettingsAPI(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		const admin = "admin@t.vn"
		body := fmt.Sprintf(`{"coordinator_id": %d, "symbol": "SKHCN", "signer_authority": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
			"signer_name": "Nguyễn Văn Hùng", "recipients": ["Công an tỉnh"], "receivers": ["Bộ Khoa học và Công nghệ"]}`, f.Units["40-SKHCN"])
		status, resp := f.API("PUT", "/api/v1/settings", admin, body)
		if status != http.StatusOK {
			t.Fatalf("PUT settings: %d %s", status, resp)
		}
		var got struct {
			Scope struct {
				ID int64 `json:"id"`
			} `json:"scope"`
			IssuingBody string   `json:"issuing_body"`
			SignerName  string   `json:"signer_name"`
			Receivers   []string `json:"receivers"`
			Choices     []struct {
				Code string `json:"code"`
			} `json:"coordinator_choices"`
			Editable bool `json:"deployment_editable"`
		}
		_, resp = f.API("GET", "/api/v1/settings", admin, "")
		if err := json.Unmarshal([]byte(resp), &got); err != nil {
			t.Fatal(err)
		}
		if got.Scope.ID != f.Units["40"] || got.IssuingBody != "SỞ KHOA HỌC VÀ CÔNG NGHỆ" || got.SignerName != "Nguyễn Văn Hùng" ||
			len(got.Receivers) != 1 || len(got.Choices) != 2 || !got.Editable {
			t.Errorf("GET settings: %s", resp)
		}
		status, resp = f.API("PUT", "/api/v1/settings", admin, `{"symbol": "BC SKHCN", "coordinator_id": 0}`)
		if status != http.StatusUnprocessableEntity || !strings.Contains(resp, `"field":"symbol"`) || !strings.Contains(resp, `"field":"coordinator"`) {
			t.Errorf("bad PUT: %d %s", status, resp)
		}

		srv := mailtest.Start(t)
		c := srv.Config()
		dep := fmt.Sprintf(`{"smtp": {"host": %q, "port": %d, "tls": "none", "from": %q}, "base_url": "https://khienso.example.vn", "language": "en"}`,
			c.Host, c.Port, c.From)
		if status, resp := f.API("PUT", "/api/v1/settings/deployment", admin, dep); status != http.StatusOK || !strings.Contains(resp, `"password_set":false`) {
			t.Fatalf("PUT deployment: %d %s", status, resp)
		}
		if status, resp := f.API("POST", "/api/v1/settings/deployment/test-email", admin, ""); status != http.StatusOK || resp != `{"to":"admin@t.vn"}`+"\n" {
			t.Errorf("test e-mail: %d %s", status, resp)
		}
		srv.WaitFor(t, 1, 0)
		status, resp = f.API("PUT", "/api/v1/settings/deployment", admin, `{"smtp": {"host": "mail.example.vn", "port": 99999}, "language": "fr"}`)
		if status != http.StatusUnprocessableEntity || !strings.Contains(resp, `"field":"smtp_port"`) || !strings.Contains(resp, `"field":"language"`) ||
			!strings.Contains(resp, `"field":"smtp_from"`) {
			t.Errorf("bad deployment PUT: %d %s", status, resp)
		}
		srv.Close()
		status, resp = f.API("POST", "/api/v1/settings/deployment/test-email", admin, "")
		if status != http.StatusBadGateway || !strings.Contains(resp, `"code":"mail_failed"`) || !strings.Contains(resp, `"detail":"mail: dial `) {
			t.Errorf("test e-mail with the server down: %d %s", status, resp)
		}
		if status, resp := f.API("PUT", "/api/v1/settings/deployment", admin, `{}`); status != http.StatusOK || !strings.Contains(resp, `"smtp":null`) {
			t.Errorf("clearing: %d %s", status, resp)
		}
		if status, resp := f.API("POST", "/api/v1/settings/deployment/test-email", admin, ""); status != http.StatusConflict || !strings.Contains(resp, "no_mail_server") {
			t.Errorf("test e-mail without a server: %d %s", status, resp)
		}
		for _, u := range []string{"coord@t.vn", "focal.x@t.vn"} {
			if status, _ := f.API("GET", "/api/v1/settings", u, ""); status != http.StatusForbidden {
				t.Errorf("%s GET settings: %d", u, status)
			}
		}
	})
}

// TestDefaultLanguage: a visitor without a language cookie gets the
// deployment's language whatever the browser asks; the cookie still wins.
func TestDefaultLanguage(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		get := func(cookie string) string {
			req, _ := http.NewRequest("GET", f.Server.URL+"/login", nil)
			req.Header.Set("Accept-Language", "vi-VN,vi;q=0.9")
			if cookie != "" {
				req.AddCookie(&http.Cookie{Name: "ks_lang", Value: cookie})
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return string(b)
		}
		if !strings.Contains(get(""), `<html lang="vi">`) {
			t.Fatal("before the setting, the browser's language should apply")
		}
		if status, resp := f.API("PUT", "/api/v1/settings/deployment", "admin@t.vn", `{"language": "en"}`); status != http.StatusOK {
			t.Fatalf("PUT: %d %s", status, resp)
		}
		if !strings.Contains(get(""), `<html lang="en">`) {
			t.Error("a visitor without a cookie should get the default language")
		}
		if !strings.Contains(get("vi"), `<html lang="vi">`) {
			t.Error("the visitor's choice should win over the default language")
		}
		if v, _ := f.Store.OwnSettings(context.Background(), settings.DeploymentScope); v[settings.KeyLanguage] != "en" {
			t.Errorf("stored %v", v)
		}
	})
}
