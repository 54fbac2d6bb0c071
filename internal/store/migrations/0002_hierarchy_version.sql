-- A counter bumped by every change to unit_links and to the units' existence
-- (creation, validity dates), so app instances can keep the hierarchy in
-- memory and know, with one cheap read, when to reload it.
CREATE TABLE hierarchy_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	version BIGINT NOT NULL
);
INSERT INTO hierarchy_version (id, version) VALUES (1, 1);
{{if .Postgres}}
CREATE FUNCTION bump_hierarchy_version() RETURNS trigger AS $$
BEGIN
	UPDATE hierarchy_version SET version = version + 1 WHERE id = 1;
	RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER unit_links_changed AFTER INSERT OR UPDATE OR DELETE ON unit_links
	FOR EACH STATEMENT EXECUTE FUNCTION bump_hierarchy_version();
CREATE TRIGGER units_existence_changed AFTER INSERT OR DELETE OR UPDATE OF valid_from, valid_to ON units
	FOR EACH STATEMENT EXECUTE FUNCTION bump_hierarchy_version();
{{else}}
CREATE TRIGGER unit_links_inserted AFTER INSERT ON unit_links
BEGIN
	UPDATE hierarchy_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER unit_links_updated AFTER UPDATE ON unit_links
BEGIN
	UPDATE hierarchy_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER unit_links_deleted AFTER DELETE ON unit_links
BEGIN
	UPDATE hierarchy_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER units_inserted AFTER INSERT ON units
BEGIN
	UPDATE hierarchy_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER units_validity_updated AFTER UPDATE OF valid_from, valid_to ON units
BEGIN
	UPDATE hierarchy_version SET version = version + 1 WHERE id = 1;
END;
{{end}}
