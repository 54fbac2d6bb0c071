package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// API list sizes: lists of objects default to 50 items and allow 500; the
// subtree, a list of bare ids, allows more.
const (
	apiListDefault    = 50
	apiListMax        = 500
	apiSubtreeDefault = 1000
	apiSubtreeMax     = 10000
	apiTreeMaxDepth   = 3
	apiTreeMaxNodes   = 2000
)

// ------------------------------------------------------------ shared helpers

// apiCaller returns the signed-in caller, or answers 401 and returns nil.
func (s *Server) apiCaller(w http.ResponseWriter, r *http.Request) *auth.Principal {
	p := principal(r)
	if p == nil {
		s.fail(w, r, errUnauthorized)
	}
	return p
}

// apiParseISO reads a date written YYYY-MM-DD, the only form the API uses.
func apiParseISO(v string) (dates.Date, bool) {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return dates.Date{}, false
	}
	d, err := dates.Parse(v)
	return d, err == nil
}

// apiBodyDate reads a date field of a request body: empty gives the zero
// date (callers decide whether it is required or defaults to today).
func apiBodyDate(field, v string, errs *validation.Errors) dates.Date {
	if v == "" {
		return dates.Date{}
	}
	d, ok := apiParseISO(v)
	if !ok {
		errs.Add(field, "api.err_iso_date")
	}
	return d
}

// apiQueryDate reads ?name=YYYY-MM-DD; absent means today.
func apiQueryDate(q url.Values, name string, errs *validation.Errors) dates.Date {
	v := q.Get(name)
	if v == "" {
		return dates.Today()
	}
	d, ok := apiParseISO(v)
	if !ok {
		errs.Add(name, "api.err_iso_date")
		return dates.Today()
	}
	return d
}

// apiQueryID reads a positive id from ?name=; absent gives 0.
func apiQueryID(q url.Values, name string, errs *validation.Errors) int64 {
	v := q.Get(name)
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		errs.Add(name, "api.err_id")
		return 0
	}
	return id
}

// apiQueryBool reads ?name=true|false; absent gives false.
func apiQueryBool(q url.Values, name string, errs *validation.Errors) bool {
	v := q.Get(name)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		errs.Add(name, "api.err_bool")
	}
	return b
}

// apiPage cuts one page out of a list held in memory.
func apiPage[T any](all []T, limit, offset int) []T {
	start := min(offset, len(all))
	out := all[start:min(start+limit, len(all))]
	if out == nil {
		out = []T{}
	}
	return out
}

// apiForbiddenFields is a 403 naming why (for example a role that may not be
// granted).
func apiForbiddenFields(fields validation.Errors) error {
	return &httpError{http.StatusForbidden, "forbidden", "err.forbidden", fields}
}

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

// apiUnitReader tells, unit by unit, whether the caller may read non-public
// fields. Province-wide readers need no lookup; subtree readers get their
// subtree (today's hierarchy, as every access check) once per request.
func (s *Server) apiUnitReader(r *http.Request) (func(id int64) bool, error) {
	p := principal(r)
	province, sub := p.Scope(auth.UnitRead)
	switch {
	case province:
		return func(int64) bool { return true }, nil
	case !sub:
		return func(int64) bool { return false }, nil
	}
	ids, err := s.store.SubtreeIDs(r.Context(), p.UnitID, dates.Today())
	if err != nil {
		return nil, err
	}
	in := make(map[int64]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	return func(id int64) bool { return in[id] }, nil
}

func apiUnitViews(list []*units.Unit, canRead func(int64) bool) []apiUnitView {
	out := make([]apiUnitView, 0, len(list))
	for _, u := range list {
		out = append(out, apiUnitView{unit: u, full: canRead(u.ID)})
	}
	return out
}

// apiUnitOne answers with one unit read on day, with its ancestors.
func (s *Server) apiUnitOne(w http.ResponseWriter, r *http.Request, status int, id int64, day dates.Date) {
	u, anc, err := s.store.UnitWithAncestors(r.Context(), id, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	full, err := s.allowed(r, auth.UnitRead, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, status, apiUnitView{unit: u, full: full, extras: apiUnitExtras{AncestorIDs: anc[1:]}})
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

// apiRequireProvince fails with 403 unless the caller may do a across the
// whole province (needed to act where no unit is named, such as creating
// a root unit).
func (s *Server) apiRequireProvince(w http.ResponseWriter, r *http.Request, a auth.Action) bool {
	if province, _ := principal(r).Scope(a); !province {
		s.fail(w, r, errForbidden)
		return false
	}
	return true
}

// apiRequireUnit fails unless the caller may do a on unit (0: province).
func (s *Server) apiRequireUnit(w http.ResponseWriter, r *http.Request, a auth.Action, unit int64) bool {
	if unit == 0 {
		return s.apiRequireProvince(w, r, a)
	}
	return s.require(w, r, a, unit)
}

// apiLoadUnit reads the unit named by the path, placed as today.
func (s *Server) apiLoadUnit(w http.ResponseWriter, r *http.Request) (*units.Unit, bool) {
	id, err := pathID(r, "id")
	if err == nil {
		var u *units.Unit
		if u, err = s.store.Unit(r.Context(), id, dates.Today()); err == nil {
			return u, true
		}
	}
	s.fail(w, r, err)
	return nil, false
}

// ------------------------------------------------------------------- reads

// apiUnitList searches units.
func (s *Server) apiUnitList(w http.ResponseWriter, r *http.Request) {
	if s.apiCaller(w, r) == nil {
		return
	}
	limit, offset, err := listParams(r, apiListDefault, apiListMax)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	var errs validation.Errors
	f := store.UnitFilter{Query: q.Get("q"), Type: units.Type(q.Get("type")), Limit: limit, Offset: offset}
	if f.Type != "" && !f.Type.Valid() {
		errs.Add("type", "err.unit_type")
	}
	f.Within = apiQueryID(q, "within", &errs)
	f.Day = apiQueryDate(q, "date", &errs)
	f.IncludeClosed = apiQueryBool(q, "include_closed", &errs)
	if len(errs) > 0 {
		s.fail(w, r, badRequest(errs))
		return
	}
	list, total, err := s.store.SearchUnits(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	canRead, err := s.apiUnitReader(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, listResponse[apiUnitView]{Items: apiUnitViews(list, canRead), Total: total, Limit: limit, Offset: offset})
}

// apiUnitGet reads one unit on ?date= (default today).
func (s *Server) apiUnitGet(w http.ResponseWriter, r *http.Request) {
	if s.apiCaller(w, r) == nil {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var errs validation.Errors
	day := apiQueryDate(r.URL.Query(), "date", &errs)
	if len(errs) > 0 {
		s.fail(w, r, badRequest(errs))
		return
	}
	s.apiUnitOne(w, r, http.StatusOK, id, day)
}

// apiUnitListRequest reads what the per-unit list endpoints share: the
// caller, the unit in the path, ?limit=&offset= and ?date=.
func (s *Server) apiUnitListRequest(w http.ResponseWriter, r *http.Request, def, maxLimit int) (u *units.Unit, limit, offset int, day dates.Date, ok bool) {
	if s.apiCaller(w, r) == nil {
		return nil, 0, 0, day, false
	}
	if u, ok = s.apiLoadUnit(w, r); !ok {
		return nil, 0, 0, day, false
	}
	limit, offset, err := listParams(r, def, maxLimit)
	if err != nil {
		s.fail(w, r, err)
		return nil, 0, 0, day, false
	}
	var errs validation.Errors
	day = apiQueryDate(r.URL.Query(), "date", &errs)
	if len(errs) > 0 {
		s.fail(w, r, badRequest(errs))
		return nil, 0, 0, day, false
	}
	return u, limit, offset, day, true
}

// apiUnitChildren lists the units directly under one unit on ?date=.
func (s *Server) apiUnitChildren(w http.ResponseWriter, r *http.Request) {
	u, limit, offset, day, ok := s.apiUnitListRequest(w, r, apiListDefault, apiListMax)
	if !ok {
		return
	}
	kids, err := s.store.Children(r.Context(), u.ID, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	canRead, err := s.apiUnitReader(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, listResponse[apiUnitView]{Items: apiUnitViews(apiPage(kids, limit, offset), canRead),
		Total: len(kids), Limit: limit, Offset: offset})
}

// apiUnitSubtree lists the ids of the units that roll up under one unit on
// ?date= (the unit first).
func (s *Server) apiUnitSubtree(w http.ResponseWriter, r *http.Request) {
	u, limit, offset, day, ok := s.apiUnitListRequest(w, r, apiSubtreeDefault, apiSubtreeMax)
	if !ok {
		return
	}
	ids, err := s.store.SubtreeIDs(r.Context(), u.ID, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, listResponse[int64]{Items: apiPage(ids, limit, offset), Total: len(ids), Limit: limit, Offset: offset})
}

// apiTreeResponse is the body of GET /api/v1/units/tree.
type apiTreeResponse struct {
	Date      dates.Date    `json:"date"`
	Depth     int           `json:"depth"`
	Truncated bool          `json:"truncated"`
	Items     []apiUnitView `json:"items"`
}

// apiUnitTree returns roots (or ?root=) with their children nested down to
// ?depth= levels (1 to 3, default 1), at most apiTreeMaxNodes units in all;
// child_count tells what lies below a node that was not expanded.
func (s *Server) apiUnitTree(w http.ResponseWriter, r *http.Request) {
	if s.apiCaller(w, r) == nil {
		return
	}
	q := r.URL.Query()
	var errs validation.Errors
	day := apiQueryDate(q, "date", &errs)
	root := apiQueryID(q, "root", &errs)
	depth := 1
	if v := q.Get("depth"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiTreeMaxDepth {
			errs.Add("depth", "err.range", 1, apiTreeMaxDepth)
		}
		depth = n
	}
	if len(errs) > 0 {
		s.fail(w, r, badRequest(errs))
		return
	}
	ctx := r.Context()
	var tops []*units.Unit
	if root != 0 {
		u, err := s.store.Unit(ctx, root, day)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		tops = []*units.Unit{u}
	} else {
		var err error
		if tops, err = s.store.Roots(ctx, day); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	canRead, err := s.apiUnitReader(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := apiTreeResponse{Date: day, Depth: depth, Items: apiUnitViews(tops, canRead)}
	nodes := len(out.Items)
	// Breadth first, so a cut leaves whole upper levels.
	level := make([]*apiUnitView, 0, len(out.Items))
	for i := range out.Items {
		level = append(level, &out.Items[i])
	}
	for d := 0; d < depth && len(level) > 0 && !out.Truncated; d++ {
		var next []*apiUnitView
		for _, n := range level {
			if n.unit.ChildCount == 0 {
				empty := []apiUnitView{}
				n.extras.Children = &empty
				continue
			}
			if nodes+n.unit.ChildCount > apiTreeMaxNodes {
				out.Truncated = true
				break
			}
			kids, err := s.store.Children(ctx, n.unit.ID, day)
			if err != nil {
				s.fail(w, r, err)
				return
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
	writeJSON(w, http.StatusOK, out)
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

func (b *apiUnitCreateBody) fields() apiUnitFields {
	return apiUnitFields{Code: b.Code, Name: b.Name, ShortName: b.ShortName, Type: b.Type, SchoolLevel: b.SchoolLevel,
		HeadName: b.HeadName, FocalPoint: b.FocalPoint, StaffCount: b.StaffCount, PupilCount: b.PupilCount, HeadcountYear: b.HeadcountYear}
}

// apiUnitCreate creates a unit under parent_id (a root without one), from
// valid_from (default today).
func (s *Server) apiUnitCreate(w http.ResponseWriter, r *http.Request) {
	if s.apiCaller(w, r) == nil {
		return
	}
	var in apiUnitCreateBody
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.apiRequireUnit(w, r, auth.UnitWrite, in.ParentID) {
		return
	}
	var errs validation.Errors
	u := &units.Unit{ValidFrom: apiBodyDate("valid_from", in.ValidFrom, &errs)}
	if u.ValidFrom.IsZero() { // absent, or bad and already reported
		u.ValidFrom = dates.Today()
	}
	in.fields().applyTo(u)
	if err := apiJoin(errs, u.Validate()); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.CreateUnit(r.Context(), s.actor(r), u, in.ParentID); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/units/"+strconv.FormatInt(u.ID, 10))
	s.apiUnitOne(w, r, http.StatusCreated, u.ID, u.ValidFrom)
}

// apiJoin merges the handler's own field errors with a domain error.
func apiJoin(errs validation.Errors, err error) error {
	if err == nil {
		return errs.Err()
	}
	var ve validation.Errors
	if !errors.As(err, &ve) {
		return err
	}
	return append(errs, ve...)
}

// apiUnitPatch changes the attributes present in the body; placement and
// validity change only by move, merge and close.
func (s *Server) apiUnitPatch(w http.ResponseWriter, r *http.Request) {
	if s.apiCaller(w, r) == nil {
		return
	}
	u, ok := s.apiLoadUnit(w, r)
	if !ok || !s.require(w, r, auth.UnitWrite, u.ID) {
		return
	}
	in := apiFieldsOf(u)
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	in.applyTo(u)
	if err := s.store.UpdateUnit(r.Context(), s.actor(r), u); err != nil {
		s.fail(w, r, err)
		return
	}
	s.apiUnitOne(w, r, http.StatusOK, u.ID, dates.Today())
}

var apiUnitNoDelete = &httpError{http.StatusMethodNotAllowed, "unit_not_deletable", "api.unit_delete", nil}

// apiUnitDelete refuses: a unit is never deleted, since its history and the
// data recorded against it must stay; POST …/close ends it instead.
func (s *Server) apiUnitDelete(w http.ResponseWriter, r *http.Request) {
	if s.apiCaller(w, r) == nil {
		return
	}
	w.Header().Set("Allow", "GET, PATCH") // as apiNoRoute says (tested)
	s.fail(w, r, apiUnitNoDelete)
}

// apiUnitClose ends a unit on a date without a successor.
func (s *Server) apiUnitClose(w http.ResponseWriter, r *http.Request) {
	if s.apiCaller(w, r) == nil {
		return
	}
	u, ok := s.apiLoadUnit(w, r)
	if !ok || !s.require(w, r, auth.UnitStructure, u.ID) {
		return
	}
	var in struct {
		Date string `json:"date"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	var errs validation.Errors
	day := apiBodyDate("date", in.Date, &errs)
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.CloseUnit(r.Context(), s.actor(r), u.ID, day); err != nil {
		s.fail(w, r, err)
		return
	}
	s.apiUnitOne(w, r, http.StatusOK, u.ID, day.AddDays(-1))
}

// apiUnitMove places a unit under another parent from a date on.
func (s *Server) apiUnitMove(w http.ResponseWriter, r *http.Request) {
	if s.apiCaller(w, r) == nil {
		return
	}
	u, ok := s.apiLoadUnit(w, r)
	if !ok || !s.require(w, r, auth.UnitStructure, u.ID) {
		return
	}
	var in struct {
		ParentID int64  `json:"parent_id"`
		Date     string `json:"date"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.ParentID == 0 {
		s.fail(w, r, validation.Single("parent_id", "err.required"))
		return
	}
	if !s.require(w, r, auth.UnitStructure, in.ParentID) {
		return
	}
	var errs validation.Errors
	day := apiBodyDate("date", in.Date, &errs)
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.MoveUnit(r.Context(), s.actor(r), u.ID, in.ParentID, day); err != nil {
		s.fail(w, r, err)
		return
	}
	s.apiUnitOne(w, r, http.StatusOK, u.ID, day)
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
func (s *Server) apiUnitMerge(w http.ResponseWriter, r *http.Request) {
	if s.apiCaller(w, r) == nil {
		return
	}
	if !principal(r).Can(auth.UnitStructure) {
		s.fail(w, r, errForbidden)
		return
	}
	var in apiMergeBody
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	// The caller needs the structure right on every unit named: the
	// sources, and the successor or the new successor's parent.
	for _, id := range in.SourceIDs {
		if id <= 0 {
			s.fail(w, r, validation.Single("source_ids", "err.unit_unknown"))
			return
		}
		if !s.require(w, r, auth.UnitStructure, id) {
			return
		}
	}
	if in.TargetID != 0 && !s.require(w, r, auth.UnitStructure, in.TargetID) {
		return
	}
	if in.NewTarget != nil && !s.apiRequireUnit(w, r, auth.UnitStructure, in.NewTarget.ParentID) {
		return
	}
	var errs validation.Errors
	req := store.MergeRequest{SourceIDs: in.SourceIDs, TargetID: in.TargetID, Date: apiBodyDate("date", in.Date, &errs)}
	if nt := in.NewTarget; nt != nil {
		if nt.ValidFrom != "" { // its first day is the merge date
			s.fail(w, r, badRequest(validation.Errors{{Field: "new_target.valid_from", Reason: "err.unknown_field"}}))
			return
		}
		req.NewTarget = &units.Unit{}
		nt.fields().applyTo(req.NewTarget)
		req.NewTargetParent = nt.ParentID
	}
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	target, err := s.store.MergeUnits(r.Context(), s.actor(r), req)
	if err != nil {
		// The store names the new successor's fields "target.…" (and, when
		// creating it, plainly "code" and "parent_id"); the API calls it
		// new_target.
		var ve validation.Errors
		if errors.As(err, &ve) {
			for i := range ve {
				if rest, ok := strings.CutPrefix(ve[i].Field, "target."); ok {
					ve[i].Field = "new_target." + rest
				} else if in.NewTarget != nil && (ve[i].Field == "code" || ve[i].Field == "parent_id") {
					ve[i].Field = "new_target." + ve[i].Field
				}
			}
		}
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if in.NewTarget != nil {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/v1/units/"+strconv.FormatInt(target, 10))
	}
	s.apiUnitOne(w, r, status, target, req.Date)
}
