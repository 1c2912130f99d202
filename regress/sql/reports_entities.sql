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
SELECT * FROM reports.agent_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- business hours: Alice 7200 / (1800 + 600) / 2 = 1200 / NULL; Bob 16200 / (5400 + 0) / 2 = 2700 / (1200 + 0) / 2 = 600;
-- Carol (10800 + 25200) / 2 = 18000 / 1800 / 3600
SELECT id, name, avg_resolution_time, avg_first_response_time, avg_reply_time
FROM reports.agent_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', true);
-- account 2: only Dave: C10, C11 created in R but only C10 is his = 1; e24 7200; e23 600
SELECT * FROM reports.agent_report(2, '2024-03-06 00:00+00', '2024-03-13 00:00+00');

-------------------------------------------------------------------------------------------------
-- inbox_report
-------------------------------------------------------------------------------------------------
-- 1 Web NY:      C1 C2 C7 = 3; resolved e2, e6 = 2, (7200 + 243000) / 2 = 125100; frt (1800 + 232200) / 2 = 117000; reply 1200
-- 2 Mail Berlin: C3 C8 = 2; e8, e11 = 2, 64800; frt 1800; reply 3600
-- 3 API:         C6 = 1; 0, NULL; frt 4200; reply 300
-- 4 Bot WA:      C4 C5 C12 = 3; e16 = 1, 0 (all of it pending); frt 600; reply NULL
SELECT * FROM reports.inbox_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
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
SELECT * FROM reports.team_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- business hours: sales 7200, (1800 + 0) / 2 = 900, 0; support (16200 + 10800 + 25200) / 3 = 17400, (5400 + 1800) / 2 = 3600, 2400
SELECT id, avg_resolution_time, avg_first_response_time, avg_reply_time
FROM reports.team_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', true);
-- account 2: other team: C10 = 1; e24 = 1, 7200; e23 600
SELECT * FROM reports.team_report(2, '2024-03-06 00:00+00', '2024-03-13 00:00+00');

-------------------------------------------------------------------------------------------------
-- label_report (Chatwoot's label summary): conversations created in range; resolutions = events in
-- range; averages = events of ANY date of conversations created in range; missing values are 0;
-- only taggings in context 'labels' count (C6's 'feedback' is in context 'skills'). Ordered by title.
-------------------------------------------------------------------------------------------------
-- R: billing: C1 C2 C8 = 3; resolved e2, e6 = 2; rt (7200 + 243000) / 2 = 125100; frt (1800 + 232200) / 2 = 117000; reply 1200
--    feedback: all 0
--    urgent: C2 C3 = 2 (C9 is 03-01); resolved e6 e8 e11 = 3; rt (243000 + 14400 + 115200) / 3 = 124200;
--            frt (232200 + 1800) / 2 = 117000; reply (1200 + 3600) / 2 = 2400
SELECT * FROM reports.label_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00');
-- business hours: billing (7200 + 16200) / 2 = 11700, (1800 + 5400) / 2 = 3600, 1200;
-- urgent (16200 + 10800 + 25200) / 3 = 17400, (5400 + 1800) / 2 = 3600, 2400; feedback 0
SELECT title, avg_resolution_time, avg_first_response_time, avg_reply_time
FROM reports.label_report(1, '2024-03-06 00:00+00', '2024-03-13 00:00+00', true);
-- [03-07, 03-13): C3 (created 03-06) drops out of urgent's conversations, but its resolution e11 (03-07 16:00)
-- still counts: urgent = 1 conversation (C2), resolved e6 + e11 = 2, averages over C2's events only:
-- rt 243000, frt 232200, reply 1200. billing unchanged: 3, 2, 125100, 117000, 1200.
SELECT * FROM reports.label_report(1, '2024-03-07 00:00+00', '2024-03-13 00:00+00');
-- [03-06, 03-07): urgent = C3; resolved only e8 (e11 is 03-07) = 1; averages over all of C3's events, also
-- those after the range: rt (14400 + 115200) / 2 = 64800, frt 1800, reply e10 (03-07) 3600.
-- billing: no conversation created and no resolution in range -> 0 0 0 0 0
SELECT * FROM reports.label_report(1, '2024-03-06 00:00+00', '2024-03-07 00:00+00');
-- no date filter (NULL since/until): billing 3, 2, 125100, 117000, 1200;
-- urgent: C2 C3 C9 = 3; resolved e6 e8 e11 e22 = 4; rt (243000 + 14400 + 115200 + 3600) / 4 = 376200 / 4 = 94050;
-- frt (232200 + 1800 + 900) / 3 = 78300; reply (1200 + 3600) / 2 = 2400
SELECT * FROM reports.label_report(1, NULL, NULL);
-- account 2: its own "billing" (id 4): C10 = 1; e24 = 1; rt 7200; frt 600; reply 0 (missing -> 0)
SELECT * FROM reports.label_report(2, '2024-03-06 00:00+00', '2024-03-13 00:00+00');

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
