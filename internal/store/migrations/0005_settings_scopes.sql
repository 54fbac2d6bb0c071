-- Settings gain a scope: 0 for the deployment, or the unit id of a province
-- committee (or national root) for what that province sets, so one
-- deployment can hold several provinces with their own documents. Keys move
-- to the names of the settings page; the former "report.*" keys were
-- overrides of the general ones and win over them.
CREATE TABLE settings_scoped (
	scope_id BIGINT NOT NULL,
	key TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (scope_id, key)
);
INSERT INTO settings_scoped (scope_id, key, value) SELECT 0, key, value FROM settings;
DROP TABLE settings;
ALTER TABLE settings_scoped RENAME TO settings;

-- The former "document.issuing_body" held the governing body's line.
UPDATE settings SET key = 'document.parent_body' WHERE key = 'document.issuing_body';
UPDATE settings SET key = 'document.issuing_body' WHERE key = 'coordinator.name';
UPDATE settings SET key = 'document.place' WHERE key = 'province.name'
	AND NOT EXISTS (SELECT 1 FROM settings s WHERE s.key = 'document.place');
DELETE FROM settings WHERE key = 'province.name';

DELETE FROM settings WHERE key = 'document.parent_body' AND EXISTS (SELECT 1 FROM settings s WHERE s.key = 'report.parent_body');
UPDATE settings SET key = 'document.parent_body' WHERE key = 'report.parent_body';
DELETE FROM settings WHERE key = 'document.issuing_body' AND EXISTS (SELECT 1 FROM settings s WHERE s.key = 'report.issuing_body');
UPDATE settings SET key = 'document.issuing_body' WHERE key = 'report.issuing_body';
DELETE FROM settings WHERE key = 'document.place' AND EXISTS (SELECT 1 FROM settings s WHERE s.key = 'report.place');
UPDATE settings SET key = 'document.place' WHERE key = 'report.place';
-- A symbol was stored with its document kind ("BC-SKHCN"); the kind now
-- comes from the document.
UPDATE settings SET key = 'document.symbol', value = CASE WHEN value LIKE 'BC-%' THEN substr(value, 4) ELSE value END
	WHERE key = 'report.symbol';
UPDATE settings SET key = 'document.signer_name' WHERE key = 'report.signer_name';
UPDATE settings SET key = 'document.signer_authority' WHERE key = 'report.signer_title';
UPDATE settings SET key = 'document.recipients' WHERE key = 'report.recipients';

-- The coordinating agency is kept by unit id: codes may be edited.
INSERT INTO settings (scope_id, key, value)
	SELECT 0, 'coordinator.unit_id', CAST(u.id AS TEXT) FROM settings s JOIN units u ON u.code = s.value
	WHERE s.key = 'coordinator.unit_code';
DELETE FROM settings WHERE key = 'coordinator.unit_code';

-- A round may override the signer and the recipients of its consolidated
-- report (empty: the province's settings).
ALTER TABLE report_rounds ADD COLUMN signer_authority TEXT NOT NULL DEFAULT '';
ALTER TABLE report_rounds ADD COLUMN signer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE report_rounds ADD COLUMN recipients TEXT NOT NULL DEFAULT '';
