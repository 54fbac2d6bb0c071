package reportsweb_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// TestRoundSignOff: the consolidated report is signed as the province's
// settings say, unless its round names its own signer or recipients, set
// through the round's page or the API (same limits as the settings).
func TestRoundSignOff(t *testing.T) {
	webtest.Engines(t, func(t *testing.T, f *webtest.Fixture) {
		if status, resp := f.API("PUT", "/api/v1/settings", "admin@t.vn", `{"symbol": "SKHCN",
			"signer_authority": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "signer_name": "Nguyễn Văn Hùng",
			"recipients": ["UBND tỉnh (để b/c)"]}`); status != http.StatusOK {
			t.Fatalf("settings: %d %s", status, resp)
		}
		tpl := reportTestTemplate(f)
		coord := f.Login("coord@t.vn")
		round := reportTestRound(t, coord, tpl, "Báo cáo năm 2025")
		docx := func() string {
			status, _, b := coord.Download(fmt.Sprintf("/reports/rounds/%d/report.docx", round))
			if status != http.StatusOK {
				t.Fatalf("DOCX: %d", status)
			}
			return docxBody(t, b)
		}
		xml := docx()
		for _, want := range []string{"Nguyễn Văn Hùng", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "UBND tỉnh (để b/c)", "Lưu: VT.", "BC-SKHCN"} {
			if !strings.Contains(xml, want) {
				t.Errorf("the DOCX lacks the settings' %q", want)
			}
		}

		// The round names its own signer through its page.
		path := fmt.Sprintf("/reports/rounds/%d/sign-off", round)
		status, body := coord.Get(path)
		if status != http.StatusOK || !strings.Contains(body, "Nguyễn Văn Hùng") {
			t.Fatalf("sign-off page: %d (it should show the settings' signer)", status)
		}
		status, _ = coord.PostForm(path, coord.CSRF(path), url.Values{"signer_authority": {"GIÁM ĐỐC"}, "signer_name": {"Lê Thị Bình"}})
		if status != http.StatusSeeOther {
			t.Fatalf("save sign-off: %d", status)
		}
		if _, body := coord.Get(fmt.Sprintf("/reports/rounds/%d?done=sign-off", round)); !strings.Contains(body, "Lê Thị Bình") {
			t.Error("the round page does not show the round's signer")
		}
		xml = docx()
		if !strings.Contains(xml, "Lê Thị Bình") || strings.Contains(xml, "Nguyễn Văn Hùng") || strings.Contains(xml, "PHÓ GIÁM ĐỐC") ||
			!strings.Contains(xml, "UBND tỉnh (để b/c)") {
			t.Error("the DOCX should be signed by the round's signer, with the settings' recipients")
		}
		status, body = coord.PostForm(path, coord.CSRF(path), url.Values{"signer_name": {strings.Repeat("Bình ", 41)}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "round-signer_name-error") {
			t.Errorf("a too long signer: %d", status)
		}

		// The API sets the recipients alone; the other parts come back empty.
		status, resp := f.API("PUT", fmt.Sprintf("/api/v1/report-rounds/%d/sign-off", round), "coord@t.vn", `{"recipients": ["Bộ Khoa học và Công nghệ"]}`)
		if status != http.StatusOK || !strings.Contains(resp, `"sign_off":{"signer_authority":[],"signer_name":"","recipients":["Bộ Khoa học và Công nghệ"]}`) {
			t.Fatalf("API sign-off: %d %s", status, resp)
		}
		xml = docx()
		if !strings.Contains(xml, "Nguyễn Văn Hùng") || !strings.Contains(xml, "Bộ Khoa học và Công nghệ") || strings.Contains(xml, "UBND tỉnh (để b/c)") {
			t.Error("the DOCX should carry the settings' signer and the round's recipients")
		}
		if status, resp := f.API("PUT", fmt.Sprintf("/api/v1/report-rounds/%d/sign-off", round), "coord@t.vn",
			`{"signer_authority": ["`+strings.Repeat("x", 201)+`"]}`); status != http.StatusUnprocessableEntity || !strings.Contains(resp, `"field":"signer_authority"`) {
			t.Errorf("API too long: %d %s", status, resp)
		}
		if status, _ := f.API("PUT", fmt.Sprintf("/api/v1/report-rounds/%d/sign-off", round), "focal.x@t.vn", `{}`); status != http.StatusForbidden {
			t.Errorf("a focal point sets the sign-off: %d", status)
		}

		// A round created with its own signer, by the API and by the form.
		status, resp = f.API("POST", "/api/v1/report-rounds", "coord@t.vn", fmt.Sprintf(`{"template_id": %d, "title": "Báo cáo quý", "from": "2025-01-01",
			"to": "2025-03-31", "deadline": "2025-04-05", "unit_codes": ["X1"], "sign_off": {"signer_name": "Phạm Văn Chung"}}`, tpl))
		if status != http.StatusCreated || !strings.Contains(resp, `"signer_name":"Phạm Văn Chung"`) {
			t.Errorf("create with a signer: %d %s", status, resp)
		}
		status, _ = coord.PostForm("/reports/rounds/new", coord.CSRF("/reports/rounds/new"), url.Values{
			"template": {fmt.Sprint(tpl)}, "title": {"Báo cáo 6 tháng"}, "from": {"01/01/2025"}, "to": {"30/06/2025"},
			"deadline": {"05/07/2025"}, "status": {"open"}, "codes": {"X1"}, "signer_name": {"Hoàng Thị Dung"}})
		if status != http.StatusSeeOther {
			t.Fatalf("create through the form: %d", status)
		}
		rounds, err := f.Store.Rounds(context.Background(), store.RoundFilter{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range rounds {
			found = found || (r.Title == "Báo cáo 6 tháng" && r.SignOff.SignerName == "Hoàng Thị Dung")
		}
		if !found {
			t.Error("the form's signer was not stored with the round")
		}
	})
}
