package store

import "context"

// ForgetSortKeys empties the stored collation keys, as in a database
// written before migration 0010, so a test can check the backfill.
func (s *Store) ForgetSortKeys(ctx context.Context) error {
	for _, table := range sortKeyTables {
		if _, err := s.writer().exec(ctx, "UPDATE "+table+" SET sort_key = NULL"); err != nil {
			return err
		}
	}
	return nil
}
