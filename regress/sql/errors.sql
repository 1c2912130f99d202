-- Bad input: every case is a clean ERROR naming the bad argument (default verbosity, so HINTs show
-- and LOCATION lines do not), and the backend survives all of them.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- 1. Unknown period / week_start.
SELECT reports.bucket_start('2022-03-16 12:00Z', 'fortnight', 'UTC');
SELECT reports.bucket_start('2022-03-16 12:00Z', '', 'UTC');
SELECT reports.bucket_start('2022-03-16 12:00Z', 'week', 'UTC', 'tuesday');
SELECT reports.series_agg(ts, 1, 'decade', 'UTC', '2022-01-01', '2022-01-03')
FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts);
SELECT reports.series_agg(ts, 1, 'week', 'UTC', '2022-01-01', '2022-01-31', 'friday')
FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts);

-- 2. Unknown or empty time zone, in every function that takes one.
SELECT reports.bucket_start('2022-03-16 12:00Z', 'day', 'Mars/Olympus_Mons');
SELECT reports.bucket_start('2022-03-16 12:00Z', 'day', '');
SELECT reports.heatmap_agg(ts, 'Mars/Olympus_Mons') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts);
SELECT reports.series_agg(ts, 1, 'day', 'Mars/Olympus_Mons', '2022-01-01', '2022-01-03')
FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts);
SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,2460}', 'Mars/Olympus_Mons');
-- ... even when the schedule is empty.
SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{}', 'Mars/Olympus_Mons');

-- 3. Bad schedules.
SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,2460,3420}', 'UTC');     -- odd length
SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,10081}', 'UTC');         -- after the week
SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{-5,100}', 'UTC');             -- before the week
SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{2460,1980}', 'UTC');          -- reversed
SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,1980}', 'UTC');          -- empty
SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,2460,2400,3000}', 'UTC'); -- overlapping
SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{2400,3000,1980,2460}', 'UTC'); -- overlapping, unsorted
SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,NULL}', 'UTC');          -- NULL element
SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{{1980,2460},{3420,3900}}', 'UTC'); -- 2-D
-- Not errors: adjacent intervals, unsorted intervals, the full week.
SELECT reports.business_seconds('2022-03-21 00:00Z', '2022-03-22 00:00Z', '{1980,2460,2460,2520}', 'UTC') AS adjacent,
       reports.business_seconds('2022-03-21 00:00Z', '2022-03-22 00:00Z', '{3420,3900,1980,2460}', 'UTC') AS unsorted,
       reports.business_seconds('2022-03-21 00:00Z', '2022-03-22 00:00Z', '{0,10080}', 'UTC') AS full_week;

-- 4. Infinite timestamps where a finite one is needed.
SELECT reports.business_seconds('-infinity', '2022-03-21 10:30Z', '{1980,2460}', 'UTC');
SELECT reports.business_seconds('2022-03-21 08:00Z', 'infinity', '{1980,2460}', 'UTC');
SELECT reports.heatmap_agg(ts, 'UTC') FROM (VALUES ('infinity'::timestamptz)) v(ts);

-- 5. Bad histogram edges.
SELECT reports.histogram_agg(v, '{1,1}') FROM (VALUES (1::float8)) x(v);               -- not increasing
SELECT reports.histogram_agg(v, '{2,1}') FROM (VALUES (1::float8)) x(v);               -- decreasing
SELECT reports.histogram_agg(v, '{1,NaN}') FROM (VALUES (1::float8)) x(v);             -- NaN
SELECT reports.histogram_agg(v, '{-Infinity,1}') FROM (VALUES (1::float8)) x(v);       -- infinite
SELECT reports.histogram_agg(v, '{1,NULL}') FROM (VALUES (1::float8)) x(v);            -- NULL element
SELECT reports.histogram_agg(v, NULL) FROM (VALUES (1::float8)) x(v);                  -- NULL edges
SELECT reports.histogram_agg(v, '{{1,2},{3,4}}') FROM (VALUES (1::float8)) x(v);       -- 2-D

-- 6. Bad series_agg ranges and NULL parameters.
SELECT reports.series_agg(ts, 1, 'day', 'UTC', '2022-01-03', '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts);
SELECT reports.series_agg(ts, 1, 'day', 'UTC', '2022-01-04', '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts);
-- Hour buckets over 20 years: too many.
SELECT reports.series_agg(ts, 1, 'hour', 'UTC', '2000-01-01', '2020-01-01') FROM (VALUES ('2010-01-01 10:00Z'::timestamptz)) v(ts);
-- ... while day buckets over the same range are fine.
SELECT array_length(reports.series_agg(ts, 1, 'day', 'UTC', '2000-01-01', '2020-01-01'), 1) AS days
FROM (VALUES ('2010-01-01 10:00Z'::timestamptz)) v(ts);
SELECT reports.series_agg(ts, 1, 'day', 'UTC', '-infinity', '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts);
SELECT reports.series_agg(ts, 1, 'day', 'UTC', '2022-01-01', 'infinity') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts);
SELECT reports.series_agg(ts, 1, 'day', NULL, '2022-01-01', '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts);
SELECT reports.series_agg(ts, 1, NULL, 'UTC', '2022-01-01', '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts);
SELECT reports.series_agg(ts, 1, 'day', 'UTC', NULL, '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts);
SELECT reports.heatmap_agg(ts, NULL) FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts);

-- 7. Support functions called directly, outside an aggregate.
SELECT reports_internal.heatmap_sfunc(NULL, now(), 'UTC');
SELECT reports_internal.histogram_sfunc(NULL, 1, '{1,2}');
SELECT reports_internal.series_sfunc(NULL, now(), 1, 'day', 'UTC', '2022-01-01', '2022-01-02');
SELECT reports_internal.heatmap_combine(NULL, NULL);
SELECT reports_internal.histogram_combine('\x01'::bytea, '\x02'::bytea);
SELECT reports_internal.series_combine(NULL, NULL);
-- Final functions fed bogus states: a clean ERROR, no crash.
SELECT reports_internal.histogram_final('\x0102'::bytea);
SELECT reports_internal.heatmap_final('\x0102'::bytea);
SELECT reports_internal.series_final('\x0102'::bytea);
SELECT reports_internal.heatmap_final(''::bytea);
SELECT reports_internal.histogram_final(decode(repeat('ff', 4096), 'hex'));
SELECT reports_internal.series_final(decode(repeat('00', 4096), 'hex'));

-- 8. The error codes are specific SQLSTATEs, never internal_error (XX000).
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END
$$;
SELECT pg_temp.sqlstate_of(q) AS sqlstate, q
FROM unnest(array[
    $q$SELECT reports.bucket_start(now(), 'fortnight', 'UTC')$q$,
    $q$SELECT reports.bucket_start(now(), 'week', 'UTC', 'tuesday')$q$,
    $q$SELECT reports.bucket_start(now(), 'day', 'Mars/Olympus_Mons')$q$,
    $q$SELECT reports.business_seconds(now(), now(), '{1980,2460,3420}', 'UTC')$q$,
    $q$SELECT reports.business_seconds(now(), now(), '{1980,2460,2400,3000}', 'UTC')$q$,
    $q$SELECT reports.business_seconds(now(), now(), '{1980,NULL}', 'UTC')$q$,
    $q$SELECT reports.business_seconds('-infinity', now(), '{1980,2460}', 'UTC')$q$,
    $q$SELECT reports.histogram_agg(1, '{2,1}')$q$,
    $q$SELECT reports.histogram_agg(1, NULL)$q$,
    $q$SELECT reports.series_agg(now(), 1, 'day', 'UTC', '2022-01-04', '2022-01-03')$q$,
    $q$SELECT reports.series_agg(now(), 1, 'hour', 'UTC', '2000-01-01', '2020-01-01')$q$,
    $q$SELECT reports.series_agg(now(), 1, 'day', NULL, '2022-01-01', '2022-01-03')$q$,
    $q$SELECT reports_internal.heatmap_sfunc(NULL, now(), 'UTC')$q$,
    $q$SELECT reports_internal.histogram_final('\x0102'::bytea)$q$]) q;

-- 9. The backend is still alive and the functions still work.
SELECT 1 AS alive;
SELECT reports.bucket_start('2022-03-13 12:00 America/New_York', 'day', 'America/New_York') AS still_working,
       reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,2460}', 'UTC') AS business;
-- A bucket that would start before the first representable timestamp is an error, not a value
-- that can be stored but never displayed.
SELECT reports.bucket_start('4713-01-01 00:00Z BC', 'year', 'America/New_York');
SELECT reports.bucket_start('4714-11-24 00:00Z BC', 'week', 'UTC');
-- The whole timestamp range open all week: exactly its length in seconds (no 64-bit overflow).
SELECT reports.business_seconds('4714-11-24 00:00Z BC', '294276-12-31 23:59:59Z', '{0,10080}', 'UTC')
     = extract(epoch FROM '294276-12-31 23:59:59Z'::timestamptz) - extract(epoch FROM '4714-11-24 00:00Z BC'::timestamptz) AS whole_range_exact;
SELECT 1 AS still_alive;
