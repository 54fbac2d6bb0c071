package store

import (
	"context"
	"errors"
)

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
