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
    grain       "char"    NOT NULL,  -- h an hour, d a day, w a week of a month (reports_internal.week_of), m a month (all UTC)
    hour        timestamp NOT NULL,  -- the start of that hour, day, week or month
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
-- every key of a dimension over a range (summary_by, entity reports), only the asked metrics' rows
-- fetched (an entity report asks 10 of the 15 metrics with parts: 53 ms instead of 61 for 150 agents)
CREATE INDEX rollup_account_dim_grain_hour_metric ON reports_internal.rollup (account_id, dim, grain, hour, metric);
-- @state end
COMMENT ON TABLE reports_internal.rollup IS
'Per account, UTC hour (and whole UTC day, week of a month and month), dimension and key: the additive parts of every registered metric, filled by reports.refresh_rollup(). A day, week or month row exists for complete periods below covered_until and equals the sum of its hours.';

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
    -- A late pending/snoozed time changes its resolution's cohort too.
    IF TG_TABLE_NAME = 'event_waits' THEN
        PERFORM reports_internal.mark_creation_hour(e.conversation_id) FROM public.reporting_events e
        WHERE e.id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.event_id END, CASE WHEN TG_OP <> 'DELETE' THEN NEW.event_id END);
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

-- Marks the rolled-up creation hour of a conversation: where its cohort rows are.
CREATE FUNCTION reports_internal.mark_creation_hour(conversation_id int) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO reports_internal.rollup_dirty (account_id, hour)
    SELECT c.account_id, date_trunc('hour', c.created_at) FROM public.conversations c
    WHERE c.id = mark_creation_hour.conversation_id AND c.account_id IS NOT NULL
      AND date_trunc('hour', c.created_at) < (SELECT s.covered_until FROM reports.rollup_state s)
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
-- old bot resolution) or a late row of a distinct metric changes its conversation's other rows; a
-- late row of a cohort metric changes its conversation's creation hour.
CREATE FUNCTION reports_internal.mark_dependent_hours() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_late_before timestamp := (clock_timestamp() AT TIME ZONE 'UTC') - reports_internal.rollup_lag();
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.conversation_id IS NOT NULL THEN
        PERFORM reports_internal.mark_event_hours(OLD.conversation_id,
            reports_internal.dependent_events(OLD.name, OLD.created_at < v_late_before));
        IF OLD.created_at < v_late_before AND OLD.name = ANY (reports_internal.cohort_events()) THEN
            PERFORM reports_internal.mark_creation_hour(OLD.conversation_id);
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.conversation_id IS NOT NULL THEN
        PERFORM reports_internal.mark_event_hours(NEW.conversation_id,
            reports_internal.dependent_events(NEW.name, NEW.created_at < v_late_before));
        IF NEW.created_at < v_late_before AND NEW.name = ANY (reports_internal.cohort_events()) THEN
            PERFORM reports_internal.mark_creation_hour(NEW.conversation_id);
        END IF;
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
    -- excluding metrics' events of any date, the distinct and cohort metrics' ones when late.
    IF to_regclass('public.reporting_events') IS NOT NULL THEN
        SELECT string_agg(quote_literal(x.event_name), ', ') INTO v_excluding
        FROM (SELECT DISTINCT x.event_name FROM reports_internal.metric m
              JOIN reports_internal.metric x ON x.name = m.excluded_by) x;
        SELECT string_agg(quote_literal(m.event_name), ', ') INTO v_distinct
        FROM (SELECT DISTINCT m.event_name FROM reports_internal.metric m
              WHERE (m.kind = 'distinct_conversations' OR m.by_creation) AND m.source = 'events') m;
        DROP TRIGGER IF EXISTS reports_rollup_dependents_insert ON public.reporting_events;
        DROP TRIGGER IF EXISTS reports_rollup_dependents_update ON public.reporting_events;
        DROP TRIGGER IF EXISTS reports_rollup_dependents_delete ON public.reporting_events;
        EXECUTE format('CREATE TRIGGER reports_rollup_dependents_insert AFTER INSERT ON public.reporting_events FOR EACH ROW '
                       'WHEN (NEW.name IN (%s) OR (NEW.name IN (%s) AND %s)) '
                       'EXECUTE FUNCTION reports_internal.mark_dependent_hours()',
                       coalesce(v_excluding, 'NULL'), coalesce(v_distinct, 'NULL'), new_hour);
        EXECUTE format('CREATE TRIGGER reports_rollup_dependents_update AFTER UPDATE OF name, conversation_id, created_at, '
                       'user_id, inbox_id, account_id, value, value_in_business_hours ON public.reporting_events FOR EACH ROW '
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
-- Cohort metrics (by_creation) read the conversations created in the ranges, and of their events
-- those created in [events_from, events_until); with a finite events_from the events are read
-- first (the few of a recent window), else the conversations.
CREATE FUNCTION reports_internal.compute_parts(for_account int, from_ts timestamp[], to_ts timestamp[],
                                               dims "char"[], only_key text DEFAULT NULL,
                                               metrics text[] DEFAULT NULL,
                                               period text DEFAULT NULL, tz text DEFAULT 'UTC',
                                               events_from timestamp DEFAULT '-infinity',
                                               events_until timestamp DEFAULT 'infinity')
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
    -- labels: 'l' the conversation's labels (tags in context 'labels'); 'o' instead, the tags it
    -- carries in other contexts only, which a label scope adds (see reports_internal.parts)
    v_labels bool := 'l' = ANY (dims) OR 'o' = ANY (dims);
    v_label_contexts text := CASE WHEN 'o' = ANY (dims) THEN 'other' ELSE 'labels' END;
    v_plain "char"[] := array_remove(array_remove(dims, 'l'), 'o');  -- the dimensions read from the row itself
    -- the only one of them, when there is one: then the key expression folds to one column and
    -- a plain count of messages can be an index-only scan
    v_one "char" := CASE WHEN cardinality(array_remove(array_remove(dims, 'l'), 'o')) = 1
                         THEN (array_remove(array_remove(dims, 'l'), 'o'))[1] END;
    v_team bool := 't' = ANY (dims);
    v_conv text[];
    v_msg int[];
    v_counted text[];    -- event names of count and average metrics
    v_distinct text[];   -- event names of distinct_conversations metrics
    v_reopens bool;      -- a status_changes metric is asked for
    v_cohort text[];     -- event names of cohort (by_creation) metrics
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
           array_agg(DISTINCT m.event_name) FILTER (WHERE m.source = 'events' AND m.kind <> 'distinct_conversations'
                                                    AND NOT m.by_creation),
           array_agg(DISTINCT m.event_name) FILTER (WHERE m.source = 'events' AND m.kind = 'distinct_conversations'),
           coalesce(bool_or(m.source = 'status_changes'), false),
           array_agg(DISTINCT m.event_name) FILTER (WHERE m.by_creation)
    INTO v_conv, v_msg, v_counted, v_distinct, v_reopens, v_cohort
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
            JOIN reports_internal.labelled_conversations(v_key, v_label_contexts) l ON l.conversation_id = c.id
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
            JOIN reports_internal.labelled_conversations(v_key, v_label_contexts) l ON l.conversation_id = c.id
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
                                          AND m.kind IN ('count', 'average') AND NOT m.by_creation
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
        JOIN reports_internal.labelled_conversations(v_key, v_label_contexts) l ON l.conversation_id = x.conversation_id
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
        JOIN reports_internal.labelled_conversations(v_key, v_label_contexts) l ON l.conversation_id = x.conversation_id
        WHERE v_labels AND x.own_conversation
        GROUP BY 1, 2, 3, 4, 5;
    END IF;

    -- Cohorts: the events (in [events_from, events_until)) of the conversations created in the
    -- ranges, at the conversation's creation, by its current assignee, inbox, team and labels.
    IF v_cohort IS NOT NULL AND events_from < events_until THEN
        RETURN QUERY
        WITH x AS MATERIALIZED (
            SELECT e.account_id, e.created_at AS ts, m.name AS metric, e.id AS conversation_id,
                   e.assignee_id AS agent, e.inbox_id AS inbox, e.team_id AS team,
                   e.value - coalesce(w.wait_seconds, 0) AS val,
                   e.value_in_business_hours - coalesce(w.wait_business_seconds, 0) AS bh
            FROM (  -- a recent window of events first, their conversations then
                  SELECT c.account_id, c.created_at, c.id, c.assignee_id, c.inbox_id, c.team_id,
                         e.id AS event_id, e.name, e.value, e.value_in_business_hours
                  FROM public.reporting_events e
                  JOIN public.conversations c ON c.id = e.conversation_id AND c.account_id = e.account_id
                  WHERE isfinite(events_from) AND e.created_at >= events_from AND e.created_at < events_until
                    AND (v_account IS NULL OR e.account_id = v_account) AND e.name = ANY (v_cohort)
                    AND c.created_at >= v_lo AND c.created_at < v_hi
                    AND EXISTS (SELECT FROM unnest(v_from, v_to) r(f, t) WHERE c.created_at >= r.f AND c.created_at < r.t)
                  UNION ALL  -- the conversations of the ranges first, each range its own index scan
                  SELECT c.account_id, c.created_at, c.id, c.assignee_id, c.inbox_id, c.team_id,
                         e.id, e.name, e.value, e.value_in_business_hours
                  FROM unnest(v_from, v_to) r(f, t)
                  CROSS JOIN LATERAL (SELECT c.* FROM public.conversations c
                                      WHERE c.created_at >= r.f AND c.created_at < r.t
                                        AND (v_account IS NULL OR c.account_id = v_account) AND c.account_id IS NOT NULL
                                      OFFSET 0) c
                  JOIN public.reporting_events e ON e.conversation_id = c.id AND e.account_id = c.account_id
                                                AND e.name = ANY (v_cohort)
                                                AND e.created_at >= events_from AND e.created_at < events_until
                  WHERE NOT isfinite(events_from)) e
            JOIN reports_internal.metric m ON m.by_creation AND m.event_name = e.name
                                          AND (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics))
            LEFT JOIN reports.event_waits w ON m.subtract_waits AND w.event_id = e.event_id
        )
        SELECT x.account_id, reports_internal.group_of(x.ts, v_period, v_tz), d.dim, d.key, x.metric,
               count(*), count(x.val), sum(reports_internal.to_us(x.val)), count(x.bh), sum(reports_internal.to_us(x.bh)),
               reports.quantile_sketch_agg(x.val), reports.quantile_sketch_agg(x.bh),
               NULL::timestamp[], NULL::timestamp[], NULL::timestamp[]
        FROM x
        CROSS JOIN unnest(v_plain) dd(dim)
        CROSS JOIN LATERAL (SELECT coalesce(v_one, dd.dim) AS dim,
                                   CASE coalesce(v_one, dd.dim) WHEN 'a' THEN '' WHEN 'g' THEN x.agent::text
                                        WHEN 'i' THEN x.inbox::text ELSE x.team::text END AS key) d
        WHERE d.key IS NOT NULL AND (v_key IS NULL OR d.key = v_key) AND cardinality(v_plain) > 0
        GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        SELECT x.account_id, reports_internal.group_of(x.ts, v_period, v_tz), 'l'::"char", l.label, x.metric,
               count(*), count(x.val), sum(reports_internal.to_us(x.val)), count(x.bh), sum(reports_internal.to_us(x.bh)),
               reports.quantile_sketch_agg(x.val), reports.quantile_sketch_agg(x.bh),
               NULL::timestamp[], NULL::timestamp[], NULL::timestamp[]
        FROM x
        JOIN reports_internal.labelled_conversations(v_key, v_label_contexts) l ON l.conversation_id = x.conversation_id
        WHERE v_labels
        GROUP BY 1, 2, 3, 4, 5;
    END IF;
END
$$;
COMMENT ON FUNCTION reports_internal.compute_parts(int, timestamp[], timestamp[], "char"[], text, text[], text, text, timestamp, timestamp) IS
'The registered metrics'' additive parts from the raw tables: per group, dimension and key, over UTC ranges of one account or all.';

-- The conversations tagged with a label, with the label (the lower-case tag name), once per
-- conversation and label; only one label's when `label` is given. contexts: 'any' (a label scope
-- matches tags in any tagging context), 'labels' (Chatwoot's conversation labels, the context
-- 'labels': the rollup's label rows and the label summary), or 'other' (tags a conversation
-- carries in other contexts only: what a label scope adds to the rollup's rows). Joined by hash, so
-- a bulk computation reads taggings once rather than once per row.
CREATE FUNCTION reports_internal.labelled_conversations(label text, contexts text DEFAULT 'any')
RETURNS TABLE (conversation_id int, label text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT DISTINCT t.taggable_id, lower(g.name)
    FROM public.taggings t JOIN public.tags g ON g.id = t.tag_id
    WHERE t.taggable_type = 'Conversation'
      AND (labelled_conversations.label IS NULL OR lower(g.name) = labelled_conversations.label)
      AND CASE labelled_conversations.contexts
              WHEN 'labels' THEN t.context = 'labels'
              WHEN 'other' THEN t.context IS DISTINCT FROM 'labels'
                                AND NOT EXISTS (SELECT FROM public.taggings t2 JOIN public.tags g2 ON g2.id = t2.tag_id
                                                WHERE t2.taggable_type = 'Conversation' AND t2.taggable_id = t.taggable_id
                                                  AND t2.context = 'labels' AND lower(g2.name) = lower(g.name))
              ELSE true END
$$;

-- Rebuilds the day rows of the given UTC days and the month rows of their months from the rows
-- one grain finer, for the periods complete below covered (the rollup's covered_until): a day or
-- month row is always the sum of its hours.
CREATE FUNCTION reports_internal.roll_up_periods(days timestamp[], covered timestamp) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_weeks timestamp[] := ARRAY(SELECT DISTINCT reports_internal.week_of(d) FROM unnest(days) d
                                 WHERE reports_internal.week_of(d) IS NOT NULL);
    v_months timestamp[] := ARRAY(SELECT DISTINCT date_trunc('month', d) FROM unnest(days) d);
BEGIN
    IF cardinality(days) = 0 THEN
        RETURN;
    END IF;
    DELETE FROM reports_internal.rollup r WHERE r.grain = 'd' AND r.hour = ANY (days);
    PERFORM reports_internal.sum_rows('h', 'd', ARRAY(SELECT d FROM unnest(days) d WHERE d + interval '1 day' <= covered));
    DELETE FROM reports_internal.rollup r WHERE r.grain = 'w' AND r.hour = ANY (v_weeks);
    PERFORM reports_internal.sum_rows('d', 'w', ARRAY(SELECT w FROM unnest(v_weeks) w WHERE w + interval '7 days' <= covered));
    DELETE FROM reports_internal.rollup r WHERE r.grain = 'm' AND r.hour = ANY (v_months);
    PERFORM reports_internal.sum_rows('d', 'm', ARRAY(SELECT m FROM unnest(v_months) m WHERE m + interval '1 month' <= covered));
END
$$;

-- The week of a day (UTC): the 7-day blocks days 1-7, 8-14, 15-21 and 22-28 of each month, so a
-- week lies in one month (NULL for days 29-31, which are read as days). A range of months' partial
-- ends reads a few weeks instead of up to 30 days.
CREATE FUNCTION reports_internal.week_of(d timestamp)
RETURNS timestamp
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN extract(day FROM d) <= 28
                THEN date_trunc('month', d) + ((extract(day FROM d)::int - 1) / 7) * interval '7 days' END
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
    SELECT r.account_id, coarse, reports_internal.period_of(r.hour, coarse),
           r.dim, r.key, r.metric, sum(r.n)::bigint, sum(r.v_n)::bigint, sum(r.v_sum), sum(r.b_n)::bigint, sum(r.b_sum),
           reports_internal.sketch_union(r.v_sketch), reports_internal.sketch_union(r.b_sketch),
           reports_internal.concat_times(r.dup_prev ORDER BY r.hour),
           reports_internal.concat_times(r.x_prev ORDER BY r.hour), reports_internal.concat_times(r.x_next ORDER BY r.hour)
    FROM reports_internal.rollup r
    WHERE r.grain = fine
      AND reports_internal.period_of(r.hour, coarse) = ANY (starts)
    GROUP BY 1, 2, 3, 4, 5, 6
$$;

-- The start of the period of grain `grain` ('h', 'd', 'w', 'm') that holds ts (NULL: no week).
CREATE FUNCTION reports_internal.period_of(ts timestamp, grain "char")
RETURNS timestamp
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE grain WHEN 'h' THEN date_trunc('hour', ts) WHEN 'd' THEN date_trunc('day', ts)
                      WHEN 'w' THEN reports_internal.week_of(date_trunc('day', ts)) ELSE date_trunc('month', ts) END
$$;

-- One sketch of the values of two (NULL when both are).
CREATE FUNCTION reports_internal.merge_sketches(a bytea, b bytea)
RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT reports.quantile_sketch_merge(x) FROM (VALUES (a), (b)) v(x)
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
                                                '{a,g,i,t,l}', events_until => greatest(v_old, v_new)) p;
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
        FROM reports_internal.compute_parts(NULL, ARRAY[v_old], ARRAY[v_new], '{a,g,i,t,l}', events_until => v_new) p;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_written := v_written + v_n;
        -- The cohorts rolled up before gain the events of the new hours (except the recomputed
        -- ones, which hold them already): added into their hour rows, and into the day and month
        -- rows of their complete periods (the periods rebuilt below are summed afresh anyway).
        IF isfinite(v_old) THEN
            WITH delta AS MATERIALIZED (
                SELECT p.* FROM reports_internal.compute_parts(
                    NULL, ARRAY['-infinity'::timestamp], ARRAY[v_old], '{a,g,i,t,l}',
                    metrics => ARRAY(SELECT m.name FROM reports_internal.metric m WHERE m.by_creation),
                    events_from => v_old, events_until => v_new) p
                WHERE NOT EXISTS (SELECT FROM unnest(v_accounts, v_hours) k(a, h) WHERE k.a = p.account_id AND k.h = p.grp)
            ), added AS (
                SELECT d.account_id, 'h'::"char" AS grain, d.grp AS hour, d.dim, d.key, d.metric, d.n, d.v_n, d.v_sum,
                       d.b_n, d.b_sum, d.v_sketch, d.b_sketch
                FROM delta d
                UNION ALL
                SELECT d.account_id, g.grain, reports_internal.period_of(d.grp, g.grain), d.dim, d.key, d.metric,
                       sum(d.n)::bigint, sum(d.v_n)::bigint, sum(d.v_sum), sum(d.b_n)::bigint, sum(d.b_sum),
                       reports.quantile_sketch_merge(d.v_sketch), reports.quantile_sketch_merge(d.b_sketch)
                FROM delta d CROSS JOIN (VALUES ('d'::"char", interval '1 day'), ('w', interval '7 days'),
                                                ('m', interval '1 month')) g(grain, length)
                WHERE reports_internal.period_of(d.grp, g.grain) + g.length <= v_old
                GROUP BY 1, 2, 3, 4, 5, 6
            )
            INSERT INTO reports_internal.rollup AS r
            SELECT a.account_id, a.grain, a.hour, a.dim, a.key, a.metric, a.n, a.v_n, coalesce(a.v_sum, 0), a.b_n,
                   coalesce(a.b_sum, 0), a.v_sketch, a.b_sketch, NULL, NULL, NULL
            FROM added a
            ON CONFLICT (account_id, dim, key, grain, hour, metric) DO UPDATE
            SET n = r.n + EXCLUDED.n, v_n = r.v_n + EXCLUDED.v_n, v_sum = r.v_sum + EXCLUDED.v_sum,
                b_n = r.b_n + EXCLUDED.b_n, b_sum = r.b_sum + EXCLUDED.b_sum,
                v_sketch = reports_internal.merge_sketches(r.v_sketch, EXCLUDED.v_sketch),
                b_sketch = reports_internal.merge_sketches(r.b_sketch, EXCLUDED.b_sketch);
            GET DIAGNOSTICS v_n = ROW_COUNT;
            v_written := v_written + v_n;
        END IF;
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
-- coarsest rollup rows that fit it: whole UTC months, then weeks (week_of), days, hours, all below
-- covered_until and holding no hour marked changed; everything else (the ends, changed hours,
-- hours a bucket boundary cuts, hours not rolled up) from compute_parts over the raw rows. For
-- distinct_conversations metrics n is the number of distinct conversations over the whole group
-- (its rows less those whose previous row lies in the group too); a metric with excluded_by leaves
-- out its rows of the conversations that metric counts over the whole range (all groups) for the
-- same key. Ratios are read as their numerator's and denominator's parts. A cohort metric's rollup
-- rows hold its conversations' events up to covered_until; their events since are read raw.
-- A quantile metric is read as the parts of its average (metric is that average's name), whose
-- sketches are merged here; an average asked without its quantiles comes without sketches from the
-- rollup (merging them is most of the cost of a report over many keys), and with business_hours
-- given, only the sketches of that clock come (v_sketch for false, b_sketch for true).
CREATE FUNCTION reports_internal.parts(account_id int, since timestamp, until timestamp, dim "char",
                                       only_key text, metrics text[], period text DEFAULT 'range',
                                       tz text DEFAULT 'UTC', business_hours bool DEFAULT NULL)
RETURNS TABLE (grp timestamp, key text, metric text, n bigint, v_n bigint, v_sum numeric, b_n bigint, b_sum numeric,
               v_sketch bytea, b_sketch bytea)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := parts.account_id;
    -- 'L', a label scope: the rollup's label rows (context 'labels') and, raw, the conversations
    -- tagged with the label in other contexts only
    v_dim "char" := CASE parts.dim WHEN 'L' THEN 'l' ELSE parts.dim END;
    -- (a cheap test first: any tagging with the label's tag outside context 'labels', by the
    -- taggings' context index; the exact set of such conversations is labelled_conversations')
    v_other_labels bool := parts.dim = 'L'
                           AND EXISTS (SELECT FROM public.taggings t JOIN public.tags g ON g.id = t.tag_id
                                       WHERE t.taggable_type = 'Conversation' AND (t.context <> 'labels' OR t.context IS NULL)
                                         AND lower(g.name) = parts.only_key);
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
    v_cov_from timestamp[];   -- the creation ranges read from the rollup (cohorts: their later events)
    v_cov_to timestamp[];
    v_cohorts text[] := ARRAY(SELECT m.name FROM reports_internal.metric m
                              WHERE m.by_creation AND m.name = ANY (v_metrics));
    -- the averages whose sketches are merged: those whose quantiles are asked
    v_sketched text[] := ARRAY(SELECT m.quantile_of FROM reports_internal.metric m
                               WHERE m.kind = 'quantile' AND m.name = ANY (parts.metrics));
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
    ), weeks AS (  -- whole weeks (see week_of) of such days, outside the whole months
        SELECT days.grp, reports_internal.week_of(days.d) AS w FROM days
        WHERE reports_internal.week_of(days.d) IS NOT NULL
          AND NOT EXISTS (SELECT FROM months WHERE months.grp = days.grp AND months.m = date_trunc('month', days.d))
        GROUP BY 1, 2 HAVING count(*) = 7
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
        SELECT weeks.grp, 'w', weeks.w FROM weeks
        UNION ALL
        SELECT days.grp, 'd', days.d FROM days
        WHERE NOT EXISTS (SELECT FROM months WHERE months.grp = days.grp AND months.m = date_trunc('month', days.d))
          AND NOT EXISTS (SELECT FROM weeks WHERE weeks.grp = days.grp AND weeks.w = reports_internal.week_of(days.d))
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
           (SELECT array_agg(bk.grp) FROM bk), (SELECT array_agg(bk.s) FROM bk),
           (SELECT array_agg(covered.f) FROM covered), (SELECT array_agg(covered.t) FROM covered)
    INTO v_seg_grp, v_seg_grain, v_seg_start, v_from, v_to, v_grp, v_grp_start, v_cov_from, v_cov_to;
    IF cardinality(v_cohorts) = 0 OR v_cov_from IS NULL THEN
        v_cov_from := '{}';
        v_cov_to := '{}';
    END IF;

    -- Each row's n as it counts in its group: for distinct conversations, its rows less those
    -- whose previous row lies in the group too; for a metric with exclusions, less the rows left
    -- out over the whole range. (Per row, where its group's start is at hand: the sum below then
    -- needs no join.)
    RETURN QUERY
    WITH p AS (
        SELECT s.grp, r.key, r.metric,
               r.n - reports_internal.count_from(r.dup_prev, g.s)
                   - reports_internal.count_excluded(r.x_prev, r.x_next, since, until) AS n,
               r.v_n, r.v_sum, r.b_n, r.b_sum,
               CASE WHEN r.metric = ANY (v_sketched) AND parts.business_hours IS NOT true THEN r.v_sketch END AS v_sketch,
               CASE WHEN r.metric = ANY (v_sketched) AND parts.business_hours IS NOT false THEN r.b_sketch END AS b_sketch
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
        UNION ALL  -- a label scope's conversations tagged in other contexts only (rarely any)
        SELECT c.grp, c.key, c.metric,
               c.n - reports_internal.count_from(c.dup_prev, g.s)
                   - reports_internal.count_excluded(c.x_prev, c.x_next, since, until),
               c.v_n, c.v_sum, c.b_n, c.b_sum, c.v_sketch, c.b_sketch
        FROM reports_internal.compute_parts(v_account, ARRAY[since], ARRAY[until], '{o}', v_key, v_metrics,
                                            v_period, v_tz) c
        JOIN unnest(v_grp, v_grp_start) g(grp, s) ON g.grp = c.grp
        WHERE v_other_labels
        UNION ALL  -- the cohorts read from the rollup hold their events up to covered_until: the rest
        SELECT c.grp, c.key, c.metric, c.n, c.v_n, c.v_sum, c.b_n, c.b_sum, c.v_sketch, c.b_sketch
        FROM reports_internal.compute_parts(v_account, v_cov_from, v_cov_to, ARRAY[v_dim], v_key, v_cohorts,
                                            v_period, v_tz, v_covered) c
    )
    SELECT p.grp, p.key, p.metric, sum(p.n)::bigint, sum(p.v_n)::bigint, sum(p.v_sum), sum(p.b_n)::bigint, sum(p.b_sum),
           reports_internal.sketch_union(p.v_sketch), reports_internal.sketch_union(p.b_sketch)
    FROM p
    GROUP BY 1, 2, 3;
END
$$;
COMMENT ON FUNCTION reports_internal.parts(int, timestamp, timestamp, "char", text, text[], text, text, bool) IS
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
                                             metric_values.period, metric_values.tz, metric_values.business_hours)
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
