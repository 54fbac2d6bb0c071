-- Foundation schema: units and their history, accounts, sessions, API tokens,
-- login throttling, the audit log, import jobs and deployment settings.
-- Dates are ISO 'YYYY-MM-DD' text and timestamps UTC RFC 3339 text, so that
-- the same queries compare them on both engines.

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE units (
	id {{.PK}},
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	short_name TEXT NOT NULL DEFAULT '',
	type TEXT NOT NULL,
	school_level TEXT NOT NULL DEFAULT '',
	head_name TEXT NOT NULL DEFAULT '',
	focal_name TEXT NOT NULL DEFAULT '',
	focal_phone TEXT NOT NULL DEFAULT '',
	focal_email TEXT NOT NULL DEFAULT '',
	staff_count INTEGER,
	pupil_count INTEGER,
	headcount_year INTEGER,
	valid_from TEXT NOT NULL,
	valid_to TEXT,
	search_key TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX units_type ON units (type);

-- The hierarchy through time. kind 'parent': child sits under parent from
-- valid_from until valid_to (exclusive; NULL = still). kind 'merged_into':
-- child was merged into parent on valid_from, so its data rolls up there.
CREATE TABLE unit_links (
	id {{.PK}},
	child_id BIGINT NOT NULL REFERENCES units (id),
	parent_id BIGINT NOT NULL REFERENCES units (id),
	kind TEXT NOT NULL CHECK (kind IN ('parent', 'merged_into')),
	valid_from TEXT NOT NULL,
	valid_to TEXT,
	CHECK (child_id <> parent_id),
	CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX unit_links_parent ON unit_links (parent_id, valid_from);
CREATE INDEX unit_links_child ON unit_links (child_id, valid_from);

CREATE TABLE users (
	id {{.PK}},
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	password_hash TEXT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	disabled INTEGER NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until TEXT,
	last_login_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX users_unit ON users (unit_id);

CREATE TABLE user_roles (
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role TEXT NOT NULL,
	PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf_token TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
	id {{.PK}},
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	prefix TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT,
	last_used_at TEXT,
	revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed logins by client address, for rate limiting shared by all instances.
CREATE TABLE login_failures (
	id {{.PK}},
	ip TEXT NOT NULL,
	email TEXT NOT NULL,
	at TEXT NOT NULL
);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

CREATE TABLE audit_log (
	id {{.PK}},
	at TEXT NOT NULL,
	user_id BIGINT,
	actor TEXT NOT NULL,
	ip TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id TEXT NOT NULL DEFAULT '',
	before_json TEXT,
	after_json TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_user ON audit_log (user_id, at);

CREATE TABLE import_jobs (
	id {{.PK}},
	user_id BIGINT NOT NULL REFERENCES users (id),
	kind TEXT NOT NULL,
	filename TEXT NOT NULL,
	skip_invalid INTEGER NOT NULL DEFAULT 0,
	status TEXT NOT NULL,
	total INTEGER NOT NULL DEFAULT 0,
	processed INTEGER NOT NULL DEFAULT 0,
	written INTEGER NOT NULL DEFAULT 0,
	report_json TEXT NOT NULL DEFAULT '[]',
	error TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- The audit log is append-only for everyone, whatever the application does.
{{if .Postgres}}
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION 'audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
{{else}}
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
{{end}}
