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
