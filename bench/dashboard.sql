-- bench/dashboard.sql (run by bench/dashboard, psql variables runs and days): times the dashboard's
-- requests on the large account (1) over its whole window, with the rollup and from the raw rows,
-- and prints a Markdown table.
\set QUIET on
\pset format unaligned
\pset tuples_only on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;  -- as reports-server's sessions on 2 cores
CREATE TEMP TABLE req (i int, page text, sql text);
INSERT INTO req VALUES
  (1, 'overview', $q$SELECT * FROM reports.summary(1, %S, %U)$q$),
  (2, 'overview', $q$SELECT * FROM reports.timeseries(1, 'conversations_count', %S, %U, 'day', 'America/New_York')$q$),
  (3, 'overview', $q$SELECT * FROM reports.timeseries(1, 'incoming_messages_count', %S, %U, 'day', 'America/New_York')$q$),
  (4, 'overview', $q$SELECT * FROM reports.timeseries(1, 'outgoing_messages_count', %S, %U, 'day', 'America/New_York')$q$),
  (5, 'overview', $q$SELECT * FROM reports.timeseries(1, 'avg_first_response_time', %S, %U, 'day', 'America/New_York')$q$),
  (6, 'overview', $q$SELECT * FROM reports.timeseries(1, 'avg_resolution_time', %S, %U, 'day', 'America/New_York')$q$),
  (7, 'overview', $q$SELECT * FROM reports.timeseries(1, 'resolutions_count', %S, %U, 'day', 'America/New_York')$q$),
  (8, 'overview', $q$SELECT * FROM reports.timeseries(1, 'reply_time', %S, %U, 'day', 'America/New_York')$q$),
  (9, 'agents', $q$SELECT * FROM reports.summary_by(1, 'agent', %S, %U)$q$),
  (10, 'agents', $q$SELECT * FROM reports.agent_report(1, %S, %U)$q$),
  (11, 'agents', $q$SELECT * FROM reports.summary(1, %S, %U, 'agent', (SELECT min(user_id) FROM account_users WHERE account_id = 1)::int)$q$),
  (12, 'agents', $q$SELECT * FROM reports.timeseries(1, 'conversations_count', %S, %U, 'day', 'America/New_York', 'agent', (SELECT min(user_id) FROM account_users WHERE account_id = 1)::int)$q$),
  (13, 'inboxes', $q$SELECT * FROM reports.summary_by(1, 'inbox', %S, %U)$q$),
  (14, 'inboxes', $q$SELECT * FROM reports.summary(1, %S, %U, 'inbox', (SELECT min(id) FROM inboxes WHERE account_id = 1)::int)$q$),
  (15, 'inboxes', $q$SELECT * FROM reports.timeseries(1, 'conversations_count', %S, %U, 'day', 'America/New_York', 'inbox', (SELECT min(id) FROM inboxes WHERE account_id = 1)::int)$q$),
  (16, 'teams', $q$SELECT * FROM reports.summary_by(1, 'team', %S, %U)$q$),
  (17, 'teams', $q$SELECT * FROM reports.summary(1, %S, %U, 'team', (SELECT min(id) FROM teams WHERE account_id = 1)::int)$q$),
  (18, 'labels', $q$SELECT * FROM reports.summary(1, %S, %U, 'label', (SELECT min(id) FROM labels WHERE account_id = 1)::int)$q$),
  (19, 'labels', $q$SELECT * FROM reports.timeseries(1, 'conversations_count', %S, %U, 'day', 'America/New_York', 'label', (SELECT min(id) FROM labels WHERE account_id = 1)::int)$q$),
  (20, 'labels', $q$SELECT * FROM reports.summary_by(1, 'label', %S, %U)$q$),
  (21, 'seed', $q$SELECT * FROM reports.heatmap(1, %S, %U, 'America/New_York')$q$),
  (22, 'seed', $q$SELECT * FROM reports.outgoing_messages_count(1, 'agent', %S, %U)$q$);
UPDATE req SET sql = replace(replace(sql, '%S', quote_literal('2024-01-01 05:00+00')),
                             '%U', quote_literal(('2024-01-01 05:00+00'::timestamptz + (:'days' || ' days')::interval)::text));

\ir median_ms.sql
-- Each request with the rollup (as refreshed), then from the raw rows only.
CREATE FUNCTION pg_temp.time_all(raw bool, runs int) RETURNS TABLE (i int, ms float8) LANGUAGE plpgsql AS $$
DECLARE
    v_covered timestamp;
BEGIN
    SELECT s.covered_until INTO v_covered FROM reports.rollup_state s;
    IF raw THEN UPDATE reports.rollup_state SET covered_until = '-infinity'; END IF;
    RETURN QUERY SELECT r.i, pg_temp.median_ms(r.sql, runs) FROM req r ORDER BY r.i;
    UPDATE reports.rollup_state SET covered_until = v_covered;
END
$$;
CREATE TEMP TABLE timing AS
SELECT r.i, r.page, r.sql, a.ms AS rollup_ms, b.ms AS raw_ms
FROM req r JOIN pg_temp.time_all(false, :runs) a USING (i) JOIN pg_temp.time_all(true, greatest(:runs / 2, 1)) b USING (i);

SELECT '| # | page | request | rollup ms | raw ms | raw / rollup |';
SELECT '|---:|---|---|---:|---:|---:|';
SELECT format('| %s | %s | `%s` | %s | %s | %s× |', i, page,
              regexp_replace(regexp_replace(sql, '''2024-01-01 05:00\+00''', 'since'), '''[0-9-]+ [0-9:+]+''', 'until'),
              round(rollup_ms::numeric, 1), round(raw_ms::numeric, 1), round((raw_ms / rollup_ms)::numeric, 1))
FROM timing ORDER BY i;
SELECT format('| | **all** | %s requests | **%s** | %s | %s× |', count(*), round(sum(rollup_ms)::numeric, 1),
              round(sum(raw_ms)::numeric, 1), round((sum(raw_ms) / sum(rollup_ms))::numeric, 1))
FROM timing;
