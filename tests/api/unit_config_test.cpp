// Command-line parsing, without starting anything.
#include <gtest/gtest.h>

#include <map>

#include "config.hpp"

using namespace support_reports::api;

namespace {

CliResult parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    return parse_cli(args, [env](const char* name) -> std::optional<std::string> {
        const auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    });
}

}  // namespace

TEST(Cli, Defaults) {
    const auto r = parse({});
    ASSERT_EQ(r.action, CliResult::Action::Run);
    EXPECT_EQ(r.config.host, "127.0.0.1");
    EXPECT_EQ(r.config.port, 8080);
    EXPECT_EQ(r.config.statement_timeout_ms, 15000);
    EXPECT_EQ(r.config.max_buckets, 10000);
    EXPECT_EQ(r.config.db, "");
    EXPECT_EQ(r.config.queue_timeout_ms, 30000);
    EXPECT_EQ(r.config.rollup_interval_s, 300);
}

TEST(Cli, FlagsInBothSpellingsAndEnvironment) {
    const auto r = parse({"--db", "host=/tmp port=5 dbname=x", "--port=9090", "--threads", "8",
                          "--statement-timeout-ms", "2500", "--max-buckets=50", "--host", "0.0.0.0",
                          "--frontend-url", "https://chat.example.com/", "--queue-timeout-ms=0",
                          "--rollup-interval-s", "0"},
                         {{"DATABASE_URL", "postgres://ignored"}, {"PORT", "1234"}});
    ASSERT_EQ(r.action, CliResult::Action::Run) << r.message;
    EXPECT_EQ(r.config.db, "host=/tmp port=5 dbname=x");
    EXPECT_EQ(r.config.port, 9090);
    EXPECT_EQ(r.config.threads, 8);
    EXPECT_EQ(r.config.statement_timeout_ms, 2500);
    EXPECT_EQ(r.config.max_buckets, 50);
    EXPECT_EQ(r.config.host, "0.0.0.0");
    EXPECT_EQ(r.config.frontend_url, "https://chat.example.com");
    EXPECT_EQ(r.config.queue_timeout_ms, 0);
    EXPECT_EQ(r.config.rollup_interval_s, 0);

    const auto e = parse({}, {{"DATABASE_URL", "postgres://u@h/db"}, {"PORT", "7070"}});
    EXPECT_EQ(e.config.db, "postgres://u@h/db");
    EXPECT_EQ(e.config.port, 7070);
}

TEST(Cli, Help) {
    EXPECT_EQ(parse({"--help"}).action, CliResult::Action::Help);
    EXPECT_EQ(parse({"-h"}).action, CliResult::Action::Help);
    EXPECT_NE(usage().find("--statement-timeout-ms"), std::string::npos);
    EXPECT_NE(usage().find("--queue-timeout-ms"), std::string::npos);
    EXPECT_NE(usage().find("--rollup-interval-s"), std::string::npos);
}

TEST(Cli, BadFlagsAreErrors) {
    for (const auto& args : std::vector<std::vector<std::string>>{{"--bogus"},
                                                                  {"--port"},
                                                                  {"--port", "http"},
                                                                  {"--port", "70000"},
                                                                  {"--threads", "0"},
                                                                  {"--threads", "-2"},
                                                                  {"--max-buckets", "0"},
                                                                  {"--statement-timeout-ms", "1.5"},
                                                                  {"--queue-timeout-ms", "-1"},
                                                                  {"--rollup-interval-s", "86401"},
                                                                  {"--rollup-interval-s"},
                                                                  {"stray"}}) {
        const auto r = parse(args);
        EXPECT_EQ(r.action, CliResult::Action::Error) << args[0];
        EXPECT_FALSE(r.message.empty());
    }
    EXPECT_EQ(parse({}, {{"PORT", "x"}}).action, CliResult::Action::Error);
}

TEST(Cli, AgentsFormat) {
    EXPECT_EQ(parse({}).config.agents_format, "auto");
    EXPECT_EQ(parse({"--agents-format", "csv"}).config.agents_format, "csv");
    EXPECT_EQ(parse({"--agents-format=json"}).config.agents_format, "json");
    EXPECT_EQ(parse({}, {{"AGENTS_FORMAT", "csv"}}).config.agents_format, "csv");
    EXPECT_EQ(parse({"--agents-format", "json"}, {{"AGENTS_FORMAT", "csv"}}).config.agents_format, "json");
    const auto bad = parse({"--agents-format", "xml"});
    EXPECT_EQ(bad.action, CliResult::Action::Error);
    EXPECT_NE(bad.message.find("--agents-format"), std::string::npos);
    EXPECT_EQ(parse({"--agents-format"}).action, CliResult::Action::Error);
}

TEST(Cli, ConnectionLimitsAndTimeouts) {
    const auto d = parse({});
    EXPECT_EQ(d.config.max_connections, 1024);
    EXPECT_EQ(d.config.header_timeout_ms, 10000);
    EXPECT_EQ(d.config.idle_timeout_ms, 30000);
    const auto r = parse({"--max-connections", "50", "--header-timeout-ms=1500", "--idle-timeout-ms", "2500"});
    ASSERT_EQ(r.action, CliResult::Action::Run) << r.message;
    EXPECT_EQ(r.config.max_connections, 50);
    EXPECT_EQ(r.config.header_timeout_ms, 1500);
    EXPECT_EQ(r.config.idle_timeout_ms, 2500);
    EXPECT_EQ(parse({"--max-connections", "0"}).action, CliResult::Action::Error);
    EXPECT_EQ(parse({"--header-timeout-ms", "99"}).action, CliResult::Action::Error);
    EXPECT_EQ(parse({"--idle-timeout-ms", "-1"}).action, CliResult::Action::Error);
}

TEST(Cli, DashboardFilesAndRouteListing) {
    const auto d = parse({});
    EXPECT_EQ(d.config.web_root, std::string(SR_TEST_SOURCE_DIR) + "/web");
    EXPECT_EQ(d.config.openapi_file, std::string(SR_TEST_SOURCE_DIR) + "/docs/openapi.yaml");
    EXPECT_EQ(d.config.chart_js, "/usr/share/javascript/chart.js/chart.min.js");
    const auto r = parse({"--web-root", "/srv/web", "--openapi-file=/srv/api.yaml", "--chart-js", "/srv/chart.js"},
                         {{"WEB_ROOT", "/ignored"}});
    ASSERT_EQ(r.action, CliResult::Action::Run) << r.message;
    EXPECT_EQ(r.config.web_root, "/srv/web");
    EXPECT_EQ(r.config.openapi_file, "/srv/api.yaml");
    EXPECT_EQ(r.config.chart_js, "/srv/chart.js");
    EXPECT_EQ(parse({}, {{"WEB_ROOT", ""}}).config.web_root, "");  // no dashboard
    EXPECT_EQ(parse({"--web-root"}).action, CliResult::Action::Error);
    EXPECT_EQ(parse({"--list-routes"}).action, CliResult::Action::ListRoutes);
    EXPECT_NE(usage().find("--web-root"), std::string::npos);
}
