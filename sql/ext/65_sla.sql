-------------------------------------------------------------------------------------------------
-- SLA reports, from Chatwoot's enterprise tables sla_policies, applied_slas and sla_events. The
-- hit/miss decision is Chatwoot's own (applied_slas.sla_status, written by its scheduler); these
-- functions only report it. A database without those tables (Chatwoot before SLAs, or the
-- community edition) still installs the extension: the functions then raise 42P01 naming the
-- missing table, and reports-server answers those routes 404, as a Chatwoot without SLAs does.
-------------------------------------------------------------------------------------------------

-- Raises 42P01 unless Chatwoot's three SLA tables exist.
CREATE FUNCTION reports_internal.check_sla_tables()
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['sla_policies', 'applied_slas', 'sla_events'] LOOP
        IF to_regclass('public.' || t) IS NULL THEN
            RAISE EXCEPTION 'SLA reports need Chatwoot''s table public.%, which this database lacks', t
                USING ERRCODE = '42P01',
                      HINT = 'SLA policies are a Chatwoot enterprise feature; sql/chatwoot_schema.sql creates the tables for a standalone database.';
        END IF;
    END LOOP;
END
$$;

-- One row per applied SLA of the account with Chatwoot's filters (each NULL = no filter): the
-- applied SLA's creation time in [since, until) (either bound NULL: open on that side), the
-- policy, the conversation's assignee (agent_ids), inbox and team, and `label` as a substring of
-- the conversation's cached_label_list (taken literally; Chatwoot's LIKE would read % and _ as
-- wildcards). Conversations of blocked contacts are left out, as in every Chatwoot SLA report.
-- Due times are the conversation's created_at (waiting_since for the next response) plus the
-- policy's threshold cut to whole seconds, NULL when the threshold is not set; for a policy that
-- counts only business hours in an inbox with working hours they are NULL (their wall-clock
-- instant depends on the schedule; the miss decision itself is Chatwoot's, in sla_status).
-- sla_events: the breaches, oldest first, as [{id, event_type, meta, created_at, updated_at}]
-- with unix times; breached_events their types in that order.
CREATE FUNCTION reports.sla_responses(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL,
                                      sla_policy_id int DEFAULT NULL, agent_ids int[] DEFAULT NULL,
                                      inbox_id int DEFAULT NULL, team_id int DEFAULT NULL, label text DEFAULT NULL)
RETURNS TABLE (id bigint, sla_id bigint, sla_status text, created_at timestamptz, updated_at timestamptz,
               sla_name text, sla_description text, first_response_time_threshold float8,
               next_response_time_threshold float8, only_during_business_hours bool,
               resolution_time_threshold float8, frt_due_at timestamptz, nrt_due_at timestamptz,
               rt_due_at timestamptz, conversation_id bigint, conversation_display_id int, contact_name text,
               labels text, assignee_id bigint, assignee_name text, assignee_available_name text,
               assignee_availability text, team_name text, inbox_name text, breached_events text[],
               sla_events jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    IF sla_responses.account_id IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports_internal.check_range(sla_responses.since, sla_responses.until, false);
    PERFORM reports_internal.check_sla_tables();
    RETURN QUERY
    SELECT a.id, a.sla_policy_id,
           CASE a.sla_status WHEN 0 THEN 'active' WHEN 1 THEN 'hit' WHEN 2 THEN 'missed'
                             WHEN 3 THEN 'active_with_misses' END,
           a.created_at AT TIME ZONE 'UTC', a.updated_at AT TIME ZONE 'UTC',
           p.name::text, p.description::text, p.first_response_time_threshold, p.next_response_time_threshold,
           coalesce(p.only_during_business_hours, false), p.resolution_time_threshold,
           CASE WHEN NOT bd.business_due
                THEN (c.created_at + make_interval(secs => trunc(p.first_response_time_threshold))) AT TIME ZONE 'UTC' END,
           CASE WHEN NOT bd.business_due
                THEN (c.waiting_since + make_interval(secs => trunc(p.next_response_time_threshold))) AT TIME ZONE 'UTC' END,
           CASE WHEN NOT bd.business_due
                THEN (c.created_at + make_interval(secs => trunc(p.resolution_time_threshold))) AT TIME ZONE 'UTC' END,
           c.id::bigint, c.display_id, k.name::text, c.cached_label_list,
           u.id::bigint, u.name::text, coalesce(nullif(u.display_name, ''), u.name)::text,
           CASE WHEN u.id IS NOT NULL THEN reports_internal.availability_name(au.availability) END,
           t.name::text, i.name::text,
           coalesce(ev.types, '{}'), coalesce(ev.list, '[]')
    FROM public.applied_slas a
    JOIN public.sla_policies p ON p.id = a.sla_policy_id AND p.account_id = sla_responses.account_id
    JOIN public.conversations c ON c.id = a.conversation_id AND c.account_id = sla_responses.account_id
    LEFT JOIN public.contacts k ON k.id = c.contact_id AND k.account_id = sla_responses.account_id
    LEFT JOIN public.inboxes i ON i.id = c.inbox_id AND i.account_id = sla_responses.account_id
    LEFT JOIN public.teams t ON t.id = c.team_id AND t.account_id = sla_responses.account_id
    LEFT JOIN public.account_users au ON au.user_id = c.assignee_id AND au.account_id = sla_responses.account_id
    LEFT JOIN public.users u ON u.id = au.user_id
    LEFT JOIN LATERAL (
        SELECT array_agg(x.type ORDER BY x.created_at, x.id) AS types,
               jsonb_agg(jsonb_build_object('id', x.id, 'event_type', x.type, 'meta', coalesce(x.meta, '{}'),
                                            'created_at', floor(extract(epoch FROM x.created_at))::bigint,
                                            'updated_at', floor(extract(epoch FROM x.updated_at))::bigint)
                         ORDER BY x.created_at, x.id) AS list
        FROM (SELECT e.id, e.meta, e.created_at, e.updated_at,
                     CASE e.event_type WHEN 0 THEN 'frt' WHEN 1 THEN 'nrt' WHEN 2 THEN 'rt' END AS type
              FROM public.sla_events e
              WHERE e.applied_sla_id = a.id AND e.account_id = sla_responses.account_id) x
    ) ev ON true
    -- a policy counting business hours has no wall-clock due time where the inbox keeps working hours
    CROSS JOIN LATERAL (SELECT coalesce(p.only_during_business_hours, false) AND coalesce(i.working_hours_enabled, false)
                               AS business_due) bd
    WHERE a.account_id = sla_responses.account_id
      AND NOT coalesce(k.blocked, false)
      AND (sla_responses.since IS NULL OR a.created_at >= sla_responses.since AT TIME ZONE 'UTC')
      AND (sla_responses.until IS NULL OR a.created_at < sla_responses.until AT TIME ZONE 'UTC')
      AND (sla_responses.sla_policy_id IS NULL OR a.sla_policy_id = sla_responses.sla_policy_id)
      AND (sla_responses.agent_ids IS NULL OR c.assignee_id = ANY (sla_responses.agent_ids))
      AND (sla_responses.inbox_id IS NULL OR c.inbox_id = sla_responses.inbox_id)
      AND (sla_responses.team_id IS NULL OR c.team_id = sla_responses.team_id)
      AND (sla_responses.label IS NULL OR strpos(c.cached_label_list, sla_responses.label) > 0)
    ORDER BY a.created_at, a.id;
END
$$;
COMMENT ON FUNCTION reports.sla_responses(int, timestamptz, timestamptz, int, int[], int, int, text) IS
'One row per applied SLA of the account (Chatwoot''s filters; blocked contacts left out): status, policy, due times, conversation, assignee, team, inbox and the breaches (sla_events). 42P01 when the SLA tables are missing.';

-- Chatwoot's SLA metrics over the same rows as sla_responses: number_of_conversations = applied
-- SLAs, number_of_sla_misses = those missed or active_with_misses, hit_rate = the share not
-- missed in percent rounded to 2 decimals, 100 when nothing was missed (no applied SLA included).
CREATE FUNCTION reports.sla_metrics(account_id int, since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL,
                                    sla_policy_id int DEFAULT NULL, agent_ids int[] DEFAULT NULL,
                                    inbox_id int DEFAULT NULL, team_id int DEFAULT NULL, label text DEFAULT NULL)
RETURNS TABLE (hit_rate float8, number_of_sla_misses bigint, number_of_conversations bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN x.misses = 0 THEN 100
                ELSE round((x.total - x.misses) * 100.0 / x.total, 2) END::float8,
           x.misses, x.total
    FROM (SELECT count(*) FILTER (WHERE r.sla_status IN ('missed', 'active_with_misses')) AS misses, count(*) AS total
          FROM reports.sla_responses(sla_metrics.account_id, sla_metrics.since, sla_metrics.until,
                                     sla_metrics.sla_policy_id, sla_metrics.agent_ids, sla_metrics.inbox_id,
                                     sla_metrics.team_id, sla_metrics.label) r) x
$$;
COMMENT ON FUNCTION reports.sla_metrics(int, timestamptz, timestamptz, int, int[], int, int, text) IS
'Chatwoot''s SLA metrics: hit_rate (% of applied SLAs not missed, 2 decimals; 100 when none missed), number_of_sla_misses, number_of_conversations (applied SLAs), over the rows of reports.sla_responses.';
