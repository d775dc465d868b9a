-- 015_status_checks: SQLite's twin writes the status CHECKs of pledges
-- and registrations as comparisons joined by OR, because SQLite evaluates
-- "status IN (three or more values)" by building a temporary B-tree at
-- every insert. PostgreSQL evaluates the IN list in place, so its schema
-- stays as it is; this file keeps the two engines' versions in step
-- (README.md).
SELECT 1;
