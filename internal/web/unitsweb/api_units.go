package unitsweb

import (
	"encoding/json"
	"net/http"
	"strconv"

	"khienso/internal/dates"
	"khienso/internal/service/unitsvc"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
	"khienso/internal/web"
)

// -------------------------------------------------------------- unit views

// apiUnitPublic holds the fields of a unit any signed-in user may see.
type apiUnitPublic struct {
	ID          int64             `json:"id"`
	Code        string            `json:"code"`
	Name        string            `json:"name"`
	ShortName   string            `json:"short_name"`
	Type        units.Type        `json:"type"`
	SchoolLevel units.SchoolLevel `json:"school_level,omitempty"`
	ParentID    int64             `json:"parent_id,omitempty"`
	ValidFrom   dates.Date        `json:"valid_from"`
	ValidTo     dates.Date        `json:"valid_to,omitzero"`
	ChildCount  int               `json:"child_count"`
}

// apiUnitExtras are the fields the API adds to a unit.
type apiUnitExtras struct {
	// Restricted is true when the non-public fields were left out.
	Restricted  bool           `json:"restricted"`
	AncestorIDs []int64        `json:"ancestor_ids,omitempty"`
	Children    *[]apiUnitView `json:"children,omitempty"`
}

// apiUnitView is a unit as the API shows it: every field to callers who may
// read the unit's non-public data, the public fields alone otherwise (the
// private ones are absent, not empty).
type apiUnitView struct {
	unit   *units.Unit
	full   bool
	extras apiUnitExtras
}

func (v apiUnitView) MarshalJSON() ([]byte, error) {
	v.extras.Restricted = !v.full
	if v.full {
		return json.Marshal(struct {
			*units.Unit
			apiUnitExtras
		}{v.unit, v.extras})
	}
	u := v.unit
	return json.Marshal(struct {
		apiUnitPublic
		apiUnitExtras
	}{apiUnitPublic{ID: u.ID, Code: u.Code, Name: u.Name, ShortName: u.ShortName, Type: u.Type,
		SchoolLevel: u.SchoolLevel, ParentID: u.ParentID, ValidFrom: u.ValidFrom, ValidTo: u.ValidTo,
		ChildCount: u.ChildCount}, v.extras})
}

func apiUnitViews(list []*units.Unit, canRead func(int64) bool) []apiUnitView {
	out := make([]apiUnitView, 0, len(list))
	for _, u := range list {
		out = append(out, apiUnitView{unit: u, full: canRead(u.ID)})
	}
	return out
}

// apiUnitOne answers with one unit read on day, with its ancestors.
func (s *handler) apiUnitOne(w http.ResponseWriter, r *http.Request, status int, id int64, day dates.Date) {
	u, anc, full, err := s.svc.UnitWithAncestors(r.Context(), s.Caller(r), id, day)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, status, apiUnitView{unit: u, full: full, extras: apiUnitExtras{AncestorIDs: anc[1:]}})
}

// apiUnitFields are the attributes of a unit a client may set. PATCH
// decodes the body over the current values, so fields left out keep them.
type apiUnitFields struct {
	Code          string            `json:"code"`
	Name          string            `json:"name"`
	ShortName     string            `json:"short_name"`
	Type          units.Type        `json:"type"`
	SchoolLevel   units.SchoolLevel `json:"school_level"`
	HeadName      string            `json:"head_name"`
	FocalPoint    units.Contact     `json:"focal_point"`
	StaffCount    *int              `json:"staff_count"`
	PupilCount    *int              `json:"pupil_count"`
	HeadcountYear int               `json:"headcount_year"`
}

func apiFieldsOf(u *units.Unit) apiUnitFields {
	return apiUnitFields{Code: u.Code, Name: u.Name, ShortName: u.ShortName, Type: u.Type,
		SchoolLevel: u.SchoolLevel, HeadName: u.HeadName, FocalPoint: u.Focal,
		StaffCount: u.StaffCount, PupilCount: u.PupilCount, HeadcountYear: u.HeadcountYear}
}

func (f apiUnitFields) applyTo(u *units.Unit) {
	u.Code, u.Name, u.ShortName, u.Type, u.SchoolLevel = f.Code, f.Name, f.ShortName, f.Type, f.SchoolLevel
	u.HeadName, u.Focal = f.HeadName, f.FocalPoint
	u.StaffCount, u.PupilCount, u.HeadcountYear = f.StaffCount, f.PupilCount, f.HeadcountYear
}

// ------------------------------------------------------------------- reads

// apiUnitList searches units.
func (s *handler) apiUnitList(w http.ResponseWriter, r *http.Request) {
	canRead, err := s.svc.Reader(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	limit, offset, err := web.ListParams(r, web.ListDefault, web.ListMax)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	q := r.URL.Query()
	var errs validation.Errors
	f := store.UnitFilter{Query: q.Get("q"), Type: units.Type(q.Get("type")), Limit: limit, Offset: offset}
	if f.Type != "" && !f.Type.Valid() {
		errs.Add("type", "err.unit_type")
	}
	f.Within = web.QueryID(q, "within", &errs)
	f.Day = s.queryDate(q, "date", &errs)
	f.IncludeClosed = queryBool(q, "include_closed", &errs)
	if len(errs) > 0 {
		s.Fail(w, r, web.BadRequest(errs))
		return
	}
	list, total, err := s.Store().SearchUnits(r.Context(), f)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, web.ListResponse[apiUnitView]{Items: apiUnitViews(list, canRead), Total: total, Limit: limit, Offset: offset})
}

// apiUnitGet reads one unit on ?date= (default today).
func (s *handler) apiUnitGet(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RequireSignedIn(s.Caller(r)); err != nil {
		s.Fail(w, r, err)
		return
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var errs validation.Errors
	day := s.queryDate(r.URL.Query(), "date", &errs)
	if len(errs) > 0 {
		s.Fail(w, r, web.BadRequest(errs))
		return
	}
	s.apiUnitOne(w, r, http.StatusOK, id, day)
}

// apiUnitListRequest reads what the per-unit list endpoints share: the
// unit in the path, ?limit=&offset= and ?date=.
func (s *handler) apiUnitListRequest(w http.ResponseWriter, r *http.Request, def, maxLimit int) (u *units.Unit, limit, offset int, day dates.Date, ok bool) {
	fail := func(err error) (*units.Unit, int, int, dates.Date, bool) {
		s.Fail(w, r, err)
		return nil, 0, 0, day, false
	}
	if err := s.svc.RequireSignedIn(s.Caller(r)); err != nil {
		return fail(err)
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		return fail(err)
	}
	if u, err = s.Store().Unit(r.Context(), id, s.svc.Today()); err != nil {
		return fail(err)
	}
	if limit, offset, err = web.ListParams(r, def, maxLimit); err != nil {
		return fail(err)
	}
	var errs validation.Errors
	if day = s.queryDate(r.URL.Query(), "date", &errs); len(errs) > 0 {
		return fail(web.BadRequest(errs))
	}
	return u, limit, offset, day, true
}

// apiUnitChildren lists the units directly under one unit on ?date=.
func (s *handler) apiUnitChildren(w http.ResponseWriter, r *http.Request) {
	u, limit, offset, day, ok := s.apiUnitListRequest(w, r, web.ListDefault, web.ListMax)
	if !ok {
		return
	}
	kids, err := s.Store().Children(r.Context(), u.ID, day)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	canRead, err := s.svc.Reader(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, web.ListResponse[apiUnitView]{Items: apiUnitViews(web.PageOf(kids, limit, offset), canRead),
		Total: len(kids), Limit: limit, Offset: offset})
}

// apiUnitSubtree lists the ids of the units that roll up under one unit on
// ?date= (the unit first).
func (s *handler) apiUnitSubtree(w http.ResponseWriter, r *http.Request) {
	u, limit, offset, day, ok := s.apiUnitListRequest(w, r, subtreeDefault, subtreeMax)
	if !ok {
		return
	}
	ids, err := s.Store().SubtreeIDs(r.Context(), u.ID, day)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, web.ListOf(ids, limit, offset))
}

// apiTreeResponse is the body of GET /api/v1/units/tree.
type apiTreeResponse struct {
	Date      dates.Date    `json:"date"`
	Depth     int           `json:"depth"`
	Truncated bool          `json:"truncated"`
	Items     []apiUnitView `json:"items"`
}

// apiUnitTree returns roots (or ?root=) with their children nested down to
// ?depth= levels (1 to 3, default 1), at most treeMaxNodes units in all;
// child_count tells what lies below a node that was not expanded.
func (s *handler) apiUnitTree(w http.ResponseWriter, r *http.Request) {
	canRead, err := s.svc.Reader(r.Context(), s.Caller(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	q := r.URL.Query()
	var errs validation.Errors
	day := s.queryDate(q, "date", &errs)
	root := web.QueryID(q, "root", &errs)
	depth := 1
	if v := q.Get("depth"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > treeMaxDepth {
			errs.Add("depth", "err.range", 1, treeMaxDepth)
		}
		depth = n
	}
	if len(errs) > 0 {
		s.Fail(w, r, web.BadRequest(errs))
		return
	}
	tops, err := s.treeTops(r, root, day)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	out := apiTreeResponse{Date: day, Depth: depth, Items: apiUnitViews(tops, canRead)}
	if err := s.expand(r, &out, canRead); err != nil {
		s.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// treeTops is the top of a tree: root on day, or every root.
func (s *handler) treeTops(r *http.Request, root int64, day dates.Date) ([]*units.Unit, error) {
	if root == 0 {
		return s.Store().Roots(r.Context(), day)
	}
	u, err := s.Store().Unit(r.Context(), root, day)
	if err != nil {
		return nil, err
	}
	return []*units.Unit{u}, nil
}

// expand nests children under out's items down to out.Depth levels,
// breadth first, so a cut at treeMaxNodes leaves whole upper levels.
func (s *handler) expand(r *http.Request, out *apiTreeResponse, canRead func(int64) bool) error {
	nodes := len(out.Items)
	level := make([]*apiUnitView, 0, len(out.Items))
	for i := range out.Items {
		level = append(level, &out.Items[i])
	}
	for d := 0; d < out.Depth && len(level) > 0 && !out.Truncated; d++ {
		var next []*apiUnitView
		for _, n := range level {
			if n.unit.ChildCount == 0 {
				empty := []apiUnitView{}
				n.extras.Children = &empty
				continue
			}
			if nodes+n.unit.ChildCount > treeMaxNodes {
				out.Truncated = true
				break
			}
			kids, err := s.Store().Children(r.Context(), n.unit.ID, out.Date)
			if err != nil {
				return err
			}
			views := apiUnitViews(kids, canRead)
			n.extras.Children = &views
			nodes += len(views)
			for i := range views {
				next = append(next, &views[i])
			}
		}
		level = next
	}
	return nil
}

// ------------------------------------------------------------------ writes

// apiUnitCreateBody is the body of POST /api/v1/units: the attributes, the
// parent and the first day. (Fields are spelled out rather than embedding
// apiUnitFields, so that decoding errors name them plainly.)
type apiUnitCreateBody struct {
	Code          string            `json:"code"`
	Name          string            `json:"name"`
	ShortName     string            `json:"short_name"`
	Type          units.Type        `json:"type"`
	SchoolLevel   units.SchoolLevel `json:"school_level"`
	HeadName      string            `json:"head_name"`
	FocalPoint    units.Contact     `json:"focal_point"`
	StaffCount    *int              `json:"staff_count"`
	PupilCount    *int              `json:"pupil_count"`
	HeadcountYear int               `json:"headcount_year"`
	ParentID      int64             `json:"parent_id"`
	ValidFrom     string            `json:"valid_from"`
}

func (b *apiUnitCreateBody) unit() *units.Unit {
	u := &units.Unit{}
	apiUnitFields{Code: b.Code, Name: b.Name, ShortName: b.ShortName, Type: b.Type, SchoolLevel: b.SchoolLevel,
		HeadName: b.HeadName, FocalPoint: b.FocalPoint, StaffCount: b.StaffCount, PupilCount: b.PupilCount,
		HeadcountYear: b.HeadcountYear}.applyTo(u)
	return u
}

// apiUnitCreate creates a unit under parent_id (a root without one), from
// valid_from (default today).
func (s *handler) apiUnitCreate(w http.ResponseWriter, r *http.Request) {
	actor := s.Caller(r)
	if err := s.svc.RequireSignedIn(actor); err != nil {
		s.Fail(w, r, err)
		return
	}
	var in apiUnitCreateBody
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	var problems validation.Errors
	u := in.unit()
	if u.ValidFrom = web.ISODate("valid_from", in.ValidFrom, &problems); u.ValidFrom.IsZero() {
		u.ValidFrom = s.svc.Today() // absent, or bad and reported
	}
	if err := s.svc.Create(r.Context(), actor, unitsvc.NewUnit{Unit: u, Parent: unitsvc.ByID(in.ParentID), Problems: problems}); err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/units/"+strconv.FormatInt(u.ID, 10))
	s.apiUnitOne(w, r, http.StatusCreated, u.ID, u.ValidFrom)
}

// apiUnitPatch changes the attributes present in the body; placement and
// validity change only by move, merge and close.
func (s *handler) apiUnitPatch(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	actor := s.Caller(r)
	u, err := s.svc.ForEdit(r.Context(), actor, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	in := apiFieldsOf(u)
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	in.applyTo(u)
	if err := s.svc.Update(r.Context(), actor, unitsvc.Change{Unit: u}); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.apiUnitOne(w, r, http.StatusOK, u.ID, s.svc.Today())
}

// apiUnitDelete refuses: a unit is never deleted, since its history and the
// data recorded against it must stay; POST …/close ends it instead.
func (s *handler) apiUnitDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RequireSignedIn(s.Caller(r)); err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Allow", "GET, PATCH") // as the core's 405 would say (tested)
	s.Fail(w, r, web.NewHTTPError(http.StatusMethodNotAllowed, "unit_not_deletable", "api.unit_delete", nil))
}

// apiMoveBody is the body of POST /api/v1/units/{id}/move.
type apiMoveBody struct {
	ParentID int64  `json:"parent_id"`
	Date     string `json:"date"`
}

// apiUnitClose ends a unit on a date without a successor.
func (s *handler) apiUnitClose(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var in struct {
		Date string `json:"date"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	var problems validation.Errors
	day := web.ISODate("date", in.Date, &problems)
	if err := s.svc.Close(r.Context(), s.Caller(r), id, day, problems); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.apiUnitOne(w, r, http.StatusOK, id, day.AddDays(-1))
}

// apiUnitMove places a unit under another parent from a date on.
func (s *handler) apiUnitMove(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var in apiMoveBody
	if err := web.DecodeJSON(w, r, &in); err != nil {
		s.Fail(w, r, err)
		return
	}
	var problems validation.Errors
	day := web.ISODate("date", in.Date, &problems)
	if err := s.svc.Move(r.Context(), s.Caller(r), id, unitsvc.ByID(in.ParentID), day, problems); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.apiUnitOne(w, r, http.StatusOK, id, day)
}

// apiMergeBody is the body of POST /api/v1/units/merge.
type apiMergeBody struct {
	SourceIDs []int64 `json:"source_ids"`
	TargetID  int64   `json:"target_id"`
	// NewTarget is a unit to create as the successor: the attributes and
	// parent of a unit to create (its first day is the merge date).
	NewTarget *apiUnitCreateBody `json:"new_target"`
	Date      string             `json:"date"`
}

// apiUnitMerge merges units into an existing or a new successor.
func (s *handler) apiUnitMerge(w http.ResponseWriter, r *http.Request) {
	actor := s.Caller(r)
	if err := s.svc.RequireSignedIn(actor); err != nil {
		s.Fail(w, r, err)
		return
	}
	var body apiMergeBody
	if err := web.DecodeJSON(w, r, &body); err != nil {
		s.Fail(w, r, err)
		return
	}
	in := unitsvc.MergeInput{Target: unitsvc.ByID(body.TargetID)}
	in.Date = web.ISODate("date", body.Date, &in.Problems)
	for _, id := range body.SourceIDs {
		if id <= 0 {
			in.Problems.Add("source_ids", "err.unit_unknown")
			continue
		}
		in.Sources = append(in.Sources, unitsvc.ByID(id))
	}
	if nt := body.NewTarget; nt != nil {
		if nt.ValidFrom != "" { // its first day is the merge date
			s.Fail(w, r, web.BadRequest(validation.Errors{{Field: "new_target.valid_from", Reason: "err.unknown_field"}}))
			return
		}
		in.New, in.NewParent = nt.unit(), unitsvc.ByID(nt.ParentID)
	}
	target, err := s.svc.Merge(r.Context(), actor, in)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	status := http.StatusOK
	if in.New != nil {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/v1/units/"+strconv.FormatInt(target, 10))
	}
	s.apiUnitOne(w, r, status, target, in.Date)
}
