-- backlog: conversations open, pending and snoozed at the end of each bucket, from the status
-- history. Its own small dataset (accounts 31 and 32), loaded inside a transaction that is rolled
-- back, so the other tests' data stays as they expect. Every expected count is worked out by hand
-- below; a plain-SQL formulation (the state of each conversation at each bucket end, looked up
-- row by row) cross-checks every bucket.
--
-- America/New_York springs forward on Sunday 2024-03-10 at 07:00Z (02:00 EST -> 03:00 EDT).
--
-- CONVERSATIONS of account 31 (times UTC; "->" = recorded status change)
--  B1 (41) inbox 31, assignee 31, label vip: open 03-09 12:00 -> resolved 03-09 14:00 -> open 03-10 06:00
--          -> resolved 03-10 08:00 -> open 03-10 09:30 (reopened twice)
--  B2 (42) inbox 31, team 31: open 03-09 20:00 -> pending 03-10 05:00 -> snoozed 03-10 10:00 -> open 03-11 12:00
--  B3 (43) created pending 03-01 09:00 before the history starts (its creation row is gone), then
--          -> open 03-10 07:30: pending from its creation until then (previous_status of that change)
--  B4 (44) created snoozed 03-05 10:00, no history at all: snoozed since its creation (current status)
--  B5 (45) created open 03-10 11:00, then deleted: not counted (its history rows stay)
--  B7 (47) created open 03-12 06:00: after every range below except where noted
-- Account 32: B6 (46) inbox 32, assignee 32, open 03-09 12:00 (must never count for account 31).
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
BEGIN;
INSERT INTO accounts (id, name, created_at, updated_at) VALUES
  (31, 'Backlog', '2024-01-01', '2024-01-01'), (32, 'Backlog other', '2024-01-01', '2024-01-01');
INSERT INTO users (id, uid, name, email, created_at, updated_at) VALUES
  (31, 'bea@backlog.test', 'Bea', 'bea@backlog.test', '2024-01-01', '2024-01-01'),
  (32, 'oz@other.test', 'Oz', 'oz@other.test', '2024-01-01', '2024-01-01');
INSERT INTO account_users (id, account_id, user_id, role, created_at, updated_at) VALUES
  (31, 31, 31, 1, '2024-01-01', '2024-01-01'), (32, 32, 32, 1, '2024-01-01', '2024-01-01');
INSERT INTO inboxes (id, channel_id, account_id, name, channel_type, timezone, created_at, updated_at) VALUES
  (31, 1, 31, 'Backlog web', 'Channel::WebWidget', 'UTC', '2024-01-01', '2024-01-01'),
  (32, 1, 32, 'Other web', 'Channel::WebWidget', 'UTC', '2024-01-01', '2024-01-01');
INSERT INTO teams (id, name, account_id, created_at, updated_at) VALUES (31, 'backlog team', 31, '2024-01-01', '2024-01-01');
INSERT INTO labels (id, title, account_id, created_at, updated_at) VALUES
  (31, 'vip', 31, '2024-01-01', '2024-01-01'), (32, 'vip', 32, '2024-01-01', '2024-01-01');
INSERT INTO tags (id, name) VALUES (31, 'vip');
INSERT INTO conversations (id, account_id, inbox_id, status, assignee_id, team_id, display_id, created_at, updated_at) VALUES
  (41, 31, 31, 0, 31,   NULL, 1, '2024-03-09 12:00', '2024-03-09 12:00'),
  (42, 31, 31, 0, NULL, 31,   2, '2024-03-09 20:00', '2024-03-09 20:00'),
  (43, 31, 31, 2, NULL, NULL, 3, '2024-03-01 09:00', '2024-03-01 09:00'),
  (44, 31, 31, 3, NULL, NULL, 4, '2024-03-05 10:00', '2024-03-05 10:00'),
  (45, 31, 31, 0, NULL, NULL, 5, '2024-03-10 11:00', '2024-03-10 11:00'),
  (47, 31, 31, 0, NULL, NULL, 7, '2024-03-12 06:00', '2024-03-12 06:00'),
  (46, 32, 32, 0, 32,   NULL, 1, '2024-03-09 12:00', '2024-03-09 12:00');
INSERT INTO taggings (tag_id, taggable_type, taggable_id, context, created_at) VALUES
  (31, 'Conversation', 41, 'labels', '2024-03-09 12:00');
-- B3 and B4 predate the history: their creation rows are removed, as if the extension came later.
DELETE FROM reports.conversation_status_changes WHERE conversation_id IN (43, 44);
UPDATE conversations SET status = 1, updated_at = '2024-03-09 14:00' WHERE id = 41;
UPDATE conversations SET status = 0, updated_at = '2024-03-10 06:00' WHERE id = 41;
UPDATE conversations SET status = 1, updated_at = '2024-03-10 08:00' WHERE id = 41;
UPDATE conversations SET status = 0, updated_at = '2024-03-10 09:30' WHERE id = 41;
UPDATE conversations SET status = 2, updated_at = '2024-03-10 05:00' WHERE id = 42;
UPDATE conversations SET status = 3, updated_at = '2024-03-10 10:00' WHERE id = 42;
UPDATE conversations SET status = 0, updated_at = '2024-03-11 12:00' WHERE id = 42;
UPDATE conversations SET status = 0, updated_at = '2024-03-10 07:30' WHERE id = 43;
DELETE FROM conversations WHERE id = 45;
SELECT conversation_id, account_id, previous_status, status, changed_at
FROM reports.conversation_status_changes WHERE account_id IN (31, 32) ORDER BY conversation_id, changed_at, id;

-- Daily, UTC. End of 03-08: B3 pending, B4 snoozed. End of 03-09: B1 resolved again, B2 open.
-- End of 03-10: B1 open (second reopening), B3 open, B2 snoozed, B4 snoozed (B5 deleted).
-- End of 03-11: B2 open again.
SELECT * FROM reports.backlog(31, '2024-03-08', '2024-03-12', 'day', 'UTC');
-- The last bucket ends at until: at 03-10 09:00 B1 is resolved (it reopens at 09:30), B2 pending,
-- B3 open, B4 snoozed.
SELECT * FROM reports.backlog(31, '2024-03-10', '2024-03-10 09:00', 'day', 'UTC');
-- A change exactly at a bucket end belongs to the next bucket: at 03-10 06:00 B1 is still resolved.
SELECT * FROM reports.backlog(31, '2024-03-10 05:00', '2024-03-10 07:00', 'hour', 'UTC');

-- The DST day in New York, hourly: 23 local hours (no 02:00). Before 05:00Z: B2 open, B3 pending,
-- B4 snoozed. 00:00 EST (05Z-06Z): B2 pending at 05:00. 01:00 EST: B1 open at 06:00. 03:00 EDT
-- (07Z-08Z): B3 open at 07:30. 04:00 EDT: B1 resolved at 08:00. 05:00 EDT: B1 open at 09:30.
-- 06:00 EDT: B2 snoozed at 10:00; unchanged until 23:00 EDT.
SELECT bucket AT TIME ZONE 'America/New_York' AS local_hour, open, pending, snoozed
FROM reports.backlog(31, '2024-03-10 05:00Z', '2024-03-11 04:00Z', 'hour', 'America/New_York');
-- Weekly (Sunday weeks) in New York: the week of 03-03 ends at 03-10 05:00Z (before B2's change),
-- the week of 03-10 ends at until.
SELECT * FROM reports.backlog(31, '2024-03-06', '2024-03-12', 'week', 'America/New_York');

-- Scopes: the current assignee, inbox, team and labels. Ids of account 32 match nothing.
SELECT 'agent 31' AS scope, * FROM reports.backlog(31, '2024-03-10', '2024-03-11', 'day', 'UTC', 'agent', 31)
UNION ALL SELECT 'agent 32 (other account)', * FROM reports.backlog(31, '2024-03-10', '2024-03-11', 'day', 'UTC', 'agent', 32)
UNION ALL SELECT 'inbox 31', * FROM reports.backlog(31, '2024-03-10', '2024-03-11', 'day', 'UTC', 'inbox', 31)
UNION ALL SELECT 'inbox 32 (other account)', * FROM reports.backlog(31, '2024-03-10', '2024-03-11', 'day', 'UTC', 'inbox', 32)
UNION ALL SELECT 'team 31', * FROM reports.backlog(31, '2024-03-10', '2024-03-11', 'day', 'UTC', 'team', 31)
UNION ALL SELECT 'label 31', * FROM reports.backlog(31, '2024-03-10', '2024-03-11', 'day', 'UTC', 'label', 31)
UNION ALL SELECT 'label 32 (other account)', * FROM reports.backlog(31, '2024-03-10', '2024-03-11', 'day', 'UTC', 'label', 32);
-- Account 32 sees only B6.
SELECT * FROM reports.backlog(32, '2024-03-09', '2024-03-11', 'day', 'UTC');

-- Empty: before any conversation, and an account without any.
SELECT * FROM reports.backlog(31, '2020-01-01', '2020-01-03', 'day', 'UTC');
SELECT * FROM reports.backlog(999, '2024-03-09', '2024-03-10 12:00', 'day', 'UTC');
-- B7 counts once created (03-12 06:00).
SELECT * FROM reports.backlog(31, '2024-03-12', '2024-03-13', 'day', 'UTC');

-- Cross-check against plain SQL: each conversation's state at each bucket end, looked up row by
-- row (the latest recorded change before it; before the first, that change's previous_status; no
-- history at all, the current status). Hourly in New York over four days, then the shared
-- fixture's account 1 daily in Berlin. Every bucket must agree.
CREATE TEMP VIEW backlog_by_lookup AS
SELECT a.account_id, e.bucket,
       count(*) FILTER (WHERE st.status = 0) AS open,
       count(*) FILTER (WHERE st.status = 2) AS pending,
       count(*) FILTER (WHERE st.status = 3) AS snoozed
FROM (VALUES (31), (1)) a(account_id)
CROSS JOIN LATERAL (
    SELECT g AS bucket, least(g + CASE a.account_id WHEN 31 THEN interval '1 hour' ELSE interval '1 day' END,
                              CASE a.account_id WHEN 31 THEN '2024-03-12 05:00Z'::timestamptz ELSE '2024-03-13 00:00+01' END) AS end_at
    FROM generate_series(CASE a.account_id WHEN 31 THEN '2024-03-08 05:00Z'::timestamptz ELSE '2024-03-01 00:00+01' END,
                         CASE a.account_id WHEN 31 THEN '2024-03-12 04:00Z'::timestamptz ELSE '2024-03-12 00:00+01' END,
                         CASE a.account_id WHEN 31 THEN interval '1 hour' ELSE interval '1 day' END) g) e
LEFT JOIN public.conversations c ON c.account_id = a.account_id AND c.created_at < e.end_at AT TIME ZONE 'UTC'
LEFT JOIN LATERAL (
    SELECT coalesce(
        (SELECT h.status FROM reports.conversation_status_changes h
         WHERE h.conversation_id = c.id AND h.changed_at < e.end_at AT TIME ZONE 'UTC'
         ORDER BY h.changed_at DESC, h.id DESC LIMIT 1),
        CASE WHEN NOT EXISTS (SELECT FROM reports.conversation_status_changes h WHERE h.conversation_id = c.id)
             THEN c.status
             ELSE (SELECT h.previous_status FROM reports.conversation_status_changes h
                   WHERE h.conversation_id = c.id ORDER BY h.changed_at, h.id LIMIT 1) END) AS status) st ON true
GROUP BY 1, 2;
SELECT l.account_id, count(*) AS buckets,
       count(*) FILTER (WHERE (l.open, l.pending, l.snoozed) IS DISTINCT FROM (b.open, b.pending, b.snoozed)) AS mismatches,
       sum(l.open + l.pending + l.snoozed) AS conversation_buckets
FROM backlog_by_lookup l
LEFT JOIN LATERAL (
    SELECT * FROM reports.backlog(31, '2024-03-08 05:00Z', '2024-03-12 05:00Z', 'hour', 'America/New_York') WHERE l.account_id = 31
    UNION ALL
    SELECT * FROM reports.backlog(1, '2024-03-01 00:00+01', '2024-03-13 00:00+01', 'day', 'Europe/Berlin') WHERE l.account_id = 1
) b ON b.bucket = l.bucket
GROUP BY 1 ORDER BY 1;
ROLLBACK;

-- Bad input: each error names the argument.
\set VERBOSITY terse
SELECT * FROM reports.backlog(NULL, '2024-03-08', '2024-03-12');
SELECT * FROM reports.backlog(1, NULL, '2024-03-12');
SELECT * FROM reports.backlog(1, '2024-03-12', '2024-03-08');
SELECT * FROM reports.backlog(1, '2024-03-12', '2024-03-12');
SELECT * FROM reports.backlog(1, '-infinity', '2024-03-12');
SELECT * FROM reports.backlog(1, '2024-03-08', '2024-03-12', 'fortnight');
SELECT * FROM reports.backlog(1, '2024-03-08', '2024-03-12', NULL);
SELECT * FROM reports.backlog(1, '2024-03-08', '2024-03-12', 'day', 'Mars/Olympus_Mons');
SELECT * FROM reports.backlog(1, '2024-03-08', '2024-03-12', 'day', NULL);
SELECT * FROM reports.backlog(1, '2024-03-08', '2024-03-12', 'day', 'UTC', 'planet', 1);
SELECT * FROM reports.backlog(1, '2024-03-08', '2024-03-12', 'day', 'UTC', 'agent', NULL);
SELECT * FROM reports.backlog(1, '2000-01-01', '2024-01-01', 'hour', 'UTC');
\set VERBOSITY default
