-- reports.business_seconds and reports.week_schedule: the reference's verified values, DST days,
-- split and overnight shifts, and long spans compared with an independent plain-SQL computation.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- Mon-Fri 09:00-17:00 (minutes of the local week, 0 = Sunday 00:00).
\set mf9to5 '\'{1980,2460,3420,3900,4860,5340,6300,6780,7740,8220}\'::int4[]'

-- 1. Verified values (UTC). 2022-03-20 is a Sunday.
-- The whole week: 5 x 8 h.
SELECT reports.business_seconds('2022-03-20 00:00Z', '2022-03-26 23:59Z', :mf9to5, 'UTC') AS whole_week;
-- Sunday noon -> Monday 14:00: Monday 09:00-14:00.
SELECT reports.business_seconds('2022-03-20 12:00Z', '2022-03-21 14:00Z', :mf9to5, 'UTC') AS sun_noon_to_mon_14;
-- Monday 08:00 -> 10:30: 09:00-10:30.
SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', :mf9to5, 'UTC') AS mon_8_to_1030;
-- Friday 16:00 -> Monday 10:00: 1 h + 1 h.
SELECT reports.business_seconds('2022-03-25 16:00Z', '2022-03-28 10:00Z', :mf9to5, 'UTC') AS fri_16_to_mon_10;
-- Reversed: negative.
SELECT reports.business_seconds('2022-03-21 10:30Z', '2022-03-21 08:00Z', :mf9to5, 'UTC') AS reversed;
-- Same instant, inside working hours.
SELECT reports.business_seconds('2022-03-21 10:00Z', '2022-03-21 10:00Z', :mf9to5, 'UTC') AS same_instant;
-- Empty schedule: never open.
SELECT reports.business_seconds('2022-03-20 00:00Z', '2022-04-20 00:00Z', '{}', 'UTC') AS empty_schedule;
-- Saturday 10:00 -> Sunday 10:00: closed.
SELECT reports.business_seconds('2022-03-26 10:00Z', '2022-03-27 10:00Z', :mf9to5, 'UTC') AS weekend;
-- Monday open all day = {1440,2880}: Monday 00:00 -> Tuesday 00:00 is 24 h.
SELECT reports.business_seconds('2022-03-21 00:00Z', '2022-03-22 00:00Z', '{1440,2880}', 'UTC') AS monday_all_day;
-- Kolkata (+05:30): Monday 03:30Z-05:30Z is 09:00-11:00 local.
SELECT reports.business_seconds('2022-03-21 03:30Z', '2022-03-21 05:30Z', :mf9to5, 'Asia/Kolkata') AS kolkata;
-- ... and the same UTC range read in UTC is 0 (before 09:00).
SELECT reports.business_seconds('2022-03-21 03:30Z', '2022-03-21 05:30Z', :mf9to5, 'UTC') AS same_range_utc;
-- Sub-second precision: 08:59:59.5 -> 09:00:00.75 counts 09:00:00-09:00:00.75.
SELECT reports.business_seconds('2022-03-21 08:59:59.5Z', '2022-03-21 09:00:00.75Z', :mf9to5, 'UTC') AS fraction;

-- 2. DST days with a schedule open all week: real elapsed seconds from local midnight to midnight.
SELECT zone, day, reports.business_seconds(day::timestamp AT TIME ZONE zone,
                                           (day + 1)::timestamp AT TIME ZONE zone, '{0,10080}', zone) AS seconds
FROM (VALUES ('America/New_York', date '2022-03-13'),      -- 23 h
             ('America/New_York', date '2022-11-06'),      -- 25 h
             ('America/New_York', date '2022-07-04'),      -- 24 h
             ('Europe/Berlin', date '2022-03-27'),         -- 23 h
             ('Europe/Berlin', date '2022-10-30'),         -- 25 h
             ('Australia/Lord_Howe', date '2022-10-02'),   -- 23.5 h
             ('Australia/Lord_Howe', date '2022-04-03'))   -- 24.5 h
     AS v(zone, day)
ORDER BY zone, day;
-- Open all week over a whole week containing a transition, and across the week boundary (10080 = 0).
SELECT reports.business_seconds('2022-03-12 00:00 America/New_York', '2022-03-19 00:00 America/New_York',
                                '{0,10080}', 'America/New_York') AS ny_week_with_dst_start,
       reports.business_seconds('2022-03-19 23:00Z', '2022-03-20 01:00Z', '{0,10080}', 'UTC') AS across_week_boundary;

-- 3. Split and overnight shifts (UTC).
-- Monday 09:00-12:00 and 13:00-17:00: Monday 11:00 -> 14:00 is 1 h + 1 h.
SELECT reports.business_seconds('2022-03-21 11:00Z', '2022-03-21 14:00Z', '{1980,2160,2220,2460}', 'UTC') AS split_shift,
       reports.business_seconds('2022-03-21 12:00Z', '2022-03-21 13:00Z', '{1980,2160,2220,2460}', 'UTC') AS lunch_break;
-- Monday 22:00 -> Tuesday 06:00 as one interval {2760,3240}: Monday 23:00 -> Tuesday 01:00 is 2 h;
-- the whole day Monday 12:00 -> Tuesday 12:00 is 8 h.
SELECT reports.business_seconds('2022-03-21 23:00Z', '2022-03-22 01:00Z', '{2760,3240}', 'UTC') AS overnight,
       reports.business_seconds('2022-03-21 12:00Z', '2022-03-22 12:00Z', '{2760,3240}', 'UTC') AS overnight_day;
-- Saturday 22:00 -> Sunday 06:00 wraps the week: {0,360} and {9960,10080}.
SELECT reports.business_seconds('2022-03-19 23:00Z', '2022-03-20 01:00Z', '{0,360,9960,10080}', 'UTC') AS wrap,
       reports.business_seconds('2022-03-19 12:00Z', '2022-03-20 12:00Z', '{0,360,9960,10080}', 'UTC') AS wrap_day;
-- The same overnight shift in New York over the DST changes: Sunday 00:00-06:00 local is 5 h on
-- 2022-03-13 and 7 h on 2022-11-06 (plus Saturday 22:00-24:00, 2 h).
SELECT reports.business_seconds('2022-03-12 12:00 America/New_York', '2022-03-13 12:00 America/New_York',
                                '{0,360,9960,10080}', 'America/New_York') AS ny_spring,
       reports.business_seconds('2022-11-05 12:00 America/New_York', '2022-11-06 12:00 America/New_York',
                                '{0,360,9960,10080}', 'America/New_York') AS ny_fall;

-- 4. A 1-hour span and a 1-year span. 2022 has 260 weekdays (it starts and ends on a Saturday).
SELECT reports.business_seconds('2022-03-21 09:30Z', '2022-03-21 10:30Z', :mf9to5, 'UTC') AS one_hour,
       reports.business_seconds('2022-01-01 00:00Z', '2023-01-01 00:00Z', :mf9to5, 'UTC') AS one_year,
       260 * 8 * 3600 AS expected_one_year,
       reports.business_seconds('2022-01-01 00:00 America/New_York', '2023-01-01 00:00 America/New_York',
                                :mf9to5, 'America/New_York') AS one_year_new_york;

-- 5. An independent plain-SQL computation: for every local week (Sunday 00:00 wall clock) that can
-- touch the range, each interval's wall-clock start and end are converted with AT TIME ZONE and
-- clipped to the range; negative when reversed.
CREATE FUNCTION pg_temp.bs_ref(f timestamptz, t timestamptz, sched int4[], tz text) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
    SELECT sign(extract(epoch FROM t) - extract(epoch FROM f))::float8
           * coalesce(sum(greatest(0, extract(epoch FROM least(x.c, r.hi)) - extract(epoch FROM greatest(x.o, r.lo)))), 0)::float8
    FROM (SELECT least(f, t) AS lo, greatest(f, t) AS hi) r,
         generate_series(date_trunc('week', (r.lo AT TIME ZONE tz) + interval '1 day') - interval '8 days',
                         r.hi AT TIME ZONE tz, interval '7 days') w,
         generate_series(1, coalesce(array_length(sched, 1), 0), 2) i,
         LATERAL (SELECT (w + make_interval(mins => sched[i])) AT TIME ZONE tz AS o,
                         (w + make_interval(mins => sched[i + 1])) AT TIME ZONE tz AS c) x
$$;
CREATE TEMP TABLE bs_schedules (name text, schedule int4[]);
INSERT INTO bs_schedules VALUES
    ('mon-fri 9-17', '{1980,2460,3420,3900,4860,5340,6300,6780,7740,8220}'),
    ('all week', '{0,10080}'),
    ('monday all day', '{1440,2880}'),
    ('split', '{1980,2160,2220,2460,3420,3600,3660,3900}'),
    ('overnight + wrap', '{0,360,2760,3240,9960,10080}');
-- (Schedules with an edge strictly inside a DST gap or overlap, e.g. Sunday 01:00-01:30 in New York,
-- are left out: how such a wall-clock edge maps to an instant is not settled; only additivity is
-- checked below.)
CREATE TEMP TABLE bs_zones (zone text);
INSERT INTO bs_zones VALUES ('UTC'), ('America/New_York'), ('Europe/Berlin'), ('Australia/Lord_Howe'),
    ('Asia/Kolkata'), ('America/Santiago'), ('Asia/Tehran'), ('Pacific/Chatham');

-- The reference itself, checked on values above.
SELECT pg_temp.bs_ref('2022-03-25 16:00Z', '2022-03-28 10:00Z', :mf9to5, 'UTC') AS ref_fri_to_mon,
       pg_temp.bs_ref('2022-03-13 00:00 America/New_York', '2022-03-14 00:00 America/New_York', '{0,10080}',
                      'America/New_York') AS ref_ny_dst_day,
       pg_temp.bs_ref('2022-03-21 10:30Z', '2022-03-21 08:00Z', :mf9to5, 'UTC') AS ref_reversed;

-- 10-year span (odd start and end times), every schedule in every zone.
SELECT s.name, count(*) AS zones,
       count(*) FILTER (WHERE reports.business_seconds('2014-12-31 13:17:05Z', '2025-01-02 07:43:11Z', s.schedule, z.zone)
                              IS DISTINCT FROM pg_temp.bs_ref('2014-12-31 13:17:05Z', '2025-01-02 07:43:11Z', s.schedule, z.zone))
           AS mismatches,
       min(pg_temp.bs_ref('2014-12-31 13:17:05Z', '2025-01-02 07:43:11Z', s.schedule, z.zone)) AS min_seconds
FROM bs_schedules s, bs_zones z GROUP BY s.name ORDER BY s.name;
-- The 10-year values in New York, printed.
SELECT s.name, reports.business_seconds('2014-12-31 13:17:05Z', '2025-01-02 07:43:11Z', s.schedule, 'America/New_York')
FROM bs_schedules s ORDER BY s.name;

-- 400 deterministic pseudo-random ranges per (schedule, zone) between 2015 and 2025, up to 40 days
-- long, a quarter of them reversed, a few with sub-second ends.
CREATE TEMP TABLE bs_ranges AS
SELECT g,
       '2015-01-01 00:00Z'::timestamptz + make_interval(secs => abs(hashint4(g)) % (10 * 365 * 86400)) AS f,
       CASE WHEN g % 4 = 0 THEN -1 ELSE 1 END
           * (abs(hashint4(g + 1000000)) % (40 * 86400) + CASE WHEN g % 10 = 0 THEN 0.5 ELSE 0 END) AS len
FROM generate_series(1, 400) g;
CREATE TEMP TABLE bs_random AS
SELECT s.name, z.zone, r.g, r.f, r.f + make_interval(secs => r.len) AS t,
       reports.business_seconds(r.f, r.f + make_interval(secs => r.len), s.schedule, z.zone) AS got,
       pg_temp.bs_ref(r.f, r.f + make_interval(secs => r.len), s.schedule, z.zone) AS want
FROM bs_schedules s, bs_zones z, bs_ranges r;
SELECT count(*) AS compared,
       count(*) FILTER (WHERE want <> 0) AS nonzero,
       count(*) FILTER (WHERE want < 0) AS negative,
       count(*) FILTER (WHERE abs(got - want) > 1e-6 OR got IS NULL) AS mismatches
FROM bs_random;
SELECT name, zone, g, f, t, got, want FROM bs_random
WHERE abs(got - want) > 1e-6 OR got IS NULL ORDER BY name, zone, g LIMIT 20;
-- Additivity where edges fall inside DST gaps and overlaps (whatever instant a wall-clock edge maps
-- to): Sunday 00:00-01:30 plus 01:30-03:00 equals 00:00-03:00, and 01:00-02:30 plus 02:30-03:00
-- equals 01:00-03:00, on ranges covering the transitions.
SELECT count(*) AS compared,
       count(*) FILTER (WHERE a1 + a2 > 0) AS nonzero,
       count(*) FILTER (WHERE abs(a1 + a2 - a) > 1e-6 OR abs(b1 + b2 - b) > 1e-6) AS mismatches
FROM (SELECT reports.business_seconds(r.f, t.t, '{0,90}', z.zone) AS a1,
             reports.business_seconds(r.f, t.t, '{90,180}', z.zone) AS a2,
             reports.business_seconds(r.f, t.t, '{0,180}', z.zone) AS a,
             reports.business_seconds(r.f, t.t, '{60,150}', z.zone) AS b1,
             reports.business_seconds(r.f, t.t, '{150,180}', z.zone) AS b2,
             reports.business_seconds(r.f, t.t, '{60,180}', z.zone) AS b
      FROM bs_zones z, bs_ranges r,
           LATERAL (SELECT r.f + make_interval(secs => r.len) AS t) t) x;

-- Ranges exactly on the DST transitions of New York in 2022 and 2023, start and end +-1 s.
SELECT count(*) AS compared,
       count(*) FILTER (WHERE reports.business_seconds(f, t, s.schedule, 'America/New_York')
                              <> pg_temp.bs_ref(f, t, s.schedule, 'America/New_York')) AS mismatches
FROM bs_schedules s,
     unnest(array['2022-03-13 07:00Z', '2022-11-06 06:00Z', '2023-03-12 07:00Z', '2023-11-05 06:00Z']::timestamptz[]) tr,
     generate_series(-7200, 7200, 1799) a, generate_series(-7200, 7200, 1801) b,
     LATERAL (SELECT tr + make_interval(secs => a) AS f, tr + make_interval(secs => b) AS t) x;

-- 6. reports.week_schedule, on minimal Chatwoot tables created in a transaction that is rolled back
-- (so nothing persists for tests that create the real schema).
BEGIN;
CREATE TABLE public.inboxes (id int, account_id int, name text, working_hours_enabled bool, timezone text);
CREATE TABLE public.working_hours (id serial, inbox_id bigint, account_id bigint, day_of_week int,
    closed_all_day bool DEFAULT false, open_hour int, open_minutes int, close_hour int, close_minutes int,
    open_all_day bool DEFAULT false);
INSERT INTO public.inboxes VALUES
    (1, 1, 'default hours', true, 'UTC'),
    (2, 1, 'all day monday, late tuesday and saturday', true, 'America/New_York'),
    (3, 1, 'disabled', false, 'UTC'),
    (4, 1, 'enabled, no rows', true, 'UTC'),
    (5, 1, 'enabled, all closed', true, 'UTC');
-- Chatwoot's default rows: Sunday and Saturday closed, Monday-Friday 09:00-17:00.
INSERT INTO public.working_hours (inbox_id, account_id, day_of_week, closed_all_day, open_hour, open_minutes, close_hour, close_minutes)
VALUES (1, 1, 0, true, NULL, NULL, NULL, NULL),
       (1, 1, 1, false, 9, 0, 17, 0), (1, 1, 2, false, 9, 0, 17, 0), (1, 1, 3, false, 9, 0, 17, 0),
       (1, 1, 4, false, 9, 0, 17, 0), (1, 1, 5, false, 9, 0, 17, 0),
       (1, 1, 6, true, NULL, NULL, NULL, NULL);
-- Inbox 2: Monday open all day (Chatwoot stores 00:00-23:59 with open_all_day), Tuesday 09:30-23:59,
-- Saturday 10:00-23:59 (ends at 10080), the other days closed.
INSERT INTO public.working_hours (inbox_id, account_id, day_of_week, closed_all_day, open_hour, open_minutes, close_hour, close_minutes, open_all_day)
VALUES (2, 1, 0, true, NULL, NULL, NULL, NULL, false),
       (2, 1, 1, false, 0, 0, 23, 59, true),
       (2, 1, 2, false, 9, 30, 23, 59, false),
       (2, 1, 3, true, NULL, NULL, NULL, NULL, false), (2, 1, 4, true, NULL, NULL, NULL, NULL, false),
       (2, 1, 5, true, NULL, NULL, NULL, NULL, false),
       (2, 1, 6, false, 10, 0, 23, 59, false);
INSERT INTO public.working_hours (inbox_id, account_id, day_of_week, closed_all_day, open_hour, open_minutes, close_hour, close_minutes)
SELECT 3, 1, d, false, 9, 0, 17, 0 FROM generate_series(0, 6) d;
INSERT INTO public.working_hours (inbox_id, account_id, day_of_week, closed_all_day)
SELECT 5, 1, d, true FROM generate_series(0, 6) d;
SELECT reports.week_schedule(1) AS default_hours,
       reports.week_schedule(1) = :mf9to5 AS equals_mon_fri_9_17;
SELECT reports.week_schedule(2) AS all_day_and_late_close;
SELECT reports.week_schedule(3) IS NULL AS disabled_is_null,
       reports.week_schedule(99) IS NULL AS unknown_is_null,
       reports.week_schedule(4) AS no_rows,
       reports.week_schedule(5) AS all_closed;
-- business_seconds with the inbox's schedule and zone.
SELECT i.id,
       reports.business_seconds('2022-03-20 00:00Z', '2022-03-27 00:00Z', reports.week_schedule(i.id), i.timezone) AS week
FROM public.inboxes i WHERE i.id IN (1, 2) ORDER BY i.id;
-- Inbox 2: Saturday 22:00 -> Sunday 02:00 New York time is 2 h (Saturday's 23:59 close is midnight).
SELECT reports.business_seconds('2022-03-19 22:00 America/New_York', '2022-03-20 02:00 America/New_York',
                                reports.week_schedule(2), 'America/New_York') AS saturday_late;
-- Split shifts: two rows for one day (inserted later shift first). Monday 08:00-12:00 and
-- 14:00-18:00 = minutes 1440+480=1920 .. 2160 and 2280 .. 2520; Mon 07:00Z..20:00Z in UTC = 8 h.
INSERT INTO public.inboxes VALUES (6, 1, 'split shifts', true, 'UTC');
INSERT INTO public.working_hours (inbox_id, account_id, day_of_week, closed_all_day, open_hour, open_minutes, close_hour, close_minutes)
VALUES (6, 1, 1, false, 14, 0, 18, 0), (6, 1, 1, false, 8, 0, 12, 0);
SELECT reports.week_schedule(6) AS split_shifts,
       reports.business_seconds('2022-03-21 07:00Z', '2022-03-21 20:00Z', reports.week_schedule(6), 'UTC') AS monday_28800;
ROLLBACK;
SELECT to_regclass('public.inboxes') IS NULL AS rolled_back;
