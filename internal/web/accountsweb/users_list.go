package accountsweb

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/service/accountsvc"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/web"
)

const (
	// userPageSize is how many accounts a page of /users lists.
	userPageSize = 50
	// userPageMaxForm bounds the body of the user and token forms.
	userPageMaxForm = 16 << 10
)

// unitNames reads units by id for display (public fields only), once each.
type unitNames struct {
	st    *store.Store
	ctx   context.Context
	cache map[int64]*units.Unit
}

func newUnitNames(ctx context.Context, st *store.Store) *unitNames {
	return &unitNames{st: st, ctx: ctx, cache: map[int64]*units.Unit{}}
}

func (c *unitNames) get(id int64) (*units.Unit, error) {
	if u, ok := c.cache[id]; ok {
		return u, nil
	}
	u, err := c.st.Unit(c.ctx, id, dates.Today())
	if errors.Is(err, store.ErrNotFound) {
		c.cache[id] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	pub := u.Public()
	c.cache[id] = &pub
	return c.cache[id], nil
}

type userListRow struct {
	User      *auth.User
	Unit      *units.Unit
	Status    string
	CanManage bool
}

type userListData struct {
	Query     string
	Unit      int64 // the ?unit= the list is narrowed to, kept by the search form
	Rows      []userListRow
	Pager     web.Pager
	CanCreate bool
	Scoped    *units.Unit // the unit whose subtree the list covers, when it is not everything
}

// userListPage lists the accounts the caller may read.
func (s *handler) userListPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page, limit, offset := web.PageParams(r, userPageSize)
	unit := web.FormID(r, "unit")
	list, err := s.svc.Users(ctx, s.Caller(r), accountsvc.UserQuery{Query: q, Unit: unit, Limit: limit, Offset: offset})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	data := &userListData{Query: q, Unit: unit, Pager: web.NewPager(page, userPageSize, list.Total), CanCreate: web.Principal(r).Can(auth.UserManage)}
	names := newUnitNames(ctx, s.Store())
	if list.Within != 0 {
		if data.Scoped, err = names.get(list.Within); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	now := time.Now()
	for _, u := range list.Items {
		row := userListRow{User: u, Status: u.Status(now), CanManage: list.Manageable[u.ID]}
		if row.Unit, err = names.get(u.UnitID); err != nil {
			s.Fail(w, r, err)
			return
		}
		data.Rows = append(data.Rows, row)
	}
	s.Render(w, r, http.StatusOK, "users_list", data)
}
