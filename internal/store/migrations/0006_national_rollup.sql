-- A round records the unit that issued it, so that a national round
-- (issued at the national level and answered by the province committees)
-- belongs to the national level and not to the province of its first unit.
-- Rounds stored before keep NULL and belong, as before, to the province of
-- their first unit.
ALTER TABLE report_rounds ADD COLUMN issuer_id BIGINT REFERENCES units (id);
CREATE INDEX report_rounds_issuer ON report_rounds (issuer_id);

-- A submission whose figures were consolidated from another round (a
-- province answering a national round with what it accepted from its own
-- units) records that round, while the figures are the ones filled from it.
ALTER TABLE report_submissions ADD COLUMN source_round_id BIGINT REFERENCES report_rounds (id);

-- A unit's province is the nearest province committee above it, which the
-- in-memory hierarchy keeps: a unit becoming or ceasing to be a province
-- committee must move hierarchy_version. Other type edits do not (0007
-- keeps attribute edits from reloading the tree).
{{if .Postgres}}
CREATE TRIGGER units_committee_changed AFTER UPDATE OF type ON units
	FOR EACH ROW WHEN (OLD.type IS DISTINCT FROM NEW.type AND 'province_committee' IN (OLD.type, NEW.type))
	EXECUTE FUNCTION bump_hierarchy_version();
{{else}}
CREATE TRIGGER units_committee_changed AFTER UPDATE OF type ON units
	WHEN OLD.type <> NEW.type AND 'province_committee' IN (OLD.type, NEW.type)
BEGIN
	UPDATE hierarchy_version SET version = version + 1 WHERE id = 1;
END;
{{end}}
