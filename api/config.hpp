// Command line and environment of reports-server. Pure C++, unit-tested in tests/api.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace support_reports::api {

struct Config {
    std::string db;                 // libpq conninfo or URL; empty = libpq's defaults (PGHOST, ...)
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;      // 0 = any free port (logged at startup)
    int threads = 4;                // database workers = connections = reports running at once
    int statement_timeout_ms = 15000;
    int queue_timeout_ms = 30000;   // how long a request may wait for a free worker (0 = no limit)
    int max_buckets = 10000;        // timeseries buckets one request may ask for
    int drain_timeout_ms = 30000;   // how long SIGTERM waits for in-flight requests
    int rollup_interval_s = 300;
    int max_connections = 1024;     // open client connections; more are answered 503 and closed
    int header_timeout_ms = 10000;  // a request (line, headers, body) must arrive within this
    int idle_timeout_ms = 30000;    // an idle kept-alive connection is closed after this    // how often to run reports.refresh_rollup() (0 = never)
    std::string frontend_url = "http://localhost:3000";  // Chatwoot's FRONTEND_URL, for CSAT links
    // What /reports/agents answers when the request names no format: "auto" = Chatwoot's CSV to
    // the dashboard (session sign-in) and the seed's JSON to API tokens; "csv" or "json" for all.
    std::string agents_format = "auto";
    // The dashboard (web/), the OpenAPI document and the chart library, served without a token.
    // The defaults are this checkout's files (SR_SOURCE_DIR, set by CMake) and Debian's
    // libjs-chart.js; "" switches the dashboard off (its paths then answer 404).
    std::string web_root = default_web_root();
    std::string openapi_file = default_openapi_file();
    std::string chart_js = "/usr/share/javascript/chart.js/chart.min.js";

    static std::string default_web_root();
    static std::string default_openapi_file();
};

struct CliResult {
    // ListRoutes: print the route table's patterns, one a line, and exit (tests compare it with
    // docs/openapi.yaml).
    enum class Action { Run, Help, ListRoutes, Error } action = Action::Run;
    Config config;
    std::string message;  // the error for Action::Error
};

// Flags win over the environment (DATABASE_URL, PORT, FRONTEND_URL, WEB_ROOT). `getenv` is injected for tests.
CliResult parse_cli(const std::vector<std::string>& args,
                    const std::function<std::optional<std::string>(const char*)>& getenv);

std::string usage();

}  // namespace support_reports::api
