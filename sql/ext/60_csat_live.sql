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
