package store

import (
	"context"
	"errors"
	"time"

	"khienso/internal/dates"
	"khienso/internal/units"
)

// UnitSQLForTest reads a unit placed by SQL (as inside a transaction), to
// check the cache-placed Unit against it.
func (s *Store) UnitSQLForTest(ctx context.Context, id int64, day dates.Date) (*units.Unit, error) {
	return s.reader().unit(ctx, id, day)
}

// AgeTokenUseForTest moves the noted last use of token id back by d, as if
// it had last been used then.
func (s *Store) AgeTokenUseForTest(ctx context.Context, id int64, d time.Duration) error {
	_, err := s.write.ExecContext(ctx, s.rebind("UPDATE api_tokens SET last_used_at = ? WHERE id = ?"), FormatTime(time.Now().Add(-d)), id)
	return err
}

// TamperAuditForTest tries to change and delete audit entries; both must fail.
func (s *Store) TamperAuditForTest(ctx context.Context) error {
	_, errUpdate := s.write.ExecContext(ctx, "UPDATE audit_log SET actor = 'x'")
	_, errDelete := s.write.ExecContext(ctx, "DELETE FROM audit_log")
	if errUpdate == nil || errDelete == nil {
		return nil
	}
	return errors.Join(errUpdate, errDelete)
}

// SubtreeIDsSQL is the recursive-query version of SubtreeIDs, kept to check
// that the in-memory walk gives the same answers.
func (s *Store) SubtreeIDsSQL(ctx context.Context, root int64, day string) ([]int64, error) {
	rows, err := s.reader().query(ctx, subtreeCTE+" SELECT id FROM sub", root, day, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// MigrateToForTest applies the pending migrations numbered up to version,
// leaving the schema an earlier release had (see upgrade_test.go).
func (s *Store) MigrateToForTest(ctx context.Context, version int) ([]int, error) {
	return s.migrate(ctx, version)
}

// ParseTimeSlowForTest reads a storage timestamp with time.Parse alone.
func ParseTimeSlowForTest(v string) (time.Time, error) {
	return time.Parse("2006-01-02T15:04:05.000Z", v)
}
