package store

import (
	"context"
	"fmt"
	"strings"

	"khienso/internal/textnorm"
	"khienso/internal/units"
)

// typeRank orders units by type as units.Types lists them (the domain's
// order), not by the type keys' bytes.
var typeRank = func() string {
	var b strings.Builder
	b.WriteString("CASE u.type")
	for i, t := range units.Types {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", t, i)
	}
	fmt.Fprintf(&b, " ELSE %d END", len(units.Types))
	return b.String()
}()

// sortKeyTables are the tables whose name column has a stored Vietnamese
// collation key (migration 0010).
var sortKeyTables = []string{"units", "users"}

// sortKeyBatch bounds the rows one backfill statement reads.
const sortKeyBatch = 500

// fillSortKeys computes the collation key of every row that has none: the
// rows written before migration 0010, since every write sets it since. It
// runs after each migration pass and costs one indexed lookup when there is
// nothing to do, so it is safe to repeat (an interrupted pass resumes).
func (s *Store) fillSortKeys(ctx context.Context) error {
	for _, table := range sortKeyTables {
		for {
			n := 0
			err := s.inTx(ctx, func(tx q) error {
				rows, err := tx.query(ctx, "SELECT id, name FROM "+table+" WHERE sort_key IS NULL ORDER BY id LIMIT ?", sortKeyBatch)
				if err != nil {
					return err
				}
				type row struct {
					id   int64
					name string
				}
				var todo []row
				for rows.Next() {
					var r row
					if err := rows.Scan(&r.id, &r.name); err != nil {
						rows.Close()
						return err
					}
					todo = append(todo, r)
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
				for _, r := range todo {
					if _, err := tx.exec(ctx, "UPDATE "+table+" SET sort_key = ? WHERE id = ?", textnorm.SortKey(r.name), r.id); err != nil {
						return err
					}
				}
				n = len(todo)
				return nil
			})
			if err != nil {
				return fmt.Errorf("fill sort keys of %s: %w", table, err)
			}
			if n < sortKeyBatch {
				break
			}
		}
	}
	return nil
}
