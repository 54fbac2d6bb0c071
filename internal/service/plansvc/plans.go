package plansvc

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/progress"
	"khienso/internal/service"
	"khienso/internal/store"
	"khienso/internal/textnorm"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// Programmes lists the programme templates (national documents: every
// staff member reads them).
func (s *Service) Programmes(ctx context.Context, actor service.Actor) ([]*plans.Programme, error) {
	if err := s.access.RequireStaff(actor); err != nil {
		return nil, err
	}
	return s.store.Programmes(ctx)
}

// Programme loads one programme template with its targets.
func (s *Service) Programme(ctx context.Context, actor service.Actor, id int64) (*plans.Programme, error) {
	if err := s.access.RequireStaff(actor); err != nil {
		return nil, err
	}
	return s.store.Programme(ctx, id)
}

// PlanQuery filters the plan list; zero fields do not filter.
type PlanQuery struct {
	Unit      int64        // issued by this unit
	Parent    int64        // implementing this plan; store.PlanTopLevel or store.PlanImplementer for a level
	Status    plans.Status // in this status
	Programme int64        // implementing this programme
	Year      int          // whose period covers this year
}

// Plans lists the plans actor may read (CanRead: issued plans of their
// province, drafts of the units they may write or read), newest period
// first.
func (s *Service) Plans(ctx context.Context, actor service.Actor, q PlanQuery) ([]*plans.Plan, error) {
	if err := s.access.RequireStaff(actor); err != nil {
		return nil, err
	}
	f := store.PlanFilter{Parent: q.Parent, Status: q.Status, Programme: q.Programme, Year: q.Year}
	if q.Unit != 0 {
		f.Units = []int64{q.Unit}
	}
	all, err := s.store.Plans(ctx, f)
	if err != nil {
		return nil, err
	}
	return s.visible(ctx, actor, all)
}

// visible keeps the plans of list that actor may read.
func (s *Service) visible(ctx context.Context, actor service.Actor, list []*plans.Plan) ([]*plans.Plan, error) {
	rc := s.readCheck(actor)
	out := list[:0:0]
	for _, p := range list {
		ok, err := rc.can(ctx, p)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// Related is what a plan's page shows around it.
type Related struct {
	Programme *plans.Programme // nil when the plan follows none
	Parent    *plans.Plan      // nil when it implements none, or the actor may not read it
	Children  []*plans.Plan    // the plans implementing it that the actor may read, by unit name
}

// Related loads p's programme, parent and children for actor, who has
// read p (through Plan).
func (s *Service) Related(ctx context.Context, actor service.Actor, p *plans.Plan) (*Related, error) {
	rel := &Related{}
	var err error
	if p.ProgrammeID != 0 {
		if rel.Programme, err = s.store.Programme(ctx, p.ProgrammeID); err != nil {
			return nil, err
		}
	}
	if p.ParentID != 0 {
		parent, err := s.store.Plan(ctx, p.ParentID)
		if err != nil {
			return nil, err
		}
		// A parent linked before the parent rule existed, or a province
		// draft a unit's plan was made under, stays hidden from those who
		// may not read it.
		if ok, err := s.CanRead(ctx, actor, parent); err != nil {
			return nil, err
		} else if ok {
			rel.Parent = parent
		}
	}
	children, err := s.store.Plans(ctx, store.PlanFilter{Parent: p.ID})
	if err != nil {
		return nil, err
	}
	if rel.Children, err = s.visible(ctx, actor, children); err != nil {
		return nil, err
	}
	sort.SliceStable(rel.Children, func(i, j int) bool { return textnorm.Compare(rel.Children[i].UnitName, rel.Children[j].UnitName) < 0 })
	return rel, nil
}

// Fields are a plan's own fields as a person types them.
type Fields struct {
	Number, Title, Signer, Objectives string
	IssuedOn                          dates.Date
	YearFrom, YearTo                  int
	Status                            plans.Status
}

func (f Fields) apply(p *plans.Plan) {
	p.Number, p.Title, p.Signer, p.Objectives = f.Number, f.Title, f.Signer, f.Objectives
	p.IssuedOn, p.YearFrom, p.YearTo, p.Status = f.IssuedOn, f.YearFrom, f.YearTo, f.Status
}

// FieldsOf are p's fields, to start an edit from.
func FieldsOf(p *plans.Plan) Fields {
	return Fields{Number: p.Number, Title: p.Title, Signer: p.Signer, Objectives: p.Objectives,
		IssuedOn: p.IssuedOn, YearFrom: p.YearFrom, YearTo: p.YearTo, Status: p.Status}
}

// NewPlan is a plan to create.
type NewPlan struct {
	// Unit issues the plan; 0 is the actor's own unit. Naming another unit
	// needs plan.write there.
	Unit int64
	// Programme, when set, is the template whose targets are copied as the
	// plan's indicators; its years are the default period.
	Programme int64
	// Parent, when set, is the plan this one implements: a top-level plan
	// of the same province that the actor may read. The plan follows the
	// parent's programme unless it names one, and its period by default.
	Parent int64
	Fields
}

// CreatePlan creates a plan, with the programme's targets as indicators.
func (s *Service) CreatePlan(ctx context.Context, actor service.Actor, in NewPlan) (*plans.Plan, error) {
	unit, err := s.RequireCreate(ctx, actor, in.Unit)
	if err != nil {
		return nil, err
	}
	p := &plans.Plan{UnitID: unit}
	in.Fields.apply(p)
	var errs validation.Errors
	var inds []plans.Indicator
	var from, to int // the default period
	if in.Programme != 0 {
		prog, err := s.store.Programme(ctx, in.Programme)
		switch {
		case errors.Is(err, store.ErrNotFound):
			errs.Add("programme", "err.invalid")
		case err != nil:
			return nil, err
		default:
			p.ProgrammeID = prog.ID
			inds = append(inds, prog.Targets...)
			from, to = prog.YearFrom, prog.YearTo
		}
	}
	if in.Parent != 0 {
		parent, err := s.parent(ctx, actor, p.UnitID, in.Parent)
		if err != nil {
			return nil, err
		}
		if parent == nil {
			errs.Add("parent", "plan.err.parent")
		} else {
			p.ParentID = parent.ID
			if p.ProgrammeID == 0 {
				p.ProgrammeID = parent.ProgrammeID
			}
			if from == 0 {
				from, to = parent.YearFrom, parent.YearTo
			}
		}
	}
	if p.YearFrom == 0 && p.YearTo == 0 {
		p.YearFrom, p.YearTo = from, to
	}
	errs = append(errs, p.Validate()...)
	for i := range inds {
		errs = append(errs, indicatorErrors(&inds[i])...)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if err := s.store.CreatePlan(ctx, actor.Audit(), p, inds); err != nil {
		return nil, err
	}
	return s.store.Plan(ctx, p.ID) // with the unit's name
}

// RequireCreate returns the unit a new plan naming unit would be issued by
// (0: the actor's own) when actor may issue plans there. Forms ask it
// before reporting input they could not read, so that a caller who may not
// issue a plan is refused rather than told about the form.
func (s *Service) RequireCreate(ctx context.Context, actor service.Actor, unit int64) (int64, error) {
	if err := s.access.RequireStaff(actor); err != nil {
		return 0, err
	}
	if unit == 0 && actor.Principal != nil {
		unit = actor.Principal.UnitID
	}
	if unit != 0 {
		if err := s.access.Require(ctx, actor, auth.PlanWrite, unit); err != nil {
			return 0, fmt.Errorf("create a plan for unit %d: %w", unit, err)
		}
	}
	return unit, nil
}

// parent is plan id when a plan of unit may implement it for actor, nil
// when it may not: it must exist, be readable by actor (another unit's
// draft is not), lie in unit's province and be a top-level plan.
func (s *Service) parent(ctx context.Context, actor service.Actor, unit, id int64) (*plans.Plan, error) {
	parent, err := s.store.Plan(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !parent.TopLevel() {
		return nil, nil
	}
	// One readCheck, so the parent's province (and the actor's, when unit
	// is theirs) is looked up once for both checks.
	c := s.readCheck(actor)
	if ok, err := c.can(ctx, parent); err != nil || !ok {
		return nil, err
	}
	if unit == 0 {
		return parent, nil // the unit is missing: Validate says so
	}
	mine, err := c.provinceOf(ctx, unit)
	if err != nil {
		return nil, err
	}
	theirs, err := c.provinceOf(ctx, parent.UnitID)
	if err != nil || mine != theirs {
		return nil, err
	}
	return parent, nil
}

// UpdatePlan replaces plan id's own fields (not its unit, parent or
// programme). The status changes too, within the allowed changes; an
// empty one keeps the stored status.
func (s *Service) UpdatePlan(ctx context.Context, actor service.Actor, id int64, f Fields) (*plans.Plan, error) {
	p, err := s.Writable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	was := p.Status
	if f.Status == "" {
		f.Status = was
	}
	f.apply(p)
	return p, s.save(ctx, actor, p, was)
}

// SetStatus moves plan id to status. Issuing needs the issue date: issued
// when set, else the one stored.
func (s *Service) SetStatus(ctx context.Context, actor service.Actor, id int64, status plans.Status, issued dates.Date) (*plans.Plan, error) {
	p, err := s.Writable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	was := p.Status
	p.Status = status
	if !issued.IsZero() {
		p.IssuedOn = issued
	}
	return p, s.save(ctx, actor, p, was)
}

// save validates p, whose status was was, and stores it.
func (s *Service) save(ctx context.Context, actor service.Actor, p *plans.Plan, was plans.Status) error {
	var errs validation.Errors
	if p.Status.Valid() && !was.CanBecome(p.Status) {
		errs.Add("status", "plan.err.status_back")
	}
	errs = append(errs, p.Validate()...)
	if len(errs) > 0 {
		return errs
	}
	err := s.store.UpdatePlan(ctx, actor.Audit(), p, was)
	if errors.Is(err, store.ErrPlanChanged) {
		return fmt.Errorf("plan %d: %w", p.ID, service.ErrConflict)
	}
	return err
}

// Choices is what the form of a new plan offers actor.
type Choices struct {
	// Units are the units a province-wide writer may create a plan for
	// (their province's units open today); nil when the plan is the
	// actor's own unit's.
	Units []store.DirectoryUnit
	// Own is the actor's unit.
	Own *units.Unit
	// Programmes are the templates to copy.
	Programmes []*plans.Programme
	// Parents are the plans offered to implement: the issued top-level
	// plans actor may read. (CreatePlan also accepts a top-level draft
	// actor may read, for plans prepared together.)
	Parents []*plans.Plan
}

// Choices returns the new-plan form's choices; refused unless actor
// writes plans somewhere.
func (s *Service) Choices(ctx context.Context, actor service.Actor) (*Choices, error) {
	if err := s.access.RequireStaff(actor); err != nil {
		return nil, err
	}
	if actor.Principal == nil || !actor.Principal.Can(auth.PlanWrite) {
		return nil, fmt.Errorf("create a plan: %w", service.ErrForbidden)
	}
	c := &Choices{}
	var err error
	if c.Own, err = s.store.Unit(ctx, actor.Principal.UnitID, s.Today()); err != nil {
		return nil, err
	}
	if c.Units, err = s.unitChoices(ctx, actor); err != nil {
		return nil, err
	}
	if c.Programmes, err = s.store.Programmes(ctx); err != nil {
		return nil, err
	}
	tops, err := s.store.Plans(ctx, store.PlanFilter{Parent: store.PlanTopLevel})
	if err != nil {
		return nil, err
	}
	issued := tops[:0:0]
	for _, p := range tops {
		if p.Status != plans.StatusDraft {
			issued = append(issued, p)
		}
	}
	if c.Parents, err = s.visible(ctx, actor, issued); err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Service) unitChoices(ctx context.Context, actor service.Actor) ([]store.DirectoryUnit, error) {
	if province, _ := actor.Principal.Scope(auth.PlanWrite); !province {
		return nil, nil
	}
	sc, ok, err := s.access.ScopeOf(ctx, actor, auth.PlanWrite)
	if err != nil || !ok {
		return nil, err
	}
	ids, err := s.access.Units(ctx, sc)
	if err != nil {
		return nil, err
	}
	in := map[int64]bool{}
	for _, id := range ids {
		in[id] = true
	}
	dir, err := s.store.UnitDirectory(ctx, s.Today())
	if err != nil {
		return nil, err
	}
	out := dir[:0:0]
	for _, u := range dir {
		if !u.Closed && (ids == nil || in[u.ID]) {
			out = append(out, u)
		}
	}
	return out, nil
}

// indicatorErrors checks an indicator's own fields, formula and target.
func indicatorErrors(ind *plans.Indicator) validation.Errors {
	return append(ind.Validate(), progress.CheckIndicator(ind)...)
}
