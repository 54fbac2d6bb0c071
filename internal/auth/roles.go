// Package auth holds accounts, roles and the access policy: a permission is a
// role applied to a unit subtree, and every handler asks Allowed before it
// reads or changes non-public data.
package auth

import (
	"slices"
	"strings"
)

// Role is what a user may do.
type Role string

// The roles; display names are in the catalogue under "role.<value>".
const (
	RoleAdmin       Role = "admin"       // system administrator: everything
	RoleCoordinator Role = "coordinator" // the coordinating department: the whole province
	RoleFocalPoint  Role = "focal_point" // manages their unit and its subtree
	RoleViewer      Role = "viewer"      // reads their unit and its subtree
	RolePolice      Role = "police"      // police officer (citizen reports, later)
	RoleLearner     Role = "learner"     // public learner (courses and contests, later)
)

// Roles lists every role from most to least powerful.
var Roles = []Role{RoleAdmin, RoleCoordinator, RoleFocalPoint, RoleViewer, RolePolice, RoleLearner}

// RoleNames lists the roles as an API or command-line caller spells them.
func RoleNames() string {
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Action is something a handler protects.
type Action string

// The actions of the foundation; later capabilities add their own.
const (
	UnitRead      Action = "unit.read"      // non-public unit data (contacts, headcounts)
	UnitWrite     Action = "unit.write"     // edit a unit, create units under it
	UnitStructure Action = "unit.structure" // move, merge, close units
	UnitImport    Action = "unit.import"    // import units from files
	UserRead      Action = "user.read"
	UserManage    Action = "user.manage"
	AuditRead     Action = "audit.read"

	PlanWrite     Action = "plan.write"     // plans, their indicators and tasks issued by the unit
	TaskReport    Action = "task.report"    // progress updates on tasks the unit leads or coordinates
	ActivityRead  Action = "activity.read"  // activities, indicator values and breakdowns
	ActivityWrite Action = "activity.write" // record, edit, import activities
	ReportRead    Action = "report.read"    // periodic reports of the unit
	ReportSubmit  Action = "report.submit"  // fill, save and submit the unit's reports
	ReportReview  Action = "report.review"  // templates, rounds, accept or return submissions

	// SettingsManage: the province's settings (coordinating agency,
	// document header, signer, recipients) and, for the administrator of
	// the deployment's only tree root, the deployment's (e-mail, address,
	// language). Administrators alone: a coordinator runs the programme
	// but does not decide how the deployment presents itself.
	SettingsManage Action = "settings.manage"
)

// TaskFollow are the grants that let someone follow a unit's tasks: those
// who report on them and those who read the unit's activities.
var TaskFollow = []Action{TaskReport, ActivityRead}

// Plans and their task tables are administrative documents that every
// staff member may read (a department must see the province plan it
// implements), so reading them needs only a staff role; see Staff.

// grant says what a role may do and whether it reaches the whole province or
// only the subtree of the user's unit.
type grant struct {
	province bool
	actions  []Action
}

var policy = map[Role]grant{
	RoleAdmin: {province: true, actions: []Action{UnitRead, UnitWrite, UnitStructure, UnitImport, UserRead, UserManage, AuditRead,
		PlanWrite, TaskReport, ActivityRead, ActivityWrite, ReportRead, ReportSubmit, ReportReview, SettingsManage}},
	RoleCoordinator: {province: true, actions: []Action{UnitRead, UnitWrite, UnitStructure, UnitImport, UserRead, UserManage, AuditRead,
		PlanWrite, TaskReport, ActivityRead, ActivityWrite, ReportRead, ReportSubmit, ReportReview}},
	RoleFocalPoint: {actions: []Action{UnitRead, UnitWrite, UserRead, UserManage,
		PlanWrite, TaskReport, ActivityRead, ActivityWrite, ReportRead, ReportSubmit}},
	RoleViewer:  {actions: []Action{UnitRead, UserRead, ActivityRead, ReportRead}},
	RolePolice:  {actions: []Action{UnitRead, ActivityRead}},
	RoleLearner: {},
}

// Staff reports whether p works in a unit (any role but learner): staff
// read plans and task tables.
func (p *Principal) Staff() bool {
	if p == nil {
		return false
	}
	for _, r := range p.Roles {
		if r != RoleLearner {
			return true
		}
	}
	return false
}

// Principal is the user behind a request.
type Principal struct {
	UserID             int64
	Email              string
	Name               string
	UnitID             int64
	Roles              []Role
	MustChangePassword bool
	ViaToken           bool // authenticated by an API token rather than a session
}

// Has reports whether p holds role r.
func (p *Principal) Has(r Role) bool { return p != nil && slices.Contains(p.Roles, r) }

// Scope tells where p may do a: everywhere (province), within the subtree of
// p.UnitID (subtree), or nowhere.
func (p *Principal) Scope(a Action) (province, subtree bool) {
	if p == nil {
		return false, false
	}
	for _, r := range p.Roles {
		g := policy[r]
		if !slices.Contains(g.actions, a) {
			continue
		}
		if g.province {
			return true, true
		}
		subtree = true
	}
	return false, subtree
}

// Can reports whether p may do a somewhere (used to show or hide navigation).
func (p *Principal) Can(a Action) bool {
	_, sub := p.Scope(a)
	return sub
}

// SubtreeChecker answers whether unit rolls up under root today.
type SubtreeChecker func(root, unit int64) (bool, error)

// Allowed reports whether p may do a on target unit, asking inSubtree only
// when the answer depends on the hierarchy.
func (p *Principal) Allowed(a Action, target int64, inSubtree SubtreeChecker) (bool, error) {
	province, sub := p.Scope(a)
	switch {
	case province:
		return true, nil
	case !sub:
		return false, nil
	}
	return inSubtree(p.UnitID, target)
}

// CanGrant reports whether p may give role r to a user (nobody raises anyone
// above themselves).
func (p *Principal) CanGrant(r Role) bool {
	switch {
	case p.Has(RoleAdmin):
		return true
	case p.Has(RoleCoordinator):
		return r != RoleAdmin
	case p.Has(RoleFocalPoint):
		return r == RoleFocalPoint || r == RoleViewer || r == RoleLearner
	}
	return false
}

// CanGrantAll reports whether p may give every role in roles, and names
// the first one it may not. Managing an account needs it for the roles the
// account holds, so nobody edits, disables or resets someone above
// themselves.
func (p *Principal) CanGrantAll(roles []Role) (Role, bool) {
	for _, r := range roles {
		if !p.CanGrant(r) {
			return r, false
		}
	}
	return "", true
}

// RolesFor lists the roles granting a, most powerful first.
func RolesFor(a Action) []Role {
	var out []Role
	for _, r := range Roles {
		if slices.Contains(policy[r].actions, a) {
			out = append(out, r)
		}
	}
	return out
}
