-------------------------------------------------------------------------------------------------
-- The hourly rollup: every report's read path. Per account, UTC hour, dimension and key, each
-- registered metric's additive parts (row counts, exact microsecond sums, the ids of distinct
-- conversations), so a report over months reads thousands of rollup rows instead of millions of
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
    -- distinct_conversations metrics: the existing conversations of the rows, sorted. A distinct
    -- count over many hours is the size of the union, so the ids are kept.
    ids         int[],
    -- averages: quantile sketches (reports.quantile_sketch_agg) of the values and of the
    -- business-hours values, which the metric's quantiles read; NULL for other kinds
    v_sketch    bytea,
    b_sketch    bytea,
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
-- events. Called when what the conversation's rows are sliced by changes (its assignee, team or
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
          WHERE e.conversation_id = mark_conversation_hours.conversation_id) h
    WHERE h.account_id IS NOT NULL AND h.hour IS NOT NULL
      AND h.hour < (SELECT s.covered_until FROM reports.rollup_state s)
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
               n bigint, v_n bigint, v_sum numeric, b_n bigint, b_sum numeric, ids int[],
               v_sketch bytea, b_sketch bytea)
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
    v_events text[];
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
           array_agg(m.event_name) FILTER (WHERE m.source = 'events')
    INTO v_conv, v_msg, v_events
    FROM reports_internal.metric m
    -- quantiles have no parts of their own (they read their average's sketches), history metrics none at all
    WHERE (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics)) AND m.kind NOT IN ('quantile', 'history');

    -- Conversations: agent = assignee, inbox, team = its team.
    IF v_conv IS NOT NULL THEN
        RETURN QUERY
        SELECT c.account_id, reports_internal.group_of(c.created_at, v_period, v_tz), d.dim, d.key, m.name,
               count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::int[], NULL::bytea, NULL::bytea
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
                   count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::int[], NULL::bytea, NULL::bytea
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
               count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::int[], NULL::bytea, NULL::bytea
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
                   count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::int[], NULL::bytea, NULL::bytea
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

    -- Reporting events of a registered name: agent = the event's user, inbox, team/labels of the
    -- conversation. Values less the recorded waits where the metric says so; distinct metrics
    -- keep the ids of the conversations that exist.
    IF v_events IS NOT NULL THEN
        -- Counts and averages; the recorded waits (a small table) hashed once, not probed per event.
        RETURN QUERY
        WITH w AS MATERIALIZED (
            SELECT ew.event_id, ew.wait_seconds, ew.wait_business_seconds FROM reports.event_waits ew
            WHERE (v_account IS NULL OR ew.account_id = v_account) AND ew.created_at >= v_lo AND ew.created_at < v_hi
        )
        SELECT x.account_id, reports_internal.group_of(x.created_at, v_period, v_tz), d.dim, d.key, x.metric,
               count(*), count(x.val), sum(reports_internal.to_us(x.val)), count(x.bh), sum(reports_internal.to_us(x.bh)),
               -- a metric with exclusions: its rows' conversations, one per row (see excluded_by)
               CASE WHEN bool_or(x.keeps_ids) THEN coalesce(array_agg(x.conversation_id ORDER BY x.conversation_id)
                                                             FILTER (WHERE x.conversation_id IS NOT NULL), '{}') END,
               reports.quantile_sketch_agg(x.val), reports.quantile_sketch_agg(x.bh)
        FROM (SELECT e.account_id, e.created_at, e.user_id, e.inbox_id, m.name AS metric,
                     e.conversation_id, m.excluded_by IS NOT NULL AS keeps_ids,
                     CASE WHEN m.kind = 'average' THEN e.value - coalesce(w.wait_seconds, 0) END AS val,
                     CASE WHEN m.kind = 'average' THEN e.value_in_business_hours - coalesce(w.wait_business_seconds, 0) END AS bh,
                     CASE WHEN c.account_id = e.account_id THEN c.team_id END AS team
              FROM unnest(v_from, v_to) r(f, t)
              JOIN public.reporting_events e ON e.created_at >= r.f AND e.created_at < r.t
                                            AND e.created_at >= v_lo AND e.created_at < v_hi
              JOIN reports_internal.metric m ON m.source = 'events' AND m.event_name = e.name
                                            AND m.kind IN ('count', 'average')
                                            AND (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics))
              LEFT JOIN w ON m.subtract_waits AND w.event_id = e.id
              LEFT JOIN public.conversations c ON v_team AND c.id = e.conversation_id
              WHERE (v_account IS NULL OR e.account_id = v_account) AND e.account_id IS NOT NULL
                AND e.name = ANY (v_events)) x
        CROSS JOIN unnest(v_plain) dd(dim)
        CROSS JOIN LATERAL (SELECT coalesce(v_one, dd.dim) AS dim,
                                   CASE coalesce(v_one, dd.dim) WHEN 'a' THEN '' WHEN 'g' THEN x.user_id::text
                                        WHEN 'i' THEN x.inbox_id::text ELSE x.team::text END AS key) d
        WHERE d.key IS NOT NULL AND (v_key IS NULL OR d.key = v_key) AND cardinality(v_plain) > 0
        GROUP BY 1, 2, 3, 4, 5;
        -- Distinct conversations: the ids of those that exist.
        RETURN QUERY
        SELECT x.account_id, reports_internal.group_of(x.created_at, v_period, v_tz), d.dim, d.key, x.metric,
               count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric,
               coalesce(array_agg(DISTINCT x.existing) FILTER (WHERE x.existing IS NOT NULL), '{}'), NULL::bytea, NULL::bytea
        FROM (SELECT e.account_id, e.created_at, e.user_id, e.inbox_id, m.name AS metric, c.id AS existing,
                     CASE WHEN c.account_id = e.account_id THEN c.team_id END AS team
              FROM unnest(v_from, v_to) r(f, t)
              JOIN public.reporting_events e ON e.created_at >= r.f AND e.created_at < r.t
                                            AND e.created_at >= v_lo AND e.created_at < v_hi
              JOIN reports_internal.metric m ON m.source = 'events' AND m.event_name = e.name
                                            AND m.kind = 'distinct_conversations'
                                            AND (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics))
              LEFT JOIN public.conversations c ON c.id = e.conversation_id
              WHERE (v_account IS NULL OR e.account_id = v_account) AND e.account_id IS NOT NULL
                AND e.name = ANY (v_events)) x
        CROSS JOIN unnest(v_plain) dd(dim)
        CROSS JOIN LATERAL (SELECT coalesce(v_one, dd.dim) AS dim,
                                   CASE coalesce(v_one, dd.dim) WHEN 'a' THEN '' WHEN 'g' THEN x.user_id::text
                                        WHEN 'i' THEN x.inbox_id::text ELSE x.team::text END AS key) d
        WHERE d.key IS NOT NULL AND (v_key IS NULL OR d.key = v_key) AND cardinality(v_plain) > 0
        GROUP BY 1, 2, 3, 4, 5;
        IF v_labels THEN
            RETURN QUERY
            SELECT e.account_id, reports_internal.group_of(e.created_at, v_period, v_tz), 'l'::"char", l.label, m.name,
                   count(*), count(v.val), sum(reports_internal.to_us(v.val)), count(v.bh), sum(reports_internal.to_us(v.bh)),
                   CASE WHEN m.kind = 'distinct_conversations' THEN coalesce(array_agg(DISTINCT c.id), '{}')
                        WHEN m.excluded_by IS NOT NULL THEN array_agg(c.id ORDER BY c.id) END,
                   reports.quantile_sketch_agg(v.val), reports.quantile_sketch_agg(v.bh)
            FROM unnest(v_from, v_to) r(f, t)
            JOIN public.reporting_events e ON e.created_at >= r.f AND e.created_at < r.t
                                            AND e.created_at >= v_lo AND e.created_at < v_hi
            JOIN reports_internal.metric m ON m.source = 'events' AND m.event_name = e.name
                                          AND m.kind IN ('count', 'average', 'distinct_conversations')
                                          AND (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics))
            LEFT JOIN reports.event_waits w ON m.subtract_waits AND w.event_id = e.id
            JOIN public.conversations c ON c.id = e.conversation_id AND c.account_id = e.account_id
            CROSS JOIN LATERAL (VALUES (CASE WHEN m.kind = 'average' THEN e.value - coalesce(w.wait_seconds, 0) END,
                                        CASE WHEN m.kind = 'average'
                                             THEN e.value_in_business_hours - coalesce(w.wait_business_seconds, 0) END)) v(val, bh)
            JOIN reports_internal.labelled_conversations(v_key) l ON l.conversation_id = c.id
            WHERE (v_account IS NULL OR e.account_id = v_account) AND e.account_id IS NOT NULL
              AND e.name = ANY (v_events)
            GROUP BY 1, 2, 3, 4, 5, m.kind, m.excluded_by;
        END IF;
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

-- Inserts the rows of the periods (of grain `coarse`, starting at `starts`) summed from their rows
-- of grain `fine`; distinct conversations are unioned, the per-row ids of a metric with exclusions
-- are concatenated (a conversation resolved twice is two rows).
CREATE FUNCTION reports_internal.sum_rows(fine "char", coarse "char", starts timestamp[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO reports_internal.rollup
    SELECT s.account_id, coarse, s.period, s.dim, s.key, s.metric, s.n, s.v_n, s.v_sum, s.b_n, s.b_sum,
           CASE WHEN s.has_ids THEN coalesce(u.distinct_ids, u.ids, '{}') END, s.v_sketch, s.b_sketch
    FROM (SELECT r.account_id, date_trunc(CASE coarse WHEN 'd' THEN 'day' ELSE 'month' END, r.hour) AS period,
                 r.dim, r.key, r.metric, sum(r.n)::bigint AS n, sum(r.v_n)::bigint AS v_n, sum(r.v_sum) AS v_sum,
                 sum(r.b_n)::bigint AS b_n, sum(r.b_sum) AS b_sum, bool_or(r.ids IS NOT NULL) AS has_ids,
                 reports.quantile_sketch_merge(r.v_sketch) AS v_sketch, reports.quantile_sketch_merge(r.b_sketch) AS b_sketch
          FROM reports_internal.rollup r
          WHERE r.grain = fine
            AND date_trunc(CASE coarse WHEN 'd' THEN 'day' ELSE 'month' END, r.hour) = ANY (starts)
          GROUP BY 1, 2, 3, 4, 5) s
    JOIN reports_internal.metric m ON m.name = s.metric
    LEFT JOIN LATERAL (
        -- only the one the metric keeps is built
        SELECT array_agg(DISTINCT i ORDER BY i) FILTER (WHERE m.kind = 'distinct_conversations') AS distinct_ids,
               array_agg(i ORDER BY i) FILTER (WHERE m.kind <> 'distinct_conversations') AS ids
        FROM reports_internal.rollup r2 CROSS JOIN LATERAL unnest(r2.ids) i
        WHERE s.has_ids AND r2.account_id = s.account_id AND r2.dim = s.dim AND r2.key = s.key AND r2.grain = fine
          AND r2.metric = s.metric AND r2.hour >= s.period
          AND r2.hour < s.period + CASE coarse WHEN 'd' THEN interval '1 day' ELSE interval '1 month' END) u ON true
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
                   coalesce(p.b_sum, 0), p.ids, p.v_sketch, p.b_sketch
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
               coalesce(p.b_sum, 0), p.ids, p.v_sketch, p.b_sketch
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

-- Every report's read path: the parts of some metrics of one account over [since, until) (UTC),
-- for one dimension (and optionally one key), per group: per bucket of `period` in zone tz, or one
-- group for the whole range with period 'range'. Each bucket's UTC interval is read from the
-- coarsest rollup rows that fit it: whole UTC months, then days, then hours, all below
-- covered_until and holding no hour marked changed; everything else (the ends, changed hours,
-- hours a bucket boundary cuts, hours not rolled up) from compute_parts over the raw rows. For
-- distinct_conversations metrics n is the number of distinct conversations over the whole group;
-- a metric with excluded_by leaves out its rows of the conversations that metric counts over the
-- whole range (all groups) for the same key.
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
    v_metrics text[] := ARRAY(SELECT DISTINCT reports_internal.parts_metric(x) FROM unnest(parts.metrics) x);
    v_covered timestamp;
    v_first timestamp;
    v_dirty timestamp[];
    v_buckets reports.series_bucket[];
    v_seg_grp timestamp[];    -- rollup rows to read: (group, grain, period start)
    v_seg_grain "char"[];
    v_seg_start timestamp[];
    v_from timestamp[];       -- raw ranges
    v_to timestamp[];
    v_read text[];            -- v_metrics and the metrics their exclusions come from
BEGIN
    SELECT s.covered_until INTO v_covered FROM reports.rollup_state s;
    v_read := v_metrics || ARRAY(SELECT m.excluded_by FROM reports_internal.metric m
                                 WHERE m.name = ANY (v_metrics) AND m.excluded_by IS NOT NULL
                                   AND NOT m.excluded_by = ANY (v_metrics));
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
           (SELECT array_agg(gaps.t ORDER BY gaps.f) FROM gaps WHERE gaps.f < gaps.t)
    INTO v_seg_grp, v_seg_grain, v_seg_start, v_from, v_to;

    RETURN QUERY
    WITH p AS MATERIALIZED (
        SELECT s.grp, r.key, r.metric, r.n, r.v_n, r.v_sum, r.b_n, r.b_sum, r.ids, r.v_sketch, r.b_sketch
        FROM unnest(v_seg_grp, v_seg_grain, v_seg_start) s(grp, grain, start)
        JOIN reports_internal.rollup r
          ON r.account_id = v_account AND r.dim = v_dim AND r.grain = s.grain AND r.hour = s.start
         AND (v_key IS NULL OR r.key = v_key) AND r.metric = ANY (v_read)
        UNION ALL
        SELECT c.grp, c.key, c.metric, c.n, c.v_n, c.v_sum, c.b_n, c.b_sum, c.ids, c.v_sketch, c.b_sketch
        FROM reports_internal.compute_parts(v_account, coalesce(v_from, '{}'), coalesce(v_to, '{}'), ARRAY[v_dim],
                                            v_key, v_read, v_period, v_tz) c
    ), distinct_ids AS (
        SELECT p.grp, p.key, p.metric, count(DISTINCT u.id) AS n
        FROM p JOIN reports_internal.metric m ON m.name = p.metric AND m.kind = 'distinct_conversations'
        CROSS JOIN LATERAL unnest(p.ids) u(id)
        GROUP BY 1, 2, 3
    ), tagged AS (  -- per key: the row ids of each metric with exclusions, and the ids excluding them
        SELECT p.key, m.name AS metric, u.id, p.grp, false AS exclusion
        FROM p JOIN reports_internal.metric m ON m.name = p.metric AND m.excluded_by IS NOT NULL AND m.name = ANY (v_metrics)
        CROSS JOIN LATERAL unnest(p.ids) u(id)
        UNION ALL
        SELECT p.key, m.name, u.id, NULL, true
        FROM p JOIN reports_internal.metric m ON m.excluded_by = p.metric AND m.name = ANY (v_metrics)
        CROSS JOIN LATERAL unnest(p.ids) u(id)
    ), per_conversation AS (  -- one aggregate, no join of two large id sets (a nested loop over
                              -- CTE scans misestimated at a few rows took minutes on 2M events)
        SELECT t.key, t.metric, bool_or(t.exclusion) AS excluded, array_agg(t.grp) FILTER (WHERE NOT t.exclusion) AS grps
        FROM tagged t GROUP BY t.key, t.metric, t.id
    ), left_out AS (  -- per group, the rows of excluded conversations
        SELECT g.grp, c.key, c.metric, count(*) AS n
        FROM per_conversation c CROSS JOIN LATERAL unnest(c.grps) g(grp)
        WHERE c.excluded
        GROUP BY 1, 2, 3
    )
    SELECT a.grp, a.key, a.metric,
           CASE WHEN m.kind = 'distinct_conversations' THEN coalesce(d.n, 0) ELSE a.n - coalesce(o.n, 0) END,
           a.v_n, a.v_sum, a.b_n, a.b_sum, a.v_sketch, a.b_sketch
    FROM (SELECT p.grp, p.key, p.metric, sum(p.n)::bigint AS n, sum(p.v_n)::bigint AS v_n, sum(p.v_sum) AS v_sum,
                 sum(p.b_n)::bigint AS b_n, sum(p.b_sum) AS b_sum,
                 reports.quantile_sketch_merge(p.v_sketch) AS v_sketch, reports.quantile_sketch_merge(p.b_sketch) AS b_sketch
          FROM p GROUP BY 1, 2, 3) a
    JOIN reports_internal.metric m ON m.name = a.metric AND m.name = ANY (v_metrics)
    LEFT JOIN distinct_ids d ON d.grp = a.grp AND d.key = a.key AND d.metric = a.metric
    LEFT JOIN left_out o ON o.grp = a.grp AND o.key = a.key AND o.metric = a.metric;
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
