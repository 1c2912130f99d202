-- check_demo_data.sql: consistency checks of a database loaded by support-reports-demo-data.
--
--   psql -X -v ON_ERROR_STOP=1 -f tools/demo_data/check_demo_data.sql "$DB"
--
-- (psql only: it uses \gset and \if to add checks when the support_reports extension is present.)
-- Prints one row per check with its number of failures and raises an error when any check
-- fails. The first_response / reply_time check does not trust the generator: it replays
-- Chatwoot's rules (Message#update_waiting_since, valid_first_reply?, last_non_human_activity)
-- over the messages table and compares with reporting_events. Runs in a few seconds on 20k
-- events; on millions of rows expect minutes.

CREATE TEMP TABLE demo_check (check_name text, failures bigint);

-- Chatwoot's first_response / reply_time, replayed from messages and status events.
CREATE FUNCTION pg_temp.replay_response_events()
RETURNS TABLE (name text, conversation_id int, start_t timestamp, end_t timestamp, user_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    cur int := -1;
    created timestamp;
    ws timestamp;            -- conversations.waiting_since
    first_done boolean;      -- conversations.first_reply_created_at IS NOT NULL
    lnha_open timestamp;     -- latest conversation_bot_handoff / conversation_opened end
    lnha_bot timestamp;      -- last conversation_bot_resolved end
BEGIN
    FOR r IN
        SELECT * FROM (
            SELECT m.conversation_id AS cid, m.created_at AS t, 1 AS kind, m.message_type, m.private,
                   m.sender_type, m.sender_id, NULL::text AS ename
            FROM messages m
            UNION ALL
            SELECT e.conversation_id, e.event_end_time, 0, NULL, NULL, NULL, NULL, e.name
            FROM reporting_events e
            WHERE e.name IN ('conversation_resolved', 'conversation_opened', 'conversation_bot_handoff',
                             'conversation_bot_resolved')
        ) x
        ORDER BY cid, t, kind
    LOOP
        IF r.cid <> cur THEN
            cur := r.cid;
            SELECT c.created_at INTO created FROM conversations c WHERE c.id = cur;
            ws := created;  -- Conversation#ensure_waiting_since
            first_done := false;
            lnha_open := NULL;
            lnha_bot := NULL;
        END IF;
        IF r.kind = 0 THEN
            IF r.ename = 'conversation_resolved' THEN
                ws := NULL;
            ELSIF r.ename = 'conversation_bot_resolved' THEN
                lnha_bot := r.t;
            ELSE
                lnha_open := greatest(lnha_open, r.t);
            END IF;
        ELSIF r.message_type = 0 THEN
            IF ws IS NULL THEN ws := r.t; END IF;
        ELSIF r.message_type = 1 AND NOT r.private THEN
            IF r.sender_type = 'User' THEN
                IF NOT first_done THEN
                    name := 'first_response'; conversation_id := cur;
                    start_t := coalesce(lnha_open, lnha_bot, created); end_t := r.t; user_id := r.sender_id;
                    RETURN NEXT;
                    first_done := true;
                    ws := NULL;
                ELSIF ws IS NOT NULL THEN
                    name := 'reply_time'; conversation_id := cur; start_t := ws; end_t := r.t; user_id := NULL;
                    RETURN NEXT;
                    ws := NULL;
                END IF;
            ELSIF r.sender_type = 'AgentBot' THEN
                ws := NULL;
            END IF;
        END IF;
    END LOOP;
END
$$;

CREATE TEMP TABLE replayed AS SELECT * FROM pg_temp.replay_response_events();

INSERT INTO demo_check
SELECT 'first_response/reply_time events missing vs replay', count(*) FROM (
    SELECT name, conversation_id, start_t, end_t FROM replayed
    EXCEPT SELECT name, conversation_id, event_start_time, event_end_time FROM reporting_events
    WHERE name IN ('first_response', 'reply_time')) x
UNION ALL
SELECT 'first_response/reply_time events not explained by replay', count(*) FROM (
    SELECT name, conversation_id, event_start_time, event_end_time FROM reporting_events
    WHERE name IN ('first_response', 'reply_time')
    EXCEPT SELECT name, conversation_id, start_t, end_t FROM replayed) x
UNION ALL
SELECT 'first_response user_id = replying agent', count(*)
FROM reporting_events e JOIN replayed r ON r.name = 'first_response' AND r.conversation_id = e.conversation_id
WHERE e.name = 'first_response' AND e.user_id IS DISTINCT FROM r.user_id::int
UNION ALL
SELECT 'value = end - start in whole seconds (to_i)', count(*) FROM reporting_events
WHERE value <> floor(extract(epoch FROM event_end_time)) - floor(extract(epoch FROM event_start_time))
  AND NOT (name = 'conversation_opened' AND value = 0)  -- checked below
UNION ALL
SELECT 'created_at = updated_at = event_end_time', count(*) FROM reporting_events
WHERE created_at <> event_end_time OR updated_at <> created_at
UNION ALL
SELECT 'account_id/inbox_id of events = the conversation''s', count(*)
FROM reporting_events e JOIN conversations c ON c.id = e.conversation_id
WHERE e.account_id <> c.account_id OR e.inbox_id <> c.inbox_id
UNION ALL
SELECT 'resolved/bot_resolved/bot_handoff start at conversation creation', count(*)
FROM reporting_events e JOIN conversations c ON c.id = e.conversation_id
WHERE e.name IN ('conversation_resolved', 'conversation_bot_resolved', 'conversation_bot_handoff')
  AND e.event_start_time <> c.created_at
UNION ALL
SELECT 'conversation_opened: 0 from creation, else since the last resolution', count(*)
FROM reporting_events e JOIN conversations c ON c.id = e.conversation_id
LEFT JOIN LATERAL (SELECT max(r.event_end_time) AS last_end FROM reporting_events r
                   WHERE r.conversation_id = e.conversation_id AND r.name = 'conversation_resolved'
                     AND r.id < e.id) lr ON true
WHERE e.name = 'conversation_opened'
  AND NOT ((lr.last_end IS NULL AND e.event_start_time = c.created_at AND e.value = 0
            AND e.value_in_business_hours = 0)
        OR (lr.last_end IS NOT NULL AND e.event_start_time = lr.last_end))
UNION ALL
SELECT 'at most one first_response and one bot_handoff per conversation', count(*) FROM (
    SELECT conversation_id, name FROM reporting_events
    WHERE name IN ('first_response', 'conversation_bot_handoff')
    GROUP BY 1, 2 HAVING count(*) > 1) x
UNION ALL
SELECT 'first_reply_created_at = first_response end', count(*)
FROM conversations c LEFT JOIN reporting_events e ON e.conversation_id = c.id AND e.name = 'first_response'
WHERE c.first_reply_created_at IS DISTINCT FROM e.event_end_time
UNION ALL
-- inbox.active_bot?: an active agent_bot_inboxes row or an enabled dialogflow hook.
SELECT 'bot events only in bot inboxes', count(*)
FROM reporting_events e
WHERE e.name IN ('conversation_bot_resolved', 'conversation_bot_handoff')
  AND NOT EXISTS (SELECT 1 FROM agent_bot_inboxes b WHERE b.inbox_id = e.inbox_id AND b.status = 0)
  AND NOT EXISTS (SELECT 1 FROM integrations_hooks h WHERE h.inbox_id = e.inbox_id AND h.app_id = 'dialogflow'
                  AND h.status = 1)
UNION ALL
SELECT 'bot_resolved twin exactly when a bot inbox had no agent message', count(*)
FROM reporting_events e
JOIN inboxes i ON i.id = e.inbox_id
WHERE e.name = 'conversation_resolved'
  AND (EXISTS (SELECT 1 FROM agent_bot_inboxes b WHERE b.inbox_id = i.id AND b.status = 0)
       OR EXISTS (SELECT 1 FROM integrations_hooks h WHERE h.inbox_id = i.id AND h.app_id = 'dialogflow'
                  AND h.status = 1))
  AND (NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = e.conversation_id AND m.message_type = 1
                   AND m.sender_type = 'User' AND m.created_at < e.event_end_time))
      <> EXISTS (SELECT 1 FROM reporting_events b WHERE b.conversation_id = e.conversation_id
                 AND b.name = 'conversation_bot_resolved' AND b.event_end_time = e.event_end_time)
UNION ALL
SELECT 'status resolved <=> last status event is a resolution', count(*)
FROM conversations c
LEFT JOIN LATERAL (SELECT max(event_end_time) FILTER (WHERE name = 'conversation_resolved') AS res,
                          max(event_end_time) FILTER (WHERE name = 'conversation_opened') AS opn
                   FROM reporting_events e WHERE e.conversation_id = c.id) s ON true
LEFT JOIN LATERAL (SELECT max(created_at) AS last_in FROM messages m
                   WHERE m.conversation_id = c.id AND m.message_type = 0) m ON true
WHERE (c.status = 1) <> (s.res IS NOT NULL AND (s.opn IS NULL OR s.res > s.opn) AND m.last_in < s.res)
UNION ALL
SELECT 'resolved conversations have no waiting_since', count(*) FROM conversations
WHERE status = 1 AND waiting_since IS NOT NULL
UNION ALL
SELECT 'display_id is 1..n per account', count(*) FROM (
    SELECT account_id FROM conversations GROUP BY account_id
    HAVING count(DISTINCT display_id) <> count(*) OR min(display_id) <> 1 OR max(display_id) <> count(*)) x
UNION ALL
SELECT 'display_id grows with created_at', count(*) FROM (
    SELECT display_id, lag(display_id) OVER (PARTITION BY account_id ORDER BY created_at, id) AS prev
    FROM conversations) x WHERE prev > display_id
UNION ALL
SELECT 'taggings name a label of the conversation''s account', count(*)
FROM taggings t JOIN tags g ON g.id = t.tag_id JOIN conversations c ON c.id = t.taggable_id
WHERE t.taggable_type <> 'Conversation' OR t.context <> 'labels'
   OR NOT EXISTS (SELECT 1 FROM labels l WHERE l.account_id = c.account_id AND l.title = g.name)
UNION ALL
SELECT 'tags.taggings_count', count(*) FROM tags g
WHERE g.taggings_count <> (SELECT count(*) FROM taggings t WHERE t.tag_id = g.id)
UNION ALL
SELECT 'cached_label_list = the conversation''s taggings', count(*) FROM conversations c
WHERE coalesce(c.cached_label_list, '') <> coalesce((SELECT string_agg(g.name, ', ' ORDER BY t.id)
                                                     FROM taggings t JOIN tags g ON g.id = t.tag_id
                                                     WHERE t.taggable_id = c.id), '')
UNION ALL
SELECT 'csat: survey message is input_csat of the same conversation; agent = assignee', count(*)
FROM csat_survey_responses r
JOIN messages m ON m.id = r.message_id
JOIN conversations c ON c.id = r.conversation_id
WHERE m.content_type <> 9 OR m.conversation_id <> r.conversation_id OR r.contact_id <> c.contact_id
   OR r.account_id <> c.account_id OR r.rating NOT BETWEEN 1 AND 5 OR r.created_at < m.created_at
   OR (r.assigned_agent_id IS DISTINCT FROM c.assignee_id::bigint  -- unless reassigned after a reopen
       AND NOT EXISTS (SELECT 1 FROM messages i WHERE i.conversation_id = c.id AND i.message_type = 0
                       AND i.created_at > m.created_at))
UNION ALL
SELECT 'at most one csat survey per conversation', count(*) FROM (
    SELECT conversation_id FROM messages WHERE content_type = 9 GROUP BY 1 HAVING count(*) > 1) x
UNION ALL
SELECT 'every inbox has 7 working_hours rows', count(*) FROM inboxes i
WHERE (SELECT count(DISTINCT day_of_week) FROM working_hours w WHERE w.inbox_id = i.id) <> 7
UNION ALL
SELECT 'every account has an administrator with an access token', count(*) FROM accounts a
WHERE NOT EXISTS (SELECT 1 FROM account_users au JOIN access_tokens t ON t.owner_type = 'User'
                  AND t.owner_id = au.user_id WHERE au.account_id = a.id AND au.role = 1)
UNION ALL
SELECT 'inbox time zones known to PostgreSQL', count(*) FROM inboxes
WHERE timezone NOT IN (SELECT name FROM pg_timezone_names);

-- With the support_reports extension: the status history loaded by --status-history, and the
-- business-hours values it filled in.
-- (The history is empty when the extension was created after the load; nothing to check then.)
SELECT to_regclass('reports.conversation_status_changes') IS NOT NULL AS has_history_table \gset
\if :has_history_table
SELECT EXISTS (SELECT 1 FROM reports.conversation_status_changes) AS has_history \gset
\else
\set has_history false
\endif
\if :has_history
CREATE TEMP TABLE history AS
SELECT h.*, lag(h.status) OVER w AS prev_row_status, row_number() OVER w AS n,
       count(*) OVER (PARTITION BY h.conversation_id) AS total
FROM reports.conversation_status_changes h
WINDOW w AS (PARTITION BY h.conversation_id ORDER BY h.changed_at, h.id);

INSERT INTO demo_check
SELECT 'history: starts at creation with open, or pending in bot inboxes', count(*)
FROM conversations c LEFT JOIN history h ON h.conversation_id = c.id AND h.n = 1
WHERE h.changed_at IS DISTINCT FROM c.created_at OR h.previous_status IS NOT NULL
   OR h.status <> CASE WHEN EXISTS (SELECT 1 FROM reports_internal.bot_inboxes(c.account_id) b WHERE b.inbox_id = c.inbox_id)
                       THEN 2 ELSE 0 END
UNION ALL
SELECT 'history: each change starts from the previous status', count(*) FROM history
WHERE n > 1 AND previous_status IS DISTINCT FROM prev_row_status
UNION ALL
SELECT 'history: ends in the conversation''s status', count(*)
FROM history h JOIN conversations c ON c.id = h.conversation_id WHERE h.n = h.total AND h.status <> c.status
UNION ALL
SELECT 'history: resolutions and reopenings match the events', count(*) FROM (
    (SELECT conversation_id, changed_at, status FROM history WHERE status = 1 OR (status = 0 AND n > 1)
     EXCEPT ALL
     SELECT conversation_id, event_end_time, CASE name WHEN 'conversation_resolved' THEN 1 ELSE 0 END
     FROM reporting_events WHERE name IN ('conversation_resolved', 'conversation_opened'))
    UNION ALL
    (SELECT conversation_id, event_end_time, CASE name WHEN 'conversation_resolved' THEN 1 ELSE 0 END
     FROM reporting_events WHERE name IN ('conversation_resolved', 'conversation_opened')
     EXCEPT ALL
     SELECT conversation_id, changed_at, status FROM history WHERE status = 1 OR (status = 0 AND n > 1))) x;
\endif

-- Business hours are either all still NULL (as the generator leaves them, apart from Chatwoot's
-- literal 0 of a never-resolved conversation_opened) or all filled by the extension.
SELECT EXISTS (SELECT 1 FROM reporting_events WHERE value_in_business_hours IS NOT NULL
               AND name <> 'conversation_opened') AS has_bh \gset
\if :has_bh
INSERT INTO demo_check
SELECT 'business hours: filled, 0 <= bh <= value (+1 s rounding)', count(*) FROM reporting_events
WHERE value_in_business_hours IS NULL OR value_in_business_hours < 0 OR value_in_business_hours > value + 1
UNION ALL
SELECT 'business hours: 0 when the inbox has working hours disabled', count(*)
FROM reporting_events e JOIN inboxes i ON i.id = e.inbox_id
WHERE NOT i.working_hours_enabled AND e.value_in_business_hours <> 0;
\else
INSERT INTO demo_check
SELECT 'value_in_business_hours left NULL', count(*) FROM reporting_events
WHERE value_in_business_hours IS NOT NULL
  AND NOT (name = 'conversation_opened' AND value = 0 AND value_in_business_hours = 0);
\endif

SELECT check_name, failures FROM demo_check;

DO $$
DECLARE bad bigint;
BEGIN
    SELECT count(*) INTO bad FROM demo_check WHERE failures <> 0;
    IF bad > 0 THEN
        RAISE EXCEPTION 'demo data: % consistency check(s) failed', bad;
    END IF;
END
$$;
