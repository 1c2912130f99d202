// Shared by the API tests: the private cluster the harness started (PGHOST/PGPORT), the test
// database with tests/api/fixture.sql, reports-server as a child process, and an HTTP client on
// libcurl (Pistache's client leaked descriptors, and a test client must not share the server's
// code anyway).
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace apitest {

// The fixture's main window, 2024-01-01 .. 2024-01-04 UTC, as a query string.
constexpr long long kSince = 1704067200;
constexpr long long kUntil = 1704326400;
const std::string kRange = "since=1704067200&until=1704326400";

extern const std::string kAdmin;  // header for account 1's administrator
extern const std::string kAgent;  // account 1's agent (not an administrator)
extern const std::string kOther;  // account 2's administrator
extern const std::string kBot;    // an AgentBot token

struct HttpResponse {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string header(const std::string& lower_name) const;
};

// Any method; `headers` are full header lines ("api_access_token: tok-admin").
HttpResponse http(const std::string& method, const std::string& url, const std::vector<std::string>& headers = {});
inline HttpResponse http_get(const std::string& url, const std::vector<std::string>& headers = {}) {
    return http("GET", url, headers);
}

// One client connection kept alive across requests, like a browser or wrk (it also sends
// `Connection: keep-alive`, which Pistache needed before the server kept connections by default).
class KeepAliveClient {
public:
    KeepAliveClient();
    ~KeepAliveClient();
    KeepAliveClient(const KeepAliveClient&) = delete;
    KeepAliveClient& operator=(const KeepAliveClient&) = delete;
    HttpResponse get(const std::string& url, const std::vector<std::string>& headers = {});
    // New connections the last request had to open (0 = it reused the kept-alive one).
    long new_connections() const { return new_connections_; }

private:
    void* curl_;
    long new_connections_ = 0;
};

// Compares JSON texts by their serialisation, so 90 and 90.0, and key order, count as different.
::testing::AssertionResult same_json(const std::string& actual, const std::string& expected);
#define EXPECT_JSON(actual, expected) EXPECT_TRUE(::apitest::same_json((actual), (expected)))
// A /reports/summary body with only Chatwoot's keys (and "previous" likewise).
std::string chatwoot_summary_keys(const std::string& body);

// The cluster of scripts/lib/with-cluster.
struct Cluster {
    std::string host;  // socket directory (also the cluster directory: data/ and postmaster.log)
    std::string port;
    static Cluster from_environment();
    bool controllable() const;  // the data directory is there (started by the harness)
    std::string conninfo(const std::string& dbname) const;
    void stop() const;
    void start() const;
};

// Creates the test database: schema, extension, fixture.
void create_test_database(const Cluster& cluster, const std::string& dbname);

int free_port();

class ServerProcess {
public:
    // Starts reports-server with `args` (plus --port) and waits until /health answers 200 (or,
    // when `require_database` is false, answers at all).
    // `nofile_limit` > 0 sets the server's RLIMIT_NOFILE (soft and hard) before it starts.
    ServerProcess(std::vector<std::string> args, const std::string& log_name, bool require_database = true,
                  long nofile_limit = 0);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    std::string url(const std::string& path) const;
    std::string log() const;
    pid_t pid() const { return pid_; }
    // SIGTERM, then waits (at most `timeout_ms`); returns the exit status, or -1 when it was killed.
    int terminate(int timeout_ms = 15000);

private:
    pid_t pid_ = -1;
    int port_ = 0;
    std::string log_path_;

public:
    int port() const { return port_; }
};

// The shared server of the suite (started by api_main.cpp's environment) and its cluster.
ServerProcess& server();
const Cluster& cluster();
const std::string& database_name();

// Session sign-in as Chatwoot's devise_token_auth writes it: BCrypt::Password.create(token, cost: 10),
// made here with libxcrypt ($2a$10$...), stored in users.tokens as a JSON string holding the JSON hash.
std::string bcrypt_hash(const std::string& token, int cost = 10);
// Runs SQL on the test database (outside the server).
void exec_sql(const std::string& sql);
// Sets users.tokens of `user_id` to `tokens` (the decoded hash), double-encoded like Rails unless
// `plain_object`.
void set_user_tokens(int user_id, const nlohmann::json& tokens, bool plain_object = false);
// The five headers the dashboard's axios client sends on every request.
std::vector<std::string> session_headers(const std::string& uid, const std::string& client, const std::string& token,
                                         long long expiry = 0);
// The reports-server binary under test: $SR_REPORTS_SERVER when set (to run these tests against
// another build, e.g. the code before a fix), else the one built with the tests.
std::string server_binary();

// One raw exchange over TCP: sends `request` (in pieces of `chunk` bytes, `chunk_delay_ms` apart,
// when chunk > 0), then reads until EOF or `timeout_ms`.
struct RawResult {
    std::string data;
    bool eof = false;         // the server closed the connection
    long eof_after_ms = -1;   // when, counted from the end of sending
    bool connected = false;
};
// `want_responses` > 0 stops reading once that many complete responses have arrived.
RawResult raw_exchange(int port, const std::string& request, int timeout_ms = 3000, std::size_t chunk = 0,
                       int chunk_delay_ms = 0, int want_responses = 0);

struct RawResponse;
std::vector<RawResponse> split_responses(const std::string& data);
// The responses in a byte stream, framed by Content-Length.
struct RawResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string header(const std::string& lower_name) const {
        const auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};
std::vector<RawResponse> split_responses(const std::string& data);

// An open TCP connection to 127.0.0.1:port (-1 on failure), non-blocking when asked.
int connect_to(int port);

// Runs a program and returns its exit status, with stdout+stderr captured.
int run_program(const std::vector<std::string>& argv, std::string* output);

}  // namespace apitest
