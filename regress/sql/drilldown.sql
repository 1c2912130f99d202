-- drilldown: reports.drilldown on its own small dataset (accounts 901/902, ids from 9001), loaded
-- inside a transaction that is rolled back at the end, so the shared fixture is untouched.
-- Every expected row below is worked out by hand from these tables.
--
-- Zone America/New_York: 2024-03-10 is the 23-hour day (EST -> EDT at 07:00Z). Its local day runs
-- from 2024-03-10 05:00Z to 2024-03-11 04:00Z.
--
-- CONVERSATIONS (account 901 unless noted)
--   9001 03-10 06:00Z  inbox Web,  Ann, team t1, Kim, resolved, labels vipdrill (context labels)
--   9002 03-11 03:30Z  inbox Mail, Ben,          Kim, open,     tag VipDrill in context 'skills'
--   9003 03-11 04:30Z  inbox Web,  Ann,               pending   (the next NY day)
--   9004 03-10 04:30Z  inbox Web,  -,                 snoozed   (the previous NY day; UTC 03-10)
--   9005 03-10 12:00Z  account 902
-- MESSAGES  9001 in 9001 incoming Kim 06:00 | 9002 in 9001 outgoing Ann 06:10 | 9003 activity 06:20
--           9004 in 9001 outgoing private note Ann 06:15 | 9005 in 9002 incoming Kim 03-11 03:30
--           9006 in 9002 outgoing AgentBot Botty 03-11 03:31 | 9007 in 9003 incoming 03-11 04:30
--           9008 account 902
-- EVENTS    9001 first_response 9001 Ann 600/300, end 06:10:01 (1 s after message 9002)
--           9002 reply_time 9002 Ben 60/45, created 03-11 03:32, end 03-11 03:31 (= message 9006)
--           9003 first_response 9002 Ben 100/80, created 03-11 03:33, end 03:40 (no message then)
--           9004 conversation_resolved 9001 Ann 7200/3600 at 08:00; recorded waits 1200/600
--           9005 conversation_bot_resolved 9001 at 08:00; 9006 bot_resolved 9002 at 03-11 03:35
--           9007 bot_handoff 9002 at 03-09 12:00 | 9008, 9009 bot_handoff 9004 at 07:00, 07:30
--           9010 bot_handoff without conversation 08:30 | 9011 account 902 first_response 12:00
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
BEGIN;
INSERT INTO accounts (id, name, created_at, updated_at) VALUES
  (901, 'Drill', '2024-01-01', '2024-01-01'), (902, 'Elsewhere', '2024-01-01', '2024-01-01');
INSERT INTO users (id, name, email, uid, created_at, updated_at) VALUES
  (9001, 'Ann', 'ann@drill.test', 'ann@drill.test', '2024-01-01', '2024-01-01'),
  (9002, 'Ben', 'ben@drill.test', 'ben@drill.test', '2024-01-01', '2024-01-01'),
  (9003, 'Cid', 'cid@else.test', 'cid@else.test', '2024-01-01', '2024-01-01');
INSERT INTO account_users (id, account_id, user_id, role, created_at, updated_at) VALUES
  (9001, 901, 9001, 1, '2024-01-01', '2024-01-01'), (9002, 901, 9002, 0, '2024-01-01', '2024-01-01'),
  (9003, 902, 9003, 1, '2024-01-01', '2024-01-01');
INSERT INTO inboxes (id, channel_id, account_id, name, channel_type, created_at, updated_at) VALUES
  (9001, 9001, 901, 'Web', 'Channel::WebWidget', '2024-01-01', '2024-01-01'),
  (9002, 9002, 901, 'Mail', 'Channel::Email', '2024-01-01', '2024-01-01'),
  (9003, 9003, 902, 'X', 'Channel::Api', '2024-01-01', '2024-01-01');
INSERT INTO teams (id, name, account_id, created_at, updated_at) VALUES (9001, 't1', 901, '2024-01-01', '2024-01-01');
INSERT INTO labels (id, title, account_id, created_at, updated_at) VALUES
  (9001, 'vipdrill', 901, '2024-01-01', '2024-01-01'), (9002, 'vipdrill', 902, '2024-01-01', '2024-01-01');
INSERT INTO tags (id, name) VALUES (9001, 'VipDrill');
INSERT INTO contacts (id, name, account_id, created_at, updated_at) VALUES (9001, 'Kim', 901, '2024-01-01', '2024-01-01');
INSERT INTO agent_bots (id, name, created_at, updated_at) VALUES (9001, 'Botty', '2024-01-01', '2024-01-01');
INSERT INTO conversations (id, account_id, inbox_id, status, assignee_id, team_id, contact_id, display_id,
                           created_at, updated_at, last_activity_at) VALUES
  (9001, 901, 9001, 1, 9001, 9001, 9001, 1, '2024-03-10 06:00', '2024-03-10 08:00', '2024-03-10 09:00'),
  (9002, 901, 9002, 0, 9002, NULL, 9001, 2, '2024-03-11 03:30', '2024-03-11 03:35', '2024-03-11 03:40'),
  (9003, 901, 9001, 2, 9001, NULL, NULL, 3, '2024-03-11 04:30', '2024-03-11 04:30', '2024-03-11 04:30'),
  (9004, 901, 9001, 3, NULL, NULL, NULL, 4, '2024-03-10 04:30', '2024-03-10 04:30', '2024-03-10 04:30'),
  (9005, 902, 9003, 0, 9003, NULL, NULL, 1, '2024-03-10 12:00', '2024-03-10 12:00', '2024-03-10 12:00');
INSERT INTO taggings (id, tag_id, taggable_type, taggable_id, context, created_at) VALUES
  (9001, 9001, 'Conversation', 9001, 'labels', '2024-03-10 06:00'),
  (9002, 9001, 'Conversation', 9002, 'skills', '2024-03-11 03:30');
INSERT INTO messages (id, account_id, inbox_id, conversation_id, message_type, private, sender_type, sender_id,
                      content, created_at, updated_at) VALUES
  (9001, 901, 9001, 9001, 0, false, 'Contact', 9001, 'hello', '2024-03-10 06:00', '2024-03-10 06:00'),
  (9002, 901, 9001, 9001, 1, false, 'User', 9001, 'hi there', '2024-03-10 06:10', '2024-03-10 06:10'),
  (9003, 901, 9001, 9001, 2, false, NULL, NULL, 'Conversation resolved', '2024-03-10 06:20', '2024-03-10 06:20'),
  (9004, 901, 9001, 9001, 1, true, 'User', 9001, 'note', '2024-03-10 06:15', '2024-03-10 06:15'),
  (9005, 901, 9002, 9002, 0, false, 'Contact', 9001, 'late', '2024-03-11 03:30', '2024-03-11 03:30'),
  (9006, 901, 9002, 9002, 1, false, 'AgentBot', 9001, 'bot says', '2024-03-11 03:31', '2024-03-11 03:31'),
  (9007, 901, 9001, 9003, 0, false, 'Contact', 9001, 'next day', '2024-03-11 04:30', '2024-03-11 04:30'),
  (9008, 902, 9003, 9005, 1, false, 'User', 9003, 'elsewhere', '2024-03-10 12:00', '2024-03-10 12:00');
INSERT INTO reporting_events (id, name, value, value_in_business_hours, account_id, inbox_id, user_id,
                              conversation_id, created_at, updated_at, event_start_time, event_end_time) VALUES
  (9001, 'first_response', 600, 300, 901, 9001, 9001, 9001, '2024-03-10 06:10', '2024-03-10 06:10', '2024-03-10 06:00', '2024-03-10 06:10:01'),
  (9002, 'reply_time', 60, 45, 901, 9002, 9002, 9002, '2024-03-11 03:32', '2024-03-11 03:32', '2024-03-11 03:30', '2024-03-11 03:31'),
  (9003, 'first_response', 100, 80, 901, 9002, 9002, 9002, '2024-03-11 03:33', '2024-03-11 03:33', '2024-03-11 03:30', '2024-03-11 03:40'),
  (9004, 'conversation_resolved', 7200, 3600, 901, 9001, 9001, 9001, '2024-03-10 08:00', '2024-03-10 08:00', '2024-03-10 06:00', '2024-03-10 08:00'),
  (9005, 'conversation_bot_resolved', 7200, 3600, 901, 9001, 9001, 9001, '2024-03-10 08:00', '2024-03-10 08:00', '2024-03-10 06:00', '2024-03-10 08:00'),
  (9006, 'conversation_bot_resolved', 50, 50, 901, 9002, 9002, 9002, '2024-03-11 03:35', '2024-03-11 03:35', '2024-03-11 03:30', '2024-03-11 03:35'),
  (9007, 'conversation_bot_handoff', 10, 10, 901, 9002, NULL, 9002, '2024-03-09 12:00', '2024-03-09 12:00', NULL, NULL),
  (9008, 'conversation_bot_handoff', 10, 10, 901, 9001, NULL, 9004, '2024-03-10 07:00', '2024-03-10 07:00', '2024-03-10 04:30', '2024-03-10 07:00'),
  (9009, 'conversation_bot_handoff', 20, 20, 901, 9001, NULL, 9004, '2024-03-10 07:30', '2024-03-10 07:30', '2024-03-10 04:30', '2024-03-10 07:30'),
  (9010, 'conversation_bot_handoff', 5, 5, 901, 9001, NULL, NULL, '2024-03-10 08:30', '2024-03-10 08:30', NULL, NULL),
  (9011, 'first_response', 1, 1, 902, 9003, 9003, 9005, '2024-03-10 12:00', '2024-03-10 12:00', NULL, '2024-03-10 12:00');
-- The pending/snoozed time inside event 9004 (normally recorded by the reports_event_waits trigger).
INSERT INTO reports.event_waits (event_id, account_id, created_at, wait_seconds, wait_business_seconds)
VALUES (9004, 901, '2024-03-10 08:00', 1200, 600);

-- The NY day 2024-03-10 of the range 03-09..03-12 (UTC midnights).
CREATE TEMP VIEW ny AS SELECT '2024-03-10 05:00+00'::timestamptz AS b, '2024-03-09 00:00+00'::timestamptz AS s,
                              '2024-03-12 00:00+00'::timestamptz AS u;

-------------------------------------------------------------------------------------------------
-- conversations_count: 9002 (03-11 03:30Z, still 03-10 in NY) then 9001; window 05:00Z..04:00Z (23 h)
-------------------------------------------------------------------------------------------------
SELECT record_type, occurred_at, metric_value, event_name, conversation_id, display_id, status, contact_name,
       inbox_name, assignee_name, conversation_created_at, last_activity_at, last_message_id, last_message_content,
       last_message_type, last_message_sender_name, message_id, bucket_since, bucket_until, total_count, conversation_count
FROM ny, reports.drilldown(901, 'conversations_count', ny.b, ny.s, ny.u, 'day', 'America/New_York');
-- the same bucket start in UTC: [03-10 00:00Z, 03-11 00:00Z) holds 9001 and 9004 (04:30Z)
SELECT conversation_id, status, bucket_since, bucket_until, total_count
FROM reports.drilldown(901, 'conversations_count', '2024-03-10 00:00+00', '2024-03-09 00:00+00', '2024-03-12 00:00+00');
-- scopes: label vipdrill = 9001 (labels) and 9002 (skills: any context counts) | team t1 = 9001 |
-- agent Ben = 9002 | inbox Web = 9001 (9003 is the next day)
SELECT 'label' AS scope, conversation_id FROM ny, reports.drilldown(901, 'conversations_count', ny.b, ny.s, ny.u, 'day', 'America/New_York', 'label', 9001)
UNION ALL SELECT 'team', conversation_id FROM ny, reports.drilldown(901, 'conversations_count', ny.b, ny.s, ny.u, 'day', 'America/New_York', 'team', 9001)
UNION ALL SELECT 'agent', conversation_id FROM ny, reports.drilldown(901, 'conversations_count', ny.b, ny.s, ny.u, 'day', 'America/New_York', 'agent', 9002)
UNION ALL SELECT 'inbox', conversation_id FROM ny, reports.drilldown(901, 'conversations_count', ny.b, ny.s, ny.u, 'day', 'America/New_York', 'inbox', 9001);
-- another account's ids match nothing: agent Cid, inbox X, label vipdrill of 902; and account
-- 902 sees only its own 9005
SELECT count(*) AS foreign_ids FROM ny,
  LATERAL (SELECT 1 FROM reports.drilldown(901, 'conversations_count', ny.b, ny.s, ny.u, 'day', 'America/New_York', 'agent', 9003)
           UNION ALL SELECT 1 FROM reports.drilldown(901, 'conversations_count', ny.b, ny.s, ny.u, 'day', 'America/New_York', 'inbox', 9003)
           UNION ALL SELECT 1 FROM reports.drilldown(901, 'conversations_count', ny.b, ny.s, ny.u, 'day', 'America/New_York', 'label', 9002)) x;
SELECT conversation_id, display_id FROM ny, reports.drilldown(902, 'conversations_count', ny.b, ny.s, ny.u, 'day', 'America/New_York');
-- other periods: the hour 06:00Z holds 9001 only; the NY month of March, clipped to since..until,
-- holds 9004, 9001, 9002 and 9003 (all of 03-09..03-12)
SELECT conversation_id, bucket_since, bucket_until FROM reports.drilldown(901, 'conversations_count', '2024-03-10 06:00+00',
       '2024-03-09 00:00+00', '2024-03-12 00:00+00', 'hour', 'America/New_York');
SELECT conversation_id, bucket_since, bucket_until, total_count FROM reports.drilldown(901, 'conversations_count',
       '2024-03-01 05:00+00', '2024-03-09 00:00+00', '2024-03-12 00:00+00', 'month', 'America/New_York');
-- the NY day 03-09 (05:00Z..03-10 05:00Z) holds 9004 (03-10 04:30Z = 03-09 23:30 EST); the NY day
-- 03-08 clipped to since is [03-09 00:00Z, 05:00Z) and holds nothing: no rows
SELECT conversation_id FROM reports.drilldown(901, 'conversations_count', '2024-03-09 05:00+00',
       '2024-03-09 00:00+00', '2024-03-12 00:00+00', 'day', 'America/New_York');
SELECT count(*) AS empty_bucket FROM reports.drilldown(901, 'conversations_count', '2024-03-08 05:00+00',
       '2024-03-09 00:00+00', '2024-03-12 00:00+00', 'day', 'America/New_York');

-------------------------------------------------------------------------------------------------
-- message counts: outgoing = 9006 (bot), 9004 (private note), 9002; incoming = 9005, 9001.
-- last message of 9001 = 9004 (latest non-activity; the activity 9003 at 06:20 is skipped)
-------------------------------------------------------------------------------------------------
SELECT record_type, occurred_at, conversation_id, message_id, message_content, message_type, message_sender_name,
       message_created_at, last_message_id, last_message_sender_name, total_count, conversation_count
FROM ny, reports.drilldown(901, 'outgoing_messages_count', ny.b, ny.s, ny.u, 'day', 'America/New_York');
SELECT message_id, message_type, message_sender_name, total_count, conversation_count
FROM ny, reports.drilldown(901, 'incoming_messages_count', ny.b, ny.s, ny.u, 'day', 'America/New_York');
-- agent Ann's outgoing messages: 9004, 9002 (one conversation)
SELECT message_id, total_count, conversation_count
FROM ny, reports.drilldown(901, 'outgoing_messages_count', ny.b, ny.s, ny.u, 'day', 'America/New_York', 'agent', 9001);
-- paging, 2 a page: page 1 = 9006, 9004; page 2 = 9002; page 3 empty; totals on every row
SELECT 1 AS page, message_id, total_count, conversation_count FROM ny, reports.drilldown(901, 'outgoing_messages_count', ny.b, ny.s, ny.u, 'day', 'America/New_York', page => 1, per_page => 2)
UNION ALL SELECT 2, message_id, total_count, conversation_count FROM ny, reports.drilldown(901, 'outgoing_messages_count', ny.b, ny.s, ny.u, 'day', 'America/New_York', page => 2, per_page => 2)
UNION ALL SELECT 3, message_id, total_count, conversation_count FROM ny, reports.drilldown(901, 'outgoing_messages_count', ny.b, ny.s, ny.u, 'day', 'America/New_York', page => 3, per_page => 2);

-------------------------------------------------------------------------------------------------
-- events
-------------------------------------------------------------------------------------------------
-- first response: 9003 has no reply within 1 s of its end -> a conversation row named
-- first_response, occurred at its end 03:40; 9001 -> message 9002 (06:10:00 is 1 s before the end,
-- inclusive; sender Ann = the event's user)
SELECT record_type, occurred_at, metric_value, event_name, source_id, conversation_id, message_id, message_sender_name,
       total_count, conversation_count
FROM ny, reports.drilldown(901, 'avg_first_response_time', ny.b, ny.s, ny.u, 'day', 'America/New_York');
-- business hours switch the values only: 80, 300
SELECT source_id, metric_value FROM ny, reports.drilldown(901, 'avg_first_response_time', ny.b, ny.s, ny.u, 'day', 'America/New_York', business_hours => true);
-- reply time 9002 -> the bot's message 9006 at its end (reply_time needs no particular sender)
SELECT record_type, metric_value, event_name, message_id, message_sender_name
FROM ny, reports.drilldown(901, 'reply_time', ny.b, ny.s, ny.u, 'day', 'America/New_York');
-- resolutions: 9004 net of its recorded waits, 7200 - 1200 = 6000 (business hours 3600 - 600 = 3000)
SELECT record_type, occurred_at, metric_value, event_name, conversation_id, message_id
FROM ny, reports.drilldown(901, 'avg_resolution_time', ny.b, ny.s, ny.u, 'day', 'America/New_York');
SELECT metric_value FROM ny, reports.drilldown(901, 'resolutions_count', ny.b, ny.s, ny.u, 'day', 'America/New_York', business_hours => true);
-- bot resolutions: 9006's conversation 9002 was handed off on 03-09, inside since..until -> only 9005
SELECT source_id, event_name FROM ny, reports.drilldown(901, 'bot_resolutions_count', ny.b, ny.s, ny.u, 'day', 'America/New_York');
-- with since = 03-10 00:00Z that handoff is outside the range: 9006 and 9005
SELECT source_id FROM reports.drilldown(901, 'bot_resolutions_count', '2024-03-10 05:00+00', '2024-03-10 00:00+00',
       '2024-03-12 00:00+00', 'day', 'America/New_York');
-- bot handoffs: one row per conversation, its latest event (9009, not 9008); 9010 has no conversation
SELECT source_id, conversation_id, metric_value, occurred_at, total_count, conversation_count
FROM ny, reports.drilldown(901, 'bot_handoffs_count', ny.b, ny.s, ny.u, 'day', 'America/New_York');

ROLLBACK;

-------------------------------------------------------------------------------------------------
-- bad input: an error naming the argument, with its SQLSTATE (after the rollback: the checks
-- need no data)
-------------------------------------------------------------------------------------------------
\set SHOW_CONTEXT never
SELECT * FROM reports.drilldown(NULL, 'conversations_count', '2024-03-10', '2024-03-09', '2024-03-12');
\echo SQLSTATE :SQLSTATE
SELECT * FROM reports.drilldown(901, 'nope', '2024-03-10', '2024-03-09', '2024-03-12');
\echo SQLSTATE :SQLSTATE
SELECT * FROM reports.drilldown(901, NULL, '2024-03-10', '2024-03-09', '2024-03-12');
\echo SQLSTATE :SQLSTATE
SELECT * FROM reports.drilldown(901, 'conversations_count', NULL, '2024-03-09', '2024-03-12');
\echo SQLSTATE :SQLSTATE
SELECT * FROM reports.drilldown(901, 'conversations_count', '2024-03-10', '2024-03-12', '2024-03-09');
\echo SQLSTATE :SQLSTATE
SELECT * FROM reports.drilldown(901, 'conversations_count', '2024-03-10', '2024-03-09', 'infinity');
\echo SQLSTATE :SQLSTATE
SELECT * FROM reports.drilldown(901, 'conversations_count', '2024-03-10', '2024-03-09', '2024-03-12', 'fortnight');
\echo SQLSTATE :SQLSTATE
SELECT * FROM reports.drilldown(901, 'conversations_count', '2024-03-10', '2024-03-09', '2024-03-12', 'day', 'Mars/Olympus');
\echo SQLSTATE :SQLSTATE
SELECT * FROM reports.drilldown(901, 'conversations_count', '2024-03-10', '2024-03-09', '2024-03-12', 'day', 'UTC', 'planet', 1);
\echo SQLSTATE :SQLSTATE
SELECT * FROM reports.drilldown(901, 'conversations_count', '2024-03-10', '2024-03-09', '2024-03-12', 'day', 'UTC', 'team');
\echo SQLSTATE :SQLSTATE
SELECT * FROM reports.drilldown(901, 'conversations_count', '2024-03-10', '2024-03-09', '2024-03-12', page => 0);
\echo SQLSTATE :SQLSTATE
SELECT * FROM reports.drilldown(901, 'conversations_count', '2024-03-10', '2024-03-09', '2024-03-12', page => 1, per_page => 0);
\echo SQLSTATE :SQLSTATE
-- the bucket must overlap since..until: the NY day 03-08 ends at 03-09 05:00Z, exactly since
SELECT * FROM reports.drilldown(901, 'conversations_count', '2024-03-08 05:00+00', '2024-03-09 05:00+00', '2024-03-12', 'day', 'America/New_York');
\echo SQLSTATE :SQLSTATE
SELECT * FROM reports.drilldown(901, 'conversations_count', '2024-03-12 00:00+00', '2024-03-09', '2024-03-12');
\echo SQLSTATE :SQLSTATE
