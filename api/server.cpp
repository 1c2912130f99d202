#include "server.hpp"

#include <cctype>
#include <climits>
#include <ctime>

#include "log.hpp"

namespace support_reports::api {

namespace {

// How long a request waits for a pooled connection. Workers and connections are one to one, so
// waiting means a connection is held outside a request: a bug, answered with 503 instead of a hang.
// (Waiting for a free worker is bounded separately, by --queue-timeout-ms.)
constexpr std::chrono::milliseconds kLeaseWait{5000};

bool token_chars_ok(const std::string& token) {
    if (token.size() > 512) return false;
    for (char c : token)
        if (c < 0x21 || c > 0x7e) return false;
    return true;
}

std::optional<std::string> opt_string(const pqxx::field& f) {
    return f.is_null() ? std::nullopt : std::optional<std::string>(f.as<std::string>());
}

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    return s.substr(i);
}

}  // namespace

// ---- RequestContext -----------------------------------------------------------------------------

RequestContext::RequestContext(App& app, std::map<std::string, std::string> captures, QueryParams query,
                               std::string format_suffix,
                               std::function<std::optional<std::string>(std::string_view)> header_lookup)
    : app_(app),
      captures_(std::move(captures)),
      query_(std::move(query)),
      format_suffix_(std::move(format_suffix)),
      header_lookup_(std::move(header_lookup)) {
    // The SQL functions' argument names that differ from the HTTP parameters.
    renames_ = {{"tz", "timezone"}, {"period", "group_by"}, {"scope", "type"},
                {"scope_id", "id"}, {"range", "since"},     {"edges", "edges[]"}};
}

const Config& RequestContext::config() const { return app_.config(); }

pqxx::result RequestContext::exec(const std::string& statement, const Params& params) {
    if (!lease_) lease_.emplace(app_.pool().acquire(kLeaseWait));
    return lease_->exec(statement, params);
}

namespace {

// Chatwoot checks the credentials before it looks at the account, so a bad account id is only
// reported to a caller who signed in. Returns the id, or -1 when it is not digits; `in_range`
// tells whether it can be an accounts.id at all.
std::int64_t account_in_path(const std::string& raw, bool& digits, bool& in_range) {
    digits = !raw.empty() && raw.size() <= 18;
    for (char c : raw) digits = digits && c >= '0' && c <= '9';
    const std::int64_t account = digits ? std::stoll(raw) : -1;
    in_range = account >= 1 && account <= INT_MAX;
    return account;
}

ApiError unauthenticated() {
    return ApiError(401, Json{{"errors", Json::array({"You need to sign in or sign up before continuing."})}});
}

}  // namespace

void RequestContext::authenticate() {
    // Rack maps both `api_access_token` and `Api-Access-Token` to the same header; the HTTP layer
    // keeps raw names (case-insensitively), so ask for both spellings. With this header present
    // the session headers are not looked at, as in Chatwoot.
    std::optional<std::string> token = header("api_access_token");
    if (!token || trim(*token).empty()) token = header("Api-Access-Token");
    if (token) token = trim(*token);
    if (!token || token->empty()) {
        authenticate_session();
        return;
    }
    if (!token_chars_ok(*token)) throw error_with(401, "Invalid Access Token");

    const std::string& raw_account = captures_.at("account_id");
    bool digits = false, in_range = false;
    const std::int64_t account = account_in_path(raw_account, digits, in_range);

    pqxx::result r;
    try {
        r = exec("auth", {*token, in_range ? std::to_string(account) : std::string("0")});
    } catch (const pqxx::data_exception&) {
        throw error_with(401, "Invalid Access Token");
    }
    if (r.empty()) throw error_with(401, "Invalid Access Token");
    const auto row = r[0];
    if (row["user_id"].is_null()) throw error_with(401, "Access to this endpoint is not authorized for bots");
    check_membership(row, raw_account, digits, in_range, account);
}

void RequestContext::authenticate_session() {
    const auto credentials = find_session_credentials(header_lookup_, [this](std::string_view name) {
        return query_.get(name);
    });
    if (!credentials || !token_chars_ok(credentials->access_token) || credentials->uid.size() > 512 ||
        credentials->client.size() > 512)
        throw unauthenticated();

    const std::string& raw_account = captures_.at("account_id");
    bool digits = false, in_range = false;
    const std::int64_t account = account_in_path(raw_account, digits, in_range);

    pqxx::result r;
    try {
        r = exec("session_auth", {credentials->uid, credentials->client,
                                  in_range ? std::to_string(account) : std::string("0")});
    } catch (const pqxx::data_exception&) {
        throw unauthenticated();  // a users.tokens value that is not JSON, or a bad updated_at
    }
    if (r.empty()) throw unauthenticated();
    const auto row = r[0];
    TokenEntry entry;
    entry.token = opt_string(row["token"]);
    entry.expiry = opt_string(row["expiry"]);
    entry.previous_token = opt_string(row["previous_token"]);
    entry.last_token = opt_string(row["last_token"]);
    entry.updated_recently = !row["updated_recently"].is_null() && row["updated_recently"].as<bool>();
    const std::int64_t user_id = row["user_id"].as<std::int64_t>();
    if (!app_.sessions().valid(user_id, *credentials, entry, static_cast<std::int64_t>(std::time(nullptr))))
        throw unauthenticated();
    session_ = true;
    check_membership(row, raw_account, digits, in_range, account);
}

void RequestContext::check_membership(const pqxx::row& row, const std::string& raw_account, bool digits,
                                      bool in_range, std::int64_t account) {
    if (!digits) {
        throw invalid_parameter(400, "account_id", "account_id must be a positive integer id, got \"" +
                                                        raw_account.substr(0, 64) + "\"");
    }
    if (!in_range || row["account_id"].is_null()) throw not_found();
    if (!row["account_status"].is_null() && row["account_status"].as<int>() == 1)
        throw error_with(401, "Account is suspended");
    if (row["role"].is_null()) throw error_with(401, "You are not authorized to access this account");
    account_id_ = account;
    role_ = row["role"].as<int>();
    report_manage_ = !row["report_manage"].is_null() && row["report_manage"].as<bool>();
}

void RequestContext::require_administrator() {
    if (is_administrator() || report_manage_) return;
    throw error_with(401, "You are not authorized to do this action");
}

// ---- routing ------------------------------------------------------------------------------------

const Route* RouteTable::find(const std::vector<std::string>& segments,
                              std::map<std::string, std::string>& captures) const {
    for (const auto& route : routes_) {
        if (auto m = route.pattern.match(segments)) {
            captures = std::move(*m);
            return &route;
        }
    }
    return nullptr;
}

// ---- App ----------------------------------------------------------------------------------------

namespace {

void add_all_routes(RouteTable& table) {
    add_report_routes(table);
    add_summary_and_live_routes(table);
    add_csat_routes(table);
    add_sla_routes(table);
}

// "/health" is answered by the dispatcher itself (it needs no account), before the table.
constexpr const char* kHealthPath = "/health";

}  // namespace

std::vector<std::string> api_route_patterns() {
    RouteTable table;
    add_all_routes(table);
    std::vector<std::string> out{kHealthPath};
    for (const auto& route : table.routes()) out.push_back(route.pattern.text());
    return out;
}

App::App(Config config)
    : config_(std::move(config)),
      pool_(config_.db, config_.threads, config_.statement_timeout_ms),
      site_(config_.web_root, {{"/openapi.yaml", config_.openapi_file}, {"/vendor/chart.js", config_.chart_js}}) {
    add_all_routes(routes_);
}

Reply App::handle(const IncomingRequest& request) {
    try {
        return dispatch(request);
    } catch (...) {
        log_line("internal error: unexpected exception while answering");
        return json_reply(Json{{"error", "internal server error"}}, 500);
    }
}

Reply App::dispatch(const IncomingRequest& request) {
    std::optional<RequestContext> ctx;  // outlives the try block: its lease and renames are used below
    try {
        std::vector<std::string> segments = split_path(request.path);
        const std::string suffix = strip_format_suffix(segments);
        const bool get = request.method == "GET";

        auto method_not_allowed = [] {
            Reply r = json_reply(Json{{"error", "method not allowed"}}, 405);
            r.headers.emplace_back("Allow", "GET");
            return r;
        };

        // The dashboard's files: every path outside /api/ and /health, without a token (they hold
        // no account data; the page's API calls carry the token).
        const bool api_path = request.path.rfind("/api/", 0) == 0;
        if (!api_path && request.path != kHealthPath) {
            if (request.method != "GET" && request.method != "HEAD") return method_not_allowed();
            if (auto reply = site_.serve(request.path, request.header("If-None-Match"))) return *reply;
            throw error_with(404, "no such route");
        }

        if (segments.size() == 1 && segments[0] == "health" && suffix.empty()) {
            if (!get) return method_not_allowed();
            try {
                Pool::Lease lease = pool_.acquire(kLeaseWait);
                lease.exec("health", {});
            } catch (const std::exception&) {
                return json_reply(Json{{"status", "unavailable"}, {"error", "database unavailable"}}, 503);
            }
            return json_reply(Json{{"status", "ok"}, {"database", "ok"}});
        }

        std::map<std::string, std::string> captures;
        const Route* route = routes_.find(segments, captures);
        if (!route) throw error_with(404, "no such route");
        if (!get) return method_not_allowed();
        QueryParams query = QueryParams::parse(request.raw_query);
        ctx.emplace(*this, std::move(captures), std::move(query), suffix, request.header);
        return route->handler(*ctx);
    } catch (const ApiError& e) {
        return json_reply(e.body(), e.status());
    } catch (const ParamError& e) {
        const ApiError err = from_param_error(e);
        return json_reply(err.body(), err.status());
    } catch (const DbUnavailable&) {
        return json_reply(Json{{"error", "database unavailable"}}, 503);
    } catch (const PoolExhausted&) {
        return json_reply(Json{{"error", "server busy"}}, 503);
    } catch (const pqxx::broken_connection&) {
        return json_reply(Json{{"error", "database unavailable"}}, 503);
    } catch (const pqxx::sql_error& e) {
        switch (classify_sqlstate(e.sqlstate())) {
            case DbErrorKind::Client: {
                static const std::map<std::string, std::string> kNone;
                const ApiError err = client_error_from_sql(e.sqlstate(), e.what(), ctx ? ctx->renames() : kNone,
                                                           ctx ? ctx->fallback_parameter() : "parameters");
                return json_reply(err.body(), err.status());
            }
            case DbErrorKind::Timeout:
                return json_reply(Json{{"error", "database timeout"},
                                       {"message", "the report took longer than the statement timeout"}},
                                  503);
            case DbErrorKind::Unavailable:
                return json_reply(Json{{"error", "database unavailable"}}, 503);
            case DbErrorKind::Internal:
                break;
        }
        log_line("database error " + e.sqlstate() + ": " + parse_pg_message(e.what()).message);
        return json_reply(Json{{"error", "internal server error"}}, 500);
    } catch (const std::exception& e) {
        log_line(std::string("internal error: ") + one_line(e.what()));
        return json_reply(Json{{"error", "internal server error"}}, 500);
    }
}

}  // namespace support_reports::api
