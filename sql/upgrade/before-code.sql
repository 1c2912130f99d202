-- Run by every update script before the code of the new version: drops the objects that the code
-- creates with a plain CREATE, because their content is fixed by the version (the metric registry
-- and the view over it). No CASCADE: a user's own view on reports.metrics stops the update with
-- Postgres's message naming that view, instead of vanishing with it.
DROP VIEW IF EXISTS reports.metrics;
DROP TABLE IF EXISTS reports_internal.metric;
