package store

import (
	"context"

	"khienso/internal/dates"
)

// RootIDs lists the units that sit under no other unit on day: one per
// province in a multi-province database, one national root in a national one.
func (s *Store) RootIDs(ctx context.Context, day dates.Date) ([]int64, error) {
	h, err := s.hierarchy(ctx)
	if err != nil {
		return nil, err
	}
	return h.roots(day.ISO()), nil
}
