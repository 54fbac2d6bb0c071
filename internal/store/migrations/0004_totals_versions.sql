-- Versions that let app instances cache derived data and know, with one
-- indexed read, when it changed: activity_years counts the changes to each
-- year's activity totals; unit attribute edits now also move the hierarchy
-- version, which tags the cached unit facts used by indicators.
CREATE TABLE activity_years (
	year INTEGER PRIMARY KEY,
	version BIGINT NOT NULL
);
{{if .Postgres}}
CREATE TRIGGER units_attributes_changed AFTER UPDATE OF type, school_level, staff_count, pupil_count ON units
	FOR EACH STATEMENT EXECUTE FUNCTION bump_hierarchy_version();
{{else}}
CREATE TRIGGER units_attributes_updated AFTER UPDATE OF type, school_level, staff_count, pupil_count ON units
BEGIN
	UPDATE hierarchy_version SET version = version + 1 WHERE id = 1;
END;
{{end}}
