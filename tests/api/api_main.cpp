// Entry point of api_tests: creates the test database in the harness's cluster, starts the
// shared reports-server, runs the tests, and stops the server with SIGTERM (expecting exit 0)
// whatever the tests did.
#include <curl/curl.h>

#include <iostream>
#include <memory>

#include "api_support.hpp"

namespace apitest {

namespace {

const std::string kDatabase = "api_test";
Cluster g_cluster;
std::unique_ptr<ServerProcess> g_server;

class ServerEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        g_cluster = Cluster::from_environment();
        create_test_database(g_cluster, kDatabase);
        g_server = std::make_unique<ServerProcess>(
            std::vector<std::string>{"--db", g_cluster.conninfo(kDatabase), "--host", "127.0.0.1", "--threads", "4",
                                     "--statement-timeout-ms", "2000", "--frontend-url", "https://chat.example.test/",
                                     // the summaries under test come from the raw rows; the
                                     // rollup's own test starts a server that refreshes it
                                     "--rollup-interval-s", "0"},
            "api_tests_server.log");
    }

    void TearDown() override {
        if (!g_server) return;
        const int status = g_server->terminate();
        EXPECT_EQ(status, 0) << "reports-server did not exit 0 on SIGTERM; log:\n" << g_server->log();
        g_server.reset();
    }
};

}  // namespace

ServerProcess& server() { return *g_server; }
const Cluster& cluster() { return g_cluster; }
const std::string& database_name() { return kDatabase; }

}  // namespace apitest

int main(int argc, char** argv) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::AddGlobalTestEnvironment(new apitest::ServerEnvironment);
    const int rc = RUN_ALL_TESTS();
    curl_global_cleanup();
    return rc;
}
