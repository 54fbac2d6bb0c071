package store

import (
	"strings"

	"khienso/internal/dates"
)

// listFilter gathers the conditions of a list query and their arguments.
// A list bounded to a unit's subtree opens with subtreeCTE, whose
// arguments therefore come before all the others.
type listFilter struct {
	cte     string
	cteArgs []any
	where   []string
	args    []any
}

// within bounds the list to root's subtree on day (root 0: no bound); cond
// tests membership with "SELECT id FROM sub".
func (f *listFilter) within(root int64, day dates.Date, cond string) {
	if root == 0 {
		return
	}
	iso := day.ISO()
	f.cte, f.cteArgs = subtreeCTE+" ", []any{root, iso, iso}
	f.where = append(f.where, cond)
}

// add appends a condition and its arguments.
func (f *listFilter) add(cond string, args ...any) {
	f.where, f.args = append(f.where, cond), append(f.args, args...)
}

// sql is the " WHERE …" clause, or "" without conditions.
func (f *listFilter) sql() string {
	if len(f.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(f.where, " AND ")
}

// params are the statement's arguments in order, with more (ORDER BY,
// LIMIT and OFFSET values) after the conditions'.
func (f *listFilter) params(more ...any) []any {
	out := make([]any, 0, len(f.cteArgs)+len(f.args)+len(more))
	return append(append(append(out, f.cteArgs...), f.args...), more...)
}
