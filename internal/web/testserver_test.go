package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

// testPassword is every fixture user's password.
const testPassword = "mật khẩu thử nghiệm 2026"

var (
	testHashOnce sync.Once
	testHash     string
)

// fixture is a small province with one user per role, served over HTTP.
type fixture struct {
	t      testing.TB
	store  *store.Store
	server *httptest.Server
	units  map[string]int64 // by code
	users  map[string]int64 // by e-mail
	tokens map[string]string
}

// Fixture units (code: parent):
//
//	40 (province committee)
//	├── 40-SKHCN (coordinating department)
//	├── 40-CA (police)
//	├── X1 Xã Nghi Phong (commune)
//	│   └── X1-THCS Trường THCS Nghi Phong (school)
//	└── Y1 Phường Vinh Phú (commune)
//
// Users (e-mail: role @ unit): admin@t.vn admin@40, coord@t.vn
// coordinator@40-SKHCN, focal.x@t.vn focal_point@X1, viewer.x@t.vn viewer@X1,
// focal.y@t.vn focal_point@Y1, police@t.vn police@40-CA,
// learner@t.vn learner@X1.
var fixtureUsers = []struct {
	email, unit string
	role        auth.Role
}{
	{"admin@t.vn", "40", auth.RoleAdmin},
	{"coord@t.vn", "40-SKHCN", auth.RoleCoordinator},
	{"focal.x@t.vn", "X1", auth.RoleFocalPoint},
	{"viewer.x@t.vn", "X1", auth.RoleViewer},
	{"focal.y@t.vn", "Y1", auth.RoleFocalPoint},
	{"police@t.vn", "40-CA", auth.RolePolice},
	{"learner@t.vn", "X1", auth.RoleLearner},
}

// newFixture starts a server on a fresh database of engine.
func newFixture(t testing.TB, engine store.Engine) *fixture {
	t.Helper()
	st := storetest.Open(t, engine)
	ctx := context.Background()
	f := &fixture{t: t, store: st, units: map[string]int64{}, users: map[string]int64{}, tokens: map[string]string{}}
	from := dates.MustParse("2021-01-01")
	for _, u := range []struct {
		code, name, parent string
		typ                units.Type
	}{
		{"40", "Ủy ban nhân dân tỉnh Nghệ An", "", units.TypeProvinceCommittee},
		{"40-SKHCN", "Sở Khoa học và Công nghệ", "40", units.TypeCoordinator},
		{"40-CA", "Công an tỉnh Nghệ An", "40", units.TypePolice},
		{"X1", "Xã Nghi Phong", "40", units.TypeCommune},
		{"X1-THCS", "Trường THCS Nghi Phong", "X1", units.TypeSchool},
		{"Y1", "Phường Vinh Phú", "40", units.TypeCommune},
	} {
		staff := 25
		unit := &units.Unit{Code: u.code, Name: u.name, Type: u.typ, ValidFrom: from,
			Focal:      units.Contact{Name: "Cán bộ " + u.code, Phone: "0912345678", Email: strings.ToLower(u.code) + "@t.vn"},
			StaffCount: &staff, HeadcountYear: 2025}
		if u.typ == units.TypeSchool {
			unit.SchoolLevel = units.LevelLowerSecondary
		}
		if err := st.CreateUnit(ctx, audit.System, unit, f.units[u.parent]); err != nil {
			t.Fatalf("fixture unit %s: %v", u.code, err)
		}
		f.units[u.code] = unit.ID
	}
	testHashOnce.Do(func() {
		var err error
		if testHash, err = auth.HashPassword(testPassword); err != nil {
			panic(err)
		}
	})
	for _, fu := range fixtureUsers {
		u := &auth.User{Email: fu.email, Name: "Người dùng " + fu.email, UnitID: f.units[fu.unit], Roles: []auth.Role{fu.role}}
		if err := st.CreateUser(ctx, audit.System, u, testHash); err != nil {
			t.Fatalf("fixture user %s: %v", fu.email, err)
		}
		f.users[fu.email] = u.ID
		secret, _, err := st.CreateToken(ctx, audit.System, u.ID, "test", time.Time{})
		if err != nil {
			t.Fatalf("fixture token %s: %v", fu.email, err)
		}
		f.tokens[fu.email] = secret
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := New(context.Background(), st, log, Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	f.server = httptest.NewServer(srv.Handler())
	t.Cleanup(f.server.Close)
	return f
}

// api sends a JSON API request as user (by e-mail; "" for anonymous) and
// returns the status and body.
func (f *fixture) api(method, path, user, body string) (int, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.server.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[user])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// browserClient is a cookie-keeping HTTP client signed in as user through
// the login form, as a browser without JavaScript would be.
type browserClient struct {
	f    *fixture
	http *http.Client
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (f *fixture) login(user string) *browserClient {
	f.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &browserClient{f: f, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if user == "" {
		return c
	}
	status, body := c.get("/login")
	if status != http.StatusOK {
		f.t.Fatalf("GET /login: %d", status)
	}
	status, _ = c.postForm("/login", csrfOf(f.t, body), url.Values{"email": {user}, "password": {testPassword}})
	if status != http.StatusSeeOther {
		f.t.Fatalf("login as %s: status %d", user, status)
	}
	return c
}

func csrfOf(t testing.TB, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("page has no CSRF token")
	}
	return m[1]
}

func (c *browserClient) get(path string) (int, string) {
	c.f.t.Helper()
	resp, err := c.http.Get(c.f.server.URL + path)
	if err != nil {
		c.f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// postForm posts form values with the CSRF token; the caller reads the
// token from a page it fetched (csrfOf), as a browser would.
func (c *browserClient) postForm(path, csrf string, v url.Values) (int, string) {
	c.f.t.Helper()
	v.Set("csrf_token", csrf)
	resp, err := c.http.PostForm(c.f.server.URL+path, v)
	if err != nil {
		c.f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// csrf fetches a page and returns its form token.
func (c *browserClient) csrf(path string) string {
	c.f.t.Helper()
	_, body := c.get(path)
	return csrfOf(c.f.t, body)
}
