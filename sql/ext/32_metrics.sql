-------------------------------------------------------------------------------------------------
-- The metric registry: every conversation metric is defined here, once. The rollup's computation
-- (reports_internal.compute_parts), the raw edges, every scope of the summary, the timeseries, the
-- heatmap and the entity reports read this table, and reports-server lists its metrics from the
-- view reports.metrics. Adding a metric is one INSERT below plus its tests.
--
-- A metric counts or averages the rows of one source table of one account:
--   conversations     conversations created in the range;
--   messages          messages of one message_type created in the range;
--   events            reporting_events of one name created in the range.
-- Kinds:
--   count                    the number of rows;
--   average                  the mean of the rows' values (value, or value_in_business_hours with
--                            business_hours => true), skipping rows without one; subtract_waits
--                            takes the recorded pending/snoozed time off each value first;
--   distinct_conversations   the number of distinct conversations of the rows that still exist;
--   quantile                 a quantile of the values of another metric, an average (quantile_of):
--                            that metric's parts carry a quantile sketch of its values (both
--                            clocks), so a quantile reads its rows, waits and business hours, and
--                            rolls up with it; read within 1% of percentile_cont's answer;
--   ratio                    numerator's count * 100 / denominator's count (two metrics of this
--                            table, read with the same rows, scope and buckets; NULL without any
--                            denominator rows).
-- A distinct_conversations metric keeps, in its parts, the previous row's time (dup_prev) of every
-- row whose conversation had an earlier row of the metric with the same key: over one group
-- [s, e), the distinct conversations are the rows less those whose previous row lies in [s, e)
-- too, i.e. at or after s. So it adds up over hours like a count (no sets of ids), and a later
-- row never changes an earlier one's parts.
-- by_conversation: the rows slice by their conversation's current assignee, inbox, team and
-- labels (not by the event's user and inbox); one_touch keeps only the rows of conversations
-- that have, over their whole life, exactly one outgoing non-private message sent by a User
-- (reports.conversation_agent_messages). A message or status change of any date therefore alters
-- an old row; the triggers mark its hours changed.
-- excluded_by names another metric (a distinct_conversations one): the rows of a conversation that
-- metric counts over the report's whole range, in the same scope, are left out (upstream #14032:
-- a bot resolution of a conversation handed off to a human in the range is no bot resolution).
-- It applies to the range, not to each bucket, so the parts of such a metric keep, for each row of
-- a conversation that has rows of the other metric (same key), the nearest such row's time at or
-- before it (x_prev, else -infinity) and after it (x_next, else infinity): the row is left out of
-- a report over [since, until) when x_prev >= since or x_next < until.
-- by_creation: a cohort metric. Its rows are the events (of any date) of the conversations created
-- in the range, placed at the conversation's creation and sliced by the conversation's current
-- assignee, inbox, team and labels (Chatwoot's label summary averages so). An event of now thus
-- adds to a cohort rolled up long ago: refresh_rollup adds the events of each newly covered hour
-- to their conversations' creation hours, and a report adds the events after covered_until to the
-- cohorts it reads from the rollup; a late or changed event marks its conversation's creation hour.
-- Every metric slices by the same dimensions (see compute_parts): the account; the agent
-- (assignee / sender / event user); the inbox; the conversation's current team; its current labels.
-------------------------------------------------------------------------------------------------

CREATE TABLE reports_internal.metric (
    name            text    PRIMARY KEY,
    position        int     NOT NULL UNIQUE,  -- the order metrics are listed in (Chatwoot's)
    -- NULL for a ratio (it reads its numerator's and denominator's rows)
    source          text    CHECK (source IN ('conversations', 'messages', 'events', 'status_changes')),
    event_name      text    CHECK ((source = 'events') = (event_name IS NOT NULL)),
    message_type    int     CHECK ((source = 'messages') = (message_type IS NOT NULL)),
    kind            text    NOT NULL CHECK (kind IN ('count', 'average', 'distinct_conversations', 'quantile', 'ratio')),
    by_conversation bool    NOT NULL DEFAULT false CHECK (NOT by_conversation OR kind = 'distinct_conversations'),
    one_touch       bool    NOT NULL DEFAULT false CHECK (NOT one_touch OR (by_conversation AND source = 'events')),
    by_creation     bool    NOT NULL DEFAULT false CHECK (NOT by_creation OR (kind = 'average' AND source = 'events')),
    subtract_waits  bool    NOT NULL DEFAULT false CHECK (NOT subtract_waits OR kind IN ('average', 'quantile')),
    excluded_by     text    REFERENCES reports_internal.metric (name) CHECK (excluded_by IS NULL OR (kind = 'count' AND source = 'events')),
    -- whether the metric is one of the summary's (reports.summary has a column for it)
    in_summary      bool    NOT NULL DEFAULT true,
    -- the metrics reports.heatmap can show
    in_heatmap      bool    NOT NULL DEFAULT false,
    description     text    NOT NULL,
    -- quantile metrics: the average whose values (and sketch) they read, and which quantile
    quantile_of     text    REFERENCES reports_internal.metric (name),
    quantile        float8  CHECK (quantile > 0 AND quantile < 1),
    -- ratio metrics: the metrics whose counts they divide
    numerator       text    REFERENCES reports_internal.metric (name),
    denominator     text    REFERENCES reports_internal.metric (name),
    CHECK ((kind = 'quantile') = (quantile_of IS NOT NULL) AND (kind = 'quantile') = (quantile IS NOT NULL)),
    CHECK ((kind = 'ratio') = (numerator IS NOT NULL) AND (kind = 'ratio') = (denominator IS NOT NULL)),
    CHECK ((kind = 'ratio') = (source IS NULL)),
    -- status changes are resolved -> open rows, sliced by their conversation
    CHECK (source <> 'status_changes' OR by_conversation)
);
COMMENT ON TABLE reports_internal.metric IS
'The metric registry: each metric''s source rows, kind and business-hours rule, defined once for every report.';

INSERT INTO reports_internal.metric (position, name, source, event_name, message_type, kind, subtract_waits, in_summary, in_heatmap, description) VALUES
(1, 'conversations_count',     'conversations', NULL, NULL, 'count', false, true, true,
 'Conversations created in the range.'),
(2, 'incoming_messages_count', 'messages', NULL, 0, 'count', false, true, true,
 'Incoming messages (message_type 0) created in the range.'),
(3, 'outgoing_messages_count', 'messages', NULL, 1, 'count', false, true, true,
 'Outgoing messages (message_type 1, private notes and bot messages included) created in the range.'),
(4, 'resolutions_count',       'events', 'conversation_resolved', NULL, 'count', false, true, true,
 'conversation_resolved events in the range.'),
(7, 'avg_first_response_time', 'events', 'first_response', NULL, 'average', false, true, false,
 'Mean seconds from a conversation''s creation (or reopening) to the first agent reply, over the first_response events in the range; business hours: the working seconds of that span.'),
(8, 'avg_resolution_time',     'events', 'conversation_resolved', NULL, 'average', true, true, false,
 'Mean seconds from creation to resolution less the recorded pending/snoozed time, over the conversation_resolved events in the range; business hours: working seconds less working seconds waited.'),
(9, 'reply_time',              'events', 'reply_time', NULL, 'average', false, true, false,
 'Mean seconds from a customer message to the agent reply, over the reply_time events in the range; business hours: the working seconds of that span.'),
(5, 'bot_resolutions_count',   'events', 'conversation_bot_resolved', NULL, 'count', false, true, true,
 'conversation_bot_resolved events in the range, less those of conversations handed off to a human (a conversation_bot_handoff event in the same scope) anywhere in the report''s range.'),
(6, 'bot_handoffs_count',      'events', 'conversation_bot_handoff', NULL, 'distinct_conversations', false, true, false,
 'Distinct existing conversations with a conversation_bot_handoff event in the range.');

-- Quantiles of the three averages: the same rows, waits and business-hours rule as their average.
INSERT INTO reports_internal.metric (position, name, source, event_name, message_type, kind, subtract_waits, in_summary, in_heatmap,
                                     quantile_of, quantile, description)
SELECT x.position, x.name, a.source, a.event_name, a.message_type, 'quantile', a.subtract_waits, true, false,
       a.name, x.quantile, x.description
FROM (VALUES
(10, 'median_first_response_time', 'avg_first_response_time', 0.5,
 'Median seconds from a conversation''s creation (or reopening) to the first agent reply, over the first_response events in the range (within 1%); business hours: of the working seconds of that span.'),
(11, 'p90_first_response_time', 'avg_first_response_time', 0.9,
 '90th percentile of the seconds from a conversation''s creation (or reopening) to the first agent reply, over the first_response events in the range (within 1%); business hours: of the working seconds.'),
(12, 'median_resolution_time', 'avg_resolution_time', 0.5,
 'Median seconds from creation to resolution less the recorded pending/snoozed time, over the conversation_resolved events in the range (within 1%); business hours: working seconds less working seconds waited.'),
(13, 'p90_resolution_time', 'avg_resolution_time', 0.9,
 '90th percentile of the seconds from creation to resolution less the recorded pending/snoozed time, over the conversation_resolved events in the range (within 1%); business hours: working seconds less working seconds waited.'),
(14, 'median_reply_time', 'reply_time', 0.5,
 'Median seconds from a customer message to the agent reply, over the reply_time events in the range (within 1%); business hours: of the working seconds of that span.'),
(15, 'p90_reply_time', 'reply_time', 0.9,
 '90th percentile of the seconds from a customer message to the agent reply, over the reply_time events in the range (within 1%); business hours: of the working seconds.')
) x(position, name, of_metric, quantile, description)
JOIN reports_internal.metric a ON a.name = x.of_metric;

-- Reopens and one-touch resolutions: distinct conversations sliced by the conversation's current
-- assignee, inbox, team and labels in every scope, and the rates they make.
INSERT INTO reports_internal.metric (position, name, source, event_name, kind, by_conversation, one_touch, in_summary,
                                     in_heatmap, description) VALUES
(16, 'reopened_count', 'status_changes', NULL, 'distinct_conversations', true, false, true, false,
 'Distinct existing conversations whose status went from resolved to open in the range (from reports.conversation_status_changes).'),
(19, 'unique_resolved_count', 'events', 'conversation_resolved', 'distinct_conversations', true, false, false, false,
 'Distinct existing conversations with a conversation_resolved event in the range, by the conversation''s current assignee, inbox, team and labels.'),
(20, 'one_touch_resolved_count', 'events', 'conversation_resolved', 'distinct_conversations', true, true, false, false,
 'Of the unique_resolved_count conversations, those that have, over their whole life, exactly one outgoing non-private message sent by a User (an agent; bots excluded).');
INSERT INTO reports_internal.metric (position, name, kind, numerator, denominator, in_summary, in_heatmap, description) VALUES
(17, 'reopen_rate', 'ratio', 'reopened_count', 'resolutions_count', true, false,
 'reopened_count / resolutions_count * 100 over the range (NULL without resolutions; above 100 when conversations resolved earlier reopen).'),
(18, 'one_touch_resolution_rate', 'ratio', 'one_touch_resolved_count', 'unique_resolved_count', true, false,
 'Of the existing conversations with a conversation_resolved event in the range, the percentage that have, over their whole life, exactly one outgoing non-private message sent by a User (an agent; bots excluded); NULL without such conversations.');

-- Cohorts: the averages of the events, of any date, of the conversations created in the range.
INSERT INTO reports_internal.metric (position, name, source, event_name, kind, subtract_waits, by_creation, in_summary,
                                     in_heatmap, description) VALUES
(21, 'cohort_avg_first_response_time', 'events', 'first_response', 'average', false, true, false, false,
 'Mean first response seconds over the first_response events, of any date, of the conversations created in the range (by the conversation''s current assignee, inbox, team and labels); business hours: the working seconds.'),
(22, 'cohort_avg_resolution_time', 'events', 'conversation_resolved', 'average', true, true, false, false,
 'Mean resolution seconds, less the recorded pending/snoozed time, over the conversation_resolved events, of any date, of the conversations created in the range (by the conversation''s current assignee, inbox, team and labels).'),
(23, 'cohort_reply_time', 'events', 'reply_time', 'average', false, true, false, false,
 'Mean reply seconds over the reply_time events, of any date, of the conversations created in the range (by the conversation''s current assignee, inbox, team and labels).');

INSERT INTO reports_internal.metric (position, name, source, event_name, message_type, kind, subtract_waits, in_summary, in_heatmap,
                                     quantile_of, quantile, description)
SELECT x.position, x.name, a.source, a.event_name, a.message_type, 'quantile', a.subtract_waits, false, false,
       a.name, x.quantile, x.description
FROM (VALUES
(24, 'cohort_median_first_response_time', 'cohort_avg_first_response_time', 0.5,
 'Median of the cohort_avg_first_response_time values (within 1%).'),
(25, 'cohort_p90_first_response_time', 'cohort_avg_first_response_time', 0.9,
 '90th percentile of the cohort_avg_first_response_time values (within 1%).'),
(26, 'cohort_median_resolution_time', 'cohort_avg_resolution_time', 0.5,
 'Median of the cohort_avg_resolution_time values (within 1%).'),
(27, 'cohort_p90_resolution_time', 'cohort_avg_resolution_time', 0.9,
 '90th percentile of the cohort_avg_resolution_time values (within 1%).'),
(28, 'cohort_median_reply_time', 'cohort_reply_time', 0.5,
 'Median of the cohort_reply_time values (within 1%).'),
(29, 'cohort_p90_reply_time', 'cohort_reply_time', 0.9,
 '90th percentile of the cohort_reply_time values (within 1%).')
) x(position, name, of_metric, quantile, description)
JOIN reports_internal.metric a ON a.name = x.of_metric;

-- An exclusion names another row of this table, so it is set once both rows exist.
UPDATE reports_internal.metric SET excluded_by = 'bot_handoffs_count' WHERE name = 'bot_resolutions_count';

-- The registry as users and reports-server read it.
CREATE VIEW reports.metrics AS
SELECT m.name, m.position, m.kind, m.source, m.event_name, m.message_type, m.subtract_waits, m.in_summary, m.in_heatmap,
       m.description, m.quantile_of, m.quantile, m.excluded_by, m.by_conversation, m.one_touch, m.numerator,
       m.denominator, m.by_creation
FROM reports_internal.metric m
ORDER BY m.position;
COMMENT ON VIEW reports.metrics IS
'Every metric the reports compute: name, kind (count, average, distinct_conversations, quantile, ratio), source rows, and a one-sentence definition; a quantile metric names the average it is a quantile of, a ratio its numerator and denominator.';

-- The metrics a timeseries (and a drilldown) can show: all of them.
CREATE FUNCTION reports_internal.series_metrics()
RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT m.name FROM reports_internal.metric m ORDER BY m.position)
$$;

-- The metrics a drilldown lists the rows of: those counted or averaged over rows of their own
-- created in the bucket (not a ratio, not the reopens and resolutions sliced by their
-- conversation, not the cohorts and their quantiles, whose events may come from any date).
CREATE FUNCTION reports_internal.drilldown_metrics()
RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT m.name FROM reports_internal.metric m
                 LEFT JOIN reports_internal.metric a ON a.name = m.quantile_of
                 WHERE m.kind <> 'ratio' AND NOT m.by_conversation AND NOT m.by_creation
                   AND NOT coalesce(a.by_creation, false)
                 ORDER BY m.position)
$$;

-- Raises "invalid metric" unless the metric is registered (and, if given, one of allowed).
CREATE FUNCTION reports_internal.check_metric(metric text, allowed text[] DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM reports_internal.metric m WHERE m.name = check_metric.metric)
       OR (allowed IS NOT NULL AND NOT metric = ANY (allowed)) THEN
        RAISE EXCEPTION 'invalid metric "%"', metric USING ERRCODE = '22023',
            HINT = 'Valid metrics are ' || array_to_string(coalesce(allowed,
                       ARRAY(SELECT m.name FROM reports_internal.metric m ORDER BY m.position)), ', ') || '.';
    END IF;
END
$$;

-- Seconds as exact integer microseconds: sums of these are exact (sum(bigint) is numeric), so an
-- average is the same to the last bit whatever order, or rollup path, its parts come in.
CREATE FUNCTION reports_internal.to_us(seconds float8)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT round(seconds * 1000000)::bigint $$;

-- The mean in seconds of values summed as microseconds (NULL when there are none).
CREATE FUNCTION reports_internal.mean_seconds(sum_us numeric, n bigint)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- the dividend's 21 decimals make the quotient carry at least as many, ample for a float8
    SELECT CASE WHEN n > 0 THEN ((sum_us * 1.000000000000000000000) / (n * 1000000::numeric))::float8 END
$$;

-- The event names of the cohort metrics (by_creation), whose rows sit at their conversation's creation.
CREATE FUNCTION reports_internal.cohort_events()
RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT DISTINCT m.event_name FROM reports_internal.metric m WHERE m.by_creation)
$$;

-- The metrics whose parts hold some metrics' rows: their own, the average a quantile reads, the
-- numerator and denominator of a ratio.
CREATE FUNCTION reports_internal.parts_metrics(metrics text[])
RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT DISTINCT x
                 FROM reports_internal.metric m
                 CROSS JOIN LATERAL unnest(CASE m.kind WHEN 'quantile' THEN ARRAY[m.quantile_of]
                                                       WHEN 'ratio' THEN ARRAY[m.numerator, m.denominator]
                                                       ELSE ARRAY[m.name] END) x
                 WHERE m.name = ANY (parts_metrics.metrics))
$$;
