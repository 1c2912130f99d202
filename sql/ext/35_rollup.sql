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

CREATE TABLE reports_internal.rollup (
    account_id  int       NOT NULL,
    hour        timestamp NOT NULL,  -- start of the UTC hour
    dim         "char"    NOT NULL,  -- a account, g agent, i inbox, t team, l label
    key         text      NOT NULL,  -- '' for the account; the id; the lower-case tag name for labels
    metric      text      NOT NULL,  -- reports_internal.metric.name
    n           bigint    NOT NULL,  -- rows
    v_n         bigint    NOT NULL,  -- rows with a value (averages)
    v_sum       bigint    NOT NULL,  -- their values, microseconds
    b_n         bigint    NOT NULL,  -- rows with a business-hours value
    b_sum       bigint    NOT NULL,
    -- distinct_conversations metrics: the existing conversations of the rows, sorted. A distinct
    -- count over many hours is the size of the union, so the ids are kept.
    ids         int[],
    PRIMARY KEY (account_id, dim, key, hour, metric)
);
-- every key of a dimension over a range (summary_by, entity reports)
CREATE INDEX rollup_account_dim_hour ON reports_internal.rollup (account_id, dim, hour);
COMMENT ON TABLE reports_internal.rollup IS
'Per account, UTC hour, dimension and key: the additive parts of every registered metric, filled by reports.refresh_rollup().';

-- One row: the rollup holds every hour before covered_until, except the dirty ones.
CREATE TABLE reports.rollup_state (
    singleton      bool      PRIMARY KEY DEFAULT true CHECK (singleton),
    covered_until  timestamp NOT NULL DEFAULT '-infinity',  -- an hour boundary, UTC
    refreshed_at   timestamptz
);
INSERT INTO reports.rollup_state DEFAULT VALUES;
COMMENT ON TABLE reports.rollup_state IS
'How far the rollup reaches: every UTC hour before covered_until is rolled up, except the hours marked changed since.';

-- Append-only, without deduplication: each change adds its own row, and refresh_rollup deletes
-- only the rows committed before it started. A mark written by a transaction the refresh could
-- not see therefore survives the refresh, and the hour is recomputed by the next one.
CREATE TABLE reports_internal.rollup_dirty (
    id          bigserial PRIMARY KEY,
    account_id  int       NOT NULL,
    hour        timestamp NOT NULL
);
CREATE INDEX rollup_dirty_account_hour ON reports_internal.rollup_dirty (account_id, hour);
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
               n bigint, v_n bigint, v_sum numeric, b_n bigint, b_sum numeric, ids int[])
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
    v_team bool := 't' = ANY (dims);
    v_conv text[];
    v_msg int[];
    v_events text[];
BEGIN
    SELECT array_agg(m.name) FILTER (WHERE m.source = 'conversations'),
           array_agg(m.message_type) FILTER (WHERE m.source = 'messages'),
           array_agg(m.event_name) FILTER (WHERE m.source = 'events')
    INTO v_conv, v_msg, v_events
    FROM reports_internal.metric m
    WHERE compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics);

    -- Conversations: agent = assignee, inbox, team = its team.
    IF v_conv IS NOT NULL THEN
        RETURN QUERY
        SELECT c.account_id, reports_internal.group_of(c.created_at, v_period, v_tz), d.dim, d.key, m.name,
               count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::int[]
        FROM unnest(from_ts, to_ts) r(f, t)
        JOIN public.conversations c ON c.created_at >= r.f AND c.created_at < r.t
        JOIN reports_internal.metric m ON m.name = ANY (v_conv)
        CROSS JOIN LATERAL (VALUES ('a'::"char", ''::text), ('g', c.assignee_id::text), ('i', c.inbox_id::text),
                                   ('t', c.team_id::text)) d(dim, key)
        WHERE (v_account IS NULL OR c.account_id = v_account) AND c.account_id IS NOT NULL
          AND d.dim = ANY (v_plain) AND d.key IS NOT NULL AND (v_key IS NULL OR d.key = v_key)
        GROUP BY 1, 2, 3, 4, 5;
        IF v_labels THEN
            RETURN QUERY
            SELECT c.account_id, reports_internal.group_of(c.created_at, v_period, v_tz), 'l'::"char", l.label, m.name,
                   count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::int[]
            FROM unnest(from_ts, to_ts) r(f, t)
            JOIN public.conversations c ON c.created_at >= r.f AND c.created_at < r.t
            JOIN reports_internal.metric m ON m.name = ANY (v_conv)
            CROSS JOIN LATERAL reports_internal.conversation_labels(c.id) l
            WHERE (v_account IS NULL OR c.account_id = v_account) AND c.account_id IS NOT NULL
              AND (v_key IS NULL OR l.label = v_key)
            GROUP BY 1, 2, 3, 4, 5;
        END IF;
    END IF;

    -- Messages of a registered type: agent = the sending user, inbox, team/labels of the conversation.
    IF v_msg IS NOT NULL THEN
        RETURN QUERY
        SELECT x.account_id, reports_internal.group_of(x.created_at, v_period, v_tz), d.dim, d.key, m.name,
               count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::int[]
        FROM (SELECT msg.account_id, msg.created_at, msg.message_type, msg.inbox_id, msg.conversation_id,
                     CASE WHEN msg.sender_type = 'User' THEN msg.sender_id END AS agent
              FROM unnest(from_ts, to_ts) r(f, t)
              JOIN public.messages msg ON msg.created_at >= r.f AND msg.created_at < r.t
              WHERE (v_account IS NULL OR msg.account_id = v_account) AND msg.account_id IS NOT NULL
                AND msg.message_type = ANY (v_msg)) x
        JOIN reports_internal.metric m ON m.source = 'messages' AND m.message_type = x.message_type
                                      AND (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics))
        LEFT JOIN public.conversations c ON v_team AND c.id = x.conversation_id AND c.account_id = x.account_id
        CROSS JOIN LATERAL (VALUES ('a'::"char", ''::text), ('g', x.agent::text), ('i', x.inbox_id::text),
                                   ('t', c.team_id::text)) d(dim, key)
        WHERE d.dim = ANY (v_plain) AND d.key IS NOT NULL AND (v_key IS NULL OR d.key = v_key)
        GROUP BY 1, 2, 3, 4, 5;
        IF v_labels THEN
            RETURN QUERY
            SELECT msg.account_id, reports_internal.group_of(msg.created_at, v_period, v_tz), 'l'::"char", l.label, m.name,
                   count(*), 0::bigint, 0::numeric, 0::bigint, 0::numeric, NULL::int[]
            FROM unnest(from_ts, to_ts) r(f, t)
            JOIN public.messages msg ON msg.created_at >= r.f AND msg.created_at < r.t
            JOIN reports_internal.metric m ON m.source = 'messages' AND m.message_type = msg.message_type
                                          AND (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics))
            JOIN public.conversations c ON c.id = msg.conversation_id AND c.account_id = msg.account_id
            CROSS JOIN LATERAL reports_internal.conversation_labels(c.id) l
            WHERE (v_account IS NULL OR msg.account_id = v_account) AND msg.account_id IS NOT NULL
              AND msg.message_type = ANY (v_msg) AND (v_key IS NULL OR l.label = v_key)
            GROUP BY 1, 2, 3, 4, 5;
        END IF;
    END IF;

    -- Reporting events of a registered name: agent = the event's user, inbox, team/labels of the
    -- conversation. Values less the recorded waits where the metric says so; distinct metrics
    -- keep the ids of the conversations that exist.
    IF v_events IS NOT NULL THEN
        RETURN QUERY
        SELECT x.account_id, reports_internal.group_of(x.created_at, v_period, v_tz), d.dim, d.key, x.metric,
               count(*), count(x.val), sum(reports_internal.to_us(x.val)), count(x.bh), sum(reports_internal.to_us(x.bh)),
               CASE WHEN x.distinct_ids THEN coalesce(array_agg(DISTINCT x.existing) FILTER (WHERE x.existing IS NOT NULL), '{}') END
        FROM (SELECT e.account_id, e.created_at, e.user_id, e.inbox_id, m.name AS metric,
                     m.kind = 'distinct_conversations' AS distinct_ids,
                     CASE WHEN m.kind = 'average' THEN e.value - coalesce(w.wait_seconds, 0) END AS val,
                     CASE WHEN m.kind = 'average' THEN e.value_in_business_hours - coalesce(w.wait_business_seconds, 0) END AS bh,
                     c.id AS existing, CASE WHEN c.account_id = e.account_id THEN c.team_id END AS team
              FROM unnest(from_ts, to_ts) r(f, t)
              JOIN public.reporting_events e ON e.created_at >= r.f AND e.created_at < r.t
              JOIN reports_internal.metric m ON m.source = 'events' AND m.event_name = e.name
                                            AND (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics))
              LEFT JOIN reports.event_waits w ON m.subtract_waits AND w.event_id = e.id
              LEFT JOIN public.conversations c ON (v_team OR m.kind = 'distinct_conversations') AND c.id = e.conversation_id
              WHERE (v_account IS NULL OR e.account_id = v_account) AND e.account_id IS NOT NULL
                AND e.name = ANY (v_events)) x
        CROSS JOIN LATERAL (VALUES ('a'::"char", ''::text), ('g', x.user_id::text), ('i', x.inbox_id::text),
                                   ('t', x.team::text)) d(dim, key)
        WHERE d.dim = ANY (v_plain) AND d.key IS NOT NULL AND (v_key IS NULL OR d.key = v_key)
        GROUP BY 1, 2, 3, 4, 5, x.distinct_ids;
        IF v_labels THEN
            RETURN QUERY
            SELECT e.account_id, reports_internal.group_of(e.created_at, v_period, v_tz), 'l'::"char", l.label, m.name,
                   count(*), count(v.val), sum(reports_internal.to_us(v.val)), count(v.bh), sum(reports_internal.to_us(v.bh)),
                   CASE WHEN m.kind = 'distinct_conversations' THEN coalesce(array_agg(DISTINCT c.id), '{}') END
            FROM unnest(from_ts, to_ts) r(f, t)
            JOIN public.reporting_events e ON e.created_at >= r.f AND e.created_at < r.t
            JOIN reports_internal.metric m ON m.source = 'events' AND m.event_name = e.name
                                          AND (compute_parts.metrics IS NULL OR m.name = ANY (compute_parts.metrics))
            LEFT JOIN reports.event_waits w ON m.subtract_waits AND w.event_id = e.id
            JOIN public.conversations c ON c.id = e.conversation_id AND c.account_id = e.account_id
            CROSS JOIN LATERAL (VALUES (CASE WHEN m.kind = 'average' THEN e.value - coalesce(w.wait_seconds, 0) END,
                                        CASE WHEN m.kind = 'average'
                                             THEN e.value_in_business_hours - coalesce(w.wait_business_seconds, 0) END)) v(val, bh)
            CROSS JOIN LATERAL reports_internal.conversation_labels(c.id) l
            WHERE (v_account IS NULL OR e.account_id = v_account) AND e.account_id IS NOT NULL
              AND e.name = ANY (v_events) AND (v_key IS NULL OR l.label = v_key)
            GROUP BY 1, 2, 3, 4, 5, m.kind;
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION reports_internal.compute_parts(int, timestamp[], timestamp[], "char"[], text, text[], text, text) IS
'The registered metrics'' additive parts from the raw tables: per group, dimension and key, over UTC ranges of one account or all.';

-- A conversation's labels as the label scope matches them: its tags in any tagging context,
-- lower-cased, once each.
CREATE FUNCTION reports_internal.conversation_labels(conversation_id int)
RETURNS TABLE (label text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT DISTINCT lower(g.name)
    FROM public.taggings t JOIN public.tags g ON g.id = t.tag_id
    WHERE t.taggable_id = conversation_labels.conversation_id AND t.taggable_type = 'Conversation'
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
        WHERE r.account_id = k.a AND r.hour = k.h;
        -- each account's changed hours as ranges of its own
        FOR v_account, v_account_hours IN
            SELECT k.a, array_agg(k.h ORDER BY k.h) FROM unnest(v_accounts, v_hours) k(a, h) GROUP BY k.a
        LOOP
            INSERT INTO reports_internal.rollup
            SELECT p.account_id, p.grp, p.dim, p.key, p.metric, p.n, p.v_n, coalesce(p.v_sum, 0), p.b_n,
                   coalesce(p.b_sum, 0), p.ids
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
        DELETE FROM reports_internal.rollup r WHERE r.hour >= v_old AND r.hour < v_new;
        INSERT INTO reports_internal.rollup
        SELECT p.account_id, p.grp, p.dim, p.key, p.metric, p.n, p.v_n, coalesce(p.v_sum, 0), p.b_n,
               coalesce(p.b_sum, 0), p.ids
        FROM reports_internal.compute_parts(NULL, ARRAY[v_old], ARRAY[v_new], '{a,g,i,t,l}') p;
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

-- Every report's read path: the parts of some metrics of one account over [since, until) (UTC),
-- for one dimension (and optionally one key), per group (see group_of; period 'range' gives one
-- group). Whole hours come from the rollup where it holds them and no bucket boundary cuts them;
-- everything else from compute_parts over the raw rows. For distinct_conversations metrics n is
-- the number of distinct conversations over the whole group.
CREATE FUNCTION reports_internal.parts(account_id int, since timestamp, until timestamp, dim "char",
                                       only_key text, metrics text[], period text DEFAULT 'range',
                                       tz text DEFAULT 'UTC')
RETURNS TABLE (grp timestamp, key text, metric text, n bigint, v_n bigint, v_sum numeric, b_n bigint, b_sum numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := parts.account_id;
    v_dim "char" := parts.dim;
    v_key text := parts.only_key;
    v_period text := parts.period;
    v_tz text := parts.tz;
    v_covered timestamp;
    r1 timestamp;  -- rolled-up hours: [r1, r2) less v_raw_hours
    r2 timestamp;
    v_raw_hours timestamp[] := '{}';
    v_buckets reports.series_bucket[];  -- the report's buckets, for the hours their boundaries cut
    v_from timestamp[];
    v_to timestamp[];
BEGIN
    SELECT s.covered_until INTO v_covered FROM reports.rollup_state s;
    r1 := date_trunc('hour', since);
    IF r1 < since THEN r1 := r1 + interval '1 hour'; END IF;
    r2 := least(date_trunc('hour', until), v_covered);
    -- An hourly series past the bucket limit (reports.heatmap over decades) is read raw whole.
    IF v_period = 'hour' AND until - since > interval '99000 hours' THEN
        r2 := r1;
    END IF;
    IF r2 > r1 AND v_period <> 'range' THEN
        SELECT reports.series_agg(NULL::timestamptz, NULL::float8, v_period, v_tz, since AT TIME ZONE 'UTC',
                                  until AT TIME ZONE 'UTC') INTO v_buckets;
    END IF;
    IF r2 > r1 THEN
        -- hours changed since they were rolled up, and hours a bucket boundary cuts
        v_raw_hours := ARRAY(
            SELECT DISTINCT d.hour FROM reports_internal.rollup_dirty d
            WHERE d.account_id = v_account AND d.hour >= r1 AND d.hour < r2
            UNION
            SELECT date_trunc('hour', b.bucket AT TIME ZONE 'UTC')
            FROM unnest(v_buckets) b
            WHERE date_trunc('hour', b.bucket AT TIME ZONE 'UTC') <> b.bucket AT TIME ZONE 'UTC'
              AND b.bucket AT TIME ZONE 'UTC' > r1 AND b.bucket AT TIME ZONE 'UTC' < r2
            ORDER BY 1);
        v_from := ARRAY[since, r2] || v_raw_hours;
        v_to := ARRAY[r1, until] || ARRAY(SELECT h + interval '1 hour' FROM unnest(v_raw_hours) h);
    ELSE
        r1 := NULL;
        r2 := NULL;
        v_from := ARRAY[since];
        v_to := ARRAY[until];
    END IF;

    RETURN QUERY
    WITH p AS MATERIALIZED (
        SELECT reports_internal.group_of(r.hour, v_period, v_tz) AS grp, r.key, r.metric, r.n, r.v_n,
               r.v_sum::numeric AS v_sum, r.b_n, r.b_sum::numeric AS b_sum, r.ids
        FROM reports_internal.rollup r
        WHERE r.account_id = v_account AND r.dim = v_dim AND (v_key IS NULL OR r.key = v_key)
          AND r.hour >= r1 AND r.hour < r2 AND r.hour <> ALL (v_raw_hours)
          AND r.metric = ANY (parts.metrics)
        UNION ALL
        SELECT c.grp, c.key, c.metric, c.n, c.v_n, c.v_sum, c.b_n, c.b_sum, c.ids
        FROM reports_internal.compute_parts(v_account, v_from, v_to, ARRAY[v_dim], v_key, parts.metrics,
                                            v_period, v_tz) c
    ), distinct_ids AS (
        SELECT p.grp, p.key, p.metric, count(DISTINCT u.id) AS n
        FROM p CROSS JOIN LATERAL unnest(p.ids) u(id)
        WHERE p.ids IS NOT NULL
        GROUP BY 1, 2, 3
    )
    SELECT a.grp, a.key, a.metric, CASE WHEN a.has_ids THEN coalesce(d.n, 0) ELSE a.n END,
           a.v_n, a.v_sum, a.b_n, a.b_sum
    FROM (SELECT p.grp, p.key, p.metric, sum(p.n)::bigint AS n, sum(p.v_n)::bigint AS v_n, sum(p.v_sum) AS v_sum,
                 sum(p.b_n)::bigint AS b_n, sum(p.b_sum) AS b_sum, bool_or(p.ids IS NOT NULL) AS has_ids
          FROM p GROUP BY 1, 2, 3) a
    LEFT JOIN distinct_ids d ON d.grp = a.grp AND d.key = a.key AND d.metric = a.metric;
END
$$;
COMMENT ON FUNCTION reports_internal.parts(int, timestamp, timestamp, "char", text, text[], text, text) IS
'The read path of every report: metric parts per group and key, whole hours from the rollup, the rest from the raw rows.';

-- A metric's value from its combined parts: counts are n; averages the exact mean of the values
-- (value_in_business_hours ones with business_hours), NULL without values.
CREATE FUNCTION reports_internal.part_value(kind text, n bigint, v_n bigint, v_sum numeric, b_n bigint,
                                            b_sum numeric, business_hours bool)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN kind <> 'average' THEN n::float8
                WHEN business_hours THEN reports_internal.mean_seconds(b_sum, b_n)
                ELSE reports_internal.mean_seconds(v_sum, v_n) END
$$;
