-- Replaces the support_reports objects in a kept benchmark database with the installed build, so
-- a reused dataset is measured with the current SQL (the version number does not change between
-- builds, so ALTER EXTENSION UPDATE would keep the old definitions). The data the extension owns,
-- status history and event waits, is carried over. Run by bench/run when the installed script
-- differs from the one the database was last set up with.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE keep_history ON COMMIT DROP AS SELECT * FROM reports.conversation_status_changes;
CREATE TEMP TABLE keep_waits ON COMMIT DROP AS SELECT * FROM reports.event_waits;
-- CASCADE also drops the extension's triggers on Chatwoot's tables; CREATE EXTENSION puts them back.
DROP EXTENSION support_reports CASCADE;
CREATE EXTENSION support_reports;
-- Restored rows are not changes: no trigger (the rollup's change marks) should see them.
SET LOCAL session_replication_role = replica;
INSERT INTO reports.conversation_status_changes SELECT * FROM keep_history;
SELECT setval('reports.conversation_status_changes_id_seq', (SELECT max(id) FROM reports.conversation_status_changes));
INSERT INTO reports.event_waits SELECT * FROM keep_waits;
COMMIT;
ANALYZE reports.conversation_status_changes;
ANALYZE reports.event_waits;
