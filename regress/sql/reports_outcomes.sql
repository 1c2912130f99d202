-- Reopens, one-touch resolutions and the quantile metrics of reports.summary and
-- reports.timeseries on a hand-made fixture of its own (accounts 901 and 902, removed at the end):
-- a conversation reopened twice, one resolved with no agent message, one whose second agent
-- message comes after the range, the 23-hour DST day of New York as the range, another account's
-- look-alike rows and ids, an empty range, NULLs and bad input. Every expected number is worked
-- out by hand in the comments, or compared with plain SQL (percentile_cont) on the same rows.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET extra_float_digits = 0;

INSERT INTO accounts (id, name, created_at, updated_at) VALUES
  (901, 'Outcomes', '2024-01-01', '2024-01-01'), (902, 'Look-alike', '2024-01-01', '2024-01-01');
INSERT INTO users (id, uid, name, email, availability, created_at, updated_at) VALUES
  (901, 'ann@o.test', 'Ann', 'ann@o.test', 0, '2024-01-01', '2024-01-01'),
  (902, 'ben@o.test', 'Ben', 'ben@o.test', 0, '2024-01-01', '2024-01-01'),
  (903, 'cid@l.test', 'Cid', 'cid@l.test', 0, '2024-01-01', '2024-01-01');
INSERT INTO account_users (id, account_id, user_id, role, availability, created_at, updated_at) VALUES
  (901, 901, 901, 1, 0, '2024-01-01', '2024-01-01'), (902, 901, 902, 0, 0, '2024-01-01', '2024-01-01'),
  (903, 902, 903, 1, 0, '2024-01-01', '2024-01-01');
INSERT INTO inboxes (id, channel_id, account_id, name, channel_type, working_hours_enabled, timezone, created_at, updated_at) VALUES
  (901, 1, 901, 'Web', 'Channel::WebWidget', false, 'America/New_York', '2024-01-01', '2024-01-01'),
  (902, 1, 902, 'Web', 'Channel::WebWidget', false, 'America/New_York', '2024-01-01', '2024-01-01');

-- The range: 2024-03-10 in New York, the spring-forward day, 05:00Z .. 2024-03-11 04:00Z (23 h);
-- its previous period: 2024-03-09 06:00Z .. 2024-03-10 05:00Z.
--   C9001 Ann: resolved 06:00, reopened 08:00, resolved 10:00, reopened 12:00 (twice in range);
--              agent messages 03-09 10:05 and 03-10 11:00 (two: not one-touch)
--   C9002 Ben: resolved 09:00 with only a bot message and a private note (no agent message)
--   C9003 Ben: one public agent message (and a private note, an incoming one), resolved 08:30: one-touch
--   C9004 nobody: one agent message 13:10, resolved 14:00, a second agent message 03-12 (after the range)
--   C9005 Ann: resolved 03-09 20:00 (previous period), reopened 03-10 04:30 (previous), resolved
--              03-11 05:00 (after the range); no agent message
--   C9006 Ann: resolved 03-01, reopened 03-11 03:30Z (the range's last hour: 23:30 EDT)
--   C9101 account 902: resolved and reopened in the range, one agent message (must never count)
INSERT INTO conversations (id, account_id, inbox_id, status, assignee_id, team_id, contact_id, display_id,
                           created_at, updated_at) VALUES
  (9001, 901, 901, 0, 901, NULL, 1, 1, '2024-03-09 10:00', '2024-03-09 10:00'),
  (9002, 901, 901, 0, 902, NULL, 1, 2, '2024-03-10 07:00', '2024-03-10 07:00'),
  (9003, 901, 901, 0, 902, NULL, 1, 3, '2024-03-10 07:30', '2024-03-10 07:30'),
  (9004, 901, 901, 0, NULL, NULL, 1, 4, '2024-03-10 13:00', '2024-03-10 13:00'),
  (9005, 901, 901, 0, 901, NULL, 1, 5, '2024-03-01 10:00', '2024-03-01 10:00'),
  (9006, 901, 901, 0, 901, NULL, 1, 6, '2024-02-28 10:00', '2024-02-28 10:00'),
  (9101, 902, 902, 0, 903, NULL, 1, 1, '2024-03-10 07:00', '2024-03-10 07:00');
-- Status changes, each at its updated_at (the history trigger records that instant).
CREATE FUNCTION pg_temp.set_status(conv int, st int, at timestamp) RETURNS void
LANGUAGE sql AS $$ UPDATE conversations SET status = st, updated_at = at WHERE id = conv $$;
SELECT pg_temp.set_status(c, s, t::timestamp) FROM (VALUES
  (9006, 1, '2024-03-01 12:00'), (9005, 1, '2024-03-09 20:00'), (9005, 0, '2024-03-10 04:30'),
  (9001, 1, '2024-03-10 06:00'), (9003, 1, '2024-03-10 08:30'), (9001, 0, '2024-03-10 08:00'),
  (9002, 1, '2024-03-10 09:00'), (9001, 1, '2024-03-10 10:00'), (9001, 0, '2024-03-10 12:00'),
  (9004, 1, '2024-03-10 14:00'), (9006, 0, '2024-03-11 03:30'), (9005, 1, '2024-03-11 05:00'),
  (9101, 1, '2024-03-10 08:00'), (9101, 0, '2024-03-10 09:00')) v(c, s, t)
ORDER BY t;
SELECT conversation_id, previous_status, status, changed_at FROM reports.conversation_status_changes
WHERE account_id IN (901, 902) AND previous_status = 1 ORDER BY changed_at;

INSERT INTO messages (id, account_id, inbox_id, conversation_id, message_type, private, content_type, sender_type, sender_id, created_at, updated_at) VALUES
  (90001, 901, 901, 9001, 0, false, 0, 'Contact',  1,   '2024-03-09 10:00', '2024-03-09 10:00'),
  (90002, 901, 901, 9001, 1, false, 0, 'User',     901, '2024-03-09 10:05', '2024-03-09 10:05'),
  (90003, 901, 901, 9001, 1, false, 0, 'User',     901, '2024-03-10 11:00', '2024-03-10 11:00'),
  (90004, 901, 901, 9002, 0, false, 0, 'Contact',  1,   '2024-03-10 07:00', '2024-03-10 07:00'),
  (90005, 901, 901, 9002, 1, false, 0, 'AgentBot', 1,   '2024-03-10 07:01', '2024-03-10 07:01'),
  (90006, 901, 901, 9002, 1, true,  0, 'User',     902, '2024-03-10 08:00', '2024-03-10 08:00'),
  (90007, 901, 901, 9003, 0, false, 0, 'Contact',  1,   '2024-03-10 07:30', '2024-03-10 07:30'),
  (90008, 901, 901, 9003, 1, false, 0, 'User',     902, '2024-03-10 07:40', '2024-03-10 07:40'),
  (90009, 901, 901, 9003, 1, true,  0, 'User',     902, '2024-03-10 07:50', '2024-03-10 07:50'),
  (90010, 901, 901, 9004, 1, false, 0, 'User',     901, '2024-03-10 13:10', '2024-03-10 13:10'),
  (90011, 901, 901, 9004, 1, false, 0, 'User',     902, '2024-03-12 09:00', '2024-03-12 09:00'),
  (90012, 902, 902, 9101, 1, false, 0, 'User',     903, '2024-03-10 07:10', '2024-03-10 07:10');

-- Resolutions (value = seconds since creation or reopening, as Chatwoot records them), first
-- responses and replies of the range; the look-alike account has its own.
INSERT INTO reporting_events (id, name, value, value_in_business_hours, account_id, inbox_id, user_id, conversation_id,
                              event_start_time, event_end_time, created_at, updated_at)
SELECT id, name, value, value, account_id, 901 + (account_id - 901), user_id, conversation_id,
       e::timestamp - make_interval(secs => value), e::timestamp, e::timestamp, e::timestamp
FROM (VALUES
  (90001, 'conversation_resolved', 72000, 901, 901, 9001, '2024-03-10 06:00'),
  (90002, 'conversation_resolved', 7200,  901, 901, 9001, '2024-03-10 10:00'),
  (90003, 'conversation_resolved', 7200,  901, 902, 9002, '2024-03-10 09:00'),
  (90004, 'conversation_resolved', 3600,  901, 902, 9003, '2024-03-10 08:30'),
  (90005, 'conversation_resolved', 3600,  901, NULL, 9004, '2024-03-10 14:00'),
  (90006, 'conversation_resolved', 36000, 901, 901, 9005, '2024-03-09 20:00'),
  (90007, 'conversation_resolved', 1000,  901, 901, 9005, '2024-03-11 05:00'),
  (90008, 'first_response',        300,   901, 901, 9001, '2024-03-09 10:05'),
  (90009, 'first_response',        600,   901, 902, 9003, '2024-03-10 07:40'),
  (90010, 'first_response',        600,   901, 901, 9004, '2024-03-10 13:10'),
  (90011, 'first_response',        6000,  901, 901, 9001, '2024-03-10 11:00'),
  (90012, 'reply_time',            1200,  901, 901, 9001, '2024-03-10 11:00'),
  (90013, 'conversation_resolved', 50,    902, 903, 9101, '2024-03-10 08:00'),
  (90014, 'first_response',        600,   902, 903, 9101, '2024-03-10 07:10')
) v(id, name, value, account_id, user_id, conversation_id, e);

CREATE TEMP TABLE dst AS SELECT timestamptz '2024-03-10 00:00 America/New_York' AS since,
                                timestamptz '2024-03-11 00:00 America/New_York' AS until;
SELECT since, until, until - since AS length FROM dst;

-- 1. The account. Resolutions in range: 9001 x2, 9002, 9003, 9004 = 5. Reopened: 9001 (twice, one
-- conversation) and 9006 (its reopen at 03:30Z is inside the 23-hour day) = 2; 9005's reopen at
-- 04:30Z is before the range. reopen_rate = 2 / 5 * 100 = 40. One-touch: of 9001 (2 messages),
-- 9002 (none: bot and private), 9003 (1), 9004 (2: the second after the range) only 9003 -> 25.
-- Resolution times 72000 7200 7200 3600 3600: median 7200, p90 7200 + 0.6 * (72000 - 7200) = 46080.
-- First responses 600 600 6000: median 600, p90 600 + 0.8 * 5400 = 4920. Reply 1200.
-- Previous: resolution 9005 (36000), reopen 9005 (04:30Z) -> 1, rate 100; one-touch 0 (no message).
\x on
SELECT resolutions_count, reopened_count, reopen_rate, one_touch_resolution_rate,
       previous_resolutions_count, previous_reopened_count, previous_reopen_rate, previous_one_touch_resolution_rate,
       abs(median_resolution_time - 7200) <= 72 AS median_resolution_ok,
       abs(p90_resolution_time - 46080) <= 460.8 AS p90_resolution_ok,
       abs(median_first_response_time - 600) <= 6 AS median_frt_ok,
       abs(p90_first_response_time - 4920) <= 49.2 AS p90_frt_ok,
       abs(median_reply_time - 1200) <= 12 AND abs(p90_reply_time - 1200) <= 12 AS reply_ok,
       abs(previous_median_resolution_time - 36000) <= 360 AS previous_median_ok,
       previous_median_reply_time IS NULL AS previous_no_reply
FROM dst, reports.summary(901, dst.since, dst.until);
\x off

-- 2. The same quantiles against percentile_cont over the same rows (plain SQL), both clocks.
SELECT m.metric,
       abs(s.value - p.want) <= 0.01 * abs(p.want) AS within_1pct
FROM dst, reports.summary(901, dst.since, dst.until) x
CROSS JOIN LATERAL (VALUES ('median_resolution_time', x.median_resolution_time, 'conversation_resolved', 0.5),
                           ('p90_resolution_time', x.p90_resolution_time, 'conversation_resolved', 0.9),
                           ('median_first_response_time', x.median_first_response_time, 'first_response', 0.5),
                           ('p90_first_response_time', x.p90_first_response_time, 'first_response', 0.9)) m(metric, value, ev, q)
CROSS JOIN LATERAL (SELECT m.value) s(value)
CROSS JOIN LATERAL (SELECT percentile_cont(m.q) WITHIN GROUP (ORDER BY e.value) AS want FROM reporting_events e
                    WHERE e.account_id = 901 AND e.name = m.ev
                      AND e.created_at >= dst.since AT TIME ZONE 'UTC' AND e.created_at < dst.until AT TIME ZONE 'UTC') p
ORDER BY m.metric;

-- 3. Scopes follow the conversation (reopens, one-touch) and the event's user (resolutions):
-- Ann: reopened 9001, 9006 = 2; her resolutions 9001 x2 = 2 -> 100; one-touch of 9001 -> 0.
-- Ben: no reopen; resolutions 9002, 9003 -> rate 0; one-touch 9003 of {9002, 9003} -> 50.
-- Cid (account 902's agent) and account 902's inbox: nothing of account 901 -> 0, NULL rates.
SELECT s.scope, s.id, x.resolutions_count, x.reopened_count, x.reopen_rate, x.one_touch_resolution_rate
FROM dst, (VALUES ('agent', 901), ('agent', 902), ('agent', 903), ('inbox', 901), ('inbox', 902)) s(scope, id),
     reports.summary(901, dst.since, dst.until, s.scope, s.id) x
ORDER BY 1, 2;
-- Account 902 sees only its own: 9101 resolved and reopened, one agent message -> 1, 100, 100.
SELECT resolutions_count, reopened_count, reopen_rate, one_touch_resolution_rate
FROM dst, reports.summary(902, dst.since, dst.until);

-- 4. Empty range (no rows): counts 0, quantiles and rates NULL.
SELECT reopened_count, reopen_rate, one_touch_resolution_rate, median_resolution_time, p90_reply_time
FROM reports.summary(901, '2030-01-01', '2030-01-02');

-- 5. A daily series across the DST day in New York: per local day, the median resolution time
-- against percentile_cont over that local day's rows (03-09: 36000; 03-10: 7200; 03-11: 1000).
SELECT t.bucket, t.count,
       abs(t.value - p.want) <= 0.01 * p.want AS within_1pct
FROM reports.timeseries(901, 'median_resolution_time', '2024-03-09 00:00 America/New_York',
                        '2024-03-12 00:00 America/New_York', 'day', 'America/New_York') t
LEFT JOIN LATERAL (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY e.value) AS want FROM reporting_events e
                   WHERE e.account_id = 901 AND e.name = 'conversation_resolved'
                     AND e.created_at >= t.bucket AT TIME ZONE 'UTC'
                     AND e.created_at < (t.bucket + interval '1 day') AT TIME ZONE 'America/New_York' AT TIME ZONE 'UTC') p ON true
ORDER BY t.bucket;

-- 5b. The counts and rates are series metrics too. Over the DST day in New York (one 23-hour
-- bucket): reopened 2 (C9001 twice, C9006), resolutions 5 (C9001 twice, C9002, C9003, C9004), so a
-- reopen rate of 40 with count 5; unique resolved conversations 4 (C9001-C9004), one-touch 1 (C9003):
-- 25 with count 4. Hourly, C9001's two reopens fall in different hours (08:00, 12:00 UTC) and
-- count once each; over the whole day once.
SELECT x.metric, t.bucket, t.value, t.count
FROM dst, unnest(ARRAY['reopened_count', 'resolutions_count', 'reopen_rate', 'unique_resolved_count',
                       'one_touch_resolved_count', 'one_touch_resolution_rate']) x(metric),
     reports.timeseries(901, x.metric, dst.since, dst.until, 'day', 'America/New_York') t
ORDER BY x.metric;
SELECT t.bucket, t.value FROM dst, reports.timeseries(901, 'reopened_count', dst.since, dst.until, 'hour', 'UTC') t
WHERE t.value <> 0 ORDER BY 1;

-- 6. Bad input: a clear ERROR naming it.
SELECT reopened_count FROM reports.summary(NULL, '2024-03-10', '2024-03-11');
SELECT reopened_count FROM reports.summary(901, '2024-03-11', '2024-03-10');
SELECT reopened_count FROM reports.summary(901, '2024-03-10', '2024-03-11', 'agent', NULL);
SELECT * FROM reports.drilldown(901, 'reopen_rate', '2024-03-10', '2024-03-10', '2024-03-11');

-- The registry defines every new metric in one sentence.
SELECT name, kind, quantile_of, quantile, length(description) > 40 AS described
FROM reports.metrics WHERE position >= 10 ORDER BY position;

-- 7. One-touch reads the kept counts of agent messages: they follow inserts, an update that makes
-- a message private and a delete, equal a plain count of messages, and rebuild_agent_messages
-- recounts the same. After the changes 9001 (90003 private) and 9004 (90011 gone) have one agent
-- message each: one-touch = 9001, 9003, 9004 of 4 = 75.
CREATE FUNCTION pg_temp.count_mismatches() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM (SELECT conversation_id, messages FROM reports.conversation_agent_messages
                          WHERE account_id IN (901, 902) AND messages > 0) k
    FULL JOIN (SELECT conversation_id, count(*) AS messages FROM messages
               WHERE account_id IN (901, 902) AND message_type = 1 AND NOT private AND sender_type = 'User'
               GROUP BY 1) p USING (conversation_id)
    WHERE k.messages IS DISTINCT FROM p.messages
$$;
SELECT pg_temp.count_mismatches() AS mismatches_after_inserts;
UPDATE messages SET private = true WHERE id = 90003;
DELETE FROM messages WHERE id = 90011;
SELECT conversation_id, messages FROM reports.conversation_agent_messages WHERE account_id = 901 ORDER BY 1;
SELECT pg_temp.count_mismatches() AS mismatches_after_changes;
SELECT one_touch_resolution_rate FROM dst, reports.summary(901, dst.since, dst.until);
SELECT reports.rebuild_agent_messages(901) AS recounted, pg_temp.count_mismatches() AS mismatches_after_rebuild;

-- Remove the fixture (the suites after this one see only theirs).
DELETE FROM reporting_events WHERE account_id IN (901, 902);
DELETE FROM messages WHERE account_id IN (901, 902);
DELETE FROM conversations WHERE account_id IN (901, 902);
DELETE FROM reports.conversation_status_changes WHERE account_id IN (901, 902);
DELETE FROM reports.event_waits WHERE account_id IN (901, 902);
DELETE FROM reports.conversation_agent_messages WHERE account_id IN (901, 902);
DELETE FROM reports_internal.rollup_dirty WHERE account_id IN (901, 902);
DELETE FROM inboxes WHERE account_id IN (901, 902);
DELETE FROM account_users WHERE account_id IN (901, 902);
DELETE FROM users WHERE id IN (901, 902, 903);
DELETE FROM accounts WHERE id IN (901, 902);
