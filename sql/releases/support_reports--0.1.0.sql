-- ==== 10_kernels.sql ====
-- support_reports: kernels (business hours, buckets) and aggregates.
\echo Use "CREATE EXTENSION support_reports" to load this file. \quit

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

CREATE FUNCTION reports.heatmap_sfunc(state bytea, ts timestamptz, tz text) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_heatmap_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports.heatmap_combine(a bytea, b bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_heatmap_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports.heatmap_final(state bytea) RETURNS int8[]
AS 'MODULE_PATHNAME', 'sr_heatmap_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE reports.heatmap_agg(ts timestamptz, tz text) (
    SFUNC = reports.heatmap_sfunc, STYPE = bytea, FINALFUNC = reports.heatmap_final,
    COMBINEFUNC = reports.heatmap_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE reports.heatmap_agg(timestamptz, text) IS
'168 counts of ts, index dow * 24 + hour of its local time in tz (Sunday = 0); NULL ts are skipped.';

CREATE FUNCTION reports.histogram_sfunc(state bytea, value float8, edges float8[]) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_histogram_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports.histogram_combine(a bytea, b bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_histogram_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports.histogram_final(state bytea) RETURNS int8[]
AS 'MODULE_PATHNAME', 'sr_histogram_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE reports.histogram_agg(value float8, edges float8[]) (
    SFUNC = reports.histogram_sfunc, STYPE = bytea, FINALFUNC = reports.histogram_final,
    COMBINEFUNC = reports.histogram_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE reports.histogram_agg(float8, float8[]) IS
'Counts per bucket [edges[i-1], edges[i]): length(edges) + 1 buckets, the first unbounded below and the last unbounded above (NaN counts in the last). NULL values are skipped.';

CREATE TYPE reports.series_bucket AS (bucket timestamptz, count bigint, sum float8);

CREATE FUNCTION reports.series_sfunc(state bytea, ts timestamptz, value float8, period text, tz text,
                                     since timestamptz, until timestamptz) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_series_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports.series_sfunc(state bytea, ts timestamptz, value float8, period text, tz text,
                                     since timestamptz, until timestamptz, week_start text) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_series_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports.series_combine(a bytea, b bytea) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_series_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports.series_final(state bytea) RETURNS reports.series_bucket[]
AS 'MODULE_PATHNAME', 'sr_series_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE reports.series_agg(ts timestamptz, value float8, period text, tz text,
                                    since timestamptz, until timestamptz) (
    SFUNC = reports.series_sfunc, STYPE = bytea, FINALFUNC = reports.series_final,
    COMBINEFUNC = reports.series_combine, PARALLEL = SAFE);
CREATE AGGREGATE reports.series_agg(ts timestamptz, value float8, period text, tz text,
                                    since timestamptz, until timestamptz, week_start text) (
    SFUNC = reports.series_sfunc, STYPE = bytea, FINALFUNC = reports.series_final,
    COMBINEFUNC = reports.series_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE reports.series_agg(timestamptz, float8, text, text, timestamptz, timestamptz) IS
'Dense timeseries in one pass: per bucket (reports.bucket_start) the count and sum of value, zero-filled from the bucket containing since while the bucket start is before until. Rows outside [since, until) and rows with a NULL ts or value are skipped. period, tz, since and until must be the same for every row of a group.';

-- The same aggregates over `timestamp without time zone` read as UTC, which is how Chatwoot stores
-- every timestamp: the reports pass created_at as it is, with no per-row conversion.
CREATE FUNCTION reports.heatmap_sfunc(state bytea, ts timestamp, tz text) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_heatmap_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE reports.heatmap_agg(ts timestamp, tz text) (
    SFUNC = reports.heatmap_sfunc, STYPE = bytea, FINALFUNC = reports.heatmap_final,
    COMBINEFUNC = reports.heatmap_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE reports.heatmap_agg(timestamp, text) IS
'heatmap_agg for a timestamp without time zone that holds UTC (Chatwoot''s convention).';

CREATE FUNCTION reports.series_sfunc(state bytea, ts timestamp, value float8, period text, tz text,
                                     since timestamptz, until timestamptz) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_series_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION reports.series_sfunc(state bytea, ts timestamp, value float8, period text, tz text,
                                     since timestamptz, until timestamptz, week_start text) RETURNS bytea
AS 'MODULE_PATHNAME', 'sr_series_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE reports.series_agg(ts timestamp, value float8, period text, tz text,
                                    since timestamptz, until timestamptz) (
    SFUNC = reports.series_sfunc, STYPE = bytea, FINALFUNC = reports.series_final,
    COMBINEFUNC = reports.series_combine, PARALLEL = SAFE);
CREATE AGGREGATE reports.series_agg(ts timestamp, value float8, period text, tz text,
                                    since timestamptz, until timestamptz, week_start text) (
    SFUNC = reports.series_sfunc, STYPE = bytea, FINALFUNC = reports.series_final,
    COMBINEFUNC = reports.series_combine, PARALLEL = SAFE);
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
COMMENT ON TABLE reports.conversation_status_changes IS
'Every status change of public.conversations, recorded by the trigger reports.record_status_change (install with reports.install_triggers()).';

CREATE FUNCTION reports.record_status_change() RETURNS trigger
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
COMMENT ON FUNCTION reports.record_status_change() IS
'AFTER INSERT OR UPDATE OF status trigger on public.conversations: appends to reports.conversation_status_changes.';

-- Pending and snoozed time inside each conversation_resolved event, recorded once (by the trigger
-- below when the event is inserted, or by reports.rebuild_event_waits after a bulk load) so that
-- reports subtract it with a hash join on a small table instead of replaying status history.
CREATE TABLE reports.event_waits (
    event_id              bigint    PRIMARY KEY,  -- reporting_events.id
    account_id            int       NOT NULL,
    created_at            timestamp NOT NULL,     -- the event's created_at (reports filter on it)
    wait_seconds          float8    NOT NULL,     -- wall-clock seconds pending or snoozed
    wait_business_seconds float8    NOT NULL      -- the same in the inbox's working hours
);
CREATE INDEX event_waits_account ON reports.event_waits (account_id, created_at);
SELECT pg_catalog.pg_extension_config_dump('reports.event_waits', '');
COMMENT ON TABLE reports.event_waits IS
'Pending/snoozed time within each conversation_resolved event (rows only where there was some); subtracted from resolution times by every report.';

-- Business seconds of an event as Chatwoot stores them: rounded half away from zero to whole
-- seconds, 0 when the inbox has working hours disabled.
CREATE FUNCTION reports.event_business_seconds(start_at timestamp, end_at timestamp, schedule int4[], tz text)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- Each argument is used once, so the planner inlines this into the calling query (a SQL
    -- function it cannot inline costs a function-executor start-up per row).
    SELECT round(reports.business_seconds(start_at, end_at, coalesce(schedule, '{}'), coalesce(tz, 'UTC'))::numeric)::float8
$$;
COMMENT ON FUNCTION reports.event_business_seconds(timestamp, timestamp, int4[], text) IS
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
        NEW.value_in_business_hours := reports.event_business_seconds(NEW.event_start_time, NEW.event_end_time, v_schedule, v_tz);
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
    PERFORM reports.check_range(refresh_business_hours.since, refresh_business_hours.until, false);
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
    SET value_in_business_hours = reports.event_business_seconds(e.event_start_time, e.event_end_time, s.schedule, s.timezone)
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
          reports.event_business_seconds(e.event_start_time, e.event_end_time, s.schedule, s.timezone)
    RETURNING e.account_id, e.created_at
    ), marked AS (
        INSERT INTO reports.rollup_dirty (account_id, hour)
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
    PERFORM reports.check_range(rebuild_event_waits.since, rebuild_event_waits.until, false);
    -- The rollup's marks, one per hour with a resolution rather than one per wait row (the row
    -- triggers stand aside), and only for hours the rollup covers: holding the rollup state
    -- keeps a refresh from running meanwhile (see 35_rollup.sql).
    SELECT s.covered_until INTO v_covered FROM reports.rollup_state s FOR SHARE;
    PERFORM set_config('reports.bulk_marking', 'on', true);
    INSERT INTO reports.rollup_dirty (account_id, hour)
    SELECT DISTINCT e.account_id, date_trunc('hour', e.created_at) FROM public.reporting_events e
    WHERE e.account_id = rebuild_event_waits.account_id AND e.name = 'conversation_resolved'
      AND e.created_at >= v_since AND e.created_at < v_until AND e.created_at < v_covered;
    DELETE FROM reports.event_waits w
    WHERE w.account_id = rebuild_event_waits.account_id AND w.created_at >= v_since AND w.created_at < v_until;
    INSERT INTO reports.event_waits (event_id, account_id, created_at, wait_seconds, wait_business_seconds)
    SELECT e.id, e.account_id, e.created_at, r.wait_seconds, r.wait_business_seconds
    FROM reports.resolution_waits(rebuild_event_waits.account_id, v_since, v_until) r
    JOIN public.reporting_events e ON e.id = r.event_id
    WHERE r.wait_seconds > 0;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    PERFORM set_config('reports.bulk_marking', 'off', true);
    RETURN v_count;
END
$$;

CREATE FUNCTION reports.record_event_wait() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name = 'conversation_resolved' AND NEW.event_start_time IS NOT NULL AND NEW.event_end_time IS NOT NULL THEN
        -- The same computation as rebuild_event_waits, narrowed to this event's conversation.
        INSERT INTO reports.event_waits (event_id, account_id, created_at, wait_seconds, wait_business_seconds)
        SELECT NEW.id, NEW.account_id, NEW.created_at, r.wait_seconds, r.wait_business_seconds
        FROM reports.resolution_waits(NEW.account_id, NEW.created_at, NEW.created_at + interval '1 microsecond',
                                      NEW.conversation_id) r
        WHERE r.event_id = NEW.id AND r.wait_seconds > 0
        ON CONFLICT (event_id) DO UPDATE
            SET wait_seconds = EXCLUDED.wait_seconds, wait_business_seconds = EXCLUDED.wait_business_seconds;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION reports.record_event_wait() IS
'AFTER INSERT trigger on public.reporting_events: records the pending/snoozed time of a conversation_resolved event in reports.event_waits.';

-- Installs the triggers on Chatwoot's tables. Called by CREATE EXTENSION when the tables
-- exist; call it again after creating them later.
CREATE FUNCTION reports.install_triggers() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass('public.conversations') IS NOT NULL THEN
        DROP TRIGGER IF EXISTS reports_status_history ON public.conversations;
        CREATE TRIGGER reports_status_history AFTER INSERT OR UPDATE OF status ON public.conversations
            FOR EACH ROW EXECUTE FUNCTION reports.record_status_change();
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
            EXECUTE FUNCTION reports.record_event_wait();
    END IF;
    PERFORM reports.install_rollup_triggers();
END
$$;
COMMENT ON FUNCTION reports.install_triggers() IS
'Creates the status-history trigger on public.conversations, the business-hours and event-wait triggers on public.reporting_events, and the rollup''s change-marking triggers (idempotent).';


-- ==== 30_common.sql ====
-------------------------------------------------------------------------------------------------
-- Building blocks shared by the reports: argument checks, scopes, bot inboxes, resolution waits.
-- Every report restricts every table it reads to one account; an id of another account matches
-- nothing.
-------------------------------------------------------------------------------------------------

-- Raises the standard errors for a report's time range. NULL bounds are allowed only where a report
-- documents "no date filter".
CREATE FUNCTION reports.check_range(since timestamptz, until timestamptz, required bool DEFAULT true)
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

CREATE FUNCTION reports.check_group_by(group_by text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF group_by IS NULL OR lower(group_by) NOT IN ('hour', 'day', 'week', 'month', 'quarter', 'year') THEN
        RAISE EXCEPTION 'invalid group_by "%"', group_by USING ERRCODE = '22023',
            HINT = 'Valid values are hour, day, week, month, quarter and year.';
    END IF;
END
$$;

CREATE FUNCTION reports.check_scope(scope text, scope_id int)
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

-- Conversations of a team or label scope (their current team / labels, as Chatwoot reads them).
-- A label matches conversation tags case-insensitively in any tagging context.
CREATE FUNCTION reports.scope_conversations(account_id int, scope text, scope_id int)
RETURNS TABLE (conversation_id int)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT c.id FROM public.conversations c
    WHERE scope_conversations.scope = 'team'
      AND c.account_id = scope_conversations.account_id AND c.team_id = scope_conversations.scope_id
    UNION ALL
    SELECT DISTINCT t.taggable_id
    FROM public.labels l
    JOIN public.tags g ON lower(g.name) = lower(l.title)
    JOIN public.taggings t ON t.tag_id = g.id AND t.taggable_type = 'Conversation'
    JOIN public.conversations c ON c.id = t.taggable_id AND c.account_id = scope_conversations.account_id
    WHERE scope_conversations.scope = 'label'
      AND l.id = scope_conversations.scope_id AND l.account_id = scope_conversations.account_id
$$;

-- Whether an agent id is a member of the account (an agent scope of another account matches nothing).
CREATE FUNCTION reports.is_account_user(account_id int, user_id int)
RETURNS bool
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (SELECT 1 FROM public.account_users au
                   WHERE au.account_id = is_account_user.account_id AND au.user_id = is_account_user.user_id)
$$;

-- Inboxes with an active bot: an active agent_bot_inboxes row or an enabled Dialogflow hook.
CREATE FUNCTION reports.bot_inboxes(account_id int)
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
CREATE FUNCTION reports.resolution_waits(account_id int, since timestamp, until timestamp,
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
           sum(coalesce(reports.event_business_seconds(o.o_from, o.o_to, s.schedule, s.timezone), 0))::float8
    FROM waits o LEFT JOIN sched s ON s.id = o.inbox_id
    GROUP BY o.id
$$;
COMMENT ON FUNCTION reports.resolution_waits(int, timestamp, timestamp, int) IS
'Seconds each conversation_resolved event of the account (optionally of one conversation) spent pending or snoozed, per the recorded status history.';

-- The reporting events of one account in [since, until), restricted to a scope, with resolution
-- times net of recorded pending/snoozed time (reports.event_waits). `val` is value or value_in_business_hours.
CREATE FUNCTION reports.scoped_events(account_id int, since timestamptz, until timestamptz,
                                      scope text, scope_id int, business_hours bool)
RETURNS TABLE (id bigint, name text, created_at timestamp, val float8, conversation_id int, user_id int, inbox_id int)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT e.id, e.name::text, e.created_at,
           CASE WHEN scoped_events.business_hours
                THEN e.value_in_business_hours - coalesce(w.wait_business_seconds, 0)
                ELSE e.value - coalesce(w.wait_seconds, 0) END,
           e.conversation_id, e.user_id, e.inbox_id
    FROM public.reporting_events e
    LEFT JOIN reports.event_waits w
           ON w.event_id = e.id
          AND w.account_id = scoped_events.account_id
          AND w.created_at >= scoped_events.since AT TIME ZONE 'UTC'
          AND w.created_at < scoped_events.until AT TIME ZONE 'UTC' 
    WHERE e.account_id = scoped_events.account_id
      AND e.created_at >= scoped_events.since AT TIME ZONE 'UTC'
      AND e.created_at < scoped_events.until AT TIME ZONE 'UTC'
      AND CASE scoped_events.scope
            WHEN 'account' THEN true
            WHEN 'agent' THEN e.user_id = scoped_events.scope_id
                              AND reports.is_account_user(scoped_events.account_id, scoped_events.scope_id)
            WHEN 'inbox' THEN e.inbox_id = scoped_events.scope_id
            ELSE e.conversation_id IN (SELECT s.conversation_id FROM reports.scope_conversations(
                    scoped_events.account_id, scoped_events.scope, scoped_events.scope_id) s)
          END
$$;

CREATE FUNCTION reports.scoped_conversations(account_id int, since timestamptz, until timestamptz,
                                             scope text, scope_id int)
RETURNS TABLE (id int, created_at timestamp, inbox_id int, assignee_id int, team_id bigint, status int)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT c.id, c.created_at, c.inbox_id, c.assignee_id, c.team_id, c.status
    FROM public.conversations c
    WHERE c.account_id = scoped_conversations.account_id
      AND c.created_at >= scoped_conversations.since AT TIME ZONE 'UTC'
      AND c.created_at < scoped_conversations.until AT TIME ZONE 'UTC'
      AND CASE scoped_conversations.scope
            WHEN 'account' THEN true
            WHEN 'agent' THEN c.assignee_id = scoped_conversations.scope_id
                              AND reports.is_account_user(scoped_conversations.account_id, scoped_conversations.scope_id)
            WHEN 'inbox' THEN c.inbox_id = scoped_conversations.scope_id
            WHEN 'team' THEN c.team_id = scoped_conversations.scope_id
            ELSE c.id IN (SELECT s.conversation_id FROM reports.scope_conversations(
                    scoped_conversations.account_id, 'label', scoped_conversations.scope_id) s)
          END
$$;

-- Incoming (0) and outgoing (1) messages of a scope; outgoing includes private notes and bot or
-- automation messages, as Chatwoot counts them.
CREATE FUNCTION reports.scoped_messages(account_id int, since timestamptz, until timestamptz,
                                        scope text, scope_id int)
RETURNS TABLE (id int, created_at timestamp, message_type int, conversation_id int, inbox_id int)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT m.id, m.created_at, m.message_type, m.conversation_id, m.inbox_id
    FROM public.messages m
    WHERE m.account_id = scoped_messages.account_id
      AND m.created_at >= scoped_messages.since AT TIME ZONE 'UTC'
      AND m.created_at < scoped_messages.until AT TIME ZONE 'UTC'
      AND m.message_type IN (0, 1)
      AND CASE scoped_messages.scope
            WHEN 'account' THEN true
            WHEN 'agent' THEN m.sender_type = 'User' AND m.sender_id = scoped_messages.scope_id
                              AND reports.is_account_user(scoped_messages.account_id, scoped_messages.scope_id)
            WHEN 'inbox' THEN m.inbox_id = scoped_messages.scope_id
            ELSE m.conversation_id IN (SELECT s.conversation_id FROM reports.scope_conversations(
                    scoped_messages.account_id, scoped_messages.scope, scoped_messages.scope_id) s)
          END
$$;

-- ==== 35_rollup.sql ====
-- Hourly rollup of the summary's additive metrics, so a summary over months reads a few thousand
-- rollup rows instead of millions of raw rows (Chatwoot's own answer to slow reports is a rollup;
-- see docs/sql.md, "Rollup").
--
-- Correctness never depends on how often it is refreshed. reports.summary combines
--   * rollup rows for whole UTC hours below reports.rollup_state.covered_until, and
--   * the raw tables for everything else: the partial hours at the range's ends, hours not yet
--     rolled up, and, for an account with an hour marked dirty inside the range, the whole range.
-- Bot handoffs count distinct conversations that still exist, so each hour keeps the ids, and
-- inserting or deleting an old conversation also marks the hours of its handoff events.
-- A change to a source row in an hour that may already be rolled up marks that hour dirty
-- (reports.rollup_dirty) from a trigger. "May already be rolled up" is decided without reading
-- any table: the row's created_at is more than rollup_lag() (1 hour) before the clock.
-- refresh_rollup never covers an hour that a still-running transaction could change without
-- leaving a mark: it stops rollup_lag() before the start of the oldest running transaction.

CREATE TABLE reports.hourly_rollup (
    account_id          int       NOT NULL,
    hour                timestamp NOT NULL,  -- start of the UTC hour
    conversations       bigint    NOT NULL,  -- conversations created
    incoming_messages   bigint    NOT NULL,  -- messages of type 0
    outgoing_messages   bigint    NOT NULL,  -- messages of type 1
    first_response_n    bigint    NOT NULL,  -- first_response events with a value
    first_response_sum  float8    NOT NULL,
    first_response_bh_n bigint    NOT NULL,  -- ... with a business-hours value
    first_response_bh_sum float8  NOT NULL,
    resolutions         bigint    NOT NULL,  -- conversation_resolved events
    resolution_n        bigint    NOT NULL,  -- ... with a value (less its recorded waits)
    resolution_sum      float8    NOT NULL,
    resolution_bh_n     bigint    NOT NULL,
    resolution_bh_sum   float8    NOT NULL,
    reply_n             bigint    NOT NULL,  -- reply_time events with a value
    reply_sum           float8    NOT NULL,
    reply_bh_n          bigint    NOT NULL,
    reply_bh_sum        float8    NOT NULL,
    bot_resolutions     bigint    NOT NULL,  -- conversation_bot_resolved events
    -- Distinct existing conversations with a conversation_bot_handoff event in the hour, sorted:
    -- a distinct count over many hours is the size of the union, so the ids are kept.
    handoff_conversations int[]   NOT NULL,
    PRIMARY KEY (account_id, hour)
);
COMMENT ON TABLE reports.hourly_rollup IS
'Per account and UTC hour, the parts of reports.summary (counts, sums with their counts for averages, the ids of handed-off conversations), filled by reports.refresh_rollup(). Hours without any row have no rollup row.';

-- One row: the rollup holds every hour before covered_until, except the dirty ones.
CREATE TABLE reports.rollup_state (
    singleton      bool      PRIMARY KEY DEFAULT true CHECK (singleton),
    covered_until  timestamp NOT NULL DEFAULT '-infinity',  -- an hour boundary, UTC
    refreshed_at   timestamptz
);
INSERT INTO reports.rollup_state DEFAULT VALUES;
COMMENT ON TABLE reports.rollup_state IS
'How far reports.hourly_rollup reaches: every UTC hour before covered_until is rolled up, except those listed in reports.rollup_dirty.';

-- Append-only, without deduplication: each change adds its own row, and refresh_rollup deletes
-- only the rows committed before it started. A mark written by a transaction the refresh could
-- not see therefore survives the refresh, and the hour is recomputed by the next one.
CREATE TABLE reports.rollup_dirty (
    id          bigserial PRIMARY KEY,
    account_id  int       NOT NULL,
    hour        timestamp NOT NULL
);
CREATE INDEX rollup_dirty_account_hour ON reports.rollup_dirty (account_id, hour);
COMMENT ON TABLE reports.rollup_dirty IS
'UTC hours whose source rows changed after they may have been rolled up; reports read them from the raw tables until refresh_rollup() recomputes them.';

-- The lag that separates "changes now" from "may already be rolled up".
CREATE FUNCTION reports.rollup_lag() RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT interval '1 hour' $$;

-- Trigger: marks the hours of the changed rows (old and new versions) dirty. Attached with a WHEN
-- clause, so rows in the last hour, the normal case, never call it.
CREATE FUNCTION reports.mark_rollup_dirty() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.account_id IS NOT NULL AND OLD.created_at IS NOT NULL THEN
        INSERT INTO reports.rollup_dirty (account_id, hour) VALUES (OLD.account_id, date_trunc('hour', OLD.created_at));
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.account_id IS NOT NULL AND NEW.created_at IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.account_id IS DISTINCT FROM OLD.account_id
            OR date_trunc('hour', NEW.created_at) IS DISTINCT FROM date_trunc('hour', OLD.created_at)) THEN
        INSERT INTO reports.rollup_dirty (account_id, hour) VALUES (NEW.account_id, date_trunc('hour', NEW.created_at));
    END IF;
    -- A conversation appearing or disappearing changes the handoff count of the hours of its
    -- handoff events (Chatwoot counts only conversations that exist).
    IF TG_TABLE_NAME = 'conversations' AND TG_OP IN ('INSERT', 'DELETE') THEN
        INSERT INTO reports.rollup_dirty (account_id, hour)
        SELECT DISTINCT e.account_id, date_trunc('hour', e.created_at)
        FROM public.reporting_events e
        WHERE e.conversation_id = CASE TG_OP WHEN 'INSERT' THEN NEW.id ELSE OLD.id END
          AND e.name = 'conversation_bot_handoff' AND e.account_id IS NOT NULL;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION reports.mark_rollup_dirty() IS
'AFTER trigger on the tables the rollup reads: records the UTC hours of rows changed after they may have been rolled up.';

-- Installs the dirty-marking triggers (called by install_triggers). Only the columns the rollup
-- reads fire them: a message's status or content changing costs nothing.
CREATE FUNCTION reports.install_rollup_triggers() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    -- The clock test comes first, so rows of the last hour (every live insert) stop there. The
    -- setting lets our own bulk functions (refresh_business_hours, rebuild_event_waits) mark one
    -- row per hour themselves instead of one per changed row.
    old_hour text := $w$OLD.created_at < (clock_timestamp() AT TIME ZONE 'UTC') - reports.rollup_lag()
                        AND current_setting('reports.bulk_marking', true) IS DISTINCT FROM 'on'$w$;
    new_hour text := $w$NEW.created_at < (clock_timestamp() AT TIME ZONE 'UTC') - reports.rollup_lag()
                        AND current_setting('reports.bulk_marking', true) IS DISTINCT FROM 'on'$w$;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('public', 'conversations', 'account_id, created_at'),
        ('public', 'messages', 'account_id, created_at, message_type'),
        ('public', 'reporting_events', 'account_id, created_at, name, value, value_in_business_hours, conversation_id'),
        ('reports', 'event_waits', 'account_id, created_at, wait_seconds, wait_business_seconds')) v(schema, name, columns)
    LOOP
        CONTINUE WHEN to_regclass(format('%I.%I', t.schema, t.name)) IS NULL;
        EXECUTE format('DROP TRIGGER IF EXISTS reports_rollup_insert ON %I.%I', t.schema, t.name);
        EXECUTE format('DROP TRIGGER IF EXISTS reports_rollup_update ON %I.%I', t.schema, t.name);
        EXECUTE format('DROP TRIGGER IF EXISTS reports_rollup_delete ON %I.%I', t.schema, t.name);
        EXECUTE format('DROP TRIGGER IF EXISTS reports_rollup_truncate ON %I.%I', t.schema, t.name);
        EXECUTE format('CREATE TRIGGER reports_rollup_insert AFTER INSERT ON %I.%I FOR EACH ROW WHEN (%s) '
                       'EXECUTE FUNCTION reports.mark_rollup_dirty()', t.schema, t.name, new_hour);
        EXECUTE format('CREATE TRIGGER reports_rollup_update AFTER UPDATE OF %s ON %I.%I FOR EACH ROW '
                       'WHEN ((%s) OR (%s)) EXECUTE FUNCTION reports.mark_rollup_dirty()',
                       t.columns, t.schema, t.name, old_hour, new_hour);
        EXECUTE format('CREATE TRIGGER reports_rollup_delete AFTER DELETE ON %I.%I FOR EACH ROW WHEN (%s) '
                       'EXECUTE FUNCTION reports.mark_rollup_dirty()', t.schema, t.name, old_hour);
        EXECUTE format('CREATE TRIGGER reports_rollup_truncate AFTER TRUNCATE ON %I.%I FOR EACH STATEMENT '
                       'EXECUTE FUNCTION reports.reset_rollup_on_truncate()', t.schema, t.name);
    END LOOP;
END
$$;

-- The rollup rows of [from_hour, to_hour) for every account, or of the given (account, hour)
-- pairs, computed from the raw tables with exactly the summary's definitions.
CREATE FUNCTION reports.compute_rollup(from_hour timestamp, to_hour timestamp, only_accounts int[] DEFAULT NULL,
                                       only_hours timestamp[] DEFAULT NULL)
RETURNS SETOF reports.hourly_rollup
LANGUAGE sql STABLE AS $$
    WITH keys AS (
        SELECT k.a AS account_id, k.h AS hour FROM unnest(only_accounts, only_hours) k(a, h)
    ), conv AS (
        SELECT c.account_id, date_trunc('hour', c.created_at) AS hour, count(*) AS n
        FROM public.conversations c
        WHERE c.created_at >= from_hour AND c.created_at < to_hour AND c.account_id IS NOT NULL
          AND (only_accounts IS NULL OR (c.account_id, date_trunc('hour', c.created_at)) IN (SELECT * FROM keys))
        GROUP BY 1, 2
    ), msg AS (
        SELECT m.account_id, date_trunc('hour', m.created_at) AS hour,
               count(*) FILTER (WHERE m.message_type = 0) AS incoming,
               count(*) FILTER (WHERE m.message_type = 1) AS outgoing
        FROM public.messages m
        WHERE m.created_at >= from_hour AND m.created_at < to_hour AND m.message_type IN (0, 1)
          AND (only_accounts IS NULL OR (m.account_id, date_trunc('hour', m.created_at)) IN (SELECT * FROM keys))
        GROUP BY 1, 2
    ), ev AS (
        SELECT e.account_id, date_trunc('hour', e.created_at) AS hour,
               count(e.value) FILTER (WHERE e.name = 'first_response') AS frt_n,
               coalesce(sum(e.value) FILTER (WHERE e.name = 'first_response'), 0) AS frt_sum,
               count(e.value_in_business_hours) FILTER (WHERE e.name = 'first_response') AS frt_bh_n,
               coalesce(sum(e.value_in_business_hours) FILTER (WHERE e.name = 'first_response'), 0) AS frt_bh_sum,
               count(*) FILTER (WHERE e.name = 'conversation_resolved') AS res,
               count(e.value) FILTER (WHERE e.name = 'conversation_resolved') AS rt_n,
               coalesce(sum(e.value - coalesce(w.wait_seconds, 0)) FILTER (WHERE e.name = 'conversation_resolved'), 0) AS rt_sum,
               count(e.value_in_business_hours) FILTER (WHERE e.name = 'conversation_resolved') AS rt_bh_n,
               coalesce(sum(e.value_in_business_hours - coalesce(w.wait_business_seconds, 0))
                        FILTER (WHERE e.name = 'conversation_resolved'), 0) AS rt_bh_sum,
               count(e.value) FILTER (WHERE e.name = 'reply_time') AS reply_n,
               coalesce(sum(e.value) FILTER (WHERE e.name = 'reply_time'), 0) AS reply_sum,
               count(e.value_in_business_hours) FILTER (WHERE e.name = 'reply_time') AS reply_bh_n,
               coalesce(sum(e.value_in_business_hours) FILTER (WHERE e.name = 'reply_time'), 0) AS reply_bh_sum,
               count(*) FILTER (WHERE e.name = 'conversation_bot_resolved') AS bot,
               coalesce(array_agg(DISTINCT e.conversation_id ORDER BY e.conversation_id)
                        FILTER (WHERE e.name = 'conversation_bot_handoff' AND e.conversation_id IS NOT NULL
                                AND c.id IS NOT NULL), '{}') AS handoffs
        FROM public.reporting_events e
        LEFT JOIN reports.event_waits w ON w.event_id = e.id
        LEFT JOIN public.conversations c ON e.name = 'conversation_bot_handoff' AND c.id = e.conversation_id
        WHERE e.created_at >= from_hour AND e.created_at < to_hour AND e.account_id IS NOT NULL
          AND e.name IN ('first_response', 'conversation_resolved', 'reply_time', 'conversation_bot_resolved',
                         'conversation_bot_handoff')
          AND (only_accounts IS NULL OR (e.account_id, date_trunc('hour', e.created_at)) IN (SELECT * FROM keys))
        GROUP BY 1, 2
    )
    SELECT coalesce(conv.account_id, msg.account_id, ev.account_id), coalesce(conv.hour, msg.hour, ev.hour),
           coalesce(conv.n, 0), coalesce(msg.incoming, 0), coalesce(msg.outgoing, 0),
           coalesce(ev.frt_n, 0), coalesce(ev.frt_sum, 0), coalesce(ev.frt_bh_n, 0), coalesce(ev.frt_bh_sum, 0),
           coalesce(ev.res, 0), coalesce(ev.rt_n, 0), coalesce(ev.rt_sum, 0), coalesce(ev.rt_bh_n, 0),
           coalesce(ev.rt_bh_sum, 0), coalesce(ev.reply_n, 0), coalesce(ev.reply_sum, 0), coalesce(ev.reply_bh_n, 0),
           coalesce(ev.reply_bh_sum, 0), coalesce(ev.bot, 0), coalesce(ev.handoffs, '{}')
    FROM conv
    FULL JOIN msg ON msg.account_id = conv.account_id AND msg.hour = conv.hour
    FULL JOIN ev ON ev.account_id = coalesce(conv.account_id, msg.account_id)
                AND ev.hour = coalesce(conv.hour, msg.hour)
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
                                       coalesce(up_to, 'infinity')) AT TIME ZONE 'UTC') - reports.rollup_lag());

    -- The marks committed so far go: their rows are visible to every statement below, and marks
    -- committed later stay for the next refresh (a rollback puts these back). The marked hours
    -- already covered are recomputed; marks of later hours only go away (those hours are
    -- computed afresh when the rollup reaches them).
    WITH taken AS (DELETE FROM reports.rollup_dirty x RETURNING x.account_id, x.hour)
    SELECT array_agg(k.account_id), array_agg(k.hour) INTO v_accounts, v_hours
    FROM (SELECT DISTINCT t.account_id, t.hour FROM taken t WHERE t.hour < v_old) k;
    IF v_accounts IS NOT NULL THEN
        RAISE NOTICE 'refresh_rollup: recomputing % changed hours', cardinality(v_hours);
        DELETE FROM reports.hourly_rollup r
        USING unnest(v_accounts, v_hours) k(a, h)
        WHERE r.account_id = k.a AND r.hour = k.h;
        INSERT INTO reports.hourly_rollup
        SELECT * FROM reports.compute_rollup((SELECT min(h) FROM unnest(v_hours) h),
                                             (SELECT max(h) FROM unnest(v_hours) h) + interval '1 hour',
                                             v_accounts, v_hours);
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_written := v_written + v_n;
    END IF;

    IF v_new > v_old THEN
        RAISE NOTICE 'refresh_rollup: rolling up % .. % (UTC)',
            CASE WHEN v_old = '-infinity' THEN 'the first row' ELSE v_old::text END, v_new;
        DELETE FROM reports.hourly_rollup r WHERE r.hour >= v_old AND r.hour < v_new;
        INSERT INTO reports.hourly_rollup SELECT * FROM reports.compute_rollup(v_old, v_new);
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_written := v_written + v_n;
        UPDATE reports.rollup_state SET covered_until = v_new;
    END IF;
    UPDATE reports.rollup_state SET refreshed_at = statement_timestamp();

    RETURN QUERY SELECT (SELECT s.covered_until FROM reports.rollup_state s) AT TIME ZONE 'UTC',
                        coalesce(cardinality(v_hours), 0)::bigint, v_written;
END
$$;
COMMENT ON FUNCTION reports.refresh_rollup(timestamptz) IS
'Recomputes the changed hours of reports.hourly_rollup and extends it up to an hour before the oldest running transaction (or up_to). Reports stay exact whether or not it runs; they get faster when it does.';

-- TRUNCATE of a source table fires no row triggers: the whole rollup goes.
CREATE FUNCTION reports.reset_rollup_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reports.reset_rollup();
    RETURN NULL;
END
$$;

-- Drops the rollup entirely; reports read raw rows until the next refresh_rollup().
CREATE FUNCTION reports.reset_rollup() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM reports.hourly_rollup;
    DELETE FROM reports.rollup_dirty;
    UPDATE reports.rollup_state SET covered_until = '-infinity', refreshed_at = NULL;
$$;

-- The summary's metrics over [since, until), from the rollup where it can answer and
-- from the raw tables elsewhere (see the top of this file). No row when the account has a dirty
-- hour inside the rolled-up part (or there is no whole covered hour): the caller then reads the
-- whole range raw.
CREATE FUNCTION reports.rollup_summary_parts(account_id int, since timestamp, until timestamp, business_hours bool)
RETURNS TABLE (conversations bigint, incoming bigint, outgoing bigint, frt_n bigint, frt_sum float8,
               resolutions bigint, rt_n bigint, rt_sum float8, reply_n bigint, reply_sum float8, bot bigint,
               handoffs bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := rollup_summary_parts.account_id;
    v_bh bool := rollup_summary_parts.business_hours;
    v_covered timestamp;
    r1 timestamp;  -- rolled-up hours: [r1, r2)
    r2 timestamp;
BEGIN
    SELECT s.covered_until INTO v_covered FROM reports.rollup_state s;
    r1 := date_trunc('hour', since);
    IF r1 < since THEN r1 := r1 + interval '1 hour'; END IF;
    r2 := least(date_trunc('hour', until), v_covered);
    IF r2 <= r1 THEN
        RETURN;  -- nothing to roll up: no row, the caller reads raw
    END IF;
    IF EXISTS (SELECT FROM reports.rollup_dirty d WHERE d.account_id = v_account AND d.hour >= r1 AND d.hour < r2) THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH parts AS (
        SELECT sum(r.conversations)::bigint AS conversations, sum(r.incoming_messages)::bigint AS incoming,
               sum(r.outgoing_messages)::bigint AS outgoing,
               sum(CASE WHEN v_bh THEN r.first_response_bh_n ELSE r.first_response_n END)::bigint AS frt_n,
               sum(CASE WHEN v_bh THEN r.first_response_bh_sum ELSE r.first_response_sum END) AS frt_sum,
               sum(r.resolutions)::bigint AS resolutions,
               sum(CASE WHEN v_bh THEN r.resolution_bh_n ELSE r.resolution_n END)::bigint AS rt_n,
               sum(CASE WHEN v_bh THEN r.resolution_bh_sum ELSE r.resolution_sum END) AS rt_sum,
               sum(CASE WHEN v_bh THEN r.reply_bh_n ELSE r.reply_n END)::bigint AS reply_n,
               sum(CASE WHEN v_bh THEN r.reply_bh_sum ELSE r.reply_sum END) AS reply_sum,
               sum(r.bot_resolutions)::bigint AS bot,
               NULL::int[] AS handoff_ids
        FROM reports.hourly_rollup r
        WHERE r.account_id = v_account AND r.hour >= r1 AND r.hour < r2
        UNION ALL
        SELECT * FROM reports.raw_summary_parts(v_account, since, r1, v_bh)
        UNION ALL
        SELECT * FROM reports.raw_summary_parts(v_account, r2, until, v_bh)
    )
    SELECT coalesce(sum(p.conversations), 0)::bigint, coalesce(sum(p.incoming), 0)::bigint,
           coalesce(sum(p.outgoing), 0)::bigint, coalesce(sum(p.frt_n), 0)::bigint, sum(p.frt_sum),
           coalesce(sum(p.resolutions), 0)::bigint, coalesce(sum(p.rt_n), 0)::bigint, sum(p.rt_sum),
           coalesce(sum(p.reply_n), 0)::bigint, sum(p.reply_sum), coalesce(sum(p.bot), 0)::bigint,
           -- handed-off conversations: the union of the hours' ids and the edges' ids
           (SELECT count(*) FROM (SELECT unnest(r.handoff_conversations) FROM reports.hourly_rollup r
                                  WHERE r.account_id = v_account AND r.hour >= r1 AND r.hour < r2
                                    AND r.handoff_conversations <> '{}'
                                  UNION
                                  SELECT unnest(p2.handoff_ids) FROM parts p2) u)
    FROM parts p;
END
$$;

-- The same metrics from the raw tables over [since, until) (UTC), for the ends of a range, with
-- the ids of the handed-off conversations (a union, not a sum, combines them).
CREATE FUNCTION reports.raw_summary_parts(account_id int, since timestamp, until timestamp, business_hours bool)
RETURNS TABLE (conversations bigint, incoming bigint, outgoing bigint, frt_n bigint, frt_sum float8,
               resolutions bigint, rt_n bigint, rt_sum float8, reply_n bigint, reply_sum float8, bot bigint,
               handoff_ids int[])
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (SELECT count(*) FROM public.conversations c
            WHERE c.account_id = raw_summary_parts.account_id
              AND c.created_at >= raw_summary_parts.since AND c.created_at < raw_summary_parts.until),
           (SELECT count(*) FROM public.messages m
            WHERE m.account_id = raw_summary_parts.account_id AND m.message_type = 0
              AND m.created_at >= raw_summary_parts.since AND m.created_at < raw_summary_parts.until),
           (SELECT count(*) FROM public.messages m
            WHERE m.account_id = raw_summary_parts.account_id AND m.message_type = 1
              AND m.created_at >= raw_summary_parts.since AND m.created_at < raw_summary_parts.until),
           ev.frt_n, ev.frt_sum, ev.res, ev.rt_n, ev.rt_sum, ev.reply_n, ev.reply_sum, ev.bot,
           -- handed-off conversations, once each, and only those that still exist (Chatwoot joins
           -- conversations)
           ARRAY(SELECT DISTINCT h.conversation_id FROM public.reporting_events h
                 WHERE h.account_id = raw_summary_parts.account_id AND h.name = 'conversation_bot_handoff'
                   AND h.created_at >= raw_summary_parts.since AND h.created_at < raw_summary_parts.until
                   AND EXISTS (SELECT FROM public.conversations c WHERE c.id = h.conversation_id))
    FROM (SELECT count(e.val) FILTER (WHERE e.name = 'first_response') AS frt_n,
                 sum(e.val) FILTER (WHERE e.name = 'first_response') AS frt_sum,
                 count(*) FILTER (WHERE e.name = 'conversation_resolved') AS res,
                 count(e.val) FILTER (WHERE e.name = 'conversation_resolved') AS rt_n,
                 sum(e.val) FILTER (WHERE e.name = 'conversation_resolved') AS rt_sum,
                 count(e.val) FILTER (WHERE e.name = 'reply_time') AS reply_n,
                 sum(e.val) FILTER (WHERE e.name = 'reply_time') AS reply_sum,
                 count(*) FILTER (WHERE e.name = 'conversation_bot_resolved') AS bot
          FROM reports.scoped_events(raw_summary_parts.account_id, raw_summary_parts.since AT TIME ZONE 'UTC',
                                     raw_summary_parts.until AT TIME ZONE 'UTC', 'account', NULL,
                                     raw_summary_parts.business_hours) e
          WHERE e.name IN ('first_response', 'conversation_resolved', 'reply_time', 'conversation_bot_resolved')) ev
    WHERE raw_summary_parts.since < raw_summary_parts.until
$$;

-- The summary's metrics of one period: from the rollup where it can answer, else raw.
CREATE FUNCTION reports.summary_parts(account_id int, since timestamp, until timestamp, business_hours bool)
RETURNS TABLE (conversations bigint, incoming bigint, outgoing bigint, frt_n bigint, frt_sum float8,
               resolutions bigint, rt_n bigint, rt_sum float8, reply_n bigint, reply_sum float8, bot bigint,
               handoffs bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN QUERY SELECT * FROM reports.rollup_summary_parts(summary_parts.account_id, summary_parts.since,
                                                            summary_parts.until, summary_parts.business_hours);
    IF NOT FOUND THEN
        RETURN QUERY SELECT r.conversations, r.incoming, r.outgoing, r.frt_n, r.frt_sum, r.resolutions, r.rt_n,
                            r.rt_sum, r.reply_n, r.reply_sum, r.bot, cardinality(r.handoff_ids)::bigint
                     FROM reports.raw_summary_parts(summary_parts.account_id, summary_parts.since,
                                                    summary_parts.until, summary_parts.business_hours) r;
    END IF;
END
$$;

-- ==== 40_conversation_reports.sql ====
-------------------------------------------------------------------------------------------------
-- Conversation reports: timeseries, summary, heatmap, distributions.
-- plpgsql reports run with force_custom_plan so that each call is planned with its actual scope
-- and metric (the CASE branches fold away and the account/name/created_at indexes are used).
-------------------------------------------------------------------------------------------------

CREATE FUNCTION reports.metric_kind(metric text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN CASE metric
        WHEN 'conversations_count' THEN 'count'
        WHEN 'incoming_messages_count' THEN 'count'
        WHEN 'outgoing_messages_count' THEN 'count'
        WHEN 'resolutions_count' THEN 'count'
        WHEN 'bot_resolutions_count' THEN 'count'
        WHEN 'bot_handoffs_count' THEN 'count'
        WHEN 'avg_first_response_time' THEN 'avg'
        WHEN 'avg_resolution_time' THEN 'avg'
        WHEN 'reply_time' THEN 'avg'
    END;
END
$$;

-- The reporting_events name behind an event metric.
CREATE FUNCTION reports.metric_event(metric text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE metric
        WHEN 'resolutions_count' THEN 'conversation_resolved'
        WHEN 'avg_resolution_time' THEN 'conversation_resolved'
        WHEN 'bot_resolutions_count' THEN 'conversation_bot_resolved'
        WHEN 'bot_handoffs_count' THEN 'conversation_bot_handoff'
        WHEN 'avg_first_response_time' THEN 'first_response'
        WHEN 'reply_time' THEN 'reply_time'
    END
$$;

CREATE FUNCTION reports.check_metric(metric text, allowed text[] DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF reports.metric_kind(metric) IS NULL OR (allowed IS NOT NULL AND NOT metric = ANY (allowed)) THEN
        RAISE EXCEPTION 'invalid metric "%"', metric USING ERRCODE = '22023',
            HINT = 'Valid metrics are ' || array_to_string(coalesce(allowed, ARRAY['conversations_count',
                'incoming_messages_count', 'outgoing_messages_count', 'resolutions_count', 'bot_resolutions_count',
                'bot_handoffs_count', 'avg_first_response_time', 'avg_resolution_time', 'reply_time']), ', ') || '.';
    END IF;
END
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
    v_account int := timeseries.account_id;
    v_metric text := timeseries.metric;
    v_since timestamptz := timeseries.since;
    v_until timestamptz := timeseries.until;
    v_period text := timeseries.group_by;
    v_tz text := timeseries.tz;
    v_scope text := timeseries.scope;
    v_scope_id int := timeseries.scope_id;
    v_bh bool := coalesce(timeseries.business_hours, false);
    v_event text := reports.metric_event(timeseries.metric);
    v_series reports.series_bucket[];
    v_counts reports.series_bucket[];
BEGIN
    IF v_account IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports.check_metric(v_metric);
    PERFORM reports.check_range(v_since, v_until);
    PERFORM reports.check_scope(v_scope, v_scope_id);
    PERFORM reports.check_group_by(v_period);
    IF v_tz IS NULL THEN RAISE EXCEPTION 'invalid tz: must not be NULL' USING ERRCODE = '22004'; END IF;
    -- Validates tz (and the bucket limit) before any table is read.
    SELECT reports.series_agg(NULL::timestamptz, NULL::float8, v_period, v_tz, v_since, v_until) INTO v_series;

    IF v_metric = 'conversations_count' THEN
        SELECT reports.series_agg(c.created_at, 1::float8, v_period, v_tz, v_since, v_until) INTO v_series
        FROM reports.scoped_conversations(v_account, v_since, v_until, v_scope, v_scope_id) c;
    ELSIF v_metric IN ('incoming_messages_count', 'outgoing_messages_count') THEN
        SELECT reports.series_agg(m.created_at, 1::float8, v_period, v_tz, v_since, v_until) INTO v_series
        FROM reports.scoped_messages(v_account, v_since, v_until, v_scope, v_scope_id) m
        WHERE m.message_type = CASE v_metric WHEN 'incoming_messages_count' THEN 0 ELSE 1 END;
    ELSIF v_metric = 'bot_handoffs_count' THEN
        -- Conversations, not events: a conversation counts once per bucket, and only while it exists.
        SELECT reports.series_agg(d.created_at, 1::float8, v_period, v_tz, v_since, v_until) INTO v_series
        FROM (SELECT DISTINCT ON (e.conversation_id, reports.bucket_start(e.created_at AT TIME ZONE 'UTC', v_period, v_tz))
                     e.created_at
              FROM reports.scoped_events(v_account, v_since, v_until, v_scope, v_scope_id, v_bh) e
              JOIN public.conversations c ON c.id = e.conversation_id
              WHERE e.name = v_event) d;
    ELSIF reports.metric_kind(v_metric) = 'count' THEN
        SELECT reports.series_agg(e.created_at, 1::float8, v_period, v_tz, v_since, v_until) INTO v_series
        FROM reports.scoped_events(v_account, v_since, v_until, v_scope, v_scope_id, v_bh) e
        WHERE e.name = v_event;
    ELSE
        -- Averages skip events without a value (an event Chatwoot stored without business hours),
        -- but the bucket's count is every event, as Chatwoot counts it: two series, one scan.
        SELECT reports.series_agg(e.created_at, e.val, v_period, v_tz, v_since, v_until),
               reports.series_agg(e.created_at, 1::float8, v_period, v_tz, v_since, v_until)
        INTO v_series, v_counts
        FROM reports.scoped_events(v_account, v_since, v_until, v_scope, v_scope_id, v_bh) e
        WHERE e.name = v_event;
        IF v_series IS NOT NULL THEN
            RETURN QUERY
            SELECT a.bucket, CASE WHEN coalesce(a.count, 0) = 0 THEN 0::float8 ELSE a.sum / a.count END, n.count
            FROM unnest(v_counts) n LEFT JOIN unnest(v_series) a ON a.bucket = n.bucket
            ORDER BY n.bucket;
            RETURN;
        END IF;
    END IF;
    IF v_series IS NULL THEN
        SELECT reports.series_agg(NULL::timestamptz, NULL::float8, v_period, v_tz, v_since, v_until) INTO v_series;
    END IF;

    RETURN QUERY
    SELECT p.bucket,
           CASE WHEN reports.metric_kind(v_metric) = 'count' THEN p.count::float8
                WHEN p.count = 0 THEN 0::float8
                ELSE p.sum / p.count END,
           p.count
    FROM unnest(v_series) p
    ORDER BY p.bucket;
END
$$;
COMMENT ON FUNCTION reports.timeseries(int, text, timestamptz, timestamptz, text, text, text, int, bool) IS
'Dense, zero-filled series of one metric: buckets from the one containing since while the bucket start is before until. value = count for count metrics, the average (0 when empty) for averages; count = events in the bucket.';

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
               previous_bot_handoffs_count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := summary.account_id;
    v_since timestamptz := summary.since;
    v_until timestamptz := summary.until;
    v_prev timestamptz;
    v_scope text := summary.scope;
    v_scope_id int := summary.scope_id;
    v_bh bool := coalesce(summary.business_hours, false);
    v_cut timestamp;  -- the boundary between the previous and the current period, in UTC
BEGIN
    IF v_account IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports.check_range(v_since, v_until);
    PERFORM reports.check_scope(v_scope, v_scope_id);
    v_prev := v_since - (v_until - v_since);
    v_cut := v_since AT TIME ZONE 'UTC';
    IF v_scope = 'account' THEN
        -- The account's summary comes from the hourly rollup where it can (35_rollup.sql).
        RETURN QUERY
        WITH cur AS (
            SELECT * FROM reports.summary_parts(v_account, v_cut, v_until AT TIME ZONE 'UTC', v_bh)
        ), prev AS (
            SELECT * FROM reports.summary_parts(v_account, v_prev AT TIME ZONE 'UTC', v_cut, v_bh)
        )
        SELECT cur.conversations, cur.incoming, cur.outgoing, cur.frt_sum / nullif(cur.frt_n, 0),
               cur.rt_sum / nullif(cur.rt_n, 0), cur.resolutions, cur.reply_sum / nullif(cur.reply_n, 0), cur.bot,
               cur.handoffs,
               prev.conversations, prev.incoming, prev.outgoing, prev.frt_sum / nullif(prev.frt_n, 0),
               prev.rt_sum / nullif(prev.rt_n, 0), prev.resolutions, prev.reply_sum / nullif(prev.reply_n, 0),
               prev.bot, prev.handoffs
        FROM cur, prev;
        RETURN;
    END IF;
    -- Other scopes: both periods come from one scan of each table over [previous since, until).
    RETURN QUERY
    WITH conv AS (
        SELECT count(*) FILTER (WHERE c.created_at >= v_cut) AS cur,
               count(*) FILTER (WHERE c.created_at < v_cut) AS prev
        FROM reports.scoped_conversations(v_account, v_prev, v_until, v_scope, v_scope_id) c
    ), msg AS (
        -- Four plain counts, each over its own (type, period) key range of Chatwoot's
        -- (account_id, created_at, message_type) index.
        SELECT (SELECT count(*) FROM reports.scoped_messages(v_account, v_since, v_until, v_scope, v_scope_id) m
                WHERE m.message_type = 0) AS in_cur,
               (SELECT count(*) FROM reports.scoped_messages(v_account, v_prev, v_since, v_scope, v_scope_id) m
                WHERE m.message_type = 0) AS in_prev,
               (SELECT count(*) FROM reports.scoped_messages(v_account, v_since, v_until, v_scope, v_scope_id) m
                WHERE m.message_type = 1) AS out_cur,
               (SELECT count(*) FROM reports.scoped_messages(v_account, v_prev, v_since, v_scope, v_scope_id) m
                WHERE m.message_type = 1) AS out_prev
    ), ev AS (
        SELECT avg(e.val) FILTER (WHERE e.name = 'first_response' AND e.created_at >= v_cut) AS frt_cur,
               avg(e.val) FILTER (WHERE e.name = 'first_response' AND e.created_at < v_cut) AS frt_prev,
               avg(e.val) FILTER (WHERE e.name = 'conversation_resolved' AND e.created_at >= v_cut) AS rt_cur,
               avg(e.val) FILTER (WHERE e.name = 'conversation_resolved' AND e.created_at < v_cut) AS rt_prev,
               count(*) FILTER (WHERE e.name = 'conversation_resolved' AND e.created_at >= v_cut) AS res_cur,
               count(*) FILTER (WHERE e.name = 'conversation_resolved' AND e.created_at < v_cut) AS res_prev,
               avg(e.val) FILTER (WHERE e.name = 'reply_time' AND e.created_at >= v_cut) AS reply_cur,
               avg(e.val) FILTER (WHERE e.name = 'reply_time' AND e.created_at < v_cut) AS reply_prev,
               count(*) FILTER (WHERE e.name = 'conversation_bot_resolved' AND e.created_at >= v_cut) AS bot_cur,
               count(*) FILTER (WHERE e.name = 'conversation_bot_resolved' AND e.created_at < v_cut) AS bot_prev,
               array_agg(DISTINCT e.conversation_id) FILTER (WHERE e.name = 'conversation_bot_handoff' AND e.created_at >= v_cut) AS hand_cur,
               array_agg(DISTINCT e.conversation_id) FILTER (WHERE e.name = 'conversation_bot_handoff' AND e.created_at < v_cut) AS hand_prev
        FROM reports.scoped_events(v_account, v_prev, v_until, v_scope, v_scope_id, v_bh) e
        WHERE e.name IN ('first_response', 'conversation_resolved', 'reply_time',
                         'conversation_bot_resolved', 'conversation_bot_handoff')
    )
    SELECT conv.cur, msg.in_cur, msg.out_cur, ev.frt_cur, ev.rt_cur, ev.res_cur, ev.reply_cur, ev.bot_cur,
           -- handoffs count conversations that still exist (Chatwoot joins conversations)
           (SELECT count(*) FROM public.conversations c WHERE c.id = ANY (ev.hand_cur)),
           conv.prev, msg.in_prev, msg.out_prev, ev.frt_prev, ev.rt_prev, ev.res_prev, ev.reply_prev, ev.bot_prev,
           (SELECT count(*) FROM public.conversations c WHERE c.id = ANY (ev.hand_prev))
    FROM conv, msg, ev;
END
$$;
COMMENT ON FUNCTION reports.summary(int, timestamptz, timestamptz, text, int, bool) IS
'The 9 conversation metrics over [since, until) and over the previous period of the same length. The account scope reads whole hours from reports.hourly_rollup and the rest from the raw rows; other scopes read one scan of reporting_events and conversations for both periods and index counts of messages. Averages are NULL when there are no events.';

-- Count metrics a heatmap can show.
CREATE FUNCTION reports.heatmap(account_id int, since timestamptz, until timestamptz, tz text DEFAULT 'UTC',
                                metric text DEFAULT 'conversations_count')
RETURNS TABLE (day text, dow int, hour int, count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := heatmap.account_id;
    v_since timestamptz := heatmap.since;
    v_until timestamptz := heatmap.until;
    v_tz text := heatmap.tz;
    v_metric text := heatmap.metric;
    v_cells int8[];
BEGIN
    IF v_account IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports.check_metric(v_metric, ARRAY['conversations_count', 'incoming_messages_count',
        'outgoing_messages_count', 'resolutions_count', 'bot_resolutions_count']);
    PERFORM reports.check_range(v_since, v_until);
    SELECT reports.heatmap_agg(NULL::timestamptz, v_tz) INTO v_cells;  -- validates tz
    IF v_metric = 'conversations_count' THEN
        SELECT reports.heatmap_agg(c.created_at, v_tz) INTO v_cells
        FROM reports.scoped_conversations(v_account, v_since, v_until, 'account', NULL) c;
    ELSIF v_metric IN ('incoming_messages_count', 'outgoing_messages_count') THEN
        SELECT reports.heatmap_agg(m.created_at, v_tz) INTO v_cells
        FROM reports.scoped_messages(v_account, v_since, v_until, 'account', NULL) m
        WHERE m.message_type = CASE v_metric WHEN 'incoming_messages_count' THEN 0 ELSE 1 END;
    ELSE
        SELECT reports.heatmap_agg(e.created_at, v_tz) INTO v_cells
        FROM public.reporting_events e
        WHERE e.account_id = v_account AND e.name = reports.metric_event(v_metric)
          AND e.created_at >= v_since AT TIME ZONE 'UTC' AND e.created_at < v_until AT TIME ZONE 'UTC';
    END IF;
    RETURN QUERY
    SELECT (ARRAY['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'])[(i - 1) / 24 + 1],
           ((i - 1) / 24)::int, ((i - 1) % 24)::int, v_cells[i]
    FROM generate_series(1, 168) i;
END
$$;
COMMENT ON FUNCTION reports.heatmap(int, timestamptz, timestamptz, text, text) IS
'Traffic heatmap: 168 rows (Sunday 0 .. Saturday 6, hour 0..23 in zone tz) with the count of the metric.';

-- Labels for histogram buckets: "0-5min" ... "1hr+" (minutes up to an hour, then hours, else seconds).
CREATE FUNCTION reports.duration_bucket_labels(edges float8[])
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
    PERFORM reports.check_range(first_response_time_distribution.since, first_response_time_distribution.until, false);
    IF edges IS NULL THEN RAISE EXCEPTION 'invalid edges: must not be NULL' USING ERRCODE = '22004'; END IF;
    SELECT reports.histogram_agg(NULL::float8, edges) INTO v_counts;  -- validates the edges
    SELECT reports.histogram_agg(e.value, edges) INTO v_counts
    FROM public.reporting_events e
    WHERE e.account_id = first_response_time_distribution.account_id AND e.name = 'first_response'
      AND (first_response_time_distribution.since IS NULL OR e.created_at >= first_response_time_distribution.since AT TIME ZONE 'UTC')
      AND (first_response_time_distribution.until IS NULL OR e.created_at < first_response_time_distribution.until AT TIME ZONE 'UTC');
    RETURN QUERY
    SELECT l.label, coalesce(v_counts[l.i], 0)
    FROM unnest(reports.duration_bucket_labels(edges)) WITH ORDINALITY AS l(label, i)
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
    PERFORM reports.check_range(first_response_time_distribution_by_channel.since,
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

-- ==== 50_entity_reports.sql ====
-------------------------------------------------------------------------------------------------
-- Per-entity reports (agents, inboxes, teams, labels), Chatwoot's summary_reports, the inbox x
-- label matrix, bot metrics and outgoing message counts.
-------------------------------------------------------------------------------------------------

-- Summary-report metrics of one dimension (agent, inbox or team), keyed by the entity id:
-- conversations created in range grouped by assignee / inbox / current team, and the events of
-- the range grouped by user / inbox / the conversation's current team. One scan of each table.
CREATE FUNCTION reports.dimension_metrics(account_id int, dimension text, since timestamptz, until timestamptz,
                                          business_hours bool DEFAULT false)
RETURNS TABLE (key bigint, conversations_count bigint, resolved_conversations_count bigint,
               avg_resolution_time float8, avg_first_response_time float8, avg_reply_time float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := dimension_metrics.account_id;
    v_dim text := dimension_metrics.dimension;
    v_since timestamptz := dimension_metrics.since;
    v_until timestamptz := dimension_metrics.until;
    v_bh bool := coalesce(dimension_metrics.business_hours, false);
BEGIN
    IF v_dim IS NULL OR v_dim NOT IN ('agent', 'inbox', 'team') THEN
        RAISE EXCEPTION 'invalid dimension "%"', v_dim USING ERRCODE = '22023',
            HINT = 'Valid dimensions are agent, inbox and team.';
    END IF;
    PERFORM reports.check_range(v_since, v_until);
    RETURN QUERY
    WITH conv AS MATERIALIZED (
        -- the team dimension needs every conversation's current team, the others only the range
        SELECT c.id, c.created_at, c.inbox_id, c.assignee_id, c.team_id
        FROM public.conversations c
        WHERE c.account_id = v_account
          AND (v_dim = 'team' OR (c.created_at >= v_since AT TIME ZONE 'UTC' AND c.created_at < v_until AT TIME ZONE 'UTC'))
    ), conv_counts AS (
        SELECT CASE v_dim WHEN 'agent' THEN c.assignee_id::bigint WHEN 'inbox' THEN c.inbox_id::bigint ELSE c.team_id END AS k,
               count(*) AS n
        FROM conv c
        WHERE c.created_at >= v_since AT TIME ZONE 'UTC' AND c.created_at < v_until AT TIME ZONE 'UTC'
        GROUP BY 1
    ), ev AS (
        SELECT CASE v_dim WHEN 'agent' THEN e.user_id::bigint WHEN 'inbox' THEN e.inbox_id::bigint
                          ELSE c.team_id END AS k,
               count(*) FILTER (WHERE e.name = 'conversation_resolved') AS resolved,
               avg(e.val) FILTER (WHERE e.name = 'conversation_resolved') AS rt,
               avg(e.val) FILTER (WHERE e.name = 'first_response') AS frt,
               avg(e.val) FILTER (WHERE e.name = 'reply_time') AS reply
        FROM reports.scoped_events(v_account, v_since, v_until, 'account', NULL, v_bh) e
        -- the team of an event is its conversation's current team (joined only for that dimension)
        LEFT JOIN conv c ON v_dim = 'team' AND c.id = e.conversation_id
        WHERE e.name IN ('conversation_resolved', 'first_response', 'reply_time')
        GROUP BY 1
    )
    SELECT coalesce(cc.k, ev.k), coalesce(cc.n, 0), coalesce(ev.resolved, 0), ev.rt, ev.frt, ev.reply
    FROM conv_counts cc FULL JOIN ev ON ev.k = cc.k
    WHERE coalesce(cc.k, ev.k) IS NOT NULL;
END
$$;

CREATE FUNCTION reports.availability_name(availability int)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE availability WHEN 0 THEN 'online' WHEN 2 THEN 'busy' ELSE 'offline' END
$$;

CREATE FUNCTION reports.agent_report(account_id int, since timestamptz, until timestamptz,
                                     business_hours bool DEFAULT false)
RETURNS TABLE (id int, name text, email text, thumbnail text, availability text, role text,
               conversations_count bigint, resolved_conversations_count bigint,
               avg_resolution_time float8, avg_first_response_time float8, avg_reply_time float8)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT u.id, u.name::text, u.email::text, ''::text, reports.availability_name(au.availability),
           CASE au.role WHEN 1 THEN 'administrator' ELSE 'agent' END,
           coalesce(m.conversations_count, 0), coalesce(m.resolved_conversations_count, 0),
           m.avg_resolution_time, m.avg_first_response_time, m.avg_reply_time
    FROM public.account_users au
    JOIN public.users u ON u.id = au.user_id
    LEFT JOIN reports.dimension_metrics(agent_report.account_id, 'agent', agent_report.since, agent_report.until,
                                        agent_report.business_hours) m ON m.key = u.id
    WHERE au.account_id = agent_report.account_id
    ORDER BY u.id
$$;
COMMENT ON FUNCTION reports.agent_report(int, timestamptz, timestamptz, bool) IS
'One row per agent of the account (all roles): conversations assigned and created in range, resolutions, and average resolution, first response and reply times of the range.';

CREATE FUNCTION reports.inbox_report(account_id int, since timestamptz, until timestamptz,
                                     business_hours bool DEFAULT false)
RETURNS TABLE (id int, name text, channel_type text,
               conversations_count bigint, resolved_conversations_count bigint,
               avg_resolution_time float8, avg_first_response_time float8, avg_reply_time float8)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT i.id, i.name::text, i.channel_type::text,
           coalesce(m.conversations_count, 0), coalesce(m.resolved_conversations_count, 0),
           m.avg_resolution_time, m.avg_first_response_time, m.avg_reply_time
    FROM public.inboxes i
    LEFT JOIN reports.dimension_metrics(inbox_report.account_id, 'inbox', inbox_report.since, inbox_report.until,
                                        inbox_report.business_hours) m ON m.key = i.id
    WHERE i.account_id = inbox_report.account_id
    ORDER BY i.id
$$;

CREATE FUNCTION reports.team_report(account_id int, since timestamptz, until timestamptz,
                                    business_hours bool DEFAULT false)
RETURNS TABLE (id bigint, name text,
               conversations_count bigint, resolved_conversations_count bigint,
               avg_resolution_time float8, avg_first_response_time float8, avg_reply_time float8)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT t.id, t.name::text,
           coalesce(m.conversations_count, 0), coalesce(m.resolved_conversations_count, 0),
           m.avg_resolution_time, m.avg_first_response_time, m.avg_reply_time
    FROM public.teams t
    LEFT JOIN reports.dimension_metrics(team_report.account_id, 'team', team_report.since, team_report.until,
                                        team_report.business_hours) m ON m.key = t.id
    WHERE t.account_id = team_report.account_id
    ORDER BY t.id
$$;

-- Chatwoot's label summary: conversations tagged with the label and created in range; resolutions
-- are events of the range; the averages cover events (of any date) of conversations created in
-- range. Missing values are 0, as Chatwoot reports them. NULL since/until: no date filter.
CREATE FUNCTION reports.label_report(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL,
                                     business_hours bool DEFAULT false)
RETURNS TABLE (id bigint, title text,
               conversations_count bigint, resolved_conversations_count bigint,
               avg_resolution_time float8, avg_first_response_time float8, avg_reply_time float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := label_report.account_id;
    v_since timestamp := coalesce(label_report.since AT TIME ZONE 'UTC', '-infinity');
    v_until timestamp := coalesce(label_report.until AT TIME ZONE 'UTC', 'infinity');
    v_bh bool := coalesce(label_report.business_hours, false);
BEGIN
    PERFORM reports.check_range(label_report.since, label_report.until, false);
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
        FROM reports.scoped_events(v_account, '-infinity', 'infinity', 'account', NULL, v_bh) e
        WHERE e.name IN ('conversation_resolved', 'first_response', 'reply_time')
          AND e.conversation_id IN (SELECT conv.id FROM conv)
    ), per_label AS (
        SELECT tg.label_id,
               count(DISTINCT c.id) FILTER (WHERE c.in_range) AS conversations,
               count(*) FILTER (WHERE ev.name = 'conversation_resolved' AND ev.in_range) AS resolved,
               avg(ev.val) FILTER (WHERE ev.name = 'conversation_resolved' AND c.in_range) AS rt,
               avg(ev.val) FILTER (WHERE ev.name = 'first_response' AND c.in_range) AS frt,
               avg(ev.val) FILTER (WHERE ev.name = 'reply_time' AND c.in_range) AS reply
        FROM tagged tg
        JOIN conv c ON c.id = tg.conversation_id
        LEFT JOIN ev ON ev.conversation_id = c.id
        GROUP BY tg.label_id
    )
    SELECT lab.id, lab.title::text, coalesce(p.conversations, 0), coalesce(p.resolved, 0),
           coalesce(p.rt, 0), coalesce(p.frt, 0), coalesce(p.reply, 0)
    FROM lab LEFT JOIN per_label p ON p.label_id = lab.id
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
    PERFORM reports.check_range(channel_summary.since, channel_summary.until);
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
    PERFORM reports.check_range(inbox_label_matrix.since, inbox_label_matrix.until, false);
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
    PERFORM reports.check_range(bot_metrics.since, bot_metrics.until);
    RETURN QUERY
    WITH convs AS MATERIALIZED (
        SELECT c.id FROM public.conversations c
        WHERE c.account_id = v_account AND c.created_at >= v_since AND c.created_at < v_until
          AND c.inbox_id IN (SELECT b.inbox_id FROM reports.bot_inboxes(v_account) b)
          AND (v_inbox IS NULL OR c.inbox_id = v_inbox)
    ), msgs AS (
        SELECT count(*) AS n FROM public.messages m
        WHERE m.account_id = v_account AND m.message_type = 1
          AND m.created_at >= v_since AND m.created_at < v_until
          AND m.conversation_id IN (SELECT convs.id FROM convs)
    ), ev AS (
        -- Chatwoot counts bot events of any inbox (joined to existing conversations).
        SELECT count(DISTINCT e.conversation_id) FILTER (WHERE e.name = 'conversation_bot_resolved') AS resolved,
               count(DISTINCT e.conversation_id) FILTER (WHERE e.name = 'conversation_bot_handoff') AS handoffs,
               avg(e.value) FILTER (WHERE e.name = 'conversation_bot_resolved') AS avg_resolution
        FROM public.reporting_events e
        JOIN public.conversations c ON c.id = e.conversation_id
        WHERE e.account_id = v_account AND e.name IN ('conversation_bot_resolved', 'conversation_bot_handoff')
          AND e.created_at >= v_since AND e.created_at < v_until
          AND (v_inbox IS NULL OR e.inbox_id = v_inbox)
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
'Bot performance: conversations in bot inboxes, conversations the bot resolved or handed off, rates (percent of bot-inbox conversations; Chatwoot''s resolution_rate/handoff_rate truncated to integers), average bot resolution time and outgoing messages in those conversations.';

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
    PERFORM reports.check_range(outgoing_messages_count.since, outgoing_messages_count.until);
    CASE outgoing_messages_count.group_by
    WHEN 'agent' THEN
        RETURN QUERY
        SELECT m.sender_id, max(u.name)::text, count(*)
        FROM public.messages m
        LEFT JOIN public.account_users au ON au.user_id = m.sender_id AND au.account_id = v_account
        LEFT JOIN public.users u ON u.id = au.user_id
        WHERE m.account_id = v_account AND m.message_type = 1 AND m.created_at >= v_since AND m.created_at < v_until
          AND m.sender_type = 'User' AND m.sender_id IS NOT NULL
        GROUP BY m.sender_id ORDER BY m.sender_id;
    WHEN 'team' THEN
        RETURN QUERY
        SELECT c.team_id, max(t.name)::text, count(*)
        FROM public.messages m
        JOIN public.conversations c ON c.id = m.conversation_id
        LEFT JOIN public.teams t ON t.id = c.team_id AND t.account_id = v_account
        WHERE m.account_id = v_account AND m.message_type = 1 AND m.created_at >= v_since AND m.created_at < v_until
          AND c.team_id IS NOT NULL
        GROUP BY c.team_id ORDER BY c.team_id;
    WHEN 'inbox' THEN
        RETURN QUERY
        SELECT m.inbox_id::bigint, max(i.name)::text, count(*)
        FROM public.messages m
        LEFT JOIN public.inboxes i ON i.id = m.inbox_id AND i.account_id = v_account
        WHERE m.account_id = v_account AND m.message_type = 1 AND m.created_at >= v_since AND m.created_at < v_until
        GROUP BY m.inbox_id ORDER BY m.inbox_id;
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
    PERFORM reports.check_range(csat_responses.since, csat_responses.until, false);
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

-- Totals over the filtered responses. score = % of ratings 4 and 5 (0 without responses);
-- response_rate = responses / CSAT survey messages sent in the range (account-wide, as Chatwoot).
CREATE FUNCTION reports.csat_metrics(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL,
                                     agent_ids int[] DEFAULT NULL, inbox_id int DEFAULT NULL,
                                     team_id int DEFAULT NULL, ratings int[] DEFAULT NULL)
RETURNS TABLE (total_count bigint, total_sent_messages_count bigint, satisfaction_score float8,
               average_rating float8, response_rate float8,
               rating_1 bigint, rating_2 bigint, rating_3 bigint, rating_4 bigint, rating_5 bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH r AS (
        SELECT count(*) AS total, avg(x.rating)::float8 AS average,
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
    SELECT r.total, sent.n,
           CASE WHEN r.total = 0 THEN 0 ELSE (r.r4 + r.r5) * 100.0 / r.total END::float8,
           r.average,
           CASE WHEN sent.n = 0 THEN 0 ELSE r.total * 100.0 / sent.n END::float8,
           r.r1, r.r2, r.r3, r.r4, r.r5
    FROM r, sent
$$;

CREATE FUNCTION reports.csat_by_agent(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL,
                                      agent_ids int[] DEFAULT NULL, inbox_id int DEFAULT NULL,
                                      team_id int DEFAULT NULL, ratings int[] DEFAULT NULL)
RETURNS TABLE (agent_id bigint, agent_name text, agent_email text, total_count bigint,
               satisfaction_score float8, average_rating float8,
               rating_1 bigint, rating_2 bigint, rating_3 bigint, rating_4 bigint, rating_5 bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT x.assigned_agent_id, max(x.agent_name), max(x.agent_email), count(*),
           (count(*) FILTER (WHERE x.rating >= 4) * 100.0 / count(*))::float8,
           avg(x.rating)::float8,
           count(*) FILTER (WHERE x.rating = 1), count(*) FILTER (WHERE x.rating = 2),
           count(*) FILTER (WHERE x.rating = 3), count(*) FILTER (WHERE x.rating = 4),
           count(*) FILTER (WHERE x.rating = 5)
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

-- ==== 90_install.sql ====
-- Last step of CREATE EXTENSION: the triggers on Chatwoot's tables (when they exist already; call
-- reports.install_triggers() again after creating them later) and on the extension's own tables.
SELECT reports.install_triggers();

