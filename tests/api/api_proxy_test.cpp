// The drop-in recipe for real: Debian's nginx with the shipped deploy/nginx/ files in front of
// reports-server and a stub standing in for Chatwoot (every other path), a session token made as
// devise_token_auth makes it, and every report request of the dashboard's pages sent through the
// proxy with the dashboard's parameters (shared/reference/chatwoot-reports.md §6, chatwoot-dropin.md
// §2.7 and §5). Run as its own ctest entry, `proxy`.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "api_support.hpp"

using namespace apitest;
using json = nlohmann::ordered_json;

namespace {

const std::string kToken = "cHJveHktc2Vzc2lvbi10b2s";  // 22 characters, as SecureRandom.urlsafe_base64
const std::string kClient = "proxy-client-0123456789";

// A stand-in for Chatwoot: answers every request 200 with what it received, and records it.
class ChatwootStub {
public:
    ChatwootStub() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        const int one = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0)
            throw std::runtime_error("stub: cannot listen");
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { loop(); });
    }
    ~ChatwootStub() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    int port() const { return port_; }
    std::vector<std::string> requests() {
        std::lock_guard<std::mutex> lock(mutex_);
        return requests_;
    }

private:
    void loop() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) continue;
            const int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) continue;
            std::string in;
            char buf[4096];
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
            while (in.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
                pollfd q{c, POLLIN, 0};
                if (::poll(&q, 1, 100) <= 0) continue;
                const ssize_t n = ::read(c, buf, sizeof buf);
                if (n <= 0) break;
                in.append(buf, static_cast<std::size_t>(n));
            }
            std::istringstream lines(in);
            std::string method, target, line, access_token;
            lines >> method >> target;
            std::getline(lines, line);
            while (std::getline(lines, line) && line != "\r") {
                std::string lower = line;
                for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                if (lower.rfind("access-token:", 0) == 0) {
                    access_token = line.substr(13);
                    while (!access_token.empty() && (access_token.front() == ' ')) access_token.erase(0, 1);
                    while (!access_token.empty() && (access_token.back() == '\r')) access_token.pop_back();
                }
            }
            {
                std::lock_guard<std::mutex> lock(mutex_);
                requests_.push_back(method + " " + target);
            }
            const std::string body =
                json{{"stub", "chatwoot"}, {"method", method}, {"target", target}, {"access-token", access_token}}.dump();
            const std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                                    "Content-Length: " +
                                    std::to_string(body.size()) + "\r\n\r\n" + body;
            ssize_t off = 0;
            while (off < static_cast<ssize_t>(out.size())) {
                const ssize_t n = ::write(c, out.data() + off, out.size() - static_cast<std::size_t>(off));
                if (n <= 0) break;
                off += n;
            }
            ::close(c);
        }
    }

    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::mutex mutex_;
    std::vector<std::string> requests_;
};

std::string nginx_binary() {
    for (const char* p : {"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"}) {
        if (::access(p, X_OK) == 0) return p;
    }
    return "";
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// nginx in the foreground with a temporary prefix, on a free loopback port; stopped (SIGQUIT,
// then SIGKILL) when it goes out of scope.
class Nginx {
public:
    Nginx(int reports_port, int chatwoot_port) {
        const std::string binary = nginx_binary();
        if (binary.empty()) throw std::runtime_error("nginx is not installed (apt-get install nginx; scripts/test does)");
        char tmpl[] = "/tmp/sr-nginx.XXXXXX";
        if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
        dir_ = tmpl;
        port_ = free_port();
        // The shipped files, verbatim, side by side in the configuration directory.
        for (const char* f : {"support_reports_http.conf", "support_reports_locations.conf", "support_reports_proxy.conf"}) {
            std::ofstream(dir_ + "/" + f) << read_text(std::string(SOURCE_DIR) + "/deploy/nginx/" + f);
        }
        std::ofstream conf(dir_ + "/nginx.conf");
        conf << "daemon off;\nmaster_process off;\nworker_processes 1;\npid " << dir_ << "/nginx.pid;\n"
             << "error_log " << dir_ << "/error.log warn;\n"
             << "events { worker_connections 64; }\n"
             << "http {\n"
             << "  access_log " << dir_ << "/access.log;\n"
             << "  client_body_temp_path " << dir_ << "/client_body;\n  proxy_temp_path " << dir_ << "/proxy;\n"
             << "  fastcgi_temp_path " << dir_ << "/fastcgi;\n  uwsgi_temp_path " << dir_ << "/uwsgi;\n"
             << "  scgi_temp_path " << dir_ << "/scgi;\n"
             << "  upstream reports_server { server 127.0.0.1:" << reports_port << "; keepalive 4; }\n"
             << "  upstream chatwoot_rails { server 127.0.0.1:" << chatwoot_port << "; }\n"
             << "  include support_reports_http.conf;\n"
             << "  server {\n    listen 127.0.0.1:" << port_ << ";\n"
             << "    include support_reports_locations.conf;\n"
             << "    location / { proxy_pass http://chatwoot_rails; }\n  }\n}\n";
        conf.close();
        std::string check;
        if (run_program({binary, "-p", dir_, "-c", dir_ + "/nginx.conf", "-e", dir_ + "/error.log", "-t"}, &check) != 0)
            throw std::runtime_error("nginx -t rejects the configuration:\n" + check);
        pid_ = ::fork();
        if (pid_ == 0) {
            const std::string log = dir_ + "/stderr.log";
            std::FILE* f = std::freopen(log.c_str(), "w", stderr);
            (void)f;
            ::execl(binary.c_str(), binary.c_str(), "-p", dir_.c_str(), "-c", (dir_ + "/nginx.conf").c_str(), "-e",
                    (dir_ + "/error.log").c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        for (int i = 0; i < 200; ++i) {  // bounded wait until it answers
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("nginx exited at startup:\n" + read_text(dir_ + "/error.log") +
                                         read_text(dir_ + "/stderr.log"));
            }
            if (http_get(url("/nginx-started")).status != 0) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw std::runtime_error("nginx did not answer within 10 s");
    }
    ~Nginx() {
        if (pid_ > 0) {
            ::kill(pid_, SIGQUIT);
            int status = 0;
            bool gone = false;
            for (int i = 0; i < 250 && !gone; ++i) {
                gone = ::waitpid(pid_, &status, WNOHANG) == pid_;
                if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            if (!gone) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
            }
        }
        std::string ignored;
        run_program({"/bin/rm", "-rf", dir_}, &ignored);
    }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    std::string error_log() const { return read_text(dir_ + "/error.log"); }

private:
    std::string dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

int server_port() {
    const std::string u = server().url("");
    return std::stoi(u.substr(u.rfind(':') + 1));
}

class Proxy : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        // Alice signs in: devise_token_auth stores BCrypt::Password.create(token, cost: 10) with
        // an expiry two months ahead, JSON-encoded twice (the gem's coder, then Rails' json type).
        set_user_tokens(1, json{{kClient,
                                 {{"token", bcrypt_hash(kToken)},
                                  {"expiry", static_cast<long long>(std::time(nullptr)) + 61 * 86400}}}});
        stub_ = new ChatwootStub();
        nginx_ = new Nginx(server_port(), stub_->port());
    }
    static void TearDownTestSuite() {
        delete nginx_;
        delete stub_;
        nginx_ = nullptr;
        stub_ = nullptr;
        exec_sql("UPDATE users SET tokens = NULL WHERE id = 1");
    }
    static std::vector<std::string> dashboard_headers() {
        auto h = session_headers("alice", kClient, kToken);
        h.push_back("Accept: application/json, text/plain, */*");
        return h;
    }
    static ChatwootStub* stub_;
    static Nginx* nginx_;
};
ChatwootStub* Proxy::stub_ = nullptr;
Nginx* Proxy::nginx_ = nullptr;

// Every request the dashboard's report pages send, with its parameters (booleans as "false",
// timezone_offset as the browser computes it: -5 in New York in January).
std::vector<std::string> dashboard_requests() {
    const std::string r = "since=" + std::to_string(kSince) + "&until=" + std::to_string(kUntil);
    const std::string a = "/api/v2/accounts/1";
    std::vector<std::string> out;
    for (const char* metric : {"conversations_count", "incoming_messages_count", "outgoing_messages_count",
                               "avg_first_response_time", "avg_resolution_time", "reply_time", "resolutions_count",
                               "bot_resolutions_count", "bot_handoffs_count"}) {
        out.push_back(a + "/reports?metric=" + metric + "&" + r +
                      "&type=account&group_by=day&business_hours=false&timezone_offset=-5");
    }
    out.push_back(a + "/reports?metric=conversations_count&" + r + "&type=agent&id=1&group_by=week&business_hours=true&timezone_offset=-5");
    out.push_back(a + "/reports?metric=resolutions_count&" + r + "&type=account&group_by=hour&business_hours=false&timezone_offset=5.5");
    out.push_back(a + "/reports/summary?" + r + "&type=account&group_by=day&business_hours=false&timezone_offset=-5");
    out.push_back(a + "/reports/summary?" + r + "&type=inbox&id=1&group_by=day&business_hours=false&timezone_offset=-5");
    out.push_back(a + "/reports/bot_summary?" + r + "&type=account&group_by=day&business_hours=false");
    out.push_back(a + "/reports/bot_metrics?" + r);
    out.push_back(a + "/reports/conversations?type=account&page=1");
    out.push_back(a + "/reports/conversations?type=agent&page=1");
    for (const char* csv : {"agents", "inboxes", "labels", "teams", "conversations_summary"})
        out.push_back(a + "/reports/" + csv + "?" + r + "&business_hours=false");
    out.push_back(a + "/reports/conversation_traffic?timezone_offset=-5&days_before=6");
    out.push_back(a + "/reports/drilldown?metric=conversations_count&bucket_timestamp=1704171600&" + r +
                  "&type=account&group_by=day&business_hours=false&timezone_offset=-5&page=1");
    out.push_back(a + "/reports/drilldown?metric=avg_first_response_time&bucket_timestamp=1704067200&" + r +
                  "&type=account&group_by=week&business_hours=true&timezone_offset=-5&page=1");
    for (const char* d : {"team", "agent", "inbox", "label"})
        out.push_back(a + "/summary_reports/" + d + "?" + r + "&business_hours=false");
    out.push_back(a + "/live_reports/conversation_metrics");
    out.push_back(a + "/live_reports/conversation_metrics?team_id=1");
    out.push_back(a + "/live_reports/grouped_conversation_metrics?group_by=assignee_id");
    out.push_back(a + "/live_reports/grouped_conversation_metrics?group_by=team_id");
    const std::string c = "/api/v1/accounts/1/csat_survey_responses";
    out.push_back(c + "?page=1&" + r + "&sort=-created_at");
    out.push_back(c + "?page=1&" + r + "&sort=-created_at&user_ids[]=1&user_ids[]=2&inbox_id=1&rating=5");
    out.push_back(c + "/metrics?" + r);
    out.push_back(c + "/download?" + r + "&sort=-created_at");
    // slaReports.js: the list (with page), the metrics and the CSV, with the same filters.
    const std::string s = "/api/v1/accounts/1/applied_slas";
    out.push_back(s + "?" + r + "&page=1");
    out.push_back(s + "?" + r + "&page=1&inbox_id=1&team_id=1&assigned_agent_id=2&sla_policy_id=1&label_list=billing");
    out.push_back(s + "/metrics?" + r);
    out.push_back(s + "/download?" + r);
    return out;
}

}  // namespace

TEST_F(Proxy, EveryDashboardReportRequestReachesReportsServer) {
    const auto before = stub_->requests().size();
    for (const auto& path : dashboard_requests()) {
        const auto via = http_get(nginx_->url(path), dashboard_headers());
        const auto direct = http_get(server().url(path), dashboard_headers());
        EXPECT_EQ(via.status, 200) << path << ": " << via.body << "\n" << nginx_->error_log();
        EXPECT_EQ(via.status, direct.status) << path;
        EXPECT_EQ(via.body, direct.body) << path;
        EXPECT_EQ(via.header("content-type"), direct.header("content-type")) << path;
        EXPECT_EQ(via.header("content-disposition"), direct.header("content-disposition")) << path;
        EXPECT_EQ(via.body.find("\"stub\":\"chatwoot\""), std::string::npos) << path;
    }
    EXPECT_EQ(stub_->requests().size(), before) << "a report request reached the Chatwoot stub";
}

TEST_F(Proxy, TheDashboardGetsWhatItReads) {
    // The agents download is Chatwoot's CSV, the drilldown Chatwoot's meta and records.
    const auto agents = http_get(nginx_->url("/api/v2/accounts/1/reports/agents?since=1704067200&until=1704326400"),
                                 dashboard_headers());
    EXPECT_EQ(agents.header("content-type"), "text/csv");
    EXPECT_EQ(agents.body.substr(0, agents.body.find('\n')), "Reporting period 2024-01-01 to 2024-01-04");
    EXPECT_NE(agents.body.find("\nAlice Admin,2,5 minutes,2 hours,N/A,1\n"), std::string::npos) << agents.body;
    // The Bogota day Jan 2 (timezone_offset -5, 05:00Z..05:00Z) holds C2 (09:00Z) and C3 (15:30Z).
    const auto drill = http_get(
        nginx_->url("/api/v2/accounts/1/reports/drilldown?metric=conversations_count&bucket_timestamp=1704171600"
                    "&since=1704067200&until=1704326400&type=account&group_by=day&business_hours=false"
                    "&timezone_offset=-5&page=1"),
        dashboard_headers());
    ASSERT_EQ(drill.status, 200) << drill.body;
    const json body = json::parse(drill.body);
    EXPECT_EQ(body["meta"]["bucket"].dump(), R"({"since":1704171600,"until":1704258000})");
    EXPECT_EQ(body["meta"]["total_count"], 2);
    ASSERT_EQ(body["payload"].size(), 2u);
    EXPECT_EQ(body["payload"][0]["conversation"]["display_id"], 3);
    EXPECT_EQ(body["payload"][1]["conversation"]["display_id"], 2);
    // A .csv suffix matches the same location.
    EXPECT_EQ(http_get(nginx_->url("/api/v2/accounts/1/reports/inboxes.csv?since=1704067200&until=1704326400"),
                       dashboard_headers())
                  .header("content-type"),
              "text/csv");
}

TEST_F(Proxy, CredentialsPassThrough) {
    const std::string summary = nginx_->url("/api/v2/accounts/1/reports/summary?since=1704067200&until=1704326400");
    // api_access_token has an underscore: nginx forwards it only with underscores_in_headers on.
    EXPECT_EQ(http_get(summary, {kAdmin}).status, 200);
    EXPECT_EQ(http_get(summary, {"api_access_token: nope"}).body, R"({"error":"Invalid Access Token"})");
    // A wrong session answers Chatwoot's 401 through the proxy.
    const auto wrong = http_get(summary, session_headers("alice", kClient, "wrong-token-wrong-token"));
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.body, R"({"errors":["You need to sign in or sign up before continuing."]})");
}

TEST_F(Proxy, EverythingElseGoesToChatwoot) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"GET", "/app/accounts/1/reports/overview"},
        {"GET", "/auth/validate_token"},
        {"GET", "/api/v1/profile"},
        {"GET", "/api/v1/accounts/1/agents"},
        {"GET", "/api/v1/accounts/1/inboxes"},
        {"GET", "/api/v2/accounts/1/year_in_review"},
        {"GET", "/api/v1/accounts/1/sla_policies"},
        {"GET", "/api/v1/accounts/1/applied_slas/1"},
        {"GET", "/api/v1/accounts/1/applied_slasx/metrics"},
        {"POST", "/api/v1/accounts/1/applied_slas"},
        {"GET", "/api/v1/accounts/1/conversations/3/reporting_events"},
        {"GET", "/api/v1/accounts/1/captain/assistants/1/drilldown"},
        {"GET", "/api/v2/accounts/1/reports/summaryx"},
        {"GET", "/api/v2/accounts/1/reports/summary/extra"},
        {"GET", "/api/v2/accounts/1/reportsx"},
        {"PATCH", "/api/v1/accounts/1/csat_survey_responses/1"},
        {"POST", "/api/v2/accounts/1/reports/summary"},
        {"DELETE", "/api/v1/accounts/1/csat_survey_responses"},
    };
    for (const auto& [method, path] : cases) {
        const auto r = http(method, nginx_->url(path), dashboard_headers());
        EXPECT_EQ(r.status, 200) << method << " " << path;
        const json body = json::parse(r.body, nullptr, false);
        ASSERT_TRUE(body.is_object()) << method << " " << path << ": " << r.body;
        EXPECT_EQ(body.value("stub", ""), "chatwoot") << method << " " << path;
        EXPECT_EQ(body.value("method", ""), method) << path;
        EXPECT_EQ(body.value("target", ""), path) << method;
        EXPECT_EQ(body.value("access-token", ""), kToken) << "session headers reach Chatwoot unchanged: " << path;
    }
}
