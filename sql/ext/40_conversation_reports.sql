-------------------------------------------------------------------------------------------------
-- Conversation reports: timeseries, summary, heatmap, distributions.
-- plpgsql reports run with force_custom_plan so that each call is planned with its actual scope
-- and metric (the CASE branches fold away and the account/name/created_at indexes are used).
-------------------------------------------------------------------------------------------------

-- The dimension and key a scope reads: the account; an agent of the account (another id matches
-- nothing); an inbox or team (their rows are the account's only); a label of the account, as the
-- lower-case tag name its conversations carry (dim 'L': tags of any context; see reports_internal.parts).
CREATE FUNCTION reports_internal.scope_key(account_id int, scope text, scope_id int, OUT dim "char", OUT key text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE scope WHEN 'account' THEN 'a' WHEN 'agent' THEN 'g' WHEN 'inbox' THEN 'i' WHEN 'team' THEN 't'
                      ELSE 'L' END::"char",
           CASE scope
               WHEN 'account' THEN ''
               WHEN 'agent' THEN CASE WHEN reports_internal.is_account_user(scope_key.account_id, scope_id)
                                      THEN scope_id::text ELSE '#none' END
               WHEN 'label' THEN coalesce((SELECT lower(l.title) FROM public.labels l
                                           WHERE l.id = scope_id AND l.account_id = scope_key.account_id), '#none')
               ELSE scope_id::text END
$$;

CREATE FUNCTION reports.timeseries(account_id int, metric text, since timestamptz, until timestamptz,
                                   group_by text DEFAULT 'day', tz text DEFAULT 'UTC',
                                   scope text DEFAULT 'account', scope_id int DEFAULT NULL,
                                   business_hours bool DEFAULT false)
RETURNS TABLE (bucket timestamptz, value float8, count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_metric text := timeseries.metric;
    v_period text := lower(timeseries.group_by);
    v_bh bool := coalesce(timeseries.business_hours, false);
    v_slots reports.series_bucket[];
    v_scope record;
BEGIN
    IF timeseries.account_id IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports_internal.check_metric(v_metric, reports_internal.series_metrics());
    PERFORM reports_internal.check_range(timeseries.since, timeseries.until);
    PERFORM reports_internal.check_scope(timeseries.scope, timeseries.scope_id);
    PERFORM reports_internal.check_group_by(timeseries.group_by);
    IF timeseries.tz IS NULL THEN RAISE EXCEPTION 'invalid tz: must not be NULL' USING ERRCODE = '22004'; END IF;
    -- The zero-filled buckets; validates tz (and the bucket limit) before any table is read.
    SELECT reports.series_agg(NULL::timestamptz, NULL::float8, v_period, timeseries.tz, timeseries.since,
                              timeseries.until) INTO v_slots;
    v_scope := reports_internal.scope_key(timeseries.account_id, timeseries.scope, timeseries.scope_id);
    RETURN QUERY
    SELECT s.bucket, CASE WHEN v.grp IS NULL THEN 0::float8 ELSE coalesce(v.value, 0) END, coalesce(v.n, 0)
    FROM unnest(v_slots) s
    LEFT JOIN reports_internal.metric_values(timeseries.account_id, timeseries.since AT TIME ZONE 'UTC',
                                             timeseries.until AT TIME ZONE 'UTC', v_scope.dim, v_scope.key,
                                             ARRAY[v_metric], v_bh, v_period, timeseries.tz) v
           ON v.grp = s.bucket AT TIME ZONE 'UTC'
    ORDER BY s.bucket;
END
$$;
COMMENT ON FUNCTION reports.timeseries(int, text, timestamptz, timestamptz, text, text, text, int, bool) IS
'Dense, zero-filled series of one metric: buckets from the one containing since while the bucket start is before until. value = count for count metrics, the average or quantile (0 when empty) for averages and quantiles; count = rows in the bucket.';

-- The summary's metrics of one period as one row of (metric -> value), read by name; a metric
-- without rows is 0 (counts) or NULL (averages, quantiles, rates).
CREATE FUNCTION reports_internal.summary_values(account_id int, since timestamp, until timestamp, dim "char",
                                                key text, business_hours bool)
RETURNS TABLE (metric text, value float8)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT m.name, CASE WHEN v.metric IS NOT NULL THEN v.value
                        WHEN m.kind IN ('count', 'distinct_conversations') THEN 0 END
    FROM reports_internal.metric m
    LEFT JOIN reports_internal.metric_values(summary_values.account_id, summary_values.since, summary_values.until,
                                             summary_values.dim, summary_values.key,
                                             ARRAY(SELECT x.name FROM reports_internal.metric x WHERE x.in_summary),
                                             summary_values.business_hours) v ON v.metric = m.name
    WHERE m.in_summary AND summary_values.since < summary_values.until
$$;

CREATE FUNCTION reports.summary(account_id int, since timestamptz, until timestamptz,
                                scope text DEFAULT 'account', scope_id int DEFAULT NULL,
                                business_hours bool DEFAULT false)
RETURNS TABLE (conversations_count bigint, incoming_messages_count bigint, outgoing_messages_count bigint,
               avg_first_response_time float8, avg_resolution_time float8, resolutions_count bigint,
               reply_time float8, bot_resolutions_count bigint, bot_handoffs_count bigint,
               previous_conversations_count bigint, previous_incoming_messages_count bigint,
               previous_outgoing_messages_count bigint, previous_avg_first_response_time float8,
               previous_avg_resolution_time float8, previous_resolutions_count bigint,
               previous_reply_time float8, previous_bot_resolutions_count bigint,
               previous_bot_handoffs_count bigint,
               median_first_response_time float8, p90_first_response_time float8, median_resolution_time float8,
               p90_resolution_time float8, median_reply_time float8, p90_reply_time float8,
               reopened_count bigint, reopen_rate float8, one_touch_resolution_rate float8,
               previous_median_first_response_time float8, previous_p90_first_response_time float8,
               previous_median_resolution_time float8, previous_p90_resolution_time float8,
               previous_median_reply_time float8, previous_p90_reply_time float8,
               previous_reopened_count bigint, previous_reopen_rate float8, previous_one_touch_resolution_rate float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_bh bool := coalesce(summary.business_hours, false);
    v_cut timestamp;   -- the boundary between the previous and the current period, in UTC
    v_prev timestamp;  -- the previous period's start
    v_scope record;
BEGIN
    IF summary.account_id IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports_internal.check_range(summary.since, summary.until);
    PERFORM reports_internal.check_scope(summary.scope, summary.scope_id);
    v_cut := summary.since AT TIME ZONE 'UTC';
    -- The previous period has the same length; before the first representable instant it starts there.
    BEGIN
        v_prev := v_cut - (summary.until - summary.since);
    EXCEPTION WHEN datetime_field_overflow OR interval_field_overflow THEN
        v_prev := '4714-11-24 00:00:00 BC';
    END;
    IF v_prev < '4714-11-24 00:00:00 BC' THEN v_prev := '4714-11-24 00:00:00 BC'; END IF;
    v_scope := reports_internal.scope_key(summary.account_id, summary.scope, summary.scope_id);
    RETURN QUERY
    WITH cur AS (
        SELECT * FROM reports_internal.summary_values(summary.account_id, v_cut, summary.until AT TIME ZONE 'UTC',
                                                      v_scope.dim, v_scope.key, v_bh)
    ), prev AS (
        SELECT * FROM reports_internal.summary_values(summary.account_id, v_prev, v_cut, v_scope.dim, v_scope.key, v_bh)
    )
    SELECT (SELECT c.value FROM cur c WHERE c.metric = 'conversations_count')::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'incoming_messages_count')::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'outgoing_messages_count')::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'avg_first_response_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'avg_resolution_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'resolutions_count')::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'reply_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'bot_resolutions_count')::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'bot_handoffs_count')::bigint,
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'conversations_count'), 0)::bigint,
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'incoming_messages_count'), 0)::bigint,
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'outgoing_messages_count'), 0)::bigint,
           (SELECT c.value FROM prev c WHERE c.metric = 'avg_first_response_time'),
           (SELECT c.value FROM prev c WHERE c.metric = 'avg_resolution_time'),
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'resolutions_count'), 0)::bigint,
           (SELECT c.value FROM prev c WHERE c.metric = 'reply_time'),
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'bot_resolutions_count'), 0)::bigint,
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'bot_handoffs_count'), 0)::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'median_first_response_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'p90_first_response_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'median_resolution_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'p90_resolution_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'median_reply_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'p90_reply_time'),
           (SELECT c.value FROM cur c WHERE c.metric = 'reopened_count')::bigint,
           (SELECT c.value FROM cur c WHERE c.metric = 'reopen_rate'),
           (SELECT c.value FROM cur c WHERE c.metric = 'one_touch_resolution_rate'),
           (SELECT c.value FROM prev c WHERE c.metric = 'median_first_response_time'),
           (SELECT c.value FROM prev c WHERE c.metric = 'p90_first_response_time'),
           (SELECT c.value FROM prev c WHERE c.metric = 'median_resolution_time'),
           (SELECT c.value FROM prev c WHERE c.metric = 'p90_resolution_time'),
           (SELECT c.value FROM prev c WHERE c.metric = 'median_reply_time'),
           (SELECT c.value FROM prev c WHERE c.metric = 'p90_reply_time'),
           coalesce((SELECT c.value FROM prev c WHERE c.metric = 'reopened_count'), 0)::bigint,
           (SELECT c.value FROM prev c WHERE c.metric = 'reopen_rate'),
           (SELECT c.value FROM prev c WHERE c.metric = 'one_touch_resolution_rate');
END
$$;
COMMENT ON FUNCTION reports.summary(int, timestamptz, timestamptz, text, int, bool) IS
'The 18 conversation metrics over [since, until) and over the previous period of the same length, for the account or one agent, inbox, team or label (the 9 of Chatwoot first, then medians, p90s, reopens and one-touch resolutions). Whole hours come from the rollup, the rest from the raw rows; averages, quantiles and rates are NULL when there are no values.';

CREATE FUNCTION reports.heatmap(account_id int, since timestamptz, until timestamptz, tz text DEFAULT 'UTC',
                                metric text DEFAULT 'conversations_count')
RETURNS TABLE (day text, dow int, hour int, count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_cells int8[];
BEGIN
    IF heatmap.account_id IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports_internal.check_metric(heatmap.metric,
        ARRAY(SELECT m.name FROM reports_internal.metric m WHERE m.in_heatmap ORDER BY m.position));
    PERFORM reports_internal.check_range(heatmap.since, heatmap.until);
    SELECT reports.heatmap_agg(NULL::timestamptz, heatmap.tz) INTO v_cells;  -- validates tz
    -- Local hour buckets, each counted in its weekday and hour cell (both readings of a repeated
    -- hour land in the same cell).
    RETURN QUERY
    WITH cells AS (
        SELECT extract(dow FROM l.local)::int AS dow, extract(hour FROM l.local)::int AS hour, sum(p.n)::bigint AS n
        FROM reports_internal.parts(heatmap.account_id, heatmap.since AT TIME ZONE 'UTC', heatmap.until AT TIME ZONE 'UTC',
                                    'a', '', ARRAY[heatmap.metric], 'hour', heatmap.tz) p
        CROSS JOIN LATERAL (SELECT (p.grp AT TIME ZONE 'UTC') AT TIME ZONE heatmap.tz AS local) l
        GROUP BY 1, 2
    )
    SELECT (ARRAY['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'])[d + 1],
           d, h, coalesce(c.n, 0)
    FROM generate_series(0, 6) d CROSS JOIN generate_series(0, 23) h
    LEFT JOIN cells c ON c.dow = d AND c.hour = h
    ORDER BY d, h;
END
$$;
COMMENT ON FUNCTION reports.heatmap(int, timestamptz, timestamptz, text, text) IS
'Traffic heatmap: 168 rows (Sunday 0 .. Saturday 6, hour 0..23 in zone tz) with the count of the metric.';

-- Labels for histogram buckets: "0-5min" ... "1hr+" (minutes up to an hour, then hours, else seconds).
CREATE FUNCTION reports_internal.duration_bucket_labels(edges float8[])
RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_agg(label ORDER BY i)
    FROM (
        SELECT i,
               CASE WHEN i > n THEN
                        CASE WHEN lo::numeric % 3600 = 0 AND lo > 0 THEN (lo / 3600)::text || 'hr+'
                             WHEN lo::numeric % 60 = 0 THEN (lo / 60)::text || 'min+'
                             ELSE lo::text || 's+' END
                    WHEN hi <= 3600 AND lo::numeric % 60 = 0 AND hi::numeric % 60 = 0 THEN (lo / 60)::text || '-' || (hi / 60)::text || 'min'
                    WHEN lo::numeric % 3600 = 0 AND hi::numeric % 3600 = 0 THEN (lo / 3600)::text || '-' || (hi / 3600)::text || 'hr'
                    ELSE lo::text || '-' || hi::text || 's'
               END AS label
        FROM (SELECT i, cardinality(edges) AS n,
                     CASE WHEN i = 1 THEN least(0, edges[1]) ELSE edges[i - 1] END AS lo,
                     edges[i] AS hi
              FROM generate_series(1, cardinality(edges) + 1) i) b
    ) l
$$;

CREATE FUNCTION reports.first_response_time_distribution(account_id int, since timestamptz, until timestamptz,
                                                         edges float8[] DEFAULT '{300,900,1800,3600}')
RETURNS TABLE (bucket text, count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    v_counts int8[];
BEGIN
    IF first_response_time_distribution.account_id IS NULL THEN
        RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004';
    END IF;
    PERFORM reports_internal.check_range(first_response_time_distribution.since, first_response_time_distribution.until, false);
    IF edges IS NULL THEN RAISE EXCEPTION 'invalid edges: must not be NULL' USING ERRCODE = '22004'; END IF;
    SELECT reports.histogram_agg(NULL::float8, edges) INTO v_counts;  -- validates the edges
    SELECT reports.histogram_agg(e.value, edges) INTO v_counts
    FROM public.reporting_events e
    WHERE e.account_id = first_response_time_distribution.account_id AND e.name = 'first_response'
      AND (first_response_time_distribution.since IS NULL OR e.created_at >= first_response_time_distribution.since AT TIME ZONE 'UTC')
      AND (first_response_time_distribution.until IS NULL OR e.created_at < first_response_time_distribution.until AT TIME ZONE 'UTC');
    RETURN QUERY
    SELECT l.label, coalesce(v_counts[l.i], 0)
    FROM unnest(reports_internal.duration_bucket_labels(edges)) WITH ORDINALITY AS l(label, i)
    ORDER BY l.i;
END
$$;
COMMENT ON FUNCTION reports.first_response_time_distribution(int, timestamptz, timestamptz, float8[]) IS
'First-response times (seconds, wall clock) counted per bucket [edges[i-1], edges[i]); default buckets 0-5min, 5-15min, 15-30min, 30-60min, 1hr+. NULL since/until: no date filter.';

CREATE FUNCTION reports.first_response_time_distribution_by_channel(account_id int, since timestamptz DEFAULT NULL,
                                                                    until timestamptz DEFAULT NULL)
RETURNS TABLE (channel_type text, bucket text, count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    IF first_response_time_distribution_by_channel.account_id IS NULL THEN
        RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004';
    END IF;
    PERFORM reports_internal.check_range(first_response_time_distribution_by_channel.since,
                                first_response_time_distribution_by_channel.until, false);
    RETURN QUERY
    SELECT h.channel_type::text, l.label, h.counts[l.i]
    FROM (SELECT i.channel_type, reports.histogram_agg(e.value, '{3600,14400,28800,86400}') AS counts
          FROM public.reporting_events e
          JOIN public.inboxes i ON i.id = e.inbox_id AND i.account_id = first_response_time_distribution_by_channel.account_id
          WHERE e.account_id = first_response_time_distribution_by_channel.account_id AND e.name = 'first_response'
            AND (first_response_time_distribution_by_channel.since IS NULL
                 OR e.created_at >= first_response_time_distribution_by_channel.since AT TIME ZONE 'UTC')
            AND (first_response_time_distribution_by_channel.until IS NULL
                 OR e.created_at < first_response_time_distribution_by_channel.until AT TIME ZONE 'UTC')
          GROUP BY i.channel_type) h
    CROSS JOIN unnest(ARRAY['0-1h', '1-4h', '4-8h', '8-24h', '24h+']) WITH ORDINALITY AS l(label, i)
    ORDER BY h.channel_type, l.i;
END
$$;
COMMENT ON FUNCTION reports.first_response_time_distribution_by_channel(int, timestamptz, timestamptz) IS
'Chatwoot''s /reports/first_response_time_distribution: first-response counts per channel type in buckets 0-1h, 1-4h, 4-8h, 8-24h, 24h+.';

-- Backlog: how many of the scope's conversations were open, pending and snoozed at the end of each
-- bucket (at `until` for the last one), from the recorded status history. One pass: every
-- conversation's life is cut into (state, from, to) segments, each segment becomes +1 at its start
-- and -1 at its end, the changes before `since` are summed into the starting counts, series_agg
-- sums the rest per bucket, and a running sum over the buckets gives the counts. Its cost is the
-- history's size, not buckets x conversations.
-- History that starts after a conversation was created (the extension installed later, or the
-- trigger off for a while): the conversation was in its first recorded change's previous_status
-- from its created_at to that change; with no recorded change at all, in its current status since
-- created_at. Consecutive recorded rows are trusted over previous_status, so a missed change never
-- counts a conversation twice. Deleted conversations are not counted; scopes are the
-- conversation's current assignee, inbox, team and labels, as for conversations_count.
CREATE FUNCTION reports.backlog(account_id int, since timestamptz, until timestamptz,
                                group_by text DEFAULT 'day', tz text DEFAULT 'UTC',
                                scope text DEFAULT 'account', scope_id int DEFAULT NULL)
RETURNS TABLE (bucket timestamptz, open bigint, pending bigint, snoozed bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_period text := lower(backlog.group_by);
    v_slots reports.series_bucket[];
    v_scope record;
    v_since timestamp;
    v_until timestamp;
    v_start int8[];  -- open, pending, snoozed before since
    v_open reports.series_bucket[];
    v_pending reports.series_bucket[];
    v_snoozed reports.series_bucket[];
BEGIN
    IF backlog.account_id IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports_internal.check_range(backlog.since, backlog.until);
    PERFORM reports_internal.check_scope(backlog.scope, backlog.scope_id);
    PERFORM reports_internal.check_group_by(backlog.group_by);
    IF backlog.tz IS NULL THEN RAISE EXCEPTION 'invalid tz: must not be NULL' USING ERRCODE = '22004'; END IF;
    -- The zero-filled buckets, exactly timeseries'; validates tz and the bucket limit first.
    SELECT reports.series_agg(NULL::timestamptz, NULL::float8, v_period, backlog.tz, backlog.since, backlog.until)
    INTO v_slots;
    v_scope := reports_internal.scope_key(backlog.account_id, backlog.scope, backlog.scope_id);
    v_since := backlog.since AT TIME ZONE 'UTC';
    v_until := backlog.until AT TIME ZONE 'UTC';
    WITH conv AS (
        SELECT c.id, c.created_at, c.status
        FROM public.conversations c
        WHERE c.account_id = backlog.account_id AND c.created_at < v_until
          AND CASE v_scope.dim WHEN 'a' THEN true
                               WHEN 'g' THEN c.assignee_id::text = v_scope.key
                               WHEN 'i' THEN c.inbox_id::text = v_scope.key
                               WHEN 't' THEN c.team_id::text = v_scope.key
                               ELSE c.id IN (SELECT l.conversation_id FROM reports_internal.labelled_conversations(v_scope.key) l) END
    ), changes AS (  -- one row per recorded change, or one row with NULLs for a conversation without any
        SELECT c.created_at, c.status AS current_status, h.status, h.previous_status, h.changed_at,
               lead(h.changed_at) OVER w AS next_at, row_number() OVER w AS nth
        FROM conv c
        LEFT JOIN reports.conversation_status_changes h
               ON h.conversation_id = c.id AND h.account_id = backlog.account_id  -- later rows too: see "previous_status"
        WINDOW w AS (PARTITION BY c.id ORDER BY h.changed_at, h.id)
    ), deltas AS (
        SELECT g.state, d.at, d.delta
        FROM changes s
        CROSS JOIN LATERAL (VALUES
            (s.status, s.changed_at, s.next_at),                                        -- recorded
            (CASE WHEN s.nth = 1 THEN s.previous_status END, s.created_at, s.changed_at), -- before the history
            (CASE WHEN s.changed_at IS NULL THEN s.current_status END, s.created_at, NULL::timestamp)  -- no history
        ) g(state, from_at, to_at)
        CROSS JOIN LATERAL (VALUES (g.from_at, 1), (g.to_at, -1)) d(at, delta)
        WHERE g.state IN (0, 2, 3) AND (g.to_at IS NULL OR g.from_at < g.to_at) AND d.at < v_until
    )
    SELECT ARRAY[coalesce(sum(d.delta) FILTER (WHERE d.state = 0 AND d.at < v_since), 0),
                 coalesce(sum(d.delta) FILTER (WHERE d.state = 2 AND d.at < v_since), 0),
                 coalesce(sum(d.delta) FILTER (WHERE d.state = 3 AND d.at < v_since), 0)],
           -- series_agg ignores the rows outside [since, until)
           reports.series_agg(d.at, d.delta::float8, v_period, backlog.tz, backlog.since, backlog.until) FILTER (WHERE d.state = 0),
           reports.series_agg(d.at, d.delta::float8, v_period, backlog.tz, backlog.since, backlog.until) FILTER (WHERE d.state = 2),
           reports.series_agg(d.at, d.delta::float8, v_period, backlog.tz, backlog.since, backlog.until) FILTER (WHERE d.state = 3)
    INTO v_start, v_open, v_pending, v_snoozed
    FROM deltas d;
    RETURN QUERY
    SELECT x.bucket,
           v_start[1] + (sum(coalesce(x.open_change, 0)) OVER w)::bigint,
           v_start[2] + (sum(coalesce(x.pending_change, 0)) OVER w)::bigint,
           v_start[3] + (sum(coalesce(x.snoozed_change, 0)) OVER w)::bigint
    -- a state without any change has a NULL series: its changes are 0
    FROM ROWS FROM (unnest(v_slots), unnest(v_open), unnest(v_pending), unnest(v_snoozed)) WITH ORDINALITY
         AS x(bucket, n, total, o_bucket, o_n, open_change, p_bucket, p_n, pending_change,
              z_bucket, z_n, snoozed_change, i)
    WINDOW w AS (ORDER BY x.i)
    ORDER BY x.i;
END
$$;
COMMENT ON FUNCTION reports.backlog(int, timestamptz, timestamptz, text, text, text, int) IS
'Conversations open, pending and snoozed at the end of each bucket (the last one at until), from the recorded status history; buckets as reports.timeseries.';
