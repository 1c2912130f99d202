-- quantile_sketch_agg, quantile_sketch_merge, sketch_quantile, sketch_count against percentile_cont
-- on the same rows (plain SQL), hand-worked values, merge = sketch of the union, parallel plans,
-- NULLs, empty input and bad input.
SET extra_float_digits = 0;

-- 100k rows, 7 groups, deterministic pseudo-random durations spread over seven orders of
-- magnitude (seconds to months), a few zeros and NULLs. A regular table: scanned in parallel below.
CREATE TABLE q_events AS
SELECT g AS id, g % 7 AS grp,
       CASE WHEN g % 991 = 0 THEN NULL
            WHEN g % 499 = 0 THEN 0
            ELSE round(exp((abs(hashint4(g)) % 1000000) / 1000000.0 * 16)::numeric, 3)::float8 END AS value
FROM generate_series(1, 100000) g;
ANALYZE q_events;

-- 1. Every quantile within 1% of percentile_cont, per group and overall.
CREATE TEMP TABLE q_cmp AS
SELECT s.grp, q.q, reports.sketch_quantile(s.sketch, q.q) AS got, q.want
FROM (SELECT grp, reports.quantile_sketch_agg(value) AS sketch,
             percentile_cont('{0,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,1}'::float8[]) WITHIN GROUP (ORDER BY value) AS exact
      FROM q_events GROUP BY grp
      UNION ALL
      SELECT NULL, reports.quantile_sketch_agg(value),
             percentile_cont('{0,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,1}'::float8[]) WITHIN GROUP (ORDER BY value)
      FROM q_events) s
CROSS JOIN unnest('{0,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,1}'::float8[], s.exact) q(q, want);
SELECT count(*) AS compared,
       count(*) FILTER (WHERE abs(got - want) <= 0.01 * abs(want)) AS within_1pct,
       max(abs(got - want) / nullif(abs(want), 0)) < 0.01 AS max_error_below_1pct,
       count(*) FILTER (WHERE got = want) < count(*) AS not_simply_exact
FROM q_cmp;
-- sketch_count = count(value)
SELECT grp, reports.sketch_count(reports.quantile_sketch_agg(value)) = count(value) AS count_ok
FROM q_events GROUP BY grp ORDER BY grp;

-- 2. Hand-worked: 1..5 -> median 3, p90 4.6, p0 1, p100 5 (each within 1%).
SELECT q, reports.sketch_quantile(s, q) AS got, want,
       abs(reports.sketch_quantile(s, q) - want) <= 0.01 * want AS within_1pct
FROM (SELECT reports.quantile_sketch_agg(v) AS s FROM unnest('{5,1,4,2,3}'::float8[]) v) x
CROSS JOIN (VALUES (0.0::float8, 1.0::float8), (0.5, 3), (0.9, 4.6), (1, 5)) w(q, want);
-- Zeros are exact, large values keep their relative error, negatives sort below zero.
SELECT reports.sketch_quantile(reports.quantile_sketch_agg(v), 0.5) AS median_of_zeros
FROM unnest('{0,0,0,7}'::float8[]) v;
SELECT abs(reports.sketch_quantile(reports.quantile_sketch_agg(v), 1) - 1e300) <= 1e298 AS huge_ok,
       abs(reports.sketch_quantile(reports.quantile_sketch_agg(v), 0) + 50) <= 0.5 AS negative_ok
FROM unnest('{1e300,-50,0,1}'::float8[]) v;

-- 3. Merging per-group sketches gives the bytes of the sketch over all rows (any grouping).
SELECT (SELECT reports.quantile_sketch_merge(s) FROM (SELECT reports.quantile_sketch_agg(value) s FROM q_events GROUP BY grp) g)
       = (SELECT reports.quantile_sketch_agg(value) FROM q_events) AS merge_by_grp_equal,
       (SELECT reports.quantile_sketch_merge(s ORDER BY k DESC)
        FROM (SELECT id % 100 AS k, reports.quantile_sketch_agg(value) s FROM q_events GROUP BY 1) g)
       = (SELECT reports.quantile_sketch_agg(value) FROM q_events) AS merge_of_100_equal,
       (SELECT reports.quantile_sketch_merge(s) FROM (SELECT reports.quantile_sketch_merge(s) s
            FROM (SELECT id % 100 AS k, reports.quantile_sketch_agg(value) s FROM q_events GROUP BY 1) a
            GROUP BY k % 3) b)
       = (SELECT reports.quantile_sketch_agg(value) FROM q_events) AS merge_of_merges_equal;
-- Compact: 100k values of sixteen e-folds in a few kilobytes.
SELECT octet_length(reports.quantile_sketch_agg(value)) < 4096 AS compact FROM q_events;

-- 4. Parallel plans (partial states + combine) give the same bytes as a serial plan.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT reports.quantile_sketch_agg(value) FROM q_events;
CREATE TEMP TABLE q_parallel AS
SELECT (SELECT reports.quantile_sketch_agg(value) FROM q_events) AS whole,
       (SELECT reports.quantile_sketch_merge(s) FROM (SELECT reports.quantile_sketch_agg(value) AS s FROM q_events GROUP BY grp) g) AS merged;
SET max_parallel_workers_per_gather = 0;
SELECT p.whole = s.whole AS parallel_equals_serial, p.merged = s.whole AS parallel_merge_equals_serial
FROM q_parallel p, (SELECT reports.quantile_sketch_agg(value) AS whole FROM q_events) s;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- 5. NULLs and empty input: no sketch; NULL sketches are skipped by the merge.
SELECT reports.quantile_sketch_agg(v) IS NULL AS all_null FROM unnest('{NULL,NULL}'::float8[]) v;
SELECT reports.quantile_sketch_agg(value) IS NULL AS empty FROM q_events WHERE false;
SELECT reports.quantile_sketch_merge(s) IS NULL AS merge_of_nulls FROM (VALUES (NULL::bytea), (NULL)) x(s);
SELECT reports.sketch_quantile(reports.quantile_sketch_merge(s), 0.5) AS merge_skips_null
FROM (VALUES (NULL::bytea), ((SELECT reports.quantile_sketch_agg(7)))) x(s);
SELECT reports.sketch_quantile(NULL, 0.5) IS NULL AS null_sketch, reports.sketch_quantile(reports.quantile_sketch_agg(1), NULL) IS NULL AS null_q
FROM (VALUES (1)) x;

-- 6. Bad input: a clear ERROR naming it.
SELECT reports.quantile_sketch_agg(v) FROM unnest('{1,NaN}'::float8[]) v;
SELECT reports.quantile_sketch_agg(v) FROM unnest('{1,Infinity}'::float8[]) v;
SELECT reports.sketch_quantile(reports.quantile_sketch_agg(1), 1.5);
SELECT reports.sketch_quantile(reports.quantile_sketch_agg(1), -0.1);
SELECT reports.sketch_quantile(reports.quantile_sketch_agg(1), 'NaN');
SELECT reports.sketch_quantile('\x', 0.5);
SELECT reports.sketch_quantile('\x0102020401', 0.5);
SELECT reports.sketch_count('\x0201020301');
SELECT reports.quantile_sketch_merge(s) FROM (VALUES ('\x01ff'::bytea)) x(s);
-- a hand-made sketch whose counts do not add up to its total
SELECT reports.sketch_quantile('\x01050182900801', 0.5);
SELECT reports_internal.quantile_sfunc(NULL, 1);
SELECT reports_internal.quantile_final('\x00000000');
DROP TABLE q_events;
