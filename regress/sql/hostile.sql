-- Hostile-input catalogue, kept as data: each row is a statement against the public API, the
-- SQLSTATE it must raise (a regular expression; '' = it must succeed; a pattern that also matches
-- '' accepts success too) and a word the error message
-- must contain (the argument it names). Every case runs in its own subtransaction; a backend crash
-- would end the session and show as a diff. Only the verdicts are printed, so the lead's rewording
-- of report messages does not churn this file as long as each message still names its argument.
-- Aggregate support functions are looked up by name in whichever schema holds them ({fn}).
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

CREATE TEMP TABLE hostile_case (id serial, name text, expect_state text, names text, stmt text);

INSERT INTO hostile_case (name, expect_state, names, stmt) VALUES
-- bucket_start: periods, week starts, zones, infinities, range ends
('bucket_start unknown period', '22023', 'period', $$SELECT reports.bucket_start('2022-03-16 12:00Z', 'fortnight', 'UTC')$$),
('bucket_start empty period', '22023', 'period', $$SELECT reports.bucket_start('2022-03-16 12:00Z', '', 'UTC')$$),
('bucket_start injection in period', '22023', 'period', $$SELECT reports.bucket_start('2022-03-16 12:00Z', 'day''; DROP TABLE x; --', 'UTC')$$),
('bucket_start unknown week_start', '22023', 'week_start', $$SELECT reports.bucket_start('2022-03-16 12:00Z', 'week', 'UTC', 'caturday')$$),
('bucket_start injection in week_start', '22023', 'week_start', $$SELECT reports.bucket_start('2022-03-16 12:00Z', 'week', 'UTC', 'monday'' OR ''1''=''1')$$),
('bucket_start unknown zone', '22023', 'tz', $$SELECT reports.bucket_start('2022-03-16 12:00Z', 'day', 'Mars/Olympus_Mons')$$),
('bucket_start empty zone', '22023', 'tz', $$SELECT reports.bucket_start('2022-03-16 12:00Z', 'day', '')$$),
('bucket_start injection in zone', '22023', 'tz', $$SELECT reports.bucket_start('2022-03-16 12:00Z', 'day', 'UTC''; SELECT pg_sleep(10); --')$$),
('bucket_start zone path traversal', '22023', 'tz', $$SELECT reports.bucket_start('2022-03-16 12:00Z', 'day', '../../../../etc/passwd')$$),
('bucket_start zone with trailing garbage: Postgres accepts it as well (AT TIME ZONE agrees)', '', '', $$SELECT reports.bucket_start('2022-03-16 12:00Z', 'day', E'UTC\\x00')$$),
('bucket_start 200-char zone', '22023', 'tz', $$SELECT reports.bucket_start('2022-03-16 12:00Z', 'day', repeat('A', 200))$$),
('bucket_start NULL period is NULL', '', '', $$SELECT reports.bucket_start('2022-03-16 12:00Z', NULL, 'UTC')$$),
('bucket_start infinity', '', '', $$SELECT reports.bucket_start('infinity', 'day', 'UTC')$$),
('bucket_start lowest timestamp', '^22', 'ts', $$SELECT reports.bucket_start('4713-01-01 00:00:00+00 BC', 'year', 'Pacific/Kiritimati')$$),
('bucket_start highest timestamp', '', '', $$SELECT reports.bucket_start('294276-12-31 23:59:59+00', 'hour', 'UTC')$$),
-- business_seconds: schedules, zones, NaN-free timestamps, range ends
('business_seconds odd schedule', '22023', 'schedule', $$SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,2460,3420}', 'UTC')$$),
('business_seconds schedule past the week', '22023', 'schedule', $$SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,10081}', 'UTC')$$),
('business_seconds negative schedule', '22023', 'schedule', $$SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{-5,100}', 'UTC')$$),
('business_seconds reversed interval', '22023', 'schedule', $$SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{2460,1980}', 'UTC')$$),
('business_seconds overlapping intervals', '22023', 'schedule', $$SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,2460,2400,3000}', 'UTC')$$),
('business_seconds NULL element', '^22', 'schedule', $$SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,NULL}', 'UTC')$$),
('business_seconds 2-D schedule', '^22', 'schedule', $$SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{{1980,2460},{3420,3900}}', 'UTC')$$),
('business_seconds huge schedule', '22023', 'schedule', $$SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', (SELECT array_agg(g) FROM generate_series(1, 200001) g), 'UTC')$$),
('business_seconds int4 max in schedule', '22023', 'schedule', $$SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{0,2147483647}', 'UTC')$$),
('business_seconds unknown zone', '22023', 'tz', $$SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,2460}', 'Nowhere/Land')$$),
('business_seconds empty zone', '22023', 'tz', $$SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,2460}', '')$$),
('business_seconds injection in zone', '22023', 'tz', $$SELECT reports.business_seconds('2022-03-21 08:00Z', '2022-03-21 10:30Z', '{1980,2460}', $z$UTC' OR 1=1 --$z$)$$),
('business_seconds -infinity', '^22', 'from_ts', $$SELECT reports.business_seconds('-infinity', '2022-03-21 10:30Z', '{1980,2460}', 'UTC')$$),
('business_seconds infinity', '^22', 'to_ts', $$SELECT reports.business_seconds('2022-03-21 08:00Z', 'infinity', '{1980,2460}', 'UTC')$$),
('business_seconds NULL is NULL', '', '', $$SELECT reports.business_seconds(NULL, '2022-03-21 10:30Z', '{1980,2460}', 'UTC')$$),
('business_seconds whole timestamp range', '', '', $$SELECT reports.business_seconds('4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59+00', '{0,10080}', 'UTC')$$),
('business_seconds whole range, split shifts, DST zone', '', '', $$SELECT reports.business_seconds('4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59+00', '{540,720,780,1020,10000,10080}', 'America/New_York')$$),
('business_seconds reversed huge range', '', '', $$SELECT reports.business_seconds('294276-12-31 23:59:59+00', '4713-01-01 00:00:00+00 BC', '{1980,2460}', 'Europe/Paris')$$),
-- histogram_agg: edges with NaN, infinities, NULLs, wrong order, absurd counts
('histogram NaN edge', '22023', 'edges', $$SELECT reports.histogram_agg(v, '{1,NaN}') FROM (VALUES (1::float8)) x(v)$$),
('histogram +Infinity edge', '22023', 'edges', $$SELECT reports.histogram_agg(v, '{1,Infinity}') FROM (VALUES (1::float8)) x(v)$$),
('histogram -Infinity edge', '22023', 'edges', $$SELECT reports.histogram_agg(v, '{-Infinity,1}') FROM (VALUES (1::float8)) x(v)$$),
('histogram NULL edge', '^22', 'edges', $$SELECT reports.histogram_agg(v, '{1,NULL}') FROM (VALUES (1::float8)) x(v)$$),
('histogram decreasing edges', '22023', 'edges', $$SELECT reports.histogram_agg(v, '{2,1}') FROM (VALUES (1::float8)) x(v)$$),
('histogram 2-D edges', '^22', 'edges', $$SELECT reports.histogram_agg(v, '{{1,2},{3,4}}') FROM (VALUES (1::float8)) x(v)$$),
('histogram a million edges works', '', '', $$SELECT reports.histogram_agg(v, (SELECT array_agg(g::float8) FROM generate_series(1, 1000000) g)) FROM (VALUES (1::float8)) x(v)$$),
('histogram edges change between rows', '22023', 'edges', $$SELECT reports.histogram_agg(v, e) FROM (VALUES (1::float8, '{1,2}'::float8[]), (1, '{1,3}')) x(v, e)$$),
('histogram NaN value is counted, not an error', '', '', $$SELECT reports.histogram_agg(v, '{1,2}') FROM (VALUES ('NaN'::float8), ('Infinity'), ('-Infinity')) x(v)$$),
-- heatmap_agg
('heatmap unknown zone', '22023', 'tz', $$SELECT reports.heatmap_agg(ts, 'Mars/Olympus_Mons') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts)$$),
('heatmap injection in zone', '22023', 'tz', $$SELECT reports.heatmap_agg(ts, 'UTC); DROP TABLE x; --') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts)$$),
('heatmap infinity row', '^22', 'ts', $$SELECT reports.heatmap_agg(ts, 'UTC') FROM (VALUES ('infinity'::timestamptz)) v(ts)$$),
('heatmap zone changes between rows', '', '', $$SELECT reports.heatmap_agg(ts, tz) FROM (VALUES ('2022-01-01 10:00Z'::timestamptz, 'UTC'), ('2022-01-01 10:00Z', 'Asia/Tokyo')) v(ts, tz)$$),
-- series_agg: period, zone, range, and settings that change from row to row (issue 11 item 7)
('series unknown period', '22023', 'period', $$SELECT reports.series_agg(ts, 1, 'decade', 'UTC', '2022-01-01', '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts)$$),
('series unknown zone', '22023', 'tz', $$SELECT reports.series_agg(ts, 1, 'day', 'Mars/Olympus_Mons', '2022-01-01', '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts)$$),
('series reversed range', '22023', 'since', $$SELECT reports.series_agg(ts, 1, 'day', 'UTC', '2022-01-03', '2022-01-01') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts)$$),
('series empty range', '22023', 'since', $$SELECT reports.series_agg(ts, 1, 'day', 'UTC', '2022-01-01', '2022-01-01') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts)$$),
('series absurd bucket count', '^(22|54)', 'bucket', $$SELECT reports.series_agg(ts, 1, 'hour', 'UTC', '4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59+00') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts)$$),
('series infinite since', '^22', 'since', $$SELECT reports.series_agg(ts, 1, 'day', 'UTC', '-infinity', '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts)$$),
('series infinite until', '^22', 'until', $$SELECT reports.series_agg(ts, 1, 'day', 'UTC', '2022-01-01', 'infinity') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts)$$),
('series NULL zone', '22004', 'tz', $$SELECT reports.series_agg(ts, 1, 'day', NULL, '2022-01-01', '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts)$$),
('series NULL since', '22004', 'since', $$SELECT reports.series_agg(ts, 1, 'day', 'UTC', NULL, '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz)) v(ts)$$),
('series tz changes between rows', '22023', 'tz', $$SELECT reports.series_agg(ts, 1, 'day', tz, '2022-01-01', '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz, 'UTC'), ('2022-01-01 11:00Z', 'Asia/Tokyo')) v(ts, tz)$$),
('series since changes between rows', '22023', 'since', $$SELECT reports.series_agg(ts, 1, 'day', 'UTC', s, '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz, '2022-01-01'::timestamptz), ('2022-01-01 11:00Z', '2022-01-02')) v(ts, s)$$),
('series until changes between rows', '22023', 'until', $$SELECT reports.series_agg(ts, 1, 'day', 'UTC', '2022-01-01', u) FROM (VALUES ('2022-01-01 10:00Z'::timestamptz, '2022-01-03'::timestamptz), ('2022-01-01 11:00Z', '2022-01-04')) v(ts, u)$$),
('series period changes between rows', '22023', 'period', $$SELECT reports.series_agg(ts, 1, p, 'UTC', '2022-01-01', '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz, 'day'), ('2022-01-01 11:00Z', 'hour')) v(ts, p)$$),
('series week_start changes between rows', '22023', 'week_start', $$SELECT reports.series_agg(ts, 1, 'week', 'UTC', '2022-01-01', '2022-02-01', w) FROM (VALUES ('2022-01-01 10:00Z'::timestamptz, 'sunday'), ('2022-01-05 11:00Z', 'monday')) v(ts, w)$$),
('series NULL since on a later row', '22004', 'since', $$SELECT reports.series_agg(ts, 1, 'day', 'UTC', s, '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz, '2022-01-01'::timestamptz), ('2022-01-01 11:00Z', NULL)) v(ts, s)$$),
('series same tz spelled the same in every group', '', '', $$SELECT g, reports.series_agg(ts, 1, 'day', 'UTC', '2022-01-01', '2022-01-03') FROM (VALUES (1, '2022-01-01 10:00Z'::timestamptz), (2, '2022-01-01 11:00Z'), (1, '2022-01-02 11:00Z')) v(g, ts) GROUP BY g$$),
('series NaN and infinite values are summed', '', '', $$SELECT reports.series_agg(ts, v, 'day', 'UTC', '2022-01-01', '2022-01-03') FROM (VALUES ('2022-01-01 10:00Z'::timestamptz, 'NaN'::float8), ('2022-01-01 11:00Z', 'Infinity')) x(ts, v)$$),
-- malformed aggregate states given to the support functions by hand
('heatmap_final on garbage', 'XX001', 'state', $$SELECT {heatmap_final}('\xdeadbeef'::bytea)$$),
('heatmap_final on empty', 'XX001', 'state', $$SELECT {heatmap_final}(''::bytea)$$),
('heatmap_combine outside an aggregate', '0A000', 'aggregate', $$SELECT {heatmap_combine}('\x00'::bytea, '\x01'::bytea)$$),
('histogram_final on garbage', 'XX001', 'state', $$SELECT {histogram_final}(decode(repeat('ff', 100), 'hex'))$$),
('histogram_combine outside an aggregate', '0A000', 'aggregate', $$SELECT {histogram_combine}(decode(repeat('00', 64), 'hex'), decode(repeat('00', 64), 'hex'))$$),
('series_final on garbage', 'XX001', 'state', $$SELECT {series_final}(decode(repeat('41', 300), 'hex'))$$),
('series_sfunc outside an aggregate', '0A000', 'aggregate', $$SELECT {series_final}(substring(s from 1 for length(s) - 8)) FROM (SELECT {series_sfunc}(NULL, now(), 1, 'day', 'UTC', '2022-01-01', '2022-01-03') s) x$$),
('series_combine outside an aggregate', '0A000', 'aggregate', $$SELECT {series_combine}(a, b) FROM (SELECT {series_sfunc}(NULL, now(), 1, 'day', 'UTC', '2022-01-01', '2022-01-03') a, {series_sfunc}(NULL, now(), 1, 'day', 'UTC', '2022-01-01', '2022-01-04') b) x$$),
('heatmap_sfunc outside an aggregate', '0A000', 'aggregate', $$SELECT {heatmap_sfunc}(NULL, now(), 'UTC')$$),
-- the reports: ranges, zones, metrics, scopes, edges, injection strings in every text argument
('timeseries unknown metric', '22023', 'metric', $$SELECT * FROM reports.timeseries(1, 'nope', '2024-01-01', '2024-01-02')$$),
('timeseries injection in metric', '22023', 'metric', $$SELECT * FROM reports.timeseries(1, $m$conversations_count'; DROP TABLE conversations; --$m$, '2024-01-01', '2024-01-02')$$),
('timeseries injection in group_by', '22023', 'group_by', $$SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-01-01', '2024-01-02', 'day; DELETE FROM users')$$),
('timeseries injection in tz', '22023', 'tz', $$SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-01-01', '2024-01-02', 'day', $z$UTC' UNION SELECT 1 --$z$)$$),
('timeseries empty tz', '22023', 'tz', $$SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-01-01', '2024-01-02', 'day', '')$$),
('timeseries injection in scope', '22023', 'scope', $$SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-01-01', '2024-01-02', 'day', 'UTC', 'account OR 1=1')$$),
('timeseries reversed range', '22023', 'since', $$SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-01-02', '2024-01-01')$$),
('timeseries empty range', '22023', 'since', $$SELECT * FROM reports.timeseries(1, 'conversations_count', '2024-01-01', '2024-01-01')$$),
('timeseries infinite range', '^22', 'since', $$SELECT * FROM reports.timeseries(1, 'conversations_count', '-infinity', 'infinity')$$),
('timeseries absurd bucket count', '^(22|54)', '', $$SELECT * FROM reports.timeseries(1, 'conversations_count', '4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59+00', 'hour')$$),
('summary reversed range', '22023', 'since', $$SELECT * FROM reports.summary(1, '2024-01-02', '2024-01-01')$$),
('summary empty range', '22023', 'since', $$SELECT * FROM reports.summary(1, '2024-01-01', '2024-01-01')$$),
('summary infinite until', '^22', 'until', $$SELECT * FROM reports.summary(1, '2024-01-01', 'infinity')$$),
('summary injection in scope', '22023', 'scope', $$SELECT * FROM reports.summary(1, '2024-01-01', '2024-01-02', $s$agent'; --$s$, 1)$$),
('summary NULL account: no rows (STRICT) or 22004 naming it', '^$|^22004$', 'account_id', $$SELECT * FROM reports.summary(NULL, '2024-01-01', '2024-01-02')$$),
('heatmap report unknown zone', '22023', 'tz', $$SELECT * FROM reports.heatmap(1, '2024-01-01', '2024-01-02', 'Atlantis/Capital')$$),
('heatmap report injection in metric', '22023', 'metric', $$SELECT * FROM reports.heatmap(1, '2024-01-01', '2024-01-02', 'UTC', 'conversations_count; DROP TABLE x')$$),
('distribution NaN edge', '22023', 'edges', $$SELECT * FROM reports.first_response_time_distribution(1, '2024-01-01', '2024-01-02', '{300,NaN}')$$),
('distribution decreasing edges', '22023', 'edges', $$SELECT * FROM reports.first_response_time_distribution(1, '2024-01-01', '2024-01-02', '{900,300}')$$),
('distribution infinite edge', '22023', 'edges', $$SELECT * FROM reports.first_response_time_distribution(1, '2024-01-01', '2024-01-02', '{300,Infinity}')$$),
('summary_by injection in dimension', '22023', 'dimension', $$SELECT * FROM reports.summary_by(1, $d$agent' OR '1'='1$d$, '2024-01-01', '2024-01-02')$$),
('outgoing_messages_count injection in group_by', '22023', 'group_by', $$SELECT * FROM reports.outgoing_messages_count(1, 'agent; DROP TABLE x', '2024-01-01', '2024-01-02')$$),
('agent_report reversed range', '22023', 'since', $$SELECT * FROM reports.agent_report(1, '2024-01-02', '2024-01-01')$$),
('bot_metrics reversed range', '22023', 'since', $$SELECT * FROM reports.bot_metrics(1, '2024-01-02', '2024-01-01')$$),
('inbox_label_matrix NULL ids in arrays', '', '', $$SELECT * FROM reports.inbox_label_matrix(1, '2024-01-01', '2024-01-02', '{NULL,1}', '{NULL}')$$),
-- backlog: the same checks as timeseries
('backlog injection in group_by', '22023', 'group_by', $$SELECT * FROM reports.backlog(1, '2024-01-01', '2024-01-02', 'day; DELETE FROM users')$$),
('backlog injection in tz', '22023', 'tz', $$SELECT * FROM reports.backlog(1, '2024-01-01', '2024-01-02', 'day', $z$UTC' UNION SELECT 1 --$z$)$$),
('backlog injection in scope', '22023', 'scope', $$SELECT * FROM reports.backlog(1, '2024-01-01', '2024-01-02', 'day', 'UTC', 'account OR 1=1')$$),
('backlog infinite range', '^22', 'since', $$SELECT * FROM reports.backlog(1, '-infinity', 'infinity')$$),
('backlog absurd bucket count', '^(22|54)', '', $$SELECT * FROM reports.backlog(1, '4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59+00', 'hour')$$),
('backlog two centuries by year', '', '', $$SELECT * FROM reports.backlog(1, '1950-01-01', '2150-01-01', 'year', 'Pacific/Kiritimati')$$),
('backlog int4 max scope id', '', '', $$SELECT * FROM reports.backlog(1, '2024-01-01', '2024-01-02', 'day', 'UTC', 'label', 2147483647)$$),
-- SLA: a label is a literal substring, ids of any size match nothing
('sla_metrics injection in label', '', '', $$SELECT * FROM reports.sla_metrics(1, label => $l$'; DROP TABLE applied_slas; --$l$)$$),
('sla_metrics NULL ids in agent_ids', '', '', $$SELECT * FROM reports.sla_metrics(1, agent_ids => '{NULL,1}')$$),
('sla_responses reversed range', '22023', 'since', $$SELECT * FROM reports.sla_responses(1, '2024-01-02', '2024-01-01')$$),
('sla_responses infinite range', '^22', 'since', $$SELECT * FROM reports.sla_responses(1, '-infinity', 'infinity')$$);

-- Resolves {function} to the schema that holds it (reports today, reports_internal tomorrow).
CREATE FUNCTION pg_temp.resolve(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    m text[];
    qualified text;
BEGIN
    FOR m IN SELECT regexp_matches(stmt, '\{([a-z_]+)\}', 'g') LOOP
        SELECT quote_ident(n.nspname) || '.' || quote_ident(p.proname) INTO qualified
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'support_reports'
        WHERE p.proname = m[1] LIMIT 1;
        stmt := replace(stmt, '{' || m[1] || '}', coalesce(qualified, 'missing_function_' || m[1]));
    END LOOP;
    RETURN stmt;
END $$;

CREATE FUNCTION pg_temp.run_case(stmt text, OUT state text, OUT message text) LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE pg_temp.resolve(stmt);
    state := '';
    message := '';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
END $$;

-- One line per case: "ok", or what happened instead.
SELECT c.id, c.name,
       CASE
         WHEN r.state = '' AND (c.expect_state = '' OR '' ~ c.expect_state) THEN 'ok'
         WHEN r.state <> '' AND c.expect_state <> '' AND r.state ~ c.expect_state
              AND position(lower(c.names) IN lower(r.message)) > 0 THEN 'ok'
         ELSE 'expected ' || coalesce(nullif(c.expect_state, ''), 'success') || ' naming "' || c.names ||
              '", got ' || coalesce(nullif(r.state, ''), 'success') || ': ' || r.message
       END AS verdict
FROM hostile_case c, pg_temp.run_case(c.stmt) r
ORDER BY c.id;

SELECT count(*) >= 60 AS at_least_60_cases FROM hostile_case;
-- The backend survived every case.
SELECT 1 AS still_serving;
