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
    RETURNING e.account_id, e.created_at, e.conversation_id
    ), marked AS (  -- the events' hours, and their conversations' creation hours (their cohorts)
        INSERT INTO reports_internal.rollup_dirty (account_id, hour)
        SELECT DISTINCT h.account_id, date_trunc('hour', h.created_at)
        FROM (SELECT c.account_id, c.created_at FROM changed c
              UNION ALL
              SELECT v.account_id, v.created_at FROM public.conversations v
              WHERE v.id IN (SELECT c.conversation_id FROM changed c)) h
        WHERE h.created_at < v_covered AND h.account_id IS NOT NULL
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
    SELECT DISTINCT h.account_id, date_trunc('hour', h.created_at)
    FROM (SELECT e.account_id, e.created_at, e.conversation_id FROM public.reporting_events e
          WHERE e.account_id = rebuild_event_waits.account_id AND e.name = 'conversation_resolved'
            AND e.created_at >= v_since AND e.created_at < v_until) e
    -- the resolutions' hours, and their conversations' creation hours (their cohorts)
    CROSS JOIN LATERAL (SELECT e.account_id, e.created_at
                        UNION ALL
                        SELECT c.account_id, c.created_at FROM public.conversations c
                        WHERE c.id = e.conversation_id AND c.account_id = e.account_id) h
    WHERE h.created_at < v_covered;
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

