package reportsweb_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/gazetteer"
	"khienso/internal/reports"
	"khienso/internal/setup"
	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// From `khienso init` to a province's first consolidated report, in the
// browser: Hà Tĩnh is set up as init does it; its administrator signs in
// with the one-time password and chooses a new one, creates the focal
// point of Phường Thành Sen, opens a round from the standard template; the
// focal point signs in (new password too), fills and submits the report;
// the administrator accepts it and downloads the consolidated DOCX, headed
// by the province's settings.
func TestBrowserFromInitToConsolidatedReport(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	var adminPassword string
	f := webtest.New(t, store.SQLite, webtest.Install(func(ctx context.Context, st *store.Store) error {
		g, err := gazetteer.Load()
		if err != nil {
			return err
		}
		pl, err := setup.PlanProvince(g.Province("42"), setup.Options{})
		if err != nil {
			return err
		}
		res, err := setup.Install(ctx, st, setup.Request{Plans: []*setup.Plan{pl}, Actor: audit.Actor{Label: "cli"},
			Admin: setup.Admin{Email: "admin@hatinh.gov.vn"}})
		if err != nil {
			return err
		}
		adminPassword = res.Password
		return nil
	}))
	const (
		newAdmin = "mật khẩu mới của quản trị"
		newFocal = "mật khẩu mới của phường"
	)
	commune, err := f.Store.UnitByCode(context.Background(), "18073", dates.Today())
	if err != nil {
		t.Fatal(err)
	}

	// The administrator's first sign-in goes to the password page.
	login := func(email, password string) error {
		return chromedp.Do(ctx,
			chromedp.Navigate(f.Server.URL+"/login"),
			chromedp.WaitVisible(chromedp.ID("email")),
			chromedp.SendKeys(chromedp.ID("email"), email),
			chromedp.SendKeys(chromedp.ID("password"), password),
			chromedp.Click(chromedp.ID("login-submit")),
			chromedp.WaitVisible(chromedp.ID("logout")),
		)
	}
	firstLogin := func(email, oneTime, chosen string) error {
		if err := login(email, oneTime); err != nil {
			return err
		}
		return chromedp.Do(ctx,
			chromedp.WaitVisible(chromedp.ID("password-submit")),
			chromedp.SendKeys(chromedp.ID("current"), oneTime),
			chromedp.SendKeys(chromedp.ID("new"), chosen),
			chromedp.SendKeys(chromedp.ID("confirm"), chosen),
			chromedp.Click(chromedp.ID("password-submit")),
			chromedp.WaitNotPresent(chromedp.ID("password-submit")),
			chromedp.WaitVisible(chromedp.ID("logout")),
		)
	}
	logout := func() error {
		return chromedp.Do(ctx, chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("login-submit")))
	}
	if err := firstLogin("admin@hatinh.gov.vn", adminPassword, newAdmin); err != nil {
		t.Fatalf("administrator's first sign-in: %v", err)
	}

	// The focal point of Phường Thành Sen.
	err = chromedp.Do(ctx,
		chromedp.Navigate(f.Server.URL+"/users/new"),
		chromedp.WaitVisible(chromedp.ID("user-form")),
		chromedp.SendKeys(chromedp.ID("user-name"), "Trần Văn Sen"),
		chromedp.SendKeys(chromedp.ID("user-email"), "dau.moi@thanhsen.hatinh.gov.vn"),
		chromedp.SetValue(chromedp.ID("user-unit_code"), "18073"), // prefilled with the administrator's unit
		chromedp.Click(chromedp.ID("user-role-focal_point")),
		chromedp.Click(chromedp.ID("user-submit")),
		chromedp.WaitVisible(chromedp.ID("user-one-time-password")),
	)
	if err != nil {
		t.Fatalf("create the focal point: %v", err)
	}
	focalPassword, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("user-one-time-password")))
	if err != nil {
		t.Fatalf("create the focal point: %v", err)
	}

	// A round from the standard template (installed by set-up), for the commune.
	year := dates.Today().Year()
	title := fmt.Sprintf("Báo cáo kết quả năm %d", year)
	err = chromedp.Do(ctx,
		chromedp.Navigate(f.Server.URL+"/reports/rounds/new"),
		chromedp.WaitVisible(chromedp.ID("report-round-form")),
		chromedp.SetValue(chromedp.ID("round-title"), title),
		chromedp.SetValue(chromedp.ID("round-codes"), "18073"),
		chromedp.Click(chromedp.ID("round-submit")),
		chromedp.WaitVisible(chromedp.ID("round-units")),
	)
	if err != nil {
		t.Fatalf("create the round: %v", err)
	}
	roundURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("create the round: %v", err)
	}
	u, _ := url.Parse(roundURL)
	round, err := strconv.ParseInt(path.Base(u.Path), 10, 64)
	if err != nil {
		t.Fatalf("round page %s: %v", roundURL, err)
	}
	if err := logout(); err != nil {
		t.Fatal(err)
	}

	// The focal point fills and submits.
	if err := firstLogin("dau.moi@thanhsen.hatinh.gov.vn", strings.TrimSpace(focalPassword), newFocal); err != nil {
		t.Fatalf("focal point's first sign-in: %v", err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("nav-reports")),
		chromedp.WaitVisible(chromedp.ID("report-mine")),
		chromedp.Click(chromedp.ID(fmt.Sprintf("report-open-%d", round))),
		chromedp.WaitVisible(chromedp.ID("sub-form")),
	)
	if err != nil {
		t.Fatalf("open the report: %v", err)
	}
	std := reports.Standard()
	var fill []chromedp.Action[chromedp.Void]
	for i, fld := range std.Fields {
		fill = append(fill, chromedp.SetValue(chromedp.ID("v-"+fld.Code), fmt.Sprint(i+3)))
	}
	for _, sec := range std.Sections {
		fill = append(fill, chromedp.SendKeys(chromedp.ID("n-"+sec.Code), "Phường đã làm phần "+sec.Title))
	}
	fill = append(fill, chromedp.Click(chromedp.ID("sub-submit")), chromedp.WaitVisible(chromedp.ID("report-notice")))
	if err := chromedp.Do(ctx, fill...); err != nil {
		t.Fatalf("fill and submit: %v", err)
	}
	if err := logout(); err != nil {
		t.Fatal(err)
	}

	// The administrator accepts and downloads the consolidated report.
	if err := login("admin@hatinh.gov.vn", newAdmin); err != nil {
		t.Fatalf("administrator again: %v", err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/reports/rounds/%d/units/%d", f.Server.URL, round, commune.ID)),
		chromedp.WaitVisible(chromedp.ID("review-accept")),
		chromedp.Click(chromedp.ID("review-accept")),
		chromedp.WaitNotPresent(chromedp.ID("review-accept")),
	)
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	sub, err := f.Store.Submission(context.Background(), round, commune.ID)
	if err != nil || sub.Status != reports.StatusAccepted {
		t.Fatalf("after accepting the report is %+v (%v)", sub, err)
	}
	js := `fetch(document.getElementById("round-docx").href).then(async r => {
		const b = new Uint8Array(await r.arrayBuffer());
		let s = ""; for (const c of b) s += String.fromCharCode(c);
		return r.headers.get("Content-Type") + "|" + btoa(s);
	})`
	if err := chromedp.Do(ctx, chromedp.Navigate(roundURL), chromedp.WaitVisible(chromedp.ID("round-docx"))); err != nil {
		t.Fatalf("round page: %v", err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch the DOCX: %v", err)
	}
	ctype, b64, _ := strings.Cut(res, "|")
	if !strings.Contains(ctype, "wordprocessingml") {
		t.Errorf("DOCX content type %q", ctype)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	xml := docxBody(t, raw)
	for _, want := range []string{"ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Hà Tĩnh, ngày",
		"Phường Thành Sen: Phường đã làm phần Kết quả thực hiện"} {
		if !strings.Contains(xml, want) {
			t.Errorf("the consolidated DOCX lacks %q", want)
		}
	}
}
