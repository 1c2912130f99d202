-- Creates the extension (schema reports) once for the whole schedule.
CREATE EXTENSION support_reports;
SELECT extname, extversion FROM pg_extension WHERE extname = 'support_reports';
SELECT count(*) > 0 AS has_functions FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'reports';
-- Schema reports holds the API and nothing else (helpers live in reports_internal): this list is
-- the documented SQL surface (README, docs/sql.md), aggregates and their overloads included.
SELECT p.proname, p.prokind, count(*) AS overloads
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'reports' GROUP BY 1, 2 ORDER BY 1;
SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'reports' AND c.relkind IN ('r', 'v') ORDER BY 1;
