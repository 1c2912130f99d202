-- inbox_label_matrix, first-response distributions, heatmap, bot_metrics, outgoing_messages_count,
-- CSAT, live metrics and refresh_business_hours on the reports_fixture data (tables at the top of
-- reports_fixture.sql). R = [2024-03-06 00:00Z, 2024-03-13 00:00Z).
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-------------------------------------------------------------------------------------------------
-- inbox_label_matrix: every (inbox, label) pair of the account, inboxes by name, labels by title;
-- counts taggings in context 'labels' of conversations (created in range when given).
-------------------------------------------------------------------------------------------------
-- no date filter:  API: urgent C9 = 1 | Bot WA: nothing | Mail Berlin: billing C8, urgent C3 | Web NY: billing C1 C2 = 2,
-- urgent C2 = 1. feedback is 0 everywhere (C6's feedback tag is in context 'skills').
SELECT * FROM reports.inbox_label_matrix(1);
-- R: the same except API/urgent = 0 (C9 was created 03-01)
SELECT inbox_name, label_name, count FROM reports.inbox_label_matrix(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00') WHERE count > 0 OR inbox_id = 3;
-- filters: inboxes {1, 5 (account 2)} x labels {2, 4 (account 2)} -> only Web NY x urgent = 1
SELECT * FROM reports.inbox_label_matrix(1, NULL, NULL, ARRAY[1, 5], ARRAY[2, 4]);
-- only account 2's inbox: no pairs, but account 1's three labels still come, once each, with
-- NULL inbox and count
SELECT * FROM reports.inbox_label_matrix(1, NULL, NULL, ARRAY[5]);
-- only account 2's label: account 1's four inboxes once each, NULL label and count
SELECT * FROM reports.inbox_label_matrix(1, NULL, NULL, NULL, ARRAY[4]);
-- neither side: no rows
SELECT * FROM reports.inbox_label_matrix(1, NULL, NULL, ARRAY[5], ARRAY[4]);
-- account 2: Other inbox x billing (its label 4) = C10
SELECT * FROM reports.inbox_label_matrix(2);

-------------------------------------------------------------------------------------------------
-- first_response_time_distribution (wall-clock values, [lo, hi) buckets)
-------------------------------------------------------------------------------------------------
-- R: e1 1800, e3 232200, e7 1800, e15 600, e18 4200 -> 0-5min 0 | 5-15min 1 (600) | 15-30min 0 | 30-60min 2 (1800 x2)
--    | 1hr+ 2 (4200, 232200)
SELECT * FROM reports.first_response_time_distribution(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- no date filter adds e21 900 -> 15-30min 1
SELECT * FROM reports.first_response_time_distribution(1, NULL, NULL);
-- custom edges {600, 3600, 86400} over R: <600: 0 | [600, 3600): 600 1800 1800 = 3 | [3600, 86400): 4200 = 1 | >= 86400: 1
SELECT * FROM reports.first_response_time_distribution(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', '{600,3600,86400}');
-- no edges: one bucket with all 6 events of account 1
SELECT * FROM reports.first_response_time_distribution(1, NULL, NULL, '{}');
-- account 2: e23 600 -> 5-15min 1
SELECT * FROM reports.first_response_time_distribution(2, NULL, NULL);
-- Chatwoot's per-channel form (0-1h, 1-4h, 4-8h, 8-24h, 24h+), no date filter:
-- Api: e21 900 -> 0-1h, e18 4200 -> 1-4h | Email: e7 1800 -> 0-1h | WebWidget: e1 -> 0-1h, e3 232200 -> 24h+ |
-- Whatsapp: e15 600 -> 0-1h
SELECT * FROM reports.first_response_time_distribution_by_channel(1);
-- R: Api loses e21 (03-01)
SELECT * FROM reports.first_response_time_distribution_by_channel(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00') WHERE channel_type = 'Channel::Api';
-- account 2: WebWidget e23 600 -> 0-1h
SELECT * FROM reports.first_response_time_distribution_by_channel(2) WHERE count > 0;

-------------------------------------------------------------------------------------------------
-- heatmap: 168 cells (dow Sunday = 0, hour) in a zone. Range [03-01, 03-15) holds all 10 conversations.
-------------------------------------------------------------------------------------------------
-- UTC: C5 Sun 03 | C6 Sun 06 | C7 Sun 08 | C12 Mon 09 | C8 Tue 10 | C3 Wed 08 | C9 Fri 10 | C1 Fri 14 | C2 Fri 21 | C4 Sat 10
SELECT count(*) AS cells, sum(count) AS total FROM reports.heatmap(1, '2024-03-01 00:00+00', '2024-03-15 00:00+00', 'UTC');
SELECT * FROM reports.heatmap(1, '2024-03-01 00:00+00', '2024-03-15 00:00+00', 'UTC') WHERE count > 0;
-- New York (EST before 03-10 07:00Z, EDT after): C6 Sun 01 | C7 Sun 04 (EDT) | C12 Mon 05 | C8 Tue 06 | C3 Wed 03 |
-- C9 Fri 05 | C1 Fri 09 | C2 Fri 16 | C4 Sat 05 | C5 Sat 22 (03-10 03:00Z = Saturday 22:00 EST)
SELECT * FROM reports.heatmap(1, '2024-03-01 00:00+00', '2024-03-15 00:00+00', 'America/New_York') WHERE count > 0;
-- resolutions: UTC e16 Sun 03 | e6 Mon 17 | e8 Wed 12 | e11 Thu 16 | e22 Fri 11 | e2 Fri 16
--              New York e6 Mon 13 (EDT) | e8 Wed 07 | e11 Thu 11 | e22 Fri 06 | e2 Fri 11 | e16 Sat 22
SELECT 'UTC' AS zone, * FROM reports.heatmap(1, '2024-03-01 00:00+00', '2024-03-15 00:00+00', 'UTC', 'resolutions_count') WHERE count > 0
UNION ALL
SELECT 'New York', * FROM reports.heatmap(1, '2024-03-01 00:00+00', '2024-03-15 00:00+00', 'America/New_York', 'resolutions_count') WHERE count > 0;
-- outgoing messages in New York on Sunday 03-10: 03 EDT: m24 m25 m27 | 22 EDT: m19 (03-11 02:00Z)
SELECT * FROM reports.heatmap(1, '2024-03-10 05:00+00', '2024-03-11 04:00+00', 'America/New_York', 'outgoing_messages_count') WHERE count > 0;

-------------------------------------------------------------------------------------------------
-- bot_metrics: bot inboxes = inbox 4 only (inbox 3's agent_bot_inboxes row is inactive, inbox 1's
-- dialogflow hook disabled).
-------------------------------------------------------------------------------------------------
-- R: conversations in inbox 4: C4 C5 C12 = 3; bot-resolved conversations: C5 (e17) = 1; handed off: C4 (e12, e14;
-- e20's conversation 99 does not exist) = 1; rate 1 * 100 / 3 = 33.333...; avg bot resolution time e17 300;
-- outgoing messages of those conversations: m17 m18 m19 m21 m34 = 5; Chatwoot's rates trunc(33.33) = 33
SELECT * FROM reports.bot_metrics(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- [03-09, 03-10): C4 only = 1; no bot resolution (e17 is 03-10) -> 0; handoff C4 -> 1 = 100 %; m17 m18 = 2
SELECT * FROM reports.bot_metrics(1, '2024-03-09 00:00+00', '2024-03-10 00:00+00');
-- inbox 3 is not a bot inbox: no conversations -> rates 0, average NULL
SELECT * FROM reports.bot_metrics(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', 3);
-- account 2 has no bot inbox
SELECT * FROM reports.bot_metrics(2, '2024-03-06 00:00+00', '2024-03-13 00:00+00');

-------------------------------------------------------------------------------------------------
-- outgoing_messages_count over R: m2 m3 m6 m8 m12 m14 m17 m18 m19 m21 m24 m25 m27 m34
-------------------------------------------------------------------------------------------------
-- agent (senders of type User): Alice m2 m3 m18 m19 = 4 | Bob m6 m8 m24 m25 m27 = 5 | Carol m12 m14 = 2
-- team: sales (C1: m2 m3, C6: m24 m25 m27) = 5 | support (C2: m6 m8, C3: m12 m14) = 4
-- inbox: Web NY m2 m3 m6 m8 = 4 | Mail Berlin m12 m14 = 2 | API m24 m25 m27 = 3 | Bot WA m17 m18 m19 m21 m34 = 5
-- label (context 'labels'): billing (C1, C2) = 4 | urgent (C2, C3) = 4; the id is account 1's label (1, 2), not 4
SELECT g, r.* FROM unnest(ARRAY['agent', 'team', 'inbox', 'label']) WITH ORDINALITY g(g, o),
     reports.outgoing_messages_count(1, g, '2024-03-06 00:00+00', '2024-03-13 00:00+00') r
ORDER BY o, r.id;
-- account 2: Dave m36 = 1; label billing -> account 2's label id 4
SELECT g, r.* FROM unnest(ARRAY['agent', 'label']) g, reports.outgoing_messages_count(2, g, '2024-03-06 00:00+00', '2024-03-13 00:00+00') r;

-------------------------------------------------------------------------------------------------
-- CSAT. Responses of account 1: r1 C1 rating 5 Alice 03-08 16:10 | r2 C2 2 Bob 03-11 17:30 |
-- r3 C3 4 Carol 03-07 16:30 | r5 C5 3 (no agent) 03-10 03:10. Survey messages (content_type 9):
-- m4 03-08, m10 03-11, m15 03-07, m22 03-10 and m32 03-01 (C9, never answered) = 5.
-------------------------------------------------------------------------------------------------
-- all, newest first: r2, r5, r1, r3
SELECT id, rating, feedback_message, created_at, message_id, conversation_id, conversation_display_id,
       assigned_agent_id, agent_name, agent_email, contact_id, contact_name, contact_email, contact_phone_number
FROM reports.csat_responses(1);
-- each filter (ids in newest-first order):
-- [03-08, 03-11): r5 r1 | agents {1, 3}: r1 r3 | inbox 1: r2 r1 | team 2: r2 r3 | ratings {4, 5}: r1 r3 |
-- agent 4 (account 2): none | inbox 5 (account 2): none | team 3 (account 2): none | team 2 and rating 2: r2
SELECT f.name, (SELECT string_agg(r.id::text, ' ') FROM reports.csat_responses(1, f.since, f.until, f.agents, f.inbox, f.team, f.ratings) r) AS ids
FROM (VALUES (1, 'range', '2024-03-08 00:00+00'::timestamptz, '2024-03-11 00:00+00'::timestamptz, NULL::int[], NULL::int, NULL::int, NULL::int[]),
             (2, 'agents', NULL, NULL, ARRAY[1, 3], NULL, NULL, NULL),
             (3, 'inbox', NULL, NULL, NULL, 1, NULL, NULL),
             (4, 'team', NULL, NULL, NULL, NULL, 2, NULL),
             (5, 'ratings', NULL, NULL, NULL, NULL, NULL, ARRAY[4, 5]),
             (6, 'foreign agent', NULL, NULL, ARRAY[4], NULL, NULL, NULL),
             (7, 'foreign inbox', NULL, NULL, NULL, 5, NULL, NULL),
             (8, 'foreign team', NULL, NULL, NULL, NULL, 3, NULL),
             (9, 'team+rating', NULL, NULL, NULL, NULL, 2, ARRAY[2])) f(o, name, since, until, agents, inbox, team, ratings)
ORDER BY f.o;
-- metrics. all: 4 responses, 5 surveys sent; ratings 5 2 4 3 -> score (1 + 1) * 100 / 4 = 50, average 14 / 4 = 3.5,
--   response rate 4 * 100 / 5 = 80, counts 0 1 1 1 1
-- R: surveys m4 m10 m15 m22 = 4 -> rate 100
-- inbox 1: r1 (5), r2 (2) -> 2, score 50, average 3.5, rate 2 * 100 / 5 = 40 (surveys sent are not filtered)
-- ratings {1, 2}: r2 -> 1, score 0, average 2, rate 20
-- team 1: r1 -> 1, 100, 5, 20 | agent 3: r3 -> 1, 100, 4, 20
-- rating 1 only: none -> 0, score 0, average NULL, rate 0
-- ratings {2, 3, 5}: r2 r5 r1 -> 3, score 100 / 3 = 33.33, average 10 / 3 = 3.33 (the seed's 2 decimals),
--   rate 3 * 100 / 5 = 60 | ratings {3, 4, 5}: r5 r3 r1 -> 3, score 200 / 3 = 66.67 (rounded up), average 4, rate 60
SELECT f.name, m.*
FROM (VALUES (1, 'all', NULL::timestamptz, NULL::timestamptz, NULL::int[], NULL::int, NULL::int, NULL::int[]),
             (2, 'range', '2024-03-06 00:00+00', '2024-03-13 00:00+00', NULL, NULL, NULL, NULL),
             (3, 'inbox 1', NULL, NULL, NULL, 1, NULL, NULL),
             (4, 'ratings 1,2', NULL, NULL, NULL, NULL, NULL, ARRAY[1, 2]),
             (5, 'team 1', NULL, NULL, NULL, NULL, 1, NULL),
             (6, 'agent 3', NULL, NULL, ARRAY[3], NULL, NULL, NULL),
             (7, 'rating 1', NULL, NULL, NULL, NULL, NULL, ARRAY[1]),
             (8, 'ratings 2,3,5', NULL, NULL, NULL, NULL, NULL, ARRAY[2, 3, 5]),
             (9, 'ratings 3,4,5', NULL, NULL, NULL, NULL, NULL, ARRAY[3, 4, 5])) f(o, name, since, until, agents, inbox, team, ratings),
     reports.csat_metrics(1, f.since, f.until, f.agents, f.inbox, f.team, f.ratings) m
ORDER BY f.o;
-- account 2: r4 rating 1 of 1 survey (m37) -> 1, 1, score 0, average 1, rate 100
SELECT * FROM reports.csat_metrics(2);
-- by agent: Alice 1 (5) score 100 | Bob 1 (2) score 0 | Carol 1 (4) score 100 | no agent 1 (3) score 0, last
SELECT * FROM reports.csat_by_agent(1);
-- [03-08, 03-11): Alice r1, no agent r5
SELECT agent_id, agent_name, total_count, average_rating FROM reports.csat_by_agent(1, '2024-03-08 00:00+00', '2024-03-11 00:00+00');
-- team 2: Bob r2, Carol r3
SELECT agent_id, agent_name, total_count, average_rating FROM reports.csat_by_agent(1, team_id => 2);
-- Alice with two more responses (4 and 2; rolled back): 5 4 2 -> 3 responses, average 11 / 3 = 3.67,
-- score 200 / 3 = 66.67, positive (4-5) 2, negative (1-2) 1
BEGIN;
INSERT INTO csat_survey_responses (id, account_id, conversation_id, message_id, rating, contact_id, assigned_agent_id, created_at, updated_at)
VALUES (901, 1, 1, 1, 4, 1, 1, '2024-03-08 16:20', '2024-03-08 16:20'), (902, 1, 1, 2, 2, 1, 1, '2024-03-08 16:30', '2024-03-08 16:30');
SELECT agent_name, total_responses, average_rating, satisfaction_score, positive_count, negative_count
FROM reports.csat_by_agent(1) WHERE agent_id = 1;
ROLLBACK;

-------------------------------------------------------------------------------------------------
-- Live metrics (current state, no date filter).
-------------------------------------------------------------------------------------------------
-- account 1: open C4 C8 = 2; unattended (no first reply or waiting): C8 = 1 (C4 was answered, not waiting);
-- unassigned open: C8 = 1; pending C6 C12 = 2
SELECT * FROM reports.conversation_metrics(1);
-- team sales: open C8 -> 1 1 1; pending C6 = 1 | team support: all resolved -> 0 0 0 0 | team 3 (account 2): 0 0 0 0
SELECT t, m.* FROM unnest(ARRAY[1, 2, 3]) t, reports.conversation_metrics(1, t) m;
-- account 2: C11 open, unanswered, unassigned -> 1 1 1 0
SELECT * FROM reports.conversation_metrics(2);
-- grouped over open conversations: assignee NULL: C8 -> 1 1 1 | assignee 1: C4 -> 1 0 0
SELECT * FROM reports.grouped_conversation_metrics(1, 'assignee_id');
-- team NULL: C4 -> 1 0 0 | team 1: C8 -> 1 1 1
SELECT * FROM reports.grouped_conversation_metrics(1, 'team_id');
-- live_stats: the conversation metrics plus agents by account availability: Alice online, Bob busy, Carol offline
SELECT * FROM reports.live_stats(1);
SELECT * FROM reports.live_stats(2);

-------------------------------------------------------------------------------------------------
-- refresh_business_hours after a schedule change (inside a transaction that is rolled back).
-------------------------------------------------------------------------------------------------
BEGIN;
-- nothing changed yet: events of account 1 created in [03-11 00:00, 03-11 16:00) are e3 and e4, both up to date -> 0
SELECT reports.refresh_business_hours(1, '2024-03-11 00:00+00', '2024-03-11 16:00+00');
-- Web NY now works Mon-Fri 08:00-18:00.
UPDATE working_hours SET open_hour = 8, close_hour = 18 WHERE inbox_id = 1 AND NOT closed_all_day;
-- e3 (Fri 03-08 21:00Z -> Mon 03-11 13:30Z) = Fri 16:00-18:00 EST 7200 + Mon 08:00-09:30 EDT 5400 = 12600 (was 5400);
-- e4 (Mon 11:00-11:20 EDT) stays 1200 -> 1 row changed; e6 (created 17:00, outside the window) keeps 18000
SELECT reports.refresh_business_hours(1, '2024-03-11 00:00+00', '2024-03-11 16:00+00');
SELECT id, value_in_business_hours FROM reporting_events WHERE id IN (3, 4, 6) ORDER BY id;
-- the reports read the new value: first response in business hours over [03-11 00:00, 03-11 16:00) = e3 = 12600
SELECT avg_first_response_time FROM reports.summary(1, '2024-03-11 00:00+00', '2024-03-11 16:00+00', business_hours => true);
-- whole account: e6 = Fri 16:00-18:00 EST 7200 + Mon 08:00-13:00 EDT (12:00-17:00Z) 18000 = 25200; e1 (09:00-09:30 EST)
-- and e2 (09:00-11:00 EST) lie inside both schedules and stay 1800 / 7200
SELECT reports.refresh_business_hours(1) IS NOT NULL AS refreshed;
SELECT id, value_in_business_hours FROM reporting_events WHERE id IN (1, 2, 3, 4, 6) ORDER BY id;
-- resolution time of e6 net of pending 16:00-16:30Z (12:00-12:30 EDT, inside the new hours too): 25200 - 1800 = 23400
SELECT avg_resolution_time FROM reports.summary(1, '2024-03-11 16:45+00', '2024-03-11 17:30+00', business_hours => true);
-- account 2 turns working hours on (Mon-Fri 09:00-17:00 UTC): e23 Fri 15:00-15:10 -> 600, e24 15:00-17:00 -> 7200
CREATE TEMP TABLE bh_before AS SELECT id, value_in_business_hours FROM reporting_events;
UPDATE inboxes SET working_hours_enabled = true WHERE id = 5;
INSERT INTO working_hours (inbox_id, account_id, day_of_week, closed_all_day, open_hour, open_minutes, close_hour, close_minutes, created_at, updated_at)
SELECT 5, 2, d, d IN (0, 6), 9, 0, 17, 0, '2024-01-01', '2024-01-01' FROM generate_series(0, 6) d;
SELECT reports.refresh_business_hours(2);
SELECT id, value_in_business_hours FROM reporting_events WHERE account_id = 2 ORDER BY id;
-- a second run has nothing to do, and account 1's rows were not touched
SELECT reports.refresh_business_hours(2);
SELECT count(*) AS changed_rows FROM reporting_events e JOIN bh_before b USING (id)
WHERE e.value_in_business_hours IS DISTINCT FROM b.value_in_business_hours;
ROLLBACK;

-------------------------------------------------------------------------------------------------
-- Upstream #14032: a bot resolution of a conversation that was handed off to a human in the same
-- scope, anywhere in the report's range, is no bot resolution. In a transaction rolled back at
-- the end, account 1 gets (besides the fixture's e17 bot_resolved C5 03-10 03:05 and the C4
-- handoffs e12/e14 03-09):
--   e901 bot_handoff   C5  inbox 4  03-12 09:00   (C5 handed off two days after the bot resolved it)
--   e902 bot_resolved  C12 inbox 4  03-11 09:30
--   e903 bot_resolved  C12 inbox 4  03-11 10:00   (resolved twice: two rows)
--   e904 bot_handoff   C12 inbox 3  03-14 12:00   (another inbox, after the week)
-------------------------------------------------------------------------------------------------
BEGIN;
INSERT INTO reporting_events (id, name, value, value_in_business_hours, account_id, inbox_id, user_id, conversation_id,
                              event_start_time, event_end_time, created_at, updated_at)
SELECT id, name, 60, 60, 1, inbox, NULL, conv, t::timestamp - interval '1 minute', t::timestamp, t::timestamp, t::timestamp
FROM (VALUES (901, 'conversation_bot_handoff', 4, 5, '2024-03-12 09:00'), (902, 'conversation_bot_resolved', 4, 12, '2024-03-11 09:30'),
             (903, 'conversation_bot_resolved', 4, 12, '2024-03-11 10:00'), (904, 'conversation_bot_handoff', 3, 12, '2024-03-14 12:00'))
     v(id, name, inbox, conv, t);
-- [03-06, 03-13): e17 out (C5's handoff e901 is in the range), e902 + e903 in (C12's e904 is not)
-- -> 2; handoffs C4, C5 -> 2. Previous week: nothing.
SELECT bot_resolutions_count, bot_handoffs_count, previous_bot_resolutions_count
FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- [03-06, 03-15): e904 is in the range too -> C12 out as well -> 0; handoffs C4, C5, C12 -> 3
SELECT bot_resolutions_count, bot_handoffs_count FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-15 00:00+00');
-- inbox 4 over [03-06, 03-15): e904 is inbox 3's, another scope -> C12 stays: 2; handoffs C4, C5 -> 2
SELECT bot_resolutions_count, bot_handoffs_count
FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-15 00:00+00', 'inbox', 4);
-- the exclusion covers the range, not the bucket: 03-10 is 0 although e901 lies on 03-12; 03-11 is 2
SELECT bucket::date, value FROM reports.timeseries(1, 'bot_resolutions_count', '2024-03-06 00:00+00', '2024-03-13 00:00+00')
WHERE value > 0 OR bucket::date = '2024-03-10';
-- and a range that ends before e901 keeps e17: [03-10, 03-12) -> 03-10: 1, 03-11: 2
SELECT bucket::date, value FROM reports.timeseries(1, 'bot_resolutions_count', '2024-03-10 00:00+00', '2024-03-12 00:00+00');
-- the drilldown of 03-11 lists e902 and e903; of 03-10 nothing
SELECT source_id FROM reports.drilldown(1, 'bot_resolutions_count', '2024-03-11 00:00+00', '2024-03-06 00:00+00', '2024-03-13 00:00+00')
ORDER BY 1;
SELECT count(*) AS records FROM reports.drilldown(1, 'bot_resolutions_count', '2024-03-10 00:00+00', '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- bot_metrics: resolved conversations {C5, C12} less handed-off {C4, C5} = {C12} -> 1 of the 3
-- bot-inbox conversations (C4, C5, C12): 33.333...%, Chatwoot's rate 33; handoffs 2 -> 66
SELECT total_conversations, bot_handled, bot_handoffs, round(bot_resolution_rate::numeric, 4) AS rate,
       resolution_rate, handoff_rate
FROM reports.bot_metrics(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
ROLLBACK;

-------------------------------------------------------------------------------------------------
-- Bad arguments.
-------------------------------------------------------------------------------------------------
\set VERBOSITY terse
SELECT * FROM reports.inbox_label_matrix(1, '2024-03-13', '2024-03-06');
SELECT * FROM reports.first_response_time_distribution(1, NULL, NULL, '{3600,600}');
SELECT * FROM reports.first_response_time_distribution(1, NULL, NULL, NULL);
SELECT * FROM reports.first_response_time_distribution(1, '2024-03-13', '2024-03-06');
SELECT * FROM reports.heatmap(1, '2024-03-06', '2024-03-13', 'UTC', 'avg_first_response_time');
SELECT * FROM reports.heatmap(1, '2024-03-06', '2024-03-13', 'Nowhere/City');
SELECT * FROM reports.heatmap(1, '2024-03-13', '2024-03-06');
SELECT * FROM reports.bot_metrics(1, NULL, '2024-03-13');
SELECT * FROM reports.outgoing_messages_count(1, 'contact', '2024-03-06', '2024-03-13');
SELECT * FROM reports.outgoing_messages_count(1, 'agent', '2024-03-13', '2024-03-06');
SELECT * FROM reports.csat_responses(1, '2024-03-13', '2024-03-06');
SELECT * FROM reports.grouped_conversation_metrics(1, 'inbox_id');
SELECT reports.refresh_business_hours(NULL);
\set VERBOSITY default
