// The Pistache side: an Http::Handler that hands every request to App and writes the reply, plus
// the endpoint lifecycle.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "server.hpp"

namespace Pistache::Http {
class Endpoint;
}

namespace support_reports::api {

class WorkQueue;

// Pistache's reactor threads only read requests and write responses; the reports run on
// `Config::threads` workers (work_queue.hpp).
class HttpServer {
public:
    // One reactor thread parses and writes far faster than a database answers reports.
    static constexpr int kReactorThreads = 1;
    // Requests waiting for a worker beyond this many are answered 503 at once.
    static constexpr std::size_t kMaxWaiting = 4096;
    // The longest a request may take from being read to being answered.
    static std::chrono::milliseconds request_budget(const Config& c);

    explicit HttpServer(App& app);
    ~HttpServer();
    // Starts the workers, binds and starts the reactor; throws on a bind failure.
    void start();
    std::uint16_t port() const;
    // Answers 503 to requests still waiting, lets running ones finish, stops accepting, joins
    // every thread.
    void stop();

private:
    App& app_;
    std::unique_ptr<WorkQueue> workers_;
    std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
};

}  // namespace support_reports::api
