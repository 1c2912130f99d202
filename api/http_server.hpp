// The HTTP/1.1 side of reports-server: its own accept loop and connection handling on one epoll
// reactor thread, request framing by http_parser.hpp, and the reports on `Config::threads`
// database workers (work_queue.hpp).
//
// This replaced Pistache 0.0.5's Endpoint, which could not be fixed from outside: it had no
// connection cap and spun on EMFILE, dropped pipelined requests, said `Connection: Close` while
// keeping the connection open, answered malformed requests only with a 408 after its timeout,
// wrote plain-text (and exception-text) error bodies from inside the library, and measured its
// header timeout from the last request, so idle and slow sockets had to be held for the whole
// report budget. RELIABILITY.md lists the tests that show each of these.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>

#include "server.hpp"

namespace support_reports::api {

class WorkQueue;
class Reactor;

class HttpServer {
public:
    // Requests waiting for a worker beyond this many are answered 503 at once.
    static constexpr std::size_t kMaxWaiting = 4096;
    // Descriptors kept free for the database pool, the rollup refresher, logs and libraries when
    // the connection cap is derived from the open-file limit.
    static constexpr int kReservedDescriptors = 64;

    explicit HttpServer(App& app);
    ~HttpServer();
    // Starts the workers, binds and starts the reactor; throws on a bind failure.
    void start();
    std::uint16_t port() const;
    // The connection cap in force (--max-connections, lowered to fit the open-file limit).
    int max_connections() const;
    // Answers 503 to requests still waiting, lets running ones finish, writes what is queued,
    // closes every connection and joins every thread.
    void stop();

private:
    App& app_;
    std::unique_ptr<WorkQueue> workers_;
    std::unique_ptr<Reactor> reactor_;
};

// Raises the soft RLIMIT_NOFILE to the hard limit; returns the soft limit now in force.
long raise_open_file_limit();

}  // namespace support_reports::api
