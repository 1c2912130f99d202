-- bench/summary_metrics.sql (run by bench/summary-metrics, psql variables runs and days).
\set QUIET on
\pset format unaligned
\pset tuples_only on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;  -- as reports-server's sessions on 2 cores
CREATE TEMP TABLE req (i int, what text, sql text);
-- %S / %U: the window; %P: the previous period's start. The plain SQL answers what the new
-- columns answer, for both periods, the way a user would write it against the same tables.
INSERT INTO req VALUES
  (1, 'reports.summary, all 18 metrics and previous_*', $q$SELECT * FROM reports.summary(1, %S, %U)$q$),
  (2, 'its reopens and one-touch resolutions alone, both periods',
   $q$SELECT * FROM reports_internal.metric_values(1, %S::timestamp, %U::timestamp, 'a', '',
                                                   ARRAY['reopened_count', 'reopen_rate', 'one_touch_resolution_rate'], false)
      UNION ALL SELECT * FROM reports_internal.metric_values(1, %P::timestamp, %S::timestamp, 'a', '',
                                                   ARRAY['reopened_count', 'reopen_rate', 'one_touch_resolution_rate'], false)$q$),
  (3, 'plain SQL: percentile_cont of the three times (waits subtracted), both periods',
   $q$SELECT e.created_at >= %S::timestamp AS cur, e.name,
             percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY e.value - coalesce(w.wait_seconds, 0))
      FROM reporting_events e LEFT JOIN reports.event_waits w ON w.event_id = e.id AND e.name = 'conversation_resolved'
      WHERE e.account_id = 1 AND e.name IN ('first_response', 'conversation_resolved', 'reply_time')
        AND e.created_at >= %P::timestamp AND e.created_at < %U::timestamp
      GROUP BY 1, 2$q$),
  (4, 'plain SQL: reopened conversations, both periods',
   $q$SELECT s.changed_at >= %S::timestamp, count(DISTINCT s.conversation_id)
      FROM reports.conversation_status_changes s JOIN conversations c ON c.id = s.conversation_id
      WHERE s.account_id = 1 AND s.previous_status = 1 AND s.status = 0
        AND s.changed_at >= %P::timestamp AND s.changed_at < %U::timestamp GROUP BY 1$q$),
  (5, 'plain SQL: one-touch resolutions, both periods',
   $q$SELECT r.cur, count(*), count(*) FILTER (WHERE t.n = 1)
      FROM (SELECT DISTINCT e.created_at >= %S::timestamp AS cur, e.conversation_id FROM reporting_events e
            WHERE e.account_id = 1 AND e.name = 'conversation_resolved'
              AND e.created_at >= %P::timestamp AND e.created_at < %U::timestamp) r
      JOIN conversations c ON c.id = r.conversation_id
      LEFT JOIN (SELECT m.conversation_id, count(*) AS n FROM messages m
                 WHERE m.account_id = 1 AND m.message_type = 1 AND NOT m.private AND m.sender_type = 'User'
                 GROUP BY 1) t ON t.conversation_id = r.conversation_id
      GROUP BY 1$q$);
UPDATE req SET sql = replace(replace(replace(sql, '%S', quote_literal('2024-01-01 05:00+00')),
                             '%U', quote_literal(('2024-01-01 05:00+00'::timestamptz + (:'days' || ' days')::interval)::text)),
                             '%P', quote_literal(('2024-01-01 05:00+00'::timestamptz - (:'days' || ' days')::interval)::text));

\ir median_ms.sql
CREATE TEMP TABLE timing AS SELECT r.i, r.what, r.sql, pg_temp.median_ms(r.sql, :runs) AS ms FROM req r;
-- the summary from the raw rows only
CREATE TEMP TABLE saved AS SELECT covered_until FROM reports.rollup_state;
UPDATE reports.rollup_state SET covered_until = '-infinity';
INSERT INTO timing SELECT 0, 'reports.summary from the raw rows (no rollup)', r.sql, pg_temp.median_ms(r.sql, greatest(:runs / 2, 1))
FROM req r WHERE r.i = 1;
UPDATE reports.rollup_state SET covered_until = (SELECT covered_until FROM saved);

SELECT format('Data: %s events, %s messages, %s status changes (%s reopens) in account 1; window %s days. Server time, median of %s runs.',
              (SELECT count(*) FROM reporting_events WHERE account_id = 1), (SELECT count(*) FROM messages WHERE account_id = 1),
              (SELECT count(*) FROM reports.conversation_status_changes WHERE account_id = 1),
              (SELECT count(*) FROM reports.conversation_status_changes WHERE account_id = 1 AND previous_status = 1 AND status = 0),
              :'days', :runs);
SELECT '';
SELECT '| # | measurement | ms |';
SELECT '|---:|---|---:|';
SELECT format('| %s | %s | %s |', i, what, round(ms::numeric, 1)) FROM timing ORDER BY i;
SELECT '';
SELECT format('Plain SQL for the new metrics (3 + 4 + 5): %s ms; the whole summary with the rollup: %s ms, %s× faster than that plain SQL alone; from raw rows %s ms.',
              round(sum(ms) FILTER (WHERE i IN (3, 4, 5))::numeric, 1), round(max(ms) FILTER (WHERE i = 1)::numeric, 1),
              round((sum(ms) FILTER (WHERE i IN (3, 4, 5)) / max(ms) FILTER (WHERE i = 1))::numeric, 1),
              round(max(ms) FILTER (WHERE i = 0)::numeric, 1))
FROM timing;
