#include "routes_common.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <map>

#include "zones.hpp"

namespace support_reports::api {

TimeRange parse_range(const RequestContext& ctx) {
    TimeRange r;
    if (auto v = ctx.query().get("since")) r.since = parse_unix_seconds("since", *v);
    if (auto v = ctx.query().get("until")) r.until = parse_unix_seconds("until", *v);
    if (r.since && r.until && *r.since >= *r.until) {
        throw invalid_parameter(422, "since", "since (" + std::to_string(*r.since) + ") must be earlier than until (" +
                                                  std::to_string(*r.until) + ")");
    }
    return r;
}

std::optional<std::string> text_of(const std::optional<std::int64_t>& v) {
    return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
}

std::string bool_text(bool b) { return b ? "true" : "false"; }

void require_entity(RequestContext& ctx, const std::string& type, std::int64_t id) {
    if (id > INT_MAX) throw not_found();  // every id the reports take is an int
    const auto r = ctx.exec("entity_exists", {ctx.account(), type, std::to_string(id)});
    if (r.empty() || !r[0][0].as<bool>()) throw not_found();
}

Scope parse_scope(RequestContext& ctx) {
    Scope s;
    if (auto t = ctx.query().get("type")) s.type = *t;
    check_one_of("type", s.type, {"account", "agent", "inbox", "label", "team"});
    if (s.type == "account") return s;
    const auto id = ctx.query().get("id");
    if (!id) throw invalid_parameter(422, "id", "id is required for type " + s.type);
    s.id = parse_id("id", *id);
    require_entity(ctx, s.type, *s.id);
    return s;
}

std::string resolve_zone(RequestContext& ctx) {
    if (auto tz = ctx.query().get("timezone")) {
        if (const RailsZone* z = rails_zone_named(*tz)) return z->iana;
        return *tz;  // an IANA name; the SQL function rejects unknown ones (422 timezone)
    }
    const auto offset = ctx.query().get("timezone_offset");
    if (!offset) return "UTC";
    const int seconds = parse_offset_seconds("timezone_offset", *offset);
    ctx.rename_sql_parameter("tz", "timezone_offset");

    static const std::string kZoneList = [] {
        std::string s = "{";
        for (const auto& name : rails_zone_ianas()) s += (s.size() > 1 ? ",\"" : "\"") + name + "\"";
        return s + "}";
    }();
    const auto rows = ctx.exec("zone_offsets", {kZoneList});
    std::map<std::string, int> now;
    for (const auto& row : rows) now[row[0].as<std::string>()] = row[1].as<int>();
    const RailsZone* zone = tz_current(seconds, [&](const std::string& iana) -> std::optional<int> {
        const auto it = now.find(iana);
        return it == now.end() ? std::nullopt : std::optional<int>(it->second);
    });
    return zone ? zone->iana : fixed_offset_zone(seconds);
}

Format negotiate(const RequestContext& ctx, Format default_format, bool accept_counts) {
    if (auto f = ctx.query().get("format")) {
        if (*f == "csv") return Format::Csv;
        if (*f == "json") return Format::Json;
        throw invalid_parameter(422, "format", "format must be csv or json");
    }
    if (ctx.format_suffix() == "csv") return Format::Csv;
    if (ctx.format_suffix() == "json") return Format::Json;
    if (accept_counts) {
        if (auto accept = ctx.header("Accept")) {
            std::string a = *accept;
            std::transform(a.begin(), a.end(), a.begin(), [](unsigned char c) { return std::tolower(c); });
            if (a.find("text/csv") != std::string::npos) return Format::Csv;
        }
    }
    return default_format;
}

std::string period_text(const TimeRange& range) {
    return "Reporting period " + (range.since ? utc_date(*range.since) : std::string()) + " to " +
           (range.until ? utc_date(*range.until) : std::string());
}

std::string report_csv(const TimeRange& range, const std::vector<std::optional<std::string>>& header,
                       const std::vector<std::vector<std::optional<std::string>>>& rows) {
    std::string out = csv_line({period_text(range)}) + "\n\n" + csv_line(header);
    for (const auto& row : rows) out += csv_line(row);
    return out;
}

std::optional<std::string> id_filter(const std::vector<std::int64_t>& ids) {
    if (ids.empty()) return std::nullopt;
    std::vector<std::int64_t> in_range;
    for (auto id : ids)
        if (id <= INT_MAX) in_range.push_back(id);
    return pg_int_array(in_range);
}

std::optional<std::string> single_id_filter(const RequestContext& ctx, const char* name) {
    const auto v = ctx.query().get(name);
    if (!v) return std::nullopt;
    const std::int64_t id = parse_id(name, *v);
    return std::to_string(id <= INT_MAX ? id : 0);
}

Json metrics_json(const pqxx::row& row) {
    return Json{{"conversations_count", count_json(row["conversations_count"])},
                {"resolved_conversations_count", count_json(row["resolved_conversations_count"])},
                {"avg_resolution_time", float_json(row["avg_resolution_time"])},
                {"avg_first_response_time", float_json(row["avg_first_response_time"])},
                {"avg_reply_time", float_json(row["avg_reply_time"])}};
}

void add_outcome_metrics(Json& block, const pqxx::row& row, const std::string& prefix) {
    for (const char* key : {"median_first_response_time", "p90_first_response_time", "median_resolution_time",
                            "p90_resolution_time", "median_reply_time", "p90_reply_time"}) {
        block[key] = float_json(row[prefix + key]);
    }
    block["reopened_count"] = count_json(row[prefix + "reopened_count"]);
    block["reopen_rate"] = float_json(row[prefix + "reopen_rate"]);
    block["one_touch_resolution_rate"] = float_json(row[prefix + "one_touch_resolution_rate"]);
}

Json entity_json(const pqxx::result& rows, std::initializer_list<const char*> text_columns, bool seed_fields) {
    Json out = Json::array();
    for (const auto& row : rows) {
        Json a{{"id", row["id"].as<long long>()}};
        for (const char* column : text_columns) a[column] = text_json(row[column]);
        a.update(metrics_json(row));
        if (seed_fields) {
            // the seed's entity fields, beside Chatwoot's
            a["incoming_messages_count"] = count_json(row["incoming_messages_count"]);
            a["outgoing_messages_count"] = count_json(row["outgoing_messages_count"]);
            a["resolutions_count"] = count_json(row["resolutions_count"]);
            add_outcome_metrics(a, row, "");
        }
        out.push_back(std::move(a));
    }
    return out;
}

Json zero_or_float(const pqxx::field& f) {
    if (f.is_null()) return 0;
    const double v = f.as<double>();
    return v == 0 ? Json(0) : Json(v);
}

Json count_json(const pqxx::field& f) { return f.is_null() ? Json(0) : Json(f.as<long long>()); }

Json float_json(const pqxx::field& f) { return f.is_null() ? Json(nullptr) : Json(f.as<double>()); }

Json text_json(const pqxx::field& f) { return f.is_null() ? Json(nullptr) : Json(f.as<std::string>()); }

std::optional<double> opt_double(const pqxx::field& f) {
    return f.is_null() ? std::nullopt : std::optional<double>(f.as<double>());
}

std::optional<std::string> opt_text(const pqxx::field& f) {
    return f.is_null() ? std::nullopt : std::optional<std::string>(f.as<std::string>());
}

std::string count_text(const pqxx::field& f) { return f.is_null() ? "0" : f.as<std::string>(); }

std::string required(const RequestContext& ctx, const std::string& name) {
    auto v = ctx.query().get(name);
    if (!v) throw invalid_parameter(422, name, name + " is required");
    return *v;
}

void check_one_of(const std::string& name, const std::string& value, const std::vector<std::string>& allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
    std::string list;
    for (std::size_t i = 0; i < allowed.size(); ++i) list += (i ? ", " : "") + allowed[i];
    throw invalid_parameter(422, name, "invalid " + name + " \"" + value.substr(0, 64) + "\"; valid values are " + list);
}

}  // namespace support_reports::api
