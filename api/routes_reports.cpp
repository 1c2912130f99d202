// /api/v2/accounts/:account_id/reports and /reports/* (conversation, entity, bot, distribution,
// heatmap and live reports).
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "routes_common.hpp"
#include "zones.hpp"

namespace support_reports::api {

namespace {

const std::vector<std::string> kGroupBy = {"hour", "day", "week", "month", "quarter", "year"};

// Nominal bucket lengths, for the --max-buckets check before any query runs. The estimate is
// within a bucket or two of the real count (months and years vary in length, DST days are 23 or
// 25 hours); the SQL aggregate enforces its own, larger, exact limit.
std::int64_t nominal_period_seconds(const std::string& group_by) {
    if (group_by == "hour") return 3600;
    if (group_by == "day") return 86400;
    if (group_by == "week") return 7 * 86400;
    if (group_by == "month") return 2629746;    // 365.2425 days / 12
    if (group_by == "quarter") return 7889238;  // 365.2425 days / 4
    return 31556952;                            // 365.2425 days
}

void check_bucket_limit(const RequestContext& ctx, const TimeRange& range, const std::string& group_by) {
    if (!range.since || !range.until) return;
    const std::int64_t period = nominal_period_seconds(group_by);
    const std::int64_t buckets = (*range.until - *range.since + period - 1) / period;
    if (buckets > ctx.config().max_buckets) {
        throw invalid_parameter(422, "group_by",
                                "the range from since to until holds about " + std::to_string(buckets) + " " +
                                    group_by + " buckets, more than the limit of " +
                                    std::to_string(ctx.config().max_buckets) +
                                    "; use a coarser group_by or a shorter range");
    }
}

void admin(RequestContext& ctx) {
    ctx.authenticate();
    ctx.require_administrator();
}

// ---- GET /reports (timeseries) -------------------------------------------------------------------

Reply timeseries(RequestContext& ctx) {
    admin(ctx);
    const auto& q = ctx.query();
    const std::string metric = required(ctx, "metric");
    const TimeRange range = parse_range(ctx);
    const Scope scope = parse_scope(ctx);
    const std::string group_by = q.get("group_by").value_or("day");
    check_one_of("group_by", group_by, kGroupBy);
    const bool business_hours = parse_rails_bool(q.get("business_hours"));
    check_bucket_limit(ctx, range, group_by);
    const std::string tz = resolve_zone(ctx);

    Json out = Json::array();
    if (metric == "backlog") {
        // Not a metric of rows in a range but a state at each bucket's end (reports.backlog): the
        // value is every unresolved conversation, with its split by status beside it.
        const auto rows = ctx.exec("backlog", {ctx.account(), text_of(range.since), text_of(range.until), group_by, tz,
                                               scope.type, text_of(scope.id)});
        for (const auto& row : rows) {
            const long long open = row["open"].as<long long>(), pending = row["pending"].as<long long>(),
                            snoozed = row["snoozed"].as<long long>();
            out.push_back(Json{{"value", open + pending + snoozed},
                               {"timestamp", row["timestamp"].as<long long>()},
                               {"open", open},
                               {"pending", pending},
                               {"snoozed", snoozed}});
        }
        return json_reply(out);
    }
    const auto rows = ctx.exec("timeseries", {ctx.account(), metric, text_of(range.since), text_of(range.until),
                                              group_by, tz, scope.type, text_of(scope.id), bool_text(business_hours)});
    for (const auto& row : rows) {
        Json point;
        const long long count = row["count"].as<long long>();
        const std::string kind = row["kind"].as<std::string>();
        if (kind == "average" || kind == "quantile" || kind == "ratio") {
            // Chatwoot pads empty buckets of an average with the integer 0 (and so do we a quantile's
            // and a rate's); count is the rows behind the value (a rate's: its denominator's).
            point["value"] = count == 0 ? Json(0) : Json(row["value"].as<double>());
            point["timestamp"] = row["timestamp"].as<long long>();
            point["count"] = count;
        } else {
            point["value"] = count;
            point["timestamp"] = row["timestamp"].as<long long>();
        }
        out.push_back(std::move(point));
    }
    return json_reply(out);
}

// ---- summaries ---------------------------------------------------------------------------------

pqxx::row summary_row(RequestContext& ctx, const TimeRange& range, const Scope& scope, bool business_hours) {
    const auto r = ctx.exec("summary", {ctx.account(), text_of(range.since), text_of(range.until), scope.type,
                                        text_of(scope.id), bool_text(business_hours)});
    return r[0];
}

Json summary_block(const pqxx::row& row, const std::string& p) {
    return Json{{"conversations_count", count_json(row[p + "conversations_count"])},
                {"incoming_messages_count", count_json(row[p + "incoming_messages_count"])},
                {"outgoing_messages_count", count_json(row[p + "outgoing_messages_count"])},
                {"avg_first_response_time", float_json(row[p + "avg_first_response_time"])},
                {"avg_resolution_time", float_json(row[p + "avg_resolution_time"])},
                {"resolutions_count", count_json(row[p + "resolutions_count"])},
                {"reply_time", float_json(row[p + "reply_time"])}};
}

Reply summary(RequestContext& ctx) {
    admin(ctx);
    const TimeRange range = parse_range(ctx);
    const Scope scope = parse_scope(ctx);
    const bool bh = parse_rails_bool(ctx.query().get("business_hours"));
    const auto row = summary_row(ctx, range, scope, bh);
    Json out = summary_block(row, "");
    add_outcome_metrics(out, row, "");
    Json previous = summary_block(row, "previous_");
    add_outcome_metrics(previous, row, "previous_");
    out["previous"] = std::move(previous);
    return json_reply(out);
}

Reply bot_summary(RequestContext& ctx) {
    admin(ctx);
    const TimeRange range = parse_range(ctx);
    const Scope scope = parse_scope(ctx);
    const bool bh = parse_rails_bool(ctx.query().get("business_hours"));
    const auto row = summary_row(ctx, range, scope, bh);
    return json_reply(Json{{"bot_resolutions_count", count_json(row["bot_resolutions_count"])},
                           {"bot_handoffs_count", count_json(row["bot_handoffs_count"])},
                           {"previous",
                            {{"bot_resolutions_count", count_json(row["previous_bot_resolutions_count"])},
                             {"bot_handoffs_count", count_json(row["previous_bot_handoffs_count"])}}}});
}

Reply conversations_summary(RequestContext& ctx) {
    admin(ctx);
    const Format format = negotiate(ctx, Format::Csv, false);
    const TimeRange range = parse_range(ctx);
    const bool bh = parse_rails_bool(ctx.query().get("business_hours"));
    const auto row = summary_row(ctx, range, Scope{}, bh);
    if (format == Format::Json) return json_reply(summary_block(row, ""));
    return csv_reply(report_csv(range,
                                {"Conversations", "Messages received", "Messages sent", "Avg first response time",
                                 "Avg resolution time", "Resolution count", "Avg customer waiting time"},
                                {{count_text(row["conversations_count"]), count_text(row["incoming_messages_count"]),
                                  count_text(row["outgoing_messages_count"]),
                                  format_duration(opt_double(row["avg_first_response_time"])),
                                  format_duration(opt_double(row["avg_resolution_time"])),
                                  count_text(row["resolutions_count"]),
                                  format_duration(opt_double(row["reply_time"]))}}),
                     "conversations_summary_report");
}

// ---- entity reports ------------------------------------------------------------------------------

Params entity_params(RequestContext& ctx, TimeRange& range) {
    range = parse_range(ctx);
    const bool bh = parse_rails_bool(ctx.query().get("business_hours"));
    return {ctx.account(), text_of(range.since), text_of(range.until), bool_text(bh)};
}

using CsvLine = std::vector<std::optional<std::string>>;

// The metric cells every entity CSV shares, after its leading name cell(s): conversations, the
// three durations as Chatwoot's TimeFormatPresenter writes them, and resolutions.
CsvLine entity_csv_line(CsvLine leading, const pqxx::row& row) {
    leading.push_back(count_text(row["conversations_count"]));
    for (const char* column : {"avg_first_response_time", "avg_resolution_time", "avg_reply_time"}) {
        leading.push_back(format_duration(opt_double(row[column])));
    }
    leading.push_back(count_text(row["resolved_conversations_count"]));
    return leading;
}

Reply agents(RequestContext& ctx) {
    admin(ctx);
    // Chatwoot's dashboard downloads this route without a format and writes the body to a .csv
    // file, so a session sign-in gets Chatwoot's CSV; API tokens get the seed's JSON contract.
    const std::string& mode = ctx.config().agents_format;
    const Format fallback =
        mode == "csv" || (mode == "auto" && ctx.session_authenticated()) ? Format::Csv : Format::Json;
    const Format format = negotiate(ctx, fallback, true);
    TimeRange range;
    const auto rows = ctx.exec("agent_report", entity_params(ctx, range));
    if (format == Format::Json) return json_reply(entity_json(rows, {"name", "email", "thumbnail", "availability"}, true));
    std::vector<CsvLine> lines;
    for (const auto& row : rows) lines.push_back(entity_csv_line({opt_text(row["name"])}, row));
    return csv_reply(report_csv(range,
                                {"Agent name", "Assigned conversations", "Avg first response time",
                                 "Avg resolution time", "Avg customer waiting time", "Resolution Count"},
                                lines),
                     "agents_report");
}

Reply inboxes(RequestContext& ctx) {
    admin(ctx);
    const Format format = negotiate(ctx, Format::Csv, false);
    TimeRange range;
    const auto rows = ctx.exec("inbox_report", entity_params(ctx, range));
    if (format == Format::Json) return json_reply(entity_json(rows, {"name", "channel_type"}, true));
    std::vector<CsvLine> lines;
    for (const auto& row : rows) {
        lines.push_back(
            entity_csv_line({opt_text(row["name"]), channel_display_name(row["channel_type"].c_str())}, row));
    }
    // Chatwoot's layout: five headers over seven values per row.
    return csv_reply(report_csv(range,
                                {"Inbox name", "Inbox type", "No. of conversations", "Avg first response time",
                                 "Avg resolution time"},
                                lines),
                     "inboxes_report");
}

Reply teams(RequestContext& ctx) {
    admin(ctx);
    const Format format = negotiate(ctx, Format::Csv, false);
    TimeRange range;
    const auto rows = ctx.exec("team_report", entity_params(ctx, range));
    if (format == Format::Json) return json_reply(entity_json(rows, {"name"}, true));
    std::vector<CsvLine> lines;
    for (const auto& row : rows) lines.push_back(entity_csv_line({opt_text(row["name"])}, row));
    return csv_reply(report_csv(range,
                                {"Team name", "Conversations count", "Avg first response time", "Avg resolution time",
                                 "Avg customer waiting time", "Resolution Count"},
                                lines),
                     "teams_report");
}

Reply labels(RequestContext& ctx) {
    admin(ctx);
    const Format format = negotiate(ctx, Format::Csv, false);
    TimeRange range;
    const auto rows = ctx.exec("label_report", entity_params(ctx, range));
    if (format == Format::Json) {
        Json out = Json::array();
        for (const auto& row : rows) {
            out.push_back(Json{{"id", row["id"].as<long long>()},
                               {"title", text_json(row["title"])},
                               {"conversations_count", count_json(row["conversations_count"])},
                               {"resolved_conversations_count", count_json(row["resolved_conversations_count"])},
                               {"avg_resolution_time", zero_or_float(row["avg_resolution_time"])},
                               {"avg_first_response_time", zero_or_float(row["avg_first_response_time"])},
                               {"avg_reply_time", zero_or_float(row["avg_reply_time"])}});
            add_outcome_metrics(out.back(), row, "");
        }
        return json_reply(out);
    }
    std::vector<CsvLine> lines;
    for (const auto& row : rows) lines.push_back(entity_csv_line({opt_text(row["title"])}, row));
    return csv_reply(report_csv(range,
                                {"Label", "No. of conversations", "Avg first response time", "Avg resolution time",
                                 "Avg reply time", "Resolution Count"},
                                lines),
                     "labels_report");
}

// ---- legacy live metrics (/reports/conversations) --------------------------------------------------

Reply conversations(RequestContext& ctx) {
    admin(ctx);
    const auto type = ctx.query().get("type");
    if (!type) throw invalid_parameter(422, "type", "type is required (account or agent)");
    if (*type == "account") {
        const auto r = ctx.exec("conversation_metrics", {ctx.account(), std::nullopt});
        // Chatwoot computes `pending` among open conversations here, so it is always 0.
        return json_reply(Json{{"open", count_json(r[0]["open"])},
                               {"unattended", count_json(r[0]["unattended"])},
                               {"unassigned", count_json(r[0]["unassigned"])},
                               {"pending", 0}});
    }
    if (*type == "inbox" || *type == "label" || *type == "team") throw not_found();  // Chatwoot: find(nil)
    check_one_of("type", *type, {"account", "agent"});
    std::int64_t page = 1;
    if (auto p = ctx.query().get("page")) page = std::max<std::int64_t>(1, parse_int_in("page", *p, -1000000, 1000000));
    const auto rows = ctx.exec("conversations_by_agent", {ctx.account(), std::to_string((page - 1) * 25)});
    Json out = Json::array();
    for (const auto& row : rows) {
        out.push_back(Json{{"id", row["id"].as<long long>()},
                           {"name", text_json(row["name"])},
                           {"email", text_json(row["email"])},
                           {"thumbnail", ""},
                           {"availability", text_json(row["availability"])},
                           {"metric", {{"open", count_json(row["open"])}, {"unattended", count_json(row["unattended"])}}}});
    }
    return json_reply(out);
}

// ---- conversation traffic (CSV) ------------------------------------------------------------------

Reply conversation_traffic(RequestContext& ctx) {
    admin(ctx);
    const Format format = negotiate(ctx, Format::Csv, false);
    const int offset = parse_offset_seconds("timezone_offset", required(ctx, "timezone_offset"));
    const std::int64_t max_days = std::max<std::int64_t>(1, ctx.config().max_buckets / 24);
    std::int64_t days = 6;
    if (auto d = ctx.query().get("days_before")) days = parse_int_in("days_before", *d, 1, max_days);
    // Chatwoot's V2::ReportBuilder looks the zone up by standard offset (TZ_BASE).
    const RailsZone* zone = tz_base(offset);
    const std::string tz = zone ? zone->iana : fixed_offset_zone(offset);
    const std::string label = zone ? zone_label(zone->base_offset, zone->name)
                                   : zone_label(offset, "UTC" + formatted_offset(offset));
    ctx.rename_sql_parameter("tz", "timezone_offset");
    const auto rows = ctx.exec("conversation_traffic", {ctx.account(), std::to_string(days), tz});

    std::set<std::string> dates;
    std::vector<int> hours;  // in order of first appearance
    std::map<std::pair<int, std::string>, long long> cells;
    for (const auto& row : rows) {
        const std::string day = row["day"].as<std::string>();
        const int hour = row["hour"].as<int>();
        dates.insert(day);
        if (std::find(hours.begin(), hours.end(), hour) == hours.end()) hours.push_back(hour);
        cells[{hour, day}] += row["count"].as<long long>();
    }
    auto hour_text = [](int h) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%02d:00", h);
        return std::string(buf);
    };
    if (format == Format::Json) {
        Json out{{"timezone", label}, {"dates", Json(std::vector<std::string>(dates.begin(), dates.end()))}};
        Json lines = Json::array();
        for (int h : hours) {
            Json values = Json::array();
            for (const auto& d : dates) {
                const auto it = cells.find({h, d});
                values.push_back(it == cells.end() ? Json(nullptr) : Json(it->second));
            }
            lines.push_back(Json{{"hour", hour_text(h)}, {"values", std::move(values)}});
        }
        out["hours"] = std::move(lines);
        return json_reply(out);
    }
    std::string csv = csv_line({std::string("Timezone"), label}) + "\n\n";
    std::vector<std::optional<std::string>> header{std::string("Start of the hour")};
    header.insert(header.end(), dates.begin(), dates.end());
    csv += csv_line(header);
    for (int h : hours) {
        std::vector<std::optional<std::string>> line{hour_text(h)};
        for (const auto& d : dates) {
            const auto it = cells.find({h, d});
            line.push_back(it == cells.end() ? std::nullopt : std::optional<std::string>(std::to_string(it->second)));
        }
        csv += csv_line(line);
    }
    return csv_reply(std::move(csv), "conversation_traffic_reports");
}

// ---- bot, distribution, matrix, outgoing -----------------------------------------------------------

Reply bot_metrics(RequestContext& ctx) {
    admin(ctx);
    const TimeRange range = parse_range(ctx);
    const auto r = ctx.exec("bot_metrics", {ctx.account(), text_of(range.since), text_of(range.until)});
    const auto row = r[0];
    return json_reply(Json{{"conversation_count", count_json(row["total_conversations"])},
                           {"message_count", count_json(row["message_count"])},
                           {"resolution_rate", count_json(row["resolution_rate"])},
                           {"handoff_rate", count_json(row["handoff_rate"])}});
}

Reply first_response_time_distribution(RequestContext& ctx) {
    admin(ctx);
    const TimeRange range = parse_range(ctx);
    const auto rows = ctx.exec("frt_by_channel", {ctx.account(), text_of(range.since), text_of(range.until)});
    Json out = Json::object();
    for (const auto& row : rows) {
        const std::string channel = row["channel_type"].is_null() ? "" : row["channel_type"].as<std::string>();
        out[channel][row["bucket"].as<std::string>()] = count_json(row["count"]);
    }
    return json_reply(out);
}

Reply response_time_distribution(RequestContext& ctx) {
    admin(ctx);
    const TimeRange range = parse_range(ctx);
    std::optional<std::string> edges;
    const auto raw = ctx.query().get_all("edges");
    if (!raw.empty()) {
        if (raw.size() > 100) throw invalid_parameter(422, "edges[]", "at most 100 edges");
        std::vector<double> values;
        for (const auto& v : raw) values.push_back(parse_number("edges[]", v));
        edges = pg_float_array(values);
    }
    ctx.set_fallback_parameter("edges[]");
    const auto rows = ctx.exec("response_time_distribution",
                               {ctx.account(), text_of(range.since), text_of(range.until), edges});
    // The seed's shape: [{bucket, count}, ...] in bucket order.
    Json out = Json::array();
    for (const auto& row : rows) out.push_back(Json{{"bucket", text_json(row["bucket"])}, {"count", count_json(row["count"])}});
    return json_reply(out);
}

Reply inbox_label_matrix(RequestContext& ctx) {
    admin(ctx);
    const TimeRange range = parse_range(ctx);
    const auto inbox_ids = parse_id_list("inbox_ids[]", ctx.query().get_all("inbox_ids"));
    const auto label_ids = parse_id_list("label_ids[]", ctx.query().get_all("label_ids"));
    const auto rows = ctx.exec("inbox_label_matrix", {ctx.account(), text_of(range.since), text_of(range.until),
                                                      id_filter(inbox_ids), id_filter(label_ids)});
    // Rows come ordered by inbox (name, id) then label (title, id), every pair present; when one
    // side is empty the other's entries come once each, with NULL on the empty side.
    Json inboxes = Json::array(), labels = Json::array(), matrix = Json::array();
    std::optional<long long> current_inbox;
    bool first_inbox = true;
    for (const auto& row : rows) {
        if (row["inbox_id"].is_null()) {  // labels, but no inboxes: no matrix rows
            labels.push_back(Json{{"id", row["label_id"].as<long long>()}, {"title", text_json(row["label_name"])}});
            continue;
        }
        const long long inbox = row["inbox_id"].as<long long>();
        if (!current_inbox || *current_inbox != inbox) {
            if (current_inbox) first_inbox = false;
            current_inbox = inbox;
            inboxes.push_back(Json{{"id", inbox}, {"name", text_json(row["inbox_name"])}});
            matrix.push_back(Json::array());
        }
        if (row["label_id"].is_null()) continue;  // inboxes, but no labels: empty matrix rows
        if (first_inbox) labels.push_back(Json{{"id", row["label_id"].as<long long>()}, {"title", text_json(row["label_name"])}});
        matrix.back().push_back(count_json(row["count"]));
    }
    return json_reply(Json{{"inboxes", inboxes}, {"labels", labels}, {"matrix", matrix}});
}

Reply outgoing_messages_count(RequestContext& ctx) {
    admin(ctx);
    const std::string group_by = required(ctx, "group_by");
    const TimeRange range = parse_range(ctx);
    const auto rows =
        ctx.exec("outgoing_messages_count", {ctx.account(), group_by, text_of(range.since), text_of(range.until)});
    Json out = Json::array();
    for (const auto& row : rows) {
        out.push_back(Json{{"id", row["id"].is_null() ? Json(nullptr) : Json(row["id"].as<long long>())},
                           {"name", text_json(row["name"])},
                           {"outgoing_messages_count", count_json(row["count"])}});
    }
    return json_reply(out);
}

// ---- GET /reports/drilldown ---------------------------------------------------------------------

// A unix-seconds parameter as the drilldown validator accepts it: digits only (^\d+$).
std::int64_t drilldown_seconds(const RequestContext& ctx, const std::string& name) {
    const std::string v = required(ctx, name);
    const bool digits = v.size() <= 12 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) throw invalid_parameter(422, name, name + " must be unix seconds (digits only), got \"" + v.substr(0, 64) + "\"");
    return parse_unix_seconds(name, v);
}

Json drilldown_message(const pqxx::row& row, const std::string& p) {
    if (row[p + "id"].is_null()) return nullptr;
    return Json{{"id", row[p + "id"].as<long long>()},
                {"content", text_json(row[p + "content"])},
                {"message_type", text_json(row[p + "type"])},
                {"sender_name", text_json(row[p + "sender_name"])},
                {"created_at", row[p + "created_at"].as<long long>()}};
}

Json opt_int(const pqxx::field& f) { return f.is_null() ? Json(nullptr) : Json(f.as<long long>()); }

Json drilldown_record(const pqxx::row& row) {
    Json conversation = Json::object();
    if (!row["conversation_id"].is_null()) {
        conversation = Json{{"id", row["conversation_id"].as<long long>()},
                            {"display_id", opt_int(row["display_id"])},
                            {"contact_id", opt_int(row["contact_id"])},
                            {"contact_name", text_json(row["contact_name"])},
                            {"inbox_id", opt_int(row["inbox_id"])},
                            {"inbox_name", text_json(row["inbox_name"])},
                            {"assignee_id", opt_int(row["assignee_id"])},
                            {"assignee_name", text_json(row["assignee_name"])},
                            {"status", text_json(row["status"])},
                            {"created_at", opt_int(row["conversation_created_at"])},
                            {"last_activity_at", opt_int(row["last_activity_at"])},
                            {"last_message", drilldown_message(row, "last_message_")}};
    }
    Json out{{"record_type", text_json(row["record_type"])},
             {"conversation", std::move(conversation)},
             {"message", drilldown_message(row, "message_")},
             {"metric_value", float_json(row["metric_value"])},
             {"occurred_at", row["occurred_at"].as<long long>()}};
    if (!row["event_name"].is_null()) out["event_name"] = row["event_name"].as<std::string>();
    return out;
}

Reply drilldown(RequestContext& ctx) {
    admin(ctx);
    // Chatwoot's controller then requires an administrator and answers an empty 401 otherwise
    // (custom-role users with report_manage reach this point).
    if (!ctx.is_administrator()) return Reply{401, "", "application/json; charset=utf-8", {}};
    const auto& q = ctx.query();
    const std::string metric = required(ctx, "metric");
    check_one_of("metric", metric,
                 {"conversations_count", "incoming_messages_count", "outgoing_messages_count",
                  "avg_first_response_time", "avg_resolution_time", "reply_time", "resolutions_count",
                  "bot_resolutions_count", "bot_handoffs_count"});
    const std::int64_t bucket = drilldown_seconds(ctx, "bucket_timestamp");
    const std::int64_t since = drilldown_seconds(ctx, "since");
    const std::int64_t until = drilldown_seconds(ctx, "until");
    if (since >= until) {
        throw invalid_parameter(422, "since", "since (" + std::to_string(since) + ") must be earlier than until (" +
                                                  std::to_string(until) + ")");
    }
    const std::string group_by = q.get("group_by").value_or("day");
    check_one_of("group_by", group_by, kGroupBy);
    const bool business_hours = parse_rails_bool(q.get("business_hours"));
    // Chatwoot: page = max(to_i, 1); per_page = to_i, 25 when <= 0, at most 100.
    std::int64_t page = 1, per_page = 25;
    if (auto p = q.get("page")) page = std::max<std::int64_t>(1, parse_int_in("page", *p, -1000000000, 1000000000));
    if (auto p = q.get("per_page")) {
        per_page = parse_int_in("per_page", *p, -1000000000, 1000000000);
        if (per_page <= 0) per_page = 25;
        per_page = std::min<std::int64_t>(per_page, 100);
    }
    const Scope scope = parse_scope(ctx);
    const std::string tz = resolve_zone(ctx);
    const Params params{ctx.account(), metric, std::to_string(bucket), std::to_string(since), std::to_string(until),
                        group_by, tz, scope.type, text_of(scope.id), bool_text(business_hours),
                        std::to_string(page), std::to_string(per_page)};
    auto rows = ctx.exec("drilldown", params);

    Json payload = Json::array();
    for (const auto& row : rows) payload.push_back(drilldown_record(row));
    long long total = 0, conversations = 0, window_since = 0, window_until = 0;
    if (rows.empty() && page > 1) {  // past the end: the totals from the first page
        Params first = params;
        first[10] = "1";
        first[11] = "1";
        rows = ctx.exec("drilldown", first);
    }
    if (!rows.empty()) {
        total = rows[0]["total_count"].as<long long>();
        conversations = rows[0]["conversation_count"].as<long long>();
        window_since = rows[0]["bucket_since"].as<long long>();
        window_until = rows[0]["bucket_until"].as<long long>();
    } else {
        const auto w = ctx.exec("drilldown_window", {std::to_string(bucket), std::to_string(since),
                                                     std::to_string(until), group_by, tz});
        window_since = w[0]["bucket_since"].as<long long>();
        window_until = w[0]["bucket_until"].as<long long>();
    }
    const bool message_metric = metric == "incoming_messages_count" || metric == "outgoing_messages_count" ||
                                metric == "avg_first_response_time" || metric == "reply_time";
    Json meta{{"metric", metric},
              {"record_type", message_metric ? "message" : "conversation"},
              {"bucket", {{"since", window_since}, {"until", window_until}}},
              {"current_page", page},
              {"per_page", per_page},
              {"total_count", total},
              {"conversation_count", conversations}};
    return json_reply(Json{{"meta", std::move(meta)}, {"payload", std::move(payload)}});
}

// ---- seed routes without a Chatwoot counterpart ------------------------------------------------------

Reply heatmap(RequestContext& ctx) {
    admin(ctx);
    const TimeRange range = parse_range(ctx);
    const std::string metric = ctx.query().get("metric").value_or("conversations_count");
    const std::string tz = resolve_zone(ctx);
    const auto rows = ctx.exec("heatmap", {ctx.account(), text_of(range.since), text_of(range.until), tz, metric});
    Json out = Json::array();
    for (const auto& row : rows) {
        out.push_back(Json{{"day", text_json(row["day"])},
                           {"dow", row["dow"].as<int>()},
                           {"hour", row["hour"].as<int>()},
                           {"count", count_json(row["count"])}});
    }
    return json_reply(out);
}

Reply live(RequestContext& ctx) {
    admin(ctx);
    const auto r = ctx.exec("live_stats", {ctx.account()});
    Json out = Json::object();
    for (const auto& f : r[0]) out[f.name()] = count_json(f);
    return json_reply(out);
}

}  // namespace

void add_report_routes(RouteTable& t) {
    const std::string base = "/api/v2/accounts/:account_id/reports";
    t.get(base, timeseries);
    t.get(base + "/summary", summary);
    t.get(base + "/bot_summary", bot_summary);
    t.get(base + "/agents", agents);
    t.get(base + "/inboxes", inboxes);
    t.get(base + "/labels", labels);
    t.get(base + "/teams", teams);
    t.get(base + "/conversations", conversations);
    t.get(base + "/conversations_summary", conversations_summary);
    t.get(base + "/conversation_traffic", conversation_traffic);
    t.get(base + "/bot_metrics", bot_metrics);
    t.get(base + "/inbox_label_matrix", inbox_label_matrix);
    t.get(base + "/first_response_time_distribution", first_response_time_distribution);
    t.get(base + "/outgoing_messages_count", outgoing_messages_count);
    t.get(base + "/drilldown", drilldown);
    t.get(base + "/heatmap", heatmap);
    t.get(base + "/live", live);
    t.get(base + "/response_time_distribution", response_time_distribution);
}

}  // namespace support_reports::api
