-- 0.2.0 -> 0.3.0. bot_resolutions_count leaves out the conversations handed off to a human in the
-- report's range (upstream #14032), so its rollup rows now keep their conversations' ids: the
-- rollup is emptied and reports.refresh_rollup() (or reports-server's refresher) rebuilds it;
-- until then reports read raw rows, with the same answers.
TRUNCATE reports_internal.rollup, reports_internal.rollup_dirty;
UPDATE reports.rollup_state SET covered_until = '-infinity', refreshed_at = NULL;
