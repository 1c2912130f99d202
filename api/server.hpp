// The request pipeline: the route table, the per-request context (parameters, auth, database
// lease) and the dispatcher that turns every outcome -- a reply, a client mistake, a database
// error, a bug -- into an HTTP answer. The HTTP connection handling is in http_server.cpp.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "db_pool.hpp"
#include "http_util.hpp"
#include "params.hpp"
#include "router.hpp"
#include "session_auth.hpp"
#include "static_files.hpp"

namespace support_reports::api {

class App;

// What a route sees of its request.
class RequestContext {
public:
    RequestContext(App& app, std::map<std::string, std::string> captures, QueryParams query, std::string format_suffix,
                   std::function<std::optional<std::string>(std::string_view)> header_lookup);

    const Config& config() const;
    const QueryParams& query() const { return query_; }
    const std::string& format_suffix() const { return format_suffix_; }
    std::optional<std::string> header(std::string_view name) const { return header_lookup_(name); }

    // Chatwoot's before_actions: the api_access_token header, else the dashboard's
    // devise_token_auth session headers (access-token, client, uid) checked against
    // users.tokens; then the account (404 unknown, 401 suspended), then the membership.
    // Throws ApiError.
    void authenticate();
    // Chatwoot's report policy: administrators, or members whose (enterprise) custom role has
    // report_manage (401 otherwise, as Chatwoot answers).
    void require_administrator();
    bool is_administrator() const { return role_ && *role_ == 1; }
    // Whether the caller signed in with the dashboard's session headers (not an API token).
    bool session_authenticated() const { return session_; }
    std::int64_t account_id() const { return account_id_; }
    std::string account() const { return std::to_string(account_id_); }

    pqxx::result exec(const std::string& statement, const Params& params);

    // How the dispatcher names parameters in errors raised by the SQL functions: their argument
    // names mapped to this route's parameters, and the parameter to name when the message names none.
    void rename_sql_parameter(const std::string& sql_name, const std::string& http_name) {
        renames_[sql_name] = http_name;
    }
    void set_fallback_parameter(std::string name) { fallback_parameter_ = std::move(name); }
    const std::map<std::string, std::string>& renames() const { return renames_; }
    const std::string& fallback_parameter() const { return fallback_parameter_; }

private:
    void authenticate_session();
    void check_membership(const pqxx::row& row, const std::string& raw_account, bool digits, bool in_range,
                          std::int64_t account);

    App& app_;
    std::map<std::string, std::string> captures_;
    QueryParams query_;
    std::string format_suffix_;
    std::function<std::optional<std::string>(std::string_view)> header_lookup_;
    std::optional<Pool::Lease> lease_;
    std::int64_t account_id_ = 0;
    std::optional<int> role_;
    bool report_manage_ = false;
    bool session_ = false;
    std::map<std::string, std::string> renames_;
    std::string fallback_parameter_ = "parameters";
};

using Handler = std::function<Reply(RequestContext&)>;

struct Route {
    PathPattern pattern;
    Handler handler;
};

class RouteTable {
public:
    void get(std::string_view pattern, Handler handler) { routes_.push_back({PathPattern(pattern), std::move(handler)}); }
    const Route* find(const std::vector<std::string>& segments, std::map<std::string, std::string>& captures) const;
    const std::vector<Route>& routes() const { return routes_; }

private:
    std::vector<Route> routes_;
};

// Route families (routes_*.cpp).
void add_report_routes(RouteTable& table);
void add_summary_and_live_routes(RouteTable& table);
void add_csat_routes(RouteTable& table);
void add_sla_routes(RouteTable& table);

// Every path the server answers besides the dashboard's files: "/health" and the route table's
// patterns ("/api/v2/accounts/:account_id/reports/summary"), in table order. `--list-routes`
// prints them; the OpenAPI test checks that docs/openapi.yaml describes each.
std::vector<std::string> api_route_patterns();

// One incoming request as the dispatcher needs it, independent of the HTTP layer.
struct IncomingRequest {
    std::string method;
    std::string path;
    std::string raw_query;
    std::function<std::optional<std::string>(std::string_view)> header;
};

class App {
public:
    explicit App(Config config);
    const Config& config() const { return config_; }
    Pool& pool() { return pool_; }
    SessionVerifier& sessions() { return sessions_; }

    // Answers one request; never throws. Runs on a database worker (one connection each).
    Reply handle(const IncomingRequest& request);

    // Shutdown: once draining, new requests answer 503; in_flight() counts those still running.
    void start_draining() { draining_ = true; }
    bool draining() const { return draining_; }
    int in_flight() const { return in_flight_.load(); }
    void enter() { ++in_flight_; }
    void leave() { --in_flight_; }

private:
    Reply dispatch(const IncomingRequest& request);

    Config config_;
    Pool pool_;
    SessionVerifier sessions_;
    RouteTable routes_;
    StaticSite site_;
    std::atomic<bool> draining_{false};
    std::atomic<int> in_flight_{0};
};

}  // namespace support_reports::api
