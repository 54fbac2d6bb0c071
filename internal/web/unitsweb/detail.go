package unitsweb

import (
	"net/http"
	"strings"

	"khienso/internal/dates"
	"khienso/internal/service/unitsvc"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// detailChildren bounds the children listed on a unit's page; the tree
// shows the rest.
const detailChildren = 100

// maxForm bounds the body of a unit form.
const maxForm = 64 << 10

type detailData struct {
	Unit         *units.Unit // public fields only unless Private
	Private      bool
	Day          dates.Date // the day placement and children are shown for
	Active       bool
	Chain        []*units.Unit // root first, parent last
	Parent       *units.Unit
	Children     []*units.Unit
	MoreChildren int
	Placements   []store.Placement
	Predecessors []store.Succession
	Successors   []store.Succession
	CanEdit      bool
	CanStructure bool
	Work         unitsvc.Rights // which of the unit's lists actor may open
	Notice       string
	CloseDate    string
	CloseError   string
}

// viewDay is the day a unit is best shown at: today while it exists, its
// last day once closed, its first day before it starts.
func viewDay(u *units.Unit, today dates.Date) dates.Date {
	switch {
	case !u.ValidTo.IsZero() && !today.Before(u.ValidTo):
		return u.ValidTo.AddDays(-1)
	case today.Before(u.ValidFrom):
		return u.ValidFrom
	}
	return today
}

// notices maps ?done= to the message shown after a change.
var notices = map[string]string{
	"created": "unit.done.created", "saved": "unit.done.saved", "moved": "unit.done.moved",
	"merged": "unit.done.merged", "closed": "unit.done.closed",
}

func (s *handler) detail(r *http.Request, id int64) (*detailData, error) {
	ctx := r.Context()
	actor := s.Caller(r)
	today := s.svc.Today()
	u, _, err := s.svc.Unit(ctx, actor, id, today)
	if err != nil {
		return nil, err
	}
	d := &detailData{Day: viewDay(u, today), Active: u.ActiveOn(today), CloseDate: today.VN()}
	var anc []int64
	if d.Unit, anc, d.Private, err = s.svc.UnitWithAncestors(ctx, actor, id, d.Day); err != nil {
		return nil, err
	}
	rights, err := s.svc.RightsOn(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	d.CanEdit, d.CanStructure, d.Work = rights.Write, rights.Structure, rights
	if err := s.placement(r, d, anc); err != nil {
		return nil, err
	}
	if key, ok := notices[r.URL.Query().Get("done")]; ok {
		d.Notice = web.Lang(r).T(key)
	}
	return d, nil
}

// placement fills where d's unit sits: its chain of parents, children,
// placements through time and merges (public fields only). anc is its
// chain of ancestors on d.Day, the unit first.
func (s *handler) placement(r *http.Request, d *detailData, anc []int64) error {
	ctx := r.Context()
	st := s.Store()
	id := d.Unit.ID
	for i := len(anc) - 1; i >= 1; i-- {
		a, err := st.Unit(ctx, anc[i], d.Day)
		if err != nil {
			return err
		}
		d.Chain = append(d.Chain, public(a))
	}
	if len(d.Chain) > 0 && d.Unit.ParentID != 0 {
		d.Parent = d.Chain[len(d.Chain)-1]
	}
	kids, err := st.Children(ctx, id, d.Day)
	if err != nil {
		return err
	}
	if len(kids) > detailChildren {
		d.MoreChildren = len(kids) - detailChildren
		kids = kids[:detailChildren]
	}
	for _, k := range kids {
		d.Children = append(d.Children, public(k))
	}
	if d.Placements, err = st.Placements(ctx, id); err != nil {
		return err
	}
	for i := range d.Placements {
		d.Placements[i].Parent = public(d.Placements[i].Parent)
	}
	if d.Predecessors, err = st.Predecessors(ctx, id); err != nil {
		return err
	}
	if d.Successors, err = st.Successors(ctx, id); err != nil {
		return err
	}
	for _, list := range [][]store.Succession{d.Predecessors, d.Successors} {
		for i := range list {
			list[i].Unit = public(list[i].Unit)
		}
	}
	return nil
}

// detailPage shows one unit: public fields to everyone, contacts and
// headcounts only to those whose scope covers it.
func (s *handler) detailPage(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d, err := s.detail(r, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "units_detail", d)
}

// closeSubmit ends a unit on the chosen day.
func (s *handler) closeSubmit(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r, maxForm) {
		return
	}
	text := strings.TrimSpace(r.PostFormValue("date"))
	var problems validation.Errors
	day, err := dates.Parse(text)
	if err != nil {
		problems.Add("date", "err.date")
	}
	err = s.svc.Close(r.Context(), s.Caller(r), id, day, problems)
	if errs, status, ok := formProblems(err); ok && len(errs) > 0 {
		d, err := s.detail(r, id)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		d.CloseDate = text
		d.CloseError = web.Lang(r).T(errs[0].Reason, errs[0].Args...)
		s.Render(w, r, status, "units_detail", d)
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, unitURL(id, "closed"), http.StatusSeeOther)
}
