-- pg_temp.median_ms(sql, runs): the median server time of a query in ms, after one warm-up run
-- (included by bench/dashboard.sql and bench/summary_metrics.sql).
CREATE FUNCTION pg_temp.median_ms(q text, runs int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    ms float8[] := '{}';
BEGIN
    EXECUTE 'SELECT count(*) FROM (' || q || ') x';  -- warm-up
    FOR i IN 1..runs LOOP
        t0 := clock_timestamp();
        EXECUTE 'SELECT count(*) FROM (' || q || ') x';
        ms := ms || extract(epoch FROM clock_timestamp() - t0)::float8 * 1000;
    END LOOP;
    RETURN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(ms) x);
END
$$;
