-- SLA reports: reports.sla_responses and reports.sla_metrics over Chatwoot's sla_policies,
-- applied_slas and sla_events, on the shared fixture's conversations (reports_fixture.sql). The
-- SLA rows are inserted in a transaction that is rolled back. Every expected value is worked out
-- by hand below; a plain-SQL count cross-checks the metrics under every single filter.
--
-- POLICIES  P1 (acct 1) Gold: frt 1800, nrt 3600, rt 86400 s, wall clock
--           P2 (acct 1) Silver BH: frt 3600.7 (cut to 3600), no nrt/rt, business hours only
--           P3 (acct 2) Other: frt 600
-- APPLIED   id policy conv (inbox, assignee, team, labels)        created (UTC)   status              breaches
--  A1  1 P1 C1 (1 Web NY, Alice, sales, billing)         03-08 14:00     hit                 -
--  A2  2 P1 C2 (1 Web NY, Bob, support, billing,urgent)  03-08 21:00     missed              frt 03-08 21:30, nrt 03-11 16:00
--  A3  3 P2 C3 (2 Mail Berlin, Carol, support, urgent)   03-06 08:00     active_with_misses  frt 03-06 10:00
--  A4  4 P2 C6 (3 API, Bob, sales, -)                    03-10 06:30     active              -
--  A5  5 P1 C8 (2 Mail Berlin, -, sales, billing)        03-12 10:00     missed              rt 03-13 10:00
--  A6  6 P1 C9, whose contact is blocked                 03-01 10:00     missed              (left out)
--  A7  7 P3 C10 (account 2)                              03-08 15:00     missed              frt 03-08 15:10
--  A8  8 P3 (account 2's policy) on account 1's C4       03-09 10:00     missed              (left out: foreign policy)
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
BEGIN;
INSERT INTO contacts (id, name, account_id, blocked, created_at, updated_at) VALUES (5, 'Blocked Bo', 1, true, '2024-01-01', '2024-01-01');
UPDATE conversations SET contact_id = 5 WHERE id = 9;
UPDATE conversations SET cached_label_list = v.l FROM (VALUES (1, 'billing'), (2, 'billing,urgent'), (3, 'urgent'), (8, 'billing')) v(id, l)
WHERE conversations.id = v.id;
INSERT INTO sla_policies (id, name, description, first_response_time_threshold, next_response_time_threshold,
                          resolution_time_threshold, only_during_business_hours, account_id, created_at, updated_at) VALUES
  (1, 'Gold', 'Gold customers', 1800, 3600, 86400, false, 1, '2024-01-01', '2024-01-01'),
  (2, 'Silver BH', NULL, 3600.7, NULL, NULL, true, 1, '2024-01-01', '2024-01-01'),
  (3, 'Other', NULL, 600, NULL, NULL, false, 2, '2024-01-01', '2024-01-01');
INSERT INTO applied_slas (id, account_id, sla_policy_id, conversation_id, sla_status, created_at, updated_at) VALUES
  (1, 1, 1, 1, 1, '2024-03-08 14:00', '2024-03-08 16:00'),
  (2, 1, 1, 2, 2, '2024-03-08 21:00', '2024-03-11 17:00'),
  (3, 1, 2, 3, 3, '2024-03-06 08:00', '2024-03-06 10:00'),
  (4, 1, 2, 6, 0, '2024-03-10 06:30', '2024-03-10 06:30'),
  (5, 1, 1, 8, 2, '2024-03-12 10:00', '2024-03-13 10:00'),
  (6, 1, 1, 9, 2, '2024-03-01 10:00', '2024-03-01 11:00'),
  (7, 2, 3, 10, 2, '2024-03-08 15:00', '2024-03-08 17:00'),
  (8, 1, 3, 4, 2, '2024-03-09 10:00', '2024-03-09 10:00');
INSERT INTO sla_events (id, applied_sla_id, conversation_id, account_id, sla_policy_id, inbox_id, event_type, meta, created_at, updated_at) VALUES
  (1, 2, 2, 1, 1, 1, 0, '{}', '2024-03-08 21:30', '2024-03-08 21:30'),
  (2, 2, 2, 1, 1, 1, 1, '{"message_id": 7}', '2024-03-11 16:00', '2024-03-11 16:00'),
  (3, 3, 3, 1, 2, 2, 0, '{}', '2024-03-06 10:00', '2024-03-06 10:00'),
  (4, 5, 8, 1, 1, 2, 2, '{}', '2024-03-13 10:00', '2024-03-13 10:00'),
  (5, 7, 10, 2, 3, 5, 0, '{}', '2024-03-08 15:10', '2024-03-08 15:10');

-- Every applied SLA of account 1, oldest first: A3, A1, A2, A4, A5 (A6 blocked, A8 foreign policy).
-- Due times: A1 C1 created 03-08 14:00 -> frt 14:30, rt 03-09 14:00, no nrt (nobody waits);
-- A2 C2 21:00 -> frt 21:30, rt 03-09 21:00; A3 counts business hours in an inbox with working
-- hours -> no wall-clock due times; A4 the same policy in inbox 3 (working hours off) -> frt
-- 06:30 + 3600 s = 07:30; A5 C8 created 03-12 10:00, waiting since 10:00 -> frt 10:30, nrt 11:00,
-- rt 03-13 10:00.
SELECT id, sla_id, sla_status, created_at, updated_at, sla_name, sla_description, first_response_time_threshold AS frt,
       next_response_time_threshold AS nrt, only_during_business_hours AS bh, resolution_time_threshold AS rt
FROM reports.sla_responses(1);
SELECT id, frt_due_at, nrt_due_at, rt_due_at, conversation_id, conversation_display_id, contact_name, labels
FROM reports.sla_responses(1);
SELECT id, assignee_id, assignee_name, assignee_available_name, assignee_availability, team_name, inbox_name,
       breached_events, sla_events
FROM reports.sla_responses(1);

-- Metrics: 5 applied SLAs, 3 missed (A2, A3, A5) -> 2/5 = 40%.
SELECT * FROM reports.sla_metrics(1);
-- Each filter on its own (hand counts in the comments of each line).
SELECT 'since 03-08 until 03-11: A1 A2 A4, A2 missed' AS filter, * FROM reports.sla_metrics(1, '2024-03-08', '2024-03-11')
UNION ALL SELECT 'since only 03-10: A4 A5' AS filter, * FROM reports.sla_metrics(1, '2024-03-10', NULL)
UNION ALL SELECT 'policy 2: A3 A4' AS filter, * FROM reports.sla_metrics(1, sla_policy_id => 2)
UNION ALL SELECT 'policy 3 (account 2''s): none' AS filter, * FROM reports.sla_metrics(1, sla_policy_id => 3)
UNION ALL SELECT 'agent Bob: A2 A4' AS filter, * FROM reports.sla_metrics(1, agent_ids => '{2}')
UNION ALL SELECT 'agents Alice, Carol: A1 A3' AS filter, * FROM reports.sla_metrics(1, agent_ids => '{1,3}')
UNION ALL SELECT 'agent Dave (account 2): none' AS filter, * FROM reports.sla_metrics(1, agent_ids => '{4}')
UNION ALL SELECT 'inbox 2: A3 A5, both missed' AS filter, * FROM reports.sla_metrics(1, inbox_id => 2)
UNION ALL SELECT 'inbox 5 (account 2''s): none' AS filter, * FROM reports.sla_metrics(1, inbox_id => 5)
UNION ALL SELECT 'team sales: A1 A4 A5' AS filter, * FROM reports.sla_metrics(1, team_id => 1)
UNION ALL SELECT 'label urgent: A2 A3' AS filter, * FROM reports.sla_metrics(1, label => 'urgent')
UNION ALL SELECT 'label substring bill: A1 A2 A5' AS filter, * FROM reports.sla_metrics(1, label => 'bill')
UNION ALL SELECT 'label % is literal: none' AS filter, * FROM reports.sla_metrics(1, label => '%')
UNION ALL SELECT 'empty range' AS filter, * FROM reports.sla_metrics(1, '2020-01-01', '2020-02-01')
UNION ALL SELECT 'account 2: A7' AS filter, * FROM reports.sla_metrics(2)
UNION ALL SELECT 'account without SLAs' AS filter, * FROM reports.sla_metrics(999);
-- 1 of 3 missed: 66.67 (two decimals).
SELECT * FROM reports.sla_metrics(1, team_id => 1);
-- Account 2 sees only its own row.
SELECT id, sla_id, sla_status, conversation_display_id, breached_events FROM reports.sla_responses(2);

-- Cross-check: the metrics against a plain count over the tables, per policy and per inbox.
SELECT g.kind, g.key, (m.number_of_conversations, m.number_of_sla_misses) = (g.total, g.misses) AS agrees
FROM (
    SELECT 'policy' AS kind, a.sla_policy_id AS key, count(*) AS total, count(*) FILTER (WHERE a.sla_status IN (2, 3)) AS misses
    FROM applied_slas a JOIN conversations c ON c.id = a.conversation_id JOIN sla_policies p ON p.id = a.sla_policy_id
    LEFT JOIN contacts k ON k.id = c.contact_id
    WHERE a.account_id = 1 AND c.account_id = 1 AND p.account_id = 1 AND k.blocked IS NOT TRUE GROUP BY a.sla_policy_id
    UNION ALL
    SELECT 'inbox', c.inbox_id, count(*), count(*) FILTER (WHERE a.sla_status IN (2, 3))
    FROM applied_slas a JOIN conversations c ON c.id = a.conversation_id JOIN sla_policies p ON p.id = a.sla_policy_id
    LEFT JOIN contacts k ON k.id = c.contact_id
    WHERE a.account_id = 1 AND c.account_id = 1 AND p.account_id = 1 AND k.blocked IS NOT TRUE GROUP BY c.inbox_id
) g
CROSS JOIN LATERAL reports.sla_metrics(1, sla_policy_id => CASE WHEN g.kind = 'policy' THEN g.key::int END,
                                       inbox_id => CASE WHEN g.kind = 'inbox' THEN g.key::int END) m
ORDER BY 1, 2;
ROLLBACK;

\set VERBOSITY terse
-- Bad input names the argument.
SELECT * FROM reports.sla_metrics(NULL);
SELECT * FROM reports.sla_responses(1, '2024-03-11', '2024-03-08');
SELECT * FROM reports.sla_metrics(1, 'infinity', NULL);
-- A database without Chatwoot's SLA tables (older Chatwoot, community edition): the extension is
-- installed (setup.sql creates it before any Chatwoot table exists) and the SLA functions say
-- which table is missing.
BEGIN;
DROP TABLE sla_events;
SELECT * FROM reports.sla_metrics(1);
ROLLBACK;
\set VERBOSITY default
