#include "http_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <set>
#include <unordered_map>
#include <vector>

#include "http_parser.hpp"
#include "log.hpp"
#include "work_queue.hpp"

namespace support_reports::api {

using Clock = std::chrono::steady_clock;

namespace {

constexpr std::uint64_t kListenId = 0;
constexpr std::uint64_t kWakeId = 1;
// After the last byte of a response that closes the connection, the read side is drained for at
// most this long before close(), so unread request bytes do not turn the close into a reset that
// destroys the response in flight (RFC 9112 §9.6).
constexpr auto kLinger = std::chrono::seconds(2);
// A connection stops reading while this much is buffered (pipelined requests waiting their turn)
// or this much of its responses is still unsent.
constexpr std::size_t kMaxBufferedOutput = 4 * 1024 * 1024;

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string clean_header_value(const std::string& v) {
    std::string out;
    for (char c : v)
        if (c != '\r' && c != '\n') out += c;
    return out;
}

// The bytes of one response.
std::string serialize(const Reply& reply, bool head_only, bool close, bool http10_keep_alive) {
    std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " + reason_phrase(reply.status) + "\r\n";
    out += "Content-Type: " + clean_header_value(reply.content_type) + "\r\n";
    out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
    for (const auto& [name, value] : reply.headers) out += clean_header_value(name) + ": " + clean_header_value(value) + "\r\n";
    if (close) out += "Connection: close\r\n";
    else if (http10_keep_alive) out += "Connection: keep-alive\r\n";
    out += "\r\n";
    if (!head_only) out += reply.body;
    return out;
}

Reply error_reply(int status, const std::string& message) { return json_reply(Json{{"error", message}}, status); }

Reply busy_reply(const std::string& error, int retry_after_s) {
    Reply r = error_reply(503, error);
    r.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
    return r;
}

}  // namespace

// The reactor: one thread, one epoll set, every connection.
class Reactor {
public:
    Reactor(App& app, WorkQueue& workers) : app_(app), workers_(workers) {}
    ~Reactor() { stop(); }

    void start();
    void stop();
    std::uint16_t port() const { return port_; }
    int max_connections() const { return max_connections_; }
    // From any thread: hands a finished response to the reactor.
    void complete(std::uint64_t conn_id, std::string bytes, bool close);

private:
    enum class State { Reading, Waiting, Closing, Lingering };
    struct Conn {
        int fd = -1;
        std::uint64_t id = 0;
        State state = State::Reading;
        std::string in;
        std::string out;
        std::size_t out_sent = 0;
        bool peer_eof = false;
        bool fresh = true;  // no request has been read yet
        Clock::time_point deadline;
        bool deadline_is_idle = true;  // no byte of the next request has arrived
        Clock::time_point last_write;
        std::uint32_t events = 0;
        Clock::time_point idle_since{};  // in idle_ while idle (between requests, nothing buffered)
        bool idle = false;
    };
    struct Completion {
        std::uint64_t id;
        std::string bytes;
        bool close;
    };

    void run();
    void accept_all();
    void on_event(Conn& c, std::uint32_t events);
    void read_some(Conn& c);
    void write_some(Conn& c);
    void advance(Conn& c);
    void dispatch(Conn& c, ParsedRequest request);
    void send_error_and_close(Conn& c, int status, const std::string& message);
    void after_output(Conn& c);
    void update_interest(Conn& c);
    void close_conn(Conn& c);
    void check_timeouts(Clock::time_point now);
    void drain_completions();
    void reject_connection(int fd);
    void update_idle(Conn& c);
    bool evict_idle();

    App& app_;
    WorkQueue& workers_;
    int listen_fd_ = -1;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    int reserve_fd_ = -1;  // spent to accept-and-refuse when the process is out of descriptors
    std::uint16_t port_ = 0;
    int max_connections_ = 0;
    std::chrono::milliseconds header_timeout_{10000};
    std::chrono::milliseconds idle_timeout_{30000};
    HttpLimits limits_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::uint64_t next_id_ = 2;
    std::unordered_map<std::uint64_t, std::unique_ptr<Conn>> conns_;
    // Idle connections, oldest first. At the cap, a new connection pushes out the oldest idle one
    // (RFC 9112 §9.5 lets a server close an idle connection at any time), so a flood of idle
    // sockets cannot lock real clients out; only when every slot is busy is it refused.
    std::set<std::pair<Clock::time_point, std::uint64_t>> idle_;
    long evicted_ = 0;
    std::vector<std::uint64_t> doomed_;  // closed during this round, erased after it
    std::mutex completions_mu_;
    std::vector<Completion> completions_;
    std::string refusal_;  // the canned answer beyond the connection cap
    Clock::time_point last_refusal_log_{};
    Clock::time_point last_timeout_check_{};
    Clock::time_point last_malformed_log_{};
    long malformed_ = 0;
    long refused_ = 0;
};

// One request between the reactor that read it and the worker that answers it.
struct PendingRequest {
    PendingRequest(App* a, Reactor* r, std::uint64_t id, IncomingRequest req, std::map<std::string, std::string> h,
                   bool head, bool keep_alive, bool http10, Clock::time_point t)
        : app(a), reactor(r), conn_id(id), request(std::move(req)), headers(std::move(h)), head_only(head),
          keep_alive(keep_alive), http10(http10), started(t) {
        request.header = [this](std::string_view name) -> std::optional<std::string> {
            const auto it = headers.find(lower(std::string(name)));
            return it == headers.end() ? std::nullopt : std::optional<std::string>(it->second);
        };
        app->enter();
    }
    PendingRequest(const PendingRequest&) = delete;
    PendingRequest& operator=(const PendingRequest&) = delete;

    void finish(const Reply& reply) {
        const bool close = !keep_alive || app->draining();
        reactor->complete(conn_id, serialize(reply, head_only, close, http10 && !close), close);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
        const std::string query = redact_query(request.raw_query);
        log_line(request.method + " " + request.path + (query.empty() ? "" : "?" + query) + " " +
                 std::to_string(reply.status) + " " + std::to_string(ms.count()) + "ms");
        app->leave();
    }

    App* app;
    Reactor* reactor;
    std::uint64_t conn_id;
    IncomingRequest request;
    std::map<std::string, std::string> headers;  // lower-case names
    bool head_only;
    bool keep_alive;
    bool http10;
    Clock::time_point started;
};

long raise_open_file_limit() {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
    if (rl.rlim_cur < rl.rlim_max) {
        rlimit raised = rl;
        raised.rlim_cur = rl.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
    }
    return rl.rlim_cur == RLIM_INFINITY ? 1L << 30 : static_cast<long>(rl.rlim_cur);
}

void Reactor::start() {
    const Config& c = app_.config();
    header_timeout_ = std::chrono::milliseconds(c.header_timeout_ms);
    idle_timeout_ = std::chrono::milliseconds(c.idle_timeout_ms);

    // The cap must leave descriptors for everything else the process opens.
    rlimit rl{};
    long nofile = ::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY ? static_cast<long>(rl.rlim_cur)
                                                                                     : 1L << 30;
    const long headroom = HttpServer::kReservedDescriptors + 2L * c.threads;
    long cap = c.max_connections;
    if (nofile - headroom < cap) {
        cap = std::max(1L, nofile - headroom);
        log_line("--max-connections " + std::to_string(c.max_connections) + " lowered to " + std::to_string(cap) +
                 " to fit the open-file limit of " + std::to_string(nofile));
    }
    max_connections_ = static_cast<int>(cap);
    refusal_ = serialize(busy_reply("too many connections", 1), false, true, false);

    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    const std::string port = std::to_string(c.port);
    if (int rc = ::getaddrinfo(c.host.c_str(), port.c_str(), &hints, &res); rc != 0)
        throw std::runtime_error("cannot resolve listen address " + c.host + ": " + gai_strerror(rc));
    std::string failure = "no address";
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) continue;
        int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 1024) == 0) {
            listen_fd_ = fd;
            break;
        }
        failure = std::strerror(errno);
        ::close(fd);
    }
    ::freeaddrinfo(res);
    if (listen_fd_ < 0) throw std::runtime_error("cannot listen on " + c.host + ":" + port + ": " + failure);
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port
                                             : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);

    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    reserve_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::runtime_error("cannot create the reactor's epoll set");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kListenId;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
    ev.data.u64 = kWakeId;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
    thread_ = std::thread([this] { run(); });
}

void Reactor::stop() {
    if (!thread_.joinable()) return;
    stopping_ = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
    for (auto& [id, c] : conns_)
        if (c->fd >= 0) ::close(c->fd);
    conns_.clear();
    for (int* fd : {&listen_fd_, &epoll_fd_, &wake_fd_, &reserve_fd_}) {
        if (*fd >= 0) ::close(*fd);
        *fd = -1;
    }
}

void Reactor::complete(std::uint64_t conn_id, std::string bytes, bool close) {
    {
        std::lock_guard<std::mutex> lock(completions_mu_);
        completions_.push_back({conn_id, std::move(bytes), close});
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
}

void Reactor::run() {
    std::vector<epoll_event> events(256);
    Clock::time_point stop_deadline{};
    for (;;) {
        if (stopping_ && stop_deadline == Clock::time_point{}) {
            // Stop accepting; give queued responses a moment to leave.
            ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
            stop_deadline = Clock::now() + std::chrono::seconds(2);
        }
        if (stopping_) {
            drain_completions();
            bool pending = false;
            for (auto& [id, c] : conns_) pending = pending || c->out.size() > c->out_sent;
            if (!pending || Clock::now() >= stop_deadline) return;
        }
        const int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), 100);
        if (n < 0 && errno != EINTR) {
            log_line(std::string("epoll_wait failed: ") + std::strerror(errno));
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        for (int i = 0; i < n; ++i) {
            const std::uint64_t id = events[i].data.u64;
            if (id == kListenId) {
                accept_all();
            } else if (id == kWakeId) {
                std::uint64_t count = 0;
                [[maybe_unused]] ssize_t r = ::read(wake_fd_, &count, sizeof count);
                drain_completions();
            } else {
                const auto it = conns_.find(id);
                if (it != conns_.end() && it->second->fd >= 0) on_event(*it->second, events[i].events);
            }
        }
        const auto now = Clock::now();
        if (now - last_timeout_check_ >= std::chrono::milliseconds(50)) {
            last_timeout_check_ = now;
            check_timeouts(now);
        }
        for (std::uint64_t id : doomed_) conns_.erase(id);
        doomed_.clear();
    }
}

void Reactor::reject_connection(int fd) {
    // Best effort: the socket buffer of a fresh connection takes the whole canned answer.
    [[maybe_unused]] ssize_t n = ::send(fd, refusal_.data(), refusal_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
    ++refused_;
    const auto now = Clock::now();
    if (now - last_refusal_log_ >= std::chrono::seconds(5)) {
        last_refusal_log_ = now;
        log_line("connection limit (" + std::to_string(max_connections_) + ") reached: " + std::to_string(refused_) +
                 " connections refused with 503 so far");
    }
}

void Reactor::accept_all() {
    for (int round = 0; round < 256; ++round) {
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if ((errno == EMFILE || errno == ENFILE) && reserve_fd_ >= 0) {
                // Out of descriptors: spend the reserve to take the connection off the backlog and
                // refuse it, instead of leaving it there to wake epoll forever.
                ::close(reserve_fd_);
                const int victim = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (victim >= 0) reject_connection(victim);
                reserve_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
                continue;
            }
            return;  // EAGAIN, or an error the next readiness retries
        }
        if (stopping_ || (static_cast<long>(conns_.size() - doomed_.size()) >= max_connections_ && !evict_idle())) {
            reject_connection(fd);
            continue;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto conn = std::make_unique<Conn>();
        conn->fd = fd;
        conn->id = next_id_++;
        // A new connection must start its request within the header timeout.
        conn->deadline = Clock::now() + header_timeout_;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = conn->id;
        conn->events = EPOLLIN;
        if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
            ::close(fd);
            continue;
        }
        Conn& c = *conn;
        conns_.emplace(conn->id, std::move(conn));
        update_idle(c);
    }
}

void Reactor::update_idle(Conn& c) {
    // Lingering connections have had their last answer: as cheap to drop as idle ones.
    const bool idle = c.fd >= 0 && ((c.state == State::Reading && c.in.empty() && c.out.size() == c.out_sent) ||
                                    c.state == State::Lingering);
    if (idle == c.idle) return;
    if (idle) {
        c.idle_since = Clock::now();
        idle_.emplace(c.idle_since, c.id);
    } else {
        idle_.erase({c.idle_since, c.id});
    }
    c.idle = idle;
}

bool Reactor::evict_idle() {
    if (idle_.empty()) return false;
    const std::uint64_t id = idle_.begin()->second;
    const auto it = conns_.find(id);
    if (it == conns_.end()) {
        idle_.erase(idle_.begin());
        return false;
    }
    close_conn(*it->second);
    if (++evicted_ % 1000 == 1)
        log_line("connection limit (" + std::to_string(max_connections_) + ") reached: closed the oldest idle connection (" +
                 std::to_string(evicted_) + " so far)");
    return true;
}

void Reactor::on_event(Conn& c, std::uint32_t events) {
    if (events & (EPOLLHUP | EPOLLERR)) {
        // Both directions are gone (a reset, or a full close): nothing can be answered any more,
        // and the condition would be reported again on every wait.
        close_conn(c);
        return;
    }
    if (events & EPOLLIN) read_some(c);
    if (c.fd >= 0 && (events & EPOLLOUT)) write_some(c);
}

void Reactor::read_some(Conn& c) {
    char buf[16384];
    for (int round = 0; round < 4; ++round) {
        if (c.state != State::Lingering && c.in.size() >= limits_.max_head + limits_.max_body + 4096) break;
        const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
        if (n > 0) {
            if (c.state == State::Lingering || c.state == State::Closing) continue;  // discarded
            if (c.in.empty() && c.state == State::Reading) {
                c.deadline = Clock::now() + header_timeout_;  // the request has started
                c.deadline_is_idle = false;
            }
            c.in.append(buf, static_cast<std::size_t>(n));
            if (static_cast<std::size_t>(n) < sizeof buf) break;
            continue;
        }
        if (n == 0) {
            c.peer_eof = true;
            if (c.state == State::Lingering) {
                close_conn(c);
                return;
            }
            break;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        if (errno == EINTR) continue;
        close_conn(c);  // reset by the peer
        return;
    }
    advance(c);
}

void Reactor::advance(Conn& c) {
    if (c.fd < 0) return;
    while (c.state == State::Reading && !c.in.empty() && c.out.size() - c.out_sent < kMaxBufferedOutput) {
        ParseOutcome o = parse_request(c.in, limits_);
        if (o.kind == ParseOutcome::Kind::Incomplete) break;
        if (o.kind == ParseOutcome::Kind::Error) {
            send_error_and_close(c, o.status, o.error);
            return;
        }
        c.in.erase(0, o.consumed);
        dispatch(c, std::move(o.request));
    }
    if (c.state == State::Reading && c.peer_eof) {
        // Nothing more will come; a partial request can never complete.
        if (c.out.size() == c.out_sent) {
            close_conn(c);
            return;
        }
        c.state = State::Closing;
    }
    update_interest(c);
}

void Reactor::dispatch(Conn& c, ParsedRequest request) {
    c.state = State::Waiting;
    c.fresh = false;
    const std::string target = origin_form(request.target);
    const std::size_t q = target.find('?');
    IncomingRequest in;
    in.method = request.method;
    in.path = target.substr(0, q);
    in.raw_query = q == std::string::npos ? "" : target.substr(q + 1);
    std::map<std::string, std::string> headers;
    for (auto& [name, value] : request.headers) {
        auto [it, inserted] = headers.emplace(name, value);
        if (!inserted) it->second += ", " + value;
    }
    const bool head = request.method == "HEAD";
    const bool http10 = request.minor_version == 0;
    auto pending = std::make_shared<PendingRequest>(&app_, this, c.id, std::move(in), std::move(headers), head,
                                                    request.keep_alive, http10, Clock::now());
    if (app_.draining()) {
        pending->finish(busy_reply("server is shutting down", 5));
        return;
    }
    workers_.submit({[pending] { pending->finish(pending->app->handle(pending->request)); },
                     [pending] { pending->finish(busy_reply("server busy", 1)); }});
}

void Reactor::send_error_and_close(Conn& c, int status, const std::string& message) {
    // At most one line a second, so a stream of garbage cannot flood the log.
    ++malformed_;
    const auto now = Clock::now();
    if (now - last_malformed_log_ >= std::chrono::seconds(1)) {
        last_malformed_log_ = now;
        log_line("answered " + std::to_string(status) + " to a malformed or incomplete request (" + message + "; " +
                 std::to_string(malformed_) + " so far)");
    }
    c.in.clear();
    c.out += serialize(error_reply(status, message), false, true, false);
    c.state = State::Closing;
    c.last_write = Clock::now();
    write_some(c);
}

void Reactor::drain_completions() {
    std::vector<Completion> done;
    {
        std::lock_guard<std::mutex> lock(completions_mu_);
        done.swap(completions_);
    }
    for (auto& d : done) {
        const auto it = conns_.find(d.id);
        if (it == conns_.end() || it->second->fd < 0) continue;  // the client went away
        Conn& c = *it->second;
        if (c.out.size() == c.out_sent) c.last_write = Clock::now();
        c.out += d.bytes;
        if (d.close) {
            c.state = State::Closing;
            c.in.clear();
        } else {
            c.state = State::Reading;
            c.deadline = Clock::now() + (c.in.empty() ? idle_timeout_ : header_timeout_);
            c.deadline_is_idle = c.in.empty();
        }
        write_some(c);
        if (c.fd >= 0 && c.state == State::Reading) advance(c);  // a pipelined request may be waiting
    }
}

void Reactor::write_some(Conn& c) {
    while (c.fd >= 0 && c.out_sent < c.out.size()) {
        const ssize_t n = ::send(c.fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
        if (n > 0) {
            c.out_sent += static_cast<std::size_t>(n);
            c.last_write = Clock::now();
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (n < 0 && errno == EINTR) continue;
        close_conn(c);
        return;
    }
    if (c.out_sent == c.out.size()) {
        c.out.clear();
        c.out_sent = 0;
    }
    after_output(c);
}

void Reactor::after_output(Conn& c) {
    if (c.fd < 0) return;
    if (c.state == State::Reading && !c.in.empty()) {
        // A pipelined request held back while a large answer was being written.
        advance(c);
        return;
    }
    if (c.state == State::Closing && c.out.empty()) {
        if (c.peer_eof) {
            close_conn(c);
            return;
        }
        // Our side is done: FIN now, so a client reading to EOF gets it at once.
        ::shutdown(c.fd, SHUT_WR);
        c.state = State::Lingering;
        c.deadline = Clock::now() + kLinger;
    }
    update_interest(c);
}

void Reactor::update_interest(Conn& c) {
    if (c.fd < 0) return;
    update_idle(c);
    std::uint32_t want = 0;
    const bool room = c.in.size() < limits_.max_head + limits_.max_body + 4096;
    if (c.state == State::Lingering) want |= EPOLLIN;
    else if ((c.state == State::Reading || c.state == State::Waiting) && !c.peer_eof && room) want |= EPOLLIN;
    if (c.out.size() > c.out_sent) want |= EPOLLOUT;
    if (want == c.events) return;
    epoll_event ev{};
    ev.events = want;
    ev.data.u64 = c.id;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
    c.events = want;
}

void Reactor::close_conn(Conn& c) {
    if (c.fd < 0) return;
    if (c.idle) idle_.erase({c.idle_since, c.id});
    c.idle = false;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    c.fd = -1;
    doomed_.push_back(c.id);
}

void Reactor::check_timeouts(Clock::time_point now) {
    for (auto& [id, cp] : conns_) {
        Conn& c = *cp;
        if (c.fd < 0) continue;
        // A response that makes no progress for the idle timeout: the client stopped reading.
        if (c.out.size() > c.out_sent && now - c.last_write > idle_timeout_) {
            close_conn(c);
            continue;
        }
        switch (c.state) {
            case State::Reading:
                if (now < c.deadline) break;
                if (c.in.empty() && c.deadline_is_idle) {
                    close_conn(c);  // an idle keep-alive connection (or one that never sent a byte)
                } else if (c.out.size() == c.out_sent) {
                    send_error_and_close(c, 408, "request timeout: the request was not complete within " +
                                                     std::to_string(header_timeout_.count()) + " ms");
                } else {
                    close_conn(c);
                }
                break;
            case State::Lingering:
                if (now >= c.deadline) close_conn(c);
                break;
            case State::Waiting:
            case State::Closing:
                break;
        }
    }
}

// ---- HttpServer -------------------------------------------------------------------------------

HttpServer::HttpServer(App& app) : app_(app) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
    const Config& c = app_.config();
    workers_ = std::make_unique<WorkQueue>(c.threads, std::chrono::milliseconds(c.queue_timeout_ms), kMaxWaiting);
    reactor_ = std::make_unique<Reactor>(app_, *workers_);
    reactor_->start();
}

std::uint16_t HttpServer::port() const { return reactor_ ? reactor_->port() : 0; }

int HttpServer::max_connections() const { return reactor_ ? reactor_->max_connections() : 0; }

void HttpServer::stop() {
    // Workers first: their last answers (and the 503s for jobs still queued) go to the reactor,
    // which writes them before it closes the connections.
    if (workers_) workers_->stop();
    if (reactor_) reactor_->stop();
    reactor_.reset();
    workers_.reset();
}

}  // namespace support_reports::api
