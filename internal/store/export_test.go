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
