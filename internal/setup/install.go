package setup

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"khienso/internal/audit"
	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/progress"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// Admin is the first administrator to create.
type Admin struct {
	Email string
	Name  string // "" means DefaultAdminName
	// Password is the chosen password; "" makes Install generate a
	// one-time password that must be changed at the first sign-in.
	Password string
}

// DefaultAdminName names an administrator given no name.
const DefaultAdminName = "Quản trị hệ thống"

// Request is what to install.
type Request struct {
	Plans []*Plan
	// Country puts the committees under the national root, creating it if
	// needed; a committee already in the database is placed under it too.
	// Without Country, new committees go under the national root if the
	// database has one, else they are roots.
	Country bool
	Admin   Admin
	Actor   audit.Actor // who the audit log names (the command line, the demo)
	Today   dates.Date  // the day that decides what "exists" means; zero: today
}

// Result says what Install did.
type Result struct {
	Installed []*Plan          // the provinces installed now
	Existing  []*Plan          // those already in the database, left as they were
	Committee map[string]int64 // committee id by province code, installed or existing
	RootID    int64            // the national root (Country only)
	RootNew   bool             // the national root was created now
	Moved     []string         // codes of existing committees placed under the root now
	Admin     *auth.User       // the administrator created, nil if none was
	Password  string           // the one-time password generated, "" if none was
}

// Changed reports whether Install wrote anything.
func (r *Result) Changed() bool { return len(r.Installed) > 0 || r.RootNew || len(r.Moved) > 0 }

// CodeTakenError says that a province's code belongs to a unit that is not
// that province's committee (a unit entered by hand, say), so set-up
// cannot tell whether the province is installed.
type CodeTakenError struct {
	Code string
	Unit *units.Unit
}

func (e *CodeTakenError) Error() string {
	return fmt.Sprintf("code %q belongs to %s (type %s), not a %s", e.Code, e.Unit.Name, e.Unit.Type, want(e.Code))
}

func want(code string) units.Type {
	if code == NationalCode {
		return units.TypeNational
	}
	return units.TypeProvinceCommittee
}

// Install writes req into st in one transaction: each province not yet in
// the database (found by its committee's code) with its settings, the
// national root for Country, and the administrator (on the national root
// for Country, else on the first province installed) when anything was
// installed. Provinces already there are left unchanged, so running the
// same request twice changes nothing. The deployment's defaults (programme
// templates, the standard report template) are ensured first, as every
// `serve` does.
func Install(ctx context.Context, st *store.Store, req Request) (*Result, error) {
	if len(req.Plans) == 0 && !req.Country {
		return nil, errors.New("setup: nothing to install")
	}
	day := req.Today
	if day.IsZero() {
		day = dates.Today()
	}
	admin := &auth.User{Email: req.Admin.Email, Name: req.Admin.Name, Roles: []auth.Role{auth.RoleAdmin}}
	if admin.Name == "" {
		admin.Name = DefaultAdminName
	}
	if err := checkAdmin(admin, req.Admin.Password); err != nil {
		return nil, err
	}
	// Hashing is slow on purpose: done before the transaction, not while
	// it holds the write lock.
	password, generated := req.Admin.Password, false
	if password == "" {
		password, generated = auth.GeneratePassword(), true
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	admin.MustChangePassword = generated
	if err := progress.InstallDefaults(ctx, st); err != nil {
		return nil, err
	}
	var res *Result
	err = st.Tx(ctx, func(tx *store.Tx) error {
		res = &Result{Committee: map[string]int64{}}
		if err := findRoot(ctx, tx, req.Actor, req.Country, res); err != nil {
			return err
		}
		for _, p := range req.Plans {
			u, err := existing(ctx, tx, p.Code, day)
			if err != nil {
				return err
			}
			if u != nil {
				res.Existing = append(res.Existing, p)
				res.Committee[p.Code] = u.ID
				if req.Country && u.ParentID == 0 {
					// A province set up on its own before joins the country.
					if err := tx.MoveUnit(ctx, req.Actor, u.ID, res.RootID, laterOf(u.ValidFrom, HistoryStart)); err != nil {
						return fmt.Errorf("place %s under the national root: %w", p.Code, err)
					}
					res.Moved = append(res.Moved, p.Code)
				}
				continue
			}
			ids, err := load(ctx, tx, req.Actor, res.RootID, p.Units, p.Merges)
			if err != nil {
				return fmt.Errorf("install province %s: %w", p.Code, err)
			}
			set := p.Settings
			if set.CoordinatorID = ids[p.Coordinator]; set.CoordinatorID == 0 {
				return fmt.Errorf("install province %s: coordinating agency %q is not among its units", p.Code, p.Coordinator)
			}
			set.Normalize()
			if errs := set.Validate(); len(errs) > 0 {
				return fmt.Errorf("install province %s: settings: %w", p.Code, errs)
			}
			if err := tx.SetSettings(ctx, req.Actor, ids[p.Code], set.Values()); err != nil {
				return err
			}
			res.Installed = append(res.Installed, p)
			res.Committee[p.Code] = ids[p.Code]
		}
		if len(res.Installed) == 0 && !res.RootNew {
			return nil // nothing new needs an administrator
		}
		admin.UnitID = res.RootID
		if !req.Country {
			admin.UnitID = res.Committee[res.Installed[0].Code]
		}
		if err := tx.CreateUser(ctx, req.Actor, admin, hash); err != nil {
			return err
		}
		res.Admin = admin
		if generated {
			res.Password = password
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// checkAdmin validates the administrator before anything is written; the
// unit is not known yet.
func checkAdmin(u *auth.User, password string) error {
	u.Normalize()
	var errs validation.Errors
	var ve validation.Errors
	probe := *u
	probe.UnitID = 1
	if errors.As(probe.Validate(), &ve) {
		errs = append(errs, ve...)
	}
	if password != "" {
		if errors.As(auth.ValidatePassword("password", password, auth.PasswordContext{Email: u.Email, Name: u.Name}), &ve) {
			errs = append(errs, ve...)
		}
	}
	return errs.Err()
}

// existing returns the committee with code, nil if there is none, or a
// CodeTakenError if the code belongs to another kind of unit.
func existing(ctx context.Context, tx *store.Tx, code string, day dates.Date) (*units.Unit, error) {
	u, err := tx.UnitByCode(ctx, code, day)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if u.Type != want(code) {
		return nil, &CodeTakenError{Code: code, Unit: u}
	}
	return u, nil
}

// findRoot finds the national root, creating it for a country. A province
// added to a national deployment goes under its root too.
func findRoot(ctx context.Context, tx *store.Tx, a audit.Actor, country bool, res *Result) error {
	u, err := existing(ctx, tx, NationalCode, HistoryStart)
	var taken *CodeTakenError
	if !country && errors.As(err, &taken) {
		return nil // not a national deployment, just a unit with that code
	}
	if err != nil || u != nil || !country {
		if u != nil {
			res.RootID = u.ID
		}
		return err
	}
	root := &units.Unit{Code: NationalCode, Name: NationalName, ShortName: NationalName, Type: units.TypeNational, ValidFrom: HistoryStart}
	if err := tx.CreateUnit(ctx, a, root, 0); err != nil {
		return fmt.Errorf("create the national root: %w", err)
	}
	res.RootID, res.RootNew = root.ID, true
	return nil
}

func laterOf(a, b dates.Date) dates.Date {
	if a.After(b) {
		return a
	}
	return b
}

// load creates list (parents before children; a unit without parent goes
// under root, or is a root when root is 0) and carries out the merges in
// tx, returning the ids by code. Merges run by date, and on one day the
// deeper units first, so that a district has no commune left under it when
// it ends. The demo province goes through here too.
func load(ctx context.Context, tx *store.Tx, a audit.Actor, root int64, list []Unit, merges []Merge) (map[string]int64, error) {
	// Units are written a level at a time, in multi-row inserts: every
	// parent is then stored before its children.
	depth := make(map[string]int, len(list))
	var levels [][]int // indexes into list, by depth
	for i, u := range list {
		d := 0
		if u.Parent != "" {
			pd, ok := depth[u.Parent]
			if !ok {
				return nil, fmt.Errorf("unit %s: parent %s is not before it", u.Code, u.Parent)
			}
			d = pd + 1
		}
		depth[u.Code] = d
		if d == len(levels) {
			levels = append(levels, nil)
		}
		levels[d] = append(levels[d], i)
	}
	ids := make(map[string]int64, len(list))
	for _, level := range levels {
		batch := make([]*units.Unit, len(level))
		parents := make([]int64, len(level))
		for j, i := range level {
			u := list[i].Unit // a copy: the plan stays reusable
			u.Normalize()
			if err := u.Validate(); err != nil {
				return nil, fmt.Errorf("unit %s: %w", u.Code, err)
			}
			batch[j], parents[j] = &u, root
			if p := list[i].Parent; p != "" {
				parents[j] = ids[p]
			}
		}
		if err := tx.CreateUnits(ctx, a, batch, parents); err != nil {
			return nil, fmt.Errorf("units from %s: %w", batch[0].Code, err)
		}
		for _, u := range batch {
			ids[u.Code] = u.ID
		}
	}
	ms := append([]Merge(nil), merges...)
	sort.SliceStable(ms, func(i, j int) bool {
		if a, b := ms[i].Date, ms[j].Date; a.Before(b) || b.Before(a) {
			return a.Before(b)
		}
		return depth[ms[i].Sources[0]] > depth[ms[j].Sources[0]]
	})
	// One call per day and depth: sources of one call never sit under one
	// another.
	for i := 0; i < len(ms); {
		j := i
		var reqs []store.MergeRequest
		for ; j < len(ms) && !ms[j].Date.Before(ms[i].Date) && !ms[i].Date.Before(ms[j].Date) &&
			depth[ms[j].Sources[0]] == depth[ms[i].Sources[0]]; j++ {
			req := store.MergeRequest{TargetID: ids[ms[j].Target]}
			if req.TargetID == 0 {
				return nil, fmt.Errorf("merge: unknown target %s", ms[j].Target)
			}
			for _, src := range ms[j].Sources {
				if ids[src] == 0 {
					return nil, fmt.Errorf("merge into %s: unknown source %s", ms[j].Target, src)
				}
				req.SourceIDs = append(req.SourceIDs, ids[src])
			}
			reqs = append(reqs, req)
		}
		if err := tx.MergeAll(ctx, a, ms[i].Date, reqs); err != nil {
			return nil, fmt.Errorf("merges of %s: %w", ms[i].Date, err)
		}
		i = j
	}
	return ids, nil
}
