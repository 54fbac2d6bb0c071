-- Notifications are e-mailed too. Each row carries its own delivery state,
-- claimed like reminders (a conditional update with a lease), so with many
-- instances each goes out once: 'pending' (to send), 'sending' (claimed),
-- 'sent', 'failed' (retried after the lease), 'rejected' (the server
-- refused it for good), 'none' (not e-mailed: written before this version,
-- sent by another path such as the reminders, or e-mail was off).
ALTER TABLE notifications ADD COLUMN email_status TEXT NOT NULL DEFAULT 'none';
ALTER TABLE notifications ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN claimed_until TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN email_error TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN emailed_at TEXT;
CREATE INDEX notifications_email ON notifications (email_status, claimed_until);

-- Tasks' "due soon" and "overdue" notices, one per task, kind and due day:
-- the unique key makes the pass safe on every instance, and a task given a
-- new due day is told about again.
CREATE TABLE task_notices (
	task_id BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	due_on TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (task_id, kind, due_on)
);
