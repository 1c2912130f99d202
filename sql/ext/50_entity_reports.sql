-------------------------------------------------------------------------------------------------
-- Per-entity reports (agents, inboxes, teams, labels), Chatwoot's summary_reports, the inbox x
-- label matrix, bot metrics and outgoing message counts.
-------------------------------------------------------------------------------------------------

-- Summary-report metrics of one dimension (agent, inbox or team), keyed by the entity id:
-- conversations created in range by assignee / inbox / current team, and the events of the range
-- by user / inbox / the conversation's current team, from the rollup's read path (the quantiles
-- from their averages' sketches); reopens and one-touch resolutions by the conversation's current
-- assignee, inbox or team. summary_only: only the columns of Chatwoot's summary_reports.
CREATE FUNCTION reports_internal.dimension_metrics(account_id int, dimension text, since timestamptz, until timestamptz,
                                                   business_hours bool DEFAULT false, summary_only bool DEFAULT false)
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
    -- Chatwoot's summary_reports columns only (the others come out NULL): no quantile sketches to merge.
    IF dimension_metrics.summary_only THEN
        v_metrics := ARRAY['conversations_count', 'resolutions_count', 'avg_resolution_time', 'avg_first_response_time',
                           'reply_time'];
    END IF;
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
-- range: the cohort metrics. Missing values are 0, as Chatwoot reports them. NULL since/until: no
-- date filter. Beyond Chatwoot's columns: the quantiles of the same events as the averages (NULL
-- when none), and the reopens and one-touch resolutions of the label's conversations. All of it
-- from the rollup's read path, by the conversations' current labels.
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
BEGIN
    PERFORM reports_internal.check_range(label_report.since, label_report.until, false);
    RETURN QUERY
    WITH v AS (
        SELECT v.key, v.metric AS name, v.value
        FROM reports_internal.metric_values(v_account, v_since, v_until, 'l', NULL,
                 ARRAY['conversations_count', 'resolutions_count', 'cohort_avg_resolution_time',
                       'cohort_avg_first_response_time', 'cohort_reply_time', 'incoming_messages_count',
                       'outgoing_messages_count', 'cohort_median_first_response_time', 'cohort_p90_first_response_time',
                       'cohort_median_resolution_time', 'cohort_p90_resolution_time', 'cohort_median_reply_time',
                       'cohort_p90_reply_time', 'reopened_count', 'reopen_rate', 'one_touch_resolution_rate'],
                 coalesce(label_report.business_hours, false)) v
    ), k AS (
        SELECT v.key,
               max(v.value) FILTER (WHERE v.name = 'conversations_count')::bigint AS conversations,
               max(v.value) FILTER (WHERE v.name = 'resolutions_count')::bigint AS resolved,
               max(v.value) FILTER (WHERE v.name = 'cohort_avg_resolution_time') AS rt,
               max(v.value) FILTER (WHERE v.name = 'cohort_avg_first_response_time') AS frt,
               max(v.value) FILTER (WHERE v.name = 'cohort_reply_time') AS reply,
               max(v.value) FILTER (WHERE v.name = 'incoming_messages_count')::bigint AS incoming,
               max(v.value) FILTER (WHERE v.name = 'outgoing_messages_count')::bigint AS outgoing,
               max(v.value) FILTER (WHERE v.name = 'cohort_median_first_response_time') AS median_frt,
               max(v.value) FILTER (WHERE v.name = 'cohort_p90_first_response_time') AS p90_frt,
               max(v.value) FILTER (WHERE v.name = 'cohort_median_resolution_time') AS median_rt,
               max(v.value) FILTER (WHERE v.name = 'cohort_p90_resolution_time') AS p90_rt,
               max(v.value) FILTER (WHERE v.name = 'cohort_median_reply_time') AS median_reply,
               max(v.value) FILTER (WHERE v.name = 'cohort_p90_reply_time') AS p90_reply,
               max(v.value) FILTER (WHERE v.name = 'reopened_count')::bigint AS reopened,
               max(v.value) FILTER (WHERE v.name = 'reopen_rate') AS reopen_rate,
               max(v.value) FILTER (WHERE v.name = 'one_touch_resolution_rate') AS one_touch_rate
        FROM v GROUP BY v.key
    )
    SELECT lab.id, lab.title::text, coalesce(k.conversations, 0), coalesce(k.resolved, 0),
           coalesce(k.rt, 0), coalesce(k.frt, 0), coalesce(k.reply, 0),
           coalesce(k.incoming, 0), coalesce(k.outgoing, 0), coalesce(k.resolved, 0),
           k.median_frt, k.p90_frt, k.median_rt, k.p90_rt, k.median_reply, k.p90_reply,
           coalesce(k.reopened, 0), k.reopen_rate, k.one_touch_rate
    FROM public.labels lab
    LEFT JOIN k ON k.key = lower(lab.title)
    WHERE lab.account_id = v_account
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
    WHEN 'agent', 'inbox', 'team' THEN
        -- the rows of the entity reports (agent_report, inbox_report, team_report), with their
        -- summary columns only
        RETURN QUERY
        SELECT e.id, e.name, coalesce(m.conversations_count, 0), coalesce(m.resolved_conversations_count, 0),
               m.avg_resolution_time, m.avg_first_response_time, m.avg_reply_time
        FROM (SELECT u.id::bigint, u.name::text FROM public.account_users au JOIN public.users u ON u.id = au.user_id
              WHERE summary_by.dimension = 'agent' AND au.account_id = summary_by.account_id
              UNION ALL
              SELECT i.id::bigint, i.name::text FROM public.inboxes i
              WHERE summary_by.dimension = 'inbox' AND i.account_id = summary_by.account_id
              UNION ALL
              SELECT t.id, t.name::text FROM public.teams t
              WHERE summary_by.dimension = 'team' AND t.account_id = summary_by.account_id) e
        LEFT JOIN reports_internal.dimension_metrics(summary_by.account_id, summary_by.dimension, summary_by.since,
                                                     summary_by.until, summary_by.business_hours, true) m ON m.key = e.id
        ORDER BY e.id;
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
