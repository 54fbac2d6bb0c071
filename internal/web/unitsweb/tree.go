package unitsweb

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// pageSize is how many search results a page of /units shows.
const pageSize = 50

// treeNode is one unit of the tree with, when Loaded, the units under it.
type treeNode struct {
	Unit        *units.Unit // public fields only
	Children    []*treeNode
	Loaded      bool
	ChildrenURL string // the fragment app.js fetches
	OpenURL     string // the no-JS way to expand the node
	L           i18n.Lang
}

// treeBuilder turns units into tree nodes as of one day, expanding the
// nodes named in open.
type treeBuilder struct {
	st        *store.Store
	ctx       context.Context
	day       dates.Date
	dateParam string // "" when the day is today, so links stay short
	lang      i18n.Lang
	open      map[int64]bool
}

func (b *treeBuilder) nodes(list []*units.Unit, expand bool, depth int) ([]*treeNode, error) {
	out := make([]*treeNode, 0, len(list))
	for _, u := range list {
		id := strconv.FormatInt(u.ID, 10)
		q := url.Values{"open": {id}}
		if b.dateParam != "" {
			q.Set("date", b.dateParam)
		}
		n := &treeNode{
			Unit:        public(u),
			L:           b.lang,
			ChildrenURL: "/units/" + id + "/children?date=" + url.QueryEscape(b.day.VN()),
			OpenURL:     "/units?" + q.Encode() + "#u-" + id,
		}
		if u.ChildCount > 0 && (expand || b.open[u.ID]) && depth < 100 {
			kids, err := b.st.Children(b.ctx, u.ID, b.day)
			if err != nil {
				return nil, err
			}
			if n.Children, err = b.nodes(kids, false, depth+1); err != nil {
				return nil, err
			}
			n.Loaded = true
		}
		out = append(out, n)
	}
	return out, nil
}

// searchRow is one search result.
type searchRow struct {
	Unit   *units.Unit
	Parent *units.Unit
	Active bool
}

type treeData struct {
	Date      string
	DateError string
	Today     bool
	Roots     []*treeNode
	Searched  bool
	Query     string
	Type      string
	Closed    bool
	Types     []web.Option
	Results   []searchRow
	Pager     web.Pager
}

// treePage shows the hierarchy as of a day, expanded one level below the
// roots (and along the path to ?open=), with a search. The directory's
// public fields are for every signed-in user.
func (s *handler) treePage(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RequireSignedIn(s.Caller(r)); err != nil {
		s.Fail(w, r, err)
		return
	}
	ctx := r.Context()
	l := web.Lang(r)
	q := r.URL.Query()
	today := s.svc.Today()
	day, dayOK := s.dayParam(q.Get("date"))
	data := &treeData{Date: day.VN(), Today: sameDay(day, today), Query: strings.TrimSpace(q.Get("q")), Closed: q.Get("closed") != ""}
	status := http.StatusOK
	if !dayOK {
		data.DateError = l.T("err.date")
		data.Date = q.Get("date")
		status = http.StatusUnprocessableEntity
	}
	if t := units.Type(q.Get("type")); t.Valid() {
		data.Type = string(t)
	}
	data.Types = web.Choices(l, units.Types, "unit.type.", data.Type, "unit.search.all_types")

	b := &treeBuilder{st: s.Store(), ctx: ctx, day: day, lang: l, open: map[int64]bool{}}
	if !data.Today {
		b.dateParam = day.VN()
	}
	if id, err := strconv.ParseInt(q.Get("open"), 10, 64); err == nil && id > 0 {
		anc, err := s.Store().Ancestors(ctx, id, day)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		for _, a := range anc {
			b.open[a] = true
		}
	}
	roots, err := s.Store().Roots(ctx, day)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if data.Roots, err = b.nodes(roots, true, 0); err != nil {
		s.Fail(w, r, err)
		return
	}
	if data.Query != "" || data.Type != "" {
		if err := s.search(r, data, day); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	s.Render(w, r, status, "units_tree", data)
}

// search fills the results of the tree page's search.
func (s *handler) search(r *http.Request, data *treeData, day dates.Date) error {
	ctx := r.Context()
	data.Searched = true
	page, limit, offset := web.PageParams(r, pageSize)
	list, total, err := s.Store().SearchUnits(ctx, store.UnitFilter{Query: data.Query, Type: units.Type(data.Type),
		Day: day, IncludeClosed: data.Closed, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	parents := map[int64]*units.Unit{}
	for _, u := range list {
		row := searchRow{Unit: public(u), Active: u.ActiveOn(day)}
		if u.ParentID != 0 {
			par, seen := parents[u.ParentID]
			if !seen {
				if par, err = s.Store().Unit(ctx, u.ParentID, day); err != nil {
					return err
				}
				par = public(par)
				parents[u.ParentID] = par
			}
			row.Parent = par
		}
		data.Results = append(data.Results, row)
	}
	data.Pager = web.NewPager(page, pageSize, total)
	return nil
}

// childrenFragment is the list items under one unit, for app.js.
func (s *handler) childrenFragment(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RequireSignedIn(s.Caller(r)); err != nil {
		s.Fail(w, r, err)
		return
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	day, ok := s.dayParam(r.URL.Query().Get("date"))
	if !ok {
		s.Fail(w, r, web.BadRequest(validation.Errors{{Field: "date", Reason: "err.date"}}))
		return
	}
	ctx := r.Context()
	if _, err := s.Store().Unit(ctx, id, day); err != nil {
		s.Fail(w, r, err)
		return
	}
	kids, err := s.Store().Children(ctx, id, day)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	b := &treeBuilder{st: s.Store(), ctx: ctx, day: day, lang: web.Lang(r)}
	if !sameDay(day, s.svc.Today()) {
		b.dateParam = day.VN()
	}
	nodes, err := b.nodes(kids, false, 0)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.RenderFragment(w, r, "units_tree", "units-children", map[string]any{"Nodes": nodes})
}
