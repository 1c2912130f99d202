#include "api_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <crypt.h>
#include <curl/curl.h>
#include <pqxx/pqxx>

namespace apitest {

const std::string kAdmin = "api_access_token: tok-admin";
const std::string kAgent = "api_access_token: tok-agent";
const std::string kOther = "api_access_token: tok-other";
const std::string kBot = "api_access_token: tok-bot";

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* out) {
    std::string line(data, size * n);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ')) value.erase(value.begin());
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
        (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
    }
    return size * n;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

}  // namespace

std::string HttpResponse::header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

namespace {

// Sets up `curl` for one request and performs it.
HttpResponse perform(CURL* curl, const std::string& method, const std::string& url,
                     const std::vector<std::string>& headers) {
    HttpResponse r;
    curl_slist* list = nullptr;
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    const CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
    } else {
        r.status = 0;
        r.body = curl_easy_strerror(rc);
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    curl_slist_free_all(list);
    return r;
}

}  // namespace

HttpResponse http(const std::string& method, const std::string& url, const std::vector<std::string>& headers) {
    CURL* curl = curl_easy_init();
    HttpResponse r = perform(curl, method, url, headers);
    curl_easy_cleanup(curl);
    return r;
}

KeepAliveClient::KeepAliveClient() : curl_(curl_easy_init()) {}

KeepAliveClient::~KeepAliveClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse KeepAliveClient::get(const std::string& url, const std::vector<std::string>& headers) {
    std::vector<std::string> all = headers;
    all.push_back("Connection: keep-alive");
    HttpResponse r = perform(static_cast<CURL*>(curl_), "GET", url, all);
    curl_easy_getinfo(static_cast<CURL*>(curl_), CURLINFO_NUM_CONNECTS, &new_connections_);
    return r;
}

::testing::AssertionResult same_json(const std::string& actual, const std::string& expected) {
    using Json = nlohmann::ordered_json;
    const Json a = Json::parse(actual, nullptr, false);
    const Json e = Json::parse(expected, nullptr, false);
    if (e.is_discarded()) return ::testing::AssertionFailure() << "expected text is not JSON: " << expected;
    if (a.is_discarded()) return ::testing::AssertionFailure() << "response is not JSON: " << actual;
    if (a.dump() == e.dump()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "\n  actual:   " << a.dump() << "\n  expected: " << e.dump();
}

std::string chatwoot_summary_keys(const std::string& body) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return body;
    const auto strip = [](nlohmann::ordered_json& block) {
        for (const char* key : {"median_first_response_time", "p90_first_response_time", "median_resolution_time",
                                "p90_resolution_time", "median_reply_time", "p90_reply_time", "reopened_count",
                                "reopen_rate", "one_touch_resolution_rate"}) {
            block.erase(key);
        }
    };
    // "previous" first: erasing from an ordered_json moves its other members
    if (j.contains("previous")) strip(j["previous"]);
    strip(j);
    return j.dump();
}

Cluster Cluster::from_environment() {
    return Cluster{env_or("PGHOST", "/tmp"), env_or("PGPORT", "5432")};
}

bool Cluster::controllable() const {
    struct stat st {};
    return ::stat((host + "/data/PG_VERSION").c_str(), &st) == 0;
}

std::string Cluster::conninfo(const std::string& dbname) const {
    return "host=" + host + " port=" + port + " dbname=" + dbname + " user=" + env_or("PGUSER", "postgres");
}

namespace {

void pg_ctl(const Cluster& c, const std::string& args) {
    std::string cmd = std::string(PG_BINDIR) + "/pg_ctl -D '" + c.host + "/data' " + args + " >/dev/null 2>&1";
    // As root the harness runs the cluster as the postgres system user; pg_ctl must too.
    if (::geteuid() == 0) cmd = "runuser -u postgres -- sh -c \"" + cmd + "\"";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("pg_ctl failed: " + args);
}

}  // namespace

void Cluster::stop() const { pg_ctl(*this, "-m fast -w -t 60 stop"); }

void Cluster::start() const { pg_ctl(*this, "-l '" + host + "/postmaster.log' -w -t 60 start"); }

void create_test_database(const Cluster& cluster, const std::string& dbname) {
    {
        pqxx::connection admin(cluster.conninfo("postgres"));
        pqxx::nontransaction tx(admin);
        tx.exec("DROP DATABASE IF EXISTS " + dbname);
        tx.exec("CREATE DATABASE " + dbname);
    }
    pqxx::connection conn(cluster.conninfo(dbname));
    pqxx::nontransaction tx(conn);
    tx.exec(read_file(std::string(SOURCE_DIR) + "/sql/chatwoot_schema.sql"));
    try {
        tx.exec("CREATE EXTENSION support_reports");
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("CREATE EXTENSION support_reports failed (install it first: cmake "
                                             "--install build): ") +
                                 e.what());
    }
    tx.exec(read_file(std::string(SOURCE_DIR) + "/tests/api/fixture.sql"));
}

int free_port() {
    // Bind port 0 and hand the kernel's choice to the server; the window until the server binds
    // it is tiny, and nothing else on this machine picks ports in this way.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot bind a loopback port");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    const int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

std::string server_binary() { return env_or("SR_REPORTS_SERVER", REPORTS_SERVER_PATH); }

int connect_to(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

RawResult raw_exchange(int port, const std::string& request, int timeout_ms, std::size_t chunk, int chunk_delay_ms,
                       int want_responses) {
    RawResult r;
    const int fd = connect_to(port);
    if (fd < 0) return r;
    r.connected = true;
    std::size_t sent = 0;
    while (sent < request.size()) {
        const std::size_t n = chunk > 0 ? std::min(chunk, request.size() - sent) : request.size() - sent;
        const ssize_t w = ::send(fd, request.data() + sent, n, MSG_NOSIGNAL);
        if (w <= 0) break;
        sent += static_cast<std::size_t>(w);
        if (chunk > 0 && chunk_delay_ms > 0 && sent < request.size())
            std::this_thread::sleep_for(std::chrono::milliseconds(chunk_delay_ms));
    }
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + std::chrono::milliseconds(timeout_ms);
    char buf[65536];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        timeval tv{};
        tv.tv_sec = left.count() / 1000;
        tv.tv_usec = (left.count() % 1000) * 1000;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
            r.data.append(buf, static_cast<std::size_t>(n));
            if (want_responses > 0 && split_responses(r.data).size() >= static_cast<std::size_t>(want_responses)) break;
            continue;
        }
        if (n == 0 || (n < 0 && errno == ECONNRESET)) {
            r.eof = true;
            r.eof_after_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
                                 .count();
        }
        break;
    }
    ::close(fd);
    return r;
}

std::vector<RawResponse> split_responses(const std::string& data) {
    std::vector<RawResponse> out;
    std::size_t pos = 0;
    while (pos < data.size()) {
        const std::size_t end = data.find("\r\n\r\n", pos);
        if (end == std::string::npos || data.compare(pos, 9, "HTTP/1.1 ") != 0) break;
        RawResponse r;
        r.status = std::atoi(data.substr(pos + 9, 3).c_str());
        std::size_t line = data.find("\r\n", pos) + 2;
        while (line < end) {
            const std::size_t eol = data.find("\r\n", line);
            const std::string h = data.substr(line, eol - line);
            const std::size_t colon = h.find(':');
            if (colon != std::string::npos) {
                std::string name = h.substr(0, colon);
                for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                std::string value = h.substr(colon + 1);
                while (!value.empty() && value.front() == ' ') value.erase(value.begin());
                r.headers[name] = value;
            }
            line = eol + 2;
        }
        const std::size_t length = r.headers.count("content-length") ? std::stoul(r.header("content-length")) : 0;
        if (data.size() < end + 4 + length) break;  // the body is still coming
        r.body = data.substr(end + 4, length);
        pos = end + 4 + length;
        out.push_back(std::move(r));
    }
    return out;
}

ServerProcess::ServerProcess(std::vector<std::string> args, const std::string& log_name, bool require_database,
                             long nofile_limit) {
    port_ = free_port();
    log_path_ = std::string(BINARY_DIR) + "/" + log_name;
    args.insert(args.begin(), server_binary());
    args.push_back("--port");
    args.push_back(std::to_string(port_));
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        const int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            ::dup2(fd, STDOUT_FILENO);
            ::dup2(fd, STDERR_FILENO);
            ::close(fd);
        }
        if (nofile_limit > 0) {
            rlimit rl{};
            rl.rlim_cur = rl.rlim_max = static_cast<rlim_t>(nofile_limit);
            ::setrlimit(RLIMIT_NOFILE, &rl);
        }
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    // Bounded wait for /health (the database is up, so it answers 200 once the server listens).
    for (int i = 0; i < 200; ++i) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("reports-server exited during startup; log:\n" + log());
        }
        const long health = http_get(url("/health")).status;
        if (health == 200 || (!require_database && health != 0)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    terminate();
    throw std::runtime_error("reports-server did not answer /health within 10 s; log:\n" + log());
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0) terminate();
}

std::string ServerProcess::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::string ServerProcess::log() const {
    try {
        return read_file(log_path_);
    } catch (const std::exception&) {
        return "";
    }
}

int ServerProcess::terminate(int timeout_ms) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return -1;
}

std::string bcrypt_hash(const std::string& token, int cost) {
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$2a$", static_cast<unsigned long>(cost), nullptr, 0, setting, sizeof setting))
        throw std::runtime_error("crypt_gensalt_rn failed");
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    const char* hash = crypt_rn(token.c_str(), setting, data.get(), static_cast<int>(sizeof(crypt_data)));
    if (!hash || hash[0] == '*') throw std::runtime_error("crypt_rn failed");
    return hash;
}

void exec_sql(const std::string& sql) {
    pqxx::connection conn(cluster().conninfo(database_name()));
    pqxx::nontransaction tx(conn);
    tx.exec(sql);
}

void set_user_tokens(int user_id, const nlohmann::json& tokens, bool plain_object) {
    pqxx::connection conn(cluster().conninfo(database_name()));
    pqxx::nontransaction tx(conn);
    const std::string text = tokens.dump();
    // Rails' json column type encodes the coder's JSON.generate output again: a JSON string.
    tx.exec_params(plain_object ? "UPDATE users SET tokens = $1::json WHERE id = $2"
                                : "UPDATE users SET tokens = to_json($1::text) WHERE id = $2",
                   text, user_id);
}

std::vector<std::string> session_headers(const std::string& uid, const std::string& client, const std::string& token,
                                         long long expiry) {
    return {"access-token: " + token, "token-type: Bearer", "client: " + client,
            "expiry: " + std::to_string(expiry ? expiry : static_cast<long long>(std::time(nullptr)) + 86400),
            "uid: " + uid};
}

int run_program(const std::vector<std::string>& args, std::string* output) {
    int pipefd[2];
    if (::pipe(pipefd) != 0) return -1;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(pipefd[1], STDOUT_FILENO);
        ::dup2(pipefd[1], STDERR_FILENO);
        ::close(pipefd[0]);
        ::close(pipefd[1]);
        std::vector<char*> argv;
        std::vector<std::string> copy = args;
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(pipefd[1]);
    char buf[4096];
    ssize_t n;
    while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) output->append(buf, static_cast<std::size_t>(n));
    ::close(pipefd[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace apitest
