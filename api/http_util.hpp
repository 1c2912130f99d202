// What a route answers: a Reply, or an ApiError thrown from anywhere below the dispatcher. The
// mapping of database errors to HTTP answers lives here too. Pure C++ (no Pistache, no libpqxx).
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "params.hpp"
#include "render.hpp"

namespace support_reports::api {

struct Reply {
    int status = 200;
    std::string body;
    std::string content_type = "application/json; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;
};

Reply json_reply(const Json& body, int status = 200);
// `filename` without the .csv extension.
Reply csv_reply(std::string body, const std::string& filename);

// An answer other than 200, carrying its JSON body. Thrown by routes, auth and validation; the
// dispatcher turns it into a Reply.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, Json body)
        : std::runtime_error("api error"), status_(status), body_(std::move(body)) {}
    int status() const { return status_; }
    const Json& body() const { return body_; }

private:
    int status_;
    Json body_;
};

// {"error": message}
ApiError error_with(int status, const std::string& message);
// Chatwoot's 404 for a missing account or an id that is not the account's.
ApiError not_found();
// {"error":"invalid parameter","parameter":..., "message":...}
ApiError invalid_parameter(int status, const std::string& parameter, const std::string& message);
ApiError from_param_error(const ParamError& e);

// The primary message and the hint of a server error text as libpq formats it
// ("ERROR:  invalid metric \"x\"\nHINT:  Valid ...\nCONTEXT:  ..."). CONTEXT and anything after
// the first lines are dropped: they show function internals.
struct PgMessage {
    std::string message;
    std::string hint;
};
PgMessage parse_pg_message(std::string_view what);

// The parameter an extension error names: its messages start with "invalid <name>" ("invalid
// since: ...", "invalid metric \"x\""). nullopt when the message does not follow that pattern.
std::optional<std::string> parameter_in_message(std::string_view message);

// How a database error answers. `renames` maps the SQL argument names to this route's HTTP
// parameter names (tz -> timezone, scope -> type, ...). `fallback_parameter` names the parameter
// when the message does not.
enum class DbErrorKind { Client, Timeout, Unavailable, Internal };
DbErrorKind classify_sqlstate(std::string_view sqlstate);
ApiError client_error_from_sql(std::string_view sqlstate, std::string_view what,
                               const std::map<std::string, std::string>& renames,
                               const std::string& fallback_parameter);

}  // namespace support_reports::api
