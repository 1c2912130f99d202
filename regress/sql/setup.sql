-- Creates the extension (schema reports) once for the whole schedule.
CREATE EXTENSION support_reports;
SELECT extname, extversion FROM pg_extension WHERE extname = 'support_reports';
SELECT count(*) > 0 AS has_functions FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'reports';
