-- reports.bucket_start: property test against Postgres' own date_trunc ... AT TIME ZONE for every
-- zone in pg_timezone_names, plus instants around DST transitions and hand-checked values.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- The reference: date_trunc(period, ts AT TIME ZONE zone) AT TIME ZONE zone. Weeks starting Sunday
-- (the default) are date_trunc('week', local + 1 day) - 1 day; week_start 'monday' is date_trunc's ISO week.
CREATE TEMP TABLE bs_cases (zone text, ts timestamptz, kind text);
CREATE FUNCTION pg_temp.bs_compare(zone text, ts timestamptz)
RETURNS TABLE (period text, got timestamptz, want timestamptz)
LANGUAGE sql IMMUTABLE AS $$
    SELECT v.period, v.got, v.want
    FROM (SELECT ts AT TIME ZONE zone AS l OFFSET 0) l,
    LATERAL (VALUES
        ('hour',        reports.bucket_start(ts, 'hour', zone),    date_trunc('hour', l.l) AT TIME ZONE zone),
        ('day',         reports.bucket_start(ts, 'day', zone),     date_trunc('day', l.l) AT TIME ZONE zone),
        ('week',        reports.bucket_start(ts, 'week', zone),
                        (date_trunc('week', l.l + interval '1 day') - interval '1 day') AT TIME ZONE zone),
        ('week/sunday', reports.bucket_start(ts, 'week', zone, 'sunday'),
                        (date_trunc('week', l.l + interval '1 day') - interval '1 day') AT TIME ZONE zone),
        ('week/monday', reports.bucket_start(ts, 'week', zone, 'monday'), date_trunc('week', l.l) AT TIME ZONE zone),
        ('month',       reports.bucket_start(ts, 'month', zone),   date_trunc('month', l.l) AT TIME ZONE zone),
        ('quarter',     reports.bucket_start(ts, 'quarter', zone), date_trunc('quarter', l.l) AT TIME ZONE zone),
        ('year',        reports.bucket_start(ts, 'year', zone),    date_trunc('year', l.l) AT TIME ZONE zone)
    ) AS v(period, got, want)
$$;

-- 1. Every zone x instants spread over 1970-2037 with a step that is not a multiple of an hour (so
-- the instants fall on every weekday, hour, minute and second offset).
SELECT count(*) AS grid_instants_per_zone
FROM generate_series('1970-01-01 00:00:00+00'::timestamptz, '2037-12-31 23:59:59+00',
                     '23 days 5 hours 17 minutes 3 seconds') ts;
-- Every zone of this server's time-zone database (its size depends on the tzdata version).
SELECT count(*) AS zones FROM pg_timezone_names \gset
SELECT :zones > 500 AS many_zones;

-- Computed in one pass (nothing materialized) to keep the runtime down: the number of (zone,
-- instant, period) combinations compared, per zone, and the number whose result differs from the
-- reference; mismatching combinations (at most 20) are listed after. The zones are the outer loop
-- (the lateral reference forces it), which keeps each zone's cached data warm.
CREATE TEMP TABLE bs_grid_result AS
SELECT c.zone, count(*) AS compared,
       count(*) FILTER (WHERE r.got IS DISTINCT FROM r.want) AS mismatches,
       (array_agg(ROW(c.ts, r.period, r.got, r.want)::text)
            FILTER (WHERE r.got IS DISTINCT FROM r.want))[1:20] AS examples
FROM (SELECT z.name AS zone, g.ts
      FROM pg_timezone_names z,
           LATERAL (SELECT ts
                    FROM generate_series('1970-01-01 00:00:00+00'::timestamptz, '2037-12-31 23:59:59+00',
                                         '23 days 5 hours 17 minutes 3 seconds') ts
                    WHERE z.name IS NOT NULL OFFSET 0) g
      OFFSET 0) c,
     pg_temp.bs_compare(c.zone, c.ts) r
GROUP BY c.zone;
SELECT count(*) = :zones AS every_zone,
       bool_and(compared = 1070 * 8) AS all_periods_compared,
       sum(compared) = :zones * 1070 * 8 AS total_ok,
       sum(mismatches) AS mismatches
FROM bs_grid_result;
SELECT zone, e AS mismatch FROM bs_grid_result, unnest(examples) e WHERE mismatches > 0 ORDER BY zone, e LIMIT 20;

-- 2. Every zone x local month starts (every 11th month from 1970 to 2037) and one second either side:
-- the bucket edges themselves.
SELECT count(*) AS month_starts_per_zone FROM generate_series(0, 815, 11) k;
CREATE TEMP TABLE bs_edge_result AS
SELECT count(*) AS compared,
       count(*) FILTER (WHERE r.got IS DISTINCT FROM r.want) AS mismatches
FROM pg_timezone_names z,
     generate_series(0, 815, 11) k,
     unnest(array[-1, 0, 1]) d,
     LATERAL (SELECT ('1970-01-01'::timestamp + make_interval(months => k)) AT TIME ZONE z.name
                     + make_interval(secs => d) AS ts) t,
     pg_temp.bs_compare(z.name, t.ts) r;
SELECT compared = :zones * 75 * 3 * 8 AS all_combinations_compared, mismatches FROM bs_edge_result;

-- 3. DST transitions of zones with unusual rules (30-minute DST in Lord_Howe, midnight transitions
-- in Santiago and Tehran, negative DST in Dublin, Ramadan breaks in Casablanca), in a few past
-- years: every half hour (local hour starts of :30 zones included) for 24 hours either side of each
-- transition, each at -1 s, 0 and +1 s.
CREATE TEMP TABLE bs_transitions AS
SELECT zone, t
FROM (SELECT zone, y, t, off, lag(off) OVER (PARTITION BY zone, y ORDER BY t) AS prev
      FROM unnest(array['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'America/Santiago',
                        'Asia/Tehran', 'Europe/Dublin', 'Africa/Casablanca']) zone,
           unnest(array[1980, 1996, 2008, 2015, 2021, 2022, 2023]) y,
           generate_series(make_timestamptz(y, 1, 1, 0, 0, 0, 'UTC'),
                           make_timestamptz(y + 1, 1, 1, 0, 0, 0, 'UTC'), '30 minutes') t,
           LATERAL (SELECT (t AT TIME ZONE zone) - (t AT TIME ZONE 'UTC') AS off) o) s
WHERE off <> prev;
-- Each transition happens exactly at t (the offset one second before is the old one).
SELECT zone, count(*) AS transitions,
       bool_and(((t - interval '1 second') AT TIME ZONE zone) - ((t - interval '1 second') AT TIME ZONE 'UTC')
                <> (t AT TIME ZONE zone) - (t AT TIME ZONE 'UTC')) AS exact
FROM bs_transitions GROUP BY zone ORDER BY zone;
INSERT INTO bs_cases
SELECT DISTINCT zone, t + make_interval(mins => 30 * k, secs => d), 'dst'
FROM bs_transitions, generate_series(-48, 48) k, unnest(array[-1, 0, 1]) d;
SELECT count(*) AS dst_instants FROM bs_cases WHERE kind = 'dst';
CREATE TEMP TABLE bs_mismatches AS
SELECT c.zone, c.ts, r.period, r.got, r.want
FROM bs_cases c, pg_temp.bs_compare(c.zone, c.ts) r
WHERE r.got IS DISTINCT FROM r.want;
SELECT count(*) AS dst_combinations_compared FROM bs_cases c, pg_temp.bs_compare(c.zone, c.ts) r;
SELECT count(*) AS dst_mismatches FROM bs_mismatches;
SELECT * FROM bs_mismatches ORDER BY zone, ts, period LIMIT 20;
-- The comparison is not vacuous: a "naive" implementation (truncating in the offset in force at ts)
-- would differ from the reference on many of these instants.
SELECT count(*) AS naive_would_fail_on
FROM bs_cases c
WHERE reports.bucket_start(c.ts, 'day', c.zone)
      <> date_trunc('day', c.ts + ((c.ts AT TIME ZONE c.zone) - (c.ts AT TIME ZONE 'UTC')))
         - ((c.ts AT TIME ZONE c.zone) - (c.ts AT TIME ZONE 'UTC'));

-- 4. Hand-checked values.
-- New York, DST start day (2022-03-13, 02:00 EST -> 03:00 EDT): the day starts at 00:00 EST = 05:00Z.
SELECT reports.bucket_start('2022-03-13 12:00 America/New_York', 'day', 'America/New_York');
-- ... and is 23 hours long: the next day starts at 04:00Z.
SELECT reports.bucket_start('2022-03-14 00:30 America/New_York', 'day', 'America/New_York');
-- Hour after the gap: 03:30 EDT = 07:30Z -> 03:00 EDT = 07:00Z.
SELECT reports.bucket_start('2022-03-13 07:30Z', 'hour', 'America/New_York');
-- New York DST end (2022-11-06 02:00 EDT -> 01:00 EST): 06:30Z is 01:30 EST -> 01:00 EST = 06:00Z.
SELECT reports.bucket_start('2022-11-06 06:30Z', 'hour', 'America/New_York');
-- 05:30Z is 01:30 EDT, the first pass through the repeated hour: date_trunc gives local 01:00, which
-- AT TIME ZONE reads as 01:00 EST = 06:00Z (the reference's convention for ambiguous local times),
-- so the "bucket start" is after ts and both 01:xx hours share the 06:00Z bucket.
SELECT reports.bucket_start('2022-11-06 05:30Z', 'hour', 'America/New_York');
-- The day of the DST end starts at 00:00 EDT = 04:00Z.
SELECT reports.bucket_start('2022-11-06 23:59:59 America/New_York', 'day', 'America/New_York');
-- Santiago 2022-09-11: clocks go from 00:00 -04 to 01:00 -03, so the day starts at 04:00Z.
SELECT reports.bucket_start('2022-09-11 12:00Z', 'day', 'America/Santiago');
-- Tehran 2022-03-22: 00:00 +0330 -> 01:00 +0430; the day starts at 2022-03-21 20:30Z.
SELECT reports.bucket_start('2022-03-22 06:00Z', 'day', 'Asia/Tehran');
-- Lord Howe: +11 in summer (January), so 2022 starts at 2021-12-31 13:00Z.
SELECT reports.bucket_start('2022-06-15 00:00Z', 'year', 'Australia/Lord_Howe');
-- Kolkata (+05:30): Q2 2022 starts at 2022-03-31 18:30Z.
SELECT reports.bucket_start('2022-05-15 00:00Z', 'quarter', 'Asia/Kolkata');
-- Wednesday 2022-03-16: the week starts on Sunday 03-13 (default and 'sunday') or Monday 03-14.
SELECT reports.bucket_start('2022-03-16 12:00Z', 'week', 'UTC') AS default_week,
       reports.bucket_start('2022-03-16 12:00Z', 'week', 'UTC', 'sunday') AS sunday_week,
       reports.bucket_start('2022-03-16 12:00Z', 'week', 'UTC', 'monday') AS monday_week;
-- A Sunday is its own week start with sunday and belongs to the previous week with monday.
SELECT reports.bucket_start('2022-03-13 00:00Z', 'week', 'UTC') AS sunday_week,
       reports.bucket_start('2022-03-13 23:59:59Z', 'week', 'UTC', 'monday') AS monday_week;
-- Berlin month: 2022-03-31 23:30Z is already April 1 01:30 CEST -> 2022-03-31 22:00Z.
SELECT reports.bucket_start('2022-03-31 23:30Z', 'month', 'Europe/Berlin');
-- 1970 and 2037 edges.
SELECT reports.bucket_start('1970-01-01 00:00Z', 'year', 'UTC') AS epoch_year,
       reports.bucket_start('2037-12-31 23:59:59Z', 'month', 'America/New_York') AS last_month;

-- 5. Infinity stays infinity.
SELECT reports.bucket_start('infinity', 'day', 'UTC') AS pos,
       reports.bucket_start('-infinity', 'month', 'America/New_York') AS neg,
       reports.bucket_start('infinity', 'week', 'Europe/Berlin', 'monday') AS pos_monday;

-- 6. STRICT: NULL in -> NULL out.
SELECT reports.bucket_start(NULL, 'day', 'UTC') IS NULL AS null_ts,
       reports.bucket_start('2022-01-01', NULL, 'UTC') IS NULL AS null_period,
       reports.bucket_start('2022-01-01', 'day', NULL) IS NULL AS null_tz,
       reports.bucket_start('2022-01-01', 'week', 'UTC', NULL) IS NULL AS null_week_start;
