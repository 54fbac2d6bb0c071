-- Programmes, plans, indicators with their targets, tasks, activities and
-- their maintained totals, periodic reports, reminders and notifications.

-- A national programme (Đề án) as a template: its targets are copied into a
-- plan's indicators when a province plan is created from it.
CREATE TABLE programmes (
	id {{.PK}},
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	decision TEXT NOT NULL DEFAULT '',
	year_from INTEGER NOT NULL,
	year_to INTEGER NOT NULL,
	targets_json TEXT NOT NULL DEFAULT '[]',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE plans (
	id {{.PK}},
	unit_id BIGINT NOT NULL REFERENCES units (id),
	parent_plan_id BIGINT REFERENCES plans (id),
	programme_id BIGINT REFERENCES programmes (id),
	number TEXT NOT NULL DEFAULT '',
	title TEXT NOT NULL,
	issued_on TEXT,
	signer TEXT NOT NULL DEFAULT '',
	year_from INTEGER NOT NULL,
	year_to INTEGER NOT NULL,
	objectives TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('draft', 'in_effect', 'closed')),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (year_to >= year_from)
);
CREATE INDEX plans_unit ON plans (unit_id);
CREATE INDEX plans_parent ON plans (parent_plan_id, unit_id);

CREATE TABLE indicators (
	id {{.PK}},
	plan_id BIGINT NOT NULL REFERENCES plans (id),
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	measure_unit TEXT NOT NULL DEFAULT '',
	formula TEXT NOT NULL,
	comparison TEXT NOT NULL CHECK (comparison IN ('at_least', 'at_most', 'between')),
	target_value DOUBLE PRECISION NOT NULL,
	target_max DOUBLE PRECISION,
	period_kind TEXT NOT NULL CHECK (period_kind IN ('yearly', 'cumulative')),
	position INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (plan_id, code)
);

CREATE TABLE tasks (
	id {{.PK}},
	plan_id BIGINT NOT NULL REFERENCES plans (id),
	section TEXT NOT NULL DEFAULT '',
	number TEXT NOT NULL DEFAULT '',
	content TEXT NOT NULL,
	lead_text TEXT NOT NULL DEFAULT '',
	coord_text TEXT NOT NULL DEFAULT '',
	timeframe_kind TEXT NOT NULL CHECK (timeframe_kind IN ('continuous', 'yearly', 'range', 'due')),
	year_from INTEGER,
	year_to INTEGER,
	due_on TEXT,
	status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'cancelled')),
	progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
	position INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX tasks_plan ON tasks (plan_id, position);

CREATE TABLE task_units (
	task_id BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	role TEXT NOT NULL CHECK (role IN ('lead', 'coord')),
	PRIMARY KEY (task_id, unit_id, role)
);
CREATE INDEX task_units_unit ON task_units (unit_id, role);

CREATE TABLE task_updates (
	id {{.PK}},
	task_id BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	user_id BIGINT REFERENCES users (id),
	status TEXT NOT NULL,
	progress INTEGER NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	link TEXT NOT NULL DEFAULT '',
	file_name TEXT NOT NULL DEFAULT '',
	file_type TEXT NOT NULL DEFAULT '',
	file_data {{.Blob}},
	created_at TEXT NOT NULL
);
CREATE INDEX task_updates_task ON task_updates (task_id, created_at);

-- Activities. quantity is how many items the record stands for (classes,
-- articles, broadcasts); audiences is a bit set (see activities.Audiences).
CREATE TABLE activities (
	id {{.PK}},
	unit_id BIGINT NOT NULL REFERENCES units (id),
	type TEXT NOT NULL,
	title TEXT NOT NULL,
	channel TEXT NOT NULL,
	starts_on TEXT NOT NULL,
	ends_on TEXT NOT NULL,
	audiences INTEGER NOT NULL,
	quantity BIGINT NOT NULL,
	participants BIGINT NOT NULL DEFAULT 0,
	views BIGINT NOT NULL DEFAULT 0,
	copies BIGINT NOT NULL DEFAULT 0,
	communes BIGINT NOT NULL DEFAULT 0,
	description TEXT NOT NULL DEFAULT '',
	evidence_link TEXT NOT NULL DEFAULT '',
	search_key TEXT NOT NULL DEFAULT '',
	created_by BIGINT REFERENCES users (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX activities_unit ON activities (unit_id, starts_on);
CREATE INDEX activities_date ON activities (starts_on);

CREATE TABLE activity_tasks (
	activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
	task_id BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	PRIMARY KEY (activity_id, task_id)
);
CREATE INDEX activity_tasks_task ON activity_tasks (task_id);

-- Maintained roll-up of activities, changed in the same transaction as
-- every activity write, so indicators never scan the activities.
CREATE TABLE activity_totals (
	year INTEGER NOT NULL,
	unit_id BIGINT NOT NULL,
	type TEXT NOT NULL,
	channel TEXT NOT NULL,
	audiences INTEGER NOT NULL,
	records BIGINT NOT NULL,
	quantity BIGINT NOT NULL,
	participants BIGINT NOT NULL,
	views BIGINT NOT NULL,
	copies BIGINT NOT NULL,
	communes BIGINT NOT NULL,
	PRIMARY KEY (year, unit_id, type, channel, audiences)
);

CREATE TABLE report_templates (
	id {{.PK}},
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	fields_json TEXT NOT NULL,
	sections_json TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE report_rounds (
	id {{.PK}},
	template_id BIGINT NOT NULL REFERENCES report_templates (id),
	plan_id BIGINT REFERENCES plans (id),
	title TEXT NOT NULL,
	period_from TEXT NOT NULL,
	period_to TEXT NOT NULL,
	deadline TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE report_round_units (
	round_id BIGINT NOT NULL REFERENCES report_rounds (id) ON DELETE CASCADE,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	PRIMARY KEY (round_id, unit_id)
);
CREATE INDEX report_round_units_unit ON report_round_units (unit_id);

CREATE TABLE report_submissions (
	id {{.PK}},
	round_id BIGINT NOT NULL REFERENCES report_rounds (id),
	unit_id BIGINT NOT NULL REFERENCES units (id),
	status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
	values_json TEXT NOT NULL DEFAULT '{}',
	narratives_json TEXT NOT NULL DEFAULT '{}',
	submitted_at TEXT,
	reviewed_at TEXT,
	review_comment TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL,
	UNIQUE (round_id, unit_id)
);

-- Accepted figures, one row per field, for report() in indicator formulas.
CREATE TABLE report_values (
	submission_id BIGINT NOT NULL REFERENCES report_submissions (id) ON DELETE CASCADE,
	unit_id BIGINT NOT NULL,
	period_from TEXT NOT NULL,
	period_to TEXT NOT NULL,
	field TEXT NOT NULL,
	value DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (submission_id, field)
);
CREATE INDEX report_values_period ON report_values (period_from, field);

CREATE TABLE report_events (
	id {{.PK}},
	submission_id BIGINT NOT NULL REFERENCES report_submissions (id),
	user_id BIGINT REFERENCES users (id),
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	comment TEXT NOT NULL DEFAULT '',
	at TEXT NOT NULL
);
CREATE INDEX report_events_submission ON report_events (submission_id, at);

-- One row per reminder that must go out; the unique key makes each one
-- exist once however many instances schedule it, and the claim lease makes
-- one instance send it.
CREATE TABLE reminders (
	id {{.PK}},
	round_id BIGINT NOT NULL REFERENCES report_rounds (id) ON DELETE CASCADE,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	kind TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'rejected', 'no_recipient')),
	claimed_by TEXT NOT NULL DEFAULT '',
	claimed_until TEXT NOT NULL DEFAULT '',
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	sent_at TEXT,
	UNIQUE (round_id, unit_id, kind)
);
CREATE INDEX reminders_status ON reminders (status, claimed_until);

CREATE TABLE notifications (
	id {{.PK}},
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	subject TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	link TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	read_at TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
