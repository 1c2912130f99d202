#include "http_util.hpp"

namespace support_reports::api {

Reply json_reply(const Json& body, int status) {
    Reply r;
    r.status = status;
    r.body = dump_json(body);
    return r;
}

Reply csv_reply(std::string body, const std::string& filename) {
    Reply r;
    r.body = std::move(body);
    r.content_type = "text/csv";
    r.headers.emplace_back("Content-Disposition", "attachment; filename=" + filename + ".csv");
    return r;
}

ApiError error_with(int status, const std::string& message) { return ApiError(status, Json{{"error", message}}); }

ApiError not_found() { return error_with(404, "Resource could not be found"); }

ApiError invalid_parameter(int status, const std::string& parameter, const std::string& message) {
    return ApiError(status, Json{{"error", "invalid parameter"}, {"parameter", parameter}, {"message", message}});
}

ApiError from_param_error(const ParamError& e) { return invalid_parameter(e.status(), e.parameter(), e.what()); }

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

PgMessage parse_pg_message(std::string_view what) {
    PgMessage out;
    std::size_t pos = 0;
    bool first = true;
    while (pos < what.size()) {
        std::size_t nl = what.find('\n', pos);
        if (nl == std::string_view::npos) nl = what.size();
        std::string_view line = what.substr(pos, nl - pos);
        pos = nl + 1;
        if (first) {
            first = false;
            for (std::string_view level : {"ERROR:", "FATAL:", "PANIC:"})
                if (starts_with(line, level)) line.remove_prefix(level.size());
            out.message = std::string(trim(line));
        } else if (starts_with(line, "HINT:")) {
            line.remove_prefix(5);
            out.hint = std::string(trim(line));
        } else if (starts_with(line, "DETAIL:") || starts_with(line, "CONTEXT:") || starts_with(line, "LINE ") ||
                   starts_with(line, "QUERY:")) {
            // DETAIL may be useful but CONTEXT/QUERY/LINE carry SQL text; keep only the first two.
            if (!starts_with(line, "DETAIL:")) break;
        }
    }
    return out;
}

std::optional<std::string> parameter_in_message(std::string_view message) {
    constexpr std::string_view kPrefix = "invalid ";
    if (!starts_with(message, kPrefix)) return std::nullopt;
    message.remove_prefix(kPrefix.size());
    std::size_t n = 0;
    while (n < message.size() && ((message[n] >= 'a' && message[n] <= 'z') || message[n] == '_' ||
                                  (message[n] >= '0' && message[n] <= '9')))
        ++n;
    // The extension writes `invalid <name>: ...` or `invalid <name> "<value>"`; Postgres' own
    // messages ("invalid input syntax for ...") have neither shape.
    const std::string_view rest = message.substr(n);
    if (n == 0 || !(starts_with(rest, ":") || starts_with(rest, " \""))) return std::nullopt;
    return std::string(message.substr(0, n));
}

DbErrorKind classify_sqlstate(std::string_view s) {
    if (s.size() != 5) return DbErrorKind::Internal;
    if (s.substr(0, 2) == "22" || s == "54000") return DbErrorKind::Client;
    if (s == "57014") return DbErrorKind::Timeout;
    // connection exceptions, admin shutdown / crash shutdown / cannot connect now, too many connections
    if (s.substr(0, 2) == "08" || s == "57P01" || s == "57P02" || s == "57P03" || s == "53300")
        return DbErrorKind::Unavailable;
    return DbErrorKind::Internal;
}

ApiError client_error_from_sql(std::string_view sqlstate, std::string_view what,
                               const std::map<std::string, std::string>& renames,
                               const std::string& fallback_parameter) {
    const PgMessage pg = parse_pg_message(what);
    std::optional<std::string> named = parameter_in_message(pg.message);
    std::string message = pg.message;
    if (!named && sqlstate == "22008") {
        // "timestamp out of range" from arithmetic on the request's range (a report's previous
        // period, a bucket past the end of time) names no argument; the range is what to change.
        named = "since";
        message = "since/until: the range reaches outside the timestamps Postgres supports (4713 BC to 294276 AD, "
                  "including the previous period of equal length): " + pg.message;
    }
    std::string parameter = named.value_or(fallback_parameter);
    if (auto it = renames.find(parameter); it != renames.end()) parameter = it->second;
    Json body{{"error", "invalid parameter"}, {"parameter", parameter}, {"message", message}};
    if (!pg.hint.empty()) body["hint"] = pg.hint;
    // class 22 and 54000 alike: the request is well-formed but not acceptable
    return ApiError(422, std::move(body));
}

}  // namespace support_reports::api
