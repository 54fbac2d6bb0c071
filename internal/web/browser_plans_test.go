package web_test

import (
	"context"
	"fmt"
	"khienso/internal/i18n"
	"khienso/internal/web/webtest"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/plans"
	"khienso/internal/store"
)

// A coordinator opens a plan, pastes the task appendix of plan 774, reviews
// the parsed tasks (choosing a lead unit where the text names a unit the
// province does not have), confirms, and sees the task table.
func TestBrowserPlanImport(t *testing.T) {
	seed, err := os.ReadFile(planImportSeed)
	if err != nil {
		t.Fatalf("the seed is committed with the tests: %v", err)
	}
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	p := planTestCreate(f, "40", plans.StatusInEffect, 0)
	if err := f.BrowserLogin(ctx, "coord@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("nav-plans")),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("plan-%d", p.ID))),
		chromedp.Navigate(fmt.Sprintf("%s/plans/%d", f.Server.URL, p.ID)),
		chromedp.WaitVisible(chromedp.ID("plan-import")),
		chromedp.Click(chromedp.ID("plan-import")),
		chromedp.WaitVisible(chromedp.ID("planimp-text")),
		chromedp.SetValue(chromedp.ID("planimp-text"), string(seed)),
		chromedp.Click(chromedp.ID("planimp-parse")),
		chromedp.WaitVisible(chromedp.ID("planimp-review")),
	)
	if err != nil {
		t.Fatalf("paste and parse: %v", err)
	}
	summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("planimp-summary")))
	if err != nil {
		t.Fatal(err)
	}
	// Headless Chromium asks for English.
	if want, _, _ := strings.Cut(i18n.EN.T("planimp.review.summary", 30, 0, 0), ";"); !strings.HasPrefix(summary, want+";") {
		t.Errorf("summary %q should start %q", summary, want)
	}
	// Choose the coordinating department where no lead unit was matched.
	chosen, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`(() => {
		let n = 0;
		document.querySelectorAll('select[name^="lead_"]').forEach(s => {
			if (s.selectedOptions.length === 0) {
				for (const o of s.options) { if (o.value === '%d') { o.selected = true; n++; } }
			}
		});
		return n;
	})()`, f.Units["40-SKHCN"])))
	if err != nil {
		t.Fatal(err)
	}
	if chosen == 0 {
		t.Error("some tasks should have needed a lead unit chosen")
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("planimp-confirm")),
		chromedp.WaitVisible(chromedp.ID("plan-tasks")),
	)
	if err != nil {
		t.Fatalf("confirm: %v", err)
	}
	notice, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("plan-notice")))
	if err != nil {
		t.Fatal(err)
	}
	if want := i18n.EN.T("planimp.done", 30); strings.TrimSpace(notice) != want {
		t.Errorf("notice %q, want %q", notice, want)
	}
	table, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("plan-tasks")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Công an tỉnh Nghệ An", "Phổ biến, quán triệt", "2022–2025"} {
		if !strings.Contains(table, want) {
			t.Errorf("task table lacks %q", want)
		}
	}
	tasks, err := f.Store.Tasks(context.Background(), store.TaskFilter{PlanID: p.ID})
	if err != nil || len(tasks) != 30 {
		t.Errorf("stored %d tasks (%v), want 30", len(tasks), err)
	}
}
