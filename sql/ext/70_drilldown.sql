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
