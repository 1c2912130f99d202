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

