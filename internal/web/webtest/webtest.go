// Package webtest serves the whole wired application over HTTP on a real,
// throwaway database for the web packages' tests: a small province with one
// user per role (and, on request, a second province), an API client, a
// cookie-keeping form client that signs in as a browser without JavaScript
// would, and headless Chromium for browser tests.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"khienso/internal/app"
	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
	"khienso/internal/web"
)

// Password is every fixture user's password.
const Password = "mật khẩu thử nghiệm 2026"

var (
	hashOnce sync.Once
	hash     string
)

// Fixture is a small province with one user per role, served over HTTP.
type Fixture struct {
	T      testing.TB
	Store  *store.Store
	App    *app.App
	Server *httptest.Server
	Units  map[string]int64  // by code
	Users  map[string]int64  // by e-mail
	Tokens map[string]string // API token by e-mail
}

// Fixture units (code: parent):
//
//	40 (province committee, Nghệ An)
//	├── 40-SKHCN (coordinating department)
//	├── 40-CA (police)
//	├── X1 Xã Nghi Phong (commune)
//	│   └── X1-THCS Trường THCS Nghi Phong (school)
//	└── Y1 Phường Vinh Phú (commune)
//
// With SecondProvince, also:
//
//	42 (province committee, Hà Tĩnh)
//	├── 42-SKHCN (coordinating department)
//	└── Z1 Xã Cẩm Xuyên (commune)
//
// With National (which implies SecondProvince), both province committees
// sit under a national root:
//
//	VN Cả nước (national)
//	├── VN-ATTT Cục An toàn thông tin (coordinating agency)
//	├── 40 …
//	└── 42 …
//
// Users (e-mail: role @ unit): admin@t.vn admin@40, coord@t.vn
// coordinator@40-SKHCN, focal.x@t.vn focal_point@X1, viewer.x@t.vn viewer@X1,
// focal.y@t.vn focal_point@Y1, police@t.vn police@40-CA,
// learner@t.vn learner@X1; with SecondProvince coord.z@t.vn
// coordinator@42-SKHCN and focal.z@t.vn focal_point@Z1; with National
// admin.vn@t.vn admin@VN and coord.vn@t.vn coordinator@VN-ATTT.
// fixtureUnit is a unit of the fixture; second ones come with
// SecondProvince (or National).
type fixtureUnit struct {
	code, name, parent string
	typ                units.Type
	second             bool
}

var fixtureUnits = []fixtureUnit{
	{"40", "Ủy ban nhân dân tỉnh Nghệ An", "", units.TypeProvinceCommittee, false},
	{"40-SKHCN", "Sở Khoa học và Công nghệ", "40", units.TypeCoordinator, false},
	{"40-CA", "Công an tỉnh Nghệ An", "40", units.TypePolice, false},
	{"X1", "Xã Nghi Phong", "40", units.TypeCommune, false},
	{"X1-THCS", "Trường THCS Nghi Phong", "X1", units.TypeSchool, false},
	{"Y1", "Phường Vinh Phú", "40", units.TypeCommune, false},
	{"42", "Ủy ban nhân dân tỉnh Hà Tĩnh", "", units.TypeProvinceCommittee, true},
	{"42-SKHCN", "Sở Khoa học và Công nghệ tỉnh Hà Tĩnh", "42", units.TypeCoordinator, true},
	{"Z1", "Xã Cẩm Xuyên", "42", units.TypeCommune, true},
}

// nationalUnits are the national level of the National option.
var nationalUnits = []fixtureUnit{
	{"VN", "Cả nước", "", units.TypeNational, true},
	{"VN-ATTT", "Cục An toàn thông tin", "VN", units.TypeCoordinator, true},
}

// FixtureUsers are the fixture's accounts.
var FixtureUsers = []struct {
	Email, Unit string
	Role        auth.Role
	Second      bool // only with SecondProvince
	National    bool // only with National
}{
	{"admin@t.vn", "40", auth.RoleAdmin, false, false},
	{"coord@t.vn", "40-SKHCN", auth.RoleCoordinator, false, false},
	{"focal.x@t.vn", "X1", auth.RoleFocalPoint, false, false},
	{"viewer.x@t.vn", "X1", auth.RoleViewer, false, false},
	{"focal.y@t.vn", "Y1", auth.RoleFocalPoint, false, false},
	{"police@t.vn", "40-CA", auth.RolePolice, false, false},
	{"learner@t.vn", "X1", auth.RoleLearner, false, false},
	{"coord.z@t.vn", "42-SKHCN", auth.RoleCoordinator, true, false},
	{"focal.z@t.vn", "Z1", auth.RoleFocalPoint, true, false},
	{"admin.vn@t.vn", "VN", auth.RoleAdmin, true, true},
	{"coord.vn@t.vn", "VN-ATTT", auth.RoleCoordinator, true, true},
}

// Option changes what New builds.
type Option func(*options)

type options struct {
	second, national bool
	clock            func() time.Time
	install          func(ctx context.Context, st *store.Store) error
}

// SecondProvince adds Hà Tĩnh (42) with a department, a commune and two
// users, so tests can check that nothing leaks across provinces.
func SecondProvince() Option { return func(o *options) { o.second = true } }

// National puts both provinces (SecondProvince is implied) under a
// national root with its coordinating agency and two national users.
func National() Option { return func(o *options) { o.second, o.national = true, true } }

// Install replaces the fixture province and its users with what fn writes
// into the fresh database (a province set up by package setup, say); the
// Fixture's Units, Users and Tokens then stay empty.
func Install(fn func(ctx context.Context, st *store.Store) error) Option {
	return func(o *options) { o.install = fn }
}

// Clock gives the services a fixed clock.
func Clock(now func() time.Time) Option { return func(o *options) { o.clock = now } }

// Engines runs fn once per engine as parallel subtests named "sqlite" and
// "postgres", each on its own fresh fixture.
func Engines(t *testing.T, fn func(t *testing.T, f *Fixture), opts ...Option) {
	t.Helper()
	for _, e := range storetest.EngineList {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			fn(t, New(t, e, opts...))
		})
	}
}

// New starts the application on a fresh database of engine.
func New(t testing.TB, engine store.Engine, opts ...Option) *Fixture {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	st := storetest.Open(t, engine)
	ctx := context.Background()
	f := &Fixture{T: t, Store: st, Units: map[string]int64{}, Users: map[string]int64{}, Tokens: map[string]string{}}
	from := dates.MustParse("2021-01-01")
	list := fixtureUnits
	if o.national {
		list = append(append(list[:0:0], nationalUnits...), fixtureUnits...)
	}
	for _, u := range list {
		if o.install != nil || u.second && !o.second {
			continue
		}
		if o.national && u.typ == units.TypeProvinceCommittee {
			u.parent = "VN"
		}
		staff := 25
		unit := &units.Unit{Code: u.code, Name: u.name, Type: u.typ, ValidFrom: from,
			Focal:      units.Contact{Name: "Cán bộ " + u.code, Phone: "0912345678", Email: strings.ToLower(u.code) + "@t.vn"},
			StaffCount: &staff, HeadcountYear: 2025}
		if u.typ == units.TypeSchool {
			unit.SchoolLevel = units.LevelLowerSecondary
		}
		if err := st.CreateUnit(ctx, audit.System, unit, f.Units[u.parent]); err != nil {
			t.Fatalf("fixture unit %s: %v", u.code, err)
		}
		f.Units[u.code] = unit.ID
	}
	for _, fu := range FixtureUsers {
		if o.install != nil || fu.Second && !o.second || fu.National && !o.national {
			continue
		}
		u := &auth.User{Email: fu.Email, Name: "Người dùng " + fu.Email, UnitID: f.Units[fu.Unit], Roles: []auth.Role{fu.Role}}
		if err := st.CreateUser(ctx, audit.System, u, PasswordHash()); err != nil {
			t.Fatalf("fixture user %s: %v", fu.Email, err)
		}
		f.Users[fu.Email] = u.ID
		secret, _, err := st.CreateToken(ctx, audit.System, u.ID, "test", time.Time{})
		if err != nil {
			t.Fatalf("fixture token %s: %v", fu.Email, err)
		}
		f.Tokens[fu.Email] = secret
	}
	if o.install != nil {
		if err := o.install(ctx, st); err != nil {
			t.Fatalf("install: %v", err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(context.Background(), st, log, app.Config{Web: web.Config{Version: "test"}, Clock: o.clock})
	if err != nil {
		t.Fatal(err)
	}
	f.App = a
	f.Server = httptest.NewServer(a.Handler())
	t.Cleanup(f.Server.Close)
	return f
}

// API sends a JSON API request as user (by e-mail; "" for anonymous) and
// returns the status and body.
func (f *Fixture) API(method, path, user, body string) (int, string) {
	f.T.Helper()
	req, err := http.NewRequest(method, f.Server.URL+path, strings.NewReader(body))
	if err != nil {
		f.T.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.Tokens[user])
	}
	return f.do(req)
}

// do sends req, reads the whole answer and checks it against the OpenAPI
// document.
func (f *Fixture) do(req *http.Request) (int, string) {
	f.T.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	f.checkResponse(req, resp, b)
	return resp.StatusCode, string(b)
}

// APIUpload sends a multipart API request with one file (field "file") and
// extra fields as user.
func (f *Fixture) APIUpload(path, user string, fields map[string]string, name string, data []byte) (int, string) {
	f.T.Helper()
	body, ctype := multipartBody("", url.Values(mapValues(fields)), name, data)
	req, _ := http.NewRequest(http.MethodPost, f.Server.URL+path, body)
	req.Header.Set("Content-Type", ctype)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.Tokens[user])
	}
	return f.do(req)
}

// APIDownload fetches a file through the API as user, with its content type.
func (f *Fixture) APIDownload(path, user string) (int, string, []byte) {
	f.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.Server.URL+path, nil)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.Tokens[user])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	f.checkResponse(req, resp, b)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

func mapValues(m map[string]string) map[string][]string {
	out := map[string][]string{}
	for k, v := range m {
		out[k] = []string{v}
	}
	return out
}

// Client is a cookie-keeping HTTP client signed in through the login form,
// as a browser without JavaScript would be. It does not follow redirects.
type Client struct {
	F    *Fixture
	HTTP *http.Client
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// Login signs in as user ("" for an anonymous client).
func (f *Fixture) Login(user string) *Client {
	f.T.Helper()
	return f.LoginWith(user, Password)
}

// LoginWith signs in as user with password, failing the test unless the
// login form redirects.
func (f *Fixture) LoginWith(user, password string) *Client {
	f.T.Helper()
	jar, _ := cookiejar.New(nil)
	c := &Client{F: f, HTTP: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if user == "" {
		return c
	}
	status, body := c.Get("/login")
	if status != http.StatusOK {
		f.T.Fatalf("GET /login: %d", status)
	}
	status, _ = c.PostForm("/login", CSRFOf(f.T, body), url.Values{"email": {user}, "password": {password}})
	if status != http.StatusSeeOther {
		f.T.Fatalf("login as %s: status %d", user, status)
	}
	return c
}

// CSRFOf reads the form token of a page.
func CSRFOf(t testing.TB, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("page has no CSRF token")
	}
	return m[1]
}

// Get fetches a page.
func (c *Client) Get(path string) (int, string) {
	c.F.T.Helper()
	resp, err := c.HTTP.Get(c.F.Server.URL + path)
	if err != nil {
		c.F.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Location fetches a page and returns the status and the redirect target.
func (c *Client) Location(path string) (int, string) {
	c.F.T.Helper()
	resp, err := c.HTTP.Get(c.F.Server.URL + path)
	if err != nil {
		c.F.T.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// Download fetches a file, returning the status, content type and bytes.
func (c *Client) Download(path string) (int, string, []byte) {
	c.F.T.Helper()
	resp, err := c.HTTP.Get(c.F.Server.URL + path)
	if err != nil {
		c.F.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// PostForm posts form values with the CSRF token; the caller reads the
// token from a page it fetched (CSRFOf), as a browser would.
func (c *Client) PostForm(path, csrf string, v url.Values) (int, string) {
	c.F.T.Helper()
	v.Set("csrf_token", csrf)
	resp, err := c.HTTP.PostForm(c.F.Server.URL+path, v)
	if err != nil {
		c.F.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// CSRF fetches a page and returns its form token.
func (c *Client) CSRF(path string) string {
	c.F.T.Helper()
	_, body := c.Get(path)
	return CSRFOf(c.F.T, body)
}

func multipartBody(csrf string, fields url.Values, name string, data []byte) (io.Reader, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		_ = mw.WriteField("csrf_token", csrf)
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range fields[k] {
			_ = mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	return &buf, mw.FormDataContentType()
}

// PostMultipart posts fields and, if name is set, one file (field "file")
// as a browser would, and returns the status, the body and the headers.
func (c *Client) PostMultipart(path, csrf string, fields url.Values, name string, data []byte) (int, string, http.Header) {
	c.F.T.Helper()
	body, ctype := multipartBody(csrf, fields, name, data)
	req, _ := http.NewRequest(http.MethodPost, c.F.Server.URL+path, body)
	req.Header.Set("Content-Type", ctype)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.F.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// Upload posts a file to an import form with string fields.
func (c *Client) Upload(path, csrf, name string, data []byte, fields map[string]string) (int, string) {
	c.F.T.Helper()
	status, body, _ := c.PostMultipart(path, csrf, mapValues(fields), name, data)
	return status, body
}

// APIError is the JSON error body the API returns.
type APIError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Fields  []struct {
			Field  string `json:"field"`
			Reason string `json:"reason"`
		} `json:"fields"`
	} `json:"error"`
}

// Unit is a unit as the API returns it; FocalPoint is nil when the
// non-public fields are absent.
type Unit struct {
	ID          int64              `json:"id"`
	Code        string             `json:"code"`
	Name        string             `json:"name"`
	ShortName   string             `json:"short_name"`
	Type        string             `json:"type"`
	ParentID    int64              `json:"parent_id"`
	ValidFrom   string             `json:"valid_from"`
	ValidTo     string             `json:"valid_to"`
	ChildCount  int                `json:"child_count"`
	Restricted  bool               `json:"restricted"`
	AncestorIDs []int64            `json:"ancestor_ids"`
	Children    []Unit             `json:"children"`
	HeadName    *string            `json:"head_name"`
	FocalPoint  *map[string]string `json:"focal_point"`
	StaffCount  *int               `json:"staff_count"`
}

// List is a page of an API list.
type List[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// Decode reads a response body into v, failing the test on bad JSON.
func Decode(t testing.TB, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("response is not the expected JSON (%v): %s", err, body)
	}
}

// Expect checks the status of a call and decodes its body into v (if not
// nil).
func Expect(t testing.TB, status int, body string, want int, v any) {
	t.Helper()
	if status != want {
		t.Fatalf("status %d, want %d: %s", status, want, body)
	}
	if v != nil {
		Decode(t, body, v)
	}
}

// ExpectError checks an error response: status, code and the fields it
// names (in order; none checks nothing).
func ExpectError(t testing.TB, status int, body string, want int, code string, fields ...string) {
	t.Helper()
	if status != want {
		t.Fatalf("status %d, want %d: %s", status, want, body)
	}
	var e APIError
	Decode(t, body, &e)
	if e.Error.Code != code || e.Error.Message == "" {
		t.Fatalf("error code %q (message %q), want %q: %s", e.Error.Code, e.Error.Message, code, body)
	}
	if fields == nil {
		return
	}
	var got []string
	for _, f := range e.Error.Fields {
		if f.Reason == "" {
			t.Errorf("field %s has no reason", f.Field)
		}
		got = append(got, f.Field)
	}
	if !slices.Equal(got, fields) {
		t.Fatalf("error fields %v, want %v: %s", got, fields, body)
	}
}

// JSON encodes v for a request body.
func JSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// PasswordHash is the stored hash of Password (computed once per test
// binary).
func PasswordHash() string {
	hashOnce.Do(func() {
		var err error
		if hash, err = auth.HashPassword(Password); err != nil {
			panic(err)
		}
	})
	return hash
}
