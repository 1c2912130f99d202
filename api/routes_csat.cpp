// CSAT: /api/v1/accounts/:account_id/csat_survey_responses{,/metrics,/download} (Chatwoot) and
// /api/v2/accounts/:account_id/reports/csat (the seed's metrics with a per-agent breakdown).
#include "routes_common.hpp"

namespace support_reports::api {

namespace {

struct CsatFilters {
    TimeRange range;
    Params params;  // $1..$7 of the csat statements
};

// since/until (optional), user_ids[], inbox_id, team_id and rating (one value or rating[]).
CsatFilters parse_filters(RequestContext& ctx) {
    CsatFilters f;
    const auto& q = ctx.query();
    f.range = parse_range(ctx);
    std::vector<std::int64_t> ratings;
    for (const auto& r : q.get_all("rating")) ratings.push_back(parse_int_in("rating", r, -1000000, 1000000));
    std::optional<std::string> rating_array;
    if (!ratings.empty()) rating_array = pg_int_array(ratings);
    f.params = {ctx.account(),
                text_of(f.range.since),
                text_of(f.range.until),
                id_filter(parse_id_list("user_ids[]", q.get_all("user_ids"))),
                single_id_filter(ctx, "inbox_id"),
                single_id_filter(ctx, "team_id"),
                rating_array};
    return f;
}

// `sort=created_at` lists oldest first; `-created_at` (the dashboard's) and no sort, newest first.
std::string oldest_first(const RequestContext& ctx) {
    const auto sort = ctx.query().get("sort");
    if (!sort) return "false";
    check_one_of("sort", *sort, {"created_at", "-created_at"});
    return *sort == "created_at" ? "true" : "false";
}

Json parsed_json(const pqxx::field& f) {
    if (f.is_null()) return Json::object();
    Json j = Json::parse(f.c_str(), nullptr, false);
    return j.is_discarded() ? Json::object() : j;
}

Json epoch_json(const pqxx::field& f) { return f.is_null() ? Json(nullptr) : Json(f.as<long long>()); }

Reply index(RequestContext& ctx) {
    ctx.authenticate();
    ctx.require_administrator();
    CsatFilters f = parse_filters(ctx);
    std::int64_t page = 1;
    if (auto p = ctx.query().get("page")) page = std::max<std::int64_t>(1, parse_int_in("page", *p, -1000000, 1000000));
    f.params.push_back(oldest_first(ctx));
    f.params.push_back(std::to_string((page - 1) * 25));
    const auto rows = ctx.exec("csat_index", f.params);
    Json out = Json::array();
    for (const auto& row : rows) {
        Json item{{"id", row["id"].as<long long>()},
                  {"rating", row["rating"].as<int>()},
                  {"feedback_message", text_json(row["feedback_message"])},
                  {"csat_review_notes", text_json(row["csat_review_notes"])},
                  {"review_notes_updated_at", epoch_json(row["review_notes_updated_at"])}};
        if (!row["review_notes_updated_by_id"].is_null()) {
            item["review_notes_updated_by"] = Json{{"id", row["review_notes_updated_by_id"].as<long long>()},
                                                   {"name", text_json(row["review_notes_updated_by_name"])}};
        }
        item["account_id"] = ctx.account_id();
        item["message_id"] = row["message_id"].as<long long>();
        if (!row["contact_id"].is_null()) {
            item["contact"] = Json{{"additional_attributes", parsed_json(row["contact_additional_attributes"])},
                                   {"availability_status", "offline"},  // presence lives in Redis
                                   {"email", text_json(row["contact_email"])},
                                   {"id", row["contact_id"].as<long long>()},
                                   {"name", text_json(row["contact_name"])},
                                   {"phone_number", text_json(row["contact_phone_number"])},
                                   {"blocked", row["contact_blocked"].is_null() ? false : row["contact_blocked"].as<bool>()},
                                   {"identifier", text_json(row["contact_identifier"])},
                                   {"thumbnail", ""},
                                   {"custom_attributes", parsed_json(row["contact_custom_attributes"])},
                                   {"last_activity_at", epoch_json(row["contact_last_activity_at"])},
                                   {"created_at", epoch_json(row["contact_created_at"])}};
        }
        item["conversation_id"] = row["conversation_display_id"].as<long long>();
        if (!row["agent_id"].is_null()) {
            const std::string name = row["agent_name"].is_null() ? "" : row["agent_name"].as<std::string>();
            const std::string display = row["agent_display_name"].is_null() ? "" : row["agent_display_name"].as<std::string>();
            item["assigned_agent"] = Json{
                {"id", row["agent_id"].as<long long>()},
                {"account_id", ctx.account_id()},
                {"availability_status", text_json(row["agent_availability"])},
                {"auto_offline", row["agent_auto_offline"].is_null() ? true : row["agent_auto_offline"].as<bool>()},
                {"confirmed", row["agent_confirmed"].as<bool>()},
                {"email", text_json(row["agent_email"])},
                {"provider", text_json(row["agent_provider"])},
                {"available_name", display.empty() ? name : display},
                {"custom_attributes", parsed_json(row["agent_custom_attributes"])},
                {"name", name},
                {"role", row["agent_role"].is_null() ? Json(nullptr)
                                                     : Json(row["agent_role"].as<int>() == 1 ? "administrator" : "agent")},
                {"thumbnail", ""}};
        }
        item["created_at"] = row["created_at"].as<long long>();
        out.push_back(std::move(item));
    }
    return json_reply(out);
}

Reply metrics(RequestContext& ctx) {
    ctx.authenticate();
    ctx.require_administrator();
    const CsatFilters f = parse_filters(ctx);
    const auto row = ctx.exec("csat_metrics", f.params)[0];
    Json ratings = Json::object();
    for (int i = 1; i <= 5; ++i) {
        const long long n = row["rating_" + std::to_string(i)].as<long long>();
        if (n > 0) ratings[std::to_string(i)] = n;  // Chatwoot lists only ratings that occur
    }
    return json_reply(Json{{"total_count", count_json(row["total_count"])},
                           {"ratings_count", ratings},
                           {"total_sent_messages_count", count_json(row["total_sent_messages_count"])}});
}

Reply download(RequestContext& ctx) {
    ctx.authenticate();
    ctx.require_administrator();
    const Format format = negotiate(ctx, Format::Csv, false);
    CsatFilters f = parse_filters(ctx);
    f.params.push_back(oldest_first(ctx));
    const auto rows = ctx.exec("csat_download", f.params);
    const std::string link_base = ctx.config().frontend_url + "/app/accounts/" + ctx.account() + "/conversations/";
    auto presence = [](const pqxx::field& field) -> std::optional<std::string> {
        if (field.is_null()) return std::nullopt;
        std::string s = field.as<std::string>();
        if (s.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;  // Rails' presence
        return s;
    };
    auto agent = [](const pqxx::row& row) -> std::optional<std::string> {
        if (row["assigned_agent_id"].is_null() || row["agent_name"].is_null()) return std::nullopt;
        return row["agent_name"].as<std::string>() + " (" +
               (row["agent_email"].is_null() ? std::string() : row["agent_email"].as<std::string>()) + ")";
    };
    if (format == Format::Json) {
        Json out = Json::array();
        for (const auto& row : rows) {
            out.push_back(Json{{"agent", agent(row) ? Json(*agent(row)) : Json(nullptr)},
                               {"rating", row["rating"].as<int>()},
                               {"feedback_message", text_json(row["feedback_message"])},
                               {"contact_name", text_json(row["contact_name"])},
                               {"contact_email", text_json(row["contact_email"])},
                               {"contact_phone_number", text_json(row["contact_phone_number"])},
                               {"conversation_url", link_base + row["conversation_display_id"].as<std::string>()},
                               {"created_at", row["created_at"].as<long long>()}});
        }
        return json_reply(out);
    }
    std::string csv = csv_line({std::string("Agent Name"), std::string("Rating"), std::string("Feedback Comment"),
                                std::string("Contact Name"), std::string("Contact Email Address"),
                                std::string("Contact Phone Number"), std::string("Link to the conversation"),
                                std::string("Recorded date")});
    for (const auto& row : rows) {
        csv += csv_line({agent(row), row["rating"].as<std::string>(), presence(row["feedback_message"]),
                         presence(row["contact_name"]), presence(row["contact_email"]),
                         presence(row["contact_phone_number"]),
                         link_base + row["conversation_display_id"].as<std::string>(),
                         row["recorded_at"].as<std::string>()});
    }
    // Chatwoot ends the file with the period; without since/until it has none to print.
    if (f.range.since && f.range.until) csv += csv_line({period_text(f.range)});
    return csv_reply(std::move(csv), "csat_report");
}

Json ratings_json(const pqxx::row& row) {
    Json r = Json::object();
    for (int i = 1; i <= 5; ++i) r[std::to_string(i)] = count_json(row["rating_" + std::to_string(i)]);
    return r;
}

Reply csat_report(RequestContext& ctx) {
    ctx.authenticate();
    ctx.require_administrator();
    const CsatFilters f = parse_filters(ctx);
    const auto row = ctx.exec("csat_metrics", f.params)[0];
    Json out{{"total_count", count_json(row["total_count"])},
             {"total_sent_messages_count", count_json(row["total_sent_messages_count"])},
             {"satisfaction_score", float_json(row["satisfaction_score"])},
             {"average_rating", float_json(row["average_rating"])},
             {"response_rate", float_json(row["response_rate"])},
             {"ratings_count", ratings_json(row)}};
    Json agents = Json::array();
    for (const auto& a : ctx.exec("csat_by_agent", f.params)) {
        agents.push_back(Json{{"agent_id", a["agent_id"].is_null() ? Json(nullptr) : Json(a["agent_id"].as<long long>())},
                              {"agent_name", text_json(a["agent_name"])},
                              {"agent_email", text_json(a["agent_email"])},
                              {"total_count", count_json(a["total_count"])},
                              {"satisfaction_score", float_json(a["satisfaction_score"])},
                              {"average_rating", float_json(a["average_rating"])},
                              {"ratings_count", ratings_json(a)},
                              // the seed's fields (average_rating above has its 2 decimals from SQL)
                              {"total_responses", count_json(a["total_responses"])},
                              {"positive_count", count_json(a["positive_count"])},
                              {"negative_count", count_json(a["negative_count"])}});
    }
    out["by_agent"] = std::move(agents);
    return json_reply(out);
}

}  // namespace

void add_csat_routes(RouteTable& t) {
    const std::string base = "/api/v1/accounts/:account_id/csat_survey_responses";
    t.get(base, index);
    t.get(base + "/metrics", metrics);
    t.get(base + "/download", download);
    t.get("/api/v2/accounts/:account_id/reports/csat", csat_report);
}

}  // namespace support_reports::api
