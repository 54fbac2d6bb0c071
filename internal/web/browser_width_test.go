package web_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"khienso/internal/web/webtest"
)

// Every page must fit the screen of a phone (390 px) and of a common
// laptop (1366 px): a page wider than the screen makes the reader scroll
// sideways to find a column or a button, and on a phone often hides it.
//
// The pages are the GET rows of the route matrix (so a new page is checked
// as soon as it has its row), filled with the matrix's seed, opened by the
// administrator when they may, otherwise by X1's focal point (the pages
// only a unit's own staff see). A page route neither can open, and the
// routes that answer with no page (downloads, fragments, static files),
// are named with the reason in widthSkipped: a route missing from both
// fails the test, so none is left out silently.

// widthWidths are the screens checked.
var widthWidths = []int64{390, 1366}

// widthSkipped are the GET routes the check does not open, with why.
var widthSkipped = map[string]string{
	"GET /static/":                       "static files, not a page",
	"GET /healthz":                       "health probe, plain text",
	"GET /metrics":                       "metrics, plain text",
	"GET /lang":                          "switches the language and redirects to another page",
	"GET /units/{id}/children":           "an HTML fragment the units tree fetches, shown inside /units",
	"GET /units/import/jobs/{id}/status": "an HTML fragment the import job page polls, shown inside it",
}

// widthVisit is one page to open, by whom.
type widthVisit struct {
	route, path, caller string
}

// widthCallers are who opens the pages, in order of preference: the
// administrator, then X1's focal point for the pages only a unit sees.
var widthCallers = []struct {
	name string
	col  int // the caller's column in the matrix's want
}{{"admin", 1}, {"focal.x", 3}}

// widthAfterPost are the pages shown only in answer to a form, opened by
// the flows of TestPagesFitTheScreen (the name is the flow's).
var widthAfterPost = []string{
	"plan import review (POST /plans/{id}/import)",
	"activity form with its errors (POST /activities/new)",
	"account form with its errors (POST /users/new)",
	"one-time password of a reset account (POST /users/{id}/password)",
	"not found (404)",
	"forbidden (403)",
}

// widthNotOpened are the pages shown in answer to a form that no flow
// opens, with why.
var widthNotOpened = map[string]string{
	"reports_fill_confirm": "needs a province answering a national round (national fixture); its table is in a .table-wrap like the submission it previews",
}

// widthLangs are the languages checked: Vietnamese first, English (whose
// longer words wrap less) second.
var widthLangs = []string{"vi", "en"}

func TestPagesFitTheScreen(t *testing.T) {
	start := time.Now()
	w := mxSeed(t)
	seed, err := os.ReadFile("../plans/planimport/testdata/plan_774_nghe_an.txt")
	if err != nil {
		t.Fatalf("the plan-import seed is committed with the tests: %v", err)
	}
	scratch := mxScratchUser(t, w, "admin")["{s}"]

	// The pages: every GET row of the matrix that answers HTML.
	byCaller := map[string][]widthVisit{}
	planned := map[string]bool{}
	var anon []widthVisit
	seen := map[string]bool{}
	for _, row := range mxRows() {
		r := row.req
		if r.method != "GET" || r.api || r.download != "" || widthSkipped[row.route] != "" {
			continue
		}
		path := w.fill(r.path, map[string]string{})
		want := strings.Fields(row.want)
		if want[0] == clsO {
			if !seen["anon "+path] {
				seen["anon "+path] = true
				anon = append(anon, widthVisit{row.route, path, ""})
			}
			planned[row.route] = true
			continue
		}
		caller := ""
		for _, c := range widthCallers {
			if want[c.col] == clsO {
				caller = c.name
				break
			}
		}
		if caller == "" {
			t.Errorf("page %s %s: neither the administrator nor X1's focal point may open it; open it as someone who may", row.route, row.label)
			continue
		}
		planned[row.route] = true
		if key := caller + " " + path; !seen[key] {
			seen[key] = true
			byCaller[caller] = append(byCaller[caller], widthVisit{row.route, path, caller})
		}
	}
	// Every page route is opened or named with its reason.
	downloads := map[string]bool{}
	for _, r := range mxRows() {
		if r.req.download != "" {
			downloads[r.route] = true
		}
	}
	for _, rt := range w.f.App.Web.Routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if method != "GET" || strings.HasPrefix(path, "/api/") || planned[rt.Pattern] || widthSkipped[rt.Pattern] != "" || downloads[rt.Pattern] {
			continue
		}
		t.Errorf("page %s is neither opened nor named in widthSkipped", rt.Pattern)
	}

	ctx := webtest.NewBrowser(t)
	var failures []string
	pages := 0
	// measure checks the page loaded by load at every width; load runs at
	// the first width, the others reflow the same page. wantError is set
	// for the error pages.
	measure := func(name, caller, lang string, load chromedp.Action[chromedp.Void], wantError bool) {
		t.Helper()
		pages++
		for i, width := range widthWidths {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
				t.Fatalf("viewport %d: %v", width, err)
			}
			if i == 0 {
				if err := chromedp.Do(ctx, load); err != nil {
					t.Errorf("open %s as %s: %v", name, mxName(caller), err)
					return
				}
			}
			res, err := chromedp.Run(ctx, chromedp.Evaluate[widthResult](widthProbe))
			if err != nil {
				t.Fatalf("measure %s: %v", name, err)
			}
			switch {
			case res.Path == "/login" && !strings.HasPrefix(name, "GET /login"):
				t.Errorf("%s as %s: sent to the sign-in page", name, mxName(caller))
			case wantError != (res.Status != ""):
				t.Errorf("%s as %s: error page %v, want %v (%s)", name, mxName(caller), res.Status != "", wantError, res.Status)
			}
			if res.Scroll > res.Inner {
				failures = append(failures, fmt.Sprintf("%s as %s (%s) at %d px: %d px wide; widest: %s",
					name, mxName(caller), lang, width, res.Scroll, strings.Join(res.Culprits, ", ")))
			}
		}
	}
	visit := func(v widthVisit, lang string) {
		measure(v.route+" "+v.path, v.caller, lang, chromedp.Navigate(w.f.Server.URL+v.path), false)
	}
	setLang := func(lang string) {
		if err := chromedp.Do(ctx, chromedp.Navigate(w.f.Server.URL+"/lang?to="+lang+"&back=/login")); err != nil {
			t.Fatalf("language %s: %v", lang, err)
		}
	}
	u := w.f.Server.URL
	noValidate := func(form string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const f = document.getElementById('`+form+`'); f.noValidate = true; return true; })()`))
			return err
		})
	}
	submit := func(button string) chromedp.Action[chromedp.Void] {
		// form.submit() skips the confirmation a data-confirm form asks.
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.getElementById('`+button+`').form.submit(); return true; })()`))
			return err
		})
	}
	for _, lang := range widthLangs {
		setLang(lang)
		for _, v := range anon {
			visit(v, lang)
		}
		for _, c := range widthCallers {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900)); err != nil {
				t.Fatal(err)
			}
			if err := w.f.BrowserLogin(ctx, mxEmail(c.name)); err != nil {
				t.Fatalf("sign in as %s: %v", c.name, err)
			}
			for _, v := range byCaller[c.name] {
				visit(v, lang)
			}
			switch c.name {
			case "admin":
				measure(widthAfterPost[0], c.name, lang, chromedp.Steps(
					chromedp.Navigate(u+w.fill("/plans/{plan}/import", nil)),
					chromedp.SetValue(chromedp.ID("planimp-text"), string(seed)),
					chromedp.Click(chromedp.ID("planimp-parse")),
					chromedp.WaitVisible(chromedp.ID("planimp-review"))), false)
				measure(widthAfterPost[1], c.name, lang, chromedp.Steps(
					chromedp.Navigate(u+"/activities/new"), noValidate("activity-form"),
					chromedp.Click(chromedp.ID("activity-submit")),
					chromedp.WaitVisible(chromedp.ID("form-errors"))), false)
				measure(widthAfterPost[2], c.name, lang, chromedp.Steps(
					chromedp.Navigate(u+"/users/new"), noValidate("user-form"),
					chromedp.Click(chromedp.ID("user-submit")),
					chromedp.WaitVisible(chromedp.ID("form-errors"))), false)
				measure(widthAfterPost[3], c.name, lang, chromedp.Steps(
					chromedp.Navigate(u+"/users/"+scratch+"/edit"),
					chromedp.WaitVisible(chromedp.ID("user-reset-submit")),
					submit("user-reset-submit"),
					chromedp.WaitNotPresent(chromedp.ID("user-reset-submit"))), false)
				measure(widthAfterPost[4], c.name, lang, chromedp.Navigate(u+"/plans/999999"), true)
			case "focal.x":
				measure(widthAfterPost[5], c.name, lang, chromedp.Navigate(u+"/settings"), true)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(u+"/account"), chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("email"))); err != nil {
				t.Fatalf("sign out %s: %v", c.name, err)
			}
		}
	}
	sort.Strings(failures)
	for _, f := range failures {
		t.Error("wider than the screen: " + f)
	}
	t.Logf("%d pages at %v px in %v", pages, widthWidths, time.Since(start).Round(time.Millisecond))
}

// widthResult is what widthProbe answers.
type widthResult struct {
	Scroll, Inner int
	Culprits      []string
	Status, Path  string
}

// widthProbe measures the page and, when it overflows, names the deepest
// elements reaching past the screen's right edge, so the failure says
// where to look. Status is set when the page is an error page.
const widthProbe = `(() => {
  const inner = window.innerWidth;
  const scroll = document.documentElement.scrollWidth;
  const culprits = [];
  if (scroll > inner) {
    const all = Array.from(document.body.querySelectorAll('*'));
    for (const el of all) {
      const r = el.getBoundingClientRect();
      if (r.right <= inner + 0.5 || r.width === 0) continue;
      // Deepest only: skip an element when a child of it overflows too.
      if (Array.from(el.children).some(c => c.getBoundingClientRect().right > inner + 0.5)) continue;
      let p = el, inScroller = false;
      while ((p = p.parentElement)) {
        const ox = getComputedStyle(p).overflowX;
        if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') { inScroller = true; break; }
      }
      if (inScroller) continue;
      let name = el.tagName.toLowerCase();
      if (el.id) name += '#' + el.id;
      if (el.classList.length) name += '.' + Array.from(el.classList).join('.');
      const text = (el.textContent || '').trim().slice(0, 30);
      culprits.push(name + ' ' + Math.round(r.right) + 'px' + (text ? ' "' + text + '"' : ''));
      if (culprits.length >= 4) break;
    }
  }
  const err = document.getElementById('error-page');
  let status = '';
  if (err) status = 'an error page: ' + err.textContent.trim().replace(/\s+/g, ' ').slice(0, 120);
  return {Scroll: scroll, Inner: inner, Culprits: culprits, Status: status, Path: location.pathname};
})()`
