-- reports.timeseries on the reports_fixture data (see the tables at the top of reports_fixture.sql).
-- Every expected number is worked out in the comment next to its query. "UTC days" below are the
-- buckets 03-08, 03-09, 03-10, 03-11 (2024) of [2024-03-08 00:00Z, 2024-03-12 00:00Z).
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- Compact form of one series: "v" per bucket for count metrics, "v/n" (average/events) for averages.
CREATE FUNCTION pg_temp.series(acct int, metric text, scope text DEFAULT 'account', sid int DEFAULT NULL,
                               bh bool DEFAULT false, tz text DEFAULT 'UTC',
                               since timestamptz DEFAULT '2024-03-08 00:00+00',
                               until timestamptz DEFAULT '2024-03-12 00:00+00', grp text DEFAULT 'day')
RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(t.value || CASE WHEN metric LIKE 'avg%' OR metric = 'reply_time' THEN '/' || t.count ELSE '' END,
                      ' ' ORDER BY t.bucket)
    FROM reports.timeseries(acct, metric, since, until, grp, tz, scope, sid, bh) t
$$;

-------------------------------------------------------------------------------------------------
-- 1. Account scope, day buckets in UTC, every metric.
-------------------------------------------------------------------------------------------------
-- conversations_count      03-08: C1 14:00, C2 21:00 = 2 | 03-09: C4 = 1 | 03-10: C5 03:00, C6, C7 = 3 | 03-11: C12 = 1
-- incoming_messages_count  03-08: m1, m5 = 2 | 03-09: m16 = 1 | 03-10: m20, m23, m26, m28 = 4 | 03-11: m7, m33 = 2
-- outgoing_messages_count  03-08: m2, m3 (private note counts) = 2 | 03-09: m17 (bot), m18 = 2
--                          03-10: m21 (bot), m24 (private), m25, m27 = 4 | 03-11: m6, m8, m19 (private), m34 (bot) = 4
--                          (activity m9 and CSAT templates m4/m10/m22 are not outgoing)
-- resolutions_count        e2 03-08 = 1 | 0 | e16 03-10 03:05 = 1 | e6 03-11 = 1
-- bot_resolutions_count    0 | 0 | e17 = 1 | 0
-- bot_handoffs_count       0 | e12 + e14 are both C4 -> 1 distinct conversation; e20 (conversation 99 does not
--                          exist) is not counted | 0 | 0
-- avg_first_response_time  e1 1800 /1 | e15 600 /1 | e18 4200 /1 | e3 232200 /1
-- avg_resolution_time      e2 7200 /1 | 0 /0 | e16 300 - 300 pending = 0 /1 | e6 244800 - 1800 pending = 243000 /1
-- reply_time               0 /0 | 0 /0 | e19 300 /1 | e4 1200 /1
SELECT m.metric, t.bucket, t.value, t.count
FROM unnest(ARRAY['conversations_count', 'incoming_messages_count', 'outgoing_messages_count', 'resolutions_count',
                  'bot_resolutions_count', 'bot_handoffs_count', 'avg_first_response_time', 'avg_resolution_time',
                  'reply_time']) WITH ORDINALITY m(metric, o),
     reports.timeseries(1, m.metric, '2024-03-08 00:00+00', '2024-03-12 00:00+00', 'day', 'UTC') t
ORDER BY m.o, t.bucket;

-------------------------------------------------------------------------------------------------
-- 2. Day buckets in America/New_York over [03-08 00:00 EST, 03-12 00:00 EDT) = [03-08 05:00Z, 03-12 04:00Z):
--    buckets start 03-08 05:00Z, 03-09 05:00Z, 03-10 05:00Z (a 23-hour day), 03-11 04:00Z.
-------------------------------------------------------------------------------------------------
-- conversations_count      C1, C2 = 2 | C4 (05:00), C5 (03-10 03:00Z = 03-09 22:00 EST) = 2
--                          | C6 (01:30 EST), C7 (04:30 EDT) = 2 | C12 (05:00 EDT) = 1
-- incoming_messages_count  m1, m5 = 2 | m16, m20 (22:00 EST) = 2 | m23, m26, m28 = 3 | m7, m33 = 2
-- outgoing_messages_count  m2, m3 = 2 | m17, m18, m21 (22:01 EST) = 3
--                          | m24, m25, m27, m19 (03-11 02:00Z = 03-10 22:00 EDT) = 4 | m6, m8, m34 = 3
-- resolutions_count        e2 = 1 | e16 (22:05 EST) = 1 | 0 | e6 = 1
-- bot_resolutions_count    0 | e17 = 1 | 0 | 0
-- bot_handoffs_count       0 | C4 = 1 | 0 | 0
-- avg_first_response_time  1800/1 | 600/1 | 4200/1 | 232200/1
-- avg_resolution_time      7200/1 | 0/1 | 0/0 | 243000/1
-- reply_time               0/0 | 0/0 | 300/1 (e19 07:55Z = 03:55 EDT) | 1200/1
SELECT m.metric, t.bucket, t.bucket AT TIME ZONE 'America/New_York' AS local_start, t.value, t.count
FROM unnest(ARRAY['conversations_count', 'incoming_messages_count', 'outgoing_messages_count', 'resolutions_count',
                  'bot_resolutions_count', 'bot_handoffs_count', 'avg_first_response_time', 'avg_resolution_time',
                  'reply_time']) WITH ORDINALITY m(metric, o),
     reports.timeseries(1, m.metric, '2024-03-08 05:00+00', '2024-03-12 04:00+00', 'day', 'America/New_York') t
ORDER BY m.o, t.bucket;

-- business_hours => true averages value_in_business_hours (net of business-hours pending time), New York days:
-- avg_first_response_time  e1 1800 | e15 600 | e18 0 (inbox 3 has working hours off) | e3 5400     (1 event each)
-- avg_resolution_time      e2 7200/1 | e16 300 - 300 = 0/1 | 0/0 | e6 18000 - 1800 = 16200/1
-- reply_time               0/0 | 0/0 | e19 0/1 | e4 1200/1
-- counts do not change: resolutions_count 1 1 0 1 as without business hours
SELECT m.metric, pg_temp.series(1, m.metric, bh => true, tz => 'America/New_York',
                                since => '2024-03-08 05:00+00', until => '2024-03-12 04:00+00') AS business_hours,
       pg_temp.series(1, m.metric, bh => false, tz => 'America/New_York',
                      since => '2024-03-08 05:00+00', until => '2024-03-12 04:00+00') AS wall_clock
FROM unnest(ARRAY['avg_first_response_time', 'avg_resolution_time', 'reply_time', 'resolutions_count']) WITH ORDINALITY m(metric, o)
ORDER BY m.o;

-------------------------------------------------------------------------------------------------
-- 3. Hour buckets on the DST day in New York: [03-10 00:00 EST, 03-11 00:00 EDT) = [03-10 05:00Z, 03-11 04:00Z)
--    = 23 buckets; local hours 00, 01, then 03 .. 23 (02:00 does not exist).
-------------------------------------------------------------------------------------------------
SELECT count(*) AS buckets,
       string_agg(to_char(bucket AT TIME ZONE 'America/New_York', 'HH24'), ',' ORDER BY bucket) AS local_hours,
       min(bucket) AS first, max(bucket) AS last
FROM reports.timeseries(1, 'conversations_count', '2024-03-10 05:00+00', '2024-03-11 04:00+00', 'hour', 'America/New_York');
-- Non-empty hours:
-- conversations_count      06:00Z (01 EST): C6 06:30Z | 08:00Z (04 EDT): C7 08:30Z
-- incoming_messages_count  06:00Z: m23 | 07:00Z (03 EDT): m26 07:50Z | 08:00Z: m28
-- outgoing_messages_count  07:00Z: m24 07:30, m25 07:40, m27 07:55 = 3 | 03-11 02:00Z (22 EDT): m19 = 1
-- avg_first_response_time  07:00Z: e18 4200/1;  reply_time 07:00Z: e19 300/1
-- resolutions_count etc.   none (e16 03:05Z is before 05:00Z)
SELECT m.metric, t.bucket, to_char(t.bucket AT TIME ZONE 'America/New_York', 'HH24:MI') AS local, t.value, t.count
FROM unnest(ARRAY['conversations_count', 'incoming_messages_count', 'outgoing_messages_count', 'resolutions_count',
                  'bot_resolutions_count', 'bot_handoffs_count', 'avg_first_response_time', 'avg_resolution_time',
                  'reply_time']) WITH ORDINALITY m(metric, o),
     reports.timeseries(1, m.metric, '2024-03-10 05:00+00', '2024-03-11 04:00+00', 'hour', 'America/New_York') t
WHERE t.count > 0
ORDER BY m.o, t.bucket;

-- Hours in UTC on 03-10: 24 buckets; resolutions_count only at 03:00Z (e16 03:05Z).
SELECT count(*) AS buckets, sum(value) AS total,
       string_agg(to_char(bucket, 'HH24') || '=' || value, ' ' ORDER BY bucket) FILTER (WHERE value > 0) AS nonzero
FROM reports.timeseries(1, 'resolutions_count', '2024-03-10 00:00+00', '2024-03-11 00:00+00', 'hour', 'UTC');

-- since inside a bucket: series starts at the bucket containing since (06:00Z) but rows before since
-- are not counted: C6 (06:30Z) is before since 06:45Z -> 06:00Z = 0, 07:00Z = 0, 08:00Z = 1 (C7).
SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-03-10 06:45+00', '2024-03-10 09:00+00', 'hour', 'UTC');

-------------------------------------------------------------------------------------------------
-- 4. Week (Sunday start), month and year buckets.
-------------------------------------------------------------------------------------------------
-- weeks of [03-01, 03-15): Sun 02-25: C9 (03-01) = 1 | Sun 03-03: C3, C1, C2, C4 = 4 | Sun 03-10: C5, C6, C7, C12, C8 = 5
SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-03-01 00:00+00', '2024-03-15 00:00+00', 'week', 'UTC');
-- months of [02-15, 04-01): February 0, March all 10 conversations of account 1
SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-02-15 00:00+00', '2024-04-01 00:00+00', 'month', 'UTC');
-- year 2024 in New York: bucket 2024-01-01 05:00Z, 10 conversations; resolutions 6 (e2, e6, e8, e11, e16, e22)
SELECT m, t.* FROM unnest(ARRAY['conversations_count', 'resolutions_count']) m,
     reports.timeseries(1, m, '2024-01-01 05:00+00', '2025-01-01 05:00+00', 'year', 'America/New_York') t;

-------------------------------------------------------------------------------------------------
-- 5. Scopes (UTC days 03-08 .. 03-11).
-------------------------------------------------------------------------------------------------
-- agent Alice (1): conversations assigned to her C1 (03-08), C4 (03-09)           -> 1 1 0 0
--                  outgoing sent by her m2, m3 (03-08), m18 (03-09), m19 (03-11)    -> 2 1 0 1
--                  incoming (never sent by a User)                                   -> 0 0 0 0
--                  first response e1 1800 (03-08), e15 600 (03-09)                   -> 1800/1 600/1 0/0 0/0
--                  resolution e2 7200 (03-08)                                        -> 7200/1 0/0 0/0 0/0
-- agent Dave (4, account 2 only): nothing in account 1                              -> all 0
-- inbox 4 (Bot WA): conversations C4 03-09, C5 03-10, C12 03-11                      -> 0 1 1 1
--                  outgoing m17, m18 | m21 | m19, m34                                -> 0 2 1 2
--                  bot_handoffs C4 -> 0 1 0 0;  bot_resolutions e17 -> 0 0 1 0;  resolution e16 net 0 -> 0/0 0/0 0/1 0/0
-- inbox 5 (account 2): nothing                                                       -> all 0
-- team support (2): conversations C2 (03-08) -> 1 0 0 0; incoming m5 (03-08), m7 (03-11) -> 1 0 0 1;
--                  first response e3 -> 0/0 0/0 0/0 232200/1; resolutions e6 -> 0 0 0 1
-- team 3 (account 2): all 0
-- label billing (1): conversations C1, C2 (C8 is 03-12) -> 2 0 0 0; first response e1 1800 (03-08), e3 (03-11);
--                  resolution e2 7200, e6 243000
-- label feedback (3): C6 is tagged feedback in context 'skills'; the label scope matches any context (reference
--                  §3.2) -> conversations 0 0 1 0, reply e19 300 (03-10), first response e18 4200 (03-10)
-- label 4 (account 2's "billing"): not a label of account 1 -> all 0 (C10 is tagged billing in account 2)
-- inbox 999 (no such inbox): all 0
SELECT s.scope, s.sid, s.metric, pg_temp.series(1, s.metric, s.scope, s.sid) AS series
FROM (VALUES (1, 'agent', 1, 'conversations_count'), (2, 'agent', 1, 'outgoing_messages_count'),
             (3, 'agent', 1, 'incoming_messages_count'), (4, 'agent', 1, 'avg_first_response_time'),
             (5, 'agent', 1, 'avg_resolution_time'),
             (6, 'agent', 4, 'conversations_count'), (7, 'agent', 4, 'outgoing_messages_count'),
             (8, 'agent', 4, 'avg_first_response_time'),
             (9, 'inbox', 4, 'conversations_count'), (10, 'inbox', 4, 'outgoing_messages_count'),
             (11, 'inbox', 4, 'bot_handoffs_count'), (12, 'inbox', 4, 'bot_resolutions_count'),
             (13, 'inbox', 4, 'avg_resolution_time'),
             (14, 'inbox', 5, 'conversations_count'), (15, 'inbox', 5, 'incoming_messages_count'),
             (16, 'inbox', 5, 'avg_first_response_time'),
             (17, 'team', 2, 'conversations_count'), (18, 'team', 2, 'incoming_messages_count'),
             (19, 'team', 2, 'avg_first_response_time'), (20, 'team', 2, 'resolutions_count'),
             (21, 'team', 3, 'conversations_count'), (22, 'team', 3, 'resolutions_count'),
             (23, 'label', 1, 'conversations_count'), (24, 'label', 1, 'avg_first_response_time'),
             (25, 'label', 1, 'avg_resolution_time'),
             (26, 'label', 3, 'conversations_count'), (27, 'label', 3, 'reply_time'),
             (28, 'label', 3, 'avg_first_response_time'),
             (29, 'label', 4, 'conversations_count'), (30, 'label', 4, 'avg_first_response_time'),
             (31, 'inbox', 999, 'conversations_count')) s(o, scope, sid, metric)
ORDER BY s.o;

-- Scopes with business hours: inbox 1 first response e1 1800 (03-08), e3 5400 (03-11);
-- team support resolution e6 16200 (03-11); agent Bob (2) reply e19 0 (03-10), e4 1200 (03-11).
SELECT pg_temp.series(1, 'avg_first_response_time', 'inbox', 1, true) AS inbox1_frt_bh,
       pg_temp.series(1, 'avg_first_response_time', 'inbox', 1, false) AS inbox1_frt,
       pg_temp.series(1, 'avg_resolution_time', 'team', 2, true) AS support_rt_bh,
       pg_temp.series(1, 'reply_time', 'agent', 2, true) AS bob_reply_bh;

-- Account 2 sees only its own rows: conversations C10 (03-08), C11 (03-09) -> 1 1 0 0; events e23 600,
-- e24 7200 (03-08); outgoing m36 (03-08).
SELECT pg_temp.series(2, 'conversations_count') AS conversations, pg_temp.series(2, 'avg_first_response_time') AS frt,
       pg_temp.series(2, 'avg_resolution_time') AS rt, pg_temp.series(2, 'outgoing_messages_count') AS outgoing;

-------------------------------------------------------------------------------------------------
-- 6. A range without data is zero-filled: 3 days of 2023, value 0 and count 0 for counts and averages.
-------------------------------------------------------------------------------------------------
SELECT m, t.* FROM unnest(ARRAY['conversations_count', 'avg_resolution_time']) m,
     reports.timeseries(1, m, '2023-01-01 00:00+00', '2023-01-04 00:00+00') t ORDER BY m, t.bucket;
-- account 3 does not exist: zero-filled too
SELECT pg_temp.series(3, 'conversations_count') AS no_account;

-------------------------------------------------------------------------------------------------
-- 7. Bad arguments are errors naming the argument.
-------------------------------------------------------------------------------------------------
\set VERBOSITY terse
SELECT * FROM reports.timeseries(1, 'foo', '2024-03-01', '2024-03-02');
SELECT * FROM reports.timeseries(1, NULL, '2024-03-01', '2024-03-02');
SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-03-01', '2024-03-02', 'minute');
SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-03-01', '2024-03-02', 'day', 'Mars/Olympus');
SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-03-01', '2024-03-02', 'day', 'UTC', 'user', 1);
SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-03-01', '2024-03-02', 'day', 'UTC', 'agent', NULL);
SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-03-02', '2024-03-02');
SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-03-03', '2024-03-02');
SELECT * FROM reports.timeseries(1, 'conversations_count', NULL, '2024-03-02');
SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-03-01', NULL);
SELECT * FROM reports.timeseries(1, 'conversations_count', '-infinity', '2024-03-02');
SELECT * FROM reports.timeseries(NULL, 'conversations_count', '2024-03-01', '2024-03-02');
-- [2000-01-01, 2024-03-02) = 8766 days (24 years, 6 leap days) + 61 days = 8827 days = 211848 hour buckets
SELECT * FROM reports.timeseries(1, 'conversations_count', '2000-01-01', '2024-03-02', 'hour');
\set VERBOSITY default
