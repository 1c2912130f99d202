-- Benchmark helpers, loaded into the benchmark database by bench/run (not part of the extension).
CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE IF NOT EXISTS bench.meta (key text PRIMARY KEY, value text);

-- Runs a query `runs` times after one warm-up run and returns the median wall time in ms.
CREATE OR REPLACE FUNCTION bench.median_ms(q text, runs int DEFAULT 5)
RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    times float8[] := '{}';
    n bigint;
BEGIN
    -- Run to completion with EXECUTE ... INTO (a FOR loop over EXECUTE is a cursor, and cursors
    -- never get parallel plans). The whole-row test keeps the planner from dropping output
    -- columns the count alone would not need (and with them the aggregates under test).
    EXECUTE 'SELECT count(*) FROM (' || q || ') bench_q WHERE bench_q IS DISTINCT FROM NULL' INTO n;  -- warm-up
    FOR i IN 1..runs LOOP
        t0 := clock_timestamp();
        EXECUTE 'SELECT count(*) FROM (' || q || ') bench_q WHERE bench_q IS DISTINCT FROM NULL' INTO n;
        times := times || extract(epoch FROM clock_timestamp() - t0) * 1000;
    END LOOP;
    RETURN (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(times) t);
END
$$;

-- The plain-SQL business-hours computation a competent SQL user would write: a loop over the
-- local days of the span, intersecting each day's opening hours with the span.
CREATE OR REPLACE FUNCTION bench.business_seconds_plpgsql(from_ts timestamptz, to_ts timestamptz,
                                                          schedule int4[], tz text)
RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    d date := (from_ts AT TIME ZONE tz)::date;
    last_day date := (to_ts AT TIME ZONE tz)::date;
    total float8 := 0;
    dow int;
    i int;
    s timestamptz;
    e timestamptz;
BEGIN
    WHILE d <= last_day LOOP
        dow := extract(dow FROM d)::int;
        i := 1;
        WHILE i < cardinality(schedule) LOOP
            IF schedule[i] / 1440 = dow THEN
                s := (d + make_interval(mins => schedule[i] % 1440)) AT TIME ZONE tz;
                e := (d + make_interval(mins => schedule[i + 1] - dow * 1440)) AT TIME ZONE tz;
                s := greatest(s, from_ts);
                e := least(e, to_ts);
                IF e > s THEN total := total + extract(epoch FROM e - s); END IF;
            END IF;
            i := i + 2;
        END LOOP;
        d := d + 1;
    END LOOP;
    RETURN total;
END
$$;
