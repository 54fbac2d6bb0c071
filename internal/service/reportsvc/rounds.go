package reportsvc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"khienso/internal/auth"
	"khienso/internal/dates"
	"khienso/internal/plans"
	"khienso/internal/reports"
	"khienso/internal/service"
	"khienso/internal/settings"
	"khienso/internal/store"
	"khienso/internal/units"
	"khienso/internal/validation"
)

// RoundRow is one round of the actor's list: its own unit's standing when
// the unit reports in it, the completeness when the actor reviews it.
type RoundRow struct {
	Round        *reports.Round
	Own          *OwnStatus
	Completeness *reports.Completeness
}

// OwnStatus is the actor's unit's submission in a round.
type OwnStatus struct {
	Unit        int64
	Status      reports.Status
	SubmittedAt string // storage timestamp, "" before the first submission
	Late        bool
	// Comment is the reviewer's comment on a returned submission, for the
	// unit to act on.
	Comment string
}

// Index is the rounds an actor sees: those its unit reports in, those its
// province answers upward when the actor answers for it, and those it
// reviews (of its province), newest deadline first.
type Index struct {
	// Reviewer: the actor manages templates and rounds.
	Reviewer bool
	Rows     []RoundRow
}

// Index lists the rounds actor's unit reports in (with its status), the
// rounds issued above actor's province that actor answers for it (with
// the province's status), and the rounds actor reviews (with their
// completeness).
func (s *Service) Index(ctx context.Context, actor service.Actor) (*Index, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	d := &Index{}
	today := s.today()
	byID := map[int64]*RoundRow{}
	var order []int64
	row := func(rd *reports.Round) *RoundRow {
		if r, ok := byID[rd.ID]; ok {
			return r
		}
		byID[rd.ID] = &RoundRow{Round: rd}
		order = append(order, rd.ID)
		return byID[rd.ID]
	}
	own := func(rd *reports.Round, unit int64) error {
		st, err := s.ownStatus(ctx, rd, unit, today)
		row(rd).Own = st
		return err
	}
	readOwn := false
	if p := actor.Principal; p != nil && p.UnitID != 0 {
		var err error
		if readOwn, err = s.access.Allowed(ctx, actor, auth.ReportRead, p.UnitID); err != nil {
			return nil, err
		}
		if readOwn {
			list, err := s.store.Rounds(ctx, store.RoundFilter{Unit: p.UnitID})
			if err != nil {
				return nil, err
			}
			for _, rd := range list {
				if err := own(rd, p.UnitID); err != nil {
					return nil, err
				}
			}
		}
		if err := s.upwardRounds(ctx, actor, own); err != nil {
			return nil, err
		}
	}
	sc, review, err := s.access.ScopeOf(ctx, actor, auth.ReportReview)
	if err != nil {
		return nil, err
	}
	if !review && !readOwn {
		return nil, service.ErrForbidden
	}
	if review {
		d.Reviewer = true
		ids, err := s.access.Units(ctx, sc)
		if err != nil {
			return nil, err
		}
		list, err := s.store.Rounds(ctx, store.RoundFilter{Units: ids})
		if err != nil {
			return nil, err
		}
		reviews := map[int64]bool{} // by issuer
		for _, rd := range list {
			// A round issued above the actor's province (a national one)
			// has the province among its units but is not the actor's to
			// review: the province answers it.
			ok, seen := reviews[rd.Issuer]
			if !seen {
				if err := s.requireRound(ctx, actor, rd); err == nil {
					ok = true
				} else if !errors.Is(err, service.ErrForbidden) {
					return nil, err
				}
				reviews[rd.Issuer] = ok
			}
			if !ok {
				continue
			}
			_, c, err := s.store.RoundProgress(ctx, rd, today)
			if err != nil {
				return nil, err
			}
			row(rd).Completeness = &c
		}
	}
	for _, id := range order {
		d.Rows = append(d.Rows, *byID[id])
	}
	sortRows(d.Rows)
	return d, nil
}

// UnitRounds lists the rounds unit reports in, with its status, newest
// deadline first: the reports the unit's page links to. Actor must read
// the unit's reports.
func (s *Service) UnitRounds(ctx context.Context, actor service.Actor, unit int64) ([]RoundRow, error) {
	if err := s.access.Require(ctx, actor, auth.ReportRead, unit); err != nil {
		return nil, err
	}
	list, err := s.store.Rounds(ctx, store.RoundFilter{Unit: unit})
	if err != nil {
		return nil, err
	}
	today := s.today()
	rows := make([]RoundRow, len(list))
	for i, rd := range list {
		rows[i].Round = rd
		if rows[i].Own, err = s.ownStatus(ctx, rd, unit, today); err != nil {
			return nil, err
		}
	}
	sortRows(rows)
	return rows, nil
}

// ownStatus is unit's standing in round rd on today.
func (s *Service) ownStatus(ctx context.Context, rd *reports.Round, unit int64, today dates.Date) (*OwnStatus, error) {
	sub, err := s.store.Submission(ctx, rd.ID, unit)
	if err != nil {
		return nil, err
	}
	st := &OwnStatus{Unit: unit, Status: sub.Status, SubmittedAt: sub.SubmittedAt,
		Late: sub.Late(rd.Deadline, today, submittedDay(sub.SubmittedAt))}
	if sub.Status == reports.StatusReturned {
		st.Comment = sub.ReviewComment
	}
	return st, nil
}

// sortRows puts the newest deadline first, then the newest round.
func sortRows(rows []RoundRow) {
	slices.SortStableFunc(rows, func(a, b RoundRow) int {
		if c := b.Round.Deadline.ISO(); c != a.Round.Deadline.ISO() {
			return strings.Compare(c, a.Round.Deadline.ISO())
		}
		return int(b.Round.ID - a.Round.ID)
	})
}

// upwardRounds calls own for each round issued above actor's province in
// which the province reports and actor answers for it (see
// upwardStanding); none when actor's unit is the province itself, whose
// rounds are already its own.
func (s *Service) upwardRounds(ctx context.Context, actor service.Actor, own func(*reports.Round, int64) error) error {
	province, err := s.access.ProvinceOf(ctx, actor.Principal.UnitID)
	if err != nil || province == actor.Principal.UnitID {
		return err
	}
	if ok, err := s.access.Allowed(ctx, actor, auth.ReportReview, province); err != nil || !ok {
		return err
	}
	list, err := s.store.Rounds(ctx, store.RoundFilter{Unit: province})
	if err != nil {
		return err
	}
	for _, rd := range list {
		up, err := s.upward(ctx, rd, province)
		if err != nil {
			return err
		}
		if up {
			if err := own(rd, province); err != nil {
				return err
			}
		}
	}
	return nil
}

// submittedDay is the Vietnam calendar day of a storage timestamp (zero
// for "").
func submittedDay(ts string) dates.Date {
	if ts == "" {
		return dates.Date{}
	}
	return dates.Of(store.ParseTime(ts).In(dates.Vietnam))
}

// RoundOptions is what the new-round form offers: every template, and the
// plans of the issuing unit's province to link the round to.
type RoundOptions struct {
	Templates []*reports.Template
	Plans     []*plans.Plan
	Today     dates.Date // for the default period (this year)
}

// RoundOptions lists the choices of the new-round form.
func (s *Service) RoundOptions(ctx context.Context, actor service.Actor) (*RoundOptions, error) {
	province, err := s.issuingProvince(ctx, actor)
	if err != nil {
		return nil, err
	}
	tpls, err := s.store.ReportTemplates(ctx)
	if err != nil {
		return nil, err
	}
	f := store.PlanFilter{}
	if province != 0 {
		if f.Units, err = s.store.SubtreeIDs(ctx, province, s.today()); err != nil {
			return nil, err
		}
	}
	list, err := s.store.Plans(ctx, f)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, p := range list {
		// A national round links to a national plan, not to a plan of
		// one of the provinces below.
		if ok, err := s.planOf(ctx, p, province); err != nil {
			return nil, err
		} else if ok {
			out = append(out, p)
		}
	}
	return &RoundOptions{Templates: tpls, Plans: out, Today: s.today()}, nil
}

// issuingProvince is the province a round issued by actor covers (0 for
// the system: anywhere), once actor is known to review reports there.
func (s *Service) issuingProvince(ctx context.Context, actor service.Actor) (int64, error) {
	if err := signedIn(actor); err != nil || actor.System {
		return 0, err
	}
	province, err := s.access.ProvinceOf(ctx, actor.Principal.UnitID)
	if err != nil {
		return 0, err
	}
	if err := s.access.Require(ctx, actor, auth.ReportReview, province); err != nil {
		return 0, err
	}
	return province, nil
}

// RoundInput is a new round. Dates are dd/mm/yyyy or YYYY-MM-DD. The units
// that must report are every active unit of the Types, the units of the
// Codes and the Units (ids), all within the issuing unit's province.
type RoundInput struct {
	TemplateID, PlanID int64
	Title              string
	From, To, Deadline string
	Status             reports.RoundStatus // "" is open
	Types              []units.Type
	Codes              []string
	Units              []int64
	// SignOff is the round's own signer and recipients (zero: the
	// province's settings).
	SignOff settings.SignOff
}

// CreateRound opens a reporting round issued by actor's unit.
func (s *Service) CreateRound(ctx context.Context, actor service.Actor, in RoundInput) (*reports.Round, error) {
	province, err := s.issuingProvince(ctx, actor)
	if err != nil {
		return nil, err
	}
	rd := &reports.Round{TemplateID: in.TemplateID, PlanID: in.PlanID, Title: in.Title, Status: in.Status, SignOff: in.SignOff}
	if actor.Principal != nil {
		rd.Issuer = actor.Principal.UnitID
	}
	if rd.Status == "" {
		rd.Status = reports.RoundOpen
	}
	var errs validation.Errors
	for _, d := range []struct {
		field, text string
		to          *dates.Date
	}{{"from", in.From, &rd.From}, {"to", in.To, &rd.To}, {"deadline", in.Deadline, &rd.Deadline}} {
		v, err := dates.Parse(d.text)
		if err != nil {
			errs.Add(d.field, "err.date")
			continue
		}
		*d.to = v
	}
	unitErrs, err := s.resolveUnits(ctx, province, rd, in)
	if err != nil {
		return nil, err
	}
	errs = append(errs, unitErrs...)
	for _, e := range rd.Validate() {
		if !errs.Has(e.Field) {
			errs = append(errs, e)
		}
	}
	if rd.TemplateID != 0 && !errs.Has("template") {
		if _, err := s.store.ReportTemplate(ctx, rd.TemplateID); errors.Is(err, store.ErrNotFound) {
			errs.Add("template", "err.invalid")
		} else if err != nil {
			return nil, err
		}
	}
	if rd.PlanID != 0 {
		if ok, err := s.planIn(ctx, rd.PlanID, province); err != nil {
			return nil, err
		} else if !ok {
			errs.Add("plan", "err.invalid")
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if err := s.store.CreateRound(ctx, actor.Audit(), rd); err != nil {
		return nil, err
	}
	return rd, nil
}

// resolveUnits fills rd.Units from in's types, codes and ids, keeping
// within province (0: anywhere). Codes and ids outside it are errors.
func (s *Service) resolveUnits(ctx context.Context, province int64, rd *reports.Round, in RoundInput) (validation.Errors, error) {
	var errs validation.Errors
	today := s.today()
	seen := map[int64]bool{}
	add := func(id int64) {
		if !seen[id] {
			seen[id] = true
			rd.Units = append(rd.Units, id)
		}
	}
	for _, t := range in.Types {
		if !t.Valid() {
			errs.Add("types", "err.invalid")
			continue
		}
		for offset := 0; ; offset += 1000 {
			list, total, err := s.store.SearchUnits(ctx, store.UnitFilter{Type: t, Within: province, Day: today, Limit: 1000, Offset: offset})
			if err != nil {
				return nil, err
			}
			for _, u := range list {
				add(u.ID)
			}
			if len(list) == 0 || offset+len(list) >= total {
				break
			}
		}
	}
	inProvince := func(id int64) (bool, error) {
		if province == 0 {
			return true, nil
		}
		return s.store.InSubtree(ctx, province, id, today)
	}
	for _, code := range in.Codes {
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		u, err := s.store.UnitByCode(ctx, code, today)
		if errors.Is(err, store.ErrNotFound) {
			errs.Add("units", "report.err.unknown_unit", code)
			continue
		} else if err != nil {
			return nil, err
		}
		if ok, err := inProvince(u.ID); err != nil {
			return nil, err
		} else if !ok {
			errs.Add("units", "report.err.unit_outside", code)
			continue
		}
		add(u.ID)
	}
	for _, id := range in.Units {
		u, err := s.store.Unit(ctx, id, today)
		if errors.Is(err, store.ErrNotFound) {
			errs.Add("units", "report.err.unknown_unit", id)
			continue
		} else if err != nil {
			return nil, err
		}
		if ok, err := inProvince(u.ID); err != nil {
			return nil, err
		} else if !ok {
			errs.Add("units", "report.err.unit_outside", u.Code)
			continue
		}
		add(u.ID)
	}
	return errs, nil
}

// planIn reports whether plan id exists and was issued in province (0:
// anywhere).
func (s *Service) planIn(ctx context.Context, id, province int64) (bool, error) {
	p, err := s.store.Plan(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return s.planOf(ctx, p, province)
}

// planOf reports whether p was issued in province (0: anywhere): by a
// unit whose province it is, so that a national round's plan is a national
// plan and a province round's one of the province's.
func (s *Service) planOf(ctx context.Context, p *plans.Plan, province int64) (bool, error) {
	if province == 0 {
		return true, nil
	}
	theirs, err := s.access.ProvinceOf(ctx, p.UnitID)
	return theirs == province, err
}

// RoundView is a round with every required unit's standing and the counts.
type RoundView struct {
	Round        *reports.Round
	Units        []store.RoundUnitStatus
	Completeness reports.Completeness
	Today        dates.Date
	// Provinces holds the required units that answer for their province
	// (a national round's province committees), for the map of provinces.
	Provinces map[int64]bool
}

// Round returns round id with its progress, for its reviewers.
func (s *Service) Round(ctx context.Context, actor service.Actor, id int64) (*RoundView, error) {
	rd, err := s.loadRound(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return s.roundView(ctx, rd)
}

func (s *Service) roundView(ctx context.Context, rd *reports.Round) (*RoundView, error) {
	today := s.today()
	rows, c, err := s.store.RoundProgress(ctx, rd, today)
	if err != nil {
		return nil, err
	}
	v := &RoundView{Round: rd, Units: rows, Completeness: c, Today: today, Provinces: map[int64]bool{}}
	// One look at the tree for every unit: a province's round may have
	// thousands.
	provinces, err := s.access.ProvincesOf(ctx, rd.Units)
	if err != nil {
		return nil, err
	}
	issuing, err := s.roundProvince(ctx, rd)
	if err != nil {
		return nil, err
	}
	for unit, province := range provinces {
		if answersUpward(unit, province, issuing) {
			v.Provinces[unit] = true
		}
	}
	return v, nil
}

// Landing is what a round's address shows actor: the round for its
// reviewers (View), or, for the staff of a unit that reports in it, that
// unit's submission (Unit; reminders link to the round).
type Landing struct {
	View *RoundView
	Unit int64
}

// Landing returns the round page for a reviewer, or the unit whose
// submission an actor reporting in the round should see.
func (s *Service) Landing(ctx context.Context, actor service.Actor, id int64) (*Landing, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	rd, err := s.store.Round(ctx, id)
	if err != nil {
		return nil, err
	}
	err = s.requireRound(ctx, actor, rd)
	if err == nil {
		v, err := s.roundView(ctx, rd)
		return &Landing{View: v}, err
	}
	if !errors.Is(err, service.ErrForbidden) {
		return nil, err
	}
	own := actor.Principal.UnitID
	if !slices.Contains(rd.Units, own) {
		// The province's answer, for those who answer for it.
		province, perr := s.access.ProvinceOf(ctx, own)
		if perr != nil {
			return nil, perr
		}
		if !slices.Contains(rd.Units, province) {
			return nil, err
		}
		st, serr := s.standing(ctx, actor, rd, province)
		if serr != nil {
			return nil, serr
		}
		if !st.Writer {
			return nil, err
		}
		return &Landing{Unit: province}, nil
	}
	if ok, rerr := s.access.Allowed(ctx, actor, auth.ReportRead, own); rerr != nil {
		return nil, rerr
	} else if !ok {
		return nil, err
	}
	return &Landing{Unit: own}, nil
}

// SetRoundStatus opens or closes a round.
func (s *Service) SetRoundStatus(ctx context.Context, actor service.Actor, id int64, status reports.RoundStatus) (*reports.Round, error) {
	rd, err := s.loadRound(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if status != reports.RoundOpen && status != reports.RoundClosed {
		return nil, validation.Single("status", "err.invalid")
	}
	if err := s.store.SetRoundStatus(ctx, actor.Audit(), id, status); err != nil {
		return nil, fmt.Errorf("set round %d status: %w", id, err)
	}
	rd.Status = status
	return rd, nil
}

// SignOffView is a round's own signer and recipients beside the province's,
// which apply where the round sets nothing.
type SignOffView struct {
	Round    *reports.Round
	Province settings.SignOff
}

// RoundSignOff returns round id's sign-off for its reviewers.
func (s *Service) RoundSignOff(ctx context.Context, actor service.Actor, id int64) (*SignOffView, error) {
	rd, err := s.loadRound(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	province, err := s.roundProvince(ctx, rd)
	if err != nil {
		return nil, err
	}
	set, err := s.store.ProvinceSettings(ctx, province)
	if err != nil {
		return nil, err
	}
	return &SignOffView{Round: rd, Province: set.SignOff()}, nil
}

// SetRoundSignOff replaces the signer and recipients round id's
// consolidated report uses instead of the province's (zero: the
// province's again). The limits are those of the settings.
func (s *Service) SetRoundSignOff(ctx context.Context, actor service.Actor, id int64, o settings.SignOff) (*reports.Round, error) {
	rd, err := s.loadRound(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	o.Normalize()
	if errs := o.Validate(); len(errs) > 0 {
		return nil, errs
	}
	if err := s.store.SetRoundSignOff(ctx, actor.Audit(), id, o); err != nil {
		return nil, fmt.Errorf("set round %d sign-off: %w", id, err)
	}
	rd.SignOff = o
	return rd, nil
}
