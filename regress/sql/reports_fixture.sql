-- reports_fixture: a small hand-made Chatwoot dataset shared by reports_timeseries, reports_summary,
-- reports_entities and reports_misc (which only read it; reports_misc changes data inside a
-- transaction it rolls back). Every number those tests assert is worked out by hand from the tables
-- below. All times are UTC (timestamp without time zone, as Chatwoot stores them).
--
-- Calendar: 2024-03-04 is a Monday. America/New_York changes from EST (UTC-5) to EDT (UTC-4) on
-- Sunday 2024-03-10 at 07:00Z (02:00 EST -> 03:00 EDT). Europe/Berlin is CET (UTC+1) until 03-31.
--
-- ACCOUNTS  1 "Acme" (the one under test); 2 "Other" (its ids must never leak into account 1).
-- USERS     1 Alice (acct 1 administrator, availability online=0)
--           2 Bob   (acct 1 agent, busy=2)
--           3 Carol (acct 1 agent, offline=1)
--           4 Dave  (acct 2 administrator, online)                         -- not a member of acct 1
-- INBOXES   1 "Web NY"      Channel::WebWidget  America/New_York  working hours ON : Mon-Fri 09:00-17:00
--           2 "Mail Berlin" Channel::Email      Europe/Berlin     working hours ON : alternating shifts
--                           Mon/Wed/Fri 08:00-12:00, Tue/Thu 13:00-18:00, Sat/Sun closed (one row a day;
--                           see the note on split shifts below)
--           3 "API"         Channel::Api        UTC               working hours OFF (default rows present)
--           4 "Bot WA"      Channel::Whatsapp   UTC               working hours ON : every day open_all_day
--                           (stored 00:00-23:59 as Chatwoot does); agent_bot_inboxes status 0 = bot inbox
--           5 "Other inbox" Channel::WebWidget  UTC  (account 2)  working hours OFF, no rows
--           Not bot inboxes: inbox 3 has an INACTIVE agent_bot_inboxes row (status 1), inbox 1 a
--           DISABLED dialogflow hook (status 0).
-- TEAMS     1 sales {Alice, Bob}; 2 support {Carol}; 3 "other team" (acct 2) {Dave}
-- LABELS    acct 1: 1 billing, 2 urgent, 3 feedback;  acct 2: 4 billing (same title, tags are global)
-- TAGS      1 billing, 2 urgent, 3 feedback
-- TAGGINGS  (Conversation, context 'labels') C1 billing; C2 billing+urgent; C3 urgent; C8 billing;
--           C9 urgent; C10 (acct 2) billing.  C6 feedback in context 'skills' (not 'labels').
-- CONTACTS  1 Zoe zoe@example.com +15550001; 2 Yan (no email/phone); 3 Xi xi@example.com; 4 Wu (acct 2)
--
-- CONVERSATIONS (id = display id except C12 = display 10; C10/C11 are account 2 displays 1/2)
--  id inbox assignee team contact created (UTC)  status history (trigger)                       final
--  C1  1   Alice  sales   Zoe   03-08 14:00  open -> resolved 03-08 16:00                     resolved
--  C2  1   Bob    support Yan   03-08 21:00  open -> pending 03-11 16:00 -> open 16:30
--                                            -> resolved 17:00  (exactly 30 min pending)      resolved
--  C3  2   Carol  support Zoe   03-06 08:00  open -> resolved 03-06 12:00 -> open 03-07 14:00
--                                            -> resolved 03-07 16:00  (resolved, reopened, resolved)
--  C4  4   Alice  -       Xi    03-09 10:00  pending (bot) -> open 03-09 10:10 (bot handoff)   open
--  C5  4   -      -       Xi    03-10 03:00  pending (bot) -> resolved 03-10 03:05 (by bot)   resolved
--  C6  3   Bob    sales   Yan   03-10 06:30  open -> pending 03-10 08:00                      pending
--  C7  1   -      -       Zoe   03-10 08:30  open -> snoozed 03-10 09:00                      snoozed
--  C8  2   -      sales   Yan   03-12 10:00  open, never answered                             open
--  C9  3   Alice  sales   Zoe   03-01 10:00  open -> resolved 03-01 11:00 (previous period)   resolved
--  C12 4   -      -       Xi    03-11 09:00  pending (bot)                                    pending
--  C10 5   Dave   other   Wu    03-08 15:00  open -> resolved 03-08 17:00   (account 2)       resolved
--  C11 5   -      -       Wu    03-09 09:00  open                           (account 2)       open
--  Live columns: first_reply_created_at C1 03-08 14:30, C2 03-11 13:30, C3 03-06 08:30, C4 03-09 10:20,
--  C6 03-10 07:40, C9 03-01 10:15, C10 03-08 15:10 (others NULL); waiting_since C7 03-10 08:30,
--  C8 03-12 10:00, C12 03-11 09:00, C11 03-09 09:00 (others NULL).
--
-- MESSAGES  (type 0 incoming, 1 outgoing, 2 activity, 3 template; P = private note; CSAT = content_type 9)
--  C1 : 1 in 03-08 14:00 | 2 out Alice 14:30 | 3 out P Alice 15:00 | 4 template CSAT 16:00
--  C2 : 5 in 03-08 21:00 | 6 out Bob 03-11 13:30 | 7 in 15:00 | 8 out Bob 15:20 | 9 activity 17:00
--       | 10 template CSAT 17:00
--  C3 : 11 in 03-06 08:00 | 12 out Carol 08:30 | 13 in 03-07 14:00 | 14 out Carol 15:00
--       | 15 template CSAT 16:00
--  C4 : 16 in 03-09 10:00 | 17 out AgentBot 10:00:05 | 18 out Alice 10:20 | 19 out P Alice 03-11 02:00
--  C5 : 20 in 03-10 03:00 | 21 out AgentBot 03:01 | 22 template CSAT 03:06
--  C6 : 23 in 03-10 06:30 | 24 out P Bob 07:30 | 25 out Bob 07:40 | 26 in 07:50 | 27 out Bob 07:55
--  C7 : 28 in 03-10 08:30        C8 : 29 in 03-12 10:00
--  C9 : 30 in 03-01 10:00 | 31 out Alice 10:15 | 32 template CSAT 11:00 (never answered)
--  C12: 33 in 03-11 09:00 | 34 out AgentBot 09:00:10
--  acct 2: C10: 35 in 03-08 15:00 | 36 out Dave 15:10 | 37 template CSAT 16:00;  C11: 38 in 03-09 09:00
--
-- REPORTING EVENTS (created_at = event_end_time; value = end - start; BH = value_in_business_hours,
-- left NULL on insert so the trigger fills it, except the two "opened" events with value 0 where
-- Chatwoot itself writes 0)
--  id name          conv inbox user  start        end (=created)  value   BH by hand
--   1 first_resp.    C1  1  Alice 03-08 14:00  03-08 14:30       1800    1800  Fri 09:00-09:30 EST
--   2 resolved       C1  1  Alice 03-08 14:00  03-08 16:00       7200    7200  Fri 09:00-11:00 EST
--   3 first_resp.    C2  1  Bob   03-08 21:00  03-11 13:30     232200    5400  Fri 16:00-17:00 EST 3600
--                       (spans the DST change: 64.5 h)                         + Mon 09:00-09:30 EDT 1800
--   4 reply_time     C2  1  Bob   03-11 15:00  03-11 15:20       1200    1200  Mon 11:00-11:20 EDT
--   5 opened         C2  1  Bob   03-08 21:00  03-11 16:30          0       0  (explicit; no prior resolution)
--   6 resolved       C2  1  Bob   03-08 21:00  03-11 17:00     244800   18000  Fri 16-17 EST 3600
--                       (68 h)                                                 + Mon 09:00-13:00 EDT 14400
--   7 first_resp.    C3  2  Carol 03-06 08:00  03-06 08:30       1800    1800  Wed 09:00-09:30 CET
--   8 resolved       C3  2  Carol 03-06 08:00  03-06 12:00      14400   10800  Wed 09:00-12:00 CET (closes 12)
--   9 opened         C3  2  Carol 03-06 12:00  03-07 14:00      93600    7200  Thu 13:00-15:00 CET
--  10 reply_time     C3  2  Carol 03-07 14:00  03-07 15:00       3600    3600  Thu 15:00-16:00 CET
--  11 resolved       C3  2  Carol 03-06 08:00  03-07 16:00     115200   25200  Wed 09-12 (3 h) + Thu 13-17 (4 h)
--  12 bot_handoff    C4  4  -     03-09 10:00  03-09 10:10        600     600  open all day
--  13 opened         C4  4  -     03-09 10:00  03-09 10:10          0       0  (explicit)
--  14 bot_handoff    C4  4  -     03-09 10:00  03-09 10:12        720     720  (a duplicate handoff row)
--  15 first_resp.    C4  4  Alice 03-09 10:10  03-09 10:20        600     600  (LNHA = handoff end)
--  16 resolved       C5  4  -     03-10 03:00  03-10 03:05        300     300
--  17 bot_resolved   C5  4  -     03-10 03:00  03-10 03:05        300     300
--  18 first_resp.    C6  3  Bob   03-10 06:30  03-10 07:40       4200       0  working hours off
--  19 reply_time     C6  3  Bob   03-10 07:50  03-10 07:55        300       0  working hours off
--  20 bot_handoff    99  4  -     03-09 13:00  03-09 13:01         60      60  conversation 99 does not exist
--  21 first_resp.    C9  3  Alice 03-01 10:00  03-01 10:15        900       0
--  22 resolved       C9  3  Alice 03-01 10:00  03-01 11:00       3600       0
--  23 first_resp.   C10  5  Dave  03-08 15:00  03-08 15:10        600       0  (account 2)
--  24 resolved      C10  5  Dave  03-08 15:00  03-08 17:00       7200       0  (account 2)
--
-- RESOLUTION TIME NET OF RECORDED PENDING/SNOOZED TIME (DESIGN: "reports subtract the recorded
-- pending/snoozed time"): event 6 overlaps C2's pending span 03-11 16:00-16:30 = 1800 s (business:
-- Mon 12:00-12:30 EDT = 1800) -> 243000 / BH 16200. Event 16 overlaps C5's pending span 03:00-03:05
-- (a bot conversation is pending until the bot resolves it) = 300 s (BH 300, open all day) -> 0 / 0.
-- C3 and C1 were never pending -> unchanged. C6/C7 pending/snoozed but never resolved.
--
-- CSAT RESPONSES  1: C1 msg 4 rating 5 Alice 03-08 16:10 "great"   2: C2 msg 10 rating 2 Bob 03-11 17:30
--                 3: C3 msg 15 rating 4 Carol 03-07 16:30          5: C5 msg 22 rating 3 (no agent) 03-10 03:10
--                 4: account 2, C10 msg 37 rating 1 Dave 03-08 16:30
--
-- Split shifts: Chatwoot keeps one working_hours row per day. Two rows on one day (08-12 and 14-18) make
-- reports.week_schedule emit {opens..., closes...} (ordered by day and open/close flag), which
-- business_seconds rejects as overlapping; that is reported separately, so inbox 2 uses one row a
-- day here.

SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- Chatwoot's tables, from the project's schema file (echo off: the file is not part of this test).
\getenv abs_srcdir PG_ABS_SRCDIR
\set schema_file :abs_srcdir '/../sql/chatwoot_schema.sql'
\set ECHO none
\i :schema_file
\set ECHO all
SET client_min_messages = warning;
SELECT reports.install_triggers();
RESET client_min_messages;
SELECT tgname, tgrelid::regclass FROM pg_trigger WHERE tgname LIKE 'reports_%' ORDER BY 1, tgrelid::regclass::text;

INSERT INTO accounts (id, name, created_at, updated_at) VALUES
  (1, 'Acme', '2024-01-01', '2024-01-01'), (2, 'Other', '2024-01-01', '2024-01-01');

INSERT INTO users (id, uid, name, email, availability, created_at, updated_at) VALUES
  (1, 'alice@acme.test', 'Alice', 'alice@acme.test', 0, '2024-01-01', '2024-01-01'),
  (2, 'bob@acme.test',   'Bob',   'bob@acme.test',   2, '2024-01-01', '2024-01-01'),
  (3, 'carol@acme.test', 'Carol', 'carol@acme.test', 1, '2024-01-01', '2024-01-01'),
  (4, 'dave@other.test', 'Dave',  'dave@other.test', 0, '2024-01-01', '2024-01-01');

INSERT INTO account_users (id, account_id, user_id, role, availability, created_at, updated_at) VALUES
  (1, 1, 1, 1, 0, '2024-01-01', '2024-01-01'),
  (2, 1, 2, 0, 2, '2024-01-01', '2024-01-01'),
  (3, 1, 3, 0, 1, '2024-01-01', '2024-01-01'),
  (4, 2, 4, 1, 0, '2024-01-01', '2024-01-01');

INSERT INTO inboxes (id, channel_id, account_id, name, channel_type, working_hours_enabled, timezone, created_at, updated_at) VALUES
  (1, 1, 1, 'Web NY',      'Channel::WebWidget', true,  'America/New_York', '2024-01-01', '2024-01-01'),
  (2, 1, 1, 'Mail Berlin', 'Channel::Email',     true,  'Europe/Berlin',    '2024-01-01', '2024-01-01'),
  (3, 1, 1, 'API',         'Channel::Api',       false, 'UTC',              '2024-01-01', '2024-01-01'),
  (4, 1, 1, 'Bot WA',      'Channel::Whatsapp',  true,  'UTC',              '2024-01-01', '2024-01-01'),
  (5, 2, 2, 'Other inbox', 'Channel::WebWidget', false, 'UTC',              '2024-01-01', '2024-01-01');

-- working_hours: inbox 1 and 3 Chatwoot's default (Sun/Sat closed, Mon-Fri 09:00-17:00); inbox 2 the
-- alternating shifts; inbox 4 open all day (saved as 00:00-23:59, as Chatwoot saves it).
INSERT INTO working_hours (inbox_id, account_id, day_of_week, closed_all_day, open_hour, open_minutes, close_hour, close_minutes, open_all_day, created_at, updated_at)
SELECT i, 1, d, d IN (0, 6), CASE WHEN d IN (0, 6) THEN NULL ELSE 9 END, CASE WHEN d IN (0, 6) THEN NULL ELSE 0 END,
       CASE WHEN d IN (0, 6) THEN NULL ELSE 17 END, CASE WHEN d IN (0, 6) THEN NULL ELSE 0 END, false, '2024-01-01', '2024-01-01'
FROM unnest(ARRAY[1, 3]) i, generate_series(0, 6) d;
INSERT INTO working_hours (inbox_id, account_id, day_of_week, closed_all_day, open_hour, open_minutes, close_hour, close_minutes, open_all_day, created_at, updated_at) VALUES
  (2, 1, 0, true,  NULL, NULL, NULL, NULL, false, '2024-01-01', '2024-01-01'),
  (2, 1, 1, false, 8, 0, 12, 0, false, '2024-01-01', '2024-01-01'),
  (2, 1, 2, false, 13, 0, 18, 0, false, '2024-01-01', '2024-01-01'),
  (2, 1, 3, false, 8, 0, 12, 0, false, '2024-01-01', '2024-01-01'),
  (2, 1, 4, false, 13, 0, 18, 0, false, '2024-01-01', '2024-01-01'),
  (2, 1, 5, false, 8, 0, 12, 0, false, '2024-01-01', '2024-01-01'),
  (2, 1, 6, true,  NULL, NULL, NULL, NULL, false, '2024-01-01', '2024-01-01');
INSERT INTO working_hours (inbox_id, account_id, day_of_week, closed_all_day, open_hour, open_minutes, close_hour, close_minutes, open_all_day, created_at, updated_at)
SELECT 4, 1, d, false, 0, 0, 23, 59, true, '2024-01-01', '2024-01-01' FROM generate_series(0, 6) d;

-- Schedules as the kernels see them (minutes of the week, Sunday 00:00 = 0):
-- inbox 1: Mon 09:00 = 1440 + 540 = 1980 .. 1440 + 1020 = 2460, and so on; inbox 2: Mon 08:00-12:00 =
-- 1920-2160, Tue 13:00-18:00 = 3660-3960, ...; inbox 3 NULL (disabled); inbox 4: every day 0-1440 etc.
SELECT i.id, reports.week_schedule(i.id) FROM inboxes i ORDER BY i.id;

INSERT INTO agent_bots (id, name, account_id, created_at, updated_at) VALUES (1, 'Helper bot', 1, '2024-01-01', '2024-01-01');
INSERT INTO agent_bot_inboxes (inbox_id, agent_bot_id, status, account_id, created_at, updated_at) VALUES
  (4, 1, 0, 1, '2024-01-01', '2024-01-01'),   -- active: inbox 4 is a bot inbox
  (3, 1, 1, 1, '2024-01-01', '2024-01-01');   -- inactive: inbox 3 is not
INSERT INTO integrations_hooks (status, inbox_id, account_id, app_id, hook_type, created_at, updated_at) VALUES
  (0, 1, 1, 'dialogflow', 1, '2024-01-01', '2024-01-01');  -- disabled: inbox 1 is not a bot inbox

INSERT INTO teams (id, name, account_id, created_at, updated_at) VALUES
  (1, 'sales', 1, '2024-01-01', '2024-01-01'), (2, 'support', 1, '2024-01-01', '2024-01-01'),
  (3, 'other team', 2, '2024-01-01', '2024-01-01');
INSERT INTO team_members (team_id, user_id, created_at, updated_at) VALUES
  (1, 1, '2024-01-01', '2024-01-01'), (1, 2, '2024-01-01', '2024-01-01'),
  (2, 3, '2024-01-01', '2024-01-01'), (3, 4, '2024-01-01', '2024-01-01');

INSERT INTO labels (id, title, account_id, created_at, updated_at) VALUES
  (1, 'billing', 1, '2024-01-01', '2024-01-01'), (2, 'urgent', 1, '2024-01-01', '2024-01-01'),
  (3, 'feedback', 1, '2024-01-01', '2024-01-01'), (4, 'billing', 2, '2024-01-01', '2024-01-01');
INSERT INTO tags (id, name) VALUES (1, 'billing'), (2, 'urgent'), (3, 'feedback');

INSERT INTO contacts (id, name, email, phone_number, account_id, created_at, updated_at) VALUES
  (1, 'Zoe', 'zoe@example.com', '+15550001', 1, '2024-01-01', '2024-01-01'),
  (2, 'Yan', NULL, NULL, 1, '2024-01-01', '2024-01-01'),
  (3, 'Xi', 'xi@example.com', NULL, 1, '2024-01-01', '2024-01-01'),
  (4, 'Wu', 'wu@example.com', NULL, 2, '2024-01-01', '2024-01-01');

-- Conversations start in their creation status with updated_at = created_at (the trigger records
-- that as the first status); each later change is an UPDATE that sets updated_at, as Chatwoot does.
INSERT INTO conversations (id, account_id, inbox_id, status, assignee_id, team_id, contact_id, display_id,
                           created_at, updated_at, first_reply_created_at, waiting_since) VALUES
  (1,  1, 1, 0, 1,    1,    1, 1,  '2024-03-08 14:00', '2024-03-08 14:00', '2024-03-08 14:30', NULL),
  (2,  1, 1, 0, 2,    2,    2, 2,  '2024-03-08 21:00', '2024-03-08 21:00', '2024-03-11 13:30', NULL),
  (3,  1, 2, 0, 3,    2,    1, 3,  '2024-03-06 08:00', '2024-03-06 08:00', '2024-03-06 08:30', NULL),
  (4,  1, 4, 2, 1,    NULL, 3, 4,  '2024-03-09 10:00', '2024-03-09 10:00', '2024-03-09 10:20', NULL),
  (5,  1, 4, 2, NULL, NULL, 3, 5,  '2024-03-10 03:00', '2024-03-10 03:00', NULL, NULL),
  (6,  1, 3, 0, 2,    1,    2, 6,  '2024-03-10 06:30', '2024-03-10 06:30', '2024-03-10 07:40', NULL),
  (7,  1, 1, 0, NULL, NULL, 1, 7,  '2024-03-10 08:30', '2024-03-10 08:30', NULL, '2024-03-10 08:30'),
  (8,  1, 2, 0, NULL, 1,    2, 8,  '2024-03-12 10:00', '2024-03-12 10:00', NULL, '2024-03-12 10:00'),
  (9,  1, 3, 0, 1,    1,    1, 9,  '2024-03-01 10:00', '2024-03-01 10:00', '2024-03-01 10:15', NULL),
  (12, 1, 4, 2, NULL, NULL, 3, 10, '2024-03-11 09:00', '2024-03-11 09:00', NULL, '2024-03-11 09:00'),
  (10, 2, 5, 0, 4,    3,    4, 1,  '2024-03-08 15:00', '2024-03-08 15:00', '2024-03-08 15:10', NULL),
  (11, 2, 5, 0, NULL, NULL, 4, 2,  '2024-03-09 09:00', '2024-03-09 09:00', NULL, '2024-03-09 09:00');

UPDATE conversations SET status = 1, updated_at = '2024-03-08 16:00' WHERE id = 1;
UPDATE conversations SET status = 2, updated_at = '2024-03-11 16:00' WHERE id = 2;
UPDATE conversations SET status = 0, updated_at = '2024-03-11 16:30' WHERE id = 2;
UPDATE conversations SET status = 1, updated_at = '2024-03-11 17:00' WHERE id = 2;
UPDATE conversations SET status = 1, updated_at = '2024-03-06 12:00' WHERE id = 3;
UPDATE conversations SET status = 0, updated_at = '2024-03-07 14:00' WHERE id = 3;
UPDATE conversations SET status = 1, updated_at = '2024-03-07 16:00' WHERE id = 3;
UPDATE conversations SET status = 0, updated_at = '2024-03-09 10:10' WHERE id = 4;
UPDATE conversations SET status = 1, updated_at = '2024-03-10 03:05' WHERE id = 5;
UPDATE conversations SET status = 2, updated_at = '2024-03-10 08:00' WHERE id = 6;
UPDATE conversations SET status = 3, updated_at = '2024-03-10 09:00', snoozed_until = '2024-03-14 09:00' WHERE id = 7;
UPDATE conversations SET status = 1, updated_at = '2024-03-01 11:00' WHERE id = 9;
UPDATE conversations SET status = 1, updated_at = '2024-03-08 17:00' WHERE id = 10;
-- A change of another column only does not add history:
UPDATE conversations SET priority = 2, updated_at = '2024-03-12 11:00' WHERE id = 8;

-- The recorded history: C2 pending 16:00 -> 16:30 is the 30 minutes subtracted from its resolution.
SELECT conversation_id, account_id, previous_status, status, changed_at
FROM reports.conversation_status_changes ORDER BY conversation_id, changed_at, id;

INSERT INTO taggings (tag_id, taggable_type, taggable_id, context, created_at) VALUES
  (1, 'Conversation', 1, 'labels', '2024-03-08 14:00'),
  (1, 'Conversation', 2, 'labels', '2024-03-08 21:00'),
  (2, 'Conversation', 2, 'labels', '2024-03-08 21:00'),
  (2, 'Conversation', 3, 'labels', '2024-03-06 08:00'),
  (1, 'Conversation', 8, 'labels', '2024-03-12 10:00'),
  (2, 'Conversation', 9, 'labels', '2024-03-01 10:00'),
  (1, 'Conversation', 10, 'labels', '2024-03-08 15:00'),
  (3, 'Conversation', 6, 'skills', '2024-03-10 06:30');

INSERT INTO messages (id, account_id, inbox_id, conversation_id, message_type, private, content_type, sender_type, sender_id, created_at, updated_at) VALUES
  (1,  1, 1, 1,  0, false, 0, 'Contact',  1,    '2024-03-08 14:00', '2024-03-08 14:00'),
  (2,  1, 1, 1,  1, false, 0, 'User',     1,    '2024-03-08 14:30', '2024-03-08 14:30'),
  (3,  1, 1, 1,  1, true,  0, 'User',     1,    '2024-03-08 15:00', '2024-03-08 15:00'),
  (4,  1, 1, 1,  3, false, 9, NULL,       NULL, '2024-03-08 16:00', '2024-03-08 16:00'),
  (5,  1, 1, 2,  0, false, 0, 'Contact',  2,    '2024-03-08 21:00', '2024-03-08 21:00'),
  (6,  1, 1, 2,  1, false, 0, 'User',     2,    '2024-03-11 13:30', '2024-03-11 13:30'),
  (7,  1, 1, 2,  0, false, 0, 'Contact',  2,    '2024-03-11 15:00', '2024-03-11 15:00'),
  (8,  1, 1, 2,  1, false, 0, 'User',     2,    '2024-03-11 15:20', '2024-03-11 15:20'),
  (9,  1, 1, 2,  2, false, 0, NULL,       NULL, '2024-03-11 17:00', '2024-03-11 17:00'),
  (10, 1, 1, 2,  3, false, 9, NULL,       NULL, '2024-03-11 17:00', '2024-03-11 17:00'),
  (11, 1, 2, 3,  0, false, 8, 'Contact',  1,    '2024-03-06 08:00', '2024-03-06 08:00'),
  (12, 1, 2, 3,  1, false, 0, 'User',     3,    '2024-03-06 08:30', '2024-03-06 08:30'),
  (13, 1, 2, 3,  0, false, 8, 'Contact',  1,    '2024-03-07 14:00', '2024-03-07 14:00'),
  (14, 1, 2, 3,  1, false, 0, 'User',     3,    '2024-03-07 15:00', '2024-03-07 15:00'),
  (15, 1, 2, 3,  3, false, 9, NULL,       NULL, '2024-03-07 16:00', '2024-03-07 16:00'),
  (16, 1, 4, 4,  0, false, 0, 'Contact',  3,    '2024-03-09 10:00', '2024-03-09 10:00'),
  (17, 1, 4, 4,  1, false, 0, 'AgentBot', 1,    '2024-03-09 10:00:05', '2024-03-09 10:00:05'),
  (18, 1, 4, 4,  1, false, 0, 'User',     1,    '2024-03-09 10:20', '2024-03-09 10:20'),
  (19, 1, 4, 4,  1, true,  0, 'User',     1,    '2024-03-11 02:00', '2024-03-11 02:00'),
  (20, 1, 4, 5,  0, false, 0, 'Contact',  3,    '2024-03-10 03:00', '2024-03-10 03:00'),
  (21, 1, 4, 5,  1, false, 0, 'AgentBot', 1,    '2024-03-10 03:01', '2024-03-10 03:01'),
  (22, 1, 4, 5,  3, false, 9, NULL,       NULL, '2024-03-10 03:06', '2024-03-10 03:06'),
  (23, 1, 3, 6,  0, false, 0, 'Contact',  2,    '2024-03-10 06:30', '2024-03-10 06:30'),
  (24, 1, 3, 6,  1, true,  0, 'User',     2,    '2024-03-10 07:30', '2024-03-10 07:30'),
  (25, 1, 3, 6,  1, false, 0, 'User',     2,    '2024-03-10 07:40', '2024-03-10 07:40'),
  (26, 1, 3, 6,  0, false, 0, 'Contact',  2,    '2024-03-10 07:50', '2024-03-10 07:50'),
  (27, 1, 3, 6,  1, false, 0, 'User',     2,    '2024-03-10 07:55', '2024-03-10 07:55'),
  (28, 1, 1, 7,  0, false, 0, 'Contact',  1,    '2024-03-10 08:30', '2024-03-10 08:30'),
  (29, 1, 2, 8,  0, false, 8, 'Contact',  2,    '2024-03-12 10:00', '2024-03-12 10:00'),
  (30, 1, 3, 9,  0, false, 0, 'Contact',  1,    '2024-03-01 10:00', '2024-03-01 10:00'),
  (31, 1, 3, 9,  1, false, 0, 'User',     1,    '2024-03-01 10:15', '2024-03-01 10:15'),
  (32, 1, 3, 9,  3, false, 9, NULL,       NULL, '2024-03-01 11:00', '2024-03-01 11:00'),
  (33, 1, 4, 12, 0, false, 0, 'Contact',  3,    '2024-03-11 09:00', '2024-03-11 09:00'),
  (34, 1, 4, 12, 1, false, 0, 'AgentBot', 1,    '2024-03-11 09:00:10', '2024-03-11 09:00:10'),
  (35, 2, 5, 10, 0, false, 0, 'Contact',  4,    '2024-03-08 15:00', '2024-03-08 15:00'),
  (36, 2, 5, 10, 1, false, 0, 'User',     4,    '2024-03-08 15:10', '2024-03-08 15:10'),
  (37, 2, 5, 10, 3, false, 9, NULL,       NULL, '2024-03-08 16:00', '2024-03-08 16:00'),
  (38, 2, 5, 11, 0, false, 0, 'Contact',  4,    '2024-03-09 09:00', '2024-03-09 09:00');

-- Events: value_in_business_hours NULL -> filled by the trigger, except events 5 and 13 (explicit 0).
INSERT INTO reporting_events (id, name, value, value_in_business_hours, account_id, inbox_id, user_id, conversation_id,
                              event_start_time, event_end_time, created_at, updated_at)
SELECT id, name, value, bh, account_id, inbox_id, user_id, conversation_id, s::timestamp, e::timestamp, e::timestamp, e::timestamp
FROM (VALUES
  (1,  'first_response',            1800,   NULL::float8, 1, 1, 1,    1,  '2024-03-08 14:00', '2024-03-08 14:30'),
  (2,  'conversation_resolved',     7200,   NULL, 1, 1, 1,    1,  '2024-03-08 14:00', '2024-03-08 16:00'),
  (3,  'first_response',            232200, NULL, 1, 1, 2,    2,  '2024-03-08 21:00', '2024-03-11 13:30'),
  (4,  'reply_time',                1200,   NULL, 1, 1, 2,    2,  '2024-03-11 15:00', '2024-03-11 15:20'),
  (5,  'conversation_opened',       0,      0,    1, 1, 2,    2,  '2024-03-08 21:00', '2024-03-11 16:30'),
  (6,  'conversation_resolved',     244800, NULL, 1, 1, 2,    2,  '2024-03-08 21:00', '2024-03-11 17:00'),
  (7,  'first_response',            1800,   NULL, 1, 2, 3,    3,  '2024-03-06 08:00', '2024-03-06 08:30'),
  (8,  'conversation_resolved',     14400,  NULL, 1, 2, 3,    3,  '2024-03-06 08:00', '2024-03-06 12:00'),
  (9,  'conversation_opened',       93600,  NULL, 1, 2, 3,    3,  '2024-03-06 12:00', '2024-03-07 14:00'),
  (10, 'reply_time',                3600,   NULL, 1, 2, 3,    3,  '2024-03-07 14:00', '2024-03-07 15:00'),
  (11, 'conversation_resolved',     115200, NULL, 1, 2, 3,    3,  '2024-03-06 08:00', '2024-03-07 16:00'),
  (12, 'conversation_bot_handoff',  600,    NULL, 1, 4, NULL, 4,  '2024-03-09 10:00', '2024-03-09 10:10'),
  (13, 'conversation_opened',       0,      0,    1, 4, NULL, 4,  '2024-03-09 10:00', '2024-03-09 10:10'),
  (14, 'conversation_bot_handoff',  720,    NULL, 1, 4, NULL, 4,  '2024-03-09 10:00', '2024-03-09 10:12'),
  (15, 'first_response',            600,    NULL, 1, 4, 1,    4,  '2024-03-09 10:10', '2024-03-09 10:20'),
  (16, 'conversation_resolved',     300,    NULL, 1, 4, NULL, 5,  '2024-03-10 03:00', '2024-03-10 03:05'),
  (17, 'conversation_bot_resolved', 300,    NULL, 1, 4, NULL, 5,  '2024-03-10 03:00', '2024-03-10 03:05'),
  (18, 'first_response',            4200,   NULL, 1, 3, 2,    6,  '2024-03-10 06:30', '2024-03-10 07:40'),
  (19, 'reply_time',                300,    NULL, 1, 3, 2,    6,  '2024-03-10 07:50', '2024-03-10 07:55'),
  (20, 'conversation_bot_handoff',  60,     NULL, 1, 4, NULL, 99, '2024-03-09 13:00', '2024-03-09 13:01'),
  (21, 'first_response',            900,    NULL, 1, 3, 1,    9,  '2024-03-01 10:00', '2024-03-01 10:15'),
  (22, 'conversation_resolved',     3600,   NULL, 1, 3, 1,    9,  '2024-03-01 10:00', '2024-03-01 11:00'),
  (23, 'first_response',            600,    NULL, 2, 5, 4,    10, '2024-03-08 15:00', '2024-03-08 15:10'),
  (24, 'conversation_resolved',     7200,   NULL, 2, 5, 4,    10, '2024-03-08 15:00', '2024-03-08 17:00')
) v(id, name, value, bh, account_id, inbox_id, user_id, conversation_id, s, e);

-- Every event's value is end - start, and the trigger-filled value_in_business_hours equals the
-- hand value from the table above (hand column); ok must be true on every row.
SELECT e.id, e.name, e.value, e.value_in_business_hours AS bh, h.bh AS hand,
       e.value = extract(epoch FROM e.event_end_time - e.event_start_time) OR e.name = 'conversation_opened' AS value_ok,
       e.value_in_business_hours = h.bh AS ok
FROM reporting_events e
JOIN (VALUES (1, 1800), (2, 7200), (3, 5400), (4, 1200), (5, 0), (6, 18000), (7, 1800), (8, 10800), (9, 7200),
             (10, 3600), (11, 25200), (12, 600), (13, 0), (14, 720), (15, 600), (16, 300), (17, 300), (18, 0),
             (19, 0), (20, 60), (21, 0), (22, 0), (23, 0), (24, 0)) h(id, bh) ON h.id = e.id
ORDER BY e.id;

INSERT INTO csat_survey_responses (id, account_id, conversation_id, message_id, rating, feedback_message, contact_id, assigned_agent_id, created_at, updated_at) VALUES
  (1, 1, 1,  4,  5, 'great', 1, 1,    '2024-03-08 16:10', '2024-03-08 16:10'),
  (2, 1, 2,  10, 2, 'slow',  2, 2,    '2024-03-11 17:30', '2024-03-11 17:30'),
  (3, 1, 3,  15, 4, NULL,    1, 3,    '2024-03-07 16:30', '2024-03-07 16:30'),
  (4, 2, 10, 37, 1, 'bad',   4, 4,    '2024-03-08 16:30', '2024-03-08 16:30'),
  (5, 1, 5,  22, 3, NULL,    3, NULL, '2024-03-10 03:10', '2024-03-10 03:10');

-- Keep the sequences past the fixture's explicit ids.
SELECT count(setval(pg_get_serial_sequence(t, 'id'), 1000, false)) AS sequences
FROM unnest(ARRAY['accounts', 'users', 'account_users', 'inboxes', 'working_hours', 'teams', 'team_members',
                  'labels', 'tags', 'taggings', 'contacts', 'conversations', 'messages', 'reporting_events',
                  'csat_survey_responses', 'agent_bots', 'agent_bot_inboxes', 'integrations_hooks']) t;

-- Row counts per table and account (what the other tests rely on).
SELECT 'conversations' AS t, account_id, count(*) FROM conversations GROUP BY 2
UNION ALL SELECT 'messages', account_id, count(*) FROM messages GROUP BY 2
UNION ALL SELECT 'reporting_events', account_id, count(*) FROM reporting_events GROUP BY 2
UNION ALL SELECT 'csat_survey_responses', account_id, count(*) FROM csat_survey_responses GROUP BY 2
ORDER BY 1, 2;
ANALYZE;
