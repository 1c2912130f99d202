-------------------------------------------------------------------------------------------------
-- Conversation reports: timeseries, summary, heatmap, distributions.
-- plpgsql reports run with force_custom_plan so that each call is planned with its actual scope
-- and metric (the CASE branches fold away and the account/name/created_at indexes are used).
-------------------------------------------------------------------------------------------------

CREATE FUNCTION reports.metric_kind(metric text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN CASE metric
        WHEN 'conversations_count' THEN 'count'
        WHEN 'incoming_messages_count' THEN 'count'
        WHEN 'outgoing_messages_count' THEN 'count'
        WHEN 'resolutions_count' THEN 'count'
        WHEN 'bot_resolutions_count' THEN 'count'
        WHEN 'bot_handoffs_count' THEN 'count'
        WHEN 'avg_first_response_time' THEN 'avg'
        WHEN 'avg_resolution_time' THEN 'avg'
        WHEN 'reply_time' THEN 'avg'
    END;
END
$$;

-- The reporting_events name behind an event metric.
CREATE FUNCTION reports.metric_event(metric text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE metric
        WHEN 'resolutions_count' THEN 'conversation_resolved'
        WHEN 'avg_resolution_time' THEN 'conversation_resolved'
        WHEN 'bot_resolutions_count' THEN 'conversation_bot_resolved'
        WHEN 'bot_handoffs_count' THEN 'conversation_bot_handoff'
        WHEN 'avg_first_response_time' THEN 'first_response'
        WHEN 'reply_time' THEN 'reply_time'
    END
$$;

CREATE FUNCTION reports.check_metric(metric text, allowed text[] DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF reports.metric_kind(metric) IS NULL OR (allowed IS NOT NULL AND NOT metric = ANY (allowed)) THEN
        RAISE EXCEPTION 'invalid metric "%"', metric USING ERRCODE = '22023',
            HINT = 'Valid metrics are ' || array_to_string(coalesce(allowed, ARRAY['conversations_count',
                'incoming_messages_count', 'outgoing_messages_count', 'resolutions_count', 'bot_resolutions_count',
                'bot_handoffs_count', 'avg_first_response_time', 'avg_resolution_time', 'reply_time']), ', ') || '.';
    END IF;
END
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
    v_account int := timeseries.account_id;
    v_metric text := timeseries.metric;
    v_since timestamptz := timeseries.since;
    v_until timestamptz := timeseries.until;
    v_period text := timeseries.group_by;
    v_tz text := timeseries.tz;
    v_scope text := timeseries.scope;
    v_scope_id int := timeseries.scope_id;
    v_bh bool := coalesce(timeseries.business_hours, false);
    v_event text := reports.metric_event(timeseries.metric);
    v_series reports.series_bucket[];
    v_counts reports.series_bucket[];
BEGIN
    IF v_account IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports.check_metric(v_metric);
    PERFORM reports.check_range(v_since, v_until);
    PERFORM reports.check_scope(v_scope, v_scope_id);
    PERFORM reports.check_group_by(v_period);
    IF v_tz IS NULL THEN RAISE EXCEPTION 'invalid tz: must not be NULL' USING ERRCODE = '22004'; END IF;
    -- Validates tz (and the bucket limit) before any table is read.
    SELECT reports.series_agg(NULL::timestamptz, NULL::float8, v_period, v_tz, v_since, v_until) INTO v_series;

    IF v_metric = 'conversations_count' THEN
        SELECT reports.series_agg(c.created_at, 1::float8, v_period, v_tz, v_since, v_until) INTO v_series
        FROM reports.scoped_conversations(v_account, v_since, v_until, v_scope, v_scope_id) c;
    ELSIF v_metric IN ('incoming_messages_count', 'outgoing_messages_count') THEN
        SELECT reports.series_agg(m.created_at, 1::float8, v_period, v_tz, v_since, v_until) INTO v_series
        FROM reports.scoped_messages(v_account, v_since, v_until, v_scope, v_scope_id) m
        WHERE m.message_type = CASE v_metric WHEN 'incoming_messages_count' THEN 0 ELSE 1 END;
    ELSIF v_metric = 'bot_handoffs_count' THEN
        -- Conversations, not events: a conversation counts once per bucket, and only while it exists.
        SELECT reports.series_agg(d.created_at, 1::float8, v_period, v_tz, v_since, v_until) INTO v_series
        FROM (SELECT DISTINCT ON (e.conversation_id, reports.bucket_start(e.created_at AT TIME ZONE 'UTC', v_period, v_tz))
                     e.created_at
              FROM reports.scoped_events(v_account, v_since, v_until, v_scope, v_scope_id, v_bh) e
              JOIN public.conversations c ON c.id = e.conversation_id
              WHERE e.name = v_event) d;
    ELSIF reports.metric_kind(v_metric) = 'count' THEN
        SELECT reports.series_agg(e.created_at, 1::float8, v_period, v_tz, v_since, v_until) INTO v_series
        FROM reports.scoped_events(v_account, v_since, v_until, v_scope, v_scope_id, v_bh) e
        WHERE e.name = v_event;
    ELSE
        -- Averages skip events without a value (an event Chatwoot stored without business hours),
        -- but the bucket's count is every event, as Chatwoot counts it: two series, one scan.
        SELECT reports.series_agg(e.created_at, e.val, v_period, v_tz, v_since, v_until),
               reports.series_agg(e.created_at, 1::float8, v_period, v_tz, v_since, v_until)
        INTO v_series, v_counts
        FROM reports.scoped_events(v_account, v_since, v_until, v_scope, v_scope_id, v_bh) e
        WHERE e.name = v_event;
        IF v_series IS NOT NULL THEN
            RETURN QUERY
            SELECT a.bucket, CASE WHEN coalesce(a.count, 0) = 0 THEN 0::float8 ELSE a.sum / a.count END, n.count
            FROM unnest(v_counts) n LEFT JOIN unnest(v_series) a ON a.bucket = n.bucket
            ORDER BY n.bucket;
            RETURN;
        END IF;
    END IF;
    IF v_series IS NULL THEN
        SELECT reports.series_agg(NULL::timestamptz, NULL::float8, v_period, v_tz, v_since, v_until) INTO v_series;
    END IF;

    RETURN QUERY
    SELECT p.bucket,
           CASE WHEN reports.metric_kind(v_metric) = 'count' THEN p.count::float8
                WHEN p.count = 0 THEN 0::float8
                ELSE p.sum / p.count END,
           p.count
    FROM unnest(v_series) p
    ORDER BY p.bucket;
END
$$;
COMMENT ON FUNCTION reports.timeseries(int, text, timestamptz, timestamptz, text, text, text, int, bool) IS
'Dense, zero-filled series of one metric: buckets from the one containing since while the bucket start is before until. value = count for count metrics, the average (0 when empty) for averages; count = events in the bucket.';

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
               previous_bot_handoffs_count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := summary.account_id;
    v_since timestamptz := summary.since;
    v_until timestamptz := summary.until;
    v_prev timestamptz;
    v_scope text := summary.scope;
    v_scope_id int := summary.scope_id;
    v_bh bool := coalesce(summary.business_hours, false);
    v_cut timestamp;  -- the boundary between the previous and the current period, in UTC
BEGIN
    IF v_account IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports.check_range(v_since, v_until);
    PERFORM reports.check_scope(v_scope, v_scope_id);
    v_prev := v_since - (v_until - v_since);
    v_cut := v_since AT TIME ZONE 'UTC';
    IF v_scope = 'account' THEN
        -- The account's summary comes from the hourly rollup where it can (35_rollup.sql).
        RETURN QUERY
        WITH cur AS (
            SELECT * FROM reports.summary_parts(v_account, v_cut, v_until AT TIME ZONE 'UTC', v_bh)
        ), prev AS (
            SELECT * FROM reports.summary_parts(v_account, v_prev AT TIME ZONE 'UTC', v_cut, v_bh)
        )
        SELECT cur.conversations, cur.incoming, cur.outgoing, cur.frt_sum / nullif(cur.frt_n, 0),
               cur.rt_sum / nullif(cur.rt_n, 0), cur.resolutions, cur.reply_sum / nullif(cur.reply_n, 0), cur.bot,
               cur.handoffs,
               prev.conversations, prev.incoming, prev.outgoing, prev.frt_sum / nullif(prev.frt_n, 0),
               prev.rt_sum / nullif(prev.rt_n, 0), prev.resolutions, prev.reply_sum / nullif(prev.reply_n, 0),
               prev.bot, prev.handoffs
        FROM cur, prev;
        RETURN;
    END IF;
    -- Other scopes: both periods come from one scan of each table over [previous since, until).
    RETURN QUERY
    WITH conv AS (
        SELECT count(*) FILTER (WHERE c.created_at >= v_cut) AS cur,
               count(*) FILTER (WHERE c.created_at < v_cut) AS prev
        FROM reports.scoped_conversations(v_account, v_prev, v_until, v_scope, v_scope_id) c
    ), msg AS (
        -- Four plain counts, each over its own (type, period) key range of Chatwoot's
        -- (account_id, created_at, message_type) index.
        SELECT (SELECT count(*) FROM reports.scoped_messages(v_account, v_since, v_until, v_scope, v_scope_id) m
                WHERE m.message_type = 0) AS in_cur,
               (SELECT count(*) FROM reports.scoped_messages(v_account, v_prev, v_since, v_scope, v_scope_id) m
                WHERE m.message_type = 0) AS in_prev,
               (SELECT count(*) FROM reports.scoped_messages(v_account, v_since, v_until, v_scope, v_scope_id) m
                WHERE m.message_type = 1) AS out_cur,
               (SELECT count(*) FROM reports.scoped_messages(v_account, v_prev, v_since, v_scope, v_scope_id) m
                WHERE m.message_type = 1) AS out_prev
    ), ev AS (
        SELECT avg(e.val) FILTER (WHERE e.name = 'first_response' AND e.created_at >= v_cut) AS frt_cur,
               avg(e.val) FILTER (WHERE e.name = 'first_response' AND e.created_at < v_cut) AS frt_prev,
               avg(e.val) FILTER (WHERE e.name = 'conversation_resolved' AND e.created_at >= v_cut) AS rt_cur,
               avg(e.val) FILTER (WHERE e.name = 'conversation_resolved' AND e.created_at < v_cut) AS rt_prev,
               count(*) FILTER (WHERE e.name = 'conversation_resolved' AND e.created_at >= v_cut) AS res_cur,
               count(*) FILTER (WHERE e.name = 'conversation_resolved' AND e.created_at < v_cut) AS res_prev,
               avg(e.val) FILTER (WHERE e.name = 'reply_time' AND e.created_at >= v_cut) AS reply_cur,
               avg(e.val) FILTER (WHERE e.name = 'reply_time' AND e.created_at < v_cut) AS reply_prev,
               count(*) FILTER (WHERE e.name = 'conversation_bot_resolved' AND e.created_at >= v_cut) AS bot_cur,
               count(*) FILTER (WHERE e.name = 'conversation_bot_resolved' AND e.created_at < v_cut) AS bot_prev,
               array_agg(DISTINCT e.conversation_id) FILTER (WHERE e.name = 'conversation_bot_handoff' AND e.created_at >= v_cut) AS hand_cur,
               array_agg(DISTINCT e.conversation_id) FILTER (WHERE e.name = 'conversation_bot_handoff' AND e.created_at < v_cut) AS hand_prev
        FROM reports.scoped_events(v_account, v_prev, v_until, v_scope, v_scope_id, v_bh) e
        WHERE e.name IN ('first_response', 'conversation_resolved', 'reply_time',
                         'conversation_bot_resolved', 'conversation_bot_handoff')
    )
    SELECT conv.cur, msg.in_cur, msg.out_cur, ev.frt_cur, ev.rt_cur, ev.res_cur, ev.reply_cur, ev.bot_cur,
           -- handoffs count conversations that still exist (Chatwoot joins conversations)
           (SELECT count(*) FROM public.conversations c WHERE c.id = ANY (ev.hand_cur)),
           conv.prev, msg.in_prev, msg.out_prev, ev.frt_prev, ev.rt_prev, ev.res_prev, ev.reply_prev, ev.bot_prev,
           (SELECT count(*) FROM public.conversations c WHERE c.id = ANY (ev.hand_prev))
    FROM conv, msg, ev;
END
$$;
COMMENT ON FUNCTION reports.summary(int, timestamptz, timestamptz, text, int, bool) IS
'The 9 conversation metrics over [since, until) and over the previous period of the same length. The account scope reads whole hours from reports.hourly_rollup and the rest from the raw rows; other scopes read one scan of reporting_events and conversations for both periods and index counts of messages. Averages are NULL when there are no events.';

-- Count metrics a heatmap can show.
CREATE FUNCTION reports.heatmap(account_id int, since timestamptz, until timestamptz, tz text DEFAULT 'UTC',
                                metric text DEFAULT 'conversations_count')
RETURNS TABLE (day text, dow int, hour int, count bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_account int := heatmap.account_id;
    v_since timestamptz := heatmap.since;
    v_until timestamptz := heatmap.until;
    v_tz text := heatmap.tz;
    v_metric text := heatmap.metric;
    v_cells int8[];
BEGIN
    IF v_account IS NULL THEN RAISE EXCEPTION 'invalid account_id: must not be NULL' USING ERRCODE = '22004'; END IF;
    PERFORM reports.check_metric(v_metric, ARRAY['conversations_count', 'incoming_messages_count',
        'outgoing_messages_count', 'resolutions_count', 'bot_resolutions_count']);
    PERFORM reports.check_range(v_since, v_until);
    SELECT reports.heatmap_agg(NULL::timestamptz, v_tz) INTO v_cells;  -- validates tz
    IF v_metric = 'conversations_count' THEN
        SELECT reports.heatmap_agg(c.created_at, v_tz) INTO v_cells
        FROM reports.scoped_conversations(v_account, v_since, v_until, 'account', NULL) c;
    ELSIF v_metric IN ('incoming_messages_count', 'outgoing_messages_count') THEN
        SELECT reports.heatmap_agg(m.created_at, v_tz) INTO v_cells
        FROM reports.scoped_messages(v_account, v_since, v_until, 'account', NULL) m
        WHERE m.message_type = CASE v_metric WHEN 'incoming_messages_count' THEN 0 ELSE 1 END;
    ELSE
        SELECT reports.heatmap_agg(e.created_at, v_tz) INTO v_cells
        FROM public.reporting_events e
        WHERE e.account_id = v_account AND e.name = reports.metric_event(v_metric)
          AND e.created_at >= v_since AT TIME ZONE 'UTC' AND e.created_at < v_until AT TIME ZONE 'UTC';
    END IF;
    RETURN QUERY
    SELECT (ARRAY['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'])[(i - 1) / 24 + 1],
           ((i - 1) / 24)::int, ((i - 1) % 24)::int, v_cells[i]
    FROM generate_series(1, 168) i;
END
$$;
COMMENT ON FUNCTION reports.heatmap(int, timestamptz, timestamptz, text, text) IS
'Traffic heatmap: 168 rows (Sunday 0 .. Saturday 6, hour 0..23 in zone tz) with the count of the metric.';

-- Labels for histogram buckets: "0-5min" ... "1hr+" (minutes up to an hour, then hours, else seconds).
CREATE FUNCTION reports.duration_bucket_labels(edges float8[])
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
    PERFORM reports.check_range(first_response_time_distribution.since, first_response_time_distribution.until, false);
    IF edges IS NULL THEN RAISE EXCEPTION 'invalid edges: must not be NULL' USING ERRCODE = '22004'; END IF;
    SELECT reports.histogram_agg(NULL::float8, edges) INTO v_counts;  -- validates the edges
    SELECT reports.histogram_agg(e.value, edges) INTO v_counts
    FROM public.reporting_events e
    WHERE e.account_id = first_response_time_distribution.account_id AND e.name = 'first_response'
      AND (first_response_time_distribution.since IS NULL OR e.created_at >= first_response_time_distribution.since AT TIME ZONE 'UTC')
      AND (first_response_time_distribution.until IS NULL OR e.created_at < first_response_time_distribution.until AT TIME ZONE 'UTC');
    RETURN QUERY
    SELECT l.label, coalesce(v_counts[l.i], 0)
    FROM unnest(reports.duration_bucket_labels(edges)) WITH ORDINALITY AS l(label, i)
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
    PERFORM reports.check_range(first_response_time_distribution_by_channel.since,
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
