-- ==== 10_kernels.sql ====
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

-- ==== 20_history.sql ====
-------------------------------------------------------------------------------------------------
-- Status history and business hours: what Chatwoot does not record, and how the extension keeps
-- value_in_business_hours filled.
-------------------------------------------------------------------------------------------------

-- Chatwoot keeps only a conversation's current status. This table records every change, so that
-- resolution times can leave out the time a conversation spent pending or snoozed.
-- @state begin: history that cannot be rebuilt; kept by every update
CREATE TABLE reports.conversation_status_changes (
    id              bigserial PRIMARY KEY,
    account_id      int       NOT NULL,
    conversation_id int       NOT NULL,
    status          int       NOT NULL,  -- the status entered: open 0, resolved 1, pending 2, snoozed 3
    previous_status int,                 -- NULL for the status a conversation was created with
    changed_at      timestamp NOT NULL   -- UTC, as all Chatwoot timestamps
);
CREATE INDEX conversation_status_changes_conversation ON reports.conversation_status_changes (conversation_id, changed_at);
CREATE INDEX conversation_status_changes_account ON reports.conversation_status_changes (account_id, changed_at);
SELECT pg_catalog.pg_extension_config_dump('reports.conversation_status_changes', '');
SELECT pg_catalog.pg_extension_config_dump('reports.conversation_status_changes_id_seq', '');
-- @state end
COMMENT ON TABLE reports.conversation_status_changes IS
'Every status change of public.conversations, recorded by the trigger reports_internal.record_status_change (install with reports.install_triggers()).';

CREATE FUNCTION reports_internal.record_status_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO reports.conversation_status_changes (account_id, conversation_id, status, previous_status, changed_at)
        VALUES (NEW.account_id, NEW.id, NEW.status,
                CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END,
                -- Chatwoot bumps updated_at with every status change; the resolution event uses it too.
                CASE WHEN TG_OP = 'UPDATE' AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at
                     THEN (now() AT TIME ZONE 'UTC') ELSE NEW.updated_at END);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION reports_internal.record_status_change() IS
'AFTER INSERT OR UPDATE OF status trigger on public.conversations: appends to reports.conversation_status_changes.';

-- Pending and snoozed time inside each conversation_resolved event, recorded once (by the trigger
-- below when the event is inserted, or by reports.rebuild_event_waits after a bulk load) so that
-- reports subtract it with a hash join on a small table instead of replaying status history.
-- @state begin: recorded waits; kept by every update
CREATE TABLE reports.event_waits (
    event_id              bigint    PRIMARY KEY,  -- reporting_events.id
    account_id            int       NOT NULL,
    created_at            timestamp NOT NULL,     -- the event's created_at (reports filter on it)
    wait_seconds          float8    NOT NULL,     -- wall-clock seconds pending or snoozed
    wait_business_seconds float8    NOT NULL      -- the same in the inbox's working hours
);
CREATE INDEX event_waits_account ON reports.event_waits (account_id, created_at);
SELECT pg_catalog.pg_extension_config_dump('reports.event_waits', '');
-- @state end
COMMENT ON TABLE reports.event_waits IS
'Pending/snoozed time within each conversation_resolved event (rows only where there was some); subtracted from resolution times by every report.';

-- Business seconds of an event as Chatwoot stores them: rounded half away from zero to whole
-- seconds, 0 when the inbox has working hours disabled.
CREATE FUNCTION reports_internal.event_business_seconds(start_at timestamp, end_at timestamp, schedule int4[], tz text)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- Each argument is used once, so the planner inlines this into the calling query (a SQL
    -- function it cannot inline costs a function-executor start-up per row).
    SELECT round(reports.business_seconds(start_at, end_at, coalesce(schedule, '{}'), coalesce(tz, 'UTC'))::numeric)::float8
$$;
COMMENT ON FUNCTION reports_internal.event_business_seconds(timestamp, timestamp, int4[], text) IS
'Business seconds of an event as Chatwoot stores them: rounded half away from zero, 0 when the inbox has working hours disabled (NULL schedule), NULL when a time is missing.';

CREATE FUNCTION reports.fill_business_hours() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_schedule int4[];
    v_tz text;
BEGIN
    IF NEW.value_in_business_hours IS NULL AND NEW.event_start_time IS NOT NULL AND NEW.event_end_time IS NOT NULL THEN
        SELECT reports.week_schedule(i.id), i.timezone INTO v_schedule, v_tz
        FROM public.inboxes i WHERE i.id = NEW.inbox_id;
        NEW.value_in_business_hours := reports_internal.event_business_seconds(NEW.event_start_time, NEW.event_end_time, v_schedule, v_tz);
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION reports.fill_business_hours() IS
'BEFORE INSERT trigger on public.reporting_events: fills value_in_business_hours when NULL, from event_start_time/event_end_time and the inbox''s working hours.';

CREATE FUNCTION reports.refresh_business_hours(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_covered timestamp;
    v_count bigint;
BEGIN
    IF refresh_business_hours.account_id IS NULL THEN
        RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004';
    END IF;
    PERFORM reports_internal.check_range(refresh_business_hours.since, refresh_business_hours.until, false);
    -- Marks for the rollup come from this function, one per changed hour the rollup covers (the
    -- row triggers stand aside); holding the rollup state keeps a refresh from running meanwhile.
    SELECT s.covered_until INTO v_covered FROM reports.rollup_state s FOR SHARE;
    PERFORM set_config('reports.bulk_marking', 'on', true);
    -- One set-based UPDATE: schedules are computed once per inbox, then joined.
    -- MATERIALIZED: week_schedule runs once per inbox, not once per event.
    WITH sched AS MATERIALIZED (
        SELECT i.id, reports.week_schedule(i.id) AS schedule, i.timezone
        FROM public.inboxes i WHERE i.account_id = refresh_business_hours.account_id
    )
    , changed AS (
    UPDATE public.reporting_events e
    SET value_in_business_hours = reports_internal.event_business_seconds(e.event_start_time, e.event_end_time, s.schedule, s.timezone)
    FROM sched s
    WHERE e.account_id = refresh_business_hours.account_id
      AND s.id = e.inbox_id
      AND e.event_start_time IS NOT NULL AND e.event_end_time IS NOT NULL
      -- Chatwoot stores a literal 0 (not the business time of its span) for a reopening without
      -- an earlier resolution; keep it.
      AND NOT (e.name = 'conversation_opened' AND e.value = 0)
      AND (refresh_business_hours.since IS NULL OR e.created_at >= refresh_business_hours.since AT TIME ZONE 'UTC')
      AND (refresh_business_hours.until IS NULL OR e.created_at < refresh_business_hours.until AT TIME ZONE 'UTC')
      AND e.value_in_business_hours IS DISTINCT FROM
          reports_internal.event_business_seconds(e.event_start_time, e.event_end_time, s.schedule, s.timezone)
    RETURNING e.account_id, e.created_at
    ), marked AS (
        INSERT INTO reports_internal.rollup_dirty (account_id, hour)
        SELECT DISTINCT c.account_id, date_trunc('hour', c.created_at) FROM changed c
        WHERE c.created_at < v_covered
    )
    SELECT count(*) INTO v_count FROM changed;
    PERFORM set_config('reports.bulk_marking', 'off', true);
    -- The pending/snoozed time subtracted from resolutions is measured in the same working hours.
    PERFORM reports.rebuild_event_waits(refresh_business_hours.account_id, refresh_business_hours.since,
                                        refresh_business_hours.until);
    RETURN v_count;
END
$$;
COMMENT ON FUNCTION reports.refresh_business_hours(int, timestamptz, timestamptz) IS
'Recomputes reporting_events.value_in_business_hours of an account (optionally only events created in [since, until)) after a working-hours change; returns the number of rows changed.';

-- Recomputes reports.event_waits of an account (optionally only events created in [since, until))
-- from the recorded status history, set-based; returns the number of events with waits. Use it
-- after loading status history or events in bulk.
CREATE FUNCTION reports.rebuild_event_waits(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_since timestamp := coalesce(rebuild_event_waits.since AT TIME ZONE 'UTC', '-infinity');
    v_until timestamp := coalesce(rebuild_event_waits.until AT TIME ZONE 'UTC', 'infinity');
    v_covered timestamp;
    v_count bigint;
BEGIN
    IF rebuild_event_waits.account_id IS NULL THEN
        RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004';
    END IF;
    PERFORM reports_internal.check_range(rebuild_event_waits.since, rebuild_event_waits.until, false);
    -- The rollup's marks, one per hour with a resolution rather than one per wait row (the row
    -- triggers stand aside), and only for hours the rollup covers: holding the rollup state
    -- keeps a refresh from running meanwhile (see 35_rollup.sql).
    SELECT s.covered_until INTO v_covered FROM reports.rollup_state s FOR SHARE;
    PERFORM set_config('reports.bulk_marking', 'on', true);
    INSERT INTO reports_internal.rollup_dirty (account_id, hour)
    SELECT DISTINCT e.account_id, date_trunc('hour', e.created_at) FROM public.reporting_events e
    WHERE e.account_id = rebuild_event_waits.account_id AND e.name = 'conversation_resolved'
      AND e.created_at >= v_since AND e.created_at < v_until AND e.created_at < v_covered;
    DELETE FROM reports.event_waits w
    WHERE w.account_id = rebuild_event_waits.account_id AND w.created_at >= v_since AND w.created_at < v_until;
    INSERT INTO reports.event_waits (event_id, account_id, created_at, wait_seconds, wait_business_seconds)
    SELECT e.id, e.account_id, e.created_at, r.wait_seconds, r.wait_business_seconds
    FROM reports_internal.resolution_waits(rebuild_event_waits.account_id, v_since, v_until) r
    JOIN public.reporting_events e ON e.id = r.event_id
    WHERE r.wait_seconds > 0;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    PERFORM set_config('reports.bulk_marking', 'off', true);
    RETURN v_count;
END
$$;

CREATE FUNCTION reports_internal.record_event_wait() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name = 'conversation_resolved' AND NEW.event_start_time IS NOT NULL AND NEW.event_end_time IS NOT NULL THEN
        -- The same computation as rebuild_event_waits, narrowed to this event's conversation.
        INSERT INTO reports.event_waits (event_id, account_id, created_at, wait_seconds, wait_business_seconds)
        SELECT NEW.id, NEW.account_id, NEW.created_at, r.wait_seconds, r.wait_business_seconds
        FROM reports_internal.resolution_waits(NEW.account_id, NEW.created_at, NEW.created_at + interval '1 microsecond',
                                      NEW.conversation_id) r
        WHERE r.event_id = NEW.id AND r.wait_seconds > 0
        ON CONFLICT (event_id) DO UPDATE
            SET wait_seconds = EXCLUDED.wait_seconds, wait_business_seconds = EXCLUDED.wait_business_seconds;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION reports_internal.record_event_wait() IS
'AFTER INSERT trigger on public.reporting_events: records the pending/snoozed time of a conversation_resolved event in reports.event_waits.';

-- TRUNCATE of messages fires no row triggers: the counts go with it.
CREATE FUNCTION reports_internal.clear_agent_messages() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM reports.conversation_agent_messages;
    RETURN NULL;
END
$$;

-- Each conversation's public agent messages: outgoing, non-private, sent by a User (not a bot).
-- One-touch resolution asks this of every conversation resolved in a range, over the
-- conversation's whole life; kept by a trigger on messages (reports.rebuild_agent_messages after a
-- bulk load), it is one hash join for the reports instead of a probe of messages per conversation.
-- @state begin: counts kept by triggers; an update creates the table and the install's rebuild fills it
CREATE TABLE reports.conversation_agent_messages (
    conversation_id int    PRIMARY KEY,
    account_id      int    NOT NULL,
    messages        bigint NOT NULL
);
SELECT pg_catalog.pg_extension_config_dump('reports.conversation_agent_messages', '');
-- @state end
COMMENT ON TABLE reports.conversation_agent_messages IS
'Per conversation, its outgoing non-private messages sent by a User (agents, not bots), kept by the trigger reports_agent_messages on public.messages; read by one_touch_resolution_rate.';

-- Whether a message is a public agent message (the rows conversation_agent_messages counts).
CREATE FUNCTION reports_internal.is_agent_message(message_type int, private bool, sender_type text)
RETURNS bool
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(message_type = 1 AND private IS NOT TRUE AND sender_type = 'User', false)
$$;

-- A count that reaches or leaves 1 changes whether the conversation's resolutions are one-touch:
-- their rolled-up hours are marked changed.
CREATE FUNCTION reports_internal.count_agent_message() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_after bigint;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.conversation_id IS NOT NULL
       AND reports_internal.is_agent_message(OLD.message_type, OLD.private, OLD.sender_type) THEN
        UPDATE reports.conversation_agent_messages c SET messages = c.messages - 1
        WHERE c.conversation_id = OLD.conversation_id
        RETURNING c.messages INTO v_after;
        IF v_after IN (0, 1) THEN
            PERFORM reports_internal.mark_one_touch_hours(OLD.conversation_id);
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.conversation_id IS NOT NULL AND NEW.account_id IS NOT NULL
       AND reports_internal.is_agent_message(NEW.message_type, NEW.private, NEW.sender_type) THEN
        INSERT INTO reports.conversation_agent_messages AS c (conversation_id, account_id, messages)
        VALUES (NEW.conversation_id, NEW.account_id, 1)
        ON CONFLICT (conversation_id) DO UPDATE SET messages = c.messages + 1
        RETURNING c.messages INTO v_after;
        IF v_after IN (1, 2) THEN
            PERFORM reports_internal.mark_one_touch_hours(NEW.conversation_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION reports_internal.count_agent_message() IS
'AFTER trigger on public.messages: keeps reports.conversation_agent_messages.';

-- Recounts conversation_agent_messages from public.messages (all accounts, or one): after a bulk
-- load with the triggers off, and by CREATE EXTENSION for the messages already there.
CREATE FUNCTION reports.rebuild_agent_messages(account_id int DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_count bigint;
BEGIN
    IF to_regclass('public.messages') IS NULL THEN
        RETURN 0;
    END IF;
    DELETE FROM reports.conversation_agent_messages c
    WHERE rebuild_agent_messages.account_id IS NULL OR c.account_id = rebuild_agent_messages.account_id;
    INSERT INTO reports.conversation_agent_messages (conversation_id, account_id, messages)
    SELECT m.conversation_id, min(m.account_id), count(*) FROM public.messages m
    WHERE (rebuild_agent_messages.account_id IS NULL OR m.account_id = rebuild_agent_messages.account_id)
      AND m.conversation_id IS NOT NULL AND m.account_id IS NOT NULL
      AND reports_internal.is_agent_message(m.message_type, m.private, m.sender_type)
    GROUP BY m.conversation_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    -- Which resolutions are one-touch may have changed anywhere: every rolled-up hour with
    -- resolutions of the account is read raw until the next refresh.
    INSERT INTO reports_internal.rollup_dirty (account_id, hour)
    SELECT DISTINCT r.account_id, r.hour FROM reports_internal.rollup r
    JOIN reports_internal.metric m ON m.name = r.metric AND m.source = 'events'
                                  AND m.event_name IN (SELECT o.event_name FROM reports_internal.metric o WHERE o.one_touch)
    WHERE r.grain = 'h' AND r.dim = 'a'
      AND (rebuild_agent_messages.account_id IS NULL OR r.account_id = rebuild_agent_messages.account_id);
    RETURN v_count;
END
$$;
COMMENT ON FUNCTION reports.rebuild_agent_messages(int) IS
'Recounts reports.conversation_agent_messages (public agent messages per conversation) from public.messages, for every account or one; returns the conversations counted.';

-- Installs the triggers on Chatwoot's tables. Called by CREATE EXTENSION when the tables
-- exist; call it again after creating them later.
CREATE FUNCTION reports.install_triggers() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass('public.conversations') IS NOT NULL THEN
        DROP TRIGGER IF EXISTS reports_status_history ON public.conversations;
        CREATE TRIGGER reports_status_history AFTER INSERT OR UPDATE OF status ON public.conversations
            FOR EACH ROW EXECUTE FUNCTION reports_internal.record_status_change();
    END IF;
    IF to_regclass('public.reporting_events') IS NOT NULL THEN
        DROP TRIGGER IF EXISTS reports_fill_business_hours ON public.reporting_events;
        -- The WHEN clauses repeat the functions' first test, so the usual insert (Chatwoot fills
        -- the business-hours value itself; most events are not resolutions) calls no function.
        CREATE TRIGGER reports_fill_business_hours BEFORE INSERT ON public.reporting_events
            FOR EACH ROW WHEN (NEW.value_in_business_hours IS NULL AND NEW.event_start_time IS NOT NULL
                               AND NEW.event_end_time IS NOT NULL)
            EXECUTE FUNCTION reports.fill_business_hours();
        DROP TRIGGER IF EXISTS reports_event_waits ON public.reporting_events;
        CREATE TRIGGER reports_event_waits AFTER INSERT ON public.reporting_events
            FOR EACH ROW WHEN (NEW.name = 'conversation_resolved')
            EXECUTE FUNCTION reports_internal.record_event_wait();
    END IF;
    IF to_regclass('public.messages') IS NOT NULL THEN
        -- Only agent messages call the function (the WHEN clauses repeat its tests).
        DROP TRIGGER IF EXISTS reports_agent_messages_insert ON public.messages;
        DROP TRIGGER IF EXISTS reports_agent_messages_update ON public.messages;
        DROP TRIGGER IF EXISTS reports_agent_messages_delete ON public.messages;
        DROP TRIGGER IF EXISTS reports_agent_messages_truncate ON public.messages;
        CREATE TRIGGER reports_agent_messages_insert AFTER INSERT ON public.messages FOR EACH ROW
            WHEN (reports_internal.is_agent_message(NEW.message_type, NEW.private, NEW.sender_type))
            EXECUTE FUNCTION reports_internal.count_agent_message();
        CREATE TRIGGER reports_agent_messages_update
            AFTER UPDATE OF message_type, private, sender_type, conversation_id, account_id ON public.messages FOR EACH ROW
            WHEN (reports_internal.is_agent_message(OLD.message_type, OLD.private, OLD.sender_type)
                  OR reports_internal.is_agent_message(NEW.message_type, NEW.private, NEW.sender_type))
            EXECUTE FUNCTION reports_internal.count_agent_message();
        CREATE TRIGGER reports_agent_messages_delete AFTER DELETE ON public.messages FOR EACH ROW
            WHEN (reports_internal.is_agent_message(OLD.message_type, OLD.private, OLD.sender_type))
            EXECUTE FUNCTION reports_internal.count_agent_message();
        CREATE TRIGGER reports_agent_messages_truncate AFTER TRUNCATE ON public.messages FOR EACH STATEMENT
            EXECUTE FUNCTION reports_internal.clear_agent_messages();
    END IF;
    PERFORM reports_internal.install_rollup_triggers();
END
$$;
COMMENT ON FUNCTION reports.install_triggers() IS
'Creates the status-history trigger on public.conversations, the business-hours and event-wait triggers on public.reporting_events, the agent-message count triggers on public.messages, and the rollup''s change-marking triggers (idempotent).';


-- ==== 30_common.sql ====
-------------------------------------------------------------------------------------------------
-- Building blocks shared by the reports: argument checks, scopes, bot inboxes, resolution waits.
-- Every report restricts every table it reads to one account; an id of another account matches
-- nothing.
-------------------------------------------------------------------------------------------------

-- Raises the standard errors for a report's time range. NULL bounds are allowed only where a report
-- documents "no date filter".
CREATE FUNCTION reports_internal.check_range(since timestamptz, until timestamptz, required bool DEFAULT true)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF required AND (since IS NULL OR until IS NULL) THEN
        RAISE EXCEPTION 'invalid %: must not be NULL', CASE WHEN since IS NULL THEN 'since' ELSE 'until' END
            USING ERRCODE = '22004';
    END IF;
    IF since IS NOT NULL AND until IS NOT NULL AND since >= until THEN
        RAISE EXCEPTION 'invalid since: since (%) must be earlier than until (%)', since, until
            USING ERRCODE = '22023';
    END IF;
    IF (since IS NOT NULL AND NOT isfinite(since)) OR (until IS NOT NULL AND NOT isfinite(until)) THEN
        RAISE EXCEPTION 'invalid range: since and until must be finite' USING ERRCODE = '22008';
    END IF;
END
$$;

CREATE FUNCTION reports_internal.check_group_by(group_by text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF group_by IS NULL OR lower(group_by) NOT IN ('hour', 'day', 'week', 'month', 'quarter', 'year') THEN
        RAISE EXCEPTION 'invalid group_by "%"', group_by USING ERRCODE = '22023',
            HINT = 'Valid values are hour, day, week, month, quarter and year.';
    END IF;
END
$$;

CREATE FUNCTION reports_internal.check_scope(scope text, scope_id int)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF scope IS NULL OR scope NOT IN ('account', 'agent', 'inbox', 'team', 'label') THEN
        RAISE EXCEPTION 'invalid scope "%"', scope USING ERRCODE = '22023',
            HINT = 'Valid scopes are account, agent, inbox, team and label.';
    END IF;
    IF scope <> 'account' AND scope_id IS NULL THEN
        RAISE EXCEPTION 'invalid scope_id: scope % needs a scope_id', scope USING ERRCODE = '22004';
    END IF;
END
$$;

-- Whether an agent id is a member of the account (an agent scope of another account matches nothing).
CREATE FUNCTION reports_internal.is_account_user(account_id int, user_id int)
RETURNS bool
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (SELECT 1 FROM public.account_users au
                   WHERE au.account_id = is_account_user.account_id AND au.user_id = is_account_user.user_id)
$$;

-- Inboxes with an active bot: an active agent_bot_inboxes row or an enabled Dialogflow hook.
CREATE FUNCTION reports_internal.bot_inboxes(account_id int)
RETURNS TABLE (inbox_id int)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT i.id FROM public.inboxes i
    WHERE i.account_id = bot_inboxes.account_id
      AND (EXISTS (SELECT 1 FROM public.agent_bot_inboxes b WHERE b.inbox_id = i.id AND b.status = 0)
           OR EXISTS (SELECT 1 FROM public.integrations_hooks h
                      WHERE h.inbox_id = i.id AND h.app_id = 'dialogflow' AND h.status = 1))
$$;

-- Pending and snoozed time inside each conversation_resolved event of an account created in
-- [since, until), from the recorded status history: wall-clock seconds and business seconds (in
-- the inbox's working hours). Events without recorded waits have no row.
CREATE FUNCTION reports_internal.resolution_waits(account_id int, since timestamp, until timestamp,
                                         conversation_id int DEFAULT NULL)
RETURNS TABLE (event_id bigint, wait_seconds float8, wait_business_seconds float8)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH spans AS (
        SELECT h.conversation_id, h.status, h.changed_at AS from_at,
               lead(h.changed_at) OVER (PARTITION BY h.conversation_id ORDER BY h.changed_at, h.id) AS to_at
        FROM reports.conversation_status_changes h
        WHERE h.account_id = resolution_waits.account_id AND h.changed_at < resolution_waits.until
          AND (resolution_waits.conversation_id IS NULL OR h.conversation_id = resolution_waits.conversation_id)
    ), sched AS MATERIALIZED (  -- once per inbox, not per row
        SELECT i.id, reports.week_schedule(i.id) AS schedule, i.timezone
        FROM public.inboxes i WHERE i.account_id = resolution_waits.account_id
    ), waits AS (
        SELECT e.id, e.inbox_id,
               greatest(e.event_start_time, w.from_at) AS o_from,
               least(e.event_end_time, coalesce(w.to_at, e.event_end_time)) AS o_to
        FROM spans w
        JOIN public.reporting_events e
          ON e.conversation_id = w.conversation_id
         AND e.account_id = resolution_waits.account_id
         AND e.name = 'conversation_resolved'
         AND e.created_at >= resolution_waits.since AND e.created_at < resolution_waits.until
        WHERE w.status IN (2, 3)
          AND w.from_at < e.event_end_time
          AND (w.to_at IS NULL OR w.to_at > e.event_start_time)
    )
    SELECT o.id,
           sum(extract(epoch FROM o.o_to - o.o_from))::float8,
           sum(coalesce(reports_internal.event_business_seconds(o.o_from, o.o_to, s.schedule, s.timezone), 0))::float8
    FROM waits o LEFT JOIN sched s ON s.id = o.inbox_id
    GROUP BY o.id
$$;
COMMENT ON FUNCTION reports_internal.resolution_waits(int, timestamp, timestamp, int) IS
'Seconds each conversation_resolved event of the account (optionally of one conversation) spent pending or snoozed, per the recorded status history.';

-- The reporting events of one account in [since, until), with resolution times net of recorded
-- pending/snoozed time (reports.event_waits). `val` is value or value_in_business_hours. For the
-- reports whose rows are not the rollup's (label_report's averages by conversation date).
CREATE FUNCTION reports_internal.account_events(account_id int, since timestamptz, until timestamptz,
                                                business_hours bool)
RETURNS TABLE (id bigint, name text, created_at timestamp, val float8, conversation_id int, user_id int, inbox_id int)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT e.id, e.name::text, e.created_at,
           CASE WHEN account_events.business_hours
                THEN e.value_in_business_hours - coalesce(w.wait_business_seconds, 0)
                ELSE e.value - coalesce(w.wait_seconds, 0) END,
           e.conversation_id, e.user_id, e.inbox_id
    FROM public.reporting_events e
    LEFT JOIN reports.event_waits w ON w.event_id = e.id
    WHERE e.account_id = account_events.account_id
      AND e.created_at >= account_events.since AT TIME ZONE 'UTC'
      AND e.created_at < account_events.until AT TIME ZONE 'UTC'
$$;

-- ==== 32_metrics.sql ====
-------------------------------------------------------------------------------------------------
-- The metric registry: every conversation metric is defined here, once. The rollup's computation
-- (reports_internal.compute_parts), the raw edges, every scope of the summary, the timeseries, the
-- heatmap and the entity reports read this table, and reports-server lists its metrics from the
-- view reports.metrics. Adding a metric is one INSERT below plus its tests.
--
-- A metric counts or averages the rows of one source table of one account:
--   conversations     conversations created in the range;
--   messages          messages of one message_type created in the range;
--   events            reporting_events of one name created in the range.
-- Kinds:
--   count                    the number of rows;
--   average                  the mean of the rows' values (value, or value_in_business_hours with
--                            business_hours => true), skipping rows without one; subtract_waits
--                            takes the recorded pending/snoozed time off each value first;
--   distinct_conversations   the number of distinct conversations of the rows that still exist;
--   quantile                 a quantile of the values of another metric, an average (quantile_of):
--                            that metric's parts carry a quantile sketch of its values (both
--                            clocks), so a quantile reads its rows, waits and business hours, and
--                            rolls up with it; read within 1% of percentile_cont's answer;
--   ratio                    numerator's count * 100 / denominator's count (two metrics of this
--                            table, read with the same rows, scope and buckets; NULL without any
--                            denominator rows).
-- A distinct_conversations metric keeps, in its parts, the previous row's time (dup_prev) of every
-- row whose conversation had an earlier row of the metric with the same key: over one group
-- [s, e), the distinct conversations are the rows less those whose previous row lies in [s, e)
-- too, i.e. at or after s. So it adds up over hours like a count (no sets of ids), and a later
-- row never changes an earlier one's parts.
-- by_conversation: the rows slice by their conversation's current assignee, inbox, team and
-- labels (not by the event's user and inbox); one_touch keeps only the rows of conversations
-- that have, over their whole life, exactly one outgoing non-private message sent by a User
-- (reports.conversation_agent_messages). A message or status change of any date therefore alters
-- an old row; the triggers mark its hours changed.
-- excluded_by names another metric (a distinct_conversations one): the rows of a conversation that
-- metric counts over the report's whole range, in the same scope, are left out (upstream #14032:
-- a bot resolution of a conversation handed off to a human in the range is no bot resolution).
-- It applies to the range, not to each bucket, so the parts of such a metric keep, for each row of
-- a conversation that has rows of the other metric (same key), the nearest such row's time at or
-- before it (x_prev, else -infinity) and after it (x_next, else infinity): the row is left out of
-- a report over [since, until) when x_prev >= since or x_next < until.
-- Every metric slices by the same dimensions (see compute_parts): the account; the agent
-- (assignee / sender / event user); the inbox; the conversation's current team; its current labels.
-------------------------------------------------------------------------------------------------

CREATE TABLE reports_internal.metric (
    name            text    PRIMARY KEY,
    position        int     NOT NULL UNIQUE,  -- the order metrics are listed in (Chatwoot's)
    -- NULL for a ratio (it reads its numerator's and denominator's rows)
    source          text    CHECK (source IN ('conversations', 'messages', 'events', 'status_changes')),
    event_name      text    CHECK ((source = 'events') = (event_name IS NOT NULL)),
    message_type    int     CHECK ((source = 'messages') = (message_type IS NOT NULL)),
    kind            text    NOT NULL CHECK (kind IN ('count', 'average', 'distinct_conversations', 'quantile', 'ratio')),
    by_conversation bool    NOT NULL DEFAULT false CHECK (NOT by_conversation OR kind = 'distinct_conversations'),
    one_touch       bool    NOT NULL DEFAULT false CHECK (NOT one_touch OR (by_conversation AND source = 'events')),
    subtract_waits  bool    NOT NULL DEFAULT false CHECK (NOT subtract_waits OR kind IN ('average', 'quantile')),
    excluded_by     text    REFERENCES reports_internal.metric (name) CHECK (excluded_by IS NULL OR (kind = 'count' AND source = 'events')),
    -- whether the metric is one of the summary's (reports.summary has a column for it)
    in_summary      bool    NOT NULL DEFAULT true,
    -- the metrics reports.heatmap can show
    in_heatmap      bool    NOT NULL DEFAULT false,
    description     text    NOT NULL,
    -- quantile metrics: the average whose values (and sketch) they read, and which quantile
    quantile_of     text    REFERENCES reports_internal.metric (name),
    quantile        float8  CHECK (quantile > 0 AND quantile < 1),
    -- ratio metrics: the metrics whose counts they divide
    numerator       text    REFERENCES reports_internal.metric (name),
    denominator     text    REFERENCES reports_internal.metric (name),
    CHECK ((kind = 'quantile') = (quantile_of IS NOT NULL) AND (kind = 'quantile') = (quantile IS NOT NULL)),
    CHECK ((kind = 'ratio') = (numerator IS NOT NULL) AND (kind = 'ratio') = (denominator IS NOT NULL)),
    CHECK ((kind = 'ratio') = (source IS NULL)),
    -- status changes are resolved -> open rows, sliced by their conversation
    CHECK (source <> 'status_changes' OR by_conversation)
);
COMMENT ON TABLE reports_internal.metric IS
'The metric registry: each metric''s source rows, kind and business-hours rule, defined once for every report.';

INSERT INTO reports_internal.metric (position, name, source, event_name, message_type, kind, subtract_waits, in_summary, in_heatmap, description) VALUES
(1, 'conversations_count',     'conversations', NULL, NULL, 'count', false, true, true,
 'Conversations created in the range.'),
(2, 'incoming_messages_count', 'messages', NULL, 0, 'count', false, true, true,
 'Incoming messages (message_type 0) created in the range.'),
(3, 'outgoing_messages_count', 'messages', NULL, 1, 'count', false, true, true,
 'Outgoing messages (message_type 1, private notes and bot messages included) created in the range.'),
(4, 'resolutions_count',       'events', 'conversation_resolved', NULL, 'count', false, true, true,
 'conversation_resolved events in the range.'),
(7, 'avg_first_response_time', 'events', 'first_response', NULL, 'average', false, true, false,
 'Mean seconds from a conversation''s creation (or reopening) to the first agent reply, over the first_response events in the range; business hours: the working seconds of that span.'),
(8, 'avg_resolution_time',     'events', 'conversation_resolved', NULL, 'average', true, true, false,
 'Mean seconds from creation to resolution less the recorded pending/snoozed time, over the conversation_resolved events in the range; business hours: working seconds less working seconds waited.'),
(9, 'reply_time',              'events', 'reply_time', NULL, 'average', false, true, false,
 'Mean seconds from a customer message to the agent reply, over the reply_time events in the range; business hours: the working seconds of that span.'),
(5, 'bot_resolutions_count',   'events', 'conversation_bot_resolved', NULL, 'count', false, true, true,
 'conversation_bot_resolved events in the range, less those of conversations handed off to a human (a conversation_bot_handoff event in the same scope) anywhere in the report''s range.'),
(6, 'bot_handoffs_count',      'events', 'conversation_bot_handoff', NULL, 'distinct_conversations', false, true, false,
 'Distinct existing conversations with a conversation_bot_handoff event in the range.');

-- Quantiles of the three averages: the same rows, waits and business-hours rule as their average.
INSERT INTO reports_internal.metric (position, name, source, event_name, message_type, kind, subtract_waits, in_summary, in_heatmap,
                                     quantile_of, quantile, description)
SELECT x.position, x.name, a.source, a.event_name, a.message_type, 'quantile', a.subtract_waits, true, false,
       a.name, x.quantile, x.description
FROM (VALUES
(10, 'median_first_response_time', 'avg_first_response_time', 0.5,
 'Median seconds from a conversation''s creation (or reopening) to the first agent reply, over the first_response events in the range (within 1%); business hours: of the working seconds of that span.'),
(11, 'p90_first_response_time', 'avg_first_response_time', 0.9,
 '90th percentile of the seconds from a conversation''s creation (or reopening) to the first agent reply, over the first_response events in the range (within 1%); business hours: of the working seconds.'),
(12, 'median_resolution_time', 'avg_resolution_time', 0.5,
 'Median seconds from creation to resolution less the recorded pending/snoozed time, over the conversation_resolved events in the range (within 1%); business hours: working seconds less working seconds waited.'),
(13, 'p90_resolution_time', 'avg_resolution_time', 0.9,
 '90th percentile of the seconds from creation to resolution less the recorded pending/snoozed time, over the conversation_resolved events in the range (within 1%); business hours: working seconds less working seconds waited.'),
(14, 'median_reply_time', 'reply_time', 0.5,
 'Median seconds from a customer message to the agent reply, over the reply_time events in the range (within 1%); business hours: of the working seconds of that span.'),
(15, 'p90_reply_time', 'reply_time', 0.9,
 '90th percentile of the seconds from a customer message to the agent reply, over the reply_time events in the range (within 1%); business hours: of the working seconds.')
) x(position, name, of_metric, quantile, description)
JOIN reports_internal.metric a ON a.name = x.of_metric;

-- Reopens and one-touch resolutions: distinct conversations sliced by the conversation's current
-- assignee, inbox, team and labels in every scope, and the rates they make.
INSERT INTO reports_internal.metric (position, name, source, event_name, kind, by_conversation, one_touch, in_summary,
                                     in_heatmap, description) VALUES
(16, 'reopened_count', 'status_changes', NULL, 'distinct_conversations', true, false, true, false,
 'Distinct existing conversations whose status went from resolved to open in the range (from reports.conversation_status_changes).'),
(19, 'unique_resolved_count', 'events', 'conversation_resolved', 'distinct_conversations', true, false, false, false,
 'Distinct existing conversations with a conversation_resolved event in the range, by the conversation''s current assignee, inbox, team and labels.'),
(20, 'one_touch_resolved_count', 'events', 'conversation_resolved', 'distinct_conversations', true, true, false, false,
 'Of the unique_resolved_count conversations, those that have, over their whole life, exactly one outgoing non-private message sent by a User (an agent; bots excluded).');
INSERT INTO reports_internal.metric (position, name, kind, numerator, denominator, in_summary, in_heatmap, description) VALUES
(17, 'reopen_rate', 'ratio', 'reopened_count', 'resolutions_count', true, false,
 'reopened_count / resolutions_count * 100 over the range (NULL without resolutions; above 100 when conversations resolved earlier reopen).'),
(18, 'one_touch_resolution_rate', 'ratio', 'one_touch_resolved_count', 'unique_resolved_count', true, false,
 'Of the existing conversations with a conversation_resolved event in the range, the percentage that have, over their whole life, exactly one outgoing non-private message sent by a User (an agent; bots excluded); NULL without such conversations.');

-- An exclusion names another row of this table, so it is set once both rows exist.
UPDATE reports_internal.metric SET excluded_by = 'bot_handoffs_count' WHERE name = 'bot_resolutions_count';

-- The registry as users and reports-server read it.
CREATE VIEW reports.metrics AS
SELECT m.name, m.position, m.kind, m.source, m.event_name, m.message_type, m.subtract_waits, m.in_summary, m.in_heatmap,
       m.description, m.quantile_of, m.quantile, m.excluded_by, m.by_conversation, m.one_touch, m.numerator,
       m.denominator
FROM reports_internal.metric m
ORDER BY m.position;
COMMENT ON VIEW reports.metrics IS
'Every metric the reports compute: name, kind (count, average, distinct_conversations, quantile, ratio), source rows, and a one-sentence definition; a quantile metric names the average it is a quantile of, a ratio its numerator and denominator.';

-- The metrics a timeseries (and a drilldown) can show: all of them.
CREATE FUNCTION reports_internal.series_metrics()
RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT m.name FROM reports_internal.metric m ORDER BY m.position)
$$;

-- The metrics a drilldown lists the rows of: those counted or averaged over rows of their own
-- (not a ratio, not the reopens and resolutions sliced by their conversation).
CREATE FUNCTION reports_internal.drilldown_metrics()
RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT m.name FROM reports_internal.metric m WHERE m.kind <> 'ratio' AND NOT m.by_conversation
                 ORDER BY m.position)
$$;

-- Raises "invalid metric" unless the metric is registered (and, if given, one of allowed).
CREATE FUNCTION reports_internal.check_metric(metric text, allowed text[] DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM reports_internal.metric m WHERE m.name = check_metric.metric)
       OR (allowed IS NOT NULL AND NOT metric = ANY (allowed)) THEN
        RAISE EXCEPTION 'invalid metric "%"', metric USING ERRCODE = '22023',
            HINT = 'Valid metrics are ' || array_to_string(coalesce(allowed,
                       ARRAY(SELECT m.name FROM reports_internal.metric m ORDER BY m.position)), ', ') || '.';
    END IF;
END
$$;

-- Seconds as exact integer microseconds: sums of these are exact (sum(bigint) is numeric), so an
-- average is the same to the last bit whatever order, or rollup path, its parts come in.
CREATE FUNCTION reports_internal.to_us(seconds float8)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT round(seconds * 1000000)::bigint $$;

-- The mean in seconds of values summed as microseconds (NULL when there are none).
CREATE FUNCTION reports_internal.mean_seconds(sum_us numeric, n bigint)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- the dividend's 21 decimals make the quotient carry at least as many, ample for a float8
    SELECT CASE WHEN n > 0 THEN ((sum_us * 1.000000000000000000000) / (n * 1000000::numeric))::float8 END
$$;

-- The metrics whose parts hold some metrics' rows: their own, the average a quantile reads, the
-- numerator and denominator of a ratio.
CREATE FUNCTION reports_internal.parts_metrics(metrics text[])
RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT DISTINCT x
                 FROM reports_internal.metric m
                 CROSS JOIN LATERAL unnest(CASE m.kind WHEN 'quantile' THEN ARRAY[m.quantile_of]
                                                       WHEN 'ratio' THEN ARRAY[m.numerator, m.denominator]
                                                       ELSE ARRAY[m.name] END) x
                 WHERE m.name = ANY (parts_metrics.metrics))
$$;

-- ==== 35_rollup.sql ====
-------------------------------------------------------------------------------------------------
-- The hourly rollup: every report's read path. Per account, UTC hour, dimension and key, each
-- registered metric's additive parts (row counts, exact microsecond sums, quantile sketches, the
-- previous-row times that make distinct conversations additive), so a report over months reads thousands of rollup rows instead of millions of
-- raw rows.
--
-- Correctness never depends on how often it is refreshed. reports_internal.parts combines
--   * rollup rows for whole UTC hours below reports.rollup_state.covered_until that are not
--     marked dirty and that lie inside one bucket of the report, and
--   * the raw tables for everything else: the partial hours at the range's ends, hours not rolled
--     up yet, dirty hours, and hours a bucket boundary cuts (zones such as Asia/Kolkata).
-- Both come from reports_internal.compute_parts with the registry's definitions, and sums are
-- exact integers, so the answer is the same bytes whichever path each hour takes.
--
-- A change to a source row in an hour that may already be rolled up marks that hour dirty
-- (reports_internal.rollup_dirty) from a trigger. "May already be rolled up" is decided without
-- reading any table: the row's created_at is more than rollup_lag() (1 hour) before the clock.
-- refresh_rollup never covers an hour that a still-running transaction could change without
-- leaving a mark: it stops rollup_lag() before the start of the oldest running transaction.
-- Dimensions that follow a conversation's current state (team, labels) and its assignee are
-- re-marked when they change: every hour holding a row of that conversation.
-------------------------------------------------------------------------------------------------

-- @state begin: derived, but large: kept by updates unless sql/upgrade/ resets it
CREATE TABLE reports_internal.rollup (
    account_id  int       NOT NULL,
    grain       "char"    NOT NULL,  -- h an hour, d a day, m a month (all UTC)
    hour        timestamp NOT NULL,  -- the start of that hour, day or month
    dim         "char"    NOT NULL,  -- a account, g agent, i inbox, t team, l label
    key         text      NOT NULL,  -- '' for the account; the id; the lower-case tag name for labels
    metric      text      NOT NULL,  -- reports_internal.metric.name
    n           bigint    NOT NULL,  -- rows
    v_n         bigint    NOT NULL,  -- rows with a value (averages)
    v_sum       numeric   NOT NULL,  -- their values, integer microseconds
    b_n         bigint    NOT NULL,  -- rows with a business-hours value
    b_sum       numeric   NOT NULL,
    -- averages: quantile sketches (reports.quantile_sketch_agg) of the values and of the
    -- business-hours values, which the metric's quantiles read; NULL for other kinds
    v_sketch    bytea,
    b_sketch    bytea,
    -- distinct_conversations metrics: for each row repeating a conversation (same metric and key),
    -- the time of its previous row (an hour's sorted, a day's or month's its hours' in turn); a
    -- group [s, e) counts n less the times at or after s
    dup_prev    timestamp[],
    -- a metric with excluded_by: per row with rows of the excluding metric in its conversation,
    -- the nearest one's time at or before it and after it (+-infinity when none), in the same
    -- order; the row is left out over [since, until) when x_prev >= since or x_next < until
    x_prev      timestamp[],
    x_next      timestamp[],
    PRIMARY KEY (account_id, dim, key, grain, hour, metric)
);
-- every key of a dimension over a range (summary_by, entity reports)
CREATE INDEX rollup_account_dim_grain_hour ON reports_internal.rollup (account_id, dim, grain, hour);
-- @state end
COMMENT ON TABLE reports_internal.rollup IS
'Per account, UTC hour (and whole UTC day and month), dimension and key: the additive parts of every registered metric, filled by reports.refresh_rollup(). A day or month row exists for complete periods below covered_until and equals the sum of its hours.';

-- One row: the rollup holds every hour before covered_until, except the dirty ones.
-- @state begin: how far the rollup reaches; kept with it
CREATE TABLE reports.rollup_state (
    singleton      bool      PRIMARY KEY DEFAULT true CHECK (singleton),
    covered_until  timestamp NOT NULL DEFAULT '-infinity',  -- an hour boundary, UTC
    refreshed_at   timestamptz
);
INSERT INTO reports.rollup_state DEFAULT VALUES;
-- @state end
COMMENT ON TABLE reports.rollup_state IS
'How far the rollup reaches: every UTC hour before covered_until is rolled up, except the hours marked changed since.';

-- Append-only, without deduplication: each change adds its own row, and refresh_rollup deletes
-- only the rows committed before it started. A mark written by a transaction the refresh could
-- not see therefore survives the refresh, and the hour is recomputed by the next one.
-- @state begin: change marks; kept with the rollup
CREATE TABLE reports_internal.rollup_dirty (
    id          bigserial PRIMARY KEY,
    account_id  int       NOT NULL,
    hour        timestamp NOT NULL
);
CREATE INDEX rollup_dirty_account_hour ON reports_internal.rollup_dirty (account_id, hour);
-- @state end
COMMENT ON TABLE reports_internal.rollup_dirty IS
'UTC hours whose source rows changed after they may have been rolled up; reports read them from the raw tables until refresh_rollup() recomputes them.';

-- The lag that separates "changes now" from "may already be rolled up".
CREATE FUNCTION reports_internal.rollup_lag() RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT interval '1 hour' $$;

-- Trigger: marks the hours of the changed rows (old and new versions) dirty. Attached with a WHEN
-- clause, so rows in the last hour, the normal case, never call it.
CREATE FUNCTION reports_internal.mark_rollup_dirty() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.account_id IS NOT NULL AND OLD.created_at IS NOT NULL THEN
        INSERT INTO reports_internal.rollup_dirty (account_id, hour) VALUES (OLD.account_id, date_trunc('hour', OLD.created_at));
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.account_id IS NOT NULL AND NEW.created_at IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.account_id IS DISTINCT FROM OLD.account_id
            OR date_trunc('hour', NEW.created_at) IS DISTINCT FROM date_trunc('hour', OLD.created_at)) THEN
        INSERT INTO reports_internal.rollup_dirty (account_id, hour) VALUES (NEW.account_id, date_trunc('hour', NEW.created_at));
    END IF;
    -- A conversation appearing or disappearing changes the hours of every row that names it:
    -- handoffs count only conversations that exist, and team and label slices follow it.
    IF TG_TABLE_NAME = 'conversations' AND TG_OP IN ('INSERT', 'DELETE') THEN
        PERFORM reports_internal.mark_conversation_hours(CASE TG_OP WHEN 'INSERT' THEN NEW.id ELSE OLD.id END);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION reports_internal.mark_rollup_dirty() IS
'AFTER trigger on the tables the rollup reads: records the UTC hours of rows changed after they may have been rolled up.';

-- Marks every rolled-up hour holding a row of one conversation: its creation, its messages, its
-- events, its status changes. Called when what the conversation's rows are sliced by changes (its assignee, team or
-- labels) or when the conversation appears or goes.
CREATE FUNCTION reports_internal.mark_conversation_hours(conversation_id int) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO reports_internal.rollup_dirty (account_id, hour)
    SELECT DISTINCT h.account_id, h.hour
    FROM (SELECT c.account_id, date_trunc('hour', c.created_at) AS hour FROM public.conversations c
          WHERE c.id = mark_conversation_hours.conversation_id
          UNION ALL
          SELECT m.account_id, date_trunc('hour', m.created_at) FROM public.messages m
          WHERE m.conversation_id = mark_conversation_hours.conversation_id
          UNION ALL
          SELECT e.account_id, date_trunc('hour', e.created_at) FROM public.reporting_events e
          WHERE e.conversation_id = mark_conversation_hours.conversation_id
          UNION ALL
          SELECT s.account_id, date_trunc('hour', s.changed_at) FROM reports.conversation_status_changes s
          WHERE s.conversation_id = mark_conversation_hours.conversation_id) h
    WHERE h.account_id IS NOT NULL AND h.hour IS NOT NULL
      AND h.hour < (SELECT s.covered_until FROM reports.rollup_state s)
$$;

-- Marks the rolled-up hours of one conversation's events with the given names.
CREATE FUNCTION reports_internal.mark_event_hours(conversation_id int, names text[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO reports_internal.rollup_dirty (account_id, hour)
    SELECT DISTINCT e.account_id, date_trunc('hour', e.created_at) FROM public.reporting_events e
    WHERE e.conversation_id = mark_event_hours.conversation_id AND e.name = ANY (mark_event_hours.names)
      AND e.account_id IS NOT NULL AND e.created_at IS NOT NULL
      AND date_trunc('hour', e.created_at) < (SELECT s.covered_until FROM reports.rollup_state s)
$$;

-- The event names whose rows' parts a change to an event named `name` can alter in the same
-- conversation: the events of the metrics it excludes (their x_prev and x_next), and, for a late
-- row (`late`: created before the rollup lag), its own name when a distinct_conversations metric
-- counts it (the later rows' previous-row times; a row of now has no later rows).
CREATE FUNCTION reports_internal.dependent_events(name text, late bool) RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT m.event_name FROM reports_internal.metric m
                 WHERE dependent_events.late AND m.kind = 'distinct_conversations' AND m.source = 'events'
                   AND m.event_name = dependent_events.name
                 UNION
                 SELECT m.event_name FROM reports_internal.metric m
                 JOIN reports_internal.metric x ON x.name = m.excluded_by
                 WHERE x.event_name = dependent_events.name)
$$;

-- Trigger on reporting_events: a row of an excluding metric (any date: a new handoff excludes an
-- old bot resolution) or a late row of a distinct metric changes its conversation's other rows.
CREATE FUNCTION reports_internal.mark_dependent_hours() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_late_before timestamp := (clock_timestamp() AT TIME ZONE 'UTC') - reports_internal.rollup_lag();
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.conversation_id IS NOT NULL THEN
        PERFORM reports_internal.mark_event_hours(OLD.conversation_id,
            reports_internal.dependent_events(OLD.name, OLD.created_at < v_late_before));
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.conversation_id IS NOT NULL THEN
        PERFORM reports_internal.mark_event_hours(NEW.conversation_id,
            reports_internal.dependent_events(NEW.name, NEW.created_at < v_late_before));
    END IF;
    RETURN NULL;
END
$$;

-- A conversation's count of public agent messages crossed 1 (see count_agent_message): its
-- resolutions change whether they are one-touch.
CREATE FUNCTION reports_internal.mark_one_touch_hours(conversation_id int) RETURNS void
LANGUAGE sql AS $$
    SELECT reports_internal.mark_event_hours(mark_one_touch_hours.conversation_id,
                                             ARRAY(SELECT DISTINCT m.event_name FROM reports_internal.metric m WHERE m.one_touch))
$$;

-- Trigger on reports.conversation_status_changes: a late reopen row (or one changed or deleted)
-- changes its own hour and the later reopens' previous-row times of its conversation.
CREATE FUNCTION reports_internal.mark_reopen_hours(account_id int, conversation_id int, changed_at timestamp)
RETURNS void
LANGUAGE sql AS $$
    INSERT INTO reports_internal.rollup_dirty (account_id, hour)
    SELECT mark_reopen_hours.account_id, date_trunc('hour', mark_reopen_hours.changed_at)
    WHERE date_trunc('hour', mark_reopen_hours.changed_at) < (SELECT st.covered_until FROM reports.rollup_state st)
    UNION
    SELECT s.account_id, date_trunc('hour', s.changed_at) FROM reports.conversation_status_changes s
    WHERE s.conversation_id = mark_reopen_hours.conversation_id AND s.previous_status = 1 AND s.status = 0
      AND date_trunc('hour', s.changed_at) < (SELECT st.covered_until FROM reports.rollup_state st)
$$;

CREATE FUNCTION reports_internal.mark_reopen_dirty() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM reports_internal.mark_reopen_hours(OLD.account_id, OLD.conversation_id, OLD.changed_at);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM reports_internal.mark_reopen_hours(NEW.account_id, NEW.conversation_id, NEW.changed_at);
    END IF;
    RETURN NULL;
END
$$;

-- Trigger on conversations (assignee, team changed) and taggings (a conversation's labels).
CREATE FUNCTION reports_internal.mark_conversation_dirty() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'taggings' THEN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.taggable_type = 'Conversation' THEN
            PERFORM reports_internal.mark_conversation_hours(OLD.taggable_id);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.taggable_type = 'Conversation' THEN
            PERFORM reports_internal.mark_conversation_hours(NEW.taggable_id);
        END IF;
    ELSIF TG_TABLE_NAME = 'tags' THEN
        -- a renamed tag moves every conversation tagged with it to another label
        PERFORM reports_internal.mark_conversation_hours(t.taggable_id)
        FROM (SELECT DISTINCT t.taggable_id FROM public.taggings t
              WHERE t.tag_id = NEW.id AND t.taggable_type = 'Conversation') t;
    ELSE
        PERFORM reports_internal.mark_conversation_hours(NEW.id);
    END IF;
    RETURN NULL;
END
$$;

-- Installs the dirty-marking triggers (called by install_triggers). Only the columns the rollup
-- reads fire them: a message's status or content changing costs nothing.
CREATE FUNCTION reports_internal.install_rollup_triggers() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    -- The clock test comes first, so rows of the last hour (every live insert) stop there. The
    -- setting lets our own bulk functions (refresh_business_hours, rebuild_event_waits) mark one
    -- row per hour themselves instead of one per changed row.
    old_hour text := $w$OLD.created_at < (clock_timestamp() AT TIME ZONE 'UTC') - reports_internal.rollup_lag()
                        AND current_setting('reports.bulk_marking', true) IS DISTINCT FROM 'on'$w$;
    new_hour text := $w$NEW.created_at < (clock_timestamp() AT TIME ZONE 'UTC') - reports_internal.rollup_lag()
                        AND current_setting('reports.bulk_marking', true) IS DISTINCT FROM 'on'$w$;
    v_excluding text;
    v_distinct text;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('public', 'conversations', 'account_id, created_at, inbox_id'),
        ('public', 'messages', 'account_id, created_at, message_type, sender_type, sender_id, inbox_id, conversation_id'),
        ('public', 'reporting_events', 'account_id, created_at, name, value, value_in_business_hours, conversation_id, user_id, inbox_id'),
        ('reports', 'event_waits', 'account_id, created_at, wait_seconds, wait_business_seconds')) v(schema, name, columns)
    LOOP
        CONTINUE WHEN to_regclass(format('%I.%I', t.schema, t.name)) IS NULL;
        EXECUTE format('DROP TRIGGER IF EXISTS reports_rollup_insert ON %I.%I', t.schema, t.name);
        EXECUTE format('DROP TRIGGER IF EXISTS reports_rollup_update ON %I.%I', t.schema, t.name);
        EXECUTE format('DROP TRIGGER IF EXISTS reports_rollup_delete ON %I.%I', t.schema, t.name);
        EXECUTE format('DROP TRIGGER IF EXISTS reports_rollup_truncate ON %I.%I', t.schema, t.name);
        EXECUTE format('CREATE TRIGGER reports_rollup_insert AFTER INSERT ON %I.%I FOR EACH ROW WHEN (%s) '
                       'EXECUTE FUNCTION reports_internal.mark_rollup_dirty()', t.schema, t.name, new_hour);
        EXECUTE format('CREATE TRIGGER reports_rollup_update AFTER UPDATE OF %s ON %I.%I FOR EACH ROW '
                       'WHEN ((%s) OR (%s)) EXECUTE FUNCTION reports_internal.mark_rollup_dirty()',
                       t.columns, t.schema, t.name, old_hour, new_hour);
        EXECUTE format('CREATE TRIGGER reports_rollup_delete AFTER DELETE ON %I.%I FOR EACH ROW WHEN (%s) '
                       'EXECUTE FUNCTION reports_internal.mark_rollup_dirty()', t.schema, t.name, old_hour);
        EXECUTE format('CREATE TRIGGER reports_rollup_truncate AFTER TRUNCATE ON %I.%I FOR EACH STATEMENT '
                       'EXECUTE FUNCTION reports_internal.reset_rollup_on_truncate()', t.schema, t.name);
    END LOOP;
    -- Rows whose change alters other rows of their conversation (see dependent_events): the
    -- excluding metrics' events of any date, the distinct metrics' ones when late.
    IF to_regclass('public.reporting_events') IS NOT NULL THEN
        SELECT string_agg(quote_literal(x.event_name), ', ') INTO v_excluding
        FROM (SELECT DISTINCT x.event_name FROM reports_internal.metric m
              JOIN reports_internal.metric x ON x.name = m.excluded_by) x;
        SELECT string_agg(quote_literal(m.event_name), ', ') INTO v_distinct
        FROM (SELECT DISTINCT m.event_name FROM reports_internal.metric m
              WHERE m.kind = 'distinct_conversations' AND m.source = 'events') m;
        DROP TRIGGER IF EXISTS reports_rollup_dependents_insert ON public.reporting_events;
        DROP TRIGGER IF EXISTS reports_rollup_dependents_update ON public.reporting_events;
        DROP TRIGGER IF EXISTS reports_rollup_dependents_delete ON public.reporting_events;
        EXECUTE format('CREATE TRIGGER reports_rollup_dependents_insert AFTER INSERT ON public.reporting_events FOR EACH ROW '
                       'WHEN (NEW.name IN (%s) OR (NEW.name IN (%s) AND %s)) '
                       'EXECUTE FUNCTION reports_internal.mark_dependent_hours()',
                       coalesce(v_excluding, 'NULL'), coalesce(v_distinct, 'NULL'), new_hour);
        EXECUTE format('CREATE TRIGGER reports_rollup_dependents_update AFTER UPDATE OF name, conversation_id, created_at, '
                       'user_id, inbox_id, account_id ON public.reporting_events FOR EACH ROW '
                       'WHEN (OLD.name IN (%1$s) OR NEW.name IN (%1$s) OR ((OLD.name IN (%2$s) OR NEW.name IN (%2$s)) AND ((%3$s) OR (%4$s)))) '
                       'EXECUTE FUNCTION reports_internal.mark_dependent_hours()',
                       coalesce(v_excluding, 'NULL'), coalesce(v_distinct, 'NULL'), old_hour, new_hour);
        EXECUTE format('CREATE TRIGGER reports_rollup_dependents_delete AFTER DELETE ON public.reporting_events FOR EACH ROW '
                       'WHEN (OLD.name IN (%s) OR (OLD.name IN (%s) AND %s)) '
                       'EXECUTE FUNCTION reports_internal.mark_dependent_hours()',
                       coalesce(v_excluding, 'NULL'), coalesce(v_distinct, 'NULL'), old_hour);
    END IF;
    -- Reopens, read from the status history.
    DROP TRIGGER IF EXISTS reports_rollup_insert ON reports.conversation_status_changes;
    DROP TRIGGER IF EXISTS reports_rollup_update ON reports.conversation_status_changes;
    DROP TRIGGER IF EXISTS reports_rollup_delete ON reports.conversation_status_changes;
    DROP TRIGGER IF EXISTS reports_rollup_truncate ON reports.conversation_status_changes;
    CREATE TRIGGER reports_rollup_insert AFTER INSERT ON reports.conversation_status_changes FOR EACH ROW
        WHEN (NEW.previous_status = 1 AND NEW.status = 0
              AND NEW.changed_at < (clock_timestamp() AT TIME ZONE 'UTC') - reports_internal.rollup_lag())
        EXECUTE FUNCTION reports_internal.mark_reopen_dirty();
    CREATE TRIGGER reports_rollup_update AFTER UPDATE ON reports.conversation_status_changes FOR EACH ROW
        WHEN ((OLD.previous_status = 1 AND OLD.status = 0) OR (NEW.previous_status = 1 AND NEW.status = 0))
        EXECUTE FUNCTION reports_internal.mark_reopen_dirty();
    CREATE TRIGGER reports_rollup_delete AFTER DELETE ON reports.conversation_status_changes FOR EACH ROW
        WHEN (OLD.previous_status = 1 AND OLD.status = 0)
        EXECUTE FUNCTION reports_internal.mark_reopen_dirty();
    CREATE TRIGGER reports_rollup_truncate AFTER TRUNCATE ON reports.conversation_status_changes FOR EACH STATEMENT
        EXECUTE FUNCTION reports_internal.reset_rollup_on_truncate();
    DROP TRIGGER IF EXISTS reports_rollup_truncate ON reports.conversation_agent_messages;
    CREATE TRIGGER reports_rollup_truncate AFTER TRUNCATE ON reports.conversation_agent_messages FOR EACH STATEMENT
        EXECUTE FUNCTION reports_internal.reset_rollup_on_truncate();
    -- What a conversation's rows are sliced by. A conversation of the last hour has only rows of
    -- the last hour, none rolled up: no call.
    IF to_regclass('public.conversations') IS NOT NULL THEN
        DROP TRIGGER IF EXISTS reports_rollup_slices ON public.conversations;
        CREATE TRIGGER reports_rollup_slices AFTER UPDATE OF assignee_id, team_id ON public.conversations
            FOR EACH ROW WHEN ((OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR OLD.team_id IS DISTINCT FROM NEW.team_id)
                               AND OLD.created_at < (clock_timestamp() AT TIME ZONE 'UTC') - reports_internal.rollup_lag())
            EXECUTE FUNCTION reports_internal.mark_conversation_dirty();
    END IF;
    IF to_regclass('public.taggings') IS NOT NULL THEN
        DROP TRIGGER IF EXISTS reports_rollup_labels ON public.taggings;
        CREATE TRIGGER reports_rollup_labels AFTER INSERT OR UPDATE OR DELETE ON public.taggings
            FOR EACH ROW EXECUTE FUNCTION reports_internal.mark_conversation_dirty();
        DROP TRIGGER IF EXISTS reports_rollup_truncate ON public.taggings;
        CREATE TRIGGER reports_rollup_truncate AFTER TRUNCATE ON public.taggings FOR EACH STATEMENT
            EXECUTE FUNCTION reports_internal.reset_rollup_on_truncate();
    END IF;
    IF to_regclass('public.tags') IS NOT NULL THEN
        DROP TRIGGER IF EXISTS reports_rollup_labels ON public.tags;
        CREATE TRIGGER reports_rollup_labels AFTER UPDATE OF name ON public.tags
            FOR EACH ROW WHEN (lower(OLD.name) IS DISTINCT FROM lower(NEW.name))
            EXECUTE FUNCTION reports_internal.mark_conversation_dirty();
    END IF;
END
$$;

-- The grouping key of a row created at ts (UTC): its UTC hour when period is NULL, one group for
-- the whole range when period is 'range', else the start (UTC) of its bucket in zone tz.
CREATE FUNCTION reports_internal.group_of(ts timestamp, period text, tz text)
RETURNS timestamp
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN period IS NULL THEN date_trunc('hour', ts)
                WHEN period = 'range' THEN '-infinity'::timestamp
                ELSE reports.bucket_start(ts AT TIME ZONE 'UTC', period, tz) AT TIME ZONE 'UTC' END
$$;

-- Every registered metric's parts from the raw tables, per group (see group_of), dimension and
-- key: rows created in the UTC ranges [from_ts[i], to_ts[i]) of one account (every account when
-- account_id is NULL), for the dimensions in dims ('a', 'g', 'i', 't', 'l'), optionally only
-- one key and some metrics. The only place the metrics' rows are read from the raw tables.
CREATE FUNCTION reports_internal.compute_parts(for_account int, from_ts timestamp[], to_ts timestamp[],
                                               dims "char"[], only_key text DEFAULT NULL,
                                               metrics text[] DEFAULT NULL,
                                               period text DEFAULT NULL, tz text DEFAULT 'UTC')
RETURNS TABLE (account_id int, grp timestamp, dim "char", key text, metric text,
               n bigint, v_n bigint, v_sum numeric, b_n bigint, b_sum numeric,
               v_sketch bytea, b_sketch bytea, dup_prev timestamp[], x_prev timestamp[], x_next timestamp[])
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := compute_parts.for_account;
    v_key text := compute_parts.only_key;
    v_period text := compute_parts.period;
    v_tz text := compute_parts.tz;
    v_labels bool := 'l' = ANY (dims);
    v_plain "char"[] := array_remove(dims, 'l');  -- the dimensions read from the row itself
    -- the only one of them, when there is one: then the key expression folds to one column and
    -- a plain count of messages can be an index-only scan
    v_one "char" := CASE WHEN cardinality(array_remove(dims, 'l')) = 1 THEN (array_remove(dims, 'l'))[1] END;
    v_team bool := 't' = ANY (dims);
    v_conv text[];
    v_msg int[];
    v_counted text[];    -- event names of count and average metrics
    v_distinct text[];   -- event names of distinct_conversations metrics
    v_reopens bool;      -- a status_changes metric is asked for
    v_from timestamp[];  -- the non-empty ranges, in order
    v_to timestamp[];
    v_lo timestamp;      -- their hull: a plain range condition the planner can use with the
    v_hi timestamp;      -- (account_id, created_at) indexes, whatever it estimates for unnest
BEGIN
    SELECT array_agg(r.f ORDER BY r.f), array_agg(r.t ORDER BY r.f), min(r.f), max(r.t)
    INTO v_from, v_to, v_lo, v_hi
    FROM unnest(from_ts, to_ts) r(f, t) WHERE r.f < r.t;
    IF v_from IS NULL THEN
        RETURN;
    END IF;
    SELECT array_agg(m.name) FILTER (WHERE m.source = 'conversations'),
           array_agg(m.message_type) FILTER (WHERE m.source = 'messages'),
           array_agg(DISTINCT m.event_name) FILTER (WHERE m.source = 'events' AND m.kind <> 'distinct_conversations'),
           array_agg(DISTINCT m.event_name) FILTER (WHERE m.source = 'events' AND m.kind = 'distinct_conversations'),
           coalesce(bool_or(m.source = 'status_changes'), false)
    INTO v_conv, v_msg, v_counted, v_distinct, v_reopens
    FROM reports_internal.metric m
    -- quantiles have no parts of their own (they read their average's sketches), ratios neither
    WHERE (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics)) AND m.kind NOT IN ('quantile', 'ratio');

    -- Conversations: agent = assignee, inbox, team = its team.
    IF v_conv IS NOT NULL THEN
        RETURN QUERY
        SELECT c.account_id, reports_internal.group_of(c.created_at, v_period, v_tz), d.dim, d.key, m.name,
               count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::bytea, NULL::bytea, NULL::timestamp[], NULL::timestamp[], NULL::timestamp[]
        FROM unnest(v_from, v_to) r(f, t)
        JOIN public.conversations c ON c.created_at >= r.f AND c.created_at < r.t
                                        AND c.created_at >= v_lo AND c.created_at < v_hi
        JOIN reports_internal.metric m ON m.name = ANY (v_conv)
        CROSS JOIN unnest(v_plain) dd(dim)
        CROSS JOIN LATERAL (SELECT coalesce(v_one, dd.dim) AS dim,
                                   CASE coalesce(v_one, dd.dim) WHEN 'a' THEN '' WHEN 'g' THEN c.assignee_id::text
                                        WHEN 'i' THEN c.inbox_id::text ELSE c.team_id::text END AS key) d
        WHERE (v_account IS NULL OR c.account_id = v_account) AND c.account_id IS NOT NULL
          AND d.key IS NOT NULL AND (v_key IS NULL OR d.key = v_key) AND cardinality(v_plain) > 0
        GROUP BY 1, 2, 3, 4, 5;
        IF v_labels THEN
            RETURN QUERY
            SELECT c.account_id, reports_internal.group_of(c.created_at, v_period, v_tz), 'l'::"char", l.label, m.name,
                   count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::bytea, NULL::bytea, NULL::timestamp[], NULL::timestamp[], NULL::timestamp[]
            FROM unnest(v_from, v_to) r(f, t)
            JOIN public.conversations c ON c.created_at >= r.f AND c.created_at < r.t
                                        AND c.created_at >= v_lo AND c.created_at < v_hi
            JOIN reports_internal.metric m ON m.name = ANY (v_conv)
            JOIN reports_internal.labelled_conversations(v_key) l ON l.conversation_id = c.id
            WHERE (v_account IS NULL OR c.account_id = v_account) AND c.account_id IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5;
        END IF;
    END IF;

    -- Messages of a registered type: agent = the sending user, inbox, team/labels of the conversation.
    IF v_msg IS NOT NULL THEN
        RETURN QUERY
        SELECT x.account_id, reports_internal.group_of(x.created_at, v_period, v_tz), d.dim, d.key, m.name,
               count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::bytea, NULL::bytea, NULL::timestamp[], NULL::timestamp[], NULL::timestamp[]
        FROM (SELECT msg.account_id, msg.created_at, msg.message_type, msg.inbox_id, msg.conversation_id,
                     CASE WHEN msg.sender_type = 'User' THEN msg.sender_id END AS agent
              FROM unnest(v_from, v_to) r(f, t)
              JOIN public.messages msg ON msg.created_at >= r.f AND msg.created_at < r.t
                                      AND msg.created_at >= v_lo AND msg.created_at < v_hi
              WHERE (v_account IS NULL OR msg.account_id = v_account) AND msg.account_id IS NOT NULL
                AND msg.message_type = ANY (v_msg)) x
        JOIN reports_internal.metric m ON m.source = 'messages' AND m.message_type = x.message_type
                                      AND (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics))
        LEFT JOIN public.conversations c ON v_team AND c.id = x.conversation_id AND c.account_id = x.account_id
        CROSS JOIN unnest(v_plain) dd(dim)
        CROSS JOIN LATERAL (SELECT coalesce(v_one, dd.dim) AS dim,
                                   CASE coalesce(v_one, dd.dim) WHEN 'a' THEN '' WHEN 'g' THEN x.agent::text
                                        WHEN 'i' THEN x.inbox_id::text ELSE c.team_id::text END AS key) d
        WHERE d.key IS NOT NULL AND (v_key IS NULL OR d.key = v_key) AND cardinality(v_plain) > 0
        GROUP BY 1, 2, 3, 4, 5;
        IF v_labels THEN
            RETURN QUERY
            SELECT msg.account_id, reports_internal.group_of(msg.created_at, v_period, v_tz), 'l'::"char", l.label, m.name,
                   count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::bytea, NULL::bytea, NULL::timestamp[], NULL::timestamp[], NULL::timestamp[]
            FROM unnest(v_from, v_to) r(f, t)
            JOIN public.messages msg ON msg.created_at >= r.f AND msg.created_at < r.t
                                      AND msg.created_at >= v_lo AND msg.created_at < v_hi
            JOIN reports_internal.metric m ON m.source = 'messages' AND m.message_type = msg.message_type
                                          AND (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics))
            JOIN public.conversations c ON c.id = msg.conversation_id AND c.account_id = msg.account_id
            JOIN reports_internal.labelled_conversations(v_key) l ON l.conversation_id = c.id
            WHERE (v_account IS NULL OR msg.account_id = v_account) AND msg.account_id IS NOT NULL
              AND msg.message_type = ANY (v_msg)
            GROUP BY 1, 2, 3, 4, 5;
        END IF;
    END IF;

    -- Reporting events of a registered name, counted or averaged: agent = the event's user, inbox,
    -- team/labels of the conversation. Values less the recorded waits where the metric says so.
    -- A metric with excluded_by keeps, per row, the nearest rows of the excluding metric in the
    -- same conversation and key (x_prev, x_next; see the registry).
    IF v_counted IS NOT NULL THEN
        -- the recorded waits (a small table) hashed once, not probed per event
        RETURN QUERY
        WITH w AS MATERIALIZED (
            SELECT ew.event_id, ew.wait_seconds, ew.wait_business_seconds FROM reports.event_waits ew
            WHERE (v_account IS NULL OR ew.account_id = v_account) AND ew.created_at >= v_lo AND ew.created_at < v_hi
        ), x AS MATERIALIZED (
            SELECT e.account_id, e.created_at, e.user_id, e.inbox_id, m.name AS metric, e.conversation_id,
                   m.excluded_by IS NOT NULL AS excludes,
                   CASE WHEN m.kind = 'average' THEN e.value - coalesce(w.wait_seconds, 0) END AS val,
                   CASE WHEN m.kind = 'average' THEN e.value_in_business_hours - coalesce(w.wait_business_seconds, 0) END AS bh,
                   c.account_id = e.account_id AS own_conversation,
                   CASE WHEN c.account_id = e.account_id THEN c.team_id END AS team,
                   xh.p_c, xh.n_c, xh.p_g, xh.n_g, xh.p_i, xh.n_i
            FROM unnest(v_from, v_to) r(f, t)
            -- each range its own index scan (OFFSET 0 keeps it one): a range's two ends far apart
            -- must not become a scan of everything between them
            CROSS JOIN LATERAL (SELECT e.* FROM public.reporting_events e
                                WHERE e.created_at >= r.f AND e.created_at < r.t
                                  AND (v_account IS NULL OR e.account_id = v_account) AND e.account_id IS NOT NULL
                                  AND e.name = ANY (v_counted) OFFSET 0) e
            JOIN reports_internal.metric m ON m.source = 'events' AND m.event_name = e.name
                                          AND m.kind IN ('count', 'average')
                                          AND (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics))
            LEFT JOIN w ON m.subtract_waits AND w.event_id = e.id
            LEFT JOIN public.conversations c ON (v_team OR v_labels) AND c.id = e.conversation_id
            -- the excluding metric's rows of this conversation (existing conversations only)
            LEFT JOIN LATERAL (
                SELECT max(h.created_at) FILTER (WHERE h.created_at <= e.created_at) AS p_c,
                       min(h.created_at) FILTER (WHERE h.created_at > e.created_at) AS n_c,
                       max(h.created_at) FILTER (WHERE h.created_at <= e.created_at AND h.user_id = e.user_id) AS p_g,
                       min(h.created_at) FILTER (WHERE h.created_at > e.created_at AND h.user_id = e.user_id) AS n_g,
                       max(h.created_at) FILTER (WHERE h.created_at <= e.created_at AND h.inbox_id = e.inbox_id) AS p_i,
                       min(h.created_at) FILTER (WHERE h.created_at > e.created_at AND h.inbox_id = e.inbox_id) AS n_i
                FROM reports_internal.metric xm
                JOIN public.reporting_events h ON h.name = xm.event_name AND h.conversation_id = e.conversation_id
                                              AND h.account_id = e.account_id
                WHERE m.excluded_by IS NOT NULL AND xm.name = m.excluded_by
                  AND EXISTS (SELECT FROM public.conversations hc WHERE hc.id = h.conversation_id)) xh ON true
            WHERE (v_account IS NULL OR e.account_id = v_account) AND e.account_id IS NOT NULL
              AND e.name = ANY (v_counted)
        )
        SELECT x.account_id, reports_internal.group_of(x.created_at, v_period, v_tz), d.dim, d.key, x.metric,
               count(*), count(x.val), sum(reports_internal.to_us(x.val)), count(x.bh), sum(reports_internal.to_us(x.bh)),
               reports.quantile_sketch_agg(x.val), reports.quantile_sketch_agg(x.bh), NULL::timestamp[],
               CASE WHEN bool_or(x.excludes) THEN
                   coalesce(array_agg(coalesce(d.xp, '-infinity') ORDER BY coalesce(d.xp, '-infinity'), coalesce(d.xn, 'infinity'))
                            FILTER (WHERE d.xp IS NOT NULL OR d.xn IS NOT NULL), '{}') END,
               CASE WHEN bool_or(x.excludes) THEN
                   coalesce(array_agg(coalesce(d.xn, 'infinity') ORDER BY coalesce(d.xp, '-infinity'), coalesce(d.xn, 'infinity'))
                            FILTER (WHERE d.xp IS NOT NULL OR d.xn IS NOT NULL), '{}') END
        FROM x
        CROSS JOIN unnest(v_plain) dd(dim)
        CROSS JOIN LATERAL (SELECT coalesce(v_one, dd.dim) AS dim,
                                   CASE coalesce(v_one, dd.dim) WHEN 'a' THEN '' WHEN 'g' THEN x.user_id::text
                                        WHEN 'i' THEN x.inbox_id::text ELSE x.team::text END AS key,
                                   CASE coalesce(v_one, dd.dim) WHEN 'g' THEN x.p_g WHEN 'i' THEN x.p_i ELSE x.p_c END AS xp,
                                   CASE coalesce(v_one, dd.dim) WHEN 'g' THEN x.n_g WHEN 'i' THEN x.n_i ELSE x.n_c END AS xn) d
        WHERE d.key IS NOT NULL AND (v_key IS NULL OR d.key = v_key) AND cardinality(v_plain) > 0
        GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        SELECT x.account_id, reports_internal.group_of(x.created_at, v_period, v_tz), 'l'::"char", l.label, x.metric,
               count(*), count(x.val), sum(reports_internal.to_us(x.val)), count(x.bh), sum(reports_internal.to_us(x.bh)),
               reports.quantile_sketch_agg(x.val), reports.quantile_sketch_agg(x.bh), NULL::timestamp[],
               CASE WHEN bool_or(x.excludes) THEN
                   coalesce(array_agg(coalesce(x.p_c, '-infinity') ORDER BY coalesce(x.p_c, '-infinity'), coalesce(x.n_c, 'infinity'))
                            FILTER (WHERE x.p_c IS NOT NULL OR x.n_c IS NOT NULL), '{}') END,
               CASE WHEN bool_or(x.excludes) THEN
                   coalesce(array_agg(coalesce(x.n_c, 'infinity') ORDER BY coalesce(x.p_c, '-infinity'), coalesce(x.n_c, 'infinity'))
                            FILTER (WHERE x.p_c IS NOT NULL OR x.n_c IS NOT NULL), '{}') END
        FROM x
        JOIN reports_internal.labelled_conversations(v_key) l ON l.conversation_id = x.conversation_id
        WHERE v_labels AND x.own_conversation
        GROUP BY 1, 2, 3, 4, 5;
    END IF;

    -- Distinct conversations: the rows of existing conversations, each with the time of the
    -- previous row of the same metric, conversation and key (dup_prev; see the registry). Events
    -- slice by their user and inbox, or (by_conversation) by the conversation's current assignee
    -- and inbox; status changes (reopens) by the conversation; team and labels are the conversation's.
    IF v_distinct IS NOT NULL OR v_reopens THEN
        RETURN QUERY
        WITH x AS MATERIALIZED (
            SELECT e.account_id, e.created_at AS ts, m.name AS metric, e.conversation_id,
                   CASE WHEN m.by_conversation THEN c.assignee_id ELSE e.user_id END AS agent,
                   CASE WHEN m.by_conversation THEN c.inbox_id ELSE e.inbox_id END AS inbox,
                   c.account_id = e.account_id AS own_conversation,
                   CASE WHEN c.account_id = e.account_id THEN c.team_id END AS team,
                   prev.p_c, CASE WHEN m.by_conversation THEN prev.p_c ELSE prev.p_g END AS p_g,
                   CASE WHEN m.by_conversation THEN prev.p_c ELSE prev.p_i END AS p_i
            FROM unnest(v_from, v_to) r(f, t)
            CROSS JOIN LATERAL (SELECT e.* FROM public.reporting_events e  -- (see above)
                                WHERE e.created_at >= r.f AND e.created_at < r.t
                                  AND (v_account IS NULL OR e.account_id = v_account) AND e.account_id IS NOT NULL
                                  AND e.name = ANY (v_distinct) OFFSET 0) e
            JOIN reports_internal.metric m ON m.source = 'events' AND m.event_name = e.name
                                          AND m.kind = 'distinct_conversations'
                                          AND (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics))
            JOIN public.conversations c ON c.id = e.conversation_id
            LEFT JOIN reports.conversation_agent_messages am ON m.one_touch AND am.conversation_id = c.id
            CROSS JOIN LATERAL (
                SELECT max(e2.created_at) AS p_c,
                       max(e2.created_at) FILTER (WHERE e2.user_id = e.user_id) AS p_g,
                       max(e2.created_at) FILTER (WHERE e2.inbox_id = e.inbox_id) AS p_i
                FROM public.reporting_events e2
                WHERE e2.conversation_id = e.conversation_id AND e2.account_id = e.account_id AND e2.name = e.name
                  AND (e2.created_at < e.created_at OR (e2.created_at = e.created_at AND e2.id < e.id))) prev
            WHERE (v_account IS NULL OR e.account_id = v_account) AND e.account_id IS NOT NULL
              AND e.name = ANY (v_distinct)
              AND (NOT m.by_conversation OR c.account_id = e.account_id)
              AND (NOT m.one_touch OR am.messages = 1)
            UNION ALL
            SELECT s.account_id, s.changed_at, m.name, s.conversation_id, c.assignee_id, c.inbox_id, true, c.team_id,
                   prev.p_c, prev.p_c, prev.p_c
            FROM unnest(v_from, v_to) r(f, t)
            CROSS JOIN LATERAL (SELECT s.* FROM reports.conversation_status_changes s  -- (see above)
                                WHERE s.changed_at >= r.f AND s.changed_at < r.t
                                  AND (v_account IS NULL OR s.account_id = v_account)
                                  AND s.previous_status = 1 AND s.status = 0 OFFSET 0) s
            JOIN reports_internal.metric m ON m.source = 'status_changes'
                                          AND (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics))
            JOIN public.conversations c ON c.id = s.conversation_id AND c.account_id = s.account_id
            CROSS JOIN LATERAL (
                SELECT max(s2.changed_at) AS p_c
                FROM reports.conversation_status_changes s2
                WHERE s2.conversation_id = s.conversation_id AND s2.account_id = s.account_id
                  AND s2.previous_status = 1 AND s2.status = 0
                  AND (s2.changed_at < s.changed_at OR (s2.changed_at = s.changed_at AND s2.id < s.id))) prev
            WHERE v_reopens AND (v_account IS NULL OR s.account_id = v_account)
              AND s.previous_status = 1 AND s.status = 0
        )
        SELECT x.account_id, reports_internal.group_of(x.ts, v_period, v_tz), d.dim, d.key, x.metric,
               count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::bytea, NULL::bytea,
               coalesce(array_agg(d.prev ORDER BY d.prev) FILTER (WHERE d.prev IS NOT NULL), '{}'),
               NULL::timestamp[], NULL::timestamp[]
        FROM x
        CROSS JOIN unnest(v_plain) dd(dim)
        CROSS JOIN LATERAL (SELECT coalesce(v_one, dd.dim) AS dim,
                                   CASE coalesce(v_one, dd.dim) WHEN 'a' THEN '' WHEN 'g' THEN x.agent::text
                                        WHEN 'i' THEN x.inbox::text ELSE x.team::text END AS key,
                                   CASE coalesce(v_one, dd.dim) WHEN 'g' THEN x.p_g WHEN 'i' THEN x.p_i ELSE x.p_c END AS prev) d
        WHERE d.key IS NOT NULL AND (v_key IS NULL OR d.key = v_key) AND cardinality(v_plain) > 0
        GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        SELECT x.account_id, reports_internal.group_of(x.ts, v_period, v_tz), 'l'::"char", l.label, x.metric,
               count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::bytea, NULL::bytea,
               coalesce(array_agg(x.p_c ORDER BY x.p_c) FILTER (WHERE x.p_c IS NOT NULL), '{}'),
               NULL::timestamp[], NULL::timestamp[]
        FROM x
        JOIN reports_internal.labelled_conversations(v_key) l ON l.conversation_id = x.conversation_id
        WHERE v_labels AND x.own_conversation
        GROUP BY 1, 2, 3, 4, 5;
    END IF;
END
$$;
COMMENT ON FUNCTION reports_internal.compute_parts(int, timestamp[], timestamp[], "char"[], text, text[], text, text) IS
'The registered metrics'' additive parts from the raw tables: per group, dimension and key, over UTC ranges of one account or all.';

-- The conversations a label scope matches, with the label: tags in any tagging context,
-- lower-cased, once per conversation and label; only one label's when `label` is given. Joined
-- by hash, so a bulk computation reads taggings once rather than once per row.
CREATE FUNCTION reports_internal.labelled_conversations(label text)
RETURNS TABLE (conversation_id int, label text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT DISTINCT t.taggable_id, lower(g.name)
    FROM public.taggings t JOIN public.tags g ON g.id = t.tag_id
    WHERE t.taggable_type = 'Conversation'
      AND (labelled_conversations.label IS NULL OR lower(g.name) = labelled_conversations.label)
$$;

-- Rebuilds the day rows of the given UTC days and the month rows of their months from the rows
-- one grain finer, for the periods complete below covered (the rollup's covered_until): a day or
-- month row is always the sum of its hours.
CREATE FUNCTION reports_internal.roll_up_periods(days timestamp[], covered timestamp) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_months timestamp[] := ARRAY(SELECT DISTINCT date_trunc('month', d) FROM unnest(days) d);
BEGIN
    IF cardinality(days) = 0 THEN
        RETURN;
    END IF;
    DELETE FROM reports_internal.rollup r WHERE r.grain = 'd' AND r.hour = ANY (days);
    PERFORM reports_internal.sum_rows('h', 'd', ARRAY(SELECT d FROM unnest(days) d WHERE d + interval '1 day' <= covered));
    DELETE FROM reports_internal.rollup r WHERE r.grain = 'm' AND r.hour = ANY (v_months);
    PERFORM reports_internal.sum_rows('d', 'm', ARRAY(SELECT m FROM unnest(v_months) m WHERE m + interval '1 month' <= covered));
END
$$;

-- Concatenates time arrays (NULL when every input is NULL): the previous-row and excluding times
-- of the hours a day or month row sums.
CREATE AGGREGATE reports_internal.concat_times(timestamp[]) (
    SFUNC = array_cat,
    STYPE = timestamp[]
);

-- Inserts the rows of the periods (of grain `coarse`, starting at `starts`) summed from their rows
-- of grain `fine`: counts and sums added, sketches merged, the rows' previous and excluding times
-- concatenated in hour order (x_prev and x_next alike, so their pairs stay aligned).
CREATE FUNCTION reports_internal.sum_rows(fine "char", coarse "char", starts timestamp[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO reports_internal.rollup
    SELECT r.account_id, coarse, date_trunc(CASE coarse WHEN 'd' THEN 'day' ELSE 'month' END, r.hour),
           r.dim, r.key, r.metric, sum(r.n)::bigint, sum(r.v_n)::bigint, sum(r.v_sum), sum(r.b_n)::bigint, sum(r.b_sum),
           reports.quantile_sketch_merge(r.v_sketch), reports.quantile_sketch_merge(r.b_sketch),
           reports_internal.concat_times(r.dup_prev ORDER BY r.hour),
           reports_internal.concat_times(r.x_prev ORDER BY r.hour), reports_internal.concat_times(r.x_next ORDER BY r.hour)
    FROM reports_internal.rollup r
    WHERE r.grain = fine
      AND date_trunc(CASE coarse WHEN 'd' THEN 'day' ELSE 'month' END, r.hour) = ANY (starts)
    GROUP BY 1, 2, 3, 4, 5, 6
$$;

-- Brings the rollup up to date: recomputes the dirty hours and extends it to the last hour no
-- running transaction can still change unmarked (or to an hour before `up_to`, if earlier). Run it from cron, a
-- scheduler or reports-server (--rollup-interval-s); reports stay exact without it.
CREATE FUNCTION reports.refresh_rollup(up_to timestamptz DEFAULT NULL)
RETURNS TABLE (covered_until timestamptz, dirty_hours_recomputed bigint, rows_written bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_old timestamp;
    v_new timestamp;
    v_oldest_xact timestamptz;
    v_accounts int[];
    v_hours timestamp[];
    v_account int;
    v_account_hours timestamp[];
    v_written bigint := 0;
    v_n bigint;
BEGIN
    -- Each statement below must see everything committed before it: in REPEATABLE READ, a
    -- transaction that committed after our snapshot but before the activity check below would
    -- be neither seen nor waited for.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'refresh_rollup must run in a READ COMMITTED transaction, not %',
            upper(current_setting('transaction_isolation')) USING ERRCODE = '25000';
    END IF;
    -- One refresh at a time; readers are never blocked.
    SELECT s.covered_until INTO v_old FROM reports.rollup_state s FOR UPDATE;

    -- The oldest transaction running now. Rows it inserts later are marked dirty only when they
    -- lie rollup_lag() behind the clock, so nothing from rollup_lag() before its start on may be
    -- covered. A transaction this session cannot see would make that unsafe, so the refresh
    -- refuses rather than guess. (A prepared transaction shows only when it was prepared, which
    -- bounds its start from above only: the documented limit.)
    IF current_setting('track_activities') = 'off' THEN
        RAISE EXCEPTION 'refresh_rollup needs track_activities = on to see the running transactions'
            USING ERRCODE = '55000';
    END IF;
    PERFORM pg_catalog.pg_stat_clear_snapshot();
    IF EXISTS (SELECT FROM pg_catalog.pg_stat_activity a
               WHERE a.backend_type = 'client backend' AND a.query = '<insufficient privilege>') THEN
        RAISE EXCEPTION 'refresh_rollup must see every running transaction'
            USING ERRCODE = '42501',
                  HINT = 'Run it as a superuser or as a member of pg_read_all_stats.';
    END IF;
    SELECT min(a.xact_start) INTO v_oldest_xact
    FROM pg_catalog.pg_stat_activity a
    WHERE a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL;
    v_oldest_xact := least(v_oldest_xact, (SELECT min(p.prepared) FROM pg_catalog.pg_prepared_xacts p));
    v_new := date_trunc('hour', (least(statement_timestamp(), coalesce(v_oldest_xact, 'infinity'),
                                       coalesce(up_to, 'infinity')) AT TIME ZONE 'UTC') - reports_internal.rollup_lag());

    -- The marks committed so far go: their rows are visible to every statement below, and marks
    -- committed later stay for the next refresh (a rollback puts these back). The marked hours
    -- already covered are recomputed; marks of later hours only go away (those hours are
    -- computed afresh when the rollup reaches them).
    WITH taken AS (DELETE FROM reports_internal.rollup_dirty x RETURNING x.account_id, x.hour)
    SELECT array_agg(k.account_id), array_agg(k.hour) INTO v_accounts, v_hours
    FROM (SELECT DISTINCT t.account_id, t.hour FROM taken t WHERE t.hour < v_old) k;
    IF v_accounts IS NOT NULL THEN
        RAISE NOTICE 'refresh_rollup: recomputing % changed hours', cardinality(v_hours);
        DELETE FROM reports_internal.rollup r
        USING unnest(v_accounts, v_hours) k(a, h)
        WHERE r.account_id = k.a AND r.grain = 'h' AND r.hour = k.h;
        -- each account's changed hours as ranges of its own
        FOR v_account, v_account_hours IN
            SELECT k.a, array_agg(k.h ORDER BY k.h) FROM unnest(v_accounts, v_hours) k(a, h) GROUP BY k.a
        LOOP
            INSERT INTO reports_internal.rollup
            SELECT p.account_id, 'h', p.grp, p.dim, p.key, p.metric, p.n, p.v_n, coalesce(p.v_sum, 0), p.b_n,
                   coalesce(p.b_sum, 0), p.v_sketch, p.b_sketch, p.dup_prev, p.x_prev, p.x_next
            FROM reports_internal.compute_parts(v_account, v_account_hours,
                                                ARRAY(SELECT h + interval '1 hour' FROM unnest(v_account_hours) h),
                                                '{a,g,i,t,l}') p;
            GET DIAGNOSTICS v_n = ROW_COUNT;
            v_written := v_written + v_n;
        END LOOP;
    END IF;

    IF v_new > v_old THEN
        RAISE NOTICE 'refresh_rollup: rolling up % .. % (UTC)',
            CASE WHEN v_old = '-infinity' THEN 'the first row' ELSE v_old::text END, v_new;
        DELETE FROM reports_internal.rollup r WHERE r.grain = 'h' AND r.hour >= v_old AND r.hour < v_new;
        INSERT INTO reports_internal.rollup
        SELECT p.account_id, 'h', p.grp, p.dim, p.key, p.metric, p.n, p.v_n, coalesce(p.v_sum, 0), p.b_n,
               coalesce(p.b_sum, 0), p.v_sketch, p.b_sketch, p.dup_prev, p.x_prev, p.x_next
        FROM reports_internal.compute_parts(NULL, ARRAY[v_old], ARRAY[v_new], '{a,g,i,t,l}') p;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_written := v_written + v_n;
        UPDATE reports.rollup_state SET covered_until = v_new;
    END IF;
    -- The days and months the recomputed and the new hours lie in, from their hours.
    PERFORM reports_internal.roll_up_periods(
        ARRAY(SELECT DISTINCT date_trunc('day', h) FROM unnest(v_hours) h
              UNION
              SELECT DISTINCT date_trunc('day', r.hour) FROM reports_internal.rollup r
              WHERE r.grain = 'h' AND r.hour >= v_old AND r.hour < v_new AND v_new > v_old
              UNION  -- days that completed without rows in their last hours
              SELECT d FROM generate_series(date_trunc('day', CASE WHEN isfinite(v_old) THEN v_old ELSE v_new END), v_new,
                                          interval '1 day') d
              WHERE v_new > v_old),
        greatest(v_old, v_new));
    UPDATE reports.rollup_state SET refreshed_at = statement_timestamp();
    -- The read path's plans depend on the rollup's statistics (without them, an entity report
    -- read all of a dimension's rows through the primary key: 2.9 s instead of 0.2 s on a 2M-event
    -- account): after writing a tenth of the table or more, they are gathered now, not left to
    -- autovacuum's next visit.
    IF v_written > 0 AND v_written * 10 >= greatest((SELECT c.reltuples FROM pg_class c
                                                     WHERE c.oid = 'reports_internal.rollup'::regclass), 0) THEN
        ANALYZE reports_internal.rollup;
    END IF;

    RETURN QUERY SELECT (SELECT s.covered_until FROM reports.rollup_state s) AT TIME ZONE 'UTC',
                        coalesce(cardinality(v_hours), 0)::bigint, v_written;
END
$$;
COMMENT ON FUNCTION reports.refresh_rollup(timestamptz) IS
'Recomputes the changed hours of the rollup and extends it up to an hour before the oldest running transaction (or up_to). Reports stay exact whether or not it runs; they get faster when it does.';

-- TRUNCATE of a source table fires no row triggers: the whole rollup goes.
CREATE FUNCTION reports_internal.reset_rollup_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reports.reset_rollup();
    RETURN NULL;
END
$$;

-- Drops the rollup entirely; reports read raw rows until the next refresh_rollup().
CREATE FUNCTION reports.reset_rollup() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM reports_internal.rollup;
    DELETE FROM reports_internal.rollup_dirty;
    UPDATE reports.rollup_state SET covered_until = '-infinity', refreshed_at = NULL;
$$;
COMMENT ON FUNCTION reports.reset_rollup() IS
'Empties the rollup; reports read the raw tables (same answers, slower) until the next reports.refresh_rollup().';

-- The first instant at or after ts that starts a UTC hour or day.
CREATE FUNCTION reports_internal.ceil_to(ts timestamp, unit text)
RETURNS timestamp
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN date_trunc(unit, ts) < ts THEN date_trunc(unit, ts) + ('1 ' || unit)::interval
                ELSE date_trunc(unit, ts) END
$$;

-- How many of a distinct_conversations part's previous-row times lie at or after a group's start:
-- the rows whose conversation the group already counted (0 without times).
CREATE FUNCTION reports_internal.count_from(times timestamp[], start timestamp)
RETURNS bigint
AS 'MODULE_PATHNAME', 'sr_count_from'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- How many rows of a part with exclusions are left out of a report over [since, until): those with
-- a row of the excluding metric in the range, at or before them (x_prev) or after them (x_next).
CREATE FUNCTION reports_internal.count_excluded(x_prev timestamp[], x_next timestamp[], since timestamp, until timestamp)
RETURNS bigint
AS 'MODULE_PATHNAME', 'sr_count_excluded'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Every report's read path: the parts of some metrics of one account over [since, until) (UTC),
-- for one dimension (and optionally one key), per group: per bucket of `period` in zone tz, or one
-- group for the whole range with period 'range'. Each bucket's UTC interval is read from the
-- coarsest rollup rows that fit it: whole UTC months, then days, then hours, all below
-- covered_until and holding no hour marked changed; everything else (the ends, changed hours,
-- hours a bucket boundary cuts, hours not rolled up) from compute_parts over the raw rows. For
-- distinct_conversations metrics n is the number of distinct conversations over the whole group
-- (its rows less those whose previous row lies in the group too); a metric with excluded_by leaves
-- out its rows of the conversations that metric counts over the whole range (all groups) for the
-- same key. Ratios are read as their numerator's and denominator's parts.
-- A quantile metric is read as the parts of its average (metric is that average's name), whose
-- sketches are merged here.
CREATE FUNCTION reports_internal.parts(account_id int, since timestamp, until timestamp, dim "char",
                                       only_key text, metrics text[], period text DEFAULT 'range',
                                       tz text DEFAULT 'UTC')
RETURNS TABLE (grp timestamp, key text, metric text, n bigint, v_n bigint, v_sum numeric, b_n bigint, b_sum numeric,
               v_sketch bytea, b_sketch bytea)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := parts.account_id;
    v_dim "char" := parts.dim;
    v_key text := parts.only_key;
    v_period text := parts.period;
    v_tz text := parts.tz;
    v_metrics text[] := reports_internal.parts_metrics(parts.metrics);
    v_covered timestamp;
    v_first timestamp;
    v_dirty timestamp[];
    v_buckets reports.series_bucket[];
    v_seg_grp timestamp[];    -- rollup rows to read: (group, grain, period start)
    v_seg_grain "char"[];
    v_seg_start timestamp[];
    v_from timestamp[];       -- raw ranges
    v_to timestamp[];
    v_grp timestamp[];        -- the groups and where each starts (within [since, until))
    v_grp_start timestamp[];
BEGIN
    SELECT s.covered_until INTO v_covered FROM reports.rollup_state s;
    -- An hourly series past the bucket limit (reports.heatmap over decades) is read raw whole.
    IF v_period = 'hour' AND until - since > interval '99000 hours' THEN
        v_covered := '-infinity';
    ELSIF v_period <> 'range' THEN
        SELECT reports.series_agg(NULL::timestamptz, NULL::float8, v_period, v_tz, since AT TIME ZONE 'UTC',
                                  until AT TIME ZONE 'UTC') INTO v_buckets;
    END IF;
    -- the account's first rolled-up hour of this dimension (none: nothing to read from the rollup)
    v_first := coalesce((SELECT min(r.hour) FROM reports_internal.rollup r
                         WHERE r.account_id = v_account AND r.dim = v_dim AND r.grain = 'h'), 'infinity');
    v_dirty := ARRAY(SELECT DISTINCT d.hour FROM reports_internal.rollup_dirty d
                     WHERE d.account_id = v_account AND d.hour >= since - interval '1 hour' AND d.hour < until);

    WITH bk AS (  -- the groups as UTC ranges within [since, until)
        SELECT '-infinity'::timestamp AS grp, since AS s, until AS e WHERE v_buckets IS NULL
        UNION ALL
        SELECT b.grp, greatest(b.grp, since), least(b.e, until)
        FROM (SELECT x.bucket AT TIME ZONE 'UTC' AS grp,
                     coalesce(lead(x.bucket) OVER (ORDER BY x.bucket) AT TIME ZONE 'UTC', until) AS e
              FROM unnest(v_buckets) x) b
    ), lim AS (   -- per group, the whole hours [hs, he) it holds that are rolled up (from the
                  -- account's first rolled-up hour on: a range from 4713 BC enumerates no empty days)
        SELECT bk.grp, bk.s, bk.e, x.hs, least(date_trunc('hour', bk.e), v_covered) AS he,
               reports_internal.ceil_to(x.hs, 'day') AS ds
        FROM bk CROSS JOIN LATERAL (SELECT greatest(reports_internal.ceil_to(bk.s, 'hour'), v_first) AS hs) x
    ), changed_days AS (
        SELECT DISTINCT date_trunc('day', h) AS d FROM unnest(v_dirty) h
    ), days AS (  -- whole unchanged days inside a group
        SELECT lim.grp, d.d
        FROM lim CROSS JOIN LATERAL generate_series(lim.ds, date_trunc('day', lim.he) - interval '1 day', interval '1 day') d(d)
        WHERE lim.he > lim.hs AND d.d NOT IN (SELECT changed_days.d FROM changed_days)
    ), months AS (
        SELECT days.grp, date_trunc('month', days.d) AS m FROM days GROUP BY 1, 2
        HAVING count(*) = extract(day FROM date_trunc('month', days.d) + interval '1 month' - date_trunc('month', days.d))
    ), hour_zones AS (  -- where hours, not days, are read: the partial days at the ends, changed days
        SELECT lim.grp, lim.hs AS f, least(lim.he, lim.ds) AS t FROM lim
        UNION ALL
        SELECT lim.grp, greatest(lim.hs, date_trunc('day', lim.he)), lim.he FROM lim WHERE date_trunc('day', lim.he) >= lim.ds
        UNION ALL
        SELECT lim.grp, c.d, c.d + interval '1 day'
        FROM lim JOIN changed_days c ON c.d >= lim.ds AND c.d + interval '1 day' <= date_trunc('day', lim.he)
    ), hrs AS (   -- whole unchanged hours there
        SELECT z.grp, h.h
        FROM hour_zones z CROSS JOIN LATERAL generate_series(z.f, z.t - interval '1 hour', interval '1 hour') h(h)
        WHERE z.f < z.t AND h.h <> ALL (v_dirty)
    ), seg AS (
        SELECT months.grp, 'm'::"char" AS grain, months.m AS start FROM months
        UNION ALL
        SELECT days.grp, 'd', days.d FROM days
        WHERE NOT EXISTS (SELECT FROM months WHERE months.grp = days.grp AND months.m = date_trunc('month', days.d))
        UNION ALL
        SELECT hrs.grp, 'h', hrs.h FROM hrs
    ), covered AS (
        SELECT days.grp, days.d AS f, days.d + interval '1 day' AS t FROM days
        UNION ALL
        SELECT hrs.grp, hrs.h, hrs.h + interval '1 hour' FROM hrs
    ), gaps AS (  -- what the rolled-up days and hours leave of each group: read raw
        SELECT bk.s AS f, coalesce(first.f, bk.e) AS t
        FROM bk LEFT JOIN (SELECT covered.grp, min(covered.f) AS f FROM covered GROUP BY covered.grp) first ON first.grp = bk.grp
        UNION ALL
        SELECT c.t, coalesce(lead(c.f) OVER (PARTITION BY c.grp ORDER BY c.f), bk.e)
        FROM covered c JOIN bk ON bk.grp = c.grp
    )
    SELECT (SELECT array_agg(seg.grp) FROM seg), (SELECT array_agg(seg.grain) FROM seg),
           (SELECT array_agg(seg.start) FROM seg),
           (SELECT array_agg(gaps.f ORDER BY gaps.f) FROM gaps WHERE gaps.f < gaps.t),
           (SELECT array_agg(gaps.t ORDER BY gaps.f) FROM gaps WHERE gaps.f < gaps.t),
           (SELECT array_agg(bk.grp) FROM bk), (SELECT array_agg(bk.s) FROM bk)
    INTO v_seg_grp, v_seg_grain, v_seg_start, v_from, v_to, v_grp, v_grp_start;

    -- Each row's n as it counts in its group: for distinct conversations, its rows less those
    -- whose previous row lies in the group too; for a metric with exclusions, less the rows left
    -- out over the whole range. (Per row, where its group's start is at hand: the sum below then
    -- needs no join.)
    RETURN QUERY
    WITH p AS (
        SELECT s.grp, r.key, r.metric,
               r.n - reports_internal.count_from(r.dup_prev, g.s)
                   - reports_internal.count_excluded(r.x_prev, r.x_next, since, until) AS n,
               r.v_n, r.v_sum, r.b_n, r.b_sum, r.v_sketch, r.b_sketch
        FROM unnest(v_seg_grp, v_seg_grain, v_seg_start) s(grp, grain, start)
        JOIN unnest(v_grp, v_grp_start) g(grp, s) ON g.grp = s.grp
        JOIN reports_internal.rollup r
          ON r.account_id = v_account AND r.dim = v_dim AND r.grain = s.grain AND r.hour = s.start
         AND (v_key IS NULL OR r.key = v_key) AND r.metric = ANY (v_metrics)
        UNION ALL
        SELECT c.grp, c.key, c.metric,
               c.n - reports_internal.count_from(c.dup_prev, g.s)
                   - reports_internal.count_excluded(c.x_prev, c.x_next, since, until),
               c.v_n, c.v_sum, c.b_n, c.b_sum, c.v_sketch, c.b_sketch
        FROM reports_internal.compute_parts(v_account, coalesce(v_from, '{}'), coalesce(v_to, '{}'), ARRAY[v_dim],
                                            v_key, v_metrics, v_period, v_tz) c
        JOIN unnest(v_grp, v_grp_start) g(grp, s) ON g.grp = c.grp
    )
    SELECT p.grp, p.key, p.metric, sum(p.n)::bigint, sum(p.v_n)::bigint, sum(p.v_sum), sum(p.b_n)::bigint, sum(p.b_sum),
           reports.quantile_sketch_merge(p.v_sketch), reports.quantile_sketch_merge(p.b_sketch)
    FROM p
    GROUP BY 1, 2, 3;
END
$$;
COMMENT ON FUNCTION reports_internal.parts(int, timestamp, timestamp, "char", text, text[], text, text) IS
'The read path of every report: metric parts per group and key, from the coarsest rollup rows that fit and the raw rows for the rest.';

-- A metric's value from its combined parts: counts are n; averages the exact mean of the values
-- (value_in_business_hours ones with business_hours), quantiles the quantile of their sketch;
-- NULL without values.
CREATE FUNCTION reports_internal.part_value(kind text, n bigint, v_n bigint, v_sum numeric, b_n bigint,
                                            b_sum numeric, business_hours bool, v_sketch bytea DEFAULT NULL,
                                            b_sketch bytea DEFAULT NULL, quantile float8 DEFAULT NULL)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN kind = 'quantile' THEN
                    reports.sketch_quantile(CASE WHEN business_hours THEN b_sketch ELSE v_sketch END, quantile)
                WHEN kind <> 'average' THEN n::float8
                WHEN business_hours THEN reports_internal.mean_seconds(b_sum, b_n)
                ELSE reports_internal.mean_seconds(v_sum, v_n) END
$$;

-- part * 100 / whole: the ratios (NULL when whole is 0 or NULL).
CREATE FUNCTION reports_internal.percent(part bigint, whole bigint)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE WHEN whole > 0 THEN part * 100.0::float8 / whole END $$;

-- The asked metrics' values per group and key (see reports_internal.parts): counts, averages and
-- quantiles from their parts, ratios from their numerator's and denominator's counts; n is the
-- rows (a ratio's: its denominator's). A group and key without rows of a metric (of a ratio's
-- denominator) has no row for it.
CREATE FUNCTION reports_internal.metric_values(account_id int, since timestamp, until timestamp, dim "char",
                                               only_key text, metrics text[], business_hours bool,
                                               period text DEFAULT 'range', tz text DEFAULT 'UTC')
RETURNS TABLE (grp timestamp, key text, metric text, value float8, n bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH p AS MATERIALIZED (
        SELECT * FROM reports_internal.parts(metric_values.account_id, metric_values.since, metric_values.until,
                                             metric_values.dim, metric_values.only_key, metric_values.metrics,
                                             metric_values.period, metric_values.tz)
    )
    SELECT p.grp, p.key, m.name,
           reports_internal.part_value(m.kind, p.n, p.v_n, p.v_sum, p.b_n, p.b_sum, metric_values.business_hours,
                                       p.v_sketch, p.b_sketch, m.quantile),
           p.n
    FROM reports_internal.metric m
    JOIN p ON p.metric = coalesce(m.quantile_of, m.name)
    WHERE m.name = ANY (metric_values.metrics) AND m.kind <> 'ratio'
    UNION ALL
    SELECT d.grp, d.key, m.name, reports_internal.percent(coalesce(nu.n, 0), d.n), d.n
    FROM reports_internal.metric m
    JOIN p d ON d.metric = m.denominator
    LEFT JOIN p nu ON nu.metric = m.numerator AND nu.grp = d.grp AND nu.key = d.key
    WHERE m.name = ANY (metric_values.metrics) AND m.kind = 'ratio'
$$;

-- ==== 40_conversation_reports.sql ====
-------------------------------------------------------------------------------------------------
-- Conversation reports: timeseries, summary, heatmap, distributions.
-- plpgsql reports run with force_custom_plan so that each call is planned with its actual scope
-- and metric (the CASE branches fold away and the account/name/created_at indexes are used).
-------------------------------------------------------------------------------------------------

-- The dimension and key a scope reads: the account; an agent of the account (another id matches
-- nothing); an inbox or team (their rows are the account's only); a label of the account, as the
-- lower-case tag name its conversations carry.
CREATE FUNCTION reports_internal.scope_key(account_id int, scope text, scope_id int, OUT dim "char", OUT key text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE scope WHEN 'account' THEN 'a' WHEN 'agent' THEN 'g' WHEN 'inbox' THEN 'i' WHEN 'team' THEN 't'
                      ELSE 'l' END::"char",
           CASE scope
               WHEN 'account' THEN ''
               WHEN 'agent' THEN CASE WHEN reports_internal.is_account_user(scope_key.account_id, scope_id)
                                      THEN scope_id::text ELSE '#none' END
               WHEN 'label' THEN coalesce((SELECT lower(l.title) FROM public.labels l
                                           WHERE l.id = scope_id AND l.account_id = scope_key.account_id), '#none')
               ELSE scope_id::text END
$$;

CREATE FUNCTION reports.timeseries(account_id int, metric text, since timestamptz, until timestamptz,
                                   group_by text DEFAULT 'day', tz text DEFAULT 'UTC',
                                   scope text DEFAULT 'account', scope_id int DEFAULT NULL,
                                   business_hours bool DEFAULT false)
RETURNS TABLE (bucket timestamptz, value float8, count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_metric text := timeseries.metric;
    v_period text := lower(timeseries.group_by);
    v_bh bool := coalesce(timeseries.business_hours, false);
    v_slots reports.series_bucket[];
    v_scope record;
BEGIN
    IF timeseries.account_id IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports_internal.check_metric(v_metric, reports_internal.series_metrics());
    PERFORM reports_internal.check_range(timeseries.since, timeseries.until);
    PERFORM reports_internal.check_scope(timeseries.scope, timeseries.scope_id);
    PERFORM reports_internal.check_group_by(timeseries.group_by);
    IF timeseries.tz IS NULL THEN RAISE EXCEPTION 'invalid tz: must not be NULL' USING ERRCODE = '22004'; END IF;
    -- The zero-filled buckets; validates tz (and the bucket limit) before any table is read.
    SELECT reports.series_agg(NULL::timestamptz, NULL::float8, v_period, timeseries.tz, timeseries.since,
                              timeseries.until) INTO v_slots;
    v_scope := reports_internal.scope_key(timeseries.account_id, timeseries.scope, timeseries.scope_id);
    RETURN QUERY
    SELECT s.bucket, CASE WHEN v.grp IS NULL THEN 0::float8 ELSE coalesce(v.value, 0) END, coalesce(v.n, 0)
    FROM unnest(v_slots) s
    LEFT JOIN reports_internal.metric_values(timeseries.account_id, timeseries.since AT TIME ZONE 'UTC',
                                             timeseries.until AT TIME ZONE 'UTC', v_scope.dim, v_scope.key,
                                             ARRAY[v_metric], v_bh, v_period, timeseries.tz) v
           ON v.grp = s.bucket AT TIME ZONE 'UTC'
    ORDER BY s.bucket;
END
$$;
COMMENT ON FUNCTION reports.timeseries(int, text, timestamptz, timestamptz, text, text, text, int, bool) IS
'Dense, zero-filled series of one metric: buckets from the one containing since while the bucket start is before until. value = count for count metrics, the average or quantile (0 when empty) for averages and quantiles; count = rows in the bucket.';

-- The summary's metrics of one period as one row of (metric -> value), read by name; a metric
-- without rows is 0 (counts) or NULL (averages, quantiles, rates).
CREATE FUNCTION reports_internal.summary_values(account_id int, since timestamp, until timestamp, dim "char",
                                                key text, business_hours bool)
RETURNS TABLE (metric text, value float8)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT m.name, CASE WHEN v.metric IS NOT NULL THEN v.value
                        WHEN m.kind IN ('count', 'distinct_conversations') THEN 0 END
    FROM reports_internal.metric m
    LEFT JOIN reports_internal.metric_values(summary_values.account_id, summary_values.since, summary_values.until,
                                             summary_values.dim, summary_values.key,
                                             ARRAY(SELECT x.name FROM reports_internal.metric x WHERE x.in_summary),
                                             summary_values.business_hours) v ON v.metric = m.name
    WHERE m.in_summary AND summary_values.since < summary_values.until
$$;

CREATE FUNCTION reports.summary(account_id int, since timestamptz, until timestamptz,
                                scope text DEFAULT 'account', scope_id int DEFAULT NULL,
                                business_hours bool DEFAULT false)
RETURNS TABLE (conversations_count bigint, incoming_messages_count bigint, outgoing_messages_count bigint,
               avg_first_response_time float8, avg_resolution_time float8, resolutions_count bigint,
               reply_time float8, bot_resolutions_count bigint, bot_handoffs_count bigint,
               previous_conversations_count bigint, previous_incoming_messages_count bigint,
               previous_outgoing_messages_count bigint, previous_avg_first_response_time float8,
               previous_avg_resolution_time float8, previous_resolutions_count bigint,
               previous_reply_time float8, previous_bot_resolutions_count bigint,
               previous_bot_handoffs_count bigint,
               median_first_response_time float8, p90_first_response_time float8, median_resolution_time float8,
               p90_resolution_time float8, median_reply_time float8, p90_reply_time float8,
               reopened_count bigint, reopen_rate float8, one_touch_resolution_rate float8,
               previous_median_first_response_time float8, previous_p90_first_response_time float8,
               previous_median_resolution_time float8, previous_p90_resolution_time float8,
               previous_median_reply_time float8, previous_p90_reply_time float8,
               previous_reopened_count bigint, previous_reopen_rate float8, previous_one_touch_resolution_rate float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_bh bool := coalesce(summary.business_hours, false);
    v_cut timestamp;   -- the boundary between the previous and the current period, in UTC
    v_prev timestamp;  -- the previous period's start
    v_scope record;
BEGIN
    IF summary.account_id IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports_internal.check_range(summary.since, summary.until);
    PERFORM reports_internal.check_scope(summary.scope, summary.scope_id);
    v_cut := summary.since AT TIME ZONE 'UTC';
    -- The previous period has the same length; before the first representable instant it starts there.
    BEGIN
        v_prev := v_cut - (summary.until - summary.since);
    EXCEPTION WHEN datetime_field_overflow OR interval_field_overflow THEN
        v_prev := '4714-11-24 00:00:00 BC';
    END;
    IF v_prev < '4714-11-24 00:00:00 BC' THEN v_prev := '4714-11-24 00:00:00 BC'; END IF;
    v_scope := reports_internal.scope_key(summary.account_id, summary.scope, summary.scope_id);
    RETURN QUERY
    WITH cur AS (
        SELECT * FROM reports_internal.summary_values(summary.account_id, v_cut, summary.until AT TIME ZONE 'UTC',
                                                      v_scope.dim, v_scope.key, v_bh)
    ), prev AS (
        SELECT * FROM reports_internal.summary_values(summary.account_id, v_prev, v_cut, v_scope.dim, v_scope.key, v_bh)
    )
    SELECT (SELECT c.value FROM cur c WHERE c.metric = 'conversations_count')::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'incoming_messages_count')::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'outgoing_messages_count')::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'avg_first_response_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'avg_resolution_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'resolutions_count')::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'reply_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'bot_resolutions_count')::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'bot_handoffs_count')::bigint,
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'conversations_count'), 0)::bigint,
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'incoming_messages_count'), 0)::bigint,
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'outgoing_messages_count'), 0)::bigint,
           (SELECT c.value FROM prev c WHERE c.metric = 'avg_first_response_time'),
           (SELECT c.value FROM prev c WHERE c.metric = 'avg_resolution_time'),
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'resolutions_count'), 0)::bigint,
           (SELECT c.value FROM prev c WHERE c.metric = 'reply_time'),
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'bot_resolutions_count'), 0)::bigint,
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'bot_handoffs_count'), 0)::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'median_first_response_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'p90_first_response_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'median_resolution_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'p90_resolution_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'median_reply_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'p90_reply_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'reopened_count')::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'reopen_rate'),
           (SELECT c.value FROM cur c WHERE c.metric = 'one_touch_resolution_rate'),
           (SELECT c.value FROM prev c WHERE c.metric = 'median_first_response_time'),
           (SELECT c.value FROM prev c WHERE c.metric = 'p90_first_response_time'),
           (SELECT c.value FROM prev c WHERE c.metric = 'median_resolution_time'),
           (SELECT c.value FROM prev c WHERE c.metric = 'p90_resolution_time'),
           (SELECT c.value FROM prev c WHERE c.metric = 'median_reply_time'),
           (SELECT c.value FROM prev c WHERE c.metric = 'p90_reply_time'),
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'reopened_count'), 0)::bigint,
           (SELECT c.value FROM prev c WHERE c.metric = 'reopen_rate'),
           (SELECT c.value FROM prev c WHERE c.metric = 'one_touch_resolution_rate');
END
$$;
COMMENT ON FUNCTION reports.summary(int, timestamptz, timestamptz, text, int, bool) IS
'The 18 conversation metrics over [since, until) and over the previous period of the same length, for the account or one agent, inbox, team or label (the 9 of Chatwoot first, then medians, p90s, reopens and one-touch resolutions). Whole hours come from the rollup, the rest from the raw rows; averages, quantiles and rates are NULL when there are no values.';

CREATE FUNCTION reports.heatmap(account_id int, since timestamptz, until timestamptz, tz text DEFAULT 'UTC',
                                metric text DEFAULT 'conversations_count')
RETURNS TABLE (day text, dow int, hour int, count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_cells int8[];
BEGIN
    IF heatmap.account_id IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports_internal.check_metric(heatmap.metric,
        ARRAY(SELECT m.name FROM reports_internal.metric m WHERE m.in_heatmap ORDER BY m.position));
    PERFORM reports_internal.check_range(heatmap.since, heatmap.until);
    SELECT reports.heatmap_agg(NULL::timestamptz, heatmap.tz) INTO v_cells;  -- validates tz
    -- Local hour buckets, each counted in its weekday and hour cell (both readings of a repeated
    -- hour land in the same cell).
    RETURN QUERY
    WITH cells AS (
        SELECT extract(dow FROM l.local)::int AS dow, extract(hour FROM l.local)::int AS hour, sum(p.n)::bigint AS n
        FROM reports_internal.parts(heatmap.account_id, heatmap.since AT TIME ZONE 'UTC', heatmap.until AT TIME ZONE 'UTC',
                                    'a', '', ARRAY[heatmap.metric], 'hour', heatmap.tz) p
        CROSS JOIN LATERAL (SELECT (p.grp AT TIME ZONE 'UTC') AT TIME ZONE heatmap.tz AS local) l
        GROUP BY 1, 2
    )
    SELECT (ARRAY['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'])[d + 1],
           d, h, coalesce(c.n, 0)
    FROM generate_series(0, 6) d CROSS JOIN generate_series(0, 23) h
    LEFT JOIN cells c ON c.dow = d AND c.hour = h
    ORDER BY d, h;
END
$$;
COMMENT ON FUNCTION reports.heatmap(int, timestamptz, timestamptz, text, text) IS
'Traffic heatmap: 168 rows (Sunday 0 .. Saturday 6, hour 0..23 in zone tz) with the count of the metric.';

-- Labels for histogram buckets: "0-5min" ... "1hr+" (minutes up to an hour, then hours, else seconds).
CREATE FUNCTION reports_internal.duration_bucket_labels(edges float8[])
RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_agg(label ORDER BY i)
    FROM (
        SELECT i,
               CASE WHEN i > n THEN
                        CASE WHEN lo::numeric % 3600 = 0 AND lo > 0 THEN (lo / 3600)::text || 'hr+'
                             WHEN lo::numeric % 60 = 0 THEN (lo / 60)::text || 'min+'
                             ELSE lo::text || 's+' END
                    WHEN hi <= 3600 AND lo::numeric % 60 = 0 AND hi::numeric % 60 = 0 THEN (lo / 60)::text || '-' || (hi / 60)::text || 'min'
                    WHEN lo::numeric % 3600 = 0 AND hi::numeric % 3600 = 0 THEN (lo / 3600)::text || '-' || (hi / 3600)::text || 'hr'
                    ELSE lo::text || '-' || hi::text || 's'
               END AS label
        FROM (SELECT i, cardinality(edges) AS n,
                     CASE WHEN i = 1 THEN least(0, edges[1]) ELSE edges[i - 1] END AS lo,
                     edges[i] AS hi
              FROM generate_series(1, cardinality(edges) + 1) i) b
    ) l
$$;

CREATE FUNCTION reports.first_response_time_distribution(account_id int, since timestamptz, until timestamptz,
                                                         edges float8[] DEFAULT '{300,900,1800,3600}')
RETURNS TABLE (bucket text, count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    v_counts int8[];
BEGIN
    IF first_response_time_distribution.account_id IS NULL THEN
        RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004';
    END IF;
    PERFORM reports_internal.check_range(first_response_time_distribution.since, first_response_time_distribution.until, false);
    IF edges IS NULL THEN RAISE EXCEPTION 'invalid edges: must not be NULL' USING ERRCODE = '22004'; END IF;
    SELECT reports.histogram_agg(NULL::float8, edges) INTO v_counts;  -- validates the edges
    SELECT reports.histogram_agg(e.value, edges) INTO v_counts
    FROM public.reporting_events e
    WHERE e.account_id = first_response_time_distribution.account_id AND e.name = 'first_response'
      AND (first_response_time_distribution.since IS NULL OR e.created_at >= first_response_time_distribution.since AT TIME ZONE 'UTC')
      AND (first_response_time_distribution.until IS NULL OR e.created_at < first_response_time_distribution.until AT TIME ZONE 'UTC');
    RETURN QUERY
    SELECT l.label, coalesce(v_counts[l.i], 0)
    FROM unnest(reports_internal.duration_bucket_labels(edges)) WITH ORDINALITY AS l(label, i)
    ORDER BY l.i;
END
$$;
COMMENT ON FUNCTION reports.first_response_time_distribution(int, timestamptz, timestamptz, float8[]) IS
'First-response times (seconds, wall clock) counted per bucket [edges[i-1], edges[i]); default buckets 0-5min, 5-15min, 15-30min, 30-60min, 1hr+. NULL since/until: no date filter.';

CREATE FUNCTION reports.first_response_time_distribution_by_channel(account_id int, since timestamptz DEFAULT NULL,
                                                                    until timestamptz DEFAULT NULL)
RETURNS TABLE (channel_type text, bucket text, count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    IF first_response_time_distribution_by_channel.account_id IS NULL THEN
        RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004';
    END IF;
    PERFORM reports_internal.check_range(first_response_time_distribution_by_channel.since,
                                first_response_time_distribution_by_channel.until, false);
    RETURN QUERY
    SELECT h.channel_type::text, l.label, h.counts[l.i]
    FROM (SELECT i.channel_type, reports.histogram_agg(e.value, '{3600,14400,28800,86400}') AS counts
          FROM public.reporting_events e
          JOIN public.inboxes i ON i.id = e.inbox_id AND i.account_id = first_response_time_distribution_by_channel.account_id
          WHERE e.account_id = first_response_time_distribution_by_channel.account_id AND e.name = 'first_response'
            AND (first_response_time_distribution_by_channel.since IS NULL
                 OR e.created_at >= first_response_time_distribution_by_channel.since AT TIME ZONE 'UTC')
            AND (first_response_time_distribution_by_channel.until IS NULL
                 OR e.created_at < first_response_time_distribution_by_channel.until AT TIME ZONE 'UTC')
          GROUP BY i.channel_type) h
    CROSS JOIN unnest(ARRAY['0-1h', '1-4h', '4-8h', '8-24h', '24h+']) WITH ORDINALITY AS l(label, i)
    ORDER BY h.channel_type, l.i;
END
$$;
COMMENT ON FUNCTION reports.first_response_time_distribution_by_channel(int, timestamptz, timestamptz) IS
'Chatwoot''s /reports/first_response_time_distribution: first-response counts per channel type in buckets 0-1h, 1-4h, 4-8h, 8-24h, 24h+.';

-- Backlog: how many of the scope's conversations were open, pending and snoozed at the end of each
-- bucket (at `until` for the last one), from the recorded status history. One pass: every
-- conversation's life is cut into (state, from, to) segments, each segment becomes +1 at its start
-- and -1 at its end, the changes before `since` are summed into the starting counts, series_agg
-- sums the rest per bucket, and a running sum over the buckets gives the counts. Its cost is the
-- history's size, not buckets x conversations.
-- History that starts after a conversation was created (the extension installed later, or the
-- trigger off for a while): the conversation was in its first recorded change's previous_status
-- from its created_at to that change; with no recorded change at all, in its current status since
-- created_at. Consecutive recorded rows are trusted over previous_status, so a missed change never
-- counts a conversation twice. Deleted conversations are not counted; scopes are the
-- conversation's current assignee, inbox, team and labels, as for conversations_count.
CREATE FUNCTION reports.backlog(account_id int, since timestamptz, until timestamptz,
                                group_by text DEFAULT 'day', tz text DEFAULT 'UTC',
                                scope text DEFAULT 'account', scope_id int DEFAULT NULL)
RETURNS TABLE (bucket timestamptz, open bigint, pending bigint, snoozed bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_period text := lower(backlog.group_by);
    v_slots reports.series_bucket[];
    v_scope record;
    v_since timestamp;
    v_until timestamp;
    v_start int8[];  -- open, pending, snoozed before since
    v_open reports.series_bucket[];
    v_pending reports.series_bucket[];
    v_snoozed reports.series_bucket[];
BEGIN
    IF backlog.account_id IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports_internal.check_range(backlog.since, backlog.until);
    PERFORM reports_internal.check_scope(backlog.scope, backlog.scope_id);
    PERFORM reports_internal.check_group_by(backlog.group_by);
    IF backlog.tz IS NULL THEN RAISE EXCEPTION 'invalid tz: must not be NULL' USING ERRCODE = '22004'; END IF;
    -- The zero-filled buckets, exactly timeseries'; validates tz and the bucket limit first.
    SELECT reports.series_agg(NULL::timestamptz, NULL::float8, v_period, backlog.tz, backlog.since, backlog.until)
    INTO v_slots;
    v_scope := reports_internal.scope_key(backlog.account_id, backlog.scope, backlog.scope_id);
    v_since := backlog.since AT TIME ZONE 'UTC';
    v_until := backlog.until AT TIME ZONE 'UTC';
    WITH conv AS (
        SELECT c.id, c.created_at, c.status
        FROM public.conversations c
        WHERE c.account_id = backlog.account_id AND c.created_at < v_until
          AND CASE v_scope.dim WHEN 'a' THEN true
                               WHEN 'g' THEN c.assignee_id::text = v_scope.key
                               WHEN 'i' THEN c.inbox_id::text = v_scope.key
                               WHEN 't' THEN c.team_id::text = v_scope.key
                               ELSE c.id IN (SELECT l.conversation_id FROM reports_internal.labelled_conversations(v_scope.key) l) END
    ), changes AS (  -- one row per recorded change, or one row with NULLs for a conversation without any
        SELECT c.created_at, c.status AS current_status, h.status, h.previous_status, h.changed_at,
               lead(h.changed_at) OVER w AS next_at, row_number() OVER w AS nth
        FROM conv c
        LEFT JOIN reports.conversation_status_changes h
               ON h.conversation_id = c.id AND h.account_id = backlog.account_id  -- later rows too: see "previous_status"
        WINDOW w AS (PARTITION BY c.id ORDER BY h.changed_at, h.id)
    ), deltas AS (
        SELECT g.state, d.at, d.delta
        FROM changes s
        CROSS JOIN LATERAL (VALUES
            (s.status, s.changed_at, s.next_at),                                        -- recorded
            (CASE WHEN s.nth = 1 THEN s.previous_status END, s.created_at, s.changed_at), -- before the history
            (CASE WHEN s.changed_at IS NULL THEN s.current_status END, s.created_at, NULL::timestamp)  -- no history
        ) g(state, from_at, to_at)
        CROSS JOIN LATERAL (VALUES (g.from_at, 1), (g.to_at, -1)) d(at, delta)
        WHERE g.state IN (0, 2, 3) AND (g.to_at IS NULL OR g.from_at < g.to_at) AND d.at < v_until
    )
    SELECT ARRAY[coalesce(sum(d.delta) FILTER (WHERE d.state = 0 AND d.at < v_since), 0),
                 coalesce(sum(d.delta) FILTER (WHERE d.state = 2 AND d.at < v_since), 0),
                 coalesce(sum(d.delta) FILTER (WHERE d.state = 3 AND d.at < v_since), 0)],
           -- series_agg ignores the rows outside [since, until)
           reports.series_agg(d.at, d.delta::float8, v_period, backlog.tz, backlog.since, backlog.until) FILTER (WHERE d.state = 0),
           reports.series_agg(d.at, d.delta::float8, v_period, backlog.tz, backlog.since, backlog.until) FILTER (WHERE d.state = 2),
           reports.series_agg(d.at, d.delta::float8, v_period, backlog.tz, backlog.since, backlog.until) FILTER (WHERE d.state = 3)
    INTO v_start, v_open, v_pending, v_snoozed
    FROM deltas d;
    RETURN QUERY
    SELECT x.bucket,
           v_start[1] + (sum(coalesce(x.open_change, 0)) OVER w)::bigint,
           v_start[2] + (sum(coalesce(x.pending_change, 0)) OVER w)::bigint,
           v_start[3] + (sum(coalesce(x.snoozed_change, 0)) OVER w)::bigint
    -- a state without any change has a NULL series: its changes are 0
    FROM ROWS FROM (unnest(v_slots), unnest(v_open), unnest(v_pending), unnest(v_snoozed)) WITH ORDINALITY
         AS x(bucket, n, total, o_bucket, o_n, open_change, p_bucket, p_n, pending_change,
              z_bucket, z_n, snoozed_change, i)
    WINDOW w AS (ORDER BY x.i)
    ORDER BY x.i;
END
$$;
COMMENT ON FUNCTION reports.backlog(int, timestamptz, timestamptz, text, text, text, int) IS
'Conversations open, pending and snoozed at the end of each bucket (the last one at until), from the recorded status history; buckets as reports.timeseries.';

-- ==== 50_entity_reports.sql ====
-------------------------------------------------------------------------------------------------
-- Per-entity reports (agents, inboxes, teams, labels), Chatwoot's summary_reports, the inbox x
-- label matrix, bot metrics and outgoing message counts.
-------------------------------------------------------------------------------------------------

-- Summary-report metrics of one dimension (agent, inbox or team), keyed by the entity id:
-- conversations created in range by assignee / inbox / current team, and the events of the range
-- by user / inbox / the conversation's current team, from the rollup's read path (the quantiles
-- from their averages' sketches); reopens and one-touch resolutions by the conversation's current
-- assignee, inbox or team.
CREATE FUNCTION reports_internal.dimension_metrics(account_id int, dimension text, since timestamptz, until timestamptz,
                                                   business_hours bool DEFAULT false)
RETURNS TABLE (key bigint, conversations_count bigint, resolved_conversations_count bigint,
               avg_resolution_time float8, avg_first_response_time float8, avg_reply_time float8,
               incoming_messages_count bigint, outgoing_messages_count bigint,
               median_first_response_time float8, p90_first_response_time float8, median_resolution_time float8,
               p90_resolution_time float8, median_reply_time float8, p90_reply_time float8,
               reopened_count bigint, reopen_rate float8, one_touch_resolution_rate float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_bh bool := coalesce(dimension_metrics.business_hours, false);
    v_dim "char";
    v_metrics text[] := ARRAY['conversations_count', 'resolutions_count', 'avg_resolution_time',
                              'avg_first_response_time', 'reply_time', 'incoming_messages_count',
                              'outgoing_messages_count', 'median_first_response_time', 'p90_first_response_time',
                              'median_resolution_time', 'p90_resolution_time', 'median_reply_time', 'p90_reply_time',
                              'reopened_count', 'reopen_rate', 'one_touch_resolution_rate'];
BEGIN
    IF dimension_metrics.dimension IS NULL OR dimension_metrics.dimension NOT IN ('agent', 'inbox', 'team') THEN
        RAISE EXCEPTION 'invalid dimension "%"', dimension_metrics.dimension USING ERRCODE = '22023',
            HINT = 'Valid dimensions are agent, inbox and team.';
    END IF;
    PERFORM reports_internal.check_range(dimension_metrics.since, dimension_metrics.until);
    v_dim := CASE dimension_metrics.dimension WHEN 'agent' THEN 'g' WHEN 'inbox' THEN 'i' ELSE 't' END;
    RETURN QUERY
    WITH v AS (  -- every metric's value per key
        SELECT v.key, v.metric AS name, v.value
        FROM reports_internal.metric_values(dimension_metrics.account_id, dimension_metrics.since AT TIME ZONE 'UTC',
                                            dimension_metrics.until AT TIME ZONE 'UTC', v_dim, NULL, v_metrics, v_bh) v
    ), per_key AS (
        SELECT v.key,
               coalesce(max(v.value) FILTER (WHERE v.name = 'conversations_count'), 0)::bigint AS conversations,
               coalesce(max(v.value) FILTER (WHERE v.name = 'resolutions_count'), 0)::bigint AS resolutions,
               max(v.value) FILTER (WHERE v.name = 'avg_resolution_time') AS rt,
               max(v.value) FILTER (WHERE v.name = 'avg_first_response_time') AS frt,
               max(v.value) FILTER (WHERE v.name = 'reply_time') AS reply,
               coalesce(max(v.value) FILTER (WHERE v.name = 'incoming_messages_count'), 0)::bigint AS incoming,
               coalesce(max(v.value) FILTER (WHERE v.name = 'outgoing_messages_count'), 0)::bigint AS outgoing,
               max(v.value) FILTER (WHERE v.name = 'median_first_response_time') AS median_frt,
               max(v.value) FILTER (WHERE v.name = 'p90_first_response_time') AS p90_frt,
               max(v.value) FILTER (WHERE v.name = 'median_resolution_time') AS median_rt,
               max(v.value) FILTER (WHERE v.name = 'p90_resolution_time') AS p90_rt,
               max(v.value) FILTER (WHERE v.name = 'median_reply_time') AS median_reply,
               max(v.value) FILTER (WHERE v.name = 'p90_reply_time') AS p90_reply,
               coalesce(max(v.value) FILTER (WHERE v.name = 'reopened_count'), 0)::bigint AS reopened,
               max(v.value) FILTER (WHERE v.name = 'reopen_rate') AS reopen_rate,
               max(v.value) FILTER (WHERE v.name = 'one_touch_resolution_rate') AS one_touch_rate
        FROM v GROUP BY v.key
    )
    SELECT k.key::bigint, k.conversations, k.resolutions, k.rt, k.frt, k.reply, k.incoming, k.outgoing,
           k.median_frt, k.p90_frt, k.median_rt, k.p90_rt, k.median_reply, k.p90_reply,
           k.reopened, k.reopen_rate, k.one_touch_rate
    FROM per_key k;
END
$$;

CREATE FUNCTION reports_internal.availability_name(availability int)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE availability WHEN 0 THEN 'online' WHEN 2 THEN 'busy' ELSE 'offline' END
$$;

CREATE FUNCTION reports.agent_report(account_id int, since timestamptz, until timestamptz,
                                     business_hours bool DEFAULT false)
RETURNS TABLE (id int, name text, email text, thumbnail text, availability text, role text,
               conversations_count bigint, resolved_conversations_count bigint,
               avg_resolution_time float8, avg_first_response_time float8, avg_reply_time float8,
               incoming_messages_count bigint, outgoing_messages_count bigint, resolutions_count bigint,
               median_first_response_time float8, p90_first_response_time float8, median_resolution_time float8,
               p90_resolution_time float8, median_reply_time float8, p90_reply_time float8,
               reopened_count bigint, reopen_rate float8, one_touch_resolution_rate float8)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT u.id, u.name::text, u.email::text, ''::text, reports_internal.availability_name(au.availability),
           CASE au.role WHEN 1 THEN 'administrator' ELSE 'agent' END,
           coalesce(m.conversations_count, 0), coalesce(m.resolved_conversations_count, 0),
           m.avg_resolution_time, m.avg_first_response_time, m.avg_reply_time,
           coalesce(m.incoming_messages_count, 0), coalesce(m.outgoing_messages_count, 0),
           coalesce(m.resolved_conversations_count, 0),
           m.median_first_response_time, m.p90_first_response_time, m.median_resolution_time, m.p90_resolution_time,
           m.median_reply_time, m.p90_reply_time, coalesce(m.reopened_count, 0), m.reopen_rate, m.one_touch_resolution_rate
    FROM public.account_users au
    JOIN public.users u ON u.id = au.user_id
    LEFT JOIN reports_internal.dimension_metrics(agent_report.account_id, 'agent', agent_report.since, agent_report.until,
                                        agent_report.business_hours) m ON m.key = u.id
    WHERE au.account_id = agent_report.account_id
    ORDER BY u.id
$$;
COMMENT ON FUNCTION reports.agent_report(int, timestamptz, timestamptz, bool) IS
'One row per agent of the account (all roles): conversations assigned and created in range, resolutions, average resolution, first response and reply times of the range, and the messages the agent sent (incoming_messages_count is 0: agents send none); resolutions_count is the seed''s name for resolved_conversations_count.';

CREATE FUNCTION reports.inbox_report(account_id int, since timestamptz, until timestamptz,
                                     business_hours bool DEFAULT false)
RETURNS TABLE (id int, name text, channel_type text,
               conversations_count bigint, resolved_conversations_count bigint,
               avg_resolution_time float8, avg_first_response_time float8, avg_reply_time float8,
               incoming_messages_count bigint, outgoing_messages_count bigint, resolutions_count bigint,
               median_first_response_time float8, p90_first_response_time float8, median_resolution_time float8,
               p90_resolution_time float8, median_reply_time float8, p90_reply_time float8,
               reopened_count bigint, reopen_rate float8, one_touch_resolution_rate float8)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT i.id, i.name::text, i.channel_type::text,
           coalesce(m.conversations_count, 0), coalesce(m.resolved_conversations_count, 0),
           m.avg_resolution_time, m.avg_first_response_time, m.avg_reply_time,
           coalesce(m.incoming_messages_count, 0), coalesce(m.outgoing_messages_count, 0),
           coalesce(m.resolved_conversations_count, 0),
           m.median_first_response_time, m.p90_first_response_time, m.median_resolution_time, m.p90_resolution_time,
           m.median_reply_time, m.p90_reply_time, coalesce(m.reopened_count, 0), m.reopen_rate, m.one_touch_resolution_rate
    FROM public.inboxes i
    LEFT JOIN reports_internal.dimension_metrics(inbox_report.account_id, 'inbox', inbox_report.since, inbox_report.until,
                                        inbox_report.business_hours) m ON m.key = i.id
    WHERE i.account_id = inbox_report.account_id
    ORDER BY i.id
$$;

CREATE FUNCTION reports.team_report(account_id int, since timestamptz, until timestamptz,
                                    business_hours bool DEFAULT false)
RETURNS TABLE (id bigint, name text,
               conversations_count bigint, resolved_conversations_count bigint,
               avg_resolution_time float8, avg_first_response_time float8, avg_reply_time float8,
               incoming_messages_count bigint, outgoing_messages_count bigint, resolutions_count bigint,
               median_first_response_time float8, p90_first_response_time float8, median_resolution_time float8,
               p90_resolution_time float8, median_reply_time float8, p90_reply_time float8,
               reopened_count bigint, reopen_rate float8, one_touch_resolution_rate float8)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT t.id, t.name::text,
           coalesce(m.conversations_count, 0), coalesce(m.resolved_conversations_count, 0),
           m.avg_resolution_time, m.avg_first_response_time, m.avg_reply_time,
           coalesce(m.incoming_messages_count, 0), coalesce(m.outgoing_messages_count, 0),
           coalesce(m.resolved_conversations_count, 0),
           m.median_first_response_time, m.p90_first_response_time, m.median_resolution_time, m.p90_resolution_time,
           m.median_reply_time, m.p90_reply_time, coalesce(m.reopened_count, 0), m.reopen_rate, m.one_touch_resolution_rate
    FROM public.teams t
    LEFT JOIN reports_internal.dimension_metrics(team_report.account_id, 'team', team_report.since, team_report.until,
                                        team_report.business_hours) m ON m.key = t.id
    WHERE t.account_id = team_report.account_id
    ORDER BY t.id
$$;

-- Chatwoot's label summary: conversations tagged with the label and created in range; resolutions
-- are events of the range; the averages cover events (of any date) of conversations created in
-- range. Missing values are 0, as Chatwoot reports them. NULL since/until: no date filter.
-- Beyond Chatwoot's columns: the quantiles of the same events as the averages (NULL when none),
-- and the reopens and one-touch resolutions of the label's conversations.
CREATE FUNCTION reports.label_report(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL,
                                     business_hours bool DEFAULT false)
RETURNS TABLE (id bigint, title text,
               conversations_count bigint, resolved_conversations_count bigint,
               avg_resolution_time float8, avg_first_response_time float8, avg_reply_time float8,
               incoming_messages_count bigint, outgoing_messages_count bigint, resolutions_count bigint,
               median_first_response_time float8, p90_first_response_time float8, median_resolution_time float8,
               p90_resolution_time float8, median_reply_time float8, p90_reply_time float8,
               reopened_count bigint, reopen_rate float8, one_touch_resolution_rate float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := label_report.account_id;
    v_since timestamp := coalesce(label_report.since AT TIME ZONE 'UTC', '-infinity');
    v_until timestamp := coalesce(label_report.until AT TIME ZONE 'UTC', 'infinity');
    v_bh bool := coalesce(label_report.business_hours, false);
BEGIN
    PERFORM reports_internal.check_range(label_report.since, label_report.until, false);
    RETURN QUERY
    WITH lab AS (
        SELECT l.id, l.title FROM public.labels l WHERE l.account_id = v_account
    ), tagged AS (
        SELECT DISTINCT lab.id AS label_id, t.taggable_id AS conversation_id
        FROM lab
        JOIN public.tags g ON lower(g.name) = lower(lab.title)
        JOIN public.taggings t ON t.tag_id = g.id AND t.taggable_type = 'Conversation' AND t.context = 'labels'
    ), conv AS (
        SELECT c.id, (c.created_at >= v_since AND c.created_at < v_until) AS in_range
        FROM public.conversations c
        WHERE c.account_id = v_account AND c.id IN (SELECT tagged.conversation_id FROM tagged)
    ), ev AS (
        SELECT e.conversation_id, e.name, e.val, (e.created_at >= v_since AND e.created_at < v_until) AS in_range
        FROM reports_internal.account_events(v_account, '-infinity', 'infinity', v_bh) e
        WHERE e.name IN ('conversation_resolved', 'first_response', 'reply_time')
          AND e.conversation_id IN (SELECT conv.id FROM conv)
    ), per_label AS (
        SELECT tg.label_id,
               count(DISTINCT c.id) FILTER (WHERE c.in_range) AS conversations,
               count(*) FILTER (WHERE ev.name = 'conversation_resolved' AND ev.in_range) AS resolved,
               avg(ev.val) FILTER (WHERE ev.name = 'conversation_resolved' AND c.in_range) AS rt,
               avg(ev.val) FILTER (WHERE ev.name = 'first_response' AND c.in_range) AS frt,
               avg(ev.val) FILTER (WHERE ev.name = 'reply_time' AND c.in_range) AS reply,
               reports.quantile_sketch_agg(ev.val) FILTER (WHERE ev.name = 'conversation_resolved' AND c.in_range) AS rt_sketch,
               reports.quantile_sketch_agg(ev.val) FILTER (WHERE ev.name = 'first_response' AND c.in_range) AS frt_sketch,
               reports.quantile_sketch_agg(ev.val) FILTER (WHERE ev.name = 'reply_time' AND c.in_range) AS reply_sketch
        FROM tagged tg
        JOIN conv c ON c.id = tg.conversation_id
        LEFT JOIN ev ON ev.conversation_id = c.id
        GROUP BY tg.label_id
    ), msgs AS (  -- the seed's message counts: messages in range of the label's conversations
        SELECT tg.label_id, count(*) FILTER (WHERE m.message_type = 0) AS incoming,
               count(*) FILTER (WHERE m.message_type = 1) AS outgoing
        FROM tagged tg
        JOIN public.messages m ON m.conversation_id = tg.conversation_id AND m.account_id = v_account
        WHERE m.message_type IN (0, 1) AND m.created_at >= v_since AND m.created_at < v_until
        GROUP BY tg.label_id
    ), q AS (     -- the registry's quantiles
        SELECT max(m.quantile) FILTER (WHERE m.name = 'median_first_response_time') AS median,
               max(m.quantile) FILTER (WHERE m.name = 'p90_first_response_time') AS p90
        FROM reports_internal.metric m
    )
    SELECT lab.id, lab.title::text, coalesce(p.conversations, 0), coalesce(p.resolved, 0),
           coalesce(p.rt, 0), coalesce(p.frt, 0), coalesce(p.reply, 0),
           coalesce(ms.incoming, 0)::bigint, coalesce(ms.outgoing, 0)::bigint, coalesce(p.resolved, 0),
           reports.sketch_quantile(p.frt_sketch, q.median), reports.sketch_quantile(p.frt_sketch, q.p90),
           reports.sketch_quantile(p.rt_sketch, q.median), reports.sketch_quantile(p.rt_sketch, q.p90),
           reports.sketch_quantile(p.reply_sketch, q.median), reports.sketch_quantile(p.reply_sketch, q.p90),
           coalesce(h.reopened, 0), reports_internal.percent(coalesce(h.reopened, 0), coalesce(p.resolved, 0)),
           h.one_touch_rate
    FROM lab CROSS JOIN q
    LEFT JOIN per_label p ON p.label_id = lab.id
    LEFT JOIN msgs ms ON ms.label_id = lab.id
    LEFT JOIN (SELECT v.key, coalesce(max(v.value) FILTER (WHERE v.metric = 'reopened_count'), 0)::bigint AS reopened,
                      max(v.value) FILTER (WHERE v.metric = 'one_touch_resolution_rate') AS one_touch_rate
               FROM reports_internal.metric_values(v_account, v_since, v_until, 'l', NULL,
                                                   ARRAY['reopened_count', 'one_touch_resolution_rate'], false) v
               GROUP BY v.key) h ON h.key = lower(lab.title)
    ORDER BY lab.title, lab.id;
END
$$;

CREATE FUNCTION reports.summary_by(account_id int, dimension text, since timestamptz, until timestamptz,
                                   business_hours bool DEFAULT false)
RETURNS TABLE (id bigint, name text, conversations_count bigint, resolved_conversations_count bigint,
               avg_resolution_time float8, avg_first_response_time float8, avg_reply_time float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    CASE summary_by.dimension
    WHEN 'agent' THEN
        RETURN QUERY SELECT r.id::bigint, r.name, r.conversations_count, r.resolved_conversations_count,
                            r.avg_resolution_time, r.avg_first_response_time, r.avg_reply_time
                     FROM reports.agent_report(summary_by.account_id, summary_by.since, summary_by.until, summary_by.business_hours) r;
    WHEN 'inbox' THEN
        RETURN QUERY SELECT r.id::bigint, r.name, r.conversations_count, r.resolved_conversations_count,
                            r.avg_resolution_time, r.avg_first_response_time, r.avg_reply_time
                     FROM reports.inbox_report(summary_by.account_id, summary_by.since, summary_by.until, summary_by.business_hours) r;
    WHEN 'team' THEN
        RETURN QUERY SELECT r.id, r.name, r.conversations_count, r.resolved_conversations_count,
                            r.avg_resolution_time, r.avg_first_response_time, r.avg_reply_time
                     FROM reports.team_report(summary_by.account_id, summary_by.since, summary_by.until, summary_by.business_hours) r;
    WHEN 'label' THEN
        RETURN QUERY SELECT r.id, r.title, r.conversations_count, r.resolved_conversations_count,
                            r.avg_resolution_time, r.avg_first_response_time, r.avg_reply_time
                     FROM reports.label_report(summary_by.account_id, summary_by.since, summary_by.until, summary_by.business_hours) r;
    ELSE
        RAISE EXCEPTION 'invalid dimension "%"', summary_by.dimension USING ERRCODE = '22023',
            HINT = 'Valid dimensions are agent, inbox, team and label; the channel summary is reports.channel_summary.';
    END CASE;
END
$$;
COMMENT ON FUNCTION reports.summary_by(int, text, timestamptz, timestamptz, bool) IS
'Chatwoot''s summary_reports rows for agent, inbox, team or label.';

-- Chatwoot's summary_reports/channel: conversations created in range per channel type and status.
CREATE FUNCTION reports.channel_summary(account_id int, since timestamptz, until timestamptz)
RETURNS TABLE (channel_type text, open bigint, resolved bigint, pending bigint, snoozed bigint, total bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    PERFORM reports_internal.check_range(channel_summary.since, channel_summary.until);
    IF extract(epoch FROM channel_summary.until - channel_summary.since) > 15778476 THEN
        RAISE EXCEPTION 'invalid until: the range cannot exceed 6 months (15778476 seconds)' USING ERRCODE = '22023';
    END IF;
    RETURN QUERY
    SELECT i.channel_type::text,
           count(*) FILTER (WHERE c.status = 0), count(*) FILTER (WHERE c.status = 1),
           count(*) FILTER (WHERE c.status = 2), count(*) FILTER (WHERE c.status = 3), count(*)
    FROM public.conversations c
    JOIN public.inboxes i ON i.id = c.inbox_id
    WHERE c.account_id = channel_summary.account_id
      AND c.created_at >= channel_summary.since AT TIME ZONE 'UTC' AND c.created_at < channel_summary.until AT TIME ZONE 'UTC'
    GROUP BY i.channel_type
    ORDER BY i.channel_type;
END
$$;

CREATE FUNCTION reports.inbox_label_matrix(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL,
                                           inbox_ids int[] DEFAULT NULL, label_ids int[] DEFAULT NULL)
RETURNS TABLE (inbox_id int, inbox_name text, label_id bigint, label_name text, count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    PERFORM reports_internal.check_range(inbox_label_matrix.since, inbox_label_matrix.until, false);
    RETURN QUERY
    WITH ib AS (
        SELECT i.id, i.name FROM public.inboxes i
        WHERE i.account_id = inbox_label_matrix.account_id
          AND (inbox_label_matrix.inbox_ids IS NULL OR i.id = ANY (inbox_label_matrix.inbox_ids))
    ), lb AS (
        SELECT l.id, l.title FROM public.labels l
        WHERE l.account_id = inbox_label_matrix.account_id
          AND (inbox_label_matrix.label_ids IS NULL OR l.id = ANY (inbox_label_matrix.label_ids))
    ), cnt AS (
        SELECT c.inbox_id, lower(g.name) AS tag, count(*) AS n
        FROM public.taggings t
        JOIN public.conversations c ON c.id = t.taggable_id
        JOIN public.tags g ON g.id = t.tag_id
        WHERE t.taggable_type = 'Conversation' AND t.context = 'labels'
          AND c.account_id = inbox_label_matrix.account_id
          AND c.inbox_id IN (SELECT ib.id FROM ib)
          AND (inbox_label_matrix.since IS NULL OR c.created_at >= inbox_label_matrix.since AT TIME ZONE 'UTC')
          AND (inbox_label_matrix.until IS NULL OR c.created_at < inbox_label_matrix.until AT TIME ZONE 'UTC')
        GROUP BY 1, 2
    )
    SELECT ib.id, ib.name::text, lb.id, lb.title::text, coalesce(cnt.n, 0)
    FROM ib CROSS JOIN lb
    LEFT JOIN cnt ON cnt.inbox_id = ib.id AND cnt.tag = lower(lb.title)
    UNION ALL
    -- With no labels (or no inboxes) there are no pairs, but the other side still names its
    -- entries: one row each, NULL on the empty side and in count.
    SELECT ib.id, ib.name::text, NULL, NULL, NULL FROM ib WHERE NOT EXISTS (SELECT FROM lb)
    UNION ALL
    SELECT NULL, NULL, lb.id, lb.title::text, NULL FROM lb WHERE NOT EXISTS (SELECT FROM ib)
    ORDER BY 2, 1, 4, 3;
END
$$;
COMMENT ON FUNCTION reports.inbox_label_matrix(int, timestamptz, timestamptz, int[], int[]) IS
'Conversations per (inbox, label) of the account, every pair present (0 when none), inboxes by name, labels by title. When the account (or the filter) has no labels, each inbox appears once with NULL label and count; with no inboxes, each label once with NULL inbox.';

CREATE FUNCTION reports.bot_metrics(account_id int, since timestamptz, until timestamptz, inbox_id int DEFAULT NULL)
RETURNS TABLE (total_conversations bigint, bot_handled bigint, bot_handoffs bigint,
               bot_resolution_rate float8, avg_bot_resolution_time float8,
               message_count bigint, resolution_rate int, handoff_rate int)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := bot_metrics.account_id;
    v_since timestamp := bot_metrics.since AT TIME ZONE 'UTC';
    v_until timestamp := bot_metrics.until AT TIME ZONE 'UTC';
    v_inbox int := bot_metrics.inbox_id;
BEGIN
    PERFORM reports_internal.check_range(bot_metrics.since, bot_metrics.until);
    RETURN QUERY
    WITH convs AS MATERIALIZED (
        SELECT c.id FROM public.conversations c
        WHERE c.account_id = v_account AND c.created_at >= v_since AND c.created_at < v_until
          AND c.inbox_id IN (SELECT b.inbox_id FROM reports_internal.bot_inboxes(v_account) b)
          AND (v_inbox IS NULL OR c.inbox_id = v_inbox)
    ), msgs AS (
        SELECT count(*) AS n FROM public.messages m
        WHERE m.account_id = v_account AND m.message_type = 1
          AND m.created_at >= v_since AND m.created_at < v_until
          AND m.conversation_id IN (SELECT convs.id FROM convs)
    ), bot_events AS (
        -- Chatwoot counts bot events of any inbox (joined to existing conversations).
        SELECT e.name, e.conversation_id, e.value
        FROM public.reporting_events e
        JOIN public.conversations c ON c.id = e.conversation_id
        WHERE e.account_id = v_account AND e.name IN ('conversation_bot_resolved', 'conversation_bot_handoff')
          AND e.created_at >= v_since AND e.created_at < v_until
          AND (v_inbox IS NULL OR e.inbox_id = v_inbox)
    ), ev AS (
        -- upstream #14032: the conversations the bot resolved and that were not handed off to a
        -- human in the range
        SELECT (SELECT count(*) FROM (SELECT b.conversation_id FROM bot_events b WHERE b.name = 'conversation_bot_resolved'
                                      EXCEPT
                                      SELECT b.conversation_id FROM bot_events b WHERE b.name = 'conversation_bot_handoff') r) AS resolved,
               count(DISTINCT b.conversation_id) FILTER (WHERE b.name = 'conversation_bot_handoff') AS handoffs,
               avg(b.value) FILTER (WHERE b.name = 'conversation_bot_resolved') AS avg_resolution
        FROM bot_events b
    ), n AS (SELECT count(*) AS total FROM convs)
    SELECT n.total, ev.resolved, ev.handoffs,
           CASE WHEN n.total = 0 THEN 0 ELSE ev.resolved * 100.0 / n.total END::float8,
           ev.avg_resolution,
           msgs.n,
           CASE WHEN n.total = 0 THEN 0 ELSE trunc(ev.resolved * 100.0 / n.total) END::int,
           CASE WHEN n.total = 0 THEN 0 ELSE trunc(ev.handoffs * 100.0 / n.total) END::int
    FROM n, ev, msgs;
END
$$;
COMMENT ON FUNCTION reports.bot_metrics(int, timestamptz, timestamptz, int) IS
'Bot performance: conversations in bot inboxes, conversations the bot resolved (and that were not handed off in the range) or handed off, rates (percent of bot-inbox conversations; Chatwoot''s resolution_rate/handoff_rate truncated to integers), average bot resolution time and outgoing messages in those conversations.';

CREATE FUNCTION reports.outgoing_messages_count(account_id int, group_by text, since timestamptz, until timestamptz)
RETURNS TABLE (id bigint, name text, count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := outgoing_messages_count.account_id;
    v_since timestamp := outgoing_messages_count.since AT TIME ZONE 'UTC';
    v_until timestamp := outgoing_messages_count.until AT TIME ZONE 'UTC';
BEGIN
    PERFORM reports_internal.check_range(outgoing_messages_count.since, outgoing_messages_count.until);
    CASE outgoing_messages_count.group_by
    WHEN 'agent' THEN
        RETURN QUERY
        SELECT p.key::bigint, u.name::text, p.n
        FROM reports_internal.parts(v_account, v_since, v_until, 'g', NULL, ARRAY['outgoing_messages_count']) p
        LEFT JOIN public.account_users au ON au.user_id = p.key::bigint AND au.account_id = v_account
        LEFT JOIN public.users u ON u.id = au.user_id
        ORDER BY p.key::bigint;
    WHEN 'team' THEN
        RETURN QUERY
        SELECT p.key::bigint, t.name::text, p.n
        FROM reports_internal.parts(v_account, v_since, v_until, 't', NULL, ARRAY['outgoing_messages_count']) p
        LEFT JOIN public.teams t ON t.id = p.key::bigint AND t.account_id = v_account
        ORDER BY p.key::bigint;
    WHEN 'inbox' THEN
        RETURN QUERY
        SELECT p.key::bigint, i.name::text, p.n
        FROM reports_internal.parts(v_account, v_since, v_until, 'i', NULL, ARRAY['outgoing_messages_count']) p
        LEFT JOIN public.inboxes i ON i.id = p.key::bigint AND i.account_id = v_account
        ORDER BY p.key::bigint;
    WHEN 'label' THEN
        RETURN QUERY
        SELECT max(l.id), g.name::text, count(*)
        FROM public.messages m
        JOIN public.conversations c ON c.id = m.conversation_id
        JOIN public.taggings t ON t.taggable_id = c.id AND t.taggable_type = 'Conversation' AND t.context = 'labels'
        JOIN public.tags g ON g.id = t.tag_id
        LEFT JOIN public.labels l ON l.title = g.name AND l.account_id = v_account
        WHERE m.account_id = v_account AND m.message_type = 1 AND m.created_at >= v_since AND m.created_at < v_until
        GROUP BY g.name ORDER BY g.name;
    ELSE
        RAISE EXCEPTION 'invalid group_by "%"', outgoing_messages_count.group_by USING ERRCODE = '22023',
            HINT = 'Valid values are agent, team, inbox and label.';
    END CASE;
END
$$;
COMMENT ON FUNCTION reports.outgoing_messages_count(int, text, timestamptz, timestamptz) IS
'Outgoing messages (private notes and bot messages included) per agent, team, inbox or label.';

-- ==== 60_csat_live.sql ====
-------------------------------------------------------------------------------------------------
-- CSAT and live reports.
-------------------------------------------------------------------------------------------------

-- CSAT responses of an account with Chatwoot's filters; every filter NULL = no filter, since/until
-- NULL = no date filter. Newest first.
CREATE FUNCTION reports.csat_responses(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL,
                                       agent_ids int[] DEFAULT NULL, inbox_id int DEFAULT NULL,
                                       team_id int DEFAULT NULL, ratings int[] DEFAULT NULL)
RETURNS TABLE (id bigint, rating int, feedback_message text, csat_review_notes text, created_at timestamptz,
               message_id bigint, conversation_id bigint, conversation_display_id int,
               assigned_agent_id bigint, agent_name text, agent_email text,
               contact_id bigint, contact_name text, contact_email text, contact_phone_number text)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    PERFORM reports_internal.check_range(csat_responses.since, csat_responses.until, false);
    RETURN QUERY
    SELECT r.id::bigint, r.rating, r.feedback_message, r.csat_review_notes, r.created_at AT TIME ZONE 'UTC',
           r.message_id::bigint, r.conversation_id::bigint, c.display_id,
           r.assigned_agent_id::bigint, u.name::text, u.email::text,
           r.contact_id::bigint, k.name::text, k.email::text, k.phone_number::text
    FROM public.csat_survey_responses r
    JOIN public.conversations c ON c.id = r.conversation_id AND c.account_id = csat_responses.account_id
    LEFT JOIN public.users u ON u.id = r.assigned_agent_id
    LEFT JOIN public.contacts k ON k.id = r.contact_id AND k.account_id = csat_responses.account_id
    WHERE r.account_id = csat_responses.account_id
      AND (csat_responses.since IS NULL OR r.created_at >= csat_responses.since AT TIME ZONE 'UTC')
      AND (csat_responses.until IS NULL OR r.created_at < csat_responses.until AT TIME ZONE 'UTC')
      AND (csat_responses.agent_ids IS NULL OR r.assigned_agent_id = ANY (csat_responses.agent_ids))
      AND (csat_responses.inbox_id IS NULL OR c.inbox_id = csat_responses.inbox_id)
      AND (csat_responses.team_id IS NULL OR c.team_id = csat_responses.team_id)
      AND (csat_responses.ratings IS NULL OR r.rating = ANY (csat_responses.ratings))
    ORDER BY r.created_at DESC, r.id DESC;
END
$$;

-- Totals over the filtered responses (score, average and rate to 2 decimals, as the seed). score =
-- % of ratings 4 and 5 (0 without responses);
-- response_rate = responses / CSAT survey messages sent in the range (account-wide, as Chatwoot).
CREATE FUNCTION reports.csat_metrics(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL,
                                     agent_ids int[] DEFAULT NULL, inbox_id int DEFAULT NULL,
                                     team_id int DEFAULT NULL, ratings int[] DEFAULT NULL)
RETURNS TABLE (total_count bigint, total_sent_messages_count bigint, satisfaction_score float8,
               average_rating float8, response_rate float8,
               rating_1 bigint, rating_2 bigint, rating_3 bigint, rating_4 bigint, rating_5 bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH r AS (
        SELECT count(*) AS total, avg(x.rating) AS average,
               count(*) FILTER (WHERE x.rating = 1) AS r1, count(*) FILTER (WHERE x.rating = 2) AS r2,
               count(*) FILTER (WHERE x.rating = 3) AS r3, count(*) FILTER (WHERE x.rating = 4) AS r4,
               count(*) FILTER (WHERE x.rating = 5) AS r5
        FROM reports.csat_responses(csat_metrics.account_id, csat_metrics.since, csat_metrics.until,
                                    csat_metrics.agent_ids, csat_metrics.inbox_id, csat_metrics.team_id,
                                    csat_metrics.ratings) x
    ), sent AS (
        SELECT count(*) AS n FROM public.messages m
        WHERE m.account_id = csat_metrics.account_id AND m.content_type = 9
          AND (csat_metrics.since IS NULL OR m.created_at >= csat_metrics.since AT TIME ZONE 'UTC')
          AND (csat_metrics.until IS NULL OR m.created_at < csat_metrics.until AT TIME ZONE 'UTC')
    )
    -- the seed's precision: score, average and rate rounded to 2 decimals (half away from zero)
    SELECT r.total, sent.n,
           CASE WHEN r.total = 0 THEN 0 ELSE round((r.r4 + r.r5) * 100.0 / r.total, 2) END::float8,
           round(r.average, 2)::float8,
           CASE WHEN sent.n = 0 THEN 0 ELSE round(r.total * 100.0 / sent.n, 2) END::float8,
           r.r1, r.r2, r.r3, r.r4, r.r5
    FROM r, sent
$$;

CREATE FUNCTION reports.csat_by_agent(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL,
                                      agent_ids int[] DEFAULT NULL, inbox_id int DEFAULT NULL,
                                      team_id int DEFAULT NULL, ratings int[] DEFAULT NULL)
RETURNS TABLE (agent_id bigint, agent_name text, agent_email text, total_count bigint,
               satisfaction_score float8, average_rating float8,
               rating_1 bigint, rating_2 bigint, rating_3 bigint, rating_4 bigint, rating_5 bigint,
               total_responses bigint, positive_count bigint, negative_count bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT x.assigned_agent_id, max(x.agent_name), max(x.agent_email), count(*),
           round(count(*) FILTER (WHERE x.rating >= 4) * 100.0 / count(*), 2)::float8,
           round(avg(x.rating), 2)::float8,  -- 2 decimals, as the seed
           count(*) FILTER (WHERE x.rating = 1), count(*) FILTER (WHERE x.rating = 2),
           count(*) FILTER (WHERE x.rating = 3), count(*) FILTER (WHERE x.rating = 4),
           count(*) FILTER (WHERE x.rating = 5),
           -- the seed's names: responses, ratings 4-5, ratings 1-2
           count(*), count(*) FILTER (WHERE x.rating >= 4), count(*) FILTER (WHERE x.rating <= 2)
    FROM reports.csat_responses(csat_by_agent.account_id, csat_by_agent.since, csat_by_agent.until,
                                csat_by_agent.agent_ids, csat_by_agent.inbox_id, csat_by_agent.team_id,
                                csat_by_agent.ratings) x
    GROUP BY x.assigned_agent_id
    ORDER BY x.assigned_agent_id NULLS LAST
$$;

-- Current state (no date filter). unattended = open and (never answered or waiting for a reply).
CREATE FUNCTION reports.conversation_metrics(account_id int, team_id int DEFAULT NULL)
RETURNS TABLE (open bigint, unattended bigint, unassigned bigint, pending bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT count(*) FILTER (WHERE c.status = 0),
           count(*) FILTER (WHERE c.status = 0 AND (c.first_reply_created_at IS NULL OR c.waiting_since IS NOT NULL)),
           count(*) FILTER (WHERE c.status = 0 AND c.assignee_id IS NULL),
           count(*) FILTER (WHERE c.status = 2)
    FROM public.conversations c
    WHERE c.account_id = conversation_metrics.account_id
      AND (conversation_metrics.team_id IS NULL OR c.team_id = conversation_metrics.team_id)
$$;

CREATE FUNCTION reports.grouped_conversation_metrics(account_id int, group_by text, team_id int DEFAULT NULL)
RETURNS TABLE (group_id bigint, open bigint, unattended bigint, unassigned bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    IF grouped_conversation_metrics.group_by IS NULL OR grouped_conversation_metrics.group_by NOT IN ('team_id', 'assignee_id') THEN
        RAISE EXCEPTION 'invalid group_by "%"', grouped_conversation_metrics.group_by USING ERRCODE = '22023',
            HINT = 'Valid values are team_id and assignee_id.';
    END IF;
    RETURN QUERY
    SELECT CASE grouped_conversation_metrics.group_by WHEN 'team_id' THEN c.team_id ELSE c.assignee_id::bigint END AS g,
           count(*),
           count(*) FILTER (WHERE c.first_reply_created_at IS NULL OR c.waiting_since IS NOT NULL),
           count(*) FILTER (WHERE c.assignee_id IS NULL)
    FROM public.conversations c
    WHERE c.account_id = grouped_conversation_metrics.account_id AND c.status = 0
      AND (grouped_conversation_metrics.team_id IS NULL OR c.team_id = grouped_conversation_metrics.team_id)
    GROUP BY 1
    ORDER BY 1 NULLS FIRST;
END
$$;
COMMENT ON FUNCTION reports.grouped_conversation_metrics(int, text, int) IS
'Open conversations grouped by team_id or assignee_id (NULL is a group), optionally only those of one team.';

CREATE FUNCTION reports.live_stats(account_id int)
RETURNS TABLE (open_conversations bigint, unattended_conversations bigint, unassigned_conversations bigint,
               pending_conversations bigint, agents_online bigint, agents_busy bigint, agents_offline bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT m.open, m.unattended, m.unassigned, m.pending, a.online, a.busy, a.offline
    FROM reports.conversation_metrics(live_stats.account_id) m,
         (SELECT count(*) FILTER (WHERE au.availability = 0) AS online,
                 count(*) FILTER (WHERE au.availability = 2) AS busy,
                 count(*) FILTER (WHERE au.availability NOT IN (0, 2)) AS offline
          FROM public.account_users au WHERE au.account_id = live_stats.account_id) a
$$;
COMMENT ON FUNCTION reports.live_stats(int) IS
'Live state of an account: open, unattended, unassigned and pending conversations, agents by availability.';

-- ==== 65_sla.sql ====
-------------------------------------------------------------------------------------------------
-- SLA reports, from Chatwoot's enterprise tables sla_policies, applied_slas and sla_events. The
-- hit/miss decision is Chatwoot's own (applied_slas.sla_status, written by its scheduler); these
-- functions only report it. A database without those tables (Chatwoot before SLAs, or the
-- community edition) still installs the extension: the functions then raise 42P01 naming the
-- missing table, and reports-server answers those routes 404, as a Chatwoot without SLAs does.
-------------------------------------------------------------------------------------------------

-- Raises 42P01 unless Chatwoot's three SLA tables exist.
CREATE FUNCTION reports_internal.check_sla_tables()
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['sla_policies', 'applied_slas', 'sla_events'] LOOP
        IF to_regclass('public.' || t) IS NULL THEN
            RAISE EXCEPTION 'SLA reports need Chatwoot''s table public.%, which this database lacks', t
                USING ERRCODE = '42P01',
                      HINT = 'SLA policies are a Chatwoot enterprise feature; sql/chatwoot_schema.sql creates the tables for a standalone database.';
        END IF;
    END LOOP;
END
$$;

-- One row per applied SLA of the account with Chatwoot's filters (each NULL = no filter): the
-- applied SLA's creation time in [since, until) (either bound NULL: open on that side), the
-- policy, the conversation's assignee (agent_ids), inbox and team, and `label` as a substring of
-- the conversation's cached_label_list (taken literally; Chatwoot's LIKE would read % and _ as
-- wildcards). Conversations of blocked contacts are left out, as in every Chatwoot SLA report.
-- Due times are the conversation's created_at (waiting_since for the next response) plus the
-- policy's threshold cut to whole seconds, NULL when the threshold is not set; for a policy that
-- counts only business hours in an inbox with working hours they are NULL (their wall-clock
-- instant depends on the schedule; the miss decision itself is Chatwoot's, in sla_status).
-- sla_events: the breaches, oldest first, as [{id, event_type, meta, created_at, updated_at}]
-- with unix times; breached_events their types in that order.
CREATE FUNCTION reports.sla_responses(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL,
                                      sla_policy_id int DEFAULT NULL, agent_ids int[] DEFAULT NULL,
                                      inbox_id int DEFAULT NULL, team_id int DEFAULT NULL, label text DEFAULT NULL)
RETURNS TABLE (id bigint, sla_id bigint, sla_status text, created_at timestamptz, updated_at timestamptz,
               sla_name text, sla_description text, first_response_time_threshold float8,
               next_response_time_threshold float8, only_during_business_hours bool,
               resolution_time_threshold float8, frt_due_at timestamptz, nrt_due_at timestamptz,
               rt_due_at timestamptz, conversation_id bigint, conversation_display_id int, contact_name text,
               labels text, assignee_id bigint, assignee_name text, assignee_available_name text,
               assignee_availability text, team_name text, inbox_name text, breached_events text[],
               sla_events jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    IF sla_responses.account_id IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports_internal.check_range(sla_responses.since, sla_responses.until, false);
    PERFORM reports_internal.check_sla_tables();
    RETURN QUERY
    SELECT a.id, a.sla_policy_id,
           CASE a.sla_status WHEN 0 THEN 'active' WHEN 1 THEN 'hit' WHEN 2 THEN 'missed'
                             WHEN 3 THEN 'active_with_misses' END,
           a.created_at AT TIME ZONE 'UTC', a.updated_at AT TIME ZONE 'UTC',
           p.name::text, p.description::text, p.first_response_time_threshold, p.next_response_time_threshold,
           coalesce(p.only_during_business_hours, false), p.resolution_time_threshold,
           CASE WHEN NOT bd.business_due
                THEN (c.created_at + make_interval(secs => trunc(p.first_response_time_threshold))) AT TIME ZONE 'UTC' END,
           CASE WHEN NOT bd.business_due
                THEN (c.waiting_since + make_interval(secs => trunc(p.next_response_time_threshold))) AT TIME ZONE 'UTC' END,
           CASE WHEN NOT bd.business_due
                THEN (c.created_at + make_interval(secs => trunc(p.resolution_time_threshold))) AT TIME ZONE 'UTC' END,
           c.id::bigint, c.display_id, k.name::text, c.cached_label_list,
           u.id::bigint, u.name::text, coalesce(nullif(u.display_name, ''), u.name)::text,
           CASE WHEN u.id IS NOT NULL THEN reports_internal.availability_name(au.availability) END,
           t.name::text, i.name::text,
           coalesce(ev.types, '{}'), coalesce(ev.list, '[]')
    FROM public.applied_slas a
    JOIN public.sla_policies p ON p.id = a.sla_policy_id AND p.account_id = sla_responses.account_id
    JOIN public.conversations c ON c.id = a.conversation_id AND c.account_id = sla_responses.account_id
    LEFT JOIN public.contacts k ON k.id = c.contact_id AND k.account_id = sla_responses.account_id
    LEFT JOIN public.inboxes i ON i.id = c.inbox_id AND i.account_id = sla_responses.account_id
    LEFT JOIN public.teams t ON t.id = c.team_id AND t.account_id = sla_responses.account_id
    LEFT JOIN public.account_users au ON au.user_id = c.assignee_id AND au.account_id = sla_responses.account_id
    LEFT JOIN public.users u ON u.id = au.user_id
    LEFT JOIN LATERAL (
        SELECT array_agg(x.type ORDER BY x.created_at, x.id) AS types,
               jsonb_agg(jsonb_build_object('id', x.id, 'event_type', x.type, 'meta', coalesce(x.meta, '{}'),
                                            'created_at', floor(extract(epoch FROM x.created_at))::bigint,
                                            'updated_at', floor(extract(epoch FROM x.updated_at))::bigint)
                         ORDER BY x.created_at, x.id) AS list
        FROM (SELECT e.id, e.meta, e.created_at, e.updated_at,
                     CASE e.event_type WHEN 0 THEN 'frt' WHEN 1 THEN 'nrt' WHEN 2 THEN 'rt' END AS type
              FROM public.sla_events e
              WHERE e.applied_sla_id = a.id AND e.account_id = sla_responses.account_id) x
    ) ev ON true
    -- a policy counting business hours has no wall-clock due time where the inbox keeps working hours
    CROSS JOIN LATERAL (SELECT coalesce(p.only_during_business_hours, false) AND coalesce(i.working_hours_enabled, false)
                               AS business_due) bd
    WHERE a.account_id = sla_responses.account_id
      AND NOT coalesce(k.blocked, false)
      AND (sla_responses.since IS NULL OR a.created_at >= sla_responses.since AT TIME ZONE 'UTC')
      AND (sla_responses.until IS NULL OR a.created_at < sla_responses.until AT TIME ZONE 'UTC')
      AND (sla_responses.sla_policy_id IS NULL OR a.sla_policy_id = sla_responses.sla_policy_id)
      AND (sla_responses.agent_ids IS NULL OR c.assignee_id = ANY (sla_responses.agent_ids))
      AND (sla_responses.inbox_id IS NULL OR c.inbox_id = sla_responses.inbox_id)
      AND (sla_responses.team_id IS NULL OR c.team_id = sla_responses.team_id)
      AND (sla_responses.label IS NULL OR strpos(c.cached_label_list, sla_responses.label) > 0)
    ORDER BY a.created_at, a.id;
END
$$;
COMMENT ON FUNCTION reports.sla_responses(int, timestamptz, timestamptz, int, int[], int, int, text) IS
'One row per applied SLA of the account (Chatwoot''s filters; blocked contacts left out): status, policy, due times, conversation, assignee, team, inbox and the breaches (sla_events). 42P01 when the SLA tables are missing.';

-- Chatwoot's SLA metrics over the same rows as sla_responses: number_of_conversations = applied
-- SLAs, number_of_sla_misses = those missed or active_with_misses, hit_rate = the share not
-- missed in percent rounded to 2 decimals, 100 when nothing was missed (no applied SLA included).
CREATE FUNCTION reports.sla_metrics(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL,
                                    sla_policy_id int DEFAULT NULL, agent_ids int[] DEFAULT NULL,
                                    inbox_id int DEFAULT NULL, team_id int DEFAULT NULL, label text DEFAULT NULL)
RETURNS TABLE (hit_rate float8, number_of_sla_misses bigint, number_of_conversations bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN x.misses = 0 THEN 100
                ELSE round((x.total - x.misses) * 100.0 / x.total, 2) END::float8,
           x.misses, x.total
    FROM (SELECT count(*) FILTER (WHERE r.sla_status IN ('missed', 'active_with_misses')) AS misses, count(*) AS total
          FROM reports.sla_responses(sla_metrics.account_id, sla_metrics.since, sla_metrics.until,
                                     sla_metrics.sla_policy_id, sla_metrics.agent_ids, sla_metrics.inbox_id,
                                     sla_metrics.team_id, sla_metrics.label) r) x
$$;
COMMENT ON FUNCTION reports.sla_metrics(int, timestamptz, timestamptz, int, int[], int, int, text) IS
'Chatwoot''s SLA metrics: hit_rate (% of applied SLAs not missed, 2 decimals; 100 when none missed), number_of_sla_misses, number_of_conversations (applied SLAs), over the rows of reports.sla_responses.';

-- ==== 70_drilldown.sql ====
-------------------------------------------------------------------------------------------------
-- Drilldown: the records behind one bucket of one metric and scope (Chatwoot's
-- GET /reports/drilldown, shared/reference/chatwoot-dropin.md §2): the rows the registry's
-- metric counts (reports_internal.metric), one by one, with the conversation each belongs to.
-------------------------------------------------------------------------------------------------

-- A message's type and its sender's name, as the drilldown's records show them.
CREATE FUNCTION reports_internal.message_type_name(message_type int)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE message_type WHEN 0 THEN 'incoming' WHEN 1 THEN 'outgoing' WHEN 2 THEN 'activity' WHEN 3 THEN 'template' END
$$;

CREATE FUNCTION reports_internal.sender_name(sender_type text, sender_id bigint)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE sender_type
               WHEN 'User' THEN (SELECT u.name::text FROM public.users u WHERE u.id = sender_id)
               WHEN 'Contact' THEN (SELECT k.name::text FROM public.contacts k WHERE k.id = sender_id)
               WHEN 'AgentBot' THEN (SELECT b.name::text FROM public.agent_bots b WHERE b.id = sender_id)
           END
$$;

CREATE FUNCTION reports.drilldown(account_id int, metric text, bucket_timestamp timestamptz,
                                  since timestamptz, until timestamptz,
                                  group_by text DEFAULT 'day', tz text DEFAULT 'UTC',
                                  scope text DEFAULT 'account', scope_id int DEFAULT NULL,
                                  business_hours bool DEFAULT false,
                                  page int DEFAULT NULL, per_page int DEFAULT 25)
RETURNS TABLE (record_type text, occurred_at timestamptz, metric_value float8, event_name text,
               source_id bigint, created_at timestamptz,
               conversation_id bigint, display_id int, status text, contact_id bigint, contact_name text,
               inbox_id bigint, inbox_name text, assignee_id bigint, assignee_name text,
               conversation_created_at timestamptz, last_activity_at timestamptz,
               last_message_id bigint, last_message_content text, last_message_type text,
               last_message_sender_name text, last_message_created_at timestamptz,
               message_id bigint, message_content text, message_type text, message_sender_name text,
               message_created_at timestamptz,
               bucket_since timestamptz, bucket_until timestamptz, total_count bigint, conversation_count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
#variable_conflict use_column
DECLARE
    v_account int := drilldown.account_id;
    v_metric text := drilldown.metric;
    v_bucket timestamptz := drilldown.bucket_timestamp;
    v_since timestamptz := drilldown.since;
    v_until timestamptz := drilldown.until;
    v_period text := lower(drilldown.group_by);
    v_tz text := drilldown.tz;
    v_scope text := drilldown.scope;
    v_scope_id int := drilldown.scope_id;
    v_bh bool := coalesce(drilldown.business_hours, false);
    v_page int := drilldown.page;
    v_per_page int := drilldown.per_page;
    v_event text;          -- the metric's reporting_events name (event metrics)
    v_message_type int;    -- its message_type (message metrics)
    v_end timestamptz;
    v_from timestamp;   -- the window in Chatwoot's UTC timestamps
    v_to timestamp;
    v_range_from timestamp := drilldown.since AT TIME ZONE 'UTC';
    v_range_to timestamp := drilldown.until AT TIME ZONE 'UTC';
    v_member bool;
BEGIN
    IF v_account IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    IF v_metric IS NULL THEN RAISE EXCEPTION 'invalid metric: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports_internal.check_metric(v_metric, reports_internal.drilldown_metrics());
    -- the metric's rows, as the registry defines them
    SELECT m.event_name, m.message_type INTO v_event, v_message_type FROM reports_internal.metric m WHERE m.name = v_metric;
    IF v_bucket IS NULL THEN RAISE EXCEPTION 'invalid bucket_timestamp: must not be NULL' USING ERRCODE = '22004'; END IF;
    IF NOT isfinite(v_bucket) THEN RAISE EXCEPTION 'invalid bucket_timestamp: must be finite' USING ERRCODE = '22008'; END IF;
    PERFORM reports_internal.check_range(v_since, v_until);
    PERFORM reports_internal.check_group_by(v_period);
    IF v_tz IS NULL THEN RAISE EXCEPTION 'invalid tz: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports.bucket_start(v_since, 'day', v_tz);  -- raises "invalid tz" for an unknown zone
    PERFORM reports_internal.check_scope(v_scope, v_scope_id);
    IF v_page IS NOT NULL AND v_page < 1 THEN
        RAISE EXCEPTION 'invalid page: must be at least 1, got %', v_page USING ERRCODE = '22023';
    END IF;
    IF v_per_page IS NULL THEN RAISE EXCEPTION 'invalid per_page: must not be NULL' USING ERRCODE = '22004'; END IF;
    IF v_per_page < 1 THEN
        RAISE EXCEPTION 'invalid per_page: must be at least 1, got %', v_per_page USING ERRCODE = '22023';
    END IF;

    -- The bucket: from bucket_timestamp as given (not re-aligned) to one period later on the
    -- zone's calendar (a DST day is 23 or 25 hours; an hour is 3600 s).
    v_end := CASE v_period
        WHEN 'hour' THEN v_bucket + interval '1 hour'
        ELSE ((v_bucket AT TIME ZONE v_tz) + CASE v_period WHEN 'day' THEN interval '1 day'
                                                            WHEN 'week' THEN interval '7 days'
                                                            WHEN 'month' THEN interval '1 month'
                                                            WHEN 'quarter' THEN interval '3 months'
                                                            ELSE interval '1 year' END) AT TIME ZONE v_tz END;
    IF NOT (v_bucket < v_until AND v_end > v_since) THEN
        RAISE EXCEPTION 'invalid bucket_timestamp: the % bucket from % to % does not overlap since..until (% to %)',
            v_period, v_bucket, v_end, v_since, v_until USING ERRCODE = '22023';
    END IF;
    v_from := greatest(v_bucket, v_since) AT TIME ZONE 'UTC';
    v_to := least(v_end, v_until) AT TIME ZONE 'UTC';
    -- An agent of another account matches nothing.
    v_member := v_scope <> 'agent' OR EXISTS (SELECT 1 FROM public.account_users au
                                              WHERE au.account_id = v_account AND au.user_id = v_scope_id);

    RETURN QUERY
    WITH scope_conversations AS MATERIALIZED (  -- a team's or a label's (current) conversations
        SELECT c.id FROM public.conversations c
        WHERE v_scope = 'team' AND c.account_id = v_account AND c.team_id = v_scope_id
        UNION
        SELECT c.id
        FROM public.labels l
        JOIN public.tags g ON lower(g.name) = lower(l.title)
        JOIN public.taggings t ON t.tag_id = g.id AND t.taggable_type = 'Conversation'
        JOIN public.conversations c ON c.id = t.taggable_id AND c.account_id = v_account
        WHERE v_scope = 'label' AND l.id = v_scope_id AND l.account_id = v_account
    ), src AS (
        -- conversations_count: one row per conversation
        SELECT 'conversation'::text AS kind, c.id::bigint AS src_id, c.created_at AS src_created,
               c.id::bigint AS conv_id, c.created_at AS occurred, NULL::float8 AS val, NULL::text AS ev,
               NULL::bigint AS msg_id, NULL::timestamp AS ev_end, NULL::bigint AS ev_user
        FROM public.conversations c
        WHERE v_metric = 'conversations_count' AND v_member
          AND c.account_id = v_account AND c.created_at >= v_from AND c.created_at < v_to
          AND CASE v_scope WHEN 'account' THEN true
                           WHEN 'agent' THEN c.assignee_id = v_scope_id
                           WHEN 'inbox' THEN c.inbox_id = v_scope_id
                           ELSE c.id IN (SELECT s.id FROM scope_conversations s) END
        UNION ALL
        -- message counts: one row per message (outgoing includes private notes and bot messages)
        SELECT 'message', m.id::bigint, m.created_at, m.conversation_id::bigint, m.created_at, NULL::float8,
               NULL::text, m.id::bigint, NULL::timestamp, NULL::bigint
        FROM public.messages m
        WHERE v_message_type IS NOT NULL AND v_member
          AND m.account_id = v_account AND m.created_at >= v_from AND m.created_at < v_to
          AND m.message_type = v_message_type
          AND CASE v_scope WHEN 'account' THEN true
                           WHEN 'agent' THEN m.sender_type = 'User' AND m.sender_id = v_scope_id
                           WHEN 'inbox' THEN m.inbox_id = v_scope_id
                           ELSE m.conversation_id IN (SELECT s.id FROM scope_conversations s) END
        UNION ALL
        -- event metrics: one row per event; bot handoffs: the latest event of each conversation
        SELECT 'event', e.id, e.created_at, e.conversation_id::bigint, coalesce(e.event_end_time, e.created_at),
               CASE WHEN v_bh THEN e.value_in_business_hours - coalesce(w.wait_business_seconds, 0)
                    ELSE e.value - coalesce(w.wait_seconds, 0) END,
               e.name::text, NULL::bigint, e.event_end_time, e.user_id::bigint
        FROM (SELECT DISTINCT ON (CASE WHEN v_metric = 'bot_handoffs_count' THEN x.conversation_id::bigint
                                       ELSE -x.id END) x.*
              FROM public.reporting_events x
              WHERE v_event IS NOT NULL AND v_member
                AND x.account_id = v_account AND x.name = v_event
                AND x.created_at >= v_from AND x.created_at < v_to
                AND (v_metric <> 'bot_handoffs_count' OR x.conversation_id IS NOT NULL)
                AND CASE v_scope WHEN 'account' THEN true
                                 WHEN 'agent' THEN x.user_id = v_scope_id
                                 WHEN 'inbox' THEN x.inbox_id = v_scope_id
                                 ELSE x.conversation_id IN (SELECT s.id FROM scope_conversations s) END
                -- upstream #14032: a bot resolution of a conversation handed off to a human in the
                -- same scope within since..until is no bot resolution
                AND (v_metric <> 'bot_resolutions_count' OR NOT EXISTS (
                       SELECT 1 FROM public.reporting_events h
                       JOIN public.conversations hc ON hc.id = h.conversation_id  -- as bot_handoffs_count counts them
                       WHERE h.account_id = v_account AND h.name = 'conversation_bot_handoff'
                         AND h.conversation_id = x.conversation_id
                         AND h.created_at >= v_range_from AND h.created_at < v_range_to
                         AND CASE v_scope WHEN 'account' THEN true
                                          WHEN 'agent' THEN h.user_id = v_scope_id
                                          WHEN 'inbox' THEN h.inbox_id = v_scope_id
                                          ELSE h.conversation_id IN (SELECT s.id FROM scope_conversations s) END))
              ORDER BY CASE WHEN v_metric = 'bot_handoffs_count' THEN x.conversation_id::bigint ELSE -x.id END,
                       x.id DESC) e
        LEFT JOIN reports.event_waits w ON w.event_id = e.id AND w.account_id = v_account
    ), totals AS (
        SELECT count(*) AS n, count(DISTINCT s.conv_id) AS nc FROM src s
    ), paged AS (
        SELECT s.* FROM src s
        ORDER BY s.src_created DESC, s.src_id DESC
        LIMIT CASE WHEN v_page IS NULL THEN NULL ELSE v_per_page END
        OFFSET CASE WHEN v_page IS NULL THEN 0 ELSE (v_page::bigint - 1) * v_per_page END
    )
    SELECT CASE WHEN p.kind = 'message' OR im.id IS NOT NULL THEN 'message' ELSE 'conversation' END,
           p.occurred AT TIME ZONE 'UTC',
           p.val,
           CASE WHEN p.kind = 'event' AND im.id IS NULL THEN p.ev END,
           p.src_id,
           p.src_created AT TIME ZONE 'UTC',
           c.id::bigint, c.display_id,
           CASE c.status WHEN 0 THEN 'open' WHEN 1 THEN 'resolved' WHEN 2 THEN 'pending' WHEN 3 THEN 'snoozed' END,
           c.contact_id::bigint, k.name::text, c.inbox_id::bigint, i.name::text, c.assignee_id::bigint, ua.name::text,
           c.created_at AT TIME ZONE 'UTC', c.last_activity_at AT TIME ZONE 'UTC',
           lm.id::bigint, lm.content::text,
           reports_internal.message_type_name(lm.message_type),
           reports_internal.sender_name(lm.sender_type, lm.sender_id),
           lm.created_at AT TIME ZONE 'UTC',
           mm.id::bigint, mm.content::text,
           reports_internal.message_type_name(mm.message_type),
           reports_internal.sender_name(mm.sender_type, mm.sender_id),
           mm.created_at AT TIME ZONE 'UTC',
           greatest(v_bucket, v_since), least(v_end, v_until), t.n, t.nc
    FROM paged p
    CROSS JOIN totals t
    LEFT JOIN public.conversations c ON c.id = p.conv_id AND c.account_id = v_account
    LEFT JOIN public.contacts k ON k.id = c.contact_id
    LEFT JOIN public.inboxes i ON i.id = c.inbox_id
    LEFT JOIN public.users ua ON ua.id = c.assignee_id
    LEFT JOIN LATERAL (  -- the conversation's latest message that is not an activity
        SELECT l.* FROM public.messages l
        WHERE l.conversation_id = c.id AND l.message_type <> 2
        ORDER BY l.created_at DESC, l.id DESC LIMIT 1) lm ON true
    LEFT JOIN LATERAL (  -- the reply a first_response / reply_time event measured
        SELECT r.id FROM public.messages r
        WHERE p.kind = 'event' AND p.ev IN ('first_response', 'reply_time') AND p.ev_end IS NOT NULL
          AND r.conversation_id = c.id AND r.message_type IN (1, 3)
          AND r.created_at >= p.ev_end - interval '1 second' AND r.created_at <= p.ev_end + interval '1 second'
          AND (p.ev <> 'first_response' OR p.ev_user IS NULL OR (r.sender_type = 'User' AND r.sender_id = p.ev_user))
        ORDER BY r.created_at DESC, r.id DESC LIMIT 1) im ON true
    LEFT JOIN public.messages mm ON mm.id = coalesce(p.msg_id, im.id)
    ORDER BY p.src_created DESC, p.src_id DESC;
END
$$;
COMMENT ON FUNCTION reports.drilldown(int, text, timestamptz, timestamptz, timestamptz, text, text, text, int, bool, int, int) IS
'The records behind one bucket of one metric and scope (Chatwoot''s /reports/drilldown): conversations, messages or reporting events created in [max(bucket_timestamp, since), min(bucket end, until)), newest first, with their conversation, last message and (for message rows and inferable replies) message. total_count and conversation_count cover the whole bucket; page NULL returns every record, else per_page of them.';

-- ==== 90_install.sql ====
-- Indexes the reports want and Chatwoot's schema lacks. Chatwoot indexes conversations by account
-- but not by creation time, so every date-range read of an account's conversations (the raw
-- edges of every report, conversations_count from raw rows) scans all of them.
CREATE FUNCTION reports.recommended_indexes()
RETURNS TABLE (index_name text, table_name text, installed bool, statement text)
LANGUAGE sql STABLE AS $$
    SELECT v.name, v.tab, to_regclass('public.' || v.name) IS NOT NULL,
           format('CREATE INDEX CONCURRENTLY IF NOT EXISTS %I ON public.%I %s', v.name, v.tab, v.cols)
    FROM (VALUES ('reports_conversations_account_created', 'conversations', '(account_id, created_at)')) v(name, tab, cols)
    WHERE to_regclass('public.' || v.tab) IS NOT NULL
$$;
COMMENT ON FUNCTION reports.recommended_indexes() IS
'Indexes the reports read faster with, whether each exists, and the CREATE INDEX CONCURRENTLY statement for it (run them from psql with \gexec; see the README).';

-- Builds the missing recommended indexes in this transaction (plain CREATE INDEX: writes to the
-- table wait until it is built). On a busy Chatwoot database prefer the CONCURRENTLY statements
-- of reports.recommended_indexes(), which cannot run inside a function. Returns what it built.
CREATE FUNCTION reports.install_recommended_indexes()
RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM reports.recommended_indexes() WHERE NOT installed LOOP
        RAISE NOTICE 'install_recommended_indexes: building % on %', r.index_name, r.table_name;
        EXECUTE replace(r.statement, 'CREATE INDEX CONCURRENTLY', 'CREATE INDEX');
        RETURN NEXT r.index_name;
    END LOOP;
END
$$;
COMMENT ON FUNCTION reports.install_recommended_indexes() IS
'Creates the missing indexes of reports.recommended_indexes() (blocking writes to their tables while they build) and returns their names.';

-- Last step of CREATE EXTENSION: the triggers on Chatwoot's tables (when they exist already; call
-- reports.install_triggers() again after creating them later) and on the extension's own tables.
SELECT reports.install_triggers();
-- the agent-message counts of the messages already there (one pass; the trigger keeps them after)
SELECT reports.rebuild_agent_messages();

