-- Fixture for the API tests (tests/api/api_*_test.cpp), small enough to compute every expected
-- number by hand. The main window is 2024-01-01 00:00 UTC (1704067200) .. 2024-01-04 00:00 UTC
-- (1704326400); its "previous period" is 2023-12-29 .. 2024-01-01. 2024-01-01 is a Monday.
--
-- Account 1 "Acme" is the one under test; account 2 "Other" holds look-alike data (same label
-- title, a CSAT response, events) that must never leak into account 1; account 3 is suspended.
-- Loaded after sql/chatwoot_schema.sql and CREATE EXTENSION support_reports (whose triggers fill
-- reports.conversation_status_changes; value_in_business_hours is always given, so the
-- business-hours trigger leaves it alone).

BEGIN;

INSERT INTO accounts (id, name, status, created_at, updated_at) VALUES
  (1, 'Acme', 0, '2023-01-01', '2023-01-01'),
  (2, 'Other', 0, '2023-01-01', '2023-01-01'),
  (3, 'Suspended', 1, '2023-01-01', '2023-01-01');

-- User 4's name is a spreadsheet formula with a comma: the CSV guard and quoting both apply.
INSERT INTO users (id, name, email, uid, created_at, updated_at, confirmed_at) VALUES
  (1, 'Alice Admin', 'alice@acme.test', 'alice', '2023-01-01', '2023-01-01', '2023-01-01'),
  (2, 'Bob Agent', 'bob@acme.test', 'bob', '2023-01-01', '2023-01-01', '2023-01-01'),
  (3, 'Carol Other', 'carol@other.test', 'carol', '2023-01-01', '2023-01-01', '2023-01-01'),
  (4, '=SUM(1,2)', 'dan@acme.test', 'dan', '2023-01-01', '2023-01-01', NULL);

-- role: agent 0, administrator 1; availability: online 0, offline 1, busy 2.
INSERT INTO account_users (id, account_id, user_id, role, availability, created_at, updated_at) VALUES
  (1, 1, 1, 1, 0, '2023-01-01', '2023-01-01'),
  (2, 1, 2, 0, 2, '2023-01-01', '2023-01-01'),
  (3, 2, 3, 1, 0, '2023-01-01', '2023-01-01'),
  (4, 1, 4, 0, 1, '2023-01-01', '2023-01-01'),
  (5, 3, 1, 1, 0, '2023-01-01', '2023-01-01');

INSERT INTO agent_bots (id, name, created_at, updated_at) VALUES (1, 'Helper bot', '2023-01-01', '2023-01-01');

INSERT INTO access_tokens (owner_type, owner_id, token, created_at, updated_at) VALUES
  ('User', 1, 'tok-admin', '2023-01-01', '2023-01-01'),
  ('User', 2, 'tok-agent', '2023-01-01', '2023-01-01'),
  ('AgentBot', 1, 'tok-bot', '2023-01-01', '2023-01-01'),
  ('User', 3, 'tok-other', '2023-01-01', '2023-01-01');

INSERT INTO inboxes (id, channel_id, account_id, name, channel_type, created_at, updated_at) VALUES
  (1, 1, 1, 'Website', 'Channel::WebWidget', '2023-01-01', '2023-01-01'),
  (2, 2, 1, 'Support Email', 'Channel::Email', '2023-01-01', '2023-01-01'),
  (3, 3, 2, 'Other Inbox', 'Channel::Api', '2023-01-01', '2023-01-01');

-- Inbox 2 has an active bot: bot_metrics counts its conversations.
INSERT INTO agent_bot_inboxes (inbox_id, agent_bot_id, status, account_id, created_at, updated_at) VALUES
  (2, 1, 0, 1, '2023-01-01', '2023-01-01');

INSERT INTO teams (id, name, account_id, created_at, updated_at) VALUES
  (1, 'pre-sales', 1, '2023-01-01', '2023-01-01'),
  (2, 'other team', 2, '2023-01-01', '2023-01-01');

INSERT INTO labels (id, title, account_id, created_at, updated_at) VALUES
  (1, 'billing', 1, '2023-01-01', '2023-01-01'),
  (2, 'urgent', 1, '2023-01-01', '2023-01-01'),
  (3, 'billing', 2, '2023-01-01', '2023-01-01');

INSERT INTO tags (id, name) VALUES (1, 'billing'), (2, 'urgent');

INSERT INTO contacts (id, name, email, phone_number, account_id, created_at, updated_at) VALUES
  (1, 'Eve Customer', 'eve@example.com', '+15551234567', 1, '2023-06-01', '2023-06-01'),
  (2, '-Mallory', NULL, NULL, 1, '2023-06-01', '2023-06-01'),
  (3, 'Other Contact', 'x@other.test', NULL, 2, '2023-06-01', '2023-06-01');

-- status: open 0, resolved 1, pending 2, snoozed 3.
--   C1 Jan 1 10:00 resolved, inbox 1, Alice, team 1, answered 10:05
--   C2 Jan 2 09:00 open,     inbox 1, Bob,   never answered, waiting            -> unattended
--   C3 Jan 2 15:30 open,     inbox 2, nobody, team 1, answered 16:00            -> unassigned
--   C4 Jan 3 12:00 pending,  inbox 2, Alice
--   C5 Dec 30 08:00 resolved, inbox 1, Alice (previous period)
--   C6 account 2, Jan 2 10:00 open
--   C7 yesterday 10:00 UTC (relative to now) resolved, inbox 1: conversation_traffic
INSERT INTO conversations (id, account_id, inbox_id, status, assignee_id, team_id, contact_id, display_id,
                           created_at, updated_at, first_reply_created_at, waiting_since) VALUES
  (1, 1, 1, 1, 1, 1, 1, 1, '2024-01-01 10:00', '2024-01-01 12:00', '2024-01-01 10:05', NULL),
  (2, 1, 1, 0, 2, NULL, 2, 2, '2024-01-02 09:00', '2024-01-02 09:00', NULL, '2024-01-02 09:00'),
  (3, 1, 2, 0, NULL, 1, 2, 3, '2024-01-02 15:30', '2024-01-02 16:30', '2024-01-02 16:00', NULL),
  (4, 1, 2, 2, 1, NULL, 1, 4, '2024-01-03 12:00', '2024-01-03 12:30', NULL, NULL),
  (5, 1, 1, 1, 1, NULL, 1, 5, '2023-12-30 08:00', '2023-12-30 09:00', '2023-12-30 08:30', NULL),
  (6, 2, 3, 0, 3, 2, 3, 1, '2024-01-02 10:00', '2024-01-02 10:10', '2024-01-02 10:10', NULL),
  (7, 1, 1, 1, NULL, NULL, 1, 7,
   date_trunc('day', now() AT TIME ZONE 'UTC') - interval '1 day' + interval '10 hours',
   date_trunc('day', now() AT TIME ZONE 'UTC') - interval '1 day' + interval '11 hours', NULL, NULL);

-- message_type: incoming 0, outgoing 1, template 3; content_type 9 = the CSAT survey.
-- In the window: incoming m1 m5 m6 m9 = 4, outgoing m2 m3 (private note) m7 m10 (bot) = 4.
INSERT INTO messages (id, account_id, inbox_id, conversation_id, message_type, content_type, private,
                      sender_type, sender_id, content, created_at, updated_at) VALUES
  (1, 1, 1, 1, 0, 0, false, 'Contact', 1, 'hi', '2024-01-01 10:00', '2024-01-01 10:00'),
  (2, 1, 1, 1, 1, 0, false, 'User', 1, 'hello', '2024-01-01 10:05', '2024-01-01 10:05'),
  (3, 1, 1, 1, 1, 0, true, 'User', 1, 'note', '2024-01-01 11:00', '2024-01-01 11:00'),
  (4, 1, 1, 1, 3, 9, false, NULL, NULL, 'csat', '2024-01-01 12:00', '2024-01-01 12:00'),
  (5, 1, 1, 2, 0, 0, false, 'Contact', 2, 'help', '2024-01-02 09:00', '2024-01-02 09:00'),
  (6, 1, 2, 3, 0, 0, false, 'Contact', 2, 'mail', '2024-01-02 15:30', '2024-01-02 15:30'),
  (7, 1, 2, 3, 1, 0, false, 'User', 2, 're', '2024-01-02 16:00', '2024-01-02 16:00'),
  (8, 1, 2, 3, 3, 9, false, NULL, NULL, 'csat', '2024-01-02 17:00', '2024-01-02 17:00'),
  (9, 1, 2, 4, 0, 0, false, 'Contact', 1, 'q', '2024-01-03 12:00', '2024-01-03 12:00'),
  (10, 1, 2, 4, 1, 0, false, 'AgentBot', 1, 'bot', '2024-01-03 12:30', '2024-01-03 12:30'),
  (11, 1, 1, 5, 0, 0, false, 'Contact', 1, 'old', '2023-12-30 08:00', '2023-12-30 08:00'),
  (12, 1, 1, 5, 1, 0, false, 'User', 1, 'old re', '2023-12-30 08:30', '2023-12-30 08:30'),
  (13, 2, 3, 6, 0, 0, false, 'Contact', 3, 'x', '2024-01-02 10:00', '2024-01-02 10:00'),
  (14, 2, 3, 6, 1, 0, false, 'User', 3, 'y', '2024-01-02 10:10', '2024-01-02 10:10'),
  (15, 2, 3, 6, 3, 9, false, NULL, NULL, 'csat', '2024-01-02 11:00', '2024-01-02 11:00');

-- value / value_in_business_hours in seconds.
--   window: first_response 300 (C1, Alice, inbox 1) and 1800 (C3, Bob, inbox 2); resolved 7200/3600
--   (C1); reply_time 90/60 (C3, Bob); bot handoff (C4); bot resolved (C1)
--   previous period: first_response 1800/900 and resolved 1000/500 (C5)
INSERT INTO reporting_events (id, name, value, value_in_business_hours, account_id, inbox_id, user_id,
                              conversation_id, created_at, updated_at, event_start_time, event_end_time) VALUES
  (1, 'first_response', 300, 300, 1, 1, 1, 1, '2024-01-01 10:05', '2024-01-01 10:05', '2024-01-01 10:00', '2024-01-01 10:05'),
  (2, 'conversation_resolved', 7200, 3600, 1, 1, 1, 1, '2024-01-01 12:00', '2024-01-01 12:00', '2024-01-01 10:00', '2024-01-01 12:00'),
  (3, 'first_response', 1800, 1800, 1, 2, 2, 3, '2024-01-02 16:00', '2024-01-02 16:00', '2024-01-02 15:30', '2024-01-02 16:00'),
  (4, 'reply_time', 90, 60, 1, 2, 2, 3, '2024-01-02 16:30', '2024-01-02 16:30', '2024-01-02 16:28:30', '2024-01-02 16:30'),
  (5, 'conversation_resolved', 1000, 500, 1, 1, 1, 5, '2023-12-30 09:00', '2023-12-30 09:00', '2023-12-30 08:43:20', '2023-12-30 09:00'),
  (6, 'first_response', 1800, 900, 1, 1, 1, 5, '2023-12-30 08:30', '2023-12-30 08:30', '2023-12-30 08:00', '2023-12-30 08:30'),
  (7, 'conversation_bot_handoff', 100, 100, 1, 2, NULL, 4, '2024-01-03 12:10', '2024-01-03 12:10', '2024-01-03 12:00', '2024-01-03 12:10'),
  (8, 'conversation_bot_resolved', 7200, 3600, 1, 1, 1, 1, '2024-01-01 12:00', '2024-01-01 12:00', '2024-01-01 10:00', '2024-01-01 12:00'),
  (9, 'first_response', 600, 600, 2, 3, 3, 6, '2024-01-02 10:10', '2024-01-02 10:10', '2024-01-02 10:00', '2024-01-02 10:10');

-- Labels: C1 billing; C3 billing + urgent; C6 (account 2) billing, through the same global tag.
INSERT INTO taggings (tag_id, taggable_type, taggable_id, context, created_at) VALUES
  (1, 'Conversation', 1, 'labels', '2024-01-01 10:00'),
  (1, 'Conversation', 3, 'labels', '2024-01-02 15:30'),
  (2, 'Conversation', 3, 'labels', '2024-01-02 15:30'),
  (1, 'Conversation', 6, 'labels', '2024-01-02 10:00');

-- r1 rating 5 (Alice, feedback with a comma), r2 rating 2 (Bob, a formula as feedback, contact
-- "-Mallory" without email or phone), r3 account 2.
INSERT INTO csat_survey_responses (id, account_id, conversation_id, message_id, rating, feedback_message,
                                   contact_id, assigned_agent_id, created_at, updated_at) VALUES
  (1, 1, 1, 4, 5, 'Great, thanks!', 1, 1, '2024-01-01 12:30', '2024-01-01 12:30'),
  (2, 1, 3, 8, 2, '=1+1', 2, 2, '2024-01-02 17:30', '2024-01-02 17:30'),
  (3, 2, 6, 15, 4, 'fine', 3, 3, '2024-01-02 11:30', '2024-01-02 11:30');

-- SLA (Chatwoot enterprise): policy 1 Premium (account 1; frt 1 h, nrt 2 h, rt 1 day, wall clock),
-- policy 2 (account 2). Applied: A1 C1 hit, A2 C2 missed (frt breach), A3 C3 active_with_misses
-- (nrt breach), A4 C4 active, A5 account 2's C6 missed. C2's labels are a spreadsheet formula
-- (the CSV guard), C3's hold a comma (CSV quoting).
UPDATE conversations SET cached_label_list = '=HYPERLINK("x")' WHERE id = 2;
UPDATE conversations SET cached_label_list = 'billing,urgent' WHERE id = 3;
INSERT INTO sla_policies (id, name, description, first_response_time_threshold, next_response_time_threshold,
                          resolution_time_threshold, only_during_business_hours, account_id, created_at, updated_at) VALUES
  (1, 'Premium', 'Premium customers', 3600, 7200, 86400, false, 1, '2023-01-01', '2023-01-01'),
  (2, 'Other policy', NULL, 600, NULL, NULL, false, 2, '2023-01-01', '2023-01-01');
INSERT INTO applied_slas (id, account_id, sla_policy_id, conversation_id, sla_status, created_at, updated_at) VALUES
  (1, 1, 1, 1, 1, '2024-01-01 10:00', '2024-01-01 12:00'),
  (2, 1, 1, 2, 2, '2024-01-02 09:00', '2024-01-02 10:00'),
  (3, 1, 1, 3, 3, '2024-01-02 15:30', '2024-01-02 17:00'),
  (4, 1, 1, 4, 0, '2024-01-03 12:00', '2024-01-03 12:00'),
  (5, 2, 2, 6, 2, '2024-01-02 10:00', '2024-01-02 10:10');
INSERT INTO sla_events (id, applied_sla_id, conversation_id, account_id, sla_policy_id, inbox_id, event_type, meta, created_at, updated_at) VALUES
  (1, 2, 2, 1, 1, 1, 0, '{}', '2024-01-02 10:00', '2024-01-02 10:00'),
  (2, 3, 3, 1, 1, 2, 1, '{"message_id": 6}', '2024-01-02 17:00', '2024-01-02 17:00'),
  (3, 5, 6, 2, 2, 3, 0, '{}', '2024-01-02 10:10', '2024-01-02 10:10');

COMMIT;
