-- Indicators keep derived data in each instance's memory, validated with one
-- indexed read of versions. This lets an instance follow a write by reading
-- only what it changed instead of reloading whole years:
-- - each activity_totals row carries the version its year had when the row
--   last changed (rows that fall to zero records stay, so the removal is
--   seen; they are pruned when the totals are rebuilt);
-- - activity_years.base is the version of the year's last wholesale rewrite
--   (a rebuild), before which a cached copy must be reloaded whole;
-- - data_versions counts the changes to the other inputs of indicators:
--   accepted report figures, plans (units with their own plan) and unit
--   attributes (type, level, headcounts). Each unit carries the version of
--   its attributes' last change, so an edit is followed by reading that
--   unit alone; attribute edits therefore no longer move hierarchy_version
--   (0004), which made every instance reload the whole tree.
ALTER TABLE activity_totals ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX activity_totals_changes ON activity_totals (year, version);
ALTER TABLE activity_years ADD COLUMN base BIGINT NOT NULL DEFAULT 0;
INSERT INTO activity_years (year, version) SELECT DISTINCT year, 1 FROM activity_totals
	WHERE year NOT IN (SELECT year FROM activity_years);
UPDATE activity_years SET base = version;

CREATE TABLE data_versions (
	name TEXT PRIMARY KEY,
	version BIGINT NOT NULL
);
INSERT INTO data_versions (name, version) VALUES ('report_values', 1);
INSERT INTO data_versions (name, version) VALUES ('plans', 1);
INSERT INTO data_versions (name, version) VALUES ('unit_attributes', 1);
ALTER TABLE units ADD COLUMN attributes_version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX units_attributes_version ON units (attributes_version);
{{if .Postgres}}
DROP TRIGGER units_attributes_changed ON units;
CREATE FUNCTION stamp_unit_attributes() RETURNS trigger AS $$
BEGIN
	IF TG_OP = 'INSERT' OR NEW.type IS DISTINCT FROM OLD.type OR NEW.school_level IS DISTINCT FROM OLD.school_level
		OR NEW.staff_count IS DISTINCT FROM OLD.staff_count OR NEW.pupil_count IS DISTINCT FROM OLD.pupil_count THEN
		UPDATE data_versions SET version = version + 1 WHERE name = 'unit_attributes' RETURNING version INTO NEW.attributes_version;
	END IF;
	RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER units_attributes_stamped BEFORE INSERT OR UPDATE ON units
	FOR EACH ROW EXECUTE FUNCTION stamp_unit_attributes();
CREATE FUNCTION bump_data_version() RETURNS trigger AS $$
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = TG_ARGV[0];
	RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER report_values_changed AFTER INSERT OR UPDATE OR DELETE ON report_values
	FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('report_values');
CREATE TRIGGER plans_changed AFTER INSERT OR DELETE OR UPDATE OF unit_id, parent_plan_id, status, issued_on ON plans
	FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('plans');
{{else}}
DROP TRIGGER units_attributes_updated;
CREATE TRIGGER units_attributes_inserted AFTER INSERT ON units
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'unit_attributes';
	UPDATE units SET attributes_version = (SELECT version FROM data_versions WHERE name = 'unit_attributes') WHERE id = NEW.id;
END;
CREATE TRIGGER units_attributes_updated AFTER UPDATE OF type, school_level, staff_count, pupil_count ON units
	WHEN OLD.type IS NOT NEW.type OR OLD.school_level IS NOT NEW.school_level
		OR OLD.staff_count IS NOT NEW.staff_count OR OLD.pupil_count IS NOT NEW.pupil_count
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'unit_attributes';
	UPDATE units SET attributes_version = (SELECT version FROM data_versions WHERE name = 'unit_attributes') WHERE id = NEW.id;
END;
CREATE TRIGGER report_values_inserted AFTER INSERT ON report_values
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'report_values';
END;
CREATE TRIGGER report_values_updated AFTER UPDATE ON report_values
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'report_values';
END;
CREATE TRIGGER report_values_deleted AFTER DELETE ON report_values
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'report_values';
END;
CREATE TRIGGER plans_inserted AFTER INSERT ON plans
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'plans';
END;
CREATE TRIGGER plans_updated AFTER UPDATE OF unit_id, parent_plan_id, status, issued_on ON plans
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'plans';
END;
CREATE TRIGGER plans_deleted AFTER DELETE ON plans
BEGIN
	UPDATE data_versions SET version = version + 1 WHERE name = 'plans';
END;
{{end}}
