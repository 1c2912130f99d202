-- heatmap_agg, histogram_agg and series_agg against independent plain SQL; NULLs, empty input,
-- GROUP BY, window use, and parallel (partial + combine) plans with the same result as serial ones.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- 200k rows over the New York year 2022 (both DST changes), deterministic pseudo-random values;
-- a few NULL timestamps and values. A regular table: temporary tables are not scanned in parallel.
CREATE TABLE agg_events AS
SELECT g AS id,
       CASE WHEN g % 1000 = 0 THEN NULL
            ELSE '2022-01-01 05:00Z'::timestamptz + make_interval(secs => abs(hashint4(g)) % (365 * 86400)) END AS created_at,
       CASE WHEN g % 997 = 0 THEN NULL ELSE (abs(hashint4(g + 7)) % 100000)::float8 END AS value,
       g % 7 AS grp
FROM generate_series(1, 200000) g;
ANALYZE agg_events;
SELECT count(*) AS rows, count(created_at) AS with_ts, count(value) AS with_value,
       min(created_at) AS first, max(created_at) AS last
FROM agg_events;

-- Reference bucket start: date_trunc in the zone (weeks start on Sunday).
CREATE FUNCTION pg_temp.ref_bucket(ts timestamptz, period text, tz text) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN period = 'week'
                THEN (date_trunc('week', (ts AT TIME ZONE tz) + interval '1 day') - interval '1 day') AT TIME ZONE tz
                ELSE date_trunc(period, ts AT TIME ZONE tz) AT TIME ZONE tz END
$$;

-- 1. heatmap_agg = count(*) GROUP BY local day of week and hour, in New York.
CREATE TEMP TABLE agg_heatmap AS
SELECT reports.heatmap_agg(created_at, 'America/New_York') AS h FROM agg_events;
SELECT array_length(h, 1) AS cells, (SELECT sum(x) FROM unnest(h) x) AS total,
       (SELECT count(*) FROM unnest(h) x WHERE x > 0) AS nonzero_cells,
       (SELECT count(*)
        FROM generate_series(0, 167) i
        LEFT JOIN (SELECT (extract(dow FROM created_at AT TIME ZONE 'America/New_York') * 24
                           + extract(hour FROM created_at AT TIME ZONE 'America/New_York'))::int AS idx,
                          count(*) AS c
                   FROM agg_events WHERE created_at IS NOT NULL GROUP BY 1) r ON r.idx = i
        WHERE coalesce(r.c, 0) <> h[i + 1]) AS mismatches
FROM agg_heatmap;
-- In UTC the cells differ (the zone matters).
SELECT reports.heatmap_agg(created_at, 'UTC') <> (SELECT h FROM agg_heatmap) AS utc_differs FROM agg_events;

-- 2. histogram_agg = count(*) FILTER per bucket (first unbounded below, last unbounded above).
CREATE TEMP TABLE agg_hist AS
SELECT reports.histogram_agg(value, '{0,1000,5000,20000,50000,99999}') AS got,
       ARRAY[count(*) FILTER (WHERE value < 0),
             count(*) FILTER (WHERE value >= 0 AND value < 1000),
             count(*) FILTER (WHERE value >= 1000 AND value < 5000),
             count(*) FILTER (WHERE value >= 5000 AND value < 20000),
             count(*) FILTER (WHERE value >= 20000 AND value < 50000),
             count(*) FILTER (WHERE value >= 50000 AND value < 99999),
             count(*) FILTER (WHERE value >= 99999)] AS want,
       count(*) FILTER (WHERE value IN (1000, 5000, 20000, 50000)) AS values_on_edges
FROM agg_events;
SELECT got, got = want AS equal, values_on_edges > 0 AS edges_hit FROM agg_hist;
-- Edges at non-integers, values on both sides of every edge; NaN and infinities.
SELECT reports.histogram_agg(v, '{-0.5,0.5,1.5}') AS got,
       ARRAY[count(*) FILTER (WHERE v < -0.5), count(*) FILTER (WHERE v >= -0.5 AND v < 0.5),
             count(*) FILTER (WHERE v >= 0.5 AND v < 1.5), count(*) FILTER (WHERE v >= 1.5)] AS want
FROM unnest('{-1,-0.5,0,0.5,1,1.5,2,-Infinity,Infinity,NaN}'::float8[]) v;
-- One edge: two buckets.
SELECT reports.histogram_agg(v, '{10}') FROM unnest('{9.999,10,10.001}'::float8[]) v;

-- 3. series_agg = date_trunc(...) GROUP BY, joined with every bucket start in [since, until)
-- (zero-filled), in New York, for hour, day, week and month; two ranges: the whole local year and
-- an odd one (since in the middle of a bucket). Rows outside [since, until) and NULL ts/value are
-- skipped.
CREATE TEMP TABLE agg_series_cases (period text, since timestamptz, until timestamptz);
INSERT INTO agg_series_cases
SELECT p, s, u
FROM unnest(array['hour', 'day', 'week', 'month']) p,
     (VALUES ('2022-01-01 05:00Z'::timestamptz, '2023-01-01 05:00Z'::timestamptz),
             ('2022-02-15 13:13:13Z', '2022-11-20 08:00Z')) r(s, u);
CREATE TEMP TABLE agg_series_got AS
SELECT c.period, c.since, c.until, b.*
FROM agg_series_cases c,
     LATERAL (SELECT reports.series_agg(e.created_at, e.value, c.period, 'America/New_York', c.since, c.until) AS s
              FROM agg_events e) a,
     unnest(a.s) b;
CREATE TEMP TABLE agg_series_want AS
SELECT k.period, k.since, k.until, k.bucket, coalesce(r.count, 0) AS count, coalesce(r.sum, 0) AS sum
FROM (SELECT DISTINCT c.period, c.since, c.until, pg_temp.ref_bucket(x, c.period, 'America/New_York') AS bucket
      FROM agg_series_cases c,
           generate_series(date_trunc('hour', c.since), c.until, '15 minutes') x
      WHERE x < c.until AND x >= c.since OR x = c.since) k
LEFT JOIN (SELECT c.period, c.since, c.until, pg_temp.ref_bucket(e.created_at, c.period, 'America/New_York') AS bucket,
                  count(*) AS count, sum(e.value) AS sum
           FROM agg_series_cases c
           JOIN agg_events e ON e.created_at >= c.since AND e.created_at < c.until AND e.value IS NOT NULL
           GROUP BY 1, 2, 3, 4) r
  ON (r.period, r.since, r.until, r.bucket) = (k.period, k.since, k.until, k.bucket);
SELECT c.period, c.since, c.until,
       (SELECT count(*) FROM agg_series_want w WHERE (w.period, w.since, w.until) = (c.period, c.since, c.until)) AS buckets,
       (SELECT sum(w.count) FROM agg_series_want w WHERE (w.period, w.since, w.until) = (c.period, c.since, c.until)) AS rows,
       (SELECT count(*)
        FROM (SELECT * FROM agg_series_got g WHERE (g.period, g.since, g.until) = (c.period, c.since, c.until)) g
        FULL JOIN (SELECT * FROM agg_series_want w WHERE (w.period, w.since, w.until) = (c.period, c.since, c.until)) w
          ON g.bucket = w.bucket
        WHERE g.bucket IS NULL OR w.bucket IS NULL OR g.count <> w.count OR g.sum <> w.sum) AS mismatches
FROM agg_series_cases c ORDER BY c.since, c.period;
-- Buckets come out in order; around the DST changes the days are 23 and 25 hours long.
SELECT count(*) FILTER (WHERE bucket <= lag) AS out_of_order
FROM (SELECT bucket, lag(bucket) OVER (PARTITION BY period, since ORDER BY ord) AS lag
      FROM (SELECT g.*, row_number() OVER () AS ord FROM agg_series_got g) g) x;
SELECT bucket, hours
FROM (SELECT bucket, extract(epoch FROM lead(bucket) OVER (ORDER BY bucket) - bucket)::int / 3600 AS hours
      FROM agg_series_got WHERE period = 'day' AND since = '2022-01-01 05:00Z') d
WHERE bucket BETWEEN '2022-03-12 00:00Z' AND '2022-03-14 12:00Z'
   OR bucket BETWEEN '2022-11-05 00:00Z' AND '2022-11-07 12:00Z'
ORDER BY bucket;
-- Week starting Monday (the 7-argument form).
SELECT count(*) AS buckets, sum(b.count) AS rows,
       count(*) FILTER (WHERE extract(dow FROM b.bucket AT TIME ZONE 'America/New_York') <> 1) AS not_monday,
       sum(b.count) = (SELECT count(*) FROM agg_events WHERE value IS NOT NULL AND created_at >= '2022-01-01 05:00Z'
                                                        AND created_at < '2023-01-01 05:00Z') AS all_rows
FROM unnest((SELECT reports.series_agg(created_at, value, 'week', 'America/New_York',
                                       '2022-01-01 05:00Z', '2023-01-01 05:00Z', 'monday') FROM agg_events)) b;
-- Hand-checked: 3 rows, one outside the range, one NULL value; buckets from the one containing since.
SELECT * FROM unnest((
    SELECT reports.series_agg(ts, v, 'day', 'America/New_York', '2022-03-12 12:00Z', '2022-03-15 00:00Z')
    FROM (VALUES ('2022-03-13 04:59Z'::timestamptz, 1.0::float8),   -- Saturday 03-12 23:59 EST
                 ('2022-03-13 05:00Z', 2.5),                        -- Sunday 03-13 00:00 EST
                 ('2022-03-14 03:59Z', 4.0),                        -- Sunday 23:59 EDT
                 ('2022-03-14 04:00Z', NULL),                       -- NULL value: skipped
                 ('2022-03-15 00:00Z', 8.0),                        -- at until: skipped
                 ('2022-03-12 11:59Z', 16.0)) v(ts, v)));           -- before since: skipped

-- 4. NULL inputs are skipped; empty input.
SELECT (SELECT sum(x) FROM unnest(reports.heatmap_agg(ts, 'UTC')) x) AS heatmap_total,
       reports.histogram_agg(v, '{1}') AS histogram,
       reports.series_agg(ts, v, 'day', 'UTC', '2022-01-01', '2022-01-03') AS series
FROM (VALUES ('2022-01-01 10:00Z'::timestamptz, 1::float8), (NULL, 2), ('2022-01-02 10:00Z', NULL), (NULL, NULL)) x(ts, v);
-- Only NULLs: the heatmap is 168 zeros, the histogram counts nothing.
SELECT (SELECT count(*) FROM unnest(reports.heatmap_agg(ts, 'UTC')) x WHERE x = 0) AS heatmap_zero_cells,
       reports.histogram_agg(v, '{1}') AS histogram
FROM (VALUES (NULL::timestamptz, NULL::float8), (NULL, NULL)) x(ts, v);
SELECT array_length(h, 1) AS heatmap_cells, (SELECT count(*) FROM unnest(h) x WHERE x = 0) AS zero_cells,
       hist IS NULL AS histogram_null, series IS NULL AS series_null
FROM (SELECT reports.heatmap_agg(created_at, 'UTC') AS h,
             reports.histogram_agg(value, '{1,2}') AS hist,
             reports.series_agg(created_at, value, 'day', 'UTC', '2022-01-01', '2022-02-01') AS series
      FROM agg_events WHERE false) e;

-- 5. GROUP BY with several groups, each against its plain-SQL counterpart.
SELECT grp,
       (SELECT sum(x) FROM unnest(reports.heatmap_agg(created_at, 'Europe/Berlin')) x) = count(created_at) AS heatmap_total_ok,
       reports.histogram_agg(value, '{50000}')
           = ARRAY[count(*) FILTER (WHERE value < 50000), count(*) FILTER (WHERE value >= 50000)] AS histogram_ok,
       (SELECT sum(b.count) FROM unnest(reports.series_agg(created_at, value, 'month', 'Europe/Berlin',
                                                            '2022-01-01', '2023-01-01')) b)
           = count(*) FILTER (WHERE value IS NOT NULL AND created_at >= '2022-01-01' AND created_at < '2023-01-01') AS series_total_ok
FROM agg_events GROUP BY grp ORDER BY grp;
-- Per group and cell, the heatmap against count(*) GROUP BY grp, dow, hour.
SELECT count(*) AS cells_compared, count(*) FILTER (WHERE coalesce(r.c, 0) <> g.h[i + 1]) AS mismatches
FROM (SELECT grp, reports.heatmap_agg(created_at, 'Europe/Berlin') AS h FROM agg_events GROUP BY grp) g
CROSS JOIN generate_series(0, 167) i
LEFT JOIN (SELECT grp, (extract(dow FROM created_at AT TIME ZONE 'Europe/Berlin') * 24
                        + extract(hour FROM created_at AT TIME ZONE 'Europe/Berlin'))::int AS idx, count(*) AS c
           FROM agg_events WHERE created_at IS NOT NULL GROUP BY 1, 2) r ON r.grp = g.grp AND r.idx = i;

-- 6. As window aggregates (OVER (ORDER BY id)): the running results equal plain running counts.
CREATE TEMP TABLE agg_window AS
SELECT id, created_at, value,
       reports.heatmap_agg(created_at, 'America/New_York') OVER w AS h,
       count(created_at) OVER w AS running_ts,
       count(*) OVER (PARTITION BY (extract(dow FROM created_at AT TIME ZONE 'America/New_York') * 24
                                    + extract(hour FROM created_at AT TIME ZONE 'America/New_York'))::int
                      ORDER BY id) AS running_cell,
       reports.histogram_agg(value, '{25000,50000,75000}') OVER w AS hist,
       ARRAY[count(*) FILTER (WHERE value < 25000) OVER w,
             count(*) FILTER (WHERE value >= 25000 AND value < 50000) OVER w,
             count(*) FILTER (WHERE value >= 50000 AND value < 75000) OVER w,
             count(*) FILTER (WHERE value >= 75000) OVER w] AS running_hist,
       reports.series_agg(created_at, value, 'month', 'America/New_York', '2022-01-01 05:00Z', '2023-01-01 05:00Z') OVER w AS series,
       count(*) FILTER (WHERE created_at IS NOT NULL AND value IS NOT NULL) OVER w AS running_series,
       sum(value) FILTER (WHERE created_at IS NOT NULL) OVER w AS running_sum
FROM agg_events WHERE id <= 3000
WINDOW w AS (ORDER BY id);
SELECT count(*) AS rows,
       count(*) FILTER (WHERE (SELECT sum(x) FROM unnest(h) x) <> running_ts) AS heatmap_total_mismatches,
       count(*) FILTER (WHERE created_at IS NOT NULL
                          AND h[(extract(dow FROM created_at AT TIME ZONE 'America/New_York') * 24
                                 + extract(hour FROM created_at AT TIME ZONE 'America/New_York'))::int + 1]
                              <> running_cell) AS heatmap_cell_mismatches,
       count(*) FILTER (WHERE hist IS DISTINCT FROM running_hist) AS histogram_mismatches,
       count(*) FILTER (WHERE (SELECT sum(b.count) FROM unnest(series) b) <> running_series
                           OR (SELECT sum(b.sum) FROM unnest(series) b) <> running_sum) AS series_mismatches
FROM agg_window;

-- 7. Parallel plans: partial aggregates in the workers, combined in the leader.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT reports.heatmap_agg(created_at, 'America/New_York') FROM agg_events;
EXPLAIN (COSTS OFF) SELECT reports.histogram_agg(value, '{0,1000,5000,20000,50000,99999}') FROM agg_events;
EXPLAIN (COSTS OFF)
SELECT reports.series_agg(created_at, value, 'day', 'America/New_York', '2022-01-01 05:00Z', '2023-01-01 05:00Z')
FROM agg_events;
EXPLAIN (COSTS OFF)
SELECT grp, reports.heatmap_agg(created_at, 'UTC'), reports.histogram_agg(value, '{50000}'),
       reports.series_agg(created_at, value, 'week', 'UTC', '2022-01-01', '2023-01-01')
FROM agg_events GROUP BY grp;
CREATE TEMP TABLE agg_parallel AS
SELECT reports.heatmap_agg(created_at, 'America/New_York') AS h,
       reports.histogram_agg(value, '{0,1000,5000,20000,50000,99999}') AS hist,
       reports.series_agg(created_at, value, 'day', 'America/New_York', '2022-01-01 05:00Z', '2023-01-01 05:00Z') AS s
FROM agg_events;
CREATE TEMP TABLE agg_parallel_grouped AS
SELECT grp, reports.heatmap_agg(created_at, 'UTC') AS h, reports.histogram_agg(value, '{50000}') AS hist,
       reports.series_agg(created_at, value, 'week', 'UTC', '2022-01-01', '2023-01-01') AS s
FROM agg_events GROUP BY grp;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT reports.heatmap_agg(created_at, 'America/New_York') FROM agg_events;
CREATE TEMP TABLE agg_serial AS
SELECT reports.heatmap_agg(created_at, 'America/New_York') AS h,
       reports.histogram_agg(value, '{0,1000,5000,20000,50000,99999}') AS hist,
       reports.series_agg(created_at, value, 'day', 'America/New_York', '2022-01-01 05:00Z', '2023-01-01 05:00Z') AS s
FROM agg_events;
CREATE TEMP TABLE agg_serial_grouped AS
SELECT grp, reports.heatmap_agg(created_at, 'UTC') AS h, reports.histogram_agg(value, '{50000}') AS hist,
       reports.series_agg(created_at, value, 'week', 'UTC', '2022-01-01', '2023-01-01') AS s
FROM agg_events GROUP BY grp;
SELECT p.h = s.h AS heatmap_equal, p.hist = s.hist AS histogram_equal,
       p.s::text = s.s::text AS series_equal, array_length(p.s, 1) AS series_buckets,
       p.h = (SELECT h FROM agg_heatmap) AS heatmap_equals_plain_sql,
       p.hist = (SELECT want FROM agg_hist) AS histogram_equals_plain_sql
FROM agg_parallel p, agg_serial s;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE p.h = s.h AND p.hist = s.hist AND p.s::text = s.s::text) AS equal
FROM agg_parallel_grouped p JOIN agg_serial_grouped s USING (grp);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

DROP TABLE agg_events;
