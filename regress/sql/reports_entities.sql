-- Per-entity reports (agent_report, inbox_report, team_report, label_report), summary_by and
-- channel_summary on the reports_fixture data. R = [2024-03-06 00:00Z, 2024-03-13 00:00Z).
-- Resolution times are net of recorded pending time: e6 = 243000 (BH 16200), e16 = 0 (BH 0).
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-------------------------------------------------------------------------------------------------
-- agent_report: one row per account user (all roles), Dave (account 2) absent.
-------------------------------------------------------------------------------------------------
-- Alice: conversations assigned and created in R: C1, C4 = 2; events with user_id 1: e2 resolved 7200 -> 1, 7200;
--        first responses e1 1800, e15 600 -> 1200; no reply events -> NULL
-- Bob:   C2, C6 = 2; e6 -> 1, 243000; first responses e3 232200, e18 4200 -> 118200; replies e4 1200, e19 300 -> 750
-- Carol: C3 = 1; e8 14400, e11 115200 -> 2, 64800; e7 -> 1800; e10 -> 3600
-- (e16, the bot's resolution of C5, has no user and belongs to no agent)
SELECT id, name, email, thumbnail, availability, role, conversations_count, resolved_conversations_count, avg_resolution_time, avg_first_response_time, avg_reply_time, incoming_messages_count, outgoing_messages_count, resolutions_count FROM reports.agent_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- business hours: Alice 7200 / (1800 + 600) / 2 = 1200 / NULL; Bob 16200 / (5400 + 0) / 2 = 2700 / (1200 + 0) / 2 = 600;
-- Carol (10800 + 25200) / 2 = 18000 / 1800 / 3600
SELECT id, name, avg_resolution_time, avg_first_response_time, avg_reply_time
FROM reports.agent_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', true);
-- account 2: only Dave: C10, C11 created in R but only C10 is his = 1; e24 7200; e23 600
SELECT id, name, email, thumbnail, availability, role, conversations_count, resolved_conversations_count, avg_resolution_time, avg_first_response_time, avg_reply_time, incoming_messages_count, outgoing_messages_count, resolutions_count FROM reports.agent_report(2, '2024-03-06 00:00+00', '2024-03-13 00:00+00');

-------------------------------------------------------------------------------------------------
-- inbox_report
-------------------------------------------------------------------------------------------------
-- 1 Web NY:      C1 C2 C7 = 3; resolved e2, e6 = 2, (7200 + 243000) / 2 = 125100; frt (1800 + 232200) / 2 = 117000; reply 1200
-- 2 Mail Berlin: C3 C8 = 2; e8, e11 = 2, 64800; frt 1800; reply 3600
-- 3 API:         C6 = 1; 0, NULL; frt 4200; reply 300
-- 4 Bot WA:      C4 C5 C12 = 3; e16 = 1, 0 (all of it pending); frt 600; reply NULL
SELECT id, name, channel_type, conversations_count, resolved_conversations_count, avg_resolution_time, avg_first_response_time, avg_reply_time, incoming_messages_count, outgoing_messages_count, resolutions_count FROM reports.inbox_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- business hours: 1: (7200 + 16200) / 2 = 11700, (1800 + 5400) / 2 = 3600, 1200; 2: (10800 + 25200) / 2 = 18000, 1800, 3600;
-- 3: NULL, 0, 0; 4: 0, 600, NULL
SELECT id, avg_resolution_time, avg_first_response_time, avg_reply_time
FROM reports.inbox_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', true);

-------------------------------------------------------------------------------------------------
-- team_report (team = the conversation's current team)
-------------------------------------------------------------------------------------------------
-- sales:   C1 C6 C8 = 3; e2 = 1, 7200; frt (1800 + 4200) / 2 = 3000; reply e19 300
-- support: C2 C3 = 2; e6 e8 e11 = 3, (243000 + 14400 + 115200) / 3 = 124200; frt (232200 + 1800) / 2 = 117000;
--          reply (1200 + 3600) / 2 = 2400
SELECT id, name, conversations_count, resolved_conversations_count, avg_resolution_time, avg_first_response_time, avg_reply_time, incoming_messages_count, outgoing_messages_count, resolutions_count FROM reports.team_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- business hours: sales 7200, (1800 + 0) / 2 = 900, 0; support (16200 + 10800 + 25200) / 3 = 17400, (5400 + 1800) / 2 = 3600, 2400
SELECT id, avg_resolution_time, avg_first_response_time, avg_reply_time
FROM reports.team_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', true);
-- account 2: other team: C10 = 1; e24 = 1, 7200; e23 600
SELECT id, name, conversations_count, resolved_conversations_count, avg_resolution_time, avg_first_response_time, avg_reply_time, incoming_messages_count, outgoing_messages_count, resolutions_count FROM reports.team_report(2, '2024-03-06 00:00+00', '2024-03-13 00:00+00');

-------------------------------------------------------------------------------------------------
-- label_report (Chatwoot's label summary): conversations created in range; resolutions = events in
-- range; averages = events of ANY date of conversations created in range; missing values are 0;
-- only taggings in context 'labels' count (C6's 'feedback' is in context 'skills'). Ordered by title.
-------------------------------------------------------------------------------------------------
-- R: billing: C1 C2 C8 = 3; resolved e2, e6 = 2; rt (7200 + 243000) / 2 = 125100; frt (1800 + 232200) / 2 = 117000; reply 1200
--    feedback: all 0
--    urgent: C2 C3 = 2 (C9 is 03-01); resolved e6 e8 e11 = 3; rt (243000 + 14400 + 115200) / 3 = 124200;
--            frt (232200 + 1800) / 2 = 117000; reply (1200 + 3600) / 2 = 2400
SELECT id, title, conversations_count, resolved_conversations_count, avg_resolution_time, avg_first_response_time, avg_reply_time, incoming_messages_count, outgoing_messages_count, resolutions_count FROM reports.label_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- business hours: billing (7200 + 16200) / 2 = 11700, (1800 + 5400) / 2 = 3600, 1200;
-- urgent (16200 + 10800 + 25200) / 3 = 17400, (5400 + 1800) / 2 = 3600, 2400; feedback 0
SELECT title, avg_resolution_time, avg_first_response_time, avg_reply_time
FROM reports.label_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', true);
-- [03-07, 03-13): C3 (created 03-06) drops out of urgent's conversations, but its resolution e11 (03-07 16:00)
-- still counts: urgent = 1 conversation (C2), resolved e6 + e11 = 2, averages over C2's events only:
-- rt 243000, frt 232200, reply 1200. billing unchanged: 3, 2, 125100, 117000, 1200.
SELECT id, title, conversations_count, resolved_conversations_count, avg_resolution_time, avg_first_response_time, avg_reply_time, incoming_messages_count, outgoing_messages_count, resolutions_count FROM reports.label_report(1, '2024-03-07 00:00+00', '2024-03-13 00:00+00');
-- [03-06, 03-07): urgent = C3; resolved only e8 (e11 is 03-07) = 1; averages over all of C3's events, also
-- those after the range: rt (14400 + 115200) / 2 = 64800, frt 1800, reply e10 (03-07) 3600.
-- billing: no conversation created and no resolution in range -> 0 0 0 0 0
SELECT id, title, conversations_count, resolved_conversations_count, avg_resolution_time, avg_first_response_time, avg_reply_time, incoming_messages_count, outgoing_messages_count, resolutions_count FROM reports.label_report(1, '2024-03-06 00:00+00', '2024-03-07 00:00+00');
-- no date filter (NULL since/until): billing 3, 2, 125100, 117000, 1200;
-- urgent: C2 C3 C9 = 3; resolved e6 e8 e11 e22 = 4; rt (243000 + 14400 + 115200 + 3600) / 4 = 376200 / 4 = 94050;
-- frt (232200 + 1800 + 900) / 3 = 78300; reply (1200 + 3600) / 2 = 2400
SELECT id, title, conversations_count, resolved_conversations_count, avg_resolution_time, avg_first_response_time, avg_reply_time, incoming_messages_count, outgoing_messages_count, resolutions_count FROM reports.label_report(1, NULL, NULL);
-- account 2: its own "billing" (id 4): C10 = 1; e24 = 1; rt 7200; frt 600; reply 0 (missing -> 0)
SELECT id, title, conversations_count, resolved_conversations_count, avg_resolution_time, avg_first_response_time, avg_reply_time, incoming_messages_count, outgoing_messages_count, resolutions_count FROM reports.label_report(2, '2024-03-06 00:00+00', '2024-03-13 00:00+00');

-------------------------------------------------------------------------------------------------
-- summary_by: the same rows, Chatwoot's summary_reports columns.
-------------------------------------------------------------------------------------------------
SELECT d, r.* FROM unnest(ARRAY['agent', 'inbox', 'team', 'label']) WITH ORDINALITY d(d, o),
     reports.summary_by(1, d, '2024-03-06 00:00+00', '2024-03-13 00:00+00') r
ORDER BY o;
-- business hours pass through (agent rows as in the agent_report business-hours query above)
SELECT id, name, avg_resolution_time, avg_first_response_time, avg_reply_time
FROM reports.summary_by(1, 'agent', '2024-03-06 00:00+00', '2024-03-13 00:00+00', true);

-------------------------------------------------------------------------------------------------
-- channel_summary: conversations created in range by channel type and CURRENT status.
-------------------------------------------------------------------------------------------------
-- Channel::Api       C6 pending                      -> 0 0 1 0 | 1
-- Channel::Email     C3 resolved, C8 open            -> 1 1 0 0 | 2
-- Channel::WebWidget C1 C2 resolved, C7 snoozed      -> 0 2 0 1 | 3
-- Channel::Whatsapp  C4 open, C5 resolved, C12 pending -> 1 1 1 0 | 3
SELECT * FROM reports.channel_summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- account 2: Channel::WebWidget C11 open, C10 resolved -> 1 1 0 0 | 2
SELECT * FROM reports.channel_summary(2, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- exactly 6 months (15778476 s) is allowed: [2024-01-01, 2024-07-01 10:54:36) holds all 10 conversations of account 1
SELECT sum(total) AS total FROM reports.channel_summary(1, '2024-01-01 00:00+00', '2024-01-01 00:00+00'::timestamptz + interval '15778476 seconds');
-- no conversations in range: no rows
SELECT * FROM reports.channel_summary(1, '2023-01-01 00:00+00', '2023-02-01 00:00+00');

-------------------------------------------------------------------------------------------------
-- The columns beyond Chatwoot's (quantiles, reopens, one-touch) of the agent, inbox, team and
-- label reports against plain SQL on the same rows: quantiles within 1% of percentile_cont,
-- the rest exactly. Events by user / inbox / the conversation's team (labels: Chatwoot's events of
-- any date of the conversations created in range); reopens and one-touch by the conversation's
-- assignee / inbox / team / labels; one-touch counts public agent messages with a plain count.
-------------------------------------------------------------------------------------------------
CREATE TEMP TABLE plain_keys AS
SELECT d.dim, e.id AS event_id, e.name, e.value - coalesce(w.wait_seconds, 0) AS val,
       CASE d.dim WHEN 'agent' THEN e.user_id::text WHEN 'inbox' THEN e.inbox_id::text
                  WHEN 'team' THEN (SELECT c.team_id::text FROM conversations c WHERE c.id = e.conversation_id AND c.account_id = 1) END AS key
FROM reporting_events e LEFT JOIN reports.event_waits w ON w.event_id = e.id
CROSS JOIN (VALUES ('agent'), ('inbox'), ('team')) d(dim)
WHERE e.account_id = 1 AND e.created_at >= '2024-03-06' AND e.created_at < '2024-03-13'
UNION ALL
SELECT 'label', e.id, e.name, e.value - coalesce(w.wait_seconds, 0), l.label
FROM reporting_events e LEFT JOIN reports.event_waits w ON w.event_id = e.id
JOIN conversations c ON c.id = e.conversation_id AND c.account_id = 1
                    AND c.created_at >= '2024-03-06' AND c.created_at < '2024-03-13'
JOIN (SELECT DISTINCT t.taggable_id AS conversation_id, lower(g.name) AS label FROM taggings t JOIN tags g ON g.id = t.tag_id
      WHERE t.taggable_type = 'Conversation' AND t.context = 'labels') l ON l.conversation_id = c.id
WHERE e.account_id = 1;
CREATE TEMP TABLE plain_conv AS
SELECT d.dim, c.id AS conversation_id,
       CASE d.dim WHEN 'agent' THEN c.assignee_id::text WHEN 'inbox' THEN c.inbox_id::text WHEN 'team' THEN c.team_id::text
                  ELSE l.label END AS key,
       EXISTS (SELECT FROM reports.conversation_status_changes s WHERE s.conversation_id = c.id AND s.previous_status = 1
               AND s.status = 0 AND s.changed_at >= '2024-03-06' AND s.changed_at < '2024-03-13') AS reopened,
       EXISTS (SELECT FROM reporting_events e WHERE e.conversation_id = c.id AND e.account_id = 1
               AND e.name = 'conversation_resolved' AND e.created_at >= '2024-03-06' AND e.created_at < '2024-03-13') AS resolved,
       (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.message_type = 1 AND NOT m.private
               AND m.sender_type = 'User') = 1 AS one_touch
FROM conversations c
CROSS JOIN (VALUES ('agent'), ('inbox'), ('team'), ('label')) d(dim)
LEFT JOIN (SELECT DISTINCT t.taggable_id AS conversation_id, lower(g.name) AS label FROM taggings t JOIN tags g ON g.id = t.tag_id
           WHERE t.taggable_type = 'Conversation') l ON d.dim = 'label' AND l.conversation_id = c.id
WHERE c.account_id = 1;
CREATE TEMP TABLE plain_new AS
SELECT k.dim, k.key, q.metric,
       (SELECT percentile_cont(q.q) WITHIN GROUP (ORDER BY p.val) FROM plain_keys p
        WHERE p.dim = k.dim AND p.key = k.key AND p.name = q.ev) AS value
FROM (SELECT DISTINCT dim, key FROM plain_keys UNION SELECT DISTINCT dim, key FROM plain_conv) k
CROSS JOIN (VALUES ('median_first_response_time', 'first_response', 0.5::float8), ('p90_first_response_time', 'first_response', 0.9),
                   ('median_resolution_time', 'conversation_resolved', 0.5), ('p90_resolution_time', 'conversation_resolved', 0.9),
                   ('median_reply_time', 'reply_time', 0.5), ('p90_reply_time', 'reply_time', 0.9)) q(metric, ev, q)
WHERE k.key IS NOT NULL
UNION ALL
SELECT k.dim, k.key, h.metric, h.value
FROM (SELECT dim, key, count(*) FILTER (WHERE reopened) AS reopened, count(*) FILTER (WHERE resolved) AS resolved,
             count(*) FILTER (WHERE resolved AND one_touch) AS one_touch
      FROM plain_conv WHERE key IS NOT NULL GROUP BY 1, 2) k
LEFT JOIN (SELECT dim, key, count(*) AS n FROM plain_keys WHERE name = 'conversation_resolved' GROUP BY 1, 2) r
       ON r.dim = k.dim AND r.key = k.key
CROSS JOIN LATERAL (VALUES ('reopened_count', k.reopened::float8),
                           ('reopen_rate', CASE WHEN coalesce(r.n, 0) > 0 THEN k.reopened * 100.0 / r.n END),
                           ('one_touch_resolution_rate', CASE WHEN k.resolved > 0 THEN k.one_touch * 100.0 / k.resolved END)) h(metric, value);
CREATE TEMP TABLE report_new AS
SELECT x.dim, x.key, m.metric, (x.row ->> m.metric)::float8 AS value
FROM (SELECT 'agent' AS dim, r.id::text AS key, to_jsonb(r) AS row FROM reports.agent_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00') r
      UNION ALL
      SELECT 'inbox', r.id::text, to_jsonb(r) FROM reports.inbox_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00') r
      UNION ALL
      SELECT 'team', r.id::text, to_jsonb(r) FROM reports.team_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00') r
      UNION ALL
      SELECT 'label', lower(r.title), to_jsonb(r) FROM reports.label_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00') r) x
CROSS JOIN unnest(ARRAY['median_first_response_time', 'p90_first_response_time', 'median_resolution_time',
                        'p90_resolution_time', 'median_reply_time', 'p90_reply_time', 'reopened_count', 'reopen_rate',
                        'one_touch_resolution_rate']) m(metric);
-- Every entity row's new values against plain SQL; entities the plain SQL does not see must have
-- nothing (0 reopens, NULL elsewhere).
SELECT r.dim, count(*) AS compared,
       count(*) FILTER (WHERE r.value IS NOT NULL) AS with_values,
       count(*) FILTER (WHERE NOT CASE WHEN r.metric LIKE 'median%' OR r.metric LIKE 'p90%'
                                       THEN (r.value IS NULL AND p.value IS NULL) OR abs(r.value - p.value) <= 0.01 * abs(p.value)
                                       WHEN p.dim IS NULL THEN r.value IS NULL OR (r.metric = 'reopened_count' AND r.value = 0)
                                       ELSE r.value IS NOT DISTINCT FROM p.value END
                              OR (p.dim IS NOT NULL AND p.value IS NULL AND r.value IS NOT NULL AND r.metric LIKE '%time')) AS mismatches
FROM report_new r LEFT JOIN plain_new p ON p.dim = r.dim AND p.key = r.key AND p.metric = r.metric
GROUP BY r.dim ORDER BY r.dim;
-- Hand-checked: Carol (agent 3) reopened C3 (resolved 03-06 12:00, opened 03-07 14:00); her two
-- resolutions -> 50%; C3 has two agent messages -> one-touch 0. Alice's C1 one message -> 100.
SELECT id, reopened_count, reopen_rate, one_touch_resolution_rate FROM reports.agent_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00') ORDER BY id;

-------------------------------------------------------------------------------------------------
-- Bad arguments.
-------------------------------------------------------------------------------------------------
\set VERBOSITY terse
-- one second more than 6 months
SELECT * FROM reports.channel_summary(1, '2024-01-01 00:00+00', '2024-01-01 00:00+00'::timestamptz + interval '15778477 seconds');
SELECT * FROM reports.channel_summary(1, '2024-03-13', '2024-03-06');
SELECT * FROM reports.summary_by(1, 'channel', '2024-03-06', '2024-03-13');
SELECT * FROM reports.summary_by(1, NULL, '2024-03-06', '2024-03-13');
SELECT * FROM reports.agent_report(1, '2024-03-13', '2024-03-06');
SELECT * FROM reports.inbox_report(1, NULL, '2024-03-06');
SELECT * FROM reports.team_report(1, '2024-03-06', '2024-03-06');
SELECT * FROM reports.label_report(1, '2024-03-13', '2024-03-06');
\set VERBOSITY default
