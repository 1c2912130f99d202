-- The hourly rollup (sql/ext/35_rollup.sql) on the reports_fixture data: reports.summary answers
SET client_min_messages = warning;  -- refresh_rollup's progress notices name the current hour
-- exactly as from the raw rows, before and after refresh_rollup(); a change to an hour already
-- rolled up is seen at once and folded in by the next refresh. Runs alone (its refreshes change
-- which path the summary takes), and leaves the rollup empty.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

SELECT covered_until FROM reports.rollup_state;  -- -infinity: nothing rolled up yet

-- Ranges of every shape over the fixture's March: starts every 211 minutes (rarely on an hour),
-- lengths from 50 minutes to 9 days, both accounts, with and without business hours.
CREATE TEMP TABLE ranges AS
SELECT acc, since, since + len AS until, bh
FROM generate_series(timestamptz '2024-02-26 03:17+00', '2024-03-16 00:00+00', interval '211 minutes') since,
     unnest(ARRAY[interval '50 minutes', '7 hours', '1 day 3 hours 5 seconds', '9 days']) len,
     unnest(ARRAY[1, 2]) acc, unnest(ARRAY[false, true]) bh;
SELECT count(*) AS ranges FROM ranges;
-- Their answers from the raw rows, to compare with the rolled-up ones below.
CREATE TEMP TABLE raw_answers AS
SELECT r.acc, r.since, r.until, r.bh, s.*
FROM ranges r CROSS JOIN LATERAL reports.summary(r.acc, r.since, r.until, 'account', NULL, r.bh) s;

-- Compares reports.summary over every range with raw_answers: counts exactly, averages to 1e-9
-- relative (the rollup adds per-hour sums, so the last bit may round differently).
CREATE FUNCTION pg_temp.rollup_mismatches() RETURNS TABLE (compared bigint, mismatches bigint)
LANGUAGE sql AS $$
    SELECT count(*), count(*) FILTER (WHERE
        (n.conversations_count, n.incoming_messages_count, n.outgoing_messages_count, n.resolutions_count,
         n.bot_resolutions_count, n.bot_handoffs_count, n.previous_conversations_count,
         n.previous_incoming_messages_count, n.previous_outgoing_messages_count, n.previous_resolutions_count,
         n.previous_bot_resolutions_count, n.previous_bot_handoffs_count)
        IS DISTINCT FROM
        (o.conversations_count, o.incoming_messages_count, o.outgoing_messages_count, o.resolutions_count,
         o.bot_resolutions_count, o.bot_handoffs_count, o.previous_conversations_count,
         o.previous_incoming_messages_count, o.previous_outgoing_messages_count, o.previous_resolutions_count,
         o.previous_bot_resolutions_count, o.previous_bot_handoffs_count)
        OR EXISTS (SELECT FROM (VALUES (n.avg_first_response_time, o.avg_first_response_time),
                                       (n.avg_resolution_time, o.avg_resolution_time),
                                       (n.reply_time, o.reply_time),
                                       (n.previous_avg_first_response_time, o.previous_avg_first_response_time),
                                       (n.previous_avg_resolution_time, o.previous_avg_resolution_time),
                                       (n.previous_reply_time, o.previous_reply_time)) v(a, b)
                   WHERE (v.a IS NULL) <> (v.b IS NULL) OR abs(v.a - v.b) > 1e-9 * greatest(abs(v.b), 1)))
    FROM raw_answers o
    CROSS JOIN LATERAL reports.summary(o.acc, o.since, o.until, 'account', NULL, o.bh) n
$$;

-------------------------------------------------------------------------------------------------
-- 1. The first refresh rolls up everything older than an hour before now.
-------------------------------------------------------------------------------------------------
SELECT covered_until = date_trunc('hour', now() - interval '1 hour') AS covered_to_an_hour_ago,
       dirty_hours_recomputed, rows_written
FROM reports.refresh_rollup();
-- rows_written: one row per (account, hour) with any conversation, message or event. Counted
-- independently from the fixture tables:
SELECT count(*) AS hours_with_data FROM (
    SELECT account_id, date_trunc('hour', created_at) FROM conversations
    UNION SELECT account_id, date_trunc('hour', created_at) FROM messages WHERE message_type IN (0, 1)
    UNION SELECT account_id, date_trunc('hour', created_at) FROM reporting_events
          WHERE name IN ('first_response', 'conversation_resolved', 'reply_time', 'conversation_bot_resolved',
                         'conversation_bot_handoff')) h;
-- The rollup's counts per hour against plain counts of the tables: no differences.
SELECT count(*) AS count_mismatches
FROM reports.hourly_rollup r
FULL JOIN (SELECT account_id, date_trunc('hour', created_at) AS hour, count(*) AS n FROM conversations GROUP BY 1, 2) c
       ON c.account_id = r.account_id AND c.hour = r.hour
FULL JOIN (SELECT account_id, date_trunc('hour', created_at) AS hour,
                  count(*) FILTER (WHERE message_type = 0) AS i, count(*) FILTER (WHERE message_type = 1) AS o
           FROM messages GROUP BY 1, 2) m
       ON m.account_id = coalesce(r.account_id, c.account_id) AND m.hour = coalesce(r.hour, c.hour)
WHERE coalesce(r.conversations, 0) <> coalesce(c.n, 0)
   OR coalesce(r.incoming_messages, 0) <> coalesce(m.i, 0) OR coalesce(r.outgoing_messages, 0) <> coalesce(m.o, 0);

-- The hand-computed summaries of reports_summary.sql, now from the rollup plus raw edges:
-- R: 9 12 14 48120 75960 5 1700 1 1 | previous 1 1 1 900 3600 1 NULL 0 0
\x on
SELECT * FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- business hours: 1920 11880 1600 | previous 0 0 NULL
SELECT avg_first_response_time, avg_resolution_time, reply_time, previous_avg_first_response_time,
       previous_avg_resolution_time, previous_reply_time
FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', business_hours => true);
\x off
-- Every range: the same answers as from the raw rows.
SELECT * FROM pg_temp.rollup_mismatches();

-- The summary really reads the rollup: a (rolled-back) change to one rollup row shows.
BEGIN;
UPDATE reports.hourly_rollup SET conversations = conversations + 1000 WHERE account_id = 1 AND hour = '2024-03-08 14:00';
SELECT conversations_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');  -- 1009
-- a range that cuts that hour reads it raw: C1 only = 1
SELECT conversations_count FROM reports.summary(1, '2024-03-08 13:30+00', '2024-03-08 14:30+00');
ROLLBACK;

-------------------------------------------------------------------------------------------------
-- 2. Changes to rolled-up hours: marked dirty, seen at once, folded in by the next refresh.
-------------------------------------------------------------------------------------------------
-- A conversation created back on 03-08 10:30 (an import, say): R has 10 conversations at once.
INSERT INTO conversations (id, account_id, inbox_id, status, contact_id, display_id, created_at, updated_at)
VALUES (900, 1, 1, 1, 1, 900, '2024-03-08 10:30', '2024-03-08 10:30');
SELECT account_id, hour FROM reports.rollup_dirty ORDER BY id;  -- 1 | 2024-03-08 10:00
SELECT conversations_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');  -- 10
-- Account 2 is not marked and unchanged: 2 conversations (C10, C11)
SELECT conversations_count FROM reports.summary(2, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
SELECT dirty_hours_recomputed FROM reports.refresh_rollup();  -- 1
SELECT count(*) AS marks_left FROM reports.rollup_dirty;    -- 0
SELECT conversations FROM reports.hourly_rollup WHERE account_id = 1 AND hour = '2024-03-08 10:00';  -- 1
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
SELECT count(DISTINCT (account_id, hour)) AS hours_marked FROM reports.rollup_dirty;  -- 3 (m1, e900, e6)
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
SELECT count(DISTINCT (account_id, hour)) AS hours_marked FROM reports.rollup_dirty;  -- 4
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
SELECT count(DISTINCT hour) AS hours_marked FROM reports.rollup_dirty;  -- 1: C4, e12 and e14 all in 03-09 10:00
SELECT conversations_count, bot_handoffs_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
SELECT dirty_hours_recomputed FROM reports.refresh_rollup();
SELECT conversations_count, bot_handoffs_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
INSERT INTO conversations SELECT * FROM c4;
SELECT conversations_count, bot_handoffs_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
SELECT dirty_hours_recomputed FROM reports.refresh_rollup();
SELECT conversations_count, bot_handoffs_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- The ids kept per hour, against the handoff events joined to existing conversations:
SELECT count(*) AS handoff_mismatches FROM (
    SELECT account_id, hour, unnest(handoff_conversations) AS id FROM reports.hourly_rollup
) r FULL JOIN (
    SELECT DISTINCT e.account_id, date_trunc('hour', e.created_at) AS hour, e.conversation_id AS id
    FROM reporting_events e JOIN conversations c ON c.id = e.conversation_id
    WHERE e.name = 'conversation_bot_handoff'
) e USING (account_id, hour, id)
WHERE r.id IS NULL OR e.id IS NULL;

-- The bulk functions mark one row per hour, not one per changed row. e2's business-hours value
-- spoiled by hand (marked by the trigger, folded in), then put right by refresh_business_hours,
-- which also re-measures the resolutions' waits in working hours: a mark for e2's hour and one
-- per hour holding a resolution (e2 is one of them), and the business-hours resolution average
-- is the hand-computed 11880 again.
UPDATE reporting_events SET value_in_business_hours = 0 WHERE id = 2;
SELECT dirty_hours_recomputed FROM reports.refresh_rollup();  -- 1
SELECT avg_resolution_time FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', business_hours => true);
SELECT reports.refresh_business_hours(1) AS events_updated;  -- 1
-- 7 marks: e2's hour from the business-hours update, then one per resolution hour (6) from the
-- waits; per-row marking would leave one per event and wait row.
SELECT count(*) AS marks, count(DISTINCT (account_id, hour)) =
       (SELECT count(DISTINCT date_trunc('hour', created_at)) FROM reporting_events
        WHERE account_id = 1 AND name = 'conversation_resolved') AS one_mark_per_resolution_hour
FROM reports.rollup_dirty;
SELECT avg_resolution_time FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', business_hours => true);
SELECT dirty_hours_recomputed FROM reports.refresh_rollup();  -- 6 hours with a resolution
-- rebuild_event_waits: one mark per hour holding a conversation_resolved event of the account
SELECT reports.rebuild_event_waits(1) > 0 AS rebuilt;
SELECT (SELECT count(*) FROM reports.rollup_dirty) =
       (SELECT count(DISTINCT date_trunc('hour', created_at)) FROM reporting_events
        WHERE account_id = 1 AND name = 'conversation_resolved') AS one_mark_per_resolution_hour;
SELECT dirty_hours_recomputed > 0 AS recomputed FROM reports.refresh_rollup();
SELECT * FROM pg_temp.rollup_mismatches();

-- Rows of the last hour are not marked (they are not rolled up yet), nor are changes to columns
-- the rollup does not read.
INSERT INTO conversations (id, account_id, inbox_id, status, contact_id, display_id, created_at, updated_at)
VALUES (901, 1, 1, 0, 1, 901, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC');
UPDATE messages SET content_type = 1 WHERE id = 2;
SELECT count(*) AS marks FROM reports.rollup_dirty;  -- 0
DELETE FROM conversations WHERE id = 901;
UPDATE messages SET content_type = 0 WHERE id = 2;

-- TRUNCATE fires no row triggers: it drops the whole rollup (rolled back here).
BEGIN;
TRUNCATE reports.event_waits;
SELECT covered_until FROM reports.rollup_state;  -- -infinity
ROLLBACK;

-------------------------------------------------------------------------------------------------
-- 3. up_to, and a partial rollup
-------------------------------------------------------------------------------------------------
SELECT reports.reset_rollup();
-- up to 03-08 12:30: an hour of lag, whole hours: covered until 03-08 11:00
SELECT covered_until FROM reports.refresh_rollup('2024-03-08 12:30+00');
SELECT max(hour) AS last_hour FROM reports.hourly_rollup;  -- before 03-08 11:00
SELECT * FROM pg_temp.rollup_mismatches();
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
SELECT covered_until, (SELECT count(*) FROM reports.hourly_rollup) AS rows FROM reports.rollup_state;
