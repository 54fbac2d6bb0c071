package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// The route matrix: every registered route (web.Server.Routes) has at
// least one row giving, for each kind of caller, the outcome its request
// must have. A route registered without a row fails the test, and so does a
// row whose route is gone.
//
// One fixture serves every row. It runs on SQLite only: the rules live in
// the services, whose own access matrices run on both engines; this one
// checks that every route asks them and answers what they decide. The
// fixture is seeded through the API as the fixture's users (not the
// store), so the seed itself passes the rules. API rows send Bearer tokens;
// page rows use a browser session per caller, posting the form token read
// from a page.
//
// Rows do not depend on their order. Writes send input that stops at
// validation, so nothing is written; routes that take no input (delete,
// revoke, password reset, workflow steps) act on a scratch target made for
// each caller, and sign-in and sign-out run on a session of their own.
// What else changes is looked at by no row: the caller's own notifications
// marked read, X1's draft report saved again with the content it has, new
// sessions, the plans the parent rows may create.
//
// The expectations were probed first, then read against the rules; where
// an answer is wrong the row keeps the right value and fails until the
// service or handler is fixed. The whole test takes about 3 s (the seed
// under 1 s) on a loaded 2-core machine.

// Outcome classes of a response. A row may also expect a literal status
// ("303", "405") where the class would say too little.
const (
	clsO = "O" // success: 2xx, or 303 to a page other than the sign-in form
	clsV = "V" // access granted, input refused: 400, 409, 413, 422
	clsD = "D" // denied: 403 (not a CSRF failure) or 404
	clsA = "A" // sign-in required: 401, or 303 to /login
)

// mxCallers are the matrix's columns: anonymous, then fixture users (the
// name before @t.vn).
var mxCallers = []string{"", "admin", "coord", "focal.x", "viewer.x", "focal.y", "police", "learner", "coord.z"}

func mxEmail(caller string) string {
	if caller == "" {
		return ""
	}
	return caller + "@t.vn"
}

func mxName(caller string) string {
	if caller == "" {
		return "anon"
	}
	return caller
}

// mxReq is one request of the matrix. Paths and bodies hold placeholders
// ({X1}, {plan}, …) replaced by the seeded objects' ids.
type mxReq struct {
	method, path string
	api          bool
	json         string     // API body
	form         url.Values // page form (the CSRF token is added)
	// multipart sends form (as fields) and file, if named, as a multipart
	// upload (field "file").
	multipart bool
	file      []byte
	fileName  string
	// download: on success the content type must start with this.
	download string
}

// mxRow is one row: the route it probes, a label when a route has several
// rows, the request, and the outcome per caller (mxCallers order).
type mxRow struct {
	route, label string
	req          mxReq
	want         string
	// scratch makes a fresh target for each caller before the request; the
	// values it returns fill placeholders like {s}.
	scratch func(t *testing.T, w *mxWorld, caller string) map[string]string
	// session signs the caller in anew for this request (routes that end
	// or replace the session).
	session bool
	// checks run after each caller's request (what must not leak, what
	// must not have changed).
	checks []mxCheck
}

// mxCheck looks at one caller's answer; extra holds the row's scratch
// placeholders.
type mxCheck func(t *testing.T, w *mxWorld, caller, class, body string, extra map[string]string)

// mxShows checks that a successful answer holds text exactly for the
// callers named.
func mxShows(text string, callers ...string) mxCheck {
	return func(t *testing.T, w *mxWorld, caller, class, body string, extra map[string]string) {
		t.Helper()
		if class != clsO {
			return
		}
		if got, want := strings.Contains(body, text), slices.Contains(callers, caller); got != want {
			t.Errorf("%s: answer shows %q = %v, want %v", mxName(caller), text, got, want)
		}
	}
}

// mxHides checks that no answer, whatever its status, holds text for the
// callers named.
func mxHides(text string, callers ...string) mxCheck {
	return func(t *testing.T, w *mxWorld, caller, class, body string, extra map[string]string) {
		t.Helper()
		if slices.Contains(callers, caller) && strings.Contains(body, text) {
			t.Errorf("%s: answer (%s) shows %q", mxName(caller), class, text)
		}
	}
}

func mxGet(path string) mxReq    { return mxReq{method: "GET", path: path} }
func mxAPIGet(path string) mxReq { return mxReq{method: "GET", path: path, api: true} }
func mxAPIDel(path string) mxReq { return mxReq{method: "DELETE", path: path, api: true} }
func mxPost(path string, kv ...string) mxReq {
	return mxReq{method: "POST", path: path, form: mxForm(kv...)}
}
func mxAPI(method, path, body string) mxReq {
	return mxReq{method: method, path: path, api: true, json: body}
}
func mxDL(r mxReq, ctype string) mxReq { r.download = ctype; return r }
func mxUpload(r mxReq, name string, data []byte) mxReq {
	r.multipart, r.file, r.fileName = true, data, name
	if r.form == nil {
		r.form = url.Values{}
	}
	return r
}

func mxForm(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// Content types of downloads.
const (
	ctXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ctDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	ctPDF  = "application/pdf"
	ctCSV  = "text/csv"
	ctPNG  = "image/png"
)

// mxWorld is the seeded fixture: two provinces with one user per role and
// the objects every route needs.
type mxWorld struct {
	f       *webtest.Fixture
	ids     map[string]string // placeholder → value
	clients map[string]*mxClient
	n       int // scratch counter
}

// mxClient is a signed-in form client with its CSRF token.
type mxClient struct {
	http *http.Client
	csrf string
}

var mxCSRFRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// signIn opens a browser session for caller (anonymous: a client holding
// the pre-sign-in CSRF cookie) and reads its form token from a page.
func (w *mxWorld) signIn(t *testing.T, caller string) *mxClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &mxClient{http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	_, _, body, _ := c.do(t, w, "GET", "/login", nil, "")
	m := mxCSRFRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the sign-in page has no CSRF token")
	}
	c.csrf = m[1]
	if caller == "" {
		return c
	}
	status, loc, _, _ := c.do(t, w, "POST", "/login", strings.NewReader(url.Values{"csrf_token": {c.csrf},
		"email": {mxEmail(caller)}, "password": {webtest.Password}}.Encode()), "application/x-www-form-urlencoded")
	if status != http.StatusSeeOther || loc == "" || strings.HasPrefix(loc, "/login") {
		t.Fatalf("sign in as %s: %d %s", caller, status, loc)
	}
	_, _, body, _ = c.do(t, w, "GET", "/account", nil, "")
	if m = mxCSRFRe.FindStringSubmatch(body); m == nil {
		t.Fatalf("%s: the account page has no CSRF token", caller)
	}
	c.csrf = m[1]
	return c
}

func (c *mxClient) do(t *testing.T, w *mxWorld, method, path string, body io.Reader, ctype string) (status int, loc, text, contentType string) {
	t.Helper()
	req, err := http.NewRequest(method, w.f.Server.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b), resp.Header.Get("Content-Type")
}

// fill replaces the placeholders of s.
func (w *mxWorld) fill(s string, extra map[string]string) string {
	var pairs []string
	for k, v := range extra {
		pairs = append(pairs, k, v)
	}
	for k, v := range w.ids {
		pairs = append(pairs, k, v)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// fx is the fixture reporting to t (for the API helpers' checks).
func (w *mxWorld) fx(t *testing.T) *webtest.Fixture {
	f := *w.f
	f.T = t
	return &f
}

// api calls the API as caller and fails t unless it answers want.
func (w *mxWorld) api(t *testing.T, method, path, caller, body string, want int) string {
	t.Helper()
	status, resp := w.fx(t).API(method, w.fill(path, nil), mxEmail(caller), w.fill(body, nil))
	if status != want {
		t.Fatalf("seed: %s %s as %s: %d, want %d: %s", method, path, mxName(caller), status, want, resp)
	}
	return resp
}

// apiID is api returning the "id" of the object created.
func (w *mxWorld) apiID(t *testing.T, method, path, caller, body string, want int) string {
	t.Helper()
	var out struct {
		ID int64 `json:"id"`
	}
	webtest.Decode(t, w.api(t, method, path, caller, body, want), &out)
	if out.ID == 0 {
		t.Fatalf("seed: %s %s: no id", method, path)
	}
	return fmt.Sprint(out.ID)
}

func (w *mxWorld) scratchName(prefix string) string {
	w.n++
	return fmt.Sprintf("%s%d", prefix, w.n)
}

// mxPNG is the evidence file.
var mxPNG = []byte("\x89PNG\r\n\x1a\n bien ban hoi nghi")

// Distinctive words of X1's draft plan, which must not leak.
const (
	mxDraftNumber = "77/KH-NHAP-NP"
	mxDraftTitle  = "Kế hoạch nháp kín của Nghi Phong"
)

// seed builds the world through the API as the fixture's users, so the
// seed itself goes through the rules.
func mxSeed(t *testing.T) *mxWorld {
	t.Helper()
	f := webtest.New(t, store.SQLite, webtest.SecondProvince())
	w := &mxWorld{f: f, ids: map[string]string{}, clients: map[string]*mxClient{}}
	for code, id := range f.Units {
		w.ids["{"+code+"}"] = fmt.Sprint(id)
	}
	for email, id := range f.Users {
		w.ids["{user:"+strings.TrimSuffix(email, "@t.vn")+"}"] = fmt.Sprint(id)
	}
	today := dates.Today()
	w.ids["{today}"] = today.ISO()
	ctx := context.Background()

	// The built-in programmes, installed by the product at start.
	if err := f.Store.EnsureProgrammes(ctx, plans.BuiltinProgrammes()); err != nil {
		t.Fatal(err)
	}
	progs, err := f.Store.Programmes(ctx)
	if err != nil || len(progs) == 0 {
		t.Fatalf("programmes: %v", err)
	}
	w.ids["{prog}"] = fmt.Sprint(progs[0].ID)

	// An issued province plan of 40 with an indicator and a task led by X1;
	// focal.x reports progress on it with an evidence file.
	w.ids["{plan}"] = w.apiID(t, "POST", "/api/v1/plans", "coord", `{"unit_id": {40}, "number": "12/KH-UBND",
		"title": "`+mxPlanTitle+`", "status": "in_effect", "issued_on": "2022-03-01",
		"year_from": 2022, "year_to": 2026}`, 201)
	w.ids["{ind}"] = w.apiID(t, "POST", "/api/v1/plans/{plan}/indicator-definitions", "coord", `{"code": "classes",
		"name": "Số lớp tập huấn", "measure_unit": "lớp", "formula": "count(type=training_class)", "comparison": "at_least", "value": 12}`, 201)
	w.ids["{task}"] = w.apiID(t, "POST", "/api/v1/plans/{plan}/tasks", "coord", `{"section": "I. Tuyên truyền", "number": "1",
		"content": "Tuyên truyền phòng chống lừa đảo", "lead": [{X1}], "kind": "range", "year_from": 2022, "year_to": 2026}`, 201)
	status, body := f.APIUpload(w.fill("/api/v1/tasks/{task}/updates", nil), "focal.x@t.vn",
		map[string]string{"status": "in_progress", "progress": "40", "note": mxUpdateNote}, mxEvidenceName, mxPNG)
	if status != 201 {
		t.Fatalf("seed: evidence update: %d %s", status, body)
	}
	var upd struct {
		ID int64 `json:"id"`
	}
	webtest.Decode(t, body, &upd)
	w.ids["{upd}"] = fmt.Sprint(upd.ID)

	// A draft plan of X1.
	w.ids["{draft}"] = w.apiID(t, "POST", "/api/v1/plans", "focal.x", fmt.Sprintf(`{"number": %q, "title": %q,
		"year_from": 2026, "year_to": 2026}`, mxDraftNumber, mxDraftTitle), 201)

	// An activity of X1 serving the task.
	w.ids["{act}"] = w.apiID(t, "POST", "/api/v1/activities", "focal.x", `{"unit_id": {X1}, "type": "seminar",
		"title": "`+mxActivityTitle+`", "channel": "in_person", "start": "{today}", "audiences": ["civil_servants"],
		"participants": 60, "tasks": [{task}]}`, 201)

	// A report template, an open round of X1 and Y1 due in five days: X1's
	// report saved (incomplete), Y1's submitted.
	w.ids["{tpl}"] = w.apiID(t, "POST", "/api/v1/report-templates", "coord", `{"name": "Mẫu báo cáo quý",
		"fields": [{"code": "classes", "label": "Số lớp"}], "sections": [{"code": "results", "title": "Kết quả"}]}`, 201)
	w.ids["{round}"] = w.newRound(t, mxRoundTitle)
	w.api(t, "PUT", "/api/v1/report-rounds/{round}/submissions/{X1}", "focal.x", `{"values": {"classes": 3}}`, 200)
	w.api(t, "POST", "/api/v1/report-rounds/{round}/submissions/{Y1}/submit", "focal.y", mxFullReport, 200)

	// A unit import job of coord (every row invalid: it writes nothing).
	status, body = f.APIUpload("/api/v1/units/import", "coord@t.vn", nil, mxJobFile,
		[]byte("Mã,Tên,Loại,Mã đơn vị cấp trên\r\nX1-VH,,other,X1\r\n"))
	if status != http.StatusAccepted {
		t.Fatalf("seed: import job: %d %s", status, body)
	}
	var job struct {
		ID int64 `json:"id"`
	}
	webtest.Decode(t, body, &job)
	w.ids["{job}"] = fmt.Sprint(job.ID)
	for i := 0; ; i++ {
		var j struct {
			Finished bool `json:"finished"`
		}
		webtest.Decode(t, w.api(t, "GET", "/api/v1/import-jobs/{job}", "coord", "", 200), &j)
		if j.Finished {
			break
		}
		if i > 400 {
			t.Fatal("seed: the import job did not finish")
		}
		time.Sleep(25 * time.Millisecond)
	}

	// A notification for focal.x: the reminder of the round (reminders are
	// the product's own doing, written by its maintenance pass).
	if _, err := f.Store.ScheduleReminders(ctx, today); err != nil {
		t.Fatal(err)
	}
	var notes struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	webtest.Decode(t, w.api(t, "GET", "/api/v1/notifications", "focal.x", "", 200), &notes)
	if len(notes.Items) == 0 {
		t.Fatal("seed: focal.x has no notification")
	}
	w.ids["{notif}"] = fmt.Sprint(notes.Items[0].ID)

	for _, c := range mxCallers {
		w.clients[c] = w.signIn(t, c)
	}
	return w
}

// Texts of seeded objects that lists must show only to their readers.
const (
	mxPlanTitle     = "Kế hoạch phòng chống lừa đảo trực tuyến của tỉnh"
	mxActivityTitle = "Hội nghị an toàn thông tin"
	mxRoundTitle    = "Đợt báo cáo quý I"
	mxUpdateNote    = "Đã tổ chức 2 lớp"
	mxEvidenceName  = "bien-ban.png"
	mxJobFile       = "đơn vị.csv"
	mxPhone         = "0912345678" // every fixture unit's focal point (private)
)

// mxFullReport is a complete report of the matrix's template.
const mxFullReport = `{"values": {"classes": 4}, "narratives": {"results": "Đã tổ chức 4 lớp tập huấn"}}`

// newRound opens, as coord, a round of X1 and Y1 due in five days.
func (w *mxWorld) newRound(t *testing.T, title string) string {
	t.Helper()
	today := dates.Today()
	return w.apiID(t, "POST", "/api/v1/report-rounds", "coord", fmt.Sprintf(`{"template_id": {tpl}, "title": %q,
		"from": %q, "to": %q, "deadline": %q, "unit_codes": ["X1", "Y1"]}`, title,
		today.AddDays(-80).ISO(), today.ISO(), today.AddDays(5).ISO()), 201)
}

// Refusals a form shows beside a field (err.out_of_scope, err.role_grant).
const (
	mxOutOfScope = "đơn vị nằm ngoài phạm vi quản lý của bạn"
	mxNoGrant    = "bạn không được cấp vai trò này"
)

// mxClassify sorts a response into an outcome class; "csrf" marks a refused
// form token (a fault of the test, never an expected outcome).
func mxClassify(status int, loc, body string) string {
	switch {
	case status == http.StatusSeeOther && strings.HasPrefix(loc, "/login"):
		return clsA
	case status >= 200 && status < 300, status == http.StatusSeeOther:
		return clsO
	case status == http.StatusUnauthorized:
		return clsA
	case status == http.StatusForbidden && (strings.Contains(body, `"code":"csrf"`) || strings.Contains(body, "biểu mẫu đã hết hạn")):
		return "csrf"
	case status == http.StatusForbidden, status == http.StatusNotFound:
		return clsD
	case status == http.StatusUnprocessableEntity && (strings.Contains(body, mxOutOfScope) || strings.Contains(body, mxNoGrant)):
		// A form shown again with an access refusal beside the field it
		// concerns (the unit of an account): denied, not invalid.
		return clsD
	case status == http.StatusBadRequest, status == http.StatusConflict, status == http.StatusRequestEntityTooLarge,
		status == http.StatusUnprocessableEntity:
		return clsV
	}
	return fmt.Sprint(status)
}

// probe sends row's request as caller (after making its scratch target)
// and returns the class, the status, the body and the scratch placeholders.
func (w *mxWorld) probe(t *testing.T, row mxRow, caller string) (class string, status int, body string, extra map[string]string) {
	t.Helper()
	extra = map[string]string{"{me}": mxEmail(caller)}
	if caller == "" {
		extra["{me}"] = "focal.x@t.vn"
	}
	if row.scratch != nil {
		for k, v := range row.scratch(t, w, caller) {
			extra[k] = v
		}
	}
	r := row.req
	path := w.fill(r.path, extra)
	if r.api {
		fx := w.fx(t)
		var ctype string
		switch {
		case r.multipart:
			fields := map[string]string{}
			for k := range r.form {
				fields[k] = w.fill(r.form.Get(k), extra)
			}
			status, body = fx.APIUpload(path, mxEmail(caller), fields, r.fileName, r.file)
		case r.download != "":
			var b []byte
			status, ctype, b = fx.APIDownload(path, mxEmail(caller))
			body = string(b)
		default:
			status, body = fx.API(r.method, path, mxEmail(caller), w.fill(r.json, extra))
		}
		class = mxClassify(status, "", body)
		if class == clsO && r.download != "" && (!strings.HasPrefix(ctype, r.download) || body == "") {
			t.Errorf("%s %s as %s: content type %q (%d bytes), want %s", r.method, path, mxName(caller), ctype, len(body), r.download)
		}
		return class, status, body, extra
	}
	c := w.clients[caller]
	if row.session {
		c = w.signIn(t, caller)
	}
	var loc, ctype string
	switch {
	case r.method == "GET":
		status, loc, body, ctype = c.do(t, w, "GET", path, nil, "")
	case r.multipart:
		fields := url.Values{}
		for k, vs := range r.form {
			for _, v := range vs {
				fields.Add(k, w.fill(v, extra))
			}
		}
		fx := w.fx(t)
		cl := &webtest.Client{F: fx, HTTP: c.http}
		var h http.Header
		status, body, h = cl.PostMultipart(path, c.csrf, fields, r.fileName, r.file)
		loc = h.Get("Location")
	default:
		v := url.Values{}
		for k, vs := range r.form {
			for _, x := range vs {
				v.Add(k, w.fill(x, extra))
			}
		}
		v.Set("csrf_token", c.csrf)
		status, loc, body, ctype = c.do(t, w, r.method, path, strings.NewReader(v.Encode()), "application/x-www-form-urlencoded")
	}
	class = mxClassify(status, loc, body)
	if class == clsO && r.download != "" && (!strings.HasPrefix(ctype, r.download) || body == "") {
		t.Errorf("%s %s as %s: content type %q (%d bytes), want %s", r.method, path, mxName(caller), ctype, len(body), r.download)
	}
	return class, status, body, extra
}

var (
	mxMainRe = regexp.MustCompile(`(?s)<main.*`)
	mxTagRe  = regexp.MustCompile(`(?s)<[^>]*>`)
)

// mxSnippet is the start of an answer's text, for failure messages.
func mxSnippet(body string) string {
	if strings.HasPrefix(body, "<") {
		if m := mxMainRe.FindString(body); m != "" {
			body = m
		}
		body = strings.Join(strings.Fields(mxTagRe.ReplaceAllString(body, " ")), " ")
	}
	if r := []rune(body); len(r) > 200 {
		body = string(r[:200]) + "…"
	}
	return body
}

func TestHTTPAccessMatrix(t *testing.T) {
	start := time.Now()
	w := mxSeed(t)
	t.Logf("seeded in %v", time.Since(start).Round(time.Millisecond))
	rows := mxRows()

	// Every route has a row and every row a route.
	registered := map[string]bool{}
	for _, rt := range w.f.App.Web.Routes() {
		registered[rt.Pattern] = true
	}
	covered := map[string]bool{}
	for _, r := range rows {
		covered[r.route] = true
		if !registered[r.route] {
			t.Errorf("row for %q, which is not a registered route", r.route)
		}
	}
	var missing []string
	for _, rt := range w.f.App.Web.Routes() {
		if !covered[rt.Pattern] {
			missing = append(missing, rt.Pattern)
		}
	}
	if len(missing) > 0 {
		t.Errorf("registered routes without a matrix row:\n\t%s", strings.Join(missing, "\n\t"))
	}

	var observed []string
	for _, row := range rows {
		name := row.route
		if row.label != "" {
			name += " " + row.label
		}
		t.Run(strings.ReplaceAll(name, "/", "_"), func(t *testing.T) {
			want := strings.Fields(row.want)
			var got []string
			for _, caller := range mxCallers {
				class, status, body, extra := w.probe(t, row, caller)
				got = append(got, class)
				for _, check := range row.checks {
					check(t, w, caller, class, body, extra)
				}
				i := len(got) - 1
				if len(want) == len(mxCallers) && want[i] != class && want[i] != fmt.Sprint(status) {
					t.Errorf("%s: got %s (%d), want %s: %s", mxName(caller), class, status, want[i], mxSnippet(body))
				}
			}
			if len(want) != len(mxCallers) {
				t.Errorf("want has %d outcomes, not %d", len(want), len(mxCallers))
			}
			observed = append(observed, fmt.Sprintf("%-60s %s", name, strings.Join(got, " ")))
		})
	}
	var header []string
	for _, c := range mxCallers {
		header = append(header, mxName(c))
	}
	t.Logf("observed (%s):\n%s", strings.Join(header, " "), strings.Join(observed, "\n"))
	t.Logf("matrix of %d rows in %v", len(rows), time.Since(start).Round(time.Millisecond))
}

// mxRows is the matrix. want columns: anon admin coord focal.x viewer.x
// focal.y police learner coord.z. The rules read into it: province-wide
// roles (admin, coord) reach their province only; focal points write their
// unit and below, viewers read it; police read units and their own
// subtree's activities; learners see nothing but public pages and fields;
// staff read the plans issued in their province, a draft only its unit's
// readers and writers; the unit submits its report, a reviewer outside it
// reviews; coord.z reaches nothing in Nghệ An (report templates are
// shared by every province).
func mxRows() []mxRow {
	return append(mxRouteRows(), mxExtraRows()...)
}

// mxRouteRows has at least one row for every route.
func mxRouteRows() []mxRow {
	return []mxRow{
		// Core.
		{route: "GET /static/", want: "O O O O O O O O O", req: mxGet("/static/app.css")},
		{route: "GET /healthz", want: "O O O O O O O O O", req: mxGet("/healthz")},
		{route: "GET /metrics", want: "O O O O O O O O O", req: mxGet("/metrics")},
		{route: "GET /api/v1/openapi.json", want: "O O O O O O O O O", req: mxAPIGet("/api/v1/openapi.json")},

		// Units: pages.
		{route: "GET /units", want: "A O O O O O O O O", req: mxGet("/units")},
		{route: "GET /units/new", want: "A O O O D D D D D", req: mxGet("/units/new?parent={X1}")},
		{route: "POST /units/new", want: "A V V V D D D D D", req: mxPost("/units/new", "parent_code", "X1", "code", "", "name", "", "type", "other")},
		{route: "GET /units/merge", want: "A O O D D D D D O", req: mxGet("/units/merge?source={X1-THCS}")},
		{route: "POST /units/merge", want: "A V V D D D D D D", req: mxPost("/units/merge", "sources", "X1-THCS", "target_code", "", "date", "")},
		{route: "GET /units/{id}", want: "A O O O O O O O O", req: mxGet("/units/{X1}"), checks: []mxCheck{mxShows(mxPhone, "admin", "coord", "focal.x", "viewer.x")}},
		{route: "GET /units/{id}/children", want: "A O O O O O O O O", req: mxGet("/units/{X1}/children")},
		{route: "GET /units/{id}/edit", want: "A O O O D D D D D", req: mxGet("/units/{X1}/edit")},
		{route: "POST /units/{id}/edit", want: "A V V V D D D D D", req: mxPost("/units/{X1}/edit", "name", "")},
		{route: "GET /units/{id}/move", want: "A O O D D D D D D", req: mxGet("/units/{X1-THCS}/move")},
		{route: "POST /units/{id}/move", want: "A V V D D D D D D", req: mxPost("/units/{X1-THCS}/move", "parent_code", "", "date", "")},
		{route: "POST /units/{id}/close", want: "A V V D D D D D D", req: mxPost("/units/{X1-THCS}/close", "date", "")},
		{route: "GET /units/import", want: "A O O D D D D D O", req: mxGet("/units/import")},
		{route: "POST /units/import", want: "A V V D D D D D V", req: mxUpload(mxPost("/units/import"), "", nil)},
		{route: "GET /units/import/template.xlsx", want: "A O O D D D D D O", req: mxDL(mxGet("/units/import/template.xlsx"), ctXLSX)},
		{route: "GET /units/import/jobs/{id}", want: "A O O D D D D D D", req: mxGet("/units/import/jobs/{job}")},
		{route: "GET /units/import/jobs/{id}/status", want: "A O O D D D D D D", req: mxGet("/units/import/jobs/{job}/status")},
		{route: "GET /units/export", want: "A O O D D D D D O", req: mxDL(mxGet("/units/export"), ctXLSX)},
		{route: "GET /units/export", label: "csv", want: "A O O D D D D D O", req: mxDL(mxGet("/units/export?format=csv"), ctCSV), checks: []mxCheck{mxShows("X1-THCS", "admin", "coord")}},

		// Units: API.
		{route: "GET /api/v1/units", want: "A O O O O O O O O", req: mxAPIGet("/api/v1/units")},
		{route: "POST /api/v1/units", want: "A V V V D D D D D", req: mxAPI("POST", "/api/v1/units", `{"code": "", "name": "", "type": "other", "parent_id": {X1}}`)},
		{route: "GET /api/v1/units/tree", want: "A O O O O O O O O", req: mxAPIGet("/api/v1/units/tree")},
		{route: "GET /api/v1/units/pick", want: "A O O D D D D D O", req: mxAPIGet("/api/v1/units/pick?purpose=round&q=xa")},
		{route: "POST /api/v1/units/merge", want: "A V V D D D D D D", req: mxAPI("POST", "/api/v1/units/merge", `{"source_ids": [{X1-THCS}], "target_id": {X1}, "date": "hôm nay"}`)},
		{route: "POST /api/v1/units/import", want: "A V V D D D D D V", req: mxUpload(mxAPI("POST", "/api/v1/units/import", ""), "", nil)},
		{route: "GET /api/v1/units/export", want: "A O O D D D D D O", req: mxDL(mxAPIGet("/api/v1/units/export"), ctXLSX)},
		{route: "GET /api/v1/units/export", label: "csv", want: "A O O D D D D D O", req: mxDL(mxAPIGet("/api/v1/units/export?format=csv"), ctCSV), checks: []mxCheck{mxShows("X1-THCS", "admin", "coord")}},
		{route: "GET /api/v1/units/{id}", want: "A O O O O O O O O", req: mxAPIGet("/api/v1/units/{X1}"), checks: []mxCheck{mxShows(mxPhone, "admin", "coord", "focal.x", "viewer.x")}},
		{route: "PATCH /api/v1/units/{id}", want: "A V V V D D D D D", req: mxAPI("PATCH", "/api/v1/units/{X1}", `{"name": ""}`)},
		{route: "DELETE /api/v1/units/{id}", want: "A 405 405 405 405 405 405 405 405", req: mxAPIDel("/api/v1/units/{X1-THCS}")},
		{route: "POST /api/v1/units/{id}/close", want: "A V V D D D D D D", req: mxAPI("POST", "/api/v1/units/{X1-THCS}/close", `{"date": "hôm nay"}`)},
		{route: "POST /api/v1/units/{id}/move", want: "A V V D D D D D D", req: mxAPI("POST", "/api/v1/units/{X1-THCS}/move", `{"parent_id": {Y1}, "date": "hôm nay"}`)},
		{route: "GET /api/v1/units/{id}/children", want: "A O O O O O O O O", req: mxAPIGet("/api/v1/units/{X1}/children"), checks: []mxCheck{mxShows(mxPhone, "admin", "coord", "focal.x", "viewer.x")}},
		{route: "GET /api/v1/units/{id}/subtree", want: "A O O O O O O O O", req: mxAPIGet("/api/v1/units/{X1}/subtree")},
		{route: "GET /api/v1/import-jobs", want: "A O O O O O O O O", req: mxAPIGet("/api/v1/import-jobs"), checks: []mxCheck{mxShows(mxJobFile, "coord")}},
		{route: "GET /api/v1/import-jobs/{id}", want: "A O O D D D D D D", req: mxAPIGet("/api/v1/import-jobs/{job}")},
		{route: "GET /api/v1/import-jobs/{id}/report", want: "A O O D D D D D D", req: mxAPIGet("/api/v1/import-jobs/{job}/report")},

		// Accounts: pages.
		{route: "GET /lang", want: "O O O O O O O O O", req: mxGet("/lang?to=vi&back=/account")},
		{route: "GET /login", want: "O O O O O O O O O", req: mxGet("/login")},
		{route: "POST /login", want: "O O O O O O O O O", req: mxPost("/login", "email", "{me}", "password", webtest.Password), session: true},
		{route: "POST /logout", want: "303 303 303 303 303 303 303 303 303", req: mxPost("/logout"), session: true},
		{route: "GET /account", want: "A O O O O O O O O", req: mxGet("/account")},
		{route: "GET /account/password", want: "A O O O O O O O O", req: mxGet("/account/password")},
		{route: "POST /account/password", want: "A V V V V V V V V", req: mxPost("/account/password", "current", webtest.Password, "new", "ngắn", "confirm", "ngắn")},
		{route: "GET /account/tokens", want: "A O O O O O O O O", req: mxGet("/account/tokens")},
		{route: "POST /account/tokens", want: "A V V V V V V V V", req: mxPost("/account/tokens", "name", "")},
		{route: "POST /account/tokens/{id}/revoke", want: "A D D O D D D D D", req: mxPost("/account/tokens/{s}/revoke"), scratch: mxScratchToken},
		{route: "GET /users/tokens", want: "A O O O D O D D O", req: mxGet("/users/tokens?all=1")},
		{route: "POST /users/tokens/{id}/revoke", want: "A O O O D D D D D", req: mxPost("/users/tokens/{s}/revoke"), scratch: mxScratchToken},
		{route: "GET /users", want: "A O O O O O D D O", req: mxGet("/users"), checks: []mxCheck{mxShows("viewer.x@t.vn", "admin", "coord", "focal.x", "viewer.x")}},
		{route: "GET /users/new", want: "A O O O D O D D O", req: mxGet("/users/new")},
		{route: "POST /users/new", want: "A V V V D D D D D", req: mxPost("/users/new", "name", "", "email", "", "unit_code", "X1", "roles", "viewer")},
		{route: "GET /users/{id}/edit", want: "A O O O D D D D D", req: mxGet("/users/{user:viewer.x}/edit")},
		{route: "POST /users/{id}/edit", want: "A V V V D D D D D", req: mxPost("/users/{user:viewer.x}/edit", "name", "", "email", "viewer.x@t.vn", "unit_code", "X1", "roles", "viewer")},
		{route: "POST /users/{id}/password", want: "A O O O D D D D D", req: mxPost("/users/{s}/password"), scratch: mxScratchUser},
		{route: "POST /users/{id}/unlock", want: "A O O O D D D D D", req: mxPost("/users/{s}/unlock"), scratch: mxScratchUser},
		{route: "GET /audit", want: "A O O D D D D D O", req: mxGet("/audit"), checks: []mxCheck{mxShows("focal.x@t.vn", "admin", "coord")}},

		// Accounts: API.
		{route: "POST /api/v1/auth/login", want: "V V V V V V V V V", req: mxAPI("POST", "/api/v1/auth/login", `{"email": "{me}", "password": "`+webtest.Password+`", "token_name": "`+strings.Repeat("x", 300)+`"}`)},
		{route: "GET /api/v1/me", want: "A O O O O O O O O", req: mxAPIGet("/api/v1/me")},
		{route: "POST /api/v1/me/password", want: "A V V V V V V V V", req: mxAPI("POST", "/api/v1/me/password", `{"current": "`+webtest.Password+`", "new": "ngắn"}`)},
		{route: "GET /api/v1/users", want: "A O O O O O D D O", req: mxAPIGet("/api/v1/users"), checks: []mxCheck{mxShows("viewer.x@t.vn", "admin", "coord", "focal.x", "viewer.x")}},
		{route: "POST /api/v1/users", want: "A V V V D D D D D", req: mxAPI("POST", "/api/v1/users", `{"email": "not-an-address", "name": "", "unit_id": {X1}, "roles": ["viewer"], "password": "short"}`)},
		{route: "GET /api/v1/users/{id}", want: "A O O O O D D D D", req: mxAPIGet("/api/v1/users/{user:viewer.x}")},
		{route: "PATCH /api/v1/users/{id}", want: "A V V V D D D D D", req: mxAPI("PATCH", "/api/v1/users/{user:viewer.x}", `{"name": ""}`)},
		{route: "POST /api/v1/users/{id}/password-reset", want: "A O O O D D D D D", req: mxAPI("POST", "/api/v1/users/{s}/password-reset", ""), scratch: mxScratchUser},
		{route: "POST /api/v1/users/{id}/unlock", want: "A O O O D D D D D", req: mxAPI("POST", "/api/v1/users/{s}/unlock", ""), scratch: mxScratchUser},
		{route: "GET /api/v1/tokens", want: "A O O O O O O O O", req: mxAPIGet("/api/v1/tokens")},
		{route: "POST /api/v1/tokens", want: "A V V V V V V V V", req: mxAPI("POST", "/api/v1/tokens", `{"name": "  "}`)},
		{route: "DELETE /api/v1/tokens/{id}", want: "A D D O D D D D D", req: mxAPIDel("/api/v1/tokens/{s}"), scratch: mxScratchToken},
		{route: "GET /api/v1/admin/tokens", want: "A O O O D O D D O", req: mxAPIGet("/api/v1/admin/tokens?all=1")},
		{route: "DELETE /api/v1/admin/tokens/{id}", want: "A O O O D D D D D", req: mxAPIDel("/api/v1/admin/tokens/{s}"), scratch: mxScratchToken},
		{route: "GET /api/v1/audit", want: "A O O D D D D D O", req: mxAPIGet("/api/v1/audit"), checks: []mxCheck{mxShows("focal.x@t.vn", "admin", "coord")}},

		// Home and notifications.
		{route: "GET /{$}", want: "A O O O O O O O O", req: mxGet("/")},
		{route: "GET /api/v1/home", want: "A O O O O O O O O", req: mxAPIGet("/api/v1/home")},
		{route: "GET /notifications", want: "A O O O O O O O O", req: mxGet("/notifications"), checks: []mxCheck{mxShows(mxRoundTitle, "focal.x", "admin", "coord")}},
		{route: "POST /notifications/read", want: "A O O O O O O O O", req: mxPost("/notifications/read")},
		{route: "GET /api/v1/notifications", want: "A O O O O O O O O", req: mxAPIGet("/api/v1/notifications"), checks: []mxCheck{mxShows(mxRoundTitle, "focal.x", "admin", "coord")}},
		{route: "GET /api/v1/notifications/unread-count", want: "A O O O O O O O O", req: mxAPIGet("/api/v1/notifications/unread-count")},
		{route: "POST /api/v1/notifications/read", want: "A V V V V V V V V", req: mxAPI("POST", "/api/v1/notifications/read", `{"ids": [0]}`)},

		// Plans: pages.
		{route: "GET /plans", want: "A O O O O O O D O", req: mxGet("/plans"), checks: []mxCheck{mxShows(mxDraftTitle, "admin", "coord", "focal.x", "viewer.x"), mxShows(mxPlanTitle, "admin", "coord", "focal.x", "viewer.x", "focal.y", "police")}},
		{route: "GET /plans/new", want: "A O O O D O D D O", req: mxGet("/plans/new")},
		{route: "POST /plans/new", want: "A V V V D D D D D", req: mxPost("/plans/new", "unit", "{X1}", "title", "")},
		{route: "GET /plans/{id}", label: "province plan", want: "A O O O O O O D D", req: mxGet("/plans/{plan}")},
		{route: "GET /plans/{id}", label: "X1 draft", want: "A O O O O D D D D", req: mxGet("/plans/{draft}")},
		{route: "GET /plans/{id}/edit", want: "A O O O D D D D D", req: mxGet("/plans/{draft}/edit")},
		{route: "POST /plans/{id}/edit", want: "A V V V D D D D D", req: mxPost("/plans/{draft}/edit", "title", "")},
		{route: "POST /plans/{id}/indicators", want: "A V V V D D D D D", req: mxPost("/plans/{draft}/indicators", "code", "")},
		{route: "POST /plans/{id}/indicators/{ind}/delete", want: "A O O O D D D D D", req: mxPost("/plans/{draft}/indicators/{s}/delete"), scratch: mxScratchIndicator},
		{route: "GET /plans/{id}/dashboard", want: "A O O O O O O D D", req: mxGet("/plans/{plan}/dashboard")},
		{route: "GET /plans/{id}/dashboard", label: "unit X1", want: "A O O O O D D D D", req: mxGet("/plans/{plan}/dashboard?unit={X1}")},
		{route: "GET /plans/{id}/dashboard", label: "X1 draft", want: "A O O O O D D D D", req: mxGet("/plans/{draft}/dashboard")},
		// The provinces page reads as the dashboard does (a province plan
		// has no provinces under it: an empty page).
		{route: "GET /plans/{id}/provinces", want: "A O O O O O O D D", req: mxGet("/plans/{plan}/provinces")},
		{route: "GET /plans/{id}/provinces", label: "unit X1", want: "A O O O O D D D D", req: mxGet("/plans/{plan}/provinces?unit={X1}")},
		{route: "GET /plans/{id}/dashboard.xlsx", want: "A O O O O O O D D", req: mxDL(mxGet("/plans/{plan}/dashboard.xlsx"), ctXLSX)},
		{route: "GET /plans/{id}/indicators/{ind}/breakdown", want: "A O O O O O O D D", req: mxGet("/plans/{plan}/indicators/{ind}/breakdown")},
		{route: "GET /plans/{id}/indicators/{ind}/breakdown.xlsx", want: "A O O O O O O D D", req: mxDL(mxGet("/plans/{plan}/indicators/{ind}/breakdown.xlsx"), ctXLSX)},

		// Plans: API.
		{route: "GET /api/v1/programmes", want: "A O O O O O O D O", req: mxAPIGet("/api/v1/programmes")},
		{route: "GET /api/v1/programmes/{id}", want: "A O O O O O O D O", req: mxAPIGet("/api/v1/programmes/{prog}")},
		{route: "GET /api/v1/plans", want: "A O O O O O O D O", req: mxAPIGet("/api/v1/plans"), checks: []mxCheck{mxShows(mxDraftTitle, "admin", "coord", "focal.x", "viewer.x"), mxShows(mxPlanTitle, "admin", "coord", "focal.x", "viewer.x", "focal.y", "police")}},
		{route: "POST /api/v1/plans", want: "A V V V D D D D D", req: mxAPI("POST", "/api/v1/plans", `{"unit_id": {X1}, "title": ""}`)},
		{route: "GET /api/v1/plans/{id}", label: "province plan", want: "A O O O O O O D D", req: mxAPIGet("/api/v1/plans/{plan}")},
		{route: "GET /api/v1/plans/{id}", label: "X1 draft", want: "A O O O O D D D D", req: mxAPIGet("/api/v1/plans/{draft}")},
		{route: "PATCH /api/v1/plans/{id}", want: "A V V V D D D D D", req: mxAPI("PATCH", "/api/v1/plans/{draft}", `{"title": ""}`)},
		{route: "POST /api/v1/plans/{id}/status", want: "A V V V D D D D D", req: mxAPI("POST", "/api/v1/plans/{draft}/status", `{"status": "archived"}`)},
		{route: "GET /api/v1/plans/{id}/indicator-definitions", want: "A O O O O O O D D", req: mxAPIGet("/api/v1/plans/{plan}/indicator-definitions")},
		{route: "GET /api/v1/plans/{id}/indicator-definitions", label: "X1 draft", want: "A O O O O D D D D", req: mxAPIGet("/api/v1/plans/{draft}/indicator-definitions")},
		{route: "POST /api/v1/plans/{id}/indicator-definitions", want: "A V V V D D D D D", req: mxAPI("POST", "/api/v1/plans/{draft}/indicator-definitions", `{"code": ""}`)},
		{route: "GET /api/v1/indicators/{id}", want: "A O O O O O O D D", req: mxAPIGet("/api/v1/indicators/{ind}")},
		{route: "PATCH /api/v1/indicators/{id}", want: "A V V D D D D D D", req: mxAPI("PATCH", "/api/v1/indicators/{ind}", `{"formula": "count(type="}`)},
		{route: "DELETE /api/v1/indicators/{id}", want: "A O O O D D D D D", req: mxAPIDel("/api/v1/indicators/{s}"), scratch: mxScratchIndicator},
		{route: "POST /api/v1/indicators/check", want: "A O O O O D D D D", req: mxAPI("POST", "/api/v1/indicators/check", `{"plan_id": {draft}, "code": "x", "name": "x", "formula": "count(type=", "comparison": "at_least", "value": 1}`)},
		{route: "GET /api/v1/plans/{id}/indicators", want: "A O O O O O O D D", req: mxAPIGet("/api/v1/plans/{plan}/indicators")},
		{route: "GET /api/v1/plans/{id}/indicators", label: "unit X1", want: "A O O O O D D D D", req: mxAPIGet("/api/v1/plans/{plan}/indicators?unit={X1}")},
		{route: "GET /api/v1/plans/{id}/provinces", want: "A O O O O O O D D", req: mxAPIGet("/api/v1/plans/{plan}/provinces")},
		{route: "GET /api/v1/plans/{id}/provinces", label: "unit X1", want: "A O O O O D D D D", req: mxAPIGet("/api/v1/plans/{plan}/provinces?unit={X1}")},
		{route: "GET /api/v1/plans/{id}/indicators.xlsx", want: "A O O O O O O D D", req: mxDL(mxAPIGet("/api/v1/plans/{plan}/indicators.xlsx"), ctXLSX)},
		{route: "GET /api/v1/plans/{id}/indicators/{ind}/breakdown", want: "A O O O O O O D D", req: mxAPIGet("/api/v1/plans/{plan}/indicators/{ind}/breakdown")},
		{route: "GET /api/v1/plans/{id}/indicators/{ind}/breakdown.xlsx", want: "A O O O O O O D D", req: mxDL(mxAPIGet("/api/v1/plans/{plan}/indicators/{ind}/breakdown.xlsx"), ctXLSX)},

		// Tasks: pages.
		{route: "GET /tasks/mine", want: "A O O O O O O D O", req: mxGet("/tasks/mine")},
		{route: "GET /plans/{id}/tasks/new", want: "A O O D D D D D D", req: mxGet("/plans/{plan}/tasks/new")},
		{route: "POST /plans/{id}/tasks/new", want: "A V V D D D D D D", req: mxPost("/plans/{plan}/tasks/new", "content", "")},
		{route: "GET /tasks/{id}", want: "A O O O O O O D D", req: mxGet("/tasks/{task}"), checks: []mxCheck{mxShows(mxUpdateNote, "admin", "coord", "focal.x", "viewer.x"), mxShows(mxEvidenceName, "admin", "coord", "focal.x", "viewer.x")}},
		{route: "GET /tasks/{id}/edit", want: "A O O D D D D D D", req: mxGet("/tasks/{task}/edit")},
		{route: "POST /tasks/{id}/edit", want: "A V V D D D D D D", req: mxPost("/tasks/{task}/edit", "content", "")},
		{route: "POST /tasks/{id}/delete", want: "A O O D D D D D D", req: mxPost("/tasks/{s}/delete"), scratch: mxScratchTask},
		{route: "POST /tasks/{id}/updates", want: "A V V V D D D D D", req: mxUpload(mxPost("/tasks/{task}/updates"), "", nil)},
		{route: "GET /tasks/updates/{id}/file", want: "A O O O O D D D D", req: mxDL(mxGet("/tasks/updates/{upd}/file"), ctPNG)},
		{route: "GET /plans/{id}/import", want: "A O O D D D D D D", req: mxGet("/plans/{plan}/import")},
		{route: "POST /plans/{id}/import", want: "A V V D D D D D D", req: mxUpload(mxPost("/plans/{plan}/import", "text", ""), "", nil)},
		{route: "POST /plans/{id}/import/confirm", want: "A V V D D D D D D", req: mxPost("/plans/{plan}/import/confirm")},

		// Tasks: API.
		{route: "GET /api/v1/plans/{id}/tasks", want: "A O O O O O O D D", req: mxAPIGet("/api/v1/plans/{plan}/tasks")},
		{route: "GET /api/v1/plans/{id}/tasks", label: "X1 draft", want: "A O O O O D D D D", req: mxAPIGet("/api/v1/plans/{draft}/tasks")},
		{route: "POST /api/v1/plans/{id}/tasks", want: "A V V D D D D D D", req: mxAPI("POST", "/api/v1/plans/{plan}/tasks", `{"content": ""}`)},
		{route: "GET /api/v1/tasks/mine", want: "A O O O O O O D O", req: mxAPIGet("/api/v1/tasks/mine")},
		{route: "GET /api/v1/tasks/{id}", want: "A O O O O O O D D", req: mxAPIGet("/api/v1/tasks/{task}")},
		{route: "PATCH /api/v1/tasks/{id}", want: "A V V D D D D D D", req: mxAPI("PATCH", "/api/v1/tasks/{task}", `{"content": ""}`)},
		{route: "DELETE /api/v1/tasks/{id}", want: "A O O D D D D D D", req: mxAPIDel("/api/v1/tasks/{s}"), scratch: mxScratchTask},
		{route: "GET /api/v1/tasks/{id}/updates", want: "A O O O O O O D D", req: mxAPIGet("/api/v1/tasks/{task}/updates"), checks: []mxCheck{mxShows(mxUpdateNote, "admin", "coord", "focal.x", "viewer.x"), mxShows(mxEvidenceName, "admin", "coord", "focal.x", "viewer.x")}},
		{route: "POST /api/v1/tasks/{id}/updates", want: "A V V V D D D D D", req: mxAPI("POST", "/api/v1/tasks/{task}/updates", `{}`)},
		{route: "GET /api/v1/task-updates/{id}/evidence", want: "A O O O O D D D D", req: mxDL(mxAPIGet("/api/v1/task-updates/{upd}/evidence"), ctPNG)},
		{route: "POST /api/v1/plans/{id}/import", want: "A V V D D D D D D", req: mxAPI("POST", "/api/v1/plans/{plan}/import", `{"text": ""}`)},
		{route: "POST /api/v1/plans/{id}/import/confirm", want: "A V V D D D D D D", req: mxAPI("POST", "/api/v1/plans/{plan}/import/confirm", `{}`)},

		// Activities: pages.
		{route: "GET /activities", want: "A O O O O O O D O", req: mxGet("/activities"), checks: []mxCheck{mxShows(mxActivityTitle, "admin", "coord", "focal.x", "viewer.x")}},
		{route: "GET /activities/new", want: "A O O O D O D D O", req: mxGet("/activities/new")},
		{route: "POST /activities/new", want: "A V V V D D D D D", req: mxPost("/activities/new", "unit", "{X1}", "unit_code", "X1", "title", "")},
		{route: "GET /activities/import", want: "A O O O D O D D O", req: mxGet("/activities/import")},
		{route: "POST /activities/import", want: "A V V V D V D D V", req: mxUpload(mxPost("/activities/import"), "", nil)},
		{route: "GET /activities/import/template.xlsx", want: "A O O O D O D D O", req: mxDL(mxGet("/activities/import/template.xlsx"), ctXLSX)},
		{route: "GET /activities/{id}", want: "A O O O O D D D D", req: mxGet("/activities/{act}")},
		{route: "GET /activities/{id}/edit", want: "A O O O D D D D D", req: mxGet("/activities/{act}/edit")},
		{route: "POST /activities/{id}/edit", want: "A V V V D D D D D", req: mxPost("/activities/{act}/edit", "unit", "{X1}", "unit_code", "X1", "title", "")},
		{route: "GET /activities/{id}/delete", want: "A O O O D D D D D", req: mxGet("/activities/{act}/delete")},
		{route: "POST /activities/{id}/delete", want: "A O O O D D D D D", req: mxPost("/activities/{s}/delete"), scratch: mxScratchActivity},

		// Activities: API.
		{route: "GET /api/v1/activities", want: "A O O O O O O D O", req: mxAPIGet("/api/v1/activities"), checks: []mxCheck{mxShows(mxActivityTitle, "admin", "coord", "focal.x", "viewer.x")}},
		{route: "POST /api/v1/activities", want: "A V V V D D D D D", req: mxAPI("POST", "/api/v1/activities", `{"unit_id": {X1}, "title": ""}`)},
		{route: "POST /api/v1/activities/import", want: "A V V V D V D D V", req: mxUpload(mxAPI("POST", "/api/v1/activities/import", ""), "", nil)},
		{route: "GET /api/v1/activities/import/template.xlsx", want: "A O O O D O D D O", req: mxDL(mxAPIGet("/api/v1/activities/import/template.xlsx"), ctXLSX)},
		{route: "GET /api/v1/activities/{id}", want: "A O O O O D D D D", req: mxAPIGet("/api/v1/activities/{act}")},
		{route: "PATCH /api/v1/activities/{id}", want: "A V V V D D D D D", req: mxAPI("PATCH", "/api/v1/activities/{act}", `{"title": ""}`)},
		{route: "DELETE /api/v1/activities/{id}", want: "A O O O D D D D D", req: mxAPIDel("/api/v1/activities/{s}"), scratch: mxScratchActivity},

		// Reports: pages. Templates are shared by every province (coord.z
		// reads them, but may not reshape one a Nghệ An round uses); a round
		// naming X1 is refused to coord.z on its units (422).
		{route: "GET /reports", want: "A O O O O O D D O", req: mxGet("/reports"), checks: []mxCheck{mxShows(mxRoundTitle, "admin", "coord", "focal.x", "viewer.x", "focal.y")}},
		{route: "GET /reports/templates", want: "A O O D D D D D O", req: mxGet("/reports/templates")},
		{route: "GET /reports/templates/new", want: "A O O D D D D D O", req: mxGet("/reports/templates/new")},
		{route: "POST /reports/templates/new", want: "A V V D D D D D V", req: mxPost("/reports/templates/new", "name", "")},
		{route: "GET /reports/templates/{id}", want: "A O O D D D D D O", req: mxGet("/reports/templates/{tpl}")},
		{route: "POST /reports/templates/{id}", want: "A V V D D D D D D", req: mxPost("/reports/templates/{tpl}", "name", "")},
		{route: "GET /reports/rounds/new", want: "A O O D D D D D O", req: mxGet("/reports/rounds/new")},
		{route: "POST /reports/rounds/new", want: "A V V D D D D D V", req: mxPost("/reports/rounds/new", "template", "{tpl}", "title", "", "units", "X1")},
		{route: "GET /reports/rounds/{id}", want: "A O O O O O D D D", req: mxGet("/reports/rounds/{round}")},
		{route: "POST /reports/rounds/{id}/status", want: "A V V D D D D D D", req: mxPost("/reports/rounds/{round}/status", "status", "bogus")},
		// Reminding is for whoever manages the round (on a scratch round, so
		// the shared one's units get no notification).
		{route: "POST /reports/rounds/{id}/remind", want: "A O O D D D D D D", req: mxPost("/reports/rounds/{s}/remind"), scratch: mxRoundIn("missing")},
		{route: "GET /reports/rounds/{id}/units/{unit}", want: "A O O O O D D D D", req: mxGet("/reports/rounds/{round}/units/{X1}")},
		{route: "POST /reports/rounds/{id}/units/{unit}", want: "A D D O D D D D D", req: mxPost("/reports/rounds/{round}/units/{X1}", "action", "save", "v-classes", "3")},
		{route: "POST /reports/rounds/{id}/units/{unit}/fill", want: "A D D V D D D D D", req: mxPost("/reports/rounds/{round}/units/{X1}/fill", "source", "{round}")},
		{route: "GET /reports/rounds/{id}/report.docx", want: "A O O D D D D D D", req: mxDL(mxGet("/reports/rounds/{round}/report.docx"), ctDOCX)},
		{route: "GET /reports/rounds/{id}/report.pdf", want: "A O O D D D D D D", req: mxDL(mxGet("/reports/rounds/{round}/report.pdf"), ctPDF)},
		{route: "GET /reports/rounds/{id}/figures.xlsx", want: "A O O D D D D D D", req: mxDL(mxGet("/reports/rounds/{round}/figures.xlsx"), ctXLSX)},
		{route: "GET /reports/rounds/{id}/completeness.xlsx", want: "A O O D D D D D D", req: mxDL(mxGet("/reports/rounds/{round}/completeness.xlsx"), ctXLSX)},

		// Reports: API.
		{route: "GET /api/v1/report-templates", want: "A O O D D D D D O", req: mxAPIGet("/api/v1/report-templates")},
		{route: "POST /api/v1/report-templates", want: "A V V D D D D D V", req: mxAPI("POST", "/api/v1/report-templates", `{"name": ""}`)},
		{route: "GET /api/v1/report-templates/{id}", want: "A O O D D D D D O", req: mxAPIGet("/api/v1/report-templates/{tpl}")},
		{route: "PATCH /api/v1/report-templates/{id}", want: "A V V D D D D D D", req: mxAPI("PATCH", "/api/v1/report-templates/{tpl}", `{"name": ""}`)},
		{route: "GET /api/v1/report-rounds", want: "A O O O O O D D O", req: mxAPIGet("/api/v1/report-rounds"), checks: []mxCheck{mxShows(mxRoundTitle, "admin", "coord", "focal.x", "viewer.x", "focal.y")}},
		{route: "POST /api/v1/report-rounds", want: "A V V D D D D D V", req: mxAPI("POST", "/api/v1/report-rounds", `{"template_id": {tpl}, "title": "", "unit_codes": ["X1"]}`)},
		{route: "GET /api/v1/report-rounds/{id}", want: "A O O D D D D D D", req: mxAPIGet("/api/v1/report-rounds/{round}")},
		{route: "POST /api/v1/report-rounds/{id}/status", want: "A V V D D D D D D", req: mxAPI("POST", "/api/v1/report-rounds/{round}/status", `{"status": "bogus"}`)},
		{route: "POST /api/v1/report-rounds/{id}/remind", want: "A O O D D D D D D", req: mxAPI("POST", "/api/v1/report-rounds/{s}/remind", ""), scratch: mxRoundIn("missing")},
		{route: "GET /api/v1/report-rounds/{id}/units", want: "A O O D D D D D D", req: mxAPIGet("/api/v1/report-rounds/{round}/units")},
		{route: "GET /api/v1/report-rounds/{id}/submissions/{unit}", want: "A O O O O D D D D", req: mxAPIGet("/api/v1/report-rounds/{round}/submissions/{X1}")},
		{route: "PUT /api/v1/report-rounds/{id}/submissions/{unit}", want: "A D D O D D D D D", req: mxAPI("PUT", "/api/v1/report-rounds/{round}/submissions/{X1}", `{"values": {"classes": 3}}`)},
		{route: "POST /api/v1/report-rounds/{id}/submissions/{unit}/submit", want: "A D D V D D D D D", req: mxAPI("POST", "/api/v1/report-rounds/{round}/submissions/{X1}/submit", "")},
		// X1's report is not submitted in the shared round: its writer may
		// withdraw, but not now (409).
		{route: "POST /api/v1/report-rounds/{id}/submissions/{unit}/withdraw", want: "A D D V D D D D D", req: mxAPI("POST", "/api/v1/report-rounds/{round}/submissions/{X1}/withdraw", "")},
		{route: "POST /api/v1/report-rounds/{id}/submissions/{unit}/return", want: "A V V D D D D D D", req: mxAPI("POST", "/api/v1/report-rounds/{round}/submissions/{Y1}/return", `{"comment": " "}`)},
		{route: "POST /api/v1/report-rounds/{id}/submissions/{unit}/accept", want: "A V V D D D D D D", req: mxAPI("POST", "/api/v1/report-rounds/{round}/submissions/{X1}/accept", "")},
		{route: "POST /api/v1/report-rounds/{id}/submissions/{unit}/reopen", want: "A V V D D D D D D", req: mxAPI("POST", "/api/v1/report-rounds/{round}/submissions/{X1}/reopen", "")},
		{route: "GET /api/v1/report-rounds/{id}/submissions/{unit}/history", want: "A O O O O D D D D", req: mxAPIGet("/api/v1/report-rounds/{round}/submissions/{X1}/history")},
		// Filling from a round is for a province's answer to a round issued
		// above it: X1's writer hears that this is not one, everyone else is
		// refused (reportsweb's tests run the national flow).
		{route: "GET /api/v1/report-rounds/{id}/submissions/{unit}/sources", want: "A D D V D D D D D", req: mxAPIGet("/api/v1/report-rounds/{round}/submissions/{X1}/sources")},
		{route: "POST /api/v1/report-rounds/{id}/submissions/{unit}/fill/preview", want: "A D D V D D D D D", req: mxAPI("POST", "/api/v1/report-rounds/{round}/submissions/{X1}/fill/preview", `{"source_round_id": {round}}`)},
		{route: "POST /api/v1/report-rounds/{id}/submissions/{unit}/fill", want: "A D D V D D D D D", req: mxAPI("POST", "/api/v1/report-rounds/{round}/submissions/{X1}/fill", `{"source_round_id": {round}}`)},
		{route: "GET /api/v1/report-rounds/{id}/document.docx", want: "A O O D D D D D D", req: mxDL(mxAPIGet("/api/v1/report-rounds/{round}/document.docx"), ctDOCX)},
		{route: "GET /api/v1/report-rounds/{id}/document.pdf", want: "A O O D D D D D D", req: mxDL(mxAPIGet("/api/v1/report-rounds/{round}/document.pdf"), ctPDF)},
		{route: "GET /api/v1/report-rounds/{id}/document.xlsx", want: "A O O D D D D D D", req: mxDL(mxAPIGet("/api/v1/report-rounds/{round}/document.xlsx"), ctXLSX)},
		{route: "GET /api/v1/report-rounds/{id}/completeness.xlsx", want: "A O O D D D D D D", req: mxDL(mxAPIGet("/api/v1/report-rounds/{round}/completeness.xlsx"), ctXLSX)},
		{route: "GET /reports/rounds/{id}/sign-off", want: "A O O D D D D D D", req: mxGet("/reports/rounds/{round}/sign-off")},
		{route: "POST /reports/rounds/{id}/sign-off", want: "A V V D D D D D D", req: mxPost("/reports/rounds/{round}/sign-off", "signer_name", mxTooLong)},
		{route: "PUT /api/v1/report-rounds/{id}/sign-off", want: "A V V D D D D D D", req: mxAPI("PUT", "/api/v1/report-rounds/{round}/sign-off", `{"signer_name": "`+mxTooLong+`"}`)},

		// Settings: each administrator edits their own province's; the
		// deployment's belong to the administrator of the only tree root,
		// and this fixture holds two provinces side by side, so nobody here
		// edits them (settingsweb's tests cover a single province).
		{route: "GET /settings", want: "A O D D D D D D D", req: mxGet("/settings"), checks: []mxCheck{mxHides("smtp_host", "admin")}},
		{route: "POST /settings", want: "A V D D D D D D D", req: mxPost("/settings", "symbol", "BC SKHCN!")},
		{route: "POST /settings/deployment", want: "A D D D D D D D D", req: mxPost("/settings/deployment", "smtp_port", "x")},
		{route: "POST /settings/test-email", want: "A D D D D D D D D", req: mxPost("/settings/test-email")},
		{route: "GET /api/v1/settings", want: "A O D D D D D D D", req: mxAPIGet("/api/v1/settings"), checks: []mxCheck{mxShows(`"deployment_editable":false`, "admin")}},
		{route: "PUT /api/v1/settings", want: "A V D D D D D D D", req: mxAPI("PUT", "/api/v1/settings", `{"symbol": "BC SKHCN!"}`)},
		{route: "GET /api/v1/settings/deployment", want: "A D D D D D D D D", req: mxAPIGet("/api/v1/settings/deployment")},
		{route: "PUT /api/v1/settings/deployment", want: "A D D D D D D D D", req: mxAPI("PUT", "/api/v1/settings/deployment", `{"language": "fr"}`)},
		{route: "POST /api/v1/settings/deployment/test-email", want: "A D D D D D D D D", req: mxAPI("POST", "/api/v1/settings/deployment/test-email", "")},
	}
}

// mxTooLong is a line longer than any setting accepts (200 characters).
var mxTooLong = strings.Repeat("Nguyễn Văn Hùng ", 13)

// mxExtraRows are the cases the issue names besides the route rows: the
// unit submits and the reviewer reviews (on a scratch round per caller,
// so every step starts from the state it needs), the plan parent case, and
// a notification marked by someone else.
func mxExtraRows() []mxRow {
	full := []string{"v-classes", "4", "n-results", "Đã tổ chức 4 lớp tập huấn"}
	page := func(action string, kv ...string) mxReq {
		return mxPost("/reports/rounds/{s}/units/{X1}", append([]string{"action", action}, kv...)...)
	}
	const sub = "/api/v1/report-rounds/{s}/submissions/{X1}"
	parentForm := []string{"parent", "{draft}", "title", "Kế hoạch của phường", "status", "draft", "year_from", "2026", "year_to", "2026"}
	parentHidden := []mxCheck{mxHides(mxDraftNumber, "", "focal.y", "police", "learner", "coord.z"),
		mxHides(mxDraftTitle, "", "focal.y", "police", "learner", "coord.z")}
	return []mxRow{
		// The coordinator reviews a commune's report but never fills it:
		// posting the form or calling the API with complete content is
		// refused and changes nothing.
		{route: "POST /reports/rounds/{id}/units/{unit}", label: "save X1 (complete)", want: "A D D O D D D D D", req: page("save", full...),
			scratch: mxRoundIn("missing"), checks: []mxCheck{mxSubmissionKept("missing")}},
		{route: "POST /reports/rounds/{id}/units/{unit}", label: "submit X1 (complete)", want: "A D D O D D D D D", req: page("submit", full...),
			scratch: mxRoundIn("missing"), checks: []mxCheck{mxSubmissionKept("missing")}},
		{route: "PUT /api/v1/report-rounds/{id}/submissions/{unit}", label: "save X1 (complete)", want: "A D D O D D D D D", req: mxAPI("PUT", sub, mxFullReport),
			scratch: mxRoundIn("missing"), checks: []mxCheck{mxSubmissionKept("missing")}},
		{route: "POST /api/v1/report-rounds/{id}/submissions/{unit}/submit", label: "submit X1 (complete)", want: "A D D O D D D D D", req: mxAPI("POST", sub+"/submit", mxFullReport),
			scratch: mxRoundIn("missing"), checks: []mxCheck{mxSubmissionKept("missing")}},
		// X1 submitted: only its own writer withdraws it, never a reviewer.
		{route: "POST /api/v1/report-rounds/{id}/submissions/{unit}/withdraw", label: "X1 submitted", want: "A D D O D D D D D", req: mxAPI("POST", sub+"/withdraw", ""),
			scratch: mxRoundIn("submitted"), checks: []mxCheck{mxSubmissionKept("submitted")}},
		{route: "POST /reports/rounds/{id}/units/{unit}", label: "withdraw X1 submitted", want: "A D D O D D D D D", req: page("withdraw"),
			scratch: mxRoundIn("submitted"), checks: []mxCheck{mxSubmissionKept("submitted")}},
		{route: "POST /api/v1/report-rounds/{id}/submissions/{unit}/withdraw", label: "X1 accepted", want: "A D D V D D D D D", req: mxAPI("POST", sub+"/withdraw", ""),
			scratch: mxRoundIn("accepted"), checks: []mxCheck{mxSubmissionKept("accepted")}},
		// X1 submitted: the reviewers accept or return it, and reopen it
		// once accepted.
		{route: "POST /api/v1/report-rounds/{id}/submissions/{unit}/accept", label: "X1 submitted", want: "A O O D D D D D D", req: mxAPI("POST", sub+"/accept", ""),
			scratch: mxRoundIn("submitted"), checks: []mxCheck{mxSubmissionKept("submitted")}},
		{route: "POST /reports/rounds/{id}/units/{unit}", label: "accept X1 submitted", want: "A O O D D D D D D", req: page("accept"),
			scratch: mxRoundIn("submitted"), checks: []mxCheck{mxSubmissionKept("submitted")}},
		{route: "POST /api/v1/report-rounds/{id}/submissions/{unit}/return", label: "X1 submitted", want: "A O O D D D D D D", req: mxAPI("POST", sub+"/return", `{"comment": "Bổ sung số liệu"}`),
			scratch: mxRoundIn("submitted"), checks: []mxCheck{mxSubmissionKept("submitted")}},
		{route: "POST /reports/rounds/{id}/units/{unit}", label: "return X1 submitted", want: "A O O D D D D D D", req: page("return", "comment", "Bổ sung số liệu"),
			scratch: mxRoundIn("submitted"), checks: []mxCheck{mxSubmissionKept("submitted")}},
		{route: "POST /api/v1/report-rounds/{id}/submissions/{unit}/reopen", label: "X1 accepted", want: "A O O D D D D D D", req: mxAPI("POST", sub+"/reopen", ""),
			scratch: mxRoundIn("accepted"), checks: []mxCheck{mxSubmissionKept("accepted")}},
		{route: "POST /reports/rounds/{id}/units/{unit}", label: "reopen X1 accepted", want: "A O O D D D D D D", req: page("reopen"),
			scratch: mxRoundIn("accepted"), checks: []mxCheck{mxSubmissionKept("accepted")}},

		// A plan implementing X1's draft: a parent must be readable, in the
		// same province and top-level, so focal.y (and coord.z) are refused
		// on the parent field, and the refusal tells nothing of the draft;
		// the draft's readers may (their plan is created).
		{route: "POST /plans/new", label: "parent = X1 draft", want: "A O O O D V D D V", req: mxPost("/plans/new", parentForm...),
			checks: append([]mxCheck{mxFieldError(`id="plan-parent"[^>]*aria-invalid="true"`, "focal.y")}, parentHidden...)},
		{route: "POST /api/v1/plans", label: "parent = X1 draft", want: "A O O O D V D D V", req: mxAPI("POST", "/api/v1/plans", `{"parent_id": {draft}, "title": "Kế hoạch của phường", "year_from": 2026, "year_to": 2026}`),
			checks: append([]mxCheck{mxFieldError(`"field":"parent_id"`, "focal.y")}, parentHidden...)},

		// Input a page cannot even read (not a number, not a date): the
		// right to act is still checked first.
		{route: "POST /units/new", label: "unparsable", want: "A V V V D D D D D", req: mxPost("/units/new", "parent_code", "X1", "code", "MX-P", "name", "Tổ mới", "type", "other", "staff_count", "nhiều")},
		{route: "POST /units/{id}/edit", label: "unparsable", want: "A V V V D D D D D", req: mxPost("/units/{X1}/edit", "staff_count", "nhiều")},
		{route: "POST /plans/new", label: "unparsable", want: "A V V V D D D D D", req: mxPost("/plans/new", "unit", "{X1}", "title", "Kế hoạch", "year_from", "năm nay")},
		{route: "POST /plans/{id}/edit", label: "unparsable", want: "A V V V D D D D D", req: mxPost("/plans/{draft}/edit", "title", "Kế hoạch", "year_from", "năm nay")},
		{route: "POST /plans/{id}/indicators", label: "unparsable", want: "A V V V D D D D D", req: mxPost("/plans/{draft}/indicators", "code", "c", "value", "mười")},
		{route: "POST /plans/{id}/tasks/new", label: "unparsable", want: "A V V D D D D D D", req: mxPost("/plans/{plan}/tasks/new", "content", "Nhiệm vụ", "kind", "range", "year_from", "năm nay")},
		{route: "POST /tasks/{id}/edit", label: "unparsable", want: "A V V D D D D D D", req: mxPost("/tasks/{task}/edit", "content", "Nhiệm vụ", "kind", "range", "year_from", "năm nay")},
		{route: "POST /tasks/{id}/updates", label: "unparsable", want: "A V V V D D D D D", req: mxUpload(mxPost("/tasks/{task}/updates", "note", "x", "progress", "sáu mươi"), "", nil)},
		{route: "POST /activities/new", label: "unparsable", want: "A V V V D D D D D", req: mxPost("/activities/new", "unit", "{X1}", "unit_code", "X1", "title", "Hội nghị", "start", "hôm qua", "participants", "nhiều")},
		{route: "POST /activities/{id}/edit", label: "unparsable", want: "A V V V D D D D D", req: mxPost("/activities/{act}/edit", "unit", "{X1}", "unit_code", "X1", "title", "Hội nghị", "start", "hôm qua")},
		{route: "POST /reports/rounds/new", label: "unparsable", want: "A V V D D D D D V", req: mxPost("/reports/rounds/new", "template", "{tpl}", "title", "Đợt", "from", "hôm qua", "codes", "X1")},
		{route: "POST /reports/rounds/{id}/units/{unit}", label: "save X1 (not a number)", want: "A D D V D D D D D", req: mxPost("/reports/rounds/{round}/units/{X1}", "action", "save", "v-classes", "ba")},

		// Moving an activity to a unit out of the writer's reach; reading
		// another unit's report.
		{route: "PATCH /api/v1/activities/{id}", label: "to Y1", want: "A O O D D D D D D", req: mxAPI("PATCH", "/api/v1/activities/{s}", `{"unit_id": {Y1}}`), scratch: mxScratchActivity},
		{route: "GET /api/v1/report-rounds/{id}/submissions/{unit}", label: "Y1", want: "A O O D D O D D D", req: mxAPIGet("/api/v1/report-rounds/{round}/submissions/{Y1}")},
		{route: "GET /reports/rounds/{id}/units/{unit}", label: "Y1", want: "A O O D D O D D D", req: mxGet("/reports/rounds/{round}/units/{Y1}")},

		// Marking focal.x's notification by id marks nothing for anyone else.
		{route: "POST /api/v1/notifications/read", label: "focal.x's notification", want: "A O O O O O O O O", req: mxAPI("POST", "/api/v1/notifications/read", `{"ids": [{notif}]}`),
			checks: []mxCheck{func(t *testing.T, w *mxWorld, caller, class, body string, extra map[string]string) {
				if class == clsO && caller != "focal.x" && !strings.Contains(body, `"marked":0`) {
					t.Errorf("%s marked focal.x's notification: %s", mxName(caller), body)
				}
			}}},
	}
}

// mxRoundIn makes, for each caller, a round of X1 and Y1 with X1's report
// in state (missing, submitted by focal.x, or accepted by coord).
func mxRoundIn(state string) func(t *testing.T, w *mxWorld, caller string) map[string]string {
	return func(t *testing.T, w *mxWorld, caller string) map[string]string {
		t.Helper()
		id := w.newRound(t, w.scratchName("Đợt nháp "))
		sub := "/api/v1/report-rounds/" + id + "/submissions/{X1}"
		if state == "submitted" || state == "accepted" {
			w.api(t, "POST", sub+"/submit", "focal.x", mxFullReport, 200)
		}
		if state == "accepted" {
			w.api(t, "POST", sub+"/accept", "coord", "", 200)
		}
		return map[string]string{"{s}": id}
	}
}

// mxSubmissionKept checks that a refused step left X1's report in the
// scratch round as it was.
func mxSubmissionKept(state string) mxCheck {
	return func(t *testing.T, w *mxWorld, caller, class, body string, extra map[string]string) {
		t.Helper()
		if class == clsO {
			return
		}
		var sub struct {
			Status string `json:"status"`
		}
		webtest.Decode(t, w.api(t, "GET", "/api/v1/report-rounds/"+extra["{s}"]+"/submissions/{X1}", "coord", "", 200), &sub)
		if sub.Status != state {
			t.Errorf("%s (%s) changed X1's report to %s", mxName(caller), class, sub.Status)
		}
	}
}

// mxFieldError checks that the answers to the callers named mark the
// field (a pattern of the body) as refused.
func mxFieldError(pattern string, callers ...string) mxCheck {
	re := regexp.MustCompile(pattern)
	return func(t *testing.T, w *mxWorld, caller, class, body string, extra map[string]string) {
		t.Helper()
		if slices.Contains(callers, caller) && !re.MatchString(body) {
			t.Errorf("%s: the answer (%s) does not refuse the field (%s)", mxName(caller), class, pattern)
		}
	}
}

// Scratch targets, one per caller, made by a user allowed to.

func mxScratchToken(t *testing.T, w *mxWorld, caller string) map[string]string {
	return map[string]string{"{s}": w.apiID(t, "POST", "/api/v1/tokens", "focal.x", fmt.Sprintf(`{"name": %q}`, w.scratchName("khóa ")), 201)}
}

func mxScratchUser(t *testing.T, w *mxWorld, caller string) map[string]string {
	email := w.scratchName("mx.viewer") + "@t.vn"
	return map[string]string{"{s}": w.apiID(t, "POST", "/api/v1/users", "focal.x",
		fmt.Sprintf(`{"email": %q, "name": "Cán bộ xem", "unit_id": {X1}, "roles": ["viewer"], "password": %q}`, email, webtest.Password), 201)}
}

func mxScratchIndicator(t *testing.T, w *mxWorld, caller string) map[string]string {
	return map[string]string{"{s}": w.apiID(t, "POST", "/api/v1/plans/{draft}/indicator-definitions", "focal.x",
		fmt.Sprintf(`{"code": %q, "name": "Số lớp", "formula": "count(type=training_class)", "comparison": "at_least", "value": 2}`,
			w.scratchName("c")), 201)}
}

func mxScratchTask(t *testing.T, w *mxWorld, caller string) map[string]string {
	return map[string]string{"{s}": w.apiID(t, "POST", "/api/v1/plans/{plan}/tasks", "coord",
		`{"content": "Nhiệm vụ nháp", "lead": [{X1}], "kind": "yearly"}`, 201)}
}

func mxScratchActivity(t *testing.T, w *mxWorld, caller string) map[string]string {
	return map[string]string{"{s}": w.apiID(t, "POST", "/api/v1/activities", "focal.x", `{"unit_id": {X1}, "type": "seminar",
		"title": "Hội nghị nháp", "channel": "in_person", "start": "{today}", "audiences": ["civil_servants"], "participants": 5}`, 201)}
}
