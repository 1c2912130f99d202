-- The hourly rollup (sql/ext/35_rollup.sql) on the reports_fixture data: reports.summary answers
SET client_min_messages = warning;  -- refresh_rollup's progress notices name the current hour
-- exactly as from the raw rows, before and after refresh_rollup(); a change to an hour already
-- rolled up is seen at once and folded in by the next refresh. Runs alone (its refreshes change
-- which path the summary takes), and leaves the rollup empty.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

SELECT covered_until FROM reports.rollup_state;  -- -infinity: nothing rolled up yet

-- Ranges of every shape over the fixture's March: starts every 631 minutes (rarely on an hour),
-- lengths from 50 minutes to 40 days (whole UTC months and days read as such), both accounts, with and without business hours.
CREATE TEMP TABLE ranges AS
SELECT acc, since, since + len AS until, bh
FROM generate_series(timestamptz '2024-02-26 03:17+00', '2024-03-16 00:00+00', interval '631 minutes') since,
     unnest(ARRAY[interval '50 minutes', '7 hours', '1 day 3 hours 5 seconds', '9 days', '40 days']) len,
     unnest(ARRAY[1, 2]) acc, unnest(ARRAY[false, true]) bh;
SELECT count(*) AS ranges FROM ranges;
-- Besides the account summary on every range, every other report over a share of them: the
-- summary of each scope, timeseries of every metric, scope, group_by and zone (DST in New York
-- and Berlin, half-hour offsets in Kolkata), the heatmap, summary_by of every dimension, the agent
-- and label reports and outgoing message counts.
CREATE TEMP TABLE cases AS
WITH r AS (SELECT row_number() OVER (ORDER BY since, until, acc, bh) AS i, * FROM ranges),
     long AS (SELECT row_number() OVER (ORDER BY i) AS j, * FROM r WHERE until - since >= interval '1 day')
SELECT 'summary' AS report, acc, since, until, bh, 'account' AS a, NULL::int AS b, NULL::text AS metric,
       NULL::text AS grp, NULL::text AS tz
FROM r
UNION ALL
SELECT 'summary', acc, since, until, bh, s.scope, s.id, NULL, NULL, NULL
FROM r JOIN (VALUES (0, 'agent', 1), (1, 'inbox', 1), (2, 'team', 1), (3, 'label', 1), (4, 'agent', 4),
                    (5, 'label', 2), (6, 'team', 2), (7, 'inbox', 2)) s(k, scope, id) ON s.k = r.i % 16
UNION ALL
SELECT 'timeseries', acc, since, until, bh, s.scope, s.id, m.metric, g.grp, g.tz
FROM long
JOIN (VALUES (0, 'conversations_count'), (1, 'incoming_messages_count'), (2, 'outgoing_messages_count'),
             (3, 'resolutions_count'), (4, 'avg_first_response_time'), (5, 'avg_resolution_time'),
             (6, 'reply_time'), (7, 'bot_resolutions_count'), (8, 'bot_handoffs_count'),
             (9, 'median_first_response_time'), (10, 'p90_first_response_time'), (11, 'median_resolution_time'),
             (12, 'p90_resolution_time'), (13, 'median_reply_time'), (14, 'p90_reply_time'),
             (15, 'reopened_count'), (16, 'reopen_rate'), (17, 'one_touch_resolution_rate'),
             (18, 'unique_resolved_count'), (19, 'one_touch_resolved_count'),
             (20, 'cohort_avg_first_response_time'), (21, 'cohort_avg_resolution_time'), (22, 'cohort_reply_time'),
             (23, 'cohort_median_first_response_time'), (24, 'cohort_p90_resolution_time'),
             (25, 'cohort_median_reply_time')) m(k, metric)
  ON m.k = long.j % 26
JOIN (VALUES (0, 'hour', 'UTC'), (1, 'day', 'America/New_York'), (2, 'day', 'Asia/Kolkata'),
             (3, 'hour', 'Asia/Kolkata'), (4, 'week', 'Europe/Berlin'), (5, 'month', 'UTC'),
             (6, 'hour', 'America/New_York')) g(k, grp, tz) ON g.k = long.j % 7
JOIN (VALUES (0, 'account', NULL::int), (1, 'inbox', 1), (2, 'team', 2), (3, 'label', 2), (4, 'agent', 2)) s(k, scope, id)
  ON s.k = long.j % 5
WHERE long.j % 2 = 0
UNION ALL
SELECT 'heatmap', acc, since, until, bh, NULL, NULL, m.metric, NULL, z.tz
FROM long
JOIN (VALUES (0, 'UTC'), (1, 'America/New_York'), (2, 'Asia/Kolkata')) z(k, tz) ON z.k = long.j % 3
JOIN (VALUES (0, 'conversations_count'), (1, 'incoming_messages_count'), (2, 'resolutions_count'),
             (3, 'outgoing_messages_count')) m(k, metric) ON m.k = long.j % 4
WHERE long.j % 4 = 1
UNION ALL
SELECT 'summary_by', acc, since, until, bh, d.dim, NULL, NULL, NULL, NULL
FROM long JOIN (VALUES (0, 'agent'), (1, 'inbox'), (2, 'team'), (3, 'label')) d(k, dim) ON d.k = long.j % 4
WHERE long.j % 2 = 1
UNION ALL
SELECT 'agent_report', acc, since, until, bh, NULL, NULL, NULL, NULL, NULL FROM long WHERE long.j % 6 = 0
UNION ALL
SELECT 'label_report', acc, since, until, bh, NULL, NULL, NULL, NULL, NULL FROM long WHERE long.j % 6 = 3
UNION ALL
SELECT 'outgoing', acc, since, until, bh, d.dim, NULL, NULL, NULL, NULL
FROM long JOIN (VALUES (0, 'agent'), (1, 'inbox'), (2, 'team'), (3, 'label')) d(k, dim) ON d.k = long.j % 4
WHERE long.j % 4 = 3;
SELECT report, count(*) AS cases FROM cases GROUP BY report ORDER BY report;

-- One case's answer as text: every row, every column, floats to the last bit.
CREATE FUNCTION pg_temp.answer(c cases) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    RETURN CASE c.report
        WHEN 'summary' THEN (SELECT string_agg(s::text, ';') FROM reports.summary(c.acc, c.since, c.until, c.a, c.b, c.bh) s)
        WHEN 'timeseries' THEN (SELECT string_agg(t::text, ';' ORDER BY t.bucket)
                                FROM reports.timeseries(c.acc, c.metric, c.since, c.until, c.grp, c.tz, c.a, c.b, c.bh) t)
        WHEN 'heatmap' THEN (SELECT string_agg(h::text, ';' ORDER BY h.dow, h.hour)
                             FROM reports.heatmap(c.acc, c.since, c.until, c.tz, c.metric) h)
        WHEN 'summary_by' THEN (SELECT string_agg(s::text, ';' ORDER BY s.id)
                                FROM reports.summary_by(c.acc, c.a, c.since, c.until, c.bh) s)
        WHEN 'agent_report' THEN (SELECT string_agg(s::text, ';' ORDER BY s.id)
                                  FROM reports.agent_report(c.acc, c.since, c.until, c.bh) s)
        WHEN 'label_report' THEN (SELECT string_agg(s::text, ';' ORDER BY s.id)
                                  FROM reports.label_report(c.acc, c.since, c.until, c.bh) s)
        WHEN 'outgoing' THEN (SELECT string_agg(s::text, ';' ORDER BY s.id, s.name)
                              FROM reports.outgoing_messages_count(c.acc, c.a, c.since, c.until) s)
    END;
END
$$;
-- Their answers from the raw rows (nothing is rolled up yet), to compare with the ones below.
CREATE TEMP TABLE raw_answers AS SELECT c, pg_temp.answer(c) AS answer FROM cases c;
SELECT count(*) FILTER (WHERE answer IS NULL) AS cases_with_no_rows FROM raw_answers;

-- Compares every case's answer now with its raw answer, byte for byte.
CREATE FUNCTION pg_temp.rollup_mismatches() RETURNS TABLE (compared bigint, mismatches bigint)
LANGUAGE sql AS $$
    SELECT count(*), count(*) FILTER (WHERE pg_temp.answer(o.c) IS DISTINCT FROM o.answer)
    FROM raw_answers o
$$;
-- the cases that differ, if any (for a failing run)
CREATE FUNCTION pg_temp.rollup_mismatch_list() RETURNS TABLE (c cases, raw text, now text)
LANGUAGE sql AS $$
    SELECT o.c, o.answer, pg_temp.answer(o.c) FROM raw_answers o
    WHERE pg_temp.answer(o.c) IS DISTINCT FROM o.answer LIMIT 5
$$;

-------------------------------------------------------------------------------------------------
-- 1. The first refresh rolls up everything older than an hour before now.
-------------------------------------------------------------------------------------------------
SELECT covered_until = date_trunc('hour', now() - interval '1 hour') AS covered_to_an_hour_ago,
       dirty_hours_recomputed, rows_written
FROM reports.refresh_rollup();
-- rows_written: one row per (account, hour, dimension, key, metric) with any row. The account's
-- counts per hour against plain counts of the tables: no differences.
SELECT count(*) AS count_mismatches
FROM (SELECT account_id, hour, metric, n FROM reports_internal.rollup
      WHERE grain = 'h' AND dim = 'a' AND metric IN ('conversations_count', 'incoming_messages_count', 'outgoing_messages_count')) r
FULL JOIN (SELECT account_id, date_trunc('hour', created_at) AS hour, 'conversations_count' AS metric, count(*) AS n
           FROM conversations GROUP BY 1, 2
           UNION ALL
           SELECT account_id, date_trunc('hour', created_at),
                  CASE message_type WHEN 0 THEN 'incoming_messages_count' ELSE 'outgoing_messages_count' END, count(*)
           FROM messages WHERE message_type IN (0, 1) GROUP BY 1, 2, 3) c USING (account_id, hour, metric)
WHERE r.n IS DISTINCT FROM c.n;
-- Agent 1's resolutions per hour against the events: no differences.
SELECT count(*) AS agent_mismatches
FROM (SELECT account_id, hour, n FROM reports_internal.rollup WHERE grain = 'h' AND dim = 'g' AND key = '1' AND metric = 'resolutions_count') r
FULL JOIN (SELECT account_id, date_trunc('hour', created_at) AS hour, count(*) AS n FROM reporting_events
           WHERE name = 'conversation_resolved' AND user_id = 1 GROUP BY 1, 2) e USING (account_id, hour)
WHERE r.n IS DISTINCT FROM e.n;

-- The hand-computed summaries of reports_summary.sql, now from the rollup plus raw edges:
-- R: 9 12 14 48120 75960 5 1700 1 1 | previous 1 1 1 900 3600 1 NULL 0 0
\x on
SELECT * FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- business hours: 1920 11880 1600 | previous 0 0 NULL
SELECT avg_first_response_time, avg_resolution_time, reply_time, previous_avg_first_response_time,
       previous_avg_resolution_time, previous_reply_time
FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', business_hours => true);
\x off
-- Every case: the same answers as from the raw rows.
SELECT * FROM pg_temp.rollup_mismatches();
SELECT * FROM pg_temp.rollup_mismatch_list();

-- Day, week and month rows are the sums of their hours (and days): every part, and the previous-row times
-- and exclusion pairs of their hours, one hour after the other.
SELECT coarse.grain, count(*) AS rows, count(*) FILTER (WHERE fine.n IS DISTINCT FROM coarse.n OR fine.v_n IS DISTINCT FROM coarse.v_n
                                   OR fine.v_sum IS DISTINCT FROM coarse.v_sum OR fine.b_sum IS DISTINCT FROM coarse.b_sum
                                   OR coalesce(fine.dup_prev, '{}') IS DISTINCT FROM coalesce(coarse.dup_prev, '{}')
                                   OR coalesce(fine.x_prev, '{}') IS DISTINCT FROM coalesce(coarse.x_prev, '{}')
                                   OR coalesce(fine.x_next, '{}') IS DISTINCT FROM coalesce(coarse.x_next, '{}')) AS mismatches
FROM reports_internal.rollup coarse
CROSS JOIN LATERAL (
    SELECT sum(f.n) AS n, sum(f.v_n) AS v_n, sum(f.v_sum) AS v_sum, sum(f.b_sum) AS b_sum,
           (SELECT array_agg(t.t ORDER BY f2.hour, t.i) FROM reports_internal.rollup f2, unnest(f2.dup_prev) WITH ORDINALITY t(t, i)
            WHERE f2.account_id = coarse.account_id AND f2.dim = coarse.dim AND f2.key = coarse.key
              AND f2.metric = coarse.metric AND f2.grain = 'h' AND f2.hour >= coarse.hour
              AND f2.hour < coarse.hour + CASE coarse.grain WHEN 'd' THEN interval '1 day' WHEN 'w' THEN interval '7 days' ELSE interval '1 month' END) AS dup_prev,
           (SELECT array_agg(x.p ORDER BY f2.hour, x.i) FROM reports_internal.rollup f2, unnest(f2.x_prev, f2.x_next) WITH ORDINALITY x(p, n, i)
            WHERE f2.account_id = coarse.account_id AND f2.dim = coarse.dim AND f2.key = coarse.key
              AND f2.metric = coarse.metric AND f2.grain = 'h' AND f2.hour >= coarse.hour
              AND f2.hour < coarse.hour + CASE coarse.grain WHEN 'd' THEN interval '1 day' WHEN 'w' THEN interval '7 days' ELSE interval '1 month' END) AS x_prev,
           (SELECT array_agg(x.n ORDER BY f2.hour, x.i) FROM reports_internal.rollup f2, unnest(f2.x_prev, f2.x_next) WITH ORDINALITY x(p, n, i)
            WHERE f2.account_id = coarse.account_id AND f2.dim = coarse.dim AND f2.key = coarse.key
              AND f2.metric = coarse.metric AND f2.grain = 'h' AND f2.hour >= coarse.hour
              AND f2.hour < coarse.hour + CASE coarse.grain WHEN 'd' THEN interval '1 day' WHEN 'w' THEN interval '7 days' ELSE interval '1 month' END) AS x_next
    FROM reports_internal.rollup f
    WHERE f.account_id = coarse.account_id AND f.dim = coarse.dim AND f.key = coarse.key AND f.metric = coarse.metric
      AND f.grain = 'h' AND f.hour >= coarse.hour
      AND f.hour < coarse.hour + CASE coarse.grain WHEN 'd' THEN interval '1 day' WHEN 'w' THEN interval '7 days' ELSE interval '1 month' END) fine
WHERE coarse.grain IN ('d', 'w', 'm')
GROUP BY 1 ORDER BY 1;

-- The reports really read the rollup, from the coarsest rows that fit: a (rolled-back) change to
-- one row shows exactly where that row is read.
BEGIN;
UPDATE reports_internal.rollup SET n = n + 1000
WHERE account_id = 1 AND grain = 'd' AND dim = 'a' AND metric = 'conversations_count' AND hour = '2024-03-08';
UPDATE reports_internal.rollup SET n = n + 100
WHERE account_id = 1 AND grain = 'h' AND dim = 'a' AND metric = 'conversations_count' AND hour = '2024-03-08 14:00';
-- the week reads 03-08 as a day: 9 + 1000
SELECT conversations_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- 03-08 10:00 to 18:00 reads its hours: 1 conversation (C1 at 14:00; C2 is at 21:00) + 100
SELECT conversations_count FROM reports.summary(1, '2024-03-08 10:00+00', '2024-03-08 18:00+00');
-- a range that cuts that hour reads it raw: C1 only = 1
SELECT conversations_count FROM reports.summary(1, '2024-03-08 13:30+00', '2024-03-08 14:30+00');
-- a daily series in New York (days 05:00Z to 05:00Z) reads hours, never the UTC day: C1, C2 + 100
SELECT bucket, value FROM reports.timeseries(1, 'conversations_count', '2024-03-08 05:00+00', '2024-03-09 05:00+00',
                                             'day', 'America/New_York');
-- 03-01 .. 03-15 holds the week 03-08 .. 03-14 (days 8-14 of March) whole: it reads the week's row,
-- not 03-08's day row; the rest of the range as days. (The week row + 10000, against a plain count.)
UPDATE reports_internal.rollup SET n = n + 10000
WHERE account_id = 1 AND grain = 'w' AND dim = 'a' AND metric = 'conversations_count' AND hour = '2024-03-08';
SELECT conversations_count - (SELECT count(*) FROM conversations WHERE account_id = 1
                              AND created_at >= '2024-03-01' AND created_at < '2024-03-15') AS read_from_the_week
FROM reports.summary(1, '2024-03-01 00:00+00', '2024-03-15 00:00+00');
ROLLBACK;

-------------------------------------------------------------------------------------------------
-- 2. Changes to rolled-up hours: marked dirty, seen at once, folded in by the next refresh.
-------------------------------------------------------------------------------------------------
-- A conversation created back on 03-08 10:30 (an import, say): R has 10 conversations at once.
INSERT INTO conversations (id, account_id, inbox_id, status, contact_id, display_id, created_at, updated_at)
VALUES (900, 1, 1, 1, 1, 900, '2024-03-08 10:30', '2024-03-08 10:30');
-- 1 | 2024-03-08 10:00, twice: the row's own hour, and the hours of the rows naming the conversation
SELECT account_id, hour FROM reports_internal.rollup_dirty ORDER BY id;
SELECT conversations_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');  -- 10
-- Account 2 is not marked and unchanged: 2 conversations (C10, C11)
SELECT conversations_count FROM reports.summary(2, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
SELECT dirty_hours_recomputed FROM reports.refresh_rollup();  -- 1
SELECT count(*) AS marks_left FROM reports_internal.rollup_dirty;    -- 0
SELECT n FROM reports_internal.rollup
WHERE account_id = 1 AND grain = 'h' AND dim = 'a' AND metric = 'conversations_count' AND hour = '2024-03-08 10:00';  -- 1
SELECT conversations_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');  -- 10

-- m1 (incoming, 03-08 14:00) turned outgoing, a first response of 100 s added at 03-09 09:15, and
-- C3's resolution wait (1800 s pending in e6) grown by 1000 s:
--   incoming 12 - 1 = 11, outgoing 14 + 1 = 15, first response (240600 + 100) / 6 = 40116.666...,
--   resolution (379800 - 1000) / 5 = 75760
UPDATE messages SET message_type = 1 WHERE id = 1;
INSERT INTO reporting_events (id, name, value, value_in_business_hours, account_id, inbox_id, user_id, conversation_id,
                              created_at, updated_at)
VALUES (900, 'first_response', 100, 100, 1, 1, 1, 1, '2024-03-09 09:15', '2024-03-09 09:15');
UPDATE reports.event_waits SET wait_seconds = wait_seconds + 1000 WHERE event_id = 6;
-- 4: m1's hour (also C1's creation, e900's cohort), e900's, e6's, and C3's creation (e6's cohort)
SELECT count(DISTINCT (account_id, hour)) AS hours_marked FROM reports_internal.rollup_dirty;
SELECT incoming_messages_count, outgoing_messages_count, avg_first_response_time, avg_resolution_time
FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
SELECT dirty_hours_recomputed FROM reports.refresh_rollup();
SELECT incoming_messages_count, outgoing_messages_count, avg_first_response_time, avg_resolution_time
FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');

-- Undone (UPDATE back, DELETE): marked again, and back to the hand-computed values.
UPDATE messages SET message_type = 0 WHERE id = 1;
DELETE FROM reporting_events WHERE id = 900;
UPDATE reports.event_waits SET wait_seconds = wait_seconds - 1000 WHERE event_id = 6;
DELETE FROM conversations WHERE id = 900;
SELECT count(DISTINCT (account_id, hour)) AS hours_marked FROM reports_internal.rollup_dirty;  -- 5: the same 4 and C900's hour
SELECT conversations_count, incoming_messages_count, outgoing_messages_count, avg_first_response_time,
       avg_resolution_time
FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');  -- 9 12 14 48120 75960
SELECT dirty_hours_recomputed FROM reports.refresh_rollup();
SELECT * FROM pg_temp.rollup_mismatches();

-- Handoffs count conversations that exist. Deleting C4 (handed off by e12 and e14, both rolled
-- up) marks the hours of those events, so R's handoffs drop from 1 to 0 at once, and C4's
-- conversation with them (9 -> 8); putting C4 back restores both.
CREATE TEMP TABLE c4 AS SELECT * FROM conversations WHERE id = 4;
DELETE FROM conversations WHERE id = 4;
-- 2: C4, e12 and e14 all in 03-09 10:00, and the hour of C4's message m19 (03-11 02:00)
SELECT count(DISTINCT hour) AS hours_marked FROM reports_internal.rollup_dirty;
SELECT conversations_count, bot_handoffs_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
SELECT dirty_hours_recomputed FROM reports.refresh_rollup();
SELECT conversations_count, bot_handoffs_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
INSERT INTO conversations SELECT * FROM c4;
SELECT conversations_count, bot_handoffs_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
SELECT dirty_hours_recomputed FROM reports.refresh_rollup();
SELECT conversations_count, bot_handoffs_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- The handoff parts kept per hour, against the handoff events joined to existing conversations:
-- their number and, for each event after another of its conversation, that one's time (plain SQL).
SELECT count(*) AS handoff_mismatches FROM (
    SELECT account_id, hour, n, dup_prev FROM reports_internal.rollup WHERE grain = 'h' AND dim = 'a' AND metric = 'bot_handoffs_count'
) r FULL JOIN (
    SELECT x.account_id, date_trunc('hour', x.created_at) AS hour, count(*) AS n,
           coalesce(array_agg(x.prev ORDER BY x.prev) FILTER (WHERE x.prev IS NOT NULL), '{}') AS dup_prev
    FROM (SELECT e.account_id, e.created_at,
                 lag(e.created_at) OVER (PARTITION BY e.account_id, e.conversation_id ORDER BY e.created_at, e.id) AS prev
          FROM reporting_events e JOIN conversations c ON c.id = e.conversation_id
          WHERE e.name = 'conversation_bot_handoff') x
    GROUP BY 1, 2
) e USING (account_id, hour)
WHERE r.n IS DISTINCT FROM e.n OR r.dup_prev IS DISTINCT FROM e.dup_prev;

-- The bulk functions mark one row per hour, not one per changed row. e2's business-hours value
-- spoiled by hand (marked by the trigger, folded in), then put right by refresh_business_hours,
-- which also re-measures the resolutions' waits in working hours: a mark for e2's hour and one
-- per hour holding a resolution (e2 is one of them), and the business-hours resolution average
-- is the hand-computed 11880 again.
UPDATE reporting_events SET value_in_business_hours = 0 WHERE id = 2;
-- 2: e2's hour (03-08 16:00) and its conversation C1's creation hour (14:00), where C1's cohort is
SELECT dirty_hours_recomputed FROM reports.refresh_rollup();
SELECT avg_resolution_time FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', business_hours => true);
SELECT reports.refresh_business_hours(1) AS events_updated;  -- 1
-- 12 marks: e2's hour and C1's creation hour from the business-hours update, then one per hour
-- holding a resolution (6) or the creation of a resolved conversation (4 more) from the waits;
-- per-row marking would leave one per event and wait row.
CREATE TEMP VIEW resolution_hours AS  -- the hours of account 1's resolutions and of their conversations' creation
SELECT date_trunc('hour', e.created_at) AS hour FROM reporting_events e
WHERE e.account_id = 1 AND e.name = 'conversation_resolved'
UNION
SELECT date_trunc('hour', c.created_at) FROM reporting_events e JOIN conversations c ON c.id = e.conversation_id
WHERE e.account_id = 1 AND e.name = 'conversation_resolved';
SELECT count(*) AS marks, count(DISTINCT (account_id, hour)) = (SELECT count(*) FROM resolution_hours)
       AS one_mark_per_resolution_hour
FROM reports_internal.rollup_dirty;
SELECT avg_resolution_time FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', business_hours => true);
SELECT dirty_hours_recomputed FROM reports.refresh_rollup();  -- the 10 hours
-- rebuild_event_waits: one mark per hour holding a conversation_resolved event of the account or
-- the creation of its conversation
SELECT reports.rebuild_event_waits(1) > 0 AS rebuilt;
SELECT (SELECT count(*) FROM reports_internal.rollup_dirty) = (SELECT count(*) FROM resolution_hours)
       AS one_mark_per_resolution_hour;
SELECT dirty_hours_recomputed > 0 AS recomputed FROM reports.refresh_rollup();
SELECT * FROM pg_temp.rollup_mismatches();

-- Rows of the last hour are not marked (they are not rolled up yet), nor are changes to columns
-- the rollup does not read.
INSERT INTO conversations (id, account_id, inbox_id, status, contact_id, display_id, created_at, updated_at)
VALUES (901, 1, 1, 0, 1, 901, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC');
UPDATE messages SET content_type = 1 WHERE id = 2;
SELECT count(*) AS marks FROM reports_internal.rollup_dirty;  -- 0
DELETE FROM conversations WHERE id = 901;
UPDATE messages SET content_type = 0 WHERE id = 2;

-- TRUNCATE fires no row triggers: it drops the whole rollup (rolled back here).
BEGIN;
TRUNCATE reports.event_waits;
SELECT covered_until FROM reports.rollup_state;  -- -infinity
ROLLBACK;

-------------------------------------------------------------------------------------------------
-- 2b. What rows are sliced by changes: an old conversation reassigned and moved to another team,
-- a label added to and one taken off an old conversation, a tag renamed, a deleted message. Each
-- marks the hours of that conversation's rows, so every report answers as from the raw rows at
-- once, and again after the next refresh.
-------------------------------------------------------------------------------------------------
-- Every case now, against the same case read entirely from the raw rows.
CREATE FUNCTION pg_temp.rollup_vs_raw() RETURNS TABLE (compared bigint, mismatches bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_covered timestamp;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS now_answers (c cases, answer text);
    TRUNCATE now_answers;
    INSERT INTO now_answers SELECT c, pg_temp.answer(c) FROM cases c;
    SELECT covered_until INTO v_covered FROM reports.rollup_state;
    UPDATE reports.rollup_state SET covered_until = '-infinity';  -- nothing is read from the rollup
    RETURN QUERY SELECT count(*), count(*) FILTER (WHERE pg_temp.answer(n.c) IS DISTINCT FROM n.answer) FROM now_answers n;
    UPDATE reports.rollup_state SET covered_until = v_covered;
END
$$;
-- (in a transaction rolled back at the end, so the later sections see the fixture again)
BEGIN;
SELECT count(*) AS marks FROM reports_internal.rollup_dirty;  -- 0
UPDATE conversations SET assignee_id = 3, team_id = 2 WHERE id = 1;
SELECT count(*) > 0 AS reassignment_marked FROM reports_internal.rollup_dirty;
INSERT INTO taggings (tag_id, taggable_type, taggable_id, context, created_at)
VALUES (3, 'Conversation', 2, 'labels', '2024-03-09 10:00');
DELETE FROM taggings WHERE tag_id = 2 AND taggable_id = 3;
UPDATE tags SET name = 'Feedback' WHERE id = 3;   -- same label (labels match case-insensitively)
SELECT count(*) > 0 AS still_marked FROM reports_internal.rollup_dirty;
DELETE FROM messages WHERE id = 3;
SELECT * FROM pg_temp.rollup_vs_raw();
SELECT dirty_hours_recomputed > 0 AS recomputed FROM reports.refresh_rollup();
SELECT * FROM pg_temp.rollup_vs_raw();
-- C1's resolutions now count for agent 3 and team 2 (the rollup's rows say so, not only the raw ones)
SELECT dim, key, sum(n) AS resolutions FROM reports_internal.rollup
WHERE account_id = 1 AND grain = 'h' AND metric = 'resolutions_count' AND dim IN ('g', 't') GROUP BY 1, 2 ORDER BY 1, 2;
SELECT dim, key, sum(n) AS resolutions FROM (
    SELECT 'g'::"char" AS dim, user_id::text AS key, count(*) AS n FROM reporting_events
    WHERE account_id = 1 AND name = 'conversation_resolved' AND user_id IS NOT NULL GROUP BY 2
    UNION ALL
    SELECT 't', c.team_id::text, count(*) FROM reporting_events e JOIN conversations c ON c.id = e.conversation_id
    WHERE e.account_id = 1 AND e.name = 'conversation_resolved' AND c.team_id IS NOT NULL GROUP BY 2) x
GROUP BY 1, 2 ORDER BY 1, 2;
ROLLBACK;

-------------------------------------------------------------------------------------------------
-- 2b. Changes that alter other rows' parts, not only their own hour's: each marks the hours it
-- changes, and the answer with the rollup equals the raw rows' at once (the rollup emptied inside
-- the same transaction).
-------------------------------------------------------------------------------------------------
SELECT count(*) AS hours_marked FROM reports_internal.rollup_dirty;  -- 0: all refreshed
-- (a) A handoff of C5 now: C5's bot resolution e17 (03-10 03:00, rolled up) is left out of every
-- range that holds the handoff. From 03-06 to tomorrow: bot resolutions 1 -> 0, handed-off
-- conversations 1 (C4) -> 2 (C4, C5). R itself (03-06 .. 03-13) does not hold it: 1 and 1.
BEGIN;
SELECT bot_resolutions_count, bot_handoffs_count FROM reports.summary(1, '2024-03-06 00:00+00', now() + interval '1 day');
INSERT INTO reporting_events (id, name, value, account_id, inbox_id, user_id, conversation_id, created_at, updated_at)
VALUES (950, 'conversation_bot_handoff', 60, 1, 4, NULL, 5, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC');
SELECT DISTINCT hour FROM reports_internal.rollup_dirty ORDER BY 1;  -- e17's hour
CREATE TEMP TABLE changed AS
SELECT (SELECT s::text FROM reports.summary(1, '2024-03-06 00:00+00', now() + interval '1 day') s) AS extended,
       (SELECT s::text FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00') s) AS r;
SELECT bot_resolutions_count, bot_handoffs_count FROM reports.summary(1, '2024-03-06 00:00+00', now() + interval '1 day');
SELECT bot_resolutions_count, bot_handoffs_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
SELECT reports.reset_rollup();
SELECT (SELECT s::text FROM reports.summary(1, '2024-03-06 00:00+00', now() + interval '1 day') s) = extended AS extended_as_raw,
       (SELECT s::text FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00') s) = r AS r_as_raw
FROM changed;
ROLLBACK;

-- (b) One-touch: R's resolved conversations are C1 (e2), C2 (e6), C3 (e8, e11) and C5 (e16); of
-- them only C1 has exactly one public agent message (m2; C2 and C3 have two, C5 none): 1 of 4, 25.
-- C1 gets a second agent message now. The count crossing 1 marks the hour of C1's resolution
-- (03-08 16:00, rolled up), so R's one-touch rate drops at once: 0 of 4.
BEGIN;
SELECT c.conversation_id, c.messages FROM reports.conversation_agent_messages c
WHERE c.account_id = 1 ORDER BY 1;
SELECT one_touch_resolution_rate FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
INSERT INTO messages (id, account_id, inbox_id, conversation_id, message_type, private, content_type, sender_type, sender_id,
                      created_at, updated_at)
VALUES (950, 1, 1, 1, 1, false, 0, 'User', 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC');
SELECT DISTINCT hour FROM reports_internal.rollup_dirty ORDER BY 1;
CREATE TEMP TABLE changed AS
SELECT (SELECT s::text FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00') s) AS r;
SELECT one_touch_resolution_rate FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
SELECT reports.reset_rollup();
SELECT (SELECT s::text FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00') s) = r AS r_as_raw FROM changed;
ROLLBACK;

-- (c) A late reopen: C1 (resolved 03-08 16:00) recorded as reopened 03-09 12:00, an hour long
-- rolled up. Its hour is marked, and R's reopens go from 1 (C3, reopened 03-07 14:00 after e8) to
-- 2 at once; of R's 5 resolutions (e2, e6, e8, e11, e16): 20 -> 40.
BEGIN;
SELECT reopened_count, reopen_rate FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
INSERT INTO reports.conversation_status_changes (account_id, conversation_id, status, previous_status, changed_at)
VALUES (1, 1, 0, 1, '2024-03-09 12:00');
SELECT DISTINCT hour FROM reports_internal.rollup_dirty ORDER BY 1;
CREATE TEMP TABLE changed AS
SELECT (SELECT s::text FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00') s) AS r;
SELECT reopened_count, reopen_rate FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
SELECT reports.reset_rollup();
SELECT (SELECT s::text FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00') s) = r AS r_as_raw FROM changed;
ROLLBACK;

-- (d) Cohorts sit at their conversation's creation, whenever their events come. C1 (created 03-08
-- 14:00, label billing) has one first response, e1 = 1800 s: over [03-08 14:00, 15:00) the cohort
-- average is 1800 (1 event), and so is billing's label-summary average.
BEGIN;
SELECT t.value, t.count FROM reports.timeseries(1, 'cohort_avg_first_response_time', '2024-03-08 14:00+00',
                                                '2024-03-08 15:00+00', 'day') t;
-- A first response of now (600 s, not late): nothing is marked; the cohort adds it from the
-- events after covered_until: (1800 + 600) / 2 = 1200.
INSERT INTO reporting_events (id, name, value, account_id, inbox_id, user_id, conversation_id, created_at, updated_at)
VALUES (953, 'first_response', 600, 1, 1, 1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC');
SELECT count(*) AS hours_marked FROM reports_internal.rollup_dirty;
SELECT t.value, t.count FROM reports.timeseries(1, 'cohort_avg_first_response_time', '2024-03-08 14:00+00',
                                                '2024-03-08 15:00+00', 'day') t;
-- A late one (03-20 10:00, 300 s) marks its own hour and C1's creation hour; (1800 + 600 + 300) / 3 = 900.
INSERT INTO reporting_events (id, name, value, account_id, inbox_id, user_id, conversation_id, created_at, updated_at)
VALUES (954, 'first_response', 300, 1, 1, 1, 1, '2024-03-20 10:00', '2024-03-20 10:00');
SELECT DISTINCT hour FROM reports_internal.rollup_dirty ORDER BY 1;
CREATE TEMP TABLE cohort_now AS
SELECT (SELECT t::text FROM reports.timeseries(1, 'cohort_avg_first_response_time', '2024-03-08 14:00+00',
                                               '2024-03-08 15:00+00', 'day') t) AS series,
       (SELECT string_agg(l::text, ';' ORDER BY l.id) FROM reports.label_report(1, '2024-03-08 14:00+00', '2024-03-08 15:00+00') l) AS labels;
SELECT series FROM cohort_now;
SELECT title, conversations_count, avg_first_response_time, median_first_response_time
FROM reports.label_report(1, '2024-03-08 14:00+00', '2024-03-08 15:00+00') WHERE title = 'billing';
SELECT reports.reset_rollup();
SELECT (SELECT t::text FROM reports.timeseries(1, 'cohort_avg_first_response_time', '2024-03-08 14:00+00',
                                               '2024-03-08 15:00+00', 'day') t) = series AS series_as_raw,
       (SELECT string_agg(l::text, ';' ORDER BY l.id) FROM reports.label_report(1, '2024-03-08 14:00+00', '2024-03-08 15:00+00') l) = labels AS labels_as_raw
FROM cohort_now;
ROLLBACK;

-------------------------------------------------------------------------------------------------
-- 3. up_to, and a partial rollup
-------------------------------------------------------------------------------------------------
SELECT reports.reset_rollup();
-- up to 03-08 12:30: an hour of lag, whole hours: covered until 03-08 11:00
SELECT covered_until FROM reports.refresh_rollup('2024-03-08 12:30+00');
SELECT max(hour) AS last_hour FROM reports_internal.rollup WHERE grain = 'h';  -- before 03-08 11:00
SELECT * FROM pg_temp.rollup_mismatches();
-- the rest: the cohorts created before 03-08 11:00 gain their later events (added, not recomputed)
SELECT covered_until = date_trunc('hour', now() - interval '1 hour') AS covered_to_an_hour_ago
FROM reports.refresh_rollup();
SELECT * FROM pg_temp.rollup_mismatches();

-------------------------------------------------------------------------------------------------
-- 4. Bad use
-------------------------------------------------------------------------------------------------
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT * FROM reports.refresh_rollup();
ROLLBACK;

SELECT reports.reset_rollup();
SELECT covered_until, (SELECT count(*) FROM reports_internal.rollup) AS rows FROM reports.rollup_state;

-------------------------------------------------------------------------------------------------
-- 5. Recommended indexes: listed with their statement, built once, then listed as installed.
-------------------------------------------------------------------------------------------------
SELECT index_name, table_name, installed, statement FROM reports.recommended_indexes();
SELECT reports.install_recommended_indexes();
SELECT reports.install_recommended_indexes();  -- nothing left to build
SELECT index_name, installed FROM reports.recommended_indexes();
SELECT indexdef FROM pg_indexes WHERE indexname = 'reports_conversations_account_created';
DROP INDEX reports_conversations_account_created;
