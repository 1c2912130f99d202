-- reports_crosscheck: the report functions against independent plain-SQL formulations on generated
-- data. Everything happens inside one transaction that is rolled back, so the tests running in
-- parallel (and later ones) never see these rows.
--
-- Data (deterministic: pg_temp.r(g, k) = hashint4(g * 64 + k) & 0x7fffffff), accounts 100..102, ids >= 100000:
--   users 100001..100012 (4 per account); inboxes 100001..100009 (3 per account): kind 0 = UTC, working
--   hours off; kind 1 = America/New_York, working hours ON and open all day every day; kind 2 =
--   Asia/Kolkata, working hours off. So business-hours seconds of any span are the span itself in kind 1
--   and 0 elsewhere, which lets the plain SQL compute business-hours pending time without a kernel.
--   teams 100001..100006 (2 per account); labels xc0, xc1, xc2 in every account (tags are global), plus a
--   tag "XC1" used in context 'other' (a label scope matches tags case-insensitively in any context;
--   label_report only context 'labels').
--   9000 conversations created 2024-02-20 .. 2024-04-10 (New York's DST change on 03-10 inside), 30 %
--   with a pending or snoozed span, 10 % left pending; 27000 messages; 27000 reporting events (all six
--   names, 10 % with value_in_business_hours left to the trigger, some handoffs of conversations that do
--   not exist, some messages sent by users of another account).
-- The plain SQL reads only the public tables and its own copy of the pending spans (xc_spans, made
-- from the same formulas as the UPDATEs), never reports.* helpers or reports.conversation_status_changes.
-- Output: counts of comparisons and of mismatches (must be 0); failing cases are listed at the end.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

BEGIN;
CREATE FUNCTION pg_temp.r(g int, k int) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT hashint4(g * 64 + k)::bigint & 2147483647 $$;

INSERT INTO accounts (id, name, created_at, updated_at)
SELECT a, 'xc account ' || a, '2024-01-01', '2024-01-01' FROM generate_series(100, 102) a;
INSERT INTO users (id, uid, name, email, created_at, updated_at)
SELECT u, 'xc' || u, 'xc user ' || u, 'xc' || u || '@example.test', '2024-01-01', '2024-01-01' FROM generate_series(100001, 100012) u;
INSERT INTO account_users (account_id, user_id, role, availability, created_at, updated_at)
SELECT 100 + (u - 100001) / 4, u, (u % 2), u % 3, '2024-01-01', '2024-01-01' FROM generate_series(100001, 100012) u;
INSERT INTO inboxes (id, channel_id, account_id, name, channel_type, working_hours_enabled, timezone, created_at, updated_at)
SELECT i, i, 100 + (i - 100001) / 3, 'xc inbox ' || i,
       (ARRAY['Channel::WebWidget', 'Channel::Email', 'Channel::Api'])[(i - 100001) % 3 + 1],
       (i - 100001) % 3 = 1, (ARRAY['UTC', 'America/New_York', 'Asia/Kolkata'])[(i - 100001) % 3 + 1],
       '2024-01-01', '2024-01-01'
FROM generate_series(100001, 100009) i;
INSERT INTO working_hours (inbox_id, account_id, day_of_week, closed_all_day, open_hour, open_minutes, close_hour, close_minutes, open_all_day, created_at, updated_at)
SELECT i.id, i.account_id, d, false, 0, 0, 23, 59, true, '2024-01-01', '2024-01-01'
FROM inboxes i, generate_series(0, 6) d WHERE i.id >= 100000 AND i.working_hours_enabled;
INSERT INTO teams (id, name, account_id, created_at, updated_at)
SELECT t, 'xc team ' || t, 100 + (t - 100001) / 2, '2024-01-01', '2024-01-01' FROM generate_series(100001, 100006) t;
INSERT INTO labels (id, title, account_id, created_at, updated_at)
SELECT l, 'xc' || ((l - 100001) % 3), 100 + (l - 100001) / 3, '2024-01-01', '2024-01-01' FROM generate_series(100001, 100009) l;
INSERT INTO tags (id, name) VALUES (100001, 'xc0'), (100002, 'xc1'), (100003, 'xc2'), (100004, 'XC1');

-- Conversations g = 1..12000 (id 100000 + g), account 100 + (g - 1) % 3.
CREATE TEMP TABLE xc_conv ON COMMIT DROP AS
SELECT 100000 + g AS id, g, 100 + (g - 1) % 3 AS acc,
       100001 + ((g - 1) % 3) * 3 + (pg_temp.r(g, 1) % 3)::int AS inbox_id,
       CASE WHEN pg_temp.r(g, 2) % 5 = 0 THEN NULL ELSE 100001 + ((g - 1) % 3) * 4 + (pg_temp.r(g, 2) % 4)::int END AS assignee_id,
       CASE WHEN pg_temp.r(g, 3) % 3 = 0 THEN NULL ELSE 100001 + ((g - 1) % 3) * 2 + (pg_temp.r(g, 3) % 2)::int END AS team_id,
       timestamp '2024-02-20 00:00' + (pg_temp.r(g, 4) % 4320000) * interval '1 second' AS created_at,
       pg_temp.r(g, 5) % 10 AS wait_kind,            -- 0..2: pending/snoozed span, 3: left pending
       pg_temp.r(g, 6) % 20000 AS w1, pg_temp.r(g, 7) % 30000 AS w2, pg_temp.r(g, 8) % 2 AS snoozed,
       pg_temp.r(g, 9) % 100000 AS w3
FROM generate_series(1, 9000) g;
INSERT INTO conversations (id, account_id, inbox_id, status, assignee_id, team_id, display_id, created_at, updated_at)
SELECT id, acc, inbox_id, 0, assignee_id, team_id, g, created_at, created_at FROM xc_conv;
-- Status changes through UPDATEs (the trigger records them).
UPDATE conversations c SET status = CASE WHEN x.snoozed = 1 THEN 3 ELSE 2 END, updated_at = x.created_at + x.w1 * interval '1 second'
FROM xc_conv x WHERE c.id = x.id AND x.wait_kind < 3;
UPDATE conversations c SET status = 0, updated_at = x.created_at + (x.w1 + 1 + x.w2) * interval '1 second'
FROM xc_conv x WHERE c.id = x.id AND x.wait_kind < 3;
UPDATE conversations c SET status = 2, updated_at = x.created_at + x.w3 * interval '1 second'
FROM xc_conv x WHERE c.id = x.id AND x.wait_kind = 3;
-- The plain-SQL copy of the pending/snoozed spans.
CREATE TEMP TABLE xc_spans ON COMMIT DROP AS
SELECT id AS conversation_id, created_at + w1 * interval '1 second' AS from_at,
       created_at + (w1 + 1 + w2) * interval '1 second' AS to_at
FROM xc_conv WHERE wait_kind < 3
UNION ALL
SELECT id, created_at + w3 * interval '1 second', NULL FROM xc_conv WHERE wait_kind = 3;

INSERT INTO taggings (tag_id, taggable_type, taggable_id, context, created_at)
SELECT t.tag, 'Conversation', x.id, t.ctx, x.created_at
FROM xc_conv x
CROSS JOIN LATERAL (VALUES
    (CASE pg_temp.r(x.g, 40) % 4 WHEN 1 THEN 100001 WHEN 2 THEN 100002 WHEN 3 THEN 100001 END, 'labels'),
    (CASE WHEN pg_temp.r(x.g, 40) % 4 = 3 THEN 100003 END, 'labels'),
    (CASE WHEN pg_temp.r(x.g, 41) % 10 = 0 THEN 100004 END, 'other'),
    (CASE WHEN pg_temp.r(x.g, 42) % 15 = 0 THEN 100003 END, 'skills')) t(tag, ctx)
WHERE t.tag IS NOT NULL;

-- Messages: 3 per conversation, within 3 days of its creation.
INSERT INTO messages (id, account_id, inbox_id, conversation_id, message_type, private, content_type, sender_type, sender_id, created_at, updated_at)
SELECT 100000 + (x.g - 1) * 3 + j + 1, x.acc, x.inbox_id, x.id, m.mt,
       m.mt = 1 AND m.k % 7 = 0,
       CASE WHEN m.mt = 3 AND m.k % 2 = 0 THEN 9 ELSE 0 END,
       CASE m.mt WHEN 0 THEN 'Contact' WHEN 1 THEN CASE WHEN m.k % 5 = 0 THEN 'AgentBot' ELSE 'User' END END,
       CASE WHEN m.mt = 1 AND m.k % 5 <> 0 THEN
            CASE WHEN m.k % 13 = 0 THEN 100001 + ((x.acc - 100 + 1) % 3) * 4   -- a user of another account
                 ELSE 100001 + (x.acc - 100) * 4 + ((m.k / 10) % 4)::int END END,
       x.created_at + ((m.k / 100) % 259200) * interval '1 second',
       x.created_at + ((m.k / 100) % 259200) * interval '1 second'
FROM xc_conv x, generate_series(0, 2) j,
     LATERAL (SELECT pg_temp.r(x.g, 10 + j) AS k) kk,
     LATERAL (SELECT kk.k AS k, CASE WHEN j = 0 THEN 0 ELSE (ARRAY[1, 1, 1, 1, 0, 0, 0, 2, 3, 1])[kk.k % 10 + 1] END AS mt) m;

-- Reporting events: 3 per conversation.
INSERT INTO reporting_events (id, name, value, value_in_business_hours, account_id, inbox_id, user_id, conversation_id,
                              event_start_time, event_end_time, created_at, updated_at)
SELECT 100000 + (x.g - 1) * 3 + j + 1, v.name, v.value,
       CASE WHEN pg_temp.r(x.g, 32 + j) % 10 = 0 THEN NULL
            ELSE round(v.value * (pg_temp.r(x.g, 35 + j) % 101) / 100.0) END,
       x.acc, x.inbox_id,
       CASE pg_temp.r(x.g, 26 + j) % 6 WHEN 0 THEN NULL
            WHEN 1 THEN 100001 + (x.acc - 100) * 4 + (pg_temp.r(x.g, 29 + j) % 4)::int
            ELSE x.assignee_id END,
       CASE WHEN v.name = 'conversation_bot_handoff' AND pg_temp.r(x.g, 38 + j) % 7 = 0 THEN 190000 + x.g ELSE x.id END,
       v.start_at, v.start_at + v.value * interval '1 second', v.start_at + v.value * interval '1 second',
       v.start_at + v.value * interval '1 second'
FROM xc_conv x, generate_series(0, 2) j,
     LATERAL (SELECT n.name,
                     CASE WHEN n.name = 'conversation_opened' AND pg_temp.r(x.g, 20 + j) % 3 = 0 THEN 0
                          ELSE pg_temp.r(x.g, 20 + j) % 200000 END AS value,
                     CASE WHEN n.name IN ('conversation_resolved', 'conversation_bot_resolved', 'conversation_bot_handoff')
                          THEN x.created_at
                          ELSE x.created_at + (pg_temp.r(x.g, 23 + j) % 50000) * interval '1 second' END AS start_at
              FROM (SELECT CASE WHEN p < 30 THEN 'first_response' WHEN p < 50 THEN 'reply_time'
                                WHEN p < 75 THEN 'conversation_resolved' WHEN p < 83 THEN 'conversation_bot_resolved'
                                WHEN p < 93 THEN 'conversation_bot_handoff' ELSE 'conversation_opened' END AS name
                    FROM (SELECT pg_temp.r(x.g, 13 + j) % 100 AS p) pp) n) v;
ANALYZE conversations; ANALYZE messages; ANALYZE reporting_events; ANALYZE taggings;
ANALYZE reports.conversation_status_changes;

SELECT (SELECT count(*) FROM conversations WHERE account_id BETWEEN 100 AND 102) AS conversations,
       (SELECT count(*) FROM messages WHERE account_id BETWEEN 100 AND 102) AS messages,
       (SELECT count(*) FROM reporting_events WHERE account_id BETWEEN 100 AND 102) AS events,
       (SELECT count(*) FROM reporting_events WHERE account_id BETWEEN 100 AND 102 AND value_in_business_hours IS NULL) AS events_without_bh;

-------------------------------------------------------------------------------------------------
-- Independent formulations.
-------------------------------------------------------------------------------------------------
-- Events of accounts 100..102 with resolution times net of pending/snoozed time, computed once
-- (plain SQL over xc_spans; business-hours pending time = the span in the open-all-day inboxes, 0 elsewhere).
CREATE TEMP TABLE xc_ev ON COMMIT DROP AS
SELECT e.id, e.account_id, e.name::text AS name, e.created_at AT TIME ZONE 'UTC' AS ts,
       e.value - coalesce(w.wait, 0) AS val_plain,
       e.value_in_business_hours - CASE WHEN i.working_hours_enabled THEN coalesce(w.wait, 0) ELSE 0 END AS val_bh,
       e.conversation_id, e.user_id, e.inbox_id
FROM reporting_events e
LEFT JOIN inboxes i ON i.id = e.inbox_id
LEFT JOIN (SELECT r.id, sum(extract(epoch FROM least(r.event_end_time, coalesce(s.to_at, r.event_end_time))
                                          - greatest(r.event_start_time, s.from_at))) AS wait
           FROM reporting_events r
           JOIN xc_spans s ON s.conversation_id = r.conversation_id AND s.from_at < r.event_end_time
                          AND (s.to_at IS NULL OR s.to_at > r.event_start_time)
           WHERE r.name = 'conversation_resolved' AND r.account_id BETWEEN 100 AND 102
           GROUP BY r.id) w ON w.id = e.id
WHERE e.account_id BETWEEN 100 AND 102;
CREATE INDEX ON xc_ev (account_id, name, ts);
ANALYZE xc_ev;
CREATE FUNCTION pg_temp.xc_events(acc int, bh bool)
RETURNS TABLE (name text, ts timestamptz, val float8, conversation_id int, user_id int, inbox_id int)
LANGUAGE sql STABLE AS $$
    SELECT e.name, e.ts, CASE WHEN bh THEN e.val_bh ELSE e.val_plain END, e.conversation_id, e.user_id, e.inbox_id
    FROM xc_ev e WHERE e.account_id = acc
$$;

-- Conversation ids of a team or label scope (current team; label: case-insensitive tag, any context).
CREATE FUNCTION pg_temp.xc_scope_convs(acc int, scope text, sid int)
RETURNS TABLE (id int) LANGUAGE sql STABLE AS $$
    SELECT c.id FROM conversations c WHERE scope = 'team' AND c.account_id = acc AND c.team_id = sid
    UNION
    SELECT c.id FROM conversations c
    JOIN taggings t ON t.taggable_id = c.id AND t.taggable_type = 'Conversation'
    JOIN tags g ON g.id = t.tag_id
    JOIN labels l ON lower(l.title) = lower(g.name)
    WHERE scope = 'label' AND c.account_id = acc AND l.id = sid AND l.account_id = acc
$$;

-- One scoped source of rows (timestamp, value, conversation) for a metric.
CREATE FUNCTION pg_temp.xc_rows(acc int, metric text, scope text, sid int, bh bool)
RETURNS TABLE (ts timestamptz, val float8, conv int) LANGUAGE sql STABLE AS $$
    WITH member AS (SELECT EXISTS (SELECT 1 FROM account_users au WHERE au.account_id = acc AND au.user_id = sid) AS ok),
    sc AS (SELECT id FROM pg_temp.xc_scope_convs(acc, scope, sid))
    SELECT c.created_at AT TIME ZONE 'UTC', 1::float8, c.id
    FROM conversations c, member
    WHERE metric = 'conversations_count' AND c.account_id = acc
      AND CASE scope WHEN 'account' THEN true WHEN 'agent' THEN c.assignee_id = sid AND member.ok
                     WHEN 'inbox' THEN c.inbox_id = sid ELSE c.id IN (SELECT id FROM sc) END
    UNION ALL
    SELECT m.created_at AT TIME ZONE 'UTC', 1::float8, m.conversation_id
    FROM messages m, member
    WHERE metric IN ('incoming_messages_count', 'outgoing_messages_count') AND m.account_id = acc
      AND m.message_type = CASE metric WHEN 'incoming_messages_count' THEN 0 ELSE 1 END
      AND CASE scope WHEN 'account' THEN true WHEN 'agent' THEN m.sender_type = 'User' AND m.sender_id = sid AND member.ok
                     WHEN 'inbox' THEN m.inbox_id = sid ELSE m.conversation_id IN (SELECT id FROM sc) END
    UNION ALL
    SELECT e.ts, e.val, e.conversation_id
    FROM pg_temp.xc_events(acc, bh) e, member
    WHERE e.name = CASE metric WHEN 'resolutions_count' THEN 'conversation_resolved' WHEN 'avg_resolution_time' THEN 'conversation_resolved'
                               WHEN 'bot_resolutions_count' THEN 'conversation_bot_resolved'
                               WHEN 'bot_handoffs_count' THEN 'conversation_bot_handoff'
                               WHEN 'avg_first_response_time' THEN 'first_response' WHEN 'reply_time' THEN 'reply_time' END
      AND (metric <> 'bot_handoffs_count' OR EXISTS (SELECT 1 FROM conversations c WHERE c.id = e.conversation_id))
      AND CASE scope WHEN 'account' THEN true WHEN 'agent' THEN e.user_id = sid AND member.ok
                     WHEN 'inbox' THEN e.inbox_id = sid ELSE e.conversation_id IN (SELECT id FROM sc) END
$$;

-- Dense series: buckets from the one containing since while the start is before until.
CREATE FUNCTION pg_temp.xc_series(acc int, metric text, since timestamptz, until timestamptz, grp text, tz text,
                                  scope text, sid int, bh bool)
RETURNS TABLE (bucket timestamptz, value float8, count bigint) LANGUAGE sql STABLE AS $$
    WITH b AS (
        SELECT CASE grp WHEN 'day' THEN date_trunc('day', r.ts AT TIME ZONE tz) AT TIME ZONE tz
                        ELSE r.ts - ((r.ts AT TIME ZONE tz) - date_trunc('hour', r.ts AT TIME ZONE tz)) END AS bucket,
               r.val, r.conv
        FROM pg_temp.xc_rows(acc, metric, scope, sid, bh) r
        WHERE r.ts >= since AND r.ts < until
          -- upstream #14032: no bot resolution of a conversation handed off in the range (same scope)
          AND (metric <> 'bot_resolutions_count' OR r.conv IS NULL OR r.conv NOT IN (
                 SELECT h.conv FROM pg_temp.xc_rows(acc, 'bot_handoffs_count', scope, sid, bh) h
                 WHERE h.ts >= since AND h.ts < until AND h.conv IS NOT NULL))
    ), agg AS (
        SELECT b.bucket,
               CASE WHEN metric = 'bot_handoffs_count' THEN count(DISTINCT b.conv) ELSE count(*) END AS n,
               avg(b.val) AS average
        FROM b GROUP BY b.bucket
    ), buckets AS (
        SELECT d AT TIME ZONE tz AS bucket
        FROM generate_series(date_trunc('day', since AT TIME ZONE tz), until AT TIME ZONE tz, interval '1 day') d
        WHERE grp = 'day' AND d AT TIME ZONE tz < until
        UNION ALL
        SELECT h FROM generate_series(since - ((since AT TIME ZONE tz) - date_trunc('hour', since AT TIME ZONE tz)),
                                      until - interval '1 microsecond', interval '1 hour') h
        WHERE grp = 'hour'
    )
    SELECT s.bucket,
           CASE WHEN metric LIKE 'avg%' OR metric = 'reply_time' THEN coalesce(a.average, 0) ELSE coalesce(a.n, 0) END,
           coalesce(a.n, 0)
    FROM buckets s LEFT JOIN agg a ON a.bucket = s.bucket
$$;

CREATE FUNCTION pg_temp.xc_summary(acc int, since timestamptz, until timestamptz, scope text, sid int, bh bool)
RETURNS TABLE (conversations_count bigint, incoming_messages_count bigint, outgoing_messages_count bigint,
               avg_first_response_time float8, avg_resolution_time float8, resolutions_count bigint,
               reply_time float8, bot_resolutions_count bigint, bot_handoffs_count bigint,
               previous_conversations_count bigint, previous_incoming_messages_count bigint,
               previous_outgoing_messages_count bigint, previous_avg_first_response_time float8,
               previous_avg_resolution_time float8, previous_resolutions_count bigint,
               previous_reply_time float8, previous_bot_resolutions_count bigint,
               previous_bot_handoffs_count bigint)
LANGUAGE sql STABLE AS $$
    WITH per AS (
        SELECT 0 AS p, since AS f, until AS t UNION ALL SELECT 1, since - (until - since), since
    ), m AS (
        SELECT per.p, x.metric,
               CASE WHEN x.metric = 'bot_handoffs_count' THEN count(DISTINCT r.conv) ELSE count(r.ts) END AS n,
               avg(r.val) AS average
        FROM per
        CROSS JOIN unnest(ARRAY['conversations_count', 'incoming_messages_count', 'outgoing_messages_count',
                                'avg_first_response_time', 'avg_resolution_time', 'resolutions_count', 'reply_time',
                                'bot_resolutions_count', 'bot_handoffs_count']) x(metric)
        LEFT JOIN LATERAL (SELECT * FROM pg_temp.xc_rows(acc, x.metric, scope, sid, bh) q
                           WHERE q.ts >= per.f AND q.ts < per.t
                             AND (x.metric <> 'bot_resolutions_count' OR q.conv IS NULL OR q.conv NOT IN (
                                    SELECT h.conv FROM pg_temp.xc_rows(acc, 'bot_handoffs_count', scope, sid, bh) h
                                    WHERE h.ts >= per.f AND h.ts < per.t AND h.conv IS NOT NULL))) r ON true
        GROUP BY per.p, x.metric
    )
    SELECT max(n) FILTER (WHERE p = 0 AND metric = 'conversations_count'),
           max(n) FILTER (WHERE p = 0 AND metric = 'incoming_messages_count'),
           max(n) FILTER (WHERE p = 0 AND metric = 'outgoing_messages_count'),
           max(average) FILTER (WHERE p = 0 AND metric = 'avg_first_response_time'),
           max(average) FILTER (WHERE p = 0 AND metric = 'avg_resolution_time'),
           max(n) FILTER (WHERE p = 0 AND metric = 'resolutions_count'),
           max(average) FILTER (WHERE p = 0 AND metric = 'reply_time'),
           max(n) FILTER (WHERE p = 0 AND metric = 'bot_resolutions_count'),
           max(n) FILTER (WHERE p = 0 AND metric = 'bot_handoffs_count'),
           max(n) FILTER (WHERE p = 1 AND metric = 'conversations_count'),
           max(n) FILTER (WHERE p = 1 AND metric = 'incoming_messages_count'),
           max(n) FILTER (WHERE p = 1 AND metric = 'outgoing_messages_count'),
           max(average) FILTER (WHERE p = 1 AND metric = 'avg_first_response_time'),
           max(average) FILTER (WHERE p = 1 AND metric = 'avg_resolution_time'),
           max(n) FILTER (WHERE p = 1 AND metric = 'resolutions_count'),
           max(average) FILTER (WHERE p = 1 AND metric = 'reply_time'),
           max(n) FILTER (WHERE p = 1 AND metric = 'bot_resolutions_count'),
           max(n) FILTER (WHERE p = 1 AND metric = 'bot_handoffs_count')
    FROM m
$$;

-- Per-entity rows (agent / inbox / team) as (id, conversations, resolved, rt, frt, reply).
CREATE FUNCTION pg_temp.xc_entities(acc int, dim text, since timestamptz, until timestamptz, bh bool)
RETURNS TABLE (id bigint, conversations bigint, resolved bigint, rt float8, frt float8, reply float8,
               incoming bigint, outgoing bigint)
LANGUAGE sql STABLE AS $$
    WITH ms AS (  -- messages: an agent's are those it sent; a team's those of its conversations
        SELECT CASE dim WHEN 'agent' THEN CASE WHEN m.sender_type = 'User' THEN m.sender_id END
                        WHEN 'inbox' THEN m.inbox_id ELSE c.team_id END AS k, m.message_type
        FROM messages m LEFT JOIN conversations c ON c.id = m.conversation_id AND c.account_id = acc
        WHERE m.account_id = acc AND m.message_type IN (0, 1)
          AND m.created_at AT TIME ZONE 'UTC' >= since AND m.created_at AT TIME ZONE 'UTC' < until
    ), ev AS (
        SELECT CASE dim WHEN 'agent' THEN e.user_id WHEN 'inbox' THEN e.inbox_id ELSE c.team_id END AS k, e.name, e.val
        FROM pg_temp.xc_events(acc, bh) e LEFT JOIN conversations c ON c.id = e.conversation_id AND c.account_id = acc
        WHERE e.name IN ('conversation_resolved', 'first_response', 'reply_time') AND e.ts >= since AND e.ts < until
    ), cv AS (
        SELECT CASE dim WHEN 'agent' THEN c.assignee_id WHEN 'inbox' THEN c.inbox_id ELSE c.team_id END AS k
        FROM conversations c
        WHERE c.account_id = acc AND c.created_at AT TIME ZONE 'UTC' >= since AND c.created_at AT TIME ZONE 'UTC' < until
    ), ent AS (
        SELECT au.user_id AS id FROM account_users au WHERE dim = 'agent' AND au.account_id = acc
        UNION ALL SELECT i.id FROM inboxes i WHERE dim = 'inbox' AND i.account_id = acc
        UNION ALL SELECT t.id FROM teams t WHERE dim = 'team' AND t.account_id = acc
    )
    SELECT ent.id,
           (SELECT count(*) FROM cv WHERE cv.k = ent.id),
           (SELECT count(*) FROM ev WHERE ev.k = ent.id AND ev.name = 'conversation_resolved'),
           (SELECT avg(ev.val) FROM ev WHERE ev.k = ent.id AND ev.name = 'conversation_resolved'),
           (SELECT avg(ev.val) FROM ev WHERE ev.k = ent.id AND ev.name = 'first_response'),
           (SELECT avg(ev.val) FROM ev WHERE ev.k = ent.id AND ev.name = 'reply_time'),
           (SELECT count(*) FROM ms WHERE ms.k = ent.id AND ms.message_type = 0),
           (SELECT count(*) FROM ms WHERE ms.k = ent.id AND ms.message_type = 1)
    FROM ent
$$;

-- Chatwoot's label summary: conversations (tagged in context 'labels') created in range; resolutions
-- in range; averages over events of any date of conversations created in range; missing -> 0.
CREATE FUNCTION pg_temp.xc_labels(acc int, since timestamptz, until timestamptz, bh bool)
RETURNS TABLE (id bigint, conversations bigint, resolved bigint, rt float8, frt float8, reply float8,
               incoming bigint, outgoing bigint)
LANGUAGE sql STABLE AS $$
    WITH tagged AS (
        SELECT DISTINCT l.id AS label_id, c.id AS conv,
               c.created_at AT TIME ZONE 'UTC' >= coalesce(since, '-infinity')
               AND c.created_at AT TIME ZONE 'UTC' < coalesce(until, 'infinity') AS created_in_range
        FROM labels l
        JOIN tags g ON lower(g.name) = lower(l.title)
        JOIN taggings t ON t.tag_id = g.id AND t.taggable_type = 'Conversation' AND t.context = 'labels'
        JOIN conversations c ON c.id = t.taggable_id AND c.account_id = acc
        WHERE l.account_id = acc
    ), per_conv AS (
        SELECT label_id, count(*) FILTER (WHERE created_in_range) AS n FROM tagged GROUP BY label_id
    ), per_event AS (
        SELECT t.label_id,
               count(*) FILTER (WHERE e.name = 'conversation_resolved'
                                  AND e.ts >= coalesce(since, '-infinity') AND e.ts < coalesce(until, 'infinity')) AS resolved,
               avg(e.val) FILTER (WHERE e.name = 'conversation_resolved' AND t.created_in_range) AS rt,
               avg(e.val) FILTER (WHERE e.name = 'first_response' AND t.created_in_range) AS frt,
               avg(e.val) FILTER (WHERE e.name = 'reply_time' AND t.created_in_range) AS reply
        FROM tagged t JOIN pg_temp.xc_events(acc, bh) e ON e.conversation_id = t.conv
        GROUP BY t.label_id
    )
    SELECT l.id, coalesce(c.n, 0), coalesce(e.resolved, 0), coalesce(e.rt, 0), coalesce(e.frt, 0), coalesce(e.reply, 0),
           -- messages in range of the label's conversations (as tagged above)
           (SELECT count(*) FROM messages m
            WHERE m.account_id = acc AND m.message_type = 0
              AND m.created_at AT TIME ZONE 'UTC' >= coalesce(since, '-infinity')
              AND m.created_at AT TIME ZONE 'UTC' < coalesce(until, 'infinity')
              AND m.conversation_id IN (SELECT t.conv FROM tagged t WHERE t.label_id = l.id)),
           (SELECT count(*) FROM messages m
            WHERE m.account_id = acc AND m.message_type = 1
              AND m.created_at AT TIME ZONE 'UTC' >= coalesce(since, '-infinity')
              AND m.created_at AT TIME ZONE 'UTC' < coalesce(until, 'infinity')
              AND m.conversation_id IN (SELECT t.conv FROM tagged t WHERE t.label_id = l.id))
    FROM labels l LEFT JOIN per_conv c ON c.label_id = l.id LEFT JOIN per_event e ON e.label_id = l.id
    WHERE l.account_id = acc
$$;

-- Heatmap: 168 cells (dow, hour) of the local time in tz.
CREATE FUNCTION pg_temp.xc_heatmap(acc int, metric text, since timestamptz, until timestamptz, tz text)
RETURNS TABLE (dow int, hour int, count bigint) LANGUAGE sql STABLE AS $$
    SELECT d, h, coalesce(c.n, 0)
    FROM generate_series(0, 6) d CROSS JOIN generate_series(0, 23) h
    LEFT JOIN (SELECT extract(dow FROM r.ts AT TIME ZONE tz)::int AS dw, extract(hour FROM r.ts AT TIME ZONE tz)::int AS hr,
                      count(*) AS n
               FROM pg_temp.xc_rows(acc, metric, 'account', NULL, false) r
               WHERE r.ts >= since AND r.ts < until
                 AND (metric <> 'bot_resolutions_count' OR r.conv IS NULL OR r.conv NOT IN (
                        SELECT h.conv FROM pg_temp.xc_rows(acc, 'bot_handoffs_count', 'account', NULL, false) h
                        WHERE h.ts >= since AND h.ts < until AND h.conv IS NOT NULL))
               GROUP BY 1, 2) c ON c.dw = d AND c.hr = h
$$;

CREATE TEMP TABLE xc_result (family text, params text, compared bigint, mismatched bigint) ON COMMIT DROP;
CREATE TEMP TABLE xc_params ON COMMIT DROP AS
SELECT acc, tz, bh FROM unnest(ARRAY[100, 101, 102]) acc, unnest(ARRAY['UTC', 'America/New_York', 'Asia/Kolkata']) tz,
                        unnest(ARRAY[false, true]) bh;
CREATE TEMP TABLE xc_metrics ON COMMIT DROP AS
SELECT unnest(ARRAY['conversations_count', 'incoming_messages_count', 'outgoing_messages_count', 'resolutions_count',
                    'bot_resolutions_count', 'bot_handoffs_count', 'avg_first_response_time', 'avg_resolution_time',
                    'reply_time']) AS metric;
-- Scopes of each account: an agent, an agent of the next account, the open-all-day inbox, the Kolkata
-- inbox, a team, label xc1 (also matched through tag "XC1" in context 'other'), the next account's xc1.
CREATE TEMP TABLE xc_scopes ON COMMIT DROP AS
SELECT a.acc, s.scope, s.sid
FROM unnest(ARRAY[100, 101, 102]) a(acc)
CROSS JOIN LATERAL (VALUES ('account', NULL::int),
                           ('agent', 100001 + (a.acc - 100) * 4), ('agent', 100001 + ((a.acc - 100 + 1) % 3) * 4),
                           ('inbox', 100002 + (a.acc - 100) * 3), ('inbox', 100003 + (a.acc - 100) * 3),
                           ('team', 100001 + (a.acc - 100) * 2),
                           ('label', 100002 + (a.acc - 100) * 3), ('label', 100002 + ((a.acc - 100 + 1) % 3) * 3)) s(scope, sid);

CREATE FUNCTION pg_temp.xc_report(acc int, dim text, since timestamptz, until timestamptz, bh bool)
RETURNS TABLE (id bigint, conversations bigint, resolved bigint, rt float8, frt float8, reply float8,
               incoming bigint, outgoing bigint)
LANGUAGE sql STABLE AS $$
    SELECT r.id, r.conversations_count, r.resolved_conversations_count, r.avg_resolution_time, r.avg_first_response_time, r.avg_reply_time,
           r.incoming_messages_count, r.outgoing_messages_count
    FROM reports.agent_report(acc, since, until, bh) r WHERE dim = 'agent'
    UNION ALL
    SELECT r.id, r.conversations_count, r.resolved_conversations_count, r.avg_resolution_time, r.avg_first_response_time, r.avg_reply_time,
           r.incoming_messages_count, r.outgoing_messages_count
    FROM reports.inbox_report(acc, since, until, bh) r WHERE dim = 'inbox'
    UNION ALL
    SELECT r.id, r.conversations_count, r.resolved_conversations_count, r.avg_resolution_time, r.avg_first_response_time, r.avg_reply_time,
           r.incoming_messages_count, r.outgoing_messages_count
    FROM reports.team_report(acc, since, until, bh) r WHERE dim = 'team'
    UNION ALL
    SELECT r.id, r.conversations_count, r.resolved_conversations_count, r.avg_resolution_time, r.avg_first_response_time, r.avg_reply_time,
           r.incoming_messages_count, r.outgoing_messages_count
    FROM reports.label_report(acc, since, until, bh) r WHERE dim = 'label'
$$;

-- Every comparison below, as one function: run once on the raw rows and once with the rollup
-- refreshed (its families end in " (rollup)"), so both read paths are held to the plain SQL.
CREATE FUNCTION pg_temp.xc_compare(pass text) RETURNS void LANGUAGE sql AS $fn$
-------------------------------------------------------------------------------------------------
-- 1. timeseries, account scope: 3 accounts x 3 zones x business hours on/off x 9 metrics x
--    (day buckets over [02-24 13:17, 04-03 07:41) and hour buckets over [03-08 10:30, 03-12 09:15)).
-------------------------------------------------------------------------------------------------
INSERT INTO xc_result
SELECT 'timeseries ' || g.grp || pass, concat_ws(' ', p.acc, m.metric, p.tz, p.bh), count(*), count(*) FILTER (WHERE x.bad)
FROM xc_params p CROSS JOIN xc_metrics m
CROSS JOIN (VALUES ('day', timestamptz '2024-02-24 13:17:00+00', timestamptz '2024-04-03 07:41:00+00'),
                   ('hour', timestamptz '2024-03-08 10:30:00+00', timestamptz '2024-03-12 09:15:00+00')) g(grp, since, until)
CROSS JOIN LATERAL (
    SELECT r.bucket IS NULL OR i.bucket IS NULL OR r.count <> i.count OR abs(r.value - i.value) > 1e-6 AS bad
    FROM reports.timeseries(p.acc, m.metric, g.since, g.until, g.grp, p.tz, 'account', NULL, p.bh) r
    FULL JOIN pg_temp.xc_series(p.acc, m.metric, g.since, g.until, g.grp, p.tz, 'account', NULL, p.bh) i ON i.bucket = r.bucket) x
GROUP BY 1, 2;

-------------------------------------------------------------------------------------------------
-- 2. timeseries with scopes (day buckets in New York): every metric without business hours, the
--    three averages with business hours.
-------------------------------------------------------------------------------------------------
INSERT INTO xc_result
SELECT 'timeseries scoped' || pass, concat_ws(' ', s.acc, s.scope, s.sid, m.metric, b.bh), count(*), count(*) FILTER (WHERE x.bad)
FROM xc_scopes s CROSS JOIN xc_metrics m CROSS JOIN (VALUES (false), (true)) b(bh)
CROSS JOIN LATERAL (
    SELECT r.bucket IS NULL OR i.bucket IS NULL OR r.count <> i.count OR abs(r.value - i.value) > 1e-6 AS bad
    FROM reports.timeseries(s.acc, m.metric, '2024-02-24 13:17:00+00', '2024-04-03 07:41:00+00', 'day', 'America/New_York', s.scope, s.sid, b.bh) r
    FULL JOIN pg_temp.xc_series(s.acc, m.metric, '2024-02-24 13:17:00+00', '2024-04-03 07:41:00+00', 'day', 'America/New_York', s.scope, s.sid, b.bh) i
      ON i.bucket = r.bucket) x
WHERE s.scope <> 'account' AND (NOT b.bh OR m.metric IN ('avg_first_response_time', 'avg_resolution_time', 'reply_time'))
GROUP BY 1, 2;

-------------------------------------------------------------------------------------------------
-- 3. summary: every scope, business hours on/off, 18 columns each.
-------------------------------------------------------------------------------------------------
INSERT INTO xc_result
SELECT 'summary' || pass, concat_ws(' ', s.acc, s.scope, s.sid, b.bh), count(*),
       count(*) FILTER (WHERE (v.a IS NULL) <> (v.b IS NULL) OR abs(v.a - v.b) > 1e-6)
FROM xc_scopes s CROSS JOIN (VALUES (false), (true)) b(bh)
CROSS JOIN LATERAL reports.summary(s.acc, '2024-03-05 06:00+00', '2024-03-19 18:30+00', s.scope, s.sid, b.bh) r
CROSS JOIN LATERAL pg_temp.xc_summary(s.acc, '2024-03-05 06:00+00', '2024-03-19 18:30+00', s.scope, s.sid, b.bh) i
CROSS JOIN LATERAL (VALUES
    (r.conversations_count::float8, i.conversations_count::float8),
    (r.incoming_messages_count, i.incoming_messages_count), (r.outgoing_messages_count, i.outgoing_messages_count),
    (r.avg_first_response_time, i.avg_first_response_time), (r.avg_resolution_time, i.avg_resolution_time),
    (r.resolutions_count, i.resolutions_count), (r.reply_time, i.reply_time),
    (r.bot_resolutions_count, i.bot_resolutions_count), (r.bot_handoffs_count, i.bot_handoffs_count),
    (r.previous_conversations_count, i.previous_conversations_count),
    (r.previous_incoming_messages_count, i.previous_incoming_messages_count),
    (r.previous_outgoing_messages_count, i.previous_outgoing_messages_count),
    (r.previous_avg_first_response_time, i.previous_avg_first_response_time),
    (r.previous_avg_resolution_time, i.previous_avg_resolution_time),
    (r.previous_resolutions_count, i.previous_resolutions_count), (r.previous_reply_time, i.previous_reply_time),
    (r.previous_bot_resolutions_count, i.previous_bot_resolutions_count),
    (r.previous_bot_handoffs_count, i.previous_bot_handoffs_count)) v(a, b)
GROUP BY 1, 2;

-------------------------------------------------------------------------------------------------
-- 4. agent / inbox / team / label reports: 7 numbers per entity row (with the seed's message counts).
-------------------------------------------------------------------------------------------------
INSERT INTO xc_result
SELECT 'entity reports' || pass, concat_ws(' ', a.acc, d.dim, b.bh, g.since), count(*),
       count(*) FILTER (WHERE x.missing OR (v.a IS NULL) <> (v.b IS NULL) OR abs(v.a - v.b) > 1e-6)
FROM unnest(ARRAY[100, 101, 102]) a(acc)
CROSS JOIN unnest(ARRAY['agent', 'inbox', 'team', 'label']) d(dim)
CROSS JOIN (VALUES (false), (true)) b(bh)
CROSS JOIN (VALUES (timestamptz '2024-03-05 06:00+00', timestamptz '2024-03-19 18:30+00'), (NULL, NULL)) g(since, until)
CROSS JOIN LATERAL (
    SELECT r.id IS NULL OR i.id IS NULL AS missing, r.conversations AS rc, i.conversations AS ic, r.resolved AS rr, i.resolved AS ir,
           r.rt AS rrt, i.rt AS irt, r.frt AS rfrt, i.frt AS ifrt, r.reply AS rrep, i.reply AS irep,
           r.incoming AS rin, i.incoming AS iin, r.outgoing AS rout, i.outgoing AS iout
    FROM pg_temp.xc_report(a.acc, d.dim, g.since, g.until, b.bh) r
    FULL JOIN (SELECT * FROM pg_temp.xc_entities(a.acc, d.dim, g.since, g.until, b.bh) WHERE d.dim <> 'label'
               UNION ALL SELECT * FROM pg_temp.xc_labels(a.acc, g.since, g.until, b.bh) WHERE d.dim = 'label') i
      ON i.id = r.id) x
CROSS JOIN LATERAL (VALUES (x.rc::float8, x.ic::float8), (x.rr, x.ir), (x.rrt, x.irt), (x.rfrt, x.ifrt), (x.rrep, x.irep),
                           (x.rin, x.iin), (x.rout, x.iout)) v(a, b)
WHERE g.since IS NOT NULL OR d.dim = 'label'   -- only the label report takes a NULL range
GROUP BY 1, 2;

-------------------------------------------------------------------------------------------------
-- 5. heatmap: 3 accounts x 3 zones x 5 count metrics, 168 cells each.
-------------------------------------------------------------------------------------------------
INSERT INTO xc_result
SELECT 'heatmap' || pass, concat_ws(' ', p.acc, p.tz, m.metric), count(*),
       count(*) FILTER (WHERE r.count IS DISTINCT FROM i.count OR r.dow IS NULL OR i.dow IS NULL)
FROM (SELECT DISTINCT acc, tz FROM xc_params) p
CROSS JOIN unnest(ARRAY['conversations_count', 'incoming_messages_count', 'outgoing_messages_count', 'resolutions_count',
                        'bot_resolutions_count']) m(metric)
CROSS JOIN LATERAL (
    SELECT r.dow, r.count, i.dow AS idow, i.count AS icount
    FROM reports.heatmap(p.acc, '2024-02-22 00:00+00', '2024-04-08 00:00+00', p.tz, m.metric) r
    FULL JOIN pg_temp.xc_heatmap(p.acc, m.metric, '2024-02-22 00:00+00', '2024-04-08 00:00+00', p.tz) i
      ON i.dow = r.dow AND i.hour = r.hour) x(dow, count, idow, icount)
CROSS JOIN LATERAL (SELECT x.dow, x.count) r
CROSS JOIN LATERAL (SELECT x.idow AS dow, x.icount AS count) i
GROUP BY 1, 2;
$fn$;
SELECT pg_temp.xc_compare('');

-- The rollup: whole hours from it (New York's DST day, Kolkata's half hours and the ranges' ends
-- raw), inside this transaction, so it is rolled back with the data.
SET client_min_messages = warning;  -- refresh_rollup's progress notices name the current hour
SELECT covered_until > '2024-04-10' AS rolled_up, rows_written > 0 AS written FROM reports.refresh_rollup();
SELECT pg_temp.xc_compare(' (rollup)');

-------------------------------------------------------------------------------------------------
-- Results: comparisons per family (cases = function calls compared) and mismatches (must be 0).
-------------------------------------------------------------------------------------------------
SELECT family, count(*) AS cases, sum(compared) AS comparisons, sum(mismatched) AS mismatches
FROM xc_result GROUP BY family ORDER BY family;
SELECT count(*) AS cases, sum(compared) AS comparisons, sum(mismatched) AS mismatches FROM xc_result;
-- failing cases (none expected)
SELECT family, params, compared, mismatched FROM xc_result WHERE mismatched > 0 ORDER BY family, params LIMIT 30;
ROLLBACK;
