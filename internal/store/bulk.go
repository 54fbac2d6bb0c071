package store

import (
	"context"
	"fmt"
	"strings"

	"khienso/internal/activities"
	"khienso/internal/textnorm"
)

// BulkInsertActivities writes many activities with multi-row inserts and
// no audit entries or totals: it exists for generated benchmark data only,
// and the caller runs RebuildActivityTotals afterwards. Rows go in
// transactions of at most 50,000.
func (s *Store) BulkInsertActivities(ctx context.Context, list []activities.Activity) error {
	const perStatement = 400 // 17 parameters each: under SQLite's 32,766 limit
	const perTx = 50_000
	ts := now()
	for start := 0; start < len(list); start += perTx {
		end := min(start+perTx, len(list))
		err := s.inTx(ctx, func(tx q) error {
			for i := start; i < end; i += perStatement {
				chunk := list[i:min(i+perStatement, end)]
				var b strings.Builder
				b.WriteString(`INSERT INTO activities (unit_id, type, title, channel, starts_on, ends_on, audiences, quantity,
					participants, views, copies, communes, description, evidence_link, search_key, created_at, updated_at) VALUES `)
				args := make([]any, 0, len(chunk)*17)
				for j, a := range chunk {
					if j > 0 {
						b.WriteString(", ")
					}
					b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, ?)")
					args = append(args, a.UnitID, string(a.Type), a.Title, string(a.Channel), a.Start.ISO(), a.End.ISO(),
						int64(a.Audiences), a.Quantity, a.Participants, a.Views, a.Copies, a.Communes, textnorm.Fold(a.Title), ts, ts)
				}
				// One-off statements: not worth a prepared-statement cache entry.
				if _, err := tx.db.ExecContext(ctx, s.rebind(b.String()), args...); err != nil {
					return fmt.Errorf("bulk insert activities: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
