package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"khienso/internal/audit"
	"khienso/internal/dates"
	"khienso/internal/reports"
	"khienso/internal/settings"
	"khienso/internal/validation"
)

// ErrTransition is returned when a workflow step finds the submission (or
// its round) no longer in the state it was decided on: someone else acted
// first.
var ErrTransition = errors.New("report action not allowed in this status")

func scanTemplate(r rowScanner) (*reports.Template, error) {
	var t reports.Template
	var fields, sections string
	if err := r.Scan(&t.ID, &t.Name, &t.Description, &fields, &sections); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(fields), &t.Fields); err != nil {
		return nil, fmt.Errorf("template %d fields: %w", t.ID, err)
	}
	if err := json.Unmarshal([]byte(sections), &t.Sections); err != nil {
		return nil, fmt.Errorf("template %d sections: %w", t.ID, err)
	}
	return &t, nil
}

// ReportTemplate loads a template.
func (s *Store) ReportTemplate(ctx context.Context, id int64) (*reports.Template, error) {
	return s.reader().reportTemplate(ctx, id)
}

func (x q) reportTemplate(ctx context.Context, id int64) (*reports.Template, error) {
	t, err := scanTemplate(x.row(ctx, "SELECT id, name, description, fields_json, sections_json FROM report_templates WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return t, err
}

// ReportTemplates lists the templates.
func (s *Store) ReportTemplates(ctx context.Context) ([]*reports.Template, error) {
	rows, err := s.reader().query(ctx, "SELECT id, name, description, fields_json, sections_json FROM report_templates ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list report templates: %w", err)
	}
	defer rows.Close()
	var out []*reports.Template
	for rows.Next() {
		t, err := scanTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SaveReportTemplate creates (ID 0) or updates a template. The caller has
// validated it (reportsvc, or the installer for the shipped template).
func (s *Store) SaveReportTemplate(ctx context.Context, a audit.Actor, t *reports.Template) error {
	fields, err := json.Marshal(t.Fields)
	if err != nil {
		return err
	}
	sections, err := json.Marshal(t.Sections)
	if err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Tx) error {
		ts := now()
		if t.ID == 0 {
			id, err := tx.insertID(ctx, `INSERT INTO report_templates (name, description, fields_json, sections_json, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?)`, t.Name, t.Description, string(fields), string(sections), ts, ts)
			if err != nil {
				return fmt.Errorf("insert report template: %w", err)
			}
			t.ID = id
			return tx.record(ctx, a, "create", "report_template", id, nil, t)
		}
		before, err := tx.reportTemplate(ctx, t.ID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE report_templates SET name = ?, description = ?, fields_json = ?, sections_json = ?, updated_at = ? WHERE id = ?`,
			t.Name, t.Description, string(fields), string(sections), ts, t.ID); err != nil {
			return fmt.Errorf("update report template %d: %w", t.ID, err)
		}
		return tx.record(ctx, a, "update", "report_template", t.ID, before, t)
	})
}

// roundCols reads a round; a round stored before issuers were recorded
// reads its first unit as its issuer, which lies in the same province.
const roundCols = `r.id, COALESCE(r.issuer_id, (SELECT MIN(ru.unit_id) FROM report_round_units ru WHERE ru.round_id = r.id), 0),
	r.template_id, t.name, COALESCE(r.plan_id, 0), r.title, r.period_from, r.period_to, r.deadline, r.status,
	r.signer_authority, r.signer_name, r.recipients`

const roundFrom = " FROM report_rounds r JOIN report_templates t ON t.id = r.template_id"

func scanRound(r rowScanner) (*reports.Round, error) {
	var x reports.Round
	var from, to, deadline, status, authority, recipients string
	if err := r.Scan(&x.ID, &x.Issuer, &x.TemplateID, &x.TemplateName, &x.PlanID, &x.Title, &from, &to, &deadline, &status,
		&authority, &x.SignOff.SignerName, &recipients); err != nil {
		return nil, err
	}
	x.SignOff.Authority, x.SignOff.Recipients = settings.Lines(authority), settings.Lines(recipients)
	x.From, _ = dates.Parse(from)
	x.To, _ = dates.Parse(to)
	x.Deadline, _ = dates.Parse(deadline)
	x.Status = reports.RoundStatus(status)
	return &x, nil
}

// Round loads a round with its required units.
func (s *Store) Round(ctx context.Context, id int64) (*reports.Round, error) {
	return s.reader().round(ctx, id)
}

func (x q) round(ctx context.Context, id int64) (*reports.Round, error) {
	r, err := scanRound(x.row(ctx, "SELECT "+roundCols+roundFrom+" WHERE r.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load round %d: %w", id, err)
	}
	rows, err := x.query(ctx, "SELECT unit_id FROM report_round_units WHERE round_id = ? ORDER BY unit_id", id)
	if err != nil {
		return nil, fmt.Errorf("round %d units: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var u int64
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		r.Units = append(r.Units, u)
	}
	return r, rows.Err()
}

// RoundFilter selects rounds. Unit (not 0) keeps the rounds that unit
// reports in; Units (not nil) the rounds in which at least one of those
// units reports (a reviewer's scope); Template (not 0) the rounds of that
// template.
type RoundFilter struct {
	Unit     int64
	Units    []int64
	Template int64
}

// Rounds lists rounds, newest deadline first. Their Units are not loaded.
func (s *Store) Rounds(ctx context.Context, f RoundFilter) ([]*reports.Round, error) {
	var where []string
	var args []any
	if f.Units != nil {
		if len(f.Units) == 0 {
			return nil, nil
		}
		where = append(where, "r.id IN (SELECT round_id FROM report_round_units WHERE unit_id IN ("+placeholders(len(f.Units))+"))")
		for _, id := range f.Units {
			args = append(args, id)
		}
	}
	if f.Unit != 0 {
		where = append(where, "r.id IN (SELECT round_id FROM report_round_units WHERE unit_id = ?)")
		args = append(args, f.Unit)
	}
	if f.Template != 0 {
		where = append(where, "r.template_id = ?")
		args = append(args, f.Template)
	}
	query := "SELECT " + roundCols + roundFrom
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.reader().query(ctx, query+" ORDER BY r.deadline DESC, r.id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	defer rows.Close()
	var out []*reports.Round
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateRound opens a reporting round for its units.
func (s *Store) CreateRound(ctx context.Context, a audit.Actor, r *reports.Round) error {
	if r.Status == "" {
		r.Status = reports.RoundOpen
	}
	if errs := r.Validate(); len(errs) > 0 {
		return errs
	}
	return s.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.reportTemplate(ctx, r.TemplateID); err != nil {
			return validation.Single("template", "err.invalid")
		}
		ts := now()
		id, err := tx.insertID(ctx, `INSERT INTO report_rounds (issuer_id, template_id, plan_id, title, period_from, period_to, deadline, status,
			signer_authority, signer_name, recipients, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			nullZero64(r.Issuer), r.TemplateID, nullZero64(r.PlanID), r.Title, r.From.ISO(), r.To.ISO(), r.Deadline.ISO(), string(r.Status),
			strings.Join(r.SignOff.Authority, "\n"), r.SignOff.SignerName, strings.Join(r.SignOff.Recipients, "\n"), ts, ts)
		if err != nil {
			return fmt.Errorf("insert round: %w", err)
		}
		r.ID = id
		seen := map[int64]bool{}
		for _, u := range r.Units {
			if seen[u] {
				continue
			}
			seen[u] = true
			if _, err := tx.exec(ctx, "INSERT INTO report_round_units (round_id, unit_id) VALUES (?, ?)", id, u); err != nil {
				return fmt.Errorf("add unit %d to round: %w", u, err)
			}
		}
		return tx.record(ctx, a, "create", "report_round", id, nil, r)
	})
}

// SetRoundStatus opens or closes a round.
func (s *Store) SetRoundStatus(ctx context.Context, a audit.Actor, id int64, status reports.RoundStatus) error {
	return s.Tx(ctx, func(tx *Tx) error {
		before, err := tx.round(ctx, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "UPDATE report_rounds SET status = ?, updated_at = ? WHERE id = ?", string(status), now(), id); err != nil {
			return fmt.Errorf("set round %d status: %w", id, err)
		}
		after := *before
		after.Status = status
		return tx.record(ctx, a, "update", "report_round", id, before, &after)
	})
}

// SetRoundSignOff replaces the signer and recipients round id sets for its
// consolidated report (zero: the province's).
func (s *Store) SetRoundSignOff(ctx context.Context, a audit.Actor, id int64, o settings.SignOff) error {
	o.Normalize()
	if errs := o.Validate(); len(errs) > 0 {
		return errs
	}
	return s.Tx(ctx, func(tx *Tx) error {
		before, err := tx.round(ctx, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "UPDATE report_rounds SET signer_authority = ?, signer_name = ?, recipients = ?, updated_at = ? WHERE id = ?",
			strings.Join(o.Authority, "\n"), o.SignerName, strings.Join(o.Recipients, "\n"), now(), id); err != nil {
			return fmt.Errorf("set round %d sign-off: %w", id, err)
		}
		after := *before
		after.SignOff = o
		return tx.record(ctx, a, "update", "report_round", id, before, &after)
	})
}

const submissionCols = `s.id, s.round_id, s.unit_id, u.name, s.status, s.values_json, s.narratives_json, COALESCE(s.submitted_at, ''),
	COALESCE(s.reviewed_at, ''), s.review_comment, s.updated_at, COALESCE(s.source_round_id, 0)`

const submissionFrom = " FROM report_submissions s JOIN units u ON u.id = s.unit_id"

func scanSubmission(r rowScanner) (*reports.Submission, error) {
	var s reports.Submission
	var status, values, narratives string
	if err := r.Scan(&s.ID, &s.RoundID, &s.UnitID, &s.UnitName, &status, &values, &narratives, &s.SubmittedAt, &s.ReviewedAt,
		&s.ReviewComment, &s.UpdatedAt, &s.SourceRound); err != nil {
		return nil, err
	}
	s.Status = reports.Status(status)
	if err := json.Unmarshal([]byte(values), &s.Values); err != nil {
		return nil, fmt.Errorf("submission %d values: %w", s.ID, err)
	}
	if err := json.Unmarshal([]byte(narratives), &s.Narratives); err != nil {
		return nil, fmt.Errorf("submission %d narratives: %w", s.ID, err)
	}
	return &s, nil
}

// Submission returns the unit's submission in a round, or a blank one with
// status missing when it has none yet.
func (s *Store) Submission(ctx context.Context, round, unit int64) (*reports.Submission, error) {
	return s.reader().submission(ctx, round, unit)
}

func (x q) submission(ctx context.Context, round, unit int64) (*reports.Submission, error) {
	sub, err := scanSubmission(x.row(ctx, "SELECT "+submissionCols+submissionFrom+" WHERE s.round_id = ? AND s.unit_id = ?", round, unit))
	if errors.Is(err, sql.ErrNoRows) {
		var name string
		if err := x.row(ctx, "SELECT name FROM units WHERE id = ?", unit).Scan(&name); err != nil {
			return nil, ErrNotFound
		}
		return &reports.Submission{RoundID: round, UnitID: unit, UnitName: name, Status: reports.StatusMissing,
			Values: map[string]float64{}, Narratives: map[string]string{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load submission round %d unit %d: %w", round, unit, err)
	}
	return sub, nil
}

// Submissions lists a round's stored submissions (not the missing ones).
func (s *Store) Submissions(ctx context.Context, round int64) ([]*reports.Submission, error) {
	rows, err := s.reader().query(ctx, "SELECT "+submissionCols+submissionFrom+" WHERE s.round_id = ? ORDER BY u.sort_key, u.id", round)
	if err != nil {
		return nil, fmt.Errorf("list submissions of round %d: %w", round, err)
	}
	defer rows.Close()
	var out []*reports.Submission
	for rows.Next() {
		sub, err := scanSubmission(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// ReportChange is one workflow step on a unit's submission, as the
// reports service decided it: which action, from which stored state to
// which. The store only writes it; the rules (who may act, which action is
// allowed from which status, what content is valid) are the service's.
type ReportChange struct {
	Round   *reports.Round
	Before  *reports.Submission // as read; ID 0 when the unit had none
	After   *reports.Submission // the new state (status, content, review)
	Action  reports.Action
	Comment string
	// OpenRound makes the write conditional on the round still being open
	// (saving and submitting).
	OpenRound bool
	// Notices are written with the step, in its transaction.
	Notices []Notice
}

// ApplyReport writes a workflow step in one transaction: the submission
// (guarded by the status it was read in, so concurrent steps serialise and
// the loser changes nothing), the history event, the accepted figures
// indicator formulas read (not those consolidated from another round: see
// reports.Submission.Counts), the notices and the audit entry. It returns ErrTransition
// when the submission or the round changed since it was read.
func (s *Store) ApplyReport(ctx context.Context, a audit.Actor, c ReportChange) error {
	before, after := c.Before, *c.After
	values, err := json.Marshal(after.Values)
	if err != nil {
		return err
	}
	narratives, err := json.Marshal(after.Narratives)
	if err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Tx) error {
		if c.OpenRound {
			// Also takes the round's row lock on PostgreSQL, so a close
			// waits for submissions under way.
			res, err := tx.exec(ctx, "UPDATE report_rounds SET status = status WHERE id = ? AND status = ?", c.Round.ID, string(reports.RoundOpen))
			if err != nil {
				return fmt.Errorf("check round %d open: %w", c.Round.ID, err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return ErrTransition
			}
		}
		if before.ID == 0 {
			after.ID, err = tx.insertID(ctx, `INSERT INTO report_submissions (round_id, unit_id, status, values_json, narratives_json,
				submitted_at, reviewed_at, review_comment, updated_at, source_round_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				c.Round.ID, after.UnitID, string(after.Status), string(values), string(narratives), nullString(after.SubmittedAt),
				nullString(after.ReviewedAt), after.ReviewComment, after.UpdatedAt, nullZero64(after.SourceRound))
			if isUniqueViolation(err) {
				return ErrTransition // another request created it first
			}
		} else {
			var res sql.Result
			res, err = tx.exec(ctx, `UPDATE report_submissions SET status = ?, values_json = ?, narratives_json = ?, submitted_at = ?,
				reviewed_at = ?, review_comment = ?, updated_at = ?, source_round_id = ? WHERE id = ? AND status = ?`,
				string(after.Status), string(values), string(narratives), nullString(after.SubmittedAt), nullString(after.ReviewedAt),
				after.ReviewComment, after.UpdatedAt, nullZero64(after.SourceRound), before.ID, string(before.Status))
			if err == nil {
				if n, _ := res.RowsAffected(); n != 1 {
					return ErrTransition
				}
			}
		}
		if err != nil {
			return fmt.Errorf("store submission: %w", err)
		}
		var uid any
		if a.UserID != 0 {
			uid = a.UserID
		}
		if _, err := tx.exec(ctx, `INSERT INTO report_events (submission_id, user_id, actor, action, comment, at) VALUES (?, ?, ?, ?, ?, ?)`,
			after.ID, uid, a.Label, string(c.Action), c.Comment, after.UpdatedAt); err != nil {
			return fmt.Errorf("record report event: %w", err)
		}
		if _, err := tx.exec(ctx, "DELETE FROM report_values WHERE submission_id = ?", after.ID); err != nil {
			return fmt.Errorf("clear report values: %w", err)
		}
		if after.Counts() {
			for field, v := range after.Values {
				if _, err := tx.exec(ctx, `INSERT INTO report_values (submission_id, unit_id, period_from, period_to, field, value) VALUES (?, ?, ?, ?, ?, ?)`,
					after.ID, after.UnitID, c.Round.From.ISO(), c.Round.To.ISO(), field, v); err != nil {
					return fmt.Errorf("store report value %s: %w", field, err)
				}
			}
		}
		if err := tx.notify(ctx, c.Notices...); err != nil {
			return err
		}
		c.After.ID = after.ID
		var old any
		if before.ID != 0 {
			old = before
		}
		return tx.record(ctx, a, string(c.Action), "report_submission", after.ID, old, &after)
	})
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ReportEvent is one step in a submission's history.
type ReportEvent struct {
	Actor   string
	Action  string
	Comment string
	At      string
}

// ReportEvents lists a submission's history, oldest first.
func (s *Store) ReportEvents(ctx context.Context, submission int64) ([]ReportEvent, error) {
	rows, err := s.reader().query(ctx, "SELECT actor, action, comment, at FROM report_events WHERE submission_id = ? ORDER BY at, id", submission)
	if err != nil {
		return nil, fmt.Errorf("report history %d: %w", submission, err)
	}
	defer rows.Close()
	var out []ReportEvent
	for rows.Next() {
		var e ReportEvent
		if err := rows.Scan(&e.Actor, &e.Action, &e.Comment, &e.At); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RoundUnitStatus is a required unit's standing in a round.
type RoundUnitStatus struct {
	UnitID      int64
	UnitName    string
	UnitCode    string
	Status      reports.Status
	SubmittedAt string
	Late        bool
}

// RoundProgress lists every required unit with its status and lateness,
// by unit name, and the counts.
func (s *Store) RoundProgress(ctx context.Context, round *reports.Round, today dates.Date) ([]RoundUnitStatus, reports.Completeness, error) {
	c := reports.Completeness{ByStatus: map[reports.Status]int{}}
	rows, err := s.reader().query(ctx, `SELECT ru.unit_id, u.name, u.code, COALESCE(s.status, 'missing'), COALESCE(s.submitted_at, '')
		FROM report_round_units ru JOIN units u ON u.id = ru.unit_id
		LEFT JOIN report_submissions s ON s.round_id = ru.round_id AND s.unit_id = ru.unit_id
		WHERE ru.round_id = ? ORDER BY u.sort_key, u.id`, round.ID)
	if err != nil {
		return nil, c, fmt.Errorf("round %d progress: %w", round.ID, err)
	}
	defer rows.Close()
	var out []RoundUnitStatus
	for rows.Next() {
		var r RoundUnitStatus
		var status string
		if err := rows.Scan(&r.UnitID, &r.UnitName, &r.UnitCode, &status, &r.SubmittedAt); err != nil {
			return nil, c, err
		}
		r.Status = reports.Status(status)
		var day dates.Date
		if r.SubmittedAt != "" {
			day = dates.Of(ParseTime(r.SubmittedAt).In(dates.Vietnam))
		}
		sub := reports.Submission{Status: r.Status}
		r.Late = sub.Late(round.Deadline, today, day)
		c.Required++
		c.ByStatus[r.Status]++
		if r.Status == reports.StatusSubmitted || r.Status == reports.StatusAccepted {
			c.Submitted++
		}
		if r.Late {
			c.Late++
		}
		out = append(out, r)
	}
	return out, c, rows.Err()
}

// ReportValues sums accepted report figures of the given fields per unit
// over rounds whose period lies within [from, to].
func (s *Store) ReportValues(ctx context.Context, fields []string, from, to dates.Date) (map[string]map[int64]float64, error) {
	out := map[string]map[int64]float64{}
	if len(fields) == 0 {
		return out, nil
	}
	args := []any{from.ISO(), to.ISO()}
	for _, f := range fields {
		args = append(args, f)
	}
	rows, err := s.reader().query(ctx, `SELECT field, unit_id, SUM(value) FROM report_values
		WHERE period_from >= ? AND period_to <= ? AND field IN (`+placeholders(len(fields))+`) GROUP BY field, unit_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("report values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var field string
		var unit int64
		var v float64
		if err := rows.Scan(&field, &unit, &v); err != nil {
			return nil, err
		}
		if out[field] == nil {
			out[field] = map[int64]float64{}
		}
		out[field][unit] = v
	}
	return out, rows.Err()
}
