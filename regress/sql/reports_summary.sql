-- reports.summary on the reports_fixture data (tables at the top of reports_fixture.sql). Expected
-- values are worked out next to each query. R = [2024-03-06 00:00Z, 2024-03-13 00:00Z); its previous
-- period is [02-28, 03-06).
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-------------------------------------------------------------------------------------------------
-- 1. Account, R, all 18 columns.
-------------------------------------------------------------------------------------------------
-- conversations_count       C1 C2 C3 C4 C5 C6 C7 C8 C12 = 9            previous: C9 = 1
-- incoming_messages_count   m1 m5 m7 m11 m13 m16 m20 m23 m26 m28 m29 m33 = 12     previous: m30 = 1
-- outgoing_messages_count   m2 m3 m6 m8 m12 m14 m17 m18 m19 m21 m24 m25 m27 m34 = 14 (private notes and
--                           bot messages included; activity m9 / CSAT templates excluded)   previous: m31 = 1
-- avg_first_response_time   (1800 + 232200 + 1800 + 600 + 4200) / 5 = 240600 / 5 = 48120    previous: 900
-- avg_resolution_time       e2 7200, e6 244800 - 1800 pending = 243000, e8 14400, e11 115200,
--                           e16 300 - 300 pending = 0: 379800 / 5 = 75960 (raw values would give 381900 / 5 = 76380)
--                                                                                     previous: 3600
-- resolutions_count         5 (C3 counts twice: resolved, reopened, resolved)          previous: 1
-- reply_time                (1200 + 3600 + 300) / 3 = 1700                               previous: NULL (none)
-- bot_resolutions_count     e17 = 1                                                      previous: 0
-- bot_handoffs_count        e12, e14 are both C4; e20's conversation 99 does not exist = 1   previous: 0
\x on
SELECT * FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- business hours: first response (1800 + 5400 + 1800 + 600 + 0) / 5 = 9600 / 5 = 1920;
-- resolution (7200 + (18000 - 1800) + 10800 + 25200 + (300 - 300)) / 5 = 59400 / 5 = 11880;
-- reply (1200 + 3600 + 0) / 3 = 1600; previous: first response 0, resolution 0 (inbox 3 has working hours
-- off), reply NULL; every count as above.
SELECT * FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', business_hours => true);

-------------------------------------------------------------------------------------------------
-- 2. A period whose previous period has data: [03-08, 03-11), previous [03-05, 03-08).
-------------------------------------------------------------------------------------------------
-- current:  conversations C1 C2 C4 C5 C6 C7 = 6; incoming m1 m5 m16 m20 m23 m26 m28 = 7;
--           outgoing m2 m3 m17 m18 m21 m24 m25 m27 = 8 (m19 is 03-11 02:00); first response (1800 + 600 + 4200) / 3
--           = 2200; resolution (7200 + 0) / 2 = 3600; resolutions 2; reply e19 300; bot resolutions 1; handoffs 1
-- previous: conversations C3 = 1; incoming m11 m13 = 2; outgoing m12 m14 = 2; first response e7 1800;
--           resolution (14400 + 115200) / 2 = 64800; resolutions 2; reply e10 3600; bot 0; handoffs 0
SELECT * FROM reports.summary(1, '2024-03-08 00:00+00', '2024-03-11 00:00+00');
\x off

-- The pending time is taken from the whole recorded history, also when it lies before since: R' =
-- [03-11 16:45, 03-11 17:30) holds only e6 (pending 16:00-16:30 is before since) -> 243000, BH 16200;
-- previous [16:00, 16:45) has no events -> NULL.
SELECT avg_resolution_time, resolutions_count, previous_avg_resolution_time, previous_resolutions_count
FROM reports.summary(1, '2024-03-11 16:45+00', '2024-03-11 17:30+00');
SELECT avg_resolution_time FROM reports.summary(1, '2024-03-11 16:45+00', '2024-03-11 17:30+00', business_hours => true);

-- Snoozed time is subtracted too. Inside a transaction that is rolled back: C7 (Web NY, snoozed since
-- Sun 03-10 09:00Z) is resolved on Tue 03-12 09:00Z and Chatwoot writes its resolution event:
-- value = 03-12 09:00 - 03-10 08:30 = 48.5 h = 174600; BH (New York, Mon-Fri 09-17) = all of Monday
-- 03-11 = 28800 (Sunday is closed, Tuesday 09:00Z = 05:00 EDT). Snoozed 03-10 09:00 -> 03-12 09:00 = 172800 s,
-- in business hours 28800. Net: 174600 - 172800 = 1800; BH 28800 - 28800 = 0.
BEGIN;
UPDATE conversations SET status = 1, updated_at = '2024-03-12 09:00' WHERE id = 7;
INSERT INTO reporting_events (name, value, account_id, inbox_id, user_id, conversation_id, event_start_time, event_end_time, created_at, updated_at)
VALUES ('conversation_resolved', 174600, 1, 1, NULL, 7, '2024-03-10 08:30', '2024-03-12 09:00', '2024-03-12 09:00', '2024-03-12 09:00');
SELECT value, value_in_business_hours FROM reporting_events WHERE conversation_id = 7;
SELECT r.avg_resolution_time, r.resolutions_count, b.avg_resolution_time AS avg_resolution_time_bh
FROM reports.summary(1, '2024-03-12 00:00+00', '2024-03-13 00:00+00') r,
     reports.summary(1, '2024-03-12 00:00+00', '2024-03-13 00:00+00', business_hours => true) b;
ROLLBACK;

-------------------------------------------------------------------------------------------------
-- 3. Scopes over R (current period columns, then the previous period).
-------------------------------------------------------------------------------------------------
-- agent 1 Alice:  conversations C1 C4 = 2; incoming 0; outgoing m2 m3 m18 m19 = 4; frt (1800 + 600) / 2 = 1200;
--                 rt e2 7200; resolutions 1; reply NULL; bot 0; handoffs 0
-- agent 2 Bob:    C2 C6 = 2; 0; m6 m8 m24 m25 m27 = 5; frt (232200 + 4200) / 2 = 118200; rt e6 243000; 1;
--                 reply (1200 + 300) / 2 = 750; 0; 0
-- agent 4 Dave (account 2): 0 0 0 NULL NULL 0 NULL 0 0
-- inbox 1:        C1 C2 C7 = 3; m1 m5 m7 m28 = 4; m2 m3 m6 m8 = 4; frt (1800 + 232200) / 2 = 117000;
--                 rt (7200 + 243000) / 2 = 125100; 2; reply 1200; 0; 0
-- inbox 4:        C4 C5 C12 = 3; m16 m20 m33 = 3; m17 m18 m19 m21 m34 = 5; frt 600; rt 0 (net); 1; NULL; 1; 1
-- inbox 5 (account 2): 0 0 0 NULL NULL 0 NULL 0 0
-- team 1 sales:   C1 C6 C8 = 3; m1 m23 m26 m29 = 4; m2 m3 m24 m25 m27 = 5; frt (1800 + 4200) / 2 = 3000;
--                 rt 7200; 1; reply 300; 0; 0
-- team 2 support: C2 C3 = 2; m5 m7 m11 m13 = 4; m6 m8 m12 m14 = 4; frt (232200 + 1800) / 2 = 117000;
--                 rt (243000 + 14400 + 115200) / 3 = 124200; 3; reply (1200 + 3600) / 2 = 2400; 0; 0
-- team 3 (account 2): zeros
-- label 1 billing: C1 C2 C8 = 3; m1 m5 m7 m29 = 4; m2 m3 m6 m8 = 4; frt 117000; rt 125100; 2; reply 1200; 0; 0
-- label 3 feedback: only C6, tagged in context 'skills' (a label scope matches any context): 1; m23 m26 = 2;
--                 m24 m25 m27 = 3; frt 4200; rt NULL; 0; reply 300; 0; 0
-- label 4 (account 2's billing): zeros
SELECT s.scope, s.sid, r.conversations_count AS conv, r.incoming_messages_count AS incoming,
       r.outgoing_messages_count AS outgoing, r.avg_first_response_time AS frt, r.avg_resolution_time AS rt,
       r.resolutions_count AS res, r.reply_time AS reply, r.bot_resolutions_count AS bot_res,
       r.bot_handoffs_count AS handoffs
FROM (VALUES (1, 'agent', 1), (2, 'agent', 2), (3, 'agent', 4), (4, 'inbox', 1), (5, 'inbox', 4), (6, 'inbox', 5),
             (7, 'team', 1), (8, 'team', 2), (9, 'team', 3), (10, 'label', 1), (11, 'label', 3), (12, 'label', 4)) s(o, scope, sid),
     reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', s.scope, s.sid) r
ORDER BY s.o;
-- previous period [02-28, 03-06) holds only C9 (inbox 3, Alice, sales, label urgent) with m30, m31, e21, e22:
-- inbox 3, team 1 and label 2 (urgent) -> 1 1 1 900 3600 1; agent 1 -> 1 0 1 900 3600 1 (the agent scope counts
-- messages the agent sent, so the contact's m30 is not hers); everything else 0 / NULL.
SELECT s.scope, s.sid, r.previous_conversations_count AS conv, r.previous_incoming_messages_count AS incoming,
       r.previous_outgoing_messages_count AS outgoing, r.previous_avg_first_response_time AS frt,
       r.previous_avg_resolution_time AS rt, r.previous_resolutions_count AS res, r.previous_reply_time AS reply,
       r.previous_bot_resolutions_count AS bot_res, r.previous_bot_handoffs_count AS handoffs
FROM (VALUES (1, 'agent', 1), (2, 'agent', 2), (3, 'inbox', 3), (4, 'team', 1), (5, 'team', 2), (6, 'label', 2),
             (7, 'label', 1)) s(o, scope, sid),
     reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', s.scope, s.sid) r
ORDER BY s.o;
-- team 2 support with business hours: frt (5400 + 1800) / 2 = 3600; rt (16200 + 10800 + 25200) / 3 = 17400;
-- reply (1200 + 3600) / 2 = 2400
SELECT avg_first_response_time, avg_resolution_time, reply_time
FROM reports.summary(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', 'team', 2, true);

-- Account 2 over R: C10, C11 = 2; incoming m35 m38 = 2; outgoing m36 = 1; frt 600; rt 7200; 1; reply NULL.
SELECT conversations_count, incoming_messages_count, outgoing_messages_count, avg_first_response_time,
       avg_resolution_time, resolutions_count, reply_time, bot_resolutions_count, bot_handoffs_count
FROM reports.summary(2, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- Account 2 asking for account 1's agent / inbox / team / label ids: nothing.
SELECT s.scope, r.conversations_count, r.outgoing_messages_count, r.avg_first_response_time, r.resolutions_count
FROM (VALUES (1, 'agent', 1), (2, 'inbox', 1), (3, 'team', 1), (4, 'label', 1)) s(o, scope, sid),
     reports.summary(2, '2024-03-06 00:00+00', '2024-03-13 00:00+00', s.scope, s.sid) r
ORDER BY s.o;

-- No data at all: counts 0, averages NULL.
SELECT * FROM reports.summary(1, '2023-01-01 00:00+00', '2023-01-02 00:00+00');

-------------------------------------------------------------------------------------------------
-- 4. Bad arguments.
-------------------------------------------------------------------------------------------------
\set VERBOSITY terse
SELECT * FROM reports.summary(1, '2024-03-13', '2024-03-06');
SELECT * FROM reports.summary(1, NULL, '2024-03-06');
SELECT * FROM reports.summary(1, '2024-03-06', '2024-03-13', 'channel', 1);
SELECT * FROM reports.summary(1, '2024-03-06', '2024-03-13', 'team', NULL);
SELECT * FROM reports.summary(NULL, '2024-03-06', '2024-03-13');
\set VERBOSITY default

-- The recorded waits behind the subtraction (reports.event_waits, filled by the event trigger):
-- C2's resolution waited 30 min pending (1800 s: Monday 03-11 16:00-16:30Z, in inbox 1 that is
-- 12:00-12:30 EDT, inside Mon-Fri 09-17, so 1800 business seconds too); C5's bot resolution was
-- pending from creation 03:00 to 03:05 (300 s; the bot inbox is open all day, 300 business seconds).
SELECT e.conversation_id, w.wait_seconds, w.wait_business_seconds
FROM reports.event_waits w JOIN reporting_events e ON e.id = w.event_id
WHERE w.account_id = 1 ORDER BY e.conversation_id;
-- Rebuilding them set-based from the status history gives the same rows.
BEGIN;
SELECT reports.rebuild_event_waits(1) AS rebuilt;
SELECT e.conversation_id, w.wait_seconds, w.wait_business_seconds
FROM reports.event_waits w JOIN reporting_events e ON e.id = w.event_id
WHERE w.account_id = 1 ORDER BY e.conversation_id;
ROLLBACK;
SELECT reports.rebuild_event_waits(1, '2024-03-12', '2024-03-11');
