-- Last step of CREATE EXTENSION: the triggers on Chatwoot's tables (when they exist already; call
-- reports.install_triggers() again after creating them later) and on the extension's own tables.
SELECT reports.install_triggers();
