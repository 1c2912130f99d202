-- support_reports: kernels (business hours, buckets) and aggregates.
\echo Use "CREATE EXTENSION support_reports" to load this file. \quit

-- Schema reports (made by CREATE EXTENSION) holds the API and nothing else; the helpers behind it
-- (argument checks, row sources, the rollup's tables and maintenance, aggregate support functions)
-- live here, so that \df reports.* lists what users call.
-- @state begin: created once; update scripts create it where an older version lacks it
CREATE SCHEMA reports_internal;
-- @state end
COMMENT ON SCHEMA reports_internal IS 'support_reports internals: not an API, may change between versions.';

-------------------------------------------------------------------------------------------------
-- Kernels. Each takes its time zone as an explicit argument, so all are IMMUTABLE and PARALLEL
-- SAFE (and can be shipped to other nodes by postgres_fdw or Citus).
-------------------------------------------------------------------------------------------------

CREATE FUNCTION reports.business_seconds(from_ts timestamptz, to_ts timestamptz, schedule int4[], tz text)
RETURNS float8
AS 'MODULE_PATHNAME', 'sr_business_seconds'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION reports.business_seconds(timestamptz, timestamptz, int4[], text) IS
'Seconds of working time in [from_ts, to_ts) (negative when reversed). schedule is a flat list of weekly [start, end) intervals in minutes of the local week (0 = Sunday 00:00, 10080 = next Sunday 00:00); tz is the zone the schedule is read in. Real elapsed seconds: DST days count 23 or 25 hours.';

CREATE FUNCTION reports.bucket_start(ts timestamptz, period text, tz text, week_start text DEFAULT 'sunday')
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'sr_bucket_start'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION reports.bucket_start(timestamptz, text, text, text) IS
'Start of the hour/day/week/month/quarter/year containing ts in zone tz: date_trunc(period, ts AT TIME ZONE tz) AT TIME ZONE tz, with weeks starting on week_start (sunday or monday).';

-- An inbox's working_hours rows as a business_seconds schedule. NULL when working hours are
-- disabled (or the inbox is unknown); open_all_day = the whole day; a 23:59 close = end of day
-- (Chatwoot stores "open all day" as 00:00-23:59).
CREATE FUNCTION reports.week_schedule(inbox_id int)
RETURNS int4[]
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN i.working_hours_enabled THEN
        coalesce((
            -- ordered by interval, then start before end: a day may have several rows (split shifts)
            SELECT array_agg(m ORDER BY w.day_of_week, w.open_all_day DESC, w.open_hour, w.open_minutes, k)
            FROM public.working_hours w
            CROSS JOIN LATERAL (VALUES
                (1, w.day_of_week * 1440 + CASE WHEN w.open_all_day THEN 0
                                                ELSE w.open_hour * 60 + w.open_minutes END),
                (2, w.day_of_week * 1440 + CASE WHEN w.open_all_day THEN 1440
                                                WHEN w.close_hour = 23 AND w.close_minutes = 59 THEN 1440
                                                ELSE w.close_hour * 60 + w.close_minutes END)) AS v(k, m)
            WHERE w.inbox_id = i.id AND NOT w.closed_all_day
        ), '{}'::int4[])
    END
    FROM public.inboxes i
    WHERE i.id = week_schedule.inbox_id
$$;
COMMENT ON FUNCTION reports.week_schedule(int) IS
'The inbox''s working hours as a reports.business_seconds schedule; NULL when working hours are disabled.';

-------------------------------------------------------------------------------------------------
-- Aggregates. States are bytea (a concrete type: no serial functions needed for parallel query,
-- and Citus can push them down); each has a combine function and is PARALLEL SAFE.
-------------------------------------------------------------------------------------------------

CREATE FUNCTION reports_internal.heatmap_sfunc(state bytea, ts timestamptz, tz text) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_heatmap_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports_internal.heatmap_combine(a bytea, b bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_heatmap_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports_internal.heatmap_final(state bytea) RETURNS int8[]
AS 'MODULE_PATHNAME', 'sr_heatmap_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE reports.heatmap_agg(ts timestamptz, tz text) (
    SFUNC = reports_internal.heatmap_sfunc, STYPE = bytea, FINALFUNC = reports_internal.heatmap_final,
    COMBINEFUNC = reports_internal.heatmap_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE reports.heatmap_agg(timestamptz, text) IS
'168 counts of ts, index dow * 24 + hour of its local time in tz (Sunday = 0); NULL ts are skipped.';

CREATE FUNCTION reports_internal.histogram_sfunc(state bytea, value float8, edges float8[]) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_histogram_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports_internal.histogram_combine(a bytea, b bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_histogram_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports_internal.histogram_final(state bytea) RETURNS int8[]
AS 'MODULE_PATHNAME', 'sr_histogram_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE reports.histogram_agg(value float8, edges float8[]) (
    SFUNC = reports_internal.histogram_sfunc, STYPE = bytea, FINALFUNC = reports_internal.histogram_final,
    COMBINEFUNC = reports_internal.histogram_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE reports.histogram_agg(float8, float8[]) IS
'Counts per bucket [edges[i-1], edges[i]): length(edges) + 1 buckets, the first unbounded below and the last unbounded above (NaN counts in the last). NULL values are skipped.';

-- Quantiles: a mergeable sketch of values (DDSketch-style log buckets, every quantile within 1%
-- of percentile_cont's). The aggregate returns the sketch as a compact bytea; sketches of any
-- parts of a set of rows merge into the sketch of the whole (exactly: same bytes).
CREATE FUNCTION reports_internal.quantile_sfunc(state bytea, value float8) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_quantile_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports_internal.quantile_merge_sfunc(state bytea, sketch bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_quantile_merge_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports_internal.quantile_combine(a bytea, b bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_quantile_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports_internal.quantile_final(state bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_quantile_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE reports.quantile_sketch_agg(value float8) (
    SFUNC = reports_internal.quantile_sfunc, STYPE = bytea, FINALFUNC = reports_internal.quantile_final,
    COMBINEFUNC = reports_internal.quantile_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE reports.quantile_sketch_agg(float8) IS
'A quantile sketch of the values (NULL when there are none; NULL values are skipped, NaN and infinities are errors): read it with reports.sketch_quantile, merge sketches with reports.quantile_sketch_merge. Relative error at most 1%; magnitudes below 2.2e-308 count as 0.';
CREATE AGGREGATE reports.quantile_sketch_merge(sketch bytea) (
    SFUNC = reports_internal.quantile_merge_sfunc, STYPE = bytea, FINALFUNC = reports_internal.quantile_final,
    COMBINEFUNC = reports_internal.quantile_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE reports.quantile_sketch_merge(bytea) IS
'The sketch of the union of the values of the sketches (NULL sketches are skipped): the same bytes as quantile_sketch_agg over all their values.';
-- The same union of sketches as quantile_sketch_merge, for a report's many rollup rows: the state
-- is a dense window of counts (internal, so never re-checked), and each merge costs the merged
-- sketch's own buckets rather than the running total's.
CREATE FUNCTION reports_internal.sketch_union_sfunc(state internal, sketch bytea) RETURNS internal
AS 'MODULE_PATHNAME', 'sr_sketch_union_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports_internal.sketch_union_final(state internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_sketch_union_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE reports_internal.sketch_union(sketch bytea) (
    SFUNC = reports_internal.sketch_union_sfunc, STYPE = internal, FINALFUNC = reports_internal.sketch_union_final,
    PARALLEL = SAFE);
CREATE FUNCTION reports.sketch_quantile(sketch bytea, q float8) RETURNS float8
AS 'MODULE_PATHNAME', 'sr_sketch_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION reports.sketch_quantile(bytea, float8) IS
'The q-quantile (0 <= q <= 1) of a sketch, interpolated as percentile_cont does, within 1% of it.';
CREATE FUNCTION reports.sketch_count(sketch bytea) RETURNS bigint
AS 'MODULE_PATHNAME', 'sr_sketch_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION reports.sketch_count(bytea) IS 'The number of values a sketch holds.';

-- @state begin: a type cannot be replaced in place; a changed type is migrated by sql/upgrade/
CREATE TYPE reports.series_bucket AS (bucket timestamptz, count bigint, sum float8);
-- @state end

CREATE FUNCTION reports_internal.series_sfunc(state bytea, ts timestamptz, value float8, period text, tz text,
                                     since timestamptz, until timestamptz) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_series_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports_internal.series_sfunc(state bytea, ts timestamptz, value float8, period text, tz text,
                                     since timestamptz, until timestamptz, week_start text) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_series_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports_internal.series_combine(a bytea, b bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_series_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports_internal.series_final(state bytea) RETURNS reports.series_bucket[]
AS 'MODULE_PATHNAME', 'sr_series_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE reports.series_agg(ts timestamptz, value float8, period text, tz text,
                                    since timestamptz, until timestamptz) (
    SFUNC = reports_internal.series_sfunc, STYPE = bytea, FINALFUNC = reports_internal.series_final,
    COMBINEFUNC = reports_internal.series_combine, PARALLEL = SAFE);
CREATE AGGREGATE reports.series_agg(ts timestamptz, value float8, period text, tz text,
                                    since timestamptz, until timestamptz, week_start text) (
    SFUNC = reports_internal.series_sfunc, STYPE = bytea, FINALFUNC = reports_internal.series_final,
    COMBINEFUNC = reports_internal.series_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE reports.series_agg(timestamptz, float8, text, text, timestamptz, timestamptz) IS
'Dense timeseries in one pass: per bucket (reports.bucket_start) the count and sum of value, zero-filled from the bucket containing since while the bucket start is before until. Rows outside [since, until) and rows with a NULL ts or value are skipped. period, tz, since and until must be the same for every row of a group.';

-- The same aggregates over `timestamp without time zone` read as UTC, which is how Chatwoot stores
-- every timestamp: the reports pass created_at as it is, with no per-row conversion.
CREATE FUNCTION reports_internal.heatmap_sfunc(state bytea, ts timestamp, tz text) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_heatmap_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE reports.heatmap_agg(ts timestamp, tz text) (
    SFUNC = reports_internal.heatmap_sfunc, STYPE = bytea, FINALFUNC = reports_internal.heatmap_final,
    COMBINEFUNC = reports_internal.heatmap_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE reports.heatmap_agg(timestamp, text) IS
'heatmap_agg for a timestamp without time zone that holds UTC (Chatwoot''s convention).';

CREATE FUNCTION reports_internal.series_sfunc(state bytea, ts timestamp, value float8, period text, tz text,
                                     since timestamptz, until timestamptz) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_series_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports_internal.series_sfunc(state bytea, ts timestamp, value float8, period text, tz text,
                                     since timestamptz, until timestamptz, week_start text) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_series_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE reports.series_agg(ts timestamp, value float8, period text, tz text,
                                    since timestamptz, until timestamptz) (
    SFUNC = reports_internal.series_sfunc, STYPE = bytea, FINALFUNC = reports_internal.series_final,
    COMBINEFUNC = reports_internal.series_combine, PARALLEL = SAFE);
CREATE AGGREGATE reports.series_agg(ts timestamp, value float8, period text, tz text,
                                    since timestamptz, until timestamptz, week_start text) (
    SFUNC = reports_internal.series_sfunc, STYPE = bytea, FINALFUNC = reports_internal.series_final,
    COMBINEFUNC = reports_internal.series_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE reports.series_agg(timestamp, float8, text, text, timestamptz, timestamptz) IS
'series_agg for a timestamp without time zone that holds UTC (Chatwoot''s convention).';

CREATE FUNCTION reports.business_seconds(from_ts timestamp, to_ts timestamp, schedule int4[], tz text)
RETURNS float8
AS 'MODULE_PATHNAME', 'sr_business_seconds'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION reports.business_seconds(timestamp, timestamp, int4[], text) IS
'business_seconds for timestamps without time zone that hold UTC (Chatwoot''s convention).';
