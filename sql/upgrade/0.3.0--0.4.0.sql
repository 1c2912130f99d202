-- 0.3.0 -> 0.4.0.
--
-- The rollup is emptied: it gains the cohort metrics (the events, of any date, of the
-- conversations created in each hour: cohort_avg_first_response_time, cohort_avg_resolution_time,
-- cohort_reply_time), which the label summary reads. reports.refresh_rollup() (or reports-server's
-- refresher) rebuilds it; until then reports read raw rows, with the same answers.
TRUNCATE reports_internal.rollup_dirty;
UPDATE reports.rollup_state SET covered_until = '-infinity', refreshed_at = NULL;
TRUNCATE reports_internal.rollup;
-- The read path's index also names the metric, so a report fetches only the rows it asks for.
DROP INDEX reports_internal.rollup_account_dim_grain_hour;
CREATE INDEX rollup_account_dim_grain_hour_metric ON reports_internal.rollup (account_id, dim, grain, hour, metric);
