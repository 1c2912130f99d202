// SLA: /api/v1/accounts/:account_id/applied_slas{,/metrics,/download} (Chatwoot enterprise's
// AppliedSlasController), from reports.sla_responses and reports.sla_metrics.
#include "routes_common.hpp"

namespace support_reports::api {

namespace {

// $1..$8 of the sla statements, as reports.sla_responses takes them.
Params parse_filters(RequestContext& ctx) {
    const auto& q = ctx.query();
    TimeRange range = parse_range(ctx);
    // Chatwoot filters by date only when both ends are given.
    if (!range.since || !range.until) range = TimeRange{};
    std::optional<std::string> agents;
    if (auto agent = single_id_filter(ctx, "assigned_agent_id")) agents = "{" + *agent + "}";
    return {ctx.account(),
            text_of(range.since),
            text_of(range.until),
            single_id_filter(ctx, "sla_policy_id"),
            agents,
            single_id_filter(ctx, "inbox_id"),
            single_id_filter(ctx, "team_id"),
            q.get("label_list")};
}

// Administrators only: Chatwoot's SLA policy, unlike the report policy, does not admit custom roles.
void sla_admin(RequestContext& ctx) {
    ctx.authenticate();
    if (!ctx.is_administrator()) throw error_with(401, "You are not authorized to do this action");
}

// A database without Chatwoot's SLA tables answers as a Chatwoot without SLAs: not found.
pqxx::result exec_sla(RequestContext& ctx, const std::string& statement, const Params& params) {
    try {
        return ctx.exec(statement, params);
    } catch (const pqxx::sql_error& e) {
        if (e.sqlstate() == "42P01") throw not_found();
        throw;
    }
}

Json epoch_or_null(const pqxx::field& f) { return f.is_null() ? Json(nullptr) : Json(f.as<long long>()); }

Json item_json(const pqxx::row& row) {
    Json applied{{"id", row["id"].as<long long>()},
                 {"sla_id", row["sla_id"].as<long long>()},
                 {"sla_status", row["sla_status"].as<std::string>()},
                 {"created_at", row["created_at"].as<long long>()},
                 {"updated_at", row["updated_at"].as<long long>()},
                 {"sla_description", text_json(row["sla_description"])},
                 {"sla_name", text_json(row["sla_name"])},
                 {"sla_first_response_time_threshold", float_json(row["first_response_time_threshold"])},
                 {"sla_next_response_time_threshold", float_json(row["next_response_time_threshold"])},
                 {"sla_only_during_business_hours", row["only_during_business_hours"].as<bool>()},
                 {"sla_resolution_time_threshold", float_json(row["resolution_time_threshold"])},
                 {"sla_frt_due_at", epoch_or_null(row["frt_due_at"])},
                 {"sla_nrt_due_at", epoch_or_null(row["nrt_due_at"])},
                 {"sla_rt_due_at", epoch_or_null(row["rt_due_at"])}};
    Json conversation{{"id", row["conversation_display_id"].as<long long>()},
                      {"contact", Json{{"name", text_json(row["contact_name"])}}},
                      {"labels", text_json(row["labels"])}};
    if (!row["assignee_id"].is_null()) {
        conversation["assignee"] = Json{{"id", row["assignee_id"].as<long long>()},
                                        {"name", text_json(row["assignee_name"])},
                                        {"available_name", text_json(row["assignee_available_name"])},
                                        {"avatar_url", ""},
                                        {"type", "user"},
                                        {"availability_status", text_json(row["assignee_availability"])},
                                        {"thumbnail", ""}};
    }
    // The extension gives the breaches as jsonb (keys sorted); Chatwoot's key order is restored here.
    Json events = Json::array();
    for (const auto& e : Json::parse(row["sla_events"].c_str())) {
        events.push_back(Json{{"id", e["id"]}, {"event_type", e["event_type"]}, {"meta", e["meta"]},
                              {"updated_at", e["updated_at"]}, {"created_at", e["created_at"]}});
    }
    return Json{{"applied_sla", std::move(applied)}, {"conversation", std::move(conversation)},
                {"sla_events", std::move(events)}};
}

Reply index(RequestContext& ctx) {
    sla_admin(ctx);
    Params params = parse_filters(ctx);
    const auto page_text = ctx.query().get("page");
    const std::int64_t page = page_text ? std::max<std::int64_t>(1, parse_int_in("page", *page_text, -1000000, 1000000)) : 1;
    const auto metrics = exec_sla(ctx, "sla_metrics", params)[0];
    params.push_back(std::to_string((page - 1) * 25));
    Json payload = Json::array();
    for (const auto& row : exec_sla(ctx, "sla_missed_page", params)) payload.push_back(item_json(row));
    // Chatwoot echoes params[:page] as sent (a string), else 1.
    return json_reply(Json{{"payload", std::move(payload)},
                           {"meta", Json{{"count", count_json(metrics["number_of_sla_misses"])},
                                         {"current_page", page_text ? Json(*page_text) : Json(1)}}}});
}

Reply metrics(RequestContext& ctx) {
    sla_admin(ctx);
    const auto row = exec_sla(ctx, "sla_metrics", parse_filters(ctx))[0];
    const long long misses = row["number_of_sla_misses"].as<long long>();
    // Chatwoot's string: "100%" without misses, else the Ruby float rounded to 2 decimals ("40.0%").
    const std::string hit_rate = misses == 0 ? "100%" : Json(row["hit_rate"].as<double>()).dump() + "%";
    return json_reply(Json{{"total_applied_slas", count_json(row["number_of_conversations"])},
                           {"number_of_sla_misses", misses},
                           {"hit_rate", hit_rate}});
}

Reply download(RequestContext& ctx) {
    sla_admin(ctx);
    const auto rows = exec_sla(ctx, "sla_missed_all", parse_filters(ctx));
    const std::string link_base = ctx.config().frontend_url + "/app/accounts/" + ctx.account() + "/conversations/";
    auto text = [](const pqxx::field& f) { return f.is_null() ? std::optional<std::string>() : f.as<std::string>(); };
    // Chatwoot's layout: the header, two empty lines, then each row indented by two spaces and
    // followed by an empty line.
    std::string csv = csv_line({std::string("Conversation ID"), std::string("SLA Policy"), std::string("Assignee"),
                                std::string("Team"), std::string("Inbox"), std::string("Labels"),
                                std::string("Link to the Conversation"), std::string("Breached Events")}) +
                      "\n\n";
    for (const auto& row : rows) {
        const std::string display_id = row["conversation_display_id"].as<std::string>();
        csv += "  " + csv_line({display_id, text(row["sla_name"]), text(row["assignee_name"]), text(row["team_name"]),
                                text(row["inbox_name"]), text(row["labels"]), link_base + display_id,
                                row["breached_events"].as<std::string>()}) +
               "\n";
    }
    return csv_reply(std::move(csv), "breached_conversation");
}

}  // namespace

void add_sla_routes(RouteTable& t) {
    const std::string base = "/api/v1/accounts/:account_id/applied_slas";
    t.get(base, index);
    t.get(base + "/metrics", metrics);
    t.get(base + "/download", download);
}

}  // namespace support_reports::api
