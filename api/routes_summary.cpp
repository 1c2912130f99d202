// /api/v2/accounts/:account_id/summary_reports/* and /live_reports/*.
#include "routes_common.hpp"

namespace support_reports::api {

namespace {

// Chatwoot's 6.months in seconds (ActiveSupport: 6 * 30.436875 days).
constexpr std::int64_t kSixMonths = 15778476;

Reply dimension_summary(RequestContext& ctx, const std::string& dimension) {
    ctx.authenticate();
    ctx.require_administrator();
    const TimeRange range = parse_range(ctx);
    const bool bh = parse_rails_bool(ctx.query().get("business_hours"));
    const auto rows =
        ctx.exec("summary_by", {ctx.account(), dimension, text_of(range.since), text_of(range.until), bool_text(bh)});
    if (dimension != "label") return json_reply(entity_json(rows, {}));
    // The label summary has its own key order and reports missing averages as 0.
    Json out = Json::array();
    for (const auto& row : rows) {
        out.push_back(Json{{"id", row["id"].as<long long>()},
                           {"name", text_json(row["name"])},
                           {"conversations_count", count_json(row["conversations_count"])},
                           {"avg_resolution_time", zero_or_float(row["avg_resolution_time"])},
                           {"avg_first_response_time", zero_or_float(row["avg_first_response_time"])},
                           {"avg_reply_time", zero_or_float(row["avg_reply_time"])},
                           {"resolved_conversations_count", count_json(row["resolved_conversations_count"])}});
    }
    return json_reply(out);
}

Reply channel_summary(RequestContext& ctx) {
    ctx.authenticate();
    ctx.require_administrator();
    const TimeRange range = parse_range(ctx);
    if (range.since && range.until && *range.until - *range.since > kSixMonths)
        throw error_with(422, "Date range cannot exceed 6 months");
    const auto rows = ctx.exec("channel_summary", {ctx.account(), text_of(range.since), text_of(range.until)});
    Json out = Json::object();
    for (const auto& row : rows) {
        const std::string channel = row["channel_type"].is_null() ? "" : row["channel_type"].as<std::string>();
        out[channel] = Json{{"open", count_json(row["open"])},
                            {"resolved", count_json(row["resolved"])},
                            {"pending", count_json(row["pending"])},
                            {"snoozed", count_json(row["snoozed"])},
                            {"total", count_json(row["total"])}};
    }
    return json_reply(out);
}

// Chatwoot loads the conversations (team lookup) and validates group_by before it authorizes,
// so a member who is not an administrator sees 404/422 for those mistakes, then 401.
std::optional<std::int64_t> live_team(RequestContext& ctx) {
    const auto raw = ctx.query().get("team_id");
    if (!raw) return std::nullopt;
    const std::int64_t team = parse_id("team_id", *raw);
    require_entity(ctx, "team", team);
    return team;
}

Reply conversation_metrics(RequestContext& ctx) {
    ctx.authenticate();
    const auto team = live_team(ctx);
    ctx.require_administrator();
    const auto r = ctx.exec("conversation_metrics", {ctx.account(), text_of(team)});
    const auto row = r[0];
    return json_reply(Json{{"open", count_json(row["open"])},
                           {"unattended", count_json(row["unattended"])},
                           {"unassigned", count_json(row["unassigned"])},
                           {"pending", count_json(row["pending"])}});
}

Reply grouped_conversation_metrics(RequestContext& ctx) {
    ctx.authenticate();
    const auto team = live_team(ctx);
    const auto group_by = ctx.query().get("group_by");
    if (!group_by || (*group_by != "team_id" && *group_by != "assignee_id"))
        throw error_with(422, "invalid group_by");
    ctx.require_administrator();
    const auto rows = ctx.exec("grouped_conversation_metrics", {ctx.account(), *group_by, text_of(team)});
    Json out = Json::array();
    for (const auto& row : rows) {
        const Json group = row["group_id"].is_null() ? Json(nullptr) : Json(row["group_id"].as<long long>());
        out.push_back(Json{{"open", count_json(row["open"])},
                           {"unattended", count_json(row["unattended"])},
                           {"unassigned", count_json(row["unassigned"])},
                           {*group_by, group}});
    }
    return json_reply(out);
}

}  // namespace

void add_summary_and_live_routes(RouteTable& t) {
    const std::string summary = "/api/v2/accounts/:account_id/summary_reports/";
    for (const char* dimension : {"agent", "team", "inbox", "label"}) {
        const std::string d = dimension;
        t.get(summary + d, [d](RequestContext& ctx) { return dimension_summary(ctx, d); });
    }
    t.get(summary + "channel", channel_summary);
    const std::string live = "/api/v2/accounts/:account_id/live_reports/";
    t.get(live + "conversation_metrics", conversation_metrics);
    t.get(live + "grouped_conversation_metrics", grouped_conversation_metrics);
}

}  // namespace support_reports::api
