// Operation: request log, statement timeout, a database that goes away and comes back, draining
// on SIGTERM, and the command line.
#include <future>
#include <thread>

#include <pqxx/pqxx>

#include "api_support.hpp"

using namespace apitest;

namespace {

const std::string kSummary = "/api/v2/accounts/1/reports/summary?" + kRange;

// Holds an exclusive lock on conversations, so every report that reads them waits.
class ConversationsLock {
public:
    ConversationsLock() : conn_(cluster().conninfo(database_name())), tx_(conn_) {
        tx_.exec("LOCK TABLE conversations IN ACCESS EXCLUSIVE MODE");
    }
    void release() {
        if (!released_) tx_.abort();
        released_ = true;
    }
    ~ConversationsLock() { release(); }

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

TEST(Operations, StatementTimeoutAnswers503) {
    // The shared server runs with --statement-timeout-ms 2000.
    ConversationsLock lock;
    const auto started = std::chrono::steady_clock::now();
    const auto r = http_get(server().url(kSummary), {kAdmin});
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(nlohmann::json::parse(r.body)["error"], "database timeout");
    EXPECT_LT(waited, std::chrono::seconds(10));
    lock.release();
    EXPECT_EQ(http_get(server().url(kSummary), {kAdmin}).status, 200);
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
    ServerProcess own({"--db", cluster().conninfo(database_name()), "--threads", "2"}, "api_tests_lifecycle.log");
    ConversationsLock lock;
    auto slow = std::async(std::launch::async, [&] { return http_get(own.url(kSummary), {kAdmin}); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the request is now waiting for the lock
    ASSERT_EQ(::kill(own.pid(), SIGTERM), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    // While draining, new requests are turned away. (Asynchronously: Pistache may queue this
    // connection behind the blocked one on the same worker.)
    auto during = std::async(std::launch::async, [&] { return http_get(own.url(kSummary), {kAdmin}); });
    during.wait_for(std::chrono::seconds(2));
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
