#include "config.hpp"

#include <limits>

#include <type_traits>

namespace support_reports::api {

namespace {

// An integer flag value within [min, max]; nullopt otherwise.
std::optional<long long> bounded(const std::string& v, long long min, long long max) {
    if (v.empty() || v.size() > 18) return std::nullopt;
    long long n = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    if (n < min || n > max) return std::nullopt;
    return n;
}

}  // namespace

std::string usage() {
    return "usage: reports-server [options]\n"
           "\n"
           "Serves Chatwoot-compatible report routes computed by the support_reports extension.\n"
           "\n"
           "  --db CONNINFO              libpq connection string or URL (env DATABASE_URL; default: libpq's\n"
           "                             PGHOST/PGPORT/... defaults)\n"
           "  --host ADDRESS             address to listen on (default 127.0.0.1)\n"
           "  --port N                   port to listen on, 0 = any free port (env PORT; default 8080)\n"
           "  --threads N                database workers, one connection each: the reports that run at\n"
           "                             once (default 4)\n"
           "  --statement-timeout-ms N   per-statement timeout; 0 disables it (default 15000)\n"
           "  --queue-timeout-ms N       how long a request waits for a free worker before it is answered\n"
           "                             503; 0 = no limit (default 30000)\n"
           "  --max-buckets N            most timeseries buckets one request may ask for (default 10000)\n"
           "  --drain-timeout-ms N       how long SIGTERM waits for in-flight requests (default 30000)\n"
           "  --rollup-interval-s N      refresh the extension's hourly rollup at startup and every N\n"
           "                             seconds, on a separate connection; 0 = never (default 300)\n"
           "  --max-connections N        open client connections at most; one more is answered 503 and\n"
           "                             closed (default 1024, lowered to fit the open-file limit)\n"
           "  --header-timeout-ms N      a connection must deliver a whole request (line, headers, body)\n"
           "                             within this, from its first byte or from being accepted; else\n"
           "                             408 and close (default 10000)\n"
           "  --idle-timeout-ms N        a kept-alive connection with no request is closed after this;\n"
           "                             also the longest a response may wait for a client that stopped\n"
           "                             reading (default 30000)\n"
           "  --frontend-url URL         Chatwoot's FRONTEND_URL, for links in the CSAT download\n"
           "                             (env FRONTEND_URL; default http://localhost:3000)\n"
           "  --agents-format auto|csv|json\n"
           "                             /reports/agents without format=: auto = CSV for the dashboard's\n"
           "                             session sign-in (as Chatwoot), JSON for api_access_token\n"
           "                             (env AGENTS_FORMAT; default auto)\n"
           "  --web-root DIR             the dashboard's static files, served at / without a token\n"
           "                             (env WEB_ROOT; default " + Config::default_web_root() + "; \"\" = no dashboard)\n"
           "  --openapi-file FILE        served at /openapi.yaml (default " + Config::default_openapi_file() + ")\n"
           "  --chart-js FILE            served at /vendor/chart.js (default Debian's libjs-chart.js,\n"
           "                             /usr/share/javascript/chart.js/chart.min.js)\n"
           "  --list-routes              print the API's route patterns, one a line, and exit\n"
           "  -h, --help                 this text\n";
}

#ifndef SR_SOURCE_DIR
#define SR_SOURCE_DIR "."
#endif
std::string Config::default_web_root() { return SR_SOURCE_DIR "/web"; }
std::string Config::default_openapi_file() { return SR_SOURCE_DIR "/docs/openapi.yaml"; }

CliResult parse_cli(const std::vector<std::string>& args,
                    const std::function<std::optional<std::string>(const char*)>& getenv) {
    CliResult r;
    Config& c = r.config;
    auto fail = [&](const std::string& message) {
        r.action = CliResult::Action::Error;
        r.message = message;
        return r;
    };
    if (auto v = getenv("DATABASE_URL")) c.db = *v;
    if (auto v = getenv("FRONTEND_URL")) c.frontend_url = *v;
    if (auto v = getenv("WEB_ROOT")) c.web_root = *v;
    if (auto v = getenv("AGENTS_FORMAT"); v && !v->empty()) c.agents_format = *v;
    if (auto v = getenv("PORT"); v && !v->empty()) {
        const auto n = bounded(*v, 0, 65535);
        if (!n) return fail("invalid PORT environment value '" + *v + "'");
        c.port = static_cast<std::uint16_t>(*n);
    }

    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string flag = args[i];
        std::optional<std::string> value;
        if (flag == "-h" || flag == "--help") {
            r.action = CliResult::Action::Help;
            return r;
        }
        if (flag == "--list-routes") {
            r.action = CliResult::Action::ListRoutes;
            return r;
        }
        if (flag.rfind("--", 0) != 0) return fail("unexpected argument '" + flag + "'");
        if (const auto eq = flag.find('='); eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
        }
        auto need = [&]() -> std::optional<std::string> {
            if (value) return value;
            if (i + 1 >= args.size()) return std::nullopt;
            return args[++i];
        };
        auto int_flag = [&](long long min, long long max, auto& out) -> bool {
            const auto v = need();
            if (!v) {
                r.message = flag + " needs a value";
                return false;
            }
            const auto n = bounded(*v, min, max);
            if (!n) {
                r.message = "invalid value '" + *v + "' for " + flag + " (expected an integer from " +
                            std::to_string(min) + " to " + std::to_string(max) + ")";
                return false;
            }
            out = static_cast<std::remove_reference_t<decltype(out)>>(*n);
            return true;
        };
        if (flag == "--db" || flag == "--host" || flag == "--frontend-url") {
            const auto v = need();
            if (!v) return fail(flag + " needs a value");
            if (flag == "--db") c.db = *v;
            else if (flag == "--host") {
                if (v->empty()) return fail("--host needs a value");
                c.host = *v;
            } else c.frontend_url = *v;
        } else if (flag == "--web-root" || flag == "--openapi-file" || flag == "--chart-js") {
            const auto v = need();
            if (!v) return fail(flag + " needs a value");
            (flag == "--web-root" ? c.web_root : flag == "--openapi-file" ? c.openapi_file : c.chart_js) = *v;
        } else if (flag == "--agents-format") {
            const auto v = need();
            if (!v) return fail(flag + " needs a value");
            c.agents_format = *v;
        } else if (flag == "--port") {
            if (!int_flag(0, 65535, c.port)) return fail(r.message);
        } else if (flag == "--threads") {
            if (!int_flag(1, 256, c.threads)) return fail(r.message);
        } else if (flag == "--statement-timeout-ms") {
            if (!int_flag(0, std::numeric_limits<int>::max(), c.statement_timeout_ms)) return fail(r.message);
        } else if (flag == "--queue-timeout-ms") {
            if (!int_flag(0, 3600000, c.queue_timeout_ms)) return fail(r.message);
        } else if (flag == "--max-buckets") {
            if (!int_flag(1, 100000000, c.max_buckets)) return fail(r.message);
        } else if (flag == "--rollup-interval-s") {
            if (!int_flag(0, 86400, c.rollup_interval_s)) return fail(r.message);
        } else if (flag == "--max-connections") {
            if (!int_flag(1, 1000000, c.max_connections)) return fail(r.message);
        } else if (flag == "--header-timeout-ms") {
            if (!int_flag(100, 3600000, c.header_timeout_ms)) return fail(r.message);
        } else if (flag == "--idle-timeout-ms") {
            if (!int_flag(100, 3600000, c.idle_timeout_ms)) return fail(r.message);
        } else if (flag == "--drain-timeout-ms") {
            if (!int_flag(0, 3600000, c.drain_timeout_ms)) return fail(r.message);
        } else {
            return fail("unknown option '" + flag + "'");
        }
    }
    if (c.agents_format != "auto" && c.agents_format != "csv" && c.agents_format != "json")
        return fail("invalid value '" + c.agents_format + "' for --agents-format (expected auto, csv or json)");
    while (!c.frontend_url.empty() && c.frontend_url.back() == '/') c.frontend_url.pop_back();
    return r;
}

}  // namespace support_reports::api
