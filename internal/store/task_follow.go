package store

import (
	"context"
	"fmt"

	"khienso/internal/audit"
	"khienso/internal/plans"
)

// TaskFollowing reads, within tx, what the activities rule decides a task's
// status from (see plans.Task.FollowActivities): the task, how many
// activities serve it and how many progress reports it has.
func (tx *Tx) TaskFollowing(ctx context.Context, id int64) (t *plans.Task, linked, updates int, err error) {
	if t, err = tx.task(ctx, id); err != nil {
		return nil, 0, 0, err
	}
	if err = tx.row(ctx, `SELECT (SELECT COUNT(*) FROM activity_tasks WHERE task_id = ?), (SELECT COUNT(*) FROM task_updates WHERE task_id = ?)`,
		id, id).Scan(&linked, &updates); err != nil {
		return nil, 0, 0, fmt.Errorf("count activities and updates of task %d: %w", id, err)
	}
	return t, linked, updates, nil
}

// SetTaskStatus moves task t (as read in tx) to status, with an audit
// entry. The write is guarded by the status read: a status someone set
// meanwhile stands, and nothing is written.
func (tx *Tx) SetTaskStatus(ctx context.Context, a audit.Actor, t *plans.Task, status plans.TaskStatus) error {
	res, err := tx.exec(ctx, "UPDATE tasks SET status = ?, updated_at = ? WHERE id = ? AND status = ?", string(status), now(), t.ID, string(t.Status))
	if err != nil {
		return fmt.Errorf("set task %d status: %w", t.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil
	}
	after := *t
	after.Status = status
	return tx.record(ctx, a, "update", "task", t.ID, t, &after)
}
