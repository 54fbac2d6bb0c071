-- Vietnamese collation keys of the names lists are sorted by: neither
-- engine collates Vietnamese the same way everywhere (SQLite not at all,
-- PostgreSQL by the server's locale), so the key is computed in Go
-- (textnorm.SortKey) on every write of a name and compared byte by byte,
-- which both engines do alike. The rows already stored get theirs when the
-- store migrates (Store.fillSortKeys): SQL cannot compute them.
ALTER TABLE units ADD COLUMN sort_key {{.Blob}};
CREATE INDEX units_sort_key ON units (sort_key, id);
ALTER TABLE users ADD COLUMN sort_key {{.Blob}};
CREATE INDEX users_sort_key ON users (sort_key, id);
