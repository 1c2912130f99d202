// Every SQL statement the server runs, prepared on each pooled connection. Parameters arrive as
// text and are cast here; timestamps leave as unix seconds (extract(epoch ...)) or as text
// formatted by Postgres, never as timestamps for C++ to format. Reports are computed by the
// reports.* functions; these statements only select and, for a few routes, join display columns.
#include "db_pool.hpp"

namespace support_reports::api {

namespace {

// Shared by the CSAT statements: filters $1..$7, as reports.csat_responses takes them.
#define CSAT_RESPONSES                                                                                        \
    "reports.csat_responses($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint), $4::int[], $5::int, " \
    "$6::int, $7::int[])"

// Shared by the SLA statements: filters $1..$8, as reports.sla_responses takes them; the rows
// Chatwoot lists and downloads are the missed ones.
#define SLA_MISSED                                                                                          \
    "SELECT r.id, r.sla_id, r.sla_status, extract(epoch FROM r.created_at)::bigint AS created_at, "          \
    "extract(epoch FROM r.updated_at)::bigint AS updated_at, r.sla_name, r.sla_description, "                \
    "r.first_response_time_threshold, r.next_response_time_threshold, r.only_during_business_hours, "        \
    "r.resolution_time_threshold, extract(epoch FROM r.frt_due_at)::bigint AS frt_due_at, "                   \
    "extract(epoch FROM r.nrt_due_at)::bigint AS nrt_due_at, extract(epoch FROM r.rt_due_at)::bigint AS rt_due_at, " \
    "r.conversation_display_id, r.contact_name, r.labels, r.assignee_id, r.assignee_name, "                   \
    "r.assignee_available_name, r.assignee_availability, r.team_name, r.inbox_name, "                         \
    "array_to_string(r.breached_events, ', ') AS breached_events, r.sla_events "                              \
    "FROM reports.sla_responses($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint), $4::int, $5::int[], " \
    "$6::int, $7::int, $8::text) WITH ORDINALITY AS r "                                                       \
    "WHERE r.sla_status IN ('missed', 'active_with_misses') ORDER BY r.ordinality"

// Whether the membership `au` has an enterprise custom role with the report_manage permission
// (Chatwoot's report policy lets those read reports as administrators do).
#define REPORT_MANAGE                                                                                     \
    "EXISTS (SELECT 1 FROM custom_roles cr WHERE cr.id = au.custom_role_id AND cr.account_id = a.id "    \
    "AND 'report_manage' = ANY (cr.permissions))"

const std::vector<Statement> kStatements = {
    {"health", "SELECT 1"},
    {"extension_version", "SELECT extversion FROM pg_extension WHERE extname = 'support_reports'"},

    // $1 token, $2 account id. One row per token; NULL columns tell what is missing.
    {"auth",
     "SELECT t.owner_type, u.id AS user_id, a.id AS account_id, a.status AS account_status, au.role, "
     REPORT_MANAGE " AS report_manage "
     "FROM access_tokens t "
     "LEFT JOIN users u ON t.owner_type = 'User' AND u.id = t.owner_id "
     "LEFT JOIN accounts a ON a.id = $2::int "
     "LEFT JOIN account_users au ON au.account_id = a.id AND au.user_id = u.id "
     "WHERE t.token = $1::text LIMIT 1"},

    // $1 uid, $2 client, $3 account id: the user devise_token_auth finds by uid, the decoded
    // users.tokens[client] entry (the column holds a JSON string that holds the JSON hash, as the
    // gem's coder writes it; a plain object is accepted too), and the membership.
    {"session_auth",
     "SELECT u.id AS user_id, t.e->>'token' AS token, t.e->>'expiry' AS expiry, "
     "t.e->>'previous_token' AS previous_token, t.e->>'last_token' AS last_token, "
     "CASE WHEN t.e->>'updated_at' IS NULL THEN false "
     "ELSE (t.e->>'updated_at')::timestamptz > now() - interval '5 seconds' END AS updated_recently, "
     "a.id AS account_id, a.status AS account_status, au.role, " REPORT_MANAGE " AS report_manage "
     "FROM users u "
     "CROSS JOIN LATERAL (SELECT (CASE json_typeof(u.tokens) WHEN 'string' THEN (u.tokens #>> '{}')::json "
     "ELSE u.tokens END) -> $2::text AS e) t "
     "LEFT JOIN accounts a ON a.id = $3::int "
     "LEFT JOIN account_users au ON au.account_id = a.id AND au.user_id = u.id "
     "WHERE u.uid = $1::text ORDER BY u.id LIMIT 1"},

    // Chatwoot's `account.<association>.find(id)`: is the id one of this account's?
    {"entity_exists",
     "SELECT CASE $2::text "
     "WHEN 'agent' THEN EXISTS (SELECT 1 FROM account_users WHERE account_id = $1::int AND user_id = $3::bigint) "
     "WHEN 'inbox' THEN EXISTS (SELECT 1 FROM inboxes WHERE account_id = $1::int AND id = $3::bigint) "
     "WHEN 'team' THEN EXISTS (SELECT 1 FROM teams WHERE account_id = $1::int AND id = $3::bigint) "
     "WHEN 'label' THEN EXISTS (SELECT 1 FROM labels WHERE account_id = $1::int AND id = $3::bigint) "
     "ELSE false END"},

    // Current UTC offsets (seconds) of a list of zones, for timezone_offset -> zone.
    {"zone_offsets",
     "SELECT z, extract(epoch FROM (now() AT TIME ZONE z) - (now() AT TIME ZONE 'UTC'))::int "
     "FROM unnest($1::text[]) AS z"},

    {"timeseries",
     // the metric's kind comes from the registry (reports.metrics), not from a list of our own
     "SELECT extract(epoch FROM t.bucket)::bigint AS timestamp, t.value, t.count, "
     "(SELECT m.kind FROM reports.metrics m WHERE m.name = $2::text) AS kind "
     "FROM reports.timeseries($1::int, $2::text, to_timestamp($3::bigint), to_timestamp($4::bigint), $5::text, "
     "$6::text, $7::text, $8::int, $9::bool) t"},

    {"backlog",
     "SELECT extract(epoch FROM b.bucket)::bigint AS timestamp, b.open, b.pending, b.snoozed "
     "FROM reports.backlog($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint), $4::text, $5::text, $6::text, "
     "$7::int) b"},

    {"summary",
     "SELECT * FROM reports.summary($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint), $4::text, $5::int, "
     "$6::bool)"},

    {"heatmap",
     "SELECT day, dow, hour, count "
     "FROM reports.heatmap($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint), $4::text, $5::text)"},

    {"response_time_distribution",
     "SELECT bucket, count FROM reports.first_response_time_distribution($1::int, to_timestamp($2::bigint), "
     "to_timestamp($3::bigint), coalesce($4::float8[], '{300,900,1800,3600}'))"},

    {"frt_by_channel",
     "SELECT channel_type, bucket, count FROM reports.first_response_time_distribution_by_channel($1::int, "
     "to_timestamp($2::bigint), to_timestamp($3::bigint))"},

    {"agent_report",
     "SELECT id, name, email, thumbnail, availability, conversations_count, resolved_conversations_count, "
     "avg_resolution_time, avg_first_response_time, avg_reply_time, incoming_messages_count, outgoing_messages_count, "
     "resolutions_count, "
     "median_first_response_time, p90_first_response_time, median_resolution_time, p90_resolution_time, "
     "median_reply_time, p90_reply_time, reopened_count, reopen_rate, one_touch_resolution_rate "
     "FROM reports.agent_report($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint), $4::bool)"},

    {"inbox_report",
     "SELECT id, name, channel_type, conversations_count, resolved_conversations_count, avg_resolution_time, "
     "avg_first_response_time, avg_reply_time, incoming_messages_count, outgoing_messages_count, resolutions_count, "
     "median_first_response_time, p90_first_response_time, median_resolution_time, p90_resolution_time, "
     "median_reply_time, p90_reply_time, reopened_count, reopen_rate, one_touch_resolution_rate "
     "FROM reports.inbox_report($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint), $4::bool)"},

    {"team_report",
     "SELECT id, name, conversations_count, resolved_conversations_count, avg_resolution_time, "
     "avg_first_response_time, avg_reply_time, incoming_messages_count, outgoing_messages_count, resolutions_count, "
     "median_first_response_time, p90_first_response_time, median_resolution_time, p90_resolution_time, "
     "median_reply_time, p90_reply_time, reopened_count, reopen_rate, one_touch_resolution_rate "
     "FROM reports.team_report($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint), $4::bool)"},

    {"label_report",
     "SELECT id, title, conversations_count, resolved_conversations_count, avg_resolution_time, "
     "avg_first_response_time, avg_reply_time, "
     "median_first_response_time, p90_first_response_time, median_resolution_time, p90_resolution_time, "
     "median_reply_time, p90_reply_time, reopened_count, reopen_rate, one_touch_resolution_rate "
     "FROM reports.label_report($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint), $4::bool)"},

    {"summary_by",
     "SELECT id, name, conversations_count, resolved_conversations_count, avg_resolution_time, "
     "avg_first_response_time, avg_reply_time "
     "FROM reports.summary_by($1::int, $2::text, to_timestamp($3::bigint), to_timestamp($4::bigint), $5::bool)"},

    {"channel_summary",
     "SELECT channel_type, open, resolved, pending, snoozed, total "
     "FROM reports.channel_summary($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint))"},

    {"inbox_label_matrix",
     "SELECT inbox_id, inbox_name, label_id, label_name, count "
     "FROM reports.inbox_label_matrix($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint), $4::int[], "
     "$5::int[])"},

    {"bot_metrics",
     "SELECT total_conversations, message_count, resolution_rate, handoff_rate "
     "FROM reports.bot_metrics($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint))"},

    {"outgoing_messages_count",
     "SELECT id, name, count "
     "FROM reports.outgoing_messages_count($1::int, $2::text, to_timestamp($3::bigint), to_timestamp($4::bigint))"},

    {"conversation_metrics",
     "SELECT open, unattended, unassigned, pending FROM reports.conversation_metrics($1::int, $2::int)"},

    {"grouped_conversation_metrics",
     "SELECT group_id, open, unattended, unassigned FROM reports.grouped_conversation_metrics($1::int, $2::text, $3::int)"},

    {"live_stats", "SELECT * FROM reports.live_stats($1::int)"},

    // The records behind one bucket ($3 bucket start, $4 since, $5 until; $11 page, $12 per page).
    // Times leave as unix seconds (truncated, as Ruby's to_i).
    {"drilldown",
     "SELECT d.record_type, floor(extract(epoch FROM d.occurred_at))::bigint AS occurred_at, d.metric_value, "
     "d.event_name, d.conversation_id, d.display_id, d.status, d.contact_id, d.contact_name, d.inbox_id, d.inbox_name, "
     "d.assignee_id, d.assignee_name, floor(extract(epoch FROM d.conversation_created_at))::bigint AS conversation_created_at, "
     "floor(extract(epoch FROM d.last_activity_at))::bigint AS last_activity_at, d.last_message_id, d.last_message_content, "
     "d.last_message_type, d.last_message_sender_name, "
     "floor(extract(epoch FROM d.last_message_created_at))::bigint AS last_message_created_at, d.message_id, "
     "d.message_content, d.message_type, d.message_sender_name, "
     "floor(extract(epoch FROM d.message_created_at))::bigint AS message_created_at, "
     "floor(extract(epoch FROM d.bucket_since))::bigint AS bucket_since, "
     "floor(extract(epoch FROM d.bucket_until))::bigint AS bucket_until, d.total_count, d.conversation_count "
     "FROM reports.drilldown($1::int, $2::text, to_timestamp($3::bigint), to_timestamp($4::bigint), "
     "to_timestamp($5::bigint), $6::text, $7::text, $8::text, $9::int, $10::bool, $11::int, $12::int) d"},

    // The bucket window of a drilldown whose bucket holds no record at all (reports.drilldown has
    // validated the same arguments and computes the same window for every row it returns).
    {"drilldown_window",
     "SELECT floor(extract(epoch FROM greatest(b, s)))::bigint AS bucket_since, "
     "floor(extract(epoch FROM least(CASE $4::text WHEN 'hour' THEN b + interval '1 hour' "
     "ELSE ((b AT TIME ZONE $5::text) + CASE $4::text WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '7 days' "
     "WHEN 'month' THEN interval '1 month' WHEN 'quarter' THEN interval '3 months' ELSE interval '1 year' END) "
     "AT TIME ZONE $5::text END, u)))::bigint AS bucket_until "
     "FROM (SELECT to_timestamp($1::bigint) AS b, to_timestamp($2::bigint) AS s, to_timestamp($3::bigint) AS u) x"},

    // Chatwoot's legacy /reports/conversations?type=agent: 25 account users per page (by
    // account_users.id), each with its open and unattended conversations, the page sorted by open.
    {"conversations_by_agent",
     "WITH page AS ("
     " SELECT u.id, u.name::text AS name, u.email::text AS email,"
     " reports_internal.availability_name(au.availability) AS availability"
     " FROM account_users au JOIN users u ON u.id = au.user_id"
     " WHERE au.account_id = $1::int ORDER BY au.id LIMIT 25 OFFSET $2::int) "
     "SELECT p.id, p.name, p.email, p.availability, coalesce(g.open, 0) AS open, "
     "coalesce(g.unattended, 0) AS unattended "
     "FROM page p LEFT JOIN reports.grouped_conversation_metrics($1::int, 'assignee_id') g ON g.group_id = p.id "
     "ORDER BY coalesce(g.open, 0) DESC, p.id"},

    // Chatwoot's conversation_traffic: hourly conversations over the `days` whole UTC days before
    // today, bucketed in zone $3, each bucket shown as its UTC date and hour.
    {"conversation_traffic",
     "SELECT to_char(t.bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, "
     "extract(hour FROM t.bucket AT TIME ZONE 'UTC')::int AS hour, t.count "
     "FROM (SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS today) d, "
     "reports.timeseries($1::int, 'conversations_count', d.today - make_interval(days => $2::int), d.today, "
     "'hour', $3::text) t "
     "ORDER BY t.bucket"},

    {"csat_metrics", "SELECT * FROM reports.csat_metrics($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint), "
                     "$4::int[], $5::int, $6::int, $7::int[])"},

    {"csat_by_agent", "SELECT * FROM reports.csat_by_agent($1::int, to_timestamp($2::bigint), "
                      "to_timestamp($3::bigint), $4::int[], $5::int, $6::int, $7::int[])"},

    // The CSAT list: the responses of reports.csat_responses with the columns of Chatwoot's JSON
    // (contact and agent details). $8 = oldest first, $9 = offset; 25 per page.
    {"csat_index",
     "SELECT r.id, r.rating, r.feedback_message, r.csat_review_notes, "
     "extract(epoch FROM x.review_notes_updated_at)::bigint AS review_notes_updated_at, "
     "x.review_notes_updated_by_id, rb.name AS review_notes_updated_by_name, "
     "r.message_id, r.conversation_display_id, extract(epoch FROM r.created_at)::bigint AS created_at, "
     "k.id AS contact_id, k.name AS contact_name, k.email AS contact_email, "
     "k.phone_number AS contact_phone_number, k.blocked AS contact_blocked, k.identifier AS contact_identifier, "
     "k.additional_attributes::text AS contact_additional_attributes, "
     "k.custom_attributes::text AS contact_custom_attributes, "
     "extract(epoch FROM k.last_activity_at)::bigint AS contact_last_activity_at, "
     "extract(epoch FROM k.created_at)::bigint AS contact_created_at, "
     "u.id AS agent_id, u.name AS agent_name, u.display_name AS agent_display_name, u.email AS agent_email, "
     "u.provider AS agent_provider, (u.confirmed_at IS NOT NULL) AS agent_confirmed, "
     "u.custom_attributes::text AS agent_custom_attributes, au.role AS agent_role, "
     "reports_internal.availability_name(au.availability) AS agent_availability, au.auto_offline AS agent_auto_offline "
     "FROM " CSAT_RESPONSES " WITH ORDINALITY AS r "
     "JOIN csat_survey_responses x ON x.id = r.id "
     "LEFT JOIN users rb ON rb.id = x.review_notes_updated_by_id "
     "LEFT JOIN contacts k ON k.id = r.contact_id AND k.account_id = $1::int "
     "LEFT JOIN users u ON u.id = r.assigned_agent_id "
     "LEFT JOIN account_users au ON au.user_id = u.id AND au.account_id = $1::int "
     "ORDER BY CASE WHEN $8::bool THEN -r.ordinality ELSE r.ordinality END "
     "LIMIT 25 OFFSET $9::int"},

    // Every filtered response for the CSV download; $8 = oldest first.
    {"csat_download",
     "SELECT r.assigned_agent_id, r.agent_name, r.agent_email, r.rating, r.feedback_message, r.contact_name, "
     "r.contact_email, r.contact_phone_number, r.conversation_display_id, "
     "to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC' AS recorded_at, "
     "extract(epoch FROM r.created_at)::bigint AS created_at "
     "FROM " CSAT_RESPONSES " WITH ORDINALITY AS r "
     "ORDER BY CASE WHEN $8::bool THEN -r.ordinality ELSE r.ordinality END"},

    {"sla_metrics",
     "SELECT * FROM reports.sla_metrics($1::int, to_timestamp($2::bigint), to_timestamp($3::bigint), $4::int, "
     "$5::int[], $6::int, $7::int, $8::text)"},
    // 25 a page; $9 = offset.
    {"sla_missed_page", SLA_MISSED " LIMIT 25 OFFSET $9::int"},
    {"sla_missed_all", SLA_MISSED},
};

#undef SLA_MISSED
#undef CSAT_RESPONSES
#undef REPORT_MANAGE

}  // namespace

const std::vector<Statement>& prepared_statements() { return kStatements; }

}  // namespace support_reports::api
