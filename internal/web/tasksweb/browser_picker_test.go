package tasksweb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/plans"
	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// A coordinator writes a task and chooses its units in the type-ahead by
// names typed without diacritics: one leads, another coordinates; each is
// shown as a chip, and the saved task holds exactly those units.
func TestBrowserTaskUnitPicker(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	p := planTestCreate(f, "40", plans.StatusInEffect, 0)
	if err := f.BrowserLogin(ctx, "coord@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/plans/%d/tasks/new", f.Server.URL, p.ID)),
		chromedp.WaitVisible(chromedp.ID("task-content")),
		chromedp.SendKeys(chromedp.ID("task-content"), "Tập huấn nhận diện lừa đảo trực tuyến"),
	)
	if err != nil {
		t.Fatalf("task form: %v", err)
	}
	if err := webtest.PickUnit(ctx, "task-lead", "vinh phu", "Y1"); err != nil {
		t.Fatal(err)
	}
	if err := webtest.PickUnit(ctx, "task-coord", "nghi phong", "X1"); err != nil {
		t.Fatal(err)
	}
	chips, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#task-form .picker-chips")))
	if err != nil || !strings.Contains(chips, "Phường Vinh Phú") {
		t.Errorf("the lead's chips read %q (%v)", chips, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("task-submit")), chromedp.WaitVisible(chromedp.ID("task-notice"))); err != nil {
		t.Fatalf("save the task: %v", err)
	}
	tasks, err := f.Store.Tasks(context.Background(), store.TaskFilter{PlanID: p.ID})
	if err != nil || len(tasks) != 1 {
		t.Fatalf("tasks: %v %d", err, len(tasks))
	}
	if tk := tasks[0]; len(tk.Lead) != 1 || tk.Lead[0] != f.Units["Y1"] || len(tk.Coord) != 1 || tk.Coord[0] != f.Units["X1"] {
		t.Errorf("saved lead %v coord %v, want Y1 (%d) and X1 (%d)", tk.Lead, tk.Coord, f.Units["Y1"], f.Units["X1"])
	}
}
