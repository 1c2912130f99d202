// Operation: request log, statement timeout, a database that goes away and comes back, draining
// on SIGTERM, and the command line.
#include <future>
#include <optional>
#include <thread>

#include <pqxx/pqxx>

#include "api_support.hpp"

using namespace apitest;

namespace {

const std::string kSummary = "/api/v2/accounts/1/reports/summary?" + kRange;

// Holds exclusive locks on the rollup's state and on conversations, so every report waits: the
// ones served from the rollup at the first, the ones that read raw rows at the second. Taken in
// the order the reports and the rollup refresher take them (state first), so a refresh or report
// already past the state when the lock is taken finishes instead of deadlocking with it.
class ReportsLock {
public:
    ReportsLock() : conn_(cluster().conninfo(database_name())), tx_(conn_) {
        tx_.exec("LOCK TABLE reports.rollup_state, conversations IN ACCESS EXCLUSIVE MODE");
    }
    void release() {
        if (!released_) tx_.abort();
        released_ = true;
    }
    ~ReportsLock() { release(); }

private:
    pqxx::connection conn_;
    pqxx::work tx_;
    bool released_ = false;
};

}  // namespace

TEST(Operations, OneLogLinePerRequestWithoutTokens) {
    const auto r = http_get(server().url("/api/v2/accounts/1/reports/live?api_access_token=tok-admin&x=1"), {kAdmin});
    EXPECT_EQ(r.status, 200);
    http_get(server().url("/api/v2/accounts/1/reports/live"), {"api_access_token: tok-secret-value"});
    const std::string log = server().log();
    EXPECT_NE(log.find("GET /api/v2/accounts/1/reports/live?x=1 200 "), std::string::npos) << log;
    EXPECT_NE(log.find("GET /api/v2/accounts/1/reports/live 401 "), std::string::npos) << log;
    EXPECT_EQ(log.find("tok-admin"), std::string::npos);
    EXPECT_EQ(log.find("tok-secret-value"), std::string::npos);
    EXPECT_EQ(log.find("api_access_token"), std::string::npos);
}

TEST(Operations, ConcurrentRequestsShareThePool) {
    // 8 clients against 4 workers (4 connections): every answer complete and identical.
    const std::string expected = http_get(server().url(kSummary), {kAdmin}).body;
    std::vector<std::future<std::vector<HttpResponse>>> clients;
    for (int c = 0; c < 8; ++c) {
        clients.push_back(std::async(std::launch::async, [] {
            std::vector<HttpResponse> out;
            for (int i = 0; i < 15; ++i) out.push_back(http_get(server().url(kSummary), {kAdmin}));
            return out;
        }));
    }
    for (auto& c : clients) {
        for (const auto& r : c.get()) {
            EXPECT_EQ(r.status, 200);
            EXPECT_EQ(r.body, expected);
        }
    }
}

TEST(Operations, SixteenKeptAliveConnectionsOnTwoWorkersAreAllAnswered) {
    // Reports run on database workers, not on Pistache's reactor thread. When they ran on the
    // reactor, 16 connections behind multi-second reports on 2 threads waited past Pistache's
    // header timeout (then 10 s) and were closed without an answer: wrk counted 0 responses.
    // Here every report waits 11 s for a lock, and all 16 connections must still get both of
    // their answers, over the same connection.
    ServerProcess own({"--db", cluster().conninfo(database_name()), "--threads", "2", "--statement-timeout-ms", "30000"},
                      "api_tests_sixteen.log");
    const std::string expected = http_get(own.url(kSummary), {kAdmin}).body;
    ASSERT_FALSE(expected.empty());
    std::optional<ReportsLock> lock(std::in_place);
    std::vector<std::future<std::vector<std::pair<HttpResponse, long>>>> clients;
    for (int c = 0; c < 16; ++c) {
        clients.push_back(std::async(std::launch::async, [&own] {
            KeepAliveClient client;
            std::vector<std::pair<HttpResponse, long>> out;
            for (int i = 0; i < 2; ++i) {
                auto r = client.get(own.url(kSummary), {kAdmin});
                out.emplace_back(std::move(r), client.new_connections());
            }
            return out;
        }));
    }
    std::this_thread::sleep_for(std::chrono::seconds(11));
    lock.reset();
    for (auto& c : clients) {
        const auto answers = c.get();
        ASSERT_EQ(answers.size(), 2u);
        for (const auto& [r, connects] : answers) {
            EXPECT_EQ(r.status, 200) << r.body;
            EXPECT_EQ(r.body, expected);
        }
        EXPECT_EQ(answers[1].second, 0) << "the second request opened a new connection";
    }
    EXPECT_EQ(own.terminate(), 0) << own.log();
}

TEST(Operations, QueueTimeoutAnswers503Busy) {
    // One worker, blocked by a lock: a second request waits --queue-timeout-ms, then is told to
    // retry, while the first one still runs.
    ServerProcess own({"--db", cluster().conninfo(database_name()), "--threads", "1", "--queue-timeout-ms", "500",
                       "--rollup-interval-s", "0"},
                      "api_tests_queue.log");
    ReportsLock lock;
    auto blocked = std::async(std::launch::async, [&] { return http_get(own.url(kSummary), {kAdmin}); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto started = std::chrono::steady_clock::now();
    const auto turned_away = http_get(own.url(kSummary), {kAdmin});
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(turned_away.status, 503);
    EXPECT_EQ(turned_away.body, R"({"error":"server busy"})");
    EXPECT_EQ(turned_away.header("retry-after"), "1");
    EXPECT_GE(waited, std::chrono::milliseconds(450));
    EXPECT_LT(waited, std::chrono::seconds(5));
    EXPECT_EQ(blocked.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
    lock.release();
    EXPECT_EQ(blocked.get().status, 200);
    EXPECT_EQ(http_get(own.url(kSummary), {kAdmin}).status, 200);
    EXPECT_EQ(own.terminate(), 0) << own.log();
}

TEST(Operations, RefreshesTheRollupInTheBackground) {
    const auto exec = [](const std::string& sql) {
        pqxx::connection c(cluster().conninfo(database_name()));
        pqxx::work t(c);
        const pqxx::result r = t.exec(sql);
        t.commit();
        return r;
    };
    exec("SELECT reports.reset_rollup()");
    // The hand-worked answer of Summary.CurrentAndPreviousPeriods (api_reports_test.cpp), whose
    // quantiles that test checks; here the whole answer from the rollup must be the same bytes.
    const std::string expected =
        R"({"conversations_count":4,"incoming_messages_count":4,"outgoing_messages_count":4,)"
        R"("avg_first_response_time":1050.0,"avg_resolution_time":7200.0,"resolutions_count":1,"reply_time":90.0,)"
        R"("previous":{"conversations_count":1,"incoming_messages_count":1,"outgoing_messages_count":1,)"
        R"("avg_first_response_time":1800.0,"avg_resolution_time":1000.0,"resolutions_count":1,"reply_time":null}})";
    const std::string raw = http_get(server().url(kSummary), {kAdmin}).body;
    EXPECT_JSON(chatwoot_summary_keys(raw), expected);  // from the raw rows
    ServerProcess own({"--db", cluster().conninfo(database_name()), "--rollup-interval-s", "1"}, "api_tests_rollup.log");
    bool covered = false;
    for (int i = 0; i < 100 && !covered; ++i) {
        covered = exec("SELECT covered_until > '-infinity' FROM reports.rollup_state")[0][0].as<bool>();
        if (!covered) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(covered) << own.log();
    EXPECT_GT(exec("SELECT count(*) FROM reports_internal.rollup")[0][0].as<long long>(), 0);
    EXPECT_NE(own.log().find("rollup refreshed up to "), std::string::npos) << own.log();
    // The same answer from the rollup, byte for byte.
    EXPECT_EQ(http_get(own.url(kSummary), {kAdmin}).body, raw);
    EXPECT_EQ(own.terminate(), 0) << own.log();
    exec("SELECT reports.reset_rollup()");  // the other tests read raw rows
}

TEST(Operations, StatementTimeoutAnswers503) {
    // The shared server runs with --statement-timeout-ms 2000.
    ReportsLock lock;
    const auto started = std::chrono::steady_clock::now();
    const auto r = http_get(server().url(kSummary), {kAdmin});
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(nlohmann::json::parse(r.body)["error"], "database timeout");
    EXPECT_LT(waited, std::chrono::seconds(10));
    lock.release();
    EXPECT_EQ(http_get(server().url(kSummary), {kAdmin}).status, 200);
}

TEST(Operations, StatementTimeoutKeepsTheClientConnectionAndTheWorker) {
    // On one kept-alive HTTP connection: the timed-out report answers 503 without closing the
    // connection, and the next request on it (served by the same pool) answers 200.
    KeepAliveClient client;
    ASSERT_EQ(client.get(server().url(kSummary), {kAdmin}).status, 200);
    {
        ReportsLock lock;
        const auto r = client.get(server().url(kSummary), {kAdmin});
        EXPECT_EQ(r.status, 503) << r.body;
        EXPECT_EQ(client.new_connections(), 0) << "the 503 closed the connection";
    }
    for (int i = 0; i < 8; ++i) {  // more than the 4 workers: every pooled connection is fine
        EXPECT_EQ(client.get(server().url(kSummary), {kAdmin}).status, 200);
        EXPECT_EQ(client.new_connections(), 0);
    }
}

TEST(Operations, DatabaseOutageAnswers503AndRecovers) {
    if (!cluster().controllable()) GTEST_SKIP() << "needs the cluster of scripts/lib/with-cluster";
    ASSERT_EQ(http_get(server().url(kSummary), {kAdmin}).status, 200);
    cluster().stop();
    for (int i = 0; i < 3; ++i) {
        const auto r = http_get(server().url(kSummary), {kAdmin});
        EXPECT_EQ(r.status, 503);
        EXPECT_EQ(r.body, R"({"error":"database unavailable"})");
    }
    EXPECT_EQ(http_get(server().url("/health")).status, 503);
    cluster().start();
    // Connections opened before the restart are dead; the server replaces them by itself.
    long status = 0;
    for (int i = 0; i < 50 && status != 200; ++i) {
        status = http_get(server().url(kSummary), {kAdmin}).status;
        if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(status, 200);
    for (int i = 0; i < 8; ++i) EXPECT_EQ(http_get(server().url(kSummary), {kAdmin}).status, 200);  // every worker
    EXPECT_EQ(http_get(server().url("/health")).status, 200);
}

TEST(Lifecycle, SigtermDrainsInFlightRequestsAndExitsZero) {
    // No rollup refresher: a startup refresh would hold the lock below back until it finished, and
    // this test times what waits for that lock.
    ServerProcess own({"--db", cluster().conninfo(database_name()), "--threads", "2", "--rollup-interval-s", "0"},
                      "api_tests_lifecycle.log");
    ReportsLock lock;
    auto slow = std::async(std::launch::async, [&] { return http_get(own.url(kSummary), {kAdmin}); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the request is now waiting for the lock
    ASSERT_EQ(::kill(own.pid(), SIGTERM), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    // While draining, new requests are turned away at once, though the only worker is busy.
    auto during = std::async(std::launch::async, [&] { return http_get(own.url(kSummary), {kAdmin}); });
    ASSERT_EQ(during.wait_for(std::chrono::seconds(2)), std::future_status::ready);
    lock.release();
    const auto finished = slow.get();
    EXPECT_EQ(finished.status, 200) << finished.body;
    const auto turned_away = during.get();
    EXPECT_EQ(turned_away.status, 503);
    EXPECT_EQ(turned_away.body, R"({"error":"server is shutting down"})");
    EXPECT_EQ(own.terminate(), 0) << own.log();
    EXPECT_NE(own.log().find("draining 1 in-flight"), std::string::npos) << own.log();
}

TEST(Lifecycle, StartsWithoutTheDatabaseAndAnswers503) {
    // Nothing listens in this socket directory: the server starts anyway and answers 503.
    ServerProcess own({"--db", "host=/nonexistent-socket-dir dbname=x"}, "api_tests_nodb.log", false);
    const auto health = http_get(own.url("/health"));
    EXPECT_EQ(health.status, 503);
    const auto report = http_get(own.url(kSummary), {kAdmin});
    EXPECT_EQ(report.status, 503);
    EXPECT_EQ(report.body, R"({"error":"database unavailable"})");
    EXPECT_EQ(own.terminate(), 0);
}

TEST(Cli, HelpAndBadFlags) {
    std::string out;
    EXPECT_EQ(run_program({REPORTS_SERVER_PATH, "--help"}, &out), 0);
    EXPECT_NE(out.find("--statement-timeout-ms"), std::string::npos);
    out.clear();
    EXPECT_EQ(run_program({REPORTS_SERVER_PATH, "--bogus"}, &out), 2);
    EXPECT_NE(out.find("unknown option '--bogus'"), std::string::npos) << out;
    out.clear();
    EXPECT_EQ(run_program({REPORTS_SERVER_PATH, "--port", "http"}, &out), 2);
    out.clear();
    EXPECT_EQ(run_program({REPORTS_SERVER_PATH, "--threads", "0"}, &out), 2);
}
