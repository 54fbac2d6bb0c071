-- An indicator's description in the coordinator's words, shown to every
-- reader instead of the formula; empty means "describe the formula"
-- (indicators.Describe), so existing indicators read in words at once.
ALTER TABLE indicators ADD COLUMN description TEXT NOT NULL DEFAULT '';
