package activitiesweb_test

import (
	"fmt"
	"khienso/internal/web/webtest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"khienso/internal/dates"
	"khienso/internal/store"
)

// A commune's focal point opens the activities from the menu, records a
// training class through the form and finds it in the list with its
// figures counted in the totals.
func TestBrowserActivities(t *testing.T) {
	ctx := webtest.NewBrowser(t)
	f := webtest.New(t, store.SQLite)
	_, task := activityTestPlan(f)
	if err := f.BrowserLogin(ctx, "focal.x@t.vn"); err != nil {
		t.Fatalf("login: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("nav-activities")),
		chromedp.WaitVisible(chromedp.ID("activity-none")),
		chromedp.Click(chromedp.ID("activity-new")),
		chromedp.WaitVisible(chromedp.ID("activity-title")),
		chromedp.SetValue(chromedp.ID("activity-type"), "training_class"),
		chromedp.SendKeys(chromedp.ID("activity-title"), "Tập huấn nhận diện lừa đảo qua mạng"),
		chromedp.SetValue(chromedp.ID("activity-channel"), "in_person"),
		chromedp.Click(chromedp.ID("activity-aud-citizens")),
		chromedp.SetValue(chromedp.ID("activity-participants"), "75"),
		chromedp.Click(chromedp.ID(fmt.Sprintf("activity-task-%d", task.ID))),
		chromedp.Click(chromedp.ID("activity-submit")),
		chromedp.WaitVisible(chromedp.ID("activity-notice")),
	)
	if err != nil {
		t.Fatalf("record an activity: %v", err)
	}
	facts, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("activity-tasks")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(facts, "Tổ chức tập huấn") {
		t.Errorf("the detail page should list the task served, got %q", facts)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("nav-activities")),
		chromedp.WaitVisible(chromedp.ID("activity-list")),
	)
	if err != nil {
		t.Fatalf("back to the list: %v", err)
	}
	list, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("activity-list")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(list, "Tập huấn nhận diện lừa đảo qua mạng") || !strings.Contains(list, dates.Today().VN()) || !strings.Contains(list, "Xã Nghi Phong") {
		t.Errorf("the list reads %q", list)
	}
	sum, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("sum-participants")))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(sum) != "75" {
		t.Errorf("total participants %q, want 75", sum)
	}
}
