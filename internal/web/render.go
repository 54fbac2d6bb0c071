package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/store"
)

//go:embed templates
var templateFS embed.FS

// pages holds one parsed template per page and language: the shared
// layout plus the page's own file (templates/<name>.html defining "title"
// and "content"). Each language has its own set because the number
// functions (num, fnum, pct) write numbers the reader's way and a template
// function cannot see the page's language; parsing twice at start costs
// less than asking every template to pass the language along.
type pages struct {
	layout map[i18n.Lang]*template.Template
	byName map[i18n.Lang]map[string]*template.Template
}

// funcsFor is the template functions of pages in language l.
func funcsFor(l i18n.Lang) template.FuncMap {
	return template.FuncMap{
		// date renders a day or a time as dd/mm/yyyy in every language
		// (the product's rule); datetime adds hh:mm (Vietnam time).
		"date": func(v any) string {
			switch d := v.(type) {
			case dates.Date:
				return d.VN()
			case time.Time:
				if d.IsZero() {
					return ""
				}
				return d.In(dates.Vietnam).Format("02/01/2006")
			}
			return ""
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(dates.Vietnam).Format("02/01/2006 15:04")
		},
		"add":  func(a, b int) int { return a + b },
		"num":  l.Int,
		"fnum": l.Decimal,
		// pct takes a percentage of any numeric type (a task's progress is
		// an int, a completeness a float).
		"pct": func(v any) (string, error) {
			switch x := v.(type) {
			case int:
				return l.Percent(float64(x)), nil
			case int64:
				return l.Percent(float64(x)), nil
			case float64:
				return l.Percent(x), nil
			}
			return "", fmt.Errorf("pct: %T is not a number", v)
		},
		"query":  func(kv ...any) template.URL { return template.URL(BuildQuery(kv...)) },
		"string": func(v any) string { return fmt.Sprint(v) },
		"deref": func(p *int) string {
			if p == nil {
				return ""
			}
			return strconv.Itoa(*p)
		},
	}
}

func loadPages() (*pages, error) {
	p := &pages{layout: map[i18n.Lang]*template.Template{}, byName: map[i18n.Lang]map[string]*template.Template{}}
	for _, l := range i18n.Langs {
		layout, err := template.New("layout.html").Funcs(funcsFor(l)).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
		if err != nil {
			return nil, fmt.Errorf("parse layout: %w", err)
		}
		p.layout[l] = layout
		p.byName[l] = map[string]*template.Template{}
	}
	core, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := p.add(core); err != nil {
		return nil, err
	}
	return p, nil
}

// add parses every page template (*.html) at the root of fsys, each with
// the shared layout and partials, once per language. Page names are unique
// across packages.
func (p *pages) add(fsys fs.FS) error {
	entries, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return err
	}
	for _, path := range entries {
		name := strings.TrimSuffix(path, ".html")
		if name == "layout" {
			continue
		}
		for _, l := range i18n.Langs {
			if _, dup := p.byName[l][name]; dup {
				return fmt.Errorf("page template %s is defined twice", name)
			}
			t, err := template.Must(p.layout[l].Clone()).ParseFS(fsys, path)
			if err != nil {
				return fmt.Errorf("parse page %s: %w", name, err)
			}
			p.byName[l][name] = t
		}
	}
	return nil
}

// lookup is page name in language l.
func (p *pages) lookup(l i18n.Lang, name string) (*template.Template, bool) {
	t, ok := p.byName[l][name]
	if !ok {
		t, ok = p.byName[i18n.Default][name]
	}
	return t, ok
}

// AddPages registers the page templates of a capability package: every
// *.html in folder dir of fsys (the package's embedded templates). Call it
// while wiring, before serving.
func (s *Server) AddPages(fsys fs.FS, dir string) error {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		return err
	}
	return s.pages.add(sub)
}

// view is what every page template receives; page data is in Data.
type view struct {
	Lang  i18n.Lang
	User  *auth.Principal
	CSRF  string
	Path  string
	Query url.Values
	Data  any
	// Unread is the user's unread notifications, for the badge in the
	// navigation (0 when signed out).
	Unread int
}

// T translates a catalogue key into the page's language.
func (v *view) T(key string, args ...any) string { return v.Lang.T(key, args...) }

// Can reports whether the user may do an action somewhere (for navigation).
func (v *view) Can(action string) bool { return v.User != nil && v.User.Can(auth.Action(action)) }

// OtherLang is the language the switcher offers.
func (v *view) OtherLang() i18n.Lang {
	if v.Lang == i18n.VI {
		return i18n.EN
	}
	return i18n.VI
}

// render writes page name with data, buffered so a template error becomes a
// clean 500 rather than half a page.
func (s *Server) Render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	ri := info(r)
	t, ok := s.pages.lookup(ri.lang, name)
	if !ok {
		s.log.ErrorContext(r.Context(), "unknown page template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v := &view{Lang: ri.lang, User: ri.principal, CSRF: ri.csrf, Path: r.URL.Path, Query: r.URL.Query(), Data: data}
	if ri.principal != nil {
		// One indexed COUNT per page (not per API call); a failure only
		// hides the badge.
		n, err := s.store.UnreadNotifications(r.Context(), ri.principal.UserID)
		if err != nil {
			s.log.WarnContext(r.Context(), "unread count for the navigation", "err", err)
		}
		v.Unread = n
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.log.ErrorContext(r.Context(), "render page", "name", name, "err", err)
		http.Error(w, ri.lang.T("err.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderFragment writes a named template of a page without the layout (for
// parts fetched by scripts, such as the children of a tree node).
func (s *Server) RenderFragment(w http.ResponseWriter, r *http.Request, page, block string, data any) {
	ri := info(r)
	t, ok := s.pages.lookup(ri.lang, page)
	if !ok {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v := &view{Lang: ri.lang, User: ri.principal, CSRF: ri.csrf, Path: r.URL.Path, Query: r.URL.Query(), Data: data}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, v); err != nil {
		s.log.ErrorContext(r.Context(), "render fragment", "page", page, "block", block, "err", err)
		http.Error(w, ri.lang.T("err.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// UnitNames maps the units of a directory to their names (unit names are
// public).
func UnitNames(dir []store.DirectoryUnit) map[int64]string {
	names := make(map[int64]string, len(dir))
	for _, u := range dir {
		names[u.ID] = u.Name
	}
	return names
}

// NamesOf names the units ids from names, "#id" for one not in it (never
// nil).
func NamesOf(names map[int64]string, ids []int64) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if n, ok := names[id]; ok {
			out = append(out, n)
		} else {
			out = append(out, "#"+strconv.FormatInt(id, 10))
		}
	}
	return out
}

// ParseDecimal reads a number typed the Vietnamese way ("1.234,5"),
// or plainly ("1234.5").
func ParseDecimal(s string) (float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if s == "" {
		return 0, false
	}
	switch {
	case strings.Contains(s, ","):
		s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	case strings.Count(s, ".") > 1 || looksThousands(s):
		s = strings.ReplaceAll(s, ".", "")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

// looksThousands tells whether s looks like "1.234" (a dot before exactly
// three final digits), which Vietnamese users write for one thousand.
func looksThousands(s string) bool {
	i := strings.IndexByte(s, '.')
	return i > 0 && len(s)-i-1 == 3
}

// InputDecimal renders a stored number for a form input, without thousands
// separators so it reads back unambiguously.
func InputDecimal(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// BuildQuery encodes key/value pairs as a query string for links, leaving
// out empty and zero values (the template func "query" is the same).
func BuildQuery(kv ...any) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if s := fmt.Sprint(kv[i+1]); s != "" && s != "0" {
			v.Set(fmt.Sprint(kv[i]), s)
		}
	}
	return v.Encode()
}

// SafeNext keeps a post-login redirect on this site: it returns next only
// when it is a same-origin path, otherwise "/". Browsers silently drop tab,
// CR and LF inside a URL and read a backslash as a slash, so "/\t/host" or
// "/\\host" would turn into "//host", another origin; any control,
// white-space or backslash character is therefore refused outright rather
// than cleaned.
func SafeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	for _, r := range next {
		if r == '\\' || !unicode.IsGraphic(r) || unicode.IsSpace(r) {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.EscapedPath(), "//") {
		return "/"
	}
	return next
}

// PageParams reads ?page= and returns limit and offset for size per page.
func PageParams(r *http.Request, size int) (page, limit, offset int) {
	page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 {
		page = 1
	}
	return page, size, (page - 1) * size
}

// Pager describes pagination for templates.
type Pager struct {
	Page, Pages, Total int
}

func NewPager(page, size, total int) Pager {
	pages := (total + size - 1) / size
	if pages < 1 {
		pages = 1
	}
	return Pager{Page: page, Pages: pages, Total: total}
}

// HasPrev and HasNext tell whether there are neighbouring pages.
func (p Pager) HasPrev() bool { return p.Page > 1 }
func (p Pager) HasNext() bool { return p.Page < p.Pages }
func (p Pager) Prev() int     { return p.Page - 1 }
func (p Pager) Next() int     { return p.Page + 1 }

// PageURL is the current URL with ?page=n (other parameters kept).
func (v *view) PageURL(n int) string {
	q := url.Values{}
	for k, vs := range v.Query {
		q[k] = vs
	}
	q.Set("page", strconv.Itoa(n))
	return v.Path + "?" + q.Encode()
}
